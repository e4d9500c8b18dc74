//! Test markup: offsets written in the text instead of as magic numbers
//! (in the spirit of helix's `#[|…]#` test selections).
//!
//! `[` and `]` mark a range, `|` marks a caret. `"The [ISI] met the [CIA]"`
//! is the text `"The ISI met the CIA"` with the ranges `(4, 7)` and
//! `(16, 19)`; `"The IS|I"` is `"The ISI"` with the empty range `(6, 6)`.
//!
//! Invariants:
//! - Offsets are code points of the text left after the marks are removed,
//!   half-open `[start, end)`, like everywhere in the core.
//! - Ranges may nest or touch; the result is sorted by `(start, end)`.
//! - The characters `[`, `]` and `|` are always marks: a marked text cannot
//!   contain them literally. Unbalanced brackets panic (this is test code).

use super::text::Text;

/// Parses `marked` (see the module docs) into its text and its ranges,
/// sorted by `(start, end)`; a caret `|` gives the empty range `(p, p)`.
pub(crate) fn parse(marked: &str) -> (Text, Vec<(usize, usize)>) {
    let mut plain = String::with_capacity(marked.len());
    let mut ranges = Vec::new();
    let mut open = Vec::new();
    let mut cp = 0;
    for c in marked.chars() {
        match c {
            '[' => open.push(cp),
            ']' => match open.pop() {
                Some(start) => ranges.push((start, cp)),
                None => panic!("unbalanced `]` at code point {cp} in {marked:?}"),
            },
            '|' => ranges.push((cp, cp)),
            _ => {
                plain.push(c);
                cp += 1;
            }
        }
    }
    assert!(open.is_empty(), "unclosed `[` in {marked:?}");
    ranges.sort_unstable();
    (Text::new(plain), ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_code_points_of_the_plain_text() {
        let (text, ranges) = parse("The [ISI] met the [CIA]");
        assert_eq!(text.as_str(), "The ISI met the CIA");
        assert_eq!(ranges, [(4, 7), (16, 19)]);
        for &(s, e) in &ranges {
            assert_eq!(text.slice(s, e).len(), 3);
        }
    }

    #[test]
    fn nested_ranges_are_sorted_by_start_then_end() {
        let (text, ranges) = parse("[[The] [ISI]] met");
        assert_eq!(text.as_str(), "The ISI met");
        assert_eq!(ranges, [(0, 3), (0, 7), (4, 7)]);
        // an empty pair of brackets is an empty range, like a caret
        let (text, ranges) = parse("a[b[]c]");
        assert_eq!(text.as_str(), "abc");
        assert_eq!(ranges, [(1, 3), (2, 2)]);
    }

    #[test]
    fn carets_are_empty_ranges() {
        let (text, ranges) = parse("|The IS|I|");
        assert_eq!(text.as_str(), "The ISI");
        assert_eq!(ranges, [(0, 0), (6, 6), (7, 7)]);
        let (text, ranges) = parse("no marks");
        assert_eq!(text.as_str(), "no marks");
        assert!(ranges.is_empty());
    }

    #[test]
    fn non_ascii_text_counts_code_points_not_bytes() {
        // "Pakistan said"
        let (text, ranges) = parse("کہا [پاکستان] نے|");
        assert_eq!(text.as_str(), "کہا پاکستان نے");
        assert_eq!(ranges, [(4, 11), (14, 14)]);
        assert_eq!(text.slice(4, 11), "پاکستان");
        assert_eq!(text.len_chars(), 14);
    }

    #[test]
    #[should_panic(expected = "unclosed")]
    fn an_unclosed_bracket_panics() {
        parse("The [ISI");
    }

    #[test]
    #[should_panic(expected = "unbalanced")]
    fn a_stray_closing_bracket_panics() {
        parse("The ISI]");
    }
}
