//! Sheet rules (SP02xx): relations inside the tables of an evaluation workbook. They judge what
//! `extract::sheet` read (the table model of `extract::table`, not cells) and read nothing
//! themselves; each finding labels the cells it involves.

use crate::diagnostic::{Finding, Place, Rule, Severity, Source, Text, cell_name};
use crate::extract::sheet::{execution_line, groups, points, total_score};
use crate::extract::table::{Field, FundTable, IndicatorTable, Num, SheetTables};
use crate::quantity::{Interval, Quantity, Unit, format_fixed};
use crate::settings::{Settings, Tolerance};
use crate::source::sheet::Sheet;
use rust_decimal::{Decimal, RoundingStrategy};
use std::sync::Arc;

macro_rules! rule {
    ($id:ident, $code:literal, $name:literal, $sev:ident, $sum_zh:literal, $sum_en:literal, $doc_zh:literal, $doc_en:literal) => {
        pub static $id: Rule = Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            summary: ($sum_zh, $sum_en),
            doc: ($doc_zh, $doc_en),
        };
    };
}

rule!(
    OVER_WEIGHT,
    "SP0201",
    "sheet-score-over-weight",
    Error,
    "评分表中得分超过分值",
    "a score in a sheet exceeds its weight",
    "## SP0201 sheet-score-over-weight（评分表得分超过分值）\n\n检查什么：绩效指标表每一行的得分不能超过本行分值（权重）。\n\n为什么：得分超过分值是评分表最常见的硬性错误，财政审核会直接退回。\n\n示例：三级指标“培训人次”分值 10、得分 12 → 错误，标出这两个单元格。\n",
    "## SP0201 sheet-score-over-weight\n\nWhat: in an indicator table, each row's score must not exceed its weight.\n\nWhy: a score above its weight is the commonest hard error of score sheets.\n\nExample: weight 10, score 12 → error on both cells.\n"
);
rule!(
    WEIGHT_SUM,
    "SP0202",
    "sheet-weight-sum",
    Error,
    "评分表各项分值之和不等于总分值（或标签中的分值）",
    "weights do not add up to the total (or to a label's weight)",
    "## SP0202 sheet-weight-sum（分值合计不符）\n\n检查什么：各三级指标分值（加上预算执行的分值）之和应等于总分行的分值，没有总分行时应等于 100；\n标签中写明分值的一级、二级指标（如“产出指标(50分)”）其下各项分值之和应等于该分值。\n\n为什么：分值体系不完整或加错，得分就无从比较。\n\n示例：产出指标(50分) 下四项分值 10+10+10+10=40 → 错误。\n",
    "## SP0202 sheet-weight-sum\n\nWhat: the weights of the indicators (plus the budget-execution weight) must add up to the total row's weight, or to 100 when there is none; a label that states its weight (\"产出指标(50分)\") must equal the sum of the weights below it.\n\nWhy: an incomplete or mis-added weighting makes the scores meaningless.\n\nExample: 产出指标(50分) over weights 10+10+10+10 = 40 → error.\n"
);
rule!(
    SCORE_SUM,
    "SP0203",
    "sheet-score-sum",
    Error,
    "评分表各项得分之和不等于总分",
    "scores in a sheet do not add up to the total",
    "## SP0203 sheet-score-sum（得分合计与总分不符）\n\n检查什么：各三级指标得分（加上预算执行得分）之和应等于总分行的得分或表中写明的自评得分；\n一级、二级汇总行的得分应等于其下各行之和，汇总行不重复计入总分。\n\n为什么：总分是逐项得分相加而来，加不回说明总分或某项得分有误。\n\n示例：各项得分合计 86，总分行写 88 → 错误。\n",
    "## SP0203 sheet-score-sum\n\nWhat: the indicators' scores (plus the budget-execution score) must add up to the total row's score or the stated 自评得分; a subtotal row of a first- or second-level indicator must equal the rows below it, and is not counted again.\n\nWhy: the total is the sum of the scores.\n\nExample: scores summing to 86 under a total of 88 → error.\n"
);
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
    "## SP0205 sheet-fund-parts（资金来源之和不符）\n\n检查什么：项目资金表中，年度资金总额行的每一列（年初预算数、全年预算数、全年执行数）应等于\n其下当年财政拨款、上年结转资金、其他资金等各行之和。\n\n为什么：资金来源各项应当加回总额，否则至少有一个数抄错。\n\n示例：年度资金总额·全年预算数(0.00) ≠ 当年财政拨款+上年结转资金+其他资金(89.97)，差额 -89.97（万元）。\n",
    "## SP0205 sheet-fund-parts\n\nWhat: in a fund table, each column of the total row (initial, full-year budget, actual) must equal the sum of the source rows below it (当年财政拨款, 上年结转资金, 其他资金 …).\n\nWhy: the sources must add back to the total.\n\nExample: total 0.00 vs sources 89.97 → error, difference −89.97 (万元).\n"
);
rule!(
    GRADE,
    "SP0206",
    "sheet-grade-band",
    Error,
    "表中等级与总分所在档次不符",
    "the grade in a sheet does not match the band of its total score",
    "## SP0206 sheet-grade-band（表中等级与分数不符）\n\n检查什么：表中写的评价等级与总分所在档次一致（档次见 schemas/grades.toml）。\n\n为什么：等级由分数决定。\n\n示例：总分 78，等级“良” → 应为“中”，错误。\n",
    "## SP0206 sheet-grade-band\n\nWhat: a grade written in the sheet must match the band of its total score (schemas/grades.toml).\n\nWhy: the grade follows from the score.\n\nExample: total 78 graded 良 → should be 中, error.\n"
);
rule!(
    MISSING_REASON,
    "SP0207",
    "sheet-missing-reason",
    Warning,
    "得分低于分值但没有写偏差原因",
    "a score below its weight has no stated reason",
    "## SP0207 sheet-missing-reason（扣分未说明原因）\n\n检查什么：得分低于分值的指标，偏差原因分析（扣分原因）一栏不能为空。\n\n为什么：财政部门要求对未完成的指标说明原因和改进措施。\n\n示例：分值 10、得分 8、偏差原因为空 → 警告。\n",
    "## SP0207 sheet-missing-reason\n\nWhat: an indicator scored below its weight must have its deviation reason (扣分原因) filled in.\n\nWhy: finance bureaus require a reason and remedy for every shortfall.\n\nExample: weight 10, score 8, empty reason → warning.\n"
);
rule!(
    TEXT_IN_NUMBER,
    "SP0208",
    "sheet-text-in-number",
    Error,
    "数值单元格中是文字",
    "a numeric cell holds text",
    "## SP0208 sheet-text-in-number（数值单元格里是文字）\n\n检查什么：分值、得分、预算数、执行数、执行率等数值列中写了文字，如“八十”“90分”“９０”。\n能读出数字的（“90分”）仍参与其余核对，读不出的跳过。\n\n为什么：这样的单元格无法参与公式计算，汇总时会被当作 0。\n\n示例：得分列写“八十” → 错误，标出该单元格。\n",
    "## SP0208 sheet-text-in-number\n\nWhat: a numeric column (weight, score, budget, actual, rate) holds words: \"八十\", \"90分\", full-width \"９０\". Where a number can be read (\"90分\") it is still used in the other checks.\n\nWhy: such cells do not take part in formulas and sum as 0.\n\nExample: a score cell reading 八十 → error on that cell.\n"
);
rule!(
    UNRECOGNISED,
    "SP0209",
    "sheet-unrecognised",
    Info,
    "工作表中没有识别出评价表",
    "no evaluation table was recognised in a sheet",
    "## SP0209 sheet-unrecognised（未识别的工作表）\n\n检查什么：工作表中既没有绩效指标表（一级/二级/三级指标 + 得分），也没有项目资金表\n（年初/全年预算数 + 执行数）。\n\n为什么：可能是说明页，也可能是表头写法 suanpan 尚未收录；如是后者，可在\nschemas/templates/ 中增加同义词。\n\n示例：只有封面文字的工作表。\n",
    "## SP0209 sheet-unrecognised\n\nWhat: a sheet holds neither an indicator table (levels + score) nor a fund table (budget + actual).\n\nWhy: it may be a cover page, or a header wording suanpan does not know yet; add synonyms in schemas/templates/.\n\nExample: a sheet with only cover text.\n"
);
rule!(
    UNCACHED,
    "SP0210",
    "sheet-formula-no-value",
    Warning,
    "公式单元格没有计算结果",
    "a formula cell has no cached value",
    "## SP0210 sheet-formula-no-value（公式没有计算结果）\n\n检查什么：单元格里有公式，但文件中没有保存计算结果（常见于程序生成、未经 Excel 打开保存的文件）。\n\n为什么：suanpan 不重算公式，这些单元格无法核对；用 Excel/WPS 打开并保存一次即可。\n\n示例：总分单元格 =SUM(G8:G20) 没有缓存值。\n",
    "## SP0210 sheet-formula-no-value\n\nWhat: a cell holds a formula but the file stores no computed value (files written by programs and never saved by Excel).\n\nWhy: suanpan does not recompute formulas; open and save the file once in Excel/WPS.\n\nExample: =SUM(G8:G20) with no cached value.\n"
);

