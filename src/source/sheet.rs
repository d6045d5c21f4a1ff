//! Workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) read with calamine into grids of typed cells.
//!
//! Values come as calamine gives them: the cached result of a formula, numbers as f64 (turned
//! into exact decimals through their shortest round-trip text, so 0.1 stays 0.1), numbers
//! stored as text kept as text (the table reader decides). A formula with no cached value is
//! remembered so it can be reported. Zip-based workbooks are bounded before calamine inflates
//! them, and encrypted ones are named as such.

use super::InputError;
use crate::lang::Text;
use crate::quantity::is_figure_sized;
use calamine::{Data, Reader};
use rust_decimal::Decimal;
use std::io::Cursor;
use std::path::Path;
use std::str::FromStr;

/// Files larger than this are not read.
pub const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;
/// The most a zip-based workbook may inflate to, all parts together.
const MAX_INFLATED: u64 = 512 * 1024 * 1024;
const MAX_RATIO: u64 = 250;
/// Cells beyond this many rows or columns are not read (a real evaluation sheet has far fewer);
/// those that hold something are counted in `Workbook::beyond`, for a finding. (The grid is
/// dense by rows: raising the limits raises the memory a forged far cell can claim.)
pub const MAX_ROWS: usize = 20_000;
pub const MAX_COLS: usize = 200;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    /// A number, with the decimals of its shortest text.
    Number(Decimal, u32),
    Text(String),
    Bool(bool),
    /// An Excel error (#DIV/0! …) or a value suanpan cannot use (a date).
    Other(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(d, _) => d.normalize().to_string(),
            Value::Text(t) => t.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Other(o) => o.clone(),
        }
    }
}

/// A worksheet as a grid; `cells[r][c]` is at 0-based (r, c) in the sheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub cells: Vec<Vec<Value>>,
    /// Cells holding a formula with no cached value.
    pub uncached: Vec<(u32, u32)>,
}

impl Sheet {
    pub fn get(&self, row: usize, col: usize) -> &Value {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Value::Empty)
    }

    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// Per sheet with cells beyond `MAX_ROWS` or `MAX_COLS` that hold something: not read.
    pub beyond: Vec<Beyond>,
}

/// The cells of a sheet beyond the read limits that hold a value or a formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beyond {
    pub sheet: String,
    /// How many.
    pub cells: usize,
    /// The first one met (0-based row, column).
    pub first: (u32, u32),
    /// The last row and column any of them reaches (0-based).
    pub last_row: u32,
    pub last_col: u32,
}

impl Beyond {
    fn new(sheet: &str, first: (u32, u32)) -> Self {
        Beyond {
            sheet: sheet.to_string(),
            cells: 0,
            first,
            last_row: first.0,
            last_col: first.1,
        }
    }

    fn add(&mut self, (row, col): (u32, u32)) {
        self.cells += 1;
        self.last_row = self.last_row.max(row);
        self.last_col = self.last_col.max(col);
    }
}

/// Counts a cell beyond the limits into a sheet's `Beyond`.
fn count_beyond(beyond: &mut Option<Beyond>, sheet: &str, at: (u32, u32)) {
    beyond.get_or_insert_with(|| Beyond::new(sheet, at)).add(at);
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Reads a workbook file.
#[cfg(feature = "cli")]
pub fn read(path: &Path) -> Result<Workbook, InputError> {
    parse_file(path, &super::read_bounded(path, MAX_WORKBOOK_BYTES)?)
}

/// Reads a workbook from the bytes of its file at `path`, whose extension says the format.
pub fn parse_file(path: &Path, bytes: &[u8]) -> Result<Workbook, InputError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    parse(bytes, &ext)
}

/// Reads a workbook held in memory; `ext` says which format to expect.
pub fn parse(bytes: &[u8], ext: &str) -> Result<Workbook, InputError> {
    // calamine can panic on damaged input (fuzzing found one in its .xls string table,
    // fixtures/broken/fuzz-panic-xls-sst.xls); one bad file must not end a batch.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_unguarded(bytes, ext)))
        .unwrap_or_else(|_| Err(damaged()))
}

