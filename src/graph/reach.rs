//! Who depends on whom, transitively: dependants of one service, counts for all, and hubs.
//!
//! Follows every `depends_on` edge whatever its order or the ends' status: the question is
//! structural ("who relies on this service"), not which edges constrain the schedule.

use crate::model::ServiceIx;

use super::DependencyGraph;
use super::scc::{condense, sccs_of_csr};

impl DependencyGraph {
    /// Every service that depends on `s` directly or transitively (not `s` itself), sorted by
    /// id: who breaks if `s` moves late or goes away.
    #[must_use]
    pub fn dependants(&self, s: ServiceIx) -> Vec<ServiceIx> {
        let n = self.service_count();
        if s.pos() >= n {
            return Vec::new();
        }
        let mut seen = vec![false; n];
        seen[s] = true;
        let mut queue = vec![s];
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            for &w in self.dependants_of.succ(v.pos()) {
                let w = w as usize;
                if !seen[w] {
                    seen[w] = true;
                    queue.push(ServiceIx::new(w));
                }
            }
        }
        let mut out = queue.split_off(1);
        self.sort_by_id(&mut out);
        out
    }

    /// Services with at least `min_dependants` direct dependants (in-degree), as
    /// `(service, direct dependants)`, most depended-upon first, then by id.
    #[must_use]
    pub fn hubs(&self, min_dependants: usize) -> Vec<(ServiceIx, usize)> {
        let mut hubs: Vec<(ServiceIx, usize)> = ServiceIx::all(self.service_count())
            .map(|s| (s, self.direct_dependants(s)))
            .filter(|&(_, d)| d >= min_dependants)
            .collect();
        hubs.sort_unstable_by_key(|&(s, d)| (std::cmp::Reverse(d), self.rank[s]));
        hubs
    }

    /// Number of services depending on `s` directly.
    #[must_use]
    pub fn direct_dependants(&self, s: ServiceIx) -> usize {
        if s.pos() < self.service_count() {
            self.dependants_of.succ(s.pos()).len()
        } else {
            0
        }
    }

    /// The sizes of the groups of services linked by dependencies, whichever way and whatever
    /// their order (weakly connected components), largest first. A service with no
    /// dependency either way is a group of one.
    #[must_use]
    pub fn linked_groups(&self) -> Vec<usize> {
        let n = self.service_count();
        let mut parent: Vec<usize> = (0..n).collect();
        // Path halving keeps the trees flat without recursion.
        let root = |parent: &mut Vec<usize>, mut v: usize| {
            while parent[v] != v {
                parent[v] = parent[parent[v]];
                v = parent[v];
            }
            v
        };
        for e in &self.edges {
            let (a, b) = (e.from.pos(), e.to.pos());
            if a < n && b < n {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
        let mut size = vec![0usize; n];
        for v in 0..n {
            size[root(&mut parent, v)] += 1;
        }
        let mut sizes: Vec<usize> = size.into_iter().filter(|&s| s > 0).collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes
    }

    /// `dependants(s).len()` for every service at once.
    ///
    /// Bit-parallel: the graph is condensed into its SCCs, then 256 services at a time each
    /// mark the services they reach in one pass over the condensed DAG. O(n/256 · (n + m))
    /// word operations, which keeps 100,000-service inventories around a second.
    #[must_use]
    pub fn dependant_counts(&self) -> Vec<usize> {
        const WORDS: usize = 4;
        const BATCH: usize = WORDS * 64;
        let n = self.service_count();
        // Arcs run from a dependency to its dependants, so dependants are numbered first.
        let scc = sccs_of_csr(&self.dependants_of);
        let dag = condense(&self.dependants_of, &scc);

        let mut reached = vec![0usize; scc.count];
        let mut mask = vec![[0u64; WORDS]; scc.count];
        for start in (0..n).step_by(BATCH) {
            let batch = start..n.min(start + BATCH);
            mask.fill([0; WORDS]);
            let mut lowest = scc.count;
            for v in batch.clone() {
                let bit = v - start;
                let c = scc.comp[v] as usize;
                mask[c][bit / 64] |= 1 << (bit % 64);
                lowest = lowest.min(c);
            }
            // A unit numbered below every batch member reaches none of them.
            for c in lowest..scc.count {
                let mut m = mask[c];
                for &d in dag.succ(c) {
                    let md = &mask[d as usize];
                    for k in 0..WORDS {
                        m[k] |= md[k];
                    }
                }
                mask[c] = m;
                reached[c] += m.iter().map(|w| w.count_ones() as usize).sum::<usize>();
            }
        }
        // Every service reaches itself; a dependant is someone else.
        (0..n)
            .map(|v| reached[scc.comp[v] as usize].saturating_sub(1))
            .collect()
    }
}
