//! Discourse networks as the Discourse Network Analyzer (DNA) defines
//! them: statements (actor × issue × stance), one-mode actor or issue
//! networks by agreement and conflict, two-mode networks, normalisation and
//! time windows.
//!
//! Definitions (issues are DNA's concepts, actors its persons and
//! organisations, stance its agreement qualifier):
//! - A *statement* is one (annotation, actor, issue): an annotation with
//!   actors X and issues C makes |X|·|C| statements, each with the
//!   annotation's stance. Annotations without an actor or without an issue
//!   make none.
//! - `A_s[x][c]` is the number of documents in which actor x has at least
//!   one statement on issue c with stance s ([`Duplicates::PerDocument`],
//!   DNA's default), or the number of such statements
//!   ([`Duplicates::Include`]). For the qualifiers congruence, conflict and
//!   subtract, s ranges over support and oppose (neutral and no stance are
//!   left out); for [`Qualifier::Ignore`] there is one level, any stance.
//! - Activity `act(x) = Σ_s Σ_c A_s[x][c]` over those levels.
//! - One-mode weights (x ≠ y; no self-loops): congruence `Σ_s Σ_c
//!   A_s[x][c]·A_s[y][c]`; conflict `Σ_c (A_sup[x][c]·A_opp[y][c] +
//!   A_opp[x][c]·A_sup[y][c])`; subtract congruence − conflict; ignore the
//!   congruence of the single level. The issue network swaps actors and
//!   issues.
//! - Normalisation: average `W/((act(x)+act(y))/2)`, Jaccard
//!   `W/(act(x)+act(y)−W)`, cosine `W/sqrt(act(x)·act(y))`; 0 where the
//!   denominator is 0.
//! - Two-mode networks (rows the chosen mode, columns the other kind):
//!   `A[x][c]` for ignore, `A_sup[x][c] − A_opp[x][c]` for subtract; no
//!   other qualifier or normalisation applies.
//! - Nodes: those with activity (one-mode) or a counted statement
//!   (two-mode) in the documents of the network; with `isolates`, every
//!   actor and issue of any statement of the corpus, so all time windows
//!   share one node set. Edges: the non-zero weights.
//! - Time windows: documents with a date (read as the metadata parser
//!   reads dates); windows of `days` days starting at the earliest date and
//!   every `step` days after it, while the start is not after the latest
//!   date. A window holds the documents dated from its start to its end,
//!   both included (end = start + days − 1).
//! - Everything is sorted (names, then documents in input order), so the
//!   same corpus gives the same network.

use super::annotation::Stance;
use super::codebook::TagKind;
use super::export::{ExportDoc, Filter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

/// One actor × issue of one annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Index of the document in the list given to [`statements`].
    pub doc: usize,
    /// The annotation's id.
    pub annotation: String,
    /// The actor.
    pub actor: String,
    /// The issue.
    pub issue: String,
    /// The annotation's stance.
    pub stance: Option<Stance>,
    /// Start of the annotation (code points).
    pub start: usize,
    /// End of the annotation (code points, excluded).
    pub end: usize,
}

impl Statement {
    /// The statement's tag of `kind`.
    pub fn tag(&self, kind: TagKind) -> &str {
        match kind {
            TagKind::Actor => &self.actor,
            TagKind::Issue => &self.issue,
        }
    }
}

/// One-mode (actor–actor or issue–issue) or two-mode (actor–issue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum NetworkType {
    /// Nodes of one kind, tied through the other.
    #[default]
    OneMode,
    /// Rows of the chosen kind, columns of the other.
    TwoMode,
}

/// Which tags are the nodes (the rows of a two-mode network).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum NodeMode {
    /// Actors.
    #[default]
    Actors,
    /// Issues.
    Issues,
}

impl NodeMode {
    /// The tag kind of the nodes (rows).
    pub fn kind(self) -> TagKind {
        match self {
            NodeMode::Actors => TagKind::Actor,
            NodeMode::Issues => TagKind::Issue,
        }
    }
}

/// How stance enters the weights (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Qualifier {
    /// Same stance on the same issue.
    Congruence,
    /// Opposite stances on the same issue.
    Conflict,
    /// Congruence minus conflict.
    Subtract,
    /// Stance disregarded.
    Ignore,
}

impl Qualifier {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Congruence => "congruence",
            Qualifier::Conflict => "conflict",
            Qualifier::Subtract => "subtract",
            Qualifier::Ignore => "ignore",
        }
    }
}