/// Why a workbook whose reading panicked is not read. Where a panic cannot be caught (in the
/// browser, where it ends the whole module), the caller finds out otherwise and reports it so.
pub fn damaged() -> InputError {
    InputError::Refused(Text::new(
        "工作簿内部结构损坏，读取失败",
        "the workbook's internal structure is damaged and could not be read",
    ))
}

fn parse_unguarded(bytes: &[u8], ext: &str) -> Result<Workbook, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    let zipped = matches!(ext, "xlsx" | "xlsm" | "xlsb" | "ods");
    if zipped && bytes.starts_with(OLE_MAGIC) {
        return Err(InputError::Refused(Text::new(
            "工作簿设置了打开密码（已加密），请去掉密码后再检查",
            "the workbook is password-protected (encrypted); remove the password and check again",
        )));
    }
    if zipped {
        check_zip(bytes)?;
    }
    if ext == "xls" || (!zipped && bytes.starts_with(OLE_MAGIC)) {
        check_compound_file(bytes)?;
    }
    // calamine would parse the colour theme, which suanpan never reads (`theme`).
    let unthemed = matches!(ext, "xlsx" | "xlsm")
        .then(|| super::theme::without_theme(bytes))
        .flatten();
    let cursor = Cursor::new(unthemed.as_deref().unwrap_or(bytes));
    let opened = match ext {
        "xlsx" | "xlsm" => calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor)
            .map(calamine::Sheets::Xlsx)
            .map_err(|e| e.to_string()),
        "xls" => calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(cursor)
            .map(calamine::Sheets::Xls)
            .map_err(|e| e.to_string()),
        "xlsb" => calamine::open_workbook_from_rs::<calamine::Xlsb<_>, _>(cursor)
            .map(calamine::Sheets::Xlsb)
            .map_err(|e| e.to_string()),
        "ods" => calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(cursor)
            .map(calamine::Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => calamine::open_workbook_auto_from_rs(cursor).map_err(|e| e.to_string()),
    };
    let mut book = opened.map_err(|why| {
        let password = why.to_lowercase().contains("password") || why.contains("encrypt");
        if password {
            InputError::Refused(Text::new(
                "工作簿设置了密码，请去掉密码后再检查",
                "the workbook is password-protected; remove the password and check again",
            ))
        } else {
            InputError::Refused(Text::new(
                format!("无法作为 .{ext} 工作簿打开（文件损坏或扩展名有误）：{why}"),
                format!(
                    "cannot be opened as a .{ext} workbook (damaged, or a wrong extension): {why}"
                ),
            ))
        }
    })?;
    let mut sheets = Vec::new();
    let mut beyond = Vec::new();
    for name in book.sheet_names() {
        let read = match &mut book {
            calamine::Sheets::Xlsx(xlsx) => xlsx_cells(xlsx, &name),
            other => range_cells(other, &name),
        };
        let (cells, uncached, far) = read.map_err(|e| {
            InputError::Refused(Text::new(
                format!("工作表“{name}”无法读取：{e}"),
                format!("sheet \"{name}\" cannot be read: {e}"),
            ))
        })?;
        beyond.extend(far);
        sheets.push(Sheet {
            name,
            cells,
            uncached,
        });
    }
    Ok(Workbook { sheets, beyond })
}

/// A sheet's cells, by absolute row and column, the formula cells without a cached value, and
/// the cells beyond the limits that hold something.
type SheetCells = (Vec<Vec<Value>>, Vec<(u32, u32)>, Option<Beyond>);

