//! Nothing is dropped in silence: files and parts of files the run cannot read give a finding
//! naming the file (or folder) and the cause, and the run goes on. The inputs are made at test
//! time in temporary folders (FIFOs, links, unreadable folders, odd encodings, large sheets).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn suanpan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A report whose rate is wrong: one SP0102 error when it is read.
const REPORT: &str = "2024年度项目支出绩效自评报告\n年初预算为100.00万元，全年预算为100.00万元，决算数为90.00万元，预算执行率为95.00%。\n";
/// The same in traditional script.
const REPORT_TRADITIONAL: &str = "2024年度項目支出績效自評報告\n年初預算為100.00萬元，全年預算為100.00萬元，決算數為90.00萬元，預算執行率為95.00%。\n";

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// (code, severity, file) of each diagnostic.
fn codes(v: &Value) -> Vec<(String, String, String)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn odd_encodings_are_read_and_a_stray_byte_is_located() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = dir.path();
    let utf16: Vec<u8> = REPORT.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(p.join("utf16.txt"), utf16).unwrap();
    let (big5, _, _) = encoding_rs::BIG5.encode(REPORT_TRADITIONAL);
    std::fs::write(p.join("big5.txt"), &big5).unwrap();
    let at = "2024年度项目支出绩效自评报告".len();
    let mut stray = REPORT.as_bytes().to_vec();
    stray.insert(at, 0xFF);
    std::fs::write(p.join("stray.txt"), stray).unwrap();
    let o = suanpan_in(p, &["check", ".", "--format", "json"]);
    let v = json(&o);
    let found = codes(&v);
    // Each is read: its wrong rate is found (not SP0001 binary, not SP0003 no figures).
    for f in ["./big5.txt", "./stray.txt", "./utf16.txt"] {
        assert!(
            found.contains(&("SP0102".into(), "error".into(), f.into())),
            "{f}: {found:?}"
        );
        assert!(
            !found.iter().any(|c| c.2 == f && c.0 == "SP0001"),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|c| c.2 == f && c.0 == "SP0003"),
            "{found:?}"
        );
    }
    // The stray byte is a warning at its place: line 1, after the 16-character title.
    let warning = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SP0004")
        .expect("an SP0004 warning");
    assert_eq!(warning["file"], "./stray.txt");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["labels"][0]["line"], 1);
    assert_eq!(warning["labels"][0]["column"], 17);
    let message = warning["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("文件第 {at} 字节，0xFF")),
        "{message}"
    );
    let en = suanpan_in(
        p,
        &["--lang", "en", "check", "stray.txt", "--format", "line"],
    );
    assert!(
        stdout(&en).contains(&format!(
            "stray.txt:1:17: warning SP0004 1 byte sequence(s) are not valid UTF-8 (the first at byte {at} of the file, 0xFF)"
        )),
        "{}",
        stdout(&en)
    );
}

