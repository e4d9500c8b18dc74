//! REFI-QDA exchange: every `.qdc` and `project.qde` Marginalia writes is
//! validated against the REFI schemas (tests/fixtures/refi-qda, with their
//! licence notices) by `xmllint --schema`; a missing xmllint fails.

mod export_support;
mod refi_support;

use export_support::{MULTI_RAW, multi, sample};
use marginalia::core::annotation::Stance;
use marginalia::core::codebook::{Codebook, TagKind};
use marginalia::core::export::{ExportDoc, ExportFormat, Filter, qdc, qdpx};
use marginalia::core::set::{AnnotationSet, DocStatus};
use marginalia::core::store;
use marginalia::core::text::Text;
use refi_support::{CODEBOOK_XSD, PROJECT_XSD, assert_valid, validate};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

/// Where the tests leave the files they wrote, for the Python reader check
/// (tests/fixtures/refi-qda/check_with_pyrefiqda.py).
fn keep(name: &str, bytes: &[u8]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/refi-qda");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// The two example documents as a small study: the sample with metadata,
/// a status and attributes (one named like a metadata variable), a note
/// with markup and a tag no codebook holds; the multibyte CRLF text with a
/// stance, coders and a parent tag.
fn study() -> Vec<(String, Text, AnnotationSet)> {
    let (t1, mut s1) = sample();
    s1.metadata.author = Some("Staff <reporter> & co".into());
    s1.metadata.publication = Some("Dawn".into());
    s1.metadata.date = Some("2012-07-04".into());
    s1.metadata.url = Some("https://example.org/a?b=1&c=2".into());
    s1.metadata.notes = Some("Read twice.\nSecond line".into());
    s1.metadata.status = DocStatus::InProgress;
    s1.metadata
        .attributes
        .insert("outlet".into(), "Dawn".into());
    s1.metadata.attributes.insert("date".into(), "July".into());
    s1.update_annotations(|v| {
        v[0].issues.push("Not in any codebook".into());
        v[0].issues.sort();
        v[1].note = Some("a <b>note</b> & \"quotes\"\r\nCRLF\ttab".into());
    });
    let (t2, mut s2) = multi();
    let mut child = s2
        .codebook
        .get(TagKind::Issue, "Drone strikes")
        .unwrap()
        .clone();
    child.parent = Some("Anti-Americanism".into());
    child.description = Some("Strikes by drones".into());
    s2.codebook.insert(child);
    s2.metadata
        .attributes
        .insert("outlet".into(), "The Nation".into());
    s2.metadata.date = Some("4 July".into());
    s2.update_annotations(|v| v[1].coder = Some("second coder".into()));
    vec![
        ("us-pakistan-truce.txt".into(), t1, s1),
        ("multi.txt".into(), t2, s2),
    ]
}

fn docs(study: &[(String, Text, AnnotationSet)]) -> Vec<ExportDoc<'_>> {
    study
        .iter()
        .map(|(name, text, set)| ExportDoc { name, text, set })
        .collect()
}

fn project() -> qdpx::Project {
    qdpx::Project {
        name: "Truce study".into(),
        codebook: Codebook::default(),
    }
}

/// The zip's entries, by name, in archive order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            (f.name().unwrap().into_owned(), buf)
        })
        .collect()
}

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
        keep(&format!("{}.qdc", name.replace(' ', "-")), xml.as_bytes());
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

#[test]
fn the_project_validates_against_the_project_schema() {
    let study = study();
    let d = docs(&study);
    let xml = qdpx::to_qde(&project(), &d, &Filter::default());
    assert_valid(PROJECT_XSD, xml.as_bytes(), "project.qde");
    // One selection per annotation, one coding per tag and stance.
    let annotations: usize = study.iter().map(|s| s.2.annotations().len()).sum();
    assert_eq!(xml.matches("<PlainTextSelection ").count(), annotations);
    let codings: usize = study
        .iter()
        .flat_map(|s| s.2.annotations())
        .map(|a| a.issues.len() + a.actors.len() + usize::from(a.stance.is_some()))
        .sum();
    assert_eq!(xml.matches("<Coding ").count(), codings);
    for root in ["Issues", "Actors", "Stance"] {
        assert!(
            xml.contains(&format!("name=\"{root}\" isCodable=\"false\"")),
            "{root}"
        );
    }
    assert!(xml.contains("name=\"Not in any codebook\" isCodable=\"true\""));
    assert!(xml.contains("<User guid=\"") && xml.contains("name=\"second coder\""));
    // Declared once, typed: the multi text's "4 July" makes Date text.
    assert_eq!(
        xml.matches("name=\"outlet\" typeOfVariable=\"Text\"")
            .count(),
        1
    );
    assert!(xml.contains("name=\"Date\" typeOfVariable=\"Text\""));
    assert!(xml.contains("name=\"attribute: date\""));
    assert!(xml.contains("<TextValue>in_progress</TextValue>"));
    // A filter writes only the matching selections, still valid.
    let filter = Filter {
        issues: vec!["Drone strikes".into()],
        actors: vec![],
    };
    let filtered = qdpx::to_qde(&project(), &d, &filter);
    assert_valid(PROJECT_XSD, filtered.as_bytes(), "filtered project.qde");
    assert!(filtered.matches("<PlainTextSelection ").count() < annotations);
}

#[test]
fn a_date_variable_is_typed_date_when_every_value_is_a_day() {
    let mut study = study();
    study[1].2.metadata.date = Some("2012-07-05".into());
    let xml = qdpx::to_qde(&project(), &docs(&study), &Filter::default());
    assert!(xml.contains("name=\"Date\" typeOfVariable=\"Date\""));
    assert!(xml.contains("<DateValue>2012-07-05</DateValue>"));
    assert_valid(PROJECT_XSD, xml.as_bytes(), "dated project.qde");
    assert!(qdpx::is_iso_date("2012-02-29") && !qdpx::is_iso_date("2013-02-29"));
}

