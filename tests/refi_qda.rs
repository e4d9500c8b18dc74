//! REFI-QDA exchange: every `.qdc` and `project.qde` Marginalia writes is
//! validated against the REFI schemas (tests/fixtures/refi-qda, with their
//! licence notices) by `xmllint --schema`; a missing xmllint fails.

mod export_support;
mod refi_support;

use export_support::{MULTI_RAW, multi, sample};
use marginalia::core::annotation::{Annotation, Stance};
use marginalia::core::codebook::{Codebook, TagKind};
use marginalia::core::export::{ExportDoc, ExportFormat, Filter, qdc, qdpx};
use marginalia::core::set::{AnnotationSet, DocStatus, SourceRef};
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
        ..Default::default()
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
        ..Default::default()
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
    // --positions is for qdpx; utf16 reaches the project.
    let o = bin()
        .arg("export")
        .arg(&root)
        .args(["-f", "json", "--positions", "utf16"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--positions applies to -f qdpx"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let nvivo = d.path().join("nvivo.qdpx");
    let o = bin()
        .arg("export")
        .arg(&root)
        .args(["-f", "qdpx", "--positions", "utf16", "-o"])
        .arg(&nvivo)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let opts = ImportOptions {
        positions: Some(qdpx_import::Positions::Utf16),
        ..ImportOptions::default()
    };
    let back = qdpx_import::read_qdpx(&std::fs::read(&nvivo).unwrap(), &opts).unwrap();
    let plain = import(&bytes);
    let quotes = |i: &Imported| -> Vec<String> {
        i.docs
            .iter()
            .flat_map(|d| d.set.annotations().iter().map(|a| a.quote.clone()))
            .collect()
    };
    assert_eq!(quotes(&back), quotes(&plain));
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

// ---------------------------------------------------------------------------
// Import.

use marginalia::core::qdpx_import::{self, ImportOptions, Imported};

/// A zip of `(name, bytes)` entries.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn import(bytes: &[u8]) -> Imported {
    qdpx_import::read_qdpx(bytes, &ImportOptions::default()).unwrap()
}

fn import_err(bytes: &[u8]) -> String {
    qdpx_import::read_qdpx(bytes, &ImportOptions::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn export_then_import_gives_the_same_annotations_tags_notes_coders_and_attributes() {
    let study = study();
    let d = docs(&study);
    let bytes = qdpx::to_qdpx(&project(), &d, &Filter::default()).unwrap();
    let imp = import(&bytes);
    assert_eq!(imp.name, "Truce study");
    assert!(imp.losses.is_empty(), "{:?}", imp.losses);
    assert_eq!(imp.docs.len(), study.len());
    // The codebook: every tag with its kind, colour, description, parent.
    let mut want = Codebook::default();
    for (_, _, set) in &study {
        want = marginalia::core::corpus::merge_codebooks(&want, &set.codebook).0;
    }
    for t in want.tags() {
        let got = imp
            .codebook
            .get(t.kind, &t.name)
            .unwrap_or_else(|| panic!("{} lost", t.name));
        assert_eq!(
            (got.color, &got.description, &got.parent),
            (t.color, &t.description, &t.parent),
            "{}",
            t.name
        );
    }
    assert!(
        imp.codebook
            .get(TagKind::Issue, "Not in any codebook")
            .is_some()
    );
    for ((_, text, set), doc) in study.iter().zip(&imp.docs) {
        assert_eq!(doc.text.as_str(), text.as_str());
        let key = |a: &marginalia::core::annotation::Annotation| {
            (
                a.start,
                a.end,
                a.quote.clone(),
                a.issues.clone(),
                a.actors.clone(),
                a.note.clone(),
                a.stance,
                a.coder.clone(),
                a.created.clone(),
                a.modified.clone(),
            )
        };
        let want: Vec<_> = set.annotations().iter().map(key).collect();
        let got: Vec<_> = doc.set.annotations().iter().map(key).collect();
        assert_eq!(got, want);
        let mut m = set.metadata.clone();
        if m.title.is_none() {
            m.title = Some("multi".into());
        }
        assert_eq!(doc.set.metadata, m);
        assert_eq!(doc.set.source.sha256, text.sha256());
    }
}

#[test]
fn an_imported_corpus_opens_with_every_annotation_exact() {
    let study = study();
    let bytes = qdpx::to_qdpx(&project(), &docs(&study), &Filter::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("imported");
    qdpx_import::write_corpus(&import(&bytes), &out).unwrap();
    let corpus = marginalia::core::corpus::Corpus::open(&out).unwrap();
    assert_eq!(corpus.file.name, "Truce study");
    assert_eq!(corpus.docs.len(), 2);
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let names: Vec<&str> = corpus
        .file
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["date", "outlet"]);
    for d in &corpus.docs {
        let (s, warnings) = marginalia::core::session::Session::open(
            &d.path,
            &marginalia::core::session::OpenOptions::default(),
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(s.set.orphans.is_empty());
        for a in s.set.annotations() {
            assert_eq!(a.quote, s.text.slice(a.start, a.end));
        }
    }
    // No temporary folder is left beside it; a second import is refused.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
    let err = qdpx_import::write_corpus(&import(&bytes), &out).unwrap_err();
    assert!(err.contains("already exists"), "{err}");
}

const FIELD_TEXT: &str = "Ana said:\r\nJobs are back in town.\r\nThe mayor agreed.\r\n";

/// A project as other tools write them: no Issues/Actors roots, a
/// `Sources` folder, inline text, a rich text beside the plain one, a memo
/// with no coding, notes, variables of other types, two sources with one
/// name, one code name twice, and what a corpus cannot hold.
fn field_project() -> Vec<u8> {
    let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Field study" origin="Other tool 2022">
  <Users><User guid="U1" name="Ana"/><User guid="U2" name="Ben"/></Users>
  <CodeBook><Codes>
    <Code guid="C1" name="Economy" isCodable="true" color="#ff0000">
      <Description>Money matters</Description>
      <NoteRef targetGUID="N2"/>
      <Code guid="C2" name="Jobs" isCodable="true" color="#0F0"/>
      <Code guid="C5" name="Positive" isCodable="true"/>
    </Code>
    <Code guid="C3" name="People" isCodable="false">
      <Code guid="C4" name="Mayor" isCodable="true" color="#0000ff"/>
    </Code>
    <Code guid="C6" name="Health" isCodable="true"><Code guid="C7" name="Positive" isCodable="true"/></Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="V1" name="Region" typeOfVariable="Text"/>
    <Variable guid="V2" name="Year" typeOfVariable="Integer"/>
  </Variables>
  <Cases><Case guid="K1" name="case"/></Cases>
  <Sources>
    <TextSource guid="S1" name="Interview 1" richTextPath="internal://S1.docx" plainTextPath="internal://S1.txt">
      <Description>First talk</Description>
      <PlainTextSelection guid="P1" name="Jobs are back" startPosition="11" endPosition="24" creatingUser="U1" creationDateTime="2021-03-04T10:00:00Z">
        <Coding guid="G1" creatingUser="U1"><CodeRef targetGUID="C2"/></Coding>
        <Coding guid="G2" creatingUser="U1"><CodeRef targetGUID="C4"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="P2" name="The mayor agreed." startPosition="35" endPosition="52" creatingUser="U2">
        <Description>Only a memo</Description>
        <NoteRef targetGUID="N1"/>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="V1"/><TextValue>North</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="V2"/><IntegerValue>2021</IntegerValue></VariableValue>
    </TextSource>
    <TextSource guid="S2" name="Interview 1">
      <PlainTextContent>Line one&#13;&#10;Line 😀 two &amp; more</PlainTextContent>
      <PlainTextSelection guid="P3" startPosition="15" endPosition="16"><Coding guid="G3"><CodeRef targetGUID="C7"/></Coding></PlainTextSelection>
    </TextSource>
    <PictureSource guid="I1" name="Photo" path="internal://I1.png">
      <PictureSelection guid="Q1" firstX="0" firstY="0" secondX="5" secondY="5"/>
    </PictureSource>
    <PDFSource guid="D1" name="Report" path="internal://D1.pdf"/>
  </Sources>
  <Notes>
    <Note guid="N1" name="memo"><PlainTextContent>A longer memo</PlainTextContent></Note>
    <Note guid="N2" name="code memo" plainTextPath="internal://N2.txt"/>
    <Note guid="N3" name="loose memo"><PlainTextContent>Nobody points here</PlainTextContent></Note>
  </Notes>
  <Links><Link guid="L1" originGUID="P1" targetGUID="P2"/></Links>
  <Sets><Set guid="T1" name="A set"/></Sets>
  <Graphs><Graph guid="H1"/></Graphs>
</Project>
"##;
    zip_of(&[
        ("project.qde", xml.as_bytes()),
        ("Sources/S1.txt", FIELD_TEXT.as_bytes()),
        ("Sources/S1.docx", b"PK not read"),
        ("Sources/N2.txt", "Noted by Ana".as_bytes()),
        ("Sources/I1.png", b"\x89PNG"),
    ])
}

#[test]
fn a_project_from_another_tool_imports_with_its_variations() {
    let imp = import(&field_project());
    assert_eq!(imp.name, "Field study");
    assert_eq!(imp.docs.len(), 2);
    let (a, b) = (&imp.docs[0], &imp.docs[1]);
    assert_eq!(
        (a.file.as_str(), b.file.as_str()),
        ("Interview 1.txt", "Interview 1 (2).txt")
    );
    assert_eq!(a.set.metadata.title.as_deref(), Some("Interview 1"));
    assert_eq!(b.set.metadata.title.as_deref(), Some("Interview 1"));
    // CRLF counted as given: two code points.
    assert_eq!(a.text.as_str(), FIELD_TEXT);
    let anns = a.set.annotations();
    assert_eq!(anns.len(), 2);
    assert_eq!(anns[0].quote, "Jobs are back");
    assert_eq!(anns[0].prefix, "Ana said:\r\n");
    assert_eq!(anns[0].issues, ["Jobs", "Mayor"]);
    assert_eq!(anns[0].coder.as_deref(), Some("Ana"));
    assert_eq!(anns[0].created, "2021-03-04T10:00:00Z");
    assert_eq!(anns[1].quote, "The mayor agreed.");
    assert!(anns[1].issues.is_empty() && anns[1].actors.is_empty());
    assert_eq!(
        anns[1].note.as_deref(),
        Some("Only a memo\n\nA longer memo")
    );
    assert_eq!(anns[1].coder.as_deref(), Some("Ben"));
    assert_eq!(a.set.metadata.notes.as_deref(), Some("First talk"));
    assert_eq!(a.set.metadata.attributes["Region"], "North");
    assert_eq!(a.set.metadata.attributes["Year"], "2021");
    // Inline text with a character reference CRLF and an emoji.
    assert_eq!(b.text.as_str(), "Line one\r\nLine 😀 two & more");
    assert_eq!(b.set.annotations()[0].quote, "😀");
    assert_eq!(b.set.annotations()[0].issues, ["Health/Positive"]);
    // The code hierarchy, colours (#0F0 is #00ff00), descriptions, notes.
    let cb = &imp.codebook;
    let economy = cb.get(TagKind::Issue, "Economy").unwrap();
    assert_eq!(
        economy.description.as_deref(),
        Some("Money matters\n\nNoted by Ana")
    );
    assert_eq!(economy.color.to_hex(), "#ff0000");
    let jobs = cb.get(TagKind::Issue, "Jobs").unwrap();
    assert_eq!(
        (jobs.parent.as_deref(), jobs.color.to_hex().as_str()),
        (Some("Economy"), "#00ff00")
    );
    assert_eq!(
        cb.get(TagKind::Issue, "Positive")
            .unwrap()
            .parent
            .as_deref(),
        Some("Economy")
    );
    assert_eq!(
        cb.get(TagKind::Issue, "Health/Positive")
            .unwrap()
            .parent
            .as_deref(),
        Some("Health")
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("“Positive”") && n.contains("Health/Positive")),
        "{:?}",
        imp.notes
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("Interview 1 (2).txt")),
        "{:?}",
        imp.notes
    );
    assert!(cb.of_kind(TagKind::Actor).next().is_none());
    // The data-loss report.
    for lost in [
        "picture source “Photo”",
        "PDF source “Report”",
        "rich text",
        "1 cases",
        "1 notes attached to no source",
        "1 links",
        "1 sets",
        "1 graphs",
    ] {
        assert!(
            imp.losses.iter().any(|l| l.contains(lost)),
            "{lost}: {:?}",
            imp.losses
        );
    }
}

#[test]
fn codes_named_as_actors_become_actors_with_what_is_beneath() {
    let opts = ImportOptions {
        actors: vec!["people".into()],
        ..ImportOptions::default()
    };
    let imp = qdpx_import::read_qdpx(&field_project(), &opts).unwrap();
    let mayor = imp.codebook.get(TagKind::Actor, "Mayor").unwrap();
    assert_eq!(mayor.parent.as_deref(), Some("People"));
    assert!(imp.codebook.get(TagKind::Actor, "People").is_some());
    assert_eq!(imp.docs[0].set.annotations()[0].issues, ["Jobs"]);
    assert_eq!(imp.docs[0].set.annotations()[0].actors, ["Mayor"]);
}

#[test]
fn the_code_tree_is_listed_and_a_code_chosen_by_guid_is_an_actor() {
    let imp = qdpx_import::read_qdpx(&field_project(), &ImportOptions::default()).unwrap();
    type Row<'a> = (usize, &'a str, Option<(TagKind, &'a str)>);
    let tree: Vec<Row> = imp
        .codes
        .iter()
        .map(|c| {
            (
                c.depth,
                c.name.as_str(),
                c.tag.as_ref().map(|(k, n)| (*k, n.as_str())),
            )
        })
        .collect();
    assert_eq!(
        tree,
        [
            (0, "Economy", Some((TagKind::Issue, "Economy"))),
            (1, "Jobs", Some((TagKind::Issue, "Jobs"))),
            (1, "Positive", Some((TagKind::Issue, "Positive"))),
            (0, "People", Some((TagKind::Issue, "People"))),
            (1, "Mayor", Some((TagKind::Issue, "Mayor"))),
            (0, "Health", Some((TagKind::Issue, "Health"))),
            (1, "Positive", Some((TagKind::Issue, "Health/Positive"))),
        ]
    );
    assert_eq!(imp.codes[3].guid, "C3");
    // The second "Positive" only, by its GUID: the first stays an issue
    // (by name both would be actors).
    let opts = ImportOptions {
        actor_codes: ["C7".to_owned(), "C3".to_owned()].into(),
        ..ImportOptions::default()
    };
    let imp = qdpx_import::read_qdpx(&field_project(), &opts).unwrap();
    let cb = &imp.codebook;
    assert!(cb.get(TagKind::Actor, "Positive").is_some());
    assert!(cb.get(TagKind::Issue, "Positive").is_some());
    assert_eq!(
        cb.get(TagKind::Actor, "Mayor").unwrap().parent.as_deref(),
        Some("People")
    );
    assert_eq!(imp.docs[0].set.annotations()[0].actors, ["Mayor"]);
    // Our own roots are listed without a tag, their codes beneath them.
    let study = study();
    let own = qdpx::to_qdpx(&project(), &docs(&study), &Filter::default()).unwrap();
    let ours = qdpx_import::read_qdpx(&own, &ImportOptions::default()).unwrap();
    let roots: Vec<&str> = ours
        .codes
        .iter()
        .filter(|c| c.depth == 0)
        .map(|c| c.name.as_str())
        .collect();
    assert!(
        roots.contains(&"Issues") && roots.contains(&"Actors"),
        "{roots:?}"
    );
    assert!(
        ours.codes
            .iter()
            .filter(|c| c.depth == 0)
            .all(|c| c.tag.is_none())
    );
    let stance = ["Support", "Oppose", "Neutral"];
    for c in ours.codes.iter().filter(|c| c.depth == 1) {
        assert!(
            c.tag.is_some() || stance.contains(&c.name.as_str()),
            "{c:?}"
        );
    }
    assert!(
        ours.codes
            .iter()
            .any(|c| c.depth == 1 && c.name == "Support")
    );
}

/// A project from `origin` whose text has emoji (beyond U+FFFF) before
/// and between its selections, positioned as NVivo writes them (UTF-16
/// code units): "Nem tehetik!" at 9–21 and a span inside both emoji, 4–6.
fn emoji_project(origin: &str) -> Vec<u8> {
    let xml = format!(
        r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">
  <Description/>
  <Sources><TextSource guid="S" name="Comments"><PlainTextContent>Ok 😡😡&#13;
Nem tehetik! Ok.</PlainTextContent>
    <PlainTextSelection guid="P1" startPosition="9" endPosition="21"/>
    <PlainTextSelection guid="P2" startPosition="4" endPosition="6"/>
  </TextSource></Sources>
</Project>"#
    );
    project_with(&xml, &[])
}

#[test]
fn nvivo_positions_count_utf16_code_units_and_are_converted() {
    let quotes = |imp: &Imported| -> Vec<String> {
        imp.docs[0]
            .set
            .annotations()
            .iter()
            .map(|a| a.quote.clone())
            .collect()
    };
    let imp = import(&emoji_project("NVivo for Windows 12.6"));
    // Sorted by position: the span inside the emoji widens to both.
    assert_eq!(quotes(&imp), ["😡😡", "Nem tehetik!"]);
    let a = &imp.docs[0].set.annotations()[1];
    assert_eq!((a.start, a.end), (7, 19), "code points");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("UTF-16") && n.contains("NVivo for Windows 12.6")),
        "{:?}",
        imp.notes
    );
    // NVivo's empty project description is nothing lost.
    assert!(imp.losses.is_empty(), "{:?}", imp.losses);
    // The same numbers from a tool that counts code points mean other text.
    let imp = import(&emoji_project("MAXQDA 24 (Release 24.7.0)"));
    assert_eq!(quotes(&imp), ["😡\r", "m tehetik! O"]);
    assert!(imp.notes.is_empty(), "{:?}", imp.notes);
    // Asked for, the unit wins over the origin.
    let opts = ImportOptions {
        positions: Some(qdpx_import::Positions::Utf16),
        ..ImportOptions::default()
    };
    let imp = qdpx_import::read_qdpx(&emoji_project("MAXQDA 24"), &opts).unwrap();
    assert_eq!(quotes(&imp), ["😡😡", "Nem tehetik!"]);
    // The whole text in UTF-16 units (25) ends the last character (23
    // code points); one more is beyond it, said in the unit of the file.
    let whole = |end: usize| {
        project_with(
            &format!(
                r#"<Project name="p" origin="NVivo 12"><Sources><TextSource guid="S" name="C"><PlainTextContent>Ok 😡😡&#13;
Nem tehetik! Ok.</PlainTextContent><PlainTextSelection guid="P" name="all" startPosition="0" endPosition="{end}"/></TextSource></Sources></Project>"#
            ),
            &[],
        )
    };
    let imp = import(&whole(25));
    let a = &imp.docs[0].set.annotations()[0];
    assert_eq!((a.start, a.end), (0, 23));
    let e = import_err(&whole(26));
    assert!(
        e.contains("0–26 is beyond its text (25 UTF-16 code units)"),
        "{e}"
    );
}

#[test]
fn source_names_become_readable_file_names() {
    // Decomposed accents (ATLAS.ti for Mac) are kept, a document extension
    // is not doubled, an unnamed source is called after its text file
    // unless that is a GUID.
    let xml = r#"<Project name="p"><Sources>
<TextSource guid="A" name="Mabe&#x0302;l 2ie&#x0300;me.txt"><PlainTextContent>a</PlainTextContent></TextSource>
<TextSource guid="B" name="Interview.docx"><PlainTextContent>b</PlainTextContent></TextSource>
<TextSource guid="C" plainTextPath="internal://board_2017.txt"/>
<TextSource guid="D" plainTextPath="internal://01106019-2B1C-4A4B-9C8D-0123456789AB.txt"/>
</Sources></Project>"#;
    let imp = import(&project_with(
        xml,
        &[
            ("sources/board_2017.txt", b"c"),
            ("sources/01106019-2B1C-4A4B-9C8D-0123456789AB.txt", b"d"),
        ],
    ));
    let files: Vec<&str> = imp.docs.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "Mabe\u{302}l 2ie\u{300}me.txt",
            "Interview.txt",
            "board_2017.txt",
            "Untitled.txt"
        ]
    );
}

