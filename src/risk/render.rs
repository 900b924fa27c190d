//! `waveplan risk` as text and CSV (JSON is the report serialised as is; Markdown is the
//! report's Schedule risk section, `report::risk_page`).

use std::fmt::Write as _;

use super::stats::RiskReport;
use crate::model::words::plural;

/// Rows of the criticality index shown in tables.
const TOP: usize = 20;

/// Bars of the text histogram are at most this wide.
const BAR: u64 = 40;

/// A share as a percentage with one decimal; only a certainty reads `100.0%`.
fn pct(p: f64) -> String {
    crate::model::words::percent(p * 100.0, 1)
}

fn wave_and_date(r: &RiskReport, w: Option<u32>, d: Option<jiff::civil::Date>) -> String {
    match (w, d) {
        (Some(w), Some(d)) => format!("wave {w} ({d})"),
        _ => format!("after wave {}", r.horizon),
    }
}

/// The lines every format shares: what was run and the finish percentiles.
fn headline(r: &RiskReport) -> Vec<String> {
    let mut out = vec![format!(
        "{}, seed {}, scenario {}, {}",
        plural(r.runs, "run"),
        r.seed,
        r.scenario,
        if r.replan {
            "re-planning after each setback"
        } else {
            "work only moves later"
        }
    )];
    let Some(d) = r.plan_finish_date else {
        out.push("the plan schedules nothing: there is nothing to execute".to_owned());
        return out;
    };
    let plan = format!("wave {} ({d})", r.plan_finish_wave);
    out.push(format!(
        "finish: plan {plan}; P50 {}, P80 {}, P95 {}",
        wave_and_date(r, r.finish_wave_p50, r.finish_date_p50),
        wave_and_date(r, r.finish_wave_p80, r.finish_date_p80),
        wave_and_date(r, r.finish_wave_p95, r.finish_date_p95),
    ));
    out.push(format!(
        "on time (by wave {}): {} of runs",
        r.plan_finish_wave,
        pct(r.on_time_probability)
    ));
    if r.unfinished_runs > 0 {
        out.push(format!(
            "{} run(s) had a service still waiting after wave {}",
            r.unfinished_runs, r.horizon
        ));
    }
    out
}

/// Services with a deadline, least likely to meet it first.
fn deadlines_by_risk(r: &RiskReport) -> Vec<(&String, &super::ServiceDeadline)> {
    let mut v: Vec<_> = r.deadline_probabilities.services.iter().collect();
    v.sort_by(|a, b| {
        a.1.probability
            .total_cmp(&b.1.probability)
            .then(a.0.cmp(b.0))
    });
    v
}

fn planned(w: Option<u32>) -> String {
    w.map_or_else(|| "unscheduled".to_owned(), |w| format!("wave {w}"))
}

/// Plain text for a terminal.
#[must_use]
pub fn to_text(r: &RiskReport) -> String {
    let mut s = String::new();
    for line in headline(r) {
        let _ = writeln!(s, "{line}");
    }
    if !r.deadline_probabilities.sites.is_empty() {
        let _ = writeln!(s, "\ndecommission dates:");
        for (site, d) in &r.deadline_probabilities.sites {
            let _ = writeln!(
                s,
                "  {site:<12} by {} (wave {}, planned {}): {}",
                d.decommission_by,
                d.wave,
                planned(d.planned_wave),
                pct(d.probability)
            );
        }
    }
    let deadlines = deadlines_by_risk(r);
    if !deadlines.is_empty() {
        let _ = writeln!(
            s,
            "\nservice deadlines ({}), least likely first:",
            deadlines.len()
        );
        for (id, d) in deadlines.iter().take(TOP) {
            let _ = writeln!(
                s,
                "  {id:<32} by {} (wave {}, planned {}): {}",
                d.deadline,
                d.wave,
                planned(d.planned_wave),
                pct(d.probability)
            );
        }
        if deadlines.len() > TOP {
            let _ = writeln!(s, "  … {} more (--format json)", deadlines.len() - TOP);
        }
    }
    if !r.criticality_index.is_empty() {
        let _ = writeln!(
            s,
            "\ncriticality index (share of the first {} in which its failed cutover moved the finish):",
            plural(r.criticality_runs, "run")
        );
        for (id, share) in r.criticality_index.iter().take(TOP) {
            let _ = writeln!(s, "  {id:<32} {}", pct(*share));
        }
    }
    let slipping: Vec<_> = r.waves.iter().filter(|w| w.expected_slip > 0.0).collect();
    if !slipping.is_empty() {
        let _ = writeln!(s, "\nexpected slip by planned wave:");
        let _ = writeln!(s, "  wave  cutovers  slip (waves)  all on time");
        for w in slipping {
            let _ = writeln!(
                s,
                "  {:>4}  {:>8}  {:>12.2}  {:>11}",
                w.wave,
                w.planned_cutovers,
                w.expected_slip,
                pct(w.on_time_probability)
            );
        }
    }
    let most = r.histogram.values().copied().max().unwrap_or(0).max(1);
    if !r.histogram.is_empty() {
        let _ = writeln!(s, "\nfinish wave histogram:");
        for (w, &n) in &r.histogram {
            let bar = "#".repeat(((n * BAR).div_ceil(most)) as usize);
            let _ = writeln!(s, "  {w:>4}  {n:>7}  {bar}");
        }
    }
    s
}

/// One row per scheduled service: its numbers and its deadline's probability.
#[must_use]
pub fn to_csv(r: &RiskReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "service",
        "department",
        "planned_wave",
        "expected_slip",
        "late_probability",
        "criticality_index",
        "deadline",
        "deadline_wave",
        "deadline_probability",
    ]);
    for sr in &r.services {
        let d = r.deadline_probabilities.services.get(&sr.service);
        let _ = w.write_record([
            sr.service.clone(),
            sr.department.clone(),
            sr.planned_wave.to_string(),
            sr.expected_slip.to_string(),
            sr.late_probability.to_string(),
            sr.criticality_index.to_string(),
            d.map(|d| d.deadline.to_string()).unwrap_or_default(),
            d.map(|d| d.wave.to_string()).unwrap_or_default(),
            d.map(|d| d.probability.to_string()).unwrap_or_default(),
        ]);
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::pct;

    #[test]
    fn only_a_certainty_reads_one_hundred_percent() {
        assert_eq!(pct(1.0), "100.0%");
        assert_eq!(pct(0.9996), "99.96%");
        assert_eq!(pct(0.123), "12.3%");
    }
}
