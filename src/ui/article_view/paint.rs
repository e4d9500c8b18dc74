//! Painting the article: for the visible blocks, first their cached
//! highlight shapes (tints, stacked issue stripes, actor boxes), find
//! matches and the selection; then their text, one textured mesh of glyph
//! quads from the article's atlas; then the caret, reader comments (veiled
//! and labelled) and the selected annotation's frame.
//!
//! Invariants: highlight shapes depend only on the set, the filter and
//! the layout, and are cached per block in the article view (dropped by
//! the app when a command touches the block); glyph quads depend on the
//! layout and the atlas; everything else is painted fresh each frame.
//! Kinds differ by shape, not colour alone: issues are underlined, actors
//! boxed. Boxes and frames are stroked outside the glyphs' rectangles, so
//! their lines never cross a letter.

use crate::app::model::{BlockLayout, CompareMarks, Deco, MARGIN, STRIPE, STRIPE_GAP, Workspace};
use crate::core::annotation::Annotation;
use crate::core::codebook::{Codebook, TagKind};
use crate::core::filter::CompiledFilter;
use crate::core::index::SpanIndex;
use crate::core::set::AnnotationSet;
use egui::{Color32, FontId, Pos2, Rect, Stroke, vec2};

/// Most stripes drawn under one row (deeper overlaps share the last level).
const MAX_STRIPES: usize = 4;

/// What every block's painting reads.
struct Scene<'a> {
    set: &'a AnnotationSet,
    index: &'a SpanIndex,
    dim: Option<&'a CompiledFilter>,
    font_size: f32,
    dark: bool,
}

/// Paints the blocks `range` (first, last) of the article view.
pub fn paint_ui(ui: &egui::Ui, ws: &mut Workspace, font_size: f32, range: (usize, usize)) {
    let ctx = ui.ctx().clone();
    let text = &ws.session.text;
    let set = &ws.session.set;
    let scene = Scene {
        set,
        index: ws.derived.index(),
        dim: if ws.view.show_only {
            ws.derived.filter()
        } else {
            None
        },
        font_size,
        dark: ui.visuals().dark_mode,
    };
    let view = &mut ws.article;
    // A short article is laid out and its highlight shapes and glyph
    // quads built whole (a few ms, once), so scrolling it does none again.
    for b in view.prelayout(&ctx, text) {
        let block = view.blocks()[b];
        view.deco_or_insert_with(b, |g| block_deco(&scene, block, g));
        view.prepare_quads(&ctx, b);
    }
    let painter = ui.painter_at(ui.clip_rect());
    let selected = ws.derived.selected().and_then(|i| set.annotations().get(i));
    let (first, last) = range;
    let last = last.min(view.blocks().len().saturating_sub(1));
    let layers: Vec<(usize, Pos2, std::sync::Arc<BlockLayout>)> = (first..=last)
        .map(|b| {
            let origin = view.content_min + vec2(MARGIN, view.layout().top(b));
            (b, origin, view.layout().block(&ctx, text, b))
        })
        .collect();
    // Under the text: highlights, find matches, the selection.
    for (b, origin, galley) in &layers {
        let block = view.blocks()[*b];
        // Two codings compared (not curated): their marks replace the
        // set's own highlights, which hold both codings at once.
        let compared = ws.compare_marks.as_ref().is_some_and(|m| !m.curating);
        if !compared
            && let Some(deco) = view.deco_or_insert_with(*b, |g| block_deco(&scene, block, g))
        {
            paint_deco(&painter, deco, *origin);
        }
        let layer = Layer {
            painter: &painter,
            galley,
            origin: *origin,
            block: (block.start, block.end),
        };
        layer.find_matches(&ws.view.find_matches, ws.view.find_current);
        if let Some(m) = &ws.compare_marks {
            layer.compare_marks(m, font_size);
        }
        if let Some(anchor) = layer.selection(ui, ws.view.selection.map(|s| s.range())) {
            view.selection_anchor = Some(anchor);
        }
    }
    // The text: one mesh for every visible block.
    let mut mesh = egui::Mesh::default();
    let glyphs: usize = layers.iter().map(|(_, _, g)| g.glyphs().len()).sum();
    mesh.reserve_triangles(glyphs * 2);
    mesh.reserve_vertices(glyphs * 4);
    for (b, origin, _) in &layers {
        let color = ui.visuals().text_color();
        view.append_text_mesh(&ctx, *b, *origin, painter.clip_rect(), color, &mut mesh);
    }
    if !mesh.is_empty() {
        painter.add(egui::Shape::mesh(mesh));
    }
    // Over the text: the caret, reader comments, the selected annotation.
    for (b, origin, galley) in &layers {
        let block = view.blocks()[*b];
        let layer = Layer {
            painter: &painter,
            galley,
            origin: *origin,
            block: (block.start, block.end),
        };
        if let Some(s) = ws.view.selection.filter(|s| s.is_empty())
            && let Some(anchor) = layer.caret(ui, s.head)
        {
            view.selection_anchor = Some(anchor);
        }
        layer.comments(ui, ws.derived.comments(), font_size);
        if let Some(a) = selected {
            layer.frame(a, annotation_color(&set.codebook, a));
        }
    }
}

