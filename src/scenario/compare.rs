//! Running what-if variants side by side: each variant is loaded (with its overrides) from
//! the inventory parsed once for the run ([`load::SharedInventory`]) and planned on its own,
//! in parallel, and summarised as one [`Row`].
//!
//! Determinism: every variant uses the same deterministic search budget and seed, and rayon's
//! ordered `collect` keeps the rows in the order the variants were given, so the output does
//! not depend on the thread count.

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use super::variant::Variant;
use crate::load;
use crate::model::words::plural;
use crate::model::{Plan, Scenario};
use crate::schedule::{self, NoProgress, Options, Progress};

/// One line of a comparison. Field order is the JSON key order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Variant name (the baseline first).
    pub name: String,
    /// The `--set` overrides that reproduce it with `waveplan plan`.
    pub overrides: Vec<String>,
    /// Makespan.
    pub waves: Option<u32>,
    /// Proven lower bound on the makespan.
    pub lower_bound_waves: Option<u32>,
    /// Last day of the last wave.
    pub finish: Option<String>,
    /// Split cost (SPEC 5).
    pub split_cost: Option<f64>,
    /// Migrating services left unscheduled.
    pub unscheduled: Option<u64>,
    /// Highest use of the production-cloud target in any wave and resource, in percent;
    /// `None` when the target is unlimited.
    pub peak_target_pct: Option<f64>,
    /// Waves minus the baseline's.
    pub delta_waves: Option<i64>,
    /// Split cost minus the baseline's.
    pub delta_split_cost: Option<f64>,
    /// Why the variant could not be planned (invalid input after its overrides).
    pub error: Option<String>,
    /// Every migrating service got a wave; `None` when the row failed. An incomplete row's
    /// finish and wave count leave work out, so its deltas are `None`.
    pub complete: Option<bool>,
    /// Finish minus the baseline's finish, in days: the delta that compares across wave
    /// lengths. `None` when either row is incomplete or failed, or has no finish.
    pub delta_finish_days: Option<i64>,
    /// The row whose plan this row reports, when that plan (kept where it holds here) beat
    /// the row's own search; `None` when the row's own search found it.
    pub plan_from: Option<String>,
    /// The rule behind the lower bound (`summary.lower_bound_reason.rule`): what holds the
    /// finish back, e.g. `capacity.teams.dba` once that team is halved.
    pub bound_rule: Option<String>,
    /// The capacity full in most waves, e.g. `capacity.cutovers in 11 of 36 waves`.
    pub most_binding: Option<String>,
    /// Warnings the row's own overrides raised (a team no service uses, …): a row that
    /// looks like the baseline may simply have changed nothing.
    pub warnings: Vec<String>,
    /// `summary.transition_cost.total` when the scenario has `costs:` (docs/costs.md).
    pub transition_cost: Option<f64>,
    /// Transition cost minus the baseline's; `None` as for the other deltas, or when either
    /// row has no costs.
    pub delta_transition_cost: Option<f64>,
}

impl Row {
    /// Whether the row was planned and every migrating service got a wave, so its finish,
    /// waves and split cost can be compared with another complete row's.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.complete == Some(true)
    }

    /// The finish as a date (`None` when the row failed or scheduled nothing).
    #[must_use]
    pub fn finish_date(&self) -> Option<Date> {
        self.finish.as_deref().and_then(|f| f.parse().ok())
    }
}

/// Rows compared pairwise for plans to adopt (see [`share_plans`]); larger comparisons keep
/// each row's own plan, since the cost grows with the square of the rows.
pub const MAX_SHARED_ROWS: usize = 64;

/// Passes of [`share_plans`] at most; each adoption strictly improves a row, and in practice
/// two passes reach the point where none does.
const SHARE_PASSES: usize = 4;

/// Loads and plans every variant in parallel (rows in the variants' order), then fills the
/// deltas against the first row. `progress` advances by one per finished variant.
#[must_use]
pub fn run(
    inventory: &load::SharedInventory,
    variants: &[Variant],
    opts: &Options,
    progress: &dyn Progress,
) -> Vec<Row> {
    run_with_plans(inventory, variants, opts, progress).0
}

