//! Warm starts: an earlier plan (a what-if's baseline, or `plan --start-from`) as the
//! search's first incumbent, so a variant that only loosens limits can never come out worse
//! than the plan it started from.
//!
//! Owns mapping a plan's cutovers onto this problem's units and waves, keeping every
//! placement that still holds, and re-placing the rest. Must not search.

use std::collections::HashMap;

use super::improve::place_leftovers;
use super::problem::{NONE, Problem};
use super::profile::Profile;
use super::sgs::Sched;
use crate::model::{Inventory, Plan, Scenario};

/// The cutover wave of each unit in `start` (0 when the plan does not place it, places its
/// members in different waves, or places it outside this horizon).
///
/// Waves are matched by date, not by number: the start plan's cutover wave is read as the
/// wave of this calendar that holds its last day, so a plan with other wave lengths still
/// gives a sensible order.
pub(crate) fn start_cut(pb: &Problem, inv: &Inventory, sc: &Scenario, start: &Plan) -> Vec<u32> {
    let wave_of = |w: u32| -> u32 {
        wave_here(sc, start, w)
            .filter(|&k| k <= u64::from(pb.h))
            .map_or(0, |k| k as u32)
    };
    let by_id: HashMap<&str, u32> = start
        .services
        .iter()
        .map(|s| (s.id.as_str(), wave_of(s.cutover_wave)))
        .collect();
    pb.units
        .iter()
        .map(|unit| {
            let mut waves = unit
                .members
                .iter()
                .map(|m| by_id.get(inv.services[m.svc].id.as_str()).copied());
            let first = waves.next().flatten().unwrap_or(0);
            if waves.all(|w| w == Some(first)) {
                first
            } else {
                0
            }
        })
        .collect()
}

/// The wave of this calendar holding the last day of `start`'s wave `w` (`None` when the plan
/// has no such wave or it ends before this calendar starts).
fn wave_here(sc: &Scenario, start: &Plan, w: u32) -> Option<u64> {
    let cal = &sc.calendar;
    let end = start.waves.get(w.checked_sub(1)? as usize)?.end;
    let day = u64::try_from(cal.day_of(end)).ok()?;
    Some(day / u64::from(cal.wave_length_days.max(1)) + 1)
}

/// The last wave of this calendar that `plans` occupy: the horizon a warm start needs so
/// that keeping them is not cut short.
pub(crate) fn last_wave(sc: &Scenario, plans: &[&Plan]) -> u32 {
    plans
        .iter()
        .filter_map(|p| wave_here(sc, p, u32::try_from(p.waves.len()).ok()?))
        .max()
        .map_or(0, |w| u32::try_from(w).unwrap_or(u32::MAX))
}

/// `start` kept wherever it still holds: units in topological order keep their wave when
/// every rule allows it with the units kept so far (a unit whose dependency was dropped is
/// dropped too); then every dropped unit that fits is placed at its earliest wave.
pub(crate) fn keep(pb: &Problem, start: &[u32]) -> Sched {
    let m = start
        .iter()
        .copied()
        .filter(|&c| c <= pb.h)
        .max()
        .unwrap_or(0);
    let mut cut = vec![0u32; pb.n()];
    let mut prof = Profile::new(pb);
    for &u in &pb.topo {
        let u = u as usize;
        let unit = &pb.units[u];
        let c = start[u];
        let holds = c != 0
            && !unit.self_strict
            && c >= unit.lo.max(unit.dur)
            && c <= unit.hi.min(pb.h)
            && unit.pin.is_none_or(|p| p == c)
            && pb
                .preds(u)
                .iter()
                .all(|&(p, lag)| cut[p as usize] != 0 && cut[p as usize] + lag <= c)
            && pb.calendar_ok(unit, c)
            && prof.breach_exact(pb, unit, c, m).is_none();
        if holds {
            cut[u] = c;
            prof.apply(unit, c, 1);
        }
    }
    place_leftovers(pb, &mut cut, &mut prof);
    Sched::from_cut(pb, cut)
}

/// Priority keys (lower first) that replay `cut` in wave order, units it leaves out last;
/// used to decode the start plan afresh and to breed from it.
pub(crate) fn keys_of(pb: &Problem, cut: &[u32]) -> Vec<f64> {
    let n = pb.n().max(1) as f64;
    let span = f64::from(pb.h) + 2.0;
    cut.iter()
        .enumerate()
        .map(|(u, &c)| {
            let wave = if c == 0 || c == NONE {
                span - 1.0
            } else {
                f64::from(c)
            };
            (wave + u as f64 / n) / span
        })
        .collect()
}
