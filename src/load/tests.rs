//! Unit tests of loading: what valid files turn into, and how merges and defaults behave.

use std::path::Path;

use super::*;
use crate::model::ServiceIx;
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
    assert_eq!(a.depends_on[0].target, ServiceIx::new(1));
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

// Issue 10, point 4: nothing silently ignored. Names and dates that are valid but can never
// matter are warnings (the plan still runs), located at what to fix, with a suggestion.

fn load_set(services: &str, scenario: &str, sets: &[&str]) -> Result<Loaded, Diagnostics> {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(&inv, "dsi.yaml", &format!("{DEPT}{services}"));
    write(dir.path(), "sc.yaml", scenario);
    let overrides = Overrides::parse(sets).expect("well-formed overrides");
    load_with(&inv, Some(&dir.path().join("sc.yaml")), &overrides)
}

/// The warnings of a load that must succeed, as `kind line:column`.
fn warnings(l: &Loaded) -> Vec<String> {
    l.warnings
        .0
        .iter()
        .map(|d| format!("{} {}:{}", d.kind, d.line, d.column))
        .collect()
}

const TEAMS: &str = "  - {id: a, name: A, site: datacenter, effort: {app: 3, dba: 1}}\n  - {id: b, name: B, site: datacenter, strategy: retain, effort: {mainframe: 2}}\n";

#[test]
fn correct_inputs_give_no_warnings() {
    let sc = format!(
        "{HORIZON}    - {{name: CNY, from: 2019-02-04, to: 2019-02-10}}\ncapacity:\n  teams: {{app: 10, dba: 5}}\n"
    );
    let services = "  - {id: a, name: A, site: datacenter, effort: {app: 3, dba: 1}, move_group: g}\n  - {id: b, name: B, site: datacenter, move_group: g}\n";
    let l = load_set(services, &sc, &[]).expect("valid");
    assert!(l.warnings.0.is_empty(), "{}", l.warnings);
}

#[test]
fn a_team_capacity_in_the_wrong_case_warns_and_suggests_the_team_in_use() {
    let sc = format!("{SC}capacity:\n  teams: {{app: 10, DBA: 1}}\n");
    let l = load_set(TEAMS, &sc, &[]).expect("a warning does not stop loading");
    assert_eq!(warnings(&l), ["unused-team-capacity 4:20"]);
    let w = &l.warnings.0[0];
    assert!(!w.is_error());
    assert_eq!(
        w.message,
        "no migrating service has effort for team `DBA`, so this capacity limits nothing"
    );
    assert_eq!(w.hint.as_deref(), Some("did you mean `dba`?"));
    assert!(w.to_string().contains("sc.yaml:4:20: warning: "), "{w}");
}

#[test]
fn an_effort_team_spelt_like_a_capped_one_warns_once_at_its_first_service() {
    let services = "  - {id: a, name: A, site: datacenter, effort: {app: 3, DBA: 1}}\n  - {id: b, name: B, site: datacenter, effort: {DBA: 2, qa: 1}}\n  - {id: c, name: C, site: datacenter, effort: {dba: 1}}\n";
    let sc = format!("{SC}capacity:\n  teams: {{app: 10, dba: 1}}\n");
    let l = load_set(services, &sc, &[]).expect("a warning does not stop loading");
    let effort: Vec<_> = l
        .warnings
        .0
        .iter()
        .filter(|w| w.kind == "uncapped-team-effort")
        .collect();
    assert_eq!(effort.len(), 1, "{}", l.warnings);
    assert_eq!(
        effort[0].message,
        "`a` has effort for team `DBA` (so do 1 other service), which no capacity limits, so that work is unlimited"
    );
    assert_eq!(effort[0].hint.as_deref(), Some("did you mean `dba`?"));
    // `qa` is spelt like no capped team: leaving a team uncapped is the planner's choice.
    assert!(!l.warnings.to_string().contains("`qa`"), "{}", l.warnings);
}

#[test]
fn a_team_capacity_no_migrating_service_uses_lists_the_teams_in_use() {
    // `mainframe` is only in a retained service's effort: it never takes a wave.
    let sc = format!("{SC}capacity:\n  teams: {{app: 10, mainframe: 1, network: 4}}\n");
    let l = load_set(TEAMS, &sc, &[]).expect("valid");
    assert_eq!(
        warnings(&l),
        ["unused-team-capacity 4:20", "unused-team-capacity 4:34"]
    );
    for w in &l.warnings.0 {
        assert_eq!(
            w.hint.as_deref(),
            Some("teams in the migrating services' effort: app, dba")
        );
    }
    let none = load_set("  - {id: a, name: A, site: datacenter}\n", &sc, &[]).expect("valid");
    assert!(
        none.warnings.0[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("no migrating service lists `effort`")),
        "{}",
        none.warnings
    );
}

