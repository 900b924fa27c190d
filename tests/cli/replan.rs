//! `plan --stable-against`: the earlier plan is repaired, not thrown away (issue 13).

use waveplan::model::{Inventory, Plan, Scenario};
use waveplan::scenario::stable::{Stable, replan};
use waveplan::schedule::{NoProgress, Options, Stability};

use crate::root;

fn default() -> (Inventory, Scenario, Plan) {
    default_with("plans/baseline.plan.yaml")
}

/// The shipped default with the earlier plan at `plan` (relative to the repository root).
fn default_with(plan: &str) -> (Inventory, Scenario, Plan) {
    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .expect("default loads");
    let plan = waveplan::load::plan_file::read(&root().join(plan)).expect("earlier plan reads");
    (loaded.inventory, loaded.scenario, plan)
}

/// Re-plans with a small effort (the repair needs little search) and checks the result with
/// the independent verifier.
fn repaired(inv: &Inventory, sc: &Scenario, prev: &Plan, st: Stability) -> Stable {
    repaired_at(inv, sc, prev, st, 2_000)
}

/// [`repaired`] with `effort` schedules (a free re-plan needs more than a repair).
fn repaired_at(inv: &Inventory, sc: &Scenario, prev: &Plan, st: Stability, effort: u64) -> Stable {
    let opts = Options {
        seed: 1,
        effort: Some(effort),
        time_limit: None,
    };
    let out = replan(inv, sc, prev, &opts, st, &NoProgress);
    let breaches = waveplan::verify::verify(inv, sc, &out.outcome.plan);
    assert!(breaches.is_empty(), "{breaches:?}");
    out
}

fn migrating(inv: &Inventory) -> usize {
    inv.migrating().count()
}

#[test]
fn with_nothing_changed_nothing_moves_and_the_plan_is_the_same() {
    let (inv, sc, prev) = default();
    let out = repaired(&inv, &sc, &prev, Stability::default_for(migrating(&inv)));
    assert!(out.moved.is_empty(), "{:?}", out.moved);
    assert_eq!(out.kept, migrating(&inv));
    assert_eq!(out.outcome.plan.summary.waves, prev.summary.waves);
}

#[test]
fn a_longer_service_moves_alone_and_the_plan_keeps_its_waves() {
    // The example: before, keeping the plan "needed 37 waves" and a fresh plan moved
    // 269 services; moving this one service one wave later kept all 36 waves of that plan.
    let (mut inv, sc, prev) = default();
    let ix = inv.find("ccac-ombudsman").expect("service");
    inv.services[ix].duration_waves = 2;
    let out = repaired(&inv, &sc, &prev, Stability::default_for(migrating(&inv)));
    assert_eq!(out.outcome.plan.summary.waves, prev.summary.waves);
    assert!(out.moved.len() <= 2, "{:?}", out.moved);
    for m in &out.moved {
        assert!(!m.why.is_empty());
    }
}

#[test]
fn less_dba_capacity_moves_few_services_and_at_most_one_wave_more() {
    // Issue 13's target: --set capacity.teams.dba=45 against the default plan moves at most
    // 15 % of the migrating services and makes the plan at most one wave longer (before the
    // repair, 300 of 323 moved). Both earlier default plans, fixed (the shipped plan changes
    // as the search improves).
    for earlier in ["baseline-34-waves", "baseline-36-waves"] {
        let (inv, mut sc, prev) =
            default_with(&format!("tests/fixtures/replan/{earlier}.plan.yaml"));
        sc.capacity.teams.insert("dba".into(), Some(45.0));
        let n = migrating(&inv);
        let out = repaired(&inv, &sc, &prev, Stability::default_for(n));
        let waves = out.outcome.plan.summary.waves;
        assert!(
            out.moved.len() * 100 <= n * 15 && waves <= prev.summary.waves + 1,
            "{earlier}: {} moved, {waves} waves",
            out.moved.len()
        );
        for m in &out.moved {
            assert!(!m.why.is_empty(), "{m:?}");
        }
    }
}

#[test]
fn the_weight_trades_moved_services_for_waves() {
    let (inv, mut sc, prev) = default_with("tests/fixtures/replan/baseline-36-waves.plan.yaml");
    sc.capacity.teams.insert("dba".into(), Some(45.0));
    let stable = repaired(&inv, &sc, &prev, Stability::default_for(migrating(&inv)));
    // Asking for the shortest plan whatever it moves gives fewer waves and more moves.
    let short = repaired_at(
        &inv,
        &sc,
        &prev,
        Stability {
            wave_worth: 10_000,
            max_moves: None,
        },
        10_000,
    );
    assert!(short.outcome.plan.summary.waves < stable.outcome.plan.summary.waves);
    assert!(short.moved.len() > stable.moved.len());
    // A move limit wins over the weight when some plan keeps it.
    let capped = repaired(
        &inv,
        &sc,
        &prev,
        Stability {
            wave_worth: 10_000,
            max_moves: Some(stable.moved.len()),
        },
    );
    assert!(capped.moved.len() <= stable.moved.len());
}
