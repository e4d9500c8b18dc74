//! Codebook changes applied to every set of a corpus as one step: rename,
//! recolour, re-parent (all `UpdateTag`), merge and delete a tag. A change
//! is planned first (every set read and changed on two threads, its new
//! bytes staged in `<root>/.marginalia/staged/`, no set touched: the
//! preview's counts), then put in place with a journal, and can be undone
//! as one step. Memory stays small: a plan keeps hashes, not sets.
//!
//! Invariants:
//! - Only the tag commands `UpdateTag`, `MergeTags` and `DeleteTag` are
//!   corpus-wide; a set that does not hold the tag is left alone.
//! - A plan is all or nothing: when one set cannot take the change (the
//!   new name already used there, a set that cannot be read), the plan
//!   fails naming it and nothing is written.
//! - A set whose modification time or length moved since the plan, or
//!   that is read-only, stops the change before anything is written.
//! - Before the first set is replaced, `<root>/.marginalia/change.ron`
//!   lists every set to write with the SHA-256 of its bytes before and
//!   after, and `<root>/.marginalia/before/<n>.ron` holds each set as it
//!   was (a hard link to its old file, else a copy). Each set is then
//!   replaced by renaming its staged file over it (atomic; staged files
//!   are synced first, folders after); `corpus.ron` (the corpus codebook)
//!   is written last and the journal marked finished. Undo and roll-back
//!   rename the old files back.
//! - A set that cannot be written stops the change: the sets already
//!   written get their old bytes back, and the error names the set.
//! - A set the change creates (tag all matches in a document not coded
//!   yet) has empty "before" bytes; rolling back or undoing removes it.
//! - An unfinished journal (the app stopped mid-change) is rolled back by
//!   [`recover`]: every set still at its "after" hash gets its old bytes
//!   back. A finished one is what [`undo`] restores, file by file, leaving
//!   (and naming) any set changed since.
//! - A change that leaves the corpus codebook alone (tag all matches) may
//!   also be undone one document at a time ([`undo_document`]); a set
//!   already back at its "before" bytes is skipped by every later undo.

use super::codebook::Codebook;
use super::command::{self, Command, EditContext};
use super::corpus::Corpus;
use super::set::AnnotationSet;
use super::store;
use super::text::{Text, sha256_hex};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The folder of the change journal, under the corpus root.
pub const CHANGE_DIR: &str = ".marginalia";
const JOURNAL_VERSION: u32 = 1;

/// One set in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalFile {
    /// The set's path relative to the corpus root, `/`-separated.
    pub set: String,
    /// SHA-256 of its bytes before the change.
    pub before: String,
    /// SHA-256 of its bytes after the change.
    pub after: String,
}

/// `change.ron`: what a corpus-wide change writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeJournal {
    /// Journal format version.
    pub version: u32,
    /// What the change is called ("rename tag “Drones”").
    pub label: String,
    /// True once every set and `corpus.ron` are written.
    pub finished: bool,
    /// The sets written, in order (`before/<n>.ron` is the n-th's copy).
    pub files: Vec<JournalFile>,
    /// The corpus codebook before the change.
    pub codebook_before: Codebook,
    /// Each document's part may be undone alone ([`undo_document`]): a
    /// change that leaves the corpus codebook as it was (tag all matches).
    #[serde(default)]
    pub per_document: bool,
}

/// One set a plan writes: its new bytes wait in the staging folder.
#[derive(Debug, Clone)]
struct PlannedWrite {
    rel: String,
    path: PathBuf,
    /// SHA-256 of the set's bytes when planned ("" bytes: it did not exist).
    before: String,
    /// SHA-256 of the new bytes.
    after: String,
    /// The set file's modification time and length when planned (`None`:
    /// it did not exist); a set that moved since is not overwritten.
    stamp: Option<(std::time::SystemTime, u64)>,
    /// Where the new bytes wait (`.marginalia/staged/<n>.ron`).
    staged: PathBuf,
}

/// A planned change: what it does and where (the preview), ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What the change is called.
    pub label: String,
    /// Documents whose set changes.
    pub documents: usize,
    /// Annotations carrying the tag concerned, over those sets.
    pub annotations: usize,
    /// The corpus codebook after the change.
    pub codebook_after: Codebook,
    writes: Vec<PlannedWrite>,
    /// Each document's part may be undone alone (see
    /// [`ChangeJournal::per_document`]).
    per_document: bool,
}

