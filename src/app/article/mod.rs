//! The article view's runtime state: its [`layout`] (blocks shaped by the
//! [`engine`] into [`geometry`], hit-testing), the cached highlight shapes
//! and glyph quads per block (glyphs from the [`atlas`]), scroll and page
//! requests, the drag in progress and where things were on screen in the
//! last frame. `ui::article_view` paints it and turns the pointer into
//! intents; the app asks it to scroll.
//!
//! Invariants:
//! - Highlight shapes ([`Deco`]) are cached per laid-out block and dropped
//!   for the blocks a command touched ([`ArticleView::invalidate`]), or all
//!   of them when the filter, a colour or the layout changed.
//! - A short article (up to [`PRELAYOUT_CHARS`]) is laid out whole with its
//!   highlight shapes once (`whole_done`), and again only after something
//!   was dropped, so scrolling it never lays out text.
//! - Screen positions are those of the last frame drawn.

pub mod atlas;
pub mod engine;
pub mod geometry;
pub mod layout;

use crate::core::command::Touched;
use crate::core::text::Text;
use egui::{Color32, Pos2, Rect, vec2};
pub use geometry::BlockLayout;
pub use layout::{Block, Layout, LayoutKey, MARGIN};

/// Articles up to this many code points are laid out whole on their first
/// frame (about 5 ms for 11,000 characters).
pub const PRELAYOUT_CHARS: usize = 20_000;

/// A piece of highlight: a rectangle relative to its block.
#[derive(Debug, Clone, Copy)]
pub struct Deco {
    /// Where (block-local points).
    pub rect: Rect,
    /// Its colour.
    pub color: Color32,
    /// Drawn as an outline (actors) instead of filled (tints, issue
    /// underlines), so kinds differ by shape, not colour alone.
    pub outline: bool,
}

/// The article view's runtime state.
pub struct ArticleView {
    layout: Layout,
    whole_done: bool,
    /// A scroll to a code point waiting for the next frames (frames left).
    pending_scroll: Option<(usize, u8)>,
    /// A Page Down (`true`) or Page Up waiting for the next frame.
    pending_page: Option<bool>,
    /// The scroll offset of the last frame.
    pub scroll_y: f32,
    /// The height of the visible part in the last frame.
    pub viewport_h: f32,
    /// Where a drag started (code point), while dragging.
    pub drag_anchor: Option<usize>,
    /// Screen position of the content's top-left corner in the last frame.
    pub content_min: Pos2,
    /// Screen position just below the selection's end (anchor for the tag
    /// popup), when visible in the last frame.
    pub selection_anchor: Option<Pos2>,
    /// Screen rectangle of the view in the last frame.
    pub screen_rect: Option<Rect>,
}

impl Default for ArticleView {
    fn default() -> Self {
        ArticleView::new(&Text::new(String::new()))
    }
}

impl ArticleView {
    /// A view of `text`, scrolled to its top.
    pub fn new(text: &Text) -> ArticleView {
        ArticleView {
            layout: Layout::new(text),
            whole_done: false,
            // A new article starts at its top, whatever egui remembered.
            pending_scroll: Some((0, 1)),
            pending_page: None,
            scroll_y: 0.0,
            viewport_h: 600.0,
            drag_anchor: None,
            content_min: Pos2::ZERO,
            selection_anchor: None,
            screen_rect: None,
        }
    }

    /// The layout (blocks, their geometry).
    pub fn layout(&mut self) -> &mut Layout {
        &mut self.layout
    }

    /// The blocks of the text.
    pub fn blocks(&self) -> &[Block] {
        self.layout.blocks()
    }

    /// Number of blocks with a cached layout (tests and benchmarks).
    pub fn cached_blocks(&self) -> usize {
        self.layout.cached_blocks()
    }

    /// The font size the article was last laid out at (points).
    pub fn font_size(&self) -> Option<f32> {
        self.layout.key().map(|k| k.font_size)
    }

    /// The vertical scroll offset of the last frame (points).
    pub fn scroll_offset(&self) -> f32 {
        self.scroll_y
    }

    /// Drops the highlight shapes of the blocks a command touched.
    pub fn invalidate(&mut self, touched: &Touched) {
        if touched.all {
            self.invalidate_all();
            return;
        }
        for &(s, e) in &touched.ranges {
            let first = self.layout.block_of(s);
            let last = self.layout.block_of(e.saturating_sub(1).max(s));
            for b in first..=last {
                if let Some(c) = self.layout.cache.get_mut(&b) {
                    c.deco = None;
                    self.whole_done = false;
                }
            }
        }
    }

    /// Drops every cached highlight shape (the filter or a colour changed).
    pub fn invalidate_all(&mut self) {
        for c in self.layout.cache.values_mut() {
            c.deco = None;
        }
        self.whole_done = false;
    }

