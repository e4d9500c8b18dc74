//! PDF import: the text layer, page by page, with the document's title and
//! author.
//!
//! Invariants and rules:
//! - The PDF is parsed with `lopdf` and each page's text is laid out by
//!   `pdf-extract` (0.12); both run under [`std::panic::catch_unwind`], so a
//!   crash in either becomes an [`ImportError`].
//! - Each page's text gets the common normalisation of [`super`]; pages are
//!   then joined with a line holding only a form feed (`\x0c`, the plain-text
//!   page break), so page 1 ends `"…last line of page 1\n"`, followed by
//!   `"\x0c\n"`, then page 2's text. Every page after the first starts right
//!   after a `"\x0c\n"`, and a page with no text still gets its separator, so
//!   the number of form feeds is always the number of pages minus one.
//! - A PDF whose pages hold no text at all (a scan) gives
//!   [`ImportError::PdfNoTextLayer`]; a password-protected one
//!   [`ImportError::PdfEncrypted`] (PDFs encrypted with an empty user
//!   password, i.e. only restricted, are opened).
//! - Metadata: `Title`, `Author` and `CreationDate` (as `YYYY-MM-DD`) of the
//!   Info dictionary, when present.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Dictionary, Document, Object, OutputError, PlainTextOutput};

use super::{Extracted, ImportError, clean_field, normalize, panic_message};
use crate::core::set::Metadata;

/// Extractor name and version for PDF (the layout crate's version is part of
/// it: its output decides the text).
pub const EXTRACTOR: &str = "marginalia-pdf/1 (pdf-extract 0.12)";

/// The separator between two pages' texts.
pub const PAGE_BREAK: &str = "\x0c\n";

/// Extracts the text layer and Info metadata of a PDF.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ImportError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ImportError::CorruptPdf {
            reason: "no %PDF header".to_owned(),
        });
    }
    let mut doc = guarded(|| Document::load_mem(bytes))?.map_err(load_error)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ImportError::PdfEncrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ImportError::CorruptPdf {
            reason: "the document has no pages".to_owned(),
        });
    }
    let mut texts = Vec::with_capacity(pages.len());
    for &number in pages.keys() {
        let raw = guarded(|| check_page(&doc, number).and_then(|()| page_text(&doc, number)))?
            .map_err(|e| ImportError::CorruptPdf {
                reason: format!("page {number}: {e}"),
            })?;
        texts.push(normalize(&raw));
    }
    if texts.iter().all(|t| t.trim().is_empty()) {
        return Err(ImportError::PdfNoTextLayer);
    }
    let metadata = guarded(|| info_metadata(&doc)).unwrap_or_default();
    Ok(Extracted {
        text: texts.join(PAGE_BREAK),
        metadata,
        extractor: EXTRACTOR.to_owned(),
    })
}

/// Runs a parser step, turning a panic into an error.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, ImportError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| ImportError::CorruptPdf {
        reason: format!("the PDF reader crashed: {}", panic_message(p.as_ref())),
    })
}

fn load_error(e: pdf_extract::Error) -> ImportError {
    match e {
        pdf_extract::Error::Decryption(_)
        | pdf_extract::Error::InvalidPassword
        | pdf_extract::Error::AlreadyEncrypted
        | pdf_extract::Error::UnsupportedSecurityHandler(_) => ImportError::PdfEncrypted,
        other => ImportError::CorruptPdf {
            reason: other.to_string(),
        },
    }
}