impl Plan {
    /// A plan of per-set changes made elsewhere (tag all matches across
    /// the corpus): `writes` are (relative path, set path, bytes before —
    /// empty for a set that does not exist yet —, bytes after). The new
    /// bytes are staged under the corpus's `.marginalia/staged/`.
    pub fn from_writes(
        root: &Path,
        label: String,
        annotations: usize,
        codebook_after: Codebook,
        writes: Vec<(String, PathBuf, Vec<u8>, String)>,
    ) -> Result<Plan, String> {
        let staging = fresh_staging(root)?;
        let mut planned = Vec::with_capacity(writes.len());
        for (n, (rel, path, before, after)) in writes.into_iter().enumerate() {
            let staged = staging.join(format!("{n}.ron"));
            write_staged(&staged, after.as_bytes())?;
            planned.push(PlannedWrite {
                rel,
                stamp: stamp(&path),
                path,
                before: sha256_hex_bytes(&before),
                after: sha256_hex(&after),
                staged,
            });
        }
        // A document's stored extracted text is written beside its set:
        // documents are counted by their sets.
        let documents = planned
            .iter()
            .filter(|w| store::is_set_path(&w.path))
            .count();
        Ok(Plan {
            label,
            documents,
            annotations,
            codebook_after,
            writes: planned,
            per_document: true,
        })
    }

    /// Whether each document's part may be undone alone (see
    /// [`ChangeJournal::per_document`]).
    pub fn per_document(&self) -> bool {
        self.per_document
    }

    /// The sets the change writes.
    pub fn set_paths(&self) -> impl Iterator<Item = &std::path::Path> {
        self.writes.iter().map(|w| w.path.as_path())
    }

    /// The preview line: "rename tag “A” affects 1,234 annotations in 87
    /// documents".
    pub fn summary(&self) -> String {
        let docs = match self.documents {
            1 => "1 document".to_owned(),
            n => format!("{} documents", group(n)),
        };
        let anns = match self.annotations {
            1 => "1 annotation".to_owned(),
            n => format!("{} annotations", group(n)),
        };
        format!("{} affects {anns} in {docs}", self.label)
    }
}

/// A count with thousands separators (`1,000`), as messages and the
/// window show counts.
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether `cmd` is one of the corpus-wide tag commands.
pub fn is_corpus_wide(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::UpdateTag { .. } | Command::MergeTags { .. } | Command::DeleteTag { .. }
    )
}

/// The tag a command is about, and (for a merge) the tag it goes into.
fn concerned(cmd: &Command) -> Option<(super::codebook::TagKind, &str, Option<&str>)> {
    match cmd {
        Command::UpdateTag { kind, name, .. } | Command::DeleteTag { kind, name } => {
            Some((*kind, name.as_str(), None))
        }
        Command::MergeTags { kind, from, into } => Some((*kind, from.as_str(), Some(into))),
        _ => None,
    }
}

/// What the change is called in the preview and the messages.
pub fn label(cmd: &Command, codebook: &Codebook) -> String {
    match cmd {
        Command::UpdateTag { kind, name, tag } => {
            let old = codebook.get(*kind, name);
            if tag.name != *name {
                format!("rename {kind} “{name}” to “{}”", tag.name)
            } else if old.is_some_and(|o| o.parent != tag.parent) {
                match &tag.parent {
                    Some(p) => format!("move {kind} “{name}” under “{p}”"),
                    None => format!("move {kind} “{name}” to the top level"),
                }
            } else if old.is_some_and(|o| o.color != tag.color) {
                format!("recolour {kind} “{name}”")
            } else {
                format!("change {kind} “{name}”")
            }
        }
        Command::MergeTags { kind, from, into } => {
            format!("merge {kind} “{from}” into “{into}”")
        }
        Command::DeleteTag { kind, name } => format!("delete {kind} “{name}”"),
        other => other.label(),
    }
}

/// Plans `cmd` over every set of `corpus` (see the module invariants).
pub fn plan(corpus: &Corpus, cmd: &Command) -> Result<Plan, String> {
    plan_with_progress(corpus, cmd, &AtomicUsize::new(0))
}

