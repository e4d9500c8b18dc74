//! Never losing work in the window: the autosave journal, the "Recover
//! unsaved work?" prompt, save failures that offer Save As, bad-input
//! messages (legacy encoding, missing source), and the orphans' actions.
//!
//! Invariants:
//! - The journal records every step that [`MarginaliaApp::changed`] sees
//!   (execute, undo, redo: all go through the one `apply` function) and is
//!   flushed at most about once a second, so every change is on disk
//!   within two seconds.
//! - The journal is discarded only after a successful save (or when the
//!   user explicitly discards the changes); declining a recovery keeps it
//!   (renamed by [`Recovery::decline`]).
//! - Restoring a recovery is one undoable command (a `Batch` built from the
//!   difference between the saved set and the journaled state), so it
//!   counts as unsaved work and the title shows `*`.
//! - A failed open never replaces the current article.

use super::MarginaliaApp;
use crate::core::annotation::Annotation;
use crate::core::command::{Command, Touched};
use crate::core::journal::{self, Journal, Recovery, RecoverySummary};
use crate::core::session::OpenError;
use crate::core::set::AnnotationSet;
use crate::core::store::StoreError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often the journal is written at most.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

/// The user's data folder for recovery journals whose set folder cannot be
/// written: `$XDG_DATA_HOME/marginalia/recovery`, else
/// `$HOME/.local/share/marginalia/recovery`, else a folder in the system's
/// temporary directory.
pub fn recovery_dir() -> PathBuf {
    let non_empty = |v: std::ffi::OsString| (!v.is_empty()).then(|| PathBuf::from(v));
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").and_then(non_empty) {
        return d.join("marginalia").join("recovery");
    }
    if let Some(h) = std::env::var_os("HOME").and_then(non_empty) {
        return h
            .join(".local")
            .join("share")
            .join("marginalia")
            .join("recovery");
    }
    std::env::temp_dir().join("marginalia-recovery")
}

/// A recovery journal found on open, waiting for the user's answer.
#[derive(Debug, Clone)]
pub struct RecoveryPrompt {
    /// The journal.
    pub recovery: Recovery,
    /// What restoring would change.
    pub summary: RecoverySummary,
}

impl RecoveryPrompt {
    /// Human-readable lines describing what a restore brings back.
    pub fn lines(&self) -> Vec<String> {
        let s = &self.summary;
        let mut v = Vec::new();
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        if s.added > 0 {
            v.push(plural(s.added, "annotation added", "annotations added"));
        }
        if s.changed > 0 {
            v.push(plural(
                s.changed,
                "annotation changed",
                "annotations changed",
            ));
        }
        if s.deleted > 0 {
            v.push(plural(
                s.deleted,
                "annotation deleted",
                "annotations deleted",
            ));
        }
        if s.codebook_changed {
            v.push(format!(
                "codebook changed ({})",
                plural(s.tag_changes, "tag", "tags")
            ));
        }
        if s.metadata_changed {
            v.push("document metadata changed".to_owned());
        }
        if s.orphans_changed {
            v.push("orphan list changed".to_owned());
        }
        if v.is_empty() {
            v.push("no difference from the saved file".to_owned());
        }
        v
    }
}

/// What a message dialog offers besides closing.
#[derive(Debug, Clone)]
pub enum NoticeAction {
    /// Nothing: an OK button.
    None,
    /// The file is not UTF-8: offer to open it as Windows-1252.
    Legacy(PathBuf),
    /// The set's article is missing: ask the user to locate it.
    Locate {
        /// The set file.
        set_path: PathBuf,
        /// Where the set says its article was.
        source_path: PathBuf,
        /// The set, intact.
        set: Box<AnnotationSet>,
    },
    /// Saving failed: offer Save As.
    SaveAs,
}

/// A message dialog (bad input, save failure, missing source).
#[derive(Debug, Clone)]
pub struct Notice {
    /// Heading.
    pub title: String,
    /// What happened and what was kept.
    pub message: String,
    /// The extra button(s).
    pub action: NoticeAction,
    /// Typed-path alternative to the file dialog (locate).
    pub typed_path: String,
}

