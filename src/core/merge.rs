//! Three-way merges of annotation sets and `corpus.ron` (what `marginalia
//! merge-driver` does for git): by annotation id, by tag (kind + name), by
//! metadata field and attribute.
//!
//! Invariants:
//! - Nothing is dropped: additions from both sides are kept (an addition
//!   whose id the other side used for a different annotation gets a fresh
//!   id); a deletion on one side wins only over no change on the other.
//! - An annotation both sides changed is merged field by field (tag lists
//!   as sets: additions and removals of both sides). When one field was
//!   changed differently on both sides, ours stays and theirs is kept
//!   beside it with a fresh id and `conflict_of` naming ours; an annotation
//!   changed on one side and deleted on the other is kept with
//!   `conflict_of` naming itself. Never a text conflict marker.
//! - A tag or metadata field changed differently on both sides keeps ours
//!   and is reported as a conflict (the other side's value stays in git).
//! - The result is deterministic: sorted by id, tag and name.

use super::annotation::Annotation;
use super::codebook::{Codebook, Tag, TagKind};
use super::corpus::{AttributeDef, CorpusFile};
use super::set::{AnnotationSet, Curation, Metadata};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A merge's result and the conflicts it kept or resolved to ours.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<T> {
    /// The merged value.
    pub value: T,
    /// One line per conflict (empty: a clean merge).
    pub conflicts: Vec<String>,
}

/// The three-way choice for one value: the same on both sides, changed on
/// one side only, or changed differently on both (`None`).
fn pick<T: PartialEq + Clone>(b: Option<&T>, o: Option<&T>, t: Option<&T>) -> Option<Option<T>> {
    if o == t || t == b {
        Some(o.cloned())
    } else if o == b {
        Some(t.cloned())
    } else {
        None
    }
}

/// A scalar field: ours when both changed it differently (recorded).
fn field<T: PartialEq + Clone>(b: &T, o: &T, t: &T, what: &str, conflicts: &mut Vec<String>) -> T {
    match pick(Some(b), Some(o), Some(t)) {
        Some(Some(v)) => v,
        _ => {
            conflicts.push(what.to_owned());
            o.clone()
        }
    }
}

/// A set of names merged: what both keep, and what either side added.
fn names(b: &[String], o: &[String], t: &[String]) -> Vec<String> {
    let (bs, os, ts): (BTreeSet<&String>, BTreeSet<&String>, BTreeSet<&String>) =
        (b.iter().collect(), o.iter().collect(), t.iter().collect());
    os.union(&ts)
        .filter(|x| (os.contains(*x) && ts.contains(*x)) || !bs.contains(*x))
        .map(|x| (*x).clone())
        .collect()
}

/// An annotation both sides changed, merged field by field; `None` when a
/// field was changed differently on both sides.
fn merge_annotation(b: &Annotation, o: &Annotation, t: &Annotation) -> Option<Annotation> {
    let span = |a: &Annotation| {
        (
            a.start,
            a.end,
            a.quote.clone(),
            a.prefix.clone(),
            a.suffix.clone(),
        )
    };
    let mut clash = Vec::new();
    let (start, end, quote, prefix, suffix) =
        field(&span(b), &span(o), &span(t), "span", &mut clash);
    let note = field(&b.note, &o.note, &t.note, "note", &mut clash);
    let stance = field(&b.stance, &o.stance, &t.stance, "stance", &mut clash);
    let conflict_of = field(
        &b.conflict_of,
        &o.conflict_of,
        &t.conflict_of,
        "conflict",
        &mut clash,
    );
    if !clash.is_empty() {
        return None;
    }
    // The coder of the merged change: ours when both changed it.
    let coder = pick(Some(&b.coder), Some(&o.coder), Some(&t.coder))
        .flatten()
        .unwrap_or_else(|| o.coder.clone());
    Some(Annotation {
        id: o.id.clone(),
        start,
        end,
        quote,
        prefix,
        suffix,
        issues: names(&b.issues, &o.issues, &t.issues),
        actors: names(&b.actors, &o.actors, &t.actors),
        note,
        stance,
        coder,
        conflict_of,
        curated_from: names(&b.curated_from, &o.curated_from, &t.curated_from),
        created: o.created.clone().min(t.created.clone()),
        modified: o.modified.clone().max(t.modified.clone()),
    })
}

