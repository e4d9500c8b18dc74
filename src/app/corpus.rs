//! The open corpus in the window: its documents, their summaries (read on
//! a background thread, so a 10,000-document folder lists at once), the
//! document list's order and filters, and switching between documents.
//!
//! Invariants:
//! - [`CorpusState::rows`] holds document indices in the list's current
//!   order, filtered; it is rebuilt by [`CorpusState::refresh_rows`]
//!   whenever summaries, the sort or a filter change, and nowhere else.
//! - Switching documents saves the current set first; when that save
//!   fails the current document stays open (and its journal keeps every
//!   change).
//! - The corpus codebook only grows here (a tag saved in any document
//!   joins it); `corpus.ron` is written after a document's save.

use super::MarginaliaApp;
use super::model::{CorpusChangePreview, CorpusIntent, Modal, Status};
use crate::core::codebook::Codebook;
use crate::core::command::Command;
use crate::core::corpus::{self, Corpus, DocSummary};
use crate::core::corpus_change;
use crate::core::corpus_index::{CorpusIndex, DocIndex};
use crate::core::query::Direction;
use crate::core::set::DocStatus;
use std::cmp::Ordering;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

/// A column the document list sorts by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    /// The corpus's own order (`corpus.ron`).
    Order,
    /// Title.
    Title,
    /// Publication date.
    Date,
    /// Outlet (publication).
    Outlet,
    /// Status, in work order.
    Status,
    /// Number of annotations.
    Annotations,
    /// The coders' names.
    Coder,
    /// A document attribute, by name.
    Attribute(String),
}

/// The document list's sort and filters (the panel types into `text` and
/// `attribute_value` directly, then pushes [`CorpusIntent::Refilter`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocListState {
    /// The column sorted by.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
    /// Text that a row's title, path, date, outlet, attributes or coders
    /// must contain (case-insensitive).
    pub text: String,
    /// Only documents with this status.
    pub status: Option<DocStatus>,
    /// Only documents whose attribute of this name …
    pub attribute: Option<String>,
    /// … contains this value (case-insensitive; empty: has any value).
    pub attribute_value: String,
}

impl Default for DocListState {
    fn default() -> Self {
        DocListState {
            sort: SortKey::Order,
            descending: false,
            text: String::new(),
            status: None,
            attribute: None,
            attribute_value: String::new(),
        }
    }
}

/// What a background reader sends for one document: its index, the
/// generation it was asked for, its summary, its set's codebook and its
/// annotations for the corpus index.
/// What a background reader sends for one document.
#[derive(Debug)]
struct ReadDoc {
    /// The document's index.
    doc: usize,
    /// The generation it was asked for.
    generation: u32,
    /// The set file's stamp just before it was read.
    stamp: Option<Stamp>,
    summary: DocSummary,
    codebook: Option<Codebook>,
    index: Option<DocIndex>,
}

impl ReadDoc {
    /// Reads document `doc` (its stamp first, so a change during the read
    /// is seen by the next watch).
    /// `known` is the corpus codebook when the reading started: a set
    /// holding no other tag sends no codebook (the window's thread then
    /// has nothing to compare or free for it).
    fn read(doc: usize, generation: u32, d: &corpus::DocEntry, known: &Codebook) -> ReadDoc {
        let stamp = stamp(&d.set_path);
        let (summary, codebook, index) = d.summarize_and_index();
        let codebook = codebook.filter(|cb| {
            !cb.tags()
                .iter()
                .all(|t| known.get(t.kind, &t.name).is_some())
        });
        ReadDoc {
            doc,
            generation,
            stamp,
            summary,
            codebook,
            index,
        }
    }
}

/// A file's modification time and length: what the watch compares.
pub type Stamp = (std::time::SystemTime, u64);

/// The stamp of the file at `p`, if it exists.
fn stamp(p: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(p).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// How often the watch looks at every set file.
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// Stamps every set file of the corpus every [`WATCH_EVERY`] on a thread
/// of its own (it ends when the corpus closes).
#[derive(Debug)]
struct Watcher {
    rx: Receiver<Vec<Option<Stamp>>>,
}

impl Watcher {
    fn start(docs: &[corpus::DocEntry]) -> Option<Watcher> {
        let paths: Vec<std::path::PathBuf> = docs.iter().map(|d| d.set_path.clone()).collect();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("marginalia-watch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(WATCH_EVERY);
                    let snapshot: Vec<Option<Stamp>> = paths.iter().map(|p| stamp(p)).collect();
                    if tx.send(snapshot).is_err() {
                        return;
                    }
                }
            })
            .ok()?;
        Some(Watcher { rx })
    }
}

/// Sets read on background threads (two workers over one job list).
#[derive(Debug)]
struct Reader {
    rx: Receiver<ReadDoc>,
}

