//! REFI-QDA project import (`.qdpx`): a project from MAXQDA, ATLAS.ti,
//! NVivo, QualCoder or Marginalia becomes a corpus folder.
//!
//! What is read (see [`super::export::qdpx`] for what Marginalia writes):
//! - Every `TextSource` becomes one article (`<name>.txt`, its text as
//!   given) with its set. The text is `PlainTextContent` inline, else the
//!   `plainTextPath` (`internal://X` is `sources/X`, the folder's case
//!   ignored, as real exports write `Sources`, else `X` at the top; a path
//!   without `internal://` is looked for the same way). A `richTextPath`
//!   beside it is not needed. Two sources with one name get `name (2).txt`
//!   (a name ending in `.text` gets a `_`, as `x.text.txt` is a companion
//!   file a corpus skips).
//!   A text larger than an article may be
//!   ([`super::decode::MAX_ARTICLE_BYTES`]) is refused.
//! - Offsets are code points of that text from 0, end excluded, a CRLF
//!   counting as two (the text as given, as REFI and QualCoder count).
//!   NVivo counts UTF-16 code units instead (a character beyond U+FFFF
//!   counts as two): a project whose `origin` starts with `NVivo` (or any,
//!   with [`ImportOptions::positions`]) has its positions converted, a
//!   position inside a surrogate pair widening the span to the whole
//!   character; the notes say that positions were converted.
//! - Codes: below a root named `Issues` issues, below `Actors` actors,
//!   below `Stance` the stance codes `Support`, `Oppose`, `Neutral`; the
//!   roots themselves are no tags. Every other code is an issue, unless it
//!   or an ancestor is named in [`ImportOptions::actors`]. Hierarchy,
//!   colours and descriptions (with the texts of a code's `NoteRef`s) are
//!   kept. A name used twice in a kind gets its parent's name in front
//!   (`Parent/Name`).
//! - A `PlainTextSelection` becomes an annotation (quote, prefix and suffix
//!   from the text) with a tag per `Coding`, its `Description` and the
//!   texts of its `NoteRef`s as note, the codings' `creatingUser` as coder
//!   (the user's name; the selection's when a coding names none) and its
//!   times; codings by several users give one annotation per user (the
//!   note with the selection's own user's). A selection with no coding is
//!   kept with no tag. A `Coding` of a whole source is an annotation of its
//!   whole text.
//! - A source's `Description` and notes become its metadata notes; its
//!   `VariableValue`s become metadata (`Author`, `Publication`, `Date`,
//!   `URL`, `Status`) or document attributes (an `attribute: ` prefix is
//!   dropped).
//! - What a corpus cannot hold is listed in [`Imported::losses`] (the
//!   data-loss report the standard asks for): picture, PDF, audio and video
//!   sources, sources outside the project, cases, links, sets, graphs,
//!   project notes, codings of unknown codes.
//!
//! Safety, for a file from someone else:
//! - Every zip entry's name must stay inside the project (no `..`, no
//!   absolute path, no drive letter), else the file is refused.
//! - Every part is read with a size cap ([`MAX_PART_BYTES`], and
//!   [`MAX_TOTAL_BYTES`] for all parts together), so a zip bomb gives an
//!   error, not a full disk or memory.
//! - No XML entity is ever expanded: only the five predefined ones and
//!   character references are read; a DTD is ignored; any other entity
//!   reference is an error.
//! - Nothing is written until everything was read: [`write_corpus`] writes
//!   into a temporary folder beside the target and renames it into place.

use super::annotation::{Annotation, Stance};
use super::codebook::{Codebook, PALETTE, Rgb, Tag, TagKind};
use super::corpus::{AttributeDef, CORPUS_FILE, CORPUS_VERSION, CorpusFile, corpus_file_ron};
pub use super::export::qdpx::Positions;
use super::export::qdpx::{
    ACTORS_ROOT, ATTRIBUTE_PREFIX, ISSUES_ROOT, METADATA_VARIABLES, STANCE_CODES, STANCE_ROOT,
};
use super::set::{AnnotationSet, DocStatus, Metadata, SourceRef};
use super::store;
use super::text::Text;
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// The most bytes one part of the zip may inflate to.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
/// The most bytes all parts read together may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// The deepest element nesting read (a deeper file is refused).
const MAX_DEPTH: usize = 256;

/// Choices of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Names of codes (or root codes) that are actors, with their
    /// descendants; compared without case.
    pub actors: Vec<String>,
    /// GUIDs of codes that are actors, with their descendants (what a
    /// dialog ticks in [`Imported::codes`]; a name may repeat, a GUID not).
    pub actor_codes: BTreeSet<String>,
    /// What the selections' positions count; `None`: by the project's
    /// `origin` (NVivo counts UTF-16 code units, the others code points).
    pub positions: Option<Positions>,
    /// The most bytes one part may inflate to ([`MAX_PART_BYTES`]).
    pub max_part_bytes: u64,
    /// The most bytes all parts may inflate to ([`MAX_TOTAL_BYTES`]).
    pub max_total_bytes: u64,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            actors: Vec::new(),
            actor_codes: BTreeSet::new(),
            positions: None,
            max_part_bytes: MAX_PART_BYTES,
            max_total_bytes: MAX_TOTAL_BYTES,
        }
    }
}

