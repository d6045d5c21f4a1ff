//! The real-report corpus (`../shared/corpus`, beside the repository): 77 excerpts of published
//! reports with every checkable relation annotated in `NNN.expected.json`. This test scores the
//! library on them as `../shared/corpus/score.py` scores the binary (a relation that fails as
//! published is found when a finding's label covers its line; an error whose labelled lines
//! carry only relations that hold is a false error) and holds the score from falling back.
//! Where the corpus is absent (a checkout without `shared/`), it says so and checks nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use suanpan::diagnostic::{Place, Severity};
use suanpan::settings::Settings;

/// The score this build must keep: at least this many genuine failures found, and no false
/// error.
const FOUND_AT_LEAST: usize = 35;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("README.md").exists().then_some(dir)
}

/// Per file name, per line: whether each relation stated there holds (None: undecided).
fn relations(dir: &Path) -> HashMap<String, HashMap<usize, Vec<Option<bool>>>> {
    let mut out: HashMap<String, HashMap<usize, Vec<Option<bool>>>> = HashMap::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("expected file is readable");
        let rels: Vec<serde_json::Value> =
            serde_json::from_str(&text).expect("expected file is JSON");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().replace(".expected.json", ".txt"))
            .unwrap_or_default();
        let by_line = out.entry(name).or_default();
        for r in rels {
            let line = r["line"].as_u64().expect("a relation has a line") as usize;
            by_line.entry(line).or_default().push(r["holds"].as_bool());
        }
    }
    out
}

#[test]
fn the_real_report_corpus_keeps_its_score() {
    let Some(dir) = corpus_dir() else {
        eprintln!("../shared/corpus not found beside the repository: corpus score not checked");
        return;
    };
    let expected = relations(&dir);
    let mut files: Vec<PathBuf> = expected.keys().map(|n| dir.join(n)).collect();
    files.sort();
    let report = suanpan::check_paths(&files, &Settings::default());

    // (file, first line, last line, is an error) of every finding's labels.
    let mut covered: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut false_errors = Vec::new();
    for f in &report.findings {
        let mut lines = Vec::new();
        for label in &f.labels {
            if let Place::Text { start, end } = label.place {
                let name = label
                    .source
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let (first, _) = label.source.line_col(start);
                let (last, _) = label.source.line_col(end.max(start + 1) - 1);
                covered.entry(name.clone()).or_default().push((first, last));
                lines.push((name, first, last));
            }
        }
        if f.severity != Severity::Error {
            continue;
        }
        let mut holds: Vec<Option<bool>> = Vec::new();
        for (name, first, last) in &lines {
            for l in *first..=*last {
                if let Some(rels) = expected.get(name).and_then(|by_line| by_line.get(&l)) {
                    holds.extend(rels.iter().copied());
                }
            }
        }
        if !holds.is_empty() && holds.iter().all(|h| *h == Some(true)) {
            false_errors.push(format!("{} {}", f.rule.code, f.message.zh));
        }
    }
    let mut failures = 0;
    let mut found = 0;
    let mut missed = Vec::new();
    for (name, by_line) in &expected {
        for (line, holds) in by_line {
            for _ in holds.iter().filter(|h| **h == Some(false)) {
                failures += 1;
                let hit = covered
                    .get(name)
                    .is_some_and(|spans| spans.iter().any(|(a, b)| a <= line && line <= b));
                if hit {
                    found += 1;
                } else {
                    missed.push(format!("{name}:{line}"));
                }
            }
        }
    }
    missed.sort();
    eprintln!(
        "corpus: found {found}/{failures} genuine failures · false errors {}",
        false_errors.len()
    );
    assert!(
        false_errors.is_empty(),
        "false errors on the corpus: {false_errors:#?}"
    );
    assert!(
        found >= FOUND_AT_LEAST,
        "found {found} of {failures} genuine failures, fewer than {FOUND_AT_LEAST}; missed: {missed:?}"
    );
}
