//! The export dialog (Ctrl+E): format, options, filter by issues and
//! actors, destination (file dialog or typed path).

use crate::app::model::{
    ExportDialog, FileIntent, Intent, ModalIntent, NETWORK_MODES, NORMALIZATIONS, QUALIFIERS,
    is_network,
};
use crate::core::codebook::TagKind;
use crate::core::export::discourse_network::NetworkFormat;
use crate::core::export::{ExportDoc, ExportFormat};
use crate::core::session::Session;

fn push(intents: &mut Vec<Intent>, i: impl Into<Intent>) {
    intents.push(i.into());
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
        scope_ui(ui, dialog, stem);
        format_options_ui(ui, dialog, stem);
        ui.separator();
        ui.strong("Only excerpts with any of these tags (none ticked: all)");
        tag_filter_ui(ui, dialog, session);
        if matches!(dialog.format, ExportFormat::Discourse(_)) {
            exclusions_ui(ui, dialog, session);
        }
        count_ui(ui, dialog, session);
        ui.separator();
        ui.strong(if dialog.writes_directory() {
            "Destination folder"
        } else {
            "Destination file"
        });
        ui.horizontal(|ui| {
            let r = ui.add(egui::TextEdit::singleline(&mut dialog.dest).desired_width(420.0));
            if r.changed() {
                dialog.confirm_replace = None;
            }
            if ui.button("Browse…").clicked() {
                push(intents, FileIntent::ExportBrowse);
            }
        });
        if let Some(e) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        buttons_ui(ui, dialog, intents);
    });
    // A click on the dimmed backdrop cancels (Esc was handled before).
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

/// The open document or the whole corpus (only with a corpus open).
fn scope_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, stem: &str) {
    let Some(sets) = dialog.corpus_sets else {
        return;
    };
    ui.horizontal(|ui| {
        ui.strong("Export from");
        if ui.radio(!dialog.whole_corpus, "This document").clicked() {
            dialog.set_whole_corpus(false, stem);
            dialog.error = None;
        }
        let label = format!(
            "The whole corpus ({} document{} with a set)",
            crate::app::model::count(sets),
            if sets == 1 { "" } else { "s" }
        );
        if ui.radio(dialog.whole_corpus, label).clicked() {
            dialog.set_whole_corpus(true, stem);
            dialog.error = None;
        }
    });
    ui.separator();
}

/// How many excerpts (of the open document) the export takes.
fn count_ui(ui: &mut egui::Ui, dialog: &ExportDialog, session: &Session) {
    if dialog.whole_corpus {
        ui.label(format!(
            "The excerpts of {} documents will be exported (the open document is saved first)",
            crate::app::model::count(dialog.corpus_sets.unwrap_or(0))
        ));
        return;
    }
    let doc = ExportDoc {
        name: "",
        text: &session.text,
        set: &session.set,
    };
    let filter = dialog.filter();
    ui.label(format!(
        "{} of {} excerpts will be exported",
        doc.excerpts(&filter).count(),
        session.set.annotations().len()
    ));
}

/// Export (or Replace) and Cancel; a spinner while a corpus export runs.
fn buttons_ui(ui: &mut egui::Ui, dialog: &ExportDialog, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        let export = if dialog.confirm_replace.is_some() {
            "Replace"
        } else {
            "Export"
        };
        if ui
            .add_enabled(!dialog.running, egui::Button::new(export))
            .clicked()
        {
            push(intents, FileIntent::RunExport);
        }
        if ui.button("Cancel").clicked() {
            push(intents, ModalIntent::Close);
        }
        if dialog.running {
            ui.spinner();
            ui.label("Exporting…");
        }
    });
}

/// The format (radio buttons) and its options.
fn format_options_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, stem: &str) {
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.strong("Format");
            for f in ExportFormat::ALL {
                let chosen = dialog.format.family() == f;
                if ui.radio(chosen, f.label()).clicked() && !chosen {
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
            if dialog.format == ExportFormat::Matrix {
                ui.checkbox(&mut dialog.options.binary, "0/1 instead of counts (binary)");
            }
            if matches!(
                dialog.format,
                ExportFormat::Csv | ExportFormat::Edges | ExportFormat::Matrix
            ) {
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
            if matches!(dialog.format, ExportFormat::Discourse(_)) {
                discourse_options_ui(ui, dialog, stem);
            }
            if dialog.format == ExportFormat::Qdpx {
                use crate::core::export::qdpx::Positions;
                let mut nvivo = dialog.options.positions == Positions::Utf16;
                if ui
                    .checkbox(&mut nvivo, "For NVivo (positions in UTF-16 units)")
                    .on_hover_text("NVivo counts an emoji as two characters; MAXQDA, ATLAS.ti and QualCoder count it as one, as the standard does")
                    .changed()
                {
                    dialog.options.positions = if nvivo {
                        Positions::Utf16
                    } else {
                        Positions::CodePoints
                    };
                }
            }
            let has_options = matches!(
                dialog.format,
                ExportFormat::Csv
                    | ExportFormat::Matrix
                    | ExportFormat::Qdpx
                    | ExportFormat::Discourse(_)
            ) || is_network(dialog.format);
            if !has_options {
                ui.weak("none for this format");
            }
        });
    });
}

