//! The batch summary that closes a run: each report with its stated total score and counts, then
//! the files that could not be read and why, then the totals.

use crate::Report;
use crate::diagnostic::{Lang, Severity};

/// The summary, one line per report (numbers first, so the columns align whatever the names).
pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    if !report.bundles.is_empty() {
        out.push_str(&match lang {
            Lang::Zh => format!("报告汇总（{} 份报告）：\n", report.bundles.len()),
            Lang::En => format!("Reports ({}):\n", report.bundles.len()),
        });
        out.push_str(match lang {
            Lang::Zh => "  错误  警告  提示   自评分  报告\n",
            Lang::En => "  errs  warn  info    score  report\n",
        });
        for b in report.bundles.iter() {
            let score = b.stated_score.unwrap_or("—");
            out.push_str(&format!(
                "  {:>4}  {:>4}  {:>4}  {:>7}  {}",
                b.errors, b.warnings, b.infos, score, b.name
            ));
            if let Some(t) = b.title {
                out.push_str(&format!("  《{t}》"));
            }
            out.push('\n');
        }
    }
    let unreadable: Vec<_> = report
        .bundles
        .iter()
        .flat_map(|b| b.unreadable.iter())
        .collect();
    if !unreadable.is_empty() {
        out.push_str(&match lang {
            Lang::Zh => format!("未能读取的文件（{} 个）：\n", unreadable.len()),
            Lang::En => format!("Files not read ({}):\n", unreadable.len()),
        });
        for (path, why) in unreadable {
            let sep = if lang == Lang::Zh { "：" } else { ": " };
            out.push_str(&format!("  {}{sep}{}\n", path.display(), why.get(lang)));
        }
    }
    out.push_str(&totals(report, lang));
    out.push('\n');
    out
}

/// The closing line: files and findings by severity (the report count heads the table) (counted from the per-report
/// summaries, so it also works when the findings were written out as they came).
pub fn totals(report: &Report, lang: Lang) -> String {
    let (e, w, i) = if report.bundles.is_empty() {
        (
            report.count(Severity::Error),
            report.count(Severity::Warning),
            report.count(Severity::Info),
        )
    } else {
        report.bundles.iter().fold((0, 0, 0), |(e, w, i), b| {
            (e + b.errors, w + b.warnings, i + b.infos)
        })
    };
    match lang {
        Lang::Zh => format!(
            "检查了 {} 个文件：{} 个错误，{} 个警告，{} 条提示",
            report.files, e, w, i
        ),
        Lang::En => format!(
            "checked {} file(s): {} error(s), {} warning(s), {} info",
            report.files, e, w, i
        ),
    }
}
