//! `--format json`, exactly as shared/contract.md describes it.

use super::stream::{ArrayStream, MARKER};
use super::text_pos;
use crate::Report;
use crate::diagnostic::{Finding, Label, Lang, Place, Severity, cell_name};
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// The whole document for a report, as one string (library callers and tests; the CLI streams
/// the same bytes with `JsonWriter`).
pub fn render(report: &Report, lang: Lang) -> String {
    let write = || -> io::Result<Vec<u8>> {
        let mut w = JsonWriter::begin(Vec::new(), lang)?;
        w.findings(&report.findings)?;
        w.finish(report.files)
    };
    write()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The document written as the findings come: `begin` writes the opening, `findings` each
/// batch of findings (in the order they are to appear), `finish` the `summary` (counted from the
/// findings written) and the end. The bytes are those of `render` over the same findings.
pub struct JsonWriter<W: Write> {
    stream: ArrayStream<W>,
    lang: Lang,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// The document around its diagnostics (the marker stands for them).
fn skeleton(files: usize, errors: usize, warnings: usize, infos: usize) -> Value {
    json!({
        "tool": {"name": "suanpan", "version": env!("CARGO_PKG_VERSION")},
        "diagnostics": MARKER,
        "summary": {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "infos": infos,
        }
    })
}

impl<W: Write> JsonWriter<W> {
    /// Writes the document up to its first diagnostic.
    pub fn begin(out: W, lang: Lang) -> io::Result<Self> {
        Ok(JsonWriter {
            stream: ArrayStream::begin(out, &skeleton(0, 0, 0, 0))?,
            lang,
            errors: 0,
            warnings: 0,
            infos: 0,
        })
    }

    /// Writes some diagnostics.
    pub fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            self.stream.element(&finding(f, self.lang))?;
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
        Ok(())
    }

    /// Writes the summary (`files` files read) and the end of the document; flushes the writer
    /// and hands it back.
    pub fn finish(self, files: usize) -> io::Result<W> {
        let end = skeleton(files, self.errors, self.warnings, self.infos);
        self.stream.finish(&end)
    }
}

/// One finding as the contract's diagnostic object.
pub fn finding(f: &Finding, lang: Lang) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::stream::sample;

    /// The renderer as it was before it streamed: the whole document as one value, printed.
    fn whole(report: &Report, lang: Lang) -> String {
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
        let mut out = serde_json::to_string_pretty(&doc).expect("a value prints");
        out.push('\n');
        out
    }

    #[test]
    fn streamed_in_batches_is_the_whole_document() {
        for lang in [Lang::Zh, Lang::En] {
            for n in 0..=sample().findings.len() {
                let mut full = sample();
                full.findings.truncate(n);
                let expected = whole(&full, lang);
                assert_eq!(render(&full, lang), expected);
                // Batches of every size, an empty one among them.
                for size in 1..=n.max(1) {
                    let mut w = JsonWriter::begin(Vec::new(), lang).expect("begin");
                    w.findings(&[]).expect("an empty batch");
                    for batch in full.findings.chunks(size) {
                        w.findings(batch).expect("a batch");
                    }
                    let out = w.finish(full.files).expect("finish");
                    assert_eq!(
                        String::from_utf8(out).expect("UTF-8"),
                        expected,
                        "{n} {size}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_write_error_is_returned() {
        assert!(JsonWriter::begin(FailingWriter, Lang::Zh).is_err());
    }

    /// A closed pipe.
    struct FailingWriter;

    impl Write for FailingWriter {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
