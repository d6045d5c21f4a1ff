//! The order of a whole report, kept while findings are written a bundle at a time.
//!
//! A whole `Report` (`check_bundles`, and so the JSON and SARIF documents) lists its findings
//! sorted by `Finding::sort_key`: by the path of the file a finding is about, as displayed and
//! compared as a string, then by place and rule. Bundles come in another order (`bundles`:
//! folder by folder, then by stem), and the two differ in ordinary layouts: `d/a.txt`,
//! `d/sub/b.txt`, `d/z.txt` are in string order, while the bundles of folder `d` come before
//! those of `d/sub`; `d-x/…` sorts before `d/…` as a string but after it as a path.
//!
//! `ReportOrder` gives the report's order from bundles checked one at a time, without keeping
//! the run: the bundles are checked in the order of their first file's path (as a string), and
//! a file's findings are handed on as soon as every file before it has been handed on. Since
//! every finding is about a file of its own bundle, what waits is only the findings about the
//! later files of bundles whose files are not adjacent in that order (a folder holding a
//! narrative `a报告.docx`, its sheet `z表.xlsx` and subfolders: the sheet's findings wait while
//! the subfolders' reports go out); everything else goes out as its bundle is delivered.

use crate::Bundle;
use crate::diagnostic::Finding;
use std::collections::BTreeMap;

pub struct ReportOrder {
    /// Every input file's displayed path, sorted, without repeats. Kept for the whole run, so
    /// kept compactly: one string and where each path ends in it.
    paths: Paths,
    /// For each of them, how many of the bundles holding it are still to be delivered.
    owners_left: Vec<usize>,
    /// For each bundle (by its index in the caller's slice), its files as indices into `paths`:
    /// `files[files_from[b]..files_from[b + 1]]`.
    files: Vec<usize>,
    files_from: Vec<usize>,
    /// The bundles, as indices into the caller's slice, in the order they are to be checked.
    run: Vec<usize>,
    /// How many bundles have been delivered.
    delivered: usize,
    /// The first path whose findings have not been handed on yet.
    next: usize,
    /// Findings waiting for the files before theirs, by path index, with their bundle's index.
    waiting: BTreeMap<usize, Vec<(usize, Finding)>>,
    /// Findings about a file in no bundle (none is expected), handed on at the end.
    strays: Vec<(usize, Finding)>,
}

impl ReportOrder {
    pub fn new(bundles: &[Bundle]) -> ReportOrder {
        let shown: Vec<Vec<String>> = bundles
            .iter()
            .map(|b| b.files.iter().map(|f| f.display().to_string()).collect())
            .collect();
        let mut sorted: Vec<&str> = shown.iter().flatten().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let paths = Paths::new(&sorted);
        let mut owners_left = vec![0; paths.len()];
        let (mut files, mut files_from) = (Vec::new(), Vec::with_capacity(bundles.len() + 1));
        for shown_files in &shown {
            files_from.push(files.len());
            let mut ids: Vec<usize> = shown_files.iter().filter_map(|f| paths.find(f)).collect();
            ids.sort_unstable();
            ids.dedup();
            for &i in &ids {
                owners_left[i] += 1;
            }
            files.extend(ids);
        }
        files_from.push(files.len());
        let mut run: Vec<usize> = (0..bundles.len()).collect();
        run.sort_by_key(|&b| (files_of(&files, &files_from, b).first().copied(), b));
        ReportOrder {
            paths,
            owners_left,
            files,
            files_from,
            run,
            delivered: 0,
            next: 0,
            waiting: BTreeMap::new(),
            strays: Vec::new(),
        }
    }

    /// The bundles, as indices into the slice given to `new`, in the order to check them (and
    /// to `push` their findings).
    pub fn run(&self) -> &[usize] {
        &self.run
    }

    /// The bundles themselves in that order (given the same bundles as `new`, moved, not copied).
    pub fn run_order(&self, bundles: Vec<Bundle>) -> Vec<Bundle> {
        let mut slots: Vec<Option<Bundle>> = bundles.into_iter().map(Some).collect();
        self.run
            .iter()
            .filter_map(|&b| slots.get_mut(b).and_then(Option::take))
            .collect()
    }

    /// Takes the findings of the next bundle in `run_order` (sorted as `for_each_checked` hands
    /// them on); returns that bundle's index in the slice given to `new`, and the findings that
    /// can now be written, in the report's order.
    pub fn push(&mut self, findings: Vec<Finding>) -> (usize, Vec<Finding>) {
        let bundle = self.run.get(self.delivered).copied().unwrap_or(usize::MAX);
        self.delivered += 1;
        for f in findings {
            match self.paths.find(&f.source.display_path()) {
                Some(i) => self.waiting.entry(i).or_default().push((bundle, f)),
                None => self.strays.push((bundle, f)),
            }
        }
        for &i in files_of(&self.files, &self.files_from, bundle) {
            self.owners_left[i] = self.owners_left[i].saturating_sub(1);
        }
        let mut ready = Vec::new();
        while self.next < self.paths.len() && self.owners_left[self.next] == 0 {
            if let Some(file) = self.waiting.remove(&self.next) {
                ready.extend(sorted(file));
            }
            self.next += 1;
        }
        (bundle, ready)
    }

    /// How many findings are held, waiting for the files before theirs.
    pub fn waiting(&self) -> usize {
        self.waiting.values().map(Vec::len).sum::<usize>() + self.strays.len()
    }

    /// What is left once every bundle has been pushed: nothing, unless a finding was about a
    /// file outside its bundle (or bundles were not all pushed).
    pub fn finish(self) -> Vec<Finding> {
        let mut rest: Vec<(usize, Finding)> = self.waiting.into_values().flatten().collect();
        rest.extend(self.strays);
        sorted(rest).collect()
    }
}

/// A bundle's files, as indices into `paths`: `files[from[b]..from[b + 1]]`; none for a bundle
/// out of range (a `push` beyond the run).
fn files_of<'a>(files: &'a [usize], from: &[usize], b: usize) -> &'a [usize] {
    let end = b.checked_add(1).and_then(|next| from.get(next));
    match (from.get(b), end) {
        (Some(&start), Some(&end)) => files.get(start..end).unwrap_or_default(),
        _ => &[],
    }
}

/// Sorted paths in one string.
struct Paths {
    text: String,
    /// Where each path ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
}

impl Paths {
    fn new(sorted: &[&str]) -> Paths {
        let mut text = String::with_capacity(sorted.iter().map(|p| p.len()).sum());
        let ends = sorted
            .iter()
            .map(|p| {
                text.push_str(p);
                text.len()
            })
            .collect();
        Paths { text, ends }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        self.text.get(start..self.ends[i]).unwrap_or_default()
    }

    /// The index of a path, by binary search.
    fn find(&self, path: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(path) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

/// Findings in `check_bundles`' order: its sort is stable over the bundles' findings in bundle
/// order, so equal keys keep their bundle order, then their order within the bundle.
fn sorted(findings: Vec<(usize, Finding)>) -> impl Iterator<Item = Finding> {
    let mut keyed: Vec<(usize, usize, Finding)> = findings
        .into_iter()
        .enumerate()
        .map(|(seq, (bundle, f))| (bundle, seq, f))
        .collect();
    keyed.sort_by_cached_key(|(bundle, seq, f)| (f.sort_key(), *bundle, *seq));
    keyed.into_iter().map(|(_, _, f)| f)
}
