//! Fonts for every script the articles quote.
//!
//! egui's built-in fonts (Ubuntu-Light, Hack) cover Latin, Greek and Cyrillic
//! only; Arabic-script (Urdu, Pashto, Dari), CJK and emoji text would show as
//! boxes ("tofu"). [`install_fonts`] keeps egui's fonts first, so Latin looks
//! exactly as egui renders it, and appends two kinds of fallbacks:
//!
//! 1. **Bundled fonts**, embedded in the binary with `include_bytes!` so the
//!    program shows these scripts on any machine (files and their SIL Open
//!    Font License under `assets/fonts/`):
//!    - Noto Naskh Arabic Regular: Arabic, Urdu, Pashto, Persian/Dari, …;
//!    - a subset of Noto Sans CJK SC: the 3,755 common simplified Chinese
//!      characters of GB 2312 level 1, the 2,350 Hangul syllables of KS X 1001,
//!      kana, CJK punctuation and full-width forms;
//!    - Noto Emoji (monochrome), the one egui ships behind its
//!      `monochrome_emoji_fonts` feature.
//! 2. **System fonts**, found on demand through [`fontdb`] by
//!    [`SystemFontProvider`]: when no installed font has a character, egui asks
//!    the provider, which picks a font by script (e.g. "Noto Sans CJK SC",
//!    "Droid Sans Fallback", "WenQuanYi Micro Hei" for a rare Han character)
//!    and, failing that, any system font whose character map has it. The
//!    system font database is read in a background thread started by
//!    [`install_fonts`] a second later, so start-up neither waits for it nor
//!    shares the machine with it.
//!
//! Colour-bitmap emoji fonts (CBDT, e.g. "Noto Color Emoji") have no outlines
//! for egui's rasteriser to draw, so the provider skips fonts without
//! `glyf`/`CFF ` outlines.
//!
//! These fonts serve egui's own text (panels, lists, dialogs). egui lays
//! text out left to right without bidi (egui issues #56, #1016): in a
//! panel, the words of a right-to-left quote appear in left-to-right order.
//! The article view does not use egui's text: it is laid out by
//! cosmic-text (`app::article::engine`) with the same bundled fonts, a
//! colour emoji font, and the system fonts this module's provider loads
//! (handed over by [`install_fonts`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use egui::epaint::text::{
    Blob, FallbackRequest, FontData, FontDefinitions, FontFamily, FontId, FontInsert, FontPriority,
    FontProvider, FontTweak, Fonts, InsertFontFamily, TextOptions,
};

/// Name under which [`NOTO_NASKH_ARABIC`] is installed in the font definitions.
pub const ARABIC_FONT_NAME: &str = "NotoNaskhArabic-Regular";
/// Name under which [`NOTO_SANS_CJK_SC_SUBSET`] is installed in the font definitions.
pub const CJK_FONT_NAME: &str = "NotoSansCJKsc-Subset";
/// Name under which [`NOTO_EMOJI`] is installed in the font definitions.
pub const EMOJI_FONT_NAME: &str = "NotoEmoji-Regular";

/// Noto Naskh Arabic Regular (SIL OFL 1.1), about 170 KB: the Arabic,
/// Persian, Urdu and Pashto letters, marks and digits.
pub const NOTO_NASKH_ARABIC: &[u8] =
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");

/// A subset of Noto Sans CJK SC Regular (SIL OFL 1.1), about 1.8 MB: GB 2312
/// level-1 Han characters, KS X 1001 Hangul syllables, kana, CJK punctuation
/// and full-width forms. Made by `assets/fonts/make_cjk_subset.py`.
pub const NOTO_SANS_CJK_SC_SUBSET: &[u8] =
    include_bytes!("../../assets/fonts/NotoSansCJKsc-Subset.otf");

/// Noto Emoji Regular (SIL OFL 1.1), monochrome, about 410 KB: the emoji
/// font egui bundles behind its `monochrome_emoji_fonts` feature.
pub const NOTO_EMOJI: &[u8] = include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf");

/// The bytes of the bundled fonts, in fallback order (the article view's
/// text engine loads them too).
pub fn bundled_font_bytes() -> Vec<&'static [u8]> {
    bundled_fonts().iter().map(|(_, bytes, _)| *bytes).collect()
}

