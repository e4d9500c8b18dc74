//! Headless UI tests (egui_kittest) of moving around the article with the
//! keyboard: the caret and its motions, N / P through the annotations (all,
//! or those of a focused tag), O through the annotations at the cursor, E
//! for the note, Delete with undo. One behaviour per test.
#![cfg(feature = "gui")]

mod common;
use common::{harness, open, press, press_release, sample_copy, selected_text, type_text};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::app::MarginaliaApp;
use marginalia::app::model::*;
use marginalia::core::annotation::Annotation;
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;

fn cp_of(h: &Harness<'_, MarginaliaApp>, phrase: &str) -> usize {
    let text = h.state().session().unwrap().text.as_str();
    let byte = text.find(phrase).expect("phrase in the sample");
    text[..byte].chars().count()
}

/// Clicks the article at code point `cp`.
fn click_at(h: &mut Harness<'_, MarginaliaApp>, cp: usize) {
    let view = h.state().article_view().unwrap();
    let p = view.screen_pos_of(cp).expect("laid out");
    h.hover_at(p);
    h.step();
    press_release(h, p);
    h.run_steps(2);
}

/// The sample with actors "Clinton" (1) and "US" (2) and three
/// annotations: a1 "Hillary Clinton" (Clinton), a2 "Clinton" inside it
/// (US), a3 "frenemies" (US). Nothing selected. The folder lives as long
/// as the returned guard.
fn with_three_annotations() -> (tempfile::TempDir, Harness<'static, MarginaliaApp>) {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut app = open(&article);
    let s = app.session().unwrap();
    let text = s.text.as_str();
    let at = |p: &str| text[..text.find(p).unwrap()].chars().count();
    let (hc, fr) = (at("Hillary Clinton"), at("frenemies"));
    let mut t1 = s.set.codebook.new_tag(TagKind::Actor, "Clinton");
    t1.digit = Some(1);
    let mut t2 = t1.clone();
    t2.name = "US".into();
    t2.digit = Some(2);
    let mut cmds = vec![Command::CreateTag(t1), Command::CreateTag(t2)];
    for (id, a, b, tag) in [
        ("a1", hc, hc + 15, "Clinton"),
        ("a2", hc + 8, hc + 15, "US"),
        ("a3", fr, fr + 9, "US"),
    ] {
        let mut ann = Annotation::new(id.into(), &s.text, a, b, "2024-01-01T00:00:00Z");
        ann.add_tag(TagKind::Actor, tag);
        cmds.push(Command::AddAnnotation(ann));
    }
    let label = "setup".into();
    app.push(DocIntent::Execute(Command::Batch {
        label,
        commands: cmds,
    }));
    (dir, harness(app))
}

fn selected(h: &Harness<'_, MarginaliaApp>) -> Option<String> {
    h.state().view().selected.clone()
}

#[test]
fn a_click_puts_the_caret_and_arrows_move_and_extend_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    let start = cp_of(&h, "frenemies");
    click_at(&mut h, start + 2);
    let sel = h.state().view().selection.unwrap();
    assert!(sel.is_empty());
    let c = sel.head;
    assert!((start..=start + 3).contains(&c), "caret at {c}");
    press(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert_eq!(h.state().view().selection.unwrap().head, c + 1);
    press(&mut h, Modifiers::NONE, Key::W);
    assert_eq!(selected_text(h.state()), "frenemies");
    press(&mut h, Modifiers::NONE, Key::ArrowLeft);
    assert_eq!(h.state().view().selection.unwrap().head, start);
    press(&mut h, Modifiers::SHIFT, Key::End);
    let s = h.state().session().unwrap();
    let line = s.text.line_of_char(start);
    let (line_start, line_end) = (s.text.line_start(line), s.text.line_end(line));
    let range = |h: &Harness<'_, MarginaliaApp>| h.state().view().selection.unwrap().range();
    assert_eq!(range(&h), (start, line_end));
    press(&mut h, Modifiers::SHIFT, Key::Home);
    assert_eq!(range(&h), (line_start, start));
}

