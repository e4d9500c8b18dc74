//! Comparing two codings of the open document and curating them: coding A
//! and coding B (two coders in the same file, or this file and another
//! clone's), their disagreements listed and stepped through (`N`/`P`),
//! A's spans marked above the line and B's below; and, when curating, each
//! disagreement decided into a curated set in another folder (one undoable
//! step each, through `core::curation`).
//!
//! Invariants:
//! - The comparison's sides stay chosen from one document to the next:
//!   each document that opens is compared the same way (and, when
//!   curating, opened as its curated set instead).
//! - While curating, the session is the curated set (saved in the curation
//!   folder at the document's relative path, its article referenced, not
//!   copied); the two codings are read from the document's own set and
//!   are never changed.
//! - The list is rebuilt when the document changes (a step done or
//!   undone), so "decided" always reflects the curated set.

use super::MarginaliaApp;
use super::model::{CompareIntent, Status};
use crate::core::compare::{self, Disagreement};
use crate::core::curation::{self, Choice, Coding};
use crate::core::session::Session;
use crate::core::set::AnnotationSet;
use crate::core::store;
use std::path::{Path, PathBuf};

/// Where one side's coding comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// Every annotation of the open document's set.
    All,
    /// The annotations of one coder in the open document's set.
    Coder(String),
    /// Another clone's folder (the set at the document's relative path) or
    /// a set file of the same article.
    Other(PathBuf),
}

impl Side {
    /// How the panel names it.
    pub fn label(&self) -> String {
        match self {
            Side::All => "every annotation of this file".into(),
            Side::Coder(c) => format!("coder {c}"),
            Side::Other(p) => format!("{}", p.display()),
        }
    }
}

/// The panel's form: the two sides, a typed path, the curation's curator
/// and folder.
#[derive(Debug, Clone, Default)]
pub struct CompareForm {
    /// The coders found in the open document's set.
    pub coders: Vec<String>,
    /// Coding A.
    pub a: Option<Side>,
    /// Coding B.
    pub b: Option<Side>,
    /// The other clone's folder or set file, as typed (for `Side::Other`).
    pub other: String,
    /// The curator's name.
    pub curator: String,
    /// The folder the curated sets go to, as typed.
    pub folder: String,
    /// The default folder the form proposed (a folder not typed over
    /// follows the document).
    pub folder_default: String,
}

/// A comparison in force (it stays from one document to the next).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// Coding A's source.
    pub a: Side,
    /// Coding B's source.
    pub b: Side,
    /// Curating into this folder, by this curator.
    pub curate: Option<(PathBuf, String)>,
}

/// The open document's comparison.
#[derive(Debug, Default)]
pub struct DocComparison {
    /// Coding A.
    pub a: Coding,
    /// Coding B.
    pub b: Coding,
    /// The disagreements, by position.
    pub list: Vec<Disagreement>,
    /// Whether each is decided in the curated set (all false when not
    /// curating).
    pub decided: Vec<bool>,
    /// The one stepped to.
    pub current: Option<usize>,
    /// Agreeing pairs not taken over yet (curating).
    pub agreeing_left: usize,
    /// Agreeing pairs in all.
    pub agreeing: usize,
    /// The document's own set (where the sides were read from).
    pub source_set: Option<PathBuf>,
    /// The session is the curated set (decisions may be made).
    pub curated: bool,
    /// The history state the list was built at.
    seen: Option<u64>,
}

/// The comparison panel's state.
#[derive(Debug, Default)]
pub struct CompareView {
    /// The form.
    pub form: CompareForm,
    /// The comparison in force.
    pub setup: Option<Setup>,
    /// The open document's comparison.
    pub doc: Option<DocComparison>,
    /// Why the comparison could not be made.
    pub error: Option<String>,
}

impl CompareView {
    /// Whether a comparison is in force.
    pub fn active(&self) -> bool {
        self.setup.is_some()
    }

    /// Whether decisions go into a curated set.
    /// True only once the open document is its curated set (not while
    /// it is still opening, nor when opening it failed).
    pub fn curating(&self) -> bool {
        self.setup.as_ref().is_some_and(|s| s.curate.is_some())
            && self.doc.as_ref().is_some_and(|d| d.curated)
    }
}

