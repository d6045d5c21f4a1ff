//! The indicator table's rules: SP0201 (a score above its weight), SP0207 (a score below its
//! weight with no reason given), SP0212 (full marks for a target the achieved value misses), SP0202 and SP0203 (weights and scores that do not add up: a
//! subtotal row over its rows, a weight written in a label over the rows under it, the whole
//! table with its budget-execution line over its total row, or over 100 when there is none).
//!
//! Example: 产出指标(50分) over four weights of 10 → SP0202 on the label's 50 and the four cells.

use super::{Cells, fmt, sum_and_places};
use crate::diagnostic::{Finding, Rule, Severity, Text, cell_name};
use crate::extract::sheet::{ExecutionLine, Groups, groups, points};
use crate::extract::table::{Field, IndicatorRow, IndicatorTable, Num, is_placeholder};
use crate::extract::target;
use crate::quantity::{Interval, Quantity, Unit};
use crate::settings::Tolerance;
use foldhash::HashMap;
use rust_decimal::Decimal;

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
    "## SP0202 sheet-weight-sum（分值合计不符）\n\n检查什么：各三级指标分值（加上预算执行的分值）之和应等于总分行的分值，没有总分行时应等于 100；\n标签中写明分值的一级、二级指标（如“产出指标(50分)”）其下各项分值之和应等于该分值。\n评分表每级各有分值列的（一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | … | 得分），每行的分值是最细一级的\n（三级）分值；各级分值逐级核对：二级分值之和等于一级分值，三级分值之和等于二级分值，一级分值之和（加预算执行）\n等于总分值——每个分值只与它的上一级核对一次。\n\n为什么：分值体系不完整或加错，得分就无从比较。\n\n示例：产出指标(50分) 下四项分值 10+10+10+10=40 → 错误。\n",
    "## SP0202 sheet-weight-sum\n\nWhat: the weights of the indicators (plus the budget-execution weight) must add up to the total row's weight, or to 100 when there is none; a label that states its weight (\"产出指标(50分)\") must equal the sum of the weights below it. In a score sheet giving each level a 分值 column (一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | … | 得分) a row's weight is its most specific level's, and each level adds up to its parent: second-level weights to their first level's, third-level ones to their second level's, first-level ones (plus budget execution) to the total — each weight is checked once, against its parent.\n\nWhy: an incomplete or mis-added weighting makes the scores meaningless.\n\nExample: 产出指标(50分) over weights 10+10+10+10 = 40 → error.\n"
);
rule!(
    SCORE_SUM,
    "SP0203",
    "sheet-score-sum",
    Error,
    "评分表各项得分之和不等于总分",
    "scores in a sheet do not add up to the total",
    "## SP0203 sheet-score-sum（得分合计与总分不符）\n\n检查什么：各三级指标得分（加上预算执行得分）之和应等于总分行的得分或表中写明的自评得分；\n一级、二级汇总行的得分应等于其下各行之和，汇总行不重复计入总分。“小计”行与它所结的各行核对（写在三级指标列的小计结本二级指标，写在一级、二级指标列的结本一级指标，更细的小计代表其下各行）；总分与各小计（及不在小计之下的行）之和或各行之和核对，二者有一个相符即可——每个数只在它所属的那一层核对一次。\n\n为什么：总分是逐项得分相加而来，加不回说明总分或某项得分有误。\n\n示例：各项得分合计 86，总分行写 88 → 错误。\n",
    "## SP0203 sheet-score-sum\n\nWhat: the indicators' scores (plus the budget-execution score) must add up to the total row's score or the stated 自评得分; a subtotal row of a first- or second-level indicator must equal the rows below it, and is not counted again. A 小计 row must equal the rows it closes (written in the third-level column it closes its second-level group, in the first- or second-level column its first-level group; a deeper 小计 stands for its rows), and the total must equal the sum of the 小计s (with the rows under none) or of the rows — either will do: each figure is checked once, at its own level.\n\nWhy: the total is the sum of the scores.\n\nExample: scores summing to 86 under a total of 88 → error.\n"
);
rule!(
    MISSING_REASON,
    "SP0207",
    "sheet-missing-reason",
    Warning,
    "得分低于分值但没有写偏差原因",
    "a score below its weight has no stated reason",
    "## SP0207 sheet-missing-reason（扣分未说明原因）\n\n检查什么：得分低于分值的指标，偏差原因分析（扣分原因）一栏不能为空，也不能只写占位符（“—”“-”“/”“无”“无偏差”）。\n原因栏的表头可写作偏差原因分析及改进措施、未完成原因分析、评分依据及扣分原因、扣分原因等（schemas/templates/indicators.toml）。\n\n为什么：财政部门要求对未完成的指标说明原因和改进措施。\n\n示例：分值 10、得分 8、偏差原因为空 → 警告。\n",
    "## SP0207 sheet-missing-reason\n\nWhat: an indicator scored below its weight must have its deviation reason (扣分原因) filled in, and with more than a placeholder (\"—\", \"-\", \"/\", \"无\", \"无偏差\"). The reason column may be headed 偏差原因分析及改进措施, 未完成原因分析, 评分依据及扣分原因, 扣分原因 … (schemas/templates/indicators.toml).\n\nWhy: finance bureaus require a reason and remedy for every shortfall.\n\nExample: weight 10, score 8, empty reason → warning.\n"
);

