//! `waveplan explain`: why a scheduled service is in its wave.
//!
//! An independent rule evaluator over model types (it never calls the scheduler): the
//! service moves, with the services that must share its cutover (move group, latency-
//! sensitive links, cycles: the graph's units), to each earlier cutover wave while every
//! other placement stays as the plan has it, and every hard rule of SPEC 4 is re-checked for
//! that move. The binding rule is the one whose relaxation frees the earliest wave; the wave
//! given for it is recomputed by evaluating again with that rule switched off.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::graph::DependencyGraph;
use crate::model::{
    Criticality, CutoverCap, DeptIx, Inventory, Order, Plan, Scenario, ServiceId, ServiceIx,
};

/// One rule a move would break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// SPEC 4 rule name (`capacity.teams.dba`, `edge.together-or-before`, ...).
    pub rule: String,
    /// What would break, with the numbers.
    pub detail: String,
}

/// The rules a move to one earlier cutover wave would break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveCheck {
    /// The cutover wave tried.
    pub wave: u32,
    /// What would break there (empty: the move is allowed).
    pub findings: Vec<Finding>,
}

/// The outcome of an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// No earlier cutover wave exists: the duration already reaches back to wave 1.
    Earliest,
    /// An earlier wave breaks no rule: nothing binds it there.
    Slack {
        /// The earliest such wave.
        wave: u32,
    },
    /// Rules bind it: with `rules` relaxed it could cut over in `earliest`.
    Bound {
        /// The binding rule (one, or the smallest set when no single rule frees a wave).
        rules: Vec<String>,
        /// The earliest cutover wave with those rules relaxed.
        earliest: u32,
        /// Other single rules whose relaxation also frees a wave, with that wave.
        alternatives: Vec<(String, u32)>,
    },
}

/// Why a service is in its wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The service.
    pub service: ServiceId,
    /// The services that move with it (itself included), sorted.
    pub unit: Vec<ServiceId>,
    /// Its start wave.
    pub start_wave: u32,
    /// Its cutover wave.
    pub cutover_wave: u32,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Every earlier cutover wave tried, latest first.
    pub checks: Vec<WaveCheck>,
}

/// The plan as it stands, with the unit taken out, ready for trial moves.
pub struct World<'a> {
    inv: &'a Inventory,
    sc: &'a Scenario,
    /// (start, cutover) per service.
    place: Vec<Option<(u32, u32)>>,
    /// Incoming edges: (A, index of the edge in A's `depends_on`).
    rev: Vec<Vec<(ServiceIx, usize)>>,
    unit: Vec<ServiceIx>,
    in_unit: Vec<bool>,
    cutovers: Vec<u32>,
    dept_cutovers: HashMap<(u32, DeptIx), u32>,
    transfer: Vec<f64>,
    teams: BTreeMap<String, Vec<f64>>,
    started: Vec<[f64; 3]>,
    others_makespan: u32,
    /// The target capacity per wave and resource (`None`: unlimited); empty without targets.
    target_cap: Vec<[Option<f64>; 3]>,
    /// Per resource, the first wave at or after each wave where the whole unit would not fit
    /// beside the services already started (`u32::MAX`: none), so each trial wave finds its
    /// breach without rescanning the calendar: rescanning made a late cutover quadratic.
    target_next_breach: [Vec<u32>; 3],
    /// Per wave, whether a freeze, a blackout of a unit member's department, `today` or
    /// `max_waves` may touch it: the calendar is checked for every wave of every member's
    /// span at every trial wave, and only these waves need the dates worked out.
    calendar_busy: Vec<bool>,
}

fn within(load: f64, cap: f64) -> bool {
    load <= cap + 1e-6 * cap.max(1.0)
}

fn res3(r: &crate::model::Resources) -> [f64; 3] {
    [r.vcpu, r.memory_gib, r.storage_gib]
}

const RES: [&str; 3] = ["vcpu", "memory_gib", "storage_gib"];