#[test]
fn an_export_for_nvivo_counts_utf16_units_and_reads_back_the_same() {
    // "😡" (U+1F621) is one code point and two UTF-16 units.
    let text = Text::new("Ok 😡😡 then 𠀋 talks resumed.\n".into());
    let mut set = AnnotationSet::new(SourceRef {
        path: "c.txt".into(),
        sha256: text.sha256().into(),
        length: text.len_chars(),
        ..Default::default()
    });
    let s = text.as_str();
    let start = s[..s.find("talks").unwrap()].chars().count();
    let mut a = Annotation::new("a1".into(), &text, start, start + 5, "t");
    a.issues = vec!["Talks".into()];
    let mut b = Annotation::new("a2".into(), &text, 3, 5, "t");
    b.issues = vec!["Anger".into()];
    set.set_annotations(vec![b, a]);
    let docs = [ExportDoc {
        name: "c.txt",
        text: &text,
        set: &set,
    }];
    let nvivo = qdpx::Project {
        name: "p".into(),
        positions: qdpx::Positions::Utf16,
        ..Default::default()
    };
    let xml = qdpx::to_qde(&nvivo, &docs, &Filter::default());
    // By hand: "talks" starts at code point 13, after three characters
    // beyond U+FFFF: UTF-16 unit 16. The emoji pair 3–5 is 3–7.
    assert_eq!(start, 13);
    assert!(
        xml.contains("name=\"talks\" startPosition=\"16\" endPosition=\"21\""),
        "{xml}"
    );
    assert!(
        xml.contains("startPosition=\"3\" endPosition=\"7\""),
        "{xml}"
    );
    // Read back as UTF-16, every annotation is where it was.
    let bytes = qdpx::to_qdpx(&nvivo, &docs, &Filter::default()).unwrap();
    let opts = ImportOptions {
        positions: Some(qdpx_import::Positions::Utf16),
        ..ImportOptions::default()
    };
    let imp = qdpx_import::read_qdpx(&bytes, &opts).unwrap();
    let spans: Vec<(usize, usize, &str)> = imp.docs[0]
        .set
        .annotations()
        .iter()
        .map(|a| (a.start, a.end, a.quote.as_str()))
        .collect();
    assert_eq!(spans, [(3, 5, "😡😡"), (13, 18, "talks")]);
    // The standard's code points, by default.
    let xml = qdpx::to_qde(&project(), &docs, &Filter::default());
    assert!(
        xml.contains("startPosition=\"13\" endPosition=\"18\""),
        "{xml}"
    );
}