/// [`plan`], counting the documents read in `progress` (for a progress
/// bar while a large corpus is planned on another thread).
pub fn plan_with_progress(
    corpus: &Corpus,
    cmd: &Command,
    progress: &AtomicUsize,
) -> Result<Plan, String> {
    let Some((kind, name, into)) = concerned(cmd) else {
        return Err("only renaming, recolouring, re-parenting, merging and deleting a tag apply to the whole corpus".into());
    };
    let empty = Text::new(String::new());
    let now = super::time::now_rfc3339();
    let cx = EditContext {
        text: &empty,
        now: &now,
        coder: None,
    };
    // The corpus codebook takes the change first: it must hold the tag.
    let mut cb_set = AnnotationSet::new(Default::default());
    cb_set.codebook = corpus.file.codebook.clone();
    command::apply(&mut cb_set, cmd.clone(), cx)
        .map_err(|e| format!("the corpus codebook: {e}"))?;
    let staging = fresh_staging(&corpus.root)?;
    let job = PlanJob {
        corpus,
        cmd,
        kind,
        name,
        into,
        label: label(cmd, &corpus.file.codebook),
        now: &now,
        staging: &staging,
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Planned)>> = Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for w in 0..PLAN_WORKERS {
            let (job, next, results) = (&job, &next, &results);
            sc.spawn(move || {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(d) = corpus.docs.get(i) else { break };
                    mine.push((i, job.one(w, i, d)));
                    progress.fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(mut all) = results.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|r| r.0);
    let mut plan = Plan {
        label: job.label.clone(),
        documents: 0,
        annotations: 0,
        codebook_after: cb_set.codebook,
        writes: Vec::new(),
        per_document: false,
    };
    for (_, r) in results {
        match r {
            Ok(Some((w, n))) => {
                plan.documents += 1;
                plan.annotations += n;
                plan.writes.push(w);
            }
            Ok(None) => {}
            Err(e) => {
                discard(&corpus.root);
                return Err(e);
            }
        }
    }
    Ok(plan)
}

/// One document planned: unchanged (`None`), or its staged write and the
/// annotations concerned; or why it cannot take the change.
type Planned = Result<Option<(PlannedWrite, usize)>, String>;

/// Threads planning a change (reading, changing and staging sets).
const PLAN_WORKERS: usize = 2;

/// What every planning thread shares.
struct PlanJob<'a> {
    corpus: &'a Corpus,
    cmd: &'a Command,
    kind: super::codebook::TagKind,
    name: &'a str,
    into: Option<&'a str>,
    label: String,
    now: &'a str,
    staging: &'a Path,
}

impl PlanJob<'_> {
    /// Plans document `i` on worker `w`: `None` when its set does not
    /// change; the staged write and the annotations concerned otherwise.
    fn one(
        &self,
        w: usize,
        i: usize,
        d: &super::corpus::DocEntry,
    ) -> Result<Option<(PlannedWrite, usize)>, String> {
        if !d.set_path.is_file() {
            return Ok(None);
        }
        let shown = rel_of(&self.corpus.root, &d.set_path);
        let seen = stamp(&d.set_path);
        let before = fs::read_to_string(&d.set_path).map_err(|e| format!("{shown}: {e}"))?;
        let mut set = store::from_ron(&before, &d.set_path).map_err(|e| e.to_string())?;
        let (kind, name) = (self.kind, self.name);
        if set.codebook.get(kind, name).is_none() {
            return Ok(None);
        }
        let concerned = set
            .annotations()
            .iter()
            .filter(|a| a.tags(kind).iter().any(|t| t == name))
            .count();
        let mut cmds = Vec::new();
        if let Some(into) = self.into
            && set.codebook.get(kind, into).is_none()
            && let Some(t) = self.corpus.file.codebook.get(kind, into)
        {
            // The set gets the corpus's tag to merge into.
            let mut t = t.clone();
            if t.digit.is_some_and(|d| set.codebook.by_digit(d).is_some()) {
                t.digit = None;
            }
            cmds.push(Command::CreateTag(t));
        }
        cmds.push(self.cmd.clone());
        let batch = Command::Batch {
            label: self.label.clone(),
            commands: cmds,
        };
        let empty = Text::new(String::new());
        let cx = EditContext {
            text: &empty,
            now: self.now,
            coder: None,
        };
        match command::apply(&mut set, batch, cx) {
            Ok(_) | Err(command::CommandError::NoChange) => {}
            Err(e) => return Err(format!("{shown}: {e}; nothing was changed")),
        }
        let after = store::to_ron(&set).map_err(|e| e.to_string())?;
        if after == before {
            return Ok(None);
        }
        // Each worker stages in its own folder: two threads creating files
        // in one folder wait for each other on its lock.
        let staged = self.staging.join(w.to_string()).join(format!("{i}.ron"));
        write_staged(&staged, after.as_bytes())?;
        Ok(Some((
            PlannedWrite {
                rel: shown,
                path: d.set_path.clone(),
                before: sha256_hex(&before),
                after: sha256_hex(&after),
                stamp: seen,
                staged,
            },
            concerned,
        )))
    }
}

