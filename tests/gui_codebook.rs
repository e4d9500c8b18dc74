//! Headless UI tests (egui_kittest) of the codebook panel: counts with
//! children, recolour, rename, re-parent, describe, merge, delete (asks
//! first), codebook files. One behaviour per test.
#![cfg(feature = "gui")]

mod common;
use common::{harness, open, press, sample_copy, type_text};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::app::MarginaliaApp;
use marginalia::app::actions::Action;
use marginalia::app::dialogs::{DialogResult, ScriptedDialogs};
use marginalia::app::model::*;
use marginalia::core::annotation::Annotation;
use marginalia::core::codebook::{PALETTE, PALETTE_NAMES, Rgb, Tag, TagKind};
use marginalia::core::command::Command;
use std::path::PathBuf;

fn menu_item<'a>(h: &'a Harness<'_, MarginaliaApp>, label: &'a str) -> egui_kittest::Node<'a> {
    h.get_by(move |n| {
        n.role() == Role::Button && n.label().as_deref() == Some(label) && n.description().is_none()
    })
}

/// The sample with issues Security, Drones (under Security) and Supply,
/// and "U.S. drones" tagged Drones; codebook file dialogs answer with
/// `series.codebook.ron` in the folder.
struct Fixture {
    _dir: tempfile::TempDir,
    cb_file: PathBuf,
    h: Harness<'static, MarginaliaApp>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&sample_copy(dir.path()));
    let s = app.session().unwrap();
    let mut cb = s.set.codebook.clone();
    for (n, p) in [
        ("Security", None),
        ("Drones", Some("Security")),
        ("Supply", None),
    ] {
        let mut t = cb.new_tag(TagKind::Issue, n);
        t.parent = p.map(str::to_owned);
        cb.insert(t);
    }
    let text = s.text.as_str();
    let start = text[..text.find("U.S. drones").unwrap()].chars().count();
    let mut a = Annotation::new("a1".into(), &s.text, start, start + 11, "t");
    a.add_tag(TagKind::Issue, "Drones");
    let commands = vec![Command::SetCodebook(cb), Command::AddAnnotation(a)];
    let label = "setup".into();
    app.push(DocIntent::Execute(Command::Batch { label, commands }));
    let cb_file = dir.path().join("series.codebook.ron");
    app.set_dialogs(Box::new(ScriptedDialogs {
        open: vec![DialogResult::Picked(cb_file.clone())],
        save: vec![DialogResult::Picked(cb_file.clone())],
        ..Default::default()
    }));
    let mut h = harness(app);
    // The app's fonts: the colour picker's copy button is an emoji.
    marginalia::ui::fonts::install_fonts(&h.ctx);
    h.run_steps(2);
    Fixture {
        _dir: dir,
        cb_file,
        h,
    }
}

fn tag(h: &Harness<'_, MarginaliaApp>, name: &str) -> Option<Tag> {
    let s = h.state().session().unwrap();
    s.set.codebook.get(TagKind::Issue, name).cloned()
}

fn first_issues(h: &Harness<'_, MarginaliaApp>) -> Vec<String> {
    h.state().session().unwrap().set.annotations()[0]
        .issues
        .clone()
}

/// Opens a tag's "…" menu and, when given, one of its submenus.
fn row_menu(h: &mut Harness<'_, MarginaliaApp>, tag: &str, submenu: Option<&str>) {
    h.get_by_label(&format!("Actions for issue {tag}")).click();
    h.run_steps(2);
    if let Some(m) = submenu {
        h.get_by_label(m).hover();
        h.run_steps(20);
    }
}

#[test]
fn a_parent_counts_its_childrens_annotations() {
    let Fixture { h, _dir, .. } = fixture();
    let counts = marginalia::core::filter::counts_with_children(&h.state().session().unwrap().set);
    assert_eq!(counts[&(TagKind::Issue, "Security".to_owned())], 1);
    let security = h.get_by(|n| {
        n.role() == Role::Button
            && n.label().as_deref() == Some("Security")
            && n.description().is_some()
    });
    let d = security.accesskit_node().description().unwrap_or_default();
    assert!(
        d.contains("1 annotation with this tag or its children"),
        "{d}"
    );
}

