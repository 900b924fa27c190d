//! SPEC 4.9, "nothing left behind needlessly": every class of unscheduled services that must
//! share a cutover wave (move groups and latency-sensitive edges among migrating services,
//! as `tools/verify.py` groups them) is tried at every cutover wave 1..max_waves against
//! every rule, all other placements unchanged. A class that fits is a breach.
//!
//! Like verify.py, a cycle of together-or-before edges is *not* merged into one class: each
//! member then has an ordered edge to another unscheduled service, so completeness (4.7)
//! blocks it and it is never reported. This keeps the two checkers in agreement; a stricter
//! reading would merge such cycles too.
//!
//! Each trial is cheap: the plan's per-wave loads ([`Loads`]), per-department calendar
//! prefix counts and a range-minimum table of the target slack are built once.

use std::collections::{BTreeMap, HashMap};

use super::Breach;
use super::calendar::WaveTable;
use super::capacity::target_caps;
use super::facts::Facts;
use super::loads::{Loads, per_wave, res3};
use super::num::{headroom, within};
use crate::model::{Criticality, DeptIx, Edge, Order, ServiceIx};

/// A class member, with what the trials need precomputed.
struct Member {
    dept: DeptIx,
    dur: u32,
    /// Day number (from the calendar start) its start wave may not begin before.
    not_before: Option<i64>,
    /// Day number its cutover wave must end on or before (deadline, decommission_by).
    end_by: Option<i64>,
    /// Data copied per occupied wave.
    data: f64,
    /// (team index, person-days per occupied wave), limited teams only.
    teams: Vec<(usize, f64)>,
    res: [f64; 3],
}

/// Reports each unscheduled class that could be placed.
pub(super) fn check(f: &Facts<'_>, loads: &Loads, table: &WaveTable, out: &mut Vec<Breach>) {
    let svcs = &f.inv.services;
    let n = svcs.len();
    let unplaced = |ix: ServiceIx| f.migrating[ix] && f.slots[ix].is_none();
    if !ServiceIx::all(n).any(unplaced) {
        return;
    }
    let classes = classes(f, &unplaced);
    let mut class_of: HashMap<ServiceIx, usize> = HashMap::new();
    for (c, mem) in classes.iter().enumerate() {
        class_of.extend(mem.iter().map(|&m| (m, c)));
    }
    // Edges A -> B with B in a candidate class, found in one pass.
    let mut rev: HashMap<ServiceIx, Vec<(ServiceIx, &Edge)>> = HashMap::new();
    for (a, s) in f.inv.indexed() {
        for e in &s.depends_on {
            if class_of.contains_key(&e.target) {
                rev.entry(e.target).or_default().push((a, e));
            }
        }
    }
    let trial = Trial::new(f, loads, table);
    for (cid, mem) in classes.iter().enumerate() {
        let Some((lo, hi)) = window(f, mem, cid, &class_of, &rev) else {
            continue;
        };
        let members: Vec<Member> = mem.iter().map(|&m| trial.member(m)).collect();
        if let Some(c) = (lo..=hi).find(|&c| trial.fits(&members, c)) {
            let id = &svcs[mem[0]].id;
            let more = if mem.len() > 1 {
                let rest: Vec<&str> = mem[1..].iter().map(|&m| svcs[m].id.as_str()).collect();
                format!(" (together with {})", rest.join(", "))
            } else {
                String::new()
            };
            out.push(Breach::new(
                "unscheduled.placeable",
                Some(id),
                Some(c),
                format!("{id} could cut over in wave {c}{more} without breaking any rule"),
            ));
        }
    }
}

