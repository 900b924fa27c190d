//! The JSON Schemas of `waveplan schema` (issue 15): the files in `schemas/` are what the code
//! generates, every shipped and valid file passes its schema, and the invalid inputs a schema
//! can see fail it. Files are read as YAML with serde-saphyr, as editors read them, and
//! checked with the `jsonschema` crate (formats checked too, as editors do).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use waveplan::load::schema::{Format, SCHEMA_DIR};

use crate::{fixture, root, run};

/// The command that rewrites `schemas/` (README, docs/editors.md).
const REGENERATE: &str = "cargo run -- schema --write-dir schemas";

fn validator(format: Format) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&format.schema())
        .unwrap_or_else(|e| panic!("the {} schema compiles: {e}", format.name()))
}

/// A YAML file's content as JSON, or the parser's error.
fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_saphyr::from_str::<Value>(&text).map_err(|e| e.to_string())
}

/// The schema's complaints about `path` (empty: it passes).
fn complaints(format: Format, path: &Path) -> Vec<String> {
    let value = read_yaml(path).unwrap_or_else(|e| panic!("{} reads: {e}", path.display()));
    validator(format)
        .iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Fails, listing the complaints, unless `path` passes the schema of `format`.
pub fn assert_passes(format: Format, path: &Path) {
    let found = complaints(format, path);
    assert!(
        found.is_empty(),
        "{} fails the {} schema:\n{}",
        path.display(),
        format.name(),
        found.join("\n")
    );
}

/// The `*.yaml` files directly in `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    out.sort();
    out
}

fn is_plan(path: &Path) -> bool {
    waveplan::load::is_plan_path(path)
}

/// The shipped scenarios: `plans/*.yaml` and `plans/whatif/*.yaml` that are not plans.
fn shipped_scenarios() -> Vec<PathBuf> {
    let mut out = yaml_files(&root().join("plans"));
    out.extend(yaml_files(&root().join("plans/whatif")));
    out.retain(|p| !is_plan(p));
    out
}

#[test]
fn the_checked_in_schemas_are_what_the_code_generates() {
    for format in Format::ALL {
        let path = root().join(SCHEMA_DIR).join(format.file_name());
        let on_disk = fs::read_to_string(&path).unwrap_or_default();
        let generated = format.to_json().unwrap();
        assert!(
            on_disk == generated,
            "`{SCHEMA_DIR}/{}` is not what the code generates: regenerate the schemas with `{REGENERATE}` and commit them",
            format.file_name()
        );
    }
}

#[test]
fn the_schemas_are_valid_json_schemas() {
    for format in Format::ALL {
        let schema = format.schema();
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("the {} schema breaks its meta-schema: {e}", format.name());
        }
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema",
            "{}",
            format.name()
        );
    }
}

#[test]
fn schema_prints_writes_and_writes_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let r = run(dir.path(), &["schema", format.name()]);
        assert_eq!(r.code, Some(0));
        assert_eq!(
            String::from_utf8(r.out_bytes).unwrap(),
            format.to_json().unwrap()
        );
    }
    let r = run(dir.path(), &["schema", "plan", "-o", "p.json"]);
    assert_eq!(r.code, Some(0));
    assert!(r.out.is_empty());
    assert_eq!(
        fs::read_to_string(dir.path().join("p.json")).unwrap(),
        Format::Plan.to_json().unwrap()
    );
    let r = run(dir.path(), &["schema", "--write-dir", "new/schemas"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    for format in Format::ALL {
        let written = fs::read_to_string(dir.path().join("new/schemas").join(format.file_name()));
        assert_eq!(written.unwrap(), format.to_json().unwrap());
    }
    // Usage errors: nothing to print, two destinations, an unknown format.
    for args in [
        &["schema"][..],
        &["schema", "plan", "--write-dir", "d"],
        &["schema", "inventories"],
    ] {
        assert_eq!(run(dir.path(), args).code, Some(2), "{args:?}");
    }
}

#[test]
fn shipped_files_name_their_schema_on_their_first_line() {
    let check = |path: &Path, format: Format, depth: usize| {
        let text = fs::read_to_string(path).unwrap();
        let first = text.lines().next().unwrap_or("");
        assert_eq!(first, format.modeline(depth), "{}", path.display());
        // The path resolves from the file's directory, as the editor resolves it.
        let target = first
            .split_once("$schema=")
            .map(|(_, t)| path.parent().unwrap().join(t))
            .unwrap();
        assert!(
            target.is_file(),
            "{} names {}",
            path.display(),
            target.display()
        );
    };
    let inventories = yaml_files(&root().join("inventories"));
    assert!(inventories.len() >= 40);
    for p in &inventories {
        check(p, Format::Inventory, 1);
    }
    let scenarios = shipped_scenarios();
    assert!(scenarios.len() >= 6, "{scenarios:?}");
    for p in &scenarios {
        let depth = p.strip_prefix(root()).unwrap().components().count() - 1;
        check(p, Format::Scenario, depth);
    }
}

#[test]
fn every_shipped_file_passes_its_schema() {
    for p in yaml_files(&root().join("inventories")) {
        assert_passes(Format::Inventory, &p);
    }
    for p in shipped_scenarios() {
        assert_passes(Format::Scenario, &p);
    }
    assert_passes(Format::Plan, &root().join("plans/baseline.plan.yaml"));
}

/// What a valid fixture file is: a plan by its name, a department file in an `inventories`
/// directory, a scenario otherwise.
fn format_of(path: &Path) -> Format {
    if is_plan(path) {
        Format::Plan
    } else if path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "inventories")
    {
        Format::Inventory
    } else {
        Format::Scenario
    }
}

