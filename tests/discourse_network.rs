//! Discourse networks against a reference computed independently with
//! numpy, and the `marginalia network` command on a corpus folder (time
//! windows, formats, bad input).

mod cli_support;
use cli_support::{put, run};
use marginalia::core::annotation::{Annotation, Stance};
use marginalia::core::discourse_network::{
    Duplicates, NetworkChoices, NodeMode, Normalization, Qualifier,
};
use marginalia::core::export::ExportDoc;
use marginalia::core::export::discourse_network::{
    NetworkFormat, NetworkRequest, network_to_path, network_to_string,
};
use marginalia::core::set::{AnnotationSet, SourceRef};
use marginalia::core::text::Text;

type Doc = (
    &'static str,
    &'static str,
    &'static [(
        &'static [&'static str],
        &'static [&'static str],
        Option<Stance>,
    )],
);

/// The corpus drawn by `tests/fixtures/network/dna_reference.py` (seed
/// 15): date, outlet, and per annotation its actors, issues and stance.
const CORPUS: [Doc; 8] = [
    (
        "2012-01-01",
        "Dawn",
        &[
            (&["Army", "PTI"], &["Drones"], Some(Stance::Support)),
            (
                &["Haqqani network", "ISI"],
                &["Drones"],
                Some(Stance::Support),
            ),
            (&["PTI"], &["Talks", "Trade"], None),
        ],
    ),
    (
        "2012-01-05",
        "The Nation",
        &[
            (&["Haqqani network"], &["Talks"], Some(Stance::Oppose)),
            (&["PTI"], &["Trade"], None),
            (&["PTI"], &["Talks"], Some(Stance::Neutral)),
            (&["ISI"], &["Talks", "Trade"], None),
            (&["PTI"], &["Drones"], Some(Stance::Oppose)),
        ],
    ),
    (
        "2012-01-09",
        "Dawn",
        &[
            (
                &["Army", "Haqqani network"],
                &["Drones", "Talks"],
                Some(Stance::Support),
            ),
            (&["PTI"], &["Drones"], None),
            (
                &["Haqqani network", "ISI"],
                &["Drones", "Trade"],
                Some(Stance::Neutral),
            ),
            (&["Haqqani network"], &["Talks"], Some(Stance::Oppose)),
            (&["Haqqani network", "ISI"], &["Talks"], None),
            (&["ISI"], &["Drones"], Some(Stance::Support)),
            (
                &["Haqqani network", "PTI"],
                &["Drones"],
                Some(Stance::Neutral),
            ),
        ],
    ),
    (
        "2012-01-13",
        "Dawn",
        &[
            (&["Army"], &["Drones"], Some(Stance::Neutral)),
            (&["PTI"], &["Talks", "Trade"], Some(Stance::Support)),
            (&["Army", "Haqqani network"], &["Trade"], None),
            (&["PTI"], &["Talks", "Trade"], Some(Stance::Support)),
            (&["Army", "PTI"], &["Trade"], None),
        ],
    ),
    (
        "2012-01-17",
        "The Nation",
        &[
            (&["ISI"], &["Talks", "Trade"], Some(Stance::Support)),
            (&["PTI"], &["Trade"], Some(Stance::Neutral)),
            (&["ISI", "PTI"], &["Drones"], Some(Stance::Neutral)),
            (&["PTI"], &["Talks", "Trade"], Some(Stance::Oppose)),
            (
                &["Haqqani network", "ISI"],
                &["Drones"],
                Some(Stance::Neutral),
            ),
        ],
    ),
    (
        "2012-01-21",
        "Dawn",
        &[
            (&["Haqqani network"], &["Drones", "Trade"], None),
            (&["Haqqani network"], &["Drones"], Some(Stance::Neutral)),
            (&["PTI"], &["Talks", "Trade"], Some(Stance::Support)),
            (&["Army"], &["Drones"], None),
            (
                &["Haqqani network"],
                &["Talks", "Trade"],
                Some(Stance::Neutral),
            ),
        ],
    ),
    (
        "2012-01-25",
        "The Nation",
        &[
            (
                &["Army", "ISI"],
                &["Drones", "Talks"],
                Some(Stance::Neutral),
            ),
            (&["PTI"], &["Talks"], Some(Stance::Neutral)),
            (&["ISI"], &["Drones"], Some(Stance::Support)),
            (&["Haqqani network"], &["Drones"], Some(Stance::Neutral)),
        ],
    ),
    (
        "2012-01-29",
        "Dawn",
        &[
            (&["ISI", "PTI"], &["Drones"], Some(Stance::Neutral)),
            (&["Army"], &["Talks"], Some(Stance::Oppose)),
            (&["Haqqani network"], &["Trade"], Some(Stance::Oppose)),
        ],
    ),
];

