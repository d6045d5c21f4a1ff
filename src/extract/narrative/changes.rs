//! Changes against an earlier figure.
//!
//! "比上年减少0.59万元，下降43.70%": a change word at the end of the words before a figure
//! (减少, 下降 … with a comparison word such as 比 or 较, which 增长 and 下降 do without) makes
//! an amount a change and a percentage a rate of change, negative for a decrease.

use super::cut::names_income;
use super::{Draft, Reader, SentenceState};
use crate::extract::numbers::Figure;
use crate::extract::vocab::ends_with_word;
use crate::extract::vocab::{self, Words};
use crate::fact::{Changed, Concept, Period};
use crate::quantity::Unit;
use rust_decimal::Decimal;
/// "比上年增加" → Some(false), "较上年减少" → Some(true) (negative); None if the prefix does
/// not end with a change word. The comparison word may stand earlier in the clause (`head`,
/// the clause up to the figure): "比上年10万元减少2万元", or in an earlier change of the sentence
/// (`compared_before`): "…比2016年度减少0.28万元，其中：公务接待费支出决算增加0.01万元".
pub(super) fn change_word_at_end(
    w: &Words,
    prefix: &str,
    head: &str,
    compared_before: bool,
) -> Option<bool> {
    let p = prefix.trim_end();
    let p = p.strip_suffix('了').unwrap_or(p);
    let p = p.strip_suffix('约').unwrap_or(p);
    let ends = |words: &[String]| words.iter().any(|w| ends_with_word(p, w));
    // Whether the prefix compares with something: asked only of prefixes ending in a change
    // word, since most end otherwise.
    let compared =
        || compared_before || w.change_compared.iter().any(|c| head.contains(c.as_str()));
    if ends(&w.change_up) && (p.ends_with("增长") || compared()) {
        return Some(false);
    }
    if ends(&w.change_down) && (p.ends_with("下降") || compared()) {
        return Some(true);
    }
    None
}

/// Words that state a change of nothing: "与2021年度预算相比无增减".
const NO_CHANGE: [&str; 6] = [
    "无增减",
    "无变化",
    "没有变化",
    "未发生变化",
    "无增长",
    "持平",
];

/// The changes of nothing stated in `text[range]`, as figures of 0 万元:
/// "与上年相比无变化" is a change like "减少0万元". 持平 after 基本 or 大致 is only roughly so.
pub(super) fn no_change_figures(text: &str, range: std::ops::Range<usize>) -> Vec<Figure> {
    let Some(within) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for word in NO_CHANGE {
        for (at, _) in within.match_indices(word) {
            let before = &within[..at];
            if ["基本", "大致", "大体", "略有", "总体"]
                .iter()
                .any(|w| before.ends_with(w))
            {
                continue;
            }
            out.push(Figure {
                start: range.start + at,
                end: range.start + at + word.len(),
                value: Decimal::ZERO,
                // As precise as the text's amounts usually are (`settle::finish`).
                decimals: 0,
                unit: Unit::Wan,
            });
        }
    }
    out.sort_by_key(|f| f.start);
    out
}

/// Whether a figure is a change of nothing in words (`no_change_figures`).
pub(super) fn is_no_change(text: &str, f: &Figure) -> bool {
    text.get(f.start..f.end)
        .is_some_and(|t| NO_CHANGE.contains(&t))
}

/// Whether the words before a figure end with a change word (减少, 增长 …), whatever they
/// compare with: what `change_word_at_end` asks first.
fn ends_with_change_word(w: &Words, prefix: &str) -> bool {
    let p = prefix.trim_end();
    let p = p.strip_suffix('了').unwrap_or(p);
    let p = p.strip_suffix('约').unwrap_or(p);
    w.change_up
        .iter()
        .chain(&w.change_down)
        .any(|word| ends_with_word(p, word))
}

/// What a change compares with when its clause names a budget after the comparison word
/// ("较年初预算数减少4万元" → the initial budget, "与2021年度预算相比，减少0.1万元" → a budget);
/// None when it compares with last year's figure, as most do, last year's budget included
/// ("比2015年预算增加2.5万元" in a 2016 report). `period` names the period words name.
pub(super) fn compared_budget(
    w: &Words,
    head: &str,
    period: impl Fn(&str) -> Option<Period>,
) -> Option<Concept> {
    let from = w
        .change_compared
        .iter()
        .filter_map(|c| head.rfind(c.as_str()))
        .min()?;
    let mut compared = &head[from..];
    // "与2021年度预算相比": what is compared with stands between 与 (同, 和, 跟) and 相比.
    if let Some((_, what)) = compared_with(head) {
        compared = &head[what];
    }
    if period(compared) == Some(Period::Previous) {
        return None;
    }
    if w.rate_base_initial
        .iter()
        .any(|i| compared.contains(&format!("{i}预算")))
    {
        Some(Concept::InitialBudget)
    } else if compared.contains("预算") {
        Some(Concept::Budget)
    } else {
        None
    }
}

