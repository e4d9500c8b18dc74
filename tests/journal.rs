//! The recovery journal: replay equals the live state after random
//! commands, undo and redo; a torn last line is ignored; a journal that no
//! longer matches is reported, not applied; the fallback folder is used
//! when the set's folder cannot be written.

use marginalia::core::annotation::{Annotation, Stance};
use marginalia::core::codebook::TagKind;
use marginalia::core::command::Command;
use marginalia::core::journal::{Journal, find_recovery, journal_path_beside};
use marginalia::core::session::Session;
use marginalia::core::text::Text;
use proptest::prelude::*;
use std::fs;
use std::path::Path;

const ARTICLE: &str = "The ISI met the CIA in Doha. Talks on NATO supply routes resumed after Hillary Clinton apologised.";

fn session(dir: &Path) -> Session {
    Session::new(
        Text::new(ARTICLE.into()),
        Some(dir.join("a.txt")),
        Some(dir.join("a.annotations.ron")),
    )
}

/// One random step chosen by `op` and the numbers `x`, `y`.
fn step(s: &mut Session, op: u8, x: usize, y: usize) -> Option<marginalia::core::command::Touched> {
    let len = s.text.len_chars();
    let ids: Vec<String> = s.set.annotations().iter().map(|a| a.id.clone()).collect();
    let pick = |n: usize| ids.get(n % ids.len().max(1)).cloned();
    let cmd = match op % 10 {
        0 | 1 => {
            let start = x % (len - 1);
            let end = start + 1 + y % (len - start - 1).max(1);
            let id = s.set.fresh_id();
            Command::AddAnnotation(Annotation::new(id, &s.text, start, end.min(len), "t"))
        }
        2 => Command::DeleteAnnotation { id: pick(x)? },
        3 => {
            let name = ["ISI", "CIA", "NATO"][x % 3];
            if s.set.codebook.get(TagKind::Actor, name).is_none() {
                Command::CreateTag(s.set.codebook.new_tag(TagKind::Actor, name))
            } else {
                Command::TagAnnotation {
                    id: pick(y)?,
                    kind: TagKind::Actor,
                    name: name.into(),
                }
            }
        }
        4 => Command::SetNote {
            id: pick(x)?,
            note: Some(format!("note {y}\n“quoted”")),
        },
        5 => Command::SetStance {
            id: pick(x)?,
            stance: Some(Stance::Oppose),
        },
        6 => {
            let name = s.set.codebook.tags().get(x % 4)?.name.clone();
            Command::DeleteTag {
                kind: TagKind::Actor,
                name,
            }
        }
        7 => {
            let mut m = s.set.metadata.clone();
            m.title = Some(format!("Title {x}"));
            Command::SetMetadata(m)
        }
        8 => return s.undo().ok(),
        _ => return s.redo().ok(),
    };
    s.execute(cmd).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn replay_equals_live_state(ops in prop::collection::vec((0u8..10, 0usize..1000, 0usize..1000), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path());
        s.save().unwrap();
        let saved = s.set.clone();
        let fallback = dir.path().join("fallback");
        let mut j = Journal::open_for(s.set_path.as_ref().unwrap(), &fallback, &s.set, s.text.sha256());
        for (i, (op, x, y)) in ops.into_iter().enumerate() {
            if let Some(t) = step(&mut s, op, x, y) {
                j.record(&s.set, &t);
            }
            if i % 7 == 0 {
                j.flush().unwrap();
            }
        }
        j.flush().unwrap();
        match find_recovery(s.set_path.as_ref().unwrap(), &fallback, s.text.sha256()) {
            Some(r) => {
                prop_assert!(r.mismatch.is_none());
                let mut replay = saved.clone();
                r.apply(&mut replay).unwrap();
                prop_assert_eq!(replay, s.set.clone());
            }
            None => prop_assert_eq!(&saved, &s.set),
        }
    }
}

