//! Bad input: every case gets a typed error with a clear message, nothing
//! panics, and no annotation is lost. Also fault injection for saves.
//!
//! These tests may run as root (CI containers), where permission bits do
//! not stop reads or writes; unreadable and unwritable places are then
//! forced with paths that cannot work for anyone (a dangling symlink, a
//! folder that is a regular file), and the read-only-file check relies on
//! the mode bits, which Marginalia checks itself.

use marginalia::core::anchor::anchor_set;
use marginalia::core::annotation::Annotation;
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;
use marginalia::core::decode::{DecodeError, Encoding, MAX_ARTICLE_BYTES};
use marginalia::core::session::{OpenError, OpenOptions, Session};
use marginalia::core::set::{AnnotationSet, FORMAT_VERSION, SourceRef};
use marginalia::core::store::{self, StoreError};
use marginalia::core::text::Text;
use std::fs;
use std::io::Write;
use std::path::Path;

const ARTICLE: &str = "The ISI met the CIA in Doha. Talks on NATO supply routes resumed.";

fn open(path: &Path) -> Result<(Session, Vec<String>), OpenError> {
    Session::open(path, &OpenOptions::default())
}

fn decode_error(path: &Path) -> (DecodeError, String) {
    match open(path) {
        Err(e @ OpenError::Decode { .. }) => {
            let msg = e.to_string();
            match e {
                OpenError::Decode { error, .. } => (error, msg),
                _ => unreachable!(),
            }
        }
        Err(e) => panic!("expected a decode error, got {e}"),
        Ok(_) => panic!("{} opened", path.display()),
    }
}

/// A saved set with two tagged annotations for `ARTICLE` in `dir/a.txt`.
fn saved_article(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, AnnotationSet) {
    let article = dir.join("a.txt");
    fs::write(&article, ARTICLE).unwrap();
    let (mut s, _) = open(&article).unwrap();
    let tag = s.set.codebook.new_tag(TagKind::Actor, "ISI");
    s.execute(Command::CreateTag(tag)).unwrap();
    for (start, end) in [(4, 7), (16, 19)] {
        let id = s.set.fresh_id();
        let mut a = Annotation::new(id, &s.text, start, end, "t");
        a.add_tag(TagKind::Actor, "ISI");
        s.execute(Command::AddAnnotation(a)).unwrap();
    }
    let set_path = s.save().unwrap();
    (article, set_path, s.set.clone())
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.txt");
    fs::write(&p, b"").unwrap();
    let (err, msg) = decode_error(&p);
    assert_eq!(err, DecodeError::Empty);
    assert!(msg.contains("empty"), "{msg}");
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bin.txt");
    fs::write(&p, b"PK\x03\x04\0\0\x14\0binary").unwrap();
    let (err, msg) = decode_error(&p);
    assert_eq!(err, DecodeError::Binary);
    assert!(msg.contains("binary"), "{msg}");
}

#[test]
fn invalid_utf8_suggests_and_opens_with_legacy_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin.txt");
    fs::write(&p, b"Caf\xe9 \x93quoted\x94 text").unwrap();
    let (err, msg) = decode_error(&p);
    assert_eq!(err, DecodeError::InvalidUtf8 { offset: 3 });
    assert!(msg.contains("Windows-1252"), "{msg}");
    let opts = OpenOptions {
        legacy_encoding: true,
        ..Default::default()
    };
    let (s, warnings) = Session::open(&p, &opts).unwrap();
    assert_eq!(s.encoding, Encoding::Windows1252);
    assert_eq!(s.text.as_str(), "Café “quoted” text");
    assert!(
        warnings.iter().any(|w| w.contains("Windows-1252")),
        "{warnings:?}"
    );
}

#[test]
fn utf16_with_bom_both_endians() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Peshawar — پشاور 😀";
    for (name, bom, le) in [
        ("le.txt", [0xFF, 0xFE], true),
        ("be.txt", [0xFE, 0xFF], false),
    ] {
        let mut bytes = bom.to_vec();
        for u in text.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let p = dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        let (s, _) = open(&p).unwrap();
        assert_eq!(s.text.as_str(), text);
        assert_eq!(s.text.len_chars(), text.chars().count());
        let expected = if le {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        assert_eq!(s.encoding, expected);
    }
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.txt");
    let f = fs::File::create(&p).unwrap();
    // Sparse: no 200 MB are written.
    f.set_len(MAX_ARTICLE_BYTES as u64 + 1).unwrap();
    drop(f);
    let (err, msg) = decode_error(&p);
    assert!(matches!(err, DecodeError::TooLarge { .. }), "{err:?}");
    assert!(msg.contains("too large"), "{msg}");
}

