//! The schedule-risk charts: the finish histogram (runs by finish wave, the plan's finish and
//! the percentiles marked) and the criticality index as horizontal bars.

use std::fmt::Write;

use crate::report::ReportData;
use crate::report::fmt::{esc, percent, plural};

const WIDTH: f64 = 1200.0;
const LEFT: f64 = 60.0;
const TOP: f64 = 28.0;
const PLOT_H: f64 = 170.0;

/// Services the criticality chart shows.
pub const TOP_CRITICAL: usize = 20;

/// The finish histogram as one `<svg id="risk-histogram">`, or `None` without a risk result
/// or runs.
#[must_use]
pub fn finish_histogram(data: &ReportData) -> Option<String> {
    let r = data.risk.as_ref()?;
    let bars: Vec<(u32, u64)> = r
        .histogram
        .iter()
        .filter_map(|(w, &n)| w.parse::<u32>().ok().map(|w| (w, n)))
        .collect();
    let first = bars
        .first()
        .map_or(r.plan_finish_wave, |b| b.0)
        .min(r.plan_finish_wave.max(1));
    let last = bars.last().map_or(first, |b| b.0);
    // One extra column holds the runs that did not finish within the horizon.
    let columns = last - first + 1 + u32::from(r.unfinished_runs > 0);
    let most = bars
        .iter()
        .map(|b| b.1)
        .chain(std::iter::once(r.unfinished_runs))
        .max()
        .filter(|&m| m > 0)?;
    let ww = (WIDTH - LEFT - 20.0) / f64::from(columns);
    let x = |w: u32| LEFT + f64::from(w - first) * ww;
    let bottom = TOP + PLOT_H;
    let height = bottom + 40.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg id="risk-histogram" class="chart risk" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="Simulated finish waves" font-family="system-ui, 'Noto Sans', sans-serif">"##
    );
    let bar = |out: &mut String, left: f64, n: u64, label: &str, fill: &str| {
        let h = PLOT_H * n as f64 / most as f64;
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="{fill}"><title>{}: {}</title></rect>"##,
            left + ww * 0.1,
            bottom - h,
            ww * 0.8,
            esc(label),
            plural(n, "run"),
        );
    };
    for &(w, n) in &bars {
        let fill = if w <= r.plan_finish_wave {
            "#7dcea0"
        } else {
            "#f0b27a"
        };
        bar(&mut out, x(w), n, &format!("finish in wave {w}"), fill);
    }
    if r.unfinished_runs > 0 {
        let label = format!("not finished by wave {}", r.horizon);
        bar(&mut out, x(last + 1), r.unfinished_runs, &label, "#c0392b");
    }
    let step = [1u32, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|&k| f64::from(k) * ww >= 24.0)
        .unwrap_or(200);
    for w in first..=last {
        if w == first || w % step == 0 {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#444">{w}</text>"##,
                x(w) + ww / 2.0,
                bottom + 14.0,
            );
        }
    }
    let mut marks = vec![(r.plan_finish_wave, "plan".to_owned(), "#1e8449")];
    for (label, w) in [
        ("P50", r.finish_wave_p50),
        ("P80", r.finish_wave_p80),
        ("P95", r.finish_wave_p95),
    ] {
        if let Some(w) = w {
            marks.push((w, label.to_owned(), "#1b2631"));
        }
    }
    // Marks at the same wave share one line and one label.
    marks.sort_by_key(|m| m.0);
    let mut joined: Vec<(u32, String, &str)> = Vec::new();
    for (w, label, colour) in marks {
        match joined.last_mut() {
            Some(last) if last.0 == w => {
                last.1 = format!("{} {label}", last.1);
            }
            _ => joined.push((w, label, colour)),
        }
    }
    for (w, label, colour) in joined {
        if w < first || w > last {
            continue;
        }
        let cx = x(w) + ww / 2.0;
        let _ = write!(
            out,
            r##"<line x1="{cx:.1}" x2="{cx:.1}" y1="{TOP:.1}" y2="{bottom:.1}" stroke="{colour}" stroke-width="1.2" stroke-dasharray="4 3"/><text x="{cx:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{colour}">{}</text>"##,
            TOP - 4.0,
            esc(&label),
        );
    }
    let _ = write!(
        out,
        r##"<text x="{LEFT}" y="{:.1}" font-size="11" fill="#1b2631">finish wave of each of {} (green: by the plan's finish; tallest bar {})</text>"##,
        bottom + 32.0,
        plural(r.runs, "run"),
        plural(most, "run"),
    );
    out.push_str("</svg>");
    Some(out)
}

/// The criticality index (top [`TOP_CRITICAL`]) as one `<svg id="risk-criticality">`, or
/// `None` when no failure moved the finish.
#[must_use]
pub fn criticality_bars(data: &ReportData) -> Option<String> {
    let r = data.risk.as_ref()?;
    let rows: Vec<(&String, f64)> = r
        .criticality_index
        .iter()
        .take(TOP_CRITICAL)
        .map(|(s, &x)| (s, x))
        .collect();
    let most = rows.first()?.1.max(1e-9);
    let label_w = 260.0;
    let row_h = 18.0;
    let height = TOP + row_h * rows.len() as f64 + 10.0;
    let plot_w = WIDTH - label_w - 80.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg id="risk-criticality" class="chart risk" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="Criticality index" font-family="system-ui, 'Noto Sans', sans-serif">"##
    );
    let _ = write!(
        out,
        r##"<text x="0" y="14" font-size="11" fill="#1b2631">share of the first {} in which the service's failed cutover moved the finish</text>"##,
        plural(r.criticality_runs, "run")
    );
    for (i, (svc, share)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let w = plot_w * share / most;
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#222">{}</text><rect x="{label_w:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#cd6155"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" font-size="10" fill="#444">{}</text>"##,
            label_w - 6.0,
            y + 12.0,
            esc(&super::clip(svc, 38)),
            y + 2.0,
            row_h - 4.0,
            esc(svc),
            percent(100.0 * share, 1),
            label_w + w + 4.0,
            y + 12.0,
            percent(100.0 * share, 1),
        );
    }
    out.push_str("</svg>");
    Some(out)
}
