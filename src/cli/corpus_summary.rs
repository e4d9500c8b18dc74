//! `marginalia corpus DIR [--json]`: a corpus folder in numbers: its
//! documents, annotations, tags, coders and statuses, and every set that
//! could not be read.
//!
//! Invariants: every set is read, never written; a set that fails to load
//! is listed under `errors` (and the exit code is 1), never skipped
//! silently; maps are sorted, so the output is the same for the same
//! folder.

use crate::core::codebook::TagKind;
use crate::core::corpus::Corpus;
use crate::core::set::DocStatus;
use crate::core::store;
use clap::Args;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Arguments of `marginalia corpus`.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// Print JSON (see the README) instead of lines of text.
    #[arg(long)]
    pub json: bool,
}

/// One tag's use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TagUse {
    /// `issue` or `actor`.
    pub kind: &'static str,
    /// Annotations carrying it.
    pub annotations: usize,
    /// Documents with at least one of them.
    pub documents: usize,
}

/// A set that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetError {
    /// The set's path relative to the corpus folder.
    pub path: String,
    /// Why.
    pub error: String,
}

/// The summary (`--json` prints it as is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Documents in the folder.
    pub documents: usize,
    /// Documents whose set has at least one annotation.
    pub annotated: usize,
    /// Annotations over every readable set.
    pub annotations: usize,
    /// Every tag of the corpus codebook and of the sets, by name (an actor
    /// named like an issue is keyed `NAME (actor)`).
    pub tags: BTreeMap<String, TagUse>,
    /// Annotations per coder.
    pub coders: BTreeMap<String, usize>,
    /// Documents per status (`ToDo`, `InProgress`, `Done`; a document
    /// without a set is `ToDo`, an unreadable one is not counted).
    pub status: BTreeMap<&'static str, usize>,
    /// Sets that could not be read.
    pub errors: Vec<SetError>,
}

/// The JSON key of a status.
fn status_key(s: DocStatus) -> &'static str {
    match s {
        DocStatus::ToDo => "ToDo",
        DocStatus::InProgress => "InProgress",
        DocStatus::Done => "Done",
    }
}

/// Reads every set of `corpus` into a summary.
pub fn summarize(corpus: &Corpus) -> Summary {
    let mut out = Summary {
        documents: corpus.docs.len(),
        ..Summary::default()
    };
    for s in [DocStatus::ToDo, DocStatus::InProgress, DocStatus::Done] {
        out.status.insert(status_key(s), 0);
    }
    // (kind, name) → (annotations, documents).
    let mut tags: BTreeMap<(TagKind, String), (usize, usize)> = BTreeMap::new();
    for t in corpus.file.codebook.tags() {
        tags.entry((t.kind, t.name.clone())).or_default();
    }
    for d in &corpus.docs {
        if !d.set_path.is_file() {
            *out.status.entry(status_key(DocStatus::ToDo)).or_default() += 1;
            continue;
        }
        let set = match store::load(&d.set_path) {
            Ok(s) => s,
            Err(e) => {
                let path = d
                    .set_path
                    .strip_prefix(&corpus.root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_else(|_| d.set_path.display().to_string());
                out.errors.push(SetError {
                    path,
                    error: e.to_string(),
                });
                continue;
            }
        };
        *out.status
            .entry(status_key(set.metadata.status))
            .or_default() += 1;
        for t in set.codebook.tags() {
            tags.entry((t.kind, t.name.clone())).or_default();
        }
        let anns = set.annotations();
        out.annotations += anns.len();
        if !anns.is_empty() {
            out.annotated += 1;
        }
        let mut seen: BTreeSet<(TagKind, &str)> = BTreeSet::new();
        for a in anns {
            for (k, n) in a.all_tags() {
                let e = tags.entry((k, n.to_owned())).or_default();
                e.0 += 1;
                if seen.insert((k, n)) {
                    e.1 += 1;
                }
            }
            if let Some(c) = &a.coder {
                *out.coders.entry(c.clone()).or_default() += 1;
            }
        }
    }
    let issues: BTreeSet<String> = tags
        .keys()
        .filter(|(k, _)| *k == TagKind::Issue)
        .map(|(_, n)| n.clone())
        .collect();
    for ((kind, name), (annotations, documents)) in tags {
        let key = if kind == TagKind::Actor && issues.contains(&name) {
            format!("{name} (actor)")
        } else {
            name
        };
        out.tags.insert(
            key,
            TagUse {
                kind: kind.as_str(),
                annotations,
                documents,
            },
        );
    }
    out
}

/// Runs the subcommand; returns the exit code (1: a set could not be
/// read; 2: the folder cannot be opened).
pub fn run(args: &CorpusArgs) -> i32 {
    let corpus = match Corpus::open(&args.dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            return 2;
        }
    };
    let s = summarize(&corpus);
    if args.json {
        match serde_json::to_string_pretty(&s) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("marginalia: error: {e}");
                return 2;
            }
        }
    } else {
        print_text(&s);
    }
    for e in &s.errors {
        eprintln!("marginalia: error: {}: {}", e.path, e.error);
    }
    i32::from(!s.errors.is_empty())
}

fn print_text(s: &Summary) {
    println!(
        "{} documents, {} annotated, {} annotations",
        s.documents, s.annotated, s.annotations
    );
    let status: Vec<String> = s.status.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("status: {}", status.join(", "));
    for (name, t) in &s.tags {
        println!(
            "{} {name}: {} annotations in {} documents",
            t.kind, t.annotations, t.documents
        );
    }
    for (c, n) in &s.coders {
        println!("coder {c}: {n} annotations");
    }
    if !s.errors.is_empty() {
        println!("{} sets could not be read", s.errors.len());
    }
}
