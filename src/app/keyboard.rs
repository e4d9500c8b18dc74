//! The keyboard and the window's own input, turned into intents: global
//! shortcuts (a modifier combination, handled anywhere in the window),
//! article keys (plain letters, digits, arrows: only while nothing else
//! has the keyboard), dropped files and close requests.
//!
//! Invariants:
//! - Keys are taken from [`Action::shortcuts`] in [`shortcut_order`] /
//!   [`article_shortcut_order`] order (most modifiers first), so the
//!   shortcut shown in a menu, the palette and the README is the one
//!   handled here.
//! - The app calls [`global_shortcuts`] only while no modal and no
//!   background open has the keyboard, and [`article_keys`] only while, in
//!   addition, no widget has the keyboard and the article has it.
//! - The cursor is the selection's head; motions themselves are pure
//!   functions of the core (`core::selection`).

use super::actions::{Action, article_shortcut_order, shortcut_order};
use super::model::{DocIntent, FileIntent, Intent, Modal};
use std::path::PathBuf;

/// Dropped files (the first one is opened) and close requests (asks first
/// when there are unsaved changes).
pub fn window_input(ctx: &egui::Context, dirty: bool, out: &mut Vec<Intent>, allow_close: bool) {
    let dropped: Option<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_owned())
            .find(|p| !p.as_os_str().is_empty())
    });
    if let Some(p) = dropped {
        out.push(FileIntent::Open(p).into());
    }
    if ctx.input(|i| i.viewport().close_requested()) && !allow_close && dirty {
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        out.push(FileIntent::Quit.into());
    }
}

/// Global (modifier) shortcuts of the action list pressed this frame.
pub fn global_shortcuts(ctx: &egui::Context, out: &mut Vec<Intent>) {
    let in_text = ctx.egui_wants_keyboard_input();
    let fired: Vec<Action> = ctx.input_mut(|i| {
        shortcut_order()
            .into_iter()
            .filter(|(a, _)| !in_text || a.works_in_text_fields())
            .filter(|(_, s)| i.consume_shortcut(s))
            .map(|(a, _)| a)
            .collect()
    });
    out.extend(fired.into_iter().map(Action::intent));
}

/// The article's plain-key actions pressed this frame. Digits become
/// [`DocIntent::TagWithDigit`]; digits, `Enter` and `T` need a selection
/// or a selected annotation (`can_tag`).
pub fn article_keys(ctx: &egui::Context, can_tag: bool, out: &mut Vec<Intent>) {
    ctx.input_mut(|i| {
        for (a, s) in article_shortcut_order() {
            if matches!(a, Action::TagSelection | Action::ApplyDigit) && !can_tag {
                continue;
            }
            if !i.consume_shortcut(&s) {
                continue;
            }
            if a == Action::ApplyDigit {
                let d = a
                    .shortcuts()
                    .iter()
                    .position(|x| *x == s)
                    .map_or(1, |p| p as u8 + 1);
                out.push(DocIntent::TagWithDigit(d).into());
            } else {
                out.push(a.intent());
            }
        }
    });
}

/// `Enter` and `Esc` for the open modal, consumed before its widgets see
/// them: `Esc` cancels (but only leaves the tag-all review's name field);
/// `Enter` runs the default button unless a button has the keyboard or the
/// dialog handles `Enter` itself (see [`Modal::default_intent`]). `in_text`:
/// a text field has, or just had, the keyboard.
pub fn modal_keys(ctx: &egui::Context, modal: &Modal, in_text: bool, out: &mut Vec<Intent>) {
    // In the tag-all review, Esc in its name field only leaves the field
    // (the review of every match is not thrown away).
    let keep_esc = in_text && matches!(modal, Modal::TagAll(_));
    if !keep_esc && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        out.push(modal.cancel_intent());
        return;
    }
    // A button that has the keyboard (Tab) is clicked by Enter, as egui
    // does; otherwise Enter is the default button.
    let button_focused = ctx.memory(|m| m.focused()).is_some() && !in_text;
    if let Some(default) = modal.default_intent().filter(|_| !button_focused) {
        let enter = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        if enter {
            out.push(default);
        }
    }
}
