//! `marginalia corpus` and `marginalia search` run as the real binary on a
//! small corpus built here (a coded set, a set from a newer version, a
//! corrupt set, an uncoded article; multibyte, CRLF and BOM texts): exact
//! JSON with hand-counted numbers, errors listed, never skipped.

use std::path::Path;
mod cli_support;
use cli_support::{put, run};

/// One annotation line of a set.
fn ann(
    id: &str,
    span: (usize, usize),
    quote: &str,
    issues: &str,
    actors: &str,
    coder: &str,
) -> String {
    format!(
        "    (id: \"{id}\", start: {}, end: {}, quote: \"{quote}\", prefix: \"\", suffix: \"\", issues: [{issues}], actors: [{actors}], coder: Some(\"{coder}\"), created: \"t\", modified: \"t\"),\n",
        span.0, span.1
    )
}

fn set(source: &str, status: &str, codebook: &str, anns: &[String]) -> String {
    format!(
        "(\n  version: 2,\n  source: (path: \"{source}\", sha256: \"x\", length: 0),\n  metadata: ({status}),\n  codebook: [\n{codebook}  ],\n  annotations: [\n{}  ],\n)\n",
        anns.concat()
    )
}

/// dawn/a.txt: coded by ann and bob (Drones twice, ISI once, Trade once);
/// nation/b.txt: coded by ann (Drones once), Done; nation/c.txt: no set;
/// nation/d.txt: corrupt set; e.txt: a set from version 99.
fn corpus(root: &Path) {
    put(
        root,
        "dawn/a.txt",
        "\u{feff}Drones hit Wana.\r\nISI said: وزیر ISI.\r\n",
    );
    put(
        root,
        "dawn/a.annotations.ron",
        &set(
            "a.txt",
            "status: InProgress",
            "    (name: \"Drones\", kind: Issue, color: \"#d55e00\"),\n    (name: \"Trade\", kind: Issue, color: \"#009e73\"),\n    (name: \"ISI\", kind: Actor, color: \"#6666cc\"),\n",
            &[
                ann("a1", (0, 6), "Drones", "\"Drones\"", "", "ann"),
                ann(
                    "a2",
                    (18, 21),
                    "ISI",
                    "\"Drones\", \"Trade\"",
                    "\"ISI\"",
                    "bob",
                ),
            ],
        ),
    );
    put(root, "nation/b.txt", "More drones.\n");
    put(
        root,
        "nation/b.annotations.ron",
        &set(
            "b.txt",
            "status: Done",
            "    (name: \"Drones\", kind: Issue, color: \"#d55e00\"),\n",
            &[ann("a1", (5, 11), "drones", "\"Drones\"", "", "ann")],
        ),
    );
    put(root, "nation/c.txt", "Nothing coded: drone.\n");
    put(root, "nation/d.txt", "Corrupt.\n");
    put(
        root,
        "nation/d.annotations.ron",
        "(version: 1, source: (path: ",
    );
    put(root, "e.txt", "Newer.\n");
    put(root, "e.annotations.ron", "(version: 99)\n");
}

#[test]
fn corpus_json_counts_by_hand_and_lists_unreadable_sets() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path());
    let (code, out, err) = run(&["corpus", d.path().to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "unreadable sets make the exit 1: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], 5);
    assert_eq!(v["annotated"], 2);
    assert_eq!(v["annotations"], 3);
    assert_eq!(
        v["tags"],
        serde_json::json!({
            "Drones": {"kind": "issue", "annotations": 3, "documents": 2},
            "Trade": {"kind": "issue", "annotations": 1, "documents": 1},
            "ISI": {"kind": "actor", "annotations": 1, "documents": 1},
        })
    );
    assert_eq!(v["coders"], serde_json::json!({"ann": 2, "bob": 1}));
    // a InProgress, b Done, c (no set) ToDo; d and e unreadable.
    assert_eq!(
        v["status"],
        serde_json::json!({"ToDo": 1, "InProgress": 1, "Done": 1})
    );
    let errors = v["errors"].as_array().unwrap();
    let paths: Vec<&str> = errors.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["e.annotations.ron", "nation/d.annotations.ron"]);
    assert!(
        errors[0]["error"].as_str().unwrap().contains("99"),
        "{errors:?}"
    );
    assert!(err.contains("nation/d.annotations.ron"), "{err}");
    // Nothing was rewritten.
    assert_eq!(
        std::fs::read_to_string(d.path().join("nation/d.annotations.ron")).unwrap(),
        "(version: 1, source: (path: "
    );
}

