//! The status bar (messages, errors in red, the coder, selection, counts,
//! encoding), the coder's-name dialog and the warning banner for
//! protected sets.

use crate::app::model::{Intent, ModalIntent, Status, Workspace};
use crate::core::annotation::Annotation;
use crate::core::selection::SpanEnd;

/// Draws the status bar at the bottom of the window.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    ws: Option<&Workspace>,
    status: &Status,
    coder: Option<&str>,
    blind: bool,
    intents: &mut Vec<Intent>,
) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if status.is_error {
                ui.colored_label(ui.visuals().error_fg_color, &status.text);
            } else {
                ui.label(&status.text);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // The coder: a click edits the name.
                let who = match (coder, blind) {
                    (Some(c), true) => format!("coder: {c} (blind: others hidden)"),
                    (Some(c), false) => format!("coder: {c}"),
                    (None, _) => "no coder name".to_owned(),
                };
                if ui
                    .add(egui::Button::new(who).frame(false))
                    .on_hover_text("Your name, written on every annotation you create or change (Annotation › Coder name…)")
                    .clicked()
                {
                    intents.push(ModalIntent::OpenCoderName.into());
                }
                ui.separator();
                if let Some(w) = ws {
                    let (s, view) = (&w.session, &w.view);
                    ui.label(s.encoding.label());
                    ui.separator();
                    ui.label(format!("{} annotations", s.set.annotations().len()));
                    ui.separator();
                    if let Some(sel) = view.selection {
                        let (a, b) = sel.range();
                        if a == b {
                            ui.label(format!("cursor {a}"));
                        } else {
                            ui.label(format!("selection {a}–{b} ({} chars)", b - a));
                        }
                    } else {
                        ui.label("no selection");
                    }
                    if let Some(ann) = view.selected.as_deref().and_then(|id| s.set.get(id)) {
                        ui.separator();
                        ui.label(selected_label(ann, view.adjust));
                    }
                }
            });
        });
    });
}

/// The text label of the selected annotation: its tags by kind, stance,
/// a note marker and which end Shift+arrows move.
pub fn selected_label(a: &Annotation, end: SpanEnd) -> String {
    let mut parts = Vec::new();
    if !a.issues.is_empty() {
        parts.push(format!("issues: {}", a.issues.join(", ")));
    }
    if !a.actors.is_empty() {
        parts.push(format!("actors: {}", a.actors.join(", ")));
    }
    parts.push(format!(
        "stance: {}",
        a.stance.map_or("unspecified", |s| s.as_str())
    ));
    if a.note.is_some() {
        parts.push("has a note".to_owned());
    }
    parts.push(format!("Shift+arrows move its {} ([ / ])", end.as_str()));
    parts.join(" · ")
}

/// A warning banner across the top of the article.
pub fn warning_banner_ui(ui: &mut egui::Ui, text: &str) {
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.2))
        .inner_margin(6)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.colored_label(ui.visuals().warn_fg_color, format!("Warning: {text}"));
        });
}

/// "Who is coding?": the coder's name (`Enter` keeps it, `Esc` is "Not
/// now"; asked once, editable from the status bar and the Annotation
/// menu).
pub fn coder_name_ui(ctx: &egui::Context, name: &mut String, intents: &mut Vec<Intent>) {
    let modal = egui::Modal::new(egui::Id::unique("coder_name")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Who is coding?");
        ui.label("Your name is written on every annotation you create or change, so the work of two coders can be told apart and compared (agreement, curation).");
        ui.horizontal(|ui| {
            let label = ui.label("Your name:");
            let r = ui
                .add(egui::TextEdit::singleline(name).hint_text("e.g. amina"))
                .labelled_by(label.id);
            if !r.has_focus() && !r.lost_focus() {
                r.request_focus();
            }
        });
        ui.horizontal(|ui| {
            if ui.button("OK").clicked() {
                intents.push(ModalIntent::SetCoderName(name.clone()).into());
            }
            if ui.button("Not now").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}
