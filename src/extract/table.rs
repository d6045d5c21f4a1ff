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
}

/// A placeholder meaning "not applicable".
fn is_placeholder(t: &str) -> bool {
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
    /// Filled down from merged cells: rows of one group share the text.
    pub level1: Rc<str>,
    pub level2: Rc<str>,
    pub level3: String,
    pub weight: Option<Num>,
    pub score: Option<Num>,
    pub reason: Option<String>,
    /// The 指标值 and 实际完成值 cells as written (text, row, column), when the table has them.
    pub target: Option<Written>,
    pub actual: Option<Written>,
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
fn header_columns(t: &Template, keys: &Keys<'_>, row: usize) -> Option<Columns> {
    let mut cols = Columns::default();
    for (c, key) in keys.row(row).iter().enumerate() {
        if let Some(f) = field_of_cell(t, key) {
            cols.or_insert(f, c as u32);
        }
    }
    let has = |f: Field| cols.contains_key(f);
    let header = match t.kind.as_str() {
        "indicators" => {
            has(Field::Score) && (has(Field::Level1) || has(Field::Level2) || has(Field::Level3))
        }
        "funds" => has(Field::Actual) && (has(Field::Initial) || has(Field::FullYear)),
        _ => false,
    };
    header.then_some(cols)
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
    let headers: Vec<(usize, &Template, Columns)> = (0..sheet.cells.len())
        .flat_map(|r| {
            templates
                .iter()
                .filter_map(move |t| header_columns(t, keys, r).map(|cols| (r, *t, cols)))
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
                *cols,
                &mut out.bad_cells,
            )),
            _ => out.funds.push(read_funds(
                sheet,
                keys,
                t,
                *r,
                end,
                *cols,
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
    columns: Columns,
    bad: &mut Vec<BadCell>,
) -> IndicatorTable {
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
        let weight =
            num_at(sheet, r, columns.get(Field::Weight).copied(), "分值", bad).map(|n| n.0);
        let score = num_at(sheet, r, columns.get(Field::Score).copied(), "得分", bad).map(|n| n.0);
        let first_label = texts
            .iter()
            .find(|k| !k.is_blank())
            .map(CellKey::key)
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
            text_at(r, Field::Level1),
            text_at(r, Field::Level2),
            text_at(r, Field::Level3),
        );
        // Merged 一级/二级 cells are empty below their first row: fill down.
        if !a.is_empty() {
            if *l1 != *a {
                l1 = Rc::from(a.as_ref());
            }
            l2 = none.clone();
            if let Some((w, d)) = label_weight(&a) {
                table.label_weights.push(LabelWeight {
                    level: 1,
                    label: a.to_string(),
                    weight: Num {
                        value: w,
                        decimals: d,
                        row: r as u32,
                        col: columns.get(Field::Level1).copied().unwrap_or(0),
                    },
                });
            }
        }
        if !b.is_empty() {
            if *l2 != *b {
                l2 = Rc::from(b.as_ref());
            }
            if let Some((w, d)) = label_weight(&b) {
                table.label_weights.push(LabelWeight {
                    level: 2,
                    label: b.to_string(),
                    weight: Num {
                        value: w,
                        decimals: d,
                        row: r as u32,
                        col: columns.get(Field::Level2).copied().unwrap_or(0),
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
            level3: c.into_owned(),
            weight,
            score,
            reason: columns
                .get(Field::Reason)
                .map(|_| text_at(r, Field::Reason).into_owned()),
            target: written(sheet, &columns, r, Field::Target),
            actual: written(sheet, &columns, r, Field::Actual),
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
    t: &Template,
    header: usize,
    end: usize,
    columns: Columns,
    bad: &mut Vec<BadCell>,
) -> FundTable {
    let totals = t.rows.get("total").map(Vec::as_slice).unwrap_or(&[]);
    let parts = t.rows.get("parts").map(Vec::as_slice).unwrap_or(&[]);
    let first_value_col = columns.values().copied().min().unwrap_or(0) as usize;
    let mut table = FundTable {
        header_row: header as u32,
        yuan: says_yuan(sheet, header),
        score_rule: t.score_rule.clone(),
        columns,
        rows: Vec::new(),
    };
    let mut blank_run = 0;
    for r in header + 1..end {
        // The last label cell of the row names it.
        let label = (0..first_value_col)
            .rev()
            .find(|&c| !keys.is_blank(r, c))
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
        let part = !total
            && (parts.iter().any(|w| label.starts_with(w.as_str()))
                || says_qizhong(sheet, r, first_value_col)
                || listing);
        if !total && !part {
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
        table.rows.push(FundRow {
            row: r as u32,
            label,
            total,
            part,
            values,
            rate_fraction,
            unread,
        });
    }
    table
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
            if out.grade.is_some() || !GRADE.contains(&key) {
                continue;
            }
            let word_next = next.map(|n| (n, keys.key(r, n)));
            if let Some((n, word)) =
                word_next.filter(|(_, w)| !w.is_empty() && w.chars().count() <= 4)
            {
                out.grade = Some((word.into_owned(), r as u32, n as u32));
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
        assert_eq!(t("八十"), (None, true));
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
