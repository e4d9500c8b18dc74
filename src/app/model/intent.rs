//! What the user asks for, as data: panels and the keyboard push
//! [`Intent`]s while the frame is drawn; the app applies them after drawing,
//! each group in the handler module named for what it acts on
//! (`app::document`, `app::selection`, `app::view`, `app::modals`,
//! `app::files`).
//!
//! Invariants:
//! - An intent never holds a reference into the document: ids and
//!   code-point offsets only, so it stays valid until it is applied.
//! - Every user-facing [`Action`](super::Action) maps to exactly one intent
//!   ([`Action::intent`](super::Action::intent), exhaustive, no catch-all).

use crate::core::codebook::TagKind;
use crate::core::command::Command;
use crate::core::filter::AnnotationFilter;
use crate::core::query::Direction;
use crate::core::selection::{Motion, SpanEnd};
use std::path::PathBuf;

/// Everything the user can ask for, grouped by what it acts on.
// A handful of intents exist per frame: boxing the large variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// A change to the document (always through a core command).
    Document(DocIntent),
    /// The text selection, the cursor and the selected annotation.
    Selection(SelectionIntent),
    /// How the article and the panels look (no document change).
    View(ViewIntent),
    /// Opening, answering and closing the dialog that has the keyboard.
    Modal(ModalIntent),
    /// Files: open, save, export, import, codebook files.
    Files(FileIntent),
    /// The open corpus: its document list and switching documents.
    Corpus(CorpusIntent),
    /// Coded segments across the corpus.
    Segments(SegmentIntent),
    /// The corpus charts.
    Charts(ChartIntent),
    /// Searching the whole corpus.
    CorpusSearch(CorpusSearchIntent),
    /// The agreement window.
    Agreement(AgreementIntent),
    /// Comparing two codings and curating them.
    Compare(CompareIntent),
}

/// Comparing two codings of the open document, and curating them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareIntent {
    /// Show / hide the comparison panel (hiding ends the comparison).
    Toggle,
    /// Compare the two codings the panel's form names.
    Start,
    /// End the comparison (and the curation).
    Stop,
    /// Pick the other clone's folder.
    BrowseOther,
    /// Pick the folder the curated sets go to.
    BrowseFolder,
    /// Step to the next (true) or previous disagreement.
    Step(bool),
    /// Make this disagreement the current one.
    Select(usize),
    /// Decide the current disagreement (curating).
    Decide(crate::core::curation::Choice),
    /// Take over every agreeing pair in one step (curating).
    TakeAgreeing,
    /// Take back the decision of the current disagreement (curating).
    Reopen,
    /// Start curating into the form's folder.
    Curate,
}

impl From<CompareIntent> for Intent {
    fn from(i: CompareIntent) -> Intent {
        Intent::Compare(i)
    }
}

/// The agreement window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementIntent {
    /// Show / hide it.
    Toggle,
    /// Build the report for the coders and scope chosen.
    Compute,
}

impl From<AgreementIntent> for Intent {
    fn from(i: AgreementIntent) -> Intent {
        Intent::Agreement(i)
    }
}

/// The corpus search panel.
#[derive(Debug, Clone, PartialEq)]
pub enum CorpusSearchIntent {
    /// Show / hide the panel.
    Toggle,
    /// Search for what the panel holds.
    Search,
    /// Select the next (true) or previous match.
    Move(bool),
    /// `Y` (true) / `N`: accept or skip the selected match, then the next.
    Review(bool),
    /// Flip one match's acceptance (its check box).
    Flip(usize),
    /// Accept (true) or skip every match.
    AcceptAll(bool),
    /// Open this row's match (its document, the match selected).
    Open(usize),
    /// Tag the accepted matches (a corpus-wide change, previewed first).
    TagAccepted,
}

/// The corpus charts.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartIntent {
    /// Show / hide the charts.
    Toggle,
    /// Show this chart.
    Tab(super::super::charts::ChartTab),
    /// Open the coded segments of a bar or cell.
    Open(super::super::charts::ChartPick),
    /// The chart's data was copied as CSV (for the status line).
    Copied(usize),
}

/// The coded-segments panel.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentIntent {
    /// Show / hide the panel.
    Toggle,
    /// Run the query the panel holds.
    Search,
    /// `Enter` in the query: search when it changed, else open the
    /// selected segment.
    EnterPressed,
    /// Select the next (true) or previous segment.
    Move(bool),
    /// Open the segment in this row (its document, its annotation
    /// selected).
    Open(usize),
    /// Export the result in this format.
    Export(crate::core::export::ExportFormat),
    /// Drop what a chart's click added (tags carried together, stance)
    /// and search again.
    ClearPick,
}

