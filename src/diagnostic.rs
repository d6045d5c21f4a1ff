//! Findings: what a check reports, where it points, and how it is worded in each language.
//!
//! A finding carries locations as byte spans into a decoded source (or sheet cells); line and
//! column are computed late, by the renderers, from the source's line index.

use crate::source::sheet::Sheet;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// Every finding is worded in both languages (`crate::lang`); re-exported, as the renderers and
/// the library's users take them from here.
pub use crate::lang::{Lang, Text};

/// How bad a finding is. Ordered so that `Error` is the greatest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A source document as suanpan read it: its path and, for text-like sources, the decoded text.
#[derive(Debug)]
pub struct Source {
    /// The path as given on the command line or found under a given directory.
    pub path: PathBuf,
    /// Decoded UTF-8 text (narratives); empty for workbooks.
    pub text: String,
    /// Byte offset of the start of each line in `text`: found when a finding is first placed
    /// by line, as most reports have few findings and many lines.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The sheets of a workbook, kept so that human output can show a cell in its context.
    pub sheets: Vec<Sheet>,
}

impl Source {
    pub fn new(path: PathBuf, text: String) -> Arc<Source> {
        Arc::new(Source {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            sheets: Vec::new(),
        })
    }

    /// A workbook: no text, its sheets.
    pub fn workbook(path: PathBuf, sheets: Vec<Sheet>) -> Arc<Source> {
        Arc::new(Source {
            path,
            text: String::new(),
            line_starts: std::sync::OnceLock::new(),
            sheets,
        })
    }

    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            let lines = memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1);
            std::iter::once(0).chain(lines).collect()
        });
        let line = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }
}

/// Where a label points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A byte range of the source's decoded text.
    Text { start: usize, end: usize },
    /// A sheet cell, 0-based row and column.
    Cell { sheet: String, row: u32, col: u32 },
    /// The whole file (input errors).
    File,
}

/// A1 name of a 0-based cell, e.g. (11, 3) → "D12".
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// One span a finding points at, with what it is.
#[derive(Clone, Debug)]
pub struct Label {
    pub source: Arc<Source>,
    pub place: Place,
    pub text: Text,
}

/// Static description of a rule: the stable identity and the doc `suanpan rule CODE` prints.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: (&'static str, &'static str),
    /// The full doc: what, why, example (Chinese, English).
    pub doc: (&'static str, &'static str),
}

impl Rule {
    pub fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.summary.0,
            Lang::En => self.summary.1,
        }
    }

    pub fn doc(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.doc.0,
            Lang::En => self.doc.1,
        }
    }
}

/// A reported inconsistency (or an input problem).
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// The file the finding belongs to (its primary label's file).
    pub source: Arc<Source>,
    pub message: Text,
    /// Every span the finding points at, primary first.
    pub labels: Vec<Label>,
    pub expected: Option<String>,
    pub found: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static Rule, source: Arc<Source>, message: Text) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            source,
            message,
            labels: Vec::new(),
            expected: None,
            found: None,
        }
    }

    pub fn label(mut self, source: &Arc<Source>, place: Place, text: Text) -> Self {
        self.labels.push(Label {
            source: source.clone(),
            place,
            text,
        });
        self
    }

    pub fn expected_found(mut self, expected: impl Into<String>, found: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// Sort key: file, then first position, then code — a deterministic order for output.
    pub fn sort_key(&self) -> (String, usize, String, u32, u32, &'static str) {
        let (start, sheet, row, col) = match self.labels.first().map(|l| &l.place) {
            Some(Place::Text { start, .. }) => (*start, String::new(), 0, 0),
            Some(Place::Cell { sheet, row, col }) => (0, sheet.clone(), *row, *col),
            _ => (0, String::new(), 0, 0),
        };
        (
            self.source.display_path(),
            start,
            sheet,
            row,
            col,
            self.rule.code,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_are_a1() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 3), "D12");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(4, 701), "ZZ5");
    }

    #[test]
    fn line_col_counts_scalar_values() {
        let s = Source::new("a.txt".into(), "一二\n三四五6".into());
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (1, 2));
        assert_eq!(s.line_col(7), (2, 1));
        assert_eq!(s.line_col(13), (2, 3));
    }
}
