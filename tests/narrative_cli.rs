//! The command line on narratives: JSON per the contract, languages, rule docs, exit codes and
//! unreadable inputs.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_suanpan"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

#[test]
fn json_output_follows_the_contract() {
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(fixture("000_b73ab5ecdce5c643.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["tool"]["name"], "suanpan");
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["infos"], 2);
    let diags = doc["diagnostics"].as_array().unwrap();
    let sum = diags.iter().find(|d| d["code"] == "SP0105").unwrap();
    assert_eq!(sum["rule"], "score-sum");
    assert_eq!(sum["severity"], "error");
    assert_eq!(sum["expected"], "78.35分");
    assert_eq!(sum["found"], "88.35分");
    let primary = &sum["labels"][0];
    assert_eq!(primary["line"], 40);
    assert_eq!(primary["column"], 347);
    assert_eq!(primary["end_line"], 40);
    assert_eq!(primary["end_column"], 353); // exclusive, as byte_end is
    let (a, b) = (
        primary["byte_start"].as_u64().unwrap() as usize,
        primary["byte_end"].as_u64().unwrap() as usize,
    );
    let text = std::fs::read_to_string(fixture("000_b73ab5ecdce5c643.txt")).unwrap();
    assert_eq!(&text[a..b], "88.35分");
    assert!(
        primary["file"]
            .as_str()
            .unwrap()
            .ends_with("000_b73ab5ecdce5c643.txt")
    );
    assert_eq!(sum["labels"].as_array().unwrap().len(), 24);
}

#[test]
fn english_messages_with_lang_en() {
    let out = bin()
        .args(["--lang", "en", "check", "--format", "json"])
        .arg(fixture("narrative/grade_band_bad.txt"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let msg = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.starts_with("grade \"良\" does not match"), "{msg}");
    let zh = bin()
        .args(["check"])
        .arg(fixture("narrative/grade_band_bad.txt"))
        .output()
        .unwrap();
    let human = String::from_utf8(zh.stdout).unwrap();
    assert!(human.contains("等级“良”与自评总分 78.35分 不符"), "{human}");
    assert!(human.contains("SP0107"));
    assert!(human.contains("检查了 1 个文件：1 个错误"));
}

#[test]
fn clean_file_exits_zero() {
    let out = bin()
        .arg("check")
        .arg(fixture("narrative/rate_clean.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn rule_docs_and_listing() {
    let out = bin().args(["rule", "SP0105"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = String::from_utf8(out.stdout).unwrap();
    assert!(doc.contains("score-sum") && doc.contains("示例"), "{doc}");
    let out = bin()
        .args(["--lang", "en", "rule", "rate-rounding"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("Example"));
    let out = bin().args(["rule", "SP9999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("rules").output().unwrap();
    let list = String::from_utf8(out.stdout).unwrap();
    for code in [
        "SP0101", "SP0102", "SP0103", "SP0104", "SP0105", "SP0106", "SP0107", "SP0108", "SP0109",
    ] {
        assert!(list.contains(code), "{code} missing from:\n{list}");
    }
}

#[test]
fn unreadable_inputs_are_diagnostics_and_the_run_goes_on() {
    let dir = std::env::temp_dir().join(format!("suanpan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("renamed.txt");
    std::fs::write(&binary, b"PK\x03\x04\x00\x00binary\x00\x00").unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let missing = dir.join("missing.txt");
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(&binary)
        .arg(&empty)
        .arg(&missing)
        .arg(fixture("narrative/rate_clean.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 3, "{diags:#?}");
    for (d, name, cause) in [
        (&diags[0], "empty.txt", "文件为空"),
        (&diags[1], "missing.txt", "无法读取"),
        (&diags[2], "renamed.txt", "不是文本"),
    ] {
        assert_eq!(d["code"], "SP0001");
        assert!(d["file"].as_str().unwrap().ends_with(name));
        assert!(d["message"].as_str().unwrap().contains(cause), "{d}");
    }
    assert_eq!(doc["summary"]["files"], 4);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_usage_exits_two() {
    let out = bin()
        .args(["check", "--format", "yaml", "x.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_output_is_valid_against_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/output.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for target in [
        fixture("000_b73ab5ecdce5c643.txt"),
        fixture("sheets"),
        fixture("narrative/table_pipe_dept_bad.md"),
    ] {
        let out = bin()
            .args(["check", "--format", "json"])
            .arg(&target)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", target.display());
        assert!(!doc["diagnostics"].as_array().unwrap().is_empty());
    }
    // The validator does reject what the contract forbids.
    let bad = serde_json::json!({"tool": {"name": "suanpan", "version": "1"}, "diagnostics": [{"code": "X1"}], "summary": {}});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn extra_vocabulary_in_the_configuration_teaches_new_words() {
    let dir = std::env::temp_dir().join(format!("suanpan-vocab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("报告.txt");
    std::fs::write(
        &report,
        "全年预算为100.00万元，实际兑付90.00万元，执行率为95.00%。\n",
    )
    .unwrap();
    let default = bin()
        .args(["check", "--format", "json"])
        .arg(&report)
        .current_dir(&dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&default.stdout).unwrap();
    assert_eq!(doc["summary"]["errors"], 0, "{doc}");
    std::fs::write(
        dir.join("词表.toml"),
        "[[concept]]\nid = \"actual\"\nunit = \"money\"\nterms = [\"实际兑付\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("suanpan.toml"), "vocabulary = [\"词表.toml\"]\n").unwrap();
    let taught = bin()
        .args(["check", "--format", "json"])
        .arg(&report)
        .current_dir(&dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&taught.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SP0102", "{doc}");
    // A vocabulary entry with an unknown concept is a configuration error (exit 2).
    std::fs::write(
        dir.join("词表.toml"),
        "[[concept]]\nid = \"nonsense\"\nunit = \"money\"\nterms = []\n",
    )
    .unwrap();
    let bad = bin()
        .args(["check"])
        .arg(&report)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("nonsense") && err.contains("词表.toml"),
        "{err}"
    );
    // A syntax error in a 4-line vocabulary file points into that file, at its line 3 (joined
    // to the built-in vocabulary it used to be reported at a line of that file).
    std::fs::write(
        dir.join("词表.toml"),
        "[[concept]]\nid = \"actual\"\nunit = \"money\nterms = [\"实际兑付\"]\n",
    )
    .unwrap();
    let bad = bin()
        .args(["check"])
        .arg(&report)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("词表.toml"), "{err}");
    assert!(err.contains("3 │ unit = \"money"), "{err}");
    assert!(!err.contains("163"), "{err}");
    // A key outside any entry would have landed in the built-in file's last table.
    std::fs::write(dir.join("词表.toml"), "terms = [\"实际兑付\"]\n").unwrap();
    let bad = bin()
        .args(["--lang", "en", "check"])
        .arg(&report)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("unknown field `terms`"), "{err}");
    assert!(err.contains("1 │ terms"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
