//! `marginalia import-folder DIR [--pattern P] [--yes]`: a folder of
//! articles becomes corpus documents (see [`crate::core::batch_import`]).
//! Without `--yes` only the preview is printed; nothing is written.

use crate::core::batch_import::{self, NamePattern};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `marginalia import-folder`.
#[derive(Debug, Args)]
pub struct ImportFolderArgs {
    /// The folder (every supported file below it).
    pub dir: PathBuf,
    /// File-name pattern with `{date}`, `{outlet}`, `{title}` and `{_}`,
    /// e.g. `{date}_{outlet}_{title}`.
    #[arg(long, default_value = "")]
    pub pattern: String,
    /// Write the sets (without it: the preview only).
    #[arg(long)]
    pub yes: bool,
}

/// Runs the subcommand; returns the exit code (1: a file failed).
pub fn run(args: &ImportFolderArgs, legacy: bool) -> i32 {
    let result =
        NamePattern::new(&args.pattern).and_then(|p| batch_import::preview(&args.dir, &p, legacy));
    let preview = match result {
        Ok(p) => p,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            return 2;
        }
    };
    for item in &preview.items {
        let m = item.metadata.as_ref();
        let get = |f: fn(&crate::core::set::Metadata) -> Option<&String>| {
            m.and_then(f).map_or("", String::as_str).to_owned()
        };
        println!(
            "{}\t{}\t{}\t{}{}",
            item.rel,
            get(|m| m.date.as_ref()),
            get(|m| m.publication.as_ref()),
            get(|m| m.title.as_ref()),
            item.note
                .as_ref()
                .map(|n| format!("\t({n})"))
                .unwrap_or_default()
        );
    }
    let n = preview.to_import();
    if !args.yes {
        println!(
            "{n} of {} files would be imported; run again with --yes to write their sets",
            preview.items.len()
        );
        return 0;
    }
    let (written, failed) = batch_import::apply(&preview, legacy);
    for (rel, e) in &failed {
        eprintln!("marginalia: error: {rel}: {e}");
    }
    println!("{written} sets written");
    i32::from(!failed.is_empty())
}
