//! What the corpus charts show, computed from the [`CorpusIndex`] under a
//! [`SegmentQuery`] (the current filter): tag frequencies, actor × issue
//! co-occurrence with the stance split, excerpts per tag per month, and
//! coding progress per coder; each with its data as CSV.
//!
//! Invariants:
//! - Every figure counts the annotations the query matches, nothing else.
//! - "Documents" counts distinct documents; a month is the `YYYY-MM` of
//!   the document's date (documents without such a date are counted under
//!   [`Timeline::undated`], never dropped silently).
//! - Output is deterministic: rows sorted (largest first, then by name),
//!   CSV written with the same order.

use super::annotation::Stance;
use super::codebook::{Codebook, TagKind};
use super::corpus::DocSummary;
use super::corpus_index::CorpusIndex;
use super::segments::SegmentQuery;
use super::set::DocStatus;
use std::collections::{BTreeMap, HashMap};

/// How often one tag is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFrequency {
    /// Issue or actor.
    pub kind: TagKind,
    /// The tag's name.
    pub name: String,
    /// Annotations carrying it.
    pub excerpts: usize,
    /// Documents with at least one of them.
    pub documents: usize,
}

/// Tags by use, issues first then actors, each largest first.
pub fn tag_frequencies(
    index: &CorpusIndex,
    query: &SegmentQuery,
    codebook: &Codebook,
    summaries: &[Option<DocSummary>],
) -> Vec<TagFrequency> {
    // Per tag id: excerpts, documents, last document counted.
    let mut counts: Vec<(usize, usize, usize)> = vec![(0, 0, usize::MAX); index.tag_count()];
    index.for_each(query, codebook, summaries, |hit, _, _| {
        for &t in hit.tags {
            if let Some(c) = counts.get_mut(t as usize) {
                c.0 += 1;
                if c.2 != hit.doc {
                    c.1 += 1;
                    c.2 = hit.doc;
                }
            }
        }
    });
    let mut out: Vec<TagFrequency> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.0 > 0)
        .filter_map(|(id, c)| {
            let (kind, name) = index.tag(u32::try_from(id).ok()?)?;
            Some(TagFrequency {
                kind,
                name: name.to_owned(),
                excerpts: c.0,
                documents: c.1,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.excerpts.cmp(&a.excerpts))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// The tag frequencies as CSV (`kind,tag,excerpts,documents`).
pub fn frequencies_csv(rows: &[TagFrequency]) -> String {
    let mut w = csv_writer();
    let _ = w.write_record(["kind", "tag", "excerpts", "documents"]);
    for r in rows {
        let _ = w.write_record([
            r.kind.as_str(),
            &r.name,
            &r.excerpts.to_string(),
            &r.documents.to_string(),
        ]);
    }
    finish(w)
}

/// Annotations coding one actor and one issue together, by stance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StanceCounts {
    /// With stance Support.
    pub support: usize,
    /// With stance Oppose.
    pub oppose: usize,
    /// With stance Neutral.
    pub neutral: usize,
    /// Without a stance.
    pub none: usize,
}

impl StanceCounts {
    /// All of them.
    pub fn total(&self) -> usize {
        self.support + self.oppose + self.neutral + self.none
    }

    /// Those of one stance (`None`: without a stance).
    pub fn of(&self, stance: Option<Stance>) -> usize {
        match stance {
            Some(Stance::Support) => self.support,
            Some(Stance::Oppose) => self.oppose,
            Some(Stance::Neutral) => self.neutral,
            None => self.none,
        }
    }

    fn add(&mut self, stance: Option<Stance>) {
        match stance {
            Some(Stance::Support) => self.support += 1,
            Some(Stance::Oppose) => self.oppose += 1,
            Some(Stance::Neutral) => self.neutral += 1,
            None => self.none += 1,
        }
    }
}

/// The actor × issue co-occurrence matrix: annotations carrying both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cooccurrence {
    /// Actors, most co-occurring first (then by name).
    pub actors: Vec<String>,
    /// Issues, most co-occurring first (then by name).
    pub issues: Vec<String>,
    /// Cells: `cells[actor][issue]`.
    pub cells: Vec<Vec<StanceCounts>>,
}

/// Actor × issue co-occurrence within one annotation, with the stance
/// split.
pub fn cooccurrence(
    index: &CorpusIndex,
    query: &SegmentQuery,
    codebook: &Codebook,
    summaries: &[Option<DocSummary>],
) -> Cooccurrence {
    let mut pairs: HashMap<(u32, u32), StanceCounts> = HashMap::new();
    index.for_each(query, codebook, summaries, |hit, _, _| {
        let kind = |t: u32| index.tag(t).map(|(k, _)| k);
        for &a in hit
            .tags
            .iter()
            .filter(|&&t| kind(t) == Some(TagKind::Actor))
        {
            for &i in hit
                .tags
                .iter()
                .filter(|&&t| kind(t) == Some(TagKind::Issue))
            {
                pairs.entry((a, i)).or_default().add(hit.stance);
            }
        }
    });
    let mut actor_tot: HashMap<u32, usize> = HashMap::new();
    let mut issue_tot: HashMap<u32, usize> = HashMap::new();
    for (&(a, i), c) in &pairs {
        *actor_tot.entry(a).or_default() += c.total();
        *issue_tot.entry(i).or_default() += c.total();
    }
    let ranked = |tot: HashMap<u32, usize>| {
        let mut v: Vec<(u32, usize, String)> = tot
            .into_iter()
            .filter_map(|(id, n)| Some((id, n, index.tag(id)?.1.to_owned())))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
        v
    };
    let actors = ranked(actor_tot);
    let issues = ranked(issue_tot);
    let cells = actors
        .iter()
        .map(|(a, _, _)| {
            issues
                .iter()
                .map(|(i, _, _)| pairs.get(&(*a, *i)).copied().unwrap_or_default())
                .collect()
        })
        .collect();
    Cooccurrence {
        actors: actors.into_iter().map(|(_, _, n)| n).collect(),
        issues: issues.into_iter().map(|(_, _, n)| n).collect(),
        cells,
    }
}

/// The co-occurrence as CSV, one row per non-empty cell
/// (`actor,issue,annotations,support,oppose,neutral,none`).
pub fn cooccurrence_csv(c: &Cooccurrence) -> String {
    let mut w = csv_writer();
    let _ = w.write_record([
        "actor",
        "issue",
        "annotations",
        "support",
        "oppose",
        "neutral",
        "none",
    ]);
    for (a, row) in c.actors.iter().zip(&c.cells) {
        for (i, cell) in c.issues.iter().zip(row) {
            if cell.total() == 0 {
                continue;
            }
            let n = [
                cell.total(),
                cell.support,
                cell.oppose,
                cell.neutral,
                cell.none,
            ]
            .map(|n| n.to_string());
            let _ = w.write_record([a.as_str(), i.as_str(), &n[0], &n[1], &n[2], &n[3], &n[4]]);
        }
    }
    finish(w)
}

/// Excerpts per tag per month (by the document's date).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Every month from the first to the last with an excerpt (`YYYY-MM`),
    /// gaps included.
    pub months: Vec<String>,
    /// Per tag (kind, name), one count per month; tags with most excerpts
    /// first.
    pub series: Vec<(TagKind, String, Vec<usize>)>,
    /// Matching excerpts in documents without a `YYYY-MM…` date.
    pub undated: usize,
}