impl<'a> World<'a> {
    /// The plan's placements with `unit` lifted out.
    #[must_use]
    pub fn new(inv: &'a Inventory, sc: &'a Scenario, plan: &Plan, unit: Vec<ServiceIx>) -> Self {
        let n = inv.services.len();
        let ids: HashMap<&str, ServiceIx> = inv
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut place = vec![None; n];
        for ps in &plan.services {
            if let Some(&ix) = ids.get(ps.id.as_str()) {
                place[ix] = Some((ps.start_wave, ps.cutover_wave));
            }
        }
        let mut rev = vec![Vec::new(); n];
        for (a, s) in inv.services.iter().enumerate() {
            for (k, e) in s.depends_on.iter().enumerate() {
                if let Some(r) = rev.get_mut(e.target) {
                    r.push((a, k));
                }
            }
        }
        let mut in_unit = vec![false; n];
        for &u in &unit {
            in_unit[u] = true;
        }
        let horizon = place
            .iter()
            .flatten()
            .map(|p| p.1)
            .max()
            .unwrap_or(0)
            .max(sc.calendar.max_waves) as usize
            + 2;
        let mut w = Self {
            inv,
            sc,
            place,
            rev,
            unit,
            in_unit,
            cutovers: vec![0; horizon],
            dept_cutovers: HashMap::new(),
            transfer: vec![0.0; horizon],
            teams: BTreeMap::new(),
            started: vec![[0.0; 3]; horizon],
            others_makespan: 0,
            target_cap: Vec::new(),
            target_next_breach: [Vec::new(), Vec::new(), Vec::new()],
            calendar_busy: Vec::new(),
        };
        for (ix, s) in inv.services.iter().enumerate() {
            let Some((st, co)) = w.place[ix] else {
                continue;
            };
            if w.in_unit[ix] || co as usize >= horizon || st == 0 {
                continue;
            }
            w.others_makespan = w.others_makespan.max(co);
            w.cutovers[co as usize] += 1;
            *w.dept_cutovers.entry((co, s.department)).or_insert(0) += 1;
            let per = f64::from(s.duration_waves.max(1));
            for k in st..=co {
                w.transfer[k as usize] += s.data_gib / per;
                for (t, v) in &s.effort {
                    w.teams
                        .entry(t.clone())
                        .or_insert_with(|| vec![0.0; horizon])[k as usize] += v / per;
                }
            }
            let r = res3(&s.resources);
            for (acc, v) in w.started[st as usize].iter_mut().zip(r) {
                *acc += v;
            }
        }
        // started[w] becomes the cumulative sum: resources of services started by wave w.
        for k in 1..horizon {
            let prev = w.started[k - 1];
            for (acc, p) in w.started[k].iter_mut().zip(prev) {
                *acc += p;
            }
        }
        w.index_target(horizon);
        w.index_calendar(horizon);
        w
    }

    /// Fills `calendar_busy` over waves `0..horizon`.
    fn index_calendar(&mut self, horizon: usize) {
        let cal = &self.sc.calendar;
        let mut depts: Vec<DeptIx> = self
            .unit
            .iter()
            .map(|&m| self.inv.services[m].department)
            .collect();
        depts.sort_unstable();
        depts.dedup();
        let inv = self.inv;
        self.calendar_busy = (0..horizon)
            .map(|k| {
                let k = u32::try_from(k).unwrap_or(u32::MAX);
                let range = cal.wave_range(k);
                k > cal.max_waves
                    || cal.today.is_some_and(|today| range.from < today)
                    || cal.freezes.iter().any(|f| f.range.overlaps(&range))
                    || depts.iter().any(|&d| {
                        inv.departments
                            .get(d)
                            .is_some_and(|d| d.blackouts.iter().any(|b| b.range.overlaps(&range)))
                    })
            })
            .collect();
    }

    /// Fills `target_cap` and `target_next_breach` over waves `0..horizon`.
    fn index_target(&mut self, horizon: usize) {
        let sc = self.sc;
        if sc.capacity.target.is_none() {
            return;
        }
        self.target_cap = (0..horizon)
            .map(|k| {
                let day = sc.calendar.wave_start(u32::try_from(k).unwrap_or(u32::MAX));
                match sc.capacity.target_step(day) {
                    None => [None; 3],
                    Some(None) => [Some(0.0); 3],
                    Some(Some(step)) => [step.vcpu, step.memory_gib, step.storage_gib],
                }
            })
            .collect();
        let whole = self.unit_resources();
        for (r, next) in self.target_next_breach.iter_mut().enumerate() {
            *next = vec![u32::MAX; horizon + 1];
            for k in (1..horizon).rev() {
                let breach = self.target_cap[k][r].is_some_and(|cap| {
                    whole[r] > 0.0 && !within(self.started[k][r] + whole[r], cap)
                });
                next[k] = if breach {
                    u32::try_from(k).unwrap_or(u32::MAX)
                } else {
                    next[k + 1]
                };
            }
        }
    }

