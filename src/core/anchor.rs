//! Placing a loaded annotation set onto the current article text, and
//! repairing what a hand-edited or foreign file got wrong.
//!
//! Re-anchoring follows Hypothesis: every annotation stores its position
//! plus its quote with up to 32 code points of prefix and suffix. When the
//! text changed, each annotation is placed by, in order:
//! 1. its stored offsets, when they still hold its quote ([`Placement::Exact`]);
//! 2. the exact quote nearest its expected position (the old position
//!    shifted by how far the previous annotation moved), prefix and suffix
//!    breaking ties ([`Placement::Moved`]): first in a window around the
//!    expected position, then in the whole text (one Aho–Corasick pass for
//!    all the remaining quotes, so 50,000 annotations on a 5 MB text cost
//!    one scan, not 50,000);
//! 3. an approximate match of the quote near the expected position
//!    (bounded edit distance, at most a quarter of the quote's length),
//!    scored on quote similarity, context similarity and distance
//!    ([`Placement::Fuzzy`]); weak matches are refused;
//! 4. otherwise it becomes an orphan ([`Placement::Orphaned`]).
//!
//! Invariants:
//! - No annotation is ever dropped: one that cannot be placed moves to
//!   `set.orphans`, with its last quote, and is listed to the user.
//! - The result is deterministic for the same set and text (the
//!   approximate-matching work budget is counted in cells, not time).
//! - When the text's SHA-256 equals the set's and every quote matches, the
//!   set is left untouched, in one linear pass (the fast path).

use super::annotation::Annotation;
use super::codebook::{Tag, TagKind};
use super::command::{Command, CommandError};
use super::set::AnnotationSet;
use super::text::Text;
use aho_corasick::AhoCorasick;
use std::collections::{BTreeMap, HashSet};

/// How one annotation was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Its stored offsets still hold its quote.
    Exact,
    /// Its quote was found at another position.
    Moved,
    /// An approximate match of its quote was used.
    Fuzzy,
    /// It could not be placed and is now an orphan.
    Orphaned,
}

/// Counts and problems found while anchoring a set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnchorReport {
    /// Annotations whose offsets still hold their quote.
    pub exact: usize,
    /// Annotations whose exact quote was found elsewhere.
    pub moved: usize,
    /// Annotations placed by approximate matching.
    pub fuzzy: usize,
    /// Annotations that could not be placed (now in `orphans`).
    pub orphaned: usize,
    /// Human-readable problems found and repaired (duplicate ids, unknown
    /// tags, offsets out of range…).
    pub problems: Vec<String>,
    /// Whether anchoring changed the set's annotations, orphans or
    /// codebook (a repair, a move, a re-taken quote, a re-sorted list).
    /// Changes to `source` are not counted: callers compare it themselves.
    pub changed: bool,
}

impl AnchorReport {
    /// True when nothing moved, nothing was orphaned and nothing needed a
    /// repair.
    pub fn is_clean(&self) -> bool {
        self.moved == 0 && self.fuzzy == 0 && self.orphaned == 0 && self.problems.is_empty()
    }
}

/// Half-width (code points) of the window searched first for a moved quote.
const NEAR_WINDOW: usize = 4096;
/// Extra code points searched on each side for an approximate match.
const FUZZY_RADIUS: usize = 1024;
/// Quotes shorter than this are never matched approximately (too
/// ambiguous).
const FUZZY_MIN_CHARS: usize = 5;
/// Total dynamic-programming cells spent on approximate matching for one
/// set (about a second in a release build); past it the remaining
/// annotations become orphans, with a problem saying why.
const FUZZY_BUDGET_CELLS: u64 = 600_000_000;
/// Below this many unplaced quotes, each is searched with `str::find`;
/// above, one Aho–Corasick pass serves them all.
const AC_THRESHOLD: usize = 16;

