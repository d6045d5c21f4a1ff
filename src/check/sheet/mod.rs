//! Sheet rules (SP02xx): relations inside the tables of an evaluation workbook. They judge what
//! `extract::sheet` read (the table model of `extract::table`, not cells) and read nothing
//! themselves; each finding labels the cells it involves. This module holds the rules about the
//! sheet as a whole (SP0206 grade, SP0208 words in a numeric cell, SP0209 no table recognised,
//! SP0210 a formula without its value) and runs those of `indicators` (SP0201–SP0203, SP0207, SP0212)
//! and `funds` (SP0204, SP0205, SP0211) over each table, and `years` (SP0213) over every sheet.
//!
//! Example: a sheet whose 总分 row scores 78 and whose 等级 reads 良 → SP0206 on both cells (78 is
//! in the band of 中).

use crate::diagnostic::{Finding, Place, Rule, Severity, Source, Text, cell_name};
use crate::extract::sheet::{execution_line, total_score};
use crate::extract::table::{BadCell, Field, Num, SheetTables};
use crate::quantity::format_fixed;
use crate::settings::Settings;
use crate::source::sheet::Sheet;
use rust_decimal::Decimal;
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

// Declared after `rule!`, which they use too.
mod funds;
mod indicators;
mod years;

pub use funds::{EXECUTION_SCORE, FUND_PARTS, RATE};
pub use indicators::{FULL_MARKS_MISSED, MISSING_REASON, OVER_WEIGHT, SCORE_SUM, WEIGHT_SUM};
pub use years::CHANGE;

rule!(
    GRADE,
    "SP0206",
    "sheet-grade-band",
    Error,
    "表中等级与总分所在档次不符",
    "the grade in a sheet does not match the band of its total score",
    "## SP0206 sheet-grade-band（表中等级与分数不符）\n\n检查什么：表中写的评价等级与总分所在档次一致（档次见 schemas/grades.toml）。等级单元格的标签可写作等级、\n自评等级、评价等级、绩效评价等级、综合评价等级、评价结论等；一张工作表有几张评分表时，每个等级与它上方那张表\n自己的总分核对。\n\n为什么：等级由分数决定。\n\n示例：总分 78，等级“良” → 应为“中”，错误。\n",
    "## SP0206 sheet-grade-band\n\nWhat: a grade written in the sheet must match the band of its total score (schemas/grades.toml). The grade's label may be 等级, 自评等级, 评价等级, 绩效评价等级, 综合评价等级, 评价结论 …; where a sheet holds several score tables, each grade is checked against the total of the table above it.\n\nWhy: the grade follows from the score.\n\nExample: total 78 graded 良 → should be 中, error.\n"
);
rule!(
    TEXT_IN_NUMBER,
    "SP0208",
    "sheet-text-in-number",
    Error,
    "数值单元格中是文字",
    "a numeric cell holds text",
    "## SP0208 sheet-text-in-number（数值单元格里是文字）\n\n检查什么：分值、得分、预算数、执行数、执行率等数值列中写了文字，如“八十”“90分”“９０”。\n能读出数字的（“90分”，以及“十七”“七分”这样的中文数字）按该数字参与其余核对，相关提示会写明
“按 17 计”；读不出数字的（“良好”），含它的合计不予核对，不会因缺了它再报一个合计错误。\n\n为什么：这样的单元格无法参与公式计算，汇总时会被当作 0。\n\n示例：得分列写“八十” → 错误，标出该单元格。\n",
    "## SP0208 sheet-text-in-number\n\nWhat: a numeric column (weight, score, budget, actual, rate) holds words: \"八十\", \"90分\", full-width \"９０\". Where a number can be read (\"90分\", and Chinese numerals such as \"十七\" or \"七分\") the other checks use it and say so (\"read as 17\"); where none can (\"良好\"), sums including the cell are not checked, rather than reported again without it.\n\nWhy: such cells do not take part in formulas and sum as 0.\n\nExample: a score cell reading 八十 → error on that cell.\n"
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
    &FULL_MARKS_MISSED,
    &CHANGE,
];

