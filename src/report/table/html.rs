//! Tables as HTML: every cell escaped, numbers right-aligned and sortable by value
//! (`data-v`), dates kept on one line.

use std::fmt::Write;

use super::{Align, Cell, Table};
use crate::report::fmt::{Fill, esc};

/// Renders `table` as one `<table>` element.
#[must_use]
pub fn render(table: &Table) -> String {
    let mut out = String::new();
    let _ = write!(out, r#"<table class="{}"><thead><tr>"#, esc(table.style));
    for c in &table.columns {
        let cls = if c.align == Align::Right {
            r#" class="n""#
        } else {
            ""
        };
        let _ = write!(out, "<th{cls}>{}</th>", esc(&c.name));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        if row.style.is_empty() {
            out.push_str("<tr>");
        } else {
            let _ = write!(out, r#"<tr class="{}">"#, esc(row.style));
        }
        for (k, cell) in row.cells.iter().enumerate() {
            let style = table.columns.get(k).map_or("", |c| c.style);
            td(&mut out, cell, style);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// One cell; `style` is its column's class, for text cells.
fn td(out: &mut String, cell: &Cell, style: &str) {
    let _ = match cell {
        Cell::Text(s) | Cell::Id(s) if style.is_empty() => write!(out, "<td>{}</td>", esc(s)),
        Cell::Text(s) | Cell::Id(s) => {
            write!(out, r#"<td class="{}">{}</td>"#, esc(style), esc(s))
        }
        Cell::Number { value, text } if value.is_nan() => {
            write!(out, r#"<td class="n">{}</td>"#, esc(text))
        }
        Cell::Number { value, text } => {
            write!(out, r#"<td class="n" data-v="{value}">{}</td>"#, esc(text))
        }
        Cell::Date(s) => write!(out, r#"<td class="date">{}</td>"#, esc(s)),
        Cell::Period { from, to } => write!(
            out,
            r#"<td class="date" data-v="{0}">{0}<br>{1}</td>"#,
            esc(from),
            esc(to)
        ),
        Cell::Bar {
            percent,
            value,
            label,
            detail,
        } => {
            // Blue at the limit, red over it: the cells a reader scans for. The rule is the
            // one `pct` reads "100%" by, so a blue cell is exactly one that says 100%.
            let class = match percent.map(Fill::of) {
                Some(Fill::Over) => "over",
                Some(Fill::Full) => "full",
                _ => "",
            };
            write!(
                out,
                r#"<td class="{class}" data-v="{value}">{}<br><small>{}</small></td>"#,
                esc(label),
                esc(detail)
            )
        }
        Cell::Name { name, local } => write!(
            out,
            r#"<td class="" data-v="{0}">{0}{1}</td>"#,
            esc(name),
            local.as_deref().map(local_span).unwrap_or_default()
        ),
        Cell::Link { text, anchor } => write!(
            out,
            r##"<td class="" data-v="{0}"><a href="#{1}">{0}</a></td>"##,
            esc(text),
            esc(anchor)
        ),
    };
}

/// A local-language name after the main one, marked so fonts and screen readers pick it up.
#[must_use]
pub fn local_span(local: &str) -> String {
    format!(
        r#" <span class="local" lang="zh-Hant">{}</span>"#,
        esc(local)
    )
}