#[test]
fn n_and_p_visit_the_annotations_in_text_order() {
    let (_dir, mut h) = with_three_annotations();
    let order: Vec<String> = h
        .state()
        .session()
        .unwrap()
        .set
        .annotations()
        .iter()
        .map(|a| a.id.clone())
        .collect();
    press(&mut h, Modifiers::NONE, Key::N);
    let first = selected(&h).unwrap();
    press(&mut h, Modifiers::NONE, Key::N);
    let second = selected(&h).unwrap();
    let i = order.iter().position(|x| *x == first).unwrap();
    assert_eq!(second, order[(i + 1) % order.len()]);
    press(&mut h, Modifiers::NONE, Key::P);
    assert_eq!(selected(&h).as_deref(), Some(first.as_str()));
}

#[test]
fn a_focused_tag_restricts_n_to_its_annotations() {
    let (_dir, mut h) = with_three_annotations();
    h.get_by(|n| {
        n.label().as_deref() == Some("Clinton")
            && n.description().is_some_and(|d| d.contains("focus"))
    })
    .click();
    h.run_steps(2);
    assert_eq!(
        h.state().view().focused_tag,
        Some((TagKind::Actor, "Clinton".to_owned()))
    );
    for _ in 0..3 {
        press(&mut h, Modifiers::NONE, Key::N);
        assert_eq!(selected(&h).as_deref(), Some("a1"));
    }
}

#[test]
fn o_cycles_the_annotations_at_the_cursor_and_hover_names_them() {
    let (_dir, mut h) = with_three_annotations();
    let hc = cp_of(&h, "Hillary Clinton");
    click_at(&mut h, hc + 10);
    // The hover label names the tags (not colour alone).
    assert!(
        h.query_by(
            |n| n.role() != Role::Label && n.label().is_some_and(|l| l.contains("actor: Clinton"))
        )
        .is_some()
    );
    let a = selected(&h).unwrap();
    press(&mut h, Modifiers::NONE, Key::O);
    let b = selected(&h).unwrap();
    press(&mut h, Modifiers::NONE, Key::O);
    assert_ne!(a, b);
    assert_eq!(selected(&h).unwrap(), a, "two overlapping: O alternates");
    let mut ab = [a, b];
    ab.sort();
    assert_eq!(ab, ["a1", "a2"]);
}

#[test]
fn e_edits_the_note_and_the_find_bar_finds_it_in_notes() {
    let (_dir, mut h) = with_three_annotations();
    press(&mut h, Modifiers::NONE, Key::N);
    press(&mut h, Modifiers::NONE, Key::E);
    h.run_steps(2);
    type_text(&mut h, "Clinton apologised.\nSecond line.");
    press(&mut h, Modifiers::COMMAND, Key::Enter);
    let id = selected(&h).unwrap();
    let s = h.state().session().unwrap();
    let note = s.set.get(&id).unwrap().note.clone();
    assert_eq!(note.as_deref(), Some("Clinton apologised.\nSecond line."));
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "apologised");
    assert!(h.state().view().find_matches.is_empty(), "not in the text");
    h.get_by_label("In notes").click();
    h.run_steps(2);
    assert_eq!(h.state().view().find_matches.len(), 1);
}

#[test]
fn delete_removes_the_selected_annotation_and_undo_restores_it() {
    let (_dir, mut h) = with_three_annotations();
    h.state_mut().push(SelectionIntent::SelectAnnotation {
        id: "a3".into(),
        reveal: Reveal::InArticle,
    });
    h.run_steps(2);
    press(&mut h, Modifiers::NONE, Key::Delete);
    assert!(h.state().session().unwrap().set.get("a3").is_none());
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.state().session().unwrap().set.get("a3").is_some());
}
