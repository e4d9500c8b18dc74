//! `marginalia agreement` run as the real binary on sets and folders built
//! here, with figures computed by hand and checked against reference
//! implementations (see each expected value's comment).

use serde_json::Value;
mod cli_support;
use cli_support::{put, run};

/// One annotation line: id, span, issues, actors, stance, coder.
fn ann(
    id: &str,
    span: (usize, usize),
    issues: &str,
    actors: &str,
    stance: &str,
    coder: &str,
) -> String {
    let stance = if stance.is_empty() {
        String::new()
    } else {
        format!("stance: Some({stance}), ")
    };
    format!(
        "    (id: \"{id}\", start: {}, end: {}, quote: \"\", issues: [{issues}], actors: [{actors}], {stance}coder: Some(\"{coder}\"), created: \"t\", modified: \"t\"),\n",
        span.0, span.1
    )
}

fn set(source: &str, sha: &str, len: usize, anns: &[String]) -> String {
    format!(
        "(\n  version: 2,\n  source: (path: \"{source}\", sha256: \"{sha}\", length: {len}),\n  codebook: [\n    (name: \"Drones\", kind: Issue, color: \"#112233\"),\n    (name: \"Strikes\", kind: Issue, color: \"#112233\", parent: Some(\"Drones\")),\n    (name: \"ISI\", kind: Actor, color: \"#112233\"),\n  ],\n  annotations: [\n{}  ],\n)\n",
        anns.concat()
    )
}

/// The article has 20 code points (Urdu and CRLF count one per code
/// point). Coder ann: Drones [0,5) Support and [10,15); ISI [7,11).
/// Coder bob: Drones [0,5) Support and [12,18) Oppose.
fn ann_and_bob() -> (Vec<String>, Vec<String>) {
    (
        vec![
            ann("a1", (0, 5), "\"Drones\"", "", "Support", "ann"),
            ann("a2", (7, 11), "", "\"ISI\"", "", "ann"),
            ann("a3", (10, 15), "\"Drones\"", "", "", "ann"),
        ],
        vec![
            ann("b1", (0, 5), "\"Drones\"", "", "Support", "bob"),
            ann("b2", (12, 18), "\"Drones\"", "", "Oppose", "bob"),
        ],
    )
}

const TEXT: &str = "Drones اردو hit.\r\nOk";

fn close(v: &Value, want: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("a number, got {v}"));
    assert!((x - want).abs() < 1e-12, "{x} != {want}");
}

/// Drones: n11 = 8, n10 = 2, n01 = 3, n00 = 7 (N = 20).
/// percent 15/20; p_a = .5, p_b = .55, p_e = .5, kappa .5 (sklearn 1.9.1
/// `cohen_kappa_score` gives 0.5); alpha 1 − 39·5/(19·21) (`krippendorff`
/// 0.9.0 nominal gives 0.5112781954887218); alpha_u: Σδ = 13 (the units
/// [10,15) and [12,18): 2² + 3²), D_o 13/400, D_e 439/4900, from a Python
/// port of DKPro Statistics' `KrippendorffAlphaUnitizingAgreement` checked
/// against DKPro's own tests: 0.6372437357630979. F1: 1 exact of 2 + 2,
/// 2 overlapping; stance equal on one of the two overlap pairs.
fn check_drones(f: &Value) {
    close(&f["percent"], 0.75);
    close(&f["kappa"], 0.5);
    close(&f["alpha"], 1.0 - 195.0 / 399.0);
    close(&f["alpha"], 0.5112781954887218);
    close(&f["alpha_u"], 0.6372437357630979);
    close(&f["f1_exact"], 0.5);
    close(&f["f1_overlap"], 1.0);
    close(&f["stance"], 0.5);
    assert_eq!((f["a"].as_u64(), f["b"].as_u64()), (Some(2), Some(2)));
}

