//! Excerpts of a finding's sources, shared by the renderers that show them (`human`, `html`):
//! a text's lines around its labelled spans, cut to a window on long lines, with each original
//! offset mapped into the excerpt; a sheet's heading row and heading texts.

use crate::diagnostic::Source;
use crate::source::sheet::{Sheet, Value};

/// What miette is shown of a source: its lines with the same numbers, but long lines cut to a
/// window around their labels ("…" marks a cut) and lines far from any label left empty.
/// Chinese reports often keep a whole paragraph on one line; printed whole it would be
/// hundreds of columns wide.
#[derive(Debug, Clone)]
pub(crate) struct Excerpt {
    pub(crate) text: String,
    /// Per excerpt line: its byte start in `text`, and where its window starts in the
    /// original line (bytes and characters), and the characters of the "…" put before it.
    pub(crate) lines: Vec<ExcerptLine>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct ExcerptLine {
    pub(crate) start: usize,
    pub(crate) orig_start: usize,
    pub(crate) orig_window: usize,
    /// Read by human output only (the column miette shows).
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub(crate) orig_window_chars: usize,
    pub(crate) prefix_chars: usize,
    pub(crate) window_len: usize,
}

/// Characters kept on each side of the labels of a line.
const MARGIN: usize = 24;
/// Lines up to this many characters are shown whole.
const SHORT_LINE: usize = 90;

impl Excerpt {
    pub(crate) fn new(src: &Source, spans: &[(usize, usize)]) -> Excerpt {
        let mut text = String::new();
        let mut lines = Vec::new();
        let mut orig_lines: Vec<(usize, &str)> = Vec::new();
        let mut at = 0;
        for l in src.text.split_inclusive('\n') {
            orig_lines.push((at, l.trim_end_matches(['\n', '\r'])));
            at += l.len();
        }
        let labelled = |ls: usize, l: &str| {
            let le = ls + l.len();
            spans.iter().any(|&(a, _)| a >= ls && a <= le)
        };
        let last = orig_lines
            .iter()
            .rposition(|(ls, l)| labelled(*ls, l))
            .map(|i| i + 1)
            .unwrap_or(0);
        for (i, (ls, line)) in orig_lines.iter().enumerate().take(last + 1) {
            let (ls, line) = (*ls, *line);
            let le = ls + line.len();
            let here: Vec<(usize, usize)> = spans
                .iter()
                .filter(|&&(a, _)| a >= ls && a <= le)
                .map(|&(a, b)| (a - ls, b.min(le) - ls))
                .collect();
            let near =
                |j: usize| j < orig_lines.len() && labelled(orig_lines[j].0, orig_lines[j].1);
            let (from, to) = if !here.is_empty() {
                let lo = here.iter().map(|s| s.0).min().unwrap_or(0);
                let hi = here.iter().map(|s| s.1).max().unwrap_or(0);
                if line.chars().count() <= SHORT_LINE {
                    (0, line.len())
                } else {
                    (
                        back_chars(line, lo, MARGIN),
                        forward_chars(line, hi, MARGIN),
                    )
                }
            } else if near(i + 1) || (i > 0 && near(i - 1)) {
                (0, forward_chars(line, 0, MARGIN + 16))
            } else {
                (0, 0)
            };
            let start = text.len();
            let prefix = if from > 0 { "…" } else { "" };
            text.push_str(prefix);
            text.push_str(&line[from..to]);
            if to < line.len() {
                text.push('…');
            }
            text.push('\n');
            lines.push(ExcerptLine {
                start,
                orig_start: ls,
                orig_window: ls + from,
                orig_window_chars: line[..from].chars().count(),
                prefix_chars: prefix.chars().count(),
                window_len: to - from,
            });
        }
        Excerpt { text, lines }
    }

    pub(crate) fn line_of(&self, offset: usize) -> usize {
        match self.lines.binary_search_by_key(&offset, |l| l.start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Where an original byte offset is shown in the excerpt.
    pub(crate) fn map(&self, orig: usize) -> usize {
        let i = match self.lines.binary_search_by_key(&orig, |l| l.orig_start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let Some(l) = self.lines.get(i) else {
            return self.text.len();
        };
        let inside = orig.saturating_sub(l.orig_window).min(l.window_len);
        l.start + "…".len() * l.prefix_chars + inside
    }
}

fn back_chars(line: &str, from: usize, n: usize) -> usize {
    line[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0)
}

fn forward_chars(line: &str, from: usize, n: usize) -> usize {
    line[from..]
        .char_indices()
        .nth(n)
        .map(|(i, _)| from + i)
        .unwrap_or(line.len())
}

/// Whether a cell holds text that can head a row or a column (not a number written as text).
pub(crate) fn is_heading_text(v: &Value) -> bool {
    matches!(v, Value::Text(t) if !t.trim().is_empty() && t.trim().parse::<f64>().is_err())
}

/// The heading row of a cell in row `r`: the nearest row above it that holds only texts, at
/// least three of them (a header row).
pub(crate) fn header_row(grid: &Sheet, r: usize) -> Option<usize> {
    (0..r).rev().find(|&k| is_header_row(grid, k))
}

/// Whether row `k` holds only texts, at least three of them.
fn is_header_row(grid: &Sheet, k: usize) -> bool {
    let mut texts = 0;
    for v in grid.cells.get(k).into_iter().flatten() {
        if v.is_empty() {
            continue;
        }
        if !is_heading_text(v) {
            return false;
        }
        texts += 1;
    }
    texts >= 3
}

/// The heading rows (`header_row`) of many rows of one sheet, found together: in ascending
/// order, each row's search stops at the row asked before it and takes that one's answer
/// when it finds none in between. The cost is the rows spanned, where a search for each row
/// alone scans back from each (thousands of labelled cells under one header made it quadratic).
pub(crate) struct HeaderRows {
    /// Rows asked for, ascending, with their heading row.
    found: Vec<(usize, Option<usize>)>,
}

impl HeaderRows {
    pub(crate) fn new(grid: &Sheet, rows: impl IntoIterator<Item = usize>) -> HeaderRows {
        let mut asked: Vec<usize> = rows.into_iter().collect();
        asked.sort_unstable();
        asked.dedup();
        let mut found: Vec<(usize, Option<usize>)> = Vec::with_capacity(asked.len());
        for r in asked {
            let (from, before) = found.last().map_or((0, None), |&(p, h)| (p, h));
            let here = (from..r).rev().find(|&k| is_header_row(grid, k));
            found.push((r, here.or(before)));
        }
        HeaderRows { found }
    }

    /// The heading row of row `r`, which must be one of the rows asked for (`header_row`
    /// otherwise).
    pub(crate) fn of(&self, grid: &Sheet, r: usize) -> Option<usize> {
        match self.found.binary_search_by_key(&r, |&(k, _)| k) {
            Ok(i) => self.found[i].1,
            Err(_) => header_row(grid, r),
        }
    }
}
