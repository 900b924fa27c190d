//! Serial schedule-generation scheme over units, forward and backward, and the
//! forward-backward improvement (justification).
//!
//! Owns turning a priority vector into a schedule that breaks no rule. Must not choose
//! priorities (see `search`) or touch the split cost beyond reporting it.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::problem::{Problem, Unit};
use super::profile::Profile;

/// A schedule of units: cutover per unit, 0 when unscheduled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sched {
    /// Cutover wave of each unit; 0 = unscheduled.
    pub cut: Vec<u32>,
    /// Largest cutover.
    pub makespan: u32,
    /// Services left unscheduled.
    pub unsched: u32,
    /// Split cost of the schedule.
    pub split: f64,
}

impl Sched {
    /// Lexicographic objective: fewest unscheduled services, then makespan, then split cost.
    pub(crate) fn better_than(&self, other: &Sched) -> bool {
        self.cmp_fit(other) == Ordering::Less
    }

    /// Compares objectives.
    pub(crate) fn cmp_fit(&self, other: &Sched) -> Ordering {
        (self.unsched, self.makespan)
            .cmp(&(other.unsched, other.makespan))
            .then(self.split.total_cmp(&other.split))
    }

    /// Fills makespan, unscheduled count and split cost from `cut`.
    pub(crate) fn from_cut(pb: &Problem, cut: Vec<u32>) -> Self {
        let makespan = cut.iter().copied().max().unwrap_or(0);
        let unsched = (0..pb.n())
            .filter(|&u| cut[u] == 0)
            .map(|u| pb.size(u))
            .sum();
        let split = pb.split_cost(&cut);
        Self {
            cut,
            makespan,
            unsched,
            split,
        }
    }
}

#[derive(PartialEq)]
struct Key(f64, u32);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0).then(self.1.cmp(&o.1))
    }
}

/// Reusable buffers for one worker.
pub(crate) struct Work {
    /// Resource profile.
    pub prof: Profile,
    pending: Vec<u32>,
    dead_pred: Vec<bool>,
    done: Vec<bool>,
    heap: BinaryHeap<Reverse<Key>>,
}

impl Work {
    /// Buffers sized for `pb`.
    pub(crate) fn new(pb: &Problem) -> Self {
        Self {
            prof: Profile::new(pb),
            pending: vec![0; pb.n()],
            dead_pred: vec![false; pb.n()],
            done: vec![false; pb.n()],
            heap: BinaryHeap::new(),
        }
    }
}

/// Direction of a pass.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Forward,
    Backward,
    /// Backward against a deadline, leaving out what does not fit instead of failing.
    Squeeze,
}

/// Serial SGS, forward: units in priority order (smallest key first among those whose
/// predecessors are settled), each at its earliest feasible cutover. `skip` marks units to
/// leave unscheduled. Pinned units are placed first so the rest plan around them. `relax`
/// lets a longer together-or-before dependant go before its dependency (some optima need
/// it; most inputs decode worse with it).
pub(crate) fn forward(
    pb: &Problem,
    keys: &[f64],
    skip: Option<&[u32]>,
    relax: bool,
    w: &mut Work,
) -> Sched {
    let cut =
        run(pb, keys, skip, Dir::Forward, u32::MAX, relax, w).unwrap_or_else(|| vec![0; pb.n()]);
    Sched::from_cut(pb, cut)
}

/// Serial SGS, forward, every cutover by `deadline`: units that do not fit by then are left
/// out, and the target is checked only up to the deadline. When the production cloud
/// shrinks over time, a plan that ends before it shrinks can hold services that a longer
/// one cannot (SPEC 5 level 0 before the makespan).
pub(crate) fn forward_within(
    pb: &Problem,
    keys: &[f64],
    deadline: u32,
    relax: bool,
    w: &mut Work,
) -> Sched {
    let cut =
        run(pb, keys, None, Dir::Forward, deadline, relax, w).unwrap_or_else(|| vec![0; pb.n()]);
    Sched::from_cut(pb, cut)
}

/// Serial SGS, backward: every unit scheduled in `base` at its latest feasible cutover no
/// later than `base.makespan`. `None` when some unit finds no wave.
pub(crate) fn backward(pb: &Problem, keys: &[f64], base: &Sched, w: &mut Work) -> Option<Sched> {
    let cut = run(
        pb,
        keys,
        Some(&base.cut),
        Dir::Backward,
        base.makespan,
        false,
        w,
    )?;
    Some(Sched::from_cut(pb, cut))
}

