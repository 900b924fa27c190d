//! The report's tables and shared sentences, built once from [`ReportData`] for both the
//! HTML and the Markdown renderings, which differ only in layout and escaping.

use super::facts::{CountRow, DepartmentRow, Load, ReportData, SiteReadiness};
use super::fmt::{cap, cap_u, num, opt, pct, percent, plural, plural_of, waves_between};
use super::settings::Period;
use super::table::{Cell, Table, count, date, id, n, t};
use crate::risk::RiskReport;

/// Rows of a detail table shown before pointing to the JSON report.
pub const MAX_DETAIL_ROWS: usize = 200;

/// Entries of a list inside one cell shown before the rest is summarised in a count.
const MAX_LISTED: usize = 12;

/// Services keeping a site running named before the rest is elided.
const MAX_BLOCKING: usize = 50;

/// The sentence after a detail table cut at `shown` rows, if it was cut.
#[must_use]
pub fn more(shown: usize, total: usize) -> Option<String> {
    (total > shown)
        .then(|| format!("The first {shown} of {total} are shown; the JSON report lists them all."))
}

/// Services by site, strategy or criticality.
#[must_use]
pub fn counts(title: &str, rows: &[CountRow]) -> Table {
    Table::new(
        "counts",
        &[title, "#Services", "#Migrating", "#Scheduled"],
        rows.iter().map(|r| {
            vec![
                t(r.key),
                count(r.services),
                count(r.migrating),
                count(r.scheduled),
            ]
        }),
    )
}

fn load(l: &Load) -> Cell {
    let dept = l
        .department
        .as_deref()
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    Cell::Bar {
        percent: l.percent,
        value: l.percent.unwrap_or(l.used),
        label: pct(l.percent),
        detail: format!("{} / {}{dept}", num(l.used), cap(l.capacity)),
    }
}

/// Each wave's dates, starts, cutovers and load against every capacity.
#[must_use]
pub fn waves(d: &ReportData) -> Table {
    let mut headings: Vec<String> = [
        "#Wave",
        "Dates",
        "Frozen",
        "#Started",
        "Cutovers by department",
    ]
    .map(str::to_owned)
    .to_vec();
    headings.extend(
        d.capacities
            .iter()
            .map(|c| format!("#{} ({})", c.label, c.unit)),
    );
    Table::new(
        "sortable waves",
        &headings,
        d.waves.iter().map(|w| {
            let by: Vec<String> = w
                .cutovers_by_department
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let by = if by.len() > MAX_LISTED {
                format!(
                    "{} … and {} more",
                    by[..MAX_LISTED].join(", "),
                    by.len() - MAX_LISTED
                )
            } else {
                by.join(", ")
            };
            let mut row = vec![
                n(f64::from(w.wave), w.wave.to_string()),
                Cell::Period {
                    from: w.start.to_string(),
                    to: w.end.to_string(),
                },
                t(if w.frozen {
                    w.freezes.join(", ")
                } else {
                    String::new()
                }),
                count(w.started),
                t(by),
            ];
            row.extend(w.loads.iter().map(load));
            row
        }),
    )
}

/// The anchor of a department's schedule.
#[must_use]
pub fn dept_anchor(dep: &DepartmentRow) -> String {
    format!("dept-{}", dep.code)
}

/// One line per department, linking to its schedule.
#[must_use]
pub fn departments(d: &ReportData) -> Table {
    Table::new(
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
            vec![
                Cell::Link {
                    text: dep.code.clone(),
                    anchor: dept_anchor(dep),
                },
                Cell::Name {
                    name: dep.name.clone(),
                    local: dep.local_name.clone(),
                },
                count(dep.migrating),
                count(dep.scheduled),
                n(f64::from(dep.first_wave.unwrap_or(0)), opt(dep.first_wave)),
                n(f64::from(dep.last_wave.unwrap_or(0)), opt(dep.last_wave)),
                n(
                    f64::from(dep.cutover_limit.unwrap_or(u32::MAX)),
                    cap_u(dep.cutover_limit),
                ),
            ]
        }),
    )
}

