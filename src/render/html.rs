//! HTML output: one self-contained page (inline CSS and script, nothing fetched), written report
//! by report as the bundles finish. Each report is a collapsed `<details>` with its findings:
//! code, rule, message, the text lines involved with every labelled figure marked and its label
//! shown (`excerpt`, as human output cuts them), or the block of cells around the labelled ones
//! with their headings, expected and found, and a link to the rule's documentation. The
//! overview — totals, a table of every report (sortable, filterable by severity, rule and title)
//! — is only known at the end: it is written last and shown first (`order: -1` in the page's
//! flex column). The rules' documentation follows, once per rule used.
//!
//! Every byte of report text is escaped (`esc`): & < > " ' and = as entities, bidi controls and
//! zero-width characters as visible ⟨U+202E⟩ marks, and excerpts and cells isolated
//! (`unicode-bidi: isolate`). The only links the page holds are its own anchors.
//!
//! Example: `HtmlPage::new(Lang::Zh)`, then `begin()`, `report(&findings, &summary)` per bundle,
//! `finish(&report, &mut out)`; what they give, concatenated, is the page.

use super::excerpt::{Excerpt, HeaderRows, is_heading_text};
use crate::Report;
use crate::diagnostic::{Finding, Lang, Place, Rule, Severity, Source, cell_name};
use crate::{BundleSummary, SummaryRow};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;

/// A page being written: what the end needs of the reports written so far.
pub struct HtmlPage {
    lang: Lang,
    /// Reports written so far (their sections are `r0`, `r1`, … in the table's order).
    reports: usize,
    /// The rules the findings came from, for their documentation at the end.
    rules: BTreeMap<&'static str, &'static Rule>,
}

/// The page's words in each language.
struct Words {
    lang: &'static str,
    title: &'static str,
    reports: &'static str,
    search: &'static str,
    severity: &'static str,
    rule: &'static str,
    all_rules: &'static str,
    shown: &'static str,
    report: &'static str,
    score: &'static str,
    grade: &'static str,
    errors: &'static str,
    warnings: &'static str,
    infos: &'static str,
    files: &'static str,
    expected: &'static str,
    found: &'static str,
    docs: &'static str,
    no_findings: &'static str,
    not_read: &'static str,
    sheet_missing: &'static str,
    empty: &'static str,
}

const ZH: Words = Words {
    lang: "zh-CN",
    title: "算盘检查报告",
    reports: "份报告",
    search: "搜索标题",
    severity: "严重程度",
    rule: "规则",
    all_rules: "全部规则",
    shown: "显示",
    report: "报告",
    score: "自评分",
    grade: "等级",
    errors: "错误",
    warnings: "警告",
    infos: "提示",
    files: "文件",
    expected: "应为",
    found: "实为",
    docs: "规则说明",
    no_findings: "没有发现问题。",
    not_read: "未能读取的文件",
    sheet_missing: "工作表不在已读取的内容中",
    empty: "（空）",
};

const EN: Words = Words {
    lang: "en",
    title: "suanpan report",
    reports: "report(s)",
    search: "Search titles",
    severity: "Severity",
    rule: "Rule",
    all_rules: "All rules",
    shown: "shown",
    report: "Report",
    score: "Score",
    grade: "Grade",
    errors: "Errors",
    warnings: "Warnings",
    infos: "Infos",
    files: "Files",
    expected: "expected",
    found: "found",
    docs: "Rule documentation",
    no_findings: "No findings.",
    not_read: "Files not read",
    sheet_missing: "the sheet is not among those read",
    empty: "(empty)",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn severity_word(s: Severity, lang: Lang) -> &'static str {
    let w = words(lang);
    match s {
        Severity::Error => w.errors,
        Severity::Warning => w.warnings,
        Severity::Info => w.infos,
    }
}

impl HtmlPage {
    pub fn new(lang: Lang) -> HtmlPage {
        HtmlPage {
            lang,
            reports: 0,
            rules: BTreeMap::new(),
        }
    }

