//! An open article with its annotation set and undo history: what the app
//! holds while an analyst works, and what the CLI loads headless.
//!
//! Invariants:
//! - All edits go through [`Session::execute`], [`Session::undo`] and
//!   [`Session::redo`], which keep the history and the unsaved-changes flag
//!   right.
//! - A set file that could not be read, or that a newer version wrote, is
//!   never overwritten by [`Session::save`]: `protected` says why, and only
//!   an explicit [`Session::save_as`] writes (elsewhere).

use super::anchor::{AnchorReport, anchor_set};
use super::annotation::Annotation;
use super::command::{Applied, Command, CommandError, EditContext, Touched, apply};
use super::decode::{self, DecodeError, Encoding};
use super::history::History;
use super::import::{self, SourceKind};
use super::set::{AnnotationSet, SourceRef};
use super::store::{self, StoreError};
use super::text::Text;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why an article or set could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The file could not be read (missing, a folder, no permission…).
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The bytes are not a readable text.
    Decode {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong.
        error: DecodeError,
    },
    /// The set file itself could not be read (when a `.annotations.ron` was
    /// opened directly).
    Set(StoreError),
    /// The set was read but its source article is missing; the set is
    /// handed back so the caller can ask the user to locate the article.
    SourceMissing {
        /// The set file.
        set_path: PathBuf,
        /// Where the set says its article is.
        source_path: PathBuf,
        /// The set, intact.
        set: Box<AnnotationSet>,
    },
    /// The file type cannot be opened as an article.
    Unsupported(String),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Io { path, source } => {
                if path.is_dir() {
                    write!(f, "{} is a folder, not an article", path.display())
                } else {
                    write!(f, "cannot read {}: {source}", path.display())
                }
            }
            OpenError::Decode { path, error } => {
                write!(f, "cannot open {}: {error}", path.display())
            }
            OpenError::Set(e) => write!(f, "{e}"),
            OpenError::SourceMissing {
                set_path,
                source_path,
                ..
            } => write!(
                f,
                "the article of {} was not found at {}; locate it to continue (the annotations are kept)",
                set_path.display(),
                source_path.display()
            ),
            OpenError::Unsupported(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for OpenError {}

/// Why an undo or redo did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The history has no step in that direction.
    Nothing,
    /// The step could not be applied; the history is unchanged.
    Failed {
        /// The step's label ("tag “ISI”").
        label: String,
        /// Why it failed.
        error: CommandError,
    },
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepError::Nothing => write!(f, "nothing to do"),
            StepError::Failed { label, error } => write!(f, "“{label}” failed: {error}"),
        }
    }
}

impl std::error::Error for StepError {}

/// Options for opening an article.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Folder for sets whose article folder is not used (default article,
    /// pasted text); also searched for an existing set.
    pub saves_dir: Option<PathBuf>,
    /// Decode a non-UTF-8 file as Windows-1252 instead of refusing it.
    pub legacy_encoding: bool,
}

/// The open article, its set, history and save state.
#[derive(Debug)]
pub struct Session {
    /// The article text.
    pub text: Text,
    /// How the article's bytes were decoded.
    pub encoding: Encoding,
    /// The annotations, codebook and metadata.
    pub set: AnnotationSet,
    /// The article file, if the text came from one (for HTML, DOCX, PDF …
    /// the original file).
    pub article_path: Option<PathBuf>,
    /// For articles extracted from another format: where the extracted text
    /// is stored (`<stem>.text.txt` beside the set), so offsets never shift
    /// when an extractor changes. Written on save when missing.
    pub text_path: Option<PathBuf>,
    /// Name and version of the extractor that produced the text.
    pub extractor: Option<String>,
    /// Where the set is saved.
    pub set_path: Option<PathBuf>,
    /// Why `set_path` must not be overwritten (unreadable or newer file).
    pub protected: Option<String>,
    /// What anchoring found when the set was opened.
    pub anchor_report: AnchorReport,
    /// The article text has no file yet (pasted): write it on save.
    unsaved_article: bool,
    /// Metadata found by the extractor, applied to a new set.
    extracted_metadata: Option<super::set::Metadata>,
    history: History,
    saved_state: u64,
    /// True when the set on disk differs from the session for reasons
    /// outside the history (e.g. it was repaired or re-anchored on open).
    changed_on_open: bool,
    /// The coder working in this session: written on every annotation
    /// created or changed through [`Session::execute`] (undo and redo
    /// restore annotations exactly as they were).
    pub coder: Option<String>,
    /// Blind coding: the other coders' annotations and orphans, kept aside
    /// (not in `set`, so nothing shows or counts them) and written back
    /// with the set on every save.
    hidden: (Vec<Annotation>, Vec<Annotation>),
}

