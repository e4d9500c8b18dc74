//! Headless UI tests of the analyst workflow (egui_kittest): a section
//! coded with the keyboard alone, page keys, the command palette, find
//! options and tag-all, the last codebook, metadata, filters,
//! accessibility labels, preferences. (Navigation: `gui_navigation.rs`;
//! the codebook panel: `gui_codebook.rs`.)
#![cfg(feature = "gui")]

mod common;
use common::{ctrl_shift, harness, open, press, sample_copy, selected_text, type_text};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::app::MarginaliaApp;
use marginalia::app::model::*;
use marginalia::core::annotation::Stance;
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;

fn cp_of(h: &Harness<'_, MarginaliaApp>, phrase: &str) -> usize {
    let text = h.state().session().unwrap().text.as_str();
    let byte = text.find(phrase).expect("phrase in the sample");
    text[..byte].chars().count()
}

fn find(h: &mut Harness<'_, MarginaliaApp>, q: &str) {
    press(h, Modifiers::COMMAND, Key::F);
    // Replace the previous query.
    h.state_mut().find_mut().unwrap().query.clear();
    type_text(h, q);
    press(h, Modifiers::NONE, Key::Enter);
    press(h, Modifiers::NONE, Key::Escape);
}

#[test]
fn a_section_is_coded_with_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));

    // Find a passage, create an issue through the popup (it gets digit 1).
    find(&mut h, "NATO supply routes");
    assert_eq!(selected_text(h.state()), "NATO supply routes");
    press(&mut h, Modifiers::NONE, Key::T);
    type_text(&mut h, "Supply routes");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);

    // Move to another passage: find a word, extend by a word, tag with 1.
    find(&mut h, "Hillary");
    press(&mut h, ctrl_shift(), Key::ArrowRight);
    assert_eq!(selected_text(h.state()), "Hillary Clinton");
    press(&mut h, Modifiers::NONE, Key::Num1);
    let s = h.state().session().unwrap();
    assert_eq!(s.set.annotations().len(), 2);
    let id = h
        .state()
        .view()
        .selected
        .clone()
        .expect("the new annotation is selected");
    let hc = cp_of(&h, "Hillary Clinton");
    let ann = s.set.get(&id).unwrap();
    assert_eq!((ann.start, ann.end), (hc, hc + 15));
    assert_eq!(ann.issues, ["Supply routes"]);

    // Adjust its end: a word further, then a character back.
    press(&mut h, ctrl_shift(), Key::ArrowRight);
    let ann = h.state().session().unwrap().set.get(&id).unwrap().clone();
    let after_word = h
        .state()
        .session()
        .unwrap()
        .text
        .slice(ann.start, ann.end)
        .to_owned();
    assert!(after_word.starts_with("Hillary Clinton "), "{after_word}");
    assert!(after_word.len() > "Hillary Clinton ".len());
    press(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    let ann = h.state().session().unwrap().set.get(&id).unwrap().clone();
    assert_eq!(ann.end, hc + after_word.chars().count() - 1);
    // Both nudges of the end are one undo step; redo brings them back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let ann = h.state().session().unwrap().set.get(&id).unwrap().clone();
    assert_eq!((ann.start, ann.end), (hc, hc + 15));
    assert_eq!(ann.issues, ["Supply routes"], "one step back, not two");
    press(&mut h, ctrl_shift(), Key::Z);
    let ann = h.state().session().unwrap().set.get(&id).unwrap().clone();
    assert_eq!(ann.end, hc + after_word.chars().count() - 1);
    // `[` switches to the start: Shift+Right moves the start.
    press(&mut h, Modifiers::NONE, Key::OpenBracket);
    assert!(
        h.query_by_label_contains("Shift+arrows move its start")
            .is_some(),
        "the status bar says which end moves"
    );
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    let ann = h.state().session().unwrap().set.get(&id).unwrap().clone();
    assert_eq!(ann.start, hc + 1);
    press(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    press(&mut h, Modifiers::NONE, Key::CloseBracket);

    // Stance: S cycles (support, then oppose).
    press(&mut h, Modifiers::NONE, Key::S);
    press(&mut h, Modifiers::NONE, Key::S);
    let ann = h.state().session().unwrap().set.get(&id).unwrap().clone();
    assert_eq!(ann.stance, Some(Stance::Oppose));
    assert!(h.query_by_label_contains("stance: oppose").is_some());

    // Save and check the file.
    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(
        !h.state().title().contains('*'),
        "{}",
        h.state().status.text
    );
    let ron_path = dir.path().join("truce.annotations.ron");
    let ron = std::fs::read_to_string(&ron_path).unwrap();
    assert!(ron.contains("Supply routes"));
    let saved = marginalia::core::store::load(&ron_path).unwrap();
    assert_eq!(saved.annotations().len(), 2);
    let a = saved.get(&id).unwrap();
    assert_eq!((a.start, a.end), (hc, hc + after_word.chars().count() - 1));
    assert_eq!(a.stance, Some(Stance::Oppose));
    assert_eq!(a.issues, ["Supply routes"]);
    let text = std::fs::read_to_string(&article).unwrap();
    let quote: String = text.chars().skip(a.start).take(a.end - a.start).collect();
    assert_eq!(a.quote, quote);
}

#[test]
fn page_keys_and_article_ends_scroll_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    let len = h.state().session().unwrap().text.len_chars();
    assert_eq!(h.state().article_view().unwrap().scroll_offset(), 0.0);

    // Page Down scrolls about a screen and carries the caret along.
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let y1 = h.state().article_view().unwrap().scroll_offset();
    assert!(y1 > 300.0, "scrolled a screen, got {y1}");
    let c1 = h.state().view().selection.unwrap().head;
    assert!(c1 > 0 && c1 < len, "caret moved into the text: {c1}");
    let p = h
        .state()
        .article_view()
        .unwrap()
        .screen_pos_of(c1)
        .expect("caret on screen");
    let screen = h.state().article_view().unwrap().screen_rect.unwrap();
    assert!(
        screen.contains(p),
        "caret {p:?} on screen {screen:?}, y1 {y1}, c1 {c1}"
    );
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let y2 = h.state().article_view().unwrap().scroll_offset();
    assert!(y2 > y1 + 300.0, "second page: {y1} -> {y2}");
    assert!(h.state().view().selection.unwrap().head > c1);

    // Page Up comes back the same distance.
    press(&mut h, Modifiers::NONE, Key::PageUp);
    let y3 = h.state().article_view().unwrap().scroll_offset();
    assert!((y3 - y1).abs() < 1.0, "back to {y1}, got {y3}");

    // Ctrl+End and Ctrl+Home: the caret to the ends, the view follows.
    press(&mut h, Modifiers::COMMAND, Key::End);
    h.run_steps(4);
    assert_eq!(h.state().view().selection.unwrap().head, len);
    let bottom = h.state().article_view().unwrap().scroll_offset();
    assert!(bottom > y2, "scrolled to the end: {bottom}");
    // Page Down at the end keeps the caret at the end.
    press(&mut h, Modifiers::NONE, Key::PageDown);
    assert_eq!(h.state().view().selection.unwrap().head, len);
    press(&mut h, Modifiers::COMMAND, Key::Home);
    h.run_steps(4);
    assert_eq!(h.state().view().selection.unwrap().head, 0);
    assert_eq!(h.state().article_view().unwrap().scroll_offset(), 0.0);

    // Ctrl+Shift+End selects to the end of the article.
    let c = cp_of(&h, "frenemies");
    h.state_mut()
        .push(SelectionIntent::Set { anchor: c, head: c });
    h.run_steps(2);
    press(&mut h, ctrl_shift(), Key::End);
    assert_eq!(h.state().view().selection.unwrap().range(), (c, len));
    press(&mut h, ctrl_shift(), Key::Home);
    assert_eq!(h.state().view().selection.unwrap().range(), (0, c));
}

