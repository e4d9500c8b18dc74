//! Coding as a team in the window: comparing two coders' codings of one
//! document (A above the line, B below, `N`/`P` through the
//! disagreements) and curating them into a curated set in another folder,
//! one undoable step per decision, saved as an ordinary set.

mod cli_support;
mod common;

use common::{harness, open, press};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::app::MarginaliaApp;
use marginalia::core::annotation::Annotation;
use marginalia::core::codebook::{PALETTE, Tag, TagKind};
use marginalia::core::command::Command;
use marginalia::core::session::{OpenOptions, Session};
use marginalia::core::store;
use std::path::{Path, PathBuf};

const TEXT: &str = "The ISI met the CIA in Doha on Monday, officials said.\n";

/// An article whose set has Alice's and Bob's codings: one agreeing pair,
/// tags that differ on one span, one annotation only Alice made and one
/// only Bob made.
fn two_coders(dir: &Path) -> PathBuf {
    let article = dir.join("doha.txt");
    std::fs::write(&article, TEXT).unwrap();
    coded(
        &article,
        &[
            (
                "alice",
                &[(4, 7, "Talks"), (16, 19, "Talks"), (39, 48, "Talks")],
            ),
            (
                "bob",
                &[(4, 7, "Talks"), (16, 19, "Drones"), (49, 53, "Talks")],
            ),
        ],
    );
    article
}

fn clear_field(h: &mut Harness<'_, MarginaliaApp>, label: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_steps(1);
    h.key_press(Key::End);
    for _ in 0..200 {
        h.key_press(Key::Backspace);
    }
    h.run_steps(1);
}

fn click(h: &mut Harness<'_, MarginaliaApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(4);
}

fn selection(h: &Harness<'_, MarginaliaApp>) -> (usize, usize) {
    let s = h.state().view().selection.expect("a selection");
    s.range()
}

fn curated(h: &Harness<'_, MarginaliaApp>) -> Vec<(usize, usize, Vec<String>, Vec<String>)> {
    h.state()
        .session()
        .unwrap()
        .set
        .annotations()
        .iter()
        .map(|a| {
            let mut tags = a.issues.clone();
            tags.extend(a.actors.iter().cloned());
            (a.start, a.end, tags, a.curated_from.clone())
        })
        .collect()
}

