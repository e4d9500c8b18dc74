//! A compact in-memory index of every annotation of a corpus: what the
//! coded-segments list and the charts query, so a query over a million
//! annotations never reads a set from disk.
//!
//! Invariants:
//! - One [`DocIndex`] per corpus document, built from its set
//!   ([`DocIndex::from_set`]) and dropped or replaced whole; a document not
//!   indexed yet (or without a set) has none.
//! - Per annotation the index keeps its span (code points, end excluded),
//!   tags, coder and stance, and in one text arena per document its id,
//!   stored prefix, quote, suffix and note. Nothing else of the set stays
//!   in memory.
//! - Tags and coders are interned corpus-wide (ids are indices into
//!   [`CorpusIndex::tag`] / [`CorpusIndex::coder`]); an id, once given,
//!   keeps its name for the life of the index.
//! - Annotations are visited in document order, then in the set's order,
//!   so the same query gives the same list.

use super::annotation::{Annotation, Stance};
use super::codebook::{Codebook, TagKind};
use super::corpus::DocSummary;
use super::segments::{Segment, SegmentQuery};
use super::set::AnnotationSet;
use std::collections::HashMap;

/// No coder named on the annotation.
const NO_CODER: u32 = u32::MAX;

/// One annotation, compact: offsets into its document's arena and tag list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    start: u32,
    end: u32,
    /// Arena offsets: id, prefix, quote, suffix, note start; note end.
    text: [u32; 6],
    tags_at: u32,
    tags_len: u16,
    has_note: bool,
    stance: Option<Stance>,
    coder: u32,
}

/// The annotations of one document, compact. Built on any thread; its tag
/// and coder ids are local until [`CorpusIndex::insert`] interns them.
#[derive(Debug, Clone, Default)]
pub struct DocIndex {
    arena: String,
    entries: Vec<Entry>,
    tag_ids: Vec<u32>,
    /// Local tables (emptied when inserted into a [`CorpusIndex`]).
    local_tags: Vec<(TagKind, String)>,
    local_coders: Vec<String>,
}

fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl DocIndex {
    /// The index of one set's annotations.
    pub fn from_set(set: &AnnotationSet) -> DocIndex {
        let mut d = DocIndex::default();
        let mut tags: HashMap<(TagKind, &str), u32> = HashMap::new();
        let mut coders: HashMap<&str, u32> = HashMap::new();
        let bytes: usize = set
            .annotations()
            .iter()
            .map(|a| {
                a.id.len()
                    + a.prefix.len()
                    + a.quote.len()
                    + a.suffix.len()
                    + a.note.as_ref().map_or(0, String::len)
            })
            .sum();
        d.arena.reserve(bytes);
        d.entries.reserve(set.annotations().len());
        for a in set.annotations() {
            let tags_at = narrow(d.tag_ids.len());
            for (kind, name) in a.all_tags() {
                let next = narrow(d.local_tags.len());
                let id = *tags.entry((kind, name)).or_insert_with(|| {
                    d.local_tags.push((kind, name.to_owned()));
                    next
                });
                d.tag_ids.push(id);
            }
            let coder = match a.coder.as_deref() {
                Some(c) => {
                    let next = narrow(d.local_coders.len());
                    *coders.entry(c).or_insert_with(|| {
                        d.local_coders.push(c.to_owned());
                        next
                    })
                }
                None => NO_CODER,
            };
            let entry = d.entry(a, tags_at, coder);
            d.entries.push(entry);
        }
        d
    }

    fn entry(&mut self, a: &Annotation, tags_at: u32, coder: u32) -> Entry {
        let mut text = [0u32; 6];
        let note = a.note.as_deref().unwrap_or("");
        for (i, part) in [&a.id, &a.prefix, &a.quote, &a.suffix, note]
            .into_iter()
            .enumerate()
        {
            text[i] = narrow(self.arena.len());
            self.arena.push_str(part);
        }
        text[5] = narrow(self.arena.len());
        Entry {
            start: narrow(a.start),
            end: narrow(a.end),
            text,
            tags_at,
            tags_len: u16::try_from(narrow(self.tag_ids.len()) - tags_at).unwrap_or(u16::MAX),
            has_note: a.note.is_some(),
            stance: a.stance,
            coder,
        }
    }

    /// Number of annotations.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the document has no annotation.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn part(&self, e: &Entry, i: usize) -> &str {
        self.arena
            .get(e.text[i] as usize..e.text[i + 1] as usize)
            .unwrap_or("")
    }

    fn tags_of(&self, e: &Entry) -> &[u32] {
        let at = e.tags_at as usize;
        self.tag_ids
            .get(at..at + e.tags_len as usize)
            .unwrap_or(&[])
    }
}

