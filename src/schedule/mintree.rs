//! A segment tree over waves with range add and range minimum, both O(log n).
//!
//! Owns the cumulative target slack so a placement costs a few dozen operations, not a pass
//! over every wave. Must not know what the values mean.

/// Range-add / range-min tree over indices `0..len`.
#[derive(Debug, Clone)]
pub(crate) struct MinTree {
    size: usize,
    t: Vec<f64>,
    lazy: Vec<f64>,
}

impl MinTree {
    /// A tree holding `values`.
    pub(crate) fn new(values: &[f64]) -> Self {
        let size = values.len().next_power_of_two().max(2);
        let mut tree = Self {
            size,
            t: vec![f64::INFINITY; 2 * size],
            lazy: vec![0.0; size],
        };
        tree.reset(values);
        tree
    }

    /// Replaces every value.
    pub(crate) fn reset(&mut self, values: &[f64]) {
        self.t[self.size..]
            .iter_mut()
            .for_each(|x| *x = f64::INFINITY);
        self.t[self.size..self.size + values.len()].copy_from_slice(values);
        self.lazy.iter_mut().for_each(|x| *x = 0.0);
        for i in (1..self.size).rev() {
            self.t[i] = self.t[2 * i].min(self.t[2 * i + 1]);
        }
    }

    fn apply(&mut self, p: usize, v: f64) {
        self.t[p] += v;
        if p < self.size {
            self.lazy[p] += v;
        }
    }

    fn rebuild(&mut self, mut p: usize) {
        while p > 1 {
            p >>= 1;
            self.t[p] = self.t[2 * p].min(self.t[2 * p + 1]) + self.lazy[p];
        }
    }

    /// Adds `v` to every index in `l..r`.
    pub(crate) fn add(&mut self, l: usize, r: usize, v: f64) {
        if l >= r {
            return;
        }
        let (mut a, mut b) = (l + self.size, r + self.size);
        let (a0, b0) = (a, b);
        while a < b {
            if a & 1 == 1 {
                self.apply(a, v);
                a += 1;
            }
            if b & 1 == 1 {
                b -= 1;
                self.apply(b, v);
            }
            a >>= 1;
            b >>= 1;
        }
        self.rebuild(a0);
        self.rebuild(b0 - 1);
    }

    /// Minimum over `l..r` (+inf when empty). Pushes pending adds down the two boundary
    /// paths first, so the loop over the covering nodes reads them as they are (iterative:
    /// the scheduler asks this for nearly every placement it tries).
    pub(crate) fn min(&mut self, l: usize, r: usize) -> f64 {
        if l >= r {
            return f64::INFINITY;
        }
        let (mut a, mut b) = (l + self.size, r + self.size);
        self.push(a);
        self.push(b - 1);
        let mut res = f64::INFINITY;
        while a < b {
            if a & 1 == 1 {
                res = res.min(self.t[a]);
                a += 1;
            }
            if b & 1 == 1 {
                b -= 1;
                res = res.min(self.t[b]);
            }
            a >>= 1;
            b >>= 1;
        }
        res
    }

    /// Moves the pending adds of `p`'s ancestors (root first) into their children.
    fn push(&mut self, p: usize) {
        let height = self.size.trailing_zeros();
        for s in (1..=height).rev() {
            let i = p >> s;
            let d = self.lazy[i];
            if d != 0.0 {
                self.apply(2 * i, d);
                self.apply(2 * i + 1, d);
                self.lazy[i] = 0.0;
            }
        }
    }

    /// The value at `i`.
    #[cfg(test)]
    pub(crate) fn get(&mut self, i: usize) -> f64 {
        self.min(i, i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_a_plain_vector(init in proptest::collection::vec(0.0f64..100.0, 1..40),
                                      ops in proptest::collection::vec((0usize..40, 0usize..40, -5.0f64..5.0), 0..60)) {
            let mut plain = init.clone();
            let mut tree = MinTree::new(&init);
            for (a, b, v) in ops {
                let (a, b) = (a % plain.len(), b % plain.len());
                let (l, r) = (a.min(b), a.max(b) + 1);
                tree.add(l, r, v);
                plain[l..r].iter_mut().for_each(|x| *x += v);
                let m = plain[l..r].iter().copied().fold(f64::INFINITY, f64::min);
                prop_assert!((tree.min(l, r) - m).abs() < 1e-9);
                prop_assert!((tree.get(l) - plain[l]).abs() < 1e-9);
            }
        }
    }
}
