//! The article view: the text, wrapped, with every annotation highlighted;
//! selection by mouse; virtualised so only visible blocks are laid out.
//!
//! Invariants:
//! - The text is split once per opened article into blocks (one per line,
//!   long lines cut at ~[`MAX_BLOCK_CHARS`] after a space). A block's
//!   displayed range excludes its line terminator (`\n` or `\r\n`).
//! - A block cut from the same line as the block before it (`cont`) goes
//!   on where that one's last row ends: its first row is indented by the
//!   x where the previous block's last row ends (`end_x`, known once that
//!   block was laid out, so continuation blocks are laid out in order), and
//!   it starts at the top of that row (the previous block's height leaves
//!   its last row out). A long line reads as one paragraph.
//! - Offsets are code points of the whole text, end excluded; a block maps
//!   a galley cursor index `i` (egui counts chars, i.e. code points) to
//!   `block.start + i`.
//! - Galleys are cached per block and depend only on (block text, wrap
//!   width, font size, theme): highlights are painted with the painter, so
//!   editing annotations never re-lays out text. Highlight shapes are cached
//!   per block and dropped for the blocks a command touched.
//! - Blocks never laid out have an estimated height; `tops` is the prefix
//!   sum of heights, recomputed only when a height changed.
//! - Finding the annotations of a block, of a click or of the pointer goes
//!   through a [`SpanIndex`] rebuilt when the document generation changes
//!   (one linear pass over the sorted spans): O(log n + k) per query.
//! - At most [`MAX_CACHED_BLOCKS`] galleys are kept: past that, the least
//!   recently drawn are dropped down to [`KEEP_CACHED_BLOCKS`] (the visible
//!   blocks are always the most recent), so memory stays bounded however
//!   far the article is scrolled.

use crate::app::workflow::WorkflowIntent;
use crate::app::{Intent, ViewState};
use crate::core::annotation::Annotation;
use crate::core::codebook::{Codebook, TagKind};
use crate::core::command::Touched;
use crate::core::filter::CompiledFilter;
use crate::core::index::SpanIndex;
use crate::core::session::Session;
use crate::core::set::AnnotationSet;
use crate::core::text::Text;
use egui::text::{CCursor, LayoutJob};
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, TextFormat, Vec2, pos2, vec2};
use std::collections::HashMap;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// Longest block, in code points, before a line is cut into several blocks.
pub const MAX_BLOCK_CHARS: usize = 4000;
/// Most galleys kept in the cache before the least recently drawn are
/// dropped.
pub const MAX_CACHED_BLOCKS: usize = 320;
/// Galleys kept after an eviction.
pub const KEEP_CACHED_BLOCKS: usize = 240;

/// Articles up to this many code points are laid out whole on their first
/// frame (about 5 ms for 11,000 characters), instead of block by block as
/// they scroll into view.
pub const PRELAYOUT_CHARS: usize = 20_000;
/// Horizontal margin around the text.
const MARGIN: f32 = 16.0;
/// Stripe height and gap for stacked underlines.
const STRIPE: f32 = 2.0;
const STRIPE_GAP: f32 = 1.0;
/// Most stripes drawn under one row (deeper overlaps share the last level).
const MAX_STRIPES: usize = 4;

/// One block of text: a line or part of a long line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// First code point.
    pub start: usize,
    /// End of the displayed text (code points, line terminator excluded).
    pub end: usize,
    byte_start: usize,
    byte_end: usize,
    /// Continues the previous block's line (a long line cut in blocks).
    pub cont: bool,
}

/// A cached piece of highlight: a rectangle relative to the galley origin.
#[derive(Debug, Clone, Copy)]
struct Deco {
    rect: Rect,
    color: Color32,
    /// Drawn as an outline (actors) instead of filled (tints, issue
    /// underlines), so kinds differ by shape, not colour alone.
    outline: bool,
}

struct CachedBlock {
    galley: Arc<Galley>,
    deco: Option<Vec<Deco>>,
    /// The frame ([`ArticleView::frame`]) that last used this galley.
    last_used: u64,
}

/// Layout parameters: any change drops every galley.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LayoutKey {
    wrap: f32,
    font_size: f32,
    dark: bool,
}

