//! Typed reading of node trees: each helper checks one kind of value and reports a located
//! diagnostic (then returns `None`) instead of stopping, so one run lists every problem.

use jiff::civil::Date;

use super::diag::Diagnostics;
use super::yaml::{Kind, Loc, Node, Sources};
use crate::model::{Limit, MAX_WAVES};

/// Words YAML 1.1 readers take for booleans or null; never valid as names.
pub(crate) const RESERVED: [&str; 7] = ["null", "true", "false", "yes", "no", "on", "off"];

/// Collects diagnostics while converting nodes.
pub struct Reader<'a> {
    /// Where nodes come from.
    pub sources: &'a Sources,
    /// What went wrong so far.
    pub diags: Diagnostics,
}

/// `key: value` when `text` is `key:value`, a key and a value glued by a colon with no space
/// (not a time like `10:30` or a URL: the key must start with a letter and the value must
/// not start with `/`).
fn glued(text: &str) -> Option<String> {
    let (k, v) = text.split_once(':')?;
    let key_like = k.starts_with(|c: char| c.is_ascii_alphabetic())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    (key_like && !v.is_empty() && !v.starts_with([' ', '/'])).then(|| format!("{k}: {v}"))
}

/// A mapping being read field by field; unread fields are reported by [`Reader::finish`].
pub struct MapFields<'n> {
    entries: Vec<(&'n str, &'n Node, &'n Node, bool)>,
    /// The mapping node itself.
    pub node: &'n Node,
    what: String,
}

impl<'a> Reader<'a> {
    /// A reader over `sources`.
    #[must_use]
    pub fn new(sources: &'a Sources) -> Self {
        Self {
            sources,
            diags: Diagnostics::default(),
        }
    }

    /// Records an error at `node`.
    pub fn error(&mut self, node: impl Into<Loc>, kind: &'static str, message: String, hint: &str) {
        let mut d = self.sources.at(node, kind, message);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.diags.push(d);
    }

    /// Records a warning at `node`.
    pub fn warn(&mut self, node: impl Into<Loc>, kind: &'static str, message: String, hint: &str) {
        let mut d = self.sources.at(node, kind, message).warning();
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.diags.push(d);
    }

    fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        let hint = match node.as_str().and_then(glued) {
            // `effort:` then `app:3` on the next line is the text `app:3`.
            Some(fixed) => format!(
                "YAML needs a space after the colon: `{fixed}`, not `{}`",
                node.as_str().unwrap_or_default()
            ),
            None => format!("write {what} as {expected}"),
        };
        self.error(
            node,
            "wrong-type",
            format!("{what} must be {expected}, found {}", describe(node)),
            &hint,
        );
    }

    /// Opens a mapping (`what` names it in messages, e.g. ``service `x` ``).
    pub fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<MapFields<'n>> {
        match &node.kind {
            Kind::Map(entries) => {
                let mut fields = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    match k.as_str() {
                        Some(key) if matches!(v.kind, Kind::Null) && glued(key).is_some() => {
                            // `{app:3}` is the key `app:3` with no value, not `app` = 3.
                            let fixed = glued(key).unwrap_or_default();
                            self.error(
                                k,
                                "missing-space",
                                format!("`{key}` in {what} reads as one key with no value: YAML needs a space after the colon"),
                                &format!("write `{fixed}`"),
                            );
                            fields.push((key, k, v, true));
                        }
                        Some(key) => fields.push((key, k, v, false)),
                        None => self.error(
                            k,
                            "wrong-type",
                            format!("keys in {what} must be text, found {}", describe(k)),
                            "write keys as plain words, e.g. `name:`",
                        ),
                    }
                }
                Some(MapFields {
                    entries: fields,
                    node,
                    what: what.to_owned(),
                })
            }
            _ => {
                self.wrong_type(node, what, "a mapping");
                None
            }
        }
    }

    /// Reports every field nobody asked for: a typo must not be silently ignored.
    pub fn finish(&mut self, fields: MapFields<'_>, known: &[&str]) {
        // `known` is also what the JSON Schema lists for this mapping (`schema.rs`): a field
        // read here but missing there would be marked unknown by every editor using it.
        debug_assert!(
            fields.entries.iter().all(|e| !e.3 || known.contains(&e.0)),
            "a field read from {} is missing from its known fields",
            fields.what
        );
        for (key, k, _, used) in fields.entries {
            if !used {
                let hint = closest(key, known).map_or_else(
                    || format!("known fields here: {}", known.join(", ")),
                    |c| format!("did you mean `{c}`?"),
                );
                self.error(
                    k,
                    "unknown-field",
                    format!("unknown field `{key}` in {}", fields.what),
                    &hint,
                );
            }
        }
    }

    /// A required text value.
    pub fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            Kind::Str(s) => Some(s.clone()),
            // A plain number or boolean where free text is expected is still meant as text.
            Kind::Number(_) | Kind::Bool(_) if !matches!(node.raw.as_deref(), None | Some("")) => {
                node.raw.clone()
            }
            _ => {
                self.wrong_type(node, what, "text");
                None
            }
        }
    }

    /// A name matching `^[a-z][a-z0-9._-]{0,63}$` and not a reserved word.
    pub fn id(&mut self, node: &Node, what: &str) -> Option<String> {
        let s = self.name_text(node, what)?;
        if !is_id(&s) {
            let hint = if s.chars().any(|c| c.is_ascii_uppercase()) {
                format!("ids are lowercase: `{}`", s.to_ascii_lowercase())
            } else {
                "start with a lowercase letter; then use only a-z, 0-9, `.`, `_`, `-`; at most 64 characters".to_owned()
            };
            self.error(
                node,
                "bad-id",
                format!("{what} `{s}` is not a valid id"),
                &hint,
            );
            return None;
        }
        Some(s)
    }

    /// A department code matching `^[A-Z][A-Z0-9-]{1,15}$` and not a reserved word.
    pub fn code(&mut self, node: &Node, what: &str) -> Option<String> {
        let s = self.name_text(node, what)?;
        if !is_code_shape(&s) {
            let upper = s.to_ascii_uppercase();
            let hint = if is_code_shape(&upper) {
                format!("codes are upper case: did you mean `{upper}`?")
            } else {
                "codes are 2-16 characters: an uppercase letter, then A-Z, 0-9 or `-`".to_owned()
            };
            self.error(
                node,
                "bad-code",
                format!("{what} `{s}` is not a valid department code"),
                &hint,
            );
            return None;
        }
        Some(s)
    }

    /// A free-form name (team, move group) that must not be a reserved word.
    pub fn name(&mut self, node: &Node, what: &str) -> Option<String> {
        let s = self.name_text(node, what)?;
        if s.is_empty() {
            self.error(
                node,
                "bad-name",
                format!("{what} is empty"),
                "give it a name",
            );
            return None;
        }
        Some(s)
    }

    fn name_text(&mut self, node: &Node, what: &str) -> Option<String> {
        // Reserved words are checked on the raw text: a YAML 1.1 reader would see `yes` as a
        // boolean even though we read it as text.
        let s = match &node.kind {
            Kind::Str(s) => s.clone(),
            Kind::Bool(_) | Kind::Null if node.raw.is_some() => {
                node.raw.clone().unwrap_or_default()
            }
            _ => {
                self.wrong_type(node, what, "text");
                return None;
            }
        };
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&s)) {
            self.error(
                node,
                "reserved-word",
                format!("{what} `{s}` is a reserved word"),
                "null, true, false, yes, no, on and off (in any case) are read as other types by YAML 1.1 tools; choose another name",
            );
            return None;
        }
        Some(s)
    }

    /// A non-negative decimal in plain notation.
    pub fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        let Kind::Number(v) = node.kind else {
            self.wrong_type(node, what, "a number");
            return None;
        };
        if let Some(raw) = node.raw.as_deref()
            && !is_plain_decimal(raw)
        {
            self.error(
                    node,
                    "bad-number",
                    format!("{what} `{raw}` is not written in plain decimal notation"),
                    "write digits with an optional fraction, e.g. `1500` or `2.5` (no exponent, `_`, leading zeros, hex or octal)",
                );
            return None;
        }
        if !v.is_finite() || v.abs() > 1e15 {
            self.error(
                node,
                "bad-number",
                format!("{what} is too large"),
                "use a number below 10^15",
            );
            return None;
        }
        if v < 0.0 {
            self.error(
                node,
                "negative-number",
                format!("{what} must not be negative, found {}", fmt_num(v)),
                "numbers here are sizes and counts: use 0 or more",
            );
            return None;
        }
        Some(v)
    }

    /// A non-negative integer count, at most `u32::MAX`.
    pub fn count(&mut self, node: &Node, what: &str) -> Option<u32> {
        let v = self.number(node, what)?;
        if v.fract() != 0.0 || node.raw.as_deref().is_some_and(|r| r.contains('.')) {
            self.error(
                node,
                "not-an-integer",
                format!("{what} must be a whole number, found {}", describe(node)),
                "counts are whole numbers, e.g. `2`",
            );
            return None;
        }
        if v > f64::from(u32::MAX) {
            self.error(
                node,
                "bad-number",
                format!("{what} is too large"),
                "use a number below 4294967296",
            );
            return None;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked whole and in range above"
        )]
        Some(v as u32)
    }

    /// A count that must be at least 1.
    pub fn positive_count(&mut self, node: &Node, what: &str) -> Option<u32> {
        let v = self.count(node, what)?;
        if v == 0 {
            self.error(
                node,
                "zero-count",
                format!("{what} must be at least 1, found 0"),
                "a count of waves or services starts at 1",
            );
            return None;
        }
        Some(v)
    }

    /// A wave count or wave number: at least 1 and at most [`MAX_WAVES`], so no later
    /// layer sizes a table or adds waves beyond it.
    pub fn wave_count(&mut self, node: &Node, what: &str) -> Option<u32> {
        let v = self.positive_count(node, what)?;
        if v > MAX_WAVES {
            self.error(
                node,
                "too-many-waves",
                format!("{what} is {v}; waveplan plans at most {MAX_WAVES} waves"),
                "waves are counted in waves, not days; 10,000 two-week waves are about 380 years",
            );
            return None;
        }
        Some(v)
    }

    /// A capacity: a non-negative number, or `unlimited` (returned as `Some(None)`).
    pub fn capacity(&mut self, node: &Node, what: &str) -> Option<Limit<f64>> {
        if node.as_str() == Some("unlimited") {
            return Some(Limit::Unlimited);
        }
        if let Kind::Str(s) = &node.kind {
            self.error(
                node,
                "wrong-type",
                format!("{what} must be a number or `unlimited`, found `{s}`"),
                "write a number, e.g. `20`, or the word `unlimited`",
            );
            return None;
        }
        self.number(node, what).map(Limit::At)
    }

    /// A count capacity: a non-negative integer, or `unlimited`.
    pub fn count_capacity(&mut self, node: &Node, what: &str) -> Option<Limit<u32>> {
        if node.as_str() == Some("unlimited") {
            return Some(Limit::Unlimited);
        }
        if let Kind::Str(s) = &node.kind {
            self.error(
                node,
                "wrong-type",
                format!("{what} must be a whole number or `unlimited`, found `{s}`"),
                "write a whole number, e.g. `4`, or the word `unlimited`",
            );
            return None;
        }
        self.count(node, what).map(Limit::At)
    }

    /// A `YYYY-MM-DD` date that exists.
    pub fn date(&mut self, node: &Node, what: &str) -> Option<Date> {
        let s = match &node.kind {
            Kind::Str(s) => s.as_str(),
            _ => {
                self.wrong_type(node, what, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        let parsed = if shape_ok {
            s.parse::<Date>().ok()
        } else {
            None
        };
        if parsed.is_none() {
            let hint = if shape_ok {
                "that day does not exist in the calendar"
            } else {
                "write dates as YYYY-MM-DD, e.g. 2019-03-01"
            };
            self.error(
                node,
                "bad-date",
                format!("{what} `{s}` is not a valid date"),
                hint,
            );
        }
        parsed
    }

    /// A boolean.
    pub fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        if let Kind::Bool(b) = node.kind {
            Some(b)
        } else {
            self.wrong_type(node, what, "`true` or `false`");
            None
        }
    }

    /// One of a fixed set of words.
    pub fn choice<T: Copy>(&mut self, node: &Node, what: &str, options: &[(&str, T)]) -> Option<T> {
        let s = node
            .as_str()
            .map(str::to_owned)
            .or_else(|| node.raw.clone());
        if let Some(s) = s
            && let Some((_, v)) = options.iter().find(|(name, _)| *name == s)
        {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let found = describe(node);
        let hint = node.as_str().and_then(|s| closest(s, &names)).map_or_else(
            || format!("use one of: {}", names.join(", ")),
            |c| format!("did you mean `{c}`?"),
        );
        self.error(
            node,
            "bad-value",
            format!("{what} must be one of {}, found {found}", names.join(" | ")),
            &hint,
        );
        None
    }

    /// A list (null reads as empty, SPEC 2).
    pub fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            Kind::Null => Some(&[]),
            _ => {
                self.wrong_type(node, what, "a list");
                None
            }
        }
    }
}

