//! Placing a loaded annotation set onto the current article text, and
//! repairing what a hand-edited or foreign file got wrong.
//!
//! Invariants:
//! - No annotation is ever dropped: one that cannot be placed moves to
//!   `set.orphans`, with its last quote, and is listed to the user.
//! - The result is deterministic for the same set and text.
//! - When the text's SHA-256 equals the set's and every quote matches, the
//!   set is left untouched.

use super::annotation::Annotation;
use super::codebook::{Tag, TagKind};
use super::set::AnnotationSet;
use super::text::Text;
use std::collections::HashSet;

/// How one annotation was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Its stored offsets still hold its quote.
    Exact,
    /// Its quote was found at another position.
    Moved,
    /// An approximate match of its quote was used.
    Fuzzy,
    /// It could not be placed and is now an orphan.
    Orphaned,
}

/// Counts and problems found while anchoring a set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnchorReport {
    /// Annotations whose offsets still hold their quote.
    pub exact: usize,
    /// Annotations whose exact quote was found elsewhere.
    pub moved: usize,
    /// Annotations placed by approximate matching.
    pub fuzzy: usize,
    /// Annotations that could not be placed (now in `orphans`).
    pub orphaned: usize,
    /// Human-readable problems found and repaired (duplicate ids, unknown
    /// tags, offsets out of range…).
    pub problems: Vec<String>,
}

impl AnchorReport {
    /// True when nothing moved, nothing was orphaned and nothing needed a
    /// repair.
    pub fn is_clean(&self) -> bool {
        self.moved == 0 && self.fuzzy == 0 && self.orphaned == 0 && self.problems.is_empty()
    }
}

/// Repairs and re-anchors `set` onto `text`; see the module invariants.
pub fn anchor_set(set: &mut AnnotationSet, text: &Text) -> AnchorReport {
    let mut report = AnchorReport::default();
    repair(set, &mut report);
    let unchanged_text = set.source.sha256 == text.sha256();
    let annotations = std::mem::take(&mut set.annotations);
    let mut placed = Vec::with_capacity(annotations.len());
    for mut a in annotations {
        let in_range = a.start < a.end && a.end <= text.len_chars();
        if in_range && (unchanged_text || text.slice(a.start, a.end) == a.quote) {
            if a.quote.is_empty() || text.slice(a.start, a.end) != a.quote {
                // Same text but a missing or stale quote (hand-edited file):
                // take the quote from the text.
                let (s, e) = (a.start, a.end);
                a.anchor(text, s, e);
            }
            report.exact += 1;
            placed.push(a);
            continue;
        }
        if !in_range && unchanged_text {
            report.problems.push(format!(
                "annotation {} has offsets {}..{} outside the text (length {})",
                a.id,
                a.start,
                a.end,
                text.len_chars()
            ));
        }
        match relocate(&a, text) {
            Some((placement, s, e)) => {
                a.anchor(text, s, e);
                match placement {
                    Placement::Fuzzy => report.fuzzy += 1,
                    _ => report.moved += 1,
                }
                placed.push(a);
            }
            None => {
                report.orphaned += 1;
                set.orphans.push(a);
            }
        }
    }
    set.annotations = placed;
    set.source.sha256 = text.sha256().to_owned();
    set.source.length = text.len_chars();
    set.normalize();
    report
}

/// Finds a new place for an annotation whose offsets no longer hold its
/// quote: the exact quote nearest the old position, prefix and suffix
/// breaking ties.
pub fn relocate(a: &Annotation, text: &Text) -> Option<(Placement, usize, usize)> {
    if a.quote.is_empty() {
        return None;
    }
    let hay = text.as_str();
    let qlen = a.quote.chars().count();
    let old_byte = text.char_to_byte(a.start);
    let mut best: Option<(usize, usize)> = None; // (score, char start)
    for (byte, _) in hay.match_indices(a.quote.as_str()) {
        let start = text.byte_to_char(byte);
        let distance = byte.abs_diff(old_byte);
        let mut score = distance.min(1 << 40);
        let before = text.slice(start.saturating_sub(a.prefix.chars().count()), start);
        let after = text.slice(start + qlen, start + qlen + a.suffix.chars().count());
        if !a.prefix.is_empty() && before == a.prefix {
            score /= 4;
        }
        if !a.suffix.is_empty() && after == a.suffix {
            score /= 4;
        }
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, start));
        }
    }
    best.map(|(_, s)| (Placement::Moved, s, s + qlen))
}

