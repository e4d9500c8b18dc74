//! `marginalia codebook export|import`: exchange the codebook as REFI-QDA
//! `.qdc` or as `*.codebook.ron`.

use crate::core::codebook::Codebook;
use crate::core::command::Command;
use crate::core::export::qdc;
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// Codebook file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodebookFormat {
    /// REFI-QDA codebook XML.
    Qdc,
    /// Marginalia's RON codebook.
    Ron,
}

impl CodebookFormat {
    /// The format a file name implies (`.qdc`, else RON for `.ron`).
    pub fn from_path(p: &Path) -> Option<CodebookFormat> {
        let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".qdc") {
            Some(CodebookFormat::Qdc)
        } else if name.ends_with(".ron") {
            Some(CodebookFormat::Ron)
        } else {
            None
        }
    }
}

/// `marginalia codebook …`.
#[derive(Debug, Args)]
pub struct CodebookArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CodebookAction,
}

/// Codebook actions.
#[derive(Debug, Subcommand)]
pub enum CodebookAction {
    /// Write the codebook of an article or set.
    Export {
        /// Article or `*.annotations.ron`.
        path: PathBuf,
        /// Output file (`.qdc` or `.codebook.ron`); standard output if
        /// absent.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Format (default: from the output's extension, else qdc).
        #[arg(long, short, value_enum)]
        format: Option<CodebookFormat>,
    },
    /// Merge a codebook file into an article's set and save it (tags with
    /// the same kind and name take the file's colour, description and
    /// parent; digits are kept).
    Import {
        /// The `.qdc` or `*.codebook.ron` file.
        file: PathBuf,
        /// Article or `*.annotations.ron` to merge into.
        into: PathBuf,
        /// Replace the codebook instead of merging (tags still used by
        /// annotations are kept).
        #[arg(long)]
        replace: bool,
    },
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &CodebookArgs, legacy: bool) -> i32 {
    match run_inner(args, legacy) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

/// Reads a codebook file (`.qdc` or RON, by extension; RON otherwise
/// tried after REFI-QDA).
pub fn read_codebook(path: &Path) -> Result<Codebook, String> {
    let s = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let r = match CodebookFormat::from_path(path) {
        Some(CodebookFormat::Ron) => qdc::from_ron(&s),
        Some(CodebookFormat::Qdc) => qdc::from_qdc(&s),
        None => qdc::from_qdc(&s).or_else(|_| qdc::from_ron(&s)),
    };
    r.map_err(|e| format!("{}: {e}", path.display()))
}

fn run_inner(args: &CodebookArgs, legacy: bool) -> Result<(), String> {
    match &args.action {
        CodebookAction::Export { path, out, format } => {
            let session = super::open_for_cli(path, legacy)?;
            let fmt = format
                .or_else(|| out.as_deref().and_then(CodebookFormat::from_path))
                .unwrap_or(CodebookFormat::Qdc);
            let text = match fmt {
                CodebookFormat::Qdc => qdc::to_qdc(&session.set.codebook)?,
                CodebookFormat::Ron => qdc::to_ron(&session.set.codebook)?,
            };
            match out {
                Some(p) => std::fs::write(p, text)
                    .map_err(|e| format!("cannot write {}: {e}", p.display())),
                None => {
                    use std::io::Write;
                    std::io::stdout()
                        .lock()
                        .write_all(text.as_bytes())
                        .map_err(|e| format!("cannot write to standard output: {e}"))
                }
            }
        }
        CodebookAction::Import {
            file,
            into,
            replace,
        } => {
            let incoming = read_codebook(file)?;
            let mut session = super::open_for_cli(into, legacy)?;
            let merged = merge(&session.set.codebook, &incoming, *replace, &session.set);
            let n = incoming.len();
            match session.execute(Command::SetCodebook(merged)) {
                Ok(_) => {}
                // Every tag is already there as given: a success.
                Err(crate::core::command::CommandError::NoChange) => {
                    eprintln!(
                        "marginalia: note: the {n} tags are already in {} as given; nothing to change",
                        into.display()
                    );
                    return Ok(());
                }
                Err(e) => return Err(e.to_string()),
            }
            let saved = session.save().map_err(|e| e.to_string())?;
            eprintln!("marginalia: imported {n} tags into {}", saved.display());
            Ok(())
        }
    }
}

/// The codebook after importing `incoming` into `current` (see
/// [`CodebookAction::Import`]).
pub fn merge(
    current: &Codebook,
    incoming: &Codebook,
    replace: bool,
    set: &crate::core::set::AnnotationSet,
) -> Codebook {
    let mut out = if replace {
        let mut kept = Codebook::default();
        for t in current.tags() {
            if set.count_tag(t.kind, &t.name) > 0 {
                kept.insert(t.clone());
            }
        }
        kept
    } else {
        current.clone()
    };
    for t in incoming.tags() {
        let mut t = t.clone();
        match out.get(t.kind, &t.name) {
            Some(old) => t.digit = old.digit,
            None => t.digit = None,
        }
        out.insert(t);
    }
    out
}