/// Intents of the reliability, export, import and loading features
/// (wrapped in [`Intent::Rel`](super::Intent::Rel)).
#[derive(Debug, Clone, PartialEq)]
pub enum RelIntent {
    /// Restore the recovery journal (`true`: even though it does not match).
    RestoreRecovery(bool),
    /// Not now: keep the journal aside, do not restore.
    DeclineRecovery,
    /// Close the message dialog.
    CloseNotice,
    /// Reopen the file of the notice as Windows-1252.
    OpenLegacy,
    /// Locate the missing article with the file dialog.
    LocateBrowse,
    /// Locate the missing article at this path.
    LocateAt(PathBuf),
    /// Show Save As after a failed save.
    OfferSaveAs,
    /// Re-attach this orphan to the current selection.
    ReattachOrphan(String),
    /// Delete this orphan.
    DeleteOrphan(String),
    /// Hide the re-anchoring banner.
    CloseAnchorBanner,
    /// Open the export dialog.
    OpenExport,
    /// Close the export dialog.
    CloseExport,
    /// Choose the export destination with the file dialog.
    ExportBrowse,
    /// Write the export.
    RunExport,
    /// Open the "paste the article" dialog.
    OpenPaste,
    /// Close it.
    ClosePaste,
    /// Create an article from the pasted text.
    CreateFromPaste,
    /// Stop waiting for a file being opened.
    CancelLoading,
}

/// State owned by these features (one field of the app).
#[derive(Debug)]
pub struct Reliability {
    /// The autosave journal of the open session.
    pub journal: Option<Journal>,
    last_flush: Option<Instant>,
    journal_error_shown: bool,
    /// Folder for journals whose set folder cannot be written.
    pub fallback_dir: PathBuf,
    /// A recovery waiting for an answer.
    pub recovery: Option<RecoveryPrompt>,
    /// A message dialog.
    pub notice: Option<Notice>,
    /// Re-anchoring summary shown after open when something moved.
    pub anchor_banner: Option<String>,
    /// The export dialog, when open.
    pub export: Option<super::export::ExportDialog>,
    /// Remembered export choices.
    pub export_prefs: super::export::ExportPrefs,
    /// The paste dialog, when open.
    pub paste: Option<super::loading::PasteDialog>,
    /// A file being opened in the background.
    pub loading: Option<super::loading::Loading>,
    /// How long an open may block the frame before the progress overlay
    /// shows; `None` blocks until done (tests, headless use).
    pub load_wait: Option<Duration>,
    /// Test hook: the background open sleeps this long first.
    pub load_delay: Duration,
    /// Where pasted articles are saved (default `saves/`).
    pub saves_dir: PathBuf,
}

impl Default for Reliability {
    fn default() -> Self {
        Reliability {
            journal: None,
            last_flush: None,
            journal_error_shown: false,
            fallback_dir: recovery_dir(),
            recovery: None,
            notice: None,
            anchor_banner: None,
            export: None,
            export_prefs: Default::default(),
            paste: None,
            loading: None,
            load_wait: None,
            load_delay: Duration::ZERO,
            saves_dir: crate::cli::saves_dir(),
        }
    }
}

const EXPORT_PREFS_KEY: &str = "marginalia.export_prefs";

impl Reliability {
    /// Window setup: remembered export choices, and opens that show a
    /// progress overlay after 150 ms instead of blocking.
    pub fn setup_for_window(&mut self, storage: Option<&dyn eframe::Storage>) {
        self.load_wait = Some(Duration::from_millis(150));
        if let Some(storage) = storage
            && let Some(p) = eframe::get_value(storage, EXPORT_PREFS_KEY)
        {
            self.export_prefs = p;
        }
    }

    /// Stores the remembered export choices.
    pub fn save_prefs(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, EXPORT_PREFS_KEY, &self.export_prefs);
    }
}

