//! The codebook panel: issues and actors, each with colour swatch (click to
//! recolour), digit, name and number of uses; add, rename, recolour and
//! delete (asking first when the tag is used).
//!
//! Invariant: counts are recomputed only when the document generation
//! changes (one pass over the annotations), never per frame.

use crate::app::Intent;
use crate::core::codebook::{Rgb, Tag, TagKind};
use crate::core::command::Command;
use crate::core::session::Session;
use std::collections::HashMap;

/// Uses per tag, with the document generation they were counted at.
type Counts = Option<(u64, HashMap<(TagKind, String), usize>)>;

/// The panel's state.
#[derive(Debug)]
pub struct CodebookPanelState {
    counts: Counts,
    renaming: Option<(TagKind, String, String)>,
    recolor: Option<(TagKind, String, [u8; 3])>,
    confirm_delete: Option<(TagKind, String, usize)>,
    new_name: String,
    new_kind: TagKind,
}

impl Default for CodebookPanelState {
    fn default() -> Self {
        CodebookPanelState {
            counts: None,
            renaming: None,
            recolor: None,
            confirm_delete: None,
            new_name: String::new(),
            new_kind: TagKind::Issue,
        }
    }
}

fn counts(session: &Session) -> HashMap<(TagKind, String), usize> {
    let mut m = HashMap::new();
    for a in &session.set.annotations {
        for kind in [TagKind::Issue, TagKind::Actor] {
            for n in a.tags(kind) {
                *m.entry((kind, n.clone())).or_insert(0) += 1;
            }
        }
    }
    m
}

fn color32(c: Rgb) -> egui::Color32 {
    egui::Color32::from_rgb(c.0[0], c.0[1], c.0[2])
}

/// Draws the codebook panel.
pub fn codebook_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    doc_gen: u64,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    if state.counts.as_ref().is_none_or(|(g, _)| *g != doc_gen) {
        state.counts = Some((doc_gen, counts(session)));
    }
    let cb = &session.set.codebook;
    ui.heading("Codebook");
    egui::ScrollArea::vertical()
        .id_salt("codebook_scroll")
        .max_height(ui.available_height() * 0.4)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for kind in [TagKind::Issue, TagKind::Actor] {
                ui.label(
                    egui::RichText::new(match kind {
                        TagKind::Issue => "Issues",
                        TagKind::Actor => "Actors",
                    })
                    .strong(),
                );
                let mut any = false;
                for tag in cb.of_kind(kind) {
                    any = true;
                    let n = state
                        .counts
                        .as_ref()
                        .and_then(|(_, m)| m.get(&(kind, tag.name.clone())))
                        .copied()
                        .unwrap_or(0);
                    tag_row_ui(ui, tag, n, state, intents);
                }
                if !any {
                    ui.weak(format!("no {kind}s yet"));
                }
            }
        });
    ui.horizontal(|ui| {
        let resp = ui.add(
            egui::TextEdit::singleline(&mut state.new_name)
                .hint_text("new tag")
                .desired_width(140.0),
        );
        egui::ComboBox::new("new_tag_kind", "kind")
            .selected_text(state.new_kind.as_str())
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.new_kind, TagKind::Issue, "issue");
                ui.selectable_value(&mut state.new_kind, TagKind::Actor, "actor");
            });
        let enter = resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add").clicked() || enter) && !state.new_name.trim().is_empty() {
            let tag = cb.new_tag(state.new_kind, state.new_name.trim());
            intents.push(Intent::Execute(Command::CreateTag(tag)));
            state.new_name.clear();
        }
    });
    if let Some((kind, name, n)) = state.confirm_delete.clone() {
        let modal = egui::Modal::new(egui::Id::unique("confirm_delete_tag")).show(ui.ctx(), |ui| {
            ui.heading(format!("Delete {kind} “{name}”?"));
            ui.label(format!(
                "It is used by {n} annotation{}; the tag will be removed from them (Undo restores it).",
                if n == 1 { "" } else { "s" }
            ));
            ui.horizontal(|ui| {
                if ui.button("Delete").clicked() {
                    intents.push(Intent::Execute(Command::DeleteTag {
                        kind,
                        name: name.clone(),
                    }));
                    state.confirm_delete = None;
                }
                if ui.button("Cancel").clicked() {
                    state.confirm_delete = None;
                }
            });
        });
        if modal.should_close() {
            state.confirm_delete = None;
        }
    }
}

fn tag_row_ui(
    ui: &mut egui::Ui,
    tag: &Tag,
    count: usize,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    ui.push_id((kind, &tag.name), |ui| {
        ui.horizontal(|ui| {
            // Colour: edits coalesce until the pointer is released.
            let editing = state
                .recolor
                .as_ref()
                .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
            let mut rgb = match &state.recolor {
                Some((_, _, c)) if editing => *c,
                _ => tag.color.0,
            };
            let resp = egui::color_picker::color_edit_button_srgb(ui, &mut rgb)
                .on_hover_text("Change colour");
            if rgb != tag.color.0 {
                state.recolor = Some((kind, tag.name.clone(), rgb));
            }
            let pointer_down = ui.input(|i| i.pointer.any_down());
            if editing && !pointer_down && rgb != tag.color.0 {
                let mut t = tag.clone();
                t.color = Rgb(rgb);
                intents.push(Intent::Execute(Command::UpdateTag {
                    kind,
                    name: tag.name.clone(),
                    tag: t,
                }));
                state.recolor = None;
            } else if editing && rgb == tag.color.0 && !pointer_down {
                state.recolor = None;
            }
            let _ = resp;
            ui.label(
                egui::RichText::new(
                    tag.digit
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| " ".into()),
                )
                .monospace(),
            )
            .on_hover_text("Press this digit with a selection to apply the tag");
            let renaming = state
                .renaming
                .as_ref()
                .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
            if renaming {
                let mut commit = false;
                let mut cancel = false;
                if let Some((_, _, buf)) = &mut state.renaming {
                    let r = ui.add(egui::TextEdit::singleline(buf).desired_width(140.0));
                    r.request_focus();
                    if r.lost_focus() {
                        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                            cancel = true;
                        } else {
                            commit = true;
                        }
                    }
                }
                if commit
                    && let Some((_, _, buf)) = state.renaming.take()
                    && buf.trim() != tag.name
                    && !buf.trim().is_empty()
                {
                    let mut t = tag.clone();
                    t.name = buf.trim().to_owned();
                    intents.push(Intent::Execute(Command::UpdateTag {
                        kind,
                        name: tag.name.clone(),
                        tag: t,
                    }));
                }
                if cancel {
                    state.renaming = None;
                }
            } else {
                let r = ui
                    .add(egui::Label::new(&tag.name).sense(egui::Sense::click()))
                    .on_hover_text(
                        tag.description
                            .clone()
                            .unwrap_or_else(|| "Double-click to rename".to_owned()),
                    );
                if r.double_clicked() {
                    state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.menu_button("…", |ui| {
                    if ui.button("Rename").clicked() {
                        state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
                        ui.close();
                    }
                    if ui.button("Delete").clicked() {
                        if count > 0 {
                            state.confirm_delete = Some((kind, tag.name.clone(), count));
                        } else {
                            intents.push(Intent::Execute(Command::DeleteTag {
                                kind,
                                name: tag.name.clone(),
                            }));
                        }
                        ui.close();
                    }
                });
                ui.label(egui::RichText::new(count.to_string()).weak())
                    .on_hover_text("annotations with this tag");
            });
        });
    });
    let _ = color32;
}
