//! Find in the article and in notes (the find bar, `Ctrl+F`).
//!
//! Invariants:
//! - Matches are code-point ranges `[start, end)` of the text, sorted by
//!   start, non-overlapping (leftmost-first, as the `regex` crate finds
//!   them) and never empty: a pattern that matches the empty string (e.g.
//!   `a*`) only reports its non-empty matches.
//! - At most [`MAX_MATCHES`] matches are returned; [`Matches::truncated`]
//!   says when more exist.
//! - A plain (non-regex) query is escaped with [`regex::escape`], so it
//!   matches literally. Case-insensitive search uses Unicode simple case
//!   folding (`RegexBuilder::case_insensitive`).
//! - Whole word uses Unicode word boundaries (UAX #29, the
//!   `unicode-segmentation` crate), not the regex `\b`: a match counts when
//!   both of its ends are word boundaries. This treats every script alike:
//!   each CJK ideograph is a word of its own, Urdu words end at spaces, and
//!   `Pakistan’s` is one word (so whole-word `Pakistan` does not match
//!   inside it). Boundaries are computed in a window of
//!   [`WORD_WINDOW_BYTES`] around each end, so cost per match is constant.
//! - Byte offsets are converted to code points incrementally while walking
//!   the matches in order: the whole search is linear in the text length.

use super::annotation::Annotation;
use super::set::AnnotationSet;
use super::text::Text;
use regex::{Regex, RegexBuilder};
use std::fmt;
use unicode_segmentation::UnicodeSegmentation;

/// The most matches one search reports.
pub const MAX_MATCHES: usize = 100_000;

/// Bytes of context examined on each side of a match end to decide whether
/// it is a word boundary.
pub const WORD_WINDOW_BYTES: usize = 64;

/// The find bar's options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SearchOptions {
    /// Match case exactly (otherwise Unicode case-insensitive).
    pub case_sensitive: bool,
    /// Only matches whose both ends are Unicode word boundaries.
    pub whole_word: bool,
    /// The query is a regular expression (`regex` crate syntax).
    pub regex: bool,
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// The regular expression is invalid; the message is the regex crate's.
    InvalidRegex(String),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::InvalidRegex(m) => write!(f, "invalid regular expression: {m}"),
        }
    }
}

impl std::error::Error for SearchError {}

/// The result of [`find_all`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    /// Code-point ranges, sorted, non-overlapping, non-empty.
    pub ranges: Vec<(usize, usize)>,
    /// True when the search stopped at [`MAX_MATCHES`].
    pub truncated: bool,
}

impl Matches {
    /// Number of matches found (at most [`MAX_MATCHES`]).
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// A compiled query, reusable across texts and notes.
#[derive(Debug, Clone)]
pub struct Query {
    re: Regex,
    whole_word: bool,
}

impl Query {
    /// Compiles `query` with `opts`; `None` for an empty query.
    pub fn new(query: &str, opts: SearchOptions) -> Result<Option<Query>, SearchError> {
        if query.is_empty() {
            return Ok(None);
        }
        let pattern = if opts.regex {
            query.to_owned()
        } else {
            regex::escape(query)
        };
        let re = RegexBuilder::new(&pattern)
            .case_insensitive(!opts.case_sensitive)
            .build()
            .map_err(|e| SearchError::InvalidRegex(e.to_string()))?;
        Ok(Some(Query {
            re,
            whole_word: opts.whole_word,
        }))
    }

    /// Byte ranges of the accepted matches in `s`, in order, at most `cap`.
    /// Returns the ranges and whether more existed.
    fn byte_matches(&self, s: &str, cap: usize) -> (Vec<(usize, usize)>, bool) {
        let mut out = Vec::new();
        for m in self.re.find_iter(s) {
            if m.start() == m.end() {
                continue;
            }
            if self.whole_word && !(is_word_boundary(s, m.start()) && is_word_boundary(s, m.end()))
            {
                continue;
            }
            if out.len() == cap {
                return (out, true);
            }
            out.push((m.start(), m.end()));
        }
        (out, false)
    }

