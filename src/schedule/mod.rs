//! The scheduler (SPEC 4-6): assigns every migrating service a start and cutover wave
//! without breaking a hard rule, with as few waves as it can find, then as little split
//! cost, and builds the plan.
//!
//! Pipeline: `problem` (dense units, DAG, calendar, capacities) -> `search` (priority rules,
//! sampling and a random-key GA decoded by the serial SGS in `sgs`, improved by
//! justification) -> `improve` (split cost at fixed makespan, then the rule 4.9 floor) ->
//! `diagnose` (rules and reasons of what is left) -> `bound` (lower bound, and which one) ->
//! `bottleneck` (its wording, and which capacities are full) -> `build` (plan).
//! Must not do I/O or print: progress goes through [`Progress`].

mod bottleneck;
mod bound;
mod build;
mod diagnose;
mod improve;
mod mintree;
mod problem;
mod profile;
pub mod psplib;
mod refit;
mod repair;
mod search;
mod sgs;
mod warm;

#[cfg(test)]
pub(crate) mod tests;

use std::time::Duration;

use rayon::prelude::*;

#[cfg(test)]
use crate::model::CutoverCap;
use crate::model::{Inventory, Plan, Scenario, ServiceId, ServiceIx};

pub(crate) use problem::{Load, NONE as NO_UNIT, Problem, Unit};
pub use repair::{Repair, Stability, repair};

/// Default search effort (schedules generated) when none is given; large inputs get fewer,
/// see [`Stats::budget`]. An effort given explicitly is spent in full.
pub const DEFAULT_EFFORT: u64 = 40_000;

/// How much to search and with which seed.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Seed of the randomised search.
    pub seed: u64,
    /// Deterministic search budget: schedules generated; `None` is the default
    /// ([`DEFAULT_EFFORT`], scaled down for large inputs). The plan records the budget spent
    /// on, so giving it back as the effort reproduces the plan.
    pub effort: Option<u64>,
    /// Wall-clock cap; only cuts the search short.
    pub time_limit: Option<Duration>,
}

/// Receives search progress (in schedules).
pub trait Progress: Sync {
    /// The search will generate about `total` schedules.
    fn start(&self, total: u64);
    /// `n` more schedules were generated.
    fn advance(&self, n: u64);
    /// The search is over.
    fn finish(&self);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// What the search did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Units (groups of services sharing a cutover wave).
    pub units: usize,
    /// Schedules generated (serial SGS passes, justification passes included).
    pub schedules: u64,
    /// The schedule budget used for this input (the effort given, or the default scaled
    /// down for large inputs).
    pub budget: u64,
    /// The search stopped early: the makespan met the lower bound and the split cost then
    /// stopped improving.
    pub stopped_at_lower_bound: bool,
    /// The search stopped early because of the time limit.
    pub time_limited: bool,
    /// Makespan found by the search, before the final passes.
    pub search_makespan: u32,
    /// Split cost before the split-cost improvement.
    pub split_cost_before: f64,
    /// Units moved to lower the split cost.
    pub split_moves: u64,
    /// Units placed by the final "nothing left behind" pass.
    pub leftovers_placed: usize,
}

/// The result of [`plan`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The complete plan.
    pub plan: Plan,
    /// Search statistics.
    pub stats: Stats,
    /// Pinned services left unscheduled because their pin could not hold, sorted.
    pub pin_failures: Vec<ServiceId>,
}

/// Plans the migration: the best plan the search finds within `opts`.
#[must_use]
pub fn plan(inv: &Inventory, sc: &Scenario, opts: &Options, progress: &dyn Progress) -> Outcome {
    plan_from(inv, sc, opts, None, progress)
}

