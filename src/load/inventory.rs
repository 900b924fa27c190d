//! Reading the inventory directory: one department per file, typed but not yet cross-checked.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::diag::{Diagnostic, Diagnostics};
use super::fields::Reader;
use super::file_kind::FileKind;
use super::read::{ReadFailure, read_regular};
use super::yaml::{Loc, MAX_FILE_BYTES, Node, Sources};
use crate::model::{
    Criticality, DateRange, Effort, Limit, Order, Resources, Site, Status, Strategy,
};

/// A department as read, with the nodes later checks point at.
pub struct RawDepartment {
    pub code: String,
    pub code_node: Loc,
    pub name: String,
    pub local_name: Option<String>,
    pub max_cutovers_per_wave: Option<Limit<u32>>,
    pub blackouts: Vec<RawRange>,
    pub file: usize,
    /// How many entries `services` had, valid or not.
    pub listed: usize,
    pub services: Vec<RawService>,
}

/// A service as read; its edges still name their targets by id.
pub struct RawService {
    pub id: String,
    pub id_node: Loc,
    pub name: String,
    pub site: Site,
    pub strategy: Strategy,
    pub criticality: Criticality,
    pub resources: Resources,
    pub data_gib: f64,
    pub effort: Effort,
    pub duration_waves: u32,
    pub depends_on: Vec<RawEdge>,
    pub move_group: Option<(String, Loc)>,
    pub not_before: Option<(Date, Loc)>,
    pub deadline: Option<(Date, Loc)>,
    pub status: Status,
    pub migrated_on: Option<Date>,
    pub tags: Vec<String>,
}

/// A `{from, to, <label>}` date range as read (a freeze or a blackout), with the nodes a
/// later check points at.
pub struct RawRange {
    pub range: DateRange,
    /// `name` of a freeze, `reason` of a blackout.
    pub label: Option<String>,
    pub from_node: Loc,
    pub to_node: Loc,
}

/// An edge as read.
pub struct RawEdge {
    pub target: String,
    pub node: Loc,
    pub order: Option<Order>,
    pub order_node: Option<Loc>,
    pub traffic: f64,
    pub latency_sensitive: bool,
}

/// The inventory files in SPEC order: `*.yaml`/`*.yml` directly in `dir`, by name bytes.
///
/// # Errors
/// When the directory cannot be read or holds no inventory file.
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(
            "io",
            format!("cannot read inventory directory `{}`: {e}", dir.display()),
        )
        .hint("pass the directory holding the departments' .yaml files with -i DIR")
    })?;
    // Every `*.yaml` entry is kept, whatever it is: `read_text` then reports a dangling
    // symlink, a directory or a FIFO by name instead of the department vanishing silently.
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                "io",
                format!("cannot list inventory directory `{}`: {e}", dir.display()),
            )
        })?;
        let p = entry.path();
        let name = p
            .file_name()
            .map(|n| n.as_encoded_bytes())
            .unwrap_or_default();
        if name.ends_with(b".yaml") || name.ends_with(b".yml") {
            files.push(p);
        }
    }
    files.sort_by(|a, b| {
        let key = |p: &PathBuf| {
            p.file_name()
                .map(|n| n.as_encoded_bytes().to_vec())
                .unwrap_or_default()
        };
        key(a).cmp(&key(b))
    });
    if files.is_empty() {
        return Err(Diagnostic::error(
            "empty-inventory",
            format!("no inventory files (*.yaml, *.yml) in `{}`", dir.display()),
        )
        .hint("each department's inventory is one YAML file directly in this directory"));
    }
    Ok(files)
}

/// Reads a regular file as UTF-8 text (BOM removed) and whether it began with a BOM,
/// refusing other kinds of file and oversized or non-UTF-8 files.
///
/// # Errors
/// A diagnostic naming the file (and the line of the first bad byte for bad UTF-8).
pub fn read_text(path: &Path) -> Result<(String, bool), Diagnostic> {
    decode(path, read_bytes(path)?)
}

