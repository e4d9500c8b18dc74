//! The autosave recovery journal: every change since the last save, written
//! cheaply so a crash (kill -9, power loss) loses at most about a second of
//! work.
//!
//! File: `<set file name>.journal` beside the set (e.g.
//! `us-pakistan-truce.annotations.ron.journal`), or, when that folder cannot
//! be written, `<set file name>-<hash of its path>.journal` in a fallback
//! folder the app chooses (a user data folder).
//!
//! Format: UTF-8 text, one JSON object per line (`\n`-terminated).
//! - Line 1, the header: `{"marginalia_journal":1,"set_path":…,
//!   "text_sha256":…,"base_sha256":…|null,"created":…}`: the set file it
//!   applies to, the SHA-256 of the article text, and the SHA-256 of the set
//!   file's bytes when the journal started (null when no set file existed).
//! - Each further line, an entry: `{"time":…,"upsert":[annotations…],
//!   "delete":[ids…],"orphans":[…]|null,"codebook":{…}|null,
//!   "metadata":{…}|null}`: the full new value of every annotation touched
//!   by one executed, undone or redone step, the ids that disappeared, and
//!   the whole orphan list, codebook and metadata when they changed.
//!
//! Invariants:
//! - The journal is append-only; entries are full values, so replaying them
//!   in order onto the saved set (after the same re-anchoring on open)
//!   rebuilds the unsaved state exactly.
//! - A torn last line (power loss mid-write) is ignored; nothing before it
//!   is lost.
//! - A journal whose header does not match the current text or set file is
//!   reported ([`Recovery::mismatch`]) and not applied unless the caller
//!   forces it.
//! - [`Journal::flush`] writes the entries before it returns (they survive
//!   the app being killed); with [`Journal::set_background_sync`] the sync
//!   to the disk that protects them from a power loss runs on a helper
//!   thread right after, so a slow disk never stalls the caller's frame.
//! - A journal is never silently deleted: only [`Journal::discard`] (after a
//!   successful save) removes it; declining a recovery renames it to
//!   `.journal.declined-<time>`; a leftover journal found when a new one
//!   starts is renamed to `.journal.prev-<time>`.

use super::annotation::Annotation;
use super::codebook::Codebook;
use super::command::Touched;
use super::set::{AnnotationSet, Metadata};
use super::text::sha256_hex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Format version of the journal file.
pub const JOURNAL_VERSION: u32 = 1;

/// Suffix appended to the set file's name.
pub const JOURNAL_SUFFIX: &str = ".journal";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    marginalia_journal: u32,
    set_path: String,
    text_sha256: String,
    base_sha256: Option<String>,
    created: String,
}

/// One recorded step: the resulting values of what it touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    time: String,
    #[serde(default)]
    upsert: Vec<Annotation>,
    #[serde(default)]
    delete: Vec<String>,
    #[serde(default)]
    orphans: Option<Vec<Annotation>>,
    #[serde(default)]
    codebook: Option<Codebook>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

/// `<set file name>.journal` beside the set.
pub fn journal_path_beside(set_path: &Path) -> PathBuf {
    let mut name = set_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "annotations".into());
    name.push(JOURNAL_SUFFIX);
    set_path.with_file_name(name)
}

/// The journal's name in the fallback folder: the set's file name plus a
/// short hash of its absolute path (two sets with the same name in
/// different folders do not collide).
pub fn journal_path_in(fallback_dir: &Path, set_path: &Path) -> PathBuf {
    let abs = absolute(set_path);
    let hash = sha256_hex(&abs.to_string_lossy());
    let name = set_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "annotations".into());
    fallback_dir.join(format!("{name}-{}{JOURNAL_SUFFIX}", &hash[..12]))
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_owned();
    }
    std::env::current_dir()
        .map(|c| c.join(p))
        .unwrap_or_else(|_| p.to_owned())
}

