//! Narrative facts: which figure is what, of whom, and when.
//!
//! The reader is a row of passes over normalised text, each one concern, each reading the text
//! and what the passes before it made, never calling back up:
//!
//! | pass | owns | e.g. |
//! |---|---|---|
//! | [`cut`] | sentences, clauses, list markers, 其中/分别 | "…，其中：\n办公费30万元；" is a list |
//! | [`sections`] | headings, score groups, subtotals | "(一)决策(20分)得18分" heads its scores |
//! | [`periods`] | the report's year, a figure's year | "上年决算" is last year's |
//! | [`walk`] | the sentence and clause walk, its state | carries 其中 and the subject along |
//! | [`subjects`] | whose a figure is | "其中公务接待费0.76万元" is 三公经费's part |
//! | [`lists`] | 分别 lists | "A、B分别为1万元、2万元" |
//! | [`amounts`] | amounts and their concepts | "年初预算为775.83万元" is an initial budget |
//! | [`rates`] | rates and their bases | "完成年初预算数的114.00%" is actual ÷ initial |
//! | [`changes`] | changes against a prior figure | "比上年减少0.59万元" |
//! | [`scores`] | scores and weights | "产出指标(50分)得分45分" |
//! | [`grades`] | grades | "自评等级为优" |
//! | [`settle`] | precision and spans of the final facts | "16分" is 16.00 |
//!
//! Only this module reads narrative text; checks see the facts. The words that decide a
//! clause's meaning come from the vocabulary (schemas/vocabulary.toml); the passes keep the
//! grammar.

mod amounts;
mod changes;
mod cut;
mod grades;
mod lists;
mod periods;
mod rates;
mod scores;
mod sections;
mod settle;
mod subjects;
#[cfg(test)]
mod tests;
mod walk;

use super::normalize::normalize;
use super::numbers::{Figure, digit_figures};
use super::vocab::{Vocabulary, Words};
use crate::diagnostic::Source;
use crate::fact::{Concept, Fact, Period};
use crate::settings::Settings;
use grades::{GradePatterns, grade_patterns};
use periods::report_year;
use sections::{mark_subtotals, outline, score_groups};
use settle::finish;
use std::sync::Arc;

impl<'a> Reader<'a> {
    /// The words of the grammar's slots (schemas/vocabulary.toml).
    fn words(&self) -> &'a Words {
        &self.vocab.words
    }
}

pub fn extract(src: &Arc<Source>, settings: &Settings) -> Vec<Fact> {
    let norm = normalize(&src.text);
    let headings = outline(&norm.text);
    let reader = Reader {
        text: &norm.text,
        vocab: settings.vocabulary(),
        figures: digit_figures(&norm.text),
        year: report_year(&settings.vocabulary().words, &norm.text),
        groups: score_groups(&headings),
        grades: grade_patterns(settings),
    };
    let mut drafts = reader.read();
    mark_subtotals(&mut drafts, &headings, norm.text.len());
    let mut facts = finish(drafts, &norm, src);
    rates::settle_rate_subjects(&mut facts, &settings.tolerance);
    facts
}

/// A fact before precision is settled and spans are mapped back to the original text.
#[derive(Debug, Clone)]
struct Draft {
    concept: Concept,
    subject: String,
    part_of: Option<String>,
    period: Period,
    figure: Figure,
    negative: bool,
    base: Option<Concept>,
    word: Option<String>,
    sentence: usize,
    group: usize,
}

struct Reader<'a> {
    text: &'a str,
    vocab: &'a Vocabulary,
    figures: Vec<Figure>,
    year: Option<u32>,
    /// (start offset, group id) of each score group, in order.
    groups: Vec<(usize, usize)>,
    grades: Arc<GradePatterns>,
}