/// Handles a comparison intent.
pub(super) fn apply(app: &mut MarginaliaApp, intent: CompareIntent) {
    match intent {
        CompareIntent::Toggle => toggle(app),
        CompareIntent::Start => start(app),
        CompareIntent::Stop => stop(app),
        CompareIntent::BrowseOther => browse(app, false),
        CompareIntent::BrowseFolder => browse(app, true),
        CompareIntent::Step(forward) => step(app, forward),
        CompareIntent::Select(i) => select(app, i),
        CompareIntent::Decide(choice) => decide(app, choice),
        CompareIntent::TakeAgreeing => take_agreeing(app),
        CompareIntent::Reopen => reopen_decision(app),
        CompareIntent::Curate => curate(app),
    }
}

fn toggle(app: &mut MarginaliaApp) {
    if app.compare.is_some() {
        stop(app);
        // A curated set that could not be saved keeps its panel.
        if !app.compare.as_ref().is_some_and(CompareView::curating) {
            app.compare = None;
        }
        return;
    }
    let mut v = CompareView::default();
    if let Some(s) = app.session() {
        fill_form(&mut v.form, s, app.prefs.coder.as_deref(), &app.corpus);
    }
    v.form.curator = app.prefs.coder.clone().unwrap_or_default();
    app.compare = Some(v);
}

/// Fills the form from the document `s`: its coders, A (the user, else the
/// first coder) and B (another coder) unless the picks are still among
/// them, and the default folder unless one was typed.
fn fill_form(
    form: &mut CompareForm,
    s: &Session,
    me: Option<&str>,
    corpus: &Option<super::corpus::CorpusState>,
) {
    let mut coders: Vec<String> = s
        .full_set()
        .annotations()
        .iter()
        .filter_map(|a| a.coder.clone())
        .collect();
    coders.sort();
    coders.dedup();
    let present = |side: &Option<Side>| match side {
        Some(Side::Coder(c)) => coders.contains(c),
        Some(_) => true,
        None => false,
    };
    if !present(&form.a) {
        form.a = Some(match me.filter(|m| coders.iter().any(|c| c == m)) {
            Some(m) => Side::Coder(m.to_owned()),
            None => coders.first().map_or(Side::All, |c| Side::Coder(c.clone())),
        });
    }
    if !present(&form.b) || form.b == form.a {
        form.b = coders
            .iter()
            .find(|c| Some(Side::Coder((*c).clone())) != form.a)
            .map(|c| Side::Coder(c.clone()));
    }
    form.coders = coders;
    let default = default_folder(corpus, s.set_path.as_deref())
        .display()
        .to_string();
    if form.folder == form.folder_default {
        form.folder = default.clone();
    }
    form.folder_default = default;
}

/// `<root>-curated` beside the corpus folder, or beside the document's
/// folder.
fn default_folder(corpus: &Option<super::corpus::CorpusState>, set_path: Option<&Path>) -> PathBuf {
    let root = match corpus {
        Some(c) => c.corpus.root.clone(),
        None => set_path
            .and_then(|p| p.parent())
            .map(Path::to_owned)
            .unwrap_or_default(),
    };
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    let root = std::path::absolute(&root).unwrap_or(root);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "study".into());
    root.with_file_name(format!("{name}-curated"))
}

fn browse(app: &mut MarginaliaApp, curation_folder: bool) {
    let start = app
        .session()
        .and_then(|s| s.set_path.as_ref())
        .and_then(|p| p.parent())
        .map(Path::to_owned);
    if let super::dialogs::DialogResult::Picked(p) = app.dialogs.pick_folder(start.as_deref())
        && let Some(v) = &mut app.compare
    {
        if curation_folder {
            v.form.folder = p.display().to_string();
        } else {
            v.form.other = p.display().to_string();
            v.form.b = Some(Side::Other(p));
        }
    }
}

fn start(app: &mut MarginaliaApp) {
    let Some(v) = &mut app.compare else { return };
    let (Some(a), Some(mut b)) = (v.form.a.clone(), v.form.b.clone()) else {
        v.error = Some("Choose coding A and coding B.".into());
        return;
    };
    if let Side::Other(_) = b {
        let typed = v.form.other.trim();
        if typed.is_empty() {
            v.error = Some("Name the other clone's folder or set file.".into());
            return;
        }
        b = Side::Other(PathBuf::from(typed));
    }
    if a == b {
        v.error = Some("Coding A and coding B are the same.".into());
        return;
    }
    v.setup = Some(Setup { a, b, curate: None });
    v.error = None;
    refresh(app);
}

