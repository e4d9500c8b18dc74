//! The list of user actions: one table drives the menus, the keyboard
//! shortcuts, the command palette (`Ctrl+Shift+P`) and the README's
//! shortcut table ([`markdown_table`]), so a shortcut shown is a shortcut
//! that works.
//!
//! Invariants:
//! - [`Action::ALL`] holds every action exactly once.
//! - [`shortcut_order`] lists actions so that more specific shortcuts
//!   (more modifiers) are matched first: egui's `consume_shortcut` ignores
//!   extra Shift/Alt, so `Ctrl+Shift+S` must be tried before `Ctrl+S`.
//! - Global actions ([`Action::is_global_shortcut`]) have a modifier
//!   shortcut handled anywhere in the window; the others (plain keys,
//!   arrows, digits) are handled by [`crate::app::keyboard`] only while no
//!   text field, popup or dialog has the keyboard.
//! - Keys that only work inside one widget (the find bar, the tag popup,
//!   the tag-all review) are listed in [`CONTEXT_KEYS`], so the README
//!   table is complete.
//! - [`Action::intent`] maps every action to exactly one intent, with no
//!   catch-all arm: an action nobody handles does not compile.
//! - Shortcuts are shown by one formatter, [`format_shortcut`]: `⌘` on
//!   macOS, `Ctrl` elsewhere, in menus, the palette and the README alike.

use super::model::{
    CorpusIntent, DocIntent, FileIntent, Intent, ModalIntent, SegmentIntent, SelectionIntent, Step,
    ViewIntent,
};
use crate::core::curation::Choice;
use crate::core::query::Direction;
use crate::core::selection::{Motion, SpanEnd};
use egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

/// Which menu an action appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// File menu.
    File,
    /// Edit menu.
    Edit,
    /// Annotation menu (the selected annotation).
    Annotation,
    /// Selection and cursor movement.
    Select,
    /// Codebook menu.
    Codebook,
    /// View menu.
    View,
}

impl Menu {
    /// Every menu, in menu-bar order.
    pub const ALL: [Menu; 6] = [
        Menu::File,
        Menu::Edit,
        Menu::Annotation,
        Menu::Select,
        Menu::Codebook,
        Menu::View,
    ];

    /// The menu's title.
    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Annotation => "Annotation",
            Menu::Select => "Select",
            Menu::Codebook => "Codebook",
            Menu::View => "View",
        }
    }
}

/// A user action reachable from a menu, the palette and/or a shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open an article (dialog, with a typed-path fallback).
    Open,
    /// Open a folder as the corpus.
    OpenFolder,
    /// Import a folder of articles as corpus documents (a preview first).
    ImportFolder,
    /// Import a REFI-QDA project (`.qdpx`) as a new corpus folder.
    ImportProject,
    /// Open the next document of the corpus list (saving this one).
    NextDocument,
    /// Open the previous document of the corpus list (saving this one).
    PreviousDocument,
    /// Save the annotation set.
    Save,
    /// Save the annotation set under a new name.
    SaveAs,
    /// Open the export dialog.
    Export,
    /// Start a new article from text on the clipboard.
    NewFromClipboard,
    /// Close the window (asks first when there are unsaved changes).
    Quit,
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Open the find bar.
    Find,
    /// Review the find bar's matches and tag them all in one step.
    TagAllMatches,
    /// Open the command palette.
    CommandPalette,
    /// Open the tag popup for the selection.
    TagSelection,
    /// Apply the tag bound to a digit (1–9) to the selection; from a menu
    /// or the palette it opens the tag popup (which shows the digits).
    ApplyDigit,
    /// Delete the selected annotation.
    DeleteAnnotation,
    /// Edit the selected annotation's note (focuses the note editor).
    EditNote,
    /// Cycle the selected annotation's stance.
    CycleStance,
    /// Select the next annotation (only those with the focused tag, when
    /// one is focused in the codebook panel).
    NextAnnotation,
    /// Select the previous annotation (same filter as next).
    PrevAnnotation,
    /// Cycle through the annotations overlapping the cursor.
    CycleOverlapping,
    /// Shift+arrows adjust the selected annotation's start.
    AdjustStart,
    /// Shift+arrows adjust the selected annotation's end.
    AdjustEnd,
    /// Move the cursor one character left.
    CursorLeft,
    /// Move the cursor one character right.
    CursorRight,
    /// Move the cursor to the previous line.
    CursorUp,
    /// Move the cursor to the next line.
    CursorDown,
    /// Move the cursor to the start of the previous word.
    WordLeft,
    /// Move the cursor to the end of the next word.
    WordRight,
    /// Move the cursor to the start of its line.
    LineStart,
    /// Move the cursor to the end of its line.
    LineEnd,
    /// Move the cursor to the start of the article.
    DocumentStart,
    /// Move the cursor to the end of the article.
    DocumentEnd,
    /// Scroll up a screen, the cursor with it.
    PageUp,
    /// Scroll down a screen, the cursor with it.
    PageDown,
    /// Extend the selection (or the annotation's end) by a character left.
    ExtendLeft,
    /// Extend the selection (or the annotation's end) by a character right.
    ExtendRight,
    /// Extend by a word left.
    ExtendWordLeft,
    /// Extend by a word right.
    ExtendWordRight,
    /// Extend to the start of the line.
    ExtendLineStart,
    /// Extend to the end of the line.
    ExtendLineEnd,
    /// Extend to the start of the article.
    ExtendDocumentStart,
    /// Extend to the end of the article.
    ExtendDocumentEnd,
    /// Select the word at the cursor.
    SelectWord,
    /// Clear the selection (or close the find bar).
    ClearSelection,
    /// Save the codebook as a `*.codebook.ron` file.
    SaveCodebook,
    /// Load a `*.codebook.ron` file (or a set's codebook), merging by name.
    LoadCodebook,
    /// Undo the last corpus-wide codebook change (every set it wrote).
    UndoCorpusChange,
    /// Larger article text.
    ZoomIn,
    /// Smaller article text.
    ZoomOut,
    /// Default article text size.
    ZoomReset,
    /// Make the article's text larger (a preference, unlike zoom).
    TextLarger,
    /// Make the article's text smaller.
    TextSmaller,
    /// Switch between dark and light theme.
    ToggleTheme,
    /// Show or hide the side panel (codebook, annotations, metadata).
    ToggleSidePanel,
    /// Dim every highlight the annotation filter does not match.
    ToggleShowOnly,
    /// Show / hide the coded segments of the corpus (keyword in context).
    CodedSegments,
    /// Show / hide the corpus charts.
    Charts,
    /// Show / hide the corpus search panel.
    SearchCorpus,
    /// Set the coder's name (written on every annotation created or
    /// changed).
    CoderName,
    /// Show / hide the agreement of two coders.
    Agreement,
    /// Show / hide the comparison of two codings (and curation).
    Compare,
    /// Curation: accept coding A's side of the current disagreement.
    AcceptA,
    /// Curation: accept coding B's side.
    AcceptB,
    /// Curation: accept both sides.
    AcceptBoth,
    /// Curation: accept neither side.
    AcceptNeither,
    /// Blind coding: only my annotations are shown.
    ToggleBlind,
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CMD: Modifiers = Modifiers::COMMAND;
const ALT: Modifiers = Modifiers::ALT;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// The shortcut lists of [`Action::shortcuts`].
mod keys {
    use super::{ALT, CMD, CMD_SHIFT, NONE, SHIFT, sc};
    use egui::{Key, KeyboardShortcut};

