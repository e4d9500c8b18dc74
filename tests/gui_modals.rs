//! Headless UI tests (egui_kittest) of the dialogs' keys: Enter runs the
//! default button and closes the dialog, Esc in the tag-all review's name
//! field only leaves the field.
#![cfg(feature = "gui")]

mod common;
use common::{harness, open, press, press_release, sample_copy, tag_start, type_text};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::app::model::*;
use marginalia::core::codebook::TagKind;

#[test]
fn enter_in_the_delete_tag_question_deletes_and_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    tag_start(&mut h, TagKind::Issue, "Start");
    h.state_mut().push(ModalIntent::ConfirmDeleteTag {
        kind: TagKind::Issue,
        name: "Start".into(),
    });
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("It is used by 1 annotation")
            .is_some()
    );
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().modal().is_none(), "the question closed");
    let s = h.state().session().unwrap();
    assert!(s.set.codebook.get(TagKind::Issue, "Start").is_none());
}

#[test]
fn esc_in_the_tag_all_name_field_keeps_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Pakistan");
    h.get_by_label("Tag all matches…").click();
    h.run_steps(3);
    assert!(matches!(h.state().modal(), Some(Modal::TagAll(_))));
    // Skip the first match, then go to the name field and leave it by Esc.
    press(&mut h, Modifiers::NONE, Key::N);
    h.get_by_role_and_label(Role::TextInput, "Tag:").focus();
    h.run_steps(1);
    type_text(&mut h, "Places");
    press(&mut h, Modifiers::NONE, Key::Escape);
    match h.state().modal() {
        Some(Modal::TagAll(t)) => {
            assert_eq!(t.name, "Places");
            assert!(!t.review.accepted[0], "the skip is kept");
        }
        other => panic!("the review closed: {other:?}"),
    }
    // Esc again, outside the field, cancels the review.
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().modal().is_none());
}

#[test]
fn a_click_on_the_backdrop_closes_the_export_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    press(&mut h, Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    assert!(h.state().export_dialog().is_some());
    let p = egui::pos2(10.0, 700.0);
    h.hover_at(p);
    h.step();
    press_release(&mut h, p);
    h.run_steps(3);
    assert!(
        h.state().export_dialog().is_none(),
        "closed by the backdrop"
    );
}

#[test]
fn the_coders_name_is_asked_shown_and_written_on_what_they_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    // Before a name: said in the status bar; a new annotation names no one.
    h.get_by_label("no coder name");
    tag_start(&mut h, TagKind::Issue, "Start");
    let first = h.state().session().unwrap().set.annotations()[0].clone();
    assert_eq!(first.coder, None);
    // The first start asks (the window pushes this intent).
    h.state_mut().push(ModalIntent::OpenCoderName);
    h.run_steps(3);
    h.get_by_label("Who is coding?");
    type_text(&mut h, "amina");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    assert!(h.state().modal().is_none(), "Enter keeps the name");
    assert_eq!(h.state().prefs.coder.as_deref(), Some("amina"));
    assert!(h.state().prefs.coder_asked);
    h.get_by_label("coder: amina");
    // Tagging the existing annotation again changes it: it becomes hers.
    h.state_mut()
        .push(SelectionIntent::Set { anchor: 0, head: 3 });
    h.state_mut().push(DocIntent::ApplyTag {
        kind: TagKind::Actor,
        name: "Someone".into(),
        create: true,
    });
    h.run_steps(3);
    let set = &h.state().session().unwrap().set;
    let a = set.get(&first.id).unwrap();
    assert_eq!(a.coder.as_deref(), Some("amina"), "{a:?}");
    // A new annotation is hers, with an id no other coder's clone picks.
    h.state_mut()
        .push(SelectionIntent::Set { anchor: 4, head: 9 });
    h.state_mut().push(DocIntent::ApplyTag {
        kind: TagKind::Issue,
        name: "Start".into(),
        create: false,
    });
    h.run_steps(3);
    let set = &h.state().session().unwrap().set;
    let new = set.get("amina-1").expect("a coder-prefixed id");
    assert_eq!(
        (new.start, new.end, new.coder.as_deref()),
        (4, 9, Some("amina"))
    );
    // A click on the status bar's name edits it; Esc ("Not now") keeps it.
    h.get_by_label("coder: amina").click();
    h.run_steps(3);
    h.get_by_label("Who is coding?");
    press(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    assert!(h.state().modal().is_none());
    assert_eq!(h.state().prefs.coder.as_deref(), Some("amina"));
}

