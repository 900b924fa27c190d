//! `waveplan diff`: what changed between two plans — services whose cutover moved (by how
//! many waves, or days when the wave calendars differ), services added or removed, waves
//! added or removed, and the summary side by side.
//!
//! A wave number is a date only within one calendar: wave 27 of two-week waves and wave 27
//! of one-week waves are half a year apart. So every cutover also carries its date (the last
//! day of its cutover wave, like the plan's `finish`), and when the plans' calendars differ
//! (wave length, or the first day of wave 1) moves are compared by date, in days.
//!
//! `PlanDiff` would belong in `model` by the layer rules; it lives here while `model` is
//! shared read-only, and only reads [`Plan`] values.

use std::collections::BTreeMap;
use std::fmt::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::compare::days_between;
use crate::model::words::plural;
use crate::model::{Plan, ServiceId};

/// A service scheduled in both plans whose cutover moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// Service id.
    pub id: ServiceId,
    /// Cutover wave in the first plan.
    pub from: u32,
    /// Cutover wave in the second plan.
    pub to: u32,
    /// `to - from` in wave numbers: negative moved earlier. Only meaningful when the plans
    /// share a calendar (see [`PlanDiff::compare_by`]).
    pub delta: i64,
    /// Last day of the cutover wave in the first plan (`None` if the plan does not list it).
    pub from_date: Option<String>,
    /// Last day of the cutover wave in the second plan.
    pub to_date: Option<String>,
    /// `to_date - from_date` in days: negative moved earlier.
    pub delta_days: Option<i64>,
}

/// A service scheduled in only one of the plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnlyIn {
    /// Service id.
    pub id: ServiceId,
    /// Its cutover wave in the plan that has it.
    pub wave: u32,
    /// Why the other plan does not schedule it: its `unscheduled` rule, or `not migrating`.
    pub other: String,
    /// Last day of that cutover wave.
    pub date: Option<String>,
}

/// One summary number in both plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta<T> {
    /// In the first plan.
    pub a: T,
    /// In the second plan.
    pub b: T,
}

/// The summary side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryDiff {
    /// Makespan.
    pub waves: Delta<u32>,
    /// Lower bound.
    pub lower_bound_waves: Delta<u32>,
    /// Finish date.
    pub finish: Delta<Option<String>>,
    /// Split cost.
    pub split_cost: Delta<f64>,
    /// Scheduled services.
    pub services_scheduled: Delta<u64>,
    /// Unscheduled services.
    pub unscheduled: Delta<u64>,
    /// First day of wave 1.
    pub start: Delta<String>,
    /// Length of wave 1 in days (`None` for a plan without waves).
    pub wave_length_days: Delta<Option<i64>>,
    /// `finish.b - finish.a` in days; `None` when either plan leaves services unscheduled (an
    /// incomplete plan's finish leaves that work out) or has no finish.
    pub finish_delta_days: Option<i64>,
}

/// How cutovers are compared between the two plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CompareBy {
    /// Same calendar (wave length and first day): wave `n` is the same dates in both.
    Wave,
    /// Different calendars: a service moved when its cutover date changed; deltas in days.
    Date,
}

/// The difference between two plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    /// Label of the first plan (its file).
    pub a: String,
    /// Label of the second plan.
    pub b: String,
    /// Summary numbers.
    pub summary: SummaryDiff,
    /// Services whose cutover moved, sorted by id.
    pub moved: Vec<Moved>,
    /// Scheduled in the second plan only.
    pub added: Vec<OnlyIn>,
    /// Scheduled in the first plan only.
    pub removed: Vec<OnlyIn>,
    /// Wave numbers the second plan has beyond the first's makespan.
    pub waves_added: Vec<u32>,
    /// Wave numbers the first plan had beyond the second's makespan.
    pub waves_removed: Vec<u32>,
    /// Services scheduled in both with the same cutover (wave, or date with
    /// [`CompareBy::Date`]).
    pub unchanged: u64,
    /// Whether cutovers compare by wave number or by date.
    pub compare_by: CompareBy,
}