/// Runs the binary, failing (not hanging) if it takes more than 60 s: opening a FIFO used to
/// wait for a writer for ever.
#[cfg(unix)]
fn suanpan_bounded(dir: &Path, args: &[&str]) -> Output {
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("suanpan {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("its output")
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifos_devices_links_and_loops_are_named_not_skipped() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = dir.path();
    std::fs::create_dir_all(p.join("elsewhere")).unwrap();
    std::fs::create_dir_all(p.join("tree/sub")).unwrap();
    std::fs::write(p.join("elsewhere/报告.txt"), REPORT).unwrap();
    // A report reached through a link is read (it used to be left out of a walk).
    symlink("../../elsewhere/报告.txt", p.join("tree/sub/链接.txt")).unwrap();
    // A link back up: a loop, said once and not followed again.
    symlink("..", p.join("tree/sub/up")).unwrap();
    // A link to nothing named as a report; one named as a picture is no report.
    symlink("/nonexistent/报告.txt", p.join("tree/断链.txt")).unwrap();
    symlink("/nonexistent/a.png", p.join("tree/断链.png")).unwrap();
    // A FIFO named as a report, in the folder and given as a path.
    mkfifo(&p.join("tree/管道.txt"));
    mkfifo(&p.join("given.txt"));
    let o = suanpan_bounded(
        p,
        &[
            "check",
            "tree",
            "given.txt",
            "/dev/null",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let found = codes(&v);
    let message = |file: &str| {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["file"] == file)
            .map(|d| d["message"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("no finding for {file}: {found:?}"))
    };
    assert!(found.contains(&("SP0102".into(), "error".into(), "tree/sub/链接.txt".into())));
    assert!(found.contains(&("SP0004".into(), "warning".into(), "tree/sub/up".into())));
    assert!(message("tree/sub/up").contains("形成循环"));
    assert!(found.contains(&("SP0001".into(), "error".into(), "tree/断链.txt".into())));
    assert!(message("tree/断链.txt").contains("符号链接指向的文件或文件夹不存在"));
    assert!(!found.iter().any(|c| c.2.contains("断链.png")), "{found:?}");
    for fifo in ["tree/管道.txt", "given.txt"] {
        assert!(found.contains(&("SP0001".into(), "error".into(), fifo.into())));
        assert!(
            message(fifo).contains("命名管道（FIFO）"),
            "{}",
            message(fifo)
        );
    }
    assert!(message("/dev/null").contains("设备文件"));
    // The summary on standard error lists them as not read; English too.
    assert!(stderr(&o).contains("given.txt：不是普通文件，而是命名管道（FIFO），不读取"));
    let o = suanpan_bounded(
        p,
        &["--lang", "en", "check", "given.txt", "--format", "line"],
    );
    assert_eq!(
        stdout(&o),
        "given.txt: error SP0001 not a regular file but a named pipe (FIFO); not read\n"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_named_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = dir.path();
    std::fs::create_dir_all(p.join("tree/locked")).unwrap();
    std::fs::write(p.join("tree/locked/报告.txt"), REPORT).unwrap();
    std::fs::write(p.join("tree/报告.txt"), REPORT).unwrap();
    let locked = p.join("tree/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read_dir(&locked).is_ok();
    let o = suanpan_in(p, &["check", "tree", "--format", "line"]);
    // Readable again, so that the temporary folder can be removed.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable_anyway {
        eprintln!(
            "skipped: this user (root?) can read a folder with mode 000, so it cannot be made unreadable"
        );
        return;
    }
    let out = stdout(&o);
    assert!(
        out.contains(
            "tree/locked: error SP0001 文件夹无法读取，其中的文件没有检查：Permission denied"
        ),
        "{out}"
    );
    assert!(out.contains("tree/报告.txt:2:47: error SP0102 "), "{out}");
}

#[test]
fn sheet_cells_beyond_the_read_limits_are_a_warning_naming_the_sheet() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("评分表").unwrap();
    ws.write_string(0, 0, "项目支出绩效自评表").unwrap();
    // A table that starts below the row limit, and a note far to the right.
    ws.write_string(20_500, 0, "三级指标").unwrap();
    ws.write_string(20_500, 1, "分值").unwrap();
    ws.write_string(20_500, 2, "得分").unwrap();
    ws.write_string(20_501, 0, "培训场次").unwrap();
    ws.write_number(20_501, 1, 50.0).unwrap();
    ws.write_number(20_501, 2, 60.0).unwrap();
    ws.write_string(3, 250, "备注").unwrap();
    let other = wb.add_worksheet();
    other.write_string(0, 0, "说明").unwrap();
    wb.save(dir.path().join("自评表.xlsx")).unwrap();
    let o = suanpan_in(dir.path(), &["check", "自评表.xlsx", "--format", "json"]);
    let v = json(&o);
    let beyond: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SP0004")
        .collect();
    assert_eq!(beyond.len(), 1, "{v:#}");
    let d = beyond[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "自评表.xlsx");
    assert_eq!(
        d["message"],
        "工作表“评分表”有 7 个非空单元格超出读取上限（20000 行、200 列），没有读取和检查：从 IQ4 起，最远到第 20502 行、第 251 列"
    );
    assert_eq!(d["labels"][0]["sheet"], "评分表");
    assert_eq!(d["labels"][0]["cell"], "IQ4");
    // Every format shows it without failing (the human one looks the cell up in the grid).
    let o = suanpan_in(dir.path(), &["--lang", "en", "check", "自评表.xlsx"]);
    assert!(
        stdout(&o).contains("sheet \"评分表\" has 7 non-empty cell(s) beyond the read limits"),
        "{}",
        stdout(&o)
    );
    let o = suanpan_in(dir.path(), &["check", "自评表.xlsx", "--format", "line"]);
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("自评表.xlsx!评分表!IQ4: warning SP0004 ")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_docx_entity_bomb_is_refused_as_such_not_called_empty() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let xml = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"预算100万元\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(dir.path().join("报告.docx"), bytes).unwrap();
    let o = suanpan_in(dir.path(), &["check", "报告.docx", "--format", "line"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("报告.docx: error SP0001 文件无法检查：document.xml 含有 DOCTYPE 声明"),
        "{out}"
    );
    assert!(!out.contains("文件为空"), "{out}");
}
