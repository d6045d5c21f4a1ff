//! `--summary csv|json FILE`: the run's per-report summary as a table for a spreadsheet or a
//! script, written beside whatever `--format` writes. One row per report: its files, title,
//! stated score (the number, without 分), grade, error / warning / info counts and whether a
//! file of it could not be read.
//!
//! CSV: a header row (Chinese by default, English with `--lang en`), RFC 4180 quoting, CRLF line
//! ends, UTF-8 with a byte-order mark so that Excel opens the Chinese text as such; a text cell
//! that Excel would take for a formula (=, +, -, @, tab, CR first) gets a leading '. JSON: an
//! array of objects with fixed English keys, whatever the language:
//!
//! ```json
//! [{"report": "甲局", "paths": ["甲局/报告.txt", "甲局/表.xlsx"], "title": "…",
//!   "stated_score": "91.00", "grade": "优", "errors": 0, "warnings": 1, "infos": 2,
//!   "unreadable": false}]
//! ```

use crate::Report;
use crate::diagnostic::Lang;
use crate::summaries::SummaryRow;
use serde_json::{Map, Value};

/// The stated score as a number's text: "91.00分" → "91.00".
fn score(row: &SummaryRow) -> Option<String> {
    row.stated_score
        .map(|s| s.trim().trim_end_matches('分').trim().to_string())
}

/// The summary as a JSON array, one object per report in the run's order.
pub fn json(report: &Report) -> String {
    let rows: Vec<Value> = report
        .bundles
        .iter()
        .map(|r| {
            let mut m = Map::new();
            let opt = |v: Option<String>| v.map_or(Value::Null, Value::String);
            m.insert("report".into(), r.name.into());
            m.insert(
                "paths".into(),
                Value::Array(r.paths().map(Value::from).collect()),
            );
            m.insert("title".into(), opt(r.title.map(str::to_string)));
            m.insert("stated_score".into(), opt(score(&r)));
            m.insert("grade".into(), opt(r.stated_grade.map(str::to_string)));
            m.insert("errors".into(), r.errors.into());
            m.insert("warnings".into(), r.warnings.into());
            m.insert("infos".into(), r.infos.into());
            m.insert("unreadable".into(), (!r.unreadable.is_empty()).into());
            Value::Object(m)
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&Value::Array(rows)).unwrap_or_default();
    out.push('\n');
    out
}

/// One CSV field: a text Excel would read as a formula gets a leading ', and a field holding a
/// comma, quote or line break is quoted, its quotes doubled.
fn field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The summary as CSV: a byte-order mark, a header row, then one row per report.
pub fn csv(report: &Report, lang: Lang) -> String {
    let header = match lang {
        Lang::Zh => "报告,文件,标题,自评分,等级,错误,警告,提示,有未能读取的文件",
        Lang::En => "report,paths,title,stated_score,grade,errors,warnings,infos,unreadable",
    };
    let mut out = String::from("\u{FEFF}");
    out.push_str(header);
    out.push_str("\r\n");
    for r in report.bundles.iter() {
        let paths: Vec<&str> = r.paths().collect();
        let cells = [
            field(r.name),
            field(&paths.join("; ")),
            field(r.title.unwrap_or_default()),
            field(&score(&r).unwrap_or_default()),
            field(r.stated_grade.unwrap_or_default()),
            r.errors.to_string(),
            r.warnings.to_string(),
            r.infos.to_string(),
            (!r.unreadable.is_empty()).to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("甲局"), "甲局");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("-1,2"), "\"'-1,2\"");
        assert_eq!(field("两行\n文字"), "\"两行\n文字\"");
    }
}