#[test]
fn a_team_capacity_set_on_the_command_line_is_located_in_the_override() {
    let l = load_set(TEAMS, SC, &["capacity.teams.DBA=1"]).expect("valid");
    let w = &l.warnings.0[0];
    assert_eq!(w.kind, "unused-team-capacity");
    assert!(
        w.to_string().starts_with(
            "--set capacity.teams.DBA:1:1: warning: no migrating service has effort for team `DBA`"
        ),
        "{w}"
    );
    assert_eq!(w.hint.as_deref(), Some("did you mean `dba`?"));
    // The right name gives no warning, and the limit is read.
    let l = load_set(TEAMS, SC, &["capacity.teams.dba=1"]).expect("valid");
    assert!(l.warnings.0.is_empty(), "{}", l.warnings);
    assert_eq!(l.scenario.capacity.teams.get("dba"), Some(&Some(1.0)));
}

#[test]
fn an_override_of_an_unknown_department_suggests_the_code() {
    let err = load_set(TEAMS, SC, &["departments.Dsi.max_cutovers_per_wave=2"])
        .expect_err("no such department");
    let d = &err.0[0];
    assert_eq!(d.kind, "bad-override");
    assert!(d.message.contains("no department with code `Dsi`"), "{d}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `DSI`?"));
}

const HORIZON: &str = "name: t\ncalendar:\n  start: 2019-01-07\n  wave_length_days: 14\n  max_waves: 10\n  freezes:\n";

#[test]
fn freezes_wholly_outside_the_horizon_warn() {
    // Ten two-week waves: 2019-01-07 .. 2019-05-26.
    let sc = format!(
        "{HORIZON}    - {{name: old, from: 2018-02-04, to: 2019-01-06}}\n    - {{name: edge, from: 2018-02-04, to: 2019-01-07}}\n    - {{name: last, from: 2019-05-26, to: 2019-06-30}}\n    - {{from: 2019-05-27, to: 2019-06-30}}\n"
    );
    let l = load_set("  - {id: a, name: A, site: datacenter}\n", &sc, &[]).expect("valid");
    assert_eq!(
        warnings(&l),
        [
            "freeze-outside-horizon 7:41",
            "freeze-outside-horizon 10:14"
        ]
    );
    assert_eq!(
        l.warnings.0[0].message,
        "freeze `old` (2018-02-04 to 2019-01-06) ends before wave 1 starts (2019-01-07), so it can never apply"
    );
    assert_eq!(
        l.warnings.0[1].message,
        "a freeze (2019-05-27 to 2019-06-30) starts after the planning horizon ends (2019-05-26, the end of wave 10), so it can never apply"
    );
    assert!(
        l.warnings.0[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("check the year"))
    );
}

#[test]
fn blackouts_wholly_outside_the_horizon_warn_only_against_a_real_scenario() {
    let dept = "department:\n  code: DSI\n  name: Identification\n  blackouts:\n    - {from: 2029-03-01, to: 2029-05-31, reason: tax season}\n    - {from: 2019-03-01, to: 2019-05-31}\nservices:\n  - {id: a, name: A, site: datacenter}\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(&inv, "dsi.yaml", dept);
    write(
        dir.path(),
        "sc.yaml",
        HORIZON.trim_end_matches("  freezes:\n"),
    );
    let l = load(&inv, Some(&dir.path().join("sc.yaml"))).expect("valid");
    assert_eq!(warnings(&l), ["blackout-outside-horizon 5:14"]);
    assert_eq!(
        l.warnings.0[0].message,
        "blackout `tax season` of department `DSI` (2029-03-01 to 2029-05-31) starts after the planning horizon ends (2019-05-26, the end of wave 10), so it can never apply"
    );
    // Without a scenario the horizon is the built-in default, which says nothing.
    let l = load(&inv, None).expect("valid");
    assert!(l.warnings.0.is_empty(), "{}", l.warnings);
}

