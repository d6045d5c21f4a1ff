//! The HTML report as a person sees it: `tests/browser/report.mjs` opens the page of the seed
//! report, two workbooks and a damaged file in headless Chromium (Debian's `chromium`, driven
//! by puppeteer-core) from disk with every other request refused, and checks the overview
//! table against the same run's JSON lines, sorting, filtering by rule, severity and search, the
//! marked figure of the SP0105 excerpt, no console errors, print media and a PDF with a page
//! per report. Screenshots and the PDF are left in `target/browser/` to be looked at.
//!
//! Skipped, saying why, when node, Chromium or the node packages (`npm ci` in tests/browser/)
//! are missing; `.ci/run` installs them. `SUANPAN_CHROMIUM` names another Chromium binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SUANPAN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn skip(why: &str) {
    eprintln!("browser test skipped: {why}");
}

#[test]
fn the_html_report_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = root.join("tests/browser");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return skip("node is not installed");
    }
    let Some(chromium) = chromium() else {
        return skip("chromium is not installed (apt-get install -y chromium)");
    };
    if !project.join("node_modules/puppeteer-core").exists() {
        return skip("puppeteer-core is not installed: run `npm ci` in tests/browser/");
    }
    let seed = {
        let shared = root.join("../shared/seed/000_b73ab5ecdce5c643.txt");
        if shared.exists() {
            shared
        } else {
            root.join("fixtures/000_b73ab5ecdce5c643.txt")
        }
    };
    let dir = tempfile::tempdir().expect("tmp");
    let inputs = [
        seed,
        root.join("fixtures/sheets/四川项目_得分超权重.xlsx"),
        root.join("fixtures/sheets/共性评分表_三级超分值.xlsx"),
        root.join("fixtures/broken/fuzz-oom-cfb-fat.xls"),
    ];

    let page = dir.path().join("报告.html");
    let jsonl = dir.path().join("run.jsonl");
    for (format, out) in [("html", &page), ("jsonl", &jsonl)] {
        let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
            .args(["check", "--format", format, "-o"])
            .arg(out)
            .args(&inputs)
            .output()
            .expect("suanpan runs");
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let shots = root.join("target/browser");
    std::fs::create_dir_all(&shots).expect("target/browser");
    let o = Command::new("node")
        .current_dir(&project)
        .arg("report.mjs")
        .arg(&chromium)
        .arg(&page)
        .arg(&jsonl)
        .arg(&shots)
        .output()
        .expect("node runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!("{log}");
    assert!(o.status.success(), "the browser checks failed:\n{log}");
    for shot in ["screen.png", "print-media.png", "sp0105.png", "report.pdf"] {
        let len = std::fs::metadata(shots.join(shot)).map_or(0, |m| m.len());
        assert!(len > 1000, "{shot} was saved ({len} bytes)");
    }
}