/// A fresh id: `<id>-m<n>`, in use nowhere in `taken`.
fn fresh(id: &str, taken: &mut BTreeSet<String>) -> String {
    let mut n = 1;
    loop {
        let c = format!("{id}-m{n}");
        if taken.insert(c.clone()) {
            return c;
        }
        n += 1;
    }
}

/// Annotations by id, by reference.
fn by_id(v: &[Annotation]) -> HashMap<&str, &Annotation> {
    v.iter().map(|a| (a.id.as_str(), a)).collect()
}

/// Annotations merged by id (see the module invariants).
fn merge_annotations(
    b: &[Annotation],
    o: &[Annotation],
    t: &[Annotation],
    conflicts: &mut Vec<String>,
) -> Vec<Annotation> {
    // By reference: a 50,000-annotation set is not copied three times.
    let (bm, om, tm) = (by_id(b), by_id(o), by_id(t));
    let mut ids: Vec<&str> = bm
        .keys()
        .chain(om.keys())
        .chain(tm.keys())
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    // Fresh ids are needed rarely: the set of ids in use is built then.
    let mut taken: Option<BTreeSet<String>> = None;
    let mut fresh_id = |id: &str| {
        let t = taken.get_or_insert_with(|| ids.iter().map(|s| (*s).to_owned()).collect());
        fresh(id, t)
    };
    let mut out = Vec::with_capacity(o.len().max(t.len()));
    for &id in &ids {
        let (ba, oa, ta) = (
            bm.get(id).copied(),
            om.get(id).copied(),
            tm.get(id).copied(),
        );
        if let Some(choice) = pick(ba, oa, ta) {
            out.extend(choice);
            continue;
        }
        match (ba, oa, ta) {
            // Both added this id for different annotations: both kept.
            (None, Some(o), Some(t)) => {
                out.push(o.clone());
                let mut t = t.clone();
                t.id = fresh_id(id);
                out.push(t);
            }
            (Some(b), Some(o), Some(t)) => match merge_annotation(b, o, t) {
                Some(m) => out.push(m),
                None => {
                    out.push(o.clone());
                    let mut t = t.clone();
                    t.id = fresh_id(id);
                    t.conflict_of = Some(id.to_owned());
                    conflicts.push(format!(
                        "annotation {id} was changed differently on both sides: the other side's version is kept as {}",
                        t.id
                    ));
                    out.push(t);
                }
            },
            // Changed on one side, deleted on the other: kept, marked.
            (Some(_), Some(a), None) | (Some(_), None, Some(a)) => {
                let mut a = a.clone();
                a.conflict_of = Some(id.to_owned());
                conflicts.push(format!(
                    "annotation {id} was changed on one side and deleted on the other: kept"
                ));
                out.push(a);
            }
            _ => {}
        }
    }
    out
}

