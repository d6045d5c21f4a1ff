//! suanpan (算盘): a linter for Chinese budget-performance self-evaluation reports.
//!
//! Stages are kept apart: `source` decodes files → `extract` turns text into located `fact`s →
//! `check` evaluates relations over facts into `diagnostic::Finding`s → `render` prints them.
//! ARCHITECTURE.md has the map.

// Annotated copies are written to a folder: a command-line matter for now (the browser page's
// download of them is not wired yet).
#[cfg(feature = "cli")]
pub mod annotate;
pub mod check;
#[cfg(feature = "cli")]
pub mod config;
pub mod diagnostic;
pub mod extract;
pub mod fact;
pub mod lang;
pub mod memory;
pub mod quantity;
pub mod relation;
pub mod render;
pub mod settings;
pub mod source;
pub mod summaries;

use diagnostic::{Finding, Place, Severity, Source, Text};
use settings::Settings;
use source::{InputError, Kind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use summaries::{Summaries, SummaryRow};

/// The outcome of a run: every finding, in a deterministic order, how many files were read, and
/// a summary of each report bundle (in bundle order).
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files: usize,
    pub bundles: Summaries,
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

    /// Whether any finding is at `level` or more severe (for `--fail-on`).
    pub fn fails_at(&self, level: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= level)
    }
}

/// What the batch summary says about one report bundle, as a checking thread hands it on (a run
/// keeps it in `Summaries`).
#[derive(Debug, Clone, Default)]
pub struct BundleSummary {
    /// A short name: the common path of its files without extension, or their folder.
    pub name: String,
    /// The report's title (first heading-like line of its narrative), when there is one.
    pub title: Option<String>,
    /// The stated total score (自评分数) as written, when one was found.
    pub stated_score: Option<String>,
    /// The report's own grade (等级为良好) as written, when one was found.
    pub stated_grade: Option<String>,
    /// Its files' paths, as given or found under a given folder.
    pub paths: Vec<PathBuf>,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read (SP0001) or are not supported (SP0002), with why.
    pub unreadable: Vec<(PathBuf, diagnostic::Text)>,
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bundle {
    pub files: Vec<PathBuf>,
    /// Why the one path of this bundle is not read at all, when walking found that out (an
    /// unreadable folder, a FIFO, a broken link, a link loop): its finding, instead of reading.
    pub problem: Option<WalkProblem>,
    /// Stated in the configuration (`[[bundle]]`): its narrative is cross-checked against every
    /// sheet, whatever their names say (`check::pairing`).
    pub stated: bool,
    /// Its workbooks joined its narrative by name in a folder of several reports (`bundles_with`).
    pub joined: bool,
    /// Workbooks alone although their folder holds this many narratives, none of whose names
    /// matched (`bundles_with`): each is an SP0302 info, not left out in silence.
    pub beside_narratives: usize,
}

impl Bundle {
    /// A bundle of files to read.
    pub fn new(files: Vec<PathBuf>) -> Self {
        Bundle {
            files,
            problem: None,
            stated: false,
            joined: false,
            beside_narratives: 0,
        }
    }
}

/// Why a path met while walking is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkProblem {
    /// It cannot be read (an unreadable folder, a FIFO or device, a link to nothing): SP0001.
    Unreadable(Text),
    /// A link back to a folder above it, not followed again (its files are read once): SP0004.
    Loop(Text),
}

/// A path found by `walk_entries`: a file to read, or a path that will not be read and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walked {
    pub path: PathBuf,
    pub problem: Option<WalkProblem>,
}

/// Checks every given file, and every report file found under each given directory.
#[cfg(feature = "cli")]
pub fn check_paths(paths: &[PathBuf], settings: &Settings) -> Report {
    check_bundles(&bundles_with(paths, &settings.bundles), settings, &|| {})
}

