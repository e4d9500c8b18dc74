//! Applies [`ViewIntent`]s: zoom, text size, theme, the side panel, the
//! filter, the focused tag, the find bar and the status line. None of
//! them changes the document.
//!
//! Invariants:
//! - Find matches are code-point ranges, sorted, non-overlapping,
//!   non-empty, at most `core::search::MAX_MATCHES` (then `truncated`); in
//!   notes, a match is the span of an annotation whose note matches.
//! - Opening the find bar selects its whole query, so typing replaces it,
//!   and shows the query's matches at once.

use super::MarginaliaApp;
use super::model::{MAX_FONT_SIZE, MIN_FONT_SIZE, Status, Step, ViewIntent, ZOOM_RANGE};
use super::workspace::Workspace;
use crate::core::search;

/// Applies one view intent.
pub(super) fn apply(app: &mut MarginaliaApp, intent: ViewIntent) {
    match intent {
        ViewIntent::Zoom(step) => {
            let z = match step {
                Step::Up => app.prefs.zoom * 1.1,
                Step::Down => app.prefs.zoom / 1.1,
                Step::Reset => 1.0,
            };
            app.prefs.zoom = z.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        }
        ViewIntent::FontSize(step) => {
            let pt = match step {
                Step::Up => app.prefs.font_size + 1.0,
                Step::Down => app.prefs.font_size - 1.0,
                Step::Reset => super::model::DEFAULT_FONT_SIZE,
            };
            app.prefs.font_size = pt.round().clamp(MIN_FONT_SIZE, MAX_FONT_SIZE);
            app.status = Status::info(format!("Article text: {} pt", app.prefs.font_size));
        }
        ViewIntent::ToggleTheme => app.prefs.dark = !app.prefs.dark,
        ViewIntent::ToggleSidePanel => {
            app.prefs.side_panel_hidden = !app.prefs.side_panel_hidden;
        }
        ViewIntent::SidePanelWidth(wd) => app.prefs.side_panel_width = wd,
        ViewIntent::Status(s) => app.status = s,
        ViewIntent::ToggleBlind => toggle_blind(app),
        other => {
            if let Some(w) = &mut app.workspace {
                apply_to_workspace(w, &mut app.prefs.side_panel_hidden, &mut app.status, other);
            }
        }
    }
}

/// Blind coding on or off; the open document is saved and opened again so
/// its set is split (or joined) accordingly.
fn toggle_blind(app: &mut MarginaliaApp) {
    if app.prefs.coder.is_none() && !app.prefs.blind {
        app.status = Status::info("Blind coding shows your annotations only: give your name first");
        app.push(super::model::ModalIntent::OpenCoderName);
        return;
    }
    if !super::files::saved_first(app) {
        return;
    }
    app.prefs.blind = !app.prefs.blind;
    let path = app
        .session()
        .and_then(|s| s.article_path.clone().or_else(|| s.set_path.clone()));
    if let Some(p) = path {
        super::files::open_now(app, &p);
    }
    if !app.prefs.blind {
        app.status = Status::info("Blind coding off: every coder's annotations are shown");
    }
}

/// The view intents that act on the open document's view.
fn apply_to_workspace(
    w: &mut Workspace,
    side_panel_hidden: &mut bool,
    status: &mut Status,
    intent: ViewIntent,
) {
    match intent {
        ViewIntent::ToggleShowOnly => {
            w.view.show_only = !w.view.show_only;
            w.panels.filter.show_only = w.view.show_only;
            w.filter_changed();
        }
        ViewIntent::SetFilter { filter, show_only } => {
            w.view.filter = filter;
            w.view.show_only = show_only;
            w.filter_changed();
        }
        ViewIntent::FocusTag(t) => {
            if let Some((k, n)) = &t {
                *status = Status::info(format!("Focused {k} “{n}”: N / P visit its annotations"));
            }
            w.view.focused_tag = t;
        }
        ViewIntent::OpenFind => {
            let f = &mut w.panels.find;
            let was_open = f.open;
            f.open = true;
            f.request_focus = true;
            f.just_opened = !was_open;
            if !was_open && !f.query.is_empty() {
                update_find(w);
            }
        }
        ViewIntent::CloseFind => close_find(w),
        ViewIntent::DismissAnchorBanner => w.anchor_banner = None,
        ViewIntent::FindQueryChanged => update_find(w),
        ViewIntent::EditNote => match super::document::selected_or_exact(w) {
            Some(id) => {
                if let Some(a) = w.session.set.get(&id) {
                    w.view.selection = Some(crate::core::selection::Selection::new(a.start, a.end));
                }
                w.view.selected = Some(id);
                w.selection_changed();
                *side_panel_hidden = false;
                w.panels.list.focus_note = true;
            }
            None => *status = Status::info("Select an annotation to edit its note"),
        },
        ViewIntent::Zoom(_)
        | ViewIntent::FontSize(_)
        | ViewIntent::ToggleTheme
        | ViewIntent::ToggleBlind
        | ViewIntent::ToggleSidePanel
        | ViewIntent::SidePanelWidth(_)
        | ViewIntent::Status(_) => {}
    }
}

/// Closes the find bar (keeps the selection).
pub(super) fn close_find(w: &mut Workspace) {
    w.panels.find.open = false;
    w.panels.find.has_focus = false;
    w.view.find_matches.clear();
    w.view.find_current = None;
}

/// Recomputes the find matches for the current query.
pub(super) fn update_find(w: &mut Workspace) {
    let f = &mut w.panels.find;
    let s = &w.session;
    f.error = None;
    f.truncated = false;
    let found = if f.in_notes {
        search::find_in_notes(&s.set, &f.query, f.options).map(|ids| {
            let mut spans: Vec<(usize, usize)> = ids
                .iter()
                .filter_map(|id| s.set.get(id))
                .map(|a| (a.start, a.end))
                .filter(|(a, b)| b > a)
                .collect();
            spans.sort_unstable();
            spans.dedup();
            spans
        })
    } else {
        search::find_all(&s.text, &f.query, f.options).map(|m| {
            f.truncated = m.truncated;
            m.ranges
        })
    };
    w.view.find_matches = match found {
        Ok(m) => m,
        Err(e) => {
            f.error = Some(e.to_string());
            Vec::new()
        }
    };
    w.view.find_current = None;
}