impl Reader {
    /// Starts reading `jobs` (document index, generation) of `docs`.
    fn start(
        docs: &[corpus::DocEntry],
        jobs: Vec<(usize, u32)>,
        known: &Codebook,
    ) -> Option<Reader> {
        let known = Arc::new(known.clone());
        // Bounded: when the window's thread takes results slower than the
        // workers read (or not at all for a while), the workers wait
        // instead of piling up sets in memory.
        let (tx, rx) = mpsc::sync_channel(READ_AHEAD);
        let jobs: Arc<Vec<(usize, corpus::DocEntry, u32)>> = Arc::new(
            jobs.into_iter()
                .filter_map(|(i, g)| Some((i, docs.get(i)?.clone(), g)))
                .collect(),
        );
        let next = Arc::new(AtomicUsize::new(0));
        let mut started = 0;
        for w in 0..READ_WORKERS {
            let (tx, jobs, next) = (tx.clone(), Arc::clone(&jobs), Arc::clone(&next));
            let known = Arc::clone(&known);
            let spawned = std::thread::Builder::new()
                .name(format!("marginalia-corpus-{w}"))
                .spawn(move || {
                    loop {
                        let k = next.fetch_add(1, AtomicOrdering::Relaxed);
                        let Some((i, d, g)) = jobs.get(k) else { return };
                        if tx.send(ReadDoc::read(*i, *g, d, &known)).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_ok() {
                started += 1;
            }
        }
        (started > 0).then_some(Reader { rx })
    }
}

/// How long one frame spends taking read sets.
const TAKE_PER_FRAME: Duration = Duration::from_millis(4);

/// How many read sets may wait for the window's thread.
const READ_AHEAD: usize = 256;

/// Threads reading sets in the background (this machine class has two
/// cores; the window's thread mostly waits for frames).
const READ_WORKERS: usize = 2;

/// The open corpus.
#[derive(Debug)]
pub struct CorpusState {
    /// The corpus: root, `corpus.ron`, documents.
    pub corpus: Corpus,
    /// Each document's summary, once read (same indices as the documents).
    pub summaries: Vec<Option<DocSummary>>,
    /// How many summaries have been read.
    pub read: usize,
    /// The list's rows: document indices, sorted and filtered.
    pub rows: Vec<usize>,
    /// The document open in the window, when it is one of the corpus's.
    pub current: Option<usize>,
    /// Sort and filters.
    pub list: DocListState,
    /// The document being opened (a background open), so a second
    /// Ctrl+PageDown goes on from it.
    pub pending: Option<usize>,
    /// Per document, the generation of its summary and index: bumped when
    /// the open set refreshes them or a new read is asked for, so a late
    /// result from an older read never replaces a newer one.
    generation: Vec<u32>,
    /// Every annotation of the corpus, compact (coded segments, charts).
    pub index: CorpusIndex,
    /// Bumped whenever [`Self::index`] or a summary changes (charts
    /// recompute when it moves).
    pub version: u64,
    /// Documents still to come from the readers.
    pub pending_reads: usize,
    /// Per document, its set file's stamp as this app last read or wrote
    /// it (what the watch compares against).
    known: Vec<Option<Stamp>>,
    watcher: Option<Watcher>,
    /// Look at every set file on the next frame instead of waiting for
    /// the watch (tests, and after the user asks).
    pub look_next_frame: bool,
    /// The last corpus-wide change was made while this document is open:
    /// Ctrl+Z past the document's history undoes it.
    pub change_undoable: bool,
    /// The coded-segments panel, when shown.
    pub segments: Option<super::segments::SegmentsView>,
    /// The charts window, when shown.
    pub charts: Option<super::charts::ChartsView>,
    /// The corpus search panel, when shown.
    pub search: Option<super::corpus_search::CorpusSearchView>,
    /// A corpus-wide change being planned.
    pub planning: Option<Planning>,
    /// The range to select once the document being opened is shown (a
    /// search match's).
    pub select_range_after_open: Option<(usize, usize)>,
    /// The annotation to select once the document being opened is shown
    /// (a coded segment's).
    pub select_after_open: Option<String>,
    /// Scroll the list to the current row on the next frame.
    pub reveal_current: bool,
    /// The rows the list showed last frame (the list writes it).
    pub visible: std::ops::Range<usize>,
    readers: Vec<Reader>,
    refreshed: Option<std::time::Instant>,
}

impl CorpusState {
    /// Shows `corpus` and starts reading its sets in the background.
    pub fn new(corpus: Corpus) -> CorpusState {
        let n = corpus.docs.len();
        let mut s = CorpusState {
            summaries: vec![None; n],
            read: 0,
            rows: Vec::new(),
            current: None,
            pending: None,
            change_undoable: false,
            segments: None,
            charts: None,
            search: None,
            planning: None,
            select_range_after_open: None,
            select_after_open: None,
            generation: vec![0; n],
            index: CorpusIndex::new(n),
            version: 0,
            pending_reads: 0,
            known: vec![None; n],
            watcher: None,
            look_next_frame: false,
            list: DocListState::default(),
            reveal_current: false,
            visible: 0..0,
            readers: Vec::new(),
            refreshed: None,
            corpus,
        };
        s.reread((0..n).collect());
        s.watcher = Watcher::start(&s.corpus.docs);
        s.refresh_rows();
        s
    }

    /// The documents whose set files changed on disk since this app read
    /// or wrote them (another program: a `git pull`, a second window),
    /// from the watch's latest look; their stamps are taken as known. None
    /// while sets are being read.
    pub fn changed_on_disk(&mut self) -> Vec<usize> {
        let Some(w) = &self.watcher else {
            return Vec::new();
        };
        let Some(snapshot) = w.rx.try_iter().last() else {
            return Vec::new();
        };
        self.compare(snapshot)
    }

    /// Looks at every set file now, on this thread (tests; the window
    /// waits for the watch).
    pub fn look_now(&mut self) -> Vec<usize> {
        let snapshot = self
            .corpus
            .docs
            .iter()
            .map(|d| stamp(&d.set_path))
            .collect();
        self.compare(snapshot)
    }

    fn compare(&mut self, snapshot: Vec<Option<Stamp>>) -> Vec<usize> {
        if self.is_reading() {
            return Vec::new();
        }
        let mut changed = Vec::new();
        for (i, now) in snapshot.into_iter().enumerate() {
            if self.known.get(i) == Some(&now) {
                continue;
            }
            // The look may predate this app's own write: stamp again.
            let again = self.corpus.docs.get(i).and_then(|d| stamp(&d.set_path));
            if let Some(k) = self.known.get_mut(i)
                && *k != again
            {
                *k = again;
                changed.push(i);
            }
        }
        changed
    }

    /// Records the set file of document `i` as this app just wrote it.
    pub fn wrote(&mut self, i: usize) {
        let now = self.corpus.docs.get(i).and_then(|d| stamp(&d.set_path));
        if let Some(k) = self.known.get_mut(i) {
            *k = now;
        }
    }

    /// Reads the sets of documents `docs` again in the background (they
    /// changed on disk); their summaries and index entries are replaced
    /// when read.
    pub fn reread(&mut self, docs: Vec<usize>) {
        let jobs: Vec<(usize, u32)> = docs
            .into_iter()
            .filter_map(|i| {
                let g = self.generation.get_mut(i)?;
                *g = g.wrapping_add(1);
                Some((i, *g))
            })
            .collect();
        let n = jobs.len();
        if n == 0 {
            return;
        }
        match Reader::start(&self.corpus.docs, jobs.clone(), &self.corpus.file.codebook) {
            Some(r) => {
                self.readers.push(r);
                self.pending_reads += n;
            }
            None => {
                for (i, g) in jobs {
                    if let Some(d) = self.corpus.docs.get(i) {
                        self.take(ReadDoc::read(i, g, d, &Codebook::default()));
                    }
                }
            }
        }
    }

    /// Reads every remaining set on this thread (tests), waiting for the
    /// background readers.
    pub fn read_all_now(&mut self) {
        for r in std::mem::take(&mut self.readers) {
            while let Ok(m) = r.rx.recv() {
                self.take(m);
            }
        }
        self.pending_reads = 0;
        self.refresh_rows();
    }

    /// True while sets are still being read.
    pub fn is_reading(&self) -> bool {
        !self.readers.is_empty()
    }

    fn take(&mut self, r: ReadDoc) {
        let ReadDoc {
            doc: i,
            generation: g,
            stamp,
            summary,
            codebook,
            index,
        } = r;
        self.pending_reads = self.pending_reads.saturating_sub(1);
        if self.generation.get(i) != Some(&g) {
            return;
        }
        if let Some(k) = self.known.get_mut(i) {
            *k = stamp;
        }
        if let Some(cb) = codebook {
            self.corpus.adopt_tags(&cb);
        }
        self.corpus.adopt_attributes(summary.attributes.keys());
        match index {
            Some(d) => self.index.insert(i, d),
            None => self.index.remove(i),
        }
        self.version += 1;
        if let Some(slot) = self.summaries.get_mut(i) {
            if slot.is_none() {
                self.read += 1;
            }
            *slot = Some(summary);
        }
    }

    /// Takes the sets read since the last frame; true when any came.
    pub fn poll(&mut self) -> bool {
        let mut any = false;
        // A few milliseconds of taking per frame, so the window stays
        // smooth while a large corpus is read; the rest waits in the
        // readers' queue for the next frame.
        let began = std::time::Instant::now();
        let mut finished = false;
        let mut r = 0;
        while r < self.readers.len() && began.elapsed() < TAKE_PER_FRAME {
            match self.readers[r].rx.try_recv() {
                Ok(m) => {
                    self.take(m);
                    any = true;
                }
                Err(TryRecvError::Empty) => r += 1,
                Err(TryRecvError::Disconnected) => {
                    self.readers.remove(r);
                    finished = true;
                    any = true;
                }
            }
        }
        if self.readers.is_empty() {
            self.pending_reads = 0;
        }
        // While reading, the rows are rebuilt a few times a second, not
        // every frame (a sort of 10,000 rows each time).
        let due = self
            .refreshed
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(250));
        if any && (finished || due) {
            self.refresh_rows();
        }
        any
    }

    /// Documents marked done.
    pub fn done(&self) -> usize {
        self.summaries
            .iter()
            .flatten()
            .filter(|s| s.status == DocStatus::Done)
            .count()
    }

    /// Rebuilds [`Self::rows`] from the summaries, the sort and the filters.
    pub fn refresh_rows(&mut self) {
        let f = &self.list;
        let text = f.text.trim().to_lowercase();
        let value = f.attribute_value.trim().to_lowercase();
        let mut rows: Vec<usize> = (0..self.corpus.docs.len())
            .filter(|&i| {
                let s = self.summaries[i].as_ref();
                let rel = &self.corpus.docs[i].rel;
                if let Some(st) = f.status
                    && s.map_or(DocStatus::ToDo, |s| s.status) != st
                {
                    return false;
                }
                if let Some(name) = &f.attribute {
                    let v = s.and_then(|s| s.attributes.get(name));
                    match v {
                        None => return false,
                        Some(v) if !value.is_empty() && !v.to_lowercase().contains(&value) => {
                            return false;
                        }
                        Some(_) => {}
                    }
                }
                text.is_empty() || matches_text(rel, s, &text)
            })
            .collect();
        let key = f.sort.clone();
        let desc = f.descending;
        rows.sort_by(|&a, &b| {
            let (sa, sb) = (self.summaries[a].as_ref(), self.summaries[b].as_ref());
            // Rows still being read go last, whichever the direction.
            let unread = sa.is_none().cmp(&sb.is_none());
            let o = match (sa, sb) {
                (Some(x), Some(y)) => compare(&key, x, y).then(a.cmp(&b)),
                _ => a.cmp(&b),
            };
            unread.then(if desc { o.reverse() } else { o })
        });
        self.rows = rows;
        self.refreshed = Some(std::time::Instant::now());
    }

    /// The document `step` rows away from the current one in the list's
    /// order (the first or last row when none is current), or `None` at
    /// either end.
    pub fn neighbour(&self, dir: Direction) -> Option<usize> {
        let at = self
            .pending
            .or(self.current)
            .and_then(|c| self.rows.iter().position(|&r| r == c));
        let next = match (at, dir) {
            (None, Direction::Forward) => 0,
            (None, Direction::Backward) => self.rows.len().checked_sub(1)?,
            (Some(i), Direction::Forward) => i + 1,
            (Some(i), Direction::Backward) => i.checked_sub(1)?,
        };
        self.rows.get(next).copied()
    }

    /// The summary of document `i`, or a placeholder while it is read.
    pub fn summary(&self, i: usize) -> std::borrow::Cow<'_, DocSummary> {
        match self.summaries.get(i).and_then(Option::as_ref) {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(DocSummary {
                title: self
                    .corpus
                    .docs
                    .get(i)
                    .map(|d| d.rel.clone())
                    .unwrap_or_default(),
                ..DocSummary::default()
            }),
        }
    }
}

fn matches_text(rel: &str, s: Option<&DocSummary>, text: &str) -> bool {
    let has = |v: &str| v.to_lowercase().contains(text);
    has(rel)
        || s.is_some_and(|s| {
            has(&s.title)
                || has(&s.date)
                || has(&s.outlet)
                || s.attributes.values().any(|v| has(v))
                || s.coders.iter().any(|c| has(c))
        })
}

fn compare(key: &SortKey, a: &DocSummary, b: &DocSummary) -> Ordering {
    let text = |x: &str, y: &str| x.to_lowercase().cmp(&y.to_lowercase());
    match key {
        SortKey::Order => Ordering::Equal,
        SortKey::Title => text(&a.title, &b.title),
        SortKey::Date => a.date.cmp(&b.date),
        SortKey::Outlet => text(&a.outlet, &b.outlet),
        SortKey::Status => a.status.cmp(&b.status),
        SortKey::Annotations => a.annotations.cmp(&b.annotations),
        SortKey::Coder => text(&a.coders.join(", "), &b.coders.join(", ")),
        SortKey::Attribute(n) => text(
            a.attributes.get(n).map_or("", String::as_str),
            b.attributes.get(n).map_or("", String::as_str),
        ),
    }
}

/// Applies one corpus intent.
pub(crate) fn apply(app: &mut MarginaliaApp, intent: CorpusIntent) {
    let Some(c) = &mut app.corpus else {
        app.status = Status::info("No corpus is open (File › Open folder…)");
        return;
    };
    match intent {
        CorpusIntent::Open(i) => open_document(app, i),
        CorpusIntent::Step(_) if c.rows.is_empty() => {
            app.status = Status::info("No document matches the list's filters");
        }
        CorpusIntent::Step(dir) => match c.neighbour(dir) {
            Some(i) => open_document(app, i),
            None => {
                app.status = Status::info(match dir {
                    Direction::Forward => "This is the last document of the list",
                    Direction::Backward => "This is the first document of the list",
                });
            }
        },
        CorpusIntent::Sort(key) => {
            if c.list.sort == key {
                c.list.descending = !c.list.descending;
            } else {
                c.list.sort = key;
                c.list.descending = false;
            }
            c.refresh_rows();
            c.reveal_current = true;
        }
        CorpusIntent::Refilter => c.refresh_rows(),
        CorpusIntent::DefineAttribute { name, values } => define_attribute(app, name, values),
        CorpusIntent::ApplyChange => apply_change(app),
        CorpusIntent::ReloadCurrent => {
            app.modal = None;
            // The edits are dropped on purpose: the user chose the file on
            // disk. A journal that cannot be removed is offered back as a
            // recovery when the document opens, so it is only reported.
            if let Some(Err(e)) = app.workspace.as_mut().map(|w| w.discard_journal()) {
                app.status = Status::error(format!("The recovery journal was not removed: {e}"));
            }
            reload_current(app);
        }
        CorpusIntent::UndoChange => undo_change(app),
    }
}

/// In a corpus document, a rename, recolour, re-parent, merge or deletion
/// of a tag goes to the whole corpus: the current set is saved, the change
/// planned over every set and its preview shown. True when the command was
/// taken (also when saving or planning failed; the status says why).
/// The current corpus document, when the open session is its own set (not,
/// say, its curated set in another folder): only then do the corpus-wide
/// steps (a codebook change, a corpus undo, the index after a save) apply.
pub(super) fn editing_current(c: &CorpusState, w: &super::Workspace) -> Option<usize> {
    let i = c.current?;
    (c.corpus.docs.get(i).map(|d| &d.set_path) == w.session.set_path.as_ref()).then_some(i)
}

/// [`editing_current`] of the app's corpus and workspace.
pub(super) fn editing_corpus_document(app: &MarginaliaApp) -> Option<usize> {
    editing_current(app.corpus.as_ref()?, app.workspace.as_ref()?)
}

pub(super) fn propose_change(app: &mut MarginaliaApp, cmd: &Command) -> bool {
    let in_corpus = editing_corpus_document(app).is_some();
    if !in_corpus || !corpus_change::is_corpus_wide(cmd) {
        return false;
    }
    if !super::files::saved_first(app) {
        return true;
    }
    let Some(c) = &mut app.corpus else {
        return true;
    };
    // Planning reads every set: on a thread, with a progress dialog that
    // keeps the document from being edited meanwhile.
    let corpus = c.corpus.clone();
    let job = cmd.clone();
    let done = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&done);
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("marginalia-plan".into())
        .spawn(move || {
            // Nobody waits any more when the dialog was cancelled.
            let _ = tx.send(corpus_change::plan_with_progress(&corpus, &job, &counter));
        });
    match spawned {
        Ok(_) => {
            c.planning = Some(Planning {
                rx,
                done,
                total: c.corpus.docs.len(),
                label: corpus_change::label(cmd, &c.corpus.file.codebook),
            });
            app.modal = Some(Modal::CorpusPlanning);
        }
        Err(e) => app.status = Status::error(format!("Not changed: {e}")),
    }
    true
}

