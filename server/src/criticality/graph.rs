//! Dependents of projects over the package dependency graph, exact even
//! with cycles: strongly connected components (iterative Tarjan) condense
//! the graph into a DAG, then the set of projects each component reaches is
//! propagated from the sinks up as bitsets, `CHUNK_BITS` projects a pass,
//! two passes at once, so memory stays bounded (2 × components ×
//! CHUNK_BITS / 8 bytes: 100 MB at 200,000 packages).
//!
//! Counted for a project P: the packages u not of P such that u depends on
//! a package of P (direct) or reaches one through a chain of dependencies
//! (transitive, direct included). Edges come from one channel's
//! dependencies, so counts add up over every channel P is packaged in. Pure
//! code: no database, no framework.

/// Projects propagated per pass (a multiple of 64).
pub const CHUNK_BITS: usize = 2048;
const WORDS: usize = CHUNK_BITS / 64;
/// A node without a project.
pub const NO_PROJECT: u32 = u32::MAX;

/// Packages (dense indices 0..n) with their project (dense index, or
/// `NO_PROJECT`) and dependency edges (package → the package it depends on).
pub struct Graph {
    project: Vec<u32>,
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Graph {
    /// Builds the graph; edges out of range are ignored, self-loops and
    /// duplicates dropped.
    pub fn new(project: Vec<u32>, mut edges: Vec<(u32, u32)>) -> Self {
        let n = project.len();
        edges.retain(|&(a, b)| a != b && (a as usize) < n && (b as usize) < n);
        edges.sort_unstable();
        edges.dedup();
        let mut offsets = vec![0u32; n + 1];
        for &(a, _) in &edges {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let targets = edges.into_iter().map(|(_, b)| b).collect();
        Self { project, offsets, targets }
    }

    pub fn nodes(&self) -> usize {
        self.project.len()
    }

    /// Distinct edges (self-loops and duplicates dropped).
    pub fn edges(&self) -> usize {
        self.targets.len()
    }

    fn out(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }
}

/// The counts per project (indexed like the projects given), and facts
/// about the graph's cycles.
#[derive(Debug, Default, PartialEq)]
pub struct Dependents {
    pub direct: Vec<u64>,
    pub transitive: Vec<u64>,
    /// Components of more than one package.
    pub cycles: u64,
    /// Packages in the largest component.
    pub largest_cycle: u64,
}

/// Strongly connected components, numbered in the order Tarjan's algorithm
/// closes them: every edge leads to a component of the same or a lower
/// number (sinks first). Iterative: no recursion, whatever the depth.
pub fn components(g: &Graph) -> (Vec<u32>, usize) {
    const UNSEEN: u32 = u32::MAX;
    let n = g.nodes();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut comp = vec![UNSEEN; n];
    let mut next = 0u32;
    let mut count = 0usize;
    let mut calls: Vec<(u32, u32)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        calls.push((root as u32, g.offsets[root]));
        while let Some(top) = calls.last_mut() {
            let v = top.0 as usize;
            if top.1 < g.offsets[v + 1] {
                let w = g.targets[top.1 as usize] as usize;
                top.1 += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    calls.push((w as u32, g.offsets[w]));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                calls.pop();
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comp[w as usize] = count as u32;
                        if w as usize == v {
                            break;
                        }
                    }
                    count += 1;
                }
                if let Some(&(u, _)) = calls.last() {
                    low[u as usize] = low[u as usize].min(low[v]);
                }
            }
        }
    }
    (comp, count)
}

