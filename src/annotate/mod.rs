//! Annotated copies (`check --annotate OUTDIR`): for each input file with findings, a copy in
//! which the author sees them where they are — a 批注 (comment) on each labelled cell of a
//! workbook or span of a Word document, a fill by severity on the cells, and a first sheet
//! "suanpan" listing a workbook's findings with links to their cells.
//!
//! Nothing here computes a finding: the notes are the findings' own messages and labels. The
//! inputs are only read. An .xlsx/.xlsm copy is the original package with parts added and a few
//! edited (`xlsx`), so values, formulas, cached values, merged cells, widths, formats and the
//! other sheets stay as they were; .xls/.xlsb/.ods are written out as .xlsx from the values
//! suanpan read (`convert`), without their formulas and formatting; a .docx copy is the original
//! with comments anchored on the figures' characters (`docx`). Text files get no copy.

pub mod convert;
pub mod docx;
mod package;
pub mod xlsx;

use crate::diagnostic::{Finding, Place, Severity, Source, cell_name};
use crate::lang::{Lang, Text};
use crate::source::{self, Kind};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// One finding as it is noted at one place of one file.
#[derive(Debug, Clone)]
pub struct Note {
    pub severity: Severity,
    pub code: &'static str,
    pub rule: &'static str,
    pub message: String,
    /// What the label says of this place (empty for a finding with no place in the file).
    pub label: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub place: Place,
}

impl Note {
    /// The comment's lines: the finding, what this place is, expected and found.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut lines = vec![format!(
            "{} {}（{}）：{}",
            self.code,
            self.rule,
            severity_word(self.severity, lang),
            self.message
        )];
        if lang == Lang::En {
            lines[0] = format!(
                "{} {} ({}): {}",
                self.code,
                self.rule,
                severity_word(self.severity, lang),
                self.message
            );
        }
        if !self.label.is_empty() {
            lines.push(match lang {
                Lang::Zh => format!("此处：{}", self.label),
                Lang::En => format!("here: {}", self.label),
            });
        }
        if let (Some(e), Some(f)) = (&self.expected, &self.found) {
            lines.push(match lang {
                Lang::Zh => format!("应为：{e}；实为：{f}"),
                Lang::En => format!("expected: {e}; found: {f}"),
            });
        }
        lines
    }
}

/// The column heads of the "suanpan" summary sheet, in the chosen language.
pub fn summary_heads(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => [
            "级别", "规则", "名称", "位置", "说明", "此处", "应为", "实为",
        ],
        Lang::En => [
            "severity", "rule", "name", "place", "message", "here", "expected", "found",
        ],
    }
}

/// The first line of the summary sheet: how many findings, what was marked, and `tail` (what
/// became of the original), in the chosen language.
pub fn summary_title(findings: usize, lang: Lang, tail: &Text) -> String {
    match lang {
        Lang::Zh => format!(
            "suanpan 核对结果：{findings} 处（单元格已加批注并按级别着色：红＝错误，黄＝警告，蓝＝提示）；点“位置”跳到该单元格。{}",
            tail.zh
        ),
        Lang::En => format!(
            "suanpan findings: {findings} (cells carry a note and a fill by severity: red = error, yellow = warning, blue = info); click a place to go to its cell. {}",
            tail.en
        ),
    }
}

pub fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
        (Severity::Info, Lang::Zh) => "提示",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Info, Lang::En) => "info",
    }
}

/// The notes of one file from a bundle's findings: a note per label in the file, and one with
/// no place for a finding of the file with no label in it. In findings order.
pub fn notes_for(path: &Path, findings: &[Finding], lang: Lang) -> Vec<Note> {
    let mut notes = Vec::new();
    for f in findings {
        let note = |place: Place, label: String| Note {
            severity: f.severity,
            code: f.rule.code,
            rule: f.rule.name,
            message: f.message.get(lang).to_string(),
            label,
            expected: f.expected.clone(),
            found: f.found.clone(),
            place,
        };
        let mut any = false;
        for l in f.labels.iter().filter(|l| l.source.path == path) {
            if matches!(l.place, Place::File) {
                continue;
            }
            any = true;
            notes.push(note(l.place.clone(), l.text.get(lang).to_string()));
        }
        if !any && f.source.path == path {
            notes.push(note(Place::File, String::new()));
        }
    }
    notes
}