    pub(super) const OPEN: [KeyboardShortcut; 1] = [sc(CMD, Key::O)];
    pub(super) const OPEN_FOLDER: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::O)];
    pub(super) const NEXT_DOC: [KeyboardShortcut; 1] = [sc(CMD, Key::PageDown)];
    pub(super) const PREV_DOC: [KeyboardShortcut; 1] = [sc(CMD, Key::PageUp)];
    pub(super) const SAVE: [KeyboardShortcut; 1] = [sc(CMD, Key::S)];
    pub(super) const SAVE_AS: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::S)];
    pub(super) const QUIT: [KeyboardShortcut; 1] = [sc(CMD, Key::Q)];
    pub(super) const EXPORT: [KeyboardShortcut; 1] = [sc(CMD, Key::E)];
    pub(super) const PASTE_NEW: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::V)];
    pub(super) const UNDO: [KeyboardShortcut; 1] = [sc(CMD, Key::Z)];
    pub(super) const ACCEPT_A: [KeyboardShortcut; 1] = [sc(ALT, Key::A)];
    pub(super) const ACCEPT_B: [KeyboardShortcut; 1] = [sc(ALT, Key::B)];
    pub(super) const ACCEPT_BOTH: [KeyboardShortcut; 1] = [sc(ALT, Key::O)];
    pub(super) const ACCEPT_NEITHER: [KeyboardShortcut; 1] = [sc(ALT, Key::X)];
    pub(super) const REDO: [KeyboardShortcut; 2] = [sc(CMD_SHIFT, Key::Z), sc(CMD, Key::Y)];
    pub(super) const FIND: [KeyboardShortcut; 1] = [sc(CMD, Key::F)];
    pub(super) const PALETTE: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::P)];
    pub(super) const TAG: [KeyboardShortcut; 2] = [sc(NONE, Key::Enter), sc(NONE, Key::T)];
    pub(super) const DIGITS: [KeyboardShortcut; 9] = [
        sc(NONE, Key::Num1),
        sc(NONE, Key::Num2),
        sc(NONE, Key::Num3),
        sc(NONE, Key::Num4),
        sc(NONE, Key::Num5),
        sc(NONE, Key::Num6),
        sc(NONE, Key::Num7),
        sc(NONE, Key::Num8),
        sc(NONE, Key::Num9),
    ];
    pub(super) const DELETE: [KeyboardShortcut; 1] = [sc(NONE, Key::Delete)];
    pub(super) const NOTE: [KeyboardShortcut; 1] = [sc(NONE, Key::E)];
    pub(super) const STANCE: [KeyboardShortcut; 1] = [sc(NONE, Key::S)];
    pub(super) const NEXT: [KeyboardShortcut; 1] = [sc(NONE, Key::N)];
    pub(super) const PREV: [KeyboardShortcut; 1] = [sc(NONE, Key::P)];
    pub(super) const OVERLAP: [KeyboardShortcut; 1] = [sc(NONE, Key::O)];
    pub(super) const START: [KeyboardShortcut; 1] = [sc(NONE, Key::OpenBracket)];
    pub(super) const END: [KeyboardShortcut; 1] = [sc(NONE, Key::CloseBracket)];
    pub(super) const LEFT: [KeyboardShortcut; 1] = [sc(NONE, Key::ArrowLeft)];
    pub(super) const RIGHT: [KeyboardShortcut; 1] = [sc(NONE, Key::ArrowRight)];
    pub(super) const UP: [KeyboardShortcut; 1] = [sc(NONE, Key::ArrowUp)];
    pub(super) const DOWN: [KeyboardShortcut; 1] = [sc(NONE, Key::ArrowDown)];
    pub(super) const WORD_LEFT: [KeyboardShortcut; 1] = [sc(CMD, Key::ArrowLeft)];
    pub(super) const WORD_RIGHT: [KeyboardShortcut; 1] = [sc(CMD, Key::ArrowRight)];
    pub(super) const HOME: [KeyboardShortcut; 1] = [sc(NONE, Key::Home)];
    pub(super) const END_KEY: [KeyboardShortcut; 1] = [sc(NONE, Key::End)];
    pub(super) const EXT_LEFT: [KeyboardShortcut; 1] = [sc(SHIFT, Key::ArrowLeft)];
    pub(super) const EXT_RIGHT: [KeyboardShortcut; 1] = [sc(SHIFT, Key::ArrowRight)];
    pub(super) const EXT_WORD_LEFT: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::ArrowLeft)];
    pub(super) const EXT_WORD_RIGHT: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::ArrowRight)];
    pub(super) const EXT_HOME: [KeyboardShortcut; 1] = [sc(SHIFT, Key::Home)];
    pub(super) const EXT_END: [KeyboardShortcut; 1] = [sc(SHIFT, Key::End)];
    pub(super) const DOC_START: [KeyboardShortcut; 1] = [sc(CMD, Key::Home)];
    pub(super) const DOC_END: [KeyboardShortcut; 1] = [sc(CMD, Key::End)];
    pub(super) const EXT_DOC_START: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::Home)];
    pub(super) const EXT_DOC_END: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::End)];
    pub(super) const PAGE_UP: [KeyboardShortcut; 1] = [sc(NONE, Key::PageUp)];
    pub(super) const PAGE_DOWN: [KeyboardShortcut; 1] = [sc(NONE, Key::PageDown)];
    pub(super) const SELECT_WORD: [KeyboardShortcut; 1] = [sc(NONE, Key::W)];
    pub(super) const CLEAR: [KeyboardShortcut; 1] = [sc(NONE, Key::Escape)];
    pub(super) const ZOOM_IN: [KeyboardShortcut; 2] = [sc(CMD, Key::Plus), sc(CMD, Key::Equals)];
    pub(super) const ZOOM_OUT: [KeyboardShortcut; 1] = [sc(CMD, Key::Minus)];
    pub(super) const ZOOM_RESET: [KeyboardShortcut; 1] = [sc(CMD, Key::Num0)];
    pub(super) const SIDE: [KeyboardShortcut; 1] = [sc(CMD, Key::B)];
    pub(super) const SEGMENTS: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::K)];
    pub(super) const CHARTS: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::G)];
    pub(super) const SEARCH_CORPUS: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::F)];
}

