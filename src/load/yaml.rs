//! The one place that calls the YAML parser: text in, a located node tree out.
//!
//! We parse into a generic tree (every node with its file, line, column and raw text) rather
//! than straight into typed structs, so that the typed conversion can report *every* wrong
//! field of a file in one run, check number spelling against the raw text, and point
//! semantic errors (a dangling dependency) at their line.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};

use super::diag::Diagnostic;
use super::unclosed;

/// Files larger than this are refused before parsing (documented in docs/reliability.md).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Deepest nesting accepted; our formats need fewer than ten levels.
pub const MAX_DEPTH: usize = 64;

/// A loaded source file, kept for excerpts in diagnostics.
#[derive(Debug)]
pub struct Source {
    /// Path as given.
    pub path: PathBuf,
    /// Text without the BOM.
    pub text: String,
    /// Byte offset where each line of `text` starts, built once so that locating a
    /// diagnostic costs no rescan of the file (40,000 findings in one file made validation
    /// quadratic), and only for a file that has a diagnostic: for every file it was 6 MiB
    /// of a 100,000-service load's peak (issue 12).
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl Source {
    /// Line `line` (1-based) without its line ending, exactly as `text.lines().nth(line - 1)`.
    #[must_use]
    pub fn line(&self, line: usize) -> Option<&str> {
        let i = line.checked_sub(1)?;
        let starts = self.line_starts.get_or_init(|| line_starts(&self.text));
        let start = *starts.get(i)? as usize;
        let end = starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        let l = self.text.get(start..end)?;
        // Same stripping as `str::lines`: a `\r` goes only together with its `\n`.
        Some(match l.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => l,
        })
    }
}

/// Byte offsets of the line starts of `text`, as many as `text.lines()` yields; `u32` is
/// enough because no file over [`MAX_FILE_BYTES`] is read.
fn line_starts(text: &str) -> Vec<u32> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut starts = vec![0];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(i, b)| b == b'\n' && i + 1 < text.len())
            .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
    );
    starts
}

/// Every source read in one run; nodes refer to them by index.
///
/// Each source is behind an [`Arc`](std::sync::Arc) so that what-if variants can share the
/// inventory's texts (read once per run) at the same indices without copying them, each
/// appending its own scenario and override sources after them.
#[derive(Debug, Default, Clone)]
pub struct Sources(pub Vec<std::sync::Arc<Source>>);

/// A scalar, sequence or mapping with where it came from.
#[derive(Debug, Clone)]
pub struct Node {
    /// The value.
    pub kind: Kind,
    /// Index in [`Sources`].
    pub src: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The scalar exactly as written (quotes included), when the parser gave its span.
    pub raw: Option<String>,
}

/// Where a node was: enough to locate a diagnostic after its tree has been dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    /// Index in [`Sources`].
    pub src: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl From<&Loc> for Loc {
    fn from(l: &Loc) -> Self {
        *l
    }
}

impl From<&Node> for Loc {
    fn from(n: &Node) -> Self {
        n.loc()
    }
}

/// Node payloads. Scalars keep the parser's typing; the raw text decides spelling questions.
#[derive(Debug, Clone)]
pub enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer or float as the parser read it.
    Number(f64),
    /// Text.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short name of the node's type for messages.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::Str(_) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    /// The string value of a text scalar.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key`, when this is a mapping that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Where the node was.
    #[must_use]
    pub fn loc(&self) -> Loc {
        Loc {
            src: self.src,
            line: self.line,
            column: self.column,
        }
    }

    /// Whether the value is YAML null (which SPEC 2 reads as "absent").
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
}

impl Sources {
    /// Adds a file's text and returns its index.
    pub fn add(&mut self, path: &Path, text: String) -> usize {
        self.0.push(std::sync::Arc::new(Source {
            path: path.to_path_buf(),
            line_starts: std::sync::OnceLock::new(),
            text,
        }));
        self.0.len() - 1
    }

    /// The path of source `src`.
    #[must_use]
    pub fn path(&self, src: usize) -> &Path {
        self.0
            .get(src)
            .map_or(Path::new("<input>"), |s| s.path.as_path())
    }

    /// A diagnostic located at `node`.
    #[must_use]
    pub fn at(
        &self,
        at: impl Into<Loc>,
        kind: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let at = at.into();
        self.at_pos(at.src, at.line, at.column, kind, message)
    }

    /// A diagnostic located at a line and column of source `src`.
    #[must_use]
    pub fn at_pos(
        &self,
        src: usize,
        line: u32,
        column: u32,
        kind: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::error(kind, message).in_file(self.path(src));
        d.line = line;
        d.column = column;
        d.source_line = self
            .0
            .get(src)
            .and_then(|s| s.line(line as usize))
            .map(str::to_owned);
        d
    }

