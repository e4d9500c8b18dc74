//! Agreement between two coders who coded the same text: per tag, per
//! document and pooled over documents and tags — the numbers people
//! publish, so each is defined here exactly (see the README's
//! "Agreement" section) and tested against hand-computed cases and
//! reference implementations.
//!
//! For a document of N code points, a tag T and coders A and B, `a_i` is 1
//! when one of A's annotations carrying T (with `with_children`, also a
//! descendant of T) covers code point i (`start <= i < end`), else 0; `b_i`
//! likewise. From the four counts n11, n10, n01, n00 of (a_i, b_i):
//! - `percent` = (n11 + n00) / N;
//! - `kappa` (Cohen) = (p_o − p_e) / (1 − p_e), p_e = p_a·p_b + (1−p_a)(1−p_b),
//!   `None` when p_e = 1;
//! - `alpha` (Krippendorff, nominal, two coders, no missing values, the N
//!   code points as units) = 1 − (n − 1)(n10 + n01) / (n_0 · n_1) with
//!   n = 2N, n_1 = 2·n11 + n10 + n01, n_0 = n − n_1; `None` when n_0·n_1 = 0
//!   (D_e = 0);
//! - `alpha_u`: Krippendorff's unitizing alpha on the continuum (see
//!   [`Unitizing`]);
//! - `f1_exact` / `f1_overlap`: A's and B's annotations with T matched one
//!   to one (equal start and end; or at least one code point of overlap,
//!   the largest overlaps first), F1 = 2·matched / (|A| + |B|), `None`
//!   when neither coder used T;
//! - `stance`: the share of the overlap-matched pairs whose stances are
//!   equal (no stance equals no stance), `None` when nothing matched.
//!
//! Pooled figures treat the documents' code points as one continuum: the
//! counts (and the matches for F1) are summed; the overall figure sums
//! every tag's. Invariants: offsets are code points, end excluded; spans
//! outside `0..N` are clipped to it; every figure is finite or `None`.

use super::annotation::Stance;
use super::codebook::TagKind;
use serde::Serialize;

/// One tag as compared: the annotation tags that count as it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSpec {
    /// The name the results are keyed by.
    pub key: String,
    /// Issue or actor.
    pub kind: TagKind,
    /// The tag's own name, then (with children) its descendants'.
    pub names: Vec<String>,
}

/// The (a_i, b_i) counts over a stretch of code points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Both coded.
    pub n11: u64,
    /// Only A coded.
    pub n10: u64,
    /// Only B coded.
    pub n01: u64,
    /// Neither coded.
    pub n00: u64,
}

impl Counts {
    /// The counts of one document: `a` and `b` are each coder's spans.
    pub fn of(len: usize, a: &[(usize, usize)], b: &[(usize, usize)]) -> Counts {
        let (ua, ub) = (union(a, len), union(b, len));
        let both = intersection(&ua, &ub);
        let (la, lb) = (covered(&ua), covered(&ub));
        let n = len as u64;
        Counts {
            n11: both,
            n10: la - both,
            n01: lb - both,
            n00: n - (la + lb - both),
        }
    }

    /// Adds another stretch's counts (pooling).
    pub fn add(&mut self, o: &Counts) {
        self.n11 += o.n11;
        self.n10 += o.n10;
        self.n01 += o.n01;
        self.n00 += o.n00;
    }

    /// N, the code points counted.
    pub fn total(&self) -> u64 {
        self.n11 + self.n10 + self.n01 + self.n00
    }

