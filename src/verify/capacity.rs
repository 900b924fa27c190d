//! SPEC 4.3 and 4.4: per-wave cutovers, per-department cutovers, transfer and team loads, and
//! the target capacity over waves 1..makespan.

use std::collections::BTreeMap;

use super::coverage::RESOURCES;
use super::facts::Facts;
use super::loads::Loads;
use super::num::{show, within};
use super::Breach;
use crate::model::Scenario;

/// Checks every wave's loads against the scenario's capacities.
pub(super) fn check(f: &Facts<'_>, loads: &Loads, out: &mut Vec<Breach>) {
    let cap = &f.sc.capacity;
    for k in 0..=f.horizon {
        let n = loads.cutovers[k as usize].len();
        if let Some(limit) = cap.cutovers.limit(k) {
            if n > limit as usize {
                out.push(Breach::new("capacity.cutovers", None, Some(k), format!("wave {k}: {n} cutovers exceed capacity {limit}")));
            }
        }
        if let Some(limit) = cap.transfer_gib {
            let v = loads.transfer[k as usize];
            if !within(v, limit) {
                out.push(Breach::new(
                    "capacity.transfer_gib",
                    None,
                    Some(k),
                    format!("wave {k}: transfer {} GiB exceeds capacity {}", show(v), show(limit)),
                ));
            }
        }
        for (t, name) in loads.team_names.iter().enumerate() {
            let Some(limit) = loads.team_caps[t] else { continue };
            let v = loads.team(k, t);
            if !within(v, limit) {
                out.push(Breach::new(
                    format!("capacity.teams.{name}"),
                    None,
                    Some(k),
                    format!("wave {k}: {name} load {} exceeds capacity {}", show(v), show(limit)),
                ));
            }
        }
    }
    // BTreeMap so breaches come out in a stable order before the final sort.
    let per_dept: BTreeMap<_, _> = loads.dept_cutovers.iter().collect();
    for (&(k, d), &n) in per_dept {
        if let Some(limit) = f.dept_cap(d) {
            if n > limit {
                let code = f.inv.departments.get(d).map_or("?", |d| d.code.as_str());
                out.push(Breach::new(
                    "capacity.per_department",
                    None,
                    Some(k),
                    format!("wave {k}: department {code} has {n} cutovers, exceeding capacity {limit}"),
                ));
            }
        }
    }
    for k in 1..=f.makespan.min(f.horizon) {
        let Some(caps) = target_caps(f.sc, k) else { break };
        let used = loads.started[k as usize];
        for (r, name) in RESOURCES.iter().enumerate() {
            let Some(limit) = caps[r] else { continue };
            if !within(used[r], limit) {
                out.push(Breach::new(
                    format!("capacity.target.{name}"),
                    None,
                    Some(k),
                    format!(
                        "wave {k}: target {name} used {} exceeds {} in force on {}",
                        show(used[r]),
                        show(limit),
                        f.sc.calendar.wave_start(k)
                    ),
                ));
            }
        }
    }
}

/// The target capacity in force in wave `k`, per resource (`None` = unlimited); `None` when
/// the scenario sets no target at all. Before the first step every resource is zero.
pub(super) fn target_caps(sc: &Scenario, k: u32) -> Option<[Option<f64>; 3]> {
    match sc.capacity.target_step(sc.calendar.wave_start(k))? {
        None => Some([Some(0.0); 3]),
        Some(step) => Some([step.vcpu, step.memory_gib, step.storage_gib]),
    }
}