#[test]
fn command_palette_lists_actions_and_runs_them() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    assert!(!h.state().prefs.dark);
    press(&mut h, ctrl_shift(), Key::P);
    // Every action with its shortcut.
    assert!(h.query_by_label("Save codebook…").is_some());
    assert!(h.query_by_label("Ctrl+Shift+P").is_some());
    assert!(h.query_by_label("1 … 9").is_some());
    type_text(&mut h, "theme");
    assert!(h.query_by_label("Save codebook…").is_none(), "filtered");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().prefs.dark, "Enter ran the highlighted action");
    assert!(h.query_by_label("Toggle dark/light theme").is_none());
    // Esc closes; Down + Enter run the second match.
    press(&mut h, ctrl_shift(), Key::P);
    type_text(&mut h, "zoom");
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().prefs.zoom < 1.0, "Zoom out ran");
    press(&mut h, ctrl_shift(), Key::P);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("Save codebook…").is_none());
}

#[test]
fn find_options_count_and_tag_all_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    let text = h.state().session().unwrap().text.as_str().to_owned();
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "pakistan");
    let any_case = h.state().view().find_matches.len();
    let exact = text.matches("Pakistan").count();
    let lower = text.to_lowercase().matches("pakistan").count();
    assert_eq!(any_case, lower);
    h.get_by_label("Match case").click();
    h.run_steps(2);
    assert_eq!(
        h.state().view().find_matches.len(),
        text.matches("pakistan").count()
    );
    h.get_by_label("Match case").click();
    h.run_steps(2);
    h.get_by_label("Whole word").click();
    h.run_steps(2);
    let whole = h.state().view().find_matches.len();
    assert!(whole <= any_case && whole > 0);
    h.get_by_label("Whole word").click();
    h.run_steps(2);
    // Regex: an invalid one says so.
    h.get_by_label("Regex").click();
    h.run_steps(2);
    h.get_by_label("Find:").focus();
    h.run_steps(1);
    type_text(&mut h, "(");
    assert!(
        h.query_by_label_contains("invalid regular expression")
            .is_some()
    );
    h.state_mut().find_mut().unwrap().query = "Pakistan(i|'s)?".into();
    h.state_mut().push(ViewIntent::FindQueryChanged);
    h.run_steps(2);
    assert!(h.state().view().find_matches.len() >= exact);
    h.get_by_label("Regex").click();
    h.run_steps(2);
    h.state_mut().find_mut().unwrap().query = "Pakistan".into();
    h.state_mut().push(ViewIntent::FindQueryChanged);
    h.run_steps(2);
    h.get_by_label("Match case").click();
    h.run_steps(2);
    let n = h.state().view().find_matches.len();
    assert_eq!(n, exact);
    assert!(n >= 3);
    assert!(h.query_by_label(&format!("{n} matches")).is_some());
    h.get_by_label("Find:").focus();
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.query_by_label(&format!("2 of {n}")).is_some());
    press(&mut h, Modifiers::SHIFT, Key::Enter);
    assert!(h.query_by_label(&format!("1 of {n}")).is_some());

    // Tag all: skip the first (N), accept the second (Y), type a new actor.
    h.get_by_label("Tag all matches…").click();
    h.run_steps(2);
    press(&mut h, Modifiers::NONE, Key::N);
    press(&mut h, Modifiers::NONE, Key::Y);
    h.get_by_label("Tag:").focus();
    h.run_steps(1);
    type_text(&mut h, "Pakistan");
    h.get_by_label("kind: issue").click();
    h.run_steps(2);
    h.get_by_label(&format!("Apply to {} matches", n - 1))
        .click();
    h.run_steps(3);
    let s = h.state().session().unwrap();
    assert_eq!(s.set.annotations().len(), n - 1);
    assert!(s.set.annotations().iter().all(|a| a.actors == ["Pakistan"]));
    assert!(s.set.codebook.get(TagKind::Actor, "Pakistan").is_some());
    let first_match = h.state().view().find_matches[0];
    assert!(
        s.set.annotations().iter().all(|a| a.start != first_match.0),
        "the skipped match is not tagged"
    );
    // One undoable step.
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let s = h.state().session().unwrap();
    assert!(s.set.annotations().is_empty());
    assert!(s.set.codebook.get(TagKind::Actor, "Pakistan").is_none());
}