rule!(
    EXECUTION_SCORE,
    "SP0211",
    "sheet-execution-score",
    Warning,
    "预算执行得分与执行率不符",
    "the budget-execution score does not follow from the rate",
    "## SP0211 sheet-execution-score（预算执行得分与执行率不符）\n\n检查什么：模板写明 score_rule = \"rate_times_weight\" 时，项目资金表年度资金总额行的得分应为\n执行率 × 分值，最高为分值。\n\n为什么：预算执行指标按执行率计分；得分与执行率对不上，说明其中之一有误。各地计分口径不同的，\n可在模板中去掉 score_rule。\n\n示例：分值 10、执行率 97.50%，得分应为 9.75；写成 10 → 警告。\n",
    "## SP0211 sheet-execution-score\n\nWhat: when the template says score_rule = \"rate_times_weight\", the fund table's total row must score rate × weight, at most the weight.\n\nWhy: the budget-execution indicator is scored by the rate; a score that does not follow from it means one of them is wrong. Provinces that score otherwise drop score_rule from the template.\n\nExample: weight 10, rate 97.50% → score 9.75; 10 written → warning.\n"
);

pub static RULES: &[&Rule] = &[
    &EXECUTION_SCORE,
    &OVER_WEIGHT,
    &WEIGHT_SUM,
    &SCORE_SUM,
    &RATE,
    &FUND_PARTS,
    &GRADE,
    &MISSING_REASON,
    &TEXT_IN_NUMBER,
    &UNRECOGNISED,
    &UNCACHED,
];

