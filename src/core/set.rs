//! The annotation set: everything saved in a `<stem>.annotations.ron` file.
//!
//! Invariants:
//! - `annotations` is sorted by `(start, end, id)` and ids are unique.
//! - `orphans` holds annotations that could not be placed in the current
//!   text (see re-anchoring); they are kept and saved, never dropped.
//! - `version` is the version a set was read with (or [`BASE_VERSION`]
//!   for a new set). A set is written with the lowest version that holds
//!   every field it uses, never below the version it was read with
//!   ([`AnnotationSet::version_to_write`]): files without the newer
//!   fields stay readable by older builds, and an older build refuses to
//!   overwrite a file that has them, so they are never dropped silently.
//! - A lazily built id index (id → span, plus the numeric ids in use) makes
//!   [`AnnotationSet::get`], [`AnnotationSet::index_of`],
//!   [`AnnotationSet::remove`], [`AnnotationSet::id_in_use`] and
//!   [`AnnotationSet::fresh_id`] O(log n). It is kept up to date by the
//!   set's own methods. The annotation list is private
//!   and every method that changes it keeps the index in step, so a stale
//!   index is a bug (a `debug_assert!`), not a slow path. The index is
//!   neither saved nor compared nor cloned.

use super::annotation::Annotation;
use super::codebook::{Codebook, TagKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The newest RON format version this build reads and writes. Version 2
/// added the document `status` and `attributes` in `metadata`; version 3
/// an annotation's `conflict_of` (a merge's kept conflict); version 4 a
/// curated set's `curation` record and its annotations' `curated_from`.
pub const FORMAT_VERSION: u32 = 4;

/// The version of a set that uses only version 1's fields (what builds
/// before version 2 read).
pub const BASE_VERSION: u32 = 1;

/// The first version with the document `status` and `attributes`.
const STATUS_VERSION: u32 = 2;

/// The first version with an annotation's `conflict_of`.
const CONFLICT_VERSION: u32 = 3;

/// The first version with a curated set's `curation` and `curated_from`.
const CURATION_VERSION: u32 = 4;

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
    /// Where the document stands in the coding work (format version 2;
    /// `ToDo` when absent).
    #[serde(default, skip_serializing_if = "DocStatus::is_to_do")]
    pub status: DocStatus,
    /// The corpus's document variables for this article, by name
    /// (`outlet: "Dawn"`, `country: "PK"`; format version 2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// In a curated set: who curated it from which two codings, and the
    /// decisions that added nothing (format version 4).
    #[serde(default, skip_serializing_if = "is_none")]
    pub curation: Option<Curation>,
}

/// The record of a curated set: the curator, the two codings compared and
/// the coding annotations rejected ("accept neither"). Accepted ones are
/// recorded on the curated annotations themselves (`curated_from`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curation {
    /// The curator's name.
    pub curator: String,
    /// Coding A's name (a coder, or the folder or file it was read from).
    pub a: String,
    /// Coding B's name.
    pub b: String,
    /// Coding annotations rejected, as `<coding>:<id>`, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
}

impl Metadata {
    /// The lowest format version that holds these fields.
    pub fn needed_version(&self) -> u32 {
        if self.curation.is_some() {
            CURATION_VERSION
        } else if self.status.is_to_do() && self.attributes.is_empty() {
            BASE_VERSION
        } else {
            STATUS_VERSION
        }
    }
}

/// Where a document stands in the coding work of a corpus.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum DocStatus {
    /// Not started (the default).
    #[default]
    ToDo,
    /// Being coded.
    InProgress,
    /// Coded.
    Done,
}

impl DocStatus {
    /// Every status, in work order.
    pub const ALL: [DocStatus; 3] = [DocStatus::ToDo, DocStatus::InProgress, DocStatus::Done];

    /// Whether this is the default `ToDo` (not written to files).
    pub fn is_to_do(&self) -> bool {
        *self == DocStatus::ToDo
    }

    /// The status as the window shows it.
    pub fn label(self) -> &'static str {
        match self {
            DocStatus::ToDo => "To do",
            DocStatus::InProgress => "In progress",
            DocStatus::Done => "Done",
        }
    }

    /// The status in exports (`to_do`, `in_progress`, `done`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::ToDo => "to_do",
            DocStatus::InProgress => "in_progress",
            DocStatus::Done => "done",
        }
    }
}