/// One reference network: the options and the matrix numpy gave.
struct Case {
    spec: (Qualifier, Normalization, Duplicates, NodeMode),
    window: Option<u32>,
    names: &'static [&'static str],
    matrix: &'static [&'static [f64]],
}

/// Produced by `python3 tests/fixtures/network/dna_reference.py` (numpy
/// 2.4.6, Python 3.11): the matrices are numpy products of the actor ×
/// issue count matrices, independent of Marginalia's code; the output was
/// pasted here, written as Rust.
const REFERENCE: [Case; 10] = [
    // congruence none include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Congruence,
            Normalization::None,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 7.0, 7.0, 5.0],
            &[7.0, 0.0, 7.0, 7.0],
            &[7.0, 7.0, 0.0, 7.0],
            &[5.0, 7.0, 7.0, 0.0],
        ],
    },
    // congruence average include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Congruence,
            Normalization::Average,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 1.4, 1.5555555555555556, 0.8333333333333334],
            &[1.4, 0.0, 1.2727272727272727, 1.0],
            &[
                1.5555555555555556,
                1.2727272727272727,
                0.0,
                1.0769230769230769,
            ],
            &[0.8333333333333334, 1.0, 1.0769230769230769, 0.0],
        ],
    },
    // congruence jaccard include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Congruence,
            Normalization::Jaccard,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 2.3333333333333335, 3.5, 0.7142857142857143],
            &[2.3333333333333335, 0.0, 1.75, 1.0],
            &[3.5, 1.75, 0.0, 1.1666666666666667],
            &[0.7142857142857143, 1.0, 1.1666666666666667, 0.0],
        ],
    },
    // congruence cosine include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Congruence,
            Normalization::Cosine,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[
                0.0,
                1.4288690166235207,
                1.5652475842498528,
                0.8838834764831843,
            ],
            &[
                1.4288690166235207,
                0.0,
                1.2780193008453875,
                1.0103629710818451,
            ],
            &[
                1.5652475842498528,
                1.2780193008453875,
                0.0,
                1.1067971810589328,
            ],
            &[
                0.8838834764831843,
                1.0103629710818451,
                1.1067971810589328,
                0.0,
            ],
        ],
    },
    // conflict none include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Conflict,
            Normalization::None,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 3.0, 1.0, 5.0],
            &[3.0, 0.0, 3.0, 9.0],
            &[1.0, 3.0, 0.0, 5.0],
            &[5.0, 9.0, 5.0, 0.0],
        ],
    },
    // subtract none include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Subtract,
            Normalization::None,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 4.0, 6.0, 0.0],
            &[4.0, 0.0, 4.0, -2.0],
            &[6.0, 4.0, 0.0, 2.0],
            &[0.0, -2.0, 2.0, 0.0],
        ],
    },
    // ignore none include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Ignore,
            Normalization::None,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 38.0, 40.0, 48.0],
            &[38.0, 0.0, 49.0, 63.0],
            &[40.0, 49.0, 0.0, 64.0],
            &[48.0, 63.0, 64.0, 0.0],
        ],
    },
    // congruence none include=True docs=[0, 1, 2, 3, 4, 5, 6, 7] actors
    Case {
        spec: (
            Qualifier::Congruence,
            Normalization::None,
            Duplicates::Include,
            NodeMode::Actors,
        ),
        window: None,
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 7.0, 7.0, 6.0],
            &[7.0, 0.0, 7.0, 8.0],
            &[7.0, 7.0, 0.0, 9.0],
            &[6.0, 8.0, 9.0, 0.0],
        ],
    },
    // congruence cosine include=False docs=[0, 1, 2, 3, 4, 5, 6, 7] issues
    Case {
        spec: (
            Qualifier::Congruence,
            Normalization::Cosine,
            Duplicates::PerDocument,
            NodeMode::Issues,
        ),
        window: None,
        names: &["Drones", "Talks", "Trade"],
        matrix: &[
            &[0.0, 1.1111111111111112, 0.8944271909999159],
            &[1.1111111111111112, 0.0, 1.1925695879998879],
            &[0.8944271909999159, 1.1925695879998879, 0.0],
        ],
    },
    // subtract jaccard include=False docs=[0, 1, 2, 3] actors
    Case {
        spec: (
            Qualifier::Subtract,
            Normalization::Jaccard,
            Duplicates::PerDocument,
            NodeMode::Actors,
        ),
        window: Some(14),
        names: &["Army", "Haqqani network", "ISI", "PTI"],
        matrix: &[
            &[0.0, 0.6, 4.0, 0.16666666666666666],
            &[0.6, 0.0, 1.3333333333333333, -0.1],
            &[4.0, 1.3333333333333333, 0.0, 0.0],
            &[0.16666666666666666, -0.1, 0.0, 0.0],
        ],
    },
];