/// Starts curating into the form's folder: the document is saved and
/// opened again, as its curated set.
fn curate(app: &mut MarginaliaApp) {
    let Some(v) = &mut app.compare else { return };
    let curator = v.form.curator.trim().to_owned();
    let folder = v.form.folder.trim().to_owned();
    if curator.is_empty() || folder.is_empty() {
        v.error = Some("Name the curator and the folder the curated sets go to.".into());
        return;
    }
    let Some(setup) = &mut v.setup else {
        v.error = Some("Compare two codings first.".into());
        return;
    };
    setup.curate = Some((PathBuf::from(folder), curator));
    let source = source_set(app);
    reopen(app, source);
}

/// Ends the comparison; a curated set is saved and the document's own set
/// opened again.
fn stop(app: &mut MarginaliaApp) {
    let curating = app.compare.as_ref().is_some_and(CompareView::curating);
    let source = source_set(app);
    // The curated set is saved first: if that fails it stays open, as
    // the curated set, with the reason in the status.
    if curating && !super::files::saved_first(app) {
        return;
    }
    if let Some(v) = &mut app.compare {
        v.setup = None;
        v.doc = None;
    }
    if curating {
        reopen(app, source);
    }
    end(app);
}

/// Clears the marks of a comparison from the article.
fn end(app: &mut MarginaliaApp) {
    if let Some(w) = &mut app.workspace {
        w.set_compare_marks(None);
    }
}

/// The open document's own set (not its curated set).
fn source_set(app: &MarginaliaApp) -> Option<PathBuf> {
    app.compare
        .as_ref()
        .and_then(|v| v.doc.as_ref())
        .and_then(|d| d.source_set.clone())
        .or_else(|| app.session().and_then(|s| s.set_path.clone()))
}

/// Saves the open document and opens `source` (its own set) again; the
/// install hook then opens the curated set instead when curating.
fn reopen(app: &mut MarginaliaApp, source: Option<PathBuf>) {
    if !super::files::saved_first(app) {
        // Not saved (the reason is in the status): no curation starts.
        if let Some(s) = app.compare.as_mut().and_then(|v| v.setup.as_mut()) {
            s.curate = None;
        }
        return;
    }
    match source {
        Some(p) => super::files::open_now(app, &p),
        None => app.status = Status::error("The document has no set file to compare."),
    }
}

/// Called as a document is installed: compares it as set up, and when
/// curating returns its curated set's session instead. On failure the
/// comparison ends with its reason shown and `session` is returned as is.
pub(super) fn on_install(app: &mut MarginaliaApp, session: Session) -> Session {
    let Some(setup) = app.compare.as_ref().and_then(|v| v.setup.clone()) else {
        // The form follows the document it would compare.
        let me = app.prefs.coder.clone();
        if let Some(v) = app.compare.as_mut() {
            fill_form(&mut v.form, &session, me.as_deref(), &app.corpus);
        }
        return session;
    };
    let rel = relative_set_path(app, &session);
    let (mut a, mut b) = match codings(&setup, &session, &rel) {
        Ok(x) => x,
        Err(e) => {
            failed(app, e);
            return session;
        }
    };
    let source_set = session.set_path.clone();
    let curated = setup.curate.is_some();
    let session = match &setup.curate {
        Some((folder, curator)) => {
            let made = curated_path(app, &setup, folder, &rel, source_set.as_deref())
                .and_then(|path| curated_session(&session, &path, curator))
                .and_then(|s| {
                    adopt_names(&s.set, &setup, &mut a, &mut b)?;
                    Ok(s)
                });
            match made {
                Ok(s) => s,
                Err(e) => {
                    failed(app, e);
                    return session;
                }
            }
        }
        None => session,
    };
    if let Some(v) = &mut app.compare {
        v.error = None;
        v.doc = Some(DocComparison {
            a,
            b,
            source_set,
            curated,
            ..DocComparison::default()
        });
    }
    session
}

/// Where the document's curated set goes: `folder/rel`, refused when that
/// is one of the codings' own sets or lies inside the corpus folder (a
/// curation must never write into what it curates).
fn curated_path(
    app: &MarginaliaApp,
    setup: &Setup,
    folder: &Path,
    rel: &Path,
    source_set: Option<&Path>,
) -> Result<PathBuf, String> {
    let path = folder.join(rel);
    let full = |p: &Path| crate::core::store::resolved_path(p);
    let mut own: Vec<PathBuf> = source_set.map(full).into_iter().collect();
    for side in [&setup.a, &setup.b] {
        if let Side::Other(p) = side {
            own.push(full(&if p.is_dir() { p.join(rel) } else { p.clone() }));
        }
    }
    if own.contains(&full(&path)) {
        return Err(format!(
            "{} is a coding's own set: choose another folder for the curated sets",
            path.display()
        ));
    }
    if let Some(c) = &app.corpus
        && full(folder).starts_with(full(&c.corpus.root))
    {
        return Err("the curated sets must go outside the corpus folder".into());
    }
    Ok(path)
}