/// The numeric part of an id of the form `a<number>`.
/// The id prefix of a coder (see [`AnnotationSet::fresh_id_for`]); `None`
/// for an empty name.
pub fn id_slug(coder: &str) -> Option<String> {
    let coder = coder.trim();
    if coder.is_empty() {
        return None;
    }
    let slug: String = coder
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(12)
        .collect();
    Some(if slug.is_empty() {
        super::text::sha256_hex(coder)[..6].to_owned()
    } else {
        slug
    })
}

fn numeric_id(id: &str) -> Option<u64> {
    id.strip_prefix('a')?.parse::<u64>().ok()
}

/// The lookup tables behind the id index.
#[derive(Debug, Default)]
struct IndexData {
    /// Span of each placed annotation by id.
    spans: HashMap<Box<str>, (usize, usize)>,
    /// Numeric ids of placed annotations, with multiplicity.
    numeric: BTreeMap<u64, u32>,
    /// `annotations.len()` this index describes.
    len: usize,
}

impl IndexData {
    fn build(annotations: &[Annotation]) -> IndexData {
        let mut d = IndexData {
            spans: HashMap::with_capacity(annotations.len()),
            numeric: BTreeMap::new(),
            len: 0,
        };
        for a in annotations {
            d.add(a);
        }
        d
    }

    fn add(&mut self, a: &Annotation) {
        self.spans.insert(a.id.as_str().into(), (a.start, a.end));
        if let Some(n) = numeric_id(&a.id) {
            *self.numeric.entry(n).or_insert(0) += 1;
        }
        self.len += 1;
    }

    fn forget(&mut self, a: &Annotation) {
        self.spans.remove(a.id.as_str());
        if let Some(n) = numeric_id(&a.id)
            && let Some(c) = self.numeric.get_mut(&n)
        {
            *c -= 1;
            if *c == 0 {
                self.numeric.remove(&n);
            }
        }
        self.len = self.len.saturating_sub(1);
    }
}

/// A cache of id lookups; see the module invariants. Equal to any other
/// index, and cloned empty, so it never affects comparisons or copies.
#[derive(Default)]
pub struct IdIndex(OnceLock<IndexData>);

impl Clone for IdIndex {
    fn clone(&self) -> IdIndex {
        IdIndex::default()
    }
}

impl PartialEq for IdIndex {
    fn eq(&self, _: &IdIndex) -> bool {
        true
    }
}

impl Eq for IdIndex {}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdIndex")
    }
}

impl Metadata {
    /// The fields in display order as `(key, label, value)`; exporters
    /// iterate this instead of listing the fields again.
    pub fn fields(&self) -> [(&'static str, &'static str, Option<&str>); 6] {
        [
            ("title", "Title", self.title.as_deref()),
            ("author", "Author", self.author.as_deref()),
            ("publication", "Publication", self.publication.as_deref()),
            ("date", "Date", self.date.as_deref()),
            ("url", "URL", self.url.as_deref()),
            ("notes", "Notes", self.notes.as_deref()),
        ]
    }
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
    /// The placed annotations, sorted by position (start, end, id) and
    /// unique by id: private, so only the methods below (the ones
    /// `command::apply`, loading and anchoring use) change it.
    #[serde(default)]
    annotations: Vec<Annotation>,
    /// Annotations that could not be placed in the current text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Annotation>,
    /// Id lookup cache (not saved, not compared).
    #[serde(skip)]
    pub id_index: IdIndex,
}

impl AnnotationSet {
    /// The format version this set is written with: its own, raised to
    /// the lowest version that holds every field it uses.
    pub fn version_to_write(&self) -> u32 {
        let all = || self.annotations.iter().chain(&self.orphans);
        let needed = if all().any(|a| !a.curated_from.is_empty()) {
            CURATION_VERSION
        } else if all().any(|a| a.conflict_of.is_some()) {
            CONFLICT_VERSION.max(self.metadata.needed_version())
        } else {
            self.metadata.needed_version()
        };
        self.version.max(needed)
    }

