//! A corpus: a folder of articles coded as one study, with `corpus.ron` at
//! its root (the corpus name, the shared codebook, the document attributes
//! it defines and the list order).
//!
//! Invariants:
//! - A document is named by its article's path relative to the corpus
//!   root, with `/` separators (`dawn/2012-07-04.txt`); its set is found by
//!   the naming rule of [`super::store::set_path_for`].
//! - The scan goes down every folder except dot-folders and symbolic links
//!   (no loops); it skips dot-files, the extracted-text companions
//!   `*.text.txt`, set files, backups and `corpus.ron` itself. A set whose
//!   article is not in the folder is listed too (as its set's path), so no
//!   annotation is hidden.
//! - Sets stay self-contained: the corpus codebook is the union of what the
//!   sets use plus what was defined for the corpus; nothing here removes a
//!   tag from a set.
//! - `corpus.ron` is written deterministically (codebook sorted by kind and
//!   name, attributes sorted by name, the order as listed) and atomically;
//!   a file from a newer version is never overwritten.

use super::codebook::{Codebook, Tag};
use super::set::{AnnotationSet, DocStatus};
use super::store::{self, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The file at the root of a corpus folder.
pub const CORPUS_FILE: &str = "corpus.ron";
/// The `corpus.ron` format this build writes and reads up to.
pub const CORPUS_VERSION: u32 = 1;

/// A document variable the corpus defines (`outlet`, `country`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// The variable's name, unique in the corpus.
    pub name: String,
    /// The values it may take; empty means any text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// What `corpus.ron` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusFile {
    /// Format version ([`CORPUS_VERSION`]).
    pub version: u32,
    /// The study's name (the folder's name by default).
    pub name: String,
    /// The codebook shared by every document.
    #[serde(default)]
    pub codebook: Codebook,
    /// The document attributes, sorted by name.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    /// The documents in list order (relative paths); documents not named
    /// here follow, sorted by path.
    #[serde(default)]
    pub order: Vec<String>,
}

/// `corpus.ron`'s text for `file`: deterministic RON (the codebook and the
/// attributes sorted, the order as given).
pub fn corpus_file_ron(file: &CorpusFile) -> Result<String, StoreError> {
    let mut file = file.clone();
    file.version = CORPUS_VERSION;
    file.codebook = Codebook::from_tags(file.codebook.tags().to_vec());
    file.attributes.sort_by(|a, b| a.name.cmp(&b.name));
    file.attributes.dedup_by(|a, b| a.name == b.name);
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("  ".to_owned())
        .new_line("\n".to_owned())
        .struct_names(false);
    let mut out = ron::ser::to_string_pretty(&file, config)
        .map_err(|e| StoreError::Serialize(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

/// Why a corpus could not be opened or saved.
#[derive(Debug)]
pub enum CorpusError {
    /// The folder or `corpus.ron` could not be read or written.
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// `corpus.ron` is not valid.
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// `corpus.ron` was written by a newer Marginalia.
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CorpusError::Parse {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: not a valid corpus file: {message}",
                path.display()
            ),
            CorpusError::NewerVersion { path, found } => write!(
                f,
                "{}: written by a newer Marginalia (corpus version {found}; this build reads up to {CORPUS_VERSION}); update Marginalia to open this corpus. The file was not changed.",
                path.display()
            ),
        }
    }
}

impl std::error::Error for CorpusError {}

/// What the document list shows of one document, read from its set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSummary {
    /// The set's title, else the article's file name without extension.
    pub title: String,
    /// Publication date (`YYYY-MM-DD` when known), empty when unknown.
    pub date: String,
    /// The outlet: the metadata's publication, else the `outlet`
    /// attribute; empty when unknown.
    pub outlet: String,
    /// Where the coding stands.
    pub status: DocStatus,
    /// The document's attribute values.
    pub attributes: BTreeMap<String, String>,
    /// Annotations in the set.
    pub annotations: usize,
    /// The coders named on its annotations, sorted.
    pub coders: Vec<String>,
    /// Whether the set file exists.
    pub has_set: bool,
    /// Why the set could not be read (the document still lists).
    pub error: Option<String>,
}

/// One document of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocEntry {
    /// The article's path relative to the root, `/`-separated (for a set
    /// whose article is elsewhere: the set's path).
    pub rel: String,
    /// The article (or the set, see [`DocEntry::set_only`]).
    pub path: PathBuf,
    /// The set by the naming rule.
    pub set_path: PathBuf,
    /// True when only the set is in the folder (its article is elsewhere
    /// or missing); opening it opens the set.
    pub set_only: bool,
}

