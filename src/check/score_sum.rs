//! SP0105 score-sum: indicator scores against the stated total score.

use super::Context;
use super::util::{finding, indicator_key, iv, map_for, set_for, shown, slack, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::{Concept, Fact};
use crate::quantity::{Interval, format_fixed};
use foldhash::HashMap;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    code: "SP0105",
    name: "score-sum",
    severity: Severity::Error,
    summary: (
        "各项指标得分之和与自评总分不符",
        "indicator scores do not add up to the stated total score",
    ),
    doc: (
        "## SP0105 score-sum（指标得分合计与总分不符）\n\n\
检查什么：正文逐项写出的指标得分（“X得分为N分”）之和，是否等于文中写的自评分数\n\
（自评得分、综合得分、总分）。同一指标在同一部分重复陈述的得分只计一次（例如\n\
“效益指标得分为10分，完成情况较好，得分为10分”只算 10 分）。得分按所在的一级标题分组：\n\
一级标题下直接写的得分与其下各小标题中的得分，被视为同一总分的两种列举，分别核对。\n\
“其中”之后的得分是上一项的细分，标题行上写的得分（如“（一）履职效能（40分）得分36.35分”）\n\
是该部分的小计，其下各项不再重复计入总分；小计本身也与其下各项之和核对（列出 3 项以上时\n\
应相等，少于 3 项时不能超过小计）。少于 3 项的零散得分不构成列举，不核对。\n\n\
为什么：总分由各项得分相加而来；逐项得分加不回总分，说明总分或某项得分写错了，\n\
等级也可能随之判错。\n\n\
示例：\n\n    自评分数为88.35分，等级为良好。……产出指标得分为8分……（共 23 项，合计 78.35 分）\n\n\
78.35 ≠ 88.35，差额 −10.00 分 → 错误；并提示按 78.35 分应为“中”。\n",
        "## SP0105 score-sum\n\n\
What: the indicator scores the text lists (\"X得分为N分\") must add up to the stated total score \
(自评分数, 自评得分, 综合得分, 总分). An indicator whose score is stated twice in one part counts \
once (\"效益指标得分为10分，完成情况较好，得分为10分\" is 10, not 20). Scores are grouped by top-level \
section: those stated directly under the section heading and those under its sub-headings are two \
itemisations of the same total and are checked separately. Scores after 其中 break down the \
score before it, and a score on a heading line (\"（一）履职效能（40分）得分36.35分\") is that \
section's subtotal: neither is added again, and each is checked against its parts (equal when \
three or more are listed, never exceeded otherwise). Fewer than 3 scores is not an \
itemisation and is not checked.\n\n\
Why: the total is the sum of the scores; when they do not add back, the total or a score is wrong, \
and the grade may be wrong with it.\n\n\
Example: total 88.35, 23 listed scores summing to 78.35 → error (difference −10.00), noting that \
78.35 would be graded 中.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    check_subtotals(ctx, out);
    let Some(total) = ctx.facts.iter().find(|f| f.is_this_years_total()) else {
        return;
    };
    // The first-level scores of each section, in the order stated: one pass over the facts.
    let mut groups: BTreeMap<usize, Vec<&Fact>> = BTreeMap::new();
    for f in ctx
        .facts
        .iter()
        .filter(|f| f.concept == Concept::Score && f.part_of.is_none())
    {
        groups.entry(f.section).or_default().push(f);
    }
    for listed in groups.into_values() {
        let mut scores: Vec<&Fact> = Vec::new();
        let mut seen = set_for(listed.len());
        let mut repeated = 0;
        for f in listed {
            if seen.insert(indicator_key(&f.subject)) {
                scores.push(f);
            } else {
                repeated += 1;
            }
        }
        if scores.len() < 3 {
            continue;
        }
        let sum = scores
            .iter()
            .fold(Interval::point(Decimal::ZERO), |acc, f| acc.plus(iv(f)));
        if sum.intersects(iv(total).widen(slack(ctx.settings, total))) {
            continue;
        }
        let point: Decimal = scores.iter().map(|f| f.quantity.value).sum();
        let p = scores
            .iter()
            .map(|f| f.quantity.precision)
            .chain([total.quantity.precision])
            .max()
            .unwrap_or(2);
        let diff = point - total.quantity.value;
        let (rep_zh, rep_en) = if repeated > 0 {
            (
                format!("（重复陈述的 {repeated} 处得分只计一次）"),
                format!(" ({repeated} restated score(s) counted once)"),
            )
        } else {
            (String::new(), String::new())
        };
        let (grade_zh, grade_en) = grade_note(ctx, point);
        let f = finding(
            &RULE,
            total,
            Text::new(
                format!(
                    "自评总分 {} 与正文所列 {} 项指标得分之和 {}分 不符，差额 {}分{}{}",
                    shown(total),
                    scores.len(),
                    format_fixed(point, p),
                    format_fixed(-diff, p),
                    rep_zh,
                    grade_zh
                ),
                format!(
                    "stated total score {} differs from the sum of the {} indicator scores listed, {}分: difference {}分{}{}",
                    shown(total),
                    scores.len(),
                    format_fixed(point, p),
                    format_fixed(-diff, p),
                    rep_en,
                    grade_en
                ),
            ),
        )
        .expected_found(format!("{}分", format_fixed(point, p)), shown(total));
        let mut f = with(f, total, "所写总分", "stated total");
        for s in &scores {
            f = with(
                f,
                s,
                format!("{} {}", s.subject, shown(s)),
                format!("{} {}", s.subject, shown(s)),
            );
        }
        out.push(f);
    }
}

/// A section's stated score (on its heading, or an indicator before 其中) against the scores
/// of its parts: equal when three or more parts are listed, never exceeded when fewer.
fn check_subtotals(ctx: &Context, out: &mut Vec<Finding>) {
    // Each parent's parts, once each, in the order stated: one pass over the facts.
    let mut parts_of: HashMap<(bool, &str), Vec<&Fact>> = map_for(ctx.facts.len());
    let mut part_seen = set_for(ctx.facts.len());
    for f in ctx.facts.iter().filter(|f| f.concept == Concept::Score) {
        if let Some(p) = f.part_of.as_deref()
            && part_seen.insert((indicator_key(p), indicator_key(&f.subject)))
        {
            parts_of.entry(indicator_key(p)).or_default().push(f);
        }
    }
    let mut seen = set_for(ctx.facts.len());
    for parent in ctx.facts.iter().filter(|f| f.concept == Concept::Score) {
        if !seen.insert(indicator_key(&parent.subject)) {
            continue;
        }
        let parts: &[&Fact] = parts_of
            .get(&indicator_key(&parent.subject))
            .map_or(&[], Vec::as_slice);
        if parts.is_empty() {
            continue;
        }
        let complete = parts.len() >= 3;
        let sum = parts
            .iter()
            .fold(Interval::point(Decimal::ZERO), |acc, f| acc.plus(iv(f)));
        let parent_iv = iv(parent).widen(slack(ctx.settings, parent));
        let broken = if complete {
            !sum.intersects(parent_iv)
        } else {
            !sum.can_be_at_most(parent_iv)
        };
        if !broken {
            continue;
        }
        let point: Decimal = parts.iter().map(|f| f.quantity.value).sum();
        let p = parts
            .iter()
            .chain([&parent])
            .map(|f| f.quantity.precision)
            .max()
            .unwrap_or(2);
        let (how_zh, how_en) = if complete {
            ("之和", "add up to")
        } else {
            ("之和已超过小计", "already exceed the subtotal:")
        };
        let f = finding(
            &RULE,
            parent,
            Text::new(
                format!(
                    "{} 得分 {} 与其下 {} 项得分{} {}分 不符，差额 {}分",
                    parent.subject,
                    shown(parent),
                    parts.len(),
                    how_zh,
                    format_fixed(point, p),
                    format_fixed(point - parent.quantity.value, p)
                ),
                format!(
                    "{} scores {} but its {} part(s) {} {}分, difference {}分",
                    parent.subject,
                    shown(parent),
                    parts.len(),
                    how_en,
                    format_fixed(point, p),
                    format_fixed(point - parent.quantity.value, p)
                ),
            ),
        )
        .expected_found(format!("{}分", format_fixed(point, p)), shown(parent));
        let mut f = with(f, parent, "小计", "subtotal");
        for s in parts {
            f = with(
                f,
                s,
                format!("{} {}", s.subject, shown(s)),
                format!("{} {}", s.subject, shown(s)),
            );
        }
        out.push(f);
    }
}

/// "；按得分合计 78.35 分，等级应为“中”": when the sum would fall in another grade than stated.
fn grade_note(ctx: &Context, sum: Decimal) -> (String, String) {
    let bands = &ctx.settings.grades;
    let Some(stated) = ctx.facts.iter().find(|f| f.concept == Concept::Grade) else {
        return (String::new(), String::new());
    };
    let word = stated.word.as_deref().unwrap_or_default();
    match (bands.band_of(sum), bands.band_named(word)) {
        (Some(by_sum), Some(named)) if by_sum.grade != named.grade => (
            format!("；按得分合计计算，等级应为“{}”而非“{}”", by_sum.grade, word),
            format!(
                "; by the sum the grade would be \"{}\", not \"{}\"",
                by_sum.grade, word
            ),
        ),
        _ => (String::new(), String::new()),
    }
}
