//! `marginalia check` run as a real binary on an article edited after it
//! was annotated.

use marginalia::core::annotation::Annotation;
use marginalia::core::command::Command;
use marginalia::core::session::{OpenOptions, Session};
use marginalia::core::store;
use std::fs;
use std::path::Path;
use std::process::Command as Process;

const ORIGINAL: &str = "Islamabad, July 4. Pakistan agreed to reopen the NATO supply routes after Hillary Clinton said sorry for the Salala attack. \
The ISI welcomed the step. Drone strikes continued in North Waziristan, officials said. \
The Haqqani network was not mentioned in the statement released by the State Department.";

/// Annotates five passages, saves, then edits the article: one passage
/// untouched in place, two moved (text inserted before them), one
/// slightly reworded (fuzzy), one deleted (orphan).
fn annotated_then_edited(dir: &Path) -> std::path::PathBuf {
    let article = dir.join("truce.txt");
    fs::write(&article, ORIGINAL).unwrap();
    let (mut s, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    for quote in [
        "Islamabad",
        "Hillary Clinton said sorry for the Salala attack",
        "The ISI welcomed the step",
        "Drone strikes continued in North Waziristan",
        "The Haqqani network was not mentioned",
    ] {
        let start = ORIGINAL.find(quote).unwrap();
        let id = s.set.fresh_id();
        let a = Annotation::new(id, &s.text, start, start + quote.len(), "t");
        s.execute(Command::AddAnnotation(a)).unwrap();
    }
    s.save().unwrap();
    let edited = ORIGINAL
        .replace("July 4.", "July 4 (Reuters).")
        .replace(
            "Hillary Clinton said sorry for the Salala attack",
            "Hillary Clinton said sorry for the deadly Salala attack",
        )
        .replace(
            "Drone strikes continued in North Waziristan, officials said. ",
            "",
        );
    fs::write(&article, edited).unwrap();
    store::set_path_for(&article)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_counts_an_edited_article_and_fix_rewrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let set_path = annotated_then_edited(dir.path());
    let p = set_path.to_str().unwrap();
    let before = fs::read(&set_path).unwrap();
    let (code, out, err) = run(&["check", p]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("1 exact, 2 moved, 1 fuzzy, 1 orphaned"),
        "{out}"
    );
    assert_eq!(
        fs::read(&set_path).unwrap(),
        before,
        "check alone writes nothing"
    );

    let (code, out, _) = run(&["check", "--fix", p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("fixed"), "{out}");
    assert_eq!(fs::read(store::backup_path(&set_path)).unwrap(), before);
    let fixed = store::load(&set_path).unwrap();
    assert_eq!(fixed.annotations().len(), 4);
    assert_eq!(fixed.orphans.len(), 1);
    assert!(fixed.orphans[0].quote.starts_with("Drone strikes"));

    // After the fix every placed annotation is exact; the orphan remains
    // and keeps the exit code at 1.
    let (code, out, _) = run(&["check", p]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("4 exact, 0 moved, 0 fuzzy, 1 orphaned"),
        "{out}"
    );
}

#[test]
fn check_exit_codes_for_clean_and_unreadable_sets() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("clean.txt");
    fs::write(&article, ORIGINAL).unwrap();
    let (mut s, _) = Session::open(&article, &OpenOptions::default()).unwrap();
    let a = Annotation::new("a1".into(), &s.text, 0, 9, "t");
    s.execute(Command::AddAnnotation(a)).unwrap();
    let set_path = s.save().unwrap();
    let (code, out, _) = run(&["check", set_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 exact, 0 moved, 0 fuzzy, 0 orphaned"),
        "{out}"
    );
    // The article path finds its set too.
    let (code, _, _) = run(&["check", article.to_str().unwrap()]);
    assert_eq!(code, 0);

    let broken = dir.path().join("broken.annotations.ron");
    fs::write(&broken, "(version: 1, source: (").unwrap();
    let (code, _, err) = run(&["check", broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("broken.annotations.ron:1:"), "{err}");
}

#[test]
fn cli_bad_input_is_one_line_on_stderr_and_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, &[u8])> = vec![
        ("empty.txt", b""),
        ("binary.txt", b"ab\0cd"),
        ("latin.txt", b"caf\xe9"),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        let (code, _, err) = run(&["export", p.to_str().unwrap()]);
        assert_ne!(code, 0, "{name}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
    let (code, out, _) = run(&[
        "--legacy-encoding",
        "export",
        dir.path().join("latin.txt").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
}
