//! The difference between two states of a set as one undoable command (to
//! restore journaled unsaved work on top of the saved set).
//!
//! Invariants:
//! - Applying [`difference_command`]`(before, after)` to `before` with
//!   [`command::apply`](super::command::apply) yields a set equal to `after`
//!   in everything a command can change: codebook, annotations, orphans
//!   and metadata (the source and the format version are not compared).
//!   Its inverse gives `before` back.
//! - Annotations are matched by id; offsets are code points of the decoded
//!   text, half-open `[start, end)`, and every added annotation must fit
//!   the text of the [`EditContext`](super::command::EditContext) it is
//!   applied with.
//! - Order of the steps: the codebook first (so added annotations find
//!   their tags), then deleted annotations, the orphans (so an orphan that
//!   was re-attached frees its id before it is added), added and changed
//!   annotations (in id order), and the metadata.

use super::annotation::Annotation;
use super::command::Command;
use super::set::AnnotationSet;
use std::collections::BTreeMap;

/// The label of the command [`difference_command`] returns.
pub const RESTORE_LABEL: &str = "restore unsaved work";

/// One `Batch` command (labelled [`RESTORE_LABEL`]) turning `before` into
/// `after`; see the module invariants. `None` when they are equal.
pub fn difference_command(before: &AnnotationSet, after: &AnnotationSet) -> Option<Command> {
    fn by_id(set: &AnnotationSet) -> BTreeMap<&str, &Annotation> {
        set.annotations()
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect()
    }
    let (old, new) = (by_id(before), by_id(after));
    let mut commands = Vec::new();
    if before.codebook != after.codebook {
        commands.push(Command::SetCodebook(after.codebook.clone()));
    }
    for id in old.keys().filter(|id| !new.contains_key(*id)) {
        commands.push(Command::DeleteAnnotation {
            id: (*id).to_owned(),
        });
    }
    if before.orphans != after.orphans {
        commands.push(Command::SetOrphans(after.orphans.clone()));
    }
    for (id, a) in &new {
        match old.get(id) {
            None => commands.push(Command::AddAnnotation((*a).clone())),
            Some(b) if b != a => commands.push(Command::ReplaceAnnotation((*a).clone())),
            _ => {}
        }
    }
    if before.metadata != after.metadata {
        commands.push(Command::SetMetadata(after.metadata.clone()));
    }
    (!commands.is_empty()).then(|| Command::Batch {
        label: RESTORE_LABEL.to_owned(),
        commands,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codebook::{PALETTE, Tag, TagKind};
    use crate::core::command::{EditContext, apply};
    use crate::core::markup;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    const NOW: &str = "2012-07-04T10:31:00Z";

    /// A set with an annotation `a1`, `a2`… for every range marked in
    /// `marked` (in `(start, end)` order) and the codebook tag ISI.
    fn setup(marked: &str) -> (Text, AnnotationSet) {
        let (text, ranges) = markup::parse(marked);
        let mut set = AnnotationSet::new(SourceRef::default());
        set.codebook
            .insert(Tag::new(TagKind::Actor, "ISI", PALETTE[0]));
        for (k, (s, e)) in ranges.into_iter().enumerate() {
            let id = format!("a{}", k + 1);
            set.insert_sorted(Annotation::new(id, &text, s, e, "t"));
        }
        (text, set)
    }

    /// Checks that the difference turns `before` into `after` and that its
    /// inverse turns it back; returns the commands of the batch.
    fn round_trip(text: &Text, before: &AnnotationSet, after: &AnnotationSet) -> Vec<Command> {
        let cmd = difference_command(before, after).expect("the sets differ");
        let Command::Batch { label, commands } = cmd.clone() else {
            panic!("not a batch: {cmd:?}");
        };
        assert_eq!(label, RESTORE_LABEL);
        let cx = EditContext {
            text,
            now: NOW,
            coder: None,
        };
        let mut set = before.clone();
        let applied = apply(&mut set, cmd, cx).expect("the difference applies");
        assert_eq!(&set, after);
        assert_eq!(difference_command(&set, after), None);
        apply(&mut set, applied.inverse, cx).expect("the inverse applies");
        assert_eq!(&set, before);
        commands
    }

    fn kinds(commands: &[Command]) -> Vec<String> {
        commands.iter().map(Command::label).collect()
    }

    #[test]
    fn equal_sets_need_nothing() {
        let (_, set) = setup("The [ISI] met the [CIA]");
        assert_eq!(difference_command(&set, &set.clone()), None);
        let empty = AnnotationSet::new(SourceRef::default());
        assert_eq!(difference_command(&empty, &empty), None);
    }

    #[test]
    fn added_and_deleted_annotations() {
        let (text, before) = setup("The [ISI] met the [CIA]");
        let (_, after) = setup("[The] [ISI] met [the] [CIA]");
        // ids shift: a1 (ISI) becomes The, a2 (CIA) becomes ISI…, so every
        // annotation of `before` changes and two are added
        let commands = round_trip(&text, &before, &after);
        assert_eq!(
            kinds(&commands),
            [
                "change annotation",
                "change annotation",
                "add annotation",
                "add annotation"
            ]
        );
        let (_, fewer) = setup("The [ISI] met the CIA");
        let commands = round_trip(&text, &before, &fewer);
        assert_eq!(kinds(&commands), ["delete annotation"]);
        let commands = round_trip(&text, &fewer, &before);
        assert_eq!(kinds(&commands), ["add annotation"]);
    }

    #[test]
    fn changed_annotations_keep_their_ids() {
        let (text, before) = setup("The [ISI] met the [CIA]");
        let mut after = before.clone();
        let i = after.index_of("a1").unwrap();
        after.update_annotations(|v| {
            v[i].add_tag(TagKind::Actor, "ISI");
        });
        after.update_annotations(|v| {
            v[i].note = Some("Inter-Services Intelligence".into());
        });
        let i = after.index_of("a2").unwrap();
        // moved to "the CIA": still sorted
        after.update_annotations(|v| {
            v[i].anchor(&text, 12, 19);
        });
        after.update_annotations(|v| {
            v[i].modified = NOW.into();
        });
        after.reindex();
        let commands = round_trip(&text, &before, &after);
        assert_eq!(kinds(&commands), ["change annotation", "change annotation"]);
    }

    #[test]
    fn a_new_tag_comes_before_the_annotations_using_it() {
        let (text, before) = setup("The [ISI] met the CIA");
        let (_, mut after) = setup("The [ISI] met the [CIA]");
        let cia = after.codebook.new_tag(TagKind::Actor, "CIA");
        after.codebook.insert(cia);
        let i = after.index_of("a2").unwrap();
        after.update_annotations(|v| {
            v[i].add_tag(TagKind::Actor, "CIA");
        });
        let commands = round_trip(&text, &before, &after);
        assert_eq!(kinds(&commands), ["replace codebook", "add annotation"]);
        // a recoloured tag alone
        let mut recoloured = before.clone();
        let mut isi = recoloured
            .codebook
            .get(TagKind::Actor, "ISI")
            .unwrap()
            .clone();
        isi.color = PALETTE[5];
        recoloured.codebook.insert(isi);
        let commands = round_trip(&text, &before, &recoloured);
        assert_eq!(kinds(&commands), ["replace codebook"]);
    }

    #[test]
    fn metadata_changes() {
        let (text, before) = setup("The [ISI] met the CIA");
        let mut after = before.clone();
        after.metadata.title = Some("US and Pakistan: an expedient truce".into());
        after.metadata.date = Some("2012-07-04".into());
        let commands = round_trip(&text, &before, &after);
        assert_eq!(kinds(&commands), ["edit metadata"]);
    }

    #[test]
    fn orphans_lost_and_reattached() {
        let (text, before) = setup("The [ISI] met [the CIA]");
        // a1 became an orphan (the text changed under it)
        let mut orphaned = before.clone();
        let a1 = orphaned.remove("a1").unwrap();
        orphaned.orphans.push(a1);
        let commands = round_trip(&text, &before, &orphaned);
        assert_eq!(kinds(&commands), ["delete annotation", "change orphans"]);
        // …and re-attached elsewhere with the same id
        let mut reattached = orphaned.clone();
        let mut a1 = reattached.orphans.remove(0);
        a1.anchor(&text, 0, 3);
        reattached.insert_sorted(a1);
        let commands = round_trip(&text, &orphaned, &reattached);
        assert_eq!(kinds(&commands), ["change orphans", "add annotation"]);
        // a new orphan next to an existing one
        let mut two = orphaned.clone();
        let mut o = Annotation::new("o9".into(), &text, 4, 7, "t");
        o.quote = "gone".into();
        two.orphans.push(o);
        two.orphans.sort_by(|a, b| a.id.cmp(&b.id));
        let commands = round_trip(&text, &orphaned, &two);
        assert_eq!(kinds(&commands), ["change orphans"]);
    }

    #[test]
    fn everything_at_once() {
        let (text, before) = setup("[The] [ISI] met the [CIA]");
        let (_, mut after) = setup("The [ISI] met [the [CIA]]");
        after.codebook = before.codebook.clone();
        after
            .codebook
            .insert(Tag::new(TagKind::Issue, "Talks", PALETTE[2]));
        after.update_annotations(|v| {
            v[0].add_tag(TagKind::Issue, "Talks");
        });
        after.update_annotations(|v| {
            v[0].stance = Some(crate::core::Stance::Support);
        });
        after.metadata.author = Some("Jane Q. Reporter".into());
        after
            .orphans
            .push(Annotation::new("a9".into(), &text, 0, 3, "t"));
        let commands = round_trip(&text, &before, &after);
        assert_eq!(
            commands.first().map(Command::label).as_deref(),
            Some("replace codebook")
        );
        assert_eq!(
            commands.last().map(Command::label).as_deref(),
            Some("edit metadata")
        );
    }
}
