//! The capacity utilisation chart: one small panel per capacity, a bar per wave showing the
//! load as a share of that wave's capacity (or the raw load when the capacity is unlimited),
//! with the 100% line and the frozen waves shaded.

use std::fmt::Write;

use super::{Scale, freeze_columns, wave_axis};
use crate::report::ReportData;
use crate::report::fmt::{Fill, cap, esc, num, pct};

const WIDTH: f64 = 1200.0;
const PANEL_W: f64 = 590.0;
const PANEL_H: f64 = 150.0;
const PLOT_TOP: f64 = 24.0;
const PLOT_H: f64 = 96.0;
const LEFT: f64 = 40.0;
/// Bars are drawn up to this share; anything above is clipped and marked.
const Y_MAX: f64 = 120.0;

/// Colour of a bar by how full the wave is.
fn fill(percent: f64) -> &'static str {
    if Fill::of(percent) == Fill::Over {
        "#c0392b"
    } else if percent >= 90.0 {
        "#1a5276"
    } else {
        "#5dade2"
    }
}

/// The utilisation chart as one `<svg id="utilisation">`.
#[must_use]
pub fn utilisation(data: &ReportData) -> String {
    let panels = data.capacities.len();
    let rows = panels.div_ceil(2);
    let h = PANEL_H * rows as f64 + 6.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg id="utilisation" class="chart utilisation" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h:.0}" width="{WIDTH}" height="{h:.0}" role="img" aria-label="Capacity utilisation per wave" font-family="system-ui, 'Noto Sans', sans-serif">"##
    );
    for (i, c) in data.capacities.iter().enumerate() {
        let px = if i % 2 == 0 { 0.0 } else { WIDTH - PANEL_W };
        let py = PANEL_H * (i / 2) as f64;
        panel(&mut out, data, i, px, py, &c.label, c.unit);
    }
    out.push_str("</svg>");
    out
}

fn panel(out: &mut String, data: &ReportData, i: usize, px: f64, py: f64, label: &str, unit: &str) {
    let loads: Vec<_> = data.waves.iter().filter_map(|w| w.loads.get(i)).collect();
    let limited = loads.iter().any(|l| l.capacity.is_some());
    let peak_pct = loads.iter().filter_map(|l| l.percent).fold(0.0, f64::max);
    let peak = loads.iter().map(|l| l.used).fold(0.0, f64::max);
    let caps: Vec<f64> = loads.iter().filter_map(|l| l.capacity).collect();
    let cap_text = match (
        caps.iter().copied().reduce(f64::min),
        caps.iter().copied().reduce(f64::max),
    ) {
        (Some(a), Some(b)) if (a - b).abs() > 1e-9 => {
            format!("capacity {}–{} {unit}", num(a), num(b))
        }
        (Some(a), _) => format!("capacity {} {unit}", num(a)),
        _ => format!("capacity unlimited; peak {} {unit}", num(peak)),
    };
    let title = if limited {
        format!("{label}: peak {} · {cap_text}", pct(Some(peak_pct)))
    } else {
        format!("{label}: {cap_text}")
    };
    let _ = write!(
        out,
        r##"<g class="panel" transform="translate({px:.1},{py:.1})"><text x="{LEFT}" y="15" font-size="12.5" font-weight="600" fill="#1b2631">{}</text>"##,
        esc(&title)
    );
    let sc = Scale::new(LEFT, PANEL_W - LEFT - 6.0, data.waves.len() as u32);
    let bottom = PLOT_TOP + PLOT_H;
    freeze_columns(out, data, sc, PLOT_TOP, bottom);
    // Unlimited capacities are drawn against their own peak so the shape stays visible.
    let y_of = |v: f64| bottom - PLOT_H * (v.clamp(0.0, Y_MAX) / Y_MAX);
    let scale_max = if limited { Y_MAX } else { peak.max(1e-9) * 1.1 };
    let ticks: &[f64] = if limited { &[0.0, 50.0, 100.0] } else { &[0.0] };
    for &t in ticks {
        let y = y_of(t);
        let dash = if (t - 100.0).abs() < 1e-9 {
            r##" stroke-dasharray="4 3" stroke="#c0392b""##
        } else {
            r##" stroke="#ccc""##
        };
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"{dash}/><text x="{:.1}" y="{:.1}" font-size="9.5" text-anchor="end" fill="#555">{t:.0}%</text>"##,
            PANEL_W - 6.0,
            LEFT - 3.0,
            y + 3.0
        );
    }
    for (w, l) in data.waves.iter().zip(&loads) {
        let (share, over) = if limited {
            match (l.percent, l.capacity) {
                (Some(p), _) => (p, Fill::of(p) == Fill::Over),
                (None, Some(_)) if l.used > 0.0 => (Y_MAX, true),
                _ => (0.0, false),
            }
        } else {
            (Y_MAX * l.used / scale_max, false)
        };
        if share <= 0.0 {
            continue;
        }
        let y = y_of(share);
        let colour = if limited { fill(share) } else { "#85929e" };
        let dept = l
            .department
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{colour}"><title>wave {}{}: {} of {} {unit} ({})</title></rect>"##,
            sc.x(w.wave) + 0.4,
            (sc.ww - 0.8).max(0.4),
            bottom - y,
            w.wave,
            esc(&dept),
            num(l.used),
            cap(l.capacity),
            pct(l.percent)
        );
        if over && share >= Y_MAX {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle" fill="#c0392b">▲</text>"##,
                sc.x(w.wave) + sc.ww / 2.0,
                PLOT_TOP - 1.0
            );
        }
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{:.1}" y1="{bottom:.1}" y2="{bottom:.1}" stroke="#888"/>"##,
        PANEL_W - 6.0
    );
    wave_axis(out, data, sc, bottom + 12.0, false);
    out.push_str("</g>");
}
