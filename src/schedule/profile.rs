//! Resource profiles over waves: what placed units use, and whether another unit fits.
//!
//! Owns the capacity side of SPEC 4.3 and 4.4 for the search. Must not look at precedence,
//! windows or the calendar (see `Problem::calendar_ok`).

use super::mintree::MinTree;
use super::problem::{NONE, Problem, Unit};

/// Which capacity a placement breaks (for diagnosis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Breach {
    /// `capacity.cutovers` in wave `w`: used, adding, limit.
    Cutovers {
        w: u32,
        used: u32,
        add: u32,
        cap: u32,
    },
    /// `capacity.per_department`: capped department index, wave, used, adding, limit.
    Department {
        d: u32,
        w: u32,
        used: u32,
        add: u32,
        cap: u32,
    },
    /// A renewable resource in wave `w`: used, adding.
    Renewable { r: u32, w: u32, used: f64, add: f64 },
    /// Target resource `j`, short first in wave `w`: least free from there on, adding.
    Target {
        j: usize,
        w: u32,
        free: f64,
        add: f64,
    },
}

/// Per-wave loads of the placed units.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    stride: usize,
    h: usize,
    ren: Vec<f64>,
    cuts: Vec<u32>,
    dept: Vec<u32>,
    /// Target resources with a finite capacity somewhere.
    tgt_res: Vec<usize>,
    /// Target capacity minus use, one tree per resource of `tgt_res`, waves 0..=h+1.
    trees: Vec<MinTree>,
    /// Initial slack per resource of `tgt_res`.
    init: Vec<Vec<f64>>,
    /// Target use is checked up to this wave.
    tgt_end: usize,
    /// Per resource of `tgt_res`: the least capacity from wave w on (static).
    floor: Vec<Vec<f64>>,
    /// Per resource of `tgt_res`: everything placed so far (an upper bound on any wave's use).
    total: Vec<f64>,
    /// Tree updates not applied yet (start wave, resource slot, amount): most placements
    /// never need the tree, so it is brought up to date only when a check needs it.
    pending: Vec<(usize, usize, f64)>,
}

impl Profile {
    /// An empty profile for `pb`.
    pub(crate) fn new(pb: &Problem) -> Self {
        let h = pb.h as usize;
        let stride = h + 2;
        let mut tgt_res = Vec::new();
        let mut init = Vec::new();
        if let Some(caps) = &pb.tgt_cap {
            for j in 0..3 {
                let v: Vec<f64> = (0..stride)
                    .map(|w| {
                        if w == 0 || w > h {
                            f64::INFINITY
                        } else {
                            caps.get(w).map_or(f64::INFINITY, |c| c[j])
                        }
                    })
                    .collect();
                if v.iter().any(|x| x.is_finite()) {
                    tgt_res.push(j);
                    init.push(v);
                }
            }
        }
        Self {
            stride,
            h,
            ren: vec![0.0; pb.ren_cap.len() * stride],
            cuts: vec![0; stride],
            dept: vec![0; pb.dept_cap.len() * stride],
            trees: init.iter().map(|v| MinTree::new(v)).collect(),
            floor: init
                .iter()
                .map(|v| {
                    let mut f = v.clone();
                    for w in (0..f.len().saturating_sub(1)).rev() {
                        f[w] = f[w].min(f[w + 1]);
                    }
                    f
                })
                .collect(),
            total: vec![0.0; tgt_res.len()],
            pending: Vec::new(),
            tgt_res,
            init,
            tgt_end: h,
        }
    }

    /// Empties the profile, keeping its buffers.
    pub(crate) fn reset(&mut self, _pb: &Problem) {
        self.ren.iter_mut().for_each(|x| *x = 0.0);
        self.cuts.iter_mut().for_each(|x| *x = 0);
        self.dept.iter_mut().for_each(|x| *x = 0);
        for (t, v) in self.trees.iter_mut().zip(&self.init) {
            t.reset(v);
        }
        self.total.iter_mut().for_each(|x| *x = 0.0);
        self.pending.clear();
        self.tgt_end = self.h;
    }

    /// Checks target use only up to wave `end` (the makespan when it is fixed).
    pub(crate) fn set_target_end(&mut self, end: u32) {
        self.tgt_end = (end as usize).min(self.h);
    }

    /// Whether unit `u` cutting over in `c` fits every capacity (target checked from each
    /// start to the target end). `c` must be in `u.dur..=h`.
    #[inline]
    pub(crate) fn fits(&mut self, pb: &Problem, u: &Unit, c: u32) -> bool {
        self.breach(pb, u, c).is_none()
    }

    /// The first capacity unit `u` would break by cutting over in `c`, if any.
    pub(crate) fn breach(&mut self, pb: &Problem, u: &Unit, c: u32) -> Option<Breach> {
        self.per_wave_breach(pb, u, c).or_else(|| {
            let first = u
                .tgt
                .first()
                .map_or(usize::MAX, |&(o, _)| c as usize - o as usize);
            self.target_breach(u, c, first, self.tgt_end)
        })
    }

