//! The per-report summaries of a run, kept until its end for the closing table.
//!
//! A batch over thousands of reports keeps these and little else, so they are stored compactly:
//! the text of every summary (name, title, stated score) in one string and the numbers in one
//! vector of plain rows. Keeping a few small strings per report instead let memory grow with
//! the run: the checking threads' freed blocks are reused, on the thread that frees them, for
//! what it allocates next, so long-lived small strings made on the main thread pinned pages of
//! the checking threads' heaps (peak memory at 10,000 reports scattered between 20 and 37 MiB).

use crate::BundleSummary;
use crate::diagnostic::Text;
use std::ops::Range;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Summaries {
    text: String,
    rows: Vec<Row>,
    /// Whether a row was kept after one that stands later in the run's order (`push_at`); then
    /// `iter` sorts them. Rows mostly come in order.
    out_of_order: bool,
    /// Files that could not be read, of every report; each row holds a range of them.
    unreadable: Vec<(PathBuf, Text)>,
}

#[derive(Debug, Clone)]
struct Row {
    /// Where the report stands in the run's order (`push_at`); rows are listed by it.
    order: usize,
    name: Range<usize>,
    title: Option<Range<usize>>,
    stated_score: Option<Range<usize>>,
    stated_grade: Option<Range<usize>>,
    /// The report's paths, each followed by a NUL (no path holds one).
    paths: Range<usize>,
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    unreadable: Range<usize>,
}

/// One report's summary, borrowed from `Summaries`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryRow<'a> {
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub stated_score: Option<&'a str>,
    pub stated_grade: Option<&'a str>,
    /// The report's file paths (lossy UTF-8), NUL-separated: `paths()` lists them.
    pub paths: &'a str,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub unreadable: &'a [(PathBuf, Text)],
}

impl Summaries {
    /// Room for `n` reports, when their number is known.
    pub fn with_capacity(n: usize) -> Summaries {
        Summaries {
            rows: Vec::with_capacity(n),
            ..Summaries::default()
        }
    }

    /// Keeps a summary after those kept so far.
    pub fn push(&mut self, summary: BundleSummary) {
        self.push_at(self.rows.len(), summary);
    }

    /// Keeps a summary that stands at `order` in the run (reports checked in another order than
    /// they are listed); `iter` lists them by `order`.
    pub fn push_at(&mut self, order: usize, summary: BundleSummary) {
        let name = self.keep(&summary.name);
        let title = summary.title.as_deref().map(|t| self.keep(t));
        let stated_score = summary.stated_score.as_deref().map(|s| self.keep(s));
        let stated_grade = summary.stated_grade.as_deref().map(|s| self.keep(s));
        let start = self.text.len();
        for p in &summary.paths {
            self.text.push_str(&p.to_string_lossy());
            self.text.push('\0');
        }
        let paths = start..self.text.len();
        let first = self.unreadable.len();
        self.unreadable.extend(summary.unreadable);
        let row = Row {
            order,
            name,
            title,
            stated_score,
            stated_grade,
            paths,
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            unreadable: first..self.unreadable.len(),
        };
        self.out_of_order |= self.rows.last().is_some_and(|last| last.order > order);
        self.rows.push(row);
    }

    fn keep(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(s);
        start..self.text.len()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The summaries, in the run's order.
    pub fn iter(&self) -> impl Iterator<Item = SummaryRow<'_>> + '_ {
        let mut listed: Vec<&Row> = self.rows.iter().collect();
        if self.out_of_order {
            listed.sort_by_key(|r| r.order);
        }
        let text = |r: &Range<usize>| self.text.get(r.clone()).unwrap_or_default();
        listed.into_iter().map(move |r| SummaryRow {
            name: text(&r.name),
            title: r.title.as_ref().map(text),
            stated_score: r.stated_score.as_ref().map(text),
            stated_grade: r.stated_grade.as_ref().map(text),
            paths: text(&r.paths),
            files: r.files,
            errors: r.errors,
            warnings: r.warnings,
            infos: r.infos,
            unreadable: self
                .unreadable
                .get(r.unreadable.clone())
                .unwrap_or_default(),
        })
    }
}

impl<'a> SummaryRow<'a> {
    /// The report's file paths, in bundle order.
    pub fn paths(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.paths.split_terminator('\0')
    }
}

impl FromIterator<BundleSummary> for Summaries {
    fn from_iter<I: IntoIterator<Item = BundleSummary>>(iter: I) -> Summaries {
        let mut out = Summaries::default();
        for s in iter {
            out.push(s);
        }
        out
    }
}

impl From<Vec<BundleSummary>> for Summaries {
    fn from(v: Vec<BundleSummary>) -> Summaries {
        v.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(
        name: &str,
        title: Option<&str>,
        score: Option<&str>,
        bad: &[&str],
    ) -> BundleSummary {
        BundleSummary {
            name: name.into(),
            title: title.map(Into::into),
            stated_score: score.map(Into::into),
            stated_grade: score.map(|_| "良好".into()),
            paths: vec![
                PathBuf::from(format!("{name}/报告.txt")),
                PathBuf::from("表.xlsx"),
            ],
            files: 2,
            errors: name.len(),
            warnings: 1,
            infos: 3,
            unreadable: bad
                .iter()
                .map(|p| (PathBuf::from(p), Text::new("坏", "bad")))
                .collect(),
        }
    }

    fn names(s: &Summaries) -> Vec<&str> {
        s.iter().map(|r| r.name).collect()
    }

    #[test]
    fn every_field_comes_back_as_kept() {
        let given = [
            summary(
                "甲/自评报告",
                Some("2024年度甲局部门整体支出绩效自评报告"),
                Some("88.35分"),
                &[],
            ),
            summary("乙", None, Some(""), &["乙/表.xlsx", "乙/文.docx"]),
            summary("", Some(""), None, &["丙.txt"]),
        ];
        let kept: Summaries = given.iter().cloned().collect();
        assert_eq!(kept.len(), 3);
        for (row, s) in kept.iter().zip(&given) {
            assert_eq!(row.name, s.name);
            assert_eq!(row.title, s.title.as_deref());
            assert_eq!(row.stated_score, s.stated_score.as_deref());
            assert_eq!(row.stated_grade, s.stated_grade.as_deref());
            let paths: Vec<String> = s.paths.iter().map(|p| p.display().to_string()).collect();
            assert_eq!(row.paths().collect::<Vec<_>>(), paths);
            assert_eq!(
                (row.files, row.errors, row.warnings, row.infos),
                (s.files, s.errors, s.warnings, s.infos)
            );
            assert_eq!(row.unreadable, s.unreadable.as_slice());
        }
    }

    #[test]
    fn summaries_kept_out_of_order_are_listed_by_order() {
        let mut kept = Summaries::with_capacity(5);
        for (order, name) in [(1, "b"), (0, "a"), (4, "e"), (2, "c"), (3, "d")] {
            kept.push_at(order, summary(name, None, None, &[name]));
        }
        assert_eq!(names(&kept), ["a", "b", "c", "d", "e"]);
        let bad: Vec<String> = kept
            .iter()
            .flat_map(|r| r.unreadable.iter().map(|(p, _)| p.display().to_string()))
            .collect();
        assert_eq!(bad, ["a", "b", "c", "d", "e"]);
    }
}
