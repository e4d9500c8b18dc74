//! Markdown report: per document its metadata, then the excerpts grouped
//! by issue and by actor (each with its other tags, stance and note), then
//! untagged excerpts.
//!
//! Invariants:
//! - Every piece of user text is escaped so it renders literally: ASCII
//!   punctuation that Markdown interprets is backslash-escaped, so an
//!   excerpt renders as exactly its text (line breaks become hard breaks;
//!   a trailing CR of a CRLF line is dropped from the Markdown source).
//! - Output uses `\n` line endings and is deterministic.

use super::{ExportDoc, Filter, group_by_tag};
use crate::core::annotation::Annotation;
use crate::core::codebook::TagKind;
use std::fmt::Write;

/// Escapes Markdown syntax in inline text (CommonMark allows a backslash
/// before any ASCII punctuation).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '-' | '.' | '!' | '|' | '~' | '&' | '=' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An excerpt as a block quote: one `> ` line per text line, hard breaks
/// (`\` at the end) between lines.
fn quote(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push_str("> ");
        out.push_str(&escape(line));
        if i + 1 < lines.len()
            && !line.is_empty()
            && !lines[i + 1].trim_end_matches('\r').is_empty()
        {
            out.push('\\');
        }
        out.push('\n');
    }
    out
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
        let _ = writeln!(out, "\n*Note:* {}", escape(n));
    }
    out.push('\n');
}

/// The report for several documents.
pub fn to_string(docs: &[ExportDoc], filter: &Filter) -> String {
    let mut out = String::from("# Marginalia excerpts\n\n");
    for d in docs {
        let _ = writeln!(out, "## {}\n", escape(d.name));
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
