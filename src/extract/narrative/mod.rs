//! Narrative facts: which figure is what, of whom, and when.
//!
//! The reader is a row of passes over normalised text, each one concern; a module imports only
//! those above it in this table (their `Reader` methods may call one another's), and `walk`
//! drives them sentence by sentence:
//!
//! | pass | owns | e.g. |
//! |---|---|---|
//! | `cut` | sentences, clauses, list markers, 其中/分别 | "…，其中：\n办公费30万元；" is a list |
//! | `sections` | headings, score groups, subtotals | "(一)决策(20分)得18分" heads its scores |
//! | `periods` | the report's year, a figure's year | "上年决算" is last year's |
//! | `indicators` | names of indicators and of the whole | "(一)决策指标" is 决策指标 |
//! | `subjects` | whose a figure is | "其中公务接待费0.76万元" is 三公经费's part |
//! | `lists` | 分别 lists | "A、B分别为1万元、2万元" |
//! | `changes` | changes against a prior figure | "比上年减少0.59万元" |
//! | `amounts` | amounts and their concepts | "年初预算为775.83万元" is an initial budget |
//! | `rates` | rates and their bases | "完成年初预算数的114.00%" is actual ÷ initial |
//! | `scores` | scores and weights | "产出指标(50分)得分45分" |
//! | `grades` | grades | "自评等级为优" |
//! | `walk` | the sentence and clause walk, its state | carries 其中 and the subject along |
//! | `settle` | precision and spans of the final facts | "16分" is 16.00 |
//!
//! Only this module reads narrative text; checks see the facts. The words that decide a
//! clause's meaning come from the vocabulary (schemas/vocabulary.toml); the passes keep the
//! grammar.

mod amounts;
mod changes;
mod counts;
mod cut;
mod grades;
mod indicators;
mod lists;
mod periods;
mod rates;
mod scores;
mod sections;
mod settle;
mod subjects;
mod tables;
/// What the clauses of one sentence have established so far.
#[derive(Default, Clone)]
pub(super) struct SentenceState {
    pub(super) subject: String,
    pub(super) part_of: Option<String>,
    pub(super) indicator: Option<String>,
    /// The indicator named before 其中: scores after it are its sub-scores.
    pub(super) parent_indicator: Option<String>,
    /// Whether the clause being read holds the 其中 (its scores are parts whatever their level).
    pub(super) of_which_here: bool,
    /// The year the sentence's words last named ("2023年全年预算180万元，实际支出170万元": the
    /// 170 is 2023's too).
    pub(super) period: Option<Period>,
    /// Whether a figure of the sentence has been read.
    pub(super) read_any: bool,
    /// The concept of the last amount in the sentence: "公务接待费0.76万元" after "三公经费决算
    /// 3.76万元，其中" is a 决算 too.
    pub(super) money_concept: Option<Concept>,
    /// The concept of the sentence's last points figure outside brackets (None when it was not
    /// understood): "综合得分92.5分，其中决策指标18分" lists scores, "总分100分，其中决策指标
    /// 20分" weights; "综合得分92分（满分100分），其中…" scores.
    pub(super) outer_points: Option<Concept>,
    /// The indicator last given a score by name in the sentence.
    pub(super) scored_indicator: Option<String>,
    /// Whether the last points figure was a weight in brackets: "决策（20分）18分".
    pub(super) after_bracketed_weight: bool,
    /// The concept of the last points figure in brackets: a 其中 inside the same brackets lists
    /// its kind ("自评得分91分（总分100分，其中决策指标20分…）" lists weights).
    pub(super) bracketed_points: Option<Concept>,
    /// Whether the sentence holds a 其中 (not only "X中，"): points are listed only after one.
    pub(super) points_listed: bool,
    /// Where the clause being read starts: a change word compares with what its clause names
    /// before it ("比上年10万元减少2万元").
    pub(super) clause_start: usize,
    /// Whether a change read earlier in the sentence compared with something: later change
    /// words compare with the same ("…比上年减少0.28万元，其中：…增加0.01万元，增长3.45%").
    pub(super) compared: bool,
    /// Where a clause of the sentence that only names what is compared with starts ("与2021年
    /// 度预算相比，减少0.1万元"): the changes after it compare with that.
    pub(super) comparison_start: Option<usize>,
    /// Whether the sentence's last amount was read as a fact (None before any): a change in
    /// words ("与上年持平") is of that amount's subject, and of none after an amount not read.
    pub(super) last_amount_read: Option<bool>,
}

/// What a 分别 list says of one of its figures: its concept (None: the sentence's), whether
/// it is negative, and its subject.
pub(super) type Assigned = (Option<Concept>, bool, Option<String>);

#[cfg(test)]
mod tests;
mod walk;

use super::normalize::normalize;
use super::numbers::{Figure, digit_figures};
use super::vocab::{Vocabulary, Words};
use crate::diagnostic::Source;
use crate::fact::{Changed, Concept, Fact, Listing, Period};
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
    let (mut drafts, sentences) = reader.read();
    let after_last = drafts.iter().map(|d| d.sentence + 1).max().unwrap_or(0);
    drafts.extend(counts::count_drafts(&norm.text, after_last));
    mark_subtotals(&mut drafts, &headings, norm.text.len());
    let mut facts = finish(drafts, &norm, src);
    // The figures of the text's tables are settled on their own: their decimals do not set
    // the usual precision of the narrative's figures.
    let sentence_at = |at: usize| {
        sentences
            .partition_point(|&(s, _)| s <= at)
            .saturating_sub(1)
    };
    let tables = reader.table_drafts(sentence_at);
    if !tables.is_empty() {
        facts.extend(finish(tables, &norm, src));
        // Stable: a sentence's facts keep their order; counts stay last (`count_drafts`).
        facts.sort_by_key(|f| {
            (
                matches!(f.concept, Concept::Count | Concept::Listed),
                f.sentence,
            )
        });
    }
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
    changed: Option<Changed>,
    listing: Option<Listing>,
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