/// A menu entry (not the codebook row of the same name, which has a
/// tooltip).
fn with_tags(app: &mut MarginaliaApp, tags: &[(TagKind, &str, Option<&str>)]) {
    let s = app.session().unwrap();
    let mut cb = s.set.codebook.clone();
    for (k, n, p) in tags {
        let mut t = cb.new_tag(*k, n);
        t.parent = p.map(str::to_owned);
        cb.insert(t);
    }
    app.push(DocIntent::Execute(Command::SetCodebook(cb)));
}

#[test]
fn a_new_article_starts_with_the_last_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut app = open(&article);
    with_tags(&mut app, &[(TagKind::Actor, "ISI", None)]);
    let mut h = harness(app);
    press(&mut h, Modifiers::COMMAND, Key::S);
    let set = dir.path().join("truce.annotations.ron");
    assert!(set.exists());
    assert_eq!(
        h.state().prefs.last_set.as_deref(),
        Some(set.canonicalize().unwrap().as_path())
    );
    let other = dir.path().join("next.txt");
    std::fs::write(&other, "Another article about the ISI.\n").unwrap();
    h.state_mut().push(FileIntent::Open(other));
    h.run_steps(10);
    let s = h.state().session().unwrap();
    assert_eq!(s.display_name(), "next.txt");
    assert!(s.set.codebook.get(TagKind::Actor, "ISI").is_some());
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(
        h.state().session().unwrap().set.codebook.is_empty(),
        "undoable"
    );
}

