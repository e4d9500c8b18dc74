//! Markdown report: per document its metadata, then the excerpts grouped
//! by issue and by actor (each with its other tags, stance and note), then
//! untagged excerpts.
//!
//! Invariants:
//! - User text is escaped only where CommonMark would read it as markup,
//!   so `Tehrik-i-Taliban`, `Border_trade` and `capitals.` are written as
//!   they are. A backslash goes before: every `*` and backtick; a `_`
//!   unless both its neighbours are letters or digits (it cannot then
//!   open or close emphasis); a `\` before ASCII punctuation, a lone CR or
//!   at the end of a line; a `<` before a letter, `/`, `!` or `?` (raw HTML,
//!   autolinks); an `&` that starts a character reference (`&amp;`,
//!   `&#38;`, `&#x26;`); a `]` before `(`, `[` or `:` (links, link
//!   definitions). At the start of a line also: `>`, `#`…`######` before a
//!   space or the line end, `-`/`+` before a space or the line end, a
//!   line of only `-` or only `=` (thematic breaks, setext underlines),
//!   `~~~` (fences), and the `.`/`)` of a 1–9 digit number before a space
//!   or the line end (ordered lists). The report writes no tables, so `|`
//!   needs nothing.
//! - Excerpts and notes keep their line breaks: lines are joined by hard
//!   breaks (`\` at the line end), a CRLF counts as one line break, and
//!   what CommonMark would drop or reinterpret is written as a numeric
//!   character reference: spaces, tabs, vertical tabs and form feeds at the
//!   start or end of a line (`&#32;`, `&#9;`, `&#11;`, `&#12;`), a lone CR (`&#13;`), and line breaks at the very
//!   start or end of the text (`&#10;`). A renderer thus gives back the
//!   excerpt's text exactly (CRLF as LF). NUL, which CommonMark replaces,
//!   is the one character that cannot come back.
//! - Single-line fields (names, tags, metadata values, coder) get the same
//!   inline escapes with line breaks and tabs as spaces.
//! - Output uses `\n` line endings and is deterministic.

use super::{ExportDoc, Filter, group_by_tag};
use crate::core::annotation::Annotation;
use crate::core::codebook::TagKind;
use std::fmt::Write;

