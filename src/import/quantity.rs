//! Numbers, sizes and counts as exports write them.
//!
//! Exports are written by hand and by tools in many locales: `16,384`, `16.384,5`, `16 384`,
//! `2,5`, `16 GB`, `n/a`. Each parser says whether a cell holds a value, says nothing
//! (`Unknown`: empty or a placeholder such as `n/a` or `tbd`) or holds something that is not
//! a number (`Invalid`), so the caller can tell a gap from a mistake.
//!
//! Units: `KB`, `MB`, `GB` and `TB` are read as binary multiples (1024-based), exactly like
//! `KiB`, `MiB`, `GiB` and `TiB`. Windows, VMware (RVTools) and the CMDB and spreadsheet
//! tools planners use write "MB" and "GB" for what are really MiB and GiB (a VM with
//! "4096 MB" has 4 GiB of memory), so reading them as decimal would turn every round
//! figure into an odd one.

/// Bytes in a GiB.
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Cell texts that mean "no value given" rather than a wrong value.
const UNKNOWN_WORDS: [&str; 9] = [
    "n/a", "na", "-", "--", "?", "unknown", "none", "null", "tbd",
];

/// Words that may follow a count of processors.
const COUNT_WORDS: [&str; 10] = [
    "vcpu", "vcpus", "cpu", "cpus", "core", "cores", "vcore", "vcores", "socket", "sockets",
];

/// A size unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Bytes.
    B,
    /// Kibibytes (1024 bytes).
    KiB,
    /// Mebibytes (1024 KiB).
    MiB,
    /// Gibibytes (1024 MiB).
    GiB,
    /// Tebibytes (1024 GiB).
    TiB,
    /// "Kilobytes" as tools write them: read as KiB.
    KB,
    /// "Megabytes" as tools write them: read as MiB.
    MB,
    /// "Gigabytes" as tools write them: read as GiB.
    GB,
    /// "Terabytes" as tools write them: read as TiB.
    TB,
}

impl Unit {
    /// How many bytes one of this unit is (KB, MB, GB, TB being binary; see the module doc).
    #[must_use]
    pub fn bytes(self) -> f64 {
        match self {
            Self::B => 1.0,
            Self::KiB | Self::KB => 1024.0,
            Self::MiB | Self::MB => 1024.0 * 1024.0,
            Self::GiB | Self::GB => GIB,
            Self::TiB | Self::TB => GIB * 1024.0,
        }
    }

    /// The unit a word names, any case (`MB`, `mib`, `g`, `bytes`); None for anything else.
    #[must_use]
    pub fn from_word(word: &str) -> Option<Self> {
        let unit = match word.to_ascii_lowercase().as_str() {
            "b" | "byte" | "bytes" => Self::B,
            "k" | "kb" => Self::KB,
            "kib" => Self::KiB,
            "m" | "mb" => Self::MB,
            "mib" => Self::MiB,
            "g" | "gb" => Self::GB,
            "gib" => Self::GiB,
            "t" | "tb" => Self::TB,
            "tib" => Self::TiB,
            _ => return None,
        };
        Some(unit)
    }
}

/// What a cell says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    /// A number.
    Value(f64),
    /// Nothing given: empty, or a placeholder such as `n/a`.
    Unknown,
    /// Something given that is not a number of the expected kind.
    Invalid,
}

impl Parsed {
    /// The number, if there is one.
    #[must_use]
    pub fn value(self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(v),
            Self::Unknown | Self::Invalid => None,
        }
    }
}

/// Parses a plain number as exports write it.
///
/// Empty and placeholders (`n/a`, `na`, `-`, `--`, `?`, `unknown`, `none`, `null`, `tbd`, any
/// case) are `Unknown`. Thousands separators may be `,` `.` spaces (also non-breaking and thin)
/// or apostrophes; the decimal mark `.` or `,`. When both `,` and `.` appear the last is the
/// decimal mark; a lone `,` followed by exactly three digits is a thousands separator
/// (`16,384`), otherwise a decimal comma (`2,5`); a lone `.` is a decimal point, a repeated one
/// separates thousands (`1.234.567`). A leading `-` is accepted (the caller decides);
/// exponents, NaN and infinities are `Invalid`.
#[must_use]
pub fn number(text: &str) -> Parsed {
    let text = text.trim();
    if is_unknown(text) {
        return Parsed::Unknown;
    }
    parse_number(text).map_or(Parsed::Invalid, Parsed::Value)
}

