//! The article view's glyph atlas: glyphs rasterised by swash, packed on
//! shelves into one egui texture, uploaded by partial texture updates.
//!
//! Invariants:
//! - A slot is valid for the atlas [`GlyphAtlas::generation`] it was made
//!   in; when the texture is full (or the theme's coverage curve changed),
//!   every slot is dropped and the generation moves on, so quads cached
//!   for an older generation are rebuilt. Until it reaches [`ATLAS_SIDE`],
//!   a full texture is made anew twice as large.
//! - Texels are premultiplied: an outline glyph is white with its coverage
//!   as alpha (tinted by the vertex colour when drawn), a colour glyph
//!   (emoji) keeps its colours (drawn with a white vertex colour).
//! - Glyphs are 1 texel apart, so linear filtering never bleeds; quads
//!   sit on whole pixels, so they are drawn texel for pixel.

use cosmic_text::{CacheKey, FontSystem, SwashCache, SwashContent};
use egui::epaint::FontColorTransferFunction;
use egui::{Color32, ColorImage, Rect, TextureHandle, TextureId, TextureOptions, pos2};
use rustc_hash::FxHashMap;

/// Side of the atlas texture when made (texels): 1 MB, room for the
/// glyphs of an article in one or two scripts.
pub const ATLAS_START_SIDE: usize = 512;
/// The largest side it grows to, doubling each time it is full (at most
/// the GPU's limit); past that it is emptied and filled again.
pub const ATLAS_SIDE: usize = 2048;

/// A glyph's place in the atlas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Left of the image relative to the glyph's origin (pixels).
    pub left: i32,
    /// Top of the image above the glyph's origin (pixels).
    pub top: i32,
    /// Width (pixels).
    pub w: u32,
    /// Height (pixels).
    pub h: u32,
    /// Texture coordinates (0..1).
    pub uv: Rect,
    /// A colour image (emoji): drawn untinted.
    pub color: bool,
}

/// One shelf: a row of the texture holding glyphs of one height.
#[derive(Debug, Default, Clone, Copy)]
struct Shelf {
    x: usize,
    y: usize,
    h: usize,
}

/// The shelf packer's state.
#[derive(Debug, Default, Clone)]
struct Packer {
    shelves: Vec<Shelf>,
    next_y: usize,
    full: bool,
}

/// Rasterised glyphs in one texture.
#[derive(Default)]
pub struct GlyphAtlas {
    texture: Option<TextureHandle>,
    side: usize,
    packer: Packer,
    slots: FxHashMap<CacheKey, Option<Slot>>,
    transfer: Option<FontColorTransferFunction>,
    generation: u64,
    /// Times the texture was made larger.
    grown: u32,
}

