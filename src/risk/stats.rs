//! What the runs add up to: finish percentiles, deadline and decommission probabilities,
//! each wave's slip, the criticality index and the finish histogram.
//!
//! Runs are counted in integers only, so the totals (and the bytes written) do not depend on
//! how rayon splits the runs between threads.

use indexmap::IndexMap;
use jiff::civil::Date;
use serde::Serialize;

use super::sim::{NOT_DONE, Scratch, Sim};
use crate::model::{Inventory, Scenario, ServiceIx, Site};

/// A deadline a run meets when `units` have all cut over by `wave`.
struct Due {
    /// The last wave ending on or before the date (0: none does).
    wave: u32,
    /// Executed units that must be done by then.
    units: Vec<u32>,
    /// Whether the plan itself leaves one of the services out (never met).
    missed_in_plan: bool,
    /// The services it concerns.
    services: u32,
}

/// Running totals over a share of the runs.
pub(crate) struct Tally {
    /// Sum over runs of each unit's slip in waves (an unfinished unit counts as the horizon
    /// plus one).
    slip: Vec<u64>,
    /// Runs in which each unit cut over later than planned.
    late: Vec<u32>,
    /// Runs (of the first `criticality_runs`) in which each unit's failed cutovers moved the
    /// finish: the same run without them finishes earlier.
    movers: Vec<u32>,
    /// Runs meeting each deadline (services, then sites).
    met: Vec<u32>,
    /// Runs in which every unit planned in wave k cut over in it (index k).
    on_time: Vec<u32>,
    /// Runs by finish wave (index `horizon + 1`: not finished).
    finish: Vec<u64>,
}

/// The totals and the deadlines they count against.
pub(crate) struct Counter<'a> {
    sim: &'a Sim,
    dues: Vec<Due>,
    plan_finish: u32,
    /// The first runs the criticality index is measured on.
    criticality_runs: u64,
}

impl<'a> Counter<'a> {
    /// The deadlines of the scheduled plan: each service's own, then each site's
    /// decommission date (services first, in inventory order; sites pilot cloud first).
    pub(crate) fn new(sim: &'a Sim, inv: &Inventory, sc: &Scenario, criticality_runs: u64) -> Self {
        let cal = &sc.calendar;
        let unit = |s: ServiceIx| sim.pb.unit_of[s];
        let mut dues = Vec::new();
        for (s, svc) in inv.indexed() {
            if let (true, Some(d)) = (svc.is_migrating(), svc.deadline) {
                let u = unit(s);
                dues.push(Due {
                    wave: cal.last_wave_ending_on_or_before(d),
                    units: vec![u],
                    missed_in_plan: sim.planned[u as usize] == 0,
                    services: 1,
                });
            }
        }
        for site in [Site::PilotCloud, Site::Datacenter] {
            let Some(d) = sc.decommission_by(site) else {
                continue;
            };
            let mut units: Vec<u32> = inv
                .indexed()
                .filter(|(_, svc)| svc.is_migrating() && svc.site == site)
                .map(|(s, _)| unit(s))
                .collect();
            let services = units.len() as u32;
            units.sort_unstable();
            units.dedup();
            let missed_in_plan = units.iter().any(|&u| sim.planned[u as usize] == 0);
            dues.push(Due {
                wave: cal.last_wave_ending_on_or_before(d),
                units,
                missed_in_plan,
                services,
            });
        }
        Self {
            sim,
            dues,
            plan_finish: sim.plan_finish,
            criticality_runs,
        }
    }

    /// Empty totals.
    pub(crate) fn tally(&self) -> Tally {
        let n = self.sim.pb.n();
        Tally {
            slip: vec![0; n],
            late: vec![0; n],
            movers: vec![0; n],
            met: vec![0; self.dues.len()],
            on_time: vec![0; self.plan_finish as usize + 1],
            finish: vec![0; self.sim.horizon as usize + 2],
        }
    }