    /// The unit's resources, summed in unit order as `evaluate` sums them.
    fn unit_resources(&self) -> [f64; 3] {
        let mut sum = [0.0; 3];
        for (r, acc) in sum.iter_mut().enumerate() {
            *acc = self
                .unit
                .iter()
                .map(|&m| res3(&self.inv.services[m].resources)[r])
                .sum();
        }
        sum
    }

    fn id(&self, ix: ServiceIx) -> &str {
        self.inv.services[ix].id.as_str()
    }

    fn dept_cap(&self, d: DeptIx) -> Option<u32> {
        match self
            .inv
            .departments
            .get(d)
            .and_then(|d| d.max_cutovers_per_wave)
        {
            Some(x) => x,
            None => self.sc.capacity.per_department,
        }
    }

    /// The earliest cutover wave the unit's durations allow.
    #[must_use]
    pub fn first_wave(&self) -> u32 {
        self.unit
            .iter()
            .map(|&m| self.inv.services[m].duration_waves.max(1))
            .max()
            .unwrap_or(1)
    }

    /// A chain of ordered dependencies from `b`, following the latest-cutting-over link.
    fn chain(&self, b: ServiceIx) -> String {
        let mut out = vec![format!(
            "`{}` (wave {})",
            self.id(b),
            self.place[b].map_or(0, |p| p.1)
        )];
        let mut cur = b;
        for _ in 0..8 {
            let next = self.inv.services[cur]
                .depends_on
                .iter()
                .filter(|e| {
                    e.effective_order(self.sc.rules.dependency_order) != Order::Any
                        || e.latency_sensitive
                })
                .filter_map(|e| self.place[e.target].map(|p| (p.1, e.target)))
                .max_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
            let Some((w, t)) = next else { break };
            out.push(format!("`{}` (wave {w})", self.id(t)));
            cur = t;
        }
        out.join(" → ")
    }

