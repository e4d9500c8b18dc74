//! Curation: two codings of one text (coding A and coding B: two coders
//! in one file, or one file and another clone's) resolved, disagreement by
//! disagreement, into a curated set: an ordinary annotation set whose
//! annotations are copies of the accepted ones, made by the curator.
//!
//! Invariants:
//! - Every decision is one command (a `Batch`), so one undoable step:
//!   accept A, accept B, accept both, accept neither, or take over every
//!   agreeing pair at once.
//! - Provenance: a curated annotation names the coding annotations it was
//!   accepted from in `curated_from` (`<coding>:<id>`, see [`reference`]);
//!   the coding annotations a decision left out are listed in the set's
//!   `metadata.curation.rejected`. A disagreement is decided when every
//!   coding annotation it involves is named in one of the two.
//! - The codings are never changed; the curated set gets the tags it needs
//!   from their codebooks.

use super::annotation::Annotation;
use super::codebook::{Codebook, TagKind};
use super::command::Command;
use super::compare::{self, Disagreement};
use super::set::{AnnotationSet, Curation};
use std::collections::BTreeSet;

/// One of the two codings being curated.
#[derive(Debug, Clone, Default)]
pub struct Coding {
    /// Its name in provenance (`alice`, or the folder it was read from).
    pub name: String,
    /// Its annotations on the text.
    pub annotations: Vec<Annotation>,
    /// The codebook its tags come from.
    pub codebook: Codebook,
}

impl Coding {
    fn get(&self, id: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id)
    }
}

/// What the curator decided for one disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Take A's annotation (B's, if any, is rejected).
    A,
    /// Take B's annotation (A's, if any, is rejected).
    B,
    /// Take both: one annotation with both tag lists when the spans are
    /// equal and only tags differ, else both annotations.
    Both,
    /// Take neither (both rejected).
    Neither,
}

impl Choice {
    /// The decision as the Edit menu names it.
    pub fn label(self) -> &'static str {
        match self {
            Choice::A => "accept A",
            Choice::B => "accept B",
            Choice::Both => "accept both",
            Choice::Neither => "accept neither",
        }
    }
}

/// A coding annotation as provenance names it: `<coding>:<id>`.
pub fn reference(coding: &str, id: &str) -> String {
    format!("{coding}:{id}")
}

/// The coding annotations a disagreement involves, as references.
pub fn references(d: &Disagreement, a: &str, b: &str) -> Vec<String> {
    match d {
        Disagreement::OnlyA { a: x, .. } => vec![reference(a, x)],
        Disagreement::OnlyB { b: y, .. } => vec![reference(b, y)],
        Disagreement::Tags { a: x, b: y, .. }
        | Disagreement::Boundaries { a: x, b: y, .. }
        | Disagreement::Stance { a: x, b: y, .. } => vec![reference(a, x), reference(b, y)],
    }
}

/// Every coding annotation the curated set has decided on: named by a
/// curated annotation (placed or orphaned) or rejected.
pub fn decided_references(set: &AnnotationSet) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = set
        .annotations()
        .iter()
        .chain(&set.orphans)
        .flat_map(|a| a.curated_from.iter().cloned())
        .collect();
    if let Some(c) = &set.metadata.curation {
        out.extend(c.rejected.iter().cloned());
    }
    out
}

/// Whether every coding annotation of `refs` is in `decided`.
pub fn is_decided(refs: &[String], decided: &BTreeSet<String>) -> bool {
    refs.iter().all(|r| decided.contains(r))
}

/// Why a decision could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurationError {
    /// A coding no longer has the annotation the disagreement names.
    Missing(String),
    /// The disagreement was decided already.
    Decided,
    /// Nothing left to take over.
    NothingToTake,
    /// The disagreement is not decided, so there is nothing to reopen.
    Undecided,
}

impl std::fmt::Display for CurationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CurationError::Missing(r) => write!(f, "the coding annotation {r} is gone"),
            CurationError::Decided => f.write_str("this disagreement is decided already"),
            CurationError::NothingToTake => f.write_str("every agreeing annotation is taken over"),
            CurationError::Undecided => f.write_str("this disagreement is not decided yet"),
        }
    }
}

impl std::error::Error for CurationError {}

