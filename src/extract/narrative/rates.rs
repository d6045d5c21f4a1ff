use super::changes::change_word_at_end;
use super::walk::SentenceState;
use super::{Draft, Reader};
use crate::fact::Concept;
use regex::Regex;
use std::sync::OnceLock;

/// The base a percentage is a rate of, from its phrasing; None if it is not a budget rate.
pub(super) fn rate_base(prefix: &str) -> Option<Concept> {
    static DONE: OnceLock<Regex> = OnceLock::new();
    static EXEC: OnceLock<Regex> = OnceLock::new();
    let done = DONE.get_or_init(|| {
        Regex::new(r"完成(?:了)?([^，,；;:]{0,16}?)(?:的|之)?\s*$").expect("valid regex")
    });
    let exec = EXEC.get_or_init(|| {
        Regex::new(r"(预算执行率|执行率|完成率)(?:为|是|达到|达|:|约)*\s*$").expect("valid regex")
    });
    if let Some(c) = done
        .captures(prefix)
        .filter(|c| !c.get(1).is_some_and(|m| m.as_str().starts_with('率')))
    {
        let what = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if what.contains("年初") {
            return Some(Concept::InitialBudget);
        }
        if what.contains("全年") || what.contains("调整后") {
            return Some(Concept::FullYearBudget);
        }
        if what.contains("预算") {
            return Some(Concept::Budget);
        }
        return None;
    }
    let c = exec.captures(prefix)?;
    // Another kind of execution: "政府采购执行率", "合同执行率", "计划执行率".
    let qualifier = &prefix[..c.get(0).map_or(0, |m| m.start())];
    let other = ["采购", "合同", "计划", "任务", "目标", "工程", "进度"];
    if other.iter().any(|w| qualifier.ends_with(w)) {
        return None;
    }
    match c.get(1).map(|m| m.as_str()) {
        // 完成率 alone is often a task's (任务完成率); only money words make it a budget rate.
        Some("完成率") => ["预算", "资金", "支出", "经费"]
            .iter()
            .any(|w| prefix.contains(w))
            .then_some(Concept::Budget),
        _ => Some(Concept::FullYearBudget),
    }
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
        if let Some(sign) = change_word_at_end(prefix) {
            draft.concept = Concept::ChangeRate;
            draft.negative = sign;
        } else {
            let base = rate_base(prefix)?;
            draft.concept = Concept::Rate;
            draft.base = Some(base);
            draft.period = self.period_in_sentence(prefix, st);
        }
        Some(draft)
    }
}
