//! The agreement window: two coders, the scope (the corpus or the open
//! document), the figures by tag and by document (the weakest first),
//! and "Copy CSV". Reads [`AgreementView`]; pushes intents.

use crate::app::model::{AgreementIntent, AgreementView, Intent};
use crate::core::agreement::Figures;

/// Draws the window (closing it pushes `Toggle`).
pub fn agreement_ui(
    ctx: &egui::Context,
    v: &mut AgreementView,
    has_corpus: bool,
    intents: &mut Vec<Intent>,
) {
    let mut open = true;
    egui::Window::new("Agreement")
        .open(&mut open)
        .default_size([760.0, 520.0])
        .show(ctx, |ui| {
            controls_ui(ui, v, has_corpus, intents);
            if let Some(e) = &v.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            if v.running.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the sets…");
                });
            }
            report_ui(ui, v);
        });
    if !open {
        intents.push(AgreementIntent::Toggle.into());
    }
}

fn controls_ui(
    ui: &mut egui::Ui,
    v: &mut AgreementView,
    has_corpus: bool,
    intents: &mut Vec<Intent>,
) {
    ui.horizontal(|ui| {
        for (label, who) in [("Coder A:", &mut v.a), ("Coder B:", &mut v.b)] {
            ui.label(label);
            egui::ComboBox::from_id_salt(label)
                .selected_text(who.as_str())
                .show_ui(ui, |ui| {
                    for c in &v.coders {
                        ui.selectable_value(who, c.clone(), c);
                    }
                });
        }
    });
    ui.horizontal(|ui| {
        ui.add_enabled_ui(has_corpus, |ui| {
            ui.radio_value(&mut v.corpus, true, "the corpus");
        });
        ui.radio_value(&mut v.corpus, false, "this document");
        ui.checkbox(&mut v.with_children, "a tag's children count as the tag");
        if ui
            .add_enabled(v.running.is_none(), egui::Button::new("Compute"))
            .clicked()
        {
            intents.push(AgreementIntent::Compute.into());
        }
    });
}

/// A header row: the first column, then every figure, then A and B.
fn header_row(ui: &mut egui::Ui, first: &str) {
    ui.label(first);
    for h in Figures::NAMES.iter().chain(&["A", "B"]) {
        ui.label(*h);
    }
    ui.end_row();
}

fn figure_cells(ui: &mut egui::Ui, f: &Figures) {
    for v in f.values() {
        ui.label(v.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}")));
    }
    ui.label(f.a.to_string());
    ui.label(f.b.to_string());
    ui.end_row();
}

fn report_ui(ui: &mut egui::Ui, v: &AgreementView) {
    let Some(r) = &v.report else {
        ui.label("Choose two coders and Compute: percent agreement, Cohen's kappa, Krippendorff's alpha and unitizing alpha, F1 of exact and overlapping spans, per tag and per document.");
        return;
    };
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} and {}: {} documents",
            r.coders[0],
            r.coders[1],
            r.documents.len()
        ));
        if ui
            .button("Copy CSV")
            .on_hover_text("Copy every tag's and document's figures as CSV")
            .clicked()
        {
            ui.ctx().copy_text(crate::core::agreement_report::to_csv(r));
        }
    });
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.strong("By tag, the weakest first");
        egui::Grid::new("agreement_tags")
            .striped(true)
            .show(ui, |ui| {
                header_row(ui, "tag");
                for (name, f) in r.tags_weakest_first() {
                    ui.label(name);
                    figure_cells(ui, f);
                }
                ui.strong("(all tags)");
                figure_cells(ui, &r.overall);
            });
        ui.separator();
        ui.strong("By document, the weakest first");
        egui::Grid::new("agreement_docs")
            .striped(true)
            .show(ui, |ui| {
                header_row(ui, "document");
                for d in r.documents_weakest_first().into_iter().take(500) {
                    ui.label(&d.document);
                    figure_cells(ui, &d.overall);
                }
            });
        if r.documents.len() > 500 {
            ui.label(format!("… {} more in the CSV", r.documents.len() - 500));
        }
    });
}
