//! `check --annotate OUTDIR`: annotated copies.
//!
//! - .xlsx: the copy, re-read with calamine, holds every original sheet with the same values,
//!   formulas and merged cells, the same column widths, a first sheet "suanpan" linking each
//!   finding to its cell; each labelled cell has a note with the finding's message (existing
//!   notes kept) and a fill by severity on a copy of its own style (number format kept).
//! - .xls: written out as .xls.xlsx with the same values and the notes.
//! - .docx: each comment is anchored on exactly its label's characters, even where the figure's
//!   characters are spread over runs of different formatting; the document's text and each
//!   character's formatting are unchanged; existing comments are kept.
//! - .txt: no copy, said. Inputs: bytes and modification times unchanged; an OUTDIR whose copy
//!   would overwrite an input is refused (exit 2).
//! - When LibreOffice (`soffice`) is installed, it opens the copies and finds every comment.

mod support;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;
use support::workbooks;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// The seed report: ../shared/seed when it is there, else the fixture copy.
fn seed_txt() -> PathBuf {
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/000_b73ab5ecdce5c643.txt");
    if shared.exists() {
        shared
    } else {
        fixture("000_b73ab5ecdce5c643.txt")
    }
}

fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(args)
        .output()
        .expect("suanpan runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every file's bytes and modification time under a folder.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            (
                e.path().to_path_buf(),
                (
                    std::fs::read(e.path()).expect("read"),
                    meta.modified().expect("mtime"),
                ),
            )
        })
        .collect()
}

fn zip_part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut part = zip.by_name(name).ok()?;
    let mut s = String::new();
    part.read_to_string(&mut s).expect("utf-8 part");
    Some(s)
}

