//! Tables inside narratives: pipe tables (`| 年初预算 | 全年预算 |`, also how .docx tables are
//! read), rows separated by tabs or wide spaces, one-cell-per-line dumps of web pages, and fund
//! blocks that xlsx or PDF extraction flattened onto one line (headers, then runs of values). Each
//! becomes a grid checked with the sheet templates; every cell remembers its byte range so that
//! findings point back into the text.

use super::scan::lines_of;
use super::table::{WordHash, builtin, key_of};
use crate::quantity::is_figure_sized;
use crate::source::sheet::{Sheet, Value};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

/// A cell's text and its byte range in the text.
type TextCell = (String, (usize, usize));

/// A table found in text: the grid, and the byte range of each cell in the text.
pub struct TextTable {
    pub sheet: Sheet,
    pub spans: Vec<Vec<(usize, usize)>>,
}

impl TextTable {
    pub fn span(&self, row: u32, col: u32) -> Option<(usize, usize)> {
        self.spans.get(row as usize)?.get(col as usize).copied()
    }
}

fn value(text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Empty;
    }
    match Decimal::from_str(&t.replace(',', "")) {
        Ok(d) if is_figure_sized(d) => Value::Number(
            d,
            t.split_once('.').map(|(_, f)| f.len() as u32).unwrap_or(0),
        ),
        _ => Value::Text(t.to_string()),
    }
}

/// Splits a line into trimmed cells with their byte ranges (relative to `offset`).
fn split(
    line: &str,
    offset: usize,
    sep: impl Fn(&str, usize) -> Option<usize>,
) -> Vec<(String, (usize, usize))> {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < line.len() {
        if let Some(len) = sep(line, i) {
            cells.push(cell(line, offset, start, i));
            i += len;
            start = i;
        } else {
            i += line[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        }
    }
    cells.push(cell(line, offset, start, line.len()));
    cells
}

/// The length of a field separator at `k`: a tab, or a run of two or more spaces.
fn gap(s: &str, k: usize) -> Option<usize> {
    let rest = &s[k..];
    if rest.starts_with('\t') {
        return Some(1);
    }
    let run: usize = rest
        .chars()
        .take_while(|c| matches!(c, ' ' | '\u{3000}' | '\t'))
        .map(char::len_utf8)
        .sum();
    let chars = rest[..run].chars().count();
    (chars >= 2 || rest.starts_with('\u{3000}')).then_some(run)
}

/// How many non-empty fields a line splits into at tabs or wide spaces.
fn spaced_fields(line: &str) -> usize {
    let trimmed = line.trim();
    if trimmed.contains('。') {
        return 0;
    }
    split(trimmed, 0, gap)
        .iter()
        .filter(|(c, _)| !c.is_empty())
        .count()
}

fn cell(line: &str, offset: usize, a: usize, b: usize) -> (String, (usize, usize)) {
    let raw = &line[a..b];
    let lead = raw.len() - raw.trim_start().len();
    let t = raw.trim();
    (
        t.to_string(),
        (offset + a + lead, offset + a + lead + t.len()),
    )
}

fn is_rule_line(cells: &[(String, (usize, usize))]) -> bool {
    cells
        .iter()
        .all(|(c, _)| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '=')))
}

/// Every header word of the templates, for recognising cell-per-line headers.
fn header_words() -> &'static HashSet<String, WordHash> {
    static WORDS: std::sync::OnceLock<HashSet<String, WordHash>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        builtin()
            .iter()
            .flat_map(|t| t.columns.values().flatten().cloned())
            .collect()
    })
}

/// Whether a text holds two spaces in a row or an ideographic space (U+3000).
fn any_wide_space(bytes: &[u8]) -> bool {
    // Spaces are rare in Chinese text: each one is looked at rather than searched for in pairs.
    let two_spaces = || memchr::memchr_iter(b' ', bytes).any(|i| bytes.get(i + 1) == Some(&b' '));
    // U+3000 is E3 80 80. E3 80 starts most Chinese punctuation (。、《》), where a search for
    // the whole char keeps stopping; 80 80 is rare, and E3 before it makes it U+3000.
    let ideographic_space = || {
        memchr::memmem::find_iter(bytes, b"\x80\x80")
            .any(|i| i.checked_sub(1).and_then(|b| bytes.get(b)) == Some(&0xE3))
    };
    two_spaces() || ideographic_space()
}

/// Whether a line is a header word on its own: a cell of a one-cell-per-line dump.
fn is_header_line(line: &str) -> bool {
    // Header words are short; most lines are prose and need no normalising.
    line.len() <= 48 && {
        let k = key_of(line);
        !k.is_empty() && header_words().contains(k.as_ref())
    }
}

/// What one pass over a text finds: whether it holds a pipe, a tab, and three lines in a row
/// that are header words (without pipes or gaps, only such a run can start a table).
struct QuickLook {
    pipe: bool,
    tab: bool,
    header_run: bool,
}

fn quick_look(text: &str) -> QuickLook {
    let bytes = text.as_bytes();
    let mut look = QuickLook {
        pipe: false,
        tab: false,
        header_run: false,
    };
    let (mut start, mut run) = (0, 0);
    // The lines as `lines_of` gives them.
    let mut line_to = |end: usize, look: &mut QuickLook| {
        if let Some(line) = text.get(start..end).filter(|l| !l.is_empty()) {
            let line = line.trim_end_matches(['\n', '\r']);
            run = if is_header_line(line) { run + 1 } else { 0 };
            look.header_run |= run >= 3;
        }
        start = end;
    };
    for at in memchr::memchr3_iter(b'\n', b'|', b'\t', bytes) {
        match bytes.get(at) {
            Some(b'\n') => line_to(at + 1, &mut look),
            Some(b'|') => look.pipe = true,
            _ => look.tab = true,
        }
    }
    line_to(text.len(), &mut look);
    look
}

pub fn find(text: &str) -> Vec<TextTable> {
    // Most reports have no table: one pass over the text for pipes, tabs and runs of header
    // words, and a search for wide spaces, say so before the lines are split.
    let look = quick_look(text);
    let (any_pipe, any_gap) = (look.pipe, look.tab || any_wide_space(text.as_bytes()));
    if !any_pipe && !any_gap && !look.header_run {
        // Only a table flattened onto a line can be here: only the lines naming its words are
        // looked at.
        return flattened_only(text);
    }
    tables_in(text, any_pipe, any_gap)
}