    /// Every rule broken if the unit cut over in wave `c` (each member starting
    /// `duration_waves - 1` waves earlier), all other placements unchanged.
    #[must_use]
    pub fn evaluate(&self, c: u32) -> Vec<Finding> {
        let (inv, sc) = (self.inv, self.sc);
        let cal = &sc.calendar;
        let mut out = Vec::new();
        let mut push = |rule: String, detail: String| out.push(Finding { rule, detail });
        let starts: Vec<u32> = self
            .unit
            .iter()
            .map(|&m| (c + 1).saturating_sub(inv.services[m].duration_waves.max(1)))
            .collect();
        let default = sc.rules.dependency_order;
        for (&m, &st) in self.unit.iter().zip(&starts) {
            let s = &inv.services[m];
            if st == 0 {
                push(
                    "calendar.max_waves".to_owned(),
                    format!(
                        "`{}` needs {} waves before wave {c}",
                        s.id, s.duration_waves
                    ),
                );
                continue;
            }
            // Edges out of the unit.
            for e in &s.depends_on {
                let b = e.target;
                if self.in_unit[b] || !inv.services[b].is_migrating() {
                    continue;
                }
                let Some((_, cb)) = self.place[b] else {
                    continue;
                };
                let order = e.effective_order(default);
                if e.latency_sensitive && cb != c {
                    push(
                        "edge.latency_sensitive".to_owned(),
                        format!("`{}` must cut over with {}", s.id, self.chain(b)),
                    );
                }
                match order {
                    Order::TogetherOrBefore if cb > c => push(
                        "edge.together-or-before".to_owned(),
                        format!("`{}` depends on {}", s.id, self.chain(b)),
                    ),
                    Order::StrictlyBefore if cb >= st => push(
                        "edge.strictly-before".to_owned(),
                        format!(
                            "`{}` would start in wave {st} but depends, strictly before, on {}",
                            s.id,
                            self.chain(b)
                        ),
                    ),
                    _ => {}
                }
            }
            // Edges into the unit.
            for &(a, k) in &self.rev[m] {
                if self.in_unit[a] || !inv.services[a].is_migrating() {
                    continue;
                }
                let Some((sa, ca)) = self.place[a] else {
                    continue;
                };
                let e = &inv.services[a].depends_on[k];
                if e.latency_sensitive && ca != c {
                    push(
                        "edge.latency_sensitive".to_owned(),
                        format!("`{}` (wave {ca}) must cut over with `{}`", self.id(a), s.id),
                    );
                }
                match e.effective_order(default) {
                    Order::TogetherOrBefore if c > ca => push(
                        "edge.together-or-before".to_owned(),
                        format!("`{}` (wave {ca}) depends on `{}`", self.id(a), s.id),
                    ),
                    Order::StrictlyBefore if c >= sa => push(
                        "edge.strictly-before".to_owned(),
                        format!(
                            "`{}` starts in wave {sa} and needs `{}` cut over before",
                            self.id(a),
                            s.id
                        ),
                    ),
                    _ => {}
                }
            }
            // Calendar and windows.
            let dept = &inv.departments[s.department];
            for k in st..=c {
                if !self.calendar_busy.get(k as usize).copied().unwrap_or(true) {
                    continue;
                }
                let range = cal.wave_range(k);
                if let Some(f) = cal.freezes.iter().find(|f| f.range.overlaps(&range)) {
                    push(
                        "calendar.freeze".to_owned(),
                        format!(
                            "wave {k} ({} to {}) overlaps the freeze {}",
                            range.from,
                            range.to,
                            f.name.as_deref().map_or_else(
                                || format!("{} to {}", f.range.from, f.range.to),
                                |n| format!("`{n}`")
                            )
                        ),
                    );
                }
                if let Some(b) = dept.blackouts.iter().find(|b| b.range.overlaps(&range)) {
                    push(
                        "calendar.blackout".to_owned(),
                        format!(
                            "wave {k} overlaps {}'s blackout {} to {}{}",
                            dept.code,
                            b.range.from,
                            b.range.to,
                            b.reason
                                .as_deref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        ),
                    );
                }
                if let Some(today) = cal.today
                    && range.from < today
                {
                    push(
                        "calendar.today".to_owned(),
                        format!("wave {k} starts {} , before today {today}", range.from)
                            .replace(" ,", ","),
                    );
                }
                if k > cal.max_waves {
                    push(
                        "calendar.max_waves".to_owned(),
                        format!("wave {k} is beyond max_waves {}", cal.max_waves),
                    );
                }
            }
            if let Some(nb) = s.not_before
                && cal.wave_start(st) < nb
            {
                push(
                    "window.not_before".to_owned(),
                    format!(
                        "`{}` would start on {}, before its not_before {nb}",
                        s.id,
                        cal.wave_start(st)
                    ),
                );
            }
            if let Some(dl) = s.deadline
                && cal.wave_end(c) > dl
            {
                push(
                    "window.deadline".to_owned(),
                    format!("wave {c} ends after `{}`'s deadline {dl}", s.id),
                );
            }
            if let Some(dl) = sc.decommission_by(s.site)
                && cal.wave_end(c) > dl
            {
                push(
                    "window.decommission_by".to_owned(),
                    format!(
                        "wave {c} ends after {} is decommissioned on {dl}",
                        s.site.as_str()
                    ),
                );
            }
            if s.criticality == Criticality::Critical && c < sc.rules.critical_not_before_wave {
                push(
                    "rules.critical_not_before_wave".to_owned(),
                    format!(
                        "`{}` is critical; critical services cut over from wave {}",
                        s.id, sc.rules.critical_not_before_wave
                    ),
                );
            }
            if let Some(&p) = sc.pins.get(&s.id)
                && p != c
            {
                push(
                    "pin".to_owned(),
                    format!("`{}` is pinned to wave {p}", s.id),
                );
            }
        }
        if starts.contains(&0) {
            return out;
        }
        let ci = c as usize;
        if ci >= self.cutovers.len() {
            return out;
        }
        // Cutover counts.
        let n = u32::try_from(self.unit.len()).unwrap_or(u32::MAX);
        if let Some(limit) = sc.capacity.cutovers.limit(c)
            && self.cutovers[ci] + n > limit
        {
            push(
                "capacity.cutovers".to_owned(),
                format!(
                    "wave {c} already has {} cutovers; adding {n} exceeds the limit of {limit}",
                    self.cutovers[ci]
                ),
            );
        }
        let mut per_dept: BTreeMap<DeptIx, u32> = BTreeMap::new();
        for &m in &self.unit {
            *per_dept.entry(inv.services[m].department).or_insert(0) += 1;
        }
        for (d, add) in per_dept {
            let have = self.dept_cutovers.get(&(c, d)).copied().unwrap_or(0);
            if let Some(limit) = self.dept_cap(d)
                && have + add > limit
            {
                push(
                    "capacity.per_department".to_owned(),
                    format!(
                        "wave {c} already has {have} {} cutovers; adding {add} exceeds its limit of {limit}",
                        inv.departments[d].code
                    ),
                );
            }
        }
        // Per-wave loads over the unit's waves `lo..=c` (every member ends at `c`), in flat
        // rows: keyed maps made each trial wave cost a long span's length in allocations.
        let lo = starts.iter().copied().min().unwrap_or(c);
        let span = (c - lo) as usize + 1;
        let mut transfer = vec![0.0; span];
        let mut teams: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for (&m, &st) in self.unit.iter().zip(&starts) {
            let s = &inv.services[m];
            let per = f64::from(s.duration_waves.max(1));
            let cells = (st - lo) as usize..span;
            for add in &mut transfer[cells.clone()] {
                *add += s.data_gib / per;
            }
            for (t, v) in &s.effort {
                let row = teams.entry(t.as_str()).or_insert_with(|| vec![0.0; span]);
                for add in &mut row[cells.clone()] {
                    *add += v / per;
                }
            }
        }
        if let Some(cap) = sc.capacity.transfer_gib
            && let Some((k, have, add)) = (lo..=c)
                .zip(&transfer)
                .map(|(k, &add)| (k, self.transfer[k as usize], add))
                .find(|&(_, have, add)| add > 0.0 && !within(have + add, cap))
        {
            push(
                "capacity.transfer_gib".to_owned(),
                format!(
                    "wave {k} already copies {have:.1} GiB; adding {add:.1} exceeds the {cap} GiB capacity"
                ),
            );
        }
        for (t, row) in &teams {
            let Some(Some(cap)) = sc.capacity.teams.get(*t) else {
                continue;
            };
            let loads = self.teams.get(*t);
            let have_at = |k: u32| loads.map_or(0.0, |v| v[k as usize]);
            let breach = (lo..=c)
                .zip(row)
                .find(|&(k, &add)| add > 0.0 && !within(have_at(k) + add, *cap));
            if let Some((k, add)) = breach {
                let have = have_at(k);
                push(
                    format!("capacity.teams.{t}"),
                    format!(
                        "wave {k} already has {have:.1} {t} person-days; adding {add:.1} exceeds the capacity of {cap}"
                    ),
                );
            }
        }
        // Target capacity, over every wave up to the (new) makespan: wave by wave while the
        // unit's members are still starting, then from the index once all of it has started.
        if sc.capacity.target.is_some() {
            let makespan = self.others_makespan.max(c);
            let first_start = starts.iter().copied().min().unwrap_or(c).max(1);
            let whole = self.unit_resources();
            for (r, name) in RES.iter().enumerate() {
                let mut breach = None;
                for k in first_start..c.min(makespan.saturating_add(1)) {
                    let Some(cap) = self.target_cap.get(k as usize).and_then(|x| x[r]) else {
                        continue;
                    };
                    let add: f64 = self
                        .unit
                        .iter()
                        .zip(&starts)
                        .filter(|&(_, &st)| st <= k)
                        .map(|(&m, _)| res3(&inv.services[m].resources)[r])
                        .sum();
                    let have = self.started.get(k as usize).map_or(0.0, |s| s[r]);
                    if add > 0.0 && !within(have + add, cap) {
                        breach = Some((k, have, add, cap));
                        break;
                    }
                }
                if breach.is_none()
                    && let Some(&k) = self.target_next_breach[r].get(ci)
                    && k <= makespan
                    && let Some(cap) = self.target_cap.get(k as usize).and_then(|x| x[r])
                {
                    let have = self.started.get(k as usize).map_or(0.0, |s| s[r]);
                    breach = Some((k, have, whole[r], cap));
                }
                if let Some((k, have, add, cap)) = breach {
                    push(
                        format!("capacity.target.{name}"),
                        format!(
                            "by wave {k} the started services hold {have:.0} {name}; adding {add:.0} exceeds the {cap} available"
                        ),
                    );
                }
            }
        }
        out
    }
}