/// The view's runtime state (caches, scroll requests, drag state).
pub struct ArticleView {
    blocks: Vec<Block>,
    heights: Vec<f32>,
    /// Where each laid-out block's last row ends (x in the galley), for
    /// the continuation block after it; cleared when the wrap width or
    /// font size changes.
    end_x: Vec<Option<f32>>,
    laid_out: Vec<bool>,
    tops: Vec<f32>,
    tops_dirty: bool,
    cache: HashMap<usize, CachedBlock>,
    key: Option<LayoutKey>,
    /// The glyph atlas the cached galleys point into: its text options and
    /// its fill ratio after the last frame. egui drops the atlas when its
    /// options change (the theme) or it fills up; a cached galley then
    /// points at glyphs that are gone, so the cache is dropped with it.
    atlas: Option<(egui::epaint::text::TextOptions, f32)>,
    /// A short article has every block laid out with its highlight shapes
    /// (see [`PRELAYOUT_CHARS`]); cleared whenever a galley or a shape is
    /// dropped, so the whole pass runs only then, not on every frame.
    whole_done: bool,
    /// The annotations' spans, in the set's order.
    index: SpanIndex,
    /// Document generation `index` was built at.
    index_gen: Option<u64>,
    /// Spans changed since `index_gen` (from [`ArticleView::invalidate`]),
    /// reconciled one by one instead of rebuilding the index; `None` when
    /// only a rebuild will do (everything may have changed).
    index_changes: Option<Vec<(usize, usize)>>,
    /// Number of [`ArticleView::invalidate`] calls since `index_gen`: the
    /// index is patched only when that accounts for every generation step.
    index_steps: u64,
    /// The selected annotation's position in the set, for a document
    /// generation and an id.
    selected_pos: Option<(u64, String, Option<usize>)>,
    /// Frames drawn (for the galley cache's eviction order).
    frame: u64,
    pending_scroll: Option<(usize, u8)>,
    /// A Page Down (`true`) or Page Up waiting for the next frame.
    pending_page: Option<bool>,
    /// The scroll offset of the last frame.
    scroll_y: f32,
    drag_anchor: Option<usize>,
    viewport_h: f32,
    visible: (usize, usize),
    content_min: Pos2,
    /// Screen position just below the selection's end (anchor for the tag
    /// popup), when visible in the last frame.
    pub selection_anchor: Option<Pos2>,
    /// Screen rectangle of the view in the last frame.
    pub screen_rect: Option<Rect>,
    /// Reader-comment ranges (`core::metadata::comment_ranges`), computed
    /// on first draw.
    comments: Option<Vec<(usize, usize)>>,
}

impl Default for ArticleView {
    fn default() -> Self {
        ArticleView::new(&Text::new(String::new()))
    }
}

impl ArticleView {
    /// A view of `text` (splits it into blocks: one pass over the lines).
    pub fn new(text: &Text) -> ArticleView {
        let blocks = split_blocks(text);
        let n = blocks.len();
        ArticleView {
            blocks,
            heights: vec![20.0; n],
            end_x: vec![None; n],
            laid_out: vec![false; n],
            tops: Vec::new(),
            tops_dirty: true,
            cache: HashMap::new(),
            key: None,
            atlas: None,
            whole_done: false,
            index: SpanIndex::default(),
            index_gen: None,
            index_changes: Some(Vec::new()),
            index_steps: 0,
            selected_pos: None,
            frame: 0,
            // A new article starts at its top, whatever egui remembered.
            pending_scroll: Some((0, 1)),
            pending_page: None,
            scroll_y: 0.0,
            drag_anchor: None,
            viewport_h: 600.0,
            visible: (0, 0),
            content_min: Pos2::ZERO,
            selection_anchor: None,
            screen_rect: None,
            comments: None,
        }
    }

    /// The blocks of the text.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Number of blocks with a cached galley (for tests and benchmarks).
    pub fn cached_blocks(&self) -> usize {
        self.cache.len()
    }

    /// Drops the highlight shapes of the blocks a command touched.
    pub fn invalidate(&mut self, touched: &Touched) {
        self.index_steps += 1;
        match &mut self.index_changes {
            Some(c) if !touched.all && c.len() + touched.ranges.len() <= MAX_INDEX_PATCHES => {
                c.extend_from_slice(&touched.ranges);
            }
            _ => self.index_changes = None,
        }
        if touched.all {
            self.invalidate_all();
            return;
        }
        for &(s, e) in &touched.ranges {
            let first = self.block_of(s);
            let last = self.block_of(e.saturating_sub(1).max(s));
            for b in first..=last {
                if let Some(c) = self.cache.get_mut(&b) {
                    c.deco = None;
                    self.whole_done = false;
                }
            }
        }
    }

    /// Drops every cached highlight shape (e.g. a tag was recoloured).
    pub fn invalidate_all(&mut self) {
        for c in self.cache.values_mut() {
            c.deco = None;
        }
        self.whole_done = false;
    }

    /// Scrolls so that code point `cp` is visible (a third from the top).
    pub fn scroll_to(&mut self, cp: usize) {
        self.pending_scroll = Some((cp, 3));
    }

    /// The font size the article was last laid out at (points).
    pub fn font_size(&self) -> Option<f32> {
        self.key.map(|k| k.font_size)
    }

    /// The vertical scroll offset of the last frame (points).
    pub fn scroll_offset(&self) -> f32 {
        self.scroll_y
    }

    /// Scrolls a screen down (`true`) or up on the next frame, moving the
    /// cursor with the text so it keeps its place on the screen (to the
    /// article's end or start when there is nothing more to scroll).
    pub fn page(&mut self, down: bool) {
        self.pending_page = Some(down);
    }

    /// Screen position (middle of the row, left of the character) of code
    /// point `cp` in the last frame, if its block is laid out.
    pub fn screen_pos_of(&self, cp: usize) -> Option<Pos2> {
        let b = self.block_of(cp);
        let c = self.cache.get(&b)?;
        let top = *self.tops.get(b)?;
        let local = cp.checked_sub(self.blocks[b].start)?;
        let r = c.galley.pos_from_cursor(caret_cursor(local));
        Some(self.content_min + vec2(MARGIN + r.min.x, top + r.center().y))
    }

