//! A span index over the annotations of a set: which annotations overlap a
//! range (the visible part of the article, one block) or contain a point (a
//! click), without scanning all of them.
//!
//! Structure: the spans `(start, end)` sorted exactly like
//! [`AnnotationSet::annotations`](super::set::AnnotationSet) (by start, then
//! end), plus a max-segment tree over their ends. A query `[s, e)` takes the
//! prefix of spans with `start < e` (binary search), then walks the tree
//! left to right, pruning every subtree whose largest end is `<= s`. It
//! visits `O(log n + k·log(n/k))` nodes for `k` results, in position order.
//!
//! Invariants:
//! - Position `i` of the index is position `i` of the slice it was built
//!   from (or kept in sync with): `spans()[i] == (a[i].start, a[i].end)`.
//!   Annotations with equal spans are interchangeable here, so inserting a
//!   span at its sorted place keeps the invariant whatever the ids are.
//! - Overlap follows [`AnnotationSet::overlapping`](super::set::AnnotationSet::overlapping):
//!   `[s, e)` with `s < e` matches spans with `start < e && s < end`; a
//!   point `p` (an empty range) matches spans with `start <= p < end`.
//! - Offsets are code points, end excluded, like everywhere in the core.
//!
//! Costs at 50,000 annotations: [`SpanIndex::build`] is one linear pass
//! over already sorted spans; [`SpanIndex::insert`] and
//! [`SpanIndex::remove`] shift the arrays after the edited position
//! (a memmove) and refresh the tree above the shifted leaves, a linear pass
//! over plain `usize`s that is cheaper than the set's own memmove of the
//! annotations.

use super::annotation::Annotation;

/// Position-ordered spans with a max-end segment tree; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    /// Span starts, sorted by `(start, end)`.
    starts: Vec<usize>,
    /// Span ends, in the same order as `starts`.
    ends: Vec<usize>,
    /// Number of leaves (a power of two, `>= starts.len()`), 0 when empty.
    cap: usize,
    /// `tree[cap + i] = ends[i]` (0 past the last span); `tree[k]` is the
    /// max of its children. An end of 0 never overlaps anything, so it is
    /// the neutral element.
    tree: Vec<usize>,
}

impl SpanIndex {
    /// Builds the index of annotations sorted by position (as
    /// `AnnotationSet::annotations` always is).
    pub fn build(annotations: &[Annotation]) -> SpanIndex {
        let mut index = SpanIndex::default();
        index.rebuild(annotations);
        index
    }

    /// Builds the index from `(start, end)` pairs in any order.
    pub fn from_spans(mut spans: Vec<(usize, usize)>) -> SpanIndex {
        spans.sort_unstable();
        let mut index = SpanIndex {
            starts: spans.iter().map(|s| s.0).collect(),
            ends: spans.iter().map(|s| s.1).collect(),
            cap: 0,
            tree: Vec::new(),
        };
        index.rebuild_tree();
        index
    }

    /// Rebuilds from annotations sorted by position, reusing the
    /// allocations (one linear pass). Use after a command whose effect on
    /// spans is unknown (batches, undo of a tag deletion…).
    pub fn rebuild(&mut self, annotations: &[Annotation]) {
        self.starts.clear();
        self.ends.clear();
        self.starts.extend(annotations.iter().map(|a| a.start));
        self.ends.extend(annotations.iter().map(|a| a.end));
        let sorted = self
            .starts
            .iter()
            .zip(&self.ends)
            .zip(self.starts.iter().zip(&self.ends).skip(1))
            .all(|(a, b)| a <= b);
        if !sorted {
            // Not sorted by position: keep the index correct anyway (its
            // positions then no longer match the slice's).
            let mut spans: Vec<(usize, usize)> = self
                .starts
                .iter()
                .copied()
                .zip(self.ends.iter().copied())
                .collect();
            spans.sort_unstable();
            self.starts = spans.iter().map(|s| s.0).collect();
            self.ends = spans.iter().map(|s| s.1).collect();
        }
        self.rebuild_tree();
    }

    fn rebuild_tree(&mut self) {
        let n = self.starts.len();
        self.cap = if n == 0 { 0 } else { n.next_power_of_two() };
        self.tree.clear();
        self.tree.resize(2 * self.cap, 0);
        self.tree[self.cap..self.cap + n].copy_from_slice(&self.ends);
        for k in (1..self.cap).rev() {
            self.tree[k] = self.tree[2 * k].max(self.tree[2 * k + 1]);
        }
    }

