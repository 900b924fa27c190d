//! The schemas against the loader: every mapping the loader reads is an object of the
//! schema with exactly the loader's fields (checked on the lists and by loading), and every
//! pattern accepts exactly what its reader accepts.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Format;
use super::parts::{CODE_SHAPE, DATE_PATTERN, ID_SHAPE, reserved_words};
use super::plan::serde_fields;
use crate::load::fields::{RESERVED, is_code_shape, is_id};
use crate::load::inventory::{
    BLACKOUT_FIELDS, DEPARTMENT_FIELDS, EDGE_FIELDS, FILE_FIELDS, RESOURCE_FIELDS, SERVICE_FIELDS,
};
use crate::load::scenario::{
    CALENDAR_FIELDS, CAPACITY_FIELDS, COST_FIELDS, FREEZE_FIELDS, OVERRUN_FIELDS,
    RISK_CRITICALITY_FIELDS, RISK_FIELDS, RISK_STRATEGY_FIELDS, RULE_FIELDS, SEASON_FIELDS,
    SITE_FIELDS, SITE_PRICE_FIELDS, SITE_RULE_FIELDS, TARGET_STEP_FIELDS, TOP_FIELDS,
};
use crate::load::{InputFiles, Overrides, load_from};
use crate::model::{
    Binding, BoundPart, BoundReason, Plan, PlanGenerator, PlanService, PlanSummary, PlanWave,
    PlanWaveLoad, TargetUsed, TransitionCost, Unscheduled,
};

/// A department file the scenario probes load with.
const DEPARTMENT: &str = "department: {code: AB, name: x}\nservices: []\n";

/// One mapping the loader reads: where it is in the schema, the fields the loader passes to
/// `Reader::finish` for it, and a file with the mapping's body at `@` (enough around it for
/// the loader to reach it).
struct Mapping {
    format: Format,
    pointer: &'static str,
    fields: &'static [&'static str],
    file: &'static str,
}

/// Every mapping the loader reads field by field.
fn mappings() -> Vec<Mapping> {
    let inv = |pointer, fields: &'static [&'static str], file| Mapping {
        format: Format::Inventory,
        pointer,
        fields,
        file,
    };
    let sc = |pointer, fields: &'static [&'static str], file| Mapping {
        format: Format::Scenario,
        pointer,
        fields,
        file,
    };
    vec![
        inv("", &FILE_FIELDS, "{@}"),
        inv(
            "/properties/department",
            &DEPARTMENT_FIELDS,
            "department: {@}",
        ),
        inv(
            "/properties/department/properties/blackouts/items",
            &BLACKOUT_FIELDS,
            "department: {code: AB, name: x, blackouts: [{@}]}",
        ),
        inv(
            "/properties/services/items",
            &SERVICE_FIELDS,
            "department: {code: AB, name: x}\nservices: [{@}]",
        ),
        inv(
            "/properties/services/items/properties/resources",
            &RESOURCE_FIELDS,
            "department: {code: AB, name: x}\nservices: [{resources: {@}}]",
        ),
        inv(
            "/properties/services/items/properties/depends_on/items/anyOf/1",
            &EDGE_FIELDS,
            "department: {code: AB, name: x}\nservices: [{depends_on: [{@}]}]",
        ),
        sc("", &TOP_FIELDS, "{@}"),
        sc("/properties/calendar", &CALENDAR_FIELDS, "calendar: {@}"),
        sc(
            "/properties/calendar/properties/freezes/items",
            &FREEZE_FIELDS,
            "calendar: {freezes: [{@}]}",
        ),
        sc("/properties/capacity", &CAPACITY_FIELDS, "capacity: {@}"),
        sc(
            "/properties/capacity/properties/target/items",
            &TARGET_STEP_FIELDS,
            "capacity: {target: [{@}]}",
        ),
        sc("/properties/sites", &SITE_FIELDS, "sites: {@}"),
        sc(
            "/properties/sites/properties/pilot-cloud",
            &SITE_RULE_FIELDS,
            "sites: {pilot-cloud: {@}}",
        ),
        sc(
            "/properties/sites/properties/datacenter",
            &SITE_RULE_FIELDS,
            "sites: {datacenter: {@}}",
        ),
        sc("/properties/rules", &RULE_FIELDS, "rules: {@}"),
        sc("/properties/risk", &RISK_FIELDS, "risk: {@}"),
        sc(
            "/properties/risk/properties/failure",
            &RISK_STRATEGY_FIELDS,
            "risk: {failure: {@}}",
        ),
        sc(
            "/properties/risk/properties/criticality",
            &RISK_CRITICALITY_FIELDS,
            "risk: {criticality: {@}}",
        ),
        sc(
            "/properties/risk/properties/seasons/items",
            &SEASON_FIELDS,
            "risk: {seasons: [{@}]}",
        ),
        sc(
            "/properties/risk/properties/effort_overrun",
            &OVERRUN_FIELDS,
            "risk: {effort_overrun: {@}}",
        ),
        sc(
            "/properties/risk/properties/data_overrun",
            &OVERRUN_FIELDS,
            "risk: {data_overrun: {@}}",
        ),
        sc("/properties/costs", &COST_FIELDS, "costs: {@}"),
        sc(
            "/properties/costs/properties/datacenter",
            &SITE_PRICE_FIELDS,
            "costs: {datacenter: {@}}",
        ),
        sc(
            "/properties/costs/properties/production",
            &SITE_PRICE_FIELDS,
            "costs: {production: {@}}",
        ),
    ]
}

