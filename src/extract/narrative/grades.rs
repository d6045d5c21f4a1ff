//! Grades.
//!
//! "自评等级为良" states the grade 良 after its word; "综合得分85分，达到优秀等级" before its level
//! word. A sentence that describes the bands ("90分以上为优秀等级，80分以上为良好等级") states
//! none. The grade words are the configured bands' (schemas/grades.toml).

use super::super::numbers::Figure;
use super::{Draft, Reader};
use crate::extract::vocab::Words;
use crate::extract::vocab::{ends_with_word, starts_with_word};
use crate::fact::{Concept, Period};
use crate::quantity::Unit;
use crate::settings::Settings;
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::{Arc, OnceLock};

/// The grade words of the configured bands (longest first) and the pattern of a grade stated
/// after its word ("评价等级为“良”", "自评结论为优秀").
pub(super) struct GradePatterns {
    /// The bands' words as configured, in band order: what the cache is looked up by.
    pub(super) configured: Vec<String>,
    /// The vocabulary's `grade_word` and `grade_connector` slots it was built with.
    pub(super) grade_word: Vec<String>,
    pub(super) grade_connector: Vec<String>,
    pub(super) words: Vec<String>,
    pub(super) after_word: Regex,
}

/// The grade patterns for the bands in force, built once per set of grade words.
pub(super) fn grade_patterns(settings: &Settings) -> Arc<GradePatterns> {
    // Shared, not cloned: a cloned Regex starts with empty search caches, and would
    // rebuild its lazy DFA states for every document.
    type Cache = std::sync::Mutex<Vec<Arc<GradePatterns>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let configured = || settings.grades.band.iter().flat_map(|b| b.words.iter());
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(c) => c,
        Err(poisoned) => poisoned.into_inner(),
    };
    // Looked up for every document: compared as configured, without sorting or copying.
    let vocab = &settings.vocabulary().words;
    if let Some(p) = cache.iter().find(|p| {
        p.configured.iter().eq(configured())
            && p.grade_word == vocab.grade_word
            && p.grade_connector == vocab.grade_connector
    }) {
        return p.clone();
    }
    let words: Vec<String> = settings
        .grades
        .words()
        .into_iter()
        .map(str::to_string)
        .collect();
    let alt = words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    let any = |words: &[String]| {
        words
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|")
    };
    let (lead, connector) = (any(&vocab.grade_word), any(&vocab.grade_connector));
    let after_word = Regex::new(&format!(
        r#"(?:{lead})(?:{connector})?[^\S\n]*[“「‘"']?(?P<word>{alt})"#
    ))
    .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("valid regex"));
    let patterns = Arc::new(GradePatterns {
        configured: configured().cloned().collect(),
        grade_word: vocab.grade_word.clone(),
        grade_connector: vocab.grade_connector.clone(),
        words,
        after_word,
    });
    cache.push(patterns.clone());
    patterns
}

/// A grade named before the level word at `level_at` ("为优秀等级", "属于“优”等级"): its range,
/// unless the words before it describe a band ("90分以上为优秀等级").
pub(super) fn grade_before(
    w: &Words,
    text: &str,
    level_at: usize,
    level: &str,
    words: &[String],
) -> Option<(usize, usize)> {
    let before = &text[..level_at];
    let before = before
        .strip_suffix(['”', '」', '’', '"', '\''])
        .unwrap_or(before);
    let word = words.iter().find(|w| ends_with_word(before, w))?;
    let (start, end) = (before.len() - word.len(), before.len());
    let rest = &before[..start];
    let rest = rest
        .strip_suffix(['“', '「', '‘', '"', '\''])
        .unwrap_or(rest)
        .trim_end_matches([' ', '\t']);
    let lead = w.grade_lead.iter().find(|l| ends_with_word(rest, l))?;
    let lead_in = &rest[..rest.len() - lead.len()];
    // 达到 names the report's grade only right after its score ("综合得分85分，达到优秀等级");
    // elsewhere it is a goal, a negation, last year's or another rating ("力争达到优秀等级",
    // "未能达到…", "上年度评价达到…", "验收达到合格等级").
    // Nor after full marks, or before the band's condition ("总分100分，达到良好等级的为80分
    // 至89分", "满分100分，达到优秀等级须得90分以上").
    let after = &text[level_at + level.len()..];
    if lead.starts_with("达到")
        && (!follows_a_score(lead_in)
            || w.grade_condition.iter().any(|c| starts_with_word(after, c)))
    {
        return None;
    }
    (!describes_band(w, lead_in)).then_some((start, end))
}

