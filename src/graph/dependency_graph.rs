//! [`DependencyGraph`]: the inventory's edges with effective orders, and the structures derived
//! from them once at build time (cycles, units, layers, the critical chain).

use std::collections::BTreeMap;

use crate::model::{Inventory, Order, Scenario, ServiceIx};

use super::chain::{Chain, longest_chain};
use super::csr::Csr;
use super::scc::sccs;
use super::units::CutoverUnits;

/// One `depends_on` edge: `from` depends on `to`, with the order that applies in the scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DepEdge {
    /// A, the dependant.
    pub from: ServiceIx,
    /// B, the service depended upon.
    pub to: ServiceIx,
    /// The edge's own order, or the scenario's `rules.dependency_order`.
    pub order: Order,
    /// Cross-site traffic weight.
    pub traffic: f64,
    /// Both ends must cut over in the same wave.
    pub latency_sensitive: bool,
}

/// The dependency graph of an inventory under a scenario, with its analyses.
///
/// "Ordered edges" are edges whose effective order is not `any` and whose ends both migrate:
/// only they constrain the cutover order (SPEC 4.1).
#[derive(Debug, Clone)]
pub struct DependencyGraph {
    pub(super) edges: Vec<DepEdge>,
    pub(super) migrating: Vec<bool>,
    pub(super) in_production: Vec<bool>,
    /// Position of each service in id order: every output list is sorted by it.
    pub(super) rank: Vec<u32>,
    pub(super) default_order: Order,
    /// Reverse of every edge (B -> A when A depends on B), self-loops dropped.
    pub(super) dependants_of: Csr,
    components: Vec<Vec<ServiceIx>>,
    units: Vec<Vec<ServiceIx>>,
    unit_of: Vec<Option<usize>>,
    layer_of: Vec<Option<usize>>,
    layer_count: usize,
    chain: Chain,
}

impl DependencyGraph {
    /// Builds the graph: every service is a node, every `depends_on` edge an arc (A -> B means
    /// A depends on B) carrying its effective order. Edges to unknown services are skipped.
    #[must_use]
    pub fn build(inv: &Inventory, sc: &Scenario) -> Self {
        let n = inv.services.len();
        let default_order = sc.rules.dependency_order;
        let migrating: Vec<bool> = inv.services.iter().map(|s| s.is_migrating()).collect();
        let in_production: Vec<bool> = inv.services.iter().map(|s| s.in_production()).collect();
        let duration: Vec<u32> = inv
            .services
            .iter()
            .map(|s| s.duration_waves.max(1))
            .collect();

        let mut by_id: Vec<ServiceIx> = ServiceIx::all(n).collect();
        by_id.sort_by(|&a, &b| inv.services[a].id.cmp(&inv.services[b].id));
        let mut rank = vec![0u32; n];
        for (r, &s) in by_id.iter().enumerate() {
            rank[s] = to_u32(r);
        }

        let edges: Vec<DepEdge> = inv
            .indexed()
            .flat_map(|(a, s)| {
                s.depends_on
                    .iter()
                    .filter(|e| e.target.pos() < n)
                    .map(move |e| DepEdge {
                        from: a,
                        to: e.target,
                        order: e.effective_order(default_order),
                        traffic: e.traffic,
                        latency_sensitive: e.latency_sensitive,
                    })
            })
            .collect();

        let both_migrate = |e: &DepEdge| e.from != e.to && migrating[e.from] && migrating[e.to];
        let ordered_edge_ix: Vec<(u32, u32)> = edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.order != Order::Any && both_migrate(e))
            .map(|(i, e)| (to_u32(e.from.pos()), to_u32(i)))
            .collect();
        let ordered_arcs: Vec<(u32, u32)> = ordered_edge_ix
            .iter()
            .map(|&(a, i)| (a, to_u32(edges[i as usize].to.pos())))
            .collect();
        let ordered_out = Csr::from_arcs(n, &ordered_edge_ix);

        // Cycles: SCCs of the ordered edges alone.
        let cyc = sccs(n, &ordered_arcs);
        drop(ordered_arcs);
        let components = sorted_groups(&cyc.comp, cyc.count, &migrating, &rank);