/// The corpus as texts and sets: document i is `d{i}.txt`, annotation j
/// spans code points j..j+1.
fn corpus() -> Vec<(String, Text, AnnotationSet)> {
    CORPUS
        .iter()
        .enumerate()
        .map(|(i, (date, outlet, anns))| {
            let text = Text::new("abcdefghijklmnopqrstuvwxyz\n".into());
            let mut set = AnnotationSet::new(SourceRef {
                path: format!("d{i}.txt"),
                sha256: text.sha256().into(),
                length: text.len_chars(),
                ..Default::default()
            });
            set.metadata.date = Some((*date).into());
            set.metadata
                .attributes
                .insert("outlet".into(), (*outlet).into());
            let list = anns
                .iter()
                .enumerate()
                .map(|(j, (actors, issues, stance))| {
                    let mut a = Annotation::new(format!("a{j}"), &text, j, j + 1, "t");
                    a.actors = actors.iter().map(|s| (*s).to_owned()).collect();
                    a.issues = issues.iter().map(|s| (*s).to_owned()).collect();
                    a.stance = *stance;
                    a
                })
                .collect();
            set.set_annotations(list);
            (format!("d{i}.txt"), text, set)
        })
        .collect()
}

fn docs(c: &[(String, Text, AnnotationSet)]) -> Vec<ExportDoc<'_>> {
    c.iter()
        .map(|(n, t, s)| ExportDoc {
            name: n,
            text: t,
            set: s,
        })
        .collect()
}

/// Labels and matrix of a one-mode DL file.
fn parse_dl(dl: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut lines = dl.lines();
    let n: usize = lines
        .next()
        .and_then(|l| l.strip_prefix("dl n="))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(lines.next(), Some("format = fullmatrix"));
    assert_eq!(lines.next(), Some("labels:"));
    let labels: Vec<String> = (0..n)
        .map(|_| lines.next().unwrap().trim_matches('"').to_owned())
        .collect();
    assert_eq!(lines.next(), Some("data:"));
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(' ').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), n);
    (labels, rows)
}