/// A cell label.
struct Cells<'a> {
    source: &'a Arc<Source>,
    sheet: &'a str,
}

impl Cells<'_> {
    fn label(&self, f: Finding, row: u32, col: u32, zh: String, en: String) -> Finding {
        f.label(
            self.source,
            Place::Cell {
                sheet: self.sheet.to_string(),
                row,
                col,
            },
            Text::new(zh, en),
        )
    }

    fn at(&self, n: &Num) -> String {
        format!("{}!{}", self.sheet, cell_name(n.row, n.col))
    }
}

fn sum_interval(nums: &[&Num], q: impl Fn(&Num) -> Quantity) -> Interval {
    nums.iter().fold(Interval::point(Decimal::ZERO), |acc, n| {
        acc.plus(q(n).interval())
    })
}

/// The sum of the parts, and the decimals to show it with: the finest of the figures involved,
/// at least `min`.
fn sum_and_places(parts: &[&Num], total: &Num, min: u32) -> (Decimal, u32) {
    let sum = parts.iter().map(|n| n.value).sum();
    let places = parts
        .iter()
        .map(|n| n.decimals)
        .chain([total.decimals])
        .max()
        .unwrap_or(0)
        .max(min);
    (sum, places)
}

fn fmt(v: Decimal, places: u32) -> String {
    format_fixed(v, places)
}