impl MarginaliaApp {
    /// The reliability/export/import state (tests inspect it).
    pub fn rel(&self) -> &Reliability {
        &self.rel
    }

    /// Mutable access (tests set the fallback folder, timing hooks).
    pub fn rel_mut(&mut self) -> &mut Reliability {
        &mut self.rel
    }

    /// Uses `dir` for journals whose set folder cannot be written (tests,
    /// portable installs); restarts the journal and looks for a recovery
    /// there too.
    pub fn set_recovery_dir(&mut self, dir: &Path) {
        self.rel.fallback_dir = dir.to_owned();
        self.session_installed();
    }

    /// Called after a session was installed (startup or open): starts its
    /// journal, looks for a recovery, and summarises re-anchoring.
    pub(super) fn session_installed(&mut self) {
        self.rel.journal = None;
        self.rel.recovery = None;
        self.rel.anchor_banner = None;
        self.rel.journal_error_shown = false;
        let Some(s) = &self.session else { return };
        let r = &s.anchor_report;
        if !r.is_clean() {
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
            self.rel.anchor_banner = Some(text);
        }
        let Some(set_path) = s.set_path.clone() else {
            return;
        };
        if let Some(rec) =
            journal::find_recovery(&set_path, &self.rel.fallback_dir, s.text.sha256())
        {
            let summary = rec.summary(&s.set);
            self.rel.recovery = Some(RecoveryPrompt {
                recovery: rec,
                summary,
            });
        }
        self.start_journal();
    }

    fn start_journal(&mut self) {
        let Some(s) = &self.session else { return };
        let Some(set_path) = &s.set_path else { return };
        // A pasted article has no file yet: a journal could not be matched
        // to it after a crash. It starts on the first save.
        if !s.article_path.as_deref().is_some_and(Path::exists) {
            return;
        }
        let mut journal =
            Journal::open_for(set_path, &self.rel.fallback_dir, &s.set, s.text.sha256());
        // The disk sync runs off the frame; the entries are written at once.
        journal.set_background_sync(true);
        self.rel.journal = Some(journal);
    }

    /// Records a step in the journal (called by `changed`).
    pub(super) fn journal_record(&mut self, touched: &Touched) {
        if let (Some(j), Some(s)) = (&mut self.rel.journal, &self.session) {
            j.record(&s.set, touched);
        }
    }

    /// End of frame: flush the journal when due, poll a background open.
    pub(super) fn reliability_tick(&mut self, ctx: &egui::Context) {
        self.poll_loading(ctx);
        let Some(j) = &mut self.rel.journal else {
            return;
        };
        if !j.has_pending() {
            return;
        }
        let due = self
            .rel
            .last_flush
            .is_none_or(|t| t.elapsed() >= FLUSH_INTERVAL);
        if !due {
            let wait = self.rel.last_flush.map_or(Duration::ZERO, |t| {
                FLUSH_INTERVAL.saturating_sub(t.elapsed())
            });
            ctx.request_repaint_after(wait);
            return;
        }
        self.rel.last_flush = Some(Instant::now());
        let mut result = j.flush();
        if result.is_err() {
            // The set's folder may be unwritable: make sure the fallback
            // folder exists and retry once.
            let _ = std::fs::create_dir_all(&self.rel.fallback_dir);
            result = j.flush();
        }
        match result {
            Ok(()) => self.rel.journal_error_shown = false,
            Err(e) => {
                ctx.request_repaint_after(FLUSH_INTERVAL);
                if !self.rel.journal_error_shown {
                    self.rel.journal_error_shown = true;
                    self.set_status(
                        format!("Autosave failed (will retry; save to be safe): {e}"),
                        true,
                    );
                }
            }
        }
    }

    /// Flushes the journal now (tests; before a risky operation).
    pub fn flush_journal(&mut self) -> std::io::Result<()> {
        match &mut self.rel.journal {
            Some(j) => {
                self.rel.last_flush = Some(Instant::now());
                j.flush()
            }
            None => Ok(()),
        }
    }

