//! Lower bounds on the makespan (SPEC 5 `lower_bound_waves`), and which one gives the value.
//!
//! Owns proofs that no plan scheduling a given set of units can finish earlier. Must never
//! return more than the optimum; must not search. Wording the proof for people is
//! `bottleneck`'s job; this module only hands over its numbers.

use super::problem::{NONE, Problem};

/// The per-wave capacity behind an energy bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Energy {
    /// Renewable resource `r` of [`Problem::ren_kind`].
    Renewable(usize),
    /// `capacity.cutovers`.
    Cutovers,
    /// Capped department `d` of [`Problem::dept_cap`].
    Department(usize),
}

/// The bound that gave [`Bound::waves`], with its numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// Precedence, windows and calendar: the units of `chain` (first to last, each the
    /// predecessor that set the next one's earliest cutover) cut over in order.
    Chain {
        /// (unit, earliest cutover), first to last; the last one's is the bound.
        chain: Vec<(u32, u32)>,
    },
    /// A per-wave capacity: `demand` that cannot be placed before wave `from` needs waves
    /// `from..=wave` of `energy`'s capacity.
    Energy {
        /// Which capacity.
        energy: Energy,
        /// First wave the demand may use.
        from: u32,
        /// Demand placed on or after `from` (person-days, GiB or cutovers).
        demand: f64,
        /// The first wave by which the capacity of waves `from..` holds it.
        wave: u32,
    },
    /// Target resource `resource` (0 vCPU, 1 memory, 2 storage): every scheduled service
    /// holds it at the makespan, `total` in all, which no step before wave `wave` provides.
    Target {
        /// Resource index.
        resource: usize,
        /// Summed resource of the scheduled services.
        total: f64,
        /// First wave whose step holds every resource's total.
        wave: u32,
    },
}

/// A lower bound and the bound that gave it (`None` only when nothing is scheduled).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound {
    /// The bound, in waves.
    pub waves: u32,
    /// Which bound reached it first, in the order precedence chain, renewable resources
    /// (transfer, then teams by name), cutovers, departments, target: a later bound replaces
    /// an earlier one only when strictly larger.
    pub source: Option<Source>,
    /// What each rule alone forces: the precedence chain, each capacity with all its demand
    /// free to start in wave 1, the target. `waves` combines them (capacities from the
    /// chain's earliest waves), so it is at least the largest.
    pub parts: Vec<(u32, Source)>,
}

/// The largest of: the precedence/calendar/window bound and one energy bound per capacity.
/// `in_set[u]` marks the units the plan schedules; 0 when none.
pub(crate) fn lower_bound_units(pb: &Problem, in_set: &[bool]) -> u32 {
    lower_bound_why(pb, in_set).waves
}

