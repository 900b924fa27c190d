//! Builds the plan file (SPEC 6) from final placements.
//!
//! Owns every number the plan reports (loads, target use, split cost, summary), computed
//! afresh from the inventory so they do not depend on the search's bookkeeping. Must not
//! decide placements.

use std::collections::BTreeMap;

use crate::model::{
    BoundPart, Inventory, PLAN_FORMAT, Plan, PlanGenerator, PlanService, PlanSummary, PlanWave,
    PlanWaveLoad, Rule, Scenario, ServiceIx, TargetUsed, Unscheduled,
};

use super::Options;
use super::bottleneck;

/// Rounds to three decimals (SPEC 6 allows it); never yields `-0`.
pub(crate) fn round3(x: f64) -> f64 {
    let r = (x * 1000.0).round() / 1000.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Split cost (SPEC 5) of per-service cutovers, computed from the inventory.
pub(crate) fn split_cost(inv: &Inventory, cutover: &[Option<u32>]) -> f64 {
    let end = |s: ServiceIx| inv.services[s].split_end(cutover[s]);
    let mut total = 0.0;
    for (a, svc) in inv.indexed() {
        for e in &svc.depends_on {
            if e.target.pos() >= inv.services.len() {
                continue;
            }
            if let (Some(ca), Some(cb)) = (end(a), end(e.target)) {
                total += e.split_cost(ca, cb);
            }
        }
    }
    total
}

/// Assembles the plan. `cutover[s]` is the cutover wave of each scheduled service;
/// `unscheduled` holds (service, rule, reason) for the rest of the migrating services;
/// `reason` says what gives `lower_bound` its value.
pub(crate) fn build_plan(
    inv: &Inventory,
    sc: &Scenario,
    opts: &Options,
    cutover: &[Option<u32>],
    unscheduled: Vec<(ServiceIx, Rule, String)>,
    proof: bottleneck::Proof,
) -> Plan {
    let cal = &sc.calendar;
    let makespan = cutover.iter().flatten().copied().max().unwrap_or(0);
    let m = makespan as usize;
    let mut teams: BTreeMap<String, Vec<f64>> = sc
        .capacity
        .teams
        .keys()
        .map(|t| (t.clone(), vec![0.0; m + 1]))
        .collect();
    for svc in &inv.services {
        for t in svc.effort.keys() {
            teams.entry(t.clone()).or_insert_with(|| vec![0.0; m + 1]);
        }
    }
    let mut transfer = vec![0.0f64; m + 1];
    let mut started = vec![[0.0f64; 3]; m + 1];
    let mut cuts: Vec<Vec<&crate::model::ServiceId>> = vec![Vec::new(); m + 1];
    let mut services = Vec::new();
    for (s, c) in cutover.iter().enumerate() {
        let Some(c) = *c else { continue };
        let svc = &inv.services[s];
        let d = svc.duration_waves.max(1);
        let start = c + 1 - d;
        let df = f64::from(d);
        for w in start as usize..=c as usize {
            transfer[w] += svc.data_gib / df;
            for (t, v) in &svc.effort {
                if let Some(row) = teams.get_mut(t) {
                    row[w] += v / df;
                }
            }
        }
        let r = svc.resources;
        for (j, x) in [r.vcpu, r.memory_gib, r.storage_gib]
            .into_iter()
            .enumerate()
        {
            started[start as usize][j] += x;
        }
        cuts[c as usize].push(&svc.id);
        services.push(PlanService {
            id: svc.id.clone(),
            department: inv.departments[svc.department].code.clone(),
            start_wave: start,
            cutover_wave: c,
        });
    }
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let mut waves = Vec::with_capacity(m);
    let mut held = [0.0f64; 3];
    for w in 1..=m {
        for j in 0..3 {
            held[j] += started[w][j];
        }
        let mut ids: Vec<_> = cuts[w].iter().map(|&i| i.clone()).collect();
        ids.sort();
        let k = w as u32;
        waves.push(PlanWave {
            wave: k,
            start: cal.wave_start(k),
            end: cal.wave_end(k),
            frozen: cal.is_frozen(k),
            load: PlanWaveLoad {
                cutovers: ids.len() as u32,
                transfer_gib: round3(transfer[w]),
                teams: teams
                    .iter()
                    .map(|(t, row)| (t.clone(), round3(row[w])))
                    .collect(),
            },
            cutovers: ids,
            target_used: TargetUsed {
                vcpu: round3(held[0]),
                memory_gib: round3(held[1]),
                storage_gib: round3(held[2]),
            },
        });
    }
    let mut unscheduled: Vec<Unscheduled> = unscheduled
        .into_iter()
        .map(|(s, rule, reason)| Unscheduled {
            id: inv.services[s].id.clone(),
            rule: rule.name(),
            reason,
        })
        .collect();
    unscheduled.sort_by(|a, b| a.id.cmp(&b.id));
    let migrating = inv.migrating().count() as u64;
    Plan {
        format: PLAN_FORMAT.to_owned(),
        scenario: sc.name.clone(),
        inventory_sha256: inv.sha256.clone(),
        scenario_sha256: sc.sha256.clone(),
        generator: Some(PlanGenerator {
            name: format!("waveplan {}", env!("CARGO_PKG_VERSION")),
            seed: opts.seed,
            effort: opts.effort.unwrap_or(0),
        }),
        overrides: Vec::new(),
        summary: PlanSummary {
            services_total: inv.services.len() as u64,
            services_migrating: migrating,
            services_scheduled: services.len() as u64,
            waves: makespan,
            lower_bound_waves: proof.waves.min(makespan),
            // A bound of 0 (nothing scheduled) has nothing to explain.
            lower_bound_reason: proof.reason.filter(|_| makespan > 0),
            lower_bound_parts: proof
                .parts
                .into_iter()
                .filter(|_| makespan > 0)
                .map(|p| BoundPart {
                    waves: p.waves.min(makespan),
                    ..p
                })
                .collect(),
            binding: bottleneck::binding(inv, sc, cutover),
            split_cost: round3(split_cost(inv, cutover)),
            transition_cost: sc.costs.as_ref().map(|c| {
                let mut t = c.measure(inv, makespan, |s| cutover[s.pos()]).parts;
                for x in [
                    &mut t.total,
                    &mut t.datacenter,
                    &mut t.production,
                    &mut t.pilot_cloud,
                    &mut t.split_traffic,
                    &mut t.cutovers,
                ] {
                    *x = round3(*x);
                }
                t
            }),
            start: cal.wave_start(1),
            finish: (makespan > 0).then(|| cal.wave_end(makespan)),
        },
        waves,
        services,
        unscheduled,
    }
}
