//! .docx reports give the findings of their text; broken and hostile files each give one
//! diagnostic naming the file and the cause, and the good files in the same run are unaffected.

use std::io::Write;
use std::path::{Path, PathBuf};
use suanpan::diagnostic::{Finding, Place};
use suanpan::settings::Settings;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// (code, severity, primary line, message, label texts) — what must agree between the versions.
fn essence(f: &Finding) -> (String, String, usize, String, Vec<String>) {
    let line = match f.labels.first().map(|l| (&l.place, &l.source)) {
        Some((Place::Text { start, .. }, src)) => src.line_col(*start).0,
        _ => 0,
    };
    let labels = f
        .labels
        .iter()
        .map(|l| match &l.place {
            Place::Text { start, end } => l.source.text[*start..*end].to_string(),
            _ => String::new(),
        })
        .collect();
    (
        f.rule.code.to_string(),
        f.severity.as_str().to_string(),
        line,
        f.message.zh.clone(),
        labels,
    )
}

fn check(path: &Path) -> Vec<Finding> {
    suanpan::check_paths(&[path.to_path_buf()], &Settings::default()).findings
}

#[test]
fn docx_seed_gives_the_findings_of_the_text_seed() {
    let txt: Vec<_> = check(&fixture("000_b73ab5ecdce5c643.txt"))
        .iter()
        .map(essence)
        .collect();
    let docx: Vec<_> = check(&fixture("000_b73ab5ecdce5c643.docx"))
        .iter()
        .map(essence)
        .collect();
    assert_eq!(txt.len(), 3);
    assert_eq!(txt, docx);
    let f = check(&fixture("000_b73ab5ecdce5c643.docx"));
    assert!(f[0].source.path.ends_with("000_b73ab5ecdce5c643.docx"));
}

fn zip_with(name: &str, content: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, options).unwrap();
    zip.write_all(content).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A directory of broken files beside two good ones, as a test helper makes it.
fn hostile_dir() -> (PathBuf, Vec<(&'static str, &'static str)>) {
    let dir = std::env::temp_dir().join(format!("suanpan-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let good = suanpan::source::docx::write_minimal(&["自评分数为88分，等级为良好。"]);
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    write("truncated.docx", &truncated);
    let bomb = zip_with("word/document.xml", &vec![b' '; 8 << 20]);
    write("bomb.docx", &bomb);
    let deep = format!("<a>{}{}</a>", "<b>".repeat(400), "</b>".repeat(400));
    write("deep.docx", &zip_with("word/document.xml", deep.as_bytes()));
    write(
        "encrypted.docx",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 encrypted package",
    );
    write("notword.docx", &zip_with("hello.txt", b"hi"));
    write("binary.txt", b"\x00\x01\x02PK\x03\x04 binary");
    write("empty.txt", b"");
    write(
        "invalid.txt",
        &[0xFF, 0xFE, 0x81, 0xFF, 0x30, 0xFF, 0xFF, 0x81][2..],
    );
    std::fs::File::create(dir.join("huge.txt"))
        .unwrap()
        .set_len(suanpan::source::text::MAX_TEXT_BYTES + 1)
        .unwrap();
    write("old.doc", b"\xD0\xCF\x11\xE0 old word");
    write("scan.pdf", b"%PDF-1.4");
    std::fs::copy(fixture("000_b73ab5ecdce5c643.txt"), dir.join("good.txt")).unwrap();
    std::fs::copy(fixture("000_b73ab5ecdce5c643.docx"), dir.join("good.docx")).unwrap();
    let bad = vec![
        ("truncated.docx", "zip"),
        ("bomb.docx", "压缩炸弹"),
        ("deep.docx", "嵌套"),
        ("encrypted.docx", "密码"),
        ("notword.docx", "document.xml"),
        ("binary.txt", "不是文本"),
        ("empty.txt", "为空"),
        ("invalid.txt", "编码"),
        ("huge.txt", "过大"),
        ("old.doc", ".docx"),
        ("scan.pdf", ".docx"),
    ];
    (dir, bad)
}

#[test]
fn a_directory_of_hostile_files_gives_one_diagnostic_each_and_the_good_files_are_unchanged() {
    let (dir, bad) = hostile_dir();
    let report = suanpan::check_paths(std::slice::from_ref(&dir), &Settings::default());
    for (name, cause) in &bad {
        let mine: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.source.path.file_name().is_some_and(|n| n == *name))
            .collect();
        assert_eq!(mine.len(), 1, "{name}: {mine:#?}");
        let f = mine[0];
        assert!(
            f.rule.code == "SP0001" || f.rule.code == "SP0002",
            "{name}: {}",
            f.rule.code
        );
        assert!(f.message.zh.contains(cause), "{name}: {}", f.message.zh);
        assert!(!f.message.en.is_empty());
    }
    for good in ["good.txt", "good.docx"] {
        let alone: Vec<_> = check(&dir.join(good)).iter().map(essence).collect();
        let in_batch: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.source.path.file_name().is_some_and(|n| n == good))
            .map(essence)
            .collect();
        assert_eq!(alone, in_batch, "{good}");
        assert_eq!(alone.len(), 3);
    }
    std::fs::remove_dir_all(&dir).ok();
}