rule!(
    FULL_MARKS_MISSED,
    "SP0212",
    "sheet-target-missed",
    Warning,
    "实际完成值未达到指标值却得满分",
    "full marks for an indicator whose achieved value misses its target",
    "## SP0212 sheet-target-missed（未达指标值却得满分）\n\n检查什么：绩效指标表中得分等于分值（满分）的指标，其实际完成值应达到年度指标值。指标值写明比较方式（≥、≤、≧、≦、>、<、＝、不低于、不少于、不高于、不超过、达到）且两个值都是同一单位的单个数字（%、人、天、个、元/户……）时才核对；按实际完成值最后一位的舍入判断“确实未达到”。写法不明确（区间、“以上”“约”、文字、单位不同）时不报。\n\n为什么：未完成的指标按规定应扣分并说明原因；满分而未达标，要么得分虚高，要么指标值或完成值填错。\n\n示例：指标值 ≥95%、实际完成值 92%、分值 10、得分 10 → 警告。\n",
    "## SP0212 sheet-target-missed\n\nWhat: an indicator given full marks (score = weight) must have reached its target. Checked only when the target states its comparison (≥, ≤, ≧, ≦, >, <, =, 不低于, 不少于, 不高于, 不超过, 达到) and both values are single numbers in the same unit (%, 人, 天, 个, 元/户 …); the achieved value must certainly miss the target within the rounding of its last digit. Ranges, \"以上\", \"约\", words or different units are left alone.\n\nWhy: a missed target is to be marked down and explained; full marks for it mean the score is inflated or a value is mis-entered.\n\nExample: target ≥95%, achieved 92%, weight 10, score 10 → warning.\n"
);

/// Judges one indicator table; `execution` is its budget-execution line and `stated_total` the
/// 自评得分 stated beside the sheet's tables.
pub(super) fn check(
    cells: &Cells,
    t: &IndicatorTable,
    execution: &ExecutionLine,
    stated_total: Option<&Num>,
    tol: &Tolerance,
    out: &mut Vec<Finding>,
) {
    let score_tol = tol.in_unit(Unit::Points);
    // Score ≤ weight, and a reason for every shortfall.
    for r in &t.rows {
        row_score(cells, t, r, score_tol, out);
        full_marks_missed(cells, r, out);
    }
    let rows = groups(t);
    subtotal_sums(cells, &rows, score_tol, out);
    label_weight_sums(cells, t, &rows, score_tol, out);
    table_sums(cells, t, &rows, execution, stated_total, score_tol, out);
}

/// SP0201 or SP0207 on one row: a score above its weight, or below it with no reason given.
fn row_score(
    cells: &Cells,
    t: &IndicatorTable,
    r: &IndicatorRow,
    score_tol: Decimal,
    out: &mut Vec<Finding>,
) {
    let (Some(w), Some(s)) = (r.weight, r.score) else {
        return;
    };
    if !points(&s)
        .interval()
        .can_be_at_most(points(&w).interval().widen(score_tol))
    {
        out.push(over_weight(cells, r, &s, &w));
    } else if t.has_reason && s.value < w.value && r.reason.as_deref().is_some_and(no_reason) {
        let col = t.columns.get(Field::Reason).copied().unwrap_or(s.col);
        out.push(missing_reason(cells, r, &s, &w, col));
    }
}

