//! The analyst workflow of issue 6, applied by [`MarginaliaApp::apply`]:
//! keyboard motions and annotation adjustments, stance, next/previous and
//! overlapping annotations, the command palette, tag-all, filters, the
//! codebook files and "a new article starts with the last codebook".
//!
//! Invariants:
//! - Like every intent, these run after drawing; document changes go
//!   through `MarginaliaApp::execute` (one `Command` each, so one undo step
//!   each: a whole tag-all is one `Batch`, a loaded codebook one
//!   `SetCodebook`).
//! - A new article (its set file does not exist yet, no tags, no
//!   annotations) gets the codebook of the last set used (its path is a
//!   preference, [`super::Prefs::last_set`]; the codebook itself is read
//!   from that set file, never stored in preferences) as one `SetCodebook`
//!   step, so Undo removes it.
//! - The compiled filter in [`super::ViewState::filter_compiled`] is
//!   rebuilt whenever the filter or the document changes.

use super::actions::Action;
use super::dialogs::DialogResult;
use super::keyboard::{self, SpanEnd};
use super::{Intent, MarginaliaApp, Selection};
use crate::core::annotation::Stance;
use crate::core::codebook::TagKind;
use crate::core::codebook_file;
use crate::core::command::Command;
use crate::core::filter::AnnotationFilter;
use crate::core::tag_all::{TagAllReview, tag_all_command};
use crate::ui;
use std::path::{Path, PathBuf};

/// Intents of the analyst workflow (wrapped in [`Intent::Workflow`]).
#[derive(Debug, Clone, PartialEq)]
pub enum WorkflowIntent {
    /// Replace the annotation filter and the "show only" mode.
    SetFilter {
        /// The filter.
        filter: AnnotationFilter,
        /// Dim every highlight the filter does not match.
        show_only: bool,
    },
    /// Focus a codebook tag (N/P then visit only its annotations).
    FocusTag(Option<(TagKind, String)>),
    /// Put the cursor (caret) here without changing the selection.
    SetCaret(usize),
    /// Choose which end Shift+arrows move.
    SetAdjustEnd(SpanEnd),
    /// Close the command palette.
    ClosePalette,
    /// Close the tag-all review.
    CloseTagAll,
    /// Tag every accepted match of the review (one undoable step).
    ApplyTagAll {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name (created when new).
        name: String,
    },
    /// Load a codebook file (or a set's codebook), merging by name.
    LoadCodebook(PathBuf),
    /// Save the codebook to a file.
    SaveCodebook(PathBuf),
    /// Close the typed-path dialog for codebook files.
    CloseCodebookPath,
}

/// The workflow's runtime state kept by the app.
#[derive(Default)]
pub struct WorkflowState {
    /// The command palette, when open.
    pub palette: Option<ui::palette::PaletteState>,
    /// The tag-all review, when open.
    pub tag_all: Option<ui::tag_all::TagAllState>,
    /// The metadata panel's buffers.
    pub metadata: ui::metadata_panel::MetadataPanelState,
    /// The filter bar's buffers.
    pub filter: ui::filter_bar::FilterBarState,
    /// A typed-path dialog for codebook files: `true` for save.
    pub codebook_path: Option<(bool, String)>,
}

/// Reads the codebook of an annotation set or of a `*.codebook.ron` file.
fn read_codebook(path: &Path) -> Result<crate::core::codebook::Codebook, String> {
    let name = path.to_string_lossy();
    if name.ends_with(codebook_file::EXTENSION) || !crate::core::store::is_set_path(path) {
        codebook_file::load(path).map_err(|e| e.to_string())
    } else {
        crate::core::store::load(path)
            .map(|s| s.codebook)
            .map_err(|e| e.to_string())
    }
}

impl MarginaliaApp {
    /// True while a workflow overlay (palette, tag-all review, codebook
    /// path dialog) owns the keyboard.
    pub fn workflow_overlay_open(&self) -> bool {
        self.wf.palette.is_some() || self.wf.tag_all.is_some() || self.wf.codebook_path.is_some()
    }

