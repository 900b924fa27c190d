//! `waveplan risk`: how likely a plan is to finish on time, by Monte Carlo simulation of its
//! execution (docs/risk.md).
//!
//! `sim` executes the plan once under drawn failures and overruns (a repair pass that keeps
//! every rule but the dates it measures); `stats` adds the runs up; `render` writes text and
//! CSV.
//! Reads a plan like `report` and `verify` do; must not do I/O or print.

mod render;
mod sim;
mod stats;

#[cfg(test)]
mod tests;

use rayon::prelude::*;

use crate::model::words::plural;
use crate::model::{Inventory, Plan, RiskModel, Rule, Scenario};
use crate::schedule::Progress;

pub use render::{to_csv, to_text};
pub use stats::{
    DeadlineProbabilities, RiskReport, ServiceDeadline, ServiceRisk, SiteDeadline, WaveRisk,
};

/// Runs simulated when none is asked for.
pub const DEFAULT_RUNS: u64 = 10_000;

/// Runs counted together: fixed, so the split of work never depends on the thread count.
const CHUNK: usize = 64;

/// At most this many runs measure the criticality index: each failure in them is taken out
/// in turn and the run repeated, so each costs one run per failure.
pub const CRITICALITY_RUNS: u64 = 1_000;

/// Work the criticality index may take by default, in units executed (expected failures per
/// run × units × runs): about 10 s of one core at 300 ns a unit. The shipped default gets
/// all 1,000 runs; 10,000 services with 450 failures a run get the floor.
const CRITICALITY_WORK: f64 = 3e7;

/// Fewest runs the criticality index is measured on by default.
const MIN_CRITICALITY_RUNS: u64 = 10;

/// How many runs, from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Runs to simulate.
    pub runs: u64,
    /// Seed of run 0's random stream; run k uses stream k.
    pub seed: u64,
    /// Let later work move earlier once something has gone wrong (docs/risk.md).
    pub replan: bool,
    /// Runs the criticality index is measured on; `None`: as many of the first 1,000 as
    /// the work budget allows for the inventory's size (at least 10).
    pub criticality_runs: Option<u64>,
}

/// A simulation's report and each run's finish (for picking sample runs).
pub struct Outcome {
    /// What the runs add up to.
    pub report: RiskReport,
    /// Each run's finish wave, `None` when it did not finish within the horizon.
    pub finishes: Vec<Option<u32>>,
}

/// Simulates `opts.runs` executions of `plan` under the scenario's `risk:` model (its
/// defaults when it has none).
///
/// # Errors
/// The plan does not fit the inputs (a service they lack, a unit split across waves).
pub fn simulate(
    inv: &Inventory,
    sc: &Scenario,
    plan: &Plan,
    opts: Options,
    progress: &dyn Progress,
) -> Result<Outcome, String> {
    let model = sc.risk.clone().unwrap_or_default();
    let sim = sim::Sim::new(inv, sc, plan, &model, opts.seed, opts.replan)?;
    let per_run = sim.expected_failures().max(1.0) * sim.order.len().max(1) as f64;
    let affordable = (CRITICALITY_WORK / per_run) as u64;
    let crit_runs = opts
        .criticality_runs
        .unwrap_or_else(|| affordable.clamp(MIN_CRITICALITY_RUNS, CRITICALITY_RUNS))
        .min(opts.runs);
    let counter = stats::Counter::new(&sim, inv, sc, crit_runs);
    let runs = usize::try_from(opts.runs).map_err(|_| "too many runs".to_owned())?;
    let mut finishes = vec![0u32; runs];
    progress.start(opts.runs);
    let tally = finishes
        .par_chunks_mut(CHUNK)
        .enumerate()
        .fold(
            || (sim.scratch(), counter.tally(), Vec::new()),
            |(mut scratch, mut tally, mut failed), (chunk, out)| {
                for (i, slot) in out.iter_mut().enumerate() {
                    let k = (chunk * CHUNK + i) as u64;
                    let finish = sim.run(k, &mut scratch, None);
                    counter.add(&mut tally, &scratch, finish);
                    *slot = finish;
                    if k < crit_runs && counter.moved(finish) {
                        failed.clear();
                        failed.extend(
                            sim.order
                                .iter()
                                .filter(|&&u| scratch.failures[u as usize] > 0),
                        );
                        for &u in &failed {
                            if sim.run(k, &mut scratch, Some(u)) < finish {
                                stats::Counter::mover(&mut tally, u);
                            }
                        }
                    }
                }
                progress.advance(out.len() as u64);
                (scratch, tally, failed)
            },
        )
        .map(|(_, tally, _)| tally)
        .reduce(|| counter.tally(), stats::Counter::merge);
    progress.finish();
    Ok(Outcome {
        report: counter.report(inv, sc, &tally, opts),
        finishes: finishes
            .into_iter()
            .map(|f| (f != sim::NOT_DONE).then_some(f))
            .collect(),
    })
}

/// The plan file of run `k` of a simulation with `opts` (its `runs` unused): every service at the wave it cut over in that run
/// (a service that did not cut over within the horizon is listed unscheduled). It keeps
/// every rule of SPEC 4 except the dates the run missed: deadlines, decommission dates,
/// pins and `max_waves`, which `waveplan verify` then names.
///
/// # Errors
/// As [`simulate`].
pub fn executed(
    inv: &Inventory,
    sc: &Scenario,
    plan: &Plan,
    opts: Options,
    k: u64,
) -> Result<Plan, String> {
    let model = sc.risk.clone().unwrap_or_default();
    let seed = opts.seed;
    let sim = sim::Sim::new(inv, sc, plan, &model, seed, opts.replan)?;
    let mut scratch = sim.scratch();
    sim.run(k, &mut scratch, None);
    let mut cutover = vec![None; inv.services.len()];
    let mut unscheduled = Vec::new();
    for (u, &c) in scratch.cut.iter().enumerate() {
        if sim.planned[u] == 0 {
            continue;
        }
        // A unit left waiting by a dependency that never cut over says so.
        let blocked = sim
            .pb
            .preds(u)
            .iter()
            .find(|&&(q, _)| scratch.cut[q as usize] == sim::NOT_DONE)
            .and_then(|&(q, _)| sim.members(q as usize).next())
            .map(|q| inv.services[q].id.clone());
        for s in sim.members(u) {
            if c == sim::NOT_DONE {
                let (rule, reason) = match &blocked {
                    Some(q) => (
                        Rule::DependencyUnscheduled,
                        format!(
                            "depends on {q}, which did not cut over within {} in simulated run {k} (seed {seed})",
                            plural(sim.horizon, "wave")
                        ),
                    ),
                    None => (
                        Rule::MaxWaves,
                        format!(
                            "did not cut over within {} in simulated run {k} (seed {seed})",
                            plural(sim.horizon, "wave")
                        ),
                    ),
                };
                unscheduled.push((s, rule, reason));
            } else {
                cutover[s.pos()] = Some(c);
            }
        }
    }
    // The plan's own unscheduled services stay as the plan explains them.
    for e in &plan.unscheduled {
        if let Some(s) = inv.find(e.id.as_str()) {
            let rule = Rule::parse(&e.rule).unwrap_or(Rule::DependencyUnscheduled);
            unscheduled.push((s, rule, e.reason.clone()));
        }
    }
    Ok(crate::schedule::executed_plan(
        inv,
        sc,
        plan,
        &cutover,
        unscheduled,
    ))
}

/// The model in force: the scenario's `risk:`, else the documented defaults.
#[must_use]
pub fn model_of(sc: &Scenario) -> RiskModel {
    sc.risk.clone().unwrap_or_default()
}
