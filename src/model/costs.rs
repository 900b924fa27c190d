//! The transition-cost model (scenario `costs:`, SPEC 3 leaves its fields to the project) and
//! what it measures on a plan. Costs never change which plans are valid or which plan the
//! scheduler prefers (SPEC 5); they are measured and compared.

use serde::{Deserialize, Serialize};

/// Per-wave price of running one service at a site, by its resources.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SitePrice {
    /// Per service and wave, whatever its size.
    pub per_service: f64,
    /// Per vCPU and wave.
    pub per_vcpu: f64,
    /// Per GiB of memory and wave.
    pub per_memory_gib: f64,
    /// Per GiB of storage and wave.
    pub per_storage_gib: f64,
}

/// The scenario's `costs:` section (docs/costs.md).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Costs {
    /// The unit every amount is in, e.g. `MOP` (a label only).
    pub currency: Option<String>,
    /// A service still in the data centre (migrating ones until their cutover, retained ones
    /// throughout).
    pub datacenter: SitePrice,
    /// A service on the production cloud (after its cutover, or from the start).
    pub production: SitePrice,
    /// The pilot cloud as a whole, per wave while any of its services has not cut over.
    pub pilot_cloud_per_wave: f64,
    /// Per unit of `traffic` per wave on a dependency whose ends run at different sites.
    pub split_traffic_per_wave: f64,
    /// One-off, per service cut over.
    pub per_cutover: f64,
}

/// What running both sites costs over a plan's waves, by part (`summary.transition_cost`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TransitionCost {
    /// `costs.currency`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The sum of the parts.
    pub total: f64,
    /// Services in the data centre.
    pub datacenter: f64,
    /// Services on the production cloud.
    pub production: f64,
    /// The pilot cloud while it runs.
    pub pilot_cloud: f64,
    /// Traffic between services at different sites.
    pub split_traffic: f64,
    /// One-off cutover costs.
    pub cutovers: f64,
}

/// A plan's transition cost in full: the parts, what each wave costs, and each department's
/// own share (its services' running and cutover costs, and the traffic of the dependencies
/// its services declare; the pilot cloud belongs to no department).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostBreakdown {
    /// The parts and their total.
    pub parts: TransitionCost,
    /// Cost incurred in waves 1..=makespan (index 0 is wave 1).
    pub by_wave: Vec<f64>,
    /// Each department's share, by department index.
    pub by_department: Vec<f64>,
}

/// Where a service runs in a wave, for costs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Datacenter,
    Pilot,
    Production,
}

impl SitePrice {
    /// The price of one wave of a service with resources `r`.
    fn of(&self, r: &super::Resources) -> f64 {
        self.per_service
            + self.per_vcpu * r.vcpu
            + self.per_memory_gib * r.memory_gib
            + self.per_storage_gib * r.storage_gib
    }
}

impl Costs {
    /// The transition cost of a plan with `waves` waves in which migrating service `s` cuts
    /// over in `cutover(s)` (`None`: not scheduled). Waves 1..=`waves` are counted: a
    /// migrating service runs at its current site up to its cutover wave and on production
    /// after it; retired services cost nothing; retained ones stay where they are.
    #[must_use]
    pub fn measure(
        &self,
        inv: &super::Inventory,
        waves: u32,
        cutover: impl Fn(super::ServiceIx) -> Option<u32>,
    ) -> CostBreakdown {
        use super::{Site, Strategy};
        let m = waves as usize;
        let mut out = CostBreakdown {
            by_wave: vec![0.0; m],
            by_department: vec![0.0; inv.departments.len()],
            ..CostBreakdown::default()
        };
        // Per service: its site before the switch, and the last wave it is there (`m` when
        // it never moves in the plan, 0 when it is on production from the start).
        let place: Vec<Option<(At, usize)>> = inv
            .indexed()
            .map(|(s, svc)| {
                if svc.strategy == Strategy::Retire {
                    return None;
                }
                if svc.in_production() {
                    return Some((At::Production, 0));
                }
                let origin = if svc.site == Site::PilotCloud {
                    At::Pilot
                } else {
                    At::Datacenter
                };
                let last = if svc.is_migrating() {
                    cutover(s).map_or(m, |c| (c as usize).min(m))
                } else {
                    m
                };
                Some((origin, last))
            })
            .collect();
        let at = |s: usize, w: usize| {
            place[s].map(|(origin, last)| if w <= last { origin } else { At::Production })
        };
        let mut pilot_until = 0;
        for (s, svc) in inv.indexed() {
            let Some((origin, last)) = place[s.pos()] else {
                continue;
            };
            let d = svc.department.pos();
            let dc = self.datacenter.of(&svc.resources);
            let prod = self.production.of(&svc.resources);
            for w in 1..=m {
                let (part, c) = match at(s.pos(), w) {
                    Some(At::Datacenter) => (&mut out.parts.datacenter, dc),
                    Some(At::Production) => (&mut out.parts.production, prod),
                    _ => continue,
                };
                *part += c;
                out.by_wave[w - 1] += c;
                out.by_department[d] += c;
            }
            if origin == At::Pilot {
                pilot_until = pilot_until.max(last);
            }
            if svc.is_migrating() && last > 0 && cutover(s).is_some() {
                out.parts.cutovers += self.per_cutover;
                out.by_wave[last - 1] += self.per_cutover;
                out.by_department[d] += self.per_cutover;
            }
            for e in &svc.depends_on {
                let t = e.target.pos();
                if t >= inv.services.len() || e.traffic == 0.0 {
                    continue;
                }
                for w in 1..=m {
                    if let (Some(a), Some(b)) = (at(s.pos(), w), at(t, w))
                        && a != b
                    {
                        let c = e.traffic * self.split_traffic_per_wave;
                        out.parts.split_traffic += c;
                        out.by_wave[w - 1] += c;
                        out.by_department[d] += c;
                    }
                }
            }
        }
        for w in 1..=pilot_until {
            out.parts.pilot_cloud += self.pilot_cloud_per_wave;
            out.by_wave[w - 1] += self.pilot_cloud_per_wave;
        }
        let p = &mut out.parts;
        p.currency.clone_from(&self.currency);
        p.total = p.datacenter + p.production + p.pilot_cloud + p.split_traffic + p.cutovers;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Department, DeptIx, Edge, Inventory, Resources, Service, ServiceIx, Site, Strategy,
    };

