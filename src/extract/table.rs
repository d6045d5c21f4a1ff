//! Tables in worksheets, recognised by header text (schemas/templates/*.toml), never by
//! position: a 绩效指标 block (一级/二级/三级指标 | 分值 | 得分 | 偏差原因 …) and a 项目资金 block
//! (年初预算数 | 全年预算数 | 全年执行数 | 执行率 …, rows 年度资金总额 / 其中 …). Several blocks
//! may share a sheet; merged 一级/二级 cells are filled down; weights written in labels
//! ("产出指标(50分)") are lifted out. Numeric cells are read leniently ("98.00%", 0.98, "90") and a
//! numeric cell holding words ("八十", "90分") is reported, the rest of the table still read.

use crate::extract::normalize::normalize;
use crate::quantity::is_figure_sized;
use crate::source::sheet::{Sheet, Value};
use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::str::FromStr;
use std::sync::OnceLock;

/// A column a template names (`[columns]` of schemas/templates/*.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Level1,
    Level2,
    Level3,
    Target,
    Actual,
    Weight,
    Score,
    Reason,
    Initial,
    FullYear,
    Rate,
}

impl Field {
    const ALL: [Field; 11] = [
        Field::Level1,
        Field::Level2,
        Field::Level3,
        Field::Target,
        Field::Actual,
        Field::Weight,
        Field::Score,
        Field::Reason,
        Field::Initial,
        Field::FullYear,
        Field::Rate,
    ];

    /// The field's name in templates.
    pub fn name(self) -> &'static str {
        match self {
            Field::Level1 => "level1",
            Field::Level2 => "level2",
            Field::Level3 => "level3",
            Field::Target => "target",
            Field::Actual => "actual",
            Field::Weight => "weight",
            Field::Score => "score",
            Field::Reason => "reason",
            Field::Initial => "initial",
            Field::FullYear => "full_year",
            Field::Rate => "rate",
        }
    }

    fn named(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A hash for looking cells up among header words: every cell of a sheet is looked up, and
/// SipHash over the whole cell cost more than the rest of reading the header. It mixes the
/// length and the first and last eight bytes (FxHash's step), which tells header words apart;
/// the table holds the template's few words whatever the cells, so cells that collide cost a
/// comparison each, no more.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

/// Builds `WordHasher`s, for maps and sets of header words.
pub(crate) type WordHash = BuildHasherDefault<WordHasher>;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.add(bytes.len() as u64);
        // Header words are two chars or more (six bytes): most keys are read as two words.
        match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(&first), Some(&last)) => {
                self.add(u64::from_le_bytes(first));
                self.add(u64::from_le_bytes(last));
            }
            _ => {
                let mut word = [0u8; 8];
                for (w, b) in word.iter_mut().zip(bytes) {
                    *w = *b;
                }
                self.add(u64::from_le_bytes(word));
            }
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One value per field: a header's columns, a fund row's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByField<T>([Option<T>; Field::ALL.len()]);

impl<T> Default for ByField<T> {
    fn default() -> Self {
        ByField(std::array::from_fn(|_| None))
    }
}

impl<T> ByField<T> {
    pub fn get(&self, field: Field) -> Option<&T> {
        self.0[field as usize].as_ref()
    }

    pub fn contains_key(&self, field: Field) -> bool {
        self.0[field as usize].is_some()
    }

    /// Sets the field's value unless it has one.
    fn or_insert(&mut self, field: Field, value: T) {
        self.0[field as usize].get_or_insert(value);
    }

    fn insert(&mut self, field: Field, value: T) {
        self.0[field as usize] = Some(value);
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flatten()
    }
}

/// The column of each field a table's header names.
pub type Columns = ByField<u32>;

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
    fields_by_word: HashMap<String, Field, WordHash>,
    /// The longest header word, in bytes: a longer cell names no column (most prose cells).
    #[serde(skip)]
    longest_word: usize,
    /// Whether a header word could be a number's text ("2023"): only then are numeric cells
    /// looked up as headers.
    #[serde(skip)]
    numeric_words: bool,
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
    // Fields in name order, so a word listed under two fields always means the same one.
    let mut fields: Vec<(&String, &Vec<String>)> = t.columns.iter().collect();
    fields.sort();
    let mut by_word = HashMap::default();
    for (name, words) in fields {
        // Every name is known by now.
        let Some(field) = Field::named(name) else {
            continue;
        };
        for w in words {
            by_word.entry(w.clone()).or_insert(field);
        }
    }
    t.longest_word = by_word.keys().map(String::len).max().unwrap_or(0);
    t.numeric_words = by_word.keys().any(|w| could_be_number_text(w));
    t.fields_by_word = by_word;
    Ok(t)
}

/// Whether a word could be how a number is written as a key (digits, a point, a minus sign).
fn could_be_number_text(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-'))
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
pub(crate) fn key_of(text: &str) -> Cow<'_, str> {
    if is_own_key(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(computed_key(text))
}

/// Whether a text is already its header key: nothing to map, strip or drop. Most cells are,
/// prose included: normalisation keeps the Chinese comma and semicolon (，；).
fn is_own_key(text: &str) -> bool {
    if text.starts_with("其中") {
        return false;
    }
    // Bytes by kind: 0 cannot start a char to look at (ideographs, continuation bytes), 1 is
    // an ASCII char to look at, 2 starts a char that may be one (U+0080…, U+1000…, U+2000…,
    // U+3000…, U+F000…: Unicode spaces, the full-width forms).
    const fn kinds() -> [u8; 256] {
        let mut k = [0u8; 256];
        let mut b = 0;
        while b < 0x80 {
            if (b as u8 as char).is_whitespace() || matches!(b as u8, b'(' | b':' | b'[') {
                k[b] = 1;
            }
            b += 1;
        }
        k[0xC2] = 2;
        k[0xE1] = 2;
        k[0xE2] = 2;
        k[0xE3] = 2;
        k[0xEF] = 2;
        k
    }
    static KINDS: [u8; 256] = kinds();
    !text
        .bytes()
        .enumerate()
        .any(|(i, b)| match KINDS[usize::from(b)] {
            0 => false,
            1 => true,
            _ => text
                .get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(changes_in_key),
        })
}

/// Whether making a key changes a char that is not ASCII: a Unicode space is dropped, a
/// full-width form made ASCII (but for ，and ；, which normalisation keeps).
fn changes_in_key(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{FF01}'..='\u{FF0B}' | '\u{FF0D}'..='\u{FF1A}' | '\u{FF1C}'..='\u{FF5E}'
        )
}

