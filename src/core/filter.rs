//! Filtering annotations for the list and the highlights, and tag counts
//! for the codebook tree.
//!
//! Invariants:
//! - A filter with every field empty/`None` matches every annotation.
//! - Fields combine with AND; the tags in [`AnnotationFilter::tags`]
//!   combine with OR, and a parent tag stands for itself and all its
//!   descendants ([`Codebook::with_descendants`]).
//! - The expensive part (expanding the tag hierarchy, lowercasing the
//!   text) is done once in [`AnnotationFilter::compile`]; the GUI keeps the
//!   [`CompiledFilter`] until the filter or the codebook changes, and
//!   [`CompiledFilter::matches`] then costs O(tags of the annotation).
//! - Text matching is case-insensitive (Unicode lowercase) and looks in the
//!   quote and the note.

use super::annotation::{Annotation, Stance};
use super::codebook::{Codebook, PALETTE, Tag, TagKind};
use super::set::AnnotationSet;
use super::tag_counts::TagCounter;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the annotation list and the highlights show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationFilter {
    /// Show annotations with any of these tags (or their descendants).
    /// Empty: no tag condition.
    pub tags: Vec<(TagKind, String)>,
    /// Show annotations with at least one tag of this kind.
    pub kind: Option<TagKind>,
    /// Show annotations whose quote or note contains this text (any case).
    /// Empty: no text condition.
    pub text: String,
    /// `None`: any stance; `Some(None)`: no stance; `Some(Some(s))`: stance
    /// `s`.
    pub stance: Option<Option<Stance>>,
}

impl AnnotationFilter {
    /// True when the filter restricts anything.
    pub fn is_active(&self) -> bool {
        !self.tags.is_empty()
            || self.kind.is_some()
            || !self.text.trim().is_empty()
            || self.stance.is_some()
    }

    /// Precomputes the filter against a codebook.
    pub fn compile(&self, codebook: &Codebook) -> CompiledFilter {
        let tags = if self.tags.is_empty() {
            None
        } else {
            let mut sets = [HashSet::new(), HashSet::new()];
            for (kind, name) in &self.tags {
                let i = match kind {
                    TagKind::Issue => 0,
                    TagKind::Actor => 1,
                };
                sets[i].extend(codebook.with_descendants(*kind, name));
            }
            Some(sets)
        };
        let text = self.text.trim().to_lowercase();
        CompiledFilter {
            tags,
            kind: self.kind,
            text: (!text.is_empty()).then_some(text),
            stance: self.stance,
        }
    }

    /// Whether `a` passes. Compiles the filter on every call: for many
    /// annotations use [`AnnotationFilter::compile`] once instead.
    pub fn matches(&self, a: &Annotation, codebook: &Codebook) -> bool {
        self.compile(codebook).matches(a)
    }
}

/// An [`AnnotationFilter`] ready to test many annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledFilter {
    /// Expanded tag names: `[issues, actors]`.
    tags: Option<[HashSet<String>; 2]>,
    kind: Option<TagKind>,
    text: Option<String>,
    stance: Option<Option<Stance>>,
}

impl CompiledFilter {
    /// Whether `a` passes every condition.
    pub fn matches(&self, a: &Annotation) -> bool {
        if let Some(s) = self.stance
            && a.stance != s
        {
            return false;
        }
        if let Some(k) = self.kind
            && a.tags(k).is_empty()
        {
            return false;
        }
        if let Some([issues, actors]) = &self.tags
            && !a.issues.iter().any(|n| issues.contains(n))
            && !a.actors.iter().any(|n| actors.contains(n))
        {
            return false;
        }
        if let Some(t) = &self.text {
            let in_quote = a.quote.to_lowercase().contains(t.as_str());
            let in_note = a
                .note
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(t.as_str()));
            if !in_quote && !in_note {
                return false;
            }
        }
        true
    }

    /// Ids of the placed annotations of `set` that pass, in position order.
    pub fn matching_ids(&self, set: &AnnotationSet) -> Vec<String> {
        set.annotations()
            .iter()
            .filter(|a| self.matches(a))
            .map(|a| a.id.clone())
            .collect()
    }
}

