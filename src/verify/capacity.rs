//! SPEC 4.3 and 4.4: per-wave cutovers, per-department cutovers, transfer and team loads, and
//! the target capacity over waves 1..makespan.

use std::collections::{BTreeMap, BTreeSet};

use super::Breach;
use super::coverage::RESOURCES;
use super::facts::Facts;
use super::loads::{Loads, per_wave, res3};
use super::num::{show, within};
use crate::model::ServiceIx;
use crate::model::words::{plural, plural_of};
use crate::model::{DeptIx, Resource, Rule, Scenario, TargetInForce};

/// The capacity quantities the wanted services take part in, for a focused check: a full
/// wave is their breach only when they add to it.
struct Share {
    /// The first wave of the rows below: row `i` is wave `first + i`.
    first: u32,
    /// Waves where a wanted service cuts over.
    cutover: BTreeSet<u32>,
    /// (wave, department) of those cutovers.
    dept: BTreeSet<(u32, DeptIx)>,
    /// Per row: a wanted service copies data.
    transfer: Vec<bool>,
    /// Per row and team (`row * teams + team`): a wanted service has effort there.
    team: Vec<bool>,
    /// The number of teams.
    teams: usize,
    /// Per resource: the first wave by which a wanted service holding it has started.
    target_from: [u32; 3],
}

impl Share {
    /// `None` without a focus: every quantity is checked.
    fn new(f: &Facts<'_>, loads: &Loads) -> Option<Self> {
        f.focus.as_ref()?;
        let first = f.first.min(f.horizon);
        let rows = (f.horizon - first) as usize + 1;
        let teams = loads.team_names.len();
        let mut share = Self {
            first,
            cutover: BTreeSet::new(),
            dept: BTreeSet::new(),
            transfer: vec![false; rows],
            team: vec![false; rows * teams],
            teams,
            target_from: [u32::MAX; 3],
        };
        for (ix, slot) in f.slots.iter().enumerate() {
            let Some(slot) = *slot else { continue };
            if !f.wanted(ServiceIx::new(ix)) {
                continue;
            }
            let s = &f.inv.services[ix];
            share.cutover.insert(slot.cutover);
            share.dept.insert((slot.cutover, s.department));
            let teams: Vec<usize> = s
                .effort
                .iter()
                .filter(|&(_, v)| *v / per_wave(s) != 0.0)
                .filter_map(|(t, _)| loads.team_index(t))
                .collect();
            for k in f.occupied(slot) {
                let row = (k - first) as usize;
                if s.data_gib != 0.0 {
                    share.transfer[row] = true;
                }
                for &t in &teams {
                    share.team[row * share.teams + t] = true;
                }
            }
            for (from, v) in share.target_from.iter_mut().zip(res3(&s.resources)) {
                if v > 0.0 {
                    *from = (*from).min(slot.start);
                }
            }
        }
        Some(share)
    }

    /// Whether a wanted service copies data in wave `k`.
    fn transfer(&self, k: u32) -> bool {
        self.transfer[k.saturating_sub(self.first) as usize]
    }

    /// Whether a wanted service has effort for team `t` in wave `k`.
    fn team(&self, k: u32, t: usize) -> bool {
        self.team[k.saturating_sub(self.first) as usize * self.teams + t]
    }
}

