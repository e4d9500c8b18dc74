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

/// A corpus folder `study/` of four coded documents: three dated (two in
/// the first 30 days from 2012-01-01, one in the next 30), one undated.
/// Per annotation: actors, issues, stance.
fn stance_corpus(root: &Path) {
    use marginalia::core::annotation::{Annotation, Stance};
    use marginalia::core::set::{AnnotationSet, SourceRef};
    use marginalia::core::text::Text;
    type Coded = (&'static [&'static str], &'static str, Stance);
    let docs: [(&str, Option<&str>, &[Coded]); 4] = [
        (
            "a",
            Some("2012-01-01"),
            &[(&["Army", "ISI", "Taliban"], "Drones", Stance::Support)],
        ),
        (
            "b",
            Some("2012-01-03"),
            &[
                (&["Army"], "Drones", Stance::Support),
                (&["PTI"], "Drones", Stance::Oppose),
            ],
        ),
        (
            "c",
            Some("2012-02-10"),
            &[(&["ISI", "PTI"], "Talks", Stance::Support)],
        ),
        ("d", None, &[(&["Army", "PTI"], "Talks", Stance::Support)]),
    ];
    std::fs::create_dir_all(root).unwrap();
    for (name, date, coded) in docs {
        let body = format!("{name}: the army, the ISI and the PTI on drones and talks.\n");
        let text = Text::new(body.clone());
        let mut set = AnnotationSet::new(SourceRef {
            path: format!("{name}.txt"),
            sha256: text.sha256().into(),
            length: text.len_chars(),
            ..Default::default()
        });
        set.metadata.date = date.map(str::to_owned);
        let list = coded
            .iter()
            .enumerate()
            .map(|(j, (actors, issue, stance))| {
                let mut a = Annotation::new(format!("a{j}"), &text, j * 4, j * 4 + 3, "t");
                a.actors = actors.iter().map(|s| (*s).to_owned()).collect();
                a.issues = vec![(*issue).to_owned()];
                a.stance = Some(*stance);
                a
            })
            .collect();
        set.set_annotations(list);
        std::fs::write(root.join(format!("{name}.txt")), body).unwrap();
        std::fs::write(
            root.join(format!("{name}.annotations.ron")),
            marginalia::core::store::to_ron(&set).unwrap(),
        )
        .unwrap();
    }
}

/// The corpus of [`stance_corpus`] at `root`, opened, with the export
/// dialog open on the whole corpus.
fn whole_corpus_dialog(root: &Path) -> Harness<'static, MarginaliaApp> {
    stance_corpus(root);
    let mut app = MarginaliaApp::empty();
    app.set_recovery_dir(&root.with_file_name("fb"));
    let mut h = harness(app);
    h.state_mut().push(FileIntent::Open(root.to_owned()));
    h.run_steps(3);
    h.state_mut().corpus_mut().expect("a corpus").read_all_now();
    h.run_steps(4);
    ctrl_e(&mut h);
    h.get_by_label("The whole corpus (4 documents with a set)")
        .click();
    h.run_steps(4);
    h
}