/// Escapes `s` for inline Markdown on one line, not at a line start
/// (names, tags, metadata values): the inline escapes of the module docs,
/// with line breaks and tabs written as spaces.
pub fn escape(s: &str) -> String {
    let flat: Vec<char> = s
        .chars()
        .map(|c| {
            if matches!(c, '\r' | '\n' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(s.len());
    escape_inline(&flat, None, &mut out);
    out
}

/// [`escape`] for a heading's text: also escapes a trailing run of `#`,
/// which CommonMark would take for the heading's closing sequence.
pub fn escape_heading(s: &str) -> String {
    let mut out = escape(s);
    let trailing = out.chars().rev().take_while(|&c| c == '#').count();
    if trailing > 0 {
        out.insert(out.len() - trailing, '\\');
    }
    out
}

/// Whether `c` keeps a neighbouring `_` from opening or closing emphasis.
fn word_char(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Whether `rest` starts with a character reference CommonMark would
/// decode (`&name;`, `&#123;`, `&#x1F;`); `rest` starts after the `&`.
fn starts_reference(rest: &[char]) -> bool {
    let end = rest.iter().take(34).position(|&c| c == ';');
    let Some(end) = end else {
        return false;
    };
    let body = &rest[..end];
    match body {
        ['#', 'x' | 'X', hex @ ..] => {
            (1..=6).contains(&hex.len()) && hex.iter().all(|c| c.is_ascii_hexdigit())
        }
        ['#', dec @ ..] => (1..=7).contains(&dec.len()) && dec.iter().all(|c| c.is_ascii_digit()),
        [first, more @ ..] => {
            first.is_ascii_alphabetic()
                && more.len() < 32
                && more.iter().all(|c| c.is_ascii_alphanumeric())
        }
        [] => false,
    }
}

/// The inline escapes of the module docs for `chars` (one line), plus a
/// backslash before the character at `force` (a line-start rule) and a lone
/// CR as `&#13;`.
fn escape_inline(chars: &[char], force: Option<usize>, out: &mut String) {
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1);
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let escape = match c {
            '*' | '`' => true,
            '_' => !(word_char(prev) && word_char(next)),
            // (a lone CR is written as `&#13;`, which starts with `&`)
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation() || *n == '\r'),
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => starts_reference(&chars[i + 1..]),
            ']' => matches!(next, Some('(' | '[' | ':')),
            '\r' => {
                out.push_str("&#13;");
                continue;
            }
            _ => force == Some(i),
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The index of the character at the start of `line` that needs a
/// backslash by the module docs' line-start rules; `None` when the line
/// starts safely.
fn line_start_escape(line: &[char]) -> Option<usize> {
    let blank_after = |i: usize| line.get(i).is_none_or(|c| edge_space(*c));
    let only = |ch: char| line.iter().all(|&c| c == ch);
    match line.first()? {
        '>' => Some(0),
        '#' => {
            let run = line.iter().take_while(|&&c| c == '#').count();
            (run <= 6 && blank_after(run)).then_some(0)
        }
        '-' | '+' if blank_after(1) => Some(0),
        '-' if only('-') => Some(0),
        '=' if only('=') => Some(0),
        '~' if line.len() >= 3 && line[..3] == ['~'; 3] => Some(0),
        c if c.is_ascii_digit() => {
            let run = line.iter().take_while(|c| c.is_ascii_digit()).count();
            let ok = run <= 9 && matches!(line.get(run), Some('.' | ')')) && blank_after(run + 1);
            ok.then_some(run)
        }
        _ => None,
    }
}

/// Whitespace a renderer drops at the start or end of a line: space, tab,
/// and (pulldown-cmark) vertical tab and form feed.
fn edge_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}')
}

/// One line of a multi-line text: its leading and trailing whitespace
/// ([`edge_space`]) and any lone CR as character references, the rest escaped, the
/// line-start rules applied when `at_start` (the line begins a Markdown
/// line).
fn escape_line(line: &[char], at_start: bool, out: &mut String) {
    let reference = |c: char, out: &mut String| {
        let _ = write!(out, "&#{};", c as u32);
    };
    let lead = line.iter().take_while(|c| edge_space(**c)).count();
    let trail = line[lead..]
        .iter()
        .rev()
        .take_while(|c| edge_space(**c))
        .count();
    let body = &line[lead..line.len() - trail];
    for &c in &line[..lead] {
        reference(c, out);
    }
    let force = if at_start && lead == 0 {
        line_start_escape(body)
    } else {
        None
    };
    escape_inline(body, force, out);
    for &c in &line[line.len() - trail..] {
        reference(c, out);
    }
}

/// `text` as paragraph content keeping its line breaks (see the module
/// docs): lines joined by a hard break and `prefix` (e.g. `> ` inside a
/// block quote). `at_start` says whether the first line begins a Markdown
/// line; later lines always do.
pub fn paragraph(text: &str, prefix: &str, at_start: bool) -> String {
    let text = text.replace("\r\n", "\n");
    let core = text.trim_matches('\n');
    let (lead, trail) = if core.is_empty() {
        (text.len(), 0)
    } else {
        let lead = text.len() - text.trim_start_matches('\n').len();
        (lead, text.len() - text.trim_end_matches('\n').len())
    };
    let mut out = "&#10;".repeat(lead);
    for (i, line) in core.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\\n");
            out.push_str(prefix);
        }
        let chars: Vec<char> = line.chars().collect();
        escape_line(&chars, i > 0 || (at_start && lead == 0), &mut out);
    }
    out.push_str(&"&#10;".repeat(trail));
    out
}

/// An excerpt as a block quote (see [`paragraph`]).
fn quote(text: &str) -> String {
    format!("> {}\n", paragraph(text, "> ", true))
}

fn excerpt_md(out: &mut String, d: &ExportDoc, a: &Annotation, skip: Option<(TagKind, &str)>) {
    out.push_str(&quote(d.excerpt_text(a)));
    let mut facts = vec![format!(
        "{}–{} (`{}`)",
        a.start,
        a.end,
        a.id.replace('`', "'")
    )];
    for kind in [TagKind::Issue, TagKind::Actor] {
        let others: Vec<String> = a
            .tags(kind)
            .iter()
            .filter(|n| skip != Some((kind, n.as_str())))
            .map(|n| escape(n))
            .collect();
        if !others.is_empty() {
            let label = match kind {
                TagKind::Issue => "issues",
                TagKind::Actor => "actors",
            };
            facts.push(format!("{label}: {}", others.join(", ")));
        }
    }
    if let Some(s) = a.stance {
        facts.push(format!("stance: {}", s.as_str()));
    }
    if let Some(c) = &a.coder {
        facts.push(format!("coder: {}", escape(c)));
    }
    out.push('\n');
    let _ = writeln!(out, "— {}", facts.join(" · "));
    if let Some(n) = &a.note {
        let _ = writeln!(out, "\n*Note:* {}", paragraph(n, "", false));
    }
    out.push('\n');
}

