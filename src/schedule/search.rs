//! The randomised search: priority rules, biased random sampling and a random-key genetic
//! algorithm, each decoded by the serial SGS and improved by justification.
//!
//! Owns the search budget and its determinism: jobs run in fixed-size batches (rayon), each
//! job's random stream depends only on the seed and its global index, and results are
//! reduced in index order, so the thread count never changes the outcome. Must not build
//! plans.

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::problem::Problem;
use super::sgs::{Sched, Work, forward, forward_within, from_end, justify, squeeze};
use super::{DEFAULT_EFFORT, Options, Progress};

/// Jobs per batch at most; batches are sized by the input alone (see [`batch_for`]) so
/// results never depend on the number of threads or on the budget.
const BATCH: usize = 32;
/// Unit placements one batch may take, so large inputs get small batches (10,000 units
/// still get full batches, 100,000 get three).
const BATCH_WORK: usize = 400_000;
/// Schedules without the pool's best improving after which the search restarts the pool
/// or, when the best already meets the lower bound, stops.
const STALL: u64 = 3_000;
/// Elite pool size of the genetic algorithm.
const POOL: usize = 16;
/// Unit placements one search may spend, so large inputs get fewer schedules (small ones
/// get more, see [`default_budget`]).
const WORK_BUDGET: u64 = 2_000_000;
/// Further placements for small inputs, fading with the square of their size: where a
/// schedule is cheap the search pays off most (the shipped default gets the full
/// [`DEFAULT_EFFORT`] in about 2 s; 10,000 services get 7 % more than the work budget).
const SMALL_WORK: u64 = 12_000_000;
/// Share of fresh key vectors decoded with relaxed eligibility: needed to reach some
/// optima, but on most inputs it decodes worse, so few start that way.
const RELAXED_SHARE: f64 = 0.25;
/// Share of jobs that squeeze a pool member under the best makespan.
const SQUEEZE_SHARE: f64 = 0.25;
/// Share of decodes (squeezes aside) made against a deadline while services are left out.
const DEADLINE_SHARE: f64 = 0.5;
/// Units up to which every new best schedule is polished as it is found (see
/// [`super::polish`]; above, only the final plan is: a polish of a large plan costs as much
/// as many schedules).
const POLISH_EVERY_BEST: usize = 20_000;
/// Schedules every search gets however large the input.
const MIN_SCHEDULES: u64 = 24;
/// Largest problem (units) whose left-out units are fitted in by ejection chains (see
/// [`fill`]): a chain costs a few placements per unit, tried at several ends.
const FILL_UNITS: usize = 2_000;
/// Most units left out that [`fill`] tries to fit in: it is for plans that nearly hold
/// everything; where capacity or the horizon leaves many out, the search itself decides.
const FILL_LEFT_OUT: usize = 16;
/// Orders of the backward pass [`fill`] tries at each end (the first without noise).
const FILL_ORDERS: usize = 4;
/// Plan ends at which [`fill`] tries to fit the left-out units in.
const FILL_ENDS: u32 = 16;

/// What the search found and how much it spent.
pub(crate) struct Found {
    /// The best schedule.
    pub best: Sched,
    /// Schedules generated (SGS passes).
    pub schedules: u64,
    /// The budget it was given.
    pub budget: u64,
    /// Stopped because the makespan met the lower bound and the split cost stalled.
    pub at_bound: bool,
    /// Stopped by the wall-clock limit.
    pub timed_out: bool,
}

/// Stop condition: nothing schedulable is left out and the makespan meets the bound.
pub(crate) struct Target {
    /// Services that can never be scheduled.
    pub forced_unsched: u32,
    /// Lower bound on the makespan of the rest.
    pub lb: u32,
    /// Units that can be placed in an empty plan (their dependencies too).
    pub possible: Vec<bool>,
}

