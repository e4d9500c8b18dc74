//! Headless UI tests (egui_kittest) of "never lose an annotation" in the
//! window: the autosave journal and the recovery prompt, failed saves that
//! offer Save As, the orphans panel, bad-input messages (legacy encoding,
//! missing source, empty/binary/folder/unsupported files) and the
//! background open with its progress overlay.
#![cfg(feature = "gui")]

mod common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::app::MarginaliaApp;
use marginalia::app::dialogs::{DialogResult, ScriptedDialogs};
use marginalia::app::model::*;
use marginalia::core::annotation::Annotation;
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;
use marginalia::core::decode::Encoding;
use marginalia::core::session::{OpenOptions, Session};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn harness(app: MarginaliaApp) -> Harness<'static, MarginaliaApp> {
    common::harness_with_fonts(app, false)
}

const ARTICLE: &str = "The ISI met the CIA in Doha on Tuesday.\nTalks on the NATO supply routes resumed after seven months.\nOfficials said the apology had opened the way.\n";

fn write_article(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn app_for(path: &Path, fallback: &Path) -> MarginaliaApp {
    let (session, _) = Session::open(path, &OpenOptions::default()).expect("open");
    let mut app = MarginaliaApp::new_with_session(session);
    app.set_recovery_dir(fallback);
    app
}

fn cp(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Adds an annotation on `needle` tagged with a new actor, through the
/// same intents the popup uses.
fn tag(h: &mut Harness<'_, MarginaliaApp>, needle: &str, actor: &str) {
    let text = h.state().session().unwrap().text.as_str().to_owned();
    let (a, b) = cp(&text, needle);
    h.state_mut()
        .push(SelectionIntent::Set { anchor: a, head: b });
    h.state_mut().push(DocIntent::ApplyTag {
        kind: TagKind::Actor,
        name: actor.to_owned(),
        create: true,
    });
    h.run_steps(8);
}

fn journal_of(set: &Path) -> PathBuf {
    let mut name = set.file_name().unwrap().to_os_string();
    name.push(".journal");
    set.with_file_name(name)
}

fn files_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    v.sort();
    v
}

#[test]
fn edits_reach_the_journal_and_a_restart_offers_to_restore_them() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = dir.path().join("fallback");
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let set = dir.path().join("a.annotations.ron");
    let journal = journal_of(&set);

    let mut h = harness(app_for(&article, &fallback));
    tag(&mut h, "ISI", "ISI");
    // The first change is flushed at the end of the frame that made it.
    assert!(journal.is_file(), "journal written beside the set");
    tag(&mut h, "CIA", "CIA");
    // Later changes within a second wait; the app asks for a repaint and
    // flushes within the interval.
    std::thread::sleep(Duration::from_millis(1100));
    h.run_steps(8);
    let content = std::fs::read_to_string(&journal).unwrap();
    assert!(
        content.contains("\"CIA\""),
        "second change journaled: {content}"
    );
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 2);
    // "Crash": the app goes away without saving.
    drop(h);
    assert!(!set.exists());

    let mut h = harness(app_for(&article, &fallback));
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    assert!(h.query_by_label_contains("2 annotations added").is_some());
    assert!(h.query_by_label_contains("last change at").is_some());
    assert!(h.query_by_label_contains("codebook changed").is_some());
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
    h.get_by_label("Restore").click();
    h.run_steps(8);
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    let s = h.state().session().unwrap();
    assert_eq!(s.set.annotations().len(), 2);
    assert!(s.set.codebook.get(TagKind::Actor, "CIA").is_some());
    assert!(h.state().title().contains('*'), "restored work is unsaved");
    // The restore is one undoable step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(8);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(8);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 2);
    // Saving writes everything and removes the journal.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(8);
    assert!(
        !h.state().title().contains('*'),
        "{}",
        h.state().status.text
    );
    assert!(set.is_file());
    assert!(files_starting(dir.path(), "a.annotations.ron.journal").is_empty());
    let (again, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    assert_eq!(again.set.annotations().len(), 2);
}

