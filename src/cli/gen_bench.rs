//! `marginalia gen-bench-data DIR`: a large, realistic article and
//! annotation set for benchmarks (issue 4).
//!
//! Invariants:
//! - Output depends only on the options (size, count, seed): a xorshift
//!   PRNG drives every choice and timestamps are synthetic.
//! - The article is paragraphs of varied length separated by blank lines,
//!   a few of them very long, with multibyte characters (curly quotes,
//!   accented names, Urdu/Arabic, CJK, emoji).
//! - The set is valid: sorted, unique ids, every tag in the codebook, every
//!   span inside the text with its quote and context taken from it, source
//!   digest and length of the written text.

use crate::core::annotation::{Annotation, Stance};
use crate::core::codebook::{Codebook, Rgb, Tag, TagKind};
use crate::core::set::{AnnotationSet, SourceRef};
use crate::core::store;
use crate::core::text::Text;
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `marginalia gen-bench-data`.
#[derive(Debug, Args)]
pub struct GenBenchArgs {
    /// Folder to write `bench.txt` and `bench.annotations.ron` into
    /// (created when missing).
    pub dir: PathBuf,
    /// Approximate article size in megabytes (10^6 bytes of UTF-8).
    #[arg(long, default_value_t = 5.0)]
    pub mb: f64,
    /// Number of annotations.
    #[arg(long, default_value_t = 50_000)]
    pub annotations: usize,
    /// PRNG seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Every paragraph mixes Latin with an Arabic-script run (an Urdu
    /// quote of 4–14 words): the mixed-script layout benchmark.
    #[arg(long)]
    pub mixed: bool,
    /// Write a corpus of this many small documents instead (about 3 KB of
    /// text and `--per-doc` annotations each, in three outlet folders,
    /// with statuses and an `outlet` attribute).
    #[arg(long, value_name = "N")]
    pub corpus: Option<usize>,
    /// Write the corpus benchmark instead: this many documents of about
    /// 5,000 characters, every one coded with `--per-doc` (default 100)
    /// overlapping annotations over 50 issues and 200 actors, dated over
    /// two years, with the attributes `outlet` and `country`.
    #[arg(long, value_name = "N", conflicts_with = "corpus")]
    pub documents: Option<usize>,
    /// Annotations per document of `--corpus` (default 10) or
    /// `--documents` (default 100).
    #[arg(long)]
    pub per_doc: Option<usize>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: &GenBenchArgs) -> i32 {
    if !(args.mb > 0.0 && args.mb <= 1000.0) {
        eprintln!("marginalia: error: --mb must be between 0 and 1000");
        return 2;
    }
    let spec = match (args.corpus, args.documents) {
        (Some(n), _) => Some(CorpusSpec {
            documents: n,
            per_doc: args.per_doc.unwrap_or(10),
            chars: 3000,
            all_coded: false,
        }),
        (None, Some(n)) => Some(CorpusSpec {
            documents: n,
            per_doc: args.per_doc.unwrap_or(100),
            chars: 5000,
            all_coded: true,
        }),
        (None, None) => None,
    };
    if let Some(spec) = spec {
        return match write_corpus_data(&args.dir, &spec, args.seed) {
            Ok(()) => {
                println!("{}", args.dir.display());
                0
            }
            Err(e) => {
                eprintln!("marginalia: error: {e}");
                1
            }
        };
    }
    let kind = if args.mixed {
        TextKind::Mixed
    } else {
        TextKind::Plain
    };
    match write_bench_data(&args.dir, args.mb, args.annotations, args.seed, kind) {
        Ok((txt, ron)) => {
            println!("{}", txt.display());
            println!("{}", ron.display());
            0
        }
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

/// What the generated article's paragraphs hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Mostly English, a foreign word now and then.
    Plain,
    /// Every paragraph also quotes a run of Urdu.
    Mixed,
}

/// Writes `dir/bench.txt` and `dir/bench.annotations.ron`; returns their
/// paths.
pub fn write_bench_data(
    dir: &Path,
    mb: f64,
    annotations: usize,
    seed: u64,
    kind: TextKind,
) -> Result<(PathBuf, PathBuf), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let bytes = (mb * 1_000_000.0) as usize;
    let content = match kind {
        TextKind::Plain => generate_text(bytes, seed),
        TextKind::Mixed => generate_mixed_text(bytes, seed),
    };
    let txt = dir.join("bench.txt");
    std::fs::write(&txt, &content).map_err(|e| format!("{}: {e}", txt.display()))?;
    let text = Text::new(content);
    let set = generate_set(&text, "bench.txt", annotations, seed);
    let ron = dir.join("bench.annotations.ron");
    store::save(&ron, &set).map_err(|e| e.to_string())?;
    Ok((txt, ron))
}

