//! Two codings of one text compared annotation by annotation: the list of
//! disagreements a comparison view steps through and a curator resolves
//! (only A, only B, the same span with different tags, boundaries that
//! differ, stances that differ).
//!
//! Invariants:
//! - Annotations are matched one to one: equal spans first, then by
//!   overlap (the largest first, ties by position), as `f1_exact` and
//!   `f1_overlap` in `core::agreement` match them.
//! - Every annotation of either coding is in exactly one match or one
//!   "only" entry; agreeing matches give no entry.
//! - The list is sorted by position (start, end), then by kind.

use super::annotation::{Annotation, Stance};
use super::codebook::TagKind;
use std::collections::BTreeSet;

/// One disagreement between coding A and coding B.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disagreement {
    /// An annotation only A made (nothing of B's overlaps it unmatched).
    OnlyA {
        /// A's annotation id.
        a: String,
        /// Its span.
        span: (usize, usize),
    },
    /// An annotation only B made.
    OnlyB {
        /// B's annotation id.
        b: String,
        /// Its span.
        span: (usize, usize),
    },
    /// The same span, tagged differently.
    Tags {
        /// A's annotation id.
        a: String,
        /// B's annotation id.
        b: String,
        /// The span.
        span: (usize, usize),
        /// Tags only A gave.
        only_a: Vec<(TagKind, String)>,
        /// Tags only B gave.
        only_b: Vec<(TagKind, String)>,
        /// A's and B's stances when they differ too (else `None`).
        stances: Option<(Option<Stance>, Option<Stance>)>,
    },
    /// Overlapping annotations whose ends differ.
    Boundaries {
        /// A's annotation id.
        a: String,
        /// B's annotation id.
        b: String,
        /// A's span.
        span_a: (usize, usize),
        /// B's span.
        span_b: (usize, usize),
        /// How many code points the ends are off, both ends added.
        by: usize,
    },
    /// The same span and tags, different stances.
    Stance {
        /// A's annotation id.
        a: String,
        /// B's annotation id.
        b: String,
        /// The span.
        span: (usize, usize),
        /// A's stance.
        stance_a: Option<Stance>,
        /// B's stance.
        stance_b: Option<Stance>,
    },
}

impl Disagreement {
    /// Where it is in the text (for sorting and for stepping with N/P).
    pub fn position(&self) -> (usize, usize) {
        match self {
            Disagreement::OnlyA { span, .. }
            | Disagreement::OnlyB { span, .. }
            | Disagreement::Tags { span, .. }
            | Disagreement::Stance { span, .. } => *span,
            Disagreement::Boundaries { span_a, span_b, .. } => {
                (span_a.0.min(span_b.0), span_a.1.max(span_b.1))
            }
        }
    }

    /// A short description ("only A", "boundaries differ by 3").
    pub fn describe(&self) -> String {
        let tags = |v: &[(TagKind, String)]| {
            if v.is_empty() {
                return "none".to_owned();
            }
            v.iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Disagreement::OnlyA { .. } => "only A".into(),
            Disagreement::OnlyB { .. } => "only B".into(),
            Disagreement::Tags {
                only_a,
                only_b,
                stances,
                ..
            } => {
                let mut out = format!(
                    "same span, different tags (A: {}; B: {})",
                    tags(only_a),
                    tags(only_b)
                );
                if let Some((sa, sb)) = stances {
                    let s = |x: &Option<Stance>| x.map_or("none", Stance::as_str);
                    out.push_str(&format!(" and stance (A: {}, B: {})", s(sa), s(sb)));
                }
                out
            }
            Disagreement::Boundaries { by, .. } => format!("boundaries differ by {by}"),
            Disagreement::Stance {
                stance_a, stance_b, ..
            } => {
                let s = |x: &Option<Stance>| x.map_or("none", Stance::as_str);
                format!("stance differs (A: {}, B: {})", s(stance_a), s(stance_b))
            }
        }
    }
}

fn tag_set(a: &Annotation) -> BTreeSet<(TagKind, String)> {
    a.all_tags().map(|(k, n)| (k, n.to_owned())).collect()
}