/// The unit of `s`: the graph's cutover unit, or the service alone.
#[must_use]
pub fn unit_of(inv: &Inventory, sc: &Scenario, s: ServiceIx) -> Vec<ServiceIx> {
    let g = DependencyGraph::build(inv, sc);
    g.unit_of(s)
        .and_then(|u| g.units().get(u).cloned())
        .unwrap_or_else(|| vec![s])
}

/// Explains why service `id` is in its wave of `plan`.
///
/// # Errors
/// A message when the service is unknown, not migrating, or not scheduled by the plan.
pub fn explain(
    inv: &Inventory,
    sc: &Scenario,
    plan: &Plan,
    id: &str,
) -> Result<Explanation, String> {
    let ix = inv
        .find(id)
        .ok_or_else(|| format!("there is no service `{id}` in the inventory"))?;
    if !inv.services[ix].is_migrating() {
        return Err(format!("`{id}` does not migrate, so it has no wave"));
    }
    let Some(ps) = plan.services.iter().find(|p| p.id.as_str() == id) else {
        let why = plan
            .unscheduled
            .iter()
            .find(|u| u.id.as_str() == id)
            .map_or_else(String::new, |u| format!(": [{}] {}", u.rule, u.reason));
        return Err(format!("`{id}` is not scheduled by this plan{why}"));
    };
    let unit = unit_of(inv, sc, ix);
    let world = World::new(inv, sc, plan, unit.clone());
    let cut = ps.cutover_wave;
    let checks: Vec<WaveCheck> = (world.first_wave()..cut)
        .rev()
        .map(|c| WaveCheck {
            wave: c,
            findings: world.evaluate(c),
        })
        .collect();
    let verdict = verdict(&checks);
    let mut unit_ids: Vec<ServiceId> = unit.iter().map(|&m| inv.services[m].id.clone()).collect();
    unit_ids.sort();
    Ok(Explanation {
        service: inv.services[ix].id.clone(),
        unit: unit_ids,
        start_wave: ps.start_wave,
        cutover_wave: cut,
        verdict,
        checks,
    })
}