/// Checks bundles in parallel (on the current rayon pool) and gathers the results in bundle
/// order, whatever the thread timing; `done` is called once per finished bundle (progress).
/// Settings are applied here: rule selection, per-path ignores, severity overrides.
#[cfg(feature = "cli")]
pub fn check_bundles(bundles: &[Bundle], settings: &Settings, done: &(dyn Fn() + Sync)) -> Report {
    let mut report = Report {
        bundles: Summaries::with_capacity(bundles.len()),
        ..Report::default()
    };
    for_each_checked(bundles, settings, done, |findings, summary| {
        report.files += summary.files;
        report.findings.extend(findings);
        report.bundles.push(summary);
    });
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// How many bundles are checked in parallel before their results are handed on.
#[cfg(feature = "cli")]
const CHUNK: usize = 256;

/// Checks bundles in parallel, handing each bundle's findings (settings applied, sorted) and
/// summary to `sink` in bundle order, a chunk at a time: memory holds one chunk's results, not
/// the whole run's, so a sink that writes findings out keeps the peak flat however many
/// bundles there are.
#[cfg(feature = "cli")]
pub fn for_each_checked(
    bundles: &[Bundle],
    settings: &Settings,
    done: &(dyn Fn() + Sync),
    mut sink: impl FnMut(Vec<Finding>, BundleSummary),
) {
    use rayon::prelude::*;
    for chunk in bundles.chunks(CHUNK) {
        // Batches of up to BATCH bundles (`inspect_batch`), small enough that every thread
        // gets several.
        let batch = (chunk.len() / (rayon::current_num_threads() * 4)).clamp(1, BATCH);
        let results: Vec<Vec<(Vec<Finding>, BundleSummary)>> = chunk
            .par_chunks(batch)
            .map(|bundles| {
                let inspected = inspect_batch(bundles, settings);
                bundles
                    .iter()
                    .zip(inspected)
                    .map(|(bundle, inspected)| {
                        let result = finish_bundle(bundle, inspected, settings);
                        done();
                        result
                    })
                    .collect()
            })
            .collect();
        for (findings, summary) in results.into_iter().flatten() {
            sink(findings, summary);
        }
    }
}

/// A bundle's findings as a run hands them on, and its summary: settings applied (rule
/// selection, per-path ignores, severity overrides), sorted by place and rule.
pub fn finish_bundle(
    bundle: &Bundle,
    mut inspected: Inspected,
    settings: &Settings,
) -> (Vec<Finding>, BundleSummary) {
    let mut findings: Vec<Finding> = inspected
        .findings
        .drain(..)
        .filter_map(|f| settings.apply(f))
        .map(slim)
        .collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let summary = summarize(bundle, &findings, &inspected);
    (findings, summary)
}

/// The most bundles a thread takes as one batch (`inspect_batch`).
#[cfg(feature = "cli")]
const BATCH: usize = 32;

/// Drops the decoded text of a finding's source when no label points into it, so a large batch
/// does not keep every report's text alive until the end of the run.
fn slim(mut f: Finding) -> Finding {
    let needs_text = f
        .labels
        .iter()
        .any(|l| matches!(l.place, Place::Text { .. }));
    if !needs_text && !f.source.text.is_empty() {
        let bare = Source::new(f.source.path.clone(), String::new());
        f.source = bare.clone();
        for l in &mut f.labels {
            if l.source.path == bare.path {
                l.source = bare.clone();
            }
        }
    }
    f
}

fn summarize(bundle: &Bundle, findings: &[Finding], inspected: &Inspected) -> BundleSummary {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let unreadable = findings
        .iter()
        .filter(|f| {
            f.rule.code == check::input::UNREADABLE.code
                || f.rule.code == check::input::UNSUPPORTED.code
        })
        .map(|f| (f.source.path.clone(), f.message.clone()))
        .collect();
    BundleSummary {
        name: bundle_name(bundle),
        title: inspected.title.clone(),
        stated_score: inspected.stated_score.clone(),
        stated_grade: inspected.stated_grade.clone(),
        paths: bundle.files.clone(),
        files: bundle.files.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        unreadable,
    }
}

/// A bundle's short name: its one file without extension; for several files with one stem, that
/// stem; for a narrative with sheets named otherwise that share a folder with other reports (a
/// stated bundle, or one joined by name), the narrative's; otherwise their common folder.
pub fn bundle_name(bundle: &Bundle) -> String {
    let stems: Vec<PathBuf> = bundle.files.iter().map(|f| f.with_extension("")).collect();
    let narrative = || {
        let mut narratives = bundle
            .files
            .iter()
            .filter(|f| matches!(source::kind_of(f), Kind::Narrative | Kind::Docx));
        match (narratives.next(), narratives.next()) {
            (Some(n), None) => Some(n.with_extension("")),
            _ => None,
        }
    };
    match stems.first() {
        None => String::new(),
        Some(first) if stems.iter().all(|s| s == first) => first.display().to_string(),
        Some(_) if bundle.stated || bundle.joined => narrative()
            .or_else(|| stems.first().cloned())
            .map(|n| n.display().to_string())
            .unwrap_or_default(),
        Some(first) => {
            let mut common = first.parent().map(Path::to_path_buf).unwrap_or_default();
            while !stems.iter().all(|s| s.starts_with(&common)) {
                if !common.pop() {
                    break;
                }
            }
            common.display().to_string()
        }
    }
}

/// The title of a narrative (`extract::title_line`).
fn title_of(text: &str) -> Option<String> {
    extract::title_line(text).map(str::to_string)
}

/// The documents a bundle's summary takes its score and grade from: its narratives when it has
/// one, read or not (a folder's department report is not scored by a project sheet beside it,
/// even when the report itself cannot be read), else its sheets.
fn own_documents<'a>(bundle: &Bundle, docs: &'a [Document]) -> impl Iterator<Item = &'a Document> {
    let is_workbook = |p: &Path| source::kind_of(p) == Kind::Workbook;
    let any_narrative = bundle.files.iter().any(|f| !is_workbook(f));
    docs.iter()
        .filter(move |d| !any_narrative || !is_workbook(&d.source.path))
}

