//! Writes imported services as inventory YAML: new department files from scratch, and
//! updates of hand-edited files by line surgery, so a planner's comments, field order and
//! fields survive a re-import (docs/import.md, "Merging").
//!
//! The importer owns `resources`, `data_gib`, its own keys in `meta`, the suggested
//! move-group comment, and the dependencies it wrote in its own form
//! (`- {service: X, order: O, traffic: N}` with the order it would write now). Everything
//! else in a file is the planner's and is copied through byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::existing::{Existing, service_items};
use super::fields::{fmt_num, is_reserved};
use super::yaml::{Kind, Node};
use crate::model::{
    DraftDepartment, DraftEdge, DraftService, IMPORTED_META_KEYS, MetaValue, Order,
};

/// Marks the suggested move-group comment, so a re-import can replace it.
pub const SUGGESTION_MARK: &str = "# suggested by waveplan import:";

/// The files an import writes, and what the merge did that a planner should know.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Path → full new text, only for files that are new or change.
    pub files: BTreeMap<PathBuf, String>,
    /// Merge notes for the review, one line each.
    pub notes: Vec<String>,
}

/// Renders `drafts` into `dir`, merging into the files of `existing`.
#[must_use]
pub fn render_inventory(dir: &Path, existing: &Existing, drafts: &[DraftDepartment]) -> Rendered {
    let mut out = Rendered::default();
    let by_id: BTreeMap<&str, &DraftService> = drafts
        .iter()
        .flat_map(|d| d.services.iter())
        .filter(|s| s.existing)
        .map(|s| (s.id.as_str(), s))
        .collect();
    let mut used_files: BTreeSet<PathBuf> = existing.files.iter().map(|f| f.path.clone()).collect();
    let mut file_of_code: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in existing.files.iter().enumerate() {
        file_of_code.entry(f.code.as_str()).or_insert(i);
    }
    let mut appends: BTreeMap<usize, Vec<&DraftService>> = BTreeMap::new();
    for dept in drafts {
        let new: Vec<&DraftService> = dept.services.iter().filter(|s| !s.existing).collect();
        if new.is_empty() {
            continue;
        }
        if let Some(&i) = file_of_code.get(dept.code.as_str()) {
            appends.entry(i).or_default().extend(new);
        } else {
            let path = new_file_path(dir, &dept.code, &used_files);
            used_files.insert(path.clone());
            out.files.insert(path, render_new_file(dept, &new));
        }
    }
    for (i, file) in existing.files.iter().enumerate() {
        let appended = appends.get(&i).map_or(&[][..], Vec::as_slice);
        let merged = merge_file(&file.text, &file.tree, &by_id, appended, &mut out.notes);
        if merged != file.text {
            out.files.insert(file.path.clone(), merged);
        }
    }
    out
}

fn new_file_path(dir: &Path, code: &str, used: &BTreeSet<PathBuf>) -> PathBuf {
    let stem = code.to_lowercase();
    let mut path = dir.join(format!("{stem}.yaml"));
    let mut n = 2;
    while used.contains(&path) || path.exists() {
        path = dir.join(format!("{stem}-{n}.yaml"));
        n += 1;
    }
    path
}

fn render_new_file(dept: &DraftDepartment, services: &[&DraftService]) -> String {
    let mut s = String::new();
    // Editors check the file against the inventory schema (docs/editors.md); the path
    // assumes the inventory directory sits beside `schemas/`, as in a waveplan project.
    let _ = writeln!(s, "{}", super::schema::Format::Inventory.modeline(1));
    let _ = writeln!(
        s,
        "# Written by `waveplan import`. Edit freely: a re-import updates only resources, data_gib,"
    );
    let _ = writeln!(
        s,
        "# the dependencies it discovered and its own keys in `meta` (see docs/import.md)."
    );
    let _ = writeln!(s, "department:");
    let _ = writeln!(s, "  code: {}", dept.code);
    let _ = writeln!(s, "  name: {}", scalar(&dept.name));
    if let Some(l) = &dept.local_name {
        let _ = writeln!(s, "  local_name: {}", scalar(l));
    }
    let _ = writeln!(s, "services:");
    for svc in services {
        for line in render_service(svc, 2) {
            s.push_str(&line);
            s.push('\n');
        }
    }
    s
}