#[test]
fn one_mode_networks_equal_the_numpy_reference() {
    let c = corpus();
    let d = docs(&c);
    let dir = tempfile::tempdir().unwrap();
    for (k, case) in REFERENCE.iter().enumerate() {
        let (qualifier, normalization, duplicates, mode) = case.spec;
        let req = NetworkRequest {
            spec: NetworkChoices {
                qualifier,
                normalization,
                duplicates,
                mode,
                ..Default::default()
            }
            .spec(),
            format: NetworkFormat::Dl,
            window: case.window.map(|w| (w, w)),
            ..Default::default()
        };
        let dl = match case.window {
            None => network_to_string(&d, &req).unwrap(),
            Some(_) => {
                let out = dir.path().join(format!("w{k}"));
                network_to_path(&d, &req, &out).unwrap();
                std::fs::read_to_string(out.join("network-2012-01-01.dl")).unwrap()
            }
        };
        assert_reference(&dl, case, &format!("case {k}"));
    }
}

/// Asserts that a DL file holds the reference case's labels and matrix.
fn assert_reference(dl: &str, case: &Case, what: &str) {
    let (labels, m) = parse_dl(dl);
    assert_eq!(labels, case.names, "{what}");
    for (i, row) in case.matrix.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            assert!(
                (m[i][j] - v).abs() < 1e-12,
                "{what} [{i}][{j}]: {} vs {v}",
                m[i][j]
            );
        }
    }
}

#[test]
fn the_command_line_options_reach_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus_folder(&root, true);
    let r = root.to_str().unwrap();
    for (args, case) in [
        (&["--qualifier", "conflict"][..], 4),
        (&["--qualifier", "subtract"][..], 5),
        (&["--qualifier", "ignore"][..], 6),
        (&["--duplicates", "include"][..], 7),
        (&["--mode", "issues", "--normalization", "cosine"][..], 8),
        (&["--normalization", "jaccard"][..], 2),
    ] {
        let mut all = vec!["network", r, "-f", "dl"];
        all.extend(args);
        let (code, dl, err) = run(&all);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_reference(&dl, &REFERENCE[case], &format!("{args:?}"));
    }
    // The 14-day window of the reference, with a step of 7 days the
    // windows start every week; excluded actors and issues leave.
    let out = dir.path().join("w");
    let o = out.to_str().unwrap();
    let args = [
        "network",
        r,
        "-f",
        "dl",
        "--qualifier",
        "subtract",
        "--normalization",
        "jaccard",
        "--window",
        "14",
        "--step",
        "7",
        "-o",
        o,
    ];
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let dl = std::fs::read_to_string(out.join("network-2012-01-01.dl")).unwrap();
    assert_reference(&dl, &REFERENCE[9], "window");
    let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
    let starts: Vec<&str> = index.lines().skip(1).map(|l| &l[..10]).collect();
    assert_eq!(
        starts,
        [
            "2012-01-01",
            "2012-01-08",
            "2012-01-15",
            "2012-01-22",
            "2012-01-29"
        ]
    );
    let (code, dl, err) = run(&[
        "network",
        r,
        "-f",
        "dl",
        "--exclude-actor",
        "ISI",
        "--exclude-issue",
        "Talks",
        "--isolates",
    ]);
    assert_eq!(code, 0, "{err}");
    let (labels, _) = parse_dl(&dl);
    assert_eq!(labels, ["Army", "Haqqani network", "PTI"]);
}

/// A corpus folder on disk: `d{i}.txt` with its set, plus an undated
/// document.
fn corpus_folder(root: &std::path::Path, with_stance: bool) {
    for (name, text, set) in corpus() {
        let mut set = set;
        if !with_stance {
            set.update_annotations(|list| list.iter_mut().for_each(|a| a.stance = None));
        }
        put(root, &name, text.as_str());
        let ron = marginalia::core::store::to_ron(&set).unwrap();
        put(root, &name.replace(".txt", ".annotations.ron"), &ron);
    }
}