/// Every YAML file under `dir`, at any depth.
fn yaml_tree(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            yaml_tree(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

#[test]
fn every_valid_fixture_passes_its_schema() {
    let mut files = Vec::new();
    for dir in ["valid", "report", "replan"] {
        yaml_tree(&fixture(dir), &mut files);
    }
    files.sort();
    let mut seen = [0; 3];
    for p in &files {
        let format = format_of(p);
        seen[Format::ALL.iter().position(|f| *f == format).unwrap()] += 1;
        assert_passes(format, p);
    }
    assert!(seen.iter().all(|&n| n > 0), "{seen:?} of {files:?}");
}

#[test]
fn a_misspelt_field_fails_the_schema_and_the_loader() {
    // The editor's squiggle under `critcality:` is this failure (`additionalProperties`).
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("inventories/dsi.yaml")).unwrap();
    assert!(text.contains("    criticality: "));
    let typo = text.replacen("    criticality: ", "    critcality: ", 1);
    let path = dir.path().join("dsi.yaml");
    fs::write(&path, typo).unwrap();
    let found = complaints(Format::Inventory, &path);
    assert!(found.iter().any(|c| c.contains("critcality")), "{found:?}");
    let r = run(dir.path(), &["validate", "-i", "."]);
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("did you mean `criticality`?"));
}

/// Invalid fixtures whose error a schema can see (a wrong type, an unknown field, a word
/// outside its set, a number out of range, a pattern, a missing field): each names the
/// file that must fail. Every other file of these fixtures must pass.
const SEEN_BY_THE_SCHEMA: &[(&str, &[&str])] = &[
    ("bad-capacity-word", &["scenario.yaml"]),  // `unlimitted`
    ("bad-code", &["dsi.yaml"]),                // lowercase code: pattern
    ("bad-date", &["dsi.yaml"]),                // 2019-02-30: the date pattern knows the days
    ("bad-date-format", &["dsi.yaml"]),         // not YYYY-MM-DD
    ("bad-enum", &["dsi.yaml"]),                // site outside the three
    ("bad-id", &["dsi.yaml"]),                  // uppercase id: pattern
    ("critical-zero", &["scenario.yaml"]),      // below the minimum of 1
    ("decimal-count", &["dsi.yaml"]),           // 1.5 where an integer goes
    ("empty-file", &["dsi.yaml"]),              // null is not a department file
    ("latency-strictly-before", &["dsi.yaml"]), // both on one entry: the edge's `if`
    ("many-problems", &["a.yaml", "b.yaml"]),   // an unknown field, a wrong type
    ("missing-field", &["dsi.yaml"]),           // `required`
    ("missing-migrated-on", &["dsi.yaml"]),     // the service's `if status: migrated`
    ("negative-number", &["dsi.yaml"]),         // below the minimum of 0
    ("pin-beside-other-errors", &["scenario.yaml"]), // a negative count (the pin: beyond)
    ("reserved-code", &["dsi.yaml"]),           // the `not` of reserved words
    ("reserved-id", &["dsi.yaml"]),
    ("scenario-bad-costs", &["scenario.yaml"]), // negative, unknown fields, a word
    ("scenario-bad-risk", &["scenario.yaml"]),  // above 1, negative, unknown, a zero median
    ("scenario-unknown-field", &["scenario.yaml"]),
    ("unknown-field", &["dsi.yaml"]),
    ("wrong-type", &["dsi.yaml"]),
    ("zero-duration", &["dsi.yaml"]), // below the minimum of 1
];

