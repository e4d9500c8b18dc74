//! Headless UI tests (egui_kittest) of a corpus folder in the window: the
//! document list, switching with Ctrl+PageDown / Ctrl+PageUp (the current
//! set saved first), one codebook across documents, the list's sort and
//! filters, status and attributes, and a failed save that keeps the
//! document open.
#![cfg(feature = "gui")]

mod common;
use common::{harness, press, tag_start};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::app::MarginaliaApp;
use marginalia::app::model::*;
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;
use marginalia::core::set::DocStatus;
use std::path::{Path, PathBuf};

/// Three plain-text articles in two outlet folders.
fn corpus_dir(root: &Path) {
    let put = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    put(
        "dawn/a.txt",
        "Truce reached\n\nJuly 4, 2012\n\nThe two countries agreed a truce.\n",
    );
    put(
        "nation/b.txt",
        "Drone strikes resume\n\nJuly 5, 2012\n\nThe strikes resumed. وزیر اعظم نے کہا\n",
    );
    put(
        "nation/c.txt",
        "\u{feff}Border trade talks\r\n\r\nJuly 6, 2012\r\n\r\nTalks on trade began.\r\n",
    );
}

fn open_corpus(root: &Path) -> Harness<'static, MarginaliaApp> {
    open_corpus_in(harness(MarginaliaApp::empty()), root)
}

fn open_corpus_in(
    mut h: Harness<'static, MarginaliaApp>,
    root: &Path,
) -> Harness<'static, MarginaliaApp> {
    h.state_mut().push(FileIntent::Open(root.to_owned()));
    h.run_steps(3);
    h.state_mut().corpus_mut().expect("a corpus").read_all_now();
    h.run_steps(2);
    h
}

fn article(h: &Harness<'_, MarginaliaApp>) -> PathBuf {
    let p = h.state().session().unwrap().article_path.clone().unwrap();
    p.strip_prefix(p.parent().unwrap().parent().unwrap())
        .unwrap()
        .to_owned()
}

fn ctrl() -> Modifiers {
    Modifiers::COMMAND
}

#[test]
fn a_folder_opens_as_a_corpus_listing_every_article_with_the_first_one_open() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let h = open_corpus(dir.path());
    for title in [
        "Truce reached",
        "Drone strikes resume",
        "Border trade talks",
    ] {
        h.get_by_label(title);
    }
    h.get_by_label("0 of 3 done");
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    // Nothing is written by opening and browsing.
    assert!(!dir.path().join("corpus.ron").exists());
}

#[test]
fn ctrl_page_down_saves_the_set_and_the_next_document_has_the_corpus_codebook() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    tag_start(&mut h, TagKind::Issue, "Truce");
    assert!(h.state().session().unwrap().is_dirty());
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    assert_eq!(article(&h), Path::new("nation/b.txt"));
    let saved = std::fs::read_to_string(dir.path().join("dawn/a.annotations.ron")).unwrap();
    assert!(saved.contains("issues: [\"Truce\"]"), "{saved}");
    let corpus = std::fs::read_to_string(dir.path().join("corpus.ron")).unwrap();
    assert!(corpus.contains("(name: \"Truce\", kind: Issue"), "{corpus}");
    assert!(
        corpus.contains("\"dawn/a.txt\",\n    \"nation/b.txt\""),
        "{corpus}"
    );
    // The tag is offered here too, with its digit, and nothing is dirty.
    let s = h.state().session().unwrap();
    let t = s
        .set
        .codebook
        .get(TagKind::Issue, "Truce")
        .expect("corpus tag");
    assert_eq!(t.digit, Some(1));
    assert!(!s.is_dirty());
    h.get_by_label("Truce reached").hover();
    h.get_by_label_contains("· 1 annotation");
    // Ctrl+PageUp goes back, with the annotation.
    press(&mut h, ctrl(), Key::PageUp);
    h.run_steps(2);
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    // At the top of the list: a message, the same document.
    press(&mut h, ctrl(), Key::PageUp);
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    assert!(h.state().status.text.contains("first document"));
}

#[test]
fn clicking_a_row_opens_that_document() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    h.get_by_label("Border trade talks").click();
    h.run_steps(3);
    assert_eq!(article(&h), Path::new("nation/c.txt"));
    let c = h.state().corpus().unwrap();
    assert_eq!(c.current, Some(2));
}

