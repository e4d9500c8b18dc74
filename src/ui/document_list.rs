//! The corpus's document list, on the left while a folder is open: the
//! corpus name and progress ("412 of 1,000 done"), filters (text, status,
//! attribute), sort buttons for each column, and one row per document
//! (title; date, outlet, status, annotations, coders and attributes).
//!
//! Invariants: only visible rows are built (`ScrollArea::show_rows`), so a
//! frame costs the same for 10 or 10,000 documents; the rows and their
//! order come from `CorpusState::rows`; clicking a row pushes
//! `CorpusIntent::Open`, never opens anything itself.

use crate::app::model::{
    BatchImportDialog, CorpusChangePreview, CorpusIntent, CorpusState, FileIntent, Intent,
    ModalIntent, SortKey,
};
use crate::core::set::DocStatus;
use egui::RichText;

pub use crate::app::model::count;

/// Draws the list into the left panel.
pub fn document_list_ui(ui: &mut egui::Ui, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    ui.heading(&c.corpus.file.name)
        .on_hover_text(c.corpus.root.display().to_string());
    let total = c.corpus.docs.len();
    let done = c.done();
    ui.label(format!("{} of {} done", count(done), count(total)));
    let share = if total == 0 {
        0.0
    } else {
        done as f32 / total as f32
    };
    ui.add(egui::ProgressBar::new(share).desired_height(6.0));
    if c.is_reading() {
        // The first read fills the list; later ones (after a corpus-wide
        // change, or sets changed on disk) only refresh it.
        ui.weak(if c.read < total {
            format!("Reading sets… {} of {}", count(c.read), count(total))
        } else {
            format!("Reading changed sets… {} left", count(c.pending_reads))
        });
    }
    if !c.corpus.problems.is_empty() {
        ui.colored_label(ui.visuals().warn_fg_color, c.corpus.problems.join("; "));
    }
    filters_ui(ui, c, intents);
    sort_bar_ui(ui, c, intents);
    ui.separator();
    if c.rows.len() != total {
        ui.weak(format!(
            "{} of {} documents match",
            count(c.rows.len()),
            count(total)
        ));
    }
    rows_ui(ui, c, intents);
}

fn filters_ui(ui: &mut egui::Ui, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    let mut changed = false;
    ui.horizontal(|ui| {
        let label = ui.label("Documents:");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut c.list.text)
                    .hint_text("title, date, outlet, coder…")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        changed |= r.changed();
    });
    ui.horizontal(|ui| {
        let label = c.list.status.map_or("Any status", DocStatus::label);
        egui::ComboBox::from_id_salt("doc_status_filter")
            .selected_text(label)
            .show_ui(ui, |ui| {
                changed |= ui
                    .selectable_value(&mut c.list.status, None, "Any status")
                    .changed();
                for s in DocStatus::ALL {
                    changed |= ui
                        .selectable_value(&mut c.list.status, Some(s), s.label())
                        .changed();
                }
            });
        if !c.corpus.file.attributes.is_empty() {
            let label = c
                .list
                .attribute
                .clone()
                .unwrap_or_else(|| "Any attribute".into());
            egui::ComboBox::from_id_salt("doc_attribute_filter")
                .selected_text(label)
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut c.list.attribute, None, "Any attribute")
                        .changed();
                    for a in &c.corpus.file.attributes {
                        changed |= ui
                            .selectable_value(&mut c.list.attribute, Some(a.name.clone()), &a.name)
                            .changed();
                    }
                });
            if c.list.attribute.is_some() {
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(&mut c.list.attribute_value)
                            .hint_text("value")
                            .desired_width(90.0),
                    )
                    .changed();
            }
        }
    });
    if changed {
        intents.push(CorpusIntent::Refilter.into());
    }
}

