//! The vocabulary of concepts and subjects, loaded from schemas/vocabulary.toml (embedded), and
//! validated at load.

use crate::fact::Concept;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabFile {
    concept: Vec<ConceptEntry>,
    subject: Vec<SubjectEntry>,
    #[serde(default)]
    word: Vec<WordEntry>,
    #[serde(default)]
    variant: Vec<VariantEntry>,
}

/// One `[[variant]]` entry: another way of writing part of a subject's name (公务用车 → 公车).
/// Every alias holding `written` is also matched with it replaced by each of `also`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantEntry {
    written: String,
    also: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptEntry {
    id: String,
    unit: String,
    terms: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SubjectEntry {
    pub name: String,
    pub aliases: Vec<String>,
    #[serde(default)]
    pub parts: Vec<String>,
    #[serde(default)]
    pub part_of: Option<String>,
}

/// One `[[word]]` entry: more words for one slot of the narrative grammar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordEntry {
    slot: String,
    words: Vec<String>,
}

/// The words of each slot of the narrative grammar (`[[word]]` in schemas/vocabulary.toml):
/// the passes keep the constructions, these lists the words that fill them. In the order
/// written, built-in words first; where one word is a prefix of another, the longer is listed
/// first.
#[derive(Debug, Default)]
pub struct Words {
    /// words that may stand between a concept term and its figure: 年初预算为…, 合计…
    pub connector: Vec<String>,
    /// words before a money term that make it income, which no check reads: 收入决算
    pub income: Vec<String>,
    /// words ending the text before an amount or rate that make it an increase: 增加, 增长
    pub change_up: Vec<String>,
    /// … a decrease: 减少, 下降
    pub change_down: Vec<String>,
    /// words saying what a change compares with; 增长 and 下降 need none: 比, 较
    pub change_compared: Vec<String>,
    /// words right before an amount that make it last year's, compared with: 比上年10万元
    pub prior_lead: Vec<String>,
    /// rate words that name a budget execution rate: 执行率
    pub rate_budget: Vec<String>,
    /// rate words that are a budget rate only with a money word before them: 完成率
    pub rate_needs_money: Vec<String>,
    /// those money words: 预算, 资金
    pub rate_money: Vec<String>,
    /// qualifiers that make a rate word another kind of rate: 采购执行率, 合同执行率
    pub rate_other: Vec<String>,
    /// words between a rate word and its figure: 执行率为98%
    pub rate_connector: Vec<String>,
    /// words in 完成…的X% naming the initial budget as the base: 完成年初预算的
    pub rate_base_initial: Vec<String>,
    /// … the full-year budget: 完成全年预算的, 调整后
    pub rate_base_full_year: Vec<String>,
    /// … a budget: 完成预算的
    pub rate_base_budget: Vec<String>,
    /// first-level indicators, never another one's part: 决策, 过程, 产出, 效益
    pub first_level: Vec<String>,
    /// bonus items listed with first-level indicators: 加分项
    pub bonus: Vec<String>,
    /// words that make an indicator named before 中 a collective: 各项指标中, 一级指标中
    pub collective: Vec<String>,
    /// evaluative words dropped from the end of an indicator's name: 自评, 综合
    pub indicator_trailing: Vec<String>,
    /// words that make a score with no indicator the report's total: 自评得分
    pub score_total_word: Vec<String>,
    /// words that name the evaluated object itself, so its score is the total: 本项目, 部门整体
    pub whole_object: Vec<String>,
    /// words one of which such a name needs, or 本/该/我 before it: 整体, 综合
    pub whole_total_word: Vec<String>,
    /// words after points that make them a band's bound: 90分以上
    pub band_bound: Vec<String>,
    /// words opening a subject that name no subject: 本部门, 整体
    pub generic_lead: Vec<String>,
    /// words closing a subject that name no subject: 支出, 情况
    pub generic_tail: Vec<String>,
    /// endings of the reporting body's name, whose figures are the report's own: 局, 中心
    pub reporting_body: Vec<String>,
    /// endings of a fund's, project's or expense category's name: 项目, 资金, 培训
    pub project_suffix: Vec<String>,
    /// names too generic to be a numbered project's: 资金, 项目
    pub generic_project: Vec<String>,
    /// words that end a list set out one item per line: 合计
    pub list_total: Vec<String>,
    /// words that may follow a known subject's name before its figure: 公务用车运行费用10万元
    pub subject_tail: Vec<String>,
    /// words after a year that make it a plan's, not the report's: 2025年计划
    pub plan_year: Vec<String>,
    /// level words a grade is named before: 优秀等级
    pub grade_level: Vec<String>,
    /// words before a grade named before its level word: 评定为优秀等级
    pub grade_lead: Vec<String>,
    /// words after a level word that make it a band's condition: 达到优秀等级的
    pub grade_condition: Vec<String>,
    /// endings of a band's description: 90分以上为优秀
    pub band_description: Vec<String>,
    /// words a grade is stated after: 等级为优, 评价结论为良好
    pub grade_word: Vec<String>,
    /// words between those and the grade: 等级为, 评定为
    pub grade_connector: Vec<String>,
}

