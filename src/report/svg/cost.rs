//! The transition-cost chart: a bar per wave for what the wave costs and a line for the
//! running total, over the same wave axis as the other charts.

use std::fmt::Write;

use super::{Scale, freeze_columns, wave_axis};
use crate::report::ReportData;
use crate::report::fmt::num;

const WIDTH: f64 = 1200.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 90.0;
const TOP: f64 = 20.0;
const PLOT_H: f64 = 190.0;

/// The chart as one `<svg id="cost-curve">`, or `None` without costs or waves.
#[must_use]
pub fn cost_curve(data: &ReportData) -> Option<String> {
    let costs = data.costs.as_ref()?;
    let last = costs.by_wave.last()?;
    let top = last.cumulative.max(1e-9);
    let peak = costs
        .by_wave
        .iter()
        .map(|w| w.cost)
        .fold(0.0, f64::max)
        .max(1e-9);
    let sc = Scale::new(LEFT, WIDTH - LEFT - 10.0, costs.by_wave.len() as u32);
    let bottom = TOP + PLOT_H;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg id="cost-curve" class="chart cost" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="Transition cost per wave and cumulative" font-family="system-ui, 'Noto Sans', sans-serif">"##
    );
    freeze_columns(&mut out, data, sc, TOP, bottom);
    // Bars: each wave's own cost against the dearest wave (right-hand scale).
    for w in &costs.by_wave {
        let h = PLOT_H * 0.45 * w.cost / peak;
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#aed6f1"><title>wave {}: {}</title></rect>"##,
            sc.x(w.wave) + sc.ww * 0.15,
            bottom - h,
            sc.ww * 0.7,
            w.wave,
            num(w.cost.round()),
        );
    }
    // The running total against the whole (left-hand scale).
    let mut points = format!("{LEFT:.1},{bottom:.1}");
    for w in &costs.by_wave {
        let _ = write!(
            points,
            " {:.1},{:.1}",
            sc.x(w.wave) + sc.ww,
            bottom - PLOT_H * w.cumulative / top
        );
    }
    let _ = write!(
        out,
        r##"<polyline points="{points}" fill="none" stroke="#1a5276" stroke-width="2"/>"##
    );
    for (frac, label) in [(0.0, 0.0), (0.5, top / 2.0), (1.0, top)] {
        let y = bottom - PLOT_H * frac;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#ccc" stroke-width="0.6"/><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" fill="#444">{}</text>"##,
            WIDTH - 10.0,
            LEFT - 6.0,
            y + 3.0,
            num(label.round()),
        );
    }
    wave_axis(&mut out, data, sc, bottom + 14.0, false);
    let _ = write!(
        out,
        r##"<text x="{LEFT}" y="12" font-size="11" fill="#1b2631">line: running total (left scale); bars: each wave's cost (dearest wave {})</text>"##,
        num(peak.round())
    );
    out.push_str("</svg>");
    Some(out)
}
