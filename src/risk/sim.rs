//! One simulated execution of a plan (the repair pass of docs/risk.md).
//!
//! Each run draws every service's effort and data overrun, then walks the plan's units in
//! the plan's order (planned cutover, then dependencies first) and puts each at the first
//! wave, never earlier than planned, where its dependencies have cut over as its edges
//! require, the calendar lets every member occupy its waves and its loads (overrun
//! included) fit what earlier units left. Each attempt then fails with its probability; a
//! failed attempt has used its waves' capacity and the unit tries again at the next wave
//! with room. Work only ever moves later, so a run that draws nothing is the plan itself.
//!
//! With `--replan`, once something has gone wrong in a wave, the work planned after it may
//! also move earlier, into any room left after that wave (the planners re-plan).
//!
//! Deadlines, decommission dates, pins and `max_waves` are what the simulation measures, not
//! limits it keeps: a run goes on past them for up to [`Sim::horizon`] waves.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{Inventory, Plan, RiskModel, Scenario, ServiceIx};
use crate::schedule::{Load, NO_UNIT, Problem};

/// A unit that did not cut over within the simulated horizon.
pub(crate) const NOT_DONE: u32 = u32::MAX;

/// A unit's per-wave load in one run, merged over its members: (offset, resource, amount
/// with the overruns drawn).
type Merged = (u32, u32, f64);

/// Everything a run needs, built once per simulation and shared by every run.
pub(crate) struct Sim {
    /// The problem with pins lifted and the horizon extended to [`Sim::horizon`].
    pub(crate) pb: Problem,
    /// Waves a run may use: twice the plan's, and at least 52 (two years of two-week
    /// waves) more than it.
    pub(crate) horizon: u32,
    /// The plan's finish: its last cutover.
    pub(crate) plan_finish: u32,
    /// The plan's cutover of each unit (0: unscheduled in the plan, not executed).
    pub(crate) planned: Vec<u32>,
    /// Executed units, in the plan's order.
    pub(crate) order: Vec<u32>,
    /// Per unit: each member's loads, with the member's position.
    loads: Vec<Vec<(u32, Load)>>,
    /// Per unit: the distinct (offset, resource) its loads fall on, sorted.
    slots: Vec<Vec<(u32, u32)>>,
    /// Per unit: each member's first-attempt failure probability.
    fail: Vec<Vec<f64>>,
    /// The model, for retries.
    model: RiskModel,
    /// Each wave's season multiplier.
    season: Vec<f64>,
    /// Log-normal parameters of the effort and data overruns.
    effort: (f64, f64),
    data: (f64, f64),
    /// The seed of run 0's stream (run k uses stream k).
    seed: u64,
    /// Whether later work may move earlier once something has gone wrong (`--replan`).
    replan: bool,
}

/// A run's outcome, in the scratch it ran in.
pub(crate) struct Scratch {
    used: Vec<f64>,
    cuts: Vec<u32>,
    dept: Vec<u32>,
    /// Target resources held in each wave by the units placed so far.
    target: Vec<[f64; 3]>,
    /// The run's finish so far: SPEC 4.4 holds the target in waves 1 to the makespan, so a
    /// unit that extends it must also leave the new waves within their capacity.
    finish: u32,
    merged: Vec<Merged>,
    /// Each unit's cutover in this run ([`NOT_DONE`], or 0 when not executed).
    pub(crate) cut: Vec<u32>,
    /// Each unit's first-attempt draw in this run.
    first: Vec<f64>,
    /// Failed attempts of each unit.
    pub(crate) failures: Vec<u32>,
    /// Overrun draws of each unit's members: (effort, data), at least 1.
    mult: Vec<Vec<(f64, f64)>>,
}

