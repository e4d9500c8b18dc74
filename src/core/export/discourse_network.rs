//! Writing discourse networks ([`crate::core::discourse_network`]):
//! GraphML, CSV edge list, UCINET DL full matrix and DNA's statement list,
//! for the whole corpus or one file per time window.
//!
//! Invariants:
//! - GraphML (undirected): node keys `label`, `kind` (`actor`/`issue`),
//!   `activity` (double: act(x) under the qualifier for one-mode, the
//!   node's counted statements for two-mode) and one string key per document attribute used
//!   (values of the documents where the node has a statement, sorted and
//!   `; `-joined; `attribute_<name>` on a clash); edge key `weight`
//!   (double); two-mode edges also `support`, `oppose`, `neutral` (int,
//!   statements under the duplicate rule) and the attribute values of the
//!   documents holding their statements. Node ids `n0…` (rows, then
//!   columns), edge ids `e0…`, all in sorted order.
//! - Edge list: `source,target,weight` (one-mode, source < target), plus
//!   `support,oppose,neutral` for two-mode; names, not ids.
//! - DL: `dl n=N` (one-mode) or `dl nr=R nc=C` (two-mode), `format =
//!   fullmatrix`, labels one per line in double quotes (a `"` in a name
//!   becomes `'`), then the full matrix, one row per line.
//! - Statements: `document,date,<attributes>,actor,issue,stance,start,end,
//!   text`, one row per statement after exclusions, in document order;
//!   `text` is the annotation's exact span.
//! - Weights are written in Rust's shortest round-trip form (`2`, `0.8`,
//!   `0.6666666666666666`). CSV text cells are neutralised against
//!   spreadsheet formulas unless `raw`.
//! - With a window, the destination is a folder holding
//!   `network-<start YYYY-MM-DD>.<ext>` per window and `index.csv`
//!   (`start,end,documents,nodes,edges,file`); every window is written,
//!   empty ones too, so the series has no gaps.

use super::csv::{cell, finish, writer};
use super::{ExportDoc, ExportError, Filter};
use crate::core::codebook::TagKind;
use crate::core::discourse_network::{
    self as dn, NetworkError, NetworkSpec, NetworkType, Statement, WeightedNetwork,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The files a network can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum NetworkFormat {
    /// GraphML (networkx, Gephi, visone).
    #[default]
    GraphMl,
    /// CSV edge list.
    Edges,
    /// UCINET DL full matrix.
    Dl,
    /// DNA-style statement list (CSV).
    Statements,
}

impl NetworkFormat {
    /// Every format, in menu order.
    pub const ALL: [NetworkFormat; 4] = [
        NetworkFormat::GraphMl,
        NetworkFormat::Edges,
        NetworkFormat::Dl,
        NetworkFormat::Statements,
    ];

    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            NetworkFormat::GraphMl => "graphml",
            NetworkFormat::Edges | NetworkFormat::Statements => "csv",
            NetworkFormat::Dl => "dl",
        }
    }

    /// Human-readable name for menus.
    pub fn label(self) -> &'static str {
        match self {
            NetworkFormat::GraphMl => "GraphML",
            NetworkFormat::Edges => "Edge list (CSV)",
            NetworkFormat::Dl => "UCINET DL (full matrix)",
            NetworkFormat::Statements => "Statement list (CSV)",
        }
    }
}

/// Everything a network export needs besides the documents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkRequest {
    /// Which network.
    pub spec: NetworkSpec,
    /// Which file format.
    pub format: NetworkFormat,
    /// Time windows: `(days, step)`; `None` for one network of all
    /// documents.
    pub window: Option<(u32, u32)>,
    /// CSV: cells untouched.
    pub raw: bool,
    /// Only the annotations passing this filter make statements.
    pub filter: Filter,
    /// Exclusions no statement has are ignored (a dialog that lists the
    /// whole codebook) instead of refused as a likely typo (the CLI).
    pub lenient_exclusions: bool,
}