/// Last day of each wave of a plan.
fn wave_ends(p: &Plan) -> BTreeMap<u32, Date> {
    p.waves.iter().map(|w| (w.wave, w.end)).collect()
}

/// First day and length in days of a plan's first wave.
fn calendar(p: &Plan) -> Option<(Date, i64)> {
    let w = p.waves.first()?;
    Some((w.start, days_between(w.start, w.end)? + 1))
}

/// Compares plan `a` with plan `b`.
#[must_use]
pub fn diff(a_label: &str, a: &Plan, b_label: &str, b: &Plan) -> PlanDiff {
    let cut = |p: &Plan| -> BTreeMap<ServiceId, u32> {
        p.services
            .iter()
            .map(|s| (s.id.clone(), s.cutover_wave))
            .collect()
    };
    let why = |p: &Plan| -> BTreeMap<ServiceId, String> {
        p.unscheduled
            .iter()
            .map(|u| (u.id.clone(), format!("unscheduled: {}", u.rule)))
            .collect()
    };
    let (ca, cb) = (cut(a), cut(b));
    let (wa, wb) = (why(a), why(b));
    let (ea, eb) = (wave_ends(a), wave_ends(b));
    let (cal_a, cal_b) = (calendar(a), calendar(b));
    // A plan without waves schedules nothing, so nothing can move: wave numbers do.
    let compare_by = match (cal_a, cal_b) {
        (Some(x), Some(y)) if x != y => CompareBy::Date,
        _ => CompareBy::Wave,
    };
    let mut moved = Vec::new();
    let mut removed = Vec::new();
    let mut unchanged = 0;
    for (id, &fa) in &ca {
        let Some(&fb) = cb.get(id) else {
            removed.push(OnlyIn {
                id: id.clone(),
                wave: fa,
                other: wb
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| "not migrating".to_owned()),
                date: ea.get(&fa).map(ToString::to_string),
            });
            continue;
        };
        let (da, db) = (ea.get(&fa).copied(), eb.get(&fb).copied());
        let same = match (compare_by, da, db) {
            (CompareBy::Date, Some(x), Some(y)) => x == y,
            // A plan file that does not list the wave: only the numbers are left.
            _ => fa == fb,
        };
        if same {
            unchanged += 1;
        } else {
            moved.push(Moved {
                id: id.clone(),
                from: fa,
                to: fb,
                delta: i64::from(fb) - i64::from(fa),
                from_date: da.map(|d| d.to_string()),
                to_date: db.map(|d| d.to_string()),
                delta_days: da.zip(db).and_then(|(x, y)| days_between(x, y)),
            });
        }
    }
    let added = cb
        .iter()
        .filter(|(id, _)| !ca.contains_key(*id))
        .map(|(id, &w)| OnlyIn {
            id: id.clone(),
            wave: w,
            other: wa
                .get(id)
                .cloned()
                .unwrap_or_else(|| "not migrating".to_owned()),
            date: eb.get(&w).map(ToString::to_string),
        })
        .collect();
    let (na, nb) = (a.summary.waves, b.summary.waves);
    let complete = a.unscheduled.is_empty() && b.unscheduled.is_empty();
    PlanDiff {
        a: a_label.to_owned(),
        b: b_label.to_owned(),
        summary: SummaryDiff {
            waves: Delta { a: na, b: nb },
            lower_bound_waves: Delta {
                a: a.summary.lower_bound_waves,
                b: b.summary.lower_bound_waves,
            },
            finish: Delta {
                a: a.summary.finish.map(|d| d.to_string()),
                b: b.summary.finish.map(|d| d.to_string()),
            },
            split_cost: Delta {
                a: a.summary.split_cost,
                b: b.summary.split_cost,
            },
            services_scheduled: Delta {
                a: a.summary.services_scheduled,
                b: b.summary.services_scheduled,
            },
            unscheduled: Delta {
                a: a.unscheduled.len() as u64,
                b: b.unscheduled.len() as u64,
            },
            start: Delta {
                a: a.summary.start.to_string(),
                b: b.summary.start.to_string(),
            },
            wave_length_days: Delta {
                a: cal_a.map(|c| c.1),
                b: cal_b.map(|c| c.1),
            },
            finish_delta_days: a
                .summary
                .finish
                .zip(b.summary.finish)
                .filter(|_| complete)
                .and_then(|(x, y)| days_between(x, y)),
        },
        moved,
        added,
        removed,
        waves_added: (na + 1..=nb).collect(),
        waves_removed: (nb + 1..=na).collect(),
        unchanged,
        compare_by,
    }
}