/// Reads a regular file's bytes, refusing other kinds of file and files over
/// [`MAX_FILE_BYTES`]: the disk half of [`read_text`].
///
/// # Errors
/// A diagnostic naming the file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_regular(path, MAX_FILE_BYTES).map_err(|f| {
        let message = f.describe(path, MAX_FILE_BYTES);
        match f {
            ReadFailure::NotRegular(_) => {
                Diagnostic::error("io", format!("{message}: give a YAML file")).in_file(path)
            }
            // No hint here: only inventory readers know splitting helps (`inventory_hint`).
            ReadFailure::TooLarge(_) => Diagnostic::error(TOO_LARGE, message).in_file(path),
            ReadFailure::Io(_) => Diagnostic::error("io", message).in_file(path),
        }
    })
}

/// A file's bytes as UTF-8 text (BOM removed) and whether it began with a BOM: the half of
/// [`read_text`] that in-memory inputs share with files read from disk.
///
/// The bytes become the text without a copy: a 42 MB inventory would otherwise be held
/// twice while it is hashed ([`hash_text`] hashes the original bytes from the text).
///
/// # Errors
/// A diagnostic naming `path` and the line and column of the first bad byte.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<(String, bool), Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            let bom = text.starts_with('\u{feff}');
            if bom {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok((text, bom))
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let good = &bytes[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            let mut d = Diagnostic::error("bad-encoding", "file is not valid UTF-8 text")
                .in_file(path)
                .hint("save the file as UTF-8 (spreadsheet exports often use another encoding)");
            d.line = u32::try_from(line).unwrap_or(0);
            d.column = u32::try_from(col).unwrap_or(0);
            Err(d)
        }
    }
}

/// Feeds a file's original bytes to `hasher`: its text, after the BOM when it had one.
pub(crate) fn hash_text(hasher: &mut sha2::Sha256, text: &str, bom: bool) {
    use sha2::Digest;
    if bom {
        hasher.update("\u{feff}".as_bytes());
    }
    hasher.update(text.as_bytes());
}

/// The kind of the diagnostic for a file over [`MAX_FILE_BYTES`].
pub(crate) const TOO_LARGE: &str = "file-too-large";

/// Adds the splitting hint to a too-large error of an inventory file (and only of one).
pub(crate) fn inventory_hint(d: Diagnostic) -> Diagnostic {
    if d.kind == TOO_LARGE {
        d.hint("split the inventory into one file per department")
    } else {
        d
    }
}

/// The top-level fields of a department file (SPEC 2).
pub(crate) const FILE_FIELDS: [&str; 2] = ["department", "services"];
/// The fields of `department:` (SPEC 2).
pub(crate) const DEPARTMENT_FIELDS: [&str; 6] = [
    "code",
    "name",
    "local_name",
    "max_cutovers_per_wave",
    "blackouts",
    "meta",
];
/// The fields of a blackout; the third is its label.
pub(crate) const BLACKOUT_FIELDS: [&str; 3] = ["from", "to", "reason"];
/// The fields of a service (SPEC 2).
pub(crate) const SERVICE_FIELDS: [&str; 17] = [
    "id",
    "name",
    "site",
    "strategy",
    "criticality",
    "resources",
    "data_gib",
    "effort",
    "duration_waves",
    "depends_on",
    "move_group",
    "not_before",
    "deadline",
    "status",
    "migrated_on",
    "tags",
    "meta",
];
/// The fields of a service's `resources`.
pub(crate) const RESOURCE_FIELDS: [&str; 3] = ["vcpu", "memory_gib", "storage_gib"];
/// The fields of a `depends_on` entry written as a mapping.
pub(crate) const EDGE_FIELDS: [&str; 4] = ["service", "order", "traffic", "latency_sensitive"];
/// The words of `site`.
pub(crate) const SITES: [(&str, Site); 3] = [
    ("datacenter", Site::Datacenter),
    ("pilot-cloud", Site::PilotCloud),
    ("production-cloud", Site::ProductionCloud),
];
/// The words of `strategy`.
pub(crate) const STRATEGIES: [(&str, Strategy); 6] = [
    ("rehost", Strategy::Rehost),
    ("replatform", Strategy::Replatform),
    ("refactor", Strategy::Refactor),
    ("repurchase", Strategy::Repurchase),
    ("retire", Strategy::Retire),
    ("retain", Strategy::Retain),
];
/// The words of `criticality`.
pub(crate) const CRITICALITIES: [(&str, Criticality); 4] = [
    ("critical", Criticality::Critical),
    ("high", Criticality::High),
    ("medium", Criticality::Medium),
    ("low", Criticality::Low),
];
/// The words of an edge's `order` and of `rules.dependency_order`.
pub(crate) const ORDERS: [(&str, Order); 3] = [
    ("together-or-before", Order::TogetherOrBefore),
    ("strictly-before", Order::StrictlyBefore),
    ("any", Order::Any),
];
/// The words of `status`.
pub(crate) const STATUSES: [(&str, Status); 2] =
    [("planned", Status::Planned), ("migrated", Status::Migrated)];

