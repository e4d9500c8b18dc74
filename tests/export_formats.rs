//! One test per export format, on the sample article and on a text with a
//! BOM, CRLF line endings and multibyte characters.

mod export_support;

use export_support::{MULTI_RAW, multi, sample};
use marginalia::core::codebook::TagKind;
use marginalia::core::export::{
    ExportDoc, ExportFormat, ExportOptions, Filter, NetworkMode, brat, export_to_path,
    export_to_string, network, qdc,
};
use marginalia::core::set::AnnotationSet;
use marginalia::core::text::Text;
use std::collections::BTreeMap;

/// Issues, actors, note (newlines as spaces) and stance of one span.
type Coded = (
    Vec<String>,
    Vec<String>,
    Option<String>,
    Option<&'static str>,
);

fn doc<'a>(name: &'a str, text: &'a Text, set: &'a AnnotationSet) -> ExportDoc<'a> {
    ExportDoc { name, text, set }
}

fn both() -> Vec<(String, Text, AnnotationSet)> {
    let (t1, s1) = sample();
    let (t2, s2) = multi();
    vec![
        ("us-pakistan-truce.txt".into(), t1, s1),
        ("multi.txt".into(), t2, s2),
    ]
}

fn run(
    format: ExportFormat,
    opts: ExportOptions,
    filter: &Filter,
) -> Vec<(String, Text, AnnotationSet, String)> {
    both()
        .into_iter()
        .map(|(n, t, s)| {
            let out = export_to_string(format, &[doc(&n, &t, &s)], filter, &opts).unwrap();
            (n, t, s, out)
        })
        .collect()
}

#[test]
fn csv_rows_are_exact_in_raw_mode_and_neutralised_by_default() {
    for raw in [true, false] {
        let opts = ExportOptions {
            raw,
            ..Default::default()
        };
        for (name, text, set, out) in run(ExportFormat::Csv, opts, &Filter::default()) {
            let mut r = csv::Reader::from_reader(out.as_bytes());
            let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
            assert_eq!(
                header[..8],
                [
                    "document", "id", "start", "end", "excerpt", "issues", "actors", "note"
                ]
            );
            let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), set.annotations().len(), "{name}");
            for (row, a) in rows.iter().zip(set.annotations()) {
                let exact = text.slice(a.start, a.end);
                assert_eq!(row[1], a.id);
                assert_eq!(row[2].parse::<usize>().unwrap(), a.start);
                let starts_formula = exact.starts_with(['=', '+', '-', '@', '\t', '\r']);
                if raw || !starts_formula {
                    assert_eq!(&row[4], exact, "{name} {}", a.id);
                } else {
                    assert_eq!(row[4], format!("'{exact}"));
                }
                assert_eq!(
                    row[5].split("; ").filter(|s| !s.is_empty()).count(),
                    a.issues.len()
                );
                for actor in &a.actors {
                    let shown = if raw || !actor.starts_with('=') {
                        actor.clone()
                    } else {
                        format!("'{actor}")
                    };
                    assert!(row[6].contains(&shown), "{}", &row[6]);
                }
                if let Some(n) = &a.note {
                    if raw {
                        assert_eq!(&row[7], n);
                    } else if n.starts_with('=') {
                        assert!(row[7].starts_with("'="));
                    }
                }
            }
        }
    }
}

