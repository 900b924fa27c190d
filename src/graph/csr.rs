//! Compact adjacency lists for the passes over the graph (dependants, the critical chain).
//!
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_keeps_arc_order() {
        let g = Csr::from_arcs(3, &[(1, 2), (0, 2), (1, 0)]);
        assert_eq!(g.succ(0), &[2]);
        assert_eq!(g.succ(1), &[2, 0]);
        assert!(g.succ(2).is_empty());
    }
}