impl Words {
    fn slot(&mut self, name: &str) -> Option<&mut Vec<String>> {
        Some(match name {
            "connector" => &mut self.connector,
            "income" => &mut self.income,
            "change_up" => &mut self.change_up,
            "change_down" => &mut self.change_down,
            "change_compared" => &mut self.change_compared,
            "prior_lead" => &mut self.prior_lead,
            "rate_budget" => &mut self.rate_budget,
            "rate_needs_money" => &mut self.rate_needs_money,
            "rate_money" => &mut self.rate_money,
            "rate_other" => &mut self.rate_other,
            "rate_connector" => &mut self.rate_connector,
            "rate_base_initial" => &mut self.rate_base_initial,
            "rate_base_full_year" => &mut self.rate_base_full_year,
            "rate_base_budget" => &mut self.rate_base_budget,
            "first_level" => &mut self.first_level,
            "bonus" => &mut self.bonus,
            "collective" => &mut self.collective,
            "indicator_trailing" => &mut self.indicator_trailing,
            "score_total_word" => &mut self.score_total_word,
            "whole_object" => &mut self.whole_object,
            "whole_total_word" => &mut self.whole_total_word,
            "band_bound" => &mut self.band_bound,
            "generic_lead" => &mut self.generic_lead,
            "generic_tail" => &mut self.generic_tail,
            "reporting_body" => &mut self.reporting_body,
            "project_suffix" => &mut self.project_suffix,
            "generic_project" => &mut self.generic_project,
            "list_total" => &mut self.list_total,
            "subject_tail" => &mut self.subject_tail,
            "plan_year" => &mut self.plan_year,
            "grade_level" => &mut self.grade_level,
            "grade_lead" => &mut self.grade_lead,
            "grade_condition" => &mut self.grade_condition,
            "band_description" => &mut self.band_description,
            "grade_word" => &mut self.grade_word,
            "grade_connector" => &mut self.grade_connector,
            _ => return None,
        })
    }
}

/// A concept term: the words, the concept, and the sign it gives (调减 is negative).
#[derive(Debug, Clone)]
pub struct Term {
    pub text: String,
    pub concept: Concept,
    pub negative: bool,
}

#[derive(Debug)]
pub struct Vocabulary {
    /// All concept terms, longest first.
    pub terms: Vec<Term>,
    pub subjects: Vec<SubjectEntry>,
    /// The words of the grammar's slots.
    pub words: Words,
    /// (alias, subject index), longest alias first.
    aliases: Vec<(String, usize)>,
    /// Backward matchers over the aliases and over each kind of term.
    alias_matcher: Backward,
    all_terms: Backward,
    money_terms: Backward,
    points_terms: Backward,
}

/// Which concept terms a search wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    All,
    /// Amounts and rates: every concept but scores, weights and total scores.
    Money,
    /// Scores, weights and total scores.
    Points,
}

