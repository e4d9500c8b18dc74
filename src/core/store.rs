//! Reading and writing annotation sets as RON files, and finding the set
//! that belongs to an article.
//!
//! Invariants:
//! - The set of `dir/<stem>.<ext>` is `dir/<stem>.annotations.ron`.
//! - Output is deterministic: the same set always gives the same bytes
//!   (sorted collections, one annotation per line, `\n` line endings).
//! - Saves are atomic: the new content is written to a temporary file in the
//!   same folder, flushed to disk, the previous file is copied to
//!   `<name>.bak`, then the temporary file is renamed over the target. A
//!   failure at any point leaves the previous file as it was.
//! - A file written by a newer format version is read for display but never
//!   overwritten ([`StoreError::NewerVersion`]).

use super::annotation::Annotation;
use super::set::{AnnotationSet, FORMAT_VERSION};
use serde::Deserialize;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Suffix that marks an annotation set file.
pub const SET_SUFFIX: &str = ".annotations.ron";

/// Why a set could not be read or written.
#[derive(Debug)]
pub enum StoreError {
    /// The file could not be read or written.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The file is not valid RON for an annotation set.
    Parse {
        /// The file concerned (empty for in-memory text).
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// The file was written by a newer Marginalia.
    NewerVersion {
        /// The file concerned.
        path: PathBuf,
        /// Version found in the file.
        found: u32,
    },
    /// Serialising failed (should not happen for valid sets).
    Serialize(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            StoreError::Parse {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: not a valid annotation set: {message}",
                path.display()
            ),
            StoreError::NewerVersion { path, found } => write!(
                f,
                "{}: written by a newer Marginalia (format version {found}; this build reads up to {FORMAT_VERSION}); update Marginalia to open it. The file was not changed.",
                path.display()
            ),
            StoreError::Serialize(m) => write!(f, "could not serialise the annotation set: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    fn io(path: &Path, source: io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// `dir/<stem>.annotations.ron` for the article `dir/<stem>.<ext>`.
pub fn set_path_for(article: &Path) -> PathBuf {
    let stem = article
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".to_owned());
    article.with_file_name(format!("{stem}{SET_SUFFIX}"))
}

/// Whether `path` names an annotation set (`*.annotations.ron`).
pub fn is_set_path(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy().ends_with(SET_SUFFIX))
        .unwrap_or(false)
}

/// The article stem of a set file: `x.annotations.ron` → `x`.
pub fn set_stem(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    name.strip_suffix(SET_SUFFIX).map(str::to_owned)
}

/// Serialises a set to its canonical RON text: the bytes of ron's pretty
/// printer (see [`to_ron_with_ron`]), with the annotation and orphan lines
/// written directly (ron escapes strings one `char` at a time through
/// `fmt::Write`, most of a 50,000-annotation save). The equality of both
/// writers is tested on arbitrary sets.
pub fn to_ron(set: &AnnotationSet) -> Result<String, StoreError> {
    // Sets keep their invariants, so the copy to normalise is only made
    // for one that does not (it would double the memory of a large set).
    let copy;
    let set = if is_normalized(set) {
        set
    } else {
        let mut c = set.clone();
        c.normalize();
        copy = c;
        &copy
    };
    // Everything but the annotation lists through ron.
    let mut shell = AnnotationSet::new(set.source.clone());
    // The version the whole set needs (the shell has no annotations).
    shell.version = set.version_to_write();
    shell.metadata = set.metadata.clone();
    shell.codebook = set.codebook.clone();
    let head = to_ron_with_ron(&shell)?;
    const MARKER: &str = "\n  annotations: [],\n";
    let Some(at) = head.find(MARKER) else {
        return to_ron_with_ron(set);
    };
    let size: usize = set
        .annotations()
        .iter()
        .chain(&set.orphans)
        .map(|a| {
            200 + a.id.len()
                + a.quote.len()
                + a.prefix.len()
                + a.suffix.len()
                + a.note.as_ref().map_or(0, String::len)
                + a.issues
                    .iter()
                    .chain(&a.actors)
                    .map(|t| t.len() + 4)
                    .sum::<usize>()
        })
        .sum();
    let mut out = String::with_capacity(head.len() + size + size / 16);
    let mut cache = [('\0', false); 64];
    out.push_str(&head[..at]);
    for (name, list, always) in [
        ("annotations", set.annotations(), true),
        ("orphans", set.orphans.as_slice(), false),
    ] {
        if list.is_empty() {
            if always {
                out.push_str("\n  annotations: [],");
            }
            continue;
        }
        out.push_str("\n  ");
        out.push_str(name);
        out.push_str(": [");
        for a in list {
            out.push_str("\n    ");
            write_annotation(&mut out, a, &mut cache);
            out.push(',');
        }
        out.push_str("\n  ],");
    }
    out.push('\n');
    out.push_str(&head[at + MARKER.len()..]);
    Ok(out)
}

/// The canonical RON text through ron's pretty printer alone (the
/// reference for [`to_ron`]).
pub fn to_ron_with_ron(set: &AnnotationSet) -> Result<String, StoreError> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("  ".to_owned())
        .new_line("\n".to_owned())
        .struct_names(false);
    let written = SetOut {
        version: set.version_to_write(),
        source: &set.source,
        metadata: &set.metadata,
        codebook: &set.codebook,
        annotations: set.annotations(),
        orphans: &set.orphans,
    };
    let mut out = ron::ser::to_string_pretty(&written, config)
        .map_err(|e| StoreError::Serialize(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

/// One annotation as ron writes it past the depth limit: one line, fields
/// in declaration order, `None` options skipped.
fn write_annotation(
    out: &mut String,
    a: &crate::core::annotation::Annotation,
    cache: &mut [(char, bool); 64],
) {
    use crate::core::annotation::Stance;
    use std::fmt::Write as _;
    out.push_str("(id: ");
    write_ron_str(out, cache, &a.id);
    let _ = write!(out, ", start: {}, end: {}, quote: ", a.start, a.end);
    write_ron_str(out, cache, &a.quote);
    out.push_str(", prefix: ");
    write_ron_str(out, cache, &a.prefix);
    out.push_str(", suffix: ");
    write_ron_str(out, cache, &a.suffix);
    for (name, list) in [("issues", &a.issues), ("actors", &a.actors)] {
        out.push_str(", ");
        out.push_str(name);
        out.push_str(": [");
        for (i, t) in list.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_ron_str(out, cache, t);
        }
        out.push(']');
    }
    if let Some(n) = &a.note {
        out.push_str(", note: Some(");
        write_ron_str(out, cache, n);
        out.push(')');
    }
    if let Some(st) = a.stance {
        out.push_str(match st {
            Stance::Support => ", stance: Some(Support)",
            Stance::Oppose => ", stance: Some(Oppose)",
            Stance::Neutral => ", stance: Some(Neutral)",
        });
    }
    if let Some(c) = &a.coder {
        out.push_str(", coder: Some(");
        write_ron_str(out, cache, c);
        out.push(')');
    }
    if let Some(c) = &a.conflict_of {
        out.push_str(", conflict_of: Some(");
        write_ron_str(out, cache, c);
        out.push(')');
    }
    if !a.curated_from.is_empty() {
        out.push_str(", curated_from: [");
        for (i, f) in a.curated_from.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_ron_str(out, cache, f);
        }
        out.push(']');
    }
    out.push_str(", created: ");
    write_ron_str(out, cache, &a.created);
    out.push_str(", modified: ");
    write_ron_str(out, cache, &a.modified);
    out.push(')');
}

/// A string as ron writes it: quoted, each `char` through
/// `char::escape_debug` (runs of characters it leaves alone copied at
/// once; the verdict for non-ASCII characters is cached, as articles
/// repeat the same few).
fn write_ron_str(out: &mut String, cache: &mut [(char, bool); 64], s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len, simple) = if b < 0x80 {
            let simple = (b' '..=b'~').contains(&b) && !matches!(b, b'"' | b'\'' | b'\\');
            (b as char, 1, simple)
        } else {
            let c = s[i..].chars().next().unwrap_or('\u{fffd}');
            let slot = &mut cache[(c as usize) % 64];
            let simple = if slot.0 == c {
                slot.1
            } else {
                let v = c.escape_debug().len() == 1;
                *slot = (c, v);
                v
            };
            (c, c.len_utf8(), simple)
        };
        if !simple {
            out.push_str(&s[plain..i]);
            out.extend(c.escape_debug());
            plain = i + len;
        }
        i += len;
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

/// True when `set` is as [`AnnotationSet::normalize`] leaves it.
fn is_normalized(set: &AnnotationSet) -> bool {
    let strictly_sorted = |v: &[String]| v.windows(2).all(|w| w[0] < w[1]);
    set.annotations()
        .windows(2)
        .all(|w| w[0].sort_key() <= w[1].sort_key())
        && set.orphans.windows(2).all(|w| w[0].id <= w[1].id)
        && set
            .annotations()
            .iter()
            .chain(&set.orphans)
            .all(|a| strictly_sorted(&a.issues) && strictly_sorted(&a.actors))
}

/// A set as it is written: [`AnnotationSet`]'s fields in its order, with
/// the version to write (see [`AnnotationSet::version_to_write`]).
#[derive(serde::Serialize)]
struct SetOut<'a> {
    version: u32,
    source: &'a crate::core::set::SourceRef,
    metadata: &'a crate::core::set::Metadata,
    codebook: &'a crate::core::codebook::Codebook,
    annotations: &'a [Annotation],
    #[serde(skip_serializing_if = "<[Annotation]>::is_empty")]
    orphans: &'a [Annotation],
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// The annotations list of a file as this program writes it: one
/// annotation per line between `  annotations: [` and `  ],`.
const LIST_OPEN: &str = "\n  annotations: [\n";
const LIST_CLOSE: &str = "\n  ],\n";

/// Parses a set written in the canonical layout (see [`to_ron`]) with the
/// annotation list cut in two halves parsed on two threads (RON parsing is
/// most of opening a large set). `None` when the text is not laid out that
/// way or any part does not parse: the caller then parses it whole, which
/// also gives the right line for an error.
fn parse_split(text: &str) -> Option<AnnotationSet> {
    const MIN_LINES: usize = 2_000;
    let open = text.find(LIST_OPEN)? + LIST_OPEN.len();
    let close = open + text[open..].rfind(LIST_CLOSE)?;
    let body = &text[open..close];
    let line_count = body.bytes().filter(|b| *b == b'\n').count() + 1;
    if line_count < MIN_LINES {
        return None;
    }
    // Cut at a line boundary near the middle, between two annotations.
    let mid = body.len() / 2;
    let cut = mid + body.get(mid..)?.find("\n    (")? + 1;
    let (first, second) = body.split_at(cut);
    let rest = format!("{}{}", &text[..open], &text[close + 1..]);
    let parse_list = |lines: &str| -> Option<Vec<Annotation>> {
        let list = format!("[\n{}\n]", lines.trim_end_matches('\n'));
        ron::from_str::<Vec<Annotation>>(&list).ok()
    };
    let (head, tail, mut set) = std::thread::scope(|s| {
        let t = s.spawn(|| parse_list(second));
        let head = parse_list(first);
        let set = ron::from_str::<AnnotationSet>(&rest).ok();
        (head, t.join().ok().flatten(), set)
    });
    let set_ref = set.as_mut()?;
    if !set_ref.annotations().is_empty() {
        return None;
    }
    let mut annotations = head?;
    annotations.extend(tail?);
    set_ref.set_annotations(annotations);
    set
}

/// Parses RON text into a set. `path` is only used in messages.
pub fn from_ron(text: &str, path: &Path) -> Result<AnnotationSet, StoreError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A newer file gets the right message even when its fields changed:
    // its version is probed when the full parse fails (probing first would
    // parse every file twice, ~200 ms for 50,000 annotations).
    let newer = |found: u32| StoreError::NewerVersion {
        path: path.to_owned(),
        found,
    };
    // The fast reader takes what this program writes; anything else (and
    // every error, for its line and column) goes to `ron`.
    let parsed = match super::ron_read::from_str::<AnnotationSet>(text) {
        Ok(set) => Ok(set),
        Err(_) => parse_split(text).map_or_else(|| ron::from_str(text), Ok),
    };
    let mut set: AnnotationSet = match parsed {
        Ok(set) => set,
        Err(e) => {
            if let Ok(probe) = ron::from_str::<VersionProbe>(text)
                && probe.version > FORMAT_VERSION
            {
                return Err(newer(probe.version));
            }
            return Err(StoreError::Parse {
                path: path.to_owned(),
                line: e.span.start.line,
                column: e.span.start.col,
                message: e.code.to_string(),
            });
        }
    };
    if set.version > FORMAT_VERSION {
        return Err(newer(set.version));
    }
    set.normalize();
    Ok(set)
}

/// Reads a set file.
pub fn load(path: &Path) -> Result<AnnotationSet, StoreError> {
    let bytes = fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| StoreError::Parse {
        path: path.to_owned(),
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        column: 1,
        message: "the file is not UTF-8 text".into(),
    })?;
    from_ron(text, path)
}

/// Writes a set atomically, keeping the previous file as `<name>.bak`.
pub fn save(path: &Path, set: &AnnotationSet) -> Result<(), StoreError> {
    let text = to_ron(set)?;
    write_atomic(path, text.as_bytes(), &mut |f, b| f.write_all(b))
}

/// The `.bak` path kept beside `path`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically (see the module invariants). `write`
/// performs the actual write into the temporary file; tests inject faults
/// through it.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    write: &mut dyn FnMut(&mut fs::File, &[u8]) -> io::Result<()>,
) -> Result<(), StoreError> {
    // A read-only target is the user's choice: refuse rather than replace
    // it through the rename (which only needs a writable folder).
    if let Ok(meta) = fs::metadata(path)
        && meta.permissions().readonly()
    {
        return Err(StoreError::io(
            path,
            io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only; use Save As to save elsewhere",
            ),
        ));
    }
    replace_with(path, bytes, true, write).map_err(|e| StoreError::io(path, e))
}