    /// Adds the run left in `s`, which finished in wave `finish`.
    pub(crate) fn add(&self, t: &mut Tally, s: &Scratch, finish: u32) {
        let sim = self.sim;
        let beyond = sim.horizon + 1;
        let at = |u: u32| match s.cut[u as usize] {
            NOT_DONE => beyond,
            c => c,
        };
        let mut wave_late = vec![false; t.on_time.len()];
        for &u in &sim.order {
            let planned = sim.planned[u as usize];
            let c = at(u);
            // A re-planned run may cut over early: that is no slip.
            t.slip[u as usize] += u64::from(c.saturating_sub(planned));
            if c > planned {
                t.late[u as usize] += 1;
                wave_late[planned as usize] = true;
            }
        }
        for (k, late) in wave_late.iter().enumerate().skip(1) {
            if !late {
                t.on_time[k] += 1;
            }
        }
        for (i, due) in self.dues.iter().enumerate() {
            if !due.missed_in_plan && due.units.iter().all(|&u| at(u) <= due.wave) {
                t.met[i] += 1;
            }
        }
        let finish = if finish == NOT_DONE { beyond } else { finish };
        t.finish[finish as usize] += 1;
    }

    /// Whether a run that finished in `finish` moved the plan's finish.
    pub(crate) fn moved(&self, finish: u32) -> bool {
        finish > self.plan_finish
    }

    /// Counts unit `u`'s failures as having moved the finish in one run.
    pub(crate) fn mover(t: &mut Tally, u: u32) {
        t.movers[u as usize] += 1;
    }

    /// The sum of two tallies.
    pub(crate) fn merge(mut a: Tally, b: Tally) -> Tally {
        fn add<T: Copy + std::ops::AddAssign>(x: &mut [T], y: &[T]) {
            for (p, q) in x.iter_mut().zip(y) {
                *p += *q;
            }
        }
        add(&mut a.slip, &b.slip);
        add(&mut a.late, &b.late);
        add(&mut a.movers, &b.movers);
        add(&mut a.met, &b.met);
        add(&mut a.on_time, &b.on_time);
        add(&mut a.finish, &b.finish);
        a
    }