/// One error for a scenario or plan in the inventory directory: read as a department, it
/// would give one "unknown field" error per top-level key and none saying what is wrong.
fn not_an_inventory(r: &Reader<'_>, root: &Node) -> Option<Diagnostic> {
    let super::yaml::Kind::Map(entries) = &root.kind else {
        return None;
    };
    if root.get("department").is_some() {
        return None;
    }
    let kind = FileKind::of_keys(entries.iter().filter_map(|(k, _)| k.as_str()))
        .filter(|k| *k != FileKind::Inventory)?;
    let path = r.sources.0[root.src].path.display();
    let parent = r.sources.0[root.src]
        .path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    Some(
        r.sources
            .at(
                root,
                "not-an-inventory",
                format!("`{path}` is {}, not an inventory file", kind.name()),
            )
            .hint(format!(
                "every *.yaml in `{parent}` is read as a department: give -i the directory of department files (e.g. -i inventories), and keep scenarios and plans out of it (docs/inventory-format.md)"
            )),
    )
}

/// Reads one department file's tree.
pub fn read_department(r: &mut Reader<'_>, root: &Node, file: usize) -> Option<RawDepartment> {
    if root.is_null() {
        r.diags.push(
            r.sources
                .at(root, "empty-file", "inventory file is empty")
                .hint("an inventory file holds `department:` and `services:`; remove the file or fill it in"),
        );
        return None;
    }
    if let Some(d) = not_an_inventory(r, root) {
        r.diags.push(d);
        return None;
    }
    let mut top = r.map(root, "the inventory file")?;
    let dept_node = r.required(&mut top, "department");
    let services_node = top.get("services");
    r.finish(top, &FILE_FIELDS);
    let dept_node = dept_node?;
    let mut d = r.map(dept_node, "`department`")?;
    let code_node = r.required(&mut d, "code");
    let code = code_node.and_then(|n| r.code(n, "department code"));
    let name = r
        .required(&mut d, "name")
        .and_then(|n| r.text(n, "department name"));
    let local_name = d.get("local_name").and_then(|n| r.text(n, "local_name"));
    let max_cutovers_per_wave = d
        .get("max_cutovers_per_wave")
        .and_then(|n| r.count_capacity(n, "max_cutovers_per_wave"));
    let blackouts = d
        .get("blackouts")
        .map(|n| read_ranges(r, n, "blackouts", &BLACKOUT_FIELDS))
        .unwrap_or_default();
    // SPEC 2: checkers ignore `meta` whatever it holds (it is provenance for planners).
    let _ = d.get("meta");
    r.finish(d, &DEPARTMENT_FIELDS);

    let mut services = Vec::new();
    let mut listed = 0;
    if let Some(list) = services_node.and_then(|n| r.list(n, "`services`")) {
        listed = list.len();
        // Sized once: the raw services of every file are alive together until validation.
        services.reserve_exact(listed);
        for item in list {
            if let Some(s) = read_service(r, item) {
                services.push(s);
            }
        }
    }
    Some(RawDepartment {
        code: code?,
        code_node: code_node?.loc(),
        name: name?,
        local_name,
        max_cutovers_per_wave,
        blackouts,
        file,
        listed,
        services,
    })
}