/// Builds the commands of one curation step on `set`.
struct Step<'a> {
    set: &'a AnnotationSet,
    curator: &'a str,
    a: &'a Coding,
    b: &'a Coding,
    ids: Ids,
    commands: Vec<Command>,
    new_tags: Codebook,
    /// Coding annotations a curated annotation already names.
    accepted: BTreeSet<String>,
    /// The references this step accepts.
    taken: Vec<String>,
}

impl<'a> Step<'a> {
    fn new(set: &'a AnnotationSet, curator: &'a str, a: &'a Coding, b: &'a Coding) -> Self {
        Step {
            set,
            curator,
            a,
            b,
            ids: Ids::new(set, curator),
            commands: Vec::new(),
            new_tags: Codebook::default(),
            accepted: set
                .annotations()
                .iter()
                .chain(&set.orphans)
                .flat_map(|a| a.curated_from.iter().cloned())
                .collect(),
            taken: Vec::new(),
        }
    }

    /// Adds a copy of `from` (with the tags of `tags` joined in when
    /// given) naming `refs` as its provenance; nothing when `from` (the
    /// first reference) was accepted already, so no annotation is copied
    /// twice.
    fn take(&mut self, from: &Annotation, refs: Vec<String>, tags: Option<&Annotation>) {
        if refs.first().is_some_and(|r| self.accepted.contains(r)) {
            return;
        }
        self.taken.extend(refs.iter().cloned());
        let mut x = from.clone();
        if let Some(t) = tags {
            x.issues = union(&x.issues, &t.issues);
            x.actors = union(&x.actors, &t.actors);
        }
        x.id = self.ids.next();
        x.coder = Some(self.curator.to_owned());
        x.conflict_of = None;
        x.curated_from = refs;
        x.curated_from.sort();
        for (kind, name) in x.all_tags() {
            self.need_tag(kind, name);
        }
        self.commands.push(Command::AddAnnotation(x));
    }

    /// Creates tag `(kind, name)` in the curated set when it lacks it,
    /// copied from coding A's or B's codebook (parent kept when the curated
    /// set has it, no digit).
    fn need_tag(&mut self, kind: TagKind, name: &str) {
        if self.set.codebook.get(kind, name).is_some() || self.new_tags.get(kind, name).is_some() {
            return;
        }
        let source = self
            .a
            .codebook
            .get(kind, name)
            .or_else(|| self.b.codebook.get(kind, name));
        let mut tag = source
            .cloned()
            .unwrap_or_else(|| self.set.codebook.new_tag(kind, name));
        tag.digit = None;
        if tag.parent.as_ref().is_some_and(|p| {
            self.set.codebook.get(kind, p).is_none() && self.new_tags.get(kind, p).is_none()
        }) {
            tag.parent = None;
        }
        self.new_tags.insert(tag.clone());
        self.commands.push(Command::CreateTag(tag));
    }

    /// The step as one command, rejecting `rejected` and recording the
    /// curation when the set has no record yet.
    fn finish(mut self, label: String, rejected: Vec<String>) -> Command {
        let mut meta = self.set.metadata.clone();
        let before = meta.clone();
        let record = meta.curation.get_or_insert_with(|| Curation {
            curator: self.curator.to_owned(),
            a: self.a.name.clone(),
            b: self.b.name.clone(),
            rejected: Vec::new(),
        });
        for r in rejected {
            if let Err(at) = record.rejected.binary_search(&r) {
                record.rejected.insert(at, r);
            }
        }
        // What is accepted now is no longer rejected.
        record.rejected.retain(|r| !self.taken.contains(r));
        // Tags first, so the annotations that carry them can be added.
        let (mut tags, mut rest): (Vec<Command>, Vec<Command>) = self
            .commands
            .drain(..)
            .partition(|c| matches!(c, Command::CreateTag(_)));
        if meta != before {
            rest.push(Command::SetMetadata(meta));
        }
        tags.extend(rest);
        Command::Batch {
            label,
            commands: tags,
        }
    }
}