/// How weights are normalised by activity (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Normalization {
    /// Raw weights.
    #[default]
    None,
    /// `W/((act(x)+act(y))/2)`.
    Average,
    /// `W/(act(x)+act(y)−W)`.
    Jaccard,
    /// `W/sqrt(act(x)·act(y))`.
    Cosine,
}

/// How repeated statements count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Duplicates {
    /// Once per document (DNA's default).
    #[default]
    PerDocument,
    /// Every statement.
    Include,
}

/// The choices of a network that fit in a dialog (a [`NetworkSpec`]
/// without exclusions), copyable as the export options are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkChoices {
    /// One-mode or two-mode.
    pub kind: NetworkType,
    /// The nodes (rows).
    pub mode: NodeMode,
    /// How stance enters.
    pub qualifier: Qualifier,
    /// Normalisation (one-mode only).
    pub normalization: Normalization,
    /// Duplicate rule.
    pub duplicates: Duplicates,
    /// Keep every node of the corpus.
    pub isolates: bool,
}

impl Default for NetworkChoices {
    fn default() -> Self {
        NetworkChoices {
            kind: NetworkType::OneMode,
            mode: NodeMode::Actors,
            qualifier: Qualifier::Congruence,
            normalization: Normalization::None,
            duplicates: Duplicates::PerDocument,
            isolates: false,
        }
    }
}

impl NetworkChoices {
    /// Moves a qualifier or normalisation the network type has no use for
    /// to one it has: a two-mode network gets `ignore` for congruence and
    /// conflict, and no normalisation.
    pub fn fit_kind(&mut self) {
        if self.kind == NetworkType::TwoMode {
            if matches!(self.qualifier, Qualifier::Congruence | Qualifier::Conflict) {
                self.qualifier = Qualifier::Ignore;
            }
            self.normalization = Normalization::None;
        }
    }

    /// The spec of these choices, excluding nothing.
    pub fn spec(self) -> NetworkSpec {
        NetworkSpec {
            choices: self,
            ..NetworkSpec::default()
        }
    }
}

/// What network to compute: the choices and the exclusions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkSpec {
    /// Type, nodes, qualifier, normalisation, duplicates, isolates.
    pub choices: NetworkChoices,
    /// Actors whose statements are left out.
    pub exclude_actors: BTreeSet<String>,
    /// Issues whose statements are left out.
    pub exclude_issues: BTreeSet<String>,
}

/// Why a network cannot be made from this input or with these options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError(pub String);

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NetworkError {}