/// Judges the tables read from one sheet (of a workbook, or a table found in a text;
/// `extract::sheet::tables` reads them). An unrecognised sheet is reported only when
/// `report_unrecognised` (a text's other tables are not our concern).
pub fn check_sheet(
    source: &Arc<Source>,
    sheet: &Sheet,
    tables: &SheetTables,
    settings: &Settings,
    report_unrecognised: bool,
    out: &mut Vec<Finding>,
) {
    let cells = Cells {
        source,
        sheet: &sheet.name,
    };
    for &(r, c) in &sheet.uncached {
        let f = Finding::new(
            &UNCACHED,
            source.clone(),
            Text::new(
                format!(
                    "{}!{} 有公式但没有保存计算结果，无法核对；请用 Excel/WPS 打开并保存",
                    sheet.name,
                    cell_name(r, c)
                ),
                format!(
                    "{}!{} holds a formula with no cached value; open and save the file in Excel/WPS",
                    sheet.name,
                    cell_name(r, c)
                ),
            ),
        );
        out.push(cells.label(f, r, c, "公式".into(), "formula".into()));
    }
    if tables.is_empty() {
        if report_unrecognised && sheet.cells.iter().any(|r| r.iter().any(|v| !v.is_empty())) {
            let f = Finding::new(
                &UNRECOGNISED,
                source.clone(),
                Text::new(
                    format!("工作表“{}”中没有识别出绩效指标表或项目资金表", sheet.name),
                    format!(
                        "no indicator or fund table was recognised in sheet \"{}\"",
                        sheet.name
                    ),
                ),
            );
            out.push(cells.label(f, 0, 0, String::new(), String::new()));
        }
        return;
    }
    for b in &tables.bad_cells {
        let f = Finding::new(
            &TEXT_IN_NUMBER,
            source.clone(),
            Text::new(
                format!(
                    "{}!{}（{}）应为数字，实为“{}”",
                    sheet.name,
                    cell_name(b.row, b.col),
                    b.header,
                    b.text
                ),
                format!(
                    "{}!{} ({}) should be a number, found \"{}\"",
                    sheet.name,
                    cell_name(b.row, b.col),
                    b.header,
                    b.text
                ),
            ),
        );
        out.push(cells.label(f, b.row, b.col, "文字".into(), "text".into()));
    }
    for (i, t) in tables.indicators.iter().enumerate() {
        let (fund_weight, fund_score) = execution_line(tables, i);
        check_indicators(
            &cells,
            t,
            &fund_weight,
            &fund_score,
            tables.stated_total.as_ref(),
            &settings.tolerance,
            out,
        );
    }
    for t in &tables.funds {
        check_funds(&cells, t, &settings.tolerance, out);
    }
    if let (Some((word, r, c)), Some(n)) = (&tables.grade, total_score(tables)) {
        check_grade(&cells, settings, word, *r, *c, &n, out);
    }
}