/// The sentence under a department's heading.
#[must_use]
pub fn department_meta(dep: &DepartmentRow) -> String {
    let waves = waves_between(dep.first_wave, dep.last_wave);
    let limit = dep.cutover_limit.map_or_else(
        || "no limit on cutovers per wave".to_owned(),
        |n| format!("at most {} per wave", plural(n, "cutover")),
    );
    format!(
        "{} migrating, {} scheduled; {waves}; {limit}{}.",
        dep.migrating,
        dep.scheduled,
        if dep.blackouts.is_empty() {
            String::new()
        } else {
            format!("; blackouts: {}", dep.blackouts.join("; "))
        }
    )
}

/// A department's services in cutover order.
#[must_use]
pub fn schedule(d: &ReportData, dep: &DepartmentRow) -> Table {
    Table::new(
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
                .map(|x| format!("{} ({})", x.id, plural(x.waves, "wave")))
                .collect();
            vec![
                id(&s.id),
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
                date(s.start_date),
                date(s.cutover_date),
                t(split.join(", ")),
            ]
        }),
    )
}

/// A wave number, or `in production` for a service already there.
fn wave_or_prod(w: u32) -> Cell {
    if w == 0 {
        n(0.0, "in production")
    } else {
        n(f64::from(w), w.to_string())
    }
}

/// The costliest dependency edges split across sites.
#[must_use]
pub fn exposure(d: &ReportData) -> Table {
    Table::new(
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
                id(&e.from),
                id(&e.from_department),
                wave_or_prod(e.from_cutover),
                id(&e.to),
                id(&e.to_department),
                wave_or_prod(e.to_cutover),
                n(f64::from(e.waves), e.waves.to_string()),
                n(e.traffic, num(e.traffic)),
                n(e.cost, num(e.cost)),
            ]
        }),
    )
}

/// The heaviest links that stay cross-site for good.
#[must_use]
pub fn retained(d: &ReportData) -> Table {
    Table::new(
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
                id(&l.retained),
                id(&l.retained_department),
                t(l.retained_site),
                id(&l.other),
                id(&l.other_department),
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
    )
}

/// The waves with critical cutovers.
#[must_use]
pub fn critical(d: &ReportData) -> Table {
    Table::new(
        "sortable",
        &["#Wave", "Dates", "#Critical cutovers", "Services"],
        d.waves.iter().filter(|w| !w.critical.is_empty()).map(|w| {
            vec![
                n(f64::from(w.wave), w.wave.to_string()),
                Cell::Period {
                    from: w.start.to_string(),
                    to: w.end.to_string(),
                },
                count(w.critical.len()),
                t(w.critical.join(", ")),
            ]
        }),
    )
}

/// A site's verdict, then what is still there: two sentences.
#[must_use]
pub fn readiness(r: &SiteReadiness) -> [String; 2] {
    let blocking = if r.blocking.is_empty() {
        String::new()
    } else {
        let shown: Vec<&str> = r
            .blocking
            .iter()
            .take(MAX_BLOCKING)
            .map(String::as_str)
            .collect();
        format!(
            " Keeping it running: {}{}.",
            shown.join(", "),
            if r.blocking.len() > MAX_BLOCKING {
                " …"
            } else {
                ""
            }
        )
    };
    [
        format!("{}.", r.verdict),
        format!(
            "{} there now: {} migrating ({} scheduled), {} retired.{blocking}",
            plural_of(r.services, "service"),
            r.migrating,
            r.scheduled,
            r.retired,
        ),
    ]
}

/// The services now in the pilot cloud, which must leave before it is decommissioned.
#[must_use]
pub fn pilot(d: &ReportData) -> Option<Table> {
    let pilot: Vec<_> = d
        .services
        .iter()
        .filter(|s| s.site == "pilot-cloud")
        .collect();
    (!pilot.is_empty()).then(|| {
        Table::new(
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
                    id(&s.id),
                    t(&s.name),
                    id(&s.department),
                    n(f64::from(s.cutover_wave.unwrap_or(0)), opt(s.cutover_wave)),
                    date(s.cutover_date),
                ]
            }),
        )
    })
}