/// Replaces `path` with `bytes` through a temporary file in the same folder
/// (flushed to disk, then renamed), without a `.bak`: for exports and other
/// files that are not the user's annotations.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(path, bytes, false, &mut |f, b| f.write_all(b))
}

/// The temporary-file-and-rename step shared by [`write_atomic`] and
/// [`replace_file`]; the temporary file is removed on failure.
fn replace_with(
    path: &Path,
    bytes: &[u8],
    backup: bool,
    write: &mut dyn FnMut(&mut fs::File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        write(&mut f, bytes)?;
        f.flush()?;
        f.sync_all()?;
        drop(f);
        if backup && path.exists() {
            fs::copy(path, backup_path(path))?;
        }
        fs::rename(&tmp, path)?;
        // Make the rename durable; not all platforms can open a folder.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `target` relative to the folder `from_dir`, with `/` separators; the
/// absolute path when no relative path exists (other drive).
pub fn relative_path(from_dir: &Path, target: &Path) -> String {
    let abs = |p: &Path| -> PathBuf {
        fs::canonicalize(p).unwrap_or_else(|_| {
            if p.is_absolute() {
                p.to_owned()
            } else {
                std::env::current_dir()
                    .map(|c| c.join(p))
                    .unwrap_or_else(|_| p.to_owned())
            }
        })
    };
    let from = abs(from_dir);
    let to = abs(target);
    let fc: Vec<Component> = from.components().collect();
    let tc: Vec<Component> = to.components().collect();
    if fc.first() != tc.first() {
        return to.to_string_lossy().replace('\\', "/");
    }
    let common = fc.iter().zip(&tc).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..fc.len() {
        parts.push("..".into());
    }
    for c in &tc[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// `path` as the file system names it, for comparing places: canonical
/// when it exists, else its canonical folder joined with its name (a file
/// not written yet), else absolute.
pub fn resolved_path(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent().map(Path::canonicalize), path.file_name()) {
        (Some(Ok(parent)), Some(name)) => parent.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_owned()),
    }
}

/// Resolves a set's `source.path` (relative to the set's folder).
pub fn resolve_source(set_path: &Path, source: &str) -> PathBuf {
    let p = Path::new(source);
    if p.is_absolute() {
        return p.to_owned();
    }
    match set_path.parent() {
        Some(d) => d.join(p),
        None => p.to_owned(),
    }
}

/// Where the set of `article` is, loaded once: the set beside it by the
/// naming rule, unless that set belongs to another existing file with the
/// same stem (`a.html` next to `a.md`), in which case
/// `<file name>.annotations.ron` (e.g. `a.md.annotations.ron`) is used; then
/// the same names in `saves_dir` when their source is this article. Returns
/// the path to use (existing or new) and the loaded set, if one exists. A
/// set file that cannot be read is returned with its error (it belongs to
/// the article by name and must not be overwritten silently).
pub fn locate_set(
    article: &Path,
    saves_dir: Option<&Path>,
) -> (PathBuf, Option<Result<AnnotationSet, StoreError>>) {
    let beside = set_path_for(article);
    let file_name = article
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".to_owned());
    let alt = article.with_file_name(format!("{file_name}{SET_SUFFIX}"));
    for candidate in [&beside, &alt] {
        if !candidate.is_file() {
            continue;
        }
        match load(candidate) {
            Ok(set) if belongs_to_other(candidate, &set, article) => continue,
            loaded => return (candidate.clone(), Some(loaded)),
        }
    }
    if let Some(saves) = saves_dir {
        for name in [beside.file_name(), alt.file_name()].into_iter().flatten() {
            let candidate = saves.join(name);
            if !candidate.is_file() {
                continue;
            }
            match load(&candidate) {
                Ok(set) if !source_is(&candidate, &set, article) => continue,
                loaded => return (candidate, Some(loaded)),
            }
        }
    }
    let fresh = if beside.is_file() { alt } else { beside };
    (fresh, None)
}

/// The file a set's offsets belong to: its original (HTML, DOCX …) when it
/// has one, else its source text.
fn set_article(set_path: &Path, set: &AnnotationSet) -> PathBuf {
    let rel = set.source.original.as_deref().unwrap_or(&set.source.path);
    resolve_source(set_path, rel)
}

/// Whether the set's article resolves to `article`.
fn source_is(set_path: &Path, set: &AnnotationSet, article: &Path) -> bool {
    match (
        fs::canonicalize(set_article(set_path, set)),
        fs::canonicalize(article),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether the set's article is another existing file (a broken or missing
/// source path does not count: the set still belongs here by name).
fn belongs_to_other(set_path: &Path, set: &AnnotationSet, article: &Path) -> bool {
    let other = set_article(set_path, set);
    other.is_file() && !source_is(set_path, set, article)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::codebook::TagKind;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    mod canonical {
        use super::*;
        use crate::core::annotation::Stance;
        use proptest::prelude::*;

        fn odd_string() -> impl Strategy<Value = String> {
            prop_oneof![
                any::<String>(),
                "[a-z \"'\\\\\t\n\r\u{7f}\u{0}\u{301}\u{200d}\u{feff}é😀اردو]{0,12}",
            ]
        }

        fn annotation() -> impl Strategy<Value = Annotation> {
            (
                (odd_string(), 0usize..1000, 0usize..1000, odd_string()),
                (odd_string(), odd_string()),
                (
                    proptest::collection::vec(odd_string(), 0..3),
                    proptest::collection::vec(odd_string(), 0..3),
                ),
                (
                    proptest::option::of(odd_string()),
                    proptest::option::of(0u8..3),
                    proptest::option::of(odd_string()),
                ),
                (odd_string(), odd_string()),
            )
                .prop_map(
                    |(
                        (id, s, e, quote),
                        (prefix, suffix),
                        (issues, actors),
                        (note, st, coder),
                        (created, modified),
                    )| {
                        // Every fourth one a merge conflict of another.
                        let conflict_of = (s % 4 == 0).then(|| format!("{id}-other"));
                        // Every third one curated from one or two codings.
                        let curated_from = match e % 3 {
                            0 => vec![format!("ann:{id}")],
                            1 => vec![format!("ann:{id}"), format!("b\"ob:{s}")],
                            _ => Vec::new(),
                        };
                        Annotation {
                            id,
                            start: s.min(e),
                            end: s.max(e),
                            quote,
                            prefix,
                            suffix,
                            issues,
                            actors,
                            note,
                            stance: st.map(|k| match k {
                                0 => Stance::Support,
                                1 => Stance::Oppose,
                                _ => Stance::Neutral,
                            }),
                            coder,
                            conflict_of,
                            curated_from,
                            created,
                            modified,
                        }
                    },
                )
        }

        proptest! {
            #[test]
            fn hand_written_ron_equals_rons_pretty_printer(
                anns in proptest::collection::vec(annotation(), 0..6),
                orphans in proptest::collection::vec(annotation(), 0..3),
                title in proptest::option::of(odd_string()),
                path in odd_string(),
                status in 0u8..3,
                attributes in proptest::collection::btree_map(odd_string(), odd_string(), 0..3),
            ) {
                let mut set = AnnotationSet::new(SourceRef { path, ..Default::default() });
                set.metadata.title = title;
                set.metadata.status = crate::core::set::DocStatus::ALL[usize::from(status)];
                set.metadata.attributes = attributes;
                if status == 2 {
                    set.metadata.curation = Some(crate::core::set::Curation {
                        curator: "C\u{301}ur\"ator".into(),
                        a: "ann".into(),
                        b: "bob".into(),
                        rejected: if anns.len() % 2 == 0 { Vec::new() } else { vec!["ann:a\n1".into(), "bob:b2".into()] },
                    });
                }
                set.set_annotations(anns);
                set.orphans = orphans;
                set.normalize();
                let ours = to_ron(&set).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let theirs = to_ron_with_ron(&set).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&ours, &theirs);
                let back = from_ron_for_test(&ours);
                set.version = set.version_to_write();
                prop_assert_eq!(&back, &Some(set));
                // The fast reader takes every canonical file, to the same set.
                let fast = crate::core::ron_read::from_str::<AnnotationSet>(&ours).ok();
                prop_assert!(fast.is_some());
                prop_assert_eq!(&fast, &back);
            }

            /// Any edit of a canonical file (a character dropped, replaced
            /// or inserted): what the fast reader accepts, `ron` reads to
            /// the same set, and `from_ron` gives what `ron` gives.
            #[test]
            fn edited_files_read_by_the_fast_reader_read_the_same_in_ron(
                anns in proptest::collection::vec(annotation(), 1..4),
                edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..3, prop_oneof![
                    Just('"'), Just('\\'), Just(','), Just('('), Just(')'), Just('['), Just(']'),
                    Just(':'), Just(' '), Just('/'), Just('1'), Just('a'), Just('u'), Just('{'), Just('}'), any::<char>(),
                ]), 1..4),
            ) {
                let mut set = AnnotationSet::new(SourceRef { path: "a.txt".into(), ..Default::default() });
                set.set_annotations(anns);
                set.normalize();
                let text = to_ron(&set).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let mut chars: Vec<char> = text.chars().collect();
                for (at, how, c) in edits {
                    let i = at.index(chars.len() + 1);
                    match how {
                        0 if i < chars.len() => { chars.remove(i); }
                        1 if i < chars.len() => chars[i] = c,
                        _ => chars.insert(i, c),
                    }
                }
                let edited: String = chars.into_iter().collect();
                let theirs = ron::from_str::<AnnotationSet>(&edited).ok();
                if let Ok(fast) = crate::core::ron_read::from_str::<AnnotationSet>(&edited) {
                    prop_assert_eq!(Some(fast), theirs.clone(), "{}", edited);
                }
                let mut theirs = theirs;
                if let Some(t) = &mut theirs {
                    t.normalize();
                }
                let ours = from_ron(&edited, Path::new("x.ron")).ok().filter(|s| s.version <= FORMAT_VERSION);
                prop_assert_eq!(ours, theirs.filter(|s| s.version <= FORMAT_VERSION));
            }
        }

        fn from_ron_for_test(s: &str) -> Option<AnnotationSet> {
            ron::from_str::<AnnotationSet>(s).ok()
        }
    }

    fn sample() -> (Text, AnnotationSet) {
        let text = Text::new("Hillary Clinton said “sorry” to Pakistan.\r\nاردو 😀 end".to_owned());
        let mut set = AnnotationSet::new(SourceRef {
            path: "a.txt".into(),
            sha256: text.sha256().into(),
            length: text.len_chars(),
            ..Default::default()
        });
        set.codebook
            .insert(set.codebook.new_tag(TagKind::Actor, "Hillary Clinton"));
        set.codebook
            .insert(set.codebook.new_tag(TagKind::Issue, "Apology"));
        let mut a = Annotation::new("a1".into(), &text, 0, 15, "2026-01-01T00:00:00Z");
        a.add_tag(TagKind::Actor, "Hillary Clinton");
        a.note = Some("line one\nline \"two\"".into());
        set.insert_sorted(a);
        let mut b = Annotation::new("a2".into(), &text, 21, 28, "2026-01-01T00:00:00Z");
        b.add_tag(TagKind::Issue, "Apology");
        b.add_tag(TagKind::Actor, "Hillary Clinton");
        set.insert_sorted(b);
        set.insert_sorted(Annotation::new("a3".into(), &text, 43, 49, "t"));
        (text, set)
    }

    #[test]
    fn ron_round_trip_is_identity_and_one_annotation_per_line() {
        let (_, set) = sample();
        let s = to_ron(&set).unwrap();
        let back = from_ron(&s, Path::new("x")).unwrap();
        assert_eq!(back, set);
        assert_eq!(
            to_ron(&back).unwrap(),
            s,
            "second save must not change the file"
        );
        let ann_lines = s
            .lines()
            .filter(|l| l.trim_start().starts_with("(id:"))
            .count();
        assert_eq!(ann_lines, 3, "{s}");
    }

    #[test]
    fn large_sets_parse_in_two_halves_exactly_like_a_whole() {
        let text = Text::new("word ".repeat(4000));
        let mut set = AnnotationSet::new(SourceRef {
            path: "big.txt".into(),
            sha256: text.sha256().into(),
            length: text.len_chars(),
            ..Default::default()
        });
        set.codebook
            .insert(set.codebook.new_tag(TagKind::Actor, "ISI"));
        for k in 0..3000 {
            let mut a = Annotation::new(format!("a{k}"), &text, k * 5, k * 5 + 4, "t");
            if k % 3 == 0 {
                a.add_tag(TagKind::Actor, "ISI");
                // A note that looks like the start of an annotation line.
                a.note = Some("x\n    (id: \"fake\"),\n  ],\n".into());
            }
            set.update_annotations(|v| {
                v.push(a);
            });
        }
        set.normalize();
        let canonical = to_ron(&set).unwrap();
        let split = parse_split(&canonical).expect("the canonical layout is split");
        let whole: AnnotationSet = ron::from_str(&canonical).unwrap();
        assert_eq!(split, whole);
        assert_eq!(from_ron(&canonical, Path::new("x")).unwrap(), set);
        // A damaged line: the split path gives up and the error names the
        // line, as a whole parse does.
        let line = canonical
            .lines()
            .position(|l| l.contains("(id: \"a2500\""))
            .unwrap()
            + 1;
        let broken = canonical.replacen("(id: \"a2500\", start: ", "(id: \"a2500\", start: x", 1);
        assert!(parse_split(&broken).is_none());
        match from_ron(&broken, Path::new("b.ron")) {
            Err(StoreError::Parse { line: l, .. }) => assert_eq!(l, line),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let (_, set) = sample();
        let s = to_ron(&set).unwrap();
        let truncated = &s[..s.len() / 2];
        match from_ron(truncated, Path::new("t.ron")) {
            Err(StoreError::Parse { line, .. }) => assert!(line >= 1),
            other => panic!("expected a parse error, got {other:?}"),
        }
        match from_ron("(version: 1, source: 5)", Path::new("t.ron")) {
            Err(e @ StoreError::Parse { .. }) => {
                let msg = e.to_string();
                assert!(msg.starts_with("t.ron:1:"), "{msg}");
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn status_and_attributes_are_saved_as_version_2_and_older_files_stay_version_1() {
        use crate::core::set::{BASE_VERSION, DocStatus};
        // A version 1 file loads unchanged and is written back byte for byte.
        let (_, set) = sample();
        let v1 = to_ron(&set).unwrap();
        assert!(v1.starts_with("(\n  version: 1,\n"), "{v1}");
        let back = from_ron(&v1, Path::new("x")).unwrap();
        assert_eq!(back.metadata.status, DocStatus::ToDo);
        assert!(back.metadata.attributes.is_empty());
        assert_eq!(to_ron(&back).unwrap(), v1);
        // Status and attributes raise the version (older builds then refuse
        // to overwrite the file instead of dropping them); attributes are
        // written sorted by name.
        let mut set = back;
        set.metadata.status = DocStatus::Done;
        set.metadata
            .attributes
            .insert("outlet".into(), "Dawn".into());
        set.metadata
            .attributes
            .insert("country".into(), "PK".into());
        let v2 = to_ron(&set).unwrap();
        assert!(v2.starts_with("(\n  version: 2,\n"), "{v2}");
        assert!(v2.contains("\n    status: Done,\n"), "{v2}");
        assert!(
            v2.contains("\n    attributes: {\"country\": \"PK\", \"outlet\": \"Dawn\"},\n"),
            "{v2}"
        );
        let again = from_ron(&v2, Path::new("x")).unwrap();
        assert_eq!(again.version, 2);
        assert_eq!(again.metadata, set.metadata);
        assert_eq!(
            to_ron(&again).unwrap(),
            v2,
            "saving twice gives the same bytes"
        );
        // Clearing them does not lower the version a file was read with.
        let mut cleared = again;
        cleared.metadata.status = DocStatus::ToDo;
        cleared.metadata.attributes.clear();
        assert!(to_ron(&cleared).unwrap().starts_with("(\n  version: 2,\n"));
        assert_eq!(
            AnnotationSet::new(SourceRef::default()).version,
            BASE_VERSION
        );
    }

    #[test]
    fn newer_version_is_refused_with_the_version() {
        let (_, mut set) = sample();
        set.version = FORMAT_VERSION + 1;
        let s = to_ron(&set).unwrap();
        let err = from_ron(&s, Path::new("n.ron")).unwrap_err();
        assert!(
            matches!(err, StoreError::NewerVersion { found, .. } if found == FORMAT_VERSION + 1)
        );
        assert!(err.to_string().contains("newer"));
    }

    #[test]
    fn save_is_atomic_and_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.annotations.ron");
        let (_, mut set) = sample();
        save(&path, &set).unwrap();
        let first = fs::read_to_string(&path).unwrap();
        set.metadata.title = Some("T".into());
        save(&path, &set).unwrap();
        assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), first);
        assert_eq!(load(&path).unwrap(), set);
        // A failing write leaves the previous file untouched and no temp file.
        let before = fs::read(&path).unwrap();
        let err = write_atomic(&path, b"garbage", &mut |f, b| {
            f.write_all(&b[..3])?;
            Err(io::Error::other("disk full (injected)"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read(&path).unwrap(), before);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn naming_rules() {
        assert_eq!(
            set_path_for(Path::new("/x/us-pakistan-truce.txt")),
            Path::new("/x/us-pakistan-truce.annotations.ron")
        );
        assert!(is_set_path(Path::new("a/b.annotations.ron")));
        assert!(!is_set_path(Path::new("a/b.ron")));
        assert_eq!(
            set_stem(Path::new("a/b.c.annotations.ron")).as_deref(),
            Some("b.c")
        );
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("saves")).unwrap();
        fs::create_dir_all(dir.path().join("assets")).unwrap();
        fs::write(dir.path().join("assets/a.txt"), "x").unwrap();
        assert_eq!(
            relative_path(&dir.path().join("saves"), &dir.path().join("assets/a.txt")),
            "../assets/a.txt"
        );
    }

    #[test]
    fn articles_sharing_a_stem_get_their_own_sets() {
        let dir = tempfile::tempdir().unwrap();
        let html = dir.path().join("a.html");
        let md = dir.path().join("a.md");
        fs::write(&html, "<p>x</p>").unwrap();
        fs::write(&md, "# x").unwrap();
        let (p, loaded) = locate_set(&html, None);
        assert_eq!(p, dir.path().join("a.annotations.ron"));
        assert!(loaded.is_none());
        let mut set = AnnotationSet::new(SourceRef {
            path: "a.text.txt".into(),
            original: Some("a.html".into()),
            ..Default::default()
        });
        set.metadata.title = Some("html".into());
        save(&p, &set).unwrap();
        let (p_html, l_html) = locate_set(&html, None);
        assert_eq!(p_html, p);
        assert_eq!(
            l_html.unwrap().unwrap().metadata.title.as_deref(),
            Some("html")
        );
        let (p_md, l_md) = locate_set(&md, None);
        assert_eq!(p_md, dir.path().join("a.md.annotations.ron"));
        assert!(l_md.is_none());
        // A set whose source path is broken still belongs by name.
        fs::write(
            &p,
            "(version: 1, source: (path: \"gone.txt\", sha256: \"\", length: 0))",
        )
        .unwrap();
        let (p2, l2) = locate_set(&md, None);
        assert_eq!(p2, p);
        assert!(l2.unwrap().is_ok());
    }
}
