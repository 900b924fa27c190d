//! Lower bounds on the makespan (SPEC 5 `lower_bound_waves`).
//!
//! Owns proofs that no plan scheduling a given set of units can finish earlier. Must never
//! return more than the optimum; must not search.

use super::problem::{NONE, Problem};

/// The largest of: the precedence/calendar/window bound and one energy bound per capacity.
/// `in_set[u]` marks the units the plan schedules; 0 when none.
pub(crate) fn lower_bound_units(pb: &Problem, in_set: &[bool]) -> u32 {
    if !in_set.iter().any(|&x| x) {
        return 0;
    }
    let h = pb.h;
    let stride = h as usize + 1;
    // (a) Earliest cutovers through the precedence DAG, each on a wave the calendar allows.
    let mut ec = vec![0u32; pb.n()];
    let mut lb = 1u32;
    for &u in &pb.topo {
        let u = u as usize;
        if !in_set[u] {
            continue;
        }
        let unit = &pb.units[u];
        let mut e = unit.lo.max(unit.dur);
        for &(p, lag) in pb.preds(u) {
            if in_set[p as usize] {
                e = e.max(ec[p as usize] + lag);
            }
        }
        let hi = unit.hi.min(h);
        let c = (e..=hi).find(|&c| pb.calendar_ok(unit, c)).unwrap_or(e);
        ec[u] = c;
        lb = lb.max(c);
    }
    // Waves nobody may occupy (freezes, before today) hold no work.
    let usable =
        |row: usize, w: usize| pb.cal_pre[row * stride + w] == pb.cal_pre[row * stride + w - 1];
    // (b) Renewable resources: total work against capacity summed over usable waves.
    let mut energy = vec![0.0f64; pb.ren_cap.len()];
    let mut cuts = 0u64;
    let mut dept = vec![0u64; pb.dept_cap.len()];
    let mut tgt = [0.0f64; 3];
    for (u, unit) in pb.units.iter().enumerate() {
        if !in_set[u] {
            continue;
        }
        for &(_, r, a) in &unit.ren {
            energy[r as usize] += a;
        }
        cuts += u64::from(unit.cuts);
        for &(d, n) in &unit.depts {
            dept[d as usize] += u64::from(n);
        }
        for &(_, res) in &unit.tgt {
            for j in 0..3 {
                tgt[j] += res[j];
            }
        }
    }
    for (r, &e) in energy.iter().enumerate() {
        let cap = pb.ren_cap[r];
        let mut acc = 0.0;
        for w in 1..=h as usize {
            if acc >= e {
                break;
            }
            if usable(0, w) {
                acc += cap;
            }
            if acc >= e * (1.0 - 1e-12) {
                lb = lb.max(w as u32);
                break;
            }
        }
    }
    if cuts > 0 {
        let mut acc = 0u64;
        for w in 1..=h as usize {
            if usable(0, w) {
                let cap = pb.cut_cap[w];
                if cap == NONE {
                    break; // unlimited from here on: no bound beyond what we have
                }
                acc += u64::from(cap);
            }
            if acc >= cuts {
                lb = lb.max(w as u32);
                break;
            }
        }
    }
    for (d, &n) in dept.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let row = pb.dept_row[d] as usize;
        let cap = u64::from(pb.dept_cap[d]);
        let mut acc = 0u64;
        for w in 1..=h as usize {
            if usable(row, w) {
                acc += cap;
            }
            if acc >= n {
                lb = lb.max(w as u32);
                break;
            }
        }
    }
    // Cumulative target: at the makespan every scheduled service has started.
    if let Some(caps) = &pb.tgt_cap
        && tgt.iter().any(|&x| x > 0.0)
        && let Some(w) = (1..=h as usize).find(|&w| (0..3).all(|j| tgt[j] <= caps[w][j]))
    {
        lb = lb.max(w as u32);
    }
    lb
}