/// Converts UTF-16 positions of one text to code points.
struct Utf16Positions {
    /// The UTF-16 offset at which each character beyond U+FFFF starts,
    /// ascending.
    astral: Vec<usize>,
    /// The text's length in UTF-16 code units.
    len: usize,
}

impl Utf16Positions {
    fn new(text: &str) -> Utf16Positions {
        let mut astral = Vec::new();
        let mut at = 0;
        for c in text.chars() {
            if c.len_utf16() == 2 {
                astral.push(at);
            }
            at += c.len_utf16();
        }
        Utf16Positions { astral, len: at }
    }

    /// The code point at UTF-16 offset `u` (inside a surrogate pair: the
    /// character's start, or with `round_up` its end).
    fn code_point(&self, u: usize, round_up: bool) -> usize {
        // Characters beyond U+FFFF that start before `u`.
        let before = self.astral.partition_point(|&a| a < u);
        let inside = before > 0 && self.astral[before - 1] + 1 == u;
        u - before + usize::from(inside && round_up)
    }
}

/// One article of the imported project.
#[derive(Debug, Clone)]
pub struct ImportedDoc {
    /// The article's file name in the corpus folder (unique, `.txt`).
    pub file: String,
    /// Its text.
    pub text: Text,
    /// Its annotation set (source path, metadata, codebook, annotations).
    pub set: AnnotationSet,
}

/// A project read from a `.qdpx`, ready to be written as a corpus.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The project's name (the corpus name).
    pub name: String,
    /// Every code as a tag.
    pub codebook: Codebook,
    /// The text sources, in file order.
    pub docs: Vec<ImportedDoc>,
    /// What could not be carried over, one line each.
    pub losses: Vec<String>,
    /// What was changed to fit (renamed codes and files), one line each.
    pub notes: Vec<String>,
    /// The project's codes as read, in the codebook's order (a parent
    /// before its children).
    pub codes: Vec<ProjectCode>,
    /// The tool that wrote it (`Project@origin`), empty when not said.
    pub origin: String,
    /// The `PlainTextSelection`s of its text sources.
    pub selections: usize,
}

/// One code of the project's codebook and what it became: for choosing
/// which codes are actors before importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectCode {
    /// The code's GUID (what [`ImportOptions::actor_codes`] takes).
    pub guid: String,
    /// Its name in the project.
    pub name: String,
    /// Nesting depth, 0 for a root code.
    pub depth: usize,
    /// The tag it became (kind and name); `None` for a recognised root
    /// (`Issues`, `Actors`, `Stance`) or a stance code, whose use is fixed.
    pub tag: Option<(TagKind, String)>,
}

/// Why a `.qdpx` could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdpxError(pub String);

impl fmt::Display for QdpxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QdpxError {}

fn err<T>(msg: impl Into<String>) -> Result<T, QdpxError> {
    Err(QdpxError(msg.into()))
}

// ---------------------------------------------------------------------------
// The zip.

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// The zip's entries, checked, and what has been read of them.
struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    max_part: u64,
    max_total: u64,
    /// Lowercased name → index.
    names: BTreeMap<String, usize>,
    read_total: u64,
}

/// Whether a zip entry name stays inside the folder it is unpacked in.
pub fn is_safe_entry_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    !name.is_empty()
        && !name.starts_with(['/', '\\'])
        && !drive
        && !name.contains('\0')
        && name.split(['/', '\\']).all(|part| part != "..")
}

impl<'a> Archive<'a> {
    fn open(bytes: &'a [u8], opts: &ImportOptions) -> Result<Archive<'a>, QdpxError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| QdpxError(format!("not a REFI-QDA project: not a zip file ({e})")))?;
        let mut names = BTreeMap::new();
        for i in 0..zip.len() {
            let name = match zip.name_for_index(i) {
                Some(Ok(n)) => n.into_owned(),
                _ => {
                    return err(format!(
                        "not a REFI-QDA project: zip entry {i} has no readable name"
                    ));
                }
            };
            if !is_safe_entry_name(&name) {
                return err(format!(
                    "refused: the entry “{name}” would land outside the project folder"
                ));
            }
            names.insert(name.to_lowercase(), i);
        }
        Ok(Archive {
            zip,
            max_part: opts.max_part_bytes,
            max_total: opts.max_total_bytes,
            names,
            read_total: 0,
        })
    }

    /// The bytes of the entry named `name` (case ignored); `None` when absent.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, QdpxError> {
        let Some(&i) = self.names.get(&name.to_lowercase()) else {
            return Ok(None);
        };
        let file = self
            .zip
            .by_index(i)
            .map_err(|e| QdpxError(format!("{name}: cannot be read from the zip ({e})")))?;
        let mut buf = Vec::new();
        file.take(self.max_part + 1)
            .read_to_end(&mut buf)
            .map_err(|e| QdpxError(format!("{name}: cannot be read from the zip ({e})")))?;
        if buf.len() as u64 > self.max_part {
            return err(format!(
                "{name}: larger than {} unpacked (a zip bomb?); not imported",
                size(self.max_part)
            ));
        }
        self.read_total += buf.len() as u64;
        if self.read_total > self.max_total {
            return err(format!(
                "the project unpacks to more than {}; not imported",
                size(self.max_total)
            ));
        }
        Ok(Some(buf))
    }

    /// The project file's name: `project.qde`, else the one `.qde` at the
    /// top.
    fn project_name(&self) -> Result<String, QdpxError> {
        if self.names.contains_key("project.qde") {
            return Ok("project.qde".into());
        }
        let qde: Vec<&String> = self
            .names
            .keys()
            .filter(|n| n.ends_with(".qde") && !n.contains('/'))
            .collect();
        match qde.as_slice() {
            [one] => Ok((*one).clone()),
            _ => err("not a REFI-QDA project: no project.qde in the .qdpx"),
        }
    }
}

