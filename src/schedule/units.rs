//! Strongly connected components over the "cut over no later than" relation.
//!
//! Owns the grouping of migrating services into units that must share one cutover wave.
//! Must not look at capacities or the calendar.

/// Strongly connected components of a graph given as CSR (`start[v]..start[v+1]` into `adj`).
///
/// Returns the component of every vertex and the number of components. Iterative Tarjan, so
/// a 100,000-vertex chain does not overflow the stack.
pub(crate) fn strongly_connected(n: usize, start: &[usize], adj: &[u32]) -> (Vec<u32>, usize) {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut call: Vec<(u32, usize)> = Vec::new();
    let mut next_index = 0u32;
    let mut n_comp = 0usize;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        call.push((root as u32, start[root]));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            let v = v as usize;
            if *pos < start[v + 1] {
                let w = adj[*pos] as usize;
                *pos += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    call.push((w as u32, start[w]));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    let p = parent as usize;
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comp[w as usize] = n_comp as u32;
                        if w as usize == v {
                            break;
                        }
                    }
                    n_comp += 1;
                }
            }
        }
    }
    (comp, n_comp)
}

/// Builds CSR adjacency from an arc list over `n` vertices (arcs keep their input order).
pub(crate) fn csr(n: usize, arcs: &[(u32, u32)]) -> (Vec<usize>, Vec<u32>) {
    let mut start = vec![0usize; n + 1];
    for &(a, _) in arcs {
        start[a as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut adj = vec![0u32; arcs.len()];
    for &(a, b) in arcs {
        adj[fill[a as usize]] = b;
        fill[a as usize] += 1;
    }
    (start, adj)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_become_one_component() {
        let arcs = [(0, 1), (1, 2), (2, 0), (2, 3)];
        let (s, a) = csr(4, &arcs);
        let (comp, n) = strongly_connected(4, &s, &a);
        assert_eq!(n, 2);
        assert_eq!(comp[0], comp[1]);
        assert_eq!(comp[1], comp[2]);
        assert_ne!(comp[2], comp[3]);
    }

    #[test]
    fn long_chain_does_not_overflow() {
        let n = 200_000;
        let arcs: Vec<(u32, u32)> = (0..n - 1).map(|i| (i as u32, i as u32 + 1)).collect();
        let (s, a) = csr(n, &arcs);
        let (_, k) = strongly_connected(n, &s, &a);
        assert_eq!(k, n);
    }
}
