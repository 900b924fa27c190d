//! Entry points shared by the fuzz targets (`fuzz/`) and the corpus replay test, so that
//! `cargo test` re-runs every committed fuzz input through exactly the code the fuzzer ran.
//!
//! Each function takes arbitrary bytes, must never panic, and returns nothing useful.

use std::path::Path;

use crate::load;

/// A small valid inventory the scenario and plan targets load their input against.
pub const BASE_INVENTORY: &str = "department: {code: DSI, name: Identification}\nservices:\n  - {id: a, name: A, site: datacenter, effort: {app: 3}, resources: {vcpu: 2}}\n  - {id: b, name: B, site: datacenter, depends_on: [a], duration_waves: 2, data_gib: 10}\n  - {id: c, name: C, site: pilot-cloud, move_group: g, depends_on: [{service: b, order: strictly-before}]}\n  - {id: d, name: D, site: datacenter, move_group: g, criticality: critical}\n";
/// A small valid scenario the inventory and plan targets use.
pub const BASE_SCENARIO: &str = "name: base\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 20, freezes: [{from: 2019-02-04, to: 2019-02-10}]}\ncapacity: {cutovers: [1, 2], teams: {app: 5}, target: [{from: 2019-01-01, vcpu: 10}]}\n";

fn scratch() -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().ok()?;
    std::fs::create_dir(dir.path().join("inv")).ok()?;
    Some(dir)
}

fn put(dir: &Path, name: &str, bytes: &[u8]) -> Option<()> {
    std::fs::write(dir.join(name), bytes).ok()
}

/// Loads `bytes` as one inventory file next to the base inventory, then plans it if valid.
pub fn inventory(bytes: &[u8]) {
    let Some(dir) = scratch() else { return };
    let inv = dir.path().join("inv");
    if put(&inv, "a.yaml", BASE_INVENTORY.as_bytes()).is_none()
        || put(&inv, "b.yaml", bytes).is_none()
    {
        return;
    }
    if put(dir.path(), "s.yaml", BASE_SCENARIO.as_bytes()).is_none() {
        return;
    }
    if let Ok(l) = load::load(&inv, Some(&dir.path().join("s.yaml"))) {
        let out = crate::schedule::plan(
            &l.inventory,
            &l.scenario,
            &small_search(),
            &crate::schedule::NoProgress,
        );
        let _ = crate::verify::verify(&l.inventory, &l.scenario, &out.plan);
    }
}

/// Loads `bytes` as a scenario that extends the base scenario, then plans if valid.
pub fn scenario(bytes: &[u8]) {
    let Some(dir) = scratch() else { return };
    let inv = dir.path().join("inv");
    if put(&inv, "a.yaml", BASE_INVENTORY.as_bytes()).is_none()
        || put(dir.path(), "base.yaml", BASE_SCENARIO.as_bytes()).is_none()
        || put(dir.path(), "s.yaml", bytes).is_none()
    {
        return;
    }
    if let Ok(l) = load::load(&inv, Some(&dir.path().join("s.yaml"))) {
        let out = crate::schedule::plan(
            &l.inventory,
            &l.scenario,
            &small_search(),
            &crate::schedule::NoProgress,
        );
        let _ = crate::verify::verify(&l.inventory, &l.scenario, &out.plan);
    }
}

/// Reads `bytes` as a plan file and verifies it against the base inventory and scenario.
pub fn plan(bytes: &[u8]) {
    let Some(dir) = scratch() else { return };
    let inv = dir.path().join("inv");
    if put(&inv, "a.yaml", BASE_INVENTORY.as_bytes()).is_none()
        || put(dir.path(), "s.yaml", BASE_SCENARIO.as_bytes()).is_none()
        || put(dir.path(), "p.plan.yaml", bytes).is_none()
    {
        return;
    }
    let (Ok(l), Ok(p)) = (
        load::load(&inv, Some(&dir.path().join("s.yaml"))),
        load::plan_file::read(&dir.path().join("p.plan.yaml")),
    ) else {
        return;
    };
    let _ = crate::verify::verify(&l.inventory, &l.scenario, &p);
}

/// Applies `bytes` as `--set` overrides (one per line) to the base inventory and scenario.
pub fn set(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(overrides) = load::Overrides::parse(&text.lines().collect::<Vec<_>>()) else {
        return;
    };
    let Some(dir) = scratch() else { return };
    let inv = dir.path().join("inv");
    if put(&inv, "a.yaml", BASE_INVENTORY.as_bytes()).is_none()
        || put(dir.path(), "s.yaml", BASE_SCENARIO.as_bytes()).is_none()
    {
        return;
    }
    if let Ok(l) = load::load_with(&inv, Some(&dir.path().join("s.yaml")), &overrides) {
        let out = crate::schedule::plan(
            &l.inventory,
            &l.scenario,
            &small_search(),
            &crate::schedule::NoProgress,
        );
        let _ = crate::verify::verify(&l.inventory, &l.scenario, &out.plan);
    }
}

fn small_search() -> crate::schedule::Options {
    crate::schedule::Options {
        seed: 1,
        effort: 20,
        time_limit: None,
    }
}