#[test]
fn a_one_member_move_group_warns_and_suggests_a_similar_group() {
    let services = "  - {id: a, name: A, site: datacenter, move_group: parking}\n  - {id: b, name: B, site: datacenter, move_group: parking}\n  - {id: c, name: C, site: datacenter, move_group: parkng}\n  - {id: d, name: D, site: datacenter, move_group: solo}\n";
    let l = load_set(services, SC, &[]).expect("valid");
    assert_eq!(
        warnings(&l),
        [
            "single-member-move-group 7:52",
            "single-member-move-group 8:52"
        ]
    );
    let (parkng, solo) = (&l.warnings.0[0], &l.warnings.0[1]);
    assert_eq!(
        parkng.message,
        "move group `parkng` has only one member, `c`"
    );
    assert_eq!(
        parkng.hint.as_deref(),
        Some("did you mean `parking` (a group of 2)?")
    );
    assert_eq!(solo.message, "move group `solo` has only one member, `d`");
    assert!(
        solo.hint
            .as_deref()
            .is_some_and(|h| h.starts_with("give the services")),
        "{solo}"
    );
}

#[test]
fn a_lone_move_group_member_that_does_not_migrate_is_reported_once() {
    let l = load_set(
        "  - {id: a, name: A, site: datacenter, strategy: retain, move_group: solo}\n",
        SC,
        &[],
    )
    .expect("valid");
    let kinds: Vec<&str> = l.warnings.0.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, ["move-group-member-not-migrating"]);
}

#[test]
fn a_pin_of_an_unknown_service_is_an_error_with_a_suggestion() {
    let services = "  - {id: dsi-identity, name: A, site: datacenter}\n  - {id: dsi-identify, name: B, site: datacenter, strategy: retire}\n";
    let err = load_set(services, &format!("{SC}pins: {{dsi-identiy: 3}}\n"), &[])
        .expect_err("unknown pin");
    let d = &err.0[0];
    assert!((d.kind, d.is_error()) == ("bad-pin", true), "{d}");
    assert_eq!(d.message, "pin names unknown service `dsi-identiy`");
    // Only migrating services can be pinned, so only they are suggested.
    assert_eq!(d.hint.as_deref(), Some("did you mean `dsi-identity`?"));
}

#[test]
fn a_broken_service_does_not_make_its_team_or_group_look_unused() {
    let services = "  - {id: a, name: A, site: datacenter, effort: {dba: 1}, move_group: g, data_gib: x}\n  - {id: b, name: B, site: datacenter, move_group: g}\n";
    let err = load_set(
        services,
        &format!("{SC}capacity:\n  teams: {{dba: 5}}\n"),
        &[],
    )
    .expect_err("bad number");
    assert!(
        err.0.iter().all(|d| d.is_error()),
        "only the error itself: {err}"
    );
}

#[test]
fn a_parent_scenario_needs_no_name() {
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
    let l = load(&inv, Some(&dir.path().join("child.yaml"))).expect("a nameless parent is fine");
    assert_eq!(l.scenario.name, "child");
    assert_eq!(l.scenario.calendar.wave_length_days, 14);
}

#[test]
fn a_plain_text_parent_is_reported_at_the_childs_extends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(
        &inv,
        "dsi.yaml",
        &format!("{DEPT}  - {{id: a, name: A, site: datacenter}}\n"),
    );
    write(dir.path(), "notes.txt", "just some words\n");
    write(
        dir.path(),
        "child.yaml",
        "name: child\nextends: notes.txt\n",
    );
    let err = load(&inv, Some(&dir.path().join("child.yaml"))).expect_err("text is no parent");
    assert_eq!(err.0.len(), 1, "{err}");
    let d = &err.0[0];
    assert_eq!(d.kind, "extends-not-scenario");
    assert_eq!(
        d.file.as_deref(),
        Some(dir.path().join("child.yaml").as_path())
    );
    assert_eq!(d.line, 2, "at the `extends` line");
    assert!(!d.message.contains("calendar"), "{}", d.message);
    assert!(
        !d.to_string().contains("just some words"),
        "the parent's content is not echoed: {d}"
    );
}

/// A sparse file of `size` bytes: the size check must refuse it before reading anything.
fn sparse(path: &Path, size: u64) {
    let f = std::fs::File::create(path).expect("create");
    f.set_len(size).expect("set_len");
}

