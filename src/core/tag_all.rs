//! "Tag all matches": review the find bar's matches (`Y` accept, `N` skip)
//! and apply one tag to every accepted match in one undoable step.
//!
//! Invariants:
//! - [`tag_all_command`] builds at most one [`Command::Batch`]: a
//!   `CreateTag` first when the tag is new, then for each accepted match in
//!   order either a `TagAnnotation` on the first annotation (in set order)
//!   with exactly that span, or an `AddAnnotation` of a new annotation
//!   carrying the tag. Spans that already carry the tag, empty spans,
//!   spans past the text's end and repeated spans are skipped.
//! - New annotation ids are `a<n>`, `a<n+1>`, … from the set's
//!   [`AnnotationSet::fresh_id`], so they collide neither with the set nor
//!   with each other.
//! - Cost is linear: one hash map of the set's spans, one pass over the
//!   matches.

use super::annotation::Annotation;
use super::codebook::TagKind;
use super::command::{Command, CommandError};
use super::set::AnnotationSet;
use super::text::Text;
use std::collections::{HashMap, HashSet};

/// The review list under the find bar: which matches will be tagged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagAllReview {
    /// The matches, code points, in text order.
    pub matches: Vec<(usize, usize)>,
    /// `accepted[i]` says whether `matches[i]` will be tagged.
    pub accepted: Vec<bool>,
    /// The match under review (`== matches.len()` when the review is done).
    pub cursor: usize,
}

impl TagAllReview {
    /// A review of `matches`, all accepted, cursor on the first.
    pub fn new(matches: Vec<(usize, usize)>) -> TagAllReview {
        let accepted = vec![true; matches.len()];
        TagAllReview {
            matches,
            accepted,
            cursor: 0,
        }
    }

    /// The match under review.
    pub fn current(&self) -> Option<(usize, usize)> {
        self.matches.get(self.cursor).copied()
    }

    /// `Y`: accept the current match and move to the next.
    pub fn accept(&mut self) {
        self.decide(true);
    }

    /// `N`: skip the current match and move to the next.
    pub fn skip(&mut self) {
        self.decide(false);
    }

    fn decide(&mut self, yes: bool) {
        if let Some(a) = self.accepted.get_mut(self.cursor) {
            *a = yes;
            self.cursor += 1;
        }
    }

    /// Flips match `i` (a click on its checkbox); the cursor stays.
    pub fn toggle(&mut self, i: usize) {
        if let Some(a) = self.accepted.get_mut(i) {
            *a = !*a;
        }
    }

    /// Accepts or skips every match.
    pub fn set_all(&mut self, yes: bool) {
        self.accepted.iter_mut().for_each(|a| *a = yes);
    }

    /// Moves the cursor to match `i` (clamped to `matches.len()`).
    pub fn move_to(&mut self, i: usize) {
        self.cursor = i.min(self.matches.len());
    }