impl Session {
    /// A session on `text` with an empty set.
    pub fn new(text: Text, article_path: Option<PathBuf>, set_path: Option<PathBuf>) -> Session {
        let source = SourceRef {
            path: String::new(),
            sha256: text.sha256().to_owned(),
            length: text.len_chars(),
            ..Default::default()
        };
        let mut s = Session {
            text,
            encoding: Encoding::Utf8,
            set: AnnotationSet::new(source),
            article_path,
            text_path: None,
            extractor: None,
            set_path,
            protected: None,
            anchor_report: AnchorReport::default(),
            unsaved_article: false,
            extracted_metadata: None,
            history: History::default(),
            saved_state: 0,
            changed_on_open: false,
            coder: None,
            hidden: (Vec::new(), Vec::new()),
        };
        s.refresh_source_path();
        s
    }

    /// Opens an article (`.txt`) with its set when one exists, or a
    /// `*.annotations.ron` with its article. Problems that do not stop the
    /// opening (a set that could not be read, repairs) are in the
    /// returned warnings.
    pub fn open(path: &Path, opts: &OpenOptions) -> Result<(Session, Vec<String>), OpenError> {
        if store::is_set_path(path) {
            let set = store::load(path).map_err(OpenError::Set)?;
            let article = store::resolve_source(path, &set.source.path);
            if !article.is_file() {
                return Err(OpenError::SourceMissing {
                    set_path: path.to_owned(),
                    source_path: article,
                    set: Box::new(set),
                });
            }
            return Session::open_with_set(&article, path.to_owned(), set, opts);
        }
        let kind = import::require_kind(path).map_err(|e| OpenError::Unsupported(e.to_string()))?;
        let mut warnings = Vec::new();
        let (set_path, loaded) = store::locate_set(path, opts.saves_dir.as_deref());
        let found = loaded.is_some();
        let mut session = if kind == SourceKind::Text {
            let (text, encoding) = read_article(path, opts.legacy_encoding)?;
            let mut session = Session::new(text, Some(path.to_owned()), Some(set_path.clone()));
            session.encoding = encoding;
            session
        } else {
            Session::open_extracted(
                path,
                kind,
                &set_path,
                loaded.as_ref().and_then(|l| l.as_ref().ok()),
            )?
        };
        if let Some(loaded) = loaded {
            match loaded {
                Ok(set) => {
                    session.install_set(set);
                    warnings.extend(session.anchor_warnings());
                }
                Err(e) => {
                    warnings.push(format!(
                        "{e}. The article opened without its annotations; the set file will not be overwritten (use Save As)."
                    ));
                    session.protected = Some(e.to_string());
                }
            }
        }
        if session.text_path.is_some() && session.set.metadata == Default::default() {
            session.set.metadata = session.extracted_metadata.take().unwrap_or_default();
        }
        if !found && session.set.metadata == Default::default() {
            // A new set: start from what the text itself says.
            session.set.metadata = super::metadata::detect(&session.text);
        }
        if session.encoding == Encoding::Windows1252 {
            warnings.push(format!(
                "{} is not UTF-8; it was read as Windows-1252",
                path.display()
            ));
        }
        Ok((session, warnings))
    }

    /// Opens a non-`.txt` article: the stored extracted text when the set
    /// names one that exists (so offsets stay stable), otherwise a fresh
    /// extraction whose text is written beside the set on the first save.
    fn open_extracted(
        path: &Path,
        kind: SourceKind,
        set_path: &Path,
        set: Option<&AnnotationSet>,
    ) -> Result<Session, OpenError> {
        let stored = set
            .filter(|s| s.source.original.is_some())
            .map(|s| store::resolve_source(set_path, &s.source.path))
            .filter(|p| p.is_file());
        if let Some(stored) = stored {
            let (text, encoding) = read_article(&stored, false)?;
            let mut session = Session::new(text, Some(path.to_owned()), Some(set_path.to_owned()));
            session.encoding = encoding;
            session.text_path = Some(stored);
            session.extractor = set.and_then(|s| s.source.extractor.clone());
            session.refresh_source_path();
            return Ok(session);
        }
        let bytes = std::fs::read(path).map_err(|e| OpenError::Io {
            path: path.to_owned(),
            source: e,
        })?;
        let extracted = import::extract(kind, &bytes)
            .map_err(|e| OpenError::Unsupported(format!("cannot open {}: {e}", path.display())))?;
        let mut session = Session::new(
            Text::new(extracted.text),
            Some(path.to_owned()),
            Some(set_path.to_owned()),
        );
        session.text_path = Some(text_path_for(set_path));
        session.extractor = Some(extracted.extractor);
        session.extracted_metadata = Some(extracted.metadata);
        session.refresh_source_path();
        Ok(session)
    }

