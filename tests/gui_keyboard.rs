//! Headless UI tests (egui_kittest) of the keyboard rules of the window:
//! `Ctrl+F` always replaces the query, every modal takes `Enter` for its
//! default button and `Esc` for cancel with no shortcut acting behind it,
//! stray typing never lands in the article after a click on a control, and
//! the note editor's `Esc` discards.
#![cfg(feature = "gui")]

mod common;
use common::{harness, open, press, sample_copy, tag_start, type_text};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::app::model::*;
use marginalia::core::codebook::TagKind;

#[test]
fn ctrl_f_again_selects_the_query_so_typing_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Waziristan");
    press(&mut h, Modifiers::NONE, Key::Enter);
    // Tag the match, as an analyst would, then look for a second name with
    // the bar still open.
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::Enter);
    type_text(&mut h, "Places");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Haqqani");
    assert_eq!(h.state().find().unwrap().query, "Haqqani");
    assert!(!h.state().view().find_matches.is_empty());
    // And again while the bar is open and has the keyboard.
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Clinton");
    assert_eq!(h.state().find().unwrap().query, "Clinton");
}

#[test]
fn reopening_the_find_bar_shows_the_matches_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Pakistan");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().find().unwrap().open);
    press(&mut h, Modifiers::COMMAND, Key::F);
    assert!(h.query_by_label("no match").is_none());
    assert!(!h.state().view().find_matches.is_empty());
    let tag_all = h.get_by_label("Tag all matches…");
    assert!(
        !tag_all.accesskit_node().is_disabled(),
        "Tag all is offered at once"
    );
}

#[test]
fn clicking_a_find_option_keeps_the_keyboard_in_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let mut h = harness(open(&article));
    // An annotation the stray keys would reach: `n` selects it, `e` opens
    // its note.
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Clinton");
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::Enter);
    type_text(&mut h, "People");
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.get_by_label("Whole word").click();
    h.run_steps(2);
    type_text(&mut h, "Panetta");
    let s = h.state().session().unwrap();
    assert!(
        s.set.annotations().iter().all(|a| a.note.is_none()),
        "no note was written"
    );
    assert!(h.state().find().unwrap().query.ends_with("Panetta"));
    assert!(h.state().find().unwrap().options.whole_word);
}

#[test]
fn after_a_click_leaves_a_text_field_keys_wait_until_esc() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    tag_start(&mut h, TagKind::Issue, "Start");
    h.state_mut().push(SelectionIntent::Clear);
    // Type in the filter field, then click its "show only" box.
    h.get_by_role_and_label(Role::TextInput, "Filter:").focus();
    h.run_steps(1);
    type_text(&mut h, "x");
    h.get_by_label("show only").click();
    h.run_steps(2);
    press(&mut h, Modifiers::NONE, Key::N);
    assert_eq!(
        h.state().view().selected,
        None,
        "N did not act behind the click"
    );
    // Esc gives the keys back to the article.
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::N);
    assert!(h.state().view().selected.is_some(), "N works again");
}

#[test]
fn the_recovery_prompt_takes_enter_and_holds_back_shortcuts() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = dir.path().join("fallback");
    let article = sample_copy(dir.path());
    let set = dir.path().join("truce.annotations.ron");
    {
        let mut app = open(&article);
        app.set_recovery_dir(&fallback);
        let mut h = harness(app);
        let text = h.state().session().unwrap().text.as_str().to_owned();
        let b = text.find("Clinton").unwrap();
        let a = text[..b].chars().count();
        h.state_mut().push(SelectionIntent::Set {
            anchor: a,
            head: a + 7,
        });
        h.state_mut().push(DocIntent::ApplyTag {
            kind: TagKind::Actor,
            name: "Clinton".into(),
            create: true,
        });
        h.run_steps(4);
        h.state_mut().flush_journal().unwrap();
    }
    let mut app = open(&article);
    app.set_recovery_dir(&fallback);
    let mut h = harness(app);
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    // The first start's "Who is coding?" never replaces the prompt.
    h.state_mut().push(ModalIntent::OpenCoderName);
    h.run_steps(3);
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    assert!(h.query_by_label("Who is coding?").is_none());
    assert!(!h.state().prefs.coder_asked, "asked at the next start");
    // Ctrl+S behind the prompt does nothing: no empty set is saved.
    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(!set.exists(), "nothing saved behind the prompt");
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    // Enter runs the default button: Restore.
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 1);
    assert!(h.state().title().contains('*'));
}

