//! Rates and their bases.
//!
//! "决算数为884.49万元，完成年初预算数的114.00%": a rate of actual spending over the initial
//! budget. "执行率为98%" is over the full-year budget, "完成率" only with a money word before it,
//! "采购执行率" is no budget rate at all. After the facts are settled, a rate read as a 其中
//! part's that holds only for the whole is made the whole's (`settle_rate_subjects`).

use super::{Draft, Reader, SentenceState};
use crate::diagnostic::Place;
use crate::extract::vocab::Words;
use crate::extract::vocab::{ends_with_word, strip_word_suffix};
use crate::fact::Concept;
use crate::fact::Fact;
use crate::quantity::Interval;
use crate::relation::{
    Indexed, Lookup, PositionIndex, compute, divide, looks_truncated, resolve_base,
    within_tolerance,
};
use crate::settings::Tolerance;
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// The base a percentage is a rate of, from its phrasing; None if it is not a budget rate.
pub(super) fn rate_base(w: &Words, prefix: &str) -> Option<Concept> {
    static DONE: OnceLock<Regex> = OnceLock::new();
    let done = DONE.get_or_init(|| {
        Regex::new(r"完成(?:了)?([^，,；;:]{0,16}?)(?:的|之)?\s*$").expect("valid regex")
    });
    let names = |words: &[String], text: &str| words.iter().any(|w| text.contains(w.as_str()));
    if let Some(c) = done
        .captures(prefix)
        .filter(|c| !c.get(1).is_some_and(|m| m.as_str().starts_with('率')))
    {
        let what = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if names(&w.rate_base_initial, what) {
            return Some(Concept::InitialBudget);
        }
        if names(&w.rate_base_full_year, what) {
            return Some(Concept::FullYearBudget);
        }
        if names(&w.rate_base_budget, what) {
            return Some(Concept::Budget);
        }
        return None;
    }
    let (word, at) = rate_word_at_end(w, prefix)?;
    // Another kind of execution: "政府采购执行率", "合同执行率", "计划执行率".
    let qualifier = &prefix[..at];
    if w.rate_other.iter().any(|o| ends_with_word(qualifier, o)) {
        return None;
    }
    if w.rate_needs_money.iter().any(|n| n == word) {
        // 完成率 alone is often a task's (任务完成率); only money words make it a budget rate.
        return names(&w.rate_money, prefix).then_some(Concept::Budget);
    }
    Some(Concept::FullYearBudget)
}

/// The rate word (`rate_budget`, `rate_needs_money`) that `prefix` ends with, but for
/// connecting words (`rate_connector`) and spaces after it, with its start: "预算执行率为" →
/// 预算执行率. The longest word wins.
fn rate_word_at_end<'w>(w: &'w Words, prefix: &str) -> Option<(&'w str, usize)> {
    let mut rest = prefix.trim_end();
    'strip: loop {
        for c in &w.rate_connector {
            if let Some(r) = strip_word_suffix(rest, c) {
                rest = r;
                continue 'strip;
            }
        }
        break;
    }
    w.rate_budget
        .iter()
        .chain(&w.rate_needs_money)
        .filter(|r| ends_with_word(rest, r))
        .max_by_key(|r| r.len())
        .map(|r| (r.as_str(), rest.len() - r.len()))
}

impl<'a> Reader<'a> {
    /// A percentage: a rate of change after a change word ("下降16.77%"), else a budget rate
    /// whose base its words name ("完成年初预算数的114.00%"); any other percentage is no fact.
    pub(super) fn rate(
        &self,
        mut draft: Draft,
        prefix: &str,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        if !self.read_as_change(&mut draft, Concept::ChangeRate, prefix, st) {
            let base = rate_base(self.words(), prefix)?;
            draft.concept = Concept::Rate;
            draft.base = Some(base);
            draft.period = self.period_in_sentence(prefix, st);
        }
        Some(draft)
    }
}

/// A rate read as the last 其中 part's may be the whole's: "实际支出480万元，其中基本支出300万元，
/// 项目支出180万元，预算执行率96%". When it does not hold for the part but does for the whole,
/// it is made the whole's, before any check (or a later rate of the part) sees it. So is an
/// amount after the list that took the part's name, when with the whole's budget it gives the
/// rate: "全年预算500万元，其中基本支出300万元，项目支出200万元，全年支出480万元，执行率96%".
/// A rate whose clause names the part ("项目支出执行率96%") stays the part's.
pub(super) fn settle_rate_subjects(facts: &mut [Fact], tolerance: &Tolerance) {
    let holds = |ratio: Interval, point: Decimal, rate: &Fact| {
        within_tolerance(ratio, tolerance, rate) || looks_truncated(point, rate)
    };
    // Most documents have no rate after a 其中 list: no index for them.
    if !facts
        .iter()
        .any(|f| f.concept == Concept::Rate && f.part_of.is_some())
    {
        return;
    }
    // Looked up by subject, kept in step as subjects change: no scan of all facts per rate.
    let mut index = PositionIndex::new(facts);
    for i in 0..facts.len() {
        let rate = &facts[i];
        let Some(whole) = rate.part_of.clone() else {
            continue;
        };
        if rate.concept != Concept::Rate || names_its_subject(facts, i) {
            continue;
        }
        let view = Indexed {
            facts,
            index: &index,
        };
        let Some(part) = compute(&view, rate) else {
            continue;
        };
        if holds(part.ratio, part.point, rate) {
            continue;
        }
        let as_whole = Fact {
            subject: whole.clone(),
            part_of: None,
            ..rate.clone()
        };
        let (period, part_subject) = (rate.period, rate.subject.clone());
        if compute(&view, &as_whole).is_some_and(|c| holds(c.ratio, c.point, rate)) {
            facts[i] = as_whole;
            index.resubject(i, Concept::Rate, period, &part_subject, &whole);
            continue;
        }
        let numerator = facts.iter().position(|f| std::ptr::eq(f, part.actual));
        let Some(base) = rate.base.and_then(|b| resolve_base(&view, &as_whole, b)) else {
            continue;
        };
        let Some(n) = numerator.filter(|&n| facts[n].part_of.as_ref() == Some(&whole)) else {
            continue;
        };
        // Only when the whole states no spending of its own, which the numerator would then
        // contradict.
        let whole_actual = view.find(Concept::Actual, &whole, rate.period, Some(rate.sentence));
        if whole_actual.is_some() {
            continue;
        }
        if divide(&facts[n], &base).is_some_and(|(ratio, point)| holds(ratio, point, rate)) {
            let numerator_subject = facts[n].subject.clone();
            facts[n].subject = whole.clone();
            facts[n].part_of = None;
            index.resubject(n, Concept::Actual, period, &numerator_subject, &whole);
            facts[i] = as_whole;
            index.resubject(i, Concept::Rate, period, &part_subject, &whole);
        }
    }
}

/// Whether the words between the fact before `i` and fact `i` name fact `i`'s subject.
pub(super) fn names_its_subject(facts: &[Fact], i: usize) -> bool {
    let Place::Text { start, .. } = facts[i].at.place else {
        return false;
    };
    let from = i
        .checked_sub(1)
        .and_then(|p| match facts[p].at.place {
            Place::Text { end, .. } if end <= start => Some(end),
            _ => None,
        })
        .unwrap_or(0);
    let words = facts[i].at.source.text.get(from..start).unwrap_or("");
    !facts[i].subject.is_empty() && words.contains(facts[i].subject.as_str())
}