    /// The page up to its first report.
    pub fn begin(&self) -> String {
        let w = words(self.lang);
        let mut out = String::with_capacity(STYLE.len() + 512);
        out.push_str("<!DOCTYPE html>\n<html lang=\"");
        out.push_str(w.lang);
        out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
        // Nothing is fetched, whatever the page holds: no fonts, images, scripts or frames.
        out.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n",
        );
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str("<meta name=\"generator\" content=\"suanpan ");
        out.push_str(env!("CARGO_PKG_VERSION"));
        out.push_str("\">\n<title>");
        out.push_str(w.title);
        out.push_str("</title>\n<style>");
        out.push_str(STYLE);
        out.push_str("</style>\n</head>\n<body>\n<main id=\"page\">\n");
        out
    }

    /// One report's section, collapsed: its summary line, then its findings.
    pub fn report(&mut self, findings: &[Finding], summary: &BundleSummary) -> String {
        let lang = self.lang;
        let w = words(lang);
        let i = self.reports;
        self.reports += 1;
        let mut out = String::with_capacity(1024);
        let sevs: BTreeSet<&str> = findings.iter().map(|f| f.severity.as_str()).collect();
        let codes: BTreeSet<&str> = findings.iter().map(|f| f.rule.code).collect();
        let _ = write!(out, "<section class=\"report\" id=\"r{i}\" data-sev=\"");
        esc_attr(&mut out, &sevs.into_iter().collect::<Vec<_>>().join(" "));
        out.push_str("\" data-rules=\"");
        esc_attr(&mut out, &codes.into_iter().collect::<Vec<_>>().join(" "));
        out.push_str("\">\n<details><summary><span class=\"t\">");
        esc(&mut out, summary.title.as_deref().unwrap_or(&summary.name));
        out.push_str("</span>");
        counts(
            &mut out,
            summary.errors,
            summary.warnings,
            summary.infos,
            lang,
        );
        out.push_str("</summary>\n<dl class=\"meta\"><dt>");
        out.push_str(w.report);
        out.push_str("</dt><dd class=\"path\">");
        esc(&mut out, &summary.name);
        out.push_str("</dd><dt>");
        out.push_str(w.score);
        out.push_str("</dt><dd>");
        esc(&mut out, summary.stated_score.as_deref().unwrap_or("—"));
        out.push_str("</dd><dt>");
        out.push_str(w.grade);
        out.push_str("</dt><dd>");
        esc(&mut out, summary.stated_grade.as_deref().unwrap_or("—"));
        out.push_str("</dd><dt>");
        out.push_str(w.files);
        let _ = writeln!(out, "</dt><dd>{}</dd></dl>", summary.files);
        if findings.is_empty() {
            let _ = writeln!(out, "<p class=\"none\">{}</p>", w.no_findings);
        }
        for f in findings {
            self.rules.insert(f.rule.code, f.rule);
            finding(&mut out, f, lang);
        }
        out.push_str("</details>\n</section>\n");
        out
    }

    /// The end of the page: the overview (shown first), the rules' documentation, the script;
    /// written to `sink` a piece at a time, so that a table of many reports is never whole in
    /// memory.
    pub fn finish(&self, report: &Report, sink: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let w = words(lang);
        let mut out = String::with_capacity(PIECE + 1024);
        out.push_str("<header id=\"top\">\n<h1>");
        out.push_str(w.title);
        let _ = write!(
            out,
            "</h1>\n<p class=\"totals\">{} {} · ",
            report.bundles.len(),
            w.reports
        );
        esc(&mut out, &super::summary::totals(report, lang));
        out.push_str("</p>\n");
        let unreadable: Vec<_> = report
            .bundles
            .iter()
            .flat_map(|b| b.unreadable.iter())
            .collect();
        if !unreadable.is_empty() {
            let _ = write!(
                out,
                "<details class=\"unread\"><summary>{} ({})</summary><ul>",
                w.not_read,
                unreadable.len()
            );
            for (path, why) in unreadable {
                out.push_str("<li><bdi class=\"path\">");
                esc(&mut out, &path.display().to_string());
                out.push_str("</bdi> ");
                esc(&mut out, why.get(lang));
                out.push_str("</li>");
            }
            out.push_str("</ul></details>\n");
        }
        // The controls work through the script; printed, they are left out.
        let _ = write!(
            out,
            "<form class=\"controls\"><label>{} <input type=\"search\" id=\"q\"></label> <fieldset id=\"sev\"><legend>{}</legend>",
            w.search, w.severity
        );
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            let _ = write!(
                out,
                "<label class=\"s-{0}\"><input type=\"checkbox\" value=\"{0}\" checked> {1}</label> ",
                s.as_str(),
                severity_word(s, lang)
            );
        }
        let _ = write!(
            out,
            "</fieldset> <label>{} <select id=\"rule\"><option value=\"\">{}</option>",
            w.rule, w.all_rules
        );
        for (code, rule) in &self.rules {
            out.push_str("<option value=\"");
            esc_attr(&mut out, code);
            out.push_str("\">");
            esc(&mut out, code);
            out.push(' ');
            esc(&mut out, rule.name);
            out.push_str("</option>");
        }
        let _ = writeln!(
            out,
            "</select></label> <output id=\"shown\"></output> <span class=\"noprint\">{}</span></form>",
            w.shown
        );
        out.push_str("<table id=\"list\">\n<thead><tr>");
        for (head, kind) in [
            (w.report, "text"),
            (w.score, "num"),
            (w.grade, "text"),
            (w.errors, "num"),
            (w.warnings, "num"),
            (w.infos, "num"),
            (w.files, "num"),
        ] {
            let _ = write!(
                out,
                "<th data-type=\"{kind}\"><button type=\"button\">{head}</button></th>"
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (i, row) in report.bundles.iter().enumerate() {
            summary_row(&mut out, i, &row);
            if out.len() >= PIECE {
                sink.write_all(out.as_bytes())?;
                out.clear();
            }
        }
        out.push_str("</tbody>\n</table>\n</header>\n");
        if !self.rules.is_empty() {
            out.push_str("<section id=\"rules\">\n<h2>");
            out.push_str(w.docs);
            out.push_str("</h2>\n");
            for (code, rule) in &self.rules {
                out.push_str("<details id=\"rule-");
                esc_attr(&mut out, code);
                out.push_str("\"><summary><code>");
                esc(&mut out, code);
                out.push_str("</code> ");
                esc(&mut out, rule.name);
                out.push_str(" — ");
                esc(&mut out, rule.summary(lang));
                out.push_str("</summary><pre>");
                esc(&mut out, rule.doc(lang));
                out.push_str("</pre></details>\n");
            }
            out.push_str("</section>\n");
        }
        out.push_str("</main>\n<script>");
        out.push_str(SCRIPT);
        out.push_str("</script>\n</body>\n</html>\n");
        sink.write_all(out.as_bytes())
    }
}

