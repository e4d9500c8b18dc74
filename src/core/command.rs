//! Commands: every change an analyst can make to an annotation set.
//!
//! Invariants:
//! - [`apply`] is the only function that mutates an [`AnnotationSet`] on
//!   behalf of the user. It either applies the whole command and returns its
//!   exact inverse, or returns an error and leaves the set unchanged
//!   (batches roll back on the first failure).
//! - Applying the inverse restores the set to its previous value, equal by
//!   `==`, including timestamps.
//! - A command that would change nothing returns [`CommandError::NoChange`],
//!   so no empty step reaches the undo history.

use super::annotation::{Annotation, Stance};
use super::codebook::{Codebook, Tag, TagKind};
use super::set::{AnnotationSet, Metadata};
use super::text::Text;
use std::fmt;

/// What a command needs besides the set: the text (to re-anchor quotes),
/// the current time and the coder's name.
#[derive(Debug, Clone, Copy)]
pub struct EditContext<'a> {
    /// The article text the offsets point into.
    pub text: &'a Text,
    /// RFC 3339 time stamped on changed annotations.
    pub now: &'a str,
    /// The coder making the change: written on every annotation an edit
    /// changes (`None` leaves the field as it is). Codebook changes that
    /// touch many annotations (a rename) are not coding and leave it.
    pub coder: Option<&'a str>,
}

/// A change to an annotation set.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Adds an annotation; its id must be unused and its span valid.
    AddAnnotation(Annotation),
    /// Deletes the annotation with this id.
    DeleteAnnotation {
        /// Annotation id.
        id: String,
    },
    /// Replaces the annotation with the same id wholesale (used by undo).
    ReplaceAnnotation(Annotation),
    /// Adds tag `(kind, name)` to an annotation; the tag must exist.
    TagAnnotation {
        /// Annotation id.
        id: String,
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
    },
    /// Removes tag `(kind, name)` from an annotation.
    UntagAnnotation {
        /// Annotation id.
        id: String,
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
    },
    /// Sets or clears an annotation's note (an empty note clears it).
    SetNote {
        /// Annotation id.
        id: String,
        /// The new note.
        note: Option<String>,
    },
    /// Sets or clears an annotation's stance.
    SetStance {
        /// Annotation id.
        id: String,
        /// The new stance.
        stance: Option<Stance>,
    },
    /// Moves an annotation's span and re-takes its quote from the text.
    SetSpan {
        /// Annotation id.
        id: String,
        /// New start (code points).
        start: usize,
        /// New end (code points, excluded).
        end: usize,
    },
    /// Adds a new tag to the codebook.
    CreateTag(Tag),
    /// Changes a tag: rename (annotations and children follow), colour,
    /// digit, description, parent. `tag.kind` must equal `kind`.
    UpdateTag {
        /// Kind of the tag to change.
        kind: TagKind,
        /// Current name of the tag to change.
        name: String,
        /// The tag's new value.
        tag: Tag,
    },
    /// Deletes a tag and removes it from every annotation; its children get
    /// its parent.
    DeleteTag {
        /// Issue or actor.
        kind: TagKind,
        /// Tag name.
        name: String,
    },
    /// Merges tag `from` into tag `into` (same kind): every annotation with
    /// `from` gets `into`, and `from` is deleted.
    MergeTags {
        /// Issue or actor.
        kind: TagKind,
        /// Tag that disappears.
        from: String,
        /// Tag that remains.
        into: String,
    },
    /// Replaces the whole codebook (used by undo and codebook import).
    SetCodebook(Codebook),
    /// Replaces the document metadata.
    SetMetadata(Metadata),
    /// Replaces the list of orphaned annotations (used by undo and by
    /// re-attaching or deleting orphans).
    SetOrphans(Vec<Annotation>),
    /// Several commands applied as one undoable step.
    Batch {
        /// What the step is called in the Edit menu.
        label: String,
        /// The commands, applied in order.
        commands: Vec<Command>,
    },
}

impl Command {
    /// A short description for the Edit menu ("Undo Add tag …").
    pub fn label(&self) -> String {
        match self {
            Command::AddAnnotation(_) => "add annotation".into(),
            Command::DeleteAnnotation { .. } => "delete annotation".into(),
            Command::ReplaceAnnotation(_) => "change annotation".into(),
            Command::TagAnnotation { name, .. } => format!("tag “{name}”"),
            Command::UntagAnnotation { name, .. } => format!("remove tag “{name}”"),
            Command::SetNote { .. } => "edit note".into(),
            Command::SetStance { .. } => "set stance".into(),
            Command::SetSpan { .. } => "adjust span".into(),
            Command::CreateTag(t) => format!("create tag “{}”", t.name),
            Command::UpdateTag { name, .. } => format!("change tag “{name}”"),
            Command::DeleteTag { name, .. } => format!("delete tag “{name}”"),
            Command::MergeTags { from, into, .. } => format!("merge “{from}” into “{into}”"),
            Command::SetCodebook(_) => "replace codebook".into(),
            Command::SetMetadata(_) => "edit metadata".into(),
            Command::SetOrphans(_) => "change orphans".into(),
            Command::Batch { label, .. } => label.clone(),
        }
    }
}

