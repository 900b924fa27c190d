//! The plan read against the inventory once: id index, migrating flags, each service's slot,
//! makespan and the wave horizon every per-wave table covers.

use std::collections::HashMap;

use super::{Breach, coverage};
use crate::model::{Inventory, Order, Plan, Scenario, ServiceIx};

/// Waves beyond this are never tabulated: the plan reader and the loader refuse more, so
/// this only guards plans built in memory.
const HORIZON_CAP: u32 = crate::model::MAX_WAVES;

/// Where a scheduled service sits, as the plan says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    /// First wave occupied.
    pub start: u32,
    /// Cutover wave.
    pub cutover: u32,
}

/// Shared read-only facts every check uses.
pub(super) struct Facts<'a> {
    /// The inventory.
    pub inv: &'a Inventory,
    /// The scenario.
    pub sc: &'a Scenario,
    /// The plan under check.
    pub plan: &'a Plan,
    /// Per service: does it migrate.
    pub migrating: Vec<bool>,
    /// Per service: its slot when scheduled (first listing wins).
    pub slots: Vec<Option<Slot>>,
    /// Largest cutover wave of a scheduled service (0 when none).
    pub makespan: u32,
    /// Per-wave tables cover waves `0..=horizon`: `max_waves` and the makespan, capped.
    pub horizon: u32,
}

impl<'a> Facts<'a> {
    /// Indexes the plan; coverage breaches (section 6) go to `out`.
    pub(super) fn new(
        inv: &'a Inventory,
        sc: &'a Scenario,
        plan: &'a Plan,
        out: &mut Vec<Breach>,
    ) -> Self {
        let by_id: HashMap<&str, ServiceIx> = inv
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let migrating: Vec<bool> = inv.services.iter().map(|s| s.is_migrating()).collect();
        let slots = coverage::check(inv, sc, plan, &by_id, &migrating, out);
        let makespan = slots.iter().flatten().map(|s| s.cutover).max().unwrap_or(0);
        let horizon = sc.calendar.max_waves.max(makespan).min(HORIZON_CAP);
        Self {
            inv,
            sc,
            plan,
            migrating,
            slots,
            makespan,
            horizon,
        }
    }

    /// The order edge `e` imposes under this scenario.
    pub(super) fn order(&self, e: &crate::model::Edge) -> Order {
        e.effective_order(self.sc.rules.dependency_order)
    }

    /// Cutover limit of a department: its own override, else the scenario's `per_department`.
    pub(super) fn dept_cap(&self, d: crate::model::DeptIx) -> Option<u32> {
        match self
            .inv
            .departments
            .get(d)
            .and_then(|d| d.max_cutovers_per_wave)
        {
            Some(own) => own,
            None => self.sc.capacity.per_department,
        }
    }

    /// The waves `slot` occupies that the tables cover.
    pub(super) fn occupied(&self, slot: Slot) -> std::ops::RangeInclusive<u32> {
        slot.start..=slot.cutover.min(self.horizon)
    }
}
