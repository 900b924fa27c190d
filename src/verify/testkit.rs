//! Test helpers: a tiny inventory/scenario builder and a plan builder that fills in the
//! waves list and summary by brute force, so each test breaks exactly one thing.

use std::collections::BTreeMap;

use jiff::civil::date;

use super::{Breach, verify};
use crate::model::{
    Department, DeptIx, Edge, Inventory, Order, PLAN_FORMAT, Plan, PlanService, PlanSummary,
    PlanWave, PlanWaveLoad, Scenario, Service, ServiceId, ServiceIx, Strategy, TargetUsed,
    Unscheduled,
};

/// An inventory and scenario under construction.
pub(super) struct Fx {
    pub inv: Inventory,
    pub sc: Scenario,
}

impl Fx {
    /// Departments `DSI` (0) and `FIN` (1); 14-day waves from 2019-01-07; max_waves 10.
    pub fn new() -> Self {
        let dept = |code: &str| Department {
            code: code.to_owned(),
            name: code.to_owned(),
            local_name: None,
            max_cutovers_per_wave: None,
            blackouts: Vec::new(),
            file: 0,
        };
        let inv = Inventory {
            departments: vec![dept("DSI"), dept("FIN")],
            sha256: "inv-sha".to_owned(),
            ..Inventory::default()
        };
        let mut sc = Scenario::defaults(date(2019, 1, 7));
        sc.name = "baseline".to_owned();
        sc.sha256 = "sc-sha".to_owned();
        sc.calendar.max_waves = 10;
        Self { inv, sc }
    }

    /// Adds a default migrating service of department DSI.
    pub fn svc(&mut self, id: &str) -> &mut Service {
        self.inv.services.push(Service {
            name: id.to_owned(),
            ..Service::planned(id, DeptIx::new(0))
        });
        self.inv.services.last_mut().expect("just pushed")
    }

    /// The service with this id.
    pub fn get(&mut self, id: &str) -> &mut Service {
        let ix = self.inv.find(id).expect("known id");
        &mut self.inv.services[ix]
    }

    /// `a depends_on b`.
    pub fn dep(&mut self, a: &str, b: &str, order: Option<Order>, latency: bool) {
        let target = self.inv.find(b).expect("known id");
        self.get(a).depends_on.push(Edge {
            target,
            order,
            traffic: 1.0,
            latency_sensitive: latency,
        });
    }

