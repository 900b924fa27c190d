"""Cross-check harness (see xcheck.rs; needs /work/shared/tools on the path): dump a generated instance as JSON for the Rust verifier, write
mutated plans, and record verify.py's breach rules for each."""
import json, os, random, sys, copy
sys.path.insert(0, "/work/shared/tools")
import verify, gen
from model import load

def dump(inst, path):
    inv, sc = inst.inv, inst.sc
    d = lambda x: x.isoformat() if x else None
    out = {
      "inventory": {"sha256": inv.sha256,
        "departments": [{"code": c, "max": dp.max_cutovers_per_wave, "unlimited": dp.unlimited_cutovers,
                         "blackouts": [[d(b.start), d(b.end)] for b in dp.blackouts]} for c, dp in inv.departments.items()],
        "services": [{"id": s.id, "department": s.department, "site": s.site, "strategy": s.strategy,
                      "criticality": s.criticality, "resources": s.resources, "data_gib": s.data_gib,
                      "effort": s.effort, "duration": s.duration, "move_group": s.move_group,
                      "not_before": d(s.not_before), "deadline": d(s.deadline), "status": s.status,
                      "depends_on": [{"dst": e.dst, "order": e.order, "traffic": e.traffic,
                                      "latency": e.latency_sensitive} for e in s.depends_on]}
                     for s in inv.services.values()]},
      "scenario": {"name": sc.name, "sha256": sc.sha256, "start": d(sc.start), "len": sc.wave_length_days,
        "max_waves": sc.max_waves, "today": d(sc.today), "freezes": [[d(f.start), d(f.end)] for f in sc.freezes],
        "cutovers": sc.cutovers, "per_department": sc.per_department, "transfer_gib": sc.transfer_gib,
        "teams": {t: sc.teams.get(t) for t in sc.team_names},
        "target": None if sc.target is None else [dict({"from": d(st.start)}, **{r: st.caps.get(r) for r in ("vcpu","memory_gib","storage_gib")}) for st in sc.target],
        "decommission_by": {k: d(v) for k, v in sc.decommission_by.items()},
        "dependency_order": sc.dependency_order, "critical": sc.critical_not_before_wave,
        "pins": sc.pins}}
    with open(path, "w") as fh:
        json.dump(out, fh)

def plan_for(inst, starts, unsched):
    p = gen.witness_plan(inst, starts)
    p["unscheduled"] = [{"id": s, "rule": "capacity.cutovers", "reason": "x"} for s in sorted(unsched)]
    return p

def main(instdir, outdir, seed, nplans):
    inst = load(os.path.join(instdir, "inventories"), os.path.join(instdir, "plans", "baseline.yaml"))
    os.makedirs(outdir, exist_ok=True)
    dump(inst, os.path.join(outdir, "model.json"))
    wit = json.load(open(os.path.join(instdir, "witness.json")))["starts"]
    rng = random.Random(seed)
    ids = sorted(wit)
    expected = {}
    for i in range(nplans):
        starts = dict(wit)
        unsched = set()
        kind = i % 4
        if kind in (0, 3):     # drop some services
            for s in rng.sample(ids, rng.randint(1, max(1, len(ids) // 20))):
                unsched.add(s); starts.pop(s, None)
        if kind in (1, 3):     # shift some services
            for s in rng.sample(ids, rng.randint(1, 6)):
                if s in starts:
                    starts[s] = max(1, starts[s] + rng.choice([-3, -2, -1, 1, 2, 3]))
        p = plan_for(inst, starts, unsched)
        if kind == 2:          # corrupt reported numbers / lists
            for _ in range(rng.randint(1, 3)):
                c = rng.randint(0, 6)
                w = rng.choice(p["waves"]) if p["waves"] else None
                if c == 0 and w: w["load"]["transfer_gib"] += 1
                elif c == 1 and w: w["target_used"]["vcpu"] += 0.5
                elif c == 2: p["summary"]["split_cost"] += 2
                elif c == 3 and w: w["frozen"] = not w["frozen"]
                elif c == 4 and w and w["load"]["teams"]:
                    t = rng.choice(sorted(w["load"]["teams"])); w["load"]["teams"][t] += 0.01
                elif c == 5: p["services"][0]["department"] = "XX"
                elif c == 6: p["summary"]["lower_bound_waves"] = p["summary"]["waves"] + 1
        name = f"p{i:03d}.json"
        with open(os.path.join(outdir, name), "w") as fh:
            json.dump(p, fh)
        b, _ = verify.check(inst, p)
        expected[name] = b
    json.dump(expected, open(os.path.join(outdir, "expected.json"), "w"), indent=0)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