/// One indexed annotation as a query sees it.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// The document (its index in the corpus).
    pub doc: usize,
    /// Interned tag ids the annotation carries (issues then actors).
    pub tags: &'a [u32],
    /// Interned coder id, if a coder is named.
    pub coder: Option<u32>,
    /// The stance, if any.
    pub stance: Option<Stance>,
}

/// Every annotation of a corpus, compact (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct CorpusIndex {
    docs: Vec<Option<DocIndex>>,
    tags: Vec<(TagKind, String)>,
    tag_ids: HashMap<(TagKind, String), u32>,
    coders: Vec<String>,
    coder_ids: HashMap<String, u32>,
    annotations: usize,
}

impl CorpusIndex {
    /// An empty index for a corpus of `docs` documents.
    pub fn new(docs: usize) -> CorpusIndex {
        CorpusIndex {
            docs: vec![None; docs],
            ..CorpusIndex::default()
        }
    }

    /// Puts (or replaces) document `doc`'s annotations, interning its tags
    /// and coders. An index past the end is ignored.
    pub fn insert(&mut self, doc: usize, mut d: DocIndex) {
        if doc >= self.docs.len() {
            return;
        }
        let tag_map: Vec<u32> = std::mem::take(&mut d.local_tags)
            .into_iter()
            .map(|t| self.intern_tag(t))
            .collect();
        let coder_map: Vec<u32> = std::mem::take(&mut d.local_coders)
            .into_iter()
            .map(|c| self.intern_coder(c))
            .collect();
        for id in &mut d.tag_ids {
            *id = tag_map.get(*id as usize).copied().unwrap_or(u32::MAX);
        }
        for e in &mut d.entries {
            if e.coder != NO_CODER {
                e.coder = coder_map.get(e.coder as usize).copied().unwrap_or(NO_CODER);
            }
        }
        d.arena.shrink_to_fit();
        self.remove(doc);
        self.annotations += d.len();
        self.docs[doc] = Some(d);
    }

    /// Drops document `doc`'s annotations (its set is gone or unreadable).
    pub fn remove(&mut self, doc: usize) {
        if let Some(old) = self.docs.get_mut(doc).and_then(Option::take) {
            self.annotations -= old.len();
        }
    }

    fn intern_tag(&mut self, t: (TagKind, String)) -> u32 {
        if let Some(&id) = self.tag_ids.get(&t) {
            return id;
        }
        let id = narrow(self.tags.len());
        self.tags.push(t.clone());
        self.tag_ids.insert(t, id);
        id
    }

    fn intern_coder(&mut self, c: String) -> u32 {
        if let Some(&id) = self.coder_ids.get(&c) {
            return id;
        }
        let id = narrow(self.coders.len());
        self.coders.push(c.clone());
        self.coder_ids.insert(c, id);
        id
    }

    /// Number of documents the index is for.
    pub fn documents(&self) -> usize {
        self.docs.len()
    }

    /// Number of annotations indexed.
    pub fn annotations(&self) -> usize {
        self.annotations
    }

    /// Whether document `doc` is indexed.
    pub fn has(&self, doc: usize) -> bool {
        self.docs.get(doc).is_some_and(Option::is_some)
    }

    /// The tag with interned id `id`.
    pub fn tag(&self, id: u32) -> Option<(TagKind, &str)> {
        self.tags.get(id as usize).map(|(k, n)| (*k, n.as_str()))
    }

    /// Number of interned tags (ids are `0..tag_count()`).
    pub fn tag_count(&self) -> usize {
        self.tags.len()
    }

    /// The interned id of a tag, if any annotation ever carried it.
    pub fn tag_id(&self, kind: TagKind, name: &str) -> Option<u32> {
        self.tag_ids.get(&(kind, name.to_owned())).copied()
    }

    /// The coder with interned id `id`.
    pub fn coder(&self, id: u32) -> Option<&str> {
        self.coders.get(id as usize).map(String::as_str)
    }