/// The curated set's rejected annotations (`None`: no curation record).
fn rejected(h: &Harness<'_, MarginaliaApp>) -> Option<Vec<String>> {
    h.state()
        .session()
        .unwrap()
        .set
        .metadata
        .curation
        .clone()
        .map(|c| c.rejected)
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

#[test]
fn two_coders_are_compared_and_curated_into_a_set_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let article = two_coders(dir.path());
    let mut h = harness(open(&article));
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    // The form proposes the two coders found in the file.
    click(&mut h, "Compare");
    assert!(
        h.query_by_label_contains("A: alice (3 annotations")
            .is_some()
    );
    assert!(h.query_by_label_contains("B: bob (3 annotations").is_some());
    assert!(
        h.query_by_label_contains("3 disagreements, 1 agreeing pairs")
            .is_some()
    );
    // N and P step through the disagreements, selecting each span.
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    assert_eq!(selection(&h), (16, 19));
    assert!(
        h.state()
            .status
            .text
            .starts_with("1 of 3: same span, different tags")
    );
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    assert_eq!(selection(&h), (39, 48));
    press(&mut h, Modifiers::NONE, Key::P);
    h.run_steps(2);
    assert_eq!(selection(&h), (16, 19));
    let marks = h
        .state()
        .workspace()
        .unwrap()
        .compare_marks
        .clone()
        .unwrap();
    assert_eq!(marks.a, [(4, 7), (16, 19), (39, 48)]);
    assert_eq!(marks.b, [(4, 7), (16, 19), (49, 53)]);
    assert_eq!(marks.current, Some((16, 19)));

    // Deciding before curating changes nothing in the coders' set.
    press(&mut h, Modifiers::ALT, Key::A);
    h.run_steps(2);
    assert!(h.state().status.text.contains("Start curating first"));
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 6);
    assert!(!h.state().session().unwrap().is_dirty());

    // Curate, as Carol, into a folder beside the study.
    let folder = dir.path().join("curated");
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    clear_field(&mut h, "Folder:");
    common::type_text(&mut h, &folder.display().to_string());
    click(&mut h, "Curate into this folder");
    let curated_path = folder.join("doha.annotations.ron");
    assert_eq!(
        h.state().session().unwrap().set_path.as_deref(),
        Some(curated_path.as_path())
    );
    assert!(curated(&h).is_empty(), "a new curated set starts empty");
    click(&mut h, "Take over agreeing (1)");
    assert_eq!(
        curated(&h),
        [(4, 7, s(&["Talks"]), s(&["alice:alice-1", "bob:bob-1"]))]
    );
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    assert_eq!(selection(&h), (16, 19));
    click(&mut h, "Accept B (Alt+B)");
    // The decision steps on to the next undecided disagreement.
    assert_eq!(selection(&h), (39, 48));
    click(&mut h, "Accept neither (Alt+X)");
    assert_eq!(rejected(&h), Some(s(&["alice:alice-2", "alice:alice-3"])));
    // Each decision is one undoable step.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(rejected(&h), Some(s(&["alice:alice-2"])));
    h.get_by_label_contains("1. same span, different tags (A: Talks; B: Drones) — “CIA”")
        .click();
    h.run_steps(4);
    assert!(h.state().status.text.contains("1 of 3"));
    h.get_by_label_contains("2. only A — “officials”").click();
    h.run_steps(4);
    // The keyboard decides too.
    press(&mut h, Modifiers::ALT, Key::A);
    h.run_steps(3);
    assert_eq!(selection(&h), (49, 53));
    click(&mut h, "Accept both (Alt+O)");
    assert_eq!(
        curated(&h),
        [
            (4, 7, s(&["Talks"]), s(&["alice:alice-1", "bob:bob-1"])),
            (16, 19, s(&["Drones"]), s(&["bob:bob-2"])),
            (39, 48, s(&["Talks"]), s(&["alice:alice-3"])),
            (49, 53, s(&["Talks"]), s(&["bob:bob-3"])),
        ]
    );
    assert!(
        h.query_by_label_contains("3 disagreements, 0 to decide")
            .is_some()
    );
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);

    // The curated set is an ordinary set: its article found, its
    // annotations the curator's, exported like any other.
    let set = store::load(&curated_path).unwrap();
    assert_eq!(set.version, 4);
    assert!(
        set.annotations()
            .iter()
            .all(|a| a.coder.as_deref() == Some("carol"))
    );
    let c = set.metadata.curation.clone().unwrap();
    assert_eq!(
        (c.curator.as_str(), c.a.as_str(), c.b.as_str()),
        ("carol", "alice", "bob")
    );
    assert_eq!(
        store::resolve_source(&curated_path, &set.source.path)
            .canonicalize()
            .unwrap(),
        article.canonicalize().unwrap()
    );
    let out = dir.path().join("curated.csv");
    let (code, _, err) = cli_support::run(
        &[
            curated_path.to_str().unwrap(),
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .copied()
        .fold(vec!["export"], |mut v, x| {
            v.push(x);
            v
        }),
    );
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
    // The coders' own set is untouched.
    let own = store::load(&dir.path().join("doha.annotations.ron")).unwrap();
    assert_eq!(own.annotations().len(), 6);

    // Ending the comparison opens the document's own set again.
    click(&mut h, "End comparison");
    assert_eq!(
        h.state().session().unwrap().set_path.as_deref(),
        Some(dir.path().join("doha.annotations.ron").as_path())
    );
    assert!(h.state().workspace().unwrap().compare_marks.is_none());
}

#[test]
fn a_set_of_another_text_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let article = two_coders(dir.path());
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("doha.txt"), "A different text altogether.\n").unwrap();
    let (mut s, _) = Session::open(&other.join("doha.txt"), &OpenOptions::default()).unwrap();
    s.coder = Some("dan".into());
    let a = Annotation::new("dan-1".into(), &s.text, 2, 11, "t0");
    s.execute(Command::AddAnnotation(a)).unwrap();
    s.save().unwrap();
    let mut h = harness(open(&article));
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    // The combo box's button shows the current choice.
    h.get_by_role_and_label(Role::ComboBox, "Coding B:").click();
    h.run_steps(3);
    click(&mut h, "another clone or set file");
    clear_field(&mut h, "Other:");
    common::type_text(&mut h, &other.display().to_string());
    click(&mut h, "Compare");
    let v = h.state().comparison().unwrap();
    assert!(v.doc.is_none());
    let e = v.error.clone().unwrap();
    assert!(e.contains("SHA-256 differs"), "{e}");
}