#[test]
fn not_now_keeps_the_journal_and_opens_the_saved_state() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = dir.path().join("fallback");
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let mut h = harness(app_for(&article, &fallback));
    tag(&mut h, "Doha", "Qatar");
    drop(h);

    let mut h = harness(app_for(&article, &fallback));
    assert!(h.query_by_label_contains("1 annotation added").is_some());
    h.get_by_label("Not now").click();
    h.run_steps(8);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
    assert!(!h.state().title().contains('*'));
    let declined = files_starting(dir.path(), "a.annotations.ron.journal.declined-");
    assert_eq!(declined.len(), 1, "journal kept aside");
    assert!(!journal_of(&dir.path().join("a.annotations.ron")).exists());
    // Not offered again.
    let h = harness(app_for(&article, &fallback));
    assert!(h.query_by_label("Recover unsaved work?").is_none());
}

#[test]
fn journal_goes_to_the_fallback_folder_when_the_set_folder_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = dir.path().join("data").join("recovery");
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let (mut session, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    let gone = dir.path().join("no-such-folder").join("a.annotations.ron");
    session.set_path = Some(gone.clone());
    let mut app = MarginaliaApp::new_with_session(session);
    app.set_recovery_dir(&fallback);
    let mut h = harness(app);
    tag(&mut h, "ISI", "ISI");
    let written = files_starting(&fallback, "a.annotations.ron-");
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].ends_with(".journal"));

    // Saving there fails: a message offering Save As; nothing is dropped.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(8);
    assert!(h.query_by_label("The annotations were not saved").is_some());
    assert!(h.state().status.is_error);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    let target = dir.path().join("elsewhere.annotations.ron");
    h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
        save: vec![DialogResult::Picked(target.clone())],
        ..Default::default()
    }));
    h.get_by_label("Save as…").click();
    h.run_steps(8);
    assert!(target.is_file(), "{}", h.state().status.text);
    assert!(h.query_by_label("The annotations were not saved").is_none());
    assert!(!h.state().title().contains('*'));
    assert!(
        files_starting(&fallback, "a.annotations.ron-").is_empty(),
        "journal discarded after Save As"
    );
}

#[test]
fn protected_set_shows_a_banner_and_save_offers_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let ron = dir.path().join("a.annotations.ron");
    std::fs::write(&ron, "(version: 1, source: (path: \"a.txt\"").unwrap();
    let mut h = harness(app_for(&article, &dir.path().join("fb")));
    assert!(
        h.query_by_label_contains("will not be overwritten")
            .is_some()
    );
    tag(&mut h, "ISI", "ISI");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(8);
    assert!(h.query_by_label("The annotations were not saved").is_some());
    assert_eq!(
        std::fs::read_to_string(&ron).unwrap(),
        "(version: 1, source: (path: \"a.txt\"",
        "the unreadable set is never overwritten"
    );
    // No native dialog: the typed-path fallback appears.
    h.get_by_label("Save as…").click();
    h.run_steps(8);
    assert!(h.query_by_label("Save annotation set as").is_some());
}