/// A corpus-wide change being planned on another thread.
#[derive(Debug)]
pub struct Planning {
    rx: Receiver<Result<corpus_change::Plan, String>>,
    /// Documents read so far.
    pub done: Arc<AtomicUsize>,
    /// Documents in the corpus.
    pub total: usize,
    /// What is planned ("rename tag …").
    pub label: String,
}

/// Takes a finished plan: its preview, or why it failed.
fn poll_planning(app: &mut MarginaliaApp) -> bool {
    let Some(c) = &mut app.corpus else {
        return false;
    };
    let Some(p) = &c.planning else { return false };
    if !matches!(app.modal, Some(Modal::CorpusPlanning)) {
        // Cancelled: the thread's result is dropped with the channel.
        c.planning = None;
        corpus_change::discard(&c.corpus.root);
        return false;
    }
    let got = match p.rx.try_recv() {
        Ok(r) => r,
        Err(TryRecvError::Empty) => return true,
        Err(TryRecvError::Disconnected) => Err("the planning thread stopped".into()),
    };
    c.planning = None;
    match got {
        Ok(plan) => {
            app.modal = Some(Modal::CorpusChange(CorpusChangePreview {
                summary: plan.summary(),
                plan,
            }));
        }
        Err(e) => {
            app.modal = None;
            app.status = Status::error(format!("Not changed: {e}"));
        }
    }
    false
}

