//! Fitting a repaired plan back into a makespan by ejection chains: the units that ended up
//! past the wanted end are placed inside it, each nearest its earlier wave, taking out the
//! units in the way (those that moved anyway first) and placing those in turn. The search
//! fits units it left out into its plans the same way.
//!
//! Owns the chain and its costs. Must not rank candidates (see `repair`, `search`) or word
//! reasons.

use std::collections::BTreeSet;

use super::problem::Problem;
use super::problem::Unit;
use super::profile::{Breach, Profile};

/// Most units taken out to make room for one.
const EJECT_AT_MOST: usize = 16;
/// Placements tried per unit of the problem before a fitting chain gives up.
const STEPS_PER_UNIT: usize = 8;
/// Placements tried to put one unit back before the chain gives up.
const BACK_STEPS: usize = 100;
/// Chains tried, each leaving the unit the last one could not place where it is.
const ATTEMPTS: usize = 6;

/// `cut` with every unit placed at or before wave `end` and every rule kept, moving as few
/// units of `anchor` (their earlier waves) as the chain finds; `None` when it finds no way.
/// Units of `cut` that are unplaced (0) or past `end` are the ones to place.
pub(crate) fn within(pb: &Problem, anchor: &[u32], cut: &[u32], end: u32) -> Option<Vec<u32>> {
    // Fitting needs room to cascade: a limit by the units to place alone was too short on
    // the shipped default's dba cut (36 waves instead of 34).
    let steps = STEPS_PER_UNIT * pb.n();
    attempts(
        pb,
        anchor,
        cut,
        end,
        &positions(pb),
        &vec![false; pb.n()],
        steps,
    )
}

/// Most left-out units [`left_out`] tries one at a time when they do not all fit at once.
const ONE_AT_A_TIME: usize = 8;
/// Placements a chain of [`left_out`] may try per unit it places: the search calls it
/// for every new best plan, where most chains fail, so they must fail fast.
const LEFT_OUT_STEPS: usize = 16;

/// `cut` with unplaced units marked `possible` placed by ejection chains, every unit at or
/// before wave `end` and the placed ones moved as little as the chain finds: all of them
/// if they fit together, else as many as fit one at a time in dependency order. `None`
/// when none fits.
pub(crate) fn left_out(pb: &Problem, cut: &[u32], end: u32, possible: &[bool]) -> Option<Vec<u32>> {
    let pos = positions(pb);
    let want: Vec<usize> = pb
        .topo
        .iter()
        .map(|&u| u as usize)
        .filter(|&u| cut[u] == 0 && possible[u] && !pb.units[u].self_strict)
        .collect();
    if want.is_empty() {
        return None;
    }
    let mut skip: Vec<bool> = (0..pb.n()).map(|u| cut[u] == 0).collect();
    for &u in &want {
        skip[u] = false;
    }
    let steps = |k: usize| (LEFT_OUT_STEPS * k + BACK_STEPS).min(STEPS_PER_UNIT * pb.n());
    if let Some(c) = attempts(pb, cut, cut, end, &pos, &skip, steps(want.len())) {
        return Some(c);
    }
    if want.len() == 1 {
        return None;
    }
    let mut cur = cut.to_vec();
    let mut placed = false;
    for &u in want.iter().take(ONE_AT_A_TIME) {
        let skip: Vec<bool> = (0..pb.n()).map(|v| v != u && cur[v] == 0).collect();
        if let Some(c) = attempts(pb, &cur, &cur, end, &pos, &skip, steps(1)) {
            cur = c;
            placed = true;
        }
    }
    placed.then_some(cur)
}

/// Ejection chains from `cut` until one places every unit not in `skip` within `end`.
fn attempts(
    pb: &Problem,
    anchor: &[u32],
    cut: &[u32],
    end: u32,
    pos: &[usize],
    skip: &[bool],
    steps: usize,
) -> Option<Vec<u32>> {
    // A unit the chain could not place again is left where it is next time.
    let mut stay = vec![false; pb.n()];
    for _ in 0..ATTEMPTS {
        match chain(pb, anchor, cut, end, pos, &stay, skip, None, steps) {
            Ok(cut) => return Some(cut),
            Err(Some(u)) if !stay[u] => stay[u] = true,
            Err(_) => return None,
        }
    }
    None
}

/// `cut` with unit `u` back in its earlier wave and every unit still at or before `end`,
/// the units in its way placed again by an ejection chain; `None` when the chain finds no
/// way.
pub(crate) fn back(
    pb: &Problem,
    anchor: &[u32],
    cut: &[u32],
    end: u32,
    u: usize,
) -> Option<Vec<u32>> {
    let a = anchor[u];
    if a == 0 || a > end || !pb.calendar_ok(&pb.units[u], a) {
        return None;
    }
    let mut stay = vec![false; pb.n()];
    stay[u] = true;
    let skip = vec![false; pb.n()];
    chain(
        pb,
        anchor,
        cut,
        end,
        &positions(pb),
        &stay,
        &skip,
        Some((u, a)),
        // Putting one unit back is worth a short chain only.
        BACK_STEPS,
    )
    .ok()
}

