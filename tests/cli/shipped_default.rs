//! The shipped default inventory and baseline scenario.

use crate::{Ran, root, run};

#[test]
fn shipped_default_validates_with_no_errors() {
    let Ran { code, out, err, .. } = run(&root(), &["validate"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn shipped_default_warns_only_about_its_retained_links() {
    // Issue 10's warnings (team names, move groups, freeze and blackout years) must not fire
    // on the shipped example: its only warnings are the permanent links to retained services.
    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .expect("default loads");
    let kinds: std::collections::BTreeSet<&str> =
        loaded.warnings.0.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        std::collections::BTreeSet::from(["edge-to-retained"]),
        "{}",
        loaded.warnings
    );
    assert_eq!(loaded.warnings.0.len(), 11, "{}", loaded.warnings);
}

#[test]
fn shipped_default_is_big_enough_to_tell_the_story() {
    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .expect("default loads");
    let inv = &loaded.inventory;
    assert!(inv.departments.len() >= 40);
    assert!(inv.services.len() >= 300);
    assert!(
        inv.services
            .iter()
            .any(|s| s.site == waveplan::model::Site::PilotCloud)
    );
}

#[test]
fn shipped_plan_reports_its_transition_cost_by_part() {
    // The baseline scenario has `costs:` (docs/costs.md); the shipped plan was made from it.
    let plan = waveplan::load::plan_file::read(&root().join("plans/baseline.plan.yaml"))
        .expect("shipped plan reads");
    let t = plan
        .summary
        .transition_cost
        .expect("the baseline scenario has costs, so the plan has a transition cost");
    let parts = t.datacenter + t.production + t.pilot_cloud + t.split_traffic + t.cutovers;
    assert!((t.total - parts).abs() < 0.01, "{t:?}");
    assert!(
        t.pilot_cloud > 0.0 && t.cutovers > 0.0 && t.datacenter > 0.0,
        "{t:?}"
    );
    assert_eq!(t.currency.as_deref(), Some("MOP"));
    // The same plan measured afresh from the inputs gives the same parts.
    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .expect("default loads");
    let cut: std::collections::BTreeMap<_, _> = plan
        .services
        .iter()
        .map(|s| (s.id.clone(), s.cutover_wave))
        .collect();
    let inv = &loaded.inventory;
    let again = loaded
        .scenario
        .costs
        .expect("costs")
        .measure(inv, plan.summary.waves, |s| {
            cut.get(&inv.services[s.pos()].id).copied()
        });
    assert!((again.parts.total - t.total).abs() < 0.01);
    assert!((again.by_wave.iter().sum::<f64>() - t.total).abs() < 0.01);
}