/// The header key of a text that is not its own key.
fn computed_key(text: &str) -> String {
    static BRACKETS: OnceLock<Regex> = OnceLock::new();
    let brackets = BRACKETS.get_or_init(|| Regex::new(r"\([^()]*\)").expect("valid regex"));
    let mut key = normalize(text).text;
    key.retain(|c| !c.is_whitespace());
    if key.contains('(') {
        key = brackets.replace_all(&key, "").into_owned();
    }
    let trimmed = key
        .trim_start_matches("其中")
        .trim_start_matches(':')
        .trim_end_matches(':');
    if trimmed.len() == key.len() {
        key
    } else {
        trimmed.to_string()
    }
}

/// A cell's header key. A number's key is its text, formatted only where it is asked for:
/// numbers name no column of the built-in templates and no stated total or grade.
enum CellKey<'a> {
    Text(Cow<'a, str>),
    Number(Decimal),
}

impl<'a> CellKey<'a> {
    fn of(v: &'a Value) -> Self {
        match v {
            Value::Empty => CellKey::Text(Cow::Borrowed("")),
            Value::Number(d, _) => CellKey::Number(*d),
            Value::Text(t) => CellKey::Text(key_of(t)),
            _ => CellKey::Text(Cow::Owned(header_key(&v.text()))),
        }
    }

    /// Whether the key is empty (a number's text never is).
    fn is_blank(&self) -> bool {
        match self {
            CellKey::Text(t) => t.is_empty(),
            CellKey::Number(_) => false,
        }
    }

    /// The key of a text cell; `None` for a number.
    fn text(&self) -> Option<&str> {
        match self {
            CellKey::Text(t) => Some(t),
            CellKey::Number(_) => None,
        }
    }

    fn key(&self) -> Cow<'_, str> {
        match self {
            CellKey::Text(t) => Cow::Borrowed(t),
            // As `Value::text` writes a number.
            CellKey::Number(d) => Cow::Owned(d.normalize().to_string()),
        }
    }
}

/// The header key of every cell of a sheet, computed once, in one allocation.
struct Keys<'a> {
    cells: Vec<CellKey<'a>>,
    /// Where each row starts in `cells`, and where the last one ends.
    row_starts: Vec<usize>,
}

impl<'a> Keys<'a> {
    fn of(sheet: &'a Sheet) -> Self {
        let mut cells = Vec::with_capacity(sheet.cells.iter().map(Vec::len).sum());
        let mut row_starts = Vec::with_capacity(sheet.cells.len() + 1);
        for row in &sheet.cells {
            row_starts.push(cells.len());
            cells.extend(row.iter().map(CellKey::of));
        }
        row_starts.push(cells.len());
        Keys { cells, row_starts }
    }

    /// A row's keys; none beyond the sheet.
    fn row(&self, row: usize) -> &[CellKey<'a>] {
        match (self.row_starts.get(row), self.row_starts.get(row + 1)) {
            (Some(&a), Some(&b)) => self.cells.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn get(&self, row: usize, col: usize) -> Option<&CellKey<'a>> {
        self.row(row).get(col)
    }

    /// The key at (row, col); empty beyond the sheet.
    fn key(&self, row: usize, col: usize) -> Cow<'_, str> {
        self.get(row, col)
            .map(CellKey::key)
            .unwrap_or(Cow::Borrowed(""))
    }

    fn is_blank(&self, row: usize, col: usize) -> bool {
        self.get(row, col).is_none_or(CellKey::is_blank)
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
    /// The number its words name ("十七" → 17), which the other checks use.
    pub read_as: Option<Decimal>,
}

/// A placeholder meaning "not applicable".
pub fn is_placeholder(t: &str) -> bool {
    matches!(
        t.trim(),
        "" | "—" | "——" | "-" | "－" | "/" | "／" | "*" | "＊" | "无" | "不适用" | "\\"
    )
}

/// The unit an amount column is kept in: whether the table's amounts are in 元 (else 万元).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Amounts {
    Yuan,
    Wan,
}