/// Annotations of one coder: start, end, issue.
type Coded<'a> = &'a [(usize, usize, &'a str)];

/// A set for `article` with the given coders' annotations.
fn coded(article: &Path, coders: &[(&str, Coded<'_>)]) {
    let (mut s, _) = Session::open(article, &OpenOptions::default()).unwrap();
    for name in ["Talks", "Drones"] {
        s.execute(Command::CreateTag(Tag::new(
            TagKind::Issue,
            name,
            PALETTE[0],
        )))
        .unwrap();
    }
    for (coder, anns) in coders {
        s.coder = Some((*coder).into());
        for &(start, end, tag) in *anns {
            let id = s.set.fresh_id_for(Some(coder));
            let mut a = Annotation::new(id, &s.text, start, end, "t0");
            a.issues = vec![tag.into()];
            s.execute(Command::AddAnnotation(a)).unwrap();
        }
    }
    s.save().unwrap();
}

#[test]
fn a_corpus_is_curated_document_by_document_and_its_own_sets_stay_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    cli_support::put(&study, "dawn/a.txt", TEXT);
    cli_support::put(&study, "nation/b.txt", "Drone strikes resumed on Monday.\n");
    coded(
        &study.join("dawn/a.txt"),
        &[
            ("alice", &[(4, 7, "Talks")]),
            ("bob", &[(4, 7, "Talks"), (16, 19, "Talks")]),
        ],
    );
    coded(
        &study.join("nation/b.txt"),
        &[
            ("alice", &[(0, 13, "Drones")]),
            ("bob", &[(0, 13, "Talks")]),
        ],
    );
    let own_a = std::fs::read(study.join("dawn/a.annotations.ron")).unwrap();
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut()
        .push(marginalia::app::model::FileIntent::Open(study.clone()));
    h.run_steps(3);
    h.state_mut().corpus_mut().unwrap().read_all_now();
    h.run_steps(2);
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    assert!(
        h.query_by_label_contains("1 disagreements, 1 agreeing pairs")
            .is_some()
    );
    // The default folder sits beside the corpus folder.
    let field = h.get_by_role_and_label(Role::TextInput, "Folder:");
    let proposed = PathBuf::from(field.value().unwrap());
    assert_eq!(
        proposed,
        std::path::absolute(dir.path().join("study-curated")).unwrap()
    );
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    click(&mut h, "Curate into this folder");
    click(&mut h, "Take over agreeing (1)");
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    click(&mut h, "Accept neither (Alt+X)");
    // The next document opens as its curated set, compared the same way.
    press(&mut h, Modifiers::COMMAND, Key::PageDown);
    h.run_steps(4);
    let curated_b = proposed.join("nation/b.annotations.ron");
    assert_eq!(
        h.state().session().unwrap().set_path.as_deref(),
        Some(curated_b.as_path())
    );
    assert!(
        h.query_by_label_contains("same span, different tags (A: Drones; B: Talks)")
            .is_some()
    );
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    click(&mut h, "Accept both (Alt+O)");
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    let a = store::load(&proposed.join("dawn/a.annotations.ron")).unwrap();
    assert_eq!(a.annotations().len(), 1);
    assert_eq!(a.metadata.curation.unwrap().rejected, ["bob:bob-2"]);
    let b = store::load(&curated_b).unwrap();
    assert_eq!(b.annotations()[0].issues, ["Drones", "Talks"]);
    // The coders' sets are as they were; the corpus index holds theirs.
    assert_eq!(
        std::fs::read(study.join("dawn/a.annotations.ron")).unwrap(),
        own_a
    );
    assert_eq!(
        store::load(&study.join("nation/b.annotations.ron"))
            .unwrap()
            .annotations()
            .len(),
        2
    );
}

#[test]
fn another_clones_folder_is_compared_at_the_same_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    let theirs = dir.path().join("theirs");
    for root in [&mine, &theirs] {
        cli_support::put(root, "doha.txt", TEXT);
    }
    coded(
        &mine.join("doha.txt"),
        &[("alice", &[(4, 7, "Talks"), (16, 19, "Talks")])],
    );
    coded(
        &theirs.join("doha.txt"),
        &[("bob", &[(4, 7, "Talks"), (23, 27, "Talks")])],
    );
    let mut h = harness(open(&mine.join("doha.txt")));
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    h.get_by_role_and_label(Role::ComboBox, "Coding B:").click();
    h.run_steps(3);
    click(&mut h, "another clone or set file");
    clear_field(&mut h, "Other:");
    common::type_text(&mut h, &theirs.display().to_string());
    click(&mut h, "Compare");
    assert!(
        h.query_by_label_contains("A: alice (2 annotations")
            .is_some()
    );
    assert!(h.query_by_label_contains("B: bob (2 annotations").is_some());
    assert!(
        h.query_by_label_contains("2 disagreements, 1 agreeing pairs")
            .is_some()
    );
    let marks = h
        .state()
        .workspace()
        .unwrap()
        .compare_marks
        .clone()
        .unwrap();
    assert_eq!(marks.b, [(4, 7), (23, 27)]);
}

/// Opens `root` as a corpus and starts comparing its first document's two
/// coders.
fn compare_corpus(root: &Path) -> Harness<'static, MarginaliaApp> {
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut()
        .push(marginalia::app::model::FileIntent::Open(root.to_owned()));
    h.run_steps(3);
    h.state_mut().corpus_mut().unwrap().read_all_now();
    h.run_steps(2);
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    h
}

fn two_document_corpus(study: &Path) {
    cli_support::put(study, "dawn/a.txt", TEXT);
    cli_support::put(study, "nation/b.txt", "Drone strikes resumed on Monday.\n");
    coded(
        &study.join("dawn/a.txt"),
        &[
            ("alice", &[(4, 7, "Talks")]),
            ("bob", &[(4, 7, "Talks"), (16, 19, "Talks")]),
        ],
    );
    coded(
        &study.join("nation/b.txt"),
        &[
            ("alice", &[(0, 13, "Drones")]),
            ("bob", &[(0, 13, "Talks")]),
        ],
    );
}

#[test]
fn curating_never_writes_into_the_coders_sets_or_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    two_document_corpus(&study);
    let own_a = std::fs::read(study.join("dawn/a.annotations.ron")).unwrap();
    let own_b = std::fs::read(study.join("nation/b.annotations.ron")).unwrap();
    let mut h = compare_corpus(&study);
    let corpus = std::fs::read(study.join("corpus.ron")).ok();
    // The corpus folder itself is refused as the curation folder.
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    clear_field(&mut h, "Folder:");
    common::type_text(&mut h, &study.display().to_string());
    click(&mut h, "Curate into this folder");
    let e = h
        .state()
        .comparison()
        .unwrap()
        .error
        .clone()
        .unwrap_or_default();
    assert!(e.contains("a coding's own set"), "{e}");
    assert_eq!(
        h.state().session().unwrap().set_path.as_deref(),
        Some(study.join("dawn/a.annotations.ron").as_path())
    );
    // So is a folder inside it.
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    clear_field(&mut h, "Folder:");
    common::type_text(&mut h, &study.join("curated").display().to_string());
    click(&mut h, "Curate into this folder");
    let e = h
        .state()
        .comparison()
        .unwrap()
        .error
        .clone()
        .unwrap_or_default();
    assert!(e.contains("outside the corpus folder"), "{e}");

    // Into a folder outside: a tag renamed in the curated set stays there,
    // and undoing past the decisions reaches no corpus-wide step.
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    click(&mut h, "Curate into this folder");
    assert!(h.state().comparison().unwrap().curating());
    click(&mut h, "Take over agreeing (1)");
    // The coders' set changes on disk (a git pull) while the decision is
    // unsaved: the curated set is neither reloaded nor questioned.
    let own_path = study.join("dawn/a.annotations.ron");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let pulled = String::from_utf8(own_a.clone()).unwrap() + "\n";
    std::fs::write(&own_path, &pulled).unwrap();
    h.state_mut().corpus_mut().unwrap().read_all_now();
    h.state_mut().corpus_mut().unwrap().look_next_frame = true;
    h.run_steps(3);
    assert!(h.state().modal().is_none());
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    std::fs::write(&own_path, &own_a).unwrap();
    let s = h.state().session().unwrap();
    let mut tag = s.set.codebook.get(TagKind::Issue, "Talks").unwrap().clone();
    tag.name = "Negotiations".into();
    h.state_mut()
        .push(marginalia::app::model::DocIntent::Execute(
            Command::UpdateTag {
                kind: TagKind::Issue,
                name: "Talks".into(),
                tag,
            },
        ));
    h.run_steps(4);
    assert!(h.state().modal().is_none(), "no corpus-wide change planned");
    assert_eq!(
        h.state().session().unwrap().set.annotations()[0].issues,
        ["Negotiations"]
    );
    for _ in 0..4 {
        press(&mut h, Modifiers::COMMAND, Key::Z);
        h.run_steps(2);
    }
    assert!(h.state().session().unwrap().set.annotations().is_empty());
    press(&mut h, Modifiers::COMMAND, Key::PageDown);
    h.run_steps(4);
    assert_eq!(
        std::fs::read(study.join("dawn/a.annotations.ron")).unwrap(),
        own_a
    );
    assert_eq!(
        std::fs::read(study.join("nation/b.annotations.ron")).unwrap(),
        own_b
    );
    assert_eq!(std::fs::read(study.join("corpus.ron")).ok(), corpus);
}

