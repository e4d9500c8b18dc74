//! The find bar (Ctrl+F): case-insensitive plain-text search; `Enter`
//! selects the next match (`Shift+Enter` the previous), `Esc` closes the
//! bar and keeps the selection.
//!
//! Invariants: matches are code-point ranges, sorted, non-overlapping; the
//! case-folded copy of the text maps each char to exactly one char, so
//! offsets in it equal offsets in the text.

use crate::app::{Intent, ViewState};
use crate::core::text::Text;
use egui::{Key, Modifiers};

/// Most matches reported (the count says "10000+").
pub const MAX_MATCHES: usize = 10_000;

/// The find bar's state.
#[derive(Debug, Default)]
pub struct FindState {
    /// The bar is shown.
    pub open: bool,
    /// The query.
    pub query: String,
    /// Focus the field in the next frame.
    pub request_focus: bool,
    /// The field had keyboard focus in the last frame.
    pub has_focus: bool,
    /// (sha256 of the text, its case-folded copy).
    folded: Option<(String, String)>,
}

fn fold(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

impl FindState {
    /// Forgets the query and cached text (another article was opened).
    pub fn reset(&mut self) {
        *self = FindState::default();
    }

    /// All matches of the query in `text` (case-insensitive).
    pub fn search(&mut self, text: &Text) -> Vec<(usize, usize)> {
        let q: String = self.query.chars().map(fold).collect();
        if q.is_empty() {
            return Vec::new();
        }
        if self.folded.as_ref().is_none_or(|(h, _)| h != text.sha256()) {
            let f: String = text.as_str().chars().map(fold).collect();
            self.folded = Some((text.sha256().to_owned(), f));
        }
        let Some((_, hay)) = &self.folded else {
            return Vec::new();
        };
        let qn = q.chars().count();
        let mut out = Vec::new();
        let mut last_byte = 0;
        let mut last_char = 0;
        for (b, _) in hay.match_indices(q.as_str()) {
            last_char += hay[last_byte..b].chars().count();
            last_byte = b;
            out.push((last_char, last_char + qn));
            if out.len() >= MAX_MATCHES {
                break;
            }
        }
        out
    }
}

/// Draws the find bar.
pub fn find_bar_ui(
    ui: &mut egui::Ui,
    find: &mut FindState,
    view: &ViewState,
    intents: &mut Vec<Intent>,
) {
    ui.horizontal(|ui| {
        ui.label("Find:");
        let edit = egui::TextEdit::singleline(&mut find.query)
            .hint_text("text to find")
            .desired_width(280.0);
        let resp = ui
            .add(edit)
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
        let n = view.find_matches.len();
        let count = match (n, view.find_current) {
            (0, _) if find.query.is_empty() => String::new(),
            (0, _) => "no match".to_owned(),
            (n, Some(i)) => format!(
                "{} of {}{}",
                i + 1,
                n,
                if n >= MAX_MATCHES { "+" } else { "" }
            ),
            (1, None) => "1 match".to_owned(),
            (n, None) => format!("{n}{} matches", if n >= MAX_MATCHES { "+" } else { "" }),
        };
        ui.label(count);
        if ui.button("Next").clicked() {
            intents.push(Intent::FindNext(true));
        }
        if ui.button("Previous").clicked() {
            intents.push(Intent::FindNext(false));
        }
        if ui.button("×").on_hover_text("Close (Esc)").clicked() {
            intents.push(Intent::CloseFind);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitively_in_code_points() {
        let t = Text::new("Ünïcode and ünïCODE, ÜNÏCODE".to_owned());
        let mut f = FindState {
            query: "üNÏcode".into(),
            ..Default::default()
        };
        assert_eq!(f.search(&t), [(0, 7), (12, 19), (21, 28)]);
        f.query = "zzz".into();
        assert!(f.search(&t).is_empty());
    }
}
