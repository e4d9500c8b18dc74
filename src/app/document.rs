//! Applies [`DocIntent`]s: every change to the document, each one core
//! command (so one undo step), through [`Workspace::execute`].
//!
//! Invariants:
//! - A command's outcome is reported once, here: its label in the status
//!   line, or why it was refused ("nothing to change" says nothing).
//! - Undo and redo failures say which step failed; the history is kept.
//! - A new article (its set file does not exist yet, no tags, no
//!   annotations) gets the codebook of the last set used (a path kept in
//!   the preferences; the codebook is read from that file) as one
//!   `SetCodebook` step, so Undo removes it.

use super::MarginaliaApp;
use super::model::{DocIntent, Modal, RestoreMode, Reveal, Status};
use super::workspace::Workspace;
use crate::core::annotation::{Annotation, Stance};
use crate::core::codebook::TagKind;
use crate::core::codebook_file;
use crate::core::command::{Command, CommandError};
use crate::core::query;
use crate::core::session::StepError;
use crate::core::tag_all::tag_all_command;
use std::path::Path;

/// Applies one document intent (nothing without an open document).
pub(super) fn apply(app: &mut MarginaliaApp, intent: DocIntent) {
    if app.workspace.is_none() {
        return;
    }
    match intent {
        DocIntent::Execute(cmd) => {
            // The delete-tag question's Enter runs its command: done with it.
            if matches!(app.modal, Some(Modal::ConfirmDeleteTag { .. })) {
                app.modal = None;
            }
            run(app, cmd, None);
        }
        DocIntent::ResolveConflict { id, how } => {
            let cmd = app
                .session()
                .map(|s| crate::core::merge::resolve(&s.set, &id, how));
            match cmd {
                Some(Ok(cmd)) => {
                    run(app, cmd, None);
                }
                Some(Err(e)) => app.status = Status::error(format!("Not resolved: {e}")),
                None => {}
            }
        }
        DocIntent::Undo => {
            // Past the document's own history, Ctrl+Z undoes this
            // document's part of a corpus-wide tagging, else the
            // corpus-wide change made while it was open.
            if step(app, Workspace::undo, "Undid", "undo")
                && !super::corpus::undo_document_part(app)
                && super::corpus::editing_corpus_document(app).is_some()
                && app.corpus.as_ref().is_some_and(|c| c.change_undoable)
            {
                super::corpus::apply(app, super::model::CorpusIntent::UndoChange);
            }
        }
        DocIntent::Redo => {
            step(app, Workspace::redo, "Redid", "redo");
        }
        DocIntent::ApplyTag { kind, name, create } => {
            if matches!(app.modal, Some(Modal::TagPopup(_))) {
                app.modal = None;
            }
            apply_tag(app, kind, &name, create);
        }
        DocIntent::TagWithDigit(d) => tag_with_digit(app, d),
        DocIntent::DeleteSelected => delete_selected(app),
        DocIntent::CycleStance => cycle_stance(app),
        DocIntent::TagAllAccepted { kind, name } => tag_all(app, kind, &name),
        DocIntent::ReattachOrphan(id) => reattach_orphan(app, id),
        DocIntent::DeleteOrphan(id) => delete_orphan(app, &id),
        DocIntent::RestoreRecovery(mode) => restore_recovery(app, mode),
        DocIntent::SetTagDigit { kind, name, digit } => set_tag_digit(app, kind, &name, digit),
        DocIntent::LoadCodebook(p) => load_codebook(app, &p),
    }
}

/// Runs a command (with an optional merge group); reports the outcome.
/// True when the document changed.
pub(super) fn run(app: &mut MarginaliaApp, cmd: Command, group: Option<&str>) -> bool {
    // In a corpus, a tag's rename, merge or deletion is the corpus's.
    if super::corpus::propose_change(app, &cmd) {
        return false;
    }
    // While curating, the curator's name.
    let coder = super::comparison::curator(app).or_else(|| app.prefs.coder.clone());
    let Some(w) = &mut app.workspace else {
        return false;
    };
    // The coder's name goes on what this command creates or changes.
    w.session.coder = coder;
    let label = cmd.label();
    match w.execute(cmd, group) {
        Ok(label) => {
            app.status = Status::info(label);
            true
        }
        Err(CommandError::NoChange) => false,
        Err(e) => {
            app.status = Status::error(format!("Cannot {label}: {e}"));
            false
        }
    }
}

