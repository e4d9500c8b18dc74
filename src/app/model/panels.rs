//! The state panels read and edit while drawing: the view state of the
//! open document, the panels' edit buffers, the status line and the
//! preferences.
//!
//! Invariants:
//! - Offsets are code points of the article text, end excluded.
//! - A buffer here is the user's unfinished typing; the document changes
//!   only when a panel pushes an intent (a field committed).
//! - [`Prefs`] is the only state kept between runs (in eframe's storage);
//!   it never holds annotations.

use crate::core::codebook::TagKind;
use crate::core::filter::AnnotationFilter;
use crate::core::search::SearchOptions;
use crate::core::selection::{Selection, SpanEnd};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The article's font size unless changed (points).
pub const DEFAULT_FONT_SIZE: f32 = 15.0;
/// Smallest article font size offered.
pub const MIN_FONT_SIZE: f32 = 9.0;
/// Largest article font size offered.
pub const MAX_FONT_SIZE: f32 = 32.0;
/// Zoom limits.
pub const ZOOM_RANGE: (f32, f32) = (0.4, 4.0);
/// The side panel's narrowest width (points).
pub const SIDE_PANEL_MIN: f32 = 200.0;
/// The side panel takes at most this share of the window's width.
pub const SIDE_PANEL_MAX_SHARE: f32 = 0.45;

/// View state of the open document (read while drawing).
#[derive(Debug, Clone, Default)]
pub struct ViewState {
    /// The text selection.
    pub selection: Option<Selection>,
    /// The selected annotation's id.
    pub selected: Option<String>,
    /// Find matches (code points), sorted.
    pub find_matches: Vec<(usize, usize)>,
    /// Index of the current match.
    pub find_current: Option<usize>,
    /// Where the cursor was last put (click or motion), for `O`.
    pub caret: Option<usize>,
    /// Which end of the selected annotation Shift+arrows move.
    pub adjust: SpanEnd,
    /// The annotation filter (list and highlights).
    pub filter: AnnotationFilter,
    /// Dim every highlight the filter does not match.
    pub show_only: bool,
    /// The codebook tag N/P are restricted to.
    pub focused_tag: Option<(TagKind, String)>,
    /// Plain keys act on the article. Off after a click moved the keyboard
    /// out of a text field onto another control (a checkbox of the find
    /// bar, say), so stray typing never runs as article keys; on again
    /// after a click in the article or `Esc`.
    pub article_keys: bool,
}

/// A status bar message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Shown in red.
    pub is_error: bool,
}

impl Status {
    /// A message.
    pub fn info(text: impl Into<String>) -> Status {
        Status {
            text: text.into(),
            is_error: false,
        }
    }

    /// An error message (shown in red).
    pub fn error(text: impl Into<String>) -> Status {
        Status {
            text: text.into(),
            is_error: true,
        }
    }
}

/// Preferences kept in eframe's storage (never user data: the last set
/// is kept as a path only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Dark theme.
    pub dark: bool,
    /// Article zoom.
    pub zoom: f32,
    /// Article font size at zoom 1 (points).
    pub font_size: f32,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The side panel is hidden.
    pub side_panel_hidden: bool,
    /// Width of the side panel (points).
    pub side_panel_width: f32,
    /// The annotation set used last (a new article starts with its
    /// codebook).
    pub last_set: Option<PathBuf>,
    /// The coder's name, written on every annotation they create or
    /// change.
    pub coder: Option<String>,
    /// The name was asked for once (answered or not): not asked again.
    pub coder_asked: bool,
    /// Blind coding: only the coder's own annotations are shown.
    pub blind: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            dark: false,
            zoom: 1.0,
            font_size: DEFAULT_FONT_SIZE,
            recent: Vec::new(),
            side_panel_hidden: false,
            side_panel_width: 360.0,
            last_set: None,
            coder: None,
            coder_asked: false,
            blind: false,
        }
    }
}

impl Prefs {
    /// Brings stored values back into range (a file from another build).
    pub fn clamped(mut self) -> Prefs {
        self.zoom = self.zoom.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        self.font_size = self.font_size.clamp(MIN_FONT_SIZE, MAX_FONT_SIZE);
        if !self.side_panel_width.is_finite() {
            self.side_panel_width = Prefs::default().side_panel_width;
        }
        self
    }