impl Sim {
    /// Prepares the simulation of `plan` (valid for `inv` and `sc`) under `model`.
    ///
    /// # Errors
    /// The plan names a service the inventory lacks, or splits a unit the rules keep
    /// together (run `waveplan verify` on it).
    pub(crate) fn new(
        inv: &Inventory,
        sc: &Scenario,
        plan: &Plan,
        model: &RiskModel,
        seed: u64,
        replan: bool,
    ) -> Result<Self, String> {
        // The plan's own last cutover, should its summary say otherwise.
        let makespan = plan
            .services
            .iter()
            .map(|p| p.cutover_wave)
            .max()
            .unwrap_or(0)
            .max(plan.summary.waves);
        let horizon = makespan.saturating_add(makespan.max(52));
        let mut free = sc.clone();
        free.pins.clear();
        let pb = Problem::build(inv, &free, horizon);
        let index: std::collections::HashMap<&str, ServiceIx> =
            inv.indexed().map(|(s, svc)| (svc.id.as_str(), s)).collect();
        let mut planned = vec![0u32; pb.n()];
        for ps in &plan.services {
            let Some(&s) = index.get(ps.id.as_str()) else {
                return Err(format!(
                    "the plan schedules `{}`, which the inventory does not have",
                    ps.id
                ));
            };
            let u = pb.unit_of[s];
            if u == NO_UNIT {
                return Err(format!(
                    "the plan schedules `{}`, which does not migrate",
                    ps.id
                ));
            }
            let slot = &mut planned[u as usize];
            if *slot != 0 && *slot != ps.cutover_wave {
                return Err(format!(
                    "the plan cuts `{}` over in wave {} but services it must share a wave with in another",
                    ps.id, ps.cutover_wave
                ));
            }
            if ps.cutover_wave == 0 || ps.cutover_wave > horizon {
                return Err(format!(
                    "the plan cuts `{}` over in wave {}, outside its waves",
                    ps.id, ps.cutover_wave
                ));
            }
            *slot = ps.cutover_wave;
        }
        let mut rank = vec![0u32; pb.n()];
        for (i, &u) in pb.topo.iter().enumerate() {
            rank[u as usize] = i as u32;
        }
        let mut order: Vec<u32> = (0..pb.n() as u32)
            .filter(|&u| planned[u as usize] != 0)
            .collect();
        order.sort_by_key(|&u| (planned[u as usize], rank[u as usize]));
        let mut loads = Vec::with_capacity(pb.n());
        let mut slots = Vec::with_capacity(pb.n());
        let mut fail = Vec::with_capacity(pb.n());
        for unit in &pb.units {
            let mut l: Vec<(u32, Load)> = Vec::new();
            let mut p = Vec::with_capacity(unit.members.len());
            for (i, m) in unit.members.iter().enumerate() {
                l.extend(
                    pb.loads_of(&inv.services[m.svc])
                        .into_iter()
                        .map(|x| (i as u32, x)),
                );
                p.push(model.first_attempt(inv, m.svc));
            }
            l.sort_by_key(|(i, x)| (x.offset, x.resource, *i));
            let mut s: Vec<(u32, u32)> = l.iter().map(|(_, x)| (x.offset, x.resource)).collect();
            s.dedup();
            loads.push(l);
            slots.push(s);
            fail.push(p);
        }
        Ok(Self {
            plan_finish: planned.iter().copied().max().unwrap_or(0),
            pb,
            horizon,
            planned,
            order,
            loads,
            slots,
            fail,
            model: model.clone(),
            season: model.season_multipliers(&sc.calendar, horizon),
            effort: model.effort_overrun.log_params(),
            data: model.data_overrun.log_params(),
            seed,
            replan,
        })
    }

    /// Fresh scratch for runs of this simulation.
    pub(crate) fn scratch(&self) -> Scratch {
        let w = self.horizon as usize + 1;
        Scratch {
            used: vec![0.0; w * self.pb.ren_cap.len()],
            cuts: vec![0; w],
            dept: vec![0; w * self.pb.dept_cap.len()],
            target: vec![[0.0; 3]; w],
            finish: 0,
            merged: Vec::new(),
            cut: vec![0; self.pb.n()],
            first: vec![0.0; self.pb.n()],
            failures: vec![0; self.pb.n()],
            mult: self
                .pb
                .units
                .iter()
                .map(|u| vec![(1.0, 1.0); u.members.len()])
                .collect(),
        }
    }

