//! Unit tests of the report's facts and renderings on a hand-built inventory and plan.

use std::collections::BTreeMap;

use jiff::civil::date;

use super::*;
use crate::model::{
    Binding, Blackout, BoundReason, Capacity, Criticality, CutoverCap, DateRange, Department, Edge,
    Freeze, Inventory, PLAN_FORMAT, PlanService, PlanSummary, PlanWave, PlanWaveLoad, Resources,
    Service, ServiceId, Site, Strategy, TargetStep, TargetUsed, Unscheduled,
};
use crate::model::{DeptIx, ServiceIx};

fn dept(code: &str, local: Option<&str>) -> Department {
    Department {
        code: code.to_owned(),
        name: format!("{code} Bureau"),
        local_name: local.map(str::to_owned),
        max_cutovers_per_wave: None,
        blackouts: Vec::new(),
        file: 0,
    }
}

fn svc(id: &str, department: usize) -> Service {
    Service {
        resources: Resources {
            vcpu: 4.0,
            memory_gib: 8.0,
            storage_gib: 100.0,
        },
        data_gib: 10.0,
        effort: crate::model::Effort::from([("app".to_owned(), 4.0)]),
        ..Service::planned(id, DeptIx::new(department))
    }
}

fn edge(target: usize, traffic: f64) -> Edge {
    Edge {
        target: ServiceIx::new(target),
        order: None,
        traffic,
        latency_sensitive: false,
    }
}

/// Two departments; `b` lasts two waves, `pilot` is on the pilot cloud, `keep` is retained,
/// `prod` already runs in production, `stuck` is unscheduled; wave 2 is frozen.
fn fixture() -> (Inventory, Scenario) {
    let mut fin = dept("FIN", Some("財政局"));
    fin.blackouts.push(Blackout {
        range: DateRange {
            from: date(2019, 2, 18),
            to: date(2019, 2, 20),
        },
        reason: Some("tax <season>".to_owned()),
    });
    let mut services = vec![
        svc("a", 0),
        svc("b", 0),
        svc("pilot", 1),
        svc("keep", 1),
        svc("prod", 1),
        svc("stuck", 1),
    ];
    services[1].duration_waves = 2;
    services[1].criticality = Criticality::Critical;
    services[2].site = Site::PilotCloud;
    services[3].strategy = Strategy::Retain;
    services[4].site = Site::ProductionCloud;
    // a -> b (together), a -> prod (split 3 waves at traffic 2), pilot -> keep (retained).
    services[0].depends_on = vec![edge(1, 1.0), edge(4, 2.0)];
    services[2].depends_on = vec![edge(3, 5.0)];
    let inv = Inventory {
        departments: vec![dept("DSI", None), fin],
        services,
        files: Vec::new(),
        sha256: "inv".to_owned(),
    };
    let mut sc = Scenario::defaults(date(2019, 1, 7));
    sc.name = "small".to_owned();
    sc.sha256 = "sc".to_owned();
    sc.calendar.freezes.push(Freeze {
        name: Some("New Year".to_owned()),
        range: DateRange {
            from: date(2019, 1, 21),
            to: date(2019, 1, 22),
        },
    });
    sc.capacity = Capacity {
        cutovers: CutoverCap {
            ramp: vec![Some(1), Some(2)],
        },
        per_department: Some(2),
        transfer_gib: Some(20.0),
        teams: BTreeMap::from([("app".to_owned(), Some(8.0))]),
        target: Some(vec![TargetStep {
            from: date(2019, 1, 1),
            vcpu: Some(16.0),
            memory_gib: None,
            storage_gib: Some(1000.0),
        }]),
    };
    sc.sites.pilot_cloud_decommission_by = Some(date(2019, 3, 31));
    (inv, sc)
}

fn wave(w: u32, cutovers: &[&str], transfer: f64, app: f64, started: f64) -> PlanWave {
    PlanWave {
        wave: w,
        start: date(2019, 1, 7)
            .checked_add(jiff::Span::new().days(14 * (i64::from(w) - 1)))
            .expect("date"),
        end: date(2019, 1, 20)
            .checked_add(jiff::Span::new().days(14 * (i64::from(w) - 1)))
            .expect("date"),
        frozen: w == 2,
        cutovers: cutovers.iter().map(|s| ServiceId::new(*s)).collect(),
        load: PlanWaveLoad {
            cutovers: u32::try_from(cutovers.len()).expect("small"),
            transfer_gib: transfer,
            teams: BTreeMap::from([("app".to_owned(), app)]),
        },
        target_used: TargetUsed {
            vcpu: 4.0 * started,
            memory_gib: 8.0 * started,
            storage_gib: 100.0 * started,
        },
    }
}