/// The command that applies `choice` to disagreement `d` between codings
/// `a` and `b`, made by `curator`, on the curated `set`.
pub fn decide(
    set: &AnnotationSet,
    curator: &str,
    a: &Coding,
    b: &Coding,
    d: &Disagreement,
    choice: Choice,
) -> Result<Command, CurationError> {
    let refs = references(d, &a.name, &b.name);
    if is_decided(&refs, &decided_references(set)) {
        return Err(CurationError::Decided);
    }
    let get_a = |id: &str| {
        a.get(id)
            .ok_or_else(|| CurationError::Missing(reference(&a.name, id)))
    };
    let get_b = |id: &str| {
        b.get(id)
            .ok_or_else(|| CurationError::Missing(reference(&b.name, id)))
    };
    let (xa, xb) = match d {
        Disagreement::OnlyA { a: x, .. } => (Some(get_a(x)?), None),
        Disagreement::OnlyB { b: y, .. } => (None, Some(get_b(y)?)),
        Disagreement::Tags { a: x, b: y, .. }
        | Disagreement::Boundaries { a: x, b: y, .. }
        | Disagreement::Stance { a: x, b: y, .. } => (Some(get_a(x)?), Some(get_b(y)?)),
    };
    let ref_a = xa.map(|x| reference(&a.name, &x.id));
    let ref_b = xb.map(|y| reference(&b.name, &y.id));
    let mut step = Step::new(set, curator, a, b);
    let mut rejected = Vec::new();
    match choice {
        Choice::A | Choice::B => {
            let (take, take_ref, other_ref) = if choice == Choice::A {
                (xa, ref_a, ref_b)
            } else {
                (xb, ref_b, ref_a)
            };
            if let (Some(x), Some(r)) = (take, take_ref) {
                step.take(x, vec![r], None);
            }
            rejected.extend(other_ref);
        }
        Choice::Both => match (xa, xb) {
            (Some(x), Some(y)) if matches!(d, Disagreement::Tags { .. }) => {
                step.take(x, [ref_a, ref_b].into_iter().flatten().collect(), Some(y));
            }
            _ => {
                for (x, r) in [(xa, ref_a), (xb, ref_b)] {
                    if let (Some(x), Some(r)) = (x, r) {
                        step.take(x, vec![r], None);
                    }
                }
            }
        },
        Choice::Neither => rejected.extend([ref_a, ref_b].into_iter().flatten()),
    }
    Ok(step.finish(format!("curation: {}", choice.label()), rejected))
}

/// The command that takes back the decision of disagreement `d` between
/// the codings named `a` and `b` on the curated `set`: the curated
/// annotations made from its annotations are deleted and its rejections
/// dropped, so it is undecided again (also after the set was reopened,
/// when undo no longer reaches the decision).
pub fn reopen(
    set: &AnnotationSet,
    a: &str,
    b: &str,
    d: &Disagreement,
) -> Result<Command, CurationError> {
    let refs: BTreeSet<String> = references(d, a, b).into_iter().collect();
    let decided = decided_references(set);
    if !refs.iter().any(|r| decided.contains(r)) {
        return Err(CurationError::Undecided);
    }
    let mut commands: Vec<Command> = set
        .annotations()
        .iter()
        .filter(|x| x.curated_from.iter().any(|r| refs.contains(r)))
        .map(|x| Command::DeleteAnnotation { id: x.id.clone() })
        .collect();
    let mut meta = set.metadata.clone();
    if let Some(c) = &mut meta.curation {
        c.rejected.retain(|r| !refs.contains(r));
    }
    if meta != set.metadata {
        commands.push(Command::SetMetadata(meta));
    }
    Ok(Command::Batch {
        label: "curation: reopen".into(),
        commands,
    })
}

/// The command that takes over every agreeing pair not decided yet (one
/// annotation each, copied from A, naming both), or
/// [`CurationError::NothingToTake`].
pub fn take_agreeing(
    set: &AnnotationSet,
    curator: &str,
    a: &Coding,
    b: &Coding,
) -> Result<Command, CurationError> {
    let decided = decided_references(set);
    let mut step = Step::new(set, curator, a, b);
    let mut n = 0;
    for (x, y) in compare::agreements(&a.annotations, &b.annotations) {
        let refs = vec![reference(&a.name, &x), reference(&b.name, &y)];
        if is_decided(&refs, &decided) {
            continue;
        }
        let xa = a
            .get(&x)
            .ok_or_else(|| CurationError::Missing(refs[0].clone()))?;
        step.take(xa, refs, None);
        n += 1;
    }
    if n == 0 {
        return Err(CurationError::NothingToTake);
    }
    let label = format!("curation: take over {n} agreeing");
    Ok(step.finish(label, Vec::new()))
}

