//! Everything that belongs to one open document, built whole when it
//! opens: the session, the view state, the article view, the derived
//! state, the panels' buffers and the autosave journal. Opening another
//! document builds a new [`Workspace`], so every reset happens by
//! construction.
//!
//! Invariants:
//! - Every document change goes through [`Workspace::execute`],
//!   [`Workspace::undo`] or [`Workspace::redo`]; the [`Touched`] they get
//!   back reaches [`Workspace::changed`], the one place that updates the
//!   derived state, the article view's caches and the journal.
//! - The journal records every step `changed` sees and is flushed at most
//!   about once a second ([`FLUSH_INTERVAL`]), so every change is on disk
//!   within two seconds; it is discarded only after a successful save or
//!   when the user discards the changes.

use super::article::ArticleView;
use super::derived::{Change, Derived};
use super::model::{Panels, RecoveryPrompt, ViewState};
use crate::core::command::{Command, CommandError, Touched};
use crate::core::journal::{self, Journal};
use crate::core::session::{Session, StepError};
use std::path::Path;
use std::time::{Duration, Instant};

/// How often the journal is written at most.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

/// One open document and everything derived from it.
pub struct Workspace {
    /// The document: text, annotation set, history.
    pub session: Session,
    /// Selection, find matches, filter, focused tag.
    pub view: ViewState,
    /// The article view's layout and caches.
    pub article: ArticleView,
    /// Span index, tag counts, codebook rows, filtered rows.
    pub derived: Derived,
    /// The panels' edit buffers.
    pub panels: Panels,
    /// The re-anchoring summary shown after open when something moved.
    pub anchor_banner: Option<String>,
    /// Two codings being compared: what the article marks above and below
    /// the lines.
    pub compare_marks: Option<CompareMarks>,
    journal: Option<Journal>,
    last_flush: Option<Instant>,
    journal_error_shown: bool,
}

/// Two codings' spans, as the article marks them while they are compared:
/// A's above the line, B's below, the current disagreement framed
/// (code points, end excluded; each list sorted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareMarks {
    /// Coding A's spans.
    pub a: Vec<(usize, usize)>,
    /// Coding B's spans.
    pub b: Vec<(usize, usize)>,
    /// The disagreement stepped to.
    pub current: Option<(usize, usize)>,
    /// The document shown is the curated set (its highlights stay).
    pub curating: bool,
    /// The longest span of A and of B (a block's painting skips spans
    /// that start further before it).
    pub longest: [usize; 2],
}

/// What flushing the journal did this frame.
#[derive(Debug)]
pub enum FlushOutcome {
    /// Nothing to write, or written.
    Done,
    /// Not due yet: ask for a repaint after this long.
    Later(Duration),
    /// Writing failed (reported once until it works again).
    Failed {
        /// Why.
        error: std::io::Error,
        /// First failure since the last success: tell the user.
        report: bool,
    },
}

impl Workspace {
    /// The workspace of a freshly opened session: its journal started, and
    /// a recovery journal left by a crash, when there is one.
    pub fn new(session: Session, recovery_dir: &Path) -> (Workspace, Option<RecoveryPrompt>) {
        let view = ViewState {
            article_keys: true,
            ..ViewState::default()
        };
        let derived = Derived::new(&session.text, &session.set, &view);
        let mut w = Workspace {
            article: ArticleView::new(&session.text),
            anchor_banner: anchor_banner(&session),
            compare_marks: None,
            session,
            view,
            derived,
            panels: Panels::default(),
            journal: None,
            last_flush: None,
            journal_error_shown: false,
        };
        let recovery = w.find_recovery(recovery_dir);
        w.start_journal(recovery_dir);
        (w, recovery)
    }

    fn find_recovery(&self, recovery_dir: &Path) -> Option<RecoveryPrompt> {
        let s = &self.session;
        let set_path = s.set_path.as_ref()?;
        let rec = journal::find_recovery(set_path, recovery_dir, s.text.sha256())?;
        let summary = rec.summary(&s.set);
        Some(RecoveryPrompt {
            recovery: rec,
            summary,
        })
    }

    /// Starts the journal (a pasted article has no file yet: a journal
    /// could not be matched to it after a crash; it starts on first save).
    pub fn start_journal(&mut self, recovery_dir: &Path) {
        let s = &self.session;
        let Some(set_path) = &s.set_path else { return };
        if !s.article_path.as_deref().is_some_and(Path::exists) {
            return;
        }
        let mut journal = Journal::open_for(set_path, recovery_dir, &s.set, s.text.sha256());
        // The disk sync runs off the frame; the entries are written at once.
        journal.set_background_sync(true);
        self.journal = Some(journal);
    }

