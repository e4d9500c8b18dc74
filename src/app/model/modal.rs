//! The dialogs that take the keyboard, as one [`Modal`] enum: at most one
//! is open at a time.
//!
//! Invariants (the keyboard rule every modal follows):
//! - While a modal is open no global shortcut and no article key acts
//!   behind it (`app::keyboard` checks [`Modal`] first).
//! - `Enter` runs the modal's default button ([`Modal::default_intent`]
//!   where it needs no buffer of the dialog; the dialog's own widget
//!   otherwise), `Esc` cancels ([`ModalIntent::Close`], or the answer that
//!   means "not now").
//! - A payload holds only the dialog's own buffers and what it shows; the
//!   document is changed by the handlers the dialog's intents reach.

use super::intent::{DocIntent, FileIntent, Intent, ModalIntent, RestoreMode, UnsavedChoice};
use crate::core::codebook::TagKind;
use crate::core::export::{ExportFormat, ExportOptions, Filter};
use crate::core::journal::{Recovery, RecoverySummary};
use crate::core::set::AnnotationSet;
use crate::core::tag_all::TagAllReview;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The dialog that has the keyboard.
#[derive(Debug, Clone)]
pub enum Modal {
    /// A corpus-wide change being planned (progress, Cancel); its state is
    /// the corpus's.
    CorpusPlanning,
    /// The review of "Tag all matches" over a corpus search's matches
    /// (its state is the corpus search panel's).
    CorpusReview,
    /// "Save the changes first?" before opening another file or quitting.
    UnsavedChanges(Pending),
    /// "Recover unsaved work?" after a crash.
    Recovery(RecoveryPrompt),
    /// A message: bad input, a failed save, a missing article.
    Notice(Notice),
    /// The export dialog.
    Export(ExportDialog),
    /// "New article from pasted text".
    Paste(PasteDialog),
    /// A path typed by hand (no native file dialog here).
    TypedPath(TypedPath),
    /// The tag popup over the selection.
    TagPopup(TagPopupState),
    /// The command palette.
    Palette(PaletteState),
    /// The tag-all review of the find matches.
    TagAll(TagAllState),
    /// The preview of a corpus-wide codebook change, waiting for "Apply".
    CorpusChange(CorpusChangePreview),
    /// Importing a folder of articles: the pattern and the preview.
    BatchImport(BatchImportDialog),
    /// Importing a REFI-QDA project: which codes are actors, and where.
    ImportProject(ImportProjectDialog),
    /// "Who is coding?": the coder's name as typed so far.
    CoderName(String),
    /// "Delete the tag?" for a tag that annotations use.
    ConfirmDeleteTag {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
        /// Annotations using it (with its children), when counted.
        uses: Option<usize>,
    },
}

impl Modal {
    /// What `Esc` does: cancel, or the answer that keeps everything.
    pub fn cancel_intent(&self) -> Intent {
        match self {
            Modal::UnsavedChanges(_) => ModalIntent::AnswerUnsaved(UnsavedChoice::Cancel).into(),
            Modal::Recovery(_) => ModalIntent::DeclineRecovery.into(),
            _ => ModalIntent::Close.into(),
        }
    }

    /// What `Enter` does when the dialog itself does not decide (its
    /// default button); `None` where the dialog's widgets handle `Enter`
    /// (a typed path, the popup's highlighted row, the palette).
    pub fn default_intent(&self) -> Option<Intent> {
        match self {
            Modal::UnsavedChanges(_) => {
                Some(ModalIntent::AnswerUnsaved(UnsavedChoice::Save).into())
            }
            Modal::Recovery(p) => Some(
                DocIntent::RestoreRecovery(if p.recovery.mismatch.is_some() {
                    RestoreMode::Anyway
                } else {
                    RestoreMode::Checked
                })
                .into(),
            ),
            Modal::Notice(n) => Some(match &n.action {
                NoticeAction::None => ModalIntent::Close.into(),
                NoticeAction::Legacy(_) => FileIntent::OpenLegacy.into(),
                NoticeAction::SaveAs => FileIntent::SaveAsDialog.into(),
                // Keeping the edits is the default: nothing is lost.
                NoticeAction::ReloadChanged => ModalIntent::Close.into(),
                NoticeAction::Locate { .. } => {
                    let p = n.typed_path.trim();
                    if p.is_empty() {
                        FileIntent::LocateBrowse.into()
                    } else {
                        FileIntent::LocateAt(PathBuf::from(p)).into()
                    }
                }
            }),
            Modal::Export(_) => Some(FileIntent::RunExport.into()),
            Modal::CoderName(name) => Some(ModalIntent::SetCoderName(name.clone()).into()),
            Modal::CorpusChange(_) => Some(super::intent::CorpusIntent::ApplyChange.into()),
            Modal::CorpusReview => Some(super::intent::CorpusSearchIntent::TagAccepted.into()),
            // Enter waits for the preview; Esc cancels.
            Modal::CorpusPlanning => None,
            // Enter in the pattern field previews; Import is a button.
            Modal::BatchImport(_) => None,
            Modal::ImportProject(_) => Some(FileIntent::RunImportProject.into()),
            Modal::ConfirmDeleteTag { kind, name, .. } => Some(
                DocIntent::Execute(crate::core::command::Command::DeleteTag {
                    kind: *kind,
                    name: name.clone(),
                })
                .into(),
            ),
            Modal::TagAll(t) => {
                let name = t.name.trim();
                (t.review.accepted_count() > 0 && !name.is_empty()).then(|| {
                    DocIntent::TagAllAccepted {
                        kind: t.kind,
                        name: name.to_owned(),
                    }
                    .into()
                })
            }
            Modal::Paste(_) | Modal::TypedPath(_) | Modal::TagPopup(_) | Modal::Palette(_) => None,
        }
    }
}