/// How many of the agreeing pairs `agreements` (from
/// [`compare::agreements`]) the curated `set` has not taken over yet.
pub fn agreeing_left(
    set: &AnnotationSet,
    agreements: &[(String, String)],
    a: &Coding,
    b: &Coding,
) -> usize {
    let decided = decided_references(set);
    agreements
        .iter()
        .filter(|(x, y)| !is_decided(&[reference(&a.name, x), reference(&b.name, y)], &decided))
        .count()
}

fn union(x: &[String], y: &[String]) -> Vec<String> {
    let s: BTreeSet<&String> = x.iter().chain(y).collect();
    s.into_iter().cloned().collect()
}

/// Fresh ids for the curator within one step (`<slug>-<n>`, n counting
/// up from the first free one).
struct Ids {
    prefix: String,
    next: u64,
}

impl Ids {
    fn new(set: &AnnotationSet, curator: &str) -> Ids {
        let first = set.fresh_id_for(Some(curator));
        let digits = first.len() - first.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, n) = first.split_at(first.len() - digits);
        Ids {
            prefix: prefix.to_owned(),
            next: n.parse().unwrap_or(1),
        }
    }

    fn next(&mut self) -> String {
        let id = format!("{}{}", self.prefix, self.next);
        self.next += 1;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Stance;
    use crate::core::codebook::{PALETTE, Tag};
    use crate::core::command::{EditContext, apply};
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    const TEXT: &str = "The ISI met the CIA in Doha on Monday, officials said.";

    fn ann(id: &str, s: usize, e: usize, issues: &[&str], stance: Option<Stance>) -> Annotation {
        let text = Text::new(TEXT.into());
        let mut a = Annotation::new(id.into(), &text, s, e, "t0");
        a.issues = issues.iter().map(|x| (*x).to_owned()).collect();
        a.stance = stance;
        a
    }

    fn codebook(names: &[&str]) -> Codebook {
        let mut c = Codebook::default();
        for n in names {
            c.insert(Tag::new(TagKind::Issue, n, PALETTE[0]));
        }
        c
    }

    /// Alice (A) and Bob (B): one agreeing pair and one of each kind of
    /// disagreement (as in `core::compare`'s test).
    fn codings() -> (Coding, Coding) {
        let a = Coding {
            name: "alice".into(),
            annotations: vec![
                ann("a1", 4, 7, &["Talks"], None),
                ann("a2", 16, 19, &["Talks"], None),
                ann("a3", 23, 27, &["Talks"], Some(Stance::Support)),
                ann("a4", 31, 37, &["Talks"], None),
                ann("a5", 39, 48, &["Talks"], None),
            ],
            codebook: codebook(&["Talks"]),
        };
        let b = Coding {
            name: "bob".into(),
            annotations: vec![
                ann("b1", 4, 7, &["Talks"], None),
                ann("b2", 16, 19, &["Drones"], None),
                ann("b3", 23, 27, &["Talks"], Some(Stance::Oppose)),
                ann("b4", 30, 38, &["Talks"], None),
                ann("b5", 49, 53, &["Talks"], None),
            ],
            codebook: codebook(&["Talks", "Drones"]),
        };
        (a, b)
    }

    fn curated() -> AnnotationSet {
        let mut s = AnnotationSet::new(SourceRef::default());
        s.codebook = codebook(&["Talks"]);
        s
    }

    /// Applies `cmd`, checks its inverse restores the set exactly, and
    /// applies it again (one undoable step).
    fn step(
        set: &mut AnnotationSet,
        make: impl Fn(&AnnotationSet) -> Result<Command, CurationError>,
    ) {
        let cmd = make(set).expect("a decision");
        let text = Text::new(TEXT.into());
        let cx = EditContext {
            text: &text,
            now: "t1",
            coder: Some("carol"),
        };
        let before = set.clone();
        let undo = apply(set, cmd.clone(), cx).expect("applies").inverse;
        apply(set, undo, cx).expect("undoes");
        assert_eq!(set, &before, "one step, undone exactly");
        apply(set, cmd, cx).expect("applies again");
    }

    fn find<'a>(d: &'a [Disagreement], kind: &str) -> &'a Disagreement {
        d.iter()
            .find(|x| format!("{x:?}").starts_with(kind))
            .expect("that kind is there")
    }

    #[test]
    fn agreeing_pairs_are_taken_over_in_one_step_naming_both() {
        let (a, b) = codings();
        let mut set = curated();
        let agree = compare::agreements(&a.annotations, &b.annotations);
        assert_eq!(agreeing_left(&set, &agree, &a, &b), 1);
        step(&mut set, |s| take_agreeing(s, "carol", &a, &b));
        let got = &set.annotations()[0];
        assert_eq!((got.start, got.end, got.id.as_str()), (4, 7, "carol-1"));
        assert_eq!(got.curated_from, ["alice:a1", "bob:b1"]);
        assert_eq!(got.coder.as_deref(), Some("carol"));
        let record = set.metadata.curation.as_ref().unwrap();
        assert_eq!(
            (
                record.curator.as_str(),
                record.a.as_str(),
                record.b.as_str()
            ),
            ("carol", "alice", "bob")
        );
        assert_eq!(agreeing_left(&set, &agree, &a, &b), 0);
        assert_eq!(
            take_agreeing(&set, "carol", &a, &b),
            Err(CurationError::NothingToTake)
        );
    }

    #[test]
    fn accept_a_takes_as_annotation_and_rejects_bs() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let tags = find(&d, "Tags");
        let mut set = curated();
        step(&mut set, |s| decide(s, "carol", &a, &b, tags, Choice::A));
        assert_eq!(set.annotations().len(), 1);
        let got = &set.annotations()[0];
        assert_eq!(got.issues, ["Talks"]);
        assert_eq!(got.curated_from, ["alice:a2"]);
        assert_eq!(set.metadata.curation.as_ref().unwrap().rejected, ["bob:b2"]);
        let decided = decided_references(&set);
        assert!(is_decided(&references(tags, "alice", "bob"), &decided));
        assert_eq!(
            decide(&set, "carol", &a, &b, tags, Choice::B),
            Err(CurationError::Decided)
        );
    }

    #[test]
    fn accept_b_brings_its_tag_into_the_curated_codebook() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let mut set = curated();
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, find(&d, "Tags"), Choice::B)
        });
        assert_eq!(set.annotations()[0].issues, ["Drones"]);
        assert!(set.codebook.get(TagKind::Issue, "Drones").is_some());
        assert_eq!(
            set.metadata.curation.as_ref().unwrap().rejected,
            ["alice:a2"]
        );
    }

    #[test]
    fn both_joins_tags_on_one_span_and_keeps_two_boundaries() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let mut set = curated();
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, find(&d, "Tags"), Choice::Both)
        });
        assert_eq!(set.annotations().len(), 1);
        assert_eq!(set.annotations()[0].issues, ["Drones", "Talks"]);
        assert_eq!(set.annotations()[0].curated_from, ["alice:a2", "bob:b2"]);
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, find(&d, "Boundaries"), Choice::Both)
        });
        let spans: Vec<(usize, usize, &str)> = set
            .annotations()
            .iter()
            .map(|x| (x.start, x.end, x.id.as_str()))
            .collect();
        assert_eq!(
            spans,
            [
                (16, 19, "carol-1"),
                (30, 38, "carol-3"),
                (31, 37, "carol-2")
            ]
        );
        assert!(set.metadata.curation.as_ref().unwrap().rejected.is_empty());
    }

    #[test]
    fn a_decision_is_reopened_whatever_it_was() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let tags = find(&d, "Tags");
        let only_b = find(&d, "OnlyB");
        let mut set = curated();
        assert_eq!(
            reopen(&set, "alice", "bob", tags),
            Err(CurationError::Undecided)
        );
        step(&mut set, |s| decide(s, "carol", &a, &b, tags, Choice::A));
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, only_b, Choice::Neither)
        });
        // Accepted: its curated copy goes, B's rejection too.
        step(&mut set, |s| reopen(s, "alice", "bob", tags));
        assert!(set.annotations().is_empty());
        let refs = |x| references(x, "alice", "bob");
        assert!(!is_decided(&refs(tags), &decided_references(&set)));
        assert_eq!(set.metadata.curation.as_ref().unwrap().rejected, ["bob:b5"]);
        // Rejected: the rejection goes; it can be decided anew.
        step(&mut set, |s| reopen(s, "alice", "bob", only_b));
        assert!(set.metadata.curation.as_ref().unwrap().rejected.is_empty());
        step(&mut set, |s| decide(s, "carol", &a, &b, only_b, Choice::B));
        assert_eq!(set.annotations()[0].curated_from, ["bob:b5"]);
    }

    #[test]
    fn neither_adds_nothing_but_is_one_undoable_decision() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let only_b = find(&d, "OnlyB");
        let stance = find(&d, "Stance");
        let mut set = curated();
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, only_b, Choice::Neither)
        });
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, stance, Choice::Neither)
        });
        assert!(set.annotations().is_empty());
        assert_eq!(
            set.metadata.curation.as_ref().unwrap().rejected,
            ["alice:a3", "bob:b3", "bob:b5"]
        );
        // Accepting A of an "only B" takes nothing and rejects B's.
        let only_a = find(&d, "OnlyA");
        step(&mut set, |s| decide(s, "carol", &a, &b, only_a, Choice::B));
        assert!(
            set.metadata
                .curation
                .as_ref()
                .unwrap()
                .rejected
                .contains(&"alice:a5".to_owned())
        );
    }

    #[test]
    fn every_disagreement_decided_leaves_nothing_open_and_a_gone_annotation_reopens_it() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let mut set = curated();
        for (x, choice) in d.iter().zip([
            Choice::A,
            Choice::B,
            Choice::Both,
            Choice::Neither,
            Choice::A,
        ]) {
            step(&mut set, |s| decide(s, "carol", &a, &b, x, choice));
        }
        step(&mut set, |s| take_agreeing(s, "carol", &a, &b));
        let decided = decided_references(&set);
        assert!(
            d.iter()
                .all(|x| is_decided(&references(x, "alice", "bob"), &decided))
        );
        // Deleting a curated annotation makes its disagreement open again.
        let first = set
            .annotations()
            .iter()
            .find(|x| x.curated_from == ["alice:a2"])
            .unwrap()
            .id
            .clone();
        step(&mut set, |_| {
            Ok(Command::DeleteAnnotation { id: first.clone() })
        });
        let decided = decided_references(&set);
        let open: Vec<String> = d
            .iter()
            .filter(|x| !is_decided(&references(x, "alice", "bob"), &decided))
            .map(Disagreement::describe)
            .collect();
        assert_eq!(open, ["same span, different tags (A: Talks; B: Drones)"]);
    }

    #[test]
    fn a_coding_annotation_that_is_gone_is_reported() {
        let (a, mut b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        b.annotations.retain(|x| x.id != "b5");
        let set = curated();
        assert_eq!(
            decide(&set, "carol", &a, &b, find(&d, "OnlyB"), Choice::B),
            Err(CurationError::Missing("bob:b5".into()))
        );
    }

    #[test]
    fn an_annotation_accepted_once_is_not_copied_again() {
        let (a, mut b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let mut set = curated();
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, find(&d, "OnlyA"), Choice::A)
        });
        // Later Bob adds b9 over a5: accepting both copies a5 no second time.
        b.annotations.push(ann("b9", 40, 48, &["Talks"], None));
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let boundaries = d
            .iter()
            .find(|x| matches!(x, Disagreement::Boundaries { a, .. } if a == "a5"))
            .unwrap();
        step(&mut set, |s| {
            decide(s, "carol", &a, &b, boundaries, Choice::Both)
        });
        let from: Vec<&[String]> = set
            .annotations()
            .iter()
            .map(|x| x.curated_from.as_slice())
            .collect();
        assert_eq!(from, [["alice:a5".to_owned()], ["bob:b9".to_owned()]]);
    }

    #[test]
    fn accepting_what_was_rejected_takes_it_off_the_rejected_list() {
        let (a, b) = codings();
        let d = compare::disagreements(&a.annotations, &b.annotations);
        let tags = find(&d, "Tags");
        let mut set = curated();
        // Accept A (b2 rejected), then the copy is deleted and B accepted.
        step(&mut set, |s| decide(s, "carol", &a, &b, tags, Choice::A));
        let id = set.annotations()[0].id.clone();
        step(&mut set, |_| {
            Ok(Command::DeleteAnnotation { id: id.clone() })
        });
        step(&mut set, |s| decide(s, "carol", &a, &b, tags, Choice::B));
        assert_eq!(
            set.metadata.curation.as_ref().unwrap().rejected,
            ["alice:a2"]
        );
        assert_eq!(set.annotations()[0].curated_from, ["bob:b2"]);
    }
}
