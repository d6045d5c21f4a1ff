//! suanpan (算盘): a linter for Chinese budget-performance self-evaluation reports.
//!
//! Stages are kept apart: `source` decodes files → `extract` turns text into located `fact`s →
//! `check` evaluates relations over facts into `diagnostic::Finding`s → `render` prints them.
//! ARCHITECTURE.md has the map.

pub mod check;
pub mod diagnostic;
pub mod extract;
pub mod fact;
pub mod quantity;
pub mod render;
pub mod settings;
pub mod source;

use diagnostic::{Finding, Place, Severity, Source, Text};
use settings::Settings;
use source::{InputError, Kind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The outcome of a run: every finding, in a deterministic order, and how many files were read.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// One input document after reading and extraction: its source, its facts, and any findings the
/// reader itself produced (a text in a numeric cell, a formula without a cached value …).
#[derive(Debug)]
pub struct Document {
    pub source: Arc<Source>,
    pub facts: Vec<fact::Fact>,
    pub findings: Vec<Finding>,
}

/// The files of one report: a narrative and its sheets, checked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub files: Vec<PathBuf>,
}

/// Checks every given file, and every report file found under each given directory.
pub fn check_paths(paths: &[PathBuf], settings: &Settings) -> Report {
    let mut report = Report::default();
    for bundle in bundles(paths) {
        report.files += bundle.files.len();
        report.findings.extend(check_bundle(&bundle, settings));
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// Groups the files under the given paths into report bundles: files in one directory with the
/// same stem (报告.txt + 报告.xlsx) are one report; so are all the files of a directory that holds
/// a single narrative (one directory per report). Bundles come in path order.
pub fn bundles(paths: &[PathBuf]) -> Vec<Bundle> {
    use std::collections::BTreeMap;
    let files: Vec<PathBuf> = paths.iter().flat_map(|p| walk(p)).collect();
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for f in files {
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        by_dir.entry(dir).or_default().push(f);
    }
    let mut out = Vec::new();
    for (_, files) in by_dir {
        let narratives = files
            .iter()
            .filter(|f| matches!(source::kind_of(f), Kind::Narrative | Kind::Docx))
            .count();
        let workbooks = files
            .iter()
            .filter(|f| source::kind_of(f) == Kind::Workbook)
            .count();
        if narratives == 1 && workbooks >= 1 {
            let (report, rest): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| {
                matches!(
                    source::kind_of(f),
                    Kind::Narrative | Kind::Docx | Kind::Workbook
                )
            });
            out.push(Bundle { files: report });
            out.extend(rest.into_iter().map(|f| Bundle { files: vec![f] }));
            continue;
        }
        let mut by_stem: BTreeMap<std::ffi::OsString, Vec<PathBuf>> = BTreeMap::new();
        for f in files {
            let stem = f.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
            by_stem.entry(stem).or_default().push(f);
        }
        out.extend(by_stem.into_values().map(|files| Bundle { files }));
    }
    out
}

/// The files to check under a path: the path itself if it is a file, else the report files
/// below it, skipping hidden files and Office lock files, in name order.
pub fn walk(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temp(e.file_name()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| source::kind_of(p) != Kind::Other)
        .collect();
    files.sort();
    files
}

fn is_hidden_or_temp(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with("~$") || name.ends_with('~') || name.ends_with(".tmp")
}

/// Reads, extracts and checks one bundle: each document's own checks, then the checks across
/// its documents.
pub fn check_bundle(bundle: &Bundle, settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut docs = Vec::new();
    for path in &bundle.files {
        match read_document(path, settings) {
            Ok(doc) => docs.push(doc),
            Err(e) => findings.push(input_finding(path, e)),
        }
    }
    for doc in &mut docs {
        findings.append(&mut doc.findings);
        findings.extend(check_document(doc, settings));
    }
    check::cross::check(&docs, settings, &mut findings);
    findings
}

/// Reads one file into a document, by its kind.
pub fn read_document(path: &Path, settings: &Settings) -> Result<Document, InputError> {
    match source::kind_of(path) {
        Kind::Narrative | Kind::Other => {
            let bytes = source::read_bounded(path, source::text::MAX_TEXT_BYTES)?;
            let (text, _) = source::text::decode(&bytes)?;
            Ok(narrative_document(
                Source::new(path.to_path_buf(), text),
                settings,
            ))
        }
        Kind::Unsupported(convert_to) => Err(InputError::Unsupported {
            ext: extension(path),
            convert_to,
        }),
        Kind::Docx => {
            let bytes = source::read_bounded(path, source::text::MAX_TEXT_BYTES)?;
            let text = source::docx::text_of(&bytes)?;
            Ok(narrative_document(
                Source::new(path.to_path_buf(), text),
                settings,
            ))
        }
        Kind::Workbook => {
            let book = source::sheet::read(path)?;
            let source = Source::new(path.to_path_buf(), String::new());
            let (facts, findings) = check::sheet::check_workbook(&source, &book, settings);
            Ok(Document {
                source,
                facts,
                findings,
            })
        }
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Extracts the facts of a decoded narrative, and checks the evaluation tables written in it
/// (pipe tables, tab-separated rows, one cell per line) with the sheet rules.
pub fn narrative_document(source: Arc<Source>, settings: &Settings) -> Document {
    let facts = extract::narrative::extract(&source, settings);
    let mut findings = Vec::new();
    for table in extract::text_table::find(&source.text) {
        let (mut table_facts, mut table_findings) = (Vec::new(), Vec::new());
        check::sheet::check_sheet(
            &source,
            &table.sheet,
            settings,
            false,
            &mut table_facts,
            &mut table_findings,
        );
        findings.extend(
            table_findings
                .into_iter()
                .map(|f| relocate(f, &source, &table)),
        );
    }
    Document {
        source,
        facts,
        findings,
    }
}

/// Points the cell labels of a finding about a table in a text at the cells' text.
fn relocate(
    mut f: Finding,
    source: &Arc<Source>,
    table: &extract::text_table::TextTable,
) -> Finding {
    for l in &mut f.labels {
        let span = match l.place {
            Place::Cell { row, col, .. } => table.span(row, col),
            _ => None,
        };
        if let Some((start, end)) = span {
            l.place = Place::Text { start, end };
            l.source = source.clone();
        }
    }
    f.source = source.clone();
    f
}

/// The fact checks of one document; a note when it has no figures at all.
pub fn check_document(doc: &Document, settings: &Settings) -> Vec<Finding> {
    // Workbooks are checked as tables when read (check::sheet); the fact checks are narrative.
    if source::kind_of(&doc.source.path) == Kind::Workbook {
        return Vec::new();
    }
    if doc.facts.is_empty() {
        return vec![
            Finding::new(
                &check::input::NO_FIGURES,
                doc.source.clone(),
                Text::new(
                    "没有识别出可核对的预算、执行、得分或等级数字",
                    "no budget, spending, score or grade figure was recognised",
                ),
            )
            .label(&doc.source, Place::File, Text::new("", "")),
        ];
    }
    let ctx = check::Context {
        facts: &doc.facts,
        settings,
        primary: &doc.source,
    };
    check::run(&ctx)
}

/// Checks one decoded narrative on its own (tests and embedding).
pub fn check_narrative(src: &Arc<Source>, settings: &Settings) -> Vec<Finding> {
    check_document(&narrative_document(src.clone(), settings), settings)
}

/// A finding for a file that could not be read.
pub fn input_finding(path: &Path, err: InputError) -> Finding {
    let rule = match err {
        InputError::Unsupported { .. } => &check::input::UNSUPPORTED,
        _ => &check::input::UNREADABLE,
    };
    let src = Source::new(path.to_path_buf(), String::new());
    Finding::new(rule, src.clone(), err.describe()).label(&src, Place::File, Text::new("", ""))
}
