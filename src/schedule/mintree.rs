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

    /// Minimum over `l..r` (+inf when empty).
    pub(crate) fn min(&self, l: usize, r: usize) -> f64 {
        if l >= r {
            return f64::INFINITY;
        }
        self.query(1, 0, self.size, l, r, 0.0)
    }

    /// A node's stored minimum lacks only its ancestors' pending adds, carried in `acc`.
    fn query(&self, node: usize, nl: usize, nr: usize, l: usize, r: usize, acc: f64) -> f64 {
        if r <= nl || nr <= l {
            return f64::INFINITY;
        }
        if l <= nl && nr <= r {
            return self.t[node] + acc;
        }
        let acc = acc + self.lazy[node];
        let mid = (nl + nr) / 2;
        self.query(2 * node, nl, mid, l, r, acc)
            .min(self.query(2 * node + 1, mid, nr, l, r, acc))
    }

    /// The value at `i`.
    #[cfg(test)]
    pub(crate) fn get(&self, i: usize) -> f64 {
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
