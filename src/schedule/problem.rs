//! The dense scheduling problem: units, their precedence DAG, static windows, calendar and
//! capacities, all as flat vectors indexed by unit, resource and wave.
//!
//! Owns the translation of SPEC 4 from the model into numbers the search can test quickly.
//! Must not search, build plans or format reasons (see `diagnose`).

use std::collections::BTreeMap;

use crate::graph::CutoverUnits;
use crate::model::{Criticality, Inventory, Order, Scenario, ServiceIx, TargetInForce};

/// "No index": unscheduled, unlimited, not migrating, in production.
pub(crate) const NONE: u32 = u32::MAX;

/// Relative slack SPEC 4 grants a load against a capacity; a hair under 1e-6 so float sums
/// that differ in the last bits from the checker's never step over its line.
const TOL: f64 = 1e-6 * (1.0 - 1e-9);

/// A capacity with the SPEC's tolerance added.
pub(crate) fn with_tol(cap: f64) -> f64 {
    cap + TOL * cap.abs().max(1.0)
}

/// A migrating service inside a unit.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    /// Inventory index.
    pub svc: ServiceIx,
    /// `duration_waves`.
    pub d: u32,
    /// Row of [`Problem::cal_pre`] for its department.
    pub cal: u32,
}

/// Services that must share one cutover wave.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// Members, in inventory order.
    pub members: Vec<Member>,
    /// Longest member duration: the unit occupies `c - dur + 1 ..= c`.
    pub dur: u32,
    /// Earliest cutover allowed by windows, pins and wave 1 (ignores calendar and capacity).
    pub lo: u32,
    /// Latest cutover allowed by windows, pins and the horizon.
    pub hi: u32,
    /// The pinned cutover, if any member is pinned.
    pub pin: Option<u32>,
    /// Per-wave loads: (offset k for wave `c - k`, renewable resource, amount).
    pub ren: Vec<(u32, u32, f64)>,
    /// Cutovers it adds to its cutover wave.
    pub cuts: u32,
    /// (capped department, cutovers) it adds to its cutover wave.
    pub depts: Vec<(u32, u32)>,
    /// Target resources by start offset (start = `c - offset`), start ascending.
    pub tgt: Vec<(u32, [f64; 3])>,
    /// A strictly-before edge inside the unit (the loader should have rejected it).
    pub self_strict: bool,
}

/// What a renewable resource is, for reasons and rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Renewable {
    /// `capacity.transfer_gib`.
    Transfer,
    /// `capacity.teams.<name>`.
    Team(String),
}

/// An edge counted in the split cost, between units (or a unit and production).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SplitEdge {
    /// Unit of one end.
    pub a: u32,
    /// Unit of the other end, or [`NONE`] when it is in production (cutover 0).
    pub b: u32,
    /// Traffic weight.
    pub traffic: f64,
}

/// The scheduling problem in dense form.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// Horizon: `max_waves`, or fewer when no schedule the search can build needs more
    /// (see [`Problem::needed_horizon`]); every per-wave array is sized by it.
    pub h: u32,
    /// The calendar's `max_waves`, for messages (`h` may be smaller).
    pub max_waves: u32,
    /// Units.
    pub units: Vec<Unit>,
    /// Unit of each inventory service; [`NONE`] when it does not migrate.
    pub unit_of: Vec<u32>,
    /// Predecessors (unit, lag): `c(u) >= c(p) + lag`. CSR over units.
    pub pred_start: Vec<usize>,
    /// See `pred_start`.
    pub pred: Vec<(u32, u32)>,
    /// Successors (unit, lag): `c(s) >= c(u) + lag`. CSR over units.
    pub succ_start: Vec<usize>,
    /// See `succ_start`.
    pub succ: Vec<(u32, u32)>,
    /// Units in a topological order of the precedence DAG.
    pub topo: Vec<u32>,
    /// Earliest cutover by precedence and windows alone.
    pub ec: Vec<u32>,
    /// Latest cutover by precedence and windows alone (may be below `ec` when impossible).
    pub lc: Vec<u32>,
    /// Calendar rows: prefix counts of waves a service may not occupy (row 0: no blackouts).
    pub cal_pre: Vec<u32>,
    /// Renewable resources with a capacity.
    pub ren_kind: Vec<Renewable>,
    /// Their capacities, tolerance included.
    pub ren_cap: Vec<f64>,
    /// Cutover limit per wave (index 0 unused), [`NONE`] when unlimited.
    pub cut_cap: Vec<u32>,
    /// Limit of each capped department.
    pub dept_cap: Vec<u32>,
    /// Department index of each capped department.
    pub dept_of_cap: Vec<usize>,
    /// Calendar row of each capped department.
    pub dept_row: Vec<u32>,
    /// First wave that does not start before `today` (1 when there is no `today`).
    pub today_first: u32,
    /// Target capacity per wave (index 0 unused), tolerance included; `None`: no target.
    pub tgt_cap: Option<Vec<[f64; 3]>>,
    /// Edges of the split cost.
    pub split: Vec<SplitEdge>,
    /// Split edges of each unit (other end, traffic). CSR over units.
    pub usplit_start: Vec<usize>,
    /// See `usplit_start`.
    pub usplit: Vec<(u32, f64)>,
}

