//! The Markdown report: GitHub/GitLab-flavoured tables and a Mermaid Gantt block, with the
//! same facts as the HTML page.

use std::fmt::Write;

use super::ReportData;
use super::fmt::{cap, cap_u, md, num, opt, pct, plural};
use super::mermaid;

/// Rows of a detail table shown before pointing to the JSON report.
const MAX_DETAIL_ROWS: usize = 100;

/// Appends a table.
fn table(out: &mut String, headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let sep: Vec<&str> = headers
        .iter()
        .map(|h| {
            if h.starts_with(['#', '%']) || h.ends_with("wave") {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", sep.join(" | "));
    for r in rows {
        let _ = writeln!(out, "| {} |", r.join(" | "));
    }
    out.push('\n');
}

fn more(out: &mut String, shown: usize, total: usize) {
    if total > shown {
        let _ = writeln!(
            out,
            "_The first {shown} of {total} are shown; the JSON report lists them all._\n"
        );
    }
}

fn wave_or_prod(w: u32) -> String {
    if w == 0 {
        "in production".to_owned()
    } else {
        w.to_string()
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
    waves(&mut out, d);
    departments(&mut out, d);
    exposure(&mut out, d);
    critical(&mut out, d);
    readiness(&mut out, d);
    unscheduled(&mut out, d);
    settings(&mut out, d);
    out
}

fn summary(out: &mut String, d: &ReportData) {
    let s = &d.summary;
    let _ = writeln!(out, "# Migration plan: {}\n", md(&s.scenario));
    if let Some(b) = &s.bottleneck {
        let _ = writeln!(out, "{}\n", md(b));
    }
    if let Some(desc) = &d.settings.description {
        let _ = writeln!(out, "{}\n", md(desc));
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
    table(
        out,
        &["Measure", "Value"],
        [
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
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_owned(), v]),
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
        table(
            out,
            &[title, "#Services", "#Migrating", "#Scheduled"],
            rows.iter().map(|r| {
                vec![
                    r.key.to_owned(),
                    r.services.to_string(),
                    r.migrating.to_string(),
                    r.scheduled.to_string(),
                ]
            }),
        );
    }
}

fn waves(out: &mut String, d: &ReportData) {
    out.push_str("## Waves\n\nLoad as a share of each capacity, then used / capacity.\n\n");
    let mut headers: Vec<String> = [
        "#Wave",
        "Dates",
        "Frozen",
        "#Started",
        "Cutovers by department",
    ]
    .map(str::to_owned)
    .to_vec();
    headers.extend(
        d.capacities
            .iter()
            .map(|c| format!("%{} ({})", c.label, c.unit)),
    );
    let hs: Vec<&str> = headers.iter().map(String::as_str).collect();
    table(
        out,
        &hs,
        d.waves.iter().map(|w| {
            let by: Vec<String> = w
                .cutovers_by_department
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let mut row = vec![
                w.wave.to_string(),
                format!("{} – {}", w.start, w.end),
                if w.frozen {
                    md(&w.freezes.join(", "))
                } else {
                    String::new()
                },
                w.started.to_string(),
                md(&by.join(", ")),
            ];
            row.extend(w.loads.iter().map(|l| {
                let dept = l
                    .department
                    .as_deref()
                    .map(|x| format!(" {x}"))
                    .unwrap_or_default();
                format!(
                    "{} ({} / {}{})",
                    pct(l.percent),
                    num(l.used),
                    cap(l.capacity),
                    md(&dept)
                )
            }));
            row
        }),
    );
}

fn departments(out: &mut String, d: &ReportData) {
    out.push_str("## Department schedules\n\n");
    for dep in &d.departments {
        let local = dep
            .local_name
            .as_deref()
            .map(|l| format!(" ({})", md(l)))
            .unwrap_or_default();
        let _ = writeln!(out, "### {} — {}{local}\n", md(&dep.code), md(&dep.name));
        let _ = writeln!(
            out,
            "{} migrating, {} scheduled; waves {}–{}; at most {} cutovers per wave{}.\n",
            dep.migrating,
            dep.scheduled,
            opt(dep.first_wave),
            opt(dep.last_wave),
            cap_u(dep.cutover_limit),
            if dep.blackouts.is_empty() {
                String::new()
            } else {
                format!("; blackouts: {}", md(&dep.blackouts.join("; ")))
            }
        );
        table(
            out,
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
                    md(&s.id),
                    md(&s.name),
                    s.strategy.to_owned(),
                    s.criticality.to_owned(),
                    opt(s.start_wave),
                    s.cutover_wave.map_or_else(
                        || format!("unscheduled ({})", md(&opt(s.unscheduled_rule.as_deref()))),
                        |c| c.to_string(),
                    ),
                    opt(s.start_date),
                    opt(s.cutover_date),
                    md(&split.join(", ")),
                ]
            }),
        );
    }
}

fn exposure(out: &mut String, d: &ReportData) {
    let total: f64 = d.exposure.iter().map(|e| e.cost).sum();
    let _ = writeln!(
        out,
        "## Dependency exposure\n\n{} dependency edges are split across sites for at least one wave (costliest first; total {}).\n",
        d.exposure.len(),
        num(total)
    );
    table(
        out,
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
                md(&e.from),
                md(&e.from_department),
                wave_or_prod(e.from_cutover),
                md(&e.to),
                md(&e.to_department),
                wave_or_prod(e.to_cutover),
                e.waves.to_string(),
                num(e.traffic),
                num(e.cost),
            ]
        }),
    );
    more(out, MAX_DETAIL_ROWS, d.exposure.len());
    out.push_str("### Permanent cross-site links to retained services\n\n");
    if d.retained_links.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    table(
        out,
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
                md(&l.retained),
                md(&l.retained_department),
                l.retained_site.to_owned(),
                md(&l.other),
                md(&l.other_department),
                if l.direction == "depends_on" {
                    "depends on it".to_owned()
                } else {
                    "used by it".to_owned()
                },
                wave_or_prod(l.from_wave),
                num(l.traffic),
                if l.latency_sensitive {
                    "yes".to_owned()
                } else {
                    String::new()
                },
            ]
        }),
    );
    more(out, MAX_DETAIL_ROWS, d.retained_links.len());
}

