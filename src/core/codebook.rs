//! The codebook: the issues and actors an analyst codes passages with.
//!
//! Invariants:
//! - A tag is identified by its `(kind, name)`; names are unique per kind and
//!   never empty (leading/trailing white space is trimmed on creation).
//! - `tags` is kept sorted by `(kind, name)`, so the saved file is stable.
//! - A digit `1`–`9` is bound to at most one tag.
//! - Annotations refer to tags by name (see [`crate::core::annotation`]).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a tag is a topic (issue) or a person/organisation (actor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TagKind {
    /// A topic, e.g. "Drone strikes".
    Issue,
    /// A person or organisation, e.g. "ISI".
    Actor,
}

impl TagKind {
    /// The other kind (for the popup's Tab toggle).
    pub fn toggled(self) -> TagKind {
        match self {
            TagKind::Issue => TagKind::Actor,
            TagKind::Actor => TagKind::Issue,
        }
    }

    /// Lowercase name used in exports: `issue` or `actor`.
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Issue => "issue",
            TagKind::Actor => "actor",
        }
    }
}

impl fmt::Display for TagKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An sRGB colour, written as `"#rrggbb"` in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// `#rrggbb`.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }

    /// Parses `#rrggbb` (or `rrggbb`).
    pub fn from_hex(s: &str) -> Option<Rgb> {
        let s = s.trim().trim_start_matches('#');
        if s.len() != 6 || !s.is_ascii() {
            return None;
        }
        let p = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
        Some(Rgb([p(0)?, p(2)?, p(4)?]))
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rgb, D::Error> {
        let s = String::deserialize(d)?;
        Rgb::from_hex(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid colour {s:?}, expected \"#rrggbb\""))
        })
    }
}

/// A palette of distinguishable colours handed out to new tags, the least
/// used first (see [`Codebook::next_color`]).
pub const PALETTE: [Rgb; 12] = [
    Rgb([0xe6, 0x9f, 0x00]),
    Rgb([0x56, 0xb4, 0xe9]),
    Rgb([0x00, 0x9e, 0x73]),
    Rgb([0xf0, 0xe4, 0x42]),
    Rgb([0x00, 0x72, 0xb2]),
    Rgb([0xd5, 0x5e, 0x00]),
    Rgb([0xcc, 0x79, 0xa7]),
    Rgb([0x88, 0x22, 0x55]),
    Rgb([0x44, 0xaa, 0x99]),
    Rgb([0x99, 0x99, 0x33]),
    Rgb([0xaa, 0x44, 0x99]),
    Rgb([0x66, 0x66, 0xcc]),
];

/// Names of the [`PALETTE`] colours, in the same order (for menus and
/// screen readers).
pub const PALETTE_NAMES: [&str; 12] = [
    "orange",
    "sky blue",
    "bluish green",
    "yellow",
    "blue",
    "vermilion",
    "reddish purple",
    "wine",
    "teal",
    "olive",
    "purple",
    "indigo",
];

fn is_none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

/// One issue or actor in the codebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Display name, unique within its kind.
    pub name: String,
    /// Issue or actor.
    pub kind: TagKind,
    /// Highlight colour.
    pub color: Rgb,
    /// Digit key `1`–`9` that applies this tag, if bound.
    #[serde(default, skip_serializing_if = "is_none")]
    pub digit: Option<u8>,
    /// What the tag means (tooltip, popup).
    #[serde(default, skip_serializing_if = "is_none")]
    pub description: Option<String>,
    /// Name of the parent tag of the same kind, for a hierarchy.
    #[serde(default, skip_serializing_if = "is_none")]
    pub parent: Option<String>,
}

impl Tag {
    /// A tag with no digit, description or parent.
    pub fn new(kind: TagKind, name: &str, color: Rgb) -> Tag {
        Tag {
            name: name.trim().to_owned(),
            kind,
            color,
            digit: None,
            description: None,
            parent: None,
        }
    }
}

/// The set of tags of one annotation set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Codebook {
    tags: Vec<Tag>,
}