#[test]
fn blind_coding_does_not_hide_the_curated_set() {
    let dir = tempfile::tempdir().unwrap();
    let article = two_coders(dir.path());
    let mut app = open(&article);
    app.prefs.coder = Some("alice".into());
    app.prefs.blind = true;
    let mut h = harness(app);
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    clear_field(&mut h, "Folder:");
    common::type_text(&mut h, &dir.path().join("curated").display().to_string());
    click(&mut h, "Curate into this folder");
    click(&mut h, "Take over agreeing (1)");
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    click(&mut h, "Accept B (Alt+B)");
    let s = h.state().session().unwrap();
    assert_eq!(s.hidden_count(), 0);
    let ids: Vec<&str> = s.set.annotations().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["carol-1", "carol-2"]);
    assert!(
        h.query_by_label_contains("3 disagreements, 2 to decide")
            .is_some()
    );
    // Opened again, the curated set shows all the curator's work.
    click(&mut h, "End comparison");
    click(&mut h, "Compare");
    click(&mut h, "Curate into this folder");
    let s = h.state().session().unwrap();
    assert_eq!(s.hidden_count(), 0);
    assert_eq!(s.set.annotations().len(), 2);
    assert!(
        h.query_by_label_contains("3 disagreements, 2 to decide")
            .is_some()
    );
}