        // Units: SCCs once equal-cutover links (latency-sensitive edges, move groups) are added
        // both ways. A union-find of the links alone would miss units closed by ordered edges
        // (A ~ B latency, A -> C -> B ordered forces C into the same wave), and would leave
        // cycles in the condensed DAG.
        let all: Vec<ServiceIx> = ServiceIx::all(n).collect();
        let cut = CutoverUnits::of(inv, default_order, &all);
        let unit_count = cut.count();
        let unit_comp = cut.into_units();
        let units = sorted_groups(&unit_comp, unit_count, &migrating, &rank);
        let mut unit_of = vec![None; n];
        for (u, members) in units.iter().enumerate() {
            for &s in members {
                unit_of[s] = Some(u);
            }
        }

        // Members of every condensed unit (singletons too), in id order.
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); unit_count];
        for &s in &by_id {
            if migrating[s] {
                members[unit_comp[s] as usize].push(to_u32(s.pos()));
            }
        }

        // Layers: units are numbered dependencies first, so one forward pass suffices.
        let mut unit_layer = vec![0usize; unit_count];
        for (c, ms) in members.iter().enumerate() {
            let mut layer = 0;
            for &m in ms {
                for &ei in ordered_out.succ(m as usize) {
                    let d = unit_comp[edges[ei as usize].to] as usize;
                    if d != c {
                        layer = layer.max(unit_layer[d] + 1);
                    }
                }
            }
            unit_layer[c] = layer;
        }
        let layer_of: Vec<Option<usize>> = (0..n)
            .map(|s| migrating[s].then(|| unit_layer[unit_comp[s] as usize]))
            .collect();
        let layer_count = layer_of.iter().flatten().max().map_or(0, |&l| l + 1);

        let chain = longest_chain(&edges, &ordered_out, &unit_comp, &members, &duration);

        let reverse: Vec<(u32, u32)> = edges
            .iter()
            .filter(|e| e.from != e.to)
            .map(|e| (to_u32(e.to.pos()), to_u32(e.from.pos())))
            .collect();
        let dependants_of = Csr::from_arcs(n, &reverse);

        Self {
            edges,
            migrating,
            in_production,
            rank,
            default_order,
            dependants_of,
            components,
            units,
            unit_of,
            layer_of,
            layer_count,
            chain,
        }
    }

    /// Strongly connected components (cycles) of the ordered edges between migrating services,
    /// size >= 2; members sorted by id, components by their first member.
    #[must_use]
    pub fn components(&self) -> &[Vec<ServiceIx>] {
        &self.components
    }

    /// Services that must cut over together (cycles of ordered edges, latency-sensitive links
    /// and move groups, migrating members only, closed under ordered edges), size >= 2; members
    /// sorted by id, units by their first member.
    #[must_use]
    pub fn units(&self) -> &[Vec<ServiceIx>] {
        &self.units
    }

    /// The index in [`Self::units`] of the unit containing `s`, if it shares one.
    #[must_use]
    pub fn unit_of(&self, s: ServiceIx) -> Option<usize> {
        self.unit_of.get(s.pos()).copied().flatten()
    }

    /// Topological layers of the condensed unit DAG over ordered edges: layer 0 depends on
    /// nothing that migrates; a unit sits one layer above its highest dependency. Migrating
    /// services only, each layer sorted by id.
    #[must_use]
    pub fn layers(&self) -> Vec<Vec<ServiceIx>> {
        let mut layers = vec![Vec::new(); self.layer_count];
        for s in self.by_id() {
            if let Some(l) = self.layer_of[s] {
                layers[l].push(s);
            }
        }
        layers
    }

    /// The layer of `s` (see [`Self::layers`]); `None` when it does not migrate.
    #[must_use]
    pub fn layer_of(&self, s: ServiceIx) -> Option<usize> {
        self.layer_of.get(s.pos()).copied().flatten()
    }

    /// The longest dependency chain: services in cutover order, each depending on the one
    /// before by an ordered edge or sharing its unit. It is the chain forcing the most waves
    /// (see [`Self::longest_chain_waves`]); among equals, the one through the most units.
    #[must_use]
    pub fn critical_path(&self) -> Vec<ServiceIx> {
        self.chain.path.clone()
    }

    /// The fewest waves the ordered edges and durations alone force (0 when nothing migrates):
    /// a `together-or-before` edge lets B cut over in A's wave, a `strictly-before` edge adds
    /// A's `duration_waves`. Calendar and capacities are ignored, so it is a lower bound.
    #[must_use]
    pub fn longest_chain_waves(&self) -> u32 {
        self.chain.waves
    }

    /// Every edge, in inventory order (by dependant, then `depends_on` order).
    #[must_use]
    pub fn edges(&self) -> &[DepEdge] {
        &self.edges
    }

    /// Number of services (nodes).
    #[must_use]
    pub fn service_count(&self) -> usize {
        self.migrating.len()
    }

    /// Whether `s` migrates (gets waves).
    #[must_use]
    pub fn is_migrating(&self, s: ServiceIx) -> bool {
        self.migrating.get(s.pos()).copied().unwrap_or(false)
    }

    /// Whether `s` already runs in production.
    #[must_use]
    pub fn in_production(&self, s: ServiceIx) -> bool {
        self.in_production.get(s.pos()).copied().unwrap_or(false)
    }

    /// The scenario's default edge order.
    #[must_use]
    pub fn default_order(&self) -> Order {
        self.default_order
    }

    /// All services sorted by id.
    #[must_use]
    pub fn by_id(&self) -> Vec<ServiceIx> {
        let mut v = vec![ServiceIx::new(0); self.rank.len()];
        for (s, &r) in self.rank.iter().enumerate() {
            v[r as usize] = ServiceIx::new(s);
        }
        v
    }

    /// Sorts services by id.
    pub(super) fn sort_by_id(&self, v: &mut [ServiceIx]) {
        v.sort_unstable_by_key(|&s| self.rank[s]);
    }
}

