//! The export dialog's state and actions (Ctrl+E): format, options,
//! filter, destination, and the remembered last choice.
//!
//! Invariants:
//! - Exports go through the CLI's paths only: `core::export::export_to_path`,
//!   `core::export::discourse_network::network_to_path` (networks with
//!   windows and exclusions) and `core::export::qdpx::write_file`.
//! - The open document is exported as it is in memory; the whole corpus
//!   (every document with a set, as `marginalia export DIR` takes them) is
//!   read from disk on a thread after the open document is saved, so the
//!   window never waits and the export sees what was coded.
//! - The remembered choice (format, options, folder) is a preference kept
//!   in eframe's storage; it never holds annotations.
//! - A failed export keeps the dialog open with the error; nothing is
//!   written half-way (the core writes through a temporary file).
//! - An export never replaces a file (or fills a folder that has files)
//!   without asking first.

use super::MarginaliaApp;
use super::dialogs::DialogResult;
use super::model::{ExportDialog, Modal, NetworkWindow, Status};
use crate::core::discourse_network::{NetworkChoices, NetworkSpec, Normalization, Qualifier};
use crate::core::export::discourse_network::{NetworkFormat, NetworkRequest, network_to_path};
use crate::core::export::{
    self, ExportDoc, ExportFormat, ExportOptions, Filter, NetworkMode, qdpx,
};
use crate::core::session::Session;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

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
    /// REFI-QDA: positions in UTF-16 code units (for NVivo).
    pub nvivo: bool,
    /// Discourse network: the last choices.
    pub discourse: NetworkChoices,
    /// Discourse network: the last time windows.
    pub window: NetworkWindow,
    /// Network mode key.
    pub network: String,
    /// The folder of the last export.
    pub folder: Option<PathBuf>,
}

/// A new export dialog with the remembered choice, for the open document.
pub(super) fn new_dialog(app: &mut MarginaliaApp) -> Option<ExportDialog> {
    app.export_generation += 1;
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
    // What the export will take (the list's summaries may not all be read
    // yet).
    let corpus_sets = app.corpus.as_ref().map(|c| {
        c.corpus
            .docs
            .iter()
            .filter(|d| d.set_path.is_file())
            .count()
    });
    let corpus_root = app.corpus.as_ref().map(|c| c.corpus.root.clone());
    // Beside the corpus, not inside it, where a report would be scanned as
    // a document.
    let folder = match (&corpus_root, corpus_root.as_ref().and_then(|r| r.parent())) {
        (Some(root), Some(parent)) if folder.starts_with(root) => parent.to_owned(),
        _ => folder,
    };
    let mut d = ExportDialog {
        format,
        options: ExportOptions {
            raw: p.raw,
            long: p.long,
            network,
            binary: p.binary,
            discourse: p.discourse,
            positions: if p.nvivo {
                qdpx::Positions::Utf16
            } else {
                qdpx::Positions::CodePoints
            },
        },
        issues: BTreeSet::new(),
        actors: BTreeSet::new(),
        dest: String::new(),
        error: None,
        confirm_replace: None,
        whole_corpus: false,
        corpus_sets,
        window: p.window,
        exclude_actors: BTreeSet::new(),
        exclude_issues: BTreeSet::new(),
        exclude_find: String::new(),
        corpus_root,
        running: app.export_run.is_some(),
        generation: app.export_generation,
    };
    d.dest = folder
        .join(d.default_name(&w.export_stem()))
        .display()
        .to_string();
    Some(d)
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
    let folder = d.writes_directory();
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
    if !d.writes_directory() && dest.is_dir() {
        return Err(format!(
            "{} is a folder; give a file name (e.g. {})",
            dest.display(),
            dest.join(d.format.default_file_name("export")).display()
        ));
    }
    if d.writes_directory() && dest.is_file() {
        return Err(format!(
            "{} is a file; this export writes a folder (e.g. {})",
            dest.display(),
            dest.with_extension("").display()
        ));
    }
    if let Some(root) = &d.corpus_root {
        // Compared as the corpus's root is written (canonical).
        let whole = crate::core::store::resolved_path(&dest);
        let article_like =
            d.format == ExportFormat::Brat || crate::core::import::kind_for_path(&whole).is_some();
        if article_like && whole.starts_with(root) {
            return Err(format!(
                "{} is inside the corpus folder, where the export would be read as a document: choose a place outside {}",
                dest.display(),
                root.display()
            ));
        }
    }
    let exists = if d.writes_directory() {
        dest.read_dir().is_ok_and(|mut r| r.next().is_some())
    } else {
        dest.exists()
    };
    Ok(exists.then_some(dest))
}