impl Problem {
    /// Builds the dense problem; inputs are assumed validated.
    pub(crate) fn new(inv: &Inventory, sc: &Scenario) -> Self {
        Self::with_floor(inv, sc, 0)
    }

    /// This problem with units pinned to the given cutovers (`(unit, wave)`), as if the
    /// scenario pinned them: re-planning keeps part of an earlier plan that way.
    pub(crate) fn pinned(&self, pins: &[(usize, u32)]) -> Self {
        let mut pb = self.clone();
        for &(u, c) in pins {
            let unit = &mut pb.units[u];
            unit.pin = Some(c);
            unit.lo = unit.lo.max(c);
            unit.hi = unit.hi.min(c);
        }
        let (ec, lc) = windows(
            &pb.units,
            &pb.topo,
            (&pb.pred_start, &pb.pred),
            (&pb.succ_start, &pb.succ),
        );
        pb.ec = ec;
        pb.lc = lc;
        pb
    }

    /// [`Problem::new`] with a horizon of at least `floor` waves (a start plan's last wave),
    /// so that a plan being kept is not cut short.
    ///
    /// Per-wave arrays cost memory and time on every schedule, so they are sized by the
    /// waves a schedule can need, not by `max_waves`, which a planner may set to 10,000 to
    /// mean "no limit".
    pub(crate) fn with_floor(inv: &Inventory, sc: &Scenario, floor: u32) -> Self {
        let full = sc.calendar.max_waves.max(1);
        let pb = Self::build(inv, sc, full);
        let need = pb.needed_horizon(floor).min(full);
        if need >= full {
            return pb;
        }
        let mut pb = Self::build(inv, sc, need);
        pb.max_waves = full;
        pb
    }

    /// A wave by which every unit that can be placed at all is placed by the search, when
    /// units already placed (a start plan) lie within `floor`.
    ///
    /// After the last wave where the calendar or a capacity changes, or a start plan ends
    /// (`t`), every wave is alike; a unit placed in a precedence order at its earliest fitting wave fits at
    /// `max(t, last placed) + lag + dur` if it fits anywhere later, because there the waves
    /// it occupies are empty and the target use is already everything placed. So no unit
    /// ever needs a wave past `t` plus the sum of every unit's duration and largest lag.
    pub(crate) fn needed_horizon(&self, floor: u32) -> u32 {
        let h = self.h as usize;
        let mut t = u64::from(self.today_first.max(floor));
        let last_change = |len: usize, differs: &dyn Fn(usize) -> bool| -> u64 {
            (2..len).rev().find(|&w| differs(w)).unwrap_or(0) as u64
        };
        let stride = h + 1;
        for row in self.cal_pre.chunks(stride) {
            t = t.max(last_change(row.len(), &|w| row[w] != row[w - 1]));
        }
        t = t.max(last_change(h + 1, &|w| {
            self.cut_cap[w] != self.cut_cap[w - 1]
        }));
        if let Some(caps) = &self.tgt_cap {
            t = t.max(last_change(h + 1, &|w| caps[w] != caps[w - 1]));
        }
        let mut sum = 0u64;
        for (u, unit) in self.units.iter().enumerate() {
            t = t.max(u64::from(unit.lo));
            let lag = self.preds(u).iter().map(|&(_, l)| l).max().unwrap_or(0);
            sum += u64::from(unit.dur) + u64::from(lag);
        }
        u32::try_from(t + sum + 1).unwrap_or(u32::MAX)
    }

