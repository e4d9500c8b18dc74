//! `marginalia bench ARTICLE [SET]`: runs the real app UI headless (an egui
//! context and tessellation, no window) on an article and prints one
//! `name: value` line per figure (issue 4).
//!
//! Figures:
//! - `open_ms`: `Session::open` (read, decode, hash, parse the RON, anchor).
//! - `first_frame_ms`: the first frame of the app on that session (after one
//!   warm-up frame of an empty UI, so egui's own start-up — font atlas — is
//!   not counted; it is printed as `egui_warmup_ms`).
//! - `scroll_frame_{p50,p95,max}_ms`: frames while scrolling the article
//!   top to bottom in steps of [`SCROLL_STEP`] points (about one screen of
//!   the article view at 1280x800), one frame per step, through wheel
//!   events as a trackpad sends them (applied at once, no smoothing).
//! - `edit_frame_max_ms`: the two frames after adding, and the two after
//!   deleting, an annotation at a random visible position (20 times).
//! - `save_ms`: `store::save` of the set to a temporary folder.
//! - `export_json_ms`: the JSON export of all excerpts, written to a file.
//! - `merge_driver_ms`: `marginalia merge-driver` on the set (two sides
//!   each noting every 100th annotation, merged cleanly and written).
//! - `peak_rss_mb`: `VmHWM` of this process.
//!
//! With a folder instead of an article (`marginalia bench DIR`), the
//! corpus figures (wall time unless said): `corpus_list_ms` (start to the
//! document list drawn), `corpus_index_ms` (start to every set indexed by
//! the background readers, frames running meanwhile; `index_frame_max_ms`
//! the largest of those frames), `segments_query_ms` (every excerpt of the
//! most used issue, from the index), `heatmap_ms`, `corpus_search_ms` (a
//! plain word over every text, as the corpus search panel runs it),

//! `list_scroll_frame_{p95,max}_ms` (the list scrolled top to bottom a
//! screen a frame), `switch_frame_ms` (the largest frame of Ctrl+PageDown
//! to the next document, 50 times) and `switch_{p50,max}_ms` (until it is
//! on screen), `rename_tag_ms` (a corpus-wide rename from the command
//! through the preview to the last set written; `rename_reindexed_ms`
//! until the changed sets are read again, frames running; `rename_undo_ms`
//! its undo and `undo_reindexed_ms` likewise), then `peak_rss_mb`; last
//! `agreement_ms` (the agreement report of the first two coders by name,
//! every tag, sets read from disk, as `marginalia agreement DIR --coders
//! A,B` builds it) and `agreement_extra_rss_mb` (its peak above the
//! memory in use before it).
//!
//! A frame's time is the CPU time of the app's `ui` pass (`Context::run_ui`
//! calling [`MarginaliaApp::draw`]) plus `Context::tessellate`, on one
//! thread: the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`; time spent
//! waiting for a CPU on a loaded machine is not counted), or wall time
//! (`Instant`) where that clock is not available. The wall
//! times are printed too (`*_wall_ms`) for comparison.

use crate::app::MarginaliaApp;
use crate::app::model::{DocIntent, SelectionIntent};
use crate::core::annotation::Annotation;
use crate::core::command::Command;
use crate::core::export::{ExportDoc, Filter, json};
use crate::core::session::Session;
use crate::core::store;
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Screen size of the benchmark, in points.
pub const SCREEN: (f32, f32) = (1280.0, 800.0);
/// Scroll step, in points: about the height of the article view at
/// 1280x800 (the window minus menu and status bars).
pub const SCROLL_STEP: f32 = 720.0;

/// Arguments of `marginalia bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The article.
    pub article: PathBuf,
    /// Its annotation set (default: the one found beside the article or in
    /// `saves/`).
    pub set: Option<PathBuf>,
    /// Seed for the random edit positions.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Skip the scroll pass (to profile the first and edit frames alone).
    #[arg(long)]
    pub no_scroll: bool,
    /// Also print every scroll and edit frame's time to stderr (to find
    /// slow frames).
    #[arg(long)]
    pub per_frame: bool,
    /// Corpus: skip the corpus-wide rename (and its undo), so the peak
    /// memory is that of browsing and querying.
    #[arg(long)]
    pub no_rename: bool,
}