#[test]
fn the_coder_is_who_applied_the_codes_one_annotation_per_user() {
    // As NVivo writes a team's project: the selection by one user, its
    // codings by others (or by nobody named).
    let xml = r#"<Project name="p"><Users><User guid="U1" name="Gergo"/><User guid="U2" name="Flo"/></Users>
<CodeBook><Codes><Code guid="C1" name="Trust" isCodable="true"/><Code guid="C2" name="Fear" isCodable="true"/><Code guid="C3" name="Doubt" isCodable="true"/></Codes></CodeBook>
<Notes><Note guid="N1" name="memo"><PlainTextContent>Flo's memo</PlainTextContent></Note></Notes>
<Sources><TextSource guid="S" name="T"><PlainTextContent>Nobody trusts it.</PlainTextContent>
<PlainTextSelection guid="P" startPosition="0" endPosition="6" creatingUser="U1"><Description>said twice</Description>
<Coding guid="G1" creatingUser="U2"><CodeRef targetGUID="C1"/><NoteRef targetGUID="N1"/></Coding>
<Coding guid="G2" creatingUser="U1"><CodeRef targetGUID="C2"/></Coding>
<Coding guid="G3"><CodeRef targetGUID="C3"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="Q" startPosition="7" endPosition="13" creatingUser="U1"><Coding guid="G4" creatingUser="U2"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"#;
    let imp = import(&project_with(xml, &[]));
    type Row<'a> = (usize, Option<&'a str>, Vec<&'a str>, Option<&'a str>);
    let got: Vec<Row> = imp.docs[0]
        .set
        .annotations()
        .iter()
        .map(|a| {
            (
                a.start,
                a.coder.as_deref(),
                a.issues.iter().map(String::as_str).collect(),
                a.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, Some("Gergo"), vec!["Doubt", "Fear"], Some("said twice")),
            (0, Some("Flo"), vec!["Trust"], Some("Flo's memo")),
            (7, Some("Flo"), vec!["Trust"], None),
        ]
    );
    assert_eq!(imp.selections, 2, "two selections, three annotations");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.starts_with("1 selections were coded by more than one user")),
        "{:?}",
        imp.notes
    );
}

