//! Tables in worksheets, recognised by header text (schemas/templates/*.toml), never by
//! position: a 绩效指标 block (一级/二级/三级指标 | 分值 | 得分 | 偏差原因 …) and a 项目资金 block
//! (年初预算数 | 全年预算数 | 全年执行数 | 执行率 …, rows 年度资金总额 / 其中 …). Several blocks
//! may share a sheet; merged 一级/二级 cells are filled down; weights written in labels
//! ("产出指标(50分)") are lifted out. Numeric cells are read leniently ("98.00%", 0.98, "90") and a
//! numeric cell holding words ("八十", "90分") is reported, the rest of the table still read.

use crate::extract::normalize::normalize;
use crate::source::sheet::{Sheet, Value};
use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub rate_base: Option<String>,
    /// How the fund block's 得分 follows from its 执行率: "rate_times_weight" (得分 = 执行率 × 分值,
    /// at most 分值); absent when the template states no rule.
    #[serde(default)]
    pub score_rule: Option<String>,
    pub columns: HashMap<String, Vec<String>>,
    #[serde(default)]
    pub rows: HashMap<String, Vec<String>>,
    /// Header word → column field, built from `columns` when the template is parsed.
    #[serde(skip)]
    fields_by_word: HashMap<String, String>,
    /// The longest header word, in bytes: a longer cell names no column (most prose cells).
    #[serde(skip)]
    longest_word: usize,
}

const BUILTIN: &[(&str, &str)] = &[
    (
        "schemas/templates/indicators.toml",
        include_str!("../../schemas/templates/indicators.toml"),
    ),
    (
        "schemas/templates/funds.toml",
        include_str!("../../schemas/templates/funds.toml"),
    ),
];

/// Parses and validates a template file.
pub fn parse_template(text: &str) -> Result<Template, String> {
    let mut t: Template = toml::from_str(text).map_err(|e| e.to_string())?;
    // Fields in name order, so a word listed under two fields always means the same one.
    let mut fields: Vec<(&String, &Vec<String>)> = t.columns.iter().collect();
    fields.sort();
    let mut by_word = HashMap::new();
    for (field, words) in fields {
        for w in words {
            by_word.entry(w.clone()).or_insert_with(|| field.clone());
        }
    }
    t.longest_word = by_word.keys().map(String::len).max().unwrap_or(0);
    t.fields_by_word = by_word;
    let (needed, known): (&[&str], &[&str]) = match t.kind.as_str() {
        "indicators" => (
            &["score"],
            &[
                "level1", "level2", "level3", "target", "actual", "weight", "score", "reason",
            ],
        ),
        "funds" => (
            &["actual"],
            &[
                "initial",
                "full_year",
                "actual",
                "rate",
                "weight",
                "score",
                "reason",
            ],
        ),
        other => return Err(format!("unknown kind `{other}` (indicators or funds)")),
    };
    if let Some(rule) = t
        .score_rule
        .as_deref()
        .filter(|r| *r != "rate_times_weight")
    {
        return Err(format!("unknown score_rule `{rule}` (rate_times_weight)"));
    }
    for key in t.columns.keys() {
        if !known.contains(&key.as_str()) {
            return Err(format!(
                "unknown column `{key}`; known: {}",
                known.join(", ")
            ));
        }
    }
    for key in needed {
        if !t.columns.contains_key(*key) {
            return Err(format!("missing column `{key}`"));
        }
    }
    Ok(t)
}

/// The built-in templates.
pub fn builtin() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(name, text)| match parse_template(text) {
                Ok(t) => t,
                // Checked by a unit test; an invalid built-in template is a build defect.
                Err(e) => panic!("{name}: {e}"),
            })
            .collect()
    })
}

/// Header text as compared with templates: full-width → ASCII, no whitespace, no bracketed notes
/// ((A), (万元), (50分)), no trailing colon, no 其中 prefix.
pub fn header_key(text: &str) -> String {
    key_of(text).into_owned()
}

/// `header_key`, borrowed when the text is its own key.
fn key_of(text: &str) -> Cow<'_, str> {
    // Most cells are already keys: nothing to map, strip or drop.
    let plain = !text.starts_with("其中")
        && !text.chars().any(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '\u{00A0}' | '(' | ':' | '['
                )
        });
    if plain {
        return Cow::Borrowed(text);
    }
    static BRACKETS: OnceLock<Regex> = OnceLock::new();
    let brackets = BRACKETS.get_or_init(|| Regex::new(r"\([^()]*\)").expect("valid regex"));
    let n = normalize(text).text;
    let compact: String = n.chars().filter(|c| !c.is_whitespace()).collect();
    let stripped = if compact.contains('(') {
        brackets.replace_all(&compact, "")
    } else {
        compact.as_str().into()
    };
    Cow::Owned(
        stripped
            .trim_start_matches("其中")
            .trim_start_matches(':')
            .trim_end_matches(':')
            .to_string(),
    )
}