/// A list of lists in two vectors.
struct Lists {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    fn get(&self, i: usize) -> &[u32] {
        &self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// Direct and transitive dependents of each of `projects` projects.
pub fn dependents(g: &Graph, projects: usize) -> Dependents {
    let n = g.nodes();
    let mut out = Dependents { direct: vec![0; projects], transitive: vec![0; projects], ..Default::default() };

    // Direct: each package counts once for each other project it depends on.
    let mut seen_by = vec![u32::MAX; projects];
    for u in 0..n {
        let own = g.project[u];
        for &v in g.out(u) {
            let p = g.project[v as usize];
            if p != NO_PROJECT && p != own && (p as usize) < projects && seen_by[p as usize] != u as u32 {
                seen_by[p as usize] = u as u32;
                out.direct[p as usize] += 1;
            }
        }
    }

    // Only projects something depends on get a bit.
    let mut bit_of = vec![u32::MAX; projects];
    let mut project_of_bit: Vec<u32> = Vec::new();
    for &v in &g.targets {
        let p = g.project[v as usize];
        if p != NO_PROJECT && (p as usize) < projects && bit_of[p as usize] == u32::MAX {
            bit_of[p as usize] = project_of_bit.len() as u32;
            project_of_bit.push(p);
        }
    }
    if project_of_bit.is_empty() {
        return out;
    }

    let (comp, ncomp) = components(g);
    // Members of each component.
    let mut offsets = vec![0u32; ncomp + 1];
    for &c in &comp {
        offsets[c as usize + 1] += 1;
    }
    for i in 0..ncomp {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut items = vec![0u32; n];
    for (v, &c) in comp.iter().enumerate() {
        items[fill[c as usize] as usize] = v as u32;
        fill[c as usize] += 1;
    }
    let members = Lists { offsets, items };
    for c in 0..ncomp {
        let size = members.get(c).len() as u64;
        if size > 1 {
            out.cycles += 1;
            out.largest_cycle = out.largest_cycle.max(size);
        }
    }
    // The condensation: each component's distinct successor components.
    let mut succ = Lists { offsets: vec![0u32; ncomp + 1], items: Vec::new() };
    let mut seen = vec![u32::MAX; ncomp];
    for c in 0..ncomp {
        for &u in members.get(c) {
            for &v in g.out(u as usize) {
                let d = comp[v as usize];
                if d as usize != c && seen[d as usize] != c as u32 {
                    seen[d as usize] = c as u32;
                    succ.items.push(d);
                }
            }
        }
        succ.offsets[c + 1] = succ.items.len() as u32;
    }
    drop(seen);

    // full[c]: the projects of every package reachable from c, and of c's own
    // packages. Each package u of c then counts for every project of full[c]
    // but its own (its own project is always in full[c]: add |c|, take one
    // back per member).
    // Passes of CHUNK_BITS projects are independent: up to THREADS of them
    // run at once, each with its own bitsets (memory: THREADS × components ×
    // CHUNK_BITS / 8 bytes).
    let firsts: Vec<usize> = (0..project_of_bit.len()).step_by(CHUNK_BITS).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, THREADS).min(firsts.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let pass = Pass { g, members: &members, succ: &succ, bit_of: &bit_of, project_of_bit: &project_of_bit, ncomp };
    let partials: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut bits = vec![0u64; ncomp * WORDS];
                    let mut nonzero = vec![false; ncomp];
                    let mut transitive = vec![0u64; projects];
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&first) = firsts.get(i) else { break };
                        pass.run(first, &mut bits, &mut nonzero, &mut transitive);
                    }
                    transitive
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    for partial in partials {
        for (t, p) in out.transitive.iter_mut().zip(partial) {
            *t += p;
        }
    }
    out
}

/// Passes running at once.
const THREADS: usize = 2;

/// What every pass reads.
struct Pass<'a> {
    g: &'a Graph,
    members: &'a Lists,
    succ: &'a Lists,
    bit_of: &'a [u32],
    project_of_bit: &'a [u32],
    ncomp: usize,
}

