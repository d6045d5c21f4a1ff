//! The core that checks files handed over in memory (`suanpan::memory`, what the page in `web/`
//! runs in the browser) gives the command line's output byte for byte: the same files kept from
//! a folder, the same bundles, the same `--format json` and `--format html` (Chinese and
//! English), on the fixtures, the bundled seed and the shared corpus.

use std::path::{Path, PathBuf};
use std::process::Command;
use suanpan::diagnostic::Lang;
use suanpan::memory::{self, Contents};
use suanpan::settings::Settings;

/// Every file under `root` (hidden ones too, as a browser hands over a dropped folder), as
/// paths starting with the folder's own name.
fn files_under(root: &Path) -> Vec<PathBuf> {
    fn visit(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("a readable folder")
            .map(|e| e.expect("an entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let kind = e.file_type().expect("its type");
            let rel = rel.join(e.file_name());
            if kind.is_dir() {
                visit(&e.path(), &rel, out);
            } else if kind.is_file() {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    let name = root.file_name().expect("a named folder");
    visit(root, Path::new(name), &mut out);
    out
}

/// The command line's output for the folder `name` under `parent`, run from `parent`.
fn cli(parent: &Path, name: &str, format: &str, lang: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_suanpan"))
        .current_dir(parent)
        .args(["--lang", lang, "check", "-j1", "--format", format, name])
        .output()
        .expect("suanpan runs");
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

/// Checks the folder `name` under `parent` in memory as the page does: the files a walk keeps,
/// bundled, each bundle's files handed over as bytes.
fn in_memory(parent: &Path, name: &str) -> memory::Results {
    let paths: Vec<PathBuf> = files_under(&parent.join(name))
        .into_iter()
        .filter(|p| memory::kept(p, true))
        .collect();
    let settings = Settings::default();
    let mut results = memory::Results::new();
    for bundle in memory::bundles_of(&paths) {
        let contents = bundle
            .files
            .iter()
            .map(|f| Contents::Bytes(std::fs::read(parent.join(f)).expect("readable")))
            .collect();
        results.push(memory::check(&bundle, contents, &settings));
    }
    results
}

fn same_as_cli(parent: &Path, name: &str) {
    let results = in_memory(parent, name);
    assert!(!results.is_empty(), "{name}: no bundle");
    for (lang, arg) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let json = results.json(lang);
        assert!(json.contains("\"diagnostics\""), "{name}: {json}");
        assert_eq!(json, cli(parent, name, "json", arg), "{name} json {arg}");
        let html = results.html(lang);
        assert_eq!(html, cli(parent, name, "html", arg), "{name} html {arg}");
    }
}

#[test]
fn the_fixtures_in_memory_give_the_command_lines_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    same_as_cli(root, "fixtures");
}

#[test]
fn the_seed_and_the_shared_corpus_in_memory_give_the_command_lines_output() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut checked = 0;
    for name in ["seed", "corpus"] {
        if shared.join(name).is_dir() {
            same_as_cli(&shared, name);
            checked += 1;
        }
    }
    if checked == 0 {
        eprintln!("../shared/seed and ../shared/corpus are absent: skipped");
    }
}

#[test]
fn a_folders_walk_and_bundles_are_the_command_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths: Vec<PathBuf> = files_under(&root.join("fixtures"))
        .into_iter()
        .filter(|p| memory::kept(p, true))
        .collect();
    let walked: Vec<PathBuf> = suanpan::walk(&root.join("fixtures"))
        .into_iter()
        .map(|p| p.strip_prefix(root).expect("under the root").to_path_buf())
        .collect();
    assert_eq!(paths, walked);
    // Left out as the walk leaves them out: a lock file, a temporary file, a backup, a picture.
    for left in ["~$自评表.xlsx", "保存中.tmp", "草稿.txt~", "照片.png"] {
        let p = Path::new("fixtures/tree/dept-a").join(left);
        assert!(!memory::kept(&p, true), "{left}");
        // Named on its own, a file is checked whatever it is, as a path given to the CLI.
        assert!(memory::kept(&p, false), "{left}");
    }
    assert!(!memory::kept(Path::new("报告/.git/a.txt"), true));
    assert!(
        memory::kept(Path::new(".报告/a.txt"), true),
        "the folder handed over"
    );
    let bundles = memory::bundles_of(&paths);
    let cli_bundles = suanpan::bundles(&[PathBuf::from("fixtures")]);
    // Run from the manifest's folder, as cargo runs tests.
    assert_eq!(
        bundles.iter().map(|b| &b.files).collect::<Vec<_>>(),
        cli_bundles.iter().map(|b| &b.files).collect::<Vec<_>>()
    );
}

#[test]
fn files_not_handed_over_are_reported_as_the_cli_reports_them() {
    let settings = Settings::default();
    let bundles = memory::bundles_of(&[
        PathBuf::from("a/报告.pdf"),
        PathBuf::from("b/大.txt"),
        PathBuf::from("c/读不了.txt"),
    ]);
    assert_eq!(bundles.len(), 3);
    assert!(!memory::needs_bytes(Path::new("报告.pdf"), 10));
    assert!(!memory::needs_bytes(Path::new("大.txt"), 65 << 20));
    assert!(memory::needs_bytes(Path::new("大.txt"), 64 << 20));
    let given = [
        Contents::Size(10),
        Contents::Size(65 << 20),
        Contents::Failed("NotReadableError".into()),
    ];
    // A narrative and a sheet named on their own, in no folder: one report, named after the
    // narrative (the command line, run where they are, gives it an empty name).
    let pair = memory::bundles_of(&[PathBuf::from("报告.txt"), PathBuf::from("自评表.xlsx")]);
    assert_eq!(pair.len(), 1);
    let contents = vec![
        Contents::Bytes("自评分数为90分。".as_bytes().to_vec()),
        Contents::Failed("gone".into()),
    ];
    assert_eq!(memory::check(&pair[0], contents, &settings).1.name, "报告");
    let mut results = memory::Results::new();
    for (bundle, contents) in bundles.iter().zip(given) {
        results.push(memory::check(bundle, vec![contents], &settings));
    }
    let lines: Vec<String> = results
        .report()
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f.rule.code,
                f.source.path.display(),
                f.message.en
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "SP0002 a/报告.pdf the .pdf format is not supported; save it as .docx 或 .txt and check again",
            "SP0001 b/大.txt the file is too large (68157440 bytes) to read",
            "SP0001 c/读不了.txt cannot read the file: NotReadableError",
        ]
    );
}

/// The page (`web/`) is built from its own lock file: every crate the two builds share must be
/// at the version the command line is built with, or the page could read a file differently.
#[test]
fn the_pages_lock_holds_the_command_lines_versions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let versions = |file: &str| -> Vec<(String, String)> {
        let text = std::fs::read_to_string(root.join(file)).expect("a lock file");
        let lock: toml::Table = toml::from_str(&text).expect("TOML");
        lock["package"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| {
                let field = |k: &str| p[k].as_str().expect("a string").to_string();
                (field("name"), field("version"))
            })
            .collect()
    };
    let cli = versions("Cargo.lock");
    let web = versions("web/Cargo.lock");
    let differing: Vec<&(String, String)> = web
        .iter()
        .filter(|(name, _)| cli.iter().any(|(n, _)| n == name))
        .filter(|pkg| !cli.contains(pkg))
        .collect();
    assert!(web.iter().any(|(n, _)| n == "calamine"), "{web:?}");
    assert!(
        differing.is_empty(),
        "web/Cargo.lock differs from Cargo.lock: {differing:?} (copy Cargo.lock to web/, then run `cargo metadata` in web/)"
    );
}
