//! `*.codebook.ron` files and merging a codebook into another, so an
//! analyst coding a series of articles keeps one codebook.
//!
//! Invariants:
//! - The file is the same RON as the codebook inside a set file, written by
//!   [`crate::core::export::qdc::to_ron`] (sorted, deterministic) and saved
//!   atomically with a `.bak` through [`crate::core::store::write_atomic`].
//! - [`merge_codebooks`] matches tags by `(kind, name)`. Tags already in
//!   `into` keep their colour and digit; a missing description or parent is
//!   filled from `from`. New tags keep their colour, and their digit when
//!   it is 1–9 and still free (new tags are visited in sorted order);
//!   otherwise they get none. A parent is kept only if a tag of that kind
//!   and name exists after merging and no cycle results.
//! - [`load_command`] turns a merge into one [`Command::SetCodebook`], so
//!   loading a codebook is one undoable step.

use super::codebook::{Codebook, Tag, TagKind};
use super::command::Command;
use super::export::qdc;
use super::store::{StoreError, write_atomic};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The usual file name ending.
pub const EXTENSION: &str = ".codebook.ron";

/// Writes `cb` to `path` atomically (keeps the previous file as `.bak`).
pub fn save(path: &Path, cb: &Codebook) -> Result<(), StoreError> {
    let text = qdc::to_ron(cb).map_err(StoreError::Serialize)?;
    write_atomic(path, text.as_bytes(), &mut |f, b| f.write_all(b))
}

/// Reads a `*.codebook.ron`; errors carry the line and column.
pub fn load(path: &Path) -> Result<Codebook, StoreError> {
    let bytes = std::fs::read(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| StoreError::Parse {
        path: path.to_owned(),
        line: 1,
        column: 1,
        message: "the file is not UTF-8 text".into(),
    })?;
    parse(&text, path)
}

/// Parses codebook RON (`path` only names the file in errors).
pub fn parse(text: &str, path: &Path) -> Result<Codebook, StoreError> {
    let tags: Vec<Tag> =
        ron::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| StoreError::Parse {
            path: path.to_owned(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })?;
    Ok(Codebook::from_tags(tags))
}

/// `<stem>.codebook.ron` beside `article` (the default Save Codebook name).
pub fn default_path_for(article: &Path) -> PathBuf {
    let stem = article
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "codebook".into());
    article.with_file_name(format!("{stem}{EXTENSION}"))
}

/// What a merge did, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Tags that were new.
    pub added: Vec<(TagKind, String)>,
    /// Existing tags that got a description or parent from the file.
    pub filled: Vec<(TagKind, String)>,
    /// New tags whose digit was taken, so they got none.
    pub digits_dropped: Vec<(TagKind, String)>,
    /// Tags whose parent from the file was dropped (missing or a cycle).
    pub parents_dropped: Vec<(TagKind, String)>,
}

impl MergeReport {
    /// One line: "3 tags added, 1 completed".
    pub fn summary(&self) -> String {
        format!(
            "{} tags added, {} completed",
            self.added.len(),
            self.filled.len()
        )
    }
}

/// Whether making `parent` the parent of `name` (kind `kind`) in `cb`
/// would create a cycle.
fn creates_cycle(cb: &Codebook, kind: TagKind, name: &str, parent: &str) -> bool {
    let mut cur = Some(parent.to_owned());
    let mut steps = 0;
    while let Some(c) = cur {
        if c == name || steps > cb.len() {
            return true;
        }
        cur = cb.get(kind, &c).and_then(|t| t.parent.clone());
        steps += 1;
    }
    false
}

/// Merges `from` into `into` (see the module invariants).
pub fn merge_codebooks(into: &Codebook, from: &Codebook) -> (Codebook, MergeReport) {
    let mut out = into.clone();
    let mut report = MergeReport::default();
    // 1. new tags and descriptions, without parents yet
    for t in from.tags() {
        let key = (t.kind, t.name.clone());
        match out.get(t.kind, &t.name).cloned() {
            Some(mut old) => {
                if old.description.is_none() && t.description.is_some() {
                    old.description = t.description.clone();
                    out.insert(old);
                    report.filled.push(key);
                }
            }
            None => {
                let mut n = t.clone();
                n.parent = None;
                let digit_ok = n
                    .digit
                    .is_some_and(|d| (1..=9).contains(&d) && out.by_digit(d).is_none());
                if n.digit.is_some() && !digit_ok {
                    n.digit = None;
                    report.digits_dropped.push(key.clone());
                }
                out.insert(n);
                report.added.push(key);
            }
        }
    }
    // 2. parents, once every tag exists
    for t in from.tags() {
        let Some(parent) = &t.parent else { continue };
        let Some(cur) = out.get(t.kind, &t.name) else {
            continue;
        };
        if cur.parent.is_some() {
            continue;
        }
        let key = (t.kind, t.name.clone());
        if out.get(t.kind, parent).is_none() || creates_cycle(&out, t.kind, &t.name, parent) {
            report.parents_dropped.push(key);
            continue;
        }
        let mut n = cur.clone();
        n.parent = Some(parent.clone());
        out.insert(n);
        if !report.added.contains(&key) && !report.filled.contains(&key) {
            report.filled.push(key);
        }
    }
    report.filled.sort();
    (out, report)
}

