//! The find bar (`Ctrl+F`): plain text or regular expression, with case,
//! whole-word and "in notes" options (`core::search`); a match count
//! "n of m"; `Enter` selects the next match (`Shift+Enter` the previous),
//! `Esc` closes the bar and keeps the selection; "Tag all matches…" opens
//! the review list.
//!
//! Invariants: matches are code-point ranges, sorted, non-overlapping,
//! non-empty, at most `core::search::MAX_MATCHES` (then `truncated`). In
//! notes, a match is the span of an annotation whose note matches.

use crate::app::model::{Action, FindState, Intent, SelectionIntent, ViewIntent, ViewState};
use crate::core::query::Direction;
use egui::{Key, Modifiers};

/// The count shown beside the field.
pub fn count_text(find: &FindState, view: &ViewState) -> String {
    let n = view.find_matches.len();
    let plus = if find.truncated { "+" } else { "" };
    match (n, view.find_current) {
        (0, _) if find.query.is_empty() => String::new(),
        (0, _) => "no match".to_owned(),
        (n, Some(i)) => format!("{} of {n}{plus}", i + 1),
        (1, None) => "1 match".to_owned(),
        (n, None) => format!("{n}{plus} matches"),
    }
}

/// Gives the query field the keyboard with its whole text selected, so
/// typing replaces the old query (as browsers and editors do).
fn focus_with_all_selected(ui: &egui::Ui, resp: &egui::Response, query: &str) {
    resp.request_focus();
    if let Some(mut st) = egui::TextEdit::load_state(ui.ctx(), resp.id) {
        let all = egui::text::CCursorRange::two(
            egui::text::CCursor::new(0),
            egui::text::CCursor::new(query.chars().count()),
        );
        st.cursor.set_char_range(Some(all));
        st.store(ui.ctx(), resp.id);
    }
}

/// Draws the find bar.
pub fn find_bar_ui(
    ui: &mut egui::Ui,
    find: &mut FindState,
    view: &ViewState,
    intents: &mut Vec<Intent>,
) {
    // A wrapped row in a new top panel puts its second line over the field
    // on the frame the panel first appears: that frame only measures the
    // bar (drawn invisible), the next one, asked for at once, shows it.
    if std::mem::take(&mut find.just_opened) {
        ui.set_invisible();
        ui.ctx().request_repaint();
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Find:");
        let edit = egui::TextEdit::singleline(&mut find.query)
            .hint_text(if find.options.regex {
                "regular expression"
            } else {
                "text to find"
            })
            .desired_width(280.0);
        let resp = ui
            .add(edit.id_salt("find_query"))
            .labelled_by(label.id)
            .on_hover_text("Enter: next match · Shift+Enter: previous · Esc: close");
        if find.request_focus {
            focus_with_all_selected(ui, &resp, &find.query);
            find.request_focus = false;
        }
        if resp.changed() {
            intents.push(ViewIntent::FindQueryChanged.into());
        }
        let focused = resp.has_focus() || resp.lost_focus();
        if focused {
            let (prev, next, esc) = ui.input_mut(|i| {
                let prev = i.consume_key(Modifiers::SHIFT, Key::Enter);
                let next = i.consume_key(Modifiers::NONE, Key::Enter);
                let esc = i.consume_key(Modifiers::NONE, Key::Escape);
                (prev, next, esc)
            });
            if prev || next {
                let d = if next {
                    Direction::Forward
                } else {
                    Direction::Backward
                };
                intents.push(SelectionIntent::FindNext(d).into());
                resp.request_focus();
            }
            if esc {
                intents.push(ViewIntent::CloseFind.into());
            }
        }
        find.has_focus = resp.has_focus();
        let mut changed = false;
        changed |= ui
            .checkbox(&mut find.options.case_sensitive, "Match case")
            .changed();
        changed |= ui
            .checkbox(&mut find.options.whole_word, "Whole word")
            .changed();
        changed |= ui.checkbox(&mut find.options.regex, "Regex").changed();
        changed |= ui
            .checkbox(&mut find.in_notes, "In notes")
            .on_hover_text("Find annotations whose note matches")
            .changed();
        if changed {
            intents.push(ViewIntent::FindQueryChanged.into());
            // The keyboard stays in the query: typing goes on there.
            resp.request_focus();
        }
        if let Some(e) = &find.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        } else {
            ui.label(count_text(find, view));
        }
        if ui.button("Next").clicked() {
            intents.push(SelectionIntent::FindNext(Direction::Forward).into());
        }
        if ui.button("Previous").clicked() {
            intents.push(SelectionIntent::FindNext(Direction::Backward).into());
        }
        if ui
            .add_enabled(
                !view.find_matches.is_empty(),
                egui::Button::new("Tag all matches…"),
            )
            .on_hover_text("Review the matches (Y / N) and tag them in one step")
            .clicked()
        {
            intents.push(Action::TagAllMatches.intent());
        }
        let close = ui.button("×").on_hover_text("Close (Esc)");
        close.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Close find bar"));
        if close.clicked() {
            intents.push(ViewIntent::CloseFind.into());
        }
    });
}
