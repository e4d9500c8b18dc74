//! Right-to-left and mixed-script text in the article view, driven like a
//! user: double-click and drag select what is under the pointer, the tag
//! popup tags what is drawn as selected, right-to-left paragraphs read from
//! the right margin; and one image snapshot of a mixed paragraph with a
//! selection and overlapping highlights (rendered on the CPU).

mod common;

use common::{press, selected_text, type_text};
use egui::{Key, Modifiers, Pos2, Rect, Vec2};
use egui_kittest::Harness;
use marginalia::app::MarginaliaApp;
use marginalia::core::session::{OpenOptions, Session};

/// An English line quoting Urdu, an all-Urdu paragraph and a line mixing
/// Latin, Urdu and digits (Urdu: "what is the matter?", "Pakistan and
/// Afghanistan border trade", "the talks resumed in 2024").
const ARTICLE: &str = "Mixed scripts\n\
The minister said \"\u{06a9}\u{06cc}\u{0627} \u{0628}\u{0627}\u{062a} \u{06c1}\u{06d2}\u{061f}\" before leaving Islamabad.\n\
\u{067e}\u{0627}\u{06a9}\u{0633}\u{062a}\u{0627}\u{0646} \u{0627}\u{0648}\u{0631} \u{0627}\u{0641}\u{063a}\u{0627}\u{0646}\u{0633}\u{062a}\u{0627}\u{0646} \u{0633}\u{0631}\u{062d}\u{062f}\u{06cc} \u{062a}\u{062c}\u{0627}\u{0631}\u{062a}\u{06d4}\n\
Officials wrote \u{0645}\u{0630}\u{0627}\u{06a9}\u{0631}\u{0627}\u{062a} 2024 \u{0645}\u{06cc}\u{06ba} \u{0628}\u{062d}\u{0627}\u{0644} in their notes.\n";

fn open_article(dir: &std::path::Path) -> MarginaliaApp {
    let path = dir.join("mixed.txt");
    std::fs::write(&path, ARTICLE).unwrap();
    let (session, _) = Session::open(&path, &OpenOptions::default()).unwrap();
    MarginaliaApp::new_with_session(session)
}

/// Code points of the first `needle` in the article.
fn find(needle: &str) -> (usize, usize) {
    let byte = ARTICLE.find(needle).expect("in the article");
    let start = ARTICLE[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The centre of where `needle` was drawn (its first rectangle).
fn centre_of(h: &Harness<'_, MarginaliaApp>, needle: &str) -> Pos2 {
    let (s, e) = find(needle);
    let rects = h.state().article_view().unwrap().screen_rects_of(s, e);
    rects.first().expect("drawn").center()
}

fn double_click(h: &mut Harness<'_, MarginaliaApp>, p: Pos2) {
    // Half a second after any earlier click, so this is no triple-click.
    h.run_steps(30);
    h.hover_at(p);
    h.step();
    for _ in 0..2 {
        common::press_release(h, p);
        h.step();
    }
    h.run_steps(2);
}

#[test]
fn double_click_selects_the_word_under_the_pointer_after_and_inside_a_right_to_left_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness_with_fonts(open_article(dir.path()), false);
    for word in [
        "leaving",
        "Islamabad",
        "\u{0628}\u{0627}\u{062a}",
        "\u{06a9}\u{06cc}\u{0627}",
        "\u{0627}\u{0641}\u{063a}\u{0627}\u{0646}\u{0633}\u{062a}\u{0627}\u{0646}",
        "2024",
        "notes",
    ] {
        let p = centre_of(&h, word);
        double_click(&mut h, p);
        assert_eq!(selected_text(h.state()), word, "double-click at {p:?}");
    }
}

#[test]
fn a_drag_across_a_direction_change_selects_the_logical_range_and_tags_what_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness_with_fonts(open_article(dir.path()), false);
    // From "said" into the second Urdu word: on screen the Urdu run reads
    // from its right, so the pointer moves right past the first Urdu word.
    let from = centre_of(&h, "said");
    let to = centre_of(&h, "\u{0628}\u{0627}\u{062a}");
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    h.hover_at(from + Vec2::new(10.0, 0.0));
    h.step();
    h.hover_at(to);
    h.step();
    h.drop_at(to);
    h.run_steps(2);
    let expected = "said \"\u{06a9}\u{06cc}\u{0627} \u{0628}\u{0627}\u{062a}";
    assert_eq!(selected_text(h.state()), expected);
    // Two rectangles on one row: the Latin part and the Urdu part.
    let (s, e) = find(expected);
    let drawn = h.state().article_view().unwrap().screen_rects_of(s, e);
    assert_eq!(drawn.len(), 2, "{drawn:?}");
    assert!((drawn[0].min.y - drawn[1].min.y).abs() < 0.5);

    press(&mut h, Modifiers::NONE, Key::T);
    type_text(&mut h, "Quotes");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    let s_ = h.state().session().unwrap();
    assert_eq!(s_.set.annotations().len(), 1);
    let a = &s_.set.annotations()[0];
    assert_eq!(a.quote, expected);
    assert_eq!(a.issues, ["Quotes"]);
    let tinted = h
        .state()
        .article_view()
        .unwrap()
        .screen_rects_of(a.start, a.end);
    assert_eq!(tinted, drawn, "the tag covers what was drawn as selected");
}