/// The `YYYY-MM` of an ISO-like date, if it has one.
pub fn month_of(date: &str) -> Option<&str> {
    let m = date.get(..7)?;
    let b = m.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let month = &b[5..7];
    (digits(0..4) && b[4] == b'-' && digits(5..7) && month >= &b"01"[..] && month <= &b"12"[..])
        .then_some(m)
}

/// The month after `YYYY-MM`.
fn next_month(m: &str) -> Option<String> {
    let y: u32 = m.get(..4)?.parse().ok()?;
    let mo: u32 = m.get(5..7)?.parse().ok()?;
    Some(if mo >= 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", mo + 1)
    })
}

/// Excerpts per tag per month.
pub fn timeline(
    index: &CorpusIndex,
    query: &SegmentQuery,
    codebook: &Codebook,
    summaries: &[Option<DocSummary>],
) -> Timeline {
    let mut counts: BTreeMap<(u32, &str), usize> = BTreeMap::new();
    let mut undated = 0;
    index.for_each(query, codebook, summaries, |hit, _, _| {
        let month = summaries
            .get(hit.doc)
            .and_then(Option::as_ref)
            .and_then(|s| month_of(&s.date));
        match month {
            Some(m) => {
                for &t in hit.tags {
                    *counts.entry((t, m)).or_default() += 1;
                }
            }
            None => undated += 1,
        }
    });
    let (Some(first), Some(last)) = (
        counts.keys().map(|k| k.1).min(),
        counts.keys().map(|k| k.1).max(),
    ) else {
        return Timeline {
            undated,
            ..Timeline::default()
        };
    };
    let mut months = vec![first.to_owned()];
    while months.last().is_some_and(|m| m.as_str() < last) {
        match months.last().and_then(|m| next_month(m)) {
            Some(m) => months.push(m),
            None => break,
        }
    }
    let at: HashMap<&str, usize> = months
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut series: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for ((t, m), n) in &counts {
        let row = series.entry(*t).or_insert_with(|| vec![0; months.len()]);
        if let Some(&i) = at.get(m) {
            row[i] += n;
        }
    }
    let mut series: Vec<(TagKind, String, Vec<usize>)> = series
        .into_iter()
        .filter_map(|(t, v)| {
            let (k, n) = index.tag(t)?;
            Some((k, n.to_owned(), v))
        })
        .collect();
    series.sort_by(|a, b| {
        let (sa, sb) = (a.2.iter().sum::<usize>(), b.2.iter().sum::<usize>());
        sb.cmp(&sa).then_with(|| (a.0, &a.1).cmp(&(b.0, &b.1)))
    });
    Timeline {
        months,
        series,
        undated,
    }
}

