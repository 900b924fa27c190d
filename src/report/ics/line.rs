//! iCalendar content lines (RFC 5545 §3.1): `NAME:value` ended by CRLF, folded so that no
//! physical line is longer than 75 octets, and TEXT values escaped (§3.3.11).
//!
//! Written by hand rather than with the `icalendar` crate: its writer stamps `DTSTAMP` with
//! the clock and makes up a random `UID` wherever the caller forgets one, which breaks the
//! same-inputs-same-bytes rule silently, and it would bring chrono and uuid for the dozen
//! lines this needs. The tests read our output back with that crate's parser instead.

use jiff::civil::Date;

/// The most octets on one physical line, not counting its CRLF (RFC 5545 §3.1).
const MAX_OCTETS: usize = 75;

/// A calendar being written: content lines, each folded and ended by CRLF.
#[derive(Debug, Default)]
pub struct Lines(String);

impl Lines {
    /// A property whose value is written as it is: a date, a number, a fixed word.
    pub fn raw(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + 1 + value.len());
        line.push_str(name);
        line.push(':');
        line.push_str(value);
        fold(&line, &mut self.0);
    }

    /// A TEXT property: the value escaped, so names and reasons from the inputs cannot end
    /// the line or split the value.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    /// A DATE property (`DTSTART;VALUE=DATE:20190107`).
    pub fn date(&mut self, name: &str, day: Date) {
        self.raw(&format!("{name};VALUE=DATE"), &basic_date(day));
    }

    /// The calendar text.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

/// A date in the basic format of RFC 5545 §3.3.4: `YYYYMMDD`.
#[must_use]
pub fn basic_date(day: Date) -> String {
    format!("{:04}{:02}{:02}", day.year(), day.month(), day.day())
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash,
/// a line break (CRLF, CR or LF) becomes `\n`. Other control characters are not allowed in
/// TEXT at all and become spaces; a tab is allowed and kept.
#[must_use]
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` to `out` folded at 75 octets and ended by CRLF. A fold is CRLF and one
/// space, and the space counts towards the next line's 75; folds fall between characters,
/// never inside a UTF-8 sequence (a Chinese character is three octets).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > MAX_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold(line, &mut out);
        out
    }

    /// Undoes the folding as a reader does: a CRLF followed by one space or tab joins.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "").replace("\r\n\t", "")
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets_and_unfold_to_the_original() {
        let line = format!("DESCRIPTION:{}", "abcdefghij".repeat(20));
        let out = folded(&line);
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 2);
        assert_eq!(physical[0].len(), 75);
        for p in &physical[1..] {
            assert!(
                p.starts_with(' '),
                "a continuation starts with a space: {p:?}"
            );
            assert!(p.len() <= 75, "{} octets: {p:?}", p.len());
        }
        assert_eq!(
            physical[1].len(),
            75,
            "a full continuation line is 75 with its space"
        );
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        // 身份證明局 is five three-octet characters; with an odd-length prefix no fold can
        // fall on a character boundary by luck.
        for prefix in ["X", "XY", "XYZ"] {
            let line = format!("SUMMARY:{prefix}{}", "身份證明局".repeat(12));
            let out = folded(&line);
            for p in out.split("\r\n") {
                assert!(p.len() <= 75, "{} octets: {p:?}", p.len());
            }
            // Every physical line is valid UTF-8 by construction (`&str`); joined back it is
            // the same text.
            assert_eq!(unfold(&out), format!("{line}\r\n"));
            let first = out.split("\r\n").next().expect("a line");
            assert!(
                first.len() >= 73,
                "folds as late as the octets allow: {}",
                first.len()
            );
        }
        // Portuguese accents are two octets.
        let line = format!(
            "SUMMARY:{}",
            "Direcção dos Serviços de Identificação ".repeat(4)
        );
        let out = folded(&line);
        assert!(out.split("\r\n").all(|p| p.len() <= 75));
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(escape_text(r"a\b"), r"a\\b");
        assert_eq!(escape_text("a;b,c"), r"a\;b\,c");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthree\nfour"
        );
        assert_eq!(escape_text("colon: kept"), "colon: kept");
        assert_eq!(
            escape_text("tab\tkept, bell\u{7} not"),
            "tab\tkept\\, bell  not"
        );
        assert_eq!(escape_text("身份證明局"), "身份證明局");
        // A backslash before an n is a backslash, not a line break.
        assert_eq!(escape_text(r"C:\new"), r"C:\\new");
    }

    #[test]
    fn escaped_text_is_folded_after_escaping() {
        let mut lines = Lines::default();
        lines.text("DESCRIPTION", &"a,b;".repeat(30));
        let text = lines.into_string();
        assert!(text.split("\r\n").all(|p| p.len() <= 75));
        assert_eq!(
            unfold(&text),
            format!("DESCRIPTION:{}\r\n", r"a\,b\;".repeat(30))
        );
    }

    #[test]
    fn dates_are_basic_format_with_value_date() {
        let mut lines = Lines::default();
        lines.date("DTSTART", jiff::civil::date(2019, 1, 7));
        assert_eq!(lines.into_string(), "DTSTART;VALUE=DATE:20190107\r\n");
    }
}