/// Repairs and re-anchors `set` onto `text`; see the module invariants.
pub fn anchor_set(set: &mut AnnotationSet, text: &Text) -> AnchorReport {
    let mut report = AnchorReport::default();
    repair(set, &mut report);
    let unchanged_text = set.source.sha256 == text.sha256();
    let annotations = set.take_annotations();
    let n = annotations.len();
    // Slot per annotation: Some((placement, start, end)) once placed.
    let mut placed: Vec<Option<(Placement, usize, usize)>> = vec![None; n];
    let mut expected = vec![0usize; n];
    let mut pending = Vec::new();
    let mut delta: i64 = 0;
    for (i, a) in annotations.iter().enumerate() {
        let in_range = a.start < a.end && a.end <= text.len_chars();
        if in_range && (unchanged_text || text.slice(a.start, a.end) == a.quote) {
            placed[i] = Some((Placement::Exact, a.start, a.end));
            delta = 0;
            continue;
        }
        if !in_range && unchanged_text {
            report.problems.push(format!(
                "annotation {} has offsets {}..{} outside the text (length {})",
                a.id,
                a.start,
                a.end,
                text.len_chars()
            ));
        }
        let guess = (a.start as i64 + delta).clamp(0, text.len_chars() as i64) as usize;
        expected[i] = guess;
        if let Some((s, e)) = find_exact_near(a, text, guess) {
            placed[i] = Some((Placement::Moved, s, e));
            delta = s as i64 - a.start as i64;
        } else if !a.quote.is_empty() {
            pending.push(i);
        }
    }
    // Whole-text exact search for the quotes not found nearby.
    let found = find_exact_anywhere(&annotations, &pending, &expected, text);
    let mut still = Vec::new();
    for i in pending {
        match found.get(&i) {
            Some(&s) => {
                let e = s + annotations[i].quote.chars().count();
                placed[i] = Some((Placement::Moved, s, e));
            }
            None => still.push(i),
        }
    }
    // Approximate matching, within a deterministic work budget.
    let mut budget = FUZZY_BUDGET_CELLS;
    let mut over_budget = 0usize;
    for i in still {
        match find_fuzzy(&annotations[i], text, expected[i], &mut budget) {
            Fuzzy::Found(s, e) => placed[i] = Some((Placement::Fuzzy, s, e)),
            Fuzzy::NotFound => {}
            Fuzzy::OverBudget => over_budget += 1,
        }
    }
    if over_budget > 0 {
        report.problems.push(format!(
            "{over_budget} annotations were not searched approximately (too much work for one open); they are listed as orphans"
        ));
    }
    let mut kept = Vec::with_capacity(n);
    for (mut a, slot) in annotations.into_iter().zip(placed) {
        match slot {
            Some((Placement::Exact, s, e)) => {
                if a.quote.is_empty() || text.slice(s, e) != a.quote {
                    // Same text but a missing or stale quote (hand-edited
                    // file): take the quote from the text.
                    a.anchor(text, s, e);
                    report.changed = true;
                }
                report.exact += 1;
                kept.push(a);
            }
            Some((placement, s, e)) => {
                a.anchor(text, s, e);
                if placement == Placement::Fuzzy {
                    report.fuzzy += 1;
                } else {
                    report.moved += 1;
                }
                kept.push(a);
            }
            None => {
                report.orphaned += 1;
                set.orphans.push(a);
            }
        }
    }
    // Out of order as read (a hand-edited file): sorted now, and so changed.
    if !kept.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()) {
        report.changed = true;
    }
    set.set_annotations(kept);
    set.source.sha256 = text.sha256().to_owned();
    set.source.length = text.len_chars();
    if !is_normalized(set) {
        set.normalize();
        report.changed = true;
    }
    if report.moved + report.fuzzy + report.orphaned > 0 || !report.problems.is_empty() {
        report.changed = true;
    }
    report
}

/// Whether [`AnnotationSet::normalize`] would leave `set` as it is: tag
/// lists strictly sorted, annotations sorted by position, orphans by id.
fn is_normalized(set: &AnnotationSet) -> bool {
    let tags_ok = |a: &Annotation| {
        a.issues.windows(2).all(|w| w[0] < w[1]) && a.actors.windows(2).all(|w| w[0] < w[1])
    };
    set.annotations().iter().chain(&set.orphans).all(tags_ok)
        && set
            .annotations()
            .windows(2)
            .all(|w| w[0].sort_key() <= w[1].sort_key())
        && set.orphans.windows(2).all(|w| w[0].id <= w[1].id)
}

