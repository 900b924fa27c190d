//! The placements read against the inventory once: migrating flags, each service's slot,
//! makespan, the wave horizon every per-wave table covers and, for a partial check, the
//! services whose breaches are wanted.

use std::collections::HashMap;

use super::{Breach, coverage};
use crate::model::{Inventory, Order, Plan, Scenario, ServiceIx};

/// Waves beyond this are never tabulated: the plan reader and the loader refuse more, so
/// this only guards plans built in memory.
const HORIZON_CAP: u32 = crate::model::MAX_WAVES;

/// Where a scheduled service sits: its first wave and its cutover wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
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
    /// Per service: does it migrate.
    pub migrating: Vec<bool>,
    /// Per service: its slot when scheduled (first listing wins).
    pub slots: Vec<Option<Slot>>,
    /// Largest cutover wave of a scheduled service (0 when none).
    pub makespan: u32,
    /// Per-wave tables cover waves `0..=horizon`: `max_waves` and the makespan for a whole
    /// plan (4.9 tries every wave up to `max_waves`), the makespan for placements alone.
    pub horizon: u32,
    /// The first wave the per-wave tables cover: 0 for a whole plan, the earliest start of
    /// the wanted services for a focused check (nothing earlier can involve them), so
    /// `explain`'s trial of a unit far out does not tabulate every wave before it.
    pub first: u32,
    /// Per service: are its breaches wanted (`None`: everyone's).
    pub focus: Option<Vec<bool>>,
}

impl<'a> Facts<'a> {
    /// Indexes the plan; coverage breaches (section 6) go to `out`.
    pub(super) fn new(
        inv: &'a Inventory,
        sc: &'a Scenario,
        plan: &'a Plan,
        out: &mut Vec<Breach>,
    ) -> Self {
        let by_id: HashMap<&str, ServiceIx> =
            inv.indexed().map(|(i, s)| (s.id.as_str(), i)).collect();
        let migrating: Vec<bool> = inv.services.iter().map(|s| s.is_migrating()).collect();
        let slots = coverage::check(inv, sc, plan, &by_id, &migrating, out);
        let mut f = Self::build(inv, sc, migrating, slots, None);
        f.horizon = sc.calendar.max_waves.max(f.makespan).min(HORIZON_CAP);
        f
    }

    /// Facts of bare placements (one per service, `None` = not scheduled; non-migrating
    /// services' placements are ignored), with breaches wanted for `focus` only when given.
    pub(super) fn of_slots(
        inv: &'a Inventory,
        sc: &'a Scenario,
        slots: Vec<Option<Slot>>,
        focus: Option<&[ServiceIx]>,
    ) -> Self {
        let migrating: Vec<bool> = inv.services.iter().map(|s| s.is_migrating()).collect();
        Self::build(inv, sc, migrating, slots, focus)
    }

    /// [`Self::of_slots`] with the migrating flags already worked out.
    fn build(
        inv: &'a Inventory,
        sc: &'a Scenario,
        migrating: Vec<bool>,
        mut slots: Vec<Option<Slot>>,
        focus: Option<&[ServiceIx]>,
    ) -> Self {
        slots.resize(inv.services.len(), None);
        for (slot, &m) in slots.iter_mut().zip(&migrating) {
            if !m {
                *slot = None;
            }
        }
        let makespan = slots.iter().flatten().map(|s| s.cutover).max().unwrap_or(0);
        let horizon = makespan.min(HORIZON_CAP);
        let focus = focus.map(|ixs| {
            let mut mask = vec![false; inv.services.len()];
            for &ix in ixs {
                if let Some(m) = mask.get_mut(ix.pos()) {
                    *m = true;
                }
            }
            mask
        });
        let first = focus.as_ref().map_or(0, |mask| {
            slots
                .iter()
                .zip(mask)
                .filter_map(|(slot, &wanted)| Some(slot.filter(|_| wanted)?.start))
                .min()
                .unwrap_or(horizon)
                .min(horizon)
        });
        Self {
            inv,
            sc,
            migrating,
            slots,
            makespan,
            horizon,
            first,
            focus,
        }
    }

    /// Whether breaches at service `ix` are wanted.
    pub(super) fn wanted(&self, ix: ServiceIx) -> bool {
        self.focus
            .as_ref()
            .is_none_or(|m| m.get(ix.pos()).copied().unwrap_or(false))
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
            .get(d.pos())
            .and_then(|d| d.max_cutovers_per_wave)
        {
            Some(crate::model::Limit::At(own)) => Some(own),
            Some(crate::model::Limit::Unlimited) => None,
            None => self.sc.capacity.per_department,
        }
    }

    /// The waves `slot` occupies that the tables cover.
    pub(super) fn occupied(&self, slot: Slot) -> std::ops::RangeInclusive<u32> {
        slot.start.max(self.first)..=slot.cutover.min(self.horizon)
    }
}
