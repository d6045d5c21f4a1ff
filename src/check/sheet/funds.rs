//! The fund table's rules: SP0204 (an execution rate that is not 全年执行数 ÷ 全年预算数, with
//! SP0103's note for a rate that is only rounded wrongly), SP0205 (the 其中 rows that do not add
//! up to the 年度资金总额 row) and SP0211 (a budget-execution score that does not follow from the
//! rate, when the template says it is rate × weight).
//!
//! Example: 全年预算数 260.00, 全年执行数 253.60, 执行率 95.00% → SP0204: it should be 97.54%.

use super::{Cells, fmt, sum_and_places};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::extract::table::{Field, FundRow, FundTable, Num};
use crate::quantity::{Interval, Quantity, Unit};
use crate::settings::Tolerance;
use rust_decimal::{Decimal, RoundingStrategy};

rule!(
    RATE,
    "SP0204",
    "sheet-rate",
    Error,
    "资金表执行率不等于 执行数 ÷ 全年预算数",
    "an execution rate in a fund table is not actual ÷ full-year budget",
    "## SP0204 sheet-rate（执行率不符）\n\n检查什么：项目资金表每一行的执行率 = 全年执行数 ÷ 全年预算数（调整后预算数），按模板的 rate_base。\n百分比可写作 98.00%、98 或 0.98（Excel 只显示格式时 suanpan 读到的是 0.98）。\n\n为什么：执行率决定“预算执行”指标的得分。\n\n示例：全年预算数 260.00、全年执行数 253.60、执行率 95.00% → 应为 97.54%，错误。\n",
    "## SP0204 sheet-rate\n\nWhat: each fund row's execution rate must equal actual ÷ full-year (adjusted) budget, as the template's rate_base says. Rates may be written 98.00%, 98 or 0.98.\n\nWhy: the rate drives the budget-execution score.\n\nExample: budget 260.00, actual 253.60, rate 95.00% → should be 97.54%, error.\n"
);
rule!(
    FUND_PARTS,
    "SP0205",
    "sheet-fund-parts",
    Error,
    "资金表“其中”各行之和不等于年度资金总额",
    "fund rows under 其中 do not add up to the total row",
    "## SP0205 sheet-fund-parts（资金来源之和不符）\n\n检查什么：项目资金表中，年度资金总额行的每一列（年初预算数、全年预算数、全年执行数）应等于\n其下当年财政拨款、上年结转资金、其他资金等各行之和。总额拆分几次的（部门整体：按收入性质分——财政拨款、\n其他资金；按支出性质分——基本支出、项目支出），每次拆分各自与总额核对；没有“按…分”标题时，换了一种\n资金（收入 → 支出）即为新的一次拆分。嵌套的“其中”行（缩进更深，或模板列明的组成部分，如基本支出的\n人员经费、公用经费，公务用车购置及运行维护费的购置费、运行维护费）只与其上一行核对；“小计”行与其上方\n各行核对，并代替它们与总额核对——一个数只在它所属的那一层核对一次。金额单位按表头“(元)”或表上方的\n“单位：元”“金额单位：元”“单位：万元”。\n\n为什么：资金来源各项应当加回总额，否则至少有一个数抄错。\n\n示例：年度资金总额·全年预算数(0.00) ≠ 当年财政拨款+上年结转资金+其他资金(89.97)，差额 -89.97（万元）。\n",
    "## SP0205 sheet-fund-parts\n\nWhat: in a fund table, each column of the total row (initial, full-year budget, actual) must equal the sum of the source rows below it (当年财政拨款, 上年结转资金, 其他资金 …). A total split more than once (a department's 按收入性质分: 财政拨款, 其他资金; 按支出性质分: 基本支出, 项目支出) is compared with each split on its own; without 按…分 headings, a part of another kind (income → spending) starts a new split. Nested 其中 rows (indented deeper, or listed in the template as a row's parts: 人员经费 and 公用经费 of 基本支出, 购置费 and 运行维护费 of 公务用车购置及运行维护费) are compared with their own parent only; a 小计 row with the rows above it, and it stands for them in the total: each figure is checked once, at its own level. Amounts are in the unit the header's (元) or a line above the table (单位：元, 金额单位：元, 单位：万元) states.\n\nWhy: the sources must add back to the total.\n\nExample: total 0.00 vs sources 89.97 → error, difference −89.97 (万元).\n"
);

