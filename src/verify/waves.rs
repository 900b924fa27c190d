//! SPEC 6 `waves`: waves 1..makespan all listed in order, with the right dates, frozen flag,
//! sorted cutovers, and load and target_used numbers that match a recomputation.

use super::Breach;
use super::calendar::WaveTable;
use super::coverage::RESOURCES;
use super::facts::Facts;
use super::loads::Loads;
use super::num::{close, show};
use crate::model::{Plan, PlanWave};

/// Checks the plan's `waves` list.
pub(super) fn check(
    f: &Facts<'_>,
    plan: &Plan,
    loads: &Loads,
    table: &WaveTable,
    out: &mut Vec<Breach>,
) {
    let wl = &plan.waves;
    let in_order = wl.len() == f.makespan as usize && wl.iter().zip(1..).all(|(w, k)| w.wave == k);
    if !in_order {
        let got: Vec<String> = wl.iter().take(8).map(|w| w.wave.to_string()).collect();
        out.push(Breach::new(
            "format.waves.list",
            None,
            None,
            format!(
                "waves must list 1..{} in order, got [{}{}]",
                f.makespan,
                got.join(", "),
                if wl.len() > 8 { ", ..." } else { "" }
            ),
        ));
    }
    for w in wl {
        if (1..=f.makespan.min(f.horizon)).contains(&w.wave) {
            check_wave(f, loads, table, w, out);
        }
    }
}

fn check_wave(
    f: &Facts<'_>,
    loads: &Loads,
    table: &WaveTable,
    w: &PlanWave,
    out: &mut Vec<Breach>,
) {
    let k = w.wave;
    let cal = &f.sc.calendar;
    let mut bad = |field: &str, msg: String| {
        out.push(Breach::new(
            format!("format.waves.{field}"),
            None,
            Some(k),
            format!("wave {k}: {msg}"),
        ))
    };
    let (start, end) = (cal.wave_start(k), cal.wave_end(k));
    if w.start != start {
        bad("start", format!("start {}, expected {start}", w.start));
    }
    if w.end != end {
        bad("end", format!("end {}, expected {end}", w.end));
    }
    let frozen = table.frozen(k);
    if w.frozen != frozen {
        bad(
            "frozen",
            format!("frozen is {}, expected {frozen}", w.frozen),
        );
    }
    let expect: Vec<&str> = loads
        .cutovers(k)
        .iter()
        .map(|&ix| f.inv.services[ix].id.as_str())
        .collect();
    if !w
        .cutovers
        .iter()
        .map(|id| id.as_str())
        .eq(expect.iter().copied())
    {
        bad(
            "cutovers",
            format!(
                "lists [{}], expected [{}]",
                join(w.cutovers.iter().map(|i| i.as_str())),
                expect.join(", ")
            ),
        );
    }
    if w.load.cutovers as usize != expect.len() {
        bad(
            "load.cutovers",
            format!(
                "load.cutovers says {}, expected {}",
                w.load.cutovers,
                expect.len()
            ),
        );
    }
    let transfer = loads.transfer(k);
    if !close(w.load.transfer_gib, transfer) {
        bad(
            "load.transfer_gib",
            format!(
                "load.transfer_gib says {}, expected {}",
                w.load.transfer_gib,
                show(transfer)
            ),
        );
    }
    if !w.load.teams.keys().eq(loads.team_names.iter()) {
        bad(
            "load.teams",
            format!(
                "load.teams lists [{}], expected every team named in capacity.teams or an effort: [{}]",
                join(w.load.teams.keys().map(String::as_str)),
                join(loads.team_names.iter().map(String::as_str))
            ),
        );
    }
    for (t, &v) in &w.load.teams {
        let exact = loads.team_index(t).map_or(0.0, |i| loads.team(k, i));
        if !close(v, exact) {
            bad(
                "load.teams",
                format!("load.teams.{t} says {v}, expected {}", show(exact)),
            );
        }
    }
    let used = loads.started(k);
    let said = [
        w.target_used.vcpu,
        w.target_used.memory_gib,
        w.target_used.storage_gib,
    ];
    for (r, name) in RESOURCES.iter().enumerate() {
        if !close(said[r], used[r]) {
            bad(
                "target_used",
                format!(
                    "target_used.{name} says {}, expected {} (services started by wave {k})",
                    said[r],
                    show(used[r])
                ),
            );
        }
    }
}

fn join<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, want};
    use crate::model::{DateRange, Freeze, ServiceId};
    use jiff::civil::date;

    fn fx() -> Fx {
        let mut fx = Fx::new();
        fx.svc("a").data_gib = 3.0;
        fx.get("a").effort.insert("dba".to_owned(), 2.0);
        fx.get("a").resources.vcpu = 4.0;
        fx.get("a").duration_waves = 2;
        fx.svc("b");
        fx.sc.capacity.teams.insert("app".to_owned(), Some(1.0));
        fx
    }

    #[test]
    fn load_numbers_match_within_rounding() {
        let fx = fx();
        let good = fx.plan(&[("a", 1), ("b", 2)]);
        let mut plan = good.clone();
        plan.waves[0].load.transfer_gib = 1.5004;
        plan.waves[0].load.teams.insert("dba".to_owned(), 0.9996);
        assert_eq!(fx.breaches(&plan), want(&[]));
        plan.waves[0].load.transfer_gib = 1.6;
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.waves.load.transfer_gib", None)])
        );
        let mut plan = good.clone();
        plan.waves[1].load.teams.insert("dba".to_owned(), 2.0);
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.waves.load.teams", None)])
        );
        let mut plan = good.clone();
        plan.waves[1].load.teams.remove("app");
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.waves.load.teams", None)])
        );
        let mut plan = good.clone();
        plan.waves[1].load.cutovers = 1;
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.waves.load.cutovers", None)])
        );
        let mut plan = good;
        plan.waves[1].target_used.vcpu = 0.0;
        assert_eq!(
            fx.breaches(&plan),
            want(&[("format.waves.target_used", None)])
        );
    }

    #[test]
    fn cutover_lists_sorted_and_complete() {
        let fx = fx();
        let mut plan = fx.plan(&[("a", 1), ("b", 2)]);
        plan.waves[1].cutovers.reverse();
        assert_eq!(fx.breaches(&plan), want(&[("format.waves.cutovers", None)]));
        plan.waves[1].cutovers = vec![ServiceId::new("a")];
        assert_eq!(fx.breaches(&plan), want(&[("format.waves.cutovers", None)]));
    }

    #[test]
    fn every_wave_listed_with_dates_and_frozen_flag() {
        let mut fx = fx();
        let mut plan = fx.plan(&[("a", 1), ("b", 2)]);
        plan.waves.remove(0);
        assert_eq!(fx.breaches(&plan), want(&[("format.waves.list", None)]));
        let mut plan = fx.plan(&[("a", 1), ("b", 2)]);
        plan.waves[0].end = date(2019, 1, 21);
        assert_eq!(fx.breaches(&plan), want(&[("format.waves.end", None)]));
        fx.sc.calendar.freezes.push(Freeze {
            name: None,
            range: DateRange {
                from: date(2019, 3, 1),
                to: date(2019, 3, 2),
            },
        });
        let mut plan = fx.plan(&[("a", 1), ("b", 2)]);
        assert_eq!(fx.breaches(&plan), want(&[]));
        plan.waves[1].frozen = true;
        assert_eq!(fx.breaches(&plan), want(&[("format.waves.frozen", None)]));
    }
}
