//! Word boundaries for every script: double-click selects a word,
//! `Ctrl+Shift+arrows` move by words, and mouse selections snap to words.
//!
//! Invariants:
//! - Words are UAX #29 word segments (the `unicode-segmentation` crate), so
//!   Latin, Arabic-script (Urdu, Pashto, Dari), CJK (one ideograph per
//!   word), emoji sequences and CRLF (one segment) all behave.
//! - A segment is *word-like* when it holds a letter or digit
//!   (`char::is_alphanumeric`) or an emoji (U+2600–U+27BF, U+1F000–U+1FAFF);
//!   white space and punctuation segments are not.
//! - Every function works on a window of [`WINDOW`] code points on each side
//!   of the offset it is given, never on the whole text, so it costs the
//!   same on a 5 MB article as on a tweet. A word longer than the window is
//!   cut at the window's edge, and movement by words jumps at most
//!   [`WINDOW`] code points when no word is in reach.
//! - Inputs are code points (clamped to the text); outputs are code points
//!   in `0..=len`, always between two characters.

use super::text::Text;
use unicode_segmentation::UnicodeSegmentation;

/// Code points examined on each side of an offset.
pub const WINDOW: usize = 512;

/// One word segment, in code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    start: usize,
    end: usize,
    word: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF)
}

/// The UAX #29 segments of the window `offset ± WINDOW`, plus the window.
fn segments(text: &Text, offset: usize) -> (Vec<Segment>, usize, usize) {
    let len = text.len_chars();
    let lo = offset.saturating_sub(WINDOW).min(len);
    let hi = (offset + WINDOW).min(len);
    let mut out = Vec::new();
    let mut pos = lo;
    for seg in text.slice(lo, hi).split_word_bounds() {
        let n = seg.chars().count();
        out.push(Segment {
            start: pos,
            end: pos + n,
            word: seg.chars().any(is_word_char),
        });
        pos += n;
    }
    (out, lo, hi)
}

/// The segment holding code point `c` (`c < len`).
fn segment_at(segs: &[Segment], c: usize) -> Option<Segment> {
    let i = segs.partition_point(|s| s.end <= c);
    segs.get(i).copied()
}

/// The word segment around `offset` (for double-click): `(start, end)`. On
/// white space or punctuation it is that run or mark. At the end of the
/// text it is the last segment; an empty text gives `(0, 0)`.
pub fn word_at(text: &Text, offset: usize) -> (usize, usize) {
    let len = text.len_chars();
    if len == 0 {
        return (0, 0);
    }
    let c = offset.min(len - 1);
    let (segs, _, _) = segments(text, c);
    match segment_at(&segs, c) {
        Some(s) => (s.start, s.end),
        None => (c, c + 1),
    }
}

/// Where `Ctrl+Right` goes: the end of the word holding `offset` or, from
/// white space or punctuation, the end of the next word. The end of the
/// window (or text) when no word follows.
pub fn next_word_boundary(text: &Text, offset: usize) -> usize {
    let offset = offset.min(text.len_chars());
    let (segs, _, hi) = segments(text, offset);
    segs.iter()
        .find(|s| s.word && s.end > offset)
        .map_or(hi, |s| s.end)
}

/// Where `Ctrl+Left` goes: the start of the word holding `offset - 1` or,
/// from white space or punctuation, the start of the previous word. The
/// start of the window (or text) when no word precedes.
pub fn prev_word_boundary(text: &Text, offset: usize) -> usize {
    let offset = offset.min(text.len_chars());
    let (segs, lo, _) = segments(text, offset);
    segs.iter()
        .rev()
        .find(|s| s.word && s.start < offset)
        .map_or(lo, |s| s.start)
}

