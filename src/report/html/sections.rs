//! The sections of the HTML page, in reading order: summary first, then the charts, the
//! wave table, each department's schedule, and the detail tables.

use std::fmt::Write;

use super::table::{Cell, n, t, table};
use crate::report::fmt::{cap, cap_u, esc, num, opt, pct, plural};
use crate::report::svg;
use crate::report::{DepartmentRow, Load, ReportData};

/// Rows of a detail table shown in the page before pointing to the CSV/JSON reports.
const MAX_DETAIL_ROWS: usize = 200;

/// Writes every section.
pub fn all(out: &mut String, d: &ReportData) {
    header(out, d);
    summary(out, d);
    gantt_overview(out, d);
    utilisation(out, d);
    waves(out, d);
    gantt_detail(out, d);
    departments(out, d);
    exposure(out, d);
    retained(out, d);
    critical(out, d);
    readiness(out, d);
    unscheduled(out, d);
    settings(out, d);
}

fn h2(out: &mut String, id: &str, title: &str) {
    let _ = write!(out, r##"<section id="{id}"><h2>{}</h2>"##, esc(title));
}

fn end(out: &mut String) {
    out.push_str("</section>\n");
}

fn header(out: &mut String, d: &ReportData) {
    let s = &d.summary;
    let _ = write!(
        out,
        r##"<h1>Migration plan: {}</h1><p class="lead">{} waves of {} days from {} to {}{}</p>"##,
        esc(&s.scenario),
        s.waves,
        d.settings.wave_length_days,
        s.start,
        opt(s.finish),
        s.generator
            .as_deref()
            .map(|g| format!(" · planned by {}", esc(g)))
            .unwrap_or_default()
    );
    if let Some(b) = &s.bottleneck {
        let _ = write!(out, r##"<p class="lead">{}</p>"##, esc(b));
    }
    if let Some(desc) = &d.settings.description {
        let _ = write!(out, "<p>{}</p>", esc(desc));
    }
    if !s.overrides.is_empty() {
        let list: Vec<String> = s
            .overrides
            .iter()
            .map(|o| format!("<code>{}</code>", esc(o)))
            .collect();
        let _ = write!(
            out,
            "<p><strong>What-if:</strong> made with {} on top of the scenario file; every number below is against the scenario with these applied.</p>",
            list.join(", ")
        );
    }
    out.push_str("<nav>");
    for (id, label) in [
        ("summary", "Summary"),
        ("gantt-overview", "Gantt by department"),
        ("utilisation-chart", "Capacity utilisation"),
        ("waves", "Waves"),
        ("gantt-services", "Gantt by service"),
        ("departments", "Department schedules"),
        ("exposure", "Dependency exposure"),
        ("retained", "Links to retained services"),
        ("critical", "Critical services per wave"),
        ("readiness", "Decommission readiness"),
        ("unscheduled", "Unscheduled services"),
        ("settings", "Scenario settings"),
    ] {
        let _ = write!(out, "<a href=\"#{id}\">{label}</a>");
    }
    out.push_str("</nav>");
}

fn card(out: &mut String, value: &str, label: &str) {
    let _ = write!(
        out,
        r##"<div class="card"><b>{}</b><span>{}</span></div>"##,
        esc(value),
        esc(label)
    );
}

fn summary(out: &mut String, d: &ReportData) {
    let s = &d.summary;
    h2(out, "summary", "Summary");
    out.push_str(r##"<div class="cards">"##);
    card(out, &s.waves.to_string(), "waves (makespan)");
    let gap = match s.gap_percent {
        Some(p) => format!(
            "proven lower bound; gap {} ({p:.1}%)",
            plural(s.gap_waves, "wave")
        ),
        None => "proven lower bound".to_owned(),
    };
    card(out, &s.lower_bound_waves.to_string(), &gap);
    card(
        out,
        &format!("{} / {}", s.services_scheduled, s.services_migrating),
        "migrating services scheduled",
    );
    card(out, &s.services_unscheduled.to_string(), "unscheduled");
    card(
        out,
        &num(s.split_cost),
        "split cost (traffic × waves split)",
    );
    card(out, &opt(s.finish), &format!("finish (start {})", s.start));
    card(out, &s.frozen_waves.to_string(), "frozen waves");
    card(
        out,
        &s.services_total.to_string(),
        "services in the inventory",
    );
    out.push_str("</div>");
    if d.checks.is_empty() {
        out.push_str(r##"<p class="ok">Every number in this report was recomputed from the inventory and scenario and agrees with the plan file.</p>"##);
    } else {
        out.push_str(r##"<div class="warn"><b>The plan file does not match the inventory and scenario given:</b><ul>"##);
        for c in &d.checks {
            let _ = write!(out, "<li>{}</li>", esc(c));
        }
        out.push_str(
            "</ul>The numbers below are recomputed from the inventory and scenario.</div>",
        );
    }
    out.push_str(r##"<div class="cards">"##);
    for (title, rows) in [
        ("Site", &s.by_site),
        ("Strategy", &s.by_strategy),
        ("Criticality", &s.by_criticality),
    ] {
        out.push_str("<div>");
        table(
            out,
            "counts",
            &[title, "#services", "#migrating", "#scheduled"],
            rows.iter().map(|r| {
                vec![
                    t(r.key),
                    n(r.services as f64, r.services.to_string()),
                    n(r.migrating as f64, r.migrating.to_string()),
                    n(r.scheduled as f64, r.scheduled.to_string()),
                ]
            }),
        );
        out.push_str("</div>");
    }
    out.push_str("</div>");
    end(out);
}

fn gantt_overview(out: &mut String, d: &ReportData) {
    h2(out, "gantt-overview", "Gantt chart by department");
    let id = if svg::gantt(d).is_some() {
        "gantt-departments"
    } else {
        "gantt"
    };
    out.push_str(r##"<p class="meta">One row per department; each cell is a wave, shaded by how many of the department's services are migrating in it, with the number cutting over. Grey columns are calendar freezes, orange cells department blackouts. Hover for details.</p><div class="scroll">"##);
    out.push_str(&svg::overview(d, id));
    out.push_str("</div>");
    end(out);
}

fn utilisation(out: &mut String, d: &ReportData) {
    h2(out, "utilisation-chart", "Capacity utilisation per wave");
    out.push_str(r##"<p class="meta">Each bar is one wave's load as a share of that wave's capacity (the cutover ramp and the production-cloud steps change over time); the dashed line is 100%. Dark bars are at 90% or more. Unlimited capacities show the load itself.</p><div class="scroll">"##);
    out.push_str(&svg::utilisation(d));
    out.push_str("</div>");
    end(out);
}

fn load_cell(l: &Load) -> Cell {
    let class = match l.percent {
        Some(p) if p > 100.0 + 1e-6 => "over",
        Some(p) if p >= 99.95 => "full",
        _ => "",
    };
    let dept = l
        .department
        .as_deref()
        .map(|d| format!(" {}", esc(d)))
        .unwrap_or_default();
    let html = format!(
        "{}<br><small>{} / {}{dept}</small>",
        pct(l.percent),
        num(l.used),
        cap(l.capacity)
    );
    Cell::Html(html, l.percent.unwrap_or(l.used).to_string(), class)
}

fn waves(out: &mut String, d: &ReportData) {
    h2(out, "waves", "Waves");
    out.push_str(r##"<p class="meta">Load against every capacity: share of the capacity, then used / capacity. Blue cells are at the limit, red ones over it.</p><div class="scroll">"##);
    let mut headers: Vec<String> = vec![
        "#Wave".into(),
        "Dates".into(),
        "Frozen".into(),
        "#Started".into(),
        "Cutovers by department".into(),
    ];
    headers.extend(
        d.capacities
            .iter()
            .map(|c| format!("{} ({})", c.label, c.unit)),
    );
    let hs: Vec<&str> = headers.iter().map(String::as_str).collect();
    table(
        out,
        "sortable waves",
        &hs,
        d.waves.iter().map(|w| {
            let by: Vec<String> = w
                .cutovers_by_department
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let by = if by.len() > 12 {
                format!("{} … and {} more", by[..12].join(", "), by.len() - 12)
            } else {
                by.join(", ")
            };
            let mut row = vec![
                n(f64::from(w.wave), w.wave.to_string()),
                Cell::Html(
                    format!("{}<br>{}", w.start, w.end),
                    w.start.to_string(),
                    "date",
                ),
                t(if w.frozen {
                    w.freezes.join(", ")
                } else {
                    String::new()
                }),
                n(w.started as f64, w.started.to_string()),
                t(by),
            ];
            row.extend(w.loads.iter().map(load_cell));
            row
        }),
    );
    out.push_str("</div>");
    end(out);
}

fn gantt_detail(out: &mut String, d: &ReportData) {
    h2(out, "gantt-services", "Gantt chart by service");
    match svg::gantt(d) {
        Some(chart) => {
            out.push_str(r##"<p class="meta">Every migrating service under its department; the bar spans its migration, the solid end and ◆ mark its cutover wave. Colour is criticality.</p><div class="scroll">"##);
            out.push_str(&chart);
            out.push_str("</div>");
        }
        None => {
            let _ = write!(
                out,
                r##"<p class="meta">{} migrating services are too many for one row each (the limit is {}): the chart by department above summarises them, and each department's schedule below lists every service.</p>"##,
                d.services.len(),
                svg::DETAIL_LIMIT
            );
        }
    }
    end(out);
}

fn dept_title(dep: &DepartmentRow) -> String {
    let local = dep
        .local_name
        .as_deref()
        .map(|l| format!(r##" <span class="local" lang="zh-Hant">{}</span>"##, esc(l)))
        .unwrap_or_default();
    format!("{} — {}{local}", esc(&dep.code), esc(&dep.name))
}

fn departments(out: &mut String, d: &ReportData) {
    h2(out, "departments", "Department schedules");
    table(
        out,
        "sortable",
        &[
            "Code",
            "Department",
            "#Migrating",
            "#Scheduled",
            "#First wave",
            "#Last cutover",
            "#Limit per wave",
        ],
        d.departments.iter().map(|dep| {
            let local = dep
                .local_name
                .as_deref()
                .map(|l| format!(r##" <span class="local" lang="zh-Hant">{}</span>"##, esc(l)))
                .unwrap_or_default();
            vec![
                Cell::Html(
                    format!(r##"<a href="#dept-{0}">{0}</a>"##, esc(&dep.code)),
                    dep.code.clone(),
                    "",
                ),
                Cell::Html(format!("{}{local}", esc(&dep.name)), dep.name.clone(), ""),
                n(dep.migrating as f64, dep.migrating.to_string()),
                n(dep.scheduled as f64, dep.scheduled.to_string()),
                n(f64::from(dep.first_wave.unwrap_or(0)), opt(dep.first_wave)),
                n(f64::from(dep.last_wave.unwrap_or(0)), opt(dep.last_wave)),
                n(
                    f64::from(dep.cutover_limit.unwrap_or(u32::MAX)),
                    cap_u(dep.cutover_limit),
                ),
            ]
        }),
    );
    for dep in &d.departments {
        let _ = write!(
            out,
            r##"<div class="dept" id="dept-{}"><h3>{}</h3><p class="meta">{} migrating, {} scheduled; waves {}–{}; at most {} cutovers per wave{}</p>"##,
            esc(&dep.code),
            dept_title(dep),
            dep.migrating,
            dep.scheduled,
            opt(dep.first_wave),
            opt(dep.last_wave),
            cap_u(dep.cutover_limit),
            if dep.blackouts.is_empty() {
                String::new()
            } else {
                format!("; blackouts: {}", esc(&dep.blackouts.join("; ")))
            }
        );
        table(
            out,
            "sortable",
            &[
                "Service",
                "Name",
                "Strategy",
                "Criticality",
                "#Start wave",
                "#Cutover wave",
                "Start",
                "Cutover by",
                "Split dependencies",
            ],
            d.services[dep.rows.clone()].iter().map(|s| {
                let split: Vec<String> = s
                    .split_dependencies
                    .iter()
                    .map(|x| format!("{} ({}w)", x.id, x.waves))
                    .collect();
                vec![
                    t(&s.id),
                    t(&s.name),
                    t(s.strategy),
                    t(s.criticality),
                    n(f64::from(s.start_wave.unwrap_or(0)), opt(s.start_wave)),
                    match s.cutover_wave {
                        Some(c) => n(f64::from(c), c.to_string()),
                        None => n(
                            0.0,
                            format!("unscheduled: {}", opt(s.unscheduled_rule.as_deref())),
                        ),
                    },
                    t(opt(s.start_date)),
                    t(opt(s.cutover_date)),
                    t(split.join(", ")),
                ]
            }),
        );
        out.push_str("</div>");
    }
    end(out);
}

fn more(out: &mut String, shown: usize, total: usize) {
    if total > shown {
        let _ = write!(
            out,
            r##"<p class="meta">The {shown} largest of {total} are shown; the JSON report lists them all.</p>"##
        );
    }
}

fn wave_or_prod(w: u32) -> Cell {
    if w == 0 {
        n(0.0, "in production")
    } else {
        n(f64::from(w), w.to_string())
    }
}

fn exposure(out: &mut String, d: &ReportData) {
    h2(out, "exposure", "Dependency exposure");
    let total: f64 = d.exposure.iter().map(|e| e.cost).sum();
    let _ = write!(
        out,
        r##"<p class="meta">{} dependency edges are split across sites for at least one wave: the dependant and its dependency cut over in different waves, so their traffic crosses between the data centre and the cloud meanwhile. Costliest first (traffic × waves split); total {}.</p>"##,
        d.exposure.len(),
        num(total)
    );
    table(
        out,
        "sortable",
        &[
            "Dependant",
            "Dept",
            "#Cutover",
            "Depends on",
            "Dept",
            "#Cutover",
            "#Waves split",
            "#Traffic",
            "#Cost",
        ],
        d.exposure.iter().take(MAX_DETAIL_ROWS).map(|e| {
            vec![
                t(&e.from),
                t(&e.from_department),
                wave_or_prod(e.from_cutover),
                t(&e.to),
                t(&e.to_department),
                wave_or_prod(e.to_cutover),
                n(f64::from(e.waves), e.waves.to_string()),
                n(e.traffic, num(e.traffic)),
                n(e.cost, num(e.cost)),
            ]
        }),
    );
    more(out, MAX_DETAIL_ROWS, d.exposure.len());
    end(out);
}

fn retained(out: &mut String, d: &ReportData) {
    h2(
        out,
        "retained",
        "Permanent cross-site links to retained services",
    );
    if d.retained_links.is_empty() {
        out.push_str("<p>No service that ends in production is linked to a retained service.</p>");
        end(out);
        return;
    }
    let _ = write!(
        out,
        r##"<p class="meta">{} links stay cross-site for good: one end is retained on its current site, the other runs in the production cloud from the wave shown. Heaviest traffic first.</p>"##,
        d.retained_links.len()
    );
    table(
        out,
        "sortable",
        &[
            "Retained service",
            "Dept",
            "Stays on",
            "Linked service",
            "Dept",
            "Direction",
            "#Cross-site from wave",
            "#Traffic",
            "Latency-sensitive",
        ],
        d.retained_links.iter().take(MAX_DETAIL_ROWS).map(|l| {
            vec![
                t(&l.retained),
                t(&l.retained_department),
                t(l.retained_site),
                t(&l.other),
                t(&l.other_department),
                t(if l.direction == "depends_on" {
                    "depends on the retained service"
                } else {
                    "is used by the retained service"
                }),
                wave_or_prod(l.from_wave),
                n(l.traffic, num(l.traffic)),
                t(if l.latency_sensitive { "yes" } else { "" }),
            ]
        }),
    );
    more(out, MAX_DETAIL_ROWS, d.retained_links.len());
    end(out);
}

fn critical(out: &mut String, d: &ReportData) {
    h2(out, "critical", "Critical services per wave");
    let _ = write!(
        out,
        r##"<p class="meta">Critical services cut over no earlier than wave {}. Waves without critical cutovers are omitted.</p>"##,
        d.settings.critical_not_before_wave
    );
    table(
        out,
        "sortable",
        &["#Wave", "Dates", "#Critical cutovers", "Services"],
        d.waves.iter().filter(|w| !w.critical.is_empty()).map(|w| {
            vec![
                n(f64::from(w.wave), w.wave.to_string()),
                t(format!("{} – {}", w.start, w.end)),
                n(w.critical.len() as f64, w.critical.len().to_string()),
                t(w.critical.join(", ")),
            ]
        }),
    );
    end(out);
}

fn readiness(out: &mut String, d: &ReportData) {
    h2(out, "readiness", "Decommission readiness");
    for r in &d.sites {
        let class = if r.ready || r.services == 0 {
            "ok"
        } else {
            "warn"
        };
        let _ = write!(
            out,
            r##"<div class="{class}"><b>{}</b>: {}.<br>{} there now: {} migrating ({} scheduled), {} retired.{}</div><br>"##,
            esc(r.site),
            esc(&r.verdict),
            plural(r.services as u64, "service"),
            r.migrating,
            r.scheduled,
            r.retired,
            if r.blocking.is_empty() {
                String::new()
            } else {
                let shown: Vec<&str> = r.blocking.iter().take(50).map(String::as_str).collect();
                format!(
                    " Keeping it running: {}{}.",
                    esc(&shown.join(", ")),
                    if r.blocking.len() > 50 { " …" } else { "" }
                )
            }
        );
    }
    let pilot: Vec<_> = d
        .services
        .iter()
        .filter(|s| s.site == "pilot-cloud")
        .collect();
    if !pilot.is_empty() {
        out.push_str("<h3>Pilot-cloud services</h3>");
        table(
            out,
            "sortable",
            &[
                "Service",
                "Name",
                "Department",
                "#Cutover wave",
                "Cutover by",
            ],
            pilot.iter().map(|s| {
                vec![
                    t(&s.id),
                    t(&s.name),
                    t(&s.department),
                    n(f64::from(s.cutover_wave.unwrap_or(0)), opt(s.cutover_wave)),
                    t(opt(s.cutover_date)),
                ]
            }),
        );
    }
    end(out);
}

fn unscheduled(out: &mut String, d: &ReportData) {
    h2(out, "unscheduled", "Unscheduled services");
    if d.unscheduled.is_empty() {
        out.push_str("<p>None: every migrating service is scheduled.</p>");
    } else {
        table(
            out,
            "sortable",
            &["Service", "Name", "Department", "Rule", "Reason"],
            d.unscheduled.iter().map(|u| {
                vec![
                    t(&u.id),
                    t(&u.name),
                    t(&u.department),
                    t(&u.rule),
                    t(&u.reason),
                ]
            }),
        );
    }
    end(out);
}

fn settings(out: &mut String, d: &ReportData) {
    let s = &d.settings;
    h2(out, "settings", "Scenario settings");
    let ramp = if s.cutovers.is_empty() {
        "unlimited".to_owned()
    } else {
        s.cutovers
            .iter()
            .map(|c| cap_u(*c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let teams = if s.teams.is_empty() {
        "unlimited".to_owned()
    } else {
        s.teams
            .iter()
            .map(|(k, v)| format!("{k} {}", cap(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let pins = s
        .pins
        .iter()
        .map(|(k, v)| format!("{k} → wave {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let limits = s
        .department_limits
        .iter()
        .map(|(k, v)| format!("{k} {}", cap_u(*v)))
        .collect::<Vec<_>>()
        .join(", ");
    let rows: Vec<(&str, String)> = vec![
        ("Scenario", s.name.clone()),
        (
            "Calendar",
            format!(
                "waves of {} days from {}; at most {} waves",
                s.wave_length_days, s.start, s.max_waves
            ),
        ),
        ("Today", opt(s.today)),
        (
            "Cutovers per wave",
            if s.cutovers.len() > 1 {
                format!("ramp {ramp} (the last repeats)")
            } else {
                ramp
            },
        ),
        ("Cutovers per department per wave", cap_u(s.per_department)),
        (
            "Department overrides",
            if limits.is_empty() {
                "none".into()
            } else {
                limits
            },
        ),
        ("Data transfer per wave (GiB)", cap(s.transfer_gib)),
        ("Teams (person-days per wave)", teams),
        ("Default dependency order", s.dependency_order.to_owned()),
        (
            "Critical services cut over from wave",
            s.critical_not_before_wave.to_string(),
        ),
        (
            "Pilot cloud decommissioned by",
            opt(s.pilot_cloud_decommission_by),
        ),
        (
            "Data centre decommissioned by",
            opt(s.datacenter_decommission_by),
        ),
        ("Pins", if pins.is_empty() { "none".into() } else { pins }),
    ];
    table(
        out,
        "settings",
        &["Setting", "Value"],
        rows.into_iter().map(|(k, v)| vec![t(k), t(v)]),
    );
    out.push_str("<h3>Production-cloud capacity</h3>");
    match &s.target {
        None => out.push_str("<p>Unlimited.</p>"),
        Some(steps) => table(
            out,
            "",
            &["From", "#vCPU", "#Memory GiB", "#Storage GiB"],
            steps.iter().map(|st| {
                vec![
                    t(st.from.to_string()),
                    n(st.vcpu.unwrap_or(f64::INFINITY), cap(st.vcpu)),
                    n(st.memory_gib.unwrap_or(f64::INFINITY), cap(st.memory_gib)),
                    n(st.storage_gib.unwrap_or(f64::INFINITY), cap(st.storage_gib)),
                ]
            }),
        ),
    }
    for (title, list) in [
        ("Calendar freezes", &s.freezes),
        ("Department blackouts", &s.blackouts),
    ] {
        let _ = write!(out, "<h3>{title}</h3>");
        if list.is_empty() {
            out.push_str("<p>None.</p>");
            continue;
        }
        table(
            out,
            "sortable",
            &["Name", "From", "To", "Reason"],
            list.iter().map(|p| {
                vec![
                    t(&p.name),
                    t(p.from.to_string()),
                    t(p.to.to_string()),
                    t(opt(p.reason.as_deref())),
                ]
            }),
        );
    }
    end(out);
}