impl Terms {
    fn wants(self, c: Concept) -> bool {
        let points = matches!(c, Concept::Score | Concept::Weight | Concept::TotalScore);
        match self {
            Terms::All => true,
            Terms::Money => !points,
            Terms::Points => points,
        }
    }
}

/// Finds the mention that ends last in a text, then the longest, by stepping back from the
/// text's end char by char: the first position where a word ends is the answer, and words are
/// tried longest first. The texts are clause heads of a few dozen bytes, where this costs a
/// table lookup per char; an automaton's per-search setup cost more than the whole scan.
#[derive(Debug)]
struct Backward {
    /// (last char, word, index in the caller's list), grouped by the low ten bits of the last
    /// char, then longest word first, then in the caller's order.
    words: Vec<(char, String, usize)>,
    /// For each value of those ten bits, the range of `words` whose last char has them: most
    /// chars end no word and find an empty range.
    slots: Vec<(u32, u32)>,
}

/// The slot of a word's last char: its low ten bits.
fn slot(c: char) -> usize {
    (c as u32 & 1023) as usize
}

impl Backward {
    /// Words given as (index, text); on equal words the first listed wins.
    fn new<'w>(words: impl Iterator<Item = (usize, &'w str)>) -> Backward {
        let mut words: Vec<(char, String, usize)> = words
            .filter_map(|(i, w)| Some((w.chars().next_back()?, w.to_string(), i)))
            .collect();
        words.sort_by_key(|(c, w, i)| (slot(*c), std::cmp::Reverse(w.len()), *i));
        let mut slots = vec![(0, 0); 1024];
        for (k, (c, _, _)) in words.iter().enumerate() {
            let range = &mut slots[slot(*c)];
            if range.0 == range.1 {
                range.0 = k as u32;
            }
            range.1 = k as u32 + 1;
        }
        Backward { words, slots }
    }

    /// (start, end, index) of the mention ending last in `text`, then the longest.
    fn last(&self, text: &str) -> Option<(usize, usize, usize)> {
        for (at, c) in text.char_indices().rev() {
            let (first, end_of_slot) = self.slots[slot(c)];
            if first == end_of_slot {
                continue;
            }
            let end = at + c.len_utf8();
            // The words' first bytes are compared before the rest: most words of a slot end
            // with the same char but start with another.
            let bytes = text.as_bytes();
            let ends_with = |w: &str| {
                end.checked_sub(w.len()).is_some_and(|b| {
                    w.as_bytes().first() == Some(&bytes[b]) && bytes[b..end] == *w.as_bytes()
                })
            };
            let found = self.words[first as usize..end_of_slot as usize]
                .iter()
                .find(|(k, w, _)| *k == c && ends_with(w));
            if let Some((_, w, i)) = found {
                return Some((end - w.len(), end, *i));
            }
        }
        None
    }
}