/// How much of the overview is built before it is written.
const PIECE: usize = 64 << 10;

/// One row of the overview table; its report's section is `r{i}`.
fn summary_row(out: &mut String, i: usize, row: &SummaryRow<'_>) {
    let title = row.title.unwrap_or(row.name);
    let _ = write!(out, "<tr data-i=\"{i}\" data-q=\"");
    esc_attr(out, &format!("{title} {}", row.name).to_lowercase());
    let _ = write!(out, "\"><td><a href=\"#r{i}\">");
    esc(out, title);
    out.push_str("</a>");
    if row.title.is_some() {
        out.push_str("<div class=\"path\">");
        esc(out, row.name);
        out.push_str("</div>");
    }
    out.push_str("</td><td>");
    esc(out, row.stated_score.unwrap_or("—"));
    out.push_str("</td><td>");
    esc(out, row.stated_grade.unwrap_or("—"));
    let _ = writeln!(
        out,
        "</td><td class=\"n s-error\">{}</td><td class=\"n s-warning\">{}</td><td class=\"n s-info\">{}</td><td class=\"n\">{}</td></tr>",
        row.errors, row.warnings, row.infos, row.files
    );
}

/// The error, warning and info counts as badges (a zero shows none).
fn counts(out: &mut String, errors: usize, warnings: usize, infos: usize, lang: Lang) {
    for (n, s) in [
        (errors, Severity::Error),
        (warnings, Severity::Warning),
        (infos, Severity::Info),
    ] {
        if n > 0 {
            let _ = write!(
                out,
                " <span class=\"badge s-{}\">{n} {}</span>",
                s.as_str(),
                severity_word(s, lang)
            );
        }
    }
}

/// A text label before it is placed in an excerpt: byte range, its number, whether primary.
type Span = (usize, usize, usize, bool);
/// A cell label: row, column (0-based), its number, whether primary.
type CellMark = (u32, u32, usize, bool);

