//! The Markdown report: GitHub/GitLab-flavoured tables and a Mermaid Gantt block, with the
//! same tables and sentences as the HTML page (both from [`content`]).

use std::fmt::Write;

use super::ReportData;
use super::content::{self, MAX_DETAIL_ROWS};
use super::fmt::{md, num, opt, plural};
use super::mermaid;
use super::table::{Table, markdown, t};

/// Appends a table and the blank line that ends it.
fn table(out: &mut String, table: &Table) {
    out.push_str(&markdown::render(table));
    out.push('\n');
}

/// Appends a paragraph.
fn para(out: &mut String, text: &str) {
    let _ = writeln!(out, "{}\n", md(text));
}

fn more(out: &mut String, total: usize) {
    if let Some(s) = content::more(MAX_DETAIL_ROWS, total) {
        let _ = writeln!(out, "_{}_\n", md(&s));
    }
}

/// Renders the report as Markdown.
#[must_use]
pub fn render(d: &ReportData) -> String {
    let mut out = String::with_capacity(32 * 1024 + d.services.len() * 200);
    summary(&mut out, d);
    out.push_str("## Gantt chart\n\nOne bar per department per run of busy waves (labelled with its cutovers); calendar freezes in red.\n\n");
    out.push_str(&mermaid::gantt(d));
    out.push('\n');
    if let Some(c) = &d.costs {
        out.push_str("## Transition cost\n\n");
        para(&mut out, &content::cost_intro(d));
        table(&mut out, &content::cost_parts(d));
        out.push_str("### By department\n\n");
        table(&mut out, &content::cost_departments(d));
        more(&mut out, c.by_department.len());
    }
    risk(&mut out, d);
    out.push_str("## Waves\n\nLoad as a share of each capacity, then used / capacity.\n\n");
    table(&mut out, &content::waves(d));
    departments(&mut out, d);
    out.push_str("## Dependency exposure\n\n");
    para(&mut out, &content::exposure_intro(d));
    table(&mut out, &content::exposure(d));
    more(&mut out, d.exposure.len());
    out.push_str("## Permanent cross-site links to retained services\n\n");
    para(&mut out, &content::retained_intro(d));
    if !d.retained_links.is_empty() {
        table(&mut out, &content::retained(d));
        more(&mut out, d.retained_links.len());
    }
    out.push_str("## Critical services per wave\n\n");
    para(&mut out, &content::critical_intro(d));
    table(&mut out, &content::critical(d));
    readiness(&mut out, d);
    out.push_str("## Unscheduled services\n\n");
    if d.unscheduled.is_empty() {
        para(&mut out, content::ALL_SCHEDULED);
    } else {
        table(&mut out, &content::unscheduled(d));
    }
    settings(&mut out, d);
    out
}

fn summary(out: &mut String, d: &ReportData) {
    let s = &d.summary;
    let _ = writeln!(out, "# Migration plan: {}\n", md(&s.scenario));
    if let Some(b) = &s.bottleneck {
        para(out, b);
    }
    if let Some(desc) = &d.settings.description {
        para(out, desc);
    }
    if !s.overrides.is_empty() {
        let list: Vec<String> = s
            .overrides
            .iter()
            .map(|o| format!("`{}`", o.replace('`', "'")))
            .collect();
        let _ = writeln!(
            out,
            "**What-if:** made with {} on top of the scenario file; every number below is against the scenario with these applied.\n",
            list.join(", ")
        );
    }
    out.push_str("## Summary\n\n");
    let gap = match s.gap_percent {
        Some(p) => format!("{} ({p:.1}%)", plural(s.gap_waves, "wave")),
        None => "-".to_owned(),
    };
    let measures = [
        ("Waves (makespan)", s.waves.to_string()),
        ("Lower bound", s.lower_bound_waves.to_string()),
        ("Gap to the lower bound", gap),
        ("Start", s.start.to_string()),
        ("Finish", opt(s.finish)),
        ("Services in the inventory", s.services_total.to_string()),
        ("Migrating", s.services_migrating.to_string()),
        ("Scheduled", s.services_scheduled.to_string()),
        ("Unscheduled", s.services_unscheduled.to_string()),
        ("Split cost", num(s.split_cost)),
        ("Frozen waves", s.frozen_waves.to_string()),
    ];
    table(
        out,
        &Table::new(
            "",
            &["Measure", "Value"],
            measures.into_iter().map(|(k, v)| vec![t(k), t(v)]),
        ),
    );
    if d.checks.is_empty() {
        out.push_str("Every number below was recomputed from the inventory and scenario and agrees with the plan file.\n\n");
    } else {
        out.push_str("> **The plan file does not match the inventory and scenario given:**\n");
        for c in &d.checks {
            let _ = writeln!(out, "> - {}", md(c));
        }
        out.push_str(">\n> The numbers below are recomputed from the inventory and scenario.\n\n");
    }
    for (title, rows) in [
        ("Site", &s.by_site),
        ("Strategy", &s.by_strategy),
        ("Criticality", &s.by_criticality),
    ] {
        table(out, &content::counts(title, rows));
    }
}