    /// Builds the dense problem with horizon `h`.
    pub(crate) fn build(inv: &Inventory, sc: &Scenario, h: u32) -> Self {
        let n_svc = inv.services.len();
        let mig: Vec<ServiceIx> = inv.migrating().collect();
        let order = sc.rules.dependency_order;

        // Units: services that must share a cutover wave (the rule lives in `graph`).
        let cut = CutoverUnits::of(inv, order, &mig);
        let n_units = cut.count();
        let comp = cut.into_units();
        let mut unit_of = vec![NONE; n_svc];
        for (i, &s) in mig.iter().enumerate() {
            unit_of[s] = comp[i];
        }

        let cal = CalendarRows::new(inv, sc, h);
        let (ren_kind, ren_cap, team_ix) = renewables(sc);
        let dept_caps: Vec<Option<u32>> = inv
            .departments
            .iter()
            .map(|d| d.cutover_limit(&sc.capacity))
            .collect();
        let mut dept_cix = vec![NONE; inv.departments.len()];
        let mut dept_cap = Vec::new();
        let mut dept_of_cap = Vec::new();
        for (d, cap) in dept_caps.iter().enumerate() {
            if let Some(c) = cap {
                dept_cix[d] = dept_cap.len() as u32;
                dept_cap.push(*c);
                dept_of_cap.push(d);
            }
        }

        let mut units: Vec<Unit> = (0..n_units)
            .map(|_| Unit {
                members: Vec::new(),
                dur: 1,
                lo: 1,
                hi: h,
                pin: None,
                ren: Vec::new(),
                cuts: 0,
                depts: Vec::new(),
                tgt: Vec::new(),
                self_strict: false,
            })
            .collect();
        let transfer_ix = ren_kind.iter().position(|k| *k == Renewable::Transfer);
        for &s in &mig {
            let svc = &inv.services[s];
            let u = &mut units[unit_of[s] as usize];
            let d = svc.duration_waves.max(1);
            u.members.push(Member {
                svc: s,
                d,
                cal: cal.row_of_dept[svc.department],
            });
            u.dur = u.dur.max(d);
            let (lo, hi) = service_window(sc, svc, d, h);
            u.lo = u.lo.max(lo);
            u.hi = u.hi.min(hi);
            if let Some(&p) = sc.pins.get(&svc.id) {
                u.pin = Some(p);
                u.lo = u.lo.max(p);
                u.hi = u.hi.min(p);
            }
            u.cuts += 1;
            let dc = dept_cix.get(svc.department.pos()).copied().unwrap_or(NONE);
            if dc != NONE {
                match u.depts.iter_mut().find(|(x, _)| *x == dc) {
                    Some(e) => e.1 += 1,
                    None => u.depts.push((dc, 1)),
                }
            }
            u.ren.extend(
                service_loads(svc, transfer_ix, &team_ix)
                    .into_iter()
                    .map(|l| (l.offset, l.resource, l.amount)),
            );
            let res = [
                svc.resources.vcpu,
                svc.resources.memory_gib,
                svc.resources.storage_gib,
            ];
            if res.iter().any(|&x| x > 0.0) {
                u.tgt.push((d - 1, res));
            }
        }
        for u in &mut units {
            merge_ren(&mut u.ren);
            merge_tgt(&mut u.tgt);
        }

        // Precedence between units, with lags; the largest lag per pair wins.
        let mut parcs: Vec<(u32, u32, u32)> = Vec::new(); // (unit, pred unit, lag)
        for &s in &mig {
            let svc = &inv.services[s];
            for e in &svc.depends_on {
                let ub = unit_of.get(e.target.pos()).copied().unwrap_or(NONE);
                if ub == NONE {
                    continue;
                }
                let ua = unit_of[s];
                let lag = match e.effective_order(order) {
                    Order::Any => continue,
                    Order::TogetherOrBefore => 0,
                    Order::StrictlyBefore => svc.duration_waves.max(1),
                };
                if ua == ub {
                    if lag > 0 {
                        units[ua as usize].self_strict = true;
                    }
                    continue;
                }
                parcs.push((ua, ub, lag));
            }
        }
        parcs.sort_unstable_by_key(|x| (x.0, x.1, std::cmp::Reverse(x.2)));
        parcs.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
        let (pred_start, pred) = weighted_csr(n_units, parcs.iter().map(|&(a, b, l)| (a, b, l)));
        let mut sarcs: Vec<(u32, u32, u32)> = parcs.iter().map(|&(a, b, l)| (b, a, l)).collect();
        sarcs.sort_unstable();
        let (succ_start, succ) = weighted_csr(n_units, sarcs.into_iter());
        let topo = topo_order(n_units, &pred_start, &succ_start, &succ);
        let (ec, lc) = windows(&units, &topo, (&pred_start, &pred), (&succ_start, &succ));

        let cut_cap = (0..=h)
            .map(|w| {
                if w == 0 {
                    NONE
                } else {
                    sc.capacity.cutovers.limit(w).unwrap_or(NONE)
                }
            })
            .collect();
        let tgt_cap = target_caps(sc, h);

        let (split, usplit_start, usplit) = split_edges(inv, &unit_of, n_units);

        Self {
            h,
            max_waves: h,
            units,
            unit_of,
            pred_start,
            pred,
            succ_start,
            succ,
            topo,
            ec,
            lc,
            cal_pre: cal.pre,
            ren_kind,
            ren_cap,
            cut_cap,
            dept_cap,
            dept_row: dept_of_cap.iter().map(|&d| cal.row_of_dept[d]).collect(),
            dept_of_cap,
            today_first: sc
                .calendar
                .today
                .map_or(1, |t| sc.calendar.first_wave_starting_on_or_after(t)),
            tgt_cap,
            split,
            usplit_start,
            usplit,
        }
    }

