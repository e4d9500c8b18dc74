//! Read-only questions the editor asks about a set: which annotation spans
//! exactly the selection, which one a click hits, which one `N`/`P` visit
//! next, which ones overlap the caret.
//!
//! Invariants:
//! - Offsets are code points of the decoded text, half-open `[start, end)`.
//! - Nothing here changes the set; answers borrow from it.
//! - "Set order" is the order of [`AnnotationSet::annotations`]: by
//!   `(start, end, id)`.
//! - Functions taking a [`SpanIndex`] expect it built from (or kept in sync
//!   with) `set.annotations` (see [`crate::core::index`]). Positions it
//!   returns past the end of the set are ignored, and every hit is checked
//!   against the annotation itself, so a stale index gives fewer answers,
//!   never wrong ones or a panic.

use super::annotation::Annotation;
use super::codebook::{Codebook, TagKind};
use super::index::SpanIndex;
use super::set::AnnotationSet;
use std::collections::HashSet;

/// The annotation spanning exactly `start..end` (the first in set order
/// when several do).
pub fn exact_annotation(set: &AnnotationSet, start: usize, end: usize) -> Option<&Annotation> {
    let lo = set.annotations().partition_point(|a| a.start < start);
    set.annotations()[lo..]
        .iter()
        .take_while(|a| a.start == start)
        .find(|a| a.end == end)
}

/// What a click at code point `cp` selects: of the annotations containing
/// it (`start <= cp < end`), the shortest; on a tie the first in set order.
pub fn annotation_at<'a>(
    set: &'a AnnotationSet,
    index: &SpanIndex,
    cp: usize,
) -> Option<&'a Annotation> {
    index
        .overlapping(cp, cp)
        .filter_map(|i| set.annotations().get(i))
        .filter(|a| a.start <= cp && cp < a.end)
        .min_by_key(|a| a.end - a.start)
}

/// Which way `N` (forward) and `P` (backward) go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Towards the end of the text.
    Forward,
    /// Towards the start of the text.
    Backward,
}

/// The annotation `N`/`P` go to: the next (or previous) one in set order
/// that `keep` accepts, wrapping around the end (or start).
///
/// The search starts after (before) the annotation `current` names when it
/// is in the set, and comes back to that annotation last. Otherwise it
/// starts at `point` (the caret): forward with the first annotation
/// starting at or after it, backward with the last one starting before it.
pub fn next_annotation<'a>(
    set: &'a AnnotationSet,
    current: Option<&str>,
    point: usize,
    direction: Direction,
    keep: impl Fn(&Annotation) -> bool,
) -> Option<&'a Annotation> {
    let anns = set.annotations();
    let n = anns.len();
    if n == 0 {
        return None;
    }
    let current = current.and_then(|id| set.index_of(id));
    // `from` is the first position visited forward, or one past the first
    // one visited backward; both lie in `0..=n`.
    let from = match (current, direction) {
        (Some(i), Direction::Forward) => i + 1,
        (Some(i), Direction::Backward) => i,
        (None, _) => anns.partition_point(|a| a.start < point),
    };
    (0..n)
        .map(|k| match direction {
            Direction::Forward => (from + k) % n,
            Direction::Backward => (from + n - 1 - k) % n,
        })
        .map(|i| &anns[i])
        .find(|a| keep(a))
}

/// A `keep` filter for [`next_annotation`]: true for the annotations that
/// carry tag `(kind, name)` or one of its descendants in `codebook` (what
/// focusing a tag in the codebook panel visits). The filter owns the
/// expanded names: it does not borrow the codebook.
pub fn tag_focus(
    codebook: &Codebook,
    kind: TagKind,
    name: &str,
) -> impl Fn(&Annotation) -> bool + use<> {
    let names: HashSet<String> = codebook.with_descendants(kind, name).into_iter().collect();
    move |a: &Annotation| a.tags(kind).iter().any(|t| names.contains(t))
}

/// One of the annotations at the caret, as chosen by [`cycle_overlapping`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    /// Position of the chosen annotation in `set.annotations`.
    pub index: usize,
    /// Its place (0-based) among the annotations at the caret.
    pub position: usize,
    /// How many annotations are at the caret.
    pub count: usize,
}