/// Checks what `pdf-extract` 0.12 `expect`s of a page before it lays it out
/// (found by `tests/fuzz_importers.rs`): a page dictionary, a `MediaBox` (on
/// the page or inherited) of at least four numbers, a well-formed `ArtBox`,
/// readable contents, references that resolve, and a `Parent` chain without
/// a loop (its inheritance lookup recurses up the chain, so a loop would
/// overflow the stack: an abort that no `catch_unwind` can stop).
fn check_page(doc: &Document, number: u32) -> Result<(), OutputError> {
    let bad = |what: &str| -> OutputError {
        OutputError::PdfError(pdf_extract::Error::InvalidObjectStream(format!(
            "page {number}: {what}"
        )))
    };
    let id = *doc.get_pages().get(&number).ok_or_else(|| bad("missing"))?;
    let page = doc
        .get_dictionary(id)
        .map_err(|_| bad("not a dictionary"))?;
    let deref = |o: &'_ Object| -> Result<Object, OutputError> {
        match o {
            Object::Reference(r) => doc
                .get_object(*r)
                .cloned()
                .map_err(|_| bad("dangling reference")),
            other => Ok(other.clone()),
        }
    };
    let boxed = |o: &Object| -> Result<Option<()>, OutputError> {
        match deref(o)? {
            Object::Array(a) => {
                if a.len() < 4
                    || !a
                        .iter()
                        .all(|x| matches!(x, Object::Integer(_) | Object::Real(_)))
                {
                    return Err(bad("a page box is not four numbers"));
                }
                Ok(Some(()))
            }
            _ => Ok(None),
        }
    };
    if let Ok(art) = page.get(b"ArtBox") {
        boxed(art)?;
    }
    // Walk up the Parent chain (as pdf-extract does) for MediaBox and Resources.
    let mut dict = page;
    let mut visited = vec![id];
    let (mut media_box, mut resources) = (false, false);
    loop {
        if !media_box && let Ok(o) = dict.get(b"MediaBox") {
            media_box = boxed(o)?.is_some();
        }
        if !resources && let Ok(o) = dict.get(b"Resources") {
            resources = matches!(deref(o)?, Object::Dictionary(_));
        }
        if media_box && resources {
            break;
        }
        let Some(parent) = dict.get(b"Parent").ok().and_then(|p| p.as_reference().ok()) else {
            break;
        };
        let Ok(next) = doc.get_dictionary(parent) else {
            break;
        };
        if visited.contains(&parent) || visited.len() > 256 {
            return Err(bad("the page tree has a loop"));
        }
        visited.push(parent);
        dict = next;
    }
    if !media_box {
        return Err(bad("no MediaBox"));
    }
    doc.get_page_content(id)
        .map_err(|_| bad("unreadable contents"))?;
    Ok(())
}

/// The laid-out text of one page (1-based), before normalisation.
fn page_text(doc: &Document, number: u32) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut out = PlainTextOutput::new(&mut s);
        pdf_extract::output_doc_page(doc, &mut out, number)?;
    }
    Ok(s)
}

/// Title, author and creation date from the Info dictionary.
fn info_metadata(doc: &Document) -> Metadata {
    let Some(info) = info_dictionary(doc) else {
        return Metadata::default();
    };
    let field = |key: &[u8]| -> Option<String> {
        let obj = info.get(key).ok()?;
        let obj = match obj {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            other => other,
        };
        let s = pdf_extract::decode_text_string(obj).ok()?;
        clean_field(&s)
    };
    Metadata {
        title: field(b"Title"),
        author: field(b"Author"),
        date: field(b"CreationDate").and_then(|d| pdf_date(&d)),
        ..Metadata::default()
    }
}

fn info_dictionary(doc: &Document) -> Option<&Dictionary> {
    match doc.trailer.get(b"Info").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// `D:YYYYMMDD…` → `YYYY-MM-DD`.
fn pdf_date(s: &str) -> Option<String> {
    let digits = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let d = digits.as_bytes();
    if d.len() >= 8 && d[..8].iter().all(u8::is_ascii_digit) {
        Some(format!(
            "{}-{}-{}",
            &digits[..4],
            &digits[4..6],
            &digits[6..8]
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_pdf() {
        assert!(matches!(
            extract(b"hello"),
            Err(ImportError::CorruptPdf { .. })
        ));
        assert!(matches!(
            extract(b"%PDF-1.4\n garbage garbage"),
            Err(ImportError::CorruptPdf { .. })
        ));
    }

    #[test]
    fn truncated_and_mangled_pdfs_never_panic() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");
        let Ok(bytes) = std::fs::read(format!("{dir}two-pages.pdf")) else {
            return;
        };
        for cut in [20, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
            let _ = super::super::extract(super::super::SourceKind::Pdf, &bytes[..cut]);
        }
        let mut flipped = bytes.clone();
        for i in (200..flipped.len()).step_by(97) {
            flipped[i] ^= 0x5A;
        }
        let _ = super::super::extract(super::super::SourceKind::Pdf, &flipped);
    }

    #[test]
    fn dates() {
        assert_eq!(pdf_date("D:20120704093000Z").as_deref(), Some("2012-07-04"));
        assert_eq!(pdf_date("20120704").as_deref(), Some("2012-07-04"));
        assert_eq!(pdf_date("D:2012"), None);
    }
}
