//! SPEC 6 coverage: every migrating service exactly once in `services` ∪ `unscheduled`,
//! nothing else there, both sorted by id, departments and durations consistent, and every
//! unscheduled entry naming a SPEC 4 rule with a reason.

use std::collections::HashMap;

use super::Breach;
use super::facts::Slot;
use crate::model::{Inventory, Plan, Rule, Scenario, ServiceId, ServiceIx};

/// The target resources, in file order.
pub(super) const RESOURCES: [&str; 3] = ["vcpu", "memory_gib", "storage_gib"];

/// Checks both lists; returns each service's slot (first listing wins).
pub(super) fn check(
    inv: &Inventory,
    sc: &Scenario,
    plan: &Plan,
    by_id: &HashMap<&str, ServiceIx>,
    migrating: &[bool],
    out: &mut Vec<Breach>,
) -> Vec<Option<Slot>> {
    let mut slots: Vec<Option<Slot>> = vec![None; inv.services.len()];
    for ent in &plan.services {
        let Some(ix) = known(&ent.id, "services", by_id, migrating, out) else {
            continue;
        };
        if slots[ix].is_some() {
            out.push(Breach::new(
                "format.coverage.duplicate",
                Some(&ent.id),
                None,
                format!("{} is listed twice in services", ent.id),
            ));
            continue;
        }
        let s = &inv.services[ix];
        let code = inv
            .departments
            .get(s.department.pos())
            .map_or("", |d| d.code.as_str());
        if ent.department != code {
            out.push(Breach::new(
                "format.services.department",
                Some(&ent.id),
                None,
                format!(
                    "{} has department `{}`, expected `{code}`",
                    ent.id, ent.department
                ),
            ));
        }
        let expect = u64::from(ent.start_wave) + u64::from(s.duration_waves) - 1;
        if u64::from(ent.cutover_wave) != expect {
            out.push(Breach::new(
                "format.services.duration",
                Some(&ent.id),
                Some(ent.cutover_wave),
                format!(
                    "{} starts in wave {} and cuts over in wave {} but duration_waves is {}",
                    ent.id, ent.start_wave, ent.cutover_wave, s.duration_waves
                ),
            ));
        }
        if ent.start_wave < 1 {
            out.push(Breach::new(
                "format.services.start_wave",
                Some(&ent.id),
                Some(ent.start_wave),
                format!(
                    "{} starts in wave {}; waves are numbered from 1",
                    ent.id, ent.start_wave
                ),
            ));
        }
        slots[ix] = Some(Slot {
            start: ent.start_wave,
            cutover: ent.cutover_wave,
        });
    }
    if !sorted(plan.services.iter().map(|e| &e.id)) {
        out.push(Breach::new(
            "format.services.order",
            None,
            None,
            "services are not sorted by id",
        ));
    }

    let mut listed = vec![false; inv.services.len()];
    for ent in &plan.unscheduled {
        let Some(ix) = known(&ent.id, "unscheduled", by_id, migrating, out) else {
            continue;
        };
        if listed[ix] {
            out.push(Breach::new(
                "format.coverage.duplicate",
                Some(&ent.id),
                None,
                format!("{} is listed twice in unscheduled", ent.id),
            ));
            continue;
        }
        listed[ix] = true;
        if slots[ix].is_some() {
            out.push(Breach::new(
                "format.coverage.both",
                Some(&ent.id),
                None,
                format!("{} is both scheduled and unscheduled", ent.id),
            ));
        }
        if ent.reason.trim().is_empty() {
            out.push(Breach::new(
                "format.unscheduled.reason",
                Some(&ent.id),
                None,
                format!("{} has no reason", ent.id),
            ));
        }
        if !rule_ok(&ent.rule, sc) {
            out.push(Breach::new(
                "format.unscheduled.rule",
                Some(&ent.id),
                None,
                format!(
                    "{} has rule `{}`, which is not one of the rules docs/plan-format.md lists for `unscheduled`",
                    ent.id, ent.rule
                ),
            ));
        }
    }
    if !sorted(plan.unscheduled.iter().map(|e| &e.id)) {
        out.push(Breach::new(
            "format.unscheduled.order",
            None,
            None,
            "unscheduled is not sorted by id",
        ));
    }

    for (ix, s) in inv.services.iter().enumerate() {
        if migrating[ix] && slots[ix].is_none() && !listed[ix] {
            out.push(Breach::new(
                "format.coverage.missing",
                Some(&s.id),
                None,
                format!(
                    "migrating service {} is neither scheduled nor unscheduled",
                    s.id
                ),
            ));
        }
    }
    slots
}

/// The index of a listed id that names a migrating service; breaches otherwise.
fn known(
    id: &ServiceId,
    list: &str,
    by_id: &HashMap<&str, ServiceIx>,
    migrating: &[bool],
    out: &mut Vec<Breach>,
) -> Option<ServiceIx> {
    let Some(&ix) = by_id.get(id.as_str()) else {
        out.push(Breach::new(
            "format.coverage.unknown",
            Some(id),
            None,
            format!("{list} lists `{id}`, which is not in the inventory"),
        ));
        return None;
    };
    if !migrating[ix] {
        out.push(Breach::new(
            "format.coverage.not_migrating",
            Some(id),
            None,
            format!("{list} lists {id}, which is not a migrating service"),
        ));
        return None;
    }
    Some(ix)
}