#[test]
fn the_list_sorts_by_a_column_and_filters_by_text_and_status() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    let titles = |h: &Harness<'_, MarginaliaApp>| -> Vec<String> {
        let c = h.state().corpus().unwrap();
        c.rows.iter().map(|&i| c.summary(i).title.clone()).collect()
    };
    h.get_by_label("Title").click();
    h.run_steps(2);
    assert_eq!(
        titles(&h),
        [
            "Border trade talks",
            "Drone strikes resume",
            "Truce reached"
        ]
    );
    h.get_by_label("Title (asc)").click();
    h.run_steps(2);
    assert_eq!(
        titles(&h),
        [
            "Truce reached",
            "Drone strikes resume",
            "Border trade talks"
        ]
    );
    h.get_by_label("Date").click();
    h.run_steps(2);
    assert_eq!(titles(&h)[0], "Truce reached", "2012-07-04 first");
    // Text filter: the folder name matches too.
    h.get_by_role_and_label(Role::TextInput, "Documents:")
        .focus();
    h.run_steps(1);
    common::type_text(&mut h, "nation");
    h.run_steps(2);
    assert_eq!(titles(&h), ["Drone strikes resume", "Border trade talks"]);
    h.get_by_label("2 of 3 documents match");
    // Status filter: nothing is done yet.
    h.state_mut().corpus_mut().unwrap().list.status = Some(DocStatus::Done);
    h.state_mut().push(CorpusIntent::Refilter);
    h.run_steps(2);
    assert!(titles(&h).is_empty());
}

#[test]
fn status_and_attributes_reach_the_list_and_the_progress_after_a_switch() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    h.state_mut().push(CorpusIntent::DefineAttribute {
        name: "outlet".into(),
        values: vec!["Dawn".into(), " The Nation ".into(), String::new()],
    });
    h.run_steps(2);
    let corpus = std::fs::read_to_string(dir.path().join("corpus.ron")).unwrap();
    assert!(
        corpus.contains("(name: \"outlet\", values: [\"Dawn\", \"The Nation\"])"),
        "{corpus}"
    );
    // The metadata panel shows the attribute (its header opened).
    let before = h.query_all_by_label("outlet").count();
    h.get_by_label_contains("Document: Truce reached").click();
    h.run_steps(2);
    assert!(
        h.query_all_by_label("outlet").count() > before,
        "the attribute row shows"
    );
    let mut m = h.state().session().unwrap().set.metadata.clone();
    m.status = DocStatus::Done;
    m.attributes.insert("outlet".into(), "Dawn".into());
    h.state_mut()
        .push(DocIntent::Execute(Command::SetMetadata(m)));
    h.run_steps(2);
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    h.get_by_label("1 of 3 done");
    h.get_by_label_contains("outlet: Dawn");
    let saved = std::fs::read_to_string(dir.path().join("dawn/a.annotations.ron")).unwrap();
    assert!(saved.contains("status: Done"), "{saved}");
    // Filter by the attribute.
    let c = h.state_mut().corpus_mut().unwrap();
    c.list.attribute = Some("outlet".into());
    c.list.attribute_value = "daw".into();
    h.state_mut().push(CorpusIntent::Refilter);
    h.run_steps(2);
    assert_eq!(h.state().corpus().unwrap().rows, [0]);
}

#[test]
fn a_save_that_fails_keeps_the_document_open_with_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    tag_start(&mut h, TagKind::Issue, "Truce");
    press(&mut h, ctrl(), Key::S);
    let set = dir.path().join("dawn/a.annotations.ron");
    let mut perms = std::fs::metadata(&set).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&set, perms).unwrap();
    tag_start(&mut h, TagKind::Issue, "Ceasefire");
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    let s = h.state().session().unwrap();
    assert!(s.is_dirty());
    assert!(s.set.codebook.get(TagKind::Issue, "Ceasefire").is_some());
    assert!(
        h.state().status.text.contains("read-only"),
        "{}",
        h.state().status.text
    );
}

