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

fn cell(s: &str, raw: bool) -> String {
    if raw { s.to_owned() } else { neutralize(s) }
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Format(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Format(e.to_string()))
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The wide CSV: one row per annotation.
pub fn to_string(docs: &[ExportDoc], filter: &Filter, raw: bool) -> Result<String, ExportError> {
    let mut w = writer();
    let err = |e: csv::Error| ExportError::Format(e.to_string());
    w.write_record(HEADER).map_err(err)?;
    for d in docs {
        let m = &d.set.metadata;
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
            w.write_record(&row).map_err(err)?;
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
    w.write_record(HEADER_LONG).map_err(err)?;
    for d in docs {
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
                w.write_record(&row).map_err(err)?;
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
}