/// The classes whose members are all unplaced, each sorted by id, in order of first id.
fn classes(f: &Facts<'_>, unplaced: &dyn Fn(ServiceIx) -> bool) -> Vec<Vec<ServiceIx>> {
    let svcs = &f.inv.services;
    let mut uf = UnionFind::new(svcs.len());
    let mut first: HashMap<&str, ServiceIx> = HashMap::new();
    for (ix, s) in f.inv.indexed() {
        if !f.migrating[ix] {
            continue;
        }
        if let Some(g) = s.move_group.as_deref() {
            let head = *first.entry(g).or_insert(ix);
            uf.union(head.pos(), ix.pos());
        }
        for e in &s.depends_on {
            if e.latency_sensitive && f.migrating.get(e.target.pos()).copied().unwrap_or(false) {
                uf.union(ix.pos(), e.target.pos());
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<ServiceIx>> = BTreeMap::new();
    let mut wanted = vec![false; svcs.len()];
    for ix in ServiceIx::all(svcs.len()).filter(|&ix| unplaced(ix)) {
        wanted[uf.find(ix.pos())] = true;
    }
    for ix in ServiceIx::all(svcs.len()).filter(|&ix| f.migrating[ix]) {
        let r = uf.find(ix.pos());
        if wanted[r] {
            by_root.entry(r).or_default().push(ix);
        }
    }
    let mut out: Vec<Vec<ServiceIx>> = by_root
        .into_values()
        .filter(|mem| mem.iter().all(|&m| unplaced(m)))
        .map(|mut mem| {
            mem.sort_by(|a, b| svcs[*a].id.cmp(&svcs[*b].id));
            mem
        })
        .collect();
    out.sort_by(|a, b| svcs[a[0]].id.cmp(&svcs[b[0]].id));
    out
}

/// The cutover waves the edges, pins, durations and the critical rule leave open to class
/// `cid`; `None` when an ordered edge to another unscheduled service blocks it (4.7).
fn window(
    f: &Facts<'_>,
    mem: &[ServiceIx],
    cid: usize,
    class_of: &HashMap<ServiceIx, usize>,
    rev: &HashMap<ServiceIx, Vec<(ServiceIx, &Edge)>>,
) -> Option<(u32, u32)> {
    let svcs = &f.inv.services;
    let mut lo = i64::from(
        mem.iter()
            .map(|&m| svcs[m].duration_waves)
            .max()
            .unwrap_or(1),
    );
    let mut hi = i64::from(f.sc.calendar.max_waves.min(f.horizon));
    for &m in mem {
        let s = &svcs[m];
        if s.criticality == Criticality::Critical {
            lo = lo.max(i64::from(f.sc.rules.critical_not_before_wave));
        }
        if let Some(&pin) = f.sc.pins.get(&s.id) {
            lo = lo.max(i64::from(pin));
            hi = hi.min(i64::from(pin));
        }
        for e in &s.depends_on {
            let order = f.order(e);
            let inside = class_of.get(&e.target) == Some(&cid);
            let migrating = f.migrating.get(e.target.pos()).copied().unwrap_or(false);
            if inside || !migrating || (order == Order::Any && !e.latency_sensitive) {
                continue;
            }
            let slot_b = f.slots[e.target]?;
            let cb = i64::from(slot_b.cutover);
            lo = lo.max(if order == Order::StrictlyBefore {
                cb + i64::from(s.duration_waves)
            } else {
                cb
            });
        }
        for &(a, e) in rev.get(&m).map_or(&[][..], Vec::as_slice) {
            let order = f.order(e);
            if class_of.get(&a) == Some(&cid) || !f.migrating[a] || order == Order::Any {
                continue;
            }
            if let Some(slot_a) = f.slots[a] {
                let bound = if order == Order::StrictlyBefore {
                    i64::from(slot_a.start) - 1
                } else {
                    i64::from(slot_a.cutover)
                };
                hi = hi.min(bound);
            }
        }
    }
    let lo = u32::try_from(lo.max(1)).ok()?;
    let hi = u32::try_from(hi).ok()?;
    (lo <= hi).then_some((lo, hi))
}

/// The plan as it stands, ready for cheap trial placements.
struct Trial<'f, 'a> {
    f: &'f Facts<'a>,
    loads: &'f Loads,
    /// Per department: prefix count of waves its services may not occupy.
    blocked: Vec<Vec<u32>>,
    /// Per resource: range-minimum table of the target slack, when a target is set.
    slack: Option<[RangeMin; 3]>,
}

impl<'f, 'a> Trial<'f, 'a> {
    fn new(f: &'f Facts<'a>, loads: &'f Loads, table: &WaveTable) -> Self {
        let blocked = (0..f.inv.departments.len())
            .map(|d| {
                let mut run = 0;
                (0..=f.horizon)
                    .map(|k| {
                        run += u32::from(k >= 1 && table.blocked(DeptIx::new(d), k));
                        run
                    })
                    .collect()
            })
            .collect();
        let slack = f.sc.capacity.target.is_some().then(|| {
            let mut vals = [
                vec![f64::INFINITY; f.horizon as usize + 1],
                vec![f64::INFINITY; f.horizon as usize + 1],
                vec![f64::INFINITY; f.horizon as usize + 1],
            ];
            for k in 1..=f.horizon {
                let Some(caps) = target_caps(f.sc, k) else {
                    continue;
                };
                for r in 0..3 {
                    if let Some(cap) = caps[r] {
                        vals[r][k as usize] = headroom(cap) - loads.started(k)[r];
                    }
                }
            }
            vals.map(|v| RangeMin::new(&v))
        });
        Self {
            f,
            loads,
            blocked,
            slack,
        }
    }

    fn member(&self, ix: ServiceIx) -> Member {
        let s = &self.f.inv.services[ix];
        let cal = &self.f.sc.calendar;
        let end_by = [s.deadline, self.f.sc.decommission_by(s.site)]
            .into_iter()
            .flatten()
            .map(|d| cal.day_of(d))
            .min();
        let per = per_wave(s);
        let teams = s
            .effort
            .iter()
            .filter_map(|(t, v)| {
                let i = self.loads.team_index(t)?;
                (self.loads.team_caps[i].is_some() && *v != 0.0).then_some((i, v / per))
            })
            .collect();
        Member {
            dept: s.department,
            dur: s.duration_waves.max(1),
            not_before: s.not_before.map(|d| cal.day_of(d)),
            end_by,
            data: s.data_gib / per,
            teams,
            res: res3(&s.resources),
        }
    }

    /// Whether the class cutting over in wave `c` breaks no rule.
    fn fits(&self, mem: &[Member], c: u32) -> bool {
        let (f, loads) = (self.f, self.loads);
        let cal = &f.sc.calendar;
        let mut starts = Vec::with_capacity(mem.len());
        for m in mem {
            let Some(st) = (c + 1).checked_sub(m.dur).filter(|&st| st >= 1) else {
                return false;
            };
            let pre = &self.blocked[m.dept];
            if pre[c as usize] != pre[st as usize - 1] {
                return false;
            }
            if m.not_before.is_some_and(|nb| cal.wave_days(st).0 < nb)
                || m.end_by.is_some_and(|d| cal.wave_days(c).1 > d)
            {
                return false;
            }
            starts.push(st);
        }
        if let Some(limit) = f.sc.capacity.cutovers.limit(c)
            && loads.cutovers(c).len() + mem.len() > limit as usize
        {
            return false;
        }
        let mut per_dept: BTreeMap<DeptIx, u32> = BTreeMap::new();
        for m in mem {
            *per_dept.entry(m.dept).or_insert(0) += 1;
        }
        for (d, add) in per_dept {
            if let Some(limit) = f.dept_cap(d)
                && loads.dept_cutovers.get(&(c, d)).copied().unwrap_or(0) + add > limit
            {
                return false;
            }
        }
        self.loads_fit(mem, &starts, c) && self.target_fits(mem, &starts, c)
    }

    /// Transfer and team loads with the class added.
    fn loads_fit(&self, mem: &[Member], starts: &[u32], c: u32) -> bool {
        let (f, loads) = (self.f, self.loads);
        let mut transfer: BTreeMap<u32, f64> = BTreeMap::new();
        let mut teams: BTreeMap<(u32, usize), f64> = BTreeMap::new();
        for (m, &st) in mem.iter().zip(starts) {
            for k in st..=c {
                if m.data != 0.0 {
                    *transfer.entry(k).or_insert(0.0) += m.data;
                }
                for &(t, v) in &m.teams {
                    *teams.entry((k, t)).or_insert(0.0) += v;
                }
            }
        }
        if let Some(cap) = f.sc.capacity.transfer_gib
            && transfer
                .iter()
                .any(|(&k, &v)| !within(loads.transfer(k) + v, cap))
        {
            return false;
        }
        teams.iter().all(|(&(k, t), &v)| {
            loads.team_caps[t].is_none_or(|cap| within(loads.team(k, t) + v, cap))
        })
    }

    /// Target capacity over the waves the class changes: from its first start (or the first
    /// wave the makespan grows into) to the larger of the makespan and `c`.
    fn target_fits(&self, mem: &[Member], starts: &[u32], c: u32) -> bool {
        let Some(slack) = &self.slack else {
            return true;
        };
        let w = self.f.makespan;
        let first = starts.iter().copied().min().unwrap_or(c);
        let lo = if c > w { first.min(w + 1) } else { first };
        let hi = w.max(c).min(self.f.horizon);
        let mut bounds: Vec<u32> = starts.iter().copied().filter(|&x| x > lo).collect();
        bounds.push(lo);
        bounds.push(hi + 1);
        bounds.sort_unstable();
        bounds.dedup();
        for pair in bounds.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            for (r, table) in slack.iter().enumerate() {
                let add: f64 = mem
                    .iter()
                    .zip(starts)
                    .filter(|&(_, &st)| st <= a)
                    .map(|(m, _)| m.res[r])
                    .sum();
                if table.min(a as usize, b as usize - 1) < add {
                    return false;
                }
            }
        }
        true
    }
}

/// Sparse table: minimum of `vals[i..=j]` in O(1) after O(n log n) set-up.
struct RangeMin {
    rows: Vec<Vec<f64>>,
}

impl RangeMin {
    fn new(vals: &[f64]) -> Self {
        let mut rows = vec![vals.to_vec()];
        let mut k = 1;
        while 2 * k <= vals.len() {
            let prev = &rows[rows.len() - 1];
            let next = (0..=vals.len() - 2 * k)
                .map(|i| prev[i].min(prev[i + k]))
                .collect();
            rows.push(next);
            k *= 2;
        }
        Self { rows }
    }

    /// Minimum over `i..=j` (`i <= j`).
    fn min(&self, i: usize, j: usize) -> f64 {
        let level = (j - i + 1).ilog2() as usize;
        let row = &self.rows[level];
        row[i].min(row[j + 1 - (1 << level)])
    }
}

/// Union-find with path halving; the smaller index becomes the root.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, pairs, want};
    use super::super::verify;
    use super::*;
    use crate::model::{CutoverCap, DateRange, Freeze, ServiceId, TargetStep};
    use jiff::civil::date;

    fn placeable(fx: &Fx, starts: &[(&str, u32)]) -> Vec<(String, Option<u32>)> {
        verify(&fx.inv, &fx.sc, &fx.plan(starts))
            .into_iter()
            .filter(|b| b.rule == "unscheduled.placeable")
            .map(|b| (b.service.map(|s| s.to_string()).unwrap_or_default(), b.wave))
            .collect()
    }

    fn two() -> Fx {
        let mut fx = Fx::new();
        fx.svc("a");
        fx.svc("b");
        fx
    }

    #[test]
    fn an_unscheduled_service_that_fits_is_a_breach() {
        let fx = two();
        let b = verify(&fx.inv, &fx.sc, &fx.plan(&[("a", 1)]));
        assert_eq!(pairs(&b), want(&[("unscheduled.placeable", Some("b"))]));
        assert_eq!(b[0].wave, Some(1));
        assert!(
            b[0].message.starts_with("b could cut over in wave 1"),
            "{}",
            b[0].message
        );
    }

    #[test]
    fn capacity_calendar_and_horizon_keep_it_out() {
        let mut fx = two();
        fx.sc.calendar.max_waves = 2;
        fx.sc.capacity.cutovers = CutoverCap {
            ramp: vec![Some(1)],
        };
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(2))]);
        let range = DateRange {
            from: date(2019, 1, 21),
            to: date(2019, 1, 21),
        };
        fx.sc.calendar.freezes.push(Freeze { name: None, range });
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
        fx.sc.calendar.freezes.clear();
        fx.sc.calendar.today = Some(date(2019, 1, 22));
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
    }

    #[test]
    fn team_and_transfer_loads_count_the_existing_plan() {
        let mut fx = two();
        fx.sc.calendar.max_waves = 1;
        fx.get("a").effort.insert("dba".to_owned(), 3.0);
        fx.get("b").effort.insert("dba".to_owned(), 2.0);
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(5.0));
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(1))]);
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(4.0));
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
        fx.sc.capacity.teams.clear();
        fx.get("a").data_gib = 3.0;
        fx.get("b").data_gib = 2.0;
        fx.sc.capacity.transfer_gib = Some(4.0);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
    }

    #[test]
    fn per_department_override_counts() {
        let mut fx = two();
        fx.sc.calendar.max_waves = 1;
        fx.inv.departments[0].max_cutovers_per_wave = Some(crate::model::Limit::At(1));
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
        fx.get("b").department = DeptIx::new(1);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(1))]);
    }

    #[test]
    fn target_is_checked_up_to_the_grown_makespan() {
        let mut fx = two();
        fx.get("a").resources.vcpu = 10.0;
        fx.get("b").resources.vcpu = 1.0;
        let step = TargetStep {
            from: date(2019, 1, 1),
            vcpu: Some(10.0),
            memory_gib: None,
            storage_gib: None,
        };
        fx.sc.capacity.target = Some(vec![step.clone()]);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
        // more room from wave 3 on: b fits there, growing the makespan
        let more = TargetStep {
            from: date(2019, 2, 4),
            vcpu: Some(11.0),
            ..step.clone()
        };
        fx.sc.capacity.target = Some(vec![step.clone(), more]);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(3))]);
        // b starting in wave 3 would still be counted in every later wave of the plan
        fx.svc("c");
        let less = TargetStep {
            from: date(2019, 3, 4),
            vcpu: Some(10.0),
            ..step.clone()
        };
        let more = TargetStep {
            from: date(2019, 2, 4),
            vcpu: Some(11.0),
            ..step.clone()
        };
        fx.sc.capacity.target = Some(vec![step, more, less]);
        assert_eq!(placeable(&fx, &[("a", 1), ("c", 6)]), vec![]);
    }

    #[test]
    fn edges_to_scheduled_services_bound_the_wave() {
        let mut fx = two();
        fx.dep("b", "a", Some(Order::StrictlyBefore), false);
        fx.sc.calendar.max_waves = 3;
        assert_eq!(placeable(&fx, &[("a", 2)]), vec![("b".to_owned(), Some(3))]);
        assert_eq!(placeable(&fx, &[("a", 3)]), vec![]);
        let mut fx = two();
        fx.dep("a", "b", Some(Order::StrictlyBefore), false);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
    }

    #[test]
    fn an_ordered_edge_to_another_unscheduled_service_blocks() {
        let mut fx = two();
        fx.svc("c").not_before = Some(date(2030, 1, 1));
        fx.dep("b", "c", None, false);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
        fx.get("b").depends_on[0].order = Some(Order::Any);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(1))]);
    }

    #[test]
    fn classes_are_tried_whole() {
        let mut fx = Fx::new();
        fx.svc("a").duration_waves = 2;
        fx.svc("b");
        fx.svc("c").move_group = Some("g".to_owned());
        fx.svc("d").move_group = Some("g".to_owned());
        fx.dep("a", "b", None, true);
        fx.get("c").not_before = Some(date(2030, 1, 1));
        let b = verify(&fx.inv, &fx.sc, &fx.plan(&[]));
        assert_eq!(pairs(&b), want(&[("unscheduled.placeable", Some("a"))]));
        assert_eq!(b[0].wave, Some(2));
        assert!(
            b[0].message.contains("(together with b)"),
            "{}",
            b[0].message
        );
    }

    #[test]
    fn pins_and_the_critical_rule_bound_the_wave() {
        let mut fx = two();
        fx.sc.pins.insert(ServiceId::new("b"), 4);
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(4))]);
        fx.sc.pins.clear();
        fx.get("b").criticality = Criticality::Critical;
        fx.sc.rules.critical_not_before_wave = 5;
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![("b".to_owned(), Some(5))]);
        fx.get("b").deadline = Some(date(2019, 3, 1));
        assert_eq!(placeable(&fx, &[("a", 1)]), vec![]);
    }

    #[test]
    fn range_min_matches_brute_force() {
        let vals: Vec<f64> = (0..37).map(|i| f64::from((i * 7919) % 23)).collect();
        let t = RangeMin::new(&vals);
        for i in 0..vals.len() {
            for j in i..vals.len() {
                let brute = vals[i..=j].iter().copied().fold(f64::INFINITY, f64::min);
                assert_eq!(t.min(i, j), brute);
            }
        }
    }
}