    /// The result of `runs` runs with `seed`, from their tally and each run's finish.
    pub(crate) fn report(
        &self,
        inv: &Inventory,
        sc: &Scenario,
        t: &Tally,
        opts: super::Options,
    ) -> RiskReport {
        let runs = opts.runs;
        let sim = self.sim;
        let cal = &sc.calendar;
        let share = |n: u64| {
            if runs == 0 {
                0.0
            } else {
                round4(n as f64 / runs as f64)
            }
        };
        let crit_runs = self.criticality_runs;
        let crit_share = |n: u32| {
            if crit_runs == 0 {
                0.0
            } else {
                round4(f64::from(n) / crit_runs as f64)
            }
        };
        let beyond = sim.horizon as usize + 1;
        let percentile = |p: f64| -> Option<u32> {
            // Nearest rank: the smallest finish that at least p of the runs reach.
            let need = (p * runs as f64).ceil().max(1.0) as u64;
            let mut seen = 0;
            for (w, &n) in t.finish.iter().enumerate() {
                seen += n;
                if seen >= need {
                    // Wave 0: the plan executes nothing, so nothing finishes.
                    return (w > 0 && w < beyond).then_some(w as u32);
                }
            }
            None
        };
        let date = |w: Option<u32>| w.map(|w| cal.wave_end(w));
        let (p50, p80, p95) = (percentile(0.5), percentile(0.8), percentile(0.95));

        let mut services = IndexMap::new();
        let mut i = 0;
        for (s, svc) in inv.indexed() {
            if let (true, Some(d)) = (svc.is_migrating(), svc.deadline) {
                let u = sim.pb.unit_of[s] as usize;
                services.insert(
                    svc.id.to_string(),
                    ServiceDeadline {
                        deadline: d,
                        wave: self.dues[i].wave,
                        planned_wave: (sim.planned[u] != 0).then_some(sim.planned[u]),
                        probability: share(u64::from(t.met[i])),
                    },
                );
                i += 1;
            }
        }
        let mut sites = IndexMap::new();
        for (site, name) in [
            (Site::PilotCloud, "pilot-cloud"),
            (Site::Datacenter, "datacenter"),
        ] {
            if let Some(d) = sc.decommission_by(site) {
                let due = &self.dues[i];
                let planned_wave = due
                    .units
                    .iter()
                    .map(|&u| sim.planned[u as usize])
                    .max()
                    .filter(|_| !due.missed_in_plan);
                sites.insert(
                    name.to_owned(),
                    SiteDeadline {
                        decommission_by: d,
                        wave: due.wave,
                        services: due.services,
                        planned_wave,
                        probability: share(u64::from(t.met[i])),
                    },
                );
                i += 1;
            }
        }

        let mut by_service: Vec<ServiceRisk> = Vec::new();
        let mut crit: Vec<(u32, &str)> = Vec::new();
        let mut waves: Vec<WaveRisk> = (1..=self.plan_finish)
            .map(|k| WaveRisk {
                wave: k,
                planned_cutovers: 0,
                expected_slip: 0.0,
                on_time_probability: share(u64::from(t.on_time[k as usize])),
            })
            .collect();
        let mut slip_by_wave = vec![0u64; self.plan_finish as usize + 1];
        for &u in &sim.order {
            let planned = sim.planned[u as usize];
            let size = sim.pb.size(u as usize);
            slip_by_wave[planned as usize] += t.slip[u as usize] * u64::from(size);
            if let Some(w) = waves.get_mut(planned as usize - 1) {
                w.planned_cutovers += size;
            }
            for s in sim.members(u as usize) {
                let svc = &inv.services[s];
                by_service.push(ServiceRisk {
                    service: svc.id.to_string(),
                    department: inv.departments[svc.department].code.clone(),
                    planned_wave: planned,
                    expected_slip: round3(mean(t.slip[u as usize], runs)),
                    late_probability: share(u64::from(t.late[u as usize])),
                    criticality_index: crit_share(t.movers[u as usize]),
                });
                if t.movers[u as usize] > 0 {
                    crit.push((t.movers[u as usize], svc.id.as_str()));
                }
            }
        }
        for w in &mut waves {
            let n = u64::from(w.planned_cutovers) * runs;
            w.expected_slip = round3(mean(slip_by_wave[w.wave as usize], n));
        }
        waves.retain(|w| w.planned_cutovers > 0);
        by_service.sort_by(|a, b| a.service.cmp(&b.service));
        crit.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let histogram = t
            .finish
            .iter()
            .enumerate()
            .take(beyond)
            .skip(1)
            .filter(|&(_, &n)| n > 0)
            .map(|(w, &n)| (w.to_string(), n))
            .collect();
        let on_time: u64 = t.finish.iter().take(self.plan_finish as usize + 1).sum();
        RiskReport {
            scenario: sc.name.clone(),
            runs,
            seed: opts.seed,
            replan: opts.replan,
            horizon: sim.horizon,
            plan_finish_wave: self.plan_finish,
            plan_finish_date: (self.plan_finish > 0).then(|| cal.wave_end(self.plan_finish)),
            on_time_probability: share(on_time),
            finish_wave_p50: p50,
            finish_wave_p80: p80,
            finish_wave_p95: p95,
            finish_date_p50: date(p50),
            finish_date_p80: date(p80),
            finish_date_p95: date(p95),
            unfinished_runs: t.finish[beyond],
            deadline_probabilities: DeadlineProbabilities { sites, services },
            criticality_runs: crit_runs,
            criticality_index: crit
                .into_iter()
                .map(|(n, id)| (id.to_owned(), crit_share(n)))
                .collect(),
            histogram,
            waves,
            services: by_service,
        }
    }
}

