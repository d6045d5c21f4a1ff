//! SP0102 rate-mismatch and SP0103 rate-rounding: a stated rate against numerator / base.

use super::Context;
use super::util::{finding, named, shown, subject_en, val, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::Concept;
use crate::quantity::format_fixed;
use crate::relation::{Base, Computed, FactIndex, compute, looks_truncated, within_tolerance};
use rust_decimal::{Decimal, RoundingStrategy};

pub static MISMATCH: Rule = Rule {
    code: "SP0102",
    name: "rate-mismatch",
    severity: Severity::Error,
    summary: (
        "完成率（执行率）与 决算数 ÷ 预算数 不符",
        "a stated rate differs from actual ÷ its base",
    ),
    doc: (
        "## SP0102 rate-mismatch（完成率不符）\n\n\
检查什么：文中写出的完成率、执行率是否等于 决算（执行）数 ÷ 文中所说的基数。基数按措辞确定：\n\
“完成年初预算数的X%”→ 年初预算；“执行率”“完成全年预算的X%”→ 全年预算（未写全年预算时按\n\
年初预算 + 预算调整推算）；“完成预算数的X%”→ 全年预算，没有则年初预算。所说的基数文中\n\
没有写出时，改用同一主体已写出的预算数，并在消息中注明。其中列表之后的比率（“实际支出480万元，\n\
其中基本支出300万元，项目支出180万元，预算执行率96%”）按最后一个部分读取；对该部分不成立、\n\
对合计成立时，视为合计的比率（列表之后误随部分名称读取的金额，能与合计预算得出该比率时，\n\
一并归于合计）；比率前写明部分名称（“项目支出执行率96%”）的，仍按该部分核对。\n\n\
为什么：执行率 = 执行数 ÷ 预算数 × 100%，是绩效自评中最常被引用的数字，算错或抄错会\n\
直接影响“预算执行”指标的得分。\n\n\
怎么算：所有数字按书写精度视为区间；只有任何取值都无法得到所写比率时才报错。\n\n\
示例：\n\n    年初预算为775.83万元，决算数为884.49万元，完成年初预算数的104.00%。\n\n\
884.49 ÷ 775.83 = 114.01%，与 104.00% 不符 → 错误。\n",
        "## SP0102 rate-mismatch\n\n\
What: a stated completion or execution rate must equal actual spending ÷ the base the text names: \
\"完成年初预算数的X%\" → initial budget; 执行率 or \"完成全年预算的X%\" → full-year budget (implied as \
initial + adjustment when not stated); \"完成预算数的X%\" → full-year budget, else initial budget. \
When the named base is not stated for the subject, the budget that is stated is used and the \
message says so. A rate written after a 其中 list is read as the last part's; when it does not \
hold for that part but does for the whole, it is the whole's (and so is an amount after the list \
that took the part's name, when with the whole's budget it gives the rate); a rate whose words \
name the part (\"项目支出执行率96%\") stays the part's.\n\n\
Why: execution rate = spending ÷ budget is the most quoted figure of a self-evaluation and drives \
the score of the budget-execution indicator.\n\n\
How: all figures are intervals of the values that round to them; only when no values give the \
stated rate is it an error.\n\n\
Example: initial budget 775.83, actual 884.49, stated 104.00% of the initial budget: \
884.49 ÷ 775.83 = 114.01% → error.\n",
    ),
};

pub static ROUNDING: Rule = Rule {
    code: "SP0103",
    name: "rate-rounding",
    severity: Severity::Info,
    summary: (
        "比率只在舍入误差范围内成立（或像是截尾）",
        "a rate holds only within rounding of its inputs (or looks truncated)",
    ),
    doc: (
        "## SP0103 rate-rounding（比率仅在舍入范围内成立）\n\n\
检查什么：按文中数字计算的比率四舍五入后与所写比率不同，但考虑到各数字本身的舍入误差，\n\
所写比率仍然可能正确；或者所写比率是截尾而不是四舍五入的结果。\n\n\
为什么：这不是错误，但往往说明比率是用未舍入的原始数据算的，或计算时截尾了；\n\
值得顺手核对一下。\n\n\
示例：\n\n    年初预算为775.83万元，决算数为884.49万元，完成年初预算数的114.00%。\n\n\
884.49 ÷ 775.83 = 114.0056%，四舍五入为 114.01%；在两数的舍入区间内比率落在\n\
[114.0043%, 114.0070%]，与 114.00% 的区间 [113.995%, 114.005%] 相交 → 提示。\n",
        "## SP0103 rate-rounding\n\n\
What: the rate computed from the stated figures rounds to a different value than the one written, \
yet the written rate is still possible within the rounding of the inputs — or the written rate \
is the computed one truncated rather than rounded.\n\n\
Why: not an error, but a sign the rate was computed from unrounded data or truncated; worth a look.\n\n\
Example: 884.49 ÷ 775.83 = 114.0056%, which rounds to 114.01%; within the inputs' rounding the \
ratio lies in [114.0043%, 114.0070%], which touches 114.00% ± 0.005 → info.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let index = FactIndex::new(ctx.facts);
    for rate in ctx.facts.iter().filter(|f| f.concept == Concept::Rate) {
        let Some(Computed {
            actual,
            base,
            ratio,
            point,
        }) = compute(&index, rate)
        else {
            continue;
        };
        let stated = rate.quantity;
        let places = stated.precision;
        let rounded = point.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        let shown_point = format_fixed(point, places.max(2) + 2);
        let (base_zh, base_en) = base.words();
        let looks_truncated = looks_truncated(point, rate);
        let within_rounding = ratio.intersects(stated.interval());
        if !within_tolerance(ratio, &ctx.settings.tolerance, rate) && !looks_truncated {
            let f = finding(
                &MISMATCH,
                rate,
                Text::new(
                    format!(
                        "{}所写比率 {} 与 {} ÷ {} = {}% 不符{}",
                        rate.subject,
                        shown(rate),
                        named(actual).0,
                        base_zh,
                        shown_point,
                        base.note_zh
                    ),
                    format!(
                        "{}stated rate {} differs from {} ÷ {} = {}%{}",
                        subject_en(rate),
                        shown(rate),
                        named(actual).1,
                        base_en,
                        shown_point,
                        base.note_en
                    ),
                ),
            )
            .expected_found(format!("{}%", format_fixed(point, places)), shown(rate));
            out.push(base.label(with(
                with(f, rate, "所写比率", "stated rate"),
                actual,
                "分子：决算（执行）数",
                "numerator: actual spending",
            )));
        } else if (within_rounding || looks_truncated) && rounded != stated.value {
            // SP0103 does not depend on the tolerance: it is said when the rate holds only
            // within the rounding of the figures, or looks truncated, exactly as with none. A
            // rate that holds only thanks to the tolerance is silent (the tolerance accepted it;
            // "holds within rounding" would be untrue), and the tolerance never hides a
            // truncation note.
            let (how_zh, how_en) = if looks_truncated {
                (
                    "像是截尾而非四舍五入",
                    "looks truncated rather than rounded",
                )
            } else {
                (
                    "只在各数字的舍入误差范围内成立",
                    "holds only within the rounding of the figures",
                )
            };
            let f = finding(
                &ROUNDING,
                rate,
                Text::new(
                    format!(
                        "{}所写比率 {}：{} ÷ {} = {}%，四舍五入应为 {}%；{}",
                        rate.subject,
                        shown(rate),
                        named(actual).0,
                        base_zh,
                        shown_point,
                        format_fixed(point, places),
                        how_zh
                    ),
                    format!(
                        "{}stated rate {}: {} ÷ {} = {}%, which rounds to {}%; it {}",
                        subject_en(rate),
                        shown(rate),
                        named(actual).1,
                        base_en,
                        shown_point,
                        format_fixed(point, places),
                        how_en
                    ),
                ),
            );
            out.push(base.label(with(
                with(f, rate, "所写比率", "stated rate"),
                actual,
                "分子",
                "numerator",
            )));
        }
    }
}

impl Base<'_> {
    fn words(&self) -> (String, String) {
        if self.implied {
            let p: Decimal = self.facts.iter().map(|f| val(f)).sum();
            let shown_sum = format_fixed(p, super::util::places(&self.facts));
            (
                format!("推算的全年预算（年初预算 + 预算调整）{shown_sum}万元"),
                format!("the implied full-year budget (initial + adjustment) {shown_sum}万元"),
            )
        } else {
            named(self.facts[0])
        }
    }

    fn label(&self, mut f: Finding) -> Finding {
        for b in &self.facts {
            f = with(f, b, "分母", "denominator");
        }
        f
    }
}