/// For every tag of the codebook: how many placed annotations carry it or
/// one of its descendants (each annotation counted once per tag). Tags in
/// annotations but missing from the codebook are counted too, as are
/// missing parents that some annotation reaches (both without parents of
/// their own).
///
/// Counts in one go with [`TagCounter`], over the codebook extended by the
/// missing names.
pub fn counts_with_children(set: &AnnotationSet) -> BTreeMap<(TagKind, String), usize> {
    let cb = &set.codebook;
    // by scan, not `Codebook::get`: a hand-edited codebook may be unsorted
    let known: HashSet<(TagKind, &str)> = cb
        .tags()
        .iter()
        .map(|t| (t.kind, t.name.as_str()))
        .collect();
    let mut missing: BTreeSet<(TagKind, &str)> = BTreeSet::new();
    for t in cb.tags() {
        if let Some(p) = &t.parent
            && !known.contains(&(t.kind, p.as_str()))
        {
            missing.insert((t.kind, p.as_str()));
        }
    }
    for a in set.annotations() {
        for tag in a.all_tags() {
            if !known.contains(&tag) {
                missing.insert(tag);
            }
        }
    }
    let extended;
    let cb = if missing.is_empty() {
        cb
    } else {
        let extra = missing.iter().map(|&(kind, name)| Tag {
            // not `Tag::new`, which trims: the name must match as is
            name: name.to_owned(),
            kind,
            color: PALETTE[0],
            digit: None,
            description: None,
            parent: None,
        });
        extended = Codebook::from_tags(cb.tags().iter().cloned().chain(extra).collect());
        &extended
    };
    let mut counter = TagCounter::new(cb);
    counter.step(set, usize::MAX);
    let counts = counter.counts().unwrap_or_default();
    counter
        .tags()
        .iter()
        .zip(counts.iter().copied())
        .filter(|(t, n)| {
            // a missing parent no annotation reached was never counted
            *n > 0 || known.contains(&(t.kind, t.name.as_str()))
        })
        .map(|(t, n)| ((t.kind, t.name.clone()), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    fn setup() -> AnnotationSet {
        let text = Text::new("Drone strikes in FATA anger the ISI and the army".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        let mut cb = Codebook::default();
        cb.insert(Tag::new(TagKind::Issue, "Security", PALETTE[0]));
        let mut d = Tag::new(TagKind::Issue, "Drones", PALETTE[1]);
        d.parent = Some("Security".into());
        cb.insert(d);
        let mut f = Tag::new(TagKind::Issue, "FATA strikes", PALETTE[2]);
        f.parent = Some("Drones".into());
        cb.insert(f);
        cb.insert(Tag::new(TagKind::Issue, "Economy", PALETTE[3]));
        cb.insert(Tag::new(TagKind::Actor, "ISI", PALETTE[4]));
        set.codebook = cb;
        let mut a1 = Annotation::new("a1".into(), &text, 0, 13, "t");
        a1.add_tag(TagKind::Issue, "Drones");
        a1.add_tag(TagKind::Issue, "FATA strikes");
        a1.stance = Some(Stance::Oppose);
        let mut a2 = Annotation::new("a2".into(), &text, 32, 35, "t");
        a2.add_tag(TagKind::Actor, "ISI");
        a2.note = Some("Inter-Services INTELLIGENCE".into());
        let mut a3 = Annotation::new("a3".into(), &text, 14, 21, "t");
        a3.add_tag(TagKind::Issue, "Security");
        a3.add_tag(TagKind::Actor, "ISI");
        let a4 = Annotation::new("a4".into(), &text, 44, 48, "t");
        for a in [a1, a2, a3, a4] {
            set.insert_sorted(a);
        }
        set
    }

    fn ids(f: &AnnotationFilter, set: &AnnotationSet) -> Vec<String> {
        f.compile(&set.codebook).matching_ids(set)
    }

    #[test]
    fn empty_filter_matches_all() {
        let set = setup();
        let f = AnnotationFilter::default();
        assert!(!f.is_active());
        assert_eq!(ids(&f, &set), ["a1", "a3", "a2", "a4"]);
    }

    #[test]
    fn parent_tag_includes_children() {
        let set = setup();
        let mut f = AnnotationFilter {
            tags: vec![(TagKind::Issue, "Security".into())],
            ..Default::default()
        };
        assert!(f.is_active());
        assert_eq!(ids(&f, &set), ["a1", "a3"]);
        f.tags = vec![(TagKind::Issue, "FATA strikes".into())];
        assert_eq!(ids(&f, &set), ["a1"]);
        f.tags.push((TagKind::Actor, "ISI".into()));
        assert_eq!(ids(&f, &set), ["a1", "a3", "a2"]);
        // same name, other kind: no match
        f.tags = vec![(TagKind::Issue, "ISI".into())];
        assert!(ids(&f, &set).is_empty());
        assert!(!f.matches(set.get("a1").unwrap(), &set.codebook));
    }

    #[test]
    fn kind_text_and_stance() {
        let set = setup();
        let f = AnnotationFilter {
            kind: Some(TagKind::Actor),
            ..Default::default()
        };
        assert_eq!(ids(&f, &set), ["a3", "a2"]);
        let f = AnnotationFilter {
            text: "  intelligence ".into(),
            ..Default::default()
        };
        assert_eq!(ids(&f, &set), ["a2"]);
        let f = AnnotationFilter {
            text: "DRONE".into(),
            ..Default::default()
        };
        assert_eq!(ids(&f, &set), ["a1"]);
        let f = AnnotationFilter {
            stance: Some(Some(Stance::Oppose)),
            ..Default::default()
        };
        assert_eq!(ids(&f, &set), ["a1"]);
        let f = AnnotationFilter {
            stance: Some(None),
            kind: Some(TagKind::Issue),
            ..Default::default()
        };
        assert_eq!(ids(&f, &set), ["a3"]);
    }

    #[test]
    fn counts_include_descendants_once() {
        let mut set = setup();
        let c = counts_with_children(&set);
        assert_eq!(c[&(TagKind::Issue, "Security".into())], 2); // a1 once, a3
        assert_eq!(c[&(TagKind::Issue, "Drones".into())], 1);
        assert_eq!(c[&(TagKind::Issue, "FATA strikes".into())], 1);
        assert_eq!(c[&(TagKind::Issue, "Economy".into())], 0);
        assert_eq!(c[&(TagKind::Actor, "ISI".into())], 2);
        // a parent cycle (hand-edited file) does not loop
        let mut s = set
            .codebook
            .get(TagKind::Issue, "Security")
            .unwrap()
            .clone();
        s.parent = Some("FATA strikes".into());
        set.codebook.insert(s);
        let c = counts_with_children(&set);
        assert_eq!(c[&(TagKind::Issue, "Security".into())], 2);
        assert_eq!(c[&(TagKind::Issue, "FATA strikes".into())], 2);
    }

    /// The one-shot count as it was before [`TagCounter`]: climbs by name.
    fn reference_counts(set: &AnnotationSet) -> BTreeMap<(TagKind, String), usize> {
        let mut parent: std::collections::HashMap<(TagKind, &str), &str> = Default::default();
        let mut counts: BTreeMap<(TagKind, String), usize> = BTreeMap::new();
        for t in set.codebook.tags() {
            counts.insert((t.kind, t.name.clone()), 0);
            if let Some(p) = &t.parent {
                parent.insert((t.kind, t.name.as_str()), p.as_str());
            }
        }
        let mut seen: HashSet<(TagKind, &str)> = HashSet::new();
        for a in set.annotations() {
            seen.clear();
            for (kind, name) in a.all_tags() {
                let mut cur = name;
                while seen.insert((kind, cur)) {
                    *counts.entry((kind, cur.to_owned())).or_insert(0) += 1;
                    match parent.get(&(kind, cur)) {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
            }
        }
        counts
    }

    #[test]
    fn missing_tags_and_parents_are_counted_as_before() {
        let mut set = setup();
        // a tag whose parent is not in the codebook, one used by nobody
        // with a missing parent, a self parent, and names only annotations
        // know (one with surrounding spaces, from a hand-edited file)
        let mut t = Tag::new(TagKind::Actor, "Army", PALETTE[5]);
        t.parent = Some("Military".into());
        set.codebook.insert(t);
        let mut t = Tag::new(TagKind::Actor, "Navy", PALETTE[6]);
        t.parent = Some("Fleet".into());
        set.codebook.insert(t);
        let mut t = Tag::new(TagKind::Issue, "Economy", PALETTE[3]);
        t.parent = Some("Economy".into());
        set.codebook.insert(t);
        let i = set.index_of("a4").unwrap();
        set.update_annotations(|v| {
            v[i].add_tag(TagKind::Actor, "Army");
        });
        set.update_annotations(|v| {
            v[i].add_tag(TagKind::Issue, "Economy");
        });
        set.update_annotations(|v| {
            v[i].add_tag(TagKind::Issue, "Unlisted");
        });
        let i = set.index_of("a2").unwrap();
        set.update_annotations(|v| {
            v[i].add_tag(TagKind::Actor, " Spaced ");
        });
        set.update_annotations(|v| {
            v[i].add_tag(TagKind::Actor, "Military");
        });
        let c = counts_with_children(&set);
        assert_eq!(c, reference_counts(&set));
        assert_eq!(c[&(TagKind::Actor, "Military".into())], 2);
        assert_eq!(c[&(TagKind::Actor, " Spaced ".into())], 1);
        assert_eq!(c[&(TagKind::Issue, "Unlisted".into())], 1);
        assert_eq!(c[&(TagKind::Issue, "Economy".into())], 1);
        assert_eq!(c[&(TagKind::Actor, "Navy".into())], 0);
        assert!(!c.contains_key(&(TagKind::Actor, "Fleet".into())));
    }

    #[test]
    fn stepwise_counts_equal_the_one_shot_counts() {
        let text = Text::new("word ".repeat(40));
        let mut set = setup();
        let names = [
            (TagKind::Issue, "Security"),
            (TagKind::Issue, "Drones"),
            (TagKind::Issue, "FATA strikes"),
            (TagKind::Actor, "ISI"),
        ];
        for k in 0..37 {
            let mut a = Annotation::new(format!("b{k}"), &text, k, k + 3, "t");
            for (j, &(kind, name)) in names.iter().enumerate() {
                if (k * 7 + j * 3) % 5 < 2 {
                    a.add_tag(kind, name);
                }
            }
            set.insert_sorted(a);
        }
        let one_shot = counts_with_children(&set);
        assert_eq!(one_shot, reference_counts(&set));
        for budget in [1, 7, set.annotations().len()] {
            let mut c = TagCounter::new(&set.codebook);
            while !c.step(&set, budget) {}
            let stepwise: BTreeMap<(TagKind, String), usize> = c
                .tags()
                .iter()
                .zip(c.counts().unwrap())
                .map(|(t, &n)| ((t.kind, t.name.clone()), n))
                .collect();
            assert_eq!(stepwise, one_shot, "budget {budget}");
        }
    }
}
