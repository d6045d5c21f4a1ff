//! `--format jsonl`: JSON Lines, for pipelines and for runs split across machines (`--shard`):
//! each finding on its own line as the contract's diagnostic object (shared/contract.md), then
//! one line for the report it belongs to. Lines are written report by report in bundle order; a
//! line never depends on another report, so the lines of shards taken together are the lines of
//! the whole run.
//!
//! ```text
//! {"code":"SP0105","rule":"score-sum","severity":"error","message":"…","file":"a/报告.txt","labels":[…]}
//! {"report":"a/报告","title":"…","stated_score":"88.35","files":1,"errors":1,"warnings":0,"infos":0}
//! ```

use crate::BundleSummary;
use crate::diagnostic::{Finding, Lang};
use serde_json::{Map, Value};

/// The lines of one report: its findings, then its summary line.
pub fn render_report(findings: &[Finding], summary: &BundleSummary, lang: Lang) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&super::json::finding(f, lang).to_string());
        out.push('\n');
    }
    out.push_str(&summary_line(summary).to_string());
    out.push('\n');
    out
}

/// A report's summary line: `report` (its name), `title` and `stated_score` when known, and its
/// counts.
fn summary_line(s: &BundleSummary) -> Value {
    let mut m = Map::new();
    m.insert("report".into(), s.name.clone().into());
    if let Some(t) = &s.title {
        m.insert("title".into(), t.clone().into());
    }
    if let Some(score) = &s.stated_score {
        m.insert("stated_score".into(), score.clone().into());
    }
    m.insert("files".into(), s.files.into());
    m.insert("errors".into(), s.errors.into());
    m.insert("warnings".into(), s.warnings.into());
    m.insert("infos".into(), s.infos.into());
    Value::Object(m)
}