// ---------------------------------------------------------------------------
// The XML, as a small tree.

/// An element of `project.qde`: local name, attributes, children, text.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'n>(&'n self, name: &'n str) -> impl Iterator<Item = &'n Node> + 'n {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// `<Name name="…">` for messages.
    fn label(&self) -> String {
        match self.attr("name").or(self.attr("guid")) {
            Some(n) => format!("<{} “{n}”>", self.name),
            None => format!("<{}>", self.name),
        }
    }
}

fn element_path(stack: &[Node]) -> String {
    let parts: Vec<String> = stack.iter().map(Node::label).collect();
    parts.join(" › ")
}

fn start_node(e: &quick_xml::events::BytesStart, stack: &[Node]) -> Result<Node, QdpxError> {
    let name = e.local_name().as_ref().to_owned();
    let mut node = Node {
        name,
        ..Node::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|x| {
            QdpxError(format!(
                "project.qde: bad attribute in <{}> (inside {}): {x}",
                node.name,
                element_path(stack)
            ))
        })?;
        let key = a.key.local_name().as_ref().to_owned();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| {
                QdpxError(format!(
                    "project.qde: attribute {key} of <{}> (inside {}): {x} (entities are not expanded)",
                    node.name,
                    element_path(stack)
                ))
            })?
            .into_owned();
        node.attrs.push((key, value));
    }
    Ok(node)
}

/// Parses `xml` into its root element.
fn parse_tree(xml: &str) -> Result<Node, QdpxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let fail = |stack: &[Node], what: String| -> QdpxError {
        let place = if stack.is_empty() {
            "at the top".to_owned()
        } else {
            format!("inside {}", element_path(stack))
        };
        QdpxError(format!("project.qde: XML error {place}: {what}"))
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| fail(&stack, format!("{e} (at byte {pos})")))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(fail(&stack, "a second root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(&stack, format!("nested deeper than {MAX_DEPTH}")));
                }
                let node = start_node(e, &stack)?;
                if matches!(ev, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(p) => p.children.push(node),
                        None => root = Some(node),
                    }
                } else {
                    stack.push(node);
                }
            }
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    return Err(fail(&stack, "a closing tag without its opening".into()));
                };
                match stack.last_mut() {
                    Some(p) => p.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let name = r.as_ref().to_owned();
                let Some(c) = super::export::qdc::reference_char(&r) else {
                    return Err(fail(
                        &stack,
                        format!(
                            "the entity &{name}; is not expanded (only the predefined ones and character references are read)"
                        ),
                    ));
                };
                if let Some(n) = stack.last_mut() {
                    n.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(fail(
            &stack,
            "the file ends before this element is closed".into(),
        ));
    }
    root.ok_or_else(|| QdpxError("project.qde: no XML element in the file".into()))
}

// ---------------------------------------------------------------------------
// Codes.

/// What a code GUID stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CodeUse {
    /// A tag.
    Tag(TagKind, String),
    /// A stance code.
    Stance(Stance),
    /// A recognised root (no tag).
    Root(&'static str),
}

/// The codebook being read, with what reading it needs.
struct Codes<'o> {
    opts: &'o ImportOptions,
    /// Note GUID → text, for the codes' `NoteRef`s.
    note_texts: &'o BTreeMap<String, String>,
    by_guid: BTreeMap<String, CodeUse>,
    tags: Vec<Tag>,
    taken: BTreeSet<(TagKind, String)>,
    notes: Vec<String>,
    /// Every code read, in order.
    tree: Vec<ProjectCode>,
    /// 1 while reading below a recognised root (which counts as a level
    /// of the tree, not of the tags' depth), else 0.
    below_root: usize,
}

fn parse_color(s: &str) -> Option<Rgb> {
    let h = s.trim().trim_start_matches('#');
    if h.len() == 3 && h.is_ascii() {
        let long: String = h.chars().flat_map(|c| [c, c]).collect();
        return Rgb::from_hex(&long);
    }
    Rgb::from_hex(h)
}

fn is_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b)
}