impl Codebook {
    /// Builds a codebook from tags in any order (sorted here; later
    /// duplicates of a `(kind, name)` are dropped).
    pub fn from_tags(tags: Vec<Tag>) -> Codebook {
        let mut cb = Codebook { tags };
        cb.tags
            .sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
        cb.tags
            .dedup_by(|a, b| a.kind == b.kind && a.name == b.name);
        cb
    }

    /// All tags, sorted by kind then name.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// Tags of one kind, sorted by name.
    pub fn of_kind(&self, kind: TagKind) -> impl Iterator<Item = &Tag> {
        self.tags.iter().filter(move |t| t.kind == kind)
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// True when there are no tags.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    fn position(&self, kind: TagKind, name: &str) -> Result<usize, usize> {
        self.tags
            .binary_search_by(|t| (t.kind, t.name.as_str()).cmp(&(kind, name)))
    }

    /// The tag `(kind, name)`.
    pub fn get(&self, kind: TagKind, name: &str) -> Option<&Tag> {
        self.position(kind, name).ok().map(|i| &self.tags[i])
    }

    /// The tag `(kind, name)`, mutably (callers must not change its key;
    /// use [`Codebook::remove`] + [`Codebook::insert`] to rename).
    pub(crate) fn get_mut(&mut self, kind: TagKind, name: &str) -> Option<&mut Tag> {
        self.position(kind, name).ok().map(|i| &mut self.tags[i])
    }

    /// Inserts or replaces the tag with the same `(kind, name)`; returns
    /// the replaced tag.
    pub fn insert(&mut self, tag: Tag) -> Option<Tag> {
        match self.position(tag.kind, &tag.name) {
            Ok(i) => Some(std::mem::replace(&mut self.tags[i], tag)),
            Err(i) => {
                self.tags.insert(i, tag);
                None
            }
        }
    }

    /// Removes and returns the tag `(kind, name)`.
    pub fn remove(&mut self, kind: TagKind, name: &str) -> Option<Tag> {
        self.position(kind, name).ok().map(|i| self.tags.remove(i))
    }

    /// The tag bound to digit `d`.
    pub fn by_digit(&self, d: u8) -> Option<&Tag> {
        self.tags.iter().find(|t| t.digit == Some(d))
    }

    /// The lowest digit `1`–`9` not bound to a tag.
    pub fn next_free_digit(&self) -> Option<u8> {
        (1..=9).find(|d| self.by_digit(*d).is_none())
    }

    /// A colour for a new tag: the palette colour fewest tags of the
    /// codebook have (so a free one while there is one), the first in
    /// palette order on a tie. Colours outside the palette count for
    /// nothing.
    pub fn next_color(&self) -> Rgb {
        let mut uses = [0usize; PALETTE.len()];
        for t in &self.tags {
            if let Some(i) = PALETTE.iter().position(|c| *c == t.color) {
                uses[i] += 1;
            }
        }
        // `min_by_key` keeps the first of equal minima: palette order.
        let best = (0..PALETTE.len()).min_by_key(|&i| uses[i]).unwrap_or(0);
        PALETTE[best]
    }

    /// A fresh tag for `(kind, name)` with the next colour
    /// ([`Codebook::next_color`]) and the lowest free digit.
    pub fn new_tag(&self, kind: TagKind, name: &str) -> Tag {
        let mut t = Tag::new(kind, name, self.next_color());
        t.digit = self.next_free_digit();
        t
    }

