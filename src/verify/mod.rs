//! `waveplan verify`'s engine: an independent re-check of a plan against every hard rule of
//! SPEC section 4 (4.9 included) and the format and consistency rules of SPEC section 6.
//!
//! Owns the checking only; must not call any scheduler code (it is the scheduler's referee)
//! and must not print. It reads `model` types and returns [`Breach`]es; the CLI renders them.
//! Semantics follow the Python reference `tools/verify.py`: capacities allow
//! 1e-6 × max(1, capacity), numbers the plan reports are compared within 1e-3.

mod calendar;
mod capacity;
mod coverage;
mod edges;
mod facts;
mod loads;
mod num;
mod placeable;
mod summary;
mod waves;

#[cfg(test)]
mod testkit;

use crate::model::{Inventory, Plan, Scenario, ServiceId};

/// One broken rule of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// SPEC 4 vocabulary (`edge.strictly-before`, `capacity.teams.dba`, `unscheduled.placeable`,
    /// ...) or `format.*` / `summary.*` / `digest.*` for section 6.
    pub rule: String,
    /// The service at fault, when one is.
    pub service: Option<ServiceId>,
    /// The wave at fault, when one is.
    pub wave: Option<u32>,
    /// What is wrong, with the numbers.
    pub message: String,
}

impl Breach {
    /// A breach of `rule` with its details.
    pub(crate) fn new(
        rule: impl Into<String>,
        service: Option<&ServiceId>,
        wave: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.into(),
            service: service.cloned(),
            wave,
            message: message.into(),
        }
    }
}

/// Checks `plan` against `inv` and `sc`; returns every breach, sorted (empty means the plan
/// is valid).
#[must_use]
pub fn verify(inv: &Inventory, sc: &Scenario, plan: &Plan) -> Vec<Breach> {
    let mut out = Vec::new();
    summary::check_header(inv, sc, plan, &mut out);
    let facts = facts::Facts::new(inv, sc, plan, &mut out);
    let loads = loads::Loads::new(&facts);
    let table = calendar::WaveTable::new(&facts);
    edges::check(&facts, &mut out);
    capacity::check(&facts, &loads, &mut out);
    calendar::check(&facts, &table, &mut out);
    placeable::check(&facts, &loads, &table, &mut out);
    waves::check(&facts, &loads, &table, &mut out);
    summary::check(&facts, &mut out);
    // Sorted by service (plan-wide breaches first), then wave, so a reader sees each
    // service's problems together; rule and message make the order total.
    out.sort_by(|a, b| {
        (&a.service, a.wave, &a.rule, &a.message).cmp(&(&b.service, b.wave, &b.rule, &b.message))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::testkit::{Fx, pair, want};
    use super::*;

    #[test]
    fn a_correct_plan_has_no_breaches() {
        let mut fx = pair();
        fx.svc("c").duration_waves = 2;
        fx.get("c").data_gib = 10.0;
        fx.get("c").effort.insert("dba".to_owned(), 4.0);
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(2.0));
        fx.sc.capacity.transfer_gib = Some(5.0);
        let plan = fx.plan(&[("a", 2), ("b", 1), ("c", 1)]);
        assert_eq!(verify(&fx.inv, &fx.sc, &plan), Vec::new());
    }

    #[test]
    fn an_empty_inventory_with_an_empty_plan_is_valid() {
        let fx = Fx::new();
        let plan = fx.plan(&[]);
        assert_eq!(fx.breaches(&plan), want(&[]));
    }

    #[test]
    fn breaches_are_sorted_by_service_then_wave() {
        let mut fx = pair();
        fx.sc.calendar.today = Some(jiff::civil::date(2019, 3, 1));
        let plan = fx.plan(&[("a", 1), ("b", 1)]);
        let b = verify(&fx.inv, &fx.sc, &plan);
        let keys: Vec<_> = b.iter().map(|b| (b.service.clone(), b.wave)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(b.len(), 2);
    }
}
