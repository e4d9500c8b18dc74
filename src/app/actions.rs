//! The list of user actions: one table drives the menus, the keyboard
//! shortcuts (and later the command palette), so a shortcut shown in a menu
//! is a shortcut that works.
//!
//! Invariants:
//! - [`Action::ALL`] holds every action exactly once.
//! - [`shortcut_order`] lists actions so that more specific shortcuts
//!   (more modifiers) are matched first: egui's `consume_shortcut` ignores
//!   extra Shift/Alt, so `Ctrl+Shift+S` must be tried before `Ctrl+S`.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Which menu an action appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// File menu.
    File,
    /// Edit menu.
    Edit,
    /// View menu.
    View,
}

/// A user action reachable from a menu and/or a shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open an article (dialog, with a typed-path fallback).
    Open,
    /// Save the annotation set.
    Save,
    /// Save the annotation set under a new name.
    SaveAs,
    /// Close the window (asks first when there are unsaved changes).
    Quit,
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Open the find bar.
    Find,
    /// Open the tag popup for the selection.
    TagSelection,
    /// Delete the selected annotation.
    DeleteAnnotation,
    /// Larger article text.
    ZoomIn,
    /// Smaller article text.
    ZoomOut,
    /// Default article text size.
    ZoomReset,
    /// Switch between dark and light theme.
    ToggleTheme,
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, in menu order.
    pub const ALL: [Action; 13] = [
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::Find,
        Action::TagSelection,
        Action::DeleteAnnotation,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomReset,
        Action::ToggleTheme,
    ];

    /// A stable identifier (for the palette and the README table).
    pub fn id(self) -> &'static str {
        match self {
            Action::Open => "file.open",
            Action::Save => "file.save",
            Action::SaveAs => "file.save_as",
            Action::Quit => "file.quit",
            Action::Undo => "edit.undo",
            Action::Redo => "edit.redo",
            Action::Find => "edit.find",
            Action::TagSelection => "edit.tag",
            Action::DeleteAnnotation => "edit.delete_annotation",
            Action::ZoomIn => "view.zoom_in",
            Action::ZoomOut => "view.zoom_out",
            Action::ZoomReset => "view.zoom_reset",
            Action::ToggleTheme => "view.theme",
        }
    }

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Action::Open => "Open article…",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Find => "Find…",
            Action::TagSelection => "Tag selection…",
            Action::DeleteAnnotation => "Delete annotation",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ZoomReset => "Reset zoom",
            Action::ToggleTheme => "Toggle dark/light theme",
        }
    }

    /// The menu this action lives in.
    pub fn menu(self) -> Menu {
        match self {
            Action::Open | Action::Save | Action::SaveAs | Action::Quit => Menu::File,
            Action::Undo
            | Action::Redo
            | Action::Find
            | Action::TagSelection
            | Action::DeleteAnnotation => Menu::Edit,
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset | Action::ToggleTheme => {
                Menu::View
            }
        }
    }

    /// The keyboard shortcuts, the first one shown in menus. Plain-key
    /// shortcuts (Enter, T, Delete, digits) are handled by the article view
    /// because they only apply when no text field has focus.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const OPEN: [KeyboardShortcut; 1] = [sc(CMD, Key::O)];
        const SAVE: [KeyboardShortcut; 1] = [sc(CMD, Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::S)];
        const QUIT: [KeyboardShortcut; 1] = [sc(CMD, Key::Q)];
        const UNDO: [KeyboardShortcut; 1] = [sc(CMD, Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [sc(CMD_SHIFT, Key::Z), sc(CMD, Key::Y)];
        const FIND: [KeyboardShortcut; 1] = [sc(CMD, Key::F)];
        const TAG: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::Enter)];
        const DELETE: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::Delete)];
        const ZOOM_IN: [KeyboardShortcut; 2] = [sc(CMD, Key::Plus), sc(CMD, Key::Equals)];
        const ZOOM_OUT: [KeyboardShortcut; 1] = [sc(CMD, Key::Minus)];
        const ZOOM_RESET: [KeyboardShortcut; 1] = [sc(CMD, Key::Num0)];
        match self {
            Action::Open => &OPEN,
            Action::Save => &SAVE,
            Action::SaveAs => &SAVE_AS,
            Action::Quit => &QUIT,
            Action::Undo => &UNDO,
            Action::Redo => &REDO,
            Action::Find => &FIND,
            Action::TagSelection => &TAG,
            Action::DeleteAnnotation => &DELETE,
            Action::ZoomIn => &ZOOM_IN,
            Action::ZoomOut => &ZOOM_OUT,
            Action::ZoomReset => &ZOOM_RESET,
            Action::ToggleTheme => &[],
        }
    }

    /// True when the shortcut also fires while a text field has focus
    /// (otherwise the text field gets the key, e.g. its own Ctrl+Z).
    pub fn works_in_text_fields(self) -> bool {
        matches!(
            self,
            Action::Open
                | Action::Save
                | Action::SaveAs
                | Action::Quit
                | Action::Find
                | Action::ZoomIn
                | Action::ZoomOut
                | Action::ZoomReset
        )
    }

    /// True when the shortcut is a modifier combination handled globally
    /// (plain keys are handled by the article view).
    pub fn is_global_shortcut(self) -> bool {
        !matches!(self, Action::TagSelection | Action::DeleteAnnotation)
    }
}

/// Every (action, shortcut) pair, most specific modifiers first.
pub fn shortcut_order() -> Vec<(Action, KeyboardShortcut)> {
    let mut v: Vec<(Action, KeyboardShortcut)> = Action::ALL
        .iter()
        .filter(|a| a.is_global_shortcut())
        .flat_map(|a| a.shortcuts().iter().map(move |s| (*a, *s)))
        .collect();
    let weight = |m: &Modifiers| {
        usize::from(m.shift) + usize::from(m.alt) + usize::from(m.command || m.ctrl)
    };
    v.sort_by_key(|(_, s)| std::cmp::Reverse(weight(&s.modifiers)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_specific_shortcuts_come_first() {
        let mut ids: Vec<_> = Action::ALL.iter().map(|a| a.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Action::ALL.len());
        let order = shortcut_order();
        let pos = |a: Action, k: Key| {
            order
                .iter()
                .position(|(x, s)| *x == a && s.logical_key == k)
                .unwrap()
        };
        assert!(pos(Action::SaveAs, Key::S) < pos(Action::Save, Key::S));
        assert!(pos(Action::Redo, Key::Z) < pos(Action::Undo, Key::Z));
    }
}