/// The corpus's document list and moving between its documents.
#[derive(Debug, Clone, PartialEq)]
pub enum CorpusIntent {
    /// Open document `i` of the corpus (saving the current set first).
    Open(usize),
    /// Open the next / previous document in the list's current order.
    Step(Direction),
    /// Sort the list by this column (again: the other way round).
    Sort(super::SortKey),
    /// The list's filters changed: rebuild its rows.
    Refilter,
    /// Write the previewed corpus-wide codebook change.
    ApplyChange,
    /// Reload the open document from disk, dropping its unsaved edits
    /// (its set changed there).
    ReloadCurrent,
    /// Undo the last corpus-wide codebook change.
    UndoChange,
    /// Define a document attribute for the corpus (written to
    /// `corpus.ron` at once).
    DefineAttribute {
        /// Its name.
        name: String,
        /// The values it may take; empty means any text.
        values: Vec<String>,
    },
}

/// Changes to the document; each is one undoable step.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum DocIntent {
    /// Run a core command.
    Execute(Command),
    /// Resolve the merge conflict kept on annotation `id`.
    ResolveConflict {
        /// The annotation marked `conflict_of`.
        id: String,
        /// Keep ours, theirs, both; keep or delete.
        how: crate::core::merge::Resolution,
    },
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Tag the selection (or the selected annotation) with a tag.
    ApplyTag {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
        /// Create the tag in the same undo step when it does not exist.
        create: bool,
    },
    /// Tag the selection with the tag bound to this digit (1–9).
    TagWithDigit(u8),
    /// Delete the selected annotation (or the one spanning the selection).
    DeleteSelected,
    /// Cycle the selected annotation's stance.
    CycleStance,
    /// Tag every accepted match of the tag-all review (one step).
    TagAllAccepted {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name (created when new).
        name: String,
    },
    /// Re-attach an orphan to the current selection.
    ReattachOrphan(String),
    /// Delete an orphan.
    DeleteOrphan(String),
    /// Restore the recovery journal.
    RestoreRecovery(RestoreMode),
    /// Give a tag a digit (or none), taking it from another tag if needed.
    SetTagDigit {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
        /// The digit 1–9, or none.
        digit: Option<u8>,
    },
    /// Load a codebook file (or a set's codebook), merging by name.
    LoadCodebook(PathBuf),
}

/// How a recovery is restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreMode {
    /// Only when the journal matches the saved set.
    Checked,
    /// Even though the journal does not match.
    Anyway,
}

/// Where selecting an annotation scrolls to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    /// Scroll the article to its start (picked in the list).
    InArticle,
    /// Scroll only the annotation list to it (clicked in the article, just
    /// tagged): the article stays where the user is reading.
    InList,
    /// Scroll the list to it and bring it on screen in the article when it
    /// is not (N / P / O).
    Everywhere,
}

/// The selection, the cursor and the selected annotation.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectionIntent {
    /// Set the text selection.
    Set {
        /// Fixed end.
        anchor: usize,
        /// Moving end (the cursor).
        head: usize,
    },
    /// Clear the selection and the selected annotation.
    Clear,
    /// `Esc` over the article: close the find bar, else clear.
    ClearOrCloseFind,
    /// Select an annotation and its span.
    SelectAnnotation {
        /// Its id.
        id: String,
        /// Which view scrolls to it.
        reveal: Reveal,
    },
    /// Move the cursor (collapsing the selection).
    Move(Motion),
    /// Extend the selection, or move the selected annotation's end.
    Extend(Motion),
    /// Select the word at the cursor.
    SelectWord,
    /// Scroll a screen, the cursor keeping its place on the screen.
    Page(Direction),
    /// Put the cursor here without changing the selection.
    SetCaret(usize),
    /// Select the next / previous annotation (with the focused tag).
    NextAnnotation(Direction),
    /// Cycle through the annotations at the cursor.
    CycleOverlapping,
    /// Choose which end of the selected annotation Shift+arrows move.
    SetAdjustEnd(SpanEnd),
    /// Select the next / previous find match.
    FindNext(Direction),
    /// Scroll the article to a code point.
    ScrollTo(usize),
}

/// Zoom and text-size steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Larger.
    Up,
    /// Smaller.
    Down,
    /// Back to the default.
    Reset,
}

/// How the window looks; never a document change.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewIntent {
    /// Zoom the article.
    Zoom(Step),
    /// Change the article's font size (a preference).
    FontSize(Step),
    /// Dark / light theme.
    ToggleTheme,
    /// Show / hide the side panel.
    ToggleSidePanel,
    /// The side panel was resized to this width (points).
    SidePanelWidth(f32),
    /// Dim every highlight the filter does not match.
    ToggleShowOnly,
    /// Blind coding on or off: only my annotations are shown (the open
    /// document is saved and opened again).
    ToggleBlind,
    /// Replace the annotation filter and the "show only" mode.
    SetFilter {
        /// The filter.
        filter: AnnotationFilter,
        /// Dim every highlight the filter does not match.
        show_only: bool,
    },
    /// Focus a codebook tag (N/P then visit only its annotations).
    FocusTag(Option<(TagKind, String)>),
    /// Open the find bar with its query selected (typing replaces it).
    OpenFind,
    /// Close the find bar (keeps the selection).
    CloseFind,
    /// Recompute the find matches for the current query.
    FindQueryChanged,
    /// Show the selected annotation's note editor with the keyboard in it.
    EditNote,
    /// Hide the re-anchoring banner.
    DismissAnchorBanner,
    /// Set a status message.
    Status(super::Status),
}