#[test]
fn a_file_just_over_the_limit_says_so_and_only_inventories_get_the_split_hint() {
    let over = yaml::MAX_FILE_BYTES + 512 * 1024;
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("big.plan.json");
    sparse(&plan, over);
    let d = plan_file::read(&plan).expect_err("too large");
    assert!(
        d.message
            .ends_with("is 67633152 bytes (64.5 MiB); the limit is 67108864 bytes (64.0 MiB)"),
        "{}",
        d.message
    );
    assert_eq!(d.hint, None, "splitting is advice for inventories only");

    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(
        &inv,
        "dsi.yaml",
        &format!("{DEPT}  - {{id: a, name: A, site: datacenter}}\n"),
    );
    let sc = dir.path().join("sc.yaml");
    sparse(&sc, over);
    let err = load(&inv, Some(&sc)).expect_err("too large");
    assert!(err.0.iter().all(|d| d.hint.is_none()), "{err}");
    assert!(
        err.0.iter().any(|d| d.message.contains("64.5 MiB")),
        "{err}"
    );

    sparse(&inv.join("zz.yaml"), over);
    let err = load(&inv, None).expect_err("too large");
    let d = err
        .0
        .iter()
        .find(|d| d.message.contains("64.5 MiB"))
        .expect("size error");
    assert_eq!(
        d.hint.as_deref(),
        Some("split the inventory into one file per department")
    );
}

#[test]
fn inputs_in_memory_load_like_the_same_files_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    let (a, b) = (
        format!("{DEPT}  - {{id: a, name: A, site: datacenter, depends_on: [b]}}\n"),
        "\u{feff}department: {code: DSF, name: Finance}\nservices:\n  - {id: b, name: B, site: datacenter}\n",
    );
    write(&inv, "a.yaml", &a);
    write(&inv, "b.yaml", b);
    write(
        dir.path(),
        "base.yaml",
        "name: base\ncalendar: {start: 2019-01-07, wave_length_days: 14}\n",
    );
    write(
        dir.path(),
        "child.yaml",
        "name: child\nextends: base.yaml\n",
    );
    let disk = load(&inv, Some(&dir.path().join("child.yaml"))).expect("disk loads");

    // Given out of order: loaded in SPEC (file-name) order all the same.
    let files = InputFiles::new()
        .inventory(inv.join("b.yaml"), b)
        .inventory(inv.join("a.yaml"), a)
        .file(
            dir.path().join("base.yaml"),
            "name: base\ncalendar: {start: 2019-01-07, wave_length_days: 14}\n",
        )
        .scenario(
            dir.path().join("child.yaml"),
            "name: child\nextends: base.yaml\n",
        );
    let memory = load_from(files, &Overrides::default()).expect("memory loads");
    assert_eq!(memory.inventory.files, disk.inventory.files);
    assert_eq!(memory.inventory.sha256, disk.inventory.sha256);
    assert_eq!(memory.scenario_files, disk.scenario_files);
    assert_eq!(memory.scenario.name, "child");
    assert_eq!(memory.scenario.calendar.wave_length_days, 14);
    let ids = |l: &Loaded| {
        l.inventory
            .services
            .iter()
            .map(|s| s.id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&memory), ids(&disk));
}

#[test]
fn extends_is_looked_up_in_memory_by_its_resolved_path_and_never_on_disk() {
    let inv = || {
        InputFiles::new().inventory(
            "inv/dsi.yaml",
            format!("{DEPT}  - {{id: a, name: A, site: datacenter}}\n"),
        )
    };
    let base = "calendar: {start: 2019-01-07, wave_length_days: 7}\n";
    let files = inv().file("shared/base.yaml", base).scenario(
        "plans/child.yaml",
        "name: child\nextends: ../shared/./base.yaml\n",
    );
    let l = load_from(files, &Overrides::default()).expect("the parent is found");
    assert_eq!(l.scenario.calendar.wave_length_days, 7);
    assert_eq!(
        l.scenario_files,
        [
            Path::new("plans/child.yaml"),
            Path::new("plans/../shared/./base.yaml")
        ]
    );

    // A parent that exists on disk but not among the inputs is an error, not a read.
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("base.yaml");
    write(dir.path(), "base.yaml", base);
    let files = inv().scenario(
        "child.yaml",
        format!("name: child\nextends: {}\n", real.display()),
    );
    let err = load_from(files, &Overrides::default()).expect_err("not given");
    assert!(
        err.0.iter().any(|d| d.message.contains(&format!(
            "`extends` names `{}`, which cannot be read",
            real.display()
        )) && d.message.contains("not among the input files")),
        "{err}"
    );

    // A chain that comes back by another spelling of the same path is a cycle.
    let files = inv().scenario("p/s.yaml", "name: s\nextends: ../p/s.yaml\n");
    let err = load_from(files, &Overrides::default()).expect_err("cycle");
    assert!(err.0.iter().any(|d| d.kind == "extends-cycle"), "{err}");
}