    /// Runs execution `k` into `s`; returns its finish wave ([`NOT_DONE`] when some unit did
    /// not cut over within the horizon). The same `k` gives the same run on any thread.
    ///
    /// With `spared`, that unit's cutovers never fail and every other draw is the same, so
    /// the two runs differ by that failure alone (the criticality index compares them).
    pub(crate) fn run(&self, k: u64, s: &mut Scratch, spared: Option<u32>) -> u32 {
        s.used.fill(0.0);
        s.cuts.fill(0);
        s.dept.fill(0);
        s.target.fill([0.0; 3]);
        s.finish = 0;
        s.cut.fill(0);
        s.failures.fill(0);
        // Each draw has its own place in run k's stream (overruns, then first attempts,
        // then retries by unit and attempt), so sparing one unit moves no other draw.
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(k);
        for unit in &mut s.mult {
            for m in unit {
                let (z1, z2) = normal_pair(&mut rng);
                *m = (overrun(self.effort, z1), overrun(self.data, z2));
            }
        }
        for f in &mut s.first {
            *f = rng.random::<f64>();
        }
        let retries = rng.get_word_pos();
        let mut finish = 0;
        // The last planned wave in which something went wrong (0: nothing yet).
        let mut upset = 0;
        for &u in &self.order {
            let planned = self.planned[u as usize];
            // A re-plan made at the end of wave `upset` may bring later work forward into
            // any room after it, whole (its first wave after `upset`).
            let release = if self.replan && upset > 0 {
                planned.min(upset + self.pb.units[u as usize].dur)
            } else {
                planned
            };
            let first = s.first[u as usize];
            let draw = |n: u32| -> f64 {
                if n == 0 {
                    return first;
                }
                // Two 32-bit words per draw, unit in the high half of the index.
                rng.set_word_pos(retries + ((u128::from(u) << 32 | u128::from(n)) << 1));
                rng.random::<f64>()
            };
            let c = self.execute(u as usize, release, s, draw, spared == Some(u));
            // Moving earlier (a re-plan) is no setback.
            if c > planned || s.failures[u as usize] > 0 {
                upset = upset.max(planned);
            }
            finish = finish.max(c);
        }
        finish
    }

    /// Places unit `u` in run scratch `s`: its first fitting wave no earlier than `release`
    /// and after its dependencies, then again after each failed attempt (`draw(n)` is
    /// attempt n's uniform draw; a `spared` unit never fails).
    fn execute(
        &self,
        u: usize,
        release: u32,
        s: &mut Scratch,
        mut draw: impl FnMut(u32) -> f64,
        spared: bool,
    ) -> u32 {
        let mut after = release.max(self.pb.units[u].lo);
        for &(q, lag) in self.pb.preds(u) {
            match s.cut[q as usize] {
                // Only an invalid plan schedules a unit after an unscheduled dependency.
                0 => {}
                NOT_DONE => {
                    s.cut[u] = NOT_DONE;
                    return NOT_DONE;
                }
                cq => after = after.max(cq + lag),
            }
        }
        self.merge(u, s);
        let mut c = after;
        let mut attempt = 0;
        let done = loop {
            let Some(at) = (c..=self.horizon).find(|&w| self.fits(u, w, s)) else {
                break NOT_DONE;
            };
            self.reserve(u, at, s);
            let p = if spared {
                0.0
            } else {
                self.failure(u, attempt, at)
            };
            if p > 0.0 && draw(attempt) < p {
                attempt += 1;
                c = at + 1;
            } else {
                break at;
            }
        };
        if done != NOT_DONE {
            for &(off, res) in &self.pb.units[u].tgt {
                for held in &mut s.target[(done - off) as usize..] {
                    for j in 0..3 {
                        held[j] += res[j];
                    }
                }
            }
            s.finish = s.finish.max(done);
        }
        s.cut[u] = done;
        s.failures[u] = attempt;
        done
    }

    /// The probability that attempt `n` of unit `u`, in wave `c`, fails: any member's
    /// attempt failing.
    fn failure(&self, u: usize, n: u32, c: u32) -> f64 {
        let season = self.season[c as usize];
        let ok: f64 = self.fail[u]
            .iter()
            .map(|&p| 1.0 - self.model.attempt(p, n, season))
            .product();
        1.0 - ok
    }