/// SHA-256 of the set file's bytes, `None` when it does not exist or
/// cannot be read.
fn file_sha(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    // sha256_hex takes a str; hash the bytes through a lossless view.
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(&bytes);
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

fn now_stamp() -> String {
    super::time::now_rfc3339()
}

/// A file-name-safe form of the current time, for renamed journals.
fn file_stamp() -> String {
    now_stamp().replace(':', "-")
}

/// Renames `path` to `<path><tag><time>` (adding a counter when taken).
fn rename_aside(path: &Path, tag: &str) -> io::Result<PathBuf> {
    let base = format!("{}{tag}{}", path.to_string_lossy(), file_stamp());
    let mut target = PathBuf::from(&base);
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = PathBuf::from(format!("{base}-{n}"));
    }
    fs::rename(path, &target)?;
    Ok(target)
}

/// The autosave journal of one open set. Call [`Journal::record`] after
/// every successful `Session::execute`, `undo` and `redo` (cheap: it only
/// serialises what the step touched into memory), [`Journal::flush`] about
/// once a second (appends and syncs), and [`Journal::discard`] after every
/// successful save.
#[derive(Debug)]
pub struct Journal {
    set_path: PathBuf,
    fallback_dir: PathBuf,
    text_sha256: String,
    base_sha256: Option<String>,
    /// Where the journal is written, once the first entry was flushed.
    path: Option<PathBuf>,
    file: Option<File>,
    /// Syncs `file` on a helper thread (when background sync is on).
    syncer: Option<Syncer>,
    background_sync: bool,
    pending: Vec<u8>,
    entries: usize,
    last_orphans: Vec<Annotation>,
    last_codebook: Codebook,
    last_metadata: Metadata,
}

impl Journal {
    /// Starts a journal for the set saved (or to be saved) at `set_path`,
    /// whose current in-memory state is `set` on a text with digest
    /// `text_sha256`. Nothing is written until the first flush with
    /// entries. Call [`find_recovery`] first: a journal left over at the
    /// same place is renamed to `.journal.prev-<time>` when this one first
    /// writes, never overwritten.
    pub fn open_for(
        set_path: &Path,
        fallback_dir: &Path,
        set: &AnnotationSet,
        text_sha256: &str,
    ) -> Journal {
        Journal {
            set_path: set_path.to_owned(),
            fallback_dir: fallback_dir.to_owned(),
            text_sha256: text_sha256.to_owned(),
            base_sha256: file_sha(set_path),
            path: None,
            file: None,
            syncer: None,
            background_sync: false,
            pending: Vec::new(),
            entries: 0,
            last_orphans: set.orphans.clone(),
            last_codebook: set.codebook.clone(),
            last_metadata: set.metadata.clone(),
        }
    }

    /// Sync the file to the disk on a helper thread after each flush
    /// instead of before [`Journal::flush`] returns (the window does this:
    /// the entries are written at once either way; only the wait for the
    /// disk moves off the frame). Off by default.
    pub fn set_background_sync(&mut self, on: bool) {
        self.background_sync = on;
    }