/// Whether a reason cell gives no reason: empty, or a placeholder ("—", "-", "/", "无", "无偏差").
fn no_reason(text: &str) -> bool {
    let t = text.trim();
    is_placeholder(t) || matches!(t, "无偏差" | "无原因" | "暂无" | "…" | "……")
}

/// SP0212: the row scores its full weight although its achieved value misses its target.
fn full_marks_missed(cells: &Cells, r: &IndicatorRow, out: &mut Vec<Finding>) {
    let (Some(w), Some(s), Some(tw), Some(aw)) = (r.weight, r.score, &r.target, &r.actual) else {
        return;
    };
    if w.value <= Decimal::ZERO || s.value != w.value {
        return;
    }
    let (Some((sign, goal)), Some(got)) = (target::target(&tw.text), target::achieved(&aw.text))
    else {
        return;
    };
    if !target::misses(sign, &goal, &got) {
        return;
    }
    let f = Finding::new(
        &FULL_MARKS_MISSED,
        cells.source.clone(),
        Text::new(
            format!(
                "“{}”实际完成值 {} 未达到指标值 {}，却得满分 {}（{}）",
                r.name(),
                aw.text,
                tw.text,
                s.value,
                cells.at(&s)
            ),
            format!(
                "\"{}\" achieved {}, missing its target {}, yet scores full marks {} ({})",
                r.name(),
                aw.text,
                tw.text,
                s.value,
                cells.at(&s)
            ),
        ),
    )
    .expected_found(format!("< {}", w.value), s.value.to_string());
    let f = cells.label(f, s.row, s.col, "满分".into(), "full marks".into());
    let f = cells.label(
        f,
        aw.row,
        aw.col,
        format!("实际 {}", aw.text),
        format!("achieved {}", aw.text),
    );
    out.push(cells.label(
        f,
        tw.row,
        tw.col,
        format!("指标值 {}{}{}", sign.symbol(), goal.value, goal.unit),
        format!("target {}{}{}", sign.symbol(), goal.value, goal.unit),
    ));
}

