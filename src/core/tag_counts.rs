//! Uses per tag, counted stepwise: how many placed annotations carry each
//! tag of a codebook or one of its descendants. The codebook panel counts a
//! few thousand annotations per frame with it;
//! [`counts_with_children`](crate::core::filter::counts_with_children)
//! counts in one go with it.
//!
//! Invariants:
//! - An annotation counts once for each tag it carries and once for each
//!   ancestor of those tags, never twice for the same tag; parent cycles
//!   (hand-edited files) stop the climb. Tags are matched by `(kind, name)`;
//!   names an annotation carries that the codebook lacks are not counted
//!   here.
//! - A parent that is missing from the codebook, or the tag itself, counts
//!   as no parent.
//! - Counts are parallel to the codebook's [`Codebook::tags`] (as recorded
//!   by [`TagCounter::new`]) and are only handed out once every annotation
//!   has been counted.
//! - The counter walks `set.annotations` by position: the set must not
//!   change between two steps (start a new counter, or
//!   [`TagCounter::restart`], when it does). A set that shrank is simply
//!   finished early; nothing panics.
//! - Name lookups use a fast non-cryptographic hash (FxHash) and the
//!   per-annotation work allocates nothing.

use super::codebook::{Codebook, Tag, TagKind};
use super::set::AnnotationSet;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Instant;

/// FxHash (rustc's hasher): a multiply-rotate per word, for short tag
/// names looked up in a hot loop. Not DoS-resistant; only for lookups of
/// names already in a codebook.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by tag name with [`FxHasher`].
type NameMap = HashMap<Box<str>, usize, BuildHasherDefault<FxHasher>>;

fn kind_slot(kind: TagKind) -> usize {
    match kind {
        TagKind::Issue => 0,
        TagKind::Actor => 1,
    }
}

/// A count of tag uses in progress (or finished); see the module docs.
#[derive(Debug, Clone)]
pub struct TagCounter {
    /// The codebook's tags when the counter was built.
    tags: Vec<Tag>,
    /// Parent index per tag.
    parents: Vec<Option<usize>>,
    /// Tag index by name, per kind (`[issues, actors]`).
    by_name: [NameMap; 2],
    /// Next annotation to count.
    next: usize,
    /// Uses per tag so far.
    counts: Vec<usize>,
    /// Last annotation that counted each tag (stops double counts and
    /// parent cycles); `usize::MAX` for none.
    stamp: Vec<usize>,
    done: bool,
}