    /// Visits every annotation that `query` matches, in document order
    /// (documents filtered by their summaries' status, date and attribute;
    /// children of the query's tags found in `codebook`). A document
    /// without a summary passes the document filters only when there are
    /// none.
    pub fn for_each<'a>(
        &'a self,
        query: &SegmentQuery,
        codebook: &Codebook,
        summaries: &[Option<DocSummary>],
        mut f: impl FnMut(Hit<'a>, &'a DocIndex, usize),
    ) {
        let m = Matcher::new(self, query, codebook);
        for (doc, d) in self.docs.iter().enumerate() {
            let Some(d) = d else { continue };
            let pass = match summaries.get(doc).and_then(Option::as_ref) {
                Some(s) => query.matches_summary(s),
                None => !query.filters_documents(),
            };
            if !pass {
                continue;
            }
            for (i, e) in d.entries.iter().enumerate() {
                if m.matches(d, e) {
                    let hit = Hit {
                        doc,
                        tags: d.tags_of(e),
                        coder: (e.coder != NO_CODER).then_some(e.coder),
                        stance: e.stance,
                    };
                    f(hit, d, i);
                }
            }
        }
    }

    /// The coded segments `query` matches (see [`Self::for_each`]).
    pub fn segments(
        &self,
        query: &SegmentQuery,
        codebook: &Codebook,
        summaries: &[Option<DocSummary>],
    ) -> Vec<Segment> {
        let mut out = Vec::new();
        self.for_each(query, codebook, summaries, |hit, d, i| {
            let e = &d.entries[i];
            out.push(Segment {
                doc: hit.doc,
                id: d.part(e, 0).to_owned(),
                start: e.start as usize,
                end: e.end as usize,
                left: d.part(e, 1).to_owned(),
                quote: d.part(e, 2).to_owned(),
                right: d.part(e, 3).to_owned(),
                tags: hit
                    .tags
                    .iter()
                    .filter_map(|&t| self.tag(t))
                    .map(|(k, n)| (k, n.to_owned()))
                    .collect(),
            });
        });
        out
    }
}

/// A query compiled against the index's interned ids.
struct Matcher {
    /// Per tag id: wanted (any of); empty when the query names no tag.
    any: Vec<bool>,
    /// Tag ids every match must carry; `None` when one is unknown (nothing
    /// matches).
    all: Option<Vec<u32>>,
    tags_named: bool,
    coder: Option<Option<u32>>,
    stance: Option<Stance>,
    text: String,
}

impl Matcher {
    fn new(index: &CorpusIndex, query: &SegmentQuery, codebook: &Codebook) -> Matcher {
        let mut any = vec![false; index.tags.len()];
        for (kind, name) in query.wanted(codebook) {
            if let Some(id) = index.tag_id(kind, &name) {
                any[id as usize] = true;
            }
        }
        let all = query
            .all_tags
            .iter()
            .map(|(k, n)| index.tag_id(*k, n))
            .collect::<Option<Vec<u32>>>();
        Matcher {
            any,
            all,
            tags_named: !query.tags.is_empty(),
            coder: query
                .coder
                .as_ref()
                .map(|c| index.coder_ids.get(c).copied()),
            stance: query.stance,
            text: query.text.trim().to_lowercase(),
        }
    }