/// A new service as block YAML, its dash `dash` spaces in.
fn render_service(d: &DraftService, dash: usize) -> Vec<String> {
    let pad = " ".repeat(dash + 2);
    let mut lines = vec![format!("{}- id: {}", " ".repeat(dash), d.id)];
    lines.push(format!("{pad}name: {}", scalar(&d.name)));
    lines.push(format!("{pad}site: {}", d.site.as_str()));
    lines.push(format!("{pad}strategy: {}", d.strategy.as_str()));
    lines.push(format!("{pad}criticality: {}", d.criticality.as_str()));
    if let Some(r) = resources(d) {
        lines.push(format!("{pad}{r}"));
    }
    if let Some(v) = d.data_gib {
        lines.push(format!("{pad}data_gib: {}", num(v)));
    }
    if !d.effort.is_empty() {
        let parts: Vec<String> = d
            .effort
            .iter()
            .map(|(t, v)| format!("{t}: {}", num(*v)))
            .collect();
        lines.push(format!("{pad}effort: {{{}}}", parts.join(", ")));
    }
    lines.push(format!("{pad}duration_waves: {}", d.duration_waves));
    if !d.depends_on.is_empty() {
        lines.push(format!("{pad}depends_on:"));
        lines.extend(d.depends_on.iter().map(|e| edge_line(e, dash + 4)));
    }
    if let Some(line) = suggestion(d, dash + 2) {
        lines.push(line);
    }
    if !d.tags.is_empty() {
        let tags: Vec<String> = d.tags.iter().map(|t| scalar(t)).collect();
        lines.push(format!("{pad}tags: [{}]", tags.join(", ")));
    }
    lines.extend(meta_block(&d.meta, &[], dash + 2));
    lines
}

fn resources(d: &DraftService) -> Option<String> {
    let r = d.resources;
    let parts: Vec<String> = [
        ("vcpu", r.vcpu),
        ("memory_gib", r.memory_gib),
        ("storage_gib", r.storage_gib),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k}: {}", num(v))))
    .collect();
    (!parts.is_empty()).then(|| format!("resources: {{{}}}", parts.join(", ")))
}

/// The one line the importer writes for a discovered dependency.
fn edge_line(e: &DraftEdge, dash: usize) -> String {
    format!(
        "{}- {{service: {}, order: {}, traffic: {}}}",
        " ".repeat(dash),
        e.service,
        e.order.as_str(),
        num(e.traffic)
    )
}

fn suggestion(d: &DraftService, indent: usize) -> Option<String> {
    let (group, why) = d.suggested_move_group.as_ref()?;
    Some(format!(
        "{}# move_group: {group}  {SUGGESTION_MARK} {why}",
        " ".repeat(indent)
    ))
}

/// `meta:` with the importer's keys first, then the planner's own entries as written.
fn meta_block(meta: &[(String, MetaValue)], kept: &[String], indent: usize) -> Vec<String> {
    if meta.is_empty() && kept.is_empty() {
        return Vec::new();
    }
    let pad = " ".repeat(indent + 2);
    let mut lines = vec![format!("{}meta:", " ".repeat(indent))];
    for (k, v) in meta {
        let value = match v {
            MetaValue::Text(t) => scalar(t),
            MetaValue::Number(n) => num(*n),
            MetaValue::List(items) => {
                let items: Vec<String> = items.iter().map(|t| scalar(t)).collect();
                format!("[{}]", items.join(", "))
            }
        };
        lines.push(format!("{pad}{k}: {value}"));
    }
    lines.extend(kept.iter().cloned());
    lines
}

/// A number rounded to what a planner reads (two decimals), in plain decimal notation.
fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if !r.is_finite() || r <= 0.0 {
        return "0".to_owned();
    }
    fmt_num(r)
}

/// Text as a YAML scalar: plain when that is unambiguous, else double-quoted.
#[must_use]
pub fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_alphabetic())
        && !s.ends_with(' ')
        && !is_reserved(s)
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '/' | '(' | ')' | '+' | '&')
        });
    if plain {
        return s.to_owned();
    }
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(q, "\\u{:04x}", u32::from(c));
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

// ---- merging into an existing file -------------------------------------------------------

