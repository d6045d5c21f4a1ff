//! SP0109 change-mismatch: "增加X万元，增长Y%" against the figures it compares.

use super::Context;
use super::util::{amount, finding, iv, map_for, named, shown, slack, val, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::{Concept, Fact, Period};
use crate::quantity::format_fixed;
use foldhash::HashMap;
use rust_decimal::Decimal;

pub static RULE: Rule = Rule {
    code: "SP0109",
    name: "change-mismatch",
    severity: Severity::Error,
    summary: (
        "增减额或增减幅度与所比较的两个数字不符",
        "a stated change does not match the figures it compares",
    ),
    doc: (
        "## SP0109 change-mismatch（增减额、增减幅度不符）\n\n\
检查什么：“比上年增加（减少）X万元，增长（下降）Y%”一类表述。与它比较的本年数和上年数\n\
都写出时，核对 X = 本年 − 上年、Y = X ÷ 上年；只写出本年数时，用 上年 = 本年 − X 核对 Y。\n\
本年数取同一句中在增减表述之前最近的金额；句中没有时，取前文为同一主体写出的该年数字——\n\
增减表述须写明年份或口径（“2023年度“三公”经费决算数较上年增加…”），前文同类数字须一致，\n\
否则不核对。句中前一处增减写了比较对象（比2016年度），其后的增减沿用它。\n\n\
为什么：增减额和增幅是决算分析的常用表述，手工计算时最容易出错。\n\n\
示例：\n\n    2024年决算数为110万元，上年决算数为100万元，比上年增加12万元，增长12%。\n\n\
110 − 100 = 10 ≠ 12 → 错误。\n",
        "## SP0109 change-mismatch\n\n\
What: phrases like \"比上年增加X万元，增长Y%\". When both the current and the previous figure are \
stated, X must equal current − previous and Y must equal X ÷ previous; when only the current one \
is, the previous is taken as current − X to check Y. The current figure is the nearest amount \
before the change phrase in the same sentence; when there is none, the figure the same subject \
was given earlier for that year, provided the change names its year or kind \
(\"2023年度“三公”经费决算数较上年增加…\") and the earlier figures agree. A comparison named in a \
sentence's first change (比2016年度) carries to the changes after it.\n\n\
Why: changes and growth rates are computed by hand and often wrong.\n\n\
Example: current 110, previous 100, stated increase 12 (12%): 110 − 100 = 10 ≠ 12 → error.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // Each subject's figures by period, in the order stated: a change looks its figures up
    // here rather than scanning every fact.
    let mut figures: HashMap<(&str, Period), Vec<&Fact>> = map_for(ctx.facts.len());
    for f in ctx.facts {
        if f.quantity.unit.is_money() && !matches!(f.concept, Concept::Change | Concept::ChangeRate)
        {
            figures
                .entry((f.subject.as_str(), f.period))
                .or_default()
                .push(f);
        }
    }
    for (i, change) in ctx.facts.iter().enumerate() {
        if !matches!(change.concept, Concept::Change | Concept::ChangeRate) {
            continue;
        }
        let delta = (change.concept == Concept::ChangeRate)
            .then(|| {
                ctx.facts[..i]
                    .iter()
                    .rev()
                    .take_while(|f| f.sentence == change.sentence)
                    .find(|f| f.concept == Concept::Change && f.subject == change.subject)
            })
            .flatten();
        // A change against a budget ("较年初预算数减少4万元", and the rate after it) compares
        // with the subject's budget; any other with last year's figure.
        let against_budget = change.base.or_else(|| delta.and_then(|d| d.base));
        // The current figure: the nearest amount before it in the same sentence, of the same
        // subject (a change after a part's name the reader did not know is not the last
        // part's); else the one its subject was given before, in an earlier sentence.
        let same_sentence = ctx.facts[..i]
            .iter()
            .rev()
            .take_while(|f| f.sentence == change.sentence)
            .find(|f| {
                f.quantity.unit.is_money()
                    && f.subject == change.subject
                    && f.period == Period::Current
                    && !matches!(f.concept, Concept::Change | Concept::ChangeRate)
            });
        let Some(current) = same_sentence.or_else(|| {
            stated_before(
                stated_of(&figures, &change.subject, change.period),
                change,
                against_budget,
            )
        }) else {
            continue;
        };
        let previous = match against_budget {
            Some(Concept::InitialBudget) => stated_of(&figures, &current.subject, Period::Current)
                .iter()
                .find(|f| f.concept == Concept::InitialBudget),
            Some(_) => stated_of(&figures, &current.subject, Period::Current)
                .iter()
                .find(|f| f.concept.is_budget()),
            None => stated_of(&figures, &current.subject, Period::Previous)
                .iter()
                .find(|f| same_kind(f.concept, current.concept)),
        }
        .copied();
        let (prev_zh, prev_en) = if against_budget.is_some() {
            ("所比较的预算", "budget compared with")
        } else {
            ("上年", "previous")
        };
        let implied_en = if against_budget.is_some() {
            "the budget compared with"
        } else {
            "last year's"
        };
        match (change.concept, previous) {
            (Concept::Change, Some(prev)) => {
                let diff = iv(current).minus(iv(prev));
                if diff.intersects(iv(change).widen(slack(ctx.settings, change))) {
                    continue;
                }
                let p = super::util::places(&[current, prev, change]);
                let point = val(current) - val(prev);
                let (cz, ce) = named(current);
                let (pz, pe) = named(prev);
                let f = finding(
                    &RULE,
                    change,
                    Text::new(
                        format!(
                            "所写增减额 {} 与 {cz} − {pz} = {} 不符",
                            shown(change),
                            amount(point, p, current.quantity.unit)
                        ),
                        format!(
                            "stated change {} differs from {ce} − {pe} = {}",
                            shown(change),
                            amount(point, p, current.quantity.unit)
                        ),
                    ),
                )
                .expected_found(
                    directed(point, &amount(point.abs(), p, current.quantity.unit), false),
                    directed(val(change), &shown(change), false),
                );
                out.push(with(
                    with(
                        with(f, change, "增减额", "change"),
                        current,
                        "本年",
                        "current",
                    ),
                    prev,
                    prev_zh,
                    prev_en,
                ));
            }
            (Concept::ChangeRate, prev) => {
                let (prev_iv, prev_point, basis_zh, basis_en, extra): (
                    _,
                    Decimal,
                    String,
                    String,
                    Vec<&Fact>,
                ) = match (prev, delta) {
                    (Some(p), _) => (iv(p), val(p), named(p).0, named(p).1, vec![p]),
                    (None, Some(d)) => {
                        let prev = val(current) - val(d);
                        let p = super::util::places(&[current, d]);
                        let prev_shown = amount(prev, p, current.quantity.unit);
                        let (op, abs) = if val(d).is_sign_negative() {
                            ("+", shown(d).trim_start_matches('-').to_string())
                        } else {
                            ("−", shown(d))
                        };
                        (
                            iv(current).minus(iv(d)),
                            prev,
                            format!(
                                "{prev_zh} {prev_shown}（按 {} {op} {abs} 推算）",
                                shown(current)
                            ),
                            format!(
                                "{implied_en} {prev_shown} (implied as {} {op} {abs})",
                                shown(current)
                            ),
                            vec![d],
                        )
                    }
                    (None, None) => continue,
                };
                let num = iv(current).minus(prev_iv);
                let Some(ratio) = num
                    .divided_by(prev_iv)
                    .map(|r| r.scale(Decimal::ONE_HUNDRED))
                else {
                    continue;
                };
                // The ratio is in percent, like the stated rate: `percent` widens it.
                if ratio.intersects(iv(change).widen(slack(ctx.settings, change))) {
                    continue;
                }
                let Some(point) = (val(current) - prev_point).checked_div(prev_point) else {
                    continue;
                };
                let point = point * Decimal::ONE_HUNDRED;
                let shown_point = format_fixed(point, change.quantity.precision.max(2));
                let (cz, ce) = named(current);
                let f = finding(
                    &RULE,
                    change,
                    Text::new(
                        format!(
                            "所写增减幅度 {} 与按 {cz} 和 {basis_zh} 计算的 {shown_point}% 不符",
                            directed(val(change), &shown(change), true)
                        ),
                        format!(
                            "stated change rate {} differs from {shown_point}% computed from {ce} and {basis_en}",
                            shown(change)
                        ),
                    ),
                )
                .expected_found(
                    directed(point, &format!("{}%", format_fixed(point.abs(), change.quantity.precision.max(2))), true),
                    directed(val(change), &shown(change), true),
                );
                let mut f = with(
                    with(f, change, "增减幅度", "change rate"),
                    current,
                    "本年",
                    "current",
                );
                for e in extra {
                    f = if e.concept != Concept::Change {
                        with(f, e, prev_zh, prev_en)
                    } else {
                        with(f, e, "增减额", "change")
                    };
                }
                out.push(f);
            }
            _ => {}
        }
    }
}

/// Whether two figures are of one kind: the same concept, or spending and an amount of no
/// stated kind ("“三公”经费15.37万元" in a 决算 report).
fn same_kind(a: Concept, b: Concept) -> bool {
    a == b
        || matches!(
            (a, b),
            (Concept::Amount, Concept::Actual) | (Concept::Actual, Concept::Amount)
        )
}

/// A subject's money figures of one period, in the order stated.
fn stated_of<'m, 'k, 'f>(
    figures: &'m HashMap<(&'k str, Period), Vec<&'f Fact>>,
    subject: &'k str,
    period: Period,
) -> &'m [&'f Fact] {
    figures.get(&(subject, period)).map_or(&[], Vec::as_slice)
}