    /// The block holding code point `cp` (the last block for `cp` at the end).
    pub fn block_of(&self, cp: usize) -> usize {
        self.blocks
            .partition_point(|b| b.start <= cp)
            .saturating_sub(1)
    }

    fn block_text<'t>(&self, text: &'t Text, b: usize) -> &'t str {
        let bl = &self.blocks[b];
        text.as_str()
            .get(bl.byte_start..bl.byte_end)
            .unwrap_or_default()
    }

    fn ensure_tops(&mut self) {
        if !self.tops_dirty && self.tops.len() == self.blocks.len() + 1 {
            return;
        }
        self.tops.clear();
        self.tops.reserve(self.blocks.len() + 1);
        let mut y = 0.0;
        self.tops.push(0.0);
        for h in &self.heights {
            y += h;
            self.tops.push(y);
        }
        self.tops_dirty = false;
    }

    fn block_at_y(&self, y: f32) -> usize {
        let n = self.blocks.len();
        self.tops[..n]
            .partition_point(|t| *t <= y)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    fn set_key(&mut self, key: LayoutKey, line_h: f32) {
        if self.key == Some(key) {
            return;
        }
        let font_changed = self.key.is_none_or(|k| k.font_size != key.font_size);
        let wrap_changed = self.key.is_none_or(|k| k.wrap != key.wrap);
        self.key = Some(key);
        self.cache.clear();
        self.whole_done = false;
        if font_changed || wrap_changed {
            let cpr = (key.wrap / (key.font_size * 0.5)).max(1.0);
            for (i, b) in self.blocks.iter().enumerate() {
                self.end_x[i] = None;
                if !self.laid_out[i] || font_changed {
                    let rows = (((b.end - b.start) as f32) / cpr).ceil().max(1.0);
                    self.heights[i] = rows * line_h;
                    self.laid_out[i] = false;
                }
            }
            self.tops_dirty = true;
        }
    }

    /// Lays out block `b` if needed; returns its galley.
    fn galley(&mut self, ui: &egui::Ui, text: &Text, b: usize) -> Arc<Galley> {
        if let Some(c) = self.cache.get_mut(&b) {
            c.last_used = self.frame;
            return c.galley.clone();
        }
        let galley = self.layout_block(ui, text, b);
        if self.key.is_some() {
            self.cache.insert(
                b,
                CachedBlock {
                    galley: galley.clone(),
                    deco: None,
                    last_used: self.frame,
                },
            );
        }
        galley
    }

    /// Lays out block `b` (not cached): records its height and where its
    /// last row ends.
    fn layout_block(&mut self, ui: &egui::Ui, text: &Text, b: usize) -> Arc<Galley> {
        let Some(key) = self.key else {
            return ui
                .painter()
                .layout_no_wrap(String::new(), FontId::default(), Color32::WHITE);
        };
        let line_h = line_height(key.font_size);
        // A continuation goes on where the previous block's last row ends:
        // lay out the blocks before it in its line first when needed.
        let lead = if b > 0 && self.blocks[b].cont {
            if self.end_x[b - 1].is_none() {
                let mut k = b - 1;
                while k > 0 && self.blocks[k].cont && self.end_x[k - 1].is_none() {
                    k -= 1;
                }
                // Only where each row ends is needed: the galleys of these
                // (maybe off-screen) blocks are not kept.
                for j in k..b {
                    if self.end_x[j].is_none() {
                        self.layout_block(ui, text, j);
                    }
                }
            }
            self.end_x[b - 1].unwrap_or(0.0)
        } else {
            0.0
        };
        let s = self.block_text(text, b).to_owned();
        let mut job = LayoutJob::single_section(
            s,
            TextFormat {
                font_id: FontId::proportional(key.font_size),
                color: ui.visuals().text_color(),
                line_height: Some(line_h),
                ..Default::default()
            },
        );
        job.wrap.max_width = key.wrap;
        if let Some(section) = job.sections.first_mut() {
            section.leading_space = lead;
        }
        let galley = ui.painter().layout_job(job);
        let last_row = galley.rows.last().map(|r| r.rect());
        self.end_x[b] = Some(last_row.map_or(lead, |r| r.max.x));
        let mut h = galley.size().y.max(line_h);
        if self.blocks.get(b + 1).is_some_and(|n| n.cont) {
            // The next block starts on this block's last row.
            h -= last_row.map_or(line_h, |r| r.height());
        }
        if self.heights[b] != h {
            self.heights[b] = h;
            self.tops_dirty = true;
        }
        self.laid_out[b] = true;
        galley
    }

    /// Code point under a position in content coordinates.
    fn cp_at(&mut self, ui: &egui::Ui, text: &Text, content_pos: Pos2) -> usize {
        if self.blocks.is_empty() {
            return 0;
        }
        self.ensure_tops();
        let mut b = self.block_at_y(content_pos.y);
        let mut galley = self.galley(ui, text, b);
        self.ensure_tops();
        let mut local = vec2(content_pos.x - MARGIN, content_pos.y - self.tops[b]);
        // Left of a continuation's first row is the previous block's text.
        while b > 0
            && self.blocks[b].cont
            && galley
                .rows
                .first()
                .is_some_and(|r| local.y < r.rect().max.y)
            && self.end_x[b - 1].is_some_and(|x| local.x < x)
        {
            b -= 1;
            galley = self.galley(ui, text, b);
            self.ensure_tops();
            local = vec2(content_pos.x - MARGIN, content_pos.y - self.tops[b]);
        }
        let c = galley.cursor_from_pos(local);
        let bl = self.blocks[b];
        (bl.start + c.index.0).min(bl.end)
    }
}