fn sort_bar_ui(ui: &mut egui::Ui, c: &CorpusState, intents: &mut Vec<Intent>) {
    let mut keys = vec![
        (SortKey::Order, "Order".to_owned()),
        (SortKey::Title, "Title".to_owned()),
        (SortKey::Date, "Date".to_owned()),
        (SortKey::Outlet, "Outlet".to_owned()),
        (SortKey::Status, "Status".to_owned()),
        (SortKey::Annotations, "Annotations".to_owned()),
        (SortKey::Coder, "Coder".to_owned()),
    ];
    for a in &c.corpus.file.attributes {
        keys.push((SortKey::Attribute(a.name.clone()), a.name.clone()));
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak("Sort:");
        for (key, name) in keys {
            let on = c.list.sort == key;
            let text = match (on, c.list.descending) {
                (true, false) => format!("{name} (asc)"),
                (true, true) => format!("{name} (desc)"),
                (false, _) => name.clone(),
            };
            let r = ui
                .selectable_label(on, RichText::new(text).small())
                .on_hover_text(format!("Sort the documents by {name} (again: reverse)"));
            if r.clicked() {
                intents.push(CorpusIntent::Sort(key).into());
            }
        }
    });
}

fn rows_ui(ui: &mut egui::Ui, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    let row_h = ui.text_style_height(&egui::TextStyle::Body)
        + ui.text_style_height(&egui::TextStyle::Small)
        + 10.0;
    let spacing = ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("document_list")
        .auto_shrink(false);
    if std::mem::take(&mut c.reveal_current)
        && let Some(cur) = c.current
        && let Some(r) = c.rows.iter().position(|&i| i == cur)
        && !(c.visible.start < r && r + 1 < c.visible.end)
    {
        area = area.vertical_scroll_offset(((row_h + spacing) * r as f32 - 80.0).max(0.0));
    }
    let out = area.show_rows(ui, row_h, c.rows.len(), |ui, range| {
        for row in range.clone() {
            let Some(&i) = c.rows.get(row) else { continue };
            let s = c.summary(i);
            let is_current = c.current == Some(i);
            ui.push_id(("doc", i), |ui| {
                ui.set_height(row_h);
                ui.vertical(|ui| {
                    let title = RichText::new(crate::app::model::excerpt(&s.title, 80));
                    let hover = match &s.error {
                        Some(e) => format!("{}\n{e}", c.corpus.docs[i].rel),
                        None => c.corpus.docs[i].rel.clone(),
                    };
                    let r =
                        super::row_widgets::row_button(ui, is_current, title).on_hover_text(hover);
                    if r.clicked() {
                        intents.push(CorpusIntent::Open(i).into());
                    }
                    // One line, cut short: every row must be `row_h` high
                    // (a wrapped row made the list jitter at its end).
                    let line = details(&s);
                    ui.add(egui::Label::new(RichText::new(&line).small().weak()).truncate())
                        .on_hover_text(line);
                });
            });
        }
        range
    });
    c.visible = out.inner;
}