/// A file as lines (a `\r` stays on its line), with the line ending new lines get.
struct Lines {
    lines: Vec<String>,
    crlf: bool,
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        // `split` yields a final empty piece after the last newline; join puts it back.
        if lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        Self {
            lines,
            crlf: text.contains("\r\n"),
        }
    }

    fn text(&self, i: usize) -> &str {
        self.lines.get(i).map_or("", |l| l.trim_end_matches('\r'))
    }

    fn join(mut self, trailing_newline: bool) -> String {
        let mut s = self.lines.join("\n");
        if trailing_newline {
            s.push('\n');
        }
        self.lines.clear();
        s
    }

    fn ending(&self, line: String) -> String {
        if self.crlf { line + "\r" } else { line }
    }
}

fn indent_of(line: &str) -> Option<usize> {
    let t = line.trim_start_matches(' ');
    if t.is_empty() || t.starts_with('#') {
        None
    } else {
        Some(line.len() - t.len())
    }
}

/// The end (exclusive, 0-based) of the block that starts at line `start`: later lines
/// belong while they are indented at least `min_indent`; comments and blank lines in
/// between belong only if the block goes on after them.
fn block_end(lines: &Lines, start: usize, min_indent: usize) -> usize {
    let mut end = start + 1;
    let mut i = start + 1;
    while i < lines.lines.len() {
        match indent_of(lines.text(i)) {
            None => {}
            Some(n) if n >= min_indent => end = i + 1,
            Some(_) => break,
        }
        i += 1;
    }
    end
}

/// 0-based line of a node.
fn line0(n: &Node) -> usize {
    (n.line as usize).saturating_sub(1)
}

/// The block of one `key: value` entry of a mapping: its key line to its last line.
fn entry_block(lines: &Lines, key: &Node, value: &Node) -> (usize, usize) {
    let key_indent = (key.column as usize).saturating_sub(1);
    let min = if value.line > key.line {
        // A block sequence may sit at the key's own indentation.
        (key_indent + 1).min((value.column as usize).saturating_sub(1))
    } else {
        key_indent + 1
    };
    (line0(key), block_end(lines, line0(key), min))
}

/// One edit: replace lines `start..end` with `with`.
struct Edit {
    start: usize,
    end: usize,
    with: Vec<String>,
}

fn apply(lines: &mut Lines, mut edits: Vec<Edit>) {
    // Back to front, so earlier line numbers stay true; at one spot, insertions go last.
    edits.sort_by_key(|e| std::cmp::Reverse((e.start, e.end)));
    for e in edits {
        let with: Vec<String> = e.with.into_iter().map(|l| lines.ending(l)).collect();
        let end = e.end.min(lines.lines.len());
        let start = e.start.min(end);
        lines.lines.splice(start..end, with);
    }
}

fn merge_file(
    text: &str,
    tree: &Node,
    drafts: &BTreeMap<&str, &DraftService>,
    appended: &[&DraftService],
    notes: &mut Vec<String>,
) -> String {
    let mut lines = Lines::new(text);
    let mut edits = Vec::new();
    let items = service_items(tree);
    let mut dash = 2;
    let mut last_end = None;
    for item in items {
        let Some((start, end, key_indent)) = item_block(&lines, item) else {
            continue;
        };
        dash = key_indent.saturating_sub(2);
        // Comments right under the last service, indented like its fields, are its own.
        let mut own = end;
        while own < lines.lines.len()
            && lines.text(own).trim_start().starts_with('#')
            && lines.text(own).len() - lines.text(own).trim_start().len() >= key_indent
        {
            own += 1;
        }
        last_end = Some(own);
        let Some(id) = item.get("id").and_then(Node::as_str) else {
            continue;
        };
        let Some(draft) = drafts.get(id) else {
            continue;
        };
        if is_flow(&lines, item) {
            notes.push(format!(
                "`{id}` is written as a one-line mapping; it was not updated (write it in block style to let imports update it)"
            ));
            continue;
        }
        edits.extend(update_service(
            &lines, item, draft, start, end, key_indent, notes,
        ));
    }
    if !appended.is_empty() {
        let mut new_lines = Vec::new();
        for svc in appended {
            new_lines.extend(render_service(svc, dash));
        }
        match (last_end, get_entry(tree, "services")) {
            (Some(end), _) => edits.push(Edit {
                start: end,
                end,
                with: new_lines,
            }),
            (None, Some((key, _))) => {
                let at = line0(key);
                let mut with = vec!["services:".to_owned()];
                with.extend(new_lines);
                edits.push(Edit {
                    start: at,
                    end: at + 1,
                    with,
                });
            }
            (None, None) => {
                let at = lines.lines.len();
                let mut with = vec!["services:".to_owned()];
                with.extend(new_lines);
                edits.push(Edit {
                    start: at,
                    end: at,
                    with,
                });
            }
        }
    }
    if edits.is_empty() {
        return text.to_owned();
    }
    apply(&mut lines, edits);
    lines.join(true)
}