#[test]
fn a_dropped_folder_opens_as_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = harness(MarginaliaApp::empty());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(common::Dropped(dir.path().to_owned())));
    h.run_steps(3);
    let c = h.state().corpus().expect("corpus open");
    assert_eq!(c.corpus.docs.len(), 3);
    let recent = &h.state().prefs.recent;
    assert!(
        recent.contains(&dir.path().canonicalize().unwrap()),
        "{recent:?}"
    );
}

#[test]
fn the_benchmark_corpus_lists_with_its_statuses_and_outlets() {
    let dir = tempfile::tempdir().unwrap();
    let spec = marginalia::cli::gen_bench::CorpusSpec {
        documents: 9,
        per_doc: 2,
        chars: 3000,
        all_coded: false,
    };
    marginalia::cli::gen_bench::write_corpus_data(dir.path(), &spec, 1).unwrap();
    // Its text has flags and Urdu: the app's fonts, as in the window.
    let fonts = common::harness_with_fonts(MarginaliaApp::empty(), true);
    let mut h = open_corpus_in(fonts, dir.path());
    let c = h.state().corpus().unwrap();
    assert_eq!(c.corpus.docs.len(), 9);
    assert_eq!(c.done(), 2, "documents 6 and 7");
    assert_eq!(c.corpus.file.attributes.len(), 1, "outlet adopted");
    h.get_by_label("2 of 9 done");
    // Sorted by outlet, the three outlets come in order.
    h.state_mut().push(CorpusIntent::Sort(SortKey::Outlet));
    h.run_steps(2);
    let c = h.state().corpus().unwrap();
    let outlets: Vec<String> = c
        .rows
        .iter()
        .map(|&i| c.summary(i).outlet.clone())
        .collect();
    assert_eq!(
        outlets.iter().filter(|o| o.is_empty()).count(),
        3,
        "three not coded"
    );
    let mut sorted = outlets.clone();
    sorted.sort_by_key(|o| o.to_lowercase());
    assert_eq!(outlets, sorted);
}

#[test]
fn a_field_typed_and_then_left_by_clicking_another_row_is_saved_in_its_own_document() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    h.get_by_label_contains("Document: Truce reached").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Author").focus();
    h.run_steps(1);
    common::type_text(&mut h, "Staff reporter");
    assert!(
        !h.state().session().unwrap().is_dirty(),
        "not committed yet"
    );
    h.get_by_label("Drone strikes resume").click();
    h.run_steps(4);
    assert_eq!(article(&h), Path::new("nation/b.txt"));
    let a = marginalia::core::store::load(&dir.path().join("dawn/a.annotations.ron")).unwrap();
    assert_eq!(a.metadata.author.as_deref(), Some("Staff reporter"));
    let b = h.state().session().unwrap();
    assert_eq!(
        b.set.metadata.author, None,
        "not given to the next document"
    );
    // Clicking the open document's row keeps it as it is (no reload).
    h.state_mut()
        .push(SelectionIntent::Set { anchor: 0, head: 5 });
    h.run_steps(1);
    h.get_by_label("Drone strikes resume").click();
    h.run_steps(2);
    assert!(h.state().view().selection.is_some(), "selection kept");
}