/// Each unit's place in the problem's topological order.
fn positions(pb: &Problem) -> Vec<usize> {
    let mut pos = vec![0usize; pb.n()];
    for (i, &u) in pb.topo.iter().enumerate() {
        pos[u as usize] = i;
    }
    pos
}

/// One ejection chain: the placed `cut`, or the unit it found no wave for (`None`: it ran
/// out of steps or could not make room for `force`). Units marked in `stay` are never taken
/// out; unplaced units marked in `skip` stay unplaced; `force` (unit, wave) is placed
/// first, its dependencies that would come too late taken out to be placed again. The
/// chain gives up after `steps` placements.
#[allow(clippy::too_many_arguments)]
fn chain(
    pb: &Problem,
    anchor: &[u32],
    cut: &[u32],
    end: u32,
    pos: &[usize],
    stay: &[bool],
    skip: &[bool],
    force: Option<(usize, u32)>,
    mut steps: usize,
) -> Result<Vec<u32>, Option<usize>> {
    let n = pb.n();
    let mut cut = cut.to_vec();
    if let Some((f, a)) = force {
        cut[f] = 0;
        let mut stack = vec![(f, a)];
        while let Some((x, b)) = stack.pop() {
            for &(p, lag) in pb.preds(x) {
                let p = p as usize;
                if cut[p] != 0 && cut[p] + lag > b {
                    if stay[p] || pb.units[p].pin.is_some() || b <= lag {
                        return Err(None);
                    }
                    cut[p] = 0;
                    stack.push((p, b - lag));
                }
            }
        }
    }
    let forced = force.map(|f| f.0);
    let mut todo: BTreeSet<(usize, usize)> = BTreeSet::new();
    for u in 0..n {
        if (cut[u] > end || (cut[u] == 0 && !skip[u]))
            && !pb.units[u].self_strict
            && Some(u) != forced
        {
            cut[u] = 0;
            todo.insert((pos[u], u));
        }
    }
    if todo.is_empty() && force.is_none() {
        return Ok(cut);
    }
    if todo.iter().any(|&(_, u)| {
        let unit = &pb.units[u];
        unit.pin.is_some_and(|p| p > end) || unit.lo.max(unit.dur) > end
    }) {
        return Err(None);
    }
    let mut c = Chain::new(pb, anchor, cut, end, stay, todo);
    if let Some((f, a)) = force {
        let (_, out) = c.room(f, a).ok_or(None)?;
        c.place(f, a, out, pos);
    }
    while let Some((_, u)) = c.todo.pop_first() {
        if steps == 0 {
            return Err(None);
        }
        steps -= 1;
        let unit = &pb.units[u];
        let mut lo = unit.lo.max(unit.dur);
        for &(p, lag) in pb.preds(u) {
            // Dependencies come first in the order, so one still unplaced can never be
            // placed (SPEC 4: a scheduled service's dependencies are scheduled).
            if c.cut[p as usize] == 0 {
                return Err(None);
            }
            lo = lo.max(c.cut[p as usize] + lag);
        }
        let mut best: Option<(u64, u32, Vec<usize>)> = None;
        // Nearest its earlier wave first: the first wave that needs no room is the best.
        let home = anchor[u].max(1);
        let mut waves: Vec<u32> = (lo..=unit.hi.min(end)).collect();
        waves.sort_by_key(|&w| (w.abs_diff(home), w));
        for w in waves {
            if best.as_ref().is_some_and(|b| b.0 < 64) {
                break;
            }
            if !pb.calendar_ok(unit, w) {
                continue;
            }
            let Some((cost, out)) = c.room(u, w) else {
                continue;
            };
            let key = cost * 64 + u64::from(w.abs_diff(home));
            if best.as_ref().is_none_or(|b| key < b.0) {
                best = Some((key, w, out));
            }
        }
        let Some((_, w, out)) = best else {
            return Err(Some(u));
        };
        c.place(u, w, out, pos);
    }
    Ok(c.cut)
}

/// The state of one ejection chain.
struct Chain<'a> {
    pb: &'a Problem,
    anchor: &'a [u32],
    end: u32,
    stay: &'a [bool],
    /// Longest unit: how far after a wave a cutover still reaches back into it.
    longest: u32,
    cut: Vec<u32>,
    prof: Profile,
    /// Units by cutover wave; an entry is stale when the unit has left that wave since.
    at: Vec<Vec<usize>>,
    /// Times each unit was taken out.
    ejected: Vec<u32>,
    /// Units to place, by (topological position, unit).
    todo: BTreeSet<(usize, usize)>,
}