/// The "Import folder" dialog.
#[derive(Debug, Clone, Default)]
pub struct BatchImportDialog {
    /// The folder.
    pub root: PathBuf,
    /// The file-name pattern being typed.
    pub pattern: String,
    /// The preview of the last pattern previewed, with that pattern.
    pub preview: Option<(String, crate::core::batch_import::ImportPreview)>,
    /// Why the last preview or import failed.
    pub error: Option<String>,
}

/// The "Import project" dialog: what the `.qdpx` holds, which of its codes
/// are actors (`marginalia import-qdpx --actors`), and the new folder.
#[derive(Debug, Clone, Default)]
pub struct ImportProjectDialog {
    /// The `.qdpx` file.
    pub file: PathBuf,
    /// The project's name.
    pub name: String,
    /// Text sources (documents) it holds.
    pub sources: usize,
    /// Selections (annotations) in them.
    pub selections: usize,
    /// Its codes, as read with no code chosen as actors.
    pub codes: Vec<crate::core::qdpx_import::ProjectCode>,
    /// GUIDs of the codes ticked as actors (with what is beneath them).
    pub actor_codes: BTreeSet<String>,
    /// What the import cannot carry over (the data-loss report).
    pub losses: Vec<String>,
    /// The new corpus folder (must not exist).
    pub dest: String,
    /// Why the last import failed.
    pub error: Option<String>,
    /// The tool that wrote the project (`Project@origin`).
    pub origin: String,
    /// What the selections' positions count; `None`: by the origin.
    pub positions: Option<crate::core::export::qdpx::Positions>,
}

impl ImportProjectDialog {
    /// For each code of [`Self::codes`]: whether it becomes an actor with
    /// the codes ticked (ticked itself, below a ticked code, or below the
    /// project's `Actors` root), and whether that is fixed (it comes from
    /// a code above it or from the root, so its own tick cannot change it).
    pub fn actor_rows(&self) -> Vec<(bool, bool)> {
        use crate::core::codebook::TagKind;
        let mut out = Vec::with_capacity(self.codes.len());
        // (depth, actor) of the codes on the path to the current one.
        let mut path: Vec<(usize, bool)> = Vec::new();
        for c in &self.codes {
            while path.last().is_some_and(|(d, _)| *d >= c.depth) {
                path.pop();
            }
            let fixed =
                path.last().is_some_and(|(_, a)| *a) || matches!(c.tag, Some((TagKind::Actor, _)));
            let actor = fixed || self.actor_codes.contains(&c.guid);
            out.push((actor, fixed));
            path.push((c.depth, actor));
        }
        out
    }
}

/// A corpus-wide codebook change, planned and previewed.
#[derive(Debug, Clone)]
pub struct CorpusChangePreview {
    /// "rename issue “A” to “B” affects 1,234 annotations in 87 documents".
    pub summary: String,
    /// The plan that "Apply" writes.
    pub plan: crate::core::corpus_change::Plan,
}

/// What waits for the unsaved-changes answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Opening another file.
    Open(PathBuf),
    /// Closing the window.
    Quit,
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
    /// The open document's set changed on disk while it has unsaved
    /// edits: reload from disk, or keep the edits.
    ReloadChanged,
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