fn departments(out: &mut String, d: &ReportData) {
    out.push_str("## Department schedules\n\n");
    table(out, &content::departments(d));
    for dep in &d.departments {
        let local = dep
            .local_name
            .as_deref()
            .map(|l| format!(" ({})", md(l)))
            .unwrap_or_default();
        let _ = writeln!(out, "### {} — {}{local}\n", md(&dep.code), md(&dep.name));
        para(out, &content::department_meta(dep));
        table(out, &content::schedule(d, dep));
    }
}

fn readiness(out: &mut String, d: &ReportData) {
    out.push_str("## Decommission readiness\n\n");
    for r in &d.sites {
        let [verdict, rest] = content::readiness(r);
        let _ = writeln!(out, "- **{}**: {} {}", md(r.site), md(&verdict), md(&rest));
    }
    out.push('\n');
    if let Some(pilot) = content::pilot(d) {
        out.push_str("### Pilot-cloud services\n\n");
        table(out, &pilot);
    }
}

fn settings(out: &mut String, d: &ReportData) {
    out.push_str("## Scenario settings\n\n");
    table(out, &content::settings(d));
    out.push_str("### Production-cloud capacity\n\n");
    match content::target(d) {
        Some(target) => table(out, &target),
        None => para(out, "Unlimited."),
    }
    for (title, periods) in content::periods(d) {
        let _ = writeln!(out, "### {title}\n");
        match periods {
            Some(periods) => table(out, &periods),
            None => para(out, "None."),
        }
    }
}

fn risk(out: &mut String, d: &ReportData) {
    if let Some(r) = &d.risk {
        out.push_str("## Schedule risk\n\n");
        risk_body(out, r, "###");
    }
}

/// `waveplan risk --format md`: the report's Schedule risk section as a page of its own.
#[must_use]
pub fn risk_page(r: &crate::risk::RiskReport) -> String {
    let mut out = String::from("# Schedule risk\n\n");
    risk_body(&mut out, r, "##");
    out
}

/// The Schedule risk section below its heading, its subsections headed by `sub`.
fn risk_body(out: &mut String, r: &crate::risk::RiskReport, sub: &str) {
    para(out, &content::risk_intro(r));
    let _ = writeln!(out, "{sub} Decommission dates\n");
    table(out, &content::risk_sites(r));
    if !r.criticality_index.is_empty() {
        let _ = writeln!(out, "{sub} Criticality index\n");
        para(
            out,
            &format!(
                "Share of the first {} in which the service's failed cutover moved the finish.",
                plural(r.criticality_runs, "run")
            ),
        );
        let rows = r
            .criticality_index
            .iter()
            .take(crate::report::svg::TOP_CRITICAL)
            .map(|(s, &x)| vec![super::table::id(s.as_str()), content::chance(x)]);
        table(out, &Table::new("", &["Service", "#Share of runs"], rows));
    }
    if !r.deadline_probabilities.services.is_empty() {
        let _ = writeln!(out, "{sub} Service deadlines\n");
        table(out, &content::risk_deadlines(r));
        more(out, r.deadline_probabilities.services.len());
    }
    let _ = writeln!(out, "{sub} Finish histogram\n");
    let mut rows: Vec<Vec<super::table::Cell>> = r
        .histogram
        .iter()
        .map(|(w, &n)| vec![t(w.as_str()), super::table::count(n as usize)])
        .collect();
    if r.unfinished_runs > 0 {
        rows.push(vec![
            t(format!("after {}", r.horizon)),
            super::table::count(r.unfinished_runs as usize),
        ]);
    }
    table(out, &Table::new("", &["#Finish wave", "#Runs"], rows));
    let _ = writeln!(out, "{sub} Expected slip by planned wave\n");
    table(out, &content::risk_waves(r));
}
