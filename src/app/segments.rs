//! Coded segments across the open corpus (View › Coded segments,
//! `Ctrl+Shift+K`): the query the panel types, the result, the selected
//! row; opening a segment's document with its annotation selected; the
//! export of the result through the existing exporters.
//!
//! Invariants:
//! - The search reads the sets, not the articles (`core::segments`); the
//!   current document is saved first so the search sees what is on screen.
//! - Opening a segment goes through the corpus's switching (the current
//!   set saved first); its annotation is selected once the document is
//!   installed.

use super::MarginaliaApp;
use super::model::{SegmentIntent, SelectionIntent, Status};
use crate::core::annotation::Stance;
use crate::core::codebook::TagKind;
use crate::core::export::{ExportDoc, ExportFormat, ExportOptions, Filter};
use crate::core::segments::{self, SegmentQuery, Segments};
use crate::core::session::Session;

/// The segments panel's buffers and result.
#[derive(Debug, Clone, Default)]
pub struct SegmentsView {
    /// Tag names, comma-separated (issues and actors by name).
    pub tags: String,
    /// Tags also match through their children.
    pub with_children: bool,
    /// Coder name (empty: any).
    pub coder: String,
    /// Text in the quote or note.
    pub text: String,
    /// From this ISO date (empty: any).
    pub date_from: String,
    /// To this ISO date (empty: any).
    pub date_to: String,
    /// Only annotations with this stance (picked, or set by a chart's
    /// cell).
    pub stance: Option<Stance>,
    /// Only documents with this status.
    pub status: Option<crate::core::set::DocStatus>,
    /// Only documents whose attribute has a value: `name=value`
    /// (case-insensitive value; empty: any document).
    pub attribute: String,
    /// Tags the annotations must all carry (set by a chart's heat-map
    /// cell: an actor and an issue).
    pub all_tags: Vec<(TagKind, String)>,
    /// The last search's result.
    pub result: Segments,
    /// The query of the last search (Enter again opens the selected row).
    pub searched: Option<SegmentQuery>,
    /// The selected row.
    pub selected: usize,
    /// Scroll the list to the selected row on the next frame.
    pub reveal: bool,
}

impl SegmentsView {
    /// The query the buffers describe (tag names looked up in `codebook`;
    /// a name that is both an issue and an actor matches both).
    pub fn query(&self, codebook: &crate::core::codebook::Codebook) -> SegmentQuery {
        let mut tags = Vec::new();
        for name in self
            .tags
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            for kind in [TagKind::Issue, TagKind::Actor] {
                if let Some(t) = codebook
                    .of_kind(kind)
                    .find(|t| t.name.eq_ignore_ascii_case(name))
                {
                    tags.push((kind, t.name.clone()));
                }
            }
            if !tags.iter().any(|(_, n)| n.eq_ignore_ascii_case(name)) {
                // An unknown name matches nothing rather than everything.
                tags.push((TagKind::Issue, name.to_owned()));
            }
        }
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        SegmentQuery {
            tags,
            with_children: self.with_children,
            coder: opt(&self.coder),
            text: self.text.trim().to_owned(),
            date_from: opt(&self.date_from),
            date_to: opt(&self.date_to),
            stance: self.stance,
            status: self.status,
            attribute: self.attribute.split_once('=').and_then(|(n, v)| {
                let (n, v) = (n.trim(), v.trim());
                (!n.is_empty()).then(|| (n.to_owned(), v.to_owned()))
            }),
            all_tags: self.all_tags.clone(),
        }
    }
}

/// Applies one segments intent.
pub(super) fn apply(app: &mut MarginaliaApp, intent: SegmentIntent) {
    if app.corpus.is_none() {
        app.status = Status::info("Coded segments search a corpus: open a folder first");
        return;
    }
    match intent {
        SegmentIntent::Toggle => {
            if let Some(c) = &mut app.corpus {
                c.segments = match c.segments.take() {
                    Some(_) => None,
                    None => Some(SegmentsView::default()),
                };
            }
        }
        SegmentIntent::Search => search(app),
        SegmentIntent::EnterPressed => {
            let same = app.corpus.as_ref().and_then(|c| {
                let v = c.segments.as_ref()?;
                Some(v.searched.as_ref() == Some(&v.query(&c.corpus.file.codebook)))
            });
            match same {
                Some(true) => open_selected(app),
                _ => search(app),
            }
        }
        SegmentIntent::Move(down) => {
            if let Some(v) = app.corpus.as_mut().and_then(|c| c.segments.as_mut()) {
                let n = v.result.found.len();
                if n > 0 {
                    v.selected = if down {
                        (v.selected + 1).min(n - 1)
                    } else {
                        v.selected.saturating_sub(1)
                    };
                    v.reveal = true;
                }
            }
        }
        SegmentIntent::Open(row) => {
            if let Some(v) = app.corpus.as_mut().and_then(|c| c.segments.as_mut()) {
                v.selected = row;
            }
            open_selected(app);
        }
        SegmentIntent::Export(format) => export(app, format),
        SegmentIntent::ClearPick => {
            if let Some(v) = app.corpus.as_mut().and_then(|c| c.segments.as_mut()) {
                v.all_tags.clear();
                v.stance = None;
            }
            search(app);
        }
    }
}