/// Parses a size into GiB: the number may carry a unit suffix (`16 GB`, `16GB`, `512 MiB`, `1.5 TB`, `2048 mb`); without one, `default_unit` applies (from the column header). Unknown stays Unknown.
#[must_use]
pub fn gib(text: &str, default_unit: Unit) -> Parsed {
    let text = text.trim();
    if is_unknown(text) {
        return Parsed::Unknown;
    }
    let (digits, word) = split_suffix(text);
    let unit = if word.is_empty() {
        default_unit
    } else {
        match Unit::from_word(word) {
            Some(unit) => unit,
            None => return Parsed::Invalid,
        }
    };
    match number(digits) {
        Parsed::Value(v) => Parsed::Value(v * unit.bytes() / GIB),
        // "GB" alone is not a size.
        Parsed::Unknown | Parsed::Invalid => Parsed::Invalid,
    }
}

/// The unit a header names in brackets or as a suffix: `RAM (MB)` → MB, `Memory [GiB]` → GiB, `Provisioned MiB` → MiB, `Disk (GB)`, `In Use MiB`; None when the header names none.
///
/// Only the full unit names count as a suffix word (`Size KB`), never single letters, so
/// that a header such as `Column B` names no unit; inside brackets `(B)` and `(in GB)` do.
#[must_use]
pub fn header_unit(header: &str) -> Option<Unit> {
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some((_, rest)) = header.split_once(open)
            && let Some((inner, _)) = rest.split_once(close)
        {
            let inner = inner.trim();
            let inner = inner
                .strip_prefix("in ")
                .or_else(|| inner.strip_prefix("In "))
                .unwrap_or(inner);
            if let Some(unit) = Unit::from_word(inner.trim()) {
                return Some(unit);
            }
        }
    }
    let last = header
        .split(|c: char| !c.is_ascii_alphanumeric())
        .rfind(|word| !word.is_empty())?;
    Unit::from_word(last).filter(|_| last.len() >= 2)
}

/// Parses a count (vCPUs): a number that must be a non-negative whole number (`8`, `8.0`, `8 vCPU`, `8 cores`); else Invalid/Unknown.
#[must_use]
pub fn count(text: &str) -> Parsed {
    let text = text.trim();
    if is_unknown(text) {
        return Parsed::Unknown;
    }
    let (digits, word) = split_suffix(text);
    if !word.is_empty() && !COUNT_WORDS.contains(&word.to_ascii_lowercase().as_str()) {
        return Parsed::Invalid;
    }
    match number(digits) {
        Parsed::Value(v) if v >= 0.0 && v.fract() == 0.0 => Parsed::Value(v),
        Parsed::Value(_) | Parsed::Unknown | Parsed::Invalid => Parsed::Invalid,
    }
}

fn is_unknown(trimmed: &str) -> bool {
    trimmed.is_empty()
        || UNKNOWN_WORDS
            .iter()
            .any(|word| trimmed.eq_ignore_ascii_case(word))
}

/// Splits `16 GB` into `16` and `GB`; the word is empty when there is none.
fn split_suffix(text: &str) -> (&str, &str) {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    (digits.trim_end(), &text[digits.len()..])
}

/// A character that only ever groups digits.
fn is_group_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\'' | '\u{2019}'
    )
}