/// The key and value of `key` in a mapping node (the key for its line and column).
fn get_entry<'n>(node: &'n Node, key: &str) -> Option<(&'n Node, &'n Node)> {
    match &node.kind {
        Kind::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// A service item's lines `start..end` and the indentation of its keys.
fn item_block(lines: &Lines, item: &Node) -> Option<(usize, usize, usize)> {
    let Kind::Map(entries) = &item.kind else {
        return None;
    };
    let (first_key, _) = entries.first()?;
    let key_indent = (first_key.column as usize).saturating_sub(1);
    let start = line0(first_key);
    Some((start, block_end(lines, start, key_indent), key_indent))
}

fn is_flow(lines: &Lines, item: &Node) -> bool {
    let Kind::Map(entries) = &item.kind else {
        return true;
    };
    let Some((k, _)) = entries.first() else {
        return true;
    };
    let line = lines.text(line0(k));
    let col = (k.column as usize).saturating_sub(1);
    line.get(..col)
        .is_some_and(|before| before.trim_end().ends_with('{'))
        || entries.iter().skip(1).any(|(k2, _)| k2.line == k.line)
}

fn update_service(
    lines: &Lines,
    item: &Node,
    draft: &DraftService,
    start: usize,
    end: usize,
    key_indent: usize,
    notes: &mut Vec<String>,
) -> Vec<Edit> {
    let pad = " ".repeat(key_indent);
    let mut edits = Vec::new();
    let mut tail = Vec::new();
    let has = |key: &str| get_entry(item, key);

    match (resources(draft), has("resources")) {
        (Some(r), Some((k, v))) => {
            let merged = merged_resources(draft, v).unwrap_or(r);
            let (s, e) = entry_block(lines, k, v);
            edits.push(Edit {
                start: s,
                end: e,
                with: vec![format!("{pad}{merged}")],
            });
        }
        (Some(r), None) => tail.push(format!("{pad}{r}")),
        (None, _) => {}
    }
    match (draft.data_gib, has("data_gib")) {
        (Some(v), Some((k, val))) => {
            let (s, e) = entry_block(lines, k, val);
            edits.push(Edit {
                start: s,
                end: e,
                with: vec![format!("{pad}data_gib: {}", num(v))],
            });
        }
        (Some(v), None) => tail.push(format!("{pad}data_gib: {}", num(v))),
        (None, _) => {}
    }
    edits.extend(merge_edges(
        lines, item, draft, key_indent, &mut tail, notes,
    ));
    // The old suggestion goes (it may trail the service, among the comments that block_end
    // leaves to what follows); a new one is written unless the planner chose a group.
    let mut scan_end = end;
    while scan_end < lines.lines.len() && indent_of(lines.text(scan_end)).is_none() {
        scan_end += 1;
    }
    // The new suggestion takes the old one's place, so a re-import moves nothing; a service
    // that never had one gets it just before `meta`, as a new file has it.
    let mut pending = if has("move_group").is_none() {
        suggestion(draft, key_indent)
    } else {
        None
    };
    for i in start..scan_end {
        if lines.text(i).trim_start().starts_with("# move_group:")
            && lines.text(i).contains(SUGGESTION_MARK)
        {
            edits.push(Edit {
                start: i,
                end: i + 1,
                with: pending.take().into_iter().collect(),
            });
        }
    }
    match has("meta") {
        Some((k, v)) => {
            let kept = planner_meta(lines, v);
            let (s, e) = entry_block(lines, k, v);
            let mut with: Vec<String> = pending.take().into_iter().collect();
            with.extend(meta_block(&draft.meta, &kept, key_indent));
            edits.push(Edit {
                start: s,
                end: e,
                with,
            });
        }
        None => {
            tail.extend(pending.take());
            tail.extend(meta_block(&draft.meta, &[], key_indent));
        }
    }
    if !tail.is_empty() {
        edits.push(Edit {
            start: end,
            end,
            with: tail,
        });
    }
    edits
}

/// `resources` with what the sources know, keeping what they do not.
fn merged_resources(draft: &DraftService, old: &Node) -> Option<String> {
    let known = |key: &str| -> Option<f64> {
        let n = old.get(key)?;
        match n.kind {
            Kind::Number(v) => Some(v),
            _ => None,
        }
    };
    let r = draft.resources;
    let parts: Vec<String> = [
        ("vcpu", r.vcpu),
        ("memory_gib", r.memory_gib),
        ("storage_gib", r.storage_gib),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.or_else(|| known(k)).map(|v| format!("{k}: {}", num(v))))
    .collect();
    (!parts.is_empty()).then(|| format!("resources: {{{}}}", parts.join(", ")))
}

/// The planner's own `meta` entries, as written.
fn planner_meta(lines: &Lines, meta: &Node) -> Vec<String> {
    let Kind::Map(entries) = &meta.kind else {
        return Vec::new();
    };
    if entries
        .first()
        .is_some_and(|(k, _)| k.line == meta.line && is_inline(lines, k))
    {
        // A flow mapping `meta: {...}`: re-render the planner's scalar entries.
        return entries
            .iter()
            .filter(|(k, _)| !k.as_str().is_some_and(|k| IMPORTED_META_KEYS.contains(&k)))
            .filter_map(|(k, v)| {
                let key = k.as_str()?;
                let raw = v.raw.clone()?;
                Some(format!(
                    "{}{key}: {raw}",
                    " ".repeat((k.column as usize).saturating_sub(1))
                ))
            })
            .collect();
    }
    let mut out = Vec::new();
    for (k, v) in entries {
        if k.as_str().is_some_and(|k| IMPORTED_META_KEYS.contains(&k)) {
            continue;
        }
        let (s, e) = entry_block(lines, k, v);
        out.extend((s..e).map(|i| lines.text(i).to_owned()));
    }
    out
}

fn is_inline(lines: &Lines, key: &Node) -> bool {
    let line = lines.text(line0(key));
    let col = (key.column as usize).saturating_sub(1);
    line.get(..col).is_some_and(|b| b.contains('{'))
}

/// What an existing dependency entry says, when it is in the importer's own form.
fn imported_form(item: &Node) -> Option<(&str, Order, f64)> {
    let Kind::Map(entries) = &item.kind else {
        return None;
    };
    let keys: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_str()).collect();
    if keys != ["service", "order", "traffic"] {
        return None;
    }
    let service = item.get("service")?.as_str()?;
    let order = match item.get("order")?.as_str()? {
        "any" => Order::Any,
        "together-or-before" => Order::TogetherOrBefore,
        "strictly-before" => Order::StrictlyBefore,
        _ => return None,
    };
    let traffic = match item.get("traffic")?.kind {
        Kind::Number(v) => v,
        _ => return None,
    };
    Some((service, order, traffic))
}

fn target_of(item: &Node) -> Option<&str> {
    item.as_str()
        .or_else(|| item.get("service").and_then(Node::as_str))
}

fn merge_edges(
    lines: &Lines,
    item: &Node,
    draft: &DraftService,
    key_indent: usize,
    tail: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Vec<Edit> {
    let found: BTreeMap<&str, &DraftEdge> = draft
        .depends_on
        .iter()
        .map(|e| (e.service.as_str(), e))
        .collect();
    let Some((key, value)) = get_entry(item, "depends_on") else {
        if !draft.depends_on.is_empty() {
            tail.push(format!("{}depends_on:", " ".repeat(key_indent)));
            tail.extend(
                draft
                    .depends_on
                    .iter()
                    .map(|e| edge_line(e, key_indent + 2)),
            );
        }
        return Vec::new();
    };
    let items: &[Node] = match &value.kind {
        Kind::Seq(items) => items,
        _ => &[],
    };
    let mut present = BTreeSet::new();
    let mut edits = Vec::new();
    let block_style =
        items.iter().all(|i| i.line > key.line) && items.windows(2).all(|w| w[0].line < w[1].line);
    let mut kept_flow = Vec::new();
    let mut dash = key_indent + 2;
    let mut last_end = None;
    for it in items {
        let Some(target) = target_of(it) else {
            continue;
        };
        present.insert(target.to_owned());
        let span = block_style.then(|| {
            let s = line0(it);
            let dash_col = lines
                .text(s)
                .find("- ")
                .unwrap_or((it.column as usize).saturating_sub(1));
            (s, block_end(lines, s, dash_col + 1), dash_col)
        });
        if let Some((_, e, d)) = span {
            dash = d;
            last_end = Some(e);
        }
        let replacement = match imported_form(it) {
            Some((t, order, traffic)) => match found.get(t) {
                Some(e) if e.order == order => {
                    (e.traffic != traffic).then(|| Some(edge_line(e, dash)))
                }
                Some(_) => {
                    notes.push(format!(
                        "`{}` → `{t}`: kept the planner's order; traffic not updated",
                        draft.id
                    ));
                    None
                }
                None => {
                    notes.push(format!(
                        "`{}` → `{t}`: imported before, no longer seen in the flows: removed",
                        draft.id
                    ));
                    Some(None)
                }
            },
            None => {
                if found.contains_key(target) {
                    notes.push(format!(
                        "`{}` → `{target}`: written by hand; kept as written",
                        draft.id
                    ));
                }
                None
            }
        };
        match (span, replacement) {
            (Some((s, e, _)), Some(r)) => edits.push(Edit {
                start: s,
                end: e,
                with: r.into_iter().collect(),
            }),
            (None, r) => {
                let line = match r {
                    Some(Some(l)) => Some(l),
                    Some(None) => None,
                    None => Some(render_entry(it, key_indent + 2)),
                };
                kept_flow.extend(line);
            }
            (Some(_), None) => {}
        }
    }
    let new: Vec<&DraftEdge> = draft
        .depends_on
        .iter()
        .filter(|e| !present.contains(&e.service))
        .collect();
    if block_style && !items.is_empty() {
        let removed = edits.iter().filter(|e| e.with.is_empty()).count();
        if removed == items.len() && new.is_empty() {
            // Every entry was an imported dependency the flows no longer show: no list left.
            let (s, e) = entry_block(lines, key, value);
            return vec![Edit {
                start: s,
                end: e,
                with: Vec::new(),
            }];
        }
        if let Some(end) = last_end
            && !new.is_empty()
        {
            edits.push(Edit {
                start: end,
                end,
                with: new.iter().map(|e| edge_line(e, dash)).collect(),
            });
        }
        return edits;
    }
    // A flow list (or an empty one) is rewritten in block style.
    if kept_flow.is_empty() && new.is_empty() {
        return edits;
    }
    let (s, e) = entry_block(lines, key, value);
    let mut with = vec![format!("{}depends_on:", " ".repeat(key_indent))];
    with.extend(kept_flow);
    with.extend(new.iter().map(|e| edge_line(e, key_indent + 2)));
    edits.push(Edit {
        start: s,
        end: e,
        with,
    });
    edits
}

/// A planner's dependency entry from a flow list, re-written on its own line.
fn render_entry(item: &Node, dash: usize) -> String {
    let pad = " ".repeat(dash);
    match &item.kind {
        Kind::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .filter_map(|(k, v)| Some(format!("{}: {}", k.as_str()?, v.raw.clone()?)))
                .collect();
            format!("{pad}- {{{}}}", parts.join(", "))
        }
        _ => format!("{pad}- {}", item.raw.clone().unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::load::yaml::Sources;
    use crate::model::{Criticality, DraftResources, MetaValue, Site, Strategy};

    fn draft(id: &str) -> DraftService {
        DraftService {
            id: id.to_owned(),
            existing: true,
            name: id.to_owned(),
            site: Site::Datacenter,
            strategy: Strategy::Rehost,
            criticality: Criticality::Medium,
            resources: DraftResources {
                vcpu: Some(8.0),
                memory_gib: None,
                storage_gib: Some(100.0),
            },
            data_gib: Some(12.5),
            effort: BTreeMap::new(),
            duration_waves: 1,
            depends_on: vec![DraftEdge {
                service: "b".to_owned(),
                order: Order::Any,
                traffic: 7.0,
            }],
            suggested_move_group: Some((
                "g".to_owned(),
                "2 services keep 90% of their traffic inside".to_owned(),
            )),
            tags: Vec::new(),
            meta: vec![("hosts".to_owned(), MetaValue::List(vec!["a-01".to_owned()]))],
        }
    }

    fn merge(text: &str, d: &DraftService, appended: &[&DraftService]) -> (String, Vec<String>) {
        let mut sources = Sources::default();
        let src = sources.add(Path::new("x.yaml"), text.to_owned());
        let tree = sources.parse(src).unwrap();
        let by_id = BTreeMap::from([(d.id.as_str(), d)]);
        let mut notes = Vec::new();
        (merge_file(text, &tree, &by_id, appended, &mut notes), notes)
    }

    #[test]
    fn a_merge_touches_only_what_the_importer_owns() {
        let text = "department: {code: X, name: X}\nservices:\n# first\n- id: a   # mine\n  name: A\n  resources:\n    vcpu: 2\n    memory_gib: 16\n  # planner note\n  depends_on:\n  - c  # by hand\n  - {service: b, order: any, traffic: 3}\n  - {service: gone, order: any, traffic: 1}\n  meta:\n    hosts: [old]\n    owner: me\n- id: c\n  name: C\n";
        let (out, notes) = merge(text, &draft("a"), &[]);
        let expected = "department: {code: X, name: X}\nservices:\n# first\n- id: a   # mine\n  name: A\n  resources: {vcpu: 8, memory_gib: 16, storage_gib: 100}\n  # planner note\n  depends_on:\n  - c  # by hand\n  - {service: b, order: any, traffic: 7}\n  # move_group: g  # suggested by waveplan import: 2 services keep 90% of their traffic inside\n  meta:\n    hosts: [a-01]\n    owner: me\n  data_gib: 12.5\n- id: c\n  name: C\n";
        assert_eq!(out, expected);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("`gone`"), "{notes:?}");
        // Merging the result again changes nothing.
        let (again, _) = merge(&out, &draft("a"), &[]);
        assert_eq!(again, out);
    }

    #[test]
    fn crlf_files_stay_crlf_and_flow_lists_become_blocks() {
        let text = "department:\r\n  code: X\r\n  name: X\r\nservices:\r\n  - id: a\r\n    name: A\r\n    depends_on: [c, {service: d, order: strictly-before}]\r\n";
        let (out, _) = merge(text, &draft("a"), &[]);
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(out.contains("    depends_on:\r\n      - c\r\n      - {service: d, order: strictly-before}\r\n      - {service: b, order: any, traffic: 7}\r\n"), "{out:?}");
    }

    #[test]
    fn new_services_are_appended_at_the_list_s_indentation() {
        let text = "department:\n  code: X\n  name: X\nservices:\n  - id: a\n    name: A\n\n# trailing comment\n";
        let mut new = draft("n");
        new.existing = false;
        let (out, _) = merge(text, &draft("zz"), &[&new]);
        assert!(out.starts_with("department:\n  code: X\n  name: X\nservices:\n  - id: a\n    name: A\n  - id: n\n    name: n\n"), "{out}");
        assert!(out.ends_with("\n# trailing comment\n"), "{out}");
        let empty = "department: {code: X, name: X}\nservices: []\n";
        let (out, _) = merge(empty, &draft("zz"), &[&new]);
        assert!(out.contains("services:\n  - id: n\n"), "{out}");
    }

    #[test]
    fn one_line_services_are_left_alone_and_said_so() {
        let text =
            "department: {code: X, name: X}\nservices:\n  - {id: a, name: A, site: datacenter}\n";
        let (out, notes) = merge(text, &draft("a"), &[]);
        assert_eq!(out, text);
        assert!(notes[0].contains("one-line mapping"), "{notes:?}");
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("Tax Portal (web)"), "Tax Portal (web)");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("10.0.0.1"), "\"10.0.0.1\"");
        assert_eq!(scalar("a: b # c"), "\"a: b # c\"");
        assert_eq!(scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        assert_eq!(scalar("財政局"), "財政局");
    }
}