fn journal_with_two_entries(dir: &Path) -> (Session, std::path::PathBuf) {
    let mut s = session(dir);
    s.save().unwrap();
    let mut j = Journal::open_for(
        s.set_path.as_ref().unwrap(),
        &dir.join("fallback"),
        &s.set,
        s.text.sha256(),
    );
    for (start, end) in [(4, 7), (16, 19)] {
        let id = s.set.fresh_id();
        let t = s
            .execute(Command::AddAnnotation(Annotation::new(
                id, &s.text, start, end, "t",
            )))
            .unwrap();
        j.record(&s.set, &t);
    }
    j.flush().unwrap();
    let path = j.path().unwrap().to_owned();
    (s, path)
}

#[test]
fn torn_last_line_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (s, path) = journal_with_two_entries(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    // A third entry cut off by a power loss.
    bytes.extend_from_slice(b"{\"time\":\"2026-01-01T00:00:00Z\",\"upsert\":[{\"id\":\"a3\",\"st");
    fs::write(&path, bytes).unwrap();
    let r = find_recovery(
        s.set_path.as_ref().unwrap(),
        &dir.path().join("fallback"),
        s.text.sha256(),
    )
    .unwrap();
    assert_eq!(r.entries, 2);
    assert_eq!(r.ignored_lines, 1);
    let mut base = marginalia::core::store::load(s.set_path.as_ref().unwrap()).unwrap();
    let summary = r.summary(&base);
    assert_eq!((summary.added, summary.changed, summary.deleted), (2, 0, 0));
    r.apply(&mut base).unwrap();
    assert_eq!(base, s.set);
}

#[test]
fn mismatched_journal_is_reported_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = journal_with_two_entries(dir.path());
    // The set file changed since (saved by another program or session).
    s.save().unwrap();
    let r = find_recovery(
        s.set_path.as_ref().unwrap(),
        &dir.path().join("fallback"),
        s.text.sha256(),
    )
    .unwrap();
    assert!(r.mismatch.as_deref().unwrap().contains("set file changed"));
    let mut set = s.set.clone();
    assert!(r.apply(&mut set).is_err());
    // A different article text.
    let other = find_recovery(
        s.set_path.as_ref().unwrap(),
        &dir.path().join("fallback"),
        "0000",
    )
    .unwrap();
    assert!(other.mismatch.as_deref().unwrap().contains("text changed"));
}

#[test]
fn discard_after_save_and_fallback_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (s, path) = journal_with_two_entries(dir.path());
    assert_eq!(path, journal_path_beside(s.set_path.as_ref().unwrap()));
    // Starting a new journal over a leftover one keeps the leftover aside.
    let mut j = Journal::open_for(
        s.set_path.as_ref().unwrap(),
        &dir.path().join("fallback"),
        &s.set,
        s.text.sha256(),
    );
    let mut s2 = s;
    let id = s2.set.fresh_id();
    let t = s2
        .execute(Command::AddAnnotation(Annotation::new(
            id, &s2.text, 0, 3, "t",
        )))
        .unwrap();
    j.record(&s2.set, &t);
    j.flush().unwrap();
    let prev = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".journal.prev-"))
        .count();
    assert_eq!(prev, 1);
    s2.save().unwrap();
    j.discard().unwrap();
    assert!(!path.exists());
    assert!(find_recovery(s2.set_path.as_ref().unwrap(), dir.path(), s2.text.sha256()).is_none());

    // The set's folder is not writable (here: it is a regular file, which
    // fails even for root): the journal goes to the fallback folder.
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "x").unwrap();
    let fallback = dir.path().join("data");
    fs::create_dir(&fallback).unwrap();
    let set_path = blocker.join("b.annotations.ron");
    let mut s3 = Session::new(Text::new(ARTICLE.into()), None, Some(set_path.clone()));
    let mut j3 = Journal::open_for(&set_path, &fallback, &s3.set, s3.text.sha256());
    let t = s3
        .execute(Command::AddAnnotation(Annotation::new(
            "a1".into(),
            &s3.text,
            0,
            3,
            "t",
        )))
        .unwrap();
    j3.record(&s3.set, &t);
    j3.flush().unwrap();
    assert!(j3.path().unwrap().starts_with(&fallback));
    let r = find_recovery(&set_path, &fallback, s3.text.sha256()).unwrap();
    assert!(r.mismatch.is_none());
    let mut empty = Session::new(Text::new(ARTICLE.into()), None, None).set;
    r.apply(&mut empty).unwrap();
    assert_eq!(empty.annotations(), s3.set.annotations());
}
