//! Cut-over units: the services that must share one cutover wave.
//!
//! Owns the rule, for every layer that needs it (the loader's impossible `strictly-before`
//! check, the scheduler's units, `waveplan graph`): two migrating services share a unit when
//! each must cut over no later than the other through a chain of ordered edges (effective
//! order not `any`: the dependant cuts over no earlier than its dependency), latency-sensitive
//! edges (both ways) and move groups (both ways). Must not look at capacities or the calendar.

use std::collections::BTreeMap;

use petgraph::algo::astar;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Inventory, Order, ServiceIx};

use super::scc::{digraph, sccs_of, to_u32};

/// The cut-over units of a set of services, numbered dependencies first (see
/// [`CutoverUnits::of`]).
#[derive(Debug, Clone)]
pub struct CutoverUnits {
    /// Unit of each position in the service list.
    unit: Vec<u32>,
    count: usize,
    /// "Cuts over no later than" arcs between positions: `x -> y` when `y` must cut over no
    /// later than `x`.
    links: DiGraph<(), (), u32>,
}

impl CutoverUnits {
    /// The units of `services` (distinct), indexed by position in that list. Only links
    /// between two listed services that both migrate count; every other listed service is a
    /// unit of its own.
    ///
    /// Units are numbered in the order a depth-first search completes them, from position 0
    /// on, following each service's ordered and latency edges in `depends_on` order, then its
    /// move group's first member. So every ordered edge between two units goes from the
    /// higher number to the lower, and the numbering depends on nothing but the inputs; the
    /// scheduler's search is keyed by it, so the default plan depends on it too.
    #[must_use]
    pub fn of(inv: &Inventory, default_order: Order, services: &[ServiceIx]) -> Self {
        const NONE: u32 = u32::MAX;
        let mut pos = vec![NONE; inv.services.len()];
        for (i, &s) in services.iter().enumerate() {
            if let Some(p) = pos.get_mut(s.pos())
                && inv.services[s].is_migrating()
            {
                *p = to_u32(i);
            }
        }
        let mut arcs: Vec<(u32, u32)> = Vec::new();
        let mut groups: BTreeMap<&str, u32> = BTreeMap::new();
        for &s in services {
            let i = pos.get(s.pos()).copied().unwrap_or(NONE);
            if i == NONE {
                continue;
            }
            let svc = &inv.services[s];
            for e in &svc.depends_on {
                let j = pos.get(e.target.pos()).copied().unwrap_or(NONE);
                if j == NONE {
                    continue;
                }
                if e.effective_order(default_order) != Order::Any {
                    arcs.push((i, j));
                }
                if e.latency_sensitive {
                    arcs.push((i, j));
                    arcs.push((j, i));
                }
            }
            if let Some(g) = &svc.move_group {
                let first = *groups.entry(g.as_str()).or_insert(i);
                if first != i {
                    arcs.push((first, i));
                    arcs.push((i, first));
                }
            }
        }
        let links = digraph(services.len(), &arcs);
        drop(arcs);
        let s = sccs_of(&links);
        Self {
            unit: s.comp,
            count: s.count,
            links,
        }
    }

    /// The unit of every position, in position order.
    #[must_use]
    pub fn units(&self) -> &[u32] {
        &self.unit
    }

    /// The unit of every position, without the links kept for [`Self::chain`].
    #[must_use]
    pub fn into_units(self) -> Vec<u32> {
        self.unit
    }

    /// The unit of the service at `position`.
    #[must_use]
    pub fn unit(&self, position: usize) -> Option<u32> {
        self.unit.get(position).copied()
    }

    /// Number of units (singletons included).
    #[must_use]
    pub fn count(&self) -> usize {
        self.count
    }