#[test]
fn the_qdpx_holds_the_project_and_each_text_and_is_the_same_bytes_twice() {
    let study = study();
    let d = docs(&study);
    let bytes = qdpx::to_qdpx(&project(), &d, &Filter::default()).unwrap();
    assert_eq!(
        bytes,
        qdpx::to_qdpx(&project(), &d, &Filter::default()).unwrap()
    );
    keep("study.qdpx", &bytes);
    let e = entries(&bytes);
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].0, "project.qde");
    let xml = String::from_utf8(e[0].1.clone()).unwrap();
    for ((_, text, _), (name, content)) in study.iter().zip(&e[1..]) {
        let guid = name
            .strip_prefix("sources/")
            .and_then(|n| n.strip_suffix(".txt"))
            .unwrap();
        assert!(xml.contains(&format!("plainTextPath=\"internal://{guid}.txt\"")));
        // The decoded text: no BOM, CRLF kept.
        assert_eq!(content, text.as_str().as_bytes());
    }
    assert!(!e[2].1.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(MULTI_RAW.contains("\r\n") && std::str::from_utf8(&e[2].1).unwrap().contains("\r\n"));
    // Another project name gives other GUIDs for sources and selections,
    // the same for tags.
    let other = qdpx::Project {
        name: "Another".into(),
        codebook: Codebook::default(),
    };
    let xml2 = qdpx::to_qde(&other, &d, &Filter::default());
    assert_ne!(xml, xml2);
    let code =
        |x: &str| x[x.find("<CodeBook>").unwrap()..x.find("</CodeBook>").unwrap()].to_owned();
    assert_eq!(code(&xml), code(&xml2));
}

#[test]
fn a_stance_is_coded_with_its_stance_code() {
    let study = study();
    let d = docs(&study);
    let xml = qdpx::to_qde(&project(), &d, &Filter::default());
    let stanced = study[1]
        .2
        .annotations()
        .iter()
        .filter(|a| a.stance == Some(Stance::Oppose))
        .count();
    let oppose = qdpx::fixed_guid("Stance/Oppose");
    assert!(stanced > 0);
    assert_eq!(
        xml.matches(&format!("<CodeRef targetGUID=\"{oppose}\"/>"))
            .count(),
        stanced
            + study[0]
                .2
                .annotations()
                .iter()
                .filter(|a| a.stance == Some(Stance::Oppose))
                .count()
    );
}

/// Writes the study as a corpus folder: articles, sets and a corpus.ron
/// naming it, with a corpus tag no set holds.
fn corpus_folder(root: &Path) {
    for (name, text, set) in study() {
        let raw = if name == "multi.txt" {
            MULTI_RAW.to_owned()
        } else {
            text.as_str().to_owned()
        };
        std::fs::write(root.join(&name), raw).unwrap();
        let mut set = set;
        set.source.path = name.clone();
        store::save(&store::set_path_for(&root.join(&name)), &set).unwrap();
    }
    let mut cb = Codebook::default();
    cb.insert(cb.new_tag(TagKind::Actor, "Corpus-only actor"));
    let file = marginalia::core::corpus::CorpusFile {
        version: marginalia::core::corpus::CORPUS_VERSION,
        name: "Truce study".into(),
        codebook: cb,
        attributes: Vec::new(),
        order: Vec::new(),
    };
    std::fs::write(
        root.join("corpus.ron"),
        marginalia::core::corpus::corpus_file_ron(&file).unwrap(),
    )
    .unwrap();
}

#[test]
fn the_cli_exports_a_corpus_as_qdpx_the_same_twice() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("truce");
    std::fs::create_dir(&root).unwrap();
    corpus_folder(&root);
    let out1 = d.path().join("a.qdpx");
    let out2 = d.path().join("b.qdpx");
    for out in [&out1, &out2] {
        let o = bin()
            .args(["export"])
            .arg(&root)
            .args(["--format", "qdpx", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let bytes = std::fs::read(&out1).unwrap();
    assert_eq!(bytes, std::fs::read(&out2).unwrap(), "the same bytes");
    let e = entries(&bytes);
    let xml = String::from_utf8(e[0].1.clone()).unwrap();
    assert_valid(PROJECT_XSD, xml.as_bytes(), "CLI project.qde");
    assert!(xml.contains("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Truce study\""));
    assert!(
        xml.contains("name=\"Corpus-only actor\""),
        "the corpus codebook"
    );
    // Standard output cannot take a zip; a folder is no file.
    let o = bin()
        .arg("export")
        .arg(&root)
        .args(["-f", "qdpx"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("give --out FILE.qdpx"));
    let o = bin()
        .arg("export")
        .arg(&root)
        .args(["-f", "qdpx", "-o"])
        .arg(d.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a folder"));
}

#[test]
fn the_export_dialogs_path_names_the_project_after_the_file() {
    let study = study();
    let d = docs(&study);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("my study.qdpx");
    let written = marginalia::core::export::export_to_path(
        ExportFormat::Qdpx,
        &d,
        &Filter::default(),
        &Default::default(),
        &dest,
    )
    .unwrap();
    assert_eq!(written, std::slice::from_ref(&dest));
    let e = entries(&std::fs::read(&dest).unwrap());
    let xml = String::from_utf8(e[0].1.clone()).unwrap();
    assert!(xml.contains("name=\"my study\""));
    assert!(
        marginalia::core::export::export_to_string(
            ExportFormat::Qdpx,
            &d,
            &Filter::default(),
            &Default::default()
        )
        .is_err()
    );
}