impl Action {
    /// Every action, in menu order.
    pub const ALL: [Action; 70] = [
        Action::Open,
        Action::OpenFolder,
        Action::ImportFolder,
        Action::ImportProject,
        Action::NextDocument,
        Action::PreviousDocument,
        Action::Save,
        Action::SaveAs,
        Action::Export,
        Action::NewFromClipboard,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::Find,
        Action::TagAllMatches,
        Action::SearchCorpus,
        Action::CommandPalette,
        Action::TagSelection,
        Action::ApplyDigit,
        Action::DeleteAnnotation,
        Action::EditNote,
        Action::CycleStance,
        Action::CoderName,
        Action::NextAnnotation,
        Action::PrevAnnotation,
        Action::CycleOverlapping,
        Action::AdjustStart,
        Action::AdjustEnd,
        Action::CursorLeft,
        Action::CursorRight,
        Action::CursorUp,
        Action::CursorDown,
        Action::WordLeft,
        Action::WordRight,
        Action::LineStart,
        Action::LineEnd,
        Action::DocumentStart,
        Action::DocumentEnd,
        Action::PageUp,
        Action::PageDown,
        Action::ExtendLeft,
        Action::ExtendRight,
        Action::ExtendWordLeft,
        Action::ExtendWordRight,
        Action::ExtendLineStart,
        Action::ExtendLineEnd,
        Action::ExtendDocumentStart,
        Action::ExtendDocumentEnd,
        Action::SelectWord,
        Action::ClearSelection,
        Action::SaveCodebook,
        Action::LoadCodebook,
        Action::UndoCorpusChange,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomReset,
        Action::TextLarger,
        Action::TextSmaller,
        Action::ToggleTheme,
        Action::ToggleSidePanel,
        Action::ToggleShowOnly,
        Action::ToggleBlind,
        Action::CodedSegments,
        Action::Charts,
        Action::Agreement,
        Action::Compare,
        Action::AcceptA,
        Action::AcceptB,
        Action::AcceptBoth,
        Action::AcceptNeither,
    ];