/// The tables of a text that holds no pipe, no field gap and no run of header words: those
/// flattened onto a line, on the lines `tables_in` would find them on. The lines are those
/// holding one of `may_flatten`'s words, found by searching the whole text for each word
/// rather than each line for all of them.
fn flattened_only(text: &str) -> Vec<TextTable> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit) {
        return Vec::new();
    }
    // The start of each line holding a word, in order, once each. (Four memchr searches over the
    // text cost less than one Aho-Corasick search for the four words, which cannot use a
    // prefilter on them.)
    let mut starts: Vec<usize> = flatten_words()
        .iter()
        .flat_map(|w| w.find_iter(bytes))
        .map(|at| memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |nl| nl + 1))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::new();
    // Line numbers as `lines_of` counts them: the line breaks before a line's start.
    let (mut line_no, mut counted_to) = (0, 0);
    for start in starts {
        line_no += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
        counted_to = start;
        let rest = &text[start..];
        let line = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest, |nl| &rest[..nl]);
        let line = line.trim_end_matches('\r');
        if let Some(t) = may_flatten(line)
            .then(|| {
                flattened_funds(line, start, line_no)
                    .or_else(|| flattened_scores(line, start, line_no))
                    .or_else(|| glued_scores(line, start, line_no))
            })
            .flatten()
        {
            out.push(t);
        }
    }
    out
}

/// The tables of a text, line by line; `any_pipe` and `any_gap` say whether the text holds a
/// pipe and a field gap anywhere.
fn tables_in(text: &str, any_pipe: bool, any_gap: bool) -> Vec<TextTable> {
    let lines: Vec<(usize, &str)> = lines_of(text).collect();
    let mut out = Vec::new();
    let mut i = 0;
    let pipe =
        |l: &str| any_pipe && (l.trim_start().starts_with('|') || l.matches('|').count() >= 2);
    // Tabs, or runs of two or more spaces (ASCII or ideographic), between at least three fields.
    let tabbed = |l: &str| any_gap && spaced_fields(l) >= 3;
    while i < lines.len() {
        let (_, l) = lines[i];
        // A web page's table dumped one cell per line, with a pipe after each cell.
        if any_pipe && let Some((t, next)) = cell_stream(&lines, i) {
            out.push(t);
            i = next;
            continue;
        }
        if pipe(l) || tabbed(l) {
            let is_pipe = pipe(l);
            let first = i;
            // A total row in single spaces ("总分 100 94") closes a table of wide gaps.
            let short_total = |l: &str| !is_pipe && !not_a_short_total(l);
            let mut rows = Vec::new();
            while i < lines.len()
                && (if is_pipe {
                    pipe(lines[i].1)
                } else {
                    tabbed(lines[i].1) || short_total(lines[i].1)
                })
            {
                let (off, line) = lines[i];
                let mut cells = if is_pipe {
                    split(line, off, |s, k| s[k..].starts_with('|').then_some(1))
                } else if tabbed(line) {
                    split(line, off, gap)
                } else {
                    tokens(line, off)
                };
                if is_pipe {
                    // The leading and trailing pipes leave empty edge cells.
                    if line.trim_start().starts_with('|') && !cells.is_empty() {
                        cells.remove(0);
                    }
                    if line.trim_end().ends_with('|') {
                        cells.pop();
                    }
                }
                if !is_rule_line(&cells) {
                    rows.push(cells);
                }
                i += 1;
            }
            if rows.len() >= 2 {
                out.push(grid(rows, first));
            }
            continue;
        }
        // A fund block flattened onto one line: its headers, then runs of values; or a whole
        // score sheet, its rows ending in their weight and score.
        if let Some(t) = may_flatten(l)
            .then(|| {
                flattened_funds(l, lines[i].0, i)
                    .or_else(|| flattened_scores(l, lines[i].0, i))
                    .or_else(|| glued_scores(l, lines[i].0, i))
            })
            .flatten()
        {
            out.push(t);
            i += 1;
            continue;
        }
        // One cell per line: three or more header words on consecutive lines, then the values
        // in rows of the same width.
        let header_run = lines[i..]
            .iter()
            .take_while(|(_, l)| is_header_line(l))
            .count();
        if header_run >= 3 {
            let width = header_run;
            let body: Vec<(usize, &str)> = lines[i..]
                .iter()
                .copied()
                .take_while(|(_, l)| {
                    !l.trim().is_empty() && l.chars().count() <= 40 && !l.contains('。')
                })
                .collect();
            let usable = body.len() / width * width;
            if usable >= width * 2 {
                let rows: Vec<Vec<(String, (usize, usize))>> = body[..usable]
                    .chunks(width)
                    .map(|chunk| {
                        chunk
                            .iter()
                            .map(|(off, l)| cell(l, *off, 0, l.len()))
                            .collect()
                    })
                    .collect();
                out.push(grid(rows, i));
                i += usable;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A line of a one-cell-per-line dump with pipes: a pipe alone (`|`, `|||`), a cell ending in
/// its pipe (`49.9 |`), or a short cell of its own (`2015年`); None for prose, for rows with
/// pipes inside, and for blank lines (which such dumps put anywhere).
#[derive(Clone, Copy, PartialEq, Eq)]
enum StreamLine<'a> {
    Pipes(usize),
    Ended(&'a str),
    Plain(&'a str),
    Blank,
}

fn stream_line(line: &str) -> Option<StreamLine<'_>> {
    let t = line.trim();
    if t.is_empty() {
        return Some(StreamLine::Blank);
    }
    if t.bytes().all(|b| b == b'|') {
        return Some(StreamLine::Pipes(t.len()));
    }
    let short = |c: &str| c.chars().count() <= 40 && !c.contains(['。', '；']);
    match t.strip_suffix('|') {
        Some(body) if !body.contains('|') && short(body) => Some(StreamLine::Ended(body.trim())),
        Some(_) => None,
        None => (!t.contains('|') && short(t)).then_some(StreamLine::Plain(t)),
    }
}

/// A table dumped from a web page one cell per line (`合计 |` / `49.9 |`, or `2015年` / `|` /
/// `2840` / `|`), from line `i`: its grid and the line after it. Rows are found from the cells
/// alone, as a label followed by its values, since such dumps lose the row breaks: the
/// leading labels are the header row.
fn cell_stream(lines: &[(usize, &str)], i: usize) -> Option<(TextTable, usize)> {
    let kind = |k: usize| lines.get(k).and_then(|(_, l)| stream_line(l));
    let next_nonblank = |mut k: usize| {
        while kind(k) == Some(StreamLine::Blank) {
            k += 1;
        }
        kind(k)
    };
    // The dump starts at a pipe, or at a cell followed by its pipe on the next line.
    match kind(i)? {
        StreamLine::Pipes(_) | StreamLine::Ended(_) => {}
        StreamLine::Plain(_) if matches!(next_nonblank(i + 1), Some(StreamLine::Pipes(_))) => {}
        _ => return None,
    }
    let mut end = i;
    while kind(end).is_some() {
        end += 1;
    }
    // Trailing prose lines short enough to pass are not cells unless a pipe follows them.
    while end > i
        && matches!(
            kind(end - 1),
            Some(StreamLine::Plain(_) | StreamLine::Blank)
        )
    {
        end -= 1;
    }
    let run = &lines[i..end];
    let (mut ended, mut plain) = (0, 0);
    for (_, l) in run {
        match stream_line(l) {
            Some(StreamLine::Ended(_)) => ended += 1,
            Some(StreamLine::Plain(_)) => plain += 1,
            _ => {}
        }
    }
    // Pipes end cells (`49.9 |`, a pipe alone being an empty cell) or stand between them.
    let pipes_end_cells = ended > 0 && ended >= plain;
    let mut cells: Vec<(String, (usize, usize))> = Vec::new();
    // The start of a cell split over lines ("公务用车\n购置费 |"), and of an empty cell.
    let mut pending: Option<(String, usize)> = None;
    let mut after_cell = false;
    for &(off, l) in run {
        let lead = l.len() - l.trim_start().len();
        match stream_line(l) {
            Some(StreamLine::Pipes(n)) => {
                if pipes_end_cells {
                    let n = if pending.is_some() { n - 1 } else { n };
                    if let Some((text, start)) = pending.take() {
                        cells.push((text, (start, off + lead)));
                    }
                    for _ in 0..n {
                        cells.push((String::new(), (off + lead, off + lead + 1)));
                    }
                } else {
                    // Between cells, a pipe more than one stands for an empty cell.
                    let empties = if after_cell {
                        n - 1
                    } else {
                        n.saturating_sub(1)
                    };
                    for _ in 0..empties {
                        cells.push((String::new(), (off + lead, off + lead + 1)));
                    }
                    after_cell = false;
                }
            }
            Some(StreamLine::Ended(body)) => {
                let start = off + lead;
                let stop = start + l.trim().len() - 1;
                let (text, start) = match pending.take() {
                    Some((p, s)) => (format!("{p}{body}"), s),
                    None => (body.to_string(), start),
                };
                let stop = l[..stop - off].trim_end().len() + off;
                cells.push((text, (start, stop)));
            }
            Some(StreamLine::Plain(t)) => {
                if pipes_end_cells {
                    pending = Some(match pending.take() {
                        Some((p, s)) => (format!("{p}{t}"), s),
                        None => (t.to_string(), off + lead),
                    });
                } else {
                    cells.push((t.to_string(), (off + lead, off + lead + t.len())));
                    after_cell = true;
                }
            }
            _ => {}
        }
    }
    let rows = stream_rows(cells)?;
    Some((grid(rows, i), end))
}

/// Whether a cell of a dump holds a value (a number, a percentage, a dash or nothing) rather
/// than a label.
fn is_stream_value(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || matches!(t, "-" | "—" | "——" | "－" | "/" | "\\")
        || Decimal::from_str(&t.trim_end_matches(['%', '％']).replace(',', "")).is_ok()
}

/// The rows of a dump's cells: each label with the values after it; the labels before the first
/// value are the header. None when no two rows hold the same number of values.
fn stream_rows(cells: Vec<TextCell>) -> Option<Vec<Vec<TextCell>>> {
    let values: Vec<bool> = cells.iter().map(|(c, _)| is_stream_value(c)).collect();
    let mut rows: Vec<Vec<TextCell>> = vec![Vec::new()];
    let mut header_done = false;
    for (k, cell) in cells.into_iter().enumerate() {
        if values[k] {
            if !header_done {
                // Values before any label: not a dump this reader understands.
                return None;
            }
        } else {
            // A label starts a row when values follow it, or once the header is done.
            if header_done || values.get(k + 1) == Some(&true) {
                rows.push(Vec::new());
                header_done = true;
            }
        }
        if let Some(row) = rows.last_mut() {
            row.push(cell);
        }
    }
    let mut widths: Vec<usize> = rows
        .iter()
        .skip(1)
        .map(Vec::len)
        .filter(|&w| w >= 2)
        .collect();
    widths.sort_unstable();
    let repeated = widths.windows(2).any(|w| w[0] == w[1]);
    (repeated && rows.len() >= 3).then_some(rows)
}

/// Whether a text may hold a table flattened onto a line: it names an execution figure or a
/// 总分.
fn may_flatten(text: &str) -> bool {
    // A flattened table holds figures: most lines of prose that hold none are passed at once.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    flatten_words()
        .iter()
        .any(|w| w.find(text.as_bytes()).is_some())
}

/// The words of which a line holding a flattened table names one.
const FLATTEN_WORDS: [&str; 4] = ["执行数", "决算", "实际支出", "总分"];

/// `FLATTEN_WORDS` as searchers. Built once:
/// `may_flatten` runs for every line, and building a searcher costs more than a search over a
/// short line.
fn flatten_words() -> &'static [memchr::memmem::Finder<'static>] {
    static WORDS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        FLATTEN_WORDS
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect()
    })
}

type Cell = (String, (usize, usize));

/// The fund template's amount, rate and score header words, by key, with their column name.
fn fund_header_words() -> &'static std::collections::HashMap<String, &'static str, WordHash> {
    static WORDS: std::sync::OnceLock<std::collections::HashMap<String, &'static str, WordHash>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = std::collections::HashMap::default();
        for t in builtin().iter().filter(|t| t.kind == "funds") {
            for (name, list) in &t.columns {
                let field: &'static str = match name.as_str() {
                    "initial" => "initial",
                    "full_year" => "full_year",
                    "actual" => "actual",
                    "rate" => "rate",
                    "weight" => "weight",
                    "score" => "score",
                    _ => continue,
                };
                for w in list {
                    words.insert(w.clone(), field);
                }
            }
        }
        words
    })
}

