//! The `marginalia-excerpts` JSON format (DESIGN.md), the reference export.
//!
//! Invariant: `text` equals the source's code points `start..end`.

use super::{ExportDoc, Filter};
use serde_json::{Map, Value, json};

/// Format name written in the `format` field.
pub const FORMAT: &str = "marginalia-excerpts";
/// Format version written in the `version` field.
pub const VERSION: u32 = 1;

/// Builds the JSON value for several documents.
pub fn to_value(docs: &[ExportDoc], filter: &Filter) -> Value {
    let documents: Vec<Value> = docs
        .iter()
        .map(|d| {
            let m = &d.set.metadata;
            let mut meta = Map::new();
            for (k, v) in [
                ("title", &m.title),
                ("author", &m.author),
                ("publication", &m.publication),
                ("date", &m.date),
                ("url", &m.url),
                ("notes", &m.notes),
            ] {
                if let Some(v) = v {
                    meta.insert(k.to_owned(), Value::String(v.clone()));
                }
            }
            let excerpts: Vec<Value> = d
                .excerpts(filter)
                .map(|a| {
                    json!({
                        "id": a.id,
                        "start": a.start,
                        "end": a.end,
                        "text": d.excerpt_text(a),
                        "issues": a.issues,
                        "actors": a.actors,
                        "note": a.note,
                        "stance": a.stance.map(|s| s.as_str()),
                        "coder": a.coder,
                        "created": a.created,
                        "modified": a.modified,
                    })
                })
                .collect();
            let mut doc = json!({
                "source": d.name,
                "sha256": d.text.sha256(),
                "length": d.text.len_chars(),
                "metadata": Value::Object(meta),
                "excerpts": excerpts,
            });
            if let (Some(orig), Some(obj)) = (&d.set.source.original, doc.as_object_mut()) {
                obj.insert("original".into(), Value::String(orig.clone()));
            }
            doc
        })
        .collect();
    json!({ "format": FORMAT, "version": VERSION, "documents": documents })
}

/// The export as pretty-printed JSON text ending in a newline.
pub fn to_string(docs: &[ExportDoc], filter: &Filter) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(docs, filter)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::TagKind;
    use crate::core::set::{AnnotationSet, SourceRef};
    use crate::core::text::Text;

    #[test]
    fn text_is_exact_code_points_and_filter_applies() {
        let text = Text::new("\u{feff}«Pakistan’s» اردو 😀\r\nsecond".into());
        let mut set = AnnotationSet::new(SourceRef::default());
        set.codebook
            .insert(set.codebook.new_tag(TagKind::Issue, "X"));
        let mut a = Annotation::new("a1".into(), &text, 1, 11, "t");
        a.add_tag(TagKind::Issue, "X");
        set.insert_sorted(a);
        set.insert_sorted(Annotation::new("a2".into(), &text, 18, 23, "t"));
        let doc = ExportDoc {
            name: "x.txt",
            text: &text,
            set: &set,
        };
        let v = to_value(&[doc], &Filter::default());
        let ex = &v["documents"][0]["excerpts"];
        assert_eq!(ex[0]["text"], "Pakistan’s");
        assert_eq!(ex[1]["text"], "😀\r\nse");
        assert_eq!(v["format"], FORMAT);
        let only_x = Filter {
            issues: vec!["X".into()],
            ..Default::default()
        };
        let v = to_value(&[doc], &only_x);
        assert_eq!(v["documents"][0]["excerpts"].as_array().unwrap().len(), 1);
    }
}
