//! Exporters: turning annotation sets into the files analysts' other tools
//! read.
//!
//! Invariants:
//! - Every excerpt's text is the source text's code points `start..end`,
//!   exactly (taken from the [`Text`], not from the stored quote).
//! - Output is deterministic: documents in input order, excerpts by
//!   position then id, tag lists sorted.
//!
//! The single entry point for the GUI's export dialog and the CLI is
//! [`export_to_path`] (or [`export_to_string`] for standard output): pick an
//! [`ExportFormat`] from [`ExportFormat::ALL`], fill [`ExportOptions`], and
//! hand over the documents and the [`Filter`].

pub mod brat;
pub mod csv;
pub mod discourse_network;
pub mod html;
pub mod json;
pub mod markdown;
pub mod matrix;
pub mod network;
pub mod qdc;
pub mod qdpx;
pub mod w3c;

use super::annotation::Annotation;
use super::codebook::{Rgb, TagKind};
use super::set::AnnotationSet;
use super::text::Text;
use std::fmt;
use std::path::{Path, PathBuf};

/// One document to export: its text, its set and the name it is exported
/// under (usually the article's file name).
#[derive(Debug, Clone, Copy)]
pub struct ExportDoc<'a> {
    /// Name shown in the `document`/`source` fields.
    pub name: &'a str,
    /// The article text.
    pub text: &'a Text,
    /// The annotation set.
    pub set: &'a AnnotationSet,
}

/// Which annotations to export: all, or those carrying any listed tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Issue names; an annotation with any of them matches.
    pub issues: Vec<String>,
    /// Actor names; an annotation with any of them matches.
    pub actors: Vec<String>,
}

impl Filter {
    /// True when the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty() && self.actors.is_empty()
    }

    /// Whether `a` passes the filter.
    pub fn matches(&self, a: &Annotation) -> bool {
        self.is_empty()
            || self.issues.iter().any(|n| a.has_tag(TagKind::Issue, n))
            || self.actors.iter().any(|n| a.has_tag(TagKind::Actor, n))
    }
}

impl<'a> ExportDoc<'a> {
    /// The annotations that pass `filter`, in position order.
    pub fn excerpts<'f>(&self, filter: &'f Filter) -> impl Iterator<Item = &'a Annotation> + 'f
    where
        'a: 'f,
    {
        self.set
            .annotations()
            .iter()
            .filter(move |a| filter.matches(a))
    }

    /// The exact text of an annotation's span.
    pub fn excerpt_text(&self, a: &Annotation) -> &'a str {
        self.text.slice(a.start, a.end)
    }
}

impl ExportDoc<'_> {
    /// The colour of tag `(kind, name)` in this document's codebook (grey
    /// when the tag is not in the codebook).
    pub fn tag_color(&self, kind: TagKind, name: &str) -> Rgb {
        self.set
            .codebook
            .get(kind, name)
            .map(|t| t.color)
            .unwrap_or(Rgb([0x99, 0x99, 0x99]))
    }

    /// The document name without its last extension (`a/b.txt` → `b`).
    pub fn stem(&self) -> String {
        let file = self.name.rsplit(['/', '\\']).next().unwrap_or(self.name);
        match file.rfind('.') {
            Some(i) if i > 0 => file[..i].to_owned(),
            _ => file.to_owned(),
        }
    }
}

/// Every export format Marginalia writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportFormat {
    /// The `marginalia-excerpts` JSON format (the reference).
    Json,
    /// CSV spreadsheet, one row per excerpt (or per tag with
    /// [`ExportOptions::long`]).
    Csv,
    /// Markdown report grouped by issue and by actor.
    Markdown,
    /// Self-contained HTML report grouped by issue and by actor.
    Html,
    /// W3C Web Annotation JSON-LD (an `AnnotationCollection`).
    W3c,
    /// brat standoff: a folder with `.txt` + `.ann` per document and
    /// `annotation.conf` / `visual.conf`.
    Brat,
    /// The actor–issue network as GraphML (Gephi, networkx).
    GraphMl,
    /// The actor–issue network as a CSV edge list.
    Edges,
    /// A REFI-QDA project (`.qdpx`, a zip) for MAXQDA, ATLAS.ti, NVivo,
    /// QualCoder.
    Qdpx,
    /// The document × tag matrix as CSV (excerpt counts per document and
    /// tag, or 0/1 with [`ExportOptions::binary`]).
    Matrix,
    /// A DNA-grade discourse network ([`ExportOptions::discourse`]) in the
    /// given file format.
    Discourse(discourse_network::NetworkFormat),
}

impl ExportFormat {
    /// All formats, in the order a menu shows them.
    pub const ALL: [ExportFormat; 11] = [
        ExportFormat::Json,
        ExportFormat::Csv,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::W3c,
        ExportFormat::Brat,
        ExportFormat::GraphMl,
        ExportFormat::Edges,
        ExportFormat::Qdpx,
        ExportFormat::Matrix,
        ExportFormat::Discourse(discourse_network::NetworkFormat::GraphMl),
    ];

