//! The geometry of one laid-out block: its rows, the clusters on each row
//! and the glyphs to draw, and the mapping both ways between points and
//! code points (hit-testing, caret, range rectangles).
//!
//! Invariants:
//! - Offsets are code points of the block's text, end excluded; points are
//!   block-local (x from the text column's left edge, y from the block's
//!   top). Row `i` spans `i * line_height .. (i + 1) * line_height`.
//! - A cluster is one grapheme (or a shaping cluster that cannot be split,
//!   e.g. a letter with its marks): a logical range and the x range of its
//!   glyphs. A ligature of several graphemes is split into equal parts, in
//!   reading order (right to left inside a right-to-left run).
//! - A row's clusters are in visual order (x increasing); its code points
//!   form one logical range, and the rows' ranges follow each other.
//! - Every code point maps to at most one cluster; code points without one
//!   (whitespace dropped at a wrap) are found through their neighbours.

use cosmic_text::{LayoutGlyph, LayoutLine};
use egui::{Pos2, Rect};
use unicode_segmentation::UnicodeSegmentation;

/// A glyph to draw (what the rasteriser needs of cosmic-text's glyph).
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    /// Its font.
    pub font_id: fontdb::ID,
    /// The font's weight.
    pub weight: fontdb::Weight,
    /// Rasteriser flags.
    pub flags: cosmic_text::CacheKeyFlags,
    /// The glyph in its font.
    pub glyph_id: u16,
    /// Font size (points).
    pub font_size: f32,
    /// Pen position, offsets applied (block-local points; `y` on the
    /// baseline).
    pub x: f32,
    /// See `x`.
    pub y: f32,
    /// Advance (points).
    pub w: f32,
    /// Its cluster's bytes in the block's text.
    pub start: u32,
    /// End of its cluster's bytes.
    pub end: u32,
}

impl Glyph {
    fn new(g: &LayoutGlyph, baseline: f32) -> Glyph {
        Glyph {
            font_id: g.font_id,
            weight: g.font_weight,
            flags: g.cache_key_flags,
            glyph_id: g.glyph_id,
            font_size: g.font_size,
            x: g.x + g.font_size * g.x_offset,
            y: baseline + g.y - g.font_size * g.y_offset,
            w: g.w,
            start: g.start as u32,
            end: g.end as u32,
        }
    }
}

/// One cluster on a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cluster {
    /// First code point.
    pub start: usize,
    /// End (excluded).
    pub end: usize,
    /// Left edge (points).
    pub x0: f32,
    /// Right edge (points).
    pub x1: f32,
    /// Set in a right-to-left run.
    pub rtl: bool,
    /// Its row.
    pub row: usize,
}

/// One row of a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its clusters (indices into the block's clusters).
    pub clusters: std::ops::Range<usize>,
    /// Its logical range (code points).
    pub start: usize,
    /// The end of its logical range.
    pub end: usize,
}

/// A row as the shaper gave it, before clusters are built.
pub struct RowSource {
    glyphs: Vec<LayoutGlyph>,
}

impl RowSource {
    /// A row from a cosmic-text line whose glyph ranges start `offset`
    /// bytes into the block, moved `dx` points right.
    pub fn new(line: LayoutLine, offset: usize, dx: f32) -> RowSource {
        let mut glyphs = line.glyphs;
        for g in &mut glyphs {
            g.start += offset;
            g.end += offset;
            g.x += dx;
        }
        RowSource { glyphs }
    }

    /// A row without glyphs.
    pub fn empty() -> RowSource {
        RowSource { glyphs: Vec::new() }
    }
}

/// Where the pointer is in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The caret position nearest to the point (between code points).
    pub cursor: usize,
    /// The code point drawn under (or nearest to) the point.
    pub char: usize,
}

/// One block, laid out.
#[derive(Debug, Clone)]
pub struct BlockLayout {
    rows: Vec<Row>,
    clusters: Vec<Cluster>,
    glyphs: Vec<Glyph>,
    /// The cluster of each code point (`usize::MAX`: none).
    cluster_of: Vec<usize>,
    /// The paragraph reads right to left.
    pub rtl: bool,
    /// The wrap width (points).
    pub width: f32,
    /// The row height (points).
    pub line_height: f32,
    /// Characters no font could draw (each once).
    pub missing: Vec<char>,
}