/// A cell's header key. A number's text is already its key, and an empty cell has none.
fn cell_key(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Empty => Cow::Borrowed(""),
        Value::Number(..) => Cow::Owned(v.text()),
        Value::Text(t) => key_of(t),
        _ => Cow::Owned(header_key(&v.text())),
    }
}

/// A number read from a cell, where it was, and whether its text needed forgiving.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    pub value: Decimal,
    pub decimals: u32,
    pub row: u32,
    pub col: u32,
}

/// A numeric cell that holds words instead ("八十", "90分", "９０").
#[derive(Debug, Clone, PartialEq)]
pub struct BadCell {
    pub row: u32,
    pub col: u32,
    pub text: String,
    pub header: String,
}

/// A placeholder meaning "not applicable".
fn is_placeholder(t: &str) -> bool {
    matches!(
        t.trim(),
        "" | "—" | "——" | "-" | "－" | "/" | "／" | "*" | "＊" | "无" | "不适用" | "\\"
    )
}

/// Reads a numeric cell: a number, or text that is only a number (maybe with % or 分). Returns
/// the number, and whether the cell should be reported as text in a numeric column.
fn read_number(v: &Value) -> (Option<(Decimal, u32, bool)>, bool) {
    match v {
        Value::Number(d, p) => (Some((*d, *p, false)), false),
        Value::Text(t) if is_placeholder(t) => (None, false),
        Value::Text(t) => {
            let n = normalize(t.trim()).text;
            let plain = n.replace(',', "");
            let (body, percent) = match plain.strip_suffix('%') {
                Some(b) => (b.trim(), true),
                None => (plain.as_str(), false),
            };
            // Numbers stored as text are fine; a unit or full-width digits are worth a word.
            let (body, unit) = match body.strip_suffix('分') {
                Some(b) => (b.trim(), true),
                None => (body, false),
            };
            match Decimal::from_str(body) {
                Ok(d) => {
                    let decimals = body
                        .split_once('.')
                        .map(|(_, f)| f.len() as u32)
                        .unwrap_or(0);
                    let forgiven = unit || n != t.trim();
                    (Some((d, decimals, percent)), forgiven)
                }
                Err(_) => (None, true),
            }
        }
        Value::Other(_) => (None, false),
        _ => (None, false),
    }
}

/// One indicator row.
#[derive(Debug, Clone)]
pub struct IndicatorRow {
    pub row: u32,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub weight: Option<Num>,
    pub score: Option<Num>,
    pub reason: Option<String>,
}

impl IndicatorRow {
    pub fn name(&self) -> String {
        [&self.level3, &self.level2, &self.level1]
            .into_iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_default()
    }
}

/// A weight written in a label: "产出指标(50分)" → 50 for 产出指标.
#[derive(Debug, Clone)]
pub struct LabelWeight {
    pub level: u8,
    pub label: String,
    pub weight: Num,
}

#[derive(Debug, Clone)]
pub struct IndicatorTable {
    pub header_row: u32,
    pub columns: HashMap<String, u32>,
    pub rows: Vec<IndicatorRow>,
    pub total_weight: Option<Num>,
    pub total_score: Option<Num>,
    pub label_weights: Vec<LabelWeight>,
    pub has_reason: bool,
}

#[derive(Debug, Clone)]
pub struct FundRow {
    pub row: u32,
    pub label: String,
    pub total: bool,
    pub part: bool,
    pub values: HashMap<String, Num>,
    /// Whether the rate column was written as a fraction (0.98) rather than a percentage.
    pub rate_fraction: bool,
}

#[derive(Debug, Clone)]
pub struct FundTable {
    pub header_row: u32,
    pub columns: HashMap<String, u32>,
    pub rows: Vec<FundRow>,
    /// The template's scoring rule for the fund block, if it states one.
    pub score_rule: Option<String>,
    /// Unit of the amounts, from the block label or headers: (万元) by default, (元) when said.
    pub yuan: bool,
}

