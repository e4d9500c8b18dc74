//! `marginalia agreement X Y [--tag T]… [--with-children] [--json]` and
//! `marginalia agreement DIR_OR_SET --coders A,B`: how far two coders
//! agree, per tag and document, pooled per tag and overall (the figures
//! are defined in `core::agreement`).
//!
//! Invariants: files are only read; the JSON is the report as
//! `core::agreement_report` builds it (sorted maps, `null` for a figure
//! that is undefined); a problem exits 2 with one line on stderr.

use crate::core::agreement::Figures;
use crate::core::agreement_report::{self, Options, Report, Sources};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `marginalia agreement`.
#[derive(Debug, Args)]
pub struct AgreementArgs {
    /// Coder A's annotation set (or article) or corpus folder; with
    /// `--coders`, the one set or folder both coded in.
    pub first: PathBuf,
    /// Coder B's annotation set (or article) or corpus folder.
    pub second: Option<PathBuf>,
    /// Compare two coders inside the same files, by their names:
    /// `--coders ann,bob`.
    #[arg(long, value_delimiter = ',', num_args = 1)]
    pub coders: Vec<String>,
    /// Only this tag (repeatable); every tag either coder used otherwise.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Count an annotation carrying a descendant of a tag as the tag.
    #[arg(long)]
    pub with_children: bool,
    /// Also list, per document, what the two codings disagree on (only
    /// A, only B, tags, boundaries, stance), by position.
    #[arg(long)]
    pub disagreements: bool,
    /// Print JSON (see the README) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command; the exit code.
pub fn run(args: &AgreementArgs) -> i32 {
    match sources(args).and_then(|s| {
        agreement_report::report(
            &s,
            &Options {
                tags: args.tags.clone(),
                with_children: args.with_children,
                disagreements: args.disagreements,
            },
        )
    }) {
        Ok(r) => {
            if args.json {
                match serde_json::to_string_pretty(&r) {
                    Ok(j) => println!("{j}"),
                    Err(e) => {
                        eprintln!("marginalia: error: {e}");
                        return 2;
                    }
                }
            } else {
                print_table(&r);
            }
            0
        }
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            2
        }
    }
}

fn sources(args: &AgreementArgs) -> Result<Sources, String> {
    match (&args.second, args.coders.as_slice()) {
        (None, [a, b]) => Ok(Sources::Coders(args.first.clone(), a.clone(), b.clone())),
        (Some(_), [_, ..]) => Err(
            "--coders compares two coders inside one set or folder: give one path, not two".into(),
        ),
        (None, []) => {
            Err("give two sets or folders (coder A's, coder B's), or one with --coders A,B".into())
        }
        (None, _) => Err("--coders takes exactly two names: --coders A,B".into()),
        (Some(second), []) => Ok(Sources::Two(args.first.clone(), second.clone())),
    }
}

/// A figure with three decimals, `—` when undefined.
fn fig(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

fn print_table(r: &Report) {
    println!(
        "{} and {}: {} document{} compared",
        r.coders[0],
        r.coders[1],
        r.documents.len(),
        if r.documents.len() == 1 { "" } else { "s" }
    );
    // The figures' column widths (the tag's is 28).
    let widths: [usize; 7] = [7, 7, 7, 7, 8, 10, 6];
    let mut head = format!("{:<28}", "tag");
    for (n, w) in Figures::NAMES.iter().zip(&widths) {
        head.push_str(&format!(" {n:>w$}"));
    }
    println!("{head} {:>6} {:>6}", "A", "B");
    let row = |name: &str, f: &Figures| {
        let mut line = format!("{name:<28}");
        for (v, w) in f.values().into_iter().zip(&widths) {
            line.push_str(&format!(" {:>w$}", fig(v)));
        }
        println!("{line} {:>6} {:>6}", f.a, f.b);
    };
    for (name, f) in r.tags_weakest_first() {
        row(name, f);
    }
    row("(all tags)", &r.overall);
    for d in r.documents.iter().filter(|d| !d.disagreements.is_empty()) {
        println!("{}: {} disagreements", d.document, d.disagreements.len());
        for x in &d.disagreements {
            println!("  {x}");
        }
    }
    if !r.unpaired.is_empty() {
        println!("Not paired (on one side only, or different texts):");
        for p in &r.unpaired {
            println!("  {p}");
        }
    }
}
