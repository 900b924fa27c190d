//! Strongly connected components on petgraph, numbered the same way on every run.
//!
//! Owns the one SCC computation of the crate (cycles, cut-over units, dependants all come
//! here). Must not know about services: it works on plain `u32` node numbers, and petgraph
//! types stay inside this file.
//!
//! petgraph's `kosaraju_scc` is iterative; `tarjan_scc` and `condensation` are not used
//! (the first recurses per DFS level, the second is quadratic on big components).

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{DfsPostOrder, VisitMap};

use super::csr::Csr;

/// Strongly connected components of a graph.
#[derive(Debug, Clone)]
pub(crate) struct Sccs {
    /// Component number of each node.
    pub(crate) comp: Vec<u32>,
    /// Number of components.
    pub(crate) count: usize,
}

/// A petgraph digraph over nodes `0..n` with the arcs in the order given.
pub(super) fn digraph(n: usize, arcs: &[(u32, u32)]) -> DiGraph<(), (), u32> {
    let mut g = DiGraph::with_capacity(n, arcs.len());
    for _ in 0..n {
        g.add_node(());
    }
    g.extend_with_edges(arcs.iter().map(|&(a, b)| (a, b)));
    g
}

/// The components of `n` nodes joined by `(from, to)` arcs; see [`sccs_of`].
pub(crate) fn sccs(n: usize, arcs: &[(u32, u32)]) -> Sccs {
    sccs_of(&digraph(n, arcs))
}

/// The components of a graph held as adjacency lists; see [`sccs_of`].
pub(crate) fn sccs_of_csr(g: &Csr) -> Sccs {
    let arcs: Vec<(u32, u32)> = (0..g.len())
        .flat_map(|v| g.succ(v).iter().map(move |&w| (to_u32(v), w)))
        .collect();
    sccs(g.len(), &arcs)
}

/// The components of `g`, numbered in the order a depth-first search completes them: from
/// nodes `0, 1, ..`, each node's arcs in the order they were added (what an iterative Tarjan
/// pass over the arc list gives). Every arc between two components therefore goes from a
/// higher number to a lower one: with `A -> B` meaning "A depends on B", numbering from 0
/// upwards is a dependencies-first topological order. The scheduler's search keys are
/// indexed by unit, so this numbering is part of every plan: changing it changes plans.
pub(super) fn sccs_of(g: &DiGraph<(), (), u32>) -> Sccs {
    let n = g.node_count();
    let found = kosaraju_scc(g);
    let mut first = vec![0u32; n];
    let mut left: Vec<u32> = Vec::with_capacity(found.len());
    for (k, members) in found.iter().enumerate() {
        for v in members {
            first[v.index()] = to_u32(k);
        }
        left.push(to_u32(members.len()));
    }
    drop(found);

    // A component is complete when its last member finishes (its first-discovered one).
    // petgraph lists a node's arcs newest first and `DfsPostOrder` follows the last one
    // listed first, so arcs are followed in the order they were added.
    let mut number = vec![u32::MAX; left.len()];
    let mut next = 0u32;
    let mut dfs = DfsPostOrder::empty(g);
    for root in 0..n {
        let root = NodeIndex::new(root);
        if dfs.discovered.is_visited(&root) {
            continue;
        }
        dfs.move_to(root);
        while let Some(v) = dfs.next(g) {
            let k = first[v.index()] as usize;
            left[k] -= 1;
            if left[k] == 0 {
                number[k] = next;
                next += 1;
            }
        }
    }
    let comp = first.iter().map(|&k| number[k as usize]).collect();
    Sccs {
        comp,
        count: number.len(),
    }
}

/// The condensed DAG: one node per component, one arc per pair of components joined by an
/// arc of `g` (sorted, without duplicates or self-loops). Built from the component numbers
/// rather than with petgraph's `condensation`, which is quadratic on big components.
pub(crate) fn condense(g: &Csr, s: &Sccs) -> Csr {
    let mut arcs: Vec<(u32, u32)> = Vec::new();
    for v in 0..g.len() {
        let cv = s.comp[v];
        for &w in g.succ(v) {
            let cw = s.comp[w as usize];
            if cw != cv {
                arcs.push((cv, cw));
            }
        }
    }
    arcs.sort_unstable();
    arcs.dedup();
    Csr::from_arcs(s.count, &arcs)
}

/// Node and component numbers fit in `u32`: an inventory of four billion services is not a
/// thing.
pub(super) fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn components_are_numbered_dependencies_first() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3
        let s = sccs(4, &[(0, 1), (1, 2), (2, 1), (2, 3)]);
        assert_eq!(s.count, 3);
        assert_eq!(s.comp[1], s.comp[2]);
        assert!(s.comp[3] < s.comp[1]);
        assert!(s.comp[1] < s.comp[0]);
    }

    #[test]
    fn numbering_follows_the_arc_order() {
        // The search completes what it enters first: 0's arcs lead to 2 before 1.
        assert_eq!(sccs(3, &[(0, 2), (0, 1)]).comp, vec![2, 1, 0]);
        assert_eq!(sccs(3, &[(0, 1), (0, 2)]).comp, vec![2, 0, 1]);
        // Roots in node order; a cycle completes with its first-discovered member.
        assert_eq!(sccs(4, &[(1, 2), (2, 1), (3, 0)]).comp, vec![0, 1, 1, 2]);
        // 0 -> 1 -> 2 -> 0 with 1 -> 3: 3 completes first, then the cycle.
        assert_eq!(
            sccs(4, &[(0, 1), (1, 3), (1, 2), (2, 0)]).comp,
            vec![1, 1, 1, 0]
        );
    }

    #[test]
    fn arcs_go_from_higher_to_lower_components_on_random_graphs() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..200 {
            let n = rng.random_range(1..40usize);
            let m = rng.random_range(0..3 * n);
            let arcs: Vec<(u32, u32)> = (0..m)
                .map(|_| (rng.random_range(0..n as u32), rng.random_range(0..n as u32)))
                .collect();
            let s = sccs(n, &arcs);
            let mut used = vec![false; s.count];
            for &c in &s.comp {
                used[c as usize] = true;
            }
            assert!(used.iter().all(|&u| u), "numbers are 0..count");
            for &(a, b) in &arcs {
                assert!(s.comp[a as usize] >= s.comp[b as usize]);
            }
            let dag = condense(&Csr::from_arcs(n, &arcs), &s);
            for c in 0..dag.len() {
                assert!(dag.succ(c).iter().all(|&d| (d as usize) < c));
            }
        }
    }

    #[test]
    fn a_300_000_node_chain_does_not_overflow_the_stack() {
        let n = 300_000u32;
        let chain: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let s = sccs(n as usize, &chain);
        assert_eq!(s.count, n as usize);
        assert_eq!(s.comp[0], n - 1);
        let mut ring = chain;
        ring.push((n - 1, 0));
        assert_eq!(sccs(n as usize, &ring).count, 1);
    }
}
