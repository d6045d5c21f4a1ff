//! `--format html`: the page holds every finding of the same run's JSON (code, message, labels,
//! expected and found), marks the labelled figures and cells, speaks English with `--lang en`,
//! exits as the other formats do, and turns hostile report text into inert, visible text.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Runs `suanpan check` with `args`, the page written to a file; returns (page, exit code).
fn html(paths: &[PathBuf], extra: &[&str]) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("报告.html");
    let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .arg("check")
        .args(["--format", "html", "-o"])
        .arg(&out)
        .args(extra)
        .args(paths)
        .output()
        .expect("suanpan runs");
    let page = std::fs::read_to_string(&out).expect("the page was written");
    (page, o.status.code())
}

fn json(paths: &[PathBuf], extra: &[&str]) -> (Value, Option<i32>) {
    let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .arg("check")
        .args(["--format", "json"])
        .args(extra)
        .args(paths)
        .output()
        .expect("suanpan runs");
    let doc = serde_json::from_slice(&o.stdout).expect("JSON output");
    (doc, o.status.code())
}

/// Text as the page escapes it (the renderer's rules, written out again here).
fn esc(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '=' => out.push_str("&#61;"),
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("<span class=\"cc\">⟨U+{:04X}⟩</span>", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn diagnostics(doc: &Value) -> &Vec<Value> {
    doc["diagnostics"].as_array().expect("diagnostics")
}

/// Every finding of the JSON output is on the page: code (linked to its rule's documentation),
/// message, each label's place and text, expected and found; text labels are marked in their
/// excerpt and cell labels in their block.
fn holds_every_finding(page: &str, doc: &Value) {
    let diags = diagnostics(doc);
    assert!(!diags.is_empty());
    let (mut text_labels, mut cell_labels) = (0, 0);
    for d in diags {
        let code = d["code"].as_str().expect("a code");
        let message = d["message"].as_str().expect("a message");
        assert!(
            page.contains(&format!("href=\"#rule-{code}\">{code}</a>")),
            "{code}"
        );
        assert!(
            page.contains(&format!("<details id=\"rule-{code}\">")),
            "{code}"
        );
        assert!(page.contains(&esc(message)), "{code}: {message}");
        for key in ["expected", "found"] {
            if let Some(v) = d[key].as_str() {
                assert!(page.contains(&format!("\">{}</b>", esc(v))), "{key} {v}");
            }
        }
        for l in d["labels"].as_array().expect("labels") {
            let text = l["label"].as_str().unwrap_or_default();
            let place = if let Some(line) = l["line"].as_u64() {
                text_labels += 1;
                format!("{line}:{}", l["column"])
            } else if let Some(cell) = l["cell"].as_str() {
                cell_labels += 1;
                format!("{}!{cell}", esc(l["sheet"].as_str().unwrap_or_default()))
            } else {
                continue;
            };
            let shown = format!("<bdi class=\"at\">{place}</bdi> {}</li>", esc(text));
            assert!(page.contains(&shown), "{shown}");
        }
    }
    // Each text label is marked and numbered once in its excerpt; each labelled cell is marked.
    let marks =
        page.matches("<sup class=\"p\">").count() + page.matches("<sup class=\"s\">").count();
    assert_eq!(marks, text_labels);
    assert!(page.matches("<mark class=").count() >= text_labels.min(1));
    assert!(page.matches("<td class=\"hl ").count() >= cell_labels.min(1));
}

#[test]
fn the_page_holds_the_json_findings_of_the_same_run() {
    let paths = [fixture("000_b73ab5ecdce5c643.txt"), fixture("sheets")];
    let (page, code) = html(&paths, &[]);
    let (doc, json_code) = json(&paths, &[]);
    assert_eq!(code, json_code);
    assert_eq!(code, Some(1));
    holds_every_finding(&page, &doc);
    // The seed's total score, marked in line 40, and a sheet's labelled cell with its heading row.
    assert!(page.contains("<span class=\"ln\">40</span>"));
    assert!(page.contains("<mark class=\"p\">88.35分</mark>"));
    assert!(page.contains("<tr class=\"head\">"));
    assert!(page.contains("<td class=\"hl p\">"));
    // The overview: a row per report, with the seed's stated score and grade.
    let reports = page.matches("<section class=\"report\"").count();
    assert_eq!(page.matches("<tr data-i=").count(), reports);
    assert!(page.contains("<td>88.35分</td><td>良好</td>"));
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("算盘检查报告"));
    assert_eq!(page.matches("<script").count(), 1);
}

#[test]
fn english_chrome_and_messages_with_lang_en() {
    let paths = [fixture("000_b73ab5ecdce5c643.txt"), fixture("sheets")];
    let (page, _) = html(&paths, &["--lang", "en"]);
    let (doc, _) = json(&paths, &["--lang", "en"]);
    holds_every_finding(&page, &doc);
    assert!(page.contains("<html lang=\"en\">"));
    for word in [
        "suanpan report",
        "Search titles",
        "Severity",
        "All rules",
        "Rule documentation",
    ] {
        assert!(page.contains(word), "{word}");
    }
    for word in [
        "算盘检查报告",
        "搜索标题",
        "严重程度",
        "全部规则",
        "规则说明",
        "应为",
    ] {
        assert!(!page.contains(word), "{word}");
    }
}

#[test]
fn a_clean_report_exits_0_and_has_no_findings() {
    let (page, code) = html(&[fixture("sheets/三公经费.xlsx")], &[]);
    assert_eq!(code, Some(0));
    assert!(page.contains("没有发现问题。"));
    assert!(page.ends_with("</html>\n"));
}

/// Report text that is HTML, script, a `javascript:` link, bidi overrides and zero-width
/// characters: in a narrative's title and labelled line, in file names, in a sheet's name and
/// the heading cells around a labelled cell.
#[test]
fn hostile_reports_yield_no_executable_content() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let seed = std::fs::read_to_string(fixture("000_b73ab5ecdce5c643.txt")).expect("the seed");
    let hostile_title =
        "<script>alert(1)</script>\u{202E}\u{200B}\"><img src=x onerror=alert(1)>'绩效自评报告\n";
    let text = hostile_title.to_string()
        + &seed
            .replacen(
                "根据自评指标评分表",
                "根据<a href=\"javascript:alert(1)\">自评指标评分表</a>\u{202E}",
                1,
            )
            .replacen(
                "二、绩效自评结论",
                "二、绩效自评结论<a href=\"javascript:alert(1)\">",
                1,
            );
    let narrative = dir.path().join("x\"><svg onload=alert(1)>报告.txt");
    std::fs::write(&narrative, text).expect("write the narrative");

    let sheet_path = dir.path().join("<script>表.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("<script>三公经费").expect("a sheet name");
    let rows: [(&str, [f64; 3]); 6] = [
        ("“三公”经费合计", [12.0, 12.0, 10.8]),
        (
            "因公出国（境）费\"><img src=x onerror=alert(1)>\u{202E}",
            [0.0, 0.0, 0.0],
        ),
        ("公务用车购置及运行维护费", [9.0, 9.0, 8.3]),
        ("其中：公务用车购置费", [6.0, 6.0, 6.0]),
        ("公务用车运行维护费", [3.0, 3.0, 2.8]),
        ("公务接待费", [3.0, 3.0, 2.5]),
    ];
    ws.write_string(0, 0, "“三公”经费支出情况表")
        .expect("a cell");
    ws.write_string(1, 0, "单位：万元").expect("a cell");
    for (c, head) in ["项目", "年初预算数", "全年预算数", "全年执行数"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *head).expect("a cell");
    }
    for (r, (name, values)) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        ws.write_string(r, 0, *name).expect("a cell");
        for (c, v) in values.iter().enumerate() {
            ws.write_number(r, c as u16 + 1, *v).expect("a cell");
        }
    }
    wb.save(&sheet_path).expect("save the workbook");

    let paths = [narrative, sheet_path];
    let (page, code) = html(&paths, &[]);
    let (doc, json_code) = json(&paths, &[]);
    assert_eq!(code, json_code);
    holds_every_finding(&page, &doc);
    // The findings about the hostile lines and cells are there.
    let codes: Vec<&str> = diagnostics(&doc)
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"SP0105"), "{codes:?}");
    assert!(codes.contains(&"SP0205"), "{codes:?}");

    // One script, the page's own; no event handler, no link but the page's anchors.
    assert_eq!(page.matches("<script").count(), 1, "scripts");
    let lower = page.to_lowercase();
    for bad in [
        "onerror=",
        "onload=",
        "<img",
        "<svg",
        "<a href=\"javascript",
    ] {
        assert!(!lower.contains(bad), "{bad}");
    }
    // No event handler attribute in any tag (on…=), the page's own included.
    for tag in page.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default().to_lowercase();
        for word in tag.split_whitespace().skip(1) {
            let handler = word.starts_with("on")
                && word.split('=').next().is_some_and(|name| {
                    name.len() > 2 && name.chars().all(|c| c.is_ascii_alphabetic())
                })
                && word.contains('=');
            assert!(!handler, "an event handler: <{tag}>");
        }
    }
    for href in page.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "a link out: {}",
            &href[..href.len().min(40)]
        );
    }
    // No bidi override or zero-width character left to act; each shown as a visible mark.
    assert!(!page.contains('\u{202E}') && !page.contains('\u{200B}'));
    assert!(page.contains("<span class=\"cc\">⟨U+202E⟩</span>"));
    assert!(page.contains("<span class=\"cc\">⟨U+200B⟩</span>"));
    // The hostile strings are there, as text: the title, the line, the file name, the sheet.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;&#39;绩效自评报告"));
    assert!(page.contains("二、绩效自评结论&lt;a href&#61;&quot;javascript:alert(1)&quot;&gt;"));
    assert!(page.contains("&gt;自评指标评分表&lt;/a&gt;<span class=\"cc\">⟨U+202E⟩</span>"));
    assert!(page.contains("x&quot;&gt;&lt;svg onload&#61;alert(1)&gt;报告"));
    assert!(page.contains("&lt;script&gt;三公经费"));
    assert!(page.contains("<td>因公出国（境）费&quot;&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;<span class=\"cc\">⟨U+202E⟩</span></td>"));
    // The search keys (attributes) hold the title escaped too.
    assert!(page.contains("data-q=\"&lt;script&gt;alert(1)&lt;/script&gt;⟨U+202E⟩⟨U+200B⟩"));
}