/// [`plan`], starting from an earlier plan: its placements that still hold are kept, the
/// rest re-placed, and the result is the search's first incumbent, so the plan returned is
/// never worse (unscheduled, then waves, then split cost) than `start` kept as far as it
/// holds — a variant that only loosens limits cannot come out worse than its baseline.
#[must_use]
pub fn plan_from(
    inv: &Inventory,
    sc: &Scenario,
    opts: &Options,
    start: Option<&Plan>,
    progress: &dyn Progress,
) -> Outcome {
    let pb = Problem::with_floor(inv, sc, start.map_or(0, |p| warm::last_wave(sc, &[p])));
    let found = search::search(&pb, opts, progress, &target_of(&pb));
    let stats = Stats {
        units: pb.n(),
        schedules: found.schedules,
        budget: found.budget,
        stopped_at_lower_bound: found.at_bound,
        time_limited: found.timed_out,
        search_makespan: found.best.makespan,
        split_cost_before: found.best.split,
        ..Stats::default()
    };
    let mut cut = found.best.cut;
    if let Some(p) = start {
        // The start competes with the search's best only after both are polished: at equal
        // waves the split-cost pass decides, and it favours neither.
        let from = warm::start_cut(&pb, inv, sc, p);
        let kept = warm::keep(&pb, &from);
        // The start's order decoded afresh can pull units earlier where keeping cannot.
        let mut w = sgs::Work::new(&pb);
        let decoded = sgs::forward(&pb, &warm::keys_of(&pb, &from), None, false, &mut w);
        let mut best = polish(&pb, cut.clone());
        for c in [kept.cut, decoded.cut] {
            let s = polish(&pb, c);
            if s.better_than(&best) {
                best = s;
            }
        }
        cut = best.cut;
    }
    finish(&pb, inv, sc, opts, cut, stats, true)
}

/// The best of `current` (a plan made for these inputs) and `candidates` (plans made for
/// other variants), each kept as far as it holds here and completed as in [`plan_from`]:
/// the candidate's index and the finished plan when one beats `current`. What-if rows use
/// it so that a row never reports a worse plan than one the tool already holds for it.
#[must_use]
pub fn adopt_better(
    inv: &Inventory,
    sc: &Scenario,
    opts: &Options,
    current: &Plan,
    candidates: &[&Plan],
) -> Option<(usize, Outcome)> {
    let all: Vec<&Plan> = candidates.iter().copied().chain([current]).collect();
    let pb = Problem::with_floor(inv, sc, warm::last_wave(sc, &all));
    let mut best = polish(
        &pb,
        warm::keep(&pb, &warm::start_cut(&pb, inv, sc, current)).cut,
    );
    // Keeping is cheap, polishing is not: only a candidate that keeps as many services in
    // no more waves is polished (in parallel, then compared in order, so the thread count
    // changes nothing).
    let polished: Vec<Option<sgs::Sched>> = candidates
        .par_iter()
        .map(|c| {
            let kept = warm::keep(&pb, &warm::start_cut(&pb, inv, sc, c));
            ((kept.unsched, kept.makespan) <= (best.unsched, best.makespan))
                .then(|| polish(&pb, kept.cut))
        })
        .collect();
    let mut from = None;
    for (i, s) in polished.into_iter().enumerate() {
        if let Some(s) = s
            && s.better_than(&best)
        {
            best = s;
            from = Some(i);
        }
    }
    let i = from?;
    let stats = Stats {
        units: pb.n(),
        search_makespan: best.makespan,
        split_cost_before: best.split,
        ..Stats::default()
    };
    Some((i, finish(&pb, inv, sc, opts, best.cut, stats, true)))
}

/// A schedule after the split-cost pass and the rule 4.9 floor: what it will be worth once
/// finished, so that candidates are compared on that.
fn polish(pb: &Problem, cut: Vec<u32>) -> sgs::Sched {
    polish_on(pb, pb, cut)
}

/// [`polish`] on `on` (the problem with pins on what must not move), measured on `pb`.
fn polish_on(on: &Problem, pb: &Problem, mut cut: Vec<u32>) -> sgs::Sched {
    let mut prof = improve::profile_of(on, &cut);
    improve::lower_split(on, &mut cut, &mut prof, 20);
    improve::place_leftovers(on, &mut cut, &mut prof);
    sgs::Sched::from_cut(pb, cut)
}