    /// After a successful save: the journal is no longer needed.
    pub(super) fn after_saved(&mut self) {
        match &mut self.rel.journal {
            Some(j) => {
                if let Err(e) = j.discard() {
                    self.set_status(
                        format!("Saved, but the old recovery journal could not be removed: {e}"),
                        true,
                    );
                }
            }
            None => self.start_journal(),
        }
        self.rel.notice = None;
    }

    /// After a successful Save As: the journal follows the new file.
    pub(super) fn after_saved_as(&mut self, path: &Path) {
        let set = self.session.as_ref().map(|s| s.set.clone());
        match (&mut self.rel.journal, set) {
            (Some(j), Some(set)) => {
                if let Err(e) = j.retarget(path, &set) {
                    self.set_status(
                        format!("Saved, but the old recovery journal could not be removed: {e}"),
                        true,
                    );
                }
            }
            _ => self.start_journal(),
        }
        self.rel.notice = None;
    }

    /// The user chose to discard the unsaved changes: so is the journal.
    pub(super) fn journal_discard_by_user(&mut self) {
        if let Some(j) = &mut self.rel.journal {
            let _ = j.discard();
        }
    }

    /// A save failed: say why and offer Save As (nothing is dropped: the
    /// session keeps every change).
    pub(super) fn save_failed(&mut self, e: &StoreError) {
        let msg = format!("Not saved: {e}");
        self.set_status(msg.clone(), true);
        self.rel.notice = Some(Notice {
            title: "The annotations were not saved".to_owned(),
            message: format!(
                "{msg}\n\nYour changes are still here (and in the recovery journal). Save them somewhere else with Save as…"
            ),
            action: NoticeAction::SaveAs,
            typed_path: String::new(),
        });
    }

    /// An open failed: a clear message; the current article stays open.
    pub(super) fn open_failed(&mut self, path: &Path, e: OpenError) {
        let keep = if self.session.is_some() {
            "\n\nThe current article stays open."
        } else {
            ""
        };
        let (title, message, action) = match e {
            OpenError::Decode {
                error: crate::core::decode::DecodeError::InvalidUtf8 { .. },
                ..
            } => (
                "Not UTF-8 text",
                format!(
                    "{e}\n\nIf it was written on Windows, open it as Windows-1252 (Latin-1); check the text looks right before annotating.{keep}"
                ),
                NoticeAction::Legacy(path.to_owned()),
            ),
            OpenError::SourceMissing {
                set_path,
                source_path,
                set,
            } => (
                "Locate the article",
                format!(
                    "The annotation set {} ({} annotations) was found, but its article is not at {}.\n\nLocate the article to open the set with it; the annotations are kept (they are re-anchored if the text changed).{keep}",
                    set_path.display(),
                    set.annotations.len() + set.orphans.len(),
                    source_path.display()
                ),
                NoticeAction::Locate {
                    set_path,
                    source_path,
                    set,
                },
            ),
            other => (
                "Cannot open this file",
                format!("{other}{keep}"),
                NoticeAction::None,
            ),
        };
        self.set_status(format!("Not opened: {}", path.display()), true);
        self.rel.notice = Some(Notice {
            title: title.to_owned(),
            message,
            action,
            typed_path: String::new(),
        });
    }

