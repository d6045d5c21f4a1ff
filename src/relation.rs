//! How facts relate: a subject's fact of a concept, a rate's numerator and base (the implied
//! full-year budget included), and whether a computed ratio bears out a stated rate.
//!
//! Shared by extraction, which uses it to settle whose a rate is ("…，其中基本支出300万元，项目
//! 支出180万元，预算执行率96%" is the whole's when only the whole's figures give 96%), and by the
//! checks, which judge with it. Money is compared in 万元.

use crate::fact::{Concept, Fact, Period};
use crate::quantity::Interval;
use crate::settings::Tolerance;
use foldhash::HashMap;
use rust_decimal::{Decimal, RoundingStrategy};

/// The interval a fact stands for, money in 万元.
pub fn iv(f: &Fact) -> Interval {
    f.quantity.interval_normalised()
}

/// The point value, money in 万元.
pub fn val(f: &Fact) -> Decimal {
    f.quantity.normalised()
}

/// Where a rate's figures are looked up: a subject's facts of a concept and period, in the
/// order stated. A [`FactIndex`] answers from a sorted index (the checks, on every rate);
/// [`Indexed`] from a [`PositionIndex`] kept in step as facts change subject (extraction,
/// settling the rates after 其中 lists).
pub trait Lookup<'a> {
    /// The facts of `concept` for `subject` in `period`, in the order stated.
    fn of(&self, concept: Concept, subject: &str, period: Period) -> Vec<&'a Fact>;

    /// The first fact of a concept for a subject and period, preferring one in `sentence`.
    fn find(
        &self,
        concept: Concept,
        subject: &str,
        period: Period,
        sentence: Option<usize>,
    ) -> Option<&'a Fact>;
}

/// The first of `all` (a key's entries, in the order stated, each read through `fact`),
/// preferring one in `sentence`: found by a binary search, since the order stated is the order
/// of sentences.
fn first_preferring<'a, T>(
    all: &[T],
    sentence: Option<usize>,
    fact: impl Fn(&T) -> Option<&'a Fact>,
) -> Option<&'a Fact> {
    let in_sentence = sentence.and_then(|s| {
        let at = all.partition_point(|e| fact(e).is_some_and(|f| f.sentence < s));
        all.get(at).and_then(&fact).filter(|f| f.sentence == s)
    });
    in_sentence.or_else(|| all.first().and_then(&fact))
}

/// A document's facts by concept, subject and period, built once for all the rates checked.
///
/// One vector sorted by (subject, concept, period), each key's facts kept in the order stated
/// (a stable sort): a lookup is two binary searches. A document holds a few dozen facts, for
/// which a map of maps cost more to build (a hashed string and an allocation per key) than all
/// the lookups it answered.
pub struct FactIndex<'a> {
    sorted: Vec<&'a Fact>,
}

/// The key a `FactIndex` sorts and searches by.
fn index_key(f: &Fact) -> (&str, Concept, Period) {
    (f.subject.as_str(), f.concept, f.period)
}

impl<'a> FactIndex<'a> {
    pub fn new(facts: &'a [Fact]) -> FactIndex<'a> {
        let mut sorted: Vec<&'a Fact> = facts.iter().collect();
        sorted.sort_by(|a, b| index_key(a).cmp(&index_key(b)));
        FactIndex { sorted }
    }

    fn slice(&self, concept: Concept, subject: &str, period: Period) -> &[&'a Fact] {
        let key = (subject, concept, period);
        let start = self.sorted.partition_point(|f| index_key(f) < key);
        let rest = self.sorted.get(start..).unwrap_or(&[]);
        let len = rest.partition_point(|f| index_key(f) == key);
        rest.get(..len).unwrap_or(&[])
    }
}

impl<'a> Lookup<'a> for FactIndex<'a> {
    fn of(&self, concept: Concept, subject: &str, period: Period) -> Vec<&'a Fact> {
        self.slice(concept, subject, period).to_vec()
    }

    fn find(
        &self,
        concept: Concept,
        subject: &str,
        period: Period,
        sentence: Option<usize>,
    ) -> Option<&'a Fact> {
        first_preferring(self.slice(concept, subject, period), sentence, |f| Some(*f))
    }
}

