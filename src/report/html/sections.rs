//! The sections of the HTML page, in reading order: summary first, then the charts, the
//! wave table, each department's schedule, and the detail tables.

use std::fmt::Write;

use crate::report::content::{self, MAX_DETAIL_ROWS};
use crate::report::fmt::{esc, num, opt, plural};
use crate::report::svg;
use crate::report::table::Table;
use crate::report::table::html::{local_span, render};
use crate::report::{DepartmentRow, ReportData};

/// Appends a table.
fn table(out: &mut String, table: &Table) {
    out.push_str(&render(table));
}

/// Writes every section.
pub fn all(out: &mut String, d: &ReportData) {
    header(out, d);
    summary(out, d);
    gantt_overview(out, d);
    utilisation(out, d);
    costs(out, d);
    risk(out, d);
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
        r##"<h1>Migration plan: {}</h1><p class="lead">{} of {} from {} to {}{}</p>"##,
        esc(&s.scenario),
        plural(s.waves, "wave"),
        plural(d.settings.wave_length_days, "day"),
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
        table(out, &content::counts(title, rows));
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

fn costs(out: &mut String, d: &ReportData) {
    let Some(chart) = svg::cost_curve(d) else {
        return;
    };
    h2(out, "transition-cost", "Transition cost");
    meta(out, &content::cost_intro(d));
    out.push_str(r##"<div class="scroll">"##);
    out.push_str(&chart);
    out.push_str("</div>");
    table(out, &content::cost_parts(d));
    out.push_str("<h3>By department</h3>");
    table(out, &content::cost_departments(d));
    if let Some(c) = &d.costs {
        more(out, c.by_department.len());
    }
    end(out);
}

fn risk(out: &mut String, d: &ReportData) {
    let Some(r) = &d.risk else {
        return;
    };
    h2(out, "schedule-risk", "Schedule risk");
    meta(out, &content::risk_intro(r));
    if let Some(chart) = svg::finish_histogram(d) {
        out.push_str(r##"<div class="scroll">"##);
        out.push_str(&chart);
        out.push_str("</div>");
    }
    out.push_str("<h3>Decommission dates</h3>");
    table(out, &content::risk_sites(r));
    if let Some(chart) = svg::criticality_bars(d) {
        out.push_str("<h3>Criticality index</h3>");
        out.push_str(r##"<div class="scroll">"##);
        out.push_str(&chart);
        out.push_str("</div>");
    }
    if !r.deadline_probabilities.services.is_empty() {
        out.push_str("<h3>Service deadlines</h3>");
        table(out, &content::risk_deadlines(r));
        more(out, r.deadline_probabilities.services.len());
    }
    out.push_str("<h3>Expected slip by planned wave</h3>");
    table(out, &content::risk_waves(r));
    end(out);
}

fn waves(out: &mut String, d: &ReportData) {
    h2(out, "waves", "Waves");
    out.push_str(r##"<p class="meta">Load against every capacity: share of the capacity, then used / capacity. Blue cells are at the limit, red ones over it.</p><div class="scroll tall">"##);
    table(out, &content::waves(d));
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
        .map(local_span)
        .unwrap_or_default();
    format!("{} — {}{local}", esc(&dep.code), esc(&dep.name))
}

fn departments(out: &mut String, d: &ReportData) {
    h2(out, "departments", "Department schedules");
    table(out, &content::departments(d));
    for dep in &d.departments {
        let _ = write!(
            out,
            r##"<div class="dept" id="{}"><h3>{}</h3><p class="meta">{}</p>"##,
            esc(&content::dept_anchor(dep)),
            dept_title(dep),
            esc(&content::department_meta(dep)),
        );
        table(out, &content::schedule(d, dep));
        out.push_str("</div>");
    }
    end(out);
}

fn meta(out: &mut String, text: &str) {
    let _ = write!(out, r##"<p class="meta">{}</p>"##, esc(text));
}

fn more(out: &mut String, total: usize) {
    if let Some(s) = content::more(MAX_DETAIL_ROWS, total) {
        meta(out, &s);
    }
}

fn exposure(out: &mut String, d: &ReportData) {
    h2(out, "exposure", "Dependency exposure");
    meta(out, &content::exposure_intro(d));
    table(out, &content::exposure(d));
    more(out, d.exposure.len());
    end(out);
}

fn retained(out: &mut String, d: &ReportData) {
    h2(
        out,
        "retained",
        "Permanent cross-site links to retained services",
    );
    if d.retained_links.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(&content::retained_intro(d)));
    } else {
        meta(out, &content::retained_intro(d));
        table(out, &content::retained(d));
        more(out, d.retained_links.len());
    }
    end(out);
}

fn critical(out: &mut String, d: &ReportData) {
    h2(out, "critical", "Critical services per wave");
    meta(out, &content::critical_intro(d));
    table(out, &content::critical(d));
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
        let [verdict, rest] = content::readiness(r);
        let _ = write!(
            out,
            r##"<div class="{class}"><b>{}</b>: {}<br>{}</div><br>"##,
            esc(r.site),
            esc(&verdict),
            esc(&rest),
        );
    }
    if let Some(pilot) = content::pilot(d) {
        out.push_str("<h3>Pilot-cloud services</h3>");
        table(out, &pilot);
    }
    end(out);
}

fn unscheduled(out: &mut String, d: &ReportData) {
    h2(out, "unscheduled", "Unscheduled services");
    if d.unscheduled.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(content::ALL_SCHEDULED));
    } else {
        table(out, &content::unscheduled(d));
    }
    end(out);
}

fn settings(out: &mut String, d: &ReportData) {
    h2(out, "settings", "Scenario settings");
    table(out, &content::settings(d));
    out.push_str("<h3>Production-cloud capacity</h3>");
    match content::target(d) {
        None => out.push_str("<p>Unlimited.</p>"),
        Some(target) => table(out, &target),
    }
    for (title, list) in content::periods(d) {
        let _ = write!(out, "<h3>{title}</h3>");
        match list {
            Some(list) => table(out, &list),
            None => out.push_str("<p>None.</p>"),
        }
    }
    end(out);
}
