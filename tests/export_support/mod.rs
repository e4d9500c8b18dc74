//! Shared fixtures for the export tests: the sample article with its
//! example set, and a small text with a BOM, CRLF and multibyte characters.
#![allow(dead_code)]

use marginalia::core::annotation::{Annotation, Stance};
use marginalia::core::codebook::TagKind;
use marginalia::core::set::{AnnotationSet, SourceRef};
use marginalia::core::text::Text;
use marginalia::core::{session, store};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/export")
        .join(name)
}

/// The sample article and its example set.
pub fn sample() -> (Text, AnnotationSet) {
    let (text, _) = session::read_article(&fixture("us-pakistan-truce.txt"), false).unwrap();
    let set = store::load(&fixture("us-pakistan-truce.annotations.ron")).unwrap();
    assert!(set.annotations().len() > 10);
    (text, set)
}

/// Raw file content of the multibyte text (BOM + CRLF).
pub const MULTI_RAW: &str = "\u{feff}«Pakistan’s» army — اردو 😀\r\n=SUM(A1) said the ISI\r\n\r\n-2 drones, “Haqqani” & <co>\r\nend";

/// A set on [`MULTI_RAW`] covering the awkward cases.
pub fn multi() -> (Text, AnnotationSet) {
    let text = Text::new(MULTI_RAW.to_owned());
    let mut set = AnnotationSet::new(SourceRef {
        path: "multi.txt".into(),
        sha256: text.sha256().into(),
        length: text.len_chars(),
        ..Default::default()
    });
    for (k, n) in [
        (TagKind::Issue, "Anti-Americanism"),
        (TagKind::Issue, "Drone strikes"),
        (TagKind::Actor, "ISI"),
        (TagKind::Actor, "Haqqani network"),
        (TagKind::Actor, "=cmd|' /C calc'!A0"),
    ] {
        let t = set.codebook.new_tag(k, n);
        set.codebook.insert(t);
    }
    let find = |s: &str| {
        let b = text.as_str().find(s).unwrap();
        let start = text.byte_to_char(b);
        (start, start + s.chars().count())
    };
    let mut add = |span: (usize, usize), tags: &[(TagKind, &str)], note: Option<&str>, stance| {
        let id = set.fresh_id();
        let mut a = Annotation::new(id, &text, span.0, span.1, "2024-05-01T10:00:00Z");
        for (k, n) in tags {
            a.add_tag(*k, n);
        }
        a.note = note.map(str::to_owned);
        a.stance = stance;
        a.coder = Some("tester".into());
        set.insert_sorted(a);
    };
    add(
        find("Pakistan’s"),
        &[
            (TagKind::Issue, "Anti-Americanism"),
            (TagKind::Actor, "ISI"),
        ],
        Some("<script>alert(1)</script>\nsecond line & more"),
        Some(Stance::Oppose),
    );
    // crosses two CRLFs (a blank line) and starts with a formula character
    add(
        find("😀\r\n=SUM(A1) said the ISI\r\n\r\n-2 drones"),
        &[
            (TagKind::Issue, "Drone strikes"),
            (TagKind::Actor, "Haqqani network"),
        ],
        None,
        Some(Stance::Support),
    );
    add(
        find("=SUM(A1)"),
        &[(TagKind::Actor, "=cmd|' /C calc'!A0")],
        Some("=HYPERLINK(\"x\")"),
        None,
    );
    add(
        find("-2 drones"),
        &[
            (TagKind::Issue, "Drone strikes"),
            (TagKind::Issue, "Anti-Americanism"),
            (TagKind::Actor, "ISI"),
            (TagKind::Actor, "Haqqani network"),
        ],
        None,
        None,
    );
    add(
        find("“Haqqani” & <co>"),
        &[(TagKind::Actor, "Haqqani network")],
        None,
        None,
    );
    add(find("end"), &[], None, None);
    (text, set)
}