/// Runs frames until the export dialog closes (a corpus export runs on a
/// thread); fails after ten seconds.
fn until_exported(h: &mut Harness<'_, MarginaliaApp>) {
    for _ in 0..1000 {
        if h.state().export_dialog().is_none() {
            return;
        }
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!(
        "the export did not finish: {:?} / {:?}",
        h.state().export_dialog().and_then(|d| d.error.clone()),
        h.state().status.text
    );
}

/// Runs the real `marginalia` binary.
fn cli(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_whole_corpus_as_discourse_networks_in_time_windows_with_an_exclusion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("study");
    let mut h = whole_corpus_dialog(&root);
    h.get_by_label("Discourse network (DNA)").click();
    h.run_steps(4);
    h.get_by_label("Edge list (CSV)").click();
    h.run_steps(4);
    h.get_by_label("One network per time window (a folder)")
        .click();
    h.run_steps(4);
    let out = dir.path().join("study-networks");
    assert_eq!(dest(&h), out, "a folder named after the corpus, beside it");
    h.get_by_label("Leave out of the network: nothing").click();
    h.run_steps(4);
    // The lists narrow to what is typed.
    h.get_by_label("Find:").focus();
    h.run_steps(1);
    h.get_by_label("Find:").type_text("is");
    h.run_steps(2);
    assert!(h.query_by_label("Leave out actor Army").is_none());
    h.get_by_label("Leave out actor ISI").click();
    h.run_steps(4);
    h.get_by_label("Leave out of the network: 1 tag");
    h.get_by_label("Export").click();
    h.run_steps(2);
    until_exported(&mut h);
    let status = h.state().status.text.clone();
    assert!(
        status.contains("Exported 5 excerpts of 4 documents"),
        "{status}"
    );
    assert!(
        status.contains("1 document without a date in no window: d.txt"),
        "{status}"
    );
    // By hand, congruence, ISI left out: in the window from 2012-01-01
    // Army supports Drones in a and b (2), Taliban in a (1), PTI opposes:
    // W(Army, Taliban) = 2·1. From 2012-01-31 only c, where PTI alone is
    // left: no edge.
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(
        read("network-2012-01-01.csv"),
        "source,target,weight\r\nArmy,Taliban,2\r\n"
    );
    assert_eq!(read("network-2012-01-31.csv"), "source,target,weight\r\n");
    // The same choices through `marginalia network` give the same files.
    let by_cli = dir.path().join("by-cli");
    cli(&[
        "network",
        root.to_str().unwrap(),
        "--window",
        "30",
        "--exclude-actor",
        "ISI",
        "-f",
        "edges",
        "--out",
        by_cli.to_str().unwrap(),
    ]);
    for name in [
        "index.csv",
        "network-2012-01-01.csv",
        "network-2012-01-31.csv",
    ] {
        assert_eq!(
            read(name),
            std::fs::read_to_string(by_cli.join(name)).unwrap(),
            "{name}"
        );
    }
    // The window is remembered; the exclusions (of this corpus) are not.
    ctrl_e(&mut h);
    let d = h.state().export_dialog().unwrap();
    assert!(d.window.on && d.window.days == 30);
    assert!(d.exclude_actors.is_empty());
}

#[test]
fn the_whole_corpus_as_a_refi_qda_project_equals_the_command_line_export() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("study");
    // The user's list order (reversed) is not the export's: that is by
    // path, as the command line's.
    stance_corpus(&root);
    let mut c = marginalia::core::corpus::Corpus::open(&root).unwrap();
    c.docs.reverse();
    c.save().unwrap();
    let mut h = whole_corpus_dialog(&root);
    assert_eq!(
        h.state().corpus().unwrap().corpus.docs[0].rel,
        "d.txt",
        "the list is reversed"
    );
    h.get_by_label("REFI-QDA project (.qdpx)").click();
    h.run_steps(4);
    let out = dir.path().join("study.qdpx");
    assert_eq!(dest(&h), out);
    h.get_by_label("Export").click();
    h.run_steps(2);
    until_exported(&mut h);
    assert!(
        h.state().status.text.contains("of 4 documents"),
        "{}",
        h.state().status.text
    );
    let by_cli = dir.path().join("by-cli.qdpx");
    cli(&[
        "export",
        root.to_str().unwrap(),
        "-f",
        "qdpx",
        "--out",
        by_cli.to_str().unwrap(),
    ]);
    let (window, cli) = (
        std::fs::read(&out).unwrap(),
        std::fs::read(&by_cli).unwrap(),
    );
    assert!(window == cli, "the window's project differs from the CLI's");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(window)).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    assert_eq!(qde.matches("<TextSource ").count(), 4, "{qde}");
    assert_eq!(qde.matches("<PlainTextSelection ").count(), 5, "{qde}");
    assert!(qde.contains(" name=\"study\""), "{qde}");
}

