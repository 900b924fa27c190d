//! `plan --resume PLAN`: the overrides that turn the inventory into its state at `today`
//! under an earlier plan (SPEC 2, 3: re-planning mid-migration), so a planner does not have
//! to write them by hand.
//!
//! At the first wave that does not start before `today` (wave T): a service whose cutover
//! was before T is `migrated` (on the last day of its cutover wave); a service under way
//! (started before T, cutting over at T or later) keeps only its remaining waves, and its
//! effort and data shrink in proportion, so its per-wave load (total / duration, SPEC 4.3)
//! stays what the plan promised; services not yet started are left alone. Owns that rule;
//! applying the overrides and re-planning are the loader's and the scheduler's.

use std::collections::HashMap;

use crate::load::Override;
use crate::model::{Inventory, Plan, Scenario};

/// The overrides, sorted by service id, each a `services."ID".FIELD=VALUE` that
/// `--set` accepts; empty when the scenario has no `today` or nothing has started.
///
/// # Errors
/// A message when the scenario has no `calendar.today`.
pub fn overrides(inv: &Inventory, sc: &Scenario, previous: &Plan) -> Result<Vec<Override>, String> {
    let Some(today) = sc.calendar.today else {
        return Err(
            "--resume needs `calendar.today`: set it in the scenario, or add --set calendar.today=YYYY-MM-DD"
                .to_owned(),
        );
    };
    let cal = &sc.calendar;
    let first_open = cal.first_wave_starting_on_or_after(today);
    let by_id: HashMap<&str, usize> = inv
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut add = |id: &str, field: &str, value: String| {
        let text = format!("services.\"{id}\".{field}={value}");
        if let Ok(o) = Override::parse(&text) {
            out.push(o);
        }
    };
    for p in &previous.services {
        let Some(&ix) = by_id.get(p.id.as_str()) else {
            continue;
        };
        let svc = &inv.services[ix];
        if !svc.is_migrating() {
            continue;
        }
        if p.cutover_wave < first_open {
            add(p.id.as_str(), "status", "migrated".to_owned());
            add(
                p.id.as_str(),
                "migrated_on",
                cal.wave_end(p.cutover_wave).to_string(),
            );
        } else if p.start_wave < first_open {
            let total = svc.duration_waves.max(1);
            let left = (p.cutover_wave - first_open + 1).min(total);
            let share = f64::from(left) / f64::from(total);
            add(p.id.as_str(), "duration_waves", left.to_string());
            if svc.data_gib > 0.0 {
                add(p.id.as_str(), "data_gib", number(svc.data_gib * share));
            }
            if !svc.effort.is_empty() {
                let teams: Vec<String> = svc
                    .effort
                    .iter()
                    .map(|(t, v)| format!("{t}: {}", number(v * share)))
                    .collect();
                add(p.id.as_str(), "effort", format!("{{{}}}", teams.join(", ")));
            }
        }
    }
    Ok(out)
}

/// A number as the loader reads it back exactly (shortest round-trip form), so a scaled
/// load divided by the remaining waves is the promised per-wave load to the last bit.
fn number(x: f64) -> String {
    let s = format!("{x}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test inputs are fixed")]
mod tests {
    use super::*;
    use crate::load::{self, Overrides};
    use crate::schedule::{self, NoProgress};
    use std::path::Path;

    #[test]
    fn services_under_way_keep_their_per_wave_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let base = load::load(
            &root.join("inventories"),
            Some(&root.join("plans/baseline.yaml")),
        )
        .unwrap();
        let plan = crate::load::plan_file::read(&root.join("plans/baseline.plan.yaml")).unwrap();
        let today = Override::parse("calendar.today=2019-09-02").unwrap();
        let at = load::load_with(
            &root.join("inventories"),
            Some(&root.join("plans/baseline.yaml")),
            &Overrides(vec![today.clone()]),
        )
        .unwrap();
        let sets = overrides(&at.inventory, &at.scenario, &plan).unwrap();
        assert!(!sets.is_empty());
        let mut all = vec![today];
        all.extend(sets);
        let resumed = load::load_with(
            &root.join("inventories"),
            Some(&root.join("plans/baseline.yaml")),
            &Overrides(all),
        )
        .unwrap();
        // Wave 18 starts on 2019-09-02: done before it, under way across it, untouched after.
        let mut under_way = 0;
        for p in &plan.services {
            let old = base
                .inventory
                .services
                .iter()
                .find(|s| s.id == p.id)
                .unwrap();
            let new = resumed
                .inventory
                .services
                .iter()
                .find(|s| s.id == p.id)
                .unwrap();
            if p.cutover_wave < 18 {
                assert!(!new.is_migrating(), "{} should be migrated", p.id);
            } else if p.start_wave < 18 {
                under_way += 1;
                assert_eq!(new.duration_waves, p.cutover_wave - 17, "{}", p.id);
                let (d0, d1) = (f64::from(old.duration_waves), f64::from(new.duration_waves));
                assert!(
                    (old.data_gib / d0 - new.data_gib / d1).abs() < 1e-9,
                    "{}",
                    p.id
                );
                for (t, e) in &old.effort {
                    assert!(
                        (e / d0 - new.effort.get(t).copied().unwrap_or(f64::NAN) / d1).abs() < 1e-9,
                        "{} {t}",
                        p.id
                    );
                }
            } else {
                assert_eq!(old, new);
            }
        }
        assert!(under_way > 0);
        // The rest of the old plan is still a valid plan for the resumed inventory: nothing
        // needs to move when nothing changed.
        let opts = schedule::Options {
            effort: Some(1),
            ..schedule::Options::default()
        };
        let out = schedule::plan_from(
            &resumed.inventory,
            &resumed.scenario,
            &opts,
            Some(&plan),
            &NoProgress,
        );
        let kept = out
            .plan
            .services
            .iter()
            .filter(|s| {
                plan.services
                    .iter()
                    .any(|p| p.id == s.id && p.cutover_wave == s.cutover_wave)
            })
            .count();
        assert!(
            kept * 100 >= 95 * out.plan.services.len(),
            "{kept} of {}",
            out.plan.services.len()
        );
    }

    #[test]
    fn resume_needs_today() {
        let sc = Scenario::defaults(jiff::civil::date(2019, 1, 7));
        let err = overrides(
            &Inventory::default(),
            &sc,
            &crate::load::plan_file::read(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/baseline.plan.yaml"),
            )
            .unwrap(),
        )
        .unwrap_err();
        assert!(err.contains("calendar.today"));
    }
}
