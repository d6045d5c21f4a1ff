//! Human output through miette: the message, the code, and every figure of the relation
//! underlined in its source (CJK characters are two columns wide), then a summary.

use crate::Report;
use crate::diagnostic::{Finding, Lang, Place, Severity, Source, cell_name};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, NamedSource,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::Arc;

/// Lets miette read a source without copying its text.
#[derive(Debug, Clone)]
struct SourceText(Arc<Source>);

impl SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.0
            .text
            .read_span(span, context_lines_before, context_lines_after)
    }
}

#[derive(Debug)]
struct Shown {
    message: String,
    code: String,
    severity: miette::Severity,
    source: Option<NamedSource<SourceText>>,
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

fn shown(f: &Finding, lang: Lang) -> Shown {
    let mut by_source: Vec<(Arc<Source>, Vec<LabeledSpan>)> = Vec::new();
    let mut notes = Vec::new();
    for (i, l) in f.labels.iter().enumerate() {
        let text = l.text.get(lang).to_string();
        match &l.place {
            Place::Text { start, end } => {
                let span = LabeledSpan::new_with_span(
                    (!text.is_empty()).then_some(text),
                    SourceSpan::new((*start).into(), end.saturating_sub(*start)),
                );
                let span = if i == 0 {
                    LabeledSpan::new_primary_with_span(
                        span.label().map(str::to_string),
                        *span.inner(),
                    )
                } else {
                    span
                };
                match by_source
                    .iter_mut()
                    .find(|(s, _)| Arc::ptr_eq(s, &l.source))
                {
                    Some((_, spans)) => spans.push(span),
                    None => by_source.push((l.source.clone(), vec![span])),
                }
            }
            Place::Cell { sheet, row, col } => notes.push(format!(
                "{} {}!{}：{}",
                l.source.display_path(),
                sheet,
                cell_name(*row, *col),
                text
            )),
            Place::File => {}
        }
    }
    let mut groups = by_source.into_iter();
    let (source, labels) = match groups.next() {
        Some((s, spans)) => (Some(named(&s)), spans),
        None => (None, Vec::new()),
    };
    let related = groups
        .map(|(s, spans)| Shown {
            message: s.display_path(),
            code: f.rule.code.to_string(),
            severity: severity(f.severity),
            source: Some(named(&s)),
            labels: spans,
            help: None,
            related: Vec::new(),
        })
        .collect();
    let mut help = notes.join("\n");
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

fn named(s: &Arc<Source>) -> NamedSource<SourceText> {
    NamedSource::new(s.display_path(), SourceText(s.clone()))
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
