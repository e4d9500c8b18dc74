//! Agreement reports: two coders compared over two sets of one article,
//! two corpus folders (one per coder, e.g. two git clones), or two coders
//! inside the same files; the figures of [`super::agreement`] per document
//! and tag, pooled per tag over the documents, and overall.
//!
//! Invariants:
//! - Files are only read. Two sets of different texts (SHA-256 differs)
//!   are refused; in two folders, documents are paired by relative path
//!   and SHA-256, and the others are listed as unpaired, never dropped
//!   silently.
//! - A document is compared when at least one of the two coders has an
//!   annotation in it (a document neither coded says nothing of their
//!   agreement).
//! - Tags are keyed by name (an actor named like an issue is keyed
//!   `NAME (actor)`); every map is sorted, so the report is the same for
//!   the same files.

use super::agreement::{Figures, Mark, TagSpec, Tally};
use super::annotation::Annotation;
use super::codebook::{Codebook, TagKind};
use super::corpus::{Corpus, DocEntry, merge_codebooks};
use super::set::AnnotationSet;
use super::store;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What is compared.
#[derive(Debug, Clone)]
pub enum Sources {
    /// Coder A's set or corpus folder, then coder B's.
    Two(PathBuf, PathBuf),
    /// Two coders (by the `coder` field) inside the same set or folder.
    Coders(PathBuf, String, String),
}

/// Which tags, and whether a tag's descendants count as it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The tags to report (all used by either coder when empty).
    pub tags: Vec<String>,
    /// Count annotations carrying a descendant of a tag as the tag.
    pub with_children: bool,
    /// List each document's disagreements (`core::compare`).
    pub disagreements: bool,
}

/// One document's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocFigures {
    /// The document: its path relative to the folder, or the set's path.
    pub document: String,
    /// Its length in code points.
    pub length: usize,
    /// The tags either coder used in it.
    pub tags: BTreeMap<String, Figures>,
    /// Every tag pooled over this document.
    pub overall: Figures,
    /// What the two codings disagree on, by position (only when asked
    /// for: `--disagreements`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<String>,
}

/// The report (`--json` prints it as is).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Coder A's and coder B's names.
    pub coders: [String; 2],
    /// Every compared document, in path order.
    pub documents: Vec<DocFigures>,
    /// Per tag, pooled over the documents.
    pub tags: BTreeMap<String, Figures>,
    /// Every tag pooled.
    pub overall: Figures,
    /// Documents found on one side only, or with different texts.
    pub unpaired: Vec<String>,
}

/// One coder's annotations of a document by tag: each annotation's
/// position in the set (so one carrying two names of a tag counts once)
/// and its mark.
type Coded = HashMap<(TagKind, String), Vec<(usize, Mark)>>;

fn coded<'a>(anns: impl Iterator<Item = &'a Annotation>) -> Coded {
    let mut m: Coded = HashMap::new();
    for (i, a) in anns.enumerate() {
        for (kind, name) in a.all_tags() {
            m.entry((kind, name.to_owned()))
                .or_default()
                .push((i, (a.start, a.end, a.stance)));
        }
    }
    m
}

/// One document as both coders coded it.
struct Pair {
    document: String,
    length: usize,
    a: Coded,
    b: Coded,
    /// The disagreements, described, when asked for.
    disagreements: Vec<String>,
}

impl Pair {
    fn new<'a>(
        document: String,
        length: usize,
        a: impl Iterator<Item = &'a Annotation> + Clone,
        b: impl Iterator<Item = &'a Annotation> + Clone,
        list: bool,
    ) -> Option<Pair> {
        let disagreements = if list {
            let (va, vb): (Vec<Annotation>, Vec<Annotation>) =
                (a.clone().cloned().collect(), b.clone().cloned().collect());
            super::compare::disagreements(&va, &vb)
                .iter()
                .map(|d| {
                    let (s, e) = d.position();
                    format!("{s}–{e}: {}", d.describe())
                })
                .collect()
        } else {
            Vec::new()
        };
        let (a, b) = (coded(a), coded(b));
        // A document neither coded says nothing of their agreement.
        (!(a.is_empty() && b.is_empty())).then_some(Pair {
            document,
            length,
            a,
            b,
            disagreements,
        })
    }
}