impl<'o> Codes<'o> {
    /// Reads the `CodeBook`'s codes.
    fn read(
        codebook: Option<&Node>,
        opts: &'o ImportOptions,
        note_texts: &'o BTreeMap<String, String>,
    ) -> Codes<'o> {
        let mut c = Codes {
            opts,
            note_texts,
            by_guid: BTreeMap::new(),
            tags: Vec::new(),
            taken: BTreeSet::new(),
            notes: Vec::new(),
            tree: Vec::new(),
            below_root: 0,
        };
        let Some(codes) = codebook.and_then(|b| b.child("Codes")) else {
            return c;
        };
        for code in codes.all("Code") {
            let name = code.attr("name").unwrap_or("");
            if is_name(name, ISSUES_ROOT) {
                c.root(code, "Issues");
                c.below_root = 1;
                c.children(code, TagKind::Issue, None, 1);
                c.below_root = 0;
            } else if is_name(name, ACTORS_ROOT) {
                c.root(code, "Actors");
                c.below_root = 1;
                c.children(code, TagKind::Actor, None, 1);
                c.below_root = 0;
            } else if is_name(name, STANCE_ROOT)
                && code.children.iter().filter(|k| k.name == "Code").all(|k| {
                    STANCE_CODES
                        .iter()
                        .any(|(_, n)| is_name(k.attr("name").unwrap_or(""), n))
                })
            {
                c.root(code, "Stance");
                for k in code.all("Code") {
                    c.record(k, 2, None);
                    let n = k.attr("name").unwrap_or("");
                    if let Some((s, _)) = STANCE_CODES.iter().find(|(_, sn)| is_name(n, sn)) {
                        c.by_guid
                            .insert(k.attr("guid").unwrap_or("").to_owned(), CodeUse::Stance(*s));
                    }
                }
            } else {
                let kind = if c.named_actor(code) {
                    TagKind::Actor
                } else {
                    TagKind::Issue
                };
                c.code(code, kind, None, 1);
            }
        }
        c
    }

    /// Whether the options name `code` (by name or GUID) as an actor.
    fn named_actor(&self, code: &Node) -> bool {
        let name = code.attr("name").unwrap_or("");
        self.opts.actors.iter().any(|a| is_name(name, a))
            || code
                .attr("guid")
                .is_some_and(|g| self.opts.actor_codes.contains(g))
    }

    /// Records `code` at `depth` (1 for a root) in the tree.
    fn record(&mut self, code: &Node, depth: usize, tag: Option<(TagKind, String)>) {
        self.tree.push(ProjectCode {
            guid: code.attr("guid").unwrap_or("").to_owned(),
            name: code.attr("name").unwrap_or("").trim().to_owned(),
            depth: depth.saturating_sub(1) + self.below_root,
            tag,
        });
    }

    fn root(&mut self, code: &Node, which: &'static str) {
        self.record(code, 1, None);
        self.by_guid.insert(
            code.attr("guid").unwrap_or("").to_owned(),
            CodeUse::Root(which),
        );
    }

    /// Reads the codes below `code`, whose tag (if any) is `parent` of
    /// `kind`.
    fn children(&mut self, code: &Node, kind: TagKind, parent: Option<&str>, depth: usize) {
        for k in code.all("Code") {
            let child_kind = if self.named_actor(k) {
                TagKind::Actor
            } else {
                kind
            };
            // A child of another kind than its parent starts a new tree.
            let parent = parent.filter(|_| child_kind == kind);
            self.code(k, child_kind, parent, depth);
        }
    }

    /// A unique name for a code of `kind`: its own, else `Parent/Name`,
    /// else with a number.
    fn unique_name(&mut self, kind: TagKind, name: &str, parent: Option<&str>) -> String {
        let taken =
            |n: &str, set: &BTreeSet<(TagKind, String)>| set.contains(&(kind, n.to_owned()));
        if !taken(name, &self.taken) {
            self.taken.insert((kind, name.to_owned()));
            return name.to_owned();
        }
        let mut candidate = match parent {
            Some(p) => format!("{p}/{name}"),
            None => name.to_owned(),
        };
        let base = candidate.clone();
        let mut n = 2;
        while taken(&candidate, &self.taken) {
            candidate = format!("{base} ({n})");
            n += 1;
        }
        self.taken.insert((kind, candidate.clone()));
        self.notes.push(format!(
            "the {kind} code “{name}” appears more than once; this one is named “{candidate}”"
        ));
        candidate
    }

    /// Reads `code` as a tag of `kind` under `parent`, then its children.
    fn code(&mut self, code: &Node, kind: TagKind, parent: Option<&str>, depth: usize) {
        let raw = code.attr("name").unwrap_or("").trim();
        let raw = if raw.is_empty() {
            "(unnamed code)"
        } else {
            raw
        };
        let name = self.unique_name(kind, raw, parent);
        let color = code
            .attr("color")
            .and_then(parse_color)
            .unwrap_or(PALETTE[self.tags.len() % PALETTE.len()]);
        let mut tag = Tag::new(kind, &name, color);
        let description = note_text(code, self.note_texts);
        tag.description = Some(description).filter(|d| !d.trim().is_empty());
        tag.parent = parent.map(str::to_owned);
        self.by_guid.insert(
            code.attr("guid").unwrap_or("").to_owned(),
            CodeUse::Tag(kind, tag.name.clone()),
        );
        let name = tag.name.clone();
        self.tags.push(tag);
        self.record(code, depth, Some((kind, name.clone())));
        if depth < MAX_DEPTH {
            self.children(code, kind, Some(&name), depth + 1);
        }
    }
}

fn append_note(to: &mut String, note: &str) {
    if note.trim().is_empty() {
        return;
    }
    if !to.is_empty() {
        to.push_str("\n\n");
    }
    to.push_str(note);
}

// ---------------------------------------------------------------------------
// Sources.

/// The project's context while its sources are read.
struct Context<'x> {
    /// What the selections' positions count.
    positions: Positions,
    /// Sources whose UTF-16 positions were converted (they have characters
    /// beyond U+FFFF).
    converted: usize,
    /// Selections coded by more than one user (one annotation each).
    split: usize,
    /// Selections read.
    selections: usize,
    users: BTreeMap<String, String>,
    codes: &'x BTreeMap<String, CodeUse>,
    notes: &'x BTreeMap<String, String>,
    variables: BTreeMap<String, String>,
    losses: Vec<String>,
}

