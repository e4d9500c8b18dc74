//! Applies [`SelectionIntent`]s: the text selection, the cursor, the
//! selected annotation, keyboard motions, next/previous annotation, the
//! annotations at the cursor and the find matches. The questions
//! (which annotation, where a motion goes) are answered by the core
//! (`core::selection`, `core::query`); this module only applies them.
//!
//! Invariants:
//! - Offsets are clamped to the text; an empty selection is a caret.
//! - Any change of the selected annotation reaches
//!   `Workspace::selection_changed`.
//! - With an annotation selected, extending moves one of its ends (a
//!   `SetSpan` command; nudging one end key by key is one undo step).

use super::MarginaliaApp;
use super::model::{Reveal, SelectionIntent, Status};
use super::workspace::Workspace;
use crate::core::command::Command;
use crate::core::query::{self, Direction};
use crate::core::selection::{self as sel, Motion, Selection, SpanEnd};

/// Applies one selection intent (nothing without an open document).
pub(super) fn apply(app: &mut MarginaliaApp, intent: SelectionIntent) {
    let Some(w) = &mut app.workspace else { return };
    match intent {
        SelectionIntent::Set { anchor, head } => {
            let len = w.session.text.len_chars();
            let head = head.min(len);
            w.view.selection = Some(Selection::new(anchor.min(len), head));
            w.view.caret = Some(head);
            w.view.article_keys = true;
            deselect(w);
        }
        SelectionIntent::Clear => {
            w.view.selection = None;
            deselect(w);
        }
        SelectionIntent::ClearOrCloseFind => {
            w.view.article_keys = true;
            if w.panels.find.open {
                super::view::close_find(w);
            } else {
                w.view.selection = None;
                deselect(w);
            }
        }
        SelectionIntent::SelectAnnotation { id, reveal } => select_annotation(app, &id, reveal),
        SelectionIntent::Move(m) => move_cursor(w, |t, s| sel::moved(t, s, m)),
        SelectionIntent::Extend(m) => extend(app, m),
        SelectionIntent::SelectWord => move_cursor(w, |t, s| sel::word_selection(t, s.head)),
        SelectionIntent::Page(d) => w.article.page(d == Direction::Forward),
        SelectionIntent::SetCaret(cp) => {
            w.view.caret = Some(cp.min(w.session.text.len_chars()));
            w.view.article_keys = true;
        }
        SelectionIntent::NextAnnotation(d) => next_annotation(app, d),
        SelectionIntent::CycleOverlapping => cycle_overlapping(app),
        SelectionIntent::SetAdjustEnd(end) => {
            w.view.adjust = end;
            app.status = Status::info(format!(
                "Shift+arrows now move the annotation's {}",
                end.as_str()
            ));
        }
        SelectionIntent::FindNext(d) => find_next(app, d),
        SelectionIntent::ScrollTo(cp) => w.article.scroll_to(cp),
    }
}

fn deselect(w: &mut Workspace) {
    if w.view.selected.take().is_some() {
        w.selection_changed();
    }
}

/// Selects annotation `id` and its span; scrolls the article or the list
/// to it.
pub(super) fn select_annotation(app: &mut MarginaliaApp, id: &str, reveal: Reveal) {
    let Some(w) = &mut app.workspace else { return };
    let Some(a) = w.session.set.get(id) else {
        return;
    };
    let (start, end) = (a.start, a.end);
    w.view.selection = Some(Selection::new(start, end));
    w.view.selected = Some(id.to_owned());
    w.view.article_keys = true;
    w.selection_changed();
    match reveal {
        Reveal::InArticle => w.article.scroll_to(start),
        Reveal::InList => w.panels.list.scroll_to_selected = true,
        Reveal::Everywhere => {
            w.panels.list.scroll_to_selected = true;
            w.article.reveal(start);
        }
    }
}

