//! A pretty-printed JSON document written piece by piece: everything before one of its arrays,
//! then the array's elements as they come, then everything after it. The output is byte for byte
//! what `serde_json::to_string_pretty` gives for the whole document, because the parts around the
//! array are cut out of that very function's output for a skeleton of the document (the array
//! replaced by a marker): the key order (serde_json's map order) and the indentation are
//! serde_json's own, not a copy of them.

use serde_json::Value;
use std::io::{self, Write};

/// Stands for the streamed array in a skeleton document. Control characters are always escaped
/// in serialized JSON, so its serialized form cannot be produced by any other string.
pub(crate) const MARKER: &str = "\u{1}suanpan:streamed-array\u{1}";

/// A document whose marked array is being written.
pub(crate) struct ArrayStream<W: Write> {
    out: W,
    /// What was written before the array, to check the closing skeleton against it.
    head: String,
    /// The indentation of the line that holds the array (its closing bracket goes there).
    indent: String,
    /// Elements written so far.
    len: usize,
    /// A reused buffer for one element.
    buf: Vec<u8>,
}

/// The pretty-printed skeleton split around its marker: (before, after).
fn split(skeleton: &Value) -> io::Result<(String, String)> {
    let text = serde_json::to_string_pretty(skeleton)?;
    let marker = serde_json::to_string(MARKER)?;
    let mut parts = text.split(&marker);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(head), Some(tail), None) => Ok((head.to_string(), tail.to_string())),
        _ => Err(io::Error::other(
            "internal error: the streamed document's skeleton must hold its marker once",
        )),
    }
}

impl<W: Write> ArrayStream<W> {
    /// Writes the document up to its marked array (not included).
    pub(crate) fn begin(mut out: W, skeleton: &Value) -> io::Result<Self> {
        let (head, _) = split(skeleton)?;
        out.write_all(head.as_bytes())?;
        let line = head.rsplit('\n').next().unwrap_or("");
        let indent = " ".repeat(line.len() - line.trim_start_matches(' ').len());
        Ok(ArrayStream {
            out,
            head,
            indent,
            len: 0,
            buf: Vec::new(),
        })
    }

    /// Writes one element of the array.
    pub(crate) fn element(&mut self, value: &Value) -> io::Result<()> {
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, value)?;
        self.out
            .write_all(if self.len == 0 { b"[" } else { b"," })?;
        // An element sits one level deeper than the array's line. Serialized JSON holds no raw
        // line break inside a string, so every '\n' is a line of the pretty layout.
        for line in self.buf.split(|&b| b == b'\n') {
            self.out.write_all(b"\n")?;
            self.out.write_all(self.indent.as_bytes())?;
            self.out.write_all(b"  ")?;
            self.out.write_all(line)?;
        }
        self.len += 1;
        Ok(())
    }

    /// Closes the array and writes the rest of the document from `skeleton` (the same skeleton
    /// as at the start, with the values only known at the end filled in, such as counts placed
    /// after the array). Returns the writer, flushed.
    pub(crate) fn finish(mut self, skeleton: &Value) -> io::Result<W> {
        let (head, tail) = split(skeleton)?;
        if head != self.head {
            return Err(io::Error::other(
                "internal error: a streamed document changed before its array",
            ));
        }
        if self.len == 0 {
            self.out.write_all(b"[]")?;
        } else {
            self.out.write_all(b"\n")?;
            self.out.write_all(self.indent.as_bytes())?;
            self.out.write_all(b"]")?;
        }
        self.out.write_all(tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Findings of every shape for the renderers' tests: text and cell labels, a whole-file label,
/// no label, expected/found, characters JSON escapes (and the marker itself in a message).
#[cfg(test)]
pub(crate) fn sample() -> crate::Report {
    use crate::check::input::{NO_FIGURES, UNREADABLE, UNSUPPORTED};
    use crate::diagnostic::{Finding, Place, Source, Text};
    let text = "一、基本情况\n年初预算为775.83万元，决算数为884.49万元。\n";
    let narrative = Source::new("部门/自评报告.txt".into(), text.to_string());
    let sheet = Source::new("部门/自评表.xlsx".into(), String::new());
    let other = Source::new("/abs/其他 \"引号\".pdf".into(), String::new());
    let start = text.find("884.49").unwrap_or(0);
    let f1 = Finding::new(
        &UNREADABLE,
        narrative.clone(),
        Text::new(
            "决算数与自评表不一致",
            "the actual \"differs\"\n\tfrom \\ the sheet",
        ),
    )
    .label(
        &narrative,
        Place::Text {
            start,
            end: start + 6,
        },
        Text::new("报告中的决算数", "actual in the report"),
    )
    .label(
        &sheet,
        Place::Cell {
            sheet: "自评表".into(),
            row: 11,
            col: 3,
        },
        Text::new("表中的全年执行数", ""),
    )
    .expected_found("884.49", "884.94");
    let f2 = Finding::new(&NO_FIGURES, sheet.clone(), Text::new(MARKER, MARKER)).label(
        &sheet,
        Place::Cell {
            sheet: "Sheet1".into(),
            row: 0,
            col: 27,
        },
        Text::new("", ""),
    );
    let f3 = Finding::new(
        &UNSUPPORTED,
        other.clone(),
        Text::new("不支持", "unsupported"),
    )
    .label(&other, Place::File, Text::new("", ""));
    let f4 = Finding::new(&UNREADABLE, other, Text::new("无标注", "no label"));
    crate::Report {
        findings: vec![f1, f2, f3, f4],
        files: 3,
        bundles: crate::Summaries::default(),
    }
}