    /// Applies a workflow intent.
    pub(super) fn apply_workflow(&mut self, ctx: &egui::Context, w: WorkflowIntent) {
        let _ = ctx;
        match w {
            WorkflowIntent::SetFilter { filter, show_only } => {
                self.view.filter = filter;
                self.view.show_only = show_only;
                self.recompile_filter();
                self.article.invalidate_all();
            }
            WorkflowIntent::FocusTag(t) => {
                if let Some((k, n)) = &t {
                    self.set_status(
                        format!("Focused {k} “{n}”: N / P visit its annotations"),
                        false,
                    );
                }
                self.view.focused_tag = t;
            }
            WorkflowIntent::SetCaret(cp) => self.view.caret = Some(cp),
            WorkflowIntent::SetAdjustEnd(e) => self.view.adjust = e,
            WorkflowIntent::ClosePalette => self.wf.palette = None,
            WorkflowIntent::CloseCodebookPath => self.wf.codebook_path = None,
            WorkflowIntent::CloseTagAll => self.wf.tag_all = None,
            WorkflowIntent::ApplyTagAll { kind, name } => self.apply_tag_all(kind, &name),
            WorkflowIntent::LoadCodebook(p) => self.load_codebook(&p),
            WorkflowIntent::SaveCodebook(p) => {
                let Some(s) = &self.session else { return };
                match codebook_file::save(&p, &s.set.codebook) {
                    Ok(()) => {
                        self.wf.codebook_path = None;
                        self.set_status(format!("Saved codebook {}", p.display()), false)
                    }
                    Err(e) => self.set_status(format!("Codebook not saved: {e}"), true),
                }
            }
        }
    }

    /// Runs the actions added by the workflow (the others are in
    /// `run_action`).
    pub(super) fn run_workflow_action(&mut self, ctx: &egui::Context, a: Action) {
        if a.needs_session() && self.session.is_none() {
            return;
        }
        if keyboard::is_motion(a) {
            self.motion(a);
            return;
        }
        if matches!(a, Action::PageUp | Action::PageDown) {
            self.article.page(a == Action::PageDown);
            return;
        }
        match a {
            Action::CommandPalette => {
                self.wf.palette = Some(ui::palette::PaletteState::default());
            }
            Action::ApplyDigit => self.apply(ctx, Intent::OpenTagPopup),
            Action::EditNote => match self.selected_or_exact() {
                Some(id) => {
                    self.apply(ctx, Intent::SelectAnnotation(Some(id), false));
                    self.prefs.side_panel_hidden = false;
                    self.list_ui.focus_note = true;
                }
                None => self.set_status("Select an annotation to edit its note", false),
            },
            Action::CycleStance => match self.selected_or_exact() {
                Some(id) => {
                    let cur = self
                        .session
                        .as_ref()
                        .and_then(|s| s.set.get(&id))
                        .and_then(|a| a.stance);
                    let stance = Stance::cycle(cur);
                    self.view.selected = Some(id.clone());
                    if self.execute(Command::SetStance { id, stance }) {
                        self.set_status(
                            format!("Stance: {}", stance.map_or("unspecified", Stance::as_str)),
                            false,
                        );
                    }
                }
                None => self.set_status("Select an annotation to set its stance", false),
            },
            Action::NextAnnotation | Action::PrevAnnotation => {
                self.next_annotation(a == Action::NextAnnotation)
            }
            Action::CycleOverlapping => self.cycle_overlapping(),
            Action::AdjustStart | Action::AdjustEnd => {
                let end = if a == Action::AdjustStart {
                    SpanEnd::Start
                } else {
                    SpanEnd::End
                };
                self.view.adjust = end;
                self.set_status(
                    format!("Shift+arrows now move the annotation's {}", end.as_str()),
                    false,
                );
            }
            Action::ClearSelection => {
                if self.find.open {
                    self.apply(ctx, Intent::CloseFind);
                } else {
                    self.apply(ctx, Intent::ClearSelection);
                }
            }
            Action::TagAllMatches => {
                if self.view.find_matches.is_empty() {
                    self.apply(ctx, Intent::OpenFind);
                    self.set_status("Find something first, then Tag all matches", false);
                } else {
                    self.wf.tag_all = Some(ui::tag_all::TagAllState::new(
                        TagAllReview::new(self.view.find_matches.clone()),
                        &self.find.query,
                    ));
                }
            }
            Action::SaveCodebook => {
                let suggested = self
                    .session
                    .as_ref()
                    .and_then(|s| s.article_path.as_deref().or(s.set_path.as_deref()))
                    .map(codebook_file::default_path_for);
                match self.dialogs.pick_codebook_save(suggested.as_deref()) {
                    DialogResult::Picked(p) => {
                        self.apply_workflow(ctx, WorkflowIntent::SaveCodebook(p))
                    }
                    DialogResult::Cancelled => {}
                    DialogResult::Unavailable => {
                        let s = suggested
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        self.wf.codebook_path = Some((true, s));
                    }
                }
            }
            Action::LoadCodebook => match self.dialogs.pick_codebook_open(None) {
                DialogResult::Picked(p) => self.load_codebook(&p),
                DialogResult::Cancelled => {}
                DialogResult::Unavailable => self.wf.codebook_path = Some((false, String::new())),
            },
            Action::ToggleSidePanel => {
                self.prefs.side_panel_hidden = !self.prefs.side_panel_hidden;
            }
            Action::ToggleShowOnly => {
                self.view.show_only = !self.view.show_only;
                self.wf.filter.show_only = self.view.show_only;
                self.recompile_filter();
                self.article.invalidate_all();
            }
            _ => {}
        }
    }

