//! The article's text layout: blocks, galleys, heights and hit-testing.
//! (The text-layout issue replaces this module with cosmic-text.)
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
//!   width, font size, text colour): highlights are painted separately, so
//!   editing annotations never re-lays out text.
//! - Blocks never laid out have an estimated height; `tops` is the prefix
//!   sum of heights, recomputed only when a height changed.
//! - At most [`MAX_CACHED_BLOCKS`] galleys are kept: past that, the least
//!   recently drawn are dropped down to [`KEEP_CACHED_BLOCKS`] (the visible
//!   blocks are always the most recent).
//! - A cached galley points into egui's glyph atlas: when egui drops the
//!   atlas (new text options, or full), every galley is dropped with it.

use super::Deco;
use crate::core::text::Text;
use egui::text::{CCursor, LayoutJob};
use egui::{Color32, FontId, Galley, Pos2, Rect, TextFormat, pos2, vec2};
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
/// Horizontal margin around the text (points).
pub const MARGIN: f32 = 16.0;
/// Stripe height and gap for stacked underlines (points).
pub const STRIPE: f32 = 2.0;
/// Gap between stacked stripes (points).
pub const STRIPE_GAP: f32 = 1.0;

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

/// A laid-out block with its cached highlight shapes.
pub(super) struct CachedBlock {
    pub(super) galley: Arc<Galley>,
    pub(super) deco: Option<Vec<Deco>>,
    /// The frame that last used this galley.
    last_used: u64,
}

/// Layout parameters: any change drops every galley.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutKey {
    /// Wrap width (points).
    pub wrap: f32,
    /// Font size (points).
    pub font_size: f32,
    /// Text colour (follows the theme).
    pub color: Color32,
}

/// The layout of one article.
pub struct Layout {
    blocks: Vec<Block>,
    heights: Vec<f32>,
    end_x: Vec<Option<f32>>,
    laid_out: Vec<bool>,
    tops: Vec<f32>,
    tops_dirty: bool,
    pub(super) cache: HashMap<usize, CachedBlock>,
    key: Option<LayoutKey>,
    /// The glyph atlas the cached galleys point into: its text options and
    /// its fill ratio after the last frame.
    atlas: Option<(egui::epaint::text::TextOptions, f32)>,
    /// Frames drawn (for the cache's eviction order).
    frame: u64,
}

impl Layout {
    /// The layout of `text` (splits it into blocks: one pass over the lines).
    pub fn new(text: &Text) -> Layout {
        let blocks = split_blocks(text);
        let n = blocks.len();
        Layout {
            blocks,
            heights: vec![20.0; n],
            end_x: vec![None; n],
            laid_out: vec![false; n],
            tops: Vec::new(),
            tops_dirty: true,
            cache: HashMap::new(),
            key: None,
            atlas: None,
            frame: 0,
        }
    }

    /// The blocks of the text.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Number of blocks with a cached galley.
    pub fn cached_blocks(&self) -> usize {
        self.cache.len()
    }

    /// The current layout parameters.
    pub fn key(&self) -> Option<LayoutKey> {
        self.key
    }

    /// The block holding code point `cp` (the last block for `cp` at the end).
    pub fn block_of(&self, cp: usize) -> usize {
        self.blocks
            .partition_point(|b| b.start <= cp)
            .saturating_sub(1)
    }

    /// The top of block `b` and the total height (content coordinates).
    pub fn top(&mut self, b: usize) -> f32 {
        self.ensure_tops();
        self.tops.get(b).copied().unwrap_or(0.0)
    }

