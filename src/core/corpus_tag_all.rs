//! "Tag all matches" across a corpus: the accepted matches of a corpus
//! search tagged in every document that has one, planned as a corpus-wide
//! change (see [`super::corpus_change`]: previewed, journaled, undone as
//! one step).
//!
//! Invariants:
//! - Per document the edit is [`tag_all_command`] (one batch: the tag
//!   created when the set lacks it, an existing annotation with exactly the
//!   match's span tagged, else a new annotation with its quote and
//!   context), applied to the set on disk.
//! - A document without a set gets a new one as opening it would start
//!   it: a plain-text article its source and the metadata its first lines
//!   give; an HTML, Markdown, DOCX or PDF one its extracted text, written
//!   beside the set (`<stem>.text.txt`, so offsets stay stable) in the
//!   same journaled change. Undo removes both.
//! - All or nothing: a document that cannot be read or take the tag fails
//!   the plan, naming it, and nothing is written.

use super::codebook::TagKind;
use super::command::{self, EditContext};
use super::corpus::Corpus;
use super::corpus_change::Plan;
use super::corpus_search::document_text;
use super::import::{self, SourceKind};
use super::session::text_path_for;
use super::set::{AnnotationSet, SourceRef};
use super::store;
use super::tag_all::{TagAllReview, tag_all_command};
use super::text::Text;
use std::collections::BTreeMap;

/// A new set for a document not coded yet, as opening it would start one:
/// its text, the set, and for an extracted kind (HTML, Markdown, DOCX,
/// PDF) the companion text file to write with it.
type NewSet = (Text, AnnotationSet, Option<(std::path::PathBuf, String)>);

fn new_set(d: &super::corpus::DocEntry) -> Result<NewSet, String> {
    let dir = d.set_path.parent().unwrap_or(std::path::Path::new("."));
    let kind = import::kind_for_path(&d.path)
        .ok_or_else(|| format!("{}: not a supported article", d.rel))?;
    if kind == SourceKind::Text {
        let text = document_text(d).map_err(|e| format!("{}: {e}", d.rel))?;
        let mut set = AnnotationSet::new(SourceRef {
            path: store::relative_path(dir, &d.path),
            sha256: text.sha256().to_owned(),
            length: text.len_chars(),
            ..SourceRef::default()
        });
        set.metadata = super::metadata::detect(&text);
        return Ok((text, set, None));
    }
    let bytes = std::fs::read(&d.path).map_err(|e| format!("{}: {e}", d.rel))?;
    let x = import::extract(kind, &bytes).map_err(|e| format!("{}: {e}", d.rel))?;
    let text = Text::new(x.text);
    let companion = text_path_for(&d.set_path);
    let mut set = AnnotationSet::new(SourceRef {
        path: store::relative_path(dir, &companion),
        sha256: text.sha256().to_owned(),
        length: text.len_chars(),
        original: Some(store::relative_path(dir, &d.path)),
        extractor: Some(x.extractor),
    });
    set.metadata = x.metadata;
    let body = text.as_str().to_owned();
    Ok((text, set, Some((companion, body))))
}