/// Everything an export needs besides the documents, owned so that it can
/// run on a thread.
#[derive(Debug, Clone)]
struct ExportJob {
    format: ExportFormat,
    options: ExportOptions,
    filter: Filter,
    dest: PathBuf,
    /// Discourse networks: the request (windows, exclusions).
    network: Option<NetworkRequest>,
    /// A corpus's `.qdpx`: the corpus's name and codebook.
    project: Option<qdpx::Project>,
    /// The dialog's time windows (remembered on success).
    window: NetworkWindow,
    /// The dialog's generation.
    generation: u64,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportDone {
    /// Files (or folders) written.
    files: Vec<PathBuf>,
    /// Excerpts exported.
    excerpts: usize,
    /// Documents exported.
    documents: usize,
    /// With time windows: the documents in no window (no date).
    undated: Vec<String>,
}

/// A corpus export running on a thread; the window polls it.
#[derive(Debug)]
pub struct ExportRun {
    rx: Receiver<Result<ExportDone, String>>,
    job: ExportJob,
}

impl ExportJob {
    /// The job the dialog stands for.
    fn of(d: &ExportDialog) -> ExportJob {
        let network = match d.format {
            ExportFormat::Discourse(format) => Some(NetworkRequest {
                spec: NetworkSpec {
                    choices: d.options.discourse,
                    exclude_actors: d.exclude_actors.clone(),
                    exclude_issues: d.exclude_issues.clone(),
                },
                format,
                window: d.window.request(),
                raw: d.options.raw,
                filter: d.filter(),
                // The dialog lists the whole codebook, used or not.
                lenient_exclusions: true,
            }),
            _ => None,
        };
        ExportJob {
            format: d.format,
            options: d.options,
            filter: d.filter(),
            dest: PathBuf::from(d.dest.trim()),
            network,
            project: None,
            window: d.window,
            generation: d.generation,
        }
    }

    /// Writes the export of `docs`.
    fn write(&self, docs: &[ExportDoc]) -> Result<ExportDone, String> {
        let excerpts = docs.iter().map(|d| d.excerpts(&self.filter).count()).sum();
        let mut done = ExportDone {
            files: Vec::new(),
            excerpts,
            documents: docs.len(),
            undated: Vec::new(),
        };
        if let Some(req) = &self.network {
            let out = network_to_path(docs, req, &self.dest).map_err(|e| e.to_string())?;
            done.files = out.files;
            done.undated = out.undated;
        } else if let (ExportFormat::Qdpx, Some(project)) = (self.format, &self.project) {
            qdpx::write_file(project, docs, &self.filter, &self.dest).map_err(|e| e.to_string())?;
            done.files = vec![self.dest.clone()];
        } else {
            done.files =
                export::export_to_path(self.format, docs, &self.filter, &self.options, &self.dest)
                    .map_err(|e| e.to_string())?;
        }
        Ok(done)
    }
}

/// Writes the export (the open document now, or the corpus on a thread);
/// asks first when it would replace a file (or fill a folder that has
/// files).
pub(super) fn run(app: &mut MarginaliaApp) {
    let busy = app.export_run.is_some();
    let Some(d) = dialog(app) else { return };
    if busy {
        d.error =
            Some("A corpus export is still being written; export again when it is done".to_owned());
        return;
    }
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
    let job = ExportJob::of(d);
    if d.whole_corpus && d.corpus_sets.is_some() {
        start_corpus(app, job);
        return;
    }
    let Some(w) = &app.workspace else { return };
    let s = &w.session;
    let name = s.display_name();
    let doc = ExportDoc {
        name: &name,
        text: &s.text,
        set: &s.set,
    };
    let result = job.write(&[doc]);
    finish(app, &job, result);
}

/// Saves the open document, then exports every document of the corpus
/// that has a set on a thread.
fn start_corpus(app: &mut MarginaliaApp, mut job: ExportJob) {
    if !super::files::saved_first(app) {
        if let Some(d) = dialog(app) {
            d.error = Some("The open document could not be saved, so the corpus was not exported: save it (or undo) and try again".to_owned());
        }
        return;
    }
    let Some(c) = &app.corpus else { return };
    // Sorted by path, as `marginalia export DIR` takes them (the list's
    // order is the user's).
    let mut sets: Vec<PathBuf> = c
        .corpus
        .docs
        .iter()
        .filter(|d| d.set_path.is_file())
        .map(|d| d.set_path.clone())
        .collect();
    sets.sort();
    if job.format == ExportFormat::Qdpx {
        job.project = Some(qdpx::Project {
            name: c.corpus.file.name.clone(),
            codebook: c.corpus.file.codebook.clone(),
            positions: job.options.positions,
        });
    }
    let legacy = app.settings.legacy_encoding;
    let (tx, rx) = mpsc::channel();
    let thread_job = job.clone();
    let spawned = std::thread::Builder::new()
        .name("marginalia-export".into())
        .spawn(move || {
            let _ = tx.send(export_sets(&thread_job, &sets, legacy));
        });
    match spawned {
        Ok(_) => {
            app.export_run = Some(ExportRun { rx, job });
            if let Some(d) = dialog(app) {
                d.running = true;
                d.error = None;
            }
        }
        Err(e) => {
            if let Some(d) = dialog(app) {
                d.error = Some(format!("Could not start the export: {e}"));
            }
        }
    }
}

/// Opens each set (with its article) and writes the export of them all;
/// a set that cannot be read fails the export, naming it.
fn export_sets(job: &ExportJob, sets: &[PathBuf], legacy: bool) -> Result<ExportDone, String> {
    if sets.is_empty() {
        return Err("No document of the corpus has a set yet: nothing to export".to_owned());
    }
    let opts = crate::paths::open_options(legacy);
    let mut sessions = Vec::with_capacity(sets.len());
    for p in sets {
        let (s, _warnings) =
            Session::open(p, &opts).map_err(|e| format!("{}: {e}", p.display()))?;
        if let Some(why) = &s.protected {
            return Err(format!("{}: {why}; nothing was exported", p.display()));
        }
        sessions.push(s);
    }
    let names: Vec<String> = sessions.iter().map(Session::display_name).collect();
    job.write(&export::session_docs(&sessions, &names))
}

/// Takes a finished corpus export; true while one is running (repaint).
pub(super) fn poll(app: &mut MarginaliaApp) -> bool {
    let Some(run) = &app.export_run else {
        return false;
    };
    let result = match run.rx.try_recv() {
        Ok(r) => r,
        Err(TryRecvError::Empty) => return true,
        Err(TryRecvError::Disconnected) => Err("the export stopped unexpectedly".to_owned()),
    };
    let Some(run) = app.export_run.take() else {
        return false;
    };
    // Another export dialog may be open by now: it can export again.
    if let Some(d) = dialog(app) {
        d.running = false;
    }
    finish(app, &run.job, result);
    false
}

/// The export dialog that `job` came from, if it is still open.
fn dialog_of<'a>(app: &'a mut MarginaliaApp, job: &ExportJob) -> Option<&'a mut ExportDialog> {
    dialog(app).filter(|d| d.generation == job.generation)
}