impl Vocabulary {
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let file: VocabFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut terms = Vec::new();
        for c in file.concept {
            let (concept, negative) = match c.id.as_str() {
                "initial_budget" => (Concept::InitialBudget, false),
                "adjustment" => (Concept::Adjustment, false),
                "adjustment_negative" => (Concept::Adjustment, true),
                "full_year_budget" => (Concept::FullYearBudget, false),
                "budget" => (Concept::Budget, false),
                "actual" => (Concept::Actual, false),
                "score" => (Concept::Score, false),
                "weight" => (Concept::Weight, false),
                "total_score" => (Concept::TotalScore, false),
                other => return Err(format!("unknown concept id `{other}`")),
            };
            if !matches!(c.unit.as_str(), "money" | "points") {
                return Err(format!("concept `{}`: unknown unit `{}`", c.id, c.unit));
            }
            for t in c.terms {
                terms.push(Term {
                    text: t,
                    concept,
                    negative,
                });
            }
        }
        terms.sort_by_key(|t| std::cmp::Reverse(t.text.len()));
        let mut aliases = Vec::new();
        for (i, s) in file.subject.iter().enumerate() {
            for a in written_variants(&s.aliases, &file.variant) {
                aliases.push((a, i));
            }
        }
        for s in &file.subject {
            for p in s.parts.iter().chain(s.part_of.iter()) {
                if !file.subject.iter().any(|o| &o.name == p) {
                    return Err(format!("subject `{}` names unknown subject `{p}`", s.name));
                }
            }
        }
        aliases.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        let mut words = Words::default();
        for entry in file.word {
            let Some(slot) = words.slot(&entry.slot) else {
                return Err(format!("unknown word slot `{}`", entry.slot));
            };
            slot.extend(entry.words);
        }
        let terms_of = |kind: Terms| {
            Backward::new(
                terms
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| kind.wants(t.concept))
                    .map(|(i, t)| (i, t.text.as_str())),
            )
        };
        let alias_matcher = Backward::new(
            aliases
                .iter()
                .enumerate()
                .map(|(i, (a, _))| (i, a.as_str())),
        );
        Ok(Vocabulary {
            all_terms: terms_of(Terms::All),
            money_terms: terms_of(Terms::Money),
            points_terms: terms_of(Terms::Points),
            terms,
            subjects: file.subject,
            words,
            aliases,
            alias_matcher,
        })
    }

    /// The subject a normalised name is an alias of.
    pub fn subject(&self, name: &str) -> Option<&SubjectEntry> {
        self.subjects.iter().find(|s| s.name == name)
    }

    /// The last (then longest) known subject mentioned in `text`, with its byte range.
    pub fn find_subject(&self, text: &str) -> Option<(usize, usize, &SubjectEntry)> {
        let (start, end, i) = self.alias_matcher.last(text)?;
        let (_, subject) = self.aliases.get(i)?;
        Some((start, end, self.subjects.get(*subject)?))
    }

    /// The concept term of the wanted kind that ends last in `text` (then the longest), with
    /// its start.
    pub fn last_term(&self, text: &str, kind: Terms) -> Option<(&Term, usize)> {
        let matcher = match kind {
            Terms::All => &self.all_terms,
            Terms::Money => &self.money_terms,
            Terms::Points => &self.points_terms,
        };
        let (start, _, i) = matcher.last(text)?;
        Some((self.terms.get(i)?, start))
    }
}

/// The aliases with every variant spelling: each variant in turn is applied, once per alias,
/// to the aliases and the spellings before it, so variants combine (公务用车购置及运行维护费 →
/// 公车购置及运行维护费 → 公车购置及运维费). In order of first appearance, without repeats.
fn written_variants(aliases: &[String], variants: &[VariantEntry]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for a in aliases {
        if !all.contains(a) {
            all.push(a.clone());
        }
    }
    for v in variants {
        if v.written.is_empty() {
            continue;
        }
        let before = all.len();
        for k in 0..before {
            if !all[k].contains(v.written.as_str()) {
                continue;
            }
            for also in &v.also {
                let spelled = all[k].replacen(v.written.as_str(), also, 1);
                if !all.contains(&spelled) {
                    all.push(spelled);
                }
            }
        }
    }
    all
}

/// `s` without the word `w` at its start, if it starts with it. The byte that ends the word's
/// first char is compared before the rest: word lists are tried against every clause head,
/// and most words differ from the text there, where a memcmp call per word costs more.
#[inline]
pub fn strip_word_prefix<'s>(s: &'s str, w: &str) -> Option<&'s str> {
    let (sb, wb) = (s.as_bytes(), w.as_bytes());
    let k = wb.len().min(3).checked_sub(1)?;
    (sb.len() >= wb.len() && sb[k] == wb[k]).then(|| s.strip_prefix(w))?
}

/// `s` without the word `w` at its end, if it ends with it; the last bytes are compared first
/// (as `strip_word_prefix`).
#[inline]
pub fn strip_word_suffix<'s>(s: &'s str, w: &str) -> Option<&'s str> {
    let (sb, wb) = (s.as_bytes(), w.as_bytes());
    (sb.len() >= wb.len() && sb.last() == wb.last()).then(|| s.strip_suffix(w))?
}

