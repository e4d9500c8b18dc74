//! The eframe application: preferences, file dialogs, the open
//! [`Workspace`], the [`Modal`] that has the keyboard, a background open,
//! and the intents collected while drawing.
//!
//! The flow of one frame (see `ARCHITECTURE.md`):
//! 1. [`keyboard`] reads global shortcuts into intents (none while a modal
//!    or a background open has the keyboard);
//! 2. `ui::window::window_ui` draws every panel from a [`model::Window`];
//!    panels push intents, never edit;
//! 3. plain article keys become intents when nothing else has the keyboard;
//! 4. [`MarginaliaApp::apply`] hands each intent to the handler module of
//!    its group ([`document`], [`selection`], [`view`], [`modals`],
//!    [`files`]); document changes go through the workspace's commands,
//!    whose `Touched` updates derived state, caches and the journal in one
//!    place;
//! 5. the journal is flushed when due and a background open is polled.
//!
//! Invariants:
//! - Only preferences (theme, zoom, article font size, recent files, side
//!   panel layout, the last set's path, the export choice; window size by
//!   eframe) are stored in eframe's storage, never annotations.
//! - Nothing here panics on user input: failures become a status message
//!   or a notice, reported once, where they happen.

pub mod actions;
pub mod agreement;
pub mod article;
pub mod charts;
pub mod comparison;
pub mod corpus;
pub mod corpus_search;
pub mod derived;
pub mod dialogs;
mod document;
pub mod export;
mod files;
pub mod keyboard;
pub mod loading;
mod modals;
pub mod model;
pub mod segments;
mod selection;
mod view;
pub mod workspace;

use crate::core::session::{OpenError, Session};
use dialogs::{FileDialogs, RfdDialogs, ScriptedDialogs};
use model::{Intent, Modal, Prefs, Status, ViewState};
use std::path::{Path, PathBuf};
use std::time::Duration;
pub use workspace::Workspace;

const PREFS_KEY: &str = "marginalia.prefs";
const EXPORT_PREFS_KEY: &str = "marginalia.export_prefs";
/// Most recent files remembered.
const MAX_RECENT: usize = 10;

/// Settings of this run (not preferences): where files go, how opens wait.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Open files as Windows-1252 when they are not UTF-8 (command line).
    pub legacy_encoding: bool,
    /// Folder for journals whose set folder cannot be written.
    pub recovery_dir: PathBuf,
    /// Where pasted articles are saved (default `saves/`).
    pub saves_dir: PathBuf,
    /// How long an open may block the frame before the progress overlay
    /// shows; `None` blocks until done (tests, headless use).
    pub load_wait: Option<Duration>,
    /// Test hook: the background open sleeps this long first.
    pub load_delay: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            legacy_encoding: false,
            recovery_dir: recovery_dir(),
            saves_dir: crate::paths::saves_dir(),
            load_wait: None,
            load_delay: Duration::ZERO,
        }
    }
}

/// The window's own bookkeeping.
#[derive(Debug, Default)]
struct WindowState {
    allow_close: bool,
    /// A text field had the keyboard as the last frame ended (egui lets go
    /// of it on Esc before the next frame's code runs).
    text_field_had_keys: bool,
    last_title: String,
    theme_applied: Option<bool>,
    /// Scripts already named in the status bar as having no font.
    scripts_without_font: Vec<String>,
}

/// The application state.
pub struct MarginaliaApp {
    /// Preferences.
    pub prefs: Prefs,
    /// The status bar message.
    pub status: Status,
    /// Remembered export choices (a preference).
    pub export_prefs: export::ExportPrefs,
    settings: Settings,
    workspace: Option<Workspace>,
    corpus: Option<corpus::CorpusState>,
    modal: Option<Modal>,
    loading: Option<loading::Loading>,
    intents: Vec<Intent>,
    dialogs: Box<dyn FileDialogs>,
    window: WindowState,
    agreement: Option<agreement::AgreementView>,
    compare: Option<comparison::CompareView>,
    /// A corpus export running on a thread.
    export_run: Option<export::ExportRun>,
    /// Openings of the export dialog so far (see `ExportDialog::generation`).
    export_generation: u64,
}

