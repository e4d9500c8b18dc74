//! Applies [`FileIntent`]s: opening (with the unsaved-changes question),
//! saving, Save As, quitting, codebook files, the export's destination and
//! run, new articles from pasted text, and the answers of the bad-input
//! notices (open as Windows-1252, locate a missing article).
//!
//! Invariants:
//! - A failed open never replaces the current article; it is reported in a
//!   notice that says what was kept.
//! - A failed save keeps every change (the session and the journal) and
//!   offers Save As.
//! - A native dialog that is unavailable falls back to the typed-path
//!   modal, so a file can always be chosen.

use super::MarginaliaApp;
use super::dialogs::DialogResult;
use super::model::{
    FileIntent, Modal, Notice, NoticeAction, PathPurpose, Pending, Status, TypedPath,
};
use crate::core::codebook_file;
use crate::core::session::{OpenError, Session};
use crate::core::store::StoreError;
use std::path::{Path, PathBuf};

/// Applies one file intent.
pub(super) fn apply(app: &mut MarginaliaApp, ctx: &egui::Context, intent: FileIntent) {
    match intent {
        FileIntent::OpenDialog => open_dialog(app),
        FileIntent::OpenFolderDialog => open_folder_dialog(app),
        FileIntent::ImportFolderDialog => import_folder_dialog(app),
        FileIntent::ImportProjectDialog => import_project_dialog(app),
        FileIntent::RunImportProject => import_project(app),
        FileIntent::PreviewImport => preview_import(app),
        FileIntent::RunImport => run_import(app),
        FileIntent::Open(path) => apply_open(app, path),
        FileIntent::Save => save(app),
        FileIntent::SaveAsDialog => save_as_dialog(app),
        FileIntent::SaveAs(p) => save_as(app, &p),
        FileIntent::Quit => {
            if app.session().is_some_and(Session::is_dirty) {
                app.modal = Some(Modal::UnsavedChanges(Pending::Quit));
            } else {
                close_window(app, ctx);
            }
        }
        FileIntent::SaveCodebookDialog => save_codebook_dialog(app),
        FileIntent::SaveCodebook(p) => save_codebook(app, &p),
        FileIntent::LoadCodebookDialog => match app.dialogs.pick_codebook_open(None) {
            DialogResult::Picked(p) => {
                super::document::apply(app, super::model::DocIntent::LoadCodebook(p));
            }
            DialogResult::Cancelled => {}
            DialogResult::Unavailable => typed_path(app, PathPurpose::LoadCodebook, String::new()),
        },
        FileIntent::ExportBrowse => super::export::browse(app),
        FileIntent::RunExport => super::export::run(app),
        FileIntent::CreateFromPaste => super::loading::create_from_paste(app),
        FileIntent::OpenLegacy => {
            if let Some(Modal::Notice(Notice {
                action: NoticeAction::Legacy(p),
                ..
            })) = app.modal.take()
            {
                super::loading::start_open(app, &p, true);
            }
        }
        FileIntent::LocateBrowse => locate_browse(app),
        FileIntent::LocateAt(article) => locate_at(app, article),
        FileIntent::CancelLoading => {
            if let Some(l) = app.loading.take() {
                app.status = Status::info(format!("Stopped opening {}", l.path.display()));
            }
        }
    }
}

fn typed_path(app: &mut MarginaliaApp, purpose: PathPurpose, path: String) {
    app.modal = Some(Modal::TypedPath(TypedPath { purpose, path }));
}

fn open_dialog(app: &mut MarginaliaApp) {
    let start = app
        .session()
        .and_then(|s| s.article_path.as_ref())
        .and_then(|p| p.parent().map(Path::to_owned));
    match app.dialogs.pick_open(start.as_deref()) {
        DialogResult::Picked(p) => apply_open(app, p),
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => typed_path(app, PathPurpose::Open, String::new()),
    }
}

