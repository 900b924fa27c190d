#!/usr/bin/env python3
"""Markdown table: waveplan vs CP-SAT per instance (from run.sh outputs).

    table.py [INST_ROOT=/tmp/cpsat_cmp/inst] [GLOB=*]

Per instance: migrating services, waves (waveplan / CP-SAT / CP-SAT proven lower bound), CP-SAT
status (overall; makespan OPTIMAL|OPEN), split costs, CP-SAT's proven split lower bound at its
makespan, ratio = waveplan split / CP-SAT split (only when the wave counts are equal),
unscheduled counts and verify.py verdicts. Then a summary per set (prefix before the size).
"""
import glob
import os
import re
import statistics
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
root = sys.argv[1] if len(sys.argv) > 1 else "/tmp/cpsat_cmp/inst"
pat = sys.argv[2] if len(sys.argv) > 2 else "*"


def plan(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        p = yaml.load(f, Loader=Loader)
    s = p["summary"]
    return {"waves": s["waves"], "split": float(s["split_cost"]), "mig": s["services_migrating"],
            "sched": s["services_scheduled"], "uns": len(p.get("unscheduled") or [])}


def kv(path, prefix):
    """key=value pairs of the last line of PATH starting with PREFIX."""
    if not os.path.exists(path):
        return {}
    lines = [l for l in open(path, encoding="utf-8", errors="replace") if l.startswith(prefix)]
    return dict(re.findall(r"(\w+)=(\S+)", lines[-1])) if lines else {}


def verdict(path):
    if not os.path.exists(path):
        return "-"
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    last = [l for l in lines if l.strip()][-1:] or ["?"]
    if last[0].startswith("OK"):
        return "OK"
    m = re.search(r"breaches=(\d+)", last[0])
    return f"FAIL({m.group(1)})" if m else "ERR"


def fmt(x, nd=1):
    return "-" if x is None else f"{x:.{nd}f}"


rows = []
for d in sorted(glob.glob(os.path.join(root, pat))):
    if not os.path.isdir(d):
        continue
    name = os.path.basename(d)
    wp, cp = plan(os.path.join(d, "wp.plan.yaml")), plan(os.path.join(d, "cp.plan.yaml"))
    if wp is None and cp is None:
        continue
    log = kv(os.path.join(d, "cp.log"), "status=")
    slb = log.get("split_lb")
    slb = None if slb in (None, "None") else float(slb)
    ratio = None
    if wp and cp and wp["waves"] == cp["waves"]:
        ratio = wp["split"] / cp["split"] if cp["split"] > 0 else (1.0 if wp["split"] == 0 else float("inf"))
    rows.append(dict(name=name, set=re.match(r"[a-z]+", name).group(0), wp=wp, cp=cp, log=log, slb=slb,
                     ratio=ratio, wpv=verdict(os.path.join(d, "wp.verify")),
                     cpv=verdict(os.path.join(d, "cp.verify"))))

print("| instance | migrating | wp waves | cp waves | cp lb | cp status (makespan) | wp split | cp split "
      "| cp split_lb | wp/cp split | wp unsched | cp unsched | verify wp/cp |")
print("|---|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|---|")
for r in rows:
    wp, cp, log = r["wp"] or {}, r["cp"] or {}, r["log"]
    st = f"{log.get('status', '?')} ({log.get('makespan', '?')})" if log else "?"
    flag = ""
    if wp and cp and wp["waves"] > cp["waves"]:
        flag = " **+%d**" % (wp["waves"] - cp["waves"])
    print(f"| {r['name']} | {wp.get('mig', cp.get('mig', '?'))} | {wp.get('waves', '-')}{flag} | "
          f"{cp.get('waves', '-')} | {log.get('lb', '-')} | {st} | {fmt(wp.get('split'))} | "
          f"{fmt(cp.get('split'))} | {fmt(r['slb'])} | {fmt(r['ratio'], 3)} | {wp.get('uns', '-')} | "
          f"{cp.get('uns', '-')} | {r['wpv']}/{r['cpv']} |")


def summary(label, rs):
    both = [r for r in rs if r["wp"] and r["cp"]]
    rat = [r["ratio"] for r in both if r["ratio"] is not None]
    more = [r["name"] for r in both if r["wp"]["waves"] > r["cp"]["waves"]]
    fewer = [r["name"] for r in both if r["wp"]["waves"] < r["cp"]["waves"]]
    better = [r["name"] for r in both if r["ratio"] is not None and r["ratio"] < 1 - 1e-9]
    uns = [f"{r['name']}({r['wp']['uns']})" for r in both if r["wp"]["uns"]]
    cuns = [f"{r['name']}({r['cp']['uns']})" for r in both if r["cp"]["uns"]]
    bad = [r["name"] for r in both if r["wpv"] != "OK" or r["cpv"] != "OK"]
    opt = sum(1 for r in both if r["log"].get("makespan") == "OPTIMAL")
    print(f"\n**{label}** ({len(both)} instances; CP-SAT makespan proven optimal on {opt})")
    if rat:
        print(f"- equal waves on {len(rat)}: wp/cp split median {statistics.median(rat):.3f}, "
              f"max {max(rat):.3f}, min {min(rat):.3f}, mean {statistics.mean(rat):.3f}")
    print(f"- waveplan uses more waves on {len(more)}: {', '.join(more) or '-'}")
    print(f"- waveplan uses fewer waves on {len(fewer)}: {', '.join(fewer) or '-'}")
    print(f"- waveplan split below CP-SAT's (equal waves) on {len(better)}: {', '.join(better) or '-'}")
    print(f"- waveplan unscheduled: {', '.join(uns) or 'none'}; CP-SAT unscheduled: {', '.join(cuns) or 'none'}")
    print(f"- verify not OK: {', '.join(bad) or 'none'}")


sets = sorted({r["set"] for r in rows})
for s in sets:
    summary(f"set {s}*", [r for r in rows if r["set"] == s])
if len(sets) > 1:
    summary("all", rows)
