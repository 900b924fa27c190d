//! Minimal-disruption re-planning (`plan --stable-against`): an earlier plan repaired, not
//! replaced.
//!
//! Candidates: the earlier plan kept wherever it still holds and the rest re-placed (in
//! several orders, which decide who stays in a wave that no longer holds everyone); the plan
//! re-made from wave k on with the earlier waves before k kept, for several k; and a free
//! re-plan. They are ranked by [`Stability`]: unscheduled services first, then services
//! moved beyond `max_moves`, then waves and moves weighed together (one wave is worth
//! `wave_worth` moves), then waves, then split cost.
//!
//! Owns what a move is, which candidate wins and why each moved service moved. Must not
//! word rules (see `diagnose`) or build plans (see `finish`).

use std::collections::{BTreeMap, BinaryHeap};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::problem::Problem;
use super::profile::Profile;
use super::sgs::Sched;
use super::{Options, Outcome, Progress, Stats, diagnose, improve, polish_on, refit, search, warm};
use crate::model::words::plural;
use crate::model::{Inventory, Plan, Scenario, ServiceIx};

/// Orders tried for keeping the earlier plan.
const KEEP_ORDERS: u64 = 64;
/// Waves back from the earlier plan's end at which a partial re-plan starts.
const REPLAN_FROM: [u32; 5] = [2, 4, 8, 12, 16];
/// Kept plans fitted back into the earlier plan's end by ejection chains.
const FIT_FROM: usize = 4;
/// Fitted plans whose moved units are put back one at a time.
const CLOSER_FROM: usize = 2;
/// Largest problem (units) whose kept plans are fitted by ejection chains.
const REFIT_UNITS: usize = 2_000;
/// Rounds of putting moved units back one at a time.
const CLOSER_ROUNDS: usize = 3;
/// Waves past the earlier plan's end that fitted plans may also aim at.
const FIT_EXTRA: u32 = 2;

/// How stability is weighed against waves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stability {
    /// Moved services one wave is worth: a plan one wave shorter wins when it moves at most
    /// this many more services (a tie goes to the shorter plan).
    pub wave_worth: usize,
    /// Plans that move more services than this rank after every plan that does not.
    pub max_moves: Option<usize>,
}

impl Stability {
    /// The default weight: one wave is worth moving a tenth of the migrating services.
    #[must_use]
    pub fn default_for(migrating: usize) -> Self {
        Self {
            wave_worth: (migrating / 10).max(1),
            max_moves: None,
        }
    }
}

/// The repaired plan, and why each service of the earlier plan that changed wave moved.
#[derive(Debug, Clone)]
pub struct Repair {
    /// The chosen plan.
    pub outcome: Outcome,
    /// How it was made: `kept`, `re-planned from wave K` or `fresh`.
    pub method: String,
    /// Why each service whose unit left its earlier wave moved.
    pub why: BTreeMap<ServiceIx, String>,
    /// Candidate plans compared.
    pub candidates: usize,
}

/// One candidate: its schedule, how it was made, and the units it could not keep by their
/// own rule (unit, reason) or because a dependency moved (unit, that dependency).
struct Candidate {
    sched: Sched,
    method: Method,
    own: Vec<(usize, String)>,
    followed: Vec<(usize, usize)>,
}

#[derive(Clone, Copy)]
enum Method {
    Kept,
    Fitted(u32),
    From(u32),
    Fresh,
}

