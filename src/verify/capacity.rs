//! SPEC 4.3 and 4.4: per-wave cutovers, per-department cutovers, transfer and team loads, and
//! the target capacity over waves 1..makespan.

use std::collections::BTreeMap;

use super::Breach;
use super::coverage::RESOURCES;
use super::facts::Facts;
use super::loads::Loads;
use super::num::{show, within};
use crate::model::Scenario;

/// Checks every wave's loads against the scenario's capacities.
pub(super) fn check(f: &Facts<'_>, loads: &Loads, out: &mut Vec<Breach>) {
    let cap = &f.sc.capacity;
    for k in 0..=f.horizon {
        let n = loads.cutovers[k as usize].len();
        if let Some(limit) = cap.cutovers.limit(k)
            && n > limit as usize
        {
            out.push(Breach::new(
                "capacity.cutovers",
                None,
                Some(k),
                format!("wave {k}: {n} cutovers exceed capacity {limit}"),
            ));
        }
        if let Some(limit) = cap.transfer_gib {
            let v = loads.transfer[k as usize];
            if !within(v, limit) {
                out.push(Breach::new(
                    "capacity.transfer_gib",
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
            if !within(v, limit) {
                out.push(Breach::new(
                    format!("capacity.teams.{name}"),
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
        {
            let code = f.inv.departments.get(d).map_or("?", |d| d.code.as_str());
            out.push(Breach::new(
                "capacity.per_department",
                None,
                Some(k),
                format!("wave {k}: department {code} has {n} cutovers, exceeding capacity {limit}"),
            ));
        }
    }
    for k in 1..=f.makespan.min(f.horizon) {
        let Some(caps) = target_caps(f.sc, k) else {
            break;
        };
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

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, want};
    use super::super::verify;
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
        fx.inv.departments[0].max_cutovers_per_wave = Some(None);
        assert_eq!(fx.breaches(&plan), want(&[]));
        fx.inv.departments[0].max_cutovers_per_wave = Some(Some(2));
        assert_eq!(fx.breaches(&plan), want(&[]));
        fx.sc.capacity.per_department = None;
        fx.inv.departments[0].max_cutovers_per_wave = Some(Some(1));
        assert_eq!(
            fx.breaches(&plan),
            want(&[("capacity.per_department", None)])
        );
        fx.get("b").department = 1;
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