/// Reads a text part (UTF-8, a BOM dropped).
fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, QdpxError> {
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|_| QdpxError(format!("{what} is not UTF-8 text")))
}

/// The text of a `TextSource` (or a note): inline, or its internal file.
/// `Ok(None)` for a source outside the project.
fn source_text(node: &Node, zip: &mut Archive) -> Result<Option<String>, QdpxError> {
    if let Some(c) = node.child("PlainTextContent") {
        return Ok(Some(c.text.clone()));
    }
    let label = node.label();
    let Some(path) = node.attr("plainTextPath") else {
        return err(format!(
            "{label}: no PlainTextContent and no plainTextPath: its text is missing"
        ));
    };
    // `internal://X`, or a bare `X` as some tools write; `absolute://` and
    // `relative://` point outside the project.
    let file = match path.strip_prefix("internal://") {
        Some(f) => f,
        None if !path.contains("://") => path,
        None => return Ok(None),
    };
    if !is_safe_entry_name(file) {
        return err(format!(
            "{label}: refused: its path “{path}” would land outside the project folder"
        ));
    }
    let bytes = match zip.read(&format!("sources/{file}"))? {
        Some(b) => b,
        None => match zip.read(file)? {
            Some(b) => b,
            None => {
                return err(format!(
                    "{label}: its text {path} is not in the .qdpx (no sources/{file})"
                ));
            }
        },
    };
    utf8(bytes, &format!("{label} ({path})")).map(Some)
}

fn text_value(vv: &Node) -> Option<String> {
    [
        "TextValue",
        "BooleanValue",
        "IntegerValue",
        "FloatValue",
        "DateValue",
        "DateTimeValue",
    ]
    .iter()
    .find_map(|n| vv.child(n))
    .map(|v| v.text.clone())
}

/// Puts variable `name = value` into the metadata.
fn set_variable(m: &mut Metadata, name: &str, value: String) {
    let field = METADATA_VARIABLES.iter().position(|v| is_name(name, v));
    match field {
        Some(0) => m.author = Some(value),
        Some(1) => m.publication = Some(value),
        Some(2) => m.date = Some(value),
        Some(3) => m.url = Some(value),
        Some(_) => match DocStatus::ALL.iter().find(|s| s.as_str() == value.trim()) {
            Some(s) => m.status = *s,
            None => {
                m.attributes.insert(name.to_owned(), value);
            }
        },
        None => {
            let name = name.strip_prefix(ATTRIBUTE_PREFIX).unwrap_or(name);
            m.attributes.insert(name.to_owned(), value);
        }
    }
}

/// The `Description` of `node` followed by the texts of its `NoteRef`s.
fn note_text(node: &Node, notes: &BTreeMap<String, String>) -> String {
    let mut s = node
        .child("Description")
        .map(|d| d.text.clone())
        .unwrap_or_default();
    for r in node.all("NoteRef") {
        if let Some(n) = r.attr("targetGUID").and_then(|g| notes.get(g)) {
            append_note(&mut s, n);
        }
    }
    s
}