/// [`lower_bound_units`] with the bound that gave it.
pub(crate) fn lower_bound_why(pb: &Problem, in_set: &[bool]) -> Bound {
    if !in_set.iter().any(|&x| x) {
        return Bound {
            waves: 0,
            source: None,
            parts: Vec::new(),
        };
    }
    let h = pb.h;
    let stride = h as usize + 1;
    // (a) Earliest cutovers through the precedence DAG, each on a wave the calendar allows.
    // `via[u]` is the predecessor that set `ec[u]` (NONE: its own window or calendar did), so
    // the chain behind the bound can be walked back.
    let mut ec = vec![0u32; pb.n()];
    let mut via = vec![NONE; pb.n()];
    let mut lb = 1u32;
    let mut last = NONE;
    for &u in &pb.topo {
        let u = u as usize;
        if !in_set[u] {
            continue;
        }
        let unit = &pb.units[u];
        let mut e = unit.lo.max(unit.dur);
        for &(p, lag) in pb.preds(u) {
            if in_set[p as usize] && ec[p as usize] + lag > e {
                e = ec[p as usize] + lag;
                via[u] = p;
            }
        }
        let hi = unit.hi.min(h);
        let c = (e..=hi).find(|&c| pb.calendar_ok(unit, c)).unwrap_or(e);
        ec[u] = c;
        if last == NONE || c > lb {
            last = u as u32;
        }
        lb = lb.max(c);
    }
    let chain = Source::Chain {
        chain: chain_to(&via, &ec, last),
    };
    let mut best = Bound {
        waves: lb,
        source: Some(chain.clone()),
        parts: vec![(lb, chain)],
    };
    let consider = |best: &mut Bound, waves: u32, source: Source| {
        if waves > best.waves {
            best.waves = waves;
            best.source = Some(source);
        }
    };
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
    // Each capacity's bound, for `demand` placed as above (the bound), then all of it from
    // wave 1 (what the capacity alone forces, for `parts`).
    let energies = |energy: &[Vec<f64>], cuts: &[f64], dept: &[Vec<f64>]| {
        let mut out: Vec<(u32, Source)> = Vec::new();
        let mut push = |e: Energy, (wave, from, demand): (u32, u32, f64)| {
            out.push((
                wave,
                Source::Energy {
                    energy: e,
                    from,
                    demand,
                    wave,
                },
            ));
        };
        for (r, demand) in energy.iter().enumerate() {
            let cap = pb.ren_cap[r];
            push(
                Energy::Renewable(r),
                hall(demand, |w| if usable(0, w) { cap } else { 0.0 }),
            );
        }
        push(
            Energy::Cutovers,
            hall(cuts, |w| {
                let cap = pb.cut_cap[w];
                if !usable(0, w) {
                    0.0
                } else if cap == NONE {
                    f64::INFINITY
                } else {
                    f64::from(cap)
                }
            }),
        );
        for (d, demand) in dept.iter().enumerate() {
            let row = pb.dept_row[d] as usize;
            let cap = f64::from(pb.dept_cap[d]);
            push(
                Energy::Department(d),
                hall(demand, |w| if usable(row, w) { cap } else { 0.0 }),
            );
        }
        out
    };
    for (w, src) in energies(&energy, &cuts, &dept) {
        consider(&mut best, w, src);
    }
    if hz >= 1 {
        let from_one = |rows: &[Vec<f64>]| -> Vec<Vec<f64>> {
            rows.iter()
                .map(|r| {
                    let mut v = vec![0.0; r.len()];
                    v[1] = r.iter().sum();
                    v
                })
                .collect()
        };
        let mut cuts1 = vec![0.0; cuts.len()];
        cuts1[1] = cuts.iter().sum();
        // Each is a bound too: from wave 1 the whole demand may meet room that the windows
        // above skip (a window whose demand never fits gives no bound there).
        for (w, src) in energies(&from_one(&energy), &cuts1, &from_one(&dept)) {
            if w > 0 {
                consider(&mut best, w, src.clone());
                best.parts.push((w, src));
            }
        }
    }
    // Cumulative target: at the makespan every scheduled service has started.
    if let Some(caps) = &pb.tgt_cap
        && tgt.iter().any(|&x| x > 0.0)
        && let Some(w) = (1..=h as usize).find(|&w| (0..3).all(|j| tgt[j] <= caps[w][j]))
    {
        // The resource that did not fit the wave before (any one when `w` is 1).
        let resource = (0..3)
            .find(|&j| w > 1 && tgt[j] > caps[w - 1][j])
            .unwrap_or(0);
        let src = Source::Target {
            resource,
            total: tgt[resource],
            wave: w as u32,
        };
        best.parts.push((w as u32, src.clone()));
        consider(&mut best, w as u32, src);
    }
    best
}

/// The chain of units ending in `last`, first to last, following `via`, with their earliest
/// cutovers `ec`.
fn chain_to(via: &[u32], ec: &[u32], last: u32) -> Vec<(u32, u32)> {
    let mut chain = Vec::new();
    let mut u = last;
    // `via` follows the topological order backwards, so the walk ends; the bound on its
    // length only guards against a corrupted table.
    while u != NONE && chain.len() <= via.len() {
        chain.push((u, ec[u as usize]));
        u = via[u as usize];
    }
    chain.reverse();
    chain
}

/// The smallest makespan `t` such that, for every wave `a`, the demand that cannot come
/// before `a` (`demand[w]` can come no earlier than wave `w`, index 1..) fits in the
/// capacity of waves `a..=t`; `cap(w)` is what wave `w` holds (0 when unusable, infinite
/// when unlimited). 0 when there is no demand; a demand that never fits gives no bound.
///
/// Returns `(t, a, demand from a on)` for the smallest `a` that forces `t`.
fn hall(demand: &[f64], cap: impl Fn(usize) -> f64) -> (u32, u32, f64) {
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
    let mut from = 0usize;
    let mut from_demand = 0.0;
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
            // No higher bound; but when `a` forces the same one, the demand from the earlier
            // wave (which includes the later one) tells the story better.
            if lb == a || !fits(a, lb - 1, need) {
                from = a;
                from_demand = later;
            }
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
        if lo > lb {
            lb = lo;
            from = a;
            from_demand = later;
        }
    }
    (lb as u32, from as u32, from_demand)
}