/// Priority values per unit for several rules (lower = earlier).
fn rules(pb: &Problem) -> Vec<Vec<f64>> {
    let n = pb.n();
    let mut ec = vec![0u32; n];
    for &u in &pb.topo {
        let u = u as usize;
        let mut e = pb.units[u].lo.max(pb.units[u].dur);
        for &(p, lag) in pb.preds(u) {
            e = e.max(ec[p as usize] + lag);
        }
        ec[u] = e;
    }
    let horizon =
        ec.iter().copied().max().unwrap_or(0) + pb.units.iter().map(|u| u.dur).sum::<u32>();
    let mut lc = vec![0i64; n];
    for &u in pb.topo.iter().rev() {
        let u = u as usize;
        let mut l = i64::from(pb.units[u].hi.min(horizon));
        for &(s, lag) in pb.succs(u) {
            l = l.min(lc[s as usize] - i64::from(lag));
        }
        lc[u] = l;
    }
    // Total successors: exact with bitsets while small, else a path-sum estimate.
    let mut ts = vec![0f64; n];
    if n <= 4096 {
        let words = n.div_ceil(64);
        let mut bits = vec![0u64; n * words];
        for &u in pb.topo.iter().rev() {
            let u = u as usize;
            for &(s, _) in pb.succs(u) {
                let s = s as usize;
                bits[u * words + s / 64] |= 1 << (s % 64);
                for k in 0..words {
                    let v = bits[s * words + k];
                    bits[u * words + k] |= v;
                }
            }
            ts[u] = bits[u * words..(u + 1) * words]
                .iter()
                .map(|x| f64::from(x.count_ones()))
                .sum();
        }
    } else {
        for &u in pb.topo.iter().rev() {
            let u = u as usize;
            ts[u] = pb
                .succs(u)
                .iter()
                .map(|&(s, _)| 1.0 + ts[s as usize])
                .sum::<f64>()
                .min(1e12);
        }
    }
    let lft: Vec<f64> = lc.iter().map(|&x| x as f64).collect();
    let lst: Vec<f64> = (0..n)
        .map(|u| (lc[u] - i64::from(pb.units[u].dur)) as f64)
        .collect();
    let mts: Vec<f64> = ts.iter().map(|&x| -x).collect();
    let grpw: Vec<f64> = (0..n)
        .map(|u| {
            -f64::from(pb.units[u].dur)
                - pb.succs(u)
                    .iter()
                    .map(|&(s, _)| f64::from(pb.units[s as usize].dur))
                    .sum::<f64>()
        })
        .collect();
    let est: Vec<f64> = (0..n)
        .map(|u| f64::from(ec[u]) - f64::from(pb.units[u].dur))
        .collect();
    [lft.clone(), lst, mts, grpw, est]
        .into_iter()
        .map(|p| ranks(&p, &lft))
        .collect()
}

/// Rank of each unit by (value, tie, index), scaled to [0, 1).
fn ranks(p: &[f64], tie: &[f64]) -> Vec<f64> {
    let n = p.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| {
        p[a].total_cmp(&p[b])
            .then(tie[a].total_cmp(&tie[b]))
            .then(a.cmp(&b))
    });
    let mut r = vec![0.0; n];
    let scale = 1.0 / (n.max(1) as f64);
    for (k, &u) in idx.iter().enumerate() {
        r[u] = k as f64 * scale;
    }
    r
}

/// One member of the elite pool.
#[derive(Clone)]
struct Elite {
    sched: Sched,
    keys: Vec<f64>,
    index: u64,
    /// Decoded with relaxed eligibility (see `sgs::forward`); children inherit it.
    relaxed: bool,
}

