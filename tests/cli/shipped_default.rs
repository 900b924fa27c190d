//! The shipped default inventory and baseline scenario.

use crate::{root, waveplan};

#[test]
fn shipped_default_validates_with_no_errors() {
    let out = waveplan(&root()).arg("validate").output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("ok: "), "{stdout}");
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