    /// The article's font size on screen (points): size × zoom.
    pub fn article_font_size(&self) -> f32 {
        (self.font_size * self.zoom).clamp(6.0, 60.0)
    }
}

/// The find bar's state.
#[derive(Debug, Default, Clone)]
pub struct FindState {
    /// The bar is shown.
    pub open: bool,
    /// The query.
    pub query: String,
    /// Case, whole word, regex.
    pub options: SearchOptions,
    /// Search the annotations' notes instead of the article.
    pub in_notes: bool,
    /// Give the field the keyboard with its whole query selected in the
    /// next frame.
    pub request_focus: bool,
    /// The bar opens this frame (it is measured before it is shown).
    pub just_opened: bool,
    /// The field had keyboard focus in the last frame.
    pub has_focus: bool,
    /// Why the last search could not run (an invalid regex).
    pub error: Option<String>,
    /// The last search stopped at the match limit.
    pub truncated: bool,
}

/// The codebook panel's edit buffers.
#[derive(Debug, Clone)]
pub struct CodebookPanelState {
    /// A tag being renamed: (kind, old name, buffer).
    pub renaming: Option<(TagKind, String, String)>,
    /// A tag's description being edited: (kind, name, buffer).
    pub describing: Option<(TagKind, String, String)>,
    /// Give the description field the keyboard in the next frame.
    pub describe_focus: bool,
    /// A colour being picked: (kind, name, colour so far).
    pub recolor: Option<(TagKind, String, [u8; 3])>,
    /// The "New tag" name.
    pub new_name: String,
    /// The "New tag" kind.
    pub new_kind: TagKind,
}

impl Default for CodebookPanelState {
    fn default() -> Self {
        CodebookPanelState {
            renaming: None,
            describing: None,
            describe_focus: false,
            recolor: None,
            new_name: String::new(),
            new_kind: TagKind::Issue,
        }
    }
}

/// The metadata panel's buffers.
#[derive(Debug, Clone, Default)]
pub struct MetadataPanelState {
    /// One buffer per field, in `core::set::Metadata::fields` order.
    pub bufs: [String; 6],
    /// The buffers hold the document's values (reloaded after a change
    /// while no field is edited).
    pub loaded: bool,
    /// A field has the keyboard.
    pub editing: bool,
    /// The last date that could not be read.
    pub date_error: Option<String>,
    /// The attribute values being typed, by name.
    pub attribute_bufs: std::collections::BTreeMap<String, String>,
    /// The name of a new corpus attribute being typed.
    pub new_attribute: String,
    /// Its allowed values, comma-separated (empty: any text).
    pub new_attribute_values: String,
}

/// The filter bar's buffers.
#[derive(Debug, Clone, Default)]
pub struct FilterBarState {
    /// The filter being edited.
    pub filter: AnnotationFilter,
    /// Dim every highlight the filter does not match.
    pub show_only: bool,
}

/// The annotation list's state.
#[derive(Debug, Clone, Default)]
pub struct AnnotationListState {
    /// Scroll the list to the selected annotation in the next frame.
    pub scroll_to_selected: bool,
    /// Give the note editor the keyboard in the next frame (`E`).
    pub focus_note: bool,
    /// The note being edited: annotation id, the note it started from,
    /// and the buffer.
    pub note: Option<NoteBuffer>,
}

/// The note editor's buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteBuffer {
    /// The annotation.
    pub id: String,
    /// The note as it was when editing started (to notice undo).
    pub original: Option<String>,
    /// The text being typed.
    pub text: String,
}

/// Every panel's buffers of one open document.
#[derive(Debug, Clone, Default)]
pub struct Panels {
    /// The find bar.
    pub find: FindState,
    /// The codebook panel.
    pub codebook: CodebookPanelState,
    /// The metadata panel.
    pub metadata: MetadataPanelState,
    /// The filter bar.
    pub filter: FilterBarState,
    /// The annotation list.
    pub list: AnnotationListState,
}

/// A count with thousands separators (`1,000`), as panels and status
/// lines show counts.
pub fn count(n: usize) -> String {
    crate::core::corpus_change::group(n)
}
