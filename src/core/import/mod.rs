//! Importers: turning the bytes of an HTML page, a Markdown file, a Word
//! (`.docx`) document, a PDF or a plain text into the article text that
//! annotations point into, plus whatever bibliographic metadata the file
//! carries.
//!
//! This layer is pure: it takes bytes and returns text; reading files,
//! storing the extracted text beside the annotation set (`<stem>.text.txt`)
//! and recording [`Extracted::extractor`] is the caller's job.
//!
//! Invariants:
//! - Nothing here panics on any input. [`extract`] runs every extractor under
//!   [`std::panic::catch_unwind`], so even a bug in a third-party parser
//!   becomes an [`ImportError`].
//! - Output is deterministic: the same bytes give the same text and metadata.
//! - For [`SourceKind::Text`] the text is exactly what
//!   [`crate::core::decode::decode`] returns (line endings untouched: offsets
//!   into a `.txt` must match the file).
//! - For every other kind the text is *normalised*: `\r\n` and lone `\r`
//!   become `\n`; control characters other than `\t`, `\n` and the form feed
//!   `\x0c` are dropped; no line has trailing whitespace; there are no blank
//!   lines at the start and at most one blank line in a row; the text ends
//!   with exactly one `\n`. Paragraphs (and headings) are separated by one
//!   blank line (`"\n\n"`), list items and table rows are single lines.
//! - PDF pages are separated by a line holding only a form feed: `"…end of
//!   page 1\n\x0c\nstart of page 2…"` (see [`pdf`]).
//! - An extracted text is never empty: a document with no text gives an
//!   error ([`ImportError::NoText`], or [`ImportError::PdfNoTextLayer`]).
//! - The `extractor` string names the extractor and its version; it changes
//!   whenever the text produced for the same bytes may change, so offsets
//!   never silently shift.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod pdf;

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use crate::core::decode::{self, DecodeError};
use crate::core::set::Metadata;

/// Extractor name and version for plain text (the text is the file).
pub const TEXT_EXTRACTOR: &str = "marginalia-text/1";

/// The file types an article can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// Plain text (`.txt`, `.text`): used as is.
    Text,
    /// A saved web page (`.html`, `.htm`, `.xhtml`).
    Html,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// A Word document (`.docx`).
    Docx,
    /// A PDF with a text layer (`.pdf`).
    Pdf,
}

impl SourceKind {
    /// Every kind, in menu order.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Text,
        SourceKind::Html,
        SourceKind::Markdown,
        SourceKind::Docx,
        SourceKind::Pdf,
    ];

    /// The file extensions (lower case, without the dot) of this kind.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            SourceKind::Text => &["txt", "text"],
            SourceKind::Html => &["html", "htm", "xhtml"],
            SourceKind::Markdown => &["md", "markdown"],
            SourceKind::Docx => &["docx"],
            SourceKind::Pdf => &["pdf"],
        }
    }

    /// A short human name, e.g. for a file dialog filter.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Text => "Plain text",
            SourceKind::Html => "Web page (HTML)",
            SourceKind::Markdown => "Markdown",
            SourceKind::Docx => "Word document (DOCX)",
            SourceKind::Pdf => "PDF",
        }
    }

    /// Whether the text is extracted (and so should be stored beside the
    /// annotation set) rather than being the file itself.
    pub fn is_extracted(self) -> bool {
        self != SourceKind::Text
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// All supported extensions (lower case, without the dot), in menu order.
pub fn supported_extensions() -> Vec<&'static str> {
    SourceKind::ALL
        .iter()
        .flat_map(|k| k.extensions().iter().copied())
        .collect()
}

/// The kind of a file, from its extension (case-insensitive); `None` for an
/// unsupported or missing extension.
pub fn kind_for_path(path: &Path) -> Option<SourceKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    SourceKind::ALL
        .into_iter()
        .find(|k| k.extensions().contains(&ext.as_str()))
}

/// Like [`kind_for_path`], but an unsupported file gives the
/// [`ImportError::Unsupported`] message to show the user.
pub fn require_kind(path: &Path) -> Result<SourceKind, ImportError> {
    kind_for_path(path).ok_or_else(|| ImportError::Unsupported {
        extension: path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .filter(|e| !e.is_empty()),
    })
}

/// The result of an import: the article text and what the file says about
/// itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The article text (normalised for every kind but
    /// [`SourceKind::Text`]; see the module invariants).
    pub text: String,
    /// Title, author, date, publication and URL found in the file.
    pub metadata: Metadata,
    /// Name and version of the extractor, e.g. `"marginalia-html/1"`; store
    /// it with the annotation set.
    pub extractor: String,
}

