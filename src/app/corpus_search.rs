//! Search the whole corpus from the window (Edit › Search the corpus,
//! `Ctrl+Shift+F`): the query and its options, the search on a background
//! thread with progress, the keyword-in-context result, opening a match's
//! document with the match selected, and "Tag all matches…" across
//! documents (review Y/N, then one corpus-wide change).
//!
//! Invariants:
//! - The search reads the texts on other threads; the window polls the
//!   result each frame and never waits for it.
//! - `accepted` has one flag per match of the result (all accepted when a
//!   search lands); tagging uses only accepted ones.
//! - Tagging goes through `core::corpus_tag_all` and the corpus-wide
//!   change's preview, journal and undo; the current set is saved first.

use super::MarginaliaApp;
use super::model::{CorpusChangePreview, CorpusSearchIntent, Modal, Status};
use crate::core::codebook::TagKind;
use crate::core::corpus_search::{self, CorpusMatches};
use crate::core::search::{Query, SearchOptions};
use crate::core::session::Session;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::{self, Receiver};

/// A search running in the background.
#[derive(Debug)]
pub struct Running {
    rx: Receiver<CorpusMatches>,
    /// Documents searched so far.
    pub done: Arc<AtomicUsize>,
    /// Documents to search.
    pub total: usize,
}

/// The corpus search panel's buffers and result.
#[derive(Debug)]
pub struct CorpusSearchView {
    /// What to find.
    pub query: String,
    /// Search options (case, whole word, regex).
    pub options: SearchOptions,
    /// The last search's result.
    pub result: CorpusMatches,
    /// Per match: accepted for "Tag all matches".
    pub accepted: Vec<bool>,
    /// The selected row.
    pub selected: usize,
    /// Scroll the list to the selected row on the next frame.
    pub reveal: bool,
    /// The tag "Tag all matches" applies.
    pub tag_name: String,
    /// Its kind.
    pub tag_kind: TagKind,
    /// The search in progress.
    pub running: Option<Running>,
    /// The query of the last search.
    pub searched: Option<String>,
    /// Give the query field the keyboard on the next frame (the panel was
    /// just opened).
    pub focus_query: bool,
}

impl Default for CorpusSearchView {
    fn default() -> Self {
        CorpusSearchView {
            query: String::new(),
            options: SearchOptions::default(),
            result: CorpusMatches::default(),
            accepted: Vec::new(),
            selected: 0,
            reveal: false,
            tag_name: String::new(),
            tag_kind: TagKind::Issue,
            running: None,
            searched: None,
            focus_query: true,
        }
    }
}

impl CorpusSearchView {
    /// Accepted matches.
    pub fn accepted_count(&self) -> usize {
        self.accepted.iter().filter(|a| **a).count()
    }
}

/// Applies one corpus-search intent.
pub(super) fn apply(app: &mut MarginaliaApp, intent: CorpusSearchIntent) {
    let Some(c) = &mut app.corpus else {
        app.status = Status::info("Searching a corpus needs one: open a folder first");
        return;
    };
    match intent {
        CorpusSearchIntent::Toggle => {
            c.search = match c.search.take() {
                Some(_) => None,
                None => Some(CorpusSearchView::default()),
            };
        }
        CorpusSearchIntent::Search => start(app),
        CorpusSearchIntent::Move(down) => {
            if let Some(v) = &mut c.search {
                step(v, down);
            }
        }
        CorpusSearchIntent::Review(yes) => {
            if let Some(v) = &mut c.search
                && let Some(a) = v.accepted.get_mut(v.selected)
            {
                *a = yes;
                step(v, true);
            }
        }
        CorpusSearchIntent::Flip(row) => {
            if let Some(a) = c.search.as_mut().and_then(|v| v.accepted.get_mut(row)) {
                *a = !*a;
            }
        }
        CorpusSearchIntent::AcceptAll(yes) => {
            if let Some(v) = &mut c.search {
                v.accepted.iter_mut().for_each(|a| *a = yes);
            }
        }
        CorpusSearchIntent::Open(row) => {
            if let Some(v) = &mut c.search {
                v.selected = row;
            }
            open_selected(app);
        }
        CorpusSearchIntent::TagAccepted => tag_accepted(app),
    }
}

fn step(v: &mut CorpusSearchView, down: bool) {
    let n = v.result.matches.len();
    if n > 0 {
        v.selected = if down {
            (v.selected + 1).min(n - 1)
        } else {
            v.selected.saturating_sub(1)
        };
        v.reveal = true;
    }
}