/// Row height for a font size (room below the text for stacked stripes).
fn line_height(font_size: f32) -> f32 {
    (font_size * 1.45 + (STRIPE + STRIPE_GAP) * 2.0).round()
}

/// A cursor for the caret at a block-local offset: at a wrapped row break
/// it sits at the start of the next row, where typing would continue.
fn caret_cursor(local: usize) -> CCursor {
    CCursor {
        prefer_next_row: true,
        ..CCursor::new(local)
    }
}

/// Splits the text into blocks (see the module invariants).
fn split_blocks(text: &Text) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(text.line_count());
    for line in 0..text.line_count() {
        let start = text.line_start(line);
        let end = text.line_end(line);
        if line + 1 == text.line_count() && start == end && line > 0 {
            // The empty "line" after a final newline: no block of its own.
            break;
        }
        let mut s = start;
        loop {
            let mut e = end;
            if end - s > MAX_BLOCK_CHARS {
                e = s + MAX_BLOCK_CHARS;
                // Cut after a space when there is one in the last quarter.
                let window = text.slice(s + MAX_BLOCK_CHARS * 3 / 4, e);
                if let Some(i) = window.rfind(' ') {
                    e = s + MAX_BLOCK_CHARS * 3 / 4 + window[..=i].chars().count();
                } else if let Some((i, _)) = window.grapheme_indices(true).next_back() {
                    // No space (e.g. CJK): never cut a character cluster.
                    e = s + MAX_BLOCK_CHARS * 3 / 4 + window[..i].chars().count();
                }
            }
            blocks.push(Block {
                start: s,
                end: e,
                byte_start: text.char_to_byte(s),
                byte_end: text.char_to_byte(e),
                cont: s != start,
            });
            if e >= end {
                break;
            }
            s = e;
        }
    }
    if blocks.is_empty() {
        blocks.push(Block {
            start: 0,
            end: 0,
            byte_start: 0,
            byte_end: 0,
            cont: false,
        });
    }
    blocks
}

/// Indexes (into `set.annotations`) of the annotations overlapping
/// `[start, end)` (or containing `start` when the range is empty), in the
/// set's order, through the span index built from that set.
/// O(log n + k).
pub fn overlapping(set: &AnnotationSet, index: &SpanIndex, start: usize, end: usize) -> Vec<usize> {
    let n = set.annotations.len();
    index.overlapping(start, end).filter(|&i| i < n).collect()
}

/// The colour of an annotation: its first issue's, else its first actor's.
pub fn annotation_color(cb: &Codebook, a: &Annotation) -> Color32 {
    let tag = a
        .issues
        .first()
        .and_then(|n| cb.get(TagKind::Issue, n))
        .or_else(|| a.actors.first().and_then(|n| cb.get(TagKind::Actor, n)));
    match tag {
        Some(t) => Color32::from_rgb(t.color.0[0], t.color.0[1], t.color.0[2]),
        None => Color32::GRAY,
    }
}

/// Rectangles (galley coordinates) covering chars `lo..hi` of a galley.
pub fn range_rects(galley: &Galley, lo: usize, hi: usize) -> Vec<Rect> {
    let mut out = Vec::new();
    if hi <= lo {
        return out;
    }
    let a = galley.pos_from_cursor(CCursor {
        index: egui::text::CharIndex(lo),
        prefer_next_row: true,
    });
    let b = galley.pos_from_cursor(CCursor::new(hi));
    for row in &galley.rows {
        let r = row.rect();
        if r.max.y <= a.min.y + 0.5 || r.min.y >= b.max.y - 0.5 {
            continue;
        }
        let first = (r.min.y - a.min.y).abs() < 0.5;
        let last = (r.min.y - b.min.y).abs() < 0.5;
        let x0 = if first { a.min.x } else { r.min.x };
        let x1 = if last { b.min.x } else { r.max.x };
        if x1 > x0 {
            out.push(Rect::from_x_y_ranges(x0..=x1, r.min.y..=r.max.y));
        }
    }
    out
}

