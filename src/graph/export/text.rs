//! Plain text for people: what the graph holds and what it forces, in a screenful: counts,
//! cycles, cut-over units, layers, the most depended-on services and the critical chain.
//!
//! Every list is cut to a few lines with a count of the rest, so a 200,000-service chain
//! prints as quickly as the shipped default; `--format json` has everything.

use std::fmt::Write as _;

use crate::model::words::{plural, plural_of};
use crate::model::{Inventory, Order, ServiceIx};

use super::{DependencyGraph, id_of};

/// Cycles, units and layers listed before the rest is counted.
const MAX_GROUPS: usize = 10;
/// Members of one cycle or unit named before the rest is counted.
const MAX_MEMBERS: usize = 8;
/// The most depended-on services listed.
const TOP_HUBS: usize = 10;
/// Links of the critical chain listed before the rest is counted.
const MAX_CHAIN: usize = 30;

/// The graph summarised for a terminal (see the module docs); ids as in the inventory.
#[must_use]
pub fn to_text(g: &DependencyGraph, inv: &Inventory) -> String {
    let mut out = String::new();
    totals(&mut out, g);
    cycles(&mut out, g, inv);
    units(&mut out, g, inv);
    layers(&mut out, g);
    hubs(&mut out, g, inv);
    chain(&mut out, g, inv);
    out
}

/// Services, dependencies by kind, and how the services hang together.
fn totals(out: &mut String, g: &DependencyGraph) {
    let migrating = ServiceIx::all(g.service_count())
        .filter(|&s| g.is_migrating(s))
        .count();
    let _ = writeln!(
        out,
        "{} ({migrating} migrating), {}",
        plural_of(g.service_count(), "service"),
        plural_of(g.edges().len(), "dependency")
    );
    let by = |o: Order| g.edges().iter().filter(|e| e.order == o).count();
    let latency = g.edges().iter().filter(|e| e.latency_sensitive).count();
    let cross = g
        .edges()
        .iter()
        .filter(|e| g.in_production(e.from) != g.in_production(e.to))
        .count();
    let _ = writeln!(
        out,
        "  by order: {} together-or-before, {} strictly-before, {} any; {} latency-sensitive; {} cross-site now",
        by(Order::TogetherOrBefore),
        by(Order::StrictlyBefore),
        by(Order::Any),
        latency,
        cross
    );
    let groups = g.linked_groups();
    let alone = groups.iter().filter(|&&s| s == 1).count();
    let linked = groups.len() - alone;
    let _ = writeln!(
        out,
        "  linked: {}{}; {} with no dependency either way",
        plural_of(linked, "group"),
        groups
            .first()
            .filter(|&&s| s > 1)
            .map(|&s| format!(" (the largest {})", plural_of(s, "service")))
            .unwrap_or_default(),
        plural_of(alone, "service")
    );
}

/// `a, b, c` with at most [`MAX_MEMBERS`] ids, then how many more.
fn members(inv: &Inventory, group: &[ServiceIx]) -> String {
    let shown: Vec<&str> = group
        .iter()
        .take(MAX_MEMBERS)
        .map(|&s| id_of(inv, s))
        .collect();
    let rest = group.len().saturating_sub(MAX_MEMBERS);
    if rest == 0 {
        shown.join(", ")
    } else {
        format!("{} … and {rest} more", shown.join(", "))
    }
}

/// `  … and 3 more (--format json lists them all)` when `total` exceeds `shown`.
fn more(out: &mut String, shown: usize, total: usize) {
    if total > shown {
        let _ = writeln!(
            out,
            "  … and {} more (--format json lists them all)",
            total - shown
        );
    }
}

/// Strongly connected components of the ordered dependencies, with their members.
fn cycles(out: &mut String, g: &DependencyGraph, inv: &Inventory) {
    let all = g.components();
    let _ = writeln!(
        out,
        "\ncycles: {} (ordered dependencies between migrating services that loop back; each cycle cuts over in one wave)",
        all.len()
    );
    for c in all.iter().take(MAX_GROUPS) {
        let _ = writeln!(out, "  {}", members(inv, c));
    }
    more(out, MAX_GROUPS, all.len());
}

/// Cut-over units, largest first.
fn units(out: &mut String, g: &DependencyGraph, inv: &Inventory) {
    let all = g.units();
    let services: usize = all.iter().map(Vec::len).sum();
    let _ = writeln!(
        out,
        "\ncut-over units: {} ({} that must share a cutover wave: cycles, latency-sensitive dependencies, move groups)",
        all.len(),
        plural_of(services, "service")
    );
    // Units come sorted by first member; the biggest say most, ties stay in id order.
    let mut largest: Vec<&Vec<ServiceIx>> = all.iter().collect();
    largest.sort_by_key(|u| std::cmp::Reverse(u.len()));
    for u in largest.into_iter().take(MAX_GROUPS) {
        let _ = writeln!(out, "  {:>3}  {}", u.len(), members(inv, u));
    }
    more(out, MAX_GROUPS, all.len());
}

