//! The `whatif --report FILE.html` page: the comparison table and an inline SVG chart of the
//! waves per variant (bars), or a line chart when the rows are one sweep. Self-contained: no
//! scripts, no external assets, so the file can be mailed or archived as it is.

use std::fmt::Write;

use super::compare::Row;

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The whole page. `line` draws a line chart (a single sweep) instead of bars.
#[must_use]
pub fn page(title: &str, rows: &[Row], line: bool) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;margin:2em;color:#222}}\ntable{{border-collapse:collapse;margin-top:1em}}\nth,td{{border:1px solid #ccc;padding:4px 8px;text-align:right}}\nth:first-child,td:first-child{{text-align:left}}\ntd.err{{color:#a00;text-align:left}}\n.base{{background:#eef4ff}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>Waves and finish date per variant; the first row is the baseline. Deltas are against it.</p>\n",
        t = esc(title)
    );
    out.push_str(&chart(rows, line));
    out.push_str("<table>\n<tr><th>variant</th><th>overrides</th><th>waves</th><th>lower bound</th><th>finish</th><th>split cost</th><th>unscheduled</th><th>peak target %</th><th>Δ waves</th><th>Δ split cost</th><th>error</th></tr>\n");
    let opt = |x: Option<String>| x.unwrap_or_else(|| "–".to_owned());
    for (i, r) in rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr{}><td>{}</td><td style=\"text-align:left\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"err\">{}</td></tr>",
            if i == 0 { " class=\"base\"" } else { "" },
            esc(&r.name),
            esc(&r.overrides.join("; ")),
            opt(r.waves.map(|v| v.to_string())),
            opt(r.lower_bound_waves.map(|v| v.to_string())),
            esc(&opt(r.finish.clone())),
            opt(r.split_cost.map(|v| v.to_string())),
            opt(r.unscheduled.map(|v| v.to_string())),
            opt(r.peak_target_pct.map(|v| v.to_string())),
            opt(r.delta_waves.map(|v| format!("{v:+}"))),
            opt(r.delta_split_cost.map(|v| format!("{v:+}"))),
            esc(r.error.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}

/// The SVG chart: waves on the y axis, one mark per computed row.
fn chart(rows: &[Row], line: bool) -> String {
    const W: f64 = 760.0;
    const H: f64 = 300.0;
    const LEFT: f64 = 50.0;
    const BOTTOM: f64 = 90.0;
    const TOP: f64 = 20.0;
    let max = rows
        .iter()
        .filter_map(|r| r.waves)
        .max()
        .unwrap_or(0)
        .max(1);
    let n = rows.len().max(1);
    #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
    let slot = (W - LEFT - 10.0) / n as f64;
    let y = |w: u32| TOP + (H - TOP - BOTTOM) * (1.0 - f64::from(w) / f64::from(max));
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"waves per variant\">\n"
    );
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{b}\" x2=\"{W}\" y2=\"{b}\" stroke=\"#888\"/><line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{b}\" stroke=\"#888\"/>",
        b = H - BOTTOM
    );
    for tick in [0, max / 2, max] {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{tick}</text>",
            LEFT - 4.0,
            y(tick) + 4.0
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"12\" y=\"{:.1}\" font-size=\"11\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">waves</text>",
        TOP + (H - TOP - BOTTOM) / 2.0,
        TOP + (H - TOP - BOTTOM) / 2.0
    );
    let mut points = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
        let cx = LEFT + slot * (i as f64 + 0.5);
        let label = esc(&r.name);
        let _ = writeln!(
            out,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-40 {cx:.1} {:.1})\">{label}</text>",
            H - BOTTOM + 14.0,
            H - BOTTOM + 14.0
        );
        let Some(w) = r.waves else {
            let _ = writeln!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#a00\" text-anchor=\"middle\">error</text>",
                H - BOTTOM - 4.0
            );
            continue;
        };
        let finish = esc(r.finish.as_deref().unwrap_or("-"));
        if line {
            points.push(format!("{cx:.1},{:.1}", y(w)));
            let _ = writeln!(
                out,
                "<circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#2a6fdb\"><title>{label}: {w} waves, finish {finish}</title></circle>",
                y(w)
            );
        } else {
            let bw = (slot * 0.6).max(2.0);
            let fill = if i == 0 { "#7a9cc6" } else { "#2a6fdb" };
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{fill}\"><title>{label}: {w} waves, finish {finish}</title></rect>",
                cx - bw / 2.0,
                y(w),
                H - BOTTOM - y(w)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{w}</text>",
            y(w) - 5.0
        );
    }
    if line && points.len() > 1 {
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"2\"/>",
            points.join(" ")
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_has_a_chart_and_escapes_names() {
        let row = Row {
            name: "a<b".to_owned(),
            overrides: vec![],
            waves: Some(4),
            lower_bound_waves: Some(3),
            finish: Some("2019-03-03".to_owned()),
            split_cost: Some(1.0),
            unscheduled: Some(0),
            peak_target_pct: None,
            delta_waves: Some(0),
            delta_split_cost: Some(0.0),
            error: None,
            plan_from: None,
        };
        let p = page("what-if", &[row.clone(), row], true);
        assert!(p.contains("<svg") && p.contains("<polyline"));
        assert!(p.contains("a&lt;b") && !p.contains("a<b"));
    }
}