/// Writes the previewed change, then shows the current document again as
/// it is on disk.
fn apply_change(app: &mut MarginaliaApp) {
    let Some(Modal::CorpusChange(p)) = app.modal.take() else {
        return;
    };
    let Some(c) = &mut app.corpus else { return };
    let label = p.plan.label.clone();
    // By path through a map: 10,000 sets against 10,000 documents.
    let changed: Vec<usize> = {
        let by_set: std::collections::HashMap<&Path, usize> = c
            .corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.set_path.as_path(), i))
            .collect();
        p.plan
            .set_paths()
            .filter_map(|sp| by_set.get(sp).copied())
            .collect()
    };
    let (sets, per_document) = (p.plan.documents, p.plan.per_document());
    match corpus_change::execute(&mut c.corpus, p.plan) {
        Ok(_) => {
            c.reread(changed);
            reload_current(app);
            if let Some(c) = &mut app.corpus {
                c.change_undoable = true;
            }
            let sets = match sets {
                1 => "1 set".to_owned(),
                n => format!("{n} sets"),
            };
            app.status = Status::info(if per_document {
                format!(
                    "Done: {label} in {sets} (Ctrl+Z in a document undoes its part; Codebook › Undo corpus change undoes it in all)"
                )
            } else {
                format!(
                    "Done: {label} in {sets} (Ctrl+Z or Codebook › Undo corpus change undoes it)"
                )
            });
        }
        Err(e) => app.status = Status::error(format!("Not changed: {e}")),
    }
}

