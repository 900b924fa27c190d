//! `plan --stable-against PLAN`: re-plan while keeping services in their previous waves
//! where the rules allow.
//!
//! Works outside the scheduler, through pins: every migrating service of the previous plan
//! (with its whole cutover unit, when the unit kept one wave) is pinned to its previous
//! cutover wave, on top of the scenario's own pins. Pins that cannot hold (a wave now before
//! `today`, a capacity that shrank, a longer duration) are dropped with the scheduler's rule
//! as the reason, and the plan is made again, a few rounds at most. The pinned ("keep") plan
//! and a free re-plan are then ranked as (unscheduled, waves, services moved, split cost).
//! Extra pins only restrict the search, so the chosen plan keeps every rule of the real
//! scenario.

use std::collections::{BTreeMap, HashMap};

use crate::graph::DependencyGraph;
use crate::model::{Inventory, Plan, Scenario, ServiceId, ServiceIx};
use crate::schedule::{self, Options, Outcome, Progress};

/// Rounds of dropping pins that cannot hold before giving up on the keep plan.
const MAX_ROUNDS: usize = 6;

/// A service that changed wave against the previous plan, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedService {
    /// Service id.
    pub id: ServiceId,
    /// Previous cutover wave.
    pub from: u32,
    /// New cutover wave; `None` when it is now unscheduled.
    pub to: Option<u32>,
    /// Why it could not stay (a rule and its reason, or the ranking).
    pub why: String,
}

/// The stable re-plan and what moved.
#[derive(Debug, Clone)]
pub struct Stable {
    /// The chosen plan.
    pub outcome: Outcome,
    /// `keep` (previous waves pinned where possible) or `fresh` (free re-plan won the ranking).
    pub chosen: &'static str,
    /// Services in the same wave as before.
    pub kept: usize,
    /// Services whose wave changed, sorted by id.
    pub moved: Vec<MovedService>,
    /// Services scheduled now that the previous plan did not schedule.
    pub new: usize,
    /// Plans made (keep rounds plus the free re-plan).
    pub plans_made: usize,
}

/// Ranking key: (unscheduled, waves, services moved, split cost).
fn rank(plan: &Plan, moved: usize) -> (usize, u32, usize, f64) {
    (
        plan.unscheduled.len(),
        plan.summary.waves,
        moved,
        plan.summary.split_cost,
    )
}

fn moves(previous: &BTreeMap<ServiceId, u32>, plan: &Plan) -> usize {
    plan.services
        .iter()
        .filter(|s| previous.get(&s.id).is_some_and(|&w| w != s.cutover_wave))
        .count()
        + previous
            .keys()
            .filter(|id| plan.unscheduled.iter().any(|u| &u.id == *id))
            .count()
}

