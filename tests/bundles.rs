//! Which files of a folder are one report: a department's 部门整体 narrative is not
//! cross-checked against its projects' 自评表 beside it (SP0302 says so instead), a project
//! narrative still is against its own sheet, the summary's score is the narrative's, and
//! `[[bundle]]` in suanpan.toml states a pairing.

// A configuration error carries the TOML text, as in src/config.rs.
#![allow(clippy::result_large_err)]

mod support;

use std::path::Path;
use suanpan::diagnostic::{Finding, Lang};
use suanpan::settings::Settings;
use support::workbooks::{SheetSpec, project_rows, write_xlsx};

/// 2024 department report: budget, spending, rate and a total of 91 points, none of which is a
/// project sheet's.
const DEPT: &str = "2024年度某某局部门整体支出绩效自评报告\n\
一、基本情况\n\
2024年度年初预算为1200.00万元，全年预算为1300.00万元，实际支出1250.00万元，预算执行率为96.15%。\n\
二、自评结论\n\
经自评，部门整体自评得分为91分，等级为优。\n";

/// The 职工疗休养 project's narrative, agreeing with `project_rows` (total 94.75).
const PROJECT: &str = "2024年度职工疗休养项目支出绩效自评报告\n\
2024年度职工疗休养项目年初预算为200.00万元，全年预算为220.00万元，实际支出214.50万元，预算执行率为97.50%。\n\
经自评，本项目自评得分为94.75分，等级为优。\n";

fn project_sheet(path: &Path, project: &str) {
    let rows: Vec<Vec<String>> = project_rows()
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| c.replace("职工疗休养项目", project))
                .collect()
        })
        .collect();
    write_xlsx(
        path,
        &[SheetSpec {
            name: "自评表",
            origin: (0, 0),
            rows,
        }],
    );
}

/// A folder with the department report and two project sheets (which sort before it, so the
/// first facts of the folder are a sheet's).
fn bureau() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("部门整体支出绩效自评报告.txt"), DEPT).unwrap();
    project_sheet(
        &d.path().join("办公设备购置项目自评表.xlsx"),
        "办公设备购置项目",
    );
    project_sheet(
        &d.path().join("职工疗休养项目自评表.xlsx"),
        "职工疗休养项目",
    );
    d
}

fn codes<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule.code == code).collect()
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn a_department_report_is_not_cross_checked_against_project_sheets() {
    let d = bureau();
    let report = suanpan::check_paths(&[d.path().to_path_buf()], &Settings::default());
    assert!(
        codes(&report.findings, "SP0301").is_empty(),
        "{:#?}",
        report.findings
    );
    // Each sheet left out is said, naming both files and why.
    let unpaired = codes(&report.findings, "SP0302");
    let mut sheets: Vec<String> = unpaired.iter().map(|f| file_name(&f.source.path)).collect();
    sheets.sort();
    assert_eq!(
        sheets,
        ["办公设备购置项目自评表.xlsx", "职工疗休养项目自评表.xlsx"]
    );
    for f in &unpaired {
        assert_eq!(f.severity, suanpan::diagnostic::Severity::Info);
        let zh = &f.message.zh;
        assert!(zh.contains("部门整体支出绩效自评报告.txt"), "{zh}");
        assert!(
            zh.contains("部门（单位）整体报告") && zh.contains("项目支出自评表"),
            "{zh}"
        );
        assert!(f.message.en.contains("department-wide"), "{}", f.message.en);
    }
    // One report in the summary, with the narrative's own score and grade, not a sheet's 94.75.
    let rows: Vec<_> = report.bundles.iter().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].stated_score, Some("91.00分"));
    assert_eq!(rows[0].stated_grade, Some("优"));
    assert_eq!(
        rows[0].title,
        Some("2024年度某某局部门整体支出绩效自评报告")
    );
    assert_eq!(
        (rows[0].errors, rows[0].infos),
        (0, 2),
        "{:#?}",
        report.findings
    );
}