/// An .xlsx sheet in one pass over its XML: values and formulas together (a `worksheet_range`
/// and a `worksheet_formula` would parse it twice).
fn xlsx_cells(xlsx: &mut calamine::Xlsx<Cursor<&[u8]>>, name: &str) -> Result<SheetCells, String> {
    let mut reader = xlsx
        .worksheet_cells_reader(name)
        .map_err(|e| e.to_string())?;
    let mut cells: Vec<Vec<Value>> = Vec::new();
    let mut uncached = Vec::new();
    let mut beyond = None;
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(|e| e.to_string())?
    {
        let (r, c) = (cell.pos.0 as usize, cell.pos.1 as usize);
        if r >= MAX_ROWS || c >= MAX_COLS {
            let filled = cell.formula.is_some() || !value_of(Data::from(cell.value)).is_empty();
            if filled {
                count_beyond(&mut beyond, name, cell.pos);
            }
            continue;
        }
        let value = value_of(Data::from(cell.value));
        if value.is_empty() {
            if cell.formula.is_some() {
                uncached.push(cell.pos);
            }
            continue;
        }
        if cells.len() <= r {
            cells.resize(r + 1, Vec::new());
        }
        let row = &mut cells[r];
        if row.len() <= c {
            row.resize(c + 1, Value::Empty);
        }
        row[c] = value;
    }
    Ok((cells, uncached, beyond))
}

/// A sheet of any other format, through calamine's ranges.
fn range_cells<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<R>,
    name: &str,
) -> Result<SheetCells, String> {
    let range = book.worksheet_range(name).map_err(|e| e.to_string())?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    // The limits are on absolute rows and columns, as for .xlsx: a table that starts below row
    // MAX_ROWS is beyond them (and counted), not read as if it started at the top.
    let (first_row, first_col) = ((r0 as usize).min(MAX_ROWS), (c0 as usize).min(MAX_COLS));
    let mut cells: Vec<Vec<Value>> = vec![Vec::new(); first_row];
    let mut beyond = None;
    for (i, row) in range.rows().enumerate() {
        let r = r0 as usize + i;
        let mut out = vec![Value::Empty; first_col];
        for (j, d) in row.iter().enumerate() {
            let c = c0 as usize + j;
            if r >= MAX_ROWS || c >= MAX_COLS {
                if !matches!(d, Data::Empty) && !value_of(d.clone()).is_empty() {
                    let at = (
                        u32::try_from(r).unwrap_or(u32::MAX),
                        u32::try_from(c).unwrap_or(u32::MAX),
                    );
                    count_beyond(&mut beyond, name, at);
                }
                continue;
            }
            out.push(value_of(d.clone()));
        }
        if r >= MAX_ROWS {
            continue;
        }
        while out.last().is_some_and(Value::is_empty) {
            out.pop();
        }
        cells.push(out);
    }
    let formulas: Vec<(u32, u32)> = book
        .worksheet_formula(name)
        .map(|f| {
            let (fr, fc) = f.start().unwrap_or((0, 0));
            f.used_cells()
                .filter(|(_, _, formula)| !formula.is_empty())
                .map(|(r, c, _)| (fr + r as u32, fc + c as u32))
                .filter(|&(r, c)| {
                    cells
                        .get(r as usize)
                        .and_then(|row| row.get(c as usize))
                        .is_none_or(Value::is_empty)
                })
                .collect()
        })
        .unwrap_or_default();
    // A formula without a value beyond the limits is counted there, as in .xlsx.
    let mut uncached = Vec::with_capacity(formulas.len());
    for at in formulas {
        if at.0 as usize >= MAX_ROWS || at.1 as usize >= MAX_COLS {
            count_beyond(&mut beyond, name, at);
        } else {
            uncached.push(at);
        }
    }
    Ok((cells, uncached, beyond))
}

fn value_of(d: Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::Int(i) if is_figure_sized(Decimal::from(i)) => Value::Number(Decimal::from(i), 0),
        Data::Int(i) => Value::Other(i.to_string()),
        Data::Float(f) => number(f).unwrap_or_else(|| Value::Other(f.to_string())),
        Data::String(s) => Value::Text(s),
        Data::Bool(b) => Value::Bool(b),
        Data::Error(e) => Value::Other(format!("{e}")),
        other => Value::Other(other.to_string()),
    }
}