/// Snaps a selection to whole words (unless the user holds `Alt`): white
/// space at either end is dropped, then a start inside a word moves back to
/// that word's start and an end inside a word moves forward to its end.
/// The arguments may be in either order; the result is ordered. An empty
/// or all-white-space selection is returned ordered but otherwise as is.
pub fn snap_to_words(text: &Text, start: usize, end: usize) -> (usize, usize) {
    let len = text.len_chars();
    let (mut s, mut e) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    s = s.min(len);
    e = e.min(len);
    if s == e {
        return (s, e);
    }
    let sel = text.slice(s, e);
    let trimmed_front = sel.trim_start();
    if trimmed_front.is_empty() {
        return (s, e);
    }
    s += sel[..sel.len() - trimmed_front.len()].chars().count();
    let trimmed = trimmed_front.trim_end();
    e -= trimmed_front[trimmed.len()..].chars().count();
    let (segs, _, _) = segments(text, s);
    // A segment may begin with white space (a lone Extend mark after a
    // space joins it): never expand onto white space.
    let solid = |a: usize, b: usize| {
        let w = text.slice(a, b);
        !w.starts_with(char::is_whitespace) && !w.ends_with(char::is_whitespace)
    };
    if let Some(seg) = segment_at(&segs, s).filter(|x| x.word && solid(x.start, x.end)) {
        s = s.min(seg.start);
    }
    let (segs, _, _) = segments(text, e - 1);
    if let Some(seg) = segment_at(&segs, e - 1).filter(|x| x.word && solid(x.start, x.end)) {
        e = e.max(seg.end);
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Text {
        Text::new(s.to_owned())
    }

    #[test]
    fn latin_words() {
        let x = t("The ISI’s chief, Gen. Pasha, said no.");
        assert_eq!(x.slice(word_at(&x, 5).0, word_at(&x, 5).1), "ISI’s");
        assert_eq!(word_at(&x, 3), (3, 4)); // the space
        assert_eq!(next_word_boundary(&x, 0), 3);
        assert_eq!(next_word_boundary(&x, 3), 9);
        assert_eq!(next_word_boundary(&x, 15), 20); // from ',' to end of "Gen"
        assert_eq!(prev_word_boundary(&x, 9), 4);
        assert_eq!(prev_word_boundary(&x, 4), 0);
        assert_eq!(prev_word_boundary(&x, 0), 0);
        let len = x.len_chars();
        assert_eq!(next_word_boundary(&x, len), len);
        assert_eq!(word_at(&x, len + 5), (len - 1, len)); // final '.'
    }

    #[test]
    fn urdu_words() {
        // "Urdu language is beautiful"
        let x = t("اردو زبان خوبصورت ہے");
        assert_eq!(word_at(&x, 6), (5, 9));
        assert_eq!(x.slice(5, 9), "زبان");
        assert_eq!(next_word_boundary(&x, 4), 9);
        assert_eq!(prev_word_boundary(&x, 9), 5);
        assert_eq!(snap_to_words(&x, 2, 7), (0, 9));
    }

    #[test]
    fn cjk_and_emoji() {
        let x = t("中文 👍🏽 ok 👨‍👩‍👧 end");
        assert_eq!(word_at(&x, 0), (0, 1)); // one ideograph per word
        assert_eq!(word_at(&x, 1), (1, 2));
        // skin-tone modifier stays with its emoji
        assert_eq!(word_at(&x, 3), (3, 5));
        assert_eq!(next_word_boundary(&x, 2), 5);
        // the family ZWJ sequence is one word of 5 code points
        let fam = x.as_str().find('👨').map(|b| x.byte_to_char(b)).unwrap();
        assert_eq!(word_at(&x, fam + 2), (fam, fam + 5));
        assert_eq!(snap_to_words(&x, fam + 1, fam + 2), (fam, fam + 5));
    }

    #[test]
    fn crlf_is_one_segment_and_not_a_word() {
        let x = t("alpha\r\nbeta");
        assert_eq!(word_at(&x, 5), (5, 7));
        assert_eq!(word_at(&x, 6), (5, 7));
        assert_eq!(next_word_boundary(&x, 5), 11);
        assert_eq!(prev_word_boundary(&x, 7), 0);
        assert_eq!(snap_to_words(&x, 3, 9), (0, 11));
        assert_eq!(snap_to_words(&x, 5, 7), (5, 7)); // only the line break
    }

    #[test]
    fn snapping_expands_to_words_without_spaces() {
        let x = t("NATO supply routes reopened");
        assert_eq!(snap_to_words(&x, 7, 14), (5, 18));
        assert_eq!(snap_to_words(&x, 14, 7), (5, 18));
        assert_eq!(snap_to_words(&x, 4, 12), (5, 11)); // " supply " → "supply"
        assert_eq!(snap_to_words(&x, 5, 11), (5, 11));
        assert_eq!(snap_to_words(&x, 4, 5), (4, 5));
        assert_eq!(snap_to_words(&x, 3, 3), (3, 3));
        assert_eq!(snap_to_words(&x, 20, 200), (19, 27));
    }

    #[test]
    fn long_text_uses_a_window() {
        let long = format!("{}middle{}", "a ".repeat(1_000_000), " b".repeat(1_000_000));
        let x = t(&long);
        let m = 2_000_000;
        assert_eq!(word_at(&x, m + 3), (m, m + 6));
        assert_eq!(next_word_boundary(&x, m + 6), m + 8);
        assert_eq!(prev_word_boundary(&x, m), m - 2);
        assert_eq!(snap_to_words(&x, m + 1, m + 2), (m, m + 6));
        // a word longer than the window is cut at the window's edge
        let x = t(&"w".repeat(10 * WINDOW));
        assert_eq!(word_at(&x, 5 * WINDOW), (4 * WINDOW, 6 * WINDOW));
    }

    fn brute_segments(s: &str) -> Vec<(usize, usize, bool)> {
        let mut pos = 0;
        s.split_word_bounds()
            .map(|w| {
                let n = w.chars().count();
                pos += n;
                (pos - n, pos, w.chars().any(is_word_char))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn functions_agree_with_whole_text_segmentation(
            chars in proptest::collection::vec(prop::sample::select(vec!['a', 'Z', '7', 'ب', 'ے', '中', '😀', '\u{200d}', '\u{1f3fd}', ' ', '\r', '\n', ',', '’', '.']), 0..120),
            o1 in 0usize..130, o2 in 0usize..130,
        ) {
            let s: String = chars.iter().collect();
            let x = Text::new(s.clone());
            let len = x.len_chars();
            let segs = brute_segments(&s);
            let o = o1.min(len);
            // word_at
            let (ws, we) = word_at(&x, o1);
            if len == 0 {
                prop_assert_eq!((ws, we), (0, 0));
            } else {
                let c = o.min(len - 1);
                let seg = segs.iter().find(|g| g.0 <= c && c < g.1).unwrap();
                prop_assert_eq!((ws, we), (seg.0, seg.1));
            }
            // next / prev
            let next = segs.iter().find(|g| g.2 && g.1 > o).map_or(len, |g| g.1);
            prop_assert_eq!(next_word_boundary(&x, o1), next);
            let prev = segs.iter().rev().find(|g| g.2 && g.0 < o).map_or(0, |g| g.0);
            prop_assert_eq!(prev_word_boundary(&x, o1), prev);
            // snapping: ordered, in range, on segment boundaries or unchanged
            let (a, b) = snap_to_words(&x, o1, o2);
            prop_assert!(a <= b && b <= len);
            let lo = o1.min(o2).min(len);
            let hi = o1.max(o2).min(len);
            prop_assert!(a <= hi && b >= lo || a == b);
            if a < b && x.slice(a, b).chars().any(|c| !c.is_whitespace()) {
                prop_assert!(!x.slice(a, b).starts_with(char::is_whitespace));
                prop_assert!(!x.slice(a, b).ends_with(char::is_whitespace));
            }
        }
    }
}
