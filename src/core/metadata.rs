//! Detecting document metadata and reader comments in a plain-text article.
//!
//! Invariants and heuristics:
//! - Only the top of the text is read for metadata: the first
//!   [`TOP_LINES`] non-empty lines within the first [`TOP_BYTES`] bytes, so
//!   detection is instant on any size of article.
//! - Title: the first non-empty line, trimmed, when shorter than
//!   [`MAX_TITLE_CHARS`] code points and not itself a date, byline or URL.
//! - Date: the first short line (< 100 code points) near the top holding a
//!   date (see [`parse_date`] and [`DATE_FORMS_HINT`]) written as
//!   `July 4, 2012` (`Jul 4th 2012`, `Jul. 4 2012`, with an optional
//!   weekday), `4 July 2012` (`4th Jul 2012`, `04 July, 2012`), year first
//!   `2012-07-04`, `2012/07/04` or `2012.07.04`, or `04.07.2012` (dots, day
//!   first), given as ISO `YYYY-MM-DD`. Impossible dates are ignored, and
//!   so are slashed dates with the year last (`04/07/2012`): day first
//!   and month first are both common, and the core never guesses.
//! - Author: a line starting with `By`, `Posted by` or `Written by`
//!   followed by a name (cut at ` on `, ` at `, `|`, `,` or ` - `).
//! - URL: a line that is just an `http(s)://` address.
//! - Reader comments ([`comment_ranges`]): each comment ends with a sign-off
//!   line holding `Report as abusive` / `Report abuse` / `Flag as
//!   inappropriate`, or a `Posted by … |` line, shorter than
//!   [`MAX_SIGNOFF_CHARS`]. The first comment starts
//!   after a comments header (`We welcome comments…`, `Comments`,
//!   `12 comments`, `Reader comments`, `Leave a comment`…) when one
//!   precedes it, else after the last double blank line before it, else at
//!   its own paragraph; each later comment starts at the first non-empty
//!   line after the previous sign-off. Text after the last sign-off is not
//!   a comment. Ranges are code points, sorted, disjoint, and trimmed of
//!   surrounding blank lines.

use super::set::Metadata;
use super::text::Text;
use regex::Regex;
use std::sync::OnceLock;

/// Non-empty lines examined for metadata.
pub const TOP_LINES: usize = 15;
/// Bytes examined for metadata.
pub const TOP_BYTES: usize = 16 * 1024;
/// A sign-off line is shorter than this (code points), so a comment
/// policy paragraph that mentions "report abuse" is not one.
pub const MAX_SIGNOFF_CHARS: usize = 150;
/// A first line this long (code points) or longer is not a title.
pub const MAX_TITLE_CHARS: usize = 200;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

struct Patterns {
    month_first: Regex,
    day_first: Regex,
    year_first: Regex,
    dotted: Regex,
    byline: Regex,
    url: Regex,
    signoff: Regex,
    header: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let month = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
        Some(Patterns {
            month_first: Regex::new(&format!(
                r"(?i)\b{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
            ))
            .ok()?,
            day_first: Regex::new(&format!(
                r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{month},?\s+(\d{{4}})\b"
            ))
            .ok()?,
            year_first: Regex::new(
                r"\b(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|\.(\d{1,2})\.(\d{1,2}))\b",
            )
            .ok()?,
            dotted: Regex::new(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b").ok()?,
            byline: Regex::new(r"(?i)^(?:posted by|written by|by)\s+(\S.*)$").ok()?,
            url: Regex::new(r"^(?i:https?)://\S+$").ok()?,
            signoff: Regex::new(
                r"(?i)report as abusive|report abuse|flag as inappropriate|^posted by\s.*\|",
            )
            .ok()?,
            header: Regex::new(
                r"(?i)^(?:we welcome comments|comments?\s*(?:\(\d+\))?:?$|\d+\s+comments?\b|reader comments|leave a comment|join the discussion|add a comment)",
            )
            .ok()?,
        })
    })
    .as_ref()
}

fn iso(y: &str, m: u8, d: &str) -> Option<String> {
    let y: i32 = y.parse().ok()?;
    let d: u8 = d.parse().ok()?;
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), m, date.day()))
}

fn month_number(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    let i = MONTHS.iter().position(|m| lower.starts_with(m))?;
    Some(i as u8 + 1)
}

