//! The menu bar (File, Edit, View, built from the action list), the
//! typed-path fallback of the file dialogs, and the unsaved-changes modal.

use crate::app::actions::{Action, Menu};
use crate::app::{Intent, Pending, PendingChoice, Prefs};
use crate::core::session::Session;
use std::path::PathBuf;

/// The typed-path dialog shown when no native dialog is available.
#[derive(Debug, Clone)]
pub struct OpenFallback {
    /// The typed path.
    pub path: String,
    /// Save as (true) or open (false).
    pub save_as: bool,
}

impl OpenFallback {
    /// An empty dialog.
    pub fn new(save_as: bool) -> Self {
        OpenFallback {
            path: String::new(),
            save_as,
        }
    }
}

fn action_button(
    ui: &mut egui::Ui,
    a: Action,
    label: &str,
    enabled: bool,
    intents: &mut Vec<Intent>,
) {
    let mut b = egui::Button::new(label);
    if let Some(sc) = a.shortcuts().first() {
        b = b.shortcut_text(ui.ctx().format_shortcut(sc));
    }
    if ui.add_enabled(enabled, b).clicked() {
        intents.push(Intent::Action(a));
        ui.close();
    }
}

/// Draws the menu bar.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    session: Option<&Session>,
    prefs: &Prefs,
    intents: &mut Vec<Intent>,
) {
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                let title = menu.title();
                ui.menu_button(title, |ui| {
                    for a in Action::ALL.iter().copied().filter(|a| a.menu() == menu) {
                        let (label, enabled) = match a {
                            Action::Undo => match session.and_then(|s| s.history().undo_label()) {
                                Some(l) => (format!("Undo {l}"), true),
                                None => ("Undo".to_owned(), false),
                            },
                            Action::Redo => match session.and_then(|s| s.history().redo_label()) {
                                Some(l) => (format!("Redo {l}"), true),
                                None => ("Redo".to_owned(), false),
                            },
                            Action::Save
                            | Action::SaveAs
                            | Action::Find
                            | Action::TagSelection
                            | Action::DeleteAnnotation => (a.label().to_owned(), session.is_some()),
                            Action::TextLarger => (
                                format!("{} (now {} pt)", a.label(), prefs.font_size),
                                prefs.font_size < crate::app::MAX_FONT_SIZE,
                            ),
                            Action::TextSmaller => (
                                a.label().to_owned(),
                                prefs.font_size > crate::app::MIN_FONT_SIZE,
                            ),
                            _ => (a.label().to_owned(), true),
                        };
                        if a == Action::Quit {
                            ui.menu_button("Recent", |ui| {
                                if prefs.recent.is_empty() {
                                    ui.weak("none yet");
                                }
                                for p in &prefs.recent {
                                    if ui.button(p.display().to_string()).clicked() {
                                        intents.push(Intent::Open(p.clone()));
                                        ui.close();
                                    }
                                }
                            });
                            ui.separator();
                        }
                        action_button(ui, a, &label, enabled, intents);
                    }
                });
            }
        });
    });
}

/// The typed-path dialog (open or save as) with the recent files.
pub fn open_fallback_ui(
    ctx: &egui::Context,
    state: &mut OpenFallback,
    recent: &[PathBuf],
    intents: &mut Vec<Intent>,
) {
    let title = if state.save_as {
        "Save annotation set as"
    } else {
        "Open article"
    };
    let modal = egui::Modal::new(egui::Id::unique("open_fallback")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(title);
        ui.label("Type the path of the file (or drop a file on the window):");
        let r = ui.add(
            egui::TextEdit::singleline(&mut state.path)
                .desired_width(f32::INFINITY)
                .hint_text("/path/to/article.txt"),
        );
        r.request_focus();
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let ok = ui
                .button(if state.save_as { "Save" } else { "Open" })
                .clicked();
            if (ok || enter) && !state.path.trim().is_empty() {
                let p = PathBuf::from(state.path.trim());
                intents.push(if state.save_as {
                    Intent::SaveAs(p)
                } else {
                    Intent::Open(p)
                });
                intents.push(Intent::CloseOpenFallback);
            }
            if ui.button("Cancel").clicked() {
                intents.push(Intent::CloseOpenFallback);
            }
        });
        if !state.save_as && !recent.is_empty() {
            ui.separator();
            ui.label("Recent files:");
            for p in recent {
                if ui.link(p.display().to_string()).clicked() {
                    intents.push(Intent::Open(p.clone()));
                    intents.push(Intent::CloseOpenFallback);
                }
            }
        }
    });
    if modal.should_close() {
        intents.push(Intent::CloseOpenFallback);
    }
}

/// "Save the changes first?" with Save / Discard / Cancel.
pub fn unsaved_changes_ui(ctx: &egui::Context, pending: &Pending, intents: &mut Vec<Intent>) {
    let what = match pending {
        Pending::Open(p) => format!("before opening {}", p.display()),
        Pending::Quit => "before closing".to_owned(),
    };
    let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.heading("Unsaved changes");
        ui.label(format!("Save the annotations {what}?"));
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                intents.push(Intent::ResolvePending(PendingChoice::Save));
            }
            if ui.button("Discard").clicked() {
                intents.push(Intent::ResolvePending(PendingChoice::Discard));
            }
            if ui.button("Cancel").clicked() {
                intents.push(Intent::ResolvePending(PendingChoice::Cancel));
            }
        });
    });
    if modal.should_close() {
        intents.push(Intent::ResolvePending(PendingChoice::Cancel));
    }
}
