//! Opening files without freezing the window, and new articles from
//! pasted text.
//!
//! Invariants:
//! - `Session::open` (read, decode, hash, parse, anchor) runs on a
//!   background thread; its result comes back over a channel and is
//!   installed by [`MarginaliaApp::install_opened`] in the frame that
//!   receives it. The frame that starts an open waits at most
//!   `Reliability::load_wait` (150 ms in the window), so small files open
//!   without a flicker and large ones show the "Opening …" overlay while
//!   the window keeps drawing.
//! - While a file loads, a modal overlay blocks edits to the current
//!   article (which stays open, and stays if the open fails or is
//!   cancelled).
//! - A pasted article is never written before the first save.

use super::MarginaliaApp;
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

/// The "paste the article text" dialog.
#[derive(Debug, Default, Clone)]
pub struct PasteDialog {
    /// The text pasted (or typed) so far.
    pub text: String,
    /// An error from the last "Create".
    pub error: Option<String>,
}

impl MarginaliaApp {
    /// True while a file is being opened in the background.
    pub fn is_loading(&self) -> bool {
        self.rel.loading.is_some()
    }

    /// Opens `path` (an article or a set) in the background.
    pub(super) fn start_open(&mut self, path: &Path, legacy: bool) {
        self.start_load(path, move |p| super::open_session(p, legacy));
    }

    /// Opens `article` with a set whose own article was missing.
    pub(super) fn start_open_with_set(
        &mut self,
        article: &Path,
        set_path: PathBuf,
        set: AnnotationSet,
    ) {
        let opts = crate::cli::open_options(self.legacy_encoding);
        self.start_load(article, move |p| {
            Session::open_with_set(p, set_path, set, &opts)
        });
    }

    fn start_load(&mut self, path: &Path, job: impl FnOnce(&Path) -> LoadResult + Send + 'static) {
        let (tx, rx) = mpsc::channel();
        let owned = path.to_owned();
        let delay = self.rel.load_delay;
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
            self.set_status(format!("Cannot open {}: {e}", path.display()), true);
            return;
        }
        let got = match self.rel.load_wait {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(wait) => rx.recv_timeout(wait),
        };
        match got {
            Ok(result) => self.finish_load(path, result),
            Err(RecvTimeoutError::Timeout) => {
                self.rel.loading = Some(Loading {
                    path: path.to_owned(),
                    started: Instant::now(),
                    rx,
                });
            }
            Err(RecvTimeoutError::Disconnected) => self.set_status(
                format!("Opening {} failed unexpectedly", path.display()),
                true,
            ),
        }
    }

    /// Installs a finished background open (called every frame).
    pub(super) fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some(l) = &self.rel.loading else { return };
        match l.rx.try_recv() {
            Ok(result) => {
                let path = l.path.clone();
                self.rel.loading = None;
                self.finish_load(&path, result);
                ctx.request_repaint();
            }
            Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(50)),
            Err(TryRecvError::Disconnected) => {
                let path = l.path.clone();
                self.rel.loading = None;
                self.set_status(
                    format!("Opening {} failed unexpectedly", path.display()),
                    true,
                );
            }
        }
    }

    /// Waits (tests) until a background open has finished and installs it.
    pub fn wait_for_loading(&mut self, ctx: &egui::Context, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        while self.rel.loading.is_some() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
            self.poll_loading(ctx);
        }
        self.rel.loading.is_none()
    }

    fn finish_load(&mut self, path: &Path, result: LoadResult) {
        match result {
            Ok((session, warnings)) => self.install_opened(path, session, warnings),
            Err(e) => self.open_failed(path, e),
        }
    }

    /// Opens the "paste the article text" dialog.
    pub(super) fn open_paste_dialog(&mut self) {
        self.rel.paste = Some(PasteDialog::default());
    }

    /// Creates a new article from the pasted text (saved in `saves/` on
    /// the first save).
    pub(super) fn create_from_paste(&mut self) {
        let Some(dialog) = &mut self.rel.paste else {
            return;
        };
        if self.session.as_ref().is_some_and(Session::is_dirty) {
            dialog.error = Some(
                "The current article has unsaved changes: save them first (Ctrl+S)".to_owned(),
            );
            return;
        }
        let dir = self.rel.saves_dir.clone();
        match Session::from_pasted(&dialog.text, &dir) {
            Ok(session) => {
                let path = session
                    .article_path
                    .clone()
                    .unwrap_or_else(|| dir.join("pasted.txt"));
                self.rel.paste = None;
                self.install_opened(&path, session, Vec::new());
                self.set_status(
                    format!(
                        "New article from pasted text; Ctrl+S saves it as {} with its annotations",
                        path.display()
                    ),
                    false,
                );
            }
            Err(e) => dialog.error = Some(e.to_string()),
        }
    }
}