/// One finding: heading, message, where, expected and found.
fn finding(out: &mut String, f: &Finding, lang: Lang) {
    let w = words(lang);
    let sev = f.severity.as_str();
    out.push_str("<article class=\"finding s-");
    out.push_str(sev);
    out.push_str("\" data-sev=\"");
    out.push_str(sev);
    out.push_str("\" data-rule=\"");
    esc_attr(out, f.rule.code);
    let _ = write!(
        out,
        "\">\n<h3><span class=\"sev\">{}</span> <a class=\"code\" href=\"#rule-",
        severity_word(f.severity, lang)
    );
    esc_attr(out, f.rule.code);
    out.push_str("\">");
    esc(out, f.rule.code);
    out.push_str("</a> <span class=\"rule\">");
    esc(out, f.rule.name);
    out.push_str("</span> <bdi class=\"path\">");
    esc(out, &f.source.display_path());
    out.push_str("</bdi></h3>\n<p class=\"msg\">");
    esc(out, f.message.get(lang));
    out.push_str("</p>\n");
    // Labels by source (text) or by sheet (cells), in order of first appearance, numbered.
    let mut texts: Vec<(Arc<Source>, Vec<Span>)> = Vec::new();
    let mut cells: Vec<(Arc<Source>, String, Vec<CellMark>)> = Vec::new();
    let mut notes: Vec<(usize, bool, String, &str)> = Vec::new();
    for (k, l) in f.labels.iter().enumerate() {
        let (n, primary) = (k + 1, k == 0);
        let text = l.text.get(lang);
        match &l.place {
            Place::Text { start, end } => {
                let span = (*start, *end, n, primary);
                match texts.iter_mut().find(|(s, _)| Arc::ptr_eq(s, &l.source)) {
                    Some((_, spans)) => spans.push(span),
                    None => texts.push((l.source.clone(), vec![span])),
                }
                let (line, col) = l.source.line_col(*start);
                notes.push((n, primary, format!("{line}:{col}"), text));
            }
            Place::Cell { sheet, row, col } => {
                let cell = (*row, *col, n, primary);
                match cells
                    .iter_mut()
                    .find(|(s, name, _)| Arc::ptr_eq(s, &l.source) && name == sheet)
                {
                    Some((_, _, list)) => list.push(cell),
                    None => cells.push((l.source.clone(), sheet.clone(), vec![cell])),
                }
                notes.push((
                    n,
                    primary,
                    format!("{sheet}!{}", cell_name(*row, *col)),
                    text,
                ));
            }
            Place::File => notes.push((n, primary, l.source.display_path(), text)),
        }
    }
    for (src, spans) in &texts {
        // Another file than the finding's (a narrative and its sheet compared): named first.
        if src.path != f.source.path {
            out.push_str("<div class=\"also\"><bdi class=\"path\">");
            esc(out, &src.display_path());
            out.push_str("</bdi></div>");
        }
        text_excerpt(out, src, spans);
    }
    for (src, sheet, list) in &cells {
        sheet_block(out, src, sheet, list, w);
    }
    // The list of labels, unless all there is is a file without a word about it.
    let worth = !texts.is_empty() || !cells.is_empty() || notes.iter().any(|n| !n.3.is_empty());
    if worth {
        out.push_str("<ol class=\"labels\">");
        for (n, primary, place, text) in &notes {
            let _ = write!(
                out,
                "<li value=\"{n}\"{}><bdi class=\"at\">",
                if *primary { " class=\"p\"" } else { "" }
            );
            esc(out, place);
            out.push_str("</bdi> ");
            esc(out, text);
            out.push_str("</li>");
        }
        out.push_str("</ol>\n");
    }
    if f.expected.is_some() || f.found.is_some() {
        out.push_str("<p class=\"ef\">");
        if let Some(e) = &f.expected {
            let _ = write!(out, "<span>{}</span> <b class=\"exp\">", w.expected);
            esc(out, e);
            out.push_str("</b> ");
        }
        if let Some(found) = &f.found {
            let _ = write!(out, "<span>{}</span> <b class=\"fnd\">", w.found);
            esc(out, found);
            out.push_str("</b>");
        }
        out.push_str("</p>\n");
    }
    out.push_str("</article>\n");
}

/// A text source's lines around its labels (`Excerpt`, as human output cuts them), numbered,
/// with every labelled span marked and numbered; far lines are left out ("⋮").
fn text_excerpt(out: &mut String, src: &Source, spans: &[Span]) {
    let ranges: Vec<(usize, usize)> = spans.iter().map(|s| (s.0, s.1)).collect();
    let excerpt = Excerpt::new(src, &ranges);
    // Each span in excerpt offsets, by excerpt line.
    let mut by_line: BTreeMap<usize, Vec<Span>> = BTreeMap::new();
    for &(a, b, n, p) in spans {
        let (ea, eb) = (excerpt.map(a), excerpt.map(b).max(excerpt.map(a)));
        let i = excerpt.line_of(ea);
        let Some(line) = excerpt.lines.get(i) else {
            continue;
        };
        by_line
            .entry(i)
            .or_default()
            .push((ea - line.start, eb - line.start, n, p));
    }
    out.push_str("<pre class=\"excerpt\">");
    let mut gap = false;
    for (i, line) in excerpt.lines.iter().enumerate() {
        let end = excerpt
            .lines
            .get(i + 1)
            .map_or(excerpt.text.len(), |next| next.start);
        let text = excerpt
            .text
            .get(line.start..end)
            .unwrap_or_default()
            .trim_end_matches('\n');
        let here = by_line.get(&i);
        // A line far from every label is kept by the excerpt empty (or as "…"): a gap here.
        if line.window_len == 0 && here.is_none() {
            gap = true;
            continue;
        }
        if gap {
            out.push_str("<span class=\"ln\">⋮</span>\n");
            gap = false;
        }
        let _ = write!(
            out,
            "<span class=\"ln\">{}</span><bdi class=\"src\">",
            i + 1
        );
        marked_line(out, text, here.map(Vec::as_slice).unwrap_or_default());
        out.push_str("</bdi>\n");
    }
    out.push_str("</pre>\n");
}