/// A file's modification time and length.
fn stamp(p: &Path) -> Option<(std::time::SystemTime, u64)> {
    let m = fs::metadata(p).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Writes a staged set (synced with all the others before the renames,
/// see [`sync_staged`]; starting each file's write-back at once with
/// `sync_file_range` was measured slower on 10,000 sets).
fn write_staged(p: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut f = fs::File::create(p).map_err(|e| io_err(p, e))?;
    f.write_all(bytes).map_err(|e| io_err(p, e))?;
    Ok(())
}

/// Puts the staged files on the disk before any of them replaces a set:
/// one `syncfs` of the corpus's file system on Linux (10,000 `fsync`s
/// cost seconds), else each file synced.
fn sync_staged(root: &Path, writes: &[PlannedWrite]) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(dir) = fs::File::open(journal_dir(root)) {
            // SAFETY: syncfs only reads the descriptor, which `dir` keeps
            // open for the duration of the call.
            if unsafe { libc::syncfs(dir.as_raw_fd()) } == 0 {
                return Ok(());
            }
        }
    }
    let _ = root;
    for w in writes {
        fs::File::open(&w.staged)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_err(&w.staged, e))?;
    }
    Ok(())
}

/// An empty staging folder for a new plan (`.marginalia/staged/`).
fn fresh_staging(root: &Path) -> Result<PathBuf, String> {
    let dir = journal_dir(root).join("staged");
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
    }
    for w in 0..PLAN_WORKERS {
        let sub = dir.join(w.to_string());
        fs::create_dir_all(&sub).map_err(|e| io_err(&sub, e))?;
    }
    Ok(dir)
}

/// Drops a plan that will not run: its staged sets are removed (the sets
/// themselves were never touched). Errors are ignored: a staging folder
/// left behind is replaced by the next plan.
pub fn discard(root: &Path) {
    let dir = journal_dir(root).join("staged");
    if dir.exists() {
        let _ = fs::remove_dir_all(&dir);
    }
    // The journal folder goes too when nothing else is in it.
    let _ = fs::remove_dir(journal_dir(root));
}

/// Syncs the folders holding `paths` (so renames in them are durable).
fn sync_folders<'a>(paths: impl Iterator<Item = &'a Path>) {
    let dirs: std::collections::BTreeSet<&Path> = paths.filter_map(Path::parent).collect();
    for d in dirs {
        // Best effort: the files themselves were synced before the rename.
        if let Ok(f) = fs::File::open(d) {
            let _ = f.sync_all();
        }
    }
}

fn rel_of(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| p.display().to_string())
}

fn journal_dir(root: &Path) -> PathBuf {
    root.join(CHANGE_DIR)
}

fn io_err(p: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", p.display())
}

fn write_journal(root: &Path, j: &ChangeJournal) -> Result<(), String> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("  ".to_owned())
        .new_line("\n".to_owned())
        .struct_names(false);
    let text = ron::ser::to_string_pretty(j, config).map_err(|e| e.to_string())?;
    let p = journal_dir(root).join("change.ron");
    store::replace_file(&p, text.as_bytes()).map_err(|e| io_err(&p, e))
}

/// Reads the journal of the last corpus-wide change, if there is one.
pub fn read_journal(root: &Path) -> Result<Option<ChangeJournal>, String> {
    let p = journal_dir(root).join("change.ron");
    if !p.is_file() {
        return Ok(None);
    }
    let text = fs::read_to_string(&p).map_err(|e| io_err(&p, e))?;
    ron::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{}: not a valid change journal: {e}", p.display()))
}