#[test]
fn the_row_menu_recolours_from_the_palette_in_one_undoable_step() {
    let Fixture { mut h, _dir, .. } = fixture();
    assert!(h.query_by_label("Colour of issue Drones").is_some());
    // The swatch opens a colour picker (Esc closes it).
    h.get_by_label("Colour of issue Drones").click();
    h.run_steps(2);
    press(&mut h, Modifiers::NONE, Key::Escape);
    let before = tag(&h, "Drones").unwrap().color;
    row_menu(&mut h, "Drones", Some("Colour"));
    let (rgb, name): (&Rgb, &str) = PALETTE
        .iter()
        .zip(PALETTE_NAMES)
        .find(|(c, _)| **c != before)
        .unwrap();
    h.get_by_label(name).click();
    h.run_steps(2);
    assert_eq!(tag(&h, "Drones").unwrap().color, *rgb);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(tag(&h, "Drones").unwrap().color, before, "undo restores it");
}

#[test]
fn renaming_a_tag_renames_it_on_its_annotations() {
    let Fixture { mut h, _dir, .. } = fixture();
    row_menu(&mut h, "Drones", None);
    h.get_by_label("Rename").click();
    h.run_steps(2);
    for _ in 0..6 {
        h.key_press(Key::Backspace);
    }
    type_text(&mut h, "UAVs");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(first_issues(&h), ["UAVs"], "annotations follow a rename");
    let uavs = tag(&h, "UAVs").unwrap();
    assert_eq!(uavs.parent.as_deref(), Some("Security"), "parent kept");
}

#[test]
fn reparenting_moves_a_tag_under_another() {
    let Fixture { mut h, _dir, .. } = fixture();
    row_menu(&mut h, "Drones", Some("Parent"));
    let supply = h.get_all_by_role_and_label(Role::Button, "Supply").count();
    assert_eq!(supply, 2, "the Parent submenu lists Supply");
    menu_item(&h, "Supply").click();
    h.run_steps(2);
    assert_eq!(tag(&h, "Drones").unwrap().parent.as_deref(), Some("Supply"));
}

#[test]
fn a_description_becomes_the_rows_tooltip() {
    let Fixture { mut h, _dir, .. } = fixture();
    row_menu(&mut h, "Drones", None);
    h.get_by_label("Edit description…").click();
    h.run_steps(2);
    // Typed into the focused editor, kept by "Save description".
    type_text(&mut h, "Unmanned aerial vehicles");
    h.get_by_label("Save description").click();
    h.run_steps(2);
    let d = tag(&h, "Drones").unwrap().description;
    assert_eq!(d.as_deref(), Some("Unmanned aerial vehicles"));
    assert!(h.query_by_label("Save description").is_none(), "closed");
    let row = h.query_by(|n| {
        n.role() == Role::Button
            && n.label().as_deref() == Some("Drones")
            && n.description()
                .is_some_and(|d| d.contains("Unmanned aerial vehicles"))
    });
    assert!(row.is_some(), "the description is the tag's tooltip");
}

#[test]
fn merging_moves_the_annotations_to_the_other_tag() {
    let Fixture { mut h, _dir, .. } = fixture();
    row_menu(&mut h, "Drones", Some("Merge into"));
    menu_item(&h, "Security").click();
    h.run_steps(2);
    assert!(tag(&h, "Drones").is_none());
    assert_eq!(first_issues(&h), ["Security"]);
}

#[test]
fn deleting_a_used_tag_asks_first_and_undo_restores_it() {
    let Fixture { mut h, _dir, .. } = fixture();
    row_menu(&mut h, "Drones", None);
    h.get_by_label("Delete").click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("It is used by 1 annotation")
            .is_some()
    );
    h.get_by_label("Delete tag").click();
    h.run_steps(2);
    assert!(first_issues(&h).is_empty());
    // No widget keeps the keyboard after the menus and the dialog: Ctrl+Z
    // reaches the global undo.
    assert!(
        !h.ctx.egui_wants_keyboard_input(),
        "a widget kept the focus"
    );
    assert!(h.state().tag_popup().is_none(), "no tag popup on the way");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(first_issues(&h), ["Drones"]);
}

