//! brat standoff, both directions.
//!
//! Export (a folder):
//! - `<stem>.txt`: the decoded text exactly (no BOM, line endings as in
//!   the source, UTF-8), so brat's code-point offsets match ours.
//! - `<stem>.ann`: one `T` line per (annotation, tag):
//!   `T1\t<Type> <start> <end>\t<text>`. A span crossing a line break is
//!   split into fragments `s e;s e` that leave out the `\r`/`\n`
//!   characters (brat rejects spans containing a newline); the text field
//!   joins the fragment texts with a space, as brat does. A note becomes
//!   `#1\tAnnotatorNotes T1\t<note>` on the annotation's first `T` line
//!   (newlines → spaces); a stance becomes `A1\tStance T1 <value>`.
//!   Annotations consisting only of line breaks have no fragment and are
//!   skipped.
//! - `annotation.conf`: `[entities]` with the types grouped under the
//!   abstract parents `!issue` and `!actor`, plus the `Stance` attribute.
//! - `visual.conf`: `[labels]` mapping each type back to the tag name and
//!   `[drawing]` giving it the tag colour; comment lines
//!   `# marginalia-name: <type> "<name>"` keep the exact names (a label
//!   cannot hold `|`).
//! - Type names are brat-safe: characters other than letters, digits, `_`,
//!   `-` and `.` become `_`; when two tags map to the same type, later ones
//!   (in `(kind, name)` order) get `_2`, `_3` ….
//!
//! Import ([`import`]): `T` lines become annotations; `T` lines with the
//! same span merge into one annotation carrying every tag; a fragmented
//! span becomes one annotation from its first start to its last end (the
//! model has no discontinuous spans). A type's tag name comes from
//! `visual.conf` labels when given, else the type itself; its kind is
//! actor when listed in the caller's actor types or under `!actor` in
//! `annotation.conf`, else issue. `AnnotatorNotes` become notes (several
//! joined by a newline), `Stance` attributes the stance. Relations, events
//! and other lines are counted in [`BratImport::skipped`].

use super::{ExportDoc, ExportError, Filter, write_file};
use crate::core::annotation::{Annotation, Stance};
use crate::core::codebook::{Rgb, TagKind};
use crate::core::set::{AnnotationSet, SourceRef};
use crate::core::text::Text;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Prefix of the `visual.conf` comment lines that record each type's exact
/// tag name as a JSON string: `# marginalia-name: <type> "<name>"`.
pub const NAME_COMMENT: &str = "# marginalia-name: ";

/// `name` made into a brat type name (see the module docs).
pub fn safe_type(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "tag".to_owned() } else { s }
}

/// The brat type of every tag used in `docs` (and in their codebooks),
/// unique across kinds.
pub fn type_map(docs: &[ExportDoc]) -> BTreeMap<(TagKind, String), String> {
    let mut tags: BTreeSet<(TagKind, String)> = BTreeSet::new();
    for d in docs {
        for t in d.set.codebook.tags() {
            tags.insert((t.kind, t.name.clone()));
        }
        for a in d.set.annotations() {
            for (k, n) in a.all_tags() {
                tags.insert((k, n.to_owned()));
            }
        }
    }
    let mut used = BTreeSet::new();
    let mut map = BTreeMap::new();
    for key in tags {
        let base = safe_type(&key.1);
        let mut ty = base.clone();
        let mut i = 2;
        while used.contains(&ty) {
            ty = format!("{base}_{i}");
            i += 1;
        }
        used.insert(ty.clone());
        map.insert(key, ty);
    }
    map
}

/// `start..end` split into fragments at line breaks (which are left out).
pub fn fragments(text: &Text, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut frag_start = None;
    for (i, c) in text.slice(start, end).chars().enumerate() {
        let pos = start + i;
        if c == '\n' || c == '\r' {
            if let Some(s) = frag_start.take() {
                out.push((s, pos));
            }
        } else if frag_start.is_none() {
            frag_start = Some(pos);
        }
    }
    if let Some(s) = frag_start {
        out.push((s, end));
    }
    out
}

