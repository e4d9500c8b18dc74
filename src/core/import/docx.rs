//! DOCX import: the paragraphs of a Word document's body, and its core
//! properties.
//!
//! Invariants and rules:
//! - The file is read as a zip; the main part is the target of the
//!   `officeDocument` relationship in `_rels/.rels`, else
//!   `word/document.xml`. Parts are read with a size cap, so a zip bomb gives
//!   an error instead of exhausting memory.
//! - Only text inside `<w:t>` runs is taken (field codes, deleted text
//!   `<w:del>`/`<w:delText>`, moved-away text `<w:moveFrom>` and the
//!   `mc:Fallback` copies of text boxes are skipped); inserted text
//!   `<w:ins>`, hyperlinks, content controls and text boxes are kept.
//! - Each `<w:p>` is a paragraph; paragraphs are separated by a blank line,
//!   except inside a table, where each cell paragraph is a line and the table
//!   as a whole is a paragraph. `<w:tab/>` is a tab, `<w:br/>` and `<w:cr/>`
//!   a newline, `<w:noBreakHyphen/>` a hyphen. List numbering and headers,
//!   footers, footnotes and comments are not part of the text.
//! - Metadata comes from `docProps/core.xml`: `dc:title`, `dc:creator`, and
//!   `dcterms:created` (as `YYYY-MM-DD`).
//! - Then the common normalisation of [`super`] applies.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use super::{Extracted, ImportError, clean_field, normalize, normalize_date};
use crate::core::set::Metadata;

/// Extractor name and version for DOCX.
pub const EXTRACTOR: &str = "marginalia-docx/1";

/// The most bytes one part of the zip may inflate to.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Extracts the body text and core properties of a DOCX file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ImportError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(ImportError::DocxLegacyOrEncrypted);
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::CorruptDocx {
            reason: e.to_string(),
        })?;
    let main_part = read_part(&mut zip, "_rels/.rels")?
        .and_then(|rels| main_part_name(&rels))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let document = match read_part(&mut zip, &main_part)? {
        Some(d) => d,
        None if main_part != "word/document.xml" => {
            read_part(&mut zip, "word/document.xml")?.ok_or(ImportError::DocxMissingBody)?
        }
        None => return Err(ImportError::DocxMissingBody),
    };
    let text = body_text(&document).map_err(|reason| ImportError::CorruptDocx { reason })?;
    // Missing or broken core properties are not worth refusing the file.
    let metadata = read_part(&mut zip, "docProps/core.xml")
        .ok()
        .flatten()
        .map(|core| core_properties(&core))
        .unwrap_or_default();
    Ok(Extracted {
        text: normalize(&text),
        metadata,
        extractor: EXTRACTOR.to_owned(),
    })
}

/// Reads a part as UTF-8 text; `Ok(None)` when the zip has no such part.
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ImportError> {
    let corrupt = |e: &dyn std::fmt::Display| ImportError::CorruptDocx {
        reason: format!("{name}: {e}"),
    };
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(&e)),
    };
    let mut buf = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| corrupt(&e))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(corrupt(&"part too large"));
    }
    let buf = buf
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .unwrap_or(&buf)
        .to_vec();
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| corrupt(&"not UTF-8 XML"))
}