impl DocEntry {
    /// Reads the document's set for the list (a missing set gives the
    /// file name as title and no annotations; an unreadable one its error).
    /// Also returns the set's codebook, for the corpus codebook.
    pub fn summarize(&self) -> (DocSummary, Option<Codebook>) {
        let (summary, codebook, _) = self.read(false);
        (summary, codebook)
    }

    /// [`Self::summarize`], plus the set's annotations for the corpus index
    /// (none when the set is missing or unreadable).
    pub fn summarize_and_index(
        &self,
    ) -> (
        DocSummary,
        Option<Codebook>,
        Option<super::corpus_index::DocIndex>,
    ) {
        self.read(true)
    }

    fn read(
        &self,
        index: bool,
    ) -> (
        DocSummary,
        Option<Codebook>,
        Option<super::corpus_index::DocIndex>,
    ) {
        let stem = store::set_stem(&self.set_path).unwrap_or_default();
        let mut summary = DocSummary {
            title: stem,
            ..DocSummary::default()
        };
        if !self.set_path.is_file() {
            self.detect_from_text(&mut summary);
            return (summary, None, None);
        }
        summary.has_set = true;
        match store::load(&self.set_path) {
            Ok(set) => {
                fill_summary(&mut summary, &set);
                let idx = index.then(|| super::corpus_index::DocIndex::from_set(&set));
                (summary, Some(set.codebook), idx)
            }
            Err(e) => {
                summary.error = Some(e.to_string());
                (summary, None, None)
            }
        }
    }
}

impl DocEntry {
    /// For a plain-text article without a set: the title, date and outlet
    /// its first lines give (what a new set would start with). Other kinds
    /// need an extraction and keep the file name until coded.
    fn detect_from_text(&self, summary: &mut DocSummary) {
        use std::io::Read;
        if self.set_only
            || super::import::kind_for_path(&self.path) != Some(super::import::SourceKind::Text)
        {
            return;
        }
        let mut head = Vec::new();
        let read =
            fs::File::open(&self.path).and_then(|f| f.take(16 * 1024).read_to_end(&mut head));
        if read.is_err() {
            return;
        }
        let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&head);
        let text = super::text::Text::new(String::from_utf8_lossy(head).into_owned());
        let m = super::metadata::detect(&text);
        if let Some(t) = m.title.filter(|t| !t.trim().is_empty()) {
            summary.title = t.trim().to_owned();
        }
        summary.date = m.date.unwrap_or_default();
        summary.outlet = m.publication.unwrap_or_default();
    }
}

/// Fills a summary from a set (what [`DocEntry::summarize`] reads; the app
/// calls it after a save).
pub fn fill_summary(summary: &mut DocSummary, set: &AnnotationSet) {
    let m = &set.metadata;
    if let Some(t) = m.title.as_deref().filter(|t| !t.trim().is_empty()) {
        summary.title = t.trim().to_owned();
    }
    summary.date = m.date.clone().unwrap_or_default();
    summary.outlet = m
        .publication
        .clone()
        .or_else(|| m.attributes.get("outlet").cloned())
        .unwrap_or_default();
    summary.status = m.status;
    summary.attributes = m.attributes.clone();
    summary.annotations = set.annotations().len();
    let coders: BTreeSet<&str> = set
        .annotations()
        .iter()
        .filter_map(|a| a.coder.as_deref())
        .collect();
    summary.coders = coders.into_iter().map(str::to_owned).collect();
    summary.has_set = true;
    summary.error = None;
}

/// An open corpus: its root, what `corpus.ron` says and the documents
/// found, in list order.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The corpus folder.
    pub root: PathBuf,
    /// The contents of `corpus.ron` (a default one before the first save).
    pub file: CorpusFile,
    /// Whether `corpus.ron` exists on disk.
    pub file_exists: bool,
    /// The documents, in the corpus's order.
    pub docs: Vec<DocEntry>,
    /// What the scan noticed (folders that could not be read, two
    /// articles that would share one set).
    pub problems: Vec<String>,
}

