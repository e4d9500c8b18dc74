//! The annotation set: everything saved in a `<stem>.annotations.ron` file.
//!
//! Invariants:
//! - `annotations` is sorted by `(start, end, id)` and ids are unique.
//! - `orphans` holds annotations that could not be placed in the current
//!   text (see re-anchoring); they are kept and saved, never dropped.
//! - `version` is [`FORMAT_VERSION`] for sets written by this build.

use super::annotation::Annotation;
use super::codebook::{Codebook, TagKind};
use serde::{Deserialize, Serialize};

/// The RON format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

fn is_none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

/// Where the annotated text comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Path of the article, relative to the RON file's folder, with `/`
    /// separators (absolute when no relative path exists).
    pub path: String,
    /// Lowercase hex SHA-256 of the decoded text the offsets point into.
    pub sha256: String,
    /// Length of that text in code points.
    pub length: usize,
    /// For articles extracted from another format (HTML, DOCX, PDF …): the
    /// original file, relative like `path`; `path` then names the stored
    /// extracted text.
    #[serde(default, skip_serializing_if = "is_none")]
    pub original: Option<String>,
    /// Name and version of the extractor that produced the text.
    #[serde(default, skip_serializing_if = "is_none")]
    pub extractor: Option<String>,
}

/// Bibliographic facts about the article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Headline or title.
    #[serde(default, skip_serializing_if = "is_none")]
    pub title: Option<String>,
    /// Author(s).
    #[serde(default, skip_serializing_if = "is_none")]
    pub author: Option<String>,
    /// Newspaper, site or outlet.
    #[serde(default, skip_serializing_if = "is_none")]
    pub publication: Option<String>,
    /// Publication date, ISO `YYYY-MM-DD` when known.
    #[serde(default, skip_serializing_if = "is_none")]
    pub date: Option<String>,
    /// Where the article was found.
    #[serde(default, skip_serializing_if = "is_none")]
    pub url: Option<String>,
    /// Free notes on the document.
    #[serde(default, skip_serializing_if = "is_none")]
    pub notes: Option<String>,
}

/// One article's annotations, codebook and metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotationSet {
    /// Format version (see [`FORMAT_VERSION`]).
    pub version: u32,
    /// The annotated text.
    pub source: SourceRef,
    /// Document metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Issues and actors.
    #[serde(default)]
    pub codebook: Codebook,
    /// The placed annotations, sorted by position.
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// Annotations that could not be placed in the current text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Annotation>,
}

impl AnnotationSet {
    /// An empty set for a text with this digest and length.
    pub fn new(source: SourceRef) -> AnnotationSet {
        AnnotationSet {
            version: FORMAT_VERSION,
            source,
            metadata: Metadata::default(),
            codebook: Codebook::default(),
            annotations: Vec::new(),
            orphans: Vec::new(),
        }
    }

    /// Restores the invariants after loading: tag lists sorted, annotations
    /// sorted by position.
    pub fn normalize(&mut self) {
        for a in self.annotations.iter_mut().chain(self.orphans.iter_mut()) {
            a.normalize();
        }
        self.annotations
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.orphans.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Index of the annotation with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.annotations.iter().position(|a| a.id == id)
    }

    /// The annotation with this id.
    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id)
    }

    /// Inserts keeping the order; the caller guarantees the id is new.
    pub fn insert_sorted(&mut self, a: Annotation) {
        let i = self
            .annotations
            .partition_point(|x| x.sort_key() < a.sort_key());
        self.annotations.insert(i, a);
    }

    /// Removes and returns the annotation with this id.
    pub fn remove(&mut self, id: &str) -> Option<Annotation> {
        let i = self.index_of(id)?;
        Some(self.annotations.remove(i))
    }

    /// Whether any annotation or orphan uses this id.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.annotations
            .iter()
            .chain(&self.orphans)
            .any(|a| a.id == id)
    }

    /// A new id not used in this set: `a` followed by a number one past the
    /// highest numeric id in use (ids from other tools are left alone).
    pub fn fresh_id(&self) -> String {
        let max = self
            .annotations
            .iter()
            .chain(&self.orphans)
            .filter_map(|a| a.id.strip_prefix('a')?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        format!("a{}", max + 1)
    }

    /// How many annotations carry tag `(kind, name)`.
    pub fn count_tag(&self, kind: TagKind, name: &str) -> usize {
        self.annotations
            .iter()
            .filter(|a| a.has_tag(kind, name))
            .count()
    }

    /// Annotations overlapping `start..end` (or containing `start` when the
    /// range is empty), in position order.
    pub fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = &Annotation> {
        self.annotations.iter().filter(move |a| {
            if start == end {
                a.start <= start && start < a.end
            } else {
                a.start < end && start < a.end
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::Text;

    #[test]
    fn fresh_ids_are_unique_and_insertion_keeps_order() {
        let text = Text::new("one two three four".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        for (s, e) in [(8, 13), (0, 3), (4, 7), (0, 7)] {
            let id = set.fresh_id();
            assert!(!set.id_in_use(&id));
            set.insert_sorted(Annotation::new(id, &text, s, e, "t"));
        }
        let spans: Vec<_> = set.annotations.iter().map(|a| (a.start, a.end)).collect();
        assert_eq!(spans, [(0, 3), (0, 7), (4, 7), (8, 13)]);
        assert_eq!(set.fresh_id(), "a5");
        let over: Vec<_> = set.overlapping(5, 9).map(|a| a.id.clone()).collect();
        assert_eq!(over, ["a4", "a3", "a1"]);
        assert_eq!(set.overlapping(2, 2).count(), 2);
    }
}