/// The `.ann` content of one document.
pub fn ann_string(
    doc: &ExportDoc,
    filter: &Filter,
    types: &BTreeMap<(TagKind, String), String>,
) -> String {
    let mut out = String::new();
    let (mut t, mut notes, mut attrs) = (0, 0, 0);
    for a in doc.excerpts(filter) {
        let frags = fragments(doc.text, a.start, a.end);
        if frags.is_empty() {
            continue;
        }
        let spans: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let texts: Vec<&str> = frags.iter().map(|(s, e)| doc.text.slice(*s, *e)).collect();
        let (spans, texts) = (spans.join(";"), texts.join(" "));
        let mut first = None;
        for (k, n) in a.all_tags() {
            let ty = types
                .get(&(k, n.to_owned()))
                .cloned()
                .unwrap_or_else(|| safe_type(n));
            t += 1;
            let _ = writeln!(out, "T{t}\t{ty} {spans}\t{texts}");
            first.get_or_insert(t);
        }
        let Some(first) = first else { continue };
        if let Some(s) = a.stance {
            attrs += 1;
            let _ = writeln!(out, "A{attrs}\tStance T{first} {}", s.as_str());
        }
        if let Some(n) = &a.note {
            notes += 1;
            let n: String = n
                .chars()
                .map(|c| {
                    if c == '\n' || c == '\r' || c == '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            let _ = writeln!(out, "#{notes}\tAnnotatorNotes T{first}\t{n}");
        }
    }
    out
}

/// `annotation.conf` for these types.
pub fn annotation_conf(types: &BTreeMap<(TagKind, String), String>) -> String {
    let mut out = String::from("# written by Marginalia\n[entities]\n");
    for kind in [TagKind::Issue, TagKind::Actor] {
        let _ = writeln!(out, "!{kind}");
        for ((k, _), ty) in types {
            if *k == kind {
                let _ = writeln!(out, "\t{ty}");
            }
        }
    }
    out.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    out.push_str("Stance\tArg:<ENTITY>, Value:support|oppose|neutral\n");
    out
}

/// `visual.conf`: labels (tag names) and colours for these types.
pub fn visual_conf(
    types: &BTreeMap<(TagKind, String), String>,
    colors: &BTreeMap<(TagKind, String), Rgb>,
) -> String {
    let mut out = String::from("# written by Marginalia\n");
    // exact tag names (labels cannot hold `|`), read back by the importer
    for ((_, name), ty) in types {
        let json = serde_json::to_string(name).unwrap_or_default();
        let _ = writeln!(out, "{NAME_COMMENT}{ty} {json}");
    }
    out.push_str("[labels]\n");
    for ((_, name), ty) in types {
        let label: String = name
            .chars()
            .map(|c| if c == '|' || c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{ty} | {label}");
    }
    out.push_str("\n[drawing]\n");
    for (key, ty) in types {
        if let Some(c) = colors.get(key) {
            let _ = writeln!(out, "{ty}\tbgColor:{}", c.to_hex());
        }
    }
    out
}

/// Writes the brat folder (see the module docs); returns the files.
pub fn write_dir(
    docs: &[ExportDoc],
    filter: &Filter,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError::io(dir, e))?;
    let types = type_map(docs);
    let mut colors = BTreeMap::new();
    for d in docs {
        for t in d.set.codebook.tags() {
            colors.entry((t.kind, t.name.clone())).or_insert(t.color);
        }
    }
    let mut written = Vec::new();
    let mut stems = BTreeSet::new();
    for d in docs {
        let base = d.stem();
        let mut stem = base.clone();
        let mut i = 2;
        while !stems.insert(stem.clone()) {
            stem = format!("{base}-{i}");
            i += 1;
        }
        let txt = dir.join(format!("{stem}.txt"));
        write_file(&txt, d.text.as_str().as_bytes())?;
        written.push(txt);
        let ann = dir.join(format!("{stem}.ann"));
        write_file(&ann, ann_string(d, filter, &types).as_bytes())?;
        written.push(ann);
    }
    for (name, content) in [
        ("annotation.conf", annotation_conf(&types)),
        ("visual.conf", visual_conf(&types, &colors)),
    ] {
        let p = dir.join(name);
        write_file(&p, content.as_bytes())?;
        written.push(p);
    }
    Ok(written)
}

type Span = (usize, usize);
/// The tags found on one span and the `T` ids that carried them.
type SpanTags = (BTreeSet<(TagKind, String)>, Vec<String>);

/// One parsed `T` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BratEntity {
    /// `T1` …
    pub id: String,
    /// The brat type.
    pub ty: String,
    /// Fragments `(start, end)`, code points.
    pub fragments: Vec<(usize, usize)>,
}

/// What [`import`] produced.
#[derive(Debug, Clone)]
pub struct BratImport {
    /// The new set (source path left empty for the caller to fill).
    pub set: AnnotationSet,
    /// Lines that were not understood or not representable, with reasons.
    pub skipped: Vec<String>,
}

/// Type → tag name from a `visual.conf`: the exact names recorded in
/// [`NAME_COMMENT`] lines, else the first label of each `[labels]` line.
pub fn parse_visual_labels(conf: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut exact = BTreeMap::new();
    let mut section = "";
    for line in conf.lines() {
        if let Some(rest) = line.strip_prefix(NAME_COMMENT) {
            if let Some((ty, json)) = rest.split_once(' ')
                && let Ok(name) = serde_json::from_str::<String>(json)
            {
                exact.insert(ty.to_owned(), name);
            }
            continue;
        }
        let l = line.trim();
        if l.starts_with('[') && l.ends_with(']') {
            section = if l == "[labels]" { "labels" } else { "" };
            continue;
        }
        if section != "labels" || l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut parts = l.split('|').map(str::trim);
        if let (Some(ty), Some(label)) = (parts.next(), parts.next())
            && !ty.is_empty()
            && !label.is_empty()
        {
            out.insert(ty.to_owned(), label.to_owned());
        }
    }
    out.extend(exact);
    out
}

/// Colours from a `visual.conf`'s `[drawing]` section (`bgColor:#rrggbb`).
pub fn parse_visual_colors(conf: &str) -> BTreeMap<String, Rgb> {
    let mut out = BTreeMap::new();
    let mut in_drawing = false;
    for line in conf.lines() {
        let l = line.trim();
        if l.starts_with('[') && l.ends_with(']') {
            in_drawing = l == "[drawing]";
            continue;
        }
        if !in_drawing || l.is_empty() || l.starts_with('#') {
            continue;
        }
        let Some((ty, rest)) = l.split_once(char::is_whitespace) else {
            continue;
        };
        for kv in rest.split(',') {
            if let Some(v) = kv.trim().strip_prefix("bgColor:")
                && let Some(c) = Rgb::from_hex(v)
            {
                out.insert(ty.to_owned(), c);
            }
        }
    }
    out
}

/// Types listed under `!actor` (or `actor`) in an `annotation.conf`'s
/// `[entities]` section.
pub fn parse_conf_actor_types(conf: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_entities = false;
    let mut under_actor = false;
    for line in conf.lines() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            in_entities = t == "[entities]";
            continue;
        }
        if !in_entities || t.is_empty() || t.starts_with('#') {
            continue;
        }
        if !line.starts_with(['\t', ' ']) {
            under_actor = matches!(t.trim_start_matches('!'), "actor" | "Actor");
        } else if under_actor {
            out.insert(t.to_owned());
        }
    }
    out
}

