//! The codebook panel: issues and actors as trees by parent (children
//! indented under their parent), each with colour swatch (click to
//! recolour), digit, name, kind marker and number of uses (a parent counts
//! its children's annotations too). Per tag: rename (annotations follow),
//! describe (shown as tooltip and in the tag popup), re-parent, merge into
//! another tag, delete (asks first when the tag is used; Undo restores).
//! Clicking a name focuses the tag: `N`/`P` then visit only its
//! annotations.
//!
//! Invariants: counts are recomputed only when the document generation
//! changes (`core::filter::counts_with_children`, one pass), never per
//! frame; every change is a command pushed as an intent.

use crate::app::Intent;
use crate::app::workflow::WorkflowIntent;
use crate::core::codebook::{Codebook, Rgb, Tag, TagKind};
use crate::core::command::Command;
use crate::core::session::Session;
use std::collections::BTreeMap;

/// Uses per tag (with children), with the document generation they were
/// counted at.
type Counts = Option<(u64, BTreeMap<(TagKind, String), usize>)>;

/// The panel's state.
#[derive(Debug)]
pub struct CodebookPanelState {
    counts: Counts,
    renaming: Option<(TagKind, String, String)>,
    describing: Option<(TagKind, String, String)>,
    describe_focus: bool,
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
            describing: None,
            describe_focus: false,
            recolor: None,
            confirm_delete: None,
            new_name: String::new(),
            new_kind: TagKind::Issue,
        }
    }
}

/// The tags of `kind` whose parent is `parent` (roots: `None`, or a parent
/// missing from the codebook), in codebook order.
fn children<'a>(cb: &'a Codebook, kind: TagKind, parent: Option<&str>) -> Vec<&'a Tag> {
    cb.of_kind(kind)
        .filter(|t| match (parent, t.parent.as_deref()) {
            (None, None) => true,
            (None, Some(p)) => cb.get(kind, p).is_none() || p == t.name,
            (Some(x), Some(p)) => x == p && p != t.name,
            (Some(_), None) => false,
        })
        .collect()
}

/// Draws the codebook panel.
pub fn codebook_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    doc_gen: u64,
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    if state.counts.as_ref().is_none_or(|(g, _)| *g != doc_gen) {
        state.counts = Some((
            doc_gen,
            crate::core::filter::counts_with_children(&session.set),
        ));
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
                        TagKind::Issue => "Issues (underlined in the text)",
                        TagKind::Actor => "Actors (boxed in the text)",
                    })
                    .strong(),
                );
                let roots = children(cb, kind, None);
                if roots.is_empty() {
                    ui.weak(format!("no {kind}s yet"));
                }
                for tag in roots {
                    tree_ui(ui, cb, tag, 0, state, focused, intents);
                }
            }
        });
    ui.horizontal(|ui| {
        let label = ui.label("New tag:");
        let resp = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_name)
                    .hint_text("name")
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        egui::ComboBox::new("new_tag_kind", "kind")
            .selected_text(state.new_kind.as_str())
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.new_kind, TagKind::Issue, "issue");
                ui.selectable_value(&mut state.new_kind, TagKind::Actor, "actor");
            });
        let enter = resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add tag").clicked() || enter) && !state.new_name.trim().is_empty() {
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
                if ui.button("Delete tag").clicked() {
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

fn tree_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    depth: usize,
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    let count = state
        .counts
        .as_ref()
        .and_then(|(_, m)| m.get(&(tag.kind, tag.name.clone())))
        .copied()
        .unwrap_or(0);
    tag_row_ui(ui, cb, tag, count, state, focused, intents);
    if depth < 16 {
        let kids = children(cb, tag.kind, Some(&tag.name));
        if !kids.is_empty() {
            ui.indent((tag.kind, &tag.name, "children"), |ui| {
                for k in kids {
                    tree_ui(ui, cb, k, depth + 1, state, focused, intents);
                }
            });
        }
    }
}

fn update(tag: &Tag, f: impl FnOnce(&mut Tag)) -> Intent {
    let mut t = tag.clone();
    f(&mut t);
    Intent::Execute(Command::UpdateTag {
        kind: tag.kind,
        name: tag.name.clone(),
        tag: t,
    })
}

