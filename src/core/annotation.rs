//! One coded passage: a span of the article with its issues and actors.
//!
//! Invariants:
//! - `start <= end <= text length`, code points, end excluded.
//! - `quote` is the text's code points `start..end` when the annotation was
//!   last anchored; `prefix`/`suffix` are up to [`CONTEXT_CHARS`] code points
//!   before and after it. They let re-anchoring find the passage again when
//!   the text changes.
//! - `issues` and `actors` are sorted, without duplicates, and name tags of
//!   the codebook.

use super::codebook::TagKind;
use super::text::Text;
use serde::{Deserialize, Serialize};

/// How many code points of context are kept before and after a quote.
pub const CONTEXT_CHARS: usize = 32;

/// An actor's position on the issues of an annotation (DNA's agreement
/// qualifier). "Unspecified" is the absence of a stance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stance {
    /// The actors support the issue.
    Support,
    /// The actors oppose the issue.
    Oppose,
    /// The actors are neutral or ambivalent.
    Neutral,
}

impl Stance {
    /// Lowercase name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::Neutral => "neutral",
        }
    }

    /// Parses `support`, `oppose` or `neutral` (any case).
    pub fn parse(s: &str) -> Option<Stance> {
        match s.trim().to_ascii_lowercase().as_str() {
            "support" => Some(Stance::Support),
            "oppose" => Some(Stance::Oppose),
            "neutral" => Some(Stance::Neutral),
            _ => None,
        }
    }

    /// Cycles unspecified → support → oppose → neutral → unspecified.
    pub fn cycle(s: Option<Stance>) -> Option<Stance> {
        match s {
            None => Some(Stance::Support),
            Some(Stance::Support) => Some(Stance::Oppose),
            Some(Stance::Oppose) => Some(Stance::Neutral),
            Some(Stance::Neutral) => None,
        }
    }
}

fn is_none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

/// A coded passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable identifier, unique within the set.
    pub id: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The exact text of the span.
    pub quote: String,
    /// Up to 32 code points before the span.
    #[serde(default)]
    pub prefix: String,
    /// Up to 32 code points after the span.
    #[serde(default)]
    pub suffix: String,
    /// Issue tag names, sorted.
    #[serde(default)]
    pub issues: Vec<String>,
    /// Actor tag names, sorted.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Free-text memo.
    #[serde(default, skip_serializing_if = "is_none")]
    pub note: Option<String>,
    /// Stance of the actors on the issues.
    #[serde(default, skip_serializing_if = "is_none")]
    pub stance: Option<Stance>,
    /// Who coded it.
    #[serde(default, skip_serializing_if = "is_none")]
    pub coder: Option<String>,
    /// A merge kept this annotation as the other side's version of the
    /// annotation with this id (both sides changed it differently), or, when
    /// it names itself, as changed on one side and deleted on the other.
    /// The app lists such annotations until each is resolved (format
    /// version 3).
    #[serde(default, skip_serializing_if = "is_none")]
    pub conflict_of: Option<String>,
    /// Where a curated annotation came from: the coding annotations it was
    /// accepted from, each as `<coding>:<id>` (see `core::curation`;
    /// format version 4). Empty outside a curated set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub curated_from: Vec<String>,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created: String,
    /// RFC 3339 time of the last change.
    #[serde(default)]
    pub modified: String,
}

impl Annotation {
    /// A new, untagged annotation of `start..end` anchored in `text`.
    pub fn new(id: String, text: &Text, start: usize, end: usize, now: &str) -> Annotation {
        let mut a = Annotation {
            id,
            start: 0,
            end: 0,
            quote: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            issues: Vec::new(),
            actors: Vec::new(),
            note: None,
            stance: None,
            coder: None,
            conflict_of: None,
            curated_from: Vec::new(),
            created: now.to_owned(),
            modified: now.to_owned(),
        };
        a.anchor(text, start, end);
        a
    }

    /// Moves the annotation to `start..end` (clamped, reordered) and
    /// refreshes its quote and context from `text`.
    pub fn anchor(&mut self, text: &Text, start: usize, end: usize) {
        let len = text.len_chars();
        let (s, e) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        self.start = s.min(len);
        self.end = e.min(len);
        self.quote = text.slice(self.start, self.end).to_owned();
        self.prefix = text
            .slice(self.start.saturating_sub(CONTEXT_CHARS), self.start)
            .to_owned();
        self.suffix = text
            .slice(self.end, (self.end + CONTEXT_CHARS).min(len))
            .to_owned();
    }