impl Corpus {
    /// Opens the folder `root`: reads `corpus.ron` when present and scans
    /// for documents. Fails only when the folder cannot be read or
    /// `corpus.ron` is invalid or newer.
    pub fn open(root: &Path) -> Result<Corpus, CorpusError> {
        let meta = fs::metadata(root).map_err(|source| CorpusError::Io {
            path: root.to_owned(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(CorpusError::Io {
                path: root.to_owned(),
                source: io::Error::new(io::ErrorKind::InvalidInput, "not a folder"),
            });
        }
        let root = &root.canonicalize().map_err(|source| CorpusError::Io {
            path: root.to_owned(),
            source,
        })?;
        let file_path = root.join(CORPUS_FILE);
        let (file, file_exists) = if file_path.is_file() {
            (read_corpus_file(&file_path)?, true)
        } else {
            (default_file(root), false)
        };
        let mut problems = Vec::new();
        let mut found = Scan::default();
        scan_dir(root, "", &mut found, &mut problems).map_err(|source| CorpusError::Io {
            path: root.to_owned(),
            source,
        })?;
        let mut docs = found.into_docs(root, &mut problems);
        order_docs(&mut docs, &file.order);
        Ok(Corpus {
            root: root.to_owned(),
            file,
            file_exists,
            docs,
            problems,
        })
    }

    /// The path of `corpus.ron`.
    pub fn file_path(&self) -> PathBuf {
        self.root.join(CORPUS_FILE)
    }

    /// The index of the document whose article or set is `path`.
    pub fn position(&self, path: &Path) -> Option<usize> {
        let exact = |p: &Path| {
            self.docs
                .iter()
                .position(|d| d.path == p || d.set_path == p)
        };
        // The root is canonical, so the documents' paths are too: one
        // system call for the path asked about, none per document.
        exact(path).or_else(|| exact(&path.canonicalize().ok()?))
    }

    /// Adds to the corpus codebook every tag of `codebook` it lacks (see
    /// [`merge_codebooks`]). Returns how many tags joined.
    pub fn adopt_tags(&mut self, codebook: &Codebook) -> usize {
        // Most sets hold no tag the corpus lacks: look before copying.
        let known = |t: &super::codebook::Tag| self.file.codebook.get(t.kind, &t.name).is_some();
        if codebook.tags().iter().all(known) {
            return 0;
        }
        let (merged, added) = merge_codebooks(&self.file.codebook, codebook);
        if added > 0 {
            self.file.codebook = merged;
        }
        added
    }

    /// Adds attribute names used by documents but not defined (any value
    /// allowed), keeping the definitions sorted. Returns how many joined.
    pub fn adopt_attributes<'a>(&mut self, names: impl IntoIterator<Item = &'a String>) -> usize {
        let mut added = 0;
        for n in names {
            if !self.file.attributes.iter().any(|a| &a.name == n) {
                self.file.attributes.push(AttributeDef {
                    name: n.clone(),
                    values: Vec::new(),
                });
                added += 1;
            }
        }
        self.file.attributes.sort_by(|a, b| a.name.cmp(&b.name));
        added
    }

    /// `corpus.ron` as written: deterministic RON, the order as listed now.
    pub fn to_ron(&self) -> Result<String, StoreError> {
        let mut file = self.file.clone();
        file.order = self.docs.iter().map(|d| d.rel.clone()).collect();
        corpus_file_ron(&file)
    }

    /// Writes `corpus.ron` after taking in what another writer (a second
    /// window, a coder's clone) added to the file since it was read: tags
    /// and attribute definitions this copy lacks. A file from a newer
    /// version is refused, never overwritten.
    pub fn save_merging(&mut self) -> Result<(), StoreError> {
        let path = self.file_path();
        if path.is_file() {
            match read_corpus_file(&path) {
                Ok(disk) => {
                    self.adopt_tags(&disk.codebook);
                    for a in disk.attributes {
                        if !self.file.attributes.iter().any(|x| x.name == a.name) {
                            self.file.attributes.push(a);
                        }
                    }
                }
                Err(CorpusError::NewerVersion { path, found }) => {
                    return Err(StoreError::NewerVersion { path, found });
                }
                Err(e) => {
                    return Err(StoreError::Io {
                        path: path.clone(),
                        source: io::Error::other(format!("{e}; it was not overwritten")),
                    });
                }
            }
        }
        self.save()
    }

    /// Writes `corpus.ron` atomically (the previous one kept as `.bak`) as
    /// this copy holds it (a corpus-wide change, which removes tags, writes
    /// through here).
    pub fn save(&mut self) -> Result<(), StoreError> {
        let text = self.to_ron()?;
        let path = self.file_path();
        if self.file_exists && fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        store::write_atomic(&path, text.as_bytes(), &mut |f, b| f.write_all(b))?;
        self.file_exists = true;
        self.file.order = self.docs.iter().map(|d| d.rel.clone()).collect();
        Ok(())
    }
}

/// `base` with every tag of `extra` it lacks (by kind and name); `base`'s
/// tags and digits win, so a digit already bound in `base` is not copied.
/// Returns the merged codebook and how many tags joined.
pub fn merge_codebooks(base: &Codebook, extra: &Codebook) -> (Codebook, usize) {
    let mut tags: Vec<Tag> = base.tags().to_vec();
    let mut digits: BTreeSet<u8> = tags.iter().filter_map(|t| t.digit).collect();
    let mut added = 0;
    for t in extra.tags() {
        if base.get(t.kind, &t.name).is_some() {
            continue;
        }
        let mut t = t.clone();
        if let Some(d) = t.digit
            && !digits.insert(d)
        {
            t.digit = None;
        }
        tags.push(t);
        added += 1;
    }
    (Codebook::from_tags(tags), added)
}

/// A corpus file for a folder that has none: named after the folder.
fn default_file(root: &Path) -> CorpusFile {
    let name = root
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(root)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".to_owned());
    CorpusFile {
        version: CORPUS_VERSION,
        name,
        codebook: Codebook::default(),
        attributes: Vec::new(),
        order: Vec::new(),
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// Reads and checks `corpus.ron`.
pub fn read_corpus_file(path: &Path) -> Result<CorpusFile, CorpusError> {
    let text = fs::read_to_string(path).map_err(|source| CorpusError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let newer = |found| CorpusError::NewerVersion {
        path: path.to_owned(),
        found,
    };
    match ron::from_str::<CorpusFile>(text) {
        Ok(f) if f.version > CORPUS_VERSION => Err(newer(f.version)),
        Ok(f) => Ok(f),
        Err(e) => {
            if let Ok(p) = ron::from_str::<VersionProbe>(text)
                && p.version > CORPUS_VERSION
            {
                return Err(newer(p.version));
            }
            Err(CorpusError::Parse {
                path: path.to_owned(),
                line: e.span.start.line,
                column: e.span.start.col,
                message: e.code.to_string(),
            })
        }
    }
}

/// What the scan found: articles and sets by relative path.
#[derive(Default)]
struct Scan {
    articles: Vec<(String, PathBuf)>,
    sets: Vec<(String, PathBuf)>,
}

impl Scan {
    /// Pairs articles with their sets: one entry per article, plus one per
    /// set that no article claims.
    fn into_docs(self, root: &Path, problems: &mut Vec<String>) -> Vec<DocEntry> {
        let mut by_stem: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for (_, path) in &self.articles {
            *by_stem.entry(store::set_path_for(path)).or_default() += 1;
        }
        let mut claimed: BTreeMap<PathBuf, String> = BTreeMap::new();
        let mut docs = Vec::new();
        for (rel, path) in self.articles {
            let beside = store::set_path_for(&path);
            // Articles sharing a stem (`a.html`, `a.md`): the set is found
            // as opening finds it (by its source, else by the whole name).
            let set_path = if by_stem.get(&beside).copied().unwrap_or(0) > 1 {
                let (p, _) = store::locate_set(&path, None);
                if claimed.contains_key(&p) {
                    let name = path.file_name().unwrap_or_default().to_string_lossy();
                    path.with_file_name(format!("{name}{}", store::SET_SUFFIX))
                } else {
                    p
                }
            } else {
                beside
            };
            if let Some(other) = claimed.get(&set_path) {
                problems.push(format!(
                    "{other} and {rel} share one annotation set ({})",
                    set_path.file_name().unwrap_or_default().to_string_lossy()
                ));
            } else {
                claimed.insert(set_path.clone(), rel.clone());
            }
            docs.push(DocEntry {
                rel,
                path,
                set_path,
                set_only: false,
            });
        }
        for (rel, path) in self.sets {
            if claimed.contains_key(&path) {
                continue;
            }
            // A set whose source sits elsewhere but inside the corpus is
            // the article's set under another name: listed by its source.
            let source = store::load(&path)
                .ok()
                .map(|s| store::resolve_source(&path, &s.source.path));
            if let Some(src) = &source
                && let Ok(r) = src.strip_prefix(root)
                && docs.iter().any(|d| d.path == root.join(r))
            {
                continue;
            }
            docs.push(DocEntry {
                rel,
                path: path.clone(),
                set_path: path,
                set_only: true,
            });
        }
        docs
    }
}

/// Whether a file found by the scan is an article of the corpus.
fn is_article(name: &str, path: &Path) -> bool {
    !name.starts_with('.')
        && !name.ends_with(".text.txt")
        && !store::is_set_path(path)
        && name != CORPUS_FILE
        && super::import::kind_for_path(path).is_some()
}

fn scan_dir(dir: &Path, rel: &str, found: &mut Scan, problems: &mut Vec<String>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if name.starts_with('.') {
                continue;
            }
            if let Err(err) = scan_dir(&path, &child, found, problems) {
                problems.push(format!("{child}: not read ({err})"));
            }
        } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
            if store::is_set_path(&path) && !name.starts_with('.') {
                found.sets.push((child, path));
            } else if is_article(&name, &path) {
                found.articles.push((child, path));
            }
        }
    }
    Ok(())
}

/// Puts `docs` in the corpus order: those named in `order` first, as named,
/// then the rest by path.
fn order_docs(docs: &mut [DocEntry], order: &[String]) {
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    docs.sort_by(|a, b| {
        let ra = rank.get(a.rel.as_str()).copied().unwrap_or(usize::MAX);
        let rb = rank.get(b.rel.as_str()).copied().unwrap_or(usize::MAX);
        ra.cmp(&rb).then_with(|| a.rel.cmp(&b.rel))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::{Rgb, TagKind};
    use crate::core::set::SourceRef;

    fn write(p: &Path, s: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, s).unwrap();
    }

    fn set_with(title: &str, tags: &[(&str, Option<u8>)], n: usize) -> AnnotationSet {
        let mut set = AnnotationSet::new(SourceRef::default());
        set.metadata.title = Some(title.into());
        set.metadata.status = DocStatus::InProgress;
        set.metadata
            .attributes
            .insert("outlet".into(), "Dawn".into());
        let mut tl = Vec::new();
        for (name, d) in tags {
            let mut t = Tag::new(TagKind::Issue, name, Rgb([1, 2, 3]));
            t.digit = *d;
            tl.push(t);
        }
        set.codebook = Codebook::from_tags(tl);
        let text = crate::core::Text::new("x".repeat(n + 1));
        let mut anns = Vec::new();
        for i in 0..n {
            let mut a = Annotation::new(format!("a{i}"), &text, i, i + 1, "t");
            a.coder = Some(if i % 2 == 0 { "ann" } else { "bo" }.into());
            anns.push(a);
        }
        set.set_annotations(anns);
        set
    }

    #[test]
    fn a_scan_lists_articles_and_lone_sets_and_skips_companions_and_dot_folders() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        write(&r.join("b.txt"), "b");
        write(&r.join("a/z.md"), "# z");
        write(&r.join("a/page.html"), "<p>x</p>");
        write(&r.join("a/page.text.txt"), "x");
        write(&r.join(".git/x.txt"), "no");
        write(&r.join(".hidden.txt"), "no");
        write(&r.join("notes.rtf"), "no");
        write(&r.join(CORPUS_FILE), "");
        fs::remove_file(r.join(CORPUS_FILE)).unwrap();
        store::save(&r.join("lone.annotations.ron"), &set_with("Lone", &[], 1)).unwrap();
        store::save(&r.join("b.annotations.ron"), &set_with("B", &[], 2)).unwrap();
        let c = Corpus::open(r).unwrap();
        let rels: Vec<&str> = c.docs.iter().map(|d| d.rel.as_str()).collect();
        assert_eq!(
            rels,
            ["a/page.html", "a/z.md", "b.txt", "lone.annotations.ron"]
        );
        assert!(c.docs[3].set_only);
        assert_eq!(c.docs[2].set_path, r.join("b.annotations.ron"));
        assert!(!c.file_exists);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    #[test]
    fn two_articles_with_one_stem_each_find_their_own_set() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("x.txt"), "a");
        write(&d.path().join("x.md"), "b");
        let c = Corpus::open(d.path()).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert_ne!(c.docs[0].set_path, c.docs[1].set_path);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        // The text's set is the plain name once it exists, the other the
        // whole file name (as opening each of them finds it).
        let mut set = set_with("X", &[], 1);
        set.source.path = "x.txt".into();
        store::save(&d.path().join("x.annotations.ron"), &set).unwrap();
        let c = Corpus::open(d.path()).unwrap();
        let by_rel = |r: &str| c.docs.iter().find(|e| e.rel == r).unwrap().set_path.clone();
        assert_eq!(by_rel("x.txt"), d.path().join("x.annotations.ron"));
        assert_eq!(by_rel("x.md"), d.path().join("x.md.annotations.ron"));
        assert_eq!(c.docs.len(), 2, "the set is not listed on its own");
    }

