//! Keyboard coding in the article view: the text cursor, selection
//! movement, and the plain-key actions of the action list (letters, digits,
//! arrows), which only act while no text field, popup or dialog has the
//! keyboard.
//!
//! Invariants:
//! - The cursor is the selection's `head`; an empty selection is a caret.
//! - Every motion uses [`crate::core::words`] for words and the text's
//!   line index for lines, so it costs the same on any size of article and
//!   works for every script. Results are clamped to `0..=len`.
//! - Keys are taken from [`Action::shortcuts`] in [`article_shortcut_order`] order
//!   (most modifiers first), so the shortcut shown in a menu, the palette
//!   and the README is the one handled here.

use super::actions::{Action, Menu, article_shortcut_order};
use super::{Intent, Selection};
use crate::core::text::Text;
use crate::core::words;

/// Which end of the selected annotation `Shift`+arrows move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SpanEnd {
    /// The start.
    Start,
    /// The end (default).
    #[default]
    End,
}

impl SpanEnd {
    /// "start" or "end".
    pub fn as_str(self) -> &'static str {
        match self {
            SpanEnd::Start => "start",
            SpanEnd::End => "end",
        }
    }
}

/// True for the motions that extend (rather than move) the selection.
pub fn is_extend(a: Action) -> bool {
    matches!(
        a,
        Action::ExtendLeft
            | Action::ExtendRight
            | Action::ExtendWordLeft
            | Action::ExtendWordRight
            | Action::ExtendLineStart
            | Action::ExtendLineEnd
            | Action::ExtendDocumentStart
            | Action::ExtendDocumentEnd
    )
}

/// True for every cursor or selection motion: the Select menu's actions
/// but clearing the selection and paging (which scrolls the view).
pub fn is_motion(a: Action) -> bool {
    a.menu() == Menu::Select
        && !matches!(
            a,
            Action::ClearSelection | Action::PageUp | Action::PageDown
        )
}

/// Where a single offset goes under a motion (ignoring the selection).
pub fn move_point(text: &Text, cp: usize, a: Action) -> usize {
    let len = text.len_chars();
    let cp = cp.min(len);
    let line = text.line_of_char(cp);
    match a {
        Action::CursorLeft | Action::ExtendLeft => cp.saturating_sub(1),
        Action::CursorRight | Action::ExtendRight => (cp + 1).min(len),
        Action::WordLeft | Action::ExtendWordLeft => words::prev_word_boundary(text, cp),
        Action::WordRight | Action::ExtendWordRight => words::next_word_boundary(text, cp),
        Action::LineStart | Action::ExtendLineStart => text.line_start(line),
        Action::LineEnd | Action::ExtendLineEnd => text.line_end(line),
        Action::DocumentStart | Action::ExtendDocumentStart => 0,
        Action::DocumentEnd | Action::ExtendDocumentEnd => len,
        Action::CursorUp | Action::CursorDown => {
            let col = cp - text.line_start(line);
            let target = if a == Action::CursorUp {
                match line.checked_sub(1) {
                    Some(l) => l,
                    None => return 0,
                }
            } else if line + 1 < text.line_count() {
                line + 1
            } else {
                return len;
            };
            let s = text.line_start(target);
            (s + col).min(text.line_end(target))
        }
        _ => cp,
    }
}

/// The selection after a motion. Moving (not extending) with a non-empty
/// selection collapses it to its start (left, up) or end (right, down)
/// first, as text editors do.
pub fn move_selection(text: &Text, sel: Selection, a: Action) -> Selection {
    if a == Action::SelectWord {
        let (s, e) = words::word_at(text, sel.head);
        return Selection { anchor: s, head: e };
    }
    if is_extend(a) {
        return Selection {
            anchor: sel.anchor,
            head: move_point(text, sel.head, a),
        };
    }
    let (s, e) = sel.range();
    let head = match a {
        Action::CursorLeft if s != e => s,
        Action::CursorRight if s != e => e,
        _ => move_point(text, sel.head, a),
    };
    Selection { anchor: head, head }
}

/// The selected annotation's span after moving `end` under an extend
/// motion; `None` when the span would become empty or inverted.
pub fn adjust_span(
    text: &Text,
    span: (usize, usize),
    end: SpanEnd,
    a: Action,
) -> Option<(usize, usize)> {
    let (s, e) = span;
    let new = match end {
        SpanEnd::Start => (move_point(text, s, a), e),
        SpanEnd::End => (s, move_point(text, e, a)),
    };
    (new.0 < new.1 && new != span).then_some(new)
}

/// Collects the article's plain-key actions pressed this frame (call only
/// when no text field, popup or dialog has the keyboard). Digits become
/// [`Intent::ApplyDigit`]; digits, `Enter` and `T` need a selection or a
/// selected annotation.
pub fn article_key_intents(ctx: &egui::Context, can_tag: bool) -> Vec<Intent> {
    let mut out = Vec::new();
    ctx.input_mut(|i| {
        for (a, s) in article_shortcut_order() {
            if matches!(a, Action::TagSelection | Action::ApplyDigit) && !can_tag {
                continue;
            }
            if i.consume_shortcut(&s) {
                if a == Action::ApplyDigit {
                    let d = a
                        .shortcuts()
                        .iter()
                        .position(|x| *x == s)
                        .map_or(1, |p| p as u8 + 1);
                    out.push(Intent::ApplyDigit(d));
                } else {
                    out.push(Intent::Action(a));
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(anchor: usize, head: usize) -> Selection {
        Selection { anchor, head }
    }

    #[test]
    fn motions_move_extend_and_collapse() {
        let t = Text::new("The ISI met.\nThe CIA".to_owned());
        assert_eq!(
            move_selection(&t, sel(4, 4), Action::CursorRight),
            sel(5, 5)
        );
        assert_eq!(move_selection(&t, sel(4, 7), Action::CursorLeft), sel(4, 4));
        assert_eq!(
            move_selection(&t, sel(4, 5), Action::ExtendWordRight),
            sel(4, 7)
        );
        assert_eq!(
            move_selection(&t, sel(5, 5), Action::ExtendLineEnd),
            sel(5, 12)
        );
        assert_eq!(
            move_selection(&t, sel(5, 5), Action::ExtendLineStart),
            sel(5, 0)
        );
        assert_eq!(move_selection(&t, sel(5, 5), Action::SelectWord), sel(4, 7));
        assert_eq!(
            move_selection(&t, sel(5, 7), Action::DocumentEnd),
            sel(t.len_chars(), t.len_chars())
        );
        assert_eq!(
            move_selection(&t, sel(5, 7), Action::ExtendDocumentStart),
            sel(5, 0)
        );
        assert_eq!(move_point(&t, 5, Action::CursorDown), 18);
        assert_eq!(move_point(&t, 18, Action::CursorUp), 5);
        assert_eq!(move_point(&t, 2, Action::CursorUp), 0);
        assert_eq!(move_point(&t, 15, Action::CursorDown), t.len_chars());
    }

    #[test]
    fn annotation_ends_move_and_never_invert() {
        let t = Text::new("The ISI met the CIA".to_owned());
        assert_eq!(
            adjust_span(&t, (4, 7), SpanEnd::End, Action::ExtendWordRight),
            Some((4, 11))
        );
        assert_eq!(
            adjust_span(&t, (4, 7), SpanEnd::Start, Action::ExtendLeft),
            Some((3, 7))
        );
        assert_eq!(
            adjust_span(&t, (4, 5), SpanEnd::End, Action::ExtendLeft),
            None
        );
    }
}
