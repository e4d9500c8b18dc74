//! REFI-QDA project exchange (`.qdpx`), writing: the project file that
//! MAXQDA, ATLAS.ti, NVivo, QualCoder and Transana import.
//!
//! A `.qdpx` is a zip holding `project.qde` (XML, UTF-8, namespace
//! [`NAMESPACE`], valid against the REFI project schema) and one
//! `sources/<GUID>.txt` per document (its decoded text as UTF-8, no BOM).
//!
//! What is written:
//! - `Users`: one per coder named on an exported annotation.
//! - `CodeBook`: three non-codable roots, [`ISSUES_ROOT`] and
//!   [`ACTORS_ROOT`] with the tags of each kind beneath (hierarchy, colours,
//!   descriptions as in the `.qdc`), and [`STANCE_ROOT`] with one codable
//!   code per stance ([`STANCE_CODES`]).
//! - `Variables`: declared once, for the metadata ([`METADATA_VARIABLES`])
//!   and every document attribute (an attribute named like a metadata
//!   variable gets [`ATTRIBUTE_PREFIX`]). `Date` is of type Date when every
//!   value is an ISO date, else Text; the others are Text.
//! - `Sources`: one `TextSource` per document, named by its title (else its
//!   file stem), `plainTextPath="internal://<GUID>.txt"`, the metadata's
//!   notes as `Description`, one `PlainTextSelection` per exported
//!   annotation and the document's `VariableValue`s.
//! - A selection: `startPosition`/`endPosition` in code points of the text
//!   file, end excluded (our offsets, unchanged; with
//!   [`Positions::Utf16`], for NVivo, in UTF-16 code units); `name` is the exact text
//!   of the span; `creatingUser` the coder; creation and modification
//!   times (when they are RFC 3339); the note as `Description`; one
//!   `Coding` with one `CodeRef` per tag and one for its stance.
//!
//! Invariants:
//! - Deterministic: GUIDs come from [`super::qdc::guid`] of the project name
//!   and the ids (document name, annotation id, tag), every zip entry has
//!   the same fixed time and permissions, entries are in document order,
//!   so exporting twice gives the same bytes.
//! - Every `CodeRef` names a code of the codebook: a tag used by an
//!   annotation but missing from every codebook is added (with the next
//!   free colour).

use super::qdc::{code_guid, esc, guid, write_codes};
use super::{ExportDoc, ExportError, Filter};
use crate::core::annotation::Stance;
use crate::core::codebook::{Codebook, TagKind};
use crate::core::corpus::merge_codebooks;
use crate::core::set::AnnotationSet;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// The REFI-QDA project namespace.
pub const NAMESPACE: &str = "urn:QDA-XML:project:1.0";
/// The non-codable root code above the issues.
pub const ISSUES_ROOT: &str = "Issues";
/// The non-codable root code above the actors.
pub const ACTORS_ROOT: &str = "Actors";
/// The non-codable root code above the stance codes.
pub const STANCE_ROOT: &str = "Stance";
/// The stance codes under [`STANCE_ROOT`], by stance.
pub const STANCE_CODES: [(Stance, &str); 3] = [
    (Stance::Support, "Support"),
    (Stance::Oppose, "Oppose"),
    (Stance::Neutral, "Neutral"),
];
/// The variables that carry a document's metadata (author, publication,
/// date, URL, coding status), in this order.
pub const METADATA_VARIABLES: [&str; 5] = ["Author", "Publication", "Date", "URL", "Status"];
/// Put before an attribute's name when it is a metadata variable's name.
pub const ATTRIBUTE_PREFIX: &str = "attribute: ";
/// The folder of the sources inside the zip.
pub const SOURCES_DIR: &str = "sources";

/// What the project is: its name (the corpus's, which the GUIDs derive
/// from) and codebook tags beyond those of the documents' sets (the
/// corpus codebook).
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// `Project@name`; also the seed of every GUID but the tags' and users'.
    pub name: String,
    /// Tags to write even when no exported set holds them.
    pub codebook: Codebook,
    /// What the selections' positions count: code points (the standard),
    /// or UTF-16 code units for NVivo.
    pub positions: Positions,
}

