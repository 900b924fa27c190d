//! Resource profiles over waves: what placed units use, and whether another unit fits.
//!
//! Owns the capacity side of SPEC 4.3 and 4.4 for the search. Must not look at precedence,
//! windows or the calendar (see `Problem::calendar_ok`).

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
    /// Target resource `j` in wave `w`: free, adding.
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
    /// Target capacity minus use, per resource, waves 0..=h+1.
    slack: [Vec<f64>; 3],
    /// `min(slack[w..=tgt_end])`; +inf past `tgt_end`.
    sufmin: [Vec<f64>; 3],
    has_tgt: bool,
    tgt_end: usize,
}

impl Profile {
    /// An empty profile for `pb`.
    pub(crate) fn new(pb: &Problem) -> Self {
        let h = pb.h as usize;
        let stride = h + 2;
        let mut slack: [Vec<f64>; 3] = [
            vec![f64::INFINITY; stride],
            vec![f64::INFINITY; stride],
            vec![f64::INFINITY; stride],
        ];
        if let Some(caps) = &pb.tgt_cap {
            for (w, cap) in caps.iter().enumerate() {
                for j in 0..3 {
                    slack[j][w] = cap[j];
                }
            }
        }
        let mut p = Self {
            stride,
            h,
            ren: vec![0.0; pb.ren_cap.len() * stride],
            cuts: vec![0; stride],
            dept: vec![0; pb.dept_cap.len() * stride],
            sufmin: slack.clone(),
            slack,
            has_tgt: pb.tgt_cap.is_some(),
            tgt_end: h,
        };
        p.refresh_sufmin();
        p
    }

    /// Empties the profile, keeping its buffers.
    pub(crate) fn reset(&mut self, pb: &Problem) {
        self.ren.iter_mut().for_each(|x| *x = 0.0);
        self.cuts.iter_mut().for_each(|x| *x = 0);
        self.dept.iter_mut().for_each(|x| *x = 0);
        if let Some(caps) = &pb.tgt_cap {
            for (w, cap) in caps.iter().enumerate() {
                for j in 0..3 {
                    self.slack[j][w] = cap[j];
                }
            }
            self.tgt_end = self.h;
            self.refresh_sufmin();
        }
    }

    /// Checks target use only up to wave `end` (the makespan when it is fixed).
    pub(crate) fn set_target_end(&mut self, end: u32) {
        self.tgt_end = (end as usize).min(self.h);
        if self.has_tgt {
            self.refresh_sufmin();
        }
    }

    fn refresh_sufmin(&mut self) {
        for j in 0..3 {
            let (sl, sm) = (&self.slack[j], &mut self.sufmin[j]);
            let mut m = f64::INFINITY;
            for w in (self.tgt_end + 1)..self.stride {
                sm[w] = f64::INFINITY;
            }
            for w in (0..=self.tgt_end).rev() {
                m = m.min(sl[w]);
                sm[w] = m;
            }
        }
    }

    /// Whether unit `u` cutting over in `c` fits every capacity (target checked from each
    /// start to the target end). `c` must be in `u.dur..=h`.
    #[inline]
    pub(crate) fn fits(&self, pb: &Problem, u: &Unit, c: u32) -> bool {
        self.breach(pb, u, c).is_none()
    }

    /// The first capacity unit `u` would break by cutting over in `c`, if any.
    pub(crate) fn breach(&self, pb: &Problem, u: &Unit, c: u32) -> Option<Breach> {
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
        if self.has_tgt && !u.tgt.is_empty() {
            return self.target_breach(u, c, self.tgt_end);
        }
        None
    }