    /// A new article from pasted text. It lives in `dir` as
    /// `pasted-<date>-<time>.txt` (a free name), written together with its
    /// set on the first save; until then nothing touches the disk.
    pub fn from_pasted(text: &str, dir: &Path) -> Result<Session, OpenError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(OpenError::Decode {
                path: PathBuf::from("(clipboard)"),
                error: DecodeError::Empty,
            });
        }
        if text.contains('\0') {
            return Err(OpenError::Decode {
                path: PathBuf::from("(clipboard)"),
                error: DecodeError::Binary,
            });
        }
        let stamp: String = super::time::now_rfc3339()
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        let (date, clock) = stamp.split_at(8.min(stamp.len()));
        let mut n = 0;
        let article = loop {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            let p = dir.join(format!("pasted-{date}-{clock}{suffix}.txt"));
            if !p.exists() && !store::set_path_for(&p).exists() {
                break p;
            }
            n += 1;
        };
        let set_path = store::set_path_for(&article);
        let mut session = Session::new(Text::new(text.to_owned()), Some(article), Some(set_path));
        session.unsaved_article = true;
        session.refresh_source_path();
        Ok(session)
    }

    /// Opens `article` with an already loaded `set` saved at `set_path`.
    pub fn open_with_set(
        article: &Path,
        set_path: PathBuf,
        set: AnnotationSet,
        opts: &OpenOptions,
    ) -> Result<(Session, Vec<String>), OpenError> {
        let (text, encoding) = read_article(article, opts.legacy_encoding)?;
        let original = set
            .source
            .original
            .as_ref()
            .map(|o| store::resolve_source(&set_path, o));
        let mut session = Session::new(text, Some(article.to_owned()), Some(set_path));
        session.encoding = encoding;
        if let Some(original) = original {
            // `article` is the stored extracted text of `original`.
            session.text_path = Some(article.to_owned());
            session.article_path = Some(original);
            session.extractor = set.source.extractor.clone();
        }
        session.install_set(set);
        let warnings = session.anchor_warnings();
        Ok((session, warnings))
    }

    /// Replaces the set (after loading), anchoring it on the text.
    pub fn install_set(&mut self, mut set: AnnotationSet) {
        let source_before = set.source.clone();
        self.anchor_report = anchor_set(&mut set, &self.text);
        // Build the id index and reserve room here (on the loading thread)
        // rather than in the first edit's frame.
        set.prepare_for_edits();
        self.set = set;
        self.refresh_source_path();
        self.changed_on_open = self.anchor_report.changed || self.set.source != source_before;
        self.history = History::default();
        self.saved_state = 0;
    }

    fn anchor_warnings(&self) -> Vec<String> {
        let r = &self.anchor_report;
        let mut w = r.problems.clone();
        if r.moved + r.fuzzy + r.orphaned > 0 {
            w.push(format!(
                "the article changed since it was annotated: {} exact, {} moved, {} approximate, {} could not be placed (listed as orphans)",
                r.exact, r.moved, r.fuzzy, r.orphaned
            ));
        }
        w
    }

    /// Applies a command and records it for undo. Returns what changed.
    pub fn execute(&mut self, mut cmd: Command) -> Result<Touched, CommandError> {
        let label = cmd.label();
        let now = super::time::now_rfc3339();
        stamp_new(&mut cmd, self.coder.as_deref());
        let cx = EditContext {
            text: &self.text,
            now: &now,
            coder: self.coder.as_deref(),
        };
        let Applied { inverse, touched } = apply(&mut self.set, cmd, cx)?;
        self.history.push(label, inverse);
        Ok(touched)
    }

    /// Executes `cmd` as part of merge group `group` (see
    /// [`History::push_merged`]): repeated small edits of one thing undo
    /// in one step. Never merges into the step the file was saved at.
    pub fn execute_merged(
        &mut self,
        mut cmd: Command,
        group: &str,
    ) -> Result<Touched, CommandError> {
        let label = cmd.label();
        let now = super::time::now_rfc3339();
        stamp_new(&mut cmd, self.coder.as_deref());
        let cx = EditContext {
            text: &self.text,
            now: &now,
            coder: self.coder.as_deref(),
        };
        let may_merge = self.history.state() != self.saved_state;
        let Applied { inverse, touched } = apply(&mut self.set, cmd, cx)?;
        self.history.push_merged(label, inverse, group, may_merge);
        Ok(touched)
    }

    /// Reverts the last step. When it cannot be applied (the set changed
    /// in a way the step does not expect), the history is left as it was
    /// and the error says which step failed.
    pub fn undo(&mut self) -> Result<Touched, StepError> {
        let step = self.history.pop_undo().ok_or(StepError::Nothing)?;
        let now = super::time::now_rfc3339();
        let cx = EditContext {
            text: &self.text,
            now: &now,
            coder: None,
        };
        match apply(&mut self.set, step.command.clone(), cx) {
            Ok(Applied { inverse, touched }) => {
                self.history.undone(step, inverse);
                Ok(touched)
            }
            Err(error) => {
                let label = step.label.clone();
                self.history.restore_undo(step);
                Err(StepError::Failed { label, error })
            }
        }
    }

    /// Re-applies the last undone step (errors as for [`Session::undo`]).
    pub fn redo(&mut self) -> Result<Touched, StepError> {
        let step = self.history.pop_redo().ok_or(StepError::Nothing)?;
        let now = super::time::now_rfc3339();
        let cx = EditContext {
            text: &self.text,
            now: &now,
            coder: None,
        };
        match apply(&mut self.set, step.command.clone(), cx) {
            Ok(Applied { inverse, touched }) => {
                self.history.redone(step, inverse);
                Ok(touched)
            }
            Err(error) => {
                let label = step.label.clone();
                self.history.restore_redo(step);
                Err(StepError::Failed { label, error })
            }
        }
    }

    /// Blind coding for `coder`: every annotation (and orphan) another
    /// coder made, or that names no coder, is put aside until the session
    /// ends; saves write it back unchanged. Returns how many were hidden.
    pub fn code_blind(&mut self, coder: &str) -> usize {
        let mine = |a: &Annotation| a.coder.as_deref() == Some(coder);
        let (keep, others): (Vec<Annotation>, Vec<Annotation>) = self
            .set
            .annotations()
            .iter()
            .cloned()
            .partition(|a| mine(a));
        let (keep_o, others_o): (Vec<Annotation>, Vec<Annotation>) =
            std::mem::take(&mut self.set.orphans)
                .into_iter()
                .partition(|a| mine(a));
        let n = others.len() + others_o.len();
        self.set.set_annotations(keep);
        self.set.orphans = keep_o;
        self.hidden.0.extend(others);
        self.hidden.1.extend(others_o);
        n
    }

    /// How many annotations blind coding keeps out of sight.
    pub fn hidden_count(&self) -> usize {
        self.hidden.0.len() + self.hidden.1.len()
    }

    /// The set as the file holds it: with the annotations blind coding
    /// keeps aside (the set itself when there are none).
    pub fn full_set(&self) -> std::borrow::Cow<'_, AnnotationSet> {
        if self.hidden_count() == 0 {
            return std::borrow::Cow::Borrowed(&self.set);
        }
        let mut full = self.set.clone();
        let mut all = full.annotations().to_vec();
        all.extend(self.hidden.0.iter().cloned());
        full.set_annotations(all);
        full.orphans.extend(self.hidden.1.iter().cloned());
        full.normalize();
        std::borrow::Cow::Owned(full)
    }

    /// The undo/redo history (labels for the Edit menu).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// True when the set differs from the file on disk.
    pub fn is_dirty(&self) -> bool {
        self.unsaved_article || self.changed_on_open || self.history.state() != self.saved_state
    }

    /// Saves to `set_path`, unless the file there is protected.
    pub fn save(&mut self) -> Result<PathBuf, StoreError> {
        let path = self.set_path.clone().ok_or_else(|| StoreError::Io {
            path: PathBuf::new(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "no file chosen yet; use Save As",
            ),
        })?;
        if let Some(why) = &self.protected {
            return Err(StoreError::Io {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "not overwritten because it could not be read safely ({why}); use Save As"
                    ),
                ),
            });
        }
        self.write_to(&path)?;
        Ok(path)
    }

    /// Saves to a new path, which becomes the set's path.
    pub fn save_as(&mut self, path: &Path) -> Result<(), StoreError> {
        let old = self.set_path.replace(path.to_owned());
        let result = self.write_to(path);
        match result {
            Ok(()) => {
                self.protected = None;
                Ok(())
            }
            Err(e) => {
                self.set_path = old;
                self.refresh_source_path();
                Err(e)
            }
        }
    }

    fn write_to(&mut self, path: &Path) -> Result<(), StoreError> {
        if self.unsaved_article {
            // A pasted article goes beside its set, under the same stem.
            let stem = store::set_stem(path).unwrap_or_else(|| "pasted".to_owned());
            let article = path.with_file_name(format!("{stem}.txt"));
            store::write_atomic(&article, self.text.as_str().as_bytes(), &mut |f, b| {
                std::io::Write::write_all(f, b)
            })?;
            self.article_path = Some(article);
            self.unsaved_article = false;
        }
        if let Some(tp) = &self.text_path {
            // Keep the stored text beside the set it belongs to.
            let wanted = text_path_for(path);
            let needs_write = *tp != wanted || !tp.is_file();
            if needs_write {
                store::write_atomic(&wanted, self.text.as_str().as_bytes(), &mut |f, b| {
                    std::io::Write::write_all(f, b)
                })?;
                self.text_path = Some(wanted);
            }
        }
        self.refresh_source_path();
        store::save(path, &self.full_set())?;
        self.saved_state = self.history.state();
        self.changed_on_open = false;
        Ok(())
    }

    /// Sets `source.path` relative to the set's folder.
    fn refresh_source_path(&mut self) {
        if let (Some(article), Some(set_path)) = (&self.article_path, &self.set_path) {
            let dir = set_path.parent().unwrap_or(Path::new("."));
            match &self.text_path {
                Some(text_path) => {
                    self.set.source.path = store::relative_path(dir, text_path);
                    self.set.source.original = Some(store::relative_path(dir, article));
                    self.set.source.extractor = self.extractor.clone();
                }
                None => {
                    self.set.source.path = store::relative_path(dir, article);
                    self.set.source.original = None;
                    self.set.source.extractor = None;
                }
            }
        }
        self.set.source.sha256 = self.text.sha256().to_owned();
        self.set.source.length = self.text.len_chars();
    }

    /// File name shown in the title bar.
    pub fn display_name(&self) -> String {
        self.article_path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Untitled".to_owned())
    }
}