/// Invalid fixtures whose error no schema can see; their files pass the schemas, which shows
/// the schemas do not refuse more than the loader.
const BEYOND_THE_SCHEMA: &[&str] = &[
    // Semantic, across services or files: only the loader, with everything loaded, knows.
    "bad-pin",                    // a pin on a retained or unknown service
    "dangling-dependency",        // an id no file defines
    "duplicate-department",       // one code in two files
    "duplicate-edge",             // two entries to one service (they differ, so not uniqueItems)
    "duplicate-id",               // one id in two files
    "edge-to-retired",            // depends on what the other service's strategy is
    "impossible-strictly-before", // a cycle through other edges
    "move-group-pins-differ",     // pins compared with move groups in the inventory
    "self-dependency",            // an id compared with the service's own
    "strictly-before-move-group", // move groups across services
    "target-order",               // list entries compared with each other
    "window-inverted",            // two dates compared
    "extends-cycle",              // the files `extends` names
    "extends-missing",
    // Spelling: YAML reads `1e3` and `010` as the numbers they mean; the loader checks the
    // text as written, which a schema never sees.
    "exponent-number",
    "leading-zero",
];

/// Invalid fixtures that are not YAML documents at all: the editor's YAML parser reports
/// them, not the schema.
const NOT_YAML: &[&str] = &[
    "bad-utf8",
    "duplicate-key",
    "follow-on-errors", // one of its files does not parse
    "tabs",
    "unclosed-flow",
    "yaml-syntax",
];

#[test]
fn invalid_fixtures_fail_their_schema_where_a_schema_can_see_the_error() {
    let dirs: Vec<String> = fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for d in &dirs {
        let listed = SEEN_BY_THE_SCHEMA.iter().filter(|(n, _)| n == d).count()
            + BEYOND_THE_SCHEMA.iter().filter(|n| *n == d).count()
            + NOT_YAML.iter().filter(|n| *n == d).count();
        assert_eq!(
            listed, 1,
            "say once whether a schema can see the error of tests/fixtures/invalid/{d}"
        );
    }
    for (name, failing) in SEEN_BY_THE_SCHEMA {
        let mut files = Vec::new();
        yaml_tree(&fixture(&format!("invalid/{name}")), &mut files);
        for p in &files {
            let file = p.file_name().unwrap().to_string_lossy().into_owned();
            let found = complaints(format_of(p), p);
            if failing.contains(&file.as_str()) {
                assert!(!found.is_empty(), "{} passes its schema", p.display());
            } else {
                assert!(found.is_empty(), "{}: {found:?}", p.display());
            }
        }
        for f in *failing {
            assert!(
                files.iter().any(|p| p.ends_with(f)),
                "{name} has no file {f}"
            );
        }
    }
    for name in BEYOND_THE_SCHEMA {
        let mut files = Vec::new();
        yaml_tree(&fixture(&format!("invalid/{name}")), &mut files);
        assert!(!files.is_empty(), "{name}");
        for p in &files {
            assert_passes(format_of(p), p);
        }
    }
    for name in NOT_YAML {
        let mut files = Vec::new();
        yaml_tree(&fixture(&format!("invalid/{name}")), &mut files);
        assert!(
            files.iter().any(|p| read_yaml(p).is_err()),
            "{name} is meant not to be YAML"
        );
    }
}

/// Whether the loader takes `value` (any text, quoted) at the `@` of a department file.
fn loader_takes(file: &str, value: &str) -> bool {
    let quoted = serde_json::to_string(value).unwrap();
    let text = file.replace('@', &quoted);
    let files = waveplan::load::InputFiles::new().inventory("x.yaml", text);
    match waveplan::load::load_from(files, &waveplan::load::Overrides::default()) {
        Ok(_) => true,
        Err(d) => !d.0.iter().any(|d| {
            d.severity == waveplan::load::Severity::Error
                && [
                    "bad-id",
                    "bad-code",
                    "bad-name",
                    "reserved-word",
                    "bad-date",
                    "wrong-type",
                ]
                .contains(&d.kind)
        }),
    }
}