/// Output format of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// Plain text.
    Table,
    /// Markdown.
    Markdown,
    /// JSON.
    Json,
}

/// The line saying how the two plans are compared.
fn basis(d: &PlanDiff) -> String {
    let s = &d.summary;
    let len = |l: Option<i64>| l.map_or_else(|| "?".to_owned(), |l| l.to_string());
    match d.compare_by {
        CompareBy::Wave => match s.wave_length_days.a {
            Some(l) => format!(
                "compared by wave: both plans have {l}-day waves from {}; a cutover's date is its wave's last day",
                s.start.a
            ),
            None => "compared by wave: a plan has no waves".to_owned(),
        },
        CompareBy::Date if s.wave_length_days.a != s.wave_length_days.b => format!(
            "compared by date: wave lengths differ ({} vs {} days), so wave numbers do not compare; Δ is in days between cutover dates (each cutover wave's last day)",
            len(s.wave_length_days.a),
            len(s.wave_length_days.b)
        ),
        CompareBy::Date => format!(
            "compared by date: wave 1 starts {} vs {}, so wave numbers do not compare; Δ is in days between cutover dates (each cutover wave's last day)",
            s.start.a, s.start.b
        ),
    }
}

/// `+n`/`-n`/`0` with a unit.
fn signed(v: i64, unit: &str) -> String {
    let sign = match v.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format!("{sign}{}", plural(v.unsigned_abs(), unit))
}

/// Why a summary delta is left out, if it is: wave counts across calendars (`by_wave`), and
/// any delta of a plan that leaves services unscheduled.
fn not_comparable(d: &PlanDiff, by_wave: bool) -> Option<String> {
    let u = &d.summary.unscheduled;
    let mut why: Vec<String> = Vec::new();
    if by_wave && d.compare_by == CompareBy::Date {
        why.push("different wave calendars".to_owned());
    }
    for (p, n) in [("A", u.a), ("B", u.b)] {
        if n > 0 {
            why.push(format!("{p} incomplete: {n} unscheduled"));
        }
    }
    (!why.is_empty()).then(|| format!("- ({})", why.join("; ")))
}