/// Whether `text` ends with a score and a comma ("综合得分85分，"), not full marks ("满分100分，",
/// "总分100分，").
pub(super) fn follows_a_score(text: &str) -> bool {
    let Some(points) = text.trim_end_matches([',', '，', ' ']).strip_suffix('分') else {
        return false;
    };
    let words = points.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let marks = ["满分", "分值", "权重"].iter().any(|w| words.ends_with(w))
        || (words.ends_with("总分") && &points[words.len()..] == "100");
    words.len() < points.len() && !marks
}

/// Whether the text before "为优秀等级" ends as a description of the grade bands does:
/// "90分（含）以上", "60分以下", "80—90分", "不足60分".
pub(super) fn describes_band(w: &Words, before: &str) -> bool {
    // "90分以上的为优秀等级", "90分及以上者为优秀等次".
    let before = before.trim_end();
    let before = before.strip_suffix(['的', '者']).unwrap_or(before);
    before.ends_with(|c: char| c.is_ascii_digit() || matches!(c, ')' | '）'))
        || w.band_description.iter().any(|d| ends_with_word(before, d))
}

impl<'a> Reader<'a> {
    /// Grades, in one pass over the text: the pattern cannot cross a line end, and its words
    /// hold no sentence-ending punctuation, so each match lies within one sentence.
    pub(super) fn read_grades(&self, sentences: &[(usize, usize)], out: &mut Vec<Draft>) {
        // The grade after its word ("等级为优"), from the pattern, and before it ("为优秀等级"),
        // found from the word, which is rare, then read backwards.
        let mut found: Vec<(usize, usize)> = self
            .grades
            .after_word
            .captures_iter(self.text)
            .filter_map(|c| c.name("word"))
            .map(|m| (m.start(), m.end()))
            .collect();
        let mut before: Vec<(usize, usize)> = Vec::new();
        let w = self.words();
        for level in &w.grade_level {
            for at in memchr::memmem::find_iter(self.text.as_bytes(), level.as_bytes()) {
                before.extend(grade_before(w, self.text, at, level, &self.grades.words));
            }
        }
        // A sentence that names two different grades this way describes the scale ("…的为优秀
        // 等级，…的为良好等级"), whatever its wording.
        let sentence_of = |start: usize| sentences.partition_point(|&(_, e)| e <= start);
        let word = |&(s, e): &(usize, usize)| &self.text[s..e];
        found.extend(before.iter().copied().filter(|g| {
            !before
                .iter()
                .any(|o| sentence_of(o.0) == sentence_of(g.0) && word(o) != word(g))
        }));
        found.sort_unstable();
        found.dedup_by_key(|&mut (start, _)| start);
        for (start, end) in found {
            let si = sentence_of(start);
            out.push(Draft {
                concept: Concept::Grade,
                subject: String::new(),
                part_of: None,
                period: Period::Current,
                figure: Figure {
                    start,
                    end,
                    value: Decimal::ZERO,
                    decimals: 0,
                    unit: Unit::Plain,
                },
                negative: false,
                base: None,
                changed: None,
                listing: None,
                word: Some(self.text[start..end].to_string()),
                sentence: si,
                group: self.group_of(start),
            });
        }
    }
}
