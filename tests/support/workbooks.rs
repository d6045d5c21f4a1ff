//! Workbook fixtures generated from cell texts: .xlsx through rust_xlsxwriter, .ods written as
//! zip + XML. Shared by tests/sheets.rs and examples/make_sheets.rs.
#![allow(dead_code)]

use rust_xlsxwriter::Workbook;
use std::io::Write;
use std::path::Path;

/// A sheet to generate: rows of cell texts placed from `origin`; a text that parses as a number
/// is written as a number unless it starts with `'`.
pub struct SheetSpec {
    pub name: &'static str,
    pub origin: (u32, u16),
    pub rows: Vec<Vec<String>>,
}

pub fn rows(spec: &[&[&str]]) -> Vec<Vec<String>> {
    spec.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

pub fn write_xlsx(path: &Path, sheets: &[SheetSpec]) {
    let mut book = Workbook::new();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(s.name).unwrap();
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (s.origin.0 + r as u32, s.origin.1 + c as u16);
                if cell.is_empty() {
                    continue;
                }
                if let Some(text) = cell.strip_prefix('\'') {
                    ws.write_string(r, c, text).unwrap();
                } else if let Ok(n) = cell.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else {
                    ws.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// An OpenDocument spreadsheet with the same cells (written as zip + XML).
pub fn write_ods(path: &Path, sheets: &[SheetSpec]) {
    let mut body = String::new();
    for s in sheets {
        body.push_str(&format!("<table:table table:name=\"{}\">", s.name));
        for _ in 0..s.origin.0 {
            body.push_str("<table:table-row><table:table-cell/></table:table-row>");
        }
        for row in &s.rows {
            body.push_str("<table:table-row>");
            for _ in 0..s.origin.1 {
                body.push_str("<table:table-cell/>");
            }
            for cell in row {
                match cell.parse::<f64>() {
                    Ok(n) if !cell.starts_with('\'') => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{cell}</text:p></table:table-cell>"
                    )),
                    _ if cell.is_empty() => body.push_str("<table:table-cell/>"),
                    _ => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        cell.trim_start_matches('\'')
                    )),
                }
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// 项目支出绩效自评表 in the central layout: fund block, goal block, indicator block, 总分, 等级.
pub fn project_rows() -> Vec<Vec<String>> {
    rows(&[
        &["项目支出绩效自评表"],
        &["（2024年度）"],
        &["项目名称", "职工疗休养项目"],
        &[
            "项目资金（万元）",
            "",
            "年初预算数",
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
        ],
        &[
            "",
            "年度资金总额：",
            "200",
            "220",
            "214.5",
            "10",
            "'97.50%",
            "9.75",
        ],
        &[
            "",
            "其中：当年财政拨款",
            "180",
            "200",
            "195",
            "—",
            "'97.50%",
            "—",
        ],
        &["", "上年结转资金", "20", "20", "19.5", "—", "'97.50%", "—"],
        &["", "其他资金", "0", "0", "0", "—", "—", "—"],
        &["年度总体目标", "预期目标", "", "", "实际完成情况"],
        &["", "组织职工疗休养", "", "", "完成"],
        &[
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        &[
            "",
            "产出指标(50分)",
            "数量指标",
            "疗休养人次",
            "≥500人次",
            "520",
            "20",
            "20",
            "",
        ],
        &[
            "",
            "",
            "质量指标",
            "活动安全率",
            "100%",
            "100%",
            "15",
            "15",
            "",
        ],
        &[
            "",
            "",
            "时效指标",
            "按期完成率",
            "100%",
            "95%",
            "15",
            "13",
            "个别批次延期",
        ],
        &[
            "",
            "效益指标(30分)",
            "社会效益指标",
            "职工获得感",
            "显著",
            "显著",
            "30",
            "28",
            "宣传不足",
        ],
        &[
            "",
            "满意度指标(10分)",
            "服务对象满意度指标",
            "职工满意度",
            "≥90%",
            "93%",
            "10",
            "9",
            "个别意见",
        ],
        &["总分", "", "", "", "", "", "100", "94.75", ""],
        &["自评等级", "优"],
    ])
}

/// 部门整体支出绩效自评表 (决策/过程/产出/效益), merged 一级/二级 cells left blank.
pub fn dept_rows() -> Vec<Vec<String>> {
    rows(&[
        &["部门整体支出绩效自评表"],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "自评得分",
            "扣分原因",
        ],
        &["决策", "目标设定", "绩效目标合理性", "5", "5", ""],
        &["", "", "绩效指标明确性", "5", "4", "指标未完全量化"],
        &["", "预算配置", "在职人员控制率", "5", "5", ""],
        &["", "", "三公经费变动率", "5", "5", ""],
        &["过程", "预算执行", "预算完成率", "10", "9", "年中追加"],
        &["", "", "预算调整率", "10", "8", "调整较大"],
        &["", "预算管理", "管理制度健全性", "10", "10", ""],
        &[
            "产出",
            "职责履行",
            "重点工作完成率",
            "20",
            "18",
            "部分工作延期",
        ],
        &["效益", "履职效益", "社会效益", "20", "19", "宣传不足"],
        &["", "满意度", "服务对象满意度", "10", "9", "个别投诉"],
        &["合计", "", "", "100", "92", ""],
        &["评价等级", "优"],
    ])
}

/// Cells merged in a generated workbook: (sheet index, first row, first column, last row, last
/// column), relative to the sheet's origin. Only the first cell keeps its text, as in Excel.
pub type Merge = (usize, u32, u16, u32, u16);

/// A workbook to generate, with its merged cells.
pub struct Book {
    pub sheets: Vec<SheetSpec>,
    pub merges: Vec<Merge>,
}

/// `write_xlsx`, then the merged ranges drawn over the cells.
pub fn write_book_xlsx(path: &Path, book: &Book) {
    let mut wb = Workbook::new();
    let merge_format = rust_xlsxwriter::Format::new();
    for (i, s) in book.sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).unwrap();
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (s.origin.0 + r as u32, s.origin.1 + c as u16);
                if cell.is_empty() {
                    continue;
                }
                if let Some(text) = cell.strip_prefix('\'') {
                    ws.write_string(r, c, text).unwrap();
                } else if let Ok(n) = cell.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else {
                    ws.write_string(r, c, cell).unwrap();
                }
            }
        }
        for &(_, r0, c0, r1, c1) in book.merges.iter().filter(|m| m.0 == i) {
            let text = s
                .rows
                .get(r0 as usize)
                .and_then(|r| r.get(c0 as usize))
                .cloned()
                .unwrap_or_default();
            let (o, p) = s.origin;
            ws.merge_range(
                o + r0,
                p + c0,
                o + r1,
                p + c1,
                text.trim_start_matches('\''),
                &merge_format,
            )
            .unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// The book as JSON for scripts/make_xls.py, which writes the same cells and merges as .xls.
pub fn book_json(book: &Book) -> String {
    let sheets: Vec<serde_json::Value> = book
        .sheets
        .iter()
        .map(|s| {
            serde_json::json!({
                "name": s.name,
                "origin": [s.origin.0, s.origin.1],
                "rows": s.rows,
            })
        })
        .collect();
    serde_json::json!({ "sheets": sheets, "merges": book.merges }).to_string()
}

/// A finding a generated workbook must give: its code, severity and primary cell, and the
/// cell holding the planted error, which the finding must label too.
pub struct Expect {
    pub code: &'static str,
    pub severity: &'static str,
    pub cell: String,
    pub planted: String,
}

/// A generated fixture of one template family: clean, or with one planted error.
pub struct Fixture {
    pub name: String,
    /// What was planted, for the `.expected` file's comment.
    pub note: String,
    pub book: Book,
    pub expect: Vec<Expect>,
}

fn put(rows: &mut [Vec<String>], r: usize, c: usize, v: &str) {
    if rows[r].len() <= c {
        rows[r].resize(c + 1, String::new());
    }
    rows[r][c] = v.to_string();
}

fn expect(code: &'static str, severity: &'static str, cell: &str, planted: &str) -> Expect {
    Expect {
        code,
        severity,
        cell: cell.to_string(),
        planted: planted.to_string(),
    }
}

fn fixture(
    name: &str,
    note: &str,
    sheets: Vec<SheetSpec>,
    merges: Vec<Merge>,
    expect: Vec<Expect>,
) -> Fixture {
    Fixture {
        name: name.to_string(),
        note: note.to_string(),
        book: Book { sheets, merges },
        expect,
    }
}

fn one_sheet(name: &'static str, rows: Vec<Vec<String>>) -> Vec<SheetSpec> {
    vec![SheetSpec {
        name,
        origin: (0, 0),
        rows,
    }]
}

/// 财政部 项目支出绩效自评表 (central 附1) as drawn: "项目资金（万元）" merged over 年初预算数 /
/// 全年预算数 / 全年执行数 with 分值 / 执行率 / 得分 merged down two rows, "绩效指标" merged over
/// 一级/二级/三级指标, header text broken over lines, an execution score rounded to one decimal
/// (10 × 93.34% = 9.334 → 9.3), placeholders in the reasons of full-mark rows, 综合评价等级.
pub fn central_project() -> (Vec<Vec<String>>, Vec<Merge>) {
    let rows = rows(&[
        &["项目支出绩效自评表"],
        &["（2024年度）"],
        &["项目名称", "城乡公交运营补贴项目"],
        &["主管部门", "市交通运输局", "", "", "实施单位", "市公交公司"],
        &[
            "资金来源",
            "项目资金（万元）",
            "",
            "",
            "分值",
            "执行率",
            "得 分",
        ],
        &["", "年初预算数", "全年\n预算数", "全年执行数"],
        &[
            "年度资金总额",
            "1200",
            "1250",
            "1166.75",
            "10",
            "'93.34%",
            "9.3",
        ],
        &[
            "其中：当年财政拨款",
            "1000",
            "1050",
            "980.25",
            "—",
            "'93.36%",
            "—",
        ],
        &["上年结转资金", "200", "200", "186.5", "—", "'93.25%", "—"],
        &["其他资金", "0", "0", "0", "—", "—", "—"],
        &["年度总体目标", "预期目标", "", "", "实际完成情况"],
        &["", "保障城乡公交正常运营", "", "", "已完成"],
        &[
            "绩效指标",
            "",
            "",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析\n及改进措施",
        ],
        &["一级指标", "二级指标", "三级指标"],
        &[
            "产出指标(50分)",
            "数量指标",
            "开通线路数",
            "≥20条",
            "22条",
            "20",
            "20",
            "—",
        ],
        &["", "质量指标", "准点率", "≥95%", "96%", "15", "15", "—"],
        &[
            "",
            "时效指标",
            "补贴发放及时率",
            "100%",
            "92%",
            "15",
            "13.5",
            "第四季度补贴延迟发放",
        ],
        &[
            "效益指标(30分)",
            "社会效益指标",
            "群众出行便利度",
            "显著提升",
            "明显提升",
            "30",
            "28",
            "部分偏远线路班次少",
        ],
        &[
            "满意度指标(10分)",
            "服务对象满意度指标",
            "乘客满意度",
            "≥90%",
            "92%",
            "10",
            "10",
            "—",
        ],
        &["总分", "", "", "", "", "100", "95.8", ""],
        &["综合评价等级", "优"],
    ]);
    let merges = vec![
        (0, 4, 0, 5, 0),
        (0, 4, 1, 4, 3),
        (0, 4, 4, 5, 4),
        (0, 4, 5, 5, 5),
        (0, 4, 6, 5, 6),
        (0, 12, 0, 12, 2),
        (0, 12, 3, 13, 3),
        (0, 12, 4, 13, 4),
        (0, 12, 5, 13, 5),
        (0, 12, 6, 13, 6),
        (0, 12, 7, 13, 7),
        (0, 14, 0, 16, 0),
        (0, 19, 0, 19, 4),
    ];
    (rows, merges)
}

/// 部门整体支出绩效自评表 in 元 ("金额单位：元" above the fund block), whose 年度资金总额 is split
/// twice (按收入性质分: 财政拨款, 其他资金; 按支出性质分: 基本支出 with its own 其中 人员经费 and
/// 公用经费, 项目支出), above an indicator table graded by 绩效评价等级.
pub fn dept_whole() -> Vec<Vec<String>> {
    rows(&[
        &["部门整体支出绩效自评表"],
        &["（2024年度）"],
        &["部门名称", "市总工会"],
        &["", "", "", "", "", "金额单位：元"],
        &[
            "资金类别",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        &[
            "年度资金总额",
            "10000000",
            "10266600",
            "9855936",
            "10",
            "'96.00%",
            "9.6",
        ],
        &["按收入性质分："],
        &[
            "其中：财政拨款",
            "9000000",
            "9266600",
            "8900000",
            "—",
            "—",
            "—",
        ],
        &["其他资金", "1000000", "1000000", "955936", "—", "—", "—"],
        &["按支出性质分："],
        &[
            "其中：基本支出",
            "6000000",
            "6100000",
            "6000000",
            "—",
            "—",
            "—",
        ],
        &[
            "\u{3000}\u{3000}其中：人员经费",
            "5000000",
            "5100000",
            "5050000",
            "—",
            "—",
            "—",
        ],
        &[
            "\u{3000}\u{3000}\u{3000}\u{3000}公用经费",
            "1000000",
            "1000000",
            "950000",
            "—",
            "—",
            "—",
        ],
        &["项目支出", "4000000", "4166600", "3855936", "—", "—", "—"],
        &[],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "自评得分",
            "扣分原因",
        ],
        &["决策", "目标设定", "绩效目标合理性", "5", "5", ""],
        &["", "", "绩效指标明确性", "5", "4", "指标未完全量化"],
        &["", "预算配置", "在职人员控制率", "5", "5", ""],
        &["", "", "三公经费变动率", "5", "5", ""],
        &["过程", "预算执行", "预算调整率", "10", "8", "调整较大"],
        &["", "预算管理", "管理制度健全性", "10", "10", ""],
        &[
            "产出",
            "职责履行",
            "重点工作完成率",
            "20",
            "18",
            "部分工作延期",
        ],
        &["效益", "履职效益", "社会效益", "20", "19", "宣传不足"],
        &["", "满意度", "服务对象满意度", "10", "9", "个别投诉"],
        &["合计", "", "", "100", "92.6", ""],
        &["绩效评价等级", "优"],
    ])
}

/// A 三公经费 block in 万元: the 合计 over 因公出国（境）费, 公务用车购置及运行维护费 (itself
/// 其中 公务用车购置费 + 公务用车运行维护费) and 公务接待费.
pub fn sangong() -> Vec<Vec<String>> {
    rows(&[
        &["“三公”经费支出情况"],
        &["金额单位：万元"],
        &["项目", "年初预算数", "全年预算数", "全年执行数"],
        &["“三公”经费合计", "12", "12", "10.8"],
        &["因公出国（境）费", "0", "0", "0"],
        &["公务用车购置及运行维护费", "9", "9", "8.3"],
        &["其中：公务用车购置费", "6", "6", "6"],
        &["公务用车运行维护费", "3", "3", "2.3"],
        &["公务接待费", "3", "3", "2.5"],
    ])
}

/// A department's budget execution by economic kind in 万元, with a 小计 row after the rows it
/// sums and the 合计 at the bottom.
pub fn subtotals() -> Vec<Vec<String>> {
    rows(&[
        &["部门预算执行情况表"],
        &["单位：万元"],
        &[
            "支出项目",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
        ],
        &["人员经费", "500", "510", "505", "'99.02%"],
        &["公用经费", "100", "100", "95", "'95.00%"],
        &["基本支出小计", "600", "610", "600", "'98.36%"],
        &["项目支出", "400", "416.66", "385.59", "'92.54%"],
        &["合计", "1000", "1026.66", "985.59", "'96.00%"],
    ])
}

/// 四川 部门预算项目支出绩效自评表 (510000_0013zp): "单位：万元" above, 调整后预算数 / 预算执行率 /
/// 权重 columns, "/" in the 其中 rows, an amount written "3191.64万", 未完成原因分析.
pub fn sichuan_project() -> Vec<Vec<String>> {
    rows(&[
        &["报表编号:510000_0013zp"],
        &["部门预算项目支出绩效自评表(2023年度)"],
        &["项目名称", "农村公路养护"],
        &["单位：万元"],
        &[
            "预算执行情况(10分)",
            "年度预算数",
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算\n执行率",
            "权重",
            "得分",
            "原因",
        ],
        &[
            "",
            "总额",
            "3300",
            "3359.62",
            "'3191.64万",
            "'95.00%",
            "10",
            "9.5",
            "1.预算执行率=预算执行数/调整后预算数",
        ],
        &[
            "",
            "其中:财政资金",
            "3000",
            "3059.62",
            "2900",
            "/",
            "/",
            "/",
        ],
        &["", "财政专户管理资金", "0", "0", "0", "/", "/", "/"],
        &["", "单位资金", "300", "300", "291.64", "/", "/", "/"],
        &["", "其他资金", "0", "0", "0", "/", "/", "/"],
        &[
            "绩效指标(90分)",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        ],
        &[
            "",
            "产出指标",
            "数量指标",
            "养护里程",
            "≥",
            "120",
            "公里",
            "125",
            "20",
            "20",
            "/",
        ],
        &[
            "",
            "",
            "质量指标",
            "优良路率",
            "≥",
            "85",
            "%",
            "83",
            "20",
            "18",
            "部分路段水毁未及时修复",
        ],
        &[
            "",
            "",
            "时效指标",
            "养护及时率",
            "=",
            "100",
            "%",
            "100",
            "10",
            "10",
            "/",
        ],
        &[
            "",
            "",
            "成本指标",
            "每公里养护成本",
            "≤",
            "2.8",
            "万元",
            "2.6",
            "10",
            "10",
            "/",
        ],
        &[
            "",
            "效益指标",
            "社会效益指标",
            "群众出行条件改善",
            "定性",
            "明显改善",
            "",
            "明显改善",
            "20",
            "20",
            "/",
        ],
        &[
            "",
            "满意度指标",
            "服务对象满意度指标",
            "沿线群众满意度",
            "≥",
            "90",
            "%",
            "92",
            "10",
            "10",
            "/",
        ],
        &["合计", "", "", "", "", "", "", "", "100", "97.5", ""],
        &["评价结论", "优"],
    ])
}

/// A 共性指标体系 评分表 with a 分值 column after each level (一级 | 分值 | 二级 | 分值 | 三级 |
/// 分值 | 评分标准 | 得分 | 评分依据及扣分原因), two projects on one sheet, each with its own
/// 合计 and grade (96 优, 85 良).
pub fn common_scores() -> Vec<Vec<String>> {
    let header: &[&str] = &[
        "一级指标",
        "分值",
        "二级指标",
        "分值",
        "三级指标",
        "分值",
        "评分标准",
        "得分",
        "评分依据及扣分原因",
    ];
    rows(&[
        &["项目支出绩效评价评分表（社区养老服务）"],
        header,
        &[
            "决策",
            "20",
            "项目立项",
            "10",
            "立项依据充分性",
            "5",
            "依据充分得满分",
            "5",
            "—",
        ],
        &[
            "",
            "",
            "",
            "",
            "立项程序规范性",
            "5",
            "程序规范得满分",
            "5",
            "—",
        ],
        &[
            "",
            "",
            "绩效目标",
            "10",
            "绩效目标合理性",
            "5",
            "目标合理得满分",
            "4",
            "目标与预算匹配度不足",
        ],
        &[
            "",
            "",
            "",
            "",
            "绩效指标明确性",
            "5",
            "指标明确得满分",
            "5",
            "—",
        ],
        &[
            "过程",
            "20",
            "资金管理",
            "12",
            "资金到位率",
            "4",
            "到位率×分值",
            "4",
            "—",
        ],
        &[
            "",
            "",
            "",
            "",
            "预算执行率",
            "4",
            "执行率×分值",
            "3",
            "执行率93%",
        ],
        &[
            "",
            "",
            "",
            "",
            "资金使用合规性",
            "4",
            "合规得满分",
            "4",
            "—",
        ],
        &[
            "",
            "",
            "组织实施",
            "8",
            "管理制度健全性",
            "4",
            "健全得满分",
            "4",
            "—",
        ],
        &[
            "",
            "",
            "",
            "",
            "制度执行有效性",
            "4",
            "有效得满分",
            "4",
            "—",
        ],
        &[
            "产出",
            "40",
            "产出数量",
            "15",
            "实际完成率",
            "15",
            "完成率×分值",
            "15",
            "—",
        ],
        &[
            "",
            "",
            "产出质量",
            "10",
            "质量达标率",
            "10",
            "达标率×分值",
            "9",
            "个别服务记录不完整",
        ],
        &[
            "",
            "",
            "产出时效",
            "10",
            "完成及时性",
            "10",
            "及时得满分",
            "10",
            "—",
        ],
        &[
            "",
            "",
            "产出成本",
            "5",
            "成本节约率",
            "5",
            "节约得满分",
            "5",
            "—",
        ],
        &[
            "效益",
            "20",
            "项目效益",
            "20",
            "社会效益",
            "10",
            "效益明显得满分",
            "9",
            "覆盖面有待扩大",
        ],
        &[
            "",
            "",
            "",
            "",
            "服务对象满意度",
            "10",
            "满意度×分值",
            "10",
            "—",
        ],
        &["合计", "100", "", "", "", "", "", "96", ""],
        &["评价等级", "优"],
        &[],
        &["项目支出绩效评价评分表（老年食堂）"],
        header,
        &[
            "决策",
            "20",
            "项目立项",
            "20",
            "立项依据充分性",
            "10",
            "依据充分得满分",
            "10",
            "—",
        ],
        &[
            "",
            "",
            "",
            "",
            "绩效目标合理性",
            "10",
            "目标合理得满分",
            "8",
            "目标偏高",
        ],
        &[
            "过程",
            "20",
            "资金管理",
            "20",
            "预算执行率",
            "10",
            "执行率×分值",
            "9",
            "执行率90%",
        ],
        &[
            "",
            "",
            "",
            "",
            "资金使用合规性",
            "10",
            "合规得满分",
            "10",
            "—",
        ],
        &[
            "产出",
            "40",
            "产出数量",
            "20",
            "实际完成率",
            "20",
            "完成率×分值",
            "17",
            "部分服务未完成",
        ],
        &[
            "",
            "",
            "产出质量",
            "20",
            "质量达标率",
            "20",
            "达标率×分值",
            "16",
            "抽检不合格",
        ],
        &[
            "效益",
            "20",
            "项目效益",
            "20",
            "服务对象满意度",
            "20",
            "满意度×分值",
            "15",
            "满意度偏低",
        ],
        &["合计", "100", "", "", "", "", "", "85", ""],
        &["评价结论", "良"],
    ])
}

/// A 项目支出 score table with a 小计 row closing each first-level group (written in the
/// second-level column), and the 合计 at the bottom: each 小计 sums its group's rows, the 合计
/// sums the 小计s (100 / 96), and no row is counted twice.
pub fn score_subtotals() -> Vec<Vec<String>> {
    rows(&[
        &["项目支出绩效自评表"],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        &[
            "产出指标",
            "数量指标",
            "培训人次",
            "≥500人",
            "520人",
            "15",
            "15",
            "—",
        ],
        &["", "", "慰问户数", "≥200户", "200户", "15", "15", "—"],
        &["", "质量指标", "培训合格率", "≥95%", "96%", "10", "10", "—"],
        &[
            "",
            "时效指标",
            "资金拨付及时率",
            "100%",
            "95%",
            "10",
            "8",
            "个别资金拨付滞后",
        ],
        &["", "小计", "", "", "", "50", "48", ""],
        &[
            "效益指标",
            "社会效益指标",
            "职工权益保障水平",
            "提升",
            "有所提升",
            "20",
            "19",
            "宣传覆盖面不足",
        ],
        &[
            "",
            "可持续影响指标",
            "长效机制建立情况",
            "建立",
            "已建立",
            "10",
            "10",
            "—",
        ],
        &["", "小计", "", "", "", "30", "29", ""],
        &[
            "满意度指标",
            "服务对象满意度指标",
            "职工满意度",
            "≥90%",
            "92%",
            "10",
            "10",
            "—",
        ],
        &[
            "",
            "",
            "困难职工满意度",
            "≥90%",
            "88%",
            "10",
            "9",
            "个别走访不及时",
        ],
        &["", "小计", "", "", "", "20", "19", ""],
        &["合计", "", "", "", "", "100", "96", ""],
        &["自评等级", "优"],
    ])
}

/// Every generated fixture of the four template families: each clean, and each with one planted
/// error per point of issue 15, with the finding it must give.
pub fn families() -> Vec<Fixture> {
    let mut out = Vec::new();
    let (p, pm) = central_project();
    out.push(fixture(
        "项目支出_中央",
        "clean",
        one_sheet("自评表", p.clone()),
        pm.clone(),
        vec![],
    ));
    // Headers over two rows: a score above its weight in the 绩效指标 block (the total raised).
    let mut q = p.clone();
    put(&mut q, 15, 6, "16");
    put(&mut q, 19, 6, "96.8");
    out.push(fixture(
        "项目支出_中央_得分超分值",
        "准点率 得分 16 > 分值 15 (表头跨两行)",
        one_sheet("自评表", q),
        pm.clone(),
        vec![expect("SP0201", "error", "自评表!G16", "自评表!G16")],
    ));
    // Execution score 9.5 where 10 × 93.34% = 9.334 (the total raised).
    let mut q = p.clone();
    put(&mut q, 6, 6, "9.5");
    put(&mut q, 19, 6, "96");
    out.push(fixture(
        "项目支出_中央_执行得分",
        "预算执行得分 9.5，应为 10 × 93.34% ≈ 9.3",
        one_sheet("自评表", q),
        pm.clone(),
        vec![expect("SP0211", "warning", "自评表!G7", "自评表!G7")],
    ));
    // A shortfall whose reason is a placeholder.
    let mut q = p.clone();
    put(&mut q, 16, 7, "—");
    out.push(fixture(
        "项目支出_中央_原因占位",
        "补贴发放及时率 13.5/15，偏差原因只写“—”",
        one_sheet("自评表", q),
        pm.clone(),
        vec![expect("SP0207", "warning", "自评表!H17", "自评表!H17")],
    ));
    // A fund part that does not add up (its own rate kept consistent).
    let mut q = p.clone();
    put(&mut q, 8, 3, "176.5");
    put(&mut q, 8, 5, "'88.25%");
    out.push(fixture(
        "项目支出_中央_资金来源",
        "上年结转资金 全年执行数 176.5，来源之和不等于 1166.75",
        one_sheet("自评表", q),
        pm.clone(),
        vec![expect("SP0205", "error", "自评表!D7", "自评表!D9")],
    ));
    // The grade against the total.
    let mut q = p;
    put(&mut q, 20, 1, "良");
    out.push(fixture(
        "项目支出_中央_等级",
        "总分 95.8，综合评价等级写“良”",
        one_sheet("自评表", q),
        pm,
        vec![expect("SP0206", "error", "自评表!B21", "自评表!B21")],
    ));

    let d = dept_whole();
    out.push(fixture(
        "部门整体",
        "clean",
        one_sheet("部门自评表", d.clone()),
        vec![],
        vec![],
    ));
    // A leaf of the 按支出性质分 partition: only that partition fails.
    let mut q = d.clone();
    put(&mut q, 13, 3, "3855963");
    out.push(fixture(
        "部门整体_支出性质",
        "项目支出 全年执行数 3855963（应为 3855936）：按支出性质分不等于总额",
        one_sheet("部门自评表", q),
        vec![],
        vec![expect("SP0205", "error", "部门自评表!D6", "部门自评表!D14")],
    ));
    // A nested 其中 row: only its parent's sum fails.
    let mut q = d.clone();
    put(&mut q, 12, 3, "905000");
    out.push(fixture(
        "部门整体_其中嵌套",
        "公用经费 全年执行数 905000：人员经费 + 公用经费 不等于 基本支出",
        one_sheet("部门自评表", q),
        vec![],
        vec![expect(
            "SP0205",
            "error",
            "部门自评表!D11",
            "部门自评表!D13",
        )],
    ));
    // A score written in words that name the right number.
    let mut q = d.clone();
    put(&mut q, 22, 4, "十八");
    out.push(fixture(
        "部门整体_文字得分",
        "重点工作完成率 得分写作“十八”",
        one_sheet("部门自评表", q),
        vec![],
        vec![expect(
            "SP0208",
            "error",
            "部门自评表!E23",
            "部门自评表!E23",
        )],
    ));
    // The grade against the total.
    let mut q = d;
    put(&mut q, 26, 1, "良");
    out.push(fixture(
        "部门整体_等级",
        "合计 92.6，绩效评价等级写“良”",
        one_sheet("部门自评表", q),
        vec![],
        vec![expect(
            "SP0206",
            "error",
            "部门自评表!B27",
            "部门自评表!B27",
        )],
    ));

    // The same split without its 按…分 headings: a part of another kind starts the second one.
    let mut bare = dept_whole();
    bare.remove(9);
    bare.remove(6);
    out.push(fixture(
        "部门整体_无标题",
        "clean",
        one_sheet("部门自评表", bare),
        vec![],
        vec![],
    ));
    // A 三公 block: 公务用车购置及运行维护费 = 购置费 + 运行维护费, nested in the 合计.
    let sg = sangong();
    out.push(fixture(
        "三公经费",
        "clean",
        one_sheet("三公经费", sg.clone()),
        vec![],
        vec![],
    ));
    let mut q = sg;
    put(&mut q, 7, 3, "2.8");
    out.push(fixture(
        "三公经费_运行维护费",
        "公务用车运行维护费 全年执行数 2.8：购置费 + 运行维护费 不等于 8.3",
        one_sheet("三公经费", q),
        vec![],
        vec![expect("SP0205", "error", "三公经费!D6", "三公经费!D8")],
    ));

    // 小计 rows: 基本支出小计 over 人员经费 + 公用经费, the 合计 over the 小计 and 项目支出.
    let sub = subtotals();
    out.push(fixture(
        "预算执行_小计",
        "clean",
        one_sheet("预算执行", sub.clone()),
        vec![],
        vec![],
    ));
    let mut q = sub;
    put(&mut q, 4, 3, "59");
    put(&mut q, 4, 4, "'59.00%");
    out.push(fixture(
        "预算执行_小计_公用经费",
        "公用经费 全年执行数 59：人员经费 + 公用经费 不等于 基本支出小计 600",
        one_sheet("预算执行", q),
        vec![],
        vec![expect("SP0205", "error", "预算执行!D6", "预算执行!D5")],
    ));

    let s = sichuan_project();
    out.push(fixture(
        "四川项目",
        "clean",
        one_sheet("自评表", s.clone()),
        vec![],
        vec![],
    ));
    let mut q = s.clone();
    put(&mut q, 6, 4, "'2910万");
    out.push(fixture(
        "四川项目_万元来源",
        "财政资金 预算执行数写“2910万”，来源之和不等于 3191.64",
        one_sheet("自评表", q),
        vec![],
        vec![expect("SP0205", "error", "自评表!E6", "自评表!E7")],
    ));
    let mut q = s.clone();
    put(&mut q, 12, 10, "无");
    out.push(fixture(
        "四川项目_原因为无",
        "优良路率 18/20，未完成原因分析写“无”",
        one_sheet("自评表", q),
        vec![],
        vec![expect("SP0207", "warning", "自评表!K13", "自评表!K13")],
    ));
    let mut q = s;
    put(&mut q, 16, 9, "12");
    put(&mut q, 17, 9, "99.5");
    out.push(fixture(
        "四川项目_得分超权重",
        "沿线群众满意度 得分 12 > 权重 10",
        one_sheet("自评表", q),
        vec![],
        vec![expect("SP0201", "error", "自评表!J17", "自评表!J17")],
    ));

    let g = common_scores();
    out.push(fixture(
        "共性评分表",
        "clean",
        one_sheet("评分表", g.clone()),
        vec![],
        vec![],
    ));
    let mut q = g.clone();
    put(&mut q, 2, 7, "10");
    put(&mut q, 17, 7, "101");
    out.push(fixture(
        "共性评分表_三级超分值",
        "立项依据充分性 得分 10 > 三级分值 5（一级分值 20）",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0201", "error", "评分表!H3", "评分表!H3")],
    ));
    let mut q = g.clone();
    put(&mut q, 4, 5, "6");
    out.push(fixture(
        "共性评分表_二级分值",
        "绩效目标合理性 三级分值 6：绩效目标(10) ≠ 6 + 5",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0202", "error", "评分表!D5", "评分表!F5")],
    ));
    let mut q = g.clone();
    put(&mut q, 12, 7, "九");
    out.push(fixture(
        "共性评分表_文字得分",
        "质量达标率 得分写作“九”",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0208", "error", "评分表!H13", "评分表!H13")],
    ));
    let mut q = g.clone();
    put(&mut q, 7, 7, "七分");
    put(&mut q, 17, 7, "100");
    out.push(fixture(
        "共性评分表_文字得分有误",
        "预算执行率 得分写作“七分”（超过分值 4），合计随之改为 100",
        one_sheet("评分表", q),
        vec![],
        vec![
            expect("SP0201", "error", "评分表!H8", "评分表!H8"),
            expect("SP0208", "error", "评分表!H8", "评分表!H8"),
        ],
    ));
    let mut q = g;
    put(&mut q, 30, 1, "优");
    out.push(fixture(
        "共性评分表_第二表等级",
        "第二张表合计 85，评价结论写“优”",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0206", "error", "评分表!B31", "评分表!B31")],
    ));

    // 小计 rows in a score table: each compared with its own rows, the 合计 with the 小计s (or
    // the rows), never with both.
    let st = score_subtotals();
    out.push(fixture(
        "评分表_小计",
        "clean",
        one_sheet("评分表", st.clone()),
        vec![],
        vec![],
    ));
    let mut q = st.clone();
    put(&mut q, 5, 6, "7");
    out.push(fixture(
        "评分表_小计_行得分",
        "资金拨付及时率 得分 7：产出指标小计 48 不等于其下各行之和 47（合计仍等于各小计之和）",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0203", "error", "评分表!G7", "评分表!G6")],
    ));
    let mut q = st.clone();
    put(&mut q, 6, 6, "46");
    out.push(fixture(
        "评分表_小计_小计得分",
        "产出指标小计 得分 46：不等于其下各行之和 48（合计仍等于各行之和）",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0203", "error", "评分表!G7", "评分表!G7")],
    ));
    let mut q = st;
    put(&mut q, 13, 6, "97");
    out.push(fixture(
        "评分表_小计_合计",
        "合计 得分 97：各小计之和 96",
        one_sheet("评分表", q),
        vec![],
        vec![expect("SP0203", "error", "评分表!G14", "评分表!G14")],
    ));
    out
}