    /// Recomputes the leaves `lo..cap` from `ends` and their ancestors.
    fn refresh_from(&mut self, lo: usize) {
        let n = self.ends.len();
        if self.cap == 0 {
            return;
        }
        for i in lo..self.cap {
            self.tree[self.cap + i] = if i < n { self.ends[i] } else { 0 };
        }
        let (mut l, mut r) = ((self.cap + lo) / 2, (2 * self.cap - 1) / 2);
        while l >= 1 {
            for k in l..=r {
                self.tree[k] = self.tree[2 * k].max(self.tree[2 * k + 1]);
            }
            if l == 1 {
                break;
            }
            l /= 2;
            r /= 2;
        }
    }

    /// Number of spans.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when there are no spans.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The span at position `i`.
    pub fn span(&self, i: usize) -> Option<(usize, usize)> {
        Some((*self.starts.get(i)?, *self.ends.get(i)?))
    }

    /// All spans in position order.
    pub fn spans(&self) -> impl ExactSizeIterator<Item = (usize, usize)> + '_ {
        self.starts.iter().copied().zip(self.ends.iter().copied())
    }

    /// Where a span `(start, end)` goes (before equal spans).
    fn lower_bound(&self, start: usize, end: usize) -> usize {
        let lo = self.starts.partition_point(|&s| s < start);
        let hi = lo + self.starts[lo..].partition_point(|&s| s == start);
        lo + self.ends[lo..hi].partition_point(|&e| e < end)
    }

    /// Adds a span at its sorted place and returns that position — the
    /// position the annotation takes in the set when inserted with
    /// `insert_sorted` (up to the order among equal spans).
    pub fn insert(&mut self, start: usize, end: usize) -> usize {
        let i = self.lower_bound(start, end);
        self.starts.insert(i, start);
        self.ends.insert(i, end);
        if self.ends.len() > self.cap {
            self.rebuild_tree();
        } else {
            self.refresh_from(i);
        }
        i
    }

    /// Removes one span equal to `(start, end)` and returns its position,
    /// or `None` when there is none.
    pub fn remove(&mut self, start: usize, end: usize) -> Option<usize> {
        let i = self.lower_bound(start, end);
        if self.span(i) != Some((start, end)) {
            return None;
        }
        self.starts.remove(i);
        self.ends.remove(i);
        self.refresh_from(i);
        Some(i)
    }

    /// Positions of the spans overlapping `[start, end)`, ascending (see
    /// the module docs for the rule; an empty range is a point query).
    pub fn overlapping(&self, start: usize, end: usize) -> Overlapping<'_> {
        let (limit_start, above) = if start < end {
            (end, start)
        } else {
            (start.saturating_add(1), start)
        };
        let limit = self.starts.partition_point(|&s| s < limit_start);
        let mut stack = Vec::new();
        if limit > 0 && self.cap > 0 {
            stack.push((1, 0, self.cap));
        }
        Overlapping {
            index: self,
            limit,
            above,
            stack,
        }
    }

    /// Positions of the spans containing code point `point`
    /// (`start <= point < end`), ascending: what a click hits.
    pub fn at(&self, point: usize) -> Overlapping<'_> {
        self.overlapping(point, point)
    }

    /// The largest end of the spans at positions `< limit`, 0 when none.
    /// Useful to know how far the annotations starting before a block reach.
    pub fn max_end_before(&self, limit: usize) -> usize {
        let limit = limit.min(self.len());
        if limit == 0 {
            return 0;
        }
        let (mut l, mut r) = (self.cap, self.cap + limit);
        let mut best = 0;
        while l < r {
            if l & 1 == 1 {
                best = best.max(self.tree[l]);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                best = best.max(self.tree[r]);
            }
            l /= 2;
            r /= 2;
        }
        best
    }
}

/// Two indexes are equal when they hold the same spans (tree capacity is an
/// implementation detail).
impl PartialEq for SpanIndex {
    fn eq(&self, other: &SpanIndex) -> bool {
        self.starts == other.starts && self.ends == other.ends
    }
}

impl Eq for SpanIndex {}

/// Iterator over the positions returned by [`SpanIndex::overlapping`].
#[derive(Debug, Clone)]
pub struct Overlapping<'a> {
    index: &'a SpanIndex,
    /// Only positions `< limit` qualify (their start is before the range's
    /// end).
    limit: usize,
    /// Only spans whose end is `> above` qualify.
    above: usize,
    /// Tree nodes still to visit: `(node, first leaf, one past last leaf)`.
    stack: Vec<(usize, usize, usize)>,
}