/// The earliest wave whose findings all belong to `relaxed`.
fn earliest_with(checks: &[WaveCheck], relaxed: &BTreeSet<&str>) -> Option<u32> {
    checks
        .iter()
        .filter(|c| c.findings.iter().all(|f| relaxed.contains(f.rule.as_str())))
        .map(|c| c.wave)
        .min()
}

fn verdict(checks: &[WaveCheck]) -> Verdict {
    if checks.is_empty() {
        return Verdict::Earliest;
    }
    if let Some(w) = earliest_with(checks, &BTreeSet::new()) {
        return Verdict::Slack { wave: w };
    }
    let all: BTreeSet<&str> = checks
        .iter()
        .flat_map(|c| c.findings.iter().map(|f| f.rule.as_str()))
        .collect();
    let mut singles: Vec<(u32, &str)> = all
        .iter()
        .filter_map(|r| earliest_with(checks, &BTreeSet::from([*r])).map(|w| (w, *r)))
        .collect();
    singles.sort_unstable();
    if let Some(&(w, r)) = singles.first() {
        return Verdict::Bound {
            rules: vec![r.to_owned()],
            earliest: w,
            alternatives: singles[1..]
                .iter()
                .map(|(w, r)| ((*r).to_owned(), *w))
                .collect(),
        };
    }
    // No single rule frees a wave: the smallest set of rules broken at one wave (the latest
    // such wave on ties), and the earliest wave that set frees.
    let best = checks
        .iter()
        .map(|c| {
            let set: BTreeSet<&str> = c.findings.iter().map(|f| f.rule.as_str()).collect();
            (set.len(), std::cmp::Reverse(c.wave), set)
        })
        .min()
        .map(|x| x.2)
        .unwrap_or_default();
    let earliest = earliest_with(checks, &best).unwrap_or(0);
    Verdict::Bound {
        rules: best.iter().map(|r| (*r).to_owned()).collect(),
        earliest,
        alternatives: Vec::new(),
    }
}

