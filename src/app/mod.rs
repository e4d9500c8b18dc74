//! The eframe application: owns the open [`Session`] and applies every user
//! intent in one place.
//!
//! Invariants:
//! - Drawing never edits the document: panels push [`Intent`]s, which
//!   [`MarginaliaApp::apply`] runs after drawing (egui_demo_app pattern), so
//!   undo, redo, the unsaved-changes flag and view invalidation are uniform.
//! - Every document change goes through `Session::execute/undo/redo` and
//!   bumps `doc_gen`, which view caches compare against.
//! - Only preferences (theme, zoom, article font size, recent files, side
//!   panel layout, the last set's path; window size by eframe)
//!   are stored in eframe's storage, never annotations.
//! - Nothing here panics on user input: failures become status messages.

pub mod actions;
pub mod dialogs;
pub mod export;
pub mod keyboard;
pub mod loading;
pub mod reliability;
pub mod workflow;

use crate::core::annotation::Annotation;
use crate::core::codebook::TagKind;
use crate::core::command::{Command, Touched};
use crate::core::session::{OpenError, Session};
use crate::core::text::Text;
use crate::ui;
use crate::ui::article_view::ArticleView;
use actions::Action;
use dialogs::{DialogResult, FileDialogs, RfdDialogs, ScriptedDialogs};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A text selection: `anchor` stays put, `head` moves (code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: usize,
    /// The moving end.
    pub head: usize,
}

impl Selection {
    /// The selected range, start ≤ end.
    pub fn range(self) -> (usize, usize) {
        (self.anchor.min(self.head), self.anchor.max(self.head))
    }

    /// True when nothing is selected.
    pub fn is_empty(self) -> bool {
        self.anchor == self.head
    }
}

/// Everything the user can ask for; collected while drawing, applied after.
// A handful of intents exist per frame: boxing the large variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// Run an action from the action list (menus, shortcuts).
    Action(Action),
    /// Open this article or set (asks first when there are unsaved changes).
    Open(PathBuf),
    /// Save the set where it belongs.
    Save,
    /// Save the set to this path.
    SaveAs(PathBuf),
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Run a core command.
    Execute(Command),
    /// Set the text selection.
    SetSelection {
        /// Fixed end.
        anchor: usize,
        /// Moving end.
        head: usize,
    },
    /// Clear the selection and the selected annotation.
    ClearSelection,
    /// Select an annotation (and its span); `true` also scrolls to it.
    SelectAnnotation(Option<String>, bool),
    /// Scroll the article to a code point.
    ScrollTo(usize),
    /// Open the tag popup for the selection.
    OpenTagPopup,
    /// Close the tag popup.
    CloseTagPopup,
    /// Apply a tag to the selection (creating it first when `create`).
    ApplyTag {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
        /// Create the tag in the same undo step.
        create: bool,
    },
    /// Apply the tag bound to a digit.
    ApplyDigit(u8),
    /// Open the find bar.
    OpenFind,
    /// Close the find bar (keeps the selection).
    CloseFind,
    /// Recompute the find matches for the current query.
    FindQueryChanged,
    /// Select the next (`true`) or previous match.
    FindNext(bool),
    /// Move the selection's head by a character or a word.
    ExtendSelection {
        /// Direction.
        forward: bool,
        /// By a word instead of a character.
        word: bool,
    },
    /// Answer of the unsaved-changes question.
    ResolvePending(PendingChoice),
    /// Close the typed-path dialog.
    CloseOpenFallback,
    /// Set a status message.
    Status(String, bool),
    /// Autosave/recovery, orphans, bad input, export, paste, loading.
    Rel(reliability::RelIntent),
    /// An intent of the analyst workflow (see [`workflow`]).
    Workflow(workflow::WorkflowIntent),
}

/// Answers to "save the changes first?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingChoice {
    /// Save, then continue.
    Save,
    /// Continue without saving.
    Discard,
    /// Do nothing.
    Cancel,
}

/// What waits for the unsaved-changes answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Opening another file.
    Open(PathBuf),
    /// Closing the window.
    Quit,
}

