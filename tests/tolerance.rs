//! The `[tolerance]` table of `suanpan.toml`, through the command line: a relation that fails
//! beyond the rounding of its figures is reported with no configuration, is silent once the
//! tolerance of its unit class covers the gap, and is reported again when the tolerance is
//! smaller than the gap. Each case is a temporary folder holding a report and, for the configured
//! runs, a `suanpan.toml` that the binary discovers there.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use support::workbooks::{SheetSpec, dept_rows, project_rows, write_xlsx};

/// Runs `suanpan check . --format json` in a fresh folder prepared by `files`, with
/// `suanpan.toml` holding `config` when given; returns "CODE severity" per finding.
fn run(files: impl Fn(&Path), config: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    if let Some(config) = config {
        std::fs::write(dir.path().join("suanpan.toml"), config).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(["check", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .expect("the binary runs");
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json output");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect()
}

/// A folder with one narrative report.
fn text(body: &'static str) -> impl Fn(&Path) {
    move |dir: &Path| std::fs::write(dir.join("自评报告.txt"), body).unwrap()
}

/// A folder with one workbook.
fn workbook(name: &'static str, rows: Vec<Vec<String>>) -> impl Fn(&Path) {
    move |dir: &Path| {
        write_xlsx(
            &dir.join("自评表.xlsx"),
            &[SheetSpec {
                name,
                origin: (0, 0),
                rows: rows.clone(),
            }],
        )
    }
}

fn tolerance(key: &str, value: &str) -> String {
    format!("[tolerance]\n{key} = {value}\n")
}

/// Asserts: `finding` alone with no configuration; nothing once `key` covers the gap; `finding`
/// again when `key` is just below the gap; and `finding` when only the other unit classes get
/// a generous tolerance.
fn covered(files: impl Fn(&Path), finding: &str, key: &str, covers: &str, short: &str) {
    assert_eq!(run(&files, None), vec![finding], "no configuration");
    assert_eq!(
        run(&files, Some(&tolerance(key, covers))),
        Vec::<String>::new(),
        "{key} = {covers}"
    );
    assert_eq!(
        run(&files, Some(&tolerance(key, short))),
        vec![finding],
        "{key} = {short}"
    );
    let others: String = ["money", "percent", "score"]
        .iter()
        .filter(|k| **k != key)
        .map(|k| format!("{k} = 100000\n"))
        .collect();
    assert_eq!(
        run(&files, Some(&format!("[tolerance]\n{others}"))),
        vec![finding],
        "only the other classes: {others}"
    );
}

#[test]
fn money_tolerance_absorbs_a_budget_sum_gap() {
    // 100.00 + 10.00 = 110.00 against 110.02: the rounding of the three figures already absorbs
    // 0.015 of the 0.02 stated difference ([109.99, 110.01] against [110.015, 110.025]); the
    // remaining 0.005 needs a tolerance of at least 0.005 万元.
    covered(
        text(
            "一、预算执行情况\n2024年度本单位年初预算为100.00万元，年中追加预算10.00万元，\
             全年预算为110.02万元，支出决算为105.00万元。\n",
        ),
        "SP0101 error",
        "money",
        "0.01",
        "0.004",
    );
    // The implied full-year budget (no full-year budget stated): actual 110.04 over 110.00.
    covered(
        text("2024年度中心支出年初预算为100.00万元，预算调整数为10.00万元，决算数为110.04万元。\n"),
        "SP0101 warning",
        "money",
        "0.03",
        "0.02",
    );
}

#[test]
fn percent_tolerance_absorbs_an_execution_rate_gap() {
    // 195.00 ÷ 200.00 = 97.50%, at least 97.4938% within rounding, against 97.40% (up to
    // 97.405%): a gap of about 0.089 percentage points. Covered, the rate is silent — no
    // rate-rounding note either, since it does not hold within rounding.
    covered(
        text(
            "一、预算执行情况\n2024年度本单位全年预算数为200.00万元，支出决算数为195.00万元，\
             预算执行率为97.40%。\n",
        ),
        "SP0102 error",
        "percent",
        "0.1",
        "0.05",
    );
}

#[test]
fn score_tolerance_absorbs_a_score_sum_gap() {
    // 18 + 17 + 36 + 17 = 88 (read as 88.00 ± 0.02) against a stated 88.5 (88.50 ± 0.005): a
    // gap of 0.475 points.
    covered(
        text(
            "一、绩效自评情况\n1.决策指标（20分）得分为18分。\n2.过程指标（20分）得分为17分。\n\
             3.产出指标（40分）得分为36分。\n4.效益指标（20分）得分为17分。\n\
             综上，本单位2024年度部门整体支出绩效自评得分为88.5分，等级为良好。\n",
        ),
        "SP0105 error",
        "score",
        "0.5",
        "0.4",
    );
}

#[test]
fn money_tolerance_absorbs_a_stated_change() {
    // SP0109, amount: 110.00 − 100.00 = 10.00 against 10.03 (gap 0.015 万元).
    covered(
        text("上年支出决算为100.00万元。\n2024年支出决算为110.00万元，比上年增加10.03万元。\n"),
        "SP0109 error",
        "money",
        "0.02",
        "0.01",
    );
}

#[test]
fn percent_tolerance_absorbs_a_stated_change_rate() {
    // SP0109, rate: (110.00 − 100.00) ÷ 100.00 = 10.00%, at most 10.0105%, against 10.05%.
    covered(
        text("上年支出决算为100.00万元。\n2024年支出决算为110.00万元，比上年增长10.05%。\n"),
        "SP0109 error",
        "percent",
        "0.05",
        "0.03",
    );
}

#[test]
fn money_tolerance_absorbs_parts_over_their_total() {
    // SP0104: parts 3.00 + 0.80 exceed the total 3.76 by at least 0.025 万元.
    covered(
        text(
            "“三公”经费支出决算为3.76万元，其中：公务用车运行维护费3.00万元，公务接待费0.80万元。\n",
        ),
        "SP0104 error",
        "money",
        "0.03",
        "0.02",
    );
}

#[test]
fn money_tolerance_absorbs_a_restated_figure() {
    // SP0108: 775.83 restated as 775.85 (gap 0.01 万元).
    covered(
        text(
            "一、基本情况\n2024年度年初预算为775.83万元，全年预算为884.49万元。\n\
             二、执行情况\n本年度年初预算数775.85万元，全年预算884.49万元。\n",
        ),
        "SP0108 warning",
        "money",
        "0.01",
        "0.005",
    );
}

#[test]
fn score_tolerance_absorbs_a_score_over_its_weight() {
    // SP0106: a score of 15.5 over a weight of 15 (gap 0.49 points).
    covered(
        text("项目实施程序（15分）得分为15.5分。\n"),
        "SP0106 error",
        "score",
        "0.5",
        "0.4",
    );
}

#[test]
fn score_tolerance_absorbs_a_total_over_full_marks() {
    // SP0106: a total of 100.3 over full marks of 100 (gap 0.295 points).
    covered(
        text("经自评，本项目自评得分为100.3分。\n"),
        "SP0106 error",
        "score",
        "0.3",
        "0.2",
    );
}

#[test]
fn rate_rounding_notes_do_not_depend_on_the_tolerance() {
    // 2.0 ÷ 3.3 = 60.61%: 61.0% holds only within the rounding of the figures (an info), and
    // 667.98 ÷ 677.10 = 98.65% written 98.6% looks truncated (an info). Neither note appears or
    // disappears with a tolerance, however large.
    let within = text("全年预算为3.3万元，支出决算为2.0万元，预算执行率为61.0%。\n");
    let truncated = text("全年预算数为677.10万元，支出决算667.98万元，预算执行率98.6%。\n");
    let generous = "[tolerance]\nmoney = 1000\npercent = 50\nscore = 50\n";
    for files in [&within as &dyn Fn(&Path), &truncated] {
        assert_eq!(run(files, None), vec!["SP0103 info"]);
        assert_eq!(run(files, Some(generous)), vec!["SP0103 info"]);
    }
}

fn set(rows: &mut [Vec<String>], r: usize, c: usize, v: &str) {
    rows[r][c] = v.to_string();
}

#[test]
fn score_tolerance_absorbs_a_sheet_score_sum_gap() {
    // SP0203: the department sheet's scores add to 92 (± 0.05 over ten cells) under a total of
    // 92.5: a gap of 0.445 points.
    let mut d = dept_rows();
    set(&mut d, 12, 4, "92.5");
    covered(workbook("评分表", d), "SP0203 error", "score", "0.5", "0.4");
}

#[test]
fn money_tolerance_is_converted_for_a_sheet_kept_in_yuan() {
    // SP0205 in a table kept in 元: 其他资金 年初预算数 0.5 makes the sources 200.5 元 against a
    // total of 200 元 (gap 0.485 元). The tolerance is in 万元: 0.0001 万元 = 1 元 covers it,
    // 0.00001 万元 = 0.1 元 does not.
    let mut p = project_rows();
    set(&mut p, 3, 0, "项目资金（元）");
    set(&mut p, 7, 2, "0.5");
    covered(
        workbook("自评表", p),
        "SP0205 error",
        "money",
        "0.0001",
        "0.00001",
    );
}

#[test]
fn percent_tolerance_absorbs_a_sheet_rate_stored_as_a_fraction() {
    // SP0204 with the rate stored as a fraction (0.974, read as 97.4%): 214.5 ÷ 220 = 97.50%,
    // at least 97.4955% within rounding, against 97.4% (up to 97.45%): a gap of about 0.046
    // percentage points, measured in points whatever form the cell takes.
    let mut p = project_rows();
    set(&mut p, 4, 6, "0.974");
    covered(
        workbook("自评表", p),
        "SP0204 error",
        "percent",
        "0.05",
        "0.04",
    );
}

#[test]
fn score_tolerance_absorbs_a_sheet_execution_score_gap() {
    // SP0211: rate 97.50% × weight 10 = 9.75, against a stated 9.2 (the total raised to keep
    // the score sum whole). The sheet's finest score precision is then one decimal, so 9.2
    // stands for [9.15, 9.25): the gap to 9.7495 is 0.4995 points.
    let mut p = project_rows();
    set(&mut p, 4, 7, "9.2");
    set(&mut p, 16, 7, "94.2");
    covered(
        workbook("自评表", p),
        "SP0211 warning",
        "score",
        "0.6",
        "0.4",
    );
}

#[test]
fn score_tolerance_absorbs_a_sheet_score_over_its_weight() {
    // SP0201: 6.3 over a weight of 5 would be too far; 5.3 (the total raised to match, the empty
    // reason beside it kept) is 0.29 points over.
    let mut d = dept_rows();
    set(&mut d, 3, 4, "5.3");
    set(&mut d, 12, 4, "93.3");
    set(&mut d, 3, 5, "");
    covered(workbook("评分表", d), "SP0201 error", "score", "0.3", "0.2");
}

#[test]
fn narrative_and_sheet_agree_within_the_tolerance() {
    // SP0301: the narrative states 92.50, the sheet's total row 92 (gap 0.49 points).
    let bundle = |dir: &Path| {
        std::fs::write(
            dir.join("自评报告.txt"),
            "经自评，本单位2024年度部门整体支出绩效自评分数为92.50分，评价等级为优。\n",
        )
        .unwrap();
        workbook("评分表", dept_rows())(dir);
    };
    covered(bundle, "SP0301 error", "score", "0.5", "0.4");
}