/// Groups the migrating nodes by component, keeps groups of two or more, sorts members by rank
/// and groups by their first member.
fn sorted_groups(
    comp: &[u32],
    count: usize,
    migrating: &[bool],
    rank: &[u32],
) -> Vec<Vec<ServiceIx>> {
    let mut size = vec![0u32; count];
    for (s, &c) in comp.iter().enumerate() {
        if migrating[s] {
            size[c as usize] += 1;
        }
    }
    let mut groups: BTreeMap<u32, Vec<ServiceIx>> = BTreeMap::new();
    for (s, &c) in comp.iter().enumerate() {
        if migrating[s] && size[c as usize] >= 2 {
            groups.entry(c).or_default().push(ServiceIx::new(s));
        }
    }
    let mut out: Vec<Vec<ServiceIx>> = groups.into_values().collect();
    for g in &mut out {
        g.sort_unstable_by_key(|&s| rank[s]);
    }
    out.sort_unstable_by_key(|g| rank[g[0]]);
    out
}

/// Node and arc numbers fit in `u32`: an inventory of four billion services is not a thing.
fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests build their own data")]
mod tests {
    use super::*;
    use crate::graph::testing::{Inv, ids, idss, scenario};
    use crate::model::{Site, Status, Strategy};

    fn graph(inv: &Inventory) -> DependencyGraph {
        DependencyGraph::build(inv, &scenario())
    }

    #[test]
    fn cycles_of_ordered_edges_are_components() {
        let inv = Inv::new()
            .svcs(&["a", "b", "c", "d", "e", "x", "y"])
            .chain(&["c", "b", "a", "c"])
            .dep("a", "d")
            .edge("d", "e", Some(Order::Any), false)
            .edge("e", "d", None, false)
            // x <-> y only through a retained y: nothing migrates on the far end.
            .with("y", |s| s.strategy = Strategy::Retain)
            .dep("x", "y")
            .dep("y", "x")
            .build();
        let g = graph(&inv);
        assert_eq!(idss(&inv, g.components()), [["a", "b", "c"]]);
        assert_eq!(idss(&inv, g.units()), [["a", "b", "c"]]);
        assert_eq!(g.unit_of(inv.find("b").unwrap()), Some(0));
        assert_eq!(g.unit_of(inv.find("d").unwrap()), None);
        // e -> d is ordered, d -> e is `any`: no cycle, e sits above d.
        assert_eq!(
            idss(&inv, &g.layers()),
            [vec!["d", "x"], vec!["a", "b", "c", "e"]]
        );
    }