/// The job with global index `g`: how it makes its keys, and whether they are decoded with
/// relaxed eligibility.
fn make_keys(g: u64, seed: u64, base: &[Vec<f64>], pool: &[Elite], n: usize) -> (Vec<f64>, bool) {
    let n_rules = base.len() as u64;
    if g < n_rules {
        return (base[g as usize].clone(), false);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(g);
    let fresh = pool.len() < 2 || rng.random_bool(0.25);
    if fresh {
        let rule = &base[rng.random_range(0..base.len())];
        let sigma = [0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 4.0][rng.random_range(0..7usize)];
        let relaxed = rng.random_bool(RELAXED_SHARE);
        let keys = rule
            .iter()
            .map(|&x| x + sigma * rng.random::<f64>())
            .collect();
        return (keys, relaxed);
    }
    // Biased random-key crossover between an elite and another pool member.
    let half = pool.len().div_ceil(2);
    let ai = rng.random_range(0..half);
    let mut bi = rng.random_range(0..pool.len());
    if bi == ai {
        bi = (bi + 1) % pool.len();
    }
    let (a, b) = (&pool[ai].keys, &pool[bi].keys);
    let noise = if rng.random_bool(0.3) { 0.02 } else { 0.0 };
    let keys = (0..n)
        .map(|u| {
            let x = if rng.random_bool(0.7) { a[u] } else { b[u] };
            if noise > 0.0 {
                x + noise * (rng.random::<f64>() - 0.5)
            } else {
                x
            }
        })
        .collect();
    (keys, pool[ai].relaxed)
}

/// Whether job `g` squeezes a pool member under the best makespan: the backward keys
/// (from the member's cutovers, with noise) and the member's index.
fn squeeze_job(
    g: u64,
    seed: u64,
    pool: &[Elite],
    best_m: u32,
    pb: &Problem,
) -> Option<(Vec<f64>, usize)> {
    if pool.is_empty() || best_m <= 1 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5eed);
    rng.set_stream(g);
    if !rng.random_bool(SQUEEZE_SHARE) {
        return None;
    }
    let i = rng.random_range(0..pool.len().div_ceil(2));
    let s = &pool[i].sched;
    let noise = [0.0, 0.5, 1.0, 2.0, 4.0][rng.random_range(0..5usize)];
    let h = f64::from(pb.h.max(1) + 1);
    let keys = (0..pb.n())
        .map(|u| {
            let c = f64::from(s.cut[u]);
            -(c * 2.0 - f64::from(pb.units[u].dur) / h + noise * rng.random::<f64>())
        })
        .collect();
    Some((keys, i))
}

/// What the search does while its best plan leaves out services that might fit.
struct LeftOut {
    /// Deadlines to try: the lower bound to half again past the best plan's end (those left
    /// out may need waves past it).
    lo: u32,
    hi: u32,
    /// The units the best plan leaves out and everything they depend on: these go first
    /// in some jobs' orders, so what the others use up cannot crowd them out.
    first: Vec<bool>,
}

impl LeftOut {
    /// Deadlines from the bound `lb`, for a best plan `best`.
    fn new(pb: &Problem, lb: u32, best: &Sched) -> Self {
        let m = best.makespan.max(lb);
        let first = left_out_and_needs(pb, &best.cut);
        Self {
            lo: lb,
            hi: (m + 1 + m / 2).min(pb.h),
            first,
        }
    }
}

/// Whether job `g` decodes against a deadline (see [`forward_within`]) while services are
/// left out: the deadline, and whether the units left out go first in the job's order.
fn deadline_job(g: u64, seed: u64, left_out: Option<&LeftOut>) -> Option<(u32, bool)> {
    let l = left_out?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xdead_11fe);
    rng.set_stream(g);
    let lo = l.lo.max(1);
    rng.random_bool(DEADLINE_SHARE)
        .then(|| (rng.random_range(lo..=l.hi.max(lo)), rng.random_bool(0.5)))
}

/// Schedules the default effort generates for `n` units: [`DEFAULT_EFFORT`], capped by the
/// work budget, which small inputs (where a schedule is cheap and the search pays off most)
/// get more of.
pub(crate) fn default_budget(n: usize) -> u64 {
    let n = n as u64;
    let small = SMALL_WORK * 1000 / (1000 + n) * 1000 / (1000 + n);
    let work = WORK_BUDGET + WORK_BUDGET * 1000 / (1000 + n) + small;
    DEFAULT_EFFORT.min((work / (n + 1)).max(MIN_SCHEDULES))
}

/// Jobs per batch for `n` units. It depends on the input only, never on the budget, so a
/// search with more effort decodes exactly the jobs a shorter one did, then more: more
/// effort never ends with a worse plan.
fn batch_for(n: usize) -> usize {
    (BATCH_WORK / (n + 1)).clamp(2, BATCH)
}