impl Iterator for Overlapping<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let tree = &self.index.tree;
        while let Some((node, lo, hi)) = self.stack.pop() {
            if lo >= self.limit || tree[node] <= self.above {
                continue;
            }
            if hi - lo == 1 {
                return Some(lo);
            }
            let mid = (lo + hi) / 2;
            self.stack.push((2 * node + 1, mid, hi));
            self.stack.push((2 * node, lo, mid));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::{AnnotationSet, SourceRef};
    use crate::core::text::Text;
    use proptest::prelude::*;

    fn oracle(spans: &[(usize, usize)], s: usize, e: usize) -> Vec<usize> {
        spans
            .iter()
            .enumerate()
            .filter(|&(_, &(a, b))| {
                if s == e {
                    a <= s && s < b
                } else {
                    a < e && s < b
                }
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn sorted(mut v: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
        v.sort_unstable();
        v
    }

    fn span_strategy() -> impl Strategy<Value = (usize, usize)> {
        (0usize..200, 0usize..40).prop_map(|(s, l)| (s, s + l))
    }

    proptest! {
        #[test]
        fn queries_match_brute_force(
            spans in prop::collection::vec(span_strategy(), 0..120),
            queries in prop::collection::vec((0usize..260, 0usize..50), 1..30),
        ) {
            let index = SpanIndex::from_spans(spans.clone());
            let spans = sorted(spans);
            prop_assert_eq!(index.spans().collect::<Vec<_>>(), spans.clone());
            for (s, l) in queries {
                let got: Vec<usize> = index.overlapping(s, s + l).collect();
                prop_assert_eq!(got, oracle(&spans, s, s + l), "range {}..{}", s, s + l);
                let at: Vec<usize> = index.at(s).collect();
                prop_assert_eq!(at, oracle(&spans, s, s));
                let limit = s % (spans.len() + 1);
                let max = spans[..limit].iter().map(|x| x.1).max().unwrap_or(0);
                prop_assert_eq!(index.max_end_before(limit), max);
            }
        }

        #[test]
        fn edits_keep_the_index_equal_to_a_rebuild(
            initial in prop::collection::vec(span_strategy(), 0..60),
            edits in prop::collection::vec((any::<bool>(), span_strategy(), any::<prop::sample::Index>()), 1..60),
        ) {
            let mut index = SpanIndex::from_spans(initial.clone());
            let mut model = sorted(initial);
            for (add, span, pick) in edits {
                if add || model.is_empty() {
                    let i = index.insert(span.0, span.1);
                    model.push(span);
                    model.sort_unstable();
                    prop_assert_eq!(model[i], span);
                } else {
                    let victim = model[pick.index(model.len())];
                    let i = index.remove(victim.0, victim.1);
                    prop_assert!(i.is_some());
                    let j = model.iter().position(|x| *x == victim).unwrap();
                    model.remove(j);
                    prop_assert_eq!(i, Some(j));
                    prop_assert_eq!(index.remove(9999, 10000), None);
                }
                prop_assert_eq!(&index, &SpanIndex::from_spans(model.clone()));
                for k in 0..=model.len() {
                    let max = model[..k].iter().map(|x| x.1).max().unwrap_or(0);
                    prop_assert_eq!(index.max_end_before(k), max);
                }
                for q in [0usize, 17, 60, 150, 230] {
                    let got: Vec<usize> = index.overlapping(q, q + 25).collect();
                    prop_assert_eq!(got, oracle(&model, q, q + 25));
                }
            }
        }
    }

    /// Positions match the set's own order and `AnnotationSet::overlapping`.
    #[test]
    fn positions_are_set_positions() {
        let text = Text::new("The ISI met the CIA in Doha; “talks” went on — اردو.".into());
        let mut set = AnnotationSet::new(SourceRef::default());
        for (i, (s, e)) in [
            (4, 7),
            (0, 3),
            (16, 19),
            (4, 19),
            (20, 27),
            (30, 36),
            (4, 7),
        ]
        .into_iter()
        .enumerate()
        {
            set.insert_sorted(Annotation::new(format!("a{i}"), &text, s, e, "t"));
        }
        let index = SpanIndex::build(set.annotations());
        for (s, e) in [(0, 50), (5, 6), (17, 17), (19, 20), (3, 4), (40, 60)] {
            let want: Vec<&str> = set.overlapping(s, e).map(|a| a.id.as_str()).collect();
            let got: Vec<&str> = index
                .overlapping(s, e)
                .map(|i| set.annotations()[i].id.as_str())
                .collect();
            assert_eq!(got, want, "{s}..{e}");
        }
        assert_eq!(index.at(5).count(), 3);
        assert!(SpanIndex::build(&[]).overlapping(0, 10).next().is_none());
    }
}