/// An amount written with its unit ("3359.62万", "829.3万元", "1500元"), in the table's unit.
/// A unit that would make the figure more precise than written (万 in a table of 元 with fewer
/// than four decimals) leaves it unread: it is no figure when its precision cannot be said.
/// `None` when the text is no amount with a unit; `Some(None)` when it is one but gives no figure.
fn amount_with_unit(body: &str, unit: Amounts) -> Option<Option<(Decimal, u32)>> {
    let (digits, wan) = if let Some(b) = body.strip_suffix("万元").or(body.strip_suffix('万')) {
        (b.trim(), true)
    } else if let Some(b) = body.strip_suffix('元') {
        (b.trim(), false)
    } else {
        return None;
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let Ok(d) = Decimal::from_str(digits) else {
        return None;
    };
    let decimals = digits
        .split_once('.')
        .map(|(_, f)| f.len() as u32)
        .unwrap_or(0);
    let ten_thousand = Decimal::from(10_000);
    let converted = match (unit, wan) {
        (Amounts::Wan, true) | (Amounts::Yuan, false) => Some((d, decimals)),
        (Amounts::Wan, false) => d.checked_div(ten_thousand).map(|v| (v, decimals + 4)),
        (Amounts::Yuan, true) if decimals >= 4 => {
            d.checked_mul(ten_thousand).map(|v| (v, decimals - 4))
        }
        (Amounts::Yuan, true) => None,
    };
    Some(converted.filter(|(v, p)| is_figure_sized(*v) && *p <= 20))
}

/// Reads a numeric cell: a number, or text that is only a number (maybe with % or 分). Returns
/// the number, and whether the cell should be reported as text in a numeric column.
fn read_number(v: &Value) -> (Option<(Decimal, u32, bool)>, bool) {
    read_cell(v, None)
}

/// `read_number`, for an amount column when `amounts` says the table's unit: an amount written
/// with 万, 万元 or 元 is read in that unit rather than reported as words.
fn read_cell(v: &Value, amounts: Option<Amounts>) -> (Option<(Decimal, u32, bool)>, bool) {
    if let (Some(unit), Value::Text(t)) = (amounts, v) {
        let n = normalize(t.trim()).text;
        let plain = n.replace(',', "");
        if let Some(read) = amount_with_unit(plain.trim(), unit) {
            return (read.map(|(d, decimals)| (d, decimals, false)), false);
        }
    }
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
                // Too large to be a figure: not read, as a sheet's number that large is not.
                Ok(d) if !is_figure_sized(d) => (None, false),
                Ok(d) => {
                    let decimals = body
                        .split_once('.')
                        .map(|(_, f)| f.len() as u32)
                        .unwrap_or(0);
                    let forgiven = unit || n != t.trim();
                    (Some((d, decimals, percent)), forgiven)
                }
                // A number written in words ("十七", "七分") is read as the number it names,
                // and still reported.
                Err(_) => match body.chars().next() {
                    Some(_) => (
                        crate::extract::numbers::chinese_numeral(body)
                            .map(|v| (Decimal::from(v), 0, percent)),
                        true,
                    ),
                    None => (None, true),
                },
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
    /// Filled down from merged cells: rows of one group share the text.
    pub level1: Rc<str>,
    pub level2: Rc<str>,
    pub level3: String,
    pub weight: Option<Num>,
    pub score: Option<Num>,
    /// Whether the weight or score cell holds words that name no number ("良好"): sums over it
    /// cannot be judged.
    pub unread_weight: bool,
    pub unread_score: bool,
    pub reason: Option<String>,
    /// The 指标值 and 实际完成值 cells as written (text, row, column), when the table has them.
    pub target: Option<Written>,
    pub actual: Option<Written>,
    /// A 小计 row: the level of the column its 小计 is written in (1, 2 or 3). It sums rows
    /// above it (`extract::sheet::groups`) and is no indicator; `level3` is its label.
    pub subtotal: Option<u8>,
}

/// A cell's text as written, and where it is.
#[derive(Debug, Clone)]
pub struct Written {
    pub text: String,
    pub row: u32,
    pub col: u32,
}

/// Whether a cell holds only a comparison sign ("≧" in a cell of its own before "95 | %").
fn only_a_comparator(t: &str) -> bool {
    matches!(
        t.trim(),
        "≥" | "≧" | "≤" | "≦" | ">" | "<" | ">=" | "<=" | "＞" | "＜" | "=" | "＝" | "═"
    )
}

impl IndicatorRow {
    pub fn name(&self) -> String {
        [self.level3.as_str(), &self.level2, &self.level1]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_default()
            .to_string()
    }
}

/// A level's own weight: written in its label ("产出指标(50分)" → 50 for 产出指标) or in the
/// level's 分值 column.
#[derive(Debug, Clone)]
pub struct LabelWeight {
    pub level: u8,
    pub label: String,
    /// The first-level label a second-level weight's group is under (empty for a first level).
    pub parent: String,
    pub weight: Num,
}

#[derive(Debug, Clone)]
pub struct IndicatorTable {
    pub header_row: u32,
    pub columns: Columns,
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
    pub values: ByField<Num>,
    /// Whether the rate column was written as a fraction (0.98) rather than a percentage.
    pub rate_fraction: bool,
    /// Amount columns whose cell holds an amount too coarse to be read in the table's unit
    /// ("3万" in a table of 元): the column's sums cannot be judged.
    pub unread: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct FundTable {
    pub header_row: u32,
    pub columns: Columns,
    pub rows: Vec<FundRow>,
    /// The template's scoring rule for the fund block, if it states one.
    pub score_rule: Option<String>,
    /// Unit of the amounts, from the block label or headers or a unit line above the table
    /// ("金额单位：元"): (万元) by default, (元) when said.
    pub yuan: bool,
    /// The sums the rows state: each whole (the total, a part with 其中 rows, a 小计) with the
    /// parts that make it up. A total split twice (按收入性质分 and 按支出性质分) has two.
    pub partitions: Vec<Partition>,
}

/// Rows of a fund block that add up to another: indexes into `FundTable::rows`. `whole` is
/// `None` while no total row was read for parts listed before it.
#[derive(Debug, Clone)]
pub struct Partition {
    pub whole: Option<usize>,
    pub parts: Vec<usize>,
}

/// Everything read from one sheet.
#[derive(Debug, Clone, Default)]
pub struct SheetTables {
    pub indicators: Vec<IndicatorTable>,
    pub funds: Vec<FundTable>,
    pub bad_cells: Vec<BadCell>,
    /// A stated total score outside the tables (自评得分 | 88), and the grade (等级 | 良好).
    pub stated_total: Option<Num>,
    /// The first grade of the sheet (for the cross-check), and every grade with its cell: a
    /// sheet holding several tables may grade each.
    pub grade: Option<(String, u32, u32)>,
    pub grades: Vec<(String, u32, u32)>,
}

impl SheetTables {
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty() && self.funds.is_empty() && self.stated_total.is_none()
    }
}

/// Which template field a header cell names.
fn field_of(t: &Template, key: &str) -> Option<Field> {
    if key.is_empty() || key.len() > t.longest_word {
        return None;
    }
    t.fields_by_word.get(key).copied()
}

/// Which template field a cell names. A number is looked up only when the template has a word
/// a number could be written as (none of the built-in ones has).
fn field_of_cell(t: &Template, key: &CellKey<'_>) -> Option<Field> {
    match key.text() {
        Some(text) => field_of(t, text),
        None if t.numeric_words => field_of(t, &key.key()),
        None => None,
    }
}

/// The columns a row names when it is a header of the template's kind: the first cell naming
/// each field.
#[cfg(test)]
fn header_columns(t: &Template, keys: &Keys<'_>, row: usize) -> Option<Columns> {
    let fields = row_fields(t, keys, row);
    let (cols, _) = columns_of(t, &fields);
    is_header(t, &cols).then_some(cols)
}

/// Every cell of a row that names a field of the template, in column order.
fn row_fields(t: &Template, keys: &Keys<'_>, row: usize) -> Vec<(u32, Field)> {
    keys.row(row)
        .iter()
        .enumerate()
        .filter_map(|(c, key)| field_of_cell(t, key).map(|f| (c as u32, f)))
        .collect()
}

/// The 分值 columns of a score sheet that gives each level its own (一级指标 | 分值 | 二级指标 |
/// 分值 | 三级指标 | 分值): the first and second levels' (the row's own weight is the most
/// specific level's, `Field::Weight`).
pub type LevelWeightColumns = [Option<u32>; 2];

/// The columns named by `fields` (column order): the first cell naming each field, but for a
/// 分值 after each level column, where the row's weight is the one after the most specific level
/// and the others are the levels' own.
fn columns_of(t: &Template, fields: &[(u32, Field)]) -> (Columns, LevelWeightColumns) {
    let mut cols = Columns::default();
    for &(c, f) in fields {
        cols.or_insert(f, c);
    }
    let mut levels: LevelWeightColumns = [None, None];
    if t.kind != "indicators" {
        return (cols, levels);
    }
    // Each 分值 belongs to the nearest level column on its left.
    let mut owner: Option<Field> = None;
    let mut by_level: [Option<u32>; 3] = [None, None, None];
    for &(c, f) in fields {
        match f {
            Field::Level1 | Field::Level2 | Field::Level3 => owner = Some(f),
            Field::Weight => {
                if let Some(level) = owner.take() {
                    let i = match level {
                        Field::Level1 => 0,
                        Field::Level2 => 1,
                        _ => 2,
                    };
                    by_level[i].get_or_insert(c);
                }
            }
            _ => {}
        }
    }
    if by_level.iter().flatten().count() >= 2
        && let Some(own) = by_level.iter().rev().flatten().next()
    {
        cols.insert(Field::Weight, *own);
        levels = [
            by_level[0].filter(|c| c != own),
            by_level[1].filter(|c| c != own),
        ];
    }
    (cols, levels)
}

/// Whether columns make a header of the template's kind.
fn is_header(t: &Template, cols: &Columns) -> bool {
    let has = |f: Field| cols.contains_key(f);
    match t.kind.as_str() {
        "indicators" => {
            has(Field::Score) && (has(Field::Level1) || has(Field::Level2) || has(Field::Level3))
        }
        "funds" => has(Field::Actual) && (has(Field::Initial) || has(Field::FullYear)),
        _ => false,
    }
}

/// A table's header: its last row (the table's rows follow it), its columns and, in a score
/// sheet giving each level a 分值, the levels' weight columns.
struct Header<'t> {
    first_row: usize,
    row: usize,
    template: &'t Template,
    cols: Columns,
    levels: LevelWeightColumns,
}