/// The user's data folder for recovery journals whose set folder cannot be
/// written: `$XDG_DATA_HOME/marginalia/recovery`, else
/// `$HOME/.local/share/marginalia/recovery`, else a folder in the system's
/// temporary directory.
pub fn recovery_dir() -> PathBuf {
    let non_empty = |v: std::ffi::OsString| (!v.is_empty()).then(|| PathBuf::from(v));
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").and_then(non_empty) {
        return d.join("marginalia").join("recovery");
    }
    if let Some(h) = std::env::var_os("HOME").and_then(non_empty) {
        return h
            .join(".local")
            .join("share")
            .join("marginalia")
            .join("recovery");
    }
    std::env::temp_dir().join("marginalia-recovery")
}

/// Opens an article or set as the app does (default `saves/`; the default
/// article's new set goes to `saves/`).
pub fn open_session(path: &Path, legacy: bool) -> Result<(Session, Vec<String>), OpenError> {
    let (mut session, warnings) = Session::open(path, &crate::paths::open_options(legacy))?;
    let default = crate::paths::default_article();
    let is_default = path.canonicalize().ok() == default.canonicalize().ok();
    if is_default
        && let Some(sp) = &session.set_path
        && !sp.exists()
        && let Some(name) = sp.file_name()
    {
        session.set_path = Some(crate::paths::saves_dir().join(name));
    }
    Ok((session, warnings))
}