/// Codebooks merged by tag (kind + name); `used` are tags the merged
/// annotations carry, kept (from any side) even when one side deleted
/// them.
fn merge_codebooks(
    b: &Codebook,
    o: &Codebook,
    t: &Codebook,
    used: &BTreeSet<(TagKind, String)>,
    conflicts: &mut Vec<String>,
) -> Codebook {
    let by_key = |c: &Codebook| -> BTreeMap<(TagKind, String), Tag> {
        c.tags()
            .iter()
            .map(|x| ((x.kind, x.name.clone()), x.clone()))
            .collect()
    };
    let (bm, om, tm) = (by_key(b), by_key(o), by_key(t));
    let keys: BTreeSet<&(TagKind, String)> = bm.keys().chain(om.keys()).chain(tm.keys()).collect();
    let mut tags = Vec::new();
    for k in keys {
        let (bt, ot, tt) = (bm.get(k), om.get(k), tm.get(k));
        let chosen = match pick(bt, ot, tt) {
            Some(c) => c,
            None => {
                match (bt, ot, tt) {
                    (Some(b), Some(o), Some(t)) => {
                        let mut clash = Vec::new();
                        let tag = Tag {
                            name: o.name.clone(),
                            kind: o.kind,
                            color: field(&b.color, &o.color, &t.color, "colour", &mut clash),
                            digit: field(&b.digit, &o.digit, &t.digit, "digit", &mut clash),
                            description: field(
                                &b.description,
                                &o.description,
                                &t.description,
                                "description",
                                &mut clash,
                            ),
                            parent: field(&b.parent, &o.parent, &t.parent, "parent", &mut clash),
                        };
                        for c in clash {
                            conflicts.push(format!("{} “{}”: its {c} was changed differently on both sides; ours is kept", k.0, k.1));
                        }
                        Some(tag)
                    }
                    // Changed on one side, deleted on the other: kept.
                    _ => ot.or(tt).cloned(),
                }
            }
        };
        let chosen = chosen.or_else(|| {
            used.contains(k)
                .then(|| ot.or(tt).or(bt).cloned())
                .flatten()
        });
        tags.extend(chosen);
    }
    // A tag an annotation carries that no side defines (a hand edit).
    let mut cb = Codebook::from_tags(tags);
    for (kind, name) in used {
        if cb.get(*kind, name).is_none() {
            cb.insert(cb.new_tag(*kind, name));
        }
    }
    // Two tags may have taken one digit on the two sides: the later loses it.
    let mut seen = BTreeSet::new();
    let fixed: Vec<Tag> = cb
        .tags()
        .iter()
        .cloned()
        .map(|mut x| {
            if let Some(d) = x.digit
                && !seen.insert(d)
            {
                x.digit = None;
            }
            x
        })
        .collect();
    Codebook::from_tags(fixed)
}

/// A curated set's record merged: curator and codings as fields, the
/// rejected annotations as a set (each side's rejections kept).
fn merge_curation(
    b: &Option<Curation>,
    o: &Option<Curation>,
    t: &Option<Curation>,
    clash: &mut Vec<String>,
) -> Option<Curation> {
    let (Some(oc), Some(tc)) = (o, t) else {
        return field(b, o, t, "curation", clash);
    };
    let head = |c: &Curation| (c.curator.clone(), c.a.clone(), c.b.clone());
    let base_head = b.as_ref().map_or_else(|| head(oc), head);
    let (curator, a, b_name) = field(&base_head, &head(oc), &head(tc), "curation", clash);
    let empty = Vec::new();
    let base_rejected = b.as_ref().map_or(&empty, |c| &c.rejected);
    let mut rejected = names(base_rejected, &oc.rejected, &tc.rejected);
    rejected.sort();
    Some(Curation {
        curator,
        a,
        b: b_name,
        rejected,
    })
}

fn merge_metadata(
    b: &Metadata,
    o: &Metadata,
    t: &Metadata,
    conflicts: &mut Vec<String>,
) -> Metadata {
    let mut clash = Vec::new();
    let mut m = Metadata {
        title: field(&b.title, &o.title, &t.title, "title", &mut clash),
        author: field(&b.author, &o.author, &t.author, "author", &mut clash),
        publication: field(
            &b.publication,
            &o.publication,
            &t.publication,
            "publication",
            &mut clash,
        ),
        date: field(&b.date, &o.date, &t.date, "date", &mut clash),
        url: field(&b.url, &o.url, &t.url, "url", &mut clash),
        notes: field(&b.notes, &o.notes, &t.notes, "notes", &mut clash),
        status: field(&b.status, &o.status, &t.status, "status", &mut clash),
        curation: merge_curation(&b.curation, &o.curation, &t.curation, &mut clash),
        attributes: BTreeMap::new(),
    };
    let keys: BTreeSet<&String> = b
        .attributes
        .keys()
        .chain(o.attributes.keys())
        .chain(t.attributes.keys())
        .collect();
    for k in keys {
        let (bv, ov, tv) = (
            b.attributes.get(k),
            o.attributes.get(k),
            t.attributes.get(k),
        );
        let v = pick(bv, ov, tv).unwrap_or_else(|| {
            clash.push(format!("attribute “{k}”"));
            ov.or(tv).cloned()
        });
        if let Some(v) = v {
            m.attributes.insert(k.clone(), v);
        }
    }
    for c in clash {
        conflicts.push(format!(
            "the document's {c} was changed differently on both sides; ours is kept"
        ));
    }
    m
}