/// Applies a motion to the selection (or to a caret at the last cursor).
fn move_cursor(
    w: &mut Workspace,
    f: impl FnOnce(&crate::core::text::Text, Selection) -> Selection,
) {
    let cur = w
        .view
        .selection
        .unwrap_or_else(|| Selection::caret(w.view.caret.unwrap_or(0)));
    let next = f(&w.session.text, cur);
    w.view.selection = Some(next);
    w.view.caret = Some(next.head);
    deselect(w);
    w.article.reveal(next.head);
}

fn extend(app: &mut MarginaliaApp, m: Motion) {
    let Some(w) = &mut app.workspace else { return };
    let Some((id, span)) = w
        .view
        .selected
        .as_deref()
        .and_then(|id| w.session.set.get(id))
        .map(|a| (a.id.clone(), (a.start, a.end)))
    else {
        move_cursor(w, |t, s| sel::extended(t, s, m));
        return;
    };
    let end = w.view.adjust;
    let Some((start, stop)) = sel::adjust_span(&w.session.text, span, end, m) else {
        app.status = Status::info("The annotation cannot become empty");
        return;
    };
    let group = format!("span {id} {}", end.as_str());
    let cmd = Command::SetSpan {
        id: id.clone(),
        start,
        end: stop,
    };
    if super::document::run(app, cmd, Some(&group))
        && let Some(w) = &mut app.workspace
    {
        w.view.selection = Some(Selection::new(start, stop));
        w.view.selected = Some(id);
        w.selection_changed();
        w.article
            .reveal(if end == SpanEnd::End { stop } else { start });
    }
}

fn next_annotation(app: &mut MarginaliaApp, d: Direction) {
    let Some(w) = &app.workspace else { return };
    let set = &w.session.set;
    let point = w
        .view
        .selection
        .map_or(w.view.caret.unwrap_or(0), |x| x.head);
    let current = w.view.selected.as_deref();
    let found = match &w.view.focused_tag {
        Some((k, n)) => {
            let keep = query::tag_focus(&set.codebook, *k, n);
            query::next_annotation(set, current, point, d, keep)
        }
        None => query::next_annotation(set, current, point, d, |_| true),
    };
    match found.map(|a| a.id.clone()) {
        Some(id) => select_annotation(app, &id, Reveal::Everywhere),
        None => {
            app.status = Status::info(match &w.view.focused_tag {
                Some((k, n)) => format!("No annotation with the {k} “{n}”"),
                None => "No annotations yet".to_owned(),
            })
        }
    }
}

fn cycle_overlapping(app: &mut MarginaliaApp) {
    let Some(w) = &app.workspace else { return };
    let point = w
        .view
        .caret
        .or_else(|| w.view.selection.map(|x| x.head))
        .unwrap_or(0);
    let set = &w.session.set;
    let hit = query::cycle_overlapping(set, w.derived.index(), point, w.view.selected.as_deref());
    let Some(hit) = hit else {
        app.status = Status::info("No annotation at the cursor");
        return;
    };
    let id = set.annotations()[hit.index].id.clone();
    let caret = w.view.caret;
    select_annotation(app, &id, Reveal::Everywhere);
    if let Some(w) = &mut app.workspace {
        w.view.caret = caret.or(Some(point));
    }
    app.status = Status::info(format!(
        "Annotation {} of {} at the cursor",
        hit.position + 1,
        hit.count
    ));
}

fn find_next(app: &mut MarginaliaApp, d: Direction) {
    let Some(w) = &mut app.workspace else { return };
    if w.view.find_matches.is_empty() {
        super::view::update_find(w);
    }
    let m = &w.view.find_matches;
    if m.is_empty() {
        app.status = Status::info("No match");
        return;
    }
    let n = m.len();
    let forward = d == Direction::Forward;
    let idx = match w.view.find_current {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None => {
            let from = w.view.selection.map_or(0, |s| s.range().0);
            let i = m.partition_point(|x| x.0 < from);
            if forward { i % n } else { (i + n - 1) % n }
        }
    };
    let (a, b) = m[idx];
    w.view.find_current = Some(idx);
    w.view.selection = Some(Selection::new(a, b));
    deselect(w);
    w.article.scroll_to(a);
}