/// Reads `{from, to, <label>}` date ranges, checking `from <= to`; `fields` are the three
/// fields of an entry, the label last.
pub fn read_ranges(
    r: &mut Reader<'_>,
    node: &Node,
    what: &str,
    fields: &[&str; 3],
) -> Vec<RawRange> {
    let label = fields[2];
    let mut out = Vec::new();
    let Some(items) = r.list(node, what) else {
        return out;
    };
    for item in items {
        let Some(mut m) = r.map(item, &format!("a {what} entry")) else {
            continue;
        };
        let from_node = r.required(&mut m, "from");
        let from = from_node.and_then(|n| r.date(n, "`from`"));
        let to_node = r.required(&mut m, "to");
        let to = to_node.and_then(|n| r.date(n, "`to`"));
        let text = m.get(label).and_then(|n| r.text(n, label));
        r.finish(m, fields);
        if let (Some(from), Some(to), Some(from_node), Some(to_node)) =
            (from, to, from_node, to_node)
        {
            if from > to {
                r.error(
                    to_node,
                    "bad-range",
                    format!("`to` {to} is before `from` {from}"),
                    "swap the two dates",
                );
                continue;
            }
            out.push(RawRange {
                range: DateRange { from, to },
                label: text,
                from_node: from_node.loc(),
                to_node: to_node.loc(),
            });
        }
    }
    out
}

fn read_service(r: &mut Reader<'_>, node: &Node) -> Option<RawService> {
    let mut m = r.map(node, "a service")?;
    let id_node = r.required(&mut m, "id");
    let id = id_node.and_then(|n| r.id(n, "service id"));
    let what = id
        .as_ref()
        .map_or_else(|| "service".to_owned(), |i| format!("service `{i}`"));
    m.rename(&what);
    let name = r
        .required(&mut m, "name")
        .and_then(|n| r.text(n, "service name"));
    let site = r
        .required(&mut m, "site")
        .and_then(|n| r.choice(n, "site", &SITES));
    let strategy = m.get("strategy").map_or(Some(Strategy::Rehost), |n| {
        r.choice(n, "strategy", &STRATEGIES)
    });
    let criticality = m.get("criticality").map_or(Some(Criticality::Medium), |n| {
        r.choice(n, "criticality", &CRITICALITIES)
    });
    let resources = m
        .get("resources")
        .map_or(Some(Resources::default()), |n| read_resources(r, n));
    let data_gib = m
        .get("data_gib")
        .map_or(Some(0.0), |n| r.number(n, "data_gib"));
    let effort = m
        .get("effort")
        .map_or(Some(Effort::new()), |n| read_effort(r, n));
    let duration_waves = m
        .get("duration_waves")
        .map_or(Some(1), |n| r.wave_count(n, "duration_waves"));
    let depends_on = m
        .get("depends_on")
        .map(|n| read_edges(r, n))
        .unwrap_or_default();
    let move_group = m
        .get("move_group")
        .and_then(|n| r.name(n, "move_group").map(|g| (g, n.loc())));
    let not_before = m
        .get("not_before")
        .and_then(|n| r.date(n, "not_before").map(|d| (d, n.loc())));
    let deadline = m
        .get("deadline")
        .and_then(|n| r.date(n, "deadline").map(|d| (d, n.loc())));
    let status_node = m.get("status");
    let status = status_node.map_or(Some(Status::Planned), |n| r.choice(n, "status", &STATUSES));
    let migrated_on_node = m.get("migrated_on");
    let migrated_on = migrated_on_node.and_then(|n| r.date(n, "migrated_on"));
    let tags = m.get("tags").map(|n| read_tags(r, n)).unwrap_or_default();
    // SPEC 2: checkers ignore `meta` whatever it holds (it is provenance for planners).
    let _ = m.get("meta");
    r.finish(m, &SERVICE_FIELDS);

    let status = status?;
    match (status, migrated_on_node) {
        (Status::Migrated, None) => r.error(
            status_node.unwrap_or(node),
            "missing-migrated-on",
            format!("{what} is `migrated` but has no `migrated_on`"),
            "add `migrated_on: YYYY-MM-DD`, the day it moved",
        ),
        (Status::Planned, Some(n)) => r.error(
            n,
            "unexpected-migrated-on",
            format!("{what} has `migrated_on` but its status is not `migrated`"),
            "add `status: migrated`, or remove `migrated_on`",
        ),
        _ => {}
    }
    if let (Some((nb, _)), Some((dl, dl_node))) = (not_before, deadline)
        && nb > dl
    {
        r.error(
            dl_node,
            "window-inverted",
            format!("{what} has `not_before` {nb} later than `deadline` {dl}"),
            "no wave can satisfy both; move one of the dates",
        );
    }
    Some(RawService {
        id: id?,
        id_node: id_node?.loc(),
        name: name?,
        site: site?,
        strategy: strategy?,
        criticality: criticality?,
        resources: resources?,
        data_gib: data_gib?,
        effort: effort?,
        duration_waves: duration_waves?,
        depends_on,
        move_group,
        not_before,
        deadline,
        status,
        migrated_on,
        tags,
    })
}

