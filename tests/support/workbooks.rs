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
