//! CSV export (RFC 4180, UTF-8, through the `csv` crate).
//!
//! Invariants:
//! - Wide format: the header starts `document,id,start,end,excerpt,issues,
//!   actors,note` followed by `title,date,coder,stance`; one row per
//!   annotation; multiple values joined with `; `.
//! - Long format: `document,id,start,end,kind,tag,excerpt`, one row per
//!   (annotation, tag); an annotation without tags gets one row with empty
//!   `kind` and `tag`, so nothing is lost.
//! - Unless `raw`, a text cell a spreadsheet would run as a formula (first
//!   character `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`. With
//!   `raw` every cell is the exact value (excerpts are then exactly the
//!   source's code points `start..end`).
//! - Newlines inside cells are kept (quoted), never translated.
//! - When some document has a coding status or attributes (a corpus), both
//!   formats end with a `status` column (`to_do`, `in_progress`, `done`)
//!   and one column per attribute name used, sorted (a name equal to a
//!   fixed column's gets the prefix `attribute_`); a document without that
//!   attribute has an empty cell. Otherwise the header is as above.

use super::{ExportDoc, ExportError, Filter};

/// Header of the wide format.
pub const HEADER: [&str; 12] = [
    "document", "id", "start", "end", "excerpt", "issues", "actors", "note", "title", "date",
    "coder", "stance",
];

/// Header of the long format.
pub const HEADER_LONG: [&str; 7] = ["document", "id", "start", "end", "kind", "tag", "excerpt"];

/// Separator between several values in one cell.
pub const JOIN: &str = "; ";

/// `cell` made safe for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or
/// CR gets a `'` in front (OWASP CSV injection advice).
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// `s` as a cell: neutralised unless `raw`.
pub(crate) fn cell(s: &str, raw: bool) -> String {
    if raw { s.to_owned() } else { neutralize(s) }
}

/// The CSV text a writer from [`writer`] holds.
pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Format(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Format(e.to_string()))
}

/// A CSV writer into memory with CRLF line ends.
pub(crate) fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The corpus columns of an export (see the module docs): their header
/// names and, per document, its cells.
struct CorpusColumns {
    names: Vec<String>,
}

impl CorpusColumns {
    fn new(docs: &[ExportDoc]) -> Option<CorpusColumns> {
        let used = docs.iter().any(|d| d.set.metadata.needed_version() > 1);
        used.then(|| CorpusColumns {
            names: super::attribute_names(docs),
        })
    }

    fn header(&self, fixed: &[&str]) -> Vec<String> {
        let mut h: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
        h.push("status".to_owned());
        let mut taken = fixed.to_vec();
        taken.push("status");
        h.extend(
            self.names
                .iter()
                .map(|n| super::attribute_column(n, &taken)),
        );
        h
    }

    fn cells(&self, d: &ExportDoc, raw: bool) -> Vec<String> {
        let m = &d.set.metadata;
        let mut c = vec![m.status.as_str().to_owned()];
        c.extend(
            self.names
                .iter()
                .map(|n| cell(m.attributes.get(n).map_or("", String::as_str), raw)),
        );
        c
    }
}

/// The wide CSV: one row per annotation.
pub fn to_string(docs: &[ExportDoc], filter: &Filter, raw: bool) -> Result<String, ExportError> {
    let mut w = writer();
    let err = |e: csv::Error| ExportError::Format(e.to_string());
    let corpus = CorpusColumns::new(docs);
    match &corpus {
        Some(c) => w.write_record(c.header(&HEADER)).map_err(err)?,
        None => w.write_record(HEADER).map_err(err)?,
    }
    for d in docs {
        let m = &d.set.metadata;
        let extra = corpus.as_ref().map(|c| c.cells(d, raw)).unwrap_or_default();
        for a in d.excerpts(filter) {
            let row = [
                cell(d.name, raw),
                cell(&a.id, raw),
                a.start.to_string(),
                a.end.to_string(),
                cell(d.excerpt_text(a), raw),
                cell(&a.issues.join(JOIN), raw),
                cell(&a.actors.join(JOIN), raw),
                cell(a.note.as_deref().unwrap_or(""), raw),
                cell(m.title.as_deref().unwrap_or(""), raw),
                cell(m.date.as_deref().unwrap_or(""), raw),
                cell(a.coder.as_deref().unwrap_or(""), raw),
                a.stance.map(|s| s.as_str()).unwrap_or("").to_owned(),
            ];
            w.write_record(row.iter().chain(&extra)).map_err(err)?;
        }
    }
    finish(w)
}

