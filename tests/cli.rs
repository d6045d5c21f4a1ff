//! The command line over the fixture tree `fixtures/tree/`: five report folders (one clean
//! narrative, one without figures, a binary file named .txt, a .doc, an empty file) plus files a
//! walk must skip (hidden, `~$` lock file, `*~`, `*.tmp`, a hidden folder, a picture).
//!

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TREE: &str = "fixtures/tree";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn suanpan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn suanpan(args: &[&str]) -> Output {
    suanpan_in(&root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The summary row of a report: (errors, warnings, infos).
fn row(summary: &str, report: &str) -> (usize, usize, usize) {
    let line = summary
        .lines()
        .find(|l| l.split_whitespace().nth(4) == Some(report))
        .unwrap_or_else(|| panic!("no summary row for {report} in\n{summary}"));
    let n: Vec<usize> = line
        .split_whitespace()
        .take(3)
        .map(|x| x.parse().expect("a count"))
        .collect();
    (n[0], n[1], n[2])
}

#[test]
fn human_output_ends_with_the_batch_summary() {
    let o = suanpan(&["check", TREE]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Standard error is not a terminal here: no progress bar, nothing at all.
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("报告汇总（5 份报告）："), "{out}");
    assert_eq!(
        row(
            &out,
            "fixtures/tree/dept-a/2024年度部门整体支出绩效自评报告"
        )
        .0,
        0
    );
    assert!(
        out.contains("《2024年度某区文化馆部门整体支出绩效自评报告》"),
        "{out}"
    );
    assert_eq!(row(&out, "fixtures/tree/dept-b/补充说明"), (0, 0, 1));
    assert_eq!(row(&out, "fixtures/tree/dept-c/自评报告"), (1, 0, 0));
    assert_eq!(row(&out, "fixtures/tree/dept-d/自评报告"), (0, 1, 0));
    assert_eq!(row(&out, "fixtures/tree/dept-e/空白"), (1, 0, 0));
    assert!(out.contains("未能读取的文件（3 个）："), "{out}");
    assert!(out.contains(
        "  fixtures/tree/dept-c/自评报告.txt：文件不是文本（含二进制内容），可能扩展名有误\n"
    ));
    assert!(out.contains(
        "  fixtures/tree/dept-d/自评报告.doc：不支持 .doc 格式，请另存为 .docx 后再检查\n"
    ));
    assert!(out.contains("  fixtures/tree/dept-e/空白.txt：文件为空，没有可检查的内容\n"));
    let last = out.lines().last().unwrap_or_default();
    assert_eq!(last, "检查了 5 个文件：2 个错误，1 个警告，1 条提示");
}

#[test]
fn walking_skips_hidden_lock_temp_and_foreign_files() {
    let o = suanpan(&["check", TREE, "--format", "line"]);
    let out = stdout(&o);
    for skipped in ["隐藏草稿", "~$", "草稿.txt~", "保存中.tmp", "缓存", "照片"] {
        assert!(!out.contains(skipped), "{skipped} was checked:\n{out}");
    }
}

#[test]
fn english_summary() {
    let o = suanpan(&["--lang", "en", "check", TREE]);
    let out = stdout(&o);
    assert!(out.contains("Reports (5):"), "{out}");
    assert!(out.contains("Files not read (3):"), "{out}");
    assert!(out.contains("fixtures/tree/dept-e/空白.txt: the file is empty\n"));
    assert!(out.contains("checked 5 file(s): 2 error(s), 1 warning(s), "));
}

#[test]
fn line_format_is_one_finding_per_line() {
    let o = suanpan(&["check", TREE, "--format", "line"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(
        &"fixtures/tree/dept-c/自评报告.txt: error SP0001 文件不是文本（含二进制内容），可能扩展名有误"
    ));
    assert!(lines.contains(
        &"fixtures/tree/dept-d/自评报告.doc: warning SP0002 不支持 .doc 格式，请另存为 .docx 后再检查"
    ));
    assert!(
        lines.contains(&"fixtures/tree/dept-e/空白.txt: error SP0001 文件为空，没有可检查的内容")
    );
    assert!(lines.contains(
        &"fixtures/tree/dept-b/补充说明.txt: info SP0003 没有识别出可核对的预算、执行、得分或等级数字"
    ));
    // Every line names a file of the tree and a code; the summary went to stderr.
    for l in &lines {
        assert!(l.starts_with("fixtures/tree/dept-"), "{l}");
        assert!(
            [": error SP0", ": warning SP0", ": info SP0"]
                .iter()
                .any(|s| l.contains(s)),
            "{l}"
        );
    }
    assert!(stderr(&o).contains("报告汇总（5 份报告）"));
}

#[test]
fn json_follows_the_contract() {
    let o = suanpan(&["check", TREE, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("valid JSON on stdout");
    assert_eq!(v["tool"]["name"], "suanpan");
    assert_eq!(v["summary"]["files"], 5);
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["warnings"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    let of = |file: &str| -> Vec<(&str, &str)> {
        diags
            .iter()
            .filter(|d| d["file"] == file)
            .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
            .collect()
    };
    assert_eq!(
        of("fixtures/tree/dept-c/自评报告.txt"),
        [("SP0001", "error")]
    );
    assert_eq!(
        of("fixtures/tree/dept-d/自评报告.doc"),
        [("SP0002", "warning")]
    );
    assert_eq!(of("fixtures/tree/dept-e/空白.txt"), [("SP0001", "error")]);
    assert_eq!(
        of("fixtures/tree/dept-b/补充说明.txt"),
        [("SP0003", "info")]
    );
    // Sorted by file.
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    let unreadable = diags
        .iter()
        .find(|d| d["code"] == "SP0001")
        .expect("an SP0001");
    assert_eq!(unreadable["rule"], "input-unreadable");
    assert_eq!(unreadable["labels"][0]["file"], unreadable["file"]);
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let one = suanpan(&["check", TREE, "--format", "json", "-j", "1"]);
    let many = suanpan(&["check", TREE, "--format", "json", "-j", "4"]);
    assert_eq!(one.stdout, many.stdout);
    let one = suanpan(&["check", TREE, "-j", "1"]);
    let many = suanpan(&["check", TREE, "-j", "4"]);
    assert_eq!(one.stdout, many.stdout);
}

#[test]
fn sarif_is_valid_and_carries_rules() {
    let o = suanpan(&["check", TREE, "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in ["SP0001", "SP0002", "SP0003"] {
        assert!(ids.contains(&code), "{ids:?}");
    }
    let sp0002 = rules.iter().find(|r| r["id"] == "SP0002").unwrap();
    assert_eq!(sp0002["name"], "input-unsupported");
    assert_eq!(sp0002["defaultConfiguration"]["level"], "warning");
    assert!(
        sp0002["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("SP0002")
    );
    let results = run["results"].as_array().unwrap();
    // The same findings as the JSON output.
    let json: Value =
        serde_json::from_slice(&suanpan(&["check", TREE, "--format", "json"]).stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(results.len() >= 4);
    assert_eq!(results.len(), diagnostics.len());
    for (r, d) in results.iter().zip(diagnostics) {
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(r["message"]["text"], d["message"]);
    }
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let empty = results
        .iter()
        .find(|r| r["message"]["text"] == "文件为空，没有可检查的内容")
        .expect("the empty file's result");
    assert_eq!(empty["level"], "error");
    assert_eq!(
        empty["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/tree/dept-e/%E7%A9%BA%E7%99%BD.txt"
    );
    let info = results.iter().find(|r| r["ruleId"] == "SP0003").unwrap();
    assert_eq!(info["level"], "note");
}

#[test]
fn output_file_gets_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let o = suanpan(&[
        "check",
        TREE,
        "--format",
        "sarif",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
}

#[test]
fn exit_codes() {
    // Info only: clean by default, failing with --fail-on info.
    let o = suanpan(&["check", "fixtures/tree/dept-b"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = suanpan(&["check", "fixtures/tree/dept-b", "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(1));
    // A warning (unsupported .doc): 0 by default, 1 with --fail-on warning.
    let o = suanpan(&["check", "fixtures/tree/dept-d"]);
    assert_eq!(o.status.code(), Some(0));
    let o = suanpan(&["check", "fixtures/tree/dept-d", "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(1));
    // An error finding.
    let o = suanpan(&["check", "fixtures/tree/dept-c"]);
    assert_eq!(o.status.code(), Some(1));
    // The run itself fails: bad usage, an output that cannot be written.
    let o = suanpan(&["check", TREE, "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = suanpan(&["check", TREE, "-o", "/nonexistent-dir/x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法写入 /nonexistent-dir/x.json"));
}

fn scratch(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let tree = root().join(TREE);
    for sub in ["dept-c", "dept-d", "dept-b"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(tree.join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(dir.path().join("nested/deeper")).unwrap();
    std::fs::write(dir.path().join("suanpan.toml"), config).unwrap();
    dir
}

#[test]
fn config_is_found_upward_and_applied() {
    let dir = scratch(
        "ignore = [\"no-figures\"]\n\
         [severity]\nSP0002 = \"error\"\n\
         [per-path-ignores]\n\"dept-c/**\" = [\"SP0001\"]\n",
    );
    // Run from a folder below the configuration: it is still found.
    let o = suanpan_in(
        &dir.path().join("nested/deeper"),
        &["check", "../..", "--format", "line"],
    );
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("../../dept-d/自评报告.doc: error SP0002 "),
        "{out}"
    );
    // SP0002 raised to error → exit 1.
    assert_eq!(o.status.code(), Some(1));

    // The same tree with --config pointing at an empty file: defaults again.
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let o = suanpan_in(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--config",
            empty.to_str().unwrap(),
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["infos"], 1);
}

#[test]
fn select_limits_the_rules() {
    let dir = scratch("select = [\"SP0001\"]\n");
    let o = suanpan_in(dir.path(), &["check", ".", "--format", "line"]);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("SP0001"));
}

#[test]
fn a_selector_that_picks_no_rule_is_an_error_with_its_span() {
    // SP105 looks like a code but is the prefix of none: it would ignore nothing.
    let dir = scratch("ignore = [\"SP0003\", \"SP105\"]\n");
    let o = suanpan_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.contains("未知规则“SP105”"), "{err}");
    assert!(
        err.contains("1 │ ignore = [\"SP0003\", \"SP105\"]"),
        "{err}"
    );
}

#[test]
fn select_and_ignore_on_the_command_line() {
    let o = suanpan(&[
        "check",
        TREE,
        "--format",
        "line",
        "--select",
        "SP0001, input-unsupported",
    ]);
    let codes: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split(' ').nth(2).unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes, ["SP0001", "SP0002", "SP0001"], "{}", stdout(&o));
    let o = suanpan(&["check", TREE, "--format", "line", "--ignore", "SP00"]);
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0));
    // The command line's --select replaces the configuration's; its --ignore adds to it.
    let dir = scratch("select = [\"SP0003\"]\n");
    let o = suanpan_in(
        dir.path(),
        &["check", ".", "--format", "line", "--select", "SP0001"],
    );
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("SP0001"));
    let o = suanpan_in(
        dir.path(),
        &["check", ".", "--format", "line", "--ignore", "SP0003"],
    );
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    // An entry that picks no rule is a usage error naming it.
    for (args, named) in [
        (["--select", "SP0001,SP105"], "SP105"),
        (["--ignore", "score_sum"], "score_sum"),
        (["--ignore", "SP0001,,SP0002"], "“”"),
    ] {
        let o = suanpan(&[&["check", TREE][..], &args[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty());
        let err = stderr(&o);
        assert!(err.contains(args[0]) && err.contains(named), "{err}");
    }
    let o = suanpan(&["--lang", "en", "check", TREE, "--select", "SP9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown rule `SP9`"), "{}", stderr(&o));
}

#[test]
fn bad_config_is_a_run_error_with_its_span() {
    let dir = scratch("select = [\"ALL\"]\n[severity]\nSP0002 = \"fatal\"\n");
    let o = suanpan_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.contains("suanpan.toml"), "{err}");
    assert!(err.contains("严重程度“fatal”无效"), "{err}");
    // miette shows the offending line with its line number.
    assert!(err.contains("3 │ SP0002 = \"fatal\""), "{err}");

    let dir = scratch("[tolerance]\nmoney = 0.01\nrate = 1\n");
    let o = suanpan_in(dir.path(), &["--lang", "en", "check", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown field `rate`"), "{err}");
    assert!(err.contains("3 │ rate = 1"), "{err}");

    let o = suanpan(&["check", TREE, "--config", "/nonexistent/suanpan.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法读取配置文件"));
}

#[test]
fn seed_score_sum_is_an_error_and_its_score_is_summarised() {
    let o = suanpan(&[
        "check",
        "fixtures/000_b73ab5ecdce5c643.txt",
        "--format",
        "line",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(" SP0105 "), "{}", stdout(&o));
    let o = suanpan(&["check", "fixtures/000_b73ab5ecdce5c643.txt"]);
    // The summary shows the stated total score.
    assert!(stdout(&o).contains("88.35"), "{}", stdout(&o));
}

#[test]
fn grade_bands_from_config_reach_the_checks() {
    // With 优 from 85, the seed's 88.35 stated as 良好 is a grade mismatch (SP0107).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("suanpan.toml"),
        "[[grades.band]]\ngrade = \"优\"\nwords = [\"优\", \"优秀\"]\nmin = 85\nmax = 100\n\
         [[grades.band]]\ngrade = \"良\"\nwords = [\"良\", \"良好\"]\nmin = 70\nmax = 85\n\
         [[grades.band]]\ngrade = \"差\"\nwords = [\"差\"]\nmin = 0\nmax = 70\n",
    )
    .unwrap();
    let seed = root().join("fixtures/000_b73ab5ecdce5c643.txt");
    let seed = seed.to_str().unwrap();
    let with = stdout(&suanpan_in(
        dir.path(),
        &["check", seed, "--format", "line"],
    ));
    assert!(
        with.lines()
            .any(|l| l.contains(" SP0107 ") && l.contains("85（含）—100")),
        "{with}"
    );
    let without = stdout(&suanpan(&["check", seed, "--format", "line"]));
    assert!(!without.contains(" SP0107 "), "{without}");
}

#[test]
fn never_overwrites_an_input_with_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("报告.txt");
    std::fs::write(&input, "本文件为说明材料。\n").unwrap();
    let o = suanpan_in(dir.path(), &["check", ".", "-o", "报告.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不会覆盖"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "本文件为说明材料。\n"
    );
}

/// A report bundle with a sheet: the narrative states 92.00, the sheet's 总分 row 82; the second
/// indicator lost points with no deviation reason.
fn sheet_bundle(dir: &Path) {
    use rust_xlsxwriter::Workbook;
    std::fs::write(
        dir.join("自评报告.txt"),
        "2024年度某局项目支出绩效自评报告\n\n经自评，本项目2024年度绩效自评分数为92.00分，评价等级为优。\n",
    )
    .unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "项目支出绩效自评表").unwrap();
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        ("产出指标", "数量指标", "培训场次", 50.0, 42.0),
        ("效益指标", "社会效益指标", "保障水平", 50.0, 40.0),
    ];
    for (i, (a, b, c, w, s)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *a).unwrap();
        ws.write_string(r, 1, *b).unwrap();
        ws.write_string(r, 2, *c).unwrap();
        ws.write_string(r, 3, "≥10场").unwrap();
        ws.write_string(r, 4, "9场").unwrap();
        ws.write_number(r, 5, *w).unwrap();
        ws.write_number(r, 6, *s).unwrap();
        if i == 0 {
            ws.write_string(r, 7, "受客观因素影响").unwrap();
        }
    }
    ws.write_string(5, 0, "总分").unwrap();
    ws.write_number(5, 5, 100.0).unwrap();
    ws.write_number(5, 6, 82.0).unwrap();
    wb.save(dir.join("自评报告.xlsx")).unwrap();
}

#[test]
fn sheet_findings_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    sheet_bundle(dir.path());
    let json: Value =
        serde_json::from_slice(&suanpan_in(dir.path(), &["check", ".", "--format", "json"]).stdout)
            .unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    let with_cell = diags
        .iter()
        .find(|d| d["labels"][0].get("cell").is_some())
        .unwrap_or_else(|| panic!("no finding placed at a cell: {json:#}"));
    // One bundle: the narrative and its sheet, checked together.
    assert_eq!(json["summary"]["files"], 2);

    let sarif_out = suanpan_in(dir.path(), &["check", ".", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&sarif_out.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let cells: Vec<&Value> = results
        .iter()
        .flat_map(|r| {
            r["locations"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(r["relatedLocations"].as_array().into_iter().flatten())
        })
        .filter(|l| l.get("logicalLocations").is_some())
        .collect();
    assert!(!cells.is_empty(), "{sarif:#}");
    for c in &cells {
        let sheet = c["properties"]["sheet"].as_str().unwrap();
        let cell = c["properties"]["cell"].as_str().unwrap();
        assert_eq!(
            c["logicalLocations"][0]["fullyQualifiedName"],
            format!("{sheet}!{cell}")
        );
        // A region with a startLine, which code-scanning UIs need to show a result at all.
        assert_eq!(c["physicalLocation"]["region"]["startLine"], 1, "{c:#}");
        assert_eq!(
            c["physicalLocation"]["region"]["message"]["text"],
            format!("{sheet}!{cell}")
        );
    }
    for r in results {
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() >= Some(1),
            "{r:#}"
        );
    }

    // The line format places a finding whose primary label is a cell as path!Sheet!Cell.
    let line = stdout(&suanpan_in(dir.path(), &["check", ".", "--format", "line"]));
    let primary = &with_cell["labels"][0];
    let want = format!(
        "{}!{}!{}: {} {} ",
        primary["file"].as_str().unwrap(),
        primary["sheet"].as_str().unwrap(),
        primary["cell"].as_str().unwrap(),
        with_cell["severity"].as_str().unwrap(),
        with_cell["code"].as_str().unwrap()
    );
    assert!(line.contains(&want), "{want}\n{line}");
    // And the narrative/sheet disagreement at the narrative's figure.
    assert!(
        line.lines()
            .any(|l| l.starts_with("./自评报告.txt:3:21: error SP0301 ")),
        "{line}"
    );
}

/// A folder holding only files the walk skips: no findings and exit 0, but standard error says
/// that nothing was found, so a CI job pointed at the wrong folder does not pass in silence.
#[test]
fn a_folder_without_report_files_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["~$自评表.xlsx", ".隐藏.txt", "草稿.tmp", "照片.jpg"] {
        std::fs::write(dir.path().join(name), "x").unwrap();
    }
    let o = suanpan_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("suanpan: . 下没有找到报告文件"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("检查了 0 个文件"), "{}", stdout(&o));
    let o = suanpan_in(
        dir.path(),
        &["check", ".", "--lang", "en", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("no report files"), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).expect("a json document");
    assert_eq!(
        doc["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "{doc}"
    );
    assert_eq!(doc["summary"]["files"], 0, "{doc}");
    // Beside a folder that has reports, the empty one is still named, and only it.
    let clean = root().join("fixtures/narrative/rate_clean.txt");
    let o = suanpan_in(dir.path(), &["check", clean.to_str().unwrap(), "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("suanpan: . 下没有找到报告文件"), "{err}");
    assert!(!err.contains("rate_clean"), "{err}");
}

/// Machine formats check bundles in the order of the whole report (`d-x/…` before `d/…`,
/// `d/sub/…` before `d/z…`), yet their summary on standard error lists the reports as the human
/// output does: folder by folder.
#[test]
fn machine_formats_summarise_reports_in_the_human_order() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "2024年度年初预算为100万元，预算调整增加20万元，全年预算为130万元。";
    for f in ["d/a", "d/sub/b", "d-x/c", "d/z", "d/sub/a2", "d-x/b"] {
        let path = dir.path().join(format!("{f}.txt"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, sentence).unwrap();
    }
    let human = stdout(&suanpan_in(dir.path(), &["check", "."]));
    let table = &human[human.find("报告汇总").expect("a summary")..];
    let order: Vec<&str> = table
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(4))
        .take(6)
        .collect();
    assert_eq!(
        order,
        [
            "./d/a",
            "./d/z",
            "./d/sub/a2",
            "./d/sub/b",
            "./d-x/b",
            "./d-x/c"
        ],
        "{human}"
    );
    for format in ["json", "sarif"] {
        let o = suanpan_in(dir.path(), &["check", ".", "--format", format]);
        assert_eq!(stderr(&o), table, "{format}");
        assert_eq!(
            o.status.code(),
            Some(1),
            "{format}: each report has an error"
        );
    }
}