/// The stated total score of a bundle's documents, as written: its narrative's own when it has
/// a narrative (`own_documents`).
fn stated_score(bundle: &Bundle, docs: &[Document]) -> Option<String> {
    own_documents(bundle, docs)
        .flat_map(|d| d.facts.iter())
        .find(|f| f.is_this_years_total())
        .map(|f| f.quantity.to_string())
}

/// The report's own grade of a bundle's documents, as written: the first grade of this year
/// about the report as a whole, its narrative's when it has one.
fn stated_grade(bundle: &Bundle, docs: &[Document]) -> Option<String> {
    own_documents(bundle, docs)
        .flat_map(|d| d.facts.iter())
        .find(|f| {
            f.concept == fact::Concept::Grade
                && f.period == fact::Period::Current
                && f.subject.is_empty()
        })
        .and_then(|f| f.word.clone())
}

/// Groups the files under the given paths into report bundles: files in one directory with the
/// same stem (报告.txt + 报告.xlsx) are one report; so are all the files of a directory that holds
/// a single narrative (one directory per report). Bundles come in path order. A path the walk
/// cannot read (`walk_entries`) is a bundle of its own with its problem, before the bundles of
/// its folder.
#[cfg(feature = "cli")]
pub fn bundles(paths: &[PathBuf]) -> Vec<Bundle> {
    bundles_with(paths, &[])
}

/// `bundles`, with the bundles a configuration states (`[[bundle]]`, paths made canonical):
/// the files of each that were found make one bundle, marked `stated`, before the other
/// bundles of its narrative's folder. In a folder with several narratives, a workbook whose stem
/// is no narrative's joins the narrative whose stem names the same report once years and the
/// words every report has are dropped (`check::pairing::name_key`: 职工疗休养项目自评表.xlsx
/// with 职工疗休养项目绩效自评报告.txt), looked up in a map: linear in the folder's files.
#[cfg(feature = "cli")]
pub fn bundles_with(paths: &[PathBuf], stated: &[settings::StatedBundle]) -> Vec<Bundle> {
    use std::collections::{BTreeMap, HashMap};
    let mut by_dir: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    // A stated bundle's files by their canonical path: (bundle, place in it).
    let claimed: HashMap<&Path, (usize, usize)> = stated
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            std::iter::once(&b.narrative)
                .chain(&b.sheets)
                .enumerate()
                .map(move |(at, f)| (f.as_path(), (i, at)))
        })
        .collect();
    let mut stated_found: Vec<Vec<(usize, PathBuf)>> = vec![Vec::new(); stated.len()];
    for w in paths.iter().flat_map(|p| walk_entries(p)) {
        if w.problem.is_none() && !claimed.is_empty() {
            let found = std::fs::canonicalize(&w.path)
                .ok()
                .and_then(|c| claimed.get(c.as_path()).copied());
            if let Some((i, at)) = found
                && let Some(files) = stated_found.get_mut(i)
            {
                files.push((at, w.path));
                continue;
            }
        }
        let entry = by_dir.entry(dir_of(&w.path)).or_default();
        match w.problem {
            None => entry.files.push(w.path),
            Some(problem) => entry.problems.push((w.path, problem)),
        }
    }
    for mut found in stated_found.into_iter().filter(|f| !f.is_empty()) {
        found.sort();
        let files: Vec<PathBuf> = found.into_iter().map(|(_, f)| f).collect();
        let dir = files.first().map(|f| dir_of(f)).unwrap_or_default();
        by_dir.entry(dir).or_default().stated.push(files);
    }
    bundles_of_folders(by_dir)
}