/// Tries to bring `base` under makespan `target`: a backward pass against `target` in the
/// order of `keys` (largest first), leaving out what does not fit, then a forward pass in
/// order of the squeezed starts, with the units left out last. Returns the forward
/// schedule and its keys.
pub(crate) fn squeeze(
    pb: &Problem,
    keys: &[f64],
    base: &Sched,
    target: u32,
    w: &mut Work,
) -> (Sched, Vec<f64>) {
    let back = run(pb, keys, Some(&base.cut), Dir::Squeeze, target, false, w)
        .unwrap_or_else(|| vec![0; pb.n()]);
    let t = f64::from(target.max(1));
    let fkeys: Vec<f64> = (0..pb.n())
        .map(|u| {
            let c = back[u];
            if c == 0 {
                // Left out: after everything placed, earliest base start first.
                1.0 + f64::from(base.cut[u].saturating_sub(pb.units[u].dur)) / t
            } else {
                let start = f64::from(c) - f64::from(pb.units[u].dur) + 1.0;
                (start + f64::from(c) * 1e-3) / t
            }
        })
        .collect();
    let fwd = forward(pb, &fkeys, Some(&base.cut), false, w);
    (fwd, fkeys)
}

/// Every unit placed backward against `end`, latest first in the order of `base`'s
/// cutovers (each moved later by its share of `noise`, up to two waves), the units it left
/// out latest of all and among equals the ones they depend on (`toward`) first: it makes
/// plans in which a unit sits later than its earliest wave to make room for others, which
/// forward passes never do. `None` when that leaves a placed unit depending on one that
/// found no wave.
pub(crate) fn from_end(
    pb: &Problem,
    base: &Sched,
    toward: &[bool],
    noise: &[f64],
    end: u32,
    w: &mut Work,
) -> Option<Sched> {
    let late = f64::from(end) + 3.0;
    let keys: Vec<f64> = (0..pb.n())
        .map(|u| {
            let c = if base.cut[u] == 0 {
                late
            } else {
                f64::from(base.cut[u])
            };
            let c = c + noise.get(u).map_or(0.0, |x| 2.0 * x) + if toward[u] { 0.5 } else { 0.0 };
            latest_first(pb, u, c)
        })
        .collect();
    let cut = run(pb, &keys, None, Dir::Squeeze, end, false, w)?;
    let whole = (0..pb.n()).all(|u| {
        cut[u] == 0
            || pb
                .preds(u)
                .iter()
                .all(|&(p, lag)| cut[p as usize] != 0 && cut[u] >= cut[p as usize] + lag)
    });
    whole.then(|| Sched::from_cut(pb, cut))
}

