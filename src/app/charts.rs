//! The corpus charts (View › Charts, `Ctrl+Shift+G`): tag frequencies, the
//! actor × issue heat map with its stance split, the timeline and coding
//! progress per coder, computed from the corpus index under the current
//! filter (the coded-segments query), and the click that opens a bar's or
//! cell's coded segments.
//!
//! Invariants:
//! - The data is recomputed only when the index or the filter changed
//!   (and at most four times a second while sets are still being read),
//!   and only for the chart shown.
//! - A click keeps the current filter and narrows it to what was clicked
//!   (`SegmentQuery::all_tags`, a coder, a month), then runs the search.

use super::MarginaliaApp;
use super::corpus::CorpusState;
use super::model::{ChartIntent, SegmentIntent, Status};
use crate::core::annotation::Stance;
use crate::core::codebook::TagKind;
use crate::core::corpus_stats::{self, CoderProgress, Cooccurrence, TagFrequency, Timeline};
use crate::core::segments::SegmentQuery;
use std::time::{Duration, Instant};

/// Which chart is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ChartTab {
    /// Excerpts and documents per tag.
    #[default]
    Frequencies,
    /// Actor × issue co-occurrence.
    Heatmap,
    /// Excerpts per tag per month.
    Timeline,
    /// Documents and annotations per coder.
    Coders,
}

impl ChartTab {
    /// Every tab, in the order shown.
    pub const ALL: [ChartTab; 4] = [
        ChartTab::Frequencies,
        ChartTab::Heatmap,
        ChartTab::Timeline,
        ChartTab::Coders,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            ChartTab::Frequencies => "Tag frequencies",
            ChartTab::Heatmap => "Actor × issue",
            ChartTab::Timeline => "Timeline",
            ChartTab::Coders => "Coders",
        }
    }
}

/// What a click on a chart picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartPick {
    /// A tag's bar.
    Tag(TagKind, String),
    /// A heat-map cell (actor, issue), with the stance shown.
    Cell {
        /// The row's actor.
        actor: String,
        /// The column's issue.
        issue: String,
    },
    /// A tag's point in one month (`YYYY-MM`).
    Month(TagKind, String, String),
    /// A coder's bar (empty: annotations without a coder).
    Coder(String),
}

/// The chart data last computed.
#[derive(Debug, Clone, Default)]
pub struct ChartData {
    /// Tag frequencies.
    pub frequencies: Vec<TagFrequency>,
    /// Actor × issue co-occurrence.
    pub cooccurrence: Cooccurrence,
    /// Excerpts per tag per month.
    pub timeline: Timeline,
    /// Progress per coder.
    pub coders: Vec<CoderProgress>,
}

/// The charts window's state.
#[derive(Debug, Clone, Default)]
pub struct ChartsView {
    /// The chart shown.
    pub tab: ChartTab,
    /// Frequencies: count documents instead of excerpts.
    pub by_documents: bool,
    /// Heat map: the stance whose counts colour the cells (`None`: all;
    /// `Some(None)`: annotations without a stance).
    pub stance: Option<Option<Stance>>,
    /// The data of the chart shown.
    pub data: ChartData,
    /// The filter the data follows, in words.
    pub filter: String,
    computed: Option<(ChartTab, u64, SegmentQuery)>,
    at: Option<Instant>,
}

impl ChartsView {
    /// The CSV of the chart shown.
    pub fn csv(&self) -> String {
        match self.tab {
            ChartTab::Frequencies => corpus_stats::frequencies_csv(&self.data.frequencies),
            ChartTab::Heatmap => corpus_stats::cooccurrence_csv(&self.data.cooccurrence),
            ChartTab::Timeline => corpus_stats::timeline_csv(&self.data.timeline),
            ChartTab::Coders => corpus_stats::coders_csv(&self.data.coders),
        }
    }
}

/// The current filter: the coded-segments panel's query, else none.
pub fn current_query(c: &CorpusState) -> SegmentQuery {
    c.segments
        .as_ref()
        .map(|v| v.query(&c.corpus.file.codebook))
        .unwrap_or_default()
}