fn open_folder_dialog(app: &mut MarginaliaApp) {
    let start = app
        .corpus
        .as_ref()
        .map(|c| c.corpus.root.clone())
        .or_else(|| {
            app.session()
                .and_then(|s| s.article_path.as_ref())
                .and_then(|p| p.parent().map(Path::to_owned))
        });
    match app.dialogs.pick_folder(start.as_deref()) {
        DialogResult::Picked(p) => apply_open(app, p),
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => typed_path(app, PathPurpose::Open, String::new()),
    }
}

fn import_folder_dialog(app: &mut MarginaliaApp) {
    match app.dialogs.pick_folder(None) {
        DialogResult::Picked(root) => {
            app.modal = Some(Modal::BatchImport(super::model::BatchImportDialog {
                root,
                pattern: "{date}_{outlet}_{title}".to_owned(),
                ..Default::default()
            }));
            preview_import(app);
        }
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => {
            app.status = Status::error(
                "No folder dialog here: use `marginalia import-folder DIR --pattern …` from a terminal",
            );
        }
    }
}

fn import_project_dialog(app: &mut MarginaliaApp) {
    match app.dialogs.pick_project(None) {
        DialogResult::Picked(file) => preview_project(app, &file),
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => {
            app.status = Status::error(
                "No file dialog here: use `marginalia import-qdpx FILE.qdpx --out DIR` from a terminal",
            );
        }
    }
}