fn paint_deco(painter: &egui::Painter, deco: &[Deco], origin: Pos2) {
    for d in deco {
        let r = d.rect.translate(origin.to_vec2());
        if d.outline {
            // Outside the glyphs' box: the line never crosses a letter.
            painter.rect_stroke(r, 1.0, Stroke::new(1.2, d.color), egui::StrokeKind::Outside);
        } else {
            painter.rect_filled(r, 0.0, d.color);
        }
    }
}

/// One block's painter, galley and place.
struct Layer<'a> {
    painter: &'a egui::Painter,
    galley: &'a BlockLayout,
    origin: Pos2,
    block: (usize, usize),
}

impl Layer<'_> {
    /// The block-local rectangles of `[s, e)` (clipped to the block).
    fn rects(&self, s: usize, e: usize) -> Vec<Rect> {
        let (bs, be) = self.block;
        if s >= be.max(bs + 1) || e <= bs {
            return Vec::new();
        }
        let lo = s.max(bs) - bs;
        let hi = e.min(be).saturating_sub(bs);
        self.galley
            .range_rects(lo, hi)
            .into_iter()
            .map(|r| r.translate(self.origin.to_vec2()))
            .collect()
    }

    /// Two codings compared: A's spans as a bar over their glyphs, B's as
    /// a bar at the foot of their rows (below the curated set's stripes),
    /// the current disagreement framed.
    fn compare_marks(&self, m: &CompareMarks, font_size: f32) {
        use crate::ui::compare_panel::{A_COLOR, B_COLOR};
        let (bs, be) = self.block;
        for (k, (spans, above, color)) in [(&m.a, true, A_COLOR), (&m.b, false, B_COLOR)]
            .into_iter()
            .enumerate()
        {
            // Spans starting more than the longest span before the block
            // end before it.
            let lo = spans.partition_point(|s| s.0 + m.longest[k] < bs);
            let hi = spans.partition_point(|s| s.0 < be.max(bs + 1));
            for &(s, e) in spans[lo..hi.max(lo)].iter().filter(|s| s.1 > bs) {
                for r in self.rects(s, e) {
                    let top = r.min.y + 1.0;
                    let y = if above {
                        top - 1.0
                    } else {
                        (top + font_size * 1.25 + 1.0 + 2.0 * (STRIPE + STRIPE_GAP))
                            .min(r.max.y - 2.5)
                    };
                    let bar = Rect::from_x_y_ranges(r.x_range(), y..=y + 2.5);
                    self.painter.rect_filled(bar, 0.0, color);
                }
            }
        }
        if let Some((s, e)) = m.current {
            for r in self.rects(s, e) {
                self.painter.rect_stroke(
                    r.expand(2.0),
                    2.0,
                    Stroke::new(1.5, Color32::from_rgb(0xc0, 0x20, 0x60)),
                    egui::StrokeKind::Outside,
                );
            }
        }
    }

    fn find_matches(&self, matches: &[(usize, usize)], current: Option<usize>) {
        let fill = Color32::from_rgba_unmultiplied(255, 200, 0, 90);
        let current_fill = Color32::from_rgba_unmultiplied(255, 140, 0, 150);
        let (bs, be) = self.block;
        let lo = matches.partition_point(|m| m.1 <= bs);
        for (k, m) in matches[lo..].iter().enumerate() {
            if m.0 >= be.max(bs + 1) {
                break;
            }
            let f = if current == Some(lo + k) {
                current_fill
            } else {
                fill
            };
            for r in self.rects(m.0, m.1) {
                self.painter.rect_filled(r, 2.0, f);
            }
        }
    }

    /// Paints the selection; returns the screen point below its end when
    /// that is in this block and visible (where the tag popup opens).
    fn selection(&self, ui: &egui::Ui, sel: Option<(usize, usize)>) -> Option<Pos2> {
        let (s, e) = sel?;
        let fill = ui.visuals().selection.bg_fill.gamma_multiply(0.55);
        for r in self.rects(s, e) {
            self.painter.rect_filled(r, 0.0, fill);
        }
        let (bs, be) = self.block;
        if e < bs || e > be {
            return None;
        }
        let p = self.galley.caret_rect(e - bs);
        let pos = self.origin + p.left_bottom().to_vec2();
        ui.clip_rect().contains(pos).then_some(pos)
    }

    /// Paints the caret at `head` when it is in this block; returns the
    /// screen point below it when visible.
    fn caret(&self, ui: &egui::Ui, head: usize) -> Option<Pos2> {
        let (bs, be) = self.block;
        if head < bs || head > be {
            return None;
        }
        let r = self
            .galley
            .caret_rect(head - bs)
            .translate(self.origin.to_vec2());
        self.painter.line_segment(
            [r.left_top(), r.left_bottom()],
            Stroke::new(2.0, ui.visuals().text_cursor.stroke.color),
        );
        ui.clip_rect()
            .contains(r.left_bottom())
            .then(|| r.left_bottom())
    }

    /// Reader comments: veiled, labelled where they start.
    fn comments(&self, ui: &egui::Ui, comments: &[(usize, usize)], font_size: f32) {
        let (bs, be) = self.block;
        let lo = comments.partition_point(|c| c.1 <= bs);
        let veil = ui.visuals().panel_fill.gamma_multiply(0.55);
        for &(cs, ce) in &comments[lo..] {
            if cs >= be.max(bs + 1) {
                break;
            }
            for r in self.rects(cs, ce) {
                self.painter.rect_filled(r, 0.0, veil);
            }
            if cs >= bs {
                self.painter.text(
                    self.origin + vec2(-MARGIN + 2.0, -2.0),
                    egui::Align2::LEFT_BOTTOM,
                    "reader comments",
                    FontId::proportional((font_size * 0.7).max(8.0)),
                    ui.visuals().weak_text_color(),
                );
            }
        }
    }

    /// The selected annotation: a frame in its colour.
    fn frame(&self, a: &Annotation, color: Color32) {
        for r in self.rects(a.start, a.end) {
            self.painter
                .rect_stroke(r, 2.0, Stroke::new(2.0, color), egui::StrokeKind::Outside);
        }
    }
}