/// ISI, ann only [7,11): percent 16/20; p_b = 0, so p_e = p_o = .8 and
/// kappa 0; alpha 1 − 39·4/(36·4); alpha_u −0.43333… (the DKPro port);
/// F1 0 (one side used it); no match, so no stance figure.
fn check_isi(f: &Value) {
    close(&f["percent"], 0.8);
    close(&f["kappa"], 0.0);
    close(&f["alpha"], 1.0 - 156.0 / 144.0);
    close(&f["alpha_u"], -0.43333333333333335);
    close(&f["f1_exact"], 0.0);
    close(&f["f1_overlap"], 0.0);
    assert!(f["stance"].is_null());
    assert_eq!((f["a"].as_u64(), f["b"].as_u64()), (Some(1), Some(0)));
}

/// Both tags pooled: n11 8, n10 6, n01 3, n00 23 over 40 code points.
/// kappa 0.47976878612716767 and alpha 0.48290909090909084 (sklearn and
/// `krippendorff` on the two continua concatenated); alpha_u of the
/// concatenation 0.5987137261883567 (the DKPro port); F1 2·1/5 and 2·2/5.
fn check_overall(f: &Value) {
    close(&f["percent"], 31.0 / 40.0);
    close(&f["kappa"], 0.47976878612716767);
    close(&f["alpha"], 0.48290909090909084);
    close(&f["alpha_u"], 0.5987137261883567);
    close(&f["f1_exact"], 0.4);
    close(&f["f1_overlap"], 0.8);
    close(&f["stance"], 0.5);
}