impl Notice {
    /// A message with an OK button.
    pub fn new(title: impl Into<String>, message: impl Into<String>, action: NoticeAction) -> Self {
        Notice {
            title: title.into(),
            message: message.into(),
            action,
            typed_path: String::new(),
        }
    }
}

/// The export dialog's state.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    /// Chosen format.
    pub format: ExportFormat,
    /// Options.
    pub options: ExportOptions,
    /// Issues to filter by (empty with no actors: everything).
    pub issues: BTreeSet<String>,
    /// Actors to filter by.
    pub actors: BTreeSet<String>,
    /// Destination (typed or picked): a file, or a folder for brat.
    pub dest: String,
    /// The error of the last attempt.
    pub error: Option<String>,
    /// The destination exists and the user was asked whether to replace
    /// it: the next Export replaces it (cleared when `dest` changes).
    pub confirm_replace: Option<String>,
    /// Export every document of the open corpus that has a set (else the
    /// open document).
    pub whole_corpus: bool,
    /// The open corpus's documents that have a set; `None` without a
    /// corpus (the scope choice is not shown).
    pub corpus_sets: Option<usize>,
    /// Discourse network: one network per time window.
    pub window: NetworkWindow,
    /// Discourse network: actors whose statements are left out.
    pub exclude_actors: BTreeSet<String>,
    /// Discourse network: issues whose statements are left out.
    pub exclude_issues: BTreeSet<String>,
    /// The text that narrows the exclusion lists (a corpus may have
    /// hundreds of actors).
    pub exclude_find: String,
    /// The open corpus's folder (an export that a scan would read as a
    /// document may not go inside it).
    pub corpus_root: Option<PathBuf>,
    /// An export of the corpus is being written (the buttons wait).
    pub running: bool,
    /// Which opening of the dialog this is: a corpus export that finishes
    /// updates only the dialog that started it.
    pub generation: u64,
}

/// The time windows of a discourse network export, as the dialog edits
/// them (kept while switched off, remembered with the export choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NetworkWindow {
    /// One network per window (else one of all documents).
    pub on: bool,
    /// The window's length in days (at least 1).
    pub days: u32,
    /// Days between window starts (at least 1).
    pub step: u32,
}

impl Default for NetworkWindow {
    fn default() -> Self {
        NetworkWindow {
            on: false,
            days: 30,
            step: 30,
        }
    }
}

impl NetworkWindow {
    /// `(days, step)` when switched on, as a network request takes them.
    pub fn request(self) -> Option<(u32, u32)> {
        self.on.then_some((self.days.max(1), self.step.max(1)))
    }
}

impl ExportDialog {
    /// The filter the dialog's choice stands for.
    pub fn filter(&self) -> Filter {
        Filter {
            issues: self.issues.iter().cloned().collect(),
            actors: self.actors.iter().cloned().collect(),
        }
    }

    /// Whether the export writes a folder: brat, or a discourse network
    /// in time windows.
    pub fn writes_directory(&self) -> bool {
        self.format.writes_directory()
            || (matches!(self.format, ExportFormat::Discourse(_)) && self.window.on)
    }

    /// The destination's default name: the format's file name, or for
    /// windows a folder `<stem>-networks`.
    pub fn default_name(&self, stem: &str) -> String {
        // The whole corpus is named after its folder.
        let corpus_stem = self
            .corpus_root
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|_| self.whole_corpus);
        let stem = corpus_stem.as_deref().unwrap_or(stem);
        if matches!(self.format, ExportFormat::Discourse(_)) && self.window.on {
            format!("{stem}-networks")
        } else {
            self.format.default_file_name(stem)
        }
    }

    /// Switches the format, renaming the destination's file to match.
    pub fn set_format(&mut self, f: ExportFormat, stem: &str) {
        if f == self.format {
            return;
        }
        self.format = f;
        self.rename_dest(stem);
    }

    /// Switches time windows on or off, renaming the destination (a folder
    /// with windows, a file without).
    pub fn set_window(&mut self, on: bool, stem: &str) {
        if on == self.window.on {
            return;
        }
        self.window.on = on;
        self.rename_dest(stem);
    }

    /// Switches between the open document and the whole corpus, renaming
    /// the destination after the corpus (or the document).
    pub fn set_whole_corpus(&mut self, whole: bool, stem: &str) {
        if whole == self.whole_corpus {
            return;
        }
        self.whole_corpus = whole;
        // The whole corpus goes beside the corpus folder, never inside it
        // (where a report would be scanned as a document).
        let beside = self.corpus_root.as_deref().and_then(Path::parent);
        match beside.filter(|_| whole) {
            Some(folder) => {
                self.dest = folder.join(self.default_name(stem)).display().to_string();
                self.confirm_replace = None;
            }
            None => self.rename_dest(stem),
        }
    }

    /// Gives the destination the default name in its folder.
    fn rename_dest(&mut self, stem: &str) {
        let dest = PathBuf::from(self.dest.trim());
        let folder = dest.parent().map(Path::to_owned).unwrap_or_default();
        self.dest = folder.join(self.default_name(stem)).display().to_string();
        self.confirm_replace = None;
    }

    /// The filter's tags of `kind` (`excluded`: the network's exclusions).
    pub fn ticked(&self, kind: TagKind, excluded: bool) -> &BTreeSet<String> {
        match (kind, excluded) {
            (TagKind::Issue, false) => &self.issues,
            (TagKind::Actor, false) => &self.actors,
            (TagKind::Issue, true) => &self.exclude_issues,
            (TagKind::Actor, true) => &self.exclude_actors,
        }
    }

    /// Toggles a tag in the filter (`excluded`: in the network's
    /// exclusions).
    pub fn toggle(&mut self, kind: TagKind, name: &str, excluded: bool) {
        let set = match (kind, excluded) {
            (TagKind::Issue, false) => &mut self.issues,
            (TagKind::Actor, false) => &mut self.actors,
            (TagKind::Issue, true) => &mut self.exclude_issues,
            (TagKind::Actor, true) => &mut self.exclude_actors,
        };
        if !set.remove(name) {
            set.insert(name.to_owned());
        }
    }
}