/// Searches for the best schedule within the budget.
pub(crate) fn search(
    pb: &Problem,
    opts: &Options,
    progress: &dyn Progress,
    target: &Target,
) -> Found {
    let t0 = Instant::now();
    let n = pb.n();
    let budget = opts.effort.unwrap_or_else(|| default_budget(n)).max(1);
    progress.start(budget);
    let base = rules(pb);
    let mut pool: Vec<Elite> = Vec::new();
    let mut best: Option<Elite> = None;
    let mut spent = 0u64;
    let mut next = 0u64;
    let mut at_bound = false;
    let mut timed_out = false;
    let rounds = if n > 20_000 { 1 } else { 3 };
    let mut improved_at = 0u64;
    let mut pool_best: Option<Sched> = None;
    // The best schedule after the final passes, over every schedule that was the best when
    // found: a better search result can polish to a worse plan, and more effort must never
    // end with a worse plan.
    let mut finished: Option<Sched> = None;
    while spent < budget && n > 0 {
        let mut size = if next == 0 { base.len() } else { batch_for(n) };
        // Only the last batch is cut, to as many jobs as schedules are left (a job makes at
        // least one, so the budget is then spent): every batch before it is the same
        // whatever the budget.
        let left = budget - spent;
        if left < size as u64 {
            size = left as usize;
        }
        // A pool whose own best has not improved for a while has converged: start it afresh
        // (the best plan found is kept) so that more effort explores elsewhere.
        if spent - improved_at >= STALL && !pool.is_empty() {
            pool.clear();
            pool_best = None;
            improved_at = spent;
        }
        let jobs: Vec<u64> = (next..next + size as u64).collect();
        // Squeezes aim one wave under the pool's own best, not the best plan's: a pool
        // restarted from fresh keys climbs down wave by wave, and squeezing its members
        // under a makespan far below them mostly fails (shipped default at 40,000
        // schedules, seeds 1-48: 34 waves on 34 of them this way, 25 against the best plan).
        let best_m = pool.first().map_or(0, |e| e.sched.makespan);
        let left_out = best
            .as_ref()
            .filter(|b| b.sched.unsched > target.forced_unsched)
            .map(|b| LeftOut::new(pb, target.lb, &b.sched));
        next += size as u64;
        let results: Vec<(Elite, u64)> = jobs
            .par_iter()
            .map_init(
                || Work::new(pb),
                |w, &g| {
                    // A job either squeezes a pool member or decodes fresh keys.
                    let (s, keys, relaxed, p) =
                        if let Some((bk, i)) = squeeze_job(g, opts.seed, &pool, best_m, pb) {
                            let (s, k) = squeeze(pb, &bk, &pool[i].sched, best_m - 1, w);
                            (s, k, false, 2)
                        } else {
                            let (mut k, relaxed) = make_keys(g, opts.seed, &base, &pool, n);
                            let s = match deadline_job(g, opts.seed, left_out.as_ref()) {
                                Some((d, first)) => {
                                    if let (true, Some(l)) = (first, &left_out) {
                                        for (x, &f) in k.iter_mut().zip(&l.first) {
                                            if f {
                                                *x -= 1e3;
                                            }
                                        }
                                    }
                                    forward_within(pb, &k, d, relaxed, w)
                                }
                                None => forward(pb, &k, None, relaxed, w),
                            };
                            (s, k, relaxed, 1)
                        };
                    let (s, keys, q) = justify(pb, s, keys, rounds, relaxed, w);
                    (
                        Elite {
                            sched: s,
                            keys,
                            index: g,
                            relaxed,
                        },
                        p + q,
                    )
                },
            )
            .collect();
        let mut used = 0;
        for (e, p) in results {
            used += p;
            if best.as_ref().is_none_or(|b| e.sched.better_than(&b.sched)) {
                if n <= POLISH_EVERY_BEST {
                    let p = super::polish(pb, fill(pb, &e.sched, target).cut);
                    if finished.as_ref().is_none_or(|f| p.better_than(f)) {
                        finished = Some(p);
                    }
                }
                best = Some(e.clone());
            }
            if !pool
                .iter()
                .any(|x| x.sched.cmp_fit(&e.sched).is_eq() && x.sched.cut == e.sched.cut)
            {
                pool.push(e);
            }
        }
        pool.sort_by(|a, b| a.sched.cmp_fit(&b.sched).then(a.index.cmp(&b.index)));
        pool.truncate(POOL);
        // The pool's own progress, not the best plan's: a restarted pool needs time to
        // climb back before it can beat the best.
        if let Some(top) = pool.first()
            && pool_best.as_ref().is_none_or(|b| top.sched.better_than(b))
        {
            pool_best = Some(top.sched.clone());
            improved_at = spent + used;
        }
        spent += used;
        progress.advance(used);
        // At the bound the waves cannot improve, but the split cost (the next objective)
        // still can: the search goes on until the pool stalls, then stops early.
        if let Some(b) = &best
            && b.sched.unsched <= target.forced_unsched
            && b.sched.makespan <= target.lb
            && spent - improved_at >= STALL
        {
            at_bound = true;
            break;
        }
        if opts.time_limit.is_some_and(|lim| t0.elapsed() >= lim) {
            timed_out = spent < budget;
            break;
        }
    }
    progress.finish();
    // Above the polishing size the plan's final passes polish the best once.
    let best = finished
        .or_else(|| best.map(|e| fill(pb, &e.sched, target)))
        .unwrap_or_else(|| Sched::from_cut(pb, vec![0; n]));
    Found {
        best,
        schedules: spent,
        budget,
        at_bound,
        timed_out,
    }
}