/// Writes `coder` on the annotations a command creates that name no coder
/// yet (inside batches too).
fn stamp_new(cmd: &mut Command, coder: Option<&str>) {
    let Some(c) = coder else { return };
    match cmd {
        Command::AddAnnotation(a) if a.coder.is_none() => a.coder = Some(c.to_owned()),
        Command::Batch { commands, .. } => {
            for cmd in commands {
                stamp_new(cmd, coder);
            }
        }
        _ => {}
    }
}

/// `<stem>.text.txt` beside a set file `<stem>.annotations.ron`.
pub fn text_path_for(set_path: &Path) -> PathBuf {
    let stem = store::set_stem(set_path).unwrap_or_else(|| "article".to_owned());
    set_path.with_file_name(format!("{stem}.text.txt"))
}

/// Reads and decodes an article file.
pub fn read_article(path: &Path, legacy: bool) -> Result<(Text, Encoding), OpenError> {
    // Refuse a huge file before reading it into memory.
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() > decode::MAX_ARTICLE_BYTES as u64
    {
        return Err(OpenError::Decode {
            path: path.to_owned(),
            error: DecodeError::TooLarge {
                bytes: usize::try_from(meta.len()).unwrap_or(usize::MAX),
            },
        });
    }
    let bytes = std::fs::read(path).map_err(|e| OpenError::Io {
        path: path.to_owned(),
        source: e,
    })?;
    let decoded = match decode::decode(&bytes) {
        Err(DecodeError::InvalidUtf8 { .. }) if legacy => decode::decode_legacy(&bytes),
        other => other,
    };
    let (s, enc) = decoded.map_err(|error| OpenError::Decode {
        path: path.to_owned(),
        error,
    })?;
    Ok((Text::new(s), enc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::TagKind;

    fn session() -> Session {
        Session::new(Text::new("The ISI met the CIA in Doha.".into()), None, None)
    }

    fn add(s: &mut Session, start: usize, end: usize) -> String {
        let id = s.set.fresh_id();
        let a = Annotation::new(id.clone(), &s.text, start, end, "t");
        s.execute(Command::AddAnnotation(a)).unwrap();
        id
    }

    #[test]
    fn the_coder_is_written_on_what_they_create_or_change_and_undo_is_exact() {
        let mut s = session();
        s.execute(Command::CreateTag(crate::core::codebook::Tag::new(
            TagKind::Actor,
            "ISI",
            crate::core::codebook::Rgb([1, 2, 3]),
        )))
        .unwrap();
        // Made before any coder name: none written.
        let old = add(&mut s, 16, 19);
        s.coder = Some("ann".into());
        let id = add(&mut s, 4, 7);
        assert_eq!(s.set.get(&id).unwrap().coder.as_deref(), Some("ann"));
        // bob tags ann's annotation: the change is his.
        s.coder = Some("bob".into());
        let tag = |id: &str| Command::TagAnnotation {
            id: id.into(),
            kind: TagKind::Actor,
            name: "ISI".into(),
        };
        s.execute(tag(&id)).unwrap();
        assert_eq!(s.set.get(&id).unwrap().coder.as_deref(), Some("bob"));
        s.undo().unwrap();
        assert_eq!(s.set.get(&id).unwrap().coder.as_deref(), Some("ann"));
        s.redo().unwrap();
        assert_eq!(s.set.get(&id).unwrap().coder.as_deref(), Some("bob"));
        // Undoing a deletion brings back the annotation as it was.
        s.execute(Command::DeleteAnnotation { id: old.clone() })
            .unwrap();
        s.undo().unwrap();
        assert_eq!(s.set.get(&old).unwrap().coder, None);
        // Renaming a tag is not coding: the coders stay.
        s.coder = Some("chen".into());
        let mut renamed = s.set.codebook.get(TagKind::Actor, "ISI").unwrap().clone();
        renamed.name = "Inter-Services Intelligence".into();
        s.execute(Command::UpdateTag {
            kind: TagKind::Actor,
            name: "ISI".into(),
            tag: renamed,
        })
        .unwrap();
        assert_eq!(s.set.get(&id).unwrap().coder.as_deref(), Some("bob"));
    }

    #[test]
    fn blind_coding_keeps_the_others_aside_and_saves_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session();
        s.set_path = Some(dir.path().join("a.annotations.ron"));
        for (i, who) in [(0, Some("ann")), (4, Some("bob")), (8, None)] {
            s.coder = who.map(str::to_owned);
            add(&mut s, i, i + 3);
        }
        s.save().unwrap();
        let before = std::fs::read(dir.path().join("a.annotations.ron")).unwrap();
        assert_eq!(s.code_blind("bob"), 2, "ann's and the unnamed one");
        assert_eq!(s.set.annotations().len(), 1);
        // Saving as is writes the same file.
        s.save().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("a.annotations.ron")).unwrap(),
            before
        );
        assert_eq!(s.full_set().annotations().len(), 3);
    }

    #[test]
    fn a_failed_undo_says_which_step_and_keeps_the_history() {
        let mut s = Session::new(Text::new("The ISI met the CIA.".into()), None, None);
        assert_eq!(s.undo(), Err(StepError::Nothing));
        let id = add(&mut s, 4, 7);
        // The set changed behind the history's back (as a bug would).
        let source = s.set.source.clone();
        s.set = AnnotationSet::new(source);
        match s.undo() {
            Err(StepError::Failed { label, error }) => {
                assert_eq!(label, "add annotation");
                assert_eq!(error, CommandError::NoSuchAnnotation(id));
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert_eq!(s.history().undo_len(), 1, "the step is kept");
        assert!(s.redo().is_err());
    }

    /// Every command kind: execute, undo restores, redo re-applies.
    #[test]
    fn merged_steps_undo_together_but_not_across_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::new(
            Text::new("The ISI met the CIA in Doha.".into()),
            None,
            Some(dir.path().join("a.annotations.ron")),
        );
        let a = Annotation::new("a1".into(), &s.text, 4, 7, "t");
        s.execute(Command::AddAnnotation(a)).unwrap();
        let span = |s: &Session| {
            let a = s.set.get("a1").unwrap();
            (a.start, a.end)
        };
        for end in 8..=10 {
            let cmd = Command::SetSpan {
                id: "a1".into(),
                start: 4,
                end,
            };
            s.execute_merged(cmd, "span a1 end").unwrap();
        }
        assert_eq!(span(&s), (4, 10));
        assert_eq!(s.history().undo_len(), 2, "add + one merged adjust");
        s.undo().unwrap();
        assert_eq!(span(&s), (4, 7));
        s.redo().unwrap();
        assert_eq!(span(&s), (4, 10));
        // A redone step starts a new group; so does another group.
        let cmd = Command::SetSpan {
            id: "a1".into(),
            start: 3,
            end: 10,
        };
        s.execute_merged(cmd, "span a1 start").unwrap();
        assert_eq!(s.history().undo_len(), 3);
        // Saving ends the group: the saved state stays reachable.
        s.save().unwrap();
        let cmd = Command::SetSpan {
            id: "a1".into(),
            start: 2,
            end: 10,
        };
        s.execute_merged(cmd, "span a1 start").unwrap();
        assert_eq!(s.history().undo_len(), 4);
        assert!(s.is_dirty());
        s.undo().unwrap();
        assert!(!s.is_dirty(), "back at the saved state");
        assert_eq!(span(&s), (3, 10));
    }

    #[test]
    fn undo_and_redo_every_command() {
        let mut s = session();
        let tag = s.set.codebook.new_tag(TagKind::Actor, "ISI");
        s.execute(Command::CreateTag(tag.clone())).unwrap();
        let parent = s.set.codebook.new_tag(TagKind::Actor, "Spies");
        s.execute(Command::CreateTag(parent)).unwrap();
        let issue = s.set.codebook.new_tag(TagKind::Issue, "Talks");
        s.execute(Command::CreateTag(issue)).unwrap();
        let id = add(&mut s, 4, 7);
        let id2 = add(&mut s, 16, 19);
        let mut renamed = tag.clone();
        renamed.name = "Inter-Services Intelligence".into();
        let mut recolored = tag.clone();
        recolored.color = crate::core::codebook::Rgb([1, 2, 3]);
        recolored.parent = Some("Spies".into());
        let mut meta = s.set.metadata.clone();
        meta.title = Some("Truce".into());
        let commands = vec![
            Command::TagAnnotation {
                id: id.clone(),
                kind: TagKind::Actor,
                name: "ISI".into(),
            },
            Command::TagAnnotation {
                id: id2.clone(),
                kind: TagKind::Actor,
                name: "ISI".into(),
            },
            Command::SetNote {
                id: id.clone(),
                note: Some("memo\nline 2".into()),
            },
            Command::SetStance {
                id: id.clone(),
                stance: Some(crate::core::Stance::Oppose),
            },
            Command::SetSpan {
                id: id.clone(),
                start: 0,
                end: 7,
            },
            Command::UntagAnnotation {
                id: id2.clone(),
                kind: TagKind::Actor,
                name: "ISI".into(),
            },
            Command::UpdateTag {
                kind: TagKind::Actor,
                name: "ISI".into(),
                tag: recolored,
            },
            Command::UpdateTag {
                kind: TagKind::Actor,
                name: "ISI".into(),
                tag: {
                    let mut r = renamed.clone();
                    r.color = crate::core::codebook::Rgb([1, 2, 3]);
                    r.parent = Some("Spies".into());
                    r
                },
            },
            Command::MergeTags {
                kind: TagKind::Actor,
                from: "Inter-Services Intelligence".into(),
                into: "Spies".into(),
            },
            Command::DeleteTag {
                kind: TagKind::Actor,
                name: "Spies".into(),
            },
            Command::SetMetadata(meta),
            Command::SetOrphans(vec![Annotation::new("o1".into(), &s.text, 0, 3, "t")]),
            Command::Batch {
                label: "two".into(),
                commands: vec![
                    Command::TagAnnotation {
                        id: id2.clone(),
                        kind: TagKind::Issue,
                        name: "Talks".into(),
                    },
                    Command::DeleteAnnotation { id: id.clone() },
                ],
            },
            Command::DeleteTag {
                kind: TagKind::Issue,
                name: "Talks".into(),
            },
        ];
        for cmd in commands {
            let before = s.set.clone();
            let label = cmd.label();
            s.execute(cmd).unwrap_or_else(|e| panic!("{label}: {e}"));
            let after = s.set.clone();
            assert_ne!(before, after, "{label} changed nothing");
            assert!(s.undo().is_ok());
            assert_eq!(s.set, before, "undo of {label}");
            assert!(s.redo().is_ok());
            assert_eq!(s.set, after, "redo of {label}");
        }
        assert!(s.is_dirty());
    }

    #[test]
    fn failing_batch_rolls_back_and_errors_leave_set_unchanged() {
        let mut s = session();
        let id = add(&mut s, 4, 7);
        let before = s.set.clone();
        let err = s.execute(Command::Batch {
            label: "bad".into(),
            commands: vec![
                Command::SetNote {
                    id: id.clone(),
                    note: Some("x".into()),
                },
                Command::TagAnnotation {
                    id: id.clone(),
                    kind: TagKind::Actor,
                    name: "nope".into(),
                },
            ],
        });
        assert!(matches!(err, Err(CommandError::NoSuchTag(..))));
        assert_eq!(s.set, before);
        assert_eq!(
            s.execute(Command::SetNote {
                id: id.clone(),
                note: None
            }),
            Err(CommandError::NoChange)
        );
        assert!(matches!(
            s.execute(Command::SetSpan {
                id,
                start: 5,
                end: 500
            }),
            Err(CommandError::InvalidSpan(..))
        ));
        let dup = s.set.annotations()[0].clone();
        assert!(matches!(
            s.execute(Command::AddAnnotation(dup)),
            Err(CommandError::DuplicateId(_))
        ));
    }

    #[test]
    fn dirty_flag_follows_undo_to_the_saved_state() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("a.txt");
        std::fs::write(&article, "The ISI met the CIA in Doha.").unwrap();
        let (mut s, warnings) = Session::open(&article, &OpenOptions::default()).unwrap();
        assert!(warnings.is_empty());
        assert!(!s.is_dirty());
        add(&mut s, 4, 7);
        assert!(s.is_dirty());
        let saved = s.save().unwrap();
        assert_eq!(saved, dir.path().join("a.annotations.ron"));
        assert!(!s.is_dirty());
        s.undo().unwrap();
        assert!(s.is_dirty());
        s.redo().unwrap();
        assert!(!s.is_dirty());
        let (again, _) = Session::open(&article, &OpenOptions::default()).unwrap();
        assert_eq!(again.set, s.set);
        assert_eq!(again.set.source.path, "a.txt");
        assert_eq!(
            again.set.metadata.title.as_deref(),
            Some("The ISI met the CIA in Doha.")
        );
        let (via_ron, _) = Session::open(&saved, &OpenOptions::default()).unwrap();
        assert_eq!(via_ron.set, s.set);
        assert_eq!(via_ron.article_path.as_deref(), Some(article.as_path()));
    }

    #[test]
    fn unreadable_set_is_protected_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("a.txt");
        std::fs::write(&article, "text").unwrap();
        let ron = dir.path().join("a.annotations.ron");
        std::fs::write(&ron, "(version: 1, source: (path: \"a.txt\"").unwrap();
        let (mut s, warnings) = Session::open(&article, &OpenOptions::default()).unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("a.annotations.ron:"),
            "{}",
            warnings[0]
        );
        assert!(s.save().is_err());
        assert_eq!(
            std::fs::read_to_string(&ron).unwrap(),
            "(version: 1, source: (path: \"a.txt\""
        );
        s.save_as(&dir.path().join("b.annotations.ron")).unwrap();
        assert!(s.save().is_ok());
    }
}