#[test]
fn a_rename_in_a_corpus_document_is_previewed_and_applied_to_every_set() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    tag_start(&mut h, TagKind::Issue, "Drones");
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    tag_start(&mut h, TagKind::Issue, "Drones");
    let t = h
        .state()
        .session()
        .unwrap()
        .set
        .codebook
        .get(TagKind::Issue, "Drones")
        .unwrap()
        .clone();
    let mut renamed = t.clone();
    renamed.name = "Drone strikes".into();
    h.state_mut().push(DocIntent::Execute(Command::UpdateTag {
        kind: TagKind::Issue,
        name: "Drones".into(),
        tag: renamed,
    }));
    // Planned on a thread behind a progress dialog, then the preview.
    h.run_steps(1);
    assert!(
        matches!(h.state().modal(), Some(Modal::CorpusPlanning))
            || matches!(h.state().modal(), Some(Modal::CorpusChange(_)))
    );
    wait_for_preview(&mut h);
    match h.state().modal() {
        Some(Modal::CorpusChange(p)) => assert_eq!(
            p.summary,
            "rename issue “Drones” to “Drone strikes” affects 2 annotations in 2 documents"
        ),
        other => panic!("{other:?} {}", h.state().status.text),
    }
    h.run_steps(2);
    h.get_by_label("rename issue “Drones” to “Drone strikes” affects 2 annotations in 2 documents");
    h.get_by_label("Apply to the corpus").click();
    h.run_steps(4);
    for set in ["dawn/a.annotations.ron", "nation/b.annotations.ron"] {
        let s = std::fs::read_to_string(dir.path().join(set)).unwrap();
        assert!(s.contains("issues: [\"Drone strikes\"]"), "{set}: {s}");
        assert!(!s.contains("\"Drones\""), "{set}: {s}");
    }
    // The open document shows the change; the corpus codebook too.
    let s = h.state().session().unwrap();
    assert_eq!(s.set.annotations()[0].issues, ["Drone strikes"]);
    assert!(!s.is_dirty());
    let corpus = std::fs::read_to_string(dir.path().join("corpus.ron")).unwrap();
    assert!(
        corpus.contains("Drone strikes") && !corpus.contains("\"Drones\""),
        "{corpus}"
    );
    // Ctrl+Z (the document's own history is empty): every set back.
    press(&mut h, ctrl(), Key::Z);
    h.run_steps(4);
    let s = std::fs::read_to_string(dir.path().join("dawn/a.annotations.ron")).unwrap();
    assert!(s.contains("issues: [\"Drones\"]"), "{s}");
    assert_eq!(
        h.state().session().unwrap().set.annotations()[0].issues,
        ["Drones"]
    );
    assert!(
        h.state().status.text.starts_with("Undone"),
        "{}",
        h.state().status.text
    );
}

#[test]
fn coded_segments_find_excerpts_across_documents_open_them_and_export() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    tag_start(&mut h, TagKind::Issue, "Truce");
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    tag_start(&mut h, TagKind::Issue, "Truce");
    assert_eq!(article(&h), Path::new("nation/c.txt"));
    // Ctrl+Shift+K: the panel; Tags "truce", Enter searches (saving c first).
    press(&mut h, common::ctrl_shift(), Key::K);
    h.get_by_role_and_label(Role::TextInput, "Tags:").focus();
    h.run_steps(1);
    common::type_text(&mut h, "truce");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    h.get_by_label("2 segments");
    assert!(
        h.state()
            .status
            .text
            .starts_with("2 coded segments in 2 documents")
    );
    // Up (the first row already), Enter: its document opens with it selected.
    press(&mut h, Modifiers::NONE, Key::ArrowUp);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(4);
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    assert_eq!(common::selected_text(h.state()), "Tru");
    // Down, Enter: the next one, in the other document.
    h.get_by_role_and_label(Role::TextInput, "Tags:").focus();
    h.run_steps(1);
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(4);
    assert_eq!(article(&h), Path::new("nation/c.txt"));
    assert_eq!(common::selected_text(h.state()), "Bor");
    // Export as CSV (no dialog here: beside the corpus as segments.csv).
    h.get_by_label("CSV").click();
    h.run_steps(2);
    let csv = std::fs::read_to_string(dir.path().join("segments.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with("dawn/a.txt,") && lines[2].starts_with("nation/c.txt,"),
        "{csv}"
    );
}