/// Writes a plan (see the module invariants); returns how many sets were
/// written. On failure every set is as it was and the message names the
/// set that could not be written.
pub fn execute(corpus: &mut Corpus, plan: Plan) -> Result<usize, String> {
    let root = corpus.root.clone();
    let dir = journal_dir(&root);
    let before_dir = dir.join("before");
    for w in &plan.writes {
        if stamp(&w.path) != w.stamp {
            discard(&root);
            return Err(format!(
                "{} changed since the preview; nothing was changed",
                w.rel
            ));
        }
        // A read-only set is the user's choice: the rename would replace
        // it anyway (it only needs a writable folder), so refuse first.
        if fs::metadata(&w.path).is_ok_and(|m| m.permissions().readonly()) {
            discard(&root);
            return Err(format!(
                "{} could not be written (the file is read-only); the change was not made",
                w.rel
            ));
        }
    }
    sync_staged(&root, &plan.writes)?;
    if before_dir.exists() {
        fs::remove_dir_all(&before_dir).map_err(|e| io_err(&before_dir, e))?;
    }
    fs::create_dir_all(&before_dir).map_err(|e| io_err(&before_dir, e))?;
    let mut journal = ChangeJournal {
        version: JOURNAL_VERSION,
        label: plan.label.clone(),
        finished: false,
        files: Vec::new(),
        codebook_before: corpus.file.codebook.clone(),
        per_document: plan.per_document,
    };
    for (n, w) in plan.writes.iter().enumerate() {
        let copy = before_dir.join(format!("{n}.ron"));
        if w.stamp.is_none() {
            // A set the change creates: an empty copy says "absent".
            fs::write(&copy, b"").map_err(|e| io_err(&copy, e))?;
        } else if fs::hard_link(&w.path, &copy).is_err() {
            // The set is replaced by a rename, so a link keeps its old
            // bytes; where links are not possible, a copy.
            fs::copy(&w.path, &copy).map_err(|e| io_err(&copy, e))?;
        }
        journal.files.push(JournalFile {
            set: w.rel.clone(),
            before: w.before.clone(),
            after: w.after.clone(),
        });
    }
    sync_folders(std::iter::once(copy_dir_marker(&before_dir).as_path()));
    write_journal(&root, &journal)?;
    for (n, w) in plan.writes.iter().enumerate() {
        if let Err(e) = fs::rename(&w.staged, &w.path) {
            let restored = restore(&root, &journal, n);
            let _ = fs::remove_dir_all(&dir);
            return Err(format!(
                "{} could not be written ({e}); the change was not made{}",
                w.rel,
                match restored {
                    Ok(_) => String::new(),
                    Err(r) => format!(", and restoring failed: {r}"),
                }
            ));
        }
    }
    sync_folders(plan.writes.iter().map(|w| w.path.as_path()));
    corpus.file.codebook = plan.codebook_after;
    corpus.save().map_err(|e| e.to_string())?;
    journal.finished = true;
    write_journal(&root, &journal)?;
    discard(&root);
    Ok(plan.writes.len())
}

/// A path inside `dir` (so [`sync_folders`] syncs `dir` itself).
fn copy_dir_marker(dir: &Path) -> PathBuf {
    dir.join("0.ron")
}

fn sha256_hex_bytes(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => sha256_hex(s),
        // Sets are UTF-8 (they loaded); the fallback only keeps this total.
        Err(_) => sha256_hex(&String::from_utf8_lossy(b)),
    }
}

/// Puts back the old bytes of the journal's first `upto` sets that are at
/// their "after" hash; returns the sets restored and those left alone
/// (changed since).
fn restore(root: &Path, j: &ChangeJournal, upto: usize) -> Result<(usize, Vec<String>), String> {
    let mut restored = 0;
    let mut left = Vec::new();
    for (n, f) in j.files.iter().enumerate().take(upto) {
        match restore_one(root, n, f)? {
            Restore::Done => restored += 1,
            Restore::Already => {}
            Restore::ChangedSince => left.push(f.set.clone()),
        }
    }
    let paths: Vec<PathBuf> = j
        .files
        .iter()
        .take(upto)
        .map(|f| root.join(&f.set))
        .collect();
    sync_folders(paths.iter().map(PathBuf::as_path));
    Ok((restored, left))
}

/// What restoring one set did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Restore {
    /// Its old bytes are back (or the set the change created is gone).
    Done,
    /// It already had its old bytes.
    Already,
    /// It changed since the change: left as it is.
    ChangedSince,
}