    /// The selected annotation, else the one spanning the selection.
    fn selected_or_exact(&self) -> Option<String> {
        let s = self.session.as_ref()?;
        if let Some(id) = &self.view.selected
            && s.set.get(id).is_some()
        {
            return Some(id.clone());
        }
        let (a, b) = self.view.selection?.range();
        super::exact_annotation(s, a, b)
    }

    fn motion(&mut self, a: Action) {
        let Some(s) = &self.session else { return };
        // With an annotation selected, extending moves one of its ends.
        if keyboard::is_extend(a)
            && let Some(id) = self.view.selected.clone()
            && let Some(ann) = s.set.get(&id)
        {
            match keyboard::adjust_span(&s.text, (ann.start, ann.end), self.view.adjust, a) {
                Some((start, end)) => {
                    // Nudging one end key by key is one undo step.
                    let group = format!("span {id} {}", self.view.adjust.as_str());
                    let cmd = Command::SetSpan {
                        id: id.clone(),
                        start,
                        end,
                    };
                    if self.execute_in(cmd, Some(&group)) {
                        self.view.selection = Some(Selection {
                            anchor: start,
                            head: end,
                        });
                        self.view.selected = Some(id);
                        let cp = if self.view.adjust == SpanEnd::End {
                            end
                        } else {
                            start
                        };
                        self.reveal(cp);
                    }
                }
                None => self.set_status("The annotation cannot become empty", false),
            }
            return;
        }
        let cur = self.view.selection.unwrap_or_else(|| {
            let c = self.view.caret.unwrap_or(0);
            Selection { anchor: c, head: c }
        });
        let next = keyboard::move_selection(&s.text, cur, a);
        self.view.selection = Some(next);
        self.view.selected = None;
        self.view.caret = Some(next.head);
        self.reveal(next.head);
    }

    /// Scrolls to `cp` unless it is already on screen.
    fn reveal(&mut self, cp: usize) {
        let visible = match (self.article.screen_pos_of(cp), self.article.screen_rect) {
            (Some(p), Some(r)) => r.shrink2(egui::vec2(0.0, 12.0)).contains(p),
            _ => false,
        };
        if !visible {
            self.article.scroll_to(cp);
        }
    }

    fn next_annotation(&mut self, forward: bool) {
        let Some(s) = &self.session else { return };
        let allowed: Option<Vec<String>> = self
            .view
            .focused_tag
            .as_ref()
            .map(|(k, n)| s.set.codebook.with_descendants(*k, n));
        let kind = self.view.focused_tag.as_ref().map(|(k, _)| *k);
        let ok = |a: &crate::core::annotation::Annotation| match (&allowed, kind) {
            (Some(names), Some(k)) => a.tags(k).iter().any(|t| names.contains(t)),
            _ => true,
        };
        let anns = &s.set.annotations;
        let cur = self
            .view
            .selected
            .as_deref()
            .and_then(|id| s.set.index_of(id));
        let target = if forward {
            let from = match cur {
                Some(i) => i + 1,
                None => {
                    let c = self
                        .view
                        .selection
                        .map_or(self.view.caret.unwrap_or(0), |x| x.head);
                    anns.partition_point(|a| a.start < c)
                }
            };
            anns[from.min(anns.len())..]
                .iter()
                .chain(anns[..from.min(anns.len())].iter())
                .find(|a| ok(a))
        } else {
            let to = match cur {
                Some(i) => i,
                None => {
                    let c = self
                        .view
                        .selection
                        .map_or(self.view.caret.unwrap_or(0), |x| x.head);
                    anns.partition_point(|a| a.start < c)
                }
            };
            anns[..to.min(anns.len())]
                .iter()
                .rev()
                .chain(anns[to.min(anns.len())..].iter().rev())
                .find(|a| ok(a))
        };
        match target.map(|a| a.id.clone()) {
            Some(id) => {
                self.select_annotation(&id);
            }
            None => self.set_status(
                match &self.view.focused_tag {
                    Some((k, n)) => format!("No annotation with the {k} “{n}”"),
                    None => "No annotations yet".to_owned(),
                },
                false,
            ),
        }
    }

    fn select_annotation(&mut self, id: &str) {
        let Some(s) = &self.session else { return };
        let Some(a) = s.set.get(id) else { return };
        let (start, end) = (a.start, a.end);
        self.view.selection = Some(Selection {
            anchor: start,
            head: end,
        });
        self.view.selected = Some(id.to_owned());
        self.list_ui.scroll_to_selected = true;
        self.reveal(start);
    }

