//! Amounts and their concepts.
//!
//! "年初预算为775.83万元，年中追加108.66万元，决算数为884.49万元": each amount takes the concept
//! term that ends nearest before it in its clause, with only connecting words between (为, 共计 …
//! the `connector` slot): initial budget, adjustment, actual spending. Income ("收入决算") is not
//! read; an amount after a change word ("比上年减少0.59万元") is a change.

use super::super::vocab::{self, Vocabulary};
use super::changes::{change_word_at_end, is_no_change, names_the_prior};
use super::cut::{clean_subject_text, follows_subject, is_connector, names_income};
use super::subjects::{is_project_like, strip_generic};
use super::{Assigned, Draft, Reader, SentenceState};
use crate::fact::Concept;
use crate::fact::Period;
use crate::quantity::Unit;

/// Whether a figure in this unit can be read as a fact: amounts, rates and points can; counts
/// and bare numbers (indicator values, "10.26") cannot. `classify` reads no other, and
/// `Reader::read` skips sentences that hold no other.
pub(super) fn may_be_a_fact(unit: Unit) -> bool {
    unit.is_money() || matches!(unit, Unit::Percent | Unit::Points)
}

impl<'a> Reader<'a> {
    /// The money concept term ending nearest before a figure, if only connecting words follow
    /// it. Returns the term and its start in `prefix`.
    pub(super) fn money_term(&self, prefix: &str) -> Option<(&'a vocab::Term, usize)> {
        self.nearest_term(prefix, vocab::Terms::Money)
    }

    pub(super) fn nearest_term(
        &self,
        prefix: &str,
        kind: vocab::Terms,
    ) -> Option<(&'a vocab::Term, usize)> {
        let vocab: &'a Vocabulary = self.vocab;
        let (term, pos) = vocab.last_term(prefix, kind)?;
        let gap = &prefix[pos + term.text.len()..];
        is_connector(self.words(), gap).then_some((term, pos))
    }
}

impl<'a> Reader<'a> {
    /// An amount: a change when a change word ends its words ("比上年减少0.59万元"), else what
    /// a 分别 list assigned it, else the concept term nearest before it ("年初预算为775.83万
    /// 元"), else, for a subject named right before it, the sentence's last concept.
    pub(super) fn amount(
        &self,
        mut draft: Draft,
        prefix: &str,
        assigned: Option<Assigned>,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        if self.read_as_change(&mut draft, Concept::Change, prefix, st) {
            return Some(draft);
        }
        // "无增减" is a change or nothing.
        if is_no_change(self.text, &draft.figure) {
            return None;
        }
        if let Some((concept, negative, subject)) = assigned {
            draft.concept = concept.or(st.money_concept)?;
            draft.negative = negative;
            if let Some(s) = subject {
                draft.subject = s;
            }
        } else if let Some((term, term_start)) = self.money_term(prefix) {
            // Income is not read: "收入决算500万元" is no spending.
            if names_income(self.words(), &prefix[..term_start]) {
                return None;
            }
            draft.concept = term.concept;
            draft.negative = term.negative;
            // A part of a stated whole is of the whole's kind when its own concept word
            // only names the part: "全年预算500万元，其中基本支出300万元" (支出 is in
            // 基本支出's name), "…，其中基本支出预算300万元" (a plain 预算).
            if draft.part_of.is_some()
                && let Some(whole) = st.money_concept
                && (self.names_the_part(prefix, term_start, term.text.len())
                    || (term.concept == Concept::Budget && whole.is_budget()))
            {
                draft.concept = whole;
            }
            draft.period = self.period_in_sentence(&prefix[..term_start], st);
        } else if names_the_prior(self.words(), prefix) {
            // "比上年10万元减少2万元": last year's figure of what the sentence is about.
            draft.concept = st.money_concept?;
            draft.period = Period::Previous;
        } else {
            return self.unworded_amount(draft, prefix, st);
        }
        Some(draft)
    }

    /// An amount with no concept word right before it: a subject named right before it takes
    /// the sentence's last concept ("人员经费250万元和公用经费40万元"), or, in a sentence with
    /// none, the concept word before the subject's name, else no stated kind
    /// (`Concept::Amount`); after 其中 a fund or project named is a part.
    fn unworded_amount(
        &self,
        mut draft: Draft,
        prefix: &str,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        // A new subject with no concept word of its own takes the sentence's last
        // concept, but only when the subject is named right before the figure.
        let named = clean_subject_text(prefix);
        let Some(concept) = st.money_concept else {
            // "“三公”经费41万元，较上年减少19万元": with no concept in the sentence, a known
            // subject's amount is of no stated kind (`Concept::Amount`).
            let (start, end, _) = self.vocab.find_subject(&named)?;
            if !follows_subject(self.words(), &named[start..end], &named[end..]) {
                return None;
            }
            // "部门决算公开“三公”经费合计31.23万元": a concept word before the subject's
            // name is the amount's.
            let before = &named[..start];
            if let Some((term, at)) = self.vocab.last_term(before, vocab::Terms::Money)
                && !names_income(self.words(), &before[..at])
                && change_word_at_end(self.words(), &before[..at + term.text.len()], before, false)
                    .is_none()
            {
                draft.concept = term.concept;
                draft.negative = term.negative;
                draft.period = self.period_in_sentence(before, st);
                return Some(draft);
            }
            draft.concept = Concept::Amount;
            draft.period = self.period_in_sentence(prefix, st);
            return Some(draft);
        };
        if let Some((start, end, _)) = self.vocab.find_subject(&named) {
            if !follows_subject(self.words(), &named[start..end], &named[end..]) {
                return None;
            }
        } else {
            // After 其中, a named fund or project is a part: "其中：中央补助资金800万元".
            let name = strip_generic(self.words(), named.trim_start_matches("其中"));
            if st.part_of.is_none() || !is_project_like(self.words(), name) {
                return None;
            }
            draft.subject = name.to_string();
            draft.part_of = st.part_of.clone();
        }
        draft.concept = concept;
        // "2021年的三公经费决算数合计为807.95万，其中：公务接待费39.43万元": a part is of
        // the year its sentence named.
        draft.period = self.period_in_sentence(prefix, st);
        Some(draft)
    }
}
