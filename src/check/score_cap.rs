//! SP0106 score-over-weight: a score above its weight (or a total above full marks).

use super::Context;
use super::util::{finding, indicator_stem, iv, map_for, shown, slack, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::{Concept, Fact};
use crate::quantity::Interval;
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    code: "SP0106",
    name: "score-over-weight",
    severity: Severity::Error,
    summary: (
        "得分超过分值（满分）",
        "a score exceeds its weight (full marks)",
    ),
    doc: (
        "## SP0106 score-over-weight（得分超过分值）\n\n\
检查什么：同一指标写出了分值（“项目实施程序（15分）”“满分15分”“分值为15分”“权重15分”）\n\
和得分时，得分不能超过分值；自评总分不能超过满分（等级标准的上限，默认 100 分）。\n\n\
为什么：得分超过分值是评分表最常见的硬性错误之一，财政审核会直接退回。\n\n\
示例：\n\n    项目实施程序（15分）得分为16分。\n\n\
16 > 15 → 错误。\n",
        "## SP0106 score-over-weight\n\n\
What: when an indicator's weight is stated (\"项目实施程序（15分）\", \"满分15分\", \"分值为15分\", \
\"权重15分\") its score must not exceed it; the total score must not exceed full marks (the top of \
the grade bands, 100 by default).\n\n\
Why: a score above its weight is among the commonest hard errors of score sheets.\n\n\
Example: \"项目实施程序（15分）得分为16分\": 16 > 15 → error.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // The first weight stated of each named indicator, by its name without a trailing 指标:
    // one map, not a search per score.
    let mut weights: HashMap<&str, &Fact> = map_for(ctx.facts.len());
    for w in ctx
        .facts
        .iter()
        .filter(|f| f.concept == Concept::Weight && !f.subject.is_empty())
    {
        weights.entry(indicator_stem(&w.subject)).or_insert(w);
    }
    for score in ctx
        .facts
        .iter()
        .filter(|f| f.concept == Concept::Score && !f.subject.is_empty())
    {
        let Some(&weight) = weights.get(indicator_stem(&score.subject)) else {
            continue;
        };
        if iv(score).can_be_at_most(iv(weight).widen(slack(ctx.settings, weight))) {
            continue;
        }
        let f = finding(
            &RULE,
            score,
            Text::new(
                format!(
                    "{} 得分 {} 超过分值 {}",
                    score.subject,
                    shown(score),
                    shown(weight)
                ),
                format!(
                    "{}: score {} exceeds its weight {}",
                    score.subject,
                    shown(score),
                    shown(weight)
                ),
            ),
        )
        .expected_found(format!("≤ {}", shown(weight)), shown(score));
        out.push(with(
            with(f, score, "得分", "score"),
            weight,
            "分值",
            "weight",
        ));
    }
    let Some(top) = ctx.settings.grades.band.iter().map(|b| b.max).max() else {
        return;
    };
    for total in ctx
        .facts
        .iter()
        .filter(|f| f.concept == Concept::TotalScore)
    {
        // Full marks are widened by the score tolerance too, like any score compared.
        let cap = Interval::point(top).widen(ctx.settings.tolerance.score);
        if iv(total).can_be_at_most(cap) {
            continue;
        }
        let f = finding(
            &RULE,
            total,
            Text::new(
                format!("自评总分 {} 超过满分 {top}分", shown(total)),
                format!("total score {} exceeds full marks {top}", shown(total)),
            ),
        )
        .expected_found(format!("≤ {top}分"), shown(total));
        out.push(with(f, total, "总分", "total"));
    }
}