/// Everything read from one sheet.
#[derive(Debug, Clone, Default)]
pub struct SheetTables {
    pub indicators: Vec<IndicatorTable>,
    pub funds: Vec<FundTable>,
    pub bad_cells: Vec<BadCell>,
    /// A stated total score outside the tables (自评得分 | 88), and the grade (等级 | 良好).
    pub stated_total: Option<Num>,
    pub grade: Option<(String, u32, u32)>,
}

impl SheetTables {
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty() && self.funds.is_empty() && self.stated_total.is_none()
    }
}

/// Which template field a header cell names.
fn field_of<'a>(t: &'a Template, key: &str) -> Option<&'a str> {
    if key.is_empty() || key.len() > t.longest_word {
        return None;
    }
    t.fields_by_word.get(key).map(String::as_str)
}

/// The header key of every cell of a sheet, computed once.
type Keys<'a> = [Vec<Cow<'a, str>>];

fn key_at<'k>(keys: &'k Keys<'_>, row: usize, col: usize) -> &'k str {
    keys.get(row)
        .and_then(|r| r.get(col))
        .map(|k| k.as_ref())
        .unwrap_or("")
}

fn header_columns(t: &Template, keys: &Keys<'_>, row: usize) -> HashMap<String, u32> {
    let mut cols = HashMap::new();
    for (c, key) in keys.get(row).into_iter().flatten().enumerate() {
        if let Some(f) = field_of(t, key) {
            cols.entry(f.to_string()).or_insert(c as u32);
        }
    }
    cols
}

/// Whether a row is a header of the template's kind, without building its column map.
fn is_header(t: &Template, keys: &Keys<'_>, row: usize) -> bool {
    let mut fields: Vec<&str> = Vec::new();
    for key in keys.get(row).into_iter().flatten() {
        if let Some(f) = field_of(t, key) {
            fields.push(f);
        }
    }
    let has = |field: &str| fields.contains(&field);
    match t.kind.as_str() {
        "indicators" => has("score") && (has("level1") || has("level2") || has("level3")),
        "funds" => has("actual") && (has("initial") || has("full_year")),
        _ => false,
    }
}

fn row_text<'k, 'a>(keys: &'k Keys<'a>, row: usize) -> &'k [Cow<'a, str>] {
    keys.get(row).map(Vec::as_slice).unwrap_or(&[])
}

fn label_weight(text: &str) -> Option<(Decimal, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\(([0-9]+(?:\.[0-9]+)?)分\)").expect("valid regex"));
    let n = normalize(text).text;
    let c = re.captures(&n)?;
    let s = c.get(1)?.as_str();
    let d = Decimal::from_str(s).ok()?;
    Some((
        d,
        s.split_once('.').map(|(_, f)| f.len() as u32).unwrap_or(0),
    ))
}

/// Reads every recognised table of a sheet.
pub fn read_sheet(sheet: &Sheet, templates: &[&Template]) -> SheetTables {
    let mut out = SheetTables::default();
    let keys: Vec<Vec<Cow<'_, str>>> = sheet
        .cells
        .iter()
        .map(|r| r.iter().map(cell_key).collect())
        .collect();
    let keys = keys.as_slice();
    let headers: Vec<(usize, &Template, HashMap<String, u32>)> = (0..sheet.cells.len())
        .flat_map(|r| {
            templates
                .iter()
                .copied()
                .filter(move |t| is_header(t, keys, r))
                .map(move |t| (r, t, header_columns(t, keys, r)))
        })
        .collect();
    for (i, (r, t, cols)) in headers.iter().enumerate() {
        let end = headers
            .get(i + 1)
            .map(|(n, _, _)| *n)
            .unwrap_or(sheet.cells.len());
        match t.kind.as_str() {
            "indicators" => out.indicators.push(read_indicators(
                sheet,
                keys,
                t,
                *r,
                end,
                cols.clone(),
                &mut out.bad_cells,
            )),
            _ => out.funds.push(read_funds(
                sheet,
                keys,
                t,
                *r,
                end,
                cols.clone(),
                &mut out.bad_cells,
            )),
        }
    }
    read_stated(sheet, keys, &mut out);
    out
}

fn num_at(
    sheet: &Sheet,
    row: usize,
    col: Option<u32>,
    header: &str,
    bad: &mut Vec<BadCell>,
) -> Option<(Num, bool)> {
    let col = col?;
    let v = sheet.get(row, col as usize);
    let (n, flag) = read_number(v);
    if flag {
        bad.push(BadCell {
            row: row as u32,
            col,
            text: v.text(),
            header: header.to_string(),
        });
    }
    n.map(|(value, decimals, percent)| {
        (
            Num {
                value,
                decimals,
                row: row as u32,
                col,
            },
            percent,
        )
    })
}