    /// Where the journal is being written (`None` before the first flush).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Number of entries recorded since the journal started or was last
    /// discarded.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// True when recorded entries wait for [`Journal::flush`].
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Records the step that just changed `set` (`touched` as returned by
    /// `Session::execute`, `undo` or `redo`). Costs O(touched annotations)
    /// plus a comparison of the orphans, codebook and metadata; nothing is
    /// written to disk until [`Journal::flush`].
    pub fn record(&mut self, set: &AnnotationSet, touched: &Touched) {
        let ids: BTreeSet<&str> = touched.ids.iter().map(String::as_str).collect();
        let mut entry = Entry {
            time: now_stamp(),
            upsert: Vec::new(),
            delete: Vec::new(),
            orphans: None,
            codebook: None,
            metadata: None,
        };
        if ids.len() > 8 {
            let index: HashMap<&str, &Annotation> = set
                .annotations()
                .iter()
                .map(|a| (a.id.as_str(), a))
                .collect();
            for id in ids {
                match index.get(id) {
                    Some(a) => entry.upsert.push((*a).clone()),
                    None => entry.delete.push(id.to_owned()),
                }
            }
        } else {
            for id in ids {
                match set.get(id) {
                    Some(a) => entry.upsert.push(a.clone()),
                    None => entry.delete.push(id.to_owned()),
                }
            }
        }
        if set.orphans != self.last_orphans {
            self.last_orphans = set.orphans.clone();
            entry.orphans = Some(set.orphans.clone());
        }
        if set.codebook != self.last_codebook {
            self.last_codebook = set.codebook.clone();
            entry.codebook = Some(set.codebook.clone());
        }
        if set.metadata != self.last_metadata {
            self.last_metadata = set.metadata.clone();
            entry.metadata = Some(set.metadata.clone());
        }
        if entry.upsert.is_empty()
            && entry.delete.is_empty()
            && entry.orphans.is_none()
            && entry.codebook.is_none()
            && entry.metadata.is_none()
        {
            return;
        }
        // Serialising plain data cannot fail; skip the entry if it does.
        if let Ok(line) = serde_json::to_string(&entry) {
            self.pending.extend_from_slice(line.as_bytes());
            self.pending.push(b'\n');
            self.entries += 1;
        }
    }

    /// Appends the recorded entries to the journal file and syncs it.
    /// Creates the file (with its header) on first use: beside the set, or
    /// in the fallback folder when that fails. On error the entries stay
    /// pending and the next flush retries.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if self.file.is_none() {
            self.create_file()?;
        }
        let Some(file) = self.file.as_mut() else {
            return Err(io::Error::other("journal file not open"));
        };
        file.write_all(&self.pending)?;
        match &self.syncer {
            Some(syncer) => syncer.request(file)?,
            None => file.sync_data()?,
        }
        self.pending.clear();
        Ok(())
    }

    fn create_file(&mut self) -> io::Result<()> {
        let header = Header {
            marginalia_journal: JOURNAL_VERSION,
            set_path: absolute(&self.set_path).to_string_lossy().into_owned(),
            text_sha256: self.text_sha256.clone(),
            base_sha256: self.base_sha256.clone(),
            created: now_stamp(),
        };
        let mut line = serde_json::to_string(&header).map_err(io::Error::other)?;
        line.push('\n');
        let beside = journal_path_beside(&self.set_path);
        let fallback = journal_path_in(&self.fallback_dir, &self.set_path);
        let mut last_err = None;
        for candidate in [beside, fallback] {
            match start_file(&candidate, line.as_bytes(), self.background_sync) {
                Ok(f) => {
                    self.file = Some(f);
                    self.path = Some(candidate);
                    self.syncer = self.background_sync.then(Syncer::default);
                    return Ok(());
                }
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("no place to write the journal")))
    }

    /// Deletes the journal after a successful save (the set file now holds
    /// everything) and starts afresh against the newly saved file. Leftover
    /// `.journal.prev-*` files beside it go too; declined ones are kept.
    pub fn discard(&mut self) -> io::Result<()> {
        self.file = None;
        self.syncer = None;
        self.pending.clear();
        self.entries = 0;
        let result = match self.path.take() {
            Some(p) => match fs::remove_file(&p) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => {
                    remove_prev(&p);
                    Ok(())
                }
            },
            None => Ok(()),
        };
        self.base_sha256 = file_sha(&self.set_path);
        result
    }

    /// Points the journal at a new set file (after Save As) and a new base
    /// state; the old journal is discarded.
    pub fn retarget(&mut self, set_path: &Path, set: &AnnotationSet) -> io::Result<()> {
        let r = self.discard();
        self.set_path = set_path.to_owned();
        self.base_sha256 = file_sha(set_path);
        self.last_orphans = set.orphans.clone();
        self.last_codebook = set.codebook.clone();
        self.last_metadata = set.metadata.clone();
        r
    }
}