/// SP0201: the row's score `s` is above its weight `w`.
fn over_weight(cells: &Cells, r: &IndicatorRow, s: &Num, w: &Num) -> Finding {
    let (note_zh, note_en) = cells.words_note(&[s, w]);
    let f = Finding::new(
        &OVER_WEIGHT,
        cells.source.clone(),
        Text::new(
            format!(
                "“{}”得分 {}（{}）超过分值 {}（{}）{note_zh}",
                r.name(),
                s.value,
                cells.at(s),
                w.value,
                cells.at(w)
            ),
            format!(
                "\"{}\" scores {} ({}) above its weight {} ({}){note_en}",
                r.name(),
                s.value,
                cells.at(s),
                w.value,
                cells.at(w)
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
    cells.label(f, w.row, w.col, "分值".into(), "weight".into())
}

/// SP0207: the row's score `s` is below its weight `w` and its reason cell (column `col`) is
/// empty.
fn missing_reason(cells: &Cells, r: &IndicatorRow, s: &Num, w: &Num, col: u32) -> Finding {
    let f = Finding::new(
        &MISSING_REASON,
        cells.source.clone(),
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
    cells.label(f, s.row, s.col, "得分".into(), "score".into())
}

/// SP0203 and SP0202 on each subtotal row: its score and weight over those of its rows. A 小计
/// over deeper 小计s is right if it adds up either them or the rows under them (a wrong deeper
/// 小计 is reported once, by its own sum).
fn subtotal_sums(cells: &Cells, rows: &Groups, score_tol: Decimal, out: &mut Vec<Finding>) {
    type Value = fn(&IndicatorRow) -> Option<&Num>;
    type Unread = fn(&IndicatorRow) -> bool;
    let sums: [(&'static Rule, &str, &str, Value, Unread); 2] = [
        (
            &SCORE_SUM,
            "得分",
            "score",
            |r| r.score.as_ref(),
            |r| r.unread_score,
        ),
        (
            &WEIGHT_SUM,
            "分值",
            "weight",
            |r| r.weight.as_ref(),
            |r| r.unread_weight,
        ),
    ];
    for sub in &rows.subtotals {
        for (rule, what_zh, what_en, value, unread) in sums {
            let Some(total) = value(sub.row).filter(|_| !sub.parts.iter().any(|k| unread(k)))
            else {
                continue;
            };
            fn nums<'a>(rows: &[&'a IndicatorRow], value: Value) -> Vec<&'a Num> {
                rows.iter().filter_map(|k| value(k)).collect()
            }
            let under = nums(&sub.rows, value);
            if !sub.rows.is_empty()
                && !sub.rows.iter().any(|k| unread(k))
                && !under.is_empty()
                && agrees(total, &under, score_tol)
            {
                continue;
            }
            sum_mismatch(
                cells,
                rule,
                what_zh,
                what_en,
                &sub.row.name(),
                total,
                &nums(&sub.parts, value),
                score_tol,
                out,
            );
        }
    }
}

/// SP0202 on the levels' own weights, written in a label ("产出指标(50分)") or in a level's
/// 分值 column: each over the weights of its children, the second-level weights of its group
/// where they cover its rows, else its rows. Rows and weights are grouped by label once (maps),
/// so the cost is linear in the rows.
fn label_weight_sums(
    cells: &Cells,
    t: &IndicatorTable,
    rows: &Groups,
    score_tol: Decimal,
    out: &mut Vec<Finding>,
) {
    if t.label_weights.is_empty() {
        return;
    }
    // Per first level, and per (first, second) level: the rows' weights and whether one is
    // unread; whether a row has no stated second-level weight.
    #[derive(Default)]
    struct Under<'a> {
        weights: Vec<&'a Num>,
        unread: bool,
        uncovered: bool,
    }
    let mut seconds: HashMap<(&str, &str), &Num> = HashMap::default();
    let mut seconds_of: HashMap<&str, Vec<&Num>> = HashMap::default();
    for l in t.label_weights.iter().filter(|l| l.level == 2) {
        if seconds.insert((&l.parent, &l.label), &l.weight).is_none() {
            seconds_of.entry(&l.parent).or_default().push(&l.weight);
        }
    }
    let mut by_first: HashMap<&str, Under> = HashMap::default();
    let mut by_second: HashMap<(&str, &str), Under> = HashMap::default();
    for r in &rows.leaves {
        let key2 = (&*r.level1, &*r.level2);
        for u in [
            by_first.entry(&r.level1).or_default(),
            by_second.entry(key2).or_default(),
        ] {
            u.weights.extend(r.weight.as_ref());
            u.unread |= r.unread_weight;
        }
        if !seconds.contains_key(&key2) {
            by_first.entry(&r.level1).or_default().uncovered = true;
        }
    }
    for lw in &t.label_weights {
        let under = if lw.level == 1 {
            by_first.get(lw.label.as_str())
        } else {
            by_second.get(&(lw.parent.as_str(), lw.label.as_str()))
        };
        let Some(under) = under else {
            continue;
        };
        let children = seconds_of.get(lw.label.as_str()).filter(|_| lw.level == 1);
        let nums: &[&Num] = match children {
            Some(c) if !under.uncovered => c,
            _ if under.unread => continue,
            _ => &under.weights,
        };
        if !nums.is_empty() {
            sum_mismatch(
                cells,
                &WEIGHT_SUM,
                "分值",
                "weight",
                &lw.label,
                &lw.weight,
                nums,
                score_tol,
                out,
            );
        }
    }
}

/// The weights the table's total is the sum of: the first levels' own, when every row is under
/// a first level that states one (each level is compared with its children, and the total with
/// the levels below it only once), else the rows'. `None` when a weight needed cannot be read.
fn top_weights<'a>(t: &'a IndicatorTable, rows: &Groups<'a>) -> Option<Vec<&'a Num>> {
    let mut firsts: HashMap<&str, &Num> = HashMap::default();
    let mut order = Vec::new();
    for l in t.label_weights.iter().filter(|l| l.level == 1) {
        if firsts.insert(&l.label, &l.weight).is_none() {
            order.push(&l.weight);
        }
    }
    let covered = !firsts.is_empty() && rows.leaves.iter().all(|r| firsts.contains_key(&*r.level1));
    if covered {
        return Some(order);
    }
    if rows.leaves.iter().any(|r| r.unread_weight) {
        return None;
    }
    Some(
        rows.leaves
            .iter()
            .filter_map(|r| r.weight.as_ref())
            .collect(),
    )
}

/// SP0202 and SP0203 on the whole table: the leaves plus the budget-execution line against the
/// total row (its weight, or 100 when it has none; its score, or the stated 自评得分).
fn table_sums(
    cells: &Cells,
    t: &IndicatorTable,
    rows: &Groups,
    execution: &ExecutionLine,
    stated_total: Option<&Num>,
    score_tol: Decimal,
    out: &mut Vec<Finding>,
) {
    let mut weights: Vec<&Num> = top_weights(t, rows).unwrap_or_default();
    let unread_scores = rows.leaves.iter().any(|r| r.unread_score);
    let mut scores: Vec<&Num> = rows
        .leaves
        .iter()
        .filter_map(|r| r.score.as_ref())
        .filter(|_| !unread_scores)
        .collect();
    weights.extend(execution.weights.iter().copied());
    scores.extend(execution.scores.iter().copied());
    // With 小计 rows, the total may add up its 小计s (and the rows under none) or its rows: it is
    // right if either sum gives it, and is compared with the 小计s when neither does. A wrong
    // row or a wrong 小计 is then reported once, by its 小计's own sum.
    if !rows.tops.is_empty() {
        let tops = |value: fn(&IndicatorRow) -> Option<&Num>, unread: fn(&IndicatorRow) -> bool| {
            (!rows.tops.iter().any(|r| unread(r))).then(|| {
                rows.tops
                    .iter()
                    .filter_map(|r| value(r))
                    .collect::<Vec<&Num>>()
            })
        };
        if let (Some(mut by_tops), Some(total)) = (
            tops(|r| r.score.as_ref(), |r| r.unread_score),
            t.total_score.or(stated_total.copied()),
        ) {
            by_tops.extend(execution.scores.iter().copied());
            let by_rows = !scores.is_empty() && agrees(&total, &scores, score_tol);
            scores = if by_rows { Vec::new() } else { by_tops };
        }
        if let Some(mut by_tops) = tops(|r| r.weight.as_ref(), |r| r.unread_weight) {
            by_tops.extend(execution.weights.iter().copied());
            let total = t.total_weight.unwrap_or(Num {
                value: Decimal::ONE_HUNDRED,
                decimals: 2,
                row: t.header_row,
                col: 0,
            });
            let by_rows = !weights.is_empty() && agrees(&total, &weights, score_tol);
            weights = if by_rows { Vec::new() } else { by_tops };
        }
    }
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
        .filter(|_| scores.len() >= 2 && !unread_scores)
    {
        sum_mismatch(
            cells, &SCORE_SUM, "得分", "score", "总分", &total, &scores, score_tol, out,
        );
    }
}

/// Whether `parts` can add up to `total` (precision-aware), as `sum_mismatch` judges it.
fn agrees(total: &Num, parts: &[&Num], score_tol: Decimal) -> bool {
    sum_interval(parts, points).intersects(points(total).interval().widen(score_tol))
}

fn sum_interval(nums: &[&Num], q: impl Fn(&Num) -> Quantity) -> Interval {
    nums.iter().fold(Interval::point(Decimal::ZERO), |acc, n| {
        acc.plus(q(n).interval())
    })
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
    let mut all: Vec<&Num> = parts.to_vec();
    all.push(total);
    let (note_zh, note_en) = cells.words_note(&all);
    let f = Finding::new(
        rule,
        cells.source.clone(),
        Text::new(
            format!(
                "{name}·{what_zh}({}) ≠ 其下 {} 项{what_zh}之和({})，差额 {}（{}）{note_zh}",
                fmt(total.value, places),
                parts.len(),
                fmt(sum, places),
                fmt(total.value - sum, places),
                cells.at(total)
            ),
            format!(
                "{name} {what_en} ({}) ≠ the sum of its {} parts ({}), difference {} ({}){note_en}",
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