#[test]
fn an_unreadable_department_report_is_not_scored_by_a_project_sheet() {
    let d = bureau();
    // The report saved as an empty file: nothing of it can be read.
    std::fs::write(d.path().join("部门整体支出绩效自评报告.txt"), "").unwrap();
    let report = suanpan::check_paths(&[d.path().to_path_buf()], &Settings::default());
    let rows: Vec<_> = report.bundles.iter().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].stated_score, rows[0].stated_grade), (None, None));
    assert_eq!(rows[0].unreadable.len(), 1, "{:#?}", report.findings);
}

#[test]
fn a_project_narrative_beside_the_department_report_is_checked_against_its_own_sheet() {
    let d = bureau();
    // The project's narrative, its total planted wrong (92.75 where its sheet says 94.75).
    std::fs::write(
        d.path().join("职工疗休养项目绩效自评报告.txt"),
        PROJECT.replace("94.75分", "92.75分"),
    )
    .unwrap();
    let report = suanpan::check_paths(&[d.path().to_path_buf()], &Settings::default());
    let cross = codes(&report.findings, "SP0301");
    assert_eq!(cross.len(), 1, "{:#?}", report.findings);
    assert_eq!(
        file_name(&cross[0].source.path),
        "职工疗休养项目绩效自评报告.txt"
    );
    assert!(
        cross[0].message.zh.contains("92.75") && cross[0].message.zh.contains("94.75"),
        "{}",
        cross[0].message.zh
    );
    assert!(
        cross[0].message.zh.contains("职工疗休养项目自评表.xlsx"),
        "{}",
        cross[0].message.zh
    );
    // The other project's sheet, alone in a folder of two narratives, is said to be unpaired.
    let unpaired = codes(&report.findings, "SP0302");
    assert_eq!(unpaired.len(), 1, "{:#?}", report.findings);
    assert_eq!(
        file_name(&unpaired[0].source.path),
        "办公设备购置项目自评表.xlsx"
    );
    assert!(
        unpaired[0].message.zh.contains("所在文件夹有 2 份正文"),
        "{}",
        unpaired[0].message.zh
    );
    // The department report, the project and the other project's sheet: three reports.
    let rows: Vec<_> = report.bundles.iter().collect();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let scores: Vec<Option<&str>> = rows.iter().map(|r| r.stated_score).collect();
    assert!(scores.contains(&Some("91.00分")), "{scores:?}");
    assert!(scores.contains(&Some("92.75分")), "{scores:?}");
    // Agreeing, nothing is found across documents.
    std::fs::write(d.path().join("职工疗休养项目绩效自评报告.txt"), PROJECT).unwrap();
    let report = suanpan::check_paths(&[d.path().to_path_buf()], &Settings::default());
    assert!(
        codes(&report.findings, "SP0301").is_empty(),
        "{:#?}",
        report.findings
    );
}

#[test]
fn a_narrative_is_paired_with_the_sheet_its_title_names() {
    // One narrative, named by no file stem, and two project sheets: its title names one of
    // them (项目名称 职工疗休养项目); the other project's sheet is left out and said.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("自评报告.txt"),
        PROJECT.replace("94.75分", "92.75分"),
    )
    .unwrap();
    project_sheet(&d.path().join("评分表.xlsx"), "职工疗休养项目");
    project_sheet(&d.path().join("附表.xlsx"), "办公设备购置项目");
    let report = suanpan::check_paths(&[d.path().to_path_buf()], &Settings::default());
    let cross = codes(&report.findings, "SP0301");
    assert_eq!(cross.len(), 1, "{:#?}", report.findings);
    assert!(
        cross[0].message.zh.contains("评分表.xlsx"),
        "{}",
        cross[0].message.zh
    );
    let unpaired = codes(&report.findings, "SP0302");
    assert_eq!(unpaired.len(), 1, "{:#?}", report.findings);
    assert_eq!(file_name(&unpaired[0].source.path), "附表.xlsx");
    assert!(
        unpaired[0].message.zh.contains("名称不同")
            && unpaired[0].message.zh.contains("办公设备购置项目"),
        "{}",
        unpaired[0].message.zh
    );
}

