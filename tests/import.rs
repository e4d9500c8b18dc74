//! Importers on the committed fixtures (tests/fixtures/import/, regenerated
//! by make_fixtures.py).

use std::path::{Path, PathBuf};

use marginalia::core::import::{ImportError, SourceKind, extract, kind_for_path, require_kind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn import(name: &str) -> Result<marginalia::core::import::Extracted, ImportError> {
    let path = fixture(name);
    let kind = require_kind(&path).expect("supported fixture type");
    let bytes = std::fs::read(&path).expect("fixture exists");
    extract(kind, &bytes)
}

/// The shared normalisation invariants of every extracted text.
fn assert_normalised(text: &str) {
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
    assert!(!text.starts_with('\n'), "{text:?}");
    assert!(!text.contains("\n\n\n"), "{text:?}");
    assert!(!text.contains('\r'), "{text:?}");
    for line in text.lines() {
        assert_eq!(
            line,
            line.trim_end_matches([' ', '\t']),
            "trailing space in {line:?}"
        );
    }
}

#[test]
fn html_page() {
    let e = import("article.html").unwrap();
    assert_eq!(
        e.text,
        "US and Pakistan agree truce on supply routes\n\
         \n\
         By Ayesha Khan\n\
         \n\
         ISLAMABAD \u{2014} Pakistan reopened the NATO supply routes on Tuesday, ending a seven-month standoff with the United States.\n\
         \n\
         Officials said the deal covers fuel & food convoys, and the Haqqani network\u{2019}s attacks remain \u{201c}a concern\u{201d}. Café talk aside, both sides called it a start.\n\
         \n\
         What the deal covers\n\
         \n\
         • Reopening of the Torkham and Chaman crossings\n\
         • No new transit fees\n\
         \n\
         امریکہ اور پاکستان کے درمیان معاہدہ طے پا گیا۔\n"
    );
    for junk in [
        "SCRIPT", "STYLE", "NAV", "HEADER", "FOOTER", "COOKIE", "SHARE", "RELATED", "<", "&amp;",
        "&#",
    ] {
        assert!(!e.text.contains(junk), "{junk} leaked into {:?}", e.text);
    }
    assert_normalised(&e.text);
    let m = &e.metadata;
    assert_eq!(
        m.title.as_deref(),
        Some("US and Pakistan agree truce on supply routes")
    );
    assert_eq!(m.author.as_deref(), Some("Ayesha Khan"));
    assert_eq!(m.date.as_deref(), Some("2012-07-04"));
    assert_eq!(m.publication.as_deref(), Some("The Frontier Post"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://frontier.example.com/2012/07/truce")
    );
    assert_eq!(e.extractor, "marginalia-html/1");
}

#[test]
fn markdown_file() {
    let e = import("article.md").unwrap();
    assert_eq!(
        e.text,
        "Truce talks resume\n\
         \n\
         Officials met in Islamabad on Tuesday, according to the ministry.\n\
         \n\
         Key points\n\
         \n\
         • Supply routes reopen\n\
         • Talks continue in Doha\n\
         \n\
         route = \"Torkham\"\n\
         \n\
         An image: map of the crossings and inline html end.\n"
    );
    assert_normalised(&e.text);
    let m = &e.metadata;
    assert_eq!(m.title.as_deref(), Some("Truce talks resume"));
    assert_eq!(m.author.as_deref(), Some("Ayesha Khan"));
    assert_eq!(m.date.as_deref(), Some("2012-07-04"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://frontier.example.com/2012/07/talks")
    );
    assert_eq!(e.extractor, "marginalia-markdown/1");
}

#[test]
fn docx_document() {
    let e = import("article.docx").unwrap();
    assert_eq!(
        e.text,
        "Truce talks resume\n\
         \n\
         Officials met in Islamabad on Tuesday & Wednesday.\n\
         \n\
         Name:\tHaqqani network\n\
         second line\n\
         \n\
         Read the statement in full.\n\
         \n\
         The routes are open again.\n\
         \n\
         Crossing\n\
         Status\n\
         Torkham\n\
         Open\n\
         \n\
         امریکہ اور پاکستان کے درمیان معاہدہ\n"
    );
    assert!(!e.text.contains("DELETED"));
    assert_normalised(&e.text);
    let m = &e.metadata;
    assert_eq!(m.title.as_deref(), Some("Truce talks resume"));
    assert_eq!(m.author.as_deref(), Some("Ayesha Khan"));
    assert_eq!(m.date.as_deref(), Some("2012-07-04"));
    assert_eq!(e.extractor, "marginalia-docx/1");
}

#[test]
fn corrupt_docx_is_a_clear_error() {
    let err = import("corrupt.docx").unwrap_err();
    assert!(matches!(err, ImportError::CorruptDocx { .. }), "{err:?}");
    assert!(
        err.to_string().contains("not a readable Word (.docx) file"),
        "{err}"
    );
}

#[test]
fn pdf_two_pages() {
    let e = import("two-pages.pdf").unwrap();
    assert_eq!(
        e.text,
        // pdf-extract leaves a blank line where lines are far apart.
        "Page one heading\n\nThe first page says hello.\n\x0c\nThe second page says goodbye.\n"
    );
    let pages: Vec<&str> = e.text.split("\x0c\n").collect();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("hello") && !pages[0].contains("goodbye"));
    assert!(pages[1].contains("goodbye") && !pages[1].contains("hello"));
    assert_normalised(&e.text);
    assert_eq!(e.metadata.title.as_deref(), Some("Supply routes report"));
    assert_eq!(e.metadata.author.as_deref(), Some("Ayesha Khan"));
    assert!(e.extractor.starts_with("marginalia-pdf/1"));
}

#[test]
fn scanned_pdf_asks_for_ocr() {
    let err = import("scanned.pdf").unwrap_err();
    assert_eq!(err, ImportError::PdfNoTextLayer);
    assert!(
        err.to_string()
            .starts_with("scanned PDF: no text layer; run OCR first")
    );
}

#[test]
fn encrypted_pdf_is_reported() {
    let err = import("encrypted.pdf").unwrap_err();
    assert_eq!(err, ImportError::PdfEncrypted, "{err}");
}

#[test]
fn restricted_pdf_with_empty_user_password_opens() {
    let e = import("restricted.pdf").unwrap();
    assert_eq!(e.text, "Restricted but readable.\n");
}

#[test]
fn wrong_kind_for_bytes_never_panics() {
    let names = [
        "article.html",
        "article.md",
        "article.docx",
        "corrupt.docx",
        "two-pages.pdf",
        "scanned.pdf",
        "encrypted.pdf",
        "restricted.pdf",
    ];
    for name in names {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for kind in SourceKind::ALL {
            // Any result is fine; a panic is not.
            let _ = extract(kind, &bytes);
        }
    }
}

#[test]
fn extraction_is_deterministic() {
    for name in [
        "article.html",
        "article.md",
        "article.docx",
        "two-pages.pdf",
    ] {
        assert_eq!(import(name).unwrap(), import(name).unwrap(), "{name}");
    }
}

#[test]
fn unsupported_types() {
    assert_eq!(kind_for_path(Path::new("x.epub")), None);
    let err = require_kind(Path::new("report.ODT")).unwrap_err();
    assert!(err.to_string().contains(".ODT"), "{err}");
    assert!(err.to_string().contains(".docx"), "{err}");
}