#[test]
fn blind_coding_shows_only_my_annotations_and_saves_the_others_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    let add = |h: &mut egui_kittest::Harness<'_, marginalia::app::MarginaliaApp>,
               coder: &str,
               at: usize| {
        h.state_mut().prefs.coder = Some(coder.into());
        h.state_mut().push(SelectionIntent::Set {
            anchor: at,
            head: at + 4,
        });
        h.state_mut().push(DocIntent::ApplyTag {
            kind: TagKind::Issue,
            name: "Talks".into(),
            create: true,
        });
        h.run_steps(3);
    };
    add(&mut h, "ann", 0);
    add(&mut h, "bob", 10);
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    // bob codes blind: ann's annotation is neither shown nor counted.
    h.state_mut().push(Action::ToggleBlind.intent());
    h.run_steps(4);
    let s = h.state().session().unwrap();
    let coders: Vec<Option<&str>> = s
        .set
        .annotations()
        .iter()
        .map(|a| a.coder.as_deref())
        .collect();
    assert_eq!(coders, [Some("bob")]);
    assert_eq!(s.hidden_count(), 1);
    assert_eq!(
        s.set.count_tag(TagKind::Issue, "Talks"),
        1,
        "the panel counts bob's only"
    );
    h.get_by_label("coder: bob (blind: others hidden)");
    // bob adds another and saves: ann's comes back into the file unchanged.
    add(&mut h, "bob", 20);
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    let set_path = h.state().session().unwrap().set_path.clone().unwrap();
    let on_disk = marginalia::core::store::load(&set_path).unwrap();
    let mut coders: Vec<&str> = on_disk
        .annotations()
        .iter()
        .filter_map(|a| a.coder.as_deref())
        .collect();
    coders.sort();
    assert_eq!(coders, ["ann", "bob", "bob"]);
    // Off again: everyone's annotations are shown.
    h.state_mut().push(Action::ToggleBlind.intent());
    h.run_steps(4);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 3);
    assert_eq!(h.state().session().unwrap().hidden_count(), 0);
}

#[test]
fn kept_merge_conflicts_are_listed_and_each_resolves_in_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    // A set as the merge driver leaves it: ours and the other side's copy.
    let mut h = harness(open(&article));
    tag_start(&mut h, TagKind::Issue, "Start");
    let set = h.state().session().unwrap().set.clone();
    let id = set.annotations()[0].id.clone();
    let (mut ours, mut theirs) = (set.clone(), set.clone());
    let mut a = ours.annotations()[0].clone();
    a.note = Some("ours".into());
    ours.set_annotations(vec![a.clone()]);
    a.note = Some("theirs".into());
    theirs.set_annotations(vec![a]);
    let merged = marginalia::core::merge::merge_sets(Some(&set), &ours, &theirs)
        .unwrap()
        .value;
    let set_path = marginalia::core::store::set_path_for(&article);
    marginalia::core::store::save(&set_path, &merged).unwrap();
    // That session is over (its recovery journal with it).
    drop(h);
    for e in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "journal") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let mut h = harness(open(&article));
    assert!(h.state().modal().is_none(), "{:?}", h.state().modal());
    h.run_steps(2);
    h.get_by_label("Merge conflicts (1)");
    let at = h.get_by_label("Keep theirs").rect().center();
    h.hover_at(at);
    h.step();
    press_release(&mut h, at);
    h.run_steps(3);
    let s = &h.state().session().unwrap().set;
    assert_eq!(s.annotations().len(), 1);
    assert_eq!(s.get(&id).unwrap().note.as_deref(), Some("theirs"));
    assert!(s.get(&id).unwrap().conflict_of.is_none());
    assert!(
        h.query_by_label("Merge conflicts (1)").is_none(),
        "resolved: the panel goes"
    );
    // One undo brings the conflict back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(
        h.state().session().unwrap().set.annotations(),
        merged.annotations()
    );
    h.get_by_label("Merge conflicts (1)");
}