    /// An empty set for a text with this digest and length.
    pub fn new(source: SourceRef) -> AnnotationSet {
        AnnotationSet {
            version: BASE_VERSION,
            source,
            metadata: Metadata::default(),
            codebook: Codebook::default(),
            annotations: Vec::new(),
            orphans: Vec::new(),
            id_index: IdIndex::default(),
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
        self.reindex();
    }

    /// Drops the id index; it is rebuilt on the next lookup. Call after
    /// replacing or reordering `annotations` directly.
    pub fn reindex(&mut self) {
        self.id_index = IdIndex::default();
    }

    /// Readies the set for interactive edits (e.g. on a loading thread):
    /// builds the id index and reserves room for more annotations, so that
    /// neither the first lookup nor the first insert pays for it in a frame
    /// (growing a 50,000-annotation vector copies megabytes).
    pub fn prepare_for_edits(&mut self) {
        let room = (self.annotations.len() / 4).max(64);
        self.annotations.reserve(room);
        self.index();
    }

    /// The id index, built if needed. The list is private and every
    /// change keeps the index in step, so a stale index is a bug.
    fn index(&self) -> &IndexData {
        let d = self
            .id_index
            .0
            .get_or_init(|| IndexData::build(&self.annotations));
        debug_assert_eq!(d.len, self.annotations.len(), "stale id index");
        d
    }

    /// The index for updating, when it is built.
    fn index_mut(&mut self) -> Option<&mut IndexData> {
        self.id_index.0.get_mut()
    }

    /// The placed annotations, sorted by position (start, end, id).
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }

    /// Replaces the placed annotations (sorted here, the id index rebuilt
    /// on the next lookup). For loading, anchoring and building sets; edits
    /// go through `command::apply`.
    pub fn set_annotations(&mut self, mut annotations: Vec<Annotation>) {
        annotations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.annotations = annotations;
        self.reindex();
    }

    /// Changes the list with `f`, then puts it back in order (the id index
    /// rebuilt on the next lookup). Ids must stay unique (a file with
    /// duplicates is repaired when it is anchored).
    pub fn update_annotations(&mut self, f: impl FnOnce(&mut Vec<Annotation>)) {
        let mut list = self.take_annotations();
        f(&mut list);
        self.set_annotations(list);
    }

    /// Takes the placed annotations out (the set is left with none).
    pub fn take_annotations(&mut self) -> Vec<Annotation> {
        self.reindex();
        std::mem::take(&mut self.annotations)
    }

    /// Edits every annotation in place with `f`, which must not change an
    /// annotation's id, start or end (its place in the order); returns how
    /// many `f` reported as changed.
    pub(crate) fn edit_each(&mut self, mut f: impl FnMut(&mut Annotation) -> bool) -> usize {
        let mut n = 0;
        for a in &mut self.annotations {
            let (id, start, end) = (a.id.clone(), a.start, a.end);
            if f(a) {
                n += 1;
            }
            debug_assert!(
                a.id == id && a.start == start && a.end == end,
                "edit_each must not move an annotation"
            );
        }
        n
    }