/// The source suanpan read a file into, from the findings that point into it.
fn source_of(path: &Path, findings: &[Finding]) -> Option<Arc<Source>> {
    findings.iter().find_map(|f| {
        f.labels
            .iter()
            .map(|l| &l.source)
            .chain(std::iter::once(&f.source))
            .find(|s| s.path == path && (!s.text.is_empty() || !s.sheets.is_empty()))
            .cloned()
    })
}

/// What became of one input file.
#[derive(Debug)]
pub enum Outcome {
    /// A copy was written, with this many notes; `converted` when a workbook was written out as
    /// .xlsx from its values (formulas and formatting not carried over).
    Written {
        path: PathBuf,
        notes: usize,
        converted: bool,
    },
    /// No copy, and why (a text file; a file that could not be read).
    NoCopy(Text),
    /// The copy could not be made or written.
    Failed(Text),
}

/// Where a file's copy goes under `outdir`: its path relative to the argument it was found
/// under — the folder's own name, then the path inside it; a file given by itself, its name.
/// A converted workbook keeps its own name with `.xlsx` added (报告.xls → 报告.xls.xlsx), so that
/// it never takes the place of a copy of 报告.xlsx beside it.
pub fn target(file: &Path, args: &[PathBuf], outdir: &Path) -> PathBuf {
    let arg = args
        .iter()
        .filter(|a| file.starts_with(a))
        .max_by_key(|a| a.components().count());
    let rel: PathBuf = match arg {
        Some(a) if a.as_path() != file => {
            let inside = file.strip_prefix(a).unwrap_or(file);
            let name = a
                .components()
                .rev()
                .find_map(|c| match c {
                    Component::Normal(n) => Some(PathBuf::from(n)),
                    _ => None,
                })
                .unwrap_or_default();
            name.join(inside)
        }
        _ => file.file_name().map(PathBuf::from).unwrap_or_default(),
    };
    // Only plain components: nothing climbs out of `outdir`.
    let rel: PathBuf = rel
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    let mut out = outdir.join(rel);
    if converts(file) {
        let mut name = out.file_name().unwrap_or_default().to_os_string();
        name.push(".xlsx");
        out.set_file_name(name);
    }
    out
}

/// Whether a workbook is written out as .xlsx rather than edited.
fn converts(file: &Path) -> bool {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(ext.as_str(), "xls" | "xlsb" | "ods")
}

/// Makes the annotated copy of one file from its bundle's findings, written to `out`.
pub fn annotate_file(file: &Path, findings: &[Finding], out: &Path, lang: Lang) -> Outcome {
    let notes = notes_for(file, findings, lang);
    let of_file = |code: &str| {
        findings
            .iter()
            .any(|f| f.source.path == file && f.rule.code == code)
    };
    if of_file(crate::check::input::UNSUPPORTED.code) {
        return Outcome::NoCopy(Text::new(
            "不支持的格式，不生成副本",
            "a format suanpan does not read: no copy",
        ));
    }
    if of_file(crate::check::input::UNREADABLE.code) {
        return Outcome::NoCopy(Text::new(
            "文件未能读取，不生成副本",
            "the file could not be read: no copy",
        ));
    }
    let kind = source::kind_of(file);
    if matches!(kind, Kind::Narrative | Kind::Other) {
        return Outcome::NoCopy(Text::new(
            "文本文件不生成批注副本（问题见终端或 HTML 报告）",
            "a text file gets no annotated copy (see the terminal or the HTML report)",
        ));
    }
    let bytes = match kind {
        Kind::Workbook if converts(file) => None,
        Kind::Workbook => Some(source::read_bounded(
            file,
            source::sheet::MAX_WORKBOOK_BYTES,
        )),
        _ => Some(source::read_bounded(file, source::text::MAX_TEXT_BYTES)),
    };
    let bytes = match bytes.transpose() {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e.describe()),
    };
    let converted = bytes.is_none();
    let made = match (kind, bytes) {
        (Kind::Docx, Some(bytes)) => match source_of(file, findings) {
            Some(src) => docx::annotate(&bytes, &src.text, &notes, lang),
            None => docx::annotate(&bytes, "", &notes, lang),
        },
        (_, Some(bytes)) => xlsx::annotate(&bytes, &notes, lang),
        (_, None) => match source_of(file, findings) {
            Some(src) => convert::annotate(&src.sheets, &notes, lang),
            None => Err(Text::new(
                "工作簿没有读到单元格，不生成副本",
                "no cells were read from the workbook: no copy",
            )),
        },
    };
    let copy = match made {
        Ok(copy) => copy,
        Err(why) => return Outcome::Failed(why),
    };
    if let Some(dir) = out.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return Outcome::Failed(io_text(dir, &e));
    }
    match std::fs::write(out, copy) {
        Ok(()) => Outcome::Written {
            path: out.to_path_buf(),
            notes: notes.len(),
            converted,
        },
        Err(e) => Outcome::Failed(io_text(out, &e)),
    }
}

