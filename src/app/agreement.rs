//! The agreement window: two coders inside the same files (the open
//! corpus, or the open document), their figures by tag and by document,
//! the weakest first, copied as CSV. The report is built by
//! `core::agreement_report` on a thread (a corpus's sets are read from
//! disk); the open document is saved first so the report sees it.

use super::MarginaliaApp;
use super::model::{AgreementIntent, Status};
use crate::core::agreement_report::{self, Options, Report, Sources};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// The agreement window's state.
#[derive(Debug, Default)]
pub struct AgreementView {
    /// The coders found (in the corpus's index, or the open set).
    pub coders: Vec<String>,
    /// Coder A.
    pub a: String,
    /// Coder B.
    pub b: String,
    /// The whole corpus (else the open document).
    pub corpus: bool,
    /// A tag's descendants count as the tag.
    pub with_children: bool,
    /// The last report.
    pub report: Option<Report>,
    /// Why the last report could not be built.
    pub error: Option<String>,
    /// A report being built.
    pub running: Option<Receiver<Result<Report, String>>>,
}

/// Handles an agreement intent.
pub(super) fn apply(app: &mut MarginaliaApp, intent: AgreementIntent) {
    match intent {
        AgreementIntent::Toggle => toggle(app),
        AgreementIntent::Compute => compute(app),
    }
}

fn toggle(app: &mut MarginaliaApp) {
    if app.agreement.take().is_some() {
        return;
    }
    let mut coders: Vec<String> = match &app.corpus {
        Some(c) => (0u32..)
            .map_while(|i| c.index.coder(i))
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    if let Some(s) = app.session() {
        coders.extend(s.set.annotations().iter().filter_map(|a| a.coder.clone()));
    }
    coders.sort();
    coders.dedup();
    let view = AgreementView {
        a: coders.first().cloned().unwrap_or_default(),
        b: coders.get(1).cloned().unwrap_or_default(),
        corpus: app.corpus.is_some(),
        coders,
        ..AgreementView::default()
    };
    if view.coders.len() < 2 {
        app.status = Status::info(
            "Agreement compares two coders: fewer than two coders have annotations here",
        );
    }
    app.agreement = Some(view);
}

/// Where the report reads: the corpus folder, or the open document's set.
fn source_path(app: &MarginaliaApp, corpus: bool) -> Option<PathBuf> {
    if corpus {
        return app.corpus.as_ref().map(|c| c.corpus.root.clone());
    }
    app.session().and_then(|s| s.set_path.clone())
}

fn compute(app: &mut MarginaliaApp) {
    if !super::files::saved_first(app) {
        return;
    }
    let Some(v) = &app.agreement else { return };
    let (a, b) = (v.a.trim().to_owned(), v.b.trim().to_owned());
    let with_children = v.with_children;
    let Some(path) = source_path(app, v.corpus) else {
        app.status = Status::error("Agreement needs a saved document or an open corpus");
        return;
    };
    if a.is_empty() || b.is_empty() || a == b {
        app.status = Status::error("Choose two different coders");
        return;
    }
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("marginalia-agreement".into())
        .spawn(move || {
            let r = agreement_report::report(
                &Sources::Coders(path, a, b),
                &Options {
                    tags: Vec::new(),
                    with_children,
                    disagreements: false,
                },
            );
            let _ = tx.send(r);
        });
    let Some(v) = &mut app.agreement else { return };
    match spawned {
        Ok(_) => {
            v.running = Some(rx);
            v.error = None;
        }
        Err(e) => v.error = Some(format!("could not start: {e}")),
    }
}

/// Takes a finished report; true while one is being built (repaint).
pub(super) fn poll(app: &mut MarginaliaApp) -> bool {
    let Some(v) = &mut app.agreement else {
        return false;
    };
    let Some(rx) = &v.running else { return false };
    let got = match rx.try_recv() {
        Ok(r) => r,
        Err(TryRecvError::Empty) => return true,
        Err(TryRecvError::Disconnected) => Err("the report stopped".into()),
    };
    v.running = None;
    match got {
        Ok(r) => {
            app.status = Status::info(format!(
                "Agreement of {} and {}: {} documents, {} tags",
                r.coders[0],
                r.coders[1],
                r.documents.len(),
                r.tags.len()
            ));
            v.report = Some(r);
            v.error = None;
        }
        Err(e) => {
            v.error = Some(e.clone());
            app.status = Status::error(format!("No agreement report: {e}"));
        }
    }
    false
}