fn parse_spans(s: &str) -> Option<Vec<(usize, usize)>> {
    s.split(';')
        .map(|f| {
            let mut it = f.split_whitespace();
            let a = it.next()?.parse().ok()?;
            let b = it.next()?.parse().ok()?;
            (it.next().is_none() && a <= b).then_some((a, b))
        })
        .collect()
}

/// Builds a set from an `.ann` file's content over `text`.
/// `actor_types` are brat types that become actors; `labels` map types to
/// tag names; `colors` give tag colours (both may be empty).
pub fn import(
    text: &Text,
    ann: &str,
    actor_types: &BTreeSet<String>,
    labels: &BTreeMap<String, String>,
    colors: &BTreeMap<String, Rgb>,
) -> BratImport {
    let mut skipped = Vec::new();
    let len = text.len_chars();
    // span → (tags, T ids)
    let mut by_span: BTreeMap<Span, SpanTags> = BTreeMap::new();
    let mut span_of: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut notes: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    let mut stances: BTreeMap<(usize, usize), Stance> = BTreeMap::new();
    let mut used_types: BTreeMap<(TagKind, String), String> = BTreeMap::new();
    let mut later = Vec::new();
    for (no, line) in ann.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        let middle = cols.next().unwrap_or("");
        if !id.starts_with('T') {
            later.push((no, line));
            continue;
        }
        let Some((ty, spans)) = middle.split_once(' ') else {
            skipped.push(format!("line {}: malformed T line", no + 1));
            continue;
        };
        let Some(frags) = parse_spans(spans).filter(|f| !f.is_empty()) else {
            skipped.push(format!("line {}: bad offsets {spans:?}", no + 1));
            continue;
        };
        let start = frags.iter().map(|f| f.0).min().unwrap_or(0);
        let end = frags.iter().map(|f| f.1).max().unwrap_or(0);
        if end > len {
            skipped.push(format!(
                "line {}: span {start}–{end} past the text's end ({len})",
                no + 1
            ));
            continue;
        }
        let kind = if actor_types.contains(ty) {
            TagKind::Actor
        } else {
            TagKind::Issue
        };
        let name = labels.get(ty).cloned().unwrap_or_else(|| ty.to_owned());
        let name = name.trim().to_owned();
        used_types.insert((kind, name.clone()), ty.to_owned());
        let entry = by_span.entry((start, end)).or_default();
        entry.0.insert((kind, name));
        entry.1.push(id.to_owned());
        span_of.insert(id.to_owned(), (start, end));
    }
    for (no, line) in later {
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        let middle = cols.next().unwrap_or("");
        let rest = cols.next();
        let mut words = middle.split_whitespace();
        match (id.chars().next(), words.next(), words.next()) {
            (Some('#'), Some("AnnotatorNotes"), Some(target)) => match span_of.get(target) {
                Some(span) => {
                    let n = rest.unwrap_or("").to_owned();
                    let list = notes.entry(*span).or_default();
                    if !n.is_empty() && !list.contains(&n) {
                        list.push(n);
                    }
                }
                None => skipped.push(format!("line {}: note on unknown {target}", no + 1)),
            },
            (Some('A' | 'M'), Some("Stance"), Some(target)) => {
                match (span_of.get(target), words.next().and_then(Stance::parse)) {
                    (Some(span), Some(s)) => {
                        stances.insert(*span, s);
                    }
                    _ => skipped.push(format!("line {}: unusable Stance attribute", no + 1)),
                }
            }
            _ => skipped.push(format!(
                "line {}: {} not imported (only entities, notes and Stance are)",
                no + 1,
                id
            )),
        }
    }
    let source = SourceRef {
        sha256: text.sha256().to_owned(),
        length: len,
        ..Default::default()
    };
    let mut set = AnnotationSet::new(source);
    for ((kind, name), ty) in &used_types {
        let mut tag = set.codebook.new_tag(*kind, name);
        if let Some(c) = colors.get(ty) {
            tag.color = *c;
        }
        set.codebook.insert(tag);
    }
    let now = crate::core::time::now_rfc3339();
    for ((start, end), (tagset, _ids)) in by_span {
        let id = set.fresh_id();
        let mut a = Annotation::new(id, text, start, end, &now);
        for (k, n) in &tagset {
            a.add_tag(*k, n);
        }
        if let Some(list) = notes.get(&(start, end)) {
            a.note = Some(list.join("\n"));
        }
        a.stance = stances.get(&(start, end)).copied();
        set.insert_sorted(a);
    }
    BratImport { set, skipped }
}

