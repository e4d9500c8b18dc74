//! Headless UI tests of the core loop (egui_kittest): open the sample, find
//! a phrase, tag it with a new actor through the popup, save, reopen, see
//! it; a mouse-drag selection; a digit tag; undo and redo by keyboard.
#![cfg(feature = "gui")]

mod common;
use common::{ctrl_shift, harness, open, press, sample_copy, selected_text, type_text};

use egui::{Key, Modifiers, Vec2};
use egui_kittest::kittest::Queryable;
use marginalia::core::codebook::TagKind;

#[test]
fn find_tag_with_new_actor_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    assert!(!h.state().title().contains('*'));

    press(&mut h, Modifiers::COMMAND, Key::F);
    assert!(h.state().find().unwrap().open);
    type_text(&mut h, "NATO SUPPLY routes");
    assert_eq!(h.state().view().find_matches.len(), 1);
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(selected_text(h.state()), "NATO supply routes");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().find().unwrap().open, "Esc closes the find bar");
    assert_eq!(
        selected_text(h.state()),
        "NATO supply routes",
        "Esc keeps the selection"
    );

    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().tag_popup().is_some(), "Enter opens the tag popup");
    type_text(&mut h, "NATO logistics");
    press(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(h.state().tag_popup().unwrap().new_kind, TagKind::Actor);
    // The popup offers to create the actor.
    assert!(
        h.query_by_label_contains("Create actor “NATO logistics”")
            .is_some()
    );
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().tag_popup().is_none());

    let s = h.state().session().unwrap();
    assert_eq!(s.set.annotations().len(), 1);
    let a = &s.set.annotations()[0];
    assert_eq!(a.actors, ["NATO logistics"]);
    assert!(a.issues.is_empty());
    assert_eq!(s.text.slice(a.start, a.end), "NATO supply routes");
    let tag = s
        .set
        .codebook
        .get(TagKind::Actor, "NATO logistics")
        .unwrap();
    assert_eq!(tag.digit, Some(1));
    assert!(h.state().title().starts_with("truce.txt*"));

    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(
        !h.state().title().contains('*'),
        "saved: {}",
        h.state().status.text
    );
    let ron = dir.path().join("truce.annotations.ron");
    let written = std::fs::read_to_string(&ron).expect("RON written beside the article");
    assert!(written.contains("NATO logistics"));
    assert!(written.contains("NATO supply routes"));

    // A fresh app on the same article shows the annotation in its list.
    let mut h2 = harness(open(&article));
    let s2 = h2.state().session().unwrap();
    assert_eq!(s2.set.annotations().len(), 1);
    assert_eq!(s2.set.annotations()[0].actors, ["NATO logistics"]);
    h2.run_steps(2);
    assert!(h2.query_by_label_contains("NATO supply routes").is_some());
    assert!(h2.query_by_label_contains("Annotations (1)").is_some());
}

#[test]
fn drag_selects_then_digit_tags_and_undo_redo() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut app = open(&article);
    // A tag bound to digit 1.
    {
        let s = app.session().unwrap();
        let tag = s.set.codebook.new_tag(TagKind::Issue, "Apologies");
        assert_eq!(tag.digit, Some(1));
        app.push(marginalia::app::model::DocIntent::Execute(
            marginalia::core::command::Command::CreateTag(tag),
        ));
    }
    let mut h = harness(app);
    let text = h.state().session().unwrap().text.as_str().to_owned();
    let phrase = "Hillary Clinton";
    let byte = text.find(phrase).unwrap();
    let start = text[..byte].chars().count();
    let end = start + phrase.chars().count();
    let p0 = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(start)
        .unwrap();
    let p1 = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(end)
        .unwrap();
    h.hover_at(p0);
    h.step();
    h.drag_at(p0);
    h.step();
    h.hover_at(p0 + Vec2::new(8.0, 0.0));
    h.step();
    h.hover_at(p1);
    h.step();
    h.drop_at(p1);
    h.run_steps(2);
    assert_eq!(selected_text(h.state()), phrase);

    press(&mut h, Modifiers::NONE, Key::Num1);
    let s = h.state().session().unwrap();
    assert_eq!(s.set.annotations().len(), 1);
    assert_eq!(s.set.annotations()[0].issues, ["Apologies"]);
    assert_eq!(
        (s.set.annotations()[0].start, s.set.annotations()[0].end),
        (start, end)
    );
    assert!(h.state().title().contains('*'));

    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
    press(&mut h, Modifiers::COMMAND, Key::Y);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
    press(&mut h, ctrl_shift(), Key::Z);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);

    // Shift+arrows adjust the selection; Ctrl+Shift+Right extends by a word.
    press(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    assert_eq!(selected_text(h.state()), "Hillary Clinto");
    press(&mut h, ctrl_shift(), Key::ArrowRight);
    assert_eq!(selected_text(h.state()), "Hillary Clinton");
    press(&mut h, ctrl_shift(), Key::ArrowRight);
    assert_eq!(selected_text(h.state()), "Hillary Clinton said");

    // Clicking a highlight selects its annotation; Delete removes it.
    let mid = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(start + 3)
        .unwrap();
    h.get_by_label_contains("Annotations (1)");
    h.hover_at(mid);
    h.step();
    h.drag_at(mid);
    h.step();
    h.drop_at(mid);
    h.run_steps(2);
    assert!(
        h.state().view().selected.is_some(),
        "click selects the annotation"
    );
    press(&mut h, Modifiers::NONE, Key::Delete);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 0);
}