fn tag_row_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    count: usize,
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
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
            let label = format!("Colour of {kind} {}", tag.name);
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if rgb != tag.color.0 {
                state.recolor = Some((kind, tag.name.clone(), rgb));
            }
            let pointer_down = ui.input(|i| i.pointer.any_down());
            if editing && !pointer_down && rgb != tag.color.0 {
                intents.push(update(tag, |t| t.color = Rgb(rgb)));
                state.recolor = None;
            } else if editing && rgb == tag.color.0 && !pointer_down {
                state.recolor = None;
            }
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
                    if !r.has_focus() && !r.lost_focus() {
                        r.request_focus();
                    }
                    if r.lost_focus() {
                        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                            cancel = true;
                        } else {
                            commit = true;
                        }
                    }
                }
                if commit || cancel {
                    ui.memory_mut(|m| m.stop_text_input());
                }
                if commit
                    && let Some((_, _, buf)) = state.renaming.take()
                    && buf.trim() != tag.name
                    && !buf.trim().is_empty()
                {
                    intents.push(update(tag, |t| t.name = buf.trim().to_owned()));
                }
                if cancel {
                    state.renaming = None;
                }
            } else {
                let is_focused = focused.is_some_and(|(k, n)| *k == kind && n == &tag.name);
                let text = egui::RichText::new(&tag.name);
                let text = if kind == TagKind::Issue {
                    text.underline()
                } else {
                    text
                };
                let tip = match &tag.description {
                    Some(d) => {
                        format!("{kind}: {d}\nClick to focus (N / P), double-click to rename")
                    }
                    None => format!("{kind}\nClick to focus (N / P), double-click to rename"),
                };
                let r = ui.selectable_label(is_focused, text).on_hover_text(tip);
                if r.double_clicked() {
                    state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
                } else if r.clicked() {
                    intents.push(Intent::Workflow(WorkflowIntent::FocusTag(
                        (!is_focused).then(|| (kind, tag.name.clone())),
                    )));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let menu = ui.menu_button("…", |ui| {
                    tag_menu_ui(ui, cb, tag, count, state, intents);
                });
                let label = format!("Actions for {kind} {}", tag.name);
                menu.response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                ui.label(egui::RichText::new(count.to_string()).weak())
                    .on_hover_text("annotations with this tag or one of its children");
            });
        });
        let describing = state
            .describing
            .as_ref()
            .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
        if describing {
            let mut done = None;
            if let Some((_, _, buf)) = &mut state.describing {
                let label = ui.label(format!("Description of “{}”:", tag.name));
                let r = ui
                    .add(
                        egui::TextEdit::multiline(buf)
                            .desired_rows(2)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if state.describe_focus {
                    r.request_focus();
                    state.describe_focus = false;
                }
                ui.horizontal(|ui| {
                    if ui.button("Save description").clicked() {
                        done = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        done = Some(false);
                    }
                });
            }
            if done.is_some() {
                ui.memory_mut(|m| m.stop_text_input());
            }
            if let Some(save) = done
                && let Some((_, _, buf)) = state.describing.take()
                && save
            {
                let d = Some(buf.trim().to_owned()).filter(|d| !d.is_empty());
                if d != tag.description {
                    intents.push(update(tag, |t| t.description = d));
                }
            }
        }
    });
}

fn tag_menu_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    count: usize,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    if ui.button("Rename").clicked() {
        state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
        ui.close();
    }
    if ui.button("Edit description…").clicked() {
        state.describing = Some((
            kind,
            tag.name.clone(),
            tag.description.clone().unwrap_or_default(),
        ));
        state.describe_focus = true;
        ui.close();
    }
    let descendants = cb.with_descendants(kind, &tag.name);
    ui.menu_button("Parent", |ui| {
        if ui
            .add_enabled(tag.parent.is_some(), egui::Button::new("(top level)"))
            .clicked()
        {
            intents.push(update(tag, |t| t.parent = None));
            ui.close();
        }
        for p in cb.of_kind(kind).filter(|p| !descendants.contains(&p.name)) {
            let current = tag.parent.as_deref() == Some(p.name.as_str());
            if ui
                .add_enabled(!current, egui::Button::new(&p.name))
                .clicked()
            {
                intents.push(update(tag, |t| t.parent = Some(p.name.clone())));
                ui.close();
            }
        }
    });
    ui.menu_button("Merge into", |ui| {
        let mut any = false;
        for into in cb.of_kind(kind).filter(|t| t.name != tag.name) {
            any = true;
            if ui.button(&into.name).clicked() {
                intents.push(Intent::Execute(Command::MergeTags {
                    kind,
                    from: tag.name.clone(),
                    into: into.name.clone(),
                }));
                ui.close();
            }
        }
        if !any {
            ui.weak(format!("no other {kind}"));
        }
    });
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
}
