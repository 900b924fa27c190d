//! Unit tests of loading: what valid files turn into, and how merges and defaults behave.

use std::path::Path;

use super::*;
use crate::model::{Order, Site, Status, Strategy};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("temp dir is writable");
}

const DEPT: &str = "department:\n  code: DSI\n  name: Identification\nservices:\n";

fn load_one(services: &str, scenario: Option<&str>) -> Result<Loaded, Diagnostics> {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(&inv, "dsi.yaml", &format!("{DEPT}{services}"));
    let sc = scenario.map(|s| {
        write(dir.path(), "sc.yaml", s);
        dir.path().join("sc.yaml")
    });
    load(&inv, sc.as_deref())
}

const SC: &str = "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14}\n";

#[test]
fn defaults_and_shorthand_edges() {
    let l = load_one(
        "  - {id: a, name: A, site: datacenter, depends_on: [b]}\n  - {id: b, name: B, site: pilot-cloud}\n",
        None,
    )
    .expect("valid");
    let a = &l.inventory.services[0];
    assert_eq!(a.strategy, Strategy::Rehost);
    assert_eq!(a.duration_waves, 1);
    assert_eq!(a.status, Status::Planned);
    assert_eq!(a.depends_on[0].target, 1);
    assert_eq!(a.depends_on[0].order, None);
    assert!((a.depends_on[0].traffic - 1.0).abs() < f64::EPSILON);
    assert_eq!(l.inventory.services[1].site, Site::PilotCloud);
}

#[test]
fn null_means_absent() {
    let l = load_one("  - id: a\n    name: A\n    site: datacenter\n    depends_on:\n    tags: ~\n    strategy: null\n", None)
        .expect("valid");
    let a = &l.inventory.services[0];
    assert!(a.depends_on.is_empty());
    assert_eq!(a.strategy, Strategy::Rehost);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!("\u{feff}{DEPT}  - id: a\n    name: A\n    site: datacenter\n")
        .replace('\n', "\r\n");
    write(dir.path(), "dsi.yaml", &text);
    let l = load(dir.path(), None).expect("valid");
    assert_eq!(l.inventory.services.len(), 1);
    assert_eq!(l.inventory.services[0].name, "A");
}

#[test]
fn inventory_digest_covers_the_raw_bytes_in_name_order() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().expect("temp dir");
    let b = "department: {code: BB, name: B}\nservices: []\n";
    let a = "department: {code: AA, name: A}\nservices: []\n";
    write(dir.path(), "b.yml", b);
    write(dir.path(), "a.yaml", a);
    write(dir.path(), "notes.txt", "ignored");
    let l = load(dir.path(), None).expect("valid");
    let want = super::inventory::hex(&Sha256::digest(format!("{a}{b}").as_bytes()));
    assert_eq!(l.inventory.sha256, want);
    assert_eq!(l.inventory.departments[0].code, "AA");
}

#[test]
fn extends_merges_maps_replaces_lists_and_keeps_parent_on_null() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(
        &inv,
        "dsi.yaml",
        &format!("{DEPT}  - {{id: a, name: A, site: datacenter}}\n"),
    );
    write(
        dir.path(),
        "base.yaml",
        "name: base\ndescription: parent\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 50}\ncapacity:\n  cutovers: [1, 2]\n  teams: {app: 10, dba: 5}\n  transfer_gib: 100\n",
    );
    write(
        dir.path(),
        "child.yaml",
        "name: child\nextends: base.yaml\ncalendar: {wave_length_days: 7}\ncapacity:\n  cutovers: 9\n  teams: {dba: unlimited}\n  transfer_gib: null\n",
    );
    let l = load(&inv, Some(&dir.path().join("child.yaml"))).expect("valid");
    let sc = &l.scenario;
    assert_eq!(sc.name, "child");
    assert_eq!(sc.description, None, "description is never inherited");
    assert_eq!(sc.calendar.wave_length_days, 7);
    assert_eq!(sc.calendar.max_waves, 50);
    assert_eq!(sc.capacity.cutovers.ramp, vec![Some(9)]);
    assert_eq!(sc.capacity.teams.get("app"), Some(&Some(10.0)));
    assert_eq!(sc.capacity.teams.get("dba"), Some(&None));
    assert_eq!(
        sc.capacity.transfer_gib,
        Some(100.0),
        "null changes nothing"
    );
    assert_eq!(sc.files.len(), 2);
}

#[test]
fn scenario_default_order_applies_to_edges_without_one() {
    let l = load_one(
        "  - {id: a, name: A, site: datacenter, depends_on: [b]}\n  - {id: b, name: B, site: datacenter}\n",
        Some(&format!("{SC}rules: {{dependency_order: any}}\n")),
    )
    .expect("valid");
    let e = &l.inventory.services[0].depends_on[0];
    assert_eq!(
        e.effective_order(l.scenario.rules.dependency_order),
        Order::Any
    );
}