    /// The height of the whole text (points; estimated where not laid out).
    pub fn total_height(&mut self) -> f32 {
        self.ensure_tops();
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The row height for the current font size.
    pub fn line_height(&self) -> f32 {
        self.key.map_or(20.0, |k| line_height(k.font_size))
    }

    /// Starts a frame: drops every galley when egui dropped the atlas or a
    /// layout parameter changed. True when galleys were dropped.
    pub fn begin_frame(&mut self, ctx: &egui::Context, key: LayoutKey) -> bool {
        self.frame += 1;
        let (options, fill) = ctx.fonts(|f| (*f.options(), f.font_atlas_fill_ratio()));
        let mut dropped = false;
        if self.atlas.is_some_and(|(o, f)| o != options || fill < f) {
            // A new atlas: the galleys' glyphs are gone (heights stay valid).
            self.cache.clear();
            dropped = true;
        }
        dropped |= self.set_key(key);
        dropped
    }

    /// Ends a frame: records the atlas and keeps the cache bounded.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        self.atlas = Some(ctx.fonts(|f| (*f.options(), f.font_atlas_fill_ratio())));
        if self.cache.len() > MAX_CACHED_BLOCKS {
            let mut ages: Vec<u64> = self.cache.values().map(|c| c.last_used).collect();
            ages.sort_unstable();
            let cutoff = ages[ages.len() - KEEP_CACHED_BLOCKS];
            let now = self.frame;
            self.cache
                .retain(|_, c| c.last_used >= cutoff || c.last_used == now);
        }
    }

