//! `--format jsonl` and `--shard K/N`: the N shards of a run, each checked alone, give together
//! the lines of the whole run, each once.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn suanpan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the binary runs")
}

const PATHS: [&str; 5] = [
    "fixtures/tree",
    "fixtures/sheets",
    "fixtures/narrative",
    "fixtures/broken",
    "fixtures/000_b73ab5ecdce5c643.txt",
];

fn jsonl(extra: &[&str]) -> Vec<String> {
    let args = [&["check"][..], &PATHS[..], &["--format", "jsonl"], extra].concat();
    let o = suanpan(&args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn jsonl_is_one_contract_diagnostic_per_line_then_one_summary_per_report() {
    let o = suanpan(&[
        "check",
        "fixtures/000_b73ab5ecdce5c643.txt",
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let (last, diagnostics) = lines.split_last().expect("lines");
    assert_eq!(last["report"], "fixtures/000_b73ab5ecdce5c643");
    assert_eq!(last["stated_score"], "88.35分");
    assert_eq!(last["files"], 1);
    assert_eq!(
        last["errors"].as_u64(),
        Some(
            diagnostics
                .iter()
                .filter(|d| d["severity"] == "error")
                .count() as u64
        )
    );
    // The same objects as the JSON document's diagnostics, in the same order.
    let doc = suanpan(&[
        "check",
        "fixtures/000_b73ab5ecdce5c643.txt",
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_slice(&doc.stdout).expect("JSON");
    assert_eq!(
        doc["diagnostics"].as_array().expect("an array"),
        diagnostics
    );
    assert!(diagnostics.iter().any(|d| d["code"] == "SP0105"));
}

#[test]
fn shards_together_are_the_whole_run() {
    let whole = jsonl(&[]);
    assert!(whole.len() > 30, "{}", whole.len());
    for n in [1, 2, 3, 7] {
        let mut union = Vec::new();
        for k in 1..=n {
            let shard = jsonl(&["--shard", &format!("{k}/{n}")]);
            if n == 3 {
                assert!(!shard.is_empty(), "shard {k}/3 is empty");
            }
            union.extend(shard);
        }
        union.sort();
        assert_eq!(union, whole, "{n} shards");
    }
}

#[test]
fn a_shard_outside_one_to_n_is_a_usage_error() {
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let o = suanpan(&["check", "fixtures/tree", "--shard", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(o.stdout.is_empty());
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("--shard"),
            "{bad}"
        );
    }
}