/// View state shared by the panels (read while drawing).
#[derive(Debug, Clone)]
pub struct ViewState {
    /// The text selection.
    pub selection: Option<Selection>,
    /// The selected annotation's id.
    pub selected: Option<String>,
    /// Article text zoom (1 = default).
    pub zoom: f32,
    /// Article font size at zoom 1 (points).
    pub font_size: f32,
    /// Find matches (code points), sorted.
    pub find_matches: Vec<(usize, usize)>,
    /// Index of the current match.
    pub find_current: Option<usize>,
    /// Where the cursor was last put (click or motion), for `O`.
    pub caret: Option<usize>,
    /// Which end of the selected annotation Shift+arrows move.
    pub adjust: keyboard::SpanEnd,
    /// The annotation filter (list and highlights).
    pub filter: crate::core::filter::AnnotationFilter,
    /// The filter compiled against the codebook, when it is active.
    pub filter_compiled: Option<crate::core::filter::CompiledFilter>,
    /// Dim every highlight the filter does not match.
    pub show_only: bool,
    /// The codebook tag N/P are restricted to.
    pub focused_tag: Option<(TagKind, String)>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            selection: None,
            selected: None,
            zoom: 1.0,
            font_size: DEFAULT_FONT_SIZE,
            find_matches: Vec::new(),
            find_current: None,
            caret: None,
            adjust: keyboard::SpanEnd::End,
            filter: Default::default(),
            filter_compiled: None,
            show_only: false,
            focused_tag: None,
        }
    }
}

/// A status bar message.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Shown in red.
    pub is_error: bool,
}

/// Preferences kept in eframe's storage (never user data: the last set
/// is kept as a path only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Dark theme.
    pub dark: bool,
    /// Article zoom.
    pub zoom: f32,
    /// Article font size at zoom 1 (points).
    pub font_size: f32,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The side panel is hidden.
    pub side_panel_hidden: bool,
    /// Width of the side panel (points).
    pub side_panel_width: f32,
    /// The annotation set used last (a new article starts with its
    /// codebook).
    pub last_set: Option<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            dark: false,
            zoom: 1.0,
            font_size: DEFAULT_FONT_SIZE,
            recent: Vec::new(),
            side_panel_hidden: false,
            side_panel_width: 360.0,
            last_set: None,
        }
    }
}

const PREFS_KEY: &str = "marginalia.prefs";
/// The article's font size unless changed (points).
pub const DEFAULT_FONT_SIZE: f32 = 15.0;
/// Smallest article font size offered.
pub const MIN_FONT_SIZE: f32 = 9.0;
/// Largest article font size offered.
pub const MAX_FONT_SIZE: f32 = 32.0;
const MAX_RECENT: usize = 10;

/// The application state.
pub struct MarginaliaApp {
    session: Option<Session>,
    legacy_encoding: bool,
    /// View state (selection, zoom, find matches).
    pub view: ViewState,
    article: ArticleView,
    /// Find bar state.
    pub find: ui::find_bar::FindState,
    /// The tag popup, when open.
    pub popup: Option<ui::tag_popup::TagPopupState>,
    codebook_ui: ui::codebook_panel::CodebookPanelState,
    list_ui: ui::annotation_list::AnnotationListState,
    /// The status bar message.
    pub status: Status,
    /// Preferences.
    pub prefs: Prefs,
    dialogs: Box<dyn FileDialogs>,
    pending: Option<Pending>,
    open_fallback: Option<ui::menu_bar::OpenFallback>,
    allow_close: bool,
    last_title: String,
    theme_applied: Option<bool>,
    doc_gen: u64,
    wf: workflow::WorkflowState,
    rel: reliability::Reliability,
    intents: Vec<Intent>,
}