    /// A consistent plan placing `starts` (id, start wave); every other migrating service is
    /// unscheduled with rule `capacity.cutovers`.
    pub fn plan(&self, starts: &[(&str, u32)]) -> Plan {
        let inv = &self.inv;
        let cal = &self.sc.calendar;
        let placed: BTreeMap<&str, (u32, u32)> = starts
            .iter()
            .map(|&(id, st)| {
                (
                    id,
                    (
                        st,
                        st + inv.services[inv.find(id).expect("known id")].duration_waves - 1,
                    ),
                )
            })
            .collect();
        let w = placed.values().map(|p| p.1).max().unwrap_or(0);
        let mut teams: BTreeMap<String, f64> = self
            .sc
            .capacity
            .teams
            .keys()
            .map(|t| (t.clone(), 0.0))
            .collect();
        for s in &inv.services {
            for t in s.effort.keys() {
                teams.insert(t.clone(), 0.0);
            }
        }
        let waves = (1..=w)
            .map(|k| {
                let mut load = PlanWaveLoad {
                    cutovers: 0,
                    transfer_gib: 0.0,
                    teams: teams.clone(),
                };
                let mut used = TargetUsed::default();
                let mut cutovers = Vec::new();
                for (&id, &(st, co)) in &placed {
                    let s = &inv.services[inv.find(id).expect("known id")];
                    let d = f64::from(s.duration_waves);
                    if co == k {
                        cutovers.push(ServiceId::new(id));
                        load.cutovers += 1;
                    }
                    if (st..=co).contains(&k) {
                        load.transfer_gib += s.data_gib / d;
                        for (t, v) in &s.effort {
                            *load.teams.get_mut(t).expect("team listed") += v / d;
                        }
                    }
                    if st <= k {
                        used.vcpu += s.resources.vcpu;
                        used.memory_gib += s.resources.memory_gib;
                        used.storage_gib += s.resources.storage_gib;
                    }
                }
                PlanWave {
                    wave: k,
                    start: cal.wave_start(k),
                    end: cal.wave_end(k),
                    frozen: cal.is_frozen(k),
                    cutovers,
                    load,
                    target_used: used,
                }
            })
            .collect();
        let cut = |ix: ServiceIx| -> Option<u32> {
            let s = &inv.services[ix];
            if let Some(p) = placed.get(s.id.as_str()) {
                return Some(p.1);
            }
            (!matches!(s.strategy, Strategy::Retire | Strategy::Retain) && s.in_production())
                .then_some(0)
        };
        let mut split = 0.0;
        for (a, s) in inv.indexed() {
            for e in &s.depends_on {
                if let (Some(ca), Some(cb)) = (cut(a), cut(e.target))
                    && ca + cb > 0
                {
                    split += e.traffic * f64::from(ca.abs_diff(cb));
                }
            }
        }
        let mut services: Vec<PlanService> = placed
            .iter()
            .map(|(&id, &(st, co))| PlanService {
                id: ServiceId::new(id),
                department: inv
                    .department_of(inv.find(id).expect("known id"))
                    .code
                    .clone(),
                start_wave: st,
                cutover_wave: co,
            })
            .collect();
        services.sort_by(|a, b| a.id.cmp(&b.id));
        let mut unscheduled: Vec<Unscheduled> = inv
            .services
            .iter()
            .filter(|s| s.is_migrating() && !placed.contains_key(s.id.as_str()))
            .map(|s| Unscheduled {
                id: s.id.clone(),
                rule: "capacity.cutovers".to_owned(),
                reason: "full".to_owned(),
            })
            .collect();
        unscheduled.sort_by(|a, b| a.id.cmp(&b.id));
        Plan {
            format: PLAN_FORMAT.to_owned(),
            scenario: self.sc.name.clone(),
            inventory_sha256: inv.sha256.clone(),
            scenario_sha256: self.sc.sha256.clone(),
            generator: None,
            overrides: Vec::new(),
            summary: PlanSummary {
                services_total: inv.services.len() as u64,
                services_migrating: inv.migrating().count() as u64,
                services_scheduled: placed.len() as u64,
                waves: w,
                lower_bound_waves: w.min(1),
                lower_bound_parts: Vec::new(),
                lower_bound_reason: None,
                binding: Vec::new(),
                split_cost: split,
                transition_cost: None,
                start: cal.start,
                finish: (w >= 1).then(|| cal.wave_end(w)),
            },
            waves,
            services,
            unscheduled,
        }
    }

    /// Verifies `plan` and returns (rule, service) of each breach.
    pub fn breaches(&self, plan: &Plan) -> Vec<(String, Option<String>)> {
        pairs(&verify(&self.inv, &self.sc, plan))
    }
}

/// (rule, service) of each breach.
pub(super) fn pairs(b: &[Breach]) -> Vec<(String, Option<String>)> {
    b.iter()
        .map(|b| (b.rule.clone(), b.service.as_ref().map(ToString::to_string)))
        .collect()
}

/// The expected (rule, service) list, for terse assertions.
pub(super) fn want(v: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    v.iter()
        .map(|(r, s)| ((*r).to_owned(), s.map(str::to_owned)))
        .collect()
}

/// Two services `a` -> `b` (`a` depends on `b`) in one wave each: the base of many tests.
pub(super) fn pair() -> Fx {
    let mut fx = Fx::new();
    fx.svc("a");
    fx.svc("b");
    fx.dep("a", "b", None, false);
    fx
}
