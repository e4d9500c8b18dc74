//! The export dialog's state and actions (Ctrl+E): format, options,
//! filter, destination, and the remembered last choice.
//!
//! Invariants:
//! - Exports go through `core::export::export_to_path` only (the CLI's
//!   path), for the open document.
//! - The remembered choice (format, options, folder) is a preference kept
//!   in eframe's storage; it never holds annotations.
//! - A failed export keeps the dialog open with the error; nothing is
//!   written half-way (the core writes through a temporary file).

use super::MarginaliaApp;
use super::dialogs::DialogResult;
use crate::core::codebook::TagKind;
use crate::core::export::{self, ExportDoc, ExportFormat, ExportOptions, Filter, NetworkMode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A stable key for a format (stored in preferences).
pub fn format_key(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::Json => "json",
        ExportFormat::Csv => "csv",
        ExportFormat::Markdown => "md",
        ExportFormat::Html => "html",
        ExportFormat::W3c => "w3c",
        ExportFormat::Brat => "brat",
        ExportFormat::GraphMl => "graphml",
        ExportFormat::Edges => "edges",
    }
}

/// The format for a stored key.
pub fn format_from_key(k: &str) -> Option<ExportFormat> {
    ExportFormat::ALL.into_iter().find(|f| format_key(*f) == k)
}

/// Network modes with their labels, in menu order.
pub const NETWORK_MODES: [(NetworkMode, &str, &str); 3] = [
    (NetworkMode::TwoMode, "two-mode", "Actor–issue (two-mode)"),
    (NetworkMode::Actors, "actors", "Actor–actor"),
    (NetworkMode::Issues, "issues", "Issue–issue"),
];

/// True for the formats that write a network.
pub fn is_network(f: ExportFormat) -> bool {
    matches!(f, ExportFormat::GraphMl | ExportFormat::Edges)
}

/// The remembered export choice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportPrefs {
    /// Format key ([`format_key`]).
    pub format: String,
    /// CSV: formula-like cells untouched.
    pub raw: bool,
    /// CSV: one row per (annotation, tag).
    pub long: bool,
    /// Network mode key.
    pub network: String,
    /// The folder of the last export.
    pub folder: Option<PathBuf>,
}

/// The export dialog's state.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    /// Chosen format.
    pub format: ExportFormat,
    /// Options.
    pub options: ExportOptions,
    /// Issues to filter by (empty with no actors: everything).
    pub issues: BTreeSet<String>,
    /// Actors to filter by.
    pub actors: BTreeSet<String>,
    /// Destination (typed or picked): a file, or a folder for brat.
    pub dest: String,
    /// The error of the last attempt.
    pub error: Option<String>,
}

impl ExportDialog {
    /// The filter the dialog's choice stands for.
    pub fn filter(&self) -> Filter {
        Filter {
            issues: self.issues.iter().cloned().collect(),
            actors: self.actors.iter().cloned().collect(),
        }
    }

    /// Switches the format, renaming the destination's file to match.
    pub fn set_format(&mut self, f: ExportFormat, stem: &str) {
        if f == self.format {
            return;
        }
        self.format = f;
        let dest = PathBuf::from(self.dest.trim());
        let folder = dest.parent().map(Path::to_owned).unwrap_or_default();
        self.dest = folder.join(f.default_file_name(stem)).display().to_string();
    }

    /// Toggles a tag in the filter.
    pub fn toggle(&mut self, kind: TagKind, name: &str) {
        let set = match kind {
            TagKind::Issue => &mut self.issues,
            TagKind::Actor => &mut self.actors,
        };
        if !set.remove(name) {
            set.insert(name.to_owned());
        }
    }
}

impl MarginaliaApp {
    fn export_stem(&self) -> String {
        let Some(s) = &self.session else {
            return "export".to_owned();
        };
        let name = s.display_name();
        let stem = Path::new(&name)
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(name);
        stem.strip_suffix(".annotations")
            .unwrap_or(&stem)
            .to_owned()
    }