/// A cell label.
struct Cells<'a> {
    source: &'a Arc<Source>,
    sheet: &'a str,
    /// Numeric cells holding words, some read as the number they name ("十七" → 17).
    words: &'a [BadCell],
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

    /// What a message says of the figures among `nums` that were read from words: "（其中
    /// 评分表!H8“七分”按 7 计）", or nothing.
    fn words_note(&self, nums: &[&Num]) -> (String, String) {
        let read: Vec<(&Num, &BadCell)> = nums
            .iter()
            .filter_map(|n| {
                self.words
                    .iter()
                    .find(|b| b.row == n.row && b.col == n.col && b.read_as.is_some())
                    .map(|b| (*n, b))
            })
            .collect();
        if read.is_empty() {
            return (String::new(), String::new());
        }
        let zh: Vec<String> = read
            .iter()
            .map(|(n, b)| format!("{}“{}”按 {} 计", self.at(n), b.text, n.value))
            .collect();
        let en: Vec<String> = read
            .iter()
            .map(|(n, b)| format!("{} \"{}\" read as {}", self.at(n), b.text, n.value))
            .collect();
        (
            format!("（其中 {}）", zh.join("，")),
            format!(" ({})", en.join(", ")),
        )
    }
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
        words: &tables.bad_cells,
    };
    for &(r, c) in &sheet.uncached {
        out.push(uncached(&cells, r, c));
    }
    // Year-against-year tables need no template: their rows say what they are.
    years::check(&cells, sheet, &settings.tolerance, out);
    if tables.is_empty() {
        if report_unrecognised && sheet.cells.iter().any(|r| r.iter().any(|v| !v.is_empty())) {
            out.push(unrecognised(&cells));
        }
        return;
    }
    for b in &tables.bad_cells {
        out.push(text_in_number(&cells, b));
    }
    for (i, t) in tables.indicators.iter().enumerate() {
        let execution = execution_line(tables, i);
        let stated_total = tables.stated_total.as_ref();
        indicators::check(
            &cells,
            t,
            &execution,
            stated_total,
            &settings.tolerance,
            out,
        );
    }
    let places = score_places(tables);
    for t in &tables.funds {
        funds::check(&cells, t, &settings.tolerance, places, out);
    }
    for (word, r, c) in &tables.grades {
        // A grade grades the table above it: the last one whose header is above the grade.
        let own = tables
            .indicators
            .iter()
            .rfind(|t| t.header_row < *r)
            .and_then(|t| t.total_score);
        if let Some(n) = own.or_else(|| total_score(tables)) {
            check_grade(&cells, settings, word, *r, *c, &n, out);
        }
    }
}

/// The finest precision (decimals) of the scores a sheet writes: its indicators', its totals'
/// and its budget-execution scores.
fn score_places(tables: &SheetTables) -> u32 {
    let indicators = tables.indicators.iter().flat_map(|t| {
        t.rows
            .iter()
            .filter_map(|r| r.score.as_ref())
            .chain(t.total_score.as_ref())
    });
    let funds = tables
        .funds
        .iter()
        .flat_map(|t| t.rows.iter().filter_map(|r| r.values.get(Field::Score)));
    indicators
        .chain(funds)
        .chain(tables.stated_total.as_ref())
        .map(|n| n.decimals)
        .max()
        .unwrap_or(0)
}

/// SP0210: the formula at (`r`, `c`) has no cached value.
fn uncached(cells: &Cells, r: u32, c: u32) -> Finding {
    let sheet = cells.sheet;
    let f = Finding::new(
        &UNCACHED,
        cells.source.clone(),
        Text::new(
            format!(
                "{}!{} 有公式但没有保存计算结果，无法核对；请用 Excel/WPS 打开并保存",
                sheet,
                cell_name(r, c)
            ),
            format!(
                "{}!{} holds a formula with no cached value; open and save the file in Excel/WPS",
                sheet,
                cell_name(r, c)
            ),
        ),
    );
    cells.label(f, r, c, "公式".into(), "formula".into())
}

/// SP0209: no table was recognised in the sheet.
fn unrecognised(cells: &Cells) -> Finding {
    let f = Finding::new(
        &UNRECOGNISED,
        cells.source.clone(),
        Text::new(
            format!("工作表“{}”中没有识别出绩效指标表或项目资金表", cells.sheet),
            format!(
                "no indicator or fund table was recognised in sheet \"{}\"",
                cells.sheet
            ),
        ),
    );
    cells.label(f, 0, 0, String::new(), String::new())
}

/// SP0208: a numeric cell holds words; where they name a number ("十七"), it says that the
/// other checks read it so.
fn text_in_number(cells: &Cells, b: &BadCell) -> Finding {
    let sheet = cells.sheet;
    let (read_zh, read_en) = match b.read_as {
        Some(v) => (
            format!("；其余核对按 {v} 计"),
            format!("; the other checks read it as {v}"),
        ),
        None => (
            "；含此单元格的合计不予核对".to_string(),
            "; sums including it are not checked".to_string(),
        ),
    };
    let f = Finding::new(
        &TEXT_IN_NUMBER,
        cells.source.clone(),
        Text::new(
            format!(
                "{}!{}（{}）应为数字，实为“{}”{read_zh}",
                sheet,
                cell_name(b.row, b.col),
                b.header,
                b.text
            ),
            format!(
                "{}!{} ({}) should be a number, found \"{}\"{read_en}",
                sheet,
                cell_name(b.row, b.col),
                b.header,
                b.text
            ),
        ),
    );
    cells.label(f, b.row, b.col, "文字".into(), "text".into())
}

/// SP0206: the grade `word` at (`row`, `col`) against the band of the sheet's total score.
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