impl NetworkSpec {
    /// Refuses combinations that have no definition: a two-mode network
    /// with congruence or conflict, or with a normalisation.
    pub fn check(&self) -> Result<(), NetworkError> {
        if self.choices.kind == NetworkType::TwoMode {
            if matches!(
                self.choices.qualifier,
                Qualifier::Congruence | Qualifier::Conflict
            ) {
                return Err(NetworkError(format!(
                    "--qualifier {} compares two nodes of one kind: for --type twomode use --qualifier ignore or subtract",
                    self.choices.qualifier.as_str()
                )));
            }
            if self.choices.normalization != Normalization::None {
                return Err(NetworkError(
                    "--normalization applies to --type onemode; a two-mode network has raw counts"
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// Whether the statement is kept (not excluded).
    fn keeps(&self, s: &Statement) -> bool {
        !self.exclude_actors.contains(&s.actor) && !self.exclude_issues.contains(&s.issue)
    }
}

/// Every statement of the annotations of `docs` that pass `filter`, in
/// document order, then annotation position, actor and issue.
pub fn statements(docs: &[ExportDoc], filter: &Filter) -> Vec<Statement> {
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for a in d.excerpts(filter) {
            let mut actors: Vec<&String> = a.actors.iter().collect();
            let mut issues: Vec<&String> = a.issues.iter().collect();
            actors.sort();
            issues.sort();
            for actor in actors {
                for &issue in &issues {
                    out.push(Statement {
                        doc: i,
                        annotation: a.id.clone(),
                        actor: actor.clone(),
                        issue: issue.clone(),
                        stance: a.stance,
                        start: a.start,
                        end: a.end,
                    });
                }
            }
        }
    }
    out
}

/// Checks that the corpus has what the options need: statements at all,
/// and, for a qualifier other than ignore, statements marked support or
/// oppose. The messages name the option concerned.
pub fn check_input(statements: &[Statement], spec: &NetworkSpec) -> Result<(), NetworkError> {
    if statements.is_empty() {
        return Err(NetworkError(
            "no annotation has both an actor and an issue: a network is made of statements (an actor and an issue on one annotation)"
                .into(),
        ));
    }
    let stanced = statements
        .iter()
        .any(|s| matches!(s.stance, Some(Stance::Support | Stance::Oppose)));
    if spec.choices.qualifier != Qualifier::Ignore && !stanced {
        return Err(NetworkError(format!(
            "the qualifier {q} (--qualifier {q}) needs stances: none of the {} statements is marked support or oppose; mark stances, or choose the qualifier ignore",
            statements.len(),
            q = spec.choices.qualifier.as_str(),
        )));
    }
    Ok(())
}

/// A document's date, when its metadata has one the date parser reads.
pub fn document_date(doc: &ExportDoc) -> Option<::time::Date> {
    let iso = super::metadata::parse_date(doc.set.metadata.date.as_deref()?)?;
    let mut parts = iso.split('-').map(str::parse::<u16>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let month = ::time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    ::time::Date::from_calendar_date(i32::from(y), month, u8::try_from(d).ok()?).ok()
}

/// One time window: its first and last day and its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub start: ::time::Date,
    /// Last day (included).
    pub end: ::time::Date,
    /// The documents dated within the window (indices, ascending).
    pub docs: Vec<usize>,
}

/// The time windows over `dates` (one per document; `None` for an
/// undated document, which is in no window). Empty when no document has
/// a date. `days` and `step` are at least 1.
pub fn windows(dates: &[Option<::time::Date>], days: u32, step: u32) -> Vec<Window> {
    let dated: Vec<(usize, ::time::Date)> = dates
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|d| (i, d)))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|(_, d)| *d).min(),
        dated.iter().map(|(_, d)| *d).max(),
    ) else {
        return Vec::new();
    };
    let len = ::time::Duration::days(i64::from(days.max(1)) - 1);
    let step = ::time::Duration::days(i64::from(step.max(1)));
    let mut out = Vec::new();
    let mut start = first;
    while start <= last {
        let Some(end) = start.checked_add(len) else {
            break;
        };
        let docs = dated
            .iter()
            .filter(|(_, d)| *d >= start && *d <= end)
            .map(|(i, _)| *i)
            .collect();
        out.push(Window { start, end, docs });
        match start.checked_add(step) {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// A computed network: node names, weights and what the files show
/// besides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeightedNetwork {
    /// One-mode or two-mode.
    pub kind: NetworkType,
    /// Kind of the row nodes (all nodes of a one-mode network).
    pub row_kind: Option<TagKind>,
    /// Row nodes, sorted.
    pub rows: Vec<String>,
    /// Column nodes, sorted (equal to `rows` for one-mode).
    pub cols: Vec<String>,
    /// Non-zero weights by (row index, column index); one-mode: row <
    /// column.
    pub weights: BTreeMap<(usize, usize), f64>,
    /// Activity of each row node (one-mode: act(x) under the qualifier's
    /// levels), and for two-mode of each row and column node its counted
    /// statements (keys: kind and name).
    pub activity: BTreeMap<(TagKind, String), f64>,
    /// Two-mode: statements counted on each edge by stance (support,
    /// oppose, neutral), under the duplicate rule.
    pub stance_counts: BTreeMap<(usize, usize), [usize; 3]>,
    /// Document attribute names used by the documents of the network.
    pub attribute_names: Vec<String>,
    /// Per node, per attribute, the values of the documents where it has a
    /// statement.
    pub node_attributes: BTreeMap<(TagKind, String), BTreeMap<String, BTreeSet<String>>>,
    /// Two-mode: per edge, per attribute, the values of the documents
    /// holding its statements.
    pub edge_attributes: BTreeMap<(usize, usize), BTreeMap<String, BTreeSet<String>>>,
    /// Number of documents the network was computed from.
    pub documents: usize,
}

/// Counts `A_level[row][col]` under the duplicate rule over `statements`
/// in document order (as [`statements`] gives them); `level` gives a
/// statement's level, `None` to leave it out.
fn count<'s>(
    statements: &[&'s Statement],
    rows: TagKind,
    duplicates: Duplicates,
    level: impl Fn(&Statement) -> Option<usize>,
) -> BTreeMap<(usize, &'s str, &'s str), f64> {
    let cols = other(rows);
    // Statements come document by document: the keys seen are those of
    // the current document only. Hash maps while counting (millions of
    // statements), a sorted map of the few distinct keys at the end.
    let mut doc = usize::MAX;
    let mut seen: HashSet<(usize, &str, &str)> = HashSet::new();
    let mut out: HashMap<(usize, &str, &str), f64> = HashMap::new();
    for s in statements {
        let Some(l) = level(s) else { continue };
        let key = (l, s.tag(rows), s.tag(cols));
        if duplicates == Duplicates::PerDocument {
            if s.doc != doc {
                doc = s.doc;
                seen.clear();
            }
            if !seen.insert(key) {
                continue;
            }
        }
        *out.entry(key).or_default() += 1.0;
    }
    out.into_iter().collect()
}

/// The other kind.
fn other(k: TagKind) -> TagKind {
    match k {
        TagKind::Actor => TagKind::Issue,
        TagKind::Issue => TagKind::Actor,
    }
}

/// The level of a statement for the qualifier: 0 support, 1 oppose (none
/// for neutral or no stance); 0 for everything with ignore.
fn level(q: Qualifier) -> impl Fn(&Statement) -> Option<usize> {
    move |s| match (q, s.stance) {
        (Qualifier::Ignore, _) => Some(0),
        (_, Some(Stance::Support)) => Some(0),
        (_, Some(Stance::Oppose)) => Some(1),
        _ => None,
    }
}

fn normalize(n: Normalization, w: f64, ax: f64, ay: f64) -> f64 {
    let d = match n {
        Normalization::None => return w,
        Normalization::Average => (ax + ay) / 2.0,
        Normalization::Jaccard => ax + ay - w,
        Normalization::Cosine => (ax * ay).sqrt(),
    };
    if d == 0.0 { 0.0 } else { w / d }
}

impl WeightedNetwork {
    /// The network of the documents `docs_in` (indices into the documents
    /// the statements `all` came from, which are the whole corpus's, for
    /// isolates); `attrs` gives each document's attributes.
    pub fn build(
        all: &[Statement],
        docs_in: &[usize],
        attrs: &[&BTreeMap<String, String>],
        spec: &NetworkSpec,
    ) -> WeightedNetwork {
        let included: BTreeSet<usize> = docs_in.iter().copied().collect();
        let kept: Vec<&Statement> = all.iter().filter(|s| spec.keeps(s)).collect();
        let here: Vec<&Statement> = kept
            .iter()
            .copied()
            .filter(|s| included.contains(&s.doc))
            .collect();
        let rk = spec.choices.mode.kind();
        let ck = other(rk);
        let mut net = WeightedNetwork {
            kind: spec.choices.kind,
            row_kind: Some(rk),
            documents: docs_in.len(),
            ..Default::default()
        };
        let names: BTreeSet<&String> = docs_in
            .iter()
            .filter_map(|&i| attrs.get(i))
            .flat_map(|a| a.keys())
            .collect();
        net.attribute_names = names.into_iter().cloned().collect();
        match spec.choices.kind {
            NetworkType::OneMode => net.one_mode(&kept, &here, spec),
            NetworkType::TwoMode => net.two_mode(&kept, &here, spec),
        }
        // Node attributes: the documents where a node has a statement
        // (each node and document once, then their attributes).
        let rows: HashSet<&str> = net.rows.iter().map(String::as_str).collect();
        let cols: HashSet<&str> = net.cols.iter().map(String::as_str).collect();
        let mut node_docs: HashSet<(TagKind, &str, usize)> = HashSet::new();
        for s in &here {
            if rows.contains(s.tag(rk)) {
                node_docs.insert((rk, s.tag(rk), s.doc));
            }
            if spec.choices.kind == NetworkType::TwoMode && cols.contains(s.tag(ck)) {
                node_docs.insert((ck, s.tag(ck), s.doc));
            }
        }
        for (kind, name, doc) in node_docs {
            let Some(a) = attrs.get(doc) else { continue };
            let slot = net
                .node_attributes
                .entry((kind, name.to_owned()))
                .or_default();
            for (k, v) in a.iter() {
                slot.entry(k.clone()).or_default().insert(v.clone());
            }
        }
        if spec.choices.kind == NetworkType::TwoMode {
            let ri: HashMap<&str, usize> = net
                .rows
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect();
            let ci: HashMap<&str, usize> = net
                .cols
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect();
            let mut edge_docs: HashSet<(usize, usize, usize)> = HashSet::new();
            for s in &here {
                if let (Some(&r), Some(&c)) = (ri.get(s.tag(rk)), ci.get(s.tag(ck)))
                    && net.weights.contains_key(&(r, c))
                {
                    edge_docs.insert((r, c, s.doc));
                }
            }
            for (r, c, doc) in edge_docs {
                let Some(a) = attrs.get(doc) else { continue };
                let slot = net.edge_attributes.entry((r, c)).or_default();
                for (k, v) in a.iter() {
                    slot.entry(k.clone()).or_default().insert(v.clone());
                }
            }
        }
        net
    }

    /// The node set: active names, or with isolates every name of the
    /// corpus's kept statements.
    fn node_names(
        kept: &[&Statement],
        kind: TagKind,
        isolates: bool,
        active: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        // (A hash set of millions of statements' names, then the few
        // distinct ones sorted.)
        let all: HashSet<&str> = kept.iter().map(|s| s.tag(kind)).collect();
        let mut names: Vec<String> = all
            .into_iter()
            .filter(|n| isolates || active(n))
            .map(str::to_owned)
            .collect();
        names.sort_unstable();
        names
    }

    fn one_mode(&mut self, kept: &[&Statement], here: &[&Statement], spec: &NetworkSpec) {
        let rk = spec.choices.mode.kind();
        let a = count(
            here,
            rk,
            spec.choices.duplicates,
            level(spec.choices.qualifier),
        );
        let mut act: BTreeMap<&str, f64> = BTreeMap::new();
        // rows → level → col → A
        let mut by_row: BTreeMap<&str, BTreeMap<(usize, &str), f64>> = BTreeMap::new();
        for (&(l, r, c), &v) in &a {
            *act.entry(r).or_default() += v;
            by_row.entry(r).or_default().insert((l, c), v);
        }
        self.rows = Self::node_names(kept, rk, spec.choices.isolates, |n| {
            act.get(n).is_some_and(|&v| v > 0.0)
        });
        self.cols = self.rows.clone();
        let empty = BTreeMap::new();
        let get = |m: &BTreeMap<(usize, &str), f64>, l: usize, c: &str| {
            m.get(&(l, c)).copied().unwrap_or(0.0)
        };
        for (i, x) in self.rows.iter().enumerate() {
            let ax = by_row.get(x.as_str()).unwrap_or(&empty);
            for (j, y) in self.rows.iter().enumerate().skip(i + 1) {
                let ay = by_row.get(y.as_str()).unwrap_or(&empty);
                let cols: BTreeSet<&str> = ax.keys().chain(ay.keys()).map(|(_, c)| *c).collect();
                let mut congruence = 0.0;
                let mut conflict = 0.0;
                for c in cols {
                    for l in 0..2 {
                        congruence += get(ax, l, c) * get(ay, l, c);
                    }
                    conflict += get(ax, 0, c) * get(ay, 1, c) + get(ax, 1, c) * get(ay, 0, c);
                }
                let w = match spec.choices.qualifier {
                    Qualifier::Congruence | Qualifier::Ignore => congruence,
                    Qualifier::Conflict => conflict,
                    Qualifier::Subtract => congruence - conflict,
                };
                let fx = act.get(x.as_str()).copied().unwrap_or(0.0);
                let fy = act.get(y.as_str()).copied().unwrap_or(0.0);
                let w = normalize(spec.choices.normalization, w, fx, fy);
                if w != 0.0 {
                    self.weights.insert((i, j), w);
                }
            }
        }
        for x in &self.rows {
            let v = act.get(x.as_str()).copied().unwrap_or(0.0);
            self.activity.insert((rk, x.clone()), v);
        }
    }

    fn two_mode(&mut self, kept: &[&Statement], here: &[&Statement], spec: &NetworkSpec) {
        let rk = spec.choices.mode.kind();
        let ck = other(rk);
        let a = count(
            here,
            rk,
            spec.choices.duplicates,
            level(spec.choices.qualifier),
        );
        let any = count(here, rk, spec.choices.duplicates, |_| Some(0));
        let stances = count(here, rk, spec.choices.duplicates, |s| match s.stance {
            Some(Stance::Support) => Some(0),
            Some(Stance::Oppose) => Some(1),
            Some(Stance::Neutral) => Some(2),
            None => None,
        });
        let mut row_act: BTreeMap<&str, f64> = BTreeMap::new();
        let mut col_act: BTreeMap<&str, f64> = BTreeMap::new();
        for (&(_, r, c), &v) in &any {
            *row_act.entry(r).or_default() += v;
            *col_act.entry(c).or_default() += v;
        }
        self.rows = Self::node_names(kept, rk, spec.choices.isolates, |n| row_act.contains_key(n));
        self.cols = Self::node_names(kept, ck, spec.choices.isolates, |n| col_act.contains_key(n));
        for (i, r) in self.rows.iter().enumerate() {
            for (j, c) in self.cols.iter().enumerate() {
                let v = |l: usize| a.get(&(l, r.as_str(), c.as_str())).copied().unwrap_or(0.0);
                let w = match spec.choices.qualifier {
                    Qualifier::Subtract => v(0) - v(1),
                    _ => v(0),
                };
                if w != 0.0 {
                    self.weights.insert((i, j), w);
                    let n = |l: usize| {
                        stances
                            .get(&(l, r.as_str(), c.as_str()))
                            .map_or(0, |&v| v as usize)
                    };
                    self.stance_counts.insert((i, j), [n(0), n(1), n(2)]);
                }
            }
        }
        for r in &self.rows {
            let v = row_act.get(r.as_str()).copied().unwrap_or(0.0);
            self.activity.insert((rk, r.clone()), v);
        }
        for c in &self.cols {
            let v = col_act.get(c.as_str()).copied().unwrap_or(0.0);
            self.activity.insert((ck, c.clone()), v);
        }
    }

    /// Kind of the column nodes.
    pub fn col_kind(&self) -> Option<TagKind> {
        match self.kind {
            NetworkType::OneMode => self.row_kind,
            NetworkType::TwoMode => self.row_kind.map(other),
        }
    }

    /// The full matrix, rows × columns (one-mode: symmetric, zero
    /// diagonal).
    pub fn matrix(&self) -> Vec<Vec<f64>> {
        let mut m = vec![vec![0.0; self.cols.len()]; self.rows.len()];
        for (&(i, j), &w) in &self.weights {
            m[i][j] = w;
            if self.kind == NetworkType::OneMode {
                m[j][i] = w;
            }
        }
        m
    }

    /// Number of nodes (rows, plus columns for two-mode).
    pub fn node_count(&self) -> usize {
        match self.kind {
            NetworkType::OneMode => self.rows.len(),
            NetworkType::TwoMode => self.rows.len() + self.cols.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stance::{Neutral, Oppose, Support};

    /// The hand-worked corpus of the tests: (document, actors, issues,
    /// stance) per annotation; documents 0, 1, 2 dated 2012-01-01, -05,
    /// -12.
    ///
    /// Per document (support S, oppose O):
    /// - d0: A–P S, A–P S (again), B–P S, C–P O
    /// - d1: A,C–Q S; B–Q O; B–P neutral
    /// - d2: C–P S; A–Q O; B–P,Q no stance
    fn hand() -> Vec<Statement> {
        type Row = (
            usize,
            &'static [&'static str],
            &'static [&'static str],
            Option<Stance>,
        );
        let rows: [Row; 10] = [
            (0, &["A"], &["P"], Some(Support)),
            (0, &["A"], &["P"], Some(Support)),
            (0, &["B"], &["P"], Some(Support)),
            (0, &["C"], &["P"], Some(Oppose)),
            (1, &["A", "C"], &["Q"], Some(Support)),
            (1, &["B"], &["Q"], Some(Oppose)),
            (1, &["B"], &["P"], Some(Neutral)),
            (2, &["C"], &["P"], Some(Support)),
            (2, &["A"], &["Q"], Some(Oppose)),
            (2, &["B"], &["P", "Q"], None),
        ];
        let mut out = Vec::new();
        for (i, (doc, actors, issues, stance)) in rows.into_iter().enumerate() {
            for a in actors {
                for c in issues {
                    out.push(Statement {
                        doc,
                        annotation: format!("a{i}"),
                        actor: (*a).into(),
                        issue: (*c).into(),
                        stance,
                        start: i,
                        end: i + 1,
                    });
                }
            }
        }
        out
    }

    fn spec(q: Qualifier, n: Normalization) -> NetworkSpec {
        NetworkChoices {
            qualifier: q,
            normalization: n,
            ..Default::default()
        }
        .spec()
    }

    fn net(docs: &[usize], spec: &NetworkSpec) -> WeightedNetwork {
        let attrs: Vec<BTreeMap<String, String>> = ["Dawn", "Nation", "Dawn"]
            .iter()
            .map(|o| BTreeMap::from([("outlet".to_owned(), (*o).to_owned())]))
            .collect();
        let refs: Vec<&BTreeMap<String, String>> = attrs.iter().collect();
        WeightedNetwork::build(&hand(), docs, &refs, spec)
    }

    fn close(a: &[Vec<f64>], b: &[[f64; 3]; 3]) {
        for (i, row) in b.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                assert!((a[i][j] - v).abs() < 1e-12, "[{i}][{j}]: {a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn one_mode_actor_networks_equal_the_hand_computed_matrices() {
        use Normalization as N;
        use Qualifier as Q;
        let all = [0, 1, 2];
        // A_S: A {P1, Q1}, B {P1}, C {P1, Q1}; A_O: A {Q1}, B {Q1}, C {P1}.
        // act: A 3, B 2, C 3.
        let n = net(&all, &spec(Q::Congruence, N::None));
        assert_eq!(n.rows, ["A", "B", "C"]);
        assert_eq!(n.activity[&(TagKind::Actor, "A".into())], 3.0);
        assert_eq!(n.activity[&(TagKind::Actor, "B".into())], 2.0);
        // AB: P S 1·1 + Q O 1·1 = 2; AC: P S 1·1 + Q S 1·1 = 2; BC: P S 1.
        close(&n.matrix(), &[[0., 2., 2.], [2., 0., 1.], [2., 1., 0.]]);
        // AB: Q S_A·O_B = 1; AC: P S_A·O_C 1 + Q O_A·S_C 1 = 2;
        // BC: P S_B·O_C 1 + Q O_B·S_C 1 = 2.
        let n = net(&all, &spec(Q::Conflict, N::None));
        close(&n.matrix(), &[[0., 1., 2.], [1., 0., 2.], [2., 2., 0.]]);
        let n = net(&all, &spec(Q::Subtract, N::None));
        close(&n.matrix(), &[[0., 1., 0.], [1., 0., -1.], [0., -1., 0.]]);
        assert!(!n.weights.contains_key(&(0, 2)), "a zero is no edge");
        // Ignore: A {P1, Q2}, B {P3, Q2}, C {P2, Q1}.
        let n = net(&all, &spec(Q::Ignore, N::None));
        close(&n.matrix(), &[[0., 7., 4.], [7., 0., 8.], [4., 8., 0.]]);
        assert_eq!(n.activity[&(TagKind::Actor, "B".into())], 5.0);
        let avg = net(&all, &spec(Q::Congruence, N::Average));
        close(
            &avg.matrix(),
            &[[0., 0.8, 2. / 3.], [0.8, 0., 0.4], [2. / 3., 0.4, 0.]],
        );
        let jac = net(&all, &spec(Q::Congruence, N::Jaccard));
        close(
            &jac.matrix(),
            &[[0., 2. / 3., 0.5], [2. / 3., 0., 0.25], [0.5, 0.25, 0.]],
        );
        let cos = net(&all, &spec(Q::Congruence, N::Cosine));
        let (ab, bc) = (2. / 6f64.sqrt(), 1. / 6f64.sqrt());
        close(
            &cos.matrix(),
            &[[0., ab, 2. / 3.], [ab, 0., bc], [2. / 3., bc, 0.]],
        );
        // Every statement counted: A_S[A][P] = 2, act(A) = 4.
        let mut inc = spec(Q::Congruence, N::None);
        inc.choices.duplicates = Duplicates::Include;
        let n = net(&all, &inc);
        close(&n.matrix(), &[[0., 3., 3.], [3., 0., 1.], [3., 1., 0.]]);
    }

    #[test]
    fn the_issue_network_swaps_actors_and_issues() {
        // A_S: P {A1, B1, C1}, Q {A1, C1}; A_O: P {C1}, Q {A1, B1}.
        let mut s = spec(Qualifier::Congruence, Normalization::None);
        s.choices.mode = NodeMode::Issues;
        let n = net(&[0, 1, 2], &s);
        assert_eq!(n.rows, ["P", "Q"]);
        assert_eq!(n.weights, BTreeMap::from([((0, 1), 2.0)]));
        assert_eq!(n.activity[&(TagKind::Issue, "P".into())], 4.0);
        s.choices.qualifier = Qualifier::Conflict;
        // P–Q: A S_P·O_Q 1 + C O_P·S_Q 1 + B S_P·O_Q 1 = 3.
        assert_eq!(net(&[0, 1, 2], &s).weights, BTreeMap::from([((0, 1), 3.0)]));
    }

    #[test]
    fn time_windows_hold_the_documents_of_their_days() {
        let d = |day: u8| ::time::Date::from_calendar_date(2012, ::time::Month::January, day).ok();
        let dates = [d(1), d(5), d(12), None];
        let w = windows(&dates, 7, 7);
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].start, w[0].end), (d(1).unwrap(), d(7).unwrap()));
        assert_eq!(w[0].docs, [0, 1]);
        assert_eq!(
            (w[1].start, w[1].docs.as_slice()),
            (d(8).unwrap(), &[2][..])
        );
        let moving = windows(&dates, 7, 3);
        let starts: Vec<u8> = moving.iter().map(|w| w.start.day()).collect();
        assert_eq!(starts, [1, 4, 7, 10]);
        assert_eq!(moving[1].docs, [1]);
        assert!(windows(&[None], 7, 7).is_empty());
        // First window (d0, d1), congruence: AB via P S, AC via Q S; B and
        // C share nothing there.
        let s = spec(Qualifier::Congruence, Normalization::None);
        let n = net(&w[0].docs, &s);
        close(&n.matrix(), &[[0., 1., 1.], [1., 0., 0.], [1., 0., 0.]]);
        // Second window (d2): A opposes Q, C supports P, B has no stance:
        // two nodes, no edge; with isolates all three.
        let n = net(&w[1].docs, &s);
        assert_eq!(n.rows, ["A", "C"]);
        assert!(n.weights.is_empty());
        let mut iso = s.clone();
        iso.choices.isolates = true;
        assert_eq!(net(&w[1].docs, &iso).rows, ["A", "B", "C"]);
    }