fn project_with(xml: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut entries: Vec<(&str, &[u8])> = vec![("project.qde", xml.as_bytes())];
    entries.extend_from_slice(files);
    zip_of(&entries)
}

#[test]
fn bad_projects_get_a_message_naming_what_is_wrong() {
    assert!(import_err(b"plain text, no zip").contains("not a zip"));
    assert!(import_err(&zip_of(&[("readme.txt", b"hi")])).contains("no project.qde"));
    let unclosed = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"Talk\"><PlainTextContent>x</PlainTextContent>";
    let e = import_err(&project_with(unclosed, &[]));
    assert!(
        e.contains("<TextSource “Talk”>") && e.contains("project.qde"),
        "{e}"
    );
    let mismatched = "<Project name=\"p\"><Sources><TextSource name=\"Talk\"></Sources></Project>";
    let e = import_err(&project_with(mismatched, &[]));
    assert!(e.contains("<TextSource “Talk”>"), "{e}");
    let missing = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"Talk\" plainTextPath=\"internal://S.txt\"/></Sources></Project>";
    let e = import_err(&project_with(missing, &[]));
    assert!(
        e.contains("<TextSource “Talk”>") && e.contains("internal://S.txt is not in the .qdpx"),
        "{e}"
    );
    let beyond = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"Talk\"><PlainTextContent>short</PlainTextContent><PlainTextSelection guid=\"P\" name=\"sel\" startPosition=\"2\" endPosition=\"9\"/></TextSource></Sources></Project>";
    let e = import_err(&project_with(beyond, &[]));
    assert!(
        e.contains("<PlainTextSelection “sel”>") && e.contains("beyond its text (5 characters)"),
        "{e}"
    );
    let not_utf8 = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"Talk\" plainTextPath=\"internal://S.txt\"/></Sources></Project>";
    let e = import_err(&project_with(
        not_utf8,
        &[("sources/S.txt", b"\xff\xfe\x00bad")],
    ));
    assert!(e.contains("not UTF-8"), "{e}");
    assert!(import_err(&project_with("<CodeBook/>", &[])).contains("not <Project>"));
    // Paths as some tools write them: the folder inside the path, no scheme.
    for path in ["internal://Sources/S.txt", "S.txt", "sources/S.txt"] {
        let xml = format!(
            "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"Talk\" plainTextPath=\"{path}\"/></Sources></Project>"
        );
        let imp = import(&project_with(&xml, &[("Sources/S.txt", b"found")]));
        assert_eq!(imp.docs[0].text.as_str(), "found", "{path}");
    }
    // Times as XML Schema writes them become RFC 3339; a source named
    // like an extracted-text companion still lists.
    let timed = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"notes.text\"><PlainTextContent>abc</PlainTextContent><PlainTextSelection guid=\"P\" startPosition=\"0\" endPosition=\"1\" creationDateTime=\"2021-03-04T10:00:00\" modifiedDateTime=\"2021-03-05T10:00:00.5+01:00\"/><PlainTextSelection guid=\"Q\" startPosition=\"1\" endPosition=\"2\" creationDateTime=\"yesterday\"/></TextSource></Sources></Project>";
    let imp = import(&project_with(timed, &[]));
    assert_eq!(imp.docs[0].file, "notes.text_.txt");
    let a = &imp.docs[0].set.annotations();
    assert_eq!(
        (a[0].created.as_str(), a[0].modified.as_str()),
        ("2021-03-04T10:00:00Z", "2021-03-05T10:00:00.5+01:00")
    );
    assert!(
        time::OffsetDateTime::parse(
            &a[1].created,
            &time::format_description::well_known::Rfc3339
        )
        .is_ok(),
        "{}",
        a[1].created
    );
    let external = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"Talk\" plainTextPath=\"absolute:///home/x/S.txt\"/></Sources></Project>";
    let imp = import(&project_with(external, &[]));
    assert!(imp.docs.is_empty());
    assert!(
        imp.losses[0].contains("“Talk” is outside the project (absolute:///home/x/S.txt)"),
        "{:?}",
        imp.losses
    );
}