fn block_deco(
    set: &AnnotationSet,
    index: &SpanIndex,
    block: Block,
    galley: &Galley,
    font_size: f32,
    dark: bool,
    dim: Option<&CompiledFilter>,
) -> Vec<Deco> {
    let idx = overlapping(set, index, block.start, block.end.max(block.start + 1));
    let mut tints = Vec::new();
    let mut stripes = Vec::new();
    let mut frames = Vec::new();
    let mut level_ends: Vec<usize> = Vec::new();
    let text_h = font_size * 1.25;
    for i in idx {
        let a = &set.annotations[i];
        let level = match level_ends.iter().position(|e| *e <= a.start) {
            Some(l) => {
                level_ends[l] = a.end;
                l
            }
            None => {
                level_ends.push(a.end);
                level_ends.len() - 1
            }
        };
        let dimmed = dim.is_some_and(|f| !f.matches(a));
        let fade = |c: Color32| if dimmed { c.gamma_multiply(0.18) } else { c };
        let color = fade(annotation_color(&set.codebook, a));
        let issue_color = a
            .issues
            .first()
            .and_then(|n| set.codebook.get(TagKind::Issue, n))
            .map(|t| fade(Color32::from_rgb(t.color.0[0], t.color.0[1], t.color.0[2])));
        let actor_color = a
            .actors
            .first()
            .and_then(|n| set.codebook.get(TagKind::Actor, n))
            .map(|t| fade(Color32::from_rgb(t.color.0[0], t.color.0[1], t.color.0[2])));
        let lo = a.start.max(block.start) - block.start;
        let hi = a.end.min(block.end).saturating_sub(block.start);
        let alpha = if dark { 40 } else { 48 };
        let tint = Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), alpha);
        for r in range_rects(galley, lo, hi) {
            let top = r.min.y + 1.0;
            let text_rect = Rect::from_x_y_ranges(r.x_range(), top..=top + text_h);
            tints.push(Deco {
                rect: text_rect,
                color: tint,
                outline: false,
            });
            // Issues: an underline stripe; actors: a box outline.
            let untagged = issue_color.is_none() && actor_color.is_none();
            if let Some(c) = issue_color.or(untagged.then_some(color)) {
                let y =
                    top + text_h + 1.0 + level.min(MAX_STRIPES - 1) as f32 * (STRIPE + STRIPE_GAP);
                stripes.push(Deco {
                    rect: Rect::from_x_y_ranges(r.x_range(), y..=y + STRIPE),
                    color: c,
                    outline: false,
                });
            }
            if let Some(c) = actor_color {
                frames.push(Deco {
                    rect: text_rect,
                    color: c,
                    outline: true,
                });
            }
        }
    }
    tints.extend(stripes);
    tints.extend(frames);
    tints
}

/// Most changed spans patched into the span index before a rebuild is
/// cheaper.
const MAX_INDEX_PATCHES: usize = 64;

/// Brings `view.index` up to date with `set` at generation `doc_gen`: by
/// reconciling the count of each changed span (one edit costs a few
/// binary searches and memmoves of plain integers) when every step since
/// the index was built came through [`ArticleView::invalidate`], by a
/// rebuild otherwise or when the patched index disagrees in length.
fn sync_index(view: &mut ArticleView, set: &AnnotationSet, doc_gen: u64) {
    let patchable = view
        .index_gen
        .is_some_and(|g| g.checked_add(view.index_steps) == Some(doc_gen));
    let mut patched = false;
    if patchable && let Some(mut spans) = view.index_changes.take() {
        spans.sort_unstable();
        spans.dedup();
        let a = &set.annotations;
        for (s, e) in spans {
            let lo = a.partition_point(|x| (x.start, x.end) < (s, e));
            let want = a[lo..].partition_point(|x| (x.start, x.end) <= (s, e));
            while view.index.remove(s, e).is_some() {}
            for _ in 0..want {
                view.index.insert(s, e);
            }
        }
        patched = view.index.len() == a.len();
    }
    if !patched {
        view.index.rebuild(&set.annotations);
    }
    view.index_gen = Some(doc_gen);
    view.index_changes = Some(Vec::new());
    view.index_steps = 0;
}