fn read_resources(r: &mut Reader<'_>, node: &Node) -> Option<Resources> {
    let mut m = r.map(node, "`resources`")?;
    let mut res = Resources::default();
    let mut ok = true;
    for (key, slot) in [
        ("vcpu", &mut res.vcpu),
        ("memory_gib", &mut res.memory_gib),
        ("storage_gib", &mut res.storage_gib),
    ] {
        if let Some(n) = m.get(key) {
            match r.number(n, key) {
                Some(v) => *slot = v,
                None => ok = false,
            }
        }
    }
    r.finish(m, &RESOURCE_FIELDS);
    ok.then_some(res)
}

/// Reads an `effort` mapping into a map of team -> days (a service's [`Effort`], or an
/// import map's `BTreeMap`).
pub(super) fn read_effort<C: FromIterator<(String, f64)>>(
    r: &mut Reader<'_>,
    node: &Node,
) -> Option<C> {
    let mut m = r.map(node, "`effort`")?;
    let mut out = Vec::new();
    let mut ok = true;
    for (_, key_node, value) in m.rest() {
        let team = r.name(key_node, "team name");
        let days = r.number(value, "effort");
        match (team, days) {
            (Some(t), Some(d)) => out.push((t, d)),
            _ => ok = false,
        }
    }
    ok.then(|| out.into_iter().collect())
}

fn read_tags(r: &mut Reader<'_>, node: &Node) -> Vec<String> {
    let mut tags: Vec<String> = r
        .list(node, "`tags`")
        .unwrap_or_default()
        .iter()
        .filter_map(|t| r.text(t, "a tag"))
        .collect();
    // The model keeps the tags for the whole run: no room for four when there is one.
    tags.shrink_to_fit();
    tags
}

fn read_edges(r: &mut Reader<'_>, node: &Node) -> Vec<RawEdge> {
    let Some(items) = r.list(node, "`depends_on`") else {
        return Vec::new();
    };
    // Sized once: a pushed-to vector keeps room for four edges where most services have
    // one to three, and the raw edges of every file are alive together until validation.
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if !matches!(item.kind, super::yaml::Kind::Map(_)) {
            // Shorthand: a bare id.
            if let Some(target) = r.id(item, "dependency") {
                out.push(RawEdge {
                    target,
                    node: item.loc(),
                    order: None,
                    order_node: None,
                    traffic: 1.0,
                    latency_sensitive: false,
                });
            }
            continue;
        }
        let Some(mut m) = r.map(item, "a dependency") else {
            continue;
        };
        let target_node = r.required(&mut m, "service");
        let target = target_node.and_then(|n| r.id(n, "dependency"));
        let order_node = m.get("order");
        let order = order_node.map(|n| r.choice(n, "order", &ORDERS));
        let traffic = m
            .get("traffic")
            .map_or(Some(1.0), |n| r.number(n, "traffic"));
        let latency = m
            .get("latency_sensitive")
            .map_or(Some(false), |n| r.boolean(n, "latency_sensitive"));
        r.finish(m, &EDGE_FIELDS);
        if let (Some(target), Some(tn), Some(traffic), Some(latency)) =
            (target, target_node, traffic, latency)
        {
            if order == Some(None) {
                continue;
            }
            out.push(RawEdge {
                target,
                node: tn.loc(),
                order: order.flatten(),
                order_node: order_node.map(Node::loc),
                traffic,
                latency_sensitive: latency,
            });
        }
    }
    out
}