#[test]
fn an_unused_tag_is_deleted_without_asking() {
    let Fixture { mut h, _dir, .. } = fixture();
    row_menu(&mut h, "Supply", None);
    h.get_by_label("Delete").click();
    h.run_steps(3);
    assert!(h.state().modal().is_none(), "nothing to ask");
    assert!(tag(&h, "Supply").is_none());
}

#[test]
fn a_saved_codebook_loads_back_merged_by_name_in_one_step() {
    let Fixture {
        mut h,
        cb_file,
        _dir,
    } = fixture();
    h.state_mut().push(Action::SaveCodebook.intent());
    h.run_steps(2);
    assert!(cb_file.exists(), "{}", h.state().status.text);
    row_menu(&mut h, "Supply", None);
    h.get_by_label("Delete").click();
    h.run_steps(3);
    assert!(tag(&h, "Supply").is_none());
    h.state_mut().push(Action::LoadCodebook.intent());
    h.run_steps(2);
    assert!(tag(&h, "Supply").is_some(), "{}", h.state().status.text);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(tag(&h, "Supply").is_none(), "one undoable step");
}

#[test]
fn a_long_tag_name_is_truncated_and_never_widens_the_side_panel() {
    // As in a real MAXQDA codebook: long names beneath a parent.
    let Fixture { mut h, .. } = fixture();
    let long = "ASSMNT - Performance-Based Assessment, Competency Assessment, and the other forms of assessment the coders of this study distinguish";
    let mut cb = h.state().session().unwrap().set.codebook.clone();
    let mut t = cb.new_tag(TagKind::Issue, long);
    t.parent = Some("Security".into());
    cb.insert(t);
    h.state_mut()
        .push(DocIntent::Execute(Command::SetCodebook(cb)));
    h.run_steps(4);
    let heading = h.get_by_role_and_label(Role::Label, "Codebook").rect();
    let panel_left = heading.min.x;
    // The row's menu keeps its place at the panel's right edge, inside the
    // window, as a short name's does.
    let menu = h.get_by_label(&format!("Actions for issue {long}")).rect();
    let short = h.get_by_label("Actions for issue Supply").rect();
    assert!(
        (menu.max.x - short.max.x).abs() < 1.0 && menu.max.x <= 1280.0,
        "{menu:?} vs {short:?}"
    );
    // The panel is no wider than with short names: it starts where it
    // would (the article keeps its width).
    let name = h.get_by_role_and_label(Role::Button, long).rect();
    assert!(name.max.x < menu.min.x, "{name:?} ends before {menu:?}");
    assert!(panel_left > 640.0, "the panel starts at {panel_left}");
}

#[test]
fn an_annotation_with_many_tags_never_widens_the_side_panel() {
    let Fixture { mut h, .. } = fixture();
    let before = h.get_by_role_and_label(Role::Label, "Codebook").rect();
    // Thirty long actor names on the tagged annotation: its row of badges
    // is far wider than the panel.
    let s = h.state().session().unwrap();
    let mut a = s.set.annotations()[0].clone();
    let mut cb = s.set.codebook.clone();
    for i in 0..30 {
        let name = format!("Inter-Services Public Relations spokesperson {i:02}");
        let t = cb.new_tag(TagKind::Actor, &name);
        cb.insert(t);
        a.add_tag(TagKind::Actor, &name);
    }
    let id = a.id.clone();
    let commands = vec![
        Command::SetCodebook(cb),
        Command::DeleteAnnotation { id },
        Command::AddAnnotation(a),
    ];
    let label = "many tags".into();
    h.state_mut()
        .push(DocIntent::Execute(Command::Batch { label, commands }));
    h.run_steps(6);
    let after = h.get_by_role_and_label(Role::Label, "Codebook").rect();
    assert!(
        (after.min.x - before.min.x).abs() < 1.0,
        "the panel keeps its place: {before:?} → {after:?}"
    );
}