#[test]
fn esc_in_the_recovery_prompt_is_not_now() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = dir.path().join("fallback");
    let article = sample_copy(dir.path());
    {
        let mut app = open(&article);
        app.set_recovery_dir(&fallback);
        let mut h = harness(app);
        tag_start(&mut h, TagKind::Issue, "Start");
        h.state_mut().flush_journal().unwrap();
    }
    let mut app = open(&article);
    app.set_recovery_dir(&fallback);
    let mut h = harness(app);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    assert!(h.state().status.text.contains("not restored"));
    assert!(h.state().session().unwrap().set.annotations().is_empty());
}

#[test]
fn the_typed_path_box_opens_on_enter() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample_copy(dir.path());
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "Another article about the ISI.\n").unwrap();
    let mut h = harness(open(&article));
    // No native dialog here: Ctrl+O shows the typed-path box.
    press(&mut h, Modifiers::COMMAND, Key::O);
    assert!(h.query_by_label("Open article").is_some());
    type_text(&mut h, &other.display().to_string());
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().modal().is_none(), "the box closed");
    let name = h.state().session().unwrap().display_name();
    assert_eq!(name, "other.txt");
}

#[test]
fn esc_in_the_note_editor_discards_the_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    tag_start(&mut h, TagKind::Issue, "Start");
    press(&mut h, Modifiers::NONE, Key::E);
    type_text(&mut h, "a memo I did not mean");
    press(&mut h, Modifiers::NONE, Key::Escape);
    let a = &h.state().session().unwrap().set.annotations()[0];
    assert_eq!(a.note, None, "Esc keeps the old note");
    let editor = h.get_by_label("Note:");
    assert_eq!(editor.value().as_deref().unwrap_or(""), "");
}

#[test]
fn undoing_a_note_edit_shows_the_old_note_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    tag_start(&mut h, TagKind::Issue, "Start");
    press(&mut h, Modifiers::NONE, Key::E);
    type_text(&mut h, "first thoughts");
    press(&mut h, Modifiers::COMMAND, Key::Enter);
    let note = |h: &egui_kittest::Harness<'_, marginalia::app::MarginaliaApp>| {
        h.state().session().unwrap().set.annotations()[0]
            .note
            .clone()
    };
    assert_eq!(note(&h).as_deref(), Some("first thoughts"));
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(note(&h), None);
    let editor = h.get_by_label("Note:");
    assert_eq!(
        editor.value().as_deref().unwrap_or(""),
        "",
        "the editor shows the note as it is now"
    );
}

#[test]
fn menus_grey_out_what_needs_an_open_article() {
    let mut h = harness(marginalia::app::MarginaliaApp::empty());
    h.get_by_label("File").click();
    h.run_steps(3);
    let item = |h: &'_ egui_kittest::Harness<'_, marginalia::app::MarginaliaApp>, label: &str| {
        let found = h.get_by(|n| {
            n.role() == Role::Button
                && n.label().is_some_and(|l| {
                    l.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .starts_with(label)
                })
        });
        found.accesskit_node().is_disabled()
    };
    assert!(item(&h, "Export…"), "Export needs an article");
    assert!(item(&h, "Save as…"), "Save as needs an article");
    assert!(!item(&h, "Open article…"));
    // Ctrl+E with nothing open does nothing but say so.
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::COMMAND, Key::E);
    assert!(h.state().modal().is_none());
}

#[test]
fn show_only_has_a_tick_while_it_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    let ticked = |h: &egui_kittest::Harness<'_, marginalia::app::MarginaliaApp>| {
        h.get_by_role_and_label(Role::CheckBox, "Show only filtered highlights")
            .accesskit_node()
            .toggled()
    };
    h.get_by_label("View").click();
    h.run_steps(3);
    assert_eq!(ticked(&h), Some(egui::accesskit::Toggled::False));
    h.get_by_label("Show only filtered highlights").click();
    h.run_steps(3);
    assert!(h.state().view().show_only);
    h.get_by_label("View").click();
    h.run_steps(3);
    assert_eq!(ticked(&h), Some(egui::accesskit::Toggled::True));
}

