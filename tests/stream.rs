//! `--format json` and `--format sarif` are written as the bundles are checked; the document must
//! be the one the whole-report renderers give for the same run (`check_paths` then
//! `render::json::render` / `render::sarif::render`), byte for byte. The tree below is built so
//! that the order of the bundles differs from the order of the report (files sorted by their
//! path as a string) and so that it spans several of `for_each_checked`'s chunks of 256 bundles.

use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use suanpan::Bundle;
use suanpan::check::input::{NO_FIGURES, UNREADABLE};
use suanpan::diagnostic::{Finding, Lang, Place, Source, Text};
use suanpan::render::order::ReportOrder;
use suanpan::settings::Settings;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn copy(from: &str, to: &Path) {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).expect("a folder");
    }
    std::fs::copy(fixture(from), to).expect("a copy");
}

/// A tree whose bundle order is not its report order:
/// - `d/` holds one narrative and a workbook (one bundle: `d/a报告.txt` + `d/z表.xlsx`), a .pdf
///   (its own bundle) that sorts between them, and a subfolder `d/sub/` that sorts between them
///   too (bundles: folder `d` before `d/sub`; strings: `d/a…` < `d/m.pdf` < `d/sub/…` < `d/z…`);
/// - `d-x/` sorts before `d/` as a string, after it as a path;
/// - `e/`: stems `a` < `a-b`, but `e/a-b.txt` < `e/a.txt`; `e/X.docx` + `e/X.xlsx` with
///   `e/X.foo.txt` (stem `X.foo`, its own bundle) between them;
/// - 300 more report folders `r000/`…, some with a sheet, so the run has several chunks.
fn tree(root: &Path) {
    copy(
        "field/r05_planted_rate_scoresum.txt",
        &root.join("d/a报告.txt"),
    );
    copy(
        "sheets/部门整体自评表（有错）.xlsx",
        &root.join("d/z表.xlsx"),
    );
    std::fs::write(root.join("d/m.pdf"), "%PDF").expect("a file");
    copy("field/r04_planted_budgetsum.txt", &root.join("d/sub/x.txt"));
    copy(
        "field/r12_planted_overweight.txt",
        &root.join("d/sub/y.txt"),
    );
    copy("field/r06_planted_grade.txt", &root.join("d-x/q.txt"));
    copy("field/r07_planted_sangong.txt", &root.join("e/a.txt"));
    copy(
        "field/r08_planted_change_restated.txt",
        &root.join("e/a-b.txt"),
    );
    copy("000_b73ab5ecdce5c643.docx", &root.join("e/X.docx"));
    copy("sheets/职工疗休养项目.xlsx", &root.join("e/X.xlsx"));
    copy("narrative/budget_sum_bad.txt", &root.join("e/X.foo.txt"));
    let narratives = [
        "field/r04_planted_budgetsum.txt",
        "field/r05_planted_rate_scoresum.txt",
        "field/r09_table_consistent.txt",
        "narrative/components_bad.txt",
        "narrative/grade_band_bad.txt",
        "narrative/change_clean.txt",
    ];
    for i in 0..300 {
        let dir = root.join(format!("r{i:03}"));
        copy(narratives[i % narratives.len()], &dir.join("报告.txt"));
        if i % 25 == 0 {
            copy(
                "sheets/部门整体自评表（有错）.xlsx",
                &dir.join("自评表.xlsx"),
            );
        }
    }
}

/// The CLI's output for `check ROOT --format FORMAT`, and its exit code.
fn cli(root: &Path, format: &str, lang: &str) -> (String, Option<i32>) {
    let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(["--lang", lang, "check"])
        .arg(root)
        .args(["--format", format, "-j", "2"])
        .current_dir(root)
        .output()
        .expect("the binary runs");
    (String::from_utf8(o.stdout).expect("UTF-8"), o.status.code())
}

