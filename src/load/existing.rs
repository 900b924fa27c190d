//! The inventory an import merges into: what the importer needs to know of it (ids,
//! departments, the servers each service was built from) and the files' text and trees,
//! kept for the writer so hand-edited files change only where the sources say so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Diagnostics;
use super::inventory::{inventory_hint, list_files, read_text};
use super::yaml::{Kind, Node, Sources};
use crate::model::Strategy;

/// A service already in the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingService {
    /// Its id.
    pub id: String,
    /// Its department's code.
    pub department: String,
    /// `meta.hosts`: the servers it was built from (lowercase).
    pub hosts: Vec<String>,
    /// Its strategy.
    pub strategy: Strategy,
    /// Its criticality.
    pub criticality: crate::model::Criticality,
    /// Its duration in waves.
    pub duration_waves: u32,
    /// Its effort per team.
    pub effort: BTreeMap<String, f64>,
    /// Whether the planner gave it a move group.
    pub has_move_group: bool,
}

/// One file of the existing inventory.
#[derive(Debug)]
pub(super) struct ExistingFile {
    pub path: PathBuf,
    pub text: String,
    pub tree: Node,
    pub code: String,
}

/// The inventory directory an import writes into.
#[derive(Debug, Default)]
pub struct Existing {
    /// Every service, in file then document order.
    pub services: Vec<ExistingService>,
    /// Department code → its name, for every department file.
    pub departments: BTreeMap<String, String>,
    pub(super) files: Vec<ExistingFile>,
}

impl Existing {
    /// Reads `dir` when it holds an inventory; an absent or empty directory is a fresh start.
    ///
    /// # Errors
    /// The existing inventory's problems: a merge into an invalid inventory could not be
    /// checked, so it must be fixed (or another `-o` chosen) first.
    pub fn read(dir: &Path) -> Result<Self, Diagnostics> {
        let has_files = dir.is_dir() && list_files(dir).is_ok();
        if !has_files {
            return Ok(Self::default());
        }
        let loaded = super::load(dir, None).map_err(|mut d| {
            d.0.retain(super::Diagnostic::is_error);
            d
        })?;
        let model: BTreeMap<&str, &crate::model::Service> = loaded
            .inventory
            .services
            .iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        let mut out = Self::default();
        let mut sources = Sources::default();
        for path in list_files(dir).map_err(|d| Diagnostics(vec![d]))? {
            let (text, _) = read_text(&path).map_err(|d| Diagnostics(vec![inventory_hint(d)]))?;
            let src = sources.add(&path, text.clone());
            let tree = sources.parse(src).map_err(|d| Diagnostics(vec![d]))?;
            let code = department_code(&tree).unwrap_or_default();
            let name = tree
                .get("department")
                .and_then(|d| d.get("name"))
                .and_then(Node::as_str)
                .unwrap_or_default();
            out.departments.insert(code.clone(), name.to_owned());
            for item in service_items(&tree) {
                let Some(id) = item.get("id").and_then(Node::as_str) else {
                    continue;
                };
                let Some(s) = model.get(id) else { continue };
                out.services.push(ExistingService {
                    id: id.to_owned(),
                    department: code.clone(),
                    hosts: hosts(item),
                    strategy: s.strategy,
                    criticality: s.criticality,
                    duration_waves: s.duration_waves,
                    effort: s.effort.iter().map(|(t, d)| (t.clone(), *d)).collect(),
                    has_move_group: s.move_group.is_some(),
                });
            }
            out.files.push(ExistingFile {
                path,
                text,
                tree,
                code,
            });
        }
        Ok(out)
    }
}

/// The department code of a file's tree.
pub(super) fn department_code(tree: &Node) -> Option<String> {
    tree.get("department")
        .and_then(|d| d.get("code"))
        .and_then(Node::as_str)
        .map(str::to_owned)
}

/// The service mappings of a file's tree.
pub(super) fn service_items(tree: &Node) -> &[Node] {
    match tree.get("services").map(|s| &s.kind) {
        Some(Kind::Seq(items)) => items,
        _ => &[],
    }
}

/// `meta.hosts` as lowercase names (a single text counts as one host).
fn hosts(service: &Node) -> Vec<String> {
    let Some(h) = service.get("meta").and_then(|m| m.get("hosts")) else {
        return Vec::new();
    };
    let texts: Vec<&Node> = match &h.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![h],
    };
    texts
        .into_iter()
        .filter_map(|n| n.as_str().map(str::to_owned).or_else(|| n.raw.clone()))
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}
