//! The article's text layout: blocks, their laid-out geometry, heights
//! and hit-testing. Blocks are shaped by the [`engine`](super::engine)
//! (cosmic-text: bidi, shaping, fallback) into
//! [`BlockLayout`](super::geometry::BlockLayout)s.
//!
//! Invariants:
//! - The text is split once per opened article into blocks (one per line,
//!   long lines cut at ~[`MAX_BLOCK_CHARS`] after a space). A block's
//!   displayed range excludes its line terminator (`\n` or `\r\n`). Each
//!   block reads in its line's direction (the line's first strong
//!   character, like `dir="auto"`); right-to-left lines are right-aligned.
//! - A block cut from the same line as the block before it (`cont`) goes
//!   on where that one's last row ends: its first row takes the room left
//!   beside the previous block's last row (on its right in a left-to-right
//!   line, on its left in a right-to-left one; known once that block was
//!   laid out, so continuation blocks are laid out in order), and it
//!   starts at the top of that row (the previous block's height leaves its
//!   last row out). A long line reads as one paragraph.
//! - Offsets are code points of the whole text, end excluded; a block maps
//!   its local offset `i` to `block.start + i`.
//! - Layouts are cached per block and depend only on (block text, wrap
//!   width, font size, fonts): highlights and glyph quads are painted
//!   separately, so editing annotations never re-lays out text.
//! - Blocks never laid out have an estimated height; `tops` is the prefix
//!   sum of heights, recomputed only when a height changed.
//! - At most [`MAX_CACHED_BLOCKS`] layouts are kept: past that, the least
//!   recently drawn are dropped down to [`KEEP_CACHED_BLOCKS`] (the visible
//!   blocks are always the most recent).

use super::Deco;
use super::engine::{BlockParams, SharedEngine, engine_of, lock};
use super::geometry::{BlockLayout, Hit};
use crate::core::text::Text;
use egui::{Color32, Pos2, pos2, vec2};
use rustc_hash::FxHashMap;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// Longest block, in code points, before a line is cut into several blocks.
/// (Shaping a block is the largest cost of a frame that scrolls onto new
/// text; 2,000 keeps a partly visible block of a long line cheap.)
pub const MAX_BLOCK_CHARS: usize = 2000;
/// Most layouts kept in the cache before the least recently drawn are
/// dropped.
pub const MAX_CACHED_BLOCKS: usize = 320;
/// Layouts kept after an eviction.
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
    /// Its line reads right to left.
    pub rtl: bool,
}

/// Glyph quads of a block, in pixels from the block's origin, for one
/// atlas generation and pixel density.
pub(super) struct Quads {
    pub(super) generation: u64,
    pub(super) pixels_per_point: f32,
    pub(super) quads: Vec<Quad>,
}

/// One glyph to draw: where (pixels from the block's origin) and which
/// part of the atlas.
#[derive(Debug, Clone, Copy)]
pub(super) struct Quad {
    pub(super) rect: egui::Rect,
    pub(super) uv: egui::Rect,
    pub(super) color: bool,
}

/// A laid-out block with its cached highlight shapes and glyph quads.
pub(super) struct CachedBlock {
    pub(super) layout: Arc<BlockLayout>,
    pub(super) deco: Option<Vec<Deco>>,
    pub(super) quads: Option<Quads>,
    /// The frame that last used this layout.
    last_used: u64,
}

