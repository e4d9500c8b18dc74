//! Where the program finds its files: the folder holding `assets/` and
//! `saves/`, the default article, and the open options every front end
//! (window, command line) uses. Shared by `app` and `cli`, so neither
//! imports the other.
//!
//! Invariant: nothing here touches the disk beyond checking that a file
//! exists; every path is absolute or relative to the working directory.

use crate::core::session::OpenOptions;
use std::path::PathBuf;

/// File name of the sample article shipped in `assets/`.
pub const DEFAULT_ARTICLE: &str = "us-pakistan-truce.txt";

/// The folder holding `assets/` and `saves/`: the working directory when it
/// has them (running from the repository), else the source checkout this
/// binary was built from.
pub fn data_root() -> PathBuf {
    let cwd = PathBuf::from(".");
    if cwd.join("assets").join(DEFAULT_ARTICLE).is_file() {
        return cwd;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample article opened when no path is given.
pub fn default_article() -> PathBuf {
    data_root().join("assets").join(DEFAULT_ARTICLE)
}

/// `saves/`: sets of articles whose own folder is not used.
pub fn saves_dir() -> PathBuf {
    data_root().join("saves")
}

/// Open options with the default `saves/` and the encoding choice.
pub fn open_options(legacy_encoding: bool) -> OpenOptions {
    OpenOptions {
        saves_dir: Some(saves_dir()),
        legacy_encoding,
    }
}
