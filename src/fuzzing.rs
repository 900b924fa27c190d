//! Entry points shared by the fuzz targets (`fuzz/`) and the corpus replay test, so that
//! `cargo test` re-runs every committed fuzz input through exactly the code the fuzzer ran.
//!
//! Each function takes arbitrary bytes and returns nothing useful. It panics only on a
//! finding: a crash below it, or a plan the scheduler made that `verify` rejects (every
//! breach counts, rule 4.9 included, since the scheduler's leftover pass guarantees it).
//! Plans read from the fuzz input are arbitrary, so what `verify` says of them is no finding.
//!
//! Inputs are built in memory (`load::InputFiles`, `load::plan_file::from_bytes`): nothing
//! here touches the file system. The `*_parse` functions stop after loading and validating,
//! so their targets run thousands of inputs a second; the others run the whole pipeline.

use std::path::Path;

use crate::load::{self, InputFiles};

/// A small valid inventory every target but `inventory` loads its input against.
pub const BASE_INVENTORY: &str = "department: {code: DSI, name: Identification}\nservices:\n  - {id: a, name: A, site: datacenter, effort: {app: 3}, resources: {vcpu: 2}}\n  - {id: b, name: B, site: datacenter, depends_on: [a], duration_waves: 2, data_gib: 10}\n  - {id: c, name: C, site: pilot-cloud, move_group: g, depends_on: [{service: b, order: strictly-before}]}\n  - {id: d, name: D, site: datacenter, move_group: g, criticality: critical}\n";
/// A small valid scenario every target but `scenario` uses.
pub const BASE_SCENARIO: &str = "name: base\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 20, freezes: [{from: 2019-02-04, to: 2019-02-10}]}\ncapacity: {cutovers: [1, 2], teams: {app: 5}, target: [{from: 2019-01-01, vcpu: 10}]}\n";

/// The base inventory as `inv/a.yaml`, in memory: every input is built like this, so no
/// target touches the file system (a temporary directory per input cost most of each run).
fn base_files() -> InputFiles {
    InputFiles::new().inventory("inv/a.yaml", BASE_INVENTORY)
}

/// The base inventory and scenario (`s.yaml`).
fn base_inputs() -> InputFiles {
    base_files().scenario("s.yaml", BASE_SCENARIO)
}

/// The base inventory parsed once for the whole run, as `whatif` shares its inventory
/// between variants: the parse targets whose input is not the inventory then spend their
/// time on the input, not on re-parsing the same fixed text (most of each run before).
fn shared_base() -> &'static load::SharedInventory {
    static SHARED: std::sync::OnceLock<load::SharedInventory> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| load::parse_inventory_from(base_files()))
}

/// Loads `bytes` as a plan file named `p.plan.yaml`.
fn read_plan(bytes: &[u8]) -> Option<crate::model::Plan> {
    load::plan_file::from_bytes(Path::new("p.plan.yaml"), bytes.to_vec()).ok()
}

/// `bytes` as `--set` overrides, one per line; `None` when they are not text or not
/// overrides.
fn overrides_of(bytes: &[u8]) -> Option<load::Overrides> {
    let text = std::str::from_utf8(bytes).ok()?;
    load::Overrides::parse(&text.lines().collect::<Vec<_>>()).ok()
}

/// The inputs of the `inventory` targets: `bytes` as `inv/b.yaml` beside the base inventory.
fn inventory_inputs(bytes: &[u8]) -> InputFiles {
    base_inputs().inventory("inv/b.yaml", bytes)
}

/// The inputs of the `scenario` targets: `bytes` as the scenario `s.yaml`, which may
/// `extends: base.yaml` (the base scenario).
fn scenario_inputs(bytes: &[u8]) -> InputFiles {
    base_files()
        .file("base.yaml", BASE_SCENARIO)
        .scenario("s.yaml", bytes)
}

