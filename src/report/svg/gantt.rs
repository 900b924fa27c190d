//! The Gantt chart: every service by department when there are few enough to read, else one
//! row per department with each wave's load; frozen waves and department blackouts shaded.

use std::collections::HashMap;
use std::fmt::Write;

use super::{BLACKOUT_FILL, CRIT_COLOURS, Scale, clip, freeze_columns, wave_axis};
use crate::report::fmt::{esc, opt, wave_span, waves_between};
use crate::report::{DepartmentRow, ReportData};

/// Above this many migrating services the per-service chart is replaced by department rows.
pub const DETAIL_LIMIT: usize = 400;

const WIDTH: f64 = 1200.0;
const TOP: f64 = 64.0;

/// Waves in which each department has a blackout.
fn blackout_waves(data: &ReportData) -> HashMap<&str, Vec<u32>> {
    let mut map: HashMap<&str, Vec<u32>> = HashMap::new();
    for w in &data.waves {
        for d in &w.blackouts {
            map.entry(d.as_str()).or_default().push(w.wave);
        }
    }
    map
}

fn legend(out: &mut String, detailed: bool) {
    let mut x = 10.0;
    let mut item = |out: &mut String, fill: &str, label: &str| {
        let _ = write!(
            out,
            r##"<rect x="{x}" y="8" width="12" height="12" fill="{fill}" stroke="#666" stroke-width="0.5"/><text x="{}" y="18" font-size="12">{label}</text>"##,
            x + 16.0
        );
        x += 24.0 + 7.0 * label.len() as f64;
    };
    if detailed {
        for (name, colour) in CRIT_COLOURS {
            item(out, colour, name);
        }
        item(out, "#ffffff", "cutover wave: solid end with ◆");
    } else {
        item(
            out,
            "#2874a6",
            "services migrating (darker = more); number = cutovers",
        );
    }
    item(out, super::FREEZE_FILL, "calendar freeze");
    item(out, BLACKOUT_FILL, "department blackout");
}

/// Shades one row's blackout waves.
fn blackout_cells(out: &mut String, sc: Scale, waves: Option<&Vec<u32>>, y: f64, h: f64) {
    for &w in waves.into_iter().flatten() {
        let _ = write!(
            out,
            r##"<rect class="blackout" x="{:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{BLACKOUT_FILL}"/>"##,
            sc.x(w),
            sc.ww
        );
    }
}

fn dept_label(d: &DepartmentRow, max: usize) -> String {
    let name = clip(&d.name, max);
    match &d.local_name {
        Some(l) => format!(
            r##"<tspan font-weight="bold">{}</tspan> {} <tspan lang="zh-Hant" fill="#555">{}</tspan>"##,
            esc(&d.code),
            esc(&name),
            esc(l)
        ),
        None => format!(
            r##"<tspan font-weight="bold">{}</tspan> {}"##,
            esc(&d.code),
            esc(&name)
        ),
    }
}

/// The Gantt chart of every service by department (`<svg id="gantt">`), or `None` when
/// there are too many services to read one row each.
#[must_use]
pub fn gantt(data: &ReportData) -> Option<String> {
    (data.services.len() <= DETAIL_LIMIT).then(|| detailed(data))
}

/// The Gantt chart with one row per department (`<svg id="{id}">`).
#[must_use]
pub fn overview(data: &ReportData, id: &str) -> String {
    by_department(data, id)
}

fn open(out: &mut String, id: &str, h: f64, label: &str) {
    let _ = write!(
        out,
        r##"<svg id="{id}" class="chart gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h:.0}" width="{WIDTH}" height="{h:.0}" role="img" aria-label="{label}" font-family="system-ui, 'Noto Sans', 'Noto Sans CJK TC', sans-serif">"##
    );
}

fn grid(out: &mut String, data: &ReportData, sc: Scale, h: f64) {
    let _ = write!(
        out,
        r##"<rect x="{:.1}" y="{TOP}" width="{:.1}" height="{:.1}" fill="none" stroke="#bbb"/>"##,
        sc.x0,
        sc.ww * f64::from(sc.n),
        h - TOP
    );
    freeze_columns(out, data, sc, TOP, h);
    wave_axis(out, data, sc, TOP - 4.0, true);
}