#[test]
fn entries_outside_the_folder_are_refused() {
    for name in [
        "../evil.txt",
        "sources/../../evil.txt",
        "/etc/evil",
        "C:\\evil.txt",
        "..\\evil.txt",
    ] {
        let bytes = project_with("<Project name=\"p\"/>", &[(name, b"x")]);
        let e = import_err(&bytes);
        assert!(e.contains("would land outside"), "{name}: {e}");
    }
    let path = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"T\" plainTextPath=\"internal://../x.txt\"/></Sources></Project>";
    assert!(import_err(&project_with(path, &[])).contains("would land outside"));
    assert!(qdpx_import::is_safe_entry_name("sources/a b.txt"));
}

#[test]
fn parts_are_read_with_a_size_cap() {
    let big = "x".repeat(5_000);
    let xml = "<Project name=\"p\"><Sources><TextSource guid=\"S\" name=\"T\" plainTextPath=\"internal://S.txt\"/></Sources></Project>";
    let bytes = project_with(xml, &[("sources/S.txt", big.as_bytes())]);
    let opts = ImportOptions {
        max_part_bytes: 1_000,
        ..ImportOptions::default()
    };
    let e = qdpx_import::read_qdpx(&bytes, &opts)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("sources/S.txt: larger than 1000 bytes unpacked"),
        "{e}"
    );
    let opts = ImportOptions {
        max_total_bytes: 4_000,
        ..ImportOptions::default()
    };
    let e = qdpx_import::read_qdpx(&bytes, &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unpacks to more than 4000 bytes"), "{e}");
    assert!(qdpx_import::read_qdpx(&bytes, &ImportOptions::default()).is_ok());
}

