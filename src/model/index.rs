//! Typed positions in the inventory: a service's and a department's index are different
//! types, so neither can be passed where the other, a wave number or a count is meant.
//!
//! Either indexes any `Vec` or slice directly: the inventory's own lists and the
//! per-service (per-department) arrays every layer builds beside them.

use std::ops::{Index, IndexMut};

/// Defines an index newtype over `usize` with indexing into vectors and slices.
macro_rules! typed_index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            /// The index at position `i`.
            #[must_use]
            pub const fn new(i: usize) -> Self {
                Self(i)
            }

            /// The position, for arithmetic and for collections this type cannot index.
            #[must_use]
            pub const fn pos(self) -> usize {
                self.0
            }

            /// Every index below `n`, in order.
            pub fn all(n: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator {
                (0..n).map(Self)
            }
        }

        impl<T> Index<$name> for [T] {
            type Output = T;
            fn index(&self, i: $name) -> &T {
                &self[i.0]
            }
        }

        impl<T> IndexMut<$name> for [T] {
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.0]
            }
        }

        impl<T> Index<$name> for Vec<T> {
            type Output = T;
            fn index(&self, i: $name) -> &T {
                &self[i.0]
            }
        }

        impl<T> IndexMut<$name> for Vec<T> {
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.0]
            }
        }
    };
}

typed_index!(
    /// Index of a service in [`Inventory::services`](super::Inventory::services).
    ServiceIx
);
typed_index!(
    /// Index of a department in [`Inventory::departments`](super::Inventory::departments).
    DeptIx
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_reads_and_writes_the_element_at_its_position() {
        let mut v = vec!['a', 'b', 'c'];
        let all: Vec<ServiceIx> = ServiceIx::all(v.len()).collect();
        assert_eq!(all.iter().map(|i| i.pos()).collect::<Vec<_>>(), [0, 1, 2]);
        v[all[1]] = 'x';
        assert_eq!(v[ServiceIx::new(1)], 'x');
        assert_eq!(v.as_slice()[DeptIx::new(2)], 'c');
    }
}