/// Undo or redo, reported: what was undone, that there was nothing, or
/// which step failed and why.
/// True when there was nothing to undo or redo.
fn step(
    app: &mut MarginaliaApp,
    f: fn(&mut Workspace) -> Result<String, StepError>,
    done: &str,
    verb: &str,
) -> bool {
    let Some(w) = &mut app.workspace else {
        return false;
    };
    let result = f(w);
    let nothing = matches!(result, Err(StepError::Nothing));
    app.status = match result {
        Ok(label) => Status::info(format!("{done} {label}")),
        Err(StepError::Nothing) => Status::info(format!("Nothing to {verb}")),
        Err(StepError::Failed { label, error }) => Status::error(format!(
            "Cannot {verb} “{label}”: {error} (the history is kept)"
        )),
    };
    nothing
}

/// The selected annotation, else the one spanning the selection exactly.
pub(super) fn selected_or_exact(w: &Workspace) -> Option<String> {
    let set = &w.session.set;
    if let Some(id) = &w.view.selected
        && set.get(id).is_some()
    {
        return Some(id.clone());
    }
    let (a, b) = w.view.selection?.range();
    query::exact_annotation(set, a, b).map(|a| a.id.clone())
}

fn apply_tag(app: &mut MarginaliaApp, kind: TagKind, name: &str, create: bool) {
    let Some(w) = &app.workspace else { return };
    let name = name.trim();
    if name.is_empty() {
        app.status = Status::error("A tag needs a name");
        return;
    }
    let s = &w.session;
    let range = w
        .view
        .selection
        .map(|sel| sel.range())
        .filter(|(a, b)| b > a);
    let target = w
        .view
        .selected
        .clone()
        .filter(|id| {
            s.set
                .get(id)
                .is_some_and(|a| range.is_none_or(|r| r == (a.start, a.end)))
        })
        .or_else(|| {
            range
                .and_then(|(a, b)| query::exact_annotation(&s.set, a, b))
                .map(|a| a.id.clone())
        });
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
                app.status = Status::info("Select some text first");
                return;
            };
            let id = s.set.fresh_id_for(app.prefs.coder.as_deref());
            let now = crate::core::time::now_rfc3339();
            let mut ann = Annotation::new(id.clone(), &s.text, a, b, &now);
            ann.add_tag(kind, name);
            commands.push(Command::AddAnnotation(ann));
            id
        }
    };
    let label = format!("tag “{name}”");
    if run(app, Command::Batch { label, commands }, None) {
        super::selection::select_annotation(app, &id, Reveal::InList);
    }
}

fn tag_with_digit(app: &mut MarginaliaApp, d: u8) {
    let tag = app
        .session()
        .and_then(|s| s.set.codebook.by_digit(d))
        .map(|t| (t.kind, t.name.clone()));
    match tag {
        Some((kind, name)) => apply_tag(app, kind, &name, false),
        None => app.status = Status::info(format!("No tag is bound to {d}")),
    }
}

fn delete_selected(app: &mut MarginaliaApp) {
    let Some(w) = &app.workspace else { return };
    match selected_or_exact(w) {
        Some(id) => {
            run(app, Command::DeleteAnnotation { id }, None);
        }
        None => app.status = Status::info("No annotation selected"),
    }
}

fn cycle_stance(app: &mut MarginaliaApp) {
    let Some(w) = &mut app.workspace else { return };
    let Some(id) = selected_or_exact(w) else {
        app.status = Status::info("Select an annotation to set its stance");
        return;
    };
    let cur = w.session.set.get(&id).and_then(|a| a.stance);
    let stance = Stance::cycle(cur);
    w.view.selected = Some(id.clone());
    w.selection_changed();
    if run(app, Command::SetStance { id, stance }, None) {
        app.status = Status::info(format!(
            "Stance: {}",
            stance.map_or("unspecified", Stance::as_str)
        ));
    }
}

fn tag_all(app: &mut MarginaliaApp, kind: TagKind, name: &str) {
    let (Some(w), Some(Modal::TagAll(st))) = (&app.workspace, &app.modal) else {
        return;
    };
    let s = &w.session;
    let now = crate::core::time::now_rfc3339();
    let coder = app.prefs.coder.as_deref();
    match tag_all_command(&s.set, &s.text, &st.review, kind, name, &now, coder) {
        Ok(Some(cmd)) => {
            let n = st.review.accepted_count();
            if run(app, cmd, None) {
                app.modal = None;
                app.status = Status::info(format!("Tagged {n} matches with “{}”", name.trim()));
            }
        }
        Ok(None) => {
            app.modal = None;
            app.status = Status::info("Nothing to tag: every accepted match has that tag");
        }
        Err(e) => app.status = Status::error(format!("Cannot tag: {e}")),
    }
}

fn reattach_orphan(app: &mut MarginaliaApp, id: String) {
    let Some(w) = &app.workspace else { return };
    let Some((a, b)) = w.view.selection.map(|s| s.range()).filter(|(a, b)| b > a) else {
        app.status =
            Status::info("Select the text to re-attach the orphan to, then click Re-attach");
        return;
    };
    let s = &w.session;
    let now = crate::core::time::now_rfc3339();
    match crate::core::anchor::reattach_orphan(&s.set, &s.text, &id, a, b, &now) {
        Ok(cmd) => {
            if run(app, cmd, None) {
                super::selection::select_annotation(app, &id, Reveal::InList);
            }
        }
        Err(e) => app.status = Status::error(format!("Cannot re-attach: {e}")),
    }
}