    /// Index of the annotation with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        let &(start, end) = self.index().spans.get(id)?;
        let key = (start, end, id);
        let i = self.annotations.partition_point(|x| x.sort_key() < key);
        let found = self.annotations.get(i).is_some_and(|a| a.id == id);
        debug_assert!(found, "stale id index for {id}");
        found.then_some(i)
    }

    /// The annotation with this id.
    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.index_of(id).map(|i| &self.annotations[i])
    }

    /// Inserts keeping the order; the caller guarantees the id is new.
    pub fn insert_sorted(&mut self, a: Annotation) {
        let i = self
            .annotations
            .partition_point(|x| x.sort_key() < a.sort_key());
        if let Some(d) = self.index_mut() {
            d.add(&a);
        }
        self.annotations.insert(i, a);
    }

    /// Removes and returns the annotation with this id.
    pub fn remove(&mut self, id: &str) -> Option<Annotation> {
        let i = self.index_of(id)?;
        let a = self.annotations.remove(i);
        if let Some(d) = self.index_mut() {
            d.forget(&a);
        }
        Some(a)
    }

    /// Whether any annotation or orphan uses this id.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.index_of(id).is_some() || self.orphans.iter().any(|a| a.id == id)
    }

    /// A new id not used in this set: `a` followed by a number one past the
    /// highest numeric id in use (ids from other tools are left alone).
    pub fn fresh_id(&self) -> String {
        let placed = self.index().numeric.last_key_value().map(|(&n, _)| n);
        let orphans = self.orphans.iter().filter_map(|a| numeric_id(&a.id)).max();
        let max = placed.max(orphans).unwrap_or(0);
        format!("a{}", max + 1)
    }

    /// A new id for an annotation that `coder` creates: `<slug>-<n>`, the
    /// slug being the coder's name in lowercase ASCII letters and digits
    /// (at most 12; a name without any: 6 hex digits of its SHA-256) and n
    /// one past the highest number in use after it. Two coders working in
    /// two clones of a corpus thus never pick the same id. Without a coder,
    /// [`AnnotationSet::fresh_id`].
    pub fn fresh_id_for(&self, coder: Option<&str>) -> String {
        let Some(slug) = coder.and_then(id_slug) else {
            return self.fresh_id();
        };
        let prefix = format!("{slug}-");
        let max = self
            .annotations
            .iter()
            .chain(&self.orphans)
            .filter_map(|a| a.id.strip_prefix(&prefix)?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        format!("{prefix}{}", max + 1)
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
    fn coders_in_two_clones_never_pick_the_same_id() {
        let text = Text::new("one two three four".to_owned());
        // Both clones start from the same set, with a1 and a2.
        let mut base = AnnotationSet::new(SourceRef::default());
        for (s, e) in [(0, 3), (4, 7)] {
            let id = base.fresh_id();
            base.insert_sorted(Annotation::new(id, &text, s, e, "t"));
        }
        let (mut ann, mut bob) = (base.clone(), base.clone());
        let mut ids = Vec::new();
        for (set, coder) in [(&mut ann, "Ann Smith"), (&mut bob, "bob")] {
            for (s, e) in [(8, 13), (14, 18)] {
                let id = set.fresh_id_for(Some(coder));
                assert!(!set.id_in_use(&id));
                set.insert_sorted(Annotation::new(id.clone(), &text, s, e, "t"));
                ids.push(id);
            }
        }
        assert_eq!(ids, ["annsmith-1", "annsmith-2", "bob-1", "bob-2"]);
        // A name without ASCII letters gets a prefix of its digest, the
        // same each time; no name keeps the plain numbers; old ids stay.
        let urdu = base.fresh_id_for(Some("عائشہ"));
        assert_eq!(urdu, base.fresh_id_for(Some("عائشہ")));
        assert!(urdu.ends_with("-1") && urdu.len() == 8, "{urdu}");
        assert_eq!(base.fresh_id_for(None), "a3");
        assert_eq!(base.fresh_id_for(Some("  ")), "a3");
        assert!(ann.get("a1").is_some() && bob.get("a2").is_some());
    }

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

    #[test]
    fn id_index_follows_inserts_removes_and_direct_edits() {
        let text = Text::new("one two three four".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        for (s, e) in [(8, 13), (0, 3), (4, 7), (0, 7)] {
            let id = set.fresh_id();
            set.insert_sorted(Annotation::new(id, &text, s, e, "t"));
        }
        for (i, a) in set.annotations.iter().enumerate() {
            assert_eq!(set.index_of(&a.id), Some(i));
        }
        assert_eq!(set.remove("a4").map(|a| (a.start, a.end)), Some((0, 7)));
        assert!(!set.id_in_use("a4"));
        assert_eq!(set.fresh_id(), "a4");
        assert_eq!(set.get("a3").map(|a| a.start), Some(4));
        // Replacing the list rebuilds the index.
        let mut list = set.take_annotations();
        assert_eq!(set.index_of("a3"), None);
        list[0].id = "x".into();
        list.pop();
        set.set_annotations(list);
        assert_eq!(set.index_of("x"), Some(0));
        assert_eq!(set.index_of("a3"), Some(1));
        assert_eq!(set.index_of("a1"), None);
        let copy = set.clone();
        assert_eq!(copy, set);
        assert_eq!(copy.get("a3"), set.get("a3"));
    }
}