impl<'a> Chain<'a> {
    fn new(
        pb: &'a Problem,
        anchor: &'a [u32],
        cut: Vec<u32>,
        end: u32,
        stay: &'a [bool],
        todo: BTreeSet<(usize, usize)>,
    ) -> Self {
        let mut prof = Profile::new(pb);
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); end as usize + 1];
        for (u, &c) in cut.iter().enumerate() {
            if c != 0 {
                prof.apply(&pb.units[u], c, 1);
                at[c as usize].push(u);
            }
        }
        Self {
            pb,
            anchor,
            end,
            stay,
            longest: pb.units.iter().map(|u| u.dur).max().unwrap_or(1).max(1),
            ejected: vec![0; cut.len()],
            cut,
            prof,
            at,
            todo,
        }
    }

    /// Takes `out` out (to be placed again) and puts unit `u` in wave `w`.
    fn place(&mut self, u: usize, w: u32, out: Vec<usize>, pos: &[usize]) {
        for v in out {
            self.prof.apply(&self.pb.units[v], self.cut[v], -1);
            self.cut[v] = 0;
            self.ejected[v] += 1;
            self.todo.insert((pos[v], v));
        }
        self.prof.apply(&self.pb.units[u], w, 1);
        self.cut[u] = w;
        self.at[w as usize].push(u);
    }

    /// What it costs to put unit `u` in wave `w`: the units to take out (its dependants
    /// that would come too early, then units in its waves until it fits) and their cost
    /// (services that leave their earlier wave, units taken out often weigh more); `None`
    /// when no such set is found. Leaves the profile as it was.
    fn room(&mut self, u: usize, w: u32) -> Option<(u64, Vec<usize>)> {
        let (pb, cut, end, longest) = (self.pb, &self.cut, self.end, self.longest);
        let unit = &pb.units[u];
        let cost = |v: usize| {
            let leaves = if cut[v] == self.anchor[v] {
                u64::from(pb.size(v)) * 8
            } else {
                0
            };
            // Long units are hard to place again.
            leaves + u64::from(self.ejected[v]) * 4 + u64::from(pb.units[v].dur) * 2
        };
        let mut out: Vec<usize> = pb
            .succs(u)
            .iter()
            .filter(|&&(s, lag)| cut[s as usize] != 0 && cut[s as usize] < w + lag)
            .map(|&(s, _)| s as usize)
            .collect();
        if out
            .iter()
            .any(|&v| pb.units[v].pin.is_some() || self.stay[v])
        {
            return None;
        }
        out.sort_unstable();
        out.dedup();
        let prof = &mut self.prof;
        for &v in &out {
            prof.apply(&pb.units[v], cut[v], -1);
        }
        let first = (w + 1).saturating_sub(unit.dur).max(1);
        // A unit cutting over after `w + longest - 1` does not reach back to `w`.
        let last = (w + longest - 1).min(end);
        let dependants = out.len();
        let mut found = None;
        while out.len() - dependants <= EJECT_AT_MOST {
            let Some(b) = prof.breach_exact(pb, unit, w, end) else {
                found = Some(out.iter().map(|&v| cost(v)).sum());
                break;
            };
            if out.len() - dependants == EJECT_AT_MOST {
                break;
            }
            // Only units cutting over in these waves can use what the breach lacks.
            let (from, to) = match b {
                Breach::Cutovers { w: x, .. } | Breach::Department { w: x, .. } => (x, x),
                Breach::Renewable { w: x, .. } => (x, x + longest - 1),
                Breach::Target { .. } => (first, last),
            };
            // The cheapest unit in `u`'s waves that frees most of what the breach lacks.
            let mut pick: Option<(u64, f64, usize)> = None;
            for x in from.max(first)..=to.min(last) {
                for &v in &self.at[x as usize] {
                    let c = cut[v];
                    if c != x
                        || c + 1 - pb.units[v].dur.min(c) > w
                        || pb.units[v].pin.is_some()
                        || self.stay[v]
                        || out.contains(&v)
                        // A dependency of `u` taken out would leave it no lower bound to keep.
                        || pb.preds(u).iter().any(|&(p, _)| p as usize == v)
                    {
                        continue;
                    }
                    let freed = eases(&pb.units[v], c, &b);
                    if freed <= 0.0 {
                        continue;
                    }
                    let k = cost(v);
                    if pick.is_none_or(|p| {
                        k < p.0 || (k == p.0 && (freed > p.1 || (freed == p.1 && v < p.2)))
                    }) {
                        pick = Some((k, freed, v));
                    }
                }
            }
            let Some((_, _, v)) = pick else { break };
            prof.apply(&pb.units[v], cut[v], -1);
            out.push(v);
        }
        for &v in &out {
            prof.apply(&pb.units[v], cut[v], 1);
        }
        found.map(|c| (c, out))
    }
}

/// How much of what breach `b` lacks unit `v` cutting over in `c` uses (0: none).
fn eases(v: &Unit, c: u32, b: &Breach) -> f64 {
    match *b {
        Breach::Cutovers { w, .. } => f64::from(if c == w { v.cuts } else { 0 }),
        Breach::Department { d, w, .. } => v
            .depts
            .iter()
            .filter(|&&(x, _)| c == w && x == d)
            .map(|&(_, n)| f64::from(n))
            .sum(),
        Breach::Renewable { r, w, .. } => v
            .ren
            .iter()
            .filter(|&&(k, x, _)| x == r && c - k == w)
            .map(|&(_, _, a)| a)
            .sum(),
        Breach::Target { j, w, .. } => v
            .tgt
            .iter()
            .filter(|&&(o, _)| c - o <= w)
            .map(|&(_, res)| res[j])
            .sum(),
    }
}