/// b occupies waves 3-4 (wave 2 frozen), a and pilot cut over in 4.
fn plan() -> Plan {
    let ps = |id: &str, d: &str, s: u32, c: u32| PlanService {
        id: ServiceId::new(id),
        department: d.to_owned(),
        start_wave: s,
        cutover_wave: c,
    };
    Plan {
        format: PLAN_FORMAT.to_owned(),
        scenario: "small".to_owned(),
        inventory_sha256: "inv".to_owned(),
        scenario_sha256: "sc".to_owned(),
        generator: None,
        overrides: Vec::new(),
        summary: PlanSummary {
            services_total: 6,
            services_migrating: 4,
            services_scheduled: 3,
            waves: 4,
            lower_bound_waves: 3,
            lower_bound_parts: Vec::new(),
            lower_bound_reason: Some(BoundReason {
                rule: "capacity.teams.app".to_owned(),
                detail: "20 app person-days from wave 1 at 8 a wave need 3 waves".to_owned(),
            }),
            binding: [
                "capacity.cutovers",
                "capacity.per_department",
                "capacity.teams.app",
                "capacity.transfer_gib",
            ]
            .map(|rule| Binding {
                rule: rule.to_owned(),
                waves: 1,
            })
            .to_vec(),
            split_cost: 8.0,
            transition_cost: None,
            start: date(2019, 1, 7),
            finish: Some(date(2019, 3, 3)),
        },
        waves: vec![
            wave(1, &[], 0.0, 0.0, 0.0),
            wave(2, &[], 0.0, 0.0, 0.0),
            wave(3, &[], 5.0, 2.0, 1.0),
            wave(4, &["a", "b", "pilot"], 25.0, 10.0, 3.0),
        ],
        services: vec![
            ps("a", "DSI", 4, 4),
            ps("b", "DSI", 3, 4),
            ps("pilot", "FIN", 4, 4),
        ],
        unscheduled: vec![Unscheduled {
            id: ServiceId::new("stuck"),
            rule: "capacity.transfer_gib".to_owned(),
            reason: "needs 30 GiB per wave; capacity is 20".to_owned(),
        }],
    }
}

fn data() -> ReportData {
    let (inv, sc) = fixture();
    ReportData::build(&plan(), &inv, &sc)
}

#[test]
fn a_consistent_plan_has_no_checks_and_the_plans_numbers() {
    let d = data();
    assert_eq!(d.checks, Vec::<String>::new());
    assert_eq!(d.summary.waves, 4);
    assert_eq!(d.summary.services_scheduled, 3);
    assert_eq!(d.summary.services_unscheduled, 1);
    assert_eq!(d.summary.gap_waves, 1);
    assert_eq!(d.summary.frozen_waves, 1);
}

#[test]
fn loads_are_recomputed_with_percentages_of_each_waves_capacity() {
    let d = data();
    let w4 = &d.waves[3];
    let get = |k: &str| w4.loads.iter().find(|l| l.key == k).expect("key");
    // Ramp [1, 2]: wave 4 allows 2, and 3 cut over.
    assert_eq!(get("cutovers").capacity, Some(2.0));
    assert_eq!(get("cutovers").percent, Some(150.0));
    // b's 10 GiB over two waves: 5 in wave 4, plus a's and pilot's 10 each.
    assert_eq!(get("transfer_gib").used, 25.0);
    assert_eq!(get("teams.app").used, 10.0);
    assert_eq!(get("target.vcpu").used, 12.0);
    assert_eq!(get("target.vcpu").percent, Some(75.0));
    assert_eq!(get("target.memory_gib").capacity, None);
    let busiest = get("per_department");
    assert_eq!(busiest.department.as_deref(), Some("DSI"));
    assert_eq!(busiest.percent, Some(100.0));
    assert_eq!(w4.critical, vec!["b".to_owned()]);
    assert_eq!(d.waves[1].freezes, vec!["New Year".to_owned()]);
    assert_eq!(d.waves[3].blackouts, vec!["FIN".to_owned()]);
}

#[test]
fn split_edges_count_production_as_wave_zero_and_skip_retained_ends() {
    let d = data();
    assert_eq!(d.exposure.len(), 1);
    let e = &d.exposure[0];
    assert_eq!((e.from.as_str(), e.to.as_str(), e.waves), ("a", "prod", 4));
    assert_eq!(e.cost, 8.0);
    assert_eq!(d.summary.split_cost, 8.0);
    let a = d.services.iter().find(|s| s.id == "a").expect("a");
    assert_eq!(a.split_dependencies.len(), 1);
    assert_eq!(a.depends_on, vec!["b".to_owned(), "prod".to_owned()]);
}