impl TagCounter {
    /// A counter for the tags of `codebook`, nothing counted yet.
    pub fn new(codebook: &Codebook) -> TagCounter {
        let tags = codebook.tags().to_vec();
        let mut by_name: [NameMap; 2] = Default::default();
        for (i, t) in tags.iter().enumerate() {
            by_name[kind_slot(t.kind)].insert(t.name.as_str().into(), i);
        }
        let parents = tags
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.parent
                    .as_deref()
                    .and_then(|p| by_name[kind_slot(t.kind)].get(p).copied())
                    .filter(|&p| p != i)
            })
            .collect();
        let n = tags.len();
        TagCounter {
            tags,
            parents,
            by_name,
            next: 0,
            counts: vec![0; n],
            stamp: vec![usize::MAX; n],
            done: false,
        }
    }

    /// Forgets what was counted, to count a changed set again with the same
    /// codebook.
    pub fn restart(&mut self) {
        self.next = 0;
        self.counts.fill(0);
        self.stamp.fill(usize::MAX);
        self.done = false;
    }

    /// Counts up to `budget` more annotations of `set`; true when every
    /// annotation has been counted.
    pub fn step(&mut self, set: &AnnotationSet, budget: usize) -> bool {
        if self.done {
            return true;
        }
        let anns = &set.annotations();
        let end = self.next.saturating_add(budget).min(anns.len());
        for (n, a) in anns.iter().enumerate().take(end).skip(self.next) {
            for (kind, name) in a.all_tags() {
                let mut cur = self.by_name[kind_slot(kind)].get(name).copied();
                // climb to the root; `stamp` also stops parent cycles
                while let Some(i) = cur {
                    if self.stamp[i] == n {
                        break;
                    }
                    self.stamp[i] = n;
                    self.counts[i] += 1;
                    cur = self.parents[i];
                }
            }
        }
        self.next = end.max(self.next);
        self.done = self.next >= anns.len();
        self.done
    }

    /// Counts `chunk` annotations at a time until finished or `deadline`
    /// has passed (looked at between chunks; at least one chunk is
    /// counted); true when finished.
    pub fn run_until(&mut self, set: &AnnotationSet, deadline: Instant, chunk: usize) -> bool {
        loop {
            if self.step(set, chunk.max(1)) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
        }
    }

    /// True when every annotation has been counted.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Uses per tag, parallel to [`TagCounter::tags`]; `Some` only when
    /// finished.
    pub fn counts(&self) -> Option<&[usize]> {
        self.done.then_some(self.counts.as_slice())
    }

    /// The tags counted: those of the codebook the counter was built for,
    /// in its order.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The parent of each tag as an index into [`TagCounter::tags`] (`None`
    /// for roots and for missing or self parents).
    pub fn parents(&self) -> &[Option<usize>] {
        &self.parents
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::PALETTE;
    use crate::core::markup;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;
    use std::time::Duration;

    fn tag(kind: TagKind, name: &str, parent: Option<&str>) -> Tag {
        let mut t = Tag::new(kind, name, PALETTE[0]);
        t.parent = parent.map(str::to_owned);
        t
    }

    /// One annotation per marked range, tagged with the tags listed for it.
    fn setup(marked: &str, tags: &[&[(TagKind, &str)]], codebook: Vec<Tag>) -> AnnotationSet {
        let (text, ranges): (Text, _) = markup::parse(marked);
        assert_eq!(ranges.len(), tags.len());
        let mut set = AnnotationSet::new(SourceRef::default());
        set.codebook = Codebook::from_tags(codebook);
        for (k, ((s, e), tags)) in ranges.into_iter().zip(tags).enumerate() {
            let mut a = Annotation::new(format!("a{k}"), &text, s, e, "t");
            for &(kind, name) in *tags {
                a.add_tag(kind, name);
            }
            set.insert_sorted(a);
        }
        set
    }

    fn counts_by_name(c: &TagCounter) -> Vec<(&str, usize)> {
        let counts = c.counts().expect("finished");
        c.tags()
            .iter()
            .map(|t| t.name.as_str())
            .zip(counts.iter().copied())
            .collect()
    }

    const I: TagKind = TagKind::Issue;
    const A: TagKind = TagKind::Actor;

    #[test]
    fn parents_count_their_descendants_once() {
        let set = setup(
            "[Drone strikes] in [FATA] anger [the ISI] and [the army]",
            &[
                &[(I, "Drones"), (I, "FATA strikes")],
                &[(I, "Security"), (A, "ISI")],
                &[(A, "ISI")],
                &[],
            ],
            vec![
                tag(I, "Security", None),
                tag(I, "Drones", Some("Security")),
                tag(I, "FATA strikes", Some("Drones")),
                tag(I, "Economy", None),
                tag(A, "ISI", None),
                // same name as an issue, other kind: separate
                tag(A, "Security", None),
            ],
        );
        let mut c = TagCounter::new(&set.codebook);
        assert!(!c.is_done());
        assert_eq!(c.counts(), None);
        assert!(c.step(&set, usize::MAX));
        assert_eq!(
            counts_by_name(&c),
            [
                ("Drones", 1),
                ("Economy", 0),
                ("FATA strikes", 1),
                ("Security", 2),
                ("ISI", 2),
                ("Security", 0)
            ]
        );
        let names: Vec<&str> = c.tags().iter().map(|t| t.name.as_str()).collect();
        let parent = |name: &str| {
            let i = names.iter().position(|n| *n == name).unwrap();
            c.parents()[i].map(|p| names[p])
        };
        assert_eq!(parent("FATA strikes"), Some("Drones"));
        assert_eq!(parent("Drones"), Some("Security"));
        assert_eq!(parent("Economy"), None);
    }

    #[test]
    fn cycles_missing_and_self_parents_stop() {
        let set = setup(
            "[a] [b] [c]",
            &[&[(I, "X")], &[(I, "Y"), (I, "Ghost")], &[(I, "Me")]],
            vec![
                tag(I, "X", Some("Y")),
                tag(I, "Y", Some("X")),
                tag(I, "Orphan", Some("Ghost")),
                tag(I, "Me", Some("Me")),
            ],
        );
        let mut c = TagCounter::new(&set.codebook);
        assert!(!c.step(&set, 2));
        assert!(c.step(&set, 5));
        assert_eq!(
            counts_by_name(&c),
            [("Me", 1), ("Orphan", 0), ("X", 2), ("Y", 2)]
        );
        assert_eq!(c.parents(), [None, None, Some(3), Some(2)]);
    }

    #[test]
    fn steps_resume_where_they_stopped() {
        let codebook = vec![
            tag(I, "Security", None),
            tag(I, "Drones", Some("Security")),
            tag(A, "ISI", None),
        ];
        let marked = "[a] [b] [c] [d] [e] [f] [g] [h] [i] [j] [k] [l] [m] [n] [o] [p]";
        let pattern: [&[(TagKind, &str)]; 4] = [
            &[(I, "Drones")],
            &[(I, "Security"), (A, "ISI")],
            &[],
            &[(I, "Drones"), (I, "Security")],
        ];
        let tags: Vec<&[(TagKind, &str)]> = (0..16).map(|k| pattern[k % 4]).collect();
        let set = setup(marked, &tags, codebook);
        let mut whole = TagCounter::new(&set.codebook);
        assert!(whole.step(&set, usize::MAX));
        let want = whole.counts().unwrap().to_vec();
        assert_eq!(
            counts_by_name(&whole),
            [("Drones", 8), ("Security", 12), ("ISI", 4)]
        );
        for budget in [1, 7, set.annotations().len()] {
            let mut c = TagCounter::new(&set.codebook);
            let mut steps = 1;
            while !c.step(&set, budget) {
                assert_eq!(c.counts(), None);
                steps += 1;
            }
            assert_eq!(
                steps,
                set.annotations().len().div_ceil(budget),
                "budget {budget}"
            );
            assert_eq!(c.counts(), Some(want.as_slice()), "budget {budget}");
            // finished: further steps change nothing
            assert!(c.step(&set, budget));
            assert_eq!(c.counts(), Some(want.as_slice()));
            c.restart();
            assert_eq!(c.counts(), None);
            assert!(c.step(&set, usize::MAX));
            assert_eq!(c.counts(), Some(want.as_slice()));
        }
        // a budget of 0 makes no progress; run_until always makes some
        let mut c = TagCounter::new(&set.codebook);
        assert!(!c.step(&set, 0));
        assert!(!c.run_until(&set, Instant::now() - Duration::from_secs(1), 3));
        assert!(c.run_until(&set, Instant::now() + Duration::from_secs(60), 0));
        assert_eq!(c.counts(), Some(want.as_slice()));
    }

    #[test]
    fn empty_sets_and_shrunk_sets_finish() {
        let set = AnnotationSet::new(SourceRef::default());
        let mut c = TagCounter::new(&set.codebook);
        assert!(c.step(&set, 0));
        assert_eq!(c.counts(), Some(&[][..]));
        let big = setup(
            "[a] [b] [c]",
            &[&[(I, "X")], &[(I, "X")], &[(I, "X")]],
            vec![tag(I, "X", None)],
        );
        let mut c = TagCounter::new(&big.codebook);
        assert!(!c.step(&big, 2));
        let mut small = big.clone();
        small.update_annotations(|v| {
            v.truncate(1);
        });
        assert!(c.step(&small, 2));
        assert_eq!(c.counts(), Some(&[2][..]));
    }

    #[test]
    fn fx_hash_spreads_similar_names() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_ne!(hash("Drones"), hash("Drone"));
        assert_ne!(hash("Security 1"), hash("Security 2"));
        assert_eq!(hash("ISI"), hash("ISI"));
    }
}