    /// Number of units.
    pub(crate) fn n(&self) -> usize {
        self.units.len()
    }

    /// Predecessors of unit `u` as (unit, lag).
    pub(crate) fn preds(&self, u: usize) -> &[(u32, u32)] {
        &self.pred[self.pred_start[u]..self.pred_start[u + 1]]
    }

    /// Successors of unit `u` as (unit, lag).
    pub(crate) fn succs(&self, u: usize) -> &[(u32, u32)] {
        &self.succ[self.succ_start[u]..self.succ_start[u + 1]]
    }

    /// Split edges of unit `u` as (other unit or [`NONE`] for production, traffic).
    pub(crate) fn unit_split(&self, u: usize) -> &[(u32, f64)] {
        &self.usplit[self.usplit_start[u]..self.usplit_start[u + 1]]
    }

    /// Whether every member may occupy its waves when the unit cuts over in `c` (calendar
    /// only: freezes, blackouts, today; `c` must be within the horizon).
    #[inline]
    pub(crate) fn calendar_ok(&self, u: &Unit, c: u32) -> bool {
        let stride = self.h as usize + 1;
        u.members.iter().all(|m| {
            if c < m.d || c > self.h {
                return false;
            }
            let row = m.cal as usize * stride;
            self.cal_pre[row + c as usize] == self.cal_pre[row + (c - m.d) as usize]
        })
    }

    /// Split cost of cutovers `cut` (0 = unscheduled) per SPEC 5.
    pub(crate) fn split_cost(&self, cut: &[u32]) -> f64 {
        let mut total = 0.0;
        for e in &self.split {
            let ca = cut[e.a as usize];
            if ca == 0 {
                continue;
            }
            let cb = if e.b == NONE {
                0
            } else {
                let cb = cut[e.b as usize];
                if cb == 0 {
                    continue;
                }
                cb
            };
            total += e.traffic * f64::from(ca.abs_diff(cb));
        }
        total
    }

