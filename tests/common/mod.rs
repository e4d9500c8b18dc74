//! Helpers shared by the kittest files (`tests/gui_*.rs`): a copy of the
//! sample article, opening it, harnesses sized like the window, typing and
//! pressing keys.
#![allow(dead_code)] // each test file uses some of them

pub mod cpu_render;

use egui::{Event, Key, Modifiers, Vec2};
use egui_kittest::Harness;
use marginalia::app::MarginaliaApp;
use marginalia::core::session::{OpenOptions, Session};
use std::path::{Path, PathBuf};

/// Copies the sample article into a fresh folder (so tests never write into
/// the repository) under a name no set in `saves/` matches.
pub fn sample_copy(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/us-pakistan-truce.txt");
    let dst = dir.join("truce.txt");
    std::fs::copy(src, &dst).expect("copy sample");
    dst
}

/// The app with `path` open (as the window opens it, without dialogs).
pub fn open(path: &Path) -> MarginaliaApp {
    let (session, _warnings) = Session::open(path, &OpenOptions::default()).expect("open");
    MarginaliaApp::new_with_session(session)
}

fn builder() -> egui_kittest::HarnessBuilder<MarginaliaApp> {
    Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
}

/// A 1280×800 harness running the app's `draw`, with egui's own fonts
/// (enough for the English sample; a missing glyph fails the test).
pub fn harness(app: MarginaliaApp) -> Harness<'static, MarginaliaApp> {
    harness_after(app, 3)
}

/// Like [`harness`], after `steps` frames (1: just the first frame).
pub fn harness_after(app: MarginaliaApp, steps: usize) -> Harness<'static, MarginaliaApp> {
    let mut h = builder().build_ui_state(|ui, app: &mut MarginaliaApp| app.draw(ui), app);
    h.run_steps(steps);
    h
}

/// Like [`harness`], with the app's fonts (Arabic script, CJK, symbols)
/// as in the window; `allow_missing_glyphs` draws a box for a character no
/// font has, as the window does, instead of failing.
pub fn harness_with_fonts(
    app: MarginaliaApp,
    allow_missing_glyphs: bool,
) -> Harness<'static, MarginaliaApp> {
    let mut b = builder();
    if allow_missing_glyphs {
        b = b.allow_missing_glyphs();
    }
    let mut h = b.build_ui_state(|ui, app: &mut MarginaliaApp| app.draw(ui), app);
    marginalia::ui::fonts::install_fonts(&h.ctx);
    h.run_steps(8);
    h
}

/// Presses and releases the primary button at `pos` within one frame (a
/// click), without running a frame.
pub fn press_release(h: &mut Harness<'_, MarginaliaApp>, pos: egui::Pos2) {
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
}

/// Types `s` into the focused widget.
pub fn type_text(h: &mut Harness<'_, MarginaliaApp>, s: &str) {
    h.event(Event::Text(s.to_owned()));
    h.run_steps(2);
}

/// Presses a key with modifiers and lets the app handle it.
pub fn press(h: &mut Harness<'_, MarginaliaApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
}

/// Ctrl (Cmd on a Mac) + Shift.
pub fn ctrl_shift() -> Modifiers {
    Modifiers::COMMAND | Modifiers::SHIFT
}

/// Tags the article's first three characters with a new tag `name`, as
/// the tag popup does.
pub fn tag_start(
    h: &mut Harness<'_, MarginaliaApp>,
    kind: marginalia::core::codebook::TagKind,
    name: &str,
) {
    use marginalia::app::model::{DocIntent, SelectionIntent};
    h.state_mut()
        .push(SelectionIntent::Set { anchor: 0, head: 3 });
    h.state_mut().push(DocIntent::ApplyTag {
        kind,
        name: name.into(),
        create: true,
    });
    h.run_steps(3);
}

/// The selected text of the article.
pub fn selected_text(app: &MarginaliaApp) -> String {
    let s = app.session().expect("session");
    let (a, b) = app.view().selection.expect("a selection").range();
    s.text.slice(a, b).to_owned()
}

/// A file or folder dropped on the window (kittest's raw input).
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