/// The date forms [`parse_date`] accepts, for a message asking for a date.
pub const DATE_FORMS_HINT: &str = "Write the date as 2012-07-04, 2012/07/04, 2012.07.04, \
4 July 2012, 4th Jul 2012, 04 July, 2012, July 4, 2012, Jul 4 2012 or 04.07.2012 (day first). \
A date like 04/07/2012 could be April or July: start with the year or write the month's name.";

/// The date in `line` as ISO `YYYY-MM-DD`, if the line holds one of the
/// forms the module docs list (month names in English, full or
/// abbreviated, any case); `None` for anything else, including impossible
/// dates (`31 February 2012`) and ambiguous ones (`04/07/2012`).
pub fn parse_date(line: &str) -> Option<String> {
    let p = patterns()?;
    if let Some(c) = p.month_first.captures(line) {
        return iso(&c[3], month_number(&c[1])?, &c[2]);
    }
    if let Some(c) = p.day_first.captures(line) {
        return iso(&c[3], month_number(&c[2])?, &c[1]);
    }
    if let Some(c) = p.year_first.captures(line) {
        let group = |i: usize| c.get(i).map(|m| m.as_str());
        let month = group(2).or(group(4)).or(group(6))?;
        let day = group(3).or(group(5)).or(group(7))?;
        return iso(&c[1], month.parse().ok()?, day);
    }
    if let Some(c) = p.dotted.captures(line) {
        return iso(&c[3], c[2].parse().ok()?, &c[1]);
    }
    None
}

fn parse_author(line: &str) -> Option<String> {
    let c = patterns()?.byline.captures(line)?;
    let mut name = c[1].trim();
    for cut in [" on ", " at ", "|", ",", " - "] {
        if let Some(i) = name.find(cut) {
            name = name[..i].trim();
        }
    }
    let ok = !name.is_empty() && name.chars().count() <= 100 && parse_date(name).is_none();
    ok.then(|| name.to_owned())
}