/// The main document part named in `_rels/.rels`.
fn main_part_name(rels: &str) -> Option<String> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let attr = |key: &str| -> Option<String> {
                    let a = e.try_get_attribute(key).ok()??;
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()
                        .map(|v| v.into_owned())
                };
                let is_main = attr("Type").is_some_and(|t| t.ends_with("/officeDocument"));
                if is_main && let Some(target) = attr("Target") {
                    let target = target.trim_start_matches('/');
                    if !target.is_empty() {
                        return Some(target.to_owned());
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Resolves a character or predefined entity reference.
fn resolve_ref(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let s = match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    };
    Some(s.to_owned())
}

/// The body text (before normalisation) of `word/document.xml`.
fn body_text(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    // Depth of elements whose content is skipped (w:del, mc:Fallback …).
    let mut skip = 0usize;
    let mut in_text = false;
    let mut run_depth = 0usize;
    let mut table_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("word/document.xml at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0
                    || matches!(
                        name,
                        "del" | "moveFrom" | "Fallback" | "instrText" | "delText"
                    )
                {
                    skip += 1;
                    continue;
                }
                match name {
                    "t" => in_text = true,
                    "r" => run_depth += 1,
                    "tbl" => {
                        table_depth += 1;
                        paragraph_break(&mut out, table_depth);
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "r" => run_depth = run_depth.saturating_sub(1),
                    "p" => paragraph_break(&mut out, table_depth),
                    "tbl" => {
                        table_depth = table_depth.saturating_sub(1);
                        paragraph_break(&mut out, table_depth);
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    "tab" if run_depth > 0 => out.push('\t'),
                    "br" | "cr" if run_depth > 0 => out.push('\n'),
                    "noBreakHyphen" if run_depth > 0 => out.push('-'),
                    "p" => paragraph_break(&mut out, table_depth),
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text && skip == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text && skip == 0 => {
                if let Some(s) = resolve_ref(&r) {
                    out.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Ends a paragraph: a blank line, or a line break inside a table.
fn paragraph_break(out: &mut String, table_depth: usize) {
    if out.is_empty() {
        return;
    }
    let end = if table_depth > 0 { "\n" } else { "\n\n" };
    while !out.ends_with(end) {
        out.push('\n');
    }
}

/// Title, author and creation date from `docProps/core.xml`.
fn core_properties(xml: &str) -> Metadata {
    let mut reader = Reader::from_str(xml);
    let mut metadata = Metadata::default();
    let mut current: Option<String> = None;
    let mut value = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                current = Some(e.local_name().as_ref().to_owned());
                value.clear();
            }
            Ok(Event::Text(t)) if current.is_some() => value.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if current.is_some() => {
                if let Some(s) = resolve_ref(&r) {
                    value.push_str(&s);
                }
            }
            Ok(Event::End(_)) => {
                if let Some(name) = current.take() {
                    let v = clean_field(&value);
                    match name.as_str() {
                        "title" => metadata.title = metadata.title.or(v),
                        "creator" => metadata.author = metadata.author.or(v),
                        "created" => {
                            metadata.date = metadata
                                .date
                                .or_else(|| v.as_deref().and_then(normalize_date));
                        }
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    metadata
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    fn make_docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            for (name, content) in parts {
                zip.start_file(*name, opts).unwrap();
                zip.write_all(content.as_bytes()).unwrap();
            }
            zip.finish().unwrap();
        }
        buf.into_inner()
    }

    fn body(inner: &str) -> String {
        format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{inner}</w:body></w:document>")
    }

    #[test]
    fn paragraphs_runs_tabs_breaks_and_deletions() {
        let doc = body(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:r><w:t>Hello </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>world</w:t></w:r></w:p>\
             <w:p/><w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t xml:space=\"preserve\">c &amp; d</w:t></w:r></w:p>\
             <w:p><w:r><w:t>kept</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del>\
             <w:ins><w:r><w:t> new</w:t></w:r></w:ins>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>HYPERLINK x</w:instrText></w:r>\
             <w:hyperlink><w:r><w:t> link</w:t></w:r></w:hyperlink></w:p>",
        );
        let bytes = make_docx(&[("word/document.xml", &doc)]);
        let e = extract(&bytes).unwrap();
        assert_eq!(e.text, "Hello world\n\na\tb\nc & d\n\nkept new link\n");
        assert_eq!(e.metadata, Metadata::default());
        assert_eq!(e.extractor, EXTRACTOR);
    }

    #[test]
    fn tables_cells_are_lines() {
        let doc = body(
            "<w:p><w:r><w:t>Before</w:t></w:r></w:p><w:tbl><w:tr>\
             <w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p><w:p><w:r><w:t>B1b</w:t></w:r></w:p></w:tc>\
             </w:tr></w:tbl><w:p><w:r><w:t>After</w:t></w:r></w:p>",
        );
        let e = extract(&make_docx(&[("word/document.xml", &doc)])).unwrap();
        assert_eq!(e.text, "Before\n\nA1\nB1\nB1b\n\nAfter\n");
    }

    #[test]
    fn main_part_from_rels_and_core_properties() {
        let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
            <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"/word/document2.xml\"/></Relationships>";
        let core = "<?xml version=\"1.0\"?><cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
            <dc:title>T &amp; U</dc:title><dc:creator>Ayesha Khan</dc:creator>\
            <dcterms:created>2012-07-04T09:30:00Z</dcterms:created></cp:coreProperties>";
        let doc = body("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
        let e = extract(&make_docx(&[
            ("_rels/.rels", rels),
            ("word/document2.xml", &doc),
            ("docProps/core.xml", core),
        ]))
        .unwrap();
        assert_eq!(e.text, "x\n");
        assert_eq!(e.metadata.title.as_deref(), Some("T & U"));
        assert_eq!(e.metadata.author.as_deref(), Some("Ayesha Khan"));
        assert_eq!(e.metadata.date.as_deref(), Some("2012-07-04"));
    }

    #[test]
    fn bad_files_get_clear_errors() {
        assert!(matches!(
            extract(b"not a zip at all"),
            Err(ImportError::CorruptDocx { .. })
        ));
        assert_eq!(
            extract(&make_docx(&[("hello.txt", "hi")])),
            Err(ImportError::DocxMissingBody)
        );
        assert_eq!(
            extract(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Err(ImportError::DocxLegacyOrEncrypted)
        );
        let broken = body("<w:p><w:r><w:t>x</w:r></w:p>");
        assert!(matches!(
            extract(&make_docx(&[("word/document.xml", &broken)])),
            Err(ImportError::CorruptDocx { .. })
        ));
        let mut truncated = make_docx(&[("word/document.xml", &body("<w:p/>"))]);
        truncated.truncate(truncated.len() / 2);
        assert!(matches!(
            extract(&truncated),
            Err(ImportError::CorruptDocx { .. })
        ));
    }
}