impl GlyphAtlas {
    /// Starts a frame: a new coverage curve (the theme changed) empties
    /// the atlas.
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        let transfer = ctx.fonts(|f| f.options().color_transfer_function);
        if self.transfer != Some(transfer) {
            self.transfer = Some(transfer);
            self.clear();
        }
    }

    /// Changes whenever slots made before are no longer valid.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The texture to draw with (made on first use).
    pub fn texture_id(&mut self, ctx: &egui::Context) -> TextureId {
        self.texture(ctx).id()
    }

    fn texture(&mut self, ctx: &egui::Context) -> &mut TextureHandle {
        if self.texture.is_none() {
            let max = ctx.input(|i| i.max_texture_side);
            let side = (ATLAS_START_SIDE << self.grown).min(ATLAS_SIDE);
            let side = side.min(max).max(64);
            self.side = side;
            self.texture = Some(ctx.load_texture(
                "marginalia-article-glyphs",
                ColorImage::filled([side, side], Color32::TRANSPARENT),
                TextureOptions::LINEAR,
            ));
        }
        // Made just above when missing.
        match &mut self.texture {
            Some(t) => t,
            None => unreachable!("the atlas texture was just made"),
        }
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.packer = Packer::default();
        self.generation += 1;
    }

    /// The slot of glyph `key`, rasterising and uploading it when new;
    /// `None` for a glyph without pixels (a space) or when the atlas was
    /// full (it is emptied, the generation moves on and a repaint is
    /// asked for).
    pub fn slot(
        &mut self,
        ctx: &egui::Context,
        fonts: &mut FontSystem,
        swash: &mut SwashCache,
        key: CacheKey,
    ) -> Option<Slot> {
        if let Some(s) = self.slots.get(&key) {
            return *s;
        }
        let slot = self.rasterise(ctx, fonts, swash, key);
        if slot.is_none() && self.packer.full {
            // Full: start over in a texture twice as large, or in the same
            // one at the largest size (this frame may show stale glyphs).
            if (ATLAS_START_SIDE << self.grown) < ATLAS_SIDE.min(ctx.input(|i| i.max_texture_side))
            {
                self.grown += 1;
                self.texture = None;
            }
            self.clear();
            ctx.request_repaint();
            return None;
        }
        self.slots.insert(key, slot);
        slot
    }

    fn rasterise(
        &mut self,
        ctx: &egui::Context,
        fonts: &mut FontSystem,
        swash: &mut SwashCache,
        key: CacheKey,
    ) -> Option<Slot> {
        let image = swash.get_image_uncached(fonts, key)?;
        let (w, h) = (
            image.placement.width as usize,
            image.placement.height as usize,
        );
        if w == 0 || h == 0 {
            return None;
        }
        let transfer = self.transfer.unwrap_or_default();
        let (pixels, color) = match image.content {
            SwashContent::Mask => (
                image
                    .data
                    .iter()
                    .map(|&a| transfer.to_atlas_color(Color32::from_white_alpha(a)))
                    .collect::<Vec<_>>(),
                false,
            ),
            SwashContent::Color => (
                image
                    .data
                    .chunks_exact(4)
                    .map(|p| Color32::from_rgba_unmultiplied(p[0], p[1], p[2], p[3]))
                    .collect(),
                true,
            ),
            SwashContent::SubpixelMask => (
                image
                    .data
                    .chunks_exact(4)
                    .map(|p| transfer.to_atlas_color(Color32::from_white_alpha(p[1])))
                    .collect(),
                false,
            ),
        };
        if pixels.len() != w * h {
            return None;
        }
        self.texture(ctx);
        let (x, y) = self.allocate(w, h)?;
        let side = self.side as f32;
        if let Some(t) = &mut self.texture {
            t.set_partial(
                [x, y],
                ColorImage::new([w, h], pixels),
                TextureOptions::LINEAR,
            );
        }
        Some(Slot {
            left: image.placement.left,
            top: image.placement.top,
            w: w as u32,
            h: h as u32,
            uv: Rect::from_min_max(
                pos2(x as f32 / side, y as f32 / side),
                pos2((x + w) as f32 / side, (y + h) as f32 / side),
            ),
            color,
        })
    }

    /// A free `w` × `h` place (with a texel of padding) on a shelf of
    /// its height (rounded up to 4 texels), or on a new shelf; `None` (and
    /// the atlas marked full) when the texture has no room.
    fn allocate(&mut self, w: usize, h: usize) -> Option<(usize, usize)> {
        let side = self.side;
        let (w1, hb) = (w + 1, (h + 1).div_ceil(4) * 4);
        if w1 > side || hb > side {
            return None;
        }
        let p = &mut self.packer;
        if let Some(s) = p.shelves.iter_mut().find(|s| s.h == hb && s.x + w1 <= side) {
            let at = (s.x, s.y);
            s.x += w1;
            return Some(at);
        }
        if p.next_y + hb > side {
            p.full = true;
            return None;
        }
        let y = p.next_y;
        p.shelves.push(Shelf { x: w1, y, h: hb });
        p.next_y += hb;
        Some((0, y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelves_never_overlap_and_fill_up() {
        let mut atlas = GlyphAtlas {
            side: 64,
            ..GlyphAtlas::default()
        };
        let mut placed: Vec<(usize, usize, usize, usize)> = Vec::new();
        let sizes = [(5, 9), (7, 12), (3, 3), (9, 14), (6, 9), (12, 12), (4, 16)];
        for k in 0.. {
            let (w, h) = sizes[k % sizes.len()];
            let Some((x, y)) = atlas.allocate(w, h) else {
                break;
            };
            assert!(x + w < 64 && y + h < 64, "inside the texture");
            for &(px, py, pw, ph) in &placed {
                let apart = x >= px + pw || px >= x + w || y >= py + ph || py >= y + h;
                assert!(apart, "({x},{y},{w},{h}) overlaps ({px},{py},{pw},{ph})");
            }
            placed.push((x, y, w + 1, h + 1));
        }
        assert!(atlas.packer.full);
        assert!(
            placed.len() >= 12,
            "{} glyphs in a 64² texture",
            placed.len()
        );
        let before = atlas.generation();
        atlas.clear();
        assert_eq!(atlas.generation(), before + 1);
        assert_eq!(atlas.allocate(5, 9), Some((0, 0)));
    }
}