/// Why a command was refused. The set is unchanged in every case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// The command would not change anything.
    NoChange,
    /// No annotation has this id.
    NoSuchAnnotation(String),
    /// The id is already used.
    DuplicateId(String),
    /// The codebook has no such tag.
    NoSuchTag(TagKind, String),
    /// A tag with this kind and name exists.
    TagExists(TagKind, String),
    /// Tag names must not be empty.
    EmptyName,
    /// The digit is bound to another tag.
    DigitInUse(u8, String),
    /// Digits are 1–9.
    InvalidDigit(u8),
    /// The span is empty or past the end of the text.
    InvalidSpan(usize, usize),
    /// A tag cannot be its own ancestor.
    ParentCycle(String),
    /// The command is malformed (e.g. merging a tag into itself).
    Invalid(String),
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::NoChange => write!(f, "nothing to change"),
            CommandError::NoSuchAnnotation(id) => write!(f, "no annotation with id {id}"),
            CommandError::DuplicateId(id) => write!(f, "an annotation with id {id} exists already"),
            CommandError::NoSuchTag(k, n) => write!(f, "no {k} named “{n}” in the codebook"),
            CommandError::TagExists(k, n) => write!(f, "an {k} named “{n}” exists already"),
            CommandError::EmptyName => write!(f, "a tag needs a name"),
            CommandError::DigitInUse(d, n) => write!(f, "digit {d} is already bound to “{n}”"),
            CommandError::InvalidDigit(d) => write!(f, "digit {d} is not between 1 and 9"),
            CommandError::InvalidSpan(s, e) => {
                write!(f, "the span {s}..{e} is empty or outside the text")
            }
            CommandError::ParentCycle(n) => write!(f, "“{n}” cannot be placed under itself"),
            CommandError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for CommandError {}

/// Which parts of the text a command touched, so views re-lay out only
/// those (code points, end excluded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Spans whose highlights changed.
    pub ranges: Vec<(usize, usize)>,
    /// Highlights may have changed anywhere (e.g. a tag was recoloured).
    pub all: bool,
    /// Ids of the annotations added, changed or deleted (may repeat); the
    /// recovery journal records their new values.
    pub ids: Vec<String>,
}

impl Touched {
    fn span(&mut self, a: &Annotation) {
        self.ranges.push((a.start, a.end));
        self.ids.push(a.id.clone());
    }

    fn merge(&mut self, other: Touched) {
        self.all |= other.all;
        self.ranges.extend(other.ranges);
        self.ids.extend(other.ids);
    }
}

/// The result of a successful [`apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The command that undoes this one.
    pub inverse: Command,
    /// What changed, for redrawing.
    pub touched: Touched,
}