    /// Parses source `src` into a node tree.
    ///
    /// # Errors
    /// A located diagnostic for a syntax error, a duplicate key, or a breached budget.
    pub fn parse(&self, src: usize) -> Result<Node, Diagnostic> {
        let text = self.0.get(src).map_or("", |s| s.text.as_str());
        if text.trim().is_empty()
            || text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Ok(Node {
                kind: Kind::Null,
                src,
                line: 1,
                column: 1,
                raw: None,
            });
        }
        let spanned = serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options())
            .map_err(|e| self.syntax_error(src, &e))?;
        Ok(convert(spanned, src, text))
    }

    fn syntax_error(&self, src: usize, e: &serde_saphyr::Error) -> Diagnostic {
        let (mut line, mut column, message) = parser_error(e);
        let is_tab = message.contains("a tab") || message.contains("tabs");
        let text = self.0.get(src).map_or("", |s| s.text.as_str());
        if is_tab {
            // The parser reports the scalar it was reading; the planner needs the tab itself.
            let from = line.saturating_sub(1) as usize;
            if let Some((i, l)) = text.lines().enumerate().skip(from).find(|(_, l)| {
                l.chars()
                    .take_while(|c| c.is_whitespace())
                    .any(|c| c == '\t')
            }) {
                line = u32::try_from(i + 1).unwrap_or(line);
                column =
                    u32::try_from(l.chars().position(|c| c == '\t').unwrap_or(0) + 1).unwrap_or(1);
            }
        }
        if !is_tab
            && line > 0
            && let Some(open) = unclosed::open_at(text, line, column).filter(|o| o.line < line)
        {
            // The parser notices a missing `}` or `]` where the next entry begins; the
            // planner left it out where the collection opened.
            let close = open.closer();
            return self
                .at_pos(
                    src,
                    open.line,
                    open.column,
                    "yaml-syntax",
                    format!(
                        "invalid YAML: this `{}` is never closed (the parser stopped at line {line}, column {column}: {message})",
                        open.bracket
                    ),
                )
                .hint(format!(
                    "end the {} with `{close}` (one written on a single line must close on it), or write it as a block, one entry per line",
                    open.what()
                ));
        }
        let hint = if message.contains("duplicate") {
            "each key may appear once in a mapping; merge the two entries"
        } else if is_tab {
            "YAML indentation must use spaces, not tabs"
        } else if message.contains("budget")
            || message.contains("depth")
            || message.contains("alias")
        {
            "the file is nested too deeply or expands too many aliases; write it out plainly"
        } else {
            "fix the YAML syntax at this spot (indentation with spaces, `key: value`, lists with `- `)"
        };
        let mut d = self.at_pos(
            src,
            line,
            column,
            "yaml-syntax",
            format!("invalid YAML: {message}"),
        );
        if line == 0 {
            d.source_line = None;
        }
        d.hint(hint)
    }
}

pub(crate) fn options() -> Options {
    let mut budget = Budget::default();
    // Large enough for a 100,000-service inventory in one file, small enough to stop
    // alias bombs and runaway nesting long before memory runs out.
    budget.max_events = 40_000_000;
    budget.max_nodes = 20_000_000;
    budget.max_total_scalar_bytes = 256 * 1024 * 1024;
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_documents = 1;
    let mut opts = Options::default();
    opts.budget = Some(budget);
    opts.duplicate_keys = DuplicateKeyPolicy::Error;
    // YAML 1.2: `yes`, `no`, `on`, `off` are text, not booleans.
    opts.strict_booleans = true;
    opts.with_snippet = false;
    opts
}