#[test]
fn a_directory_is_not_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("folder.txt");
    fs::create_dir(&p).unwrap();
    match open(&p) {
        Err(e @ OpenError::Io { .. }) => assert!(e.to_string().contains("folder"), "{e}"),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a folder opened"),
    }
}

#[test]
fn unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.txt");
    fs::write(&p, "text").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    }
    let target = if fs::read(&p).is_ok() {
        // Running as root: permissions do not stop reads; a dangling link
        // is unreadable for anyone.
        let link = dir.path().join("dangling.txt");
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), &link).unwrap();
        link
    } else {
        p
    };
    match open(&target) {
        Err(e @ OpenError::Io { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("cannot read"), "{msg}");
            assert!(!msg.contains('\n'));
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("unreadable file opened"),
    }
}

#[test]
fn truncated_ron_is_reported_with_line_and_column_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (article, set_path, _) = saved_article(dir.path());
    let full = fs::read_to_string(&set_path).unwrap();
    let truncated = &full[..full.len() * 2 / 3];
    fs::write(&set_path, truncated).unwrap();
    match store::load(&set_path) {
        Err(StoreError::Parse { line, column, .. }) => assert!(line >= 1 && column >= 1),
        other => panic!("expected a parse error, got {other:?}"),
    }
    let (mut s, warnings) = open(&article).unwrap();
    assert_eq!(s.text.as_str(), ARTICLE, "the article still opens");
    assert!(s.protected.is_some());
    let name = set_path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        warnings.iter().any(|w| w.contains(&format!("{name}:"))),
        "{warnings:?}"
    );
    let id = s.set.fresh_id();
    let a = Annotation::new(id, &s.text, 0, 3, "t");
    s.execute(Command::AddAnnotation(a)).unwrap();
    assert!(s.save().is_err());
    assert_eq!(fs::read_to_string(&set_path).unwrap(), truncated);
    let other = dir.path().join("copy.annotations.ron");
    s.save_as(&other).unwrap();
    assert_eq!(store::load(&other).unwrap().annotations().len(), 1);
}

#[test]
fn newer_version_is_refused_and_names_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let (article, set_path, mut set) = saved_article(dir.path());
    set.version = FORMAT_VERSION + 3;
    let newer = store::to_ron(&set).unwrap();
    fs::write(&set_path, &newer).unwrap();
    let err = store::load(&set_path).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("version {}", FORMAT_VERSION + 3)),
        "{msg}"
    );
    let (mut s, warnings) = open(&article).unwrap();
    assert!(s.protected.is_some());
    assert!(warnings.iter().any(|w| w.contains("newer")), "{warnings:?}");
    assert!(s.save().is_err());
    assert_eq!(fs::read_to_string(&set_path).unwrap(), newer);
}