/// Restores the journal's `n`-th set `f`.
fn restore_one(root: &Path, n: usize, f: &JournalFile) -> Result<Restore, String> {
    let path = root.join(&f.set);
    // A set the change created had no bytes before: absent is "before".
    let now = fs::read(&path)
        .map(|b| sha256_hex_bytes(&b))
        .ok()
        .or_else(|| (!path.exists()).then(|| sha256_hex("")));
    if now.as_deref() == Some(f.before.as_str()) {
        return Ok(Restore::Already);
    }
    if now.as_deref() != Some(f.after.as_str()) {
        return Ok(Restore::ChangedSince);
    }
    let copy = journal_dir(root).join("before").join(format!("{n}.ron"));
    let len = fs::metadata(&copy).map_err(|e| io_err(&copy, e))?.len();
    if len == 0 {
        // The change created this set: undoing it removes the file.
        fs::remove_file(&path).map_err(|e| io_err(&path, e))?;
    } else if fs::rename(&copy, &path).is_err() {
        let old = fs::read(&copy).map_err(|e| io_err(&copy, e))?;
        store::write_atomic(&path, &old, &mut |f, b| f.write_all(b)).map_err(|e| e.to_string())?;
    }
    Ok(Restore::Done)
}

/// Undoes one document's part of the last corpus-wide change, when that
/// change allows it ([`ChangeJournal::per_document`]): the set at
/// `set_path` gets its bytes from before the change (a set the change
/// created is removed); the other documents keep the change, and [`undo`]
/// later restores them (this one, already restored, is left alone).
/// `Ok(None)` when the last change does not concern this set or was
/// already undone for it; an error when the set changed since.
pub fn undo_document(corpus: &Corpus, set_path: &Path) -> Result<Option<String>, String> {
    let Some(j) = read_journal(&corpus.root)? else {
        return Ok(None);
    };
    if !j.finished || !j.per_document {
        return Ok(None);
    }
    // The set, and the extracted text the change stored beside it.
    let mine = [
        rel_of(&corpus.root, set_path),
        rel_of(&corpus.root, &super::session::text_path_for(set_path)),
    ];
    let mut done = false;
    for (n, f) in j
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| mine.contains(&f.set))
    {
        match restore_one(&corpus.root, n, f)? {
            Restore::Done => done = true,
            Restore::Already => {}
            Restore::ChangedSince => {
                return Err(format!(
                    "{} changed since “{}”; it was left as it is",
                    f.set, j.label
                ));
            }
        }
    }
    sync_folders(std::iter::once(set_path));
    Ok(done.then_some(j.label))
}

/// What [`recover`] and [`undo`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The change's label.
    pub label: String,
    /// Sets given their old bytes back.
    pub restored: usize,
    /// Sets changed since the change, left as they are.
    pub left: Vec<String>,
}

/// Rolls back an unfinished change left by a crash (none: `Ok(None)`).
pub fn recover(corpus: &mut Corpus) -> Result<Option<Restored>, String> {
    match read_journal(&corpus.root)? {
        Some(j) if !j.finished => undo_journal(corpus, j).map(Some),
        _ => Ok(None),
    }
}

/// Undoes the last finished corpus-wide change (none: `Ok(None)`).
pub fn undo(corpus: &mut Corpus) -> Result<Option<Restored>, String> {
    match read_journal(&corpus.root)? {
        Some(j) if j.finished => undo_journal(corpus, j).map(Some),
        _ => Ok(None),
    }
}