/// What a network export wrote, and what it left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkOutput {
    /// Files written, in writing order.
    pub files: Vec<PathBuf>,
    /// With windows: the documents without a date (in no window), by name.
    pub undated: Vec<String>,
}

impl From<NetworkError> for ExportError {
    fn from(e: NetworkError) -> ExportError {
        ExportError::Input(e.0)
    }
}

fn csv_err(e: csv::Error) -> ExportError {
    ExportError::Format(e.to_string())
}

fn label_of(net: &WeightedNetwork) -> (TagKind, TagKind) {
    let rk = net.row_kind.unwrap_or(TagKind::Actor);
    (rk, net.col_kind().unwrap_or(rk))
}

/// The nodes in id order: (kind, name).
fn nodes(net: &WeightedNetwork) -> Vec<(TagKind, &str)> {
    let (rk, ck) = label_of(net);
    let mut out: Vec<(TagKind, &str)> = net.rows.iter().map(|n| (rk, n.as_str())).collect();
    if net.kind == NetworkType::TwoMode {
        out.extend(net.cols.iter().map(|n| (ck, n.as_str())));
    }
    out
}

fn joined(values: &BTreeSet<String>) -> String {
    let v: Vec<&str> = values.iter().map(String::as_str).collect();
    v.join(super::csv::JOIN)
}