/// What a `PlainTextSelection`'s `startPosition` and `endPosition` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Positions {
    /// Unicode code points (the standard; MAXQDA, ATLAS.ti, QualCoder,
    /// Marginalia).
    #[default]
    CodePoints,
    /// UTF-16 code units: a character beyond U+FFFF (an emoji, a rare CJK
    /// ideograph) counts as two. NVivo reads and writes these.
    Utf16,
}

impl Positions {
    /// The unit a project from `origin` (its `<Project origin="…">`)
    /// writes: UTF-16 for NVivo, code points otherwise.
    pub fn of_origin(origin: &str) -> Positions {
        if origin
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("nvivo")
        {
            Positions::Utf16
        } else {
            Positions::CodePoints
        }
    }
}

/// The GUID of a root or stance code (the same in every project).
pub fn fixed_guid(what: &str) -> String {
    guid(&format!("marginalia:code:{what}"))
}

/// The GUID of a coder.
pub fn user_guid(coder: &str) -> String {
    guid(&format!("marginalia:user:{coder}"))
}

fn variable_guid(name: &str) -> String {
    guid(&format!("marginalia:variable:{name}"))
}

/// The variable name of document attribute `name`.
pub fn attribute_variable(name: &str) -> String {
    if METADATA_VARIABLES
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
        || name.starts_with(ATTRIBUTE_PREFIX)
    {
        format!("{ATTRIBUTE_PREFIX}{name}")
    } else {
        name.to_owned()
    }
}

/// A document's variable values, `(variable, value)`, metadata first.
fn doc_variables(set: &AnnotationSet) -> Vec<(String, String)> {
    let m = &set.metadata;
    let status = (!m.status.is_to_do()).then(|| m.status.as_str().to_owned());
    let mut out: Vec<(String, String)> = METADATA_VARIABLES
        .iter()
        .zip([&m.author, &m.publication, &m.date, &m.url, &status])
        .filter_map(|(n, v)| Some(((*n).to_owned(), v.clone()?)))
        .collect();
    for (k, v) in &m.attributes {
        out.push((attribute_variable(k), v.clone()));
    }
    out
}

/// True for an ISO `YYYY-MM-DD` that is a real day (an XML Schema date).
pub fn is_iso_date(s: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    s.len() == 10 && time::Date::parse(s, &format).is_ok()
}

/// An RFC 3339 time as an XML Schema `dateTime`, `None` when it is not one.
fn xml_datetime(s: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    let t = time::OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
    t.format(&Rfc3339).ok()
}

/// One document as written, with its GUID (from the project's name and the
/// document's name, made unique with `#2`, `#3` …).
struct Source<'a> {
    doc: &'a ExportDoc<'a>,
    guid: String,
    /// With UTF-16 positions: the code point index of every character
    /// beyond U+FFFF, ascending (each adds one unit to what follows).
    astral: Vec<usize>,
}

impl Source<'_> {
    /// A code point offset in the project's unit.
    fn position(&self, cp: usize) -> usize {
        cp + self.astral.partition_point(|&a| a < cp)
    }
}

fn sources<'a>(project: &Project, docs: &'a [ExportDoc<'a>]) -> Vec<Source<'a>> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    docs.iter()
        .map(|d| {
            let n = seen.entry(d.name).or_default();
            *n += 1;
            let key = if *n == 1 {
                d.name.to_owned()
            } else {
                format!("{}#{n}", d.name)
            };
            let guid = guid(&format!("marginalia:{}:source:{key}", project.name));
            let astral = match project.positions {
                Positions::CodePoints => Vec::new(),
                Positions::Utf16 => d
                    .text
                    .as_str()
                    .chars()
                    .enumerate()
                    .filter(|(_, c)| c.len_utf16() == 2)
                    .map(|(i, _)| i)
                    .collect(),
            };
            Source {
                doc: d,
                guid,
                astral,
            }
        })
        .collect()
}