/// What [`write_corpus_data`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusSpec {
    /// Number of documents.
    pub documents: usize,
    /// Annotations per coded document.
    pub per_doc: usize,
    /// Approximate characters per document.
    pub chars: usize,
    /// Every document coded (else every third one has no set, and
    /// documents are dated within 2012 with one attribute).
    pub all_coded: bool,
}

/// Writes a corpus under `dir`: `<outlet>/<date>_<i>.txt` with its set
/// (`per_doc` annotations, a title, a date, a status and the `outlet`
/// attribute, plus `country` for the benchmark corpus).
pub fn write_corpus_data(dir: &Path, spec: &CorpusSpec, seed: u64) -> Result<(), String> {
    use crate::core::set::DocStatus;
    const OUTLETS: [(&str, &str); 4] = [
        ("Dawn", "PK"),
        ("The Nation", "PK"),
        ("Express Tribune", "PK"),
        ("Pajhwok", "AF"),
    ];
    let outlets = if spec.all_coded { 4 } else { 3 };
    for i in 0..spec.documents {
        let (outlet, country) = OUTLETS[i % outlets];
        let folder = dir.join(outlet.to_lowercase().replace(' ', "-"));
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let date = if spec.all_coded {
            // Two years, 2011-07 to 2013-06.
            let m = (i * 7) % 24;
            format!(
                "{}-{:02}-{:02}",
                2011 + (m + 6) / 12,
                1 + (m + 6) % 12,
                1 + i % 28
            )
        } else {
            format!("2012-{:02}-{:02}", 1 + i % 12, 1 + i % 28)
        };
        let name = format!("{date}_{i:05}.txt");
        let content = generate_text(spec.chars, seed.wrapping_add(i as u64));
        let txt = folder.join(&name);
        std::fs::write(&txt, &content).map_err(|e| format!("{}: {e}", txt.display()))?;
        if !spec.all_coded && i % 3 == 2 {
            continue;
        }
        let text = Text::new(content);
        let mut set = generate_set(&text, &name, spec.per_doc, seed.wrapping_add(i as u64));
        set.metadata.title = Some(format!("Article {i} of {outlet}"));
        set.metadata.date = Some(date);
        set.metadata.status = DocStatus::ALL[(i / 3) % 3];
        set.metadata
            .attributes
            .insert("outlet".into(), outlet.to_owned());
        if spec.all_coded {
            set.metadata
                .attributes
                .insert("country".into(), country.to_owned());
        }
        store::save(&store::set_path_for(&txt), &set).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A small deterministic PRNG (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for this seed (any value, 0 included).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`; returns 0 for `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A random element.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "the",
    "the",
    "of",
    "of",
    "and",
    "and",
    "to",
    "to",
    "in",
    "a",
    "a",
    "that",
    "is",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "said",
    "officials",
    "government",
    "military",
    "talks",
    "border",
    "supply",
    "routes",
    "truce",
    "ceasefire",
    "drone",
    "strikes",
    "negotiations",
    "agreement",
    "security",
    "province",
    "tribal",
    "region",
    "forces",
    "army",
    "intelligence",
    "minister",
    "foreign",
    "relations",
    "apology",
    "convoy",
    "trucks",
    "NATO",
    "Islamabad",
    "Washington",
    "Kabul",
    "Peshawar",
    "Karachi",
    "Quetta",
    "Khyber",
    "Torkham",
    "Chaman",
    "Waziristan",
    "Taliban",
    "Haqqani",
    "network",
    "ISI",
    "CIA",
    "Pentagon",
    "embassy",
    "parliament",
    "resolution",
    "sovereignty",
    "aid",
    "billion",
    "dollars",
    "reimbursement",
    "coalition",
    "support",
    "fund",
    "after",
    "before",
    "during",
    "months",
    "weeks",
    "years",
    "however",
    "although",
    "meanwhile",
    "analysts",
    "diplomats",
    "spokesman",
    "statement",
    "reported",
    "according",
    "sources",
    "senior",
    "unnamed",
    "official",
    "week",
    "Tuesday",
    "Friday",
    "crisis",
    "relationship",
    "frenemies",
    "strategic",
    "dialogue",
    "counterterrorism",
    "operations",
    "civilian",
    "casualties",
    "protest",
    "rally",
    "opposition",
    "party",
    "leaders",
    "“frenemies”",
    "‘strategic",
    "depth’",
    "Pakistan’s",
    "America’s",
    "—",
    "—",
    "café",
    "naïve",
    "rôle",
    "déjà",
    "façade",
    "Zürich",
    "São",
    "Paulo",
];

const NAMES: &[&str] = &[
    "Hillary Clinton",
    "Hina Rabbani Khar",
    "Asif Ali Zardari",
    "Yousaf Raza Gilani",
    "Ashfaq Parvez Kayani",
    "Leon Panetta",
    "Marc Grossman",
    "Sherry Rehman",
    "José Ramírez",
    "Zoë Müller",
    "François Lefèvre",
    "Ayşe Gülşen",
    "Søren Kierkegaard",
    "Naïma Benali",
    "Björn Ødegård",
    "Małgorzata Wójcik",
    "Đorđe Petrović",
];

const FOREIGN: &[&str] = &[
    "پاکستان",
    "اردو",
    "امن",
    "مذاکرات",
    "حکومت",
    "السلام عليكم",
    "حكومة",
    "طالبان",
    "کابل",
    "中国",
    "和平",
    "谈判",
    "安全",
    "巴基斯坦",
    "平和",
    "交渉",
    "😀",
    "🙂",
    "🇵🇰",
    "🕊️",
    "✌🏽",
    "Ελλάδα",
    "Россия",
    "Москва",
];

fn sentence(rng: &mut Rng, out: &mut String) {
    let len = 6 + rng.below(22);
    let mut first = true;
    for _ in 0..len {
        if !first {
            out.push(' ');
        }
        let r = rng.below(100);
        let w: &str = if r < 5 {
            rng.pick(NAMES)
        } else if r < 8 {
            rng.pick(FOREIGN)
        } else {
            rng.pick(WORDS)
        };
        if first {
            let mut cs = w.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(w);
        }
        first = false;
        if rng.chance(6) {
            out.push(',');
        }
    }
    if rng.chance(10) {
        out.push_str(", he said: “");
        out.push_str(rng.pick(WORDS));
        out.push(' ');
        out.push_str(rng.pick(FOREIGN));
        out.push_str(".”");
    } else {
        out.push('.');
    }
}

/// An article of about `bytes` UTF-8 bytes: paragraphs separated by blank
/// lines, most of 1–8 sentences, a few of hundreds (very long blocks).
pub fn generate_text(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("Pakistan and the United States: a long truce\n\n");
    while out.len() < bytes {
        let sentences = match rng.below(100) {
            0..=1 => 100 + rng.below(300),
            2..=9 => 12 + rng.below(30),
            10..=14 => 1,
            _ => 2 + rng.below(7),
        };
        for i in 0..sentences {
            if i > 0 {
                out.push(' ');
            }
            sentence(&mut rng, &mut out);
            if out.len() >= bytes {
                break;
            }
        }
        out.push_str("\n\n");
    }
    out.push_str("The end.\n");
    out
}

/// Urdu words for the mixed-script article's quotes.
const URDU: &[&str] = &[
    "پاکستان",
    "اور",
    "امریکہ",
    "کے",
    "درمیان",
    "مذاکرات",
    "دوبارہ",
    "شروع",
    "ہوئے",
    "ہیں",
    "حکومت",
    "نے",
    "کہا",
    "کہ",
    "سرحد",
    "پر",
    "تجارت",
    "بحال",
    "ہوگی",
    "وزیر",
    "خارجہ",
    "اسلام",
    "آباد",
    "میں",
    "امن",
    "معاہدہ",
    "طالبان",
    "کابل",
    "سے",
    "بات",
    "چیت",
    "۲۰۲۴",
    "جنگ",
    "بندی",
    "کا",
    "اعلان",
    "کیا",
    "گیا",
];

/// Like [`generate_text`], with an Urdu quote of 4–14 words in every
/// paragraph (after its first sentence), for the mixed-script benchmark.
pub fn generate_mixed_text(bytes: usize, seed: u64) -> String {
    let plain = generate_text(bytes, seed);
    let mut rng = Rng::new(seed ^ 0x5eed);
    let mut out = String::with_capacity(plain.len() + plain.len() / 3);
    for (i, para) in plain.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let cut = para.find(". ").map_or(para.len(), |k| k + 1);
        out.push_str(&para[..cut]);
        if para.is_empty() {
            continue;
        }
        out.push_str(" The spokesman said: “");
        for k in 0..4 + rng.below(11) {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(rng.pick(URDU));
        }
        out.push_str("” ");
        out.push_str(para[cut..].trim_start());
    }
    out
}

/// Word spans `(start, end)` in code points.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut i = 0;
    for c in text.chars() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        spans.push((s, i));
    }
    spans
}