/// The long CSV: one row per (annotation, tag), issues first.
pub fn to_string_long(
    docs: &[ExportDoc],
    filter: &Filter,
    raw: bool,
) -> Result<String, ExportError> {
    let mut w = writer();
    let err = |e: csv::Error| ExportError::Format(e.to_string());
    let corpus = CorpusColumns::new(docs);
    match &corpus {
        Some(c) => w.write_record(c.header(&HEADER_LONG)).map_err(err)?,
        None => w.write_record(HEADER_LONG).map_err(err)?,
    }
    for d in docs {
        let extra = corpus.as_ref().map(|c| c.cells(d, raw)).unwrap_or_default();
        for a in d.excerpts(filter) {
            let excerpt = cell(d.excerpt_text(a), raw);
            let mut tags: Vec<(&str, &str)> = a.all_tags().map(|(k, n)| (k.as_str(), n)).collect();
            if tags.is_empty() {
                tags.push(("", ""));
            }
            for (kind, tag) in tags {
                let row = [
                    cell(d.name, raw),
                    cell(&a.id, raw),
                    a.start.to_string(),
                    a.end.to_string(),
                    kind.to_owned(),
                    cell(tag, raw),
                    excerpt.clone(),
                ];
                w.write_record(row.iter().chain(&extra)).map_err(err)?;
            }
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for s in ["=1+1", "+x", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralize(s), format!("'{s}"));
        }
        for s in ["x=1", "", "'a", "Pakistan"] {
            assert_eq!(neutralize(s), s);
        }
    }

    #[test]
    fn corpus_documents_get_status_and_attribute_columns() {
        use crate::core::annotation::Annotation;
        use crate::core::set::{AnnotationSet, DocStatus, SourceRef};
        use crate::core::text::Text;
        let text = Text::new("Drones over Waziristan.".into());
        let mut a = AnnotationSet::new(SourceRef::default());
        a.set_annotations(vec![Annotation::new("a1".into(), &text, 0, 6, "t")]);
        let mut b = a.clone();
        a.metadata.status = DocStatus::Done;
        a.metadata
            .attributes
            .insert("outlet".into(), "=Dawn".into());
        a.metadata.attributes.insert("title".into(), "T".into());
        b.metadata.attributes.insert("country".into(), "PK".into());
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
        let out = to_string(&docs, &Filter::default(), false).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "document,id,start,end,excerpt,issues,actors,note,title,date,coder,stance,status,country,outlet,attribute_title"
        );
        assert_eq!(lines[1], "a.txt,a1,0,6,Drones,,,,,,,,done,,'=Dawn,T");
        assert_eq!(lines[2], "b.txt,a1,0,6,Drones,,,,,,,,to_do,PK,,");
        let long = to_string_long(&docs, &Filter::default(), true).unwrap();
        let lines: Vec<&str> = long.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "document,id,start,end,kind,tag,excerpt,status,country,outlet,title"
        );
        assert_eq!(lines[1], "a.txt,a1,0,6,,,Drones,done,,=Dawn,T");
        // Sets without status or attributes: the header stays as it was.
        let plain = AnnotationSet::new(SourceRef::default());
        let docs = [ExportDoc {
            name: "c.txt",
            text: &text,
            set: &plain,
        }];
        let out = to_string(&docs, &Filter::default(), false).unwrap();
        assert_eq!(out.split("\r\n").next().unwrap(), HEADER.join(","));
    }
}