/// One row per service, grouped under a header row per department.
fn detailed(data: &ReportData) -> String {
    const LABEL: f64 = 250.0;
    const ROW: f64 = 16.0;
    let rows = data.departments.len() + data.services.len();
    let h = TOP + ROW * rows as f64 + 4.0;
    let sc = Scale::new(LABEL, WIDTH - LABEL - 8.0, data.waves.len() as u32);
    let blackouts = blackout_waves(data);
    let mut out = String::new();
    open(
        &mut out,
        "gantt",
        h,
        "Gantt chart of the migrating services by department",
    );
    legend(&mut out, true);
    grid(&mut out, data, sc, h);
    let colour: HashMap<&str, &str> = CRIT_COLOURS.into_iter().collect();
    let mut y = TOP;
    for d in &data.departments {
        let n = d.rows.len() as f64 + 1.0;
        let bw = blackouts.get(d.code.as_str());
        let _ = write!(
            out,
            r##"<rect x="0" y="{y:.1}" width="{WIDTH}" height="{ROW}" fill="#eef1f5"/>"##
        );
        blackout_cells(&mut out, sc, bw, y, ROW * n);
        let _ = write!(
            out,
            r##"<text x="4" y="{:.1}" font-size="11.5">{}</text>"##,
            y + 12.0,
            dept_label(d, 22)
        );
        y += ROW;
        for s in &data.services[d.rows.clone()] {
            let _ = write!(
                out,
                r##"<text x="14" y="{:.1}" font-size="10.5" fill="#222">{}<title>{}</title></text>"##,
                y + 11.5,
                esc(&clip(&s.id, 36)),
                esc(&s.name)
            );
            let (Some(a), Some(b)) = (s.start_wave, s.cutover_wave) else {
                let _ = write!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#b03a2e">unscheduled: {}</text>"##,
                    sc.x0 + 4.0,
                    y + 11.5,
                    esc(s.unscheduled_rule.as_deref().unwrap_or("not in the plan"))
                );
                y += ROW;
                continue;
            };
            let c = colour.get(s.criticality).copied().unwrap_or("#2874a6");
            let tip = format!(
                "{} ({}): {}, {} to {}",
                s.id,
                s.name,
                wave_span(a, b),
                opt(s.start_date),
                opt(s.cutover_date)
            );
            let _ = write!(
                out,
                r##"<g class="bar"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{c}" fill-opacity="0.35" stroke="{c}" stroke-width="0.8"/><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{c}"/><text x="{:.1}" y="{:.1}" font-size="9" fill="{c}">◆</text></g>"##,
                esc(&tip),
                sc.x(a) + 0.5,
                y + 3.0,
                sc.ww * f64::from(b - a + 1) - 1.0,
                ROW - 6.0,
                sc.x(b) + 0.5,
                y + 3.0,
                sc.ww - 1.0,
                ROW - 6.0,
                sc.x(b + 1) + 1.5,
                y + 11.5,
            );
            y += ROW;
        }
    }
    out.push_str("</svg>");
    out
}

/// One row per department: each wave's cell is shaded by the services it migrates and shows
/// its cutovers, so thousands of services stay one readable chart.
fn by_department(data: &ReportData, id: &str) -> String {
    const LABEL: f64 = 330.0;
    const ROW: f64 = 18.0;
    let n = data.waves.len();
    let h = TOP + ROW * data.departments.len() as f64 + 4.0;
    let sc = Scale::new(LABEL, WIDTH - LABEL - 8.0, n as u32);
    let blackouts = blackout_waves(data);
    let mut active = vec![0u32; (n + 1) * data.departments.len()];
    let mut cutovers = vec![0u32; (n + 1) * data.departments.len()];
    for (di, d) in data.departments.iter().enumerate() {
        for s in &data.services[d.rows.clone()] {
            let (Some(a), Some(b)) = (s.start_wave, s.cutover_wave) else {
                continue;
            };
            for w in a..=b.min(n as u32) {
                active[di * (n + 1) + w as usize] += 1;
            }
            if (b as usize) <= n {
                cutovers[di * (n + 1) + b as usize] += 1;
            }
        }
    }
    let peak = f64::from(active.iter().copied().max().unwrap_or(1).max(1));
    let mut out = String::new();
    open(
        &mut out,
        id,
        h,
        "Gantt chart of the migration by department",
    );
    legend(&mut out, false);
    grid(&mut out, data, sc, h);
    let mut y = TOP;
    for (di, d) in data.departments.iter().enumerate() {
        if di % 2 == 1 {
            let _ = write!(
                out,
                r##"<rect x="0" y="{y:.1}" width="{LABEL}" height="{ROW}" fill="#f4f6f8"/>"##
            );
        }
        let bw = blackouts.get(d.code.as_str());
        blackout_cells(&mut out, sc, bw, y, ROW);
        let _ = write!(
            out,
            r##"<text x="4" y="{:.1}" font-size="11">{}<title>{}: {} migrating, {}</title></text>"##,
            y + 13.0,
            dept_label(d, 26),
            esc(&d.name),
            d.migrating,
            waves_between(d.first_wave, d.last_wave)
        );
        for w in 1..=n {
            let a = active[di * (n + 1) + w];
            if a == 0 {
                continue;
            }
            let c = cutovers[di * (n + 1) + w];
            let x = sc.x(w as u32);
            let opacity = 0.2 + 0.8 * f64::from(a) / peak;
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#2874a6" fill-opacity="{opacity:.2}"><title>{} wave {w}: {a} migrating, {c} cutting over</title></rect>"##,
                x + 0.3,
                y + 2.0,
                (sc.ww - 0.6).max(0.5),
                ROW - 4.0,
                esc(&d.code)
            );
            if c > 0 && sc.ww >= 14.0 {
                let fill = if opacity > 0.55 { "#fff" } else { "#123" };
                let _ = write!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="9.5" text-anchor="middle" fill="{fill}">{c}</text>"##,
                    x + sc.ww / 2.0,
                    y + 12.5
                );
            }
        }
        y += ROW;
    }
    out.push_str("</svg>");
    out
}