/// The folder a path is in (empty for a bare name).
fn dir_of(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// What `bundles_with` found in one folder: its files, in the order found, the paths in it that
/// will not be read, and the stated bundles whose narrative is in it.
#[derive(Default)]
struct Folder {
    files: Vec<PathBuf>,
    problems: Vec<(PathBuf, WalkProblem)>,
    stated: Vec<Vec<PathBuf>>,
}

/// The bundles of each folder, folder after folder (`bundles_with`): its problems, its stated
/// bundles, then one report per folder with one narrative, or by stem (workbooks joining the
/// narrative whose name is theirs).
fn bundles_of_folders(by_dir: std::collections::BTreeMap<PathBuf, Folder>) -> Vec<Bundle> {
    use std::collections::{BTreeMap, HashMap};
    let is_narrative = |f: &PathBuf| matches!(source::kind_of(f), Kind::Narrative | Kind::Docx);
    let is_workbook = |f: &PathBuf| source::kind_of(f) == Kind::Workbook;
    let mut out = Vec::new();
    for (_, dir) in by_dir {
        out.extend(dir.problems.into_iter().map(|(path, problem)| Bundle {
            files: vec![path],
            problem: Some(problem),
            stated: false,
            joined: false,
            beside_narratives: 0,
        }));
        out.extend(dir.stated.into_iter().map(|files| Bundle {
            files,
            problem: None,
            stated: true,
            joined: false,
            beside_narratives: 0,
        }));
        let files = dir.files;
        let narratives = files.iter().filter(|f| is_narrative(f)).count();
        let workbooks = files.iter().filter(|f| is_workbook(f)).count();
        if narratives == 1 && workbooks >= 1 {
            let (report, rest): (Vec<PathBuf>, Vec<PathBuf>) = files
                .into_iter()
                .partition(|f| is_narrative(f) || is_workbook(f));
            out.push(Bundle::new(report));
            out.extend(rest.into_iter().map(|f| Bundle::new(vec![f])));
            continue;
        }
        let mut by_stem: BTreeMap<std::ffi::OsString, Vec<PathBuf>> = BTreeMap::new();
        for f in files {
            let stem = f.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
            by_stem.entry(stem).or_default().push(f);
        }
        if narratives > 1 && workbooks >= 1 {
            // Each narrative's stem by its comparable name; None when two narratives share one.
            let key = |stem: &std::ffi::OsString| check::pairing::name_key(&stem.to_string_lossy());
            let mut by_key: HashMap<String, Option<std::ffi::OsString>> = HashMap::new();
            for (stem, group) in &by_stem {
                let k = key(stem);
                if !k.is_empty() && group.iter().any(is_narrative) {
                    by_key
                        .entry(k)
                        .and_modify(|v| *v = None)
                        .or_insert_with(|| Some(stem.clone()));
                }
            }
            let moves: Vec<(std::ffi::OsString, std::ffi::OsString)> = by_stem
                .iter()
                .filter(|(_, group)| group.iter().all(is_workbook))
                .filter_map(|(stem, _)| {
                    let to = by_key.get(&key(stem))?.clone()?;
                    Some((stem.clone(), to))
                })
                .collect();
            let mut joined = std::collections::HashSet::new();
            for (from, to) in moves {
                if let Some(files) = by_stem.remove(&from)
                    && let Some(group) = by_stem.get_mut(&to)
                {
                    group.extend(files);
                    group.sort();
                    joined.insert(to);
                }
            }
            out.extend(by_stem.into_iter().map(|(stem, files)| {
                let lone = files.iter().all(is_workbook);
                Bundle {
                    joined: joined.contains(&stem),
                    beside_narratives: if lone { narratives } else { 0 },
                    ..Bundle::new(files)
                }
            }));
            continue;
        }
        out.extend(by_stem.into_values().map(Bundle::new));
    }
    out
}

/// The shard (0-based, below `n`) a bundle falls in for `--shard K/N`: a stable hash (64-bit
/// FNV-1a) of its first file's path, as given or found under a given folder, modulo `n`. It
/// depends on that path alone, not on the machine, the run or the other bundles, so N runs over
/// the same paths, each taking one shard, check every bundle exactly once.
pub fn shard_of(bundle: &Bundle, n: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let path = bundle
        .files
        .first()
        .map(|p| p.as_os_str().as_encoded_bytes());
    for &b in path.unwrap_or_default() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash % n.max(1)
}

/// The files to check under a path (`walk_entries` without the paths that cannot be read).
#[cfg(feature = "cli")]
pub fn walk(path: &Path) -> Vec<PathBuf> {
    walk_entries(path)
        .into_iter()
        .filter(|w| w.problem.is_none())
        .map(|w| w.path)
        .collect()
}

/// The paths to check under a path: the path itself if it is a file, else the report files
/// below it, skipping hidden files and Office lock files, in name order. Symbolic links are
/// followed, to files and to folders. What cannot be read comes with its problem rather than
/// being left out: a path given that is a FIFO, socket or device (opening one would wait for a
/// writer), a folder that cannot be listed, a link to nothing, a report-named entry that is no
/// regular file, and a link back to a folder above it (a loop: not followed again).
#[cfg(feature = "cli")]
pub fn walk_entries(path: &Path) -> Vec<Walked> {
    let file = |path: PathBuf| Walked {
        path,
        problem: None,
    };
    let problem = |path: PathBuf, problem: WalkProblem| Walked {
        path,
        problem: Some(problem),
    };
    // One look at the path, which follows a link (as `is_dir` did).
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) if meta.is_file() => return vec![file(path.to_path_buf())],
        Ok(meta) => {
            return vec![problem(
                path.to_path_buf(),
                WalkProblem::Unreadable(not_a_file(&meta.file_type())),
            )];
        }
        // A link whose target is missing says so; any other error is the reader's to report.
        Err(e) => {
            let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
            return vec![if dangling {
                problem(path.to_path_buf(), WalkProblem::Unreadable(broken_link(&e)))
            } else {
                file(path.to_path_buf())
            }];
        }
    }
    let mut out = Vec::new();
    let entries = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temp(e.file_name()));
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if source::kind_of(e.path()) == Kind::Other => {}
            Ok(e) if e.file_type().is_file() => out.push(file(e.into_path())),
            Ok(e) => {
                let why = not_a_file(&e.file_type());
                out.push(problem(e.into_path(), WalkProblem::Unreadable(why)));
            }
            Err(e) => {
                let Some(at) = e.path().map(Path::to_path_buf) else {
                    continue;
                };
                if let Some(ancestor) = e.loop_ancestor() {
                    let ancestor = ancestor.display();
                    out.push(problem(
                        at,
                        WalkProblem::Loop(Text::new(
                            format!(
                                "符号链接指向其上级文件夹 {ancestor}，形成循环，未再进入（该文件夹中的文件照常检查一次）"
                            ),
                            format!(
                                "the symbolic link points to {ancestor}, a folder above it (a loop): not followed again (that folder's files are checked once)"
                            ),
                        )),
                    ));
                    continue;
                }
                let is_link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_symlink());
                let broken = is_link && !std::fs::exists(&at).unwrap_or(true);
                // A broken link named as a picture or an archive is no report, as its target
                // would not be; one without an extension may have been a folder.
                if broken && at.extension().is_some() && source::kind_of(&at) == Kind::Other {
                    continue;
                }
                let io = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                let why = if broken {
                    Text::new(
                        format!("符号链接指向的文件或文件夹不存在：{io}"),
                        format!("the symbolic link points to nothing: {io}"),
                    )
                } else if at.is_dir() {
                    Text::new(
                        format!("文件夹无法读取，其中的文件没有检查：{io}"),
                        format!("the folder cannot be read, so its files were not checked: {io}"),
                    )
                } else {
                    Text::new(format!("无法读取：{io}"), format!("cannot be read: {io}"))
                };
                out.push(problem(at, WalkProblem::Unreadable(why)));
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Why a path that is neither a file nor a folder is not read.
#[cfg(feature = "cli")]
fn not_a_file(kind: &std::fs::FileType) -> Text {
    #[cfg(unix)]
    let (zh, en) = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            ("命名管道（FIFO）", "a named pipe (FIFO)")
        } else if kind.is_socket() {
            ("套接字（socket）", "a socket")
        } else if kind.is_block_device() || kind.is_char_device() {
            ("设备文件", "a device")
        } else {
            ("特殊文件", "a special file")
        }
    };
    #[cfg(not(unix))]
    let (zh, en) = {
        let _ = kind;
        ("特殊文件", "a special file")
    };
    Text::new(
        format!("不是普通文件，而是{zh}，不读取"),
        format!("not a regular file but {en}; not read"),
    )
}