#[test]
fn retained_links_and_pilot_readiness_are_reported() {
    let d = data();
    assert_eq!(d.retained_links.len(), 1);
    let l = &d.retained_links[0];
    assert_eq!(
        (l.retained.as_str(), l.other.as_str(), l.from_wave),
        ("keep", "pilot", 4)
    );
    let pilot = &d.sites[0];
    assert_eq!(pilot.site, "pilot-cloud");
    assert!(pilot.ready, "{}", pilot.verdict);
    let dc = &d.sites[1];
    assert!(!dc.ready);
    assert_eq!(dc.blocking, vec!["keep (retained)", "stuck (unscheduled)"]);
}

#[test]
fn a_plan_that_disagrees_with_its_inputs_is_flagged_not_trusted() {
    let (inv, sc) = fixture();
    let mut p = plan();
    p.summary.split_cost = 99.0;
    p.waves[3].load.transfer_gib = 1.0;
    p.inventory_sha256 = "other".to_owned();
    p.services.push(PlanService {
        id: ServiceId::new("ghost"),
        department: "DSI".to_owned(),
        start_wave: 1,
        cutover_wave: 1,
    });
    let d = ReportData::build(&p, &inv, &sc);
    let all = d.checks.join("\n");
    // The findings are `verify`'s, with its rule names and absolute tolerance.
    assert!(
        all.contains("[summary.split_cost] split_cost says 99"),
        "{all}"
    );
    assert!(all.contains("[format.waves.load.transfer_gib]"), "{all}");
    assert!(all.contains("different inventory"), "{all}");
    assert!(!all.contains("[digest."), "said once, in words: {all}");
    assert!(all.contains("ghost"), "{all}");
    // The recomputed numbers win.
    assert_eq!(d.summary.split_cost, 8.0);
}

#[test]
fn services_are_grouped_by_department_with_unscheduled_last() {
    let d = data();
    let ids: Vec<&str> = d.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["b", "a", "pilot", "stuck"]);
    assert_eq!(d.departments.len(), 2);
    assert_eq!(d.departments[1].rows, 2..4);
    assert_eq!(
        d.services[3].unscheduled_rule.as_deref(),
        Some("capacity.transfer_gib")
    );
}

#[test]
fn csv_has_one_row_per_migrating_service() {
    let text = render_data(&data(), Format::Csv).expect("csv");
    let mut r = ::csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<::csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[1][0], "a");
    assert_eq!(&rows[1][12], "b; prod");
    assert_eq!(&rows[1][13], "prod (4 waves)");
}