#[test]
fn a_folder_is_imported_from_the_window_after_a_preview_and_opens_as_the_corpus() {
    use marginalia::app::dialogs::{DialogResult, ScriptedDialogs};
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir(r.join("dawn")).unwrap();
    std::fs::write(
        r.join("dawn/2012-07-04_dawn_truce-held.html"),
        "<html><head><title>T</title></head><body><p>The truce held.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        r.join("20120705_the-nation_drones.txt"),
        "Drones\n\nStrikes.\n",
    )
    .unwrap();
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
        open: vec![DialogResult::Picked(r.to_owned())],
        ..Default::default()
    }));
    h.state_mut().push(Action::ImportFolder.intent());
    h.run_steps(3);
    h.get_by_label("2 of 2 files will get a set");
    h.get_by_label_contains("2012-07-04 · dawn · truce held");
    assert!(
        !r.join("20120705_the-nation_drones.annotations.ron")
            .exists()
    );
    // A pattern that does not fit: the preview says so per file.
    let field = h.get_by_role_and_label(Role::TextInput, "File names:");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    common::type_text(&mut h, "{title}");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.get_by_label_contains(
        "20120705_the-nation_drones.txt — no date · no outlet · 20120705 the nation drones",
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    common::type_text(&mut h, "{date}_{outlet}_{title}");
    press(&mut h, Modifiers::NONE, Key::Enter);
    match h.state().modal() {
        Some(Modal::BatchImport(d)) => assert_eq!(d.pattern, "{date}_{outlet}_{title}"),
        other => panic!("{other:?}"),
    }
    h.get_by_label("Import 2 documents").click();
    h.run_steps(4);
    assert!(h.state().modal().is_none());
    let set = marginalia::core::store::load(&r.join("20120705_the-nation_drones.annotations.ron"))
        .unwrap();
    assert_eq!(set.metadata.date.as_deref(), Some("2012-07-05"));
    assert_eq!(set.metadata.attributes["outlet"], "the nation");
    let c = h.state().corpus().expect("opened as the corpus");
    assert_eq!(c.corpus.docs.len(), 2);
    assert!(h.state().status.text.starts_with("Imported 2 documents"));
}

#[test]
fn a_chart_bar_opens_its_coded_segments_and_each_chart_draws() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    tag_start(&mut h, TagKind::Issue, "Truce");
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    tag_start(&mut h, TagKind::Issue, "Drones");
    tag_start(&mut h, TagKind::Actor, "ISI");
    press(&mut h, ctrl(), Key::PageDown);
    h.run_steps(2);
    tag_start(&mut h, TagKind::Issue, "Truce");
    press(&mut h, ctrl(), Key::S);
    h.run_steps(2);
    // Ctrl+Shift+G: the charts, tag frequencies first (from the index,
    // which the saves keep current).
    press(&mut h, common::ctrl_shift(), Key::G);
    h.run_steps(3);
    let issues = h.get_by_label("Issues chart").rect();
    // Issues by excerpts: Truce (2) on the top row, Drones (1) below; a
    // click in the top row picks Truce.
    let at = egui::pos2(issues.center().x, issues.top() + issues.height() * 0.25);
    click_at(&mut h, at);
    h.run_steps(3);
    let c = h.state().corpus().unwrap();
    let v = c.segments.as_ref().expect("the segments panel opened");
    assert_eq!(v.all_tags, [(TagKind::Issue, "Truce".to_owned())]);
    let found: Vec<&str> = v.result.found.iter().map(|s| s.quote.as_str()).collect();
    assert_eq!(found, ["Tru", "Bor"]);
    // The charts follow that filter: clear the pick first. The heat map:
    // ISI × Drones is its one cell; clicking it narrows the segments to
    // that annotation.
    h.get_by_label("Clear pick").click();
    h.run_steps(2);
    h.get_by_label("Actor × issue").click();
    h.run_steps(3);
    let cell = h.get_by_label("Actor × issue chart").rect();
    click_at(&mut h, cell.center());
    h.run_steps(3);
    let v = h.state().corpus().unwrap().segments.as_ref().unwrap();
    let found: Vec<&str> = v.result.found.iter().map(|s| s.quote.as_str()).collect();
    assert_eq!(found, ["Dro"]);
    // The timeline (all three dated July 2012) and the coders draw too.
    h.get_by_label("Timeline").click();
    h.run_steps(3);
    h.get_by_label("Timeline chart");
    h.get_by_label("Coders").click();
    h.run_steps(3);
    h.get_by_label("Coders chart");
    h.get_by_label("Copy CSV").click();
    h.run_steps(2);
    assert_eq!(
        h.state().status.text,
        "Copied the chart's data as CSV (1 row)"
    );
}

/// Moves the pointer to `at`, then clicks there.
fn click_at(h: &mut Harness<'_, MarginaliaApp>, at: egui::Pos2) {
    h.event(egui::Event::PointerMoved(at));
    h.run_steps(1);
    common::press_release(h, at);
}