fn check_indicators(
    cells: &Cells,
    t: &IndicatorTable,
    fund_weight: &[&Num],
    fund_score: &[&Num],
    stated_total: Option<&Num>,
    tol: &Tolerance,
    out: &mut Vec<Finding>,
) {
    let src = cells.source;
    let score_tol = tol.in_unit(Unit::Points);
    // Score ≤ weight, and a reason for every shortfall.
    for r in &t.rows {
        let (Some(w), Some(s)) = (r.weight, r.score) else {
            continue;
        };
        if !points(&s)
            .interval()
            .can_be_at_most(points(&w).interval().widen(score_tol))
        {
            let f = Finding::new(
                &OVER_WEIGHT,
                src.clone(),
                Text::new(
                    format!(
                        "“{}”得分 {}（{}）超过分值 {}（{}）",
                        r.name(),
                        s.value,
                        cells.at(&s),
                        w.value,
                        cells.at(&w)
                    ),
                    format!(
                        "\"{}\" scores {} ({}) above its weight {} ({})",
                        r.name(),
                        s.value,
                        cells.at(&s),
                        w.value,
                        cells.at(&w)
                    ),
                ),
            )
            .expected_found(format!("≤ {}", w.value), s.value.to_string());
            let f = cells.label(
                f,
                s.row,
                s.col,
                format!("{} 得分", r.name()),
                format!("{} score", r.name()),
            );
            out.push(cells.label(f, w.row, w.col, "分值".into(), "weight".into()));
        } else if t.has_reason
            && s.value < w.value
            && r.reason.as_deref().is_some_and(|x| x.trim().is_empty())
        {
            let col = t.columns.get(Field::Reason).copied().unwrap_or(s.col);
            let f = Finding::new(
                &MISSING_REASON,
                src.clone(),
                Text::new(
                    format!(
                        "“{}”得分 {} 低于分值 {}，但偏差原因为空（{}!{}）",
                        r.name(),
                        s.value,
                        w.value,
                        cells.sheet,
                        cell_name(r.row, col)
                    ),
                    format!(
                        "\"{}\" scores {} below its weight {} but the reason is empty ({}!{})",
                        r.name(),
                        s.value,
                        w.value,
                        cells.sheet,
                        cell_name(r.row, col)
                    ),
                ),
            );
            let f = cells.label(
                f,
                r.row,
                col,
                "偏差原因（空）".into(),
                "reason (empty)".into(),
            );
            out.push(cells.label(f, s.row, s.col, "得分".into(), "score".into()));
        }
    }
    // Subtotal rows against the rows they sum (`extract::sheet::groups` says which).
    let rows = groups(t);
    for (parent, kids) in &rows.subtotals {
        if let Some(s) = parent.score {
            let nums: Vec<&Num> = kids.iter().filter_map(|k| k.score.as_ref()).collect();
            sum_mismatch(
                cells,
                &SCORE_SUM,
                "得分",
                "score",
                &parent.name(),
                &s,
                &nums,
                score_tol,
                out,
            );
        }
        if let Some(w) = parent.weight {
            let nums: Vec<&Num> = kids.iter().filter_map(|k| k.weight.as_ref()).collect();
            sum_mismatch(
                cells,
                &WEIGHT_SUM,
                "分值",
                "weight",
                &parent.name(),
                &w,
                &nums,
                score_tol,
                out,
            );
        }
    }
    // Label weights: "产出指标(50分)" over the weights of its rows.
    for lw in &t.label_weights {
        let nums: Vec<&Num> = rows
            .leaves
            .iter()
            .filter(|r| {
                if lw.level == 1 {
                    *r.level1 == *lw.label
                } else {
                    *r.level2 == *lw.label
                }
            })
            .filter_map(|r| r.weight.as_ref())
            .collect();
        if !nums.is_empty() {
            sum_mismatch(
                cells,
                &WEIGHT_SUM,
                "分值",
                "weight",
                &lw.label,
                &lw.weight,
                &nums,
                score_tol,
                out,
            );
        }
    }
    // The whole table: leaves plus the budget-execution line against the total (or 100).
    let mut weights: Vec<&Num> = rows
        .leaves
        .iter()
        .filter_map(|r| r.weight.as_ref())
        .collect();
    let mut scores: Vec<&Num> = rows
        .leaves
        .iter()
        .filter_map(|r| r.score.as_ref())
        .collect();
    weights.extend(fund_weight.iter().copied());
    scores.extend(fund_score.iter().copied());
    if weights.len() >= 2 {
        match t.total_weight {
            Some(w) => sum_mismatch(
                cells,
                &WEIGHT_SUM,
                "分值",
                "weight",
                "总分",
                &w,
                &weights,
                score_tol,
                out,
            ),
            None => {
                let hundred = Num {
                    value: Decimal::ONE_HUNDRED,
                    decimals: 2,
                    row: t.header_row,
                    col: t.columns.get(Field::Weight).copied().unwrap_or(0),
                };
                sum_mismatch(
                    cells,
                    &WEIGHT_SUM,
                    "分值",
                    "weight",
                    "满分 100",
                    &hundred,
                    &weights,
                    score_tol,
                    out,
                );
            }
        }
    }
    if let Some(total) = t
        .total_score
        .or(stated_total.copied())
        .filter(|_| scores.len() >= 2)
    {
        sum_mismatch(
            cells, &SCORE_SUM, "得分", "score", "总分", &total, &scores, score_tol, out,
        );
    }
}