/// Fixes what a set may get wrong before anchoring: duplicate ids get fresh
/// ones, tags used by annotations but missing from the codebook are added,
/// digits bound twice are unbound.
fn repair(set: &mut AnnotationSet, report: &mut AnchorReport) {
    let mut seen = HashSet::new();
    let mut duplicates = Vec::new();
    for (i, a) in set.annotations.iter().enumerate() {
        if !seen.insert(a.id.clone()) {
            duplicates.push(i);
        }
    }
    for a in &set.orphans {
        seen.insert(a.id.clone());
    }
    let mut next = seen
        .iter()
        .filter_map(|id| id.strip_prefix('a')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    for i in duplicates {
        next += 1;
        let fresh = format!("a{next}");
        report.problems.push(format!(
            "duplicate annotation id {} renamed to {fresh}",
            set.annotations[i].id
        ));
        set.annotations[i].id = fresh;
    }
    let mut missing: Vec<(TagKind, String)> = Vec::new();
    for a in set.annotations.iter().chain(&set.orphans) {
        for (kind, name) in a.all_tags() {
            if set.codebook.get(kind, name).is_none()
                && !missing.iter().any(|(k, n)| *k == kind && n == name)
            {
                missing.push((kind, name.to_owned()));
            }
        }
    }
    missing.sort();
    for (kind, name) in missing {
        report.problems.push(format!(
            "{kind} “{name}” is used but was not in the codebook; added"
        ));
        let color = set.codebook.next_color();
        set.codebook.insert(Tag::new(kind, &name, color));
    }
    let mut digits = HashSet::new();
    let tags: Vec<Tag> = set.codebook.tags().to_vec();
    for t in tags {
        if let Some(d) = t.digit {
            if !(1..=9).contains(&d) || !digits.insert(d) {
                report.problems.push(format!(
                    "digit {d} of “{}” was invalid or bound twice; unbound",
                    t.name
                ));
                let mut fixed = t.clone();
                fixed.digit = None;
                set.codebook.insert(fixed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::SourceRef;

    fn set_on(text: &Text, spans: &[(usize, usize)]) -> AnnotationSet {
        let mut set = AnnotationSet::new(SourceRef {
            path: "a.txt".into(),
            sha256: text.sha256().into(),
            length: text.len_chars(),
            ..Default::default()
        });
        for (i, (s, e)) in spans.iter().enumerate() {
            set.insert_sorted(Annotation::new(format!("a{}", i + 1), text, *s, *e, "t"));
        }
        set
    }

    #[test]
    fn unchanged_text_is_exact() {
        let text = Text::new("The ISI and the CIA met.".into());
        let mut set = set_on(&text, &[(4, 7), (16, 19)]);
        let before = set.clone();
        let r = anchor_set(&mut set, &text);
        assert!(r.is_clean());
        assert_eq!(r.exact, 2);
        assert_eq!(set, before);
    }

    #[test]
    fn edited_text_moves_and_orphans_but_keeps_everything() {
        let old = Text::new("The ISI and the CIA met. Later the ISI left.".into());
        let mut set = set_on(&old, &[(4, 7), (16, 19), (35, 38)]);
        let new = Text::new("Yesterday, the ISI and the FBI met. Later the ISI left.".into());
        let r = anchor_set(&mut set, &new);
        assert_eq!((r.exact, r.moved, r.orphaned), (0, 2, 1));
        assert_eq!(set.annotations.len() + set.orphans.len(), 3);
        let starts: Vec<_> = set
            .annotations
            .iter()
            .map(|a| (a.id.as_str(), a.start))
            .collect();
        // prefix/suffix pick the right "ISI" for each annotation
        assert_eq!(starts, [("a1", 15), ("a3", 46)]);
        assert_eq!(set.orphans[0].quote, "CIA");
        assert_eq!(set.source.sha256, new.sha256());
    }

    #[test]
    fn repairs_duplicates_and_unknown_tags() {
        let text = Text::new("abc def".into());
        let mut set = set_on(&text, &[(0, 3), (4, 7)]);
        set.annotations[1].id = "a1".into();
        set.annotations[1].actors = vec!["Ghost".into()];
        let r = anchor_set(&mut set, &text);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert!(set.codebook.get(TagKind::Actor, "Ghost").is_some());
        let mut ids: Vec<_> = set.annotations.iter().map(|a| a.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 2);
    }
}
