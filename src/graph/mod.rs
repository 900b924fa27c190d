//! The dependency-graph layer: cycles, cut-over units, topological layers, dependants, hubs,
//! the critical chain, and the `waveplan graph` renderings (DOT, Mermaid, JSON, text).
//!
//! Owns every graph algorithm over the inventory. Must not schedule, print, or read files, and
//! must not leak petgraph: public signatures speak [`ServiceIx`](crate::model::ServiceIx) only.
//! Nothing here recurses, so a 200,000-service dependency chain cannot overflow the stack.

mod chain;
mod csr;
mod dependency_graph;
pub mod export;
mod reach;
mod scc;
#[cfg(test)]
mod testing;
mod units;

pub use dependency_graph::{DepEdge, DependencyGraph};
pub use units::CutoverUnits;

/// The default `min_dependants` for [`DependencyGraph::hubs`] in reports and exports.
pub const HUB_MIN_DEPENDANTS: usize = 5;
