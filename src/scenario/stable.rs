//! `plan --stable-against PLAN`: re-plan while keeping services in their previous waves
//! as far as it pays.
//!
//! The scheduler repairs the earlier plan (`schedule::repair`): it keeps what still holds,
//! re-places what no longer does, and weighs a shorter plan against the services it moves
//! ([`Stability`]). This module compares the result with the earlier plan service by
//! service and says why each moved.

use std::collections::BTreeMap;

use crate::model::{Inventory, Plan, Scenario, ServiceId};
use crate::schedule::{self, Options, Outcome, Progress, Stability};

/// A service that changed wave against the previous plan, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedService {
    /// Service id.
    pub id: ServiceId,
    /// Previous cutover wave.
    pub from: u32,
    /// New cutover wave; `None` when it is now unscheduled.
    pub to: Option<u32>,
    /// Why it could not stay (a rule and its reason, or the trade of waves for moves).
    pub why: String,
}

/// The stable re-plan and what moved.
#[derive(Debug, Clone)]
pub struct Stable {
    /// The chosen plan.
    pub outcome: Outcome,
    /// How it was made: `kept`, `re-planned from wave K` or `fresh`.
    pub chosen: String,
    /// Services in the same wave as before.
    pub kept: usize,
    /// Services whose wave changed, sorted by id.
    pub moved: Vec<MovedService>,
    /// Services scheduled now that the previous plan did not schedule.
    pub new: usize,
    /// Candidate plans compared.
    pub plans_made: usize,
}

/// Re-plans `inv` / `sc` keeping `previous`'s waves as far as `stability` says it pays.
#[must_use]
pub fn replan(
    inv: &Inventory,
    sc: &Scenario,
    previous: &Plan,
    opts: &Options,
    stability: Stability,
    progress: &dyn Progress,
) -> Stable {
    let prev: BTreeMap<ServiceId, u32> = previous
        .services
        .iter()
        .map(|s| (s.id.clone(), s.cutover_wave))
        .collect();
    let r = schedule::repair(inv, sc, opts, previous, stability, progress);
    let now: BTreeMap<&ServiceId, u32> = r
        .outcome
        .plan
        .services
        .iter()
        .map(|s| (&s.id, s.cutover_wave))
        .collect();
    let mut moved = Vec::new();
    let mut kept = 0;
    for (id, &from) in &prev {
        let Some(ix) = inv.find(id.as_str()) else {
            continue;
        };
        if !inv.services[ix].is_migrating() {
            continue;
        }
        let to = now.get(id).copied();
        if to == Some(from) {
            kept += 1;
            continue;
        }
        let why = r.why.get(&ix).cloned().unwrap_or_else(|| {
            "its cutover unit (move group or latency link) changed since the earlier plan"
                .to_owned()
        });
        moved.push(MovedService {
            id: id.clone(),
            from,
            to,
            why,
        });
    }
    let new = now.keys().filter(|id| !prev.contains_key(**id)).count();
    Stable {
        outcome: r.outcome,
        chosen: r.method,
        kept,
        moved,
        new,
        plans_made: r.candidates,
    }
}