/// A copy of the inputs with `rules` relaxed for `unit` (edges touching it, its departments'
/// blackouts, its windows and pins; capacities and the calendar everywhere): what "if that
/// rule were relaxed" means, so an independent checker can confirm the move.
#[must_use]
pub fn relax(
    inv: &Inventory,
    sc: &Scenario,
    unit: &[ServiceIx],
    rules: &[String],
) -> (Inventory, Scenario) {
    let (mut inv, mut sc) = (inv.clone(), sc.clone());
    let in_unit = |x: ServiceIx| unit.contains(&x);
    let default = sc.rules.dependency_order;
    for rule in rules {
        match rule.as_str() {
            "edge.together-or-before" | "edge.strictly-before" | "edge.latency_sensitive" => {
                let want = match rule.as_str() {
                    "edge.together-or-before" => Some(Order::TogetherOrBefore),
                    "edge.strictly-before" => Some(Order::StrictlyBefore),
                    _ => None,
                };
                for a in 0..inv.services.len() {
                    let a_in = in_unit(a);
                    for e in &mut inv.services[a].depends_on {
                        if !(a_in || in_unit(e.target)) {
                            continue;
                        }
                        match want {
                            Some(o) if e.effective_order(default) == o => {
                                e.order = Some(Order::Any)
                            }
                            None => e.latency_sensitive = false,
                            _ => {}
                        }
                    }
                }
            }
            "capacity.cutovers" => sc.capacity.cutovers = CutoverCap::default(),
            "capacity.per_department" => {
                sc.capacity.per_department = None;
                for d in &mut inv.departments {
                    d.max_cutovers_per_wave = Some(None);
                }
            }
            "capacity.transfer_gib" => sc.capacity.transfer_gib = None,
            "calendar.freeze" => sc.calendar.freezes.clear(),
            "calendar.today" => sc.calendar.today = None,
            "calendar.max_waves" => sc.calendar.max_waves = u32::MAX / 4,
            "calendar.blackout" => {
                for &m in unit {
                    let d = inv.services[m].department;
                    inv.departments[d].blackouts.clear();
                }
            }
            "window.not_before" | "window.deadline" => {
                for &m in unit {
                    if rule == "window.not_before" {
                        inv.services[m].not_before = None;
                    } else {
                        inv.services[m].deadline = None;
                    }
                }
            }
            "window.decommission_by" => sc.sites = crate::model::SiteRules::default(),
            "rules.critical_not_before_wave" => sc.rules.critical_not_before_wave = 1,
            "pin" => {
                for &m in unit {
                    sc.pins.remove(&inv.services[m].id);
                }
            }
            other => {
                if let Some(team) = other.strip_prefix("capacity.teams.") {
                    sc.capacity.teams.insert(team.to_owned(), None);
                } else if let Some(r) = other.strip_prefix("capacity.target.")
                    && let Some(steps) = sc.capacity.target.as_mut()
                {
                    for s in steps {
                        match r {
                            "vcpu" => s.vcpu = None,
                            "memory_gib" => s.memory_gib = None,
                            _ => s.storage_gib = None,
                        }
                    }
                }
            }
        }
    }
    (inv, sc)
}