fn search(app: &mut MarginaliaApp) {
    if app.session().is_some_and(Session::is_dirty) {
        super::files::save(app);
        if app.session().is_some_and(Session::is_dirty) {
            return;
        }
    }
    let Some(c) = &mut app.corpus else { return };
    let Some(v) = &mut c.segments else { return };
    let q = v.query(&c.corpus.file.codebook);
    v.result = Segments {
        found: c.index.segments(&q, &c.corpus.file.codebook, &c.summaries),
        unreadable: c
            .corpus
            .docs
            .iter()
            .zip(&c.summaries)
            .filter_map(|(d, s)| Some((d.rel.clone(), s.as_ref()?.error.clone()?)))
            .collect(),
    };
    let still_reading = c.pending_reads;
    v.searched = Some(q);
    v.selected = 0;
    v.reveal = true;
    let docs: std::collections::BTreeSet<usize> = v.result.found.iter().map(|s| s.doc).collect();
    app.status = if still_reading > 0 {
        Status::info(format!(
            "{} coded segments in {} documents so far ({still_reading} documents still being read; search again for all)",
            v.result.found.len(),
            docs.len()
        ))
    } else if v.result.unreadable.is_empty() {
        Status::info(format!(
            "{} coded segments in {} documents",
            v.result.found.len(),
            docs.len()
        ))
    } else {
        let names: Vec<String> = v
            .result
            .unreadable
            .iter()
            .map(|(n, e)| format!("{n} ({e})"))
            .collect();
        Status::error(format!(
            "{} coded segments; not searched, unreadable sets: {}",
            v.result.found.len(),
            names.join("; ")
        ))
    };
}

/// Opens the selected segment's document with its annotation selected.
fn open_selected(app: &mut MarginaliaApp) {
    let Some(c) = &mut app.corpus else { return };
    let Some(seg) = c
        .segments
        .as_ref()
        .and_then(|v| v.result.found.get(v.selected))
        .cloned()
    else {
        return;
    };
    if c.current == Some(seg.doc) {
        app.push(SelectionIntent::SelectAnnotation {
            id: seg.id,
            reveal: super::model::Reveal::InArticle,
        });
        return;
    }
    c.select_after_open = Some(seg.id);
    super::corpus::open_document(app, seg.doc);
}

/// Exports the result through the existing exporters: the documents
/// holding segments, each with only its segments' annotations.
fn export(app: &mut MarginaliaApp, format: ExportFormat) {
    let Some(c) = &app.corpus else { return };
    let Some(v) = &c.segments else { return };
    if v.result.found.is_empty() {
        app.status = Status::info("No coded segments to export: search first");
        return;
    }
    let sets = segments::sets_of(&c.corpus, &v.result.found);
    let opts = crate::paths::open_options(app.settings.legacy_encoding);
    let mut sessions = Vec::new();
    for (doc, set) in sets {
        let Some(d) = c.corpus.docs.get(doc) else {
            continue;
        };
        match Session::open(&d.path, &opts) {
            Ok((mut s, _)) => {
                s.set = set;
                sessions.push((d.rel.clone(), s));
            }
            Err(e) => {
                app.status = Status::error(format!("Not exported: {}: {e}", d.rel));
                return;
            }
        }
    }
    let suggested = c
        .corpus
        .root
        .join(format!("segments.{}", format.extension()));
    let dest = match app
        .dialogs
        .pick_export(Some(&suggested), format.extension(), false)
    {
        super::dialogs::DialogResult::Picked(p) => p,
        super::dialogs::DialogResult::Cancelled => return,
        super::dialogs::DialogResult::Unavailable => suggested,
    };
    let docs: Vec<ExportDoc> = sessions
        .iter()
        .map(|(name, s)| ExportDoc {
            name,
            text: &s.text,
            set: &s.set,
        })
        .collect();
    let n: usize = docs.iter().map(|d| d.set.annotations().len()).sum();
    app.status = match crate::core::export::export_to_path(
        format,
        &docs,
        &Filter::default(),
        &ExportOptions::default(),
        &dest,
    ) {
        Ok(_) => Status::info(format!("Exported {n} coded segments to {}", dest.display())),
        Err(e) => Status::error(format!("Not exported: {e}")),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::DocStatus;

    #[test]
    fn the_panels_fields_make_the_query() {
        let v = SegmentsView {
            coder: " ann ".into(),
            attribute: " outlet = Dawn ".into(),
            status: Some(DocStatus::Done),
            stance: Some(Stance::Oppose),
            date_from: "2012-07-01".into(),
            ..SegmentsView::default()
        };
        let q = v.query(&crate::core::codebook::Codebook::default());
        assert_eq!(q.coder.as_deref(), Some("ann"));
        assert_eq!(q.attribute, Some(("outlet".into(), "Dawn".into())));
        assert_eq!(q.status, Some(DocStatus::Done));
        assert_eq!(q.stance, Some(Stance::Oppose));
        assert_eq!(q.date_from.as_deref(), Some("2012-07-01"));
        assert!(q.date_to.is_none());
        // No name before "=": no attribute filter.
        let v = SegmentsView {
            attribute: "=Dawn".into(),
            ..SegmentsView::default()
        };
        assert!(v.query(&Default::default()).attribute.is_none());
    }
}