    #[test]
    fn move_groups_and_latency_links_merge_into_units() {
        let inv = Inv::new()
            .svcs(&["a", "b", "c", "d", "e", "f", "g", "h", "p"])
            .with("a", |s| s.move_group = Some("g1".into()))
            .with("b", |s| s.move_group = Some("g1".into()))
            .edge("b", "c", Some(Order::Any), true)
            // d ~ e by latency, d -> f -> e by order: f must join them.
            .edge("d", "e", Some(Order::Any), true)
            .chain(&["d", "f", "e"])
            // A non-migrating move-group member is ignored.
            .with("g", |s| s.move_group = Some("g2".into()))
            .with("h", |s| {
                s.move_group = Some("g2".into());
                s.status = Status::Migrated;
            })
            // Latency to a production service links nothing.
            .with("p", |s| s.site = Site::ProductionCloud)
            .edge("g", "p", None, true)
            .build();
        let g = graph(&inv);
        assert!(g.components().is_empty());
        assert_eq!(
            idss(&inv, g.units()),
            [vec!["a", "b", "c"], vec!["d", "e", "f"]]
        );
        assert_eq!(g.unit_of(inv.find("g").unwrap()), None);
    }

    #[test]
    fn diamond_layers() {
        let inv = Inv::new()
            .svcs(&["top", "left", "right", "base", "other"])
            .dep("top", "left")
            .dep("top", "right")
            .dep("left", "base")
            .dep("right", "base")
            .build();
        let g = graph(&inv);
        assert_eq!(
            idss(&inv, &g.layers()),
            [vec!["base", "other"], vec!["left", "right"], vec!["top"]]
        );
        assert_eq!(g.layer_of(inv.find("top").unwrap()), Some(2));
    }

    #[test]
    fn layers_skip_services_that_do_not_migrate() {
        let inv = Inv::new()
            .svcs(&["app", "idp", "gone", "keep"])
            .with("idp", |s| s.site = Site::ProductionCloud)
            .with("gone", |s| s.strategy = Strategy::Retire)
            .with("keep", |s| s.strategy = Strategy::Retain)
            .dep("app", "idp")
            .edge("app", "gone", Some(Order::Any), false)
            .dep("app", "keep")
            .build();
        let g = graph(&inv);
        assert_eq!(idss(&inv, &g.layers()), [["app"]]);
        assert_eq!(g.layer_of(inv.find("idp").unwrap()), None);
    }

    #[test]
    fn units_are_one_layer_and_condense_cleanly() {
        // a ~ b (move group), c depends on a, b depends on d: layers d | a b | c
        let inv = Inv::new()
            .svcs(&["a", "b", "c", "d"])
            .with("a", |s| s.move_group = Some("m".into()))
            .with("b", |s| s.move_group = Some("m".into()))
            .dep("c", "a")
            .dep("b", "d")
            .build();
        let g = graph(&inv);
        assert_eq!(
            idss(&inv, &g.layers()),
            [vec!["d"], vec!["a", "b"], vec!["c"]]
        );
    }

    #[test]
    fn critical_path_counts_durations_by_order() {
        // api -(strict)-> db -(together)-> store; db takes 3 waves, api 2, store 1.
        // cutover(store) >= 1, cutover(db) >= max(3, 1) = 3, cutover(api) >= 3 + 2 = 5.
        let inv = Inv::new()
            .svcs(&["api", "db", "store", "big"])
            .with("db", |s| s.duration_waves = 3)
            .with("api", |s| s.duration_waves = 2)
            .with("big", |s| s.duration_waves = 4)
            .edge("api", "db", Some(Order::StrictlyBefore), false)
            .dep("db", "store")
            .build();
        let g = graph(&inv);
        assert_eq!(g.longest_chain_waves(), 5);
        assert_eq!(ids(&inv, &g.critical_path()), ["store", "db", "api"]);
    }

    #[test]
    fn critical_path_prefers_waves_then_length() {
        // All together-or-before with duration 1: one wave, so the longest chain wins.
        let inv = Inv::new()
            .svcs(&["a", "b", "c", "d", "e"])
            .chain(&["a", "b", "c"])
            .dep("d", "e")
            .build();
        let g = graph(&inv);
        assert_eq!(g.longest_chain_waves(), 1);
        assert_eq!(ids(&inv, &g.critical_path()), ["c", "b", "a"]);
        // A longer single service beats the chain.
        let inv = Inv::new()
            .svcs(&["a", "b", "c", "d"])
            .chain(&["a", "b", "c"])
            .with("d", |s| s.duration_waves = 2)
            .build();
        let g = graph(&inv);
        assert_eq!(g.longest_chain_waves(), 2);
        assert_eq!(ids(&inv, &g.critical_path()), ["d"]);
    }