/// Every struct serde reads from a plan file, where it is in the plan schema.
fn plan_structs() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("", serde_fields::<Plan>()),
        ("/properties/generator", serde_fields::<PlanGenerator>()),
        ("/properties/summary", serde_fields::<PlanSummary>()),
        (
            "/properties/summary/properties/lower_bound_reason",
            serde_fields::<BoundReason>(),
        ),
        (
            "/properties/summary/properties/lower_bound_parts/items",
            serde_fields::<BoundPart>(),
        ),
        (
            "/properties/summary/properties/binding/items",
            serde_fields::<Binding>(),
        ),
        (
            "/properties/summary/properties/transition_cost",
            serde_fields::<TransitionCost>(),
        ),
        ("/properties/waves/items", serde_fields::<PlanWave>()),
        (
            "/properties/waves/items/properties/load",
            serde_fields::<PlanWaveLoad>(),
        ),
        (
            "/properties/waves/items/properties/target_used",
            serde_fields::<TargetUsed>(),
        ),
        ("/properties/services/items", serde_fields::<PlanService>()),
        (
            "/properties/unscheduled/items",
            serde_fields::<Unscheduled>(),
        ),
    ]
}

/// The pointers of every object schema with `properties` in `v`, reached through the
/// keywords that describe values (not `if`/`then`/`else`/`not`, which only narrow them).
fn objects(v: &Value, at: &str, out: &mut BTreeSet<String>) {
    let Value::Object(m) = v else { return };
    if m.contains_key("properties") {
        out.insert(at.to_owned());
    }
    for (key, child) in m {
        match (key.as_str(), child) {
            ("properties", Value::Object(props)) => {
                for (name, p) in props {
                    objects(p, &format!("{at}/properties/{name}"), out);
                }
            }
            ("items" | "additionalProperties", c) => objects(c, &format!("{at}/{key}"), out),
            ("anyOf", Value::Array(options)) => {
                for (i, o) in options.iter().enumerate() {
                    objects(o, &format!("{at}/anyOf/{i}"), out);
                }
            }
            _ => {}
        }
    }
}

