//! `marginalia import-qdpx study.qdpx --out DIR [--actors CODE,…]`: a
//! REFI-QDA project becomes a corpus folder (see
//! [`crate::core::qdpx_import`]); what it could not carry is listed at the
//! end.

use crate::core::qdpx_import::{self, ImportOptions, Positions};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Arguments of `marginalia import-qdpx`.
#[derive(Debug, Args)]
pub struct ImportQdpxArgs {
    /// The `.qdpx` project file.
    pub file: PathBuf,
    /// The corpus folder to create (it must not exist).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Codes (or root codes) that are actors, with everything beneath them
    /// (comma-separated); codes under a root named `Actors` are actors
    /// anyway, the others issues.
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub actors: Vec<String>,
    /// What the selections' positions count: `auto` reads the project's
    /// origin (NVivo writes UTF-16 code units, the others code points).
    #[arg(long, value_enum, default_value = "auto")]
    pub positions: PositionsArg,
}

/// `--positions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PositionsArg {
    /// By the project's origin.
    Auto,
    /// Unicode code points (the REFI-QDA standard).
    Codepoints,
    /// UTF-16 code units (NVivo).
    Utf16,
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &ImportQdpxArgs) -> i32 {
    match import(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

fn import(args: &ImportQdpxArgs) -> Result<(), String> {
    let opts = ImportOptions {
        actors: args.actors.iter().map(|a| a.trim().to_owned()).collect(),
        positions: match args.positions {
            PositionsArg::Auto => None,
            PositionsArg::Codepoints => Some(Positions::CodePoints),
            PositionsArg::Utf16 => Some(Positions::Utf16),
        },
        ..ImportOptions::default()
    };
    let imp = qdpx_import::read_file(&args.file, &opts)?;
    qdpx_import::write_corpus(&imp, &args.out)?;
    let annotations: usize = imp.docs.iter().map(|d| d.set.annotations().len()).sum();
    println!(
        "wrote {} documents, {annotations} annotations and {} tags to {}",
        imp.docs.len(),
        imp.codebook.len(),
        args.out.display()
    );
    for n in &imp.notes {
        println!("note: {n}");
    }
    if imp.losses.is_empty() {
        println!("data loss: none (everything in the project was imported)");
    } else {
        println!("data loss: not imported, as a corpus cannot hold it:");
        for l in &imp.losses {
            println!("- {l}");
        }
    }
    Ok(())
}