impl BlockLayout {
    /// Builds the geometry of `text` from the shaper's rows.
    pub fn build(text: &str, rows: &[RowSource], p: super::engine::BlockParams) -> BlockLayout {
        // The code point at each byte offset (a char's later bytes map to
        // the char after it, as a boundary search would).
        let mut at_byte = vec![0u32; text.len() + 1];
        let mut len = 0u32;
        for (i, c) in text.char_indices() {
            at_byte[i] = len;
            for slot in &mut at_byte[i + 1..i + c.len_utf8()] {
                *slot = len + 1;
            }
            len += 1;
        }
        at_byte[text.len()] = len;
        let len = len as usize;
        let cp = |b: usize| at_byte.get(b).map_or(len, |&c| c as usize);
        let mut out = BlockLayout {
            rows: Vec::with_capacity(rows.len()),
            clusters: Vec::new(),
            glyphs: Vec::new(),
            cluster_of: vec![usize::MAX; len],
            rtl: p.rtl,
            width: p.width,
            line_height: p.line_height,
            missing: Vec::new(),
        };
        let mut prev_end = 0;
        let n_glyphs = rows.iter().map(|r| r.glyphs.len()).sum();
        out.glyphs.reserve(n_glyphs);
        out.clusters.reserve(n_glyphs);
        for (r, src) in rows.iter().enumerate() {
            let top = r as f32 * p.line_height;
            let first = out.clusters.len();
            let glyphs = &src.glyphs;
            let mut i = 0;
            while i < glyphs.len() {
                let g = &glyphs[i];
                let (bs, be) = (g.start, g.end);
                let (mut x0, mut x1) = (g.x, g.x + g.w);
                let rtl = g.level.is_rtl();
                while let Some(h) = glyphs.get(i).filter(|h| h.start == bs && h.end == be) {
                    x0 = x0.min(h.x);
                    x1 = x1.max(h.x + h.w);
                    out.note_missing(text, h);
                    out.glyphs.push(Glyph::new(h, top + p.baseline));
                    i += 1;
                }
                out.push_cluster(text, (bs, be), (cp(bs), cp(be)), (x0, x1), rtl, r);
            }
            let clusters = first..out.clusters.len();
            // cosmic-text gives a right-to-left paragraph's row from its
            // right end: put every row in visual order.
            out.clusters[clusters.clone()].sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let own = &out.clusters[clusters.clone()];
            let start = own.iter().map(|c| c.start).min().unwrap_or(prev_end);
            let end = own.iter().map(|c| c.end).max().unwrap_or(start);
            prev_end = end;
            out.rows.push(Row {
                clusters,
                start,
                end,
            });
        }
        if out.rows.is_empty() {
            out.rows.push(Row {
                clusters: 0..0,
                start: 0,
                end: 0,
            });
        }
        if let Some(last) = out.rows.last_mut() {
            last.end = last.end.max(len);
        }
        for (k, c) in out.clusters.iter().enumerate() {
            for slot in out.cluster_of.get_mut(c.start..c.end).into_iter().flatten() {
                *slot = k;
            }
        }
        out
    }

    /// Adds one shaping cluster (bytes `bytes`, code points `cps`), split
    /// into its graphemes when it holds several (a ligature).
    fn push_cluster(
        &mut self,
        text: &str,
        bytes: (usize, usize),
        cps: (usize, usize),
        xs: (f32, f32),
        rtl: bool,
        row: usize,
    ) {
        let s = text.get(bytes.0..bytes.1).unwrap_or_default();
        let graphemes: Vec<usize> = if cps.1 - cps.0 <= 1 {
            Vec::new()
        } else {
            s.graphemes(true).map(|g| g.chars().count()).collect()
        };
        if graphemes.len() <= 1 {
            self.clusters.push(Cluster {
                start: cps.0,
                end: cps.1,
                x0: xs.0,
                x1: xs.1,
                rtl,
                row,
            });
            return;
        }
        let part = (xs.1 - xs.0) / graphemes.len() as f32;
        let mut at = cps.0;
        let mut parts: Vec<Cluster> = graphemes
            .iter()
            .enumerate()
            .map(|(k, n)| {
                let (x0, x1) = if rtl {
                    (xs.1 - part * (k + 1) as f32, xs.1 - part * k as f32)
                } else {
                    (xs.0 + part * k as f32, xs.0 + part * (k + 1) as f32)
                };
                let c = Cluster {
                    start: at,
                    end: at + n,
                    x0,
                    x1,
                    rtl,
                    row,
                };
                at += n;
                c
            })
            .collect();
        if rtl {
            // Visual order: the last logical part is leftmost.
            parts.reverse();
        }
        self.clusters.extend(parts);
    }

    /// Records the character of a glyph no font had (`.notdef`), unless it
    /// is one no font draws (whitespace, controls, format characters).
    fn note_missing(&mut self, text: &str, g: &LayoutGlyph) {
        if g.glyph_id != 0 {
            return;
        }
        let Some(c) = text.get(g.start..).and_then(|s| s.chars().next()) else {
            return;
        };
        if crate::ui::fonts::needs_no_glyph(c) || self.missing.contains(&c) {
            return;
        }
        self.missing.push(c);
    }

    /// The rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The clusters, row by row, each row in visual order.
    pub fn clusters(&self) -> &[Cluster] {
        &self.clusters
    }

    /// The glyphs to draw.
    pub fn glyphs(&self) -> &[Glyph] {
        &self.glyphs
    }

    /// Number of code points laid out.
    pub fn len(&self) -> usize {
        self.cluster_of.len()
    }

    /// True for a block without text.
    pub fn is_empty(&self) -> bool {
        self.cluster_of.is_empty()
    }

    /// The block's height (points).
    pub fn height(&self) -> f32 {
        self.rows.len() as f32 * self.line_height
    }

