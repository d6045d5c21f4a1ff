//! Scores and weights of indicators, and the report's total.
//!
//! "(一)决策指标(20分)得分18分" gives 决策指标 a weight of 20 and a score of 18; "自评得分88.35分"
//! is the report's total score (its words name no indicator); "总分100分" is full marks, a weight.
//! A band's bound ("90分以上为优") is no score.

use super::super::vocab::{self};
use super::indicators::{indicator_name, is_first_level, names_the_whole};
use super::{Assigned, Draft, Reader, SentenceState};
use crate::extract::vocab::Words;
use crate::extract::vocab::starts_with_word;
use crate::fact::Concept;
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// A points figure with no word of its own saying what it is, read from the sentence around it:
/// - in a 其中 list after a score or weight, a first-level indicator's (or a bonus item's) points
///   are of that kind:
///   "综合得分92.5分，其中决策指标18分，过程指标19分…" (scores), "总分100分，其中决策指标20分…"
///   (weights);
/// - right after an indicator's weight in brackets, its score: "决策（20分）18分".
pub(super) fn listed_points(
    w: &Words,
    mut draft: Draft,
    prefix: &str,
    st: &mut SentenceState,
) -> Option<Draft> {
    if prefix.ends_with(')') {
        if !st.after_bracketed_weight {
            return None;
        }
        draft.concept = Concept::Score;
        draft.subject = st.indicator.clone().filter(|i| is_first_level(w, i))?;
        return Some(draft);
    }
    let name = indicator_name(w, prefix);
    let bonus = w.bonus.contains(&name);
    if !st.points_listed || st.part_of.is_none() || !(is_first_level(w, &name) || bonus) {
        return None;
    }
    draft.concept = match st.outer_points? {
        Concept::Score | Concept::TotalScore => Concept::Score,
        Concept::Weight if !bonus => Concept::Weight,
        _ => return None,
    };
    // Not made the sentence's indicator: "总分100分，其中决策指标20分…效益指标20分，自评得分92分"
    // ends with the report's score, not 效益指标's.
    draft.subject = name;
    Some(draft)
}

/// Whether an indicator name is only a year: 上年, 本年度, 2023年 ….
pub(super) fn names_a_year(name: &str) -> bool {
    let stem = name.strip_suffix('度').unwrap_or(name);
    let Some(stem) = stem.strip_suffix('年') else {
        return false;
    };
    matches!(stem, "上" | "上一" | "去" | "本" | "当" | "今")
        || (stem.len() == 4 && stem.bytes().all(|b| b.is_ascii_digit()))
}

impl<'a> Reader<'a> {
    pub(super) fn classify_points(
        &self,
        mut draft: Draft,
        prefix: &str,
        after: &str,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        draft.part_of = None;
        draft.subject = String::new();
        // "总分90分及以上者为优秀", "80至89分": a band's bound, not a score.
        let rest = after.trim_start();
        if self
            .words()
            .band_bound
            .iter()
            .any(|w| starts_with_word(rest, w))
        {
            return None;
        }
        let trimmed = prefix.trim_end();
        // "项目实施程序(15分)": a weight in brackets after the indicator's name.
        if let Some(name) = trimmed.strip_suffix('(') {
            return self.bracketed_weight(draft, name, after, st);
        }
        let (term, term_start) = match self.points_term(prefix) {
            Some(t) => t,
            None if !trimmed.ends_with('得') => {
                return listed_points(self.words(), draft, trimmed, st);
            }
            None => {
                // "产出指标得8分"
                let stem = trimmed.strip_suffix('得')?;
                static DE: OnceLock<vocab::Term> = OnceLock::new();
                let de = DE.get_or_init(|| vocab::Term {
                    text: "得".into(),
                    concept: Concept::Score,
                    negative: false,
                });
                (de, stem.len())
            }
        };
        let gap = &prefix[term_start + term.text.len()..];
        if gap.contains('扣') || prefix[..term_start].ends_with('扣') {
            return None;
        }
        // A 分别 list not read as one ("…资产管理指标分别得9分、…") names no indicator here.
        if prefix[..term_start].trim_end().ends_with("分别") {
            return None;
        }
        let raw_name = &prefix[..term_start];
        let name = indicator_name(self.words(), raw_name);
        match term.concept {
            // "总分100分" states full marks, not the score obtained.
            Concept::TotalScore
                if term.text == "总分" && draft.figure.value == Decimal::ONE_HUNDRED =>
            {
                draft.concept = Concept::Weight;
            }
            // "产出指标自评分45分": after an indicator's name a total word is its score.
            Concept::TotalScore
                if !name.ends_with("指标") || names_the_whole(self.words(), &name, raw_name) =>
            {
                draft.concept = Concept::TotalScore
            }
            Concept::Weight => {
                draft.concept = Concept::Weight;
                if name.is_empty() {
                    draft.subject = st.indicator.clone().unwrap_or_default();
                } else {
                    draft.subject = name.clone();
                    st.indicator = Some(name);
                }
            }
            _ => return self.score_by_name(draft, name, raw_name, st),
        }
        Some(draft)
    }

