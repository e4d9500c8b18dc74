//! Exporters: turning annotation sets into the files analysts' other tools
//! read.
//!
//! Invariants:
//! - Every excerpt's text is the source text's code points `start..end`,
//!   exactly (taken from the [`Text`], not from the stored quote).
//! - Output is deterministic: documents in input order, excerpts by
//!   position then id, tag lists sorted.

pub mod json;

use super::annotation::Annotation;
use super::codebook::TagKind;
use super::set::AnnotationSet;
use super::text::Text;

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
            .annotations
            .iter()
            .filter(move |a| filter.matches(a))
    }

    /// The exact text of an annotation's span.
    pub fn excerpt_text(&self, a: &Annotation) -> &'a str {
        self.text.slice(a.start, a.end)
    }
}