/// How many services each layer holds.
fn layers(out: &mut String, g: &DependencyGraph) {
    let all = g.layers();
    let _ = writeln!(
        out,
        "\nlayers: {} (depth of the dependency order over cut-over units; layer 0 depends on nothing that migrates)",
        all.len()
    );
    let digits = |n: usize| n.to_string().len();
    let width = all.iter().map(|l| digits(l.len())).max().unwrap_or(1);
    for (k, layer) in all.iter().enumerate().take(MAX_GROUPS) {
        // Counts right-aligned, so the layers' sizes read as a column.
        let pad = " ".repeat(width - digits(layer.len()));
        let _ = writeln!(
            out,
            "  layer {k:<3} {pad}{}",
            plural_of(layer.len(), "service")
        );
    }
    more(out, MAX_GROUPS, all.len());
}

/// The services most depended on, with direct and transitive dependants.
fn hubs(out: &mut String, g: &DependencyGraph, inv: &Inventory) {
    let top: Vec<(ServiceIx, usize)> = g.hubs(1).into_iter().take(TOP_HUBS).collect();
    if top.is_empty() {
        out.push_str("\nmost depended on: none (no service has a dependant)\n");
        return;
    }
    let _ = writeln!(
        out,
        "\nmost depended on: {} (direct dependants, then every service that depends on it, directly or not)",
        plural_of(top.len(), "service")
    );
    let counts = g.dependant_counts();
    let width = top
        .iter()
        .map(|&(s, _)| id_of(inv, s).chars().count())
        .max()
        .unwrap_or(0);
    for (s, direct) in top {
        let all = counts.get(s.pos()).copied().unwrap_or(direct);
        let _ = writeln!(
            out,
            "  {:<width$}  {direct:>5} direct  {all:>6} in all",
            id_of(inv, s)
        );
    }
}

/// The critical chain in cutover order, one service a line.
fn chain(out: &mut String, g: &DependencyGraph, inv: &Inventory) {
    let path = g.critical_path();
    let _ = writeln!(
        out,
        "\ncritical chain: {}, at least {} (ordered dependencies and durations alone), in cutover order",
        plural_of(path.len(), "service"),
        plural(g.longest_chain_waves(), "wave")
    );
    for (k, &s) in path.iter().take(MAX_CHAIN).enumerate() {
        let _ = writeln!(out, "  {}{}", if k == 0 { "" } else { "→ " }, id_of(inv, s));
    }
    more(out, MAX_CHAIN, path.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::{Inv, scenario};

    #[test]
    fn every_analysis_is_summarised() {
        // a <-> b loop; c ~ d latency; e -> f -> a chain; g alone; p in production.
        let inv = Inv::new()
            .svcs(&["a", "b", "c", "d", "e", "f", "g", "p"])
            .dep("a", "b")
            .dep("b", "a")
            .latency("c", "d")
            .chain(&["e", "f", "a"])
            .in_production("p")
            .dep("f", "p")
            .dep("c", "p")
            .build();
        let g = DependencyGraph::build(&inv, &scenario());
        assert_eq!(g.linked_groups(), [7, 1]);
        let text = to_text(&g, &inv);
        for line in [
            "8 services (7 migrating), 7 dependencies\n",
            "  by order: 6 together-or-before, 0 strictly-before, 1 any; 1 latency-sensitive; 2 cross-site now\n",
            "  linked: 1 group (the largest 7 services); 1 service with no dependency either way\n",
            "\ncycles: 1 (",
            "\n  a, b\n",
            "\ncut-over units: 2 (4 services that",
            "\n    2  a, b\n    2  c, d\n",
            "\nlayers: 3 (",
            "\n  layer 0   5 services\n  layer 1   1 service\n  layer 2   1 service\n",
            "\nmost depended on: 5 services (",
            "\n  a      2 direct       3 in all\n  p      2 direct       3 in all\n",
            "\ncritical chain: 3 services, at least 1 wave (",
            "\n  a\n  → f\n  → e\n",
        ] {
            assert!(text.contains(line), "{line:?} in\n{text}");
        }
        assert!(!text.contains("more (--format json"), "{text}");
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        let ids: Vec<String> = (0..50).map(|k| format!("s{k:02}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let inv = Inv::new().svcs(&refs).chain(&refs).build();
        let text = to_text(&DependencyGraph::build(&inv, &scenario()), &inv);
        assert!(text.contains("\nlayers: 50 ("), "{text}");
        assert!(
            text.contains(
                "  layer 9   1 service\n  … and 40 more (--format json lists them all)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("  … and 20 more (--format json lists them all)\n"),
            "{text}"
        );
        assert!(text.lines().count() < 80, "{text}");
    }

    #[test]
    fn an_inventory_without_dependencies_says_so() {
        let inv = Inv::new().svcs(&["a", "b"]).build();
        let text = to_text(&DependencyGraph::build(&inv, &scenario()), &inv);
        assert!(
            text.starts_with("2 services (2 migrating), 0 dependencies\n"),
            "{text}"
        );
        assert!(text.contains("  linked: 0 groups; 2 services with no dependency either way\n"));
        assert!(text.contains("\nmost depended on: none (no service has a dependant)\n"));
        assert!(
            text.contains("\ncritical chain: 1 service, at least 1 wave ("),
            "{text}"
        );
    }
}