/// Opens an article or set as the app does (default `saves/`; the default
/// article's new set goes to `saves/`).
pub fn open_session(path: &Path, legacy: bool) -> Result<(Session, Vec<String>), OpenError> {
    let (mut session, warnings) = Session::open(path, &crate::cli::open_options(legacy))?;
    let is_default = path.canonicalize().ok() == crate::cli::default_article().canonicalize().ok();
    if is_default
        && let Some(sp) = &session.set_path
        && !sp.exists()
        && let Some(name) = sp.file_name()
    {
        session.set_path = Some(crate::cli::saves_dir().join(name));
    }
    Ok((session, warnings))
}

/// Opens the main window; returns the process exit code.
pub fn run_window(path: Option<PathBuf>, legacy_encoding: bool) -> i32 {
    let path = path.unwrap_or_else(crate::cli::default_article);
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
            ui::fonts::install_fonts(&cc.egui_ctx);
            // The article opens on a background thread like every later
            // open, so a large file shows the progress overlay instead of
            // delaying the window.
            let mut app = MarginaliaApp::empty();
            app.legacy_encoding = legacy_encoding;
            app.dialogs = Box::new(RfdDialogs);
            app.rel.setup_for_window(cc.storage);
            if let Some(storage) = cc.storage
                && let Some(p) = eframe::get_value::<Prefs>(storage, PREFS_KEY)
            {
                app.view.zoom = p.zoom.clamp(0.4, 4.0);
                app.view.font_size = p.font_size.clamp(MIN_FONT_SIZE, MAX_FONT_SIZE);
                app.prefs = p;
            }
            app.push(Intent::Open(path));
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

impl MarginaliaApp {
    /// An app showing `session` (no eframe needed: tests and benchmarks).
    /// File dialogs are scripted (never shown) until replaced.
    pub fn new_with_session(session: Session) -> Self {
        let mut app = MarginaliaApp::empty();
        app.article = ArticleView::new(&session.text);
        app.session = Some(session);
        app.session_installed();
        app
    }

    /// An app with no article open.
    pub fn empty() -> Self {
        MarginaliaApp {
            session: None,
            legacy_encoding: false,
            view: ViewState::default(),
            article: ArticleView::new(&Text::new(String::new())),
            find: Default::default(),
            popup: None,
            codebook_ui: Default::default(),
            list_ui: Default::default(),
            status: Status::default(),
            prefs: Prefs::default(),
            dialogs: Box::new(ScriptedDialogs::default()),
            pending: None,
            open_fallback: None,
            allow_close: false,
            last_title: String::new(),
            theme_applied: None,
            doc_gen: 0,
            wf: Default::default(),
            rel: Default::default(),
            intents: Vec::new(),
        }
    }

    /// Replaces the file dialogs (tests inject [`ScriptedDialogs`]).
    pub fn set_dialogs(&mut self, dialogs: Box<dyn FileDialogs>) {
        self.dialogs = dialogs;
    }

    /// The open session.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The article view's runtime state.
    pub fn article_view(&self) -> &ArticleView {
        &self.article
    }

    /// The window title for the current state.
    pub fn title(&self) -> String {
        match &self.session {
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
        self.pending.is_some()
    }

    /// Queues an intent (applied at the end of the next [`Self::draw`]).
    pub fn push(&mut self, intent: Intent) {
        self.intents.push(intent);
    }

    /// Draws the whole window into `ui` and applies the intents collected.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.theme_applied != Some(self.prefs.dark) {
            let mut visuals = if self.prefs.dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            };
            // One rasterisation per glyph instead of up to four (sub-pixel
            // positions): the first frame of an article costs a third less,
            // and the text is sharper (egui's own note on the option).
            visuals.text_options.subpixel_binning = false;
            ctx.set_visuals(visuals);
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            self.theme_applied = Some(self.prefs.dark);
            // The theme's text options (and so the glyph atlas) apply from
            // the next pass: draw nothing now rather than lay out every
            // text twice, once against an atlas about to be dropped.
            ctx.request_discard("theme changed");
            if ctx.will_discard() {
                return;
            }
        }
        // A key that a text field handles this frame (Enter committing a
        // rename, say) must not also act on the article once the field
        // lets go of the focus: plain article keys only count when no
        // widget held the keyboard as the frame began.
        let keyboard_was_taken = ctx.egui_wants_keyboard_input();
        self.handle_window_input(&ctx);
        self.handle_shortcuts(&ctx);

        let mut intents = std::mem::take(&mut self.intents);
        ui::menu_bar::menu_bar_ui(ui, self.session.as_ref(), &self.prefs, &mut intents);
        ui::status_bar::status_bar_ui(
            ui,
            self.session.as_ref(),
            &self.view,
            &self.status,
            &mut intents,
        );
        self.reliability_ui(ui, &mut intents);
        if let Some(session) = &self.session {
            let side = (!self.prefs.side_panel_hidden).then(|| {
                egui::Panel::right("side_panel")
                    .resizable(true)
                    .default_size(self.prefs.side_panel_width.clamp(200.0, 900.0))
                    .show(ui, |ui| {
                        ui::metadata_panel::metadata_panel_ui(
                            ui,
                            session,
                            self.doc_gen,
                            &mut self.wf.metadata,
                            &mut intents,
                        );
                        ui::codebook_panel::codebook_panel_ui(
                            ui,
                            session,
                            self.doc_gen,
                            &mut self.codebook_ui,
                            self.view.focused_tag.as_ref(),
                            &mut intents,
                        );
                        ui.separator();
                        ui::filter_bar::filter_bar_ui(
                            ui,
                            session,
                            &mut self.wf.filter,
                            &mut intents,
                        );
                        ui::annotation_list::annotation_list_ui(
                            ui,
                            session,
                            &self.view,
                            self.doc_gen,
                            &mut self.list_ui,
                            &mut intents,
                        );
                    })
            });
            if let Some(r) = side {
                self.prefs.side_panel_width = r.response.rect.width();
            }
            if self.find.open {
                egui::Panel::top("find_bar").show(ui, |ui| {
                    ui::find_bar::find_bar_ui(ui, &mut self.find, &self.view, &mut intents);
                });
            }
            egui::CentralPanel::default().show(ui, |ui| {
                if let Some(why) = &session.protected {
                    ui::status_bar::warning_banner_ui(
                        ui,
                        &format!(
                            "The annotation set could not be read safely and will not be overwritten: {why}. Use File › Save as…"
                        ),
                    );
                }
                ui::article_view::article_view_ui(
                    ui,
                    session,
                    &self.view,
                    self.doc_gen,
                    &mut self.article,
                    &mut intents,
                );
            });
            if let Some(popup) = &mut self.popup {
                ui::tag_popup::tag_popup_ui(
                    &ctx,
                    session,
                    popup,
                    self.article.selection_anchor,
                    &mut intents,
                );
            }
            if let Some(p) = &mut self.wf.palette {
                ui::palette::palette_ui(&ctx, p, &mut intents);
            }
            if let Some(t) = &mut self.wf.tag_all {
                ui::tag_all::tag_all_ui(&ctx, session, t, &mut intents);
            }
            if let Some(c) = &mut self.wf.codebook_path {
                ui::palette::codebook_path_ui(&ctx, c, &mut intents);
            }
            if self.popup.is_none()
                && !keyboard_was_taken
                && !self.find.has_focus
                && self.pending.is_none()
                && !self.workflow_overlay_open()
                && !self.has_open_dialog()
            {
                self.handle_article_keys(&ctx, &mut intents);
            }
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.heading("No article open");
                    ui.label("Drop a .txt file here, or use File › Open article… (Ctrl+O).");
                });
            });
        }
        if let Some(fallback) = &mut self.open_fallback {
            ui::menu_bar::open_fallback_ui(&ctx, fallback, &self.prefs.recent, &mut intents);
        }
        if let Some(pending) = &self.pending {
            ui::menu_bar::unsaved_changes_ui(&ctx, pending, &mut intents);
        }
        for intent in intents {
            self.apply(&ctx, intent);
        }
        let leftover = std::mem::take(&mut self.intents);
        for intent in leftover {
            self.apply(&ctx, intent);
        }
        self.reliability_tick(&ctx);
        let title = self.title();
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }

    /// Dropped files and close requests.
    fn handle_window_input(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.intents.push(Intent::Open(p));
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.session.as_ref().is_some_and(Session::is_dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
    }

    /// Global (modifier) shortcuts from the action list.
    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        if self.pending.is_some() {
            return;
        }
        let in_text = ctx.egui_wants_keyboard_input();
        let fired: Vec<Action> = ctx.input_mut(|i| {
            actions::shortcut_order()
                .into_iter()
                .filter(|(a, _)| !in_text || a.works_in_text_fields())
                .filter(|(_, s)| i.consume_shortcut(s))
                .map(|(a, _)| a)
                .collect()
        });
        for a in fired {
            self.intents.push(Intent::Action(a));
        }
    }

    /// Plain keys over the article (no text field focused, no popup):
    /// the non-global actions of the action list ([`keyboard`]).
    fn handle_article_keys(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let can_tag =
            self.view.selection.is_some_and(|s| !s.is_empty()) || self.view.selected.is_some();
        intents.extend(keyboard::article_key_intents(ctx, can_tag));
    }

    fn set_status(&mut self, text: impl Into<String>, is_error: bool) {
        self.status = Status {
            text: text.into(),
            is_error,
        };
    }

    fn remember_recent(&mut self, path: &Path) {
        let p = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.prefs.recent.retain(|r| r != &p);
        self.prefs.recent.insert(0, p);
        self.prefs.recent.truncate(MAX_RECENT);
    }

    fn changed(&mut self, touched: &Touched) {
        self.doc_gen += 1;
        self.article.invalidate(touched);
        self.journal_record(touched);
        self.after_change();
        // Drop a selected annotation that no longer exists.
        if let (Some(id), Some(s)) = (&self.view.selected, &self.session)
            && s.set.get(id).is_none()
        {
            self.view.selected = None;
        }
    }

    /// Applies one intent: the only place that changes the session.
    pub fn apply(&mut self, ctx: &egui::Context, intent: Intent) {
        match intent {
            Intent::Action(a) => self.run_action(ctx, a),
            Intent::Open(path) => {
                if self.session.as_ref().is_some_and(Session::is_dirty) {
                    self.pending = Some(Pending::Open(path));
                } else {
                    self.open_now(&path);
                }
            }
            Intent::Save => self.save(),
            Intent::SaveAs(path) => self.save_as(&path),
            Intent::Undo => {
                let Some(s) = &mut self.session else { return };
                let label = s.history().undo_label().map(str::to_owned);
                match s.undo() {
                    Some(t) => {
                        self.changed(&t);
                        self.set_status(format!("Undid {}", label.unwrap_or_default()), false);
                    }
                    None => self.set_status("Nothing to undo", false),
                }
            }
            Intent::Redo => {
                let Some(s) = &mut self.session else { return };
                let label = s.history().redo_label().map(str::to_owned);
                match s.redo() {
                    Some(t) => {
                        self.changed(&t);
                        self.set_status(format!("Redid {}", label.unwrap_or_default()), false);
                    }
                    None => self.set_status("Nothing to redo", false),
                }
            }
            Intent::Execute(cmd) => {
                self.execute(cmd);
            }
            Intent::SetSelection { anchor, head } => {
                let len = self.session.as_ref().map_or(0, |s| s.text.len_chars());
                self.view.selection = Some(Selection {
                    anchor: anchor.min(len),
                    head: head.min(len),
                });
                self.view.caret = Some(head.min(len));
                self.view.selected = None;
            }
            Intent::ClearSelection => {
                self.view.selection = None;
                self.view.selected = None;
            }
            Intent::SelectAnnotation(id, scroll) => {
                let span = id
                    .as_deref()
                    .and_then(|id| self.session.as_ref()?.set.get(id))
                    .map(|a| (a.start, a.end));
                match span {
                    Some((s, e)) => {
                        self.view.selection = Some(Selection { anchor: s, head: e });
                        self.view.selected = id;
                        self.list_ui.scroll_to_selected = !scroll;
                        if scroll {
                            self.article.scroll_to(s);
                        }
                    }
                    None => self.view.selected = None,
                }
            }
            Intent::ScrollTo(cp) => self.article.scroll_to(cp),
            Intent::OpenTagPopup => {
                if self.session.is_none() {
                    return;
                }
                let has = self.view.selection.is_some_and(|s| !s.is_empty())
                    || self.view.selected.is_some();
                if has {
                    self.popup = Some(ui::tag_popup::TagPopupState::default());
                } else {
                    self.set_status("Select some text first (drag, double-click or find)", false);
                }
            }
            Intent::CloseTagPopup => self.popup = None,
            Intent::ApplyTag { kind, name, create } => {
                self.popup = None;
                self.apply_tag(kind, &name, create);
            }
            Intent::ApplyDigit(d) => {
                let tag = self
                    .session
                    .as_ref()
                    .and_then(|s| s.set.codebook.by_digit(d))
                    .map(|t| (t.kind, t.name.clone()));
                match tag {
                    Some((kind, name)) => self.apply_tag(kind, &name, false),
                    None => self.set_status(format!("No tag is bound to {d}"), false),
                }
            }
            Intent::OpenFind => {
                self.find.open = true;
                self.find.request_focus = true;
            }
            Intent::CloseFind => {
                self.find.open = false;
                self.find.has_focus = false;
                self.view.find_matches.clear();
                self.view.find_current = None;
            }
            Intent::FindQueryChanged => self.update_find(),
            Intent::FindNext(forward) => self.find_next(forward),
            Intent::ExtendSelection { forward, word } => {
                let Some(s) = &self.session else { return };
                let len = s.text.len_chars();
                let sel = self
                    .view
                    .selection
                    .unwrap_or(Selection { anchor: 0, head: 0 });
                let head = if word {
                    if forward {
                        crate::core::words::next_word_boundary(&s.text, sel.head)
                    } else {
                        crate::core::words::prev_word_boundary(&s.text, sel.head)
                    }
                } else if forward {
                    (sel.head + 1).min(len)
                } else {
                    sel.head.saturating_sub(1)
                };
                self.view.selection = Some(Selection {
                    anchor: sel.anchor,
                    head,
                });
                self.view.selected = None;
            }
            Intent::ResolvePending(choice) => self.resolve_pending(ctx, choice),
            Intent::CloseOpenFallback => self.open_fallback = None,
            Intent::Status(text, err) => self.set_status(text, err),
            Intent::Rel(i) => self.apply_rel(ctx, i),
            Intent::Workflow(w) => self.apply_workflow(ctx, w),
        }
    }

    fn run_action(&mut self, ctx: &egui::Context, a: Action) {
        match a {
            Action::Open => {
                let start = self
                    .session
                    .as_ref()
                    .and_then(|s| s.article_path.as_ref())
                    .and_then(|p| p.parent().map(Path::to_owned));
                match self.dialogs.pick_open(start.as_deref()) {
                    DialogResult::Picked(p) => self.apply(ctx, Intent::Open(p)),
                    DialogResult::Cancelled => {}
                    DialogResult::Unavailable => {
                        self.open_fallback = Some(ui::menu_bar::OpenFallback::new(false))
                    }
                }
            }
            Action::Save => self.save(),
            Action::SaveAs => self.save_as_dialog(),
            Action::Export => self.open_export_dialog(),
            Action::NewFromClipboard => self.open_paste_dialog(),
            Action::Quit => {
                if self.session.as_ref().is_some_and(Session::is_dirty) {
                    self.pending = Some(Pending::Quit);
                } else {
                    self.allow_close = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Action::Undo => self.apply(ctx, Intent::Undo),
            Action::Redo => self.apply(ctx, Intent::Redo),
            Action::Find => self.apply(ctx, Intent::OpenFind),
            Action::TagSelection => self.apply(ctx, Intent::OpenTagPopup),
            Action::DeleteAnnotation => {
                let id = self.view.selected.clone().or_else(|| {
                    let s = self.session.as_ref()?;
                    let (a, b) = self.view.selection?.range();
                    exact_annotation(s, a, b)
                });
                match id {
                    Some(id) => {
                        if self.execute(Command::DeleteAnnotation { id }) {
                            self.view.selected = None;
                        }
                    }
                    None => self.set_status("No annotation selected", false),
                }
            }
            Action::ZoomIn => self.set_zoom(self.view.zoom * 1.1),
            Action::ZoomOut => self.set_zoom(self.view.zoom / 1.1),
            Action::ZoomReset => self.set_zoom(1.0),
            Action::TextLarger => self.set_font_size(self.prefs.font_size + 1.0),
            Action::TextSmaller => self.set_font_size(self.prefs.font_size - 1.0),
            Action::ToggleTheme => {
                self.prefs.dark = !self.prefs.dark;
            }
            other => self.run_workflow_action(ctx, other),
        }
    }

    fn set_zoom(&mut self, z: f32) {
        self.view.zoom = z.clamp(0.4, 4.0);
        self.prefs.zoom = self.view.zoom;
    }

    fn set_font_size(&mut self, pt: f32) {
        self.prefs.font_size = pt.round().clamp(MIN_FONT_SIZE, MAX_FONT_SIZE);
        self.view.font_size = self.prefs.font_size;
        self.set_status(format!("Article text: {} pt", self.prefs.font_size), false);
    }

    /// Runs a command; reports failures in the status bar. True on success.
    fn execute(&mut self, cmd: Command) -> bool {
        self.execute_in(cmd, None)
    }

    /// Executes `cmd`; with a merge group, consecutive commands of that
    /// group undo as one step (see `Session::execute_merged`).
    fn execute_in(&mut self, cmd: Command, group: Option<&str>) -> bool {
        let Some(s) = &mut self.session else {
            return false;
        };
        let label = cmd.label();
        let result = match group {
            Some(g) => s.execute_merged(cmd, g),
            None => s.execute(cmd),
        };
        match result {
            Ok(t) => {
                self.changed(&t);
                self.set_status(label, false);
                true
            }
            Err(crate::core::command::CommandError::NoChange) => false,
            Err(e) => {
                self.set_status(format!("Cannot {label}: {e}"), true);
                false
            }
        }
    }

    fn apply_tag(&mut self, kind: TagKind, name: &str, create: bool) {
        let Some(s) = &self.session else { return };
        let name = name.trim();
        if name.is_empty() {
            self.set_status("A tag needs a name", true);
            return;
        }
        let range = self
            .view
            .selection
            .map(Selection::range)
            .filter(|(a, b)| b > a);
        let target = self
            .view
            .selected
            .clone()
            .filter(|id| {
                s.set
                    .get(id)
                    .is_some_and(|a| range.is_none_or(|r| r == (a.start, a.end)))
            })
            .or_else(|| range.and_then(|(a, b)| exact_annotation(s, a, b)));
        let mut commands = Vec::new();
        if create && s.set.codebook.get(kind, name).is_none() {
            commands.push(Command::CreateTag(s.set.codebook.new_tag(kind, name)));
        }
        let id = match target {
            Some(id) => {
                commands.push(Command::TagAnnotation {
                    id: id.clone(),
                    kind,
                    name: name.to_owned(),
                });
                id
            }
            None => {
                let Some((a, b)) = range else {
                    self.set_status("Select some text first", false);
                    return;
                };
                let id = s.set.fresh_id();
                let now = crate::core::time::now_rfc3339();
                let mut ann = Annotation::new(id.clone(), &s.text, a, b, &now);
                ann.add_tag(kind, name);
                commands.push(Command::AddAnnotation(ann));
                id
            }
        };
        let label = format!("tag “{name}”");
        if self.execute(Command::Batch { label, commands }) {
            self.view.selected = Some(id);
            self.list_ui.scroll_to_selected = true;
        }
    }

    fn open_now(&mut self, path: &Path) {
        self.start_open(path, self.legacy_encoding);
    }

    /// Shows a session that finished opening (see [`loading`]); a failed
    /// open goes to `open_failed` instead and keeps the current article.
    fn install_opened(&mut self, path: &Path, session: Session, warnings: Vec<String>) {
        self.article = ArticleView::new(&session.text);
        self.session = Some(session);
        self.view.selection = None;
        self.view.selected = None;
        self.popup = None;
        self.find.reset();
        self.view.find_matches.clear();
        self.view.find_current = None;
        self.doc_gen += 1;
        self.open_fallback = None;
        self.remember_recent(path);
        self.after_open();
        if warnings.is_empty() {
            self.set_status(format!("Opened {}", path.display()), false);
        } else {
            self.set_status(warnings.join("; "), true);
        }
        self.session_installed();
    }

    fn save(&mut self) {
        let Some(s) = &mut self.session else { return };
        if s.set_path.is_none() {
            self.save_as_dialog();
            return;
        }
        match s.save() {
            Ok(p) => {
                self.set_status(format!("Saved {}", p.display()), false);
                self.remember_set();
                self.after_saved();
            }
            Err(e) => self.save_failed(&e),
        }
    }

    fn save_as_dialog(&mut self) {
        let suggested = self.session.as_ref().and_then(|s| s.set_path.clone());
        match self.dialogs.pick_save(suggested.as_deref()) {
            DialogResult::Picked(p) => self.save_as(&p),
            DialogResult::Cancelled => {}
            DialogResult::Unavailable => {
                let mut f = ui::menu_bar::OpenFallback::new(true);
                if let Some(p) = suggested {
                    f.path = p.display().to_string();
                }
                self.open_fallback = Some(f);
            }
        }
    }

    fn save_as(&mut self, path: &Path) {
        let Some(s) = &mut self.session else { return };
        match s.save_as(path) {
            Ok(()) => {
                self.open_fallback = None;
                self.set_status(format!("Saved {}", path.display()), false);
                self.after_saved_as(path);
            }
            Err(e) => self.save_failed(&e),
        }
    }

    fn resolve_pending(&mut self, ctx: &egui::Context, choice: PendingChoice) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        match choice {
            PendingChoice::Cancel => {}
            PendingChoice::Save => {
                self.save();
                if self.session.as_ref().is_some_and(Session::is_dirty) {
                    return; // saving failed: the message says why; stay.
                }
                self.continue_pending(ctx, pending);
            }
            PendingChoice::Discard => {
                self.journal_discard_by_user();
                self.continue_pending(ctx, pending);
            }
        }
    }

    fn continue_pending(&mut self, ctx: &egui::Context, pending: Pending) {
        match pending {
            Pending::Open(p) => self.open_now(&p),
            Pending::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn update_find(&mut self) {
        let Some(s) = &self.session else { return };
        let matches = self.find.search(s);
        self.view.find_matches = matches;
        self.view.find_current = None;
    }

    fn find_next(&mut self, forward: bool) {
        if self.view.find_matches.is_empty() {
            self.update_find();
        }
        let m = &self.view.find_matches;
        if m.is_empty() {
            self.set_status("No match", false);
            return;
        }
        let n = m.len();
        let idx = match self.view.find_current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => {
                let from = self.view.selection.map_or(0, |s| s.range().0);
                let i = m.partition_point(|x| x.0 < from);
                if forward { i % n } else { (i + n - 1) % n }
            }
        };
        let (a, b) = m[idx];
        self.view.find_current = Some(idx);
        self.view.selection = Some(Selection { anchor: a, head: b });
        self.view.selected = None;
        self.article.scroll_to(a);
    }
}

/// The id of an annotation spanning exactly `start..end`.
fn exact_annotation(s: &Session, start: usize, end: usize) -> Option<String> {
    let lo = s.set.annotations.partition_point(|a| a.start < start);
    s.set.annotations[lo..]
        .iter()
        .take_while(|a| a.start == start)
        .find(|a| a.end == end)
        .map(|a| a.id.clone())
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
        self.rel.save_prefs(storage);
        // eframe loads its "egui" memory entry at start-up even when
        // `persist_egui_memory` is false; blank an entry left by an older
        // build so stale scroll offsets never come back.
        storage.set_string("egui", String::new());
    }
}