fn clear_field(h: &mut Harness<'_, MarginaliaApp>, label: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press(Key::End);
    for _ in 0..40 {
        h.key_press(Key::Backspace);
    }
    h.run_steps(1);
}

#[test]
fn metadata_panel_edits_and_validates_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    h.get_by_label_contains("Document").click();
    h.run_steps(2);
    clear_field(&mut h, "Date");
    type_text(&mut h, "July 5, 2012");
    press(&mut h, Modifiers::NONE, Key::Tab);
    h.run_steps(2);
    assert_eq!(
        h.state().session().unwrap().set.metadata.date.as_deref(),
        Some("2012-07-05")
    );
    clear_field(&mut h, "Date");
    type_text(&mut h, "someday");
    press(&mut h, Modifiers::NONE, Key::Tab);
    h.run_steps(2);
    assert!(
        h.state().status.text.contains("is not a date"),
        "{}",
        h.state().status.text
    );
    assert_eq!(
        h.state().session().unwrap().set.metadata.date.as_deref(),
        Some("2012-07-05")
    );
    // The unreadable text stays in the field with the forms understood,
    // rather than being replaced by the old date.
    let field = h.get_by_role_and_label(Role::TextInput, "Date");
    assert_eq!(field.value().as_deref(), Some("someday"));
    assert!(h.query_all_by_label_contains("4 July 2012").count() >= 1);
    // A date written the British way is read.
    clear_field(&mut h, "Date");
    type_text(&mut h, "4 July 2012");
    press(&mut h, Modifiers::NONE, Key::Tab);
    h.run_steps(2);
    assert_eq!(
        h.state().session().unwrap().set.metadata.date.as_deref(),
        Some("2012-07-04")
    );
    h.get_by_label("Publication").focus();
    h.run_steps(1);
    type_text(&mut h, "Dawn");
    press(&mut h, Modifiers::NONE, Key::Tab);
    h.run_steps(2);
    assert_eq!(
        h.state()
            .session()
            .unwrap()
            .set
            .metadata
            .publication
            .as_deref(),
        Some("Dawn")
    );
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().session().unwrap().set.metadata.publication, None);
}