    /// Human-readable name for menus and dialogs.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON excerpts",
            ExportFormat::Csv => "CSV spreadsheet",
            ExportFormat::Markdown => "Markdown report",
            ExportFormat::Html => "HTML report",
            ExportFormat::W3c => "W3C Web Annotation (JSON-LD)",
            ExportFormat::Brat => "brat standoff (folder)",
            ExportFormat::GraphMl => "Network (GraphML)",
            ExportFormat::Edges => "Network edge list (CSV)",
            ExportFormat::Qdpx => "REFI-QDA project (.qdpx)",
            ExportFormat::Matrix => "Document × tag matrix (CSV)",
            ExportFormat::Discourse(_) => "Discourse network (DNA)",
        }
    }

    /// File extension without the dot; empty for [`ExportFormat::Brat`],
    /// which writes a folder.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv | ExportFormat::Edges | ExportFormat::Matrix => "csv",
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::W3c => "jsonld",
            ExportFormat::Brat => "",
            ExportFormat::GraphMl => "graphml",
            ExportFormat::Qdpx => "qdpx",
            ExportFormat::Discourse(f) => f.extension(),
        }
    }

    /// The entry of [`ExportFormat::ALL`] this format is shown under (a
    /// discourse network in any file format is one entry).
    pub fn family(self) -> ExportFormat {
        match self {
            ExportFormat::Discourse(_) => {
                ExportFormat::Discourse(discourse_network::NetworkFormat::GraphMl)
            }
            f => f,
        }
    }

    /// True when the destination is a folder rather than a file.
    pub fn writes_directory(self) -> bool {
        self == ExportFormat::Brat
    }

    /// True when the output is binary (a zip), so it has no text form.
    pub fn is_binary(self) -> bool {
        self == ExportFormat::Qdpx
    }

    /// A default destination name for `stem` (`x` → `x.csv`, or `x-brat`
    /// for the folder of brat files).
    pub fn default_file_name(self, stem: &str) -> String {
        match self {
            ExportFormat::Brat => format!("{stem}-brat"),
            ExportFormat::Edges => format!("{stem}.edges.csv"),
            ExportFormat::Matrix => format!("{stem}.matrix.csv"),
            ExportFormat::Discourse(discourse_network::NetworkFormat::Statements) => {
                format!("{stem}.statements.csv")
            }
            ExportFormat::Discourse(f) => format!("{stem}.network.{}", f.extension()),
            f => format!("{stem}.{}", f.extension()),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which network the network formats write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NetworkMode {
    /// Actor and issue nodes; actor–issue edges (DNA's two-mode network).
    #[default]
    TwoMode,
    /// Actor nodes; edges between actors coded in the same annotation.
    Actors,
    /// Issue nodes; edges between issues coded in the same annotation.
    Issues,
}

/// Options that change what a format writes. The default is what the CLI
/// does without flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportOptions {
    /// CSV, edge list, matrix: write cells untouched, without neutralising
    /// formula-like cells.
    pub raw: bool,
    /// CSV: one row per (annotation, tag) instead of one per annotation.
    pub long: bool,
    /// GraphML / edge list: which network.
    pub network: NetworkMode,
    /// Matrix: 1 when a document has an excerpt with the tag, else 0
    /// (instead of the number of excerpts).
    pub binary: bool,
    /// Discourse network: which network.
    pub discourse: crate::core::discourse_network::NetworkChoices,
    /// REFI-QDA project: what the selections' positions count (UTF-16
    /// code units for NVivo).
    pub positions: qdpx::Positions,
}

/// The sessions as documents to export, each under its name in `names`
/// (the sessions' display names, kept by the caller): what the CLI and the
/// window's corpus export hand to the exporters.
pub fn session_docs<'a>(
    sessions: &'a [crate::core::session::Session],
    names: &'a [String],
) -> Vec<ExportDoc<'a>> {
    sessions
        .iter()
        .zip(names)
        .map(|(s, n)| ExportDoc {
            name: n,
            text: &s.text,
            set: &s.set,
        })
        .collect()
}