/// The scheduler's plan of `l`, with the small fixed search every target uses.
fn plan_of(l: &load::Loaded) -> crate::model::Plan {
    let search = crate::schedule::Options {
        seed: 1,
        effort: Some(20),
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

/// Loads `files` (with overrides) and, when valid, plans them and checks that the plan
/// verifies clean.
fn load_plan_verify(files: InputFiles, overrides: &load::Overrides) {
    if let Ok(l) = load::load_from(files, overrides) {
        assert_verifies(&l, &plan_of(&l));
    }
}

/// Loads `bytes` as one inventory file next to the base inventory, then plans it if valid.
pub fn inventory(bytes: &[u8]) {
    load_plan_verify(inventory_inputs(bytes), &load::Overrides::default());
}

/// Loads `bytes` as the only department file of an inventory, without a scenario (the
/// defaults), and validates it, as `validate` does: the parse-and-validate half of
/// [`inventory`]. The base inventory and scenario are left out because parsing their fixed
/// text took most of each run; [`inventory`] keeps them, so rules across files are fuzzed
/// there.
pub fn inventory_parse(bytes: &[u8]) {
    let files = InputFiles::new().inventory("inv/b.yaml", bytes);
    let _ = load::load_from(files, &load::Overrides::default());
}

/// Loads `bytes` as a scenario that may extend the base scenario, then plans if valid.
pub fn scenario(bytes: &[u8]) {
    load_plan_verify(scenario_inputs(bytes), &load::Overrides::default());
}

/// Loads `bytes` as a scenario that may extend the base scenario and validates it with the
/// base inventory (parsed once per run): the parse-and-validate half of [`scenario`].
pub fn scenario_parse(bytes: &[u8]) {
    let files = InputFiles::new()
        .file("base.yaml", BASE_SCENARIO)
        .scenario("s.yaml", bytes);
    let _ = load::load_variant_from(shared_base(), files, &load::Overrides::default());
}

/// Reads `bytes` as a plan file and verifies it against the base inventory and scenario.
pub fn plan(bytes: &[u8]) {
    let loaded = load::load_from(base_inputs(), &load::Overrides::default());
    if let (Ok(l), Some(p)) = (loaded, read_plan(bytes)) {
        let _ = crate::verify::verify(&l.inventory, &l.scenario, &p);
    }
}

/// Reads `bytes` as a plan file (its shape and wave bounds, as every plan reader checks
/// them): the parse half of [`plan`], without verifying.
pub fn plan_parse(bytes: &[u8]) {
    let _ = read_plan(bytes);
}

/// Applies `bytes` as `--set` overrides (one per line) to the base inventory and scenario.
pub fn set(bytes: &[u8]) {
    if let Some(overrides) = overrides_of(bytes) {
        load_plan_verify(base_inputs(), &overrides);
    }
}

/// Applies `bytes` as `--set` overrides to the base inventory (parsed once per run) and
/// scenario and validates the result, as each `whatif` variant is loaded: the
/// parse-and-validate half of [`set`].
pub fn set_parse(bytes: &[u8]) {
    if let Some(overrides) = overrides_of(bytes) {
        let files = InputFiles::new().scenario("s.yaml", BASE_SCENARIO);
        let _ = load::load_variant_from(shared_base(), files, &overrides);
    }
}

/// Reads `bytes` as a plan file and, with the base inputs loaded under the plan's recorded
/// overrides as `report` and `explain` load them, returns both; `None` when either fails.
fn read_plan_with_inputs(bytes: &[u8]) -> Option<(crate::model::Plan, load::Loaded)> {
    let plan = read_plan(bytes)?;
    let overrides = load::Overrides::parse(&plan.overrides).ok()?;
    let loaded = load::load_from(base_inputs(), &overrides).ok()?;
    Some((plan, loaded))
}

/// A plan of the base inputs, made once and checked like any planned input: the other side
/// of the `diff` target's comparisons.
fn base_plan() -> Option<&'static crate::model::Plan> {
    static PLAN: std::sync::OnceLock<Option<crate::model::Plan>> = std::sync::OnceLock::new();
    PLAN.get_or_init(|| {
        let l = load::load_from(base_inputs(), &load::Overrides::default()).ok()?;
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
    let Some(p) = read_plan(bytes) else {
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
        crate::report::Format::Ics,
    ] {
        let _ = crate::report::render_data(&data, format);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base inputs, loaded.
    fn base() -> load::Loaded {
        load::load_from(base_inputs(), &load::Overrides::default()).expect("base inputs load")
    }

    #[test]
    fn the_base_plan_verifies_clean() {
        let l = base();
        assert_verifies(&l, &plan_of(&l));
    }

    /// The check the fuzz targets rely on can fail: a plan missing a service is a finding.
    #[test]
    #[should_panic(expected = "the scheduler made a plan that verify rejects")]
    fn a_broken_plan_is_a_finding() {
        let l = base();
        let mut plan = plan_of(&l);
        assert!(
            plan.services.pop().is_some(),
            "the base plan schedules something"
        );
        assert_verifies(&l, &plan);
    }
}