#[test]
fn missing_source_keeps_the_set_and_can_be_located() {
    let dir = tempfile::tempdir().unwrap();
    let (article, set_path, set) = saved_article(dir.path());
    let moved_dir = dir.path().join("moved");
    fs::create_dir(&moved_dir).unwrap();
    let new_article = moved_dir.join("renamed.txt");
    fs::rename(&article, &new_article).unwrap();
    let kept = match open(&set_path) {
        Err(OpenError::SourceMissing {
            set, source_path, ..
        }) => {
            assert_eq!(source_path, article);
            set
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("opened without its article"),
    };
    assert_eq!(kept.annotations(), set.annotations());
    // "Locate it": open the set with the article's new path.
    let (mut s, _) = Session::open_with_set(
        &new_article,
        set_path.clone(),
        *kept,
        &OpenOptions::default(),
    )
    .unwrap();
    assert_eq!(s.set.annotations().len(), 2);
    assert_eq!(s.set.source.path, "moved/renamed.txt");
    s.save().unwrap();
    let reloaded = store::load(&set_path).unwrap();
    assert_eq!(reloaded.source.path, "moved/renamed.txt");
    let (again, _) = open(&set_path).unwrap();
    assert_eq!(again.set.annotations(), set.annotations());
}

fn hand_edited_set(text: &Text) -> AnnotationSet {
    let mut set = AnnotationSet::new(SourceRef {
        path: "a.txt".into(),
        sha256: text.sha256().into(),
        length: text.len_chars(),
        ..Default::default()
    });
    set.update_annotations(|v| {
        v.push(Annotation::new("a1".into(), text, 4, 7, "t"));
    });
    set.update_annotations(|v| {
        v.push(Annotation::new("a2".into(), text, 16, 19, "t"));
    });
    set
}

#[test]
fn offsets_out_of_range_are_reported_and_relocated_by_quote() {
    let text = Text::new(ARTICLE.into());
    let mut set = hand_edited_set(&text);
    set.update_annotations(|v| {
        v[1].start = 1000;
    });
    set.update_annotations(|v| {
        v[1].end = 1003;
    });
    let r = anchor_set(&mut set, &text);
    assert!(
        r.problems.iter().any(|p| p.contains("outside the text")),
        "{r:?}"
    );
    assert_eq!(set.annotations().len() + set.orphans.len(), 2);
    let a2 = set.annotations().iter().find(|a| a.id == "a2").unwrap();
    assert_eq!((a2.start, a2.end), (16, 19));
}

#[test]
fn duplicate_ids_are_renamed_and_kept() {
    let text = Text::new(ARTICLE.into());
    let mut set = hand_edited_set(&text);
    set.update_annotations(|v| {
        v[1].id = "a1".into();
    });
    let r = anchor_set(&mut set, &text);
    assert!(r.problems.iter().any(|p| p.contains("duplicate")), "{r:?}");
    assert_eq!(set.annotations().len(), 2);
    assert_ne!(set.annotations()[0].id, set.annotations()[1].id);
}

#[test]
fn unknown_tags_are_added_to_the_codebook() {
    let text = Text::new(ARTICLE.into());
    let mut set = hand_edited_set(&text);
    set.update_annotations(|v| {
        v[0].issues = vec!["Drone strikes".into()];
    });
    let r = anchor_set(&mut set, &text);
    assert!(
        r.problems.iter().any(|p| p.contains("Drone strikes")),
        "{r:?}"
    );
    assert!(set.codebook.get(TagKind::Issue, "Drone strikes").is_some());
    assert_eq!(set.annotations()[0].issues, ["Drone strikes"]);
}

#[test]
fn injected_write_failure_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (_, set_path, set) = saved_article(dir.path());
    let before = fs::read(&set_path).unwrap();
    let mut changed = set.clone();
    changed.metadata.title = Some("changed".into());
    let text = store::to_ron(&changed).unwrap();
    // Fail after half the bytes (a full disk).
    let err = store::write_atomic(&set_path, text.as_bytes(), &mut |f, b| {
        f.write_all(&b[..b.len() / 2])?;
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device (injected)",
        ))
    })
    .unwrap_err();
    assert!(err.to_string().contains("no space"), "{err}");
    assert_eq!(fs::read(&set_path).unwrap(), before);
    assert_eq!(store::load(&set_path).unwrap(), set);
    let stray: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(stray.is_empty(), "temporary file left behind");
}

#[test]
fn unwritable_place_errors_keeps_everything_and_save_as_works() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, ARTICLE).unwrap();
    // A "folder" that is a regular file cannot be written, even by root.
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, "x").unwrap();
    let text = Text::new(ARTICLE.into());
    let mut s = Session::new(
        text,
        Some(article.clone()),
        Some(blocker.join("a.annotations.ron")),
    );
    let id = s.set.fresh_id();
    let a = Annotation::new(id, &s.text, 4, 7, "t");
    s.execute(Command::AddAnnotation(a)).unwrap();
    let before = s.set.clone();
    assert!(s.save().is_err());
    assert_eq!(s.set, before, "nothing dropped");
    assert!(s.is_dirty());
    let elsewhere = dir.path().join("a.annotations.ron");
    s.save_as(&elsewhere).unwrap();
    assert!(!s.is_dirty());
    assert_eq!(
        store::load(&elsewhere).unwrap().annotations(),
        before.annotations()
    );
}

#[test]
fn read_only_set_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (article, set_path, _) = saved_article(dir.path());
    let before = fs::read(&set_path).unwrap();
    let mut perms = fs::metadata(&set_path).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&set_path, perms).unwrap();
    let (mut s, _) = open(&article).unwrap();
    s.execute(Command::SetNote {
        id: s.set.annotations()[0].id.clone(),
        note: Some("memo".into()),
    })
    .unwrap();
    let err = s.save().unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(fs::read(&set_path).unwrap(), before);
    assert!(s.is_dirty());
    let other = dir.path().join("b.annotations.ron");
    s.save_as(&other).unwrap();
    assert_eq!(
        store::load(&other).unwrap().annotations()[0]
            .note
            .as_deref(),
        Some("memo")
    );
}