/// Builds the report, or says why it cannot.
pub fn report(sources: &Sources, opts: &Options) -> Result<Report, String> {
    let Loaded {
        coders,
        mut pairs,
        unpaired,
        codebook,
    } = match sources {
        Sources::Two(x, y) if x.is_dir() && y.is_dir() => two_folders(x, y, opts.disagreements)?,
        Sources::Two(x, y) if x.is_dir() || y.is_dir() => {
            return Err(format!(
                "{} and {} must both be annotation sets or both corpus folders",
                x.display(),
                y.display()
            ));
        }
        Sources::Two(x, y) => two_sets(x, y, opts.disagreements)?,
        Sources::Coders(p, a, b) => same_files(p, a, b, opts.disagreements)?,
    };
    pairs.sort_by(|x, y| x.document.cmp(&y.document));
    let specs = tag_specs(&codebook, &pairs, opts)?;
    // Each tag name → the specs it counts for (its own; with children,
    // its ancestors' too).
    let mut counts_for: HashMap<(TagKind, &str), Vec<usize>> = HashMap::new();
    for (k, s) in specs.iter().enumerate() {
        for n in &s.names {
            counts_for.entry((s.kind, n.as_str())).or_default().push(k);
        }
    }
    let mut pooled: Vec<Tally> = vec![Tally::default(); specs.len()];
    let mut documents = Vec::with_capacity(pairs.len());
    // Each document's codings are dropped once counted (the figures of
    // 10,000 documents and their codings need not be in memory together).
    for p in pairs {
        let gather = |c: &Coded| -> Vec<Vec<(usize, Mark)>> {
            let mut per: Vec<Vec<(usize, Mark)>> = vec![Vec::new(); specs.len()];
            for ((kind, name), marks) in c {
                for &k in counts_for
                    .get(&(*kind, name.as_str()))
                    .into_iter()
                    .flatten()
                {
                    per[k].extend(marks);
                }
            }
            per
        };
        let (ga, gb) = (gather(&p.a), gather(&p.b));
        let mut tags = BTreeMap::new();
        let mut doc_all = Tally::default();
        for (k, s) in specs.iter().enumerate() {
            let t = if ga[k].is_empty() && gb[k].is_empty() {
                Tally::empty(p.length)
            } else {
                let t = Tally::of(p.length, &once_each(&ga[k]), &once_each(&gb[k]));
                tags.insert(s.key.clone(), t.figures());
                t
            };
            doc_all.add(&t);
            pooled[k].add(&t);
        }
        documents.push(DocFigures {
            document: p.document,
            length: p.length,
            tags,
            overall: doc_all.figures(),
            disagreements: p.disagreements,
        });
    }
    let mut overall = Tally::default();
    for t in &pooled {
        overall.add(t);
    }
    Ok(Report {
        coders,
        documents,
        tags: specs
            .iter()
            .zip(&pooled)
            .map(|(s, t)| (s.key.clone(), t.figures()))
            .collect(),
        overall: overall.figures(),
        unpaired,
    })
}

/// The marks of distinct annotations (one may carry two names of a tag).
fn once_each(v: &[(usize, Mark)]) -> Vec<Mark> {
    let mut v = v.to_vec();
    v.sort_unstable_by_key(|m| m.0);
    v.dedup_by_key(|m| m.0);
    v.into_iter().map(|(_, m)| m).collect()
}

/// What the sources gave: the coders' names, the documents both coded,
/// the unpaired ones, and every codebook merged.
struct Loaded {
    coders: [String; 2],
    pairs: Vec<Pair>,
    unpaired: Vec<String>,
    codebook: Codebook,
}

fn load(p: &Path) -> Result<AnnotationSet, String> {
    // A set under any name (a copy, git's %A) is read as a set; an
    // article by the naming rule.
    let set_path = if store::is_set_path(p) || p.extension().is_some_and(|e| e == "ron") {
        p.to_owned()
    } else {
        store::set_path_for(p)
    };
    store::load(&set_path).map_err(|e| e.to_string())
}

/// Coder names found in annotations, gathered while reading.
type Names = BTreeSet<String>;

fn names_in(set: &AnnotationSet, into: &mut Names) {
    for a in set.annotations() {
        if let Some(c) = &a.coder
            && !into.contains(c)
        {
            into.insert(c.clone());
        }
    }
}