/// An f64 as the decimal its shortest round-trip text says (0.1 → 0.1, not 0.1000000000000000055…);
/// None beyond the size of any figure (`is_figure_sized`).
fn number(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    // Whole numbers (most cells) need no text: 650.0 is 650, no decimals. (-0.0 takes the text
    // path, as before, to keep its sign.)
    if f.fract() == 0.0 && f.abs() <= 1e14 && !(f == 0.0 && f.is_sign_negative()) {
        return Some(Value::Number(Decimal::from(f as i64), 0));
    }
    let text = format!("{f}");
    let d = Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
        .filter(|d| is_figure_sized(*d))?;
    let decimals = text
        .split_once('.')
        .map(|(_, f)| f.len() as u32)
        .unwrap_or(0);
    // Binary noise of a computed cell (91.82000000000001) is not a stated precision.
    if decimals > 8 {
        let r = d.round_dp(8).normalize();
        return Some(Value::Number(r, r.scale()));
    }
    Some(Value::Number(d, decimals))
}

/// Validates an OLE compound file (.xls) before calamine reads it: calamine follows sector
/// chains without bounds, so a chain with a cycle would make it allocate until memory runs out
/// (found by fuzzing; fixtures/broken/fuzz-oom-cfb-fat.xls). The cfb crate checks the FAT and
/// the chains and refuses such files.
fn check_compound_file(bytes: &[u8]) -> Result<(), InputError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        InputError::Refused(Text::new(
            format!("不是完好的 .xls 文件（复合文件结构损坏：{e}）"),
            format!("not an intact .xls file (damaged compound-file structure: {e})"),
        ))
    })?;
    // calamine reserves room for every cell a sheet's Dimensions record declares; a forged
    // record would claim memory for millions of cells before a single one is read.
    // calamine finds the stream even when its directory entry is damaged (a zero name length:
    // fixtures/broken/fuzz-oom-xls-unnamed-stream.xls), so a file whose stream cannot be found
    // and checked here is refused rather than read unchecked.
    let mut checked = false;
    for name in ["/Workbook", "/Book"] {
        let Ok(mut stream) = file.open_stream(name) else {
            continue;
        };
        checked = true;
        let mut data = Vec::new();
        // A stream that cannot be read whole (a chain shorter than its declared size) cannot be
        // checked, and calamine reads what it can of it: refused (fixtures/broken/
        // fuzz-oom-xls-empty-row-range.xls, whose rows run from 196864 to 13).
        if let Err(e) = std::io::Read::read_to_end(&mut stream, &mut data) {
            return Err(InputError::Refused(Text::new(
                format!("不是完好的 .xls 文件（工作簿数据流无法完整读取：{e}）"),
                format!("not an intact .xls file (its workbook stream cannot be read whole: {e})"),
            )));
        }
        let Some(declared) = declared_cells(&data) else {
            return Err(InputError::Refused(Text::new(
                format!("工作簿列出了超过 {MAX_SHEETS} 个工作表，文件可能已损坏"),
                format!(
                    "the workbook lists more than {MAX_SHEETS} sheets: the file may be damaged"
                ),
            )));
        };
        if declared >= u64::MAX / 2 {
            return Err(InputError::Refused(Text::new(
                "工作表的范围记录无效（起始行列在结束行列之后），文件已损坏",
                "a sheet's dimensions record is invalid (first row or column after the last): the file is damaged",
            )));
        }
        if declared > MAX_DECLARED_CELLS {
            return Err(InputError::Refused(Text::new(
                format!("工作表声明了 {declared} 个单元格，超出读取上限，文件可能已损坏"),
                format!(
                    "a sheet declares {declared} cells, over the limit: the file may be damaged"
                ),
            )));
        }
        break;
    }
    if !checked {
        return Err(InputError::Refused(Text::new(
            "不是完好的 .xls 文件（找不到工作簿数据流，目录已损坏）",
            "not an intact .xls file (no workbook stream: its directory is damaged)",
        )));
    }
    Ok(())
}

/// The most cells an .xls sheet may declare (a real evaluation sheet has a few hundred).
const MAX_DECLARED_CELLS: u64 = (MAX_ROWS * MAX_COLS) as u64;