fn remove_prev(journal: &Path) {
    let (Some(dir), Some(name)) = (journal.parent(), journal.file_name()) else {
        return;
    };
    let prefix = format!("{}.prev-", name.to_string_lossy());
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Creates a fresh journal file with its header, moving a leftover one
/// aside first. The file and its folder entry are synced before this
/// returns, or on a helper thread when `background` is set.
fn start_file(path: &Path, header: &[u8], background: bool) -> io::Result<File> {
    if path.exists() {
        rename_aside(path, ".prev-")?;
    }
    let mut f = fs::OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(path)?;
    f.write_all(header)?;
    let dir = path.parent().and_then(|d| File::open(d).ok());
    if background {
        let file = f.try_clone()?;
        std::thread::spawn(move || {
            let _ = file.sync_data();
            if let Some(d) = dir {
                let _ = d.sync_all();
            }
        });
    } else {
        f.sync_data()?;
        if let Some(d) = dir {
            let _ = d.sync_all();
        }
    }
    Ok(f)
}

/// Syncs one journal file to the disk on a helper thread. At most one
/// thread runs per file; a request while it runs makes it sync once more,
/// so the last write is always synced.
#[derive(Debug, Default)]
struct Syncer {
    /// A write happened since the last sync started.
    dirty: Arc<AtomicBool>,
    /// A helper thread is running.
    running: Arc<AtomicBool>,
}

impl Syncer {
    /// Asks for a sync of `file` after a write.
    fn request(&self, file: &File) -> io::Result<()> {
        self.dirty.store(true, Ordering::SeqCst);
        if self.running.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let file = file.try_clone()?;
        let (dirty, running) = (self.dirty.clone(), self.running.clone());
        std::thread::spawn(move || {
            loop {
                while dirty.swap(false, Ordering::SeqCst) {
                    let _ = file.sync_data();
                }
                running.store(false, Ordering::SeqCst);
                // A request between the last check and now saw `running`
                // and left the sync to this thread: take it back.
                if !dirty.load(Ordering::SeqCst) || running.swap(true, Ordering::SeqCst) {
                    break;
                }
            }
        });
        Ok(())
    }
}

/// Why a recovery cannot be applied as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryError {
    /// The journal does not belong to the current text or set file.
    Mismatch(String),
}

impl fmt::Display for RecoveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecoveryError::Mismatch(m) => write!(f, "the recovery journal does not match: {m}"),
        }
    }
}

impl std::error::Error for RecoveryError {}

/// What a recovery would change, for the "Restore unsaved work?" dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoverySummary {
    /// Annotations that do not exist in the saved set.
    pub added: usize,
    /// Annotations whose value differs from the saved one.
    pub changed: usize,
    /// Saved annotations that the journal deletes.
    pub deleted: usize,
    /// True when the codebook (issues and actors) changed.
    pub codebook_changed: bool,
    /// Number of tags added, removed or changed.
    pub tag_changes: usize,
    /// True when the document metadata changed.
    pub metadata_changed: bool,
    /// True when the orphan list changed.
    pub orphans_changed: bool,
}

/// A journal found for a set: what it holds and how to restore it.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// The journal file.
    pub path: PathBuf,
    /// Number of complete entries.
    pub entries: usize,
    /// Time (RFC 3339) of the last complete entry.
    pub last_time: Option<String>,
    /// Lines that could not be read (a torn last line after a crash).
    pub ignored_lines: usize,
    /// Why the journal does not match the current text or set file, if it
    /// does not; [`Recovery::apply`] then refuses.
    pub mismatch: Option<String>,
    entries_data: Vec<Entry>,
}

/// Looks for a recovery journal for the set at `set_path` (beside it, then
/// in `fallback_dir`) written for a text with digest `text_sha256`.
/// `None` when there is none or it holds no entries. A journal that cannot
/// be parsed at all is reported as a mismatch, never deleted.
pub fn find_recovery(set_path: &Path, fallback_dir: &Path, text_sha256: &str) -> Option<Recovery> {
    for candidate in [
        journal_path_beside(set_path),
        journal_path_in(fallback_dir, set_path),
    ] {
        if let Some(r) = read_recovery(&candidate, set_path, text_sha256) {
            return Some(r);
        }
    }
    None
}

