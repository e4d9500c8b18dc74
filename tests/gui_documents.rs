//! Headless UI tests (egui_kittest) of what carries over between
//! documents and survives a crash: the filter stays from one article to
//! the next and follows codebook changes; a recovery prompt is answered
//! before a new article takes the last codebook, so declining it keeps the
//! journaled work.
#![cfg(feature = "gui")]

mod common;
use common::{harness, open, sample_copy, tag_start};

use marginalia::app::MarginaliaApp;
use marginalia::app::model::*;
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;
use marginalia::core::filter::AnnotationFilter;
use std::path::Path;

fn filtered(h: &egui_kittest::Harness<'_, MarginaliaApp>) -> Option<usize> {
    let w = h.state().workspace().unwrap();
    w.derived.filtered().map(<[usize]>::len)
}

#[test]
fn a_parent_filter_follows_a_renamed_child() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    tag_start(&mut h, TagKind::Issue, "Trade");
    let s = h.state().session().unwrap();
    let parent = s.set.codebook.new_tag(TagKind::Issue, "Economy");
    let mut child = s.set.codebook.get(TagKind::Issue, "Trade").unwrap().clone();
    child.parent = Some("Economy".into());
    h.state_mut().push(DocIntent::Execute(Command::Batch {
        label: "setup".into(),
        commands: vec![
            Command::CreateTag(parent),
            Command::UpdateTag {
                kind: TagKind::Issue,
                name: "Trade".into(),
                tag: child.clone(),
            },
        ],
    }));
    h.run_steps(2);
    let filter = AnnotationFilter {
        tags: vec![(TagKind::Issue, "Economy".into())],
        ..Default::default()
    };
    h.state_mut().push(ViewIntent::SetFilter {
        filter,
        show_only: true,
    });
    h.run_steps(2);
    assert_eq!(filtered(&h), Some(1), "the child's annotation matches");
    let mut renamed = child;
    renamed.name = "Trade policy".into();
    h.state_mut().push(DocIntent::Execute(Command::UpdateTag {
        kind: TagKind::Issue,
        name: "Trade".into(),
        tag: renamed,
    }));
    h.run_steps(2);
    assert_eq!(filtered(&h), Some(1), "still matched after the rename");
}

#[test]
fn the_filter_stays_when_the_next_article_opens() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "The ISI met the CIA.\n").unwrap();
    let mut h = harness(open(&sample_copy(dir.path())));
    let filter = AnnotationFilter {
        kind: Some(TagKind::Actor),
        ..Default::default()
    };
    h.state_mut().push(ViewIntent::SetFilter {
        filter: filter.clone(),
        show_only: true,
    });
    h.run_steps(2);
    h.state_mut().push(FileIntent::Open(other));
    h.run_steps(3);
    assert_eq!(h.state().session().unwrap().display_name(), "other.txt");
    assert_eq!(h.state().view().filter, filter);
    assert!(h.state().view().show_only);
    assert_eq!(filtered(&h), Some(0));
}

fn files_with(dir: &Path, part: &str) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(part))
        .collect();
    v.sort();
    v
}

#[test]
fn declining_a_recovery_keeps_the_work_even_when_a_last_codebook_exists() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = dir.path().join("fallback");
    // A set used before, with a codebook: new articles start with it.
    let earlier = dir.path().join("earlier.txt");
    std::fs::write(&earlier, "Earlier article about drones.\n").unwrap();
    {
        let mut h = harness(open(&earlier));
        tag_start(&mut h, TagKind::Issue, "Drones");
        h.state_mut().push(FileIntent::Save);
        h.run_steps(2);
    }
    let last = dir.path().join("earlier.annotations.ron");
    assert!(last.is_file());
    let article = dir.path().join("new.txt");
    std::fs::write(&article, "The ISI met the CIA in Doha.\n").unwrap();
    let start = |dir: &Path| {
        let mut app = MarginaliaApp::empty();
        app.prefs.last_set = Some(last.clone());
        app.set_recovery_dir(&dir.join("fallback"));
        app.push(FileIntent::Open(article.clone()));
        let mut h = harness(app);
        h.run_steps(3);
        h
    };
    // First run: the new article takes the last codebook; tag, "crash".
    {
        let mut h = start(dir.path());
        let cb = &h.state().session().unwrap().set.codebook;
        assert!(cb.get(TagKind::Issue, "Drones").is_some());
        tag_start(&mut h, TagKind::Actor, "ISI");
        h.state_mut().flush_journal().unwrap();
    }
    // Second run: the prompt comes first; nothing is journaled behind it.
    let mut h = start(dir.path());
    assert!(matches!(h.state().modal(), Some(Modal::Recovery(_))));
    h.state_mut().push(ModalIntent::DeclineRecovery);
    h.run_steps(2);
    let declined = files_with(dir.path(), ".declined-");
    let declined = [declined, files_with(&fallback, ".declined-")].concat();
    assert_eq!(declined.len(), 1, "{declined:?}");
    let kept = std::fs::read_to_string(&declined[0]).unwrap();
    assert!(
        kept.contains("ISI"),
        "the declined journal holds the work: {kept}"
    );
}