/// Detects title, date, author and URL at the top of `text` (see the
/// module docs). Fields not found are `None`.
pub fn detect(text: &Text) -> Metadata {
    let mut m = Metadata::default();
    let Some(p) = patterns() else {
        return m;
    };
    let s = text.as_str();
    let mut top_end = TOP_BYTES.min(s.len());
    while !s.is_char_boundary(top_end) {
        top_end -= 1;
    }
    let lines = s[..top_end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(TOP_LINES);
    for (i, line) in lines.enumerate() {
        let short = line.chars().count() < 100;
        let date = if short { parse_date(line) } else { None };
        let author = if short { parse_author(line) } else { None };
        let url = p.url.is_match(line);
        if i == 0
            && date.is_none()
            && author.is_none()
            && !url
            && line.chars().count() < MAX_TITLE_CHARS
        {
            m.title = Some(line.to_owned());
            continue;
        }
        if m.author.is_none() && author.is_some() {
            m.author = author;
        } else if m.date.is_none() && date.is_some() {
            m.date = date;
        }
        if m.url.is_none() && url {
            m.url = Some(line.to_owned());
        }
    }
    m
}

/// Code-point ranges of reader comments (see the module docs for the
/// heuristic), sorted and disjoint.
pub fn comment_ranges(text: &Text) -> Vec<(usize, usize)> {
    let Some(p) = patterns() else {
        return Vec::new();
    };
    // (start, end-of-content, trimmed line) per line, in bytes: code points
    // are counted only for the few lines that end up in a range (a 5 MB
    // article has ~100,000 lines, almost all of them long paragraphs).
    let mut lines: Vec<(usize, usize, &str)> = Vec::new();
    let mut pos = 0;
    for raw in text.as_str().split_inclusive('\n') {
        let content = raw.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let body = content.trim();
        lines.push((pos + lead, pos + lead + body.len(), body));
        pos += raw.len();
    }
    // A line of at least MAX_SIGNOFF_CHARS * 4 bytes has at least
    // MAX_SIGNOFF_CHARS code points: skip it without counting.
    let short = |b: &str| {
        b.len() < MAX_SIGNOFF_CHARS
            || (b.len() < MAX_SIGNOFF_CHARS * 4 && b.chars().count() < MAX_SIGNOFF_CHARS)
    };
    let signoffs: Vec<usize> = (0..lines.len())
        .filter(|&i| short(lines[i].2) && p.signoff.is_match(lines[i].2))
        .collect();
    let Some(&first) = signoffs.first() else {
        return Vec::new();
    };
    let first_nonempty_after =
        |from: usize, to: usize| (from..to).find(|&j| !lines[j].2.is_empty());
    // where the first comment starts
    let header = (0..first).rev().find(|&j| p.header.is_match(lines[j].2));
    let start_line = match header {
        Some(h) => first_nonempty_after(h + 1, first + 1),
        None => {
            let double_blank = (1..first)
                .rev()
                .find(|&j| lines[j].2.is_empty() && lines[j - 1].2.is_empty());
            match double_blank {
                Some(d) => first_nonempty_after(d, first + 1),
                None => {
                    // its own paragraph: back over non-empty lines
                    let mut j = first;
                    while j > 0 && !lines[j - 1].2.is_empty() {
                        j -= 1;
                    }
                    if j == first && j >= 2 && lines[j - 1].2.is_empty() {
                        // a sign-off alone: take the paragraph before it
                        j -= 1;
                        while j > 0 && lines[j - 1].2.is_empty() {
                            j -= 1;
                        }
                        while j > 0 && !lines[j - 1].2.is_empty() {
                            j -= 1;
                        }
                    }
                    Some(j)
                }
            }
        }
    };
    let mut out = Vec::new();
    let mut begin = start_line;
    for &k in &signoffs {
        let b = begin.unwrap_or(k);
        out.push((text.byte_to_char(lines[b].0), text.byte_to_char(lines[k].1)));
        begin = first_nonempty_after(k + 1, lines.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Text {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/us-pakistan-truce.txt");
        let s = std::fs::read_to_string(path).expect("sample article in assets/");
        Text::new(s)
    }

    #[test]
    fn sample_article_metadata() {
        let t = sample();
        let m = detect(&t);
        assert_eq!(
            m.title.as_deref(),
            Some("US and Pakistan: an expedient truce")
        );
        assert_eq!(m.date.as_deref(), Some("2012-07-04"));
        assert_eq!(m.author, None);
        assert_eq!(m.url, None);
    }

    #[test]
    fn sample_article_comments() {
        let t = sample();
        let r = comment_ranges(&t);
        let signoffs = t.as_str().matches("Report as abusive").count();
        assert!(signoffs >= 3);
        assert_eq!(r.len(), signoffs);
        assert!(
            t.slice(r[0].0, r[0].1)
                .starts_with("For the usa there is ray of light")
        );
        for w in r.windows(2) {
            assert!(w[0].1 < w[1].0);
        }
        for &(s, e) in &r {
            let c = t.slice(s, e);
            assert!(c.ends_with("| Report as abusive"), "{c:?}");
            assert!(!c.starts_with(char::is_whitespace));
        }
        assert!(
            t.slice(r[1].0, r[1].1)
                .starts_with("Where are those who said")
        );
        // the article and the comment policy are not comments
        let policy = t.as_str().find("We welcome comments").unwrap();
        assert!(r[0].0 > t.byte_to_char(policy));
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(parse_date("July 4, 2012").as_deref(), Some("2012-07-04"));
        assert_eq!(
            parse_date("Wednesday, Jul. 4th 2012 10:31 EDT").as_deref(),
            Some("2012-07-04")
        );
        assert_eq!(parse_date("4 July 2012").as_deref(), Some("2012-07-04"));
        assert_eq!(
            parse_date("Published 2012-07-04").as_deref(),
            Some("2012-07-04")
        );
        assert_eq!(parse_date("04.07.2012").as_deref(), Some("2012-07-04"));
        assert_eq!(parse_date("Sept 30 2011").as_deref(), Some("2011-09-30"));
        assert_eq!(parse_date("February 30, 2012"), None);
        assert_eq!(parse_date("2012-13-01"), None);
        assert_eq!(parse_date("Maybe 4 2012"), None);
        assert_eq!(parse_date("no date here"), None);
    }

    #[test]
    fn unambiguous_forms_are_normalised_to_iso() {
        for form in [
            "4 July 2012",
            "4 Jul 2012",
            "4 jul. 2012",
            "July 4, 2012",
            "Jul 4 2012",
            "JULY 4TH, 2012",
            "4th July 2012",
            "04 July, 2012",
            "Wednesday, 4 July 2012",
            "2012-07-04",
            "2012-7-4",
            "2012/07/04",
            "2012/7/4",
            "2012.07.04",
            "04.07.2012",
            "Posted on 2012/07/04 at 10:31",
        ] {
            assert_eq!(parse_date(form).as_deref(), Some("2012-07-04"), "{form:?}");
        }
        assert_eq!(parse_date("1 Jan 2000").as_deref(), Some("2000-01-01"));
        assert_eq!(parse_date("Dec 31st 1999").as_deref(), Some("1999-12-31"));
        assert_eq!(
            parse_date("29 February 2012").as_deref(),
            Some("2012-02-29")
        );
    }

    #[test]
    fn nonsense_impossible_and_ambiguous_dates_are_rejected() {
        for form in [
            "someday",
            "",
            "31 February 2012",
            "29 February 2011",
            "February 30, 2012",
            "13/13/2012",
            "04/07/2012",
            "4/7/2012",
            "25/12/2012",
            "2012/13/01",
            "2012/02/30",
            "2012.00.10",
            "2012-07/04",
            "32.01.2012",
            "4 Juli 2012",
            "July 2012",
            "0 July 2012",
        ] {
            assert_eq!(parse_date(form), None, "{form:?}");
        }
    }

    #[test]
    fn the_hint_names_forms_that_parse() {
        for form in [
            "2012-07-04",
            "2012/07/04",
            "2012.07.04",
            "4 July 2012",
            "4th Jul 2012",
            "04 July, 2012",
            "July 4, 2012",
            "Jul 4 2012",
            "04.07.2012",
        ] {
            assert!(DATE_FORMS_HINT.contains(form), "{form:?}");
            assert_eq!(parse_date(form).as_deref(), Some("2012-07-04"), "{form:?}");
        }
        assert!(DATE_FORMS_HINT.contains("04/07/2012"));
        assert_eq!(parse_date("04/07/2012"), None);
    }

    #[test]
    fn synthetic_header() {
        let t = Text::new(
            "\n\n  Drones over Waziristan  \r\nBy Jane Q. Reporter, Islamabad\r\n4 July 2012\r\nhttps://example.com/drones\r\n\r\nBody text. By the way, July 5, 2013 is later.\n"
                .to_owned(),
        );
        let m = detect(&t);
        assert_eq!(m.title.as_deref(), Some("Drones over Waziristan"));
        assert_eq!(m.author.as_deref(), Some("Jane Q. Reporter"));
        assert_eq!(m.date.as_deref(), Some("2012-07-04"));
        assert_eq!(m.url.as_deref(), Some("https://example.com/drones"));
        let t = Text::new(format!(
            "{}\nJuly 4, 2012\nPosted by Ann on July 5, 2012\n",
            "x".repeat(250)
        ));
        let m = detect(&t);
        assert_eq!(m.title, None);
        assert_eq!(m.date.as_deref(), Some("2012-07-04"));
        assert_eq!(m.author.as_deref(), Some("Ann"));
        assert_eq!(detect(&Text::new(String::new())), Metadata::default());
    }

    #[test]
    fn synthetic_comments() {
        let s = "Title\n\nArticle body.\n\n3 Comments\n\nFirst!\nsecond line\nPosted by A | Report as abusive\nGreat piece.\n\nPosted by B | Report as abusive\n\ntrailing footer\n";
        let t = Text::new(s.to_owned());
        let r = comment_ranges(&t);
        let got: Vec<&str> = r.iter().map(|&(a, b)| t.slice(a, b)).collect();
        assert_eq!(
            got,
            [
                "First!\nsecond line\nPosted by A | Report as abusive",
                "Great piece.\n\nPosted by B | Report as abusive"
            ]
        );
        // no header, no double blank: the paragraph before the sign-off
        let s = "Body.\n\nNice one\n\nReport as abusive\n";
        let t = Text::new(s.to_owned());
        let r = comment_ranges(&t);
        assert_eq!(r.len(), 1);
        assert_eq!(t.slice(r[0].0, r[0].1), "Nice one\n\nReport as abusive");
        assert!(comment_ranges(&Text::new("Posted by the editor\nno comments".into())).is_empty());
    }
}
