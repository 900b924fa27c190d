//! SPEC 6 header and `summary`: format string, scenario name, input digests, counts,
//! makespan, lower bound, split cost (SPEC 5), start and finish.

use super::Breach;
use super::facts::Facts;
use super::num::{Sum, close, show};
use crate::model::{Inventory, PLAN_FORMAT, Plan, Scenario, ServiceIx, Strategy};

/// Checks the fields that tie the plan to its inputs.
pub(super) fn check_header(inv: &Inventory, sc: &Scenario, plan: &Plan, out: &mut Vec<Breach>) {
    if plan.format != PLAN_FORMAT {
        out.push(Breach::new(
            "format.version",
            None,
            None,
            format!("format is `{}`, expected `{PLAN_FORMAT}`", plan.format),
        ));
    }
    if plan.scenario != sc.name {
        out.push(Breach::new(
            "format.scenario",
            None,
            None,
            format!("scenario is `{}`, expected `{}`", plan.scenario, sc.name),
        ));
    }
    if plan.inventory_sha256 != inv.sha256 {
        out.push(Breach::new(
            "digest.inventory",
            None,
            None,
            format!(
                "inventory_sha256 is `{}`, the inventory's is `{}`",
                plan.inventory_sha256, inv.sha256
            ),
        ));
    }
    if plan.scenario_sha256 != sc.sha256 {
        out.push(Breach::new(
            "digest.scenario",
            None,
            None,
            format!(
                "scenario_sha256 is `{}`, the scenario's is `{}`",
                plan.scenario_sha256, sc.sha256
            ),
        ));
    }
}

/// Checks the summary numbers against a recomputation.
pub(super) fn check(f: &Facts<'_>, plan: &Plan, out: &mut Vec<Breach>) {
    let sm = &plan.summary;
    let scheduled = f.slots.iter().flatten().count() as u64;
    let migrating = f.migrating.iter().filter(|&&m| m).count() as u64;
    let counts = [
        (
            "services_total",
            sm.services_total,
            f.inv.services.len() as u64,
        ),
        ("services_migrating", sm.services_migrating, migrating),
        ("services_scheduled", sm.services_scheduled, scheduled),
        ("waves", u64::from(sm.waves), u64::from(f.makespan)),
    ];
    for (name, said, exact) in counts {
        if said != exact {
            out.push(Breach::new(
                format!("summary.{name}"),
                None,
                None,
                format!("summary.{name} says {said}, expected {exact}"),
            ));
        }
    }
    if sm.lower_bound_waves > f.makespan {
        out.push(Breach::new(
            "summary.lower_bound_waves",
            None,
            None,
            format!(
                "lower_bound_waves {} exceeds the plan's waves {}",
                sm.lower_bound_waves, f.makespan
            ),
        ));
    }
    let split = split_cost(f);
    if !close(sm.split_cost, split) {
        out.push(Breach::new(
            "summary.split_cost",
            None,
            None,
            format!(
                "split_cost says {}, recomputed {}",
                sm.split_cost,
                show(split)
            ),
        ));
    }
    let cal = &f.sc.calendar;
    if sm.start != cal.start {
        out.push(Breach::new(
            "summary.start",
            None,
            None,
            format!("start says {}, expected {}", sm.start, cal.start),
        ));
    }
    let finish = (f.makespan >= 1).then(|| cal.wave_end(f.makespan));
    if sm.finish != finish {
        let show_date =
            |d: Option<jiff::civil::Date>| d.map_or("null".to_owned(), |d| d.to_string());
        out.push(Breach::new(
            "summary.finish",
            None,
            None,
            format!(
                "finish says {}, expected {}",
                show_date(sm.finish),
                show_date(finish)
            ),
        ));
    }
}

/// SPEC 5: traffic × |cutover(A) − cutover(B)| over edges whose ends are each scheduled or in
/// production (cutover 0), not both in production; retained, retired or unscheduled ends
/// leave the edge out.
pub(super) fn split_cost(f: &Facts<'_>) -> f64 {
    let end = |ix: ServiceIx| -> Option<u32> {
        if let Some(slot) = f.slots.get(ix.pos()).copied().flatten() {
            return Some(slot.cutover);
        }
        let s = f.inv.services.get(ix.pos())?;
        let kept = matches!(s.strategy, Strategy::Retire | Strategy::Retain);
        (!kept && s.in_production()).then_some(0)
    };
    let mut sum = Sum::default();
    for (a, s) in f.inv.indexed() {
        let Some(ca) = end(a) else {
            continue;
        };
        for e in &s.depends_on {
            let Some(cb) = end(e.target) else { continue };
            if ca == 0 && cb == 0 {
                continue;
            }
            sum.add(e.traffic * f64::from(ca.abs_diff(cb)));
        }
    }
    sum.value()
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{pair, want};
    use crate::model::Site;
    use jiff::civil::date;

    #[test]
    fn header_fields_and_digests() {
        let fx = pair();
        let good = fx.plan(&[("a", 1), ("b", 1)]);
        let mut plan = good.clone();
        plan.inventory_sha256 = "other".to_owned();
        assert_eq!(fx.breaches(&plan), want(&[("digest.inventory", None)]));
        let mut plan = good.clone();
        plan.scenario_sha256 = String::new();
        assert_eq!(fx.breaches(&plan), want(&[("digest.scenario", None)]));
        let mut plan = good.clone();
        plan.format = "waveplan-plan/2".to_owned();
        assert_eq!(fx.breaches(&plan), want(&[("format.version", None)]));
        let mut plan = good;
        plan.scenario = "other".to_owned();
        assert_eq!(fx.breaches(&plan), want(&[("format.scenario", None)]));
    }

    #[test]
    fn summary_numbers() {
        let mut fx = pair();
        fx.svc("p").site = Site::ProductionCloud;
        fx.dep("a", "p", None, false);
        let good = fx.plan(&[("a", 3), ("b", 1)]);
        assert!((good.summary.split_cost - 5.0).abs() < 1e-9);
        assert_eq!(fx.breaches(&good), want(&[]));
        type Edit = fn(&mut crate::model::PlanSummary);
        let cases: [(&str, Edit); 8] = [
            ("summary.services_total", |s| s.services_total += 1),
            ("summary.services_migrating", |s| s.services_migrating = 3),
            ("summary.services_scheduled", |s| s.services_scheduled = 1),
            ("summary.waves", |s| s.waves = 2),
            ("summary.lower_bound_waves", |s| s.lower_bound_waves = 4),
            ("summary.split_cost", |s| s.split_cost = 4.0),
            ("summary.start", |s| s.start = date(2019, 1, 8)),
            ("summary.finish", |s| s.finish = None),
        ];
        for (rule, edit) in cases {
            let mut plan = good.clone();
            edit(&mut plan.summary);
            assert_eq!(fx.breaches(&plan), want(&[(rule, None)]), "{rule}");
        }
        let mut plan = good;
        plan.summary.split_cost = 5.0004;
        assert_eq!(fx.breaches(&plan), want(&[]));
    }
}