impl<'n> MapFields<'n> {
    /// Changes how the mapping is named in messages (once its id is known).
    pub fn rename(&mut self, what: &str) {
        what.clone_into(&mut self.what);
    }

    /// Takes a field; a YAML null counts as absent.
    pub fn get(&mut self, key: &str) -> Option<&'n Node> {
        let entry = self.entries.iter_mut().find(|e| e.0 == key)?;
        entry.3 = true;
        if entry.2.is_null() {
            None
        } else {
            Some(entry.2)
        }
    }

    /// Every entry not yet taken, in document order (for maps with free keys).
    pub fn rest(&mut self) -> Vec<(&'n str, &'n Node, &'n Node)> {
        let mut out = Vec::new();
        for e in &mut self.entries {
            if !e.3 {
                e.3 = true;
                out.push((e.0, e.1, e.2));
            }
        }
        out
    }
}

impl Reader<'_> {
    /// A required field: reports it missing at the mapping.
    pub fn required<'n>(&mut self, fields: &mut MapFields<'n>, key: &str) -> Option<&'n Node> {
        let v = fields.get(key);
        if v.is_none() {
            let node = fields.node;
            let what = fields.what.clone();
            self.error(
                node,
                "missing-field",
                format!("{what} has no `{key}`"),
                &format!("add `{key}:`; it is required"),
            );
        }
        v
    }
}