fn mean(sum: u64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { sum as f64 / n as f64 }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The result of `waveplan risk` (JSON keys in docs/risk.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskReport {
    /// The scenario simulated.
    pub scenario: String,
    /// Runs simulated.
    pub runs: u64,
    /// The seed; the same seed gives the same numbers at any thread count.
    pub seed: u64,
    /// Whether later work could move earlier after a setback (`--replan`).
    pub replan: bool,
    /// Waves a run may use before it counts as unfinished.
    pub horizon: u32,
    /// The plan's own finish.
    pub plan_finish_wave: u32,
    /// Its last day.
    pub plan_finish_date: Option<Date>,
    /// Share of runs that finish by the plan's finish.
    pub on_time_probability: f64,
    /// Finish wave reached by half the runs (`null`: not within the horizon).
    pub finish_wave_p50: Option<u32>,
    /// … by four runs in five.
    pub finish_wave_p80: Option<u32>,
    /// … by 19 runs in 20.
    pub finish_wave_p95: Option<u32>,
    /// Last day of the P50 finish wave.
    pub finish_date_p50: Option<Date>,
    /// Last day of the P80 finish wave.
    pub finish_date_p80: Option<Date>,
    /// Last day of the P95 finish wave.
    pub finish_date_p95: Option<Date>,
    /// Runs in which some service had not cut over by the horizon.
    pub unfinished_runs: u64,
    /// Probability of meeting each site's decommission date and each service's deadline.
    pub deadline_probabilities: DeadlineProbabilities,
    /// The first runs the criticality index is measured on (at most 1,000 by default,
    /// fewer on large inventories; `--criticality-runs`).
    pub criticality_runs: u64,
    /// Service → share of those runs in which its failed cutover moved the finish (the same
    /// run without that failure finishes earlier), largest first; only services that ever
    /// did. Services that cut over together share their unit's failures.
    pub criticality_index: IndexMap<String, f64>,
    /// Finish wave → runs (finished runs only; see `unfinished_runs`).
    pub histogram: IndexMap<String, u64>,
    /// Each planned wave with cutovers: its expected slip.
    pub waves: Vec<WaveRisk>,
    /// Each scheduled service's numbers, by id.
    pub services: Vec<ServiceRisk>,
}

/// Deadline probabilities by site and by service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadlineProbabilities {
    /// By site with a `decommission_by` date.
    pub sites: IndexMap<String, SiteDeadline>,
    /// By migrating service with a `deadline`.
    pub services: IndexMap<String, ServiceDeadline>,
}

/// A site's decommission date and how likely it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteDeadline {
    /// The date.
    pub decommission_by: Date,
    /// The last wave ending on or before it.
    pub wave: u32,
    /// Migrating services on the site.
    pub services: u32,
    /// The plan's last cutover of them (`null`: the plan leaves one out).
    pub planned_wave: Option<u32>,
    /// Share of runs in which all have cut over by `wave`.
    pub probability: f64,
}

/// A service's deadline and how likely it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceDeadline {
    /// The date.
    pub deadline: Date,
    /// The last wave ending on or before it.
    pub wave: u32,
    /// The plan's cutover (`null`: unscheduled in the plan).
    pub planned_wave: Option<u32>,
    /// Share of runs in which it cut over by `wave`.
    pub probability: f64,
}

/// A planned wave's expected slip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveRisk {
    /// The wave.
    pub wave: u32,
    /// Services the plan cuts over in it.
    pub planned_cutovers: u32,
    /// Mean waves by which they cut over late (one that never cuts over counts as the
    /// horizon plus one).
    pub expected_slip: f64,
    /// Share of runs in which all of them cut over in it.
    pub on_time_probability: f64,
}

/// One scheduled service's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRisk {
    /// Service id.
    pub service: String,
    /// Department code.
    pub department: String,
    /// The plan's cutover.
    pub planned_wave: u32,
    /// Mean waves by which it cuts over late.
    pub expected_slip: f64,
    /// Share of runs in which it cuts over late.
    pub late_probability: f64,
    /// Share of the criticality runs in which its failed cutover moved the finish.
    pub criticality_index: f64,
}