/// Undoes the last corpus-wide change (saving the current set first).
fn undo_change(app: &mut MarginaliaApp) {
    if !super::files::saved_first(app) {
        return;
    }
    let Some(c) = &mut app.corpus else { return };
    c.change_undoable = false;
    match corpus_change::undo(&mut c.corpus) {
        Ok(Some(r)) => {
            c.reread((0..c.corpus.docs.len()).collect());
            reload_current(app);
            app.status = restored_status("Undone", &r);
        }
        Ok(None) => app.status = Status::info("No corpus-wide change to undo"),
        Err(e) => app.status = Status::error(format!("Not undone: {e}")),
    }
}

/// Ctrl+Z past the open document's own history: undoes this document's
/// part of the last corpus-wide change when that change allows it (tag all
/// matches: one undoable step per document). True when it did, or said
/// why it could not.
pub(super) fn undo_document_part(app: &mut MarginaliaApp) -> bool {
    let Some(i) = editing_corpus_document(app) else {
        return false;
    };
    let Some(set_path) = app
        .corpus
        .as_ref()
        .and_then(|c| c.corpus.docs.get(i))
        .map(|d| d.set_path.clone())
    else {
        return false;
    };
    if !super::files::saved_first(app) {
        return true;
    }
    let Some(c) = &mut app.corpus else {
        return false;
    };
    match corpus_change::undo_document(&c.corpus, &set_path) {
        Ok(Some(label)) => {
            c.reread(vec![i]);
            reload_current(app);
            app.status = Status::info(format!(
                "Undid in this document: {label} (the other documents keep it; Codebook › Undo corpus change undoes it in all)"
            ));
            true
        }
        Ok(None) => false,
        Err(e) => {
            app.status = Status::error(format!("Not undone: {e}"));
            true
        }
    }
}