#[test]
fn in_memory_inputs_are_checked_like_files() {
    let err = load_from(InputFiles::new(), &Overrides::default()).expect_err("no inventory");
    assert_eq!(err.0[0].kind, "empty-inventory", "{err}");

    let files = InputFiles::new().inventory("inv/x.yaml", b"department: \xff\n".to_vec());
    let err = load_from(files, &Overrides::default()).expect_err("not UTF-8");
    assert_eq!(err.0.len(), 1, "{err}");
    assert_eq!(err.0[0].kind, "bad-encoding");
    assert_eq!(err.0[0].file.as_deref(), Some(Path::new("inv/x.yaml")));
    assert_eq!((err.0[0].line, err.0[0].column), (1, 13));
}

#[test]
fn an_unreadable_inventory_file_leaves_the_inventory_incomplete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(
        &inv,
        "a.yaml",
        &format!("{DEPT}  - {{id: a, name: A, site: datacenter, move_group: g}}\n"),
    );
    // The group's other member may be in the file that cannot be read: no lone-member
    // warning, only the reason the file was not read.
    std::fs::create_dir(inv.join("zz.yaml")).expect("mkdir");
    let err = load(&inv, None).expect_err("unreadable");
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(err.0[0].message.contains("is a directory"), "{err}");
}

#[test]
fn a_plan_in_memory_reads_like_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.plan.yaml");
    write(dir.path(), "p.plan.yaml", "summary: [\n");
    let disk = plan_file::read(&path).expect_err("broken");
    let memory = plan_file::from_bytes(&path, b"summary: [\n".to_vec()).expect_err("broken");
    assert_eq!(memory, disk);
}

// Issue 12: a `whatif` run reads and parses the inventory once; every variant converts the
// shared trees and gets exactly what `load_with` gives it.

/// Everything a load returns, as text to compare (the inventory has no `PartialEq`).
fn loaded_text(r: &Result<Loaded, Diagnostics>) -> String {
    match r {
        Ok(l) => format!(
            "{:?}\n{:?}\n{}\n{:?}",
            l.inventory, l.scenario, l.warnings, l.scenario_files
        ),
        Err(d) => format!("error:\n{d}\n{d:?}"),
    }
}

/// A two-file inventory in `inv/` and a scenario beside it, outside the inventory.
fn two_files() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inv");
    std::fs::create_dir(&inv).expect("mkdir");
    write(
        &inv,
        "a.yaml",
        &format!("{DEPT}  - {{id: a, name: A, site: datacenter, depends_on: [b]}}\n"),
    );
    write(
        &inv,
        "b.yaml",
        "department:\n  code: DPB\n  name: B\nservices:\n  - {id: b, name: B, site: pilot-cloud, effort: {dba: 2}}\n",
    );
    let sc = dir.path().join("sc.yaml");
    write(dir.path(), "sc.yaml", SC);
    (dir, inv, sc)
}

#[test]
fn a_whatif_run_reads_and_parses_the_inventory_once() {
    let (_dir, inv, sc) = two_files();
    let sets: [&[&str]; 4] = [
        &[],
        &["capacity.cutovers=3"],
        &["services.a.duration_waves=2"],
        &["services.nope.duration_waves=2", "departments.DPB.name=X"],
    ];
    let overrides: Vec<Overrides> = sets
        .iter()
        .map(|s| Overrides::parse(s).expect("well-formed overrides"))
        .collect();
    let expected: Vec<String> = overrides
        .iter()
        .map(|o| loaded_text(&load_with(&inv, Some(&sc), o)))
        .collect();

    let shared = parse_inventory(&inv);
    assert_eq!(shared.files_parsed(), 2, "each file parsed once");
    // The variants cannot read the inventory again: it is gone.
    std::fs::remove_dir_all(&inv).expect("rm inv");
    for (o, want) in overrides.iter().zip(&expected) {
        assert_eq!(&loaded_text(&load_variant(&shared, Some(&sc), o)), want);
    }
    assert_eq!(shared.files_parsed(), 2, "no variant parses a file again");
}

