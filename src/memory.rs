//! Checking files handed over in memory — paths and bytes — with no file system, threads,
//! terminal or clock: the core the page in `web/` runs in the browser (wasm32-unknown-unknown).
//! The command line runs the same steps over the files it walks and reads.
//!
//! - `kept` says which paths a folder's walk would check (hidden and temporary files and
//!   non-report files left out, as `walk_entries` leaves them out);
//! - `bundles_of` groups paths into reports as `bundles_with` groups the files found under a
//!   folder (same stem, one narrative per folder, workbooks joining the narrative they name);
//! - `check` reads, extracts and checks one bundle from its files' contents, through the
//!   batch reader the command line uses (`inspect_read_batch`), and applies the settings as a
//!   run does (`finish_bundle`);
//! - `Results` keeps each bundle's findings and summary and renders them as `--format json` and
//!   `--format html` do, byte for byte.
//!
//! Example: `let bundles = bundles_of(&paths);` then for each bundle
//! `results.push(check(&bundle, contents, &settings))`, then `results.json(Lang::Zh)`.

use crate::diagnostic::{Finding, Lang};
use crate::settings::Settings;
use crate::source::{self, InputError, Kind};
use crate::{Bundle, BundleSummary, Report, Summaries};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file's contents as handed over.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Only its size: a file over the reading limit, or of a kind that is not read
    /// (`needs_bytes`), need not be read to be reported.
    Size(u64),
    /// Reading it failed, and why (as the browser said).
    Failed(String),
    /// A workbook whose reading panicked where the panic could not be caught (in the browser a
    /// panic ends the module; the page then finds the file and hands it over as this): the
    /// command line's finding for a workbook whose reader panicked.
    Damaged,
}

/// Whether the command line would check the file at `path`: a file named on its own always (as
/// a path given to `suanpan check`); a file found inside a folder (`in_folder`: the path's
/// first component is the folder handed over) unless one of the components below that folder is
/// hidden or temporary (`.git`, `~$表.xlsx`, `a~`, `b.tmp`) or it is no report file by its
/// extension (a picture, an archive).
pub fn kept(path: &Path, in_folder: bool) -> bool {
    if !in_folder {
        return true;
    }
    path.components()
        .skip(1)
        .all(|c| !crate::is_hidden_or_temp(c.as_os_str()))
        && source::kind_of(path) != Kind::Other
}

/// Whether a file of `size` bytes at `path` must be handed over with its bytes: not when its
/// kind is not read (.doc, .pdf …) or it is over the reading limit; then its size is enough.
pub fn needs_bytes(path: &Path, size: u64) -> bool {
    crate::read_limit(path, source::kind_of(path)).is_ok_and(|limit| size <= limit)
}

/// The report bundles of a set of files, as the command line forms them from the files it finds
/// under a folder: in path order, grouped by folder, then by stem or one narrative per folder
/// (`bundles_with`). Duplicate paths count once.
pub fn bundles_of(paths: &[PathBuf]) -> Vec<Bundle> {
    let mut paths = paths.to_vec();
    paths.sort();
    paths.dedup();
    let mut by_dir: BTreeMap<PathBuf, crate::Folder> = BTreeMap::new();
    for path in paths {
        by_dir
            .entry(crate::dir_of(&path))
            .or_default()
            .files
            .push(path);
    }
    crate::bundles_of_folders(by_dir)
}

/// Reads, extracts and checks one bundle from its files' contents (in the order of
/// `bundle.files`; a file without contents is reported as not read), and applies the settings:
/// the findings and summary a run of the command line gives for it.
pub fn check(
    bundle: &Bundle,
    contents: Vec<Contents>,
    settings: &Settings,
) -> (Vec<Finding>, BundleSummary) {
    let mut contents = contents.into_iter();
    let read = bundle
        .files
        .iter()
        .map(|path| {
            let kind = source::kind_of(path);
            let given = contents.next().unwrap_or(Contents::Size(0));
            (kind, Some(bytes_of(path, kind, given)))
        })
        .collect();
    let inspected = crate::inspect_read_batch(std::slice::from_ref(bundle), read, settings)
        .pop()
        .unwrap_or_else(|| crate::Inspected {
            findings: Vec::new(),
            title: None,
            stated_score: None,
            stated_grade: None,
        });
    let (findings, mut summary) = crate::finish_bundle(bundle, inspected, settings);
    // Files named on their own, with no folder, that make one report (a narrative and its
    // sheet dropped together) have no common folder to be named after: the report takes its
    // narrative's name, as a stated bundle does. (The command line names such a report after the
    // folder it runs in, which is an empty name; its JSON does not hold names.)
    if summary.name.is_empty() {
        let stated = Bundle {
            stated: true,
            ..bundle.clone()
        };
        summary.name = crate::bundle_name(&stated);
    }
    (findings, summary)
}

/// A file's bytes within the reading limit for its kind, or why they are not read — the errors
/// the command line's `read_input` gives for a file on disk.
fn bytes_of(path: &Path, kind: Kind, contents: Contents) -> Result<Vec<u8>, InputError> {
    let limit = crate::read_limit(path, kind)?;
    match contents {
        Contents::Bytes(bytes) if bytes.len() as u64 > limit => {
            Err(InputError::TooLarge(bytes.len() as u64))
        }
        Contents::Bytes(bytes) => Ok(bytes),
        Contents::Size(size) if size > limit => Err(InputError::TooLarge(size)),
        Contents::Size(_) => Err(InputError::Io(std::io::Error::other(
            "its contents were not handed over",
        ))),
        Contents::Failed(why) => Err(InputError::Io(std::io::Error::other(why))),
        Contents::Damaged => Err(source::sheet::damaged()),
    }
}

/// The bundles checked so far, in the order pushed, each with its findings and summary.
#[derive(Debug, Default)]
pub struct Results {
    bundles: Vec<(Vec<Finding>, BundleSummary)>,
}

impl Results {
    pub fn new() -> Results {
        Results::default()
    }

    /// Keeps one bundle's result (`check`'s).
    pub fn push(&mut self, (findings, summary): (Vec<Finding>, BundleSummary)) {
        self.bundles.push((findings, summary));
    }

    pub fn len(&self) -> usize {
        self.bundles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bundles.is_empty()
    }

    /// The whole run as a `Report`: every finding in the whole report's order (by file path,
    /// then place and rule), the files read, the summaries in bundle order.
    pub fn report(&self) -> Report {
        let mut report = self.summaries();
        report.findings = self
            .bundles
            .iter()
            .flat_map(|(findings, _)| findings.iter().cloned())
            .collect();
        report
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report
    }

    /// The run's summaries and file count, without its findings.
    fn summaries(&self) -> Report {
        let mut bundles = Summaries::with_capacity(self.bundles.len());
        let mut files = 0;
        for (_, summary) in &self.bundles {
            files += summary.files;
            bundles.push(summary.clone());
        }
        Report {
            findings: Vec::new(),
            files,
            bundles,
        }
    }

    /// `--format json`'s document.
    pub fn json(&self, lang: Lang) -> String {
        crate::render::json::render(&self.report(), lang)
    }

    /// `--format html`'s page: the head, each report's section in bundle order, the overview.
    pub fn html(&self, lang: Lang) -> String {
        let mut page = crate::render::html::HtmlPage::new(lang);
        let mut out = page.begin().into_bytes();
        for (findings, summary) in &self.bundles {
            out.extend_from_slice(page.report(findings, summary).as_bytes());
        }
        // Writing into memory cannot fail.
        let _ = page.finish(&self.summaries(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}