fn restored_status(what: &str, r: &corpus_change::Restored) -> Status {
    if r.left.is_empty() {
        Status::info(format!(
            "{what}: {} ({} sets restored)",
            r.label, r.restored
        ))
    } else {
        Status::error(format!(
            "{what}: {} ({} sets restored; changed since, so left as they are: {})",
            r.label,
            r.restored,
            r.left.join(", ")
        ))
    }
}

/// Sets changed by another program: each is read again for the list and
/// the index; the open document is reloaded when it has no unsaved edits,
/// else the user is asked (nothing is overwritten without asking).
fn external_changes(app: &mut MarginaliaApp, changed: Vec<usize>) {
    // Only the open set, when it is the document's own (a curated set
    // open instead is not reloaded from the coders' set).
    let current = editing_corpus_document(app).filter(|i| changed.contains(i));
    let Some(c) = &mut app.corpus else { return };
    let names: Vec<String> = changed
        .iter()
        .filter_map(|&i| c.corpus.docs.get(i).map(|d| d.rel.clone()))
        .take(3)
        .collect();
    let n = changed.len();
    c.reread(changed);
    let more = if n > names.len() {
        format!(" and {} more", n - names.len())
    } else {
        String::new()
    };
    app.status = Status::info(format!(
        "Changed on disk by another program, read again: {}{more}",
        names.join(", ")
    ));
    if current.is_none() {
        return;
    }
    if app.session().is_some_and(crate::core::Session::is_dirty) {
        app.modal = Some(Modal::Notice(super::model::Notice::new(
            "This document's annotations changed on disk",
            "Another program (a git pull, another window) changed this document's set while you have unsaved edits here. Reload it from disk (your unsaved edits are dropped), or keep your edits (the next save writes them over the file on disk).",
            super::model::NoticeAction::ReloadChanged,
        )));
    } else {
        reload_current(app);
        app.status = Status::info("This document's set changed on disk and was reloaded");
    }
}