/// Whether the ids are in non-decreasing order (duplicates are reported separately).
fn sorted<'a>(mut ids: impl Iterator<Item = &'a ServiceId>) -> bool {
    let Some(mut prev) = ids.next() else {
        return true;
    };
    for id in ids {
        if id < prev {
            return false;
        }
        prev = id;
    }
    true
}

/// Whether `rule` is in the SPEC 4 vocabulary (a team rule only for a team with a capacity).
fn rule_ok(rule: &str, sc: &Scenario) -> bool {
    match Rule::parse(rule) {
        Some(Rule::Team(team)) => matches!(sc.capacity.teams.get(&team), Some(Some(_))),
        Some(_) => true,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, pair, want};
    use crate::model::{PlanService, ServiceId, Unscheduled};
    use jiff::civil::date;

    /// `a` scheduled, `b` unscheduled and unplaceable.
    fn half() -> Fx {
        let mut fx = Fx::new();
        fx.svc("a");
        fx.svc("b").not_before = Some(date(2030, 1, 1));
        fx
    }

    #[test]
    fn a_missing_service() {
        let fx = half();
        let mut plan = fx.plan(&[("a", 1)]);
        plan.unscheduled.clear();
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.coverage.missing", Some("b"))])
        );
    }

    #[test]
    fn a_duplicate_or_both() {
        let fx = half();
        let mut plan = fx.plan(&[("a", 1)]);
        let again = plan.services[0].clone();
        plan.services.push(again);
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.coverage.duplicate", Some("a"))])
        );
        let mut plan = fx.plan(&[("a", 1)]);
        let dup = plan.unscheduled[0].clone();
        plan.unscheduled.push(dup);
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.coverage.duplicate", Some("b"))])
        );
        let mut plan = fx.plan(&[("a", 1)]);
        plan.unscheduled.insert(
            0,
            Unscheduled {
                id: ServiceId::new("a"),
                rule: "pin".to_owned(),
                reason: "x".to_owned(),
            },
        );
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.coverage.both", Some("a"))])
        );
    }

    #[test]
    fn unknown_and_not_migrating_ids() {
        let mut fx = half();
        let mut plan = fx.plan(&[("a", 1)]);
        plan.unscheduled.push(Unscheduled {
            id: ServiceId::new("zz"),
            rule: "pin".to_owned(),
            reason: "x".to_owned(),
        });
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.coverage.unknown", Some("zz"))])
        );
        fx.svc("prod").site = crate::model::Site::ProductionCloud;
        let mut plan = fx.plan(&[("a", 1)]);
        plan.services.push(PlanService {
            id: ServiceId::new("prod"),
            department: "DSI".to_owned(),
            start_wave: 1,
            cutover_wave: 1,
        });
        let b = fx.breaches(&plan);
        assert!(
            b.contains(&(
                "format.coverage.not_migrating".to_owned(),
                Some("prod".to_owned())
            )),
            "{b:?}"
        );
    }

    #[test]
    fn department_duration_and_start_wave() {
        let fx = half();
        let mut plan = fx.plan(&[("a", 1)]);
        plan.services[0].department = "FIN".to_owned();
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.services.department", Some("a"))])
        );
        let mut plan = fx.plan(&[("a", 1)]);
        plan.services[0].start_wave = 0;
        plan.services[0].cutover_wave = 0;
        let b = fx.breaches(&plan);
        assert!(
            b.contains(&(
                "format.services.start_wave".to_owned(),
                Some("a".to_owned())
            )),
            "{b:?}"
        );
        let mut fx = half();
        fx.get("a").duration_waves = 2;
        let mut plan = fx.plan(&[("a", 1)]);
        plan.services[0].start_wave = 2;
        let b = fx.breaches(&plan);
        assert!(
            b.contains(&("format.services.duration".to_owned(), Some("a".to_owned()))),
            "{b:?}"
        );
    }

    #[test]
    fn lists_sorted_by_id() {
        let fx = pair();
        let mut plan = fx.plan(&[("a", 1), ("b", 1)]);
        plan.services.reverse();
        assert_eq!(fx.breaches(&plan), want(&[("format.services.order", None)]));
        let mut fx = Fx::new();
        fx.svc("a").not_before = Some(date(2030, 1, 1));
        fx.svc("b").not_before = Some(date(2030, 1, 1));
        let mut plan = fx.plan(&[]);
        plan.unscheduled.reverse();
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.unscheduled.order", None)])
        );
    }

    #[test]
    fn unscheduled_rule_vocabulary_and_reason() {
        let mut fx = half();
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(5.0));
        fx.sc.capacity.teams.insert("app".to_owned(), None);
        for (rule, ok) in [
            ("capacity.teams.dba", true),
            ("capacity.teams.app", false),
            ("capacity.teams.ops", false),
            ("capacity.target.vcpu", true),
            ("capacity.target.gpu", false),
            ("window.not_before", true),
            ("edge.unscheduled", false),
        ] {
            let mut plan = fx.plan(&[("a", 1)]);
            plan.unscheduled[0].rule = rule.to_owned();
            let expect = if ok {
                want(&[])
            } else {
                want(&[("format.unscheduled.rule", Some("b"))])
            };
            assert_eq!(fx.breaches(&plan), expect, "{rule}");
        }
        let mut plan = fx.plan(&[("a", 1)]);
        plan.unscheduled[0].reason = " ".to_owned();
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.unscheduled.reason", Some("b"))])
        );
    }
}