fn run(
    pb: &Problem,
    keys: &[f64],
    skip: Option<&[u32]>,
    dir: Dir,
    deadline: u32,
    relax: bool,
    w: &mut Work,
) -> Option<Vec<u32>> {
    let n = pb.n();
    let mut cut = vec![0u32; n];
    w.prof.reset(pb);
    // Every cutover stays within the deadline, so the plan ends by then and the target need
    // hold only that far (SPEC 4.4): a production cloud that shrinks later does not count.
    if deadline < pb.h {
        w.prof.set_target_end(deadline);
    }
    // Without a deadline the plan ends where its last cutover falls, so the target is
    // checked up to the makespan so far, and a cutover past it checks everything placed
    // over the waves it adds (SPEC 4.4, `breach_exact`). Checking to the horizon instead
    // left services out of short plans that a production cloud shrinking later could hold.
    // With a target that never shrinks both checks decide alike.
    let open = deadline == u32::MAX && dir == Dir::Forward;
    let mut makespan = 0u32;
    w.heap.clear();
    let skipped = |u: usize| skip.is_some_and(|s| s[u] == 0);
    let (before, after): (Adj, Adj) = match dir {
        Dir::Forward => (Problem::preds, Problem::succs),
        Dir::Backward | Dir::Squeeze => (Problem::succs, Problem::preds),
    };
    // A together-or-before dependant that takes longer than its dependency may go first
    // (it can start earlier: lists in start order must be possible), and then bounds the
    // dependency's cutover from the other side. Every other link gates eligibility.
    let gates = |u: usize, q: usize, lag: u32| {
        !relax || dir != Dir::Forward || lag > 0 || pb.units[u].dur <= pb.units[q].dur
    };
    for u in 0..n {
        w.pending[u] = before(pb, u)
            .iter()
            .filter(|&&(q, lag)| gates(u, q as usize, lag))
            .count() as u32;
        w.dead_pred[u] = false;
        w.done[u] = false;
    }
    // Pinned units first, by pin then index.
    let mut pinned: Vec<(u32, usize)> = (0..n)
        .filter(|&u| !skipped(u))
        .filter_map(|u| pb.units[u].pin.map(|p| (p, u)))
        .collect();
    pinned.sort_unstable();
    for &(p, u) in &pinned {
        let unit = &pb.units[u];
        let ok = p >= unit.lo
            && p <= unit.hi
            && p <= deadline
            && !unit.self_strict
            && pb.calendar_ok(unit, p)
            && pb
                .preds(u)
                .iter()
                .all(|&(q, lag)| cut[q as usize] == 0 || p >= cut[q as usize] + lag)
            && pb
                .succs(u)
                .iter()
                .all(|&(s, lag)| cut[s as usize] == 0 || cut[s as usize] >= p + lag)
            && fits(&mut w.prof, pb, unit, p, open.then_some(makespan));
        if ok {
            cut[u] = p;
            w.prof.apply(unit, p, 1);
            makespan = makespan.max(p);
        } else if dir == Dir::Backward {
            return None;
        }
    }
    for (u, &k) in keys.iter().enumerate().take(n) {
        if w.pending[u] == 0 {
            w.heap.push(Reverse(Key(k, u as u32)));
        }
    }
    while let Some(Reverse(Key(_, u))) = w.heap.pop() {
        let u = u as usize;
        if w.done[u] {
            continue;
        }
        w.done[u] = true;
        let unit = &pb.units[u];
        let mut dead = skipped(u) || w.dead_pred[u];
        if dead {
            if cut[u] != 0 {
                w.prof.apply(unit, cut[u], -1);
                cut[u] = 0;
            }
        } else if cut[u] == 0 {
            if unit.pin.is_some() || unit.self_strict {
                dead = true; // its pin could not be placed above
            } else {
                let mut lo = unit.lo.max(unit.dur);
                let mut hi = unit.hi.min(deadline);
                for &(q, lag) in pb.preds(u) {
                    let cq = cut[q as usize];
                    if cq != 0 {
                        lo = lo.max(cq + lag);
                    } else if !skipped(q as usize) {
                        lo = lo.max(pb.ec[q as usize] + lag);
                    }
                }
                for &(s, lag) in pb.succs(u) {
                    let cs = cut[s as usize];
                    if cs != 0 {
                        hi = hi.min(cs.saturating_sub(lag));
                    } else if !skipped(s as usize) {
                        hi = hi.min(pb.lc[s as usize].min(deadline).saturating_sub(lag));
                    }
                }
                // Dependencies on the far side not placed yet (together-or-before links) must
                // still find a wave once this unit is placed.
                let far: &[(u32, u32)] = before(pb, u);
                let waiting = far.iter().any(|&(q, lag)| {
                    lag == 0 && cut[q as usize] == 0 && !skipped(q as usize) && !w.done[q as usize]
                });
                let mut try_at = |c: u32, cut: &mut Vec<u32>| -> bool {
                    if !pb.calendar_ok(unit, c)
                        || !fits(&mut w.prof, pb, unit, c, open.then_some(makespan))
                    {
                        return false;
                    }
                    if !waiting {
                        return true;
                    }
                    cut[u] = c;
                    w.prof.apply(unit, c, 1);
                    let ok = far.iter().all(|&(q, lag)| {
                        let q = q as usize;
                        lag > 0
                            || cut[q] != 0
                            || skipped(q)
                            || w.done[q]
                            || has_slot(
                                pb,
                                q,
                                cut,
                                deadline,
                                &mut w.prof,
                                open.then_some(makespan.max(c)),
                            )
                    });
                    w.prof.apply(unit, c, -1);
                    cut[u] = 0;
                    ok
                };
                let found = if lo > hi {
                    None
                } else if dir == Dir::Forward {
                    (lo..=hi).find(|&c| try_at(c, &mut cut))
                } else {
                    (lo..=hi).rev().find(|&c| try_at(c, &mut cut))
                };
                match found {
                    Some(c) => {
                        cut[u] = c;
                        w.prof.apply(unit, c, 1);
                        makespan = makespan.max(c);
                    }
                    None => dead = true,
                }
            }
        }
        if dead && !skipped(u) && dir == Dir::Backward {
            return None;
        }
        for &(s, lag) in after(pb, u) {
            let s = s as usize;
            // A squeeze leaves what does not fit for the forward pass that follows; the
            // dependencies of a unit left out may still be placed.
            if dead && dir != Dir::Squeeze {
                if w.done[s] {
                    if cut[s] != 0 {
                        if dir == Dir::Backward {
                            return None;
                        }
                        kill(pb, s, &mut cut, w, after);
                    }
                } else {
                    w.dead_pred[s] = true;
                }
            }
            if gates(s, u, lag) {
                w.pending[s] -= 1;
                if w.pending[s] == 0 {
                    w.heap.push(Reverse(Key(keys[s], s as u32)));
                }
            }
        }
    }
    Some(cut)
}