/// The preview of a corpus-wide codebook change: what it does where, and
/// "Apply to the corpus" (`Enter`) or "Cancel" (`Esc`).
pub fn corpus_change_ui(ctx: &egui::Context, p: &CorpusChangePreview, intents: &mut Vec<Intent>) {
    let modal = egui::Modal::new(egui::Id::unique("corpus_change")).show(ctx, |ui| {
        if p.plan.per_document() {
            ui.heading("Tag across the corpus?");
            ui.label(&p.summary);
            ui.label("Every set concerned is written (a journal keeps the old ones). Ctrl+Z in a document takes back its part; Codebook › Undo corpus change takes back all.");
        } else {
            ui.heading("Change the corpus codebook?");
            ui.label(&p.summary);
            ui.label("Every set concerned is written (a journal keeps the old ones; Codebook › Undo corpus change restores them).");
        }
        ui.horizontal(|ui| {
            if ui.button("Apply to the corpus").clicked() {
                intents.push(CorpusIntent::ApplyChange.into());
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

/// The "Import folder" dialog: the file-name pattern, the preview (one
/// row per file: date, outlet, title, or why it is skipped), Import.
pub fn batch_import_ui(ctx: &egui::Context, d: &mut BatchImportDialog, intents: &mut Vec<Intent>) {
    let modal = egui::Modal::new(egui::Id::unique("batch_import")).show(ctx, |ui| {
        ui.set_width(720.0);
        ui.heading(format!("Import {}", d.root.display()));
        ui.horizontal(|ui| {
            let l = ui.label("File names:");
            let r = ui
                .add(egui::TextEdit::singleline(&mut d.pattern).desired_width(260.0))
                .labelled_by(l.id);
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                intents.push(FileIntent::PreviewImport.into());
                // The keyboard stays in the field for the next try.
                r.request_focus();
            }
            if ui.button("Preview").clicked() {
                intents.push(FileIntent::PreviewImport.into());
            }
        });
        ui.weak("Fields: {date}, {outlet}, {title}, {_} (skip); e.g. {date}_{outlet}_{title} for 2012-07-04_dawn_us-pakistan-truce.html");
        if let Some(e) = &d.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let mut n = 0;
        if let Some((_, p)) = &d.preview {
            n = p.to_import();
            ui.label(format!("{n} of {} files will get a set", p.items.len()));
            let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .auto_shrink([false, true])
                .show_rows(ui, row_h, p.items.len(), |ui, range| {
                    for item in &p.items[range] {
                        let line = match (&item.metadata, &item.note) {
                            (Some(m), note) => format!(
                                "{} — {} · {} · {}{}",
                                item.rel,
                                m.date.as_deref().unwrap_or("no date"),
                                m.publication.as_deref().unwrap_or("no outlet"),
                                m.title.as_deref().unwrap_or("no title"),
                                note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
                            ),
                            (None, Some(note)) => format!("{} — {note}", item.rel),
                            (None, None) => item.rel.clone(),
                        };
                        ui.add(egui::Label::new(line).truncate());
                    }
                });
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(n > 0, egui::Button::new(format!("Import {n} documents")))
                .clicked()
            {
                intents.push(FileIntent::RunImport.into());
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

/// The second line of a row.
fn details(s: &crate::core::corpus::DocSummary) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !s.date.is_empty() {
        parts.push(s.date.clone());
    }
    if !s.outlet.is_empty() {
        parts.push(s.outlet.clone());
    }
    parts.push(s.status.label().to_owned());
    parts.push(match s.annotations {
        1 => "1 annotation".to_owned(),
        n => format!("{} annotations", count(n)),
    });
    if !s.coders.is_empty() {
        parts.push(s.coders.join(", "));
    }
    for (k, v) in &s.attributes {
        parts.push(format!("{k}: {v}"));
    }
    if s.error.is_some() {
        parts.push("set unreadable".to_owned());
    }
    parts.join(" · ")
}

/// Progress while a corpus-wide change is planned (every set read),
/// with Cancel (`Esc`).
pub fn planning_ui(ctx: &egui::Context, c: &CorpusState, intents: &mut Vec<Intent>) {
    let Some(p) = &c.planning else { return };
    egui::Modal::new(egui::Id::unique("corpus_planning")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Preparing the corpus-wide change");
        ui.label(&p.label);
        let done = p.done.load(std::sync::atomic::Ordering::Relaxed);
        ui.add(
            egui::ProgressBar::new(done as f32 / p.total.max(1) as f32)
                .text(format!("{done} of {} sets read", p.total)),
        );
        ui.weak("Nothing is written before you apply the preview.");
        if ui.button("Cancel").clicked() {
            intents.push(ModalIntent::Close.into());
        }
    });
    ctx.request_repaint_after(std::time::Duration::from_millis(50));
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(1234567), "1,234,567");
    }
}