/// Draws the article view and emits selection intents.
pub fn article_view_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &ViewState,
    doc_gen: u64,
    view: &mut ArticleView,
    intents: &mut Vec<Intent>,
) {
    let text = &session.text;
    let set = &session.set;
    if view.index_gen != Some(doc_gen) || view.index.len() != set.annotations.len() {
        sync_index(view, set, doc_gen);
    }
    view.frame += 1;
    let (atlas_options, atlas_fill) = ui
        .ctx()
        .fonts(|f| (*f.options(), f.font_atlas_fill_ratio()));
    if view
        .atlas
        .is_some_and(|(o, fill)| o != atlas_options || atlas_fill < fill)
    {
        // A new atlas: the galleys' glyphs are gone (heights stay valid).
        view.cache.clear();
        view.whole_done = false;
    }
    let selected = match state.selected.as_deref() {
        Some(id) => {
            let known = view
                .selected_pos
                .as_ref()
                .filter(|(g, sid, _)| *g == doc_gen && sid == id)
                .map(|(_, _, pos)| *pos);
            let pos = match known {
                Some(pos) => pos,
                None => {
                    let pos = set.index_of(id);
                    view.selected_pos = Some((doc_gen, id.to_owned(), pos));
                    pos
                }
            };
            pos.and_then(|i| set.annotations.get(i))
                .filter(|a| a.id == id)
        }
        None => None,
    };
    let font_size = (state.font_size * state.zoom).clamp(6.0, 60.0);
    let line_h = line_height(font_size);
    let dark = ui.visuals().dark_mode;
    let wrap = (ui.available_width() - 2.0 * MARGIN - 12.0)
        .max(80.0)
        .round();
    view.set_key(
        LayoutKey {
            wrap,
            font_size,
            dark,
        },
        line_h,
    );
    view.ensure_tops();

    let mut area = egui::ScrollArea::vertical()
        .id_salt("article_scroll")
        .auto_shrink(false);
    if let Some((cp, frames)) = view.pending_scroll {
        let b = view.block_of(cp);
        let g = view.galley(ui, text, b);
        view.ensure_tops();
        let local_y = g
            .pos_from_cursor(CCursor::new(cp.saturating_sub(view.blocks[b].start)))
            .min
            .y;
        let max_off = (view.tops[view.blocks.len()] - view.viewport_h).max(0.0);
        let y = (view.tops[b] + local_y - view.viewport_h / 3.0).clamp(0.0, max_off);
        area = area.vertical_scroll_offset(y);
        view.pending_scroll = if frames > 1 {
            Some((cp, frames - 1))
        } else {
            None
        };
    }

    if let Some(down) = view.pending_page.take()
        && !view.blocks.is_empty()
    {
        view.ensure_tops();
        let total = view.tops[view.blocks.len()];
        let step = (view.viewport_h - line_h).max(line_h);
        let max_off = (total - view.viewport_h).max(0.0);
        let cur = view.scroll_y.min(max_off);
        let off = (cur + if down { step } else { -step }).clamp(0.0, max_off);
        let moved = off - cur;
        area = area.vertical_scroll_offset(off);
        // The cursor keeps its place on the screen (or takes the top third
        // when it was off screen).
        let caret = state
            .caret
            .or(state.selection.map(|s| s.head))
            .unwrap_or(0)
            .min(text.len_chars());
        let b = view.block_of(caret);
        let g = view.galley(ui, text, b);
        view.ensure_tops();
        let r = g.pos_from_cursor(caret_cursor(caret.saturating_sub(view.blocks[b].start)));
        let mut from = pos2(MARGIN + r.min.x, view.tops[b] + r.center().y);
        if from.y < view.scroll_y || from.y > view.scroll_y + view.viewport_h {
            from = pos2(MARGIN, view.scroll_y + view.viewport_h / 3.0);
        }
        let target = from.y + moved;
        let cp = if moved.abs() < 0.5 || target >= total || target < 0.0 {
            // Nothing more to scroll, or the text ends first.
            if down { text.len_chars() } else { 0 }
        } else {
            // Never on a row cut by the view's edges.
            let y = target.clamp(
                off + line_h * 0.75,
                (off + view.viewport_h - line_h * 0.75).max(off + line_h * 0.75),
            );
            view.cp_at(ui, text, pos2(from.x, y))
        };
        intents.push(Intent::SetSelection {
            anchor: cp,
            head: cp,
        });
    }

    let visuals = ui.visuals().clone();
    view.selection_anchor = None;
    if view.comments.is_none() {
        view.comments = Some(crate::core::metadata::comment_ranges(text));
    }
    area.show_viewport(ui, |ui, viewport| {
        view.viewport_h = viewport.height();
        view.scroll_y = viewport.min.y;
        let content_min = ui.max_rect().min;
        view.content_min = content_min;
        // Lay out the visible blocks (heights may change: repeat until stable).
        let mut range = (0, 0);
        for _ in 0..3 {
            view.ensure_tops();
            let first = view.block_at_y(viewport.min.y);
            let last = view.block_at_y(viewport.max.y);
            range = (first, last);
            for b in first..=last {
                view.galley(ui, text, b);
            }
            if !view.tops_dirty {
                break;
            }
        }
        let dim = if state.show_only {
            state.filter_compiled.as_ref()
        } else {
            None
        };
        // A short article is laid out and its highlight shapes built whole
        // (a few ms, once), so scrolling it never does either again.
        if !view.whole_done
            && text.len_chars() <= PRELAYOUT_CHARS
            && view.blocks.len() <= KEEP_CACHED_BLOCKS
        {
            view.whole_done = true;
            for b in 0..view.blocks.len() {
                let galley = view.galley(ui, text, b);
                let block = view.blocks[b];
                if let Some(entry) = view.cache.get_mut(&b)
                    && entry.deco.is_none()
                {
                    entry.deco = Some(block_deco(
                        set,
                        &view.index,
                        block,
                        &galley,
                        font_size,
                        dark,
                        dim,
                    ));
                }
            }
        }
        view.ensure_tops();
        let total = view.tops[view.blocks.len()];
        let width = ui.available_width();
        let (rect, response) = ui.allocate_exact_size(
            vec2(width, total.max(viewport.height())),
            Sense::click_and_drag(),
        );
        view.screen_rect = Some(ui.clip_rect());
        let painter = ui.painter_at(ui.clip_rect());

        let sel = state.selection.map(|s| s.range());
        let sel_fill = visuals.selection.bg_fill.gamma_multiply(0.55);
        let find_fill = Color32::from_rgba_unmultiplied(255, 200, 0, 90);
        let current_find = Color32::from_rgba_unmultiplied(255, 140, 0, 150);
        let (first, last) = range;
        for b in first..=last.min(view.blocks.len() - 1) {
            let block = view.blocks[b];
            let origin = content_min + vec2(MARGIN, view.tops[b]);
            let galley = view.galley(ui, text, b);
            // Cached highlight shapes.
            let Some(entry) = view.cache.get_mut(&b) else {
                continue;
            };
            let deco = entry.deco.get_or_insert_with(|| {
                block_deco(set, &view.index, block, &galley, font_size, dark, dim)
            });
            for d in deco.iter() {
                if d.outline {
                    painter.rect_stroke(
                        d.rect.translate(origin.to_vec2()),
                        1.0,
                        Stroke::new(1.2, d.color),
                        egui::StrokeKind::Inside,
                    );
                } else {
                    painter.rect_filled(d.rect.translate(origin.to_vec2()), 0.0, d.color);
                }
            }
            // Find matches.
            let m_lo = state.find_matches.partition_point(|m| m.1 <= block.start);
            for (k, m) in state.find_matches[m_lo..].iter().enumerate() {
                if m.0 >= block.end.max(block.start + 1) {
                    break;
                }
                let fill = if state.find_current == Some(m_lo + k) {
                    current_find
                } else {
                    find_fill
                };
                let lo = m.0.max(block.start) - block.start;
                let hi = m.1.min(block.end).saturating_sub(block.start);
                for r in range_rects(&galley, lo, hi) {
                    painter.rect_filled(r.translate(origin.to_vec2()), 2.0, fill);
                }
            }
            // Selection.
            if let Some((s, e)) = sel {
                if s < block.end.max(block.start + 1) && e > block.start {
                    let lo = s.max(block.start) - block.start;
                    let hi = e.min(block.end).saturating_sub(block.start);
                    for r in range_rects(&galley, lo, hi) {
                        painter.rect_filled(r.translate(origin.to_vec2()), 0.0, sel_fill);
                    }
                }
                if e >= block.start && e <= block.end {
                    let p = galley.pos_from_cursor(CCursor::new(e - block.start));
                    let pos = origin + p.left_bottom().to_vec2();
                    if ui.clip_rect().contains(pos) {
                        view.selection_anchor = Some(pos);
                    }
                }
            }
            painter.galley(origin, galley.clone(), visuals.text_color());
            // The caret (an empty selection).
            if let Some(sl) = state.selection
                && sl.is_empty()
                && sl.head >= block.start
                && sl.head <= block.end
            {
                let r = galley.pos_from_cursor(caret_cursor(sl.head - block.start));
                let r = r.translate(origin.to_vec2());
                painter.line_segment(
                    [r.left_top(), r.left_bottom()],
                    Stroke::new(2.0, visuals.text_cursor.stroke.color),
                );
                if ui.clip_rect().contains(r.left_bottom()) {
                    view.selection_anchor = Some(r.left_bottom());
                }
            }
            // Reader comments: dimmed, labelled.
            if let Some(comments) = &view.comments {
                let c_lo = comments.partition_point(|c| c.1 <= block.start);
                for &(cs, ce) in &comments[c_lo..] {
                    if cs >= block.end.max(block.start + 1) {
                        break;
                    }
                    let lo = cs.max(block.start) - block.start;
                    let hi = ce.min(block.end).saturating_sub(block.start);
                    let veil = visuals.panel_fill.gamma_multiply(0.55);
                    for r in range_rects(&galley, lo, hi) {
                        painter.rect_filled(r.translate(origin.to_vec2()), 0.0, veil);
                    }
                    if cs >= block.start {
                        painter.text(
                            origin + vec2(-MARGIN + 2.0, -2.0),
                            egui::Align2::LEFT_BOTTOM,
                            "reader comments",
                            FontId::proportional((font_size * 0.7).max(8.0)),
                            visuals.weak_text_color(),
                        );
                    }
                }
            }
            // The selected annotation: a frame in its colour.
            if let Some(a) = selected
                && a.start < block.end.max(block.start + 1)
                && a.end > block.start
            {
                let color = annotation_color(&set.codebook, a);
                let lo = a.start.max(block.start) - block.start;
                let hi = a.end.min(block.end).saturating_sub(block.start);
                for r in range_rects(&galley, lo, hi) {
                    painter.rect_stroke(
                        r.translate(origin.to_vec2()).shrink(0.5),
                        2.0,
                        Stroke::new(2.0, color),
                        egui::StrokeKind::Inside,
                    );
                }
            }
        }

        // Pointer: drag to select, double-click for a word, click to pick an
        // annotation.
        let to_content = |p: Pos2| pos2(p.x - content_min.x, p.y - content_min.y);
        if response.drag_started()
            && let Some(p) = ui.input(|i| i.pointer.press_origin())
        {
            let cp = view.cp_at(ui, text, to_content(p));
            view.drag_anchor = Some(cp);
        }
        if response.dragged()
            && let (Some(anchor), Some(p)) = (view.drag_anchor, response.interact_pointer_pos())
        {
            let head = view.cp_at(ui, text, to_content(p));
            // Snap to whole words unless Alt is held.
            let (anchor, head) = if ui.input(|i| i.modifiers.alt) || anchor == head {
                (anchor, head)
            } else {
                let (s, e) = crate::core::words::snap_to_words(text, anchor, head);
                if head < anchor { (e, s) } else { (s, e) }
            };
            intents.push(Intent::SetSelection { anchor, head });
            // Auto-scroll at the edges.
            let clip = ui.clip_rect();
            let dy = if p.y < clip.top() + 10.0 {
                (clip.top() + 10.0 - p.y).min(40.0)
            } else if p.y > clip.bottom() - 10.0 {
                -(p.y - clip.bottom() + 10.0).min(40.0)
            } else {
                0.0
            };
            if dy != 0.0 {
                ui.scroll_with_delta(Vec2::new(0.0, dy));
                ui.ctx().request_repaint();
            }
        }
        if response.drag_stopped() {
            view.drag_anchor = None;
        }
        if response.double_clicked() {
            if let Some(p) = response.interact_pointer_pos() {
                let cp = view.cp_at(ui, text, to_content(p));
                let (s, e) = crate::core::words::word_at(text, cp);
                if e > s {
                    intents.push(Intent::SetSelection { anchor: s, head: e });
                }
            }
        } else if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            let cp = view.cp_at(ui, text, to_content(p));
            let hit = overlapping(set, &view.index, cp, cp)
                .into_iter()
                .map(|i| &set.annotations[i])
                .min_by_key(|a| a.end - a.start);
            match hit {
                Some(a) => intents.push(Intent::SelectAnnotation(Some(a.id.clone()), false)),
                None => intents.push(Intent::SetSelection {
                    anchor: cp,
                    head: cp,
                }),
            }
            intents.push(Intent::Workflow(WorkflowIntent::SetCaret(cp)));
        }
        // Hover: a text label (tags, stance, note) for the highlights.
        if response.hovered()
            && view.drag_anchor.is_none()
            && let Some(p) = response.hover_pos()
        {
            let cp = view.cp_at(ui, text, to_content(p));
            let tip = hover_text(set, &view.index, cp);
            if !tip.is_empty() {
                response.clone().on_hover_text_at_pointer(tip);
            }
        }
        let _ = rect;
        view.visible = range;
    });
    view.atlas = Some((atlas_options, ui.ctx().fonts(|f| f.font_atlas_fill_ratio())));

    // Keep the cache bounded: drop the least recently drawn galleys.
    if view.cache.len() > MAX_CACHED_BLOCKS {
        let mut ages: Vec<u64> = view.cache.values().map(|c| c.last_used).collect();
        ages.sort_unstable();
        let cutoff = ages[ages.len() - KEEP_CACHED_BLOCKS];
        let now = view.frame;
        view.cache
            .retain(|_, c| c.last_used >= cutoff || c.last_used == now);
    }
}