type Adj = fn(&Problem, usize) -> &[(u32, u32)];

/// Whether unit `u` fits in `c` with what `prof` holds: the target checked to the profile's
/// target end, or, given the makespan so far, as a final placement (see [`run`]).
fn fits(prof: &mut Profile, pb: &Problem, u: &Unit, c: u32, makespan: Option<u32>) -> bool {
    match makespan {
        Some(m) => prof.breach_exact(pb, u, c, m).is_none(),
        None => prof.fits(pb, u, c),
    }
}

/// Whether unplaced unit `q` still has a feasible cutover between its placed neighbours.
fn has_slot(
    pb: &Problem,
    q: usize,
    cut: &[u32],
    deadline: u32,
    prof: &mut Profile,
    makespan: Option<u32>,
) -> bool {
    let unit = &pb.units[q];
    let mut lo = unit.lo.max(unit.dur).max(pb.ec[q]);
    let mut hi = unit.hi.min(deadline).min(pb.lc[q]);
    for &(p, lag) in pb.preds(q) {
        if cut[p as usize] != 0 {
            lo = lo.max(cut[p as usize] + lag);
        }
    }
    for &(s, lag) in pb.succs(q) {
        if cut[s as usize] != 0 {
            hi = hi.min(cut[s as usize].saturating_sub(lag));
        }
    }
    lo <= hi && (lo..=hi).any(|c| pb.calendar_ok(unit, c) && fits(prof, pb, unit, c, makespan))
}

/// Unschedules a placed unit whose dependency died after it was placed, and everything
/// placed that depends on it.
fn kill(pb: &Problem, u: usize, cut: &mut [u32], w: &mut Work, after: Adj) {
    let mut stack = vec![u];
    while let Some(x) = stack.pop() {
        if cut[x] == 0 {
            continue;
        }
        w.prof.apply(&pb.units[x], cut[x], -1);
        cut[x] = 0;
        for &(s, _) in after(pb, x) {
            let s = s as usize;
            if w.done[s] {
                stack.push(s);
            } else {
                w.dead_pred[s] = true;
            }
        }
    }
}

/// Forward-backward improvement: right-justify against the makespan, then left-justify in
/// order of the justified starts, while the schedule improves. Returns the best schedule,
/// the forward keys that rebuild it, and the number of passes used.
pub(crate) fn justify(
    pb: &Problem,
    start: Sched,
    start_keys: Vec<f64>,
    max_rounds: u32,
    relaxed: bool,
    w: &mut Work,
) -> (Sched, Vec<f64>, u64) {
    let n = pb.n();
    let mut best = start;
    let mut best_keys = start_keys;
    let mut passes = 0u64;
    let mut keys = vec![0.0f64; n];
    for _ in 0..max_rounds {
        if best.makespan == 0 {
            break;
        }
        // Later cutovers first; among equals, later starts first.
        for (u, k) in keys.iter_mut().enumerate() {
            let c = f64::from(best.cut[u]);
            *k = latest_first(pb, u, c);
        }
        passes += 1;
        let Some(back) = backward(pb, &keys, &best, w) else {
            break;
        };
        let m = f64::from(back.makespan.max(1));
        for (u, k) in keys.iter_mut().enumerate() {
            let start = f64::from(back.cut[u]) - f64::from(pb.units[u].dur) + 1.0;
            *k = (start + f64::from(back.cut[u]) * 1e-3) / m;
        }
        passes += 1;
        let fwd = forward(pb, &keys, Some(&best.cut), relaxed, w);
        if fwd.better_than(&best) {
            best = fwd;
            best_keys.clone_from(&keys);
        } else {
            break;
        }
    }
    (best, best_keys, passes)
}

/// A backward pass's key for unit `u` at cutover `c`: later cutovers first; among equals,
/// later starts (shorter units) first.
fn latest_first(pb: &Problem, u: usize, c: f64) -> f64 {
    -(c * 2.0 - f64::from(pb.units[u].dur) / f64::from(pb.h.max(1) + 1))
}
