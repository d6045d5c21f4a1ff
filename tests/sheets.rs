//! Evaluation sheets, generated here in both templates and several layouts: clean ones give no
//! error, each rule has a variant that triggers it, and a narrative beside a sheet that disagrees
//! in one figure gives a cross-document error.

mod support;

use std::path::{Path, PathBuf};
use suanpan::diagnostic::{Finding, Place, Severity, cell_name};
use suanpan::settings::Settings;
use support::workbooks::{
    SheetSpec, dept_rows, families, project_rows, rows, write_book_xlsx, write_ods, write_xlsx,
};

fn set(rows: &mut [Vec<String>], r: usize, c: usize, v: &str) {
    rows[r][c] = v.to_string();
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("suanpan-sheets-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn check(path: &Path) -> Vec<Finding> {
    suanpan::check_paths(&[path.to_path_buf()], &Settings::default()).findings
}

/// (code, severity, first cell) of each finding.
fn brief(findings: &[Finding]) -> Vec<(String, Severity, String)> {
    findings
        .iter()
        .map(|f| {
            let cell = match f.labels.first().map(|l| &l.place) {
                Some(Place::Cell { sheet, row, col }) => {
                    format!("{sheet}!{}", cell_name(*row, *col))
                }
                _ => "-".into(),
            };
            (f.rule.code.to_string(), f.severity, cell)
        })
        .collect()
}

fn one(name: &str, file: &str, spec: Vec<SheetSpec>) -> Vec<(String, Severity, String)> {
    let d = dir(name);
    let path = d.join(file);
    if file.ends_with(".ods") {
        write_ods(&path, &spec);
    } else {
        write_xlsx(&path, &spec);
    }
    let out = brief(&check(&path));
    std::fs::remove_dir_all(&d).ok();
    out
}

fn sheet(name: &'static str, origin: (u32, u16), rows: Vec<Vec<String>>) -> Vec<SheetSpec> {
    vec![SheetSpec { name, origin, rows }]
}

#[test]
fn clean_sheets_in_both_templates_and_several_layouts_give_no_finding() {
    assert_eq!(
        one("p", "项目.xlsx", sheet("自评表", (0, 0), project_rows())),
        vec![]
    );
    assert_eq!(
        one("d", "部门.xlsx", sheet("评分表", (0, 0), dept_rows())),
        vec![]
    );
    // Shifted down and right, on a sheet with another name.
    assert_eq!(
        one("p2", "项目.xlsx", sheet("Sheet1", (4, 2), project_rows())),
        vec![]
    );
    // Synonyms and decorations in the headers, columns reordered.
    let mut d = dept_rows();
    d[1] = rows(&[&[
        "一级指标",
        "二级指标",
        "三级指标",
        "权 重",
        "评价得分（分）",
        "扣分原因和其他说明",
    ]])
    .remove(0);
    assert_eq!(one("d2", "部门.xlsx", sheet("表1", (0, 0), d)), vec![]);
    let mut swapped = dept_rows();
    for r in swapped.iter_mut() {
        if r.len() >= 5 {
            r.swap(3, 4);
        }
    }
    assert_eq!(
        one("d3", "部门.xlsx", sheet("表1", (1, 1), swapped)),
        vec![]
    );
    // Two tables on one sheet: the department sheet below the project sheet.
    let mut both = project_rows();
    both.push(vec![]);
    both.push(vec![]);
    both.extend(dept_rows().into_iter().skip(1).take(12));
    let mut one_sheet = both;
    one_sheet.retain(|r| r.first().is_none_or(|c| c != "自评等级"));
    let out = one("two", "两表.xlsx", sheet("合表", (0, 0), one_sheet));
    assert!(out.iter().all(|(_, s, _)| *s != Severity::Error), "{out:?}");
    // The same workbooks as .ods.
    assert_eq!(
        one("po", "项目.ods", sheet("自评表", (0, 0), project_rows())),
        vec![]
    );
    assert_eq!(
        one("do", "部门.ods", sheet("评分表", (2, 1), dept_rows())),
        vec![]
    );
}

#[test]
fn each_sheet_rule_has_a_triggering_workbook() {
    let e = Severity::Error;
    // SP0201: a score above its weight (the total raised to match, so nothing else breaks).
    let mut d = dept_rows();
    set(&mut d, 3, 4, "6");
    set(&mut d, 12, 4, "94");
    set(&mut d, 3, 5, "");
    assert_eq!(
        one("201", "a.xlsx", sheet("评分表", (0, 0), d)),
        vec![("SP0201".into(), e, "评分表!E4".into())]
    );
    // SP0202: weights add to 105 under a total of 100.
    let mut d = dept_rows();
    set(&mut d, 9, 3, "25");
    assert_eq!(
        one("202", "a.xlsx", sheet("评分表", (0, 0), d)),
        vec![("SP0202".into(), e, "评分表!D13".into())]
    );
    // SP0202: a label weight (产出指标(50分)) over weights adding to 55.
    let mut p = project_rows();
    set(&mut p, 11, 6, "25");
    set(&mut p, 16, 6, "105");
    let out = one("202b", "a.xlsx", sheet("自评表", (0, 0), p));
    assert!(
        out.contains(&("SP0202".into(), e, "自评表!B12".into())),
        "{out:?}"
    );
    // SP0203: scores add to 92 under a total of 93.
    let mut d = dept_rows();
    set(&mut d, 12, 4, "93");
    assert_eq!(
        one("203", "a.xlsx", sheet("评分表", (0, 0), d)),
        vec![("SP0203".into(), e, "评分表!E13".into())]
    );
    // SP0204: the total row's rate is 95.00% where 214.5 ÷ 220 = 97.50%.
    // The score 9.75 follows the true rate, so it no longer matches the written one (SP0211).
    let w = Severity::Warning;
    let mut p = project_rows();
    set(&mut p, 4, 6, "'95.00%");
    assert_eq!(
        one("204", "a.xlsx", sheet("自评表", (0, 0), p)),
        vec![
            ("SP0204".into(), e, "自评表!G5".into()),
            ("SP0211".into(), w, "自评表!H5".into())
        ]
    );
    // The same with the rate stored as a fraction (a cell formatted as %).
    let mut p = project_rows();
    set(&mut p, 4, 6, "0.95");
    assert_eq!(
        one("204f", "a.xlsx", sheet("自评表", (0, 0), p)),
        vec![
            ("SP0204".into(), e, "自评表!G5".into()),
            ("SP0211".into(), w, "自评表!H5".into())
        ]
    );
    // SP0211: full marks for budget execution at 97.50% (the total raised to match). The sheet
    // writes a score to one decimal (12.5), so 10 is no rounding of 9.75 to its precision.
    let mut p = project_rows();
    set(&mut p, 4, 7, "10");
    set(&mut p, 13, 7, "12.5");
    set(&mut p, 16, 7, "94.5");
    assert_eq!(
        one("211", "a.xlsx", sheet("自评表", (0, 0), p)),
        vec![("SP0211".into(), w, "自评表!H5".into())]
    );
    // SP0205: 其他资金 年初预算数 5 makes the sources exceed the total.
    let mut p = project_rows();
    set(&mut p, 7, 2, "5");
    assert_eq!(
        one("205", "a.xlsx", sheet("自评表", (0, 0), p)),
        vec![("SP0205".into(), e, "自评表!C5".into())]
    );
    // SP0206: 92 graded 良.
    let mut d = dept_rows();
    set(&mut d, 13, 1, "良");
    assert_eq!(
        one("206", "a.xlsx", sheet("评分表", (0, 0), d)),
        vec![("SP0206".into(), e, "评分表!B14".into())]
    );
    // SP0207: a shortfall with no reason.
    let mut d = dept_rows();
    set(&mut d, 7, 5, "");
    assert_eq!(
        one("207", "a.xlsx", sheet("评分表", (0, 0), d)),
        vec![("SP0207".into(), Severity::Warning, "评分表!F8".into())]
    );
    // SP0208: "18分" is read (the sums still hold); "八十" cannot be, so the total breaks too.
    let mut d = dept_rows();
    set(&mut d, 9, 4, "'18分");
    assert_eq!(
        one("208", "a.xlsx", sheet("评分表", (0, 0), d)),
        vec![("SP0208".into(), e, "评分表!E10".into())]
    );
    let mut d = dept_rows();
    set(&mut d, 10, 4, "八十");
    let out = one("208b", "a.xlsx", sheet("评分表", (0, 0), d));
    assert!(
        out.contains(&("SP0208".into(), e, "评分表!E11".into())),
        "{out:?}"
    );
    assert!(out.iter().any(|(c, _, _)| c == "SP0203"), "{out:?}");
    // SP0209: a sheet with no table beside a good one.
    let mut spec = sheet("评分表", (0, 0), dept_rows());
    spec.push(SheetSpec {
        name: "封面",
        origin: (0, 0),
        rows: rows(&[&["2024年度部门整体支出绩效自评"]]),
    });
    assert_eq!(
        one("209", "a.xlsx", spec),
        vec![("SP0209".into(), Severity::Info, "封面!A1".into())]
    );
}

#[test]
fn amounts_written_with_wan_are_amounts_in_the_tables_unit() {
    // The fund block's amounts written as text with 万 or 万元: read as 万元, no SP0208.
    let mut p = project_rows();
    for (r, c, v) in [
        (4, 2, "200万"),
        (4, 3, "220万"),
        (4, 4, "214.5万"),
        (5, 3, "200万元"),
        (5, 4, "195万"),
    ] {
        set(&mut p, r, c, v);
    }
    assert_eq!(
        one("wan", "a.xlsx", sheet("自评表", (0, 0), p.clone())),
        vec![]
    );
    // The same cells are still added up and divided: a wrong one is still found.
    set(&mut p, 5, 4, "185万");
    assert_eq!(
        one("wan-bad", "a.xlsx", sheet("自评表", (0, 0), p)),
        vec![
            ("SP0205".into(), Severity::Error, "自评表!E5".into()),
            ("SP0204".into(), Severity::Error, "自评表!G6".into())
        ]
    );
    // In a table of 元, 1.2345万 is 12345 元; 3万 (± 5000 元) is no figure, and no error.
    let mut p = project_rows();
    set(&mut p, 3, 0, "项目资金（元）");
    for (r, c, v) in [
        (4, 2, "2000000"),
        (4, 3, "2200000"),
        (4, 4, "2145000"),
        (5, 2, "1800000"),
        (5, 3, "2000000"),
        (5, 4, "1950000"),
        (6, 2, "20万"),
        (6, 3, "20.0000万"),
        (6, 4, "195000"),
    ] {
        set(&mut p, r, c, v);
    }
    assert_eq!(
        one("wan-yuan", "a.xlsx", sheet("自评表", (0, 0), p)),
        vec![]
    );
}

#[test]
fn full_marks_for_a_missed_target_is_a_warning() {
    let w = Severity::Warning;
    // 职工满意度: target ≥90%, achieved 86% with full marks (the total raised to match).
    let mut p = project_rows();
    set(&mut p, 15, 5, "86%");
    set(&mut p, 15, 7, "10");
    set(&mut p, 16, 7, "95.75");
    assert_eq!(
        one("212", "a.xlsx", sheet("自评表", (0, 0), p.clone())),
        vec![("SP0212".into(), w, "自评表!H16".into())]
    );
    // The sign in a cell of its own, the value and unit after it: "≧ | 90 | %".
    let mut q = p.clone();
    for row in q.iter_mut().filter(|r| r.len() > 5) {
        row.insert(5, String::new());
        row.insert(5, String::new());
    }
    set(&mut q, 10, 4, "年度指标值");
    set(&mut q, 15, 4, "≧");
    set(&mut q, 15, 5, "90");
    set(&mut q, 15, 6, "%");
    assert_eq!(
        one("212b", "a.xlsx", sheet("自评表", (0, 0), q)),
        vec![("SP0212".into(), w, "自评表!J16".into())]
    );
    // Met, unsigned, approximate or in another unit: nothing.
    for (target, actual) in [
        ("≥90%", "90%"),
        ("90%", "86%"),
        ("90%以上", "86%"),
        ("≥90%", "约86%"),
        ("≥90%", "86"),
        ("≥90分", "86%"),
    ] {
        let mut c = p.clone();
        set(&mut c, 15, 4, target);
        set(&mut c, 15, 5, actual);
        assert_eq!(
            one("212c", "a.xlsx", sheet("自评表", (0, 0), c)),
            vec![],
            "{target} / {actual}"
        );
    }
}

#[test]
fn broken_workbooks_are_diagnostics() {
    let d = dir("broken");
    std::fs::write(d.join("empty.xlsx"), b"").unwrap();
    std::fs::write(d.join("text.xlsx"), b"just text, renamed").unwrap();
    std::fs::write(
        d.join("locked.xlsx"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 encrypted",
    )
    .unwrap();
    write_xlsx(&d.join("good.xlsx"), &sheet("评分表", (0, 0), dept_rows()));
    let mut truncated = std::fs::read(d.join("good.xlsx")).unwrap();
    truncated.truncate(truncated.len() / 2);
    std::fs::write(d.join("truncated.xlsx"), truncated).unwrap();
    std::fs::write(d.join("old.xls"), b"not really an xls").unwrap();
    let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
    for (name, cause) in [
        ("empty.xlsx", "为空"),
        ("text.xlsx", "zip"),
        ("locked.xlsx", "密码"),
        ("truncated.xlsx", "zip"),
        ("old.xls", "不是完好的 .xls"),
    ] {
        let mine: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.source.path.ends_with(name))
            .collect();
        assert_eq!(mine.len(), 1, "{name}: {mine:#?}");
        assert_eq!(mine[0].rule.code, "SP0001");
        assert!(
            mine[0].message.zh.contains(cause),
            "{name}: {}",
            mine[0].message.zh
        );
    }
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.source.path.ends_with("good.xlsx"))
    );
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_narrative_and_a_sheet_that_disagree_give_a_cross_document_error() {
    let d = dir("cross");
    write_xlsx(
        &d.join("疗休养项目.xlsx"),
        &sheet("自评表", (0, 0), project_rows()),
    );
    let agree = "2024年度职工疗休养项目年初预算为200.00万元，全年预算为220.00万元，实际支出214.50万元，预算执行率为97.50%。经自评，本项目自评得分为94.75分，等级为优。\n";
    std::fs::write(d.join("疗休养项目.txt"), agree).unwrap();
    let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
    assert_eq!(brief(&report.findings), vec![], "{:#?}", report.findings);
    // The narrative now says 92.75 where the sheet totals 94.75.
    std::fs::write(
        d.join("疗休养项目.txt"),
        agree.replace("94.75分", "92.75分"),
    )
    .unwrap();
    let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
    let cross: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "SP0301")
        .collect();
    assert_eq!(cross.len(), 1, "{:#?}", report.findings);
    let f = cross[0];
    assert!(
        f.message.zh.contains("92.75") && f.message.zh.contains("94.75"),
        "{}",
        f.message.zh
    );
    assert!(matches!(f.labels[0].place, Place::Text { .. }));
    assert!(f.labels[0].source.path.ends_with("疗休养项目.txt"));
    assert!(
        matches!(&f.labels[1].place, Place::Cell { sheet, row: 16, col: 7 } if sheet == "自评表")
    );
    assert!(f.labels[1].source.path.ends_with("疗休养项目.xlsx"));
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_user_template_in_the_configuration_teaches_new_headers() {
    let d = dir("usertpl");
    let table = rows(&[
        &["考核维度", "考核项目", "标准分值", "考核得分"],
        &["管理", "制度建设", "40", "38"],
        &["", "资金管理", "60", "63"],
        &["合计", "", "100", "101"],
    ]);
    let book = d.join("考核表.xlsx");
    write_xlsx(&book, &sheet("考核", (0, 0), table));
    let default = brief(&check(&book));
    assert_eq!(
        default,
        vec![("SP0209".into(), Severity::Info, "考核!A1".into())]
    );
    std::fs::write(
        d.join("考核模板.toml"),
        "name = \"考核表\"\nkind = \"indicators\"\n[columns]\nlevel1 = [\"考核维度\"]\nlevel3 = [\"考核项目\"]\nweight = [\"标准分值\"]\nscore = [\"考核得分\"]\n[rows]\ntotal = [\"合计\"]\n",
    )
    .unwrap();
    let config = d.join("suanpan.toml");
    std::fs::write(&config, "templates = [\"考核模板.toml\"]\n").unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    let settings = suanpan::config::parse(&text, &config, suanpan::diagnostic::Lang::Zh).unwrap();
    let taught = brief(&suanpan::check_paths(std::slice::from_ref(&book), &settings).findings);
    assert_eq!(
        taught,
        vec![("SP0201".into(), Severity::Error, "考核!D3".into())]
    );
    // A template with an unknown column is refused when the configuration is read.
    std::fs::write(
        d.join("坏模板.toml"),
        "name = \"x\"\nkind = \"indicators\"\n[columns]\nscore = [\"得分\"]\nbogus = [\"y\"]\n",
    )
    .unwrap();
    std::fs::write(&config, "templates = [\"坏模板.toml\"]\n").unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    let err = suanpan::config::parse(&text, &config, suanpan::diagnostic::Lang::Zh).unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");
    std::fs::remove_dir_all(&d).ok();
}