fn used_tags(anns: &[Annotation]) -> BTreeSet<(TagKind, String)> {
    anns.iter()
        .flat_map(|a| a.all_tags().map(|(k, n)| (k, n.to_owned())))
        .collect()
}

/// Merges two sets of one text with their common ancestor (`None`: both
/// sides added the file). Errors when they annotate different texts.
pub fn merge_sets(
    base: Option<&AnnotationSet>,
    ours: &AnnotationSet,
    theirs: &AnnotationSet,
) -> Result<Merged<AnnotationSet>, String> {
    if ours.source.sha256 != theirs.source.sha256 {
        return Err(format!(
            "the two sides annotate different texts (SHA-256 {} and {}): merge the article first, then open the set to re-anchor it",
            &ours.source.sha256.get(..12).unwrap_or(&ours.source.sha256),
            &theirs
                .source
                .sha256
                .get(..12)
                .unwrap_or(&theirs.source.sha256)
        ));
    }
    let empty = AnnotationSet::new(ours.source.clone());
    let b = base.unwrap_or(&empty);
    let mut conflicts = Vec::new();
    let annotations = merge_annotations(
        b.annotations(),
        ours.annotations(),
        theirs.annotations(),
        &mut conflicts,
    );
    let orphans = merge_annotations(&b.orphans, &ours.orphans, &theirs.orphans, &mut conflicts);
    let mut used = used_tags(&annotations);
    used.extend(used_tags(&orphans));
    let mut set = AnnotationSet::new(ours.source.clone());
    set.version = ours.version.max(theirs.version);
    set.metadata = merge_metadata(
        &b.metadata,
        &ours.metadata,
        &theirs.metadata,
        &mut conflicts,
    );
    set.codebook = merge_codebooks(
        &b.codebook,
        &ours.codebook,
        &theirs.codebook,
        &used,
        &mut conflicts,
    );
    set.set_annotations(annotations);
    set.orphans = orphans;
    set.normalize();
    Ok(Merged {
        value: set,
        conflicts,
    })
}

/// Merges two `corpus.ron` with their common ancestor (`None`: both sides
/// added it).
pub fn merge_corpus_files(
    base: Option<&CorpusFile>,
    ours: &CorpusFile,
    theirs: &CorpusFile,
) -> Merged<CorpusFile> {
    let empty = CorpusFile {
        version: ours.version,
        name: ours.name.clone(),
        codebook: Codebook::default(),
        attributes: Vec::new(),
        order: Vec::new(),
    };
    let b = base.unwrap_or(&empty);
    let mut conflicts = Vec::new();
    let name = field(&b.name, &ours.name, &theirs.name, "name", &mut Vec::new());
    let codebook = merge_codebooks(
        &b.codebook,
        &ours.codebook,
        &theirs.codebook,
        &BTreeSet::new(),
        &mut conflicts,
    );
    // Attributes by name: allowed values of both sides (a value either
    // side allows stays allowed), unless one side removed the attribute.
    let by_name = |v: &[AttributeDef]| -> BTreeMap<String, Vec<String>> {
        v.iter()
            .map(|a| (a.name.clone(), a.values.clone()))
            .collect()
    };
    let (ba, oa, ta) = (
        by_name(&b.attributes),
        by_name(&ours.attributes),
        by_name(&theirs.attributes),
    );
    let keys: BTreeSet<&String> = ba.keys().chain(oa.keys()).chain(ta.keys()).collect();
    let mut attributes = Vec::new();
    for k in keys {
        let values = match pick(ba.get(k), oa.get(k), ta.get(k)) {
            Some(v) => v,
            None => {
                let mut v: Vec<String> = oa
                    .get(k)
                    .into_iter()
                    .chain(ta.get(k))
                    .flatten()
                    .cloned()
                    .collect();
                v.sort();
                v.dedup();
                Some(v)
            }
        };
        if let Some(values) = values {
            attributes.push(AttributeDef {
                name: k.clone(),
                values,
            });
        }
    }
    // The list order: ours, less what theirs removed, then theirs' new.
    let (bo, to): (BTreeSet<&String>, BTreeSet<&String>) =
        (b.order.iter().collect(), theirs.order.iter().collect());
    let mut order: Vec<String> = ours
        .order
        .iter()
        .filter(|p| to.contains(p) || !bo.contains(p))
        .cloned()
        .collect();
    let have: BTreeSet<String> = order.iter().cloned().collect();
    let oo: BTreeSet<&String> = ours.order.iter().collect();
    order.extend(
        theirs
            .order
            .iter()
            // New on theirs' side (not one ours removed).
            .filter(|p| !have.contains(*p) && (!bo.contains(p) || oo.contains(p)))
            .cloned(),
    );
    Merged {
        value: CorpusFile {
            version: ours.version.max(theirs.version),
            name,
            codebook,
            attributes,
            order,
        },
        conflicts,
    }
}

