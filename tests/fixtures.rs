//! Every narrative fixture states its expected findings in a `.expected` file beside it: one
//! line per finding, `CODE severity line:column` of the primary label (comments start with #).
//! A clean fixture has an empty `.expected`. This test checks each fixture against its file.

use std::path::{Path, PathBuf};
use suanpan::diagnostic::Place;
use suanpan::settings::Settings;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in [root.clone(), root.join("narrative"), root.join("field")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let narrative = p.extension().is_some_and(|x| x == "txt" || x == "md");
            if narrative && p.with_extension("expected").exists() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn actual(path: &Path) -> Vec<String> {
    let settings = Settings::default();
    let report = suanpan::check_paths(&[path.to_path_buf()], &settings);
    let mut lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            let pos = match f.labels.first().map(|l| (&l.place, &l.source)) {
                Some((Place::Text { start, .. }, src)) => {
                    let (l, c) = src.line_col(*start);
                    format!("{l}:{c}")
                }
                _ => "-".to_string(),
            };
            format!("{} {} {}", f.rule.code, f.severity.as_str(), pos)
        })
        .collect();
    lines.sort();
    lines
}

fn expected(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path.with_extension("expected")).unwrap_or_default();
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_fixture_gives_exactly_its_expected_findings() {
    let all = fixtures();
    assert!(all.len() >= 30, "fixtures not found: {all:?}");
    let mut failures = Vec::new();
    for path in &all {
        let (want, got) = (expected(path), actual(path));
        if want != got {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  actual:   {got:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
