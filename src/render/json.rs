//! `--format json`, exactly as shared/contract.md describes it.

use super::text_pos;
use crate::Report;
use crate::diagnostic::{Finding, Label, Lang, Place, Severity, cell_name};
use serde_json::{Map, Value, json};

pub fn render(report: &Report, lang: Lang) -> String {
    let diagnostics: Vec<Value> = report.findings.iter().map(|f| finding(f, lang)).collect();
    let doc = json!({
        "tool": {"name": "suanpan", "version": env!("CARGO_PKG_VERSION")},
        "diagnostics": diagnostics,
        "summary": {
            "files": report.files,
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
        }
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn finding(f: &Finding, lang: Lang) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), f.rule.code.into());
    m.insert("rule".into(), f.rule.name.into());
    m.insert("severity".into(), f.severity.as_str().into());
    m.insert("message".into(), f.message.get(lang).into());
    m.insert("file".into(), f.source.display_path().into());
    m.insert(
        "labels".into(),
        f.labels.iter().map(|l| label(l, lang)).collect(),
    );
    if let Some(e) = &f.expected {
        m.insert("expected".into(), e.as_str().into());
    }
    if let Some(e) = &f.found {
        m.insert("found".into(), e.as_str().into());
    }
    Value::Object(m)
}

fn label(l: &Label, lang: Lang) -> Value {
    let mut m = Map::new();
    m.insert("file".into(), l.source.display_path().into());
    if let Some(p) = text_pos(l) {
        m.insert("line".into(), p.line.into());
        m.insert("column".into(), p.column.into());
        m.insert("end_line".into(), p.end_line.into());
        m.insert("end_column".into(), p.end_column.into());
        m.insert("byte_start".into(), p.byte_start.into());
        m.insert("byte_end".into(), p.byte_end.into());
    }
    if let Place::Cell { sheet, row, col } = &l.place {
        m.insert("sheet".into(), sheet.as_str().into());
        m.insert("cell".into(), cell_name(*row, *col).into());
    }
    m.insert("label".into(), l.text.get(lang).into());
    Value::Object(m)
}