    /// Target check of `u` at `c` over waves from its first start to `end`.
    fn target_breach(&self, u: &Unit, c: u32, end: usize) -> Option<Breach> {
        let ci = c as usize;
        let mut acc = [0.0f64; 3];
        for (i, &(off, res)) in u.tgt.iter().enumerate() {
            let s = ci - off as usize;
            for j in 0..3 {
                acc[j] += res[j];
            }
            let next = u
                .tgt
                .get(i + 1)
                .map_or(usize::MAX, |&(o, _)| ci - o as usize);
            for j in 0..3 {
                if acc[j] <= 0.0 {
                    continue;
                }
                if next == usize::MAX {
                    if s <= end && self.sufmin_to(j, s, end) < acc[j] {
                        let w = (s..=end).find(|&w| self.slack[j][w] < acc[j]).unwrap_or(s);
                        return Some(Breach::Target {
                            j,
                            w: w as u32,
                            free: self.slack[j][w],
                            add: acc[j],
                        });
                    }
                } else {
                    for w in s..next.min(end + 1) {
                        if self.slack[j][w] < acc[j] {
                            return Some(Breach::Target {
                                j,
                                w: w as u32,
                                free: self.slack[j][w],
                                add: acc[j],
                            });
                        }
                    }
                }
            }
        }
        None
    }

    fn sufmin_to(&self, j: usize, s: usize, end: usize) -> f64 {
        if end == self.tgt_end {
            self.sufmin[j][s]
        } else {
            self.slack[j][s..=end]
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min)
        }
    }

    /// Exact SPEC 4.4 check for a final placement: the plan's makespan is `m` and grows to
    /// `max(m, c)`; waves past `m` must then hold everything already placed too.
    pub(crate) fn breach_exact(&self, pb: &Problem, u: &Unit, c: u32, m: u32) -> Option<Breach> {
        let saved_tgt = self.has_tgt;
        if saved_tgt {
            // Capacity other than target, via the ordinary check with target switched off.
            let mut copy_check = None;
            let ci = c as usize;
            let cap = pb.cut_cap[ci];
            if cap != NONE && self.cuts[ci] + u.cuts > cap {
                copy_check = Some(Breach::Cutovers {
                    w: c,
                    used: self.cuts[ci],
                    add: u.cuts,
                    cap,
                });
            }
            if copy_check.is_none() {
                for &(d, n) in &u.depts {
                    let used = self.dept[d as usize * self.stride + ci];
                    let cap = pb.dept_cap[d as usize];
                    if used + n > cap {
                        copy_check = Some(Breach::Department {
                            d,
                            w: c,
                            used,
                            add: n,
                            cap,
                        });
                        break;
                    }
                }
            }
            if copy_check.is_none() {
                for &(k, r, a) in &u.ren {
                    let w = ci - k as usize;
                    let used = self.ren[r as usize * self.stride + w];
                    if used + a > pb.ren_cap[r as usize] {
                        copy_check = Some(Breach::Renewable {
                            r,
                            w: w as u32,
                            used,
                            add: a,
                        });
                        break;
                    }
                }
            }
            if copy_check.is_some() {
                return copy_check;
            }
            let new_m = m.max(c) as usize;
            // Waves already past the makespan must hold what is placed; the unit adds on top.
            for w in (m as usize + 1)..=new_m {
                for j in 0..3 {
                    let add: f64 = u
                        .tgt
                        .iter()
                        .filter(|&&(o, _)| ci - o as usize <= w)
                        .map(|(_, r)| r[j])
                        .sum();
                    if self.slack[j][w] < add || self.slack[j][w] < 0.0 {
                        return Some(Breach::Target {
                            j,
                            w: w as u32,
                            free: self.slack[j][w],
                            add,
                        });
                    }
                }
            }
            return self.target_breach(u, c, new_m.min(self.h));
        }
        self.breach(pb, u, c)
    }

    /// Adds (`sign = 1`) or removes (`sign = -1`) unit `u` cutting over in `c`.
    pub(crate) fn apply(&mut self, pb: &Problem, u: &Unit, c: u32, sign: i32) {
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
        if self.has_tgt && !u.tgt.is_empty() {
            for &(off, res) in &u.tgt {
                let s = ci - off as usize;
                for j in 0..3 {
                    if res[j] != 0.0 {
                        for x in &mut self.slack[j][s..=self.h] {
                            *x -= sf * res[j];
                        }
                    }
                }
            }
            self.refresh_sufmin();
        }
        let _ = pb;
    }
}