/// Opens the current corpus document again from disk (after its set was
/// changed there).
fn reload_current(app: &mut MarginaliaApp) {
    let Some(path) = app
        .corpus
        .as_ref()
        .and_then(|c| c.current.and_then(|i| c.corpus.docs.get(i)))
        .map(|d| d.path.clone())
    else {
        return;
    };
    super::files::open_now(app, &path);
}

/// Adds (or redefines) a corpus attribute and writes `corpus.ron`.
fn define_attribute(app: &mut MarginaliaApp, name: String, values: Vec<String>) {
    let Some(c) = &mut app.corpus else { return };
    let name = name.trim().to_owned();
    if name.is_empty() {
        app.status = Status::error("An attribute needs a name");
        return;
    }
    let mut values: Vec<String> = values
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    values.retain(|v| seen.insert(v.clone()));
    let defs = &mut c.corpus.file.attributes;
    let redefined = defs.iter().any(|a| a.name == name);
    defs.retain(|a| a.name != name);
    defs.push(corpus::AttributeDef {
        name: name.clone(),
        values,
    });
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    app.status = match c.corpus.save_merging() {
        Ok(()) if redefined => Status::info(format!("Attribute “{name}” redefined")),
        Ok(()) => Status::info(format!(
            "Attribute “{name}” defined for the corpus; set it per document here"
        )),
        Err(e) => Status::error(format!("Attribute not saved: {e}")),
    };
}

/// Opens document `i` of the corpus, saving the current set first.
pub(super) fn open_document(app: &mut MarginaliaApp, i: usize) {
    let Some(c) = &mut app.corpus else { return };
    let Some(doc) = c.corpus.docs.get(i) else {
        return;
    };
    let path = doc.path.clone();
    if c.current == Some(i) && app.workspace.is_some() {
        // Already open: keep its history, selection and place.
        c.reveal_current = true;
        return;
    }
    if app.session().is_some_and(|s| s.is_dirty()) {
        super::files::save(app);
        // A failed save (or a saved set whose corpus.ron was not written)
        // said why: stay, so the message is read; pressing again switches.
        if app.session().is_some_and(|s| s.is_dirty()) || app.status.is_error {
            return;
        }
    }
    if let Some(c) = &mut app.corpus {
        c.pending = Some(i);
        c.change_undoable = false;
    }
    super::files::open_now(app, &path);
}

/// Opens the folder `root` as the corpus (the current document stays open
/// until one of the corpus's is chosen; the first opens when none is).
pub(super) fn open_corpus(app: &mut MarginaliaApp, root: &Path) {
    match Corpus::open(root) {
        Ok(mut c) if !c.docs.is_empty() => {
            // A corpus-wide change the app did not finish is rolled back.
            let recovered = corpus_change::recover(&mut c);
            open_opened(app, root, c);
            match recovered {
                Ok(Some(r)) => {
                    app.status =
                        restored_status("An interrupted corpus-wide change was rolled back", &r);
                }
                Ok(None) => {}
                Err(e) => {
                    app.status = Status::error(format!(
                        "An interrupted corpus-wide change could not be rolled back: {e}"
                    ));
                }
            }
        }
        Ok(_) => {
            app.status = Status::error(format!(
                "{} has no articles ({} files, in it or below): nothing to open",
                root.display(),
                crate::core::import::supported_extensions().join(", ")
            ));
        }
        Err(e) => app.status = Status::error(format!("Corpus not opened: {e}")),
    }
}