/// Why a link whose target is missing is not read.
#[cfg(feature = "cli")]
fn broken_link(e: &std::io::Error) -> Text {
    Text::new(
        format!("符号链接指向的文件或文件夹不存在：{e}"),
        format!("the symbolic link points to nothing: {e}"),
    )
}

/// A hidden file or folder, an Office lock file (`~$*.xlsx`), `*~` or `*.tmp`: left out when
/// walking a folder.
pub(crate) fn is_hidden_or_temp(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with("~$") || name.ends_with('~') || name.ends_with(".tmp")
}

/// Reads, extracts and checks one bundle: each document's own checks, then the checks across
/// its documents.
#[cfg(feature = "cli")]
pub fn check_bundle(bundle: &Bundle, settings: &Settings) -> Vec<Finding> {
    inspect_bundle(bundle, settings).findings
}

/// What checking one bundle yields: its findings (before settings are applied), and what the
/// batch summary shows of it.
pub struct Inspected {
    pub findings: Vec<Finding>,
    pub title: Option<String>,
    pub stated_score: Option<String>,
    pub stated_grade: Option<String>,
}

/// `check_bundle`, also keeping the bundle's title and stated total score for the summary.
#[cfg(feature = "cli")]
pub fn inspect_bundle(bundle: &Bundle, settings: &Settings) -> Inspected {
    let read = bundle.files.iter().map(|path| match &bundle.problem {
        Some(problem) => Err(walk_error(problem)),
        None => read_document(path, settings),
    });
    inspect_read(bundle, read.collect(), settings)
}