/// Positions of a document's facts by subject, concept and period, for a caller that changes
/// facts' subjects while it looks them up (extraction settling whose a rate is): it moves a
/// fact's position with [`PositionIndex::resubject`], and looks up through [`Indexed`].
pub struct PositionIndex {
    map: HashMap<String, HashMap<(Concept, Period), Vec<usize>>>,
}

impl PositionIndex {
    pub fn new(facts: &[Fact]) -> PositionIndex {
        let mut map: HashMap<String, HashMap<(Concept, Period), Vec<usize>>> = HashMap::default();
        for (k, f) in facts.iter().enumerate() {
            map.entry(f.subject.clone())
                .or_default()
                .entry((f.concept, f.period))
                .or_default()
                .push(k);
        }
        PositionIndex { map }
    }

    fn positions(&self, concept: Concept, subject: &str, period: Period) -> &[usize] {
        self.map
            .get(subject)
            .and_then(|m| m.get(&(concept, period)))
            .map_or(&[], Vec::as_slice)
    }

    /// Records that `facts[k]` (of `concept` and `period`) moved from subject `from` to `to`.
    pub fn resubject(&mut self, k: usize, concept: Concept, period: Period, from: &str, to: &str) {
        if let Some(v) = self
            .map
            .get_mut(from)
            .and_then(|m| m.get_mut(&(concept, period)))
        {
            v.retain(|&p| p != k);
        }
        let v = self
            .map
            .entry(to.to_string())
            .or_default()
            .entry((concept, period))
            .or_default();
        let at = v.partition_point(|&p| p < k);
        v.insert(at, k);
    }
}

/// Facts looked up through a [`PositionIndex`] kept in step with them.
pub struct Indexed<'a> {
    pub facts: &'a [Fact],
    pub index: &'a PositionIndex,
}

impl<'a> Lookup<'a> for Indexed<'a> {
    fn of(&self, concept: Concept, subject: &str, period: Period) -> Vec<&'a Fact> {
        self.index
            .positions(concept, subject, period)
            .iter()
            .filter_map(|&k| self.facts.get(k))
            .collect()
    }

    fn find(
        &self,
        concept: Concept,
        subject: &str,
        period: Period,
        sentence: Option<usize>,
    ) -> Option<&'a Fact> {
        let all = self.index.positions(concept, subject, period);
        first_preferring(all, sentence, |k| self.facts.get(*k))
    }
}

/// The implied full-year budget interval of a subject (initial + adjustments), if both stated.
pub fn implied_full_year<'a>(
    facts: &impl Lookup<'a>,
    like: &Fact,
) -> Option<(Interval, Vec<&'a Fact>)> {
    let initial = facts.find(Concept::InitialBudget, &like.subject, like.period, None)?;
    let adjustments = adjustments_of(
        facts
            .of(Concept::Adjustment, &like.subject, like.period)
            .into_iter(),
    );
    if adjustments.is_empty() {
        return None;
    }
    let total = adjustments
        .iter()
        .fold(iv(initial), |acc, a| acc.plus(iv(a)));
    let mut used = vec![initial];
    used.extend(adjustments);
    Some((total, used))
}

/// The adjustments that make up the full-year budget: all those stated in the sentence of the
/// first one (追加 and 调减 together), so that an adjustment restated later is not counted twice.
pub fn adjustments_of<'a>(adjustments: impl Iterator<Item = &'a Fact>) -> Vec<&'a Fact> {
    let all: Vec<&Fact> = adjustments.collect();
    let Some(first) = all.first() else {
        return Vec::new();
    };
    let mut out: Vec<&Fact> = Vec::new();
    for a in all.iter().filter(|a| a.sentence == first.sentence) {
        if !out.iter().any(|o| o.at.place == a.at.place) {
            out.push(a);
        }
    }
    out
}

/// A rate's numerator and denominator as stated, and the ratio they give (in percent).
pub struct Computed<'a> {
    pub actual: &'a Fact,
    pub base: Base<'a>,
    pub ratio: Interval,
    pub point: Decimal,
}