/// The hover label of the annotations at code point `cp`: one line per
/// annotation, `issue: …; actor: …; stance: …`, then its note.
pub fn hover_text(set: &AnnotationSet, index: &SpanIndex, cp: usize) -> String {
    let mut lines = Vec::new();
    for i in overlapping(set, index, cp, cp).into_iter().take(6) {
        let a = &set.annotations[i];
        let mut parts = Vec::new();
        for n in &a.issues {
            parts.push(format!("issue: {n}"));
        }
        for n in &a.actors {
            parts.push(format!("actor: {n}"));
        }
        if parts.is_empty() {
            parts.push("untagged".to_owned());
        }
        if let Some(s) = a.stance {
            parts.push(format!("stance: {}", s.as_str()));
        }
        lines.push(parts.join("; "));
        if let Some(n) = &a.note {
            lines.push(format!("  note: {n}"));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_index_is_patched_by_edits_and_matches_the_set() {
        use crate::core::command::{Command, EditContext, apply};
        use crate::core::set::SourceRef;
        let text = Text::new("one two three four five".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        let mut view = ArticleView::new(&text);
        let cx = || EditContext {
            text: &text,
            now: "2026-01-01T00:00:00Z",
        };
        let mut generation = 0;
        sync_index(&mut view, &set, generation);
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
            let applied = apply(&mut set, cmd, cx()).unwrap();
            view.invalidate(&applied.touched);
            generation += 1;
            sync_index(&mut view, &set, generation);
            let want: Vec<_> = set.annotations.iter().map(|a| (a.start, a.end)).collect();
            let got: Vec<_> = view.index.spans().collect();
            assert_eq!(got, want);
        }
        // A generation step that did not come through `invalidate` rebuilds.
        set.annotations.clear();
        set.reindex();
        sync_index(&mut view, &set, generation + 1);
        assert_eq!(view.index.len(), 0);
    }

    #[test]
    fn blocks_follow_lines_and_skip_terminators() {
        let t = Text::new("ab\r\n\r\ncé\nd".to_owned());
        let b = split_blocks(&t);
        let ranges: Vec<_> = b.iter().map(|b| (b.start, b.end)).collect();
        assert_eq!(ranges, [(0, 2), (4, 4), (6, 8), (9, 10)]);
        assert_eq!(&t.as_str()[b[2].byte_start..b[2].byte_end], "cé");
    }

    #[test]
    fn long_lines_are_cut_near_spaces() {
        let s = "word ".repeat(2000);
        let t = Text::new(s);
        let b = split_blocks(&t);
        assert!(b.len() >= 3);
        for w in b.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            assert!(w[0].end - w[0].start <= MAX_BLOCK_CHARS);
        }
        assert_eq!(b.last().map(|b| b.end), Some(t.len_chars()));
    }
}