impl Context<'_> {
    /// The name of the user with GUID `guid` (the GUID when unknown).
    fn user_name(&self, guid: &str) -> String {
        self.users
            .get(guid)
            .cloned()
            .unwrap_or_else(|| guid.to_owned())
    }

    /// Adds `codings` to `a`.
    fn apply_codings(&mut self, codings: &[&Node], a: &mut Annotation, src: &str) {
        for coding in codings {
            let target = coding
                .child("CodeRef")
                .and_then(|r| r.attr("targetGUID"))
                .unwrap_or("");
            match self.codes.get(target) {
                Some(CodeUse::Tag(kind, name)) => {
                    a.add_tag(*kind, name);
                }
                Some(CodeUse::Stance(s)) => {
                    if a.stance.is_some_and(|old| old != *s) {
                        self.losses.push(format!(
                            "a selection of “{src}” has two stances; the first is kept"
                        ));
                    } else {
                        a.stance = Some(*s);
                    }
                }
                Some(CodeUse::Root(r)) => self.losses.push(format!(
                    "a coding of “{src}” with the root code “{r}” (not a tag) was not kept"
                )),
                None => self.losses.push(format!(
                    "a coding of “{src}” names the code {target}, which is not in the codebook; not kept"
                )),
            }
        }
    }

    /// Adds the annotations of the selection (or source) `node` over
    /// `span` to `set`: one per user whose `Coding`s it has (the coder is
    /// who applied the codes; a coding without a user is the selection's
    /// user's), or one with no tag. The note goes with the selection
    /// user's annotation (else the first).
    fn add_annotations(
        &mut self,
        set: &mut AnnotationSet,
        text: &Text,
        span: (usize, usize),
        node: &Node,
        src: &str,
    ) {
        let own = node.attr("creatingUser");
        let mut groups: Vec<(Option<&str>, Vec<&Node>)> = Vec::new();
        for coding in node.all("Coding") {
            let user = coding.attr("creatingUser").or(own);
            match groups.iter_mut().find(|(u, _)| *u == user) {
                Some((_, list)) => list.push(coding),
                None => groups.push((user, vec![coding])),
            }
        }
        if groups.is_empty() {
            groups.push((own, Vec::new()));
        }
        // The selection's own user first: it keeps the note.
        groups.sort_by_key(|(u, _)| *u != own);
        if groups.len() > 1 {
            self.split += 1;
        }
        let created = node
            .attr("creationDateTime")
            .and_then(rfc3339)
            .unwrap_or_else(super::time::now_rfc3339);
        let modified = node
            .attr("modifiedDateTime")
            .and_then(rfc3339)
            .unwrap_or_else(|| created.clone());
        for (i, (user, codings)) in groups.iter().enumerate() {
            let mut a = Annotation::new(set.fresh_id(), text, span.0, span.1, &created);
            a.modified = modified.clone();
            a.coder = user.map(|g| self.user_name(g));
            let mut note = if i == 0 {
                note_text(node, self.notes)
            } else {
                String::new()
            };
            // A coding's own memo goes with the codes of its user.
            for coding in codings {
                append_note(&mut note, &note_text(coding, self.notes));
            }
            a.note = Some(note).filter(|n| !n.is_empty());
            self.apply_codings(codings, &mut a, src);
            set.insert_sorted(a);
        }
    }

    /// The span of `sel` in code points of `text` (`utf16`: the positions
    /// count UTF-16 code units and are converted).
    fn selection_span(
        sel: &Node,
        text: &Text,
        utf16: Option<&Utf16Positions>,
        src: &str,
    ) -> Result<(usize, usize), QdpxError> {
        let Some(u) = utf16 else {
            return Self::checked_span(sel, text.len_chars(), "characters", src);
        };
        let (start, end) = Self::checked_span(sel, u.len, "UTF-16 code units", src)?;
        Ok((u.code_point(start, false), u.code_point(end, true)))
    }

    /// The positions of `sel`, ordered, at most `len` (`unit` names what
    /// they count).
    fn checked_span(
        sel: &Node,
        len: usize,
        unit: &str,
        src: &str,
    ) -> Result<(usize, usize), QdpxError> {
        let num = |k: &str| -> Result<usize, QdpxError> {
            let v = sel.attr(k).unwrap_or("");
            v.trim().parse().map_err(|_| {
                QdpxError(format!(
                    "{} in TextSource “{src}”: {k} “{v}” is not a position",
                    sel.label()
                ))
            })
        };
        let (start, end) = (num("startPosition")?, num("endPosition")?);
        let (start, end) = (start.min(end), start.max(end));
        if end > len {
            return err(format!(
                "{} in TextSource “{src}”: {start}–{end} is beyond its text ({len} {unit})",
                sel.label()
            ));
        }
        Ok((start, end))
    }

    fn read_source(
        &mut self,
        node: &Node,
        content: String,
        name: &str,
    ) -> Result<(Text, AnnotationSet), QdpxError> {
        if content.len() > super::decode::MAX_ARTICLE_BYTES {
            return err(format!(
                "{}: its text is larger than the {} MB an article may have",
                node.label(),
                super::decode::MAX_ARTICLE_BYTES / (1024 * 1024)
            ));
        }
        let text = Text::new(content);
        let len = text.len_chars();
        let mut set = AnnotationSet::new(SourceRef {
            sha256: text.sha256().to_owned(),
            length: len,
            ..SourceRef::default()
        });
        set.metadata.title = Some(name.to_owned());
        let notes = note_text(node, self.notes);
        set.metadata.notes = Some(notes).filter(|n| !n.is_empty());
        for vv in node.all("VariableValue") {
            let var = vv
                .child("VariableRef")
                .and_then(|r| r.attr("targetGUID"))
                .and_then(|g| self.variables.get(g))
                .cloned();
            match (var, text_value(vv)) {
                (Some(var), Some(v)) => set_variable(&mut set.metadata, &var, v),
                _ => self.losses.push(format!(
                    "a variable value of “{name}” names no declared variable; not kept"
                )),
            }
        }
        let utf16 = (self.positions == Positions::Utf16)
            .then(|| Utf16Positions::new(text.as_str()))
            .filter(|u| !u.astral.is_empty());
        if utf16.is_some() && node.child("PlainTextSelection").is_some() {
            self.converted += 1;
        }
        for sel in node.all("PlainTextSelection") {
            self.selections += 1;
            let span = Self::selection_span(sel, &text, utf16.as_ref(), name)?;
            self.add_annotations(&mut set, &text, span, sel, name);
        }
        if node.child("Coding").is_some() {
            // The source's own codings, with its user and times.
            let whole = Node {
                children: node.all("Coding").map(clone_node).collect(),
                attrs: node.attrs.clone(),
                ..Node::default()
            };
            self.add_annotations(&mut set, &text, (0, len), &whole, name);
        }
        Ok((text, set))
    }
}

/// The notes referred to by `NoteRef`s below `node` (not the project's own).
fn note_refs<'n>(node: &'n Node, out: &mut BTreeSet<&'n str>, depth: usize) {
    for c in &node.children {
        if c.name == "NoteRef" && depth > 0 {
            out.extend(c.attr("targetGUID"));
        } else if depth < MAX_DEPTH {
            note_refs(c, out, depth + 1);
        }
    }
}

fn clone_node(n: &Node) -> Node {
    Node {
        name: n.name.clone(),
        attrs: n.attrs.clone(),
        children: n.children.iter().map(clone_node).collect(),
        text: n.text.clone(),
    }
}

