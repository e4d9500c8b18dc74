//! The "Recover unsaved work?" prompt, the message dialog for bad input
//! and failed saves, the re-anchoring banner and the "Opening …" overlay.
//! They read state and push intents; the app applies them.

use crate::app::model::{
    DocIntent, FileIntent, Intent, Loading, ModalIntent, Notice, NoticeAction, RecoveryPrompt,
    RestoreMode, ViewIntent,
};
use std::path::PathBuf;

fn push(intents: &mut Vec<Intent>, i: impl Into<Intent>) {
    intents.push(i.into());
}

/// "Recover unsaved work?" with what a restore brings back.
pub fn recovery_dialog_ui(ctx: &egui::Context, prompt: &RecoveryPrompt, intents: &mut Vec<Intent>) {
    let r = &prompt.recovery;
    egui::Modal::new(egui::Id::unique("recovery_prompt")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Recover unsaved work?");
        ui.label(
            "Marginalia was closed with changes that were not saved. The recovery journal holds:",
        );
        for line in prompt.lines() {
            ui.label(format!("• {line}"));
        }
        ui.label(format!(
            "{} recorded step{}, last change at {}.",
            r.entries,
            if r.entries == 1 { "" } else { "s" },
            r.last_time.as_deref().unwrap_or("an unknown time")
        ));
        if r.ignored_lines > 0 {
            ui.weak(format!(
                "{} incomplete line(s) at the end were skipped (cut off by the crash).",
                r.ignored_lines
            ));
        }
        if let Some(m) = &r.mismatch {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Careful: {m}. Restoring anyway puts back the journaled annotations."),
            );
        }
        ui.weak(format!("Journal: {}", r.path.display()));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let restore = if r.mismatch.is_some() {
                "Restore anyway"
            } else {
                "Restore"
            };
            if ui.button(restore).clicked() {
                push(
                    intents,
                    DocIntent::RestoreRecovery(if r.mismatch.is_some() {
                        RestoreMode::Anyway
                    } else {
                        RestoreMode::Checked
                    }),
                );
            }
            if ui
                .button("Not now")
                .on_hover_text(
                    "Open the saved file; the journal is kept (renamed) so nothing is lost",
                )
                .clicked()
            {
                push(intents, ModalIntent::DeclineRecovery);
            }
        });
    });
}

/// A message dialog: bad input, a missing article, a failed save.
pub fn notice_ui(ctx: &egui::Context, notice: &mut Notice, intents: &mut Vec<Intent>) {
    let modal = egui::Modal::new(egui::Id::unique("notice")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(&notice.title);
        ui.label(&notice.message);
        ui.add_space(6.0);
        match &notice.action {
            NoticeAction::None => {
                if ui.button("OK").clicked() {
                    push(intents, ModalIntent::Close);
                }
            }
            NoticeAction::Legacy(_) => {
                ui.horizontal(|ui| {
                    if ui.button("Open as Windows-1252").clicked() {
                        push(intents, FileIntent::OpenLegacy);
                    }
                    if ui.button("Cancel").clicked() {
                        push(intents, ModalIntent::Close);
                    }
                });
            }
            NoticeAction::SaveAs => {
                ui.horizontal(|ui| {
                    if ui.button("Save as…").clicked() {
                        push(intents, FileIntent::SaveAsDialog);
                    }
                    if ui.button("Close").clicked() {
                        push(intents, ModalIntent::Close);
                    }
                });
            }
            NoticeAction::ReloadChanged => {
                ui.horizontal(|ui| {
                    if ui.button("Keep my edits").clicked() {
                        push(intents, ModalIntent::Close);
                    }
                    if ui.button("Reload from disk").clicked() {
                        push(intents, crate::app::model::CorpusIntent::ReloadCurrent);
                    }
                });
            }
            NoticeAction::Locate { .. } => {
                if ui.button("Locate the article…").clicked() {
                    push(intents, FileIntent::LocateBrowse);
                }
                let label = ui.label("or type its path:");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut notice.typed_path)
                            .desired_width(f32::INFINITY)
                            .hint_text("/path/to/article.txt"),
                    )
                    .labelled_by(label.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let ok = ui.button("Open with this article").clicked();
                    if (ok || enter) && !notice.typed_path.trim().is_empty() {
                        push(
                            intents,
                            FileIntent::LocateAt(PathBuf::from(notice.typed_path.trim())),
                        );
                    }
                    if ui.button("Cancel").clicked() {
                        push(intents, ModalIntent::Close);
                    }
                });
            }
        }
    });
    // A click on the dimmed backdrop cancels (Esc was handled before).
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

/// The re-anchoring summary across the top of the window.
pub fn anchor_banner_ui(ui: &mut egui::Ui, text: &str, intents: &mut Vec<Intent>) {
    egui::Panel::top("anchor_banner").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(ui.visuals().warn_fg_color, text);
            if ui.small_button("Dismiss").clicked() {
                push(intents, ViewIntent::DismissAnchorBanner);
            }
        });
    });
}

/// "Opening …" with a spinner while a file loads in the background.
pub fn loading_overlay_ui(ctx: &egui::Context, loading: &Loading, intents: &mut Vec<Intent>) {
    let name = loading
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| loading.path.display().to_string());
    egui::Modal::new(egui::Id::unique("loading_overlay")).show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new().size(20.0));
            ui.label(format!(
                "Opening {name}… {:.1} s",
                loading.started.elapsed().as_secs_f32()
            ));
        });
        ui.weak("The window stays usable; the current article stays open until this one is ready.");
        if ui.button("Cancel").clicked() {
            push(intents, FileIntent::CancelLoading);
        }
    });
}
