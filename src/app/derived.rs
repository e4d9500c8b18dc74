//! State derived from the document and the view, kept in step in one
//! place: [`Derived::update`], called with the [`Touched`] of every
//! command, undo and redo (by `Workspace::changed`) and after a change of
//! the filter or the selection. Panels read it and never compare
//! generations themselves.
//!
//! Invariants:
//! - `index` holds exactly the spans of `set.annotations`, in the set's
//!   order: edits are patched in span by span, a large or unknown change
//!   rebuilds it (one linear pass).
//! - The codebook rows and the tag counts belong to the codebook they were
//!   built for; a changed codebook rebuilds the rows and recounts at once
//!   up to [`COUNT_AT_ONCE`] annotations, a larger set (or an edit of
//!   annotations alone) is recounted by [`Derived::tick`] over the next
//!   frames, at most [`COUNT_BUDGET`] per frame, the previous counts
//!   showing meanwhile (none, "…", for a new codebook).
//! - `filtered` lists the indexes (into `set.annotations`) the compiled
//!   filter matches, recomputed when the document or the filter changes.
//! - `selected` is the selected annotation's index in the set, or none.

use super::model::ViewState;
use crate::core::codebook::TagKind;
use crate::core::command::Touched;
use crate::core::filter::CompiledFilter;
use crate::core::index::SpanIndex;
use crate::core::set::AnnotationSet;
use crate::core::tag_counts::TagCounter;
use crate::core::text::Text;
use std::time::{Duration, Instant};

/// Sets up to this many annotations are counted at once when the codebook
/// changes; larger ones over the next frames.
pub const COUNT_AT_ONCE: usize = 5_000;
/// Time spent recounting per frame.
pub const COUNT_BUDGET: Duration = Duration::from_micros(1_000);
/// Annotations counted between two looks at the clock.
const COUNT_CHUNK: usize = 256;
/// Most changed spans patched into the span index before a rebuild is
/// cheaper.
const MAX_INDEX_PATCHES: usize = 64;
/// Deepest level of the codebook tree shown indented.
const MAX_DEPTH: usize = 16;

/// One row of the codebook panel's flattened tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodebookRow {
    /// The heading of a kind.
    Heading(TagKind),
    /// "no issues yet" under an empty kind.
    Empty(TagKind),
    /// A tag: index into `codebook.tags()`, depth in the tree.
    Tag {
        /// Index into `codebook.tags()`.
        idx: usize,
        /// Depth in the tree (0 for a root).
        depth: usize,
    },
}

/// What changed since the last update.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// The document, as a command, undo or redo reported it.
    Document(&'a Touched),
    /// The annotation filter.
    Filter,
    /// The selected annotation.
    Selection,
}

/// The derived state of one open document.
#[derive(Debug)]
pub struct Derived {
    index: SpanIndex,
    counter: TagCounter,
    counts: Option<Vec<usize>>,
    rows: Vec<CodebookRow>,
    filter: Option<CompiledFilter>,
    filtered: Option<Vec<usize>>,
    selected: Option<usize>,
    comments: Vec<(usize, usize)>,
}

impl Derived {
    /// Everything derived from `set` and `view` (counts at once up to
    /// [`COUNT_AT_ONCE`] annotations).
    pub fn new(text: &Text, set: &AnnotationSet, view: &ViewState) -> Derived {
        let mut d = Derived {
            index: SpanIndex::build(set.annotations()),
            counter: TagCounter::new(&set.codebook),
            counts: None,
            rows: Vec::new(),
            filter: None,
            filtered: None,
            selected: None,
            comments: crate::core::metadata::comment_ranges(text),
        };
        d.rebuild_codebook(set);
        d.update(set, view, Change::Filter);
        d.update(set, view, Change::Selection);
        d
    }