#[test]
fn right_to_left_paragraphs_read_from_the_right_margin() {
    let dir = tempfile::tempdir().unwrap();
    let h = common::harness_with_fonts(open_article(dir.path()), false);
    let view = h.state().article_view().unwrap();
    let (s, e) = find("Mixed scripts");
    let column: Rect = view.screen_rects_of(s, e)[0];
    // The Urdu paragraph's first word ends at the right; the English
    // line's first word starts at the left margin.
    let (s, e) = find("\u{067e}\u{0627}\u{06a9}\u{0633}\u{062a}\u{0627}\u{0646}");
    let first_word = view.screen_rects_of(s, e)[0];
    let (s, e) = find("The minister");
    let english = view.screen_rects_of(s, e)[0];
    assert!((english.min.x - column.min.x).abs() < 1.0);
    let (s, e) = find("\u{062a}\u{062c}\u{0627}\u{0631}\u{062a}");
    let line_end = view.screen_rects_of(s, e)[0];
    assert!(
        first_word.min.x > line_end.max.x,
        "the first word is right of the last"
    );
    let right_margin = h.state().article_view().unwrap().screen_rect.unwrap().max.x;
    assert!(
        first_word.max.x > right_margin - 60.0,
        "{first_word:?} vs {right_margin}"
    );
}

#[test]
fn a_mixed_paragraph_with_a_selection_and_overlapping_highlights_looks_right() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_article(dir.path());
    let mut h = Harness::builder()
        .with_size(Vec2::new(760.0, 230.0))
        .with_step_dt(1.0 / 60.0)
        .renderer(common::cpu_render::CpuRenderer::default())
        .build_ui_state(|ui, app: &mut MarginaliaApp| app.draw(ui), app);
    marginalia::ui::fonts::install_bundled_fonts(&h.ctx);
    h.run_steps(4);
    use marginalia::app::model::{DocIntent, SelectionIntent};
    use marginalia::core::codebook::TagKind;
    // Two overlapping annotations across the direction change and a
    // selection inside the Urdu run of the last line.
    let tag = |h: &mut Harness<'_, MarginaliaApp>, (s, e): (usize, usize), kind, name: &str| {
        h.state_mut()
            .push(SelectionIntent::Set { anchor: s, head: e });
        h.state_mut().push(DocIntent::ApplyTag {
            kind,
            name: name.into(),
            create: true,
        });
        h.run_steps(2);
    };
    tag(
        &mut h,
        find("said \"\u{06a9}\u{06cc}\u{0627} \u{0628}\u{0627}\u{062a}"),
        TagKind::Issue,
        "Quotes",
    );
    tag(
        &mut h,
        find("\u{0628}\u{0627}\u{062a} \u{06c1}\u{06d2}\u{061f}\" before"),
        TagKind::Actor,
        "Minister",
    );
    let (s, e) = find("\u{0645}\u{0630}\u{0627}\u{06a9}\u{0631}\u{0627}\u{062a} 2024");
    h.state_mut()
        .push(SelectionIntent::Set { anchor: s, head: e });
    h.run_steps(4);
    h.snapshot("mixed_script_paragraph");
}

#[test]
fn a_script_without_a_font_is_named_once_in_the_status_bar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("santali.txt");
    // Ol Chiki (Santali): no bundled font has it, nor the test machines'.
    std::fs::write(
        &path,
        "A Santali word: \u{1C5A}\u{1C5F}\u{1C62}\u{1C5F}.\nAnd another: \u{1C65}\u{1C5F}.\n",
    )
    .unwrap();
    let (session, _) = Session::open(&path, &OpenOptions::default()).unwrap();
    // (The title repeats the Ol Chiki word: egui's own text draws boxes.)
    let mut h = common::harness_with_fonts(MarginaliaApp::new_with_session(session), true);
    h.run_steps(2);
    let status = h.state().status.text.clone();
    assert!(status.contains("Ol Chiki"), "{status}");
    assert_eq!(status.matches("Ol Chiki").count(), 1, "{status}");
    // Named once: another message is not replaced by it again.
    h.state_mut().status = marginalia::app::model::Status::info("Saved");
    h.run_steps(3);
    assert_eq!(h.state().status.text, "Saved");
}

#[test]
fn a_megabyte_line_without_spaces_lays_out_and_hit_tests() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    let line: String = "\u{0627}\u{0628}x1\u{0301}".repeat(200_000);
    std::fs::write(&path, format!("Title\n{line}\nEnd.\n")).unwrap();
    let (session, _) = Session::open(&path, &OpenOptions::default()).unwrap();
    let mut h = common::harness(MarginaliaApp::new_with_session(session));
    let n = h.state().session().unwrap().text.len_chars();
    // Jump into the middle of the line and click there.
    let mid = 500_000;
    h.state_mut()
        .push(marginalia::app::model::SelectionIntent::ScrollTo(mid));
    h.run_steps(4);
    let rects = h
        .state()
        .article_view()
        .unwrap()
        .screen_rects_of(mid, mid + 5);
    assert!(!rects.is_empty(), "the middle of the line is drawn");
    let p = rects[0].center();
    h.hover_at(p);
    h.step();
    common::press_release(&mut h, p);
    h.run_steps(2);
    let caret = h.state().view().caret.expect("a caret");
    assert!(
        caret.abs_diff(mid) <= 10 && caret <= n,
        "caret {caret} near {mid}"
    );
}