    /// Applies one of these features' intents.
    pub(super) fn apply_rel(&mut self, _ctx: &egui::Context, intent: RelIntent) {
        match intent {
            RelIntent::RestoreRecovery(force) => self.restore_recovery(force),
            RelIntent::DeclineRecovery => {
                if let Some(p) = self.rel.recovery.take() {
                    match p.recovery.decline() {
                        Ok(kept) => self.set_status(
                            format!("Unsaved work not restored; it is kept in {}", kept.display()),
                            false,
                        ),
                        Err(e) => self.set_status(
                            format!(
                                "Unsaved work not restored; its journal {} could not be renamed: {e}",
                                p.recovery.path.display()
                            ),
                            true,
                        ),
                    }
                }
            }
            RelIntent::CloseNotice => self.rel.notice = None,
            RelIntent::OpenLegacy => {
                if let Some(Notice {
                    action: NoticeAction::Legacy(p),
                    ..
                }) = self.rel.notice.take()
                {
                    self.start_open(&p, true);
                }
            }
            RelIntent::LocateBrowse => {
                let start = match &self.rel.notice {
                    Some(Notice {
                        action: NoticeAction::Locate { set_path, .. },
                        ..
                    }) => set_path.parent().map(Path::to_owned),
                    _ => return,
                };
                match self.dialogs.pick_open(start.as_deref()) {
                    super::dialogs::DialogResult::Picked(p) => {
                        self.apply_rel(_ctx, RelIntent::LocateAt(p))
                    }
                    super::dialogs::DialogResult::Cancelled => {}
                    super::dialogs::DialogResult::Unavailable => self.set_status(
                        "No file dialog here: type the article's path in the box",
                        false,
                    ),
                }
            }
            RelIntent::LocateAt(article) => {
                let Some(Notice {
                    action: NoticeAction::Locate { set_path, set, .. },
                    ..
                }) = self.rel.notice.take()
                else {
                    return;
                };
                if !article.is_file() {
                    self.set_status(format!("{} is not a file", article.display()), true);
                    self.rel.notice = Some(Notice {
                        title: "Locate the article".to_owned(),
                        message: format!(
                            "{} is not a file. Locate the article of {}.",
                            article.display(),
                            set_path.display()
                        ),
                        action: NoticeAction::Locate {
                            source_path: article.clone(),
                            set_path,
                            set,
                        },
                        typed_path: article.display().to_string(),
                    });
                    return;
                }
                self.start_open_with_set(&article, set_path, *set);
            }
            RelIntent::OfferSaveAs => {
                self.rel.notice = None;
                self.save_as_dialog();
            }
            RelIntent::ReattachOrphan(id) => {
                let Some(s) = &self.session else { return };
                let Some((a, b)) = self
                    .view
                    .selection
                    .map(super::Selection::range)
                    .filter(|(a, b)| b > a)
                else {
                    self.set_status(
                        "Select the text to re-attach the orphan to, then click Re-attach",
                        false,
                    );
                    return;
                };
                let now = crate::core::time::now_rfc3339();
                match crate::core::anchor::reattach_orphan(&s.set, &s.text, &id, a, b, &now) {
                    Ok(cmd) => {
                        if self.execute(cmd) {
                            self.view.selected = Some(id);
                        }
                    }
                    Err(e) => self.set_status(format!("Cannot re-attach: {e}"), true),
                }
            }
            RelIntent::DeleteOrphan(id) => {
                let Some(s) = &self.session else { return };
                match crate::core::anchor::delete_orphan(&s.set, &id) {
                    Ok(cmd) => {
                        self.execute(cmd);
                    }
                    Err(e) => self.set_status(format!("Cannot delete the orphan: {e}"), true),
                }
            }
            RelIntent::CloseAnchorBanner => self.rel.anchor_banner = None,
            RelIntent::OpenExport => self.open_export_dialog(),
            RelIntent::CloseExport => self.rel.export = None,
            RelIntent::ExportBrowse => self.export_browse(),
            RelIntent::RunExport => self.run_export(),
            RelIntent::OpenPaste => self.open_paste_dialog(),
            RelIntent::ClosePaste => self.rel.paste = None,
            RelIntent::CreateFromPaste => self.create_from_paste(),
            RelIntent::CancelLoading => {
                if let Some(l) = self.rel.loading.take() {
                    self.set_status(format!("Stopped opening {}", l.path.display()), false);
                }
            }
        }
    }