fn color(rng: &mut Rng) -> Rgb {
    // Light, saturated colours like the palette's.
    let mut c = [0u8; 3];
    for v in &mut c {
        *v = 120 + rng.below(136) as u8;
    }
    c[rng.below(3)] = 90 + rng.below(60) as u8;
    Rgb(c)
}

/// The bench codebook: 50 issues and 200 actors with colours; digits 1–9 on
/// the first issues and actors.
pub fn generate_codebook(seed: u64) -> Codebook {
    let mut rng = Rng::new(seed ^ 0xC0DE);
    let mut tags = Vec::new();
    for i in 0..50 {
        let mut t = Tag::new(
            TagKind::Issue,
            &format!("Issue {i:02} {}", WORDS[20 + i]),
            color(&mut rng),
        );
        if i < 5 {
            t.digit = Some(i as u8 + 1);
        }
        if i % 10 == 3 {
            t.description = Some(format!("Statements on {}", WORDS[20 + i]));
        }
        tags.push(t);
    }
    for i in 0..200 {
        let base = NAMES[i % NAMES.len()];
        let mut t = Tag::new(TagKind::Actor, &format!("{base} {i:03}"), color(&mut rng));
        if i < 4 {
            t.digit = Some(i as u8 + 6);
        }
        tags.push(t);
    }
    Codebook::from_tags(tags)
}