    /// Points in brackets right after a name: the indicator's weight ("项目实施程序(15分)"),
    /// when the bracket closes right after them; else no fact.
    fn bracketed_weight(
        &self,
        mut draft: Draft,
        name: &str,
        after: &str,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        if !after.trim_start().starts_with(')') {
            return None;
        }
        let name = indicator_name(self.words(), name);
        draft.concept = Concept::Weight;
        draft.subject = name.clone();
        if !name.is_empty() {
            st.indicator = Some(name);
        }
        Some(draft)
    }

    /// Points after a score word: the report's total when the words name the evaluated object
    /// or a year ("本项目自评得分92分", "上年自评得分88分"), else the named indicator's score
    /// ("产出指标得分45分"), or, with no name, the indicator the sentence is about.
    fn score_by_name(
        &self,
        mut draft: Draft,
        name: String,
        raw_name: &str,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        let w = self.words();
        let names_total = |raw: &str| w.score_total_word.iter().any(|t| raw.contains(t.as_str()));
        if names_a_year(&name) {
            // "上年自评得分88分，本年自评得分91分": a year's total, not an indicator's.
            draft.concept = Concept::TotalScore;
            draft.period = self.period(raw_name);
        } else if !name.is_empty() && names_the_whole(w, &name, raw_name) {
            draft.concept = Concept::TotalScore;
        } else if name.is_empty() {
            // "决策指标得分18分，过程指标得分19分，自评得分90分": once the indicator has
            // its score, a total word names the report's.
            let scored = st.indicator.is_some() && st.indicator == st.scored_indicator;
            if scored && names_total(raw_name) {
                draft.concept = Concept::TotalScore;
            } else if let Some(ind) = &st.indicator {
                draft.concept = Concept::Score;
                draft.subject = ind.clone();
            } else if names_total(raw_name) {
                draft.concept = Concept::TotalScore;
            } else {
                return None;
            }
        } else {
            draft.concept = Concept::Score;
            draft.subject = name.clone();
            st.scored_indicator = Some(name.clone());
            // A first-level indicator after another one's parts is its sibling: the
            // 其中 list has ended ("…时效指标得分10分；效益指标得分28分").
            // Named right after 其中, it is a part all the same ("效益指标得分19分，其中
            // 满意度指标得分9分": 满意度 is under 效益 in the department template).
            if !st.of_which_here
                && st
                    .parent_indicator
                    .as_ref()
                    .is_some_and(|p| is_first_level(w, p) && is_first_level(w, &name))
            {
                st.parent_indicator = None;
            }
            if st.parent_indicator.as_ref().is_some_and(|p| *p != name) {
                draft.part_of = st.parent_indicator.clone();
            }
            st.indicator = Some(name);
        }
        Some(draft)
    }

    pub(super) fn points_term(&self, prefix: &str) -> Option<(&'a vocab::Term, usize)> {
        self.nearest_term(prefix, vocab::Terms::Points)
    }
}

impl<'a> Reader<'a> {
    /// Points: what a 分别 list assigned them, else what `classify_points` reads; records
    /// whether they were a note in brackets, which the next points figure reads.
    pub(super) fn points(
        &self,
        mut draft: Draft,
        prefix: &str,
        after: &str,
        assigned: Option<Assigned>,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        let d = match assigned {
            // "决策、过程…指标分别得18分、19分…"
            Some((Some(concept @ (Concept::Score | Concept::Weight)), _, Some(name))) => {
                draft.concept = concept;
                draft.subject = name;
                draft.part_of = None;
                Some(draft)
            }
            _ => self.classify_points(draft, prefix, after, st),
        };
        let concept = d.as_ref().map(|d| d.concept);
        // A bracketed figure is a note on the one before it ("18分（满分20分）").
        let bracketed = prefix.rfind('(') > prefix.rfind(')');
        if bracketed {
            st.bracketed_points = concept;
        } else {
            st.outer_points = concept;
        }
        st.after_bracketed_weight = bracketed && concept == Some(Concept::Weight);
        d
    }
}
