#![cfg(feature = "gui")]
//! Text in every script the articles quote shows glyphs, not boxes.
//!
//! Only what the bundled fonts cover is asserted: CI machines have no system
//! fonts, so system-font fallbacks (rare Han characters, …) are checked by hand.

use egui::epaint::text::{FontFamily, MissingGlyphPolicy};
use marginalia::ui::fonts::{
    ARABIC_FONT_NAME, CJK_FONT_NAME, EMOJI_FONT_NAME, font_definitions, install_bundled_fonts,
    install_fonts, missing_glyph_report, missing_glyphs, missing_glyphs_in,
};

const URDU: &str = "پاکستان اور امریکہ";
const PASHTO: &str = "پښتو";
const DARI: &str = "افغانستان";

/// Samples that the bundled fonts (plus egui's own) must cover.
const BUNDLED_SAMPLES: &[(&str, &str)] = &[
    (
        "Latin",
        "Pakistan and the United States: naïve café, 2012-07-04",
    ),
    ("Greek", "Ελληνικά"),
    ("Cyrillic", "Русский текст"),
    ("Urdu", URDU),
    ("Pashto", PASHTO),
    ("Dari", DARI),
    ("Pashto letters", "ځ څ ډ ړ ږ ښ ګ ڼ ټ ې ۍ ئ"),
    ("Urdu letters", "ٹ ڈ ڑ ں ھ ہ ۂ ے ۓ ۔ ، ؟ ۱۲۳"),
    ("Persian", "گفتگو در کابل، ۱۳۹۱"),
    ("Chinese", "中华人民共和国与巴基斯坦"),
    ("Japanese kana", "ひらがな カタカナ"),
    ("Korean", "한국어 대한민국"),
    ("CJK punctuation", "「」。、（）！"),
    ("Emoji", "😀 🎉 👍 🔥 ✅ 🚀 🌍"),
];

/// Runs one pass that shows every bundled sample, so the fonts load.
fn run_pass(ctx: &egui::Context) {
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        for (_, sample) in BUNDLED_SAMPLES {
            ui.label(*sample);
            ui.label(egui::RichText::new(*sample).monospace());
        }
    });
    // Nothing renders here; epaint asserts that deltas are not dropped unseen.
    output.textures_delta.clear();
}

#[test]
fn arabic_script_samples_have_glyphs_after_install_fonts() {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    run_pass(&ctx);
    for sample in [URDU, PASHTO, DARI] {
        assert_eq!(
            missing_glyph_report(&ctx, sample),
            Vec::<char>::new(),
            "{sample}"
        );
    }
}

#[test]
fn every_bundled_script_has_glyphs_in_both_families() {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    run_pass(&ctx);
    for (script, sample) in BUNDLED_SAMPLES {
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            assert_eq!(
                missing_glyphs(&ctx, &family, sample),
                Vec::<char>::new(),
                "{script} in {family:?}"
            );
        }
    }
}

#[test]
fn bundled_fonts_alone_cover_the_samples_without_system_fonts() {
    for (script, sample) in BUNDLED_SAMPLES {
        assert_eq!(
            missing_glyphs_in(font_definitions(), &FontFamily::Proportional, sample),
            Vec::<char>::new(),
            "{script}"
        );
    }
}

#[test]
fn laying_out_every_sample_draws_no_tofu() {
    let ctx = egui::Context::default();
    install_bundled_fonts(&ctx);
    // A missing glyph now panics instead of drawing a box.
    ctx.set_missing_glyph_policy(MissingGlyphPolicy::Panic);
    run_pass(&ctx);
}

#[test]
fn egui_fonts_stay_first_and_fallbacks_come_after() {
    let defaults = egui::FontDefinitions::default();
    let ours = font_definitions();
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let default_list = &defaults.families[&family];
        let our_list = &ours.families[&family];
        assert!(
            our_list.starts_with(default_list),
            "{family:?}: {our_list:?} should start with {default_list:?}"
        );
        assert_eq!(
            &our_list[default_list.len()..],
            [ARABIC_FONT_NAME, CJK_FONT_NAME, EMOJI_FONT_NAME].map(String::from)
        );
    }
}

#[test]
fn the_report_names_what_the_bundled_fonts_lack() {
    // U+2000B is a CJK Extension B character, not in the bundled subset;
    // whitespace and joiners are never reported.
    let sample = "a \u{200C}\u{2000B}\u{2000B}\n";
    assert_eq!(
        missing_glyphs_in(font_definitions(), &FontFamily::Proportional, sample),
        vec!['\u{2000B}']
    );
    // Before the first pass the report checks the bundled fonts.
    let ctx = egui::Context::default();
    install_bundled_fonts(&ctx);
    assert_eq!(missing_glyph_report(&ctx, sample), vec!['\u{2000B}']);
}

#[test]
fn installing_twice_is_harmless() {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    install_fonts(&ctx);
    run_pass(&ctx);
    run_pass(&ctx);
    assert_eq!(missing_glyph_report(&ctx, URDU), Vec::<char>::new());
}