/// The colour of an annotation: its first issue's, else its first actor's.
pub fn annotation_color(cb: &Codebook, a: &Annotation) -> Color32 {
    tag_color(cb, TagKind::Issue, a.issues.first())
        .or_else(|| tag_color(cb, TagKind::Actor, a.actors.first()))
        .unwrap_or(Color32::GRAY)
}

/// The colour of an annotation's first tag of a kind, when it has one.
fn tag_color(cb: &Codebook, kind: TagKind, name: Option<&String>) -> Option<Color32> {
    crate::ui::row_widgets::tag_color(cb, kind, name?)
}

/// The highlight shapes of one block (galley coordinates): a tint per
/// annotation, an underline stripe per issue (stacked by overlap level),
/// a box per actor.
fn block_deco(
    scene: &Scene<'_>,
    block: crate::app::model::Block,
    galley: &BlockLayout,
) -> Vec<Deco> {
    let set = scene.set;
    let hits = scene
        .index
        .overlapping(block.start, block.end.max(block.start + 1))
        .filter(|&i| i < set.annotations().len());
    let mut tints = Vec::new();
    let mut stripes = Vec::new();
    let mut frames = Vec::new();
    let mut level_ends: Vec<usize> = Vec::new();
    let text_h = scene.font_size * 1.25;
    for i in hits {
        let a = &set.annotations()[i];
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
        let dimmed = scene.dim.is_some_and(|f| !f.matches(a));
        let fade = |c: Color32| if dimmed { c.gamma_multiply(0.18) } else { c };
        let color = fade(annotation_color(&set.codebook, a));
        let issue_color = tag_color(&set.codebook, TagKind::Issue, a.issues.first()).map(fade);
        let actor_color = tag_color(&set.codebook, TagKind::Actor, a.actors.first()).map(fade);
        let lo = a.start.max(block.start) - block.start;
        let hi = a.end.min(block.end).saturating_sub(block.start);
        let alpha = if scene.dark { 40 } else { 48 };
        let tint = Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), alpha);
        let untagged = issue_color.is_none() && actor_color.is_none();
        for r in galley.range_rects(lo, hi) {
            let top = r.min.y + 1.0;
            let text_rect = Rect::from_x_y_ranges(r.x_range(), top..=top + text_h);
            tints.push(Deco {
                rect: text_rect,
                color: tint,
                outline: false,
            });
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