    /// Services in unit `u`.
    pub(crate) fn size(&self, u: usize) -> u32 {
        self.units[u].members.len() as u32
    }

    /// One service's loads on this problem's renewable resources (as in its unit's `ren`).
    pub(crate) fn loads_of(&self, svc: &crate::model::Service) -> Vec<Load> {
        let transfer_ix = self.ren_kind.iter().position(|k| *k == Renewable::Transfer);
        let team_ix: BTreeMap<&str, u32> = self
            .ren_kind
            .iter()
            .enumerate()
            .filter_map(|(r, k)| match k {
                Renewable::Team(t) => Some((t.as_str(), r as u32)),
                Renewable::Transfer => None,
            })
            .collect();
        service_loads(svc, transfer_ix, &team_ix)
    }
}

/// A service's use of one renewable resource in one of the waves it occupies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load {
    /// Offset k: the wave `cutover - k`.
    pub offset: u32,
    /// Renewable resource.
    pub resource: u32,
    /// Amount in that wave (the total divided by `duration_waves`, SPEC 4.3).
    pub amount: f64,
    /// Whether it is data transfer (else team effort).
    pub data: bool,
}

/// A service's per-wave loads on the renewable resources with a capacity.
fn service_loads(
    svc: &crate::model::Service,
    transfer_ix: Option<usize>,
    team_ix: &BTreeMap<&str, u32>,
) -> Vec<Load> {
    let d = svc.duration_waves.max(1);
    let df = f64::from(d);
    let mut out = Vec::new();
    for offset in 0..d {
        if let Some(r) = transfer_ix
            && svc.data_gib > 0.0
        {
            out.push(Load {
                offset,
                resource: r as u32,
                amount: svc.data_gib / df,
                data: true,
            });
        }
        for (team, &amount) in &svc.effort {
            if amount > 0.0
                && let Some(&r) = team_ix.get(team.as_str())
            {
                out.push(Load {
                    offset,
                    resource: r,
                    amount: amount / df,
                    data: false,
                });
            }
        }
    }
    out
}

/// Earliest and latest cutover of one service from start >= 1, not_before, critical rule,
/// deadline, decommission date and the horizon.
pub(crate) fn service_window(
    sc: &Scenario,
    svc: &crate::model::Service,
    d: u32,
    h: u32,
) -> (u32, u32) {
    let cal = &sc.calendar;
    let mut lo = d;
    if let Some(nb) = svc.not_before {
        lo = lo.max(cal.earliest_cutover(nb, d));
    }
    if svc.criticality == Criticality::Critical {
        lo = lo.max(sc.rules.critical_not_before_wave);
    }
    let mut hi = h;
    for day in [svc.deadline, sc.decommission_by(svc.site)]
        .into_iter()
        .flatten()
    {
        hi = hi.min(cal.last_wave_ending_on_or_before(day));
    }
    (lo, hi)
}

/// The waves `[first, last]` (clamped to `1..=h`) that overlap a date range.
pub(crate) fn waves_overlapping(
    cal: &crate::model::Calendar,
    r: &crate::model::DateRange,
    h: u32,
) -> Option<(u32, u32)> {
    let len = i64::from(cal.wave_length_days.max(1));
    let a = cal.day_of(r.from).div_euclid(len) + 1;
    let b = cal.day_of(r.to).div_euclid(len) + 1;
    let a = a.max(1);
    let b = b.min(i64::from(h));
    (a <= b).then_some((a as u32, b as u32))
}

/// Calendar rows: row 0 holds freezes and `today`; each department with blackouts gets its own.
struct CalendarRows {
    pre: Vec<u32>,
    row_of_dept: Vec<u32>,
}