    /// Restores the recovery as one undoable step.
    fn restore_recovery(&mut self, force: bool) {
        let Some(prompt) = self.rel.recovery.take() else {
            return;
        };
        let Some(s) = &self.session else { return };
        let mut after = s.set.clone();
        if force {
            prompt.recovery.apply_anyway(&mut after);
        } else if let Err(e) = prompt.recovery.apply(&mut after) {
            self.set_status(format!("Not restored: {e}"), true);
            self.rel.recovery = Some(prompt);
            return;
        }
        let cmd = difference_command(&s.set, &after);
        let path = prompt.recovery.path.clone();
        match cmd {
            Some(cmd) => {
                if self.execute(cmd) {
                    self.set_status(
                        format!(
                            "Restored unsaved work from {} (save to keep it; Ctrl+Z undoes the restore)",
                            path.display()
                        ),
                        false,
                    );
                }
            }
            None => self.set_status("The recovery journal holds no difference", false),
        }
    }
}

/// One `Batch` command turning `before` into `after` (codebook first, so
/// the tags exist; then annotations, orphans, metadata). `None` when they
/// are equal.
pub fn difference_command(before: &AnnotationSet, after: &AnnotationSet) -> Option<Command> {
    let old: BTreeMap<&str, &Annotation> = before
        .annotations
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let new: BTreeMap<&str, &Annotation> = after
        .annotations
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut commands = Vec::new();
    if before.codebook != after.codebook {
        commands.push(Command::SetCodebook(after.codebook.clone()));
    }
    for id in old.keys().filter(|id| !new.contains_key(*id)) {
        commands.push(Command::DeleteAnnotation {
            id: (*id).to_owned(),
        });
    }
    for (id, a) in &new {
        match old.get(id) {
            None => commands.push(Command::AddAnnotation((*a).clone())),
            Some(b) if b != a => commands.push(Command::ReplaceAnnotation((*a).clone())),
            _ => {}
        }
    }
    if before.orphans != after.orphans {
        commands.push(Command::SetOrphans(after.orphans.clone()));
    }
    if before.metadata != after.metadata {
        commands.push(Command::SetMetadata(after.metadata.clone()));
    }
    (!commands.is_empty()).then(|| Command::Batch {
        label: "restore unsaved work".to_owned(),
        commands,
    })
}

impl MarginaliaApp {
    /// Draws the banners, the orphans panel and the dialogs of these
    /// features (call before the central panel).
    pub(super) fn reliability_ui(&mut self, ui: &mut egui::Ui, intents: &mut Vec<super::Intent>) {
        use crate::ui;
        let ctx = ui.ctx().clone();
        if let Some(text) = &self.rel.anchor_banner {
            ui::recovery_dialog::anchor_banner_ui(ui, text, intents);
        }
        if let Some(s) = &self.session
            && !s.set.orphans.is_empty()
        {
            ui::orphans_panel::orphans_panel_ui(ui, s, &self.view, intents);
        }
        if let Some(p) = &self.rel.recovery {
            ui::recovery_dialog::recovery_dialog_ui(&ctx, p, intents);
        }
        if let Some(n) = &mut self.rel.notice {
            ui::recovery_dialog::notice_ui(&ctx, n, intents);
        }
        let stem = self.export_default_stem();
        if let (Some(d), Some(s)) = (&mut self.rel.export, &self.session) {
            ui::export_dialog::export_dialog_ui(&ctx, d, s, &stem, intents);
        }
        if let Some(p) = &mut self.rel.paste {
            ui::paste_dialog::paste_dialog_ui(&ctx, p, intents);
        }
        if let Some(l) = &self.rel.loading {
            ui::recovery_dialog::loading_overlay_ui(&ctx, l, intents);
        }
    }

    /// True while one of these features' dialogs is open (plain-key
    /// shortcuts over the article are then off).
    pub fn has_open_dialog(&self) -> bool {
        self.rel.recovery.is_some()
            || self.rel.notice.is_some()
            || self.rel.export.is_some()
            || self.rel.paste.is_some()
            || self.rel.loading.is_some()
    }
}
