//! The text selection in the article and the keyboard motions that move
//! it, independent of any key binding or window.
//!
//! Invariants:
//! - Offsets are code points of the decoded text, half-open `[start, end)`;
//!   a CRLF line end counts as two code points (the caret can stand
//!   between them, as in the text's own indexes).
//! - A [`Selection`]'s `head` is the cursor; `anchor == head` is a caret.
//!   `anchor` may be after `head` (a selection made leftwards).
//! - Motions use [`crate::core::words`] for words and the text's line index
//!   for lines, so they cost the same on any size of article and work for
//!   every script. Results are clamped to `0..=len`.
//! - `Up`/`Down` keep the column (in code points from the line start),
//!   clamped to the target line's end; from the first line `Up` goes to 0,
//!   from the last line `Down` goes to the end of the text.

use super::text::Text;
use super::words;

/// A text selection: `anchor` stays put, `head` moves (code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: usize,
    /// The moving end (the cursor).
    pub head: usize,
}

impl Selection {
    /// A selection from `anchor` to `head` (either order).
    pub fn new(anchor: usize, head: usize) -> Selection {
        Selection { anchor, head }
    }

    /// An empty selection (a caret) at code point `cp`.
    pub fn caret(cp: usize) -> Selection {
        Selection {
            anchor: cp,
            head: cp,
        }
    }

    /// The selected range, start ≤ end.
    pub fn range(self) -> (usize, usize) {
        (self.anchor.min(self.head), self.anchor.max(self.head))
    }

    /// True when nothing is selected (a caret).
    pub fn is_empty(self) -> bool {
        self.anchor == self.head
    }
}

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
    /// "start" or "end" (for undo groups and messages).
    pub fn as_str(self) -> &'static str {
        match self {
            SpanEnd::Start => "start",
            SpanEnd::End => "end",
        }
    }
}

/// A cursor motion, whether it moves or extends the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Motion {
    /// One code point back.
    Left,
    /// One code point forward.
    Right,
    /// Same column on the previous line.
    Up,
    /// Same column on the next line.
    Down,
    /// To the start of this or the previous word.
    WordLeft,
    /// To the end of this or the next word.
    WordRight,
    /// To the start of the line.
    LineStart,
    /// To the end of the line's content (before `\n` or `\r\n`).
    LineEnd,
    /// To the start of the text.
    DocumentStart,
    /// To the end of the text.
    DocumentEnd,
}

/// Where the single offset `cp` goes under `m` (ignoring any selection).
pub fn move_point(text: &Text, cp: usize, m: Motion) -> usize {
    let len = text.len_chars();
    let cp = cp.min(len);
    let line = text.line_of_char(cp);
    match m {
        Motion::Left => cp.saturating_sub(1),
        Motion::Right => (cp + 1).min(len),
        Motion::WordLeft => words::prev_word_boundary(text, cp),
        Motion::WordRight => words::next_word_boundary(text, cp),
        Motion::LineStart => text.line_start(line),
        Motion::LineEnd => text.line_end(line),
        Motion::DocumentStart => 0,
        Motion::DocumentEnd => len,
        Motion::Up | Motion::Down => {
            let col = cp - text.line_start(line);
            let target = if m == Motion::Up {
                match line.checked_sub(1) {
                    Some(l) => l,
                    None => return 0,
                }
            } else if line + 1 < text.line_count() {
                line + 1
            } else {
                return len;
            };
            (text.line_start(target) + col).min(text.line_end(target))
        }
    }
}

/// The selection after moving (not extending) under `m`: a non-empty
/// selection collapses to its start on `Left` and to its end on `Right`, as
/// text editors do; otherwise the head moves and the selection collapses
/// there. The result is clamped to the text.
pub fn moved(text: &Text, sel: Selection, m: Motion) -> Selection {
    let (s, e) = sel.range();
    let len = text.len_chars();
    let head = match m {
        Motion::Left if s != e => s.min(len),
        Motion::Right if s != e => e.min(len),
        _ => move_point(text, sel.head, m),
    };
    Selection::caret(head)
}

