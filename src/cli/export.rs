//! `marginalia export`: write the excerpts of one or more articles.

use crate::core::export::{ExportDoc, Filter, json};
use crate::core::session::Session;
use crate::core::store;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The marginalia-excerpts JSON format.
    Json,
}

/// Arguments of `marginalia export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Articles, annotation sets, or folders (searched recursively for
    /// `*.annotations.ron`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "json")]
    pub format: Format,
    /// Output file (default: standard output).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Only excerpts tagged with this issue (repeatable).
    #[arg(long = "issue", value_name = "NAME")]
    pub issues: Vec<String>,
    /// Only excerpts tagged with this actor (repeatable).
    #[arg(long = "actor", value_name = "NAME")]
    pub actors: Vec<String>,
}

/// Expands folders into the annotation sets found inside them (sorted).
pub fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            collect_sets(p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn collect_sets(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_sets(&p, out);
        } else if store::is_set_path(&p) {
            out.push(p);
        }
    }
}

/// Opens every path as a session.
pub fn open_all(paths: &[PathBuf], legacy: bool) -> Result<Vec<Session>, String> {
    let paths = expand_paths(paths);
    if paths.is_empty() {
        return Err("no annotation sets found".into());
    }
    paths
        .iter()
        .map(|p| super::open_for_cli(p, legacy))
        .collect()
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &ExportArgs, legacy: bool) -> i32 {
    match export(args, legacy) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

fn export(args: &ExportArgs, legacy: bool) -> Result<(), String> {
    let sessions = open_all(&args.paths, legacy)?;
    let names: Vec<String> = sessions.iter().map(|s| s.display_name()).collect();
    let docs: Vec<ExportDoc> = sessions
        .iter()
        .zip(&names)
        .map(|(s, n)| ExportDoc {
            name: n,
            text: &s.text,
            set: &s.set,
        })
        .collect();
    let filter = Filter {
        issues: args.issues.clone(),
        actors: args.actors.clone(),
    };
    let out = match args.format {
        Format::Json => json::to_string(&docs, &filter),
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(out.as_bytes())
                .map_err(|e| format!("cannot write to standard output: {e}"))
        }
    }
}