    /// Whether `s` contains an accepted match.
    pub fn is_match_in(&self, s: &str) -> bool {
        !self.byte_matches(s, 1).0.is_empty()
    }
}

/// Whether byte offset `b` of `s` (a char boundary) is a UAX #29 word
/// boundary, judged in a window of [`WORD_WINDOW_BYTES`] on each side.
pub fn is_word_boundary(s: &str, b: usize) -> bool {
    if b == 0 || b >= s.len() {
        return true;
    }
    let mut lo = b.saturating_sub(WORD_WINDOW_BYTES);
    while !s.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (b + WORD_WINDOW_BYTES).min(s.len());
    while !s.is_char_boundary(hi) {
        hi += 1;
    }
    let window = &s[lo..hi];
    let target = b - lo;
    window.split_word_bound_indices().any(|(i, _)| i == target)
}

/// All matches of `query` in `text` (see the module invariants). An empty
/// query gives no matches.
pub fn find_all(text: &Text, query: &str, opts: SearchOptions) -> Result<Matches, SearchError> {
    let Some(q) = Query::new(query, opts)? else {
        return Ok(Matches::default());
    };
    Ok(find_all_compiled(text, &q))
}

/// [`find_all`] with an already compiled query.
pub fn find_all_compiled(text: &Text, q: &Query) -> Matches {
    let s = text.as_str();
    let (bytes, truncated) = q.byte_matches(s, MAX_MATCHES);
    let mut ranges = Vec::with_capacity(bytes.len());
    // Incremental byte → code point conversion: each byte is counted once.
    let mut last_byte = 0;
    let mut last_char = 0;
    let ascii = s.len() == text.len_chars();
    for (bs, be) in bytes {
        if ascii {
            ranges.push((bs, be));
            continue;
        }
        last_char += s[last_byte..bs].chars().count();
        let cs = last_char;
        last_char += s[bs..be].chars().count();
        last_byte = be;
        ranges.push((cs, last_char));
    }
    Matches { ranges, truncated }
}

/// Index of the match to go to from code point `from`.
///
/// Forward: the first match starting at or after `from`, wrapping to the
/// first match. Backwards: the last match starting before `from`, wrapping
/// to the last match. `None` when there are no matches.
///
/// From the current match `(s, e)`: `Enter` is `next_match(m, s + 1,
/// false)`, `Shift+Enter` is `next_match(m, s, true)`. From a cursor `c`:
/// `next_match(m, c, false)`.
pub fn next_match(matches: &[(usize, usize)], from: usize, backwards: bool) -> Option<usize> {
    if matches.is_empty() {
        return None;
    }
    let i = matches.partition_point(|m| m.0 < from);
    if backwards {
        Some(if i == 0 { matches.len() - 1 } else { i - 1 })
    } else {
        Some(if i == matches.len() { 0 } else { i })
    }
}

/// Ids of the annotations (placed ones, in position order) whose note
/// matches `query`. An empty query matches nothing.
pub fn find_in_notes(
    set: &AnnotationSet,
    query: &str,
    opts: SearchOptions,
) -> Result<Vec<String>, SearchError> {
    let Some(q) = Query::new(query, opts)? else {
        return Ok(Vec::new());
    };
    Ok(set
        .annotations()
        .iter()
        .filter(|a: &&Annotation| a.note.as_deref().is_some_and(|n| q.is_match_in(n)))
        .map(|a| a.id.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::SourceRef;
    use proptest::prelude::*;

    fn opts(case_sensitive: bool, whole_word: bool, regex: bool) -> SearchOptions {
        SearchOptions {
            case_sensitive,
            whole_word,
            regex,
        }
    }

    fn quotes(text: &Text, m: &Matches) -> Vec<String> {
        m.ranges
            .iter()
            .map(|&(s, e)| text.slice(s, e).to_owned())
            .collect()
    }

    #[test]
    fn plain_queries_are_literal_and_offsets_are_code_points() {
        let t = Text::new("Pakistan’s a.b (Pakistan) a+b — pakistan".to_owned());
        let m = find_all(&t, "Pakistan", opts(true, false, false)).unwrap();
        assert_eq!(m.ranges, [(0, 8), (16, 24)]);
        let m = find_all(&t, "pakistan", opts(false, false, false)).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(quotes(&t, &m), ["Pakistan", "Pakistan", "pakistan"]);
        let m = find_all(&t, "a+b", opts(true, false, false)).unwrap();
        assert_eq!(quotes(&t, &m), ["a+b"]);
        let m = find_all(&t, "a.b", opts(true, false, false)).unwrap();
        assert_eq!(quotes(&t, &m), ["a.b"]);
        let m = find_all(&t, "a.b", opts(true, false, true)).unwrap();
        assert_eq!(quotes(&t, &m), ["a.b", "a+b"]);
    }

    #[test]
    fn whole_word_uses_unicode_word_boundaries() {
        let t = Text::new("Pakistan’s Pakistani Pakistan. 中文中 اردو زبان".to_owned());
        let m = find_all(&t, "Pakistan", opts(true, true, false)).unwrap();
        assert_eq!(quotes(&t, &m), ["Pakistan"]);
        assert_eq!(m.ranges, [(21, 29)]);
        // each ideograph is its own word
        let m = find_all(&t, "中", opts(true, true, false)).unwrap();
        assert_eq!(m.len(), 2);
        let m = find_all(&t, "زبان", opts(true, true, false)).unwrap();
        assert_eq!(quotes(&t, &m), ["زبان"]);
        let m = find_all(&t, "زبا", opts(true, true, false)).unwrap();
        assert!(m.is_empty());
    }

    #[test]
    fn invalid_regex_reports_the_regex_message() {
        let t = Text::new("abc".to_owned());
        let e = find_all(&t, "a(b", opts(true, false, true)).unwrap_err();
        let SearchError::InvalidRegex(msg) = &e;
        assert!(msg.contains("unclosed group"), "{msg}");
        assert!(e.to_string().starts_with("invalid regular expression"));
        // the same query as plain text is fine
        assert!(find_all(&t, "a(b", opts(true, false, false)).is_ok());
    }

    #[test]
    fn empty_query_and_empty_matches_give_nothing() {
        let t = Text::new("aaa b aa".to_owned());
        assert!(
            find_all(&t, "", SearchOptions::default())
                .unwrap()
                .is_empty()
        );
        let m = find_all(&t, "a*", opts(true, false, true)).unwrap();
        assert_eq!(m.ranges, [(0, 3), (6, 8)]);
    }

    #[test]
    fn matches_are_capped() {
        let t = Text::new("x ".repeat(MAX_MATCHES + 5));
        let m = find_all(&t, "x", SearchOptions::default()).unwrap();
        assert_eq!(m.len(), MAX_MATCHES);
        assert!(m.truncated);
        let t = Text::new("x ".repeat(10));
        let m = find_all(&t, "x", SearchOptions::default()).unwrap();
        assert!(!m.truncated);
        assert_eq!(m.len(), 10);
    }

    #[test]
    fn next_match_wraps_both_ways() {
        let m = [(2, 4), (10, 12), (20, 25)];
        assert_eq!(next_match(&m, 0, false), Some(0));
        assert_eq!(next_match(&m, 3, false), Some(1));
        assert_eq!(next_match(&m, 10, false), Some(1));
        assert_eq!(next_match(&m, 21, false), Some(0));
        assert_eq!(next_match(&m, 10, true), Some(0));
        assert_eq!(next_match(&m, 2, true), Some(2));
        assert_eq!(next_match(&m, 100, true), Some(2));
        assert_eq!(next_match(&[], 0, true), None);
    }

    #[test]
    fn notes_are_searched() {
        let text = Text::new("one two three".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        for (i, (s, e, note)) in [
            (0, 3, Some("Drone STRIKES\nin FATA")),
            (4, 7, None),
            (8, 13, Some("strike")),
        ]
        .into_iter()
        .enumerate()
        {
            let mut a = Annotation::new(format!("a{}", i + 1), &text, s, e, "t");
            a.note = note.map(str::to_owned);
            set.insert_sorted(a);
        }
        assert_eq!(
            find_in_notes(&set, "strikes", SearchOptions::default()).unwrap(),
            ["a1"]
        );
        assert_eq!(
            find_in_notes(&set, "strike", opts(false, true, false)).unwrap(),
            ["a3"]
        );
        assert_eq!(
            find_in_notes(&set, "str", SearchOptions::default()).unwrap(),
            ["a1", "a3"]
        );
        assert!(find_in_notes(&set, "(", opts(true, false, true)).is_err());
    }

    fn brute_force(chars: &[char], q: &[char]) -> Vec<(usize, usize)> {
        let mut out = vec![];
        let mut i = 0;
        while !q.is_empty() && i + q.len() <= chars.len() {
            if chars[i..i + q.len()] == *q {
                out.push((i, i + q.len()));
                i += q.len();
            } else {
                i += 1;
            }
        }
        out
    }

    proptest! {
        #[test]
        fn plain_search_equals_brute_force(
            text in proptest::collection::vec(prop::sample::select(vec!['a', 'b', 'é', '中', '😀', ' ', '\n', '.']), 0..300),
            q in proptest::collection::vec(prop::sample::select(vec!['a', 'b', 'é', '中', '😀', '.']), 1..4),
        ) {
            let s: String = text.iter().collect();
            let qs: String = q.iter().collect();
            let t = Text::new(s);
            let m = find_all(&t, &qs, opts(true, false, false)).unwrap();
            prop_assert_eq!(m.ranges, brute_force(&text, &q));
        }

        #[test]
        fn whole_word_matches_are_a_subset_on_boundaries(
            text in proptest::collection::vec(prop::sample::select(vec!['a', 'b', 'ب', '中', ' ', '’', ',']), 0..200),
            q in proptest::collection::vec(prop::sample::select(vec!['a', 'b', 'ب', '中']), 1..3),
        ) {
            let s: String = text.iter().collect();
            let qs: String = q.iter().collect();
            let t = Text::new(s.clone());
            let all = find_all(&t, &qs, opts(true, false, false)).unwrap();
            let whole = find_all(&t, &qs, opts(true, true, false)).unwrap();
            let bounds: Vec<usize> = s.split_word_bound_indices().map(|(i, _)| t.byte_to_char(i)).chain([t.len_chars()]).collect();
            for r in &whole.ranges {
                prop_assert!(all.ranges.contains(r));
                prop_assert!(bounds.contains(&r.0) && bounds.contains(&r.1));
            }
        }
    }
}