/// The bundled fonts in fallback order: name, bytes, and the tweak that
/// makes them sit well next to egui's Ubuntu-Light.
fn bundled_fonts() -> [(&'static str, &'static [u8], FontTweak); 3] {
    [
        (
            ARABIC_FONT_NAME,
            NOTO_NASKH_ARABIC,
            FontTweak {
                // Naskh letters are small for their em; bring them up to the
                // x-height of the Latin text around them.
                scale: 1.1,
                ..Default::default()
            },
        ),
        (CJK_FONT_NAME, NOTO_SANS_CJK_SC_SUBSET, FontTweak::default()),
        (
            EMOJI_FONT_NAME,
            NOTO_EMOJI,
            FontTweak {
                // The same as egui's own tweak for this font.
                scale: 0.81,
                ..Default::default()
            },
        ),
    ]
}

/// egui's default font definitions with the bundled fonts appended as
/// fallbacks to the proportional and the monospace family.
///
/// egui's own fonts stay first in each family, so Latin, Greek and Cyrillic
/// render exactly as before. No system font is involved: the result is the
/// same on every machine.
pub fn font_definitions() -> FontDefinitions {
    let mut definitions = FontDefinitions::default();
    for (name, bytes, tweak) in bundled_fonts() {
        definitions.font_data.insert(
            name.to_owned(),
            Arc::new(FontData::from_static(bytes).tweak(tweak)),
        );
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let fonts = definitions.families.entry(family).or_default();
            if !fonts.iter().any(|existing| existing == name) {
                fonts.push(name.to_owned());
            }
        }
    }
    definitions
}

/// Installs the fonts for every script: egui's defaults, then the bundled
/// fallbacks ([`font_definitions`]), then system fonts found on demand
/// ([`SystemFontProvider`], whose font database loads in a background thread).
///
/// Call once at start-up, e.g. in the `eframe` app creator. Calling it again
/// does no harm: the system font provider is added only once per context.
/// Never panics, also on a machine without any system font.
pub fn install_fonts(ctx: &egui::Context) {
    install_bundled_fonts(ctx);
    let id = egui::Id::unique("marginalia::ui::fonts::system_font_provider");
    let already = ctx.data(|data| data.get_temp::<bool>(id).unwrap_or(false));
    if !already {
        ctx.data_mut(|data| data.insert_temp(id, true));
        let provider = SystemFontProvider::new();
        // The article view's text engine falls back to the same fonts.
        crate::app::model::use_system_fonts(ctx, Arc::clone(&provider.database));
        ctx.add_font_provider(Arc::new(provider));
    }
}

/// Installs egui's default fonts and the bundled fallbacks only, with no
/// system fonts, so text renders the same on every machine (for snapshot
/// tests). See [`font_definitions`].
pub fn install_bundled_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

/// The characters of `sample` that the fonts installed in `ctx` cannot draw,
/// in the proportional family (the one used for article text), each listed
/// once, in order of first appearance.
///
/// Whitespace, control characters and invisible formatting characters
/// (zero-width joiners, direction marks, variation selectors) are skipped:
/// no font draws them. Asking may make a [`SystemFontProvider`] look for a
/// system font, as laying out the text would.
///
/// The context's fonts exist once a pass has started (`Context::run_ui`).
/// Before the first pass, the check runs against [`font_definitions`] instead
/// (the bundled fonts, no system fonts).
pub fn missing_glyph_report(ctx: &egui::Context, sample: &str) -> Vec<char> {
    missing_glyphs(ctx, &FontFamily::Proportional, sample)
}

/// Like [`missing_glyph_report`], for any font family.
pub fn missing_glyphs(ctx: &egui::Context, family: &FontFamily, sample: &str) -> Vec<char> {
    if ctx.cumulative_pass_nr() == 0 {
        return missing_glyphs_in(font_definitions(), family, sample);
    }
    let font_id = FontId::new(14.0, family.clone());
    ctx.fonts_mut(|fonts| collect_missing(sample, |c| fonts.has_glyph(&font_id, c)))
}

/// The characters of `sample` that the given font definitions alone (no
/// system fonts) cannot draw in `family`. See [`missing_glyph_report`] for
/// what is skipped.
pub fn missing_glyphs_in(
    definitions: FontDefinitions,
    family: &FontFamily,
    sample: &str,
) -> Vec<char> {
    let mut fonts = Fonts::new(TextOptions::default(), definitions);
    let font_id = FontId::new(14.0, family.clone());
    collect_missing(sample, |c| fonts.has_glyph(&font_id, c))
}

fn collect_missing(sample: &str, mut has_glyph: impl FnMut(char) -> bool) -> Vec<char> {
    let mut missing = Vec::new();
    for c in sample.chars() {
        if needs_no_glyph(c) || missing.contains(&c) {
            continue;
        }
        if !has_glyph(c) {
            missing.push(c);
        }
    }
    missing
}