/// `s`, or better when units it leaves out (that could be placed in an empty plan) fit in
/// by ejection chains at one of several plan ends: serial decoding places each unit at its
/// earliest wave, and some plans that hold every service need one placed later than that
/// (a 5-service plan with a shrinking production cloud needed a dependency moved a wave
/// later to make room for its dependant). Ends are tried in parallel, compared in order.
fn fill(pb: &Problem, s: &Sched, target: &Target) -> Sched {
    let left_out = (0..pb.n())
        .filter(|&u| s.cut[u] == 0 && target.possible[u])
        .count();
    if left_out == 0 || left_out > FILL_LEFT_OUT || pb.n() > FILL_UNITS {
        return s.clone();
    }
    let lo = target.lb.max(1);
    let hi = pb.h.max(lo);
    let step = (hi - lo) / FILL_ENDS + 1;
    let ends: Vec<u32> = (lo..=hi).step_by(step as usize).collect();
    // The left-out units and what they depend on go late together.
    let toward = left_out_and_needs(pb, &s.cut);
    let tries: Vec<Vec<Sched>> = ends
        .par_iter()
        .map_init(
            || Work::new(pb),
            |w, &end| {
                let mut found: Vec<Sched> =
                    super::refit::left_out(pb, &s.cut, end, &target.possible)
                        .map(|c| Sched::from_cut(pb, c))
                        .into_iter()
                        .collect();
                let mut rng = ChaCha8Rng::seed_from_u64(0x0f11_u64 ^ u64::from(end));
                let mut noise: Vec<f64> = Vec::new();
                for _ in 0..FILL_ORDERS {
                    found.extend(from_end(pb, s, &toward, &noise, end, w));
                    noise = (0..pb.n()).map(|_| rng.random::<f64>()).collect();
                }
                found
            },
        )
        .collect();
    let mut best = s.clone();
    for t in tries.into_iter().flatten() {
        if t.better_than(&best) {
            best = t;
        }
    }
    best
}

/// Marks the units `cut` leaves unplaced and every unit they depend on, directly or not.
fn left_out_and_needs(pb: &Problem, cut: &[u32]) -> Vec<bool> {
    let mut mark = vec![false; pb.n()];
    let mut stack: Vec<usize> = (0..pb.n()).filter(|&u| cut[u] == 0).collect();
    while let Some(u) = stack.pop() {
        if !std::mem::replace(&mut mark[u], true) {
            stack.extend(pb.preds(u).iter().map(|&(p, _)| p as usize));
        }
    }
    mark
}
