//! W3C Web Annotation Data Model export (JSON-LD).
//!
//! Shape: one `AnnotationCollection` whose `first` `AnnotationPage` lists
//! every annotation in `items`. Each annotation has:
//! - `id` `urn:marginalia:<sha256 of the text>:<annotation id>` (the id
//!   percent-encoded), so ids are stable across exports;
//! - `target`: `source` (an External Web Resource `urn:marginalia:<sha256>`
//!   with `type` `Text`, `format` `text/plain` and the document name as
//!   `label`) and two selectors: a `TextQuoteSelector` (exact text plus up
//!   to 32 code points of prefix and suffix) and a `TextPositionSelector`
//!   (code points, end excluded);
//! - `body`: per tag a `TextualBody` with purpose `tagging` and the tag
//!   name as value, followed by a `TextualBody` with purpose `classifying`
//!   and value `issue:<name>` or `actor:<name>`; the stance as a
//!   `classifying` body `stance:<support|oppose|neutral>`; the note as a
//!   `TextualBody` with purpose `commenting`;
//! - `motivation` `tagging` (and `commenting` when there is a note),
//!   `created`/`modified` when they are valid RFC 3339 times, and the
//!   coder as `creator` (`Person` with `name`).
//!
//! Invariant: `exact` is the source's code points `start..end`.

use super::{ExportDoc, Filter};
use crate::core::annotation::{Annotation, CONTEXT_CHARS};
use crate::core::text::sha256_hex;
use serde_json::{Value, json};

/// The Web Annotation JSON-LD context.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The IRI of the text a document's annotations point into.
pub fn source_iri(doc: &ExportDoc) -> String {
    format!("urn:marginalia:{}", doc.text.sha256())
}

/// The stable IRI of one annotation.
pub fn annotation_iri(doc: &ExportDoc, a: &Annotation) -> String {
    format!("{}:{}", source_iri(doc), percent_encode(&a.id))
}

fn valid_time(s: &str) -> bool {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

fn textual(purpose: &str, value: &str) -> Value {
    json!({ "type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain" })
}

/// One annotation as a W3C Web Annotation.
pub fn annotation_value(doc: &ExportDoc, a: &Annotation) -> Value {
    let len = doc.text.len_chars();
    let mut body = Vec::new();
    for (kind, name) in a.all_tags() {
        body.push(textual("tagging", name));
        body.push(textual("classifying", &format!("{kind}:{name}")));
    }
    if let Some(s) = a.stance {
        body.push(textual("classifying", &format!("stance:{}", s.as_str())));
    }
    let mut motivation = vec!["tagging"];
    if let Some(n) = &a.note {
        body.push(textual("commenting", n));
        motivation.push("commenting");
    }
    let mut v = json!({
        "@context": CONTEXT,
        "id": annotation_iri(doc, a),
        "type": "Annotation",
        "motivation": motivation,
        "body": body,
        "target": {
            "source": {
                "id": source_iri(doc),
                "type": "Text",
                "format": "text/plain",
                "label": doc.name,
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": doc.excerpt_text(a),
                    "prefix": doc.text.slice(a.start.saturating_sub(CONTEXT_CHARS), a.start),
                    "suffix": doc.text.slice(a.end, (a.end + CONTEXT_CHARS).min(len)),
                },
                { "type": "TextPositionSelector", "start": a.start, "end": a.end },
            ],
        },
    });
    if let Some(obj) = v.as_object_mut() {
        if body_is_empty(obj) {
            obj.remove("body");
        }
        if valid_time(&a.created) {
            obj.insert("created".into(), Value::String(a.created.clone()));
        }
        if valid_time(&a.modified) {
            obj.insert("modified".into(), Value::String(a.modified.clone()));
        }
        if let Some(c) = &a.coder {
            obj.insert("creator".into(), json!({ "type": "Person", "name": c }));
        }
    }
    v
}

fn body_is_empty(obj: &serde_json::Map<String, Value>) -> bool {
    obj.get("body")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
}

/// The whole export: an `AnnotationCollection` with one page.
pub fn to_value(docs: &[ExportDoc], filter: &Filter) -> Value {
    let items: Vec<Value> = docs
        .iter()
        .flat_map(|d| d.excerpts(filter).map(move |a| annotation_value(d, a)))
        .collect();
    let key: Vec<&str> = docs.iter().map(|d| d.text.sha256()).collect();
    let coll = format!("urn:marginalia:collection:{}", sha256_hex(&key.join(",")));
    json!({
        "@context": CONTEXT,
        "id": coll,
        "type": "AnnotationCollection",
        "label": "Marginalia excerpts",
        "total": items.len(),
        "first": {
            "id": format!("{coll}:page1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

/// The export as pretty JSON ending in a newline.
pub fn to_string(docs: &[ExportDoc], filter: &Filter) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(docs, filter)).unwrap_or_default();
    s.push('\n');
    s
}