/// Finds a new place for one annotation whose offsets no longer hold its
/// quote, searching around its old position: the exact quote nearest it,
/// then an approximate match. `None` when it cannot be placed.
pub fn relocate(a: &Annotation, text: &Text) -> Option<(Placement, usize, usize)> {
    let guess = a.start.min(text.len_chars());
    if let Some((s, e)) = find_exact_near(a, text, guess) {
        return Some((Placement::Moved, s, e));
    }
    if !a.quote.is_empty() {
        let found = find_exact_anywhere(std::slice::from_ref(a), &[0], &[guess], text);
        if let Some(&s) = found.get(&0) {
            return Some((Placement::Moved, s, s + a.quote.chars().count()));
        }
    }
    let mut budget = FUZZY_BUDGET_CELLS;
    match find_fuzzy(a, text, guess, &mut budget) {
        Fuzzy::Found(s, e) => Some((Placement::Fuzzy, s, e)),
        _ => None,
    }
}

/// Score of an exact candidate at byte `byte` (lower is better): distance
/// to the expected byte, divided by 4 for a matching prefix and again for
/// a matching suffix. Ties go to the earlier candidate.
fn exact_score(a: &Annotation, hay: &str, byte: usize, expected_byte: usize) -> u64 {
    let mut score = byte.abs_diff(expected_byte) as u64 * 16 + 1;
    let end = byte + a.quote.len();
    if !a.prefix.is_empty() && hay[..byte].ends_with(a.prefix.as_str()) {
        score /= 4;
    }
    if !a.suffix.is_empty() && hay[end..].starts_with(a.suffix.as_str()) {
        score /= 4;
    }
    score
}

/// The exact quote in a window of [`NEAR_WINDOW`] code points around
/// `guess`, best scored.
fn find_exact_near(a: &Annotation, text: &Text, guess: usize) -> Option<(usize, usize)> {
    if a.quote.is_empty() {
        return None;
    }
    let qlen = a.quote.chars().count();
    let lo = text.char_to_byte(guess.saturating_sub(NEAR_WINDOW));
    let hi = text.char_to_byte(guess + qlen + NEAR_WINDOW);
    let hay = text.as_str();
    let expected_byte = text.char_to_byte(guess);
    let mut best: Option<(u64, usize)> = None;
    for (off, _) in hay[lo..hi].match_indices(a.quote.as_str()) {
        let byte = lo + off;
        let score = exact_score(a, hay, byte, expected_byte);
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, byte));
        }
    }
    best.map(|(_, b)| {
        let s = text.byte_to_char(b);
        (s, s + qlen)
    })
}

/// For each annotation index in `pending`, the best-scored start (code
/// points) of its exact quote anywhere in the text.
fn find_exact_anywhere(
    annotations: &[Annotation],
    pending: &[usize],
    expected: &[usize],
    text: &Text,
) -> BTreeMap<usize, usize> {
    let hay = text.as_str();
    let mut best: BTreeMap<usize, (u64, usize)> = BTreeMap::new();
    let expected_bytes: BTreeMap<usize, usize> = pending
        .iter()
        .map(|&i| (i, text.char_to_byte(expected[i])))
        .collect();
    let mut consider = |i: usize, byte: usize| {
        let score = exact_score(&annotations[i], hay, byte, expected_bytes[&i]);
        let entry = best.entry(i).or_insert((u64::MAX, byte));
        if score < entry.0 {
            *entry = (score, byte);
        }
    };
    if pending.len() <= AC_THRESHOLD {
        for &i in pending {
            for (byte, _) in hay.match_indices(annotations[i].quote.as_str()) {
                consider(i, byte);
            }
        }
    } else {
        // One pattern per distinct quote; every match is offered to each
        // annotation with that quote.
        let mut by_quote: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in pending {
            by_quote
                .entry(annotations[i].quote.as_str())
                .or_default()
                .push(i);
        }
        let patterns: Vec<&str> = by_quote.keys().copied().collect();
        let owners: Vec<&Vec<usize>> = by_quote.values().collect();
        if let Ok(ac) = AhoCorasick::new(&patterns) {
            for m in ac.find_overlapping_iter(hay) {
                for &i in owners[m.pattern().as_usize()] {
                    consider(i, m.start());
                }
            }
        }
    }
    best.into_iter()
        .map(|(i, (_, byte))| (i, text.byte_to_char(byte)))
        .collect()
}