/// Layout parameters: any change drops every layout.
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
    leads: Vec<Option<f32>>,
    laid_out: Vec<bool>,
    tops: Vec<f32>,
    tops_dirty: bool,
    pub(super) cache: FxHashMap<usize, CachedBlock>,
    key: Option<LayoutKey>,
    engine: Option<SharedEngine>,
    /// The engine's font generation the cached layouts were made with.
    fonts: u64,
    /// Characters no font could draw, seen since the last
    /// [`Layout::take_missing`].
    missing: Vec<char>,
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
            leads: vec![None; n],
            laid_out: vec![false; n],
            tops: Vec::new(),
            tops_dirty: true,
            cache: FxHashMap::default(),
            key: None,
            engine: None,
            fonts: 0,
            missing: Vec::new(),
            frame: 0,
        }
    }

    /// The blocks of the text.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Number of blocks with a cached layout.
    pub fn cached_blocks(&self) -> usize {
        self.cache.len()
    }

    /// The current layout parameters.
    pub fn key(&self) -> Option<LayoutKey> {
        self.key
    }

    /// The text engine (`ctx`'s).
    pub fn engine(&mut self, ctx: &egui::Context) -> SharedEngine {
        self.engine.get_or_insert_with(|| engine_of(ctx)).clone()
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

    /// The top of block `b` as last computed (no recomputation).
    pub fn cached_top(&self, b: usize) -> Option<f32> {
        self.tops.get(b).copied()
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

    /// Characters no font could draw since the last call (each once).
    pub fn take_missing(&mut self) -> Vec<char> {
        std::mem::take(&mut self.missing)
    }

    /// Starts a frame: drops every layout when the fonts or a layout
    /// parameter changed. True when layouts were dropped.
    pub fn begin_frame(&mut self, ctx: &egui::Context, key: LayoutKey) -> bool {
        self.frame += 1;
        let engine = self.engine(ctx);
        let fonts = {
            let mut e = lock(&engine);
            e.begin_frame();
            e.poll_system_fonts();
            e.atlas.begin_frame(ctx);
            e.generation()
        };
        let mut dropped = false;
        if fonts != self.fonts {
            // New fonts: blocks are shaped again as they are drawn (their
            // heights, nearly always the same, stay until then, so the
            // view does not jump).
            self.fonts = fonts;
            self.cache.clear();
            self.leads.iter_mut().for_each(|l| *l = None);
            dropped = true;
        }
        dropped |= self.set_key(key);
        dropped
    }

    /// Ends a frame: keeps the cache bounded.
    pub fn end_frame(&mut self) {
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
                self.leads[i] = None;
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
                self.block(ctx, text, b);
            }
            if !self.tops_dirty {
                break;
            }
        }
        self.ensure_tops();
        range
    }

    /// Lays out block `b` if needed; returns its layout.
    pub fn block(&mut self, ctx: &egui::Context, text: &Text, b: usize) -> Arc<BlockLayout> {
        if let Some(c) = self.cache.get_mut(&b) {
            c.last_used = self.frame;
            return c.layout.clone();
        }
        let layout = Arc::new(self.layout_block(ctx, text, b));
        if self.key.is_some() {
            self.cache.insert(
                b,
                CachedBlock {
                    layout: layout.clone(),
                    deco: None,
                    quads: None,
                    last_used: self.frame,
                },
            );
        }
        layout
    }

    fn block_text<'t>(&self, text: &'t Text, b: usize) -> &'t str {
        let bl = &self.blocks[b];
        text.as_str()
            .get(bl.byte_start..bl.byte_end)
            .unwrap_or_default()
    }

    /// Lays out block `b` (not cached): records its height and the lead
    /// of the block after it.
    fn layout_block(&mut self, ctx: &egui::Context, text: &Text, b: usize) -> BlockLayout {
        let key = self.key.unwrap_or(LayoutKey {
            wrap: 600.0,
            font_size: 14.0,
            color: Color32::WHITE,
        });
        let line_h = line_height(key.font_size);
        let lead = self.lead_of(ctx, text, b);
        let params = BlockParams {
            width: key.wrap,
            font_size: key.font_size,
            line_height: line_h,
            baseline: baseline(key.font_size),
            rtl: self.blocks.get(b).is_some_and(|x| x.rtl),
            lead,
        };
        let engine = self.engine(ctx);
        let layout = lock(&engine).layout_block(self.block_text(text, b), params);
        for c in &layout.missing {
            if !self.missing.contains(c) {
                self.missing.push(*c);
            }
        }
        self.leads[b] = Some(layout.last_row_lead());
        let mut h = layout.height();
        if self.blocks.get(b + 1).is_some_and(|n| n.cont) {
            // The next block starts on this block's last row.
            h -= line_h;
        }
        if self.heights[b] != h {
            self.heights[b] = h;
            self.tops_dirty = true;
        }
        self.laid_out[b] = true;
        layout
    }

    /// Where a continuation block's first row starts: the room the
    /// previous block's last row takes (laying out the blocks before it in
    /// its line first when needed; their layouts are not kept).
    fn lead_of(&mut self, ctx: &egui::Context, text: &Text, b: usize) -> f32 {
        if b == 0 || !self.blocks[b].cont {
            return 0.0;
        }
        if self.leads[b - 1].is_none() {
            let mut k = b - 1;
            while k > 0 && self.blocks[k].cont && self.leads[k - 1].is_none() {
                k -= 1;
            }
            for j in k..b {
                if self.leads[j].is_none() {
                    self.layout_block(ctx, text, j);
                }
            }
        }
        self.leads[b - 1].unwrap_or(0.0)
    }

    /// What is under a position in content coordinates: the nearest caret
    /// position and the character drawn there (code points).
    pub fn hit(&mut self, ctx: &egui::Context, text: &Text, content_pos: Pos2) -> Hit {
        if self.blocks.is_empty() {
            return Hit { cursor: 0, char: 0 };
        }
        let mut b = self.block_at_y(content_pos.y);
        let mut layout = self.block(ctx, text, b);
        let mut local = vec2(content_pos.x - MARGIN, content_pos.y - self.top(b));
        // Beside a continuation's first row is the previous block's text.
        while b > 0 && self.blocks[b].cont && local.y < layout.line_height {
            let lead = self.leads[b - 1].unwrap_or(0.0);
            let theirs = if layout.rtl {
                local.x > layout.width - lead
            } else {
                local.x < lead
            };
            if !theirs {
                break;
            }
            b -= 1;
            layout = self.block(ctx, text, b);
            local = vec2(content_pos.x - MARGIN, content_pos.y - self.top(b));
        }
        let h = layout.hit(local.to_pos2());
        let bl = self.blocks[b];
        Hit {
            cursor: (bl.start + h.cursor).min(bl.end),
            char: (bl.start + h.char).min(bl.end),
        }
    }

    /// The caret position nearest to a position in content coordinates.
    pub fn cp_at(&mut self, ctx: &egui::Context, text: &Text, content_pos: Pos2) -> usize {
        self.hit(ctx, text, content_pos).cursor
    }

    /// Where code point `cp` is (content coordinates: middle of its row,
    /// the caret's x), laying its block out if needed.
    pub fn content_pos_of(&mut self, ctx: &egui::Context, text: &Text, cp: usize) -> Pos2 {
        let b = self.block_of(cp);
        let layout = self.block(ctx, text, b);
        let top = self.top(b);
        let local = cp.saturating_sub(self.blocks.get(b).map_or(0, |x| x.start));
        let r = layout.caret_rect(local);
        pos2(MARGIN + r.min.x, top + r.center().y)
    }

    /// Like [`Layout::content_pos_of`] for an already laid-out block only.
    pub fn cached_content_pos_of(&self, cp: usize) -> Option<Pos2> {
        let b = self.block_of(cp);
        let c = self.cache.get(&b)?;
        let top = *self.tops.get(b)?;
        let local = cp.checked_sub(self.blocks[b].start)?;
        let r = c.layout.caret_rect(local);
        Some(pos2(MARGIN + r.min.x, top + r.center().y))
    }
}

/// Row height for a font size (room below the text for stacked stripes).
pub fn line_height(font_size: f32) -> f32 {
    (font_size * 1.45 + (STRIPE + STRIPE_GAP) * 2.0).round()
}

/// The baseline's distance from a row's top: the text sits in the row's
/// top `1.25 × font size` (with a point above), the stripes below it.
pub fn baseline(font_size: f32) -> f32 {
    (1.0 + font_size).round()
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
        let rtl = unicode_bidi::get_base_direction(text.slice(start, end))
            == unicode_bidi::Direction::Rtl;
        let mut s = start;
        loop {
            let e = block_end(text, s, end);
            blocks.push(Block {
                start: s,
                end: e,
                byte_start: text.char_to_byte(s),
                byte_end: text.char_to_byte(e),
                cont: s != start,
                rtl,
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
            rtl: false,
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