/// A narrative and its sheet that disagree (SP0301): the finding shows the narrative's line and
/// the sheet's cells, each named.
#[test]
fn a_narrative_and_its_sheet_side_by_side() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("自评报告.txt"),
        "2024年度某局项目支出绩效自评报告\n\n经自评，本项目2024年度绩效自评分数为92.00分，评价等级为优。\n",
    )
    .expect("write the narrative");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "项目支出绩效自评表").expect("a cell");
    let heads = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(2, c as u16, *h).expect("a cell");
    }
    let rows = [
        ("产出指标", "数量指标", "培训场次", 50.0, 42.0),
        ("效益指标", "社会效益指标", "保障水平", 50.0, 40.0),
    ];
    for (i, (a, b, c, w, s)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        for (k, text) in [*a, *b, *c, "≥10场", "9场"].iter().enumerate() {
            ws.write_string(r, k as u16, *text).expect("a cell");
        }
        ws.write_number(r, 5, *w).expect("a cell");
        ws.write_number(r, 6, *s).expect("a cell");
    }
    ws.write_string(5, 0, "总分").expect("a cell");
    ws.write_number(5, 5, 100.0).expect("a cell");
    ws.write_number(5, 6, 82.0).expect("a cell");
    wb.save(dir.path().join("自评报告.xlsx"))
        .expect("save the workbook");

    let paths = [dir.path().to_path_buf()];
    let (page, code) = html(&paths, &[]);
    let (doc, json_code) = json(&paths, &[]);
    assert_eq!(code, json_code);
    holds_every_finding(&page, &doc);
    let cross = page
        .split("<article")
        .find(|a| a.contains(">SP0301</a>"))
        .expect("an SP0301 finding");
    assert!(cross.contains("<pre class=\"excerpt\">"), "{cross}");
    assert!(cross.contains("<mark class="), "{cross}");
    assert!(cross.contains("<td class=\"hl "), "{cross}");
    assert!(cross.contains("<figcaption>"), "{cross}");
    // One report of two files, with its title, score and grade in the overview.
    assert_eq!(page.matches("<tr data-i=").count(), 1);
    assert!(page.contains("2024年度某局项目支出绩效自评报告</a>"));
    assert!(page.contains("<td>92.00分</td><td>优</td>"), "{page}");
}