/// The input error a walk problem is reported as.
#[cfg(feature = "cli")]
fn walk_error(problem: &WalkProblem) -> InputError {
    match problem {
        WalkProblem::Unreadable(why) => InputError::NotRead(why.clone()),
        WalkProblem::Loop(why) => InputError::LinkLoop(why.clone()),
    }
}

/// `inspect_bundle` for each bundle of a batch, one kind of work at a time: every file's bytes,
/// then every narrative's facts, every workbook's sheets, every workbook's own checks, and last
/// each bundle's checks. Reading a report and reading a workbook run different code over
/// different tables, and a batch keeps each warm in the processor's caches: the same work, in
/// the same instructions, takes about an eighth less time on the corpus bench than bundle by
/// bundle (README, "Benchmark"). Large files make smaller batches: a batch holds bundles only
/// until their files come to `BATCH_BYTES`, so that a thread never holds more than that (and
/// one bundle) at once.
#[cfg(feature = "cli")]
pub fn inspect_batch(batch: &[Bundle], settings: &Settings) -> Vec<Inspected> {
    inspect_batch_within(batch, settings, BATCH_BYTES)
}

/// `inspect_batch`, holding bundles only until their files come to `budget` bytes.
#[cfg(feature = "cli")]
fn inspect_batch_within(batch: &[Bundle], settings: &Settings, budget: usize) -> Vec<Inspected> {
    let mut out = Vec::with_capacity(batch.len());
    let mut rest = batch;
    while !rest.is_empty() {
        let mut bytes = Vec::new();
        let (mut taken, mut held) = (0, 0);
        while taken < rest.len() && (taken == 0 || held < budget) {
            let bundle = &rest[taken];
            for path in &bundle.files {
                let kind = source::kind_of(path);
                let read = match &bundle.problem {
                    Some(problem) => Err(walk_error(problem)),
                    None => read_input(path, kind),
                };
                held += read.as_ref().map_or(0, Vec::len);
                bytes.push((kind, Some(read)));
            }
            taken += 1;
        }
        let (now, later) = rest.split_at(taken);
        out.extend(inspect_read_batch(now, bytes, settings));
        rest = later;
    }
    out
}

/// How many bytes of files a batch reads before it reads no further bundle.
#[cfg(feature = "cli")]
const BATCH_BYTES: usize = 4 << 20;

/// A file of a batch: its kind, and its bytes until they are made its document.
type ReadFile = (Kind, Option<Result<Vec<u8>, InputError>>);

/// `inspect_batch` for bundles whose files' kinds and bytes (`read`, in order) have been read.
fn inspect_read_batch(
    batch: &[Bundle],
    mut read: Vec<ReadFile>,
    settings: &Settings,
) -> Vec<Inspected> {
    // The batch's files in order, bundle after bundle.
    let files = || batch.iter().flat_map(|b| b.files.iter());
    let mut docs: Vec<Option<Result<Document, InputError>>> = files().map(|_| None).collect();
    for workbooks in [false, true] {
        for ((path, (kind, bytes)), doc) in files().zip(&mut read).zip(&mut docs) {
            if (*kind == Kind::Workbook) == workbooks {
                *doc = bytes
                    .take()
                    .map(|b| b.and_then(|b| document_of(path, *kind, b, settings)));
            }
        }
    }
    for ((kind, _), doc) in read.iter().zip(&mut docs) {
        if let (Kind::Workbook, Some(Ok(doc))) = (kind, doc) {
            check_read_workbook(doc, settings);
        }
    }
    let mut docs = docs.into_iter().flatten();
    batch
        .iter()
        .map(|bundle| {
            let read = docs.by_ref().take(bundle.files.len()).collect();
            inspect_read(bundle, read, settings)
        })
        .collect()
}

/// The checks of a bundle whose files have been read (`read`, in the order of its files).
fn inspect_read(
    bundle: &Bundle,
    read: Vec<Result<Document, InputError>>,
    settings: &Settings,
) -> Inspected {
    let mut findings = Vec::new();
    let mut docs = Vec::new();
    for (path, result) in bundle.files.iter().zip(read) {
        match result {
            Ok(doc) => docs.push(doc),
            Err(e) => findings.push(input_finding(path, e)),
        }
    }
    for doc in &mut docs {
        findings.append(&mut doc.findings);
        findings.extend(check_document(doc, settings));
    }
    check::cross::check(&docs, bundle.stated, settings, &mut findings);
    if bundle.beside_narratives > 0 {
        findings.extend(
            docs.iter()
                .map(|d| check::pairing::lone_sheet(d, bundle.beside_narratives)),
        );
    }
    Inspected {
        findings,
        title: docs.iter().find_map(|d| title_of(&d.source.text)),
        stated_score: stated_score(bundle, &docs),
        stated_grade: stated_grade(bundle, &docs),
    }
}