    /// A stable identifier (for the palette and the README table).
    pub fn id(self) -> &'static str {
        match self {
            Action::Open => "file.open",
            Action::OpenFolder => "file.open_folder",
            Action::ImportFolder => "file.import_folder",
            Action::ImportProject => "file.import_project",
            Action::NextDocument => "file.next_document",
            Action::PreviousDocument => "file.previous_document",
            Action::Save => "file.save",
            Action::SaveAs => "file.save_as",
            Action::Export => "file.export",
            Action::NewFromClipboard => "file.new_from_clipboard",
            Action::Quit => "file.quit",
            Action::Undo => "edit.undo",
            Action::Redo => "edit.redo",
            Action::Find => "edit.find",
            Action::TagAllMatches => "edit.tag_all_matches",
            Action::CommandPalette => "edit.command_palette",
            Action::TagSelection => "annotation.tag",
            Action::ApplyDigit => "annotation.apply_digit",
            Action::DeleteAnnotation => "annotation.delete",
            Action::EditNote => "annotation.edit_note",
            Action::CycleStance => "annotation.cycle_stance",
            Action::CoderName => "annotation.coder_name",
            Action::NextAnnotation => "annotation.next",
            Action::PrevAnnotation => "annotation.previous",
            Action::CycleOverlapping => "annotation.cycle_overlapping",
            Action::AdjustStart => "annotation.adjust_start",
            Action::AdjustEnd => "annotation.adjust_end",
            Action::CursorLeft => "select.cursor_left",
            Action::CursorRight => "select.cursor_right",
            Action::CursorUp => "select.cursor_up",
            Action::CursorDown => "select.cursor_down",
            Action::WordLeft => "select.word_left",
            Action::WordRight => "select.word_right",
            Action::LineStart => "select.line_start",
            Action::LineEnd => "select.line_end",
            Action::DocumentStart => "select.document_start",
            Action::DocumentEnd => "select.document_end",
            Action::PageUp => "select.page_up",
            Action::PageDown => "select.page_down",
            Action::ExtendLeft => "select.extend_left",
            Action::ExtendRight => "select.extend_right",
            Action::ExtendWordLeft => "select.extend_word_left",
            Action::ExtendWordRight => "select.extend_word_right",
            Action::ExtendLineStart => "select.extend_line_start",
            Action::ExtendLineEnd => "select.extend_line_end",
            Action::ExtendDocumentStart => "select.extend_document_start",
            Action::ExtendDocumentEnd => "select.extend_document_end",
            Action::SelectWord => "select.word",
            Action::ClearSelection => "select.clear",
            Action::SaveCodebook => "codebook.save",
            Action::LoadCodebook => "codebook.load",
            Action::UndoCorpusChange => "codebook.undo_corpus_change",
            Action::ZoomIn => "view.zoom_in",
            Action::ZoomOut => "view.zoom_out",
            Action::ZoomReset => "view.zoom_reset",
            Action::TextLarger => "view.text_larger",
            Action::TextSmaller => "view.text_smaller",
            Action::ToggleTheme => "view.theme",
            Action::ToggleSidePanel => "view.side_panel",
            Action::ToggleShowOnly => "view.show_only",
            Action::ToggleBlind => "view.blind",
            Action::CodedSegments => "view.coded_segments",
            Action::Charts => "view.charts",
            Action::Agreement => "view.agreement",
            Action::Compare => "view.compare",
            Action::AcceptA => "curate.accept_a",
            Action::AcceptB => "curate.accept_b",
            Action::AcceptBoth => "curate.accept_both",
            Action::AcceptNeither => "curate.accept_neither",
            Action::SearchCorpus => "edit.search_corpus",
        }
    }

    /// The menu and palette label.
    pub fn label(self) -> &'static str {
        match self {
            Action::Open => "Open article…",
            Action::OpenFolder => "Open folder (corpus)…",
            Action::ImportFolder => "Import folder…",
            Action::ImportProject => "Import project…",
            Action::NextDocument => "Next document",
            Action::PreviousDocument => "Previous document",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::Export => "Export…",
            Action::NewFromClipboard => "New article from clipboard…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Find => "Find…",
            Action::TagAllMatches => "Tag all matches…",
            Action::CommandPalette => "Command palette…",
            Action::TagSelection => "Tag selection…",
            Action::ApplyDigit => "Apply tag by digit",
            Action::DeleteAnnotation => "Delete annotation",
            Action::EditNote => "Edit note",
            Action::CycleStance => "Cycle stance",
            Action::CoderName => "Coder name…",
            Action::NextAnnotation => "Next annotation",
            Action::PrevAnnotation => "Previous annotation",
            Action::CycleOverlapping => "Cycle overlapping annotations",
            Action::AdjustStart => "Adjust the annotation's start",
            Action::AdjustEnd => "Adjust the annotation's end",
            Action::CursorLeft => "Cursor left",
            Action::CursorRight => "Cursor right",
            Action::CursorUp => "Cursor to previous line",
            Action::CursorDown => "Cursor to next line",
            Action::WordLeft => "Cursor to previous word",
            Action::WordRight => "Cursor to next word",
            Action::LineStart => "Cursor to line start",
            Action::LineEnd => "Cursor to line end",
            Action::DocumentStart => "Cursor to article start",
            Action::DocumentEnd => "Cursor to article end",
            Action::PageUp => "Page up",
            Action::PageDown => "Page down",
            Action::ExtendLeft => "Extend by a character left",
            Action::ExtendRight => "Extend by a character right",
            Action::ExtendWordLeft => "Extend by a word left",
            Action::ExtendWordRight => "Extend by a word right",
            Action::ExtendLineStart => "Extend to line start",
            Action::ExtendLineEnd => "Extend to line end",
            Action::ExtendDocumentStart => "Extend to article start",
            Action::ExtendDocumentEnd => "Extend to article end",
            Action::SelectWord => "Select word at cursor",
            Action::ClearSelection => "Clear selection / close find bar",
            Action::SaveCodebook => "Save codebook…",
            Action::LoadCodebook => "Load codebook…",
            Action::UndoCorpusChange => "Undo corpus change",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ZoomReset => "Reset zoom",
            Action::TextLarger => "Larger article text",
            Action::TextSmaller => "Smaller article text",
            Action::ToggleTheme => "Toggle dark/light theme",
            Action::ToggleSidePanel => "Show/hide side panel",
            Action::ToggleShowOnly => "Show only filtered highlights",
            Action::ToggleBlind => "Only my annotations (blind coding)",
            Action::CodedSegments => "Coded segments…",
            Action::Charts => "Charts…",
            Action::Agreement => "Agreement…",
            Action::Compare => "Compare with…",
            Action::AcceptA => "Curate: accept A",
            Action::AcceptB => "Curate: accept B",
            Action::AcceptBoth => "Curate: accept both",
            Action::AcceptNeither => "Curate: accept neither",
            Action::SearchCorpus => "Search the corpus…",
        }
    }

    /// What the action does, for the palette and the README.
    pub fn description(self) -> &'static str {
        match self {
            Action::ApplyDigit => {
                "With a selection, 1–9 apply the tag bound to that digit at once (from a menu: opens the tag popup)"
            }
            Action::ExtendLeft | Action::ExtendRight => {
                "Moves the selection's head; with an annotation selected, moves its start or end ([ / ])"
            }
            Action::ExtendWordLeft | Action::ExtendWordRight => {
                "By a word (Unicode word boundaries); with an annotation selected, moves its start or end"
            }
            Action::NextAnnotation | Action::PrevAnnotation => {
                "In text order; only annotations with the focused codebook tag when one is focused"
            }
            Action::CycleStance => "support, oppose, neutral, none (in turn)",
            Action::CoderName => {
                "Written on every annotation you create or change; shown in the status bar"
            }
            Action::AcceptA | Action::AcceptB | Action::AcceptBoth | Action::AcceptNeither => {
                "While curating (View › Compare with…): decides the current disagreement into the curated set, one undoable step, and steps to the next"
            }
            Action::Compare => {
                "Two coders of this file, or this file and another clone's folder: A's spans above the line, B's below; N/P step through the disagreements; curate them into a curated set"
            }
            Action::OpenFolder => {
                "Every article below the folder, one codebook (corpus.ron); the document list shows on the left"
            }
            Action::ImportFolder => {
                "HTML, Markdown, DOCX, PDF and text files become corpus documents, with date, outlet and title from a file-name pattern; a preview first"
            }
            Action::ImportProject => {
                "A REFI-QDA project (.qdpx from MAXQDA, ATLAS.ti, NVivo, QualCoder) becomes a corpus folder: choose which codes are actors and where; what a corpus cannot hold is listed"
            }
            Action::NextDocument | Action::PreviousDocument => {
                "In the document list's current order; the current set is saved first"
            }
            Action::PageUp | Action::PageDown => {
                "Scrolls the article a screen; the cursor keeps its place on the screen"
            }
            Action::TagAllMatches => {
                "Review every find match (Y accept, N skip) and tag them in one undoable step"
            }
            Action::LoadCodebook => "Merges tags by kind and name in one undoable step",
            Action::UndoCorpusChange => {
                "In a corpus, renaming, recolouring, re-parenting, merging or deleting a tag changes every set (with a preview); this restores them"
            }
            Action::ToggleShowOnly => "Dims every highlight the annotation filter does not match",
            Action::ToggleBlind => {
                "Other coders' annotations are hidden and not counted; saving writes them back unchanged"
            }
            Action::SearchCorpus => {
                "Plain, whole-word or regex over every text, in context; a click opens the match; Tag all matches… reviews (Y/N) and tags across documents"
            }
            Action::Charts => {
                "Tag frequencies, actor × issue heat map, timeline and coders' progress under the coded-segments filter; a click opens the segments"
            }
            Action::CodedSegments => {
                "Every excerpt of the corpus matching tags (with children), coder, dates and text, in context; Enter opens it"
            }
            Action::TextLarger | Action::TextSmaller => {
                "The article's font size, kept between sessions; zoom (Ctrl+Plus/Minus/0) scales it"
            }
            _ => "",
        }
    }

    /// The menu this action lives in.
    pub fn menu(self) -> Menu {
        match self {
            Action::Open
            | Action::OpenFolder
            | Action::ImportFolder
            | Action::ImportProject
            | Action::NextDocument
            | Action::PreviousDocument
            | Action::Save
            | Action::SaveAs
            | Action::Export
            | Action::NewFromClipboard
            | Action::Quit => Menu::File,
            Action::Undo
            | Action::Redo
            | Action::Find
            | Action::TagAllMatches
            | Action::SearchCorpus
            | Action::CommandPalette => Menu::Edit,
            Action::TagSelection
            | Action::ApplyDigit
            | Action::DeleteAnnotation
            | Action::EditNote
            | Action::CycleStance
            | Action::CoderName
            | Action::NextAnnotation
            | Action::PrevAnnotation
            | Action::CycleOverlapping
            | Action::AdjustStart
            | Action::AdjustEnd
            | Action::AcceptA
            | Action::AcceptB
            | Action::AcceptBoth
            | Action::AcceptNeither => Menu::Annotation,
            Action::CursorLeft
            | Action::CursorRight
            | Action::CursorUp
            | Action::CursorDown
            | Action::WordLeft
            | Action::WordRight
            | Action::LineStart
            | Action::LineEnd
            | Action::DocumentStart
            | Action::DocumentEnd
            | Action::PageUp
            | Action::PageDown
            | Action::ExtendLeft
            | Action::ExtendRight
            | Action::ExtendWordLeft
            | Action::ExtendWordRight
            | Action::ExtendLineStart
            | Action::ExtendLineEnd
            | Action::ExtendDocumentStart
            | Action::ExtendDocumentEnd
            | Action::SelectWord
            | Action::ClearSelection => Menu::Select,
            Action::SaveCodebook | Action::LoadCodebook | Action::UndoCorpusChange => {
                Menu::Codebook
            }
            Action::ZoomIn
            | Action::ZoomOut
            | Action::ZoomReset
            | Action::TextLarger
            | Action::TextSmaller
            | Action::ToggleTheme
            | Action::ToggleSidePanel
            | Action::ToggleShowOnly
            | Action::ToggleBlind
            | Action::CodedSegments
            | Action::Charts
            | Action::Agreement
            | Action::Compare => Menu::View,
        }
    }

    /// The intent this action stands for (from a menu, the palette or its
    /// shortcut). Digits typed over the article become
    /// [`DocIntent::TagWithDigit`] instead (see `app::keyboard`).
    pub fn intent(self) -> Intent {
        use SelectionIntent as S;
        match self {
            Action::Open => FileIntent::OpenDialog.into(),
            Action::OpenFolder => FileIntent::OpenFolderDialog.into(),
            Action::ImportFolder => FileIntent::ImportFolderDialog.into(),
            Action::ImportProject => FileIntent::ImportProjectDialog.into(),
            Action::NextDocument => CorpusIntent::Step(Direction::Forward).into(),
            Action::PreviousDocument => CorpusIntent::Step(Direction::Backward).into(),
            Action::Save => FileIntent::Save.into(),
            Action::SaveAs => FileIntent::SaveAsDialog.into(),
            Action::Export => ModalIntent::OpenExport.into(),
            Action::NewFromClipboard => ModalIntent::OpenPaste.into(),
            Action::Quit => FileIntent::Quit.into(),
            Action::Undo => DocIntent::Undo.into(),
            Action::Redo => DocIntent::Redo.into(),
            Action::Find => ViewIntent::OpenFind.into(),
            Action::TagAllMatches => ModalIntent::OpenTagAll.into(),
            Action::CommandPalette => ModalIntent::OpenPalette.into(),
            Action::TagSelection | Action::ApplyDigit => ModalIntent::OpenTagPopup.into(),
            Action::DeleteAnnotation => DocIntent::DeleteSelected.into(),
            Action::EditNote => ViewIntent::EditNote.into(),
            Action::CycleStance => DocIntent::CycleStance.into(),
            Action::CoderName => super::model::ModalIntent::OpenCoderName.into(),
            Action::NextAnnotation => S::NextAnnotation(Direction::Forward).into(),
            Action::PrevAnnotation => S::NextAnnotation(Direction::Backward).into(),
            Action::CycleOverlapping => S::CycleOverlapping.into(),
            Action::AdjustStart => S::SetAdjustEnd(SpanEnd::Start).into(),
            Action::AdjustEnd => S::SetAdjustEnd(SpanEnd::End).into(),
            Action::CursorLeft => S::Move(Motion::Left).into(),
            Action::CursorRight => S::Move(Motion::Right).into(),
            Action::CursorUp => S::Move(Motion::Up).into(),
            Action::CursorDown => S::Move(Motion::Down).into(),
            Action::WordLeft => S::Move(Motion::WordLeft).into(),
            Action::WordRight => S::Move(Motion::WordRight).into(),
            Action::LineStart => S::Move(Motion::LineStart).into(),
            Action::LineEnd => S::Move(Motion::LineEnd).into(),
            Action::DocumentStart => S::Move(Motion::DocumentStart).into(),
            Action::DocumentEnd => S::Move(Motion::DocumentEnd).into(),
            Action::PageUp => S::Page(Direction::Backward).into(),
            Action::PageDown => S::Page(Direction::Forward).into(),
            Action::ExtendLeft => S::Extend(Motion::Left).into(),
            Action::ExtendRight => S::Extend(Motion::Right).into(),
            Action::ExtendWordLeft => S::Extend(Motion::WordLeft).into(),
            Action::ExtendWordRight => S::Extend(Motion::WordRight).into(),
            Action::ExtendLineStart => S::Extend(Motion::LineStart).into(),
            Action::ExtendLineEnd => S::Extend(Motion::LineEnd).into(),
            Action::ExtendDocumentStart => S::Extend(Motion::DocumentStart).into(),
            Action::ExtendDocumentEnd => S::Extend(Motion::DocumentEnd).into(),
            Action::SelectWord => S::SelectWord.into(),
            Action::ClearSelection => S::ClearOrCloseFind.into(),
            Action::SaveCodebook => FileIntent::SaveCodebookDialog.into(),
            Action::LoadCodebook => FileIntent::LoadCodebookDialog.into(),
            Action::UndoCorpusChange => CorpusIntent::UndoChange.into(),
            Action::ZoomIn => ViewIntent::Zoom(Step::Up).into(),
            Action::ZoomOut => ViewIntent::Zoom(Step::Down).into(),
            Action::ZoomReset => ViewIntent::Zoom(Step::Reset).into(),
            Action::TextLarger => ViewIntent::FontSize(Step::Up).into(),
            Action::TextSmaller => ViewIntent::FontSize(Step::Down).into(),
            Action::ToggleTheme => ViewIntent::ToggleTheme.into(),
            Action::ToggleSidePanel => ViewIntent::ToggleSidePanel.into(),
            Action::ToggleShowOnly => ViewIntent::ToggleShowOnly.into(),
            Action::ToggleBlind => ViewIntent::ToggleBlind.into(),
            Action::CodedSegments => SegmentIntent::Toggle.into(),
            Action::Charts => super::model::ChartIntent::Toggle.into(),
            Action::Agreement => super::model::AgreementIntent::Toggle.into(),
            Action::Compare => super::model::CompareIntent::Toggle.into(),
            Action::AcceptA => super::model::CompareIntent::Decide(Choice::A).into(),
            Action::AcceptB => super::model::CompareIntent::Decide(Choice::B).into(),
            Action::AcceptBoth => super::model::CompareIntent::Decide(Choice::Both).into(),
            Action::AcceptNeither => super::model::CompareIntent::Decide(Choice::Neither).into(),
            Action::SearchCorpus => super::model::CorpusSearchIntent::Toggle.into(),
        }
    }

    /// The keyboard shortcuts, the first one shown in menus.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Action::Open => &keys::OPEN,
            Action::OpenFolder => &keys::OPEN_FOLDER,
            Action::NextDocument => &keys::NEXT_DOC,
            Action::PreviousDocument => &keys::PREV_DOC,
            Action::Save => &keys::SAVE,
            Action::SaveAs => &keys::SAVE_AS,
            Action::Quit => &keys::QUIT,
            Action::Export => &keys::EXPORT,
            Action::Undo => &keys::UNDO,
            Action::AcceptA => &keys::ACCEPT_A,
            Action::AcceptB => &keys::ACCEPT_B,
            Action::AcceptBoth => &keys::ACCEPT_BOTH,
            Action::AcceptNeither => &keys::ACCEPT_NEITHER,
            Action::Redo => &keys::REDO,
            Action::Find => &keys::FIND,
            Action::CommandPalette => &keys::PALETTE,
            Action::TagSelection => &keys::TAG,
            Action::ApplyDigit => &keys::DIGITS,
            Action::DeleteAnnotation => &keys::DELETE,
            Action::EditNote => &keys::NOTE,
            Action::CycleStance => &keys::STANCE,
            Action::NextAnnotation => &keys::NEXT,
            Action::PrevAnnotation => &keys::PREV,
            Action::CycleOverlapping => &keys::OVERLAP,
            Action::AdjustStart => &keys::START,
            Action::AdjustEnd => &keys::END,
            Action::CursorLeft => &keys::LEFT,
            Action::CursorRight => &keys::RIGHT,
            Action::CursorUp => &keys::UP,
            Action::CursorDown => &keys::DOWN,
            Action::WordLeft => &keys::WORD_LEFT,
            Action::WordRight => &keys::WORD_RIGHT,
            Action::LineStart => &keys::HOME,
            Action::LineEnd => &keys::END_KEY,
            Action::DocumentStart => &keys::DOC_START,
            Action::DocumentEnd => &keys::DOC_END,
            Action::PageUp => &keys::PAGE_UP,
            Action::PageDown => &keys::PAGE_DOWN,
            Action::ExtendLeft => &keys::EXT_LEFT,
            Action::ExtendRight => &keys::EXT_RIGHT,
            Action::ExtendWordLeft => &keys::EXT_WORD_LEFT,
            Action::ExtendWordRight => &keys::EXT_WORD_RIGHT,
            Action::ExtendLineStart => &keys::EXT_HOME,
            Action::ExtendLineEnd => &keys::EXT_END,
            Action::ExtendDocumentStart => &keys::EXT_DOC_START,
            Action::ExtendDocumentEnd => &keys::EXT_DOC_END,
            Action::SelectWord => &keys::SELECT_WORD,
            Action::ClearSelection => &keys::CLEAR,
            Action::ZoomIn => &keys::ZOOM_IN,
            Action::ZoomOut => &keys::ZOOM_OUT,
            Action::ZoomReset => &keys::ZOOM_RESET,
            Action::ToggleSidePanel => &keys::SIDE,
            Action::CodedSegments => &keys::SEGMENTS,
            Action::Charts => &keys::CHARTS,
            Action::SearchCorpus => &keys::SEARCH_CORPUS,
            Action::NewFromClipboard => &keys::PASTE_NEW,
            Action::TagAllMatches
            | Action::ImportFolder
            | Action::ImportProject
            | Action::SaveCodebook
            | Action::LoadCodebook
            | Action::UndoCorpusChange
            | Action::TextLarger
            | Action::TextSmaller
            | Action::ToggleTheme
            | Action::ToggleShowOnly
            | Action::ToggleBlind
            | Action::CoderName
            | Action::Agreement
            | Action::Compare => &[],
        }
    }

    /// The shortcuts as shown on this platform (`1 … 9` for the digits).
    pub fn shortcut_text(self) -> String {
        self.shortcut_text_on(Platform::current())
    }

    /// The shortcuts as shown on `platform`.
    pub fn shortcut_text_on(self, platform: Platform) -> String {
        if self == Action::ApplyDigit {
            return "1 … 9".to_owned();
        }
        self.shortcuts()
            .iter()
            .map(|s| format_shortcut(s, platform))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// True when the shortcut also fires while a text field has focus
    /// (otherwise the text field gets the key, e.g. its own Ctrl+Z).
    pub fn works_in_text_fields(self) -> bool {
        matches!(
            self,
            Action::Open
                | Action::OpenFolder
                | Action::Save
                | Action::SaveAs
                | Action::Export
                | Action::Quit
                | Action::Find
                | Action::CommandPalette
                | Action::ZoomIn
                | Action::ZoomOut
                | Action::ZoomReset
                | Action::ToggleSidePanel
        )
    }

    /// True when the shortcut is a modifier combination handled anywhere in
    /// the window; the others (plain keys, arrows, Ctrl+arrows) only act on
    /// the article, see [`crate::app::keyboard`].
    pub fn is_global_shortcut(self) -> bool {
        matches!(
            self,
            Action::Open
                | Action::OpenFolder
                | Action::NextDocument
                | Action::PreviousDocument
                | Action::Save
                | Action::SaveAs
                | Action::Export
                | Action::NewFromClipboard
                | Action::Quit
                | Action::Undo
                | Action::Redo
                | Action::Find
                | Action::CommandPalette
                | Action::ZoomIn
                | Action::ZoomOut
                | Action::ZoomReset
                | Action::ToggleSidePanel
                | Action::CodedSegments
                | Action::Charts
                | Action::SearchCorpus
                | Action::AcceptA
                | Action::AcceptB
                | Action::AcceptBoth
                | Action::AcceptNeither
        )
    }

    /// True when the action needs an open article.
    pub fn needs_session(self) -> bool {
        !matches!(
            self,
            Action::Open
                | Action::NewFromClipboard
                | Action::Quit
                | Action::CommandPalette
                | Action::ZoomIn
                | Action::ZoomOut
                | Action::ZoomReset
                | Action::TextLarger
                | Action::TextSmaller
                | Action::ToggleTheme
                | Action::ToggleSidePanel
        )
    }
}