    /// Runs a command as one undo step (with a merge group, consecutive
    /// commands of that group undo as one step). Returns its label.
    pub fn execute(&mut self, cmd: Command, group: Option<&str>) -> Result<String, CommandError> {
        let label = cmd.label();
        let touched = match group {
            Some(g) => self.session.execute_merged(cmd, g)?,
            None => self.session.execute(cmd)?,
        };
        self.changed(&touched);
        Ok(label)
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Result<String, StepError> {
        let label = self
            .session
            .history()
            .undo_label()
            .unwrap_or_default()
            .to_owned();
        let touched = self.session.undo()?;
        self.changed(&touched);
        Ok(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Result<String, StepError> {
        let label = self
            .session
            .history()
            .redo_label()
            .unwrap_or_default()
            .to_owned();
        let touched = self.session.redo()?;
        self.changed(&touched);
        Ok(label)
    }

    /// After every document change: derived state, view caches, journal,
    /// and a selected annotation that no longer exists is let go.
    fn changed(&mut self, touched: &Touched) {
        if let Some(id) = &self.view.selected
            && self.session.set.get(id).is_none()
        {
            self.view.selected = None;
        }
        let set = &self.session.set;
        let codebook_changed = self
            .derived
            .update(set, &self.view, Change::Document(touched));
        self.article.invalidate(touched);
        if codebook_changed && self.view.show_only {
            // Which highlights the filter dims may have changed anywhere.
            self.article.invalidate_all();
        }
        if let Some(j) = &mut self.journal {
            j.record(set, touched);
        }
    }

    /// After the filter changed: derived rows and every highlight.
    pub fn filter_changed(&mut self) {
        let set = &self.session.set;
        self.derived.update(set, &self.view, Change::Filter);
        self.article.invalidate_all();
    }

    /// After the selected annotation changed.
    pub fn selection_changed(&mut self) {
        let set = &self.session.set;
        self.derived.update(set, &self.view, Change::Selection);
    }

    /// Writes the journal when due (call once a frame).
    pub fn flush_when_due(&mut self, recovery_dir: &Path) -> FlushOutcome {
        let Some(j) = &mut self.journal else {
            return FlushOutcome::Done;
        };
        if !j.has_pending() {
            return FlushOutcome::Done;
        }
        if let Some(t) = self.last_flush
            && t.elapsed() < FLUSH_INTERVAL
        {
            return FlushOutcome::Later(FLUSH_INTERVAL.saturating_sub(t.elapsed()));
        }
        self.last_flush = Some(Instant::now());
        let mut result = j.flush();
        if result.is_err() {
            // The set's folder may be unwritable: make sure the fallback
            // folder exists and retry once.
            let _ = std::fs::create_dir_all(recovery_dir);
            result = j.flush();
        }
        match result {
            Ok(()) => {
                self.journal_error_shown = false;
                FlushOutcome::Done
            }
            Err(error) => {
                let report = !self.journal_error_shown;
                self.journal_error_shown = true;
                FlushOutcome::Failed { error, report }
            }
        }
    }

    /// Flushes the journal now (tests; before a risky operation).
    pub fn flush_journal(&mut self) -> std::io::Result<()> {
        match &mut self.journal {
            Some(j) => {
                self.last_flush = Some(Instant::now());
                j.flush()
            }
            None => Ok(()),
        }
    }

    /// Sets (or clears) what the article marks of two codings compared.
    pub fn set_compare_marks(&mut self, marks: Option<CompareMarks>) {
        self.compare_marks = marks;
    }

    /// After a successful save: the journal is no longer needed (or starts
    /// now, for an article saved for the first time).
    pub fn saved(&mut self, recovery_dir: &Path) -> std::io::Result<()> {
        match &mut self.journal {
            Some(j) => j.discard(),
            None => {
                self.start_journal(recovery_dir);
                Ok(())
            }
        }
    }

    /// After a successful Save As: the journal follows the new file.
    pub fn saved_as(&mut self, path: &Path, recovery_dir: &Path) -> std::io::Result<()> {
        match &mut self.journal {
            Some(j) => j.retarget(path, &self.session.set),
            None => {
                self.start_journal(recovery_dir);
                Ok(())
            }
        }
    }

    /// The user discarded the unsaved changes: so is the journal.
    pub fn discard_journal(&mut self) -> std::io::Result<()> {
        match &mut self.journal {
            Some(j) => j.discard(),
            None => Ok(()),
        }
    }

    /// The stem used for default export names.
    pub fn export_stem(&self) -> String {
        let name = self.session.display_name();
        let stem = Path::new(&name)
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(name);
        stem.strip_suffix(".annotations")
            .unwrap_or(&stem)
            .to_owned()
    }
}

/// The re-anchoring summary for a session whose text changed.
fn anchor_banner(s: &Session) -> Option<String> {
    let r = &s.anchor_report;
    if r.is_clean() {
        return None;
    }
    let mut text = format!(
        "The article changed since it was annotated: {} exact, {} moved, {} approximate, {} could not be placed",
        r.exact, r.moved, r.fuzzy, r.orphaned
    );
    if r.orphaned > 0 {
        text.push_str(" (see Orphans: re-attach or delete them)");
    }
    if !r.problems.is_empty() {
        text.push_str(&format!("; repaired: {}", r.problems.join("; ")));
    }
    Some(text)
}