/// The selection after extending under `m`: the anchor stays (as given),
/// the head moves.
pub fn extended(text: &Text, sel: Selection, m: Motion) -> Selection {
    Selection {
        anchor: sel.anchor,
        head: move_point(text, sel.head, m),
    }
}

/// The word (or run of space or punctuation) around `cp`, selected from
/// its start to its end (see [`words::word_at`]).
pub fn word_selection(text: &Text, cp: usize) -> Selection {
    let (s, e) = words::word_at(text, cp);
    Selection::new(s, e)
}

/// The selected annotation's span after moving its `end` under `m`;
/// `None` when the span would become empty or inverted, or would not
/// change.
pub fn adjust_span(
    text: &Text,
    span: (usize, usize),
    end: SpanEnd,
    m: Motion,
) -> Option<(usize, usize)> {
    let (s, e) = span;
    let new = match end {
        SpanEnd::Start => (move_point(text, s, m), e),
        SpanEnd::End => (s, move_point(text, e, m)),
    };
    (new.0 < new.1 && new != span).then_some(new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::markup;

    /// The text and selection of `marked`: a caret `|`, or a range `[…]`
    /// selected forwards, or `[|…]` selected backwards (head at the start).
    fn parse(marked: &str) -> (Text, Selection) {
        let (text, ranges) = markup::parse(marked);
        let sel = match ranges[..] {
            [(p, q)] if p == q => Selection::caret(p),
            [(s, e)] => Selection::new(s, e),
            [(p, p2), (s, e)] if p == p2 && p == s && s < e => Selection::new(e, s),
            _ => panic!("not one selection: {marked:?}"),
        };
        (text, sel)
    }

    /// `sel` in `text`, marked up the way [`parse`] reads it.
    fn render(text: &Text, sel: Selection) -> String {
        let (s, e) = sel.range();
        let mut out = String::new();
        for (i, c) in text.as_str().chars().enumerate() {
            if i == s {
                out.push_str(match (s == e, sel.head == s) {
                    (true, _) => "|",
                    (false, true) => "[|",
                    (false, false) => "[",
                });
            }
            if i == e && s != e {
                out.push(']');
            }
            out.push(c);
        }
        let len = text.len_chars();
        if s == len {
            out.push('|');
        } else if e == len && s != e {
            out.push(']');
        }
        out
    }

    fn run(marked: &str, f: impl Fn(&Text, Selection) -> Selection) -> String {
        let (text, sel) = parse(marked);
        render(&text, f(&text, sel))
    }

    fn mv(marked: &str, m: Motion) -> String {
        run(marked, |t, s| moved(t, s, m))
    }

    fn ext(marked: &str, m: Motion) -> String {
        run(marked, |t, s| extended(t, s, m))
    }

    fn span(marked: &str, end: SpanEnd, m: Motion) -> Option<String> {
        let (text, ranges) = markup::parse(marked);
        let [(s, e)] = ranges[..] else {
            panic!("not one span: {marked:?}");
        };
        adjust_span(&text, (s, e), end, m).map(|(s, e)| render(&text, Selection::new(s, e)))
    }

    #[test]
    fn markup_round_trips() {
        for m in [
            "The |ISI",
            "The [ISI] met",
            "[|The I]SI",
            "ISI|",
            "[ISI]",
            "|",
        ] {
            assert_eq!(run(m, |_, s| s), m);
        }
    }

    #[test]
    fn selection_basics() {
        let s = Selection::new(7, 4);
        assert_eq!(s.range(), (4, 7));
        assert!(!s.is_empty());
        assert!(Selection::caret(3).is_empty());
        assert_eq!(Selection::caret(3).range(), (3, 3));
        assert_eq!(SpanEnd::default(), SpanEnd::End);
        assert_eq!(SpanEnd::Start.as_str(), "start");
        assert_eq!(SpanEnd::End.as_str(), "end");
    }

    #[test]
    fn motions_move_extend_and_collapse() {
        let doc = "The ISI met.\nThe CIA";
        assert_eq!(
            mv("The |ISI met.\nThe CIA", Motion::Right),
            "The I|SI met.\nThe CIA"
        );
        assert_eq!(
            mv("The [ISI] met.\nThe CIA", Motion::Left),
            "The |ISI met.\nThe CIA"
        );
        assert_eq!(
            mv("The [|ISI] met.\nThe CIA", Motion::Right),
            "The ISI| met.\nThe CIA"
        );
        assert_eq!(
            ext("The [I]SI met.\nThe CIA", Motion::WordRight),
            "The [ISI] met.\nThe CIA"
        );
        assert_eq!(
            ext("The I|SI met.\nThe CIA", Motion::LineEnd),
            "The I[SI met.]\nThe CIA"
        );
        assert_eq!(
            ext("The I|SI met.\nThe CIA", Motion::LineStart),
            "[|The I]SI met.\nThe CIA"
        );
        let (t, sel) = parse("The I|SI met.\nThe CIA");
        assert_eq!(
            render(&t, word_selection(&t, sel.head)),
            "The [ISI] met.\nThe CIA"
        );
        assert_eq!(
            mv("The I[SI] met.\nThe CIA", Motion::DocumentEnd),
            format!("{doc}|")
        );
        assert_eq!(
            ext("The I[SI] met.\nThe CIA", Motion::DocumentStart),
            "[|The I]SI met.\nThe CIA"
        );
        // moving down or up from a selection collapses at the moved head
        assert_eq!(
            mv("The [I]SI met.\nThe CIA", Motion::Down),
            "The ISI met.\nThe C|IA"
        );
    }

    #[test]
    fn up_and_down_keep_the_column() {
        assert_eq!(
            mv("The I|SI met.\nThe CIA", Motion::Down),
            "The ISI met.\nThe C|IA"
        );
        assert_eq!(
            mv("The ISI met.\nThe C|IA", Motion::Up),
            "The I|SI met.\nThe CIA"
        );
        assert_eq!(
            mv("Th|e ISI met.\nThe CIA", Motion::Up),
            "|The ISI met.\nThe CIA"
        );
        assert_eq!(
            mv("The ISI met.\nTh|e CIA", Motion::Down),
            "The ISI met.\nThe CIA|"
        );
    }

    #[test]
    fn up_and_down_clamp_to_the_line_end() {
        assert_eq!(
            mv(
                "Talks resumed|\nin Doha\ntoday, officials said",
                Motion::Down
            ),
            "Talks resumed\nin Doha|\ntoday, officials said"
        );
        // the column is not remembered: from the clamped position, down
        // keeps the new column
        assert_eq!(
            mv(
                "Talks resumed\nin Doha|\ntoday, officials said",
                Motion::Down
            ),
            "Talks resumed\nin Doha\ntoday, |officials said"
        );
        assert_eq!(mv("Talks\n\nresu|med", Motion::Up), "Talks\n|\nresumed");
    }

    #[test]
    fn crlf_line_ends_count_two_code_points() {
        // the line's end is before the `\r`
        assert_eq!(mv("a|b\r\ncd\r\nxyz", Motion::LineEnd), "ab|\r\ncd\r\nxyz");
        // down from the end of a longer line clamps before the `\r`
        assert_eq!(mv("xy|z\r\ncd\r\nxyz", Motion::Down), "xyz\r\ncd|\r\nxyz");
        assert_eq!(mv("ab\r\ncd|\r\nxyz", Motion::Up), "ab|\r\ncd\r\nxyz");
        // right from the line end steps over `\r`, then `\n`
        let (t, sel) = parse("ab|\r\ncd");
        assert_eq!(move_point(&t, sel.head, Motion::Right), 3);
        assert_eq!(move_point(&t, 3, Motion::Right), 4);
        assert_eq!(mv("ab\r\n|cd", Motion::Left), "ab\r|\ncd");
        assert_eq!(mv("ab\r\nc|d", Motion::LineStart), "ab\r\n|cd");
        // the line break is no word: word motions jump over it
        assert_eq!(mv("a|b\r\ncd", Motion::WordRight), "ab|\r\ncd");
        assert_eq!(mv("ab|\r\ncd", Motion::WordRight), "ab\r\ncd|");
        assert_eq!(mv("ab\r\n|cd", Motion::WordLeft), "|ab\r\ncd");
    }

    #[test]
    fn multi_byte_lines_move_by_code_points() {
        // "Urdu language" / "Pakistan said"
        let doc = "اردو زبان\nپاکستان نے کہا";
        assert_eq!(
            mv("ار|دو زبان\nپاکستان نے کہا", Motion::Down),
            "اردو زبان\nپا|کستان نے کہا"
        );
        assert_eq!(
            mv("اردو زبان\nپاکستان نے کہا|", Motion::Up),
            "اردو زبان|\nپاکستان نے کہا"
        );
        assert_eq!(
            mv("اردو |زبان\nپاکستان نے کہا", Motion::WordRight),
            "اردو زبان|\nپاکستان نے کہا"
        );
        assert_eq!(
            ext("اردو |زبان\nپاکستان نے کہا", Motion::WordLeft),
            "[|اردو ]زبان\nپاکستان نے کہا"
        );
        assert_eq!(
            mv("|اردو زبان\nپاکستان نے کہا", Motion::Left),
            format!("|{doc}")
        );
        assert_eq!(mv(&format!("{doc}|"), Motion::Right), format!("{doc}|"));
        assert_eq!(
            mv("Pakistan’s “fr|enemies”", Motion::WordRight),
            "Pakistan’s “frenemies|”"
        );
        assert_eq!(
            mv("Pakistan’s “fr|enemies”", Motion::WordLeft),
            "Pakistan’s “|frenemies”"
        );
        assert_eq!(
            mv("Pakist|an’s “frenemies”", Motion::WordLeft),
            "|Pakistan’s “frenemies”"
        );
    }

    #[test]
    fn stale_offsets_clamp_to_the_text() {
        let (t, _) = parse("The ISI|");
        assert_eq!(move_point(&t, 99, Motion::Left), 6);
        assert_eq!(move_point(&t, 99, Motion::Down), 7);
        assert_eq!(
            render(&t, moved(&t, Selection::new(2, 99), Motion::Right)),
            "The ISI|"
        );
    }

    #[test]
    fn annotation_ends_move_and_never_invert() {
        let doc = "The [ISI] met the CIA";
        assert_eq!(
            span(doc, SpanEnd::End, Motion::WordRight).as_deref(),
            Some("The [ISI met] the CIA")
        );
        assert_eq!(
            span(doc, SpanEnd::Start, Motion::Left).as_deref(),
            Some("The[ ISI] met the CIA")
        );
        assert_eq!(span("The [I]SI met", SpanEnd::End, Motion::Left), None);
        assert_eq!(span("The [I]SI met", SpanEnd::Start, Motion::Right), None);
        assert_eq!(span("The [I]SI met", SpanEnd::Start, Motion::LineEnd), None);
        // nothing would change: at the text's end, or already at the line start
        assert_eq!(
            span("The ISI met the [CIA]", SpanEnd::End, Motion::Right),
            None
        );
        assert_eq!(span("[The] ISI", SpanEnd::Start, Motion::LineStart), None);
        assert_eq!(
            span("The [ISI]\nmet", SpanEnd::End, Motion::Down).as_deref(),
            Some("The [ISI\nmet]")
        );
    }
}