#[test]
fn orphans_are_listed_and_can_be_reattached_or_deleted_with_undo() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let (mut s, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    let text = s.text.as_str().to_owned();
    for (needle, actor) in [("apology had opened", "Apology"), ("ISI", "ISI")] {
        let tag = s.set.codebook.new_tag(TagKind::Issue, actor);
        s.execute(Command::CreateTag(tag)).unwrap();
        let (a, b) = cp(&text, needle);
        let mut ann = Annotation::new(s.set.fresh_id(), &s.text, a, b, "t");
        ann.add_tag(TagKind::Issue, actor);
        ann.note = Some(format!("note on {actor}"));
        s.execute(Command::AddAnnotation(ann)).unwrap();
    }
    s.save().unwrap();
    // The article changes: the last sentence is rewritten.
    let changed = ARTICLE.replace(
        "Officials said the apology had opened the way.",
        "Officials declined to comment on what came next.",
    );
    std::fs::write(&article, &changed).unwrap();

    let mut h = harness(app_for(&article, &dir.path().join("fb")));
    let st = h.state().session().unwrap();
    assert_eq!(st.set.orphans.len(), 1);
    assert_eq!(st.set.annotations().len(), 1);
    assert!(h.query_by_label("Orphans (1)").is_some());
    assert!(h.query_by_label("“apology had opened”").is_some());
    assert!(h.query_by_label_contains("issue: Apology").is_some());
    assert!(h.query_by_label_contains("note on Apology").is_some());
    assert!(
        h.query_by_label_contains("1 exact, 0 moved, 0 approximate, 1 could not be placed")
            .is_some(),
        "re-anchoring summary banner"
    );

    // Re-attach to a selection.
    let (a, b) = cp(&changed, "declined to comment");
    h.state_mut()
        .push(SelectionIntent::Set { anchor: a, head: b });
    h.run_steps(8);
    h.get_by_label("Re-attach to selection").click();
    h.run_steps(8);
    let st = h.state().session().unwrap();
    assert!(st.set.orphans.is_empty());
    assert_eq!(st.set.annotations().len(), 2);
    let re = st
        .set
        .annotations()
        .iter()
        .find(|x| x.issues == ["Apology"])
        .unwrap();
    assert_eq!((re.start, re.end), (a, b));
    assert_eq!(re.quote, "declined to comment");
    assert!(h.query_by_label("Orphans (1)").is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(8);
    assert_eq!(h.state().session().unwrap().set.orphans.len(), 1);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);

    // Delete, then undo brings it back.
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Delete")
        .click();
    h.run_steps(8);
    assert!(h.state().session().unwrap().set.orphans.is_empty());
    assert!(h.state().title().contains('*'));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(8);
    assert_eq!(h.state().session().unwrap().set.orphans.len(), 1);
}

#[test]
fn invalid_utf8_offers_windows_1252_and_the_status_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let legacy = dir.path().join("legacy.txt");
    std::fs::write(&legacy, b"Caf\xe9 au lait \x93quoted\x94 in Peshawar.\n").unwrap();
    let mut h = harness(app_for(&article, &dir.path().join("fb")));
    h.state_mut().push(FileIntent::Open(legacy.clone()));
    h.run_steps(8);
    assert!(h.query_by_label("Not UTF-8 text").is_some());
    assert_eq!(
        h.state().session().unwrap().display_name(),
        "a.txt",
        "the current article stays open"
    );
    h.get_by_label("Open as Windows-1252").click();
    h.run_steps(8);
    let s = h.state().session().unwrap();
    assert_eq!(s.display_name(), "legacy.txt");
    assert_eq!(s.encoding, Encoding::Windows1252);
    assert!(s.text.as_str().starts_with("Café au lait “quoted”"));
    assert!(h.state().status.text.contains("Windows-1252"));
    assert!(h.query_by_label(Encoding::Windows1252.label()).is_some());
}

#[test]
fn bad_files_get_a_message_and_the_current_article_stays() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let empty = write_article(dir.path(), "empty.txt", "");
    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, b"abc\0\0\0def\0").unwrap();
    let folder = dir.path().join("folder.txt");
    std::fs::create_dir(&folder).unwrap();
    let xlsx = write_article(dir.path(), "sheet.xlsx", "x");
    let mut h = harness(app_for(&article, &dir.path().join("fb")));
    tag(&mut h, "ISI", "ISI");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(8);
    for (path, words) in [
        (&empty, "the file is empty"),
        (&binary, "binary data"),
        (&xlsx, "unsupported file type \".xlsx\""),
    ] {
        h.state_mut().push(FileIntent::Open(path.clone()));
        h.run_steps(8);
        assert!(
            h.query_by_label("Cannot open this file").is_some(),
            "{}",
            path.display()
        );
        assert!(
            h.query_by_label_contains(words).is_some(),
            "message for {} mentions {words}",
            path.display()
        );
        assert!(
            h.query_by_label_contains("current article stays open")
                .is_some()
        );
        h.get_by_label("OK").click();
        h.run_steps(8);
        assert!(h.query_by_label("Cannot open this file").is_none());
        let s = h.state().session().unwrap();
        assert_eq!(s.display_name(), "a.txt");
        assert_eq!(s.set.annotations().len(), 1);
    }
    // A folder opens as a corpus; one without articles is refused.
    h.state_mut().push(FileIntent::Open(folder.clone()));
    h.run_steps(8);
    assert!(h.state().corpus().is_none());
    let status = &h.state().status;
    assert!(
        status.is_error && status.text.contains("has no articles"),
        "{}",
        status.text
    );
    assert_eq!(h.state().session().unwrap().display_name(), "a.txt");
}