/// Re-plans `inv` / `sc` keeping `previous`'s waves as far as `stability` says it pays.
#[must_use]
pub fn repair(
    inv: &Inventory,
    sc: &Scenario,
    opts: &Options,
    previous: &Plan,
    stability: Stability,
    progress: &dyn Progress,
) -> Repair {
    let pb = Problem::with_floor(inv, sc, warm::last_wave(sc, &[previous]));
    let anchor = warm::start_cut(&pb, inv, sc, previous);
    let budget = opts
        .effort
        .unwrap_or_else(|| search::default_budget(pb.n()))
        .max(2);

    let mut cands: Vec<Candidate> = (0..KEEP_ORDERS)
        .into_par_iter()
        .map(|k| keep_candidate(&pb, inv, sc, &anchor, opts.seed, k))
        .collect();

    // Partial re-plans start from what the first order kept before wave k.
    let prev_end = anchor.iter().copied().max().unwrap_or(0);
    let refits = refit_candidates(&pb, &anchor, &cands, prev_end);
    cands.extend(refits);
    let kept0 = cands[0].sched.cut.clone();
    let froms: Vec<u32> = REPLAN_FROM
        .iter()
        .filter_map(|&d| prev_end.checked_sub(d).filter(|&k| k > 1))
        .collect();
    let mut schedules = 0;
    let mut timed_out = false;
    // The searches share the time limit as they share the effort, so the whole re-plan
    // keeps to it.
    let time_share = |effort: u64| {
        opts.time_limit
            .map(|t| t.mul_f64(effort as f64 / budget as f64))
    };
    let share = (budget / 2 / froms.len().max(1) as u64).max(1);
    for &k in &froms {
        let pins: Vec<(usize, u32)> = (0..pb.n())
            .filter(|&u| anchor[u] != 0 && anchor[u] < k && kept0[u] == anchor[u])
            .map(|u| (u, anchor[u]))
            .collect();
        let pbk = pb.pinned(&pins);
        let sub = Options {
            effort: Some(share),
            time_limit: time_share(share),
            ..opts.clone()
        };
        let found = search::search(&pbk, &sub, progress, &super::target_of(&pbk));
        schedules += found.schedules;
        timed_out |= found.timed_out;
        let sched = settle(&pbk, &pb, &anchor, found.best.cut);
        // What the first order could not keep before wave k is still why those moved.
        let before = |u: usize| anchor[u] < k;
        let own = cands[0]
            .own
            .iter()
            .filter(|x| before(x.0))
            .cloned()
            .collect();
        let followed = cands[0]
            .followed
            .iter()
            .filter(|x| before(x.0))
            .copied()
            .collect();
        cands.push(Candidate {
            sched,
            method: Method::From(k),
            own,
            followed,
        });
    }
    let rest = (budget - share * froms.len() as u64).max(1);
    let free = Options {
        effort: Some(rest),
        time_limit: time_share(rest),
        ..opts.clone()
    };
    let found = search::search(&pb, &free, progress, &super::target_of(&pb));
    schedules += found.schedules;
    timed_out |= found.timed_out;
    cands.push(Candidate {
        sched: settle(&pb, &pb, &anchor, found.best.cut),
        method: Method::Fresh,
        own: Vec::new(),
        followed: Vec::new(),
    });

    let key = |c: &Candidate| rank(&pb, &anchor, &c.sched, stability);
    let mut best = 0;
    for i in 1..cands.len() {
        if key(&cands[i]).lt(&key(&cands[best])) {
            best = i;
        }
    }
    let n_cands = cands.len();
    let chosen = cands.swap_remove(best);
    let why = reasons(&pb, inv, &anchor, &chosen, &cands, stability);
    let method = match chosen.method {
        Method::Kept => "kept".to_owned(),
        Method::Fitted(w) => format!("kept and fitted into {}", plural(w, "wave")),
        Method::From(k) => format!("re-planned from wave {k}"),
        Method::Fresh => "fresh".to_owned(),
    };
    let stats = Stats {
        units: pb.n(),
        schedules,
        budget,
        time_limited: timed_out,
        search_makespan: chosen.sched.makespan,
        split_cost_before: chosen.sched.split,
        ..Stats::default()
    };
    let outcome = super::finish(&pb, inv, sc, opts, chosen.sched.cut, stats, false);
    Repair {
        outcome,
        method,
        why,
        candidates: n_cands,
    }
}

/// A re-plan's schedule polished on `on` (split pass, rule 4.9 floor), then moved back to the
/// earlier waves where it can be (after the split pass, which would undo that), measured on
/// `pb`.
fn settle(on: &Problem, pb: &Problem, anchor: &[u32], cut: Vec<u32>) -> Sched {
    let mut cut = polish_on(on, pb, cut).cut;
    restore(pb, anchor, &mut cut);
    Sched::from_cut(pb, cut)
}

