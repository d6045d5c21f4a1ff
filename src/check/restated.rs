//! SP0108 restated-figure: one figure stated twice with different values.

use super::Context;
use super::util::{comparable, finding, iv, map_for, named, slack, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::{Concept, Fact, Period};
use crate::quantity::Unit;
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    code: "SP0108",
    name: "restated-figure",
    severity: Severity::Warning,
    summary: (
        "同一数字前后两处写法不一致",
        "the same figure is stated twice with different values",
    ),
    doc: (
        "## SP0108 restated-figure（同一数字前后不一致）\n\n\
检查什么：同一主体、同一年度的同一概念（年初预算、全年预算、决算、执行率、某项指标得分、\n\
自评总分……）在文中写了两次以上，且数值在舍入误差范围外不同。预算调整（可以有多笔追加、\n\
调减）和没有指明指标的得分、分值不在此列。\n\n\
为什么：同一个数在报告不同位置不一致，至少有一处是错的；常见于修改了正文一处而忘了\n\
另一处。主体由文字推断（三公经费、某项目……），可能有误判，所以默认为警告。\n\n\
示例：\n\n    年初预算为775.83万元……（后文）年初预算数775.38万元。\n\n\
775.83 ≠ 775.38 → 警告，两处都会标出。\n",
        "## SP0108 restated-figure\n\n\
What: one concept (initial budget, full-year budget, actual spending, a rate, an indicator's score, \
the total score …) of one subject and year is stated more than once with values that differ beyond \
rounding.\n\n\
Why: the same figure differing in two places means one of them is wrong — typically one place was \
edited and the other forgotten. Subjects are inferred from the wording, so this is a warning by \
default.\n\n\
Example: initial budget 775.83 in one place and 775.38 later → warning, both places labelled.\n",
    ),
};

/// What makes two figures the same figure: concept, subject, year, base, and the unit unless
/// both are amounts (元 and 万元 compare).
type RestatedKey<'a> = (Concept, &'a str, Period, Option<Concept>, Option<Unit>);

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // Not restatable: grades (a word), changes, adjustments (several 追加/调减 are normal),
    // amounts of no stated kind (two of them may be of two kinds), and scores or weights that
    // name no indicator.
    let checked = |f: &&Fact| {
        let skipped = matches!(
            f.concept,
            Concept::Grade
                | Concept::Change
                | Concept::ChangeRate
                | Concept::Adjustment
                | Concept::Amount
                | Concept::Count
                | Concept::Listed
        );
        let unnamed = matches!(f.concept, Concept::Score | Concept::Weight) && f.subject.is_empty();
        !skipped && !unnamed
    };
    // Each figure is compared with the first one stated of its kind, subject, year and base:
    // one pass with a map, not a comparison of every pair.
    let mut first_of: HashMap<RestatedKey, &Fact> = map_for(ctx.facts.len());
    for later in ctx.facts.iter().filter(checked) {
        let key = (
            later.concept,
            later.subject.as_str(),
            later.period,
            later.base,
            // Amounts compare across 元 and 万元; other units only with their own.
            (!later.quantity.unit.is_money()).then_some(later.quantity.unit),
        );
        let first = *first_of.entry(key).or_insert(later);
        if std::ptr::eq(first, later)
            || !comparable(first, later)
            || iv(first).intersects(iv(later).widen(slack(ctx.settings, later)))
        {
            continue;
        }
        let (fz, fe) = named(first);
        let (lz, le) = named(later);
        let f = finding(
            &RULE,
            later,
            Text::new(
                format!("同一数字前后不一致：{lz}，前文为 {fz}"),
                format!("the same figure is stated differently: {le}, earlier {fe}"),
            ),
        )
        .expected_found(super::util::shown(first), super::util::shown(later));
        out.push(with(
            with(f, later, "此处", "here"),
            first,
            "前文",
            "earlier",
        ));
    }
}