fn undo_journal(corpus: &mut Corpus, j: ChangeJournal) -> Result<Restored, String> {
    let (restored, left) = restore(&corpus.root, &j, j.files.len())?;
    corpus.file.codebook = j.codebook_before.clone();
    corpus.save().map_err(|e| e.to_string())?;
    let dir = journal_dir(&corpus.root);
    fs::remove_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
    Ok(Restored {
        label: j.label,
        restored,
        left,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::{Rgb, Tag, TagKind};
    use crate::core::set::SourceRef;

    /// Three articles: a and b use "Drones" (2 and 1 annotations), c only
    /// "Trade"; every set saved, the corpus codebook adopted.
    fn corpus(dir: &Path) -> Corpus {
        let text = Text::new("Drones and trade and more.".into());
        for (stem, tags) in [
            ("a", vec!["Drones", "Drones"]),
            ("b", vec!["Drones"]),
            ("c", vec!["Trade"]),
        ] {
            fs::write(dir.join(format!("{stem}.txt")), text.as_str()).unwrap();
            let mut set = AnnotationSet::new(SourceRef {
                path: format!("{stem}.txt"),
                ..Default::default()
            });
            let mut cb = Vec::new();
            let mut anns = Vec::new();
            for (i, t) in tags.iter().enumerate() {
                cb.push(Tag::new(TagKind::Issue, t, Rgb([1, 2, 3])));
                let mut a = Annotation::new(format!("a{i}"), &text, i, i + 3, "t");
                a.issues = vec![(*t).to_owned()];
                anns.push(a);
            }
            set.codebook = Codebook::from_tags(cb);
            set.set_annotations(anns);
            store::save(&dir.join(format!("{stem}.annotations.ron")), &set).unwrap();
        }
        let mut c = Corpus::open(dir).unwrap();
        for d in c.docs.clone() {
            c.adopt_tags(&store::load(&d.set_path).unwrap().codebook);
        }
        c.save().unwrap();
        c
    }

    fn rename(from: &str, to: &str) -> Command {
        let mut tag = Tag::new(TagKind::Issue, to, Rgb([1, 2, 3]));
        tag.name = to.into();
        Command::UpdateTag {
            kind: TagKind::Issue,
            name: from.into(),
            tag,
        }
    }

    fn bytes(dir: &Path) -> Vec<Vec<u8>> {
        ["a", "b", "c"]
            .iter()
            .map(|s| fs::read(dir.join(format!("{s}.annotations.ron"))).unwrap())
            .collect()
    }

    #[test]
    fn a_rename_is_previewed_written_everywhere_and_undone_byte_for_byte() {
        let d = tempfile::tempdir().unwrap();
        let mut c = corpus(d.path());
        let before = bytes(d.path());
        let corpus_before = fs::read(c.file_path()).unwrap();
        let plan = plan(&c, &rename("Drones", "Drone strikes")).unwrap();
        assert_eq!(
            plan.summary(),
            "rename issue “Drones” to “Drone strikes” affects 3 annotations in 2 documents"
        );
        assert_eq!(bytes(d.path()), before, "planning writes nothing");
        assert_eq!(execute(&mut c, plan).unwrap(), 2);
        let a = store::load(&d.path().join("a.annotations.ron")).unwrap();
        assert!(
            a.annotations()
                .iter()
                .all(|x| x.issues == ["Drone strikes"])
        );
        assert!(a.codebook.get(TagKind::Issue, "Drones").is_none());
        assert_eq!(bytes(d.path())[2], before[2], "c does not use the tag");
        let again = Corpus::open(d.path()).unwrap();
        assert!(
            again
                .file
                .codebook
                .get(TagKind::Issue, "Drone strikes")
                .is_some()
        );
        assert!(read_journal(d.path()).unwrap().unwrap().finished);
        // Undo: every set and corpus.ron as they were.
        let r = undo(&mut c).unwrap().unwrap();
        assert_eq!((r.restored, r.left.len()), (2, 0));
        assert_eq!(bytes(d.path()), before);
        assert_eq!(fs::read(c.file_path()).unwrap(), corpus_before);
        assert!(read_journal(d.path()).unwrap().is_none());
        assert!(undo(&mut c).unwrap().is_none(), "nothing more to undo");
    }

    #[test]
    fn a_rename_onto_a_name_one_set_already_uses_is_refused_naming_it() {
        let d = tempfile::tempdir().unwrap();
        let c = corpus(d.path());
        // b gets a "Trade" tag of its own: renaming Drones to Trade would
        // collide there.
        let p = d.path().join("b.annotations.ron");
        let mut b = store::load(&p).unwrap();
        b.codebook
            .insert(Tag::new(TagKind::Issue, "Trade", Rgb([9, 9, 9])));
        store::save(&p, &b).unwrap();
        let before = bytes(d.path());
        let mut c2 = Corpus::open(d.path()).unwrap();
        c2.file = c.file.clone();
        c2.file.codebook.remove(TagKind::Issue, "Trade");
        let e = plan(&c2, &rename("Drones", "Trade")).unwrap_err();
        assert!(e.starts_with("b.annotations.ron: "), "{e}");
        assert!(e.ends_with("nothing was changed"), "{e}");
        assert_eq!(bytes(d.path()), before);
    }

    #[test]
    fn a_set_that_cannot_be_written_stops_the_change_and_the_others_get_their_bytes_back() {
        let d = tempfile::tempdir().unwrap();
        let mut c = corpus(d.path());
        let before = bytes(d.path());
        let p = d.path().join("b.annotations.ron");
        let mut perms = fs::metadata(&p).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&p, perms).unwrap();
        let plan = plan(&c, &rename("Drones", "Drone strikes")).unwrap();
        let e = execute(&mut c, plan).unwrap_err();
        assert!(
            e.starts_with("b.annotations.ron could not be written"),
            "{e}"
        );
        assert_eq!(bytes(d.path()), before);
        assert!(!d.path().join(CHANGE_DIR).exists());
        let again = Corpus::open(d.path()).unwrap();
        assert!(again.file.codebook.get(TagKind::Issue, "Drones").is_some());
    }

    #[test]
    fn a_set_changed_after_the_preview_is_named_and_nothing_is_written() {
        let d = tempfile::tempdir().unwrap();
        let mut c = corpus(d.path());
        let p = plan(&c, &rename("Drones", "Drone strikes")).unwrap();
        // The plan staged the new sets and touched none.
        let staged = d.path().join(CHANGE_DIR).join("staged");
        assert_eq!(fs::read_dir(&staged).unwrap().count(), 2);
        // Another program rewrites b meanwhile (a longer file).
        let b = d.path().join("b.annotations.ron");
        let mut changed = fs::read_to_string(&b).unwrap();
        changed.push('\n');
        fs::write(&b, &changed).unwrap();
        let before = bytes(d.path());
        let e = execute(&mut c, p).unwrap_err();
        assert_eq!(
            e,
            "b.annotations.ron changed since the preview; nothing was changed"
        );
        assert_eq!(bytes(d.path()), before);
        assert!(!d.path().join(CHANGE_DIR).exists(), "staged sets removed");
        // A plan dropped without running leaves nothing behind either.
        let _ = plan(&c, &rename("Drones", "Drone strikes")).unwrap();
        discard(d.path());
        assert!(!d.path().join(CHANGE_DIR).exists());
    }

    #[test]
    fn an_interrupted_change_is_rolled_back_on_the_next_open() {
        let d = tempfile::tempdir().unwrap();
        let mut c = corpus(d.path());
        let before = bytes(d.path());
        let plan = plan(&c, &rename("Drones", "Drone strikes")).unwrap();
        execute(&mut c, plan).unwrap();
        // As if the app had stopped after the sets, before corpus.ron.
        let mut j = read_journal(d.path()).unwrap().unwrap();
        j.finished = false;
        write_journal(d.path(), &j).unwrap();
        let mut reopened = Corpus::open(d.path()).unwrap();
        let r = recover(&mut reopened).unwrap().unwrap();
        assert_eq!(r.restored, 2);
        assert_eq!(bytes(d.path()), before);
        assert!(
            reopened
                .file
                .codebook
                .get(TagKind::Issue, "Drones")
                .is_some()
        );
        assert!(recover(&mut reopened).unwrap().is_none());
    }

    #[test]
    fn a_merge_gives_sets_without_the_target_the_corpus_tag() {
        let d = tempfile::tempdir().unwrap();
        let mut c = corpus(d.path());
        let cmd = Command::MergeTags {
            kind: TagKind::Issue,
            from: "Drones".into(),
            into: "Trade".into(),
        };
        let plan = plan(&c, &cmd).unwrap();
        assert_eq!(plan.documents, 2);
        execute(&mut c, plan).unwrap();
        let b = store::load(&d.path().join("b.annotations.ron")).unwrap();
        assert_eq!(b.annotations()[0].issues, ["Trade"]);
        assert!(b.codebook.get(TagKind::Issue, "Trade").is_some());
        assert!(c.file.codebook.get(TagKind::Issue, "Drones").is_none());
        // An edit after the change is not undone: that set is named.
        let p = d.path().join("a.annotations.ron");
        let mut a = store::load(&p).unwrap();
        a.metadata.notes = Some("edited".into());
        store::save(&p, &a).unwrap();
        let r = undo(&mut c).unwrap().unwrap();
        assert_eq!(r.left, ["a.annotations.ron"]);
        assert_eq!(r.restored, 1);
    }
}