fn config(dir: &Path, text: &str) -> Result<Settings, suanpan::config::ConfigError> {
    let path = dir.join(suanpan::config::FILE_NAME);
    std::fs::write(&path, text).unwrap();
    suanpan::config::parse(text, &path, Lang::En)
}

#[test]
fn a_stated_bundle_is_cross_checked_whatever_its_names_say() {
    let d = bureau();
    let settings = config(
        d.path(),
        "[[bundle]]\nnarrative = \"部门整体支出绩效自评报告.txt\"\nsheets = [\"职工疗休养项目自评表.xlsx\"]\n",
    )
    .unwrap();
    let report = suanpan::check_paths(&[d.path().to_path_buf()], &settings);
    // Stated so, the department report is checked against that sheet: 91 against 94.75, and
    // each budget figure.
    let cross = codes(&report.findings, "SP0301");
    assert!(cross.len() >= 4, "{:#?}", report.findings);
    for f in &cross {
        assert_eq!(file_name(&f.source.path), "部门整体支出绩效自评报告.txt");
        assert!(
            f.message.zh.contains("职工疗休养项目自评表.xlsx"),
            "{}",
            f.message.zh
        );
    }
    assert!(
        cross
            .iter()
            .any(|f| f.message.zh.contains("91") && f.message.zh.contains("94.75")),
        "{cross:#?}"
    );
    // The stated bundle, then the other sheet on its own: no pairing left unsaid.
    let names: Vec<Vec<String>> =
        suanpan::bundles_with(&[d.path().to_path_buf()], &settings.bundles)
            .iter()
            .map(|b| b.files.iter().map(|f| file_name(f)).collect())
            .collect();
    assert_eq!(
        names,
        [
            vec![
                "部门整体支出绩效自评报告.txt".to_string(),
                "职工疗休养项目自评表.xlsx".to_string()
            ],
            vec!["办公设备购置项目自评表.xlsx".to_string()],
        ]
    );
    assert!(codes(&report.findings, "SP0302").is_empty());
}