/// Most moved units taken out of a wave to make room for one going back to its earlier wave.
const EJECT_AT_MOST: usize = 4;

/// Moves units of `cut` back to their earlier waves wherever every rule still holds and the
/// makespan stays: first where they fit with the others where they are, then by taking out
/// units that have moved anyway and re-placing them elsewhere in their slack (nearest their
/// own earlier wave). No step moves a unit that is in its earlier wave, so each one that goes
/// back lowers the services moved: a re-plan keeps its waves and moves less.
fn restore(pb: &Problem, anchor: &[u32], cut: &mut [u32]) {
    let m = cut.iter().copied().max().unwrap_or(0);
    let mut prof = improve::profile_of(pb, cut);
    // Units by cutover wave; an entry is stale when the unit has left that wave since.
    let mut at: Vec<Vec<usize>> = vec![Vec::new(); m as usize + 1];
    for (u, &c) in cut.iter().enumerate() {
        if c != 0 {
            at[c as usize].push(u);
        }
    }
    let free = |u: usize, cut: &[u32]| {
        anchor[u] != 0 && cut[u] != 0 && cut[u] != anchor[u] && pb.units[u].pin.is_none()
    };
    for _ in 0..5 {
        let mut changed = false;
        for &u in &pb.topo {
            let u = u as usize;
            let (a, c) = (anchor[u], cut[u]);
            let unit = &pb.units[u];
            if !free(u, cut) || a > m || !pb.calendar_ok(unit, a) {
                continue;
            }
            let (lo, hi) = slack(pb, cut, u, m);
            if a < lo || a > hi {
                continue;
            }
            prof.apply(unit, c, -1);
            cut[u] = 0;
            if prof.breach_exact(pb, unit, a, m).is_none() {
                prof.apply(unit, a, 1);
                cut[u] = a;
                at[a as usize].push(u);
                changed = true;
                continue;
            }
            // Moved units whose waves overlap the waves `u` needs at `a`.
            let first = (a + 1).saturating_sub(unit.dur).max(1);
            let mut near: Vec<usize> = (first..=m)
                .flat_map(|w| at[w as usize].iter().copied())
                .filter(|&v| {
                    v != u
                        && free(v, cut)
                        && cut[v] >= first
                        && cut[v] + 1 - pb.units[v].dur.min(cut[v]) <= a
                })
                .collect();
            near.sort_unstable();
            near.dedup();
            let mut out: Vec<(usize, u32)> = Vec::new();
            let mut fits = false;
            for v in near {
                if out.len() == EJECT_AT_MOST {
                    break;
                }
                prof.apply(&pb.units[v], cut[v], -1);
                out.push((v, cut[v]));
                cut[v] = 0;
                if prof.breach_exact(pb, unit, a, m).is_none() {
                    fits = true;
                    break;
                }
            }
            let mut placed: Vec<usize> = Vec::new();
            if fits {
                prof.apply(unit, a, 1);
                cut[u] = a;
                for &(v, _) in &out {
                    let (vlo, vhi) = slack(pb, cut, v, m);
                    let vu = &pb.units[v];
                    let mut waves: Vec<u32> = (vlo..=vhi).collect();
                    waves.sort_by_key(|&w| (w.abs_diff(anchor[v]), w));
                    let to = waves.into_iter().find(|&w| {
                        pb.calendar_ok(vu, w) && prof.breach_exact(pb, vu, w, m).is_none()
                    });
                    let Some(w) = to else { break };
                    prof.apply(vu, w, 1);
                    cut[v] = w;
                    placed.push(v);
                }
            }
            if fits && placed.len() == out.len() {
                for &v in &placed {
                    at[cut[v] as usize].push(v);
                }
                at[a as usize].push(u);
                changed = true;
                continue;
            }
            // It did not work out: everything back where it was.
            for &v in &placed {
                prof.apply(&pb.units[v], cut[v], -1);
            }
            if fits {
                prof.apply(unit, a, -1);
            }
            for &(v, w) in &out {
                prof.apply(&pb.units[v], w, 1);
                cut[v] = w;
            }
            prof.apply(unit, c, 1);
            cut[u] = c;
        }
        if !changed {
            break;
        }
    }
}