enum Fuzzy {
    Found(usize, usize),
    NotFound,
    OverBudget,
}

/// Edit distance between two short strings (for context similarity).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity in `[0, 1]` of a stored context and the text found there;
/// an empty stored context contradicts nothing.
fn similarity(stored: &str, found: &str) -> f64 {
    let s: Vec<char> = stored.chars().collect();
    if s.is_empty() {
        return 1.0;
    }
    let f: Vec<char> = found.chars().collect();
    1.0 - (edit_distance(&s, &f) as f64 / s.len().max(f.len()) as f64).min(1.0)
}

/// Approximate match of the quote near `guess` (Sellers' algorithm: the
/// edit distance of the quote to the best substring ending at each
/// position), scored like Hypothesis: 50 × quote + 20 × prefix + 20 ×
/// suffix + 2 × position similarity, over 92.
fn find_fuzzy(a: &Annotation, text: &Text, guess: usize, budget: &mut u64) -> Fuzzy {
    let pattern: Vec<char> = a.quote.chars().collect();
    let m = pattern.len();
    if m < FUZZY_MIN_CHARS {
        return Fuzzy::NotFound;
    }
    let max_errors = m / 4;
    let lo = guess.saturating_sub(max_errors + FUZZY_RADIUS);
    let hi = (guess + m + max_errors + FUZZY_RADIUS).min(text.len_chars());
    if lo >= hi {
        return Fuzzy::NotFound;
    }
    let window: Vec<char> = text.slice(lo, hi).chars().collect();
    let cells = (m as u64) * (window.len() as u64);
    if cells > *budget {
        return Fuzzy::OverBudget;
    }
    *budget -= cells;
    // cost[i], origin[i]: errors and window start of the best alignment of
    // pattern[..i] ending at the current window position.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut origin: Vec<usize> = vec![0; m + 1];
    let mut new_cost = vec![0usize; m + 1];
    let mut new_origin = vec![0usize; m + 1];
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new(); // (errors, start, end) in window
    for (j, &wc) in window.iter().enumerate() {
        new_cost[0] = 0;
        new_origin[0] = j + 1;
        for i in 1..=m {
            let diag = cost[i - 1] + usize::from(pattern[i - 1] != wc);
            let up = cost[i] + 1; // extra text character
            let left = new_cost[i - 1] + 1; // missing pattern character
            let (c, o) = if diag <= up && diag <= left {
                (diag, origin[i - 1])
            } else if up <= left {
                (up, origin[i])
            } else {
                (left, new_origin[i - 1])
            };
            new_cost[i] = c;
            new_origin[i] = o;
        }
        std::mem::swap(&mut cost, &mut new_cost);
        std::mem::swap(&mut origin, &mut new_origin);
        if cost[m] <= max_errors && origin[m] < j + 1 {
            candidates.push((cost[m], origin[m], j + 1));
        }
    }
    let Some(min_errors) = candidates.iter().map(|c| c.0).min() else {
        return Fuzzy::NotFound;
    };
    // Only near-best alignments are worth scoring with context.
    candidates.retain(|c| c.0 <= min_errors + 1);
    let len = text.len_chars().max(1) as f64;
    let mut best: Option<(f64, usize, usize)> = None;
    for (errors, ws, we) in candidates {
        let (s, e) = (lo + ws, lo + we);
        let quote_sim = 1.0 - errors as f64 / m as f64;
        let plen = a.prefix.chars().count();
        let slen = a.suffix.chars().count();
        let prefix_sim = similarity(&a.prefix, text.slice(s.saturating_sub(plen), s));
        let suffix_sim = similarity(&a.suffix, text.slice(e, e + slen));
        let pos_sim = 1.0 - (s.abs_diff(guess) as f64 / len).min(1.0);
        let score =
            (50.0 * quote_sim + 20.0 * prefix_sim + 20.0 * suffix_sim + 2.0 * pos_sim) / 92.0;
        let acceptable = quote_sim >= 0.9 || score >= 0.7;
        if acceptable && best.is_none_or(|(b, _, _)| score > b) {
            best = Some((score, s, e));
        }
    }
    match best {
        Some((_, s, e)) => Fuzzy::Found(s, e),
        None => Fuzzy::NotFound,
    }
}