impl Pass<'_> {
    /// The projects with bits `first..first + CHUNK_BITS`: each component's
    /// set, then its packages counted.
    fn run(&self, first: usize, bits: &mut [u64], nonzero: &mut [bool], transitive: &mut [u64]) {
        let last = (first + CHUNK_BITS).min(self.project_of_bit.len());
        let bit = |u: u32| {
            let p = self.g.project[u as usize];
            if p == NO_PROJECT {
                return None;
            }
            let b = self.bit_of[p as usize] as usize;
            (b != u32::MAX as usize && (first..last).contains(&b)).then(|| b - first)
        };
        nonzero.fill(false);
        for c in 0..self.ncomp {
            let (before, rest) = bits.split_at_mut(c * WORDS);
            let row = &mut rest[..WORDS];
            row.fill(0);
            let mut any = false;
            for &d in self.succ.get(c) {
                // Successors are closed before c: their rows are final.
                if nonzero[d as usize] {
                    let src = &before[d as usize * WORDS..(d as usize + 1) * WORDS];
                    for (w, s) in row.iter_mut().zip(src) {
                        *w |= *s;
                    }
                    any = true;
                }
            }
            let own = self.members.get(c);
            for &u in own {
                if let Some(b) = bit(u) {
                    row[b / 64] |= 1u64 << (b % 64);
                    any = true;
                }
            }
            if !any {
                continue;
            }
            nonzero[c] = true;
            let size = own.len() as u64;
            for (i, &word) in row.iter().enumerate() {
                let mut w = word;
                while w != 0 {
                    let b = first + i * 64 + w.trailing_zeros() as usize;
                    transitive[self.project_of_bit[b] as usize] += size;
                    w &= w - 1;
                }
            }
            for &u in own {
                if bit(u).is_some() {
                    transitive[self.g.project[u as usize] as usize] -= 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Transitive dependents by brute force: a walk from every package.
    fn brute(project: &[u32], edges: &[(u32, u32)], projects: usize) -> Dependents {
        let n = project.len();
        let mut out = Dependents { direct: vec![0; projects], transitive: vec![0; projects], ..Default::default() };
        for u in 0..n {
            let mut seen = vec![false; n];
            let mut todo: Vec<usize> =
                edges.iter().filter(|e| e.0 as usize == u && e.1 as usize != u).map(|e| e.1 as usize).collect();
            let direct: std::collections::BTreeSet<u32> =
                todo.iter().map(|&v| project[v]).filter(|&p| p != project[u] && p != NO_PROJECT).collect();
            for p in direct {
                out.direct[p as usize] += 1;
            }
            let mut reached = std::collections::BTreeSet::new();
            while let Some(v) = todo.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                reached.insert(project[v]);
                todo.extend(edges.iter().filter(|e| e.0 as usize == v).map(|e| e.1 as usize));
            }
            for p in reached {
                if p != project[u] && p != NO_PROJECT {
                    out.transitive[p as usize] += 1;
                }
            }
        }
        out
    }

    #[test]
    fn a_chain_and_a_cycle() {
        // 0 -> 1 -> 2 -> 3 -> 1 (cycle 1,2,3), 4 -> 0; project of 3 is the same as 1's.
        let project = vec![0, 1, 2, 1, 3];
        let edges = vec![(0, 1), (1, 2), (2, 3), (3, 1), (4, 0), (4, 4), (0, 1)];
        let d = dependents(&Graph::new(project.clone(), edges.clone()), 4);
        // project 1 = {1, 3}: dependents 0, 2, 4 (1 and 3 are its own).
        assert_eq!(d.transitive, vec![1, 3, 4, 0]);
        assert_eq!(d.direct, vec![1, 2, 1, 0]);
        assert_eq!(d.cycles, 1);
        assert_eq!(d.largest_cycle, 3);
        let b = brute(&project, &edges, 4);
        assert_eq!((d.direct, d.transitive), (b.direct, b.transitive));
    }

    #[test]
    fn deep_chains_do_not_overflow_the_stack() {
        let n = 200_000u32;
        let project: Vec<u32> = (0..n).collect();
        let mut edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i + 1, i)).collect();
        edges.push((0, n - 1)); // one cycle through everything
        let d = dependents(&Graph::new(project, edges), n as usize);
        assert!(d.transitive.iter().all(|&t| t == n as u64 - 1));
        assert_eq!(d.largest_cycle, n as u64);
    }

    #[test]
    fn random_graphs_match_a_brute_force_walk() {
        // A small deterministic generator: several chunks of projects are
        // exercised by shrinking nothing but using many projects.
        let mut seed = 0x9e3779b97f4a7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..20 {
            let n = 30 + (next() % 200) as usize;
            let projects = 1 + (next() as usize % n);
            let project: Vec<u32> = (0..n)
                .map(|i| if round % 3 == 0 && i % 7 == 0 { NO_PROJECT } else { (next() % projects as u64) as u32 })
                .collect();
            let m = next() as usize % (4 * n);
            let edges: Vec<(u32, u32)> =
                (0..m).map(|_| ((next() % n as u64) as u32, (next() % n as u64) as u32)).collect();
            let d = dependents(&Graph::new(project.clone(), edges.clone()), projects);
            let b = brute(&project, &edges, projects);
            assert_eq!(d.direct, b.direct, "round {round}");
            assert_eq!(d.transitive, b.transitive, "round {round}");
        }
    }

    #[test]
    fn more_projects_than_one_chunk() {
        // A star: CHUNK_BITS * 2 + 5 leaves, each its own project, all depended on by one root,
        // itself depended on by two packages.
        let leaves = CHUNK_BITS * 2 + 5;
        let mut project: Vec<u32> = (0..leaves as u32).collect();
        project.extend([leaves as u32, leaves as u32 + 1, leaves as u32 + 2]);
        let root = leaves as u32;
        let mut edges: Vec<(u32, u32)> = (0..leaves as u32).map(|l| (root, l)).collect();
        edges.extend([(root + 1, root), (root + 2, root)]);
        let d = dependents(&Graph::new(project, edges), leaves + 3);
        assert!(d.transitive[..leaves].iter().all(|&t| t == 3));
        assert!(d.direct[..leaves].iter().all(|&t| t == 1));
        assert_eq!(d.transitive[leaves], 2);
    }
}
