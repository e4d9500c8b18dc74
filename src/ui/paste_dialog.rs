//! "New article from pasted text": a multi-line field that has focus, so
//! Ctrl+V pastes the clipboard into it (egui delivers the paste to the
//! focused text field), then Create (`Ctrl+Enter`: `Enter` is a new line
//! in the field), `Esc` cancels.

use crate::app::model::{FileIntent, Intent, ModalIntent, PasteDialog};

/// Draws the dialog.
pub fn paste_dialog_ui(ctx: &egui::Context, dialog: &mut PasteDialog, intents: &mut Vec<Intent>) {
    let create = ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
    if create && !dialog.text.trim().is_empty() {
        intents.push(FileIntent::CreateFromPaste.into());
    }
    let modal = egui::Modal::new(egui::Id::unique("paste_dialog")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("New article from pasted text");
        ui.label("Paste the article text here (Ctrl+V), then Create. It is saved as a .txt in saves/ with its annotations on the first save (Ctrl+S), or wherever you choose with Save as.");
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            let r = ui.add(
                egui::TextEdit::multiline(&mut dialog.text)
                    .desired_rows(12)
                    .desired_width(f32::INFINITY)
                    .hint_text("Paste the article text here"),
            );
            if dialog.text.is_empty() && !r.has_focus() {
                r.request_focus();
            }
        });
        ui.label(format!(
            "{} characters · Ctrl+Enter creates, Esc cancels",
            dialog.text.chars().count()
        ));
        if let Some(e) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !dialog.text.trim().is_empty(),
                    egui::Button::new("Create"),
                )
                .clicked()
            {
                intents.push(FileIntent::CreateFromPaste.into());
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
    // A click on the dimmed backdrop cancels (Esc was handled before).
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}