/// The undoable step that loads `from` into the codebook `current`, with
/// its report; `None` when the merge changes nothing.
pub fn load_command(current: &Codebook, from: &Codebook) -> (Option<Command>, MergeReport) {
    let (merged, report) = merge_codebooks(current, from);
    let cmd = (merged != *current).then_some(Command::SetCodebook(merged));
    (cmd, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codebook::PALETTE;

    fn tag(kind: TagKind, name: &str, c: usize, digit: Option<u8>, parent: Option<&str>) -> Tag {
        let mut t = Tag::new(kind, name, PALETTE[c]);
        t.digit = digit;
        t.parent = parent.map(str::to_owned);
        t
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("series.codebook.ron");
        let mut d = tag(TagKind::Issue, "Drones", 1, Some(2), Some("Security"));
        d.description = Some("US drone strikes, “signature” too".into());
        let cb = Codebook::from_tags(vec![
            tag(TagKind::Actor, "ISI", 0, Some(1), None),
            d,
            tag(TagKind::Issue, "Security", 2, None, None),
        ]);
        save(&p, &cb).unwrap();
        let first = std::fs::read_to_string(&p).unwrap();
        assert_eq!(load(&p).unwrap(), cb);
        save(&p, &cb).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), first);
        assert!(p.with_file_name("series.codebook.ron.bak").exists());
        std::fs::write(&p, "[\n  (name: \"x\",\n  oops\n]").unwrap();
        match load(&p) {
            Err(StoreError::Parse { line, .. }) => assert!(line >= 3, "line {line}"),
            other => panic!("expected a parse error, got {other:?}"),
        }
        assert_eq!(
            default_path_for(Path::new("/a/us-pakistan-truce.txt")),
            Path::new("/a/us-pakistan-truce.codebook.ron")
        );
    }

    #[test]
    fn merge_keeps_existing_and_adds_new() {
        let mut sec = tag(TagKind::Issue, "Security", 0, Some(1), None);
        sec.description = None;
        let into = Codebook::from_tags(vec![sec, tag(TagKind::Actor, "ISI", 1, Some(2), None)]);
        let mut sec2 = tag(TagKind::Issue, "Security", 5, Some(7), Some("Drones"));
        sec2.description = Some("all security".into());
        let from = Codebook::from_tags(vec![
            sec2,
            tag(TagKind::Issue, "Drones", 3, Some(2), Some("Security")),
            tag(TagKind::Actor, "CIA", 4, Some(3), None),
            tag(TagKind::Actor, "Haqqani", 6, Some(9), Some("Taliban")),
            tag(TagKind::Issue, "ISI", 7, None, None),
        ]);
        let (m, r) = merge_codebooks(&into, &from);
        let s = m.get(TagKind::Issue, "Security").unwrap();
        assert_eq!((s.color, s.digit), (PALETTE[0], Some(1)));
        assert_eq!(s.description.as_deref(), Some("all security"));
        // Drones → Security is kept; Security → Drones would be a cycle
        assert_eq!(s.parent, None);
        let d = m.get(TagKind::Issue, "Drones").unwrap();
        assert_eq!(d.parent.as_deref(), Some("Security"));
        assert_eq!(d.digit, None); // 2 is ISI's
        assert_eq!(d.color, PALETTE[3]);
        assert_eq!(m.get(TagKind::Actor, "CIA").unwrap().digit, Some(3));
        assert_eq!(m.get(TagKind::Actor, "Haqqani").unwrap().parent, None);
        assert!(m.get(TagKind::Issue, "ISI").is_some());
        assert_eq!(m.len(), 6);
        assert_eq!(r.added.len(), 4);
        assert_eq!(r.filled, [(TagKind::Issue, "Security".to_owned())]);
        assert_eq!(r.digits_dropped, [(TagKind::Issue, "Drones".to_owned())]);
        assert!(
            r.parents_dropped
                .contains(&(TagKind::Issue, "Security".to_owned()))
        );
        assert!(
            r.parents_dropped
                .contains(&(TagKind::Actor, "Haqqani".to_owned()))
        );
        assert_eq!(r.parents_dropped.len(), 2);
        // merging again changes nothing
        let (again, _) = merge_codebooks(&m, &from);
        assert_eq!(again, m);
        assert_eq!(load_command(&m, &from).0, None);
        assert_eq!(load_command(&into, &from).0, Some(Command::SetCodebook(m)));
    }
}