/// Checks every wave's loads against the scenario's capacities (with a focus, only the
/// quantities the wanted services add to).
pub(super) fn check(f: &Facts<'_>, loads: &Loads, out: &mut Vec<Breach>) {
    let cap = &f.sc.capacity;
    let share = Share::new(f, loads);
    let share = share.as_ref();
    for k in f.first..=f.horizon {
        let n = loads.cutovers(k).len();
        if let Some(limit) = cap.cutovers.limit(k)
            && n > limit as usize
            && share.is_none_or(|s| s.cutover.contains(&k))
        {
            out.push(Breach::new(
                Rule::Cutovers,
                None,
                Some(k),
                format!(
                    "wave {k}: {} exceed capacity {limit}",
                    plural_of(n, "cutover")
                ),
            ));
        }
        if let Some(limit) = cap.transfer_gib {
            let v = loads.transfer(k);
            if !within(v, limit) && share.is_none_or(|s| s.transfer(k)) {
                out.push(Breach::new(
                    Rule::Transfer,
                    None,
                    Some(k),
                    format!(
                        "wave {k}: transfer {} GiB exceeds capacity {}",
                        show(v),
                        show(limit)
                    ),
                ));
            }
        }
        for (t, name) in loads.team_names.iter().enumerate() {
            let Some(limit) = loads.team_caps[t] else {
                continue;
            };
            let v = loads.team(k, t);
            if !within(v, limit) && share.is_none_or(|s| s.team(k, t)) {
                out.push(Breach::new(
                    Rule::Team(name.clone()),
                    None,
                    Some(k),
                    format!(
                        "wave {k}: {name} load {} exceeds capacity {}",
                        show(v),
                        show(limit)
                    ),
                ));
            }
        }
    }
    // BTreeMap so breaches come out in a stable order before the final sort.
    let per_dept: BTreeMap<_, _> = loads.dept_cutovers.iter().collect();
    for (&(k, d), &n) in per_dept {
        if let Some(limit) = f.dept_cap(d)
            && n > limit
            && share.is_none_or(|s| s.dept.contains(&(k, d)))
        {
            let code = f
                .inv
                .departments
                .get(d.pos())
                .map_or("?", |d| d.code.as_str());
            out.push(Breach::new(
                Rule::PerDepartment,
                None,
                Some(k),
                format!(
                    "wave {k}: department {code} has {}, exceeding capacity {limit}",
                    plural(n, "cutover")
                ),
            ));
        }
    }
    let from = share.map_or(1, |s| {
        s.target_from.iter().copied().min().unwrap_or(u32::MAX)
    });
    for k in from.max(f.first).max(1)..=f.makespan.min(f.horizon) {
        let Some(caps) = target_caps(f.sc, k) else {
            break;
        };
        let used = loads.started(k);
        for (r, name) in RESOURCES.iter().enumerate() {
            let Some(limit) = caps[r] else { continue };
            if !within(used[r], limit) && share.is_none_or(|s| s.target_from[r] <= k) {
                out.push(Breach::new(
                    Rule::Target(Resource::ALL[r]),
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
    // Read here rather than through `TargetInForce::caps`: verify keeps its own reading.
    match sc.capacity.target_step(sc.calendar.wave_start(k))? {
        TargetInForce::BeforeFirstStep => Some([Some(0.0); 3]),
        TargetInForce::Step(step) => Some([step.vcpu, step.memory_gib, step.storage_gib]),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, want};
    use super::super::verify;
    use crate::model::DeptIx;
    use crate::model::{CutoverCap, TargetStep};
    use jiff::civil::date;

    fn two() -> Fx {
        let mut fx = Fx::new();
        fx.svc("a");
        fx.svc("b");
        fx
    }

    #[test]
    fn cutovers_per_wave() {
        let mut fx = two();
        fx.sc.capacity.cutovers = CutoverCap {
            ramp: vec![Some(1)],
        };
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1), ("b", 2)])), want(&[]));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1), ("b", 1)])),
            want(&[("capacity.cutovers", None)])
        );
    }

    #[test]
    fn cutover_ramp_uses_the_wave_entry_and_repeats_the_last() {
        let mut fx = two();
        fx.sc.capacity.cutovers = CutoverCap {
            ramp: vec![Some(2), Some(1)],
        };
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1), ("b", 1)])), want(&[]));
        let plan = fx.plan(&[("a", 5), ("b", 5)]);
        let b = verify(&fx.inv, &fx.sc, &plan);
        assert_eq!(
            super::super::testkit::pairs(&b),
            want(&[("capacity.cutovers", None)])
        );
        assert_eq!(b[0].wave, Some(5));
    }

    #[test]
    fn per_department_with_overrides() {
        let mut fx = two();
        fx.sc.capacity.per_department = Some(1);
        let plan = fx.plan(&[("a", 1), ("b", 1)]);
        assert_eq!(
            fx.breaches(&plan),
            want(&[("capacity.per_department", None)])
        );
        fx.inv.departments[0].max_cutovers_per_wave = Some(crate::model::Limit::Unlimited);
        assert_eq!(fx.breaches(&plan), want(&[]));
        fx.inv.departments[0].max_cutovers_per_wave = Some(crate::model::Limit::At(2));
        assert_eq!(fx.breaches(&plan), want(&[]));
        fx.sc.capacity.per_department = None;
        fx.inv.departments[0].max_cutovers_per_wave = Some(crate::model::Limit::At(1));
        assert_eq!(
            fx.breaches(&plan),
            want(&[("capacity.per_department", None)])
        );
        fx.get("b").department = DeptIx::new(1);
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1), ("b", 1)])), want(&[]));
    }

    #[test]
    fn transfer_is_spread_over_the_duration() {
        let mut fx = Fx::new();
        fx.svc("a").data_gib = 10.0;
        fx.sc.capacity.transfer_gib = Some(5.0);
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("capacity.transfer_gib", None)])
        );
        fx.get("a").duration_waves = 2;
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1)])), want(&[]));
    }

    #[test]
    fn team_load_with_message_numbers_and_tolerance() {
        let mut fx = Fx::new();
        fx.svc("a").effort.insert("dba".to_owned(), 32.5);
        fx.get("a").effort.insert("app".to_owned(), 99.0);
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(20.0));
        fx.sc.capacity.teams.insert("app".to_owned(), None);
        let b = verify(&fx.inv, &fx.sc, &fx.plan(&[("a", 1)]));
        assert_eq!(
            super::super::testkit::pairs(&b),
            want(&[("capacity.teams.dba", None)])
        );
        assert_eq!(b[0].message, "wave 1: dba load 32.5 exceeds capacity 20");
        fx.get("a").effort.insert("dba".to_owned(), 20.000_01);
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1)])), want(&[]));
    }

    #[test]
    fn target_step_in_force_and_omitted_resources() {
        let mut fx = Fx::new();
        fx.svc("a").resources.vcpu = 5.0;
        fx.get("a").resources.memory_gib = 1e9;
        let step = |from, vcpu| TargetStep {
            from,
            vcpu: Some(vcpu),
            memory_gib: None,
            storage_gib: Some(0.0),
        };
        fx.sc.capacity.target = Some(vec![
            step(date(2019, 1, 1), 4.0),
            step(date(2019, 1, 21), 8.0),
        ]);
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("capacity.target.vcpu", None)])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2)])), want(&[]));
    }

    #[test]
    fn target_is_zero_before_the_first_step() {
        let mut fx = Fx::new();
        fx.svc("a").resources.storage_gib = 1.0;
        fx.sc.capacity.target = Some(vec![TargetStep {
            from: date(2019, 1, 21),
            vcpu: None,
            memory_gib: None,
            storage_gib: Some(100.0),
        }]);
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("capacity.target.storage_gib", None)])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2)])), want(&[]));
    }
}