/// Why an export failed.
#[derive(Debug)]
pub enum ExportError {
    /// A file or folder could not be written.
    Io {
        /// The path concerned.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The format writes a folder and cannot go to a single stream.
    NeedsDirectory(ExportFormat),
    /// The format writes a binary file and cannot go to a text stream.
    NeedsFile(ExportFormat),
    /// Building the output failed (e.g. the CSV writer).
    Format(String),
    /// The input or the options cannot give this export (e.g. a network
    /// by stance on a corpus without stances); the message says why.
    Input(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ExportError::NeedsDirectory(fmt) => {
                write!(f, "{} writes a folder; give an output folder", fmt.label())
            }
            ExportError::NeedsFile(fmt) => {
                write!(f, "{} writes a zip file; give an output file", fmt.label())
            }
            ExportError::Format(m) => write!(f, "export failed: {m}"),
            ExportError::Input(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ExportError {}

impl ExportError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> ExportError {
        ExportError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// The export as one text, for every format except
/// [`ExportFormat::Brat`] (which gives [`ExportError::NeedsDirectory`]) and
/// [`ExportFormat::Qdpx`] (which gives [`ExportError::NeedsFile`]).
pub fn export_to_string(
    format: ExportFormat,
    docs: &[ExportDoc],
    filter: &Filter,
    options: &ExportOptions,
) -> Result<String, ExportError> {
    Ok(match format {
        ExportFormat::Json => json::to_string(docs, filter),
        ExportFormat::Csv if options.long => csv::to_string_long(docs, filter, options.raw)?,
        ExportFormat::Csv => csv::to_string(docs, filter, options.raw)?,
        ExportFormat::Markdown => markdown::to_string(docs, filter),
        ExportFormat::Html => html::to_string(docs, filter),
        ExportFormat::W3c => w3c::to_string(docs, filter),
        ExportFormat::GraphMl => {
            network::Network::build(docs, filter, options.network).to_graphml()
        }
        ExportFormat::Edges => {
            network::Network::build(docs, filter, options.network).to_edges_csv(options.raw)?
        }
        ExportFormat::Matrix => matrix::to_string(docs, filter, options.binary, options.raw)?,
        ExportFormat::Discourse(f) => {
            let request = discourse_network::NetworkRequest {
                spec: options.discourse.spec(),
                format: f,
                window: None,
                raw: options.raw,
                filter: filter.clone(),
                lenient_exclusions: false,
            };
            discourse_network::network_to_string(docs, &request)?
        }
        ExportFormat::Brat => return Err(ExportError::NeedsDirectory(format)),
        ExportFormat::Qdpx => return Err(ExportError::NeedsFile(format)),
    })
}

/// Writes the export to `dest` and returns the files written.
///
/// - For file formats, `dest` is the file (its folder must exist); it is
///   written through a temporary file and renamed, so a failed export never
///   leaves half a file.
/// - For [`ExportFormat::Brat`], `dest` is a folder (created when missing):
///   one `<stem>.txt` + `<stem>.ann` per document (stems made unique) plus
///   `annotation.conf` and `visual.conf`.
/// - For [`ExportFormat::Qdpx`], the project is named after `dest`'s file
///   stem, with the sets' codebooks (see [`qdpx::write_file`] for a corpus's
///   name and codebook).
///
/// Several documents give one combined file (or one `.txt`/`.ann` pair per
/// document for brat). The returned paths are in writing order.
pub fn export_to_path(
    format: ExportFormat,
    docs: &[ExportDoc],
    filter: &Filter,
    options: &ExportOptions,
    dest: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    if format == ExportFormat::Brat {
        return brat::write_dir(docs, filter, dest);
    }
    if format == ExportFormat::Qdpx {
        let project = qdpx::Project {
            name: dest.file_stem().map_or_else(
                || "project".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            ),
            codebook: Default::default(),
            positions: options.positions,
        };
        qdpx::write_file(&project, docs, filter, dest)?;
        return Ok(vec![dest.to_owned()]);
    }
    let text = export_to_string(format, docs, filter, options)?;
    write_file(dest, text.as_bytes())?;
    Ok(vec![dest.to_owned()])
}

/// Writes `bytes` to `path` through a temporary file in the same folder.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::core::store::replace_file(path, bytes).map_err(|e| ExportError::io(path, e))
}

/// The document attribute names used by any of `docs`, sorted.
pub(crate) fn attribute_names(docs: &[ExportDoc]) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = docs
        .iter()
        .flat_map(|d| d.set.metadata.attributes.keys())
        .collect();
    names.into_iter().cloned().collect()
}

/// The column (or GraphML attribute) name for the document attribute
/// `name`: the name itself, or `attribute_<name>` when a fixed column
/// already has that name.
pub(crate) fn attribute_column(name: &str, fixed: &[&str]) -> String {
    if fixed.contains(&name) {
        format!("attribute_{name}")
    } else {
        name.to_owned()
    }
}

/// Groups the filtered excerpts of `doc` by tag: `(name, annotations)` for
/// every tag of `kind` in use, sorted by name; annotations in position
/// order. Used by the reports.
pub(crate) fn group_by_tag<'a>(
    doc: &ExportDoc<'a>,
    filter: &Filter,
    kind: TagKind,
) -> Vec<(String, Vec<&'a Annotation>)> {
    let mut map: std::collections::BTreeMap<String, Vec<&'a Annotation>> = Default::default();
    for a in doc.excerpts(filter) {
        for name in a.tags(kind) {
            map.entry(name.clone()).or_default().push(a);
        }
    }
    map.into_iter().collect()
}