fn critical(out: &mut String, d: &ReportData) {
    let _ = writeln!(
        out,
        "## Critical services per wave\n\nCritical services cut over no earlier than wave {}.\n",
        d.settings.critical_not_before_wave
    );
    table(
        out,
        &["#Wave", "Dates", "#Critical cutovers", "Services"],
        d.waves.iter().filter(|w| !w.critical.is_empty()).map(|w| {
            vec![
                w.wave.to_string(),
                format!("{} – {}", w.start, w.end),
                w.critical.len().to_string(),
                md(&w.critical.join(", ")),
            ]
        }),
    );
}

fn readiness(out: &mut String, d: &ReportData) {
    out.push_str("## Decommission readiness\n\n");
    for r in &d.sites {
        let _ = writeln!(
            out,
            "- **{}**: {}. {} there now: {} migrating ({} scheduled), {} retired.{}",
            r.site,
            md(&r.verdict),
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
                    md(&shown.join(", ")),
                    if r.blocking.len() > 50 { " …" } else { "" }
                )
            }
        );
    }
    out.push('\n');
}

fn unscheduled(out: &mut String, d: &ReportData) {
    out.push_str("## Unscheduled services\n\n");
    if d.unscheduled.is_empty() {
        out.push_str("None: every migrating service is scheduled.\n\n");
        return;
    }
    table(
        out,
        &["Service", "Name", "Department", "Rule", "Reason"],
        d.unscheduled.iter().map(|u| {
            vec![
                md(&u.id),
                md(&u.name),
                md(&u.department),
                md(&u.rule),
                md(&u.reason),
            ]
        }),
    );
}

fn settings(out: &mut String, d: &ReportData) {
    let s = &d.settings;
    out.push_str("## Scenario settings\n\n");
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    table(
        out,
        &["Setting", "Value"],
        [
            ("Scenario", md(&s.name)),
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
                if s.cutovers.is_empty() {
                    "unlimited".into()
                } else {
                    s.cutovers
                        .iter()
                        .map(|c| cap_u(*c))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            ),
            ("Cutovers per department per wave", cap_u(s.per_department)),
            (
                "Department overrides",
                md(&list(
                    s.department_limits
                        .iter()
                        .map(|(k, v)| format!("{k} {}", cap_u(*v)))
                        .collect(),
                )),
            ),
            ("Data transfer per wave (GiB)", cap(s.transfer_gib)),
            (
                "Teams (person-days per wave)",
                md(&list(
                    s.teams
                        .iter()
                        .map(|(k, v)| format!("{k} {}", cap(*v)))
                        .collect(),
                )),
            ),
            (
                "Production-cloud capacity",
                s.target.as_ref().map_or_else(
                    || "unlimited".to_owned(),
                    |steps| {
                        steps
                            .iter()
                            .map(|st| {
                                format!(
                                    "from {}: vCPU {}, memory {} GiB, storage {} GiB",
                                    st.from,
                                    cap(st.vcpu),
                                    cap(st.memory_gib),
                                    cap(st.storage_gib)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    },
                ),
            ),
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
            (
                "Pins",
                md(&list(
                    s.pins
                        .iter()
                        .map(|(k, v)| format!("{k} → wave {v}"))
                        .collect(),
                )),
            ),
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_owned(), v]),
    );
    for (title, periods) in [
        ("Calendar freezes", &s.freezes),
        ("Department blackouts", &s.blackouts),
    ] {
        let _ = writeln!(out, "### {title}\n");
        if periods.is_empty() {
            out.push_str("None.\n\n");
            continue;
        }
        table(
            out,
            &["Name", "From", "To", "Reason"],
            periods.iter().map(|p| {
                vec![
                    md(&p.name),
                    p.from.to_string(),
                    p.to.to_string(),
                    md(&opt(p.reason.as_deref())),
                ]
            }),
        );
    }
}
