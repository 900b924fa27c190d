//! Per-wave loads of the plan as it stands, computed once and shared by the capacity checks,
//! the `waves` list check and the 4.9 trials.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::facts::Facts;
use super::num::Sum;
use crate::model::{DeptIx, Resources, Service, ServiceIx};

/// Loads per wave over waves `first..=horizon` of the facts; read them through the
/// accessors, which take wave numbers.
pub(super) struct Loads {
    /// The first wave tabulated: row `i` of each table is wave `first + i`.
    first: u32,
    /// Services cutting over in each wave, sorted by id.
    cutovers: Vec<Vec<ServiceIx>>,
    /// Cutovers per (wave, department).
    pub dept_cutovers: HashMap<(u32, DeptIx), u32>,
    /// Data copied per wave, GiB.
    transfer: Vec<f64>,
    /// Every team named in `capacity.teams` or in any service's effort, sorted.
    pub team_names: Vec<String>,
    /// Per team (same order): its per-wave capacity, `None` when unlimited.
    pub team_caps: Vec<Option<f64>>,
    /// Person-days per wave and team: `team_load[row * teams + team]`.
    team_load: Vec<f64>,
    /// Target resources of the scheduled services started by each wave (wave 0 holds zero).
    started: Vec<[f64; 3]>,
}

impl Loads {
    /// Sums the scheduled services' loads.
    pub(super) fn new(f: &Facts<'_>) -> Self {
        let first = f.first.min(f.horizon);
        let n = (f.horizon - first) as usize + 1;
        let row = |k: u32| (k - first) as usize;
        let names: BTreeSet<&str> =
            f.sc.capacity
                .teams
                .keys()
                .map(String::as_str)
                .chain(
                    f.inv
                        .services
                        .iter()
                        .flat_map(|s| s.effort.keys().map(String::as_str)),
                )
                .collect();
        let team_names: Vec<String> = names.iter().map(|t| (*t).to_owned()).collect();
        let team_caps = team_names
            .iter()
            .map(|t| f.sc.capacity.teams.get(t).copied().flatten())
            .collect();
        let index: BTreeMap<&str, usize> = team_names
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        let nt = team_names.len();

        let mut cutovers = vec![Vec::new(); n];
        let mut dept_cutovers = HashMap::new();
        let mut transfer = vec![Sum::default(); n];
        let mut team_sum = vec![Sum::default(); n * nt];
        let mut by_start = vec![[0.0; 3]; n];
        // Resources started before the first row: where the running sum begins.
        let mut before = [0.0; 3];
        for (ix, slot) in f.slots.iter().enumerate() {
            let Some(slot) = *slot else { continue };
            let ix = ServiceIx::new(ix);
            let s = &f.inv.services[ix];
            if (first..=f.horizon).contains(&slot.cutover) {
                cutovers[row(slot.cutover)].push(ix);
                *dept_cutovers
                    .entry((slot.cutover, s.department))
                    .or_insert(0) += 1;
            }
            if slot.start < first {
                if slot.start > 0 {
                    add3(&mut before, &s.resources);
                }
            } else if slot.start <= f.horizon {
                add3(&mut by_start[row(slot.start)], &s.resources);
            }
            let per = per_wave(s);
            let teams: Vec<(usize, f64)> = s
                .effort
                .iter()
                .filter_map(|(t, v)| Some((*index.get(t.as_str())?, v / per)))
                .filter(|&(_, v)| v != 0.0)
                .collect();
            for k in f.occupied(slot) {
                let k = row(k);
                if s.data_gib != 0.0 {
                    transfer[k].add(s.data_gib / per);
                }
                for &(t, v) in &teams {
                    team_sum[k * nt + t].add(v);
                }
            }
        }
        for ids in &mut cutovers {
            ids.sort_by(|a, b| f.inv.services[*a].id.cmp(&f.inv.services[*b].id));
        }
        let mut started = Vec::with_capacity(n);
        let mut run = before;
        for (i, add) in by_start.iter().enumerate() {
            if first as usize + i > 0 {
                for r in 0..3 {
                    run[r] += add[r];
                }
            }
            started.push(run);
        }
        Self {
            first,
            cutovers,
            dept_cutovers,
            transfer: transfer.into_iter().map(Sum::value).collect(),
            team_names,
            team_caps,
            team_load: team_sum.into_iter().map(Sum::value).collect(),
            started,
        }
    }

    /// The row of wave `k`; every caller asks about a tabulated wave.
    fn row(&self, k: u32) -> usize {
        k.saturating_sub(self.first) as usize
    }

    /// Person-days team `t` spends in wave `k`.
    pub(super) fn team(&self, k: u32, t: usize) -> f64 {
        self.team_load[self.row(k) * self.team_names.len() + t]
    }

    /// The services cutting over in wave `k`, sorted by id.
    pub(super) fn cutovers(&self, k: u32) -> &[ServiceIx] {
        &self.cutovers[self.row(k)]
    }

    /// GiB copied in wave `k`.
    pub(super) fn transfer(&self, k: u32) -> f64 {
        self.transfer[self.row(k)]
    }

    /// Target resources of the services started by wave `k`.
    pub(super) fn started(&self, k: u32) -> [f64; 3] {
        self.started[self.row(k)]
    }

    /// The index of a team name.
    pub(super) fn team_index(&self, name: &str) -> Option<usize> {
        self.team_names
            .binary_search_by(|t| t.as_str().cmp(name))
            .ok()
    }
}

/// A service's duration as a divisor (at least 1, so a bad inventory cannot divide by 0).
pub(super) fn per_wave(s: &Service) -> f64 {
    f64::from(s.duration_waves.max(1))
}

/// The resources as an array in [`super::coverage::RESOURCES`] order.
pub(super) fn res3(r: &Resources) -> [f64; 3] {
    [r.vcpu, r.memory_gib, r.storage_gib]
}

fn add3(acc: &mut [f64; 3], r: &Resources) {
    for (a, v) in acc.iter_mut().zip(res3(r)) {
        *a += v;
    }
}
