//! The command line: no subcommand opens the window; subcommands run
//! headless for scripts and CI. Errors are one line on stderr and a
//! non-zero exit code; nothing here panics on user input.

pub mod agreement;
#[cfg(feature = "gui")]
pub mod bench;
pub mod check;
pub mod codebook;
pub mod corpus_summary;
pub mod export;
pub mod gen_bench;
pub mod import_brat;
pub mod import_folder;
pub mod import_qdpx;
pub mod merge_driver;
pub mod network;
pub mod search;

use crate::core::session::Session;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Marginalia: highlight passages of articles, tag them with issues and
/// actors, save the set as RON beside the article, export the excerpts.
#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about, long_about = None)]
pub struct Cli {
    /// Article (.txt, .html, .md, .docx, .pdf), annotation set
    /// (*.annotations.ron) or corpus folder to open in the window. Without
    /// it the sample article opens.
    pub path: Option<PathBuf>,

    /// Read a non-UTF-8 article as Windows-1252.
    #[arg(long, global = true)]
    pub legacy_encoding: bool,

    /// Headless subcommand.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export the tagged excerpts of articles or annotation sets.
    Export(export::ExportArgs),
    /// Re-anchor annotation sets on their articles and report exact /
    /// moved / fuzzy / orphaned counts and problems (exit 0 all exact, 1
    /// anything moved or orphaned, 2 unreadable).
    Check(check::CheckArgs),
    /// Create an annotation set from brat standoff (`FILE.ann` + `.txt`).
    ImportBrat(import_brat::ImportBratArgs),
    /// Turn a folder of articles into corpus documents: preview, then
    /// `--yes` writes a set per file, with metadata from a file-name
    /// pattern (`--pattern '{date}_{outlet}_{title}'`).
    ImportFolder(import_folder::ImportFolderArgs),
    /// Turn a REFI-QDA project (`.qdpx` from MAXQDA, ATLAS.ti, NVivo,
    /// QualCoder) into a corpus folder; what it cannot hold is listed.
    ImportQdpx(import_qdpx::ImportQdpxArgs),
    /// Discourse networks as DNA makes them: one-mode actor or issue
    /// networks by congruence, conflict or subtract, normalised, two-mode
    /// networks, time windows; GraphML, edge list, UCINET DL or the
    /// statement list.
    Network(network::NetworkArgs),
    /// Export or import the codebook (REFI-QDA `.qdc`, `*.codebook.ron`).
    Codebook(codebook::CodebookArgs),
    /// A corpus folder in numbers: documents, annotations, tags, coders,
    /// statuses and the sets that could not be read (exit 1 when any).
    Corpus(corpus_summary::CorpusArgs),
    /// Every match of a pattern in every text of a corpus (plain, whole
    /// word or regex), offsets in code points.
    Search(search::SearchArgs),
    /// How far two coders agree (percent, Cohen's kappa, Krippendorff's
    /// alpha and unitizing alpha, F1): two sets of one article, two corpus
    /// folders, or two coders in the same files (`--coders A,B`).
    Agreement(agreement::AgreementArgs),
    /// git's merge driver for `*.annotations.ron` and `corpus.ron`:
    /// three-way by annotation id and tag; exit 0 clean, 1 conflicts kept
    /// in the file, 2 a file that cannot be merged (left as it is).
    MergeDriver(merge_driver::MergeDriverArgs),
    /// Write a large article and annotation set for benchmarks
    /// (`DIR/bench.txt`, `DIR/bench.annotations.ron`).
    GenBenchData(gen_bench::GenBenchArgs),
    /// Run the app headless on an article and print timings (open, frames,
    /// save, export, peak memory).
    #[cfg(feature = "gui")]
    Bench(bench::BenchArgs),
}

/// The message for a mistyped subcommand (`marginalia exprot a.txt`), which
/// clap would take for the article to open: the first argument is no
/// existing file or folder and either more arguments follow or it is close
/// to a subcommand's name. `None` when the arguments look fine.
pub fn unknown_command(args: &[String]) -> Option<String> {
    use clap::CommandFactory;
    let first = args.get(1)?;
    if first.starts_with('-') || Path::new(first).exists() {
        return None;
    }
    let cmd = Cli::command();
    let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    if names.contains(&first.as_str()) {
        return None;
    }
    let close = crate::core::suggest::closest(first, names.iter().copied());
    let more = args.len() > 2;
    if close.is_empty() && !more {
        // A path that does not exist: the window says so.
        return None;
    }
    let hint = match close.first() {
        Some(c) => format!(" (did you mean '{c}'?)"),
        None => String::new(),
    };
    Some(format!(
        "unknown command '{first}'{hint}; `marginalia --help` lists the commands"
    ))
}

/// Runs a headless subcommand and returns the process exit code.
pub fn run(cmd: Command, legacy_encoding: bool) -> i32 {
    match cmd {
        Command::Export(args) => export::run(&args, legacy_encoding),
        Command::Network(args) => network::run(&args, legacy_encoding),
        Command::Check(args) => check::run(&args, legacy_encoding),
        Command::ImportBrat(args) => import_brat::run(&args, legacy_encoding),
        Command::ImportFolder(args) => import_folder::run(&args, legacy_encoding),
        Command::ImportQdpx(args) => import_qdpx::run(&args),
        Command::Codebook(args) => codebook::run(&args, legacy_encoding),
        Command::Corpus(args) => corpus_summary::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Agreement(args) => agreement::run(&args),
        Command::MergeDriver(args) => merge_driver::run(&args),
        Command::GenBenchData(args) => gen_bench::run(&args),
        #[cfg(feature = "gui")]
        Command::Bench(args) => bench::run(&args),
    }
}

pub use crate::paths::{DEFAULT_ARTICLE, data_root, default_article, open_options, saves_dir};

/// Opens an article or set for a headless command, printing warnings to
/// stderr.
pub fn open_for_cli(path: &Path, legacy_encoding: bool) -> Result<Session, String> {
    let (session, warnings) =
        Session::open(path, &open_options(legacy_encoding)).map_err(|e| e.to_string())?;
    for w in warnings {
        eprintln!("marginalia: warning: {w}");
    }
    Ok(session)
}
