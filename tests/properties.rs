//! Property tests: RON save → load is the identity; re-anchoring after
//! edits elsewhere never loses an untouched annotation, never panics and
//! is deterministic; the RON loader and article decoding never panic on
//! arbitrary or mutated bytes.
//!
//! Case counts stay small by default so the suite is fast; a long,
//! fuzz-like run: `PROPTEST_CASES=200000 cargo test --release --test
//! properties` (the count applies to every property here).

use marginalia::core::anchor::anchor_set;
use marginalia::core::annotation::{Annotation, Stance};
use marginalia::core::codebook::{Rgb, Tag, TagKind};
use marginalia::core::decode;
use marginalia::core::set::{AnnotationSet, Metadata, SourceRef};
use marginalia::core::store;
use marginalia::core::text::Text;
use proptest::prelude::*;
use std::path::Path;

fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Tag names: anything non-empty after trimming (quotes, commas,
/// parentheses, RTL text, emoji…).
fn tag_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z (),\"'\\\\#:;]{1,12}",
        any::<String>(),
        Just("“Haqqani” network (حقانی)".to_owned()),
    ]
    .prop_map(|s| s.trim().to_owned())
    .prop_filter("non-empty", |s| !s.is_empty())
}

#[derive(Debug, Clone)]
struct AnnSpec {
    a: usize,
    b: usize,
    note: Option<String>,
    stance: Option<u8>,
    tags: Vec<(bool, usize)>,
}

fn ann_spec() -> impl Strategy<Value = AnnSpec> {
    (
        any::<usize>(),
        any::<usize>(),
        prop::option::of(any::<String>()),
        prop::option::of(0u8..3),
        prop::collection::vec((any::<bool>(), any::<usize>()), 0..4),
    )
        .prop_map(|(a, b, note, stance, tags)| AnnSpec {
            a,
            b,
            note,
            stance,
            tags,
        })
}