/// Characters that no font is expected to draw (also used by the article
/// view's missing-glyph report).
pub fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' // soft hyphen
            | '\u{061C}' // Arabic letter mark
            | '\u{180E}' // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space, (non-)joiner, direction marks
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, isolates
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{FEFF}' // zero-width no-break space (BOM)
            | '\u{E0000}'..='\u{E007F}' // tags (emoji flag sequences)
            | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
        )
}

// ----------------------------------------------------------------------------
// System fonts

/// Total time the provider may spend scanning every system font for a
/// character that no preferred family has. After that only the preferred
/// families are tried, so a text full of exotic symbols cannot stall the UI.
const SCAN_BUDGET: Duration = Duration::from_secs(2);

/// A [`FontProvider`] that finds system fonts through [`fontdb`] for the
/// characters no installed font has.
///
/// The font database is loaded once, in a background thread started by
/// [`SystemFontProvider::new`]; if egui asks before it is ready, the request
/// waits for it. For each character the provider tries well-known families for
/// its script first (e.g. "Noto Sans CJK SC", "Droid Sans Fallback",
/// "WenQuanYi Micro Hei" for Han; "Noto Naskh Arabic" for Arabic; "Noto Emoji",
/// "Symbola" for emoji), then any other system font whose character map has the
/// character (within a total time budget). Only fonts with outlines are used.
/// Every failure (no fonts, unreadable or malformed files) means "no font".
pub struct SystemFontProvider {
    database: Arc<OnceLock<fontdb::Database>>,
    state: Mutex<ProviderState>,
}

#[derive(Default)]
struct ProviderState {
    /// Font bytes already read, by face, so each file is read once.
    loaded: HashMap<fontdb::ID, Blob>,
    /// The answer for each character asked about (egui asks once per family).
    answers: HashMap<char, Option<fontdb::ID>>,
    /// Time spent so far scanning all fonts.
    scan_spent: Duration,
}

/// How long after start-up the system font database is read in the
/// background.
pub const SYSTEM_FONTS_DELAY: Duration = Duration::from_secs(1);

impl SystemFontProvider {
    /// Creates the provider and starts loading the system font database in a
    /// background thread, [`SYSTEM_FONTS_DELAY`] later. If no thread can be
    /// started, or a request comes first, the database is loaded on the
    /// first request instead.
    pub fn new() -> Self {
        let database = Arc::new(OnceLock::new());
        let for_thread = Arc::clone(&database);
        let spawned = std::thread::Builder::new()
            .name("marginalia-system-fonts".to_owned())
            .spawn(move || {
                // Not while the window draws its first frames (scanning the
                // fonts competes with them for the machine); a request
                // before then loads the database itself.
                std::thread::sleep(SYSTEM_FONTS_DELAY);
                for_thread.get_or_init(load_system_database);
            });
        // Without a thread, `database()` loads it on the first request instead.
        drop(spawned);
        Self {
            database,
            state: Mutex::new(ProviderState::default()),
        }
    }

    /// The system font database, waiting for the background load if needed.
    pub fn database(&self) -> &fontdb::Database {
        self.database.get_or_init(load_system_database)
    }

    /// Finds a system font with a glyph for `c`, as a font to install, or
    /// `None` if no usable system font has one.
    pub fn font_for_char(&self, c: char, family: &FontFamily) -> Option<FontInsert> {
        let db = self.database();
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        let id = match state.answers.get(&c) {
            Some(answer) => (*answer)?,
            None => {
                let answer = find_face(db, c, &mut state.scan_spent);
                state.answers.insert(c, answer);
                answer?
            }
        };
        let (source, index) = db.face_source(id)?;
        let blob = match state.loaded.get(&id) {
            Some(blob) => Arc::clone(blob),
            None => {
                let blob: Blob = Arc::new(db.with_face_data(id, |data, _| data.to_vec())?);
                state.loaded.insert(id, Arc::clone(&blob));
                blob
            }
        };
        let name = match &source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => {
                format!("system:{}#{index}", path.display())
            }
            fontdb::Source::Binary(_) => format!("system:{id}"),
        };
        let families = vec![InsertFontFamily {
            family: family.clone(),
            priority: FontPriority::Lowest,
        }];
        Some(FontInsert::new(
            &name,
            FontData::from_blob(blob, index),
            families,
        ))
    }
}

impl Default for SystemFontProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl FontProvider for SystemFontProvider {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        let c = request.cluster.chars().next()?;
        self.font_for_char(c, request.family)
    }
}

fn load_system_database() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    db
}