/// The discourse network's file format and choices (DNA's options; the
/// qualifiers and normalisations that a two-mode network has no use for are
/// disabled).
fn discourse_options_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, stem: &str) {
    use crate::core::discourse_network::{Duplicates, NetworkType, NodeMode, Qualifier};
    let ExportFormat::Discourse(current) = dialog.format else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        for f in NetworkFormat::ALL {
            if ui.radio(current == f, f.label()).clicked() && current != f {
                dialog.set_format(ExportFormat::Discourse(f), stem);
                dialog.error = None;
            }
        }
    });
    let c = &mut dialog.options.discourse;
    ui.horizontal(|ui| {
        for (kind, label) in [
            (NetworkType::OneMode, "One-mode"),
            (NetworkType::TwoMode, "Two-mode"),
        ] {
            if ui.radio_value(&mut c.kind, kind, label).clicked() {
                c.fit_kind();
            }
        }
        ui.separator();
        ui.radio_value(&mut c.mode, NodeMode::Actors, "Actor nodes");
        ui.radio_value(&mut c.mode, NodeMode::Issues, "Issue nodes");
    });
    let one_mode = c.kind == NetworkType::OneMode;
    ui.horizontal_wrapped(|ui| {
        ui.label("Stance:");
        for (q, label) in QUALIFIERS {
            let fits = one_mode || matches!(q, Qualifier::Ignore | Qualifier::Subtract);
            ui.add_enabled_ui(fits, |ui| ui.radio_value(&mut c.qualifier, q, label));
        }
    });
    ui.add_enabled_ui(one_mode, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label("Normalisation:");
            for (n, label) in NORMALIZATIONS {
                ui.radio_value(&mut c.normalization, n, label);
            }
        });
    });
    let mut every = c.duplicates == Duplicates::Include;
    if ui
        .checkbox(&mut every, "Count every annotation (not once per document)")
        .changed()
    {
        c.duplicates = if every {
            Duplicates::Include
        } else {
            Duplicates::PerDocument
        };
    }
    ui.checkbox(&mut c.isolates, "Keep isolates");
    if matches!(current, NetworkFormat::Edges | NetworkFormat::Statements) {
        ui.checkbox(
            &mut dialog.options.raw,
            "Raw cells (no formula neutralising)",
        );
    }
    window_ui(ui, dialog, stem);
}

/// Time windows: one network per window of days by document date.
fn window_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, stem: &str) {
    let mut on = dialog.window.on;
    if ui
        .checkbox(&mut on, "One network per time window (a folder)")
        .changed()
    {
        dialog.set_window(on, stem);
        dialog.error = None;
    }
    ui.add_enabled_ui(on, |ui| {
        ui.horizontal(|ui| {
            ui.label("Window");
            ui.add(
                egui::DragValue::new(&mut dialog.window.days)
                    .range(1..=36_500)
                    .suffix(" days"),
            );
            ui.label("every");
            ui.add(
                egui::DragValue::new(&mut dialog.window.step)
                    .range(1..=36_500)
                    .suffix(" days"),
            );
        });
    });
}

/// DNA's exclude lists: actors and issues whose statements the network
/// leaves out (the excerpts still count for the other tags they carry).
fn exclusions_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, session: &Session) {
    let n = dialog.exclude_actors.len() + dialog.exclude_issues.len();
    let title = if n == 0 {
        "Leave out of the network: nothing".to_owned()
    } else {
        format!(
            "Leave out of the network: {n} tag{}",
            if n == 1 { "" } else { "s" }
        )
    };
    egui::CollapsingHeader::new(title)
        .id_salt("export_exclusions")
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Find:");
                ui.add(
                    egui::TextEdit::singleline(&mut dialog.exclude_find)
                        .hint_text("part of a name")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
            });
            let find = dialog.exclude_find.trim().to_lowercase();
            egui::ScrollArea::vertical()
                .max_height(120.0)
                .id_salt("export_exclusions_list")
                .show(ui, |ui| tag_ticks_ui(ui, dialog, session, true, &find));
        });
}

/// Which tags' excerpts are exported: one list per kind, full width, so
/// long names wrap instead of being clipped.
fn tag_filter_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, session: &Session) {
    egui::ScrollArea::vertical()
        .max_height(160.0)
        .id_salt("export_filter")
        .show(ui, |ui| tag_ticks_ui(ui, dialog, session, false, ""));
}

/// A tick per tag of the codebook whose name holds `find`, one wrapped
/// list per kind: the filter's, or (`excluded`) the network's exclusions,
/// whose accessible labels say "Leave out".
fn tag_ticks_ui(
    ui: &mut egui::Ui,
    dialog: &mut ExportDialog,
    session: &Session,
    excluded: bool,
    find: &str,
) {
    for (kind, title) in [(TagKind::Issue, "Issues"), (TagKind::Actor, "Actors")] {
        ui.label(egui::RichText::new(title).strong());
        let mut any = false;
        ui.horizontal_wrapped(|ui| {
            let shown = session
                .set
                .codebook
                .of_kind(kind)
                .filter(|t| find.is_empty() || t.name.to_lowercase().contains(find));
            for t in shown {
                any = true;
                let mut ticked = dialog.ticked(kind, excluded).contains(&t.name);
                let r = ui.checkbox(&mut ticked, &t.name);
                if excluded {
                    let label = format!("Leave out {kind} {}", t.name);
                    r.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::CheckBox, true, ticked, &label)
                    });
                }
                if r.clicked() {
                    dialog.toggle(kind, &t.name, excluded);
                }
            }
        });
        if !any {
            ui.weak("none");
        }
    }
}