/// The codebook written: the project's, every set's, and every tag an
/// exported annotation uses.
fn full_codebook(project: &Project, docs: &[ExportDoc], filter: &Filter) -> Codebook {
    let mut cb = project.codebook.clone();
    for d in docs {
        cb = merge_codebooks(&cb, &d.set.codebook).0;
    }
    for d in docs {
        for a in d.excerpts(filter) {
            for kind in [TagKind::Issue, TagKind::Actor] {
                for n in a.tags(kind) {
                    if cb.get(kind, n).is_none() {
                        let t = cb.new_tag(kind, n);
                        cb.insert(t);
                    }
                }
            }
        }
    }
    cb
}

fn write_codebook(out: &mut String, cb: &Codebook) {
    out.push_str("  <CodeBook>\n    <Codes>\n");
    for (kind, root) in [(TagKind::Issue, ISSUES_ROOT), (TagKind::Actor, ACTORS_ROOT)] {
        let _ = write!(
            out,
            "      <Code guid=\"{}\" name=\"{root}\" isCodable=\"false\"",
            fixed_guid(root)
        );
        if cb.of_kind(kind).next().is_none() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        write_codes(out, cb, Some(kind), 4);
        out.push_str("      </Code>\n");
    }
    let _ = writeln!(
        out,
        "      <Code guid=\"{}\" name=\"{STANCE_ROOT}\" isCodable=\"false\">",
        fixed_guid(STANCE_ROOT)
    );
    for (_, name) in STANCE_CODES {
        let _ = writeln!(
            out,
            "        <Code guid=\"{}\" name=\"{name}\" isCodable=\"true\"/>",
            fixed_guid(&format!("{STANCE_ROOT}/{name}"))
        );
    }
    out.push_str("      </Code>\n    </Codes>\n  </CodeBook>\n");
}

/// The variables used by the documents, `name → type`, in writing order
/// (metadata first, then attributes by name).
fn variables(docs: &[ExportDoc]) -> Vec<(String, &'static str)> {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in docs {
        for (n, v) in doc_variables(d.set) {
            values.entry(n).or_default().push(v);
        }
    }
    let mut out = Vec::new();
    for m in METADATA_VARIABLES {
        if let Some(vs) = values.remove(m) {
            let date = m == "Date" && vs.iter().all(|v| is_iso_date(v));
            out.push((m.to_owned(), if date { "Date" } else { "Text" }));
        }
    }
    out.extend(values.into_keys().map(|n| (n, "Text")));
    out
}

fn write_selection(out: &mut String, src: &Source, a: &crate::core::annotation::Annotation) {
    // The source's GUID already derives from the project and document.
    let key = format!("{}:{}", src.guid, a.id);
    let _ = write!(
        out,
        "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"",
        guid(&format!("{key}:selection")),
        esc(src.doc.excerpt_text(a)),
        src.position(a.start),
        src.position(a.end)
    );
    let user = a.coder.as_deref().map(user_guid);
    let created = xml_datetime(&a.created);
    if let Some(u) = &user {
        let _ = write!(out, " creatingUser=\"{u}\"");
    }
    if let Some(t) = &created {
        let _ = write!(out, " creationDateTime=\"{t}\"");
    }
    if let Some(u) = &user {
        let _ = write!(out, " modifyingUser=\"{u}\"");
    }
    if let Some(t) = xml_datetime(&a.modified) {
        let _ = write!(out, " modifiedDateTime=\"{t}\"");
    }
    out.push_str(">\n");
    if let Some(n) = &a.note {
        let _ = writeln!(out, "        <Description>{}</Description>", esc(n));
    }
    let mut targets: Vec<(String, String)> = Vec::new();
    for kind in [TagKind::Issue, TagKind::Actor] {
        for n in a.tags(kind) {
            targets.push((format!("{kind}:{n}"), code_guid(kind, n)));
        }
    }
    if let Some(s) = a.stance
        && let Some((_, name)) = STANCE_CODES.iter().find(|(st, _)| *st == s)
    {
        let code = format!("{STANCE_ROOT}/{name}");
        targets.push((code.clone(), fixed_guid(&code)));
    }
    for (what, target) in targets {
        let _ = write!(
            out,
            "        <Coding guid=\"{}\"",
            guid(&format!("{key}:coding:{what}"))
        );
        if let Some(u) = &user {
            let _ = write!(out, " creatingUser=\"{u}\"");
        }
        if let Some(t) = &created {
            let _ = write!(out, " creationDateTime=\"{t}\"");
        }
        let _ = writeln!(out, "><CodeRef targetGUID=\"{target}\"/></Coding>");
    }
    out.push_str("      </PlainTextSelection>\n");
}

