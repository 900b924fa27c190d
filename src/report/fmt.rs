//! Small text helpers shared by the renderers: numbers, percentages, escaping.

use std::fmt::Display;

/// A number as people write it: whole numbers without decimals, others with up to two.
#[must_use]
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_owned();
    }
    let r = (x * 100.0).round() / 100.0;
    if r == r.trunc() && r.abs() < 1e15 {
        // `as` is exact here: the value is integral and far below 2^53.
        #[expect(clippy::cast_possible_truncation, reason = "integral and < 1e15")]
        let i = r as i64;
        return group(i);
    }
    let s = format!("{:.2}", r.abs());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let grouped = int.parse::<i64>().map_or_else(|_| int.to_owned(), group);
    let sign = if r < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Thousands separators for big counts, so 250000 reads as 250,000.
fn group(i: i64) -> String {
    let digits = i.unsigned_abs().to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if i < 0 { format!("-{out}") } else { out }
}

pub use crate::model::words::{Fill, percent, plural, plural_of, wave_span};

/// The waves from `first` to `last` ([`wave_span`]), or `no waves` when either is missing
/// (a department with nothing scheduled).
#[must_use]
pub fn waves_between(first: Option<u32>, last: Option<u32>) -> String {
    match (first, last) {
        (Some(a), Some(b)) => wave_span(a, b),
        _ => "no waves".to_owned(),
    }
}

/// A capacity: its number, or `unlimited`.
#[must_use]
pub fn cap(c: Option<f64>) -> String {
    c.map_or_else(|| "unlimited".to_owned(), num)
}

/// A whole-number capacity, or `unlimited`.
#[must_use]
pub fn cap_u(c: Option<u32>) -> String {
    c.map_or_else(|| "unlimited".to_owned(), |v| v.to_string())
}

/// A percentage rounded to a whole number, or `-`. Only a full share ([`Fill::Full`]) reads
/// `100%`: one that would round to it shows a decimal more, cut towards the side it is on
/// (99.96 reads `99.9%`, 100.02 `100.1%`), so the text agrees with the highlight.
#[must_use]
pub fn pct(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_finite() => percent(p, 0),
        _ => "-".to_owned(),
    }
}

/// An optional value, or `-`.
#[must_use]
pub fn opt<T: Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a Markdown table cell: pipes and line breaks would break the table,
/// and `<`/`>`/`*`/`_`/`` ` `` would turn into markup.
#[must_use]
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(num(11993.0), "11,993");
        assert_eq!(num(11.5), "11.5");
        assert_eq!(num(0.125), "0.13");
        assert_eq!(num(6052.667), "6,052.67");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-1234.0), "-1,234");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(f64::NAN), "-");
        assert_eq!(cap(None), "unlimited");
        assert_eq!(plural(1u32, "wave"), "1 wave");
        assert_eq!(plural(0u32, "wave"), "0 waves");
    }

    /// Issue 15, item 8: 99.8% of a capacity read "100%" without the highlight full cells get.
    #[test]
    fn only_a_full_share_reads_100_percent() {
        assert_eq!(pct(Some(99.8)), "99.8%");
        assert_eq!(pct(Some(99.5)), "99.5%");
        assert_eq!(pct(Some(99.96)), "99.9%");
        assert_eq!(pct(Some(99.4)), "99%");
        assert_eq!(pct(Some(100.0)), "100%");
        assert_eq!(pct(Some(100.000_05)), "100%");
        assert_eq!(pct(Some(100.02)), "100.1%");
        assert_eq!(pct(Some(100.6)), "101%");
        assert_eq!(pct(Some(f64::INFINITY)), "-");
        assert_eq!(percent(99.96, 1), "99.96%");
        assert_eq!(percent(100.0, 1), "100.0%");
        assert_eq!(percent(50.0, 1), "50.0%");
        assert_eq!(Fill::of(99.8), Fill::Under);
        assert_eq!(Fill::of(100.0 - 1e-6), Fill::Full);
        assert_eq!(Fill::of(100.3), Fill::Over);
    }

    #[test]
    fn escaping_neutralises_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(md("a|b_c\nd"), "a\\|b\\_c d");
    }
}