/// Plain-text rendering.
#[must_use]
pub fn to_text(x: &Explanation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let with: Vec<&str> = x
        .unit
        .iter()
        .filter(|u| **u != x.service)
        .map(ServiceId::as_str)
        .collect();
    let _ = write!(
        out,
        "`{}` cuts over in wave {} (starts in wave {})",
        x.service, x.cutover_wave, x.start_wave
    );
    if !with.is_empty() {
        let _ = write!(out, ", together with {}", with.join(", "));
    }
    out.push('\n');
    match &x.verdict {
        Verdict::Earliest => {
            out.push_str("nothing binds it: its duration reaches back to wave 1, so no earlier cutover wave exists\n");
        }
        Verdict::Slack { wave } => {
            let _ = writeln!(
                out,
                "nothing binds it: it could cut over as early as wave {wave} without breaking any rule, every other placement unchanged"
            );
        }
        Verdict::Bound {
            rules,
            earliest,
            alternatives,
        } => {
            let _ = writeln!(
                out,
                "binding rule: {} — relaxed, it could cut over in wave {earliest} (every other placement unchanged)",
                rules.join(" + ")
            );
            for (r, w) in alternatives {
                let _ = writeln!(out, "  also binding: {r} — relaxed alone, wave {w}");
            }
        }
    }
    for c in &x.checks {
        if c.findings.is_empty() {
            let _ = writeln!(out, "  wave {:>3}: allowed", c.wave);
            continue;
        }
        for (i, f) in c.findings.iter().enumerate() {
            let head = if i == 0 {
                format!("wave {:>3}", c.wave)
            } else {
                " ".repeat(8)
            };
            let _ = writeln!(out, "  {head}: [{}] {}", f.rule, f.detail);
        }
    }
    out
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;

    /// The target check as it was before the index: every wave from 1 to the makespan,
    /// for every trial wave (quadratic, but plainly right).
    fn target_by_scan(w: &World<'_>, c: u32) -> Vec<Finding> {
        let (inv, sc) = (w.inv, w.sc);
        let starts: Vec<u32> = w
            .unit
            .iter()
            .map(|&m| (c + 1).saturating_sub(inv.services[m].duration_waves.max(1)))
            .collect();
        let mut out = Vec::new();
        if starts.contains(&0) || c as usize >= w.cutovers.len() {
            return out;
        }
        let makespan = w.others_makespan.max(c);
        for (r, name) in RES.iter().enumerate() {
            for k in 1..=makespan {
                let cap = match sc.capacity.target_step(sc.calendar.wave_start(k)) {
                    None => None,
                    Some(None) => Some(0.0),
                    Some(Some(step)) => [step.vcpu, step.memory_gib, step.storage_gib][r],
                };
                let Some(cap) = cap else { continue };
                let add: f64 = w
                    .unit
                    .iter()
                    .zip(&starts)
                    .filter(|&(_, &st)| st <= k)
                    .map(|(&m, _)| res3(&inv.services[m].resources)[r])
                    .sum();
                let have = w.started.get(k as usize).map_or(0.0, |s| s[r]);
                if add > 0.0 && !within(have + add, cap) {
                    out.push(Finding {
                        rule: format!("capacity.target.{name}"),
                        detail: format!(
                            "by wave {k} the started services hold {have:.0} {name}; adding {add:.0} exceeds the {cap} available"
                        ),
                    });
                    break;
                }
            }
        }
        out
    }

    /// The indexed target check finds exactly what the scan finds, for every service of the
    /// shipped plan at every earlier wave, with the shipped targets and with tight ones.
    #[test]
    fn indexed_target_check_matches_the_scan() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::load::load(
            &root.join("inventories"),
            Some(&root.join("plans/baseline.yaml")),
        )
        .unwrap();
        let plan = crate::load::plan_file::read(&root.join("plans/baseline.plan.yaml")).unwrap();
        let inv = &loaded.inventory;
        let mut tight = loaded.scenario.clone();
        for s in tight.capacity.target.as_mut().unwrap() {
            s.vcpu = s.vcpu.map(|v| v * 0.2);
            s.memory_gib = s.memory_gib.map(|v| v * 0.3);
            s.storage_gib = None;
        }
        let mut breaches = 0;
        for sc in [&loaded.scenario, &tight] {
            for ps in &plan.services {
                let ix = inv.find(ps.id.as_str()).unwrap();
                let w = World::new(inv, sc, &plan, unit_of(inv, sc, ix));
                for c in w.first_wave()..ps.cutover_wave {
                    let got: Vec<Finding> = w
                        .evaluate(c)
                        .into_iter()
                        .filter(|f| f.rule.starts_with("capacity.target."))
                        .collect();
                    let want = target_by_scan(&w, c);
                    assert_eq!(got, want, "{} at wave {c}", ps.id);
                    breaches += want.len();
                }
            }
        }
        assert!(breaches > 100, "{breaches}");
    }
}
