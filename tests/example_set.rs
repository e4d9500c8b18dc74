//! The example annotation set shipped in `saves/` for the sample article:
//! it must open cleanly, be coded like a real analysis, and be in the
//! canonical form the app writes (so saving it changes nothing).

use marginalia::core::TagKind;
use marginalia::core::session::{OpenOptions, Session};
use marginalia::core::store;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn example_set_opens_with_the_default_article_and_is_realistic() {
    let opts = OpenOptions {
        saves_dir: Some(root().join("saves")),
        legacy_encoding: false,
    };
    let (session, warnings) =
        Session::open(&root().join("assets/us-pakistan-truce.txt"), &opts).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        session.anchor_report.is_clean(),
        "{:?}",
        session.anchor_report
    );
    assert!(!session.is_dirty());
    assert_eq!(
        session.set_path.as_deref(),
        Some(
            root()
                .join("saves/us-pakistan-truce.annotations.ron")
                .as_path()
        )
    );
    let set = &session.set;
    assert!(set.annotations().len() >= 20);
    assert!(set.codebook.of_kind(TagKind::Issue).count() >= 6);
    assert!(set.codebook.of_kind(TagKind::Actor).count() >= 6);
    for a in set.annotations() {
        assert_eq!(session.text.slice(a.start, a.end), a.quote, "{}", a.id);
        assert!(
            !a.issues.is_empty() || !a.actors.is_empty(),
            "{} untagged",
            a.id
        );
    }
    let overlapping = set
        .annotations()
        .windows(2)
        .filter(|w| w[1].start < w[0].end)
        .count();
    assert!(overlapping >= 3, "only {overlapping} overlaps");
    assert!(
        set.annotations()
            .iter()
            .filter(|a| a.note.is_some())
            .count()
            >= 5
    );
    for name in ["NATO supply routes", "Drone strikes", "Durand Line"] {
        assert!(set.count_tag(TagKind::Issue, name) >= 1, "{name}");
    }
    for name in ["Hillary Clinton", "ISI", "Haqqani network", "Imran Khan"] {
        assert!(set.count_tag(TagKind::Actor, name) >= 1, "{name}");
    }
}

#[test]
fn example_set_is_in_canonical_form() {
    let path = root().join("saves/us-pakistan-truce.annotations.ron");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let set = store::load(&path).unwrap();
    assert_eq!(store::to_ron(&set).unwrap(), on_disk);
}
