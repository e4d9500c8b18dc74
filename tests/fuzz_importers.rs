//! Fuzzing the importers (`marginalia::core::import::extract`) with
//! proptest: arbitrary bytes, mutated real fixtures, HTML/Markdown tag soup,
//! DOCX zips whose `word/document.xml` is arbitrary or mutated XML, and
//! mutated PDFs. The REFI-QDA project importer
//! (`marginalia::core::qdpx_import::read_qdpx`) gets arbitrary bytes, a
//! mutated exported `.qdpx`, and zips whose `project.qde` is mutated or
//! REFI-QDA tag soup (see [`check_qdpx`] for what it must keep).
//!
//! Every property asserts, for every input:
//! - `extract` returns (a panic escaping it fails the test: there is no
//!   outer `catch_unwind` here);
//! - no panic happened at all, not even one that `extract` (or the PDF
//!   importer) caught internally: a panic hook records every panic of the
//!   current thread, so internal panics in our code or in a parser are
//!   reported with their message and shrunk to a minimal input;
//! - on `Ok`, the text keeps the module invariants of
//!   `marginalia::core::import` (normalised: no NUL or other control
//!   character but `\t`, `\n`, `\x0c`; no `\r`; no trailing whitespace on a
//!   line; no blank line at the start; never two blank lines in a row; ends
//!   with exactly one `\n`; never empty) and the extractor name matches the
//!   kind; on `Err`, the message is a non-empty sentence;
//! - the result is deterministic (a second call gives the same result).
//!
//! Hangs: a watchdog thread aborts the process (after saving the input to
//! `target/fuzz-hang-<kind>.bin`) when one call runs longer than
//! `FUZZ_HANG_SECS` (default 60 s). This is a hang detector, not a
//! performance test; the slowest case of each property is printed
//! (`--nocapture`) for information only.
//!
//! Case counts are small by default (fast suite); a long campaign:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz_importers --
//! --test-threads=1 --nocapture` (the count applies to every property).

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::sync::{Mutex, Once, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

mod export_support;

use marginalia::core::import::{self, ImportError, SourceKind};
use marginalia::core::qdpx_import::{self, ImportOptions};
use proptest::prelude::*;
use proptest::sample::Index;

// ---------------------------------------------------------------------------
// Configuration, panic recording, watchdog.

fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

thread_local! {
    /// Panics (message and location) seen on this thread since the last reset.
    static PANICS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Installs (once) a panic hook that records every panic of the panicking
/// thread into [`PANICS`], then runs the default hook (which prints it).
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            PANICS.with(|p| p.borrow_mut().push(format!("{message} at {location}")));
            default(info);
        }));
    });
}

/// Calls in progress, by thread: start time, kind and input.
type Running = HashMap<ThreadId, (Instant, SourceKind, Vec<u8>)>;

fn running() -> &'static Mutex<Running> {
    static RUNNING: OnceLock<Mutex<Running>> = OnceLock::new();
    RUNNING.get_or_init(|| {
        let limit = Duration::from_secs(
            std::env::var("FUZZ_HANG_SECS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60),
        );
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let Ok(map) = running().lock() else { return };
                for (start, kind, bytes) in map.values() {
                    if start.elapsed() > limit {
                        let path = format!(
                            "{}/target/fuzz-hang-{kind:?}.bin",
                            env!("CARGO_MANIFEST_DIR")
                        );
                        let saved = std::fs::write(&path, bytes).is_ok();
                        eprintln!(
                            "HANG: import::extract({kind:?}, {} bytes) still running after {limit:?}; input {}",
                            bytes.len(),
                            if saved { path } else { "not saved".to_owned() }
                        );
                        std::process::abort();
                    }
                }
            }
        });
        Mutex::new(HashMap::new())
    })
}

/// Calls made by a property and its slowest one (for information).
struct Slowest {
    worst: Duration,
    len: usize,
    calls: u64,
    third_party_panics: u64,
}

impl Slowest {
    fn new() -> Slowest {
        Slowest {
            worst: Duration::ZERO,
            len: 0,
            calls: 0,
            third_party_panics: 0,
        }
    }
}