fn attrs(e: &quick_xml::events::BytesStart) -> HashMap<String, String> {
    e.attributes()
        .flatten()
        .map(|a| {
            (
                a.key.as_ref().to_string(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .expect("attribute")
                    .into_owned(),
            )
        })
        .collect()
}

/// (element local name, attributes) of every start or empty tag, with the text inside each
/// `t` element appended to the last `t`'s entry.
fn elements(xml: &str) -> Vec<(String, HashMap<String, String>, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<(String, HashMap<String, String>, String)> = Vec::new();
    let mut in_t = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                in_t = e.local_name().as_ref() == "t";
                out.push((
                    e.local_name().as_ref().to_string(),
                    attrs(&e),
                    String::new(),
                ));
            }
            Event::Empty(e) => out.push((
                e.local_name().as_ref().to_string(),
                attrs(&e),
                String::new(),
            )),
            Event::Text(t) if in_t => {
                if let Some(last) = out.last_mut() {
                    last.2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_t => {
                let c = match r.xml10_content().as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    _ => '\'',
                };
                if let Some(last) = out.last_mut() {
                    last.2.push(c);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "t" => in_t = false,
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A part's relationships: id → target.
fn rels(bytes: &[u8], rels_part: &str) -> Vec<(String, String, String)> {
    let Some(xml) = zip_part(bytes, rels_part) else {
        return Vec::new();
    };
    elements(&xml)
        .into_iter()
        .filter(|(n, _, _)| n == "Relationship")
        .map(|(_, a, _)| (a["Id"].clone(), a["Type"].clone(), a["Target"].clone()))
        .collect()
}

/// The comments of an .xlsx sheet part: cell → text.
fn sheet_comments(bytes: &[u8], sheet_part: &str) -> HashMap<String, String> {
    let (dir, file) = sheet_part.rsplit_once('/').expect("a folder");
    let rels = rels(bytes, &format!("{dir}/_rels/{file}.rels"));
    let Some((_, _, target)) = rels.iter().find(|(_, t, _)| t.ends_with("/comments")) else {
        return HashMap::new();
    };
    let part = format!("xl/{}", target.trim_start_matches("../"));
    let xml = zip_part(bytes, &part).expect("the comments part");
    let mut out: HashMap<String, String> = HashMap::new();
    let mut current = String::new();
    for (name, a, text) in elements(&xml) {
        if name == "comment" {
            current = a["ref"].clone();
        }
        if name == "t" {
            out.entry(current.clone()).or_default().push_str(&text);
        }
    }
    out
}

/// A sheet's part in the package, by name.
fn sheet_part(bytes: &[u8], name: &str) -> String {
    let wb = zip_part(bytes, "xl/workbook.xml").expect("workbook.xml");
    let rid = elements(&wb)
        .into_iter()
        .find(|(n, a, _)| n == "sheet" && a["name"] == name)
        .map(|(_, a, _)| a["r:id"].clone())
        .expect("the sheet is listed");
    let target = rels(bytes, "xl/_rels/workbook.xml.rels")
        .into_iter()
        .find(|(id, _, _)| *id == rid)
        .map(|(_, _, t)| t)
        .expect("its relationship");
    format!("xl/{}", target.trim_start_matches("/xl/"))
}

/// The fill colour and number format id of a cell's style.
fn cell_style(bytes: &[u8], part: &str, cell: &str) -> (Option<String>, String) {
    let sheet = zip_part(bytes, part).expect("sheet");
    let s: usize = elements(&sheet)
        .into_iter()
        .find(|(n, a, _)| n == "c" && a.get("r").is_some_and(|r| r == cell))
        .and_then(|(_, a, _)| a.get("s").and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    let styles = zip_part(bytes, "xl/styles.xml").expect("styles");
    let els = elements(&styles);
    let mut fills = Vec::new();
    let mut xfs = Vec::new();
    let mut section = String::new();
    for (n, a, _) in &els {
        match n.as_str() {
            "fills" | "cellXfs" | "cellStyleXfs" | "fonts" | "borders" => section = n.clone(),
            "fill" if section == "fills" => fills.push(None),
            "fgColor" if section == "fills" => {
                if let Some(last) = fills.last_mut() {
                    *last = a.get("rgb").cloned();
                }
            }
            "xf" if section == "cellXfs" => xfs.push(a.clone()),
            _ => {}
        }
    }
    let xf = &xfs[s];
    let fill = xf
        .get("fillId")
        .and_then(|f| f.parse::<usize>().ok())
        .and_then(|f| fills.get(f).cloned().flatten());
    (fill, xf.get("numFmtId").cloned().unwrap_or_default())
}

/// The planted-over-weight project sheet, with what a real workbook has besides: a number
/// format, a formula with its cached value, column widths, merged cells and a note on a second
/// sheet, and a note already on the labelled score cell and on the title.
fn rich_workbook(path: &Path) {
    use rust_xlsxwriter::{Format, Formula, Note, Workbook};
    let fx = workbooks::families()
        .into_iter()
        .find(|f| f.name == "四川项目_得分超权重")
        .expect("the fixture family");
    let rows = &fx.book.sheets[0].rows;
    let mut book = Workbook::new();
    let two = Format::new().set_num_format("0.00");
    let ws = book.add_worksheet();
    ws.set_name("自评表").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            }
            if let Ok(n) = cell.parse::<f64>() {
                ws.write_number_with_format(r, c, n, &two).unwrap();
            } else {
                ws.write_string(r, c, cell).unwrap();
            }
        }
    }
    ws.set_column_width(0, 18).unwrap();
    ws.set_column_width(4, 30).unwrap();
    ws.insert_note(16, 9, &Note::new("填表人：得分已复核").set_author("张三"))
        .unwrap();
    ws.insert_note(0, 0, &Note::new("模板 2024 版").set_author("张三"))
        .unwrap();
    let other = book.add_worksheet();
    other.set_name("说明").unwrap();
    other
        .merge_range(0, 0, 0, 3, "填报说明（合并单元格）", &Format::new())
        .unwrap();
    other.write_number(2, 0, 1.5).unwrap();
    other.write_number(2, 1, 2.25).unwrap();
    other
        .write_formula(2, 2, Formula::new("=A3+B3").set_result("3.75"))
        .unwrap();
    other.set_column_width(1, 25).unwrap();
    book.save(path).unwrap();
}

fn open_xlsx(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the copy")
}

/// Every cell of every sheet of `orig` equals the copy's, formulas and merged cells too.
fn assert_same_sheets(orig: &[u8], copy: &[u8]) {
    let (mut a, mut b) = (open_xlsx(orig), open_xlsx(copy));
    let names = a.sheet_names();
    let copy_names = b.sheet_names();
    assert_eq!(copy_names[0], "suanpan", "the summary sheet comes first");
    assert_eq!(
        &copy_names[1..],
        &names[..],
        "the original sheets, in order"
    );
    for name in &names {
        let (ra, rb) = (
            a.worksheet_range(name).expect("range"),
            b.worksheet_range(name).expect("range"),
        );
        assert_eq!(ra.start(), rb.start(), "{name}: same origin");
        let cells_a: Vec<(usize, usize, Data)> =
            ra.used_cells().map(|(r, c, d)| (r, c, d.clone())).collect();
        let cells_b: Vec<(usize, usize, Data)> =
            rb.used_cells().map(|(r, c, d)| (r, c, d.clone())).collect();
        assert!(!cells_a.is_empty());
        assert_eq!(cells_a, cells_b, "{name}: every cell value");
        let (fa, fb) = (
            a.worksheet_formula(name).expect("formulas"),
            b.worksheet_formula(name).expect("formulas"),
        );
        let fa: Vec<_> = fa.used_cells().map(|(r, c, f)| (r, c, f.clone())).collect();
        let fb: Vec<_> = fb.used_cells().map(|(r, c, f)| (r, c, f.clone())).collect();
        assert_eq!(fa, fb, "{name}: formulas");
        let ma = a.merge_cells_by_sheet_name(name).expect("merged cells");
        let mb = b.merge_cells_by_sheet_name(name).expect("merged cells");
        assert_eq!(ma, mb, "{name}: merged cells");
    }
}

/// The `<cols>` element of a sheet part (column widths).
fn cols(bytes: &[u8], part: &str) -> String {
    let xml = zip_part(bytes, part).expect("sheet");
    let start = xml.find("<cols>").map_or(0, |i| i);
    let end = xml.find("</cols>").map_or(0, |i| i + 7);
    xml[start..end].to_string()
}

/// Labels of the JSON run that point into `file`: (label text, label, its diagnostic).
fn json_labels(doc: &Value, file: &Path) -> Vec<(String, Value, Value)> {
    let f = file.display().to_string();
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .flat_map(|d| {
            d["labels"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |l| (l, d.clone()))
        })
        .filter(|(l, _)| l["file"] == f.as_str())
        .map(|(l, d)| (l["label"].as_str().unwrap_or_default().to_string(), l, d))
        .collect()
}

#[test]
fn workbooks_get_notes_fills_and_a_linked_summary_and_inputs_stay_as_they_were() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("报表");
    std::fs::create_dir(&input).unwrap();
    let xlsx = input.join("四川项目.xlsx");
    rich_workbook(&xlsx);
    std::fs::copy(
        fixture("sheets/四川项目_得分超权重.xls"),
        input.join("旧表.xls"),
    )
    .unwrap();
    // The narrative in a folder of its own, not bundled with the sheets.
    std::fs::create_dir(input.join("文本")).unwrap();
    std::fs::copy(seed_txt(), input.join("文本/seed.txt")).unwrap();
    let before = snapshot(&input);
    let out = dir.path().join("批注");
    let (code, stdout, stderr) = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--annotate".as_ref(),
        out.as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        snapshot(&input),
        before,
        "inputs' bytes and mtimes unchanged"
    );
    let doc: Value = serde_json::from_str(&stdout).expect("json on stdout");
    // The output says what became of each file with findings.
    assert!(
        stderr.contains("seed.txt：文本文件不生成批注副本"),
        "{stderr}"
    );
    assert!(stderr.contains("公式和格式没有带过来"), "{stderr}");
    assert!(stderr.contains("批注副本：2 个写到"), "{stderr}");

    // The edited .xlsx.
    let copy_path = out.join("报表/四川项目.xlsx");
    let (orig, copy) = (
        std::fs::read(&xlsx).unwrap(),
        std::fs::read(&copy_path).expect("the copy"),
    );
    assert_same_sheets(&orig, &copy);
    let part = sheet_part(&copy, "自评表");
    assert_eq!(cols(&orig, &part), cols(&copy, &part), "column widths");
    assert!(cols(&copy, &part).contains("<col "));
    // Each sheet's part differs only by the labelled cells' styles, the drawing that holds the
    // notes, and its tab no longer selected (the workbook opens on the summary).
    let normal = |xml: String| {
        let xml = regex::Regex::new(r#" s="\d+""#)
            .unwrap()
            .replace_all(&xml, "");
        let xml = regex::Regex::new(r#"<legacyDrawing xmlns:r="[^"]*" r:id="rIdSp\d+"/>"#)
            .unwrap()
            .replace_all(&xml, "");
        xml.replace(" tabSelected=\"1\"", "")
    };
    for name in ["自评表", "说明"] {
        let part = sheet_part(&copy, name);
        assert_eq!(
            normal(zip_part(&orig, &part).unwrap()),
            normal(zip_part(&copy, &part).unwrap()),
            "{name}"
        );
    }
    let labels = json_labels(&doc, &xlsx);
    assert!(
        !labels.is_empty(),
        "the planted finding is labelled in the workbook"
    );
    let comments = sheet_comments(&copy, &part);
    for (label, l, d) in &labels {
        let (sheet, cell) = (l["sheet"].as_str().unwrap(), l["cell"].as_str().unwrap());
        let part = sheet_part(&copy, sheet);
        let notes = sheet_comments(&copy, &part);
        let text = notes
            .get(cell)
            .unwrap_or_else(|| panic!("a note on {sheet}!{cell}: {notes:?}"));
        assert!(
            text.contains(d["message"].as_str().unwrap()),
            "{cell}: {text}"
        );
        assert!(text.contains(d["code"].as_str().unwrap()), "{cell}: {text}");
        assert!(text.contains(label.as_str()), "{cell}: {text}");
        let (fill, numfmt) = cell_style(&copy, &part, cell);
        let want = match d["severity"].as_str().unwrap() {
            "error" => "FFFFC7CE",
            "warning" => "FFFFEB9C",
            _ => "FFDDEBF7",
        };
        assert_eq!(
            fill.as_deref(),
            Some(want),
            "{sheet}!{cell}: the severity's fill"
        );
        let (_, orig_numfmt) = cell_style(&orig, &part, cell);
        assert_eq!(
            numfmt, orig_numfmt,
            "{sheet}!{cell}: its number format kept"
        );
    }
    assert!(
        labels
            .iter()
            .any(|(_, l, d)| l["cell"] == "J17" && d["code"] == "SP0201"),
        "the planted score is labelled"
    );
    // The notes already there are kept: on the labelled cell, beside ours; on the title alone.
    assert!(
        comments["J17"].contains("填表人：得分已复核"),
        "{:?}",
        comments["J17"]
    );
    assert!(
        comments["A1"].ends_with("模板 2024 版"),
        "{:?}",
        comments["A1"]
    );
    // The summary: a row per label, each place linked to its cell.
    let mut book = open_xlsx(&copy);
    let summary = book.worksheet_range("suanpan").unwrap();
    let codes: Vec<String> = (2..summary.height())
        .map(|r| {
            summary
                .get((r, 1))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    let mut want: Vec<String> = labels
        .iter()
        .map(|(_, _, d)| d["code"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    want.sort();
    assert_eq!(sorted, want, "a summary row per label");
    let summary_xml = zip_part(&copy, &sheet_part(&copy, "suanpan")).unwrap();
    for (_, l, _) in &labels {
        let location = format!(
            "'{}'!{}",
            l["sheet"].as_str().unwrap(),
            l["cell"].as_str().unwrap()
        );
        assert!(
            elements(&summary_xml)
                .iter()
                .any(|(n, a, _)| n == "hyperlink" && a.get("location") == Some(&location)),
            "a link to {location}"
        );
    }

    // The .xls written out as .xlsx: its values, and the notes.
    let xls_copy = std::fs::read(out.join("报表/旧表.xls.xlsx")).expect("the converted copy");
    let mut conv = open_xlsx(&xls_copy);
    let mut orig_xls: calamine::Xls<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(input.join("旧表.xls")).unwrap())).unwrap();
    assert_eq!(conv.sheet_names()[0], "suanpan");
    for name in orig_xls.sheet_names() {
        let a = orig_xls.worksheet_range(&name).unwrap();
        let b = conv.worksheet_range(&name).unwrap();
        let cells = |r: &calamine::Range<Data>| -> Vec<(u32, u32, String)> {
            let (r0, c0) = r.start().unwrap_or((0, 0));
            r.used_cells()
                .map(|(i, j, d)| (r0 + i as u32, c0 + j as u32, d.to_string()))
                .collect()
        };
        assert_eq!(cells(&a), cells(&b), "{name}: values carried over");
    }
    let conv_comments = sheet_comments(&xls_copy, &sheet_part(&xls_copy, "自评表"));
    assert!(
        conv_comments
            .get("J17")
            .is_some_and(|t| t.contains("SP0201")),
        "{conv_comments:?}"
    );
    if let Some(lo) = soffice_dir() {
        // Every labelled cell's note, and the title's own.
        let cells: std::collections::HashSet<(String, String)> = labels
            .iter()
            .map(|(_, l, _)| (l["sheet"].to_string(), l["cell"].to_string()))
            .collect();
        let with_title =
            cells.len() + usize::from(!cells.contains(&("\"自评表\"".into(), "\"A1\"".into())));
        assert_eq!(libreoffice_comments(&copy_path, "ods", &lo), with_title);
        assert_eq!(
            libreoffice_comments(&out.join("报表/旧表.xls.xlsx"), "ods", &lo),
            conv_comments.len()
        );
    }
}

#[test]
fn an_outdir_that_would_overwrite_an_input_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let xlsx = dir.path().join("表.xlsx");
    std::fs::copy(fixture("sheets/四川项目_得分超权重.xlsx"), &xlsx).unwrap();
    let before = snapshot(dir.path());
    let (code, _, stderr) = run(&[
        "check".as_ref(),
        "--annotate".as_ref(),
        dir.path().as_os_str(),
        xlsx.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("不会覆盖"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before);
}

/// The seed's .docx with every run cut into runs of three characters, every other one bold, so
/// that the labelled figures' characters lie across runs of different formatting; and one
/// comment of its own.
fn chopped_docx(seed: &[u8]) -> Vec<u8> {
    let xml = zip_part(seed, "word/document.xml").expect("document.xml");
    let mut out = String::new();
    let mut rest = xml.as_str();
    let open = "<w:r><w:t xml:space=\"preserve\">";
    let mut first = true;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i + open.len()..];
        let end = after.find("</w:t></w:r>").expect("closed");
        let text = &after[..end];
        let chars: Vec<char> = text.chars().collect();
        if first {
            out.push_str("<w:commentRangeStart w:id=\"0\"/>");
        }
        for (k, chunk) in chars.chunks(3).enumerate() {
            let s: String = chunk.iter().collect();
            let props = if k % 2 == 1 {
                "<w:rPr><w:b/></w:rPr>"
            } else {
                ""
            };
            out.push_str(&format!(
                "<w:r>{props}<w:t xml:space=\"preserve\">{s}</w:t></w:r>"
            ));
        }
        if first {
            out.push_str(
                "<w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>",
            );
            first = false;
        }
        rest = &after[end + "</w:t></w:r>".len()..];
    }
    out.push_str(rest);
    let comments = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:comment w:id=\"0\" w:author=\"王五\"><w:p><w:r><w:t>标题请核对</w:t></w:r></w:p></w:comment></w:comments>";
    let types = zip_part(seed, "[Content_Types].xml").unwrap().replace(
        "</Types>",
        "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/></Types>",
    );
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/></Relationships>";
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in [
        ("[Content_Types].xml", types.as_str()),
        (
            "_rels/.rels",
            zip_part(seed, "_rels/.rels").unwrap().as_str(),
        ),
        ("word/document.xml", out.as_str()),
        ("word/_rels/document.xml.rels", rels),
        ("word/comments.xml", comments),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Per comment id, the text its range holds; and each character's boldness, in order.
fn anchored(document: &str) -> (BTreeMap<String, String>, Vec<(char, bool)>) {
    let mut reader = quick_xml::Reader::from_str(document);
    let mut open: Vec<String> = Vec::new();
    let mut ranges: BTreeMap<String, String> = BTreeMap::new();
    let mut chars = Vec::new();
    let (mut in_t, mut bold, mut in_rpr) = (false, false, false);
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) | Event::Empty(e) => {
                let a = attrs(&e);
                match e.local_name().as_ref() {
                    "commentRangeStart" => open.push(a["w:id"].clone()),
                    "commentRangeEnd" => open.retain(|i| *i != a["w:id"]),
                    "r" => bold = false,
                    "rPr" => in_rpr = true,
                    "b" if in_rpr => bold = true,
                    "t" => in_t = true,
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "rPr" => in_rpr = false,
                _ => {}
            },
            Event::Text(t) if in_t => {
                let text = t.xml10_content();
                for id in &open {
                    ranges.entry(id.clone()).or_default().push_str(&text);
                }
                chars.extend(text.chars().map(|c| (c, bold)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (ranges, chars)
}

#[test]
fn docx_comments_are_anchored_on_exactly_the_figures() {
    let dir = tempfile::tempdir().expect("tmp");
    let docx = dir.path().join("报告.docx");
    let seed = std::fs::read(fixture("000_b73ab5ecdce5c643.docx")).unwrap();
    std::fs::write(&docx, chopped_docx(&seed)).unwrap();
    let before = snapshot(dir.path());
    let out = tempfile::tempdir().expect("tmp");
    let (code, stdout, stderr) = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--annotate".as_ref(),
        out.path().as_os_str(),
        docx.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(snapshot(dir.path()), before, "the input is unchanged");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let orig = std::fs::read(&docx).unwrap();
    let copy = std::fs::read(out.path().join("报告.docx")).expect("the copy");
    // The text suanpan reads is the same, and so is every character's formatting.
    let text = suanpan::source::docx::text_of(&orig).unwrap();
    assert_eq!(suanpan::source::docx::text_of(&copy).unwrap(), text);
    let (old_ranges, old_chars) = anchored(&zip_part(&orig, "word/document.xml").unwrap());
    let (ranges, chars) = anchored(&zip_part(&copy, "word/document.xml").unwrap());
    assert_eq!(
        chars, old_chars,
        "each character keeps its run's formatting"
    );
    // Each label's characters are exactly one comment's range; the document's own is kept.
    let mut want: Vec<String> = json_labels(&doc, &docx)
        .iter()
        .map(|(_, l, _)| {
            let (s, e) = (
                l["byte_start"].as_u64().unwrap() as usize,
                l["byte_end"].as_u64().unwrap() as usize,
            );
            text[s..e].to_string()
        })
        .collect();
    assert!(want.len() >= 3, "{want:?}");
    assert!(want.iter().any(|w| w.contains("88.35")), "{want:?}");
    want.push(old_ranges["0"].clone());
    want.sort();
    let mut got: Vec<String> = ranges.values().cloned().collect();
    got.sort();
    assert_eq!(got, want);
    // The comments: the document's own, then one per label with its finding's message.
    let comments = zip_part(&copy, "word/comments.xml").unwrap();
    assert!(comments.contains("标题请核对"));
    let ids: Vec<String> = elements(&comments)
        .into_iter()
        .filter(|(n, _, _)| n == "comment")
        .map(|(_, a, _)| a["w:id"].clone())
        .collect();
    assert_eq!(ids.len(), ranges.len(), "{ids:?}");
    for d in doc["diagnostics"].as_array().unwrap() {
        let m = d["message"].as_str().unwrap();
        assert!(
            comments.contains(
                &m.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
                    .replace('\'', "&apos;")
            ),
            "{m}"
        );
    }
    if let Some(lo) = soffice_dir() {
        assert_eq!(
            libreoffice_comments(&out.path().join("报告.docx"), "odt", &lo),
            ids.len()
        );
    }
}

/// LibreOffice's `soffice`, when installed: a scratch profile folder to run it with.
fn soffice_dir() -> Option<tempfile::TempDir> {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("soffice (LibreOffice) not installed: the copies were not opened in it");
        return None;
    }
    tempfile::tempdir().ok()
}

/// How many comments LibreOffice finds in the file: it is converted headless to OpenDocument
/// (`ods`/`odt`), whose content.xml holds each as an `office:annotation`.
fn libreoffice_comments(file: &Path, to: &str, scratch: &tempfile::TempDir) -> usize {
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        scratch.path().display()
    );
    let o = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            to,
            "--outdir",
        ])
        .arg(scratch.path())
        .arg(file)
        .output()
        .expect("soffice runs");
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let converted =
        std::fs::read(scratch.path().join(format!("{stem}.{to}"))).unwrap_or_else(|_| {
            panic!(
                "LibreOffice did not open {}: {}",
                file.display(),
                String::from_utf8_lossy(&o.stderr)
            )
        });
    let content = zip_part(&converted, "content.xml").expect("content.xml");
    content.matches("<office:annotation ").count() + content.matches("<office:annotation>").count()
}