    /// Names of `name` and all its descendants of the same kind.
    pub fn with_descendants(&self, kind: TagKind, name: &str) -> Vec<String> {
        let mut out = vec![name.to_owned()];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].clone();
            for t in self.of_kind(kind) {
                if t.parent.as_deref() == Some(parent.as_str()) && !out.contains(&t.name) {
                    out.push(t.name.clone());
                }
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_round_trip_as_hex() {
        let c = Rgb([0x0a, 0xff, 0x10]);
        assert_eq!(c.to_hex(), "#0aff10");
        assert_eq!(Rgb::from_hex("#0aff10"), Some(c));
        assert_eq!(Rgb::from_hex("#0aff1"), None);
        assert_eq!(Rgb::from_hex("#zzzzzz"), None);
    }

    #[test]
    fn codebook_stays_sorted_and_hands_out_digits() {
        let mut cb = Codebook::default();
        let t = cb.new_tag(TagKind::Actor, "ISI");
        assert_eq!(t.digit, Some(1));
        cb.insert(t);
        let t = cb.new_tag(TagKind::Issue, "Drone strikes");
        assert_eq!(t.digit, Some(2));
        assert_ne!(t.color, cb.get(TagKind::Actor, "ISI").unwrap().color);
        cb.insert(t);
        cb.insert(Tag::new(TagKind::Issue, "Anti-Americanism", PALETTE[0]));
        let names: Vec<_> = cb.tags().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Anti-Americanism", "Drone strikes", "ISI"]);
        assert_eq!(cb.by_digit(1).unwrap().name, "ISI");
        assert_eq!(cb.next_free_digit(), Some(3));
        assert!(cb.remove(TagKind::Issue, "ISI").is_none());
        assert!(cb.remove(TagKind::Actor, "ISI").is_some());
        assert_eq!(cb.next_free_digit(), Some(1));
    }

    #[test]
    fn descendants_follow_parents() {
        let mut cb = Codebook::default();
        let mut a = Tag::new(TagKind::Issue, "Security", PALETTE[0]);
        cb.insert(a.clone());
        a.name = "Drones".into();
        a.parent = Some("Security".into());
        cb.insert(a.clone());
        a.name = "Strikes in FATA".into();
        a.parent = Some("Drones".into());
        cb.insert(a);
        assert_eq!(
            cb.with_descendants(TagKind::Issue, "Security"),
            ["Security", "Drones", "Strikes in FATA"]
        );
    }

    #[test]
    fn new_tags_get_the_least_used_palette_colour() {
        let mut cb = Codebook::default();
        assert_eq!(cb.new_tag(TagKind::Issue, "first").color, PALETTE[0]);
        // free colours first, in palette order, whatever the kinds
        for (i, &colour) in PALETTE.iter().enumerate() {
            let kind = if i % 2 == 0 {
                TagKind::Issue
            } else {
                TagKind::Actor
            };
            let t = cb.new_tag(kind, &format!("tag {i:02}"));
            assert_eq!(t.color, colour, "tag {i}");
            cb.insert(t);
        }
        // all used once: the first again, then the second…
        let t = cb.new_tag(TagKind::Issue, "thirteenth");
        assert_eq!(t.color, PALETTE[0]);
        cb.insert(t);
        assert_eq!(cb.new_tag(TagKind::Issue, "x").color, PALETTE[1]);
        // a free colour after a deletion is taken before any used one
        cb.remove(TagKind::Actor, "tag 05");
        assert_eq!(cb.new_tag(TagKind::Issue, "x").color, PALETTE[5]);
    }

    #[test]
    fn a_heavily_used_colour_is_not_handed_out_again() {
        // Imported codebooks often colour every tag alike; the old rule
        // (palette index by number of tags) then repeated that colour.
        let mut cb = Codebook::default();
        for i in 0..13 {
            cb.insert(Tag::new(
                TagKind::Issue,
                &format!("same {i:02}"),
                PALETTE[0],
            ));
        }
        for (i, c) in PALETTE.iter().enumerate().skip(1) {
            cb.insert(Tag::new(TagKind::Actor, &format!("other {i:02}"), *c));
        }
        // 24 tags: the old rule gave PALETTE[24 % 12], used 13 times
        assert_eq!(cb.len(), 24);
        assert_eq!(cb.new_tag(TagKind::Issue, "new").color, PALETTE[1]);
        // colours outside the palette do not count; the digit rule is the
        // same as ever
        let mut cb = Codebook::default();
        let mut t = Tag::new(TagKind::Issue, "custom", Rgb([1, 2, 3]));
        t.digit = Some(1);
        cb.insert(t);
        cb.insert(Tag::new(TagKind::Issue, "orange", PALETTE[0]));
        let t = cb.new_tag(TagKind::Actor, "ISI");
        assert_eq!(t.color, PALETTE[1]);
        assert_eq!(t.digit, Some(2));
    }
}