/// Shows an opened corpus (the first document opens when the current one
/// is not one of its own).
fn open_opened(app: &mut MarginaliaApp, root: &Path, c: Corpus) {
    let n = c.docs.len();
    let mut state = CorpusState::new(c);
    if let Some(s) = app.session() {
        state.current = session_position(&state.corpus, s);
    }
    let first = state.rows.first().copied();
    // A document with unsaved changes from elsewhere stays on screen: the
    // user picks a row when ready (nothing is saved without asking).
    let dirty = app.session().is_some_and(|s| s.is_dirty());
    let show_first = state.current.is_none() && !dirty;
    app.corpus = Some(state);
    app.remember_recent(root);
    app.status = Status::info(format!(
        "Opened the corpus {} ({n} documents)",
        root.display()
    ));
    if show_first && let Some(i) = first {
        open_document(app, i);
    }
}

/// The corpus document a session shows: by its article, else its set.
fn session_position(corpus: &Corpus, s: &crate::core::Session) -> Option<usize> {
    [s.article_path.as_ref(), s.set_path.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|p| corpus.position(p))
}

/// Called every frame: takes summaries read in the background, and
/// re-reads sets that other programs changed.
pub(super) fn poll(app: &mut MarginaliaApp, ctx: &egui::Context) {
    let changed = app
        .corpus
        .as_mut()
        .map(|c| {
            if std::mem::take(&mut c.look_next_frame) {
                c.look_now()
            } else {
                c.changed_on_disk()
            }
        })
        .unwrap_or_default();
    if !changed.is_empty() {
        external_changes(app, changed);
    }
    let searching = super::corpus_search::poll(app) | poll_planning(app);
    if let Some(c) = &mut app.corpus {
        c.poll();
        super::charts::refresh(c);
        if c.is_reading() || searching {
            ctx.request_repaint_after(Duration::from_millis(30));
        }
    }
}

/// A document was installed in the window: mark it current, and give it
/// the corpus tags its set lacks (so the popup and the digits are the
/// corpus's in every document).
pub(super) fn document_opened(app: &mut MarginaliaApp, session: &mut crate::core::Session) {
    let Some(c) = &mut app.corpus else { return };
    c.current = session_position(&c.corpus, session);
    c.pending = None;
    c.reveal_current = true;
    if let Some((start, end)) = c.select_range_after_open.take()
        && c.current.is_some()
    {
        app.intents.push(
            super::model::SelectionIntent::Set {
                anchor: start,
                head: end,
            }
            .into(),
        );
        app.intents
            .push(super::model::SelectionIntent::ScrollTo(start).into());
    }
    let Some(c) = &mut app.corpus else { return };
    if let Some(id) = c.select_after_open.take()
        && c.current.is_some()
    {
        app.intents.push(
            super::model::SelectionIntent::SelectAnnotation {
                id,
                reveal: super::model::Reveal::InArticle,
            }
            .into(),
        );
    }
    if c.current.is_some() {
        let (merged, added) =
            corpus::merge_codebooks(&session.set.codebook, &c.corpus.file.codebook);
        if added > 0 {
            session.set.codebook = merged;
        }
    }
}

/// The current document was saved: its summary is refreshed, its tags join
/// the corpus codebook, and `corpus.ron` is written.
pub(super) fn document_saved(app: &mut MarginaliaApp) {
    let (Some(c), Some(w)) = (&mut app.corpus, &app.workspace) else {
        return;
    };
    let Some(i) = editing_current(c, w) else {
        return;
    };
    let mut s = DocSummary {
        title: c
            .corpus
            .docs
            .get(i)
            .and_then(|d| crate::core::store::set_stem(&d.set_path))
            .unwrap_or_default(),
        ..DocSummary::default()
    };
    // The whole set as saved (blind coding keeps others' annotations aside).
    let full = w.session.full_set();
    corpus::fill_summary(&mut s, &full);
    c.corpus.adopt_attributes(s.attributes.keys());
    if let Some(slot) = c.summaries.get_mut(i) {
        if slot.is_none() {
            c.read += 1;
        }
        *slot = Some(s);
    }
    if let Some(g) = c.generation.get_mut(i) {
        *g = g.wrapping_add(1);
    }
    c.index.insert(i, DocIndex::from_set(&full));
    c.version += 1;
    c.wrote(i);
    c.corpus.adopt_tags(&w.session.set.codebook);
    c.refresh_rows();
    if let Err(e) = c.corpus.save_merging() {
        app.status = Status::error(format!(
            "The set was saved, but {} was not: {e}",
            c.corpus.file_path().display()
        ));
    }
}