#[test]
fn network_command_writes_windows_formats_and_explains_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus_folder(&root, true);
    let r = root.to_str().unwrap();
    // Windows of 14 days from 2012-01-01 (documents every 4 days to 01-29).
    let out = dir.path().join("windows");
    let o = out.to_str().unwrap();
    let (code, _, err) = run(&["network", r, "--window", "14", "-f", "edges", "--out", o]);
    assert_eq!(code, 0, "{err}");
    let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
    let lines: Vec<&str> = index.lines().collect();
    assert_eq!(lines[0], "start,end,documents,nodes,edges,file");
    // Documents, nodes and edges per window from the last lines of
    // `python3 tests/fixtures/network/dna_reference.py` (numpy, congruence).
    assert_eq!(
        lines[1],
        "2012-01-01,2012-01-14,4,4,6,network-2012-01-01.csv"
    );
    assert_eq!(
        lines[2],
        "2012-01-15,2012-01-28,3,2,1,network-2012-01-15.csv"
    );
    assert_eq!(
        lines[3],
        "2012-01-29,2012-02-11,1,2,0,network-2012-01-29.csv"
    );
    assert_eq!(lines.len(), 4);
    for l in &lines[1..] {
        let cells: Vec<&str> = l.split(',').collect();
        let file = std::fs::read_to_string(out.join(cells[5])).unwrap();
        assert_eq!(
            file.lines().count() - 1,
            cells[4].parse::<usize>().unwrap(),
            "{l}"
        );
    }
    // Replacing the folder with other windows leaves none of the old ones.
    let (code, _, err) = run(&["network", r, "--window", "30", "-f", "edges", "--out", o]);
    assert_eq!(code, 0, "{err}");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    // (One window of 30 days holds every document, 2012-01-01 to 01-29.)
    assert_eq!(files, ["index.csv", "network-2012-01-01.csv"]);
    // The statement list: one row per annotation × actor × issue.
    let (code, csv, err) = run(&["network", r, "-f", "statements"]);
    assert_eq!(code, 0, "{err}");
    let expected: usize = CORPUS
        .iter()
        .flat_map(|(_, _, a)| a.iter())
        .map(|(x, c, _)| x.len() * c.len())
        .sum();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), expected + 1);
    assert_eq!(
        rows[0],
        "document,date,outlet,actor,issue,stance,start,end,text"
    );
    assert_eq!(rows[1], "d0.txt,2012-01-01,Dawn,Army,Drones,support,0,1,a");
    // Two-mode GraphML through the command, with the outlet on edges.
    let (code, xml, err) = run(&["network", r, "--type", "twomode", "--qualifier", "subtract"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        xml.contains("<key id=\"ea0\" for=\"edge\" attr.name=\"outlet\""),
        "{xml}"
    );
    // Exclusions with a typo are named; a two-mode congruence is refused.
    let (code, _, err) = run(&["network", r, "--exclude-actor", "ISX"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no statement has the actor “ISX” (did you mean “ISI”?)"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "network",
        r,
        "--type",
        "twomode",
        "--qualifier",
        "congruence",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--qualifier ignore or subtract"), "{err}");
    let (code, _, err) = run(&["network", r, "--window", "7"]);
    assert_eq!(code, 1);
    assert!(err.contains("give --out FOLDER"), "{err}");
    // No stances: congruence says what it needs; ignore works.
    let plain = dir.path().join("plain");
    corpus_folder(&plain, false);
    let p = plain.to_str().unwrap();
    let (code, out, err) = run(&["network", p]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("(--qualifier congruence) needs stances"),
        "{err}"
    );
    assert!(err.contains("choose the qualifier ignore"), "{err}");
    let (code, _, err) = run(&["network", p, "--qualifier", "ignore", "-f", "dl"]);
    assert_eq!(code, 0, "{err}");
    // No dates: --window says it needs them.
    for (name, _, _) in corpus() {
        let set = plain.join(name.replace(".txt", ".annotations.ron"));
        let ron = std::fs::read_to_string(&set).unwrap();
        let undated: String = ron
            .lines()
            .filter(|l| !l.trim_start().starts_with("date:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&set, undated).unwrap();
    }
    let w = dir.path().join("w").to_str().unwrap().to_owned();
    let (code, _, err) = run(&[
        "network",
        p,
        "--qualifier",
        "ignore",
        "--window",
        "7",
        "-o",
        &w,
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "time windows (--window) need document dates: none of the 8 documents has one"
        ),
        "{err}"
    );
}