#[test]
fn filters_restrict_the_list_and_show_only_dims() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut app = open(&article);
    with_tags(
        &mut app,
        &[
            (TagKind::Issue, "Routes", None),
            (TagKind::Actor, "Clinton", None),
        ],
    );
    let mut h = harness(app);
    find(&mut h, "NATO supply routes");
    press(&mut h, Modifiers::NONE, Key::Num1);
    find(&mut h, "Hillary Clinton");
    press(&mut h, Modifiers::NONE, Key::Num2);
    press(&mut h, Modifiers::NONE, Key::S);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 2);
    h.get_by_label("Filter:").focus();
    h.run_steps(1);
    type_text(&mut h, "hillary");
    assert!(h.query_by_label("1 of 2 match the filter").is_some());
    assert!(h.state().workspace().unwrap().derived.filter().is_some());
    h.get_by_label("show only").click();
    h.run_steps(2);
    assert!(h.state().view().show_only);
    h.get_by_label("Clear filter").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("match the filter").is_none());
    // The list shows the stance.
    assert!(h.query_by_label("support").is_some());
}

#[test]
fn the_filtered_list_scrolls_to_the_selected_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut app = open(&article);
    // 80 annotations in text order; every other one has the note "even".
    let mut ids = Vec::new();
    for k in 0..80 {
        let s = app.session().unwrap();
        let start = 100 + k * 130;
        let id = format!("n{k:03}");
        let mut a = marginalia::core::annotation::Annotation::new(
            id.clone(),
            &s.text,
            start,
            start + 12,
            "t",
        );
        a.note = Some(if k % 2 == 0 { "even" } else { "odd" }.to_owned());
        app.push(DocIntent::Execute(Command::AddAnnotation(a)));
        ids.push(id);
    }
    let mut h = harness(app);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 80);
    h.get_by_label("Filter:").focus();
    h.run_steps(1);
    type_text(&mut h, "even");
    assert!(h.query_by_label("40 of 80 match the filter").is_some());
    let row_of = |h: &Harness<'_, MarginaliaApp>, id: &str| {
        let s = h.state().session().unwrap();
        let quote = s.set.get(id).unwrap().quote.clone();
        h.query_all_by_role_and_label(Role::Button, &quote).count()
    };
    // An "even" annotation halfway down the filtered list (row 20 of 40,
    // set index 40): selecting it (as a click in the text does) scrolls the
    // list to its row.
    let target = ids[40].clone();
    assert_eq!(row_of(&h, &target), 0, "not on screen yet");
    h.state_mut().push(SelectionIntent::SelectAnnotation {
        id: target.clone(),
        reveal: Reveal::InList,
    });
    h.run_steps(3);
    assert_eq!(row_of(&h, &target), 1, "its row is on screen");
    // Back to the first one.
    h.state_mut().push(SelectionIntent::SelectAnnotation {
        id: ids[0].clone(),
        reveal: Reveal::InList,
    });
    h.run_steps(3);
    assert_eq!(row_of(&h, &ids[0]), 1);
}

