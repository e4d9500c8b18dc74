//! Every native file dialog (rfd) of the app, behind one trait so tests
//! never open a dialog and can inject paths instead.
//!
//! rfd's portal backend returns `None` at once on machines without a
//! desktop portal; the app then shows its own typed-path dialog, so a
//! native dialog is never the only way in (drag-and-drop, the command line
//! and recent files are the others).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a file dialog returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogResult {
    /// The user picked this path.
    Picked(PathBuf),
    /// The user cancelled.
    Cancelled,
    /// No native dialog is available (or it failed at once): use the
    /// typed-path fallback.
    Unavailable,
}

/// Native file dialogs.
pub trait FileDialogs {
    /// Asks for an article or annotation set to open.
    fn pick_open(&mut self, start_dir: Option<&Path>) -> DialogResult;
    /// Asks where to save the annotation set.
    fn pick_save(&mut self, suggested: Option<&Path>) -> DialogResult;
    /// Asks for a `*.codebook.ron` (or a set) to load a codebook from.
    /// Defaults to the open dialog (scripted answers are shared).
    fn pick_codebook_open(&mut self, start_dir: Option<&Path>) -> DialogResult {
        self.pick_open(start_dir)
    }
    /// Asks where to save the codebook. Defaults to the save dialog.
    fn pick_codebook_save(&mut self, suggested: Option<&Path>) -> DialogResult {
        self.pick_save(suggested)
    }
    /// Asks for a corpus folder to open. Defaults to the open dialog
    /// (scripted answers are shared).
    fn pick_folder(&mut self, start_dir: Option<&Path>) -> DialogResult {
        self.pick_open(start_dir)
    }
    /// Asks for a REFI-QDA project (`.qdpx`) to import. Defaults to the
    /// open dialog (scripted answers are shared).
    fn pick_project(&mut self, start_dir: Option<&Path>) -> DialogResult {
        self.pick_open(start_dir)
    }
    /// Asks where to write an export: a file ending in `extension`, or a
    /// folder when `folder` (brat). Without an implementation: unavailable
    /// (the export dialog's typed path is used).
    fn pick_export(
        &mut self,
        _suggested: Option<&Path>,
        _extension: &str,
        _folder: bool,
    ) -> DialogResult {
        DialogResult::Unavailable
    }
}

/// Dialogs through rfd. A dialog that comes back empty in under 150 ms was
/// not shown (no portal): reported as [`DialogResult::Unavailable`].
#[derive(Debug, Default)]
pub struct RfdDialogs;

const NOT_SHOWN: Duration = Duration::from_millis(150);

fn classify(started: Instant, picked: Option<PathBuf>) -> DialogResult {
    match picked {
        Some(p) => DialogResult::Picked(p),
        None if started.elapsed() < NOT_SHOWN => DialogResult::Unavailable,
        None => DialogResult::Cancelled,
    }
}

impl FileDialogs for RfdDialogs {
    fn pick_codebook_open(&mut self, start_dir: Option<&Path>) -> DialogResult {
        let mut d = rfd::FileDialog::new()
            .set_title("Load codebook")
            .add_filter("Codebooks and annotation sets", &["ron"]);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        let started = Instant::now();
        classify(started, d.pick_file())
    }

    fn pick_codebook_save(&mut self, suggested: Option<&Path>) -> DialogResult {
        let d = with_suggestion(
            rfd::FileDialog::new()
                .set_title("Save codebook as")
                .add_filter("Codebook", &["ron"]),
            suggested,
        );
        let started = Instant::now();
        classify(started, d.save_file())
    }

    fn pick_project(&mut self, start_dir: Option<&Path>) -> DialogResult {
        let mut d = rfd::FileDialog::new()
            .set_title("Import REFI-QDA project")
            .add_filter("REFI-QDA projects", &["qdpx"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        let started = Instant::now();
        classify(started, d.pick_file())
    }

    fn pick_folder(&mut self, start_dir: Option<&Path>) -> DialogResult {
        let mut d = rfd::FileDialog::new().set_title("Open corpus folder");
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        let started = Instant::now();
        classify(started, d.pick_folder())
    }

    fn pick_open(&mut self, start_dir: Option<&Path>) -> DialogResult {
        let mut d = rfd::FileDialog::new()
            .set_title("Open article")
            .add_filter("Articles and annotation sets", &open_extensions())
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        let started = Instant::now();
        classify(started, d.pick_file())
    }

    fn pick_export(
        &mut self,
        suggested: Option<&Path>,
        extension: &str,
        folder: bool,
    ) -> DialogResult {
        let mut d = rfd::FileDialog::new().set_title(if folder {
            "Export into folder"
        } else {
            "Export to file"
        });
        if let Some(p) = suggested {
            if let Some(dir) = p.parent().filter(|d| d.is_dir()) {
                d = d.set_directory(dir);
            }
            if !folder && let Some(name) = p.file_name() {
                d = d.set_file_name(name.to_string_lossy());
            }
        }
        if !folder && !extension.is_empty() {
            d = d.add_filter(extension, &[extension]);
        }
        let started = Instant::now();
        classify(
            started,
            if folder {
                d.pick_folder()
            } else {
                d.save_file()
            },
        )
    }

    fn pick_save(&mut self, suggested: Option<&Path>) -> DialogResult {
        let d = with_suggestion(
            rfd::FileDialog::new()
                .set_title("Save annotation set as")
                .add_filter("Annotation set", &["ron"]),
            suggested,
        );
        let started = Instant::now();
        classify(started, d.save_file())
    }
}

/// Dialogs for tests and headless use: hand out queued answers, then
/// report [`DialogResult::Unavailable`].
#[derive(Debug, Default)]
pub struct ScriptedDialogs {
    /// Answers for open dialogs, first one first.
    pub open: Vec<DialogResult>,
    /// Answers for save dialogs, first one first.
    pub save: Vec<DialogResult>,
    /// Answers for export destination dialogs, first one first.
    pub export: Vec<DialogResult>,
}

/// Extensions the open dialog offers: every importable article type plus
/// annotation sets (`*.annotations.ron`).
pub fn open_extensions() -> Vec<&'static str> {
    let mut v = crate::core::import::supported_extensions();
    v.push("ron");
    v
}

impl FileDialogs for ScriptedDialogs {
    fn pick_open(&mut self, _start_dir: Option<&Path>) -> DialogResult {
        if self.open.is_empty() {
            DialogResult::Unavailable
        } else {
            self.open.remove(0)
        }
    }

    fn pick_save(&mut self, _suggested: Option<&Path>) -> DialogResult {
        if self.save.is_empty() {
            DialogResult::Unavailable
        } else {
            self.save.remove(0)
        }
    }

    fn pick_export(
        &mut self,
        _suggested: Option<&Path>,
        _extension: &str,
        _folder: bool,
    ) -> DialogResult {
        if self.export.is_empty() {
            DialogResult::Unavailable
        } else {
            self.export.remove(0)
        }
    }
}

/// Starts a save dialog in the suggested file's folder with its name.
fn with_suggestion(mut d: rfd::FileDialog, suggested: Option<&Path>) -> rfd::FileDialog {
    if let Some(p) = suggested {
        if let Some(dir) = p.parent() {
            d = d.set_directory(dir);
        }
        if let Some(name) = p.file_name() {
            d = d.set_file_name(name.to_string_lossy());
        }
    }
    d
}