rule!(
    EXECUTION_SCORE,
    "SP0211",
    "sheet-execution-score",
    Warning,
    "预算执行得分与执行率不符",
    "the budget-execution score does not follow from the rate",
    "## SP0211 sheet-execution-score（预算执行得分与执行率不符）\n\n检查什么：模板写明 score_rule = \"rate_times_weight\" 时，项目资金表年度资金总额行的得分应为\n执行率 × 分值，最高为分值。舍入规则：得分可按四舍五入保留到本表得分所用的最细精度（表中各项得分、\n总分、预算执行得分写出的最多小数位数；得分本身小数更多时按它自己的位数），执行率按其写出的位数\n取区间：分值 10、执行率 93.34%（9.334），表中得分写到一位小数时 9.3 不报，9.5 报。\n\n为什么：预算执行指标按执行率计分；得分与执行率对不上，说明其中之一有误。各地计分口径不同的，\n可在模板中去掉 score_rule。\n\n示例：分值 10、执行率 97.50%，得分应为 9.75；写成 10 → 警告。\n",
    "## SP0211 sheet-execution-score\n\nWhat: when the template says score_rule = \"rate_times_weight\", the fund table's total row must score rate × weight, at most the weight. Rounding: the score may be rounded half up to the finest precision the sheet writes its scores in (the most decimals among its indicator scores, totals and execution scores; the score's own decimals when finer), the rate being an interval at its written decimals: weight 10, rate 93.34% (9.334) in a sheet scoring to one decimal → 9.3 passes, 9.5 is reported.\n\nWhy: the budget-execution indicator is scored by the rate; a score that does not follow from it means one of them is wrong. Provinces that score otherwise drop score_rule from the template.\n\nExample: weight 10, rate 97.50% → score 9.75; 10 written → warning.\n"
);

/// An amount of the table as a quantity read to two decimals at least, called 万元 whatever the
/// table's unit (元 or 万元): only the tolerance (`parts_sum`) is taken in the table's own unit.
fn money(n: &Num) -> Quantity {
    Quantity::new(n.value, n.decimals.max(2), Unit::Wan)
}

/// Judges one fund table: each row's rate, then its total row's score and parts.
/// `score_places` is the finest precision of the sheet's scores (decimals), to which a
/// budget-execution score may be rounded.
pub(super) fn check(
    cells: &Cells,
    t: &FundTable,
    tol: &Tolerance,
    score_places: u32,
    out: &mut Vec<Finding>,
) {
    // Rates are read as percentages (a fraction 0.98 is scaled to 98 by the reader).
    let rate_tol = tol.in_unit(Unit::Percent);
    for r in &t.rows {
        row_rate(cells, r, rate_tol, out);
    }
    let Some(total) = t.rows.iter().find(|r| r.total) else {
        return;
    };
    if t.score_rule.as_deref() == Some("rate_times_weight") {
        execution_score(cells, total, tol.in_unit(Unit::Points), score_places, out);
    }
    parts_sum(cells, t, tol, out);
}

/// SP0204 or SP0103 on one row: its rate against its actual ÷ full-year budget.
fn row_rate(cells: &Cells, r: &FundRow, rate_tol: Decimal, out: &mut Vec<Finding>) {
    let (Some(rate), Some(actual), Some(budget)) = (
        r.values.get(Field::Rate),
        r.values.get(Field::Actual),
        r.values.get(Field::FullYear),
    ) else {
        return;
    };
    if budget.value.is_zero() {
        return;
    }
    let Some(ratio) = money(actual)
        .interval()
        .divided_by(money(budget).interval())
    else {
        return;
    };
    let ratio = ratio.scale(Decimal::ONE_HUNDRED);
    let stated = Quantity::new(rate.value, rate.decimals, Unit::Percent);
    let point = actual.value / budget.value * Decimal::ONE_HUNDRED;
    let truncated = point.round_dp_with_strategy(rate.decimals, RoundingStrategy::ToZero);
    let rounded =
        point.round_dp_with_strategy(rate.decimals, RoundingStrategy::MidpointAwayFromZero);
    let looks_truncated = truncated == rate.value;
    let within_rounding = ratio.intersects(stated.interval());
    let within_tolerance = ratio.intersects(stated.interval().widen(rate_tol));
    if !within_tolerance && !looks_truncated {
        out.push(rate_mismatch(cells, r, rate, actual, budget, point));
    } else if (within_rounding || looks_truncated) && rounded != rate.value && rate.decimals <= 4 {
        // A rate with more decimals than anyone types was computed, not rounded by hand.
        // As in SP0102/SP0103 of narratives, the rounding note does not depend on the
        // tolerance: a rate accepted only thanks to it is silent.
        out.push(rate_rounding(cells, r, rate, actual, budget, point));
    }
}

/// A rate as written: 97.50%.
fn shown_rate(rate: &Num) -> String {
    format!("{}%", fmt(rate.value, rate.decimals))
}

