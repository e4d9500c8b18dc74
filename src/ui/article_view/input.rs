//! The pointer over the article: drag to select (snapped to whole words
//! unless Alt is held; the view scrolls at its edges), double-click for a
//! word, click to pick the shortest annotation under the pointer (or put
//! the cursor there), hover for a label of the annotations there.
//!
//! Invariant: positions become code points through the layout's hit-test
//! only; everything else is an intent.

use crate::app::model::{Intent, Reveal, SelectionIntent, Workspace};
use crate::core::index::SpanIndex;
use crate::core::query;
use crate::core::set::AnnotationSet;
use egui::{Pos2, Vec2, pos2};

/// Turns this frame's pointer on the article into intents.
pub fn pointer_ui(
    ui: &egui::Ui,
    ws: &mut Workspace,
    response: &egui::Response,
    intents: &mut Vec<Intent>,
) {
    let ctx = ui.ctx().clone();
    let text = &ws.session.text;
    let set = &ws.session.set;
    let view = &mut ws.article;
    let min = view.content_min;
    let to_content = |p: Pos2| pos2(p.x - min.x, p.y - min.y);
    if response.drag_started()
        && let Some(p) = ui.input(|i| i.pointer.press_origin())
    {
        view.drag_anchor = Some(view.layout().cp_at(&ctx, text, to_content(p)));
    }
    if response.dragged()
        && let (Some(anchor), Some(p)) = (view.drag_anchor, response.interact_pointer_pos())
    {
        let head = view.layout().cp_at(&ctx, text, to_content(p));
        let (anchor, head) = if ui.input(|i| i.modifiers.alt) || anchor == head {
            (anchor, head)
        } else {
            let (s, e) = crate::core::words::snap_to_words(text, anchor, head);
            if head < anchor { (e, s) } else { (s, e) }
        };
        intents.push(SelectionIntent::Set { anchor, head }.into());
        auto_scroll(ui, p);
    }
    if response.drag_stopped() {
        view.drag_anchor = None;
    }
    if response.double_clicked() {
        if let Some(p) = response.interact_pointer_pos() {
            // The word of the character under the pointer.
            let cp = view.layout().hit(&ctx, text, to_content(p)).char;
            let (s, e) = crate::core::words::word_at(text, cp);
            if e > s {
                intents.push(SelectionIntent::Set { anchor: s, head: e }.into());
            }
        }
    } else if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        let hit = view.layout().hit(&ctx, text, to_content(p));
        let cp = hit.cursor;
        match query::annotation_at(set, ws.derived.index(), hit.char) {
            Some(a) => {
                let id = a.id.clone();
                let reveal = Reveal::InList;
                intents.push(SelectionIntent::SelectAnnotation { id, reveal }.into());
            }
            None => intents.push(
                SelectionIntent::Set {
                    anchor: cp,
                    head: cp,
                }
                .into(),
            ),
        }
        intents.push(SelectionIntent::SetCaret(cp).into());
    }
    if response.hovered()
        && view.drag_anchor.is_none()
        && let Some(p) = response.hover_pos()
    {
        let cp = view.layout().hit(&ctx, text, to_content(p)).char;
        let tip = hover_text(set, ws.derived.index(), cp);
        if !tip.is_empty() {
            response.clone().on_hover_text_at_pointer(tip);
        }
    }
}

/// Scrolls while a drag is near the view's top or bottom edge.
fn auto_scroll(ui: &egui::Ui, p: Pos2) {
    let clip = ui.clip_rect();
    let dy = if p.y < clip.top() + 10.0 {
        (clip.top() + 10.0 - p.y).min(40.0)
    } else if p.y > clip.bottom() - 10.0 {
        -(p.y - clip.bottom() + 10.0).min(40.0)
    } else {
        0.0
    };
    if dy != 0.0 {
        ui.scroll_with_delta(Vec2::new(0.0, dy));
        ui.ctx().request_repaint();
    }
}

/// The hover label of the annotations at code point `cp`: one line per
/// annotation, `issue: …; actor: …; stance: …`, then its note.
pub fn hover_text(set: &AnnotationSet, index: &SpanIndex, cp: usize) -> String {
    let mut lines = Vec::new();
    let n = set.annotations().len();
    for i in index.overlapping(cp, cp).filter(|&i| i < n).take(6) {
        let a = &set.annotations()[i];
        let mut parts = Vec::new();
        for t in &a.issues {
            parts.push(format!("issue: {t}"));
        }
        for t in &a.actors {
            parts.push(format!("actor: {t}"));
        }
        if parts.is_empty() {
            parts.push("untagged".to_owned());
        }
        if let Some(s) = a.stance {
            parts.push(format!("stance: {}", s.as_str()));
        }
        lines.push(parts.join("; "));
        if let Some(note) = &a.note {
            lines.push(format!("  note: {note}"));
        }
    }
    lines.join("\n")
}