/// Keys that work inside one widget only: (where, keys, what).
pub const CONTEXT_KEYS: [(&str, &str, &str); 17] = [
    (
        "Any dialog",
        "Enter",
        "Its default button (Save, Restore, Export, OK…)",
    ),
    (
        "Any dialog",
        "Esc",
        "Cancel (the recovery prompt: Not now); no shortcut acts behind a dialog",
    ),
    ("Find bar", "Enter", "Select the next match"),
    ("Find bar", "Shift+Enter", "Select the previous match"),
    (
        "Find bar",
        "Esc",
        "Close the find bar (keeps the selection)",
    ),
    ("Tag popup", "Up / Down", "Move the highlight"),
    (
        "Tag popup",
        "Enter",
        "Apply the highlighted tag, or create the typed one",
    ),
    (
        "Tag popup",
        "Tab",
        "Switch the new tag's kind (issue / actor)",
    ),
    (
        "Tag popup",
        "Alt+S",
        "Cycle the stance of the annotation being tagged",
    ),
    ("Tag popup", "Esc", "Close"),
    ("Tag-all review", "Y / N", "Accept / skip the current match"),
    ("Tag-all review", "Backspace", "Back to the previous match"),
    (
        "Command palette",
        "Up / Down, Enter",
        "Pick and run an action",
    ),
    (
        "Note editor",
        "Ctrl+Enter / Esc",
        "Commit the note (leaving the field commits too) / discard the edit",
    ),
    (
        "Find bar",
        "Ctrl+F",
        "Select the whole query again, so typing replaces it",
    ),
    ("Paste dialog", "Ctrl+Enter", "Create the article"),
    ("Article", "Alt+drag", "Select without snapping to words"),
];