/// One inventory file after parsing, overriding and converting.
#[derive(Default)]
pub struct FileOutcome {
    /// The department, when the file converted.
    pub department: Option<RawDepartment>,
    /// What went wrong in this file.
    pub diags: Diagnostics,
    /// Indices of the inventory overrides that found their service or department here.
    pub matched: Vec<usize>,
    /// Service ids and the department code written here, for suggestions (only collected
    /// when there are overrides to suggest for).
    pub names: (Vec<String>, Vec<String>),
    /// Ids of services written here whose entries did not load: a dependency on one is
    /// not also reported as unknown, its own error says what is wrong.
    pub unloaded: Vec<String>,
}

/// Parses source `src`, applies `overrides` to its tree, converts it and drops the tree.
///
/// Files go through this one at a time (in parallel), so only the trees being converted are
/// in memory, never every file's tree at once: a node tree is several times its text.
pub fn load_file(
    sources: &Sources,
    src: usize,
    overrides: &[(&super::overrides::Override, Node)],
) -> FileOutcome {
    let mut out = FileOutcome::default();
    let mut tree = match sources.parse(src) {
        Ok(t) => t,
        Err(d) => {
            out.diags.push(d);
            out.unloaded = sources
                .0
                .get(src)
                .map(|s| ids_in_text(&s.text))
                .unwrap_or_default();
            return out;
        }
    };
    apply_overrides(&mut tree, overrides, &mut out);
    convert_file(sources, src, &tree, overrides, out)
}

/// [`load_file`] on a tree parsed once for a whole what-if run (or its parse error): the
/// tree is converted by reference, and cloned only when one of `overrides` touches it, so
/// the shared tree stays as parsed for the next variant.
pub fn load_parsed(
    sources: &Sources,
    src: usize,
    parsed: &Result<Node, Diagnostic>,
    overrides: &[(&super::overrides::Override, Node)],
) -> FileOutcome {
    let mut out = FileOutcome::default();
    let shared = match parsed {
        Ok(t) => t,
        Err(d) => {
            // Every variant reports the file's parse error, as a fresh parse would.
            out.diags.push(d.clone());
            out.unloaded = sources
                .0
                .get(src)
                .map(|s| ids_in_text(&s.text))
                .unwrap_or_default();
            return out;
        }
    };
    if overrides
        .iter()
        .any(|(ov, _)| super::overrides::touches(shared, ov))
    {
        let mut tree = shared.clone();
        apply_overrides(&mut tree, overrides, &mut out);
        convert_file(sources, src, &tree, overrides, out)
    } else {
        // No override finds anything here, so applying them would change nothing and
        // report nothing: the shared tree is converted as it is.
        convert_file(sources, src, shared, overrides, out)
    }
}

/// Applies the inventory `overrides` to one file's tree, recording which matched.
fn apply_overrides(
    tree: &mut Node,
    overrides: &[(&super::overrides::Override, Node)],
    out: &mut FileOutcome,
) {
    for (i, (ov, value)) in overrides.iter().enumerate() {
        match super::overrides::apply_to_tree(tree, ov, value) {
            Ok(true) => out.matched.push(i),
            Ok(false) => {}
            Err(d) => out.diags.push(d),
        }
    }
}

/// Converts one file's (overridden) tree into its department.
fn convert_file(
    sources: &Sources,
    src: usize,
    tree: &Node,
    overrides: &[(&super::overrides::Override, Node)],
    mut out: FileOutcome,
) -> FileOutcome {
    if !overrides.is_empty() {
        out.names = (
            super::overrides::names_in(tree, true),
            super::overrides::names_in(tree, false),
        );
    }
    let mut r = Reader::new(sources);
    out.department = read_department(&mut r, tree, src);
    if r.diags.has_errors() {
        let loaded: HashSet<&str> = out
            .department
            .iter()
            .flat_map(|d| d.services.iter().map(|s| s.id.as_str()))
            .collect();
        out.unloaded = super::overrides::names_in(tree, true)
            .into_iter()
            .filter(|id| !loaded.contains(id.as_str()))
            .collect();
    }
    out.diags.0.extend(r.diags.0);
    out
}

/// The service ids a file that does not parse seems to declare (`id: x` lines): only used
/// to keep dependencies on them from being reported as unknown as well.
fn ids_in_text(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            let v = l.strip_prefix("id:")?.split('#').next()?.trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            (!v.is_empty()).then(|| v.to_owned())
        })
        .collect()
}

/// Lowercase hex of a digest.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