/// Whether `s` ends with the word `w` (`strip_word_suffix`).
#[inline]
pub fn ends_with_word(s: &str, w: &str) -> bool {
    strip_word_suffix(s, w).is_some()
}

/// Whether `s` starts with the word `w` (`strip_word_prefix`).
#[inline]
pub fn starts_with_word(s: &str, w: &str) -> bool {
    strip_word_prefix(s, w).is_some()
}

const DEFAULT_VOCAB: &str = include_str!("../../schemas/vocabulary.toml");

/// The built-in vocabulary extended by user files (their `[[concept]]` and `[[subject]]` entries
/// are added to the built-in ones).
/// An extra vocabulary file on its own: the entries it may hold, all optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraFile {
    #[serde(default)]
    #[allow(dead_code)]
    concept: Vec<ConceptEntry>,
    #[serde(default)]
    #[allow(dead_code)]
    subject: Vec<SubjectEntry>,
    #[serde(default)]
    #[allow(dead_code)]
    word: Vec<WordEntry>,
}

/// Checks an extra vocabulary file's TOML and entries on their own, before it is joined to the
/// built-in file: an error's message and byte span are in that file (joined, they would point
/// at a line of the built-in file, and a stray key would land in its last table).
pub fn check_extra(text: &str) -> Result<(), (String, Option<std::ops::Range<usize>>)> {
    toml::from_str::<ExtraFile>(text)
        .map(|_| ())
        .map_err(|e| (e.message().trim().to_string(), e.span()))
}

pub fn extended(extra: &[String]) -> Result<Vocabulary, String> {
    let mut text = DEFAULT_VOCAB.to_string();
    for e in extra {
        text.push('\n');
        text.push_str(e);
    }
    Vocabulary::parse(&text)
}

