//! Headless UI tests (egui_kittest) of the export dialog (Ctrl+E): JSON
//! and CSV exported from the app through scripted file dialogs and typed
//! paths, a filter from the codebook, brat into a folder, the remembered
//! choice, and a clear error for a bad destination.
#![cfg(feature = "gui")]

mod common;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::app::MarginaliaApp;
use marginalia::app::dialogs::{DialogResult, ScriptedDialogs};
use marginalia::app::model::*;
use marginalia::core::codebook::TagKind;
use marginalia::core::session::{OpenOptions, Session};
use std::path::{Path, PathBuf};

fn harness(app: MarginaliaApp) -> Harness<'static, MarginaliaApp> {
    common::harness_with_fonts(app, false)
}

const ARTICLE: &str =
    "\u{feff}The ISI met the CIA in Doha — “a truce”.\r\nTalks on NATO supply routes resumed.\r\n";

fn setup(dir: &Path) -> Harness<'static, MarginaliaApp> {
    let article = dir.join("truce.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let (session, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    let mut app = MarginaliaApp::new_with_session(session);
    app.set_recovery_dir(&dir.join("fb"));
    let mut h = harness(app);
    for (needle, kind, name) in [
        ("ISI", TagKind::Actor, "ISI"),
        ("Doha — “a truce”", TagKind::Issue, "Truce"),
        ("NATO supply routes", TagKind::Issue, "Supply routes"),
    ] {
        select(&mut h, needle);
        h.state_mut().push(DocIntent::ApplyTag {
            kind,
            name: name.to_owned(),
            create: true,
        });
        h.run_steps(8);
    }
    assert_eq!(h.state().session().unwrap().set.annotations().len(), 3);
    h
}

fn ctrl_e(h: &mut Harness<'_, MarginaliaApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(8);
    assert!(
        h.state().export_dialog().is_some(),
        "Ctrl+E opens the dialog"
    );
    assert!(h.query_by_label("Export excerpts").is_some());
}

fn dest(h: &Harness<'_, MarginaliaApp>) -> PathBuf {
    PathBuf::from(h.state().export_dialog().unwrap().dest.clone())
}

