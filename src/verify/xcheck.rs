//! Cross-check against the Python reference (`/work/shared/tools/verify.py`): reads a model
//! dump and plans written by a harness, and compares the breach rules with verify.py's.
//! Ignored by default, since the project's tests must not need Python. To run it, from the
//! repository root (the harness imports `verify`, `gen` and `model` from `/work/shared/tools`;
//! `XCHECK_DIRS` takes several harness directories, comma-separated):
//!
//! ```text
//! python3 ../shared/tools/gen.py --seed 2 --services 2000 --out /tmp/inst2
//! python3 src/verify/xcheck_harness.py /tmp/inst2 /tmp/x2 2 40   # dump + 40 mutated plans
//! XCHECK_DIRS=/tmp/x2 cargo test --lib verify::xcheck -- --ignored --nocapture
//! ```
//!
//! The harness drops services (exercising completeness, move groups and 4.9), shifts
//! services (edges, capacities, calendar, windows) and corrupts reported numbers.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_json::Value;

use super::verify;
use crate::model::{
    Blackout, Calendar, Capacity, Criticality, CutoverCap, DateRange, Department, Edge, Freeze,
    Inventory, Order, Plan, Resources, Rules, Scenario, Service, ServiceId, Site, SiteRules,
    Status, Strategy, TargetStep,
};
use crate::model::{DeptIx, ServiceIx};

fn date(v: &Value) -> Option<Date> {
    v.as_str().map(|s| s.parse().expect("date"))
}

fn range(v: &Value) -> DateRange {
    DateRange {
        from: date(&v[0]).expect("from"),
        to: date(&v[1]).expect("to"),
    }
}

fn order(v: &Value) -> Option<Order> {
    v.as_str().map(|s| match s {
        "together-or-before" => Order::TogetherOrBefore,
        "strictly-before" => Order::StrictlyBefore,
        _ => Order::Any,
    })
}