/// Migrating services the plan could not place, with the rule that stopped each.
#[must_use]
pub fn unscheduled(d: &ReportData) -> Table {
    Table::new(
        "sortable",
        &["Service", "Name", "Department", "Rule", "Reason"],
        d.unscheduled.iter().map(|u| {
            vec![
                id(&u.id),
                t(&u.name),
                id(&u.department),
                t(&u.rule),
                t(&u.reason),
            ]
        }),
    )
}

/// `none` for an empty list, else its entries.
fn list(v: Vec<String>) -> String {
    if v.is_empty() {
        "none".to_owned()
    } else {
        v.join(", ")
    }
}

/// The scenario's settings, one per line.
#[must_use]
pub fn settings(d: &ReportData) -> Table {
    let s = &d.settings;
    let ramp = if s.cutovers.is_empty() {
        "unlimited".to_owned()
    } else {
        let ramp = s
            .cutovers
            .iter()
            .map(|c| cap_u(*c))
            .collect::<Vec<_>>()
            .join(", ");
        if s.cutovers.len() > 1 {
            format!("ramp {ramp} (the last repeats)")
        } else {
            ramp
        }
    };
    let teams = if s.teams.is_empty() {
        "unlimited".to_owned()
    } else {
        list(
            s.teams
                .iter()
                .map(|(k, v)| format!("{k} {}", cap(*v)))
                .collect(),
        )
    };
    let rows: [(&str, Cell); 13] = [
        ("Scenario", t(&s.name)),
        (
            "Calendar",
            t(format!(
                "waves of {} from {}; at most {}",
                plural(s.wave_length_days, "day"),
                s.start,
                plural(s.max_waves, "wave")
            )),
        ),
        ("Today", date(s.today)),
        ("Cutovers per wave", t(ramp)),
        (
            "Cutovers per department per wave",
            t(cap_u(s.per_department)),
        ),
        (
            "Department overrides",
            t(list(
                s.department_limits
                    .iter()
                    .map(|(k, v)| format!("{k} {}", cap_u(*v)))
                    .collect(),
            )),
        ),
        ("Data transfer per wave (GiB)", t(cap(s.transfer_gib))),
        ("Teams (person-days per wave)", t(teams)),
        ("Default dependency order", t(s.dependency_order)),
        (
            "Critical services cut over from wave",
            t(s.critical_not_before_wave.to_string()),
        ),
        (
            "Pilot cloud decommissioned by",
            date(s.pilot_cloud_decommission_by),
        ),
        (
            "Data centre decommissioned by",
            date(s.datacenter_decommission_by),
        ),
        (
            "Pins",
            t(list(
                s.pins
                    .iter()
                    .map(|(k, v)| format!("{k} → wave {v}"))
                    .collect(),
            )),
        ),
    ];
    Table::new(
        "settings",
        &["Setting", "Value"],
        rows.into_iter().map(|(k, v)| vec![t(k), v]),
    )
}

/// The production cloud's capacity steps; `None` when it is unlimited.
#[must_use]
pub fn target(d: &ReportData) -> Option<Table> {
    let steps = d.settings.target.as_ref()?;
    let c = |v: Option<f64>| n(v.unwrap_or(f64::INFINITY), cap(v));
    Some(Table::new(
        "",
        &["From", "#vCPU", "#Memory GiB", "#Storage GiB"],
        steps.iter().map(|st| {
            vec![
                date(Some(st.from)),
                c(st.vcpu),
                c(st.memory_gib),
                c(st.storage_gib),
            ]
        }),
    ))
}

