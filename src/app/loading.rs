//! Opening files without freezing the window, and new articles from
//! pasted text.
//!
//! Invariants:
//! - `Session::open` (read, decode, hash, parse, anchor) runs on a
//!   background thread; its result comes back over a channel and is
//!   installed in the frame that receives it. The frame that starts an
//!   open waits at most `Settings::load_wait` (150 ms in the window), so
//!   small files open without a flicker and large ones show the
//!   "Opening …" overlay while the window keeps drawing.
//! - While a file loads, the overlay blocks edits to the current article
//!   (which stays open, and stays if the open fails or is cancelled).
//! - A pasted article is never written before the first save.

use super::MarginaliaApp;
use super::model::{Modal, Status};
use crate::core::session::{OpenError, Session};
use crate::core::set::AnnotationSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// What a background open sends back.
pub type LoadResult = Result<(Session, Vec<String>), OpenError>;

/// A file being opened on a background thread.
#[derive(Debug)]
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    /// When the open started.
    pub started: Instant,
    rx: Receiver<LoadResult>,
}

/// Opens `path` (an article or a set) in the background.
pub(super) fn start_open(app: &mut MarginaliaApp, path: &Path, legacy: bool) {
    start_load(app, path, move |p| super::open_session(p, legacy));
}

/// Opens `article` with a set whose own article was missing.
pub(super) fn start_open_with_set(
    app: &mut MarginaliaApp,
    article: &Path,
    set_path: PathBuf,
    set: AnnotationSet,
) {
    let opts = crate::paths::open_options(app.settings.legacy_encoding);
    start_load(app, article, move |p| {
        Session::open_with_set(p, set_path, set, &opts)
    });
}

fn start_load(
    app: &mut MarginaliaApp,
    path: &Path,
    job: impl FnOnce(&Path) -> LoadResult + Send + 'static,
) {
    let (tx, rx) = mpsc::channel();
    let owned = path.to_owned();
    let delay = app.settings.load_delay;
    let spawned = std::thread::Builder::new()
        .name("marginalia-open".into())
        .spawn(move || {
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
            // The receiver may be gone (cancelled): nothing to do.
            let _ = tx.send(job(&owned));
        });
    if let Err(e) = spawned {
        app.status = Status::error(format!("Cannot open {}: {e}", path.display()));
        return;
    }
    let got = match app.settings.load_wait {
        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        Some(wait) => rx.recv_timeout(wait),
    };
    match got {
        Ok(result) => finish(app, path, result),
        Err(RecvTimeoutError::Timeout) => {
            app.loading = Some(Loading {
                path: path.to_owned(),
                started: Instant::now(),
                rx,
            });
        }
        Err(RecvTimeoutError::Disconnected) => {
            app.status = Status::error(format!("Opening {} failed unexpectedly", path.display()));
        }
    }
}

/// Installs a finished background open (called every frame).
pub(super) fn poll(app: &mut MarginaliaApp, ctx: &egui::Context) {
    let Some(l) = &app.loading else { return };
    match l.rx.try_recv() {
        Ok(result) => {
            let path = l.path.clone();
            app.loading = None;
            finish(app, &path, result);
            ctx.request_repaint();
        }
        Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(50)),
        Err(TryRecvError::Disconnected) => {
            let path = l.path.clone();
            app.loading = None;
            app.status = Status::error(format!("Opening {} failed unexpectedly", path.display()));
        }
    }
}

impl MarginaliaApp {
    /// Waits (tests) until a background open has finished and installs it.
    pub fn wait_for_loading(&mut self, ctx: &egui::Context, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        while self.loading.is_some() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
            poll(self, ctx);
        }
        self.loading.is_none()
    }
}

fn finish(app: &mut MarginaliaApp, path: &Path, result: LoadResult) {
    match result {
        Ok((session, warnings)) => super::files::install_opened(app, path, session, warnings),
        Err(e) => super::files::open_failed(app, path, e),
    }
}

/// Creates a new article from the pasted text (saved in `saves/` on the
/// first save).
pub(super) fn create_from_paste(app: &mut MarginaliaApp) {
    let dirty = app.session().is_some_and(Session::is_dirty);
    let Some(Modal::Paste(dialog)) = &mut app.modal else {
        return;
    };
    if dirty {
        dialog.error =
            Some("The current article has unsaved changes: save them first (Ctrl+S)".to_owned());
        return;
    }
    let dir = app.settings.saves_dir.clone();
    match Session::from_pasted(&dialog.text, &dir) {
        Ok(session) => {
            let path = session
                .article_path
                .clone()
                .unwrap_or_else(|| dir.join("pasted.txt"));
            app.modal = None;
            super::files::install_opened(app, &path, session, Vec::new());
            app.status = Status::info(format!(
                "New article from pasted text; Ctrl+S saves it as {} with its annotations",
                path.display()
            ));
        }
        Err(e) => dialog.error = Some(e.to_string()),
    }
}