/// Plans tagging `matches` (document index → code-point spans) with the
/// tag `(kind, name)`.
pub fn plan(
    corpus: &Corpus,
    kind: TagKind,
    name: &str,
    matches: &BTreeMap<usize, Vec<(usize, usize)>>,
    now: &str,
    coder: Option<&str>,
) -> Result<Plan, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the tag needs a name".into());
    }
    let mut writes = Vec::new();
    let mut tagged = 0;
    for (&doc, spans) in matches {
        let Some(d) = corpus.docs.get(doc) else {
            continue;
        };
        let mut extra = None;
        let (text, mut set, before) = if d.set_path.is_file() {
            let text = document_text(d).map_err(|e| format!("{}: {e}", d.rel))?;
            let before = std::fs::read(&d.set_path).map_err(|e| format!("{}: {e}", d.rel))?;
            let set = store::load(&d.set_path).map_err(|e| format!("{}: {e}", d.rel))?;
            (text, set, before)
        } else {
            let (text, set, companion) = new_set(d)?;
            extra = companion;
            (text, set, Vec::new())
        };
        let mut review = TagAllReview::new(spans.clone());
        review.set_all(true);
        let cmd = tag_all_command(&set, &text, &review, kind, name, now, coder)
            .map_err(|e| format!("{}: {e}", d.rel))?;
        let Some(cmd) = cmd else { continue };
        tagged += spans.len();
        let cx = EditContext {
            text: &text,
            now,
            coder,
        };
        command::apply(&mut set, cmd, cx).map_err(|e| format!("{}: {e}", d.rel))?;
        let after = store::to_ron(&set).map_err(|e| e.to_string())?;
        let rel = d
            .set_path
            .strip_prefix(&corpus.root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| d.set_path.display().to_string());
        writes.push((rel, d.set_path.clone(), before, after));
        if let Some((path, body)) = extra {
            // The extracted text the new set counts its offsets in, as
            // opening the document would store it.
            let rel = path
                .strip_prefix(&corpus.root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| path.display().to_string());
            writes.push((rel, path, Vec::new(), body));
        }
    }
    let mut codebook_after = corpus.file.codebook.clone();
    if codebook_after.get(kind, name).is_none() {
        codebook_after.insert(codebook_after.new_tag(kind, name));
    }
    let label = format!("tag the matches with {kind} “{name}”");
    Plan::from_writes(&corpus.root, label, tagged, codebook_after, writes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::corpus_change;

    #[test]
    fn matches_are_tagged_in_every_document_and_undone_as_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::write(r.join("a.txt"), "The ISI met. ISI again.").unwrap();
        std::fs::write(r.join("b.txt"), "\u{feff}No set: ISI.\r\n").unwrap();
        std::fs::write(r.join("c.html"), "<p>ISI in HTML</p>").unwrap();
        // a already has an annotation over the first "ISI" (4..7).
        let text = crate::core::text::Text::new("The ISI met. ISI again.".into());
        let mut set = AnnotationSet::new(SourceRef {
            path: "a.txt".into(),
            sha256: text.sha256().into(),
            length: text.len_chars(),
            ..SourceRef::default()
        });
        let a = crate::core::annotation::Annotation::new("a1".into(), &text, 4, 7, "t");
        set.set_annotations(vec![a]);
        store::save(&r.join("a.annotations.ron"), &set).unwrap();
        let a_before = std::fs::read(r.join("a.annotations.ron")).unwrap();
        let mut c = Corpus::open(r).unwrap();
        let rels: Vec<String> = c.docs.iter().map(|d| d.rel.clone()).collect();
        let idx = |rel: &str| rels.iter().position(|d| d == rel).unwrap();
        let mut m = BTreeMap::new();
        m.insert(idx("a.txt"), vec![(4, 7), (13, 16)]);
        m.insert(idx("b.txt"), vec![(8, 11)]);
        let p = plan(&c, TagKind::Actor, "ISI", &m, "now", None).unwrap();
        assert_eq!(
            p.summary(),
            "tag the matches with actor “ISI” affects 3 annotations in 2 documents"
        );
        assert!(
            !r.join("b.annotations.ron").exists(),
            "planning writes nothing"
        );
        assert_eq!(corpus_change::execute(&mut c, p).unwrap(), 2);
        let a = store::load(&r.join("a.annotations.ron")).unwrap();
        let spans: Vec<(usize, usize, &[String])> = a
            .annotations()
            .iter()
            .map(|x| (x.start, x.end, x.actors.as_slice()))
            .collect();
        assert_eq!(
            spans,
            [
                (4, 7, &["ISI".to_owned()][..]),
                (13, 16, &["ISI".to_owned()][..])
            ]
        );
        let b = store::load(&r.join("b.annotations.ron")).unwrap();
        assert_eq!(b.annotations()[0].quote, "ISI");
        assert_eq!(b.source.path, "b.txt");
        assert!(c.file.codebook.get(TagKind::Actor, "ISI").is_some());
        // One undo: a byte for byte, b's new set removed.
        corpus_change::undo(&mut c).unwrap().unwrap();
        assert_eq!(
            std::fs::read(r.join("a.annotations.ron")).unwrap(),
            a_before
        );
        assert!(!r.join("b.annotations.ron").exists());
        // An HTML document never opened: its set and extracted text are
        // created in the same change; undo removes both.
        let mut m = BTreeMap::new();
        m.insert(idx("c.html"), vec![(0, 3)]);
        let p = plan(&c, TagKind::Actor, "ISI", &m, "now", None).unwrap();
        assert_eq!(corpus_change::execute(&mut c, p).unwrap(), 2);
        let set = store::load(&r.join("c.annotations.ron")).unwrap();
        assert_eq!(set.source.path, "c.text.txt");
        assert_eq!(set.source.original.as_deref(), Some("c.html"));
        assert_eq!(set.annotations()[0].quote, "ISI");
        let stored = std::fs::read_to_string(r.join("c.text.txt")).unwrap();
        assert!(stored.starts_with("ISI in HTML"), "{stored}");
        corpus_change::undo(&mut c).unwrap().unwrap();
        assert!(!r.join("c.annotations.ron").exists());
        assert!(!r.join("c.text.txt").exists());
    }

    #[test]
    fn each_documents_part_can_be_undone_alone() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::write(r.join("a.txt"), "ISI one.").unwrap();
        std::fs::write(r.join("b.txt"), "ISI two.").unwrap();
        std::fs::write(r.join("c.html"), "<p>ISI three</p>").unwrap();
        let mut c = Corpus::open(r).unwrap();
        let rels: Vec<String> = c.docs.iter().map(|d| d.rel.clone()).collect();
        let idx = |rel: &str| rels.iter().position(|d| d == rel).unwrap();
        let mut m = BTreeMap::new();
        for d in ["a.txt", "b.txt", "c.html"] {
            m.insert(idx(d), vec![(0, 3)]);
        }
        let p = plan(&c, TagKind::Actor, "ISI", &m, "now", None).unwrap();
        assert_eq!(corpus_change::execute(&mut c, p).unwrap(), 4);
        let (a, b, cs) = (
            r.join("a.annotations.ron"),
            r.join("b.annotations.ron"),
            r.join("c.annotations.ron"),
        );
        assert!(a.exists() && b.exists() && cs.exists());
        // a's part alone: a's set goes, b's and c's stay.
        let undone = corpus_change::undo_document(&c, &a).unwrap();
        assert_eq!(undone.as_deref(), Some("tag the matches with actor “ISI”"));
        assert!(!a.exists() && b.exists() && cs.exists());
        // Again: nothing left to undo there.
        assert_eq!(corpus_change::undo_document(&c, &a).unwrap(), None);
        // c's part takes its stored text with it.
        assert!(corpus_change::undo_document(&c, &cs).unwrap().is_some());
        assert!(!cs.exists() && !r.join("c.text.txt").exists());
        // b changed since: left, and said.
        let mut set = store::load(&b).unwrap();
        set.metadata.title = Some("Edited".into());
        store::save(&b, &set).unwrap();
        let e = corpus_change::undo_document(&c, &b).unwrap_err();
        assert!(e.contains("b.annotations.ron changed since"), "{e}");
        // The whole undo restores what is left and names b.
        let done = corpus_change::undo(&mut c).unwrap().unwrap();
        assert_eq!(done.left, ["b.annotations.ron"]);
        assert!(!a.exists());
    }

    #[test]
    fn a_codebook_change_is_not_undone_per_document() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::write(r.join("a.txt"), "ISI one.").unwrap();
        let mut c = Corpus::open(r).unwrap();
        let mut m = BTreeMap::new();
        m.insert(0, vec![(0, 3)]);
        let p = plan(&c, TagKind::Actor, "ISI", &m, "now", None).unwrap();
        corpus_change::execute(&mut c, p).unwrap();
        let mut renamed = c.file.codebook.get(TagKind::Actor, "ISI").unwrap().clone();
        renamed.name = "Inter-Services Intelligence".into();
        let cmd = crate::core::command::Command::UpdateTag {
            kind: TagKind::Actor,
            name: "ISI".into(),
            tag: renamed,
        };
        let p = corpus_change::plan(&c, &cmd).unwrap();
        corpus_change::execute(&mut c, p).unwrap();
        assert_eq!(
            corpus_change::undo_document(&c, &r.join("a.annotations.ron")).unwrap(),
            None,
            "a rename is undone for the whole corpus only"
        );
    }
}
