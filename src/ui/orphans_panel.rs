//! The orphans panel: annotations that could not be placed after the
//! article's text changed. Never dropped: each can be re-attached to the
//! current selection or deleted, both undoable.

use crate::app::model::{DocIntent, Intent, ViewState, excerpt};
use crate::core::session::Session;

const QUOTE_CHARS: usize = 160;

/// Draws the panel (only call it when the set has orphans).
pub fn orphans_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &ViewState,
    intents: &mut Vec<Intent>,
) {
    let orphans = &session.set.orphans;
    let has_sel = view.selection.is_some_and(|s| !s.is_empty());
    egui::Panel::left("orphans_panel")
        .resizable(true)
        .default_size(280.0)
        .show(ui, |ui| {
            ui.heading(format!("Orphans ({})", orphans.len()));
            ui.label(
                "These annotations could not be placed in the changed text. Select the passage they belong to and re-attach them, or delete them.",
            );
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for o in orphans {
                    ui.push_id(&o.id, |ui| {
                        ui.label(egui::RichText::new(format!("“{}”", excerpt(&o.quote, QUOTE_CHARS))).italics());
                        let tags: Vec<String> = o
                            .issues
                            .iter()
                            .map(|t| format!("issue: {t}"))
                            .chain(o.actors.iter().map(|t| format!("actor: {t}")))
                            .collect();
                        if !tags.is_empty() {
                            ui.small(tags.join(", "));
                        }
                        if let Some(n) = &o.note {
                            ui.small(format!("note: {}", excerpt(n, QUOTE_CHARS)));
                        }
                        ui.small(format!("was at {}–{}", o.start, o.end));
                        ui.horizontal(|ui| {
                            let b = ui
                                .add_enabled(has_sel, egui::Button::new("Re-attach to selection"))
                                .on_disabled_hover_text("Select the passage in the article first");
                            if b.clicked() {
                                intents.push(DocIntent::ReattachOrphan(o.id.clone()).into());
                            }
                            if ui.button("Delete").clicked() {
                                intents.push(DocIntent::DeleteOrphan(o.id.clone()).into());
                            }
                        });
                        ui.separator();
                    });
                }
            });
        });
}