/// Well-known families to try first for a character, best first.
fn preferred_families(c: char) -> &'static [&'static str] {
    const HAN: &[&str] = &[
        "Noto Sans CJK SC",
        "Noto Sans CJK TC",
        "Noto Sans CJK JP",
        "Noto Sans CJK KR",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "Droid Sans Fallback",
        "WenQuanYi Micro Hei",
        "WenQuanYi Zen Hei",
        "Microsoft YaHei",
        "PingFang SC",
        "AR PL UMing CN",
        "Noto Serif CJK SC",
    ];
    const KANA: &[&str] = &[
        "Noto Sans CJK JP",
        "Source Han Sans JP",
        "Noto Sans CJK SC",
        "Droid Sans Fallback",
        "IPAGothic",
        "TakaoPGothic",
        "Meiryo",
        "Hiragino Sans",
    ];
    const HANGUL: &[&str] = &[
        "Noto Sans CJK KR",
        "Source Han Sans KR",
        "NanumGothic",
        "UnDotum",
        "Malgun Gothic",
        "Apple SD Gothic Neo",
        "Noto Sans CJK SC",
        "Droid Sans Fallback",
    ];
    const ARABIC: &[&str] = &[
        "Noto Naskh Arabic",
        "Noto Sans Arabic",
        "Noto Nastaliq Urdu",
        "DejaVu Sans",
        "FreeSerif",
        "Tahoma",
        "Arial",
    ];
    const EMOJI: &[&str] = &[
        "Noto Emoji",
        "Symbola",
        "Noto Sans Symbols 2",
        "Noto Sans Symbols",
        "Segoe UI Symbol",
        "DejaVu Sans",
    ];
    const OTHER: &[&str] = &[
        "Noto Sans",
        "DejaVu Sans",
        "FreeSans",
        "Liberation Sans",
        "Arial Unicode MS",
    ];
    match u32::from(c) {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            ARABIC
        }
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF65..=0xFF9F => KANA,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xFFA0..=0xFFDC => {
            HANGUL
        }
        0x2E80..=0x2FFF
        | 0x3000..=0x303F
        | 0x3100..=0x312F
        | 0x3190..=0x31EF
        | 0x3200..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF => HAN,
        0x2190..=0x21FF
        | 0x2300..=0x23FF
        | 0x2460..=0x27BF
        | 0x2900..=0x2BFF
        | 0x1F000..=0x1FAFF => EMOJI,
        _ => OTHER,
    }
}

/// The best system face with an outline glyph for `c`, if any.
fn find_face(db: &fontdb::Database, c: char, scan_spent: &mut Duration) -> Option<fontdb::ID> {
    for name in preferred_families(c) {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(name)],
            ..fontdb::Query::default()
        };
        if let Some(id) = db.query(&query)
            && face_has_char(db, id, c)
        {
            return Some(id);
        }
    }
    if *scan_spent >= SCAN_BUDGET {
        return None;
    }
    let start = Instant::now();
    let found = db
        .faces()
        .filter(|face| face.style == fontdb::Style::Normal)
        .map(|face| face.id)
        .find(|&id| face_has_char(db, id, c));
    *scan_spent += start.elapsed();
    found
}

fn face_has_char(db: &fontdb::Database, id: fontdb::ID, c: char) -> bool {
    db.with_face_data(id, |data, index| sfnt::has_outline_glyph(data, index, c))
        .unwrap_or(false)
}