/// Whether a token of a flattened row is a cell's value: a number (with %, 万, 万元 or 元) or a
/// placeholder dash.
fn is_value_token(t: &str) -> bool {
    if matches!(t, "—" | "——" | "-" | "－" | "/" | "／") {
        return true;
    }
    let plain = t.replace(',', "");
    let body = ["%", "％", "万元", "万", "元"]
        .iter()
        .find_map(|u| plain.strip_suffix(u))
        .unwrap_or(&plain);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && Decimal::from_str(body).is_ok_and(is_figure_sized)
}

/// The space-separated tokens of a line with their byte ranges (absolute, from `offset`).
fn tokens(line: &str, offset: usize) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        let space = c == ' ' || c == '\u{3000}' || c == '\t';
        match (space, start) {
            (true, Some(a)) => {
                out.push((line[a..i].to_string(), (offset + a, offset + i)));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// The first run of distinct fund header words at or after token `from` that holds a budget and
/// an execution column and is followed by as many values: its start, end and fields.
fn fund_header_run(toks: &[Cell], from: usize) -> Option<(usize, usize, Vec<&'static str>)> {
    let words = fund_header_words();
    let field = |t: &str| words.get(key_of(t).as_ref()).copied();
    let mut i = from;
    while i < toks.len() {
        let mut fields: Vec<&'static str> = Vec::new();
        let mut j = i;
        while let Some(f) = toks.get(j).and_then(|t| field(&t.0)) {
            if fields.contains(&f) {
                break;
            }
            fields.push(f);
            j += 1;
        }
        let width = fields.len();
        let budget = fields.iter().any(|f| matches!(*f, "initial" | "full_year"));
        let valued = toks
            .get(j..j + width)
            .is_some_and(|run| run.iter().all(|t| is_value_token(&t.0)));
        if width >= 2 && budget && fields.contains(&"actual") && valued {
            return Some((i, j, fields));
        }
        i = j.max(i + 1);
    }
    None
}

/// Where the line names the total row (年度资金总额, 合计): the word and its range.
fn total_word(line: &str, offset: usize) -> Option<Cell> {
    // The words end in 额 (E9 A2 9D) or 计 (E8 AE A1): a line holding neither last byte holds
    // none of them, and most lines are turned away by one byte search.
    memchr::memchr2(0x9D, 0xA1, line.as_bytes())?;
    ["年度资金总额", "资金总额", "合计"].iter().find_map(|w| {
        line.find(w)
            .map(|at| (w.to_string(), (offset + at, offset + at + w.len())))
    })
}

/// The header row and total row of a flattened fund block whose headers are `toks[i..j]`.
fn fund_rows(toks: &[Cell], i: usize, j: usize, total: Cell) -> Vec<Vec<Cell>> {
    let width = j - i;
    let header_at = toks[i].1.0;
    let mut header = vec![(String::new(), (header_at, header_at))];
    header.extend(toks[i..j].iter().cloned());
    let mut total_row = vec![total];
    total_row.extend(toks[j..j + width].iter().cloned());
    vec![header, total_row]
}

/// A fund block as xlsx or PDF extraction flattens it onto one line: the column headers one
/// after another ("全年预算数(A) 全年执行数(B)"), the total's values right after them, then rows
/// of a label and as many values ("其中:中央财政资金 3144.00 3144.00 自治区财政资金 570.17 …").
/// Read only when a 其中 row follows and the line names the total (年度资金总额, 合计) somewhere,
/// as merged cells are often moved away from their row.
fn flattened_funds(line: &str, offset: usize, line_no: usize) -> Option<TextTable> {
    let total = total_word(line, offset)?;
    let toks = tokens(line, offset);
    let mut from = 0;
    while let Some((i, j, fields)) = fund_header_run(&toks, from) {
        let width = fields.len();
        let values_at = |k: usize| {
            toks.get(k..k + width)
                .filter(|run| run.iter().all(|t| is_value_token(&t.0)))
        };
        let mut rows = fund_rows(&toks, i, j, total.clone());
        let mut k = j + width;
        // Rows: a label of a few tokens, then `width` values.
        loop {
            let label_len = toks[k.min(toks.len())..]
                .iter()
                .take(9)
                .take_while(|t| !is_value_token(&t.0))
                .count();
            if label_len == 0 || label_len > 8 {
                break;
            }
            let Some(values) = values_at(k + label_len) else {
                break;
            };
            let label_toks = &toks[k..k + label_len];
            let text: String = label_toks.iter().map(|t| t.0.as_str()).collect();
            let span = (label_toks[0].1.0, label_toks[label_len - 1].1.1);
            let mut row = vec![(text, span)];
            row.extend(values.iter().cloned());
            rows.push(row);
            k += label_len + width;
        }
        if rows.get(2).is_some_and(|r| r[0].0.starts_with("其中")) {
            return Some(grid(rows, line_no));
        }
        // The rows read are no block's: the next headers are looked for after them.
        from = k;
    }
    None
}

/// Whether a token is a bare number (no unit, no sign): a weight or a score in a flattened row.
fn bare_number(t: &str) -> Option<Decimal> {
    if !t.starts_with(|c: char| c.is_ascii_digit()) || t.ends_with('.') {
        return None;
    }
    Decimal::from_str(t).ok().filter(|d| is_figure_sized(*d))
}

/// A whole 自评表 flattened onto one line, its indicator rows ending in their 分值 and 得分
/// ("… 100% 100% 15 15 … 75元 75元 10 10 95% 95% 30 27"), and a 总分 pair after them. The pairs
/// are the last two bare numbers of each run of them after the indicator headers (an odd run's
/// first number is an achieved value), each weight at most 100 and its score at most its weight.
/// The budget-execution line comes from the fund block's 分值 and 得分 when the line has one.
/// Read only when the line says 总分 and the weights add up, with the execution weight, exactly
/// to the last pair's weight: then no row was lost, and the last pair is the total.
fn flattened_scores(line: &str, offset: usize, line_no: usize) -> Option<TextTable> {
    let total_at = line.find("总分")?;
    let toks = tokens(line, offset);
    let find = |word: &str, from: usize| {
        toks[from.min(toks.len())..]
            .iter()
            .position(|t| t.0 == word)
            .map(|p| p + from)
    };
    // The fund block, if any, with its weight and score.
    let fund =
        fund_header_run(&toks, 0).filter(|(_, _, f)| f.contains(&"weight") && f.contains(&"score"));
    let mut rows = Vec::new();
    let mut start = 0;
    let mut execution = Decimal::ZERO;
    if let Some((i, j, fields)) = &fund {
        let total = total_word(line, offset)?;
        let at = |f: &str| fields.iter().position(|x| *x == f).map(|p| &toks[j + p].0);
        execution = at("weight").and_then(|w| bare_number(w))?;
        rows.extend(fund_rows(&toks, *i, *j, total));
        start = j + fields.len();
    }
    // The indicator headers: 三级指标 (or 二级指标), then 分值 and 得分 after it.
    let level = find("三级指标", start).or_else(|| find("二级指标", start))?;
    let weight_h = find("分值", level)?;
    let score_h = find("得分", weight_h)?;
    rows.push(vec![
        toks[level].clone(),
        toks[weight_h].clone(),
        toks[score_h].clone(),
    ]);
    // Pairs from runs of bare numbers.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut k = level + 1;
    while k < toks.len() {
        let run = toks[k..]
            .iter()
            .take_while(|t| bare_number(&t.0).is_some())
            .count();
        if run == 0 {
            k += 1;
            continue;
        }
        let first = k + run % 2;
        for p in (first..k + run).step_by(2) {
            pairs.push((p, p + 1));
        }
        k += run;
    }
    let (&(tw, ts), items) = pairs.split_last()?;
    if items.len() < 3 {
        return None;
    }
    let num = |i: usize| bare_number(&toks[i].0);
    let hundred = Decimal::ONE_HUNDRED;
    let mut weights = execution;
    for &(w, s) in items {
        let (w, s) = (num(w)?, num(s)?);
        if w <= Decimal::ZERO || w > hundred || s > w {
            return None;
        }
        weights += w;
    }
    if num(tw)? != weights || num(ts)? > weights {
        return None;
    }
    for &(w, s) in items {
        // The row's name: the word before its values.
        let name = toks[..w]
            .iter()
            .rev()
            .take(4)
            .find(|t| !is_value_token(&t.0))
            .cloned()
            .unwrap_or_else(|| (String::new(), (toks[w].1.0, toks[w].1.0)));
        rows.push(vec![name, toks[w].clone(), toks[s].clone()]);
    }
    let total_span = (offset + total_at, offset + total_at + "总分".len());
    rows.push(vec![
        ("总分".to_string(), total_span),
        toks[tw].clone(),
        toks[ts].clone(),
    ]);
    Some(grid(rows, line_no))
}

/// The indicator template's words for `what`: a column's ("weight", "score") or a row's
/// ("total").
fn indicator_words(what: &str) -> Vec<String> {
    builtin()
        .iter()
        .filter(|t| t.kind == "indicators")
        .flat_map(|t| {
            t.columns
                .get(what)
                .or_else(|| t.rows.get(what))
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

/// A total row written short ("总分 | 100 | 94", "总分 100 94" under 一级指标 | … | 分值 | 得分):
/// text loses the empty cells a merged label spans, so its two numbers are the 分值 and 得分 of
/// the header above, not the cells where they fell. Only a row of a total word and exactly two
/// numbers, whose own weight and score cells do not both hold numbers, is moved.
fn align_total_rows(rows: &mut [Vec<Cell>]) {
    static WORDS: std::sync::OnceLock<[Vec<String>; 3]> = std::sync::OnceLock::new();
    let [weights, scores, totals] = WORDS.get_or_init(|| {
        [
            indicator_words("weight"),
            indicator_words("score"),
            indicator_words("total"),
        ]
    });
    let col_of = |row: &[Cell], words: &[String]| {
        row.iter()
            .position(|(c, _)| words.iter().any(|w| w.as_str() == key_of(c).as_ref()))
    };
    let Some((h, wc, sc)) = rows.iter().enumerate().find_map(|(h, r)| {
        let (w, s) = (col_of(r, weights)?, col_of(r, scores)?);
        (w < s).then_some((h, w, s))
    }) else {
        return;
    };
    // A fund block's 合计 holds amounts, not a weight and a score.
    let amounts = rows[h].iter().any(|(c, _)| {
        fund_header_words()
            .get(key_of(c).as_ref())
            .is_some_and(|f| matches!(*f, "initial" | "full_year" | "actual"))
    });
    if amounts {
        return;
    }
    let number = |c: &str| matches!(value(c), Value::Number(..));
    for row in rows.iter_mut().skip(h + 1) {
        let Some(label) = row.iter().position(|(c, _)| !c.is_empty()) else {
            continue;
        };
        let key = key_of(&row[label].0).into_owned();
        if !totals.iter().any(|w| key.starts_with(w.as_str())) || label >= wc {
            continue;
        }
        let rest: Vec<usize> = (label + 1..row.len())
            .filter(|&c| !row[c].0.is_empty())
            .collect();
        let placed =
            row.get(wc).is_some_and(|c| number(&c.0)) && row.get(sc).is_some_and(|c| number(&c.0));
        if rest.len() != 2 || placed || !rest.iter().all(|&c| number(&row[c].0)) {
            continue;
        }
        let (w, s) = (row[rest[0]].clone(), row[rest[1]].clone());
        let end = row[label].1.1;
        let mut moved: Vec<Cell> = vec![(String::new(), (end, end)); sc + 1];
        moved[label] = row[label].clone();
        moved[wc] = w;
        moved[sc] = s;
        *row = moved;
    }
}

/// The chars of a line with their byte offsets.
fn chars_of(line: &str) -> Vec<(usize, char)> {
    line.char_indices().collect()
}

/// The end (char index) of the run of digits and points starting at `i`.
fn digits_end(cs: &[(usize, char)], i: usize) -> usize {
    let mut k = i;
    while cs
        .get(k)
        .is_some_and(|(_, c)| c.is_ascii_digit() || *c == '.')
    {
        k += 1;
    }
    k
}

/// A number written without a leading zero (but "0" or "0.5"), or None.
fn plain_number(t: &str) -> Option<Decimal> {
    let lead_zero = t.starts_with('0') && t.len() > 1 && !t.starts_with("0.");
    if lead_zero || t.starts_with('.') || t.ends_with('.') {
        return None;
    }
    bare_number(t)
}

/// The one way to cut a glued digit run into a weight and a score (score ≤ weight ≤ 100, no
/// leading zero): "100100" → 100 | 100, "10094" → 100 | 94. None when there is no way or more
/// than one.
fn weight_and_score(t: &str) -> Option<(usize, Decimal, Decimal)> {
    // Two figures of a score sheet: a longer run is no such pair (and is not cut every way).
    if t.len() > 16 {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let mut found = None;
    for cut in 1..t.len() {
        let (w, s) = (plain_number(&t[..cut]), plain_number(&t[cut..]));
        if let (Some(w), Some(s)) = (w, s)
            && w > Decimal::ZERO
            && w <= hundred
            && s <= w
        {
            if found.is_some() {
                return None;
            }
            found = Some((cut, w, s));
        }
    }
    found
}

/// A cell cut from a line by char indices.
fn cut(line: &str, cs: &[(usize, char)], a: usize, b: usize, offset: usize) -> Cell {
    let start = cs.get(a).map_or(line.len(), |x| x.0);
    let end = cs.get(b).map_or(line.len(), |x| x.0);
    (line[start..end].to_string(), (offset + start, offset + end))
}

/// A 自评表 whose cells a web page glued together without separators ("产出指标(70分)数量指标
/// 安装坡面水标尺10≥266米≥266米10水标尺宽度10≥50厘米≥50厘米10…总分100100"). An indicator row is read
/// where its target and achieved value are the same text twice between its 分值 and 得分
/// ("10≥266米≥266米10"); the fund block's total row where its budget and execution are the same
/// figure twice before 分值, 执行率 and 得分 ("年度资金总额:202010100.00%10" → 20 | 20 | 10 |
/// 100.00% | 10); the 总分 where its digits cut one way only into a weight of 100 and a score
/// ("总分10094" → 100 | 94). Read only
/// when every first-level label's weight ("产出指标(70分)") is exactly that of the rows read under
/// it — no row was lost — and the fund block and the 总分 are read: a row whose values differ is
/// not read, and its group then keeps the whole sheet unread.
fn glued_scores(line: &str, offset: usize, line_no: usize) -> Option<TextTable> {
    let total_at = line.rfind("总分")?;
    let cs = chars_of(line);
    let at_byte = |b: usize| cs.iter().position(|x| x.0 == b);
    // The 总分's weight and score.
    let t0 = at_byte(total_at)? + 2;
    let t1 = digits_end(&cs, t0);
    let total_digits = &cut(line, &cs, t0, t1, 0).0;
    // A 自评表's 总分 is 100: "总分100" alone (no score) must not read as 10 | 0.
    let (tcut, _, _) = weight_and_score(total_digits)
        .filter(|(_, w, s)| *w == Decimal::ONE_HUNDRED && *s > Decimal::ZERO)?;
    // The fund block: headers in order, then 年度资金总额 and its glued values.
    let funds_at = line.find("年度资金总额")?;
    let heads = ["全年预算数", "全年执行数", "分值", "执行率", "得分"];
    let mut from = 0;
    let mut head_cells = Vec::new();
    for h in heads {
        let at = from + line.get(from..funds_at)?.find(h)?;
        head_cells.push((h.to_string(), (offset + at, offset + at + h.len())));
        from = at + h.len();
    }
    let mut f0 = at_byte(funds_at)? + "年度资金总额".chars().count();
    if cs.get(f0).is_some_and(|x| matches!(x.1, ':' | '：')) {
        f0 += 1;
    }
    let f1 = digits_end(&cs, f0);
    if cs.get(f1).map(|x| x.1) != Some('%') {
        return None;
    }
    let s0 = f1 + 1;
    let s1 = digits_end(&cs, s0);
    let run = cut(line, &cs, f0, f1, 0).0;
    // Two amounts, a weight and a rate: a longer run is none (and is not cut every way).
    if run.len() > 48 {
        return None;
    }
    let exec_score = plain_number(&cut(line, &cs, s0, s1, 0).0)?;
    // budget = execution, then weight | rate: the one cut.
    let mut fund = None;
    for a in 1..run.len() / 2 {
        let (x, rest) = run.split_at(a);
        let Some(rest) = rest.strip_prefix(x) else {
            continue;
        };
        if plain_number(x).is_none() {
            continue;
        }
        for w in 1..rest.len() {
            let (wt, rate) = (plain_number(&rest[..w]), plain_number(&rest[w..]));
            if let (Some(wt), Some(rate)) = (wt, rate)
                && wt > Decimal::ZERO
                && wt <= Decimal::ONE_HUNDRED
                && rate <= Decimal::from(200)
                && exec_score <= wt
            {
                if fund.is_some() {
                    return None;
                }
                fund = Some((a, w));
            }
        }
    }
    let (a, w) = fund?;
    // Char index = byte index inside the ASCII run.
    let fund_row = vec![
        (
            "年度资金总额".to_string(),
            (offset + funds_at, offset + funds_at + "年度资金总额".len()),
        ),
        cut(line, &cs, f0, f0 + a, offset),
        cut(line, &cs, f0 + a, f0 + 2 * a, offset),
        cut(line, &cs, f0 + 2 * a, f0 + 2 * a + w, offset),
        cut(line, &cs, f0 + 2 * a + w, f1 + 1, offset),
        cut(line, &cs, s0, s1, offset),
    ];
    let mut fund_head = vec![(String::new(), (offset + funds_at, offset + funds_at))];
    fund_head.extend(head_cells);
    // The indicator headers after the fund block: 三级指标, then 分值 and 得分.
    let level_at = s1.min(cs.len());
    let rest_at = cs.get(level_at).map_or(line.len(), |x| x.0);
    let find_from =
        |word: &str, from: usize| line.get(from..total_at)?.find(word).map(|p| p + from);
    let l3 = find_from("三级指标", rest_at)?;
    let wh = find_from("分值", l3)?;
    let sh = find_from("得分", wh)?;
    let ind_head = vec![
        ("一级指标".to_string(), (offset + l3, offset + l3)),
        (
            "三级指标".to_string(),
            (offset + l3, offset + l3 + "三级指标".len()),
        ),
        (
            "分值".to_string(),
            (offset + wh, offset + wh + "分值".len()),
        ),
        (
            "得分".to_string(),
            (offset + sh, offset + sh + "得分".len()),
        ),
    ];
    // First-level labels with their weight: "…指标(70分)".
    let body0 = at_byte(sh + "得分".len())?;
    let body1 = at_byte(total_at)?;
    let mut labels: Vec<(usize, usize, Decimal)> = Vec::new(); // (start, end) chars, weight
    let mut k = body0;
    while k + 2 < body1 {
        let opens = cs[k].1 == '指' && cs[k + 1].1 == '标' && matches!(cs[k + 2].1, '(' | '（');
        if opens {
            let d0 = k + 3;
            let d1 = digits_end(&cs, d0);
            let closes = cs.get(d1).map(|x| x.1) == Some('分')
                && cs.get(d1 + 1).is_some_and(|x| matches!(x.1, ')' | '）'));
            if closes && d1 > d0 {
                let weight = plain_number(&cut(line, &cs, d0, d1, 0).0)?;
                let start = k.saturating_sub(3).max(body0);
                labels.push((start, d1 + 2, weight));
                k = d1 + 2;
                continue;
            }
        }
        k += 1;
    }
    if labels.len() < 2 {
        return None;
    }
    // Rows before the first label would belong to no group: a figure there leaves it unread.
    if cs[body0..labels[0].0].iter().any(|x| x.1.is_ascii_digit()) {
        return None;
    }
    let mut rows = vec![fund_head, fund_row, ind_head];
    for (g, &(l0, l1, weight)) in labels.iter().enumerate() {
        let end = labels.get(g + 1).map_or(body1, |x| x.0);
        let mut sum = Decimal::ZERO;
        let mut first = true;
        let mut q = l1;
        let mut name_from = l1;
        while q < end {
            // A row: W X X S, X the same text twice, ending in a non-digit.
            let mut hit = None;
            for len in 1..=12usize {
                let (Some(x0), true) = (q.checked_sub(len), q + len <= end) else {
                    break;
                };
                let same = (0..len).all(|d| cs[x0 + d].1 == cs[q + d].1);
                let last_digit = cs[q - 1].1.is_ascii_digit();
                let before = x0.checked_sub(1).is_some_and(|b| cs[b].1.is_ascii_digit());
                let after = cs.get(q + len).is_some_and(|c| c.1.is_ascii_digit());
                if same && !last_digit && before && after && x0 > name_from {
                    hit = Some((x0, len));
                    break;
                }
            }
            let Some((x0, len)) = hit else {
                q += 1;
                continue;
            };
            let mut w0 = x0;
            while w0 > name_from && cs[w0 - 1].1.is_ascii_digit() {
                w0 -= 1;
            }
            let s0 = q + len;
            let s1 = digits_end(&cs, s0);
            let (Some(wt), Some(sc)) = (
                plain_number(&cut(line, &cs, w0, x0, 0).0),
                plain_number(&cut(line, &cs, s0, s1, 0).0),
            ) else {
                return None;
            };
            if wt <= Decimal::ZERO || wt > Decimal::ONE_HUNDRED || sc > wt || w0 == name_from {
                return None;
            }
            sum += wt;
            let label = if first {
                cut(line, &cs, l0, l1, offset)
            } else {
                (String::new(), (cs[w0].0 + offset, cs[w0].0 + offset))
            };
            first = false;
            rows.push(vec![
                label,
                cut(line, &cs, name_from, w0, offset),
                cut(line, &cs, w0, x0, offset),
                cut(line, &cs, s0, s1, offset),
            ]);
            q = s1;
            name_from = s1;
        }
        if sum != weight {
            return None;
        }
    }
    let tw = (t0, t0 + tcut);
    rows.push(vec![
        (
            "总分".to_string(),
            (offset + total_at, offset + total_at + "总分".len()),
        ),
        (String::new(), (offset + total_at, offset + total_at)),
        cut(line, &cs, tw.0, tw.1, offset),
        cut(line, &cs, tw.1, t1, offset),
    ]);
    Some(grid(rows, line_no))
}

/// Whether a line is not a total row of a word and two numbers in single spaces ("总分 100 94").
fn not_a_short_total(line: &str) -> bool {
    static TOTALS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let totals = TOTALS.get_or_init(|| indicator_words("total"));
    if line.len() > 64 {
        return true;
    }
    let toks = tokens(line, 0);
    let [label, w, s] = toks.as_slice() else {
        return true;
    };
    let key = key_of(&label.0);
    !(totals.iter().any(|t| key.starts_with(t.as_str()))
        && bare_number(&w.0).is_some()
        && bare_number(&s.0).is_some())
}

/// A grid of cells; `first` is the 0-based line the table starts on.
fn grid(mut rows: Vec<Vec<(String, (usize, usize))>>, first: usize) -> TextTable {
    align_total_rows(&mut rows);
    let name = format!("第{}行的表格", first + 1);
    let cells = rows
        .iter()
        .map(|r| r.iter().map(|(c, _)| value(c)).collect())
        .collect();
    let spans = rows
        .into_iter()
        .map(|r| r.into_iter().map(|(_, s)| s).collect())
        .collect();
    TextTable {
        sheet: Sheet {
            name,
            cells,
            uncached: Vec::new(),
        },
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_texts(t: &TextTable) -> Vec<Vec<String>> {
        t.sheet
            .cells
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| match v {
                        Value::Text(s) => s.clone(),
                        Value::Number(d, _) => d.to_string(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn cells_ending_in_pipes_make_rows_of_a_label_and_its_values() {
        // A pipe alone is an empty cell; a cell split over two lines is one cell.
        let text = "说明\n项目 |\n预算数 |\n决算数 |\n合计 |\n30 |\n25 |\n公务\n接待费 |\n10 |\n|\n会议费 |\n20 |\n25 |\n二、下一节的正文。\n";
        let tables = find(text);
        assert_eq!(tables.len(), 1);
        assert_eq!(
            grid_texts(&tables[0]),
            [
                vec!["项目", "预算数", "决算数"],
                vec!["合计", "30", "25"],
                vec!["公务接待费", "10", ""],
                vec!["会议费", "20", "25"],
            ]
        );
        // Each cell points at its own text.
        let (s, e) = tables[0].span(3, 2).expect("a span");
        assert_eq!(&text[s..e], "25");
        assert!(s > text.find("会议费").expect("in the text"));
    }

    #[test]
    fn pipes_between_cells_separate_them() {
        let text = "对比情况\n年度\n|\n合计\n|\n接待费\n|\n2022年\n|\n50\n|\n20\n|\n2023年\n|\n40\n|\n16\n|\n增减%\n|\n-20.00\n|\n-20.00\n|\n";
        let tables = find(text);
        assert_eq!(tables.len(), 1);
        assert_eq!(
            grid_texts(&tables[0]),
            [
                vec!["年度", "合计", "接待费"],
                vec!["2022年", "50", "20"],
                vec!["2023年", "40", "16"],
                vec!["增减%", "-20.00", "-20.00"],
            ]
        );
    }

    #[test]
    fn short_lines_with_a_pipe_now_and_then_are_no_table() {
        // Labels with no row of values repeated: nothing to read.
        assert!(find("标题 |\n正文一\n正文二 |\n").is_empty());
    }
    use proptest::prelude::*;

    fn text_piece() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "一级指标",
            "分值",
            "得分",
            "年初预算数",
            "全年执行数",
            "（万元）",
            "其中：",
            "决策",
            "20",
            "18.5",
            "98%",
            "\n",
            "\n",
            "\n",
            "\r\n",
            "\r",
            "|",
            "| ",
            "---",
            "\t",
            " ",
            "  ",
            "\u{3000}",
            "、",
            "。",
            "退",
            "怀",
            "\u{2000}",
            "正文说明，",
            "a",
            // Whole rows, so that tables of every kind come up often.
            "一级指标\n分值\n得分\n",
            "决策\n20\n18\n",
            "| 一级指标 | 分值 | 得分 |\n",
            "| 决策 | 20 | 18 |\n",
            "一级指标\t分值\t得分\n",
            "决策  20  18\n",
            // Flattened rows and short totals.
            "全年预算数 全年执行数 分值 得分 ",
            "100.00 98.00 10 9 ",
            "其中:中央资金 ",
            "年度资金总额 ",
            "三级指标 ",
            " 95% 95% 30 27 ",
            "总分 100 94\n",
            "总分 ",
            "合计 ",
            // The other words of a flattened table's line (`flatten_words`).
            "决算数 ",
            "实际支出",
            // Whole flattened tables: a fund block, a score sheet, a glued score sheet.
            "自评表 年初预算数 全年预算数(A) 全年执行数(B) 100.00 120.00 118.00 其中:中央资金 80.00 90.00 90.00 年度资金总额 资金投入情况\n",
            "三级指标 指标值 完成值 分值 得分 人数 ≥100人 98人 40 36 合格率 100% 100% 30 30 及时率 ≤10 9 30 28 100 94 总分\n",
            "全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:303010100.00%10绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标(60分)数量指标户数40≥50户≥50户40质量指标合格率20100%100%20满意度指标(40分)群众满意度40≥90%≥90%40总分100100\n",
        ])
    }

    proptest! {
        /// Lines come out as split_inclusive and trimming gave them.
        #[test]
        fn lines_are_split_as_before(parts in proptest::collection::vec(text_piece(), 0..30)) {
            let text = parts.concat();
            let mut expected = Vec::new();
            let mut at = 0;
            for l in text.split_inclusive('\n') {
                expected.push((at, l.trim_end_matches(['\n', '\r'])));
                at += l.len();
            }
            prop_assert_eq!(lines_of(&text).collect::<Vec<_>>(), expected);
        }

        /// The quick tests over the whole text turn away only texts without tables, and say
        /// what the plain searches for pipes and gaps said; a text of flattened tables only
        /// (`flattened_only`) gives the tables the line-by-line walk gives.
        #[test]
        fn the_quick_tests_lose_no_table(parts in proptest::collection::vec(text_piece(), 0..30)) {
            let text = parts.concat();
            let bytes = text.as_bytes();
            let any_pipe = memchr::memchr(b'|', bytes).is_some();
            let any_gap = memchr::memchr(b'\t', bytes).is_some()
                || memchr::memmem::find(bytes, b"  ").is_some()
                || memchr::memmem::find(bytes, "\u{3000}".as_bytes()).is_some();
            prop_assert_eq!(
                any_wide_space(bytes),
                text.contains("  ") || text.contains('\u{3000}')
            );
            let seen = |tables: Vec<TextTable>| -> Vec<_> {
                tables
                    .into_iter()
                    .map(|t| (t.sheet.name, t.sheet.cells, t.spans))
                    .collect()
            };
            prop_assert_eq!(seen(find(&text)), seen(tables_in(&text, any_pipe, any_gap)));
        }
    }

    #[test]
    fn pipe_tables_keep_cell_spans() {
        let text = "说明\n| 一级指标 | 分值 | 得分 |\n|---|---|---|\n| 决策 | 20 | 18 |\n正文。\n";
        let t = find(text);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].sheet.cells.len(), 2);
        let (a, b) = t[0].span(1, 2).unwrap();
        assert_eq!(&text[a..b], "18");
        assert_eq!(t[0].sheet.cells[1][1], Value::Number(Decimal::from(20), 0));
    }

    #[test]
    fn space_aligned_rows() {
        let text = "项目      年初预算    调整后预算    决算数    执行率\n人员经费    386.52    392.10    391.87    99.94%\n合计　　386.52　　392.10　　391.87　　99.94%\n";
        let t = find(text);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].sheet.cells[2].len(), 5);
        let (a, b) = t[0].span(2, 3).unwrap();
        assert_eq!(&text[a..b], "391.87");
        assert!(find("这是一句话，  中间有两个空格。\n又一句  话。\n").is_empty());
    }

    #[test]
    fn fund_blocks_flattened_onto_one_line() {
        let line = "自评表 年初预算数 全年预算数(A) 全年执行数(B) 100.00 120.00 118.00 其中:中央资金 80.00 90.00 90.00 其他资金 (含结转 资金) 20.00 30.00 28.00 年度资金总额 资金投入情况\n";
        let t = find(line);
        assert_eq!(t.len(), 1);
        let cells = &t[0].sheet.cells;
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[1][0], Value::Text("年度资金总额".into()));
        assert_eq!(cells[3][0], Value::Text("其他资金(含结转资金)".into()));
        let (a, b) = t[0].span(3, 3).unwrap();
        assert_eq!(&line[a..b], "28.00");
        // No 其中 row, no total named, or values that do not fill a row: no table.
        assert!(find("年初预算数 全年执行数 100 98 中央资金 80 80 合计\n").is_empty());
        assert!(find("年初预算数 全年执行数 100 98 其中:中央资金 80 80\n").is_empty());
        assert!(find("合计 年初预算数 全年执行数 100 98 其中:中央资金 80\n").is_empty());
        assert!(find("执行数为98万元，年初预算数100万元，其中中央资金80万元。\n").is_empty());
    }

    #[test]
    fn score_sheets_flattened_onto_one_line() {
        let line = "三级指标 指标值 完成值 分值 得分 人数 ≥100人 98人 40 36 合格率 100% 100% 30 30 及时率 ≤10 9 30 28 100 94 总分\n";
        let t = find(line);
        assert_eq!(t.len(), 1);
        let cells = &t[0].sheet.cells;
        // Header, three rows ("9 30 28 100 94": 9 is an achieved value), the total.
        assert_eq!(cells.len(), 5);
        let (a, b) = t[0].span(3, 1).unwrap();
        assert_eq!(&line[a..b], "30");
        let (a, b) = t[0].span(4, 2).unwrap();
        assert_eq!(&line[a..b], "94");
        // Weights that do not add up to the last pair's (a row lost), no 总分, too few rows, a
        // score above its weight: no table.
        for text in [
            "三级指标 分值 得分 人数 40 36 合格率 30 30 及时率 20 18 100 94 总分\n",
            "三级指标 分值 得分 人数 40 36 合格率 30 30 及时率 30 28 100 94\n",
            "三级指标 分值 得分 人数 60 56 合格率 40 40 100 96 总分\n",
            "三级指标 分值 得分 人数 40 46 合格率 30 30 及时率 30 28 100 94 总分\n",
        ] {
            assert!(find(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn short_total_rows_take_the_weight_and_score_columns() {
        let wide =
            "一级指标  三级指标  分值  得分\n产出  人数  60  58\n效益  质量  40  36\n总分 100 94\n";
        let t = find(wide);
        assert_eq!(t.len(), 1);
        let last = &t[0].sheet.cells[3];
        assert_eq!(last[2], Value::Number(Decimal::from(100), 0));
        assert_eq!(last[3], Value::Number(Decimal::from(94), 0));
        let (a, b) = t[0].span(3, 3).unwrap();
        assert_eq!(&wide[a..b], "94");
        // A row already in place, a grade beside the score, or a fund block's 合计: unmoved.
        let pipe = "| 一级指标 | 分值 | 得分 |\n| 产出 | 60 | 58 |\n| 总分 | 100 | 94 |\n";
        assert_eq!(find(pipe)[0].sheet.cells[2].len(), 3);
        let graded = "| 一级指标 | 三级指标 | 分值 | 得分 |\n| 产出 | 人数 | 60 | 58 |\n| 总分 | 94 | 优 |\n";
        assert_eq!(
            find(graded)[0].sheet.cells[2][1],
            Value::Number(Decimal::from(94), 0)
        );
        let funds = "| 项目 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n| 其中 | 人员 | 10 | 10 | 100% | 10 |\n| 合计 | 120 | 118 |\n";
        assert_eq!(
            find(funds)[0].sheet.cells[2][1],
            Value::Number(Decimal::from(120), 0)
        );
    }

    #[test]
    fn glued_score_sheets() {
        let sheet = "全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:303010100.00%10绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标(60分)数量指标户数40≥50户≥50户40质量指标合格率20100%100%20满意度指标(30分)群众满意度30≥90%≥90%30总分100100";
        let t = find(sheet);
        assert_eq!(t.len(), 1);
        let cells = &t[0].sheet.cells;
        assert_eq!(cells[1][1], Value::Number(Decimal::from(30), 0));
        assert_eq!(cells[1][3], Value::Number(Decimal::from(10), 0));
        let (a, b) = t[0].span(4, 2).unwrap();
        assert_eq!(&sheet[a..b], "20");
        let last = cells.len() - 1;
        assert_eq!(cells[last][3], Value::Number(Decimal::from(100), 0));
        // A row whose values differ is not read, so its group keeps the sheet unread; so do a
        // 总分 that cuts two ways and a fund row whose figures differ.
        for (from, to) in [
            ("≥50户≥50户", "≥50户48户"),
            // A row before the first weighted label.
            (
                "得分产出指标(60分)",
                "得分预算执行10100%100%10产出指标(60分)",
            ),
            // No score: not 10 | 0.
            ("总分100100", "总分100"),
            // 60.5 | 60 or 60.56 | 0.
            ("总分100100", "总分60.560"),
            ("303010100.00%10", "302910096.67%10"),
        ] {
            let changed = sheet.replace(from, to);
            assert!(find(&changed).is_empty(), "{changed}");
        }
    }

    #[test]
    fn tab_rows_and_cell_per_line_dumps() {
        let tabs = "一级指标\t分值\t得分\n决策\t20\t18\n过程\t20\t17\n";
        assert_eq!(find(tabs)[0].sheet.cells.len(), 3);
        let lines = "一级指标\n分值\n得分\n决策\n20\n18\n过程\n20\n17\n\n其后正文。\n";
        let t = find(lines);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].sheet.cells.len(), 3);
        let (a, b) = t[0].span(2, 2).unwrap();
        assert_eq!(&lines[a..b], "17");
    }
}
