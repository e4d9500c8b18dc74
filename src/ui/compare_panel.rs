//! The comparison panel: choose coding A and coding B (two coders of this
//! file, or another clone's folder), then step through their
//! disagreements (`N`/`P` or the list) while the article marks A's spans
//! above the line and B's below; and curate: accept A, B, both or neither
//! for each disagreement, and take over every agreeing pair, into a
//! curated set. Reads [`CompareView`]; pushes intents.

use crate::app::model::{CompareIntent, CompareView, DocComparison, Intent, Side, excerpt};
use crate::core::curation::Choice;
use crate::core::text::Text;

/// The colour of coding A's marks (above the line).
pub const A_COLOR: egui::Color32 = egui::Color32::from_rgb(0x1f, 0x77, 0xb4);
/// The colour of coding B's marks (below the line).
pub const B_COLOR: egui::Color32 = egui::Color32::from_rgb(0xd9, 0x5f, 0x02);

const QUOTE_CHARS: usize = 60;

/// Draws the panel.
pub fn compare_panel_ui(
    ui: &mut egui::Ui,
    v: &mut CompareView,
    text: Option<&Text>,
    intents: &mut Vec<Intent>,
) {
    egui::Panel::left("compare_panel")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(if v.curating() {
                    "Curate"
                } else {
                    "Compare codings"
                });
                if ui.button("Close").clicked() {
                    intents.push(CompareIntent::Toggle.into());
                }
            });
            if let Some(e) = &v.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            match (&v.setup, &v.doc, text) {
                (Some(_), Some(_), Some(text)) => comparison_ui(ui, v, text, intents),
                _ => form_ui(ui, v, intents),
            }
        });
}

/// The two sides to compare.
fn form_ui(ui: &mut egui::Ui, v: &mut CompareView, intents: &mut Vec<Intent>) {
    ui.label("Compare two codings of this document: two coders in this file, or this file and another clone's folder.");
    let f = &mut v.form;
    let coders = f.coders.clone();
    egui::Grid::new("compare_sides")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Coding A:");
            let shown = f.a.as_ref().map_or("choose…".into(), Side::label);
            egui::ComboBox::from_id_salt("coding_a")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.a, Some(Side::All), Side::All.label());
                    for c in &coders {
                        let s = Side::Coder(c.clone());
                        let label = s.label();
                        ui.selectable_value(&mut f.a, Some(s), label);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Coding B:");
            let shown = match &f.b {
                Some(Side::Other(_)) => "another clone or set file".into(),
                Some(s) => s.label(),
                None => "choose…".into(),
            };
            egui::ComboBox::from_id_salt("coding_b")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for c in &coders {
                        let s = Side::Coder(c.clone());
                        let label = s.label();
                        ui.selectable_value(&mut f.b, Some(s), label);
                    }
                    let other = Some(Side::Other(f.other.clone().into()));
                    let is_other = matches!(f.b, Some(Side::Other(_)));
                    if ui
                        .selectable_label(is_other, "another clone or set file")
                        .clicked()
                    {
                        f.b = other;
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
    if matches!(f.b, Some(Side::Other(_))) {
        ui.horizontal(|ui| {
            let l = ui.label("Other:");
            ui.add(
                egui::TextEdit::singleline(&mut f.other)
                    .hint_text("folder or .annotations.ron")
                    .desired_width(200.0),
            )
            .labelled_by(l.id);
            if ui.button("Browse…").clicked() {
                intents.push(CompareIntent::BrowseOther.into());
            }
        });
    }
    if f.coders.len() < 2 && !matches!(f.b, Some(Side::Other(_))) {
        ui.small("This file has fewer than two coders: compare with another clone's folder.");
    }
    if ui.button("Compare").clicked() {
        intents.push(CompareIntent::Start.into());
    }
}

/// The comparison in force: legend, stepping, decisions, the list, the
/// curation form.
fn comparison_ui(ui: &mut egui::Ui, v: &mut CompareView, text: &Text, intents: &mut Vec<Intent>) {
    let curating = v.curating();
    let Some(d) = &v.doc else { return };
    legend_ui(ui, d);
    let open = d.decided.iter().filter(|x| !**x).count();
    if curating {
        ui.label(format!(
            "{} disagreements, {} to decide; {} agreeing, {} to take over",
            d.list.len(),
            open,
            d.agreeing,
            d.agreeing_left
        ));
    } else {
        ui.label(format!(
            "{} disagreements, {} agreeing pairs",
            d.list.len(),
            d.agreeing
        ));
    }
    ui.horizontal(|ui| {
        if ui.button("Previous (P)").clicked() {
            intents.push(CompareIntent::Step(false).into());
        }
        if ui.button("Next (N)").clicked() {
            intents.push(CompareIntent::Step(true).into());
        }
    });
    if curating {
        decisions_ui(ui, d, intents);
    }
    if curating {
        if let Some((folder, curator)) = v.setup.as_ref().and_then(|s| s.curate.as_ref()) {
            ui.small(format!(
                "Curating as {curator} into {} (Ctrl+S saves; Ctrl+Z undoes a decision)",
                folder.display()
            ));
        }
    } else {
        ui.separator();
        curate_form_ui(ui, v, intents);
    }
    if ui.button("End comparison").clicked() {
        intents.push(CompareIntent::Stop.into());
    }
    ui.separator();
    if let Some(d) = &v.doc {
        list_ui(ui, d, text, curating, intents);
    }
}

fn legend_ui(ui: &mut egui::Ui, d: &DocComparison) {
    for (color, name, n, place) in [
        (A_COLOR, &d.a.name, d.a.annotations.len(), "above the line"),
        (B_COLOR, &d.b.name, d.b.annotations.len(), "below the line"),
    ] {
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(egui::vec2(18.0, 4.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 0.0, color);
            let side = if color == A_COLOR { "A" } else { "B" };
            ui.label(format!("{side}: {name} ({n} annotations, {place})"));
        });
    }
}