/// Re-plans `inv` / `sc` keeping `previous`'s waves where the rules allow.
#[must_use]
pub fn replan(
    inv: &Inventory,
    sc: &Scenario,
    previous: &Plan,
    opts: &Options,
    progress: &dyn Progress,
) -> Stable {
    let prev: BTreeMap<ServiceId, u32> = previous
        .services
        .iter()
        .map(|s| (s.id.clone(), s.cutover_wave))
        .collect();
    let g = DependencyGraph::build(inv, sc);
    // Pins per unit: all members keep one previous wave, or the unit is left free.
    let mut why: HashMap<ServiceId, String> = HashMap::new();
    let mut pins: BTreeMap<ServiceId, u32> = BTreeMap::new();
    let mut unit_members: HashMap<ServiceId, Vec<ServiceId>> = HashMap::new();
    for ix in inv.migrating() {
        let id = &inv.services[ix].id;
        if sc.pins.contains_key(id) || pins.contains_key(id) || why.contains_key(id) {
            continue;
        }
        let unit: Vec<ServiceIx> = g
            .unit_of(ix)
            .and_then(|u| g.units().get(u).cloned())
            .unwrap_or_else(|| vec![ix]);
        let ids: Vec<ServiceId> = unit.iter().map(|&m| inv.services[m].id.clone()).collect();
        let waves: Vec<Option<u32>> = ids.iter().map(|i| prev.get(i).copied()).collect();
        let one = waves.first().copied().flatten();
        let same = one.is_some() && waves.iter().all(|w| *w == one);
        let scenario_pinned = ids.iter().any(|i| sc.pins.contains_key(i));
        for i in &ids {
            unit_members.insert(i.clone(), ids.clone());
        }
        match (same, one, scenario_pinned) {
            (true, Some(w), false) => {
                for i in ids {
                    pins.insert(i, w);
                }
            }
            _ => {
                for i in ids.iter().filter(|i| prev.contains_key(*i)) {
                    why.insert(
                        i.clone(),
                        "its cutover unit changed or is pinned by the scenario".to_owned(),
                    );
                }
            }
        }
    }
    let mut plans_made = 0;
    let mut keep: Option<Outcome> = None;
    for round in 0..MAX_ROUNDS {
        let mut sc2 = sc.clone();
        sc2.pins.extend(pins.iter().map(|(k, v)| (k.clone(), *v)));
        let out = schedule::plan(inv, &sc2, opts, progress);
        plans_made += 1;
        let failed: Vec<&crate::model::Unscheduled> = out
            .plan
            .unscheduled
            .iter()
            .filter(|u| pins.contains_key(&u.id))
            .collect();
        if failed.is_empty() {
            keep = Some(out);
            break;
        }
        // Drop the pins that failed by a rule of their own; when only dependants of other
        // failures are left, drop those too.
        let own: Vec<&&crate::model::Unscheduled> = failed
            .iter()
            .filter(|u| u.rule != "dependency.unscheduled")
            .collect();
        let drop: Vec<&crate::model::Unscheduled> = if own.is_empty() || round + 1 == MAX_ROUNDS {
            failed.clone()
        } else {
            own.into_iter().copied().collect()
        };
        for u in drop {
            for m in unit_members.get(&u.id).cloned().unwrap_or_default() {
                pins.remove(&m);
                why.entry(m)
                    .or_insert_with(|| format!("[{}] {}", u.rule, u.reason));
            }
        }
    }
    let fresh = schedule::plan(inv, sc, opts, progress);
    plans_made += 1;
    let fresh_moves = moves(&prev, &fresh.plan);
    let (outcome, chosen) = match keep {
        Some(k) if rank(&k.plan, moves(&prev, &k.plan)) <= rank(&fresh.plan, fresh_moves) => {
            (k, "keep")
        }
        Some(k) => {
            let note = format!(
                "a free re-plan ranks better ({} waves, {} unscheduled, against {} and {} keeping waves)",
                fresh.plan.summary.waves,
                fresh.plan.unscheduled.len(),
                k.plan.summary.waves,
                k.plan.unscheduled.len()
            );
            for s in &previous.services {
                why.entry(s.id.clone()).or_insert_with(|| note.clone());
            }
            (fresh, "fresh")
        }
        None => {
            for s in &previous.services {
                why.entry(s.id.clone()).or_insert_with(|| {
                    "the previous waves could not be kept after several rounds".to_owned()
                });
            }
            (fresh, "fresh")
        }
    };
    let now: BTreeMap<&ServiceId, u32> = outcome
        .plan
        .services
        .iter()
        .map(|s| (&s.id, s.cutover_wave))
        .collect();
    let mut moved = Vec::new();
    let mut kept = 0;
    for (id, &from) in &prev {
        if !inv
            .find(id.as_str())
            .is_some_and(|ix| inv.services[ix].is_migrating())
        {
            continue;
        }
        let to = now.get(id).copied();
        if to == Some(from) {
            kept += 1;
            continue;
        }
        moved.push(MovedService {
            id: id.clone(),
            from,
            to,
            why: why
                .get(id)
                .cloned()
                .unwrap_or_else(|| "moved with the services it depends on".to_owned()),
        });
    }
    let new = now.keys().filter(|id| !prev.contains_key(**id)).count();
    Stable {
        outcome,
        chosen,
        kept,
        moved,
        new,
        plans_made,
    }
}