/// [`run`], also returning each row's plan (with the row's overrides recorded), `None` for
/// a row that could not be planned.
#[must_use]
pub fn run_with_plans(
    inventory: &load::SharedInventory,
    variants: &[Variant],
    opts: &Options,
    progress: &dyn Progress,
) -> (Vec<Row>, Vec<Option<Plan>>) {
    progress.start(variants.len() as u64);
    // The baseline is planned first: every other variant starts from its plan, so a change
    // that only loosens a limit cannot come out worse than the baseline by search luck.
    let Some((first, rest)) = variants.split_first() else {
        progress.finish();
        return (Vec::new(), Vec::new());
    };
    // Rows share plans only in small comparisons, so only those keep their inputs.
    let share = variants.len() <= MAX_SHARED_ROWS;
    let (base_row, base_plan, base_inputs) = plan_one(inventory, first, opts, None, share);
    progress.advance(1);
    let rest: Vec<Planned> = rest
        .par_iter()
        .map(|v| {
            let out = plan_one(inventory, v, opts, base_plan.as_ref(), share);
            progress.advance(1);
            out
        })
        .collect();
    progress.finish();
    let mut rows = Vec::with_capacity(variants.len());
    let mut plans = Vec::with_capacity(variants.len());
    let mut inputs = Vec::with_capacity(variants.len());
    for (r, p, i) in std::iter::once((base_row, base_plan, base_inputs)).chain(rest) {
        rows.push(r);
        plans.push(p);
        inputs.push(i);
    }
    if share {
        share_plans(&inputs, opts, &mut rows, &mut plans);
    }
    fill_deltas(&mut rows);
    for (row, plan) in rows.iter().zip(plans.iter_mut()) {
        if let Some(p) = plan {
            p.overrides.clone_from(&row.overrides);
        }
    }
    (rows, plans)
}