impl CalendarRows {
    fn new(inv: &Inventory, sc: &Scenario, h: u32) -> Self {
        let cal = &sc.calendar;
        let stride = h as usize + 1;
        let mut global = vec![false; stride];
        for f in &cal.freezes {
            if let Some((a, b)) = waves_overlapping(cal, &f.range, h) {
                global[a as usize..=b as usize]
                    .iter_mut()
                    .for_each(|x| *x = true);
            }
        }
        if let Some(today) = cal.today {
            // A wave whose first day is before today may not be occupied.
            let first_ok = cal.first_wave_starting_on_or_after(today).min(h + 1);
            global[1..first_ok as usize]
                .iter_mut()
                .for_each(|x| *x = true);
        }
        let mut rows = vec![global.clone()];
        let mut row_of_dept = vec![0u32; inv.departments.len()];
        for (d, dept) in inv.departments.iter().enumerate() {
            let mut row = global.clone();
            let mut any = false;
            for b in &dept.blackouts {
                if let Some((a, z)) = waves_overlapping(cal, &b.range, h) {
                    row[a as usize..=z as usize]
                        .iter_mut()
                        .for_each(|x| *x = true);
                    any = true;
                }
            }
            if any {
                row_of_dept[d] = rows.len() as u32;
                rows.push(row);
            }
        }
        let mut pre = Vec::with_capacity(rows.len() * stride);
        for row in &rows {
            let mut acc = 0u32;
            for (w, &bad) in row.iter().enumerate() {
                if w > 0 && bad {
                    acc += 1;
                }
                pre.push(acc);
            }
        }
        Self { pre, row_of_dept }
    }
}

/// Capped renewable resources: transfer first (if capped), then capped teams by name.
fn renewables(sc: &Scenario) -> (Vec<Renewable>, Vec<f64>, BTreeMap<&str, u32>) {
    let mut kind = Vec::new();
    let mut cap = Vec::new();
    let mut team_ix = BTreeMap::new();
    if let Some(t) = sc.capacity.transfer_gib {
        kind.push(Renewable::Transfer);
        cap.push(with_tol(t));
    }
    for (name, c) in &sc.capacity.teams {
        if let Some(c) = c {
            team_ix.insert(name.as_str(), kind.len() as u32);
            kind.push(Renewable::Team(name.clone()));
            cap.push(with_tol(*c));
        }
    }
    (kind, cap, team_ix)
}

fn merge_ren(v: &mut Vec<(u32, u32, f64)>) {
    v.sort_by_key(|a| (a.0, a.1));
    let mut out: Vec<(u32, u32, f64)> = Vec::with_capacity(v.len());
    for &(k, r, a) in v.iter() {
        match out.last_mut() {
            Some(last) if last.0 == k && last.1 == r => last.2 += a,
            _ => out.push((k, r, a)),
        }
    }
    *v = out;
}

fn merge_tgt(v: &mut Vec<(u32, [f64; 3])>) {
    // Start ascending means offset descending.
    v.sort_by_key(|a| std::cmp::Reverse(a.0));
    let mut out: Vec<(u32, [f64; 3])> = Vec::with_capacity(v.len());
    for &(k, r) in v.iter() {
        match out.last_mut() {
            Some(last) if last.0 == k => {
                for (x, y) in last.1.iter_mut().zip(r) {
                    *x += y;
                }
            }
            _ => out.push((k, r)),
        }
    }
    *v = out;
}