    fn matches(&self, d: &DocIndex, e: &Entry) -> bool {
        let tags = d.tags_of(e);
        if self.tags_named && !tags.iter().any(|&t| self.any[t as usize]) {
            return false;
        }
        match &self.all {
            None => return false,
            Some(all) if !all.iter().all(|t| tags.contains(t)) => return false,
            Some(_) => {}
        }
        match self.coder {
            Some(None) => return false,
            Some(Some(c)) if e.coder != c => return false,
            _ => {}
        }
        if self.stance.is_some() && e.stance != self.stance {
            return false;
        }
        self.text.is_empty()
            || d.part(e, 2).to_lowercase().contains(&self.text)
            || (e.has_note && d.part(e, 4).to_lowercase().contains(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::markup;
    use crate::core::set::DocStatus;

    fn set_of(marked: &str, tags: &[(&str, &str)], coder: &str) -> AnnotationSet {
        let (text, spans) = markup::parse(marked);
        let mut set = AnnotationSet::new(crate::core::set::SourceRef::default());
        let mut v = Vec::new();
        for (i, (s, e)) in spans.into_iter().enumerate() {
            let mut a = Annotation::new(format!("a{i}"), &text, s, e, "t");
            let (issue, actor) = tags[i];
            if !issue.is_empty() {
                a.issues.push(issue.to_owned());
            }
            if !actor.is_empty() {
                a.actors.push(actor.to_owned());
            }
            a.coder = (!coder.is_empty()).then(|| coder.to_owned());
            if i == 1 {
                a.stance = Some(Stance::Oppose);
                a.note = Some("Says NO".to_owned());
            }
            v.push(a);
        }
        set.set_annotations(v);
        set
    }

    fn summary(date: &str, status: DocStatus) -> Option<DocSummary> {
        Some(DocSummary {
            date: date.to_owned(),
            status,
            ..DocSummary::default()
        })
    }

    fn corpus() -> CorpusIndex {
        let mut idx = CorpusIndex::new(3);
        let a = set_of(
            "The [ISI] met [Clinton] about [drones] today",
            &[("", "ISI"), ("Drones", "Clinton"), ("Drones", "")],
            "ann",
        );
        let b = set_of(
            "[Dawn] reported [the truce]",
            &[("", "Dawn"), ("Truce", "")],
            "bob",
        );
        idx.insert(0, DocIndex::from_set(&a));
        idx.insert(2, DocIndex::from_set(&b));
        idx
    }

    #[test]
    fn segments_match_tags_coders_stance_text_and_documents() {
        let idx = corpus();
        assert_eq!(idx.annotations(), 5);
        let cb = Codebook::default();
        let sums = vec![
            summary("2012-07-04", DocStatus::Done),
            None,
            summary("2012-08-01", DocStatus::ToDo),
        ];
        let q = |f: &dyn Fn(&mut SegmentQuery)| {
            let mut q = SegmentQuery::default();
            f(&mut q);
            idx.segments(&q, &cb, &sums)
                .iter()
                .map(|s| format!("{}:{}:{}", s.doc, s.id, s.quote))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            q(&|q| q.tags = vec![(TagKind::Issue, "Drones".into())]),
            ["0:a1:Clinton", "0:a2:drones"]
        );
        assert_eq!(
            q(&|q| q.coder = Some("bob".into())),
            ["2:a0:Dawn", "2:a1:the truce"]
        );
        assert!(q(&|q| q.coder = Some("nobody".into())).is_empty());
        // The second annotation of each set opposes and has a note.
        assert_eq!(
            q(&|q| q.stance = Some(Stance::Oppose)),
            ["0:a1:Clinton", "2:a1:the truce"]
        );
        assert_eq!(
            q(&|q| {
                q.text = "says no".into();
                q.coder = Some("ann".into());
            }),
            ["0:a1:Clinton"]
        );
        assert_eq!(q(&|q| q.text = "TRUCE".into()), ["2:a1:the truce"]);
        assert_eq!(
            q(&|q| q.date_from = Some("2012-07-10".into())),
            ["2:a0:Dawn", "2:a1:the truce"]
        );
        assert_eq!(q(&|q| q.status = Some(DocStatus::Done)).len(), 3);
        // Both tags at once (a heat-map cell).
        assert_eq!(
            q(&|q| q.all_tags = vec![
                (TagKind::Issue, "Drones".into()),
                (TagKind::Actor, "Clinton".into())
            ]),
            ["0:a1:Clinton"]
        );
        assert!(q(&|q| q.all_tags = vec![(TagKind::Issue, "Nope".into())]).is_empty());
        // Segments keep the stored context and span.
        let s = idx.segments(&SegmentQuery::default(), &cb, &sums);
        assert_eq!((s[0].start, s[0].end, s[0].left.as_str()), (4, 7, "The "));
        assert_eq!(
            s[1].tags,
            [
                (TagKind::Issue, "Drones".to_owned()),
                (TagKind::Actor, "Clinton".to_owned())
            ]
        );
    }

    #[test]
    fn replacing_a_document_keeps_counts_and_interned_names() {
        let mut idx = corpus();
        let drones = idx.tag_id(TagKind::Issue, "Drones").unwrap();
        let c = set_of("[x]", &[("Drone strikes", "")], "");
        idx.insert(0, DocIndex::from_set(&c));
        assert_eq!(idx.annotations(), 3);
        assert_eq!(idx.tag(drones), Some((TagKind::Issue, "Drones")));
        let q = SegmentQuery {
            tags: vec![(TagKind::Issue, "Drones".into())],
            ..SegmentQuery::default()
        };
        assert!(idx.segments(&q, &Codebook::default(), &[]).is_empty());
        idx.remove(2);
        idx.remove(2);
        assert_eq!(idx.annotations(), 1);
        assert!(!idx.has(2) && idx.has(0));
    }

    #[test]
    fn children_match_through_the_codebook() {
        let idx = corpus();
        let mut cb = Codebook::default();
        use crate::core::codebook::{Rgb, Tag};
        cb.insert(Tag::new(TagKind::Issue, "War", Rgb([1, 1, 1])));
        let mut child = Tag::new(TagKind::Issue, "Drones", Rgb([1, 1, 1]));
        child.parent = Some("War".into());
        cb.insert(child);
        let q = SegmentQuery {
            tags: vec![(TagKind::Issue, "War".into())],
            with_children: true,
            ..SegmentQuery::default()
        };
        assert_eq!(idx.segments(&q, &cb, &[]).len(), 2);
    }
}
