//! `marginalia search DIR PATTERN [--regex] [--case] [--word] [--json]`:
//! every match of a pattern in every text of a corpus (or one article),
//! offsets in code points of the decoded text (see
//! [`crate::core::corpus_search`]).

use crate::core::corpus::Corpus;
use crate::core::corpus_search::{self, CorpusMatches};
use crate::core::search::{Query, SearchOptions};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;

/// Arguments of `marginalia search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The corpus folder (or one article).
    pub dir: PathBuf,
    /// What to find.
    pub pattern: String,
    /// The pattern is a regular expression (Rust `regex` syntax).
    #[arg(long)]
    pub regex: bool,
    /// Match case (the default ignores it).
    #[arg(long)]
    pub case: bool,
    /// Whole words only (Unicode word boundaries).
    #[arg(long)]
    pub word: bool,
    /// Print JSON: `{"documents_searched": N, "matches": [{"document",
    /// "start", "end", "text"}]}`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    document: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    documents_searched: usize,
    matches: Vec<JsonMatch<'a>>,
}

/// Runs the subcommand; returns the exit code (1: a document could not be
/// read or the matches were cut; 2: bad pattern or folder).
pub fn run(args: &SearchArgs) -> i32 {
    let opts = SearchOptions {
        case_sensitive: args.case,
        whole_word: args.word,
        regex: args.regex,
    };
    let query = match Query::new(&args.pattern, opts) {
        Ok(Some(q)) => q,
        Ok(None) => {
            eprintln!("marginalia: error: the pattern is empty");
            return 2;
        }
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            return 2;
        }
    };
    let (corpus, single) = match open(&args.dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            return 2;
        }
    };
    let found = corpus_search::search(&corpus, &query, &AtomicUsize::new(0));
    let name = |doc: usize| -> &str {
        match (&single, corpus.docs.get(doc)) {
            (Some(n), _) => n.as_str(),
            (None, Some(d)) => d.rel.as_str(),
            (None, None) => "",
        }
    };
    if args.json {
        let out = JsonOut {
            documents_searched: found.documents_searched,
            matches: found
                .matches
                .iter()
                .map(|m| JsonMatch {
                    document: name(m.doc),
                    start: m.start,
                    end: m.end,
                    text: &m.text,
                })
                .collect(),
        };
        match serde_json::to_string_pretty(&out) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("marginalia: error: {e}");
                return 2;
            }
        }
    } else {
        for m in &found.matches {
            println!(
                "{}:{}-{}: {}[{}]{}",
                name(m.doc),
                m.start,
                m.end,
                m.left,
                m.text,
                m.right
            );
        }
    }
    report(&found)
}

/// The folder as a corpus, or one article as a corpus of one (named by
/// its file name).
fn open(path: &std::path::Path) -> Result<(Corpus, Option<String>), String> {
    if path.is_dir() {
        return Corpus::open(path)
            .map(|c| (c, None))
            .map_err(|e| e.to_string());
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let c = Corpus::open(parent).map_err(|e| e.to_string())?;
    let i = c
        .position(path)
        .ok_or_else(|| format!("{}: not a supported article", path.display()))?;
    let name = c.docs[i].rel.clone();
    let mut one = c;
    one.docs = vec![one.docs.swap_remove(i)];
    Ok((one, Some(name)))
}

fn report(found: &CorpusMatches) -> i32 {
    for (p, e) in &found.unreadable {
        eprintln!("marginalia: error: {p}: not searched: {e}");
    }
    if found.truncated {
        eprintln!(
            "marginalia: warning: more matches than shown (at most {} are listed)",
            corpus_search::MAX_CORPUS_MATCHES
        );
    }
    i32::from(!found.unreadable.is_empty() || found.truncated)
}
