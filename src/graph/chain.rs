//! The critical chain: a longest-path DP over the condensed unit DAG.
//!
//! Owns what "longest" means (waves forced, then units passed). Must not recurse: units are
//! visited in their dependencies-first numbering and the path is rebuilt with a loop.

use crate::model::{Order, ServiceIx};

use super::DepEdge;
use super::csr::Csr;

/// The critical chain and the waves it forces.
#[derive(Debug, Clone, Default)]
pub(super) struct Chain {
    /// Services in cutover order.
    pub(super) path: Vec<ServiceIx>,
    /// The earliest cutover wave of its last unit, from durations and ordered edges alone.
    pub(super) waves: u32,
}

/// Why a unit's earliest cutover is what it is.
#[derive(Debug, Clone, Copy)]
enum Reason {
    /// Its longest member's own duration.
    Base(u32),
    /// An ordered edge `member -> dependency` into an earlier unit.
    Edge(u32, u32),
}

/// Computes the chain. `members[c]` lists unit `c`'s migrating services (empty for units of
/// services that do not migrate); `unit[s]` is the unit of service `s`; units are numbered
/// dependencies first; `ordered_out[s]` holds the indices in `edges` of `s`'s ordered edges.
pub(super) fn longest_chain(
    edges: &[DepEdge],
    ordered_out: &Csr,
    unit: &[u32],
    members: &[Vec<u32>],
    duration: &[u32],
) -> Chain {
    // (earliest cutover wave, units on the chain) per unit; compared lexicographically.
    let mut best: Vec<(u32, u32)> = vec![(0, 0); members.len()];
    let mut reason: Vec<Reason> = vec![Reason::Base(0); members.len()];
    let mut end: Option<usize> = None;
    for (c, ms) in members.iter().enumerate() {
        let Some(&first) = ms.first() else { continue };
        let mut top = first;
        for &m in ms {
            if duration[m as usize] > duration[top as usize] {
                top = m;
            }
        }
        let base = duration[top as usize];
        let mut here = (base, 1);
        let mut why = Reason::Base(top);
        for &m in ms {
            for &ei in ordered_out.succ(m as usize) {
                let e = &edges[ei as usize];
                let d = unit[e.to] as usize;
                if d == c {
                    continue;
                }
                // strictly-before: cutover(B) < start(A), so A's whole duration comes after B.
                let extra = if e.order == Order::StrictlyBefore {
                    duration[m as usize]
                } else {
                    0
                };
                // The unit's own longest member still bounds it from below.
                let waves = best[d].0.saturating_add(extra).max(base);
                let cand = (waves, best[d].1.saturating_add(1));
                if cand > here {
                    here = cand;
                    why = Reason::Edge(m, u32::try_from(e.to.pos()).unwrap_or(u32::MAX));
                }
            }
        }
        best[c] = here;
        reason[c] = why;
        if end.is_none_or(|e| here > best[e]) {
            end = Some(c);
        }
    }
    let Some(mut c) = end else {
        return Chain::default();
    };
    let waves = best[c].0;

    let mut steps = Vec::new();
    loop {
        steps.push(reason[c]);
        match reason[c] {
            Reason::Base(_) => break,
            // Units are numbered dependencies first, so `c` strictly decreases: the loop ends.
            Reason::Edge(_, d) => c = unit[d as usize] as usize,
        }
    }
    let mut path: Vec<ServiceIx> = Vec::with_capacity(steps.len() * 2);
    for step in steps.iter().rev() {
        match *step {
            Reason::Base(m) => path.push(ServiceIx::new(m as usize)),
            Reason::Edge(m, d) => {
                if path.last() != Some(&ServiceIx::new(d as usize)) {
                    path.push(ServiceIx::new(d as usize));
                }
                path.push(ServiceIx::new(m as usize));
            }
        }
    }
    Chain { path, waves }
}
