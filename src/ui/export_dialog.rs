//! The export dialog (Ctrl+E): format, options, filter by issues and
//! actors, destination (file dialog or typed path).

use crate::app::Intent;
use crate::app::export::{ExportDialog, NETWORK_MODES, is_network};
use crate::app::reliability::RelIntent;
use crate::core::codebook::TagKind;
use crate::core::export::{ExportDoc, ExportFormat};
use crate::core::session::Session;

fn push(intents: &mut Vec<Intent>, i: RelIntent) {
    intents.push(Intent::Rel(i));
}

/// Draws the dialog.
pub fn export_dialog_ui(
    ctx: &egui::Context,
    dialog: &mut ExportDialog,
    session: &Session,
    stem: &str,
    intents: &mut Vec<Intent>,
) {
    let modal = egui::Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Export excerpts");
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Format");
                for f in ExportFormat::ALL {
                    if ui.radio(dialog.format == f, f.label()).clicked() {
                        dialog.set_format(f, stem);
                        dialog.error = None;
                    }
                }
            });
            // (No vertical separator: in a modal it would take all height.)
            ui.add_space(24.0);
            ui.vertical(|ui| {
                ui.strong("Options");
                if dialog.format == ExportFormat::Csv {
                    ui.checkbox(&mut dialog.options.long, "One row per tag (long)");
                }
                if matches!(dialog.format, ExportFormat::Csv | ExportFormat::Edges) {
                    ui.checkbox(
                        &mut dialog.options.raw,
                        "Raw cells (no formula neutralising)",
                    );
                }
                if is_network(dialog.format) {
                    for (mode, _, label) in NETWORK_MODES {
                        ui.radio_value(&mut dialog.options.network, mode, label);
                    }
                }
                if dialog.format != ExportFormat::Csv && !is_network(dialog.format) {
                    ui.weak("none for this format");
                }
            });
        });
        ui.separator();
        ui.strong("Only excerpts with any of these tags (none ticked: all)");
        egui::ScrollArea::vertical()
            .max_height(160.0)
            .id_salt("export_filter")
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    for (kind, title) in [(TagKind::Issue, "Issues"), (TagKind::Actor, "Actors")] {
                        ui.vertical(|ui| {
                            ui.label(title);
                            let mut any = false;
                            for t in session.set.codebook.of_kind(kind) {
                                any = true;
                                let chosen = match kind {
                                    TagKind::Issue => dialog.issues.contains(&t.name),
                                    TagKind::Actor => dialog.actors.contains(&t.name),
                                };
                                if ui.checkbox(&mut chosen.clone(), &t.name).clicked() {
                                    dialog.toggle(kind, &t.name);
                                }
                            }
                            if !any {
                                ui.weak("none");
                            }
                        });
                    }
                });
            });
        let doc = ExportDoc {
            name: "",
            text: &session.text,
            set: &session.set,
        };
        let filter = dialog.filter();
        ui.label(format!(
            "{} of {} excerpts will be exported",
            doc.excerpts(&filter).count(),
            session.set.annotations.len()
        ));
        ui.separator();
        ui.strong(if dialog.format.writes_directory() {
            "Destination folder"
        } else {
            "Destination file"
        });
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut dialog.dest).desired_width(420.0));
            if ui.button("Browse…").clicked() {
                push(intents, RelIntent::ExportBrowse);
            }
        });
        if let Some(e) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            if ui.button("Export").clicked() {
                push(intents, RelIntent::RunExport);
            }
            if ui.button("Cancel").clicked() {
                push(intents, RelIntent::CloseExport);
            }
        });
    });
    if modal.should_close() {
        push(intents, RelIntent::CloseExport);
    }
}