/// SP0204: the row's rate is not `point` = actual ÷ budget, even allowing for rounding.
fn rate_mismatch(
    cells: &Cells,
    r: &FundRow,
    rate: &Num,
    actual: &Num,
    budget: &Num,
    point: Decimal,
) -> Finding {
    let shown_rate = shown_rate(rate);
    let f = Finding::new(
        &RATE,
        cells.source.clone(),
        Text::new(
            format!(
                "{}·执行率 {shown_rate} ≠ 全年执行数 {} ÷ 全年预算数 {} = {}%（{}）",
                r.label,
                actual.value,
                budget.value,
                fmt(point, rate.decimals.max(2)),
                cells.at(rate)
            ),
            format!(
                "{} rate {shown_rate} ≠ actual {} ÷ full-year budget {} = {}% ({})",
                r.label,
                actual.value,
                budget.value,
                fmt(point, rate.decimals.max(2)),
                cells.at(rate)
            ),
        ),
    )
    .expected_found(format!("{}%", fmt(point, rate.decimals.max(2))), shown_rate);
    let f = cells.label(f, rate.row, rate.col, "执行率".into(), "rate".into());
    let f = cells.label(
        f,
        actual.row,
        actual.col,
        "全年执行数".into(),
        "actual".into(),
    );
    cells.label(
        f,
        budget.row,
        budget.col,
        "全年预算数".into(),
        "full-year budget".into(),
    )
}

/// SP0103: the row's rate is `point` = actual ÷ budget cut or rounded the wrong way.
fn rate_rounding(
    cells: &Cells,
    r: &FundRow,
    rate: &Num,
    actual: &Num,
    budget: &Num,
    point: Decimal,
) -> Finding {
    let shown_rate = shown_rate(rate);
    let f = Finding::new(
        &crate::check::rate::ROUNDING,
        cells.source.clone(),
        Text::new(
            format!(
                "{}·执行率 {shown_rate}：{} ÷ {} = {}%，四舍五入应为 {}%（{}）",
                r.label,
                actual.value,
                budget.value,
                fmt(point, rate.decimals + 2),
                fmt(point, rate.decimals),
                cells.at(rate)
            ),
            format!(
                "{} rate {shown_rate}: {} ÷ {} = {}%, which rounds to {}% ({})",
                r.label,
                actual.value,
                budget.value,
                fmt(point, rate.decimals + 2),
                fmt(point, rate.decimals),
                cells.at(rate)
            ),
        ),
    );
    cells.label(f, rate.row, rate.col, "执行率".into(), "rate".into())
}

/// SP0205: each sum the block states (`FundTable::partitions`: the total over each of its
/// partitions, a part over its 其中 rows, a 小计 over its rows), column by column (年初预算数,
/// 全年预算数, 全年执行数). A whole is compared with its own parts only: a total split twice is
/// compared with each split alone, and with a subtotal, never with the subtotal's rows.
fn parts_sum(cells: &Cells, t: &FundTable, tol: &Tolerance, out: &mut Vec<Finding>) {
    let money_tol = tol.in_unit(if t.yuan { Unit::Yuan } else { Unit::Wan });
    for partition in &t.partitions {
        let Some(whole) = partition.whole.and_then(|w| t.rows.get(w)) else {
            continue;
        };
        let parts: Vec<&FundRow> = partition
            .parts
            .iter()
            .filter_map(|&i| t.rows.get(i))
            .collect();
        if !parts.is_empty() {
            whole_sum(cells, t, whole, &parts, money_tol, out);
        }
    }
}

/// SP0205 on one whole and its parts.
fn whole_sum(
    cells: &Cells,
    t: &FundTable,
    total: &FundRow,
    parts: &[&FundRow],
    money_tol: Decimal,
    out: &mut Vec<Finding>,
) {
    for field in [Field::Initial, Field::FullYear, Field::Actual] {
        let Some(tn) = total.values.get(field) else {
            continue;
        };
        if parts
            .iter()
            .chain([&total])
            .any(|p| p.unread.contains(&field))
        {
            continue;
        }
        let nums: Vec<&Num> = parts.iter().filter_map(|p| p.values.get(field)).collect();
        if nums.is_empty() {
            continue;
        }
        let sum_iv = nums.iter().fold(Interval::point(Decimal::ZERO), |a, n| {
            a.plus(money(n).interval())
        });
        let total_iv = money(tn).interval().widen(money_tol);
        let nonnegative =
            tn.value >= Decimal::ZERO && nums.iter().all(|n| n.value >= Decimal::ZERO);
        if sum_iv.intersects(total_iv)
            && !(nonnegative && money_tol.is_zero() && touches_only(sum_iv, total_iv))
        {
            continue;
        }
        let names: Vec<String> = parts
            .iter()
            .filter(|p| p.values.contains_key(field))
            .map(|p| p.label.clone())
            .collect();
        out.push(parts_mismatch(cells, t, total, field, tn, &nums, &names));
    }
}