#[test]
fn two_sets_of_one_article_give_the_hand_computed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (a, b) = ann_and_bob();
    put(root, "a.txt", TEXT);
    put(
        root,
        "ann/a.annotations.ron",
        &set("../a.txt", "s1", 20, &a),
    );
    put(
        root,
        "bob/a.annotations.ron",
        &set("../a.txt", "s1", 20, &b),
    );
    let (x, y) = (
        root.join("ann/a.annotations.ron"),
        root.join("bob/a.annotations.ron"),
    );
    let (code, out, err) = run(&[
        "agreement",
        x.to_str().unwrap(),
        y.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["coders"], serde_json::json!(["ann", "bob"]));
    assert_eq!(j["documents"].as_array().unwrap().len(), 1);
    assert_eq!(j["documents"][0]["length"], 20);
    check_drones(&j["documents"][0]["tags"]["Drones"]);
    check_isi(&j["documents"][0]["tags"]["ISI"]);
    assert!(
        j["documents"][0]["tags"].get("Strikes").is_none(),
        "unused in the document"
    );
    // One document: the pooled figures are the document's.
    check_drones(&j["tags"]["Drones"]);
    check_isi(&j["tags"]["ISI"]);
    check_overall(&j["overall"]);
    assert_eq!(j["unpaired"], serde_json::json!([]));
    // A copy of a set under another name is read as a set.
    let copy = root.join("bob-copy.ron");
    std::fs::copy(&y, &copy).unwrap();
    let (code, again, err) = run(&[
        "agreement",
        x.to_str().unwrap(),
        copy.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j2: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(j2["tags"], j["tags"]);
    // The same again: the same bytes.
    let (_, again, _) = run(&[
        "agreement",
        x.to_str().unwrap(),
        y.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out, again);
    // The table lists the weakest first (ISI's alpha is below Drones').
    let (code, table, _) = run(&["agreement", x.to_str().unwrap(), y.to_str().unwrap()]);
    assert_eq!(code, 0);
    let isi = table.find("\nISI").unwrap();
    let drones = table.find("\nDrones").unwrap();
    assert!(isi < drones, "{table}");
    assert!(
        table.starts_with("ann and bob: 1 document compared"),
        "{table}"
    );
    assert!(table.contains("0.750"), "{table}");
    // What they disagree on: ann's ISI alone; ann's [10,15) and bob's
    // [12,18) overlap with ends 2 and 3 apart; [0,5) agrees.
    let (code, table, _) = run(&[
        "agreement",
        x.to_str().unwrap(),
        y.to_str().unwrap(),
        "--disagreements",
    ]);
    assert_eq!(code, 0);
    assert!(
        table.contains("2 disagreements\n  7–11: only A\n  10–18: boundaries differ by 5\n"),
        "{table}"
    );
}

#[test]
fn two_coders_in_one_set_and_a_tag_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (mut a, b) = ann_and_bob();
    a.extend(b);
    // bob also codes Strikes (a child of Drones) over [5,7).
    a.push(ann("b3", (5, 7), "\"Strikes\"", "", "", "bob"));
    put(root, "a.txt", TEXT);
    put(root, "a.annotations.ron", &set("a.txt", "s1", 20, &a));
    let p = root.join("a.annotations.ron");
    let p = p.to_str().unwrap();
    let (code, out, err) = run(&[
        "agreement",
        p,
        "--coders",
        "ann,bob",
        "--tag",
        "Drones",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    check_drones(&j["tags"]["Drones"]);
    assert_eq!(
        j["tags"].as_object().unwrap().len(),
        1,
        "only the tag asked for"
    );
    // With children, bob's Strikes [5,7) counts as Drones: bob covers
    // 13 code points, n11 8, n01 5, n00 5: percent 13/20.
    let (code, out, _) = run(&[
        "agreement",
        p,
        "--coders",
        "ann,bob",
        "--tag",
        "Drones",
        "--with-children",
        "--json",
    ]);
    assert_eq!(code, 0);
    let j: Value = serde_json::from_str(&out).unwrap();
    close(&j["tags"]["Drones"]["percent"], 13.0 / 20.0);
    assert_eq!(j["tags"]["Drones"]["b"], 3);
}

#[test]
fn two_folders_pair_documents_by_path_and_text_and_list_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = (dir.path().join("ann"), dir.path().join("bob"));
    let (a, b) = ann_and_bob();
    for (root, anns) in [(&x, &a), (&y, &b)] {
        put(root, "dawn/a.txt", TEXT);
        put(
            root,
            "dawn/a.annotations.ron",
            &set("a.txt", "s1", 20, anns),
        );
    }
    // Only in ann's clone; and a text that differs between the clones.
    put(&x, "only.txt", "Only here.");
    put(
        &x,
        "only.annotations.ron",
        &set(
            "only.txt",
            "s2",
            10,
            &[ann("o", (0, 4), "\"Drones\"", "", "", "ann")],
        ),
    );
    for (root, sha) in [(&x, "s3"), (&y, "s4")] {
        put(root, "edited.txt", "Edited text");
        put(
            root,
            "edited.annotations.ron",
            &set(
                "edited.txt",
                sha,
                11,
                &[ann("e", (0, 6), "\"Drones\"", "", "", "x")],
            ),
        );
    }
    let (code, out, err) = run(&[
        "agreement",
        x.to_str().unwrap(),
        y.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["documents"].as_array().unwrap().len(), 1);
    assert_eq!(j["documents"][0]["document"], "dawn/a.txt");
    check_drones(&j["tags"]["Drones"]);
    check_overall(&j["overall"]);
    assert_eq!(j["unpaired"], serde_json::json!(["edited.txt", "only.txt"]));
}

#[test]
fn bad_input_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (a, b) = ann_and_bob();
    put(root, "x.annotations.ron", &set("a.txt", "s1", 20, &a));
    put(root, "y.annotations.ron", &set("a.txt", "s9", 20, &b));
    put(root, "bad.annotations.ron", "(version: 2, source: (");
    let p = |n: &str| root.join(n).to_str().unwrap().to_owned();
    let (code, _, err) = run(&[
        "agreement",
        &p("x.annotations.ron"),
        &p("y.annotations.ron"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("annotate different texts"), "{err}");
    let (code, _, err) = run(&[
        "agreement",
        &p("x.annotations.ron"),
        &p("bad.annotations.ron"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.annotations.ron"), "{err}");
    let (code, _, err) = run(&["agreement", &p("x.annotations.ron")]);
    assert_eq!(code, 2);
    assert!(err.contains("--coders"), "{err}");
    let (code, _, err) = run(&[
        "agreement",
        &p("x.annotations.ron"),
        "--coders",
        "ann,bob",
        "--tag",
        "Drone",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean “Drones”"), "{err}");
    // A coder with no annotations: figures, not a crash (no F1 match, no
    // stance, kappa 0 where only one coder coded).
    let (code, out, err) = run(&[
        "agreement",
        &p("x.annotations.ron"),
        "--coders",
        "ann,zed",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["tags"]["Drones"]["b"], 0);
    close(&j["tags"]["Drones"]["kappa"], 0.0);
    assert!(j["tags"]["Drones"]["stance"].is_null());
}
