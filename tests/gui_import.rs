//! Headless UI tests (egui_kittest) of importing articles in the window:
//! HTML, Markdown, DOCX and PDF fixtures opened through File › Open
//! (scripted dialog) and drag-and-drop, annotated, saved and reopened; and
//! a new article from pasted text (Ctrl+Shift+V → paste → Create → Ctrl+S).
#![cfg(feature = "gui")]

mod common;

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::app::MarginaliaApp;
use marginalia::app::dialogs::{DialogResult, ScriptedDialogs, open_extensions};
use marginalia::app::model::*;
use marginalia::core::codebook::TagKind;
use marginalia::core::session::{OpenOptions, Session};
use std::path::{Path, PathBuf};

// The HTML fixture quotes Urdu with U+06D4 (Arabic full stop), which the
// bundled Arabic subset lacks today: draw a box, as the window does.
fn harness(app: MarginaliaApp) -> Harness<'static, MarginaliaApp> {
    common::harness_with_fonts(app, true)
}

fn fixture(dir: &Path, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    let dst = dir.join(name);
    std::fs::copy(src, &dst).expect("copy fixture");
    dst
}

/// The first word of at least five letters, as a code-point range.
fn first_long_word(text: &str) -> (usize, usize, String) {
    let mut start = None;
    for (i, c) in text.chars().enumerate() {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) if i - s >= 5 => {
                let w: String = text.chars().skip(s).take(i - s).collect();
                return (s, i, w);
            }
            (false, Some(_)) => start = None,
            _ => {}
        }
    }
    panic!("no long word in {text:?}");
}

#[test]
fn open_filter_lists_every_supported_type_and_sets() {
    let exts = open_extensions();
    for e in ["txt", "html", "htm", "md", "docx", "pdf", "ron"] {
        assert!(exts.contains(&e), "{e} missing from {exts:?}");
    }
}

#[test]
fn html_md_docx_pdf_open_annotate_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let start = dir.path().join("start.txt");
    std::fs::write(&start, "A plain start article.\n").unwrap();
    let (session, _) = Session::open(&start, &OpenOptions::default()).unwrap();
    let mut app = MarginaliaApp::new_with_session(session);
    app.set_recovery_dir(&dir.path().join("fb"));
    let mut h = harness(app);
    for (i, name) in [
        "article.html",
        "article.md",
        "article.docx",
        "two-pages.pdf",
    ]
    .into_iter()
    .enumerate()
    {
        // One folder per fixture: `article.html` and `article.md` share
        // the stem, so their sets would both be `article.annotations.ron`.
        let sub = dir.path().join(format!("f{i}"));
        std::fs::create_dir(&sub).unwrap();
        let path = fixture(&sub, name);
        if i % 2 == 0 {
            // File › Open article… (Ctrl+O) through the dialog.
            h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
                open: vec![DialogResult::Picked(path.clone())],
                ..Default::default()
            }));
            h.key_press_modifiers(Modifiers::COMMAND, Key::O);
        } else {
            // Drag and drop onto the window.
            h.input_mut()
                .dropped_files
                .push(std::sync::Arc::new(common::Dropped(path.clone())));
        }
        h.run_steps(8);
        let s = h.state().session().expect("session");
        assert_eq!(s.display_name(), name, "{}", h.state().status.text);
        let text = s.text.as_str().to_owned();
        assert!(!text.contains('<'), "{name}: no markup left");
        let (a, b, word) = first_long_word(&text);
        h.state_mut()
            .push(SelectionIntent::Set { anchor: a, head: b });
        h.state_mut().push(DocIntent::ApplyTag {
            kind: TagKind::Issue,
            name: format!("from {name}"),
            create: true,
        });
        h.run_steps(8);
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        h.run_steps(8);
        assert!(
            !h.state().title().contains('*'),
            "{}",
            h.state().status.text
        );
        let stem = name.split('.').next().unwrap();
        let set = sub.join(format!("{stem}.annotations.ron"));
        assert!(set.is_file(), "{name}: set saved beside it");

        // Reopened in a fresh app: the annotation is on the same word.
        let (again, _) = Session::open(&path, &OpenOptions::default()).unwrap();
        let mut h2 = harness(MarginaliaApp::new_with_session(again));
        h2.run_steps(8);
        let s2 = h2.state().session().unwrap();
        assert_eq!(s2.set.annotations().len(), 1, "{name}");
        let ann = &s2.set.annotations()[0];
        assert_eq!(s2.text.slice(ann.start, ann.end), word);
        assert_eq!(ann.issues, [format!("from {name}")]);
    }
}

#[test]
fn dropped_unsupported_file_gets_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let start = dir.path().join("start.txt");
    std::fs::write(&start, "A plain start article.\n").unwrap();
    let (session, _) = Session::open(&start, &OpenOptions::default()).unwrap();
    let mut h = harness(MarginaliaApp::new_with_session(session));
    let odt = dir.path().join("notes.odt");
    std::fs::write(&odt, "PK\x03\x04").unwrap();
    h.state_mut().push(FileIntent::Open(odt));
    h.run_steps(8);
    assert!(h.query_by_label("Cannot open this file").is_some());
    assert!(
        h.query_by_label_contains("unsupported file type \".odt\"")
            .is_some()
    );
    assert_eq!(h.state().session().unwrap().display_name(), "start.txt");
}

