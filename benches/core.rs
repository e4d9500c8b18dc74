//! Criterion benchmarks of the hot paths: span index queries, RON load and
//! save, anchoring (unchanged text and after an edit), JSON export,
//! matching two codings (the comparison and curation view) and (feature
//! `gui`) layout of a visible range with highlights.
//!
//! Data comes from the same generator as `marginalia gen-bench-data`, in
//! process. Size: `MARGINALIA_BENCH_MB` (default 1) and
//! `MARGINALIA_BENCH_ANNOTATIONS` (default 10000); the full 5 MB / 50,000
//! case is measured by `marginalia bench`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use marginalia::cli::gen_bench::{Rng, generate_set, generate_text};
use marginalia::core::anchor::anchor_set;
use marginalia::core::export::{ExportDoc, Filter, json};
use marginalia::core::index::SpanIndex;
use marginalia::core::set::AnnotationSet;
use marginalia::core::store;
use marginalia::core::text::Text;
use std::hint::black_box;
use std::path::Path;

fn env_or(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn data() -> (Text, AnnotationSet) {
    let mb = env_or("MARGINALIA_BENCH_MB", 1.0);
    let n = env_or("MARGINALIA_BENCH_ANNOTATIONS", 10_000.0) as usize;
    let text = Text::new(generate_text((mb * 1_000_000.0) as usize, 1));
    let set = generate_set(&text, "bench.txt", n, 1);
    (text, set)
}

fn index_benches(c: &mut Criterion, text: &Text, set: &AnnotationSet) {
    let len = text.len_chars();
    let mut g = c.benchmark_group("span_index");
    g.bench_function("build", |b| {
        b.iter(|| SpanIndex::build(black_box(set.annotations())))
    });
    let index = SpanIndex::build(set.annotations());
    let mut rng = Rng::new(3);
    // A visible range: about one screen of text.
    g.bench_function("overlapping_visible_6000_chars", |b| {
        b.iter(|| {
            let s = rng.below(len.saturating_sub(6000).max(1));
            index.overlapping(s, s + 6000).count()
        })
    });
    g.bench_function("overlapping_block_400_chars", |b| {
        b.iter(|| {
            let s = rng.below(len.saturating_sub(400).max(1));
            index.overlapping(s, s + 400).count()
        })
    });
    g.bench_function("at_point", |b| {
        b.iter(|| index.at(rng.below(len.max(1))).count())
    });
    g.bench_function("brute_force_block_400_chars", |b| {
        b.iter(|| {
            let s = rng.below(len.saturating_sub(400).max(1));
            set.overlapping(s, s + 400).count()
        })
    });
    g.bench_function("insert_remove", |b| {
        let mut index = index.clone();
        b.iter(|| {
            let s = rng.below(len.max(1));
            index.insert(s, s + 50);
            index.remove(s, s + 50)
        })
    });
    g.finish();
}

fn store_benches(c: &mut Criterion, text: &Text, set: &AnnotationSet) {
    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    let ron = store::to_ron(set).unwrap_or_default();
    g.bench_function("to_ron", |b| b.iter(|| store::to_ron(black_box(set))));
    g.bench_function("from_ron", |b| {
        b.iter(|| store::from_ron(black_box(&ron), Path::new("bench.annotations.ron")))
    });
    let dir = std::env::temp_dir().join(format!("marginalia-criterion-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_ok() {
        let path = dir.join("bench.annotations.ron");
        g.bench_function("save_atomic", |b| b.iter(|| store::save(&path, set)));
        let _ = std::fs::remove_dir_all(&dir);
    }
    g.bench_function("anchor_set_unchanged", |b| {
        b.iter_batched(
            || set.clone(),
            |mut s| anchor_set(&mut s, text),
            BatchSize::LargeInput,
        )
    });
    // The article edited near its start: every later annotation moved.
    let mut edited = String::from("An inserted sentence, “with quotes”. ");
    edited.push_str(text.as_str());
    let edited = Text::new(edited);
    g.bench_function("anchor_set_after_edit", |b| {
        b.iter_batched(
            || set.clone(),
            |mut s| anchor_set(&mut s, &edited),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("export_json", |b| {
        b.iter(|| {
            let doc = ExportDoc {
                name: "bench.txt",
                text,
                set,
            };
            json::to_string(&[doc], &Filter::default()).len()
        })
    });
    g.finish();
}

#[cfg(feature = "gui")]
fn layout_benches(c: &mut Criterion, text: &Text, set: &AnnotationSet) {
    use egui::text::{LayoutJob, TextFormat};
    use egui::{Color32, FontId};
    // ~40 paragraphs from the middle of the text, each a LayoutJob with a
    // background section per annotation boundary.
    let index = SpanIndex::build(set.annotations());
    let mut paragraphs = Vec::new();
    let s = text.as_str();
    let mid = text.char_to_byte(text.len_chars() / 2);
    let mut byte = mid;
    while paragraphs.len() < 40 && byte < s.len() {
        let end = s[byte..].find("\n\n").map_or(s.len(), |i| byte + i);
        let (cs, ce) = (text.byte_to_char(byte), text.byte_to_char(end));
        if ce > cs {
            paragraphs.push((cs, ce));
        }
        byte = end + 2;
    }
    let jobs = |wrap: f32| -> Vec<LayoutJob> {
        paragraphs
            .iter()
            .map(|&(cs, ce)| {
                let mut cuts = vec![cs, ce];
                for i in index.overlapping(cs, ce) {
                    let a = &set.annotations()[i];
                    cuts.push(a.start.clamp(cs, ce));
                    cuts.push(a.end.clamp(cs, ce));
                }
                cuts.sort_unstable();
                cuts.dedup();
                let mut job = LayoutJob::default();
                job.wrap.max_width = wrap;
                for w in cuts.windows(2) {
                    let depth = index.overlapping(w[0], w[1]).count().min(4) as u8;
                    job.append(
                        text.slice(w[0], w[1]),
                        0.0,
                        TextFormat {
                            font_id: FontId::proportional(15.0),
                            color: Color32::BLACK,
                            background: Color32::from_rgba_unmultiplied(255, 200, 0, depth * 40),
                            ..Default::default()
                        },
                    );
                }
                job
            })
            .collect()
    };
    let ctx = egui::Context::default();
    marginalia::ui::fonts::install_bundled_fonts(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let _ = ctx.run_ui(input(), |_| {});
    let mut g = c.benchmark_group("layout");
    g.sample_size(20);
    let mut flip = false;
    // Two wrap widths alternate so egui's galley cache never hits: every
    // iteration lays out the 40 paragraphs afresh.
    g.bench_function("visible_40_paragraphs_with_highlights", |b| {
        b.iter(|| {
            flip = !flip;
            let wrap = if flip { 880.0 } else { 880.5 };
            let js = jobs(wrap);
            let out = ctx.run_ui(input(), |ui| {
                for j in &js {
                    black_box(ui.fonts_mut(|f| f.layout_job(j.clone())));
                }
            });
            black_box(out.shapes.len())
        })
    });
    g.finish();
}

/// Two coders' codings of the same text (the generated set and another
/// drawn with another seed), matched as the comparison view does.
fn compare_benches(c: &mut Criterion, text: &Text, set: &AnnotationSet) {
    let other = generate_set(text, "bench.txt", set.annotations().len(), 2);
    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    g.bench_function("match_two_codings", |b| {
        b.iter(|| {
            marginalia::core::compare::match_codings(
                black_box(set.annotations()),
                black_box(other.annotations()),
            )
            .pairs
            .len()
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let (text, set) = data();
    index_benches(c, &text, &set);
    store_benches(c, &text, &set);
    compare_benches(c, &text, &set);
    #[cfg(feature = "gui")]
    layout_benches(c, &text, &set);
}

criterion_group!(core_benches, benches);
criterion_main!(core_benches);
