//! The menu bar (built from the action list), the typed-path dialog of
//! the file dialogs, and the unsaved-changes question.
//!
//! Invariants: a menu item that needs an open document is greyed out
//! without one; toggles show a tick while on; shortcuts are shown by the
//! one formatter (`⌘` on macOS, `Ctrl` elsewhere).

use crate::app::model::{
    Action, FileIntent, Intent, MAX_FONT_SIZE, MIN_FONT_SIZE, Menu, ModalIntent, Pending, Platform,
    Prefs, TypedPath, UnsavedChoice, Workspace, format_shortcut,
};
use std::path::PathBuf;

/// Draws the menu bar.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    ws: Option<&Workspace>,
    prefs: &Prefs,
    intents: &mut Vec<Intent>,
) {
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                ui.menu_button(menu.title(), |ui| {
                    for a in Action::ALL.iter().copied().filter(|a| a.menu() == menu) {
                        if a == Action::Quit {
                            recent_menu_ui(ui, prefs, intents);
                        }
                        item_ui(ui, a, ws, prefs, intents);
                    }
                });
            }
        });
    });
}

fn recent_menu_ui(ui: &mut egui::Ui, prefs: &Prefs, intents: &mut Vec<Intent>) {
    ui.menu_button("Recent", |ui| {
        if prefs.recent.is_empty() {
            ui.weak("none yet");
        }
        for p in &prefs.recent {
            if ui.button(p.display().to_string()).clicked() {
                intents.push(FileIntent::Open(p.clone()).into());
                ui.close();
            }
        }
    });
    ui.separator();
}

/// Whether a toggle action is on (`None` for the other actions).
fn toggle_state(a: Action, ws: Option<&Workspace>, prefs: &Prefs) -> Option<bool> {
    match a {
        Action::ToggleShowOnly => Some(ws.is_some_and(|w| w.view.show_only)),
        Action::ToggleBlind => Some(prefs.blind),
        Action::ToggleSidePanel => Some(!prefs.side_panel_hidden),
        Action::ToggleTheme => Some(prefs.dark),
        _ => None,
    }
}

fn item_ui(
    ui: &mut egui::Ui,
    a: Action,
    ws: Option<&Workspace>,
    prefs: &Prefs,
    intents: &mut Vec<Intent>,
) {
    let history = ws.map(|w| w.session.history());
    let open = ws.is_some();
    let (label, enabled) = match a {
        Action::Undo => match history.and_then(|h| h.undo_label()) {
            Some(l) => (format!("Undo {l}"), true),
            None => ("Undo".to_owned(), false),
        },
        Action::Redo => match history.and_then(|h| h.redo_label()) {
            Some(l) => (format!("Redo {l}"), true),
            None => ("Redo".to_owned(), false),
        },
        Action::TextLarger => (
            format!("{} (now {} pt)", a.label(), prefs.font_size),
            prefs.font_size < MAX_FONT_SIZE,
        ),
        Action::TextSmaller => (a.label().to_owned(), prefs.font_size > MIN_FONT_SIZE),
        _ => (a.label().to_owned(), open || !a.needs_session()),
    };
    let shortcut = a
        .shortcuts()
        .first()
        .map(|sc| format_shortcut(sc, Platform::current()));
    let clicked = match toggle_state(a, ws, prefs) {
        Some(mut on) => {
            let r = ui.add_enabled(enabled, egui::Checkbox::new(&mut on, label));
            r.clicked()
        }
        None => {
            let mut b = egui::Button::new(label);
            if let Some(sc) = shortcut {
                b = b.shortcut_text(sc);
            }
            ui.add_enabled(enabled, b).clicked()
        }
    };
    if clicked {
        intents.push(a.intent());
        ui.close();
    }
}

/// The typed-path dialog (open, save as, codebook files) with the recent
/// files; `Enter` runs it, `Esc` cancels.
pub fn typed_path_ui(
    ctx: &egui::Context,
    state: &mut TypedPath,
    recent: &[PathBuf],
    intents: &mut Vec<Intent>,
) {
    let enter = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
    let purpose = state.purpose;
    let modal = egui::Modal::new(egui::Id::unique("typed_path")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(purpose.title());
        let label = ui.label("Type the path of the file (or drop a file on the window):");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut state.path)
                    .desired_width(f32::INFINITY)
                    .hint_text("/path/to/article.txt"),
            )
            .labelled_by(label.id);
        if !r.has_focus() {
            r.request_focus();
        }
        ui.horizontal(|ui| {
            let ok = ui.button(purpose.button()).clicked();
            if (ok || enter) && !state.path.trim().is_empty() {
                intents.push(purpose.intent(PathBuf::from(state.path.trim())));
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
        if purpose == crate::app::model::PathPurpose::Open && !recent.is_empty() {
            ui.separator();
            ui.label("Recent files:");
            for p in recent {
                if ui.link(p.display().to_string()).clicked() {
                    intents.push(FileIntent::Open(p.clone()).into());
                }
            }
        }
    });
    // A click on the dimmed backdrop cancels (Esc was handled before).
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

/// "Save the changes first?" with Save (`Enter`) / Discard / Cancel (`Esc`).
pub fn unsaved_changes_ui(ctx: &egui::Context, pending: &Pending, intents: &mut Vec<Intent>) {
    let what = match pending {
        Pending::Open(p) => format!("before opening {}", p.display()),
        Pending::Quit => "before closing".to_owned(),
    };
    let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.heading("Unsaved changes");
        ui.label(format!("Save the annotations {what}?"));
        ui.horizontal(|ui| {
            for (label, choice) in [
                ("Save", UnsavedChoice::Save),
                ("Discard", UnsavedChoice::Discard),
                ("Cancel", UnsavedChoice::Cancel),
            ] {
                if ui.button(label).clicked() {
                    intents.push(ModalIntent::AnswerUnsaved(choice).into());
                }
            }
        });
    });
    // A click on the dimmed backdrop cancels (Esc was handled before).
    if modal.should_close() {
        intents.push(ModalIntent::AnswerUnsaved(UnsavedChoice::Cancel).into());
    }
}
