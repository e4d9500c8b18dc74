//! Coded segments across a corpus: every annotation that matches a query
//! (tags with their children, coder, stance, document status, date range,
//! attribute, text in the quote or note), with its left and right context
//! for a keyword-in-context list.
//!
//! Invariants:
//! - Only the sets are read (never the articles): the context is the
//!   annotation's stored prefix and suffix (up to 32 code points each,
//!   what re-anchoring keeps), the quote its stored quote.
//! - Results are in the corpus's document order, then by position in the
//!   document (the set's order), so the same query gives the same list.
//! - A set that cannot be read is reported by name, never skipped
//!   silently.

use super::annotation::{Annotation, Stance};
use super::codebook::{Codebook, TagKind};
use super::corpus::Corpus;
use super::set::{AnnotationSet, DocStatus, Metadata};
use super::store;

/// What the segments must match; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentQuery {
    /// Tags (kind, name), any of which the annotation must carry.
    pub tags: Vec<(TagKind, String)>,
    /// A tag also matches through its descendants in the codebook.
    pub with_children: bool,
    /// Tags (kind, name) the annotation must all carry, exactly (a chart
    /// cell: an actor and an issue coded together).
    pub all_tags: Vec<(TagKind, String)>,
    /// Only annotations by this coder.
    pub coder: Option<String>,
    /// Only annotations with this stance.
    pub stance: Option<Stance>,
    /// Only documents with this status.
    pub status: Option<DocStatus>,
    /// Only documents dated on or after this ISO date.
    pub date_from: Option<String>,
    /// Only documents dated on or before this ISO date.
    pub date_to: Option<String>,
    /// Only documents whose attribute (name) equals the value
    /// (case-insensitive).
    pub attribute: Option<(String, String)>,
    /// Text the quote or the note must contain (case-insensitive).
    pub text: String,
}

/// One coded segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Index of the document in the corpus.
    pub doc: usize,
    /// The annotation's id.
    pub id: String,
    /// Its span (code points, end excluded).
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// Text before the quote (the stored prefix).
    pub left: String,
    /// The quote.
    pub quote: String,
    /// Text after the quote (the stored suffix).
    pub right: String,
    /// Its tags, issues then actors.
    pub tags: Vec<(TagKind, String)>,
}

/// The result of a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segments {
    /// The matching segments.
    pub found: Vec<Segment>,
    /// Sets that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
}

impl SegmentQuery {
    /// Whether a document's metadata passes the document filters.
    pub fn matches_document(&self, m: &Metadata) -> bool {
        self.matches_fields(m.status, m.date.as_deref().unwrap_or(""), &m.attributes)
    }

    /// Whether a document's list summary passes the document filters.
    pub fn matches_summary(&self, s: &super::corpus::DocSummary) -> bool {
        self.matches_fields(s.status, &s.date, &s.attributes)
    }

    /// True when the query filters documents (status, dates, attribute).
    pub fn filters_documents(&self) -> bool {
        self.status.is_some()
            || self.date_from.is_some()
            || self.date_to.is_some()
            || self.attribute.is_some()
    }

    fn matches_fields(
        &self,
        status: DocStatus,
        date: &str,
        attributes: &std::collections::BTreeMap<String, String>,
    ) -> bool {
        if self.status.is_some_and(|s| s != status) {
            return false;
        }
        if let Some(from) = &self.date_from
            && (date.is_empty() || date < from.as_str())
        {
            return false;
        }
        if let Some(to) = &self.date_to
            && (date.is_empty() || date > to.as_str())
        {
            return false;
        }
        if let Some((name, value)) = &self.attribute {
            let v = attributes.get(name).map(|v| v.to_lowercase());
            if v.as_deref() != Some(value.trim().to_lowercase().as_str()) {
                return false;
            }
        }
        true
    }

    /// The tag names (per kind) an annotation may carry to match, in
    /// `codebook` (children added when asked).
    pub fn wanted(&self, codebook: &Codebook) -> Vec<(TagKind, String)> {
        let mut out = Vec::new();
        for (kind, name) in &self.tags {
            if self.with_children {
                out.extend(
                    codebook
                        .with_descendants(*kind, name)
                        .into_iter()
                        .map(|n| (*kind, n)),
                );
            } else {
                out.push((*kind, name.clone()));
            }
        }
        out
    }

