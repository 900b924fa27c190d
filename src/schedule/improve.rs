//! Final touches on the best schedule: lower the split cost at a fixed makespan, then place
//! every unscheduled unit that fits into the plan as it stands (the SPEC 4.9 floor).
//!
//! Owns moves that keep every rule. Must not raise the makespan while lowering split cost.

use super::problem::{NONE, Problem};
use super::profile::Profile;

/// A profile holding every scheduled unit of `cut`.
pub(crate) fn profile_of(pb: &Problem, cut: &[u32]) -> Profile {
    let mut prof = Profile::new(pb);
    for (u, &c) in cut.iter().enumerate() {
        if c != 0 {
            prof.apply(&pb.units[u], c, 1);
        }
    }
    prof
}

/// Moves units within their slack (makespan fixed) while that lowers the split cost.
/// Returns the number of moves.
pub(crate) fn lower_split(
    pb: &Problem,
    cut: &mut [u32],
    prof: &mut Profile,
    max_sweeps: u32,
) -> u64 {
    let makespan = cut.iter().copied().max().unwrap_or(0);
    if makespan == 0 {
        return 0;
    }
    prof.set_target_end(makespan);
    let mut moves = 0;
    let mut cand: Vec<(f64, u32)> = Vec::new();
    for _ in 0..max_sweeps {
        let mut improved = false;
        for u in 0..pb.n() {
            let cur = cut[u];
            let unit = &pb.units[u];
            if cur == 0 || unit.pin.is_some() || pb.unit_split(u).is_empty() {
                continue;
            }
            let mut lo = unit.lo.max(unit.dur);
            let mut hi = unit.hi.min(makespan);
            for &(p, lag) in pb.preds(u) {
                lo = lo.max(cut[p as usize] + lag);
            }
            for &(s, lag) in pb.succs(u) {
                let cs = cut[s as usize];
                if cs != 0 {
                    hi = hi.min(cs.saturating_sub(lag));
                }
            }
            if lo >= hi {
                continue;
            }
            let cost = |c: u32| -> f64 {
                pb.unit_split(u)
                    .iter()
                    .filter_map(|&(o, t)| {
                        let co = if o == NONE { 0 } else { cut[o as usize] };
                        (o == NONE || co != 0).then(|| t * f64::from(c.abs_diff(co)))
                    })
                    .sum()
            };
            let now = cost(cur);
            cand.clear();
            for c in lo..=hi {
                let k = cost(c);
                if k < now - 1e-9 {
                    cand.push((k, c));
                }
            }
            if cand.is_empty() {
                continue;
            }
            cand.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.abs_diff(cur).cmp(&b.1.abs_diff(cur)))
                    .then(a.1.cmp(&b.1))
            });
            prof.apply(unit, cur, -1);
            let to = cand
                .iter()
                .map(|&(_, c)| c)
                .find(|&c| pb.calendar_ok(unit, c) && prof.fits(pb, unit, c));
            let c = to.unwrap_or(cur);
            prof.apply(unit, c, 1);
            cut[u] = c;
            if c != cur {
                moves += 1;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    moves
}

/// SPEC 4.9: places, at its earliest fitting cutover, every unscheduled unit whose
/// dependencies are all scheduled and that fits with every other placement unchanged;
/// repeats until nothing more fits. Returns the number of units placed.
pub(crate) fn place_leftovers(pb: &Problem, cut: &mut [u32], prof: &mut Profile) -> usize {
    prof.set_target_end(pb.h);
    let mut placed = 0;
    let mut makespan = cut.iter().copied().max().unwrap_or(0);
    loop {
        let mut changed = false;
        for &u in &pb.topo {
            let u = u as usize;
            let unit = &pb.units[u];
            if cut[u] != 0 || unit.self_strict {
                continue;
            }
            if pb.preds(u).iter().any(|&(p, _)| cut[p as usize] == 0) {
                continue;
            }
            let mut lo = unit.lo.max(unit.dur);
            let mut hi = unit.hi;
            for &(p, lag) in pb.preds(u) {
                lo = lo.max(cut[p as usize] + lag);
            }
            for &(s, lag) in pb.succs(u) {
                let cs = cut[s as usize];
                if cs != 0 {
                    hi = hi.min(cs.saturating_sub(lag));
                }
            }
            let found = (lo..=hi).find(|&c| {
                pb.calendar_ok(unit, c) && prof.breach_exact(pb, unit, c, makespan).is_none()
            });
            if let Some(c) = found {
                cut[u] = c;
                prof.apply(unit, c, 1);
                placed += 1;
                makespan = makespan.max(c);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    placed
}