    /// A shortest chain of positions `from ..= to`, each forced to cut over no later than the
    /// one before, for naming the rules that tie two services together; empty when there is
    /// none.
    #[must_use]
    pub fn chain(&self, from: usize, to: usize) -> Vec<usize> {
        let n = self.unit.len();
        if from >= n || to >= n {
            return Vec::new();
        }
        let goal = NodeIndex::new(to);
        astar(
            &self.links,
            NodeIndex::new(from),
            |v| v == goal,
            |_| 1u32,
            |_| 0u32,
        )
        .map_or_else(Vec::new, |(_, path)| {
            path.into_iter().map(NodeIndex::index).collect()
        })
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests build their own data")]
mod tests {
    use super::*;
    use crate::graph::testing::Inv;
    use crate::model::Order::{Any, StrictlyBefore, TogetherOrBefore};
    use rand::{Rng, SeedableRng};

    fn all(inv: &Inventory) -> Vec<ServiceIx> {
        ServiceIx::all(inv.services.len()).collect()
    }

    #[test]
    fn cycles_latency_links_and_move_groups_join_units() {
        let b = Inv::new()
            .svcs(&["a", "b", "c", "d", "e", "f"])
            .edge("a", "b", Some(TogetherOrBefore), false)
            .edge("b", "a", Some(StrictlyBefore), false)
            .latency("c", "d")
            .edge("e", "a", Some(Any), false)
            .group("e", "g")
            .group("f", "g");
        let u = CutoverUnits::of(&b.inv, TogetherOrBefore, &all(&b.inv));
        let v = u.units();
        assert_eq!(u.count(), 3);
        assert_eq!(
            (v[0] == v[1], v[2] == v[3], v[4] == v[5]),
            (true, true, true)
        );
        assert_ne!(v[0], v[2]);
        assert_ne!(v[0], v[4]);
        assert_eq!(u.chain(4, 5), vec![4, 5]);
        assert!(u.chain(0, 2).is_empty());
    }

    #[test]
    fn services_that_do_not_migrate_or_are_not_listed_stay_alone() {
        let mut b = Inv::new()
            .svcs(&["a", "b", "c"])
            .latency("a", "b")
            .latency("b", "c");
        b = b.in_production("b");
        let u = CutoverUnits::of(&b.inv, TogetherOrBefore, &all(&b.inv));
        assert_eq!(u.count(), 3);
        let b = Inv::new().svcs(&["a", "b", "c"]).latency("a", "c");
        let u = CutoverUnits::of(
            &b.inv,
            TogetherOrBefore,
            &[ServiceIx::new(0), ServiceIx::new(1)],
        );
        assert_eq!(u.count(), 2);
        assert_eq!(u.units().len(), 2);
    }

    #[test]
    fn ordered_edges_close_units_around_latency_links() {
        // a ~ b, a -> c -> b: c cuts over no later than a and no earlier than b = a.
        let b = Inv::new()
            .svcs(&["a", "b", "c"])
            .latency("a", "b")
            .dep("a", "c")
            .dep("c", "b");
        let u = CutoverUnits::of(&b.inv, TogetherOrBefore, &all(&b.inv));
        assert_eq!(u.count(), 1);
        assert_eq!(u.chain(2, 0), vec![2, 1, 0]);
        let u = CutoverUnits::of(&b.inv, Any, &all(&b.inv));
        assert_eq!(u.count(), 2);
        assert!(u.chain(2, 0).is_empty());
    }

    /// Whether `to` can be reached from `from` along `adj`.
    fn reaches(adj: &[Vec<usize>], from: usize, to: usize) -> bool {
        let mut seen = vec![false; adj.len()];
        let mut todo = vec![from];
        seen[from] = true;
        while let Some(v) = todo.pop() {
            if v == to {
                return true;
            }
            for &w in &adj[v] {
                if !seen[w] {
                    seen[w] = true;
                    todo.push(w);
                }
            }
        }
        false
    }

    #[test]
    fn units_agree_with_brute_force_reachability_on_random_inventories() {
        let ids: Vec<String> = (0..30).map(|i| format!("s{i:02}")).collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for round in 0..300 {
            let n = rng.random_range(1..30usize);
            let names: Vec<&str> = ids[..n].iter().map(String::as_str).collect();
            let mut b = Inv::new().svcs(&names);
            let default = [Any, TogetherOrBefore, StrictlyBefore][round % 3];
            for _ in 0..rng.random_range(0..2 * n) {
                let (x, y) = (rng.random_range(0..n), rng.random_range(0..n));
                if x == y {
                    continue;
                }
                let order = [
                    None,
                    Some(Any),
                    Some(TogetherOrBefore),
                    Some(StrictlyBefore),
                ][rng.random_range(0..4)];
                b = b.edge(names[x], names[y], order, rng.random_range(0..5) == 0);
            }
            for &s in &names {
                match rng.random_range(0..6) {
                    0 => b = b.group(s, "g1"),
                    1 => b = b.group(s, "g2"),
                    2 => b = b.in_production(s),
                    _ => {}
                }
            }
            let inv = &b.inv;
            // The rule written out plainly: y must cut over no later than x.
            let mig: Vec<bool> = inv.services.iter().map(|s| s.is_migrating()).collect();
            let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
            for (x, s) in inv.services.iter().enumerate() {
                for e in &s.depends_on {
                    let y = e.target.pos();
                    if !(mig[x] && mig[y]) {
                        continue;
                    }
                    if e.latency_sensitive || e.effective_order(default) != Any {
                        adj[x].push(y);
                    }
                    if e.latency_sensitive {
                        adj[y].push(x);
                    }
                }
                for (y, t) in inv.services.iter().enumerate() {
                    if mig[x] && mig[y] && s.move_group.is_some() && s.move_group == t.move_group {
                        adj[x].push(y);
                    }
                }
            }
            let u = CutoverUnits::of(inv, default, &all(inv));
            for x in 0..n {
                for y in 0..n {
                    let together = reaches(&adj, x, y) && reaches(&adj, y, x);
                    assert_eq!(
                        u.units()[x] == u.units()[y],
                        together,
                        "round {round}: {x} {y}"
                    );
                    if together {
                        let chain = u.chain(x, y);
                        assert_eq!((chain[0], *chain.last().unwrap()), (x, y));
                        for w in chain.windows(2) {
                            assert!(adj[w[0]].contains(&w[1]), "round {round}: {w:?}");
                        }
                    }
                    if adj[x].contains(&y) {
                        assert!(u.units()[x] >= u.units()[y], "dependencies first");
                    }
                }
            }
        }
    }

    #[test]
    fn a_200_000_service_chain_does_not_overflow_the_stack() {
        let names: Vec<String> = (0..200_000).map(|i| format!("s{i:06}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut b = Inv::new().svcs(&refs);
        for i in 1..refs.len() {
            b.inv.services[i].depends_on.push(crate::model::Edge {
                target: ServiceIx::new(i - 1),
                order: None,
                traffic: 0.0,
                latency_sensitive: false,
            });
        }
        b.inv.services[0].move_group = Some("g".to_owned());
        b.inv.services[199_999].move_group = Some("g".to_owned());
        let u = CutoverUnits::of(&b.inv, TogetherOrBefore, &all(&b.inv));
        assert_eq!(u.count(), 1);
        let u = CutoverUnits::of(&b.inv, Any, &all(&b.inv));
        assert_eq!(u.count(), 199_999);
    }
}