    /// Whether an annotation passes the annotation filters (`wanted` from
    /// [`Self::wanted`]).
    fn matches_annotation(&self, a: &Annotation, wanted: &[(TagKind, String)]) -> bool {
        if !self.tags.is_empty()
            && !wanted
                .iter()
                .any(|(k, n)| a.tags(*k).iter().any(|t| t == n))
        {
            return false;
        }
        if !self
            .all_tags
            .iter()
            .all(|(k, n)| a.tags(*k).iter().any(|t| t == n))
        {
            return false;
        }
        if let Some(c) = &self.coder
            && a.coder.as_deref() != Some(c.as_str())
        {
            return false;
        }
        if self.stance.is_some() && a.stance != self.stance {
            return false;
        }
        let text = self.text.trim().to_lowercase();
        text.is_empty()
            || a.quote.to_lowercase().contains(&text)
            || a.note
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(&text))
    }

    /// The segments of one set (document `doc` of a corpus).
    pub fn in_set(&self, doc: usize, set: &AnnotationSet, codebook: &Codebook) -> Vec<Segment> {
        if !self.matches_document(&set.metadata) {
            return Vec::new();
        }
        let wanted = self.wanted(codebook);
        set.annotations()
            .iter()
            .filter(|a| self.matches_annotation(a, &wanted))
            .map(|a| Segment {
                doc,
                id: a.id.clone(),
                start: a.start,
                end: a.end,
                left: a.prefix.clone(),
                quote: a.quote.clone(),
                right: a.suffix.clone(),
                tags: a.all_tags().map(|(k, n)| (k, n.to_owned())).collect(),
            })
            .collect()
    }
}

/// Every segment of `corpus` that matches `query`. Children are found in
/// the corpus codebook and in each set's own.
pub fn find(corpus: &Corpus, query: &SegmentQuery) -> Segments {
    let mut out = Segments::default();
    for (i, d) in corpus.docs.iter().enumerate() {
        if !d.set_path.is_file() {
            continue;
        }
        match store::load(&d.set_path) {
            Ok(set) => {
                let (cb, _) = super::corpus::merge_codebooks(&set.codebook, &corpus.file.codebook);
                out.found.extend(query.in_set(i, &set, &cb));
            }
            Err(e) => out.unreadable.push((d.rel.clone(), e.to_string())),
        }
    }
    out
}