#[test]
fn streamed_json_and_sarif_are_the_whole_documents() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("t");
    tree(&root);
    let paths = vec![root.clone()];
    let bundles = suanpan::bundles(&paths);
    assert!(
        bundles.len() > 256,
        "{} bundles: one chunk only",
        bundles.len()
    );
    let report = suanpan::check_paths(&paths, &Settings::default());
    // The tree does what it is for: the report's first finding is not about the first bundle.
    let first_file = report.findings[0].source.path.clone();
    assert!(first_file.ends_with("d-x/q.txt"), "{first_file:?}");
    assert!(!bundles[0].files.contains(&first_file));

    for (format, lang) in [("json", Lang::Zh), ("json", Lang::En), ("sarif", Lang::Zh)] {
        let whole = match format {
            "json" => suanpan::render::json::render(&report, lang),
            _ => suanpan::render::sarif::render(&report, lang),
        };
        let lang_arg = if lang == Lang::En { "en" } else { "zh" };
        let (streamed, code) = cli(&root, format, lang_arg);
        assert_eq!(code, Some(1), "{format}");
        let (a, b): (Value, Value) = (
            serde_json::from_str(&streamed).expect("the CLI's output parses"),
            serde_json::from_str(&whole).expect("the whole document parses"),
        );
        assert_eq!(a, b, "{format} {lang_arg}: not the same JSON value");
        assert!(
            streamed == whole,
            "{format} {lang_arg}: same value, other bytes"
        );
    }
}

/// Findings about the given files of a bundle: `k` per file at positions chosen by the caller.
fn finding(source: &Arc<Source>, start: usize, tag: usize) -> Finding {
    let rule = if tag.is_multiple_of(2) {
        &UNREADABLE
    } else {
        &NO_FIGURES
    };
    let place = if tag.is_multiple_of(3) {
        Place::File
    } else {
        Place::Text {
            start,
            end: start + 1,
        }
    };
    Finding::new(rule, source.clone(), Text::new(tag.to_string(), "")).label(
        source,
        place,
        Text::new("", ""),
    )
}

/// What `check_bundles` does with the bundles' findings: in bundle order, each bundle sorted,
/// then one stable sort.
fn whole_order(per_bundle: &[Vec<Finding>]) -> Vec<Finding> {
    let mut all: Vec<Finding> = per_bundle.iter().flatten().cloned().collect();
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    all
}

/// What the CLI does: bundles in `ReportOrder`'s run order, findings as they become ready.
/// Also returns the most findings held at once.
fn streamed_order(bundles: &[Bundle], per_bundle: &[Vec<Finding>]) -> (Vec<Finding>, usize) {
    let mut order = ReportOrder::new(bundles);
    let run = order.run().to_vec();
    let moved: Vec<Bundle> = run.iter().map(|&i| bundles[i].clone()).collect();
    assert_eq!(order.run_order(bundles.to_vec()), moved);
    let (mut out, mut most) = (Vec::new(), 0);
    for i in run {
        let (index, ready) = order.push(per_bundle[i].clone());
        assert_eq!(index, i);
        out.extend(ready);
        most = most.max(order.waiting());
    }
    out.extend(order.finish());
    (out, most)
}

/// (file, tag) of each finding, to compare two orders.
fn ids(findings: &[Finding]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| (f.source.display_path(), f.message.zh.clone()))
        .collect()
}

const DIRS: &[&str] = &["d", "d-x", "d/sub", "d.x", "e", "e/a"];
const STEMS: &[&str] = &["a", "a-b", "a.b", "z", "X", "报告"];
const EXTS: &[&str] = &["txt", "xlsx", "pdf"];