/// What a matched pair disagrees on, if anything (tags before stance).
fn pair(a: &Annotation, b: &Annotation) -> Option<Disagreement> {
    let (sa, sb) = ((a.start, a.end), (b.start, b.end));
    if sa != sb {
        return Some(Disagreement::Boundaries {
            a: a.id.clone(),
            b: b.id.clone(),
            span_a: sa,
            span_b: sb,
            by: a.start.abs_diff(b.start) + a.end.abs_diff(b.end),
        });
    }
    let (ta, tb) = (tag_set(a), tag_set(b));
    if ta != tb {
        return Some(Disagreement::Tags {
            a: a.id.clone(),
            b: b.id.clone(),
            span: sa,
            only_a: ta.difference(&tb).cloned().collect(),
            only_b: tb.difference(&ta).cloned().collect(),
            stances: (a.stance != b.stance).then_some((a.stance, b.stance)),
        });
    }
    (a.stance != b.stance).then(|| Disagreement::Stance {
        a: a.id.clone(),
        b: b.id.clone(),
        span: sa,
        stance_a: a.stance,
        stance_b: b.stance,
    })
}

/// Two codings' annotations matched one to one (equal spans first, then
/// by overlap, the largest first), and those left over on either side.
#[derive(Debug, Default)]
pub struct Matching<'a> {
    /// Matched pairs (A's, B's), in A's position order for equal spans
    /// then by overlap.
    pub pairs: Vec<(&'a Annotation, &'a Annotation)>,
    /// A's annotations with no match, by position.
    pub only_a: Vec<&'a Annotation>,
    /// B's annotations with no match, by position.
    pub only_b: Vec<&'a Annotation>,
}

