//! `--format line`: one finding per line, for grep and editors' quickfix lists:
//! `path:line:col: SEVERITY CODE message` for text, `path!Sheet!Cell: SEVERITY CODE message`
//! for cells, and `path: SEVERITY CODE message` for a whole file. The severity is the English
//! word (error, warning, info) in either language, as compilers write it, so that an editor's
//! error format or a grep can tell an error from a note.

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
    format!("{at}: {} {} {message}", f.severity.as_str(), f.rule.code)
}