/// Why a file could not be imported. `Display` gives a message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file type is not supported.
    Unsupported {
        /// The file's extension as written, if it has one.
        extension: Option<String>,
    },
    /// The bytes are not a readable text (plain text and Markdown).
    Decode(DecodeError),
    /// The file is larger than [`decode::MAX_ARTICLE_BYTES`].
    TooLarge {
        /// The file's size in bytes.
        bytes: usize,
    },
    /// The file is not a valid DOCX (not a zip, truncated, …).
    CorruptDocx {
        /// What went wrong, for the details line.
        reason: String,
    },
    /// A zip that is not a Word document (no `word/document.xml`).
    DocxMissingBody,
    /// An encrypted Office file or an old binary `.doc` (both are OLE
    /// compound files, not zips).
    DocxLegacyOrEncrypted,
    /// The PDF could not be parsed.
    CorruptPdf {
        /// What went wrong, for the details line.
        reason: String,
    },
    /// The PDF is password-protected.
    PdfEncrypted,
    /// The PDF has pages but no text layer (a scan).
    PdfNoTextLayer,
    /// The document parsed but holds no text.
    NoText {
        /// The kind of document.
        kind: SourceKind,
    },
    /// An extractor failed unexpectedly (a panic caught in a parser).
    Internal {
        /// The kind of document.
        kind: SourceKind,
        /// The panic message, for the details line.
        message: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Unsupported { extension } => {
                match extension {
                    Some(ext) => write!(f, "unsupported file type \".{ext}\"")?,
                    None => write!(f, "unsupported file type (the file name has no extension)")?,
                }
                let list: Vec<String> = supported_extensions()
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect();
                write!(f, "; Marginalia opens {}", list.join(", "))
            }
            ImportError::Decode(e) => write!(f, "cannot read the text: {e}"),
            ImportError::TooLarge { bytes } => write!(
                f,
                "the file is too large to open ({} MB; the limit is {} MB)",
                bytes / (1024 * 1024),
                decode::MAX_ARTICLE_BYTES / (1024 * 1024)
            ),
            ImportError::CorruptDocx { reason } => write!(
                f,
                "not a readable Word (.docx) file: it may be damaged or truncated ({reason})"
            ),
            ImportError::DocxMissingBody => write!(
                f,
                "not a Word (.docx) document: the archive has no document body (word/document.xml)"
            ),
            ImportError::DocxLegacyOrEncrypted => write!(
                f,
                "this Word file is password-protected or in the old .doc format; save it as .docx without a password and open it again"
            ),
            ImportError::CorruptPdf { reason } => write!(
                f,
                "not a readable PDF: it may be damaged or truncated ({reason})"
            ),
            ImportError::PdfEncrypted => write!(
                f,
                "the PDF is password-protected; save an unprotected copy and open it again"
            ),
            ImportError::PdfNoTextLayer => write!(
                f,
                "scanned PDF: no text layer; run OCR first (e.g. ocrmypdf) and open the result"
            ),
            ImportError::NoText { kind } => {
                write!(f, "the {} holds no text to annotate", kind_noun(*kind))
            }
            ImportError::Internal { kind, message } => write!(
                f,
                "could not extract the text of this {} (internal error: {message}); please report it with the file",
                kind_noun(*kind)
            ),
        }
    }
}

fn kind_noun(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Text => "text file",
        SourceKind::Html => "web page",
        SourceKind::Markdown => "Markdown file",
        SourceKind::Docx => "Word document",
        SourceKind::Pdf => "PDF",
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Decode(e) => Some(e),
            _ => None,
        }
    }
}

impl From<DecodeError> for ImportError {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::TooLarge { bytes } => ImportError::TooLarge { bytes },
            other => ImportError::Decode(other),
        }
    }
}

/// Extracts the article text and metadata from a file's bytes.
///
/// Never panics: a panic inside a parser becomes [`ImportError::Internal`].
pub fn extract(kind: SourceKind, bytes: &[u8]) -> Result<Extracted, ImportError> {
    if bytes.len() > decode::MAX_ARTICLE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    let run = || match kind {
        SourceKind::Text => extract_text(bytes),
        SourceKind::Html => html::extract(bytes),
        SourceKind::Markdown => markdown::extract(bytes),
        SourceKind::Docx => docx::extract(bytes),
        SourceKind::Pdf => pdf::extract(bytes),
    };
    let result = catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|payload| {
        Err(ImportError::Internal {
            kind,
            message: panic_message(payload.as_ref()),
        })
    })?;
    if result.text.trim().is_empty() {
        return Err(match kind {
            SourceKind::Pdf => ImportError::PdfNoTextLayer,
            SourceKind::Text => ImportError::Decode(DecodeError::Empty),
            other => ImportError::NoText { kind: other },
        });
    }
    Ok(result)
}

fn extract_text(bytes: &[u8]) -> Result<Extracted, ImportError> {
    let (text, _encoding) = decode::decode(bytes)?;
    Ok(Extracted {
        text,
        metadata: Metadata::default(),
        extractor: TEXT_EXTRACTOR.to_owned(),
    })
}

