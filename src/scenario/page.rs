//! The `whatif --report FILE.html` page: an inline SVG chart of the finish date per variant
//! on a time axis, then the comparison table. Dates, not wave counts, because a count means
//! nothing across wave lengths (62 one-week waves finish before 36 two-week ones).
//! Self-contained: no scripts, no external assets, so the file can be mailed or archived as
//! it is.

use std::fmt::Write;

use jiff::Span;
use jiff::civil::Date;

use super::compare::{Row, days_between};
use super::render::comparison;
use crate::report::fmt::{esc, plural};
use crate::report::table::html;

/// The whole page. `line` joins the complete rows' marks in order (a single sweep).
#[must_use]
pub fn page(title: &str, rows: &[Row], line: bool) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;margin:2em;color:#222}}\ntable{{border-collapse:collapse;margin-top:1em}}\nth,td{{border:1px solid #ccc;padding:4px 8px;text-align:left}}\nth.n,td.n{{text-align:right}}\ntd.err{{color:#a00;max-width:28em}}\ntd.details{{font-size:90%;max-width:36em}}\n.base{{background:#eef4ff}}\n.incomplete{{background:#f0f0f0;color:#555}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>Finish date per variant; the first row is the baseline and deltas are against it. \
Dates compare across wave lengths; wave counts only compare between equal wave lengths. \
Grey hatched marks are <strong>incomplete</strong> plans: they leave services unscheduled, so \
their finish and split cost leave that work out (the finish often looks early for it), so their deltas are left blank.</p>\n",
        t = esc(title)
    );
    out.push_str(&chart(rows, line));
    out.push_str(&html::render(&comparison(rows)));
    out.push_str("\n</body>\n</html>\n");
    out
}

/// The chart's geometry: width, the label column, margins, and the plotting area.
const W: f64 = 860.0;
const LEFT: f64 = 280.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 36.0;

/// The dates the time axis spans: the finishes, padded by a tenth (at least a week) each side
/// so no mark sits on the frame.
fn domain(rows: &[Row]) -> Option<(Date, i64)> {
    let dates: Vec<Date> = rows.iter().filter_map(Row::finish_date).collect();
    let (lo, hi) = (*dates.iter().min()?, *dates.iter().max()?);
    let pad = (days_between(lo, hi)? / 10).max(7);
    let lo = lo.checked_sub(Span::new().days(pad)).ok()?;
    let span = days_between(lo, hi)? + pad;
    Some((lo, span))
}

/// First days of months inside `lo..lo+span`, every `step` months, with `step` chosen so
/// there are at most eight.
fn month_ticks(lo: Date, span: i64) -> Vec<Date> {
    let months = span / 30 + 1;
    let step = [1, 2, 3, 6, 12, 24, 60]
        .into_iter()
        .find(|s| months / s <= 8)
        .unwrap_or(120);
    let mut out = Vec::new();
    let Ok(mut d) = Date::new(lo.year(), lo.month(), 1) else {
        return out;
    };
    while days_between(lo, d).is_some_and(|x| x <= span) {
        let month_index = i64::from(d.year()) * 12 + i64::from(d.month()) - 1;
        if d >= lo && month_index % step == 0 {
            out.push(d);
        }
        let Ok(next) = d.checked_add(Span::new().months(1)) else {
            break;
        };
        d = next;
    }
    out
}