/// A line with its spans (offsets in the line) marked; a span's number follows its end.
fn marked_line(out: &mut String, line: &str, spans: &[Span]) {
    let len = line.len();
    let mut cuts: Vec<usize> = vec![0, len];
    for &(a, b, _, _) in spans {
        cuts.push(a.min(len));
        cuts.push(b.min(len));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let numbers_at = |out: &mut String, at: usize| {
        for &(a, b, n, p) in spans {
            if b.min(len) == at && (a < b || at == a.min(len)) {
                let _ = write!(
                    out,
                    "<sup class=\"{}\">{n}</sup>",
                    if p { "p" } else { "s" }
                );
            }
        }
    };
    numbers_at(out, 0);
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let Some(piece) = line.get(a..b) else {
            continue;
        };
        let over: Vec<&Span> = spans
            .iter()
            .filter(|s| s.0.min(len) <= a && b <= s.1.min(len))
            .collect();
        if over.is_empty() {
            esc(out, piece);
        } else {
            let primary = over.iter().any(|s| s.3);
            let _ = write!(out, "<mark class=\"{}\">", if primary { "p" } else { "s" });
            esc(out, piece);
            out.push_str("</mark>");
        }
        numbers_at(out, b);
    }
}

/// Rows and columns kept around each labelled cell.
const AROUND: usize = 2;
/// The most rows and columns a block shows.
const MAX_ROWS: usize = 40;
const MAX_COLS: usize = 16;

