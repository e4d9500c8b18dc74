//! The pure core of Marginalia: everything an analyst can do, without a window.
//!
//! Invariants shared by every module below:
//! - Offsets are Unicode scalar values (code points) of the decoded text,
//!   half-open `[start, end)`, counted after a leading byte-order mark is
//!   dropped, with line endings exactly as in the file (CRLF counts two).
//! - Nothing here imports egui, eframe or rfd.
//! - Collections written to files are sorted, so output is deterministic.

pub mod agreement;
pub mod agreement_report;
pub mod anchor;
pub mod annotation;
pub mod batch_import;
pub mod codebook;
pub mod codebook_file;
pub mod command;
pub mod compare;
pub mod corpus;
pub mod corpus_change;
pub mod corpus_index;
pub mod corpus_search;
pub mod corpus_stats;
pub mod corpus_tag_all;
pub mod curation;
pub mod decode;
pub mod diff;
pub mod discourse_network;
pub mod export;
pub mod filter;
pub mod history;
pub mod import;
pub mod index;
pub mod journal;
#[cfg(test)]
pub(crate) mod markup;
pub mod merge;
pub mod metadata;
pub mod qdpx_import;
pub mod query;
pub mod ron_read;
pub mod search;
pub mod segments;
pub mod selection;
pub mod session;
pub mod set;
pub mod store;
pub mod suggest;
pub mod tag_all;
pub mod tag_counts;
pub mod text;
pub mod time;
pub mod words;

pub use annotation::{Annotation, Stance};
pub use codebook::{Codebook, Rgb, Tag, TagKind};
pub use command::{Command, CommandError, EditContext};
pub use session::Session;
pub use set::{AnnotationSet, Metadata, SourceRef};
pub use text::Text;