/// The sets of the documents holding `segments`, each keeping only its
/// segments' annotations (for the exporters), in document order.
pub fn sets_of(corpus: &Corpus, segments: &[Segment]) -> Vec<(usize, AnnotationSet)> {
    let mut out: Vec<(usize, AnnotationSet)> = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let doc = segments[i].doc;
        let n = segments[i..].iter().take_while(|s| s.doc == doc).count();
        let loaded = corpus.docs.get(doc).map(|d| store::load(&d.set_path));
        if let Some(Ok(mut set)) = loaded {
            let keep: std::collections::BTreeSet<&str> =
                segments[i..i + n].iter().map(|s| s.id.as_str()).collect();
            set.update_annotations(|v| v.retain(|a| keep.contains(a.id.as_str())));
            out.push((doc, set));
        }
        i += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codebook::{Rgb, Tag};
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    fn set(date: &str, outlet: &str, anns: &[(&str, &str, Option<&str>)]) -> AnnotationSet {
        let text = Text::new("The ISI said drone strikes must end, and trade resumed.".into());
        let mut s = AnnotationSet::new(SourceRef::default());
        s.metadata.date = Some(date.into());
        s.metadata.attributes.insert("outlet".into(), outlet.into());
        let mut cb = vec![
            Tag::new(TagKind::Issue, "Security", Rgb([1, 1, 1])),
            Tag::new(TagKind::Issue, "Trade", Rgb([1, 1, 1])),
        ];
        let mut drones = Tag::new(TagKind::Issue, "Drones", Rgb([1, 1, 1]));
        drones.parent = Some("Security".into());
        cb.push(drones);
        s.codebook = Codebook::from_tags(cb);
        let mut v = Vec::new();
        for (i, (word, issue, coder)) in anns.iter().enumerate() {
            let at = text.as_str().find(word).unwrap();
            let start = text.as_str()[..at].chars().count();
            let mut a = Annotation::new(
                format!("a{i}"),
                &text,
                start,
                start + word.chars().count(),
                "t",
            );
            a.issues = vec![(*issue).into()];
            a.coder = coder.map(str::to_owned);
            v.push(a);
        }
        s.set_annotations(v);
        s
    }

    #[test]
    fn a_parent_tag_finds_its_childrens_segments_with_their_context() {
        let s = set(
            "2012-07-04",
            "Dawn",
            &[
                ("drone strikes", "Drones", Some("ann")),
                ("trade", "Trade", None),
            ],
        );
        let q = SegmentQuery {
            tags: vec![(TagKind::Issue, "Security".into())],
            with_children: true,
            ..Default::default()
        };
        let found = q.in_set(3, &s, &s.codebook);
        assert_eq!(found.len(), 1);
        let seg = &found[0];
        assert_eq!(seg.doc, 3);
        assert_eq!(
            (seg.left.as_str(), seg.quote.as_str(), seg.right.as_str()),
            (
                "The ISI said ",
                "drone strikes",
                " must end, and trade resumed."
            )
        );
        // Without children the parent alone matches nothing.
        let q = SegmentQuery {
            with_children: false,
            ..q
        };
        assert!(q.in_set(3, &s, &s.codebook).is_empty());
    }

    #[test]
    fn coder_text_date_status_and_attribute_narrow_the_segments() {
        let s = set(
            "2012-07-04",
            "Dawn",
            &[
                ("drone strikes", "Drones", Some("ann")),
                ("trade", "Trade", Some("bo")),
            ],
        );
        let all = |q: SegmentQuery| q.in_set(0, &s, &s.codebook).len();
        assert_eq!(all(SegmentQuery::default()), 2);
        assert_eq!(
            all(SegmentQuery {
                coder: Some("bo".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            all(SegmentQuery {
                text: "DRONE".into(),
                ..Default::default()
            }),
            1
        );
        let dated = |from: &str, to: &str| SegmentQuery {
            date_from: Some(from.into()),
            date_to: Some(to.into()),
            ..Default::default()
        };
        assert_eq!(all(dated("2012-07-01", "2012-07-04")), 2);
        assert_eq!(all(dated("2012-07-05", "2012-12-31")), 0);
        assert_eq!(
            all(SegmentQuery {
                status: Some(DocStatus::Done),
                ..Default::default()
            }),
            0
        );
        let outlet = |v: &str| SegmentQuery {
            attribute: Some(("outlet".into(), v.into())),
            ..Default::default()
        };
        assert_eq!(all(outlet("dawn")), 2);
        assert_eq!(all(outlet("Nation")), 0);
    }

    #[test]
    fn a_corpus_search_lists_documents_in_order_and_names_unreadable_sets() {
        let d = tempfile::tempdir().unwrap();
        for (stem, s) in [
            ("a", set("2012-01-01", "Dawn", &[("trade", "Trade", None)])),
            (
                "b",
                set(
                    "2012-01-02",
                    "Dawn",
                    &[("ISI", "Trade", None), ("trade", "Trade", None)],
                ),
            ),
        ] {
            std::fs::write(d.path().join(format!("{stem}.txt")), "x").unwrap();
            store::save(&d.path().join(format!("{stem}.annotations.ron")), &s).unwrap();
        }
        std::fs::write(d.path().join("c.txt"), "x").unwrap();
        std::fs::write(d.path().join("c.annotations.ron"), "(oops").unwrap();
        let c = Corpus::open(d.path()).unwrap();
        let q = SegmentQuery {
            tags: vec![(TagKind::Issue, "Trade".into())],
            ..Default::default()
        };
        let r = find(&c, &q);
        let got: Vec<(usize, &str)> = r.found.iter().map(|s| (s.doc, s.quote.as_str())).collect();
        assert_eq!(got, [(0, "trade"), (1, "ISI"), (1, "trade")]);
        assert_eq!(r.unreadable.len(), 1);
        assert_eq!(r.unreadable[0].0, "c.txt");
        let sets = sets_of(&c, &r.found);
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[1].1.annotations().len(), 2);
    }
}