fn io_text(path: &Path, e: &std::io::Error) -> Text {
    Text::new(
        format!("无法写入 {}：{e}", path.display()),
        format!("cannot write {}: {e}", path.display()),
    )
}

/// A run's annotated copies: where they go, what was written, and the lines that say so.
pub struct Annotator {
    outdir: PathBuf,
    args: Vec<PathBuf>,
    lang: Lang,
    written: std::collections::HashSet<PathBuf>,
    /// Copies written.
    pub copies: usize,
    /// Files with no finding (no copy).
    pub clean: usize,
    /// Copies that could not be made or written.
    pub failed: usize,
}

impl Annotator {
    pub fn new(outdir: &Path, args: &[PathBuf], lang: Lang) -> Self {
        Annotator {
            outdir: outdir.to_path_buf(),
            args: args.to_vec(),
            lang,
            written: std::collections::HashSet::new(),
            copies: 0,
            clean: 0,
            failed: 0,
        }
    }

    /// Refuses an output folder whose copies would overwrite an input (or that is a file):
    /// the message, before anything is checked.
    pub fn refuse(&self, inputs: &[&Path]) -> Option<String> {
        if self.outdir.is_file() {
            return Some(match self.lang {
                Lang::Zh => format!("--annotate：{} 是文件，不是文件夹", self.outdir.display()),
                Lang::En => format!(
                    "--annotate: {} is a file, not a folder",
                    self.outdir.display()
                ),
            });
        }
        let canonical: std::collections::HashSet<PathBuf> = inputs
            .iter()
            .filter_map(|f| f.canonicalize().ok())
            .collect();
        for f in inputs {
            let t = target(f, &self.args, &self.outdir);
            if t.canonicalize().is_ok_and(|t| canonical.contains(&t)) {
                return Some(match self.lang {
                    Lang::Zh => format!(
                        "--annotate：{} 的副本会写到 {}，那是被检查的文件之一，不会覆盖；请换一个输出文件夹",
                        f.display(),
                        t.display()
                    ),
                    Lang::En => format!(
                        "--annotate: the copy of {} would be written to {}, which is one of the inputs; it will not be overwritten: choose another folder",
                        f.display(),
                        t.display()
                    ),
                });
            }
        }
        None
    }

    /// A warning when the output folder lies inside a folder being checked: a later run over
    /// that folder would check the copies too.
    pub fn inside_inputs(&self) -> Option<String> {
        // The folder may not exist yet: its nearest existing ancestor, canonical, then the rest.
        let abs = std::path::absolute(&self.outdir).ok()?;
        let (base, rest) = abs.ancestors().find_map(|a| {
            let c = a.canonicalize().ok()?;
            Some((c, abs.strip_prefix(a).ok()?.to_path_buf()))
        })?;
        let out = base.join(rest);
        let arg = self
            .args
            .iter()
            .filter(|a| a.is_dir())
            .find(|a| a.canonicalize().is_ok_and(|a| out.starts_with(a)))?;
        Some(match self.lang {
            Lang::Zh => format!(
                "注意：批注副本写在被检查的文件夹 {} 之内，下次检查这个文件夹时也会检查这些副本",
                arg.display()
            ),
            Lang::En => format!(
                "note: the annotated copies are written inside {}, a folder being checked: a later run over it will check them too",
                arg.display()
            ),
        })
    }