#[test]
fn a_curated_set_keeps_its_codings_names_when_a_side_is_named_otherwise_today() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    let theirs = dir.path().join("theirs");
    for root in [&mine, &theirs] {
        cli_support::put(root, "doha.txt", TEXT);
    }
    coded(&mine.join("doha.txt"), &[("alice", &[(4, 7, "Talks")])]);
    coded(&theirs.join("doha.txt"), &[("bob", &[(4, 7, "Talks")])]);
    let curate = |h: &mut Harness<'_, MarginaliaApp>| {
        click(h, "View");
        click(h, "Compare with…");
        h.get_by_role_and_label(Role::ComboBox, "Coding A:").click();
        h.run_steps(3);
        click(h, "every annotation of this file");
        h.get_by_role_and_label(Role::ComboBox, "Coding B:").click();
        h.run_steps(3);
        click(h, "another clone or set file");
        clear_field(h, "Other:");
        common::type_text(h, &theirs.display().to_string());
        click(h, "Compare");
        clear_field(h, "Curator:");
        common::type_text(h, "carol");
        clear_field(h, "Folder:");
        common::type_text(h, &dir.path().join("curated").display().to_string());
        click(h, "Curate into this folder");
    };
    let mut h = harness(open(&mine.join("doha.txt")));
    curate(&mut h);
    click(&mut h, "Take over agreeing (1)");
    click(&mut h, "End comparison");
    click(&mut h, "Close");
    // An annotation without a coder: "every annotation of this file" is no
    // longer named "alice" today.
    let text = marginalia::core::text::Text::new(TEXT.into());
    let a = Annotation::new("x1".into(), &text, 39, 48, "t0");
    h.state_mut()
        .push(marginalia::app::model::DocIntent::Execute(
            Command::AddAnnotation(a),
        ));
    h.run_steps(3);
    curate(&mut h);
    assert!(h.state().comparison().unwrap().curating());
    assert!(
        h.query_by_label_contains("A: alice (2 annotations")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("1 agreeing, 0 to take over")
            .is_some()
    );
}