    /// The unit's loads in this run, merged by (offset, resource): each member's share times
    /// its draw, never below the estimate and never above a whole wave of the resource (an
    /// overrun cannot need more than the team has; the work then fills its waves).
    fn merge(&self, u: usize, s: &mut Scratch) {
        s.merged.clear();
        let mult = &s.mult[u];
        let mut it = self.loads[u].iter().peekable();
        for &(k, r) in &self.slots[u] {
            let (mut nominal, mut drawn) = (0.0_f64, 0.0_f64);
            while let Some(&&(i, l)) = it.peek() {
                if (l.offset, l.resource) != (k, r) {
                    break;
                }
                let (me, md) = mult[i as usize];
                nominal += l.amount;
                drawn += l.amount * if l.data { md } else { me };
                it.next();
            }
            let cap = self.pb.ren_cap[r as usize];
            s.merged.push((k, r, drawn.min(cap).max(nominal)));
        }
    }

    /// Whether unit `u` (its merged loads in `s`) can cut over in wave `c`.
    fn fits(&self, u: usize, c: u32, s: &Scratch) -> bool {
        let unit = &self.pb.units[u];
        if c < unit.dur || !self.pb.calendar_ok(unit, c) {
            return false;
        }
        let cap = self.pb.cut_cap[c as usize];
        if cap != NO_UNIT && s.cuts[c as usize] + unit.cuts > cap {
            return false;
        }
        let nd = self.pb.dept_cap.len();
        for &(d, n) in &unit.depts {
            if s.dept[c as usize * nd + d as usize] + n > self.pb.dept_cap[d as usize] {
                return false;
            }
        }
        let nr = self.pb.ren_cap.len();
        let loads = s.merged.iter().all(|&(k, r, a)| {
            let w = (c - k) as usize;
            s.used[w * nr + r as usize] + a <= self.pb.ren_cap[r as usize]
        });
        loads && self.target_fits(unit, c, s)
    }

    /// Whether the target capacity holds (SPEC 4.4) in every wave up to the run's finish
    /// with the unit cutting over in `c`: its resources from its start on, and, when it
    /// extends the finish, what is already held in the waves it adds. A later unit can
    /// break this even without moving earlier, when a target step lowers the capacity.
    fn target_fits(&self, unit: &crate::schedule::Unit, c: u32, s: &Scratch) -> bool {
        let Some(caps) = &self.pb.tgt_cap else {
            return true;
        };
        let last = s.finish.max(c) as usize;
        let start = unit
            .tgt
            .iter()
            .map(|&(off, _)| (c - off) as usize)
            .min()
            .unwrap_or(usize::MAX);
        let from = start.min(s.finish as usize + 1).max(1);
        (from..=last).all(|w| {
            let mut need = s.target[w];
            for &(off, res) in &unit.tgt {
                if w >= (c - off) as usize {
                    for j in 0..3 {
                        need[j] += res[j];
                    }
                }
            }
            (0..3).all(|j| need[j] <= caps[w][j])
        })
    }

    /// Books one attempt of unit `u` at wave `c`.
    fn reserve(&self, u: usize, c: u32, s: &mut Scratch) {
        let unit = &self.pb.units[u];
        s.cuts[c as usize] += unit.cuts;
        let nd = self.pb.dept_cap.len();
        for &(d, n) in &unit.depts {
            s.dept[c as usize * nd + d as usize] += n;
        }
        let nr = self.pb.ren_cap.len();
        for &(k, r, a) in &s.merged {
            s.used[(c - k) as usize * nr + r as usize] += a;
        }
    }

    /// The expected number of failed first attempts in a run (each executed unit's
    /// probability in its planned wave).
    pub(crate) fn expected_failures(&self) -> f64 {
        self.order
            .iter()
            .map(|&u| self.failure(u as usize, 0, self.planned[u as usize]))
            .sum()
    }

    /// The members of unit `u`.
    pub(crate) fn members(&self, u: usize) -> impl Iterator<Item = ServiceIx> + '_ {
        self.pb.units[u].members.iter().map(|m| m.svc)
    }
}

/// Two independent standard normal draws (Box-Muller), from two uniform draws.
fn normal_pair(rng: &mut ChaCha8Rng) -> (f64, f64) {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let r = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
    let theta = std::f64::consts::TAU * rng.random::<f64>();
    (r * theta.cos(), r * theta.sin())
}

/// One overrun factor from a standard normal draw `z`, at least 1: finishing early frees
/// nothing the plan could use, since no work moves earlier than planned.
fn overrun((mu, sigma): (f64, f64), z: f64) -> f64 {
    (mu + sigma * z).exp().max(1.0)
}
