//! Markdown import: the text as a reader sees it, with markup removed.
//!
//! Invariants and rules:
//! - Bytes are decoded as UTF-8 (BOM dropped; UTF-16 with a BOM accepted),
//!   else as Windows-1252; decoding never fails on content.
//! - A front matter block at the very top (YAML between `---` lines, or TOML
//!   between `+++` lines) is removed from the text; its `title`, `author`
//!   (or `authors`), `date`, `url` (or `link`) and `publication` (or `site`)
//!   keys become metadata, read with simple `key: value` line parsing.
//! - Parsed with pulldown-cmark (CommonMark plus tables, strikethrough, task
//!   lists and footnotes). Headings, paragraphs, block quotes, code blocks and
//!   tables are paragraphs separated by a blank line; list items are single
//!   lines prefixed `• ` (or `1. ` … for ordered lists; nested lists are
//!   indented by two spaces a level); table rows are lines with cells
//!   separated by a tab; code blocks keep their text verbatim.
//! - Emphasis and other inline markup is removed; links keep their text,
//!   images their alt text; raw HTML (inline or block) is dropped; a soft
//!   line break becomes a space, a hard one a newline.
//! - The title is the front matter's `title`, else the first level-1
//!   heading.
//! - Then the common normalisation of [`super`] applies.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Extracted, ImportError, clean_field, decode_with_fallback, normalize, normalize_date};
use crate::core::set::Metadata;

/// Extractor name and version for Markdown.
pub const EXTRACTOR: &str = "marginalia-markdown/1";

/// Extracts the reader's text and metadata of a Markdown file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ImportError> {
    let source = decode_with_fallback(bytes, encoding_rs::WINDOWS_1252)?;
    let source = source.replace("\r\n", "\n").replace('\r', "\n");
    let (mut metadata, body) = split_front_matter(&source);
    let (text, h1) = render(body);
    if metadata.title.is_none() {
        metadata.title = h1;
    }
    Ok(Extracted {
        text: normalize(&text),
        metadata,
        extractor: EXTRACTOR.to_owned(),
    })
}

/// Splits a leading front matter block off; returns its metadata and the
/// rest of the text.
fn split_front_matter(source: &str) -> (Metadata, &str) {
    let mut metadata = Metadata::default();
    let (fence, sep) = if source.starts_with("---\n") {
        ("---", ':')
    } else if source.starts_with("+++\n") {
        ("+++", '=')
    } else {
        return (metadata, source);
    };
    let after_open = &source[4..];
    // Find the closing fence line.
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == fence || (fence == "---" && bare == "...") {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((end, rest)) = close else {
        return (metadata, source);
    };
    let block = &after_open[..end];
    let lines: Vec<&str> = block.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((key, value)) = line.split_once(sep) else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let mut value = unquote(value.trim()).to_owned();
        if value.is_empty() {
            // A YAML list on the following lines: "- item".
            let mut items = Vec::new();
            while i < lines.len() {
                let Some(item) = lines[i].trim_start().strip_prefix("- ") else {
                    break;
                };
                items.push(unquote(item.trim()).to_owned());
                i += 1;
            }
            value = items.join(", ");
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            value = inner
                .split(',')
                .map(|s| unquote(s.trim()))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
        }
        let value = clean_field(&value);
        let slot = match key.as_str() {
            "title" => &mut metadata.title,
            "author" | "authors" | "by" => &mut metadata.author,
            "date" | "published" => &mut metadata.date,
            "url" | "link" | "canonical_url" => &mut metadata.url,
            "publication" | "site" | "site_name" => &mut metadata.publication,
            _ => continue,
        };
        if slot.is_none() {
            *slot = value;
        }
    }
    metadata.date = metadata.date.as_deref().and_then(normalize_date);
    (metadata, &after_open[rest..])
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2
            && let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q))
        {
            return inner;
        }
    }
    s
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Line,
    Para,
}

struct Writer {
    out: String,
    pending: Break,
}

impl Writer {
    fn request(&mut self, b: Break) {
        self.pending = self.pending.max(b);
    }

    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            match self.pending {
                Break::None => {}
                Break::Line => {
                    if !self.out.ends_with('\n') {
                        self.out.push('\n');
                    }
                }
                Break::Para => {
                    while !self.out.ends_with("\n\n") {
                        self.out.push('\n');
                    }
                }
            }
        }
        self.pending = Break::None;
        self.out.push_str(s);
    }
}