/// The header starting at `row`, on that row alone or drawn over two rows: cells merged down
/// (分值, 得分 … spanning both rows, blank below) beside a group label merged across ("绩效指标"
/// over 一级/二级/三级指标, "项目资金（万元）" over 年初预算数 / 全年预算数 / 全年执行数). Two rows
/// are taken when together they name more fields than either alone, and each names fields
/// only where the other is blank.
fn header_at<'t>(t: &'t Template, keys: &Keys<'_>, row: usize) -> Option<Header<'t>> {
    let top = row_fields(t, keys, row);
    if top.is_empty() {
        return None;
    }
    let (cols, levels) = columns_of(t, &top);
    let single = is_header(t, &cols).then_some(Header {
        first_row: row,
        row,
        template: t,
        cols,
        levels,
    });
    let below = row_fields(t, keys, row + 1);
    let apart = !below.is_empty()
        && top.iter().all(|&(c, _)| keys.is_blank(row + 1, c as usize))
        && below
            .iter()
            .all(|&(c, _)| !top.iter().any(|&(tc, _)| tc == c));
    if !apart {
        return single;
    }
    let mut both = top.clone();
    both.extend(below.iter().copied());
    both.sort_by_key(|&(c, _)| c);
    let (cols2, levels2) = columns_of(t, &both);
    let named = |c: &Columns| c.values().count();
    let below_alone = columns_of(t, &below).0;
    let better = is_header(t, &cols2)
        && named(&cols2) > single.as_ref().map_or(0, |h| named(&h.cols))
        && named(&cols2)
            > if is_header(t, &below_alone) {
                named(&below_alone)
            } else {
                0
            };
    if better {
        Some(Header {
            first_row: row,
            row: row + 1,
            template: t,
            cols: cols2,
            levels: levels2,
        })
    } else {
        single
    }
}

/// A weight written in a label: "产出指标(50分)" → 50.
fn label_weight(text: &str) -> Option<(Decimal, u32)> {
    // Normalisation makes no 分: most labels are turned away before it.
    if !text.contains('分') {
        return None;
    }
    weight_in_label(text)
}

/// `label_weight` without the test that turns most labels away.
fn weight_in_label(text: &str) -> Option<(Decimal, u32)> {
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
    let keys = &Keys::of(sheet);
    let mut headers: Vec<Header> = Vec::new();
    // Per template, the row its last header ended on: a two-row header's second row starts no
    // header of its own.
    let mut taken: Vec<Option<usize>> = vec![None; templates.len()];
    for r in 0..sheet.cells.len() {
        for (i, t) in templates.iter().enumerate() {
            if taken[i].is_some_and(|end| r <= end) {
                continue;
            }
            if let Some(h) = header_at(t, keys, r) {
                taken[i] = Some(h.row);
                headers.push(h);
            }
        }
    }
    let mut floor = 0;
    for (i, h) in headers.iter().enumerate() {
        let end = headers
            .get(i + 1)
            .map(|n| n.first_row)
            .unwrap_or(sheet.cells.len());
        match h.template.kind.as_str() {
            "indicators" => {
                out.indicators
                    .push(read_indicators(sheet, keys, h, end, &mut out.bad_cells))
            }
            _ => out
                .funds
                .push(read_funds(sheet, keys, h, floor, end, &mut out.bad_cells)),
        }
        floor = h.row + 1;
    }
    read_stated(sheet, keys, &mut out);
    out
}

/// `num_at`, and whether the cell holds words that give no number (reported as a bad cell).
fn num_read(
    sheet: &Sheet,
    row: usize,
    col: Option<u32>,
    header: &str,
    bad: &mut Vec<BadCell>,
) -> (Option<Num>, bool) {
    let before = bad.len();
    let n = num_at(sheet, row, col, header, bad).map(|n| n.0);
    (n, n.is_none() && bad.len() > before)
}

fn num_at(
    sheet: &Sheet,
    row: usize,
    col: Option<u32>,
    header: &str,
    bad: &mut Vec<BadCell>,
) -> Option<(Num, bool)> {
    num_in(sheet, row, col, header, None, bad)
}