/// The "paste the article text" dialog.
#[derive(Debug, Default, Clone)]
pub struct PasteDialog {
    /// The text pasted (or typed) so far.
    pub text: String,
    /// An error from the last "Create".
    pub error: Option<String>,
}

/// What a typed path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open an article or set.
    Open,
    /// Save the set as.
    SaveAs,
    /// Load a codebook.
    LoadCodebook,
    /// Save the codebook.
    SaveCodebook,
}

impl PathPurpose {
    /// The dialog's heading.
    pub fn title(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open article",
            PathPurpose::SaveAs => "Save annotation set as",
            PathPurpose::LoadCodebook => "Load codebook",
            PathPurpose::SaveCodebook => "Save codebook as",
        }
    }

    /// The default button's label.
    pub fn button(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::LoadCodebook => "Load codebook",
            PathPurpose::SaveCodebook => "Save codebook",
        }
    }

    /// The intent the typed path becomes.
    pub fn intent(self, path: PathBuf) -> Intent {
        match self {
            PathPurpose::Open => FileIntent::Open(path).into(),
            PathPurpose::SaveAs => FileIntent::SaveAs(path).into(),
            PathPurpose::LoadCodebook => DocIntent::LoadCodebook(path).into(),
            PathPurpose::SaveCodebook => FileIntent::SaveCodebook(path).into(),
        }
    }
}

/// The typed-path dialog shown when no native dialog is available.
#[derive(Debug, Clone)]
pub struct TypedPath {
    /// What the path is for.
    pub purpose: PathPurpose,
    /// The typed path.
    pub path: String,
}

/// The tag popup's state while it is open.
#[derive(Debug, Clone)]
pub struct TagPopupState {
    /// The typed filter / new tag name.
    pub query: String,
    /// Index of the highlighted row.
    pub highlighted: usize,
    /// Kind of a tag created from the query.
    pub new_kind: TagKind,
    /// The field was given the keyboard once.
    pub focused_once: bool,
}

impl Default for TagPopupState {
    fn default() -> Self {
        TagPopupState {
            query: String::new(),
            highlighted: 0,
            new_kind: TagKind::Issue,
            focused_once: false,
        }
    }
}

/// The palette's state while it is open.
#[derive(Debug, Clone, Default)]
pub struct PaletteState {
    /// The typed filter.
    pub query: String,
    /// Index of the highlighted row.
    pub highlighted: usize,
}

/// The tag-all review's state.
#[derive(Debug, Clone)]
pub struct TagAllState {
    /// Accepted / skipped matches and the cursor.
    pub review: TagAllReview,
    /// The tag name (existing or new).
    pub name: String,
    /// The kind of the tag.
    pub kind: TagKind,
    /// The find query (shown in the title).
    pub query: String,
}

impl TagAllState {
    /// A review of `review`'s matches for the find query `query`.
    pub fn new(review: TagAllReview, query: &str) -> TagAllState {
        TagAllState {
            review,
            name: String::new(),
            kind: TagKind::Issue,
            query: query.to_owned(),
        }
    }
}