/// Whether two rounding intervals meet at a bound only. A figure written to d decimals and
/// rounded half up stands for [x − h, x + h): a sum of such figures for [Σlo, Σhi). Two such
/// intervals that only touch (one's open upper bound is the other's lower bound) share no
/// value, so the figures cannot agree (7165.29 of five parts against 7165.32: 0.03 is all
/// six figures' rounding, and none reaches it).
fn touches_only(a: Interval, b: Interval) -> bool {
    a.hi == b.lo || b.hi == a.lo
}

/// SP0205 on one column: the total row's amount `tn` in `field` is not the sum of the parts'
/// `nums`, whose rows are `names`.
fn parts_mismatch(
    cells: &Cells,
    t: &FundTable,
    total: &FundRow,
    field: Field,
    tn: &Num,
    nums: &[&Num],
    names: &[String],
) -> Finding {
    let (sum, places) = sum_and_places(nums, tn, 2);
    let col_zh = match field {
        Field::Initial => "年初预算数",
        Field::FullYear => "全年预算数",
        _ => "全年执行数",
    };
    let unit = if t.yuan { "元" } else { "万元" };
    let f = Finding::new(
        &FUND_PARTS,
        cells.source.clone(),
        Text::new(
            format!(
                "{}·{col_zh}({}) ≠ {}({})，差额 {}（{unit}）",
                total.label,
                fmt(tn.value, places),
                names.join("+"),
                fmt(sum, places),
                fmt(tn.value - sum, places)
            ),
            format!(
                "{} {} ({}) ≠ {} ({}), difference {} ({unit})",
                total.label,
                field.name(),
                fmt(tn.value, places),
                names.join(" + "),
                fmt(sum, places),
                fmt(tn.value - sum, places)
            ),
        ),
    )
    .expected_found(fmt(sum, places), fmt(tn.value, places));
    let mut f = cells.label(
        f,
        tn.row,
        tn.col,
        format!("{}·{col_zh}", total.label),
        format!("{} {}", total.label, field.name()),
    );
    for (n, name) in nums.iter().zip(names) {
        f = cells.label(f, n.row, n.col, name.clone(), name.clone());
    }
    f
}

/// SP0211: 得分 = min(执行率, 100%) × 分值 on the fund table's total row.
fn execution_score(
    cells: &Cells,
    total: &FundRow,
    score_tol: Decimal,
    score_places: u32,
    out: &mut Vec<Finding>,
) {
    let (Some(rate), Some(weight), Some(score)) = (
        total.values.get(Field::Rate),
        total.values.get(Field::Weight),
        total.values.get(Field::Score),
    ) else {
        return;
    };
    let rate_iv = Quantity::new(rate.value, rate.decimals, Unit::Percent).interval();
    let cap = |v: Decimal| v.min(Decimal::ONE_HUNDRED) / Decimal::ONE_HUNDRED * weight.value;
    let expected = Interval {
        lo: cap(rate_iv.lo),
        hi: cap(rate_iv.hi),
    };
    // The score may be rounded (half up) to the finest precision the sheet writes its scores
    // in, and is read to its own decimals when they are finer.
    let stated = Quantity::new(score.value, score.decimals.max(score_places), Unit::Points)
        .interval()
        .widen(score_tol);
    if expected.intersects(stated) {
        return;
    }
    let point = cap(rate.value);
    let f = Finding::new(
        &EXECUTION_SCORE,
        cells.source.clone(),
        Text::new(
            format!(
                "{}·预算执行得分 {} 与 执行率 {}% × 分值 {} = {} 不符（{}）",
                total.label,
                score.value,
                rate.value,
                weight.value,
                fmt(point, 2),
                cells.at(score)
            ),
            format!(
                "{} budget-execution score {} ≠ rate {}% × weight {} = {} ({})",
                total.label,
                score.value,
                rate.value,
                weight.value,
                fmt(point, 2),
                cells.at(score)
            ),
        ),
    )
    .expected_found(fmt(point, 2), score.value.to_string());
    let f = cells.label(
        f,
        score.row,
        score.col,
        format!("得分 {}", score.value),
        format!("score {}", score.value),
    );
    let f = cells.label(
        f,
        rate.row,
        rate.col,
        format!("执行率 {}%", rate.value),
        format!("rate {}%", rate.value),
    );
    out.push(cells.label(
        f,
        weight.row,
        weight.col,
        format!("分值 {}", weight.value),
        format!("weight {}", weight.value),
    ));
}