/// Matches A's annotations with B's one to one, as `f1_exact` and
/// `f1_overlap` match them.
pub fn match_codings<'a>(a: &'a [Annotation], b: &'a [Annotation]) -> Matching<'a> {
    let mut oa: Vec<&Annotation> = a.iter().collect();
    let mut ob: Vec<&Annotation> = b.iter().collect();
    oa.sort_by(|x, y| (x.start, x.end, &x.id).cmp(&(y.start, y.end, &y.id)));
    ob.sort_by(|x, y| (x.start, x.end, &x.id).cmp(&(y.start, y.end, &y.id)));
    let (mut used_a, mut used_b) = (vec![false; oa.len()], vec![false; ob.len()]);
    let mut m = Matching::default();
    let (mut i, mut j) = (0, 0);
    while i < oa.len() && j < ob.len() {
        match (oa[i].start, oa[i].end).cmp(&(ob[j].start, ob[j].end)) {
            std::cmp::Ordering::Equal => {
                used_a[i] = true;
                used_b[j] = true;
                m.pairs.push((oa[i], ob[j]));
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    let mut overlaps: Vec<(usize, usize, usize)> = Vec::new();
    // A span of B that starts more than B's longest span before x ends
    // before x: the scan starts after them (linear for bounded spans,
    // not quadratic).
    let longest_b = ob.iter().map(|y| y.end - y.start).max().unwrap_or(0);
    for (i, x) in oa.iter().enumerate().filter(|(i, _)| !used_a[*i]) {
        let lo = ob.partition_point(|y| y.start + longest_b < x.start);
        for (j, y) in ob.iter().enumerate().skip(lo).filter(|(j, _)| !used_b[*j]) {
            if y.start >= x.end {
                break;
            }
            let ov = x.end.min(y.end).saturating_sub(x.start.max(y.start));
            if ov > 0 {
                overlaps.push((ov, i, j));
            }
        }
    }
    overlaps.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    for (_, i, j) in overlaps {
        if used_a[i] || used_b[j] {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        m.pairs.push((oa[i], ob[j]));
    }
    m.only_a = oa
        .iter()
        .zip(&used_a)
        .filter(|(_, u)| !**u)
        .map(|(x, _)| *x)
        .collect();
    m.only_b = ob
        .iter()
        .zip(&used_b)
        .filter(|(_, u)| !**u)
        .map(|(x, _)| *x)
        .collect();
    m
}

/// The disagreements of coding A with coding B, sorted by position.
pub fn disagreements(a: &[Annotation], b: &[Annotation]) -> Vec<Disagreement> {
    compare(a, b).0
}

/// The matched pairs (A's id, B's id) on which A and B agree: the same
/// span, tags and stance, by position.
pub fn agreements(a: &[Annotation], b: &[Annotation]) -> Vec<(String, String)> {
    compare(a, b).1
}

/// Both lists from one matching: the disagreements (sorted by position)
/// and the agreeing pairs (by position).
pub fn compare(a: &[Annotation], b: &[Annotation]) -> (Vec<Disagreement>, Vec<(String, String)>) {
    let m = match_codings(a, b);
    let mut out = Vec::new();
    let mut agree: Vec<(usize, usize, String, String)> = Vec::new();
    for (x, y) in &m.pairs {
        match pair(x, y) {
            Some(d) => out.push(d),
            None => agree.push((x.start, x.end, x.id.clone(), y.id.clone())),
        }
    }
    out.extend(m.only_a.iter().map(|x| Disagreement::OnlyA {
        a: x.id.clone(),
        span: (x.start, x.end),
    }));
    out.extend(m.only_b.iter().map(|y| Disagreement::OnlyB {
        b: y.id.clone(),
        span: (y.start, y.end),
    }));
    out.sort_by_key(|d| d.position());
    agree.sort();
    (out, agree.into_iter().map(|(_, _, x, y)| (x, y)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::Text;

    fn ann(id: &str, s: usize, e: usize, issues: &[&str], stance: Option<Stance>) -> Annotation {
        let text = Text::new("The ISI met the CIA in Doha on Monday, officials said.".into());
        let mut a = Annotation::new(id.into(), &text, s, e, "t");
        a.issues = issues.iter().map(|x| (*x).to_owned()).collect();
        a.stance = stance;
        a
    }

    /// The matching as first written: every unmatched pair of A and B
    /// tried (quadratic), the reference for the bounded scan.
    fn brute_force(a: &[Annotation], b: &[Annotation]) -> Vec<(String, String)> {
        let mut oa: Vec<&Annotation> = a.iter().collect();
        let mut ob: Vec<&Annotation> = b.iter().collect();
        oa.sort_by(|x, y| (x.start, x.end, &x.id).cmp(&(y.start, y.end, &y.id)));
        ob.sort_by(|x, y| (x.start, x.end, &x.id).cmp(&(y.start, y.end, &y.id)));
        let (mut ua, mut ub) = (vec![false; oa.len()], vec![false; ob.len()]);
        let mut pairs = Vec::new();
        for i in 0..oa.len() {
            if let Some(j) = (0..ob.len())
                .find(|&j| !ub[j] && (ob[j].start, ob[j].end) == (oa[i].start, oa[i].end))
            {
                ua[i] = true;
                ub[j] = true;
                pairs.push((oa[i].id.clone(), ob[j].id.clone()));
            }
        }
        let mut ov = Vec::new();
        for i in (0..oa.len()).filter(|i| !ua[*i]) {
            for j in (0..ob.len()).filter(|j| !ub[*j]) {
                let o = oa[i]
                    .end
                    .min(ob[j].end)
                    .saturating_sub(oa[i].start.max(ob[j].start));
                if o > 0 {
                    ov.push((o, i, j));
                }
            }
        }
        ov.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
        for (_, i, j) in ov {
            if !ua[i] && !ub[j] {
                ua[i] = true;
                ub[j] = true;
                pairs.push((oa[i].id.clone(), ob[j].id.clone()));
            }
        }
        pairs.sort();
        pairs
    }

    #[test]
    fn the_bounded_scan_matches_as_trying_every_pair_does() {
        let text = Text::new("x".repeat(400));
        // A small linear congruential generator: the same cases each run.
        let mut seed: u64 = 15;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as usize
        };
        for case in 0..300 {
            let mut coding = |who: &str| -> Vec<Annotation> {
                (0..next(25))
                    .map(|k| {
                        let s = next(380);
                        // Mostly short spans, now and then a long one.
                        let len = if next(10) == 0 {
                            next(200) + 1
                        } else {
                            next(12) + 1
                        };
                        Annotation::new(format!("{who}{k}"), &text, s, (s + len).min(400), "t")
                    })
                    .collect()
            };
            let (a, b) = (coding("a"), coding("b"));
            let m = match_codings(&a, &b);
            let mut got: Vec<(String, String)> = m
                .pairs
                .iter()
                .map(|(x, y)| (x.id.clone(), y.id.clone()))
                .collect();
            got.sort();
            assert_eq!(got, brute_force(&a, &b), "case {case}");
            assert_eq!(m.only_a.len() + got.len(), a.len());
            assert_eq!(m.only_b.len() + got.len(), b.len());
        }
    }

    #[test]
    fn a_pair_differing_in_tags_and_stance_names_both() {
        let a = [ann("a1", 4, 7, &["Talks"], Some(Stance::Support))];
        let b = [ann("b1", 4, 7, &["Drones"], Some(Stance::Oppose))];
        let d = disagreements(&a, &b);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].describe(),
            "same span, different tags (A: Talks; B: Drones) and stance (A: support, B: oppose)"
        );
        let b = [ann("b1", 4, 7, &["Drones"], Some(Stance::Support))];
        assert_eq!(
            disagreements(&a, &b)[0].describe(),
            "same span, different tags (A: Talks; B: Drones)"
        );
    }

    #[test]
    fn each_kind_of_disagreement_by_hand() {
        let a = [
            ann("a1", 4, 7, &["Talks"], None),   // agrees with b1
            ann("a2", 16, 19, &["Talks"], None), // tags differ from b2
            ann("a3", 23, 27, &["Talks"], Some(Stance::Support)), // stance differs from b3
            ann("a4", 31, 37, &["Talks"], None), // boundaries: b4 is 30..38
            ann("a5", 39, 48, &["Talks"], None), // only A
        ];
        let b = [
            ann("b1", 4, 7, &["Talks"], None),
            ann("b2", 16, 19, &["Drones"], None),
            ann("b3", 23, 27, &["Talks"], Some(Stance::Oppose)),
            ann("b4", 30, 38, &["Talks"], None),
            ann("b5", 49, 53, &["Talks"], None), // only B
        ];
        let d = disagreements(&a, &b);
        let described: Vec<String> = d.iter().map(Disagreement::describe).collect();
        assert_eq!(
            described,
            [
                "same span, different tags (A: Talks; B: Drones)",
                "stance differs (A: support, B: oppose)",
                "boundaries differ by 2",
                "only A",
                "only B",
            ]
        );
        match &d[2] {
            Disagreement::Boundaries {
                a,
                b,
                span_a,
                span_b,
                ..
            } => {
                assert_eq!(
                    (a.as_str(), b.as_str(), *span_a, *span_b),
                    ("a4", "b4", (31, 37), (30, 38))
                );
            }
            other => panic!("{other:?}"),
        }
        // Swapping the codings swaps the sides, nothing else.
        let back = disagreements(&b, &a);
        assert_eq!(back.len(), 5);
        assert!(
            matches!(&back[3], Disagreement::OnlyB { b, .. } if b == "a5"),
            "{back:?}"
        );
        assert!(
            disagreements(&a, &a).is_empty(),
            "a coding agrees with itself"
        );
    }

    #[test]
    fn overlaps_match_one_to_one_the_largest_first() {
        // A's [0,10) overlaps B's [2,10) by 8 and [0,3) by 3.
        let a = [ann("a1", 0, 10, &["T"], None)];
        let b = [
            ann("b1", 0, 3, &["T"], None),
            ann("b2", 2, 10, &["T"], None),
        ];
        let d = disagreements(&a, &b);
        assert_eq!(d.len(), 2);
        assert!(
            matches!(&d[0], Disagreement::OnlyB { b, .. } if b == "b1"),
            "{d:?}"
        );
        assert!(
            matches!(&d[1], Disagreement::Boundaries { b, by: 2, .. } if b == "b2"),
            "{d:?}"
        );
    }
}