/// The message of a caught panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Decodes the bytes of a text-based format (HTML, Markdown): UTF-8 (BOM
/// dropped), UTF-16 with a BOM, else `fallback` (a legacy encoding).
pub(crate) fn decode_with_fallback(
    bytes: &[u8],
    fallback: &'static encoding_rs::Encoding,
) -> Result<String, ImportError> {
    match decode::decode(bytes) {
        Ok((text, _)) => Ok(text),
        Err(DecodeError::InvalidUtf8 { .. }) => {
            let (text, _, _) = fallback.decode(bytes);
            Ok(text.into_owned())
        }
        Err(e) => Err(e.into()),
    }
}

/// The normalisation shared by all extracted formats (see the module
/// invariants). Returns `""` for a text with no visible characters.
pub(crate) fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 1);
    let mut blank_pending = false;
    for line in text.split('\n') {
        let line: String = line
            .chars()
            .filter(|&c| !c.is_control() || c == '\t' || c == '\x0c')
            .collect();
        let line = line.trim_end_matches(|c: char| c.is_whitespace() && c != '\x0c');
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `YYYY-MM-DD` when `s` starts with such a date, else `s` trimmed; `None`
/// for an empty string.
pub(crate) fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let is_date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b.get(10).is_none_or(|c| !c.is_ascii_digit());
    if is_date {
        Some(s[..10].to_owned())
    } else {
        Some(s.to_owned())
    }
}

/// Collapses runs of whitespace to one space and trims; `None` if empty.
pub(crate) fn clean_field(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        None
    } else {
        Some(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind_for_path(Path::new("a/b.TXT")), Some(SourceKind::Text));
        assert_eq!(kind_for_path(Path::new("b.text")), Some(SourceKind::Text));
        assert_eq!(kind_for_path(Path::new("b.Htm")), Some(SourceKind::Html));
        assert_eq!(kind_for_path(Path::new("b.html")), Some(SourceKind::Html));
        assert_eq!(kind_for_path(Path::new("b.xhtml")), Some(SourceKind::Html));
        assert_eq!(kind_for_path(Path::new("b.md")), Some(SourceKind::Markdown));
        assert_eq!(
            kind_for_path(Path::new("b.markdown")),
            Some(SourceKind::Markdown)
        );
        assert_eq!(kind_for_path(Path::new("b.DOCX")), Some(SourceKind::Docx));
        assert_eq!(kind_for_path(Path::new("b.pdf")), Some(SourceKind::Pdf));
        assert_eq!(kind_for_path(Path::new("b.odt")), None);
        assert_eq!(kind_for_path(Path::new("README")), None);
        assert_eq!(kind_for_path(Path::new(".pdf")), None);
    }

    #[test]
    fn unsupported_message_names_extension_and_lists_supported() {
        let e = require_kind(Path::new("notes.odt")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("\".odt\""), "{msg}");
        for ext in [".txt", ".html", ".htm", ".md", ".docx", ".pdf"] {
            assert!(msg.contains(ext), "{msg} lacks {ext}");
        }
        let e = require_kind(Path::new("README")).unwrap_err();
        assert!(e.to_string().contains("no extension"), "{e}");
    }

    #[test]
    fn text_is_decoded_untouched() {
        let got = extract(SourceKind::Text, b"a\r\nb  \n\n\n").unwrap();
        assert_eq!(got.text, "a\r\nb  \n\n\n");
        assert_eq!(got.extractor, TEXT_EXTRACTOR);
        assert_eq!(got.metadata, Metadata::default());
        assert_eq!(
            extract(SourceKind::Text, b"caf\xe9"),
            Err(ImportError::Decode(DecodeError::InvalidUtf8 { offset: 3 }))
        );
        assert_eq!(
            extract(SourceKind::Text, b""),
            Err(ImportError::Decode(DecodeError::Empty))
        );
    }

    #[test]
    fn normalize_rules() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \n\t\n"), "");
        assert_eq!(normalize("\n\na  \r\n\r\n\r\n\nb\t\rc"), "a\n\nb\nc\n");
        assert_eq!(normalize("a\u{0}b\u{7}\n"), "ab\n");
        assert_eq!(normalize("p1\n\x0c\np2"), "p1\n\x0c\np2\n");
        assert_eq!(normalize("x\u{a0}\u{a0}\nx"), "x\nx\n");
    }

    #[test]
    fn dates() {
        assert_eq!(
            normalize_date("2012-07-04T09:30:00Z").as_deref(),
            Some("2012-07-04")
        );
        assert_eq!(
            normalize_date(" 2012-07-04 ").as_deref(),
            Some("2012-07-04")
        );
        assert_eq!(
            normalize_date("July 4, 2012").as_deref(),
            Some("July 4, 2012")
        );
        assert_eq!(
            normalize_date("2012-07-045").as_deref(),
            Some("2012-07-045")
        );
        assert_eq!(normalize_date("  "), None);
    }

    #[test]
    fn errors_display_clearly() {
        assert!(
            ImportError::PdfNoTextLayer
                .to_string()
                .starts_with("scanned PDF: no text layer; run OCR first")
        );
        assert!(ImportError::PdfEncrypted.to_string().contains("password"));
        assert!(
            ImportError::NoText {
                kind: SourceKind::Html
            }
            .to_string()
            .contains("web page")
        );
    }
}