fn read_recovery(path: &Path, set_path: &Path, text_sha256: &str) -> Option<Recovery> {
    let bytes = fs::read(path).ok()?;
    let content = String::from_utf8_lossy(&bytes);
    let mut lines = content.split_inclusive('\n');
    let first = lines.next()?;
    let header: Option<Header> = serde_json::from_str(first.trim_end()).ok();
    let mut entries = Vec::new();
    let mut ignored = 0;
    for line in lines {
        // A line without its newline was torn by a crash.
        if !line.ends_with('\n') {
            ignored += 1;
            continue;
        }
        match serde_json::from_str::<Entry>(line.trim_end()) {
            Ok(e) => entries.push(e),
            Err(_) => ignored += 1,
        }
    }
    let mismatch = match &header {
        None => Some("its header cannot be read".to_owned()),
        Some(h) if h.marginalia_journal > JOURNAL_VERSION => Some(format!(
            "it was written by a newer Marginalia (journal version {})",
            h.marginalia_journal
        )),
        Some(h) if h.text_sha256 != text_sha256 => {
            Some("the article's text changed since it was written".to_owned())
        }
        Some(h) if h.base_sha256 != file_sha(set_path) => {
            Some("the annotation set file changed since it was written".to_owned())
        }
        Some(_) => None,
    };
    if entries.is_empty() && mismatch.is_none() {
        return None;
    }
    Some(Recovery {
        path: path.to_owned(),
        entries: entries.len(),
        last_time: entries.last().map(|e| e.time.clone()),
        ignored_lines: ignored,
        mismatch,
        entries_data: entries,
    })
}

impl Recovery {
    /// Replays the journal onto `set` (the saved set as opened, i.e. after
    /// re-anchoring). Refuses when [`Recovery::mismatch`] is set.
    pub fn apply(&self, set: &mut AnnotationSet) -> Result<(), RecoveryError> {
        if let Some(m) = &self.mismatch {
            return Err(RecoveryError::Mismatch(m.clone()));
        }
        self.apply_anyway(set);
        Ok(())
    }

    /// Replays the journal even though it does not match (the user chose
    /// to; entries hold full values, so the result is the journaled state
    /// of every annotation it touched).
    pub fn apply_anyway(&self, set: &mut AnnotationSet) {
        for e in &self.entries_data {
            for id in &e.delete {
                set.remove(id);
            }
            for a in &e.upsert {
                set.remove(&a.id);
                set.orphans.retain(|o| o.id != a.id);
                set.insert_sorted(a.clone());
            }
            if let Some(o) = &e.orphans {
                set.orphans = o.clone();
            }
            if let Some(c) = &e.codebook {
                set.codebook = c.clone();
            }
            if let Some(m) = &e.metadata {
                set.metadata = m.clone();
            }
        }
        set.normalize();
    }

    /// What applying the journal to `saved` would change.
    pub fn summary(&self, saved: &AnnotationSet) -> RecoverySummary {
        let mut after = saved.clone();
        self.apply_anyway(&mut after);
        let before: BTreeMap<&str, &Annotation> = saved
            .annotations()
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let now: BTreeMap<&str, &Annotation> = after
            .annotations()
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let mut s = RecoverySummary::default();
        for (id, a) in &now {
            match before.get(id) {
                None => s.added += 1,
                Some(b) if b != a => s.changed += 1,
                _ => {}
            }
        }
        s.deleted = before.keys().filter(|id| !now.contains_key(*id)).count();
        s.codebook_changed = after.codebook != saved.codebook;
        let old_tags: BTreeSet<_> = saved
            .codebook
            .tags()
            .iter()
            .map(|t| format!("{t:?}"))
            .collect();
        let new_tags: BTreeSet<_> = after
            .codebook
            .tags()
            .iter()
            .map(|t| format!("{t:?}"))
            .collect();
        s.tag_changes = old_tags.symmetric_difference(&new_tags).count();
        s.metadata_changed = after.metadata != saved.metadata;
        s.orphans_changed = after.orphans != saved.orphans;
        s
    }