fn load(m: &Value) -> (Inventory, Scenario) {
    let i = &m["inventory"];
    let mut dix = BTreeMap::new();
    let departments: Vec<Department> = i["departments"]
        .as_array()
        .expect("departments")
        .iter()
        .enumerate()
        .map(|(ix, d)| {
            dix.insert(d["code"].as_str().expect("code").to_owned(), ix);
            Department {
                code: d["code"].as_str().expect("code").to_owned(),
                name: String::new(),
                local_name: None,
                max_cutovers_per_wave: if d["unlimited"].as_bool() == Some(true) {
                    Some(crate::model::Limit::Unlimited)
                } else {
                    d["max"].as_u64().map(|n| crate::model::Limit::At(n as u32))
                },
                blackouts: d["blackouts"]
                    .as_array()
                    .expect("b")
                    .iter()
                    .map(|b| Blackout {
                        range: range(b),
                        reason: None,
                    })
                    .collect(),
                file: 0,
            }
        })
        .collect();
    let raw = i["services"].as_array().expect("services");
    let six: BTreeMap<&str, usize> = raw
        .iter()
        .enumerate()
        .map(|(ix, s)| (s["id"].as_str().expect("id"), ix))
        .collect();
    let services = raw
        .iter()
        .map(|s| {
            let r = &s["resources"];
            Service {
                id: ServiceId::new(s["id"].as_str().expect("id")),
                name: String::new(),
                department: DeptIx::new(dix[s["department"].as_str().expect("dept")]),
                site: match s["site"].as_str().expect("site") {
                    "datacenter" => Site::Datacenter,
                    "pilot-cloud" => Site::PilotCloud,
                    _ => Site::ProductionCloud,
                },
                strategy: match s["strategy"].as_str().expect("strategy") {
                    "retire" => Strategy::Retire,
                    "retain" => Strategy::Retain,
                    "replatform" => Strategy::Replatform,
                    "refactor" => Strategy::Refactor,
                    "repurchase" => Strategy::Repurchase,
                    _ => Strategy::Rehost,
                },
                criticality: match s["criticality"].as_str().expect("crit") {
                    "critical" => Criticality::Critical,
                    "high" => Criticality::High,
                    "low" => Criticality::Low,
                    _ => Criticality::Medium,
                },
                resources: Resources {
                    vcpu: r["vcpu"].as_f64().unwrap_or(0.0),
                    memory_gib: r["memory_gib"].as_f64().unwrap_or(0.0),
                    storage_gib: r["storage_gib"].as_f64().unwrap_or(0.0),
                },
                data_gib: s["data_gib"].as_f64().unwrap_or(0.0),
                effort: s["effort"]
                    .as_object()
                    .expect("effort")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                    .collect(),
                duration_waves: s["duration"].as_u64().expect("dur") as u32,
                depends_on: s["depends_on"]
                    .as_array()
                    .expect("deps")
                    .iter()
                    .map(|e| Edge {
                        target: ServiceIx::new(six[e["dst"].as_str().expect("dst")]),
                        order: order(&e["order"]),
                        traffic: e["traffic"].as_f64().unwrap_or(1.0),
                        latency_sensitive: e["latency"].as_bool().unwrap_or(false),
                    })
                    .collect(),
                move_group: s["move_group"].as_str().map(str::to_owned),
                not_before: date(&s["not_before"]),
                deadline: date(&s["deadline"]),
                status: if s["status"] == "migrated" {
                    Status::Migrated
                } else {
                    Status::Planned
                },
                migrated_on: None,
                tags: Vec::new(),
            }
        })
        .collect();
    let inv = Inventory {
        departments,
        services,
        files: Vec::new(),
        sha256: i["sha256"].as_str().expect("sha").to_owned(),
    };
    let s = &m["scenario"];
    let cap = |v: &Value| v.as_f64();
    let cutovers = match &s["cutovers"] {
        Value::Array(a) => CutoverCap {
            ramp: a.iter().map(|x| x.as_u64().map(|n| n as u32)).collect(),
        },
        Value::Number(n) => CutoverCap {
            ramp: vec![n.as_u64().map(|n| n as u32)],
        },
        _ => CutoverCap::default(),
    };
    let target = s["target"].as_array().map(|steps| {
        steps
            .iter()
            .map(|t| TargetStep {
                from: date(&t["from"]).expect("from"),
                vcpu: cap(&t["vcpu"]),
                memory_gib: cap(&t["memory_gib"]),
                storage_gib: cap(&t["storage_gib"]),
            })
            .collect()
    });
    let sc = Scenario {
        name: s["name"].as_str().expect("name").to_owned(),
        description: None,
        calendar: Calendar {
            start: date(&s["start"]).expect("start"),
            wave_length_days: s["len"].as_u64().expect("len") as u32,
            max_waves: s["max_waves"].as_u64().expect("mw") as u32,
            today: date(&s["today"]),
            freezes: s["freezes"]
                .as_array()
                .expect("f")
                .iter()
                .map(|f| Freeze {
                    name: None,
                    range: range(f),
                })
                .collect(),
        },
        capacity: Capacity {
            cutovers,
            per_department: s["per_department"].as_f64().map(|n| n as u32),
            transfer_gib: cap(&s["transfer_gib"]),
            teams: s["teams"]
                .as_object()
                .expect("teams")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_f64()))
                .collect(),
            target,
        },
        sites: SiteRules {
            pilot_cloud_decommission_by: date(&s["decommission_by"]["pilot-cloud"]),
            datacenter_decommission_by: date(&s["decommission_by"]["datacenter"]),
        },
        rules: Rules {
            dependency_order: order(&s["dependency_order"]).expect("order"),
            critical_not_before_wave: s["critical"].as_u64().expect("crit") as u32,
        },
        pins: s["pins"]
            .as_object()
            .expect("pins")
            .iter()
            .map(|(k, v)| (ServiceId::new(k), v.as_u64().expect("pin") as u32))
            .collect(),
        costs: None,
        risk: None,
        files: Vec::new(),
        sha256: s["sha256"].as_str().expect("sha").to_owned(),
    };
    (inv, sc)
}