    /// Brings everything up to date after `change` (the one place);
    /// true when the codebook changed (the filter was compiled anew).
    pub fn update(&mut self, set: &AnnotationSet, view: &ViewState, change: Change<'_>) -> bool {
        let mut codebook_changed = false;
        match change {
            Change::Document(touched) => {
                self.patch_index(set, touched);
                if self.counter.tags() != set.codebook.tags() {
                    codebook_changed = true;
                    self.rebuild_codebook(set);
                    // A parent stands for its children: names may have moved.
                    self.filter = view
                        .filter
                        .is_active()
                        .then(|| view.filter.compile(&set.codebook));
                } else {
                    // The codebook is the same: recount over the next frames.
                    self.counter.restart();
                }
                self.refilter(set, view);
                self.reselect(set, view);
            }
            Change::Filter => {
                self.filter = view
                    .filter
                    .is_active()
                    .then(|| view.filter.compile(&set.codebook));
                self.refilter(set, view);
            }
            Change::Selection => self.reselect(set, view),
        }
        codebook_changed
    }

    /// Counts more annotations when a recount is under way, for at most
    /// [`COUNT_BUDGET`]; true when more work remains (ask for a repaint).
    pub fn tick(&mut self, set: &AnnotationSet) -> bool {
        if self.counter.is_done() {
            return false;
        }
        let done = self
            .counter
            .run_until(set, Instant::now() + COUNT_BUDGET, COUNT_CHUNK);
        if done {
            self.counts = self.counter.counts().map(<[usize]>::to_vec);
        }
        !done
    }

    /// True while a recount is under way (the counts shown may be old).
    pub fn is_counting(&self) -> bool {
        !self.counter.is_done()
    }

    /// The annotations' spans, in the set's order.
    pub fn index(&self) -> &SpanIndex {
        &self.index
    }

    /// The codebook panel's rows.
    pub fn rows(&self) -> &[CodebookRow] {
        &self.rows
    }

    /// Uses of tag `idx` (into `codebook.tags()`) with its children;
    /// `None` while counting.
    pub fn count(&self, idx: usize) -> Option<usize> {
        self.counts.as_ref().and_then(|c| c.get(idx).copied())
    }

    /// The filter compiled against the codebook, when one is active.
    pub fn filter(&self) -> Option<&CompiledFilter> {
        self.filter.as_ref()
    }

    /// The annotations the active filter matches (indexes into the set).
    pub fn filtered(&self) -> Option<&[usize]> {
        self.filtered.as_deref()
    }

    /// The selected annotation's index in the set.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Reader-comment ranges of the text (`core::metadata::comment_ranges`).
    pub fn comments(&self) -> &[(usize, usize)] {
        &self.comments
    }

    fn rebuild_codebook(&mut self, set: &AnnotationSet) {
        self.counter = TagCounter::new(&set.codebook);
        self.rows = tree_rows(&self.counter);
        self.counts = None;
        if set.annotations().len() <= COUNT_AT_ONCE {
            self.counter.step(set, usize::MAX);
            self.counts = self.counter.counts().map(<[usize]>::to_vec);
        }
    }

    fn patch_index(&mut self, set: &AnnotationSet, touched: &Touched) {
        let a = set.annotations();
        if touched.all || touched.ranges.len() > MAX_INDEX_PATCHES {
            self.index.rebuild(a);
            return;
        }
        let mut spans = touched.ranges.clone();
        spans.sort_unstable();
        spans.dedup();
        for (s, e) in spans {
            let lo = a.partition_point(|x| (x.start, x.end) < (s, e));
            let want = a[lo..].partition_point(|x| (x.start, x.end) <= (s, e));
            while self.index.remove(s, e).is_some() {}
            for _ in 0..want {
                self.index.insert(s, e);
            }
        }
        if self.index.len() != a.len() {
            self.index.rebuild(a);
        }
    }

    fn refilter(&mut self, set: &AnnotationSet, view: &ViewState) {
        if view.filter.is_active() && self.filter.is_none() {
            self.filter = Some(view.filter.compile(&set.codebook));
        }
        self.filtered = self.filter.as_ref().map(|f| {
            set.annotations()
                .iter()
                .enumerate()
                .filter(|(_, a)| f.matches(a))
                .map(|(i, _)| i)
                .collect()
        });
    }

    fn reselect(&mut self, set: &AnnotationSet, view: &ViewState) {
        self.selected = view.selected.as_deref().and_then(|id| set.index_of(id));
    }
}

