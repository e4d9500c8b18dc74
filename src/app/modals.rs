//! Applies [`ModalIntent`]s: opening the dialogs that take the keyboard,
//! their answers, and closing them. At most one modal is open; opening one
//! replaces the one before.
//!
//! Invariants:
//! - A modal that needs a document opens only when one is open, and says
//!   why not otherwise.
//! - Answering the unsaved-changes question continues what waited for it
//!   only when saving succeeded (or the user discarded the changes, which
//!   discards the journal too: a failure to do so is reported, since the
//!   changes would come back as "recover unsaved work").

use super::MarginaliaApp;
use super::export;
use super::model::{
    Modal, ModalIntent, PaletteState, PasteDialog, Pending, Status, TagAllState, TagPopupState,
    UnsavedChoice,
};
use crate::core::tag_all::TagAllReview;

/// Applies one modal intent.
pub(super) fn apply(app: &mut MarginaliaApp, ctx: &egui::Context, intent: ModalIntent) {
    match intent {
        ModalIntent::OpenTagPopup => open_tag_popup(app),
        ModalIntent::OpenPalette => app.modal = Some(Modal::Palette(PaletteState::default())),
        ModalIntent::OpenTagAll => open_tag_all(app),
        ModalIntent::OpenCorpusReview => {
            let v = app.corpus.as_mut().and_then(|c| c.search.as_mut());
            let has = v.is_some_and(|v| {
                // The review starts at the first match.
                v.selected = 0;
                v.reveal = true;
                !v.result.matches.is_empty()
            });
            if has {
                app.modal = Some(Modal::CorpusReview);
            } else {
                app.status = Status::info("Search the corpus first: there is no match to tag");
            }
        }
        ModalIntent::OpenExport => match export::new_dialog(app) {
            Some(d) => app.modal = Some(Modal::Export(d)),
            None => app.status = Status::info("Open an article first"),
        },
        ModalIntent::OpenPaste => app.modal = Some(Modal::Paste(PasteDialog::default())),
        ModalIntent::OpenCoderName => {
            // Never over another question (a recovery prompt at start-up
            // comes first; the name is then asked at the next start).
            if app.modal.is_none() {
                app.modal = Some(Modal::CoderName(
                    app.prefs.coder.clone().unwrap_or_default(),
                ));
            }
        }
        ModalIntent::SetCoderName(name) => {
            let name = name.trim();
            app.prefs.coder = (!name.is_empty()).then(|| name.to_owned());
            app.prefs.coder_asked = true;
            app.modal = None;
            app.status = Status::info(match &app.prefs.coder {
                Some(n) => format!(
                    "Coding as {n}: your name is written on every annotation you create or change"
                ),
                None => "No coder name: annotations you create name no coder".to_owned(),
            });
        }
        ModalIntent::ConfirmDeleteTag { kind, name } => {
            let Some(w) = &app.workspace else { return };
            let idx = w
                .session
                .set
                .codebook
                .tags()
                .iter()
                .position(|t| t.kind == kind && t.name == name);
            // Still counting after an edit: the count shown may be old, so ask.
            let uses = idx
                .and_then(|i| w.derived.count(i))
                .filter(|_| !w.derived.is_counting());
            if uses == Some(0) {
                let cmd = crate::core::command::Command::DeleteTag { kind, name };
                super::document::run(app, cmd, None);
            } else {
                app.modal = Some(Modal::ConfirmDeleteTag { kind, name, uses });
            }
        }
        ModalIntent::Close => {
            // "Not now" to the coder's name: not asked again.
            if matches!(app.modal, Some(Modal::CoderName(_))) {
                app.prefs.coder_asked = true;
            }
            // A previewed corpus-wide change that will not run: its staged
            // sets go.
            if let (Some(Modal::CorpusChange(_)), Some(c)) = (&app.modal, &app.corpus) {
                crate::core::corpus_change::discard(&c.corpus.root);
            }
            app.modal = None;
            if let Some(w) = &mut app.workspace {
                w.view.article_keys = true;
            }
        }
        ModalIntent::AnswerUnsaved(choice) => answer_unsaved(app, ctx, choice),
        ModalIntent::DeclineRecovery => decline_recovery(app),
    }
}

fn open_tag_popup(app: &mut MarginaliaApp) {
    let Some(w) = &app.workspace else { return };
    let has = w.view.selection.is_some_and(|s| !s.is_empty()) || w.view.selected.is_some();
    if has {
        app.modal = Some(Modal::TagPopup(TagPopupState::default()));
    } else {
        app.status = Status::info("Select some text first (drag, double-click or find)");
    }
}

fn open_tag_all(app: &mut MarginaliaApp) {
    let Some(w) = &mut app.workspace else { return };
    if w.view.find_matches.is_empty() {
        super::view::apply(app, super::model::ViewIntent::OpenFind);
        app.status = Status::info("Find something first, then Tag all matches");
    } else {
        let review = TagAllReview::new(w.view.find_matches.clone());
        let state = TagAllState::new(review, &w.panels.find.query);
        app.modal = Some(Modal::TagAll(state));
    }
}

fn answer_unsaved(app: &mut MarginaliaApp, ctx: &egui::Context, choice: UnsavedChoice) {
    let Some(Modal::UnsavedChanges(pending)) = app.modal.take() else {
        return;
    };
    match choice {
        UnsavedChoice::Cancel => {}
        UnsavedChoice::Save => {
            super::files::save(app);
            if app.session().is_some_and(|s| s.is_dirty()) {
                return; // saving failed: the message says why; stay.
            }
            continue_pending(app, ctx, pending);
        }
        UnsavedChoice::Discard => {
            if let Some(w) = &mut app.workspace
                && let Err(e) = w.discard_journal()
            {
                app.status = Status::error(format!(
                    "The discarded changes are still in the recovery journal (it could not be removed: {e}); they will be offered again"
                ));
            }
            continue_pending(app, ctx, pending);
        }
    }
}

fn continue_pending(app: &mut MarginaliaApp, ctx: &egui::Context, pending: Pending) {
    match pending {
        Pending::Open(p) => super::files::open_now(app, &p),
        Pending::Quit => super::files::close_window(app, ctx),
    }
}

fn decline_recovery(app: &mut MarginaliaApp) {
    let Some(Modal::Recovery(p)) = app.modal.take() else {
        return;
    };
    app.status = match p.recovery.decline() {
        Ok(kept) => Status::info(format!(
            "Unsaved work not restored; it is kept in {}",
            kept.display()
        )),
        Err(e) => Status::error(format!(
            "Unsaved work not restored; its journal {} could not be renamed: {e}",
            p.recovery.path.display()
        )),
    };
}