/// Applies `cmd` to `set`; see the module invariants.
pub fn apply(
    set: &mut AnnotationSet,
    cmd: Command,
    cx: EditContext,
) -> Result<Applied, CommandError> {
    let mut touched = Touched::default();
    let inverse = match cmd {
        Command::AddAnnotation(a) => {
            if set.id_in_use(&a.id) {
                return Err(CommandError::DuplicateId(a.id));
            }
            check_span(cx.text, a.start, a.end)?;
            for (kind, name) in a.all_tags() {
                if set.codebook.get(kind, name).is_none() {
                    return Err(CommandError::NoSuchTag(kind, name.to_owned()));
                }
            }
            touched.span(&a);
            let id = a.id.clone();
            set.insert_sorted(a);
            Command::DeleteAnnotation { id }
        }
        Command::DeleteAnnotation { id } => {
            let a = set.remove(&id).ok_or(CommandError::NoSuchAnnotation(id))?;
            touched.span(&a);
            Command::AddAnnotation(a)
        }
        Command::ReplaceAnnotation(a) => {
            let old = set
                .remove(&a.id)
                .ok_or_else(|| CommandError::NoSuchAnnotation(a.id.clone()))?;
            if old == a {
                set.insert_sorted(old);
                return Err(CommandError::NoChange);
            }
            touched.span(&old);
            touched.span(&a);
            set.insert_sorted(a);
            Command::ReplaceAnnotation(old)
        }
        Command::TagAnnotation { id, kind, name } => {
            if set.codebook.get(kind, &name).is_none() {
                return Err(CommandError::NoSuchTag(kind, name));
            }
            edit_annotation(set, &id, cx, &mut touched, |a| a.add_tag(kind, &name))?
        }
        Command::UntagAnnotation { id, kind, name } => {
            edit_annotation(set, &id, cx, &mut touched, |a| a.remove_tag(kind, &name))?
        }
        Command::SetNote { id, note } => {
            let note = note.filter(|n| !n.trim().is_empty());
            edit_annotation(set, &id, cx, &mut touched, |a| {
                let changed = a.note != note;
                a.note = note;
                changed
            })?
        }
        Command::SetStance { id, stance } => edit_annotation(set, &id, cx, &mut touched, |a| {
            let changed = a.stance != stance;
            a.stance = stance;
            changed
        })?,
        Command::SetSpan { id, start, end } => {
            check_span(cx.text, start, end)?;
            edit_annotation(set, &id, cx, &mut touched, |a| {
                let changed = (a.start, a.end) != (start, end);
                a.anchor(cx.text, start, end);
                changed
            })?
        }
        Command::CreateTag(mut tag) => {
            tag.name = tag.name.trim().to_owned();
            validate_tag(&set.codebook, &tag, None)?;
            let (kind, name) = (tag.kind, tag.name.clone());
            set.codebook.insert(tag);
            Command::DeleteTag { kind, name }
        }
        Command::UpdateTag {
            kind,
            name,
            mut tag,
        } => {
            tag.name = tag.name.trim().to_owned();
            let old = set
                .codebook
                .get(kind, &name)
                .cloned()
                .ok_or_else(|| CommandError::NoSuchTag(kind, name.clone()))?;
            if tag.kind != kind {
                return Err(CommandError::Invalid(
                    "a tag's kind cannot be changed; create a new tag and merge".into(),
                ));
            }
            if old == tag {
                return Err(CommandError::NoChange);
            }
            validate_tag(&set.codebook, &tag, Some(&name))?;
            let before = set.codebook.clone();
            let mut restore = Vec::new();
            if tag.name != name {
                rename_in_annotations(set, kind, &name, &tag.name, cx, &mut restore, &mut touched);
                reparent_children(set, kind, &name, Some(tag.name.clone()));
            }
            if tag.color != old.color {
                touched.all = true;
            }
            set.codebook.remove(kind, &name);
            set.codebook.insert(tag);
            restore_batch(before, restore)
        }
        Command::DeleteTag { kind, name } => {
            let old = set
                .codebook
                .get(kind, &name)
                .cloned()
                .ok_or_else(|| CommandError::NoSuchTag(kind, name.clone()))?;
            let before = set.codebook.clone();
            let mut restore = Vec::new();
            edit_all(set, cx, &mut restore, &mut touched, |a| {
                a.remove_tag(kind, &name)
            });
            reparent_children(set, kind, &name, old.parent.clone());
            set.codebook.remove(kind, &name);
            restore_batch(before, restore)
        }
        Command::MergeTags { kind, from, into } => {
            if from == into {
                return Err(CommandError::Invalid(
                    "a tag cannot be merged into itself".into(),
                ));
            }
            for n in [&from, &into] {
                if set.codebook.get(kind, n).is_none() {
                    return Err(CommandError::NoSuchTag(kind, n.clone()));
                }
            }
            let before = set.codebook.clone();
            let mut restore = Vec::new();
            rename_in_annotations(set, kind, &from, &into, cx, &mut restore, &mut touched);
            reparent_children(set, kind, &from, Some(into.clone()));
            set.codebook.remove(kind, &from);
            restore_batch(before, restore)
        }
        Command::SetCodebook(cb) => {
            if cb == set.codebook {
                return Err(CommandError::NoChange);
            }
            touched.all = true;
            Command::SetCodebook(std::mem::replace(&mut set.codebook, cb))
        }
        Command::SetMetadata(m) => {
            if m == set.metadata {
                return Err(CommandError::NoChange);
            }
            Command::SetMetadata(std::mem::replace(&mut set.metadata, m))
        }
        Command::SetOrphans(mut o) => {
            o.sort_by(|a, b| a.id.cmp(&b.id));
            if o == set.orphans {
                return Err(CommandError::NoChange);
            }
            Command::SetOrphans(std::mem::replace(&mut set.orphans, o))
        }
        Command::Batch { label, commands } => {
            let mut inverses = Vec::with_capacity(commands.len());
            for c in commands {
                match apply(set, c, cx) {
                    Ok(applied) => {
                        touched.merge(applied.touched);
                        inverses.push(applied.inverse);
                    }
                    Err(CommandError::NoChange) => {}
                    Err(e) => {
                        for inv in inverses.into_iter().rev() {
                            // Inverses of commands just applied cannot fail.
                            let _ = apply(set, inv, cx);
                        }
                        return Err(e);
                    }
                }
            }
            if inverses.is_empty() {
                return Err(CommandError::NoChange);
            }
            inverses.reverse();
            Command::Batch {
                label,
                commands: inverses,
            }
        }
    };
    Ok(Applied { inverse, touched })
}