/// The codebook as rows: per kind a heading, then each root tag followed
/// by its children (depth first, at most [`MAX_DEPTH`] levels), or "none".
fn tree_rows(counter: &TagCounter) -> Vec<CodebookRow> {
    let tags = counter.tags();
    let parent = counter.parents();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tags.len()];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    let mut rows = Vec::with_capacity(tags.len() + 4);
    for kind in [TagKind::Issue, TagKind::Actor] {
        rows.push(CodebookRow::Heading(kind));
        let before = rows.len();
        let mut stack: Vec<(usize, usize)> = tags
            .iter()
            .enumerate()
            .rev()
            .filter(|(i, t)| t.kind == kind && parent[*i].is_none())
            .map(|(i, _)| (i, 0))
            .collect();
        while let Some((idx, depth)) = stack.pop() {
            rows.push(CodebookRow::Tag { idx, depth });
            if depth < MAX_DEPTH {
                stack.extend(children[idx].iter().rev().map(|&c| (c, depth + 1)));
            }
        }
        if rows.len() == before {
            rows.push(CodebookRow::Empty(kind));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::command::{Command, EditContext, apply};
    use crate::core::set::SourceRef;

    fn set_with(text: &Text, n: usize) -> AnnotationSet {
        let mut set = AnnotationSet::new(SourceRef::default());
        let tag = set.codebook.new_tag(TagKind::Issue, "Routes");
        let cx = EditContext {
            text,
            now: "t",
            coder: None,
        };
        apply(&mut set, Command::CreateTag(tag), cx).unwrap();
        let mut adds = Vec::new();
        for k in 0..n {
            let start = (k * 7) % 9_000;
            let mut a = Annotation::new(format!("a{k:06}"), text, start, start + 4, "t");
            a.add_tag(TagKind::Issue, "Routes");
            adds.push(Command::AddAnnotation(a));
        }
        let batch = Command::Batch {
            label: "add".into(),
            commands: adds,
        };
        apply(&mut set, batch, cx).unwrap();
        set
    }

    #[test]
    fn small_sets_are_counted_at_once_large_ones_over_frames() {
        let text = Text::new("word ".repeat(2_000));
        let view = ViewState::default();
        let small = set_with(&text, COUNT_AT_ONCE);
        let d = Derived::new(&text, &small, &view);
        assert_eq!(d.count(0), Some(COUNT_AT_ONCE));

        let large = set_with(&text, COUNT_AT_ONCE + 1);
        let mut d = Derived::new(&text, &large, &view);
        assert_eq!(d.count(0), None, "no count in the first frame");
        let mut frames = 0;
        while d.tick(&large) {
            frames += 1;
            assert!(frames < 10_000);
        }
        assert_eq!(d.count(0), Some(COUNT_AT_ONCE + 1));
    }

    #[test]
    fn the_span_index_follows_every_edit() {
        let text = Text::new("one two three four five".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        let view = ViewState::default();
        let mut d = Derived::new(&text, &set, &view);
        let cx = EditContext {
            text: &text,
            now: "2026-01-01T00:00:00Z",
            coder: None,
        };
        for (s, e, del) in [
            (4, 7, None),
            (0, 3, None),
            (4, 7, None),
            (8, 13, Some("a1")),
        ] {
            let cmd = match del {
                Some(id) => Command::DeleteAnnotation { id: id.to_owned() },
                None => Command::AddAnnotation(Annotation::new(set.fresh_id(), &text, s, e, "t")),
            };
            let applied = apply(&mut set, cmd, cx).unwrap();
            d.update(&set, &view, Change::Document(&applied.touched));
            let want: Vec<_> = set.annotations().iter().map(|a| (a.start, a.end)).collect();
            let got: Vec<_> = d.index().spans().collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn an_edit_keeps_the_counts_shown_until_the_recount_ends() {
        let text = Text::new("word ".repeat(100));
        let view = ViewState::default();
        let mut set = set_with(&text, 3);
        let mut d = Derived::new(&text, &set, &view);
        assert_eq!(d.count(0), Some(3));
        let cx = EditContext {
            text: &text,
            now: "t",
            coder: None,
        };
        let applied = apply(
            &mut set,
            Command::DeleteAnnotation {
                id: "a000000".into(),
            },
            cx,
        )
        .unwrap();
        d.update(&set, &view, Change::Document(&applied.touched));
        assert_eq!(d.count(0), Some(3), "the old count shows meanwhile");
        while d.tick(&set) {}
        assert_eq!(d.count(0), Some(2));
    }
}