/// The filter in words, for the chart's header.
fn describe(q: &SegmentQuery) -> String {
    let mut parts = Vec::new();
    if !q.tags.is_empty() {
        let names: Vec<&str> = q.tags.iter().map(|(_, n)| n.as_str()).collect();
        parts.push(format!("tags {}", names.join(", ")));
    }
    for (_, n) in &q.all_tags {
        parts.push(format!("with {n}"));
    }
    if let Some(c) = &q.coder {
        parts.push(format!("coder {c}"));
    }
    if let Some(s) = q.stance {
        parts.push(format!("stance {}", s.as_str()));
    }
    if let Some(s) = q.status {
        parts.push(format!("status {}", s.label()));
    }
    if let Some((n, v)) = &q.attribute {
        parts.push(format!("{n} {v}"));
    }
    if let Some(d) = &q.date_from {
        parts.push(format!("from {d}"));
    }
    if let Some(d) = &q.date_to {
        parts.push(format!("to {d}"));
    }
    if !q.text.is_empty() {
        parts.push(format!("text “{}”", q.text));
    }
    if parts.is_empty() {
        "every annotation of the corpus".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Recomputes the shown chart's data when the index or the filter moved
/// (called every frame; cheap when nothing changed).
pub fn refresh(c: &mut CorpusState) {
    let q = current_query(c);
    let reading = c.is_reading();
    let Some(v) = &c.charts else { return };
    let key = (v.tab, c.version, q);
    if v.computed.as_ref() == Some(&key) {
        return;
    }
    if reading
        && v.at
            .is_some_and(|t| t.elapsed() < Duration::from_millis(250))
    {
        return;
    }
    let (idx, cb, sums) = (&c.index, &c.corpus.file.codebook, &c.summaries);
    let q = &key.2;
    let Some(v) = &mut c.charts else { return };
    match v.tab {
        ChartTab::Frequencies => {
            v.data.frequencies = corpus_stats::tag_frequencies(idx, q, cb, sums);
        }
        ChartTab::Heatmap => v.data.cooccurrence = corpus_stats::cooccurrence(idx, q, cb, sums),
        ChartTab::Timeline => v.data.timeline = corpus_stats::timeline(idx, q, cb, sums),
        ChartTab::Coders => v.data.coders = corpus_stats::coder_progress(idx, q, cb, sums),
    }
    v.filter = describe(q);
    v.computed = Some(key);
    v.at = Some(Instant::now());
}

/// The last day of a `YYYY-MM` month, as `YYYY-MM-DD`.
fn month_end(month: &str) -> String {
    let y: i32 = month.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let m: u8 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let days = time::Month::try_from(m).map_or(31, |m| m.length(y));
    format!("{month}-{days:02}")
}

/// Applies one charts intent.
pub(super) fn apply(app: &mut MarginaliaApp, intent: ChartIntent) {
    let Some(c) = &mut app.corpus else {
        app.status = Status::info("Charts show a corpus: open a folder first");
        return;
    };
    match intent {
        ChartIntent::Toggle => {
            c.charts = match c.charts.take() {
                Some(_) => None,
                None => Some(ChartsView::default()),
            };
            refresh(c);
        }
        ChartIntent::Tab(tab) => {
            if let Some(v) = &mut c.charts {
                v.tab = tab;
                v.at = None;
            }
            refresh(c);
        }
        ChartIntent::Open(pick) => open_pick(app, pick),
        ChartIntent::Copied(rows) => {
            let rows = match rows {
                1 => "1 row".to_owned(),
                n => format!("{n} rows"),
            };
            app.status = Status::info(format!("Copied the chart's data as CSV ({rows})"));
        }
    }
}

/// Opens the coded segments of what was clicked (the current filter kept).
fn open_pick(app: &mut MarginaliaApp, pick: ChartPick) {
    let Some(c) = &mut app.corpus else { return };
    let stance = c.charts.as_ref().and_then(|v| v.stance);
    let v = c.segments.get_or_insert_with(Default::default);
    match pick {
        ChartPick::Tag(kind, name) => v.all_tags = vec![(kind, name)],
        ChartPick::Cell { actor, issue } => {
            v.all_tags = vec![(TagKind::Actor, actor), (TagKind::Issue, issue)];
            match stance {
                Some(Some(s)) => v.stance = Some(s),
                Some(None) => {
                    app.status = Status::info(
                        "Coded segments cannot filter “no stance”: showing every stance of this cell",
                    );
                }
                None => {}
            }
        }
        ChartPick::Month(kind, name, month) => {
            v.all_tags = vec![(kind, name)];
            v.date_from = format!("{month}-01");
            v.date_to = month_end(&month);
        }
        ChartPick::Coder(name) => v.coder = name,
    }
    app.push(SegmentIntent::Search);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_know_leap_years() {
        assert_eq!(month_end("2012-02"), "2012-02-29");
        assert_eq!(month_end("2013-02"), "2013-02-28");
        assert_eq!(month_end("2012-07"), "2012-07-31");
        assert_eq!(month_end("2012-09"), "2012-09-30");
    }

    #[test]
    fn the_filter_reads_in_words() {
        assert_eq!(
            describe(&SegmentQuery::default()),
            "every annotation of the corpus"
        );
        let q = SegmentQuery {
            coder: Some("ann".into()),
            all_tags: vec![(TagKind::Actor, "ISI".into())],
            ..SegmentQuery::default()
        };
        assert_eq!(describe(&q), "with ISI, coder ann");
    }
}
