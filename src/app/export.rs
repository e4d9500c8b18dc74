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
//! - An export never replaces a file (or fills a folder that has files)
//!   without asking first.

use super::MarginaliaApp;
use super::dialogs::DialogResult;
use super::model::{ExportDialog, Modal, Status};
use crate::core::discourse_network::{NetworkChoices, Normalization, Qualifier};
use crate::core::export::discourse_network::NetworkFormat;
use crate::core::export::{self, ExportDoc, ExportFormat, ExportOptions, NetworkMode};
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
        ExportFormat::Qdpx => "qdpx",
        ExportFormat::Matrix => "matrix",
        ExportFormat::Discourse(NetworkFormat::GraphMl) => "dna-graphml",
        ExportFormat::Discourse(NetworkFormat::Edges) => "dna-edges",
        ExportFormat::Discourse(NetworkFormat::Dl) => "dna-dl",
        ExportFormat::Discourse(NetworkFormat::Statements) => "dna-statements",
    }
}

/// The format for a stored key.
pub fn format_from_key(k: &str) -> Option<ExportFormat> {
    let discourse = NetworkFormat::ALL.map(ExportFormat::Discourse);
    ExportFormat::ALL
        .into_iter()
        .chain(discourse)
        .find(|f| format_key(*f) == k)
}

/// Network modes with their labels, in menu order.
pub const NETWORK_MODES: [(NetworkMode, &str, &str); 3] = [
    (NetworkMode::TwoMode, "two-mode", "Actor–issue (two-mode)"),
    (NetworkMode::Actors, "actors", "Actor–actor"),
    (NetworkMode::Issues, "issues", "Issue–issue"),
];

/// The qualifiers of a discourse network with their labels, in menu
/// order.
pub const QUALIFIERS: [(Qualifier, &str); 4] = [
    (Qualifier::Congruence, "Congruence"),
    (Qualifier::Conflict, "Conflict"),
    (Qualifier::Subtract, "Subtract"),
    (Qualifier::Ignore, "Ignore"),
];

/// The normalisations of a discourse network with their labels.
pub const NORMALIZATIONS: [(Normalization, &str); 4] = [
    (Normalization::None, "None"),
    (Normalization::Average, "Average"),
    (Normalization::Jaccard, "Jaccard"),
    (Normalization::Cosine, "Cosine"),
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
    /// Matrix: 0/1 cells.
    pub binary: bool,
    /// Discourse network: the last choices.
    pub discourse: NetworkChoices,
    /// Network mode key.
    pub network: String,
    /// The folder of the last export.
    pub folder: Option<PathBuf>,
}

/// A new export dialog with the remembered choice, for the open document.
pub(super) fn new_dialog(app: &MarginaliaApp) -> Option<ExportDialog> {
    let w = app.workspace.as_ref()?;
    let s = &w.session;
    let p = &app.export_prefs;
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
    let dest = folder.join(format.default_file_name(&w.export_stem()));
    Some(ExportDialog {
        format,
        options: ExportOptions {
            raw: p.raw,
            long: p.long,
            network,
            binary: p.binary,
            discourse: p.discourse,
        },
        issues: BTreeSet::new(),
        actors: BTreeSet::new(),
        dest: dest.display().to_string(),
        error: None,
        confirm_replace: None,
    })
}

fn dialog(app: &mut MarginaliaApp) -> Option<&mut ExportDialog> {
    match &mut app.modal {
        Some(Modal::Export(d)) => Some(d),
        _ => None,
    }
}

/// Chooses the destination with the file dialog.
pub(super) fn browse(app: &mut MarginaliaApp) {
    let Some(d) = dialog(app) else { return };
    let suggested = PathBuf::from(d.dest.trim());
    let folder = d.format.writes_directory();
    let ext = d.format.extension();
    let picked = app.dialogs.pick_export(Some(&suggested), ext, folder);
    let Some(d) = dialog(app) else { return };
    match picked {
        DialogResult::Picked(p) => {
            d.dest = p.display().to_string();
            d.error = None;
            d.confirm_replace = None;
        }
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => {
            d.error = Some(
                "No file dialog is available here: type the destination path above".to_owned(),
            );
        }
    }
}

/// Why the destination cannot be written as it is, or what it would
/// replace: `Err(message)` to show, `Ok(Some(path))` when it exists.
fn check_dest(d: &ExportDialog) -> Result<Option<PathBuf>, String> {
    let dest = PathBuf::from(d.dest.trim());
    if d.dest.trim().is_empty() {
        return Err("Choose where to write the export".to_owned());
    }
    if !d.format.writes_directory() && dest.is_dir() {
        return Err(format!(
            "{} is a folder; give a file name (e.g. {})",
            dest.display(),
            dest.join(d.format.default_file_name("export")).display()
        ));
    }
    let exists = if d.format.writes_directory() {
        dest.read_dir().is_ok_and(|mut r| r.next().is_some())
    } else {
        dest.exists()
    };
    Ok(exists.then_some(dest))
}

/// Writes the export of the open document; asks first when it would
/// replace a file (or fill a folder that has files); the status lists the
/// files written.
pub(super) fn run(app: &mut MarginaliaApp) {
    let Some(d) = dialog(app) else { return };
    match check_dest(d) {
        Err(msg) => {
            d.error = Some(msg);
            return;
        }
        Ok(Some(existing)) if d.confirm_replace.as_deref() != Some(d.dest.trim()) => {
            d.confirm_replace = Some(d.dest.trim().to_owned());
            d.error = Some(format!(
                "{} exists. Export again (Enter) to replace it, or change the destination.",
                existing.display()
            ));
            return;
        }
        Ok(_) => {}
    }
    let (Some(w), Some(Modal::Export(d))) = (&app.workspace, &app.modal) else {
        return;
    };
    let s = &w.session;
    let dest = PathBuf::from(d.dest.trim());
    let name = s.display_name();
    let doc = ExportDoc {
        name: &name,
        text: &s.text,
        set: &s.set,
    };
    let filter = d.filter();
    let count = doc.excerpts(&filter).count();
    let result = export::export_to_path(d.format, &[doc], &filter, &d.options, &dest);
    let (format, options) = (d.format, d.options);
    match result {
        Ok(paths) => {
            // For brat, `dest` is the folder written: remember its parent.
            let folder = dest.parent().map(Path::to_owned);
            app.export_prefs = ExportPrefs {
                format: format_key(format).to_owned(),
                raw: options.raw,
                long: options.long,
                binary: options.binary,
                discourse: options.discourse,
                network: NETWORK_MODES
                    .iter()
                    .find(|(m, _, _)| *m == options.network)
                    .map_or("two-mode", |(_, k, _)| k)
                    .to_owned(),
                folder: folder.filter(|f| !f.as_os_str().is_empty()),
            };
            app.modal = None;
            let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            app.status = Status::info(format!(
                "Exported {count} excerpt{} as {}: {}",
                if count == 1 { "" } else { "s" },
                format.label(),
                list.join(", ")
            ));
        }
        Err(e) => {
            let msg = format!("Export failed: {e}");
            app.status = Status::error(msg.clone());
            if let Some(d) = dialog(app) {
                d.error = Some(msg);
            }
        }
    }
}
