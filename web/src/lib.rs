//! suanpan in the browser: the library's in-memory core (`suanpan::memory`) behind
//! wasm-bindgen. The page's Web Worker hands over the dropped files' paths, then each bundle's
//! files (bytes, or only a size when they need not be read), and asks for the run's JSON and
//! HTML — the command line's `--format json` and `--format html`, rendered by the same code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use suanpan::Bundle;
use suanpan::diagnostic::Lang;
use suanpan::memory::{self, Contents, Results};
use suanpan::settings::Settings;
use wasm_bindgen::prelude::*;

/// One run over the files handed over.
#[wasm_bindgen]
pub struct Checker {
    settings: Settings,
    bundles: Vec<Bundle>,
    results: Results,
    /// The contents handed over for the next bundle, in the order of its files.
    pending: Vec<Contents>,
}

fn lang_of(lang: &str) -> Lang {
    if lang == "en" { Lang::En } else { Lang::Zh }
}

#[wasm_bindgen]
impl Checker {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Checker {
        Checker {
            settings: Settings::default(),
            bundles: Vec::new(),
            results: Results::new(),
            pending: Vec::new(),
        }
    }

    /// Groups the paths into report bundles as the command line does for a folder, after
    /// leaving out what a folder's walk leaves out (`in_folder[i]` is 1 for a path found inside
    /// a dropped folder, whose first component is that folder). Returns a JSON array of
    /// bundles, each the indexes of its files in `paths` (a path given twice: its last index).
    pub fn plan(&mut self, paths: Vec<String>, in_folder: Vec<u8>) -> String {
        let mut index: HashMap<PathBuf, usize> = HashMap::new();
        let mut kept = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            let path = PathBuf::from(p);
            let folder = in_folder.get(i).is_some_and(|&f| f != 0);
            if memory::kept(&path, folder) {
                index.insert(path.clone(), i);
                kept.push(path);
            }
        }
        self.bundles = memory::bundles_of(&kept);
        self.results = Results::new();
        self.pending.clear();
        let plan: Vec<Vec<usize>> = self
            .bundles
            .iter()
            .map(|b| {
                b.files
                    .iter()
                    .filter_map(|f| index.get(f).copied())
                    .collect()
            })
            .collect();
        serde_json::to_string(&plan).unwrap_or_else(|_| "[]".into())
    }

    /// Whether a file must be handed over with its bytes (`add_bytes`) or its size is enough
    /// (`add_size`: a kind that is not read, or a file over the reading limit).
    pub fn needs_bytes(path: &str, size: f64) -> bool {
        memory::needs_bytes(Path::new(path), size as u64)
    }

    /// The next file's bytes.
    pub fn add_bytes(&mut self, bytes: Vec<u8>) {
        self.pending.push(Contents::Bytes(bytes));
    }

    /// The next file's size only.
    pub fn add_size(&mut self, size: f64) {
        self.pending.push(Contents::Size(size as u64));
    }

    /// The next file could not be read, and why.
    pub fn add_failed(&mut self, why: String) {
        self.pending.push(Contents::Failed(why));
    }

    /// The next file is a workbook whose reading stopped the module (`probe`).
    pub fn add_damaged(&mut self) {
        self.pending.push(Contents::Damaged);
    }

    /// Checks bundle `i` with the contents handed over since the last check; returns its
    /// errors, warnings and infos as a JSON array.
    pub fn check(&mut self, i: usize) -> String {
        let contents = std::mem::take(&mut self.pending);
        let Some(bundle) = self.bundles.get(i) else {
            return "[0,0,0]".into();
        };
        let (findings, summary) = memory::check(bundle, contents, &self.settings);
        let counts = format!(
            "[{},{},{}]",
            summary.errors, summary.warnings, summary.infos
        );
        self.results.push((findings, summary));
        counts
    }

    /// The run's `--format json` document.
    pub fn json(&self, lang: &str) -> String {
        self.results.json(lang_of(lang))
    }

    /// The run's `--format html` page.
    pub fn html(&self, lang: &str) -> String {
        self.results.html(lang_of(lang))
    }
}

/// Reads a workbook and drops it: whether its reader runs to the end. A reader that panics ends
/// the module (the browser has no unwinding), which the page takes as the file being damaged.
#[wasm_bindgen]
pub fn probe(path: &str, bytes: &[u8]) -> bool {
    suanpan::source::sheet::parse_file(Path::new(path), bytes).is_ok()
}

/// The library's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