/// The timeline as CSV, one row per tag and month with excerpts
/// (`kind,tag,month,excerpts`).
pub fn timeline_csv(t: &Timeline) -> String {
    let mut w = csv_writer();
    let _ = w.write_record(["kind", "tag", "month", "excerpts"]);
    for (kind, name, counts) in &t.series {
        for (m, n) in t.months.iter().zip(counts) {
            if *n > 0 {
                let _ = w.write_record([kind.as_str(), name, m, &n.to_string()]);
            }
        }
    }
    finish(w)
}

/// One coder's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderProgress {
    /// The coder's name (empty: annotations without a coder).
    pub coder: String,
    /// Matching annotations by them.
    pub annotations: usize,
    /// Documents with at least one of them, by the document's status.
    pub documents: [usize; 3],
}

impl CoderProgress {
    /// Documents they coded in, whatever their status.
    pub fn total_documents(&self) -> usize {
        self.documents.iter().sum()
    }
}

/// The statuses in the order of [`CoderProgress::documents`].
pub const STATUSES: [DocStatus; 3] = [DocStatus::Done, DocStatus::InProgress, DocStatus::ToDo];

/// Per coder: annotations, and documents coded in by their status; most
/// documents first.
pub fn coder_progress(
    index: &CorpusIndex,
    query: &SegmentQuery,
    codebook: &Codebook,
    summaries: &[Option<DocSummary>],
) -> Vec<CoderProgress> {
    // Per coder id (u32::MAX: none): annotations, per-status documents,
    // last document counted.
    let mut by: BTreeMap<u32, (usize, [usize; 3], usize)> = BTreeMap::new();
    index.for_each(query, codebook, summaries, |hit, _, _| {
        let e = by
            .entry(hit.coder.unwrap_or(u32::MAX))
            .or_insert((0, [0; 3], usize::MAX));
        e.0 += 1;
        if e.2 != hit.doc {
            e.2 = hit.doc;
            let status = summaries
                .get(hit.doc)
                .and_then(Option::as_ref)
                .map_or(DocStatus::ToDo, |s| s.status);
            if let Some(i) = STATUSES.iter().position(|s| *s == status) {
                e.1[i] += 1;
            }
        }
    });
    let mut out: Vec<CoderProgress> = by
        .into_iter()
        .map(|(c, (n, docs, _))| CoderProgress {
            coder: index.coder(c).unwrap_or("").to_owned(),
            annotations: n,
            documents: docs,
        })
        .collect();
    out.sort_by(|a, b| {
        b.total_documents()
            .cmp(&a.total_documents())
            .then(b.annotations.cmp(&a.annotations))
            .then_with(|| a.coder.cmp(&b.coder))
    });
    out
}

