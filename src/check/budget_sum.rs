//! SP0101 budget-sum: 年初预算 + 预算调整 = 全年预算.

use super::Context;
use super::util::{amount, finding, iv, named, places, slack, val, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::{Concept, Fact};
use crate::relation::adjustments_of;

pub static RULE: Rule = Rule {
    code: "SP0101",
    name: "budget-sum",
    severity: Severity::Error,
    summary: (
        "年初预算 + 预算调整 ≠ 全年预算",
        "initial budget + adjustment ≠ full-year budget",
    ),
    doc: (
        "## SP0101 budget-sum（预算调整不平衡）\n\n\
检查什么：同一主体、同一年度的 年初预算 + 预算调整（追加为正、调减为负）是否等于 全年预算（调整后预算）。\n\
文中只写了年初预算、预算调整和决算而没有写全年预算时，按“年初 + 调整”推算全年预算，\n\
决算超过推算数时给出警告，并在消息中说明这是推算。\n\n\
为什么：全年预算 = 年初预算批复数 + 预算调增数 − 预算调减数，是预决算的基本平衡关系；\n\
不平衡说明至少有一个数字抄错。\n\n\
怎么算：每个数字按其书写精度视为区间（884.49 表示 [884.485, 884.495]），只有任何取值都无法\n\
使等式成立时才报错。\n\n\
示例：\n\n    年初预算为775.83万元，预算调整数为108.66万元，全年预算为894.49万元。\n\n\
775.83 + 108.66 = 884.49 ≠ 894.49，差额 10.00万元 → 错误。\n",
        "## SP0101 budget-sum\n\n\
What: for one subject and year, initial budget + adjustments (additions positive, cuts negative) \
must equal the full-year (adjusted) budget. When the text states the initial budget, the adjustment \
and the actual spending but no full-year budget, the full-year budget is implied as initial + \
adjustment, and actual spending above it is a warning whose message says the budget was implied.\n\n\
Why: full-year budget = approved initial budget + increases − cuts is the basic balance of budget \
accounts; a mismatch means a figure was mistyped.\n\n\
How: each figure is the interval of values that round to it; only when no values in the intervals \
satisfy the equation is it an error.\n\n\
Example: initial 775.83, adjustment 108.66, full-year 894.49: 775.83 + 108.66 = 884.49 ≠ 894.49 → error.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<(&str, crate::fact::Period)> = Vec::new();
    for initial in ctx
        .facts
        .iter()
        .filter(|f| f.concept == Concept::InitialBudget)
    {
        let key = (initial.subject.as_str(), initial.period);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let same = |f: &&Fact| f.subject == initial.subject && f.period == initial.period;
        let adjustments = adjustments_of(
            ctx.facts
                .iter()
                .filter(same)
                .filter(|f| f.concept == Concept::Adjustment),
        );
        if adjustments.is_empty() {
            continue;
        }
        let implied = adjustments
            .iter()
            .fold(iv(initial), |acc, a| acc.plus(iv(a)));
        let implied_point = adjustments.iter().fold(val(initial), |acc, a| acc + val(a));
        let mut inputs: Vec<&Fact> = vec![initial];
        inputs.extend(adjustments.iter().copied());
        let unit = initial.quantity.unit;
        let full = ctx
            .facts
            .iter()
            .filter(same)
            .find(|f| f.concept == Concept::FullYearBudget);
        let sum_text = sum_words(initial, &adjustments);
        if let Some(full) = full {
            if implied.intersects(iv(full).widen(slack(ctx.settings, full))) {
                continue;
            }
            inputs.push(full);
            let p = places(&inputs);
            let diff = val(full) - implied_point;
            let (fz, fe) = named(full);
            let f = finding(
                &RULE,
                full,
                Text::new(
                    format!(
                        "{} ≠ {}（{}），差额 {}",
                        fz,
                        sum_text.0,
                        amount(implied_point, p, unit),
                        amount(diff, p, unit)
                    ),
                    format!(
                        "{} ≠ {} ({}), difference {}",
                        fe,
                        sum_text.1,
                        amount(implied_point, p, unit),
                        amount(diff, p, unit)
                    ),
                ),
            )
            .expected_found(amount(implied_point, p, unit), super::util::shown(full));
            let mut f = with(f, full, "全年预算", "full-year budget");
            f = labels_for(f, initial, &adjustments);
            out.push(f);
        } else if let Some(actual) = ctx
            .facts
            .iter()
            .filter(same)
            .find(|f| f.concept == Concept::Actual)
        {
            if iv(actual).can_be_at_most(implied.widen(slack(ctx.settings, initial))) {
                continue;
            }
            inputs.push(actual);
            let p = places(&inputs);
            let over = val(actual) - implied_point;
            let (az, ae) = named(actual);
            let mut f = finding(
                &RULE,
                actual,
                Text::new(
                    format!(
                        "{} 超过 {}（{}），超出 {}；文中未写全年预算，此处按年初预算与预算调整之和推算",
                        az,
                        sum_text.0,
                        amount(implied_point, p, unit),
                        amount(over, p, unit)
                    ),
                    format!(
                        "{} exceeds {} ({}) by {}; the text states no full-year budget, so it is implied as initial budget plus adjustments",
                        ae,
                        sum_text.1,
                        amount(implied_point, p, unit),
                        amount(over, p, unit)
                    ),
                ),
            );
            f.severity = Severity::Warning;
            let mut f = with(f, actual, "决算（执行）数", "actual spending");
            f = labels_for(f, initial, &adjustments);
            out.push(f);
        }
    }
}

fn sum_words(initial: &Fact, adjustments: &[&Fact]) -> (String, String) {
    let mut zh = format!("年初预算 {}", super::util::shown(initial));
    let mut en = format!("initial budget {}", super::util::shown(initial));
    for a in adjustments {
        let q = a.quantity;
        // As written, where it was written (a cut's sign is in its word, not its digits).
        let abs = match a.at.place {
            crate::diagnostic::Place::Text { .. } => super::util::shown(a),
            _ => crate::quantity::Quantity::new(q.value.abs(), q.precision, q.unit).to_string(),
        };
        if q.value.is_sign_negative() {
            zh.push_str(&format!(" − 调减 {abs}"));
            en.push_str(&format!(" − cut {abs}"));
        } else {
            zh.push_str(&format!(" + 预算调整 {abs}"));
            en.push_str(&format!(" + adjustment {abs}"));
        }
    }
    (zh, en)
}

fn labels_for(mut f: Finding, initial: &Fact, adjustments: &[&Fact]) -> Finding {
    f = with(f, initial, "年初预算", "initial budget");
    for a in adjustments {
        f = with(f, a, "预算调整", "adjustment");
    }
    f
}
