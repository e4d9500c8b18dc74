//! `marginalia export`: write the excerpts of one or more articles.

use crate::core::export::{
    ExportFormat, ExportOptions, Filter, NetworkMode, export_to_path, export_to_string, qdpx,
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
    /// REFI-QDA project (`--out FILE.qdpx` required).
    Qdpx,
    /// Document × tag matrix (CSV; excerpt counts, `--binary` for 0/1).
    Matrix,
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
            Format::Qdpx => ExportFormat::Qdpx,
            Format::Matrix => ExportFormat::Matrix,
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

/// `--positions` of a `.qdpx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PositionsArg {
    /// Unicode code points (the REFI-QDA standard).
    Codepoints,
    /// UTF-16 code units (NVivo).
    Utf16,
}

impl From<PositionsArg> for qdpx::Positions {
    fn from(p: PositionsArg) -> qdpx::Positions {
        match p {
            PositionsArg::Codepoints => qdpx::Positions::CodePoints,
            PositionsArg::Utf16 => qdpx::Positions::Utf16,
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
    /// CSV, edges, matrix: write cells untouched (no formula neutralising).
    #[arg(long)]
    pub raw: bool,
    /// CSV: one row per (annotation, tag).
    #[arg(long)]
    pub long: bool,
    /// Matrix: 1 when a document has an excerpt with the tag, else 0.
    #[arg(long)]
    pub binary: bool,
    /// Network for `graphml` and `edges` (default: two-mode).
    #[arg(long, value_enum)]
    pub network: Option<Network>,
    /// qdpx: what selection positions count; `utf16` for NVivo, which
    /// counts UTF-16 code units (an emoji is two).
    #[arg(long, value_enum)]
    pub positions: Option<PositionsArg>,
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
        .map(|p| {
            let s = super::open_for_cli(p, legacy)?;
            // An article whose set cannot be read opens without its
            // annotations (the window keeps the file safe); an export of it
            // would be empty, so it fails as the set itself does.
            match &s.protected {
                Some(why) => Err(format!("{why}; nothing was exported")),
                None => Ok(s),
            }
        })
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

/// Options that do not apply to the format, and an `--out` that does not
/// fit it, are refused before anything is read.
fn check_options(args: &ExportArgs) -> Result<(), String> {
    let format = ExportFormat::from(args.format);
    let name = format!("{:?}", args.format).to_lowercase();
    let network = matches!(format, ExportFormat::GraphMl | ExportFormat::Edges);
    let csv = format == ExportFormat::Csv;
    if args.network.is_some() && !network {
        return Err(format!(
            "--network applies to -f graphml and -f edges, not -f {name}"
        ));
    }
    if args.long && !csv {
        return Err(format!("--long applies to -f csv, not -f {name}"));
    }
    if args.positions.is_some() && format != ExportFormat::Qdpx {
        return Err(format!("--positions applies to -f qdpx, not -f {name}"));
    }
    if args.binary && format != ExportFormat::Matrix {
        return Err(format!("--binary applies to -f matrix, not -f {name}"));
    }
    let raw_applies = matches!(
        format,
        ExportFormat::Csv | ExportFormat::Edges | ExportFormat::Matrix
    );
    if args.raw && !raw_applies {
        return Err(format!(
            "--raw applies to -f csv, -f edges and -f matrix, not -f {name}"
        ));
    }
    if format.is_binary() {
        match &args.out {
            None => {
                return Err(format!(
                    "-f {name} writes a zip file; give --out FILE.{name}"
                ));
            }
            Some(out) if out.is_dir() => {
                return Err(format!(
                    "-f {name} writes a file, and {} is a folder",
                    out.display()
                ));
            }
            Some(_) => {}
        }
    }
    if format.writes_directory()
        && let Some(out) = &args.out
    {
        if out.is_file() {
            return Err(format!(
                "-f {name} writes a folder, and {} is a file",
                out.display()
            ));
        }
        if !out.exists() && out.extension().is_some() {
            return Err(format!(
                "-f {name} writes a folder; {} looks like a file name (give a folder, e.g. {}-brat/)",
                out.display(),
                out.file_stem()
                    .map_or(String::new(), |s| s.to_string_lossy().into_owned())
            ));
        }
    }
    Ok(())
}

/// A filter that names a tag no set has is an error (an empty export
/// would look like "nothing coded"), with the closest names.
fn check_filter(sessions: &[Session], filter: &Filter) -> Result<(), String> {
    use crate::core::codebook::TagKind;
    use crate::core::suggest;
    for (kind, names) in [
        (TagKind::Issue, &filter.issues),
        (TagKind::Actor, &filter.actors),
    ] {
        let mut known: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for s in sessions {
            known.extend(s.set.codebook.of_kind(kind).map(|t| t.name.as_str()));
            for a in s.set.annotations() {
                known.extend(a.tags(kind).iter().map(String::as_str));
            }
        }
        for n in names {
            if !known.contains(n.as_str()) {
                let close = suggest::closest(n, known.iter().copied());
                return Err(format!(
                    "no {kind} named “{n}” in these sets{}",
                    suggest::did_you_mean(&close)
                ));
            }
        }
    }
    Ok(())
}

/// The project a `.qdpx` export writes: for one corpus folder its name and
/// codebook (`corpus.ron`), otherwise named after the output file.
fn qdpx_project(
    paths: &[PathBuf],
    out: &Path,
    positions: qdpx::Positions,
) -> Result<qdpx::Project, String> {
    if let [dir] = paths
        && dir.is_dir()
    {
        let corpus = crate::core::corpus::Corpus::open(dir).map_err(|e| e.to_string())?;
        return Ok(qdpx::Project {
            name: corpus.file.name,
            codebook: corpus.file.codebook,
            positions,
        });
    }
    Ok(qdpx::Project {
        name: out.file_stem().map_or_else(
            || "project".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        ),
        codebook: Default::default(),
        positions,
    })
}

fn export(args: &ExportArgs, legacy: bool) -> Result<(), String> {
    check_options(args)?;
    let sessions = open_all(&args.paths, legacy)?;
    let names: Vec<String> = sessions.iter().map(|s| s.display_name()).collect();
    let docs = crate::core::export::session_docs(&sessions, &names);
    let filter = Filter {
        issues: args.issues.clone(),
        actors: args.actors.clone(),
    };
    check_filter(&sessions, &filter)?;
    let format = ExportFormat::from(args.format);
    let options = ExportOptions {
        raw: args.raw,
        long: args.long,
        network: args.network.unwrap_or(Network::TwoMode).into(),
        binary: args.binary,
        ..Default::default()
    };
    match &args.out {
        Some(path) if format == ExportFormat::Qdpx => {
            let positions = args.positions.map_or_else(Default::default, Into::into);
            let project = qdpx_project(&args.paths, path, positions)?;
            qdpx::write_file(&project, &docs, &filter, path).map_err(|e| e.to_string())
        }
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