/// The built-in vocabulary.
pub fn builtin() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| match Vocabulary::parse(DEFAULT_VOCAB) {
        Ok(v) => v,
        // The embedded file is checked by a unit test; reaching this is a build defect.
        Err(e) => panic!("schemas/vocabulary.toml: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_vocabulary_is_valid() {
        let v = Vocabulary::parse(DEFAULT_VOCAB).unwrap();
        assert!(v.terms.iter().any(|t| t.text == "年初预算数"));
        assert_eq!(
            v.find_subject("市总工会三公经费支出").unwrap().2.name,
            "三公经费"
        );
        assert_eq!(
            v.find_subject("其中公务用车运行维护费").unwrap().2.name,
            "公务用车运行维护费"
        );
    }

    #[test]
    fn user_entries_extend_the_builtin_vocabulary() {
        let v = extended(&["[[concept]]\nid = \"actual\"\nunit = \"money\"\nterms = [\"实际兑付\"]\n[[subject]]\nname = \"送温暖资金\"\naliases = [\"送温暖资金\"]\n".into()]).unwrap();
        assert!(v.terms.iter().any(|t| t.text == "实际兑付"));
        assert!(v.subject("送温暖资金").is_some());
        assert!(v.terms.iter().any(|t| t.text == "年初预算数"));
    }

    proptest::proptest! {
        /// The word tests that compare a byte first agree with std's.
        #[test]
        fn word_tests_agree_with_std(
            text in crate::extract::joined(&["预算", "预", "算", "为", "a", ":", "数", "执行率"], 6),
            word in crate::extract::joined(&["预算", "预", "算", "为", "a", ":", "数"], 3),
        ) {
            proptest::prop_assume!(!word.is_empty());
            proptest::prop_assert_eq!(strip_word_prefix(&text, &word), text.strip_prefix(word.as_str()));
            proptest::prop_assert_eq!(strip_word_suffix(&text, &word), text.strip_suffix(word.as_str()));
        }
    }

    #[test]
    fn user_words_extend_a_slot_and_unknown_slots_are_refused() {
        let v = extended(&["[[word]]\nslot = \"project_suffix\"\nwords = [\"行动\"]\n".into()])
            .unwrap();
        assert_eq!(
            v.words.project_suffix.last().map(String::as_str),
            Some("行动")
        );
        assert!(v.words.project_suffix.iter().any(|w| w == "项目"));
        let err = extended(&["[[word]]\nslot = \"no_such_slot\"\nwords = [\"x\"]\n".into()])
            .err()
            .unwrap_or_default();
        assert!(err.contains("no_such_slot"), "{err}");
    }

    /// The mention ending last, then the longest, by brute force over every position.
    fn last_longest<'w>(
        text: &str,
        words: impl Iterator<Item = &'w str>,
    ) -> Option<(usize, &'w str)> {
        let mut best: Option<(usize, &str)> = None;
        for w in words {
            for (start, _) in text.match_indices(w) {
                let key = (start + w.len(), w.len());
                if best.is_none_or(|(s, b)| key > (s + b.len(), b.len())) {
                    best = Some((start, w));
                }
            }
        }
        best
    }

    proptest::proptest! {
        /// The backward search finds what a brute-force search over every mention finds, for
        /// texts made of vocabulary words, pieces of them and other chars.
        #[test]
        fn backward_search_finds_the_last_longest_mention(
            picks in proptest::collection::vec((0usize..1000, 0usize..4, 0usize..3), 0..12)
        ) {
            let v = builtin();
            let mut text = String::new();
            for (k, cut, filler) in picks {
                let word: &str = if k % 2 == 0 {
                    &v.terms[k % v.terms.len()].text
                } else {
                    &v.aliases[k % v.aliases.len()].0
                };
                // A whole word, or the word without its first or last char.
                let chars: Vec<char> = word.chars().collect();
                let piece: String = match cut {
                    1 if chars.len() > 1 => chars[1..].iter().collect(),
                    2 if chars.len() > 1 => chars[..chars.len() - 1].iter().collect(),
                    _ => word.to_string(),
                };
                text.push_str(&piece);
                text.push_str(["", "为", "，其中"][filler]);
            }
            let subject = v.find_subject(&text).map(|(s, e, _)| (s, &text[s..e]));
            let expected = last_longest(&text, v.aliases.iter().map(|(a, _)| a.as_str()));
            proptest::prop_assert_eq!(subject, expected);
            for kind in [Terms::All, Terms::Money, Terms::Points] {
                let found = v.last_term(&text, kind).map(|(t, s)| (s, t.text.as_str()));
                let expected = last_longest(
                    &text,
                    v.terms.iter().filter(|t| kind.wants(t.concept)).map(|t| t.text.as_str()),
                );
                proptest::prop_assert_eq!(found, expected);
            }
        }
    }

    #[test]
    fn unknown_ids_are_refused() {
        let bad = "[[concept]]\nid = \"x\"\nunit = \"money\"\nterms = []\n[[subject]]\nname=\"a\"\naliases=[]\n";
        assert!(
            Vocabulary::parse(bad)
                .unwrap_err()
                .contains("unknown concept")
        );
    }
}
#[cfg(test)]
mod variant_tests {
    #[test]
    fn variant_spellings_name_the_same_subject() {
        let v = super::builtin();
        for (text, name) in [
            ("公车购置及运行费", "公务用车购置及运行维护费"),
            ("公务用车购置和运维费", "公务用车购置及运行维护费"),
            ("公车运维费", "公务用车运行维护费"),
            ("公务用车运行维护费", "公务用车运行维护费"),
        ] {
            let found = v
                .find_subject(text)
                .map(|(a, b, s)| (a, b, s.name.as_str()));
            assert_eq!(found, Some((0, text.len(), name)), "{text}");
        }
    }

    #[test]
    fn variants_combine_without_repeats() {
        let variants = [
            super::VariantEntry {
                written: "公务用车".into(),
                also: vec!["公车".into()],
            },
            super::VariantEntry {
                written: "运行维护".into(),
                also: vec!["运维".into()],
            },
        ];
        let aliases = ["公务用车运行维护费".to_string(), "公车运维费".to_string()];
        assert_eq!(
            super::written_variants(&aliases, &variants),
            [
                "公务用车运行维护费",
                "公车运维费",
                "公车运行维护费",
                "公务用车运维费"
            ]
        );
    }
}
