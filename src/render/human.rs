//! Human output through miette: the message, the code, and every figure of the relation
//! underlined in its source (CJK characters are two columns wide), then a summary.

use crate::Report;
use crate::diagnostic::{Finding, Lang, Place, Severity, Source, cell_name};
use crate::source::sheet::Sheet;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::excerpt::{Excerpt, HeaderRows, header_row, is_heading_text};

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // The column miette prints in the header: characters in the original line.
        let column = if context_lines_before == 0 {
            let l = self.lines[self.line_of(span.offset())];
            let shown = self
                .text
                .get(l.start..span.offset())
                .map(|s| s.chars().count())
                .unwrap_or(0);
            l.orig_window_chars + shown.saturating_sub(l.prefix_chars)
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct Shown {
    message: String,
    code: String,
    severity: miette::Severity,
    source: Option<NamedSource<Excerpt>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Shown>,
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// A text label before it is placed in an excerpt: byte range, text, whether primary.
type SpanLabel = (usize, usize, String, bool);

fn shown(f: &Finding, lang: Lang) -> Shown {
    // Labels grouped by source, in order of first appearance, primary first.
    let mut by_source: Vec<(Arc<Source>, Vec<SpanLabel>)> = Vec::new();
    // Cell labels, grouped by workbook: the file once, then its cells.
    let mut cell_notes: Vec<(Arc<Source>, Vec<String>)> = Vec::new();
    let mut headings = heading_rows(f);
    for (i, l) in f.labels.iter().enumerate() {
        let text = l.text.get(lang).to_string();
        match &l.place {
            Place::Text { start, end } => {
                let entry = (*start, *end, text, i == 0);
                match by_source
                    .iter_mut()
                    .find(|(s, _)| Arc::ptr_eq(s, &l.source))
                {
                    Some((_, spans)) => spans.push(entry),
                    None => by_source.push((l.source.clone(), vec![entry])),
                }
            }
            Place::Cell { sheet, row, col } => {
                let heading = headings
                    .iter_mut()
                    .find(|(src, name, _)| Arc::ptr_eq(src, &l.source) && name == sheet)
                    .map(|(_, _, found)| found);
                let line = cell_line(&l.source, sheet, *row, *col, &text, lang, heading);
                match cell_notes
                    .iter_mut()
                    .find(|(s, _): &&mut (Arc<Source>, Vec<String>)| Arc::ptr_eq(s, &l.source))
                {
                    Some((_, lines)) => lines.push(line),
                    None => cell_notes.push((l.source.clone(), vec![line])),
                }
            }
            Place::File => {}
        }
    }
    let mut groups = by_source.into_iter().map(|(src, spans)| {
        let ranges: Vec<(usize, usize)> = spans.iter().map(|s| (s.0, s.1)).collect();
        let excerpt = Excerpt::new(&src, &ranges);
        let labels = spans
            .into_iter()
            .map(|(a, b, text, primary)| {
                let (ea, eb) = (excerpt.map(a), excerpt.map(b).max(excerpt.map(a)));
                let span = SourceSpan::new(ea.into(), eb - ea);
                let text = (!text.is_empty()).then_some(text);
                if primary {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect::<Vec<_>>();
        (NamedSource::new(src.display_path(), excerpt), labels, src)
    });
    let (source, labels) = match groups.next() {
        Some((named, spans, _)) => (Some(named), spans),
        None => (None, Vec::new()),
    };
    let related = groups
        .map(|(named, spans, src)| Shown {
            message: src.display_path(),
            code: f.rule.code.to_string(),
            severity: severity(f.severity),
            source: Some(named),
            labels: spans,
            help: None,
            related: Vec::new(),
        })
        .collect();
    let mut help = cell_notes
        .iter()
        .map(|(src, lines)| format!("{}\n{}", src.display_path(), lines.join("\n")))
        .collect::<Vec<_>>()
        .join("\n");
    if let (Some(e), Some(found)) = (&f.expected, &f.found) {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&match lang {
            Lang::Zh => format!("应为 {e}，实为 {found}"),
            Lang::En => format!("expected {e}, found {found}"),
        });
    }
    let message = if source.is_none() {
        format!("{}: {}", f.source.display_path(), f.message.get(lang))
    } else {
        f.message.get(lang).to_string()
    };
    Shown {
        message,
        code: format!("{} {}", f.rule.code, f.rule.name),
        severity: severity(f.severity),
        source,
        labels,
        help: (!help.is_empty()).then_some(help),
        related,
    }
}

pub fn render(report: &Report, lang: Lang, color: bool) -> String {
    let mut out = render_findings(&report.findings, lang, color);
    out.push_str(&super::summary::render(report, lang));
    out
}

/// The findings alone, without the summary (for output written as bundles finish).
pub fn render_findings(findings: &[Finding], lang: Lang, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for f in findings {
        let d = shown(f, lang);
        if handler.render_report(&mut out, &d).is_err() {
            out.push_str(&format!("{}: {}\n", f.rule.code, f.message.get(lang)));
        }
        out.push('\n');
    }
    out
}

/// The closing totals line (kept for callers of the old name).
pub fn summary_line(report: &Report, lang: Lang) -> String {
    super::summary::totals(report, lang)
}

/// Whether a header cell heads a column of indicator names or levels (一级指标, 三级指标,
/// 绩效指标, 指标名称, 项目名称), not of values (年度指标值, 指标性质 "≥", 实际完成值).
fn names_a_row(header: &str) -> bool {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    h.contains("级指标") || h.contains("名称") || h.starts_with("绩效指标") || h == "指标"
}

/// Whether a text is a figure written as text ("97.50%", "≥95%", "3191.64万"), which names no
/// row.
fn a_value(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_ascii_digit()
            || c.is_ascii_punctuation()
            || c.is_whitespace()
            || "％≥≤＞＜≧≦＝万元亿".contains(c)
    })
}

/// A sheet's heading rows for a finding's labelled cells (`HeaderRows`, found together), and the
/// columns each heading row names as an indicator's levels or name (`names_a_row`), found once
/// per heading row rather than once per cell.
struct SheetHeadings {
    rows: HeaderRows,
    naming: BTreeMap<usize, Vec<usize>>,
}

impl SheetHeadings {
    fn naming(&mut self, grid: &Sheet, h: usize) -> &[usize] {
        self.naming.entry(h).or_insert_with(|| {
            // Beyond the row's cells, a header names nothing.
            let width = grid.cells.get(h).map_or(0, Vec::len);
            (0..width)
                .filter(|&k| names_a_row(&grid.get(h, k).text()))
                .collect()
        })
    }
}

/// The headings of the cells a finding labels (`SheetHeadings`), by source and sheet name.
fn heading_rows(f: &Finding) -> Vec<(&Arc<Source>, &str, SheetHeadings)> {
    let mut rows: Vec<(&Arc<Source>, &str, Vec<usize>)> = Vec::new();
    for l in &f.labels {
        if let Place::Cell { sheet, row, .. } = &l.place {
            match rows
                .iter_mut()
                .find(|(src, name, _)| Arc::ptr_eq(src, &l.source) && name == sheet)
            {
                Some((_, _, asked)) => asked.push(*row as usize),
                None => rows.push((&l.source, sheet, vec![*row as usize])),
            }
        }
    }
    rows.into_iter()
        .filter_map(|(src, name, asked)| {
            let grid = src.sheets.iter().find(|s| s.name == name)?;
            let rows = HeaderRows::new(grid, asked);
            let naming = BTreeMap::new();
            Some((src, name, SheetHeadings { rows, naming }))
        })
        .collect()
}

/// One cell in its context: "评分表!F5  6  （行 决策／绩效指标明确性，列 自评得分）  label".
/// `headings` are those of its sheet's labelled cells, when found together.
fn cell_line(
    source: &Source,
    sheet: &str,
    row: u32,
    col: u32,
    label: &str,
    lang: Lang,
    headings: Option<&mut SheetHeadings>,
) -> String {
    let cell = format!("{sheet}!{}", cell_name(row, col));
    let Some(grid) = source.sheets.iter().find(|s| s.name == sheet) else {
        return format!("  {cell:<10} {label}");
    };
    let (r, c) = (row as usize, col as usize);
    let value = grid.get(r, c).text();
    let is_text = is_heading_text;
    let header_row = match &headings {
        Some(h) => h.rows.of(grid, r),
        None => header_row(grid, r),
    };
    // The row's heading: the texts to the left of the cell in the columns its header names as
    // an indicator's levels or name (`names_a_row`: not 指标值 or 实际完成值, whose texts are
    // values such as "100%"); when the header names none, every text to the left.
    let name_columns: Vec<usize> = header_row
        .map(|h| match headings {
            Some(found) => found
                .naming(grid, h)
                .iter()
                .copied()
                .filter(|&k| k < c)
                .collect(),
            None => (0..c)
                .filter(|&k| names_a_row(&grid.get(h, k).text()))
                .collect(),
        })
        .unwrap_or_default();
    let row_heads: Vec<String> = if name_columns.is_empty() {
        (0..c).collect()
    } else {
        name_columns
    }
    .into_iter()
    .map(|k| grid.get(r, k))
    .filter(|v| is_text(v))
    .map(|v| v.text().trim().to_string())
    .filter(|t| !a_value(t))
    .collect();
    let row_head = row_heads
        .iter()
        .rev()
        .take(2)
        .rev()
        .cloned()
        .collect::<Vec<_>>()
        .join("／");
    // The column's heading: in the nearest row above that holds only texts (a header row).
    let col_head = header_row
        .map(|k| grid.get(k, c))
        .filter(|v| is_text(v))
        .map(|v| v.text().trim().to_string())
        .unwrap_or_default();
    let (row_word, col_word) = match lang {
        Lang::Zh => ("行", "列"),
        Lang::En => ("row", "column"),
    };
    let shown = if value.is_empty() {
        "（空）".to_string()
    } else {
        value
    };
    let context = match (row_head.is_empty(), col_head.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("（{row_word} {row_head}）"),
        (true, false) => format!("（{col_word} {col_head}）"),
        (false, false) => format!("（{row_word} {row_head}，{col_word} {col_head}）"),
    };
    format!("  {cell:<10} {shown:>8}  {context}  {label}")
}