/// Starts the search the panel holds, on a background thread.
fn start(app: &mut MarginaliaApp) {
    let Some(c) = &mut app.corpus else { return };
    let Some(v) = &mut c.search else { return };
    let query = match Query::new(&v.query, v.options) {
        Ok(Some(q)) => q,
        Ok(None) => {
            app.status = Status::info("Type what to find first");
            return;
        }
        Err(e) => {
            app.status = Status::error(format!("Not searched: {e}"));
            return;
        }
    };
    let corpus = c.corpus.clone();
    let done = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    let counter = Arc::clone(&done);
    let spawned = std::thread::Builder::new()
        .name("marginalia-search".into())
        .spawn(move || {
            let found = corpus_search::search(&corpus, &query, &counter);
            // The panel may be gone; nothing to report then.
            let _ = tx.send(found);
        });
    match spawned {
        Ok(_) => {
            v.running = Some(Running {
                rx,
                done,
                total: c.corpus.docs.len(),
            });
            v.searched = Some(v.query.clone());
            app.status = Status::info("Searching the corpus…");
        }
        Err(e) => app.status = Status::error(format!("Not searched: {e}")),
    }
}

/// Called every frame: takes a finished search. True while one runs.
pub(super) fn poll(app: &mut MarginaliaApp) -> bool {
    let Some(v) = app.corpus.as_mut().and_then(|c| c.search.as_mut()) else {
        return false;
    };
    let Some(r) = &v.running else { return false };
    let Ok(found) = r.rx.try_recv() else {
        return true;
    };
    v.running = None;
    v.accepted = vec![true; found.matches.len()];
    v.selected = 0;
    v.reveal = true;
    let docs: std::collections::BTreeSet<usize> = found.matches.iter().map(|m| m.doc).collect();
    let mut msg = format!(
        "{} matches in {} of {} documents",
        found.matches.len(),
        docs.len(),
        found.documents_searched
    );
    if found.truncated {
        msg.push_str(&format!(
            " (only the first {} are listed)",
            corpus_search::MAX_CORPUS_MATCHES
        ));
    }
    app.status = if found.unreadable.is_empty() {
        Status::info(msg)
    } else {
        let names: Vec<String> = found
            .unreadable
            .iter()
            .take(3)
            .map(|(p, e)| format!("{p} ({e})"))
            .collect();
        Status::error(format!("{msg}; not searched: {}", names.join("; ")))
    };
    v.result = found;
    false
}

/// Opens the selected match's document with the match selected.
fn open_selected(app: &mut MarginaliaApp) {
    let Some(c) = &mut app.corpus else { return };
    let Some(m) = c
        .search
        .as_ref()
        .and_then(|v| v.result.matches.get(v.selected))
        .cloned()
    else {
        return;
    };
    if c.current == Some(m.doc) {
        select_range(app, m.start, m.end);
        return;
    }
    c.select_range_after_open = Some((m.start, m.end));
    super::corpus::open_document(app, m.doc);
}

/// Selects `start..end` in the open document and scrolls to it.
pub(super) fn select_range(app: &mut MarginaliaApp, start: usize, end: usize) {
    use super::model::SelectionIntent;
    app.push(SelectionIntent::Set {
        anchor: start,
        head: end,
    });
    app.push(SelectionIntent::ScrollTo(start));
}

/// Plans tagging the accepted matches and shows the corpus-wide preview
/// (the current set saved first, so the plan sees what is on screen).
fn tag_accepted(app: &mut MarginaliaApp) {
    if app.session().is_some_and(Session::is_dirty) {
        super::files::save(app);
        if app.session().is_some_and(Session::is_dirty) {
            return;
        }
    }
    let Some(c) = &app.corpus else { return };
    let Some(v) = &c.search else { return };
    let mut by_doc: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for (m, _) in v
        .result
        .matches
        .iter()
        .zip(&v.accepted)
        .filter(|(_, a)| **a)
    {
        by_doc.entry(m.doc).or_default().push((m.start, m.end));
    }
    if by_doc.is_empty() {
        app.status = Status::info("No match is accepted (Y accepts the selected one)");
        return;
    }
    let now = crate::core::time::now_rfc3339();
    let coder = app.prefs.coder.as_deref();
    match crate::core::corpus_tag_all::plan(
        &c.corpus,
        v.tag_kind,
        &v.tag_name,
        &by_doc,
        &now,
        coder,
    ) {
        Ok(plan) => {
            app.modal = Some(Modal::CorpusChange(CorpusChangePreview {
                summary: plan.summary(),
                plan,
            }));
        }
        Err(e) => app.status = Status::error(format!("Not tagged: {e}")),
    }
}