#[test]
fn no_xml_entity_is_expanded() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<Project name="p"><Sources><TextSource guid="S" name="T"><PlainTextContent>&c;</PlainTextContent></TextSource></Sources></Project>"#;
    let e = import_err(&project_with(laughs, &[]));
    assert!(
        e.contains("&c;") && e.contains("not expanded") && e.contains("<PlainTextContent>"),
        "{e}"
    );
    let in_attr = r#"<!DOCTYPE Project [<!ENTITY n "boom">]><Project name="&n;"/>"#;
    let e = import_err(&project_with(in_attr, &[]));
    assert!(e.contains("entities are not expanded"), "{e}");
    // A DTD alone is ignored.
    let dtd = r#"<!DOCTYPE Project [<!ENTITY n "boom">]><Project name="ok &amp; fine"/>"#;
    assert_eq!(import(&project_with(dtd, &[])).name, "ok & fine");
}

#[test]
fn the_cli_imports_a_project_and_reports_what_it_could_not_carry() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("field.qdpx");
    std::fs::write(&file, field_project()).unwrap();
    let out = d.path().join("corpus");
    let o = bin()
        .arg("import-qdpx")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--actors", "People"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout.contains("wrote 2 documents, 3 annotations"),
        "{stdout}"
    );
    let report = &stdout[stdout.find("data loss:").unwrap()..];
    assert!(report.contains("- picture source “Photo”"), "{stdout}");
    assert!(out.join("corpus.ron").is_file());
    assert!(out.join("Interview 1.annotations.ron").is_file());
    // A bad file: exit 1, a message, nothing written.
    let bad = d.path().join("bad.qdpx");
    std::fs::write(&bad, b"not a zip").unwrap();
    let out2 = d.path().join("corpus2");
    let o = bin()
        .arg("import-qdpx")
        .arg(&bad)
        .arg("--out")
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a zip"));
    assert!(!out2.exists());
}