#[test]
fn search_json_gives_code_point_offsets_in_every_document() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path());
    let dir = d.path().to_str().unwrap();
    let (code, out, err) = run(&["search", dir, "isi", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents_searched"], 5);
    // BOM dropped, CRLF two code points: "Drones hit Wana.\r\n" is 0..18,
    // "ISI" 18..21, " said: " 21..28, "وزیر" 28..32, " " 32, "ISI" 33..36.
    assert_eq!(
        v["matches"],
        serde_json::json!([
            {"document": "dawn/a.txt", "start": 18, "end": 21, "text": "ISI"},
            {"document": "dawn/a.txt", "start": 33, "end": 36, "text": "ISI"},
        ])
    );
    let (_, out, _) = run(&["search", dir, "وزیر", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"][0]["start"], 28);
    assert_eq!(v["matches"][0]["end"], 32);
    // Whole words: "drone" is not inside "drones"; case-sensitive "Drones".
    let (_, out, _) = run(&["search", dir, "drone", "--word", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"].as_array().unwrap().len(), 1);
    assert_eq!(v["matches"][0]["document"], "nation/c.txt");
    let (_, out, _) = run(&["search", dir, "Drones", "--case", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"].as_array().unwrap().len(), 1);
    let (_, out, _) = run(&["search", dir, r"dron\w+", "--regex", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"].as_array().unwrap().len(), 3);
    // Plain output: path:start-end with the match in context.
    let (_, out, _) = run(&["search", dir, "wana"]);
    assert_eq!(
        out,
        "dawn/a.txt:11-15: Drones hit [Wana].  ISI said: وزیر ISI.  \n"
    );
    // One article: named relative to its folder.
    let (_, out, _) = run(&[
        "search",
        d.path().join("nation/b.txt").to_str().unwrap(),
        "drones",
    ]);
    assert!(out.starts_with("b.txt:5-11: More [drones]"), "{out}");
    // A bad regex: exit 2 with the parser's message.
    let (code, _, err) = run(&["search", dir, "(", "--regex"]);
    assert_eq!(code, 2);
    assert!(err.contains("unclosed group"), "{err}");
}

#[test]
fn unknown_tags_mistyped_commands_and_options_that_do_not_apply_are_refused() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path());
    let a = d.path().join("dawn/a.txt");
    let a = a.to_str().unwrap();
    // A filter naming no tag: the closest named, exit 1, nothing written.
    let (code, out, err) = run(&["export", a, "-f", "csv", "--issue", "Drone"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("no issue named “Drone” in these sets (did you mean “Drones”?)"),
        "{err}"
    );
    let (code, _, err) = run(&["export", a, "--actor", "IS"]);
    assert_eq!(code, 1);
    assert!(err.contains("no actor named “IS”"), "{err}");
    // The right name still exports.
    let (code, out, _) = run(&["export", a, "-f", "csv", "--issue", "Trade"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
    // A mistyped subcommand names itself and the closest one.
    let (code, _, err) = run(&["exprot", a]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown command 'exprot' (did you mean 'export'?)"),
        "{err}"
    );
    // Options that do not apply to the format.
    let (code, _, err) = run(&["export", a, "-f", "json", "--network", "actors"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--network applies to -f graphml and -f edges, not -f json"),
        "{err}"
    );
    let (code, _, err) = run(&["export", a, "-f", "md", "--long"]);
    assert_eq!(code, 1);
    assert!(err.contains("--long applies to -f csv"), "{err}");
    // brat writes a folder: a file-like name is refused, no folder made.
    let out_txt = d.path().join("brat.txt");
    let (code, _, err) = run(&["export", a, "-f", "brat", "-o", out_txt.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("looks like a file name"), "{err}");
    assert!(!out_txt.exists());
    // An article whose set is corrupt or newer: the export fails as the
    // set itself does (it used to print an empty export and exit 0).
    for article in ["nation/d.txt", "e.txt"] {
        let p = d.path().join(article);
        let (code, out, err) = run(&["export", p.to_str().unwrap(), "-f", "json"]);
        assert_eq!(code, 1, "{article}: {err}");
        assert!(out.is_empty(), "{article}: {out}");
        assert!(err.contains("nothing was exported"), "{article}: {err}");
    }
}

#[test]
fn matrix_export_counts_excerpts_per_document_and_tag() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path());
    let a = d.path().join("dawn/a.annotations.ron");
    let b = d.path().join("nation/b.annotations.ron");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    // a: Drones in a1 and a2, Trade and ISI in a2; b: Drones in a1.
    let (code, out, err) = run(&["export", a, b, "-f", "matrix"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "document,title,author,publication,date,url,status,issue:Drones,issue:Trade,actor:ISI\r\n\
         a.txt,,,,,,in_progress,2,1,1\r\n\
         b.txt,,,,,,done,1,0,0\r\n"
    );
    let (code, binary, _) = run(&["export", a, b, "-f", "matrix", "--binary"]);
    assert_eq!(code, 0);
    assert!(
        binary.contains("a.txt,,,,,,in_progress,1,1,1\r\n"),
        "{binary}"
    );
    let (code, _, err) = run(&["export", a, "-f", "csv", "--binary"]);
    assert_eq!(code, 1);
    assert!(err.contains("--binary applies to -f matrix"), "{err}");
}

#[test]
fn codebook_import_with_nothing_new_is_a_success_with_a_note() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path());
    let a = d.path().join("dawn/a.txt");
    let qdc = d.path().join("cb.qdc");
    let (code, _, err) = run(&[
        "codebook",
        "export",
        a.to_str().unwrap(),
        "-o",
        qdc.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let set = d.path().join("dawn/a.annotations.ron");
    let before = std::fs::read(&set).unwrap();
    let (code, _, err) = run(&[
        "codebook",
        "import",
        qdc.to_str().unwrap(),
        a.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nothing to change"), "{err}");
    assert_eq!(std::fs::read(&set).unwrap(), before, "nothing written");
}