/// Reports `total` ≠ Σ `parts` (precision-aware), labelling every cell.
#[allow(clippy::too_many_arguments)]
fn sum_mismatch(
    cells: &Cells,
    rule: &'static Rule,
    what_zh: &str,
    what_en: &str,
    name: &str,
    total: &Num,
    parts: &[&Num],
    score_tol: Decimal,
    out: &mut Vec<Finding>,
) {
    if parts.is_empty()
        || sum_interval(parts, points).intersects(points(total).interval().widen(score_tol))
    {
        return;
    }
    let (sum, places) = sum_and_places(parts, total, 0);
    let f = Finding::new(
        rule,
        cells.source.clone(),
        Text::new(
            format!(
                "{name}·{what_zh}({}) ≠ 其下 {} 项{what_zh}之和({})，差额 {}（{}）",
                fmt(total.value, places),
                parts.len(),
                fmt(sum, places),
                fmt(total.value - sum, places),
                cells.at(total)
            ),
            format!(
                "{name} {what_en} ({}) ≠ the sum of its {} parts ({}), difference {} ({})",
                fmt(total.value, places),
                parts.len(),
                fmt(sum, places),
                fmt(total.value - sum, places),
                cells.at(total)
            ),
        ),
    )
    .expected_found(fmt(sum, places), fmt(total.value, places));
    let mut f = cells.label(
        f,
        total.row,
        total.col,
        format!("{name}{what_zh} {}", total.value),
        format!("{name} {what_en} {}", total.value),
    );
    for p in parts {
        f = cells.label(
            f,
            p.row,
            p.col,
            format!("{what_zh} {}", p.value),
            format!("{what_en} {}", p.value),
        );
    }
    out.push(f);
}

