//! Self-contained HTML report: one file with inline CSS, no scripts and no
//! external resources. Per document its metadata, then the excerpts grouped
//! by issue and by actor, each highlighted in its tag's colour, with its
//! other tags (as coloured chips), stance and note.
//!
//! Invariants:
//! - Every piece of user text (names, metadata, excerpts, notes, ids) goes
//!   through [`escape`]; colours come from the codebook's `Rgb`, never from
//!   user strings.
//! - Excerpts keep their exact text (`white-space: pre-wrap`).

use super::{ExportDoc, Filter, group_by_tag};
use crate::core::annotation::Annotation;
use crate::core::codebook::{Rgb, TagKind};
use std::fmt::Write;

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}\
blockquote{margin:.5em 0;padding:.3em .8em;border-left:4px solid #ccc;background:#fafafa}\
mark{white-space:pre-wrap;color:inherit;padding:0 .1em}\
.facts{color:#555;font-size:.9em;margin:.2em 0 1em}\
.chip{display:inline-block;padding:0 .4em;margin:0 .2em;border-radius:.6em;font-size:.85em}\
.note{font-style:italic;white-space:pre-wrap}\
dl.meta dt{font-weight:bold;float:left;clear:left;width:8em}dl.meta dd{margin-left:9em}";

fn chip(c: Rgb, label: &str) -> String {
    format!(
        "<span class=\"chip\" style=\"background:{}33;border:1px solid {}\">{}</span>",
        c.to_hex(),
        c.to_hex(),
        escape(label)
    )
}

fn excerpt_html(out: &mut String, d: &ExportDoc, a: &Annotation, group: Option<(TagKind, &str)>) {
    let color = match group {
        Some((k, n)) => d.tag_color(k, n),
        None => Rgb([0xdd, 0xdd, 0xdd]),
    };
    let hex = color.to_hex();
    let _ = writeln!(
        out,
        "<blockquote><mark style=\"background:{hex}55;border-bottom:3px solid {hex}\">{}</mark></blockquote>",
        escape(d.excerpt_text(a))
    );
    let mut facts = format!("{}–{} · ", a.start, a.end);
    for (k, n) in a.all_tags() {
        if group != Some((k, n)) {
            facts.push_str(&chip(d.tag_color(k, n), &format!("{k}: {n}")));
        }
    }
    if let Some(s) = a.stance {
        let _ = write!(facts, " · stance: {}", s.as_str());
    }
    if let Some(c) = &a.coder {
        let _ = write!(facts, " · coder: {}", escape(c));
    }
    let _ = writeln!(out, "<div class=\"facts\">{facts}</div>");
    if let Some(n) = &a.note {
        let _ = writeln!(out, "<p class=\"note\">Note: {}</p>", escape(n));
    }
}

/// The report for several documents.
pub fn to_string(docs: &[ExportDoc], filter: &Filter) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<title>Marginalia excerpts</title>\n");
    let _ = writeln!(
        out,
        "<style>{STYLE}</style>\n</head>\n<body>\n<h1>Marginalia excerpts</h1>"
    );
    for d in docs {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(d.name));
        let m = &d.set.metadata;
        out.push_str("<dl class=\"meta\">\n");
        for (_, k, v) in m.fields() {
            if let Some(v) = v {
                let _ = writeln!(out, "<dt>{k}</dt><dd>{}</dd>", escape(v));
            }
        }
        let _ = writeln!(
            out,
            "<dt>Excerpts</dt><dd>{}</dd>\n</dl>",
            d.excerpts(filter).count()
        );
        for (kind, title) in [(TagKind::Issue, "By issue"), (TagKind::Actor, "By actor")] {
            let groups = group_by_tag(d, filter, kind);
            if groups.is_empty() {
                continue;
            }
            let _ = writeln!(out, "<h3>{title}</h3>");
            for (name, list) in groups {
                let _ = writeln!(
                    out,
                    "<h4>{} ({})</h4>",
                    chip(d.tag_color(kind, &name), &name),
                    list.len()
                );
                for a in list {
                    excerpt_html(&mut out, d, a, Some((kind, &name)));
                }
            }
        }
        let untagged: Vec<&Annotation> = d
            .excerpts(filter)
            .filter(|a| a.issues.is_empty() && a.actors.is_empty())
            .collect();
        if !untagged.is_empty() {
            out.push_str("<h3>Untagged</h3>\n");
            for a in untagged {
                excerpt_html(&mut out, d, a, None);
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x&y')</script>\""),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;"
        );
    }
}