fn weighted_csr(
    n: usize,
    arcs: impl Iterator<Item = (u32, u32, u32)>,
) -> (Vec<usize>, Vec<(u32, u32)>) {
    let arcs: Vec<(u32, u32, u32)> = arcs.collect();
    let mut start = vec![0usize; n + 1];
    for &(a, _, _) in &arcs {
        start[a as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut out = vec![(0u32, 0u32); arcs.len()];
    for &(a, b, l) in &arcs {
        out[fill[a as usize]] = (b, l);
        fill[a as usize] += 1;
    }
    (start, out)
}

/// Kahn's algorithm with smallest-index-first ties (deterministic).
fn topo_order(
    n: usize,
    pred_start: &[usize],
    succ_start: &[usize],
    succ: &[(u32, u32)],
) -> Vec<u32> {
    let mut indeg: Vec<usize> = (0..n).map(|u| pred_start[u + 1] - pred_start[u]).collect();
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<u32>> = (0..n as u32)
        .filter(|&u| indeg[u as usize] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut out = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(u)) = heap.pop() {
        out.push(u);
        for &(s, _) in &succ[succ_start[u as usize]..succ_start[u as usize + 1]] {
            indeg[s as usize] -= 1;
            if indeg[s as usize] == 0 {
                heap.push(std::cmp::Reverse(s));
            }
        }
    }
    out
}

/// Target capacity per wave: the step in force on the wave's start date, zero before the
/// first step, unlimited for a resource the step leaves out.
fn target_caps(sc: &Scenario, h: u32) -> Option<Vec<[f64; 3]>> {
    sc.capacity.target.as_ref()?;
    let mut caps = vec![[f64::INFINITY; 3]; h as usize + 2];
    for (w, cap) in caps.iter_mut().enumerate().take(h as usize + 1).skip(1) {
        let day = sc.calendar.wave_start(w as u32);
        *cap = sc
            .capacity
            .target_step(day)
            .map_or([None; 3], TargetInForce::caps)
            .map(|x| x.map_or(f64::INFINITY, with_tol));
    }
    Some(caps)
}

/// Split-cost edges (SPEC 5): ends scheduled or in production, not both in production,
/// neither retained nor retired; in-unit edges always cost 0 and are left out.
fn split_edges(
    inv: &Inventory,
    unit_of: &[u32],
    n_units: usize,
) -> (Vec<SplitEdge>, Vec<usize>, Vec<(u32, f64)>) {
    use crate::model::Strategy;
    let end = |s: ServiceIx| -> Option<u32> {
        let svc = &inv.services[s];
        if matches!(svc.strategy, Strategy::Retire | Strategy::Retain) {
            return None;
        }
        if unit_of[s] != NONE {
            Some(unit_of[s])
        } else if svc.in_production() {
            Some(NONE)
        } else {
            None
        }
    };
    let mut edges = Vec::new();
    for (a, svc) in inv.indexed() {
        for e in &svc.depends_on {
            if e.target.pos() >= inv.services.len() {
                continue;
            }
            let (Some(ua), Some(ub)) = (end(a), end(e.target)) else {
                continue;
            };
            if ua == ub {
                continue; // same unit (cost 0) or both in production (not counted)
            }
            let (a, b) = if ua == NONE { (ub, ua) } else { (ua, ub) };
            edges.push(SplitEdge {
                a,
                b,
                traffic: e.traffic,
            });
        }
    }
    let mut per: Vec<(u32, u32, f64)> = Vec::with_capacity(edges.len() * 2);
    for e in &edges {
        per.push((e.a, e.b, e.traffic));
        if e.b != NONE {
            per.push((e.b, e.a, e.traffic));
        }
    }
    per.sort_by_key(|x| (x.0, x.1));
    let mut start = vec![0usize; n_units + 1];
    for &(a, _, _) in &per {
        start[a as usize + 1] += 1;
    }
    for i in 0..n_units {
        start[i + 1] += start[i];
    }
    let list = per.into_iter().map(|(_, b, t)| (b, t)).collect();
    (edges, start, list)
}

/// Earliest and latest cutover of each unit by precedence and windows alone.
fn windows(
    units: &[Unit],
    topo: &[u32],
    (pred_start, pred): (&[usize], &[(u32, u32)]),
    (succ_start, succ): (&[usize], &[(u32, u32)]),
) -> (Vec<u32>, Vec<u32>) {
    let n = units.len();
    let mut ec = vec![0u32; n];
    for &u in topo {
        let u = u as usize;
        let mut e = units[u].lo.max(units[u].dur);
        for &(p, lag) in &pred[pred_start[u]..pred_start[u + 1]] {
            e = e.max(ec[p as usize].saturating_add(lag));
        }
        ec[u] = e;
    }
    let mut lc = vec![0u32; n];
    for &u in topo.iter().rev() {
        let u = u as usize;
        let mut l = units[u].hi;
        for &(q, lag) in &succ[succ_start[u]..succ_start[u + 1]] {
            l = l.min(lc[q as usize].saturating_sub(lag));
        }
        lc[u] = l;
    }
    (ec, lc)
}