/// How a kept merge conflict is resolved (one undoable step each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Keep our version: the other side's copy goes.
    KeepOurs,
    /// Keep the other side's version in place of ours.
    KeepTheirs,
    /// Keep both as two annotations.
    KeepBoth,
    /// (Changed here, deleted there) keep the annotation.
    Keep,
    /// (Changed here, deleted there) delete it.
    Delete,
}

/// The command that resolves the conflict marked on annotation `id` (the
/// other side's copy, or an annotation marked with its own id) as
/// `how` says; an error naming what does not fit.
pub fn resolve(
    set: &AnnotationSet,
    id: &str,
    how: Resolution,
) -> Result<super::command::Command, String> {
    use super::command::Command;
    let a = set.get(id).ok_or_else(|| format!("no annotation {id}"))?;
    let Some(of) = a.conflict_of.clone() else {
        return Err(format!("annotation {id} is not a merge conflict"));
    };
    let cleared = |x: &Annotation| {
        let mut x = x.clone();
        x.conflict_of = None;
        x
    };
    let label = format!("resolve the merge conflict of {of}");
    let commands = if of == id {
        match how {
            Resolution::Keep => vec![Command::ReplaceAnnotation(cleared(a))],
            Resolution::Delete => vec![Command::DeleteAnnotation { id: id.to_owned() }],
            _ => {
                return Err(format!(
                    "{id} was deleted on the other side: keep it or delete it"
                ));
            }
        }
    } else {
        let ours = set
            .get(&of)
            .ok_or_else(|| format!("no annotation {of} (the conflict's other version)"))?;
        match how {
            Resolution::KeepOurs => vec![Command::DeleteAnnotation { id: id.to_owned() }],
            Resolution::KeepTheirs => {
                let mut theirs = cleared(a);
                theirs.id = ours.id.clone();
                vec![
                    Command::DeleteAnnotation { id: id.to_owned() },
                    Command::ReplaceAnnotation(theirs),
                ]
            }
            Resolution::KeepBoth => vec![Command::ReplaceAnnotation(cleared(a))],
            _ => {
                return Err(format!(
                    "{id} is the other side's version of {of}: keep ours, theirs or both"
                ));
            }
        }
    };
    Ok(Command::Batch { label, commands })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codebook::Rgb;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    const TEXT: &str = "The ISI met the CIA in Doha on Monday.";

    fn ann(id: &str, s: usize, e: usize, issues: &[&str]) -> Annotation {
        let text = Text::new(TEXT.into());
        let mut a = Annotation::new(id.into(), &text, s, e, "t0");
        a.issues = issues.iter().map(|x| (*x).to_owned()).collect();
        a
    }

    fn set(anns: Vec<Annotation>, tags: &[(&str, [u8; 3])]) -> AnnotationSet {
        let mut s = AnnotationSet::new(SourceRef {
            path: "a.txt".into(),
            sha256: "same".into(),
            length: TEXT.chars().count(),
            ..SourceRef::default()
        });
        s.codebook = Codebook::from_tags(
            tags.iter()
                .map(|(n, c)| Tag::new(TagKind::Issue, n, Rgb(*c)))
                .collect(),
        );
        s.set_annotations(anns);
        s
    }

    fn ids(s: &AnnotationSet) -> Vec<&str> {
        let mut v: Vec<&str> = s.annotations().iter().map(|a| a.id.as_str()).collect();
        v.sort();
        v
    }

    const TAGS: &[(&str, [u8; 3])] = &[("Talks", [1, 1, 1])];

    #[test]
    fn both_sides_additions_and_one_sides_deletion_merge_cleanly() {
        let base = set(
            vec![ann("a1", 4, 7, &["Talks"]), ann("a2", 16, 19, &[])],
            TAGS,
        );
        // Ours adds ann-1 and deletes a2; theirs adds bob-1 and an actor
        // to a1 (a change ours did not make).
        let mut ours = base.clone();
        ours.set_annotations(vec![
            ann("a1", 4, 7, &["Talks"]),
            ann("ann-1", 23, 27, &["Talks"]),
        ]);
        let mut theirs = base.clone();
        let mut a1 = ann("a1", 4, 7, &["Talks"]);
        a1.actors = vec!["ISI".into()];
        theirs.set_annotations(vec![a1, ann("a2", 16, 19, &[]), ann("bob-1", 31, 37, &[])]);
        theirs
            .codebook
            .insert(Tag::new(TagKind::Actor, "ISI", Rgb([2, 2, 2])));
        let m = merge_sets(Some(&base), &ours, &theirs).unwrap();
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(
            ids(&m.value),
            ["a1", "ann-1", "bob-1"],
            "a2's deletion wins over no change"
        );
        assert_eq!(m.value.get("a1").unwrap().actors, ["ISI"]);
        assert!(m.value.codebook.get(TagKind::Actor, "ISI").is_some());
    }

    #[test]
    fn changes_to_different_fields_merge_and_tag_lists_merge_as_sets() {
        let base = set(
            vec![ann("a1", 4, 7, &["Talks", "Old"])],
            &[("Talks", [1, 1, 1]), ("Old", [3, 3, 3])],
        );
        let mut ours = base.clone();
        let mut o = ann("a1", 4, 7, &["Talks", "Old", "Ours"]);
        o.note = Some("checked".into());
        ours.set_annotations(vec![o]);
        ours.codebook
            .insert(Tag::new(TagKind::Issue, "Ours", Rgb([4, 4, 4])));
        let mut theirs = base.clone();
        let mut t = ann("a1", 4, 7, &["Talks"]);
        t.stance = Some(crate::core::annotation::Stance::Oppose);
        theirs.set_annotations(vec![t]);
        let m = merge_sets(Some(&base), &ours, &theirs).unwrap();
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let a = m.value.get("a1").unwrap();
        assert_eq!(
            a.issues,
            ["Ours", "Talks"],
            "Old removed by theirs, Ours added by ours"
        );
        assert_eq!(a.note.as_deref(), Some("checked"));
        assert_eq!(a.stance, Some(crate::core::annotation::Stance::Oppose));
    }

    /// a1 noted "ours" on one side and "theirs" on the other.
    fn notes_differ() -> (AnnotationSet, AnnotationSet, AnnotationSet) {
        let base = set(vec![ann("a1", 4, 7, &["Talks"])], TAGS);
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        let mut o = ann("a1", 4, 7, &["Talks"]);
        o.note = Some("ours".into());
        ours.set_annotations(vec![o]);
        let mut t = ann("a1", 4, 7, &["Talks"]);
        t.note = Some("theirs".into());
        theirs.set_annotations(vec![t]);
        (base, ours, theirs)
    }

    #[test]
    fn each_clones_rejections_of_a_curated_set_are_kept() {
        use crate::core::set::Curation;
        let mut base = set(vec![ann("a1", 4, 7, &["Talks"])], TAGS);
        let rec = |rejected: &[&str]| Curation {
            curator: "carol".into(),
            a: "alice".into(),
            b: "bob".into(),
            rejected: rejected.iter().map(|x| (*x).to_owned()).collect(),
        };
        base.metadata.curation = Some(rec(&["alice:x"]));
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.metadata.curation = Some(rec(&["alice:x", "bob:y"]));
        theirs.metadata.curation = Some(rec(&["alice:z"]));
        let m = merge_sets(Some(&base), &ours, &theirs).unwrap();
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        // Ours added bob:y, theirs added alice:z and dropped alice:x.
        assert_eq!(
            m.value.metadata.curation.unwrap().rejected,
            ["alice:z", "bob:y"]
        );
    }

    #[test]
    fn one_field_changed_differently_keeps_both_versions() {
        let (base, ours, theirs) = notes_differ();
        let m = merge_sets(Some(&base), &ours, &theirs).unwrap();
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert_eq!(ids(&m.value), ["a1", "a1-m1"]);
        assert_eq!(m.value.get("a1").unwrap().note.as_deref(), Some("ours"));
        let other = m.value.get("a1-m1").unwrap();
        assert_eq!(
            (other.note.as_deref(), other.conflict_of.as_deref()),
            (Some("theirs"), Some("a1"))
        );
        // The file says so, as version 3.
        assert_eq!(m.value.version_to_write(), 3);
    }

    #[test]
    fn a_change_against_a_deletion_and_one_id_for_two_additions() {
        let base = set(vec![ann("a1", 4, 7, &["Talks"])], TAGS);
        let mut ours = base.clone();
        let mut o = ann("a1", 4, 7, &["Talks"]);
        o.note = Some("kept".into());
        // Ours also added a2 at 16..19; theirs added a different a2.
        ours.set_annotations(vec![o, ann("a2", 16, 19, &[])]);
        let mut theirs = base.clone();
        theirs.set_annotations(vec![ann("a2", 23, 27, &[])]);
        let m = merge_sets(Some(&base), &ours, &theirs).unwrap();
        assert_eq!(ids(&m.value), ["a1", "a2", "a2-m1"]);
        assert_eq!(
            m.value.get("a1").unwrap().conflict_of.as_deref(),
            Some("a1")
        );
        assert_eq!(m.value.get("a2").unwrap().start, 16);
        assert_eq!(m.value.get("a2-m1").unwrap().start, 23);
        assert!(
            m.value.get("a2-m1").unwrap().conflict_of.is_none(),
            "two additions: no conflict"
        );
        assert_eq!(m.conflicts.len(), 1);
    }

    #[test]
    fn tags_merge_by_kind_and_name_and_a_used_tag_is_never_dropped() {
        let base = set(vec![], &[("Talks", [1, 1, 1]), ("Gone", [5, 5, 5])]);
        let mut ours = base.clone();
        ours.codebook =
            Codebook::from_tags(vec![Tag::new(TagKind::Issue, "Talks", Rgb([9, 9, 9]))]);
        let mut theirs = base.clone();
        theirs.codebook = Codebook::from_tags(vec![
            Tag::new(TagKind::Issue, "Talks", Rgb([7, 7, 7])),
            Tag::new(TagKind::Issue, "Gone", Rgb([5, 5, 5])),
        ]);
        // Theirs uses "Gone", which ours deleted.
        theirs.set_annotations(vec![ann("bob-1", 4, 7, &["Gone"])]);
        let m = merge_sets(Some(&base), &ours, &theirs).unwrap();
        assert_eq!(
            m.value.codebook.get(TagKind::Issue, "Talks").unwrap().color,
            Rgb([9, 9, 9])
        );
        assert!(m.value.codebook.get(TagKind::Issue, "Gone").is_some());
        assert_eq!(m.conflicts.len(), 1, "the colour: {:?}", m.conflicts);
        assert!(m.conflicts[0].contains("colour"), "{:?}", m.conflicts);
    }

    #[test]
    fn different_texts_are_refused_and_no_base_means_both_added() {
        let a = set(vec![ann("a1", 4, 7, &[])], TAGS);
        let mut b = set(vec![ann("b1", 8, 11, &[])], TAGS);
        let m = merge_sets(None, &a, &b).unwrap();
        assert_eq!(ids(&m.value), ["a1", "b1"]);
        b.source.sha256 = "other".into();
        let e = merge_sets(None, &a, &b).unwrap_err();
        assert!(e.contains("different texts"), "{e}");
    }

    #[test]
    fn corpus_files_merge_codebook_attributes_and_order() {
        let cf = |tags: &[&str], attrs: &[(&str, &[&str])], order: &[&str]| CorpusFile {
            version: 1,
            name: "study".into(),
            codebook: Codebook::from_tags(
                tags.iter()
                    .map(|n| Tag::new(TagKind::Issue, n, Rgb([1, 1, 1])))
                    .collect(),
            ),
            attributes: attrs
                .iter()
                .map(|(n, v)| AttributeDef {
                    name: (*n).into(),
                    values: v.iter().map(|x| (*x).to_owned()).collect(),
                })
                .collect(),
            order: order.iter().map(|x| (*x).to_owned()).collect(),
        };
        let base = cf(&["A"], &[("outlet", &["Dawn"])], &["a.txt", "b.txt"]);
        let ours = cf(
            &["A", "B"],
            &[("outlet", &["Dawn", "Nation"])],
            &["b.txt", "a.txt", "c.txt"],
        );
        let theirs = cf(
            &["A", "C"],
            &[("outlet", &["Dawn", "Express"])],
            &["a.txt", "d.txt"],
        );
        let m = merge_corpus_files(Some(&base), &ours, &theirs);
        let names: Vec<&str> = m
            .value
            .codebook
            .tags()
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["A", "B", "C"]);
        assert_eq!(m.value.attributes[0].values, ["Dawn", "Express", "Nation"]);
        assert_eq!(
            m.value.order,
            ["a.txt", "c.txt", "d.txt"],
            "b.txt removed by theirs"
        );
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn each_kept_conflict_resolves_in_one_undoable_step() {
        use crate::core::command::{EditContext, apply};
        let (base, ours, theirs) = notes_differ();
        let merged = merge_sets(Some(&base), &ours, &theirs).unwrap().value;
        let text = Text::new(TEXT.into());
        let cx = EditContext {
            text: &text,
            now: "t1",
            coder: None,
        };
        for (how, notes) in [
            (Resolution::KeepOurs, vec!["ours"]),
            (Resolution::KeepTheirs, vec!["theirs"]),
            (Resolution::KeepBoth, vec!["ours", "theirs"]),
        ] {
            let mut s = merged.clone();
            let cmd = resolve(&s, "a1-m1", how).unwrap();
            let undo = apply(&mut s, cmd, cx).unwrap().inverse;
            let mut got: Vec<&str> = s
                .annotations()
                .iter()
                .filter_map(|a| a.note.as_deref())
                .collect();
            got.sort();
            assert_eq!(got, notes, "{how:?}");
            assert!(
                s.annotations().iter().all(|a| a.conflict_of.is_none()),
                "{how:?}"
            );
            let a1 = if how == Resolution::KeepTheirs {
                "theirs"
            } else {
                "ours"
            };
            assert_eq!(s.get("a1").unwrap().note.as_deref(), Some(a1), "{how:?}");
            apply(&mut s, undo, cx).unwrap();
            assert_eq!(s, merged, "one undo restores the conflict ({how:?})");
        }
        assert!(
            resolve(&merged, "a1", Resolution::KeepOurs).is_err(),
            "a1 is ours, not marked"
        );
        assert!(resolve(&merged, "a1-m1", Resolution::Delete).is_err());
    }
}