/// A set of `count` annotations on `text`: overlapping word-aligned spans
/// of varied length (mostly a few words, some paragraphs long), 1–2 issues
/// and 0–3 actors each, some notes and stances.
pub fn generate_set(text: &Text, source_path: &str, count: usize, seed: u64) -> AnnotationSet {
    let mut rng = Rng::new(seed ^ 0xA11CE);
    let mut set = AnnotationSet::new(SourceRef {
        path: source_path.to_owned(),
        sha256: text.sha256().to_owned(),
        length: text.len_chars(),
        ..Default::default()
    });
    set.codebook = generate_codebook(seed);
    set.metadata.title = Some("Pakistan and the United States: a long truce".into());
    set.metadata.date = Some("2012-07-04".into());
    let issues: Vec<String> = set
        .codebook
        .of_kind(TagKind::Issue)
        .map(|t| t.name.clone())
        .collect();
    let actors: Vec<String> = set
        .codebook
        .of_kind(TagKind::Actor)
        .map(|t| t.name.clone())
        .collect();
    let words = words(text.as_str());
    if words.is_empty() {
        return set;
    }
    let mut annotations = Vec::with_capacity(count);
    for n in 0..count {
        let first = rng.below(words.len());
        let len_words = match rng.below(1000) {
            0..=2 => 300 + rng.below(3000),
            3..=59 => 40 + rng.below(200),
            _ => 1 + rng.below(25),
        };
        let last = (first + len_words - 1).min(words.len() - 1);
        let (start, end) = (words[first].0, words[last].1);
        let day = 1 + n % 28;
        let now = format!(
            "2026-{:02}-{day:02}T{:02}:{:02}:{:02}Z",
            1 + n % 12,
            n % 24,
            (n / 24) % 60,
            (n / 1440) % 60
        );
        let mut a = Annotation::new(format!("a{}", n + 1), text, start, end, &now);
        for _ in 0..1 + rng.below(2) {
            a.add_tag(TagKind::Issue, &issues[rng.below(issues.len())]);
        }
        for _ in 0..rng.below(4) {
            a.add_tag(TagKind::Actor, &actors[rng.below(actors.len())]);
        }
        if rng.chance(10) {
            a.note = Some(format!(
                "Check against the {} cable; “{}” — {}",
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.pick(FOREIGN)
            ));
        }
        a.stance = match rng.below(10) {
            0..=1 => Some(Stance::Support),
            2 => Some(Stance::Oppose),
            3 => Some(Stance::Neutral),
            _ => None,
        };
        if rng.chance(50) {
            a.coder = Some(["amina", "ben", "chen"][rng.below(3)].to_owned());
        }
        annotations.push(a);
    }
    set.set_annotations(annotations);
    set.normalize();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_data_is_deterministic_valid_and_multibyte() {
        let mixed = generate_mixed_text(40_000, 7);
        assert_eq!(mixed, generate_mixed_text(40_000, 7));
        for para in mixed.split("\n\n").filter(|p| !p.is_empty()) {
            assert!(
                para.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)),
                "{para}"
            );
            assert!(para.chars().any(|c| c.is_ascii_alphabetic()), "{para}");
        }
        let content = generate_text(40_000, 7);
        assert_eq!(content, generate_text(40_000, 7));
        assert_ne!(content, generate_text(40_000, 8));
        assert!(content.len() >= 40_000 && content.len() < 60_000);
        assert!(content.contains("\n\n"));
        assert!(content.chars().any(|c| c as u32 > 0xFFFF), "emoji expected");
        assert!(
            content
                .chars()
                .any(|c| ('\u{600}'..='\u{6FF}').contains(&c))
        );
        let text = Text::new(content);
        let set = generate_set(&text, "bench.txt", 500, 7);
        assert_eq!(set.annotations().len(), 500);
        assert_eq!(set.codebook.of_kind(TagKind::Issue).count(), 50);
        assert_eq!(set.codebook.of_kind(TagKind::Actor).count(), 200);
        let mut ids: Vec<&str> = set.annotations().iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 500);
        for a in set.annotations() {
            assert!(a.start < a.end && a.end <= text.len_chars());
            assert_eq!(a.quote, text.slice(a.start, a.end));
            for (kind, name) in a.all_tags() {
                assert!(set.codebook.get(kind, name).is_some());
            }
        }
        let mut anchored = set.clone();
        let report = crate::core::anchor::anchor_set(&mut anchored, &text);
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(anchored, set);
    }
}
