//! PSPLIB single-mode RCPSP instances (`.sm`) as waveplan inputs, for tests and benchmarks.
//!
//! Mirrors `tools/psplib2inv.py`: each job with a positive duration becomes a service whose
//! `duration_waves` is the duration and whose effort per team is demand × duration;
//! precedences become strictly-before edges (bridged through zero-duration jobs); the
//! availabilities become team capacities. A plan's waves then equal the RCPSP makespan.
//! Must not read files: callers pass the text.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Calendar, Capacity, Department, Edge, Inventory, Order, Rules, Scenario, Service, SiteRules,
};
use crate::model::{DeptIx, ServiceIx};

/// A `.sm` file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PsplibError {
    /// A section is missing or a line is malformed.
    #[error("not a PSPLIB single-mode .sm file: {0}")]
    Format(String),
}

/// A parsed RCPSP instance (jobs numbered from 1, as in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Horizon given in the file (sum of durations when absent).
    pub horizon: u32,
    /// Successors of each job.
    pub successors: BTreeMap<u32, Vec<u32>>,
    /// Duration of each job.
    pub durations: BTreeMap<u32, u32>,
    /// Resource demands of each job.
    pub demands: BTreeMap<u32, Vec<u32>>,
    /// Resource availabilities.
    pub availability: Vec<u32>,
}

/// Parses the text of a `.sm` file.
pub fn parse(text: &str) -> Result<Instance, PsplibError> {
    #[derive(PartialEq)]
    enum Sect {
        None,
        Prec,
        Req,
        Avail,
    }
    let mut sect = Sect::None;
    let mut horizon = None;
    let mut inst = Instance {
        horizon: 0,
        successors: BTreeMap::new(),
        durations: BTreeMap::new(),
        demands: BTreeMap::new(),
        availability: Vec::new(),
    };
    let ints = |toks: &[&str]| -> Result<Vec<u32>, PsplibError> {
        toks.iter()
            .map(|t| {
                t.parse::<u32>()
                    .map_err(|_| PsplibError::Format(format!("bad number `{t}`")))
            })
            .collect()
    };
    for line in text.lines() {
        let s = line.trim();
        if s.starts_with("horizon") {
            horizon = s
                .split(':')
                .nth(1)
                .and_then(|x| x.trim().parse::<u32>().ok());
            continue;
        }
        if s.starts_with("PRECEDENCE RELATIONS") {
            sect = Sect::Prec;
            continue;
        }
        if s.starts_with("REQUESTS/DURATIONS") {
            sect = Sect::Req;
            continue;
        }
        if s.starts_with("RESOURCEAVAILABILITIES") {
            sect = Sect::Avail;
            continue;
        }
        if s.is_empty() || s.starts_with('*') || s.starts_with('-') {
            continue;
        }
        let toks: Vec<&str> = s.split_whitespace().collect();
        let numeric = toks.iter().all(|t| t.bytes().all(|b| b.is_ascii_digit()));
        if !numeric {
            continue;
        }
        let v = ints(&toks)?;
        match sect {
            Sect::Prec if v.len() >= 3 => {
                let n = v[2] as usize;
                let succ = v
                    .get(3..3 + n)
                    .ok_or_else(|| PsplibError::Format(format!("short precedence line `{s}`")))?;
                inst.successors.insert(v[0], succ.to_vec());
            }
            Sect::Req if v.len() >= 3 => {
                inst.durations.insert(v[0], v[2]);
                inst.demands.insert(v[0], v[3..].to_vec());
            }
            Sect::Avail => inst.availability = v,
            _ => {}
        }
    }
    if inst.successors.is_empty() || inst.durations.is_empty() || inst.availability.is_empty() {
        return Err(PsplibError::Format("missing sections".to_owned()));
    }
    inst.horizon = horizon.unwrap_or_else(|| inst.durations.values().sum());
    Ok(inst)
}

impl Instance {
    /// Positive-duration predecessors of each positive-duration job, looking through
    /// zero-duration jobs.
    fn bridged_predecessors(&self) -> BTreeMap<u32, BTreeSet<u32>> {
        let mut pred: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (&i, ss) in &self.successors {
            for &j in ss {
                pred.entry(j).or_default().push(i);
            }
        }
        let mut out = BTreeMap::new();
        for (&j, &d) in &self.durations {
            if d == 0 {
                continue;
            }
            let mut res = BTreeSet::new();
            let mut seen = BTreeSet::new();
            let mut stack: Vec<u32> = pred.get(&j).cloned().unwrap_or_default();
            while let Some(i) = stack.pop() {
                if !seen.insert(i) {
                    continue;
                }
                if self.durations.get(&i).copied().unwrap_or(0) > 0 {
                    res.insert(i);
                } else if let Some(p) = pred.get(&i) {
                    stack.extend(p);
                }
            }
            out.insert(j, res);
        }
        out
    }