/// The waves unit `u` may cut over in with every other unit of `cut` where it is and the
/// makespan `m` kept: (lo, hi), empty when lo > hi. Unplaced dependencies leave it none.
fn slack(pb: &Problem, cut: &[u32], u: usize, m: u32) -> (u32, u32) {
    let unit = &pb.units[u];
    let mut lo = unit.lo.max(unit.dur);
    for &(p, lag) in pb.preds(u) {
        let cp = cut[p as usize];
        if cp == 0 {
            return (1, 0);
        }
        lo = lo.max(cp + lag);
    }
    let mut hi = unit.hi.min(m);
    for &(s, lag) in pb.succs(u) {
        let cs = cut[s as usize];
        if cs != 0 {
            hi = hi.min(cs.saturating_sub(lag));
        }
    }
    (lo, hi)
}

/// Services moved against the earlier plan (its units present here).
fn moved(pb: &Problem, anchor: &[u32], cut: &[u32]) -> usize {
    (0..pb.n())
        .filter(|&u| anchor[u] != 0 && cut[u] != anchor[u])
        .map(|u| pb.size(u) as usize)
        .sum()
}

/// The ranking key (lower is better), see the module documentation.
fn rank(pb: &Problem, anchor: &[u32], s: &Sched, st: Stability) -> (u32, usize, usize, u32, Total) {
    let m = moved(pb, anchor, &s.cut);
    let over = st.max_moves.map_or(0, |x| m.saturating_sub(x));
    (
        s.unsched,
        over,
        s.makespan as usize * st.wave_worth + m,
        s.makespan,
        Total(s.split),
    )
}

/// A split cost that orders totally.
#[derive(PartialEq, PartialOrd)]
struct Total(f64);