fn key_text(k: Key) -> &'static str {
    match k {
        Key::OpenBracket => "[",
        Key::CloseBracket => "]",
        Key::Plus => "+",
        Key::Equals => "=",
        Key::Minus => "-",
        Key::Escape => "Esc",
        other => other.name(),
    }
}

/// Where shortcuts are shown: macOS names modifiers with symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// macOS: `⌘`, `⇧`, `⌥` with no separator (`⇧⌘P`).
    Mac,
    /// Linux, Windows and the rest: `Ctrl+Shift+P`.
    Other,
}

impl Platform {
    /// The platform this binary runs on.
    pub fn current() -> Platform {
        if cfg!(target_os = "macos") {
            Platform::Mac
        } else {
            Platform::Other
        }
    }
}

/// A shortcut as text: `Ctrl+Shift+P`, or `⇧⌘P` on macOS. The one
/// formatter of the menus, the palette and the README.
pub fn format_shortcut(s: &KeyboardShortcut, platform: Platform) -> String {
    let mac = platform == Platform::Mac;
    let names = if mac {
        ModifierNames::SYMBOLS
    } else {
        ModifierNames::NAMES
    };
    let mods = names.format(&s.modifiers, mac);
    let key = key_text(s.logical_key);
    if mods.is_empty() {
        key.to_owned()
    } else if mac {
        format!("{mods}{key}")
    } else {
        format!("{mods}+{key}")
    }
}