fn parse_number(text: &str) -> Option<f64> {
    let (negative, body) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || is_group_space(c))
    {
        return None;
    }
    let decimal = decimal_mark(body);
    let (int_part, frac_part) = match decimal {
        Some(mark) => body.rsplit_once(mark)?,
        None => (body, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit())
        || (int_part.is_empty() && frac_part.is_empty())
    {
        return None;
    }
    let mut clean = String::with_capacity(body.len() + 1);
    if negative {
        clean.push('-');
    }
    push_grouped(int_part, &mut clean)?;
    if !frac_part.is_empty() {
        clean.push('.');
        clean.push_str(frac_part);
    }
    clean.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Which of `,` and `.` is the decimal mark in `body`, if either is.
fn decimal_mark(body: &str) -> Option<char> {
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    match (commas, dots) {
        (0, 0) => None,
        (_, 0) => {
            let (before, after) = body.split_once(',')?;
            let groups_thousands = commas > 1
                || (after.len() == 3
                    && after.bytes().all(|b| b.is_ascii_digit())
                    && !before.contains(is_group_space)
                    && !before.trim_start_matches('0').is_empty());
            (!groups_thousands).then_some(',')
        }
        (0, _) => (dots == 1).then_some('.'),
        _ => {
            let last_comma = body.rfind(',')?;
            let last_dot = body.rfind('.')?;
            Some(if last_comma > last_dot { ',' } else { '.' })
        }
    }
}

/// Appends the digits of an integer part, checking any thousands grouping: one kind of
/// separator, a first group of one to three digits, then groups of exactly three.
fn push_grouped(int_part: &str, out: &mut String) -> Option<()> {
    let is_sep = |c: char| c == ',' || c == '.' || is_group_space(c);
    let mut separators = int_part.chars().filter(|&c| is_sep(c));
    if let Some(first) = separators.next() {
        let kind = |c: char| if is_group_space(c) { ' ' } else { c };
        if separators.any(|c| kind(c) != kind(first)) {
            return None;
        }
        for (i, group) in int_part.split(is_sep).enumerate() {
            let ok = if i == 0 {
                (1..=3).contains(&group.len())
            } else {
                group.len() == 3
            };
            if !ok {
                return None;
            }
        }
    }
    out.extend(int_part.chars().filter(char::is_ascii_digit));
    if int_part.is_empty() {
        out.push('0');
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: Parsed, want: f64) -> bool {
        matches!(got, Parsed::Value(v) if (v - want).abs() < 1e-9)
    }

    #[test]
    fn numbers() {
        let cases: &[(&str, Option<f64>)] = &[
            ("16384", Some(16384.0)),
            ("  42 ", Some(42.0)),
            ("2,5", Some(2.5)),
            ("0,75", Some(0.75)),
            ("0,750", Some(0.75)),
            ("16,384", Some(16384.0)),
            ("1,234,567", Some(1_234_567.0)),
            ("1.234,5", Some(1234.5)),
            ("16.384,5", Some(16384.5)),
            ("1,234.5", Some(1234.5)),
            ("1.5", Some(1.5)),
            ("16.384", Some(16.384)),
            ("1.234.567", Some(1_234_567.0)),
            ("16 384", Some(16384.0)),
            ("16\u{a0}384", Some(16384.0)),
            ("16\u{202f}384,5", Some(16384.5)),
            ("16'384", Some(16384.0)),
            ("16 384,5", Some(16384.5)),
            (".5", Some(0.5)),
            ("-3", Some(-3.0)),
            ("+3", Some(3.0)),
            ("007", Some(7.0)),
        ];
        for (text, want) in cases {
            let got = number(text);
            match want {
                Some(v) => assert!(close(got, *v), "{text:?} gave {got:?}, want {v}"),
                None => assert_eq!(got, Parsed::Invalid, "{text:?}"),
            }
        }
    }

    #[test]
    fn placeholders_are_unknown() {
        for text in [
            "", "  ", "n/a", "N/A", "na", "-", "--", "?", "Unknown", "NONE", "null", "TBD",
        ] {
            assert_eq!(number(text), Parsed::Unknown, "{text:?}");
            assert_eq!(gib(text, Unit::MB), Parsed::Unknown, "{text:?}");
            assert_eq!(count(text), Parsed::Unknown, "{text:?}");
        }
    }

    #[test]
    fn not_numbers_are_invalid() {
        for text in [
            "abc",
            "1e3",
            "1E3",
            "NaN",
            "inf",
            "-inf",
            "12abc",
            "1,2,3",
            "1.234,5,6",
            "1,23,456",
            "1 2",
            "1,234 567",
            ",",
            ".",
            "-",
            "1..2",
            "1,234.5.6",
            "--5",
            "0x10",
        ] {
            // "-" alone is a placeholder, not a number.
            let want = if text == "-" {
                Parsed::Unknown
            } else {
                Parsed::Invalid
            };
            assert_eq!(number(text), want, "{text:?}");
        }
    }

    #[test]
    fn sizes_in_gib() {
        let cases: &[(&str, Unit, f64)] = &[
            ("16 GB", Unit::MB, 16.0),
            ("16GB", Unit::MB, 16.0),
            ("16384", Unit::MB, 16.0),
            ("16,384", Unit::MB, 16.0),
            ("512 MiB", Unit::GB, 0.5),
            ("2048 mb", Unit::GB, 2.0),
            ("1.5 TB", Unit::GB, 1536.0),
            ("1,5 TiB", Unit::GB, 1536.0),
            ("8", Unit::GiB, 8.0),
            ("1048576 KB", Unit::GB, 1.0),
            ("1073741824", Unit::B, 1.0),
            ("2 g", Unit::MB, 2.0),
        ];
        for (text, unit, want) in cases {
            let got = gib(text, *unit);
            assert!(close(got, *want), "{text:?} in {unit:?} gave {got:?}");
        }
    }

    #[test]
    fn sizes_that_are_not() {
        for text in ["GB", "16 furlongs", "abc", "1e3 GB", "16 G B"] {
            assert_eq!(gib(text, Unit::GB), Parsed::Invalid, "{text:?}");
        }
    }

    #[test]
    fn header_units() {
        let cases: &[(&str, Option<Unit>)] = &[
            ("RAM (MB)", Some(Unit::MB)),
            ("Memory [GiB]", Some(Unit::GiB)),
            ("Provisioned MiB", Some(Unit::MiB)),
            ("Disk (GB)", Some(Unit::GB)),
            ("In Use MiB", Some(Unit::MiB)),
            ("Storage (TB) total", Some(Unit::TB)),
            ("memory_gb", Some(Unit::GB)),
            ("Size (in GB)", Some(Unit::GB)),
            ("Size (bytes)", Some(Unit::B)),
            ("Size (B)", Some(Unit::B)),
            ("Memory", None),
            ("Column B", None),
            ("CPUs (count)", None),
            ("VM", None),
            ("", None),
        ];
        for (header, want) in cases {
            assert_eq!(header_unit(header), *want, "{header:?}");
        }
    }

    #[test]
    fn counts() {
        let cases: &[(&str, Parsed)] = &[
            ("8", Parsed::Value(8.0)),
            ("8.0", Parsed::Value(8.0)),
            ("8,0", Parsed::Value(8.0)),
            ("8 vCPU", Parsed::Value(8.0)),
            ("8 cores", Parsed::Value(8.0)),
            ("16vCPUs", Parsed::Value(16.0)),
            ("0", Parsed::Value(0.0)),
            ("2.5", Parsed::Invalid),
            ("-2", Parsed::Invalid),
            ("8 GB", Parsed::Invalid),
            ("eight", Parsed::Invalid),
            ("vCPU", Parsed::Invalid),
        ];
        for (text, want) in cases {
            assert_eq!(count(text), *want, "{text:?}");
        }
    }

    #[test]
    fn binary_units_whatever_the_spelling() {
        assert_eq!(Unit::MB.bytes(), Unit::MiB.bytes());
        assert_eq!(Unit::TB.bytes(), 1024.0 * Unit::GB.bytes());
        assert_eq!(Parsed::Value(2.0).value(), Some(2.0));
        assert_eq!(Parsed::Invalid.value(), None);
    }
}
