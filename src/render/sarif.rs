//! `--format sarif`: SARIF 2.1.0 (OASIS), with every rule's metadata in `tool.driver.rules`.
//! Text labels become regions (columns in Unicode code points, as `columnKind` says); sheet
//! cells become a logical location `Sheet!Cell` (kind `cell`), with the sheet and cell also in
//! the location's properties. A workbook has no lines, but code-scanning UIs (GitHub's among
//! them) show only results whose physical location has a region with a `startLine`: a cell's
//! region is line 1 with the cell's `Sheet!Cell` as its message, and a whole-file label (a file
//! that could not be read) is line 1.

use super::stream::{ArrayStream, MARKER};
use super::text_pos;
use crate::Report;
use crate::check;
use crate::diagnostic::{Finding, Label, Lang, Place, Rule, Severity, cell_name};
use serde_json::{Value, json};
use std::io::{self, Write};
use std::path::Path;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(r: &Rule, lang: Lang) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary(lang)},
        "fullDescription": {"text": r.doc(lang)},
        "help": {"text": r.doc(lang), "markdown": r.doc(lang)},
        "defaultConfiguration": {"level": level(r.severity)},
    })
}

/// A path as a URI reference: relative paths stay relative, absolute ones become file URIs;
/// everything but unreserved characters and `/` is percent-encoded.
pub fn uri(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(s.len());
    if path.is_absolute() {
        out.push_str("file://");
        if !s.starts_with('/') {
            out.push('/');
        }
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(l: &Label, lang: Lang, id: Option<usize>) -> Value {
    let mut loc = serde_json::Map::new();
    let mut physical = json!({"artifactLocation": {"uri": uri(&l.source.path)}});
    if let Some(p) = text_pos(l) {
        physical["region"] = json!({
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        });
    } else if let Place::Cell { sheet, row, col } = &l.place {
        let name = format!("{sheet}!{}", cell_name(*row, *col));
        physical["region"] = json!({"startLine": 1, "message": {"text": name}});
    } else {
        physical["region"] = json!({"startLine": 1});
    }
    loc.insert("physicalLocation".into(), physical);
    if let Place::Cell { sheet, row, col } = &l.place {
        let cell = cell_name(*row, *col);
        loc.insert(
            "logicalLocations".into(),
            json!([{"name": cell, "fullyQualifiedName": format!("{sheet}!{cell}"), "kind": "cell"}]),
        );
        loc.insert("properties".into(), json!({"sheet": sheet, "cell": cell}));
    }
    let text = l.text.get(lang);
    if !text.is_empty() {
        loc.insert("message".into(), json!({"text": text}));
    }
    if let Some(id) = id {
        loc.insert("id".into(), id.into());
    }
    Value::Object(loc)
}

/// The whole log for a report, as one string (library callers and tests; the CLI streams the
/// same bytes with `SarifWriter`).
pub fn render(report: &Report, lang: Lang) -> String {
    let write = || -> io::Result<Vec<u8>> {
        let mut w = SarifWriter::begin(Vec::new(), lang)?;
        w.findings(&report.findings)?;
        w.finish()
    };
    write()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The SARIF log written as the findings come: `begin` writes everything before the first
/// result, `findings` each batch of results (in the order they are to appear), `finish` the end
/// of `results` and everything after it. `tool.driver.rules` lists every rule whether it occurs
/// or not (results point into it with `ruleIndex`), so nothing in the log depends on the results
/// but the results themselves. The bytes are those of `render` over the same findings.
pub struct SarifWriter<W: Write> {
    stream: ArrayStream<W>,
    lang: Lang,
    rules: Vec<&'static Rule>,
}

/// The log around its results (the marker stands for them).
fn skeleton(rules: &[&'static Rule], lang: Lang) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "suanpan",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| rule_descriptor(r, lang)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": MARKER,
        }]
    })
}

impl<W: Write> SarifWriter<W> {
    /// Writes the log up to its first result.
    pub fn begin(out: W, lang: Lang) -> io::Result<Self> {
        let rules = check::all_rules();
        Ok(SarifWriter {
            stream: ArrayStream::begin(out, &skeleton(&rules, lang))?,
            lang,
            rules,
        })
    }

    /// Writes some results.
    pub fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            self.stream.element(&result(f, self.lang, &self.rules))?;
        }
        Ok(())
    }

    /// Writes the end of the log; flushes the writer and hands it back.
    pub fn finish(self) -> io::Result<W> {
        self.stream.finish(&skeleton(&self.rules, self.lang))
    }
}

/// One finding as a SARIF result.
fn result(f: &Finding, lang: Lang, rules: &[&'static Rule]) -> Value {
    let mut r = json!({
        "ruleId": f.rule.code,
        "level": level(f.severity),
        "message": {"text": f.message.get(lang)},
    });
    if let Some(i) = rules.iter().position(|x| x.code == f.rule.code) {
        r["ruleIndex"] = i.into();
    }
    let primary = match f.labels.first() {
        Some(l) => location(l, lang, None),
        None => json!({"physicalLocation": {"artifactLocation": {"uri": uri(&f.source.path)}}}),
    };
    r["locations"] = json!([primary]);
    let related: Vec<Value> = f
        .labels
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, l)| location(l, lang, Some(i)))
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = related.into();
    }
    let mut props = serde_json::Map::new();
    props.insert("name".into(), f.rule.name.into());
    if let Some(e) = &f.expected {
        props.insert("expected".into(), e.as_str().into());
    }
    if let Some(e) = &f.found {
        props.insert("found".into(), e.as_str().into());
    }
    r["properties"] = Value::Object(props);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::stream::sample;

    /// The renderer as it was before it streamed: the whole log as one value, printed.
    fn whole(report: &Report, lang: Lang) -> String {
        let rules = check::all_rules();
        let results: Vec<Value> = report
            .findings
            .iter()
            .map(|f| result(f, lang, &rules))
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "suanpan",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|r| rule_descriptor(r, lang)).collect::<Vec<_>>(),
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }]
        });
        let mut out = serde_json::to_string_pretty(&doc).expect("a value prints");
        out.push('\n');
        out
    }

    #[test]
    fn streamed_in_batches_is_the_whole_log() {
        for lang in [Lang::Zh, Lang::En] {
            for n in 0..=sample().findings.len() {
                let mut full = sample();
                full.findings.truncate(n);
                let expected = whole(&full, lang);
                assert_eq!(render(&full, lang), expected);
                for size in 1..=n.max(1) {
                    let mut w = SarifWriter::begin(Vec::new(), lang).expect("begin");
                    w.findings(&[]).expect("an empty batch");
                    for batch in full.findings.chunks(size) {
                        w.findings(batch).expect("a batch");
                    }
                    let out = w.finish().expect("finish");
                    assert_eq!(
                        String::from_utf8(out).expect("UTF-8"),
                        expected,
                        "{n} {size}"
                    );
                }
            }
        }
    }
}