/// The earlier plan kept in the order of job `k` (0: wave order, ties by unit): first every
/// unit that still holds on its own stays; then, in dependency order, each one that does not
/// goes to the nearest wave that holds between its dependencies and its dependants, or else
/// to its earliest fitting wave, taking out the dependants it then comes too late for (they
/// are re-placed the same way when their turn comes).
fn keep_candidate(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    anchor: &[u32],
    seed: u64,
    k: u64,
) -> Candidate {
    let (order, order_tie) = keep_order(pb, anchor, seed, k);
    let mut m = anchor.iter().copied().max().unwrap_or(0);
    let mut cut = vec![0u32; pb.n()];
    let mut prof = Profile::new(pb);
    let mut own = Vec::new();
    let mut followed = Vec::new();
    for u in order {
        let c = anchor[u];
        let unit = &pb.units[u];
        if c == 0 || unit.self_strict {
            continue;
        }
        if pb
            .preds(u)
            .iter()
            .any(|&(p, lag)| cut[p as usize] != 0 && cut[p as usize] + lag > c)
        {
            continue;
        }
        if unit.pin.is_some_and(|p| p != c) {
            own.push((
                u,
                format!("it is now pinned to wave {}", unit.pin.unwrap_or(0)),
            ));
            continue;
        }
        match diagnose::why_not_at(pb, inv, sc, u, c, &mut prof, m) {
            None => {
                cut[u] = c;
                prof.apply(unit, c, 1);
            }
            Some((rule, reason)) => {
                let why = format!("[{rule}] {reason}");
                let evicted = make_room(pb, inv, sc, &mut cut, &mut prof, (u, c), m, &order_tie);
                if evicted.is_empty() {
                    own.push((u, why));
                } else {
                    let id = &inv.services[unit.members[0].svc].id;
                    for v in evicted {
                        own.push((
                            v,
                            format!("made room for `{id}`, which others depend on: {why}"),
                        ));
                    }
                }
            }
        }
    }
    // Evicted units may come before the unit they made room for: a few passes.
    for pass in 0..3 {
        let mut changed = false;
        for &u in &pb.topo {
            let u = u as usize;
            let unit = &pb.units[u];
            if cut[u] != 0 || anchor[u] == 0 || unit.self_strict {
                continue;
            }
            let Some(lo) = pb
                .preds(u)
                .iter()
                .try_fold(unit.lo.max(unit.dur), |lo, &(p, lag)| {
                    (cut[p as usize] != 0).then(|| lo.max(cut[p as usize] + lag))
                })
            else {
                continue;
            };
            let mut hi = unit.hi.min(m);
            for &(s, lag) in pb.succs(u) {
                if cut[s as usize] != 0 {
                    hi = hi.min(cut[s as usize].saturating_sub(lag));
                }
            }
            let c = anchor[u];
            // Waves that leave its dependants where they are, nearest first; then the others
            // up to the current end (its dependants follow it), nearest first.
            let mut near: Vec<u32> = (lo..=hi).collect();
            near.sort_by_key(|&w| (w.abs_diff(c), w));
            let mut wide: Vec<u32> = (lo.max(hi + 1)..=unit.hi.min(m)).collect();
            wide.sort_by_key(|&w| (w.abs_diff(c), w));
            let fits = |w: u32, prof: &mut Profile| {
                pb.calendar_ok(unit, w) && prof.breach_exact(pb, unit, w, m).is_none()
            };
            let mut w = None;
            for range in [&near, &wide] {
                w = range.iter().copied().find(|&w| fits(w, &mut prof));
                // A unit others depend on may make room (first pass only, so that what it
                // evicts is placed after it).
                if w.is_none() && pass == 0 && !pb.succs(u).is_empty() {
                    for &x in range {
                        if !pb.calendar_ok(unit, x) {
                            continue;
                        }
                        let evicted =
                            make_room(pb, inv, sc, &mut cut, &mut prof, (u, x), m, &order_tie);
                        if !evicted.is_empty() {
                            let id = &inv.services[unit.members[0].svc].id;
                            for v in evicted {
                                own.push((
                                    v,
                                    format!("made room for `{id}`, which others depend on"),
                                ));
                            }
                            prof.apply(unit, x, -1);
                            w = Some(x);
                            break;
                        }
                    }
                }
                if w.is_some() {
                    break;
                }
            }
            let w = w.or_else(|| (lo..=unit.hi.min(pb.h)).find(|&w| fits(w, &mut prof)));
            let Some(w) = w else { continue };
            cut[u] = w;
            prof.apply(unit, w, 1);
            m = m.max(w);
            changed = true;
            // Dependants it now comes too late for leave their waves (and are re-placed
            // when their turn comes), and so on down the line.
            let mut stack = vec![u];
            while let Some(x) = stack.pop() {
                for &(s, lag) in pb.succs(x) {
                    let s = s as usize;
                    if cut[s] != 0 && cut[s] < cut[x] + lag {
                        prof.apply(&pb.units[s], cut[s], -1);
                        cut[s] = 0;
                        followed.push((s, x));
                        stack.push(s);
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    // A unit kept while a dependency found no wave at all cannot stay (SPEC 4: a scheduled
    // service's dependencies are scheduled).
    for &u in &pb.topo {
        let u = u as usize;
        if cut[u] == 0 {
            continue;
        }
        if let Some(&(p, _)) = pb.preds(u).iter().find(|&&(p, _)| cut[p as usize] == 0) {
            prof.apply(&pb.units[u], cut[u], -1);
            cut[u] = 0;
            followed.push((u, p as usize));
        }
    }
    let kept: Vec<(usize, u32)> = (0..pb.n())
        .filter(|&u| cut[u] != 0 && cut[u] == anchor[u])
        .map(|u| (u, cut[u]))
        .collect();
    improve::place_leftovers(pb, &mut cut, &mut prof);
    let sched = polish_on(&pb.pinned(&kept), pb, cut);
    Candidate {
        sched,
        method: Method::Kept,
        own,
        followed,
    }
}

/// Kept plans that ended past the earlier plan's end, fitted back into it and up to
/// [`FIT_EXTRA`] waves more by ejection chains (the best [`FIT_FROM`] of them by services
/// moved).
fn refit_candidates(
    pb: &Problem,
    anchor: &[u32],
    kept: &[Candidate],
    prev_end: u32,
) -> Vec<Candidate> {
    // Each chain step re-checks every wave a unit may go to: past this size the chains cost
    // more than the plan's own search (measured: 10,000 services, minutes).
    if pb.n() > REFIT_UNITS {
        return Vec::new();
    }
    let mut by_moved: Vec<(usize, usize)> = kept
        .iter()
        .enumerate()
        .filter(|(_, c)| c.sched.makespan > prev_end)
        .map(|(i, c)| (moved(pb, anchor, &c.sched.cut), i))
        .collect();
    by_moved.sort_unstable();
    by_moved.dedup_by_key(|x| x.0);
    let starts: Vec<usize> = by_moved.iter().take(FIT_FROM).map(|x| x.1).collect();
    // The earliest end any start fits into; later ends only cost moves.
    for end in prev_end..=prev_end + FIT_EXTRA {
        let mut fitted: Vec<(usize, usize, Vec<u32>)> = starts
            .par_iter()
            .filter(|&&i| end < kept[i].sched.makespan)
            .filter_map(|&i| {
                let cut = refit::within(pb, anchor, &kept[i].sched.cut, end)?;
                Some((moved(pb, anchor, &cut), i, cut))
            })
            .collect();
        if fitted.is_empty() {
            continue;
        }
        fitted.sort_by_key(|x| (x.0, x.1));
        fitted.truncate(CLOSER_FROM);
        return fitted
            .into_par_iter()
            .map(|(_, i, cut)| {
                let from = &kept[i];
                let cut = closer(pb, anchor, cut, end);
                let pins: Vec<(usize, u32)> = (0..pb.n())
                    .filter(|&u| cut[u] != 0 && cut[u] == anchor[u])
                    .map(|u| (u, cut[u]))
                    .collect();
                let mut cut = polish_on(&pb.pinned(&pins), pb, cut).cut;
                restore(pb, anchor, &mut cut);
                let still = |u: usize| cut[u] != anchor[u];
                Candidate {
                    own: from.own.iter().filter(|x| still(x.0)).cloned().collect(),
                    followed: from
                        .followed
                        .iter()
                        .filter(|x| still(x.0))
                        .copied()
                        .collect(),
                    sched: Sched::from_cut(pb, cut),
                    method: Method::Fitted(end),
                }
            })
            .collect();
    }
    Vec::new()
}

/// `cut` with moved units put back in their earlier waves one at a time, the units in the
/// way placed again by an ejection chain within `end` waves, wherever that lowers the
/// services moved.
fn closer(pb: &Problem, anchor: &[u32], cut: Vec<u32>, end: u32) -> Vec<u32> {
    let mut best_moved = moved(pb, anchor, &cut);
    let mut best = cut;
    for _ in 0..CLOSER_ROUNDS {
        let mut better = false;
        for u in 0..pb.n() {
            if anchor[u] == 0 || best[u] == anchor[u] || pb.units[u].pin.is_some() {
                continue;
            }
            let Some(mut cut) = refit::back(pb, anchor, &best, end, u) else {
                continue;
            };
            restore(pb, anchor, &mut cut);
            let m = moved(pb, anchor, &cut);
            if m < best_moved {
                best_moved = m;
                best = cut;
                better = true;
            }
        }
        if !better {
            break;
        }
    }
    best
}

/// Takes kept units nobody depends on out of the waves unit `u` needs until `u` fits in its
/// earlier wave `c` (they go back in near their waves later, see [`keep_candidate`]); returns
/// them, or nothing (and changes nothing) when that does not make room.
#[allow(clippy::too_many_arguments)]
fn make_room(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    cut: &mut [u32],
    prof: &mut Profile,
    (u, c): (usize, u32),
    m: u32,
    tie: &[u64],
) -> Vec<usize> {
    let unit = &pb.units[u];
    let (a, b) = (c + 1 - unit.dur.min(c), c);
    let mut leaves: Vec<usize> = (0..pb.n())
        .filter(|&v| {
            let cv = cut[v];
            cv != 0
                && pb.succs(v).is_empty()
                && pb.units[v].pin.is_none()
                && cv >= a
                && cv + 1 - pb.units[v].dur.min(cv) <= b
        })
        .collect();
    leaves.sort_by_key(|&v| tie[v]);
    let mut out = Vec::new();
    for v in leaves {
        prof.apply(&pb.units[v], cut[v], -1);
        out.push((v, cut[v]));
        cut[v] = 0;
        if diagnose::why_not_at(pb, inv, sc, u, c, prof, m).is_none() {
            cut[u] = c;
            prof.apply(unit, c, 1);
            return out.into_iter().map(|(v, _)| v).collect();
        }
    }
    for (v, cv) in out {
        cut[v] = cv;
        prof.apply(&pb.units[v], cv, 1);
    }
    Vec::new()
}

/// Units in a topological order, by earlier wave, then units with dependants first, then
/// by index (job 0) or at random.
fn keep_order(pb: &Problem, anchor: &[u32], seed: u64, k: u64) -> (Vec<usize>, Vec<u64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x007e_9a14);
    rng.set_stream(k);
    // Within a wave, units others depend on go first: when a wave no longer holds them all,
    // the ones that leave should be those that move nothing else.
    let tie: Vec<u64> = (0..pb.n())
        .map(|u| {
            let leaf = u64::from(pb.succs(u).is_empty()) << 62;
            leaf | if k == 0 {
                u as u64
            } else {
                rng.random::<u64>() >> 2
            }
        })
        .collect();
    let wave = |u: usize| if anchor[u] == 0 { u32::MAX } else { anchor[u] };
    let mut pending: Vec<usize> = (0..pb.n()).map(|u| pb.preds(u).len()).collect();
    let mut heap: BinaryHeap<std::cmp::Reverse<(u32, u64, usize)>> = (0..pb.n())
        .filter(|&u| pending[u] == 0)
        .map(|u| std::cmp::Reverse((wave(u), tie[u], u)))
        .collect();
    let mut order = Vec::with_capacity(pb.n());
    while let Some(std::cmp::Reverse((_, _, u))) = heap.pop() {
        order.push(u);
        for &(s, _) in pb.succs(u) {
            let s = s as usize;
            pending[s] -= 1;
            if pending[s] == 0 {
                heap.push(std::cmp::Reverse((wave(s), tie[s], s)));
            }
        }
    }
    (order, tie)
}

/// Why each service of a moved unit moved, in the chosen candidate.
fn reasons(
    pb: &Problem,
    inv: &Inventory,
    anchor: &[u32],
    chosen: &Candidate,
    others: &[Candidate],
    st: Stability,
) -> BTreeMap<ServiceIx, String> {
    let mut why: BTreeMap<usize, String> = BTreeMap::new();
    for (u, r) in &chosen.own {
        why.insert(*u, r.clone());
    }
    for &(u, p) in &chosen.followed {
        let id = &inv.services[pb.units[p].members[0].svc].id;
        why.entry(u)
            .or_insert_with(|| format!("moved with `{id}`, which it depends on"));
    }
    // What the best plan that keeps more would have cost.
    let kept_best = others
        .iter()
        .chain(std::iter::once(chosen))
        .filter(|c| matches!(c.method, Method::Kept))
        .min_by(|a, b| {
            rank(pb, anchor, &a.sched, st)
                .partial_cmp(&rank(pb, anchor, &b.sched, st))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    let trade = kept_best.map_or_else(String::new, |k| {
        format!(
            ": {} and {} moved, against {} and {} moved keeping every wave that holds",
            plural(chosen.sched.makespan, "wave"),
            moved(pb, anchor, &chosen.sched.cut),
            plural(k.sched.makespan, "wave"),
            moved(pb, anchor, &k.sched.cut)
        )
    });
    let general = match chosen.method {
        Method::Kept => "moved with the services it shares capacity or links with".to_owned(),
        Method::Fitted(w) => format!("moved to fit the plan into {}{trade}", plural(w, "wave")),
        Method::From(k) => format!("re-planned with every service from wave {k} on{trade}"),
        Method::Fresh => format!("a free re-plan ranks best{trade}"),
    };
    let mut out = BTreeMap::new();
    for (u, (&a, &c)) in anchor.iter().zip(&chosen.sched.cut).enumerate() {
        if a == 0 || c == a {
            continue;
        }
        let w = why.get(&u).cloned().unwrap_or_else(|| general.clone());
        for m in &pb.units[u].members {
            out.insert(m.svc, w.clone());
        }
    }
    out
}