/// Runs the benchmark; returns the process exit code.
pub fn run(args: &BenchArgs) -> i32 {
    let result = if args.article.is_dir() {
        bench_corpus(&args.article, args.no_rename)
    } else {
        bench(args)
    };
    match result {
        Ok(lines) => {
            for (name, value) in lines {
                println!("{name}: {value}");
            }
            0
        }
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fmt_ms(d: Duration) -> String {
    format!("{:.3}", ms(d))
}

/// Opens the article (and set) as the benchmark does; returns the session
/// and the time it took.
pub fn open(article: &Path, set: Option<&Path>) -> Result<(Session, Duration), String> {
    let opts = crate::cli::open_options(false);
    let t = Instant::now();
    let (session, _warnings) = match set {
        Some(set_path) => {
            let set = store::load(set_path).map_err(|e| e.to_string())?;
            Session::open_with_set(article, set_path.to_owned(), set, &opts)
        }
        None => Session::open(article, &opts),
    }
    .map_err(|e| e.to_string())?;
    Ok((session, t.elapsed()))
}

/// An egui context driven like a 1280x800 window, timing each frame.
pub struct Harness {
    /// The context.
    pub ctx: egui::Context,
    time: f64,
    /// Events for the next frame.
    pub events: Vec<egui::Event>,
    /// Shapes of the last frame (to detect the end of scrolling).
    pub last_shapes: Vec<egui::epaint::ClippedShape>,
    /// Wall time of the last frame (ui pass + tessellation).
    pub last_wall: Duration,
}

/// This thread's CPU time (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`,
/// nanosecond resolution), on 64-bit Linux.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
pub fn thread_cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec (two 64-bit fields on
    // 64-bit Linux) for the duration of the call.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| {
        Duration::new(
            ts.tv_sec.max(0) as u64,
            ts.tv_nsec.clamp(0, 999_999_999) as u32,
        )
    })
}

/// This thread's CPU time: not available on this platform.
#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
pub fn thread_cpu_time() -> Option<Duration> {
    None
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

impl Harness {
    /// A context with the app's fonts installed.
    pub fn new() -> Harness {
        let ctx = egui::Context::default();
        crate::ui::fonts::install_fonts(&ctx);
        Harness {
            ctx,
            time: 0.0,
            events: Vec::new(),
            last_shapes: Vec::new(),
            last_wall: Duration::ZERO,
        }
    }

    /// Runs one frame of `draw`; returns the ui pass + tessellation CPU
    /// time (see the module docs); the wall time goes to `last_wall`.
    pub fn frame(&mut self, mut draw: impl FnMut(&mut egui::Ui)) -> Duration {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(SCREEN.0, SCREEN.1),
            )),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            focused: true,
            events: std::mem::take(&mut self.events),
            ..Default::default()
        };
        let cpu0 = thread_cpu_time();
        let t = Instant::now();
        let out = self.ctx.run_ui(input, |ui| draw(ui));
        let ui_time = t.elapsed();
        let cpu1 = thread_cpu_time();
        self.last_shapes = out.shapes.clone();
        let cpu2 = thread_cpu_time();
        let t = Instant::now();
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        let tess = t.elapsed();
        let cpu3 = thread_cpu_time();
        std::hint::black_box(prims);
        self.last_wall = ui_time + tess;
        match (cpu0, cpu1, cpu2, cpu3) {
            (Some(a), Some(b), Some(c), Some(d)) => b.saturating_sub(a) + d.saturating_sub(c),
            _ => self.last_wall,
        }
    }

    /// Queues a wheel scroll of `dy` points (content moves up for a
    /// negative value) with the pointer over the article.
    pub fn scroll(&mut self, dy: f32) {
        self.scroll_at(egui::pos2(300.0, 400.0), dy);
    }

    /// Queues a wheel scroll of `dy` points with the pointer at `pos`.
    pub fn scroll_at(&mut self, pos: egui::Pos2, dy: f32) {
        self.events.push(egui::Event::PointerMoved(pos));
        for (phase, delta) in [(egui::TouchPhase::Start, 0.0), (egui::TouchPhase::Move, dy)] {
            self.events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, delta),
                phase,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            });
        }
    }
}

