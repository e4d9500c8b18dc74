//! `marginalia network`: DNA-grade discourse networks of a corpus (see
//! `core::discourse_network` for the definitions and
//! `core::export::discourse_network` for the files).

use crate::core::discourse_network::{
    Duplicates, NetworkChoices, NetworkSpec, NetworkType, NodeMode, Normalization, Qualifier,
};
use crate::core::export::discourse_network::{
    NetworkFormat, NetworkRequest, network_to_path, network_to_string,
};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// One-mode or two-mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    /// Actors (or issues) tied through shared issues (or actors).
    #[value(name = "onemode")]
    OneMode,
    /// Actors × issues.
    #[value(name = "twomode")]
    TwoMode,
}

/// The nodes (rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Actor nodes.
    Actors,
    /// Issue nodes.
    Issues,
}

/// How stance enters the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QualifierArg {
    /// Same stance on the same issue (one-mode default).
    Congruence,
    /// Opposite stances on the same issue.
    Conflict,
    /// Congruence minus conflict (two-mode: support minus oppose).
    Subtract,
    /// Stance disregarded (two-mode default).
    Ignore,
}

/// Normalisation of one-mode weights by activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormalizationArg {
    /// Raw weights.
    None,
    /// W / ((act(x) + act(y)) / 2).
    Average,
    /// W / (act(x) + act(y) − W).
    Jaccard,
    /// W / sqrt(act(x) · act(y)).
    Cosine,
}

/// Duplicate statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DuplicatesArg {
    /// Once per document (DNA's default).
    Document,
    /// Every annotation.
    Include,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// GraphML (networkx, Gephi, visone).
    Graphml,
    /// CSV edge list.
    Edges,
    /// UCINET DL full matrix.
    Dl,
    /// One row per annotation × actor × issue (CSV).
    Statements,
}

/// Arguments of `marginalia network`.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Corpus folders, annotation sets or articles.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// One-mode (actor–actor or issue–issue) or two-mode (actor–issue).
    #[arg(long = "type", value_enum, default_value = "onemode")]
    pub kind: TypeArg,
    /// The nodes of a one-mode network, the rows of a two-mode one.
    #[arg(long, value_enum, default_value = "actors")]
    pub mode: ModeArg,
    /// How stance counts (default: congruence; ignore for two-mode).
    #[arg(long, value_enum)]
    pub qualifier: Option<QualifierArg>,
    /// Normalisation by activity (one-mode).
    #[arg(long, value_enum, default_value = "none")]
    pub normalization: NormalizationArg,
    /// Count a statement once per document, or every annotation.
    #[arg(long, value_enum, default_value = "document")]
    pub duplicates: DuplicatesArg,
    /// One network per window of DAYS days by document date (needs
    /// --out FOLDER).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub window: Option<u32>,
    /// Days between window starts (default: the window's length).
    #[arg(long, value_name = "DAYS", requires = "window", value_parser = clap::value_parser!(u32).range(1..))]
    pub step: Option<u32>,
    /// Keep every actor and issue of the corpus as a node, also without
    /// activity in the network's documents.
    #[arg(long)]
    pub isolates: bool,
    /// Leave out this actor's statements (repeatable).
    #[arg(long = "exclude-actor", value_name = "NAME")]
    pub exclude_actors: Vec<String>,
    /// Leave out this issue's statements (repeatable).
    #[arg(long = "exclude-issue", value_name = "NAME")]
    pub exclude_issues: Vec<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "graphml")]
    pub format: FormatArg,
    /// Output file (default: standard output); a folder with --window.
    #[arg(long, short, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// CSV: write cells untouched (no formula neutralising).
    #[arg(long)]
    pub raw: bool,
}

impl NetworkArgs {
    /// The request these arguments stand for.
    pub fn request(&self) -> NetworkRequest {
        let kind = match self.kind {
            TypeArg::OneMode => NetworkType::OneMode,
            TypeArg::TwoMode => NetworkType::TwoMode,
        };
        let default_qualifier = match kind {
            NetworkType::OneMode => QualifierArg::Congruence,
            NetworkType::TwoMode => QualifierArg::Ignore,
        };
        let choices = NetworkChoices {
            kind,
            mode: match self.mode {
                ModeArg::Actors => NodeMode::Actors,
                ModeArg::Issues => NodeMode::Issues,
            },
            qualifier: match self.qualifier.unwrap_or(default_qualifier) {
                QualifierArg::Congruence => Qualifier::Congruence,
                QualifierArg::Conflict => Qualifier::Conflict,
                QualifierArg::Subtract => Qualifier::Subtract,
                QualifierArg::Ignore => Qualifier::Ignore,
            },
            normalization: match self.normalization {
                NormalizationArg::None => Normalization::None,
                NormalizationArg::Average => Normalization::Average,
                NormalizationArg::Jaccard => Normalization::Jaccard,
                NormalizationArg::Cosine => Normalization::Cosine,
            },
            duplicates: match self.duplicates {
                DuplicatesArg::Document => Duplicates::PerDocument,
                DuplicatesArg::Include => Duplicates::Include,
            },
            isolates: self.isolates,
        };
        let spec = NetworkSpec {
            choices,
            exclude_actors: self.exclude_actors.iter().cloned().collect(),
            exclude_issues: self.exclude_issues.iter().cloned().collect(),
        };
        NetworkRequest {
            spec,
            format: match self.format {
                FormatArg::Graphml => NetworkFormat::GraphMl,
                FormatArg::Edges => NetworkFormat::Edges,
                FormatArg::Dl => NetworkFormat::Dl,
                FormatArg::Statements => NetworkFormat::Statements,
            },
            window: self.window.map(|d| (d, self.step.unwrap_or(d))),
            raw: self.raw,
            filter: Default::default(),
            lenient_exclusions: false,
        }
    }
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &NetworkArgs, legacy: bool) -> i32 {
    match network(args, legacy) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

fn network(args: &NetworkArgs, legacy: bool) -> Result<(), String> {
    if args.raw && !matches!(args.format, FormatArg::Edges | FormatArg::Statements) {
        return Err("--raw applies to -f edges and -f statements".into());
    }
    let request = args.request();
    request.spec.check().map_err(|e| e.to_string())?;
    if request.window.is_some() && args.out.is_none() {
        return Err("--window writes one file per window: give --out FOLDER".into());
    }
    let sessions = super::export::open_all(&args.paths, legacy)?;
    let names: Vec<String> = sessions.iter().map(|s| s.display_name()).collect();
    let docs = crate::core::export::session_docs(&sessions, &names);
    match &args.out {
        Some(path) => {
            let out = network_to_path(&docs, &request, path).map_err(|e| e.to_string())?;
            if !out.undated.is_empty() {
                eprintln!(
                    "marginalia: warning: {} document(s) without a date are in no window: {}",
                    out.undated.len(),
                    out.undated.join(", ")
                );
            }
            if request.window.is_some() {
                eprintln!(
                    "marginalia: wrote {} files to {}",
                    out.files.len(),
                    path.display()
                );
            }
            Ok(())
        }
        None => {
            let text = network_to_string(&docs, &request).map_err(|e| e.to_string())?;
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| format!("cannot write to standard output: {e}"))
        }
    }
}