/// An XML Schema `dateTime` as RFC 3339 (one without a zone is taken as
/// UTC); `None` when it is not one.
fn rfc3339(s: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    let t = time::OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| time::OffsetDateTime::parse(&format!("{s}Z"), &Rfc3339))
        .ok()?;
    t.format(&Rfc3339).ok()
}

/// A file name for a source named `name`: letters, digits, spaces and
/// `-_.,()` kept, anything else `_`, at most 80 characters.
/// Whether `s` looks like a GUID (`8-4-4-4-12` hexadecimal digits): no
/// name for a document.
fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `c` is a combining diacritic (a decomposed accent, as ATLAS.ti
/// for Mac writes names), which a file name keeps.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// A file stem for a source named `name`: a document extension the name
/// ends with (`.txt`, `.docx` …) dropped, characters a file name should
/// not have replaced by `_`.
fn file_stem(name: &str) -> String {
    let lower = name.to_lowercase();
    let name = [".txt", ".docx", ".doc", ".rtf", ".pdf", ".odt"]
        .iter()
        .find(|ext| lower.ends_with(*ext) && name.len() > ext.len())
        .map_or(name, |ext| &name[..name.len() - ext.len()]);
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || is_combining_mark(c) || " -_.,()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        "source".to_owned()
    } else if cleaned.to_lowercase().ends_with(".text") {
        // `x.text.txt` is an extracted-text companion a corpus skips.
        format!("{cleaned}_")
    } else {
        cleaned
    }
}

fn unique_file(stem: &str, used: &mut BTreeSet<String>) -> String {
    let mut file = format!("{stem}.txt");
    let mut n = 2;
    // Case and combining marks are left out of the key: file systems
    // that ignore case or normalise accents would see one file.
    let key = |f: &str| -> String {
        f.to_lowercase()
            .chars()
            .filter(|c| !is_combining_mark(*c))
            .collect()
    };
    while !used.insert(key(&file)) {
        file = format!("{stem} ({n}).txt");
        n += 1;
    }
    file
}

const LOST_SOURCES: [(&str, &str); 4] = [
    ("PictureSource", "picture"),
    ("PDFSource", "PDF"),
    ("AudioSource", "audio"),
    ("VideoSource", "video"),
];

const LOST_PARTS: [(&str, &str, &str); 4] = [
    ("Cases", "Case", "cases"),
    ("Links", "Link", "links"),
    ("Sets", "Set", "sets"),
    ("Graphs", "Graph", "graphs"),
];

