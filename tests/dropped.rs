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