/// Runs `extract` on `bytes` and checks every property listed in the module
/// docs.
fn check(kind: SourceKind, bytes: &[u8], slowest: &mut Slowest) -> Result<(), TestCaseError> {
    install_panic_hook();
    PANICS.with(|p| p.borrow_mut().clear());
    let me = std::thread::current().id();
    running()
        .lock()
        .map_err(|_| TestCaseError::fail("watchdog lock poisoned"))?
        .insert(me, (Instant::now(), kind, bytes.to_vec()));
    let start = Instant::now();
    let first = import::extract(kind, bytes);
    let elapsed = start.elapsed();
    let second = import::extract(kind, bytes);
    running()
        .lock()
        .map_err(|_| TestCaseError::fail("watchdog lock poisoned"))?
        .remove(&me);
    slowest.calls += 1;
    if elapsed > slowest.worst {
        slowest.worst = elapsed;
        slowest.len = bytes.len();
    }
    let mut panics = PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    // Known limitation: pdf-extract 0.12 `expect`s on many malformed
    // objects (e.g. dangling references in font dictionaries); the PDF
    // importer catches these and returns CorruptPdf. They are counted and
    // printed, not failed; any other panic (our code, other parsers) fails.
    if kind == SourceKind::Pdf && first.is_err() {
        let before = panics.len();
        panics.retain(|p| !p.contains("/pdf-extract-"));
        slowest.third_party_panics += (before - panics.len()) as u64;
    }
    prop_assert!(
        panics.is_empty(),
        "{kind:?} importer panicked (caught or not): {panics:?}"
    );
    prop_assert_eq!(&first, &second, "{:?} import is not deterministic", kind);
    match first {
        Ok(e) => check_text(kind, &e.text)?,
        Err(e) => check_error(kind, &e)?,
    }
    Ok(())
}

fn check_text(kind: SourceKind, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !text.trim().is_empty(),
        "{kind:?}: empty text returned as Ok"
    );
    if kind == SourceKind::Text {
        // Plain text is the file, decoded; only binary content is refused.
        prop_assert!(!text.contains('\0'), "Text: NUL in text");
        return Ok(());
    }
    prop_assert!(text.ends_with('\n'), "{kind:?}: text does not end with \\n");
    prop_assert!(
        !text.ends_with("\n\n"),
        "{kind:?}: text ends with a blank line"
    );
    prop_assert!(
        !text.starts_with('\n'),
        "{kind:?}: text starts with a blank line"
    );
    prop_assert!(
        !text.contains("\n\n\n"),
        "{kind:?}: two blank lines in a row"
    );
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\x0c'))
    {
        prop_assert!(false, "{kind:?}: control character {c:?} in text");
    }
    for line in text.split('\n') {
        let trimmed = line.trim_end_matches(|c: char| c.is_whitespace() && c != '\x0c');
        prop_assert_eq!(
            trimmed.len(),
            line.len(),
            "{:?}: trailing whitespace on line {:?}",
            kind,
            line
        );
    }
    Ok(())
}