/// Reads a `.qdpx` (its bytes) into a project ready to be written.
pub fn read_qdpx(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, QdpxError> {
    let mut zip = Archive::open(bytes, opts)?;
    let qde_name = zip.project_name()?;
    let qde = zip
        .read(&qde_name)?
        .ok_or_else(|| QdpxError("not a REFI-QDA project: no project.qde in the .qdpx".into()))?;
    let xml = utf8(qde, "project.qde")?;
    let root = parse_tree(&xml)?;
    if root.name != "Project" {
        return err(format!(
            "project.qde: the root element is <{}>, not <Project>",
            root.name
        ));
    }
    let mut notes = BTreeMap::new();
    for n in root.child("Notes").iter().flat_map(|n| n.all("Note")) {
        let text = source_text(n, &mut zip)?.unwrap_or_default();
        notes.insert(n.attr("guid").unwrap_or("").to_owned(), text);
    }
    let mut codes = Codes::read(root.child("CodeBook"), opts, &notes);
    let tree = std::mem::take(&mut codes.tree);
    let positions = opts
        .positions
        .unwrap_or_else(|| Positions::of_origin(root.attr("origin").unwrap_or("")));
    let mut ctx = Context {
        positions,
        converted: 0,
        split: 0,
        selections: 0,
        users: root
            .child("Users")
            .iter()
            .flat_map(|u| u.all("User"))
            .map(|u| {
                let guid = u.attr("guid").unwrap_or("").to_owned();
                let name = u.attr("name").or(u.attr("id")).unwrap_or(&guid).to_owned();
                (guid, name)
            })
            .collect(),
        codes: &codes.by_guid,
        notes: &notes,
        variables: root
            .child("Variables")
            .iter()
            .flat_map(|v| v.all("Variable"))
            .map(|v| {
                (
                    v.attr("guid").unwrap_or("").to_owned(),
                    v.attr("name").unwrap_or("").trim().to_owned(),
                )
            })
            .collect(),
        losses: Vec::new(),
    };
    let mut docs = Vec::new();
    let mut used = BTreeSet::new();
    let mut file_notes = Vec::new();
    let mut rich = 0;
    for node in root.child("Sources").iter().flat_map(|s| s.children.iter()) {
        if let Some((_, what)) = LOST_SOURCES.iter().find(|(n, _)| *n == node.name) {
            ctx.losses.push(format!(
                "{what} source “{}”: not imported (a corpus holds texts)",
                node.attr("name").unwrap_or("")
            ));
            continue;
        }
        if node.name != "TextSource" {
            continue;
        }
        // An unnamed source is called after its text file (QualCoder's
        // command-line sibling writes no names).
        let path_stem = node
            .attr("plainTextPath")
            .and_then(|p| Path::new(p.trim_start_matches("internal://")).file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !is_guid(s))
            .unwrap_or_default();
        let name = node.attr("name").unwrap_or("").trim();
        let name = match (name.is_empty(), path_stem.is_empty()) {
            (false, _) => name,
            (true, false) => path_stem.as_str(),
            (true, true) => "Untitled",
        };
        let Some(content) = source_text(node, &mut zip)? else {
            ctx.losses.push(format!(
                "text source “{name}” is outside the project ({}): not imported",
                node.attr("plainTextPath").unwrap_or("")
            ));
            continue;
        };
        rich += usize::from(node.attr("richTextPath").is_some());
        let (text, mut set) = ctx.read_source(node, content, name)?;
        let stem = file_stem(name);
        let file = unique_file(&stem, &mut used);
        if file != format!("{stem}.txt") {
            file_notes.push(format!(
                "the source “{name}” is {file}, as another source has its file name"
            ));
        }
        set.source.path = file.clone();
        docs.push(ImportedDoc { file, text, set });
    }
    if rich > 0 {
        ctx.losses.push(format!(
            "the rich text (formatting) of {rich} sources: their plain text was imported"
        ));
    }
    for (part, item, what) in LOST_PARTS {
        let n = root.child(part).map_or(0, |p| p.all(item).count());
        if n > 0 {
            ctx.losses.push(format!("{n} {what}: not imported"));
        }
    }
    let mut referenced = BTreeSet::new();
    note_refs(&root, &mut referenced, 0);
    let loose = ctx
        .notes
        .keys()
        .filter(|g| !referenced.contains(g.as_str()))
        .count();
    if loose > 0 {
        ctx.losses.push(format!(
            "{loose} notes attached to no source, selection or code: not imported"
        ));
    }
    // (NVivo writes an empty `<Description/>` into every project.)
    let described = root
        .child("Description")
        .is_some_and(|d| !d.text.trim().is_empty());
    if described || root.child("NoteRef").is_some() {
        ctx.losses
            .push("the project's own description and notes: not imported".into());
    }
    let mut losses = ctx.losses;
    losses.dedup();
    let codebook = Codebook::from_tags(codes.tags);
    for d in &mut docs {
        d.set.codebook = codebook.clone();
    }
    let mut notes_out = codes.notes;
    notes_out.extend(file_notes);
    if ctx.split > 0 {
        notes_out.push(format!(
            "{} selections were coded by more than one user: each user's codes are an annotation of that coder (for agreement)",
            ctx.split
        ));
    }
    if ctx.converted > 0 {
        notes_out.push(format!(
            "the positions count UTF-16 code units ({}; a character beyond U+FFFF such as an emoji counts as two): those of the {} sources with such characters were converted to code points",
            match opts.positions {
                Some(_) => "as asked",
                None => root.attr("origin").unwrap_or("NVivo"),
            },
            ctx.converted
        ));
    }
    Ok(Imported {
        name: root
            .attr("name")
            .unwrap_or("Imported project")
            .trim()
            .to_owned(),
        codebook,
        docs,
        losses,
        notes: notes_out,
        codes: tree,
        origin: root.attr("origin").unwrap_or("").trim().to_owned(),
        selections: ctx.selections,
    })
}

/// Reads the `.qdpx` file at `path`: one larger than
/// [`MAX_TOTAL_BYTES`] is refused before it is read, then
/// [`read_qdpx`]. Every message names the file.
pub fn read_file(path: &Path, opts: &ImportOptions) -> Result<Imported, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.len() > MAX_TOTAL_BYTES {
        return Err(format!(
            "{}: larger than {} MB; not imported",
            path.display(),
            MAX_TOTAL_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    read_qdpx(&bytes, opts).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes `imp` as the corpus folder `out` (which must not exist): the
/// articles, their sets and `corpus.ron`, first into a temporary folder
/// beside `out`, renamed into place at the end; on failure nothing is
/// left.
pub fn write_corpus(imp: &Imported, out: &Path) -> Result<(), String> {
    if out.exists() {
        return Err(format!(
            "{} already exists; give a new folder for the corpus",
            out.display()
        ));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let leaf = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{}: not a folder name", out.display()))?;
    let tmp = parent.join(format!(".{leaf}.import-{}", std::process::id()));
    let result = write_into(imp, &tmp).and_then(|()| {
        std::fs::rename(&tmp, out)
            .map_err(|e| format!("cannot move the corpus into {}: {e}", out.display()))
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn write_into(imp: &Imported, dir: &Path) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir(dir).map_err(|e| io(dir, e))?;
    let mut attributes = BTreeSet::new();
    for d in &imp.docs {
        let article = dir.join(&d.file);
        std::fs::write(&article, d.text.as_str()).map_err(|e| io(&article, e))?;
        store::save(&store::set_path_for(&article), &d.set).map_err(|e| e.to_string())?;
        attributes.extend(d.set.metadata.attributes.keys().cloned());
    }
    let file = CorpusFile {
        version: CORPUS_VERSION,
        name: imp.name.clone(),
        codebook: imp.codebook.clone(),
        attributes: attributes
            .into_iter()
            .map(|name| AttributeDef {
                name,
                values: Vec::new(),
            })
            .collect(),
        order: imp.docs.iter().map(|d| d.file.clone()).collect(),
    };
    let ron = corpus_file_ron(&file).map_err(|e| e.to_string())?;
    let path = dir.join(CORPUS_FILE);
    std::fs::write(&path, ron).map_err(|e| io(&path, e))
}
