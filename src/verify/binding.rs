//! The summary's `binding` list (an output field SPEC 6 lets the project add): how many of
//! the plan's waves each capacity is full in, re-counted from the loads.
//!
//! A wave is full for a capacity when no scheduled service's share of it could be added
//! there (SPEC 4's tolerance included): for transfer, a team or a target resource, the load
//! plus the smallest positive per-wave piece any scheduled service places on it is over the
//! capacity; for `capacity.cutovers`, the wave's cutovers reached its limit; for
//! `capacity.per_department`, some department with a scheduled service reached its limit.
//! A plan that lists nothing (as every plan written before the field did) is not checked;
//! `lower_bound_reason` is a proof only the scheduler could redo, so it is not checked here.

use std::collections::BTreeMap;

use super::Breach;
use super::capacity::target_caps;
use super::coverage::RESOURCES;
use super::facts::Facts;
use super::loads::{Loads, per_wave, res3};
use super::num::within;
use crate::model::DeptIx;
use crate::model::Plan;
use crate::model::words::plural;

/// Compares the plan's `binding` with a recount, when the plan lists any.
pub(super) fn check(f: &Facts<'_>, plan: &Plan, loads: &Loads, out: &mut Vec<Breach>) {
    let said = &plan.summary.binding;
    if said.is_empty() {
        return;
    }
    let mut listed: BTreeMap<&str, u32> = BTreeMap::new();
    for b in said {
        if listed.insert(b.rule.as_str(), b.waves).is_some() {
            out.push(Breach::new(
                "summary.binding",
                None,
                None,
                format!("binding lists `{}` twice", b.rule),
            ));
        }
    }
    let counted = count(f, loads);
    let rules: std::collections::BTreeSet<&str> = listed
        .keys()
        .copied()
        .chain(counted.keys().map(String::as_str))
        .collect();
    for rule in rules {
        let a = listed.get(rule).copied().unwrap_or(0);
        let b = counted.get(rule).copied().unwrap_or(0);
        if a != b {
            out.push(Breach::new(
                "summary.binding",
                None,
                None,
                format!(
                    "binding says `{rule}` is full in {}, recounted {b}",
                    plural(a, "wave")
                ),
            ));
        }
    }
}

/// Waves 1..=makespan in which each capacity is full (rules with none left out).
fn count(f: &Facts<'_>, loads: &Loads) -> BTreeMap<String, u32> {
    let cap = &f.sc.capacity;
    let mut transfer_piece = f64::INFINITY;
    let mut team_piece = vec![f64::INFINITY; loads.team_names.len()];
    let mut res_piece = [f64::INFINITY; 3];
    let mut dept_scheduled = vec![false; f.inv.departments.len()];
    for (ix, slot) in f.slots.iter().enumerate() {
        if slot.is_none() {
            continue;
        }
        let s = &f.inv.services[ix];
        if let Some(d) = dept_scheduled.get_mut(s.department.pos()) {
            *d = true;
        }
        let per = per_wave(s);
        if s.data_gib > 0.0 {
            transfer_piece = transfer_piece.min(s.data_gib / per);
        }
        for (t, v) in &s.effort {
            if *v > 0.0
                && let Some(i) = loads.team_index(t)
            {
                team_piece[i] = team_piece[i].min(v / per);
            }
        }
        for (p, v) in res_piece.iter_mut().zip(res3(&s.resources)) {
            if v > 0.0 {
                *p = p.min(v);
            }
        }
    }
    let full =
        |used: f64, piece: f64, limit: f64| piece.is_finite() && !within(used + piece, limit);
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut add = |rule: String| *counts.entry(rule).or_insert(0) += 1;
    for k in 1..=f.makespan.min(f.horizon) {
        let n = loads.cutovers(k).len();
        if cap.cutovers.limit(k).is_some_and(|l| n >= l as usize) {
            add("capacity.cutovers".to_owned());
        }
        let dept_full = dept_scheduled.iter().enumerate().any(|(d, &used)| {
            used && f.dept_cap(DeptIx::new(d)).is_some_and(|l| {
                loads
                    .dept_cutovers
                    .get(&(k, DeptIx::new(d)))
                    .copied()
                    .unwrap_or(0)
                    >= l
            })
        });
        if dept_full {
            add("capacity.per_department".to_owned());
        }
        if let Some(l) = cap.transfer_gib
            && full(loads.transfer(k), transfer_piece, l)
        {
            add("capacity.transfer_gib".to_owned());
        }
        for (t, name) in loads.team_names.iter().enumerate() {
            if let Some(l) = loads.team_caps[t]
                && full(loads.team(k, t), team_piece[t], l)
            {
                add(format!("capacity.teams.{name}"));
            }
        }
        if let Some(caps) = target_caps(f.sc, k) {
            let used = loads.started(k);
            for (r, name) in RESOURCES.iter().enumerate() {
                if let Some(l) = caps[r]
                    && full(used[r], res_piece[r], l)
                {
                    add(format!("capacity.target.{name}"));
                }
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, want};
    use crate::model::Binding;

    #[test]
    fn binding_is_recounted_when_listed() {
        let mut fx = Fx::new();
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(4.0));
        fx.svc("a").effort.insert("dba".to_owned(), 3.0);
        fx.svc("b").effort.insert("dba".to_owned(), 1.0);
        // Wave 1 holds 3 of 4: the smallest piece (1) still fits. Wave 2 holds 1: room 3.
        let mut plan = fx.plan(&[("a", 1), ("b", 2)]);
        assert_eq!(
            fx.breaches(&plan),
            want(&[]),
            "an empty list is not checked"
        );
        plan.summary.binding = vec![Binding {
            rule: "capacity.teams.dba".to_owned(),
            waves: 1,
        }];
        assert_eq!(fx.breaches(&plan), want(&[("summary.binding", None)]));
        // Both in wave 1: 4 of 4, full.
        let mut plan = fx.plan(&[("a", 1), ("b", 1)]);
        plan.summary.binding = vec![Binding {
            rule: "capacity.teams.dba".to_owned(),
            waves: 1,
        }];
        assert_eq!(fx.breaches(&plan), want(&[]));
        plan.summary.binding[0].waves = 2;
        assert_eq!(fx.breaches(&plan), want(&[("summary.binding", None)]));
    }
}