fn check_funds(cells: &Cells, t: &FundTable, tol: &Tolerance, out: &mut Vec<Finding>) {
    let money = |n: &Num| Quantity::new(n.value, n.decimals.max(2), Unit::Wan);
    // The table's figures are in its own unit (元 or 万元); `money` is in 万元.
    let money_tol = tol.in_unit(if t.yuan { Unit::Yuan } else { Unit::Wan });
    // Rates are read as percentages (a fraction 0.98 is scaled to 98 by the reader).
    let rate_tol = tol.in_unit(Unit::Percent);
    for r in &t.rows {
        let (Some(rate), Some(actual), Some(budget)) = (
            r.values.get(Field::Rate),
            r.values.get(Field::Actual),
            r.values.get(Field::FullYear),
        ) else {
            continue;
        };
        if budget.value.is_zero() {
            continue;
        }
        let Some(ratio) = money(actual)
            .interval()
            .divided_by(money(budget).interval())
        else {
            continue;
        };
        let ratio = ratio.scale(Decimal::ONE_HUNDRED);
        let stated = Quantity::new(rate.value, rate.decimals, Unit::Percent);
        let point = actual.value / budget.value * Decimal::ONE_HUNDRED;
        let truncated = point.round_dp_with_strategy(rate.decimals, RoundingStrategy::ToZero);
        let rounded =
            point.round_dp_with_strategy(rate.decimals, RoundingStrategy::MidpointAwayFromZero);
        let shown_rate = format!("{}%", fmt(rate.value, rate.decimals));
        let looks_truncated = truncated == rate.value;
        let within_rounding = ratio.intersects(stated.interval());
        let within_tolerance = ratio.intersects(stated.interval().widen(rate_tol));
        if !within_tolerance && !looks_truncated {
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
            out.push(cells.label(
                f,
                budget.row,
                budget.col,
                "全年预算数".into(),
                "full-year budget".into(),
            ));
        } else if (within_rounding || looks_truncated)
            && rounded != rate.value
            && rate.decimals <= 4
        {
            // A rate with more decimals than anyone types was computed, not rounded by hand.
            // As in SP0102/SP0103 of narratives, the rounding note does not depend on the
            // tolerance: a rate accepted only thanks to it is silent.
            let f = Finding::new(
                &super::rate::ROUNDING,
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
            out.push(cells.label(f, rate.row, rate.col, "执行率".into(), "rate".into()));
        }
    }
    let Some(total) = t.rows.iter().find(|r| r.total) else {
        return;
    };
    if t.score_rule.as_deref() == Some("rate_times_weight") {
        execution_score(cells, total, tol.in_unit(Unit::Points), out);
    }
    let parts: Vec<_> = t.rows.iter().filter(|r| r.part).collect();
    if parts.is_empty() {
        return;
    }
    for field in [Field::Initial, Field::FullYear, Field::Actual] {
        let Some(tn) = total.values.get(field) else {
            continue;
        };
        let nums: Vec<&Num> = parts.iter().filter_map(|p| p.values.get(field)).collect();
        if nums.is_empty() {
            continue;
        }
        let sum_iv = nums.iter().fold(Interval::point(Decimal::ZERO), |a, n| {
            a.plus(money(n).interval())
        });
        if sum_iv.intersects(money(tn).interval().widen(money_tol)) {
            continue;
        }
        let (sum, places) = sum_and_places(&nums, tn, 2);
        let names: Vec<String> = parts
            .iter()
            .filter(|p| p.values.contains_key(field))
            .map(|p| p.label.clone())
            .collect();
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
        for (n, name) in nums.iter().zip(&names) {
            f = cells.label(f, n.row, n.col, name.clone(), name.clone());
        }
        out.push(f);
    }
}

fn check_grade(
    cells: &Cells,
    settings: &Settings,
    word: &str,
    row: u32,
    col: u32,
    total: &Num,
    out: &mut Vec<Finding>,
) {
    let bands = &settings.grades;
    let (Some(named), Some(expected)) = (bands.band_named(word), bands.band_of(total.value)) else {
        return;
    };
    if named.grade == expected.grade {
        return;
    }
    let f = Finding::new(
        &GRADE,
        cells.source.clone(),
        Text::new(
            format!(
                "等级“{word}”与总分 {} 不符：应为“{}”（{}（含）—{} 分）",
                total.value, expected.grade, expected.min, expected.max
            ),
            format!(
                "grade \"{word}\" does not match the total {}: should be \"{}\" ([{}, {}))",
                total.value, expected.grade, expected.min, expected.max
            ),
        ),
    )
    .expected_found(expected.grade.clone(), word.to_string());
    let f = cells.label(f, row, col, "等级".into(), "grade".into());
    out.push(cells.label(f, total.row, total.col, "总分".into(), "total".into()));
}

/// 得分 = min(执行率, 100%) × 分值 on the fund table's total row.
fn execution_score(
    cells: &Cells,
    total: &crate::extract::table::FundRow,
    score_tol: Decimal,
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
    // The score is read to two decimals, as finance systems print it.
    let stated = Quantity::new(score.value, score.decimals.max(2), Unit::Points)
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
