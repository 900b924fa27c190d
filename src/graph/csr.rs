//! Compact adjacency lists and an iterative strongly-connected-components pass.
//!
//! Owns the graph algorithms that must survive 200,000-long chains: nothing here recurses.
//! Must not know about services or the model; it works on plain `u32` node numbers.

/// Adjacency in compressed sparse row form: the successors of `v` are
/// `targets[offsets[v]..offsets[v + 1]]`, in the order the arcs were given.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    /// Builds the adjacency of `n` nodes from `(from, to)` arcs (a stable counting sort, so the
    /// result does not depend on anything but the arc order).
    pub(crate) fn from_arcs(n: usize, arcs: &[(u32, u32)]) -> Self {
        let mut offsets = vec![0u32; n + 1];
        for &(from, _) in arcs {
            offsets[from as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; arcs.len()];
        for &(from, to) in arcs {
            let slot = &mut fill[from as usize];
            targets[*slot as usize] = to;
            *slot += 1;
        }
        Self { offsets, targets }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Successors of `v`.
    pub(crate) fn succ(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }
}

/// Strongly connected components of a graph, from an iterative Tarjan pass.
#[derive(Debug, Clone)]
pub(crate) struct Sccs {
    /// Component number of each node.
    pub(crate) comp: Vec<u32>,
    /// Number of components.
    pub(crate) count: usize,
}

/// Iterative Tarjan. Components are numbered in the order Tarjan completes them, so every arc
/// between two components goes from a higher number to a lower one: with `A -> B` meaning
/// "A depends on B", numbering from 0 upwards is a dependencies-first topological order.
pub(crate) fn sccs(g: &Csr) -> Sccs {
    const UNSEEN: u32 = u32::MAX;
    let n = g.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![0u32; n];
    let mut stack: Vec<u32> = Vec::new();
    // (node, position of the next successor to look at)
    let mut work: Vec<(u32, u32)> = Vec::new();
    let mut next_index = 0u32;
    let mut count = 0u32;

    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        work.push((root as u32, 0));

        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            let v = v as usize;
            let succ = g.succ(v);
            if let Some(&w) = succ.get(*pos as usize) {
                *pos += 1;
                let w = w as usize;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    work.push((w as u32, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let parent = parent as usize;
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp[w as usize] = count;
                    if w as usize == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    Sccs {
        comp,
        count: count as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::algo::kosaraju_scc;
    use rand::{Rng, SeedableRng};
    use std::collections::BTreeSet;

    fn groups(n: usize, s: &Sccs) -> BTreeSet<BTreeSet<u32>> {
        let mut by: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); s.count];
        for v in 0..n {
            by[s.comp[v] as usize].insert(v as u32);
        }
        by.into_iter().collect()
    }

    #[test]
    fn csr_keeps_arc_order() {
        let g = Csr::from_arcs(3, &[(1, 2), (0, 2), (1, 0)]);
        assert_eq!(g.succ(0), &[2]);
        assert_eq!(g.succ(1), &[2, 0]);
        assert!(g.succ(2).is_empty());
    }

    #[test]
    fn components_are_numbered_dependencies_first() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3
        let g = Csr::from_arcs(4, &[(0, 1), (1, 2), (2, 1), (2, 3)]);
        let s = sccs(&g);
        assert_eq!(s.count, 3);
        assert_eq!(s.comp[1], s.comp[2]);
        assert!(s.comp[3] < s.comp[1]);
        assert!(s.comp[1] < s.comp[0]);
    }

    #[test]
    fn agrees_with_petgraph_kosaraju_on_random_graphs() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let n = rng.random_range(1..40usize);
            let m = rng.random_range(0..3 * n);
            let arcs: Vec<(u32, u32)> = (0..m)
                .map(|_| (rng.random_range(0..n as u32), rng.random_range(0..n as u32)))
                .collect();
            let ours = sccs(&Csr::from_arcs(n, &arcs));
            let mut pg = petgraph::Graph::<(), ()>::new();
            let nodes: Vec<_> = (0..n).map(|_| pg.add_node(())).collect();
            for &(a, b) in &arcs {
                pg.add_edge(nodes[a as usize], nodes[b as usize], ());
            }
            let theirs: BTreeSet<BTreeSet<u32>> = kosaraju_scc(&pg)
                .into_iter()
                .map(|c| c.into_iter().map(|x| x.index() as u32).collect())
                .collect();
            assert_eq!(groups(n, &ours), theirs);
            for &(a, b) in &arcs {
                assert!(ours.comp[a as usize] >= ours.comp[b as usize]);
            }
        }
    }
}