/// The annotation `Tab` selects at the caret `point`, and which of how many
/// it is.
///
/// The annotations at the caret are those with `start <= point <
/// max(end, start + 1)` (so a zero-length one counts at its start), in set
/// order; when there are none and `point > 0`, those ending exactly at
/// `point` (the caret right after an annotation's last character). The
/// choice is the one after `current` among them (wrapping), else the
/// first. `None` when no annotation is at the caret.
///
/// Costs `O(log n + k)` for `k` annotations at the caret, through `index`.
pub fn cycle_overlapping(
    set: &AnnotationSet,
    index: &SpanIndex,
    point: usize,
    current: Option<&str>,
) -> Option<Overlap> {
    let anns = &set.annotations();
    // Non-empty annotations containing the point...
    let mut hits: Vec<usize> = index
        .at(point)
        .filter(|&i| {
            anns.get(i)
                .is_some_and(|a| a.start <= point && point < a.end)
        })
        .collect();
    // ...and zero-length ones at it: in set order, they come right before
    // the non-empty ones starting at `point`.
    let lo = anns.partition_point(|a| a.start < point);
    let empties = anns[lo..]
        .iter()
        .take_while(|a| a.start == point && a.end == point)
        .count();
    if empties > 0 {
        let at = hits.partition_point(|&i| i < lo);
        hits.splice(at..at, lo..lo + empties);
    }
    if hits.is_empty() && point > 0 {
        // Nothing contains the point, so whatever contains `point - 1`
        // ends exactly at `point`.
        hits = index
            .at(point - 1)
            .filter(|&i| {
                anns.get(i)
                    .is_some_and(|a| a.start < point && a.end == point)
            })
            .collect();
    }
    let count = hits.len();
    let position = current
        .and_then(|id| hits.iter().position(|&i| anns[i].id == id))
        .map_or(0, |p| (p + 1) % count.max(1));
    Some(Overlap {
        index: *hits.get(position)?,
        position,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codebook::{PALETTE, Tag};
    use crate::core::markup;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    /// A set with one annotation per range marked in `marked`, ids `a1`,
    /// `a2`… in order of the marks' `(start, end)`, plus the carets (empty
    /// marks), returned separately.
    fn setup(marked: &str) -> (Text, AnnotationSet, Vec<usize>) {
        let (text, ranges) = markup::parse(marked);
        let mut set = AnnotationSet::new(SourceRef::default());
        let mut carets = Vec::new();
        let mut k = 0;
        for (s, e) in ranges {
            if s == e {
                carets.push(s);
            } else {
                k += 1;
                set.insert_sorted(Annotation::new(format!("a{k}"), &text, s, e, "t"));
            }
        }
        (text, set, carets)
    }

    fn id(a: Option<&Annotation>) -> Option<&str> {
        a.map(|a| a.id.as_str())
    }

    #[test]
    fn exact_annotation_needs_both_ends() {
        let (_, set, _) = setup("[The [ISI]] met [the CIA]");
        assert_eq!(set.annotations().len(), 3);
        let quote = |s, e| exact_annotation(&set, s, e).map(|a| a.quote.as_str());
        assert_eq!(quote(4, 7), Some("ISI"));
        assert_eq!(quote(0, 7), Some("The ISI"));
        assert_eq!(quote(12, 19), Some("the CIA"));
        assert_eq!(quote(0, 3), None);
        assert_eq!(quote(4, 8), None);
        assert_eq!(quote(99, 99), None);
    }

    #[test]
    fn a_click_selects_the_shortest_annotation() {
        let (_, set, carets) = setup("[The [I|SI] met] the [C|IA]| in Doha|");
        let index = SpanIndex::build(set.annotations());
        let at = |cp| annotation_at(&set, &index, cp).map(|a| a.quote.as_str());
        assert_eq!(at(carets[0]), Some("ISI"));
        assert_eq!(at(0), Some("The ISI met"));
        assert_eq!(at(carets[1]), Some("CIA"));
        assert_eq!(at(carets[2]), None, "right after the end");
        assert_eq!(at(carets[3]), None, "end of the text");
        // ties: the first in set order
        let (text, mut set, carets) = setup("[[[The] ISI]] m|et");
        set.insert_sorted(Annotation::new("b".into(), &text, 0, 7, "t"));
        set.insert_sorted(Annotation::new("a0".into(), &text, 0, 7, "t"));
        let index = SpanIndex::build(set.annotations());
        assert_eq!(id(annotation_at(&set, &index, 5)), Some("a0"));
        assert_eq!(id(annotation_at(&set, &index, 1)), Some("a1"));
        assert_eq!(annotation_at(&set, &index, carets[0]), None);
        // a stale index never panics
        let stale = SpanIndex::from_spans(vec![(0, 7); 9]);
        assert_eq!(id(annotation_at(&set, &stale, 5)), Some("a0"));
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let (_, set, carets) = setup("[The] [ISI] me|t [the] [CIA]");
        let go = |cur, point, dir| id(next_annotation(&set, cur, point, dir, |_| true));
        let (f, b) = (Direction::Forward, Direction::Backward);
        // from the caret
        assert_eq!(go(None, carets[0], f), Some("a3"));
        assert_eq!(go(None, carets[0], b), Some("a2"));
        // from the current annotation, wrapping
        assert_eq!(go(Some("a2"), 0, f), Some("a3"));
        assert_eq!(go(Some("a4"), 0, f), Some("a1"));
        assert_eq!(go(Some("a1"), 99, b), Some("a4"));
        assert_eq!(go(Some("a3"), 0, b), Some("a2"));
        // a caret at an annotation's start: forward goes to it, backward
        // to the one before
        assert_eq!(go(None, 4, f), Some("a2"));
        assert_eq!(go(None, 4, b), Some("a1"));
        // past the last or before the first, wrapping
        assert_eq!(go(None, 99, f), Some("a1"));
        assert_eq!(go(None, 0, b), Some("a4"));
        // an unknown current id counts as none
        assert_eq!(go(Some("zz"), carets[0], f), Some("a3"));
        // nothing accepted, or nothing there
        assert_eq!(next_annotation(&set, None, 0, f, |_| false), None);
        let empty = AnnotationSet::new(SourceRef::default());
        assert_eq!(next_annotation(&empty, None, 0, f, |_| true), None);
    }

    #[test]
    fn the_current_annotation_comes_back_last() {
        let (_, set, _) = setup("[The] [ISI] met");
        let only = |want: &'static str| move |a: &Annotation| a.id == want;
        for dir in [Direction::Forward, Direction::Backward] {
            assert_eq!(
                id(next_annotation(&set, Some("a1"), 0, dir, only("a1"))),
                Some("a1")
            );
            assert_eq!(
                id(next_annotation(&set, Some("a1"), 0, dir, only("a2"))),
                Some("a2")
            );
        }
        let (_, one, _) = setup("[ISI]");
        for dir in [Direction::Forward, Direction::Backward] {
            assert_eq!(
                id(next_annotation(&one, Some("a1"), 0, dir, |_| true)),
                Some("a1")
            );
            assert_eq!(
                id(next_annotation(&one, None, 3, dir, |_| true)),
                Some("a1")
            );
        }
    }

    #[test]
    fn focus_by_a_parent_tag_visits_its_descendants() {
        let (_, mut set, carets) = setup("[Drones] over [FATA]|; [talks] in [Doha]; [ISI]");
        let mut cb = Codebook::default();
        cb.insert(Tag::new(TagKind::Issue, "Security", PALETTE[0]));
        let mut drones = Tag::new(TagKind::Issue, "Drones", PALETTE[1]);
        drones.parent = Some("Security".into());
        cb.insert(drones);
        let mut strikes = Tag::new(TagKind::Issue, "FATA strikes", PALETTE[2]);
        strikes.parent = Some("Drones".into());
        cb.insert(strikes);
        cb.insert(Tag::new(TagKind::Issue, "Talks", PALETTE[3]));
        // an actor with a parent's name must not count
        cb.insert(Tag::new(TagKind::Actor, "Security", PALETTE[4]));
        set.codebook = cb;
        fn tag(set: &mut AnnotationSet, id: &str, kind: TagKind, name: &str) {
            let i = set.index_of(id).unwrap();
            set.update_annotations(|v| {
                v[i].add_tag(kind, name);
            });
        }
        tag(&mut set, "a1", TagKind::Issue, "Drones");
        tag(&mut set, "a2", TagKind::Issue, "FATA strikes");
        tag(&mut set, "a3", TagKind::Issue, "Talks");
        tag(&mut set, "a4", TagKind::Issue, "Security");
        tag(&mut set, "a5", TagKind::Actor, "Security");
        let security = tag_focus(&set.codebook, TagKind::Issue, "Security");
        let visits: Vec<&str> = set
            .annotations()
            .iter()
            .filter(|a| security(a))
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(visits, ["a1", "a2", "a4"]);
        let next = |cur, dir, keep: &dyn Fn(&Annotation) -> bool| {
            id(next_annotation(&set, cur, carets[0], dir, keep))
        };
        assert_eq!(next(None, Direction::Forward, &security), Some("a4"));
        assert_eq!(next(Some("a4"), Direction::Forward, &security), Some("a1"));
        assert_eq!(next(None, Direction::Backward, &security), Some("a2"));
        let drones = tag_focus(&set.codebook, TagKind::Issue, "Drones");
        assert_eq!(next(Some("a2"), Direction::Forward, &drones), Some("a1"));
        let talks = tag_focus(&set.codebook, TagKind::Issue, "Talks");
        assert_eq!(next(Some("a3"), Direction::Backward, &talks), Some("a3"));
        let unknown = tag_focus(&set.codebook, TagKind::Issue, "Economy");
        assert_eq!(next(None, Direction::Forward, &unknown), None);
    }

    #[test]
    fn tab_cycles_through_overlapping_annotations() {
        let (_, set, carets) = setup("[The [I|SI] [met]] the CIA");
        let index = SpanIndex::build(set.annotations());
        let cycle = |cur| {
            cycle_overlapping(&set, &index, carets[0], cur).map(|o| {
                (
                    set.annotations()[o.index].quote.as_str(),
                    o.position,
                    o.count,
                )
            })
        };
        assert_eq!(cycle(None), Some(("The ISI met", 0, 2)));
        assert_eq!(cycle(Some("a1")), Some(("ISI", 1, 2)));
        assert_eq!(cycle(Some("a2")), Some(("The ISI met", 0, 2)));
        // a current annotation elsewhere: start with the first
        assert_eq!(cycle(Some("a3")), Some(("The ISI met", 0, 2)));
        // nothing at the caret
        assert_eq!(cycle_overlapping(&set, &index, 14, None), None);
        assert_eq!(
            cycle_overlapping(&set, &index, 0, None).map(|o| o.count),
            Some(1)
        );
    }

    /// The ids `Tab` visits at `point`, from no current annotation until
    /// it comes back to the first; checks positions and counts on the way.
    fn tab_cycle(set: &AnnotationSet, point: usize) -> Vec<String> {
        let index = SpanIndex::build(set.annotations());
        let Some(first) = cycle_overlapping(set, &index, point, None) else {
            return Vec::new();
        };
        let mut out = vec![set.annotations()[first.index].id.clone()];
        for k in 1..=first.count {
            let cur = out.last().map(String::as_str);
            let o = cycle_overlapping(set, &index, point, cur).unwrap();
            assert_eq!((o.position, o.count), (k % first.count, first.count));
            if k == first.count {
                assert_eq!(o, first, "back to the first");
            } else {
                out.push(set.annotations()[o.index].id.clone());
            }
        }
        out
    }

    #[test]
    fn tab_right_after_an_annotation_takes_the_ones_ending_there() {
        let (_, set, carets) = setup("[The [ISI]]| met [the]|[CIA]| now");
        let quote = |id: &String| set.get(id).unwrap().quote.clone();
        let quotes = |point| tab_cycle(&set, point).iter().map(quote).collect::<Vec<_>>();
        assert_eq!(quotes(carets[0]), ["The ISI", "ISI"]);
        // at an annotation's start, the one starting there wins over the
        // one ending there
        assert_eq!(quotes(carets[1]), ["CIA"]);
        assert_eq!(quotes(carets[2]), ["CIA"]);
        assert_eq!(quotes(0), ["The ISI"]);
        assert!(quotes(carets[2] + 1).is_empty());
    }

    #[test]
    fn zero_length_annotations_count_at_their_start() {
        // A hand-edited file can hold an empty span; it is never lost.
        let (text, mut set, carets) = setup("[The [|ISI]] met|");
        set.update_annotations(|v| {
            v.push(Annotation::new(
                "z".into(),
                &text,
                carets[0],
                carets[0],
                "t",
            ));
        });
        set.update_annotations(|v| {
            v.push(Annotation::new(
                "y".into(),
                &text,
                carets[1],
                carets[1],
                "t",
            ));
        });
        set.normalize();
        assert_eq!(tab_cycle(&set, carets[0]), ["a1", "z", "a2"]);
        // at the end of the text, only the empty annotation there
        assert_eq!(tab_cycle(&set, carets[1]), ["y"]);
        // right after the end of "The ISI"
        assert_eq!(tab_cycle(&set, 7), ["a1", "a2"]);
        assert!(tab_cycle(&set, carets[1] + 1).is_empty());
    }

    /// `cycle_overlapping` as the app did it: a linear scan.
    fn naive_cycle(set: &AnnotationSet, point: usize, current: Option<&str>) -> Option<Overlap> {
        let anns = &set.annotations();
        let mut hits: Vec<usize> = (0..anns.len())
            .take_while(|&i| anns[i].start <= point)
            .filter(|&i| {
                let a = &anns[i];
                a.start <= point && point < a.end.max(a.start + 1)
            })
            .collect();
        if hits.is_empty() && point > 0 {
            hits = (0..anns.len())
                .take_while(|&i| anns[i].start < point)
                .filter(|&i| anns[i].end == point)
                .collect();
        }
        if hits.is_empty() {
            return None;
        }
        let pos = current.and_then(|id| hits.iter().position(|&i| anns[i].id == id));
        let next = pos.map_or(0, |i| (i + 1) % hits.len());
        Some(Overlap {
            index: hits[next],
            position: next,
            count: hits.len(),
        })
    }

    /// A deterministic pseudo-random sequence (Knuth's MMIX LCG).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    #[test]
    fn indexed_cycling_matches_the_linear_scan() {
        let text = Text::new("x".repeat(400));
        for seed in 1..=6u64 {
            let mut rng = Lcg(seed);
            let mut set = AnnotationSet::new(SourceRef::default());
            let n = 50 + rng.below(300);
            for k in 0..n {
                let start = rng.below(380);
                // every sixth is empty, most are short, some are long
                let len = match rng.below(6) {
                    0 => 0,
                    1 => rng.below(120),
                    _ => 1 + rng.below(6),
                };
                let a = Annotation::new(format!("a{k}"), &text, start, start + len, "t");
                set.update_annotations(|v| {
                    v.push(a);
                });
            }
            set.normalize();
            let index = SpanIndex::build(set.annotations());
            let mut compared = 0;
            for point in 0..=401 {
                let mut cur: Option<String> = None;
                let want_first = naive_cycle(&set, point, None);
                assert_eq!(cycle_overlapping(&set, &index, point, None), want_first);
                // walk the whole cycle, and once from a current elsewhere
                let count = want_first.map_or(0, |o| o.count);
                for _ in 0..=count {
                    let want = naive_cycle(&set, point, cur.as_deref());
                    let got = cycle_overlapping(&set, &index, point, cur.as_deref());
                    assert_eq!(got, want, "seed {seed} point {point} current {cur:?}");
                    compared += 1;
                    cur = got.map(|o| set.annotations()[o.index].id.clone());
                }
                let elsewhere = set.annotations()[rng.below(set.annotations().len())]
                    .id
                    .as_str();
                assert_eq!(
                    cycle_overlapping(&set, &index, point, Some(elsewhere)),
                    naive_cycle(&set, point, Some(elsewhere)),
                );
            }
            assert!(compared > 400, "{compared}");
        }
    }
}