fn check_error(kind: SourceKind, e: &ImportError) -> Result<(), TestCaseError> {
    let msg = e.to_string();
    prop_assert!(!msg.trim().is_empty(), "{kind:?}: empty error message");
    prop_assert!(
        !matches!(e, ImportError::Internal { .. }),
        "{kind:?}: internal error (a caught panic): {msg}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Fixtures and mutations.

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// One byte-level edit; positions are scaled to the current length.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    /// Copies a slice of the input to another place (repeats structure).
    Duplicate(Index, usize, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1usize..256, any::<Index>())
            .prop_map(|(i, n, j)| Mutation::Duplicate(i, n, j)),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match m {
            Mutation::Flip(i, mask) if len > 0 => bytes[i.index(len)] ^= mask,
            Mutation::Truncate(i) => bytes.truncate(i.index(len + 1)),
            Mutation::Insert(i, b) => {
                let at = i.index(len + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Mutation::Delete(i, n) if len > 0 => {
                let at = i.index(len);
                bytes.drain(at..(at + n).min(len));
            }
            Mutation::Duplicate(i, n, j) if len > 0 => {
                let from = i.index(len);
                let slice = bytes[from..(from + n).min(len)].to_vec();
                let to = j.index(len + 1);
                bytes.splice(to..to, slice);
            }
            _ => {}
        }
    }
    bytes
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..8)
}

/// Inserts `pieces` at scaled positions of `base`.
fn insert_pieces(mut base: Vec<u8>, pieces: &[(Index, String)]) -> Vec<u8> {
    for (i, piece) in pieces {
        let at = i.index(base.len() + 1);
        base.splice(at..at, piece.bytes());
    }
    base
}

// ---------------------------------------------------------------------------
// Tag soup (HTML and Markdown).

const TAGS: &[&str] = &[
    "div",
    "p",
    "span",
    "article",
    "main",
    "body",
    "html",
    "head",
    "title",
    "header",
    "footer",
    "nav",
    "aside",
    "section",
    "h1",
    "h2",
    "pre",
    "code",
    "br",
    "hr",
    "ol",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "caption",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "form",
    "select",
    "option",
    "textarea",
    "xmp",
    "plaintext",
    "frameset",
    "frame",
    "object",
    "a",
    "b",
    "i",
    "img",
    "meta",
    "base",
    "button",
    "input",
    "foreignObject",
    "annotation-xml",
    "ruby",
    "rt",
    "x-custom",
];

const ATTRS: &[&str] = &[
    "class",
    "id",
    "role",
    "hidden",
    "charset",
    "http-equiv",
    "content",
    "property",
    "name",
    "href",
    "src",
    "alt",
    "lang",
    "dir",
    "style",
    "start",
    "value",
    "itemprop",
    "rel",
];

const ATTR_VALUES: &[&str] = &[
    "nav",
    "menu footer",
    "sidebar",
    "cookie-banner",
    "main",
    "navigation",
    "banner",
    "complementary",
    "text/html; charset=utf-16",
    "utf-16be",
    "x-user-defined",
    "iso-2022-jp",
    "replacement",
    "shift_jis",
    "og:title",
    "author",
    "article:published_time",
    "2012-07-04",
    "-1",
    "99999999999999999999",
    "",
];

const ENTITIES: &[&str] = &[
    "&#xFFFFFFFF;",
    "&#0;",
    "&#x0;",
    "&#xD800;",
    "&#xDFFF;",
    "&#x110000;",
    "&#99999999999;",
    "&#1114111;",
    "&#128;",
    "&#x80;",
    "&#13;",
    "&#x1F600;",
    "&amp",
    "&amp;",
    "&nbsp;",
    "&nbsp",
    "&notin;",
    "&notit;",
    "&lt",
    "&#",
    "&#x;",
    "&;",
    "&zzzz;",
    "&#65",
    "&ThickSpace;",
];

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "###### ",
    "####### ",
    "\n",
    "\n\n",
    "```",
    "```rust\n",
    "~~~",
    "    ",
    "|a|b|\n|-|-|\n",
    "|",
    "[^1]",
    "[^1]: note\n",
    "> ",
    ">>>>> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "999999999. ",
    "- [ ] ",
    "- [x] ",
    "***",
    "---\n",
    "---\ntitle: x\n",
    "+++\n",
    "+++\ntitle = \"t\"\n",
    "![",
    "](",
    ")",
    "[",
    "]",
    "<",
    ">",
    "`",
    "``",
    "\\",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "<?",
    "?>",
    "<![CDATA[",
    "]]>",
    "\t",
    "\r",
    "\r\n",
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "\u{a0}",
    "https://x.y/z",
    "<http://a.b>",
    "[a]: http://b \"t\"\n",
    "[a][]",
    "[a]",
    "title: ",
    "author: ",
    "date: ",
    "url: ",
];

/// One fragment of HTML/Markdown soup.
fn soup_piece() -> BoxedStrategy<String> {
    let tag = prop::sample::select(TAGS);
    let attr = (
        prop::sample::select(ATTRS),
        prop::sample::select(ATTR_VALUES),
    )
        .prop_map(|(k, v)| format!(" {k}=\"{v}\""));
    prop_oneof![
        4 => (tag.clone(), prop::collection::vec(attr, 0..3))
            .prop_map(|(t, a)| format!("<{t}{}>", a.concat())),
        2 => tag.clone().prop_map(|t| format!("</{t}>")),
        1 => tag.clone().prop_map(|t| format!("<{t}/>")),
        // A huge attribute value (unterminated half of the time).
        1 => (tag.clone(), prop::sample::select(ATTRS), 1usize..70_000, any::<bool>())
            .prop_map(|(t, a, n, close)| {
                format!("<{t} {a}=\"{}{}", "x".repeat(n), if close { "\">" } else { "" })
            }),
        3 => prop::sample::select(ENTITIES).prop_map(str::to_owned),
        3 => prop::sample::select(MARKDOWN).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9 .,;:!?'\"éü中文ا]{0,24}",
        1 => any::<String>(),
        // Deep nesting / long runs of one fragment.
        1 => (
            prop_oneof![
                tag.prop_map(|t| format!("<{t}>")),
                prop::sample::select(MARKDOWN).prop_map(str::to_owned),
                prop::sample::select(ENTITIES).prop_map(str::to_owned),
            ],
            1usize..3_000,
        )
            .prop_map(|(s, n)| s.repeat(n)),
    ]
    .boxed()
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(soup_piece(), 0..40).prop_map(|v| v.concat())
}