/// Renders a diff.
///
/// # Errors
/// Only if JSON serialisation fails (an internal bug).
pub fn render(d: &PlanDiff, format: DiffFormat) -> Result<String, serde_json::Error> {
    if format == DiffFormat::Json {
        return serde_json::to_string_pretty(d).map(|mut s| {
            s.push('\n');
            s
        });
    }
    let md = format == DiffFormat::Markdown;
    let mut out = String::new();
    let s = &d.summary;
    let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| "-".to_owned());
    let waves_delta = not_comparable(d, true)
        .unwrap_or_else(|| format!("{:+}", i64::from(s.waves.b) - i64::from(s.waves.a)));
    let lengths = |l: Option<i64>| {
        l.map_or_else(
            || "-".to_owned(),
            |l| u64::try_from(l).map_or_else(|_| format!("{l} days"), |n| plural(n, "day")),
        )
    };
    let lines: Vec<(&str, String, String, String)> = vec![
        (
            "wave length",
            lengths(s.wave_length_days.a),
            lengths(s.wave_length_days.b),
            String::new(),
        ),
        (
            "start",
            s.start.a.clone(),
            s.start.b.clone(),
            s.start
                .a
                .parse::<Date>()
                .ok()
                .zip(s.start.b.parse::<Date>().ok())
                .and_then(|(x, y)| days_between(x, y))
                .map_or_else(String::new, |v| signed(v, "day")),
        ),
        (
            "finish",
            opt(&s.finish.a),
            opt(&s.finish.b),
            match (s.finish_delta_days, not_comparable(d, false)) {
                (Some(v), _) => signed(v, "day"),
                (None, Some(why)) => why,
                (None, None) => "-".to_owned(),
            },
        ),
        (
            "waves",
            s.waves.a.to_string(),
            s.waves.b.to_string(),
            waves_delta,
        ),
        (
            "lower bound",
            s.lower_bound_waves.a.to_string(),
            s.lower_bound_waves.b.to_string(),
            // The bound is over the services the plan scheduled: like the waves, it compares
            // only within one calendar and between complete plans.
            not_comparable(d, true).unwrap_or_else(|| {
                format!(
                    "{:+}",
                    i64::from(s.lower_bound_waves.b) - i64::from(s.lower_bound_waves.a)
                )
            }),
        ),
        (
            "split cost",
            s.split_cost.a.to_string(),
            s.split_cost.b.to_string(),
            not_comparable(d, false).unwrap_or_else(|| {
                format!(
                    "{:+}",
                    ((s.split_cost.b - s.split_cost.a) * 1000.0).round() / 1000.0
                )
            }),
        ),
        (
            "scheduled",
            s.services_scheduled.a.to_string(),
            s.services_scheduled.b.to_string(),
            format!(
                "{:+}",
                i128::from(s.services_scheduled.b) - i128::from(s.services_scheduled.a)
            ),
        ),
        (
            "unscheduled",
            s.unscheduled.a.to_string(),
            s.unscheduled.b.to_string(),
            format!(
                "{:+}",
                i128::from(s.unscheduled.b) - i128::from(s.unscheduled.a)
            ),
        ),
    ];
    let by_date = d.compare_by == CompareBy::Date;
    if md {
        let _ = writeln!(
            out,
            "## Plan diff\n\n`{}` → `{}`\n\n{}\n",
            d.a,
            d.b,
            basis(d)
        );
        out.push_str("| | A | B | Δ |\n|---|---:|---:|---:|\n");
        for (k, a, b, dl) in &lines {
            let _ = writeln!(out, "| {k} | {a} | {b} | {dl} |");
        }
    } else {
        let _ = writeln!(out, "diff {} -> {}", d.a, d.b);
        let _ = writeln!(out, "{}", basis(d));
        for (k, a, b, dl) in &lines {
            let line = format!("  {k:<12} {a:>12} -> {b:<12} {dl}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    // Wave numbers added or removed at the end say nothing across calendars; the finish does.
    let wave_tail = if by_date {
        String::new()
    } else {
        format!(
            "; waves added: {}, removed: {}",
            waves(&d.waves_added),
            waves(&d.waves_removed)
        )
    };
    let _ = writeln!(
        out,
        "{}{} moved, {} added, {} removed, {} unchanged{wave_tail}",
        if md { "\n" } else { "" },
        d.moved.len(),
        d.added.len(),
        d.removed.len(),
        d.unchanged,
    );
    let date = |x: &Option<String>| x.clone().unwrap_or_else(|| "?".to_owned());
    let delta = |m: &Moved| {
        let days = m.delta_days.map(|v| signed(v, "day"));
        if by_date {
            days.unwrap_or_else(|| "- days".to_owned())
        } else {
            let w = signed(m.delta, "wave");
            days.map_or_else(|| w.clone(), |days| format!("{w}, {days}"))
        }
    };
    if !d.moved.is_empty() {
        if md {
            let _ = write!(
                out,
                "\n### Moved\n\n| service | from wave | from date | to wave | to date | Δ {} |\n|---|---:|---|---:|---|---:|\n",
                if by_date { "days" } else { "waves, days" }
            );
            for m in &d.moved {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    m.id,
                    m.from,
                    date(&m.from_date),
                    m.to,
                    date(&m.to_date),
                    delta(m)
                );
            }
        } else {
            out.push_str("moved:\n");
            for m in &d.moved {
                let _ = writeln!(
                    out,
                    "  {:<40} wave {:>3} ({}) -> {:>3} ({})  {}",
                    m.id.as_str(),
                    m.from,
                    date(&m.from_date),
                    m.to,
                    date(&m.to_date),
                    delta(m)
                );
            }
        }
    }
    for (title, list) in [("added", &d.added), ("removed", &d.removed)] {
        if list.is_empty() {
            continue;
        }
        if md {
            let _ = write!(
                out,
                "\n### {}\n\n| service | wave | date | other plan |\n|---|---:|---|---|\n",
                capital(title)
            );
            for e in list {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    e.id,
                    e.wave,
                    date(&e.date),
                    e.other
                );
            }
        } else {
            let _ = writeln!(out, "{title}:");
            for e in list {
                let _ = writeln!(
                    out,
                    "  {:<40} wave {:>3} ({}) (other plan: {})",
                    e.id.as_str(),
                    e.wave,
                    date(&e.date),
                    e.other
                );
            }
        }
    }
    Ok(out)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn waves(w: &[u32]) -> String {
    match (w.first(), w.last()) {
        (None, _) | (_, None) => "none".to_owned(),
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}-{b}"),
    }
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;
    use crate::model::{PlanService, PlanSummary, PlanWave, PlanWaveLoad, TargetUsed, Unscheduled};
    use jiff::Span;
    use jiff::civil::date;

    /// A plan of `len`-day waves from 2019-01-07 with these cutovers and unscheduled ids.
    fn plan_of(cuts: &[(&str, u32)], unsched: &[&str], len: i64) -> Plan {
        let waves = cuts.iter().map(|c| c.1).max().unwrap_or(0);
        let day = |n: i64| date(2019, 1, 7).checked_add(Span::new().days(n)).unwrap();
        let plan_waves: Vec<PlanWave> = (1..=waves)
            .map(|w| PlanWave {
                wave: w,
                start: day(i64::from(w - 1) * len),
                end: day(i64::from(w) * len - 1),
                frozen: false,
                cutovers: vec![],
                load: PlanWaveLoad {
                    cutovers: 0,
                    transfer_gib: 0.0,
                    teams: BTreeMap::new(),
                },
                target_used: TargetUsed::default(),
            })
            .collect();
        Plan {
            format: "waveplan-plan/1".to_owned(),
            scenario: "t".to_owned(),
            inventory_sha256: String::new(),
            scenario_sha256: String::new(),
            generator: None,
            overrides: Vec::new(),
            summary: PlanSummary {
                services_total: 5,
                services_migrating: 5,
                services_scheduled: cuts.len() as u64,
                waves,
                lower_bound_waves: 1,
                lower_bound_parts: Vec::new(),
                lower_bound_reason: None,
                binding: Vec::new(),
                split_cost: 2.0,
                transition_cost: None,
                start: date(2019, 1, 7),
                finish: plan_waves.last().map(|w| w.end),
            },
            waves: plan_waves,
            services: cuts
                .iter()
                .map(|(id, w)| PlanService {
                    id: ServiceId::new(*id),
                    department: "D".to_owned(),
                    start_wave: *w,
                    cutover_wave: *w,
                })
                .collect(),
            unscheduled: unsched
                .iter()
                .map(|id| Unscheduled {
                    id: ServiceId::new(*id),
                    rule: "pin".to_owned(),
                    reason: String::new(),
                })
                .collect(),
        }
    }

    fn plan(cuts: &[(&str, u32)], unsched: &[&str]) -> Plan {
        plan_of(cuts, unsched, 14)
    }

    #[test]
    fn moves_adds_removes_and_waves() {
        let a = plan(&[("a", 1), ("b", 2), ("c", 3)], &["d"]);
        let b = plan(&[("a", 1), ("b", 4), ("d", 2)], &["c"]);
        let d = diff("A", &a, "B", &b);
        assert_eq!(d.compare_by, CompareBy::Wave);
        assert_eq!(d.moved.len(), 1);
        assert_eq!(d.moved[0].delta, 2);
        assert_eq!(d.moved[0].from_date.as_deref(), Some("2019-02-03"));
        assert_eq!(d.moved[0].to_date.as_deref(), Some("2019-03-03"));
        assert_eq!(d.moved[0].delta_days, Some(28));
        assert_eq!(d.added[0].id.as_str(), "d");
        assert_eq!(d.added[0].other, "unscheduled: pin");
        assert_eq!(d.added[0].date.as_deref(), Some("2019-02-03"));
        assert_eq!(d.removed[0].id.as_str(), "c");
        assert_eq!(d.waves_added, [4]);
        assert_eq!(d.unchanged, 1);
        // Both plans leave a service out: the finish delta does not compare.
        assert_eq!(d.summary.finish_delta_days, None);
        let t = render(&d, DiffFormat::Table).unwrap();
        assert!(t.contains("1 moved, 1 added, 1 removed"), "{t}");
        assert!(
            t.contains("compared by wave: both plans have 14-day waves"),
            "{t}"
        );
        assert!(
            t.contains("wave   2 (2019-02-03) ->   4 (2019-03-03)  +2 waves, +28 days"),
            "{t}"
        );
        assert!(
            t.contains("(A incomplete: 1 unscheduled; B incomplete: 1 unscheduled)"),
            "{t}"
        );
        assert!(
            render(&d, DiffFormat::Markdown)
                .unwrap()
                .contains("### Moved")
        );
        let j: serde_json::Value =
            serde_json::from_str(&render(&d, DiffFormat::Json).unwrap()).unwrap();
        assert_eq!(j["moved"][0]["to"], 4);
        assert_eq!(j["compare_by"], "wave");
    }

    #[test]
    fn plans_with_different_wave_lengths_compare_by_date_in_days() {
        // Two-week waves end 01-20, 02-03, 02-17; one-week waves end 01-13, 01-20, 01-27,
        // 02-03, … 03-03 (wave 8).
        let a = plan_of(&[("same", 2), ("early", 2), ("late", 3)], &[], 14);
        let b = plan_of(&[("same", 4), ("early", 1), ("late", 8)], &[], 7);
        let d = diff("A", &a, "B", &b);
        assert_eq!(d.compare_by, CompareBy::Date);
        assert_eq!(
            d.summary.wave_length_days,
            Delta {
                a: Some(14),
                b: Some(7)
            }
        );
        // Wave 2 -> 4 is the same day (2019-02-03): not a move, whatever the numbers say.
        assert_eq!(d.unchanged, 1);
        let by_id: BTreeMap<&str, &Moved> = d.moved.iter().map(|m| (m.id.as_str(), m)).collect();
        assert!(!by_id.contains_key("same"));
        assert_eq!(by_id["early"].delta_days, Some(-21));
        assert_eq!(by_id["late"].from_date.as_deref(), Some("2019-02-17"));
        assert_eq!(by_id["late"].to_date.as_deref(), Some("2019-03-03"));
        assert_eq!(by_id["late"].delta_days, Some(14));
        assert_eq!(d.summary.finish_delta_days, Some(14));
        let t = render(&d, DiffFormat::Table).unwrap();
        assert!(
            t.contains("compared by date: wave lengths differ (14 vs 7 days)"),
            "{t}"
        );
        assert!(t.contains("  -21 days") && t.contains("  +14 days"), "{t}");
        assert!(!t.contains("waves,") && !t.contains("waves added"), "{t}");
        assert!(
            t.contains("finish         2019-02-17 -> 2019-03-03   +14 days"),
            "{t}"
        );
        assert!(t.contains("- (different wave calendars)"), "{t}");
        let md = render(&d, DiffFormat::Markdown).unwrap();
        assert!(
            md.contains("| Δ days |") && md.contains("compared by date"),
            "{md}"
        );
        let j: serde_json::Value =
            serde_json::from_str(&render(&d, DiffFormat::Json).unwrap()).unwrap();
        assert_eq!(j["compare_by"], "date");
        assert_eq!(j["summary"]["finish_delta_days"], 14);
        assert_eq!(j["moved"][0]["delta_days"], -21);
    }

    #[test]
    fn the_same_date_under_different_wave_numbers_is_unchanged() {
        // Wave 1 of two-week waves and wave 2 of one-week waves both end on 2019-01-20.
        let a = plan_of(&[("x", 1)], &[], 14);
        let b = plan_of(&[("x", 2)], &[], 7);
        let d = diff("A", &a, "B", &b);
        assert!(d.moved.is_empty());
        assert_eq!(d.unchanged, 1);
    }
}