/// Reads one file into a document, by its kind.
#[cfg(feature = "cli")]
pub fn read_document(path: &Path, settings: &Settings) -> Result<Document, InputError> {
    let kind = source::kind_of(path);
    let mut doc = document_of(path, kind, read_input(path, kind)?, settings)?;
    if kind == Kind::Workbook {
        check_read_workbook(&mut doc, settings);
    }
    Ok(doc)
}

/// A file's bytes, read within the limit for its kind; a kind suanpan cannot read is refused
/// unread.
#[cfg(feature = "cli")]
fn read_input(path: &Path, kind: Kind) -> Result<Vec<u8>, InputError> {
    source::read_bounded(path, read_limit(path, kind)?)
}

/// The most bytes a file of `kind` is read to; a kind suanpan cannot read is refused unread.
pub fn read_limit(path: &Path, kind: Kind) -> Result<u64, InputError> {
    match kind {
        Kind::Unsupported(convert_to) => Err(unsupported(path, convert_to)),
        Kind::Workbook => Ok(source::sheet::MAX_WORKBOOK_BYTES),
        Kind::Narrative | Kind::Other | Kind::Docx => Ok(source::text::MAX_TEXT_BYTES),
    }
}

/// The document a file's bytes make: a narrative with its facts, or a workbook with its sheets
/// (its own checks are `check_read_workbook`'s).
fn document_of(
    path: &Path,
    kind: Kind,
    bytes: Vec<u8>,
    settings: &Settings,
) -> Result<Document, InputError> {
    let text = match kind {
        Kind::Narrative | Kind::Other => {
            let decoded = source::text::decode_detailed(&bytes)?;
            let src = Source::new(path.to_path_buf(), decoded.text);
            let mut doc = narrative_document(src, settings);
            if let Some(f) = invalid_bytes_finding(&doc.source, decoded.encoding, &decoded.invalid)
            {
                doc.findings.push(f);
            }
            return Ok(doc);
        }
        Kind::Docx => source::docx::text_of(&bytes)?,
        Kind::Workbook => {
            let book = source::sheet::parse_file(path, &bytes)?;
            let source = Source::workbook(path.to_path_buf(), book.sheets);
            let findings = book
                .beyond
                .iter()
                .map(|b| beyond_finding(&source, b))
                .collect();
            return Ok(Document {
                source,
                facts: Vec::new(),
                findings,
            });
        }
        Kind::Unsupported(convert_to) => return Err(unsupported(path, convert_to)),
    };
    Ok(narrative_document(
        Source::new(path.to_path_buf(), text),
        settings,
    ))
}

/// The warning for a text whose invalid bytes were decoded as U+FFFD: how many, the first one's
/// place in the file and its byte, each labelled at its line and column (SP0004).
fn invalid_bytes_finding(
    source: &Arc<Source>,
    encoding: source::text::Encoding,
    invalid: &[source::text::Invalid],
) -> Option<Finding> {
    let first = invalid.first()?;
    let (n, enc, at, byte) = (invalid.len(), encoding.name(), first.file_at, first.byte);
    let message = Text::new(
        format!(
            "文件中有 {n} 处字节不是有效的 {enc} 编码（第一处在文件第 {at} 字节，0x{byte:02X}），已替换为“\u{FFFD}”，其余内容照常检查"
        ),
        format!(
            "{n} byte sequence(s) are not valid {enc} (the first at byte {at} of the file, 0x{byte:02X}); they were replaced by \"\u{FFFD}\" and the rest was checked"
        ),
    );
    let mut f = Finding::new(&check::input::PARTLY_READ, source.clone(), message);
    for i in invalid {
        let (at, byte) = (i.file_at, i.byte);
        f = f.label(
            source,
            Place::Text {
                start: i.text_at,
                end: i.text_at + '\u{FFFD}'.len_utf8(),
            },
            Text::new(
                format!("无效字节 0x{byte:02X}（文件第 {at} 字节）"),
                format!("invalid byte 0x{byte:02X} (byte {at} of the file)"),
            ),
        );
    }
    Some(f)
}