    /// Scrolls so that code point `cp` is visible (a third from the top).
    pub fn scroll_to(&mut self, cp: usize) {
        self.pending_scroll = Some((cp, 3));
    }

    /// Scrolls to `cp` unless it was on screen in the last frame.
    pub fn reveal(&mut self, cp: usize) {
        let visible = match (self.screen_pos_of(cp), self.screen_rect) {
            (Some(p), Some(r)) => r.shrink2(vec2(0.0, 12.0)).contains(p),
            _ => false,
        };
        if !visible {
            self.scroll_to(cp);
        }
    }

    /// Scrolls a screen down (`true`) or up on the next frame, the cursor
    /// moving with the text (see [`ArticleView::take_page`]).
    pub fn page(&mut self, down: bool) {
        self.pending_page = Some(down);
    }

    /// Screen position (middle of the row, left of the character) of code
    /// point `cp` in the last frame, if its block is laid out.
    pub fn screen_pos_of(&self, cp: usize) -> Option<Pos2> {
        let p = self.layout.cached_content_pos_of(cp)?;
        Some(self.content_min + p.to_vec2())
    }

    /// Where code points `lo..hi` were drawn in the last frame (screen
    /// rectangles over their glyphs, in the blocks that were laid out).
    pub fn screen_rects_of(&self, lo: usize, hi: usize) -> Vec<Rect> {
        let blocks = self.layout.blocks();
        let (first, last) = (self.layout.block_of(lo), self.layout.block_of(hi));
        let mut out = Vec::new();
        for (b, bl) in blocks.iter().enumerate().take(last + 1).skip(first) {
            let (Some(c), Some(top)) = (self.layout.cache.get(&b), self.layout.cached_top(b))
            else {
                continue;
            };
            let s = lo.max(bl.start) - bl.start;
            let e = hi.min(bl.end).saturating_sub(bl.start);
            let origin = self.content_min + vec2(MARGIN, top);
            out.extend(
                c.layout
                    .range_rects(s, e)
                    .into_iter()
                    .map(|r| r.translate(origin.to_vec2())),
            );
        }
        out
    }

    /// Starts a frame with these layout parameters (drops what they, or a
    /// new glyph atlas, invalidate).
    pub fn begin_frame(&mut self, ctx: &egui::Context, key: LayoutKey) {
        if self.layout.begin_frame(ctx, key) {
            self.whole_done = false;
        }
        self.selection_anchor = None;
    }

    /// Ends a frame (bounds the cache).
    pub fn end_frame(&mut self) {
        self.layout.end_frame();
    }

    /// The scroll offset a pending scroll asks for this frame.
    pub fn take_scroll(&mut self, ctx: &egui::Context, text: &Text) -> Option<f32> {
        let (cp, frames) = self.pending_scroll?;
        let b = self.layout.block_of(cp);
        let g = self.layout.block(ctx, text, b);
        let start = self.layout.blocks().get(b).map_or(0, |x| x.start);
        let local_y = g.caret_rect(cp.saturating_sub(start)).min.y;
        let max_off = (self.layout.total_height() - self.viewport_h).max(0.0);
        let y = (self.layout.top(b) + local_y - self.viewport_h / 3.0).clamp(0.0, max_off);
        self.pending_scroll = (frames > 1).then(|| (cp, frames - 1));
        Some(y)
    }

    /// A pending Page Up/Down: the new scroll offset and where the cursor
    /// goes (it keeps its place on the screen, or takes the top third when
    /// it was off screen; the article's end or start when there is nothing
    /// more to scroll). `caret` is the cursor now.
    pub fn take_page(
        &mut self,
        ctx: &egui::Context,
        text: &Text,
        caret: usize,
    ) -> Option<(f32, usize)> {
        let down = self.pending_page.take()?;
        let line_h = self.layout.line_height();
        let total = self.layout.total_height();
        let step = (self.viewport_h - line_h).max(line_h);
        let max_off = (total - self.viewport_h).max(0.0);
        let cur = self.scroll_y.min(max_off);
        let off = (cur + if down { step } else { -step }).clamp(0.0, max_off);
        let moved = off - cur;
        let caret = caret.min(text.len_chars());
        let mut from = self.layout.content_pos_of(ctx, text, caret);
        if from.y < self.scroll_y || from.y > self.scroll_y + self.viewport_h {
            from = egui::pos2(MARGIN, self.scroll_y + self.viewport_h / 3.0);
        }
        let target = from.y + moved;
        let cp = if moved.abs() < 0.5 || target >= total || target < 0.0 {
            if down { text.len_chars() } else { 0 }
        } else {
            // Never on a row cut by the view's edges.
            let lo = off + line_h * 0.75;
            let y = target.clamp(lo, (off + self.viewport_h - line_h * 0.75).max(lo));
            self.layout.cp_at(ctx, text, egui::pos2(from.x, y))
        };
        Some((off, cp))
    }