    /// Moves the cursor back one match (to undo a hasty `Y`/`N`).
    pub fn back(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// True when every match has been reviewed.
    pub fn is_done(&self) -> bool {
        self.cursor >= self.matches.len()
    }

    /// Number of accepted matches.
    pub fn accepted_count(&self) -> usize {
        self.accepted.iter().filter(|a| **a).count()
    }

    /// The accepted matches, in order.
    pub fn accepted_matches(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.matches
            .iter()
            .zip(&self.accepted)
            .filter(|(_, a)| **a)
            .map(|(m, _)| *m)
    }
}

/// The one undoable step that tags every accepted match of `review` with
/// `(kind, name)` (see the module invariants). `Ok(None)` when there is
/// nothing to do; [`CommandError::EmptyName`] for a blank name.
pub fn tag_all_command(
    set: &AnnotationSet,
    text: &Text,
    review: &TagAllReview,
    kind: TagKind,
    name: &str,
    now: &str,
    coder: Option<&str>,
) -> Result<Option<Command>, CommandError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CommandError::EmptyName);
    }
    let mut by_span: HashMap<(usize, usize), &Annotation> = HashMap::new();
    for a in set.annotations() {
        by_span.entry((a.start, a.end)).or_insert(a);
    }
    // New ids: the coder's prefix (see `AnnotationSet::fresh_id_for`)
    // and a counter from the first free number.
    let first = set.fresh_id_for(coder);
    let split = first.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, number) = first.split_at(split);
    let prefix = prefix.to_owned();
    let mut next_id = number.parse::<u64>().unwrap_or(1);
    let len = text.len_chars();
    let mut seen = HashSet::new();
    let mut commands = Vec::new();
    if set.codebook.get(kind, name).is_none() {
        commands.push(Command::CreateTag(set.codebook.new_tag(kind, name)));
    }
    let first_edit = commands.len();
    for (s, e) in review.accepted_matches() {
        if s >= e || e > len || !seen.insert((s, e)) {
            continue;
        }
        match by_span.get(&(s, e)) {
            Some(a) if a.has_tag(kind, name) => {}
            Some(a) => commands.push(Command::TagAnnotation {
                id: a.id.clone(),
                kind,
                name: name.to_owned(),
            }),
            None => {
                let mut id = format!("{prefix}{next_id}");
                while set.id_in_use(&id) {
                    next_id += 1;
                    id = format!("{prefix}{next_id}");
                }
                next_id += 1;
                let mut a = Annotation::new(id, text, s, e, now);
                a.coder = coder.map(str::to_owned);
                a.add_tag(kind, name);
                commands.push(Command::AddAnnotation(a));
            }
        }
    }
    if commands.len() == first_edit {
        return Ok(None);
    }
    let n = commands.len() - first_edit;
    Ok(Some(Command::Batch {
        label: format!("tag {n} matches “{name}”"),
        commands,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::{EditContext, apply};
    use crate::core::search::{SearchOptions, find_all};
    use crate::core::set::SourceRef;

    fn setup() -> (Text, AnnotationSet) {
        let text = Text::new("ISI said ISI. The ISI? isi ISI".to_owned());
        let mut set = AnnotationSet::new(SourceRef::default());
        let t = set.codebook.new_tag(TagKind::Actor, "ISI");
        set.codebook.insert(t);
        let t = set.codebook.new_tag(TagKind::Issue, "Spies");
        set.codebook.insert(t);
        // an existing annotation on the second "ISI", one on the third
        // that already has the tag, and one with an unrelated id
        let mut a = Annotation::new("a7".into(), &text, 9, 12, "t");
        a.add_tag(TagKind::Issue, "Spies");
        set.insert_sorted(a);
        let mut b = Annotation::new("a2".into(), &text, 18, 21, "t");
        b.add_tag(TagKind::Actor, "ISI");
        set.insert_sorted(b);
        set.insert_sorted(Annotation::new("x".into(), &text, 0, 8, "t"));
        (text, set)
    }

    #[test]
    fn review_moves_with_yes_and_no() {
        let mut r = TagAllReview::new(vec![(0, 1), (2, 3), (4, 5)]);
        assert_eq!(r.current(), Some((0, 1)));
        r.skip();
        r.accept();
        assert_eq!(r.current(), Some((4, 5)));
        r.back();
        r.skip();
        assert_eq!(r.accepted, [false, false, true]);
        assert!(!r.is_done());
        r.accept();
        assert!(r.is_done());
        r.accept(); // no effect past the end
        assert_eq!(r.accepted_count(), 1);
        r.toggle(0);
        assert_eq!(r.accepted_matches().collect::<Vec<_>>(), [(0, 1), (4, 5)]);
        r.set_all(false);
        assert_eq!(r.accepted_count(), 0);
    }

    #[test]
    fn tag_all_is_one_undoable_batch() {
        let (text, mut set) = setup();
        let m = find_all(&text, "ISI", SearchOptions::default()).unwrap();
        assert_eq!(m.len(), 5); // case-insensitive: includes "isi"
        let mut review = TagAllReview::new(m.ranges.clone());
        review.accept();
        review.accept();
        review.accept();
        review.skip(); // "isi"
        review.accept();
        let cmd = tag_all_command(&set, &text, &review, TagKind::Actor, "ISI", "now", None)
            .unwrap()
            .unwrap();
        let Command::Batch { commands, .. } = &cmd else {
            panic!("not a batch: {cmd:?}");
        };
        // (0,3) new, (9,12) tag a7, (18,21) already tagged, (27,30) new
        assert_eq!(commands.len(), 3);
        assert!(matches!(&commands[1], Command::TagAnnotation { id, .. } if id == "a7"));
        let ids: Vec<_> = commands
            .iter()
            .filter_map(|c| match c {
                Command::AddAnnotation(a) => Some(a.id.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["a8", "a9"]);
        let before = set.clone();
        let cx = EditContext {
            text: &text,
            now: "now",
            coder: None,
        };
        let applied = apply(&mut set, cmd, cx).unwrap();
        assert_eq!(set.count_tag(TagKind::Actor, "ISI"), 4);
        assert!(
            set.annotations()
                .iter()
                .all(|a| a.start != 23 || a.end != 26)
        );
        apply(&mut set, applied.inverse, cx).unwrap();
        assert_eq!(set, before);
    }

    #[test]
    fn new_tag_is_created_first_and_nothing_to_do_is_none() {
        let (text, mut set) = setup();
        let review = TagAllReview::new(vec![(9, 12), (9, 12), (0, 0), (25, 99)]);
        let cmd = tag_all_command(
            &set,
            &text,
            &review,
            TagKind::Issue,
            " Intelligence ",
            "t",
            None,
        )
        .unwrap()
        .unwrap();
        let Command::Batch { commands, .. } = &cmd else {
            panic!("not a batch");
        };
        assert_eq!(commands.len(), 2);
        assert!(matches!(&commands[0], Command::CreateTag(t) if t.name == "Intelligence"));
        let cx = EditContext {
            text: &text,
            now: "t",
            coder: None,
        };
        apply(&mut set, cmd, cx).unwrap();
        assert!(
            set.get("a7")
                .unwrap()
                .has_tag(TagKind::Issue, "Intelligence")
        );
        // everything already tagged → None
        let again = tag_all_command(
            &set,
            &text,
            &review,
            TagKind::Issue,
            "Intelligence",
            "t",
            None,
        );
        assert_eq!(again, Ok(None));
        assert_eq!(
            tag_all_command(&set, &text, &review, TagKind::Issue, "  ", "t", None),
            Err(CommandError::EmptyName)
        );
        let mut none = review.clone();
        none.set_all(false);
        assert_eq!(
            tag_all_command(&set, &text, &none, TagKind::Actor, "New", "t", None),
            Ok(None)
        );
    }

    #[test]
    fn ten_thousand_matches_apply() {
        let text = Text::new("word ".repeat(10_000));
        let mut set = AnnotationSet::new(SourceRef::default());
        let m = find_all(&text, "word", SearchOptions::default()).unwrap();
        let review = TagAllReview::new(m.ranges);
        let cmd = tag_all_command(&set, &text, &review, TagKind::Issue, "W", "t", None)
            .unwrap()
            .unwrap();
        let cx = EditContext {
            text: &text,
            now: "t",
            coder: None,
        };
        apply(&mut set, cmd, cx).unwrap();
        assert_eq!(set.annotations().len(), 10_000);
        assert_eq!(set.count_tag(TagKind::Issue, "W"), 10_000);
    }
}