fn write_source(out: &mut String, src: &Source, filter: &Filter, types: &BTreeMap<&str, &str>) {
    let set = src.doc.set;
    let title = set
        .metadata
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| src.doc.stem(), str::to_owned);
    let _ = write!(
        out,
        "    <TextSource guid=\"{}\" name=\"{}\" plainTextPath=\"internal://{}.txt\"",
        src.guid,
        esc(&title),
        src.guid
    );
    let selections: Vec<_> = src.doc.excerpts(filter).collect();
    let vars = doc_variables(set);
    let notes = set.metadata.notes.as_deref().filter(|n| !n.is_empty());
    if selections.is_empty() && vars.is_empty() && notes.is_none() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if let Some(n) = notes {
        let _ = writeln!(out, "      <Description>{}</Description>", esc(n));
    }
    for a in selections {
        write_selection(out, src, a);
    }
    for (name, value) in vars {
        let element = if types.get(name.as_str()) == Some(&"Date") {
            "DateValue"
        } else {
            "TextValue"
        };
        let _ = writeln!(
            out,
            "      <VariableValue><VariableRef targetGUID=\"{}\"/><{element}>{}</{element}></VariableValue>",
            variable_guid(&name),
            esc(&value)
        );
    }
    out.push_str("    </TextSource>\n");
}

/// The `project.qde` XML for `docs` (annotations passing `filter`).
pub fn to_qde(project: &Project, docs: &[ExportDoc], filter: &Filter) -> String {
    let srcs = sources(project, docs);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<Project xmlns=\"{NAMESPACE}\" name=\"{}\" origin=\"Marginalia {}\">",
        esc(&project.name),
        env!("CARGO_PKG_VERSION")
    );
    let coders: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| d.excerpts(filter).filter_map(|a| a.coder.as_deref()))
        .collect();
    if !coders.is_empty() {
        out.push_str("  <Users>\n");
        for c in coders {
            let _ = writeln!(
                out,
                "    <User guid=\"{}\" name=\"{}\"/>",
                user_guid(c),
                esc(c)
            );
        }
        out.push_str("  </Users>\n");
    }
    write_codebook(&mut out, &full_codebook(project, docs, filter));
    let vars = variables(docs);
    if !vars.is_empty() {
        out.push_str("  <Variables>\n");
        for (name, ty) in &vars {
            let _ = writeln!(
                out,
                "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{ty}\"/>",
                variable_guid(name),
                esc(name)
            );
        }
        out.push_str("  </Variables>\n");
    }
    if !srcs.is_empty() {
        let types: BTreeMap<&str, &str> = vars.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        out.push_str("  <Sources>\n");
        for s in &srcs {
            write_source(&mut out, s, filter, &types);
        }
        out.push_str("  </Sources>\n");
    }
    out.push_str("</Project>\n");
    out
}

/// The `.qdpx` zip: `project.qde`, then `sources/<GUID>.txt` per document.
pub fn to_qdpx(
    project: &Project,
    docs: &[ExportDoc],
    filter: &Filter,
) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Format(format!("qdpx: {e}"));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let mut put = |name: &str, bytes: &[u8]| -> Result<(), ExportError> {
            zip.start_file(name, opts).map_err(|e| fail(&e))?;
            zip.write_all(bytes).map_err(|e| fail(&e))
        };
        put("project.qde", to_qde(project, docs, filter).as_bytes())?;
        for s in sources(project, docs) {
            put(
                &format!("{SOURCES_DIR}/{}.txt", s.guid),
                s.doc.text.as_str().as_bytes(),
            )?;
        }
        zip.finish().map_err(|e| fail(&e))?;
    }
    Ok(buf.into_inner())
}

/// Writes the `.qdpx` to `dest` through a temporary file.
pub fn write_file(
    project: &Project,
    docs: &[ExportDoc],
    filter: &Filter,
    dest: &Path,
) -> Result<(), ExportError> {
    let bytes = to_qdpx(project, docs, filter)?;
    super::write_file(dest, &bytes)
}
