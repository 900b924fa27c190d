//! A tiny HTML table builder: escaped cells, numeric cells right-aligned and sortable by value.

use std::fmt::Write;

use crate::report::fmt::esc;

/// One cell.
pub enum Cell {
    /// Text, escaped.
    Text(String),
    /// A number: shown as `shown`, sorted by `value`.
    Num(f64, String),
    /// Trusted HTML (already escaped by the caller), sorted by `key`, with a CSS class.
    Html(String, String, &'static str),
}

/// Text cell.
pub fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Numeric cell.
pub fn n(v: f64, shown: impl Into<String>) -> Cell {
    Cell::Num(v, shown.into())
}

/// Writes a sortable table with the given headers (a header starting with `#` is numeric).
pub fn table(
    out: &mut String,
    class: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) {
    let _ = write!(out, r##"<table class="{class}"><thead><tr>"##);
    for h in headers {
        let (num, label) = h.strip_prefix('#').map_or((false, *h), |l| (true, l));
        let cls = if num { r##" class="n""## } else { "" };
        let _ = write!(out, "<th{cls}>{}</th>", esc(label));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for c in row {
            match c {
                Cell::Text(s) if is_date(&s) => {
                    let _ = write!(out, r#"<td class="date">{s}</td>"#);
                }
                Cell::Text(s) => {
                    let _ = write!(out, "<td>{}</td>", esc(&s));
                }
                Cell::Num(v, s) => {
                    let _ = write!(out, r##"<td class="n" data-v="{v}">{}</td>"##, esc(&s));
                }
                Cell::Html(h, key, class) => {
                    let _ = write!(
                        out,
                        r##"<td class="{class}" data-v="{}">{h}</td>"##,
                        esc(&key)
                    );
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// `YYYY-MM-DD`: such cells must not wrap mid-date.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}