#[test]
fn a_digit_is_bound_from_the_codebook_row_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&sample_copy(dir.path()));
    let s = app.session().unwrap();
    let a = s.set.codebook.new_tag(TagKind::Issue, "Routes");
    app.push(DocIntent::Execute(
        marginalia::core::command::Command::CreateTag(a),
    ));
    let mut h = harness(app);
    let b = h
        .state()
        .session()
        .unwrap()
        .set
        .codebook
        .new_tag(TagKind::Actor, "ISI");
    h.state_mut().push(DocIntent::Execute(
        marginalia::core::command::Command::CreateTag(b),
    ));
    h.run_steps(3);
    let digit = |h: &egui_kittest::Harness<'_, marginalia::app::MarginaliaApp>, k, n| {
        h.state()
            .session()
            .unwrap()
            .set
            .codebook
            .get(k, n)
            .unwrap()
            .digit
    };
    assert_eq!(digit(&h, TagKind::Issue, "Routes"), Some(1));
    h.get_by_label("Actions for actor ISI").click();
    h.run_steps(2);
    h.get_by_label("Digit").hover();
    h.run_steps(20);
    h.get_by_label("1 (now “Routes”)").click();
    h.run_steps(3);
    assert_eq!(digit(&h, TagKind::Actor, "ISI"), Some(1));
    assert_eq!(digit(&h, TagKind::Issue, "Routes"), None, "taken over");
    // One step: Undo gives the digit back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(digit(&h, TagKind::Issue, "Routes"), Some(1));
    assert_eq!(digit(&h, TagKind::Actor, "ISI"), Some(2));
}

#[test]
fn the_side_panel_shrinks_with_the_window_and_keeps_its_width_while_typing() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&sample_copy(dir.path()));
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(640.0, 480.0))
        .build_ui_state(
            |ui, app: &mut marginalia::app::MarginaliaApp| app.draw(ui),
            app,
        );
    h.run_steps(4);
    let width = |h: &egui_kittest::Harness<'_, marginalia::app::MarginaliaApp>| {
        h.get_by_label("Filter:").rect().min.x
    };
    let x0 = width(&h);
    assert!(x0 >= 640.0 * 0.5, "the article keeps at least half: {x0}");
    h.get_by_role_and_label(Role::TextInput, "Filter:").focus();
    h.run_steps(1);
    type_text(&mut h, "a very long filter text that would widen the panel");
    assert_eq!(width(&h), x0, "the panel keeps its width while typing");
}

#[test]
fn the_find_bar_controls_never_cover_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    press(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "Pakistan");
    press(&mut h, Modifiers::NONE, Key::Escape);
    // Reopen: one key press, one frame.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(1);
    h.run_steps(1);
    let field = h.get_by_role_and_label(Role::TextInput, "Find:").rect();
    for control in ["Match case", "Whole word", "Regex", "In notes", "Next"] {
        let r = h.get_by_label(control).rect();
        assert!(
            !r.intersects(field),
            "{control} {r:?} is drawn over the query {field:?}"
        );
    }
}

#[test]
fn a_long_title_does_not_widen_the_side_panel() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness_with_fonts(open(&sample_copy(dir.path())), false);
    let mut m = h.state().session().unwrap().set.metadata.clone();
    m.title = Some("Pakistan’s foreign minister said “مذاکرات جاری رہیں گے” on Tuesday, and the ISI agreed to it".into());
    h.state_mut().push(DocIntent::Execute(
        marginalia::core::command::Command::SetMetadata(m),
    ));
    h.run_steps(4);
    let header = h.get_by_label_contains("Document:").rect();
    let codebook = h.get_by_label("Issues (underlined in the text)").rect();
    assert!(
        header.min.x >= codebook.min.x - 20.0 && header.width() < 1280.0 * 0.45,
        "the header fits the panel: {header:?}, codebook at {codebook:?}"
    );
}