/// A minimal .xlsx written by hand, whose 总分 cell holds a formula with no cached value (as
/// programs that never open the file in Excel leave it).
fn xlsx_with_uncached_formula(path: &Path) {
    use std::io::Write;
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="评分表" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>一级指标</t></is></c><c r="B1" t="inlineStr"><is><t>三级指标</t></is></c><c r="C1" t="inlineStr"><is><t>分值</t></is></c><c r="D1" t="inlineStr"><is><t>得分</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>产出</t></is></c><c r="B2" t="inlineStr"><is><t>数量</t></is></c><c r="C2"><v>60</v></c><c r="D2"><v>55</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>效益</t></is></c><c r="B3" t="inlineStr"><is><t>满意度</t></is></c><c r="C3"><v>40</v></c><c r="D3"><v>38</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>合计</t></is></c><c r="C4"><v>100</v></c><c r="D4"><f>SUM(D2:D3)</f></c></row>
</sheetData></worksheet>"#,
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_formula_without_a_cached_value_is_a_warning_not_a_crash() {
    let d = dir("uncached");
    let path = d.join("公式.xlsx");
    xlsx_with_uncached_formula(&path);
    assert_eq!(
        brief(&check(&path)),
        vec![("SP0210".into(), Severity::Warning, "评分表!D4".into())]
    );
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn human_output_shows_a_cell_with_its_value_and_its_row_and_column_headings() {
    let d = dir("human");
    let mut rows = dept_rows();
    set(&mut rows, 3, 4, "6");
    set(&mut rows, 12, 4, "94");
    set(&mut rows, 3, 5, "");
    let path = d.join("评分.xlsx");
    write_xlsx(&path, &sheet("评分表", (0, 0), rows));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("评分表!E4"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains(" 6 "), "{line}");
    assert!(
        line.contains("（行 绩效指标明确性，列 自评得分）"),
        "{line}"
    );
    std::fs::remove_dir_all(&d).ok();
}

/// A row is named by its indicator's levels, not by the target and actual values written as
/// text to the left of the cell ("行 100%／100%" before).
#[test]
fn human_output_names_a_row_by_its_indicator_not_its_values() {
    let d = dir("human-row");
    let mut rows = project_rows();
    assert_eq!(rows[12][3], "活动安全率");
    assert_eq!(
        (rows[12][4].as_str(), rows[12][5].as_str()),
        ("100%", "100%")
    );
    set(&mut rows, 12, 7, "16");
    let path = d.join("项目.xlsx");
    write_xlsx(&path, &sheet("自评表", (0, 0), rows));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("自评表!H13"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("（行 质量指标／活动安全率，列 得分）"),
        "{line}"
    );
    // The fund block's rate, written as text, does not name its row either.
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("自评表!H5"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("（行 年度资金总额："), "{line}");
    assert!(
        !line.contains("97.50%／") && !line.contains("／97.50%"),
        "{line}"
    );
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn legacy_xls_workbooks_are_read_like_xlsx() {
    // Written by scripts/make_xls.py (xlwt): the department sheet, clean and with one score over
    // its weight (which also breaks the total).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sheets");
    assert_eq!(
        brief(&check(&root.join("部门整体自评表（xls）.xls"))),
        vec![]
    );
    assert_eq!(
        brief(&check(&root.join("部门整体自评表（xls，有错）.xls"))),
        vec![
            ("SP0201".into(), Severity::Error, "评分表!E4".into()),
            ("SP0203".into(), Severity::Error, "评分表!E13".into())
        ]
    );
}

#[test]
fn an_indicator_score_both_documents_state_is_cross_checked() {
    let d = dir("cross-score");
    write_xlsx(
        &d.join("项目.xlsx"),
        &sheet("自评表", (0, 0), project_rows()),
    );
    let text = "本项目自评得分为94.75分。其中，疗休养人次得分为20分，按期完成率得分为13分。\n";
    std::fs::write(d.join("项目.txt"), text).unwrap();
    let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
    assert_eq!(brief(&report.findings), vec![], "{:#?}", report.findings);
    std::fs::write(
        d.join("项目.txt"),
        text.replace("按期完成率得分为13分", "按期完成率得分为15分"),
    )
    .unwrap();
    let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
    let cross: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "SP0301")
        .collect();
    assert_eq!(cross.len(), 1, "{:#?}", report.findings);
    assert!(
        cross[0].message.zh.contains("“按期完成率”得分 15分"),
        "{}",
        cross[0].message.zh
    );
    assert!(matches!(
        &cross[0].labels[1].place,
        Place::Cell {
            row: 13,
            col: 7,
            ..
        }
    ));
    std::fs::remove_dir_all(&d).ok();
}

/// (code, severity, primary cell) of each finding, sorted, as a `.expected` file writes them.
fn lines(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = brief(findings)
        .into_iter()
        .map(|(code, sev, cell)| format!("{code} {} {cell}", sev.as_str()))
        .collect();
    out.sort();
    out
}

#[test]
fn subtotal_rows_of_score_tables_are_checked_once_at_their_level() {
    let err = |cell: &str| ("SP0203".to_string(), Severity::Error, cell.to_string());
    // 小计 rows in the third-level column close each second-level group; a 小计 in the
    // second-level column closes 产出指标 over those two; the 合计 adds 产出指标小计 and the rows
    // under no 小计 (or all the rows): 100 / 94 either way.
    let nested = rows(&[
        &["一级指标", "二级指标", "三级指标", "分值", "得分"],
        &["产出指标", "数量指标", "培训人次", "10", "10"],
        &["", "", "慰问户数", "10", "9"],
        &["", "", "小计", "20", "19"],
        &["", "质量指标", "培训合格率", "20", "18"],
        &["", "", "小计", "20", "18"],
        &["", "小计", "", "40", "37"],
        &["效益指标", "社会效益指标", "职工权益保障", "30", "28"],
        &["满意度指标", "服务对象满意度指标", "职工满意度", "30", "29"],
        &["合计", "", "", "100", "94"],
    ]);
    assert_eq!(
        one(
            "st-nested",
            "a.xlsx",
            sheet("评分表", (0, 0), nested.clone())
        ),
        vec![]
    );
    // A row's score off by one: only its own 小计 disagrees (the 产出指标 小计 sums the 小计s).
    let mut q = nested.clone();
    set(&mut q, 2, 4, "8");
    assert_eq!(
        one("st-nested-row", "a.xlsx", sheet("评分表", (0, 0), q)),
        vec![err("评分表!E4")]
    );
    // A third-level 小计 off by one: it disagrees with its rows; the 产出指标 小计 and the 合计
    // still add up the rows under them.
    let mut q = nested.clone();
    set(&mut q, 5, 4, "17");
    assert_eq!(
        one("st-nested-sub", "a.xlsx", sheet("评分表", (0, 0), q)),
        vec![err("评分表!E6")]
    );
    // The 产出指标 小计 off by one: only it disagrees (with its 小计s and with its rows).
    let mut q = nested.clone();
    set(&mut q, 6, 4, "38");
    assert_eq!(
        one("st-nested-top", "a.xlsx", sheet("评分表", (0, 0), q)),
        vec![err("评分表!E7")]
    );
    // A weight off: the 小计's weight disagrees with its rows (SP0202).
    let mut q = nested;
    set(&mut q, 4, 3, "25");
    assert_eq!(
        one("st-nested-weight", "a.xlsx", sheet("评分表", (0, 0), q)),
        vec![(
            "SP0202".to_string(),
            Severity::Error,
            "评分表!D6".to_string()
        )]
    );
    // 小计 rows named after their group in the first-level column.
    let named = rows(&[
        &["一级指标", "二级指标", "三级指标", "分值", "得分"],
        &["产出指标", "数量指标", "培训人次", "30", "30"],
        &["", "质量指标", "培训合格率", "30", "28"],
        &["产出指标小计", "", "", "60", "58"],
        &["效益指标", "社会效益指标", "职工权益保障", "40", "36"],
        &["效益指标小计", "", "", "40", "36"],
        &["合计", "", "", "100", "94"],
    ]);
    assert_eq!(
        one("st-named", "a.xlsx", sheet("评分表", (0, 0), named.clone())),
        vec![]
    );
    let mut q = named;
    set(&mut q, 6, 4, "95");
    assert_eq!(
        one("st-named-total", "a.xlsx", sheet("评分表", (0, 0), q)),
        vec![err("评分表!E7")]
    );
}

/// Every cell a finding labels.
fn labelled(f: &Finding) -> Vec<String> {
    f.labels
        .iter()
        .filter_map(|l| match &l.place {
            Place::Cell { sheet, row, col } => Some(format!("{sheet}!{}", cell_name(*row, *col))),
            _ => None,
        })
        .collect()
}

#[test]
fn the_four_template_families_give_exactly_their_planted_findings() {
    let d = dir("families");
    let mut failures = Vec::new();
    for f in families() {
        let path = d.join(format!("{}.xlsx", f.name));
        write_book_xlsx(&path, &f.book);
        let found = check(&path);
        let mut want: Vec<String> = f
            .expect
            .iter()
            .map(|e| format!("{} {} {}", e.code, e.severity, e.cell))
            .collect();
        want.sort();
        let got = lines(&found);
        if want != got {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  actual:   {got:?}",
                f.name
            ));
            continue;
        }
        for e in &f.expect {
            let labels_planted = found
                .iter()
                .filter(|x| x.rule.code == e.code)
                .any(|x| labelled(x).contains(&e.planted));
            if !labels_planted {
                failures.push(format!(
                    "{}: {} does not label {}",
                    f.name, e.code, e.planted
                ));
            }
        }
    }
    std::fs::remove_dir_all(&d).ok();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn committed_sheet_fixtures_give_their_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sheets");
    let mut books: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "xlsx" || x == "xls" || x == "ods")
        })
        .collect();
    books.sort();
    let mut failures = Vec::new();
    for book in &books {
        let Ok(text) = std::fs::read_to_string(book.with_extension("expected")) else {
            failures.push(format!("{}: no .expected beside it", book.display()));
            continue;
        };
        let mut want: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        want.sort();
        let got = lines(&check(book));
        if want != got {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  actual:   {got:?}",
                book.display()
            ));
        }
    }
    // Each family fixture is there in both formats.
    for f in families() {
        for ext in ["xlsx", "xls"] {
            let p = root.join(format!("{}.{ext}", f.name));
            if !books.contains(&p) {
                failures.push(format!(
                    "{} missing (cargo run --example make_sheets)",
                    p.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_sheet_in_yuan_is_cross_checked_with_a_narrative_in_wan() {
    // 部门整体 states its amounts in 元 ("金额单位：元" above the block): 10266600 元 is the
    // narrative's 1026.66万元, in .xlsx and in .xls alike.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sheets");
    let agree = "2024年度部门整体支出年初预算为1000.00万元，全年预算为1026.66万元，全年执行985.59万元，预算执行率为96.00%。经自评，自评得分92.6分，等级为优。\n";
    for ext in ["xlsx", "xls"] {
        let d = dir(&format!("yuan-{ext}"));
        std::fs::copy(
            root.join(format!("部门整体.{ext}")),
            d.join(format!("部门整体.{ext}")),
        )
        .unwrap();
        std::fs::write(d.join("部门整体.txt"), agree).unwrap();
        let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
        assert_eq!(
            brief(&report.findings),
            vec![],
            "{ext}: {:#?}",
            report.findings
        );
        // The narrative now says 1062.66万元.
        std::fs::write(d.join("部门整体.txt"), agree.replace("1026.66", "1062.66")).unwrap();
        let report = suanpan::check_paths(std::slice::from_ref(&d), &Settings::default());
        let cross: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.rule.code == "SP0301")
            .collect();
        assert_eq!(cross.len(), 1, "{ext}: {:#?}", report.findings);
        assert!(
            labelled(cross[0]).contains(&"部门自评表!C6".to_string()),
            "{ext}: {:#?}",
            cross[0]
        );
        std::fs::remove_dir_all(&d).ok();
    }
}