/// A curated set names its codings once; later sessions keep those names
/// so its provenance goes on matching (a side named after its content,
/// such as "this file", could be named otherwise today). A coder chosen
/// by name must be the one recorded.
fn adopt_names(
    set: &AnnotationSet,
    setup: &Setup,
    a: &mut Coding,
    b: &mut Coding,
) -> Result<(), String> {
    let Some(rec) = &set.metadata.curation else {
        return Ok(());
    };
    for (coding, side, recorded) in [(a, &setup.a, &rec.a), (b, &setup.b, &rec.b)] {
        match side {
            Side::Coder(c) if c != recorded => {
                return Err(format!(
                    "this curated set was curated from {} and {}, not from coder {c}",
                    rec.a, rec.b
                ));
            }
            Side::Coder(_) => {}
            Side::All | Side::Other(_) => coding.name = recorded.clone(),
        }
    }
    Ok(())
}

/// Ends the comparison, saying why.
fn failed(app: &mut MarginaliaApp, why: String) {
    if let Some(v) = &mut app.compare {
        v.error = Some(why.clone());
        v.doc = None;
        v.setup = None;
    }
    app.status = Status::error(format!("Comparison ended: {why}"));
}

/// The document's set path relative to the corpus folder, or its file
/// name.
fn relative_set_path(app: &MarginaliaApp, session: &Session) -> PathBuf {
    let set = session.set_path.clone().unwrap_or_default();
    if let Some(c) = &app.corpus
        && let Ok(rel) = set.strip_prefix(&c.corpus.root)
    {
        return rel.to_owned();
    }
    set.file_name().map(PathBuf::from).unwrap_or_default()
}

/// Codings A and B of `session`'s document (named apart when both sides
/// have the same name).
fn codings(setup: &Setup, session: &Session, rel: &Path) -> Result<(Coding, Coding), String> {
    let mut a = coding(&setup.a, session, rel)?;
    let mut b = coding(&setup.b, session, rel)?;
    if a.name == b.name {
        a.name.push_str(" (A)");
        b.name.push_str(" (B)");
    }
    Ok((a, b))
}

/// One side's coding of the document.
fn coding(side: &Side, session: &Session, rel: &Path) -> Result<Coding, String> {
    let full = session.full_set();
    match side {
        Side::All => Ok(Coding {
            name: single_coder(full.annotations()).unwrap_or_else(|| "this file".into()),
            annotations: full.annotations().to_vec(),
            codebook: full.codebook.clone(),
        }),
        Side::Coder(c) => Ok(Coding {
            name: c.clone(),
            annotations: full
                .annotations()
                .iter()
                .filter(|a| a.coder.as_deref() == Some(c))
                .cloned()
                .collect(),
            codebook: full.codebook.clone(),
        }),
        Side::Other(p) => {
            let path = if p.is_dir() { p.join(rel) } else { p.clone() };
            let other = store::load(&path).map_err(|e| e.to_string())?;
            if other.source.sha256 != full.source.sha256 {
                return Err(format!(
                    "{} is a set of another text (its SHA-256 differs from this article's)",
                    path.display()
                ));
            }
            let name = single_coder(other.annotations()).unwrap_or_else(|| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "other".into())
            });
            Ok(Coding {
                name,
                annotations: other.annotations().to_vec(),
                codebook: other.codebook.clone(),
            })
        }
    }
}

fn single_coder(anns: &[crate::core::annotation::Annotation]) -> Option<String> {
    let first = anns.first()?.coder.clone()?;
    anns.iter()
        .all(|a| a.coder.as_deref() == Some(first.as_str()))
        .then_some(first)
}

/// The curated set of `session`'s document at `path` (read when it
/// exists, else new, with the document's codebook and metadata), as a
/// session whose coder is the curator.
fn curated_session(session: &Session, path: &Path, curator: &str) -> Result<Session, String> {
    let set = if path.exists() {
        let set = store::load(path).map_err(|e| e.to_string())?;
        if set.source.sha256 != session.set.source.sha256 {
            return Err(format!(
                "{} is a curated set of another text (its SHA-256 differs)",
                path.display()
            ));
        }
        set
    } else {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let full = session.full_set();
        let mut set = AnnotationSet::new(full.source.clone());
        set.codebook = full.codebook.clone();
        set.metadata = full.metadata.clone();
        set.metadata.curation = None;
        set
    };
    let mut s = Session::new(
        session.text.clone(),
        session.article_path.clone(),
        Some(path.to_owned()),
    );
    s.encoding = session.encoding;
    s.text_path = session.text_path.clone();
    s.extractor = session.extractor.clone();
    s.install_set(set);
    s.coder = Some(curator.to_owned());
    Ok(s)
}