    #[test]
    fn the_summary_reads_title_status_attributes_count_and_coders() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("b.txt"), "bbbbbb");
        write(&d.path().join("c.txt"), "c");
        store::save(
            &d.path().join("b.annotations.ron"),
            &set_with("Bee", &[], 3),
        )
        .unwrap();
        write(&d.path().join("c.annotations.ron"), "(version: 1, garbage");
        let c = Corpus::open(d.path()).unwrap();
        let (s, cb) = c.docs[0].summarize();
        assert_eq!(s.title, "Bee");
        assert_eq!(s.status, DocStatus::InProgress);
        assert_eq!(s.attributes["outlet"], "Dawn");
        assert_eq!(s.annotations, 3);
        assert_eq!(s.coders, ["ann", "bo"]);
        assert!(cb.is_some());
        let (bad, cb) = c.docs[1].summarize();
        assert_eq!(bad.title, "c");
        assert!(bad.has_set);
        assert!(
            bad.error
                .as_deref()
                .unwrap()
                .contains("c.annotations.ron:1:")
        );
        assert!(cb.is_none());
        // An article without a set: what its first lines say, BOM and all.
        write(
            &d.path().join("d.txt"),
            "\u{feff}Drone strikes resume\r\n\r\nJuly 5, 2012\r\n\r\nThe strikes resumed.\r\n",
        );
        write(&d.path().join("e.md"), "# Not read until coded\n");
        let c = Corpus::open(d.path()).unwrap();
        let (new, cb) = c.docs[2].summarize();
        assert_eq!(
            (new.title.as_str(), new.date.as_str()),
            ("Drone strikes resume", "2012-07-05")
        );
        assert!(!new.has_set && cb.is_none() && new.annotations == 0);
        assert_eq!(c.docs[3].summarize().0.title, "e");
    }

    #[test]
    fn corpus_ron_keeps_the_order_and_round_trips_byte_for_byte() {
        let d = tempfile::tempdir().unwrap();
        for n in ["a.txt", "b.txt", "c.txt"] {
            write(&d.path().join(n), n);
        }
        let mut c = Corpus::open(d.path()).unwrap();
        c.docs.swap(0, 2);
        c.adopt_tags(&set_with("", &[("Drones", Some(1)), ("Aid", None)], 0).codebook);
        c.adopt_tags(&set_with("", &[("Trade", Some(1))], 0).codebook);
        c.adopt_attributes(&["outlet".to_owned(), "country".to_owned()]);
        c.save().unwrap();
        let first = fs::read_to_string(c.file_path()).unwrap();
        let again = Corpus::open(d.path()).unwrap();
        let rels: Vec<&str> = again.docs.iter().map(|d| d.rel.as_str()).collect();
        assert_eq!(rels, ["c.txt", "b.txt", "a.txt"]);
        assert!(again.file_exists);
        let trade = again.file.codebook.get(TagKind::Issue, "Trade").unwrap();
        assert_eq!(trade.digit, None, "digit 1 was taken by Drones");
        let names: Vec<&str> = again
            .file
            .attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, ["country", "outlet"]);
        assert_eq!(again.to_ron().unwrap(), first);
        // A new article is listed after the ordered ones.
        write(&d.path().join("0.txt"), "0");
        let more = Corpus::open(d.path()).unwrap();
        assert_eq!(more.docs.last().unwrap().rel, "0.txt");
    }

    #[test]
    fn a_bad_or_newer_corpus_file_is_refused_with_where_and_why() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(CORPUS_FILE);
        write(&p, "(version: 1, name: \"x\",\n codebook: oops)");
        let e = Corpus::open(d.path()).unwrap_err().to_string();
        assert!(e.contains("corpus.ron:2:"), "{e}");
        write(&p, "(version: 9, name: \"x\", something_new: 3)");
        let e = Corpus::open(d.path()).unwrap_err().to_string();
        assert!(e.contains("newer Marginalia (corpus version 9"), "{e}");
        assert!(fs::read_to_string(&p).unwrap().contains("version: 9"));
        let e = Corpus::open(&d.path().join("missing"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing"), "{e}");
    }
}