fn property_names(schema: &Value, pointer: &str) -> Vec<String> {
    schema
        .pointer(&format!("{pointer}/properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn every_mapping_the_loader_reads_lists_exactly_its_fields() {
    for format in [Format::Inventory, Format::Scenario] {
        let schema = format.schema();
        let listed: Vec<Mapping> = mappings()
            .into_iter()
            .filter(|m| m.format == format)
            .collect();
        for m in &listed {
            assert_eq!(
                property_names(&schema, m.pointer),
                m.fields.to_vec(),
                "{} schema at `{}`",
                format.name(),
                m.pointer
            );
            assert_eq!(
                schema.pointer(&format!("{}/additionalProperties", m.pointer)),
                Some(&Value::Bool(false)),
                "the loader refuses unknown fields at `{}`, so must the schema",
                m.pointer
            );
        }
        let mut found = BTreeSet::new();
        objects(&schema, "", &mut found);
        let expected: BTreeSet<String> = listed.iter().map(|m| m.pointer.to_owned()).collect();
        assert_eq!(
            found,
            expected,
            "every object of the {} schema is a mapping the loader reads",
            format.name()
        );
    }
}

#[test]
fn every_plan_object_lists_exactly_the_fields_serde_reads() {
    let schema = Format::Plan.schema();
    for (pointer, fields) in plan_structs() {
        assert!(!fields.is_empty(), "serde reads `{pointer}` as a struct");
        assert_eq!(
            property_names(&schema, pointer),
            fields.to_vec(),
            "`{pointer}`"
        );
        // The reader ignores fields it does not know (docs/plan-format.md): so does the schema.
        assert_eq!(
            schema.pointer(&format!("{pointer}/additionalProperties")),
            None,
            "`{pointer}`"
        );
    }
    let mut found = BTreeSet::new();
    objects(&schema, "", &mut found);
    let expected: BTreeSet<String> = plan_structs()
        .into_iter()
        .map(|(p, _)| p.to_owned())
        .collect();
    assert_eq!(found, expected);
}

/// Loads `file` (a department file or a scenario) and returns the messages of its
/// unknown-field errors.
fn unknown_fields(format: Format, file: &str) -> Vec<String> {
    let files = match format {
        Format::Inventory => InputFiles::new().inventory("dept.yaml", file),
        _ => InputFiles::new()
            .inventory("dept.yaml", DEPARTMENT)
            .scenario("scenario.yaml", file),
    };
    match load_from(files, &Overrides::default()) {
        Ok(_) => Vec::new(),
        Err(d) => {
            d.0.into_iter()
                .filter(|d| d.kind == "unknown-field")
                .map(|d| d.message)
                .collect()
        }
    }
}

#[test]
fn the_loader_accepts_every_field_the_schema_lists_and_refuses_others() {
    for m in mappings() {
        let schema = m.format.schema();
        let names = property_names(&schema, m.pointer);
        // Null is the same as absent, so each field can be given without a value of its own.
        let body: Vec<String> = names.iter().map(|n| format!("{n}: ~")).collect();
        let file = m.file.replace('@', &body.join(", "));
        let refused = unknown_fields(m.format, &file);
        assert!(
            refused.is_empty(),
            "`{}` in the {} schema lists fields the loader refuses: {refused:?}\n{file}",
            m.pointer,
            m.format.name()
        );
        let file = m.file.replace('@', "zz_not_a_field: 1");
        let refused = unknown_fields(m.format, &file);
        assert!(
            refused.iter().any(|r| r.contains("`zz_not_a_field`")),
            "the loader does not refuse an unknown field at `{}`: {refused:?}\n{file}",
            m.pointer
        );
    }
}

#[test]
fn every_property_has_a_description() {
    fn walk(v: &Value, at: &str) {
        let Value::Object(m) = v else { return };
        if let Some(Value::Object(props)) = m.get("properties") {
            for (name, p) in props {
                let here = format!("{at}/properties/{name}");
                let text = p.get("description").and_then(Value::as_str).unwrap_or("");
                assert!(!text.is_empty(), "`{here}` has no description");
            }
        }
        for (key, child) in m {
            // `if`, `then` and `else` only narrow properties described already.
            if matches!(key.as_str(), "if" | "then" | "else") {
                continue;
            }
            match child {
                Value::Object(_) => walk(child, &format!("{at}/{key}")),
                Value::Array(items) => {
                    for (i, c) in items.iter().enumerate() {
                        walk(c, &format!("{at}/{key}/{i}"));
                    }
                }
                _ => {}
            }
        }
    }
    for format in Format::ALL {
        walk(&format.schema(), format.name());
    }
}

fn full_match(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("the schema's patterns are valid regular expressions")
}

#[test]
fn the_id_and_code_patterns_accept_what_the_loader_accepts() {
    // The look-ahead the schema puts before each shape is not the regex crate's: the shape
    // and the reserved words are checked apart here, the whole pattern by `jsonschema` in
    // tests/cli/schemas.rs.
    let id = full_match(&format!("^{ID_SHAPE}$"));
    let code = full_match(&format!("^{CODE_SHAPE}$"));
    let reserved = full_match(&format!("^{}$", reserved_words()));
    let samples = [
        "a",
        "dsi-identity",
        "a.b_c-9",
        "Dsi",
        "9a",
        "-a",
        "a b",
        "ä",
        "yes",
        "Yes",
        "NULL",
        "off",
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
        "",
    ];
    let long = "a".repeat(64);
    let too_long = "a".repeat(65);
    for s in samples
        .iter()
        .copied()
        .chain([long.as_str(), too_long.as_str()])
    {
        let not_reserved = !reserved.is_match(s);
        assert_eq!(id.is_match(s) && not_reserved, is_id(s), "id `{s}`");
        assert_eq!(
            code.is_match(s),
            is_code_shape(s),
            "code `{s}` (reserved words are the `not`'s)"
        );
    }
    for word in RESERVED {
        for w in [
            word.to_owned(),
            word.to_ascii_uppercase(),
            word[..1].to_ascii_uppercase() + &word[1..],
        ] {
            assert!(reserved.is_match(&w), "`{w}` is reserved");
        }
    }
    assert!(!reserved.is_match("nope") && !reserved.is_match("yess"));
}

#[test]
fn the_date_pattern_accepts_exactly_the_days_that_exist() {
    let pattern = full_match(DATE_PATTERN);
    for year in [
        0, 4, 100, 1900, 1996, 2000, 2019, 2020, 2023, 2024, 2100, 2400, 9999,
    ] {
        for month in 0..=13 {
            for day in 0..=32 {
                let s = format!("{year:04}-{month:02}-{day:02}");
                let exists = s.parse::<jiff::civil::Date>().is_ok();
                assert_eq!(pattern.is_match(&s), exists, "`{s}`");
            }
        }
    }
    for bad in [
        "2019-1-07",
        "07/01/2019",
        "2019-01-07T00:00:00",
        " 2019-01-07",
        "2019-01-070",
        "19-01-07",
    ] {
        assert!(!pattern.is_match(bad), "`{bad}`");
    }
}

#[test]
fn modelines_point_up_to_the_schemas() {
    assert_eq!(
        Format::Inventory.modeline(1),
        "# yaml-language-server: $schema=../schemas/inventory.schema.json"
    );
    assert_eq!(
        Format::Scenario.modeline(2),
        "# yaml-language-server: $schema=../../schemas/scenario.schema.json"
    );
}