    /// The user declined: the journal is kept, renamed to
    /// `<name>.declined-<time>`, and no longer offered. Returns its new
    /// path.
    pub fn decline(&self) -> io::Result<PathBuf> {
        rename_aside(&self.path, ".declined-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::TagKind;
    use crate::core::command::Command;
    use crate::core::session::Session;
    use crate::core::text::Text;

    fn session_in(dir: &Path) -> Session {
        let text = Text::new("The ISI met the CIA in Doha. Talks on NATO routes resumed.".into());
        Session::new(
            text,
            Some(dir.join("a.txt")),
            Some(dir.join("a.annotations.ron")),
        )
    }

    /// A saved session in `dir`, its saved set, and a journal for it.
    fn saved_session_and_journal(dir: &Path) -> (Session, AnnotationSet, Journal) {
        let mut s = session_in(dir);
        s.save().unwrap();
        let saved = s.set.clone();
        let j = Journal::open_for(
            s.set_path.as_ref().unwrap(),
            &dir.join("fallback"),
            &s.set,
            s.text.sha256(),
        );
        (s, saved, j)
    }

    #[test]
    fn background_sync_writes_every_entry_before_flush_returns() {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, saved, mut j) = saved_session_and_journal(dir.path());
        j.set_background_sync(true);
        for k in 0..5 {
            let a = Annotation::new(format!("a{k}"), &s.text, k, k + 3, "t");
            let t = s.execute(Command::AddAnnotation(a)).unwrap();
            j.record(&s.set, &t);
            j.flush().unwrap();
            assert!(!j.has_pending());
            // Readable at once, whatever the helper thread is doing.
            let r = find_recovery(
                s.set_path.as_ref().unwrap(),
                &dir.path().join("fallback"),
                s.text.sha256(),
            )
            .unwrap();
            assert_eq!(r.entries, k + 1);
            let mut replay = saved.clone();
            r.apply(&mut replay).unwrap();
            assert_eq!(replay, s.set);
        }
        let path = j.path().unwrap().to_owned();
        j.discard().unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn journal_replays_to_the_live_state() {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, saved, mut j) = saved_session_and_journal(dir.path());
        let tag = s.set.codebook.new_tag(TagKind::Actor, "ISI");
        let t = s.execute(Command::CreateTag(tag)).unwrap();
        j.record(&s.set, &t);
        let a = Annotation::new("a1".into(), &s.text, 4, 7, "t");
        let t = s.execute(Command::AddAnnotation(a)).unwrap();
        j.record(&s.set, &t);
        let t = s
            .execute(Command::TagAnnotation {
                id: "a1".into(),
                kind: TagKind::Actor,
                name: "ISI".into(),
            })
            .unwrap();
        j.record(&s.set, &t);
        let t = s.undo().unwrap();
        j.record(&s.set, &t);
        j.flush().unwrap();
        let path = j.path().unwrap().to_owned();
        assert_eq!(path, dir.path().join("a.annotations.ron.journal"));
        let r = find_recovery(
            s.set_path.as_ref().unwrap(),
            &dir.path().join("fallback"),
            s.text.sha256(),
        )
        .unwrap();
        assert_eq!(r.entries, 4);
        assert!(r.mismatch.is_none());
        let sum = r.summary(&saved);
        assert_eq!((sum.added, sum.changed, sum.deleted), (1, 0, 0));
        assert!(sum.codebook_changed);
        let mut replay = saved.clone();
        r.apply(&mut replay).unwrap();
        assert_eq!(replay, s.set);
        // Declining keeps the file under another name.
        let kept = r.decline().unwrap();
        assert!(kept.exists() && !path.exists());
        assert!(find_recovery(s.set_path.as_ref().unwrap(), dir.path(), s.text.sha256()).is_none());
    }
}