#[test]
fn html_is_self_contained_and_escapes_input() {
    let html = render_data(&data(), Format::Html).expect("html");
    assert!(html.contains(r#"<svg id="gantt""#));
    assert!(html.contains(r#"<svg id="utilisation""#));
    assert!(html.contains("tax &lt;season&gt;"));
    assert!(html.contains("財政局"));
    for banned in ["http://", "https://", "src=", "@import", "url("] {
        let outside_svg_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside_svg_ns.contains(banned), "found {banned}");
    }
}

#[test]
fn json_round_trips_through_serde() {
    let text = render_data(&data(), Format::Json).expect("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid");
    assert_eq!(v["summary"]["waves"], 4);
    assert_eq!(v["services"].as_array().map(Vec::len), Some(4));
}

#[test]
fn the_format_follows_the_extension() {
    use std::path::Path;
    assert_eq!(Format::from_path(Path::new("r.HTML")), Some(Format::Html));
    assert_eq!(Format::from_path(Path::new("r.md")), Some(Format::Markdown));
    assert_eq!(Format::from_path(Path::new("a/b.csv")), Some(Format::Csv));
    assert_eq!(Format::from_path(Path::new("r.json")), Some(Format::Json));
    assert_eq!(Format::from_path(Path::new("waves.ICS")), Some(Format::Ics));
    assert_eq!(Format::from_path(Path::new("r.txt")), None);
}

/// A big synthetic plan: many departments, many services.
fn big(departments: usize, per_dept: usize) -> ReportData {
    let (_, mut sc) = fixture();
    sc.capacity = Capacity::default();
    sc.calendar.freezes.clear();
    let mut inv = Inventory::default();
    let mut services = Vec::new();
    for d in 0..departments {
        inv.departments.push(dept(&format!("D{d:03}"), None));
        for k in 0..per_dept {
            let id = format!("d{d:03}-s{k:03}");
            inv.services.push(svc(&id, d));
            let w = u32::try_from(1 + (d + k) % 30).expect("small");
            services.push(PlanService {
                id: ServiceId::new(id),
                department: format!("D{d:03}"),
                start_wave: w,
                cutover_wave: w,
            });
        }
    }
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let mut p = plan();
    p.services = services;
    p.unscheduled.clear();
    ReportData::build(&p, &inv, &sc)
}

#[test]
fn big_plans_get_a_gantt_by_department_and_a_bounded_mermaid_chart() {
    let d = big(200, 10);
    assert!(svg::gantt(&d).is_none());
    let html = render_data(&d, Format::Html).expect("html");
    assert!(html.contains(r#"<svg id="gantt""#));
    let md = render_data(&d, Format::Markdown).expect("md");
    let block = md.split("```mermaid").nth(1).expect("mermaid block");
    let block = block.split("```").next().expect("closed");
    let bars = block.lines().filter(|l| l.contains(" :")).count();
    assert!(bars <= mermaid::MAX_BARS, "{bars} bars");
    assert!(block.contains("other departments"));
}

#[test]
fn output_is_deterministic() {
    for f in [
        Format::Markdown,
        Format::Html,
        Format::Csv,
        Format::Json,
        Format::Ics,
    ] {
        assert_eq!(
            render_data(&data(), f).expect("a"),
            render_data(&data(), f).expect("b")
        );
    }
}

/// Issue 10, point 5: the report opens with the capacity full most often and what the lower
/// bound comes from, as the plan file states them; an older plan file states neither.
#[test]
fn the_report_opens_with_the_bottleneck() {
    let d = data();
    // Four capacities are full in one wave each; the first listed opens the report.
    let want = "The cutover limit is full in 1 of 4 waves; the lower bound of 3 waves comes from \
                the app team: 20 app person-days from wave 1 at 8 a wave need 3 waves.";
    assert_eq!(d.summary.bottleneck.as_deref(), Some(want));
    let md = render_data(&d, Format::Markdown).expect("md");
    assert!(
        md.starts_with(&format!("# Migration plan: small\n\n{want}\n")),
        "{}",
        &md[..300]
    );
    let html = render_data(&d, Format::Html).expect("html");
    assert!(html.contains(&format!(r#"<p class="lead">{want}</p>"#)));
    let json = render_data(&d, Format::Json).expect("json");
    assert!(json.contains(r#""rule": "capacity.teams.app""#), "{json}");

    let (inv, sc) = fixture();
    let mut p = plan();
    p.summary.binding.clear();
    let d = ReportData::build(&p, &inv, &sc);
    assert!(
        d.summary
            .bottleneck
            .as_deref()
            .is_some_and(|b| b.starts_with("No capacity is full in any wave; the lower bound")),
        "{:?}",
        d.summary.bottleneck
    );
    p.summary.lower_bound_reason = None;
    let d = ReportData::build(&p, &inv, &sc);
    assert_eq!(d.summary.bottleneck, None);
    let md = render_data(&d, Format::Markdown).expect("md");
    assert!(
        md.starts_with("# Migration plan: small\n\n## Summary"),
        "{}",
        &md[..200]
    );
}

/// Issue 15, item 4: the calendar's UIDs stay unique when freezes share a name and a first
/// day, a freeze without a name is keyed by its day, one that ends on the last day jiff knows
/// ends by its length, and names from the inputs are escaped.
#[test]
fn calendar_uids_stay_unique_and_input_text_is_escaped() {
    let (mut inv, mut sc) = fixture();
    inv.departments[0].name = r"Bureau; of, \ things".to_owned();
    let freeze = |name: Option<&str>, from, to| Freeze {
        name: name.map(str::to_owned),
        range: DateRange { from, to },
    };
    sc.calendar.freezes.extend([
        freeze(Some("New Year"), date(2019, 1, 21), date(2019, 1, 23)),
        freeze(None, date(2019, 5, 1), date(2019, 5, 2)),
        freeze(Some("End"), date(9999, 12, 30), jiff::civil::Date::MAX),
    ]);
    let d = ReportData::build(&plan(), &inv, &sc);
    let all = render_calendar(&d, None);
    for uid in [
        "dept-DSI-wave-4",
        "dept-FIN-wave-4",
        "freeze-new-year-20190121",
        "freeze-new-year-20190121-2",
        "freeze-20190501",
        "freeze-end-99991230",
    ] {
        assert!(
            all.contains(&format!("\r\nUID:{uid}@small.waveplan\r\n")),
            "{uid}:\n{all}"
        );
    }
    assert!(all.contains("\r\nDURATION:P2D\r\n"), "{all}");
    assert!(all.contains("\r\nSUMMARY:waveplan: calendar freeze\r\n"));
    assert!(
        all.contains(r"SUMMARY:waveplan: DSI cutover\, wave 4 – Bureau\; of\, \\ things"),
        "{all}"
    );
    assert!(
        all.replace("\r\n ", "")
            .contains("- b: Service b (migration started in wave 3)"),
        "{all}"
    );
    assert!(
        !all.contains("blackout"),
        "blackouts only for one department"
    );

    let fin = render_calendar(&d, Some("FIN"));
    assert!(fin.contains("\r\nUID:blackout-FIN-tax-season-20190218@small.waveplan\r\n"));
    assert!(fin.contains("\r\nSUMMARY:waveplan: FIN blackout – tax <season>\r\n"));
    assert!(fin.contains("財政局"));
    assert!(!fin.contains("dept-DSI"), "{fin}");
}

/// The first `waves N–N` (one wave written as a range) or `1 <plural>` in `text`, if any.
fn misread_count(text: &str) -> Option<String> {
    const NOUNS: [&str; 10] = [
        "services",
        "waves",
        "cutovers",
        "departments",
        "days",
        "runs",
        "dependencies",
        "edges",
        "links",
        "cycles",
    ];
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "()<>,;:\"".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).find_map(|pair| {
        let range = pair[1]
            .split_once('–')
            .filter(|(a, b)| pair[0] == "waves" && a == b && !a.is_empty());
        let one = pair[0] == "1" && NOUNS.contains(&pair[1]);
        (range.is_some() || one).then(|| pair.join(" "))
    })
}

/// Issue 15, item 8: a range of one wave reads `wave 4`, never `waves 4–4`, and a count of
/// one takes the singular, in every text the report writes.
#[test]
fn one_wave_and_one_of_anything_read_in_the_singular() {
    assert_eq!(
        misread_count("in waves 4–4 and 1 services"),
        Some("waves 4–4".to_owned())
    );
    assert_eq!(
        misread_count("waves 3–4, 1 services"),
        Some("1 services".to_owned())
    );
    assert_eq!(misread_count("waves 3–4, 11 services, 1 service"), None);
    let (inv, mut sc) = fixture();
    sc.calendar.wave_length_days = 1;
    sc.calendar.max_waves = 1;
    let d = ReportData::build(&plan(), &inv, &sc);
    // FIN's only scheduled service starts and cuts over in wave 4.
    let fin = content::department_meta(&d.departments[1]);
    assert!(fin.contains("; wave 4; "), "{fin}");
    for f in [Format::Markdown, Format::Html] {
        let text = render_data(&d, f).expect("renders");
        assert_eq!(misread_count(&text), None, "{f:?}");
    }
}

/// Issue 15, item 8: the freezes' table had a Reason column that was always `-`. A freeze
/// shows its name, a blackout its department and reason; a column nobody fills is left out.
#[test]
fn freezes_show_their_names_and_blackouts_their_reasons() {
    let headings =
        |t: &table::Table| -> Vec<String> { t.columns.iter().map(|c| c.name.clone()).collect() };
    let d = data();
    let [(_, freezes), (_, blackouts)] = content::periods(&d);
    let freezes = freezes.expect("one freeze");
    assert_eq!(headings(&freezes), ["Freeze", "From", "To"]);
    assert_eq!(freezes.rows[0].cells[0].plain(), "New Year");
    let blackouts = blackouts.expect("one blackout");
    assert_eq!(headings(&blackouts), ["Department", "From", "To", "Reason"]);
    let row: Vec<String> = blackouts.rows[0].cells.iter().map(|c| c.plain()).collect();
    assert_eq!(row, ["FIN", "2019-02-18", "2019-02-20", "tax <season>"]);
    let md = render_data(&d, Format::Markdown).expect("md");
    assert!(
        md.contains("| Freeze | From | To |\n| --- | --- | --- |\n| New Year |"),
        "{md}"
    );

    let (mut inv, mut sc) = fixture();
    inv.departments[1].blackouts[0].reason = None;
    sc.calendar.freezes[0].name = None;
    let d = ReportData::build(&plan(), &inv, &sc);
    let [(_, freezes), (_, blackouts)] = content::periods(&d);
    assert_eq!(
        freezes.expect("one freeze").rows[0].cells[0].plain(),
        settings::UNNAMED_FREEZE
    );
    assert_eq!(
        headings(&blackouts.expect("one blackout")),
        ["Department", "From", "To"]
    );
    sc.calendar.freezes.clear();
    let d = ReportData::build(&plan(), &inv, &sc);
    assert!(content::periods(&d)[0].1.is_none());
}