    /// Opens the export dialog with the remembered choice.
    pub(super) fn open_export_dialog(&mut self) {
        let Some(s) = &self.session else {
            self.set_status("Open an article first", false);
            return;
        };
        let p = &self.rel.export_prefs;
        let format = format_from_key(&p.format).unwrap_or(ExportFormat::Json);
        let network = NETWORK_MODES
            .iter()
            .find(|(_, k, _)| *k == p.network)
            .map_or(NetworkMode::TwoMode, |(m, _, _)| *m);
        let folder = p
            .folder
            .clone()
            .filter(|f| f.is_dir())
            .or_else(|| {
                s.article_path
                    .as_ref()
                    .and_then(|a| a.parent().map(Path::to_owned))
            })
            .unwrap_or_default();
        let dest = folder.join(format.default_file_name(&self.export_stem()));
        self.rel.export = Some(ExportDialog {
            format,
            options: ExportOptions {
                raw: p.raw,
                long: p.long,
                network,
            },
            issues: BTreeSet::new(),
            actors: BTreeSet::new(),
            dest: dest.display().to_string(),
            error: None,
        });
    }

    /// The stem used for default export names (the dialog UI needs it).
    pub fn export_default_stem(&self) -> String {
        self.export_stem()
    }

    pub(super) fn export_browse(&mut self) {
        let Some(d) = &self.rel.export else { return };
        let suggested = PathBuf::from(d.dest.trim());
        let folder = d.format.writes_directory();
        let ext = d.format.extension();
        match self.dialogs.pick_export(Some(&suggested), ext, folder) {
            DialogResult::Picked(p) => {
                if let Some(d) = &mut self.rel.export {
                    d.dest = p.display().to_string();
                    d.error = None;
                }
            }
            DialogResult::Cancelled => {}
            DialogResult::Unavailable => {
                if let Some(d) = &mut self.rel.export {
                    d.error = Some(
                        "No file dialog is available here: type the destination path above"
                            .to_owned(),
                    );
                }
            }
        }
    }

    /// Writes the export of the open document; status lists the files.
    pub(super) fn run_export(&mut self) {
        let (Some(s), Some(d)) = (&self.session, &self.rel.export) else {
            return;
        };
        let dest = PathBuf::from(d.dest.trim());
        if d.dest.trim().is_empty() {
            if let Some(d) = &mut self.rel.export {
                d.error = Some("Choose where to write the export".to_owned());
            }
            return;
        }
        if !d.format.writes_directory() && dest.is_dir() {
            if let Some(d) = &mut self.rel.export {
                d.error = Some(format!(
                    "{} is a folder; give a file name (e.g. {})",
                    dest.display(),
                    dest.join(d.format.default_file_name("export")).display()
                ));
            }
            return;
        }
        let name = s.display_name();
        let doc = ExportDoc {
            name: &name,
            text: &s.text,
            set: &s.set,
        };
        let filter = d.filter();
        let count = doc.excerpts(&filter).count();
        let result = export::export_to_path(d.format, &[doc], &filter, &d.options, &dest);
        let format = d.format;
        let options = d.options;
        match result {
            Ok(paths) => {
                // For brat, `dest` is the folder written: remember its parent.
                let folder = dest.parent().map(Path::to_owned);
                self.rel.export_prefs = ExportPrefs {
                    format: format_key(format).to_owned(),
                    raw: options.raw,
                    long: options.long,
                    network: NETWORK_MODES
                        .iter()
                        .find(|(m, _, _)| *m == options.network)
                        .map_or("two-mode", |(_, k, _)| k)
                        .to_owned(),
                    folder: folder.filter(|f| !f.as_os_str().is_empty()),
                };
                self.rel.export = None;
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.set_status(
                    format!(
                        "Exported {count} excerpt{} as {}: {}",
                        if count == 1 { "" } else { "s" },
                        format.label(),
                        list.join(", ")
                    ),
                    false,
                );
            }
            Err(e) => {
                let msg = format!("Export failed: {e}");
                self.set_status(msg.clone(), true);
                if let Some(d) = &mut self.rel.export {
                    d.error = Some(msg);
                }
            }
        }
    }
}
