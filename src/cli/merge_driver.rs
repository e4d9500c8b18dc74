//! `marginalia merge-driver BASE OURS THEIRS [PATH]`: git's merge driver
//! for `*.annotations.ron` and `corpus.ron` (see the README for the two
//! lines that install it). Three-way by annotation id and by tag
//! (`core::merge`); the result replaces OURS.
//!
//! Invariants: exit 0 for a clean merge, 1 when conflicts were kept in the
//! file (git then reports the file as conflicted), 2 when a file cannot be
//! read or merged — OURS is then left exactly as it was, so git falls
//! back to reporting a conflict. The conflicts are listed on stderr.

use crate::core::corpus::{CORPUS_FILE, read_corpus_file};
use crate::core::merge;
use crate::core::set::AnnotationSet;
use crate::core::store;
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `marginalia merge-driver` (git's `%O %A %B %P`).
#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor (git's `%O`; empty when there is none).
    pub base: PathBuf,
    /// Our version (`%A`): the merge result is written here.
    pub ours: PathBuf,
    /// Their version (`%B`).
    pub theirs: PathBuf,
    /// The file's path in the repository (`%P`), for messages and to tell
    /// `corpus.ron` from a set.
    pub path: Option<PathBuf>,
}

/// Runs the driver; the exit code.
pub fn run(args: &MergeDriverArgs) -> i32 {
    let shown = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.clone())
        .display()
        .to_string();
    match merge_files(args) {
        Ok(conflicts) if conflicts.is_empty() => 0,
        Ok(conflicts) => {
            for c in &conflicts {
                eprintln!("marginalia merge-driver: {shown}: {c}");
            }
            eprintln!(
                "marginalia merge-driver: {shown}: {} conflict{} kept in the file (open it in Marginalia to resolve)",
                conflicts.len(),
                if conflicts.len() == 1 { "" } else { "s" }
            );
            1
        }
        Err(e) => {
            eprintln!("marginalia merge-driver: {shown}: {e}; the file was left as it is");
            2
        }
    }
}

/// A reading thread's result (a panic there is an error here).
fn joined<T>(r: std::thread::Result<Result<T, String>>) -> Result<T, String> {
    r.unwrap_or_else(|_| Err("a reading thread failed".to_owned()))
}

/// Merges and writes OURS; the conflicts kept.
fn merge_files(args: &MergeDriverArgs) -> Result<Vec<String>, String> {
    let name_of = args.path.as_deref().unwrap_or(&args.ours);
    let is_corpus = name_of.file_name().is_some_and(|n| n == CORPUS_FILE);
    let base_empty = std::fs::metadata(&args.base).map_or(true, |m| m.len() == 0);
    if is_corpus {
        let read = |p: &Path| read_corpus_file(p).map_err(|e| e.to_string());
        let base = if base_empty {
            None
        } else {
            Some(read(&args.base)?)
        };
        let (ours, theirs) = (read(&args.ours)?, read(&args.theirs)?);
        let m = merge::merge_corpus_files(base.as_ref(), &ours, &theirs);
        let text = crate::core::corpus::corpus_file_ron(&m.value).map_err(|e| e.to_string())?;
        store::replace_file(&args.ours, text.as_bytes()).map_err(|e| e.to_string())?;
        return Ok(m.conflicts);
    }
    let read =
        |p: &Path| -> Result<AnnotationSet, String> { store::load(p).map_err(|e| e.to_string()) };
    // The three files read side by side (most of the time on a large set).
    let (base, ours, theirs) = std::thread::scope(|s| {
        let b = s.spawn(|| (!base_empty).then(|| read(&args.base)).transpose());
        let t = s.spawn(|| read(&args.theirs));
        let o = read(&args.ours);
        (joined(b.join()), o, joined(t.join()))
    });
    let (base, ours, theirs) = (base?, ours?, theirs?);
    let m = merge::merge_sets(base.as_ref(), &ours, &theirs)?;
    let text = store::to_ron(&m.value).map_err(|e| e.to_string())?;
    store::replace_file(&args.ours, text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(m.conflicts)
}