/// The words that end "与…相比" (同…比较, 和…对比), a longer one before the one it starts with.
const COMPARED_ENDS: [&str; 5] = ["相比较", "相比", "相较", "比较", "对比"];
/// The words that open it.
const COMPARED_OPENS: [&str; 4] = ["与", "同", "和", "跟"];

/// The last opening word of "与…相比" in `before`: its byte range.
fn last_opening(before: &str) -> Option<(usize, usize)> {
    COMPARED_OPENS
        .iter()
        .filter_map(|w| before.rfind(w).map(|i| (i, i + w.len())))
        .max()
}

/// Where "与…相比" stands in a head: the start of its opening word, and the byte range of what
/// it names to compare with (between the two words).
fn compared_with(head: &str) -> Option<(usize, std::ops::Range<usize>)> {
    COMPARED_ENDS.iter().find_map(|word| {
        let at = head.rfind(word)?;
        let (open, with) = last_opening(&head[..at])?;
        Some((open, with..at))
    })
}

/// Whether a clause without figures names what the next clauses compare with: "与2021年度预算
/// 相比，", "同上年比较，"; not "经比较，", which names nothing.
pub(super) fn names_comparison(clause: &str) -> bool {
    let c = clause.trim_end_matches(|ch: char| {
        ch.is_whitespace() || matches!(ch, '，' | ',' | '：' | ':' | '、')
    });
    COMPARED_ENDS
        .iter()
        .find(|w| c.ends_with(*w))
        .is_some_and(|word| last_opening(&c[..c.len() - word.len()]).is_some())
}

/// Whether the words before an amount name it as the figure a change compares with, last
/// year's: "比上年10万元减少2万元", "较上年同期" (the `prior_lead` slot).
pub(super) fn names_the_prior(w: &Words, prefix: &str) -> bool {
    let p = prefix.trim_end();
    w.prior_lead.iter().any(|l| ends_with_word(p, l))
}

impl Reader<'_> {
    /// Makes the draft a change (`Concept::Change` for an amount, `ChangeRate` for a percentage)
    /// when a change word ends the words before it, with its sign and what it compares with;
    /// whether it did.
    pub(super) fn read_as_change(
        &self,
        draft: &mut Draft,
        concept: Concept,
        prefix: &str,
        st: &mut SentenceState,
    ) -> bool {
        let no_change = is_no_change(self.text, &draft.figure);
        // Most figures are no change: said by the words right before them alone.
        if !no_change && !ends_with_change_word(self.words(), prefix) {
            return false;
        }
        // A clause with no comparison word of its own compares with what an earlier clause of
        // the sentence named ("与2021年度预算相比，减少0.1万元").
        let own = st.clause_start.min(draft.figure.start);
        let from = match st.comparison_start {
            Some(at)
                if !self
                    .words()
                    .change_compared
                    .iter()
                    .any(|c| self.text[own..draft.figure.start].contains(c.as_str())) =>
            {
                at.min(own)
            }
            _ => own,
        };
        let head = &self.text[from..draft.figure.start];
        let sign = if no_change {
            // "与上年相比无变化": a change only where something is compared with.
            let compared = st.compared
                || self
                    .words()
                    .change_compared
                    .iter()
                    .any(|c| head.contains(c.as_str()));
            (compared && st.last_amount_read == Some(true)).then_some(false)
        } else {
            change_word_at_end(self.words(), prefix, head, st.compared)
        };
        let Some(sign) = sign else {
            return false;
        };
        st.compared = true;
        draft.concept = concept;
        draft.negative = sign;
        draft.base = compared_budget(self.words(), head, |t| self.named_period(t));
        // The year is the one named before the comparison word ("2022年度预算较2021年度增加"
        // is of 2022), else the sentence's so far.
        let from = self
            .words()
            .change_compared
            .iter()
            .filter_map(|c| head.find(c.as_str()))
            .min()
            // "与上年相比": 上年 is what is compared with, not the changed figure's year.
            .map(|at| compared_with(head).map_or(at, |(open, _)| open.min(at)));
        let named = from.and_then(|from| self.named_period(&head[..from]));
        if let Some(p) = named {
            st.period = Some(p);
        }
        draft.period = named.or(st.period).unwrap_or(Period::Current);
        draft.changed = Some(Changed {
            kind: from.and_then(|from| self.changed_kind(&head[..from])),
            year_named: st.period.is_some(),
        });
        true
    }

    /// The kind of figure a change is of, when a money concept word ends the words before the
    /// comparison word in its clause: "决算数相较于上年增加" → Actual.
    fn changed_kind(&self, before: &str) -> Option<Concept> {
        let (term, at) = self.vocab.last_term(before, vocab::Terms::Money)?;
        // Only a few chars may stand between: "决算数相较于", "预算与上年相比".
        let near = before[at + term.text.len()..].chars().count() <= 2;
        (near && !names_income(self.words(), &before[..at])).then_some(term.concept)
    }
}
