//! REFI-QDA exchange: every `.qdc` and `project.qde` Marginalia writes is
//! validated against the REFI schemas (tests/fixtures/refi-qda, with their
//! licence notices) by `xmllint --schema`; a missing xmllint fails.

mod export_support;
mod refi_support;

use export_support::{multi, sample};
use marginalia::core::codebook::{Codebook, TagKind};
use marginalia::core::export::qdc;
use refi_support::{CODEBOOK_XSD, assert_valid, validate};
use std::process::Command;

/// Codebooks with what a real one holds: a hierarchy, descriptions with
/// markup, quotes and newlines, names needing escapes, both kinds.
fn codebooks() -> Vec<(&'static str, Codebook)> {
    let (_, s) = sample();
    let (_, m) = multi();
    let mut deep = s.codebook.clone();
    let parent = deep.tags()[0].clone();
    let mut child = deep.tags()[1].clone();
    child.parent = Some(parent.name.clone());
    child.description = Some("a <b>bold</b> & \"quoted\"\nsecond line\ttab".into());
    deep.insert(child.clone());
    let mut grandchild = deep.new_tag(parent.kind, "Grand <child> & 'co'");
    grandchild.parent = Some(child.name.clone());
    deep.insert(grandchild);
    let mut only_issue = Codebook::default();
    only_issue.insert(only_issue.new_tag(TagKind::Issue, "Drones"));
    vec![
        ("sample", s.codebook),
        ("multi", m.codebook),
        ("hierarchy", deep),
        ("one issue", only_issue),
    ]
}

#[test]
fn every_qdc_validates_against_the_codebook_schema() {
    for (name, cb) in codebooks() {
        let xml = qdc::to_qdc(&cb).unwrap();
        assert_valid(CODEBOOK_XSD, xml.as_bytes(), name);
        assert!(xml.contains("<MemberCode guid=\""), "{name}");
        assert!(!xml.contains("targetGUID"), "{name}");
    }
}

#[test]
fn the_schema_check_rejects_the_project_schemas_member_code() {
    // What `codebook export` wrote before: the check can fail.
    let (_, s) = sample();
    let xml = qdc::to_qdc(&s.codebook)
        .unwrap()
        .replace("<MemberCode guid=", "<MemberCode targetGUID=");
    let err = validate(CODEBOOK_XSD, xml.as_bytes()).unwrap_err();
    assert!(err.contains("targetGUID"), "{err}");
    // ... and such files still read, with their kinds.
    let back = qdc::from_qdc(&xml).unwrap();
    assert_eq!(
        back,
        qdc::from_qdc(&qdc::to_qdc(&s.codebook).unwrap()).unwrap()
    );
    assert!(back.of_kind(TagKind::Actor).count() > 0);
}

#[test]
fn an_empty_codebook_is_refused_not_written_invalid() {
    let err = qdc::to_qdc(&Codebook::default()).unwrap_err();
    assert_eq!(err, qdc::EMPTY_CODEBOOK);
}

#[test]
fn the_cli_codebook_export_validates() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export");
    for f in ["us-pakistan-truce.txt", "us-pakistan-truce.annotations.ron"] {
        std::fs::copy(fixtures.join(f), dir.path().join(f)).unwrap();
    }
    let out = dir.path().join("cb.qdc");
    let status = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["codebook", "export"])
        .arg(dir.path().join("us-pakistan-truce.txt"))
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_valid(CODEBOOK_XSD, &std::fs::read(&out).unwrap(), "cb.qdc");
}