/// The curator's name while curating (what the session stamps on the
/// curated set's changes instead of the coder's).
pub(super) fn curator(app: &MarginaliaApp) -> Option<String> {
    app.compare
        .as_ref()
        .filter(|v| v.curating())
        .and_then(|v| v.setup.as_ref())
        .and_then(|s| s.curate.as_ref())
        .map(|(_, c)| c.clone())
}

/// Rebuilds the open document's list when the document changed since it
/// was built (after install, a step, an undo): the sides again when they
/// are read from the open set, and what the curated set has decided.
pub(super) fn refresh(app: &mut MarginaliaApp) {
    let curating = app.compare.as_ref().is_some_and(CompareView::curating);
    let Some(setup) = app.compare.as_ref().and_then(|v| v.setup.clone()) else {
        return;
    };
    if !curating && app.compare.as_ref().is_some_and(|v| v.doc.is_none()) {
        compare_open_document(app, &setup);
    }
    let Some(w) = &mut app.workspace else { return };
    let state = w.session.history().state();
    let Some(d) = app.compare.as_mut().and_then(|v| v.doc.as_mut()) else {
        return;
    };
    if d.seen == Some(state) {
        return;
    }
    // Sides read from the open set follow its edits (not when curating:
    // the open set is then the curated one).
    if !curating && d.seen.is_some() {
        for (side, target) in [(&setup.a, &mut d.a), (&setup.b, &mut d.b)] {
            if matches!(side, Side::All | Side::Coder(_))
                && let Ok(c) = coding(side, &w.session, Path::new(""))
            {
                target.annotations = c.annotations;
            }
        }
    }
    d.seen = Some(state);
    let (list, agreements) = compare::compare(&d.a.annotations, &d.b.annotations);
    d.list = list;
    d.agreeing = agreements.len();
    if curating {
        let decided = curation::decided_references(&w.session.set);
        d.decided = d
            .list
            .iter()
            .map(|x| curation::is_decided(&curation::references(x, &d.a.name, &d.b.name), &decided))
            .collect();
        d.agreeing_left = curation::agreeing_left(&w.session.set, &agreements, &d.a, &d.b);
    } else {
        d.decided = vec![false; d.list.len()];
        d.agreeing_left = 0;
    }
    if d.current.is_some_and(|i| i >= d.list.len()) {
        d.current = d.list.len().checked_sub(1);
    }
    w.set_compare_marks(Some(marks(d, curating)));
}

/// Reads the open document's two codings (a comparison just started on
/// it); on failure the comparison ends with the reason shown.
fn compare_open_document(app: &mut MarginaliaApp, setup: &Setup) {
    let Some(w) = &app.workspace else { return };
    let rel = relative_set_path(app, &w.session);
    let built = codings(setup, &w.session, &rel);
    let source_set = w.session.set_path.clone();
    match built {
        Ok((a, b)) => {
            if let Some(v) = &mut app.compare {
                v.doc = Some(DocComparison {
                    a,
                    b,
                    source_set,
                    ..DocComparison::default()
                });
            }
        }
        Err(e) => {
            failed(app, e);
            end(app);
        }
    }
}

/// What the article draws for the document's comparison.
fn marks(d: &DocComparison, curating: bool) -> super::model::CompareMarks {
    let spans = |c: &Coding| {
        let mut v: Vec<(usize, usize)> = c.annotations.iter().map(|a| (a.start, a.end)).collect();
        v.sort_unstable();
        v
    };
    let (a, b) = (spans(&d.a), spans(&d.b));
    let longest = |v: &[(usize, usize)]| v.iter().map(|(s, e)| e - s).max().unwrap_or(0);
    super::model::CompareMarks {
        longest: [longest(&a), longest(&b)],
        a,
        b,
        current: d
            .current
            .and_then(|i| d.list.get(i))
            .map(Disagreement::position),
        curating,
    }
}