/// The SVG chart: one line per row, its mark placed at its finish date on a shared time
/// axis, with the baseline's finish as a dashed reference.
fn chart(rows: &[Row], line: bool) -> String {
    let n = rows.len().max(1);
    // Rows shrink when there are many (a large sweep) so the chart stays about a screen high.
    #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
    let rh = (640.0 / n as f64).clamp(4.0, 22.0);
    #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
    let h = TOP + rh * n as f64 + BOTTOM;
    let label_every = if rh >= 10.0 {
        1
    } else {
        // Enough rows skipped that the labels kept are 10 px apart.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small positive ratio"
        )]
        let k = (10.0 / rh).ceil() as usize;
        k
    };
    let dom = domain(rows);
    #[expect(clippy::cast_precision_loss, reason = "day counts are small")]
    let x = |d: Date| -> Option<f64> {
        let (lo, span) = dom?;
        Some(LEFT + (W - LEFT - RIGHT) * days_between(lo, d)? as f64 / span.max(1) as f64)
    };
    let bottom = h - BOTTOM;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{h:.0}\" viewBox=\"0 0 {W} {h:.0}\" role=\"img\" aria-label=\"finish date per variant\">\n\
<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#ddd\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#888\" stroke-width=\"2\"/></pattern></defs>\n"
    );
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"14\" font-size=\"11\"><tspan fill=\"#2a6fdb\">●</tspan> complete   <tspan fill=\"#888\">■</tspan> incomplete (services unscheduled: finish not comparable)   <tspan fill=\"#c60\">┆</tspan> baseline finish</text>"
    );
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"#888\"/>",
        W - RIGHT
    );
    if let Some((lo, span)) = dom {
        for t in month_ticks(lo, span) {
            let Some(tx) = x(t) else { continue };
            let _ = writeln!(
                out,
                "<line x1=\"{tx:.1}\" y1=\"{TOP}\" x2=\"{tx:.1}\" y2=\"{bottom:.1}\" stroke=\"#eee\"/><text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                bottom + 14.0,
                t.strftime("%Y-%m")
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">finish date</text>",
            LEFT + (W - LEFT - RIGHT) / 2.0,
            bottom + 30.0
        );
    }
    if let Some(bx) = rows.first().and_then(Row::finish_date).and_then(x) {
        let _ = writeln!(
            out,
            "<line x1=\"{bx:.1}\" y1=\"{:.1}\" x2=\"{bx:.1}\" y2=\"{bottom:.1}\" stroke=\"#c60\" stroke-dasharray=\"4 3\"><title>baseline finish</title></line>",
            TOP - 8.0
        );
    }
    let mut points = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
        let cy = TOP + rh * (i as f64 + 0.5);
        let incomplete = r.complete == Some(false);
        let name = esc(&r.name);
        if i % label_every == 0 {
            let (suffix, fill) = match (&r.error, incomplete) {
                (Some(_), _) => (" (error)", "#a00"),
                (None, true) => (" (incomplete)", "#666"),
                (None, false) => ("", "#222"),
            };
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"{fill}\">{name}{suffix}</text>",
                LEFT - 8.0,
                cy + 4.0
            );
        }
        if let Some(e) = &r.error {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#a00\">not planned<title>{name}: {}</title></text>",
                LEFT + 4.0,
                cy + 4.0,
                esc(e)
            );
            continue;
        }
        let (Some(d), Some(cx)) = (r.finish_date(), r.finish_date().and_then(x)) else {
            continue;
        };
        let waves = r
            .waves
            .map_or_else(String::new, |w| format!(", {}", plural(w, "wave")));
        let size = rh.min(12.0) - 2.0;
        if incomplete {
            let missing = plural(r.unscheduled.unwrap_or(0), "service");
            let _ = writeln!(
                out,
                "<rect class=\"mark incomplete\" data-finish=\"{d}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{size:.1}\" height=\"{size:.1}\" fill=\"url(#hatch)\" stroke=\"#666\"><title>{name}: finish {d}{waves}; incomplete: {missing} unscheduled, so the finish does not compare</title></rect>",
                cx - size / 2.0,
                cy - size / 2.0
            );
        } else {
            let delta = r
                .delta_finish_days
                .filter(|_| i > 0)
                .map_or_else(String::new, |v| {
                    let sign = if v < 0 { '-' } else { '+' };
                    format!(" ({sign}{})", plural(v.unsigned_abs(), "day"))
                });
            let fill = if i == 0 { "#7a9cc6" } else { "#2a6fdb" };
            let _ = writeln!(
                out,
                "<circle class=\"mark complete\" data-finish=\"{d}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"{fill}\"><title>{name}: finish {d}{delta}{waves}</title></circle>",
                size / 2.0
            );
            points.push(format!("{cx:.1},{cy:.1}"));
        }
        if rh >= 10.0 {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#555\">{d}</text>",
                cx + 9.0,
                cy + 4.0
            );
        }
    }
    if line && points.len() > 1 {
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"1.5\"/>",
            points.join(" ")
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;
    use crate::scenario::render::tests::{mixed, row};

    /// `(class, finish, x)` of every mark, in document order.
    fn marks(svg: &str) -> Vec<(String, String, f64)> {
        svg.split('<')
            .filter(|t| t.contains("class=\"mark "))
            .map(|t| {
                let attr = |k: &str| {
                    let start = t.find(&format!(" {k}=\"")).unwrap() + k.len() + 3;
                    t[start..].split('"').next().unwrap().to_owned()
                };
                let x = if t.starts_with("circle") {
                    attr("cx").parse::<f64>().unwrap()
                } else {
                    // A square mark: its centre.
                    attr("x").parse::<f64>().unwrap() + attr("width").parse::<f64>().unwrap() / 2.0
                };
                (attr("class"), attr("data-finish"), x)
            })
            .collect()
    }

    #[test]
    fn marks_are_placed_by_finish_date_not_waves() {
        // The later finish has fewer waves (longer waves): the chart must still put it right.
        let mut rows = vec![
            row("two-week", "2020-05-24", 0, None),
            row("one-week", "2020-01-12", 0, None),
            row("three-week", "2020-09-06", 0, None),
        ];
        rows[0].waves = Some(36);
        rows[1].waves = Some(52);
        rows[2].waves = Some(30);
        let p = page("what-if", &rows, false);
        let m = marks(&p);
        assert_eq!(m.len(), 3);
        assert!(m[1].2 < m[0].2 && m[0].2 < m[2].2, "{m:?}");
        // Equal day gaps are equal distances: the axis is linear in time.
        let (a, b) = (
            days_between(Date::constant(2020, 1, 12), Date::constant(2020, 5, 24)),
            days_between(Date::constant(2020, 5, 24), Date::constant(2020, 9, 6)),
        );
        let ratio = (m[0].2 - m[1].2) / (m[2].2 - m[0].2);
        #[expect(clippy::cast_precision_loss, reason = "small numbers")]
        let want = a.unwrap() as f64 / b.unwrap() as f64;
        assert!((ratio - want).abs() < 0.01, "{ratio} vs {want}");
        assert!(p.contains(">2020-03</text>"), "month ticks on the axis");
    }

    /// Issue 15, item 8: one wave, one service, one day read in the singular in the marks'
    /// titles, and the marks stay where they belong.
    #[test]
    fn counts_of_one_read_in_the_singular() {
        let mut rows = vec![
            row("base", "2020-01-12", 0, None),
            row("later", "2020-01-13", 0, None),
            row("stuck", "2020-02-01", 1, None),
        ];
        rows[0].waves = Some(1);
        rows[1].delta_finish_days = Some(1);
        let p = page("what-if", &rows, false);
        assert_eq!(marks(&p).len(), 3);
        assert!(p.contains("base: finish 2020-01-12, 1 wave</title>"), "{p}");
        assert!(
            p.contains("later: finish 2020-01-13 (+1 day), 3 waves</title>"),
            "{p}"
        );
        assert!(p.contains("incomplete: 1 service unscheduled"), "{p}");
    }

    #[test]
    fn incomplete_rows_are_drawn_apart_and_labelled() {
        let p = page("what-if", &mixed(), true);
        let m = marks(&p);
        let classes: Vec<&str> = m.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            classes,
            ["mark complete", "mark complete", "mark incomplete"]
        );
        assert_eq!(m[2].1, "2020-03-15");
        assert!(p.contains("weekly (incomplete)</text>"), "{p}");
        assert!(p.contains("incomplete: 62 services unscheduled"));
        assert!(p.contains("fill=\"url(#hatch)\""));
        assert!(p.contains("<tr class=\"incomplete\">"));
        assert!(p.contains("2020-03-15 (incomplete: 62 unscheduled)"));
        // The sweep line joins complete marks only.
        let poly = p.split("<polyline points=\"").nth(1).unwrap();
        assert_eq!(poly.split('"').next().unwrap().split(' ').count(), 2);
        assert!(p.contains("bad (error)</text>"));
    }

    #[test]
    fn page_escapes_names_and_has_no_scripts() {
        let mut r = row("a<b 'c'", "2019-03-03", 0, None);
        r.error = None;
        let p = page("what-if", &[r.clone(), r], true);
        assert!(p.contains("<svg") && p.contains("<polyline"));
        assert!(p.contains("a&lt;b &#39;c&#39;") && !p.contains("a<b") && !p.contains("'c'"));
        // No scripts, and the only address is the SVG namespace.
        assert!(!p.contains("<script") && p.matches("http").count() == 1);
    }
}
