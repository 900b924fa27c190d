//! Renderings of a [`DependencyGraph`] for `waveplan graph`: Graphviz DOT, Mermaid, JSON, and
//! a plain-text summary.
//!
//! Owns the text formats and their escaping. Must not print or write files: each function
//! returns the whole document and the CLI decides where it goes. Every list is sorted by
//! service id (edges by dependant, then dependency), so output is byte-for-byte reproducible.

mod dot;
mod json;
mod mermaid;
mod text;

pub use dot::to_dot;
pub use json::{to_json, write_json};
pub use mermaid::to_mermaid;
pub use text::to_text;

use crate::model::{Inventory, ServiceIx};

use super::{DepEdge, DependencyGraph};

/// Services grouped by department (department order, members by id); services whose
/// department index is unknown come last, under `None`.
fn by_department(g: &DependencyGraph, inv: &Inventory) -> Vec<(Option<usize>, Vec<ServiceIx>)> {
    let mut groups: Vec<Vec<ServiceIx>> = vec![Vec::new(); inv.departments.len() + 1];
    let stray = inv.departments.len();
    for s in g.by_id() {
        let d = inv
            .services
            .get(s.pos())
            .map_or(stray, |svc| svc.department.pos().min(stray));
        groups[d].push(s);
    }
    groups
        .into_iter()
        .enumerate()
        .filter(|(_, members)| !members.is_empty())
        .map(|(d, members)| ((d < stray).then_some(d), members))
        .collect()
}

/// Edges sorted by dependant id, then dependency id.
fn sorted_edges(g: &DependencyGraph) -> Vec<DepEdge> {
    let rank = |s: ServiceIx| g.rank.get(s.pos()).copied().unwrap_or(u32::MAX);
    let mut edges = g.edges().to_vec();
    edges.sort_by_key(|e| (rank(e.from), rank(e.to)));
    edges
}

/// The id of service `s`, or an empty string if the graph and inventory disagree.
fn id_of(inv: &Inventory, s: ServiceIx) -> &str {
    inv.services.get(s.pos()).map_or("", |svc| svc.id.as_str())
}
