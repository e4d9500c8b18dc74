//! The annotation list: the selected annotation's details (excerpt, tags
//! with a remove button, editable note, delete) and a virtualised list of
//! every annotation (excerpt and tag chips; click to select and scroll).
//!
//! Invariants: only visible rows are built (`ScrollArea::show_rows`), so
//! the cost per frame does not grow with the number of annotations; the
//! rows a filter keeps and the selected row come from the derived state;
//! edits are pushed as commands. The note editor commits on focus loss or
//! `Ctrl+Enter`, discards on `Esc`, and shows the document's note again
//! whenever it changes while not being edited (an undo, say).

use crate::app::model::{
    AnnotationListState, Derived, DocIntent, Intent, ModalIntent, NoteBuffer, Reveal,
    SelectionIntent, ViewState,
};
use crate::core::annotation::Annotation;
use crate::core::annotation::Stance;
use crate::core::codebook::{Codebook, TagKind};
use crate::core::command::Command;
use crate::core::session::Session;
use egui::{Color32, RichText};

fn tag_color(cb: &Codebook, kind: TagKind, name: &str) -> Color32 {
    super::row_widgets::tag_color(cb, kind, name).unwrap_or(Color32::GRAY)
}

/// A short one-line excerpt of an annotation's quote.
pub fn excerpt(a: &Annotation, max: usize) -> String {
    crate::app::model::excerpt(&a.quote, max)
}

/// A tag chip of the selected annotation; returns true when its × (remove
/// the tag) was clicked.
fn chip(ui: &mut egui::Ui, color: Color32, kind: TagKind, name: &str) -> bool {
    let mut removed = false;
    // Kinds differ by shape, not colour alone: issues are filled and
    // underlined, actors are an outlined box.
    let frame = match kind {
        TagKind::Issue => egui::Frame::new()
            .fill(color.gamma_multiply(0.35))
            .corner_radius(2.0),
        TagKind::Actor => egui::Frame::new()
            .stroke(egui::Stroke::new(1.5, color))
            .corner_radius(8.0),
    };
    frame
        .inner_margin(egui::Margin::symmetric(4, 0))
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            let text = RichText::new(name).small();
            let text = if kind == TagKind::Issue {
                text.underline()
            } else {
                text
            };
            ui.label(text).on_hover_text(format!("{kind}: {name}"));
            {
                let r = ui
                    .small_button("×")
                    .on_hover_text(format!("Remove {kind} “{name}” from this annotation"));
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Remove {kind} {name}"),
                    )
                });
                if r.clicked() {
                    removed = true;
                }
            }
        });
    removed
}

/// A row's badges, stance and note mark, clipped to the list's width: a
/// row with many tags never widens the side panel (over the article).
fn badges_ui(ui: &mut egui::Ui, a: &Annotation, cb: &Codebook) {
    let h = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) =
        ui.allocate_exact_size(egui::vec2(ui.available_width(), h), egui::Sense::hover());
    // A child that the row does not grow by: what does not fit is cut.
    let mut row = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
    );
    row.set_clip_rect(rect.intersect(ui.clip_rect()));
    for kind in [TagKind::Issue, TagKind::Actor] {
        for name in a.tags(kind) {
            badge(&mut row, tag_color(cb, kind, name), kind, name);
        }
    }
    if let Some(s) = a.stance {
        row.label(RichText::new(s.as_str()).small().italics())
            .on_hover_text("stance");
    }
    if a.note.is_some() {
        row.label("note")
            .on_hover_text(a.note.as_deref().unwrap_or(""));
    }
}

/// A tag badge in a list row: painted (no child layout), drawn like a
/// [`chip`] without its ×; its tooltip and accessible label name the kind
/// and the tag. The list draws a few per visible row on every frame.
fn badge(ui: &mut egui::Ui, color: Color32, kind: TagKind, name: &str) {
    let font = egui::TextStyle::Small.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    let galley = ui
        .painter()
        .layout_no_wrap(name.to_owned(), font, text_color);
    let size = galley.size() + egui::vec2(8.0, 2.0);
    let (rect, resp) = ui.allocate_exact_size(size, egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        match kind {
            TagKind::Issue => {
                painter.rect_filled(rect, 2.0, color.gamma_multiply(0.35));
                let y = rect.bottom() - 2.0;
                painter.hline(
                    rect.left() + 4.0..=rect.right() - 4.0,
                    y,
                    egui::Stroke::new(1.0, text_color),
                );
            }
            TagKind::Actor => {
                painter.rect_stroke(
                    rect,
                    8.0,
                    egui::Stroke::new(1.5, color),
                    egui::StrokeKind::Inside,
                );
            }
        }
        painter.galley(rect.min + egui::vec2(4.0, 1.0), galley, text_color);
    }
    resp.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{kind}: {name}"))
    });
    resp.on_hover_ui(|ui| {
        ui.label(format!("{kind}: {name}"));
    });
}

/// Draws the selected annotation's details and the list of annotations.
pub fn annotation_list_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &ViewState,
    derived: &Derived,
    state: &mut AnnotationListState,
    intents: &mut Vec<Intent>,
) {
    let set = &session.set;
    ui.heading(format!("Annotations ({})", set.annotations().len()));
    let selected = derived.selected().and_then(|i| set.annotations().get(i));
    match selected {
        Some(a) => {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                details_ui(ui, &set.codebook, a, state, intents);
            });
        }
        None => {
            state.note = None;
            ui.weak("Select text and press Enter or T to tag it; click a highlight to select it.");
        }
    }
    ui.add_space(4.0);
    rows_ui(ui, session, view, derived, state, intents);
}