/// The warning for a sheet's cells beyond the read limits (SP0004): how many, the limits, how
/// far they reach, labelled at the first one.
fn beyond_finding(source: &Arc<Source>, b: &source::sheet::Beyond) -> Finding {
    use source::sheet::{MAX_COLS, MAX_ROWS};
    let (sheet, n) = (&b.sheet, b.cells);
    let first = diagnostic::cell_name(b.first.0, b.first.1);
    let (last_row, last_col) = (u64::from(b.last_row) + 1, u64::from(b.last_col) + 1);
    let message = Text::new(
        format!(
            "工作表“{sheet}”有 {n} 个非空单元格超出读取上限（{MAX_ROWS} 行、{MAX_COLS} 列），没有读取和检查：从 {first} 起，最远到第 {last_row} 行、第 {last_col} 列"
        ),
        format!(
            "sheet \"{sheet}\" has {n} non-empty cell(s) beyond the read limits ({MAX_ROWS} rows, {MAX_COLS} columns), not read or checked: from {first}, as far as row {last_row}, column {last_col}"
        ),
    );
    Finding::new(&check::input::PARTLY_READ, source.clone(), message).label(
        source,
        Place::Cell {
            sheet: b.sheet.clone(),
            row: b.first.0,
            col: b.first.1,
        },
        Text::new("超出读取上限", "beyond the read limits"),
    )
}

/// A read workbook's own checks: its tables' facts and the sheet rules' findings (after what
/// reading it found).
fn check_read_workbook(doc: &mut Document, settings: &Settings) {
    let (facts, findings) = check_workbook(&doc.source, &doc.source.sheets, settings);
    doc.facts = facts;
    doc.findings.extend(findings);
}

/// Reads each sheet's tables and their facts (`extract::sheet`), for the cross-check, and
/// judges the tables with the sheet rules (`check::sheet`).
pub fn check_workbook(
    source: &Arc<Source>,
    sheets: &[source::sheet::Sheet],
    settings: &Settings,
) -> (Vec<fact::Fact>, Vec<Finding>) {
    let (mut facts, mut findings) = (Vec::new(), Vec::new());
    for sheet in sheets {
        let tables = extract::sheet::tables(sheet, settings);
        facts.extend(extract::sheet::facts(source, &sheet.name, &tables));
        check::sheet::check_sheet(source, sheet, &tables, settings, true, &mut findings);
    }
    (facts, findings)
}

/// The error for a file of a kind suanpan cannot read, saying what to convert it to.
fn unsupported(path: &Path, convert_to: &'static str) -> InputError {
    InputError::Unsupported {
        ext: extension(path),
        convert_to,
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
        // Judged only: a text's facts are the narrative's (`extract::narrative`), not its tables'.
        let tables = extract::sheet::tables(&table.sheet, settings);
        let mut table_findings = Vec::new();
        check::sheet::check_sheet(
            &source,
            &table.sheet,
            &tables,
            settings,
            false,
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
    // A text whose figures are all in its tables was checked by the sheet rules; looked for
    // again only here, where the narrative gave no fact.
    if doc.facts.is_empty() && extract::text_table::find(&doc.source.text).is_empty() {
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
        InputError::LinkLoop(_) => &check::input::PARTLY_READ,
        _ => &check::input::UNREADABLE,
    };
    let src = Source::new(path.to_path_buf(), String::new());
    Finding::new(rule, src.clone(), err.describe()).label(&src, Place::File, Text::new("", ""))
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_and_cover_every_bundle_once() {
        let bundle = |p: &str| Bundle::new(vec![PathBuf::from(p)]);
        // FNV-1a of "a": a fixed value, whatever the machine.
        assert_eq!(shard_of(&bundle("a"), u64::MAX), 0xaf63_dc4c_8601_ec8c);
        let all: Vec<Bundle> = (0..200)
            .map(|i| bundle(&format!("部门{i}/报告.txt")))
            .collect();
        for n in 1..=5 {
            let mut counts = vec![0; n as usize];
            for b in &all {
                counts[shard_of(b, n) as usize] += 1;
            }
            assert_eq!(counts.iter().sum::<usize>(), all.len());
            assert!(counts.iter().all(|&c| c > 0), "{n}: {counts:?}");
        }
        assert_eq!(shard_of(&bundle("a"), 0), 0);
    }

    /// However the byte budget cuts a batch (every bundle alone, a few together, all at once),
    /// each bundle gets what inspecting it alone gives.
    #[test]
    fn a_batch_cut_by_its_byte_budget_inspects_each_bundle_as_alone() {
        let settings = Settings::default();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let bundles = bundles(&[fixtures.join("tree"), fixtures.join("broken")]);
        let shown = |i: &Inspected| {
            let lines = render::line::render_findings(&i.findings, diagnostic::Lang::En);
            (lines, i.title.clone(), i.stated_score.clone())
        };
        let alone: Vec<_> = bundles
            .iter()
            .map(|b| shown(&inspect_bundle(b, &settings)))
            .collect();
        for budget in [0, 20_000, usize::MAX] {
            let batched: Vec<_> = inspect_batch_within(&bundles, &settings, budget)
                .iter()
                .map(shown)
                .collect();
            assert_eq!(batched, alone, "budget {budget}");
        }
    }
}