    /// The inventory and scenario `psplib2inv.py` would write (without file digests).
    pub fn to_model(&self, name: &str) -> (Inventory, Scenario) {
        let preds = self.bridged_predecessors();
        let ids: BTreeMap<u32, usize> = preds.keys().enumerate().map(|(i, &j)| (j, i)).collect();
        let services = preds
            .iter()
            .map(|(&j, ps)| {
                let d = self.durations.get(&j).copied().unwrap_or(1);
                let dem = self.demands.get(&j).cloned().unwrap_or_default();
                let effort = dem
                    .iter()
                    .enumerate()
                    .filter(|&(_, &x)| x > 0)
                    .map(|(k, &x)| (format!("R{}", k + 1), f64::from(x) * f64::from(d)))
                    .collect();
                Service {
                    name: format!("job {j}"),
                    effort,
                    duration_waves: d,
                    depends_on: ps
                        .iter()
                        .filter_map(|i| ids.get(i))
                        .map(|&target| Edge {
                            target: ServiceIx::new(target),
                            order: Some(Order::StrictlyBefore),
                            traffic: 1.0,
                            latency_sensitive: false,
                        })
                        .collect(),
                    ..Service::planned(&format!("job-{j:03}"), DeptIx::new(0))
                }
            })
            .collect();
        let inv = Inventory {
            departments: vec![Department {
                code: "RCPSP".to_owned(),
                name: format!("PSPLIB instance {name}"),
                local_name: None,
                max_cutovers_per_wave: None,
                blackouts: Vec::new(),
                file: 0,
            }],
            services,
            files: Vec::new(),
            sha256: String::new(),
        };
        let mut sc = Scenario::defaults(jiff::civil::date(2026, 1, 5));
        sc.name = "baseline".to_owned();
        sc.calendar = Calendar {
            start: jiff::civil::date(2026, 1, 5),
            wave_length_days: 7,
            max_waves: self.horizon.max(1),
            today: None,
            freezes: Vec::new(),
        };
        sc.capacity = Capacity {
            teams: self
                .availability
                .iter()
                .enumerate()
                .map(|(k, &a)| (format!("R{}", k + 1), Some(f64::from(a))))
                .collect(),
            ..Capacity::default()
        };
        sc.sites = SiteRules::default();
        sc.rules = Rules {
            dependency_order: Order::StrictlyBefore,
            critical_not_before_wave: 1,
        };
        (inv, sc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{NoProgress, Options, plan};

    const BENCH: &str = "/work/shared/benchmarks/psplib";

    fn load(name: &str) -> Option<Instance> {
        let text = std::fs::read_to_string(format!("{BENCH}/j30/{name}.sm")).ok()?;
        Some(parse(&text).expect("parses"))
    }

    #[test]
    fn parses_j301_1() {
        let Some(inst) = load("j301_1") else { return };
        assert_eq!(inst.availability, vec![12, 13, 4, 12]);
        assert_eq!(inst.durations.len(), 32);
        let (inv, _) = inst.to_model("j301_1");
        assert_eq!(inv.services.len(), 30);
    }

    #[test]
    fn j301_1_reaches_its_optimum() {
        let Some(inst) = load("j301_1") else { return };
        let (inv, sc) = inst.to_model("j301_1");
        let out = plan(
            &inv,
            &sc,
            &Options {
                seed: 1,
                effort: Some(20_000),
                time_limit: None,
            },
            &NoProgress,
        );
        assert!(out.plan.unscheduled.is_empty());
        assert_eq!(out.plan.summary.waves, 43);
        assert!(out.plan.summary.lower_bound_waves >= 38);
    }

    /// Mean deviation from the optimum over j30 instances: `WAVEPLAN_J30=N` runs the first N
    /// (by the bounds file), `WAVEPLAN_EFFORT` sets the effort.
    #[test]
    #[ignore = "benchmark; run with --ignored --nocapture"]
    #[expect(clippy::print_stderr, reason = "benchmark output")]
    fn j30_benchmark() {
        let n: usize = std::env::var("WAVEPLAN_J30")
            .ok()
            .and_then(|x| x.parse().ok())
            .unwrap_or(20);
        let effort: Option<u64> = std::env::var("WAVEPLAN_EFFORT")
            .ok()
            .and_then(|x| x.parse().ok());
        let Ok(csv) = std::fs::read_to_string(format!("{BENCH}/solutions/psplib_bounds.csv"))
        else {
            return;
        };
        let rows: Vec<(String, u32)> = csv
            .lines()
            .filter(|l| l.starts_with("j30,"))
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[1].to_owned(), f[7].parse().expect("ub"))
            })
            .take(n)
            .collect();
        let (mut dev, mut worst, mut opt) = (0.0, 0.0f64, 0);
        let t0 = std::time::Instant::now();
        for (name, best) in &rows {
            let inst = load(name).expect("instance");
            let (inv, sc) = inst.to_model(name);
            let t = std::time::Instant::now();
            let out = plan(
                &inv,
                &sc,
                &Options {
                    seed: 0,
                    effort,
                    time_limit: None,
                },
                &NoProgress,
            );
            let got = out.plan.summary.waves;
            let d = (f64::from(got) - f64::from(*best)) / f64::from(*best) * 100.0;
            dev += d;
            worst = worst.max(d);
            opt += usize::from(got == *best);
            eprintln!(
                "{name}: {got} (opt {best}, lb {}) {:.2}% {:?} schedules {}",
                out.plan.summary.lower_bound_waves,
                d,
                t.elapsed(),
                out.stats.schedules
            );
        }
        eprintln!(
            "j30 x{}: mean dev {:.3}%, worst {:.2}%, optimal {}/{}, {:?}",
            rows.len(),
            dev / rows.len() as f64,
            worst,
            opt,
            rows.len(),
            t0.elapsed()
        );
    }
}