    #[test]
    fn critical_path_passes_through_units() {
        // x -(strict)-> a ~ b (latency) ; b -(strict)-> y. a's duration 2.
        // cutover(y) >= 1; unit{a,b} >= max(2, 1 + dur(b)=1 -> 2) = 2; x >= 2 + 1 = 3.
        let inv = Inv::new()
            .svcs(&["a", "b", "x", "y"])
            .with("a", |s| s.duration_waves = 2)
            .edge("a", "b", Some(Order::Any), true)
            .edge("x", "a", Some(Order::StrictlyBefore), false)
            .edge("b", "y", Some(Order::StrictlyBefore), false)
            .build();
        let g = graph(&inv);
        assert_eq!(g.longest_chain_waves(), 3);
        assert_eq!(ids(&inv, &g.critical_path()), ["y", "b", "a", "x"]);
    }

    #[test]
    fn nothing_migrating_gives_empty_analyses() {
        let inv = Inv::new()
            .svcs(&["a"])
            .with("a", |s| s.strategy = Strategy::Retain)
            .build();
        let g = graph(&inv);
        assert!(g.layers().is_empty());
        assert!(g.critical_path().is_empty());
        assert_eq!(g.longest_chain_waves(), 0);
        let empty = graph(&Inventory::default());
        assert_eq!(empty.service_count(), 0);
        assert!(empty.dependant_counts().is_empty());
    }

    #[test]
    fn scenario_default_order_applies() {
        let inv = Inv::new().svcs(&["a", "b"]).dep("a", "b").build();
        let mut sc = scenario();
        sc.rules.dependency_order = Order::Any;
        let g = DependencyGraph::build(&inv, &sc);
        assert_eq!(g.edges()[0].order, Order::Any);
        assert_eq!(g.layers().len(), 1);
    }