fn read_indicators(
    sheet: &Sheet,
    keys: &Keys<'_>,
    t: &Template,
    header: usize,
    end: usize,
    columns: HashMap<String, u32>,
    bad: &mut Vec<BadCell>,
) -> IndicatorTable {
    let total_words = t.rows.get("total").cloned().unwrap_or_default();
    let text_at = |r: usize, f: &str| {
        columns
            .get(f)
            .map(|c| sheet.get(r, *c as usize).text().trim().to_string())
            .unwrap_or_default()
    };
    let mut table = IndicatorTable {
        header_row: header as u32,
        has_reason: columns.contains_key("reason"),
        columns: columns.clone(),
        rows: Vec::new(),
        total_weight: None,
        total_score: None,
        label_weights: Vec::new(),
    };
    let (mut l1, mut l2) = (String::new(), String::new());
    let mut blank_run = 0;
    for r in header + 1..end {
        let texts = row_text(keys, r);
        if texts.iter().all(|t| t.is_empty()) {
            blank_run += 1;
            if blank_run >= 3 {
                break;
            }
            continue;
        }
        blank_run = 0;
        // No row here is a header: `end` is the next header row of any template, so a header
        // repeated on a new page starts a table of its own (`read_sheet`).
        let weight = num_at(sheet, r, columns.get("weight").copied(), "分值", bad).map(|n| n.0);
        let score = num_at(sheet, r, columns.get("score").copied(), "得分", bad).map(|n| n.0);
        let first_label = texts
            .iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_default();
        if total_words
            .iter()
            .any(|w| first_label.starts_with(w.as_str()))
        {
            table.total_weight = weight;
            table.total_score = score;
            break;
        }
        let (a, b, c) = (
            text_at(r, "level1"),
            text_at(r, "level2"),
            text_at(r, "level3"),
        );
        // Merged 一级/二级 cells are empty below their first row: fill down.
        if !a.is_empty() {
            l1 = a.clone();
            l2.clear();
            if let Some((w, d)) = label_weight(&a) {
                table.label_weights.push(LabelWeight {
                    level: 1,
                    label: a.clone(),
                    weight: Num {
                        value: w,
                        decimals: d,
                        row: r as u32,
                        col: columns["level1"],
                    },
                });
            }
        }
        if !b.is_empty() {
            l2 = b.clone();
            if let Some((w, d)) = label_weight(&b) {
                table.label_weights.push(LabelWeight {
                    level: 2,
                    label: b.clone(),
                    weight: Num {
                        value: w,
                        decimals: d,
                        row: r as u32,
                        col: columns["level2"],
                    },
                });
            }
        }
        if weight.is_none() && score.is_none() && c.is_empty() {
            continue;
        }
        table.rows.push(IndicatorRow {
            row: r as u32,
            level1: l1.clone(),
            level2: l2.clone(),
            level3: c,
            weight,
            score,
            reason: columns.get("reason").map(|_| text_at(r, "reason")),
        });
    }
    table
}