/// The undoable command that re-attaches orphan `id` to `start..end` of
/// `text`: `Batch[SetOrphans(the other orphans), CreateTag(any of its tags
/// missing from the codebook), AddAnnotation(it, re-anchored)]`. Execute it
/// through `Session::execute`; undo puts the orphan back.
pub fn reattach_orphan(
    set: &AnnotationSet,
    text: &Text,
    id: &str,
    start: usize,
    end: usize,
    now: &str,
) -> Result<Command, CommandError> {
    let orphan = set
        .orphans
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| CommandError::NoSuchAnnotation(id.to_owned()))?;
    if start >= end || end > text.len_chars() {
        return Err(CommandError::InvalidSpan(start, end));
    }
    let rest: Vec<Annotation> = set.orphans.iter().filter(|a| a.id != id).cloned().collect();
    let mut a = orphan.clone();
    a.anchor(text, start, end);
    a.modified = now.to_owned();
    let mut commands = vec![Command::SetOrphans(rest)];
    let mut codebook = set.codebook.clone();
    for (kind, name) in orphan.all_tags() {
        if codebook.get(kind, name).is_none() {
            let tag = Tag::new(kind, name, codebook.next_color());
            codebook.insert(tag.clone());
            commands.push(Command::CreateTag(tag));
        }
    }
    commands.push(Command::AddAnnotation(a));
    Ok(Command::Batch {
        label: "re-attach orphan".into(),
        commands,
    })
}

/// The undoable command that deletes orphan `id` (`SetOrphans` with the
/// others).
pub fn delete_orphan(set: &AnnotationSet, id: &str) -> Result<Command, CommandError> {
    if !set.orphans.iter().any(|a| a.id == id) {
        return Err(CommandError::NoSuchAnnotation(id.to_owned()));
    }
    Ok(Command::SetOrphans(
        set.orphans.iter().filter(|a| a.id != id).cloned().collect(),
    ))
}

