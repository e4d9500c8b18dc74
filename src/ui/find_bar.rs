//! The find bar (`Ctrl+F`): plain text or regular expression, with case,
//! whole-word and "in notes" options (`core::search`); a match count
//! "n of m"; `Enter` selects the next match (`Shift+Enter` the previous),
//! `Esc` closes the bar and keeps the selection; "Tag all matches…" opens
//! the review list.
//!
//! Invariants: matches are code-point ranges, sorted, non-overlapping,
//! non-empty, at most `core::search::MAX_MATCHES` (then `truncated`). In
//! notes, a match is the span of an annotation whose note matches.

use crate::app::actions::Action;
use crate::app::{Intent, ViewState};
use crate::core::search::{self, SearchOptions};
use crate::core::session::Session;
use egui::{Key, Modifiers};

/// The find bar's state.
#[derive(Debug, Default)]
pub struct FindState {
    /// The bar is shown.
    pub open: bool,
    /// The query.
    pub query: String,
    /// Case, whole word, regex.
    pub options: SearchOptions,
    /// Search the annotations' notes instead of the article.
    pub in_notes: bool,
    /// Focus the field in the next frame.
    pub request_focus: bool,
    /// The field had keyboard focus in the last frame.
    pub has_focus: bool,
    /// Why the last search could not run (an invalid regex).
    pub error: Option<String>,
    /// The last search stopped at the match limit.
    pub truncated: bool,
}

impl FindState {
    /// Forgets the query (another article was opened).
    pub fn reset(&mut self) {
        *self = FindState::default();
    }

    /// All matches of the query (see the module invariants); sets
    /// [`FindState::error`] and [`FindState::truncated`].
    pub fn search(&mut self, session: &Session) -> Vec<(usize, usize)> {
        self.error = None;
        self.truncated = false;
        if self.in_notes {
            return match search::find_in_notes(&session.set, &self.query, self.options) {
                Ok(ids) => {
                    let mut spans: Vec<(usize, usize)> = ids
                        .iter()
                        .filter_map(|id| session.set.get(id))
                        .map(|a| (a.start, a.end))
                        .filter(|(s, e)| e > s)
                        .collect();
                    spans.sort_unstable();
                    spans.dedup();
                    spans
                }
                Err(e) => {
                    self.error = Some(e.to_string());
                    Vec::new()
                }
            };
        }
        match search::find_all(&session.text, &self.query, self.options) {
            Ok(m) => {
                self.truncated = m.truncated;
                m.ranges
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Vec::new()
            }
        }
    }
}

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

/// Draws the find bar.
pub fn find_bar_ui(
    ui: &mut egui::Ui,
    find: &mut FindState,
    view: &ViewState,
    intents: &mut Vec<Intent>,
) {
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
            .add(edit)
            .labelled_by(label.id)
            .on_hover_text("Enter: next match · Shift+Enter: previous · Esc: close");
        if find.request_focus {
            resp.request_focus();
            find.request_focus = false;
        }
        if resp.changed() {
            intents.push(Intent::FindQueryChanged);
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
                intents.push(Intent::FindNext(next));
                resp.request_focus();
            }
            if esc {
                intents.push(Intent::CloseFind);
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
            intents.push(Intent::FindQueryChanged);
        }
        if let Some(e) = &find.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        } else {
            ui.label(count_text(find, view));
        }
        if ui.button("Next").clicked() {
            intents.push(Intent::FindNext(true));
        }
        if ui.button("Previous").clicked() {
            intents.push(Intent::FindNext(false));
        }
        if ui
            .add_enabled(
                !view.find_matches.is_empty(),
                egui::Button::new("Tag all matches…"),
            )
            .on_hover_text("Review the matches (Y / N) and tag them in one step")
            .clicked()
        {
            intents.push(Intent::Action(Action::TagAllMatches));
        }
        let close = ui.button("×").on_hover_text("Close (Esc)");
        close.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Close find bar"));
        if close.clicked() {
            intents.push(Intent::CloseFind);
        }
    });
}