#[test]
fn a_mixed_script_crlf_article_with_a_bom_is_compared_and_curated_on_its_code_points() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("jirga.txt");
    std::fs::write(
        &article,
        "\u{feff}Jirga\r\n\r\nوزیر اعظم نے کہا کہ مذاکرات جاری رہیں گے۔\r\nThe elders (مشران) backed the talks 🇵🇰.\r\n",
    )
    .unwrap();
    let (mut s, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    let span = |s: &Session, w: &str| {
        let b = s.text.as_str().find(w).unwrap();
        let start = s.text.byte_to_char(b);
        (start, start + w.chars().count())
    };
    let (talks, elders, flag) = (span(&s, "مذاکرات"), span(&s, "مشران"), span(&s, "🇵🇰"));
    s.execute(Command::CreateTag(Tag::new(
        TagKind::Issue,
        "Talks",
        PALETTE[0],
    )))
    .unwrap();
    for (coder, spans) in [("alice", [talks, elders]), ("bob", [talks, flag])] {
        s.coder = Some(coder.into());
        for (start, end) in spans {
            let id = s.set.fresh_id_for(Some(coder));
            let mut a = Annotation::new(id, &s.text, start, end, "t0");
            a.issues = vec!["Talks".into()];
            s.execute(Command::AddAnnotation(a)).unwrap();
        }
    }
    s.save().unwrap();
    // The fonts first: the annotation list shows Urdu quotes.
    let mut h = common::harness_with_fonts(MarginaliaApp::empty(), false);
    h.state_mut()
        .push(marginalia::app::model::FileIntent::Open(article.clone()));
    h.run_steps(3);
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    assert!(
        h.query_by_label_contains("2 disagreements, 1 agreeing pairs")
            .is_some()
    );
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    assert_eq!(selection(&h), elders);
    assert!(h.query_by_label_contains("only A — “مشران”").is_some());
    clear_field(&mut h, "Curator:");
    common::type_text(&mut h, "carol");
    clear_field(&mut h, "Folder:");
    common::type_text(&mut h, &dir.path().join("curated").display().to_string());
    click(&mut h, "Curate into this folder");
    click(&mut h, "Take over agreeing (1)");
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(2);
    click(&mut h, "Accept A (Alt+A)");
    click(&mut h, "Accept both (Alt+O)");
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    // Saved on the article's code points: reopened, nothing moves.
    let curated = dir.path().join("curated/jirga.annotations.ron");
    let (back, warnings) = Session::open(&curated, &OpenOptions::default()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let quotes: Vec<&str> = back
        .set
        .annotations()
        .iter()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(quotes, ["مذاکرات", "مشران", "🇵🇰"]);
    assert!(back.set.orphans.is_empty());
}

#[test]
fn the_disagreement_list_can_be_scrolled_away_from_the_current_row() {
    // Fifty-nine words only Alice tagged: fifty-nine rows.
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("long.txt");
    let text: String = (0..60).map(|i| format!("word{i:02} ")).collect();
    std::fs::write(&article, &text).unwrap();
    let spans: Vec<(usize, usize, &str)> = (0..60).map(|i| (i * 7, i * 7 + 6, "Talks")).collect();
    coded(&article, &[("alice", &spans), ("bob", &[(0, 6, "Talks")])]);
    let mut h = harness(open(&article));
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    click(&mut h, "Compare");
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(4);
    let row = |h: &Harness<'_, MarginaliaApp>| h.get_by_label_contains("only A — “word01").rect();
    let before = row(&h);
    // The wheel over the list scrolls it; the current row does not pull it
    // back on the next frames.
    h.hover_at(before.center());
    for _ in 0..5 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run_steps(2);
    }
    h.run_steps(10);
    let after = row(&h);
    assert!(
        after.min.y < before.min.y - 100.0,
        "scrolled away: {before:?} → {after:?}"
    );
    // Stepping on reveals the new current row again.
    press(&mut h, Modifiers::NONE, Key::N);
    h.run_steps(40);
    assert_eq!(selection(&h), (14, 20), "{}", h.state().status.text);
    let second = h.get_by_label_contains("only A — “word02").rect();
    assert!(second.min.y >= before.min.y - 40.0, "{second:?}");
}