/// The final passes on a schedule (split cost at a fixed makespan unless `split` is false,
/// the rule 4.9 floor), the reasons for what is left, the bound, and the plan.
fn finish(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    opts: &Options,
    mut cut: Vec<u32>,
    mut stats: Stats,
    split: bool,
) -> Outcome {
    let mut prof = improve::profile_of(pb, &cut);
    if split {
        stats.split_moves = improve::lower_split(pb, &mut cut, &mut prof, 20);
    }
    stats.leftovers_placed = improve::place_leftovers(pb, &mut cut, &mut prof);
    let unscheduled = diagnose::explain(pb, inv, sc, &cut, &mut prof);
    let in_set: Vec<bool> = cut.iter().map(|&c| c != 0).collect();
    let bound = bound::lower_bound_why(pb, &in_set);
    let proof = bottleneck::proof(pb, inv, sc, &bound);
    let mut cutover: Vec<Option<u32>> = vec![None; inv.services.len()];
    for (u, unit) in pb.units.iter().enumerate() {
        if cut[u] != 0 {
            for m in &unit.members {
                cutover[m.svc] = Some(cut[u]);
            }
        }
    }
    let mut pin_failures: Vec<ServiceId> = unscheduled
        .iter()
        .filter(|(s, _, _)| sc.pins.contains_key(&inv.services[*s].id))
        .map(|(s, _, _)| inv.services[*s].id.clone())
        .collect();
    pin_failures.sort();
    // The plan records the budget spent on, so that effort given back reproduces it.
    let spent_on = Options {
        effort: Some(stats.budget),
        ..opts.clone()
    };
    let plan = build::build_plan(inv, sc, &spent_on, &cutover, unscheduled, proof);
    Outcome {
        plan,
        stats,
        pin_failures,
    }
}

/// The plan file of an execution of `base` (`waveplan risk`): services cut over in
/// `cutover`, the rest listed with their rule and reason; the bound and its wording are
/// `base`'s (the same services are scheduled, so it still holds, capped at the new makespan).
pub(crate) fn executed_plan(
    inv: &Inventory,
    sc: &Scenario,
    base: &Plan,
    cutover: &[Option<u32>],
    unscheduled: Vec<(ServiceIx, crate::model::Rule, String)>,
) -> Plan {
    let proof = bottleneck::Proof {
        waves: base.summary.lower_bound_waves,
        reason: base.summary.lower_bound_reason.clone(),
        parts: base.summary.lower_bound_parts.clone(),
    };
    let opts = Options {
        seed: base.generator.as_ref().map_or(0, |g| g.seed),
        effort: base.generator.as_ref().map(|g| g.effort),
        time_limit: None,
    };
    let mut plan = build::build_plan(inv, sc, &opts, cutover, unscheduled, proof);
    plan.overrides.clone_from(&base.overrides);
    plan
}

/// A proven lower bound on the makespan of any plan that schedules exactly the services
/// `scheduled` (0 when empty): precedence, windows and calendar, and every capacity.
#[must_use]
pub fn lower_bound(inv: &Inventory, sc: &Scenario, scheduled: &[ServiceIx]) -> u32 {
    let pb = Problem::new(inv, sc);
    let mut in_set = vec![false; pb.n()];
    for &s in scheduled {
        if let Some(&u) = pb.unit_of.get(s.pos())
            && u != problem::NONE
        {
            in_set[u as usize] = true;
        }
    }
    bound::lower_bound_units(&pb, &in_set)
}

/// When the search may stop early: what can never be scheduled, and the bound on the rest.
fn target_of(pb: &Problem) -> search::Target {
    let (forced, possible) = impossible_units(pb);
    search::Target {
        forced_unsched: forced,
        lb: bound::lower_bound_units(pb, &possible),
        possible,
    }
}

/// Units that cannot be placed even in an empty plan, with their dependants: returns the
/// number of services in them and the mask of the others.
fn impossible_units(pb: &Problem) -> (u32, Vec<bool>) {
    let mut empty = profile::Profile::new(pb);
    let mut possible = vec![true; pb.n()];
    let mut forced = 0;
    for &u in &pb.topo {
        let u = u as usize;
        let unit = &pb.units[u];
        let ok = !unit.self_strict
            && pb.preds(u).iter().all(|&(p, _)| possible[p as usize])
            && (unit.lo.max(unit.dur)..=unit.hi)
                .any(|c| pb.calendar_ok(unit, c) && empty.breach_exact(pb, unit, c, 0).is_none());
        if !ok {
            possible[u] = false;
            forced += pb.size(u);
        }
    }
    (forced, possible)
}
