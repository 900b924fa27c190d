//! Hand-written SVG charts for the HTML report: the Gantt chart (services or departments over
//! the waves, freezes and blackouts shaded), the capacity utilisation panels, the cost curve
//! and the schedule-risk charts.
//!
//! The charts share one horizontal scale: a column per wave, labelled with wave numbers and
//! the months they start in. Waves have a fixed length, so columns are also the calendar.

mod cost;
mod gantt;
mod risk;
mod utilisation;

use std::fmt::Write;

pub use cost::cost_curve;
pub use gantt::{DETAIL_LIMIT, gantt, overview};
pub use risk::{TOP_CRITICAL, criticality_bars, finish_histogram};
pub use utilisation::utilisation;

use super::ReportData;
use super::fmt::esc;

/// Colours of the criticalities (critical, high, medium, low), readable in print.
pub const CRIT_COLOURS: [(&str, &str); 4] = [
    ("critical", "#b03a2e"),
    ("high", "#d68910"),
    ("medium", "#2874a6"),
    ("low", "#7f8c8d"),
];

/// Fill of frozen-wave columns.
const FREEZE_FILL: &str = "#d6dbe4";
/// Fill of blackout cells.
const BLACKOUT_FILL: &str = "#f5cba7";

/// The horizontal wave scale of a chart.
#[derive(Debug, Clone, Copy)]
struct Scale {
    /// Left edge of wave 1.
    x0: f64,
    /// Width of one wave column.
    ww: f64,
    /// Number of waves.
    n: u32,
}

impl Scale {
    fn new(x0: f64, plot_w: f64, n: u32) -> Self {
        Self {
            x0,
            ww: plot_w / f64::from(n.max(1)),
            n,
        }
    }

    /// Left edge of wave `w` (1-based).
    fn x(&self, w: u32) -> f64 {
        self.x0 + f64::from(w.saturating_sub(1)) * self.ww
    }

    /// Label every `k`-th wave so labels at least `min_px` apart do not collide.
    fn label_step(&self, min_px: f64) -> u32 {
        const STEPS: [u32; 12] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
        STEPS
            .into_iter()
            .find(|&k| f64::from(k) * self.ww >= min_px)
            .unwrap_or(10_000)
    }
}

/// Shades the frozen waves over `y0..y1`.
fn freeze_columns(out: &mut String, data: &ReportData, sc: Scale, y0: f64, y1: f64) {
    for w in data.waves.iter().filter(|w| w.frozen) {
        let title = esc(&w.freezes.join(", "));
        let _ = write!(
            out,
            r##"<rect class="freeze" x="{:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{FREEZE_FILL}"><title>wave {} frozen: {title}</title></rect>"##,
            sc.x(w.wave),
            sc.ww,
            y1 - y0,
            w.wave
        );
    }
}

/// The wave-number axis along `y` (text baseline), with month labels above it.
fn wave_axis(out: &mut String, data: &ReportData, sc: Scale, y: f64, months: bool) {
    let step = sc.label_step(22.0);
    for w in &data.waves {
        if w.wave == 1 || w.wave % step == 0 {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{y:.1}" font-size="10" text-anchor="middle" fill="#444">{}</text>"##,
                sc.x(w.wave) + sc.ww / 2.0,
                w.wave
            );
        }
    }
    if !months {
        return;
    }
    let mut last_x = f64::NEG_INFINITY;
    let mut last_month = None;
    for w in &data.waves {
        let m = (w.start.year(), w.start.month());
        if last_month == Some(m) {
            continue;
        }
        last_month = Some(m);
        let x = sc.x(w.wave);
        if x - last_x < 52.0 {
            continue;
        }
        last_x = x;
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" font-size="10" fill="#222">{}</text><line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#999" stroke-width="0.6"/>"##,
            y - 14.0,
            w.start.strftime("%b %Y"),
            y - 24.0,
            y - 11.0,
        );
    }
}

/// Text that fits in about `max` characters, with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