#[test]
fn a_rejection_is_reopened_after_the_curated_set_was_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let article = two_coders(dir.path());
    let mut h = harness(open(&article));
    let folder = dir.path().join("curated");
    let curate = |h: &mut Harness<'_, MarginaliaApp>| {
        if h.query_by_label("Compare").is_none() {
            click(h, "View");
            click(h, "Compare with…");
        }
        click(h, "Compare");
        clear_field(h, "Curator:");
        common::type_text(h, "carol");
        clear_field(h, "Folder:");
        common::type_text(h, &folder.display().to_string());
        click(h, "Curate into this folder");
    };
    curate(&mut h);
    h.get_by_label_contains("2. only A — “officials”").click();
    h.run_steps(4);
    click(&mut h, "Accept neither (Alt+X)");
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    click(&mut h, "End comparison");
    // Another session on the curated set: undo no longer reaches the
    // decision, the button does.
    curate(&mut h);
    assert_eq!(rejected(&h), Some(s(&["alice:alice-3"])));
    h.get_by_label_contains("2. only A — “officials” (decided)")
        .click();
    h.run_steps(4);
    assert!(
        h.get_by_label("Accept A (Alt+A)")
            .accesskit_node()
            .is_disabled()
    );
    click(&mut h, "Reopen decision");
    assert_eq!(rejected(&h), Some(Vec::new()));
    assert!(
        h.query_by_label_contains("2. only A — “officials” (decided)")
            .is_none()
    );
    click(&mut h, "Accept A (Alt+A)");
    assert_eq!(
        curated(&h),
        [(39, 48, s(&["Talks"]), s(&["alice:alice-3"]))]
    );
    // One undoable step, as a decision.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(rejected(&h), Some(s(&["alice:alice-3"])));
}

#[test]
fn the_compare_form_follows_the_document_it_would_compare() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    cli_support::put(&study, "a.txt", TEXT);
    cli_support::put(&study, "b.txt", "Drone strikes resumed on Monday.\n");
    coded(
        &study.join("a.txt"),
        &[("alice", &[(4, 7, "Talks")]), ("bob", &[(4, 7, "Talks")])],
    );
    coded(
        &study.join("b.txt"),
        &[("carol", &[(0, 5, "Drones")]), ("dan", &[(0, 5, "Talks")])],
    );
    let mut h = harness(MarginaliaApp::empty());
    h.state_mut()
        .push(marginalia::app::model::FileIntent::Open(study.clone()));
    h.run_steps(3);
    h.state_mut().corpus_mut().unwrap().read_all_now();
    h.run_steps(2);
    click(&mut h, "View");
    click(&mut h, "Compare with…");
    let side =
        |h: &Harness<'_, MarginaliaApp>, l: &str| h.get_by_label(l).value().unwrap_or_default();
    assert_eq!(
        (side(&h, "Coding A:"), side(&h, "Coding B:")),
        ("coder alice".into(), "coder bob".into())
    );
    // The coders follow the next document.
    press(&mut h, Modifiers::COMMAND, Key::PageDown);
    h.run_steps(4);
    assert!(
        h.state()
            .session()
            .unwrap()
            .article_path
            .as_ref()
            .unwrap()
            .ends_with("b.txt")
    );
    assert_eq!(
        (side(&h, "Coding A:"), side(&h, "Coding B:")),
        ("coder carol".into(), "coder dan".into())
    );
    click(&mut h, "Compare");
    assert!(
        h.query_by_label_contains("A: carol (1 annotations")
            .is_some()
    );
}