    /// The tag names of one kind.
    pub fn tags(&self, kind: TagKind) -> &[String] {
        match kind {
            TagKind::Issue => &self.issues,
            TagKind::Actor => &self.actors,
        }
    }

    /// The tag names of one kind, mutably (keep them sorted).
    pub fn tags_mut(&mut self, kind: TagKind) -> &mut Vec<String> {
        match kind {
            TagKind::Issue => &mut self.issues,
            TagKind::Actor => &mut self.actors,
        }
    }

    /// Whether the annotation carries tag `(kind, name)`.
    pub fn has_tag(&self, kind: TagKind, name: &str) -> bool {
        self.tags(kind)
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Adds tag `(kind, name)`; false if it was already there.
    pub fn add_tag(&mut self, kind: TagKind, name: &str) -> bool {
        let v = self.tags_mut(kind);
        match v.binary_search_by(|n| n.as_str().cmp(name)) {
            Ok(_) => false,
            Err(i) => {
                v.insert(i, name.to_owned());
                true
            }
        }
    }

    /// Removes tag `(kind, name)`; false if it was not there.
    pub fn remove_tag(&mut self, kind: TagKind, name: &str) -> bool {
        let v = self.tags_mut(kind);
        match v.binary_search_by(|n| n.as_str().cmp(name)) {
            Ok(i) => {
                v.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// All tags as `(kind, name)`: issues first, then actors.
    pub fn all_tags(&self) -> impl Iterator<Item = (TagKind, &str)> {
        self.issues
            .iter()
            .map(|n| (TagKind::Issue, n.as_str()))
            .chain(self.actors.iter().map(|n| (TagKind::Actor, n.as_str())))
    }

    /// Sort key used everywhere annotations are ordered.
    pub fn sort_key(&self) -> (usize, usize, &str) {
        (self.start, self.end, self.id.as_str())
    }

    /// Sorts and deduplicates the tag lists (after loading a hand-edited
    /// file).
    pub fn normalize(&mut self) {
        for v in [&mut self.issues, &mut self.actors] {
            v.sort();
            v.dedup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchoring_takes_quote_and_context_in_code_points() {
        let text = Text::new("«Pakistan’s» army — اردو — said so".to_owned());
        let a = Annotation::new("a1".into(), &text, 1, 11, "t");
        assert_eq!(a.quote, "Pakistan’s");
        assert_eq!(a.prefix, "«");
        assert!(a.suffix.starts_with("» army — اردو"));
        let long = Text::new("x".repeat(100));
        let b = Annotation::new("b".into(), &long, 50, 60, "t");
        assert_eq!(b.prefix.chars().count(), CONTEXT_CHARS);
        assert_eq!(b.suffix.chars().count(), CONTEXT_CHARS);
        let c = Annotation::new("c".into(), &long, 120, 90, "t");
        assert_eq!((c.start, c.end), (90, 100));
    }

    #[test]
    fn tags_stay_sorted_and_unique() {
        let text = Text::new("abc".to_owned());
        let mut a = Annotation::new("a".into(), &text, 0, 1, "t");
        assert!(a.add_tag(TagKind::Actor, "ISI"));
        assert!(a.add_tag(TagKind::Actor, "CIA"));
        assert!(!a.add_tag(TagKind::Actor, "ISI"));
        assert_eq!(a.actors, ["CIA", "ISI"]);
        assert!(a.has_tag(TagKind::Actor, "ISI"));
        assert!(!a.has_tag(TagKind::Issue, "ISI"));
        assert!(a.remove_tag(TagKind::Actor, "CIA"));
        assert!(!a.remove_tag(TagKind::Actor, "CIA"));
    }

    #[test]
    fn stance_cycles_through_unspecified() {
        let mut s = None;
        let mut seen = vec![];
        for _ in 0..4 {
            s = Stance::cycle(s);
            seen.push(s);
        }
        assert_eq!(
            seen,
            [
                Some(Stance::Support),
                Some(Stance::Oppose),
                Some(Stance::Neutral),
                None
            ]
        );
        assert_eq!(Stance::parse("Oppose"), Some(Stance::Oppose));
    }
}