// ---------------------------------------------------------------------------
// DOCX containers.

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

const DOCX_XML: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:p/>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "<w:t xml:space=\"preserve\">",
    "<w:tab/>",
    "<w:br/>",
    "<w:cr/>",
    "<w:noBreakHyphen/>",
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "</w:tr>",
    "<w:tc>",
    "</w:tc>",
    "<w:del>",
    "</w:del>",
    "<w:delText>",
    "</w:delText>",
    "<w:ins>",
    "</w:ins>",
    "<w:moveFrom>",
    "</w:moveFrom>",
    "<mc:Fallback>",
    "</mc:Fallback>",
    "<w:instrText>",
    "</w:instrText>",
    "<w:hyperlink>",
    "</w:hyperlink>",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x0;",
    "&#xFFFFFFFF;",
    "&#xD800;",
    "&#1;",
    "&#x1F600;",
    "&unknown;",
    "&",
    "<![CDATA[x]]>",
    "<![CDATA[",
    "<!--c-->",
    "<!--",
    "<?pi x?>",
    "<!DOCTYPE w [<!ENTITY e \"boom\">]>",
    "&e;",
    "<",
    ">",
    "</",
    "/>",
    "\"",
    "'",
    "=",
    "\u{0}",
    "\u{feff}",
    "text",
    " ",
    "\n",
    "\r",
    "é中",
];

fn docx_xml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(DOCX_XML).prop_map(str::to_owned),
        2 => "[a-zA-Z ]{0,12}",
        1 => any::<String>(),
        1 => (prop::sample::select(DOCX_XML), 1usize..2_000).prop_map(|(s, n)| s.repeat(n)),
    ]
}

fn docx_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(docx_xml_piece(), 0..60).prop_map(|v| {
        format!(
            "<?xml version=\"1.0\"?><w:document {W_NS}><w:body>{}</w:body></w:document>",
            v.concat()
        )
        .into_bytes()
    })
}

/// The parts of the real DOCX fixture (name, bytes), in archive order.
fn docx_parts() -> &'static [(String, Vec<u8>)] {
    static PARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PARTS.get_or_init(|| {
        let bytes = fixture("article.docx");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("fixture is a zip");
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("fixture entry");
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).expect("fixture entry readable");
            parts.push((f.name().expect("entry name").into_owned(), buf));
        }
        parts
    })
}

fn fixture_part(name: &str) -> Vec<u8> {
    docx_parts()
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.clone())
        .unwrap_or_else(|| panic!("fixture has no {name}"))
}

/// A valid zip holding the fixture's small parts, with `word/document.xml`,
/// `_rels/.rels` and `docProps/core.xml` replaced by the given bytes (a part
/// given as `None` is left out).
fn make_docx(document: &[u8], rels: Option<&[u8]>, core: Option<&[u8]>, deflate: bool) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let method = if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, opts).expect("zip entry");
            zip.write_all(bytes).expect("zip write");
        };
        put("[Content_Types].xml", &fixture_part("[Content_Types].xml"));
        if let Some(r) = rels {
            put("_rels/.rels", r);
        }
        if let Some(c) = core {
            put("docProps/core.xml", c);
        }
        put("word/document.xml", document);
        zip.finish().expect("zip finish");
    }
    buf.into_inner()
}

// ---------------------------------------------------------------------------
// PDF tokens.