fn read_funds(
    sheet: &Sheet,
    keys: &Keys<'_>,
    t: &Template,
    header: usize,
    end: usize,
    columns: HashMap<String, u32>,
    bad: &mut Vec<BadCell>,
) -> FundTable {
    let totals = t.rows.get("total").cloned().unwrap_or_default();
    let parts = t.rows.get("parts").cloned().unwrap_or_default();
    let first_value_col = columns.values().copied().min().unwrap_or(0) as usize;
    let header_text: String = (0..sheet.width())
        .map(|c| normalize(&sheet.get(header, c).text()).text)
        .collect();
    let mut table = FundTable {
        header_row: header as u32,
        yuan: header_text.contains("(元)"),
        score_rule: t.score_rule.clone(),
        columns: columns.clone(),
        rows: Vec::new(),
    };
    let mut blank_run = 0;
    for r in header + 1..end {
        let labels: Vec<String> = (0..first_value_col)
            .map(|c| key_at(keys, r, c).to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let label = labels.last().cloned().unwrap_or_default();
        let raw_label: String = (0..first_value_col)
            .map(|c| normalize(&sheet.get(r, c).text()).text)
            .collect::<Vec<_>>()
            .join("");
        if label.is_empty() {
            blank_run += 1;
            if blank_run >= 2 {
                break;
            }
            continue;
        }
        blank_run = 0;
        let total = totals.iter().any(|w| label.starts_with(w.as_str()));
        let part = !total
            && (raw_label.contains("其中") || parts.iter().any(|w| label.starts_with(w.as_str())));
        if !total && !part {
            // The fund block ends where rows stop being fund sources.
            break;
        }
        let mut values = HashMap::new();
        let mut rate_fraction = false;
        for field in ["initial", "full_year", "actual", "rate", "weight", "score"] {
            let header_word = match field {
                "initial" => "年初预算数",
                "full_year" => "全年预算数",
                "actual" => "全年执行数",
                "rate" => "执行率",
                "weight" => "分值",
                _ => "得分",
            };
            if let Some((n, percent)) =
                num_at(sheet, r, columns.get(field).copied(), header_word, bad)
            {
                let mut n = n;
                if field == "rate" && !percent && n.value.abs() <= Decimal::new(15, 1) {
                    // calamine drops number formats: a cell shown as 98.00% arrives as 0.98.
                    rate_fraction = true;
                    n.value *= Decimal::ONE_HUNDRED;
                    n.decimals = n.decimals.saturating_sub(2);
                }
                values.insert(field.to_string(), n);
            }
        }
        table.rows.push(FundRow {
            row: r as u32,
            label,
            total,
            part,
            values,
            rate_fraction,
        });
    }
    table
}

/// "自评得分 | 88" or "总分：88" as a header field, and "等级 | 良好", anywhere on the sheet.
fn read_stated(sheet: &Sheet, keys: &Keys<'_>, out: &mut SheetTables) {
    const TOTAL: &[&str] = &[
        "自评得分",
        "自评总分",
        "自评分数",
        "综合得分",
        "总得分",
        "评价得分",
    ];
    const GRADE: &[&str] = &[
        "等级",
        "评价等级",
        "自评等级",
        "评价结果",
        "等次",
        "自评结果",
    ];
    let in_table = |r: u32| {
        out.indicators.iter().any(|t| r == t.header_row)
            || out.funds.iter().any(|t| r == t.header_row)
    };
    for (r, row) in sheet.cells.iter().enumerate() {
        if in_table(r as u32) {
            continue;
        }
        for c in 0..row.len() {
            let key = key_at(keys, r, c);
            if !TOTAL.contains(&key) && !GRADE.contains(&key) {
                continue;
            }
            let next = (c + 1..row.len()).find(|&n| !row[n].is_empty());
            let number_next = next.and_then(|n| read_number(&row[n]).0.map(|v| (n, v)));
            if let Some((n, (value, decimals, _))) =
                number_next.filter(|_| out.stated_total.is_none() && TOTAL.contains(&key))
            {
                out.stated_total = Some(Num {
                    value,
                    decimals,
                    row: r as u32,
                    col: n as u32,
                });
            }
            let word_next = next.map(|n| (n, key_at(keys, r, n).to_string()));
            if let Some((n, word)) = word_next.filter(|(_, w)| {
                out.grade.is_none()
                    && GRADE.contains(&key)
                    && !w.is_empty()
                    && w.chars().count() <= 4
            }) {
                out.grade = Some((word, r as u32, n as u32));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_are_valid() {
        assert_eq!(builtin().len(), 2);
        assert!(parse_template("name='x'\nkind='other'\n[columns]\n").is_err());
        let bad = "name='x'\nkind='indicators'\n[columns]\nscore=['得分']\nbogus=['y']\n";
        assert!(parse_template(bad).unwrap_err().contains("bogus"));
    }

    #[test]
    fn header_keys_ignore_decoration() {
        assert_eq!(header_key("全年预算数（A）"), "全年预算数");
        assert_eq!(header_key("执行率(B/A)"), "执行率");
        assert_eq!(header_key("绩 效 目 标"), "绩效目标");
        assert_eq!(header_key("其中：当年财政拨款"), "当年财政拨款");
        assert_eq!(header_key("年度资金总额:"), "年度资金总额");
        assert_eq!(header_key("项目资金（万元）"), "项目资金");
    }

    #[test]
    fn numeric_cells_are_read_leniently() {
        let t = |s: &str| read_number(&Value::Text(s.into()));
        assert_eq!(t("98.00%").0, Some((Decimal::new(9800, 2), 2, true)));
        assert!(!t("90").1);
        assert_eq!(t("90分").0.map(|n| n.0), Some(Decimal::from(90)));
        assert!(t("90分").1);
        assert!(t("９０").1);
        assert_eq!(t("八十"), (None, true));
        assert_eq!(t("—"), (None, false));
        assert_eq!(t("/"), (None, false));
    }
}
