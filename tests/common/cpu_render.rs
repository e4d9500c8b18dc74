//! A software renderer for kittest snapshots: egui's tessellated meshes
//! drawn on the CPU, so an image snapshot needs no GPU (CI has none).
//!
//! Triangles are filled by pixel centre with barycentric interpolation of
//! position, colour and texture coordinate; textures are sampled
//! bilinearly; colours are premultiplied and blended "over" in gamma
//! space, as egui's own renderers do. Deterministic: the same meshes give
//! the same pixels on every machine.
#![allow(dead_code)]

use egui::epaint::{ClippedPrimitive, Primitive};
use egui::{Color32, ImageData, TextureId, TexturesDelta};
use egui_kittest::TestRenderer;
use std::collections::HashMap;

/// A texture: size and premultiplied texels.
struct Texture {
    size: [usize; 2],
    pixels: Vec<Color32>,
}

/// The CPU renderer (see the module docs).
#[derive(Default)]
pub struct CpuRenderer {
    textures: HashMap<TextureId, Texture>,
}

impl TestRenderer for CpuRenderer {
    fn handle_delta(&mut self, delta: &mut TexturesDelta) {
        let set = std::mem::take(&mut delta.set);
        let mut ids: Vec<TextureId> = set.keys().copied().collect();
        ids.sort_by_key(|id| format!("{id:?}"));
        for (id, d) in ids
            .into_iter()
            .flat_map(|id| set[&id].iter().map(move |d| (id, d)))
        {
            let ImageData::Color(image) = &d.image;
            match d.pos {
                None => {
                    self.textures.insert(
                        id,
                        Texture {
                            size: image.size,
                            pixels: image.pixels.clone(),
                        },
                    );
                }
                Some([x0, y0]) => {
                    let Some(t) = self.textures.get_mut(&id) else {
                        continue;
                    };
                    for y in 0..image.size[1] {
                        for x in 0..image.size[0] {
                            let (tx, ty) = (x0 + x, y0 + y);
                            if tx < t.size[0] && ty < t.size[1] {
                                t.pixels[ty * t.size[0] + tx] = image.pixels[y * image.size[0] + x];
                            }
                        }
                    }
                }
            }
        }
        for id in std::mem::take(&mut delta.free) {
            self.textures.remove(&id);
        }
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        let ppp = output.pixels_per_point;
        let screen = ctx.content_rect();
        let (w, h) = (
            (screen.width() * ppp).round() as usize,
            (screen.height() * ppp).round() as usize,
        );
        let mut canvas = vec![ctx.global_style().visuals.panel_fill; w * h];
        let prims = ctx.tessellate(output.shapes.clone(), ppp);
        for ClippedPrimitive {
            clip_rect,
            primitive,
        } in &prims
        {
            let Primitive::Mesh(mesh) = primitive else {
                continue;
            };
            let Some(tex) = self.textures.get(&mesh.texture_id) else {
                continue;
            };
            let clip = [
                (clip_rect.min.x * ppp).round().max(0.0) as usize,
                (clip_rect.min.y * ppp).round().max(0.0) as usize,
                ((clip_rect.max.x * ppp).round() as usize).min(w),
                ((clip_rect.max.y * ppp).round() as usize).min(h),
            ];
            for tri in mesh.indices.chunks_exact(3) {
                let v = [
                    &mesh.vertices[tri[0] as usize],
                    &mesh.vertices[tri[1] as usize],
                    &mesh.vertices[tri[2] as usize],
                ];
                fill_triangle(&mut canvas, w, clip, v, tex, ppp);
            }
        }
        let mut img = image::RgbaImage::new(w as u32, h as u32);
        for (i, p) in canvas.iter().enumerate() {
            let [r, g, b, a] = p.to_srgba_unmultiplied();
            img.put_pixel((i % w) as u32, (i / w) as u32, image::Rgba([r, g, b, a]));
        }
        Ok(img)
    }
}

fn fill_triangle(
    canvas: &mut [Color32],
    w: usize,
    clip: [usize; 4],
    v: [&egui::epaint::Vertex; 3],
    tex: &Texture,
    ppp: f32,
) {
    let p: Vec<(f32, f32)> = v.iter().map(|v| (v.pos.x * ppp, v.pos.y * ppp)).collect();
    let area = edge(p[0], p[1], p[2]);
    if area.abs() < 1e-6 {
        return;
    }
    // The pixel span of the triangle along axis `k`, inside the clip.
    let span = |k: usize| {
        let (lo, hi) = p.iter().fold((f32::MAX, f32::MIN), |(lo, hi), q| {
            let v = if k == 0 { q.0 } else { q.1 };
            (lo.min(v), hi.max(v))
        });
        let lo = lo.floor().max(clip[k] as f32) as usize;
        (lo, (hi.ceil() as usize).min(clip[k + 2]))
    };
    let ((min_x, max_x), (min_y, max_y)) = (span(0), span(1));
    for y in min_y..max_y {
        for x in min_x..max_x {
            let c = (x as f32 + 0.5, y as f32 + 0.5);
            let w0 = edge(p[1], p[2], c) / area;
            let w1 = edge(p[2], p[0], c) / area;
            let w2 = edge(p[0], p[1], c) / area;
            if w0 < -1e-4 || w1 < -1e-4 || w2 < -1e-4 {
                continue;
            }
            let lerp = |f: &dyn Fn(&egui::epaint::Vertex) -> f32| {
                w0 * f(v[0]) + w1 * f(v[1]) + w2 * f(v[2])
            };
            let u = lerp(&|v| v.uv.x);
            let t = lerp(&|v| v.uv.y);
            let texel = sample(tex, u, t);
            let ch = |k: usize| lerp(&|v| v.color.to_array()[k] as f32) / 255.0;
            let vc = [ch(0), ch(1), ch(2), ch(3)];
            let t = texel.to_array();
            let src: Vec<f32> = (0..4).map(|k| vc[k] * t[k] as f32 / 255.0).collect();
            let d = canvas[y * w + x].to_array();
            let out: Vec<u8> = (0..4)
                .map(|k| {
                    let dst = d[k] as f32 / 255.0;
                    ((src[k] + dst * (1.0 - src[3])) * 255.0)
                        .round()
                        .clamp(0.0, 255.0) as u8
                })
                .collect();
            canvas[y * w + x] = Color32::from_rgba_premultiplied(out[0], out[1], out[2], out[3]);
        }
    }
}

fn edge(a: (f32, f32), b: (f32, f32), c: (f32, f32)) -> f32 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Bilinear sample at texture coordinates (0..1), clamped to the edge.
fn sample(tex: &Texture, u: f32, v: f32) -> Color32 {
    let [tw, th] = tex.size;
    let x = (u * tw as f32 - 0.5).clamp(0.0, (tw - 1) as f32);
    let y = (v * th as f32 - 0.5).clamp(0.0, (th - 1) as f32);
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(tw - 1), (y0 + 1).min(th - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |x: usize, y: usize| tex.pixels[y * tw + x].to_array();
    let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    let mix = |k: usize| {
        let top = a[k] as f32 * (1.0 - fx) + b[k] as f32 * fx;
        let bottom = c[k] as f32 * (1.0 - fx) + d[k] as f32 * fx;
        (top * (1.0 - fy) + bottom * fy).round() as u8
    };
    Color32::from_rgba_premultiplied(mix(0), mix(1), mix(2), mix(3))
}
