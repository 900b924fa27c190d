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

/// A scratch directory holding `inv/a.yaml` (the base inventory) and the given extra files.
fn scratch(files: &[(&str, &[u8])]) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().ok()?;
    std::fs::create_dir(dir.path().join("inv")).ok()?;
    std::fs::write(dir.path().join("inv/a.yaml"), BASE_INVENTORY).ok()?;
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).ok()?;
    }
    Some(dir)
}

/// Loads the scratch inputs (with overrides) and, when valid, plans and verifies them.
fn load_plan_verify(dir: &Path, overrides: &load::Overrides) {
    if let Ok(l) = load::load_with(&dir.join("inv"), Some(&dir.join("s.yaml")), overrides) {
        let search = crate::schedule::Options {
            seed: 1,
            effort: 20,
            time_limit: None,
        };
        let out = crate::schedule::plan(
            &l.inventory,
            &l.scenario,
            &search,
            &crate::schedule::NoProgress,
        );
        let _ = crate::verify::verify(&l.inventory, &l.scenario, &out.plan);
    }
}

/// Loads `bytes` as one inventory file next to the base inventory, then plans it if valid.
pub fn inventory(bytes: &[u8]) {
    if let Some(dir) = scratch(&[("inv/b.yaml", bytes), ("s.yaml", BASE_SCENARIO.as_bytes())]) {
        load_plan_verify(dir.path(), &load::Overrides::default());
    }
}

/// Loads `bytes` as a scenario that may extend the base scenario, then plans if valid.
pub fn scenario(bytes: &[u8]) {
    if let Some(dir) = scratch(&[("base.yaml", BASE_SCENARIO.as_bytes()), ("s.yaml", bytes)]) {
        load_plan_verify(dir.path(), &load::Overrides::default());
    }
}

/// Reads `bytes` as a plan file and verifies it against the base inventory and scenario.
pub fn plan(bytes: &[u8]) {
    let Some(dir) = scratch(&[("s.yaml", BASE_SCENARIO.as_bytes()), ("p.plan.yaml", bytes)]) else {
        return;
    };
    let loaded = load::load(&dir.path().join("inv"), Some(&dir.path().join("s.yaml")));
    if let (Ok(l), Ok(p)) = (
        loaded,
        load::plan_file::read(&dir.path().join("p.plan.yaml")),
    ) {
        let _ = crate::verify::verify(&l.inventory, &l.scenario, &p);
    }
}

/// Applies `bytes` as `--set` overrides (one per line) to the base inventory and scenario.
pub fn set(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(overrides) = load::Overrides::parse(&text.lines().collect::<Vec<_>>()) else {
        return;
    };
    if let Some(dir) = scratch(&[("s.yaml", BASE_SCENARIO.as_bytes())]) {
        load_plan_verify(dir.path(), &overrides);
    }
}
