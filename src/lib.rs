//! Marginalia: a native desktop annotator for analysts.
//!
//! The crate is split in three layers:
//! - [`core`]: the article text, annotations, codebook, commands with undo,
//!   the RON store, importers and exporters. It never imports egui, eframe or
//!   rfd and builds with `--no-default-features` (CI checks this).
//! - [`cli`]: the headless command line (export, check, …).
//! - `app` and `ui` (feature `gui`): the eframe application and its panels.

pub mod cli;
pub mod core;
pub mod paths;

#[cfg(feature = "gui")]
pub mod app;
#[cfg(feature = "gui")]
pub mod ui;