/// Bundles (any grouping of any files, a path possibly in two bundles) and their findings, each
/// bundle's sorted as `for_each_checked` hands them on; ties in `sort_key` are frequent.
fn run_of(
    files: &[(usize, usize, usize, usize)],
    findings: &[(usize, usize, usize)],
) -> (Vec<Bundle>, Vec<Vec<Finding>>) {
    let mut groups: std::collections::BTreeMap<usize, Vec<PathBuf>> = Default::default();
    for &(d, s, e, b) in files {
        let path = PathBuf::from(format!("{}/{}.{}", DIRS[d], STEMS[s], EXTS[e]));
        groups.entry(b).or_default().push(path);
    }
    let bundles: Vec<Bundle> = groups.into_values().map(Bundle::new).collect();
    let mut per_bundle: Vec<Vec<Finding>> = vec![Vec::new(); bundles.len()];
    for (tag, &(b, f, start)) in findings.iter().enumerate() {
        let b = b % bundles.len();
        let path = &bundles[b].files[f % bundles[b].files.len()];
        let source = Source::new(path.clone(), String::new());
        per_bundle[b].push(finding(&source, start, tag));
    }
    for f in &mut per_bundle {
        f.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    (bundles, per_bundle)
}

proptest! {
    #[test]
    fn the_streamed_order_is_the_whole_reports(
        files in prop::collection::vec((0..DIRS.len(), 0..STEMS.len(), 0..EXTS.len(), 0usize..8), 1..24),
        findings in prop::collection::vec((0usize..8, 0usize..4, 0usize..3), 0..40),
    ) {
        let (bundles, per_bundle) = run_of(&files, &findings);
        let (streamed, _) = streamed_order(&bundles, &per_bundle);
        prop_assert_eq!(ids(&streamed), ids(&whole_order(&per_bundle)));
    }

    #[test]
    fn bundles_of_one_file_never_wait(
        files in prop::collection::vec((0..DIRS.len(), 0..STEMS.len(), 0..EXTS.len()), 1..24),
        findings in prop::collection::vec((0usize..24, 0usize..1, 0usize..3), 0..40),
    ) {
        let files: Vec<_> = files.iter().enumerate().map(|(i, &(d, s, e))| (d, s, e, i)).collect();
        let (bundles, per_bundle) = run_of(&files, &findings);
        let (streamed, most) = streamed_order(&bundles, &per_bundle);
        prop_assert_eq!(ids(&streamed), ids(&whole_order(&per_bundle)));
        // A file in two bundles waits for the second; otherwise nothing is held.
        let mut all: Vec<&PathBuf> = bundles.iter().flat_map(|b| &b.files).collect();
        let n = all.len();
        all.sort();
        all.dedup();
        if all.len() == n {
            prop_assert_eq!(most, 0);
        }
    }
}

#[test]
fn the_cli_tree_holds_few_findings() {
    // On the layout above, only the sheet of `d/` (behind `d/m.pdf` and `d/sub/`) and `e/X.xlsx`
    // (behind `e/X.foo.txt`) wait.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("t");
    tree(&root);
    let bundles = suanpan::bundles(&[root]);
    let settings = Settings::default();
    let mut order = ReportOrder::new(&bundles);
    let run = order.run_order(bundles.clone());
    let (mut most, mut total) = (0, 0);
    let mut written: Vec<Finding> = Vec::new();
    suanpan::for_each_checked(&run, &settings, &|| {}, |findings, _| {
        total += findings.len();
        let (_, ready) = order.push(findings);
        written.extend(ready);
        most = most.max(order.waiting());
    });
    assert!(order.finish().is_empty());
    assert_eq!(written.len(), total);
    eprintln!("{most} of {total} findings held at once");
    assert!(most <= 12, "{most} of {total} findings held at once");
}

/// Reading a batch of bundles one kind of file at a time (`inspect_batch`, as `for_each_checked`
/// does) gives each bundle what reading it alone gives: the same findings in the same order,
/// the same title and stated score. The fixture folders hold unreadable files, narratives with
/// and without sheets, and bundles of one and several files.
#[test]
fn batched_inspection_is_bundle_by_bundle_inspection() {
    let settings = Settings::default();
    let roots: Vec<PathBuf> = ["tree", "broken", "field", "sheets", "narrative"]
        .iter()
        .map(|d| fixture(d))
        .collect();
    let bundles = suanpan::bundles(&roots);
    assert!(bundles.len() > 50, "{} bundles", bundles.len());
    let shown = |i: &suanpan::Inspected| {
        let lines = suanpan::render::line::render_findings(&i.findings, Lang::En);
        (lines, i.title.clone(), i.stated_score.clone())
    };
    for batch in bundles.chunks(7) {
        let together = suanpan::inspect_batch(batch, &settings);
        assert_eq!(together.len(), batch.len());
        for (bundle, inspected) in batch.iter().zip(&together) {
            let alone = suanpan::inspect_bundle(bundle, &settings);
            assert_eq!(shown(inspected), shown(&alone), "{:?}", bundle.files);
        }
    }
}