/// The selected annotation: excerpt, tags, stance, note, buttons.
fn details_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    a: &Annotation,
    state: &mut AnnotationListState,
    intents: &mut Vec<Intent>,
) {
    ui.label(RichText::new(excerpt(a, 300)).italics());
    ui.label(
        RichText::new(format!("{}–{}", a.start, a.end))
            .small()
            .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        for kind in [TagKind::Issue, TagKind::Actor] {
            for name in a.tags(kind) {
                if chip(ui, tag_color(cb, kind, name), kind, name) {
                    let cmd = Command::UntagAnnotation {
                        id: a.id.clone(),
                        kind,
                        name: name.clone(),
                    };
                    intents.push(DocIntent::Execute(cmd).into());
                }
            }
        }
        if ui
            .small_button("+ tag")
            .on_hover_text("Add a tag (Enter or T)")
            .clicked()
        {
            intents.push(ModalIntent::OpenTagPopup.into());
        }
    });
    ui.horizontal(|ui| {
        ui.label(format!(
            "Stance: {}",
            a.stance.map_or("unspecified", Stance::as_str)
        ));
        if ui
            .small_button("Cycle stance")
            .on_hover_text("Support, oppose, neutral, unspecified in turn (S)")
            .clicked()
        {
            let cmd = Command::SetStance {
                id: a.id.clone(),
                stance: Stance::cycle(a.stance),
            };
            intents.push(DocIntent::Execute(cmd).into());
        }
    });
    note_ui(ui, a, state, intents);
    ui.horizontal(|ui| {
        if ui
            .button("Delete annotation")
            .on_hover_text("Delete")
            .clicked()
        {
            let cmd = Command::DeleteAnnotation { id: a.id.clone() };
            intents.push(DocIntent::Execute(cmd).into());
        }
        if ui.button("Show in text").clicked() {
            let id = a.id.clone();
            let reveal = Reveal::InArticle;
            intents.push(SelectionIntent::SelectAnnotation { id, reveal }.into());
        }
    });
}

/// The note editor: committed on focus loss or `Ctrl+Enter`, discarded on
/// `Esc`.
fn note_ui(
    ui: &mut egui::Ui,
    a: &Annotation,
    state: &mut AnnotationListState,
    intents: &mut Vec<Intent>,
) {
    let id = egui::Id::unique(("note_editor", &a.id));
    let editing = ui.memory(|m| m.has_focus(id));
    let stale = state
        .note
        .as_ref()
        .is_none_or(|n| n.id != a.id || (!editing && n.original != a.note));
    if stale {
        state.note = Some(NoteBuffer {
            id: a.id.clone(),
            original: a.note.clone(),
            text: a.note.clone().unwrap_or_default(),
        });
    }
    let Some(buf) = &mut state.note else { return };
    let label = ui.label("Note:");
    // egui lets go of the field's focus on Esc before it is drawn: the
    // key is looked at (and kept from the article) here.
    let esc = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let ctrl_enter =
        editing && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
    let resp = ui
        .add(
            egui::TextEdit::multiline(&mut buf.text)
                .id(id)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .hint_text("a memo on this passage (Ctrl+Enter commits, Esc discards)"),
        )
        .labelled_by(label.id);
    if state.focus_note {
        resp.request_focus();
        state.focus_note = false;
    }
    if esc && (editing || resp.lost_focus()) {
        ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        buf.text = a.note.clone().unwrap_or_default();
        resp.surrender_focus();
        return;
    }
    if ctrl_enter {
        resp.surrender_focus();
    }
    if resp.lost_focus() || ctrl_enter {
        let new = Some(buf.text.trim_end().to_owned()).filter(|n| !n.trim().is_empty());
        if new != a.note {
            let cmd = Command::SetNote {
                id: buf.id.clone(),
                note: new.clone(),
            };
            buf.original = new;
            intents.push(DocIntent::Execute(cmd).into());
        }
    }
}

/// The virtualised list of annotations (the filtered ones when a filter
/// is active).
fn rows_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &ViewState,
    derived: &Derived,
    state: &mut AnnotationListState,
    intents: &mut Vec<Intent>,
) {
    let set = &session.set;
    let cb = &set.codebook;
    let row_h = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 8.0;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("annotation_list")
        .auto_shrink(false);
    let rows_idx = derived.filtered();
    let n_rows = rows_idx.map_or(set.annotations().len(), <[usize]>::len);
    // Its row in the list as shown (a filtered list skips rows; an
    // annotation the filter hides is not scrolled to).
    if std::mem::take(&mut state.scroll_to_selected)
        && let Some(i) = derived.selected()
        && let Some(r) = rows_idx.map_or(Some(i), |v| v.binary_search(&i).ok())
    {
        let spacing = ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset(((row_h + spacing) * r as f32 - 80.0).max(0.0));
    }
    if let Some(idx) = rows_idx {
        ui.weak(format!(
            "{} of {} match the filter",
            idx.len(),
            set.annotations().len()
        ));
    }
    area.show_rows(ui, row_h, n_rows, |ui, rows| {
        for row in rows {
            let i = rows_idx.map_or(row, |v| v[row]);
            let Some(a) = set.annotations().get(i) else {
                continue;
            };
            let is_sel = view.selected.as_deref() == Some(a.id.as_str());
            let resp = ui
                .push_id(&a.id, |ui| {
                    ui.set_height(row_h);
                    ui.vertical(|ui| {
                        let text = RichText::new(excerpt(a, 60));
                        let r = super::row_widgets::row_button(ui, is_sel, text);
                        badges_ui(ui, a, cb);
                        r
                    })
                    .inner
                })
                .inner;
            if resp.clicked() {
                let id = a.id.clone();
                let reveal = Reveal::InArticle;
                intents.push(SelectionIntent::SelectAnnotation { id, reveal }.into());
            }
        }
    });
}
