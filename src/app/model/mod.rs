//! The app as the panels see it: the one module `ui` imports from `app`
//! (checked in `.ci/run`). It holds the intents, the view state, the modal
//! payloads, the preferences and limits a panel reads, and re-exports the
//! read side of the workspace, the derived state and the article view.
//!
//! Invariants:
//! - Nothing here edits the document: a panel changes it only by pushing
//!   an [`Intent`], applied after drawing.
//! - [`Window`] is everything one frame of the window is drawn from; the
//!   app builds it, `ui::window::window_ui` draws it.

mod intent;
mod modal;
mod panels;

pub use super::actions::{Action, CONTEXT_KEYS, Menu, Platform, format_shortcut};
pub use super::agreement::AgreementView;
pub use super::article::engine::{SystemFonts, use_system_fonts};
pub use super::article::layout::{STRIPE, STRIPE_GAP};
pub use super::article::{ArticleView, Block, BlockLayout, Deco, LayoutKey, MARGIN};
pub use super::charts::{ChartData, ChartPick, ChartTab, ChartsView};
pub use super::comparison::{CompareForm, CompareView, DocComparison, Side};
pub use super::corpus::{CorpusState, DocListState, SortKey};
pub use super::corpus_search::CorpusSearchView;
pub use super::derived::{CodebookRow, Derived};
pub use super::export::{NETWORK_MODES, NORMALIZATIONS, QUALIFIERS, is_network};
pub use super::loading::Loading;
pub use super::segments::SegmentsView;
pub use super::workspace::{CompareMarks, Workspace};
pub use intent::{
    AgreementIntent, ChartIntent, CompareIntent, CorpusIntent, CorpusSearchIntent, DocIntent,
    FileIntent, Intent, ModalIntent, RestoreMode, Reveal, SegmentIntent, SelectionIntent, Step,
    UnsavedChoice, ViewIntent,
};
pub use modal::{
    BatchImportDialog, CorpusChangePreview, ExportDialog, ImportProjectDialog, Modal,
    NetworkWindow, Notice, NoticeAction, PaletteState, PasteDialog, PathPurpose, Pending,
    RecoveryPrompt, TagAllState, TagPopupState, TypedPath,
};
pub use panels::{
    AnnotationListState, CodebookPanelState, DEFAULT_FONT_SIZE, FilterBarState, FindState,
    MAX_FONT_SIZE, MIN_FONT_SIZE, MetadataPanelState, NoteBuffer, Panels, Prefs,
    SIDE_PANEL_MAX_SHARE, SIDE_PANEL_MIN, Status, ViewState, ZOOM_RANGE, count,
};

/// Everything one frame of the window is drawn from.
pub struct Window<'a> {
    /// The preferences (theme, sizes, recent files).
    pub prefs: &'a Prefs,
    /// The status line.
    pub status: &'a Status,
    /// The open document, when there is one.
    pub workspace: Option<&'a mut Workspace>,
    /// The open corpus, when a folder is open.
    pub corpus: Option<&'a mut CorpusState>,
    /// The dialog that has the keyboard, when one is open.
    pub modal: Option<&'a mut Modal>,
    /// A file being opened in the background.
    pub loading: Option<&'a Loading>,
    /// The agreement window, when shown.
    pub agreement: Option<&'a mut AgreementView>,
    /// The comparison panel, when shown.
    pub compare: Option<&'a mut CompareView>,
    /// Plain keys may act on the article this frame (no widget held the
    /// keyboard as the frame began, no modal, no loading).
    pub article_keys: bool,
    /// Where the panels push what the user asked for.
    pub intents: &'a mut Vec<Intent>,
}

/// A short one-line excerpt of `text` (control characters as spaces, an
/// ellipsis when cut at `max` code points).
pub fn excerpt(text: &str, max: usize) -> String {
    let mut s: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        s.push('…');
    }
    s
}
