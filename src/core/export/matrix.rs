//! The document × tag matrix ("code by case"): one CSV row per document,
//! one column per tag, for statistics in R, Stata or a spreadsheet.
//!
//! Invariants:
//! - Header: `document,title,author,publication,date,url,status`, then one
//!   column per document attribute name used (sorted; `attribute_<name>`
//!   when it would clash with a fixed column), then one column per tag:
//!   issues then actors, each sorted by name, named `issue:<name>` /
//!   `actor:<name>`. The tags are those of any document's codebook and
//!   those used by any exported annotation, so a tag nobody used is a
//!   column of zeros.
//! - A tag cell is the number of the document's exported annotations
//!   (after the filter) carrying the tag; with `binary`, 1 when that
//!   number is above 0, else 0.
//! - Rows in document order; text cells neutralised against spreadsheet
//!   formulas unless `raw` (see [`super::csv::neutralize`]); CRLF line
//!   ends; deterministic.

use super::csv::{cell, finish, writer};
use super::{ExportDoc, ExportError, Filter};
use crate::core::codebook::TagKind;
use std::collections::{BTreeMap, BTreeSet};

/// The fixed columns before the attributes and tags.
pub const HEADER: [&str; 7] = [
    "document",
    "title",
    "author",
    "publication",
    "date",
    "url",
    "status",
];

/// The tags that get a column, issues first, each kind sorted by name.
pub fn tag_columns(docs: &[ExportDoc], filter: &Filter) -> Vec<(TagKind, String)> {
    let mut tags: BTreeSet<(TagKind, String)> = BTreeSet::new();
    for d in docs {
        for t in d.set.codebook.tags() {
            tags.insert((t.kind, t.name.clone()));
        }
        for a in d.excerpts(filter) {
            tags.extend(a.all_tags().map(|(k, n)| (k, n.to_owned())));
        }
    }
    let mut out: Vec<(TagKind, String)> = tags.into_iter().collect();
    out.sort_by_key(|(k, n)| (*k != TagKind::Issue, n.clone()));
    out
}

/// The matrix as CSV text (see the module docs).
pub fn to_string(
    docs: &[ExportDoc],
    filter: &Filter,
    binary: bool,
    raw: bool,
) -> Result<String, ExportError> {
    let err = |e: csv::Error| ExportError::Format(e.to_string());
    let attributes = super::attribute_names(docs);
    let tags = tag_columns(docs, filter);
    let mut w = writer();
    let mut header: Vec<String> = HEADER.iter().map(|s| (*s).to_owned()).collect();
    header.extend(
        attributes
            .iter()
            .map(|n| super::attribute_column(n, &HEADER)),
    );
    // `issue:`/`actor:` first, so a tag name never starts a formula.
    header.extend(tags.iter().map(|(k, n)| format!("{k}:{n}")));
    w.write_record(&header).map_err(err)?;
    for d in docs {
        let m = &d.set.metadata;
        let mut counts: BTreeMap<(TagKind, &str), usize> = BTreeMap::new();
        for a in d.excerpts(filter) {
            for tag in a.all_tags() {
                *counts.entry(tag).or_default() += 1;
            }
        }
        let mut row = vec![cell(d.name, raw)];
        for (key, _, value) in m.fields() {
            if key != "notes" {
                row.push(cell(value.unwrap_or(""), raw));
            }
        }
        row.push(m.status.as_str().to_owned());
        row.extend(
            attributes
                .iter()
                .map(|n| cell(m.attributes.get(n).map_or("", String::as_str), raw)),
        );
        row.extend(tags.iter().map(|(k, n)| {
            let c = counts.get(&(*k, n.as_str())).copied().unwrap_or(0);
            if binary { usize::from(c > 0) } else { c }.to_string()
        }));
        w.write_record(&row).map_err(err)?;
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::set::{AnnotationSet, DocStatus, SourceRef};
    use crate::core::text::Text;

    fn set(text: &Text, tags: &[&[(TagKind, &str)]]) -> AnnotationSet {
        let mut s = AnnotationSet::new(SourceRef::default());
        let anns = tags
            .iter()
            .enumerate()
            .map(|(i, tags)| {
                let mut a = Annotation::new(format!("a{i}"), text, i, i + 2, "t");
                for (k, n) in *tags {
                    a.add_tag(*k, n);
                }
                a
            })
            .collect();
        s.set_annotations(anns);
        s
    }

    #[test]
    fn rows_are_documents_and_cells_count_excerpts_per_tag() {
        use TagKind::{Actor, Issue};
        let text = Text::new("Drones over Waziristan.".into());
        let mut a = set(
            &text,
            &[
                &[(Issue, "Drones"), (Actor, "ISI")],
                &[(Issue, "Drones")],
                &[(Actor, "=Army")],
            ],
        );
        a.metadata.title = Some("Truce".into());
        a.metadata.date = Some("2012-07-04".into());
        a.metadata.status = DocStatus::Done;
        a.metadata.attributes.insert("outlet".into(), "Dawn".into());
        a.metadata.attributes.insert("date".into(), "July".into());
        let mut b = set(&text, &[&[(Issue, "Trade")], &[]]);
        let t = b.codebook.new_tag(Issue, "Unused");
        b.codebook.insert(t);
        let docs = [
            ExportDoc {
                name: "a.txt",
                text: &text,
                set: &a,
            },
            ExportDoc {
                name: "b.txt",
                text: &text,
                set: &b,
            },
        ];
        let out = to_string(&docs, &Filter::default(), false, false).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "document,title,author,publication,date,url,status,attribute_date,outlet,\
             issue:Drones,issue:Trade,issue:Unused,actor:=Army,actor:ISI"
        );
        assert_eq!(
            lines[1],
            "a.txt,Truce,,,2012-07-04,,done,July,Dawn,2,0,0,1,1"
        );
        assert_eq!(lines[2], "b.txt,,,,,,to_do,,,0,1,0,0,0");
        assert_eq!(lines[3], "");
        let binary = to_string(&docs, &Filter::default(), true, true).unwrap();
        let lines: Vec<&str> = binary.split("\r\n").collect();
        assert!(lines[0].ends_with("actor:=Army,actor:ISI"));
        assert_eq!(
            lines[1],
            "a.txt,Truce,,,2012-07-04,,done,July,Dawn,1,0,0,1,1"
        );
        // The filter counts only matching excerpts; tags neither in a
        // codebook nor on a matching excerpt get no column.
        let filter = Filter {
            issues: vec![],
            actors: vec!["ISI".into()],
        };
        let out = to_string(&docs, &filter, false, false).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert!(lines[0].ends_with(",outlet,issue:Drones,issue:Unused,actor:ISI"));
        assert_eq!(lines[1], "a.txt,Truce,,,2012-07-04,,done,July,Dawn,1,0,1");
        assert_eq!(out, to_string(&docs, &filter, false, false).unwrap());
    }
}