/// The parser-facing tree; converted to [`Node`] right after parsing.
enum RawNode {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "numbers above 2^53 are rejected later as too large"
    )]
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Number(v as f64))
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "numbers above 2^53 are rejected later as too large"
    )]
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(RawNode::Number(v as f64))
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "numbers above 2^53 are rejected later as too large"
    )]
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(RawNode::Number(v as f64))
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "numbers above 2^53 are rejected later as too large"
    )]
    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(RawNode::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<RawNode, E> {
        Ok(RawNode::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = a.next_element()? {
            items.push(x);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = a.next_entry()? {
            entries.push(entry);
        }
        Ok(RawNode::Map(entries))
    }
}

/// The place and the planner-facing message of a parser error: the parser prefixes
/// "error: line L column C: " and appends its option names and the position again; we print
/// the place ourselves and drop what is meant for programmers.
pub(crate) fn parser_error(e: &serde_saphyr::Error) -> (u32, u32, String) {
    let (line, column) = e.location().map_or((0, 0), |l| {
        (
            u32::try_from(l.line()).unwrap_or(0),
            u32::try_from(l.column()).unwrap_or(0),
        )
    });
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML");
    let message = first
        .trim_start_matches("error: ")
        .split_once(": ")
        .filter(|(head, _)| head.starts_with("line "))
        .map_or(first, |(_, rest)| rest);
    let message = message.split(", set ").next().unwrap_or(message);
    let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    (line, column, message.to_owned())
}

/// The scalar without a leading anchor (`&name `), so spelling checks see the value.
fn strip_properties(raw: &str) -> &str {
    match raw.strip_prefix('&') {
        Some(rest) => rest
            .split_once(char::is_whitespace)
            .map_or(raw, |(_, v)| v.trim_start()),
        None => raw,
    }
}

/// Turns the parser's tree into ours without recursion, so depth never touches the stack
/// beyond what the parser itself allowed.
fn convert(root: Spanned<RawNode>, src: usize, text: &str) -> Node {
    enum Frame {
        Seq(Node, std::vec::IntoIter<Spanned<RawNode>>, Vec<Node>),
        Map(
            Node,
            std::vec::IntoIter<(Spanned<RawNode>, Spanned<RawNode>)>,
            Vec<(Node, Node)>,
            Option<Node>,
        ),
    }
    let slice = |loc: &serde_saphyr::Location| {
        let (off, len) = loc.span().byte_offset().zip(loc.span().byte_len())?;
        let off = usize::try_from(off).ok()?;
        let len = usize::try_from(len).ok()?;
        text.get(off..off.checked_add(len)?).map(str::to_owned)
    };
    let located = |s: &Spanned<RawNode>| {
        let loc = s.referenced;
        let raw = match s.value {
            RawNode::Seq(_) | RawNode::Map(_) => None,
            // An alias (`*n`) is spelled where its anchor was defined.
            _ => slice(&loc)
                .filter(|r| !r.starts_with('*'))
                .or_else(|| slice(&s.defined))
                .map(|r| strip_properties(&r).to_owned()),
        };
        Node {
            kind: Kind::Null,
            src,
            line: u32::try_from(loc.line()).unwrap_or(0),
            column: u32::try_from(loc.column()).unwrap_or(0),
            raw,
        }
    };
    // Each step either finishes a scalar or opens a container frame.
    let open = |s: Spanned<RawNode>, stack: &mut Vec<Frame>| -> Option<Node> {
        let mut node = located(&s);
        match s.value {
            RawNode::Null => Some(node),
            RawNode::Bool(b) => {
                node.kind = Kind::Bool(b);
                Some(node)
            }
            RawNode::Number(n) => {
                node.kind = Kind::Number(n);
                Some(node)
            }
            RawNode::Str(t) => {
                node.kind = Kind::Str(t);
                Some(node)
            }
            RawNode::Seq(items) => {
                let n = items.len();
                stack.push(Frame::Seq(node, items.into_iter(), Vec::with_capacity(n)));
                None
            }
            RawNode::Map(entries) => {
                let n = entries.len();
                stack.push(Frame::Map(
                    node,
                    entries.into_iter(),
                    Vec::with_capacity(n),
                    None,
                ));
                None
            }
        }
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut done = open(root, &mut stack);
    loop {
        if let Some(finished) = done.take() {
            match stack.last_mut() {
                None => return finished,
                Some(Frame::Seq(_, _, out)) => out.push(finished),
                Some(Frame::Map(_, _, out, pending)) => match pending.take() {
                    None => *pending = Some(finished),
                    Some(key) => out.push((key, finished)),
                },
            }
        }
        let next = match stack.last_mut() {
            None => {
                return Node {
                    kind: Kind::Null,
                    src,
                    line: 1,
                    column: 1,
                    raw: None,
                };
            }
            Some(Frame::Seq(_, it, _)) => it.next(),
            Some(Frame::Map(_, it, _, pending)) => {
                if let Some((k, v)) = it.next() {
                    // The key is finished at once; the value is visited next.
                    let key = open(k, &mut Vec::new()).unwrap_or_else(|| Node {
                        kind: Kind::Str(String::new()),
                        src,
                        line: 0,
                        column: 0,
                        raw: None,
                    });
                    *pending = Some(key);
                    Some(v)
                } else {
                    None
                }
            }
        };
        match next {
            Some(child) => done = open(child, &mut stack),
            None => {
                done = match stack.pop() {
                    Some(Frame::Seq(mut node, _, out)) => {
                        node.kind = Kind::Seq(out);
                        Some(node)
                    }
                    Some(Frame::Map(mut node, _, out, _)) => {
                        node.kind = Kind::Map(out);
                        Some(node)
                    }
                    None => None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_lines_equal_str_lines() {
        let texts = [
            "",
            "\n",
            "a\nb\nc\n",
            "a\nb\nc",
            "a\r\nb\r\nc\r\n",
            "a\r\nb\r\nc",
            "a\r\n\r\n\nlast\r",
            "lone\rcr\n\n",
            "ünï\r\ncödé",
        ];
        for text in texts {
            let mut sources = Sources::default();
            let src = sources.add(Path::new("t.yaml"), text.to_owned());
            let source = &sources.0[src];
            for n in 1..=text.lines().count() + 2 {
                assert_eq!(source.line(n), text.lines().nth(n - 1), "{text:?} line {n}");
            }
            assert_eq!(source.line(0), None);
        }
    }
}