/// Just enough OpenType parsing to answer "does this face have an outline
/// glyph for this character?" without another dependency. Every read is
/// bounds-checked; malformed data answers `false`.
mod sfnt {
    fn u16_at(data: &[u8], offset: usize) -> Option<u16> {
        let bytes = data.get(offset..offset.checked_add(2)?)?;
        Some(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn u32_at(data: &[u8], offset: usize) -> Option<u32> {
        let bytes = data.get(offset..offset.checked_add(4)?)?;
        Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn usize_at(data: &[u8], offset: usize) -> Option<usize> {
        usize::try_from(u32_at(data, offset)?).ok()
    }

    /// The table `tag` of face `index` in a font file or collection.
    fn table<'a>(data: &'a [u8], index: u32, tag: &[u8; 4]) -> Option<&'a [u8]> {
        let face_offset = if data.get(0..4)? == b"ttcf" {
            let count = u32_at(data, 8)?;
            if index >= count {
                return None;
            }
            usize_at(data, 12 + 4 * usize::try_from(index).ok()?)?
        } else if index == 0 {
            0
        } else {
            return None;
        };
        let num_tables = usize::from(u16_at(data, face_offset + 4)?);
        (0..num_tables).find_map(|i| {
            let record = face_offset + 12 + 16 * i;
            if data.get(record..record + 4)? != tag {
                return None;
            }
            let offset = usize_at(data, record + 8)?;
            let length = usize_at(data, record + 12)?;
            data.get(offset..offset.checked_add(length)?)
        })
    }

    /// Has face `index` of this font file an outline (not bitmap-only) glyph
    /// for `c` in a Unicode character map?
    pub(super) fn has_outline_glyph(data: &[u8], index: u32, c: char) -> bool {
        let has_outlines = [b"glyf", b"CFF ", b"CFF2"]
            .iter()
            .any(|tag| table(data, index, tag).is_some());
        has_outlines && table(data, index, b"cmap").is_some_and(|cmap| cmap_has(cmap, c))
    }

    fn cmap_has(cmap: &[u8], c: char) -> bool {
        let Some(num_tables) = u16_at(cmap, 2) else {
            return false;
        };
        (0..usize::from(num_tables)).any(|i| {
            let record = 4 + 8 * i;
            let (Some(platform), Some(encoding), Some(offset)) = (
                u16_at(cmap, record),
                u16_at(cmap, record + 2),
                usize_at(cmap, record + 4),
            ) else {
                return false;
            };
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            unicode
                && cmap
                    .get(offset..)
                    .and_then(|subtable| subtable_glyph(subtable, u32::from(c)))
                    .is_some_and(|glyph| glyph != 0)
        })
    }

    /// The glyph id of `c` in a format 4 or 12 subtable.
    fn subtable_glyph(subtable: &[u8], c: u32) -> Option<u32> {
        match u16_at(subtable, 0)? {
            4 => {
                let c = u16::try_from(c).ok()?;
                let seg_x2 = usize::from(u16_at(subtable, 6)?);
                let ends = 14;
                let starts = ends + seg_x2 + 2;
                let deltas = starts + seg_x2;
                let range_offsets = deltas + seg_x2;
                for seg in (0..seg_x2).step_by(2) {
                    if u16_at(subtable, ends + seg)? < c {
                        continue;
                    }
                    let start = u16_at(subtable, starts + seg)?;
                    if start > c {
                        return Some(0);
                    }
                    let delta = u16_at(subtable, deltas + seg)?;
                    let range_offset = usize::from(u16_at(subtable, range_offsets + seg)?);
                    if range_offset == 0 {
                        return Some(u32::from(c.wrapping_add(delta)));
                    }
                    let at = range_offsets + seg + range_offset + 2 * usize::from(c - start);
                    let glyph = u16_at(subtable, at)?;
                    return Some(if glyph == 0 {
                        0
                    } else {
                        u32::from(glyph.wrapping_add(delta))
                    });
                }
                Some(0)
            }
            12 => {
                let groups = usize_at(subtable, 12)?;
                for group in 0..groups {
                    let at = 16 + 12 * group;
                    let start = u32_at(subtable, at)?;
                    let end = u32_at(subtable, at + 4)?;
                    if (start..=end).contains(&c) {
                        return u32_at(subtable, at + 8)?.checked_add(c - start);
                    }
                }
                Some(0)
            }
            _ => None,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::has_outline_glyph;

        #[test]
        fn reads_the_bundled_fonts() {
            let arabic = super::super::NOTO_NASKH_ARABIC;
            assert!(has_outline_glyph(arabic, 0, 'ښ'));
            assert!(has_outline_glyph(arabic, 0, 'ے'));
            assert!(!has_outline_glyph(arabic, 0, '中'));
            assert!(!has_outline_glyph(arabic, 1, 'ښ'));
            let cjk = super::super::NOTO_SANS_CJK_SC_SUBSET;
            assert!(has_outline_glyph(cjk, 0, '中'));
            assert!(has_outline_glyph(cjk, 0, 'か'));
            assert!(has_outline_glyph(cjk, 0, '한'));
            assert!(!has_outline_glyph(cjk, 0, 'ښ'));
            let emoji = super::super::NOTO_EMOJI;
            assert!(has_outline_glyph(emoji, 0, '😀'));
        }

        #[test]
        fn malformed_data_has_no_glyphs() {
            assert!(!has_outline_glyph(&[], 0, 'a'));
            assert!(!has_outline_glyph(b"ttcf\0\0\0\0\0\0\0\x05", 3, 'a'));
            assert!(!has_outline_glyph(&[0, 1, 0, 0, 0, 9, 0, 0], 0, 'a'));
            let truncated = &super::super::NOTO_NASKH_ARABIC[..4000];
            assert!(!has_outline_glyph(truncated, 0, 'ښ'));
        }
    }
}