    fn svc(id: &str, site: Site, strategy: Strategy, vcpu: f64) -> Service {
        Service {
            site,
            strategy,
            resources: Resources {
                vcpu,
                ..Resources::default()
            },
            ..Service::planned(id, DeptIx::new(0))
        }
    }

    /// a (data centre, 2 vCPU, cuts over in 2) depends on c (retained, 1 vCPU) with traffic
    /// 3; b (pilot cloud) cuts over in 1; d is retired; e runs on production (4 vCPU).
    fn case() -> Inventory {
        let mut a = svc("a", Site::Datacenter, Strategy::Rehost, 2.0);
        a.depends_on.push(Edge {
            target: ServiceIx::new(2),
            order: None,
            traffic: 3.0,
            latency_sensitive: false,
        });
        Inventory {
            departments: vec![Department {
                code: "DSI".into(),
                name: "DSI".into(),
                local_name: None,
                max_cutovers_per_wave: None,
                blackouts: Vec::new(),
                file: 0,
            }],
            services: vec![
                a,
                svc("b", Site::PilotCloud, Strategy::Rehost, 0.0),
                svc("c", Site::Datacenter, Strategy::Retain, 1.0),
                svc("d", Site::Datacenter, Strategy::Retire, 8.0),
                svc("e", Site::ProductionCloud, Strategy::Rehost, 4.0),
            ],
            ..Inventory::default()
        }
    }

    fn prices() -> Costs {
        Costs {
            currency: Some("MOP".into()),
            datacenter: SitePrice {
                per_service: 10.0,
                per_vcpu: 1.0,
                ..SitePrice::default()
            },
            production: SitePrice {
                per_vcpu: 2.0,
                ..SitePrice::default()
            },
            pilot_cloud_per_wave: 100.0,
            split_traffic_per_wave: 5.0,
            per_cutover: 1000.0,
        }
    }

    #[test]
    fn each_part_counts_the_waves_each_service_spends_where_it_runs() {
        let inv = case();
        let cut = [Some(2), Some(1), None, None, None];
        let got = prices().measure(&inv, 3, |s| cut[s.pos()]);
        // a: 2 waves in the data centre at 12, 1 on production at 4; c: 3 waves at 11;
        // e: 3 waves at 8; the pilot cloud runs until b leaves (wave 1); a and c are apart in
        // wave 3 only; two cutovers.
        let p = &got.parts;
        assert_eq!(p.datacenter, 24.0 + 33.0);
        assert_eq!(p.production, 4.0 + 24.0);
        assert_eq!(p.pilot_cloud, 100.0);
        assert_eq!(p.split_traffic, 15.0);
        assert_eq!(p.cutovers, 2000.0);
        assert_eq!(p.total, 2200.0);
        assert_eq!(got.by_wave, vec![1131.0, 1031.0, 38.0]);
        // The pilot cloud belongs to no department.
        assert_eq!(got.by_department, vec![2100.0]);
    }

    #[test]
    fn an_unscheduled_service_stays_put_and_keeps_the_pilot_cloud_running() {
        let inv = case();
        let cut = [None, None, None, None, None];
        let got = prices().measure(&inv, 3, |s| cut[s.pos()]);
        assert_eq!(got.parts.datacenter, 36.0 + 33.0);
        assert_eq!(got.parts.pilot_cloud, 300.0);
        assert_eq!(got.parts.cutovers, 0.0);
        assert_eq!(got.parts.split_traffic, 0.0);
    }
}