    /// Makes the copies of a bundle's files that have findings; returns a line per file with
    /// findings, saying what became of it.
    pub fn bundle(&mut self, findings: &[Finding], files: &[PathBuf]) -> Vec<String> {
        let mut lines = Vec::new();
        for file in files {
            if notes_for(file, findings, self.lang).is_empty() {
                self.clean += 1;
                continue;
            }
            let out = target(file, &self.args, &self.outdir);
            let outcome = if self.written.contains(&out) {
                Outcome::Failed(Text::new(
                    format!("副本路径 {} 与另一个文件的副本相同，未写出", out.display()),
                    format!(
                        "its copy's path {} is another file's copy's: not written",
                        out.display()
                    ),
                ))
            } else {
                annotate_file(file, findings, &out, self.lang)
            };
            let file = file.display();
            lines.push(match (outcome, self.lang) {
                (Outcome::Written { path, notes, converted }, lang) => {
                    self.copies += 1;
                    self.written.insert(path.clone());
                    let path = path.display();
                    match (lang, converted) {
                        (Lang::Zh, false) => format!("批注副本 {path}：{notes} 处批注（原文件 {file} 未改动）"),
                        (Lang::Zh, true) => format!(
                            "批注副本 {path}：{notes} 处批注；由 {file} 读到的值另存为 .xlsx，原表的公式和格式没有带过来"
                        ),
                        (Lang::En, false) => format!("annotated copy {path}: {notes} note(s) ({file} unchanged)"),
                        (Lang::En, true) => format!(
                            "annotated copy {path}: {notes} note(s); written as .xlsx from the values read from {file}: its formulas and formatting were not carried over"
                        ),
                    }
                }
                (Outcome::NoCopy(why), Lang::Zh) => format!("{file}：{}", why.zh),
                (Outcome::NoCopy(why), Lang::En) => format!("{file}: {}", why.en),
                (Outcome::Failed(why), Lang::Zh) => {
                    self.failed += 1;
                    format!("{file}：未能生成批注副本：{}", why.zh)
                }
                (Outcome::Failed(why), Lang::En) => {
                    self.failed += 1;
                    format!("{file}: no annotated copy: {}", why.en)
                }
            });
        }
        lines
    }

    /// The closing line.
    pub fn closing(&self) -> String {
        let dir = self.outdir.display();
        match self.lang {
            Lang::Zh => format!(
                "批注副本：{} 个写到 {dir}；{} 个文件没有发现问题，不生成副本{}",
                self.copies,
                self.clean,
                if self.failed > 0 {
                    format!("；{} 个未能生成", self.failed)
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "annotated copies: {} written to {dir}; {} file(s) with no finding get none{}",
                self.copies,
                self.clean,
                if self.failed > 0 {
                    format!("; {} could not be made", self.failed)
                } else {
                    String::new()
                }
            ),
        }
    }
}

/// A cell's place as `Sheet!C5`.
pub fn cell_place(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}", cell_name(row, col))
}

/// Escapes text for XML content and attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A change to a part's bytes: at `at`, `remove` bytes replaced by `text`. Edits at one place
/// are applied in `order`.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub at: usize,
    pub order: u32,
    pub remove: usize,
    pub text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            at,
            order: 0,
            remove: 0,
            text: text.into(),
        }
    }

    pub fn replace(range: std::ops::Range<usize>, text: impl Into<String>) -> Self {
        Edit {
            at: range.start,
            order: 1,
            remove: range.len(),
            text: text.into(),
        }
    }
}

/// Applies edits to bytes; edits that overlap one already applied are dropped (they cannot
/// arise from the callers, which edit disjoint tags).
pub(crate) fn splice(src: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.at, e.order));
    let extra: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = Vec::with_capacity(src.len() + extra);
    let mut at = 0;
    for e in edits {
        if e.at < at || e.at > src.len() {
            continue;
        }
        out.extend_from_slice(&src[at..e.at]);
        out.extend_from_slice(e.text.as_bytes());
        at = (e.at + e.remove).min(src.len());
    }
    out.extend_from_slice(&src[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_mirror_the_paths_under_their_argument() {
        let out = Path::new("out");
        let args = vec![PathBuf::from("../shared/seed"), PathBuf::from("a/b.xlsx")];
        assert_eq!(
            target(Path::new("../shared/seed/x/报告.docx"), &args, out),
            PathBuf::from("out/seed/x/报告.docx")
        );
        assert_eq!(
            target(Path::new("a/b.xlsx"), &args, out),
            PathBuf::from("out/b.xlsx")
        );
        let args = vec![PathBuf::from("/abs/dir")];
        assert_eq!(
            target(Path::new("/abs/dir/表.xls"), &args, out),
            PathBuf::from("out/dir/表.xls.xlsx")
        );
        let args = vec![PathBuf::from(".")];
        assert_eq!(
            target(Path::new("./表.ods"), &args, out),
            PathBuf::from("out/表.ods.xlsx")
        );
    }

    #[test]
    fn splice_applies_edits_in_order() {
        let edits = vec![
            Edit::replace(1..2, "B"),
            Edit::insert(1, "x"),
            Edit::insert(3, "yz"),
        ];
        assert_eq!(splice(b"abcd", edits), b"axBcyzd");
    }
}