    /// Cutovers, departments and renewable resources.
    fn per_wave_breach(&self, pb: &Problem, u: &Unit, c: u32) -> Option<Breach> {
        let ci = c as usize;
        let cap = pb.cut_cap[ci];
        if cap != NONE && self.cuts[ci] + u.cuts > cap {
            return Some(Breach::Cutovers {
                w: c,
                used: self.cuts[ci],
                add: u.cuts,
                cap,
            });
        }
        for &(d, n) in &u.depts {
            let used = self.dept[d as usize * self.stride + ci];
            let cap = pb.dept_cap[d as usize];
            if used + n > cap {
                return Some(Breach::Department {
                    d,
                    w: c,
                    used,
                    add: n,
                    cap,
                });
            }
        }
        for &(k, r, a) in &u.ren {
            let w = ci - k as usize;
            let used = self.ren[r as usize * self.stride + w];
            if used + a > pb.ren_cap[r as usize] {
                return Some(Breach::Renewable {
                    r,
                    w: w as u32,
                    used,
                    add: a,
                });
            }
        }
        None
    }

    /// Target check of `u` at `c` over waves `from..=end`: in each wave the slack must hold
    /// what the unit's members started by then add.
    fn target_breach(&mut self, u: &Unit, c: u32, from: usize, end: usize) -> Option<Breach> {
        if self.trees.is_empty() || from > end {
            return None;
        }
        let ci = c as usize;
        // Fast path: even if everything placed had started by then, the unit fits.
        let all: [f64; 3] = u.tgt.iter().fold([0.0; 3], |mut a, (_, r)| {
            for j in 0..3 {
                a[j] += r[j];
            }
            a
        });
        if self
            .tgt_res
            .iter()
            .enumerate()
            .all(|(k, &j)| self.total[k] + all[j] <= self.floor[k][from])
        {
            return None;
        }
        for (s, k, v) in self.pending.drain(..) {
            self.trees[k].add(s, self.h + 1, v);
        }
        // Segment boundaries: `from`, each start after it, and `end + 1`.
        let mut acc = [0.0f64; 3];
        let mut a = from;
        let mut i = 0;
        while a <= end {
            while i < u.tgt.len() && ci - u.tgt[i].0 as usize <= a {
                for (x, y) in acc.iter_mut().zip(u.tgt[i].1) {
                    *x += y;
                }
                i += 1;
            }
            let b = u
                .tgt
                .get(i)
                .map_or(end + 1, |&(o, _)| (ci - o as usize).min(end + 1));
            for (t, &j) in self.trees.iter_mut().zip(&self.tgt_res) {
                let free = t.min(a, b);
                if free < acc[j] || free < 0.0 {
                    // The first wave of the segment that is short, for the reason's wording
                    // (only on a breach, so the fast path pays nothing).
                    let short = |t: &mut MinTree, x: usize| {
                        let f = t.min(a, x + 1);
                        f < acc[j] || f < 0.0
                    };
                    let (mut lo, mut hi) = (a, b - 1);
                    while lo < hi {
                        let mid = lo + (hi - lo) / 2;
                        if short(t, mid) {
                            hi = mid;
                        } else {
                            lo = mid + 1;
                        }
                    }
                    return Some(Breach::Target {
                        j,
                        w: lo as u32,
                        free,
                        add: acc[j],
                    });
                }
            }
            a = b;
        }
        None
    }

    /// Exact SPEC 4.4 check for a final placement: the plan's makespan is `m` and grows to
    /// `max(m, c)`; waves past `m` must then hold everything already placed too.
    pub(crate) fn breach_exact(
        &mut self,
        pb: &Problem,
        u: &Unit,
        c: u32,
        m: u32,
    ) -> Option<Breach> {
        self.per_wave_breach(pb, u, c).or_else(|| {
            let first = u
                .tgt
                .first()
                .map_or(usize::MAX, |&(o, _)| c as usize - o as usize);
            let from = if c > m {
                first.min(m as usize + 1)
            } else {
                first
            };
            self.target_breach(u, c, from, (m.max(c) as usize).min(self.h))
        })
    }

    /// Adds (`sign = 1`) or removes (`sign = -1`) unit `u` cutting over in `c`.
    pub(crate) fn apply(&mut self, u: &Unit, c: u32, sign: i32) {
        let ci = c as usize;
        let sf = f64::from(sign);
        self.cuts[ci] = self.cuts[ci].wrapping_add_signed(sign * u.cuts as i32);
        for &(d, n) in &u.depts {
            let x = &mut self.dept[d as usize * self.stride + ci];
            *x = x.wrapping_add_signed(sign * n as i32);
        }
        for &(k, r, a) in &u.ren {
            self.ren[r as usize * self.stride + ci - k as usize] += sf * a;
        }
        for &(off, res) in &u.tgt {
            let s = ci - off as usize;
            for (k, &j) in self.tgt_res.iter().enumerate() {
                if res[j] != 0.0 {
                    self.pending.push((s, k, -sf * res[j]));
                    self.total[k] += sf * res[j];
                }
            }
        }
    }
}
