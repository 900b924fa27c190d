//! The Mermaid Gantt block of the Markdown report, aggregated so it stays readable: one bar
//! per department per run of consecutive waves it is busy in, then (when that is too many)
//! one bar per department, then the largest departments plus one bar for the rest. Calendar
//! freezes come first as red bars.

use std::fmt::Write;

use jiff::civil::Date;

use super::ReportData;
use super::fmt::{plural, plural_of, wave_span};

/// The most bars drawn, freezes included.
pub const MAX_BARS: usize = 150;
/// Freezes shown at most (the rest of the budget goes to departments).
const MAX_FREEZES: usize = 20;

/// Text Mermaid accepts in a task or section name (`:`, `#` and `;` are syntax).
fn label(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, ':' | '#' | ';' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The day after `d` (Mermaid's end dates are exclusive).
fn next(d: Date) -> Date {
    d.tomorrow().unwrap_or(d)
}

/// One department's bars: `(first wave, last wave, cutovers)`.
type Spans = Vec<(u32, u32, u32)>;

fn runs(busy: &[(u32, u32)], n: u32) -> Spans {
    let mut active = vec![false; n as usize + 2];
    let mut cut = vec![0u32; n as usize + 2];
    for &(a, b) in busy {
        for w in a..=b.min(n) {
            active[w as usize] = true;
        }
        if b <= n {
            cut[b as usize] += 1;
        }
    }
    let mut spans = Vec::new();
    let mut w = 1;
    while w <= n {
        if active[w as usize] {
            let a = w;
            while w <= n && active[w as usize] {
                w += 1;
            }
            let c = (a..w).map(|k| cut[k as usize]).sum();
            spans.push((a, w - 1, c));
        } else {
            w += 1;
        }
    }
    spans
}

/// Renders the ```` ```mermaid ```` block.
#[must_use]
pub fn gantt(d: &ReportData) -> String {
    let n = d.summary.waves;
    let mut out = String::from("```mermaid\ngantt\n");
    let _ = writeln!(
        out,
        "    title Migration waves: {}",
        label(&d.summary.scenario)
    );
    out.push_str("    dateFormat YYYY-MM-DD\n    axisFormat %b %Y\n    todayMarker off\n");
    if n == 0 {
        out.push_str("    section Nothing scheduled\n    no waves :done, 2019-01-01, 1d\n```\n");
        return out;
    }
    let first = d.summary.start;
    let finish = d.summary.finish.unwrap_or(first);
    let freezes: Vec<_> = d
        .settings
        .freezes
        .iter()
        .filter(|f| f.to >= first && f.from <= finish)
        .take(MAX_FREEZES)
        .collect();
    if !freezes.is_empty() {
        out.push_str("    section Freezes\n");
        for f in &freezes {
            let _ = writeln!(
                out,
                "    {} :crit, {}, {}",
                label(&f.name),
                f.from,
                next(f.to)
            );
        }
    }
    let budget = MAX_BARS - freezes.len();
    let mut depts: Vec<(usize, Spans)> = d
        .departments
        .iter()
        .enumerate()
        .map(|(i, dep)| {
            let busy: Vec<(u32, u32)> = d.services[dep.rows.clone()]
                .iter()
                .filter_map(|s| Some((s.start_wave?, s.cutover_wave?)))
                .collect();
            (i, runs(&busy, n))
        })
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let total: usize = depts.iter().map(|(_, s)| s.len()).sum();
    if total > budget {
        // One bar per department: first start to last cutover.
        for (_, spans) in &mut depts {
            let a = spans.first().map_or(1, |s| s.0);
            let b = spans.last().map_or(1, |s| s.1);
            let c = spans.iter().map(|s| s.2).sum();
            *spans = vec![(a, b, c)];
        }
    }
    let mut rest: Option<(usize, u32, u32, u32)> = None;
    if depts.len() > budget {
        // Keep the departments with the most cutovers; fold the others into one bar.
        let mut by_size: Vec<usize> = (0..depts.len()).collect();
        by_size.sort_by_key(|&k| std::cmp::Reverse(depts[k].1[0].2));
        let keep: std::collections::BTreeSet<usize> =
            by_size[..budget - 1].iter().copied().collect();
        let mut folded = (0usize, u32::MAX, 0u32, 0u32);
        for (k, (_, s)) in depts.iter().enumerate() {
            if !keep.contains(&k) {
                folded = (
                    folded.0 + 1,
                    folded.1.min(s[0].0),
                    folded.2.max(s[0].1),
                    folded.3 + s[0].2,
                );
            }
        }
        rest = Some(folded);
        depts = depts
            .into_iter()
            .enumerate()
            .filter(|(k, _)| keep.contains(k))
            .map(|(_, v)| v)
            .collect();
    }
    let date_of = |a: u32, b: u32| {
        let from = d.waves.get(a as usize - 1).map_or(first, |w| w.start);
        let to = d.waves.get(b as usize - 1).map_or(finish, |w| w.end);
        (from, next(to))
    };
    for (i, spans) in &depts {
        let dep = &d.departments[*i];
        let _ = writeln!(out, "    section {}", label(&dep.code));
        for &(a, b, c) in spans {
            let (from, to) = date_of(a, b);
            let _ = writeln!(
                out,
                "    {}, {} :{from}, {to}",
                wave_span(a, b),
                plural(c, "cutover")
            );
        }
    }
    if let Some((count, a, b, c)) = rest {
        let (from, to) = date_of(a, b);
        let _ = writeln!(out, "    section {}", plural_of(count, "other department"));
        let _ = writeln!(
            out,
            "    {}, {} :{from}, {to}",
            wave_span(a, b),
            plural(c, "cutover")
        );
    }
    out.push_str("```\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_on_idle_waves_and_count_cutovers() {
        assert_eq!(
            runs(&[(1, 2), (2, 2), (5, 5)], 6),
            vec![(1, 2, 2), (5, 5, 1)]
        );
        assert_eq!(runs(&[], 3), vec![]);
    }

    #[test]
    fn labels_lose_mermaid_syntax() {
        assert_eq!(label("a:b#c;d"), "a b c d");
    }
}