/// Fixes what a set may get wrong before anchoring: duplicate ids get fresh
/// ones, tags used by annotations but missing from the codebook are added,
/// digits bound twice are unbound.
fn repair(set: &mut AnnotationSet, report: &mut AnchorReport) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(set.annotations().len());
    let mut duplicates = Vec::new();
    for (i, a) in set.annotations().iter().enumerate() {
        if !seen.insert(a.id.as_str()) {
            duplicates.push(i);
        }
    }
    if duplicates.is_empty() {
        seen.clear();
    } else {
        for a in &set.orphans {
            seen.insert(a.id.as_str());
        }
    }
    let mut next = seen
        .iter()
        .filter_map(|id| id.strip_prefix('a')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    drop(seen);
    if !duplicates.is_empty() {
        // A new id changes the order: the list is put back sorted.
        let mut list = set.take_annotations();
        for i in duplicates {
            next += 1;
            let fresh = format!("a{next}");
            report.problems.push(format!(
                "duplicate annotation id {} renamed to {fresh}",
                list[i].id
            ));
            list[i].id = fresh;
        }
        set.set_annotations(list);
    }
    let mut missing: Vec<(TagKind, String)> = Vec::new();
    for a in set.annotations().iter().chain(&set.orphans) {
        for (kind, name) in a.all_tags() {
            if set.codebook.get(kind, name).is_none()
                && !missing.iter().any(|(k, n)| *k == kind && n == name)
            {
                missing.push((kind, name.to_owned()));
            }
        }
    }
    missing.sort();
    for (kind, name) in missing {
        report.problems.push(format!(
            "{kind} “{name}” is used but was not in the codebook; added"
        ));
        let color = set.codebook.next_color();
        set.codebook.insert(Tag::new(kind, &name, color));
    }
    let mut digits = HashSet::new();
    let tags: Vec<Tag> = set.codebook.tags().to_vec();
    for t in tags {
        if let Some(d) = t.digit
            && (!(1..=9).contains(&d) || !digits.insert(d))
        {
            report.problems.push(format!(
                "digit {d} of “{}” was invalid or bound twice; unbound",
                t.name
            ));
            let mut fixed = t.clone();
            fixed.digit = None;
            set.codebook.insert(fixed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::SourceRef;

    fn set_on(text: &Text, spans: &[(usize, usize)]) -> AnnotationSet {
        let mut set = AnnotationSet::new(SourceRef {
            path: "a.txt".into(),
            sha256: text.sha256().into(),
            length: text.len_chars(),
            ..Default::default()
        });
        for (i, (s, e)) in spans.iter().enumerate() {
            set.insert_sorted(Annotation::new(format!("a{}", i + 1), text, *s, *e, "t"));
        }
        set
    }

    #[test]
    fn unchanged_text_is_exact() {
        let text = Text::new("The ISI and the CIA met.".into());
        let mut set = set_on(&text, &[(4, 7), (16, 19)]);
        let before = set.clone();
        let r = anchor_set(&mut set, &text);
        assert!(r.is_clean());
        assert_eq!(r.exact, 2);
        assert!(!r.changed);
        assert_eq!(set, before);
    }

    #[test]
    fn changed_is_reported_for_every_kind_of_change() {
        let text = Text::new("The ISI and the CIA met.".into());
        // Unsorted tag list: normalised, so changed.
        let mut set = set_on(&text, &[(4, 7), (16, 19)]);
        set.update_annotations(|v| {
            v[0].issues = vec!["b".into(), "a".into()];
        });
        for n in ["a", "b"] {
            set.codebook.insert(Tag::new(
                TagKind::Issue,
                n,
                crate::core::codebook::PALETTE[0],
            ));
        }
        let before = set.clone();
        let r = anchor_set(&mut set, &text);
        assert!(r.changed);
        assert_ne!(set, before);
        // Annotations out of order: changed.
        // (Only a file can hold them so: the list is private and kept
        // sorted in memory.)
        let set = set_on(&text, &[(4, 7), (16, 19)]);
        let mut raw = serde_json::to_value(&set).unwrap();
        raw["annotations"].as_array_mut().unwrap().swap(0, 1);
        let mut set: AnnotationSet = serde_json::from_value(raw).unwrap();
        assert_eq!(set.annotations()[0].start, 16, "out of order as read");
        assert!(anchor_set(&mut set, &text).changed);
        // A stale quote on the same text: changed.
        let mut set = set_on(&text, &[(4, 7)]);
        set.update_annotations(|v| {
            v[0].quote = "XYZ".into();
        });
        set.source.sha256 = text.sha256().into();
        let before = set.clone();
        let r = anchor_set(&mut set, &text);
        assert_eq!(r.changed, set != before);
        assert!(r.changed);
        // Anchored again: nothing left to change.
        let before = set.clone();
        assert!(!anchor_set(&mut set, &text).changed);
        assert_eq!(set, before);
    }

    #[test]
    fn edited_text_moves_and_orphans_but_keeps_everything() {
        let old = Text::new("The ISI and the CIA met. Later the ISI left.".into());
        let mut set = set_on(&old, &[(4, 7), (16, 19), (35, 38)]);
        let new = Text::new("Yesterday, the ISI and the FBI met. Later the ISI left.".into());
        let r = anchor_set(&mut set, &new);
        assert_eq!((r.exact, r.moved, r.orphaned), (0, 2, 1));
        assert_eq!(set.annotations().len() + set.orphans.len(), 3);
        let starts: Vec<_> = set
            .annotations()
            .iter()
            .map(|a| (a.id.as_str(), a.start))
            .collect();
        // prefix/suffix pick the right "ISI" for each annotation
        assert_eq!(starts, [("a1", 15), ("a3", 46)]);
        assert_eq!(set.orphans[0].quote, "CIA");
        assert_eq!(set.source.sha256, new.sha256());
    }

    #[test]
    fn edited_quote_is_matched_approximately_and_garbage_is_not() {
        let old = Text::new(
            "Intro. The Pakistani government agreed to reopen the NATO supply routes after talks. End."
                .into(),
        );
        let mut set = set_on(&old, &[(7, 83)]);
        let quote = set.annotations()[0].quote.clone();
        assert!(quote.starts_with("The Pakistani"));
        let new = Text::new(
            "A longer intro here. The Pakistani government agreed to re-open NATO's supply routes after talks. End."
                .into(),
        );
        let r = anchor_set(&mut set, &new);
        assert_eq!(
            (r.exact, r.moved, r.fuzzy, r.orphaned),
            (0, 0, 1, 0),
            "{r:?}"
        );
        let a = &set.annotations()[0];
        assert!(a.quote.starts_with("The Pakistani"), "{:?}", a.quote);
        assert!(a.quote.ends_with("after talks"), "{:?}", a.quote);

        let mut set = set_on(&old, &[(7, 83)]);
        let garbage =
            Text::new("Completely unrelated words about cricket and weather, nothing else.".into());
        let r = anchor_set(&mut set, &garbage);
        assert_eq!((r.fuzzy, r.orphaned), (0, 1));
        assert_eq!(set.orphans[0].quote, quote);
    }

    #[test]
    fn many_moved_annotations_use_one_whole_text_pass() {
        // 40 distinct quotes moved far away (beyond the near window).
        let words: Vec<String> = (0..40).map(|i| format!("word{i:03}")).collect();
        let old = Text::new(words.join(" "));
        let spans: Vec<(usize, usize)> = (0..40).map(|i| (i * 8, i * 8 + 7)).collect();
        let mut set = set_on(&old, &spans);
        let mut rev = words.clone();
        rev.reverse();
        let new = Text::new(format!("{}{}", "x".repeat(10_000), rev.join(" ")));
        let r = anchor_set(&mut set, &new);
        assert_eq!((r.moved, r.orphaned), (40, 0), "{r:?}");
        for a in set.annotations() {
            assert_eq!(new.slice(a.start, a.end), a.quote);
        }
    }

    #[test]
    fn orphans_can_be_reattached_and_deleted_undoably() {
        use crate::core::command::{EditContext, apply};
        let text = Text::new("The ISI and the CIA met.".into());
        let mut set = set_on(&text, &[(4, 7)]);
        let mut orphan = Annotation::new("a9".into(), &text, 16, 19, "t");
        orphan.actors = vec!["Ghost".into()];
        set.orphans.push(orphan);
        let before = set.clone();
        let cmd = reattach_orphan(&set, &text, "a9", 16, 19, "now").unwrap();
        let cx = EditContext {
            text: &text,
            now: "now",
            coder: None,
        };
        let applied = apply(&mut set, cmd, cx).unwrap();
        assert!(set.orphans.is_empty());
        assert_eq!(set.get("a9").map(|a| a.quote.as_str()), Some("CIA"));
        assert!(set.codebook.get(TagKind::Actor, "Ghost").is_some());
        apply(&mut set, applied.inverse, cx).unwrap();
        assert_eq!(set, before);
        assert!(reattach_orphan(&set, &text, "a9", 5, 99, "now").is_err());
        assert!(reattach_orphan(&set, &text, "zz", 1, 2, "now").is_err());
        let del = delete_orphan(&set, "a9").unwrap();
        apply(&mut set, del, cx).unwrap();
        assert!(set.orphans.is_empty());
        assert_eq!(set.annotations().len(), 1);
    }

    #[test]
    fn repairs_duplicates_and_unknown_tags() {
        let text = Text::new("abc def".into());
        let mut set = set_on(&text, &[(0, 3), (4, 7)]);
        set.update_annotations(|v| {
            v[1].id = "a1".into();
        });
        set.update_annotations(|v| {
            v[1].actors = vec!["Ghost".into()];
        });
        let r = anchor_set(&mut set, &text);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert!(set.codebook.get(TagKind::Actor, "Ghost").is_some());
        let mut ids: Vec<_> = set.annotations().iter().map(|a| a.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 2);
    }
}