#[test]
fn new_from_clipboard_pastes_creates_and_saves_in_saves() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    let mut app = MarginaliaApp::empty();
    app.settings_mut().saves_dir = saves.clone();
    app.set_recovery_dir(&dir.path().join("fb"));
    let mut h = harness(app);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::V);
    h.run_steps(8);
    assert!(h.query_by_label("New article from pasted text").is_some());
    // The text field has focus: Ctrl+V delivers a Paste event to it.
    let pasted = "Pasted article about the ISI.\r\nSecond line — اردو.";
    h.event(Event::Paste(pasted.to_owned()));
    h.run_steps(8);
    assert_eq!(h.state().paste_dialog().unwrap().text, pasted);
    h.get_by_label("Create").click();
    h.run_steps(8);
    let s = h.state().session().expect("a session from the pasted text");
    assert_eq!(s.text.as_str(), pasted);
    assert!(s.display_name().starts_with("pasted-"));
    assert!(h.state().title().contains('*'), "unsaved until Ctrl+S");
    assert_eq!(std::fs::read_dir(&saves).unwrap().count(), 0);
    let text = s.text.as_str().to_owned();
    let byte = text.find("ISI").unwrap();
    let a = text[..byte].chars().count();
    h.state_mut().push(SelectionIntent::Set {
        anchor: a,
        head: a + 3,
    });
    h.state_mut().push(DocIntent::ApplyTag {
        kind: TagKind::Actor,
        name: "ISI".into(),
        create: true,
    });
    h.run_steps(8);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(8);
    assert!(
        !h.state().title().contains('*'),
        "{}",
        h.state().status.text
    );
    let s = h.state().session().unwrap();
    let article = s.article_path.clone().unwrap();
    assert_eq!(article.parent(), Some(saves.as_path()));
    assert_eq!(std::fs::read_to_string(&article).unwrap(), pasted);
    let (again, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    assert_eq!(again.set.annotations().len(), 1);
    assert_eq!(again.set.annotations()[0].actors, ["ISI"]);
}

/// A small REFI-QDA project as another tool writes it: two text sources
/// (one inline), a coded selection, and a picture source a corpus cannot
/// hold.
fn small_qdpx(path: &Path) {
    use std::io::Write;
    let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Field study">
  <Users><User guid="U1" name="Ana"/></Users>
  <CodeBook><Codes>
    <Code guid="C1" name="Economy" isCodable="true" color="#ff0000"><Code guid="C2" name="Jobs" isCodable="true"/></Code>
    <Code guid="C3" name="People" isCodable="false"><Code guid="C4" name="Mayor" isCodable="true"/></Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="S1" name="Interview 1" plainTextPath="internal://S1.txt">
      <PlainTextSelection guid="P1" startPosition="0" endPosition="4" creatingUser="U1">
        <Coding guid="G1"><CodeRef targetGUID="C2"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="S2" name="Interview 2"><PlainTextContent>Second talk.</PlainTextContent>
      <PlainTextSelection guid="P2" startPosition="0" endPosition="6" creatingUser="U1">
        <Coding guid="G2"><CodeRef targetGUID="C4"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="I1" name="Photo" path="internal://I1.png"/>
  </Sources>
</Project>
"##;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.start_file("Sources/S1.txt", opts).unwrap();
    zip.write_all(b"Jobs are back.\r\n").unwrap();
    zip.finish().unwrap();
}