/// verify.py's rule name in this module's vocabulary.
fn ours(py: &str) -> String {
    let map = [
        ("edge.unscheduled", "dependency.unscheduled"),
        ("move_group.partial", "move_group"),
        (
            "window.critical_not_before_wave",
            "rules.critical_not_before_wave",
        ),
        ("calendar.before_wave_1", "format.services.start_wave"),
        ("format", "format.version"),
        ("scenario", "format.scenario"),
        ("inventory_sha256", "digest.inventory"),
        ("scenario_sha256", "digest.scenario"),
        ("coverage", "format.coverage.missing"),
    ];
    if let Some((_, o)) = map.iter().find(|(p, _)| *p == py) {
        return (*o).to_owned();
    }
    if let Some(t) = py.strip_prefix("waves.load.teams.") {
        let _ = t;
        return "format.waves.load.teams".to_owned();
    }
    if py.starts_with("waves.target_used.") {
        return "format.waves.target_used".to_owned();
    }
    if py.starts_with("waves")
        || py.starts_with("services.")
        || py.starts_with("unscheduled.") && py != "unscheduled.placeable"
    {
        return format!("format.{py}");
    }
    py.to_owned()
}

/// Every harness plan gets the same breach rules from `verify` as from verify.py; run it as
/// the module documentation shows (Python writes the inputs, so it is ignored by default).
#[test]
#[ignore = "needs Python: make a harness directory and set XCHECK_DIRS, see the module doc"]
#[expect(
    clippy::print_stderr,
    reason = "a measurement harness reports to the terminal"
)]
fn matches_verify_py() {
    let dirs = std::env::var("XCHECK_DIRS").expect("XCHECK_DIRS");
    let mut failures = 0;
    let mut plans = 0;
    for dir in dirs.split(',') {
        let model: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/model.json")).expect("model"),
        )
        .expect("json");
        let (inv, sc) = load(&model);
        let expected: BTreeMap<String, Vec<String>> = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/expected.json")).expect("expected"),
        )
        .expect("json");
        for (name, py) in expected {
            let plan: Plan = serde_json::from_str(
                &std::fs::read_to_string(format!("{dir}/{name}")).expect("plan"),
            )
            .expect("plan json");
            let t = std::time::Instant::now();
            let got = verify(&inv, &sc, &plan);
            let secs = t.elapsed().as_secs_f64();
            let mut ours_rules: Vec<String> = got.iter().map(|b| b.rule.clone()).collect();
            let mut want: Vec<String> = py
                .iter()
                .map(|l| ours(l.split(':').next().unwrap_or("")))
                .collect();
            let mut py_place: Vec<String> = py
                .iter()
                .filter_map(|l| l.strip_prefix("unscheduled.placeable: "))
                .map(|l| {
                    l.split(" (together")
                        .next()
                        .unwrap_or("")
                        .split(" without")
                        .next()
                        .unwrap_or("")
                        .to_owned()
                })
                .collect();
            let mut rs_place: Vec<String> = got
                .iter()
                .filter(|b| b.rule == "unscheduled.placeable")
                .map(|b| {
                    b.message
                        .split(" (together")
                        .next()
                        .unwrap_or("")
                        .split(" without")
                        .next()
                        .unwrap_or("")
                        .to_owned()
                })
                .collect();
            py_place.sort();
            rs_place.sort();
            if py_place != rs_place {
                failures += 1;
                eprintln!(
                    "{dir}/{name}: placeable differ\n  rust {rs_place:?}\n  python {py_place:?}"
                );
            }
            ours_rules.sort();
            want.sort();
            plans += 1;
            if ours_rules != want {
                failures += 1;
                eprintln!("{dir}/{name}: rust {ours_rules:?}\n   python {want:?}");
                for b in got.iter().filter(|b| b.rule == "unscheduled.placeable") {
                    eprintln!("   rust: {}", b.message);
                }
            } else if secs > 0.5 {
                eprintln!("{dir}/{name}: slow {secs:.3}s");
            }
        }
    }
    eprintln!("{plans} plans, {failures} differ");
    assert_eq!(failures, 0);
}