#[test]
fn an_override_converts_a_clone_and_leaves_the_shared_tree_untouched() {
    let (_dir, inv, sc) = two_files();
    let shared = parse_inventory(&inv);
    let set = Overrides::parse(&["services.a.duration_waves=2"]).expect("override");
    let duration = |l: &Loaded| {
        l.inventory
            .services
            .iter()
            .find(|s| s.id.to_string() == "a")
            .map(|s| s.duration_waves)
    };
    let first = load_variant(&shared, Some(&sc), &set).expect("overridden variant loads");
    assert_eq!(duration(&first), Some(2));
    // The next variant, without the override, sees the file as written.
    let second = load_variant(&shared, Some(&sc), &Overrides::default()).expect("loads");
    assert_eq!(duration(&second), Some(1));
    let a = shared.trees[0].as_ref().expect("a.yaml parsed");
    let service = a
        .get("services")
        .and_then(|s| match &s.kind {
            yaml::Kind::Seq(items) => items.first(),
            _ => None,
        })
        .expect("a's service");
    assert!(service.get("duration_waves").is_none(), "shared tree kept");
}

#[test]
fn shared_loads_report_read_and_parse_errors_as_load_with_does() {
    let (dir, inv, sc) = two_files();
    write(&inv, "c.yaml", "department: [unclosed\n");
    std::fs::write(inv.join("d.yaml"), b"department:\n  code: \xff\n").expect("write");
    let none = Overrides::default();
    let shared = parse_inventory(&inv);
    let want = loaded_text(&load_with(&inv, Some(&sc), &none));
    assert!(want.starts_with("error:"), "{want}");
    for _ in 0..2 {
        assert_eq!(loaded_text(&load_variant(&shared, Some(&sc), &none)), want);
    }
    let missing = dir.path().join("nowhere");
    let shared = parse_inventory(&missing);
    assert_eq!(
        loaded_text(&load_variant(&shared, Some(&sc), &none)),
        loaded_text(&load_with(&missing, Some(&sc), &none))
    );
}

#[test]
fn variants_of_an_inventory_in_memory_load_as_load_from_does() {
    let inventory = InputFiles::new()
        .inventory("inv/b.yaml", "department: {code: DB, name: B}\nservices:\n  - {id: b, name: B, site: datacenter, depends_on: [a]}\n")
        .inventory("inv/a.yaml", "department: {code: DA, name: A}\nservices:\n  - {id: a, name: A, site: datacenter}\n");
    let scenario = || {
        InputFiles::new()
            .file(
                "p/base.yaml",
                "calendar: {start: 2019-01-07, max_waves: 9}\n",
            )
            .scenario("p/s.yaml", "extends: base.yaml\ncapacity: {cutovers: 2}\n")
    };
    let with_both = |o: &Overrides| {
        let mut all = scenario();
        all.inventory = inventory.inventory.clone();
        loaded_text(&load_from(all, o))
    };
    let shared = parse_inventory_from(inventory.clone());
    assert_eq!(shared.files_parsed(), 2);
    for set in [
        &[][..],
        &["capacity.cutovers=5"][..],
        &["services.b.depends_on=[]"][..],
        &["services.nope.duration_waves=2"][..],
    ] {
        let o = Overrides::parse(set).expect("well-formed overrides");
        let want = with_both(&o);
        assert_eq!(
            loaded_text(&load_variant_from(&shared, scenario(), &o)),
            want
        );
    }
    // A scenario chain file missing from memory is an error, never read from disk.
    let lone = InputFiles::new().scenario("p/s.yaml", "extends: base.yaml\n");
    let got = loaded_text(&load_variant_from(&shared, lone, &Overrides::default()));
    assert!(got.contains("not among the input files"), "{got}");
}

#[test]
fn risk_names_the_inventory_lacks_are_warnings_with_a_suggestion() {
    let services = "  - {id: dsi-identity, name: A, site: datacenter}\n  - {id: dsi-archive, name: B, site: datacenter, strategy: retain}\n";
    let sc = format!(
        "{SC}risk:\n  departments: {{DSX: 2}}\n  services: {{dsi-identiy: 0.1, dsi-archive: 0.2}}\n"
    );
    let l = load_set(services, &sc, &[]).expect("a risk name is no error");
    let got: Vec<(&str, &str)> = l
        .warnings
        .0
        .iter()
        .map(|d| (d.kind, d.hint.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        got,
        [
            ("unknown-risk-name", "did you mean `DSI`?"),
            ("unknown-risk-name", "did you mean `dsi-identity`?"),
            (
                "unknown-risk-name",
                "only migrating services cut over; remove the entry"
            ),
        ]
    );
    assert!(l.scenario.risk.is_some());
}