#[test]
fn a_document_network_may_leave_out_corpus_tags_it_lacks_and_stays_out_of_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("study");
    stance_corpus(&root);
    // corpus.ron holds the codebook of every set, as after any save.
    let mut c = marginalia::core::corpus::Corpus::open(&root).unwrap();
    let mut cb = marginalia::core::codebook::Codebook::default();
    for (kind, name) in [
        (TagKind::Actor, "Army"),
        (TagKind::Actor, "ISI"),
        (TagKind::Actor, "PTI"),
        (TagKind::Actor, "Taliban"),
        (TagKind::Issue, "Drones"),
        (TagKind::Issue, "Talks"),
    ] {
        let t = cb.new_tag(kind, name);
        cb.insert(t);
    }
    c.adopt_tags(&cb);
    c.save().unwrap();
    let mut app = MarginaliaApp::empty();
    app.set_recovery_dir(&dir.path().join("fb"));
    let mut h = harness(app);
    h.state_mut().push(FileIntent::Open(root.clone()));
    h.run_steps(3);
    h.state_mut().corpus_mut().expect("a corpus").read_all_now();
    h.run_steps(4);
    assert!(
        h.state()
            .session()
            .unwrap()
            .article_path
            .as_ref()
            .unwrap()
            .ends_with("a.txt")
    );
    ctrl_e(&mut h);
    h.get_by_label("Discourse network (DNA)").click();
    h.run_steps(4);
    h.get_by_label("Edge list (CSV)").click();
    h.run_steps(4);
    // Beside the corpus by default, not inside it.
    let out = dir.path().join("a.network.csv");
    assert_eq!(dest(&h), out);
    // PTI is in the corpus codebook but has no statement in a.txt: leaving
    // it out is no error here.
    h.get_by_label("Leave out of the network: nothing").click();
    h.run_steps(4);
    h.get_by_label("Leave out actor PTI").click();
    h.run_steps(2);
    h.get_by_label("Export").click();
    h.run_steps(4);
    assert!(
        h.state().export_dialog().is_none(),
        "{}",
        h.state().status.text
    );
    // By hand: a.txt has one supporting statement each of Army, ISI and
    // Taliban on Drones: every pair has W = 1.
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "source,target,weight\r\nArmy,ISI,1\r\nArmy,Taliban,1\r\nISI,Taliban,1\r\n"
    );
    // A report inside the corpus folder would be scanned as a document:
    // refused, nothing written.
    ctrl_e(&mut h);
    h.get_by_label("Markdown report").click();
    h.run_steps(4);
    let inside = root.join("report.md");
    h.state_mut().export_dialog_mut().unwrap().dest = inside.display().to_string();
    h.get_by_label("Export").click();
    h.run_steps(4);
    let err = h.state().export_dialog().unwrap().error.clone().unwrap();
    assert!(err.contains("is inside the corpus folder"), "{err}");
    assert!(!inside.exists());
}

#[test]
fn a_corpus_export_finishing_after_its_dialog_closed_leaves_the_next_dialog_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("study");
    let mut h = whole_corpus_dialog(&root);
    h.get_by_label("CSV spreadsheet").click();
    h.run_steps(2);
    h.get_by_label("Export").click();
    h.run_steps(1);
    // Closed at once and opened again while the thread writes.
    h.state_mut().push(ModalIntent::Close);
    h.state_mut().push(ModalIntent::OpenExport);
    h.run_steps(1);
    for _ in 0..1000 {
        if !h.state().status.text.is_empty() && h.state().status.text.contains("Exported") {
            break;
        }
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        h.state()
            .status
            .text
            .contains("Exported 5 excerpts of 4 documents"),
        "{}",
        h.state().status.text
    );
    assert!(dir.path().join("study.csv").is_file());
    // The new dialog stays open, ready for another export.
    let d = h
        .state()
        .export_dialog()
        .expect("the new dialog stays open");
    assert!(!d.running);
    assert!(d.error.is_none(), "{:?}", d.error);
}