fn build_set(
    text: &Text,
    names: &[String],
    specs: &[AnnSpec],
    title: Option<String>,
) -> AnnotationSet {
    let mut set = AnnotationSet::new(SourceRef {
        path: "a b/ü.txt".into(),
        sha256: text.sha256().into(),
        length: text.len_chars(),
        ..Default::default()
    });
    set.metadata = Metadata {
        title,
        ..Default::default()
    };
    for (i, n) in names.iter().enumerate() {
        let kind = if i % 2 == 0 {
            TagKind::Issue
        } else {
            TagKind::Actor
        };
        if set.codebook.get(kind, n).is_none() {
            set.codebook
                .insert(Tag::new(kind, n, Rgb([i as u8, 7, 200])));
        }
    }
    let len = text.len_chars();
    for (i, sp) in specs.iter().enumerate() {
        let s = sp.a % len;
        let e = s + 1 + sp.b % (len - s);
        let mut a = Annotation::new(
            format!("a{}", i + 1),
            text,
            s,
            e.min(len),
            "2026-01-01T00:00:00Z",
        );
        a.note = sp.note.clone();
        a.stance = sp
            .stance
            .map(|k| [Stance::Support, Stance::Oppose, Stance::Neutral][k as usize]);
        for (issue, k) in &sp.tags {
            if names.is_empty() {
                break;
            }
            let tag = &set.codebook.tags()[k % set.codebook.tags().len()];
            let _ = issue;
            a.add_tag(tag.kind, &tag.name.clone());
        }
        set.insert_sorted(a);
    }
    set.normalize();
    set
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn ron_save_load_is_identity(
        content in "(?s).{1,200}",
        names in prop::collection::vec(tag_name(), 0..6),
        specs in prop::collection::vec(ann_spec(), 0..8),
        title in prop::option::of(any::<String>()),
    ) {
        let text = Text::new(content);
        prop_assume!(!text.is_empty());
        let set = build_set(&text, &names, &specs, title);
        let ron = store::to_ron(&set).unwrap();
        let back = store::from_ron(&ron, Path::new("p.annotations.ron"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{ron}")))?;
        prop_assert_eq!(&back, &set);
        prop_assert_eq!(store::to_ron(&back).unwrap(), ron);
    }

    #[test]
    fn reanchoring_keeps_untouched_annotations(
        words in prop::collection::vec("[a-zé€😀]{1,8}", 20..80),
        spans in prop::collection::vec((any::<usize>(), 1usize..20), 1..10),
        edits in prop::collection::vec((any::<usize>(), 0usize..6, "[ a-z€]{0,6}"), 1..6),
    ) {
        let old_str = words.join(" ");
        let old = Text::new(old_str.clone());
        let len = old.len_chars();
        let mut set = AnnotationSet::new(SourceRef {
            path: "a.txt".into(),
            sha256: old.sha256().into(),
            length: len,
            ..Default::default()
        });
        for (i, (s, l)) in spans.iter().enumerate() {
            let s = s % (len - 1);
            let e = (s + l).min(len);
            set.insert_sorted(Annotation::new(format!("a{}", i + 1), &old, s, e, "t"));
        }
        // Edits in old coordinates, sorted, non-overlapping.
        let mut edits: Vec<(usize, usize, String)> = edits
            .into_iter()
            .map(|(p, d, ins)| {
                let p = p % len;
                (p, d.min(len - p), ins)
            })
            .collect();
        edits.sort_by_key(|e| e.0);
        let mut kept: Vec<(usize, usize, String)> = Vec::new();
        for e in edits {
            if kept.last().is_none_or(|k| e.0 >= k.0 + k.1) {
                kept.push(e);
            }
        }
        let chars: Vec<char> = old_str.chars().collect();
        let mut new_str = String::new();
        let mut at = 0;
        for (p, d, ins) in &kept {
            new_str.extend(&chars[at..*p]);
            new_str.push_str(ins);
            at = p + d;
        }
        new_str.extend(&chars[at..]);
        let new = Text::new(new_str);
        let touched = |a: &Annotation| {
            kept.iter().any(|(p, d, ins)| {
                let deletes = *d > 0 && *p < a.end && a.start < p + d;
                let inserts_inside = !ins.is_empty() && a.start < *p && *p < a.end;
                deletes || inserts_inside
            })
        };
        let untouched: Vec<Annotation> = set.annotations().iter().filter(|a| !touched(a)).cloned().collect();
        let total = set.annotations().len();
        let mut first = set.clone();
        let report = anchor_set(&mut first, &new);
        let mut second = set.clone();
        anchor_set(&mut second, &new);
        prop_assert_eq!(&first, &second, "deterministic");
        prop_assert_eq!(first.annotations().len() + first.orphans.len(), total, "nothing lost");
        prop_assert_eq!(report.exact + report.moved + report.fuzzy + report.orphaned, total);
        for u in untouched {
            let placed = first.annotations().iter().find(|a| a.id == u.id);
            prop_assert!(placed.is_some(), "{} ({:?}) orphaned", u.id, u.quote);
            let a = placed.unwrap();
            prop_assert_eq!(new.slice(a.start, a.end), u.quote.as_str());
        }
        for a in first.annotations() {
            prop_assert!(a.start < a.end && a.end <= new.len_chars());
            prop_assert_eq!(new.slice(a.start, a.end), a.quote.as_str());
        }
    }

    #[test]
    fn ron_loader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = store::from_ron(&s, Path::new("fuzz.ron"));
    }

    #[test]
    fn ron_loader_never_panics_on_mutated_files(
        mutations in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let text = Text::new("Hillary Clinton said “sorry” to Pakistan.\r\nاردو 😀 end".into());
        let specs = vec![
            AnnSpec { a: 0, b: 14, note: Some("n\"o\nte".into()), stance: Some(1), tags: vec![(true, 0), (false, 1)] },
            AnnSpec { a: 21, b: 6, note: None, stance: None, tags: vec![(true, 1)] },
        ];
        let set = build_set(&text, &["Apology".into(), "Hillary Clinton".into()], &specs, Some("T".into()));
        let mut bytes = store::to_ron(&set).unwrap().into_bytes();
        for (pos, byte, op) in mutations {
            let p = pos % (bytes.len() + 1);
            match op {
                0 if p < bytes.len() => bytes[p] = byte,
                1 => bytes.insert(p, byte),
                _ if p < bytes.len() => {
                    bytes.remove(p);
                }
                _ => {}
            }
        }
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(mut loaded) = store::from_ron(&s, Path::new("m.ron")) {
            // Whatever loads must also anchor without panicking or losing
            // anything.
            let n = loaded.annotations().len() + loaded.orphans.len();
            anchor_set(&mut loaded, &text);
            prop_assert_eq!(loaded.annotations().len() + loaded.orphans.len(), n);
        }
    }

    #[test]
    fn article_decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for b in [bytes.clone(), [&[0xFF, 0xFE][..], &bytes].concat(), [&[0xFE, 0xFF][..], &bytes].concat(), [&[0xEF, 0xBB, 0xBF][..], &bytes].concat()] {
            if let Ok((s, _)) = decode::decode(&b) {
                let t = Text::new(s);
                let _ = t.slice(0, t.len_chars());
            }
            let _ = decode::decode_legacy(&b);
        }
    }
}
