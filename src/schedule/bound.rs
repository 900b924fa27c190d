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
    // (b) Capacities: what can come no earlier than wave `a` (by the earliest cutovers above)
    // must fit in waves `a..=makespan`, for every `a`.
    let hz = h as usize;
    let mut energy = vec![vec![0.0f64; hz + 1]; pb.ren_cap.len()];
    let mut cuts = vec![0.0f64; hz + 1];
    let mut dept = vec![vec![0.0f64; hz + 1]; pb.dept_cap.len()];
    let mut tgt = [0.0f64; 3];
    for (u, unit) in pb.units.iter().enumerate() {
        if !in_set[u] || ec[u] as usize > hz {
            continue;
        }
        let e = ec[u] as usize;
        for &(k, r, a) in &unit.ren {
            // The piece `k` waves before the cutover lies at or after wave `ec - k`.
            energy[r as usize][e - k as usize] += a;
        }
        cuts[e] += f64::from(unit.cuts);
        for &(d, n) in &unit.depts {
            dept[d as usize][e] += f64::from(n);
        }
        for &(_, res) in &unit.tgt {
            for j in 0..3 {
                tgt[j] += res[j];
            }
        }
    }
    for (r, demand) in energy.iter().enumerate() {
        let cap = pb.ren_cap[r];
        lb = lb.max(hall(demand, |w| if usable(0, w) { cap } else { 0.0 }));
    }
    lb = lb.max(hall(&cuts, |w| {
        let cap = pb.cut_cap[w];
        if !usable(0, w) {
            0.0
        } else if cap == NONE {
            f64::INFINITY
        } else {
            f64::from(cap)
        }
    }));
    for (d, demand) in dept.iter().enumerate() {
        let row = pb.dept_row[d] as usize;
        let cap = f64::from(pb.dept_cap[d]);
        lb = lb.max(hall(demand, |w| if usable(row, w) { cap } else { 0.0 }));
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

/// The smallest makespan `t` such that, for every wave `a`, the demand that cannot come
/// before `a` (`demand[w]` can come no earlier than wave `w`, index 1..) fits in the
/// capacity of waves `a..=t`; `cap(w)` is what wave `w` holds (0 when unusable, infinite
/// when unlimited). 0 when there is no demand; a demand that never fits gives no bound.
fn hall(demand: &[f64], cap: impl Fn(usize) -> f64) -> u32 {
    let h = demand.len().saturating_sub(1);
    // Finite prefix sums, and the first unlimited wave at or after each wave.
    let mut pre = vec![0.0f64; h + 1];
    let mut next_inf = vec![h + 1; h + 2];
    for w in 1..=h {
        let c = cap(w);
        pre[w] = pre[w - 1] + if c.is_finite() { c } else { 0.0 };
    }
    for w in (1..=h).rev() {
        next_inf[w] = if cap(w).is_finite() {
            next_inf[w + 1]
        } else {
            w
        };
    }
    let fits = |a: usize, t: usize, need: f64| next_inf[a] <= t || pre[t] - pre[a - 1] >= need;
    let mut lb = 0usize;
    let mut later = 0.0;
    // Only waves where the demand grows can raise the bound: between them the demand is the
    // same and the window shorter.
    for a in (1..=h).rev() {
        if demand[a] <= 0.0 {
            continue;
        }
        later += demand[a];
        let need = later * (1.0 - 1e-12);
        if lb >= a && fits(a, lb, need) {
            continue;
        }
        if !fits(a, h, need) {
            continue;
        }
        // Smallest t in a..=h that fits (monotone in t).
        let (mut lo, mut hi) = (a, h);
        while lo < hi {
            let mid = usize::midpoint(lo, hi);
            if fits(a, mid, need) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lb = lb.max(lo);
    }
    lb as u32
}