    /// Share of code points where the coders agree; `None` for N = 0.
    pub fn percent(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| (self.n11 + self.n00) as f64 / n as f64)
    }

    /// Cohen's kappa per code point; `None` when p_e = 1 (or N = 0).
    pub fn kappa(&self) -> Option<f64> {
        let n = self.total() as f64;
        if n == 0.0 {
            return None;
        }
        let p_o = (self.n11 + self.n00) as f64 / n;
        let p_a = (self.n11 + self.n10) as f64 / n;
        let p_b = (self.n11 + self.n01) as f64 / n;
        let p_e = p_a * p_b + (1.0 - p_a) * (1.0 - p_b);
        finite((1.0 - p_e > 0.0).then(|| (p_o - p_e) / (1.0 - p_e)))
    }

    /// Krippendorff's alpha (nominal, two coders, no missing values);
    /// `None` when the expected disagreement is 0.
    pub fn alpha(&self) -> Option<f64> {
        let n = 2.0 * self.total() as f64;
        let mixed = (self.n10 + self.n01) as f64;
        let n1 = 2.0 * self.n11 as f64 + mixed;
        let n0 = n - n1;
        finite((n0 * n1 > 0.0).then(|| 1.0 - (n - 1.0) * mixed / (n0 * n1)))
    }
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

/// Sorted, disjoint spans covering what `spans` cover, clipped to `0..len`.
fn union(spans: &[(usize, usize)], len: usize) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| (s.min(len), e.min(len)))
        .filter(|(s, e)| s < e)
        .collect();
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn covered(u: &[(usize, usize)]) -> u64 {
    u.iter().map(|(s, e)| (e - s) as u64).sum()
}