/// The report for several documents.
pub fn to_string(docs: &[ExportDoc], filter: &Filter) -> String {
    let mut out = String::from("# Marginalia excerpts\n\n");
    for d in docs {
        let _ = writeln!(out, "## {}\n", escape_heading(d.name));
        let m = &d.set.metadata;
        for (_, k, v) in m.fields() {
            if let Some(v) = v {
                let _ = writeln!(out, "- **{k}:** {}", escape(v));
            }
        }
        let count = d.excerpts(filter).count();
        let _ = writeln!(out, "- **Excerpts:** {count}\n");
        for (kind, title) in [(TagKind::Issue, "By issue"), (TagKind::Actor, "By actor")] {
            let groups = group_by_tag(d, filter, kind);
            if groups.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {title}\n");
            for (name, list) in groups {
                let _ = writeln!(out, "#### {} ({})\n", escape(&name), list.len());
                for a in list {
                    excerpt_md(&mut out, d, a, Some((kind, &name)));
                }
            }
        }
        let untagged: Vec<&Annotation> = d
            .excerpts(filter)
            .filter(|a| a.issues.is_empty() && a.actors.is_empty())
            .collect();
        if !untagged.is_empty() {
            let _ = writeln!(out, "### Untagged\n");
            for a in untagged {
                excerpt_md(&mut out, d, a, None);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    /// What a CommonMark renderer shows of `md`: the text of its
    /// paragraphs (hard breaks as `\n`), or an error naming the first
    /// event that is not plain text in a paragraph (emphasis, a link, a
    /// heading, a list, a soft break …).
    fn rendered(md: &str) -> Result<String, String> {
        let mut out = String::new();
        for ev in Parser::new(md) {
            match ev {
                Event::Text(t) => out.push_str(&t),
                Event::HardBreak => out.push('\n'),
                Event::Start(Tag::Paragraph | Tag::BlockQuote(_))
                | Event::End(TagEnd::Paragraph | TagEnd::BlockQuote(_)) => {}
                other => return Err(format!("{other:?} in {md:?}")),
            }
        }
        Ok(out)
    }

    fn round_trip(text: &str) {
        let expected = text.replace("\r\n", "\n");
        assert_eq!(rendered(&quote(text)).as_deref(), Ok(expected.as_str()));
        assert_eq!(
            rendered(&paragraph(text, "", true)).as_deref(),
            Ok(expected.as_str())
        );
    }

    #[test]
    fn plain_words_with_hyphens_underscores_and_full_stops_stay_unescaped() {
        for s in [
            "Tehrik-i-Taliban",
            "Border_trade",
            "capitals.",
            "3.5 million (2012)!",
            "AT&T said: a+b=c #1 > 2",
            "C:\\Users\\x",
            "C#",
            "پاکستان کی فوج — الجيش",
        ] {
            assert_eq!(escape(s), s);
            assert_eq!(paragraph(s, "> ", true), s);
            round_trip(s);
        }
    }

    #[test]
    fn markup_is_escaped_where_commonmark_would_read_it() {
        for (s, md) in [
            ("*", "\\*"),
            ("_x_", "\\_x\\_"),
            ("1. first", "1\\. first"),
            ("12) second", "12\\) second"),
            ("# heading", "\\# heading"),
            ("> quote", "\\> quote"),
            ("- item", "\\- item"),
            ("+ item", "\\+ item"),
            ("---", "\\---"),
            ("===", "\\==="),
            ("~~~", "\\~~~"),
            ("<b>bold</b>", "\\<b>bold\\</b>"),
            ("&amp; &#38; &#x26;", "\\&amp; \\&#38; \\&#x26;"),
            ("`code`", "\\`code\\`"),
            ("a\\*", "a\\\\\\*"),
            ("end\\", "end\\\\"),
            ("[a](b) [c]: d", "[a\\](b) [c\\]: d"),
            ("  indented", "&#32;&#32;indented"),
            ("two\nlines", "two\\\n> lines"),
            ("blank\n\nline", "blank\\\n> \\\n> line"),
            ("\nedge\n", "&#10;edge&#10;"),
        ] {
            assert_eq!(paragraph(s, "> ", true), md, "{s:?}");
            round_trip(s);
        }
        // Not at a line start, line-start markers are text.
        assert_eq!(escape("# - 1. >"), "# - 1. >");
        assert_eq!(escape_heading("Drones ##"), "Drones \\##");
    }

    #[test]
    fn tricky_texts_render_back_exactly() {
        for s in [
            "* starred\n_x_ and __y__\n1. one\n# hash\n<b>b</b> &amp; `tick` \\ back",
            "اردو *زور* _تاکید_ «قول» عربي: \"نص\"\r\n- فہرست",
            "tab\tinside\t\n\t lead and trail \r lone CR",
            "vertical\u{b}\nform feed\u{c}\n\u{c}\u{b}",
            "\n\n",
            "",
            "a\n\n\nb",
            "x  \ny",
            "back\\\rslash before a lone CR",
            "<!-- c -->\n<?php\n</p>\n<http://x.y>",
        ] {
            round_trip(s);
        }
    }

    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            prop::sample::select(
                " \t\n\r!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789azAZ"
                    .chars()
                    .collect::<Vec<_>>()
            ),
            prop::sample::select("اردوعربیَ😀\u{a0}—«»".chars().collect::<Vec<_>>()),
        ]
    }

    proptest! {
        #[test]
        fn punctuation_heavy_text_renders_back(chars in prop::collection::vec(tricky_char(), 0..40)) {
            let s: String = chars.into_iter().collect();
            round_trip(&s);
        }

        #[test]
        fn any_text_without_nul_renders_back(s in any::<String>()) {
            prop_assume!(!s.contains('\0'));
            round_trip(&s);
        }
    }
}
