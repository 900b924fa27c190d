//! Entry points shared by the fuzz targets (`fuzz/`) and the corpus replay test, so that
//! `cargo test` re-runs every committed fuzz input through exactly the code the fuzzer ran.
//!
//! Each function takes arbitrary bytes and returns nothing useful. It panics only on a
//! finding: a crash below it, or a plan the scheduler made that `verify` rejects (every
//! breach counts, rule 4.9 included, since the scheduler's leftover pass guarantees it).
//! Plans read from the fuzz input are arbitrary, so what `verify` says of them is no finding.

use std::path::Path;

use crate::load;

/// A small valid inventory every target but `inventory` loads its input against.
pub const BASE_INVENTORY: &str = "department: {code: DSI, name: Identification}\nservices:\n  - {id: a, name: A, site: datacenter, effort: {app: 3}, resources: {vcpu: 2}}\n  - {id: b, name: B, site: datacenter, depends_on: [a], duration_waves: 2, data_gib: 10}\n  - {id: c, name: C, site: pilot-cloud, move_group: g, depends_on: [{service: b, order: strictly-before}]}\n  - {id: d, name: D, site: datacenter, move_group: g, criticality: critical}\n";
/// A small valid scenario every target but `scenario` uses.
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

/// The scheduler's plan of `l`, with the small fixed search every target uses.
fn plan_of(l: &load::Loaded) -> crate::model::Plan {
    let search = crate::schedule::Options {
        seed: 1,
        effort: 20,
        time_limit: None,
    };
    crate::schedule::plan(
        &l.inventory,
        &l.scenario,
        &search,
        &crate::schedule::NoProgress,
    )
    .plan
}

/// Crashes the target with every breach `verify` finds in `plan`, a plan the scheduler made
/// for `l`: discarding them would let the fuzzer find panics but never an invalid plan.
#[expect(clippy::panic, reason = "a fuzz finding must crash the target")]
fn assert_verifies(l: &load::Loaded, plan: &crate::model::Plan) {
    let breaches = crate::verify::verify(&l.inventory, &l.scenario, plan);
    if !breaches.is_empty() {
        panic!("the scheduler made a plan that verify rejects: {breaches:#?}");
    }
}

/// Loads the scratch inputs (with overrides) and, when valid, plans them and checks that the
/// plan verifies clean.
fn load_plan_verify(dir: &Path, overrides: &load::Overrides) {
    if let Ok(l) = load::load_with(&dir.join("inv"), Some(&dir.join("s.yaml")), overrides) {
        assert_verifies(&l, &plan_of(&l));
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

/// Reads `bytes` as a plan file and, with the base inputs loaded under the plan's recorded
/// overrides as `report` and `explain` load them, returns both; `None` when either fails.
fn read_plan_with_inputs(bytes: &[u8]) -> Option<(crate::model::Plan, load::Loaded)> {
    let dir = scratch(&[("s.yaml", BASE_SCENARIO.as_bytes()), ("p.plan.yaml", bytes)])?;
    let plan = load::plan_file::read(&dir.path().join("p.plan.yaml")).ok()?;
    let overrides = load::Overrides::parse(&plan.overrides).ok()?;
    let loaded = load::load_with(
        &dir.path().join("inv"),
        Some(&dir.path().join("s.yaml")),
        &overrides,
    )
    .ok()?;
    Some((plan, loaded))
}

/// A plan of the base inputs, made once and checked like any planned input: the other side
/// of the `diff` target's comparisons.
fn base_plan() -> Option<&'static crate::model::Plan> {
    static PLAN: std::sync::OnceLock<Option<crate::model::Plan>> = std::sync::OnceLock::new();
    PLAN.get_or_init(|| {
        let dir = scratch(&[("s.yaml", BASE_SCENARIO.as_bytes())])?;
        let l = load::load(&dir.path().join("inv"), Some(&dir.path().join("s.yaml"))).ok()?;
        let plan = plan_of(&l);
        assert_verifies(&l, &plan);
        Some(plan)
    })
    .as_ref()
}

/// Reads `bytes` as a plan file and diffs it, as `diff` does, against a plan of the base
/// inputs (both ways) and against itself, rendering every format `diff` writes.
pub fn diff(bytes: &[u8]) {
    use crate::scenario::diff::{self, DiffFormat};
    let Some(dir) = scratch(&[("p.plan.yaml", bytes)]) else {
        return;
    };
    let Ok(p) = load::plan_file::read(&dir.path().join("p.plan.yaml")) else {
        return;
    };
    let mut pairs = vec![(&p, &p)];
    if let Some(base) = base_plan() {
        pairs.push((&p, base));
        pairs.push((base, &p));
    }
    for (a, b) in pairs {
        let d = diff::diff("a.plan.yaml", a, "b.plan.yaml", b);
        for format in [DiffFormat::Table, DiffFormat::Markdown, DiffFormat::Json] {
            let _ = diff::render(&d, format);
        }
    }
}

/// Reads `bytes` as a plan file of the base inputs and explains every base service, as
/// `explain` does (its input checks, then text and JSON).
pub fn explain(bytes: &[u8]) {
    let Some((plan, l)) = read_plan_with_inputs(bytes) else {
        return;
    };
    let _ = crate::report::stale_inputs(&plan, &l.inventory, &l.scenario);
    for s in &l.inventory.services {
        if let Ok(x) =
            crate::scenario::explain::explain(&l.inventory, &l.scenario, &plan, s.id.as_str())
        {
            let _ = crate::scenario::explain::to_text(&x);
            let _ = serde_json::to_string_pretty(&x);
        }
    }
}

/// Reads `bytes` as a plan file of the base inputs and renders the report in every format.
pub fn report(bytes: &[u8]) {
    let Some((plan, l)) = read_plan_with_inputs(bytes) else {
        return;
    };
    let data = crate::report::ReportData::build(&plan, &l.inventory, &l.scenario);
    for format in [
        crate::report::Format::Markdown,
        crate::report::Format::Html,
        crate::report::Format::Csv,
        crate::report::Format::Json,
    ] {
        let _ = crate::report::render_data(&data, format);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base inputs, loaded (the directory kept alive alongside).
    fn base() -> (tempfile::TempDir, load::Loaded) {
        let dir = scratch(&[("s.yaml", BASE_SCENARIO.as_bytes())]).expect("scratch dir");
        let l = load::load(&dir.path().join("inv"), Some(&dir.path().join("s.yaml")))
            .expect("base inputs load");
        (dir, l)
    }

    #[test]
    fn the_base_plan_verifies_clean() {
        let (_dir, l) = base();
        assert_verifies(&l, &plan_of(&l));
    }

    /// The check the fuzz targets rely on can fail: a plan missing a service is a finding.
    #[test]
    #[should_panic(expected = "the scheduler made a plan that verify rejects")]
    fn a_broken_plan_is_a_finding() {
        let (_dir, l) = base();
        let mut plan = plan_of(&l);
        assert!(
            plan.services.pop().is_some(),
            "the base plan schedules something"
        );
        assert_verifies(&l, &plan);
    }
}
