//! "Tag all matches" review window: every find match with its context and
//! a checkbox; `Y` accepts and `N` skips the current match (`Backspace`
//! goes back) while no text field has focus; the tag is chosen by name
//! (an existing tag, or a new one of the chosen kind) like in the tag
//! popup; "Apply" tags every accepted match in one undoable step.
//!
//! Invariant: the window edits only its own review state; the document is
//! changed by the app through `core::tag_all::tag_all_command`.

use crate::app::model::{DocIntent, Intent, ModalIntent, TagAllState};
use crate::core::session::Session;
use crate::core::text::Text;
use egui::{Key, Modifiers};

/// Code points of context shown on each side of a match.
const CONTEXT: usize = 30;

/// One line of context around `(s, e)`: `…before [match] after…`.
pub fn context_line(text: &Text, s: usize, e: usize) -> String {
    let lo = s.saturating_sub(CONTEXT);
    let hi = (e + CONTEXT).min(text.len_chars());
    let clean = |x: &str| -> String {
        x.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    format!(
        "{}{}[{}]{}{}",
        if lo > 0 { "…" } else { "" },
        clean(text.slice(lo, s)),
        clean(text.slice(s, e)),
        clean(text.slice(e, hi)),
        if hi < text.len_chars() { "…" } else { "" }
    )
}

/// Draws the review window.
pub fn tag_all_ui(
    ctx: &egui::Context,
    session: &Session,
    state: &mut TagAllState,
    intents: &mut Vec<Intent>,
) {
    if !ctx.egui_wants_keyboard_input() {
        ctx.input_mut(|i| {
            if i.consume_key(Modifiers::NONE, Key::Y) {
                state.review.accept();
            }
            if i.consume_key(Modifiers::NONE, Key::N) {
                state.review.skip();
            }
            if i.consume_key(Modifiers::NONE, Key::Backspace) {
                state.review.back();
            }
        });
    }
    let total = state.review.matches.len();
    let mut open = true;
    egui::Window::new("Tag all matches")
        .id(egui::Id::unique("tag_all_window"))
        .open(&mut open)
        .default_width(560.0)
        .default_height(480.0)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(format!(
                "“{}”: {} of {} matches accepted. Y accepts, N skips, Backspace goes back; click a box to flip it.",
                state.query,
                state.review.accepted_count(),
                total
            ));
            tag_chooser_ui(ui, session, state);
            ui.horizontal(|ui| {
                if ui.button("Accept all").clicked() {
                    state.review.set_all(true);
                }
                if ui.button("Skip all").clicked() {
                    state.review.set_all(false);
                }
                let n = state.review.accepted_count();
                let can = n > 0 && !state.name.trim().is_empty();
                if ui
                    .add_enabled(can, egui::Button::new(format!("Apply to {n} matches")))
                    .clicked()
                {
                    intents.push(
                        DocIntent::TagAllAccepted {
                            kind: state.kind,
                            name: state.name.trim().to_owned(),
                        }
                        .into(),
                    );
                }
                if ui.button("Cancel").clicked() {
                    intents.push(ModalIntent::Close.into());
                }
            });
            ui.separator();
            match_rows_ui(ui, &session.text, state);
        });
    if !open {
        intents.push(ModalIntent::Close.into());
    }
}

/// The tag to apply: a name (existing or new) and its kind, with the
/// existing tags that match the typed name.
fn tag_chooser_ui(ui: &mut egui::Ui, session: &Session, state: &mut TagAllState) {
    ui.horizontal(|ui| {
        let label = ui.label("Tag:");
        let r = ui.add(
            egui::TextEdit::singleline(&mut state.name)
                .hint_text("tag name (existing or new)")
                .desired_width(200.0),
        );
        r.labelled_by(label.id);
        let kind_text = format!("kind: {}", state.kind);
        if ui
            .button(kind_text)
            .on_hover_text("Switch between issue and actor")
            .clicked()
        {
            state.kind = state.kind.toggled();
        }
    });
    // Existing tags matching the typed name.
    let q = state.name.trim().to_lowercase();
    ui.horizontal_wrapped(|ui| {
        for t in session
            .set
            .codebook
            .tags()
            .iter()
            .filter(|t| q.is_empty() || t.name.to_lowercase().contains(&q))
        {
            let chosen = t.kind == state.kind && t.name == state.name.trim();
            if ui
                .selectable_label(chosen, format!("{} ({})", t.name, t.kind))
                .clicked()
            {
                state.name = t.name.clone();
                state.kind = t.kind;
            }
        }
    });
    let exists = session
        .set
        .codebook
        .get(state.kind, state.name.trim())
        .is_some();
    if !state.name.trim().is_empty() && !exists {
        ui.weak(format!(
            "A new {} “{}” will be created.",
            state.kind,
            state.name.trim()
        ));
    }
}

/// One row per match with its context and a box to accept or skip it.
fn match_rows_ui(ui: &mut egui::Ui, text: &Text, state: &mut TagAllState) {
    let total = state.review.matches.len();
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let cursor = state.review.cursor;
    egui::ScrollArea::vertical()
        .id_salt("tag_all_rows")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, total, |ui, rows| {
            for i in rows {
                let (s, e) = state.review.matches[i];
                let mut yes = state.review.accepted[i];
                let marker = if i == cursor { "> " } else { "" };
                let r = ui.checkbox(&mut yes, format!("{marker}{}", context_line(text, s, e)));
                if i == cursor {
                    r.scroll_to_me(None);
                }
                if r.changed() {
                    state.review.toggle(i);
                    state.review.move_to(i);
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_marks_the_match() {
        let t = Text::new("The ISI met the CIA.".to_owned());
        assert_eq!(context_line(&t, 4, 7), "The [ISI] met the CIA.");
    }
}