const PDF_TOKENS: &[&str] = &[
    "<<",
    ">>",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "/Length 99999999",
    "/Length -1",
    "/Length 0",
    "stream\n",
    "\nendstream",
    "obj",
    "endobj",
    "1 0 obj",
    "7 0 R",
    "3 0 R",
    "9999999999 0 R",
    "0 0 R",
    "/Filter /FlateDecode",
    "/Filter /LZWDecode",
    "/Filter /ASCII85Decode",
    "/Filter [/FlateDecode /FlateDecode]",
    "/Type /Pages",
    "/Type /Page",
    "/Count -1",
    "/Count 99999999",
    "/Kids [7 0 R]",
    "/Kids [3 0 R 3 0 R]",
    "/Parent 3 0 R",
    "/Font",
    "/Encoding /Identity-H",
    "/ToUnicode 9 0 R",
    "/Subtype /Type0",
    "/Subtype /Type3",
    "/DescendantFonts [2 0 R]",
    "/Widths [1 2]",
    "/FirstChar 99999",
    "/Encrypt 5 0 R",
    "xref",
    "trailer",
    "startxref",
    "%%EOF",
    "BT",
    "ET",
    "Tj",
    "TJ",
    "Tf",
    "Td",
    "TD",
    "Tm",
    "T*",
    "'",
    "\"",
    "Tz",
    "TL",
    "Tc",
    "Tw",
    "cm",
    "q",
    "Q",
    "Do",
    "/F1 12 Tf",
    "/F1 -1e308 Tf",
    "1e308 0 0 1e308 0 0 cm",
    "0 0 0 0 0 0 Tm",
    "(\\777\\000)",
    "<FFFE>",
    "<>",
    "<0",
    "-0",
    "NaN",
    "1.#INF",
    "99999999999999999999",
    "\n",
    " ",
];

fn pdf_token_pieces() -> impl Strategy<Value = Vec<(Index, String)>> {
    prop::collection::vec(
        (
            any::<Index>(),
            prop_oneof![
                4 => prop::sample::select(PDF_TOKENS).prop_map(str::to_owned),
                1 => (prop::sample::select(PDF_TOKENS), 1usize..500)
                    .prop_map(|(s, n)| format!("{s} ").repeat(n)),
            ],
        ),
        1..8,
    )
}

const PDF_FIXTURES: &[&str] = &[
    "two-pages.pdf",
    "restricted.pdf",
    "encrypted.pdf",
    "scanned.pdf",
];

// ---------------------------------------------------------------------------
// Properties.

const IMPORTERS: [SourceKind; 5] = [
    SourceKind::Html,
    SourceKind::Markdown,
    SourceKind::Docx,
    SourceKind::Pdf,
    SourceKind::Text,
];