#[test]
fn ids_codes_names_and_dates_pass_the_schema_exactly_when_the_loader_takes_them() {
    let schema = Format::Inventory.schema();
    let service = "/properties/services/items/properties";
    let long = "a".repeat(64);
    let too_long = "a".repeat(65);
    let words = [
        "a",
        "dsi-identity",
        "a.b_c-9",
        "Dsi",
        "9a",
        "-a",
        "a b",
        "ä",
        "",
        " ",
        "yes",
        "Yes",
        "NULL",
        "nullx",
        "off",
        "Off",
        "DSI",
        "SAFP",
        "A",
        "AB",
        "A-1",
        "AB_C",
        "ABCDEFGHIJKLMNOP",
        "ABCDEFGHIJKLMNOPQ",
        "NO",
        "ON",
        "NOPE",
        "two\nlines",
        long.as_str(),
        too_long.as_str(),
    ];
    let dates = [
        "2019-01-07",
        "2019-02-29",
        "2020-02-29",
        "2100-02-29",
        "2000-02-29",
        "2019-04-31",
        "2019-12-31",
        "2019-13-01",
        "2019-1-07",
        "2019-01-07T00:00:00",
        "07/01/2019",
        "",
    ];
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "/properties/department/properties/code",
            "department: {code: @, name: x}\n".to_owned(),
            &words,
        ),
        (
            "/properties/services/items/properties/id",
            "department: {code: AB, name: x}\nservices: [{id: @, name: n, site: datacenter}]\n"
                .to_owned(),
            &words,
        ),
        (
            "/properties/services/items/properties/move_group",
            "department: {code: AB, name: x}\nservices: [{id: a, name: n, site: datacenter, move_group: @}, {id: b, name: n, site: datacenter, move_group: @}]\n"
                .to_owned(),
            &words,
        ),
        (
            "/properties/services/items/properties/not_before",
            "department: {code: AB, name: x}\nservices: [{id: a, name: n, site: datacenter, not_before: @}]\n"
                .to_owned(),
            &dates,
        ),
    ];
    assert!(schema.pointer(service).is_some());
    for (pointer, file, samples) in cases {
        let sub = schema
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the schema has `{pointer}`"));
        let v = jsonschema::options()
            .should_validate_formats(true)
            .build(sub)
            .unwrap();
        for s in samples {
            assert_eq!(
                v.is_valid(&Value::from(*s)),
                loader_takes(&file, s),
                "`{s}` at `{pointer}`: the schema and the loader disagree"
            );
        }
    }
}

/// The objects of the shipped plan (with one unscheduled service added) whose fields are
/// tried one by one.
const PLAN_OBJECTS: &[&str] = &[
    "",
    "/generator",
    "/summary",
    "/summary/lower_bound_reason",
    "/summary/lower_bound_parts/0",
    "/summary/binding/0",
    "/summary/transition_cost",
    "/waves/0",
    "/waves/0/load",
    "/waves/0/target_used",
    "/services/0",
    "/unscheduled/0",
];

#[test]
fn the_plan_schema_requires_and_allows_null_where_the_plan_reader_does() {
    let mut plan = read_yaml(&root().join("plans/baseline.plan.yaml")).unwrap();
    plan["unscheduled"] = serde_json::json!([{"id": "x", "rule": "pin", "reason": "r"}]);
    let v = validator(Format::Plan);
    assert!(v.is_valid(&plan));
    let reads = |p: &Value| {
        waveplan::load::plan_file::from_bytes(Path::new("p.plan.json"), p.to_string().into_bytes())
            .is_ok()
    };
    assert!(reads(&plan));
    for at in PLAN_OBJECTS {
        let keys: Vec<String> = plan
            .pointer(at)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("the plan has `{at}`"))
            .keys()
            .cloned()
            .collect();
        for key in keys {
            for (what, change) in [("left out", None), ("null", Some(Value::Null))] {
                let mut p = plan.clone();
                let Some(Value::Object(m)) = p.pointer_mut(at) else {
                    panic!("`{at}` is an object")
                };
                match &change {
                    None => {
                        m.shift_remove(&key);
                    }
                    Some(c) => {
                        m.insert(key.clone(), c.clone());
                    }
                }
                assert_eq!(
                    v.is_valid(&p),
                    reads(&p),
                    "`{at}/{key}` {what}: the schema and the plan reader disagree"
                );
            }
        }
    }
}