/// The figure a change stated on its own ("经比较，“三公”经费较上年减少15.29万元") is of: the
/// one its named subject was given in an earlier sentence for the change's year, of the kind
/// the change's words name (决算数较上年增加 → 决算数), never a budget when the change is
/// against a budget. When the words name no kind, the earlier figures must all agree, or
/// which one changed is unknown.
fn stated_before<'f>(
    candidates: &[&'f Fact],
    change: &Fact,
    against_budget: Option<Concept>,
) -> Option<&'f Fact> {
    // Its words must name its year or its kind: an undated "较上年增加" may follow a sentence
    // about next year's budget.
    let changed = change
        .changed
        .filter(|c| c.kind.is_some() || c.year_named)?;
    if change.subject.is_empty() {
        return None;
    }
    let kind = |f: &Fact| match changed.kind {
        Some(c) if c.is_budget() => f.concept.is_budget(),
        Some(c) => same_kind(f.concept, c),
        None => against_budget.is_none() || !f.concept.is_budget(),
    };
    let mut earlier = candidates
        .iter()
        .copied()
        .filter(|f| f.sentence < change.sentence && kind(f));
    let first = earlier.next()?;
    let mut last = first;
    for f in earlier {
        if f.quantity.value != first.quantity.value {
            return None;
        }
        last = f;
    }
    Some(last)
}

/// "下降11.71%" / "增加10.00万元": a change with its direction in words.
fn directed(value: Decimal, magnitude: &str, rate: bool) -> String {
    let word = match (value.is_sign_negative(), rate) {
        (true, true) => "下降",
        (false, true) => "增长",
        (true, false) => "减少",
        (false, false) => "增加",
    };
    format!("{word}{}", magnitude.trim_start_matches('-'))
}