fn check_span(text: &Text, start: usize, end: usize) -> Result<(), CommandError> {
    if start >= end || end > text.len_chars() {
        return Err(CommandError::InvalidSpan(start, end));
    }
    Ok(())
}

/// Edits one annotation in place through `f` (which reports whether it
/// changed anything), stamps `modified`, and returns the inverse.
fn edit_annotation(
    set: &mut AnnotationSet,
    id: &str,
    cx: EditContext,
    touched: &mut Touched,
    f: impl FnOnce(&mut Annotation) -> bool,
) -> Result<Command, CommandError> {
    let old = set
        .get(id)
        .cloned()
        .ok_or_else(|| CommandError::NoSuchAnnotation(id.to_owned()))?;
    let mut new = old.clone();
    if !f(&mut new) {
        return Err(CommandError::NoChange);
    }
    new.modified = cx.now.to_owned();
    if let Some(c) = cx.coder {
        new.coder = Some(c.to_owned());
    }
    touched.span(&old);
    touched.span(&new);
    set.remove(id);
    set.insert_sorted(new);
    Ok(Command::ReplaceAnnotation(old))
}

/// Applies `f` to every annotation, recording the old value of each one
/// it changed.
fn edit_all(
    set: &mut AnnotationSet,
    cx: EditContext,
    restore: &mut Vec<Command>,
    touched: &mut Touched,
    mut f: impl FnMut(&mut Annotation) -> bool,
) {
    set.edit_each(|a| {
        let old = a.clone();
        let changed = f(a);
        if changed {
            a.modified = cx.now.to_owned();
            touched.span(a);
            restore.push(Command::ReplaceAnnotation(old));
        }
        changed
    });
}

fn rename_in_annotations(
    set: &mut AnnotationSet,
    kind: TagKind,
    from: &str,
    to: &str,
    cx: EditContext,
    restore: &mut Vec<Command>,
    touched: &mut Touched,
) {
    edit_all(set, cx, restore, touched, |a| {
        if a.remove_tag(kind, from) {
            a.add_tag(kind, to);
            true
        } else {
            false
        }
    });
}

/// Gives every child of `(kind, parent)` the parent `to`.
fn reparent_children(set: &mut AnnotationSet, kind: TagKind, parent: &str, to: Option<String>) {
    let children: Vec<String> = set
        .codebook
        .of_kind(kind)
        .filter(|t| t.parent.as_deref() == Some(parent))
        .map(|t| t.name.clone())
        .collect();
    for child in children {
        if let Some(c) = set.codebook.get_mut(kind, &child) {
            c.parent = to.clone();
        }
    }
}

fn restore_batch(codebook: Codebook, mut restore: Vec<Command>) -> Command {
    restore.insert(0, Command::SetCodebook(codebook));
    Command::Batch {
        label: "restore".into(),
        commands: restore,
    }
}

fn validate_tag(cb: &Codebook, tag: &Tag, current: Option<&str>) -> Result<(), CommandError> {
    if tag.name.is_empty() {
        return Err(CommandError::EmptyName);
    }
    if current != Some(tag.name.as_str()) && cb.get(tag.kind, &tag.name).is_some() {
        return Err(CommandError::TagExists(tag.kind, tag.name.clone()));
    }
    if let Some(d) = tag.digit {
        if !(1..=9).contains(&d) {
            return Err(CommandError::InvalidDigit(d));
        }
        if let Some(other) = cb.by_digit(d) {
            let same = other.kind == tag.kind && Some(other.name.as_str()) == current;
            if !same {
                return Err(CommandError::DigitInUse(d, other.name.clone()));
            }
        }
    }
    if let Some(parent) = &tag.parent {
        let own = current.unwrap_or(&tag.name);
        if parent == own || parent == &tag.name {
            return Err(CommandError::ParentCycle(tag.name.clone()));
        }
        if cb.get(tag.kind, parent).is_none() {
            return Err(CommandError::NoSuchTag(tag.kind, parent.clone()));
        }
        if current.is_some()
            && cb
                .with_descendants(tag.kind, own)
                .iter()
                .any(|n| n == parent)
        {
            return Err(CommandError::ParentCycle(tag.name.clone()));
        }
    }
    Ok(())
}