/// The `p`-quantile (0–1) of sorted durations.
fn quantile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Peak resident set size in MB (`VmHWM`), 0 when unknown.
pub fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Resident set size now in MB (`VmRSS`), 0 when unknown.
fn current_rss_mb() -> f64 {
    status_mb("VmRSS:")
}

/// A `kB` figure of `/proc/self/status` in MB, 0 when unknown.
fn status_mb(field: &str) -> f64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0.0;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn bench(args: &BenchArgs) -> Result<Vec<(&'static str, String)>, String> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let (session, open_time) = open(&args.article, args.set.as_deref())?;
    out.push(("open_ms", fmt_ms(open_time)));
    if let Some(set_path) = session.set_path.clone().filter(|p| p.is_file()) {
        // Where open_ms goes: the same steps again, one by one.
        let t = Instant::now();
        let read = crate::core::session::read_article(&args.article, false);
        out.push(("open_read_decode_hash_ms", fmt_ms(t.elapsed())));
        let t = Instant::now();
        let loaded = store::load(&set_path);
        out.push(("open_parse_ron_ms", fmt_ms(t.elapsed())));
        if let (Ok((text, _)), Ok(set)) = (read, loaded) {
            let mut s = Session::new(text, None, None);
            let t = Instant::now();
            s.install_set(set);
            out.push(("open_anchor_ms", fmt_ms(t.elapsed())));
        }
    }
    out.push(("chars", session.text.len_chars().to_string()));
    out.push(("annotations", session.set.annotations().len().to_string()));

    // Save and export first, on the session as opened.
    let tmp = std::env::temp_dir().join(format!("marginalia-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let t = Instant::now();
    let saved = store::save(&tmp.join("bench.annotations.ron"), &session.set);
    let save_time = t.elapsed();
    let t = Instant::now();
    let serialized = store::to_ron(&session.set).map(|s| s.len());
    out.push(("save_serialize_ms", fmt_ms(t.elapsed())));
    std::hint::black_box(serialized.ok());
    let set_file = session.set_path.clone();
    let name = session.display_name();
    let t = Instant::now();
    let doc = ExportDoc {
        name: &name,
        text: &session.text,
        set: &session.set,
    };
    let s = json::to_string(&[doc], &Filter::default());
    let written = std::fs::write(tmp.join("bench.json"), s);
    let export_time = t.elapsed();
    if let Err(e) = saved
        .map_err(|e| e.to_string())
        .and(written.map_err(|e| e.to_string()))
    {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // The app journals edits beside the set file: point it at the copy in
    // the temporary folder so the benchmark leaves nothing beside the
    // user's files (and a leftover journal never opens a recovery dialog).
    let mut session = session;
    session.set_path = Some(tmp.join("bench.annotations.ron"));

    out.push(("peak_rss_before_ui_mb", format!("{:.1}", peak_rss_mb())));
    let mut h = Harness::new();
    let warm = h.frame(|ui| {
        ui.label("warm-up");
    });
    let mut app = MarginaliaApp::new_with_session(session);
    let first = h.frame(|ui| app.draw(ui));
    let first_wall = h.last_wall;
    let mut all_frames = vec![first];
    let mut scroll_wall = Vec::new();
    let mut edit_wall_max = Duration::ZERO;

    // Scroll top to bottom.
    let mut scroll = Vec::new();
    let mut unchanged = 0;
    let mut prev = h.last_shapes.clone();
    let mut steps = 0usize;
    while !args.no_scroll && unchanged < 2 && steps < 1_000_000 {
        h.scroll(-SCROLL_STEP);
        let d = h.frame(|ui| app.draw(ui));
        scroll.push(d);
        scroll_wall.push(h.last_wall);
        steps += 1;
        if args.per_frame {
            eprintln!("scroll frame {steps}: {}", fmt_ms(d));
        }
        if h.last_shapes == prev {
            unchanged += 1;
        } else {
            unchanged = 0;
            prev = std::mem::take(&mut h.last_shapes);
        }
    }
    all_frames.extend(&scroll);
    out.push(("peak_rss_after_scroll_mb", format!("{:.1}", peak_rss_mb())));
    out.push((
        "cached_blocks_after_scroll",
        app.article_view()
            .map_or(0, |v| v.cached_blocks())
            .to_string(),
    ));

    // Edits at random visible positions.
    let mut rng = crate::cli::gen_bench::Rng::new(args.seed);
    let mut edit_max = Duration::ZERO;
    let len = app.session().map_or(0, |s| s.text.len_chars());
    if len > 1 {
        for _ in 0..20 {
            let cp = rng.below(len - 1);
            app.push(SelectionIntent::ScrollTo(cp));
            for _ in 0..4 {
                all_frames.push(h.frame(|ui| app.draw(ui)));
            }
            let Some(s) = app.session() else { break };
            let end = (cp + 1 + rng.below(200)).min(len);
            let id = s.set.fresh_id();
            let a = Annotation::new(id.clone(), &s.text, cp, end, "2026-01-01T00:00:00Z");
            // The two frames after adding it, then the two after deleting it.
            for cmd in [Command::AddAnnotation(a), Command::DeleteAnnotation { id }] {
                app.push(DocIntent::Execute(cmd));
                for _ in 0..2 {
                    let d = h.frame(|ui| app.draw(ui));
                    if args.per_frame {
                        eprintln!("edit frame: {}", fmt_ms(d));
                    }
                    edit_max = edit_max.max(d);
                    edit_wall_max = edit_wall_max.max(h.last_wall);
                    all_frames.push(d);
                }
            }
        }
    }

    drop(app);
    let _ = std::fs::remove_dir_all(&tmp);
    scroll.sort();
    out.push(("egui_warmup_ms", fmt_ms(warm)));
    out.push(("first_frame_ms", fmt_ms(first)));
    out.push(("scroll_frames", scroll.len().to_string()));
    out.push(("scroll_frame_p50_ms", fmt_ms(quantile(&scroll, 0.5))));
    out.push(("scroll_frame_p95_ms", fmt_ms(quantile(&scroll, 0.95))));
    out.push((
        "scroll_frame_max_ms",
        fmt_ms(scroll.last().copied().unwrap_or_default()),
    ));
    out.push(("edit_frame_max_ms", fmt_ms(edit_max)));
    out.push((
        "all_frames_max_ms",
        fmt_ms(all_frames.iter().max().copied().unwrap_or_default()),
    ));
    scroll_wall.sort();
    out.push(("first_frame_wall_ms", fmt_ms(first_wall)));
    out.push((
        "scroll_frame_p95_wall_ms",
        fmt_ms(quantile(&scroll_wall, 0.95)),
    ));
    out.push((
        "scroll_frame_max_wall_ms",
        fmt_ms(scroll_wall.last().copied().unwrap_or_default()),
    ));
    out.push(("edit_frame_max_wall_ms", fmt_ms(edit_wall_max)));
    out.push(("save_ms", fmt_ms(save_time)));
    out.push(("export_json_ms", fmt_ms(export_time)));
    out.push(("peak_rss_mb", format!("{:.1}", peak_rss_mb())));
    // Last, so its memory is not in the app's peak.
    if let Some(f) = set_file.filter(|f| f.is_file()) {
        out.push(("merge_driver_ms", fmt_ms(bench_merge(&f)?)));
    }
    Ok(out)
}

/// `merge_driver_ms`: `marginalia merge-driver` on the set, as git runs
/// it: our side notes every 100th annotation, theirs every 100th from the
/// 50th on (a clean merge of two coders' edits across the whole file).
fn bench_merge(set_file: &Path) -> Result<Duration, String> {
    use super::merge_driver::{MergeDriverArgs, run};
    let set = store::load(set_file).map_err(|e| e.to_string())?;
    let tmp = std::env::temp_dir().join(format!("marginalia-merge-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let side = |from: usize, note: &str| -> Result<String, String> {
        let mut s = set.clone();
        let mut anns = s.annotations().to_vec();
        for a in anns.iter_mut().skip(from).step_by(100) {
            a.note = Some(note.to_owned());
        }
        s.set_annotations(anns);
        store::to_ron(&s).map_err(|e| e.to_string())
    };
    let args = MergeDriverArgs {
        base: tmp.join("merge-base.ron"),
        ours: tmp.join("merge-ours.ron"),
        theirs: tmp.join("merge-theirs.ron"),
        path: Some(PathBuf::from("bench.annotations.ron")),
    };
    let base = store::to_ron(&set).map_err(|e| e.to_string())?;

    for (p, text) in [
        (&args.base, base),
        (&args.ours, side(0, "ours")?),
        (&args.theirs, side(50, "theirs")?),
    ] {
        std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let t = Instant::now();
    let code = run(&args);
    let took = t.elapsed();
    let _ = std::fs::remove_dir_all(&tmp);
    if code != 0 {
        return Err(format!("the merge driver exited {code}"));
    }
    Ok(took)
}

/// The corpus benchmark (see the module docs).
fn bench_corpus(dir: &Path, no_rename: bool) -> Result<Vec<(&'static str, String)>, String> {
    use crate::app::model::FileIntent;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut h = Harness::new();
    h.frame(|ui| {
        ui.label("warm-up");
    });
    let mut app = MarginaliaApp::empty();
    // Start to the list drawn: the frame that opens the folder (scan,
    // `corpus.ron`, the readers started) and the one that draws the list.
    let start = Instant::now();
    app.push(FileIntent::Open(dir.to_owned()));
    h.frame(|ui| app.draw(ui));
    let first = h.frame(|ui| app.draw(ui));
    out.push(("corpus_list_ms", fmt_ms(start.elapsed())));
    out.push(("corpus_first_frame_ms", fmt_ms(first)));
    let Some(c) = app.corpus_mut() else {
        return Err(format!(
            "{}: not opened as a corpus ({})",
            dir.display(),
            app.status.text
        ));
    };
    out.push(("documents", c.corpus.docs.len().to_string()));
    // Every set indexed in the background while frames run (the list's
    // progress bar), as in the window.
    let mut reading_frames = Vec::new();
    while app.corpus_mut().is_some_and(|c| c.is_reading()) {
        reading_frames.push(h.frame(|ui| app.draw(ui)));
        std::thread::sleep(Duration::from_millis(8));
    }
    out.push(("corpus_index_ms", fmt_ms(start.elapsed())));
    reading_frames.sort();
    out.push((
        "index_frame_max_ms",
        fmt_ms(reading_frames.last().copied().unwrap_or_default()),
    ));
    let Some(c) = app.corpus_mut() else {
        return Err("the corpus closed".into());
    };
    out.push(("annotations", c.index.annotations().to_string()));
    bench_queries(c, &mut out);
    bench_list_scroll(&mut h, &mut app, &mut out);
    bench_switch(&mut h, &mut app, &mut out)?;
    if !no_rename {
        bench_rename(&mut h, &mut app, &mut out)?;
    }
    out.push(("peak_rss_mb", format!("{:.1}", peak_rss_mb())));
    if let Some(c) = app.corpus_mut() {
        bench_agreement(c, &mut out)?;
    }
    Ok(out)
}

/// `segments_query_ms`: every excerpt of the most used issue, through the
/// index, as the coded-segments panel runs it.
fn bench_queries(c: &crate::app::model::CorpusState, out: &mut Vec<(&'static str, String)>) {
    use crate::core::codebook::TagKind;
    use crate::core::segments::SegmentQuery;
    let cb = &c.corpus.file.codebook;
    let all = crate::core::corpus_stats::tag_frequencies(
        &c.index,
        &SegmentQuery::default(),
        cb,
        &c.summaries,
    );
    let Some(top) = all.iter().find(|f| f.kind == TagKind::Issue) else {
        return;
    };
    let q = SegmentQuery {
        tags: vec![(TagKind::Issue, top.name.clone())],
        ..SegmentQuery::default()
    };
    let t = Instant::now();
    let found = c.index.segments(&q, cb, &c.summaries);
    out.push(("segments_query_ms", fmt_ms(t.elapsed())));
    out.push(("segments_found", found.len().to_string()));
    let t = Instant::now();
    let _ = crate::core::corpus_stats::cooccurrence(&c.index, &q, cb, &c.summaries);
    out.push(("heatmap_ms", fmt_ms(t.elapsed())));
    // A plain word over every text, as the corpus search panel runs it.
    let opts = crate::core::search::SearchOptions::default();
    if let Ok(Some(word)) = crate::core::search::Query::new("Islamabad", opts) {
        let t = Instant::now();
        let found = crate::core::corpus_search::search(
            &c.corpus,
            &word,
            &std::sync::atomic::AtomicUsize::new(0),
        );
        out.push(("corpus_search_ms", fmt_ms(t.elapsed())));
        out.push(("corpus_search_matches", found.matches.len().to_string()));
    }
}

/// `agreement_ms`: the agreement report of the corpus's first two coders
/// (by name) inside the same files, every tag, as `marginalia agreement
/// DIR --coders A,B` builds it (every set read again from disk).
fn bench_agreement(
    c: &crate::app::model::CorpusState,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    use crate::core::agreement_report::{Options, Sources, report};
    let mut coders: Vec<&str> = (0u32..).map_while(|i| c.index.coder(i)).collect();
    coders.sort_unstable();
    let [a, b, ..] = coders.as_slice() else {
        return Ok(());
    };
    // Its own peak: the process's peak so far is reset first (Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = current_rss_mb();
    let t = Instant::now();
    let r = report(
        &Sources::Coders(c.corpus.root.clone(), (*a).to_owned(), (*b).to_owned()),
        &Options::default(),
    )?;
    out.push(("agreement_ms", fmt_ms(t.elapsed())));
    out.push(("agreement_tags", r.tags.len().to_string()));
    out.push((
        "agreement_extra_rss_mb",
        format!("{:.1}", peak_rss_mb() - before),
    ));
    Ok(())
}

/// The document list scrolled top to bottom, a screen a frame.
fn bench_list_scroll(
    h: &mut Harness,
    app: &mut MarginaliaApp,
    out: &mut Vec<(&'static str, String)>,
) {
    let mut scroll = Vec::new();
    let mut prev = h.last_shapes.clone();
    let mut unchanged = 0;
    while unchanged < 2 && scroll.len() < 100_000 {
        h.scroll_at(egui::pos2(150.0, 500.0), -SCROLL_STEP);
        scroll.push(h.frame(|ui| app.draw(ui)));
        if h.last_shapes == prev {
            unchanged += 1;
        } else {
            unchanged = 0;
            prev = std::mem::take(&mut h.last_shapes);
        }
    }
    scroll.sort();
    out.push(("list_scroll_frames", scroll.len().to_string()));
    out.push(("list_scroll_frame_p95_ms", fmt_ms(quantile(&scroll, 0.95))));
    out.push((
        "list_scroll_frame_max_ms",
        fmt_ms(scroll.last().copied().unwrap_or_default()),
    ));
}

/// Ctrl+PageDown 50 times: every frame until the next document is on
/// screen; `switch_frame_ms` is the largest of them.
fn bench_switch(
    h: &mut Harness,
    app: &mut MarginaliaApp,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    use crate::app::model::CorpusIntent;
    use crate::core::query::Direction;
    let mut frames = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..50 {
        let before = app.corpus_mut().and_then(|c| c.current);
        app.push(CorpusIntent::Step(Direction::Forward));
        let t = Instant::now();
        for _ in 0..200 {
            frames.push(h.frame(|ui| app.draw(ui)));
            let now = app.corpus_mut().and_then(|c| c.current);
            if now.is_some() && now != before && !app.is_loading() {
                break;
            }
        }
        frames.push(h.frame(|ui| app.draw(ui)));
        totals.push(t.elapsed());
    }
    frames.sort();
    totals.sort();
    out.push((
        "switch_frame_ms",
        fmt_ms(frames.last().copied().unwrap_or_default()),
    ));
    out.push(("switch_p50_ms", fmt_ms(quantile(&totals, 0.5))));
    out.push((
        "switch_max_ms",
        fmt_ms(totals.last().copied().unwrap_or_default()),
    ));
    Ok(())
}

/// A corpus-wide rename of the current document's first issue (every
/// benchmark set holds the whole codebook, so every set is rewritten),
/// from the command through the preview to the last set written, then
/// its undo.
fn bench_rename(
    h: &mut Harness,
    app: &mut MarginaliaApp,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    use crate::app::model::{CorpusIntent, Modal};
    use crate::core::codebook::TagKind;
    let Some(tag) = app
        .session()
        .and_then(|s| s.set.codebook.of_kind(TagKind::Issue).next().cloned())
    else {
        return Err("the open document has no issue to rename".into());
    };
    let mut renamed = tag.clone();
    renamed.name = format!("{} (renamed)", tag.name);
    let t = Instant::now();
    app.push(DocIntent::Execute(Command::UpdateTag {
        kind: TagKind::Issue,
        name: tag.name.clone(),
        tag: renamed,
    }));
    h.frame(|ui| app.draw(ui));
    // Planned on a thread behind a progress dialog: frames run meanwhile.
    while matches!(app.modal(), Some(Modal::CorpusPlanning)) {
        std::thread::sleep(Duration::from_millis(8));
        h.frame(|ui| app.draw(ui));
    }
    let planned = t.elapsed();
    if !matches!(app.modal(), Some(Modal::CorpusChange(_))) {
        return Err(format!("no corpus-wide preview: {}", app.status.text));
    }
    app.push(CorpusIntent::ApplyChange);
    h.frame(|ui| app.draw(ui));
    out.push(("rename_tag_ms", fmt_ms(t.elapsed())));
    out.push(("rename_plan_ms", fmt_ms(planned)));
    out.push(("rename_status", app.status.text.clone()));
    // The changed sets are read again for the list and the index while
    // frames run, as in the window.
    out.push((
        "rename_reindexed_ms",
        fmt_ms(frames_while_reading(h, app, t)),
    ));
    let t = Instant::now();
    app.push(CorpusIntent::UndoChange);
    h.frame(|ui| app.draw(ui));
    out.push(("rename_undo_ms", fmt_ms(t.elapsed())));
    out.push(("undo_reindexed_ms", fmt_ms(frames_while_reading(h, app, t))));
    Ok(())
}

/// Draws frames while the corpus's sets are being read; the time since
/// `since` when the reading is over.
fn frames_while_reading(h: &mut Harness, app: &mut MarginaliaApp, since: Instant) -> Duration {
    while app.corpus_mut().is_some_and(|c| c.is_reading()) {
        h.frame(|ui| app.draw(ui));
        std::thread::sleep(Duration::from_millis(8));
    }
    since.elapsed()
}