#[test]
fn json_and_csv_from_the_dialog_with_filter_and_remembered_choice() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut h = setup(dir.path());
    let json_path = out.join("picked.json");
    h.state_mut().set_dialogs(Box::new(ScriptedDialogs {
        export: vec![DialogResult::Picked(json_path.clone())],
        ..Default::default()
    }));

    ctrl_e(&mut h);
    // Every format is offered.
    for f in marginalia::core::export::ExportFormat::ALL {
        assert!(h.query_by_label(f.label()).is_some(), "{}", f.label());
    }
    assert_eq!(
        dest(&h),
        dir.path().join("truce.json"),
        "default: beside the article"
    );
    h.get_by_label("Browse…").click();
    h.run_steps(8);
    assert_eq!(dest(&h), json_path);
    assert!(
        h.query_by_label("3 of 3 excerpts will be exported")
            .is_some()
    );
    h.get_by_label("Export").click();
    h.run_steps(8);
    assert!(h.state().export_dialog().is_none(), "closed after export");
    assert!(
        h.state()
            .status
            .text
            .contains(&json_path.display().to_string()),
        "{}",
        h.state().status.text
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["format"], "marginalia-excerpts");
    let excerpts = v["documents"][0]["excerpts"].as_array().unwrap();
    assert_eq!(excerpts.len(), 3);
    let texts: Vec<&str> = excerpts
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["ISI", "Doha — “a truce”", "NATO supply routes"]);
    assert_eq!(v["documents"][0]["source"], "truce.txt");

    // The choice is remembered: format and folder.
    let prefs = h.state().export_prefs.clone();
    assert_eq!(prefs.format, "json");
    assert_eq!(prefs.folder.as_deref(), Some(out.as_path()));

    // CSV, filtered to one issue, typed path (no dialog left).
    ctrl_e(&mut h);
    assert_eq!(dest(&h), out.join("truce.json"), "remembered folder");
    h.get_by_label("CSV spreadsheet").click();
    h.run_steps(8);
    assert_eq!(dest(&h), out.join("truce.csv"), "name follows the format");
    h.get_by_label("One row per tag (long)").click();
    h.get_by_role_and_label(Role::CheckBox, "Truce").click();
    h.run_steps(8);
    assert!(
        h.query_by_label("1 of 3 excerpts will be exported")
            .is_some()
    );
    h.get_by_label("Browse…").click();
    h.run_steps(8);
    assert!(h.query_by_label_contains("type the destination").is_some());
    h.get_by_label("Export").click();
    h.run_steps(8);
    let csv = std::fs::read_to_string(out.join("truce.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "document,id,start,end,kind,tag,excerpt",
        "long CSV header"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(
        rows[0].contains("issue,Truce,Doha — “a truce”"),
        "{}",
        rows[0]
    );
    let prefs = h.state().export_prefs.clone();
    assert_eq!(prefs.format, "csv");
    assert!(prefs.long);

    // Next time the dialog starts from CSV, long.
    ctrl_e(&mut h);
    let d = h.state().export_dialog().unwrap();
    assert_eq!(d.format, marginalia::core::export::ExportFormat::Csv);
    assert!(d.options.long);
    assert!(d.issues.is_empty(), "the filter starts empty");
}

#[test]
fn brat_goes_to_a_folder_and_a_bad_destination_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = setup(dir.path());
    ctrl_e(&mut h);
    h.get_by_label("brat standoff (folder)").click();
    h.run_steps(8);
    assert_eq!(dest(&h), dir.path().join("truce-brat"));
    h.get_by_label("Export").click();
    h.run_steps(8);
    let brat = dir.path().join("truce-brat");
    assert!(brat.join("truce.ann").is_file());
    assert!(brat.join("truce.txt").is_file());
    assert!(brat.join("annotation.conf").is_file());
    assert!(h.state().status.text.contains("truce.ann"));

    // A file format aimed at a folder that does not exist.
    ctrl_e(&mut h);
    h.get_by_label("HTML report").click();
    h.run_steps(8);
    h.state_mut().export_dialog_mut().unwrap().dest = dir
        .path()
        .join("missing")
        .join("x.html")
        .display()
        .to_string();
    h.get_by_label("Export").click();
    h.run_steps(8);
    assert!(h.state().export_dialog().is_some(), "dialog stays open");
    let err = h.state().export_dialog().unwrap().error.clone();
    assert!(
        err.as_deref()
            .is_some_and(|e| e.starts_with("Export failed")),
        "{err:?}"
    );
    assert_eq!(
        h.query_all_by_label_contains("Export failed").count(),
        2,
        "in the dialog and the status bar"
    );
    assert!(h.state().status.is_error);
    h.get_by_label("Cancel").click();
    h.run_steps(8);
    assert!(h.state().export_dialog().is_none());
}

#[test]
fn an_existing_file_is_replaced_only_after_asking() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = setup(dir.path());
    let target = dir.path().join("truce.json");
    std::fs::write(&target, "keep me").unwrap();
    ctrl_e(&mut h);
    assert_eq!(dest(&h), target);
    h.get_by_label("Export").click();
    h.run_steps(8);
    // Asked, not written.
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(h.query_by_label_contains("exists. Export again").is_some());
    // The second press (Enter, the default button) replaces it.
    h.key_press(Key::Enter);
    h.run_steps(8);
    assert!(h.state().export_dialog().is_none(), "closed after export");
    let json = std::fs::read_to_string(&target).unwrap();
    assert!(json.contains("\"ISI\""), "{json}");
}

#[test]
fn a_long_tag_name_wraps_in_the_filter_instead_of_being_clipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = setup(dir.path());
    let long = "Tehrik-i-Taliban Pakistan and the other militant groups of the tribal areas along the Durand Line, as the coders of this study name them";
    let text = h.state().session().unwrap().text.as_str().to_owned();
    let a = text[..text.find("Talks").unwrap()].chars().count();
    h.state_mut().push(SelectionIntent::Set {
        anchor: a,
        head: a + 5,
    });
    h.state_mut().push(DocIntent::ApplyTag {
        kind: TagKind::Actor,
        name: long.to_owned(),
        create: true,
    });
    h.run_steps(8);
    ctrl_e(&mut h);
    // The dialog is 560 points wide from its heading's left edge.
    let left = h.get_by_label("Export excerpts").rect().min.x;
    let tag = h.get_by_role_and_label(Role::CheckBox, long).rect();
    let short = h.get_by_role_and_label(Role::CheckBox, "ISI").rect();
    assert!(
        tag.max.x <= left + 560.0 + 1.0,
        "the name fits the dialog: {tag:?} from {left}"
    );
    assert!(
        tag.height() > short.height() * 1.2,
        "the long name wraps onto more lines: {tag:?} vs {short:?}"
    );
}