#[test]
fn default_strictly_before_closes_a_cycle_only_between_migrating_services() {
    // a <-> b with strictly-before by default is impossible while both migrate ...
    let cyc = "  - {id: a, name: A, site: datacenter, depends_on: [b]}\n  - {id: b, name: B, site: datacenter, depends_on: [a]}\n";
    let err = load_one(
        cyc,
        Some(&format!(
            "{SC}rules: {{dependency_order: strictly-before}}\n"
        )),
    )
    .expect_err("cycle");
    assert!(err.0.iter().any(|d| d.kind == "impossible-strictly-before"));
    // ... and fine once one of them is already in production.
    let done = cyc.replace(
        "id: b, name: B, site: datacenter",
        "id: b, name: B, site: production-cloud",
    );
    assert!(
        load_one(
            &done,
            Some(&format!(
                "{SC}rules: {{dependency_order: strictly-before}}\n"
            ))
        )
        .is_ok()
    );
}

#[test]
fn pins_and_unlimited_capacities_are_read() {
    let l = load_one(
        "  - {id: a, name: A, site: datacenter}\n",
        Some(&format!("{SC}capacity: {{cutovers: [2, unlimited], per_department: unlimited}}\npins: {{a: 3}}\n")),
    )
    .expect("valid");
    assert_eq!(l.scenario.capacity.cutovers.limit(1), Some(2));
    assert_eq!(l.scenario.capacity.cutovers.limit(5), None);
    assert_eq!(l.scenario.capacity.per_department, None);
    assert_eq!(l.scenario.pins.get("a"), Some(&3));
}

#[test]
fn yes_is_text_not_a_boolean_but_still_reserved() {
    let err = load_one(
        "  - {id: a, name: A, site: datacenter, move_group: yes}\n",
        None,
    )
    .expect_err("reserved");
    assert_eq!(err.0[0].kind, "reserved-word");
    assert_eq!(err.0[0].line, 5);
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused_cleanly() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = load_one(
        &format!("  - {{id: a, name: A, site: datacenter, tags: {deep}}}\n"),
        None,
    )
    .expect_err("too deep");
    assert_eq!(err.0[0].kind, "yaml-syntax");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "bomb.yaml", &bomb);
    let err = load(dir.path(), None).expect_err("bomb");
    assert!(err.0.iter().all(|d| d.line > 0), "{err}");
}

// Regressions from the documentation review (issue 6: each fix gets a test).

#[test]
fn aliased_numbers_are_read_from_their_anchor() {
    let l = load_one(
        "  - {id: a, name: A, site: datacenter, data_gib: &n 5}\n  - {id: b, name: B, site: datacenter, data_gib: *n}\n",
        None,
    )
    .expect("aliases of valid numbers are valid");
    assert!((l.inventory.services[1].data_gib - 5.0).abs() < f64::EPSILON);
}

#[test]
fn a_duplicate_key_gets_the_duplicate_hint_not_the_tab_hint() {
    let err = load_one(
        "  - id: a\n    name: A\n    site: datacenter\n    site: pilot-cloud\n",
        None,
    )
    .expect_err("dup");
    let d = &err.0[0];
    assert!(
        d.hint
            .as_deref()
            .is_some_and(|h| h.contains("each key may appear once")),
        "{d}"
    );
    assert!(!d.message.contains("DuplicateKeyPolicy"), "{d}");
}

#[test]
fn a_parent_scenario_needs_its_own_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(
        &inv,
        "dsi.yaml",
        &format!("{DEPT}  - {{id: a, name: A, site: datacenter}}\n"),
    );
    write(
        dir.path(),
        "base.yaml",
        "calendar: {start: 2019-01-07, wave_length_days: 14}\n",
    );
    write(
        dir.path(),
        "child.yaml",
        "name: child\nextends: base.yaml\n",
    );
    let err = load(&inv, Some(&dir.path().join("child.yaml"))).expect_err("parent without name");
    assert!(
        err.0
            .iter()
            .any(|d| d.kind == "missing-field" && d.message.contains("base.yaml")),
        "{err}"
    );
}

#[test]
fn a_broken_scenario_does_not_cause_false_edge_errors() {
    let services = "  - {id: a, name: A, site: datacenter, depends_on: [b]}\n  - {id: b, name: B, site: datacenter, strategy: retire}\n";
    let sc = "name: t\ncalendar: {start: 2019-02-30, wave_length_days: 14}\nrules: {dependency_order: any}\n";
    let err = load_one(services, Some(sc)).expect_err("bad date");
    assert!(err.0.iter().all(|d| d.kind != "edge-to-retired"), "{err}");
    assert!(err.0.iter().any(|d| d.kind == "bad-date"));
}

#[test]
fn a_department_whose_only_service_is_broken_is_not_said_to_list_none() {
    let err = load_one(
        "  - {id: a, name: A, site: datacenter, duration_waves: x}\n",
        None,
    )
    .expect_err("bad");
    assert!(
        err.0
            .iter()
            .all(|d| d.kind != "department-without-services"),
        "{err}"
    );
}