#[test]
fn buttons_have_labels_and_tab_reaches_widgets() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut app = open(&article);
    with_tags(&mut app, &[(TagKind::Issue, "Routes", None)]);
    let mut h = harness(app);
    // A tagged, selected annotation: its chips (with ×) and note field show.
    find(&mut h, "NATO supply routes");
    press(&mut h, Modifiers::NONE, Key::Num1);
    assert!(h.state().view().selected.is_some());
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    let controls = [
        Role::Button,
        Role::TextInput,
        Role::MultilineTextInput,
        Role::ComboBox,
        Role::CheckBox,
    ];
    let mut checked = 0;
    for node in h.query_all_by(|n| controls.contains(&n.role())) {
        let n = node.accesskit_node();
        let label = n.label().unwrap_or_default();
        assert!(
            label.chars().any(char::is_alphanumeric),
            "a {:?} without a readable label: {label:?}",
            n.role()
        );
        checked += 1;
    }
    assert!(checked > 30, "only {checked} controls");
    assert!(h.query_by_label("Remove issue Routes").is_some());
    assert!(
        h.query_by_role_and_label(Role::MultilineTextInput, "Note:")
            .is_some()
    );
    // The chip's × removes the tag from the annotation (undoable).
    h.get_by_label("Remove issue Routes").click();
    h.run_steps(2);
    assert!(
        h.state().session().unwrap().set.annotations()[0]
            .issues
            .is_empty()
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        h.state().session().unwrap().set.annotations()[0].issues,
        ["Routes"]
    );
    // Tab moves the keyboard focus through the widgets.
    press(&mut h, Modifiers::NONE, Key::Escape);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..12 {
        press(&mut h, Modifiers::NONE, Key::Tab);
        if let Some(id) = h.ctx.memory(|m| m.focused()) {
            seen.insert(id);
        }
    }
    assert!(seen.len() >= 8, "Tab reached only {} widgets", seen.len());
}

#[test]
fn preferences_hold_layout_and_zoom_but_no_user_data() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    // The side panel keeps the width of the first frame (a panel that
    // changes width lays out every wrapped label and the article again).
    let mut h = common::harness_after(open(&article), 1);
    let width = h.state().prefs.side_panel_width;
    h.run_steps(10);
    assert_eq!(h.state().prefs.side_panel_width, width);
    press(&mut h, Modifiers::COMMAND, Key::Plus);
    assert!(h.state().prefs.zoom > 1.0);
    press(&mut h, Modifiers::COMMAND, Key::Num0);
    assert_eq!(h.state().prefs.zoom, 1.0);
    // The article's font size is a preference of its own; zoom scales it.
    assert_eq!(h.state().article_view().unwrap().font_size(), Some(15.0));
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Larger article text (now 15 pt)").click();
    h.run_steps(2);
    assert_eq!(h.state().prefs.font_size, 16.0);
    assert_eq!(h.state().article_view().unwrap().font_size(), Some(16.0));
    press(&mut h, Modifiers::COMMAND, Key::Plus);
    let z = h.state().prefs.zoom;
    let laid_out = h.state().article_view().unwrap().font_size().unwrap();
    assert!((laid_out - 16.0 * z).abs() < 0.01, "{laid_out} = 16 × {z}");
    press(&mut h, Modifiers::COMMAND, Key::Num0);
    assert_eq!(h.state().prefs.font_size, 16.0, "zoom reset keeps the size");
    assert!(h.query_by_label_contains("Annotations (").is_some());
    press(&mut h, Modifiers::COMMAND, Key::B);
    assert!(h.state().prefs.side_panel_hidden);
    assert!(h.query_by_label_contains("Annotations (").is_none());
    press(&mut h, Modifiers::COMMAND, Key::B);
    assert!(h.query_by_label_contains("Annotations (").is_some());
    // Old preferences (without the new fields) still load; no annotation
    // data is serialised.
    let old: Prefs = ron::from_str("(dark: true, zoom: 1.5, recent: [])").unwrap();
    assert!(old.dark && !old.side_panel_hidden && old.last_set.is_none());
    assert_eq!(old.font_size, 15.0);
    let ron = ron::to_string(&h.state().prefs).unwrap();
    let back: Prefs = ron::from_str(&ron).unwrap();
    assert_eq!(back.font_size, 16.0, "the font size persists");
    let ron = ron::to_string(&h.state().prefs).unwrap();
    assert!(
        !ron.contains("annotations") && !ron.contains("quote"),
        "{ron}"
    );
}