#[test]
fn double_click_selects_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    let text = h.state().session().unwrap().text.as_str().to_owned();
    let byte = text.find("frenemies").unwrap();
    let start = text[..byte].chars().count();
    let p = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(start + 2)
        .unwrap();
    h.hover_at(p);
    h.step();
    for _ in 0..2 {
        // Press and release within one frame: a click (twice: a double-click).
        common::press_release(&mut h, p);
        h.step();
    }
    h.run_steps(2);
    assert_eq!(selected_text(h.state()), "frenemies");
}

#[test]
fn opening_another_file_with_unsaved_changes_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "Another article.\r\nSecond line.\n").unwrap();
    let mut h = harness(open(&article));
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "frenemies");
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::T);
    type_text(&mut h, "Rhetoric");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().title().contains('*'));

    h.state_mut()
        .push(marginalia::app::model::FileIntent::Open(other.clone()));
    h.run_steps(3);
    assert!(h.state().is_asking_to_save());
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    assert!(!h.state().is_asking_to_save());
    assert_eq!(h.state().session().unwrap().display_name(), "truce.txt");

    h.state_mut()
        .push(marginalia::app::model::FileIntent::Open(other));
    h.run_steps(3);
    h.get_by_label("Discard").click();
    h.run_steps(3);
    let s = h.state().session().unwrap();
    assert_eq!(s.display_name(), "other.txt");
    assert_eq!(h.state().title(), "other.txt — Marginalia");
    assert!(
        !dir.path().join("truce.annotations.ron").exists(),
        "discarded, not saved"
    );
}

/// A line longer than a block is cut into blocks that read as one
/// paragraph: each block goes on on the row where the one before it ends,
/// and clicks and drags across the joins land on the right characters.
#[test]
fn a_very_long_line_reads_as_one_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("long.txt");
    let words = [
        "analysts", "code", "a", "passage", "with", "issues", "and", "actors",
    ];
    let mut line = String::new();
    let mut k = 0;
    while line.len() < 30_000 {
        line.push_str(words[k % words.len()]);
        line.push(' ');
        k += 7;
    }
    std::fs::write(&article, format!("Title\n{line}\nEnd.\n")).unwrap();
    let mut h = harness(open(&article));
    let blocks = h.state().article_view().unwrap().blocks().to_vec();
    assert!(blocks.len() >= 8, "{} blocks", blocks.len());
    let joins: Vec<usize> = blocks.iter().filter(|b| b.cont).map(|b| b.start).collect();
    assert!(joins.len() >= 6, "{joins:?}");
    let mut same_row = 0;
    for &j in &joins[..5] {
        h.state_mut()
            .push(marginalia::app::model::SelectionIntent::ScrollTo(j));
        h.run_steps(4);
        let view = h.state().article_view().unwrap();
        let before = view.screen_pos_of(j - 1).expect("laid out");
        let after = view.screen_pos_of(j).expect("laid out");
        let after2 = view.screen_pos_of(j + 1).expect("laid out");
        let row = after2.y - after.y;
        assert!(row.abs() < 0.5, "the join's word is on one row");
        if (after.y - before.y).abs() < 0.5 {
            // Same row: the next block goes on right after the space.
            assert!(after.x > before.x, "{before:?} then {after:?}");
            same_row += 1;
        } else {
            // The previous row was full: the word starts the next row.
            assert!(after.y > before.y && after.y - before.y < 40.0);
        }
        // A click on the last character before the join selects a caret
        // there (the previous block's text, not the next one's).
        let p = before + Vec2::new(1.0, 0.0);
        h.hover_at(p);
        h.step();
        h.drag_at(p);
        h.step();
        h.drop_at(p);
        h.run_steps(2);
        let caret = h.state().view().selection.expect("caret").head;
        assert!(
            caret + 2 >= j && caret <= j,
            "click left of the join put the caret at {caret}, join {j}"
        );
    }
    assert!(same_row >= 3, "only {same_row} joins share a row");
    // A drag across a join selects through it.
    let j = joins[0];
    h.state_mut()
        .push(marginalia::app::model::SelectionIntent::ScrollTo(j));
    h.run_steps(4);
    let a = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(j - 20)
        .unwrap();
    let b = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(j + 20)
        .unwrap();
    h.hover_at(a);
    h.step();
    h.drag_at(a);
    h.step();
    h.hover_at(a + Vec2::new(8.0, 0.0));
    h.step();
    h.hover_at(b);
    h.step();
    h.drop_at(b);
    h.run_steps(2);
    let (s, e) = h.state().view().selection.unwrap().range();
    assert!(s < j && e > j, "selection {s}..{e} spans the join {j}");
}