/// The rate's subject's actual spending over the base its words name, for the rate's period.
pub fn compute<'a>(facts: &impl Lookup<'a>, rate: &Fact) -> Option<Computed<'a>> {
    let actual = facts.find(
        Concept::Actual,
        &rate.subject,
        rate.period,
        Some(rate.sentence),
    )?;
    let base = resolve_base(facts, rate, rate.base?)?;
    let (ratio, point) = divide(actual, &base)?;
    Some(Computed {
        actual,
        base,
        ratio,
        point,
    })
}

/// Actual ÷ base in percent: the interval the stated figures allow, and the point value.
pub fn divide(actual: &Fact, base: &Base) -> Option<(Interval, Decimal)> {
    let ratio = iv(actual)
        .divided_by(base.interval)
        .map(|r| r.scale(Decimal::ONE_HUNDRED))?;
    let point = val(actual)
        .checked_div(base.point)
        .map(|r| r * Decimal::ONE_HUNDRED)?;
    Some((ratio, point))
}

pub fn within_tolerance(ratio: Interval, tolerance: &Tolerance, rate: &Fact) -> bool {
    // The ratio is in percent (×100), like the stated rate: `percent` widens it.
    let tolerance = tolerance.in_unit(rate.quantity.unit);
    ratio.intersects(rate.quantity.interval().widen(tolerance))
}

/// Whether the stated rate is the computed one cut (not rounded) to its decimals.
pub fn looks_truncated(point: Decimal, rate: &Fact) -> bool {
    let stated = rate.quantity;
    point.round_dp_with_strategy(stated.precision, RoundingStrategy::ToZero) == stated.value
}

/// The denominator of a rate: a stated fact, or the implied full-year budget.
pub struct Base<'a> {
    pub interval: Interval,
    pub point: Decimal,
    pub facts: Vec<&'a Fact>,
    pub implied: bool,
    pub note_zh: String,
    pub note_en: String,
}

impl<'a> Base<'a> {
    pub fn stated(fact: &'a Fact, note_zh: String, note_en: String) -> Base<'a> {
        Base {
            interval: iv(fact),
            point: val(fact),
            facts: vec![fact],
            implied: false,
            note_zh,
            note_en,
        }
    }
}

pub fn resolve_base<'a>(
    facts: &impl Lookup<'a>,
    rate: &Fact,
    named_base: Concept,
) -> Option<Base<'a>> {
    let get = |c: Concept| facts.find(c, &rate.subject, rate.period, Some(rate.sentence));
    let implied = || {
        implied_full_year(facts, rate).map(|(interval, used)| Base {
            interval,
            point: used.iter().map(|f| val(f)).sum(),
            facts: used,
            implied: true,
            note_zh: String::new(),
            note_en: String::new(),
        })
    };
    let fallback = |want_zh: &str, want_en: &str, f: &'a Fact| {
        Base::stated(
            f,
            format!("（文中未写{want_zh}，按{}计算）", f.concept.zh()),
            format!(" (no {want_en} is stated; {} used)", f.concept.en()),
        )
    };
    match named_base {
        Concept::InitialBudget => get(Concept::InitialBudget)
            .map(|f| Base::stated(f, String::new(), String::new()))
            .or_else(|| {
                get(Concept::FullYearBudget)
                    .or_else(|| get(Concept::Budget))
                    .map(|f| fallback("年初预算", "initial budget", f))
            }),
        Concept::FullYearBudget => get(Concept::FullYearBudget)
            .map(|f| Base::stated(f, String::new(), String::new()))
            .or_else(implied)
            .or_else(|| get(Concept::Budget).map(|f| Base::stated(f, String::new(), String::new())))
            .or_else(|| {
                get(Concept::InitialBudget).map(|f| fallback("全年预算", "full-year budget", f))
            }),
        _ => get(Concept::FullYearBudget)
            .or_else(|| get(Concept::Budget))
            .map(|f| Base::stated(f, String::new(), String::new()))
            .or_else(implied)
            .or_else(|| {
                get(Concept::InitialBudget).map(|f| Base::stated(f, String::new(), String::new()))
            }),
    }
}