/// Runs one property: `cases` inputs from `strategy` (shrunk on failure),
/// then prints the number of calls and the slowest one.
fn run<S: Strategy>(
    name: &'static str,
    strategy: S,
    body: impl Fn(S::Value, &mut Slowest) -> Result<(), TestCaseError>,
) {
    let slow = RefCell::new(Slowest::new());
    let mut runner = proptest::test_runner::TestRunner::new(config(48));
    let result = runner.run(&strategy, |v| body(v, &mut slow.borrow_mut()));
    let s = slow.borrow();
    eprintln!(
        "[fuzz_importers] {name}: {} cases, {} extract calls, slowest call {:?} on {} bytes, {} caught pdf-extract panics",
        runner.config().cases,
        s.calls,
        s.worst,
        s.len,
        s.third_party_panics
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// (a) Arbitrary bytes into every importer; for PDF and DOCX also with the
/// magic bytes in front, so the parsers themselves are reached.
#[test]
fn arbitrary_bytes() {
    run(
        "arbitrary_bytes",
        prop::collection::vec(any::<u8>(), 0..4096),
        |bytes, slow| {
            for kind in IMPORTERS {
                check(kind, &bytes, slow)?;
            }
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.extend_from_slice(&bytes);
            check(SourceKind::Pdf, &pdf, slow)?;
            let mut zip = b"PK\x03\x04".to_vec();
            zip.extend_from_slice(&bytes);
            check(SourceKind::Docx, &zip, slow)
        },
    );
}

/// (b) Byte flips, truncations, insertions, deletions and duplications of
/// the real HTML and Markdown fixtures.
#[test]
fn mutated_text_fixtures() {
    run("mutated_text_fixtures", mutations(), |muts, slow| {
        check(
            SourceKind::Html,
            &apply(fixture("article.html"), &muts),
            slow,
        )?;
        check(
            SourceKind::Markdown,
            &apply(fixture("article.md"), &muts),
            slow,
        )
    });
}

/// (b) Tag soup (nested unclosed tags, huge attribute values, odd entities,
/// Markdown syntax) inserted into the fixtures, and alone.
#[test]
fn tag_soup() {
    run(
        "tag_soup",
        (
            soup(),
            prop::collection::vec((any::<Index>(), soup()), 1..6),
        ),
        |(alone, pieces), slow| {
            for kind in [SourceKind::Html, SourceKind::Markdown] {
                check(kind, alone.as_bytes(), slow)?;
            }
            check(
                SourceKind::Html,
                &insert_pieces(fixture("article.html"), &pieces),
                slow,
            )?;
            check(
                SourceKind::Markdown,
                &insert_pieces(fixture("article.md"), &pieces),
                slow,
            )
        },
    );
}

/// (b) The real DOCX fixtures, mutated at the byte level (zip damage).
#[test]
fn mutated_docx_fixture() {
    run("mutated_docx_fixture", mutations(), |muts, slow| {
        check(
            SourceKind::Docx,
            &apply(fixture("article.docx"), &muts),
            slow,
        )?;
        check(
            SourceKind::Docx,
            &apply(fixture("corrupt.docx"), &muts),
            slow,
        )
    });
}

/// (c) Valid zip containers whose `word/document.xml` is arbitrary bytes,
/// w: tag soup, or the fixture's XML mutated; the relationships and core
/// properties parts are mutated or left out too.
#[test]
fn docx_with_arbitrary_xml() {
    let document = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        docx_soup(),
        mutations().prop_map(|m| apply(fixture_part("word/document.xml"), &m)),
        prop::collection::vec((any::<Index>(), docx_xml_piece()), 1..10)
            .prop_map(|p| insert_pieces(fixture_part("word/document.xml"), &p)),
    ];
    let rels = prop::option::of(prop_oneof![
        Just(fixture_part("_rels/.rels")),
        mutations().prop_map(|m| apply(fixture_part("_rels/.rels"), &m)),
    ]);
    let core = prop::option::of(prop_oneof![
        Just(fixture_part("docProps/core.xml")),
        mutations().prop_map(|m| apply(fixture_part("docProps/core.xml"), &m)),
        prop::collection::vec((any::<Index>(), docx_xml_piece()), 1..6)
            .prop_map(|p| insert_pieces(fixture_part("docProps/core.xml"), &p)),
    ]);
    run(
        "docx_with_arbitrary_xml",
        (document, rels, core, any::<bool>()),
        |(document, rels, core, deflate), slow| {
            let bytes = make_docx(&document, rels.as_deref(), core.as_deref(), deflate);
            check(SourceKind::Docx, &bytes, slow)
        },
    );
}

/// (d) The fixture PDFs (text, restricted, encrypted, scanned), mutated at
/// the byte level and with PDF tokens (references, filters, page tree
/// cycles, text operators) inserted at random places.
#[test]
fn mutated_pdfs() {
    run(
        "mutated_pdfs",
        (
            prop::sample::select(PDF_FIXTURES),
            mutations(),
            pdf_token_pieces(),
        ),
        |(which, muts, tokens), slow| {
            let base = fixture(which);
            check(SourceKind::Pdf, &apply(base.clone(), &muts), slow)?;
            check(SourceKind::Pdf, &insert_pieces(base, &tokens), slow)
        },
    );
}

/// The unmutated fixtures import cleanly (the properties above start from
/// inputs that really exercise the importers).
#[test]
fn fixtures_import_cleanly() {
    let mut slow = Slowest::new();
    for (kind, name) in [
        (SourceKind::Html, "article.html"),
        (SourceKind::Markdown, "article.md"),
        (SourceKind::Docx, "article.docx"),
        (SourceKind::Pdf, "two-pages.pdf"),
    ] {
        let bytes = fixture(name);
        assert!(import::extract(kind, &bytes).is_ok(), "{name}");
        check(kind, &bytes, &mut slow).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let doc = make_docx(
        &fixture_part("word/document.xml"),
        Some(&fixture_part("_rels/.rels")),
        Some(&fixture_part("docProps/core.xml")),
        true,
    );
    let e = import::extract(SourceKind::Docx, &doc).expect("rebuilt docx imports");
    assert_eq!(
        e,
        import::extract(SourceKind::Docx, &fixture("article.docx")).expect("fixture")
    );
}

// ---------------------------------------------------------------------------
// REFI-QDA projects.

/// What one import gives, minus the times (a selection without a creation
/// time is stamped with the current one).
type QdpxSummary = Result<Vec<(String, String, Vec<(usize, usize, String, String)>)>, String>;

fn qdpx_summary(bytes: &[u8]) -> QdpxSummary {
    qdpx_import::read_qdpx(bytes, &ImportOptions::default())
        .map(|imp| {
            imp.docs
                .iter()
                .map(|d| {
                    let anns = d
                        .set
                        .annotations()
                        .iter()
                        .map(|a| {
                            (
                                a.start,
                                a.end,
                                a.quote.clone(),
                                format!("{:?}{:?}{:?}", a.issues, a.actors, a.note),
                            )
                        })
                        .collect();
                    (d.file.clone(), d.text.as_str().to_owned(), anns)
                })
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// Runs `read_qdpx` on `bytes` and checks: no panic (caught or not), the
/// same result twice, on `Ok` every annotation inside its text with its
/// quote equal to the text's code points and every file name a plain
/// `.txt` name; on `Err` a non-empty message.
fn check_qdpx(bytes: &[u8], slowest: &mut Slowest) -> Result<(), TestCaseError> {
    install_panic_hook();
    PANICS.with(|p| p.borrow_mut().clear());
    let start = Instant::now();
    let first = qdpx_summary(bytes);
    let elapsed = start.elapsed();
    let second = qdpx_summary(bytes);
    slowest.calls += 1;
    if elapsed > slowest.worst {
        slowest.worst = elapsed;
        slowest.len = bytes.len();
    }
    let panics = PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    prop_assert!(panics.is_empty(), "qdpx importer panicked: {panics:?}");
    prop_assert_eq!(&first, &second, "qdpx import is not deterministic");
    match first {
        Ok(docs) => {
            for (file, text, anns) in docs {
                prop_assert!(
                    file.ends_with(".txt") && !file.contains(['/', '\\']) && !file.starts_with('.'),
                    "file name {file:?}"
                );
                let len = text.chars().count();
                for (s, e, quote, _) in anns {
                    prop_assert!(s <= e && e <= len, "{s}..{e} beyond {len}");
                    let slice: String = text.chars().skip(s).take(e - s).collect();
                    prop_assert_eq!(quote, slice);
                }
            }
        }
        Err(e) => prop_assert!(!e.trim().is_empty(), "empty error message"),
    }
    Ok(())
}

/// The exported example project (the multibyte CRLF text and its set).
fn qdpx_fixture() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        use marginalia::core::export::{ExportDoc, Filter, qdpx};
        let (text, set) = export_support::multi();
        let (t2, s2) = export_support::sample();
        let docs = [
            ExportDoc {
                name: "multi.txt",
                text: &text,
                set: &set,
            },
            ExportDoc {
                name: "sample.txt",
                text: &t2,
                set: &s2,
            },
        ];
        let project = qdpx::Project {
            name: "fuzz".into(),
            codebook: Default::default(),
            ..Default::default()
        };
        qdpx::to_qdpx(&project, &docs, &Filter::default()).expect("export")
    })
}

/// The fixture's entries (name, bytes).
fn qdpx_parts() -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(qdpx_fixture())).expect("fixture is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).expect("entry readable");
            (f.name().expect("name").into_owned(), buf)
        })
        .collect()
}

fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, bytes) in parts {
            zip.start_file(name.as_str(), opts).expect("zip entry");
            zip.write_all(bytes).expect("zip write");
        }
        zip.finish().expect("zip finish");
    }
    buf.into_inner()
}

const QDE_XML: &[&str] = &[
    "<Project name=\"p\">",
    "</Project>",
    "<Sources>",
    "</Sources>",
    "<TextSource guid=\"S\" name=\"T\">",
    "<TextSource guid=\"S\" name=\"T\" plainTextPath=\"internal://S.txt\">",
    "<TextSource guid=\"S\" plainTextPath=\"internal://../S.txt\"/>",
    "</TextSource>",
    "<PlainTextContent>",
    "</PlainTextContent>",
    "<PlainTextSelection guid=\"P\" startPosition=\"0\" endPosition=\"3\">",
    "<PlainTextSelection guid=\"P\" startPosition=\"99999999999999999999\" endPosition=\"-1\">",
    "<PlainTextSelection guid=\"P\" startPosition=\"5\" endPosition=\"2\"/>",
    "</PlainTextSelection>",
    "<Coding guid=\"G\"><CodeRef targetGUID=\"C\"/></Coding>",
    "<Coding guid=\"G\"><CodeRef targetGUID=\"R\"/></Coding>",
    "<CodeBook><Codes>",
    "</Codes></CodeBook>",
    "<Code guid=\"C\" name=\"A\" isCodable=\"true\" color=\"#abc\">",
    "<Code guid=\"R\" name=\"Issues\" isCodable=\"false\">",
    "<Code guid=\"R\" name=\"Stance\" isCodable=\"false\"><Code guid=\"X\" name=\"Support\" isCodable=\"true\"/>",
    "</Code>",
    "<Code guid=\"C\" name=\"A\" isCodable=\"true\"/>",
    "<Description>",
    "</Description>",
    "<NoteRef targetGUID=\"N\"/>",
    "<Notes><Note guid=\"N\" plainTextPath=\"internal://N.txt\"/></Notes>",
    "<Users><User guid=\"U\" name=\"Ana\"/></Users>",
    "<VariableValue><VariableRef targetGUID=\"V\"/><TextValue>x</TextValue></VariableValue>",
    "<Variables><Variable guid=\"V\" name=\"Status\" typeOfVariable=\"Text\"/></Variables>",
    "<PictureSource guid=\"I\" name=\"i\"/>",
    "<Links><Link guid=\"L\"/></Links>",
    "<!DOCTYPE Project [<!ENTITY e \"boom\">]>",
    "&e;",
    "&amp;",
    "&#13;",
    "&#0;",
    "&#xD800;",
    "<![CDATA[x]]>",
    "<",
    ">",
    "\"",
    "é😀",
    "\r\n",
    "text",
];