/// Whether `s` is one of the reserved words, in any case.
#[must_use]
pub fn is_reserved(s: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

/// Whether `s` is a valid service id / scenario name.
#[must_use]
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

/// Whether `s` has the shape of a department code, `^[A-Z][A-Z0-9-]{1,15}$` (reserved words
/// are checked apart).
#[must_use]
pub(crate) fn is_code_shape(s: &str) -> bool {
    s.len() >= 2
        && s.len() <= 16
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// Plain decimal: optional `-`, no leading zeros, optional fraction; nothing else.
fn is_plain_decimal(raw: &str) -> bool {
    let s = raw.strip_prefix('-').unwrap_or(raw);
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let int_ok = int == "0"
        || (!int.is_empty() && !int.starts_with('0') && int.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok
}

/// A value as the user wrote it, for messages.
#[must_use]
pub fn describe(node: &Node) -> String {
    match (&node.kind, node.raw.as_deref()) {
        (Kind::Seq(_) | Kind::Map(_) | Kind::Null, _) => node.type_name().to_owned(),
        (_, Some(raw)) if !raw.is_empty() => format!("`{}`", truncate(raw)),
        (Kind::Str(s), _) => format!("`{}`", truncate(s)),
        _ => node.type_name().to_owned(),
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// Formats a number without a needless `.0`.
#[must_use]
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The known word closest to a typo, if one is close enough to suggest: one that differs
/// only in case first (`DBA` for `dba` is the commonest slip), else the nearest by edit
/// distance, ignoring case. Ties go to the alphabetically first, so the hint is stable.
#[must_use]
pub fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = word.to_lowercase();
    if let Some(k) = known
        .iter()
        .filter(|k| **k != word && k.to_lowercase() == lower)
        .min()
    {
        return Some(k);
    }
    known
        .iter()
        .filter(|k| **k != word)
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len())
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_and_value_glued_by_a_colon() {
        assert_eq!(glued("app:3").as_deref(), Some("app: 3"));
        assert_eq!(glued("storage_gib:10").as_deref(), Some("storage_gib: 10"));
        for not in ["10:30", "http://x", "app:", "app: 3", "a b:c", "app"] {
            assert_eq!(glued(not), None, "{not}");
        }
    }

    #[test]
    fn plain_decimals_only() {
        for ok in ["0", "12", "1.5", "0.25", "-3"] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for bad in [
            "1e3", "010", "1_000", "0x10", "0o7", ".5", "1.", "+1", "inf",
        ] {
            assert!(!is_plain_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn ids_follow_the_pattern() {
        assert!(is_id("dsi-identity"));
        assert!(is_id("a.b_c-9"));
        assert!(!is_id("Dsi"));
        assert!(!is_id("9a"));
        assert!(!is_id("yes"));
        assert!(!is_id("NULL"));
        assert!(!is_id(&"a".repeat(65)));
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(
            closest("depend_on", &["depends_on", "duration_waves"]),
            Some("depends_on")
        );
        assert_eq!(closest("zzz", &["depends_on"]), None);
        assert_eq!(closest("DBA", &["app", "dba", "db"]), Some("dba"));
        assert_eq!(closest("Dbaa", &["app", "dba"]), Some("dba"));
        assert_eq!(closest("dba", &["dba"]), None, "never the word itself");
    }
}