#[cfg(test)]
mod extracted_tests {
    use super::*;
    use crate::core::annotation::Annotation;

    #[test]
    fn html_article_keeps_its_extracted_text_beside_the_set() {
        let dir = tempfile::tempdir().unwrap();
        let html = dir.path().join("page.html");
        std::fs::write(
            &html,
            "<html><head><title>Truce</title><script>var x = 1;</script></head><body><article><p>The ISI &amp; the CIA met.</p><p>Second.</p></article></body></html>",
        )
        .unwrap();
        let (mut s, _) = Session::open(&html, &OpenOptions::default()).unwrap();
        assert!(
            s.text.as_str().starts_with("The ISI & the CIA met."),
            "{:?}",
            s.text.as_str()
        );
        assert_eq!(s.set.metadata.title.as_deref(), Some("Truce"));
        let a = Annotation::new(s.set.fresh_id(), &s.text, 4, 7, "t");
        s.execute(Command::AddAnnotation(a)).unwrap();
        let set_path = s.save().unwrap();
        assert_eq!(set_path, dir.path().join("page.annotations.ron"));
        let stored = dir.path().join("page.text.txt");
        assert_eq!(std::fs::read_to_string(&stored).unwrap(), s.text.as_str());
        assert_eq!(s.set.source.path, "page.text.txt");
        assert_eq!(s.set.source.original.as_deref(), Some("page.html"));
        assert!(
            s.set
                .source
                .extractor
                .as_deref()
                .unwrap_or("")
                .contains("html")
        );
        // The original changes (a new extractor would too): offsets still
        // point into the stored text.
        std::fs::write(&html, "<p>Completely different.</p>").unwrap();
        for path in [&html, &set_path] {
            let (again, warnings) = Session::open(path, &OpenOptions::default()).unwrap();
            assert!(warnings.is_empty(), "{warnings:?}");
            assert_eq!(again.set, s.set);
            assert_eq!(again.text.slice(4, 7), "ISI");
            assert_eq!(again.article_path.as_deref(), Some(html.as_path()));
            assert!(!again.is_dirty());
        }
    }