    #[test]
    fn dependants_and_hubs() {
        // idp <- a, b, c ; a <- d ; d <- e ; b <- c (c has two paths to idp)
        let inv = Inv::new()
            .svcs(&["idp", "a", "b", "c", "d", "e"])
            .dep("a", "idp")
            .dep("b", "idp")
            .dep("c", "idp")
            .dep("c", "b")
            .dep("d", "a")
            .edge("e", "d", Some(Order::Any), false)
            .build();
        let g = graph(&inv);
        let ix = |id: &str| inv.find(id).unwrap();
        assert_eq!(
            ids(&inv, &g.dependants(ix("idp"))),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(ids(&inv, &g.dependants(ix("b"))), ["c"]);
        assert!(g.dependants(ix("e")).is_empty());
        let hubs: Vec<(String, usize)> = g
            .hubs(1)
            .into_iter()
            .map(|(s, d)| (inv.services[s].id.to_string(), d))
            .collect();
        assert_eq!(
            hubs,
            [
                ("idp".into(), 3),
                ("a".into(), 1),
                ("b".into(), 1),
                ("d".into(), 1)
            ]
        );
        assert_eq!(g.hubs(2).len(), 1);
        let counts = g.dependant_counts();
        for (s, &count) in counts.iter().enumerate() {
            assert_eq!(count, g.dependants(ServiceIx::new(s)).len());
        }
    }

    #[test]
    fn dependant_counts_match_bfs_on_random_graphs_with_cycles() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..20 {
            let n = rng.random_range(1..600usize);
            let names: Vec<String> = (0..n).map(|i| format!("s{i:04}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut b = Inv::new().svcs(&refs);
            for _ in 0..rng.random_range(0..2 * n) {
                let (x, y) = (rng.random_range(0..n), rng.random_range(0..n));
                if x != y
                    && !b.inv.services[x]
                        .depends_on
                        .iter()
                        .any(|e| e.target == ServiceIx::new(y))
                {
                    b = b.dep(refs[x], refs[y]);
                }
            }
            let inv = b.build();
            let g = graph(&inv);
            let counts = g.dependant_counts();
            assert_eq!(counts.len(), n);
            for (s, &count) in counts.iter().enumerate() {
                assert_eq!(count, g.dependants(ServiceIx::new(s)).len());
            }
        }
    }

    #[test]
    fn long_chain_does_not_overflow_the_stack() {
        // 200,000 services, each depending on the next: 200,000 layers.
        const N: usize = 200_000;
        let mut inv = Inv::new().build();
        let names: Vec<String> = (0..N).map(|i| format!("s{i:06}")).collect();
        let proto = Inv::new().svcs(&["proto"]).build().services.remove(0);
        for (i, name) in names.iter().enumerate() {
            let mut s = proto.clone();
            s.id = crate::model::ServiceId::new(name.as_str());
            if i + 1 < N {
                s.depends_on.push(crate::model::Edge {
                    target: ServiceIx::new(i + 1),
                    order: None,
                    traffic: 1.0,
                    latency_sensitive: false,
                });
            }
            inv.services.push(s);
        }
        // Close the chain into one giant cycle on a copy, too.
        let g = graph(&inv);
        let layers = g.layers();
        assert_eq!(layers.len(), N);
        assert_eq!(layers[0], [ServiceIx::new(N - 1)]);
        assert_eq!(layers[N - 1], [ServiceIx::new(0)]);
        assert_eq!(g.critical_path().len(), N);
        assert_eq!(g.dependants(ServiceIx::new(N - 1)).len(), N - 1);
        assert!(g.components().is_empty());

        inv.services[N - 1].depends_on.push(crate::model::Edge {
            target: ServiceIx::new(0),
            order: None,
            traffic: 1.0,
            latency_sensitive: false,
        });
        let g = graph(&inv);
        assert_eq!(g.components().len(), 1);
        assert_eq!(g.components()[0].len(), N);
        assert_eq!(g.layers().len(), 1);
    }
}

#[cfg(test)]
mod bench {
    use std::time::Instant;

    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::graph::testing::{Inv, scenario};
    use crate::model::ServiceId;

    /// `cargo test --release --lib graph::dependency_graph::bench -- --ignored --nocapture`
    #[test]
    #[ignore = "timing run; use --release"]
    #[expect(clippy::print_stderr, clippy::unwrap_used, reason = "reports timings")]
    fn time_100k_services_500k_edges() {
        const N: usize = 100_000;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let proto = Inv::new().svcs(&["proto"]).build().services.remove(0);
        let mut inv = Inv::new().build();
        for i in 0..N {
            let mut s = proto.clone();
            s.id = ServiceId::new(format!("s{:06}", (i * 7919) % N));
            s.duration_waves = rng.random_range(1..4);
            if i % 50 == 0 {
                s.move_group = Some(format!("g{}", i / 500));
            }
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..5 {
                // Mostly forward (a DAG), 1 in 5000 a little backwards to make some cycles.
                let t = if rng.random_range(0..5000) == 0 {
                    i.saturating_sub(rng.random_range(1..20))
                } else {
                    (i + rng.random_range(1..2000)).min(N - 1)
                };
                if t != i && seen.insert(t) {
                    let order = match rng.random_range(0..10) {
                        0 => Some(Order::Any),
                        1 => Some(Order::StrictlyBefore),
                        _ => None,
                    };
                    s.depends_on.push(crate::model::Edge {
                        target: ServiceIx::new(t),
                        order,
                        traffic: 1.0,
                        latency_sensitive: order != Some(Order::StrictlyBefore)
                            && rng.random_range(0..100) == 0,
                    });
                }
            }
            inv.services.push(s);
        }
        let sc = scenario();
        let t = Instant::now();
        let g = DependencyGraph::build(&inv, &sc);
        let build = t.elapsed();
        let t = Instant::now();
        let (c, u, l) = (g.components().len(), g.units().len(), g.layers().len());
        let read = t.elapsed();
        let t = Instant::now();
        let counts = g.dependant_counts();
        let counts_t = t.elapsed();
        let t = Instant::now();
        let json = crate::graph::export::to_json(&g, &inv).to_string();
        let json_t = t.elapsed();
        let t = Instant::now();
        let mut text = Vec::new();
        crate::graph::export::write_json(&g, &inv, &mut text).unwrap();
        let write_t = t.elapsed();
        let t = Instant::now();
        let dot = crate::graph::export::to_dot(&g, &inv);
        let mm = crate::graph::export::to_mermaid(&g, &inv);
        let text_t = t.elapsed();
        eprintln!(
            "{N} services, {} edges: build {build:?} (components {c}, units {u}, layers {l}, \
             chain {} waves) + layers {read:?}; dependant_counts {counts_t:?} (max {}); \
             to_json {json_t:?} ({} bytes); write_json {write_t:?} ({} bytes); dot+mermaid {text_t:?} ({} + {} bytes)",
            g.edges().len(),
            g.longest_chain_waves(),
            counts.iter().max().unwrap_or(&0),
            json.len(),
            text.len(),
            dot.len(),
            mm.len(),
        );
    }
}