/// A sheet's block of cells around the labelled ones: their heading row (`header_row`) and the
/// heading texts to their left, with sheet row numbers and column letters; labelled cells marked.
fn sheet_block(out: &mut String, src: &Source, name: &str, cells: &[CellMark], w: &Words) {
    out.push_str("<figure class=\"sheet\"><figcaption><bdi class=\"path\">");
    esc(out, &src.display_path());
    out.push_str("</bdi> ! <bdi>");
    esc(out, name);
    out.push_str("</bdi></figcaption>\n");
    let Some(grid) = src.sheets.iter().find(|s| s.name == name) else {
        let _ = writeln!(out, "<p class=\"none\">{}</p></figure>", w.sheet_missing);
        return;
    };
    let height = grid.cells.len();
    let width = grid.width();
    let mut rows: BTreeSet<usize> = BTreeSet::new();
    let mut cols: BTreeSet<usize> = BTreeSet::new();
    // The heading rows of all the labelled cells, found together.
    let headings = HeaderRows::new(grid, cells.iter().map(|m| m.0 as usize));
    for &(r, c, _, _) in cells {
        let (r, c) = (r as usize, c as usize);
        rows.extend(r.saturating_sub(AROUND)..=(r + AROUND).min(height.max(r + 1) - 1));
        cols.extend(c.saturating_sub(AROUND)..=(c + AROUND).min(width.max(c + 1) - 1));
        rows.extend(headings.of(grid, r));
        // The row's heading: the last two texts to the left of the cell.
        let heads: Vec<usize> = (0..c)
            .filter(|&k| is_heading_text(grid.get(r, k)))
            .collect();
        cols.extend(heads.iter().rev().take(2));
    }
    let heads: BTreeSet<usize> = cells
        .iter()
        .filter_map(|&(r, _, _, _)| headings.of(grid, r as usize))
        .collect();
    let marked_rows: BTreeSet<usize> = cells.iter().map(|m| m.0 as usize).collect();
    let marked_cols: BTreeSet<usize> = cells.iter().map(|m| m.1 as usize).collect();
    let rows = at_most(rows, MAX_ROWS, |r| {
        heads.contains(&r) || marked_rows.contains(&r)
    });
    let cols = at_most(cols, MAX_COLS, |c| marked_cols.contains(&c));
    out.push_str("<table class=\"cells\"><thead><tr><th></th>");
    for &c in &cols {
        let letters = cell_name(0, c as u32);
        let _ = write!(out, "<th>{}</th>", letters.trim_end_matches('1'));
    }
    out.push_str("</tr></thead><tbody>\n");
    for &r in &rows {
        let _ = write!(
            out,
            "<tr{}><th>{}</th>",
            if heads.contains(&r) {
                " class=\"head\""
            } else {
                ""
            },
            r + 1
        );
        for &c in &cols {
            let marks: Vec<&CellMark> = cells
                .iter()
                .filter(|&&(lr, lc, _, _)| lr as usize == r && lc as usize == c)
                .collect();
            let value = grid.get(r, c).text();
            if marks.is_empty() {
                out.push_str("<td>");
            } else {
                let primary = marks.iter().any(|m| m.3);
                let _ = write!(out, "<td class=\"hl {}\">", if primary { "p" } else { "s" });
            }
            if !marks.is_empty() && value.trim().is_empty() {
                out.push_str(w.empty);
            } else {
                esc(out, &value);
            }
            for m in &marks {
                let _ = write!(out, "<sup>{}</sup>", m.2);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></figure>\n");
}

/// At most `max` of `all`, in order: those `needed` first (the labelled rows and columns, the
/// heading rows), then the others from the start.
fn at_most(all: BTreeSet<usize>, max: usize, needed: impl Fn(usize) -> bool) -> Vec<usize> {
    if all.len() <= max {
        return all.into_iter().collect();
    }
    let mut kept: BTreeSet<usize> = all
        .iter()
        .copied()
        .filter(|&k| needed(k))
        .take(max)
        .collect();
    for k in all {
        if kept.len() >= max {
            break;
        }
        kept.insert(k);
    }
    kept.into_iter().collect()
}

/// Whether a character would be invisible or reorder the text around it: bidi controls,
/// zero-width characters, other format and control characters (a line break and a tab aside).
fn hidden(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{61C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
        || (c.is_control() && c != '\n' && c != '\t')
}

/// Escapes text for an element's content: & < > " ' = as entities; a hidden character
/// (`hidden`) as a visible mark, ⟨U+202E⟩.
pub fn esc(out: &mut String, s: &str) {
    escape(out, s, true);
}

/// Escapes text for an attribute's value (quoted with "): as `esc`, the marks as plain text.
pub fn esc_attr(out: &mut String, s: &str) {
    escape(out, s, false);
}

fn escape(out: &mut String, s: &str, content: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '=' => out.push_str("&#61;"),
            c if hidden(c) => {
                if content {
                    let _ = write!(out, "<span class=\"cc\">⟨U+{:04X}⟩</span>", c as u32);
                } else {
                    let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
                }
            }
            c => out.push(c),
        }
    }
}

/// A sheet's name and cell as the labels list shows them (kept for tests of the block).
#[cfg(test)]
fn block_of(sheet: &crate::source::sheet::Sheet, cells: &[CellMark]) -> String {
    let src = Source::workbook("t.xlsx".into(), vec![sheet.clone()]);
    let mut out = String::new();
    sheet_block(&mut out, &src, &sheet.name, cells, &ZH);
    out
}

const STYLE: &str = r#"
:root{--err:#b3261e;--warn:#8a5a00;--info:#1f5fa8;--line:#ddd;--mark:#fff1a8;--mark2:#e6f0ff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222;background:#fafafa}
main{display:flex;flex-direction:column;max-width:1200px;margin:0 auto;padding:1em}
#top{order:-1}
#rules{order:1;margin-top:2em}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.2em}
h3{font-size:1em;margin:.2em 0;font-weight:600}
.totals{font-size:1.05em}
.controls{display:flex;flex-wrap:wrap;gap:.6em;align-items:center;margin:.6em 0;padding:.5em;background:#fff;border:1px solid var(--line)}
.controls fieldset{border:0;padding:0;margin:0;display:inline}
.controls legend{float:left;margin-right:.4em}
#list{border-collapse:collapse;width:100%;background:#fff}
#list th,#list td{border:1px solid var(--line);padding:.25em .5em;text-align:left;vertical-align:top;unicode-bidi:isolate}
#list th button{font:inherit;font-weight:600;border:0;background:none;cursor:pointer;padding:0}
#list th[aria-sort=ascending] button::after{content:" ▲"}
#list th[aria-sort=descending] button::after{content:" ▼"}
#list td.n{text-align:right;font-variant-numeric:tabular-nums}
#list td.s-error:not(:empty){color:var(--err)}
.path{color:#666;font-size:.9em;unicode-bidi:isolate;overflow-wrap:anywhere}
.hide{display:none!important}
section.report{background:#fff;border:1px solid var(--line);margin:.3em 0}
section.report>details>summary{padding:.4em .6em;cursor:pointer}
section.report>details>summary .t{font-weight:600;unicode-bidi:isolate}
section.report>details>*:not(summary){margin-left:.8em;margin-right:.8em}
.badge{display:inline-block;padding:0 .4em;border-radius:.6em;font-size:.85em;color:#fff}
.badge.s-error{background:var(--err)}.badge.s-warning{background:var(--warn)}.badge.s-info{background:var(--info)}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:0 1em;margin:.3em 0}
.meta dt{color:#666}.meta dd{margin:0;unicode-bidi:isolate}
.finding{border-left:4px solid var(--line);padding:.2em .6em;margin:.6em 0}
.finding.s-error{border-color:var(--err)}.finding.s-warning{border-color:var(--warn)}.finding.s-info{border-color:var(--info)}
.finding .sev{font-weight:600}
.s-error .sev{color:var(--err)}.s-warning .sev{color:var(--warn)}.s-info .sev{color:var(--info)}
.code{font-family:ui-monospace,Menlo,Consolas,monospace}
.msg{margin:.2em 0;unicode-bidi:isolate;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
pre.excerpt{background:#f6f6f6;border:1px solid var(--line);padding:.4em;margin:.3em 0;font:13px/1.6 ui-monospace,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace}
.ln{display:inline-block;min-width:3.5em;color:#888;text-align:right;padding-right:.8em;user-select:none}
.src{unicode-bidi:isolate}
mark.p{background:var(--mark);outline:1px solid #d4b100}
mark.s{background:var(--mark2);outline:1px solid #7ea6e0}
sup{font-size:.7em;color:#555;padding:0 .1em}
sup.p{color:#8a6d00}
.cc{color:var(--err);background:#fde8e8;font-size:.8em;border-radius:.2em}
figure.sheet{margin:.3em 0}
figure.sheet figcaption{color:#666;font-size:.9em}
table.cells{border-collapse:collapse;font-size:13px;background:#fff}
table.cells th,table.cells td{border:1px solid var(--line);padding:.1em .4em;unicode-bidi:isolate;white-space:pre-wrap;max-width:22em;overflow-wrap:anywhere;vertical-align:top}
table.cells thead th,table.cells tbody th{background:#f0f0f0;color:#666;font-weight:normal}
table.cells tr.head td{background:#f4f4f4;font-weight:600}
td.hl.p{background:var(--mark);outline:2px solid #d4b100}
td.hl.s{background:var(--mark2);outline:2px solid #7ea6e0}
ol.labels{margin:.2em 0;padding-left:2em}
ol.labels li.p{font-weight:600}
ol.labels .at{font-family:ui-monospace,Menlo,Consolas,monospace;color:#555;unicode-bidi:isolate}
.ef .exp{color:#1b6e1b}.ef .fnd{color:var(--err)}
.none{color:#666}
.also{margin-top:.3em}
#rules pre{background:#f6f6f6;padding:.6em;border:1px solid var(--line)}
@media print{
@page{size:A4;margin:14mm}
body{background:#fff;font-size:11pt}
main{display:flex;flex-direction:column;max-width:none;padding:0}
#list th,#list td.n,#list td:nth-child(2),#list td:nth-child(3){white-space:nowrap}
.controls,.noprint,#list th button::after{display:none!important}
#list th button{pointer-events:none}
#top{break-after:page}
section.report{border:0;break-before:page}
section.report>details>summary{list-style:none;font-size:1.2em}
section.report>details>summary::-webkit-details-marker{display:none}
details::details-content{content-visibility:visible;display:block}
#rules{break-before:page}
.finding h3,.finding .msg{break-after:avoid}
figure.sheet,.ef{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
"#;

/// The page's one script: sorting, filtering (by a class on rows and sections), opening the
/// section a link points at, and opening every section for printing.
const SCRIPT: &str = r#"
(function(){
'use strict';
function all(sel,root){return Array.prototype.slice.call((root||document).querySelectorAll(sel));}
var body=document.querySelector('#list tbody');
var rows=all('tr',body);
var q=document.getElementById('q'),rule=document.getElementById('rule'),boxes=all('#sev input'),shown=document.getElementById('shown');
function section(row){return document.getElementById('r'+row.getAttribute('data-i'));}
function apply(){
  var text=q.value.trim().toLowerCase(),code=rule.value,on={},every=true,count=0;
  boxes.forEach(function(b){on[b.value]=b.checked;if(!b.checked){every=false;}});
  var filtered=!every||code!=='';
  if(!filtered&&!text){
    all('.hide').forEach(function(e){e.classList.remove('hide');});
    shown.textContent=rows.length+' / '+rows.length;
    return;
  }
  rows.forEach(function(row){
    var sec=section(row),show=!text||row.getAttribute('data-q').indexOf(text)>=0;
    if(sec){
      var any=false;
      all('.finding',sec).forEach(function(f){
        var match=!filtered||(on[f.getAttribute('data-sev')]&&(!code||f.getAttribute('data-rule')===code));
        f.classList.toggle('hide',!match);any=any||match;
      });
      if(filtered){show=show&&any;}
      sec.classList.toggle('hide',!show);
    }
    row.classList.toggle('hide',!show);
    if(show){count++;}
  });
  shown.textContent=count+' / '+rows.length;
}
document.querySelector('form.controls').addEventListener('submit',function(e){e.preventDefault();});
var timer=null;
q.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(apply,120);});
rule.addEventListener('change',apply);
boxes.forEach(function(b){b.addEventListener('change',apply);});
all('#list thead th').forEach(function(th,i){
  th.addEventListener('click',function(){
    var asc=th.getAttribute('aria-sort')!=='ascending',num=th.getAttribute('data-type')==='num';
    all('#list thead th').forEach(function(o){o.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',asc?'ascending':'descending');
    var keyed=rows.map(function(r,k){
      var t=(r.cells[i]?r.cells[i].textContent:'').trim(),v=num?parseFloat(t):t;
      if(num&&isNaN(v)){v=-Infinity;}
      return [v,k,r];
    });
    keyed.sort(function(a,b){
      var c=num?(a[0]===b[0]?0:(a[0]<b[0]?-1:1)):a[0].localeCompare(b[0],document.documentElement.lang);
      return (asc?c:-c)||a[1]-b[1];
    });
    rows=keyed.map(function(k){return k[2];});
    var frag=document.createDocumentFragment();
    rows.forEach(function(r){frag.appendChild(r);});
    body.appendChild(frag);
  });
});
function openHash(){
  var id=decodeURIComponent(location.hash.slice(1));
  if(!id){return;}
  var el=document.getElementById(id);
  if(!el){return;}
  var d=el.tagName==='DETAILS'?el:el.querySelector('details');
  if(d){d.open=true;}
  if(el.scrollIntoView){el.scrollIntoView();}
}
window.addEventListener('hashchange',openHash);
var opened=[];
window.addEventListener('beforeprint',function(){all('details').forEach(function(d){if(!d.open){d.open=true;opened.push(d);}});});
window.addEventListener('afterprint',function(){opened.forEach(function(d){d.open=false;});opened=[];});
apply();
openHash();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::sheet::{Sheet, Value};

    #[test]
    fn hostile_text_is_escaped() {
        let mut out = String::new();
        esc(
            &mut out,
            "<script>x</script>\"><img src=x onerror=alert(1)>'\u{202E}\u{200B}&",
        );
        assert_eq!(
            out,
            "&lt;script&gt;x&lt;/script&gt;&quot;&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;&#39;<span class=\"cc\">⟨U+202E⟩</span><span class=\"cc\">⟨U+200B⟩</span>&amp;"
        );
        let mut attr = String::new();
        esc_attr(&mut attr, "a\"b\u{202E}");
        assert_eq!(attr, "a&quot;b⟨U+202E⟩");
    }

    #[test]
    fn a_line_marks_each_span_and_numbers_it() {
        let mut out = String::new();
        marked_line(
            &mut out,
            "年初预算为775.83万元<",
            &[(15, 21, 1, true), (15, 18, 2, false)],
        );
        assert_eq!(
            out,
            "年初预算为<mark class=\"p\">775</mark><sup class=\"s\">2</sup><mark class=\"p\">.83</mark><sup class=\"p\">1</sup>万元&lt;"
        );
    }

    #[test]
    fn a_wide_block_keeps_its_labelled_rows() {
        let t = |s: &str| Value::Text(s.into());
        let mut cells = vec![vec![t("指标"), t("分值"), t("得分"), t("说明")]];
        for i in 0..100 {
            cells.push(vec![t(&format!("指标{i}")), t("x"), t("y"), t("z")]);
        }
        let sheet = Sheet {
            name: "表".into(),
            cells,
            uncached: Vec::new(),
        };
        // Labelled rows far apart: more rows around them than a block shows.
        let labelled: Vec<(u32, u32, usize, bool)> = (0..12)
            .map(|k| (k * 8 + 1, 2, k as usize + 1, k == 0))
            .collect();
        let html = block_of(&sheet, &labelled);
        assert_eq!(
            html.matches("<td class=\"hl ").count(),
            labelled.len(),
            "{html}"
        );
        assert_eq!(html.matches("<tr").count(), MAX_ROWS + 1);
    }

    #[test]
    fn a_sheet_block_shows_headings_and_marks_the_cell() {
        let t = |s: &str| Value::Text(s.into());
        let n = |s: &str| Value::Other(s.into());
        let sheet = Sheet {
            name: "评分表".into(),
            cells: vec![
                vec![t("一级指标"), t("二级指标"), t("分值"), t("得分")],
                vec![t("决策"), t("目标明确"), n("10"), n("12")],
                vec![t("过程"), t("资金管理"), n("20"), n("18")],
            ],
            uncached: Vec::new(),
        };
        let html = block_of(&sheet, &[(1, 3, 1, true)]);
        assert!(
            html.contains("<tr class=\"head\"><th>1</th><td>一级指标</td>"),
            "{html}"
        );
        assert!(
            html.contains("<td class=\"hl p\">12<sup>1</sup></td>"),
            "{html}"
        );
        assert!(html.contains("<th>D</th>"), "{html}");
    }
}