fn qde_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            6 => prop::sample::select(QDE_XML).prop_map(str::to_owned),
            1 => "[a-zA-Z ]{0,12}",
            1 => any::<String>(),
            1 => (prop::sample::select(QDE_XML), 1usize..500).prop_map(|(s, n)| s.repeat(n)),
        ],
        0..60,
    )
    .prop_map(|v| v.concat().into_bytes())
}

/// (e) REFI-QDA projects: arbitrary bytes (also behind a zip header), the
/// exported example mutated at the byte level, and valid zips whose
/// project.qde is mutated, REFI tag soup, or has soup inserted, with and
/// without the fixture's source files.
#[test]
fn qdpx_projects() {
    let parts = qdpx_parts();
    let qde = parts[0].1.clone();
    let input = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        prop::collection::vec(any::<u8>(), 0..2048).prop_map(|b| {
            let mut z = b"PK\x03\x04".to_vec();
            z.extend(b);
            z
        }),
        mutations().prop_map(|m| apply(qdpx_fixture().to_vec(), &m)),
        (mutations(), any::<bool>()).prop_map({
            let parts = parts.clone();
            let qde = qde.clone();
            move |(m, keep)| {
                let mut p = if keep {
                    parts.clone()
                } else {
                    parts[..1].to_vec()
                };
                p[0].1 = apply(qde.clone(), &m);
                zip_parts(&p)
            }
        }),
        (qde_soup(), any::<bool>()).prop_map({
            let parts = parts.clone();
            move |(soup, keep)| {
                let mut p = if keep {
                    parts.clone()
                } else {
                    parts[..1].to_vec()
                };
                p[0].1 = soup;
                p.push(("sources/S.txt".into(), "abc\r\ndef".as_bytes().to_vec()));
                zip_parts(&p)
            }
        }),
        prop::collection::vec(
            (
                any::<Index>(),
                qde_soup().prop_map(|b| String::from_utf8_lossy(&b).into_owned())
            ),
            1..6
        )
        .prop_map({
            let parts = parts.clone();
            let qde = qde.clone();
            move |pieces| {
                let mut p = parts.clone();
                p[0].1 = insert_pieces(qde.clone(), &pieces);
                zip_parts(&p)
            }
        }),
    ];
    run("qdpx_projects", input, |bytes, slow| {
        check_qdpx(&bytes, slow)
    });
}

/// The unmutated exported project imports, with every annotation.
#[test]
fn qdpx_fixture_imports_cleanly() {
    let imp = qdpx_import::read_qdpx(qdpx_fixture(), &ImportOptions::default()).expect("imports");
    let (_, set) = export_support::multi();
    assert_eq!(imp.docs[0].set.annotations().len(), set.annotations().len());
    let mut slow = Slowest::new();
    check_qdpx(qdpx_fixture(), &mut slow).expect("clean");
}

/// The panic recorder sees a panic even when it is caught.
#[test]
fn panic_recorder_sees_caught_panics() {
    install_panic_hook();
    PANICS.with(|p| p.borrow_mut().clear());
    let caught = std::panic::catch_unwind(|| panic!("recorded"));
    assert!(caught.is_err());
    let panics = PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    assert_eq!(panics.len(), 1);
    assert!(panics[0].starts_with("recorded at "), "{panics:?}");
}