/// A folder beside `file` named after it that does not exist yet
/// (`study/`, else `study (2)/` …).
fn new_folder_beside(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    let stem = file.file_stem().map_or_else(
        || "project".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut out = dir.join(&stem);
    let mut n = 2;
    while out.exists() {
        out = dir.join(format!("{stem} ({n})"));
        n += 1;
    }
    out
}

/// Reads the REFI-QDA project `file` and shows what it holds in the
/// import dialog (its codes to choose actors from, the new folder); a file
/// that cannot be read gets a notice, and nothing is written.
pub(super) fn preview_project(app: &mut MarginaliaApp, file: &Path) {
    use crate::core::qdpx_import;
    match qdpx_import::read_file(file, &qdpx_import::ImportOptions::default()) {
        Ok(imp) => {
            app.modal = Some(Modal::ImportProject(super::model::ImportProjectDialog {
                file: file.to_owned(),
                name: imp.name,
                sources: imp.docs.len(),
                selections: imp.selections,
                codes: imp.codes,
                actor_codes: Default::default(),
                losses: imp.losses,
                dest: new_folder_beside(file).display().to_string(),
                error: None,
                origin: imp.origin,
                positions: None,
            }));
        }
        Err(e) => not_imported(app, &e),
    }
}

/// The notice of a project that could not be read (`e` names the file).
fn not_imported(app: &mut MarginaliaApp, e: &str) {
    app.modal = Some(Modal::Notice(Notice::new(
        "Project not imported",
        format!("{e}\nNothing was written."),
        NoticeAction::None,
    )));
}

/// Imports the project of the import dialog with the codes it ticked as
/// actors into its folder, opens that corpus and lists what could not be
/// carried over. A folder that exists is refused in the dialog.
fn import_project(app: &mut MarginaliaApp) {
    use crate::core::qdpx_import;
    let Some(Modal::ImportProject(d)) = &mut app.modal else {
        return;
    };
    // A relative folder is beside the project file, not in the working
    // directory.
    let typed = PathBuf::from(d.dest.trim());
    let out = match d.file.parent() {
        Some(dir) if typed.is_relative() => dir.join(&typed),
        _ => typed,
    };
    if d.dest.trim().is_empty() {
        d.error = Some("Give the folder for the new corpus".to_owned());
        return;
    }
    if out.exists() {
        d.error = Some(format!(
            "{} exists: give a new folder for the corpus",
            out.display()
        ));
        return;
    }
    let file = d.file.clone();
    let opts = qdpx_import::ImportOptions {
        actor_codes: d.actor_codes.clone(),
        positions: d.positions,
        ..Default::default()
    };
    let imp = match qdpx_import::read_file(&file, &opts) {
        Ok(imp) => imp,
        Err(e) => {
            not_imported(app, &e);
            return;
        }
    };
    // A folder that cannot be written keeps the dialog and its choices.
    if let Err(e) = qdpx_import::write_corpus(&imp, &out) {
        if let Some(Modal::ImportProject(d)) = &mut app.modal {
            d.error = Some(format!("{e}. Nothing was written."));
        }
        return;
    }
    app.modal = None;
    apply_open(app, out.clone());
    let annotations: usize = imp.docs.iter().map(|d| d.set.annotations().len()).sum();
    let actors = imp
        .codebook
        .of_kind(crate::core::codebook::TagKind::Actor)
        .count();
    let summary = format!(
        "Imported {} documents, {annotations} annotations and {} tags ({actors} actors) into {}",
        imp.docs.len(),
        imp.codebook.len(),
        out.display()
    );
    if imp.losses.is_empty() && imp.notes.is_empty() {
        app.status = Status::info(summary);
        return;
    }
    let mut message = format!("{summary}.");
    for n in &imp.notes {
        message.push_str(&format!("\nNote: {n}"));
    }
    if !imp.losses.is_empty() {
        message.push_str("\n\nNot imported, as a corpus cannot hold it:");
        for l in &imp.losses {
            message.push_str(&format!("\n• {l}"));
        }
    }
    app.modal = Some(Modal::Notice(Notice::new(
        "Project imported",
        message,
        NoticeAction::None,
    )));
}

fn preview_import(app: &mut MarginaliaApp) {
    let legacy = app.settings.legacy_encoding;
    let Some(Modal::BatchImport(d)) = &mut app.modal else {
        return;
    };
    let result = crate::core::batch_import::NamePattern::new(&d.pattern)
        .and_then(|p| crate::core::batch_import::preview(&d.root, &p, legacy));
    match result {
        Ok(p) => {
            d.preview = Some((d.pattern.clone(), p));
            d.error = None;
        }
        Err(e) => d.error = Some(e),
    }
}

fn run_import(app: &mut MarginaliaApp) {
    let legacy = app.settings.legacy_encoding;
    let Some(Modal::BatchImport(d)) = &mut app.modal else {
        return;
    };
    // Import what was previewed, with the pattern shown.
    if d.preview.as_ref().is_none_or(|(p, _)| *p != d.pattern) {
        preview_import(app);
        return;
    }
    let Some((_, preview)) = &d.preview else {
        return;
    };
    let (written, failed) = crate::core::batch_import::apply(preview, legacy);
    if !failed.is_empty() {
        let names: Vec<String> = failed.iter().map(|(r, e)| format!("{r}: {e}")).collect();
        d.error = Some(format!(
            "{written} sets written; not imported: {}",
            names.join("; ")
        ));
        return;
    }
    let root = d.root.clone();
    app.modal = None;
    apply_open(app, root);
    app.status = Status::info(format!("Imported {written} documents"));
}

fn apply_open(app: &mut MarginaliaApp, p: PathBuf) {
    // A REFI-QDA project (dropped, or given on the command line) is
    // imported through its dialog, never opened as an article.
    if p.is_file()
        && p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"))
    {
        // Never over another question (its answer would be lost).
        if app.modal.is_some() {
            app.status = Status::info(format!(
                "Answer the open dialog first, then drop {} again to import it",
                p.display()
            ));
        } else {
            preview_project(app, &p);
        }
        return;
    }
    if p.is_dir() {
        if matches!(app.modal, Some(Modal::TypedPath(_))) {
            app.modal = None;
        }
        super::corpus::open_corpus(app, &p);
        return;
    }
    if app.session().is_some_and(Session::is_dirty) {
        app.modal = Some(Modal::UnsavedChanges(Pending::Open(p)));
    } else {
        open_now(app, &p);
    }
}

/// Saves the open document when it has unsaved edits, before a step
/// that reads or replaces its file; false when they could not be saved
/// (the status says why).
pub(super) fn saved_first(app: &mut MarginaliaApp) -> bool {
    if app.session().is_some_and(|s| s.is_dirty()) {
        save(app);
    }
    !app.session().is_some_and(|s| s.is_dirty())
}

/// Opens `path` now (the unsaved-changes question was answered).
pub(super) fn open_now(app: &mut MarginaliaApp, path: &Path) {
    let legacy = app.settings.legacy_encoding;
    super::loading::start_open(app, path, legacy);
}

/// Closes the window.
pub(super) fn close_window(app: &mut MarginaliaApp, ctx: &egui::Context) {
    app.window.allow_close = true;
    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
}

/// Shows a session that finished opening (a failed open goes to
/// [`open_failed`] instead and keeps the current article).
pub(super) fn install_opened(
    app: &mut MarginaliaApp,
    path: &Path,
    session: Session,
    warnings: Vec<String>,
) {
    if matches!(app.modal, Some(Modal::TypedPath(_))) {
        app.modal = None;
    }
    app.remember_recent(path);
    app.install(session);
    // The open's own message (warnings in red) is what the user reads.
    app.status = if warnings.is_empty() {
        Status::info(format!("Opened {}", path.display()))
    } else {
        Status::error(warnings.join("; "))
    };
}

/// Saves the set where it belongs (asks where when it has no place).
pub(super) fn save(app: &mut MarginaliaApp) {
    let Some(w) = &mut app.workspace else { return };
    if w.session.set_path.is_none() {
        save_as_dialog(app);
        return;
    }
    match w.session.save() {
        Ok(p) => {
            app.status = Status::info(format!("Saved {}", p.display()));
            if let Err(e) = w.saved(&app.settings.recovery_dir) {
                app.status = Status::error(format!(
                    "Saved, but the old recovery journal could not be removed: {e}"
                ));
            }
            if matches!(app.modal, Some(Modal::Notice(_))) {
                app.modal = None;
            }
            remember_set(app);
            super::corpus::document_saved(app);
        }
        Err(e) => save_failed(app, &e),
    }
}

fn save_as_dialog(app: &mut MarginaliaApp) {
    if matches!(app.modal, Some(Modal::Notice(_))) {
        app.modal = None;
    }
    let suggested = app.session().and_then(|s| s.set_path.clone());
    match app.dialogs.pick_save(suggested.as_deref()) {
        DialogResult::Picked(p) => save_as(app, &p),
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => {
            let typed = suggested
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            typed_path(app, PathPurpose::SaveAs, typed);
        }
    }
}

fn save_as(app: &mut MarginaliaApp, path: &Path) {
    let Some(w) = &mut app.workspace else { return };
    match w.session.save_as(path) {
        Ok(()) => {
            app.status = Status::info(format!("Saved {}", path.display()));
            if let Err(e) = w.saved_as(path, &app.settings.recovery_dir) {
                app.status = Status::error(format!(
                    "Saved, but the old recovery journal could not be removed: {e}"
                ));
            }
            if matches!(app.modal, Some(Modal::TypedPath(_) | Modal::Notice(_))) {
                app.modal = None;
            }
            remember_set(app);
            super::corpus::document_saved(app);
        }
        Err(e) => save_failed(app, &e),
    }
}

/// Records the current set as the last one used (when it exists).
pub(super) fn remember_set(app: &mut MarginaliaApp) {
    if let Some(p) = app.session().and_then(|s| s.set_path.clone())
        && p.exists()
    {
        app.prefs.last_set = Some(p.canonicalize().unwrap_or(p));
    }
}

/// A save failed: say why and offer Save As (the session keeps every
/// change).
fn save_failed(app: &mut MarginaliaApp, e: &StoreError) {
    let msg = format!("Not saved: {e}");
    app.status = Status::error(msg.clone());
    app.modal = Some(Modal::Notice(Notice::new(
        "The annotations were not saved",
        format!(
            "{msg}\n\nYour changes are still here (and in the recovery journal). Save them somewhere else with Save as…"
        ),
        NoticeAction::SaveAs,
    )));
}

/// An open failed: a clear message; the current article stays open.
pub(super) fn open_failed(app: &mut MarginaliaApp, path: &Path, e: OpenError) {
    let keep = if app.workspace.is_some() {
        "\n\nThe current article stays open."
    } else {
        ""
    };
    let (title, message, action) = match e {
        OpenError::Decode {
            error: crate::core::decode::DecodeError::InvalidUtf8 { .. },
            ..
        } => (
            "Not UTF-8 text",
            format!(
                "{e}\n\nIf it was written on Windows, open it as Windows-1252 (Latin-1); check the text looks right before annotating.{keep}"
            ),
            NoticeAction::Legacy(path.to_owned()),
        ),
        OpenError::SourceMissing {
            set_path,
            source_path,
            set,
        } => (
            "Locate the article",
            format!(
                "The annotation set {} ({} annotations) was found, but its article is not at {}.\n\nLocate the article to open the set with it; the annotations are kept (they are re-anchored if the text changed).{keep}",
                set_path.display(),
                set.annotations().len() + set.orphans.len(),
                source_path.display()
            ),
            NoticeAction::Locate {
                set_path,
                source_path,
                set,
            },
        ),
        other => (
            "Cannot open this file",
            format!("{other}{keep}"),
            NoticeAction::None,
        ),
    };
    app.status = Status::error(format!("Not opened: {}", path.display()));
    app.modal = Some(Modal::Notice(Notice::new(title, message, action)));
}

fn locate_browse(app: &mut MarginaliaApp) {
    let start = match &app.modal {
        Some(Modal::Notice(Notice {
            action: NoticeAction::Locate { set_path, .. },
            ..
        })) => set_path.parent().map(Path::to_owned),
        _ => return,
    };
    match app.dialogs.pick_open(start.as_deref()) {
        DialogResult::Picked(p) => locate_at(app, p),
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => {
            app.status = Status::info("No file dialog here: type the article's path in the box");
        }
    }
}

fn locate_at(app: &mut MarginaliaApp, article: PathBuf) {
    let Some(Modal::Notice(Notice {
        action: NoticeAction::Locate { set_path, set, .. },
        ..
    })) = app.modal.take()
    else {
        return;
    };
    if !article.is_file() {
        app.status = Status::error(format!("{} is not a file", article.display()));
        let mut n = Notice::new(
            "Locate the article",
            format!(
                "{} is not a file. Locate the article of {}.",
                article.display(),
                set_path.display()
            ),
            NoticeAction::Locate {
                source_path: article.clone(),
                set_path,
                set,
            },
        );
        n.typed_path = article.display().to_string();
        app.modal = Some(Modal::Notice(n));
        return;
    }
    super::loading::start_open_with_set(app, &article, set_path, *set);
}

fn save_codebook_dialog(app: &mut MarginaliaApp) {
    let suggested = app
        .session()
        .and_then(|s| s.article_path.as_deref().or(s.set_path.as_deref()))
        .map(codebook_file::default_path_for);
    match app.dialogs.pick_codebook_save(suggested.as_deref()) {
        DialogResult::Picked(p) => save_codebook(app, &p),
        DialogResult::Cancelled => {}
        DialogResult::Unavailable => {
            let typed = suggested
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            typed_path(app, PathPurpose::SaveCodebook, typed);
        }
    }
}

fn save_codebook(app: &mut MarginaliaApp, p: &Path) {
    let Some(s) = app.session() else { return };
    match codebook_file::save(p, &s.set.codebook) {
        Ok(()) => {
            if matches!(app.modal, Some(Modal::TypedPath(_))) {
                app.modal = None;
            }
            app.status = Status::info(format!("Saved codebook {}", p.display()));
        }
        Err(e) => app.status = Status::error(format!("Codebook not saved: {e}")),
    }
}