/// Reports an export's outcome: remembers the choice and closes the dialog
/// on success; keeps the dialog open with the error otherwise.
fn finish(app: &mut MarginaliaApp, job: &ExportJob, result: Result<ExportDone, String>) {
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            let msg = format!("Export failed: {e}");
            app.status = Status::error(msg.clone());
            if let Some(d) = dialog_of(app, job) {
                d.error = Some(msg);
            }
            return;
        }
    };
    // For a folder export, `dest` is the folder written: remember its parent.
    let folder = job.dest.parent().map(Path::to_owned);
    let window = job.window;
    let options = job.options;
    app.export_prefs = ExportPrefs {
        format: format_key(job.format).to_owned(),
        raw: options.raw,
        long: options.long,
        binary: options.binary,
        nvivo: options.positions == qdpx::Positions::Utf16,
        discourse: options.discourse,
        window,
        network: NETWORK_MODES
            .iter()
            .find(|(m, _, _)| *m == options.network)
            .map_or("two-mode", |(_, k, _)| k)
            .to_owned(),
        folder: folder.filter(|f| !f.as_os_str().is_empty()),
    };
    if dialog_of(app, job).is_some() {
        app.modal = None;
    }
    app.status = Status::info(done_message(job.format, &done));
}

/// The status line of a finished export.
fn done_message(format: ExportFormat, done: &ExportDone) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let list: Vec<String> = done.files.iter().map(|p| p.display().to_string()).collect();
    let files = if list.len() > 6 {
        format!(
            "{} files in {}",
            list.len(),
            done.files[0]
                .parent()
                .map_or(String::new(), |p| p.display().to_string())
        )
    } else {
        list.join(", ")
    };
    let of_docs = if done.documents > 1 {
        format!(" of {} documents", super::model::count(done.documents))
    } else {
        String::new()
    };
    let mut msg = format!(
        "Exported {} excerpt{}{of_docs} as {}: {files}",
        super::model::count(done.excerpts),
        plural(done.excerpts),
        format.label(),
    );
    if !done.undated.is_empty() {
        let mut names = done.undated[..done.undated.len().min(5)].join(", ");
        if done.undated.len() > 5 {
            names.push_str(", …");
        }
        msg.push_str(&format!(
            " ({} document{} without a date in no window: {names})",
            done.undated.len(),
            plural(done.undated.len()),
        ));
    }
    msg
}