/// The network as GraphML (see the module docs).
pub fn to_graphml(net: &WeightedNetwork) -> String {
    use super::html::escape;
    let two = net.kind == NetworkType::TwoMode;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (id, ty) in [
        ("label", "string"),
        ("kind", "string"),
        ("activity", "double"),
    ] {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"node\" attr.name=\"{id}\" attr.type=\"{ty}\"/>"
        );
    }
    for (i, name) in net.attribute_names.iter().enumerate() {
        let name = super::attribute_column(name, &["label", "kind", "activity"]);
        let _ = writeln!(
            out,
            "  <key id=\"na{i}\" for=\"node\" attr.name=\"{}\" attr.type=\"string\"/>",
            escape(&name)
        );
    }
    out.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    if two {
        for s in ["support", "oppose", "neutral"] {
            let _ = writeln!(
                out,
                "  <key id=\"{s}\" for=\"edge\" attr.name=\"{s}\" attr.type=\"int\"/>"
            );
        }
        for (i, name) in net.attribute_names.iter().enumerate() {
            let fixed = ["weight", "support", "oppose", "neutral"];
            let name = super::attribute_column(name, &fixed);
            let _ = writeln!(
                out,
                "  <key id=\"ea{i}\" for=\"edge\" attr.name=\"{}\" attr.type=\"string\"/>",
                escape(&name)
            );
        }
    }
    out.push_str("  <graph id=\"G\" edgedefault=\"undirected\">\n");
    let attr_data =
        |out: &mut String, prefix: &str, attrs: Option<&BTreeMap<String, BTreeSet<String>>>| {
            let Some(attrs) = attrs else { return };
            for (j, a) in net.attribute_names.iter().enumerate() {
                if let Some(values) = attrs.get(a) {
                    let _ = write!(
                        out,
                        "<data key=\"{prefix}{j}\">{}</data>",
                        escape(&joined(values))
                    );
                }
            }
        };
    for (i, (kind, name)) in nodes(net).into_iter().enumerate() {
        let act = net
            .activity
            .get(&(kind, name.to_owned()))
            .copied()
            .unwrap_or(0.0);
        let _ = write!(
            out,
            "    <node id=\"n{i}\"><data key=\"label\">{}</data><data key=\"kind\">{kind}</data><data key=\"activity\">{act}</data>",
            escape(name)
        );
        attr_data(
            &mut out,
            "na",
            net.node_attributes.get(&(kind, name.to_owned())),
        );
        out.push_str("</node>\n");
    }
    let offset = if two { net.rows.len() } else { 0 };
    for (e, (&(i, j), w)) in net.weights.iter().enumerate() {
        let _ = write!(
            out,
            "    <edge id=\"e{e}\" source=\"n{i}\" target=\"n{}\"><data key=\"weight\">{w}</data>",
            j + offset
        );
        if two {
            let [s, o, n] = net.stance_counts.get(&(i, j)).copied().unwrap_or([0; 3]);
            let _ = write!(
                out,
                "<data key=\"support\">{s}</data><data key=\"oppose\">{o}</data><data key=\"neutral\">{n}</data>"
            );
            attr_data(&mut out, "ea", net.edge_attributes.get(&(i, j)));
        }
        out.push_str("</edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// The network as a CSV edge list (see the module docs).
pub fn to_edges_csv(net: &WeightedNetwork, raw: bool) -> Result<String, ExportError> {
    let two = net.kind == NetworkType::TwoMode;
    let mut w = writer();
    let mut header = vec!["source", "target", "weight"];
    if two {
        header.extend(["support", "oppose", "neutral"]);
    }
    w.write_record(&header).map_err(csv_err)?;
    for (&(i, j), weight) in &net.weights {
        let mut row = vec![
            cell(&net.rows[i], raw),
            cell(&net.cols[j], raw),
            weight.to_string(),
        ];
        if two {
            let counts = net.stance_counts.get(&(i, j)).copied().unwrap_or([0; 3]);
            row.extend(counts.iter().map(usize::to_string));
        }
        w.write_record(&row).map_err(csv_err)?;
    }
    finish(w)
}

/// The network as a UCINET DL full matrix (see the module docs).
pub fn to_dl(net: &WeightedNetwork) -> String {
    let quoted = |n: &str| format!("\"{}\"", n.replace(['"', '\r', '\n'], "'"));
    let mut out = String::new();
    match net.kind {
        NetworkType::OneMode => {
            let _ = writeln!(out, "dl n={}\nformat = fullmatrix\nlabels:", net.rows.len());
            for r in &net.rows {
                let _ = writeln!(out, "{}", quoted(r));
            }
        }
        NetworkType::TwoMode => {
            let _ = writeln!(
                out,
                "dl nr={} nc={}\nformat = fullmatrix\nrow labels:",
                net.rows.len(),
                net.cols.len()
            );
            for r in &net.rows {
                let _ = writeln!(out, "{}", quoted(r));
            }
            out.push_str("column labels:\n");
            for c in &net.cols {
                let _ = writeln!(out, "{}", quoted(c));
            }
        }
    }
    out.push_str("data:\n");
    for row in net.matrix() {
        let cells: Vec<String> = row.iter().map(f64::to_string).collect();
        let _ = writeln!(out, "{}", cells.join(" "));
    }
    out
}

/// The statement list of the documents `docs_in` (see the module docs).
pub fn statements_csv(
    docs: &[ExportDoc],
    statements: &[Statement],
    docs_in: &[usize],
    spec: &NetworkSpec,
    raw: bool,
) -> Result<String, ExportError> {
    let included: BTreeSet<usize> = docs_in.iter().copied().collect();
    let attributes = super::attribute_names(docs);
    let fixed = [
        "document", "date", "actor", "issue", "stance", "start", "end", "text",
    ];
    let mut header = vec!["document".to_owned(), "date".to_owned()];
    header.extend(
        attributes
            .iter()
            .map(|n| super::attribute_column(n, &fixed)),
    );
    header.extend(fixed[2..].iter().map(|s| (*s).to_owned()));
    let mut w = writer();
    w.write_record(&header).map_err(csv_err)?;
    for s in statements {
        let Some(d) = docs.get(s.doc) else { continue };
        if !included.contains(&s.doc)
            || spec.exclude_actors.contains(&s.actor)
            || spec.exclude_issues.contains(&s.issue)
        {
            continue;
        }
        let m = &d.set.metadata;
        let date = dn::document_date(d).map_or_else(|| m.date.clone().unwrap_or_default(), iso);
        let mut row = vec![cell(d.name, raw), cell(&date, raw)];
        row.extend(
            attributes
                .iter()
                .map(|n| cell(m.attributes.get(n).map_or("", String::as_str), raw)),
        );
        row.extend([
            cell(&s.actor, raw),
            cell(&s.issue, raw),
            s.stance.map_or("", |x| x.as_str()).to_owned(),
            s.start.to_string(),
            s.end.to_string(),
            cell(d.text.slice(s.start, s.end), raw),
        ]);
        w.write_record(&row).map_err(csv_err)?;
    }
    finish(w)
}

/// A date as `YYYY-MM-DD`.
pub fn iso(d: ::time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Names excluded that no statement has: an error naming the closest.
fn check_exclusions(statements: &[Statement], spec: &NetworkSpec) -> Result<(), NetworkError> {
    use crate::core::suggest;
    for (kind, names) in [
        (TagKind::Actor, &spec.exclude_actors),
        (TagKind::Issue, &spec.exclude_issues),
    ] {
        let known: BTreeSet<&str> = statements.iter().map(|s| s.tag(kind)).collect();
        for n in names {
            if !known.contains(n.as_str()) {
                let close = suggest::closest(n, known.iter().copied());
                return Err(NetworkError(format!(
                    "--exclude-{kind}: no statement has the {kind} “{n}”{}",
                    suggest::did_you_mean(&close)
                )));
            }
        }
    }
    Ok(())
}

/// Statements and checks shared by every entry point.
fn prepare(docs: &[ExportDoc], req: &NetworkRequest) -> Result<Vec<Statement>, NetworkError> {
    req.spec.check()?;
    let statements = dn::statements(docs, &req.filter);
    if req.format == NetworkFormat::Statements {
        let any = dn::NetworkChoices {
            qualifier: dn::Qualifier::Ignore,
            ..Default::default()
        }
        .spec();
        dn::check_input(&statements, &any)?;
    } else {
        dn::check_input(&statements, &req.spec)?;
    }
    if !req.lenient_exclusions {
        check_exclusions(&statements, &req.spec)?;
    }
    Ok(statements)
}

/// One file's text for the documents `docs_in`; also the network (for the
/// index's counts).
fn render(
    docs: &[ExportDoc],
    statements: &[Statement],
    docs_in: &[usize],
    req: &NetworkRequest,
) -> Result<(String, WeightedNetwork), ExportError> {
    let attrs: Vec<&BTreeMap<String, String>> =
        docs.iter().map(|d| &d.set.metadata.attributes).collect();
    let net = WeightedNetwork::build(statements, docs_in, &attrs, &req.spec);
    let text = match req.format {
        NetworkFormat::GraphMl => to_graphml(&net),
        NetworkFormat::Edges => to_edges_csv(&net, req.raw)?,
        NetworkFormat::Dl => to_dl(&net),
        NetworkFormat::Statements => statements_csv(docs, statements, docs_in, &req.spec, req.raw)?,
    };
    Ok((text, net))
}

/// The network of all documents as one text (no windows).
pub fn network_to_string(docs: &[ExportDoc], req: &NetworkRequest) -> Result<String, ExportError> {
    if req.window.is_some() {
        return Err(ExportError::Input(
            "--window writes one file per window: give --out FOLDER".into(),
        ));
    }
    let statements = prepare(docs, req)?;
    let all: Vec<usize> = (0..docs.len()).collect();
    Ok(render(docs, &statements, &all, req)?.0)
}

/// Writes the network to `dest`: one file, or with a window a folder of
/// one file per window plus `index.csv` (see the module docs). Each file
/// is written through a temporary file.
pub fn network_to_path(
    docs: &[ExportDoc],
    req: &NetworkRequest,
    dest: &Path,
) -> Result<NetworkOutput, ExportError> {
    let statements = prepare(docs, req)?;
    let Some((days, step)) = req.window else {
        let all: Vec<usize> = (0..docs.len()).collect();
        let (text, _) = render(docs, &statements, &all, req)?;
        super::write_file(dest, text.as_bytes())?;
        return Ok(NetworkOutput {
            files: vec![dest.to_owned()],
            undated: Vec::new(),
        });
    };
    let dates: Vec<Option<::time::Date>> = docs.iter().map(dn::document_date).collect();
    let windows = dn::windows(&dates, days, step);
    if windows.is_empty() {
        return Err(ExportError::Input(format!(
            "time windows (--window) need document dates: none of the {} documents has one (a date in its metadata, e.g. from a folder import whose file names start with the date: `{{date}}_…`)",
            docs.len()
        )));
    }
    if dest.is_file() {
        return Err(ExportError::Input(format!(
            "--window writes a folder, and {} is a file",
            dest.display()
        )));
    }
    std::fs::create_dir_all(dest).map_err(|e| ExportError::io(dest, e))?;
    remove_old_windows(dest)?;
    let mut out = NetworkOutput {
        undated: docs
            .iter()
            .zip(&dates)
            .filter(|(_, d)| d.is_none())
            .map(|(d, _)| d.name.to_owned())
            .collect(),
        ..Default::default()
    };
    let mut index = writer();
    index
        .write_record(["start", "end", "documents", "nodes", "edges", "file"])
        .map_err(csv_err)?;
    for w in &windows {
        let (text, net) = render(docs, &statements, &w.docs, req)?;
        let name = format!("network-{}.{}", iso(w.start), req.format.extension());
        let path = dest.join(&name);
        super::write_file(&path, text.as_bytes())?;
        out.files.push(path);
        index
            .write_record([
                iso(w.start),
                iso(w.end),
                w.docs.len().to_string(),
                net.node_count().to_string(),
                net.weights.len().to_string(),
                name,
            ])
            .map_err(csv_err)?;
    }
    let path = dest.join("index.csv");
    super::write_file(&path, finish(index)?.as_bytes())?;
    out.files.push(path);
    Ok(out)
}

/// Removes the window files an earlier export listed in `dest/index.csv`
/// (a replaced folder keeps no window of other settings); other files are
/// left alone.
fn remove_old_windows(dest: &Path) -> Result<(), ExportError> {
    let index = dest.join("index.csv");
    let Ok(text) = std::fs::read_to_string(&index) else {
        return Ok(());
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let Some(col) = reader
        .headers()
        .ok()
        .and_then(|h| h.iter().position(|c| c == "file"))
    else {
        return Ok(());
    };
    for record in reader.records().flatten() {
        let Some(name) = record.get(col) else {
            continue;
        };
        // Only a plain window file name of this folder.
        let plain =
            name.starts_with("network-") && !name.contains(['/', '\\']) && !name.contains("..");
        let path = dest.join(name);
        if plain && path.is_file() {
            std::fs::remove_file(&path).map_err(|e| ExportError::io(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::{Annotation, Stance};
    use crate::core::discourse_network::{NetworkChoices, Normalization, Qualifier};
    use crate::core::set::{AnnotationSet, SourceRef};
    use crate::core::text::Text;

    /// Two documents: a (2012-03-01, Dawn) and b (2012-03-09, "The
    /// Nation"), on one multibyte CRLF text.
    fn corpus(text: &Text) -> Vec<AnnotationSet> {
        let add =
            |s: &mut AnnotationSet, span: (usize, usize), actors: &[&str], issues: &[&str], st| {
                let mut a = Annotation::new(s.fresh_id(), text, span.0, span.1, "t");
                a.actors = actors.iter().map(|x| (*x).to_owned()).collect();
                a.issues = issues.iter().map(|x| (*x).to_owned()).collect();
                a.stance = st;
                s.insert_sorted(a);
            };
        let mut a = AnnotationSet::new(SourceRef::default());
        a.metadata.date = Some("2012-03-01".into());
        a.metadata.attributes.insert("outlet".into(), "Dawn".into());
        add(
            &mut a,
            (0, 4),
            &["ISI", "=Army"],
            &["Drones"],
            Some(Stance::Support),
        );
        add(&mut a, (5, 11), &["PTI"], &["Drones"], Some(Stance::Oppose));
        let mut b = AnnotationSet::new(SourceRef::default());
        b.metadata.date = Some("9 March 2012".into());
        b.metadata
            .attributes
            .insert("outlet".into(), "The \"Nation\"".into());
        add(&mut b, (0, 4), &["PTI"], &["Drones"], Some(Stance::Support));
        add(
            &mut b,
            (0, 11),
            &["ISI"],
            &["Drones"],
            Some(Stance::Support),
        );
        vec![a, b]
    }

    fn docs<'a>(text: &'a Text, sets: &'a [AnnotationSet]) -> Vec<ExportDoc<'a>> {
        ["a.txt", "b.txt"]
            .iter()
            .zip(sets)
            .map(|(name, set)| ExportDoc { name, text, set })
            .collect()
    }

    fn request(choices: NetworkChoices, format: NetworkFormat) -> NetworkRequest {
        NetworkRequest {
            spec: choices.spec(),
            format,
            ..Default::default()
        }
    }

    const TEXT: &str = "اردو\r\nsaid ISI";

    #[test]
    fn dl_edges_and_graphml_of_a_conflict_network_are_exact() {
        let text = Text::new(TEXT.into());
        let sets = corpus(&text);
        let d = docs(&text, &sets);
        let choices = NetworkChoices {
            qualifier: Qualifier::Subtract,
            ..Default::default()
        };
        // A_S: =Army {Drones 1}, ISI {Drones 2}, PTI {Drones 1};
        // A_O: PTI {Drones 1}. Congruence − conflict: =Army–ISI 2,
        // =Army–PTI 1 − 1 = 0, ISI–PTI 2 − 2 = 0.
        let dl = network_to_string(&d, &request(choices, NetworkFormat::Dl)).unwrap();
        assert_eq!(
            dl,
            "dl n=3\nformat = fullmatrix\nlabels:\n\"=Army\"\n\"ISI\"\n\"PTI\"\ndata:\n0 2 0\n2 0 0\n0 0 0\n"
        );
        let edges = network_to_string(&d, &request(choices, NetworkFormat::Edges)).unwrap();
        assert_eq!(edges, "source,target,weight\r\n'=Army,ISI,2\r\n");
        let xml = network_to_string(&d, &request(choices, NetworkFormat::GraphMl)).unwrap();
        assert!(xml.contains(
            "<node id=\"n2\"><data key=\"label\">PTI</data><data key=\"kind\">actor</data><data key=\"activity\">2</data><data key=\"na0\">Dawn; The &quot;Nation&quot;</data></node>"
        ), "{xml}");
        assert!(xml.contains(
            "<edge id=\"e0\" source=\"n0\" target=\"n1\"><data key=\"weight\">2</data></edge>"
        ));
        let mut r = quick_xml::Reader::from_str(&xml);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{e}: {xml}"),
            }
        }
        // act: =Army 1, ISI 2 (support in a and b), PTI 2 (oppose in a,
        // support in b). Jaccard: W/(act(x)+act(y)−W) = 2/(1+2−2) = 2;
        // cosine 2/sqrt(1·2).
        let jaccard = NetworkChoices {
            normalization: Normalization::Jaccard,
            ..choices
        };
        let edges = network_to_string(&d, &request(jaccard, NetworkFormat::Edges)).unwrap();
        assert_eq!(edges, "source,target,weight\r\n'=Army,ISI,2\r\n");
        let cosine = NetworkChoices {
            normalization: Normalization::Cosine,
            ..choices
        };
        let edges_cos = network_to_string(&d, &request(cosine, NetworkFormat::Edges)).unwrap();
        assert_eq!(
            edges_cos,
            // 2/sqrt(2) in doubles; numpy's `2/np.sqrt(1*2)` prints the same.
            "source,target,weight\r\n'=Army,ISI,1.414213562373095\r\n"
        );
        assert_eq!(
            network_to_string(&d, &request(jaccard, NetworkFormat::Edges)).unwrap(),
            edges,
            "deterministic"
        );
    }

    #[test]
    fn two_mode_dl_and_edges_carry_stance_counts() {
        let text = Text::new(TEXT.into());
        let sets = corpus(&text);
        let d = docs(&text, &sets);
        let choices = NetworkChoices {
            kind: NetworkType::TwoMode,
            qualifier: Qualifier::Ignore,
            ..Default::default()
        };
        let dl = network_to_string(&d, &request(choices, NetworkFormat::Dl)).unwrap();
        assert_eq!(
            dl,
            "dl nr=3 nc=1\nformat = fullmatrix\nrow labels:\n\"=Army\"\n\"ISI\"\n\"PTI\"\ncolumn labels:\n\"Drones\"\ndata:\n1\n2\n2\n"
        );
        let edges = network_to_string(&d, &request(choices, NetworkFormat::Edges)).unwrap();
        assert_eq!(
            edges,
            "source,target,weight,support,oppose,neutral\r\n'=Army,Drones,1,1,0,0\r\nISI,Drones,2,2,0,0\r\nPTI,Drones,2,1,1,0\r\n"
        );
    }

    #[test]
    fn the_statement_list_has_exact_text_and_readable_dates() {
        let text = Text::new(TEXT.into());
        let sets = corpus(&text);
        let d = docs(&text, &sets);
        let mut req = request(NetworkChoices::default(), NetworkFormat::Statements);
        req.raw = true;
        req.spec.exclude_actors.insert("PTI".into());
        let csv = network_to_string(&d, &req).unwrap();
        assert_eq!(
            csv,
            "document,date,outlet,actor,issue,stance,start,end,text\r\n\
             a.txt,2012-03-01,Dawn,=Army,Drones,support,0,4,اردو\r\n\
             a.txt,2012-03-01,Dawn,ISI,Drones,support,0,4,اردو\r\n\
             b.txt,2012-03-09,\"The \"\"Nation\"\"\",ISI,Drones,support,0,11,\"اردو\r\nsaid \"\r\n"
        );
    }

    #[test]
    fn windows_write_one_file_each_and_an_index() {
        let text = Text::new(TEXT.into());
        let sets = corpus(&text);
        let d = docs(&text, &sets);
        let dir = tempfile::tempdir().unwrap();
        let mut req = request(NetworkChoices::default(), NetworkFormat::Edges);
        req.window = Some((7, 7));
        let out = network_to_path(&d, &req, dir.path()).unwrap();
        let names: Vec<String> = out
            .files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "network-2012-03-01.csv",
                "network-2012-03-08.csv",
                "index.csv"
            ]
        );
        assert!(out.undated.is_empty());
        // Window 1 (a): =Army–ISI share Drones support; PTI opposes.
        // Window 2 (b): ISI and PTI support Drones.
        assert_eq!(
            std::fs::read_to_string(dir.path().join("index.csv")).unwrap(),
            "start,end,documents,nodes,edges,file\r\n\
             2012-03-01,2012-03-07,1,3,1,network-2012-03-01.csv\r\n\
             2012-03-08,2012-03-14,1,2,1,network-2012-03-08.csv\r\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("network-2012-03-08.csv")).unwrap(),
            "source,target,weight\r\nISI,PTI,1\r\n"
        );
        // Without a destination folder, windows are refused.
        assert!(network_to_string(&d, &req).is_err());
    }
}