/// Lets every row adopt another row's plan when that plan, kept where it holds under the
/// row's own inputs, is better than the row's: so a looser variant never shows a worse plan
/// than a tighter one, whichever search happened to find it. Passes run until no row
/// changes (each pass in row order, candidates evaluated in parallel, reduced in order).
fn share_plans(
    inputs: &[Option<load::Loaded>],
    opts: &Options,
    rows: &mut [Row],
    plans: &mut [Option<Plan>],
) {
    for _ in 0..SHARE_PASSES {
        let mut changed = false;
        for r in 0..rows.len() {
            let (Some(loaded), Some(current)) = (&inputs[r], &plans[r]) else {
                continue;
            };
            let others: Vec<(usize, &Plan)> = plans
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != r)
                .filter_map(|(j, p)| p.as_ref().map(|p| (j, p)))
                .collect();
            let candidates: Vec<&Plan> = others.iter().map(|&(_, p)| p).collect();
            let Some((i, outcome)) = schedule::adopt_better(
                &loaded.inventory,
                &loaded.scenario,
                opts,
                current,
                &candidates,
            ) else {
                continue;
            };
            let from = rows[others[i].0].name.clone();
            let row = &rows[r];
            let mut better = summarise(
                row.name.clone(),
                row.overrides.clone(),
                &outcome.plan,
                &loaded.scenario,
            );
            better.plan_from = Some(from);
            better.warnings = std::mem::take(&mut rows[r].warnings);
            rows[r] = better;
            plans[r] = Some(outcome.plan);
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

/// A planned variant: its row, its plan (unless its input was invalid) and, when asked for,
/// the inputs it was planned from.
type Planned = (Row, Option<Plan>, Option<load::Loaded>);

/// Loads and plans one variant, starting from `start` when given (see
/// [`schedule::plan_from`]).
fn plan_one(
    inventory: &load::SharedInventory,
    v: &Variant,
    opts: &Options,
    start: Option<&Plan>,
    keep_inputs: bool,
) -> Planned {
    let overrides: Vec<String> = v.overrides.0.iter().map(ToString::to_string).collect();
    // No variant reads or parses the inventory again: each converts the run's shared trees.
    match load::load_variant(inventory, Some(&v.scenario), &v.overrides) {
        Ok(loaded) => {
            let outcome = schedule::plan_from(
                &loaded.inventory,
                &loaded.scenario,
                opts,
                start,
                &NoProgress,
            );
            let name = v
                .name
                .clone()
                .unwrap_or_else(|| loaded.scenario.name.clone());
            let mut row = summarise(name, overrides, &outcome.plan, &loaded.scenario);
            row.warnings = override_warnings(&loaded.warnings);
            (row, Some(outcome.plan), keep_inputs.then_some(loaded))
        }
        Err(diags) => {
            let errors: Vec<String> = diags
                .0
                .iter()
                .filter(|d| d.is_error())
                .take(3)
                .map(|d| {
                    let line = d.to_string();
                    let first = line.lines().next().unwrap_or_default();
                    first.strip_prefix("error: ").unwrap_or(first).to_owned()
                })
                .collect();
            let more = diags.error_count().saturating_sub(3);
            let mut error = errors.join("; ");
            if more > 0 {
                error.push_str(&format!("; and {more} more"));
            }
            let name = v.name.clone().unwrap_or_else(|| {
                v.scenario
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
            });
            let row = Row {
                name,
                overrides,
                waves: None,
                lower_bound_waves: None,
                finish: None,
                split_cost: None,
                unscheduled: None,
                peak_target_pct: None,
                delta_waves: None,
                delta_split_cost: None,
                error: Some(error),
                complete: None,
                delta_finish_days: None,
                plan_from: None,
                bound_rule: None,
                most_binding: None,
                warnings: Vec::new(),
                transition_cost: None,
                delta_transition_cost: None,
            };
            (row, None, None)
        }
    }
}

/// The warnings located in a `--set` override (their "file" is the override), one line each.
fn override_warnings(warnings: &load::Diagnostics) -> Vec<String> {
    warnings
        .0
        .iter()
        .filter(|d| {
            d.file
                .as_ref()
                .is_some_and(|f| f.to_string_lossy().starts_with("--set "))
        })
        .map(|d| {
            let hint = d
                .hint
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            format!("{}{hint}", d.message)
        })
        .collect()
}

/// The row of a computed plan (deltas left at zero until [`fill_deltas`]).
#[must_use]
pub fn summarise(name: String, overrides: Vec<String>, plan: &Plan, sc: &Scenario) -> Row {
    let s = &plan.summary;
    Row {
        name,
        overrides,
        waves: Some(s.waves),
        lower_bound_waves: Some(s.lower_bound_waves),
        finish: s.finish.map(|d| d.to_string()),
        split_cost: Some(round3(s.split_cost)),
        unscheduled: Some(plan.unscheduled.len() as u64),
        peak_target_pct: peak_target_pct(plan, sc),
        delta_waves: Some(0),
        delta_split_cost: Some(0.0),
        error: None,
        complete: Some(plan.unscheduled.is_empty()),
        delta_finish_days: Some(0),
        plan_from: None,
        bound_rule: s.lower_bound_reason.as_ref().map(|r| r.rule.clone()),
        most_binding: s
            .binding
            .first()
            .map(|b| format!("{} in {} of {}", b.rule, b.waves, plural(s.waves, "wave"))),
        warnings: Vec::new(),
        transition_cost: s.transition_cost.as_ref().map(|t| round3(t.total)),
        delta_transition_cost: s.transition_cost.as_ref().map(|_| 0.0),
    }
}

/// Deltas of every row against the first (the baseline); `None` when either row failed or
/// is incomplete: a plan that leaves services out did less work, so its finish, waves and
/// split cost leave that work out (and often look better for it) and do not compare.
pub fn fill_deltas(rows: &mut [Row]) {
    let base = rows
        .first()
        .filter(|b| b.is_complete())
        .map(|b| (b.waves, b.split_cost, b.finish_date(), b.transition_cost));
    for r in rows.iter_mut() {
        let (bw, bs, bf, bt) = base
            .filter(|_| r.is_complete())
            .unwrap_or((None, None, None, None));
        r.delta_transition_cost = r.transition_cost.zip(bt).map(|(c, b)| round3(c - b));
        r.delta_waves = r.waves.zip(bw).map(|(w, b)| i64::from(w) - i64::from(b));
        r.delta_split_cost = r.split_cost.zip(bs).map(|(c, b)| round3(c - b));
        r.delta_finish_days = r
            .finish_date()
            .zip(bf)
            .and_then(|(f, b)| days_between(b, f));
    }
}

/// `to - from` in whole days (civil dates: no time zone, so the count is exact); `None` only
/// if jiff cannot represent the span, which valid dates never reach.
#[must_use]
pub fn days_between(from: Date, to: Date) -> Option<i64> {
    from.until(to).ok().map(|span| i64::from(span.get_days()))
}

/// The highest share of a limited target resource used in any wave of the plan, in percent
/// (one decimal); `None` when the scenario's target is unlimited.
#[must_use]
pub fn peak_target_pct(plan: &Plan, sc: &Scenario) -> Option<f64> {
    sc.capacity.target.as_ref()?;
    let mut peak: Option<f64> = None;
    for w in &plan.waves {
        // Before the first step nothing is available, so no share of it is used.
        let Some(crate::model::TargetInForce::Step(step)) = sc.capacity.target_step(w.start) else {
            continue;
        };
        let used = [
            w.target_used.vcpu,
            w.target_used.memory_gib,
            w.target_used.storage_gib,
        ];
        let caps = [step.vcpu, step.memory_gib, step.storage_gib];
        for (u, c) in used.into_iter().zip(caps) {
            if let Some(c) = c.filter(|c| *c > 0.0) {
                let pct = 100.0 * u / c;
                peak = Some(peak.map_or(pct, |p: f64| p.max(pct)));
            }
        }
    }
    // An unlimited resource in every step leaves nothing to compare: same as unlimited.
    let any_limit = sc.capacity.target.as_ref().is_some_and(|steps| {
        steps
            .iter()
            .any(|s| s.vcpu.is_some() || s.memory_gib.is_some() || s.storage_gib.is_some())
    });
    if !any_limit {
        return None;
    }
    Some((peak.unwrap_or(0.0) * 10.0).round() / 10.0)
}

fn round3(x: f64) -> f64 {
    let r = (x * 1000.0).round() / 1000.0;
    // -0.0 prints as "-0" in JSON; a delta of nothing is 0.
    if r == 0.0 { 0.0 } else { r }
}
