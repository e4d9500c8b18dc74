//! `marginalia export`: write the excerpts of one or more articles.

use crate::core::export::{
    ExportDoc, ExportFormat, ExportOptions, Filter, NetworkMode, export_to_path, export_to_string,
};
use crate::core::session::Session;
use crate::core::store;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Export formats (mapped onto [`ExportFormat`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The marginalia-excerpts JSON format.
    Json,
    /// CSV, one row per excerpt (`--long`: one per tag).
    Csv,
    /// Markdown report grouped by issue and actor.
    Md,
    /// Self-contained HTML report.
    Html,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// brat standoff folder (`--out DIR` required).
    Brat,
    /// Actor–issue network as GraphML.
    Graphml,
    /// Actor–issue network as a CSV edge list.
    Edges,
}

impl From<Format> for ExportFormat {
    fn from(f: Format) -> ExportFormat {
        match f {
            Format::Json => ExportFormat::Json,
            Format::Csv => ExportFormat::Csv,
            Format::Md => ExportFormat::Markdown,
            Format::Html => ExportFormat::Html,
            Format::W3c => ExportFormat::W3c,
            Format::Brat => ExportFormat::Brat,
            Format::Graphml => ExportFormat::GraphMl,
            Format::Edges => ExportFormat::Edges,
        }
    }
}

/// Which network `graphml` and `edges` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Network {
    /// Actor–issue two-mode network.
    TwoMode,
    /// Actor–actor co-occurrence.
    Actors,
    /// Issue–issue co-occurrence.
    Issues,
}

impl From<Network> for NetworkMode {
    fn from(n: Network) -> NetworkMode {
        match n {
            Network::TwoMode => NetworkMode::TwoMode,
            Network::Actors => NetworkMode::Actors,
            Network::Issues => NetworkMode::Issues,
        }
    }
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
    /// Output file (default: standard output); a folder for `brat`.
    #[arg(long, short, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// CSV: write cells untouched (no formula neutralising).
    #[arg(long)]
    pub raw: bool,
    /// CSV: one row per (annotation, tag).
    #[arg(long)]
    pub long: bool,
    /// Network for `graphml` and `edges`.
    #[arg(long, value_enum, default_value = "two-mode")]
    pub network: Network,
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
    let format = ExportFormat::from(args.format);
    let options = ExportOptions {
        raw: args.raw,
        long: args.long,
        network: args.network.into(),
    };
    match &args.out {
        Some(path) => {
            let written = export_to_path(format, &docs, &filter, &options, path)
                .map_err(|e| e.to_string())?;
            if format.writes_directory() {
                eprintln!(
                    "marginalia: wrote {} files to {}",
                    written.len(),
                    path.display()
                );
            }
            Ok(())
        }
        None => {
            let out =
                export_to_string(format, &docs, &filter, &options).map_err(|e| e.to_string())?;
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(out.as_bytes())
                .map_err(|e| format!("cannot write to standard output: {e}"))
        }
    }
}
