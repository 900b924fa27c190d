//! SPEC 4.1, 4.2 and 4.7: dependency order and latency between scheduled services,
//! completeness (no scheduled service relies on an unscheduled one) and move groups.

use std::collections::BTreeMap;

use super::Breach;
use super::facts::Facts;
use crate::model::{Order, Rule, ServiceIx};

/// Checks every edge whose ends both migrate, and every move group.
// Edge by edge on purpose, not through `graph::CutoverUnits`: verify shares no code with the
// scheduler, so it cannot share its mistakes.
pub(super) fn check(f: &Facts<'_>, out: &mut Vec<Breach>) {
    for (a, sa) in f.inv.indexed() {
        if !f.migrating[a] {
            continue;
        }
        let Some(slot_a) = f.slots[a] else { continue };
        for e in &sa.depends_on {
            // B in production, retained or retired imposes nothing.
            if !f.migrating.get(e.target.pos()).copied().unwrap_or(false)
                || !(f.wanted(a) || f.wanted(e.target))
            {
                continue;
            }
            let sb = &f.inv.services[e.target];
            let order = f.order(e);
            let Some(slot_b) = f.slots[e.target] else {
                if order != Order::Any || e.latency_sensitive {
                    out.push(Breach::new(
                        Rule::DependencyUnscheduled,
                        Some(&sa.id),
                        Some(slot_a.cutover),
                        format!(
                            "{} is scheduled but depends ({}{}) on unscheduled {}",
                            sa.id,
                            order.as_str(),
                            if e.latency_sensitive {
                                ", latency_sensitive"
                            } else {
                                ""
                            },
                            sb.id
                        ),
                    ));
                }
                continue;
            };
            let (ca, cb) = (slot_a.cutover, slot_b.cutover);
            if order == Order::TogetherOrBefore && cb > ca {
                out.push(Breach::new(
                    Rule::TogetherOrBefore,
                    Some(&sa.id),
                    Some(ca),
                    format!(
                        "{} (cutover {ca}) depends on {} (cutover {cb})",
                        sa.id, sb.id
                    ),
                ));
            }
            if order == Order::StrictlyBefore && cb >= slot_a.start {
                out.push(Breach::new(
                    Rule::StrictlyBefore,
                    Some(&sa.id),
                    Some(slot_a.start),
                    format!(
                        "{} (start {}) depends on {} (cutover {cb})",
                        sa.id, slot_a.start, sb.id
                    ),
                ));
            }
            if e.latency_sensitive && ca != cb {
                out.push(Breach::new(
                    Rule::LatencySensitive,
                    Some(&sa.id),
                    Some(ca),
                    format!(
                        "{} (cutover {ca}) and {} (cutover {cb}) must cut over together",
                        sa.id, sb.id
                    ),
                ));
            }
        }
    }
    check_move_groups(f, out);
}

/// Members of a group share one cutover, and a group is scheduled whole or not at all.
fn check_move_groups(f: &Facts<'_>, out: &mut Vec<Breach>) {
    let mut groups: BTreeMap<&str, Vec<ServiceIx>> = BTreeMap::new();
    for (ix, s) in f.inv.indexed() {
        if let (true, Some(g)) = (f.migrating[ix], s.move_group.as_deref()) {
            groups.entry(g).or_default().push(ix);
        }
    }
    let svcs = &f.inv.services;
    for (g, mut mem) in groups {
        if !mem.iter().any(|&m| f.wanted(m)) {
            continue;
        }
        mem.sort_by(|a, b| svcs[*a].id.cmp(&svcs[*b].id));
        let placed: Vec<(ServiceIx, u32)> = mem
            .iter()
            .filter_map(|&m| Some((m, f.slots[m]?.cutover)))
            .collect();
        let Some(&(first, c0)) = placed.first() else {
            continue;
        };
        let list = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(", ");
        let missing: Vec<ServiceIx> = mem
            .iter()
            .copied()
            .filter(|&m| f.slots[m].is_none())
            .collect();
        if let Some(&m0) = missing.first() {
            out.push(Breach::new(
                Rule::MoveGroup,
                Some(&svcs[m0].id),
                None,
                format!(
                    "move group {g} is partly scheduled: {} unscheduled, {} scheduled",
                    list(&mut missing.iter().map(|&m| svcs[m].id.to_string())),
                    list(&mut placed.iter().map(|&(m, _)| svcs[m].id.to_string()))
                ),
            ));
        }
        if let Some(&(odd, c)) = placed.iter().find(|&&(_, c)| c != c0) {
            out.push(Breach::new(
                Rule::MoveGroup,
                Some(&svcs[odd].id),
                Some(c),
                format!(
                    "move group {g}: {} cuts over in wave {c} but {} in wave {c0}; cutovers: {}",
                    svcs[odd].id,
                    svcs[first].id,
                    list(&mut placed.iter().map(|&(m, c)| format!("{}={c}", svcs[m].id)))
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, pair, want};
    use crate::model::{Order, Site, Strategy};

    #[test]
    fn together_or_before_needs_b_no_later() {
        let fx = pair();
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1), ("b", 1)])), want(&[]));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1), ("b", 2)])),
            want(&[("edge.together-or-before", Some("a"))])
        );
    }

    #[test]
    fn strictly_before_needs_b_before_a_starts() {
        let mut fx = Fx::new();
        fx.svc("a").duration_waves = 2;
        fx.svc("b");
        fx.dep("a", "b", Some(Order::StrictlyBefore), false);
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2), ("b", 1)])), want(&[]));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1), ("b", 1)])),
            want(&[("edge.strictly-before", Some("a"))])
        );
    }

    #[test]
    fn scenario_default_order_applies_to_edges_without_one() {
        let mut fx = pair();
        fx.sc.rules.dependency_order = Order::StrictlyBefore;
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1), ("b", 1)])),
            want(&[("edge.strictly-before", Some("a"))])
        );
        fx.sc.rules.dependency_order = Order::Any;
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1), ("b", 3)])), want(&[]));
    }

    #[test]
    fn latency_sensitive_needs_equal_cutovers() {
        let mut fx = Fx::new();
        fx.svc("a");
        fx.svc("b");
        fx.dep("a", "b", Some(Order::Any), true);
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2), ("b", 2)])), want(&[]));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 2), ("b", 1)])),
            want(&[("edge.latency_sensitive", Some("a"))])
        );
    }

    #[test]
    fn ends_in_production_retained_or_retired_impose_nothing() {
        let mut fx = pair();
        fx.get("b").site = Site::ProductionCloud;
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1)])), want(&[]));
        fx.get("b").site = Site::Datacenter;
        fx.get("b").strategy = Strategy::Retain;
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1)])), want(&[]));
    }

    #[test]
    fn scheduled_service_may_not_depend_on_an_unscheduled_one() {
        let mut fx = pair();
        // b fits nowhere, so only the completeness breach remains
        fx.get("b").not_before = Some(jiff::civil::date(2030, 1, 1));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("dependency.unscheduled", Some("a"))])
        );
    }

    #[test]
    fn move_group_members_share_a_cutover_and_are_scheduled_whole() {
        let mut fx = Fx::new();
        fx.svc("a").move_group = Some("g".to_owned());
        fx.svc("b").move_group = Some("g".to_owned());
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2), ("b", 2)])), want(&[]));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1), ("b", 2)])),
            want(&[("move_group", Some("b"))])
        );
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("move_group", Some("b"))])
        );
    }
}
