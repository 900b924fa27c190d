//! `waveplan diff`: what changed between two plans — services whose cutover moved and by how
//! many waves, services added or removed, waves added or removed, and the summary deltas.
//! Also used by `plan --stable-against` to count moves.
//!
//! `PlanDiff` would belong in `model` by the layer rules; it lives here while `model` is
//! shared read-only, and only reads [`Plan`] values.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::model::{Plan, ServiceId};

/// A service scheduled in both plans whose cutover wave differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// Service id.
    pub id: ServiceId,
    /// Cutover wave in the first plan.
    pub from: u32,
    /// Cutover wave in the second plan.
    pub to: u32,
    /// `to - from`: negative moved earlier.
    pub delta: i64,
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
    /// Services whose cutover wave changed, sorted by id.
    pub moved: Vec<Moved>,
    /// Scheduled in the second plan only.
    pub added: Vec<OnlyIn>,
    /// Scheduled in the first plan only.
    pub removed: Vec<OnlyIn>,
    /// Wave numbers the second plan has beyond the first's makespan.
    pub waves_added: Vec<u32>,
    /// Wave numbers the first plan had beyond the second's makespan.
    pub waves_removed: Vec<u32>,
    /// Services scheduled in both with the same cutover wave.
    pub unchanged: u64,
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
    let mut moved = Vec::new();
    let mut removed = Vec::new();
    let mut unchanged = 0;
    for (id, &fa) in &ca {
        match cb.get(id) {
            Some(&fb) if fb == fa => unchanged += 1,
            Some(&fb) => moved.push(Moved {
                id: id.clone(),
                from: fa,
                to: fb,
                delta: i64::from(fb) - i64::from(fa),
            }),
            None => removed.push(OnlyIn {
                id: id.clone(),
                wave: fa,
                other: wb
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| "not migrating".to_owned()),
            }),
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
        })
        .collect();
    let (na, nb) = (a.summary.waves, b.summary.waves);
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
        },
        moved,
        added,
        removed,
        waves_added: (na + 1..=nb).collect(),
        waves_removed: (nb + 1..=na).collect(),
        unchanged,
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
    let lines: Vec<(&str, String, String, String)> = vec![
        (
            "waves",
            s.waves.a.to_string(),
            s.waves.b.to_string(),
            format!("{:+}", i64::from(s.waves.b) - i64::from(s.waves.a)),
        ),
        (
            "lower bound",
            s.lower_bound_waves.a.to_string(),
            s.lower_bound_waves.b.to_string(),
            format!(
                "{:+}",
                i64::from(s.lower_bound_waves.b) - i64::from(s.lower_bound_waves.a)
            ),
        ),
        ("finish", opt(&s.finish.a), opt(&s.finish.b), String::new()),
        (
            "split cost",
            s.split_cost.a.to_string(),
            s.split_cost.b.to_string(),
            format!(
                "{:+}",
                ((s.split_cost.b - s.split_cost.a) * 1000.0).round() / 1000.0
            ),
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
    if md {
        let _ = writeln!(out, "## Plan diff\n\n`{}` → `{}`\n", d.a, d.b);
        out.push_str("| | A | B | Δ |\n|---|---:|---:|---:|\n");
        for (k, a, b, dl) in &lines {
            let _ = writeln!(out, "| {k} | {a} | {b} | {dl} |");
        }
    } else {
        let _ = writeln!(out, "diff {} -> {}", d.a, d.b);
        for (k, a, b, dl) in &lines {
            let _ = writeln!(out, "  {k:<12} {a:>12} -> {b:<12} {dl}");
        }
    }
    let _ = writeln!(
        out,
        "{}{} moved, {} added, {} removed, {} unchanged; waves added: {}, removed: {}",
        if md { "\n" } else { "" },
        d.moved.len(),
        d.added.len(),
        d.removed.len(),
        d.unchanged,
        waves(&d.waves_added),
        waves(&d.waves_removed)
    );
    if !d.moved.is_empty() {
        if md {
            out.push_str("\n### Moved\n\n| service | from | to | Δ |\n|---|---:|---:|---:|\n");
            for m in &d.moved {
                let _ = writeln!(out, "| {} | {} | {} | {:+} |", m.id, m.from, m.to, m.delta);
            }
        } else {
            out.push_str("moved:\n");
            for m in &d.moved {
                let _ = writeln!(
                    out,
                    "  {:<40} wave {:>3} -> {:<3} ({:+})",
                    m.id.as_str(),
                    m.from,
                    m.to,
                    m.delta
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
                "\n### {}\n\n| service | wave | other plan |\n|---|---:|---|\n",
                capital(title)
            );
            for e in list {
                let _ = writeln!(out, "| {} | {} | {} |", e.id, e.wave, e.other);
            }
        } else {
            let _ = writeln!(out, "{title}:");
            for e in list {
                let _ = writeln!(
                    out,
                    "  {:<40} wave {:>3} (other plan: {})",
                    e.id.as_str(),
                    e.wave,
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
    use crate::model::{PlanService, PlanSummary, Unscheduled};
    use jiff::civil::date;

    fn plan(cuts: &[(&str, u32)], unsched: &[&str]) -> Plan {
        let waves = cuts.iter().map(|c| c.1).max().unwrap_or(0);
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
                lower_bound_reason: None,
                binding: Vec::new(),
                split_cost: 2.0,
                start: date(2019, 1, 7),
                finish: None,
            },
            waves: vec![],
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

    #[test]
    fn moves_adds_removes_and_waves() {
        let a = plan(&[("a", 1), ("b", 2), ("c", 3)], &["d"]);
        let b = plan(&[("a", 1), ("b", 4), ("d", 2)], &["c"]);
        let d = diff("A", &a, "B", &b);
        assert_eq!(d.moved.len(), 1);
        assert_eq!(d.moved[0].delta, 2);
        assert_eq!(d.added[0].id.as_str(), "d");
        assert_eq!(d.added[0].other, "unscheduled: pin");
        assert_eq!(d.removed[0].id.as_str(), "c");
        assert_eq!(d.waves_added, [4]);
        assert_eq!(d.unchanged, 1);
        let t = render(&d, DiffFormat::Table).unwrap();
        assert!(t.contains("1 moved, 1 added, 1 removed"), "{t}");
        assert!(
            render(&d, DiffFormat::Markdown)
                .unwrap()
                .contains("### Moved")
        );
        let j: serde_json::Value =
            serde_json::from_str(&render(&d, DiffFormat::Json).unwrap()).unwrap();
        assert_eq!(j["moved"][0]["to"], 4);
    }
}
