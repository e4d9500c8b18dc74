//! `marginalia import-brat FILE.ann`: build an annotation set from brat
//! standoff (see [`crate::core::export::brat`] for the mapping).

use crate::core::export::brat;
use crate::core::store;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `marginalia import-brat`.
#[derive(Debug, Args)]
pub struct ImportBratArgs {
    /// The `.ann` file; the `.txt` with the same stem must be beside it.
    pub ann: PathBuf,
    /// brat types that become actors (comma-separated); the others become
    /// issues. Types under `!actor` in an `annotation.conf` beside the file
    /// are actors too.
    #[arg(long, value_delimiter = ',', value_name = "TYPE,...")]
    pub actors: Vec<String>,
    /// Overwrite an existing annotation set (a `.bak` copy is kept).
    #[arg(long)]
    pub force: bool,
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &ImportBratArgs, legacy: bool) -> i32 {
    match import(args, legacy) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

fn import(args: &ImportBratArgs, legacy: bool) -> Result<(), String> {
    let (txt, _text, mut imp) = brat::import_files(&args.ann, &args.actors, legacy)?;
    let set_path = store::set_path_for(&txt);
    if set_path.exists() && !args.force {
        return Err(format!(
            "{} already exists; use --force to replace it (a .bak copy is kept)",
            set_path.display()
        ));
    }
    let dir = set_path.parent().unwrap_or(std::path::Path::new("."));
    imp.set.source.path = store::relative_path(dir, &txt);
    for s in &imp.skipped {
        eprintln!("marginalia: warning: {s}");
    }
    store::save(&set_path, &imp.set).map_err(|e| e.to_string())?;
    eprintln!(
        "marginalia: wrote {} ({} annotations, {} tags)",
        set_path.display(),
        imp.set.annotations().len(),
        imp.set.codebook.len()
    );
    Ok(())
}
