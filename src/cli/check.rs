//! `marginalia check PATH... [--fix]`: re-anchor annotation sets on their
//! articles and report, per set, how many annotations are exact, moved,
//! fuzzy-matched or orphaned, plus the problems found (offsets out of
//! range, unknown tags, duplicate ids).
//!
//! Exit code: 0 when every annotation of every set is exact and nothing is
//! wrong; 1 when anything moved, was matched approximately, is orphaned or
//! had a problem; 2 when a set or its article cannot be read (the others
//! are still checked). `--fix` writes each set that changed, atomically,
//! keeping the previous file as `.bak`; the exit code still describes what
//! was found.

use crate::core::anchor::{AnchorReport, anchor_set};
use crate::core::session::read_article;
use crate::core::store;
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `marginalia check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Annotation sets, articles (their set is found beside them or in
    /// `saves/`), or folders (searched recursively for `*.annotations.ron`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the re-anchored, repaired set back (atomically, previous file
    /// kept as `.bak`).
    #[arg(long)]
    pub fix: bool,
}

/// What checking one set found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// The set file.
    pub set_path: PathBuf,
    /// Re-anchoring counts and problems.
    pub report: AnchorReport,
    /// Orphans the set already had before this check.
    pub previous_orphans: usize,
    /// True when `--fix` wrote the set.
    pub fixed: bool,
}

impl CheckOutcome {
    /// 0 when all exact and clean, else 1.
    pub fn exit_code(&self) -> i32 {
        if self.report.is_clean() && self.previous_orphans == 0 {
            0
        } else {
            1
        }
    }
}

/// Checks one set (or the set of one article); `Err` is a one-line
/// message for a file that cannot be read.
pub fn check_one(path: &Path, fix: bool, legacy: bool) -> Result<CheckOutcome, String> {
    let set_path = if store::is_set_path(path) {
        path.to_owned()
    } else {
        if !path.exists() {
            return Err(format!("{}: no such file", path.display()));
        }
        match store::locate_set(path, Some(&super::saves_dir())) {
            (p, Some(_)) => p,
            (_, None) => {
                return Err(format!(
                    "{}: no annotation set found for it",
                    path.display()
                ));
            }
        }
    };
    let set = store::load(&set_path).map_err(|e| e.to_string())?;
    let article = store::resolve_source(&set_path, &set.source.path);
    if !article.is_file() {
        return Err(format!(
            "{}: its article was not found at {}",
            set_path.display(),
            article.display()
        ));
    }
    let (text, _) = read_article(&article, legacy).map_err(|e| e.to_string())?;
    let previous_orphans = set.orphans.len();
    let mut anchored = set.clone();
    let report = anchor_set(&mut anchored, &text);
    let mut fixed = false;
    if fix && anchored != set {
        store::save(&set_path, &anchored).map_err(|e| e.to_string())?;
        fixed = true;
    }
    Ok(CheckOutcome {
        set_path,
        report,
        previous_orphans,
        fixed,
    })
}

/// Runs the subcommand; returns the exit code (see the module docs).
pub fn run(args: &CheckArgs, legacy: bool) -> i32 {
    let paths = super::export::expand_paths(&args.paths);
    if paths.is_empty() {
        eprintln!("marginalia: error: no annotation sets found");
        return 2;
    }
    let mut code = 0;
    for p in paths {
        match check_one(&p, args.fix, legacy) {
            Ok(o) => {
                let r = &o.report;
                println!(
                    "{}: {} exact, {} moved, {} fuzzy, {} orphaned{}",
                    o.set_path.display(),
                    r.exact,
                    r.moved,
                    r.fuzzy,
                    r.orphaned + o.previous_orphans,
                    if o.previous_orphans > 0 {
                        format!(" ({} were orphans already)", o.previous_orphans)
                    } else {
                        String::new()
                    }
                );
                for problem in &r.problems {
                    println!("  problem: {problem}");
                }
                if o.fixed {
                    println!(
                        "  fixed: wrote {} (previous file kept as {})",
                        o.set_path.display(),
                        store::backup_path(&o.set_path).display()
                    );
                }
                code = code.max(o.exit_code());
            }
            Err(e) => {
                eprintln!("marginalia: error: {e}");
                code = 2;
            }
        }
    }
    code
}