/// Opens the main window on `path` (the sample article by default);
/// returns the process exit code.
pub fn run_window(path: Option<PathBuf>, legacy_encoding: bool) -> i32 {
    let path = path.unwrap_or_else(crate::paths::default_article);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([480.0, 320.0])
            .with_app_id("marginalia")
            .with_title("Marginalia")
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Marginalia",
        options,
        Box::new(move |cc| {
            crate::ui::fonts::install_fonts(&cc.egui_ctx);
            let mut app = MarginaliaApp::empty();
            app.settings.legacy_encoding = legacy_encoding;
            // Opens show a progress overlay after 150 ms instead of blocking.
            app.settings.load_wait = Some(Duration::from_millis(150));
            app.dialogs = Box::new(RfdDialogs);
            if let Some(storage) = cc.storage {
                if let Some(p) = eframe::get_value::<Prefs>(storage, PREFS_KEY) {
                    app.prefs = p.clamped();
                }
                if let Some(p) = eframe::get_value(storage, EXPORT_PREFS_KEY) {
                    app.export_prefs = p;
                }
            }
            app.push(model::FileIntent::Open(path));
            // The coder's name is asked once, at the first start.
            if app.prefs.coder.is_none() && !app.prefs.coder_asked {
                app.push(model::ModalIntent::OpenCoderName);
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

/// Puts the intents that switch documents after the frame's others: a
/// field that the same click committed (its focus lost) lands in the
/// document it was typed in.
fn switching_last(intents: &mut [Intent]) {
    intents.sort_by_key(|i| {
        matches!(
            i,
            Intent::Corpus(model::CorpusIntent::Open(_) | model::CorpusIntent::Step(_))
                | Intent::Segments(
                    model::SegmentIntent::Open(_) | model::SegmentIntent::EnterPressed
                )
                | Intent::CorpusSearch(model::CorpusSearchIntent::Open(_))
        )
    });
}

/// A view state with nothing selected (what the accessors show when no
/// document is open).
static NO_VIEW: std::sync::LazyLock<ViewState> = std::sync::LazyLock::new(ViewState::default);

impl MarginaliaApp {
    /// An app showing `session` (no eframe needed: tests and benchmarks).
    /// File dialogs are scripted (never shown) until replaced.
    pub fn new_with_session(session: Session) -> Self {
        let mut app = MarginaliaApp::empty();
        app.install(session);
        app
    }

    /// An app with no article open.
    pub fn empty() -> Self {
        MarginaliaApp {
            prefs: Prefs::default(),
            status: Status::default(),
            export_prefs: Default::default(),
            settings: Settings::default(),
            workspace: None,
            corpus: None,
            modal: None,
            loading: None,
            intents: Vec::new(),
            dialogs: Box::new(ScriptedDialogs::default()),
            window: WindowState::default(),
            agreement: None,
            export_run: None,
            export_generation: 0,
            compare: None,
        }
    }

    /// Replaces the file dialogs (tests inject [`ScriptedDialogs`]).
    pub fn set_dialogs(&mut self, dialogs: Box<dyn FileDialogs>) {
        self.dialogs = dialogs;
    }

    /// This run's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Mutable settings (tests set the timing hooks and folders).
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// Uses `dir` for journals whose set folder cannot be written (tests,
    /// portable installs) and rebuilds the workspace so its journal and
    /// recovery look there.
    pub fn set_recovery_dir(&mut self, dir: &Path) {
        self.settings.recovery_dir = dir.to_owned();
        if let Some(w) = self.workspace.take() {
            self.modal = None;
            self.install(w.session);
        }
    }

    /// The open session.
    pub fn session(&self) -> Option<&Session> {
        self.workspace.as_ref().map(|w| &w.session)
    }

    /// The open workspace.
    pub fn workspace(&self) -> Option<&Workspace> {
        self.workspace.as_ref()
    }

    /// The open workspace, mutable (tests: flushing the journal).
    pub fn workspace_mut(&mut self) -> Option<&mut Workspace> {
        self.workspace.as_mut()
    }

    /// The comparison panel, when shown.
    pub fn comparison(&self) -> Option<&comparison::CompareView> {
        self.compare.as_ref()
    }

    /// The agreement window, when shown.
    pub fn agreement(&self) -> Option<&agreement::AgreementView> {
        self.agreement.as_ref()
    }

    /// The open corpus, when a folder is open.
    pub fn corpus(&self) -> Option<&corpus::CorpusState> {
        self.corpus.as_ref()
    }

    /// The open corpus, mutable (tests: reading every summary now).
    pub fn corpus_mut(&mut self) -> Option<&mut corpus::CorpusState> {
        self.corpus.as_mut()
    }

    /// The view state of the open document (empty when none is open).
    pub fn view(&self) -> &ViewState {
        self.workspace.as_ref().map_or(&NO_VIEW, |w| &w.view)
    }

    /// The article view's runtime state, when a document is open.
    pub fn article_view(&self) -> Option<&article::ArticleView> {
        self.workspace.as_ref().map(|w| &w.article)
    }

    /// The dialog that has the keyboard.
    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    /// True while a file is being opened in the background.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The window title for the current state.
    pub fn title(&self) -> String {
        match self.session() {
            Some(s) => format!(
                "{}{} — Marginalia",
                s.display_name(),
                if s.is_dirty() { "*" } else { "" }
            ),
            None => "Marginalia".to_owned(),
        }
    }

    /// True while the unsaved-changes question is shown.
    pub fn is_asking_to_save(&self) -> bool {
        matches!(self.modal, Some(Modal::UnsavedChanges(_)))
    }

    /// Queues an intent (applied at the end of the next [`Self::draw`]).
    pub fn push(&mut self, intent: impl Into<Intent>) {
        self.intents.push(intent.into());
    }

    /// The find bar of the open document.
    pub fn find(&self) -> Option<&model::FindState> {
        self.workspace.as_ref().map(|w| &w.panels.find)
    }

    /// The find bar, mutable (tests type a query directly).
    pub fn find_mut(&mut self) -> Option<&mut model::FindState> {
        self.workspace.as_mut().map(|w| &mut w.panels.find)
    }

    /// The tag popup, when it is the open modal.
    pub fn tag_popup(&self) -> Option<&model::TagPopupState> {
        match &self.modal {
            Some(Modal::TagPopup(p)) => Some(p),
            _ => None,
        }
    }

    /// The export dialog, when it is the open modal.
    pub fn export_dialog(&self) -> Option<&model::ExportDialog> {
        match &self.modal {
            Some(Modal::Export(d)) => Some(d),
            _ => None,
        }
    }

    /// The export dialog, mutable (tests type a destination).
    pub fn export_dialog_mut(&mut self) -> Option<&mut model::ExportDialog> {
        match &mut self.modal {
            Some(Modal::Export(d)) => Some(d),
            _ => None,
        }
    }

    /// The paste dialog, when it is the open modal.
    pub fn paste_dialog(&self) -> Option<&model::PasteDialog> {
        match &self.modal {
            Some(Modal::Paste(d)) => Some(d),
            _ => None,
        }
    }

    /// Draws the whole window into `ui` and applies the intents collected.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.apply_theme(&ctx) {
            return;
        }
        // A key a text field handles this frame (Enter committing a
        // rename, say) must not also act on the article once the field
        // lets go of the focus.
        let keyboard_was_taken = ctx.egui_wants_keyboard_input();
        let text_had_focus = ctx.text_edit_focused();
        let dirty = self.session().is_some_and(Session::is_dirty);
        keyboard::window_input(&ctx, dirty, &mut self.intents, self.window.allow_close);
        match &self.modal {
            Some(m) => {
                let in_text = text_had_focus || self.window.text_field_had_keys;
                keyboard::modal_keys(&ctx, m, in_text, &mut self.intents);
            }
            None if self.loading.is_none() => {
                keyboard::global_shortcuts(&ctx, &mut self.intents);
            }
            None => {}
        }
        if let Some(w) = &mut self.workspace
            && w.derived.tick(&w.session.set)
        {
            ctx.request_repaint();
        }
        let mut intents = std::mem::take(&mut self.intents);
        let nothing_else_has_keys = self.modal.is_none()
            && self.loading.is_none()
            && !keyboard_was_taken
            && self
                .workspace
                .as_ref()
                .is_some_and(|w| !w.panels.find.has_focus);
        let article_keys =
            nothing_else_has_keys && self.workspace.as_ref().is_some_and(|w| w.view.article_keys);
        crate::ui::window::window_ui(
            ui,
            model::Window {
                prefs: &self.prefs,
                status: &self.status,
                workspace: self.workspace.as_mut(),
                corpus: self.corpus.as_mut(),
                modal: self.modal.as_mut(),
                loading: self.loading.as_ref(),
                agreement: self.agreement.as_mut(),
                compare: self.compare.as_mut(),
                article_keys,
                intents: &mut intents,
            },
        );
        if article_keys && !ctx.egui_wants_keyboard_input() {
            let can_tag = self.workspace.as_ref().is_some_and(|w| {
                w.view.selection.is_some_and(|s| !s.is_empty()) || w.view.selected.is_some()
            });
            keyboard::article_keys(&ctx, can_tag, &mut intents);
        } else if nothing_else_has_keys
            && !ctx.egui_wants_keyboard_input()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            // The article's keys wait after a click left a text field: Esc
            // gives them back (as a click in the article does).
            intents.push(model::SelectionIntent::ClearOrCloseFind.into());
        }
        // A click that took the keyboard out of a text field onto another
        // control: stray typing must not run as article keys (a click in
        // the article turns them back on when its intent is applied).
        if text_had_focus
            && !ctx.egui_wants_keyboard_input()
            && ctx.input(|i| i.pointer.any_click())
            && let Some(w) = &mut self.workspace
        {
            w.view.article_keys = false;
        }
        let had_modal = self.modal.is_some();
        switching_last(&mut intents);
        for intent in intents {
            self.apply(&ctx, intent);
        }
        for intent in std::mem::take(&mut self.intents) {
            self.apply(&ctx, intent);
        }
        // A dialog that closed gives the keyboard back to the article.
        if had_modal
            && self.modal.is_none()
            && let Some(w) = &mut self.workspace
        {
            w.view.article_keys = true;
        }
        self.end_of_frame(&ctx);
        self.window.text_field_had_keys = ctx.text_edit_focused();
    }

    /// Applies the theme when it changed; true when this frame is to be
    /// discarded (the new theme's glyph atlas applies from the next pass).
    fn apply_theme(&mut self, ctx: &egui::Context) -> bool {
        if self.window.theme_applied == Some(self.prefs.dark) {
            return false;
        }
        let mut visuals = if self.prefs.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        };
        // One rasterisation per glyph instead of up to four (sub-pixel
        // positions): the first frame of an article costs a third less.
        visuals.text_options.subpixel_binning = false;
        ctx.set_visuals(visuals);
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        self.window.theme_applied = Some(self.prefs.dark);
        // Draw nothing now rather than lay out every text twice.
        ctx.request_discard("theme changed");
        ctx.will_discard()
    }

    /// Applies one intent: the only place intents are dispatched.
    pub fn apply(&mut self, ctx: &egui::Context, intent: Intent) {
        // While two codings are compared, N and P step through their
        // disagreements instead of the annotations.
        let intent = match intent {
            Intent::Selection(model::SelectionIntent::NextAnnotation(d))
                if self.compare.as_ref().is_some_and(|v| v.doc.is_some()) =>
            {
                model::CompareIntent::Step(d == crate::core::query::Direction::Forward).into()
            }
            other => other,
        };
        match intent {
            Intent::Document(i) => document::apply(self, i),
            Intent::Selection(i) => selection::apply(self, i),
            Intent::View(i) => view::apply(self, i),
            Intent::Modal(i) => modals::apply(self, ctx, i),
            Intent::Files(i) => files::apply(self, ctx, i),
            Intent::Corpus(i) => corpus::apply(self, i),
            Intent::Segments(i) => segments::apply(self, i),
            Intent::Charts(i) => charts::apply(self, i),
            Intent::CorpusSearch(i) => corpus_search::apply(self, i),
            Intent::Agreement(i) => agreement::apply(self, i),
            Intent::Compare(i) => comparison::apply(self, i),
        }
    }

    /// End of frame: poll a background open, flush the journal when due,
    /// keep the title current.
    fn end_of_frame(&mut self, ctx: &egui::Context) {
        loading::poll(self, ctx);
        corpus::poll(self, ctx);
        if agreement::poll(self) | export::poll(self) {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        comparison::refresh(self);
        if let Some(w) = &mut self.workspace {
            match w.flush_when_due(&self.settings.recovery_dir) {
                workspace::FlushOutcome::Done => {}
                workspace::FlushOutcome::Later(wait) => ctx.request_repaint_after(wait),
                workspace::FlushOutcome::Failed { error, report } => {
                    ctx.request_repaint_after(workspace::FLUSH_INTERVAL);
                    if report {
                        self.status = Status::error(format!(
                            "Autosave failed (will retry; save to be safe): {error}"
                        ));
                    }
                }
            }
        }
        self.name_scripts_without_font();
        let title = self.title();
        if title != self.window.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window.last_title = title;
        }
    }

    /// Names, once per session, each script the article view met that no
    /// bundled or system font covers (its text shows as boxes).
    fn name_scripts_without_font(&mut self) {
        let Some(w) = &mut self.workspace else {
            return;
        };
        let mut new = Vec::new();
        for c in w.article.take_missing() {
            let name = article::engine::script_name(c);
            if !self.window.scripts_without_font.contains(&name) && !new.contains(&name) {
                new.push(name);
            }
        }
        if !new.is_empty() {
            self.status = Status::info(format!(
                "No font for {} text here: it shows as boxes (install a font for it)",
                new.join(", ")
            ));
            self.window.scripts_without_font.extend(new);
        }
    }

    /// Flushes the journal now (tests; before a risky operation).
    pub fn flush_journal(&mut self) -> std::io::Result<()> {
        match &mut self.workspace {
            Some(w) => w.flush_journal(),
            None => Ok(()),
        }
    }

    /// Shows `session` in a new workspace (startup or open): its journal
    /// starts, a recovery left by a crash is offered, and a new article
    /// starts with the codebook of the last set used.
    fn install(&mut self, mut session: Session) {
        corpus::document_opened(self, &mut session);
        // Two codings compared: this document too (when curating, its
        // curated set opens instead).
        let mut session = comparison::on_install(self, session);
        // Blind coding: the other coders' annotations are kept aside.
        // Not in a curated set: every annotation there is the curator's.
        if let (Some(me), true, None) = (
            &self.prefs.coder,
            self.prefs.blind,
            comparison::curator(self),
        ) {
            session.code_blind(me);
        }
        let (mut w, recovery) = Workspace::new(session, &self.settings.recovery_dir);
        // The annotation filter and "show only" stay from one article to
        // the next (the filter is compiled against the new codebook).
        if let Some(old) = self.workspace.take() {
            w.view.filter = old.view.filter;
            w.view.show_only = old.view.show_only;
            w.panels.filter = old.panels.filter;
            w.filter_changed();
        }
        self.workspace = Some(w);
        self.modal = recovery.map(Modal::Recovery);
        // Not while a recovery waits: the step would reach the new journal
        // before the user chose what to do with the old one.
        if self.modal.is_none() {
            document::start_with_last_codebook(self);
        }
        files::remember_set(self);
    }

    fn remember_recent(&mut self, path: &Path) {
        let p = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.prefs.recent.retain(|r| r != &p);
        self.prefs.recent.insert(0, p);
        self.prefs.recent.truncate(MAX_RECENT);
    }
}

impl eframe::App for MarginaliaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    /// Only our preferences persist; egui's own memory (scroll offsets of
    /// the last article and such) must not leak into the next session.
    fn persist_egui_memory(&self) -> bool {
        false
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
        eframe::set_value(storage, EXPORT_PREFS_KEY, &self.export_prefs);
        // eframe loads its "egui" memory entry at start-up even when
        // `persist_egui_memory` is false; blank an entry left by an older
        // build so stale scroll offsets never come back.
        storage.set_string("egui", String::new());
    }
}