    /// For a short article, lays out every block once (after anything was
    /// dropped); returns the blocks whose highlight shapes must be built
    /// now, so the whole article is ready before it scrolls.
    pub fn prelayout(&mut self, ctx: &egui::Context, text: &Text) -> std::ops::Range<usize> {
        let n = self.layout.blocks().len();
        if self.whole_done || text.len_chars() > PRELAYOUT_CHARS || n > layout::KEEP_CACHED_BLOCKS {
            return 0..0;
        }
        self.whole_done = true;
        for b in 0..n {
            self.layout.block(ctx, text, b);
        }
        0..n
    }

    /// The cached highlight shapes of block `b`, built by `build` when
    /// missing (the block must be laid out).
    pub fn deco_or_insert_with(
        &mut self,
        b: usize,
        build: impl FnOnce(&BlockLayout) -> Vec<Deco>,
    ) -> Option<&[Deco]> {
        let entry = self.layout.cache.get_mut(&b)?;
        if entry.deco.is_none() {
            entry.deco = Some(build(&entry.layout));
        }
        entry.deco.as_deref()
    }

    /// Builds the glyph quads of block `b` (laid out) unless they are
    /// fresh, rasterising glyphs new to the atlas.
    pub fn prepare_quads(&mut self, ctx: &egui::Context, b: usize) {
        let engine = self.layout.engine(ctx);
        let mut e = engine::lock(&engine);
        if let Some(entry) = self.layout.cache.get_mut(&b) {
            build_quads(ctx, &mut e, entry);
        }
    }

    /// Appends the glyphs of block `b` (laid out) that fall in the screen
    /// rectangle `clip` to `mesh` as textured quads, the block's origin
    /// (its top-left) at screen point `origin` snapped to a pixel, outline
    /// glyphs tinted `color`. Glyphs new to the
    /// atlas are rasterised now; the quads are cached per block.
    pub fn append_text_mesh(
        &mut self,
        ctx: &egui::Context,
        b: usize,
        origin: Pos2,
        clip: Rect,
        color: Color32,
        mesh: &mut egui::Mesh,
    ) {
        let ppp = ctx.pixels_per_point();
        let engine = self.layout.engine(ctx);
        let mut e = engine::lock(&engine);
        let Some(entry) = self.layout.cache.get_mut(&b) else {
            return;
        };
        build_quads(ctx, &mut e, entry);
        let atlas = &mut e.atlas;
        let Some(quads) = entry.quads.as_ref().map(|q| &q.quads) else {
            return;
        };
        if mesh.is_empty() {
            mesh.texture_id = atlas.texture_id(ctx);
        }
        let o = vec2((origin.x * ppp).round(), (origin.y * ppp).round());
        let inv = 1.0 / ppp;
        // Only the rows on screen (a long block may be mostly off it).
        let (top, bottom) = (clip.min.y * ppp - o.y, clip.max.y * ppp - o.y);
        for q in quads
            .iter()
            .filter(|q| q.rect.max.y >= top && q.rect.min.y <= bottom)
        {
            let rect = Rect::from_min_max(
                ((q.rect.min + o).to_vec2() * inv).to_pos2(),
                ((q.rect.max + o).to_vec2() * inv).to_pos2(),
            );
            let tint = if q.color { Color32::WHITE } else { color };
            mesh.add_rect_with_uv(rect, q.uv, tint);
        }
    }

    /// Characters no font could draw, met since the last call (each once).
    pub fn take_missing(&mut self) -> Vec<char> {
        self.layout.take_missing()
    }
}

/// Builds `entry`'s glyph quads unless they are fresh for the atlas's
/// generation and the pixel density, rasterising glyphs new to the atlas.
fn build_quads(ctx: &egui::Context, e: &mut engine::TextEngine, entry: &mut layout::CachedBlock) {
    let ppp = ctx.pixels_per_point();
    let (fonts, swash, atlas) = e.parts();
    let generation = atlas.generation();
    let fresh = entry
        .quads
        .as_ref()
        .is_some_and(|q| q.generation == generation && q.pixels_per_point == ppp);
    if fresh {
        return;
    }
    let mut quads = Vec::with_capacity(entry.layout.glyphs().len());
    for g in entry.layout.glyphs() {
        let phys = engine::physical(g, (0.0, 0.0), ppp);
        let Some(slot) = atlas.slot(ctx, fonts, swash, phys.cache_key) else {
            continue;
        };
        let x = (phys.x + slot.left) as f32;
        let y = (phys.y - slot.top) as f32;
        quads.push(layout::Quad {
            rect: Rect::from_min_size(egui::pos2(x, y), vec2(slot.w as f32, slot.h as f32)),
            uv: slot.uv,
            color: slot.color,
        });
    }
    entry.quads = (atlas.generation() == generation).then_some(layout::Quads {
        generation,
        pixels_per_point: ppp,
        quads,
    });
}
