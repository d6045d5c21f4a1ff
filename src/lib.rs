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

/// Checks every given file, and every report file found under each given directory.
pub fn check_paths(paths: &[PathBuf], settings: &Settings) -> Report {
    let mut report = Report::default();
    for path in paths {
        for file in walk(path) {
            report.files += 1;
            report.findings.extend(check_file(&file, settings));
        }
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// The files to check under a path: the path itself if it is a file, else the report files
/// below it, skipping hidden files and Office lock files, in name order.
fn walk(path: &Path) -> Vec<PathBuf> {
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

/// Checks one file on its own.
pub fn check_file(path: &Path, settings: &Settings) -> Vec<Finding> {
    match source::kind_of(path) {
        Kind::Narrative | Kind::Other => match read_narrative(path) {
            Ok(src) => check_narrative(&src, settings),
            Err(e) => vec![input_finding(path, e)],
        },
        Kind::Unsupported(convert_to) => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            vec![input_finding(path, InputError::Unsupported { ext, convert_to })]
        }
        Kind::Docx | Kind::Workbook => vec![input_finding(
            path,
            InputError::Unsupported {
                ext: path
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default(),
                convert_to: ".txt",
            },
        )],
    }
}

fn read_narrative(path: &Path) -> Result<Arc<Source>, InputError> {
    let bytes = source::read_bounded(path, source::text::MAX_TEXT_BYTES)?;
    let (text, _) = source::text::decode(&bytes)?;
    Ok(Source::new(path.to_path_buf(), text))
}

/// Checks one decoded narrative.
pub fn check_narrative(src: &Arc<Source>, settings: &Settings) -> Vec<Finding> {
    let facts = extract::narrative::extract(src, settings);
    if facts.is_empty() {
        return vec![
            Finding::new(
                &check::input::NO_FIGURES,
                src.clone(),
                Text::new(
                    "没有识别出可核对的预算、执行、得分或等级数字",
                    "no budget, spending, score or grade figure was recognised",
                ),
            )
            .label(src, Place::File, Text::new("", "")),
        ];
    }
    let ctx = check::Context {
        facts: &facts,
        settings,
        primary: src,
    };
    check::run(&ctx)
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