/// The largest rows × columns any Dimensions record (0x0200) of a BIFF stream declares, or that
/// the cell records (which begin with their row and column; MULRK and MULBLANK end with their
/// last column) reach: calamine lays the cells out in a dense grid that large. Records are read
/// from the start of the stream and, as calamine reads them, from each sheet's own offset (its
/// BoundSheet record), which a damaged file may set inside another record.
/// `None` when the stream lists more sheets than are scanned (a damaged file: each scan reads
/// to the end of the stream, so there must be a bound).
fn declared_cells(biff: &[u8]) -> Option<u64> {
    let (mut most, mut sheets) = scan_records(biff, 0);
    sheets.sort_unstable();
    sheets.dedup();
    if sheets.len() > MAX_SHEETS {
        return None;
    }
    for at in sheets {
        most = most.max(scan_records(biff, at).0);
    }
    Some(most)
}

/// The cells calamine reserves for a Dimensions record, computed as it does (`parse_dimensions`:
/// the last row and column are exclusive, a first column past 0xFF or past the last is taken as
/// 0, an empty range is one cell; then rows × columns in wrapping u32 arithmetic). A first row
/// after the last is `u64::MAX`: calamine's subtraction would wrap to some 4 billion rows.
fn calamine_grid(rf: u64, rl: u64, cf: u64, cl: u64) -> u64 {
    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
    let (end_r, end_c) = if 1 <= rl && 1 <= cl {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    if end_r < rf {
        return u64::MAX;
    }
    let count = |end: u64, start: u64| {
        let (end, start) = (end as u32, start as u32);
        u64::from(end.wrapping_sub(start).wrapping_add(1))
    };
    count(end_r, rf).saturating_mul(count(end_c, cf))
}

/// The most sheets an .xls may list (Excel's own limit is memory; evaluation workbooks have a few).
const MAX_SHEETS: usize = 1024;

/// Scans BIFF records from `at` to the end of the stream: the largest grid they declare or reach,
/// and the sheet offsets their BoundSheet records (0x0085) give.
fn scan_records(biff: &[u8], mut at: usize) -> (u64, Vec<usize>) {
    const CELL_RECORDS: &[u16] = &[
        0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E,
    ];
    const MULRK: u16 = 0x00BD;
    const MULBLANK: u16 = 0x00BE;
    let mut most = 0u64;
    let mut sheets = Vec::new();
    let (mut max_row, mut max_col) = (0u64, 0u64);
    while at + 4 <= biff.len() {
        let kind = u16::from_le_bytes([biff[at], biff[at + 1]]);
        let len = u16::from_le_bytes([biff[at + 2], biff[at + 3]]) as usize;
        let body = biff.get(at + 4..at + 4 + len).unwrap_or(&[]);
        let u16_at = |i: usize| {
            body.get(i..i + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
        };
        let u32_at = |i: usize| {
            body.get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
        };
        if kind == 0x0200 {
            // BIFF5: rwMic, rwMac, colMic, colMac as u16; BIFF8 (14 bytes, or 16 with padding):
            // the rows as u32. Other lengths calamine rejects.
            let fields = match len {
                10 => Some((u16_at(0), u16_at(2), u16_at(4), u16_at(6))),
                14 | 16 => Some((u32_at(0), u32_at(4), u16_at(8), u16_at(10))),
                _ => None,
            };
            if let Some((Some(rf), Some(rl), Some(cf), Some(cl))) = fields {
                most = most.max(calamine_grid(rf, rl, cf, cl));
            }
        }
        if let (0x0085, Some(pos)) = (kind, u32_at(0)) {
            sheets.push(pos as usize);
        }
        if CELL_RECORDS.contains(&kind) && body.len() >= 4 {
            max_row = max_row.max(u16_at(0).unwrap_or(0));
            max_col = max_col.max(u16_at(2).unwrap_or(0));
            if matches!(kind, MULRK | MULBLANK) && body.len() >= 6 {
                max_col = max_col.max(u16_at(body.len() - 2).unwrap_or(0));
            }
        }
        at += 4 + len;
    }
    (most.max((max_row + 1).saturating_mul(max_col + 1)), sheets)
}

/// Refuses zip-based workbooks that would inflate beyond the limits.
fn check_zip(bytes: &[u8]) -> Result<(), InputError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        InputError::Refused(Text::new(
            format!("工作簿的 zip 结构损坏（文件可能不完整）：{e}"),
            format!("the workbook's zip structure is damaged (truncated file?): {e}"),
        ))
    })?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size / packed > MAX_RATIO && size > 1024 * 1024 {
            let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
            let ratio = size / packed;
            return Err(InputError::Refused(Text::new(
                format!("工作簿中的 {name} 压缩比 {ratio}:1，疑似压缩炸弹"),
                format!("{name} in the workbook compresses {ratio}:1: a zip bomb?"),
            )));
        }
    }
    if total > MAX_INFLATED {
        return Err(InputError::Refused(Text::new(
            format!("工作簿解压后共 {total} 字节，超出读取上限"),
            format!("the workbook inflates to {total} bytes, over the limit"),
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_numbers_beyond_any_figure_are_not_numbers() {
        let hundred_trillion = 100_000_000_000_000_i64;
        assert_eq!(
            value_of(Data::Int(hundred_trillion)),
            Value::Number(Decimal::from(hundred_trillion), 0)
        );
        assert!(matches!(
            value_of(Data::Int(hundred_trillion + 1)),
            Value::Other(_)
        ));
        assert!(matches!(value_of(Data::Float(1e20)), Value::Other(_)));
        assert!(matches!(value_of(Data::Float(-1e27)), Value::Other(_)));
        assert_eq!(
            value_of(Data::Float(0.1)),
            Value::Number(Decimal::new(1, 1), 1)
        );
    }

    #[test]
    fn whole_floats_read_as_their_text_says() {
        let by_text = |f: f64| {
            let d = Decimal::from_str(&format!("{f}")).unwrap();
            Some(Value::Number(d, 0))
        };
        for f in [0.0, 1.0, 88.0, 650.0, 123_456_789_012.0, 1e14, -3.0, -1e14] {
            assert_eq!(number(f), by_text(f), "{f}");
        }
        assert_eq!(number(1e14 + 1.0), None);
        assert_eq!(number(-1e14 - 1.0), None);
        // -0.0 keeps the sign its text gives it.
        let negative_zero = Decimal::from_str("-0").unwrap();
        assert_eq!(number(-0.0), Some(Value::Number(negative_zero, 0)));
    }

    #[test]
    fn floats_become_their_shortest_decimal() {
        assert_eq!(number(0.1), Some(Value::Number(Decimal::new(1, 1), 1)));
        assert_eq!(
            number(884.49),
            Some(Value::Number(Decimal::new(88449, 2), 2))
        );
        assert_eq!(number(100.0), Some(Value::Number(Decimal::from(100), 0)));
        assert_eq!(
            number(91.82000000000001),
            Some(Value::Number(Decimal::new(9182, 2), 2))
        );
        assert_eq!(number(f64::NAN), None);
    }

    #[test]
    fn a_compound_file_whose_chains_loop_is_refused_before_calamine() {
        // A fuzzing find: calamine grew a Vec without bound on this file's directory chain.
        let bytes = include_bytes!("../../fixtures/broken/fuzz-oom-cfb-fat.xls");
        assert!(
            matches!(parse(bytes, "xls"), Err(InputError::Refused(t)) if t.zh.contains("复合文件"))
        );
    }

    #[test]
    fn an_xls_declaring_millions_of_cells_is_refused() {
        // A fuzzing find: calamine reserved memory for the cells a forged Dimensions record claims.
        let bytes = include_bytes!("../../fixtures/broken/fuzz-oom-xls-dimensions.xls");
        assert!(matches!(parse(bytes, "xls"), Err(InputError::Refused(_))));
        // The real .xls fixtures declare their true, small size.
        let good = include_bytes!("../../fixtures/sheets/部门整体自评表（xls）.xls");
        assert!(parse(good, "xls").is_ok());
    }

    #[test]
    fn an_xls_cell_far_out_of_the_sheet_is_refused() {
        // A fuzzing find: calamine lays cells out in a grid as large as the farthest cell.
        let bytes = include_bytes!("../../fixtures/broken/fuzz-oom-xls-cell-position.xls");
        assert!(matches!(parse(bytes, "xls"), Err(InputError::Refused(_))));
    }

    #[test]
    fn an_xls_whose_stream_calamine_alone_finds_is_refused() {
        // A fuzzing find: a zero name length in the directory hid the workbook stream from
        // the checks, while calamine found it and laid out a grid of 4 billion cells.
        let bytes = include_bytes!("../../fixtures/broken/fuzz-oom-xls-unnamed-stream.xls");
        assert!(
            matches!(parse(bytes, "xls"), Err(InputError::Refused(t)) if t.en.contains("no workbook stream"))
        );
    }

    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let len = u16::try_from(body.len()).expect("a short body");
        [&kind.to_le_bytes()[..], &len.to_le_bytes(), body].concat()
    }

    #[test]
    fn cells_are_counted_as_calamine_lays_them_out() {
        // A NUMBER cell at row 9, column 4: a 10 × 5 grid.
        let number = |row: u16, col: u16| {
            record(
                0x0203,
                &[&row.to_le_bytes()[..], &col.to_le_bytes(), &[0; 10]].concat(),
            )
        };
        assert_eq!(declared_cells(&number(9, 4)), Some(50));
        // MULRK: row, first column, RK values, last column.
        let mulrk = record(0x00BD, &[0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x60, 0xEA]);
        assert_eq!(declared_cells(&mulrk), Some(60_001));
        // A sheet whose BoundSheet offset lands inside another record, where a far cell hides.
        let hidden = number(60_000, 200);
        let filler = record(0x00FC, &[&[0u8; 4][..], &hidden].concat());
        let at = (12 + 4 + 4) as u32; // the BoundSheet record, the filler's header, 4 bytes
        let bound = record(0x0085, &[&at.to_le_bytes()[..], &[0, 0, 0, 0]].concat());
        let stream = [bound, filler].concat();
        assert_eq!(declared_cells(&stream), Some(60_001 * 201));
        // Too many sheets to scan from.
        let many: Vec<u8> = (0..=MAX_SHEETS as u32)
            .flat_map(|i| record(0x0085, &[&i.to_le_bytes()[..], &[0, 0, 0, 0]].concat()))
            .collect();
        assert_eq!(declared_cells(&many), None);
    }

    #[test]
    fn dimensions_are_sized_as_calamine_sizes_them() {
        // Rows 0..10 and columns 0..5, last ones exclusive: 50 cells.
        assert_eq!(calamine_grid(0, 10, 0, 5), 50);
        // An empty range is one cell.
        assert_eq!(calamine_grid(0, 0, 0, 0), 1);
        // A first column past the last is taken as 0.
        assert_eq!(calamine_grid(0, 2, 9, 3), 6);
        // A first row equal to the (exclusive) last wraps in calamine: refused as invalid.
        assert_eq!(calamine_grid(5, 5, 0, 3), u64::MAX);
        assert_eq!(calamine_grid(7, 5, 0, 3), u64::MAX);
    }

    #[test]
    fn an_xls_whose_row_range_is_empty_is_refused() {
        // A fuzzing find: rwMic = rwMac made calamine reserve 4 billion rows of cells.
        let bytes = include_bytes!("../../fixtures/broken/fuzz-oom-xls-empty-row-range.xls");
        assert!(matches!(parse(bytes, "xls"), Err(InputError::Refused(_))));
    }

    #[test]
    fn a_panic_inside_calamine_is_a_diagnostic() {
        // A fuzzing find: calamine indexes past the end of a damaged .xls string table.
        let bytes = include_bytes!("../../fixtures/broken/fuzz-panic-xls-sst.xls");
        assert!(matches!(parse(bytes, "xls"), Err(InputError::Refused(_))));
    }

    #[test]
    fn damaged_and_encrypted_workbooks_are_refused() {
        let ole = [OLE_MAGIC, b"encrypted"].concat();
        assert!(
            matches!(parse(&ole, "xlsx"), Err(InputError::Refused(t)) if t.zh.contains("密码"))
        );
        assert!(matches!(
            parse(b"PK\x03\x04broken", "xlsx"),
            Err(InputError::Refused(_))
        ));
        assert!(matches!(
            parse(b"not a workbook", "xls"),
            Err(InputError::Refused(_))
        ));
        assert!(matches!(parse(b"", "xlsx"), Err(InputError::Empty)));
    }
}