/// Selects the first occurrence of `needle` in the open article.
fn select(h: &mut Harness<'_, MarginaliaApp>, needle: &str) {
    let text = h.state().session().unwrap().text.as_str().to_owned();
    let byte = text.find(needle).unwrap();
    let a = text[..byte].chars().count();
    let b = a + needle.chars().count();
    h.state_mut()
        .push(SelectionIntent::Set { anchor: a, head: b });
    h.run_steps(4);
}

#[test]
fn a_discourse_network_from_the_dialog_with_dna_choices() {
    use marginalia::core::annotation::Stance;
    use marginalia::core::discourse_network::{Normalization, Qualifier};
    let dir = tempfile::tempdir().unwrap();
    let mut h = setup(dir.path());
    // Truce: Army and Taliban support; Supply routes: Army and ISI oppose.
    for (needle, actors, cycles) in [
        ("Doha — “a truce”", ["Army", "Taliban"], 1),
        ("NATO supply routes", ["Army", "ISI"], 2),
    ] {
        select(&mut h, needle);
        for name in actors {
            h.state_mut().push(DocIntent::ApplyTag {
                kind: TagKind::Actor,
                name: name.to_owned(),
                create: true,
            });
            h.run_steps(4);
        }
        for _ in 0..cycles {
            h.state_mut().push(DocIntent::CycleStance);
            h.run_steps(4);
        }
    }
    let set = &h.state().session().unwrap().set;
    assert_eq!(set.annotations().len(), 3);
    let stances: Vec<Option<Stance>> = set.annotations().iter().map(|a| a.stance).collect();
    assert_eq!(
        stances,
        [None, Some(Stance::Support), Some(Stance::Oppose)],
        "{:?}",
        set.annotations()
    );

    ctrl_e(&mut h);
    h.get_by_label("Discourse network (DNA)").click();
    h.run_steps(8);
    assert_eq!(dest(&h), dir.path().join("truce.network.graphml"));
    h.get_by_label("Edge list (CSV)").click();
    h.run_steps(8);
    assert_eq!(dest(&h), dir.path().join("truce.network.csv"));
    // Two-mode has no congruence or normalisation: the choice moves.
    h.get_by_label("Cosine").click();
    h.get_by_label("Two-mode").click();
    h.run_steps(8);
    let c = h.state().export_dialog().unwrap().options.discourse;
    assert_eq!(
        (c.qualifier, c.normalization),
        (Qualifier::Ignore, Normalization::None)
    );
    h.get_by_label("One-mode").click();
    h.get_by_label("Congruence").click();
    h.get_by_label("Cosine").click();
    h.run_steps(8);
    h.get_by_label("Export").click();
    h.run_steps(8);
    assert!(
        h.state().export_dialog().is_none(),
        "{:?}",
        h.state().status.text
    );
    // By hand: act(Army) = 2 (Truce support, Supply routes oppose),
    // act(ISI) = act(Taliban) = 1; each pair shares one issue and stance:
    // W = 1, cosine 1/sqrt(2·1).
    let w = 1.0 / 2f64.sqrt();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("truce.network.csv")).unwrap(),
        format!("source,target,weight\r\nArmy,ISI,{w}\r\nArmy,Taliban,{w}\r\n")
    );
    assert_eq!(h.state().export_prefs.format, "dna-edges");
    // Next time the dialog starts from the same network.
    ctrl_e(&mut h);
    let d = h.state().export_dialog().unwrap();
    assert_eq!(d.options.discourse.normalization, Normalization::Cosine);
    assert_eq!(dest(&h), dir.path().join("truce.network.csv"));
}
