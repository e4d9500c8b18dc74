//! Search every text of a corpus (plain, whole word or regex, as the find
//! bar), with each match's left and right context for a keyword-in-context
//! list.
//!
//! Invariants:
//! - Offsets are code points of the decoded text, end excluded, as
//!   everywhere: a leading byte-order mark is dropped, UTF-16 is decoded
//!   by its BOM, CRLF counts as two. `text` is exactly those code points.
//! - A document's text is what opening it shows: the article itself for
//!   plain text, the stored extracted text (`<stem>.text.txt`) for HTML,
//!   Markdown, DOCX and PDF when there is one, else a fresh extraction.
//! - Matches come in document order, then by position, whatever thread
//!   found them; at most [`MAX_CORPUS_MATCHES`] are kept (`truncated`).
//! - A document that cannot be read is named with why, never skipped
//!   silently.

use super::corpus::{Corpus, DocEntry};
use super::import::{self, SourceKind};
use super::search::{self, Query};
use super::session::{read_article, text_path_for};
use super::text::Text;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most matches a corpus search keeps.
pub const MAX_CORPUS_MATCHES: usize = 100_000;
/// Context kept on each side of a match, in code points.
pub const CONTEXT_CHARS: usize = 40;
/// Threads reading and searching texts.
const WORKERS: usize = 2;

/// One match in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusMatch {
    /// The document (its index in the corpus).
    pub doc: usize,
    /// Start (code points).
    pub start: usize,
    /// End (code points, excluded).
    pub end: usize,
    /// The matched text, exactly.
    pub text: String,
    /// Up to [`CONTEXT_CHARS`] code points before it, line breaks as spaces.
    pub left: String,
    /// Up to [`CONTEXT_CHARS`] code points after it, line breaks as spaces.
    pub right: String,
}

/// What a corpus search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusMatches {
    /// Documents whose text was searched.
    pub documents_searched: usize,
    /// The matches, in document order.
    pub matches: Vec<CorpusMatch>,
    /// Documents that could not be read: (relative path, why).
    pub unreadable: Vec<(String, String)>,
    /// More matches exist than were kept.
    pub truncated: bool,
}

/// The text of one document, as opening it shows it.
pub fn document_text(d: &DocEntry) -> Result<Text, String> {
    if d.set_only {
        return Err("its article is not in the folder".into());
    }
    let kind = import::kind_for_path(&d.path).ok_or("not a supported article")?;
    if kind == SourceKind::Text {
        return read_article(&d.path, false)
            .map(|(t, _)| t)
            .map_err(|e| e.to_string());
    }
    let stored = text_path_for(&d.set_path);
    if stored.is_file() {
        return read_article(&stored, false)
            .map(|(t, _)| t)
            .map_err(|e| e.to_string());
    }
    let bytes = std::fs::read(&d.path).map_err(|e| e.to_string())?;
    import::extract(kind, &bytes)
        .map(|x| Text::new(x.text))
        .map_err(|e| e.to_string())
}

/// The matches of `query` in one text (document `doc`).
pub fn matches_in(doc: usize, text: &Text, query: &Query) -> (Vec<CorpusMatch>, bool) {
    let found = search::find_all_compiled(text, query);
    let n = text.len_chars();
    let flat = |s: &str| s.replace(['\r', '\n'], " ");
    let v = found
        .ranges
        .iter()
        .map(|&(start, end)| CorpusMatch {
            doc,
            start,
            end,
            text: text.slice(start, end).to_owned(),
            left: flat(text.slice(start.saturating_sub(CONTEXT_CHARS), start)),
            right: flat(text.slice(end, (end + CONTEXT_CHARS).min(n))),
        })
        .collect();
    (v, found.truncated)
}

/// Searches every document of `corpus`; `progress` counts the documents
/// done (for a progress bar).
pub fn search(corpus: &Corpus, query: &Query, progress: &AtomicUsize) -> CorpusMatches {
    let next = AtomicUsize::new(0);
    // Per document: its matches or why it could not be read.
    type Found = (usize, Result<(Vec<CorpusMatch>, bool), String>);
    let results: Mutex<Vec<Found>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(d) = corpus.docs.get(i) else { break };
                    let r = document_text(d).map(|t| matches_in(i, &t, query));
                    mine.push((i, r));
                    progress.fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(mut all) = results.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|r| r.0);
    let mut out = CorpusMatches::default();
    for (i, r) in results {
        match r {
            Ok((found, truncated)) => {
                out.documents_searched += 1;
                out.truncated |= truncated;
                let room = MAX_CORPUS_MATCHES - out.matches.len();
                if found.len() > room {
                    out.truncated = true;
                }
                out.matches.extend(found.into_iter().take(room));
            }
            Err(e) => {
                let rel = corpus
                    .docs
                    .get(i)
                    .map(|d| d.rel.clone())
                    .unwrap_or_default();
                out.unreadable.push((rel, e));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::search::SearchOptions;

    fn corpus(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, bytes) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        let c = Corpus::open(dir.path()).unwrap();
        (dir, c)
    }

    fn q(s: &str, opts: SearchOptions) -> Query {
        Query::new(s, opts).unwrap().unwrap()
    }

    #[test]
    fn offsets_are_code_points_after_bom_with_crlf_as_two() {
        // "\u{feff}Ünï\r\nthe ISI — ISI" : the BOM is dropped; Ü n ï \r \n
        // are 0..5, "the " 5..9, "ISI" 9..12, " — " 12..15, "ISI" 15..18.
        let (_d, c) = corpus(&[
            ("a.txt", "\u{feff}Ünï\r\nthe ISI — ISI".as_bytes()),
            ("b/b.txt", "no match here".as_bytes()),
            ("b/c.txt", b"\xff\xfeI\x00S\x00I\x00"),
        ]);
        let done = AtomicUsize::new(0);
        let m = search(&c, &q("isi", SearchOptions::default()), &done);
        assert_eq!(done.load(Ordering::Relaxed), 3);
        assert_eq!(m.documents_searched, 3);
        let got: Vec<(String, usize, usize, String)> = m
            .matches
            .iter()
            .map(|x| (c.docs[x.doc].rel.clone(), x.start, x.end, x.text.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("a.txt".into(), 9, 12, "ISI".into()),
                ("a.txt".into(), 15, 18, "ISI".into()),
                ("b/c.txt".into(), 0, 3, "ISI".into()),
            ]
        );
        assert_eq!(m.matches[0].left, "Ünï  the ");
        assert_eq!(m.matches[0].right, " — ISI");
    }

    #[test]
    fn whole_words_regex_case_and_unreadable_documents() {
        let (_d, c) = corpus(&[
            ("a.txt", "Drone strikes; drones; DRONE.".as_bytes()),
            ("bad.txt", b"caf\xe9 \xff\xfe\xfd"),
        ]);
        let done = AtomicUsize::new(0);
        let word = SearchOptions {
            whole_word: true,
            ..SearchOptions::default()
        };
        let m = search(&c, &q("drone", word), &done);
        assert_eq!(m.matches.len(), 2);
        assert_eq!(m.unreadable.len(), 1);
        assert_eq!(m.unreadable[0].0, "bad.txt");
        let case = SearchOptions {
            case_sensitive: true,
            ..SearchOptions::default()
        };
        assert_eq!(search(&c, &q("DRONE", case), &done).matches.len(), 1);
        let re = SearchOptions {
            regex: true,
            ..SearchOptions::default()
        };
        let m = search(&c, &q(r"drones?\b", re), &done);
        let texts: Vec<&str> = m.matches.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(texts, ["Drone", "drones", "DRONE"]);
    }
}