fn decisions_ui(ui: &mut egui::Ui, d: &DocComparison, intents: &mut Vec<Intent>) {
    let decided = d
        .current
        .is_some_and(|i| d.decided.get(i).copied().unwrap_or(false));
    let has_current = d.current.is_some() && !decided;
    ui.horizontal_wrapped(|ui| {
        for (label, choice) in [
            ("Accept A (Alt+A)", Choice::A),
            ("Accept B (Alt+B)", Choice::B),
            ("Accept both (Alt+O)", Choice::Both),
            ("Accept neither (Alt+X)", Choice::Neither),
        ] {
            if ui
                .add_enabled(has_current, egui::Button::new(label))
                .clicked()
            {
                intents.push(CompareIntent::Decide(choice).into());
            }
        }
        if ui
            .add_enabled(decided, egui::Button::new("Reopen decision"))
            .on_hover_text(
                "Take back how this disagreement was decided (also after reopening the set)",
            )
            .clicked()
        {
            intents.push(CompareIntent::Reopen.into());
        }
    });
    let take = format!("Take over agreeing ({})", d.agreeing_left);
    if ui
        .add_enabled(d.agreeing_left > 0, egui::Button::new(take))
        .clicked()
    {
        intents.push(CompareIntent::TakeAgreeing.into());
    }
}

/// Frames during which the list keeps scrolling to a new current row.
const REVEAL_FRAMES: u8 = 8;

fn list_ui(
    ui: &mut egui::Ui,
    d: &DocComparison,
    text: &Text,
    curating: bool,
    intents: &mut Vec<Intent>,
) {
    let len = text.len_chars();
    // The list scrolls to the current row for a few frames after it
    // changes (a user's wheel scroll still settling would undo a single
    // request), then lets the reader scroll away from it.
    let revealed_id = ui.make_persistent_id("revealed_disagreement");
    let (shown, left): (Option<usize>, u8) = ui
        .data(|m| m.get_temp(revealed_id))
        .unwrap_or((None, REVEAL_FRAMES));
    let left = if shown == d.current {
        left
    } else {
        REVEAL_FRAMES
    };
    let reveal = left > 0;
    if !ui.ctx().will_discard() {
        ui.data_mut(|m| m.insert_temp(revealed_id, (d.current, left.saturating_sub(1))));
    }
    egui::ScrollArea::vertical()
        .id_salt("disagreements")
        .auto_shrink(false)
        .show(ui, |ui| {
            for (i, x) in d.list.iter().enumerate() {
                let (s, e) = x.position();
                let quote = excerpt(text.slice(s.min(len), e.min(len)), QUOTE_CHARS);
                let decided = curating && d.decided.get(i).copied().unwrap_or(false);
                let mark = if decided { " (decided)" } else { "" };
                let label = format!("{}. {} — “{quote}”{mark}", i + 1, x.describe());
                let current = d.current == Some(i);
                let r = ui.selectable_label(current, label);
                if current && reveal {
                    r.scroll_to_me(None);
                }
                if r.clicked() {
                    intents.push(CompareIntent::Select(i).into());
                }
            }
        });
}

fn curate_form_ui(ui: &mut egui::Ui, v: &mut CompareView, intents: &mut Vec<Intent>) {
    ui.label("Curate: decide each disagreement into a curated set, kept in another folder.");
    let f = &mut v.form;
    egui::Grid::new("curate_form")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Curator:");
            ui.text_edit_singleline(&mut f.curator).labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Folder:");
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut f.folder).desired_width(160.0))
                    .labelled_by(l.id);
                if ui.button("Browse…").clicked() {
                    intents.push(CompareIntent::BrowseFolder.into());
                }
            });
            ui.end_row();
        });
    if ui.button("Curate into this folder").clicked() {
        intents.push(CompareIntent::Curate.into());
    }
}