/// The dialog that has the keyboard (see [`super::Modal`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ModalIntent {
    /// The tag popup for the selection.
    OpenTagPopup,
    /// The command palette.
    OpenPalette,
    /// The tag-all review of the find matches.
    OpenTagAll,
    /// Review the corpus search's matches before tagging them.
    OpenCorpusReview,
    /// The export dialog.
    OpenExport,
    /// The "paste an article" dialog.
    OpenPaste,
    /// "Who is coding?" (the coder's name).
    OpenCoderName,
    /// The coder's name from that dialog (empty: none).
    SetCoderName(String),
    /// Ask before deleting a tag that annotations use.
    ConfirmDeleteTag {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
    },
    /// Close the modal (its Cancel / `Esc`).
    Close,
    /// The answer to "save the changes first?".
    AnswerUnsaved(UnsavedChoice),
    /// "Not now" in the recovery prompt: keep the journal aside.
    DeclineRecovery,
}

/// Answers to "save the changes first?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedChoice {
    /// Save, then continue.
    Save,
    /// Continue without saving.
    Discard,
    /// Do nothing.
    Cancel,
}

/// Files: each reads or writes the disk (or asks where).
#[derive(Debug, Clone, PartialEq)]
pub enum FileIntent {
    /// Ask for a file to open (native dialog, else the typed path).
    OpenDialog,
    /// Ask for a corpus folder to open.
    OpenFolderDialog,
    /// Ask for a folder of articles to import as corpus documents.
    ImportFolderDialog,
    /// Ask for a REFI-QDA project to import as a new corpus folder.
    ImportProjectDialog,
    /// Import the project of the project dialog with its choices, then
    /// open the new corpus.
    RunImportProject,
    /// Preview the import with the dialog's pattern.
    PreviewImport,
    /// Write the previewed import, then open the folder as the corpus.
    RunImport,
    /// Open this article or set (asks first when there are unsaved
    /// changes), or this folder as the corpus.
    Open(PathBuf),
    /// Save the set where it belongs (asks where when it has no place).
    Save,
    /// Ask where to save the set.
    SaveAsDialog,
    /// Save the set to this path.
    SaveAs(PathBuf),
    /// Close the window (asks first when there are unsaved changes).
    Quit,
    /// Ask where to save the codebook.
    SaveCodebookDialog,
    /// Save the codebook to this file.
    SaveCodebook(PathBuf),
    /// Ask for a codebook file to load.
    LoadCodebookDialog,
    /// Choose the export destination with the file dialog.
    ExportBrowse,
    /// Write the export (asks before replacing a file).
    RunExport,
    /// Create an article from the pasted text.
    CreateFromPaste,
    /// Reopen the file of the notice as Windows-1252.
    OpenLegacy,
    /// Locate the missing article with the file dialog.
    LocateBrowse,
    /// Locate the missing article at this path.
    LocateAt(PathBuf),
    /// Stop waiting for a file being opened.
    CancelLoading,
}

impl From<DocIntent> for Intent {
    fn from(i: DocIntent) -> Intent {
        Intent::Document(i)
    }
}

impl From<SelectionIntent> for Intent {
    fn from(i: SelectionIntent) -> Intent {
        Intent::Selection(i)
    }
}

impl From<ViewIntent> for Intent {
    fn from(i: ViewIntent) -> Intent {
        Intent::View(i)
    }
}

impl From<ModalIntent> for Intent {
    fn from(i: ModalIntent) -> Intent {
        Intent::Modal(i)
    }
}

impl From<CorpusIntent> for Intent {
    fn from(i: CorpusIntent) -> Intent {
        Intent::Corpus(i)
    }
}

impl From<CorpusSearchIntent> for Intent {
    fn from(i: CorpusSearchIntent) -> Intent {
        Intent::CorpusSearch(i)
    }
}

impl From<ChartIntent> for Intent {
    fn from(i: ChartIntent) -> Intent {
        Intent::Charts(i)
    }
}

impl From<SegmentIntent> for Intent {
    fn from(i: SegmentIntent) -> Intent {
        Intent::Segments(i)
    }
}

impl From<FileIntent> for Intent {
    fn from(i: FileIntent) -> Intent {
        Intent::Files(i)
    }
}