/// Writes `doc`'s set as another program would: one annotation tagged
/// `issue` over its first three characters.
fn write_set_behind_the_apps_back(root: &Path, doc: &str, issue: &str) {
    use marginalia::core::annotation::Annotation;
    use marginalia::core::codebook::{Codebook, Rgb, Tag};
    use marginalia::core::set::{AnnotationSet, SourceRef};
    use marginalia::core::store;
    let txt = root.join(doc);
    let text = marginalia::core::text::Text::new(std::fs::read_to_string(&txt).unwrap());
    let set_path = store::set_path_for(&txt);
    let mut set = match store::load(&set_path) {
        Ok(s) => s,
        Err(_) => AnnotationSet::new(SourceRef {
            path: txt.file_name().unwrap().to_string_lossy().into_owned(),
            sha256: text.sha256().to_owned(),
            length: text.len_chars(),
            ..Default::default()
        }),
    };
    let mut tags: Vec<Tag> = set.codebook.tags().to_vec();
    tags.push(Tag::new(TagKind::Issue, issue, Rgb([1, 2, 3])));
    set.codebook = Codebook::from_tags(tags);
    let mut a = Annotation::new(set.fresh_id(), &text, 0, 3, "t");
    a.issues = vec![issue.to_owned()];
    set.update_annotations(|v| v.push(a));
    store::save(&set_path, &set).unwrap();
}

#[test]
fn sets_changed_behind_the_apps_back_are_read_again_and_the_open_one_reloaded_or_asked() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    // A git pull changes b (not open): the list and the index follow.
    write_set_behind_the_apps_back(dir.path(), "nation/b.txt", "Pulled");
    look(&mut h);
    h.state_mut().corpus_mut().unwrap().read_all_now();
    h.run_steps(1);
    assert!(
        h.state().status.text.contains("nation/b.txt"),
        "{}",
        h.state().status.text
    );
    let c = h.state().corpus().unwrap();
    let b = c
        .corpus
        .docs
        .iter()
        .position(|d| d.rel == "nation/b.txt")
        .unwrap();
    assert_eq!(c.summary(b).annotations, 1);
    assert_eq!(c.index.annotations(), 1);
    // The open document, unchanged here: reloaded at once.
    write_set_behind_the_apps_back(dir.path(), "dawn/a.txt", "Pulled");
    look(&mut h);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    // With unsaved edits here: asked; "Keep my edits" keeps them.
    h.state_mut()
        .push(SelectionIntent::Set { anchor: 5, head: 8 });
    h.state_mut().push(DocIntent::ApplyTag {
        kind: TagKind::Issue,
        name: "Mine".into(),
        create: true,
    });
    h.run_steps(2);
    write_set_behind_the_apps_back(dir.path(), "dawn/a.txt", "Pulled again");
    look(&mut h);
    h.get_by_label("Keep my edits").click();
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 2);
    assert!(h.state().session().unwrap().is_dirty());
    // Asked again after another change: "Reload from disk" takes the file.
    write_set_behind_the_apps_back(dir.path(), "dawn/a.txt", "Third");
    look(&mut h);
    h.get_by_label("Reload from disk").click();
    h.run_steps(4);
    let s = h.state().session().unwrap();
    assert!(!s.is_dirty());
    let issues: Vec<&str> = s
        .set
        .annotations()
        .iter()
        .flat_map(|a| a.issues.iter().map(String::as_str))
        .collect();
    assert_eq!(issues, ["Pulled", "Pulled again", "Third"]);
}

/// The watch's look, now (after the readers finished, as the watch waits
/// for them).
fn look(h: &mut Harness<'_, MarginaliaApp>) {
    h.state_mut().corpus_mut().unwrap().read_all_now();
    h.state_mut().corpus_mut().unwrap().look_next_frame = true;
    // A dialog's first frame only measures it.
    h.run_steps(3);
}