/// The reader's text of a Markdown body (before normalisation) and its
/// first level-1 heading.
fn render(body: &str) -> (String, Option<String>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut w = Writer {
        out: String::new(),
        pending: Break::None,
    };
    // Counters of the enclosing lists: `Some(n)` for an ordered list.
    let mut lists: Vec<Option<u64>> = Vec::new();
    // The current item has written nothing but its bullet.
    let mut item_fresh = false;
    let mut cell_index = 0usize;
    let mut html_block = false;
    let mut h1: Option<String> = None;
    let mut in_h1: Option<String> = None;

    for event in Parser::new_ext(body, options) {
        let mut written: Option<String> = None;
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    if lists.is_empty() {
                        w.request(Break::Para);
                    } else if !item_fresh {
                        w.request(Break::Line);
                    }
                }
                Tag::Heading { level, .. } => {
                    w.request(Break::Para);
                    if level == HeadingLevel::H1 && h1.is_none() {
                        in_h1 = Some(String::new());
                    }
                }
                Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => w.request(Break::Para),
                Tag::CodeBlock(_) => {
                    w.request(if lists.is_empty() {
                        Break::Para
                    } else {
                        Break::Line
                    });
                }
                Tag::HtmlBlock => html_block = true,
                Tag::List(start) => {
                    w.request(if lists.is_empty() {
                        Break::Para
                    } else {
                        Break::Line
                    });
                    lists.push(start);
                }
                Tag::Item => {
                    w.request(Break::Line);
                    let indent = "  ".repeat(lists.len().saturating_sub(1));
                    let bullet = match lists.last_mut() {
                        Some(Some(n)) => {
                            let b = format!("{indent}{n}. ");
                            *n = n.saturating_add(1);
                            b
                        }
                        _ => format!("{indent}• "),
                    };
                    w.push(&bullet);
                    item_fresh = true;
                }
                Tag::Table(_) => w.request(Break::Para),
                Tag::TableHead | Tag::TableRow => {
                    w.request(Break::Line);
                    cell_index = 0;
                }
                Tag::TableCell => {
                    if cell_index > 0 {
                        w.push("\t");
                    }
                    cell_index += 1;
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph if lists.is_empty() => w.request(Break::Para),
                TagEnd::Heading(_) => {
                    w.request(Break::Para);
                    if let Some(t) = in_h1.take() {
                        h1 = clean_field(&t);
                    }
                }
                TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition | TagEnd::Table => {
                    w.request(Break::Para)
                }
                TagEnd::CodeBlock => {
                    w.request(if lists.is_empty() {
                        Break::Para
                    } else {
                        Break::Line
                    });
                }
                TagEnd::HtmlBlock => html_block = false,
                TagEnd::List(_) => {
                    lists.pop();
                    w.request(if lists.is_empty() {
                        Break::Para
                    } else {
                        Break::Line
                    });
                }
                TagEnd::Item | TagEnd::TableHead | TagEnd::TableRow => {
                    w.request(Break::Line);
                }
                _ => {}
            },
            Event::Text(t) if !html_block => written = Some(t.into_string()),
            Event::Code(t) => written = Some(t.into_string()),
            Event::SoftBreak => written = Some(" ".to_owned()),
            Event::HardBreak => written = Some("\n".to_owned()),
            Event::Rule => w.request(Break::Para),
            Event::TaskListMarker(done) => {
                written = Some(if done { "[x] " } else { "[ ] " }.to_owned());
            }
            Event::FootnoteReference(name) => written = Some(format!("[{name}]")),
            // Raw HTML is not what a reader sees.
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
        if let Some(s) = written {
            if let Some(t) = in_h1.as_mut() {
                t.push_str(&s);
            }
            w.push(&s);
            if !s.is_empty() {
                item_fresh = false;
            }
        }
    }
    (w.out, h1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(md: &str) -> String {
        extract(md.as_bytes()).unwrap().text
    }

    #[test]
    fn markup_removed_paragraphs_kept() {
        let got = text(
            "# Title\n\nSome *emphasis*, **strong** and `code` with a\n[link](http://x.org \"t\") \
             and ![alt text](i.png).\n\n## Sub\n\nNext <span>inline</span> html.\n\n<div>\nblock html\n</div>\n\n---\n\n> quoted\n> text\n",
        );
        assert_eq!(
            got,
            "Title\n\nSome emphasis, strong and code with a link and alt text.\n\nSub\n\nNext inline html.\n\nquoted text\n"
        );
    }

    #[test]
    fn lists_and_code_blocks() {
        let got = text(
            "Intro:\n\n- one\n- two\n  - nested\n\n3. three\n4. four\n\n```rust\nfn main() {\n    x();\n}\n```\n\nAfter.\n",
        );
        assert_eq!(
            got,
            "Intro:\n\n• one\n• two\n  • nested\n\n3. three\n4. four\n\nfn main() {\n    x();\n}\n\nAfter.\n"
        );
    }

    #[test]
    fn loose_list_items_stay_lines() {
        assert_eq!(text("- a\n\n- b\n\n  more\n"), "• a\n• b\nmore\n");
    }

    #[test]
    fn tables_and_tasks() {
        assert_eq!(
            text("| A | B |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n"),
            "A\tB\n1\t2\n\n• [x] done\n• [ ] todo\n"
        );
    }

    #[test]
    fn front_matter_read_and_dropped() {
        let e = extract(
            b"---\ntitle: \"Front Title\"\nauthors:\n  - Ann\n  - Bob\ndate: 2012-07-04T10:00:00Z\nurl: https://e.org/x\nsite: The Site\ntags: [a, b]\n---\n# Heading\n\nBody.\n",
        )
        .unwrap();
        assert_eq!(e.text, "Heading\n\nBody.\n");
        assert_eq!(e.metadata.title.as_deref(), Some("Front Title"));
        assert_eq!(e.metadata.author.as_deref(), Some("Ann, Bob"));
        assert_eq!(e.metadata.date.as_deref(), Some("2012-07-04"));
        assert_eq!(e.metadata.url.as_deref(), Some("https://e.org/x"));
        assert_eq!(e.metadata.publication.as_deref(), Some("The Site"));
        assert_eq!(e.extractor, EXTRACTOR);
    }

    #[test]
    fn title_from_first_h1_without_front_matter() {
        let e =
            extract("Intro\n\n## Not it\n\n# The *Real* Title\n\n# Second\n".as_bytes()).unwrap();
        assert_eq!(e.metadata.title.as_deref(), Some("The Real Title"));
    }

    #[test]
    fn unclosed_front_matter_is_text() {
        assert_eq!(text("---\ntitle: x\n\nbody\n"), "title: x\n\nbody\n");
    }

    #[test]
    fn crlf_and_legacy_bytes() {
        assert_eq!(text("a\r\nb\r\n\r\nc\r\n"), "a b\n\nc\n");
        assert_eq!(extract(b"caf\xe9\n").unwrap().text, "café\n");
    }
}