/// Reads `FILE.ann`, the `.txt` beside it and any `annotation.conf` /
/// `visual.conf` in the same folder, and builds the set. Returns the text
/// path with the import.
pub fn import_files(
    ann_path: &Path,
    extra_actor_types: &[String],
    legacy_encoding: bool,
) -> Result<(PathBuf, Text, BratImport), String> {
    let txt_path = ann_path.with_extension("txt");
    let ann = std::fs::read_to_string(ann_path)
        .map_err(|e| format!("cannot read {}: {e}", ann_path.display()))?;
    let (text, _) = crate::core::session::read_article(&txt_path, legacy_encoding)
        .map_err(|e| e.to_string())?;
    let dir = ann_path.parent().unwrap_or(Path::new("."));
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap_or_default();
    let conf = read("annotation.conf");
    let visual = read("visual.conf");
    let mut actors = parse_conf_actor_types(&conf);
    actors.extend(extra_actor_types.iter().map(|s| s.trim().to_owned()));
    let imp = import(
        &text,
        &ann,
        &actors,
        &parse_visual_labels(&visual),
        &parse_visual_colors(&visual),
    );
    Ok((txt_path, text, imp))
}

/// Parses the `T` lines of an `.ann` file (other lines are ignored).
pub fn parse_entities(ann: &str) -> Vec<BratEntity> {
    ann.lines()
        .filter_map(|line| {
            let mut cols = line.trim_end_matches('\r').splitn(3, '\t');
            let id = cols.next()?;
            if !id.starts_with('T') {
                return None;
            }
            let (ty, spans) = cols.next()?.split_once(' ')?;
            Some(BratEntity {
                id: id.to_owned(),
                ty: ty.to_owned(),
                fragments: parse_spans(spans)?,
            })
        })
        .collect()
}