/// Every global (action, shortcut) pair, most specific modifiers first.
pub fn shortcut_order() -> Vec<(Action, KeyboardShortcut)> {
    ordered(true)
}

/// Every article (plain-key) (action, shortcut) pair, most specific
/// modifiers first.
pub fn article_shortcut_order() -> Vec<(Action, KeyboardShortcut)> {
    ordered(false)
}

fn ordered(global: bool) -> Vec<(Action, KeyboardShortcut)> {
    let mut v: Vec<(Action, KeyboardShortcut)> = Action::ALL
        .iter()
        .filter(|a| a.is_global_shortcut() == global)
        .flat_map(|a| a.shortcuts().iter().map(move |s| (*a, *s)))
        .collect();
    let weight = |m: &Modifiers| {
        usize::from(m.shift) + usize::from(m.alt) + usize::from(m.command || m.ctrl)
    };
    v.sort_by_key(|(_, s)| std::cmp::Reverse(weight(&s.modifiers)));
    v
}

/// The README's shortcut table (Markdown), generated from [`Action::ALL`]
/// and [`CONTEXT_KEYS`]; `tests/readme_shortcuts.rs` checks the README.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Menu | Action | Shortcut | On macOS | Notes |\n|---|---|---|---|---|\n");
    let mut seen = Vec::new();
    for menu in Menu::ALL {
        for a in Action::ALL.iter().copied().filter(|a| a.menu() == menu) {
            if seen.contains(&a) {
                continue;
            }
            seen.push(a);
            let cell = |keys: String| {
                if keys.is_empty() {
                    "—".to_owned()
                } else {
                    format!("`{}`", keys.replace(" / ", "` / `"))
                }
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                menu.title(),
                a.label(),
                cell(a.shortcut_text_on(Platform::Other)),
                cell(a.shortcut_text_on(Platform::Mac)),
                a.description()
            ));
        }
    }
    out.push_str("\n| Where | Keys | Action |\n|---|---|---|\n");
    for (place, keys, what) in CONTEXT_KEYS {
        out.push_str(&format!("| {place} | `{keys}` | {what} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_specific_shortcuts_come_first() {
        let mut all: Vec<_> = Action::ALL.to_vec();
        all.sort_by_key(|a| a.id());
        let n = all.len();
        all.dedup();
        assert_eq!(all.len(), n, "an action is listed twice");
        let mut order = shortcut_order();
        order.extend(article_shortcut_order());
        let pos = |a: Action, k: Key| {
            order
                .iter()
                .position(|(x, s)| *x == a && s.logical_key == k)
                .unwrap()
        };
        assert!(pos(Action::SaveAs, Key::S) < pos(Action::Save, Key::S));
        assert!(pos(Action::Redo, Key::Z) < pos(Action::Undo, Key::Z));
        assert!(
            pos(Action::ExtendWordRight, Key::ArrowRight)
                < pos(Action::ExtendRight, Key::ArrowRight)
        );
        assert!(
            pos(Action::ExtendRight, Key::ArrowRight) < pos(Action::CursorRight, Key::ArrowRight)
        );
    }

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut order = shortcut_order();
        order.extend(article_shortcut_order());
        for (i, (a, s)) in order.iter().enumerate() {
            for (b, t) in &order[i + 1..] {
                assert!(a == b || s != t, "{a:?} and {b:?} share {s:?}");
            }
        }
    }

    #[test]
    fn table_lists_every_action_once_with_its_shortcut() {
        let t = markdown_table();
        for a in Action::ALL {
            assert_eq!(t.matches(&format!("| {} |", a.label())).count(), 1, "{a:?}");
        }
        assert!(t.contains("| Edit | Command palette… | `Ctrl+Shift+P` | `⇧⌘P` |"));
        assert!(t.contains("`1 … 9`"));
        assert!(t.contains("`Ctrl+Shift+Z` / `Ctrl+Y`"));
    }
}