    fn cycle_overlapping(&mut self) {
        let Some(s) = &self.session else { return };
        let point = self
            .view
            .caret
            .or_else(|| self.view.selection.map(|x| x.head))
            .unwrap_or(0);
        let mut hits: Vec<&crate::core::annotation::Annotation> = s
            .set
            .annotations
            .iter()
            .take_while(|a| a.start <= point)
            .filter(|a| a.start <= point && point < a.end.max(a.start + 1))
            .collect();
        if hits.is_empty() && point > 0 {
            // The caret right after an annotation's last character.
            hits = s
                .set
                .annotations
                .iter()
                .take_while(|a| a.start < point)
                .filter(|a| a.end == point)
                .collect();
        }
        if hits.is_empty() {
            self.set_status("No annotation at the cursor", false);
            return;
        }
        let pos = self
            .view
            .selected
            .as_deref()
            .and_then(|id| hits.iter().position(|a| a.id == id));
        let next = match pos {
            Some(i) => (i + 1) % hits.len(),
            None => 0,
        };
        let n = hits.len();
        let id = hits[next].id.clone();
        let caret = self.view.caret;
        self.select_annotation(&id);
        self.view.caret = caret.or(Some(point));
        self.set_status(
            format!("Annotation {} of {n} at the cursor", next + 1),
            false,
        );
    }

    fn apply_tag_all(&mut self, kind: TagKind, name: &str) {
        let (Some(s), Some(st)) = (&self.session, &self.wf.tag_all) else {
            return;
        };
        let now = crate::core::time::now_rfc3339();
        match tag_all_command(&s.set, &s.text, &st.review, kind, name, &now) {
            Ok(Some(cmd)) => {
                let n = st.review.accepted_count();
                if self.execute(cmd) {
                    self.wf.tag_all = None;
                    self.set_status(format!("Tagged {n} matches with “{}”", name.trim()), false);
                }
            }
            Ok(None) => {
                self.wf.tag_all = None;
                self.set_status("Nothing to tag: every accepted match has that tag", false);
            }
            Err(e) => self.set_status(format!("Cannot tag: {e}"), true),
        }
    }

    fn load_codebook(&mut self, path: &Path) {
        let Some(s) = &self.session else { return };
        match read_codebook(path) {
            Ok(from) => {
                let (cmd, report) = codebook_file::load_command(&s.set.codebook, &from);
                self.wf.codebook_path = None;
                match cmd {
                    Some(cmd) => {
                        if self.execute(cmd) {
                            self.set_status(
                                format!("Loaded codebook {}: {}", path.display(), report.summary()),
                                false,
                            );
                        }
                    }
                    None => self.set_status("The codebook adds nothing new", false),
                }
            }
            Err(e) => self.set_status(format!("Codebook not loaded: {e}"), true),
        }
    }

    /// Rebuilds the compiled filter (after a filter or document change).
    pub(super) fn recompile_filter(&mut self) {
        self.view.filter_compiled = match &self.session {
            Some(s) if self.view.filter.is_active() => {
                Some(self.view.filter.compile(&s.set.codebook))
            }
            _ => None,
        };
    }

    /// After a document change: keep the compiled filter current.
    pub(super) fn after_change(&mut self) {
        if self.view.filter.is_active() {
            self.recompile_filter();
        }
    }

    /// After an article was opened: reset the workflow state, start a new
    /// article with the codebook of the last set used, remember this set.
    pub fn after_open(&mut self) {
        self.wf.palette = None;
        self.wf.tag_all = None;
        self.wf.metadata = Default::default();
        self.view.caret = None;
        self.view.focused_tag = None;
        self.recompile_filter();
        let Some(s) = &self.session else { return };
        let this_set = s.set_path.clone();
        let is_new = this_set.as_ref().is_none_or(|p| !p.exists())
            && s.set.codebook.is_empty()
            && s.set.annotations.is_empty();
        if is_new
            && let Some(last) = self.prefs.last_set.clone()
            && Some(&last) != this_set.as_ref()
            && last.exists()
        {
            match crate::core::store::load(&last) {
                Ok(set) if !set.codebook.is_empty() => {
                    let n = set.codebook.len();
                    if self.execute(Command::SetCodebook(set.codebook)) {
                        self.set_status(
                            format!(
                                "Started with the codebook of {} ({n} tags; Undo removes it)",
                                last.display()
                            ),
                            false,
                        );
                    }
                }
                Ok(_) => {}
                Err(e) => self.set_status(format!("Last codebook not loaded: {e}"), true),
            }
        }
        self.remember_set();
    }

    /// Records the current set as the last one used (when it exists).
    pub(super) fn remember_set(&mut self) {
        if let Some(p) = self.session.as_ref().and_then(|s| s.set_path.clone())
            && p.exists()
        {
            self.prefs.last_set = Some(p.canonicalize().unwrap_or(p));
        }
    }
}