fn delete_orphan(app: &mut MarginaliaApp, id: &str) {
    let Some(s) = app.session() else { return };
    match crate::core::anchor::delete_orphan(&s.set, id) {
        Ok(cmd) => {
            run(app, cmd, None);
        }
        Err(e) => app.status = Status::error(format!("Cannot delete the orphan: {e}")),
    }
}

/// Restores the recovery journal as one undoable step.
fn restore_recovery(app: &mut MarginaliaApp, mode: RestoreMode) {
    let Some(Modal::Recovery(prompt)) = app.modal.take() else {
        return;
    };
    let Some(s) = app.session() else { return };
    let mut after = s.set.clone();
    match mode {
        RestoreMode::Anyway => prompt.recovery.apply_anyway(&mut after),
        RestoreMode::Checked => {
            if let Err(e) = prompt.recovery.apply(&mut after) {
                app.status = Status::error(format!("Not restored: {e}"));
                app.modal = Some(Modal::Recovery(prompt));
                return;
            }
        }
    }
    let path = prompt.recovery.path.clone();
    match crate::core::diff::difference_command(&s.set, &after) {
        Some(cmd) => {
            if run(app, cmd, None) {
                app.status = Status::info(format!(
                    "Restored unsaved work from {} (save to keep it; Ctrl+Z undoes the restore)",
                    path.display()
                ));
            }
        }
        None => app.status = Status::info("The recovery journal holds no difference"),
    }
}

/// Gives a tag a digit (or none) in one step, taking the digit from the
/// tag that had it.
fn set_tag_digit(app: &mut MarginaliaApp, kind: TagKind, name: &str, digit: Option<u8>) {
    let Some(s) = app.session() else { return };
    let cb = &s.set.codebook;
    let Some(tag) = cb.get(kind, name) else {
        return;
    };
    let mut commands = Vec::new();
    if let Some(d) = digit
        && let Some(other) = cb.by_digit(d).filter(|o| o.kind != kind || o.name != name)
    {
        let mut t = other.clone();
        t.digit = None;
        commands.push(Command::UpdateTag {
            kind: other.kind,
            name: other.name.clone(),
            tag: t,
        });
    }
    let mut t = tag.clone();
    t.digit = digit;
    commands.push(Command::UpdateTag {
        kind,
        name: name.to_owned(),
        tag: t,
    });
    let label = match digit {
        Some(d) => format!("bind {d} to “{name}”"),
        None => format!("unbind the digit of “{name}”"),
    };
    run(app, Command::Batch { label, commands }, None);
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

fn load_codebook(app: &mut MarginaliaApp, path: &Path) {
    let Some(s) = app.session() else { return };
    match read_codebook(path) {
        Ok(from) => {
            let (cmd, report) = codebook_file::load_command(&s.set.codebook, &from);
            if matches!(app.modal, Some(Modal::TypedPath(_))) {
                app.modal = None;
            }
            match cmd {
                Some(cmd) => {
                    if run(app, cmd, None) {
                        app.status = Status::info(format!(
                            "Loaded codebook {}: {}",
                            path.display(),
                            report.summary()
                        ));
                    }
                }
                None => app.status = Status::info("The codebook adds nothing new"),
            }
        }
        Err(e) => app.status = Status::error(format!("Codebook not loaded: {e}")),
    }
}

/// A new article starts with the codebook of the last set used.
pub(super) fn start_with_last_codebook(app: &mut MarginaliaApp) {
    // A corpus document has the corpus codebook already.
    if app.corpus.as_ref().is_some_and(|c| c.current.is_some()) {
        return;
    }
    let Some(s) = app.session() else { return };
    let this_set = s.set_path.clone();
    let is_new = this_set.as_ref().is_none_or(|p| !p.exists())
        && s.set.codebook.is_empty()
        && s.set.annotations().is_empty();
    let Some(last) = app.prefs.last_set.clone() else {
        return;
    };
    if !is_new || Some(&last) == this_set.as_ref() || !last.exists() {
        return;
    }
    match crate::core::store::load(&last) {
        Ok(set) if !set.codebook.is_empty() => {
            let n = set.codebook.len();
            if run(app, Command::SetCodebook(set.codebook), None) {
                app.status = Status::info(format!(
                    "Started with the codebook of {} ({n} tags; Undo removes it)",
                    last.display()
                ));
            }
        }
        Ok(_) => {}
        Err(e) => app.status = Status::error(format!("Last codebook not loaded: {e}")),
    }
}