#[test]
fn a_set_whose_article_moved_asks_to_locate_it_and_keeps_every_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let mut h = harness(app_for(&article, &dir.path().join("fb")));
    tag(&mut h, "ISI", "ISI");
    tag(&mut h, "CIA", "CIA");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(8);
    let set = dir.path().join("a.annotations.ron");
    assert!(set.is_file());
    let moved = dir.path().join("moved");
    std::fs::create_dir(&moved).unwrap();
    let new_article = moved.join("renamed.txt");
    std::fs::rename(&article, &new_article).unwrap();

    // Through the file dialog.
    h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
        open: vec![DialogResult::Picked(new_article.clone())],
        ..Default::default()
    }));
    h.state_mut().push(FileIntent::Open(set.clone()));
    h.run_steps(8);
    assert!(h.query_by_label("Locate the article").is_some());
    assert!(h.query_by_label_contains("(2 annotations)").is_some());
    h.get_by_label("Locate the article…").click();
    h.run_steps(8);
    let s = h.state().session().unwrap();
    assert_eq!(s.display_name(), "renamed.txt");
    assert_eq!(s.set.annotations().len(), 2);
    assert_eq!(s.set_path.as_deref(), Some(set.as_path()));

    // Through the typed path (no dialog available).
    let mut h = harness(app_for(&new_article, &dir.path().join("fb")));
    std::fs::rename(&new_article, dir.path().join("again.txt")).unwrap();
    h.state_mut().push(FileIntent::Open(set.clone()));
    h.run_steps(8);
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "or type its path:");
    field.focus();
    field.type_text(&dir.path().join("again.txt").display().to_string());
    h.run_steps(8);
    h.get_by_label("Open with this article").click();
    h.run_steps(8);
    let s = h.state().session().unwrap();
    assert_eq!(s.display_name(), "again.txt");
    assert_eq!(s.set.annotations().len(), 2);
}

#[test]
fn slow_opens_show_progress_and_the_window_keeps_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path(), "a.txt", ARTICLE);
    let other = write_article(dir.path(), "other.txt", "Another article entirely.\n");
    let mut app = app_for(&article, &dir.path().join("fb"));
    app.settings_mut().load_wait = Some(Duration::ZERO);
    app.settings_mut().load_delay = Duration::from_millis(1500);
    let mut h = harness(app);
    h.state_mut().push(FileIntent::Open(other.clone()));
    h.run_steps(8);
    assert!(h.state().is_loading());
    assert!(h.query_by_label_contains("Opening other.txt").is_some());
    assert_eq!(h.state().session().unwrap().display_name(), "a.txt");
    // Frames keep coming while the file loads.
    let mut frames = 0;
    while h.state().is_loading() && frames < 2000 {
        std::thread::sleep(Duration::from_millis(5));
        h.step();
        frames += 1;
    }
    assert!(frames > 3, "several frames drawn while loading ({frames})");
    assert!(!h.state().is_loading());
    assert_eq!(h.state().session().unwrap().display_name(), "other.txt");
    h.run_steps(8);
    assert!(h.query_by_label_contains("Opening other.txt").is_none());

    // Cancel keeps the current article.
    h.state_mut().push(FileIntent::Open(article.clone()));
    h.run_steps(8);
    assert!(h.state().is_loading());
    h.get_by_label("Cancel").click();
    h.run_steps(8);
    assert!(!h.state().is_loading());
    std::thread::sleep(Duration::from_millis(1600));
    h.run_steps(8);
    assert_eq!(h.state().session().unwrap().display_name(), "other.txt");
}