/// The one coder named, else the fallback.
fn coder_name(names: &Names, fallback: String) -> String {
    match (names.len(), names.first()) {
        (1, Some(n)) => n.clone(),
        _ => fallback,
    }
}

fn file_label(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn two_sets(x: &Path, y: &Path, list: bool) -> Result<Loaded, String> {
    let (sx, sy) = (load(x)?, load(y)?);
    if sx.source.sha256 != sy.source.sha256 {
        return Err(format!(
            "{} and {} annotate different texts (SHA-256 {} and {}); agreement needs two codings of the same article",
            x.display(),
            y.display(),
            short(&sx.source.sha256),
            short(&sy.source.sha256)
        ));
    }
    let (mut nx, mut ny) = (Names::new(), Names::new());
    names_in(&sx, &mut nx);
    names_in(&sy, &mut ny);
    let codebook = merge_codebooks(&sx.codebook, &sy.codebook).0;
    let pairs = Pair::new(
        x.display().to_string(),
        sx.source.length,
        sx.annotations().iter(),
        sy.annotations().iter(),
        list,
    );
    Ok(Loaded {
        coders: [
            coder_name(&nx, file_label(x)),
            coder_name(&ny, file_label(y)),
        ],
        pairs: pairs.into_iter().collect(),
        unpaired: Vec::new(),
        codebook,
    })
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// Threads reading sets.
const WORKERS: usize = 2;

/// `f` over every item on [`WORKERS`] threads, the results in order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|sc| {
        for _ in 0..WORKERS {
            sc.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(x) = items.get(i) else { break };
                    mine.push((i, f(x)));
                }
                if let Ok(mut all) = done.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let mut all = done.into_inner().unwrap_or_default();
    all.sort_by_key(|r| r.0);
    all.into_iter().map(|r| r.1).collect()
}

/// A set if the document has one; an unreadable set is an error naming it.
fn set_of(d: &DocEntry) -> Result<Option<AnnotationSet>, String> {
    if !d.set_path.is_file() {
        return Ok(None);
    }
    store::load(&d.set_path)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// What one document of two folders gave.
enum Paired {
    Both(Option<Pair>, Names, Names),
    Unpaired,
    Neither,
}

fn two_folders(x: &Path, y: &Path, list: bool) -> Result<Loaded, String> {
    let cx = Corpus::open(x).map_err(|e| e.to_string())?;
    let cy = Corpus::open(y).map_err(|e| e.to_string())?;
    let dx: BTreeMap<&str, &DocEntry> = cx.docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    let dy: BTreeMap<&str, &DocEntry> = cy.docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    let rels: Vec<&str> = dx
        .keys()
        .chain(dy.keys())
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let merged = Mutex::new(merge_codebooks(&cx.file.codebook, &cy.file.codebook).0);
    let results = par_map(&rels, |rel| -> Result<Paired, String> {
        let a = dx.get(rel).map(|d| set_of(d)).transpose()?.flatten();
        let b = dy.get(rel).map(|d| set_of(d)).transpose()?.flatten();
        let in_both = dx.contains_key(rel) && dy.contains_key(rel);
        let same_text = match (&a, &b) {
            (Some(a), Some(b)) => a.source.sha256 == b.source.sha256,
            _ => true,
        };
        if !in_both || !same_text {
            return Ok(if a.is_some() || b.is_some() {
                Paired::Unpaired
            } else {
                Paired::Neither
            });
        }
        let (mut na, mut nb) = (Names::new(), Names::new());
        if let Some(s) = &a {
            names_in(s, &mut na);
        }
        if let Some(s) = &b {
            names_in(s, &mut nb);
        }
        let length = a.as_ref().or(b.as_ref()).map_or(0, |s| s.source.length);
        let none: &[Annotation] = &[];
        let (ia, ib) = (
            a.as_ref().map_or(none, |s| s.annotations()),
            b.as_ref().map_or(none, |s| s.annotations()),
        );
        let pair = Pair::new((*rel).to_owned(), length, ia.iter(), ib.iter(), list);
        for s in [&a, &b].into_iter().flatten() {
            adopt(&merged, &s.codebook);
        }
        Ok(Paired::Both(pair, na, nb))
    });
    let (mut na, mut nb) = (Names::new(), Names::new());
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for (rel, r) in rels.iter().zip(results) {
        match r? {
            Paired::Both(pair, a, b) => {
                na.extend(a);
                nb.extend(b);
                pairs.extend(pair);
            }
            Paired::Unpaired => unpaired.push((*rel).to_owned()),
            Paired::Neither => {}
        }
    }
    Ok(Loaded {
        coders: [
            coder_name(&na, file_label(&cx.root)),
            coder_name(&nb, file_label(&cy.root)),
        ],
        pairs,
        unpaired,
        codebook: merged.into_inner().unwrap_or_default(),
    })
}

/// Merges a set's codebook into the shared one when it holds a tag that
/// one lacks (most sets hold none: look first).
fn adopt(merged: &Mutex<Codebook>, extra: &Codebook) {
    let Ok(mut cb) = merged.lock() else { return };
    if extra
        .tags()
        .iter()
        .any(|t| cb.get(t.kind, &t.name).is_none())
    {
        *cb = merge_codebooks(&cb, extra).0;
    }
}

/// The annotations of one coder.
fn by<'s>(
    set: &'s AnnotationSet,
    who: &'s str,
) -> impl Iterator<Item = &'s Annotation> + Clone + 's {
    set.annotations()
        .iter()
        .filter(move |x| x.coder.as_deref() == Some(who))
}

fn same_files(p: &Path, a: &str, b: &str, list: bool) -> Result<Loaded, String> {
    let of = |set: &AnnotationSet, document: String| -> (Option<Pair>, Names) {
        let mut names = Names::new();
        names_in(set, &mut names);
        (
            Pair::new(document, set.source.length, by(set, a), by(set, b), list),
            names,
        )
    };
    let mut names = Names::new();
    let mut pairs = Vec::new();
    let codebook;
    if p.is_dir() {
        let corpus = Corpus::open(p).map_err(|e| e.to_string())?;
        let merged = Mutex::new(corpus.file.codebook.clone());
        let results = par_map(
            &corpus.docs,
            |d| -> Result<Option<(Option<Pair>, Names)>, String> {
                Ok(set_of(d)?.map(|set| {
                    let (pair, names) = of(&set, d.rel.clone());
                    adopt(&merged, &set.codebook);
                    (pair, names)
                }))
            },
        );
        for r in results {
            if let Some((pair, n)) = r? {
                names.extend(n);
                pairs.extend(pair);
            }
        }
        codebook = merged.into_inner().unwrap_or_default();
    } else {
        let set = load(p)?;
        let (pair, n) = of(&set, p.display().to_string());
        codebook = set.codebook.clone();
        names = n;
        pairs.extend(pair);
    }
    if !names.contains(a) && !names.contains(b) {
        let known: Vec<&str> = names.iter().map(String::as_str).collect();
        return Err(format!(
            "neither “{a}” nor “{b}” coded anything in {} (coders found: {})",
            p.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    }
    Ok(Loaded {
        coders: [a.to_owned(), b.to_owned()],
        pairs,
        unpaired: Vec::new(),
        codebook,
    })
}

impl Report {
    /// The pooled tags, the weakest (lowest alpha, undefined last) first,
    /// then by name.
    pub fn tags_weakest_first(&self) -> Vec<(&str, &Figures)> {
        let mut v: Vec<(&str, &Figures)> = self.tags.iter().map(|(k, f)| (k.as_str(), f)).collect();
        v.sort_by(|x, y| x.1.weakness().total_cmp(&y.1.weakness()).then(x.0.cmp(y.0)));
        v
    }

    /// The documents, the weakest first (by their overall figures).
    pub fn documents_weakest_first(&self) -> Vec<&DocFigures> {
        let mut v: Vec<&DocFigures> = self.documents.iter().collect();
        v.sort_by(|x, y| {
            x.overall
                .weakness()
                .total_cmp(&y.overall.weakness())
                .then(x.document.cmp(&y.document))
        });
        v
    }
}

/// The report as CSV: one row per tag (pooled), the overall row, then one
/// row per document (every tag pooled over it); figures with 6 decimals,
/// empty when undefined.
pub fn to_csv(r: &Report) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut head = vec!["level".to_owned(), "name".to_owned()];
    head.extend(Figures::NAMES.iter().map(|n| (*n).to_owned()));
    head.extend(r.coders.iter().map(|c| format!("annotations {c}")));
    let _ = w.write_record(&head);
    let mut row = |level: &str, name: &str, f: &Figures| {
        let mut rec = vec![level.to_owned(), name.to_owned()];
        rec.extend(
            f.values()
                .iter()
                .map(|x| x.map_or_else(String::new, |v| format!("{v:.6}"))),
        );
        rec.extend([f.a.to_string(), f.b.to_string()]);
        let _ = w.write_record(&rec);
    };
    for (name, f) in &r.tags {
        row("tag", name, f);
    }
    row("overall", "", &r.overall);
    for d in &r.documents {
        row("document", &d.document, &d.overall);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The tags to compare, keyed by name.
fn tag_specs(codebook: &Codebook, pairs: &[Pair], opts: &Options) -> Result<Vec<TagSpec>, String> {
    // Tags used in the annotations, and the codebook's.
    let mut all: BTreeSet<(TagKind, String)> = codebook
        .tags()
        .iter()
        .map(|t| (t.kind, t.name.clone()))
        .collect();
    let mut used: BTreeSet<(TagKind, String)> = BTreeSet::new();
    for p in pairs {
        used.extend(p.a.keys().chain(p.b.keys()).cloned());
    }
    all.extend(used.iter().cloned());
    let chosen: Vec<(TagKind, String)> = if opts.tags.is_empty() {
        used.into_iter().collect()
    } else {
        let mut v = Vec::new();
        for want in &opts.tags {
            let found: Vec<&(TagKind, String)> = all.iter().filter(|(_, n)| n == want).collect();
            if found.is_empty() {
                let names: Vec<&str> = all.iter().map(|(_, n)| n.as_str()).collect();
                let close = super::suggest::closest(want, names);
                return Err(format!(
                    "no tag “{want}” in either coding{}",
                    match close.first() {
                        Some(c) => format!(" (did you mean “{c}”?)"),
                        None => String::new(),
                    }
                ));
            }
            v.extend(found.into_iter().cloned());
        }
        v.sort();
        v.dedup();
        v
    };
    let issue_names: BTreeSet<&str> = chosen
        .iter()
        .filter(|(k, _)| *k == TagKind::Issue)
        .map(|(_, n)| n.as_str())
        .collect();
    Ok(chosen
        .iter()
        .map(|(kind, name)| TagSpec {
            key: if *kind == TagKind::Actor && issue_names.contains(name.as_str()) {
                format!("{name} (actor)")
            } else {
                name.clone()
            },
            kind: *kind,
            names: if opts.with_children {
                codebook.with_descendants(*kind, name)
            } else {
                vec![name.clone()]
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(alpha: Option<f64>, a: u64, b: u64) -> Figures {
        Figures {
            percent: Some(0.75),
            kappa: Some(0.5),
            alpha,
            alpha_u: None,
            f1_exact: Some(1.0 / 3.0),
            f1_overlap: None,
            stance: None,
            a,
            b,
        }
    }

    #[test]
    fn the_csv_has_a_row_per_tag_the_overall_and_a_row_per_document() {
        let r = Report {
            coders: ["ann".into(), "bob, jr".into()],
            documents: vec![DocFigures {
                document: "dawn/a \"x\".txt".into(),
                length: 20,
                tags: BTreeMap::new(),
                overall: figs(None, 1, 0),
                disagreements: Vec::new(),
            }],
            tags: BTreeMap::from([("Drones".to_owned(), figs(Some(0.25), 2, 3))]),
            overall: figs(Some(-0.5), 2, 3),
            unpaired: Vec::new(),
        };
        assert_eq!(
            to_csv(&r),
            "level,name,percent,kappa,alpha,alpha_u,f1_exact,f1_overlap,stance,annotations ann,\"annotations bob, jr\"\n\
             tag,Drones,0.750000,0.500000,0.250000,,0.333333,,,2,3\n\
             overall,,0.750000,0.500000,-0.500000,,0.333333,,,2,3\n\
             document,\"dawn/a \"\"x\"\".txt\",0.750000,0.500000,,,0.333333,,,1,0\n"
        );
    }
}