/// The coders' progress as CSV
/// (`coder,annotations,documents,done,in_progress,to_do`).
pub fn coders_csv(rows: &[CoderProgress]) -> String {
    let mut w = csv_writer();
    let _ = w.write_record([
        "coder",
        "annotations",
        "documents",
        "done",
        "in_progress",
        "to_do",
    ]);
    for r in rows {
        let n = [
            r.annotations,
            r.total_documents(),
            r.documents[0],
            r.documents[1],
            r.documents[2],
        ]
        .map(|n| n.to_string());
        let _ = w.write_record([r.coder.as_str(), &n[0], &n[1], &n[2], &n[3], &n[4]]);
    }
    finish(w)
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    // Writing to a Vec cannot fail; the bytes are UTF-8 from &str cells.
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::corpus_index::DocIndex;
    use crate::core::set::{AnnotationSet, SourceRef};
    use crate::core::text::Text;

    /// Annotations as (issues, actors, stance, coder).
    type Ann<'a> = (&'a [&'a str], &'a [&'a str], Option<Stance>, &'a str);

    fn doc(anns: &[Ann]) -> DocIndex {
        let text = Text::new("x".repeat(100));
        let mut set = AnnotationSet::new(SourceRef::default());
        let v = anns
            .iter()
            .enumerate()
            .map(|(i, (issues, actors, stance, coder))| {
                let mut a = Annotation::new(format!("a{i}"), &text, i, i + 1, "t");
                a.issues = issues.iter().map(|s| s.to_string()).collect();
                a.actors = actors.iter().map(|s| s.to_string()).collect();
                a.stance = *stance;
                a.coder = (!coder.is_empty()).then(|| coder.to_string());
                a
            })
            .collect();
        set.set_annotations(v);
        DocIndex::from_set(&set)
    }

    fn sum(date: &str, status: DocStatus) -> Option<DocSummary> {
        Some(DocSummary {
            date: date.into(),
            status,
            ..DocSummary::default()
        })
    }

    /// Three documents, counted by hand in each test.
    fn fixture() -> (CorpusIndex, Vec<Option<DocSummary>>) {
        use Stance::*;
        let mut idx = CorpusIndex::new(3);
        idx.insert(
            0,
            doc(&[
                (&["Drones"], &["ISI"], Some(Oppose), "ann"),
                (&["Drones"], &["ISI", "Clinton"], Some(Support), "ann"),
                (&["Trade"], &[], None, "bob"),
            ]),
        );
        idx.insert(
            1,
            doc(&[
                (&["Drones"], &["ISI"], Some(Oppose), "bob"),
                (&["Trade", "Drones"], &["Clinton"], None, ""),
            ]),
        );
        idx.insert(2, doc(&[(&["Trade"], &[], None, "ann")]));
        let sums = vec![
            sum("2012-07-04", DocStatus::Done),
            sum("2012-09-30", DocStatus::InProgress),
            sum("", DocStatus::ToDo),
        ];
        (idx, sums)
    }

    #[test]
    fn frequencies_count_excerpts_and_documents_per_tag() {
        let (idx, sums) = fixture();
        let f = tag_frequencies(&idx, &SegmentQuery::default(), &Codebook::default(), &sums);
        let got: Vec<String> = f
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {}",
                    r.kind.as_str(),
                    r.name,
                    r.excerpts,
                    r.documents
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "issue Drones 4 2",
                "issue Trade 3 3",
                "actor ISI 3 2",
                "actor Clinton 2 2"
            ]
        );
        assert_eq!(
            frequencies_csv(&f[..1]),
            "kind,tag,excerpts,documents\r\nissue,Drones,4,2\r\n"
        );
        // The filter applies: only bob's.
        let q = SegmentQuery {
            coder: Some("bob".into()),
            ..SegmentQuery::default()
        };
        let f = tag_frequencies(&idx, &q, &Codebook::default(), &sums);
        assert_eq!(f.len(), 3);
        assert_eq!((f[0].name.as_str(), f[0].excerpts), ("Drones", 1));
    }

    #[test]
    fn cooccurrence_counts_actor_issue_pairs_by_stance() {
        let (idx, sums) = fixture();
        let c = cooccurrence(&idx, &SegmentQuery::default(), &Codebook::default(), &sums);
        // ISI×Drones: 3 (2 oppose, 1 support); Clinton×Drones: 2 (1
        // support, 1 none); Clinton×Trade: 1 (none). Both actors have 3:
        // the tie goes by name.
        assert_eq!(c.actors, ["Clinton", "ISI"]);
        assert_eq!(c.issues, ["Drones", "Trade"]);
        let isi_drones = c.cells[1][0];
        assert_eq!(
            (isi_drones.oppose, isi_drones.support, isi_drones.total()),
            (2, 1, 3)
        );
        assert_eq!(c.cells[1][1].total(), 0);
        assert_eq!((c.cells[0][0].support, c.cells[0][0].none), (1, 1));
        assert_eq!(c.cells[0][1].of(None), 1);
        assert_eq!(
            cooccurrence_csv(&c),
            "actor,issue,annotations,support,oppose,neutral,none\r\n\
             Clinton,Drones,2,1,0,0,1\r\nClinton,Trade,1,0,0,0,1\r\nISI,Drones,3,1,2,0,0\r\n"
        );
    }

    #[test]
    fn timeline_fills_gaps_and_counts_undated() {
        let (idx, sums) = fixture();
        let t = timeline(&idx, &SegmentQuery::default(), &Codebook::default(), &sums);
        assert_eq!(t.months, ["2012-07", "2012-08", "2012-09"]);
        assert_eq!(t.undated, 1);
        let drones = t.series.iter().find(|s| s.1 == "Drones").unwrap();
        assert_eq!(drones.2, [2, 0, 2]);
        assert_eq!(t.series[0].1, "Drones");
        assert!(timeline_csv(&t).contains("issue,Trade,2012-09,1\r\n"));
        assert!(!timeline_csv(&t).contains("2012-08"));
        assert_eq!(month_of("2012-13-01"), None);
        assert_eq!(month_of("2012-12"), Some("2012-12"));
        assert_eq!(next_month("2012-12").as_deref(), Some("2013-01"));
    }

    #[test]
    fn coder_progress_counts_documents_by_status() {
        let (idx, sums) = fixture();
        let p = coder_progress(&idx, &SegmentQuery::default(), &Codebook::default(), &sums);
        let got: Vec<(String, usize, [usize; 3])> = p
            .iter()
            .map(|r| (r.coder.clone(), r.annotations, r.documents))
            .collect();
        assert_eq!(
            got,
            [
                ("ann".into(), 3, [1, 0, 1]),
                ("bob".into(), 2, [1, 1, 0]),
                ("".into(), 1, [0, 1, 0]),
            ]
        );
        assert_eq!(
            coders_csv(&p[..1]),
            "coder,annotations,documents,done,in_progress,to_do\r\nann,3,2,1,0,1\r\n"
        );
    }
}