    #[test]
    fn pasted_text_is_saved_as_txt_with_its_set() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Session::from_pasted("  \n", dir.path()).is_err());
        let mut s = Session::from_pasted("Pasted “text” — اردو\r\nline", dir.path()).unwrap();
        assert!(s.is_dirty());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing written before save"
        );
        let a = Annotation::new(s.set.fresh_id(), &s.text, 0, 6, "t");
        s.execute(Command::AddAnnotation(a)).unwrap();
        let set_path = s.save().unwrap();
        let article = s.article_path.clone().unwrap();
        assert_eq!(article.parent(), Some(dir.path()));
        assert!(
            article
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("pasted-")
        );
        assert_eq!(
            std::fs::read_to_string(&article).unwrap(),
            "Pasted “text” — اردو\r\nline"
        );
        let (again, _) = Session::open(&article, &OpenOptions::default()).unwrap();
        assert_eq!(again.set, s.set);
        assert_eq!(again.set_path.as_deref(), Some(set_path.as_path()));
        assert!(!s.is_dirty());
    }

    #[test]
    fn unsupported_types_get_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.xlsx");
        std::fs::write(&p, "x").unwrap();
        let err = Session::open(&p, &OpenOptions::default()).unwrap_err();
        assert!(err.to_string().contains("xlsx"), "{err}");
    }
}