/// The text a configuration error's span covers, and its message.
fn error_at(dir: &Path, text: &str) -> (String, String) {
    match config(dir, text) {
        Err(suanpan::config::ConfigError::Invalid { message, span, .. }) => {
            let span = span.expect("a span");
            (
                text[span.offset()..span.offset() + span.len()].to_string(),
                message,
            )
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_stated_bundle_naming_a_missing_or_wrong_file_is_an_error_at_its_span() {
    let d = bureau();
    let (at, msg) = error_at(
        d.path(),
        "[[bundle]]\nnarrative = \"部门整体支出绩效自评报告.txt\"\nsheets = [\"没有这张表.xlsx\"]\n",
    );
    assert_eq!(at, "\"没有这张表.xlsx\"");
    assert!(
        msg.contains("no such file") && msg.contains("没有这张表.xlsx"),
        "{msg}"
    );
    let (at, msg) = error_at(
        d.path(),
        "[[bundle]]\nnarrative = \"没有这份报告.docx\"\nsheets = [\"职工疗休养项目自评表.xlsx\"]\n",
    );
    assert_eq!(at, "\"没有这份报告.docx\"");
    assert!(msg.contains("没有这份报告.docx"), "{msg}");
    // A sheet given as the narrative, and a key the table does not know.
    let (at, msg) = error_at(
        d.path(),
        "[[bundle]]\nnarrative = \"职工疗休养项目自评表.xlsx\"\nsheets = [\"办公设备购置项目自评表.xlsx\"]\n",
    );
    assert_eq!(at, "\"职工疗休养项目自评表.xlsx\"");
    assert!(msg.contains("not a narrative"), "{msg}");
    let (at, _) = error_at(
        d.path(),
        "[[bundle]]\nnarrative = \"部门整体支出绩效自评报告.txt\"\nsheet = [\"职工疗休养项目自评表.xlsx\"]\n",
    );
    assert!(at.contains("sheet"), "{at}");
    // A file in two bundles.
    let (at, msg) = error_at(
        d.path(),
        "[[bundle]]\nnarrative = \"部门整体支出绩效自评报告.txt\"\nsheets = [\"职工疗休养项目自评表.xlsx\"]\n\
         [[bundle]]\nnarrative = \"部门整体支出绩效自评报告.txt\"\nsheets = [\"办公设备购置项目自评表.xlsx\"]\n",
    );
    assert_eq!(at, "\"部门整体支出绩效自评报告.txt\"");
    assert!(msg.contains("already"), "{msg}");
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// `--summary csv|json FILE` beside another format: one row per report, the narrative's score.
#[test]
fn the_summary_file_has_a_row_per_report() {
    let d = bureau();
    std::fs::write(d.path().join("职工疗休养项目绩效自评报告.txt"), PROJECT).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (csv, json) = (out.path().join("汇总.csv"), out.path().join("汇总.json"));
    let o = run_in(
        d.path(),
        &[
            "check",
            ".",
            "--format",
            "line",
            "--summary",
            "csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let body = text.strip_prefix('\u{FEFF}').expect("a byte-order mark");
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(
        lines,
        [
            "报告,文件,标题,自评分,等级,错误,警告,提示,有未能读取的文件",
            "./办公设备购置项目自评表,./办公设备购置项目自评表.xlsx,,94.75,优,0,0,1,false",
            // Joined by name, the project is named by its narrative, not by the folder.
            "./职工疗休养项目绩效自评报告,./职工疗休养项目绩效自评报告.txt; ./职工疗休养项目自评表.xlsx,2024年度职工疗休养项目支出绩效自评报告,94.75,优,0,0,0,false",
            "./部门整体支出绩效自评报告,./部门整体支出绩效自评报告.txt,2024年度某某局部门整体支出绩效自评报告,91.00,优,0,0,0,false",
        ]
    );
    let o = run_in(
        d.path(),
        &[
            "--lang",
            "en",
            "check",
            ".",
            "--format",
            "json",
            "-o",
            out.path().join("out.json").to_str().unwrap(),
            "--summary",
            "json",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 3);
    let dept = &rows[2];
    assert_eq!(dept["report"], "./部门整体支出绩效自评报告");
    assert_eq!(
        dept["paths"],
        serde_json::json!(["./部门整体支出绩效自评报告.txt"])
    );
    assert_eq!(dept["title"], "2024年度某某局部门整体支出绩效自评报告");
    assert_eq!(dept["stated_score"], "91.00");
    assert_eq!(dept["grade"], "优");
    assert_eq!(
        (&dept["errors"], &dept["warnings"], &dept["infos"]),
        (&0.into(), &0.into(), &0.into())
    );
    assert_eq!(dept["unreadable"], false);
    assert_eq!(rows[0]["title"], serde_json::Value::Null);
    assert_eq!(
        rows[1]["paths"],
        serde_json::json!([
            "./职工疗休养项目绩效自评报告.txt",
            "./职工疗休养项目自评表.xlsx"
        ])
    );
    // Something else than csv or json is a usage error.
    let o = run_in(d.path(), &["check", ".", "--summary", "xml", "s.xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.path().join("s.xml").exists());
}

/// The command line stops on a `[[bundle]]` naming a file that is not there, showing it.
#[test]
fn a_bad_stated_bundle_stops_the_run() {
    let d = bureau();
    std::fs::write(
        d.path().join("suanpan.toml"),
        "[[bundle]]\nnarrative = \"部门整体支出绩效自评报告.txt\"\nsheets = [\"没有这张表.xlsx\"]\n",
    )
    .unwrap();
    let o = run_in(d.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("没有这张表.xlsx") && err.contains("不存在"),
        "{err}"
    );
}