    #[test]
    fn two_mode_exclusions_and_attributes() {
        let mut s = spec(Qualifier::Subtract, Normalization::None);
        s.choices.kind = NetworkType::TwoMode;
        let n = net(&[0, 1, 2], &s);
        assert_eq!(n.rows, ["A", "B", "C"]);
        assert_eq!(n.cols, ["P", "Q"]);
        // A–P 1−0, A–Q 1−1 = 0 (no edge), B–P 1, B–Q −1, C–P 1−1 = 0, C–Q 1.
        assert_eq!(
            n.weights,
            BTreeMap::from([((0, 0), 1.0), ((1, 0), 1.0), ((1, 1), -1.0), ((2, 1), 1.0)])
        );
        assert_eq!(n.stance_counts[&(1, 0)], [1, 0, 1]);
        let outlets = |k: (usize, usize)| n.edge_attributes[&k]["outlet"].clone();
        assert_eq!(
            outlets((1, 0)),
            BTreeSet::from(["Dawn".into(), "Nation".into()])
        );
        assert_eq!(outlets((0, 0)), BTreeSet::from(["Dawn".into()]));
        s.choices.qualifier = Qualifier::Ignore;
        s.exclude_actors.insert("B".into());
        s.exclude_issues.insert("Q".into());
        let n = net(&[0, 1, 2], &s);
        assert_eq!(n.rows, ["A", "C"]);
        assert_eq!(n.cols, ["P"]);
        assert_eq!(n.weights, BTreeMap::from([((0, 0), 1.0), ((1, 0), 2.0)]));
        assert_eq!(
            n.node_attributes[&(TagKind::Actor, "A".into())]["outlet"],
            BTreeSet::from(["Dawn".into()])
        );
        s.choices.qualifier = Qualifier::Congruence;
        assert!(s.check().is_err());
    }

    #[test]
    fn choices_round_trip_through_ron_and_default_when_missing() {
        let c = NetworkChoices {
            kind: NetworkType::TwoMode,
            qualifier: Qualifier::Subtract,
            isolates: true,
            ..Default::default()
        };
        let text = ron::to_string(&c).unwrap();
        assert_eq!(ron::from_str::<NetworkChoices>(&text).unwrap(), c);
        let old: NetworkChoices = ron::from_str("(isolates: true)").unwrap();
        assert_eq!(
            old,
            NetworkChoices {
                isolates: true,
                ..Default::default()
            }
        );
    }

    #[test]
    fn missing_stances_name_the_option_that_needs_them() {
        let mut plain = hand();
        for s in &mut plain {
            s.stance = None;
        }
        let e = check_input(&plain, &NetworkSpec::default()).unwrap_err();
        assert!(
            e.0.contains("(--qualifier congruence) needs stances"),
            "{e}"
        );
        let ignore = spec(Qualifier::Ignore, Normalization::None);
        assert!(check_input(&plain, &ignore).is_ok());
        assert!(
            check_input(&[], &ignore)
                .unwrap_err()
                .0
                .contains("no annotation has both")
        );
    }
}