/// Steps to the next (or previous) disagreement, undecided ones first
/// when curating; selects its span and scrolls to it.
fn step(app: &mut MarginaliaApp, forward: bool) {
    let curating = app.compare.as_ref().is_some_and(CompareView::curating);
    let Some(d) = app.compare.as_mut().and_then(|v| v.doc.as_mut()) else {
        return;
    };
    let n = d.list.len();
    if n == 0 {
        app.status = Status::info("The two codings agree everywhere.");
        return;
    }
    let open = |i: usize| !curating || !d.decided.get(i).copied().unwrap_or(false);
    let from = d.current;
    let order: Vec<usize> = (1..=n)
        .map(|k| match (from, forward) {
            (None, true) => (k - 1) % n,
            (None, false) => (n - k) % n,
            (Some(c), true) => (c + k) % n,
            (Some(c), false) => (c + n * k - k) % n,
        })
        .collect();
    let next = order
        .iter()
        .copied()
        .find(|i| open(*i))
        .or(order.first().copied());
    if let Some(i) = next {
        select(app, i);
    }
}

/// Makes disagreement `i` the current one: its span selected and shown.
fn select(app: &mut MarginaliaApp, i: usize) {
    let curating = app.compare.as_ref().is_some_and(CompareView::curating);
    let Some(d) = app.compare.as_mut().and_then(|v| v.doc.as_mut()) else {
        return;
    };
    let Some(x) = d.list.get(i) else { return };
    d.current = Some(i);
    let (start, end) = x.position();
    let m = marks(d, curating);
    let status = format!("{} of {}: {}", i + 1, d.list.len(), x.describe());
    if let Some(w) = &mut app.workspace {
        w.set_compare_marks(Some(m));
    }
    app.push(super::model::SelectionIntent::Set {
        anchor: start,
        head: end,
    });
    app.push(super::model::SelectionIntent::ScrollTo(start));
    app.status = Status::info(status);
}

/// The command `make` builds for the current disagreement of the
/// curation (from the curated set, the curator, the two codings and the
/// disagreement), or why there is none (in the status).
fn command_for_current(
    app: &mut MarginaliaApp,
    make: impl FnOnce(
        &crate::core::set::AnnotationSet,
        &str,
        &Coding,
        &Coding,
        &Disagreement,
    ) -> Result<crate::core::command::Command, curation::CurationError>,
) -> Option<crate::core::command::Command> {
    let Some(curator) = curator(app) else {
        app.status = Status::error("Start curating first (Curate into…).");
        return None;
    };
    let d = app.compare.as_ref().and_then(|v| v.doc.as_ref())?;
    let Some(x) = d.current.and_then(|i| d.list.get(i)) else {
        app.status = Status::error("Step to a disagreement first (N).");
        return None;
    };
    let w = app.workspace.as_ref()?;
    match make(&w.session.set, &curator, &d.a, &d.b, x) {
        Ok(cmd) => Some(cmd),
        Err(e) => {
            app.status = Status::error(e.to_string());
            None
        }
    }
}

/// Applies the curator's choice to the current disagreement, then steps
/// to the next undecided one.
fn decide(app: &mut MarginaliaApp, choice: Choice) {
    let cmd = command_for_current(app, |set, curator, a, b, x| {
        curation::decide(set, curator, a, b, x, choice)
    });
    if let Some(cmd) = cmd
        && super::document::run(app, cmd, None)
    {
        refresh(app);
        step(app, true);
    }
}

/// Takes back the decision of the current disagreement (one undoable
/// step); it stays the current one.
fn reopen_decision(app: &mut MarginaliaApp) {
    let cmd = command_for_current(app, |set, _, a, b, x| {
        curation::reopen(set, &a.name, &b.name, x)
    });
    if let Some(cmd) = cmd
        && super::document::run(app, cmd, None)
    {
        refresh(app);
        app.status = Status::info("Decision taken back: the disagreement is open again");
    }
}

/// Takes over every agreeing pair in one step.
fn take_agreeing(app: &mut MarginaliaApp) {
    let Some(curator) = curator(app) else {
        app.status = Status::error("Start curating first (Curate into…).");
        return;
    };
    let (Some(d), Some(w)) = (
        app.compare.as_ref().and_then(|v| v.doc.as_ref()),
        &app.workspace,
    ) else {
        return;
    };
    match curation::take_agreeing(&w.session.set, &curator, &d.a, &d.b) {
        Ok(cmd) => {
            if super::document::run(app, cmd, None) {
                refresh(app);
            }
        }
        Err(e) => app.status = Status::info(e.to_string()),
    }
}
