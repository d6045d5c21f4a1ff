//! Renderers over hand-built findings with text and cell labels (the checks that produce such
//! findings live in other modules): line format positions, SARIF regions and cell locations,
//! SARIF validity against the official schema, and the summary's stated score and title.

use serde_json::Value;
use suanpan::check::input::{NO_FIGURES, UNREADABLE};
use suanpan::diagnostic::{Finding, Lang, Place, Source, Text};
use suanpan::render;
use suanpan::{BundleSummary, Report};

fn report() -> Report {
    let text = "一、基本情况\n年初预算为775.83万元，决算数为884.49万元。\n";
    let narrative = Source::new("部门/自评报告.txt".into(), text.to_string());
    let sheet = Source::new("部门/自评表.xlsx".into(), String::new());
    let start = text.find("884.49").unwrap();
    let other = text.find("775.83").unwrap();
    let f1 = Finding::new(
        &UNREADABLE,
        narrative.clone(),
        Text::new("决算数与自评表不一致", "the actual differs from the sheet"),
    )
    .label(
        &narrative,
        Place::Text {
            start,
            end: start + 6,
        },
        Text::new("报告中的决算数", "actual in the report"),
    )
    .label(
        &sheet,
        Place::Cell {
            sheet: "自评表".into(),
            row: 11,
            col: 3,
        },
        Text::new("表中的全年执行数", "actual in the sheet"),
    )
    .label(
        &narrative,
        Place::Text {
            start: other,
            end: other + 6,
        },
        Text::new("年初预算", "initial budget"),
    )
    .expected_found("884.49", "884.94");
    let f2 = Finding::new(
        &NO_FIGURES,
        sheet.clone(),
        Text::new("表格没有数字", "no figures in the sheet"),
    )
    .label(
        &sheet,
        Place::Cell {
            sheet: "Sheet1".into(),
            row: 0,
            col: 27,
        },
        Text::new("", ""),
    );
    Report {
        findings: vec![f1, f2],
        files: 2,
        bundles: vec![BundleSummary {
            name: "部门/自评报告".into(),
            title: Some("2024年度某局部门整体支出绩效自评报告".into()),
            stated_score: Some("88.35".into()),
            stated_grade: Some("良好".into()),
            paths: vec!["部门/自评报告.txt".into(), "部门/自评表.xlsx".into()],
            files: 2,
            errors: 1,
            warnings: 0,
            infos: 1,
            unreadable: Vec::new(),
        }]
        .into(),
    }
}

#[test]
fn line_format_places_text_and_cells() {
    let out = render::line::render(&report(), Lang::Zh);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "部门/自评报告.txt:2:19: error SP0001 决算数与自评表不一致",
            "部门/自评表.xlsx!Sheet1!AB1: info SP0003 表格没有数字",
        ]
    );
    let en = render::line::render(&report(), Lang::En);
    assert!(
        en.starts_with("部门/自评报告.txt:2:19: error SP0001 the actual differs from the sheet\n")
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

#[test]
fn sarif_regions_and_cells() {
    let v: Value = serde_json::from_str(&render::sarif::render(&report(), Lang::Zh)).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let r = &run["results"][0];
    assert_eq!(r["ruleId"], "SP0001");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "%E9%83%A8%E9%97%A8/%E8%87%AA%E8%AF%84%E6%8A%A5%E5%91%8A.txt"
    );
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 19);
    assert_eq!(loc["region"]["endColumn"], 25);
    assert_eq!(r["locations"][0]["message"]["text"], "报告中的决算数");
    let cell = &r["relatedLocations"][0];
    assert_eq!(cell["properties"]["sheet"], "自评表");
    assert_eq!(cell["properties"]["cell"], "D12");
    assert_eq!(
        cell["logicalLocations"][0]["fullyQualifiedName"],
        "自评表!D12"
    );
    // GitHub shows only results with a region's startLine: a workbook's is line 1, its message
    // the cell.
    assert_eq!(cell["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(
        cell["physicalLocation"]["region"]["message"]["text"],
        "自评表!D12"
    );
    let sheet_only = &run["results"][1]["locations"][0];
    assert_eq!(sheet_only["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(
        sheet_only["logicalLocations"][0]["fullyQualifiedName"],
        "Sheet1!AB1"
    );
    assert_eq!(
        r["relatedLocations"][1]["physicalLocation"]["region"]["startColumn"],
        6
    );
    assert_eq!(r["properties"]["expected"], "884.49");
    assert_eq!(r["properties"]["found"], "884.94");
    assert_eq!(run["results"][1]["level"], "note");
}

#[test]
fn the_validator_rejects_broken_sarif() {
    // The schema test above is only worth something if the validator can say no.
    let mut v: Value = serde_json::from_str(&render::sarif::render(&report(), Lang::Zh)).unwrap();
    v["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&v));
    let mut v: Value = serde_json::from_str(&render::sarif::render(&report(), Lang::Zh)).unwrap();
    v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!sarif_validator().is_valid(&v));
}

#[test]
fn summary_shows_score_and_title() {
    let out = render::summary::render(&report(), Lang::Zh);
    assert!(
        out.contains(
            "     1     0     1    88.35  部门/自评报告  《2024年度某局部门整体支出绩效自评报告》\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("检查了 2 个文件：1 个错误，0 个警告，1 条提示\n"));
}

#[test]
fn absolute_paths_become_file_uris() {
    assert_eq!(
        render::sarif::uri(std::path::Path::new("/data/报告 1.txt")),
        "file:///data/%E6%8A%A5%E5%91%8A%201.txt"
    );
    assert_eq!(
        render::sarif::uri(std::path::Path::new("a/b-c_d.txt")),
        "a/b-c_d.txt"
    );
}
