//! The scheduler's cut-over units (`graph::CutoverUnits`) against verify's own rules.
//!
//! Two migrating services share a unit exactly when every plan verify accepts gives them one
//! cutover wave. Checked on random small inventories, both ways:
//! - units are no coarser than needed: the plan putting each unit in its own wave, in the
//!   units' dependencies-first order, breaks none of verify's edge and move-group rules (so
//!   services in different units can be separated);
//! - units are no finer than needed: moving any proper subset of a unit one wave earlier
//!   breaks one of them. A valid plan splitting a unit would contradict this: take the
//!   members at the unit's earliest wave as the subset; verify's rules only compare cutovers
//!   of linked services, so the size of the gap does not matter.

use proptest::prelude::*;

use super::testkit::Fx;
use crate::graph::CutoverUnits;
use crate::model::{Order, ServiceIx, Site};

/// Verify's rules about edges and move groups, the ones that tie cutovers together.
fn ties(fx: &Fx, starts: &[(String, u32)]) -> Vec<String> {
    let starts: Vec<(&str, u32)> = starts.iter().map(|(s, w)| (s.as_str(), *w)).collect();
    fx.breaches(&fx.plan(&starts))
        .into_iter()
        .map(|(rule, _)| rule)
        .filter(|r| r.starts_with("edge.") || r.starts_with("dependency.") || r == "move_group")
        .collect()
}

/// An edge `(from, to, order, latency_sensitive)`; order 0 is the scenario's default.
type RawEdge = (usize, usize, usize, bool);

fn inventory(n: usize, edges: &[RawEdge], tags: &[usize], default: usize) -> Fx {
    const ORDERS: [Order; 3] = [Order::Any, Order::TogetherOrBefore, Order::StrictlyBefore];
    let mut fx = Fx::new();
    fx.sc.calendar.max_waves = 60;
    fx.sc.rules.dependency_order = ORDERS[default];
    let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    for (name, &tag) in names.iter().zip(tags) {
        let s = fx.svc(name);
        match tag {
            1 => s.move_group = Some("g1".to_owned()),
            2 => s.move_group = Some("g2".to_owned()),
            3 => s.site = Site::ProductionCloud,
            _ => {}
        }
    }
    for &(a, b, order, latency) in edges {
        let (a, b) = (a % n, b % n);
        if a != b {
            let order = order.checked_sub(1).map(|o| ORDERS[o]);
            fx.dep(&names[a], &names[b], order, latency);
        }
    }
    fx
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|x| x.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn units_are_exactly_what_verify_makes_share_a_wave(
        n in 2usize..=7,
        edges in prop::collection::vec((0usize..7, 0usize..7, 0usize..4, prop::bool::weighted(0.2)), 0..12),
        tags in prop::collection::vec(prop::sample::select(vec![0usize, 0, 0, 1, 2, 3]), 7),
        default in 0usize..3,
    ) {
        let fx = inventory(n, &edges, &tags, default);
        let inv = &fx.inv;
        let order = fx.sc.rules.dependency_order;
        let mig: Vec<ServiceIx> = inv.migrating().collect();
        let cut = CutoverUnits::of(inv, order, &mig);
        let unit = cut.units();
        let pos = |s: ServiceIx| mig.iter().position(|&m| m == s);
        // A strictly-before edge inside a unit is a load error: no plan satisfies it.
        let impossible = mig.iter().enumerate().any(|(i, &s)| {
            inv.services[s].depends_on.iter().any(|e| {
                e.effective_order(order) == Order::StrictlyBefore
                    && pos(e.target).is_some_and(|j| unit[j] == unit[i])
            })
        });
        prop_assume!(!impossible);

        let wave = |u: u32| 3 * u + 2;
        let base: Vec<(String, u32)> = mig
            .iter()
            .enumerate()
            .map(|(i, &s)| (inv.services[s].id.to_string(), wave(unit[i])))
            .collect();
        prop_assert_eq!(ties(&fx, &base), Vec::<String>::new());

        for u in 0..cut.count() {
            let members: Vec<usize> = (0..mig.len()).filter(|&i| unit[i] == u as u32).collect();
            let k = members.len();
            for subset in 1..(1u32 << k) - 1 {
                let mut plan = base.clone();
                for (b, &i) in members.iter().enumerate() {
                    if subset & (1 << b) != 0 {
                        plan[i].1 -= 1;
                    }
                }
                prop_assert!(
                    !ties(&fx, &plan).is_empty(),
                    "unit {:?} split by {:b} without a breach", members, subset
                );
            }
        }
    }
}