/// `num_at` for a cell that may hold an amount in `amounts`' unit.
fn num_in(
    sheet: &Sheet,
    row: usize,
    col: Option<u32>,
    header: &str,
    amounts: Option<Amounts>,
    bad: &mut Vec<BadCell>,
) -> Option<(Num, bool)> {
    let col = col?;
    let v = sheet.get(row, col as usize);
    let (n, flag) = read_cell(v, amounts);
    if flag {
        bad.push(BadCell {
            row: row as u32,
            col,
            text: v.text(),
            header: header.to_string(),
            read_as: n.map(|(d, _, _)| d),
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
    h: &Header,
    end: usize,
    bad: &mut Vec<BadCell>,
) -> IndicatorTable {
    let (t, header, columns) = (h.template, h.row, h.cols);
    let total_words = t.rows.get("total").map(Vec::as_slice).unwrap_or(&[]);
    let text_at = |r: usize, f: Field| {
        columns
            .get(f)
            .map(|c| trimmed_text(sheet.get(r, *c as usize)))
            .unwrap_or(Cow::Borrowed(""))
    };
    let mut table = IndicatorTable {
        header_row: header as u32,
        has_reason: columns.contains_key(Field::Reason),
        columns,
        rows: Vec::new(),
        total_weight: None,
        total_score: None,
        label_weights: Vec::new(),
    };
    let none: Rc<str> = Rc::from("");
    let (mut l1, mut l2) = (none.clone(), none.clone());
    let mut blank_run = 0;
    for r in header + 1..end {
        let texts = keys.row(r);
        if texts.iter().all(CellKey::is_blank) {
            blank_run += 1;
            if blank_run >= 3 {
                break;
            }
            continue;
        }
        blank_run = 0;
        // No row here is a header: `end` is the next header row of any template, so a header
        // repeated on a new page starts a table of its own (`read_sheet`).
        let (weight, unread_weight) =
            num_read(sheet, r, columns.get(Field::Weight).copied(), "分值", bad);
        let (score, unread_score) =
            num_read(sheet, r, columns.get(Field::Score).copied(), "得分", bad);
        // The levels' own 分值 columns, where the sheet gives each level one.
        let level_weight = |i: usize, bad: &mut Vec<BadCell>| {
            h.levels[i].and_then(|c| num_at(sheet, r, Some(c), "分值", bad).map(|n| n.0))
        };
        let first_label = texts
            .iter()
            .find(|k| !k.is_blank())
            .map(CellKey::key)
            .unwrap_or_default();
        if total_words
            .iter()
            .any(|w| first_label.starts_with(w.as_str()))
        {
            table.total_weight = weight
                .or_else(|| level_weight(0, bad))
                .or_else(|| level_weight(1, bad));
            table.total_score = score;
            break;
        }
        let (a, b, c) = (
            text_at(r, Field::Level1),
            text_at(r, Field::Level2),
            text_at(r, Field::Level3),
        );
        // A 小计 row sums rows above it (`extract::sheet::groups`): its label names no level and
        // is not filled down; it takes the level of the column it is written in.
        let says_subtotal = |t: &str| t.starts_with("小计") || t.ends_with("小计");
        let subtotal = [(&a, 1), (&b, 2), (&c, 3)]
            .into_iter()
            .find(|(t, _)| says_subtotal(t))
            .map(|(t, level)| (t.to_string(), level))
            .or_else(|| says_subtotal(&first_label).then(|| (first_label.to_string(), 1)));
        if let Some((label, level)) = subtotal {
            if weight.is_some() || score.is_some() {
                // Shown as the group it closes: "产出指标小计", not a bare "小计".
                let group = if level == 3 { &l2 } else { &l1 };
                let name = if label == "小计" && !group.is_empty() {
                    format!("{group}小计")
                } else {
                    label
                };
                table.rows.push(IndicatorRow {
                    row: r as u32,
                    level1: l1.clone(),
                    level2: l2.clone(),
                    level3: name,
                    weight,
                    score,
                    unread_weight,
                    unread_score,
                    reason: None,
                    target: None,
                    actual: None,
                    subtotal: Some(level),
                });
            }
            continue;
        }
        // Merged 一级/二级 cells are empty below their first row: fill down.
        if !a.is_empty() {
            if *l1 != *a {
                l1 = Rc::from(a.as_ref());
            }
            l2 = none.clone();
            let stated = match h.levels[0] {
                Some(_) => level_weight(0, bad),
                None => label_weight(&a).map(|(w, d)| Num {
                    value: w,
                    decimals: d,
                    row: r as u32,
                    col: columns.get(Field::Level1).copied().unwrap_or(0),
                }),
            };
            if let Some(weight) = stated {
                table.label_weights.push(LabelWeight {
                    level: 1,
                    label: a.to_string(),
                    parent: String::new(),
                    weight,
                });
            }
        }
        if !b.is_empty() {
            if *l2 != *b {
                l2 = Rc::from(b.as_ref());
            }
            let stated = match h.levels[1] {
                Some(_) => level_weight(1, bad),
                None => label_weight(&b).map(|(w, d)| Num {
                    value: w,
                    decimals: d,
                    row: r as u32,
                    col: columns.get(Field::Level2).copied().unwrap_or(0),
                }),
            };
            if let Some(weight) = stated {
                table.label_weights.push(LabelWeight {
                    level: 2,
                    label: b.to_string(),
                    parent: l1.to_string(),
                    weight,
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
            level3: c.into_owned(),
            weight,
            score,
            unread_weight,
            unread_score,
            reason: columns
                .get(Field::Reason)
                .map(|_| text_at(r, Field::Reason).into_owned()),
            target: written(sheet, &columns, r, Field::Target),
            actual: written(sheet, &columns, r, Field::Actual),
            subtotal: None,
        });
    }
    table
}

fn columns_get(columns: &Columns, f: Field) -> Option<usize> {
    columns.get(f).map(|c| *c as usize)
}

/// The text of a row's `field` cell. A 指标值 whose cell holds only its sign, with the value
/// and unit in the cells after it up to the 实际完成值 column ("≧ | 95 | %"), is read joined.
fn written(sheet: &Sheet, columns: &Columns, r: usize, field: Field) -> Option<Written> {
    let col = columns_get(columns, field)?;
    let mut text = trimmed_text(sheet.get(r, col)).into_owned();
    if text.is_empty() {
        return None;
    }
    if field == Field::Target && only_a_comparator(&text) {
        let end = columns_get(columns, Field::Actual).filter(|a| *a > col && *a <= col + 3)?;
        for c in col + 1..end {
            text.push_str(&trimmed_text(sheet.get(r, c)));
        }
    }
    Some(Written {
        text,
        row: r as u32,
        col: col as u32,
    })
}

fn read_funds(
    sheet: &Sheet,
    keys: &Keys<'_>,
    h: &Header,
    floor: usize,
    end: usize,
    bad: &mut Vec<BadCell>,
) -> FundTable {
    let (t, header, columns) = (h.template, h.row, h.cols);
    let totals = t.rows.get("total").map(Vec::as_slice).unwrap_or(&[]);
    let parts = t.rows.get("parts").map(Vec::as_slice).unwrap_or(&[]);
    let first_value_col = columns.values().copied().min().unwrap_or(0) as usize;
    let mut table = FundTable {
        header_row: header as u32,
        yuan: says_yuan(sheet, header)
            || stated_unit(sheet, h.first_row, header, floor) == Some(Amounts::Yuan),
        score_rule: t.score_rule.clone(),
        columns,
        rows: Vec::new(),
        partitions: Vec::new(),
    };
    let mut shape = Shape::default();
    let mut blank_run = 0;
    for r in header + 1..end {
        // The last label cell of the row names it.
        let label_col = (0..first_value_col).rev().find(|&c| !keys.is_blank(r, c));
        let label = label_col
            .map(|c| keys.key(r, c).into_owned())
            .unwrap_or_default();
        if label.is_empty() {
            blank_run += 1;
            if blank_run >= 2 {
                break;
            }
            continue;
        }
        blank_run = 0;
        let total = totals.iter().any(|w| label.starts_with(w.as_str()));
        let unit = if table.yuan {
            Amounts::Yuan
        } else {
            Amounts::Wan
        };
        // A 其中 list goes on over rows naming sources of their own ("彩票公益金 | 0 | 0")
        // while they carry amounts: its parts are not all named so.
        // A row that sums (收入合计, 小计) or names another block is no source.
        let sums = ["合计", "总计", "小计", "总额", "累计", "结余"]
            .iter()
            .any(|w| label.contains(w));
        let listing = table.rows.last().is_some_and(|p| p.part)
            && !sums
            && [Field::Initial, Field::FullYear, Field::Actual]
                .iter()
                .filter_map(|f| columns_get(&table.columns, *f))
                .any(|c| read_cell(sheet.get(r, c), Some(unit)).0.is_some());
        let subtotal = !total && label.contains("小计");
        let part = !total
            && (parts.iter().any(|w| label.starts_with(w.as_str()))
                || says_qizhong(sheet, r, first_value_col)
                || listing
                || subtotal);
        if !total && !part {
            if is_partition_heading(&label) {
                // 按收入性质分 / 按支出性质分: a partition of the total of its own follows.
                shape.heading();
                continue;
            }
            // The fund block ends where rows stop being fund sources.
            break;
        }
        let mut values = ByField::default();
        let mut rate_fraction = false;
        let unread: Vec<Field> = [Field::Initial, Field::FullYear, Field::Actual]
            .into_iter()
            .filter(|f| {
                columns_get(&table.columns, *f).is_some_and(|c| match sheet.get(r, c) {
                    Value::Text(t) => matches!(
                        amount_with_unit(normalize(t.trim()).text.replace(',', "").trim(), unit),
                        Some(None)
                    ),
                    _ => false,
                })
            })
            .collect();
        for (field, header_word) in [
            (Field::Initial, "年初预算数"),
            (Field::FullYear, "全年预算数"),
            (Field::Actual, "全年执行数"),
            (Field::Rate, "执行率"),
            (Field::Weight, "分值"),
            (Field::Score, "得分"),
        ] {
            let amounts = matches!(field, Field::Initial | Field::FullYear | Field::Actual)
                .then_some(if table.yuan {
                    Amounts::Yuan
                } else {
                    Amounts::Wan
                });
            if let Some((n, percent)) = num_in(
                sheet,
                r,
                columns.get(field).copied(),
                header_word,
                amounts,
                bad,
            ) {
                let mut n = n;
                if field == Field::Rate && !percent && n.value.abs() <= Decimal::new(15, 1) {
                    // calamine drops number formats: a cell shown as 98.00% arrives as 0.98.
                    rate_fraction = true;
                    n.value *= Decimal::ONE_HUNDRED;
                    n.decimals = n.decimals.saturating_sub(2);
                }
                values.insert(field, n);
            }
        }
        let indent = label_col.map_or(0, |c| {
            let lead = match sheet.get(r, c) {
                Value::Text(t) => t.chars().take_while(|ch| ch.is_whitespace()).count(),
                _ => 0,
            };
            c * 100 + lead
        });
        let index = table.rows.len();
        let kind = RowKind {
            family: row_family(t, &label),
            indent,
        };
        table.rows.push(FundRow {
            row: r as u32,
            label,
            total,
            part,
            values,
            rate_fraction,
            unread,
        });
        if total {
            shape.total(index, &mut table.partitions);
        } else if subtotal {
            shape.subtotal(index, &mut table.partitions);
        } else {
            shape.part(t, index, &table.rows, kind, &mut table.partitions);
        }
    }
    table
}

/// Whether a fund row's label heads a partition of the total ("按收入性质分：", "按支出性质分").
fn is_partition_heading(label: &str) -> bool {
    label.starts_with('按') && label.ends_with('分') && label.chars().count() <= 10
}

/// The kind of money a fund row's label names, by the template's `kind_*` row lists
/// (`kind_income`: 财政拨款, 其他资金 …; `kind_spending`: 基本支出, 项目支出 …): parts of one
/// partition are of one kind.
fn row_family<'t>(t: &'t Template, label: &str) -> Option<&'t str> {
    t.rows
        .iter()
        .filter(|(k, _)| k.starts_with("kind_"))
        .filter_map(|(k, words)| {
            words
                .iter()
                .filter(|w| label.starts_with(w.as_str()))
                .map(|w| w.len())
                .max()
                .map(|len| (len, k.as_str()))
        })
        .max()
        .map(|(_, k)| k)
}

/// Whether the template lists `label` as a part of `parent` (`children_基本支出` = 人员经费,
/// 公用经费).
fn is_child_of(t: &Template, parent: &str, label: &str) -> bool {
    t.rows
        .iter()
        .filter_map(|(k, words)| k.strip_prefix("children_").map(|p| (p, words)))
        .any(|(p, words)| {
            parent.starts_with(p) && words.iter().any(|w| label.starts_with(w.as_str()))
        })
}

/// What the structure of a fund block needs to know of a part row.
#[derive(Clone, Copy)]
struct RowKind<'t> {
    family: Option<&'t str>,
    /// The label's column × 100 + its leading spaces: a deeper row is a part of the one above.
    indent: usize,
}

/// The fund block's partitions as its rows are read, one row at a time (linear): each
/// 按…分 heading starts a partition of the total of its own; a part of another kind than the
/// partition's (基本支出 after 财政拨款 and 其他资金) starts one too; a row indented under the
/// part above it, or listed as its child (人员经费 under 基本支出), opens a nested partition of
/// that part, which a sibling of the part (项目支出), a shallower row or a 小计 closes; a 小计 row
/// sums the rows since the last subtotal or heading and stands for them in the partition.
#[derive(Default)]
struct Shape<'t> {
    whole: Option<usize>,
    top: Option<usize>,
    top_family: Option<&'t str>,
    /// The nested partition, its parent's indent and family, its first child's indent.
    nested: Option<(usize, usize, Option<&'t str>, usize)>,
    /// The last part of the top partition: its row, indent and family.
    last_top: Option<(usize, RowKind<'t>)>,
    /// Where the parts since the last subtotal start in the top partition.
    run_start: usize,
}

impl<'t> Shape<'t> {
    fn heading(&mut self) {
        self.top = None;
        self.top_family = None;
        self.nested = None;
        self.last_top = None;
        self.run_start = 0;
    }

    fn total(&mut self, index: usize, partitions: &mut [Partition]) {
        // A total below its parts (合计 at the bottom) is their whole.
        if let Some(p) = self.top.and_then(|p| partitions.get_mut(p))
            && p.whole.is_none()
        {
            p.whole = Some(index);
        }
        self.heading();
        self.whole = Some(index);
    }

    fn subtotal(&mut self, index: usize, partitions: &mut Vec<Partition>) {
        self.nested = None;
        let top = self.top_partition(partitions);
        let Some(p) = partitions.get_mut(top) else {
            return;
        };
        let run = p.parts.split_off(self.run_start.min(p.parts.len()));
        p.parts.push(index);
        self.run_start = p.parts.len();
        if !run.is_empty() {
            partitions.push(Partition {
                whole: Some(index),
                parts: run,
            });
        }
        self.last_top = None;
    }

    fn top_partition(&mut self, partitions: &mut Vec<Partition>) -> usize {
        match self.top {
            Some(p) => p,
            None => {
                partitions.push(Partition {
                    whole: self.whole,
                    parts: Vec::new(),
                });
                self.run_start = 0;
                let p = partitions.len() - 1;
                self.top = Some(p);
                p
            }
        }
    }

    fn part(
        &mut self,
        t: &Template,
        index: usize,
        rows: &[FundRow],
        kind: RowKind<'t>,
        partitions: &mut Vec<Partition>,
    ) {
        let label = rows.get(index).map_or("", |r| r.label.as_str());
        if let Some((_, parent_indent, parent_family, child_indent)) = self.nested {
            let parent = self
                .last_top
                .and_then(|(i, _)| rows.get(i))
                .map_or("", |r| r.label.as_str());
            let sibling = kind.family.is_some()
                && kind.family == parent_family
                && !is_child_of(t, parent, label);
            // Where the children are indented, a row back at the parent's indent is its sibling.
            let shallower = kind.indent < parent_indent
                || (child_indent > parent_indent && kind.indent <= parent_indent);
            if sibling || shallower {
                self.nested = None;
            }
        }
        if let Some((n, ..)) = self.nested {
            if let Some(p) = partitions.get_mut(n) {
                p.parts.push(index);
            }
            return;
        }
        if let Some((i, above)) = self.last_top {
            let parent = rows.get(i).map_or("", |r| r.label.as_str());
            let opens = is_child_of(t, parent, label) || kind.indent > above.indent;
            if opens {
                partitions.push(Partition {
                    whole: Some(i),
                    parts: vec![index],
                });
                self.nested = Some((
                    partitions.len() - 1,
                    above.indent,
                    above.family,
                    kind.indent,
                ));
                return;
            }
        }
        // A part of another kind than the partition's starts a partition of its own.
        if kind.family.is_some() && self.top_family.is_some() && kind.family != self.top_family {
            self.top = None;
            self.top_family = None;
            self.last_top = None;
        }
        let top = self.top_partition(partitions);
        if let Some(p) = partitions.get_mut(top) {
            p.parts.push(index);
        }
        self.top_family = self.top_family.or(kind.family);
        self.last_top = Some((index, kind));
    }
}

/// The unit a line above a table (back to `floor`, at most four rows) or in its header states
/// for its amounts: "单位：元", "金额单位：元", "单位：万元". The nearest one counts.
fn stated_unit(sheet: &Sheet, first: usize, header: usize, floor: usize) -> Option<Amounts> {
    let top = first.saturating_sub(4).max(floor);
    (top..=header).rev().find_map(|r| {
        sheet.cells.get(r)?.iter().find_map(|v| match v {
            Value::Text(t) if t.contains("单位") => {
                let mut n = normalize(t).text;
                n.retain(|c| !c.is_whitespace());
                let at = n.find("单位:")?;
                let rest = n.get(at + "单位:".len()..)?;
                if rest.starts_with("万元") {
                    Some(Amounts::Wan)
                } else if rest.starts_with('元') {
                    Some(Amounts::Yuan)
                } else {
                    None
                }
            }
            _ => None,
        })
    })
}

/// A cell's text without surrounding whitespace.
fn trimmed_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Text(t) | Value::Other(t) => Cow::Borrowed(t.trim()),
        Value::Empty => Cow::Borrowed(""),
        other => Cow::Owned(other.text().trim().to_string()),
    }
}

/// Whether the normalised text of cells `cols` of `row`, run together, holds `word`.
/// Normalisation writes no char beyond ASCII that was not there, so cells none of which holds
/// `word`'s first such char cannot hold it (and most rows need no normalising).
fn cells_say(sheet: &Sheet, row: usize, cols: std::ops::Range<usize>, word: &str) -> bool {
    let may = match word.chars().find(|c| !c.is_ascii()) {
        Some(wide) => cols.clone().any(|c| match sheet.get(row, c) {
            // Their texts are ASCII.
            Value::Number(..) | Value::Empty | Value::Bool(_) => false,
            Value::Text(t) | Value::Other(t) => t.contains(wide),
        }),
        None => true,
    };
    may && {
        let mut text = String::new();
        for c in cols {
            text.push_str(&normalize(&sheet.get(row, c).text()).text);
        }
        text.contains(word)
    }
}

/// Whether a fund header says its amounts are in 元 ("项目资金（元）").
fn says_yuan(sheet: &Sheet, header: usize) -> bool {
    // Normalised, 元 follows '(' only where it follows '('/'（' in its cell, or follows what
    // normalising drops (CR, a bookmark's ']'), or starts its cell. Headers in 万元 need no
    // normalising.
    let may = (0..sheet.width()).any(|c| match sheet.get(header, c) {
        Value::Text(t) | Value::Other(t) => t.match_indices('元').any(|(at, _)| {
            t.get(..at)
                .and_then(|head| head.chars().next_back())
                .is_none_or(|before| matches!(before, '(' | '（' | '\r' | ']'))
        }),
        _ => false,
    });
    may && cells_say(sheet, header, 0..sheet.width(), "(元)")
}

/// Whether a fund row's label cells say 其中 ("其中：" in a cell of its own, as well).
fn says_qizhong(sheet: &Sheet, row: usize, first_value_col: usize) -> bool {
    cells_say(sheet, row, 0..first_value_col, "其中")
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
        "绩效评价等级",
        "综合评价等级",
        "评价结论",
        "绩效等级",
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
            // The words are no numbers: a number's key is not formatted to be compared.
            let Some(key) = keys.get(r, c).and_then(CellKey::text) else {
                continue;
            };
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
            if !GRADE.contains(&key) {
                continue;
            }
            let word_next = next.map(|n| (n, keys.key(r, n)));
            if let Some((n, word)) =
                word_next.filter(|(_, w)| !w.is_empty() && w.chars().count() <= 4)
            {
                let grade = (word.into_owned(), r as u32, n as u32);
                if out.grade.is_none() {
                    out.grade = Some(grade.clone());
                }
                out.grades.push(grade);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of cell text around every char the fast paths look at.
    fn cell_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "其中",
                "其",
                "中",
                "，",
                "；",
                "（",
                "）",
                "(",
                ")",
                "[",
                "]",
                ":",
                "：",
                "分",
                "元",
                "万元",
                "(元)",
                "（万元）",
                "（元）",
                "[bookmark: _Toc2]元",
                "50",
                "9.5",
                ".",
                "１",
                "Ａ",
                "\u{3000}",
                "\u{00A0}",
                "\u{2003}",
                "\u{1680}",
                "\u{0085}",
                "\u{202F}",
                "\u{2010}",
                "\u{FF5F}",
                " ",
                "\t",
                "\r",
                "\n",
                "\u{000B}",
                "\u{001C}",
                "[bookmark: _Toc1]",
                "产出指标",
                "得分",
                "(50分)",
                "（9.5分）",
                "é",
                "€",
                "\u{E000}",
                "\u{1F600}",
            ]),
            0..8,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// The byte scan says what the char test it replaced said, and a text it calls its own
        /// key is the key that normalising would compute.
        #[test]
        fn own_keys_are_computed_keys(text in cell_text()) {
            let char_test = !text.starts_with("其中")
                && !text.chars().any(|c| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            '\u{FF01}'..='\u{FF0B}'
                                | '\u{FF0D}'..='\u{FF1A}'
                                | '\u{FF1C}'..='\u{FF5E}'
                                | '\u{3000}'
                                | '\u{00A0}'
                                | '('
                                | ':'
                                | '['
                        )
                });
            prop_assert_eq!(is_own_key(&text), char_test);
            if is_own_key(&text) {
                prop_assert_eq!(computed_key(&text), text.clone());
            }
        }

        /// Labels without 分 are turned away only where the pattern finds no weight.
        #[test]
        fn the_label_weight_test_loses_no_weight(text in cell_text()) {
            prop_assert_eq!(label_weight(&text), weight_in_label(&text));
        }

        /// Rows are spared normalising only where the normalised cells would not hold the word.
        #[test]
        fn cells_say_what_their_normalised_text_says(
            cells in proptest::collection::vec(cell_text(), 0..4),
            word in proptest::sample::select(vec!["(元)", "其中", ")", ""]),
        ) {
            let sheet = Sheet {
                name: String::new(),
                cells: vec![cells.iter().map(|t| Value::Text(t.clone())).collect()],
                uncached: Vec::new(),
            };
            let joined: String = cells.iter().map(|t| normalize(t).text).collect();
            prop_assert_eq!(cells_say(&sheet, 0, 0..cells.len(), word), joined.contains(word));
        }
    }

    proptest! {
        /// Headers are spared normalising only where the normalised cells would not say (元).
        #[test]
        fn says_yuan_is_what_the_normalised_header_says(
            cells in proptest::collection::vec(cell_text(), 0..4),
        ) {
            let sheet = Sheet {
                name: String::new(),
                cells: vec![cells.iter().map(|t| Value::Text(t.clone())).collect()],
                uncached: Vec::new(),
            };
            let joined: String = cells.iter().map(|t| normalize(t).text).collect();
            prop_assert_eq!(says_yuan(&sheet, 0), joined.contains("(元)"));
        }
    }

    #[test]
    fn number_keys_are_their_text_and_name_columns_only_when_a_word_could() {
        for (d, p) in [
            (Decimal::new(9800, 2), 2),
            (Decimal::from(2023), 0),
            (Decimal::new(-5, 1), 1),
        ] {
            let v = Value::Number(d, p);
            assert_eq!(CellKey::of(&v).key(), v.text());
            assert!(!CellKey::of(&v).is_blank());
        }
        let text = "name='x'\nkind='indicators'\n[columns]\nscore=['2023']\nlevel1=['一级指标']\n";
        let t = parse_template(text).unwrap();
        assert!(t.numeric_words);
        let sheet = Sheet {
            name: String::new(),
            cells: vec![vec![
                Value::Text("一级指标".into()),
                Value::Number(Decimal::from(2023), 0),
            ]],
            uncached: Vec::new(),
        };
        let keys = Keys::of(&sheet);
        let cols = header_columns(&t, &keys, 0).unwrap();
        assert_eq!(cols.get(Field::Score), Some(&1));
        assert!(!builtin().iter().any(|t| t.numeric_words));
    }

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
        assert_eq!(t("八十").0.map(|n| n.0), Some(Decimal::from(80)));
        assert_eq!(t("七分").0.map(|n| n.0), Some(Decimal::from(7)));
        assert_eq!(t("良好"), (None, true));
        assert_eq!(t("—"), (None, false));
        assert_eq!(t("/"), (None, false));
        assert!(t("3359.62万").1);
    }

    #[test]
    fn amounts_with_their_unit_are_read_in_the_tables_unit() {
        let a = |s: &str, u| read_cell(&Value::Text(s.into()), Some(u));
        assert_eq!(
            a("3359.62万", Amounts::Wan),
            (Some((Decimal::new(335962, 2), 2, false)), false)
        );
        assert_eq!(
            a("829.3万元", Amounts::Wan),
            (Some((Decimal::new(8293, 1), 1, false)), false)
        );
        assert_eq!(
            a("1500元", Amounts::Wan),
            (Some((Decimal::new(1500, 4), 4, false)), false)
        );
        assert_eq!(
            a("1.2345万", Amounts::Yuan),
            (Some((Decimal::from(12345), 0, false)), false)
        );
        // 3万 in a table of 元 is 30000 ± 5000: no figure to compare.
        assert_eq!(a("3万", Amounts::Yuan), (None, false));
        assert_eq!(a("万", Amounts::Wan), (None, true));
        assert_eq!(a("约3万", Amounts::Wan), (None, true));
    }
}
