//! `marginalia merge-driver` installed in a real git repository as the
//! README says, then `git merge` of two branches that each added and
//! edited annotations in the same set: every annotation is kept, a true
//! conflict is reported (and kept in valid RON), a clean merge commits.

mod cli_support;
use cli_support::{put, run};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (good, out) = git(dir, args);
    assert!(good, "git {args:?}: {out}");
    out
}

const TEXT: &str = "The ISI met the CIA in Doha on Monday.\n";

fn line(id: &str, s: usize, e: usize, quote: &str, note: &str) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("note: Some(\"{note}\"), ")
    };
    format!(
        "    (id: \"{id}\", start: {s}, end: {e}, quote: \"{quote}\", prefix: \"\", suffix: \"\", issues: [\"Talks\"], actors: [], {note}created: \"t\", modified: \"t\"),\n"
    )
}

fn set(lines: &[String]) -> String {
    format!(
        "(\n  version: 2,\n  source: (path: \"a.txt\", sha256: \"s\", length: 39),\n  codebook: [\n    (name: \"Talks\", kind: Issue, color: \"#112233\"),\n  ],\n  annotations: [\n{}  ],\n)\n",
        lines.concat()
    )
}

/// A repository with the driver installed and a base commit: a1 (ISI).
fn repo(dir: &Path) {
    ok(dir, &["init", "-q", "-b", "main"]);
    ok(dir, &["config", "user.email", "t@example.org"]);
    ok(dir, &["config", "user.name", "Test"]);
    // The two lines of the README, with this build's binary.
    put(
        dir,
        ".gitattributes",
        "*.annotations.ron merge=marginalia\ncorpus.ron merge=marginalia\n",
    );
    let driver = format!(
        "{} merge-driver %O %A %B %P",
        env!("CARGO_BIN_EXE_marginalia")
    );
    ok(dir, &["config", "merge.marginalia.driver", &driver]);
    put(dir, "a.txt", TEXT);
    put(
        dir,
        "a.annotations.ron",
        &set(&[line("a1", 4, 7, "ISI", "")]),
    );
    ok(dir, &["add", "-A"]);
    ok(dir, &["commit", "-q", "-m", "base"]);
}

fn branch(dir: &Path, name: &str, content: &str) {
    ok(dir, &["checkout", "-q", "-b", name, "main"]);
    put(dir, "a.annotations.ron", content);
    ok(dir, &["commit", "-q", "-am", name]);
}

/// ann's branch and bob's from the base, then ann's checked out and bob's
/// merged into it: whether git merged, and what it said.
fn merge_ann_and_bob(d: &Path, ann: &[String], bob: &[String]) -> (bool, String) {
    branch(d, "ann", &set(ann));
    branch(d, "bob", &set(bob));
    ok(d, &["checkout", "-q", "ann"]);
    git(d, &["merge", "-q", "--no-edit", "bob"])
}

#[test]
fn a_real_git_merge_keeps_every_annotation_and_reports_the_true_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    repo(d);
    // ann adds ann-1 (CIA) and notes a1; bob adds bob-1 (Doha) and notes
    // a1 differently: a true conflict on a1's note.
    let (merged, out) = merge_ann_and_bob(
        d,
        &[
            line("a1", 4, 7, "ISI", "ann's note"),
            line("ann-1", 16, 19, "CIA", ""),
        ],
        &[
            line("a1", 4, 7, "ISI", "bob's note"),
            line("bob-1", 23, 27, "Doha", ""),
        ],
    );
    assert!(!merged, "the conflict is reported: {out}");
    let (_, status) = git(d, &["status", "--porcelain"]);
    assert!(status.contains("UU a.annotations.ron"), "{status}");
    let text = std::fs::read_to_string(d.join("a.annotations.ron")).unwrap();
    assert!(!text.contains("<<<<<<<"), "no text conflict marker: {text}");
    let set = marginalia::core::store::load(&d.join("a.annotations.ron")).expect("valid RON");
    let mut ids: Vec<&str> = set.annotations().iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["a1", "a1-m1", "ann-1", "bob-1"]);
    assert_eq!(set.get("a1").unwrap().note.as_deref(), Some("ann's note"));
    let other = set.get("a1-m1").unwrap();
    assert_eq!(other.note.as_deref(), Some("bob's note"));
    assert_eq!(other.conflict_of.as_deref(), Some("a1"));
}

#[test]
fn a_clean_merge_commits_and_a_corrupt_side_is_left_for_git() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    repo(d);
    // Changes that do not clash: ann notes a1, bob adds bob-1 — on the
    // same lines of the file, where git alone would conflict.
    let (merged, out) = merge_ann_and_bob(
        d,
        &[
            line("a1", 4, 7, "ISI", "ann's note"),
            line("ann-1", 16, 19, "CIA", ""),
        ],
        &[
            line("a1", 4, 7, "ISI", ""),
            line("bob-1", 16, 19, "CIA", ""),
        ],
    );
    assert!(merged, "{out}");
    let set = marginalia::core::store::load(&d.join("a.annotations.ron")).unwrap();
    let mut ids: Vec<&str> = set.annotations().iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["a1", "ann-1", "bob-1"]);
    assert_eq!(set.get("a1").unwrap().note.as_deref(), Some("ann's note"));
    // The driver alone: a corrupt THEIRS leaves OURS untouched, exit 2.
    put(d, "base.ron", &set_text(d));
    put(d, "ours.ron", &set_text(d));
    put(d, "theirs.ron", "(version: 2, source: (");
    let p = |n: &str| d.join(n).to_str().unwrap().to_owned();
    let before = std::fs::read(d.join("ours.ron")).unwrap();
    let (code, _, err) = run(&[
        "merge-driver",
        &p("base.ron"),
        &p("ours.ron"),
        &p("theirs.ron"),
        "a.annotations.ron",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("left as it is"), "{err}");
    assert_eq!(std::fs::read(d.join("ours.ron")).unwrap(), before);
    // A newer version on one side: the same.
    put(
        d,
        "theirs.ron",
        &set_text(d).replace("version: 2", "version: 99"),
    );
    let (code, _, err) = run(&[
        "merge-driver",
        &p("base.ron"),
        &p("ours.ron"),
        &p("theirs.ron"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(d.join("ours.ron")).unwrap(), before);
}

fn set_text(d: &Path) -> String {
    std::fs::read_to_string(d.join("a.annotations.ron")).unwrap()
}