#[test]
fn corpus_search_lists_matches_opens_one_and_tags_the_accepted_across_documents() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    let mut h = open_corpus(dir.path());
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    // Ctrl+Shift+F, "t" + "r" … : "trade" is in c twice (title and text)
    // and in no other document.
    press(&mut h, common::ctrl_shift(), Key::F);
    h.get_by_role_and_label(Role::TextInput, "Find in corpus:")
        .focus();
    h.run_steps(1);
    common::type_text(&mut h, "trade");
    press(&mut h, Modifiers::NONE, Key::Enter);
    for _ in 0..200 {
        h.run_steps(1);
        let running = h
            .state()
            .corpus()
            .unwrap()
            .search
            .as_ref()
            .unwrap()
            .running
            .is_some();
        if !running {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_steps(2);
    h.get_by_label("2 matches, 2 accepted");
    assert!(
        h.state()
            .status
            .text
            .starts_with("2 matches in 1 of 3 documents"),
        "{}",
        h.state().status.text
    );
    // A click on the second row: c opens with "trade" selected. BOM
    // dropped, CRLF two: "Border trade talks" 0..18, two CRLF 18..22, the
    // date 22..34, two CRLF 34..38, "Talks on " 38..47, "trade" 47..52.
    let v = h.state().corpus().unwrap().search.as_ref().unwrap();
    let (s, e) = (v.result.matches[1].start, v.result.matches[1].end);
    assert_eq!((s, e), (47, 52));
    h.get_by_label_contains("Talks on trade began").click();
    h.run_steps(4);
    assert_eq!(article(&h), Path::new("nation/c.txt"));
    assert_eq!(common::selected_text(h.state()), "trade");
    // Tag all matches…: N skips the first, Y accepts the second; the tag
    // name, Enter: the corpus-wide preview; Enter applies.
    h.get_by_label("Tag all matches…").click();
    h.run_steps(3);
    press(&mut h, Modifiers::NONE, Key::N);
    press(&mut h, Modifiers::NONE, Key::Y);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Tag:").focus();
    h.run_steps(1);
    common::type_text(&mut h, "Trade");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    assert!(
        matches!(h.state().modal(), Some(Modal::CorpusChange(_))),
        "{:?}",
        h.state().status.text
    );
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(4);
    let set = dir.path().join("nation/c.annotations.ron");
    let s = std::fs::read_to_string(&set).unwrap();
    assert!(s.contains("start: 47, end: 52, quote: \"trade\""), "{s}");
    assert!(
        !s.contains("start: 7,"),
        "the skipped match stays untagged: {s}"
    );
    // The open document shows it (reloaded after the change).
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    // One undo for the corpus change: c had no set, so it is gone again.
    h.state_mut().push(Action::UndoCorpusChange.intent());
    h.run_steps(4);
    assert!(!set.exists());
}

/// Runs frames until the corpus-wide change's preview shows (it is planned
/// on a thread).
fn wait_for_preview(h: &mut Harness<'_, MarginaliaApp>) {
    for _ in 0..1000 {
        if !matches!(h.state().modal(), Some(Modal::CorpusPlanning)) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        h.run_steps(1);
    }
    h.run_steps(2);
}

#[test]
fn more_documents_than_the_readers_may_hold_back_are_all_read_while_frames_run() {
    // 600 sets: more than the background readers may queue for the
    // window's thread, so they wait for the frames to take what they read.
    let dir = tempfile::tempdir().unwrap();
    let spec = marginalia::cli::gen_bench::CorpusSpec {
        documents: 600,
        per_doc: 2,
        chars: 400,
        all_coded: true,
    };
    marginalia::cli::gen_bench::write_corpus_data(dir.path(), &spec, 1).unwrap();
    // Its text has CJK, flags and Urdu: the app's fonts, as in the window.
    let mut h = common::harness_with_fonts(MarginaliaApp::empty(), true);
    h.state_mut().push(FileIntent::Open(dir.path().to_owned()));
    // Let the readers fill their queue before any frame takes from it.
    h.run_steps(1);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut frames = 0;
    while h.state().corpus().is_some_and(|c| c.is_reading()) {
        h.run_steps(1);
        frames += 1;
        assert!(frames < 10_000, "the readers never finished");
    }
    let c = h.state().corpus().unwrap();
    assert_eq!(c.corpus.docs.len(), 600);
    assert_eq!(c.read, 600, "every summary read");
    assert_eq!(c.index.documents(), 600);
    assert_eq!(c.index.annotations(), 1200);
}

#[test]
fn ctrl_z_undoes_a_corpus_wide_tagging_one_document_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    corpus_dir(dir.path());
    // b's match shows Urdu in its context: the app's fonts.
    let fonts = common::harness_with_fonts(MarginaliaApp::empty(), true);
    let mut h = open_corpus_in(fonts, dir.path());
    assert_eq!(article(&h), Path::new("dawn/a.txt"));
    // "July" is in every document: tag all three matches.
    press(&mut h, common::ctrl_shift(), Key::F);
    h.get_by_role_and_label(Role::TextInput, "Find in corpus:")
        .focus();
    h.run_steps(1);
    common::type_text(&mut h, "July");
    press(&mut h, Modifiers::NONE, Key::Enter);
    for _ in 0..200 {
        h.run_steps(1);
        let c = h.state().corpus().unwrap();
        if c.search.as_ref().is_some_and(|s| s.running.is_none()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_steps(2);
    h.get_by_label("3 matches, 3 accepted");
    h.get_by_label("Tag all matches…").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::TextInput, "Tag:").focus();
    h.run_steps(1);
    common::type_text(&mut h, "Dateline");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(4);
    let sets =
        ["dawn/a", "nation/b", "nation/c"].map(|s| dir.path().join(format!("{s}.annotations.ron")));
    assert!(sets.iter().all(|s| s.exists()), "every document tagged");
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    // Ctrl+Z in a: only a's part goes.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(!sets[0].exists() && sets[1].exists() && sets[2].exists());
    assert!(
        h.state().status.text.contains("in this document"),
        "{}",
        h.state().status.text
    );
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
    // The next document, b: Ctrl+Z takes b's part; c keeps its own.
    press(&mut h, Modifiers::COMMAND, Key::PageDown);
    h.run_steps(4);
    assert_eq!(article(&h), Path::new("nation/b.txt"));
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(!sets[1].exists() && sets[2].exists());
    // Undo corpus change takes what is left.
    h.state_mut().push(Action::UndoCorpusChange.intent());
    h.run_steps(4);
    assert!(sets.iter().all(|s| !s.exists()), "every part undone");
}

#[test]
fn the_agreement_window_compares_two_coders_over_the_corpus_and_copies_csv() {
    // The benchmark corpus: amina, ben and chen code the same documents.
    let dir = tempfile::tempdir().unwrap();
    let spec = marginalia::cli::gen_bench::CorpusSpec {
        documents: 12,
        per_doc: 6,
        chars: 1500,
        all_coded: true,
    };
    marginalia::cli::gen_bench::write_corpus_data(dir.path(), &spec, 1).unwrap();
    let fonts = common::harness_with_fonts(MarginaliaApp::empty(), true);
    let mut h = open_corpus_in(fonts, dir.path());
    h.state_mut().push(Action::Agreement.intent());
    h.run_steps(3);
    h.get_by_label("Agreement");
    // The first two coders by name are chosen; Compute.
    h.get_by_label("Compute").click();
    for _ in 0..500 {
        h.run_steps(1);
        if h.state()
            .agreement()
            .is_some_and(|v| v.running.is_none() && v.report.is_some())
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_steps(2);
    let v = h.state().agreement().expect("the window");
    let r = v.report.as_ref().expect("a report");
    assert_eq!(r.coders, ["amina".to_owned(), "ben".to_owned()]);
    // The same figures as the command line gives for the folder.
    let cli = marginalia::core::agreement_report::report(
        &marginalia::core::agreement_report::Sources::Coders(
            dir.path().to_owned(),
            "amina".into(),
            "ben".into(),
        ),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(r, &cli);
    // The weakest tag is the first row after the headers.
    let weakest = r.tags_weakest_first()[0].0.to_owned();
    h.get_by_label("By tag, the weakest first");
    h.get_by_label(&weakest);
    h.get_by_label("Copy CSV").click();
    let mut copied = None;
    for _ in 0..3 {
        h.step();
        copied = h
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyText(t) => Some(t.clone()),
                _ => None,
            });
        if copied.is_some() {
            break;
        }
    }
    let csv = marginalia::core::agreement_report::to_csv(&cli);
    assert!(
        csv.starts_with("level,name,percent,kappa,alpha,alpha_u"),
        "{csv}"
    );
    assert_eq!(copied.as_deref(), Some(csv.as_str()), "the CSV is copied");
}