#[test]
fn csv_long_has_one_row_per_tag() {
    let opts = ExportOptions {
        long: true,
        raw: true,
        ..Default::default()
    };
    for (_, text, set, out) in run(ExportFormat::Csv, opts, &Filter::default()) {
        let mut r = csv::Reader::from_reader(out.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            ["document", "id", "start", "end", "kind", "tag", "excerpt"]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let expected: usize = set
            .annotations()
            .iter()
            .map(|a| (a.issues.len() + a.actors.len()).max(1))
            .sum();
        assert_eq!(rows.len(), expected);
        for row in &rows {
            let a = set.get(&row[1]).unwrap();
            assert_eq!(&row[6], text.slice(a.start, a.end));
            match &row[4] {
                "issue" => assert!(a.has_tag(TagKind::Issue, &row[5])),
                "actor" => assert!(a.has_tag(TagKind::Actor, &row[5])),
                "" => assert!(a.issues.is_empty() && a.actors.is_empty()),
                k => panic!("unexpected kind {k}"),
            }
        }
    }
}

#[test]
fn filter_applies_to_every_format() {
    let (text, set) = multi();
    let filter = Filter {
        issues: vec![],
        actors: vec!["ISI".into()],
    };
    let d = [doc("multi.txt", &text, &set)];
    let opts = ExportOptions {
        raw: true,
        ..Default::default()
    };
    let csv = export_to_string(ExportFormat::Csv, &d, &filter, &opts).unwrap();
    let n = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(n, set.count_tag(TagKind::Actor, "ISI"));
    let w3c: serde_json::Value =
        serde_json::from_str(&export_to_string(ExportFormat::W3c, &d, &filter, &opts).unwrap())
            .unwrap();
    assert_eq!(w3c["first"]["items"].as_array().unwrap().len(), n);
    let md = export_to_string(ExportFormat::Markdown, &d, &filter, &opts).unwrap();
    assert!(
        !md.contains("Haqqani”"),
        "an excerpt without ISI leaked into the report"
    );
    let net = network::Network::build(&d, &filter, NetworkMode::TwoMode);
    assert!(net.nodes.contains_key(&(TagKind::Actor, "ISI".to_owned())));
    assert!(
        !net.nodes
            .contains_key(&(TagKind::Actor, "=cmd|' /C calc'!A0".to_owned()))
    );
}

/// Text of each block quote, as a Markdown renderer sees it.
fn blockquotes(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut para = 0;
    for ev in Parser::new(md) {
        match ev {
            Event::Start(Tag::BlockQuote(_)) => {
                cur = Some(String::new());
                para = 0;
            }
            Event::End(TagEnd::BlockQuote(_)) => out.extend(cur.take()),
            Event::Start(Tag::Paragraph) => {
                if let Some(c) = cur.as_mut() {
                    if para > 0 {
                        c.push_str("\n\n");
                    }
                    para += 1;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cur.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cur.as_mut() {
                    c.push('\n');
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn markdown_renders_each_excerpt_exactly() {
    for (name, text, set, md) in run(
        ExportFormat::Markdown,
        ExportOptions::default(),
        &Filter::default(),
    ) {
        if let Some(t) = &set.metadata.title {
            assert!(md.contains(&marginalia::core::export::markdown::escape(t)));
        }
        let quotes = blockquotes(&md);
        let expected: usize = set
            .annotations()
            .iter()
            .map(|a| (a.issues.len() + a.actors.len()).max(1))
            .sum();
        assert_eq!(
            quotes.len(),
            expected,
            "{name}: one quote per (excerpt, group)"
        );
        for a in set.annotations() {
            let exact = text.slice(a.start, a.end).replace("\r\n", "\n");
            assert!(
                quotes.contains(&exact),
                "{name}: {exact:?} not rendered exactly"
            );
        }
        assert!(md.contains("### By issue") && md.contains("### By actor"));
        // no raw HTML reaches a renderer
        for ev in pulldown_cmark::Parser::new(&md) {
            assert!(!matches!(
                ev,
                pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)
            ));
        }
    }
}

/// The Markdown report of `docs`, unfiltered.
fn report(docs: &[ExportDoc]) -> String {
    export_to_string(
        ExportFormat::Markdown,
        docs,
        &Filter::default(),
        &ExportOptions::default(),
    )
    .unwrap()
}

/// The notes of a report as a Markdown renderer shows them: the text of
/// each paragraph that starts with the emphasised `Note:` label.
fn rendered_notes(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut label = false;
    for ev in Parser::new(md) {
        match ev {
            Event::Start(Tag::Emphasis) => label = true,
            Event::End(TagEnd::Emphasis) => label = false,
            Event::Text(t) if label && t.as_ref() == "Note:" => cur = Some(String::new()),
            Event::Text(t) => {
                if let Some(c) = cur.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::HardBreak | Event::SoftBreak => {
                if let Some(c) = cur.as_mut() {
                    c.push('\n');
                }
            }
            Event::End(TagEnd::Paragraph) => out.extend(
                cur.take()
                    .map(|c| c.strip_prefix(' ').unwrap_or(&c).to_owned()),
            ),
            _ => {}
        }
    }
    out
}

#[test]
fn markdown_report_renders_tricky_excerpts_and_notes_as_written_without_needless_escapes() {
    use marginalia::core::annotation::Annotation;
    use marginalia::core::set::SourceRef;
    let lines = [
        "Tehrik-i-Taliban and Border_trade reached the capitals.",
        "* a star, _x_ and __y__",
        "1. numbered",
        "# not a heading",
        "> not a quote",
        "<b>bold</b> &amp; `tick` \\ back\\",
        "اردو میں *زور* — عربي «نص» [link](x)",
    ];
    let raw = lines.join("\n");
    let text = Text::new(raw.clone());
    let mut set = AnnotationSet::new(SourceRef::default());
    let mut start = 0;
    let mut anns = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let len = line.chars().count();
        let mut a = Annotation::new(format!("a{i}"), &text, start, start + len, "t");
        a.add_tag(TagKind::Issue, "Border_trade");
        a.note = Some(format!("{}\n- note {i}", lines[(i + 1) % lines.len()]));
        anns.push(a);
        start += len + 1;
    }
    let mut whole = Annotation::new("all".into(), &text, 0, text.len_chars(), "t");
    whole.note = Some(raw.clone());
    anns.push(whole);
    set.set_annotations(anns);
    let md = report(&[doc("Tehrik-i-Taliban.txt", &text, &set)]);
    assert!(md.contains("> Tehrik-i-Taliban and Border_trade reached the capitals."));
    assert!(md.contains("## Tehrik-i-Taliban.txt"));
    assert!(md.contains("#### Border_trade (7)"));
    let quotes = blockquotes(&md);
    let notes = rendered_notes(&md);
    for a in set.annotations() {
        let exact = text.slice(a.start, a.end).to_owned();
        assert!(quotes.contains(&exact), "{exact:?} not rendered exactly");
        let note = a.note.clone().unwrap();
        assert!(notes.contains(&note), "note {note:?} not rendered exactly");
    }
    assert_eq!(notes.len(), set.annotations().len());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any excerpt and note (no NUL, which CommonMark replaces) come back
    /// from a renderer exactly, CRLF as LF, through the whole report.
    #[test]
    fn any_excerpt_and_note_render_back_through_the_report(
        body in "[^\\x00]{1,60}",
        note in "[^\\x00]{0,40}",
        tag in "[^\\x00\\r\\n]{1,12}",
    ) {
        use marginalia::core::annotation::Annotation;
        use marginalia::core::set::SourceRef;
        let text = Text::new(body);
        let mut set = AnnotationSet::new(SourceRef::default());
        let mut a = Annotation::new("a".into(), &text, 0, text.len_chars(), "t");
        a.add_tag(TagKind::Issue, &tag);
        a.note = Some(note.clone());
        set.set_annotations(vec![a]);
        let md = report(&[doc("x.txt", &text, &set)]);
        let exact = text.slice(0, text.len_chars()).replace("\r\n", "\n");
        proptest::prop_assert!(blockquotes(&md).contains(&exact), "{:?}\n{}", exact, md);
        let note = note.replace("\r\n", "\n");
        proptest::prop_assert!(rendered_notes(&md).contains(&note), "{:?}\n{}", note, md);
    }
}

#[test]
fn html_escapes_everything_and_uses_tag_colours() {
    for (name, text, set, html) in run(
        ExportFormat::Html,
        ExportOptions::default(),
        &Filter::default(),
    ) {
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<script"), "{name}: unescaped script");
        assert!(
            !html.contains("src=") && !html.contains("href="),
            "not self-contained"
        );
        for a in set.annotations() {
            let exact = marginalia::core::export::html::escape(text.slice(a.start, a.end));
            assert!(html.contains(&format!("{exact}</mark>")), "{name}: {exact}");
            if let Some(n) = &a.note {
                assert!(html.contains(&marginalia::core::export::html::escape(n)));
            }
        }
        for t in set.codebook.tags() {
            if set.count_tag(t.kind, &t.name) > 0 {
                assert!(
                    html.contains(&format!("background:{}55", t.color.to_hex())),
                    "{}",
                    t.name
                );
            }
        }
        if name == "multi.txt" {
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }
}

#[test]
fn w3c_selectors_are_exact() {
    for (name, text, set, out) in run(
        ExportFormat::W3c,
        ExportOptions::default(),
        &Filter::default(),
    ) {
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["type"], "AnnotationCollection");
        let items = v["first"]["items"].as_array().unwrap();
        assert_eq!(items.len(), set.annotations().len());
        let mut ids = std::collections::BTreeSet::new();
        for (item, a) in items.iter().zip(set.annotations()) {
            assert_eq!(item["@context"], "http://www.w3.org/ns/anno.jsonld");
            assert!(ids.insert(item["id"].as_str().unwrap().to_owned()));
            let sel = &item["target"]["selector"];
            assert_eq!(sel[0]["type"], "TextQuoteSelector");
            assert_eq!(sel[0]["exact"], text.slice(a.start, a.end), "{name}");
            let prefix = sel[0]["prefix"].as_str().unwrap();
            assert!(text.slice(0, a.start).ends_with(prefix));
            assert_eq!(sel[1]["start"], a.start);
            assert_eq!(sel[1]["end"], a.end);
            let bodies = item
                .get("body")
                .and_then(|b| b.as_array())
                .cloned()
                .unwrap_or_default();
            let tagging: Vec<&str> = bodies
                .iter()
                .filter(|b| b["purpose"] == "tagging")
                .map(|b| b["value"].as_str().unwrap())
                .collect();
            assert_eq!(tagging.len(), a.issues.len() + a.actors.len());
            for i in &a.issues {
                assert!(
                    bodies.iter().any(
                        |b| b["purpose"] == "classifying" && b["value"] == format!("issue:{i}")
                    )
                );
            }
            let comments: Vec<&serde_json::Value> = bodies
                .iter()
                .filter(|b| b["purpose"] == "commenting")
                .collect();
            assert_eq!(comments.len(), usize::from(a.note.is_some()));
            if let Some(n) = &a.note {
                assert_eq!(comments[0]["value"], n.as_str());
            }
        }
    }
}

#[test]
fn brat_export_writes_exact_text_fragments_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, set) in both() {
        let out = dir.path().join(name.replace('.', "_"));
        let d = [doc(&name, &text, &set)];
        let files = export_to_path(
            ExportFormat::Brat,
            &d,
            &Filter::default(),
            &ExportOptions::default(),
            &out,
        )
        .unwrap();
        let stem = name.trim_end_matches(".txt");
        let txt = std::fs::read(out.join(format!("{stem}.txt"))).unwrap();
        assert_eq!(txt, text.as_str().as_bytes(), "exact text, no BOM");
        if name == "multi.txt" {
            assert_eq!(
                &txt[..],
                MULTI_RAW.trim_start_matches('\u{feff}').as_bytes()
            );
        }
        assert!(files.iter().any(|f| f.ends_with("annotation.conf")));
        let ann = std::fs::read_to_string(out.join(format!("{stem}.ann"))).unwrap();
        // every T line: offsets point at its text, no fragment holds a newline
        let chars: Vec<char> = text.as_str().chars().collect();
        let mut t_lines = 0;
        for line in ann.lines().filter(|l| l.starts_with('T')) {
            t_lines += 1;
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{line}");
            let (ty, spans) = cols[1].split_once(' ').unwrap();
            assert!(!ty.contains(' ') && !ty.is_empty());
            let mut pieces = Vec::new();
            for f in spans.split(';') {
                let (s, e) = f.split_once(' ').unwrap();
                let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
                let piece: String = chars[s..e].iter().collect();
                assert!(!piece.contains('\n') && !piece.contains('\r'));
                pieces.push(piece);
            }
            assert_eq!(cols[2], pieces.join(" "));
        }
        let expected: usize = set
            .annotations()
            .iter()
            .map(|a| a.issues.len() + a.actors.len())
            .sum();
        assert_eq!(t_lines, expected);
        if name == "multi.txt" {
            assert!(ann.contains(';'), "the CRLF-crossing span is fragmented");
            assert!(
                ann.contains("#1\tAnnotatorNotes T1\t<script>alert(1)</script> second line & more")
            );
        }
        // round trip through the importer, with the conf files beside it
        let (_, _, imp) = brat::import_files(&out.join(format!("{stem}.ann")), &[], false).unwrap();
        assert!(imp.skipped.is_empty(), "{:?}", imp.skipped);
        let key = |s: &AnnotationSet| -> BTreeMap<(usize, usize), Coded> {
            s.annotations()
                .iter()
                .filter(|a| !a.issues.is_empty() || !a.actors.is_empty())
                .map(|a| {
                    let note = a.note.as_ref().map(|n| n.replace('\n', " "));
                    (
                        (a.start, a.end),
                        (
                            a.issues.clone(),
                            a.actors.clone(),
                            note,
                            a.stance.map(|s| s.as_str()),
                        ),
                    )
                })
                .collect()
        };
        assert_eq!(key(&imp.set), key(&set), "{name}: round trip");
        for t in imp.set.codebook.tags() {
            let orig = set.codebook.get(t.kind, &t.name).unwrap();
            assert_eq!(orig.color, t.color);
        }
    }
}

#[test]
fn brat_import_merges_same_spans_and_maps_actor_types() {
    let text = Text::new("The ISI met\r\nthe CIA.".into());
    let ann = "T1\tISI 4 7\tISI\nT2\tSecurity 4 7\tISI\nT3\tMeeting 0 3;13 16\tThe the\n#1\tAnnotatorNotes T3\ta note\nR1\tRel Arg1:T1 Arg2:T2\n";
    let actors = ["ISI".to_owned()].into_iter().collect();
    let imp = brat::import(
        &text,
        ann,
        &actors,
        &Default::default(),
        &Default::default(),
    );
    assert_eq!(imp.set.annotations().len(), 2);
    let a = &imp.set.annotations()[0];
    assert_eq!(
        (a.start, a.end),
        (0, 16),
        "fragments span first start to last end"
    );
    assert_eq!(a.issues, ["Meeting"]);
    assert_eq!(a.note.as_deref(), Some("a note"));
    let b = &imp.set.annotations()[1];
    assert_eq!(b.actors, ["ISI"]);
    assert_eq!(b.issues, ["Security"]);
    assert_eq!(imp.skipped.len(), 1, "the relation is reported");
    assert_eq!(
        brat::safe_type("Drone strikes (FATA)"),
        "Drone_strikes__FATA_"
    );
}

#[test]
fn graphml_parses_back_with_the_right_weights() {
    use quick_xml::events::Event;
    for mode in [
        NetworkMode::TwoMode,
        NetworkMode::Actors,
        NetworkMode::Issues,
    ] {
        for (name, text, set) in both() {
            let d = [doc(&name, &text, &set)];
            let opts = ExportOptions {
                network: mode,
                ..Default::default()
            };
            let xml =
                export_to_string(ExportFormat::GraphMl, &d, &Filter::default(), &opts).unwrap();
            // parse: node id -> (label, kind); edges (source, target, weight)
            let mut r = quick_xml::Reader::from_str(&xml);
            let mut nodes: BTreeMap<String, (String, String)> = BTreeMap::new();
            let mut edges: BTreeMap<(String, String), f64> = BTreeMap::new();
            let (mut cur_node, mut cur_edge, mut cur_key) =
                (None::<String>, None::<(String, String)>, None::<String>);
            let attr = |e: &quick_xml::events::BytesStart, k: &str| -> String {
                e.attributes()
                    .map(Result::unwrap)
                    .find(|a| a.key.local_name().as_ref() == k)
                    .map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                    .unwrap()
            };
            loop {
                match r.read_event().unwrap() {
                    Event::Start(e) => match e.local_name().as_ref() {
                        "node" => {
                            let id = attr(&e, "id");
                            nodes.insert(id.clone(), Default::default());
                            cur_node = Some(id);
                        }
                        "edge" => cur_edge = Some((attr(&e, "source"), attr(&e, "target"))),
                        "data" => cur_key = Some(attr(&e, "key")),
                        _ => {}
                    },
                    Event::Text(t) => {
                        let v = t.xml10_content().into_owned();
                        match (&cur_node, &cur_edge, cur_key.as_deref()) {
                            (Some(n), _, Some("label")) => nodes.get_mut(n).unwrap().0.push_str(&v),
                            (Some(n), _, Some("kind")) => nodes.get_mut(n).unwrap().1 = v,
                            (_, Some(e), Some("weight")) => {
                                edges.insert(e.clone(), v.parse().unwrap());
                            }
                            _ => {}
                        }
                    }
                    Event::GeneralRef(g) => {
                        if let (Some(n), Some("label")) = (&cur_node, cur_key.as_deref()) {
                            let c = match g.as_ref() {
                                "amp" => '&',
                                "lt" => '<',
                                "gt" => '>',
                                "quot" => '"',
                                "apos" | "#39" => '\'',
                                other => panic!("entity {other}"),
                            };
                            nodes.get_mut(n).unwrap().0.push(c);
                        }
                    }
                    Event::End(e) => match e.local_name().as_ref() {
                        "node" => cur_node = None,
                        "edge" => cur_edge = None,
                        "data" => cur_key = None,
                        _ => {}
                    },
                    Event::Eof => break,
                    _ => {}
                }
            }
            // expected, computed independently from the set
            let mut want: BTreeMap<(String, String), f64> = BTreeMap::new();
            for a in set.annotations() {
                let pairs: Vec<(String, String)> = match mode {
                    NetworkMode::TwoMode => a
                        .actors
                        .iter()
                        .flat_map(|x| {
                            a.issues
                                .iter()
                                .map(move |i| (format!("actor:{x}"), format!("issue:{i}")))
                        })
                        .collect(),
                    NetworkMode::Actors => pairs_of(&a.actors, "actor"),
                    NetworkMode::Issues => pairs_of(&a.issues, "issue"),
                };
                for p in pairs {
                    *want.entry(p).or_default() += 1.0;
                }
            }
            let got: BTreeMap<(String, String), f64> = edges
                .iter()
                .map(|((s, t), w)| {
                    let (sl, sk) = &nodes[s];
                    let (tl, tk) = &nodes[t];
                    ((format!("{sk}:{sl}"), format!("{tk}:{tl}")), *w)
                })
                .collect();
            assert_eq!(got, want, "{name} {mode:?}");
            assert!(!want.is_empty(), "{name} {mode:?}: the test needs edges");
        }
    }
}

fn pairs_of(tags: &[String], kind: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, a) in tags.iter().enumerate() {
        for b in &tags[i + 1..] {
            out.push((format!("{kind}:{a}"), format!("{kind}:{b}")));
        }
    }
    out
}

#[test]
fn edges_csv_matches_the_network() {
    for (name, text, set) in both() {
        let d = [doc(&name, &text, &set)];
        let out = export_to_string(
            ExportFormat::Edges,
            &d,
            &Filter::default(),
            &ExportOptions::default(),
        )
        .unwrap();
        let mut r = csv::Reader::from_reader(out.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            ["source", "target", "weight", "support", "oppose", "neutral"]
        );
        let mut total = 0;
        for row in r.records().map(Result::unwrap) {
            let w: usize = row[2].parse().unwrap();
            let s: usize = row[3].parse::<usize>().unwrap()
                + row[4].parse::<usize>().unwrap()
                + row[5].parse::<usize>().unwrap();
            assert!(s <= w);
            total += w;
        }
        let want: usize = set
            .annotations()
            .iter()
            .map(|a| a.actors.len() * a.issues.len())
            .sum();
        assert_eq!(total, want, "{name}");
    }
}

#[test]
fn qdc_and_ron_codebooks_round_trip() {
    let (_, mut set) = sample();
    // a hierarchy, a description with markup, a newline and an ampersand
    let mut child = set.codebook.tags()[1].clone();
    let parent = set.codebook.tags()[0].clone();
    child.parent = Some(parent.name.clone());
    child.description = Some("a <b>bold</b> & \"quoted\"\nsecond line".into());
    set.codebook.insert(child.clone());
    let xml = qdc::to_qdc(&set.codebook).unwrap();
    assert!(xml.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\""));
    let back = qdc::from_qdc(&xml).unwrap();
    assert_eq!(back.len(), set.codebook.len());
    for t in set.codebook.tags() {
        let b = back
            .get(t.kind, &t.name)
            .unwrap_or_else(|| panic!("{} lost", t.name));
        assert_eq!(b.color, t.color);
        assert_eq!(b.description, t.description);
        assert_eq!(b.parent, t.parent);
    }
    assert_eq!(
        qdc::to_qdc(&back).unwrap(),
        xml,
        "deterministic and lossless for kinds, names, colours"
    );
    let ron = qdc::to_ron(&set.codebook).unwrap();
    assert_eq!(qdc::from_ron(&ron).unwrap(), set.codebook);
    assert!(qdc::from_qdc("<x/>").is_err());
}

#[test]
fn formats_have_labels_extensions_and_write_files() {
    let (text, set) = multi();
    let d = [doc("multi.txt", &text, &set)];
    let dir = tempfile::tempdir().unwrap();
    for f in ExportFormat::ALL {
        assert!(!f.label().is_empty());
        let dest = dir.path().join(f.default_file_name("multi"));
        let files =
            export_to_path(f, &d, &Filter::default(), &ExportOptions::default(), &dest).unwrap();
        assert!(!files.is_empty());
        for p in &files {
            assert!(p.is_file(), "{}", p.display());
        }
        if f.writes_directory() || f.is_binary() {
            assert!(
                export_to_string(f, &d, &Filter::default(), &ExportOptions::default()).is_err()
            );
        } else {
            assert_eq!(dest.extension().unwrap(), f.extension());
            let written = std::fs::read_to_string(&dest).unwrap();
            assert_eq!(
                written,
                export_to_string(f, &d, &Filter::default(), &ExportOptions::default()).unwrap()
            );
        }
    }
}
