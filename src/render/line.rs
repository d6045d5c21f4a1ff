//! `--format line`: one finding per line, for grep and editors' quickfix lists:
//! `path:line:col: CODE message` for text, `path!Sheet!Cell: CODE message` for cells, and
//! `path: CODE message` for a whole file.

use super::text_pos;
use crate::Report;
use crate::diagnostic::{Finding, Lang, Place, cell_name};

pub fn render(report: &Report, lang: Lang) -> String {
    render_findings(&report.findings, lang)
}

/// The lines of some findings (for output written as bundles finish).
pub fn render_findings(findings: &[Finding], lang: Lang) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&line(f, lang));
        out.push('\n');
    }
    out
}

/// The line of one finding, placed at its primary label.
pub fn line(f: &Finding, lang: Lang) -> String {
    let message = f.message.get(lang).replace(['\n', '\r'], " ");
    let at = match f.labels.first() {
        Some(l) => match (&l.place, text_pos(l)) {
            (_, Some(p)) => format!("{}:{}:{}", l.source.display_path(), p.line, p.column),
            (Place::Cell { sheet, row, col }, None) => format!(
                "{}!{}!{}",
                l.source.display_path(),
                sheet,
                cell_name(*row, *col)
            ),
            _ => l.source.display_path(),
        },
        None => f.source.display_path(),
    };
    format!("{at}: {} {message}", f.rule.code)
}