/// Code points in both of two unions.
fn intersection(a: &[(usize, usize)], b: &[(usize, usize)]) -> u64 {
    let (mut i, mut j, mut n) = (0, 0, 0u64);
    while i < a.len() && j < b.len() {
        let (s, e) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        if s < e {
            n += (e - s) as u64;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    n
}

/// Matches between A's and B's annotations of one tag, and the stance
/// agreement on the overlap matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matches {
    /// A's annotations with the tag.
    pub a: u64,
    /// B's annotations with the tag.
    pub b: u64,
    /// Pairs with equal start and end, one to one.
    pub exact: u64,
    /// Pairs overlapping by at least one code point, one to one, the
    /// largest overlaps first.
    pub overlap: u64,
    /// Overlap pairs whose stances are equal.
    pub same_stance: u64,
}

/// One coder's annotation of a tag as the figures see it: start, end,
/// stance.
pub type Mark = (usize, usize, Option<Stance>);

impl Matches {
    /// Matches one document's annotations of one tag.
    pub fn of(a: &[Mark], b: &[Mark]) -> Matches {
        let mut m = Matches {
            a: a.len() as u64,
            b: b.len() as u64,
            ..Matches::default()
        };
        // Exact: the multiset intersection of the spans.
        let mut sa: Vec<(usize, usize)> = a.iter().map(|x| (x.0, x.1)).collect();
        let mut sb: Vec<(usize, usize)> = b.iter().map(|x| (x.0, x.1)).collect();
        sa.sort_unstable();
        sb.sort_unstable();
        let (mut i, mut j) = (0, 0);
        while i < sa.len() && j < sb.len() {
            match sa[i].cmp(&sb[j]) {
                std::cmp::Ordering::Equal => {
                    m.exact += 1;
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        // Overlap: every overlapping pair, the largest overlap first (ties
        // by A's then B's position, so the result does not depend on the
        // input order), each annotation used once.
        let mut order_a: Vec<usize> = (0..a.len()).collect();
        let mut order_b: Vec<usize> = (0..b.len()).collect();
        order_a.sort_by_key(|&k| (a[k].0, a[k].1));
        order_b.sort_by_key(|&k| (b[k].0, b[k].1));
        let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
        for (ra, &ia) in order_a.iter().enumerate() {
            for (rb, &ib) in order_b.iter().enumerate() {
                let (x, y) = (a[ia], b[ib]);
                let ov = x.1.min(y.1).saturating_sub(x.0.max(y.0));
                if ov > 0 {
                    pairs.push((ov, ra, rb));
                }
            }
        }
        pairs.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
        let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
        for (_, ra, rb) in pairs {
            if used_a[ra] || used_b[rb] {
                continue;
            }
            used_a[ra] = true;
            used_b[rb] = true;
            m.overlap += 1;
            if a[order_a[ra]].2 == b[order_b[rb]].2 {
                m.same_stance += 1;
            }
        }
        m
    }

    /// Adds another document's matches (pooling).
    pub fn add(&mut self, o: &Matches) {
        self.a += o.a;
        self.b += o.b;
        self.exact += o.exact;
        self.overlap += o.overlap;
        self.same_stance += o.same_stance;
    }

    fn f1(&self, matched: u64) -> Option<f64> {
        let n = self.a + self.b;
        (n > 0).then(|| 2.0 * matched as f64 / n as f64)
    }
}

/// The figures of one tag (or of all tags pooled), as `--json` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// Share of code points where the coders agree.
    pub percent: Option<f64>,
    /// Cohen's kappa per code point.
    pub kappa: Option<f64>,
    /// Krippendorff's alpha, nominal, code points as units.
    pub alpha: Option<f64>,
    /// Krippendorff's unitizing alpha.
    pub alpha_u: Option<f64>,
    /// F1 of exact span matches.
    pub f1_exact: Option<f64>,
    /// F1 of overlap matches.
    pub f1_overlap: Option<f64>,
    /// Share of the overlap matches with equal stances.
    pub stance: Option<f64>,
    /// A's annotations with the tag.
    pub a: u64,
    /// B's annotations with the tag.
    pub b: u64,
}

impl Figures {
    /// The names of [`Figures::values`], in order (the CSV's and the
    /// tables' columns).
    pub const NAMES: [&'static str; 7] = [
        "percent",
        "kappa",
        "alpha",
        "alpha_u",
        "f1_exact",
        "f1_overlap",
        "stance",
    ];

    /// The figures in the order of [`Figures::NAMES`].
    pub fn values(&self) -> [Option<f64>; 7] {
        [
            self.percent,
            self.kappa,
            self.alpha,
            self.alpha_u,
            self.f1_exact,
            self.f1_overlap,
            self.stance,
        ]
    }

    /// How agreement ranks for "the weakest first": alpha, undefined last.
    pub fn weakness(&self) -> f64 {
        self.alpha.unwrap_or(f64::INFINITY)
    }
}

/// Everything the figures of a tag are computed from; sums pool.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Code-point counts.
    pub counts: Counts,
    /// Annotation matches.
    pub matches: Matches,
    /// The unitizing sums.
    pub unitizing: Unitizing,
}

impl Tally {
    /// One document's tally: `a` and `b` are each coder's annotations
    /// carrying the tag, as marks (start, end, stance); `len` its code
    /// points.
    pub fn of(len: usize, a: &[Mark], b: &[Mark]) -> Tally {
        let clip = |m: &[Mark]| -> Vec<Mark> {
            m.iter()
                .map(|x| (x.0.min(len), x.1.min(len), x.2))
                .collect()
        };
        let (ma, mb) = (clip(a), clip(b));
        let spans = |m: &[Mark]| -> Vec<(usize, usize)> { m.iter().map(|x| (x.0, x.1)).collect() };
        let (sa, sb) = (spans(&ma), spans(&mb));
        Tally {
            counts: Counts::of(len, &sa, &sb),
            matches: Matches::of(&ma, &mb),
            unitizing: Unitizing::of(len, &sa, &sb),
        }
    }

    /// A document of `len` code points where neither coder used the tag.
    pub fn empty(len: usize) -> Tally {
        Tally {
            counts: Counts {
                n00: len as u64,
                ..Counts::default()
            },
            matches: Matches::default(),
            unitizing: Unitizing::of(len, &[], &[]),
        }
    }

    /// True when neither coder used the tag.
    pub fn unused(&self) -> bool {
        self.matches.a == 0 && self.matches.b == 0
    }

    /// Adds another stretch's tally (pooling documents or tags).
    pub fn add(&mut self, o: &Tally) {
        self.counts.add(&o.counts);
        self.matches.add(&o.matches);
        self.unitizing.add(&o.unitizing);
    }

    /// The figures.
    pub fn figures(&self) -> Figures {
        let m = &self.matches;
        Figures {
            percent: self.counts.percent(),
            kappa: self.counts.kappa(),
            alpha: self.counts.alpha(),
            alpha_u: self.unitizing.alpha(),
            f1_exact: m.f1(m.exact),
            f1_overlap: m.f1(m.overlap),
            stance: (m.overlap > 0).then(|| m.same_stance as f64 / m.overlap as f64),
            a: m.a,
            b: m.b,
        }
    }
}

/// Krippendorff's unitizing alpha (α_u) for one tag and two coders on a
/// continuum of code points, as DKPro Statistics'
/// `KrippendorffAlphaUnitizingAgreement` computes it for one category
/// (Krippendorff 2013; the figure INCEpTION reports):
///
/// - each coder's sections tile `0..L`: their units (a coder's
///   overlapping annotations of the tag merged into one; touching ones
///   stay two units) and the gaps of positive length between them;
/// - δ(s, t) for a section s of A and t of B: two overlapping units give
///   (s.b − t.b)² + (s.e − t.e)²; a unit lying inside the other coder's gap
///   gives its length²; anything else 0. D_o = Σδ / L²;
/// - with U every unit of both coders (N_c of them) and G every gap length
///   of both, S = Σ_u [(N_c − 1)·l(l−1)(2l−1)/3 + l²·Σ_{g∈G, g≥l}(g − l + 1)],
///   Den = 2L(2L − 1) − Σ_u l(l−1), D_e = 2S / (L·Den);
/// - α_u = 1 − D_o/D_e; exactly 0 when D_o = D_e; `None` when D_e = 0
///   (no unit at all, or every code point a one-code-point unit of both).
///
/// Pooling appends continua (documents, or tags for the overall figure):
/// a gap at the end of one and at the start of the next become one gap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unitizing {
    /// L, the continuum's length.
    len: u64,
    /// A's units, sorted and disjoint.
    a: Vec<(u64, u64)>,
    /// B's units, sorted and disjoint.
    b: Vec<(u64, u64)>,
}

/// A coder's units: spans clipped to `0..len`, empty ones dropped,
/// overlapping ones merged (touching ones kept apart).
fn units(spans: &[(usize, usize)], len: usize) -> Vec<(u64, u64)> {
    let mut v: Vec<(u64, u64)> = spans
        .iter()
        .map(|&(s, e)| (s.min(len) as u64, e.min(len) as u64))
        .filter(|(s, e)| s < e)
        .collect();
    v.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A section of a coder's tiling: `(begin, end, is_unit)`.
type Section = (u64, u64, bool);

/// Units and the gaps between them, tiling `0..len`.
fn tiling(units: &[(u64, u64)], len: u64) -> Vec<Section> {
    let mut out = Vec::with_capacity(2 * units.len() + 1);
    let mut at = 0;
    for &(s, e) in units {
        if s > at {
            out.push((at, s, false));
        }
        out.push((s, e, true));
        at = e;
    }
    if len > at {
        out.push((at, len, false));
    }
    out
}

impl Unitizing {
    /// One continuum of `len` code points with each coder's spans.
    pub fn of(len: usize, a: &[(usize, usize)], b: &[(usize, usize)]) -> Unitizing {
        Unitizing {
            len: len as u64,
            a: units(a, len),
            b: units(b, len),
        }
    }

    /// Appends another continuum after this one.
    pub fn add(&mut self, o: &Unitizing) {
        let shift = self.len;
        self.a
            .extend(o.a.iter().map(|(s, e)| (s + shift, e + shift)));
        self.b
            .extend(o.b.iter().map(|(s, e)| (s + shift, e + shift)));
        self.len += o.len;
    }

    /// Σδ over every pair of A's and B's sections (only overlapping pairs
    /// can count, so one sweep over the two tilings).
    fn observed(&self, ta: &[Section], tb: &[Section]) -> u128 {
        let sq = |x: u64| u128::from(x) * u128::from(x);
        let (mut i, mut j, mut sum) = (0, 0, 0u128);
        while i < ta.len() && j < tb.len() {
            let (s, t) = (ta[i], tb[j]);
            if s.0 < t.1 && t.0 < s.1 {
                sum += match (s.2, t.2) {
                    (true, true) => sq(s.0.abs_diff(t.0)) + sq(s.1.abs_diff(t.1)),
                    (true, false) if t.0 <= s.0 && s.1 <= t.1 => sq(s.1 - s.0),
                    (false, true) if s.0 <= t.0 && t.1 <= s.1 => sq(t.1 - t.0),
                    _ => 0,
                };
            }
            if s.1 <= t.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        sum
    }

    /// α_u, see the type's documentation.
    pub fn alpha(&self) -> Option<f64> {
        let l = u128::from(self.len);
        if l == 0 {
            return None;
        }
        let (ta, tb) = (tiling(&self.a, self.len), tiling(&self.b, self.len));
        let observed = self.observed(&ta, &tb);
        let mut gaps: Vec<u64> = ta
            .iter()
            .chain(&tb)
            .filter(|s| !s.2)
            .map(|s| s.1 - s.0)
            .collect();
        gaps.sort_unstable();
        // Suffix sums: from index k on, the count is gaps.len() − k and
        // the total is suffix[k].
        let mut suffix = vec![0u128; gaps.len() + 1];
        for k in (0..gaps.len()).rev() {
            suffix[k] = suffix[k + 1] + u128::from(gaps[k]);
        }
        let unit_lens = self.a.iter().chain(&self.b).map(|(s, e)| u128::from(e - s));
        let n_c = (self.a.len() + self.b.len()) as u128;
        let (mut s_sum, mut within) = (0u128, 0u128);
        for ul in unit_lens {
            let from = gaps.partition_point(|&g| u128::from(g) < ul);
            let count = (gaps.len() - from) as u128;
            // Σ_{g ≥ l} (g − l + 1) = Σ g − (l − 1)·count.
            let fit = suffix[from] - (ul - 1) * count;
            s_sum += (n_c - 1) * (ul * (ul - 1) * (2 * ul - 1) / 3) + ul * ul * fit;
            within += ul * (ul - 1);
        }
        let den = 2 * l * (2 * l - 1) - within;
        if s_sum == 0 || den == 0 {
            return None;
        }
        // α = 1 − Σδ·Den / (2·S·L); exactly 0 on a tie, as DKPro gives.
        let lhs = observed.checked_mul(den);
        let rhs = s_sum.checked_mul(2).and_then(|x| x.checked_mul(l));
        if let (Some(x), Some(y)) = (lhs, rhs)
            && x == y
        {
            return Some(0.0);
        }
        let ratio =
            (observed as f64 / (l * l) as f64) / (2.0 * s_sum as f64 / (l as f64 * den as f64));
        finite(Some(1.0 - ratio))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: Option<f64>, want: f64) {
        let x = x.expect("a figure");
        assert!((x - want).abs() < 1e-9, "{x} != {want}");
    }

    #[test]
    fn code_point_figures_by_hand() {
        // N = 10, A = [0,4), B = [2,6): n11 = 2, n10 = 2, n01 = 2, n00 = 4.
        let c = Counts::of(10, &[(0, 4)], &[(2, 6)]);
        assert_eq!((c.n11, c.n10, c.n01, c.n00), (2, 2, 2, 4));
        close(c.percent(), 0.6);
        // p_a = p_b = 0.4, p_e = 0.16 + 0.36 = 0.52, (0.6 − 0.52)/0.48.
        close(c.kappa(), 0.08 / 0.48);
        // n = 20, n_1 = 8, n_0 = 12: 1 − 19·4/96.
        close(c.alpha(), 1.0 - 76.0 / 96.0);
    }

    /// Reference figures from scikit-learn 1.9.1 (`cohen_kappa_score`) and
    /// the `krippendorff` package 0.9.0 (`alpha(reliability_data=[a, b],
    /// level_of_measurement="nominal")`) over the 0/1 vectors of each case,
    /// run by hand with Python 3 (the script expands each span list into a
    /// vector of N code points, 1 where a span covers it).
    #[test]
    fn code_point_figures_match_sklearn_and_krippendorff() {
        type Spans = &'static [(usize, usize)];
        let cases: [(usize, Spans, Spans, f64, f64, f64); 4] = [
            (
                10,
                &[(0, 4)],
                &[(2, 6)],
                0.6,
                0.16666666666666663,
                0.20833333333333326,
            ),
            (
                37,
                &[(3, 12), (20, 30)],
                &[(3, 10), (22, 35)],
                0.7567567567567568,
                0.5124450951683748,
                0.5186813186813187,
            ),
            (
                50,
                &[(0, 10), (5, 15), (30, 31)],
                &[(0, 15), (31, 32), (40, 50)],
                0.76,
                0.526813880126183,
                0.5123152709359606,
            ),
            (20, &[(5, 9)], &[], 0.8, 0.0, -0.08333333333333326),
        ];
        for (n, a, b, percent, kappa, alpha) in cases {
            let c = Counts::of(n, a, b);
            close(c.percent(), percent);
            close(c.kappa(), kappa);
            close(c.alpha(), alpha);
        }
    }

    #[test]
    fn nothing_coded_gives_null_not_nan() {
        let c = Counts::of(10, &[], &[]);
        close(c.percent(), 1.0);
        assert_eq!(c.kappa(), None, "p_e = 1");
        assert_eq!(c.alpha(), None, "D_e = 0");
        let f = Tally::empty(10).figures();
        assert_eq!(
            (f.f1_exact, f.f1_overlap, f.stance, f.alpha_u),
            (None, None, None, None)
        );
        assert_eq!(Counts::of(0, &[], &[]).percent(), None);
    }

    #[test]
    fn pooling_sums_the_counts() {
        let mut c = Counts::of(10, &[(0, 4)], &[(2, 6)]);
        c.add(&Counts::of(20, &[(5, 9)], &[]));
        assert_eq!((c.n11, c.n10, c.n01, c.n00), (2, 6, 2, 20));
        close(c.percent(), 22.0 / 30.0);
    }

    #[test]
    fn f1_and_stance_by_hand() {
        use Stance::*;
        // A: [0,5) Support, [10,20) Oppose, [30,40) none, [50,52) Support.
        // B: [0,5) Support (exact), [12,25) Support (overlaps A's second),
        //    [30,40) none (exact), [60,70) (nothing of A's).
        let a = [
            (0, 5, Some(Support)),
            (10, 20, Some(Oppose)),
            (30, 40, None),
            (50, 52, Some(Support)),
        ];
        let b = [
            (0, 5, Some(Support)),
            (12, 25, Some(Support)),
            (30, 40, None),
            (60, 70, None),
        ];
        let m = Matches::of(&a, &b);
        assert_eq!(
            (m.a, m.b, m.exact, m.overlap, m.same_stance),
            (4, 4, 2, 3, 2)
        );
        let t = Tally {
            matches: m,
            ..Tally::default()
        };
        let f = t.figures();
        close(f.f1_exact, 2.0 * 2.0 / 8.0);
        close(f.f1_overlap, 2.0 * 3.0 / 8.0);
        close(f.stance, 2.0 / 3.0);
    }

    #[test]
    fn overlap_matching_is_one_to_one_largest_first() {
        // A's [0,10) overlaps B's [0,3) by 3 and B's [2,10) by 8: it takes
        // the latter; A's [0,3) then takes B's [0,3) exactly.
        let a = [(0, 10, None), (0, 3, None)];
        let b = [(0, 3, None), (2, 10, None)];
        let m = Matches::of(&a, &b);
        assert_eq!((m.exact, m.overlap), (1, 2));
        // Input order does not matter.
        let m2 = Matches::of(&[a[1], a[0]], &[b[1], b[0]]);
        assert_eq!(m, m2);
        // Two of A on one of B: only one matches.
        let m = Matches::of(&[(0, 4, None), (2, 6, None)], &[(0, 6, None)]);
        assert_eq!(m.overlap, 1);
    }

    fn alpha_u(n: usize, a: &[(usize, usize)], b: &[(usize, usize)]) -> Option<f64> {
        Unitizing::of(n, a, b).alpha()
    }

    /// Expected values from DKPro Statistics (dkpro/dkpro-statistics at
    /// f7f4f89136659c50f175ac8db7bfdfc3875b07db,
    /// dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/agreement/unitizing/):
    /// `UnitizingAgreementTest.createExample` (−0.7003), `Krippendorff2004Test`
    /// categories c (0.7286) and k (1.0), shifted to start at 0 (the start
    /// cancels out), and `Krippendorff1995Test.createExample(12/24.0)`
    /// category C (D_o 1/36, D_e 89/1620). The exact values below were
    /// computed by running DKPro's compiled `KrippendorffAlphaUnitizingAgreement`
    /// (Java 17) on the same input, and agree with the tests' assertions.
    #[test]
    fn unitizing_alpha_matches_dkpro() {
        close(
            alpha_u(10, &[(1, 9)], &[(2, 3), (4, 5), (6, 7)]),
            -0.7003460207612457,
        );
        close(
            alpha_u(
                300,
                &[(75, 145), (220, 250)],
                &[(70, 150), (205, 225), (250, 270)],
            ),
            1.0 - (13.0 / 900.0) / (69179.0 / 1299825.0),
        );
        close(
            alpha_u(300, &[(30, 90), (150, 200)], &[(30, 90), (150, 200)]),
            1.0,
        );
        close(
            alpha_u(
                12,
                &[(1, 4), (5, 6), (7, 9), (10, 11)],
                &[(0, 1), (2, 4), (5, 7), (8, 9), (10, 11)],
            ),
            1.0 - (1.0 / 36.0) / (89.0 / 1620.0),
        );
    }

    /// Edge cases, expected values from the same DKPro classes run by hand.
    #[test]
    fn unitizing_alpha_edges() {
        close(alpha_u(10, &[(2, 5)], &[]), -0.7);
        close(alpha_u(10, &[(2, 5), (6, 8)], &[]), -0.8890625);
        close(alpha_u(10, &[(0, 5)], &[(5, 10)]), -63.0 / 22.0);
        close(alpha_u(10, &[(0, 10)], &[(0, 10)]), 1.0);
        assert_eq!(alpha_u(10, &[], &[]), None, "no unit at all");
        assert_eq!(alpha_u(1, &[(0, 1)], &[(0, 1)]), None, "D_e = 0");
        // Overlapping annotations of one coder are one unit (their union).
        assert_eq!(
            alpha_u(10, &[(1, 5), (3, 9)], &[(2, 3)]),
            alpha_u(10, &[(1, 9)], &[(2, 3)])
        );
        // Touching ones stay two units.
        assert_ne!(
            alpha_u(10, &[(1, 5), (5, 9)], &[(2, 3)]),
            alpha_u(10, &[(1, 9)], &[(2, 3)])
        );
    }

    /// Two documents pooled as one continuum of 20 (DKPro on the
    /// concatenation A = [1,9) [12,15), B = [2,3) [4,5) [6,7): D_o 1/4,
    /// D_e 251/2140).
    #[test]
    fn unitizing_alpha_pools_documents_as_one_continuum() {
        let mut u = Unitizing::of(10, &[(1, 9)], &[(2, 3), (4, 5), (6, 7)]);
        u.add(&Unitizing::of(10, &[(2, 5)], &[]));
        close(u.alpha(), -1.1314741035856575);
        close(u.alpha(), 1.0 - 0.25 / (251.0 / 2140.0));
    }
}