    fn set_key(&mut self, key: LayoutKey) -> bool {
        if self.key == Some(key) {
            return false;
        }
        let font_changed = self.key.is_none_or(|k| k.font_size != key.font_size);
        let wrap_changed = self.key.is_none_or(|k| k.wrap != key.wrap);
        self.key = Some(key);
        self.cache.clear();
        if font_changed || wrap_changed {
            let line_h = line_height(key.font_size);
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
        true
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

    /// The block at height `y` (content coordinates).
    pub fn block_at_y(&mut self, y: f32) -> usize {
        self.ensure_tops();
        let n = self.blocks.len();
        self.tops[..n]
            .partition_point(|t| *t <= y)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    /// Lays out the blocks between heights `y0` and `y1` (repeating while
    /// heights change); returns the first and last block.
    pub fn layout_range(
        &mut self,
        ctx: &egui::Context,
        text: &Text,
        y0: f32,
        y1: f32,
    ) -> (usize, usize) {
        let mut range = (0, 0);
        for _ in 0..3 {
            let first = self.block_at_y(y0);
            let last = self.block_at_y(y1);
            range = (first, last);
            for b in first..=last {
                self.galley(ctx, text, b);
            }
            if !self.tops_dirty {
                break;
            }
        }
        self.ensure_tops();
        range
    }

    /// Lays out block `b` if needed; returns its galley.
    pub fn galley(&mut self, ctx: &egui::Context, text: &Text, b: usize) -> Arc<Galley> {
        if let Some(c) = self.cache.get_mut(&b) {
            c.last_used = self.frame;
            return c.galley.clone();
        }
        let galley = self.layout_block(ctx, text, b);
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

    fn block_text<'t>(&self, text: &'t Text, b: usize) -> &'t str {
        let bl = &self.blocks[b];
        text.as_str()
            .get(bl.byte_start..bl.byte_end)
            .unwrap_or_default()
    }

    /// Lays out block `b` (not cached): records its height and where its
    /// last row ends.
    fn layout_block(&mut self, ctx: &egui::Context, text: &Text, b: usize) -> Arc<Galley> {
        let Some(key) = self.key else {
            return ctx
                .fonts_mut(|f| f.layout_no_wrap(String::new(), FontId::default(), Color32::WHITE));
        };
        let line_h = line_height(key.font_size);
        let lead = self.lead_of(ctx, text, b);
        let s = self.block_text(text, b).to_owned();
        let mut job = LayoutJob::single_section(
            s,
            TextFormat {
                font_id: FontId::proportional(key.font_size),
                color: key.color,
                line_height: Some(line_h),
                ..Default::default()
            },
        );
        job.wrap.max_width = key.wrap;
        if let Some(section) = job.sections.first_mut() {
            section.leading_space = lead;
        }
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
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

    /// Where a continuation block's first row starts: the end of the
    /// previous block's last row (laying out the blocks before it in its
    /// line first when needed; their galleys are not kept).
    fn lead_of(&mut self, ctx: &egui::Context, text: &Text, b: usize) -> f32 {
        if b == 0 || !self.blocks[b].cont {
            return 0.0;
        }
        if self.end_x[b - 1].is_none() {
            let mut k = b - 1;
            while k > 0 && self.blocks[k].cont && self.end_x[k - 1].is_none() {
                k -= 1;
            }
            for j in k..b {
                if self.end_x[j].is_none() {
                    self.layout_block(ctx, text, j);
                }
            }
        }
        self.end_x[b - 1].unwrap_or(0.0)
    }

    /// Code point under a position in content coordinates.
    pub fn cp_at(&mut self, ctx: &egui::Context, text: &Text, content_pos: Pos2) -> usize {
        if self.blocks.is_empty() {
            return 0;
        }
        let mut b = self.block_at_y(content_pos.y);
        let mut galley = self.galley(ctx, text, b);
        let mut local = vec2(content_pos.x - MARGIN, content_pos.y - self.top(b));
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
            galley = self.galley(ctx, text, b);
            local = vec2(content_pos.x - MARGIN, content_pos.y - self.top(b));
        }
        let c = galley.cursor_from_pos(local);
        let bl = self.blocks[b];
        (bl.start + c.index.0).min(bl.end)
    }

    /// Where code point `cp` is (content coordinates: middle of its row,
    /// left of the character), laying its block out if needed.
    pub fn content_pos_of(&mut self, ctx: &egui::Context, text: &Text, cp: usize) -> Pos2 {
        let b = self.block_of(cp);
        let g = self.galley(ctx, text, b);
        let top = self.top(b);
        let local = cp.saturating_sub(self.blocks.get(b).map_or(0, |x| x.start));
        let r = g.pos_from_cursor(caret_cursor(local));
        pos2(MARGIN + r.min.x, top + r.center().y)
    }

    /// Like [`Layout::content_pos_of`] for an already laid-out block only.
    pub fn cached_content_pos_of(&self, cp: usize) -> Option<Pos2> {
        let b = self.block_of(cp);
        let c = self.cache.get(&b)?;
        let top = *self.tops.get(b)?;
        let local = cp.checked_sub(self.blocks[b].start)?;
        let r = c.galley.pos_from_cursor(caret_cursor(local));
        Some(pos2(MARGIN + r.min.x, top + r.center().y))
    }
}

/// Row height for a font size (room below the text for stacked stripes).
pub fn line_height(font_size: f32) -> f32 {
    (font_size * 1.45 + (STRIPE + STRIPE_GAP) * 2.0).round()
}

/// A cursor for the caret at a block-local offset: at a wrapped row break
/// it sits at the start of the next row, where typing would continue.
pub fn caret_cursor(local: usize) -> CCursor {
    CCursor {
        prefer_next_row: true,
        ..CCursor::new(local)
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

/// Splits the text into blocks (see the module invariants).
pub fn split_blocks(text: &Text) -> Vec<Block> {
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
            let e = block_end(text, s, end);
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

/// Where a block starting at `s` in a line ending at `end` ends: at most
/// [`MAX_BLOCK_CHARS`] on, after a space in its last quarter when there is
/// one, never inside a character cluster.
fn block_end(text: &Text, s: usize, end: usize) -> usize {
    if end - s <= MAX_BLOCK_CHARS {
        return end;
    }
    let e = s + MAX_BLOCK_CHARS;
    let from = s + MAX_BLOCK_CHARS * 3 / 4;
    let window = text.slice(from, e);
    if let Some(i) = window.rfind(' ') {
        from + window[..=i].chars().count()
    } else if let Some((i, _)) = window.grapheme_indices(true).next_back() {
        // No space (e.g. CJK): never cut a character cluster.
        from + window[..i].chars().count()
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