    /// Room the last row takes from the paragraph's start side (points):
    /// where a continuation block's first row begins.
    pub fn last_row_lead(&self) -> f32 {
        let Some(row) = self.rows.last() else {
            return 0.0;
        };
        let cl = &self.clusters[row.clusters.clone()];
        if self.rtl {
            cl.iter().map(|c| self.width - c.x0).fold(0.0_f32, f32::max)
        } else {
            cl.iter().map(|c| c.x1).fold(0.0_f32, f32::max)
        }
    }

    /// The row at height `y` (clamped to the block).
    pub fn row_at(&self, y: f32) -> usize {
        let r = (y / self.line_height).floor();
        (r.max(0.0) as usize).min(self.rows.len().saturating_sub(1))
    }

    /// What is at point `p`: the nearest caret position and the character
    /// under it.
    pub fn hit(&self, p: Pos2) -> Hit {
        let row = &self.rows[self.row_at(p.y)];
        let cl = &self.clusters[row.clusters.clone()];
        let Some(c) = nearest(cl, p.x) else {
            let at = if self.rtl == (p.x < self.width / 2.0) {
                row.end
            } else {
                row.start
            };
            return Hit {
                cursor: at,
                char: row.start,
            };
        };
        let mid = (c.x0 + c.x1) / 2.0;
        let before = if c.rtl { p.x >= mid } else { p.x < mid };
        Hit {
            cursor: if before { c.start } else { c.end },
            char: c.start,
        }
    }

    /// The caret at position `cp` (between code points): its row and x.
    /// At a wrap it sits at the start of the next row; between runs of
    /// different directions, on the edge of the character after it.
    pub fn caret(&self, cp: usize) -> (usize, f32) {
        if let Some(&k) = self.cluster_of.get(cp)
            && let Some(c) = self.clusters.get(k)
        {
            let f = if c.end > c.start {
                (cp - c.start) as f32 / (c.end - c.start) as f32
            } else {
                0.0
            };
            let x = if c.rtl {
                c.x1 - f * (c.x1 - c.x0)
            } else {
                c.x0 + f * (c.x1 - c.x0)
            };
            return (c.row, x);
        }
        // After the last character, or on one without a glyph: the
        // trailing edge of the nearest character before it.
        let before = self.cluster_of[..cp.min(self.cluster_of.len())]
            .iter()
            .rev()
            .find(|&&k| k != usize::MAX);
        if let Some(c) = before.and_then(|&k| self.clusters.get(k)) {
            return (c.row, if c.rtl { c.x0 } else { c.x1 });
        }
        let r = self.rows.len().saturating_sub(1);
        let row = &self.rows[r];
        let x = self.clusters[row.clusters.clone()].first().map_or(
            if self.rtl { self.width } else { 0.0 },
            |c| {
                if c.rtl { c.x1 } else { c.x0 }
            },
        );
        (r, x)
    }

    /// The caret's rectangle (zero wide, the row's height).
    pub fn caret_rect(&self, cp: usize) -> Rect {
        let (r, x) = self.caret(cp);
        let top = r as f32 * self.line_height;
        Rect::from_min_max(egui::pos2(x, top), egui::pos2(x, top + self.line_height))
    }

    /// Rectangles covering the glyphs of code points `lo..hi`: one per run
    /// of adjacent clusters on a row, so a range crossing a direction
    /// change gives several on one row.
    pub fn range_rects(&self, lo: usize, hi: usize) -> Vec<Rect> {
        let mut out = Vec::new();
        if hi <= lo {
            return out;
        }
        for (r, row) in self.rows.iter().enumerate() {
            if row.end <= lo && row.end > row.start {
                continue;
            }
            if row.start >= hi {
                break;
            }
            let top = r as f32 * self.line_height;
            let mut run: Option<(f32, f32)> = None;
            for c in &self.clusters[row.clusters.clone()] {
                if c.start >= hi || c.end <= lo || c.x1 <= c.x0 {
                    continue;
                }
                run = match run {
                    Some((a, b)) if c.x0 <= b + 0.5 => Some((a, b.max(c.x1))),
                    Some(done) => {
                        self.push_rect(&mut out, done, top);
                        Some((c.x0, c.x1))
                    }
                    None => Some((c.x0, c.x1)),
                };
            }
            if let Some(done) = run {
                self.push_rect(&mut out, done, top);
            }
        }
        out
    }

    fn push_rect(&self, out: &mut Vec<Rect>, (x0, x1): (f32, f32), top: f32) {
        let x0 = x0.clamp(0.0, self.width);
        let x1 = x1.clamp(0.0, self.width);
        if x1 > x0 {
            out.push(Rect::from_x_y_ranges(x0..=x1, top..=top + self.line_height));
        }
    }
}

/// The cluster nearest to `x` on a row (the one containing it, else the
/// closest edge).
fn nearest(cl: &[Cluster], x: f32) -> Option<&Cluster> {
    let mut best: Option<(&Cluster, f32)> = None;
    for c in cl {
        if c.x1 <= c.x0 {
            continue;
        }
        let d = if x < c.x0 {
            c.x0 - x
        } else if x >= c.x1 {
            x - c.x1 + 0.001
        } else {
            return Some(c);
        };
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c).or_else(|| cl.first())
}