/// The calendar's periods under their titles: the freezes, then the departments' blackouts;
/// `None` for an empty list.
#[must_use]
pub fn periods(d: &ReportData) -> [(&'static str, Option<Table>); 2] {
    let s = &d.settings;
    [
        (
            "Calendar freezes",
            (!s.freezes.is_empty()).then(|| freezes(&s.freezes)),
        ),
        (
            "Department blackouts",
            (!s.blackouts.is_empty()).then(|| blackouts(&s.blackouts)),
        ),
    ]
}

/// The freezes by name: a freeze has a name (or
/// [`UNNAMED_FREEZE`](super::settings::UNNAMED_FREEZE)) and no reason.
fn freezes(list: &[Period]) -> Table {
    Table::new(
        "sortable",
        &["Freeze", "From", "To"],
        list.iter()
            .map(|p| vec![t(&p.name), date(Some(p.from)), date(Some(p.to))]),
    )
}

/// The blackouts by department, with the reason each gives; the column is left out when
/// none gives one, rather than filled with dashes.
fn blackouts(list: &[Period]) -> Table {
    let reasons = list.iter().any(|p| p.reason.is_some());
    let headings: &[&str] = if reasons {
        &["Department", "From", "To", "Reason"]
    } else {
        &["Department", "From", "To"]
    };
    Table::new(
        "sortable",
        headings,
        list.iter().map(|p| {
            let mut row = vec![id(&p.name), date(Some(p.from)), date(Some(p.to))];
            if reasons {
                row.push(t(opt(p.reason.as_deref())));
            }
            row
        }),
    )
}

/// The sentence before the exposure table.
#[must_use]
pub fn exposure_intro(d: &ReportData) -> String {
    let total: f64 = d.exposure.iter().map(|e| e.cost).sum();
    format!(
        "{} {} split across sites for at least one wave: the dependant and its dependency cut over in different waves, so their traffic crosses between the data centre and the cloud meanwhile. Costliest first (traffic × waves split); total {}.",
        plural_of(d.exposure.len(), "dependency edge"),
        if d.exposure.len() == 1 { "is" } else { "are" },
        num(total)
    )
}

/// The sentence before the table of links to retained services.
#[must_use]
pub fn retained_intro(d: &ReportData) -> String {
    if d.retained_links.is_empty() {
        "No service that ends in production is linked to a retained service.".to_owned()
    } else {
        format!(
            "{} cross-site for good: one end is retained on its current site, the other runs in the production cloud from the wave shown. Heaviest traffic first.",
            if d.retained_links.len() == 1 {
                "1 link stays".to_owned()
            } else {
                format!("{} links stay", d.retained_links.len())
            }
        )
    }
}

/// The sentence before the table of critical cutovers.
#[must_use]
pub fn critical_intro(d: &ReportData) -> String {
    format!(
        "Critical services cut over no earlier than wave {}. Waves without critical cutovers are omitted.",
        d.settings.critical_not_before_wave
    )
}

/// What the unscheduled section says when there is nothing to list.
pub const ALL_SCHEDULED: &str = "None: every migrating service is scheduled.";

/// The transition cost by part, with each part's share (empty without `costs:`).
#[must_use]
pub fn cost_parts(d: &ReportData) -> Table {
    let rows: Vec<Vec<Cell>> = d.costs.as_ref().map_or_else(Vec::new, |c| {
        let p = &c.parts;
        let share = |x: f64| {
            if p.total > 0.0 {
                Some(100.0 * x / p.total)
            } else {
                None
            }
        };
        [
            ("Data centre", p.datacenter),
            ("Production cloud", p.production),
            ("Pilot cloud", p.pilot_cloud),
            ("Traffic between sites", p.split_traffic),
            ("Cutovers", p.cutovers),
            ("Total", p.total),
        ]
        .into_iter()
        .map(|(label, x)| {
            vec![
                t(label),
                n(x, num(x.round())),
                n(share(x).unwrap_or(0.0), pct(share(x))),
            ]
        })
        .collect()
    });
    Table::new("", &["Part", "#Cost", "#Share"], rows)
}

/// Each department's share of the transition cost, costliest first.
#[must_use]
pub fn cost_departments(d: &ReportData) -> Table {
    let rows = d
        .costs
        .iter()
        .flat_map(|c| &c.by_department)
        .take(MAX_DETAIL_ROWS)
        .map(|x| {
            vec![
                id(&x.code),
                t(&x.name),
                n(x.cost, num(x.cost.round())),
                n(x.percent, pct(Some(x.percent))),
            ]
        });
    Table::new("sortable", &["Dept", "Name", "#Cost", "#Share"], rows)
}

/// One sentence on the transition cost: the total, its currency and how it is counted.
#[must_use]
pub fn cost_intro(d: &ReportData) -> String {
    let Some(c) = &d.costs else {
        return "The scenario has no `costs:` section (docs/costs.md).".to_owned();
    };
    let cur = c
        .parts
        .currency
        .as_deref()
        .map_or(String::new(), |x| format!("{x} "));
    format!(
        "Running both sites over the plan's {} costs {cur}{} in all: each service at its current site until its cutover wave and on the production cloud after it, the pilot cloud until its last service leaves, traffic between services at different sites, and each cutover once. Costs are measured, not optimised; every price is the scenario's.",
        plural_of(c.by_wave.len(), "wave"),
        num(c.parts.total.round()),
    )
}

/// Probabilities as the risk tables show them: one decimal, and `100.0%` only when every run
/// made it (see [`percent`]).
pub fn chance(p: f64) -> Cell {
    n(p, percent(100.0 * p, 1))
}

/// One sentence on the schedule risk: runs, model and the finish percentiles.
#[must_use]
pub fn risk_intro(r: &RiskReport) -> String {
    if r.plan_finish_date.is_none() {
        return "The plan schedules nothing: there is nothing to execute.".to_owned();
    }
    let at = |w: Option<u32>, day: Option<jiff::civil::Date>| match (w, day) {
        (Some(w), Some(day)) => format!("wave {w} ({day})"),
        _ => format!("after wave {}", r.horizon),
    };
    format!(
        "{} simulated executions of the plan (seed {}; {}) under the scenario's risk model (docs/risk.md): cutovers fail and are retried, effort and data overrun. Half the runs finish by {}, four in five by {}, 19 in 20 by {}; {} finish by the plan's own wave {}.",
        r.runs,
        r.seed,
        if r.replan {
            "the plan is re-planned after each setback"
        } else {
            "work only moves later"
        },
        at(r.finish_wave_p50, r.finish_date_p50),
        at(r.finish_wave_p80, r.finish_date_p80),
        at(r.finish_wave_p95, r.finish_date_p95),
        percent(100.0 * r.on_time_probability, 1),
        r.plan_finish_wave,
    )
}

/// The decommission dates and how likely each holds.
#[must_use]
pub fn risk_sites(r: &RiskReport) -> Table {
    let rows = r.deadline_probabilities.sites.iter().map(|(site, x)| {
        vec![
            t(site.as_str()),
            date(Some(x.decommission_by)),
            count(x.wave as usize),
            x.planned_wave
                .map_or_else(|| t("unscheduled"), |w| count(w as usize)),
            count(x.services as usize),
            chance(x.probability),
        ]
    });
    Table::new(
        "",
        &[
            "Site",
            "Decommission by",
            "#Last wave",
            "#Planned",
            "#Services",
            "#Probability",
        ],
        rows,
    )
}

/// Service deadlines, least likely to hold first.
#[must_use]
pub fn risk_deadlines(r: &RiskReport) -> Table {
    let mut all: Vec<_> = r.deadline_probabilities.services.iter().collect();
    all.sort_by(|a, b| {
        a.1.probability
            .total_cmp(&b.1.probability)
            .then(a.0.cmp(b.0))
    });
    let rows = all.into_iter().take(MAX_DETAIL_ROWS).map(|(svc, x)| {
        vec![
            id(svc.as_str()),
            date(Some(x.deadline)),
            count(x.wave as usize),
            x.planned_wave
                .map_or_else(|| t("unscheduled"), |w| count(w as usize)),
            chance(x.probability),
        ]
    });
    Table::new(
        "sortable",
        &[
            "Service",
            "Deadline",
            "#Last wave",
            "#Planned",
            "#Probability",
        ],
        rows,
    )
}

/// Each planned wave with cutovers: its expected slip and the chance it goes as planned.
#[must_use]
pub fn risk_waves(r: &RiskReport) -> Table {
    let rows = r.waves.iter().filter(|w| w.planned_cutovers > 0).map(|w| {
        vec![
            count(w.wave as usize),
            count(w.planned_cutovers as usize),
            n(w.expected_slip, format!("{:.2}", w.expected_slip)),
            chance(w.on_time_probability),
        ]
    });
    Table::new(
        "",
        &[
            "#Wave",
            "#Cutovers",
            "#Expected slip (waves)",
            "#All on time",
        ],
        rows,
    )
}