#[test]
fn file_import_project_makes_a_corpus_beside_the_file_and_lists_the_losses() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("field.qdpx");
    small_qdpx(&file);
    std::fs::create_dir(dir.path().join("field")).unwrap();
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
        open: vec![DialogResult::Picked(file.clone())],
        ..Default::default()
    }));
    // From the File menu's action, as the menu and the palette run it.
    assert_eq!(Action::ImportProject.label(), "Import project…");
    h.state_mut().push(Action::ImportProject.intent());
    h.run_steps(4);
    // The dialog shows what the project holds; nothing is written yet.
    assert!(matches!(h.state().modal(), Some(Modal::ImportProject(_))));
    h.get_by_label("Import project “Field study”");
    h.get_by_label_contains("2 text sources, 2 selections, 4 codes");
    h.get_by_label_contains("picture source “Photo”");
    // "field/" exists already: the corpus goes to "field (2)/".
    let out = dir.path().join("field (2)");
    let folder = h.get_by_label("New corpus folder:");
    assert_eq!(folder.value().as_deref(), out.to_str());
    assert!(!out.exists());
    // People is ticked as actors: Mayor beneath it follows, and cannot be
    // unticked alone.
    let mayor = h.get_by_label("Mayor");
    assert_eq!(
        mayor.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False)
    );
    h.get_by_label("People").click();
    h.run_steps(2);
    let mayor = h.get_by_label("Mayor");
    assert_eq!(
        mayor.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    assert!(mayor.accesskit_node().is_disabled());
    assert_eq!(
        h.get_by_label("Jobs").accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False)
    );
    // A folder that exists is refused in the dialog, which stays open.
    let retype = |h: &mut Harness<'_, MarginaliaApp>, path: &Path| {
        h.get_by_label("New corpus folder:").focus();
        h.run_steps(1);
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.get_by_label("New corpus folder:")
            .type_text(path.to_str().unwrap());
        h.run_steps(2);
    };
    retype(&mut h, &dir.path().join("field"));
    h.get_by_label("Import").click();
    h.run_steps(2);
    h.get_by_label_contains("field exists: give a new folder");
    assert!(!out.exists());
    retype(&mut h, &out);
    h.get_by_label("Import").click();
    h.run_steps(4);
    assert!(out.join("corpus.ron").is_file());
    let c = h.state().corpus().expect("opened as the corpus");
    assert_eq!(c.corpus.docs.len(), 2);
    assert_eq!(c.corpus.file.name, "Field study");
    let set = marginalia::core::store::load(&out.join("Interview 1.annotations.ron")).unwrap();
    assert_eq!(set.annotations()[0].quote, "Jobs");
    assert_eq!(set.annotations()[0].issues, ["Jobs"]);
    assert_eq!(set.annotations()[0].coder.as_deref(), Some("Ana"));
    let set = marginalia::core::store::load(&out.join("Interview 2.annotations.ron")).unwrap();
    assert_eq!(set.annotations()[0].quote, "Second");
    assert_eq!(set.annotations()[0].actors, ["Mayor"]);
    assert!(set.annotations()[0].issues.is_empty());
    match h.state().modal() {
        Some(Modal::Notice(n)) => {
            assert_eq!(n.title, "Project imported");
            assert!(
                n.message
                    .contains("Imported 2 documents, 2 annotations and 4 tags (2 actors)"),
                "{}",
                n.message
            );
            assert!(
                n.message.contains("picture source “Photo”"),
                "{}",
                n.message
            );
        }
        other => panic!("{other:?}"),
    }
    h.get_by_label_contains("picture source “Photo”");
    common::press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    assert!(h.state().modal().is_none());
}

#[test]
fn a_project_file_dropped_or_opened_shows_the_import_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Field.QDPX");
    small_qdpx(&file);
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut().push(FileIntent::Open(file.clone()));
    h.run_steps(3);
    assert!(matches!(h.state().modal(), Some(Modal::ImportProject(_))));
    h.get_by_label("Import project “Field study”");
    assert!(h.state().session().is_none(), "not opened as an article");
    assert!(!dir.path().join("Field").exists());
}

#[test]
fn the_import_dialog_chooses_the_positions_unit_and_a_folder_beside_the_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("posts.qdpx");
    // Written by a tool that says it counts characters, positioned in
    // UTF-16 units: "Jobs" is 5–9 in characters, 6–10 in UTF-16 units.
    let xml = r#"<Project name="Posts" origin="MAXQDA 24"><CodeBook><Codes><Code guid="C" name="Jobs" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="S" name="Post"><PlainTextContent>Ok 😡 Jobs!</PlainTextContent>
<PlainTextSelection guid="P" startPosition="6" endPosition="10"><Coding guid="G"><CodeRef targetGUID="C"/></Coding></PlainTextSelection></TextSource></Sources></Project>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut().push(FileIntent::Open(file.clone()));
    h.run_steps(3);
    h.get_by_label("As MAXQDA 24 counts (characters)");
    h.get_by_label("UTF-16 units (NVivo)").click();
    h.run_steps(2);
    // A relative folder is beside the project file.
    h.get_by_label("New corpus folder:").focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("New corpus folder:")
        .type_text("posts-corpus");
    h.run_steps(2);
    h.get_by_label("Import").click();
    h.run_steps(4);
    let out = dir.path().join("posts-corpus");
    let set = marginalia::core::store::load(&out.join("Post.annotations.ron")).unwrap();
    assert_eq!(set.annotations()[0].quote, "Jobs");
    assert_eq!(
        (set.annotations()[0].start, set.annotations()[0].end),
        (5, 9)
    );
}

#[test]
fn a_bad_project_file_gets_a_notice_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.qdpx");
    std::fs::write(&file, b"not a zip").unwrap();
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
        open: vec![DialogResult::Picked(file.clone())],
        ..Default::default()
    }));
    h.state_mut().push(Action::ImportProject.intent());
    h.run_steps(3);
    match h.state().modal() {
        Some(Modal::Notice(n)) => {
            assert_eq!(n.title, "Project not imported");
            assert!(
                n.message.contains("not a zip") && n.message.contains("Nothing was written"),
                "{}",
                n.message
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!dir.path().join("broken").exists());
    assert!(h.state().corpus().is_none());
}
