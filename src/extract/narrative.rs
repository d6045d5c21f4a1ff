//! Narrative facts: which figure is what, of whom, and when.
//!
//! The text is cut into sentences (。！？ and line ends) and clauses (，；：、). A figure's
//! concept comes from the vocabulary term that ends nearest before it in its clause, with only
//! connecting words between ("年初预算为775.83万元"); rates come from their phrasing
//! ("完成年初预算数的114.00%", "执行率为98%"); scores from "X得分为N分", weights from "X(15分)"
//! or "满分15分"; grades from "等级为良好". A subject (三公经费, 公务接待费, a project) named in a
//! clause holds for the rest of the sentence; "其中" makes the subjects after it parts of the one
//! before it. Only this module reads narrative text; checks see the facts.

use super::normalize::{Normalized, normalize};
use super::numbers::{Figure, digit_figures, with_chinese_counts};
use super::scan::{lines_of, merged};
use super::vocab::{self, Vocabulary};
use crate::diagnostic::{Place, Source};
use crate::fact::{Concept, Fact, Located, Period};
use crate::quantity::{Quantity, Unit};
use crate::settings::Settings;
use regex::Regex;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub fn extract(src: &Arc<Source>, settings: &Settings) -> Vec<Fact> {
    let norm = normalize(&src.text);
    let headings = outline(&norm.text);
    let reader = Reader {
        text: &norm.text,
        vocab: settings.vocabulary(),
        figures: digit_figures(&norm.text),
        year: report_year(&norm.text),
        groups: score_groups(&headings),
        grades: grade_patterns(settings),
    };
    let mut drafts = reader.read();
    mark_subtotals(&mut drafts, &headings, norm.text.len());
    finish(drafts, &norm, src)
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

/// What the clauses of one sentence have established so far.
#[derive(Default, Clone)]
struct SentenceState {
    subject: String,
    part_of: Option<String>,
    indicator: Option<String>,
    /// The indicator named before 其中: scores after it are its sub-scores.
    parent_indicator: Option<String>,
    /// Whether the clause being read holds the 其中 (its scores are parts whatever their level).
    of_which_here: bool,
    /// The year the sentence's words last named ("2023年全年预算180万元，实际支出170万元": the
    /// 170 is 2023's too).
    period: Option<Period>,
    /// Whether a figure of the sentence has been read.
    read_any: bool,
    /// The concept of the last amount in the sentence: "公务接待费0.76万元" after "三公经费决算
    /// 3.76万元，其中" is a 决算 too.
    money_concept: Option<Concept>,
    /// The concept of the sentence's last points figure outside brackets (None when it was not
    /// understood): "综合得分92.5分，其中决策指标18分" lists scores, "总分100分，其中决策指标
    /// 20分" weights; "综合得分92分（满分100分），其中…" scores.
    outer_points: Option<Concept>,
    /// The indicator last given a score by name in the sentence.
    scored_indicator: Option<String>,
    /// Whether the last points figure was a weight in brackets: "决策（20分）18分".
    after_bracketed_weight: bool,
    /// The concept of the last points figure in brackets: a 其中 inside the same brackets lists
    /// its kind ("自评得分91分（总分100分，其中决策指标20分…）" lists weights).
    bracketed_points: Option<Concept>,
    /// Whether the sentence holds a 其中 (not only "X中，"): points are listed only after one.
    points_listed: bool,
}

impl<'a> Reader<'a> {
    fn read(&self) -> Vec<Draft> {
        // Sized up front, as the vectors below: growing them copies, and they hold about one
        // entry per figure, sentence or clause.
        let mut out = Vec::with_capacity(self.figures.len());
        let mut next_fig = 0;
        let mut last = SentenceState::default();
        let sentences = sentences(self.text);
        let continuing = continuing(self.text, &sentences);
        let continues = |si: usize| continuing.get(si).is_some_and(|&c| c != Continues::No);
        let mut this_continues = continues(0);
        // The whole of the list set out on the lines being read: each item is its part.
        let mut list_whole: Option<Option<String>> = None;
        for (si, &(s, e)) in sentences.iter().enumerate() {
            let first = next_fig;
            while next_fig < self.figures.len() && self.figures[next_fig].start < e {
                next_fig += 1;
            }
            let digit_figs = &self.figures[first..next_fig];
            let next_continues = continues(si + 1);
            if continuing.get(si) == Some(&Continues::AsItem)
                && let Some(whole) = &list_whole
            {
                if self.names_no_part_of(whole.as_deref(), &self.text[s..e]) {
                    // "基本支出300万元，其中：\n人员经费…；\n公用经费…；\n项目支出250万元。":
                    // 项目支出 is none of 基本支出's parts; the list has ended.
                    this_continues = false;
                    list_whole = None;
                } else {
                    last.part_of = whole.clone();
                }
            } else {
                list_whole = None;
            }
            let carried = this_continues.then_some(last);
            // A sentence without figures yields no facts; what it establishes matters only
            // when the next sentence continues it. Most prose is skipped here. So is a sentence
            // whose figures are only counts and bare numbers ("编制人数59人", "在“10.26世界环卫
            // 工人日”"), none of which is a fact, when it neither continues the one before (whose
            // amounts' kind it would carry on) nor opens a list.
            let opens = opens_list(&self.text[s..e]);
            let no_facts = !digit_figs.iter().any(|f| may_be_a_fact(f.unit));
            // Counts in Chinese numerals (三批次) are never facts either, and are looked for
            // only where the sentence is read whatever they are, or where they decide it.
            let with_counts;
            let figs = if no_facts && !next_continues && carried.is_none() && !opens {
                digit_figs
            } else {
                with_counts = with_chinese_counts(digit_figs, self.text, s..e);
                &with_counts[..]
            };
            let skipped = figs.is_empty() || (no_facts && carried.is_none() && !opens);
            last = if skipped && !next_continues {
                SentenceState::default()
            } else {
                self.read_sentence(si, s, e, figs, carried, &mut out)
            };
            if opens {
                list_whole = Some(last.part_of.clone());
            }
            this_continues = next_continues;
            // "“三公”经费支出3.76万元。因公出国(境)费0万元，公务用车…": a sentence that opens
            // with a part (by the vocabulary) of the whole the last one stated lists its parts.
            if !this_continues
                && let Some(&(ns, ne)) = sentences.get(si + 1)
                && self.opens_with_part_of(&last, &self.text[ns..ne])
            {
                last.part_of = Some(last.subject.clone());
                this_continues = true;
            }
        }
        self.read_grades(&sentences, &mut out);
        out.sort_by_key(|d| d.sentence);
        out
    }

    /// Whether `sentence`'s first clause names a known subject that the vocabulary says is not
    /// a part of `whole` (whose parts it lists).
    fn names_no_part_of(&self, whole: Option<&str>, sentence: &str) -> bool {
        let Some(whole) = whole.and_then(|w| self.whole_with_parts(w)) else {
            return false;
        };
        self.first_clause_subject(sentence).is_some_and(|named| {
            named.part_of.as_ref() != Some(&whole.name) && !whole.parts.contains(&named.name)
        })
    }

    /// Whether `sentence`'s first clause names a part (by the vocabulary) of the money whole
    /// `last` was about.
    fn opens_with_part_of(&self, last: &SentenceState, sentence: &str) -> bool {
        if last.subject.is_empty() || last.money_concept.is_none() {
            return false;
        }
        let Some(whole) = self.whole_with_parts(&last.subject) else {
            return false;
        };
        self.first_clause_subject(sentence)
            .is_some_and(|part| part.part_of.as_ref() == Some(&whole.name))
    }

    /// The vocabulary's entry for `name` when it lists the parts of a whole (基本支出, 三公经费).
    fn whole_with_parts(&self, name: &str) -> Option<&'a vocab::SubjectEntry> {
        let vocab: &'a Vocabulary = self.vocab;
        vocab.subject(name).filter(|w| !w.parts.is_empty())
    }

    /// The known subject a sentence's first clause names.
    fn first_clause_subject(&self, sentence: &str) -> Option<&'a vocab::SubjectEntry> {
        let vocab: &'a Vocabulary = self.vocab;
        let first = sentence.split(['，', ',']).next().unwrap_or(sentence);
        vocab
            .find_subject(&clean_subject_text(first))
            .map(|(_, _, subject)| subject)
    }

    fn group_of(&self, offset: usize) -> usize {
        self.groups
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .map(|(_, g)| *g)
            .unwrap_or(0)
    }

    fn read_sentence(
        &self,
        si: usize,
        s: usize,
        e: usize,
        figs: &[Figure],
        carried: Option<SentenceState>,
        out: &mut Vec<Draft>,
    ) -> SentenceState {
        let respectively = self.respectively(s, e, figs);
        let mut st = SentenceState::default();
        // A sentence that opens with 其中 (or "基本支出中，") continues the previous sentence
        // (`carried`): its subject, indicator and concept.
        if let Some(last) = carried {
            st.subject = last.subject;
            st.indicator = last.indicator;
            st.money_concept = last.money_concept;
            st.outer_points = last.outer_points;
            // A list item on a line of its own is a part of what the list's first line named.
            st.part_of = last.part_of;
            st.period = last.period;
        }
        let mut fi = 0;
        let first_draft = out.len();
        for (cs, ce) in clauses(self.text, s, e, figs, |at| self.labels_figure(s, at, figs)) {
            let clause = &self.text[cs..ce];
            let first_fig = fi;
            while fi < figs.len() && figs[fi].start < ce {
                fi += 1;
            }
            let in_clause = &figs[first_fig..fi];
            let literal_of_which = find_of_which(clause);
            if let Some(pos) = literal_of_which {
                st.points_listed = true;
                // A 其中 inside brackets lists the kind of the bracket's own points.
                if in_open_brackets(&self.text[s..cs + pos]) {
                    st.outer_points = st.bracketed_points;
                }
            }
            let of_which = literal_of_which.or_else(|| {
                // "基本支出中，人员经费…": the clause names the whole the next ones are parts of.
                (in_clause.is_empty() && clause.ends_with('中') && clause.chars().count() <= 12)
                    .then(|| clause.len() - '中'.len_utf8())
            });
            st.of_which_here = of_which.is_some();
            if let Some(pos) = of_which {
                // Subjects named after 其中 are parts of the one named before it.
                let before = &clause[..pos];
                if let Some(subj) = self.explicit_subject(before, true) {
                    st.subject = subj;
                }
                st.part_of = Some(st.subject.clone());
                // "产出指标中，数量指标得分20分": the indicator named before 中 is the parent.
                let named = indicator_name(before);
                // Not a collective one: "各项指标中，", "在一级指标中，".
                let collective = named.starts_with('在')
                    || ["各", "一级", "二级", "三级", "共性", "个性"]
                        .iter()
                        .any(|w| named.contains(w));
                st.parent_indicator =
                    if !collective && (named.ends_with("指标") || is_first_level(&named)) {
                        Some(named)
                    } else {
                        st.indicator.clone()
                    };
            }
            if in_clause.is_empty() {
                // "(一)决策指标，权重20分，自评得分19分": a clause that only names an indicator
                // makes it the one the following scores and weights belong to.
                if let Some(name) = project_label(clause) {
                    // "1.农田水利建设项目，预算150万元，实际支出145万元；": the item's figures
                    // are the project's.
                    st.subject = name;
                } else if let Some(name) = indicator_label(clause) {
                    st.indicator = Some(name);
                }
            }
            let head_end = in_clause.first().map(|f| f.start).unwrap_or(ce);
            let head = &self.text[cs..head_end];
            let head = rfind_of_which(head).map_or(head, |i| &head[i + "其中".len()..]);
            // The whole named again after its parts' clause is the whole's again ("…，其中人员
            // 支出240万元，公用支出60万元；基本支出实际支出296万元").
            // "资金支出150万元" speaks of the funds of whatever the sentence is about, the project
            // or a fund named before ("中央资金预算120万元，资金支出120万元"). In a 其中 list
            // it stays a name of its own, as which of the parts it means is unclear.
            let generic_funds = |s: &String| matches!(s.as_str(), "资金" | "项目资金");
            if let Some(subj) = self
                .explicit_subject(head, !in_clause.is_empty())
                .filter(|s| !st.of_which_here || st.part_of.as_deref() != Some(s.as_str()))
                .filter(|s| st.part_of.is_some() || !generic_funds(s))
            {
                st.subject = subj;
            } else if let Some(whole) = &st.part_of
                && !st.of_which_here
                && self.text[..cs].ends_with(['；', ';'])
                && self.money_term(head).is_some()
            {
                // After a ； that ends a 其中 list, an amount naming no part is the whole's again
                // ("…，其中基本支出300万元，项目支出200万元；实际支出480万元").
                st.subject = whole.clone();
            }
            let mut prev_end = cs;
            for f in in_clause {
                let prefix_start = prev_end;
                let prefix = &self.text[prev_end..f.start];
                let after = &self.text[f.end..ce];
                prev_end = f.end;
                let assigned = respectively.get(&f.start).cloned();
                // A later figure of the clause with a known subject named right before it (or
                // before its concept word) is that subject's: "人员经费250万元和公用经费40万元".
                let named = if prefix_start != cs && assigned.is_none() && f.unit.is_money() {
                    self.subject_right_before(prefix)
                } else {
                    None
                };
                let classified = self.classify(si, f, prefix, after, assigned, &mut st);
                st.read_any = true;
                if let Some(mut d) = classified {
                    if let Some(subject) = named {
                        d.part_of = st.part_of.clone().filter(|p| *p != subject);
                        d.subject = subject;
                    }
                    // "其中基本支出300万元（人员经费250万元，公用经费50万元）": a part whose
                    // own whole (by the vocabulary) was just stated is that whole's part.
                    if let Some(whole) = self
                        .vocab
                        .subject(&d.subject)
                        .and_then(|e| e.part_of.as_ref())
                        && d.part_of.as_ref().is_some_and(|p| p != whole)
                        && out[first_draft..]
                            .iter()
                            .any(|o| o.subject == *whole && o.figure.unit.is_money())
                    {
                        d.part_of = Some(whole.clone());
                    }
                    if d.figure.unit.is_money() && d.concept != Concept::Change {
                        st.money_concept = Some(d.concept);
                    }
                    out.push(d);
                }
            }
        }
        st
    }

    /// Whether the colon at `at` stands between a label and its figure ("年初预算数：600万元",
    /// "综合得分：92.5分", "预算执行率：80%"): a figure follows it (after spaces), and the words
    /// before it, in the sentence from `s`, end with a concept term or a rate word (and perhaps
    /// connecting words: "年初预算数为："). Such a colon
    /// does not cut the clause, so the figure is read with its label as after 为.
    fn labels_figure(&self, s: usize, at: usize, figs: &[Figure]) -> bool {
        let after = &self.text[at + 1..];
        let next = at + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
        if !figs.iter().any(|f| f.start == next) {
            return false;
        }
        let label = &self.text[s..at];
        // "年初预算数为：" as well: the term may be followed by connecting words.
        label.trim_end_matches(['为', '是']).ends_with('率')
            || self.nearest_term(label, vocab::Terms::All).is_some()
    }

    /// Whether the concept term at `term_start` (of `term_len` bytes) in `prefix` is the end of
    /// a known subject's name that starts before it: 支出 in "其中基本支出".
    fn names_the_part(&self, prefix: &str, term_start: usize, term_len: usize) -> bool {
        let upto = &prefix[..term_start + term_len];
        self.vocab
            .find_subject(upto)
            .is_some_and(|(start, end, _)| end == upto.len() && start < term_start)
    }

    /// The known subject named at the end of `prefix`, or before a money concept word that
    /// ends it: "和公用经费", "和公用经费决算为".
    fn subject_right_before(&self, prefix: &str) -> Option<String> {
        let named = clean_subject_text(prefix);
        let (_, end, subject) = self.vocab.find_subject(&named)?;
        let rest = &named[end..];
        let adjacent = is_connector(rest) || self.money_term(rest).is_some_and(|(_, at)| at == 0);
        adjacent.then(|| subject.name.clone())
    }

    fn classify(
        &self,
        si: usize,
        f: &Figure,
        prefix: &str,
        after: &str,
        assigned: Option<(Option<Concept>, bool, Option<String>)>,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        if !may_be_a_fact(f.unit) {
            return None;
        }
        let mut draft = Draft {
            concept: Concept::Actual,
            subject: st.subject.clone(),
            part_of: None,
            period: Period::Current,
            figure: f.clone(),
            negative: false,
            base: None,
            word: None,
            sentence: si,
            group: self.group_of(f.start),
        };
        if st.part_of.as_deref().is_some_and(|p| p != st.subject) {
            draft.part_of = st.part_of.clone();
        }
        match f.unit {
            u if u.is_money() => {
                if let Some(sign) = change_word_at_end(prefix) {
                    draft.concept = Concept::Change;
                    draft.negative = sign;
                } else if let Some((concept, negative, subject)) = assigned {
                    draft.concept = concept.or(st.money_concept)?;
                    draft.negative = negative;
                    if let Some(s) = subject {
                        draft.subject = s;
                    }
                } else if let Some((term, term_start)) = self.money_term(prefix) {
                    // Income is not read: "收入决算500万元" is no spending.
                    if names_income(&prefix[..term_start]) {
                        return None;
                    }
                    draft.concept = term.concept;
                    draft.negative = term.negative;
                    // A part of a stated whole is of the whole's kind when its own concept word
                    // only names the part: "全年预算500万元，其中基本支出300万元" (支出 is in
                    // 基本支出's name), "…，其中基本支出预算300万元" (a plain 预算).
                    if draft.part_of.is_some()
                        && let Some(whole) = st.money_concept
                        && (self.names_the_part(prefix, term_start, term.text.len())
                            || (term.concept == Concept::Budget && whole.is_budget()))
                    {
                        draft.concept = whole;
                    }
                    draft.period = self.period_in_sentence(&prefix[..term_start], st);
                } else {
                    // A new subject with no concept word of its own takes the sentence's last
                    // concept, but only when the subject is named right before the figure.
                    let concept = st.money_concept?;
                    let named = clean_subject_text(prefix);
                    if let Some((_, end, _)) = self.vocab.find_subject(&named) {
                        if !is_connector(&named[end..]) {
                            return None;
                        }
                    } else {
                        // After 其中, a named fund or project is a part: "其中：中央补助资金800万元".
                        let name = strip_generic(named.trim_start_matches("其中"));
                        if st.part_of.is_none() || !is_project_like(name) {
                            return None;
                        }
                        draft.subject = name.to_string();
                        draft.part_of = st.part_of.clone();
                    }
                    draft.concept = concept;
                }
            }
            Unit::Percent => {
                if let Some(sign) = change_word_at_end(prefix) {
                    draft.concept = Concept::ChangeRate;
                    draft.negative = sign;
                } else {
                    let base = rate_base(prefix)?;
                    draft.concept = Concept::Rate;
                    draft.base = Some(base);
                    draft.period = self.period_in_sentence(prefix, st);
                }
            }
            Unit::Points => {
                let d = match assigned {
                    // "决策、过程…指标分别得18分、19分…"
                    Some((Some(concept @ (Concept::Score | Concept::Weight)), _, Some(name))) => {
                        draft.concept = concept;
                        draft.subject = name;
                        draft.part_of = None;
                        Some(draft)
                    }
                    _ => self.classify_points(draft, prefix, after, st),
                };
                let concept = d.as_ref().map(|d| d.concept);
                // A bracketed figure is a note on the one before it ("18分（满分20分）").
                let bracketed = prefix.rfind('(') > prefix.rfind(')');
                if bracketed {
                    st.bracketed_points = concept;
                } else {
                    st.outer_points = concept;
                }
                st.after_bracketed_weight = bracketed && concept == Some(Concept::Weight);
                return d;
            }
            _ => return None,
        }
        Some(draft)
    }

    fn classify_points(
        &self,
        mut draft: Draft,
        prefix: &str,
        after: &str,
        st: &mut SentenceState,
    ) -> Option<Draft> {
        draft.part_of = None;
        draft.subject = String::new();
        // "总分90分及以上者为优秀", "80至89分": a band's bound, not a score.
        let rest = after.trim_start();
        if [
            "以上",
            "以下",
            "及以上",
            "及以下",
            "(含)",
            "至",
            "—",
            "~",
            "～",
        ]
        .iter()
        .any(|w| rest.starts_with(w))
        {
            return None;
        }
        let trimmed = prefix.trim_end();
        // "项目实施程序(15分)": a weight in brackets after the indicator's name.
        if let Some(name) = trimmed.strip_suffix('(') {
            if after.trim_start().starts_with(')') {
                let name = indicator_name(name);
                draft.concept = Concept::Weight;
                draft.subject = name.clone();
                if !name.is_empty() {
                    st.indicator = Some(name);
                }
                return Some(draft);
            }
            return None;
        }
        let (term, term_start) = match self.points_term(prefix) {
            Some(t) => t,
            None if !trimmed.ends_with('得') => return listed_points(draft, trimmed, st),
            None => {
                // "产出指标得8分"
                let stem = trimmed.strip_suffix('得')?;
                static DE: OnceLock<vocab::Term> = OnceLock::new();
                let de = DE.get_or_init(|| vocab::Term {
                    text: "得".into(),
                    concept: Concept::Score,
                    negative: false,
                });
                (de, stem.len())
            }
        };
        let gap = &prefix[term_start + term.text.len()..];
        if gap.contains('扣') || prefix[..term_start].ends_with('扣') {
            return None;
        }
        // A 分别 list not read as one ("…资产管理指标分别得9分、…") names no indicator here.
        if prefix[..term_start].trim_end().ends_with("分别") {
            return None;
        }
        let raw_name = &prefix[..term_start];
        let name = indicator_name(raw_name);
        match term.concept {
            // "总分100分" states full marks, not the score obtained.
            Concept::TotalScore
                if term.text == "总分" && draft.figure.value == Decimal::ONE_HUNDRED =>
            {
                draft.concept = Concept::Weight;
            }
            // "产出指标自评分45分": after an indicator's name a total word is its score.
            Concept::TotalScore if !name.ends_with("指标") || names_the_whole(&name, raw_name) => {
                draft.concept = Concept::TotalScore
            }
            Concept::Weight => {
                draft.concept = Concept::Weight;
                if name.is_empty() {
                    draft.subject = st.indicator.clone().unwrap_or_default();
                } else {
                    draft.subject = name.clone();
                    st.indicator = Some(name);
                }
            }
            _ => {
                let total_words = ["自评", "综合", "最终", "总"];
                if names_a_year(&name) {
                    // "上年自评得分88分，本年自评得分91分": a year's total, not an indicator's.
                    draft.concept = Concept::TotalScore;
                    draft.period = self.period(raw_name);
                } else if !name.is_empty() && names_the_whole(&name, raw_name) {
                    draft.concept = Concept::TotalScore;
                } else if name.is_empty() {
                    // "决策指标得分18分，过程指标得分19分，自评得分90分": once the indicator has
                    // its score, a total word names the report's.
                    let scored = st.indicator.is_some() && st.indicator == st.scored_indicator;
                    if scored && total_words.iter().any(|w| raw_name.contains(w)) {
                        draft.concept = Concept::TotalScore;
                    } else if let Some(ind) = &st.indicator {
                        draft.concept = Concept::Score;
                        draft.subject = ind.clone();
                    } else if total_words.iter().any(|w| raw_name.contains(w)) {
                        draft.concept = Concept::TotalScore;
                    } else {
                        return None;
                    }
                } else {
                    draft.concept = Concept::Score;
                    draft.subject = name.clone();
                    st.scored_indicator = Some(name.clone());
                    // A first-level indicator after another one's parts is its sibling: the
                    // 其中 list has ended ("…时效指标得分10分；效益指标得分28分").
                    // Named right after 其中, it is a part all the same ("效益指标得分19分，其中
                    // 满意度指标得分9分": 满意度 is under 效益 in the department template).
                    if !st.of_which_here
                        && st
                            .parent_indicator
                            .as_ref()
                            .is_some_and(|p| is_first_level(p) && is_first_level(&name))
                    {
                        st.parent_indicator = None;
                    }
                    if st.parent_indicator.as_ref().is_some_and(|p| *p != name) {
                        draft.part_of = st.parent_indicator.clone();
                    }
                    st.indicator = Some(name);
                }
            }
        }
        Some(draft)
    }

    /// The money concept term ending nearest before a figure, if only connecting words follow
    /// it. Returns the term and its start in `prefix`.
    fn money_term(&self, prefix: &str) -> Option<(&'a vocab::Term, usize)> {
        self.nearest_term(prefix, vocab::Terms::Money)
    }

    fn points_term(&self, prefix: &str) -> Option<(&'a vocab::Term, usize)> {
        self.nearest_term(prefix, vocab::Terms::Points)
    }

    fn nearest_term(&self, prefix: &str, kind: vocab::Terms) -> Option<(&'a vocab::Term, usize)> {
        let vocab: &'a Vocabulary = self.vocab;
        let (term, pos) = vocab.last_term(prefix, kind)?;
        let gap = &prefix[pos + term.text.len()..];
        is_connector(gap).then_some((term, pos))
    }

    /// A subject named in a clause head: a known subject anywhere, else (when the clause states
    /// a figure) the words before the concept term, unless they only name the reporting body.
    fn explicit_subject(&self, head: &str, with_figure: bool) -> Option<String> {
        let cleaned = clean_subject_text(head);
        if let Some((_, _, s)) = self.vocab.find_subject(&cleaned) {
            return Some(s.name.clone());
        }
        if !with_figure {
            return None;
        }
        let (_, term_start) = self.nearest_term(head, vocab::Terms::All)?;
        let before = clean_subject_text(&head[..term_start]);
        let before = strip_generic(&before);
        if before.chars().count() < 2 {
            return None;
        }
        let bare = matches!(before, "项目" | "部门" | "单位" | "项目整体" | "部门整体");
        if bare || is_reporting_body(before) || names_the_whole(before, before) {
            return Some(String::new());
        }
        is_project_like(before).then(|| before.to_string())
    }

    /// The year of a figure whose words before it are `text`: the one they name; else the
    /// year another figure's words in the sentence wrote in digits ("2023年全年预算180万元，实际
    /// 支出170万元": the 170 is 2023's), or the sentence's first figure's words named ("上年同期
    /// 全年预算180万元，实际支出170万元"); else this year. Relative words (上年, 同期) before a
    /// later figure name only that figure's year ("本年支出550万元，上年支出500万元，全年预算600
    /// 万元": the 600 is this year's).
    fn period_in_sentence(&self, text: &str, st: &mut SentenceState) -> Period {
        match self.named_period(text) {
            Some(p) => {
                let holds = !st.read_any || text.bytes().any(|b| b.is_ascii_digit());
                st.period = holds.then_some(p);
                p
            }
            None => st.period.unwrap_or(Period::Current),
        }
    }

    /// The year words name, if they name one (本年 and 2024年 name this year).
    fn named_period(&self, text: &str) -> Option<Period> {
        if text.contains('年') {
            Some(self.period(text))
        } else {
            has_same_period(text).then_some(Period::Previous)
        }
    }

    /// The year the words before a figure's concept put it in, relative to the report's year.
    fn period(&self, text: &str) -> Period {
        // 同期 means last year's; every other word and year below holds 年, so they are read
        // around each 年: 上年(度), 上一年, 去年 (last year), 明年, 下一年, 下年度 (next).
        if has_same_period(text) {
            return Period::Previous;
        }
        if !text.contains('年') {
            return Period::Current;
        }
        let nian = || text.match_indices('年').map(|(i, _)| i);
        let before = |i: usize, w: &str| text[..i].ends_with(w);
        if nian().any(|i| before(i, "上") || before(i, "去") || before(i, "上一")) {
            return Period::Previous;
        }
        if nian().any(|i| {
            before(i, "明")
                || before(i, "下一")
                || (before(i, "下") && text[i..].starts_with("年度"))
        }) {
            return Period::Next;
        }
        let Some(year) = self.year else {
            return Period::Current;
        };
        // A year is written in digits; most words with 年 (年度, 年初) hold none.
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return Period::Current;
        }
        match years_written(text).last() {
            Some((_, y)) if y < year => Period::Previous,
            Some((_, y)) if y > year => Period::Next,
            _ => Period::Current,
        }
    }

    /// "A、B、C分别为x、y、z": which figure gets which concept or subject.
    fn respectively(
        &self,
        s: usize,
        e: usize,
        figs: &[Figure],
    ) -> HashMap<usize, (Option<Concept>, bool, Option<String>)> {
        let sentence = &self.text[s..e];
        let Some(pos) = find_word(sentence, RESPECTIVELY, false) else {
            return HashMap::new();
        };
        // Points lists wherever their 分别 is; money ones after the first.
        let mut out = respectively_points(self.text, s, e, figs);
        let abs = s + pos;
        let (list, items) = respectively_list(sentence, pos);
        if items.len() < 2 {
            return out;
        }
        let after = listed_figures(self.text, s, abs, figs);
        if after.len() < items.len() || after[0].unit == Unit::Points {
            return out;
        }
        let shared = self.nearest_term_anywhere(list);
        for (item, f) in items.iter().zip(after) {
            // Income is not read ("收入决算和支出决算分别为500万元、480万元").
            if self
                .vocab
                .last_term(item, vocab::Terms::Money)
                .is_some_and(|(_, at)| names_income(&item[..at]))
            {
                continue;
            }
            let own = self.nearest_term_anywhere(item);
            let subject = self
                .vocab
                .find_subject(&clean_subject_text(item))
                .map(|(_, _, s)| s.name.clone());
            // No concept word in the list: the figures take the sentence's concept so far
            // ("三公经费决算数为5.55万元，因公出国(境)费、…分别为…").
            match own.clone().or_else(|| shared.clone()) {
                // An item names its own subject even when a concept word is part of the name
                // ("基本支出和项目支出分别为…": 支出 is one).
                Some(t) => {
                    out.insert(f.start, (Some(t.concept), t.negative, subject));
                }
                None if subject.is_some() => {
                    out.insert(f.start, (None, false, subject));
                }
                None => {}
            }
        }
        out
    }

    fn nearest_term_anywhere(&self, text: &str) -> Option<vocab::Term> {
        let (term, _) = self.vocab.last_term(text, vocab::Terms::Money)?;
        Some(term.clone())
    }

    /// Grades, in one pass over the text: the pattern cannot cross a line end, and its words
    /// hold no sentence-ending punctuation, so each match lies within one sentence.
    fn read_grades(&self, sentences: &[(usize, usize)], out: &mut Vec<Draft>) {
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
        for level in ["等级", "等次", "档次"] {
            for at in memchr::memmem::find_iter(self.text.as_bytes(), level.as_bytes()) {
                before.extend(grade_before(self.text, at, &self.grades.words));
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
                word: Some(self.text[start..end].to_string()),
                sentence: si,
                group: self.group_of(start),
            });
        }
    }
}

/// Whether a figure in this unit can be read as a fact: amounts, rates and points can; counts
/// and bare numbers (indicator values, "10.26") cannot. `classify` reads no other, and
/// `Reader::read` skips sentences that hold no other.
fn may_be_a_fact(unit: Unit) -> bool {
    unit.is_money() || matches!(unit, Unit::Percent | Unit::Points)
}

/// Whether a text holds 同期 ("the same period", last year's): found from its first char, which
/// is cheaper than a substring searcher for the short texts before figures.
fn has_same_period(text: &str) -> bool {
    text.match_indices('同')
        .any(|(i, _)| text[i + '同'.len_utf8()..].starts_with('期'))
}

/// Whether the text before "为优秀等级" ends as a description of the grade bands does:
/// "90分（含）以上", "60分以下", "80—90分", "不足60分".
fn describes_band(before: &str) -> bool {
    // "90分以上的为优秀等级", "90分及以上者为优秀等次".
    let before = before.trim_end();
    let before = before.strip_suffix(['的', '者']).unwrap_or(before);
    before.ends_with(|c: char| c.is_ascii_digit() || matches!(c, ')' | '）'))
        || ["以上", "以下", "分", "以内", "之间", "不足", "低于", "高于"]
            .iter()
            .any(|w| before.ends_with(w))
}

/// Words that may stand between a concept term and its figure.
fn is_connector(gap: &str) -> bool {
    const FILLERS: &[&str] = &[
        "人民币",
        "共计",
        "合计",
        "总计",
        "达到",
        "金额",
        "资金",
        "安排",
        "为",
        "是",
        "达",
        "共",
        "约",
        "计",
        "了",
        "额",
        "数",
        ":",
        " ",
        "\t",
        "总",
        "的",
    ];
    let mut rest = gap;
    'outer: while !rest.is_empty() {
        for f in FILLERS {
            if let Some(r) = rest.strip_prefix(f) {
                rest = r;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// "比上年增加" → Some(false), "较上年减少" → Some(true) (negative); None if the prefix does
/// not end with a change word.
fn change_word_at_end(prefix: &str) -> Option<bool> {
    let p = prefix.trim_end();
    let p = p.strip_suffix('了').unwrap_or(p);
    let p = p.strip_suffix('约').unwrap_or(p);
    const UP: &[&str] = &["增加", "增长", "上升", "提高", "增幅为", "增幅", "多"];
    const DOWN: &[&str] = &[
        "减少",
        "下降",
        "降低",
        "下滑",
        "减幅为",
        "降幅",
        "少",
        "节约",
    ];
    // Whether the prefix compares with something: asked only of prefixes ending in a change
    // word, since most end otherwise.
    let compared = || {
        ["比", "较", "同比", "环比", "相比"]
            .iter()
            .any(|w| p.contains(w))
    };
    if UP.iter().any(|w| p.ends_with(w)) && (p.ends_with("增长") || compared()) {
        return Some(false);
    }
    if DOWN.iter().any(|w| p.ends_with(w)) && (p.ends_with("下降") || compared()) {
        return Some(true);
    }
    None
}

/// The base a percentage is a rate of, from its phrasing; None if it is not a budget rate.
fn rate_base(prefix: &str) -> Option<Concept> {
    static DONE: OnceLock<Regex> = OnceLock::new();
    static EXEC: OnceLock<Regex> = OnceLock::new();
    let done = DONE.get_or_init(|| {
        Regex::new(r"完成(?:了)?([^，,；;:]{0,16}?)(?:的|之)?\s*$").expect("valid regex")
    });
    let exec = EXEC.get_or_init(|| {
        Regex::new(r"(预算执行率|执行率|完成率)(?:为|是|达到|达|:|约)*\s*$").expect("valid regex")
    });
    if let Some(c) = done
        .captures(prefix)
        .filter(|c| !c.get(1).is_some_and(|m| m.as_str().starts_with('率')))
    {
        let what = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if what.contains("年初") {
            return Some(Concept::InitialBudget);
        }
        if what.contains("全年") || what.contains("调整后") {
            return Some(Concept::FullYearBudget);
        }
        if what.contains("预算") {
            return Some(Concept::Budget);
        }
        return None;
    }
    let c = exec.captures(prefix)?;
    // Another kind of execution: "政府采购执行率", "合同执行率", "计划执行率".
    let qualifier = &prefix[..c.get(0).map_or(0, |m| m.start())];
    let other = ["采购", "合同", "计划", "任务", "目标", "工程", "进度"];
    if other.iter().any(|w| qualifier.ends_with(w)) {
        return None;
    }
    match c.get(1).map(|m| m.as_str()) {
        // 完成率 alone is often a task's (任务完成率); only money words make it a budget rate.
        Some("完成率") => ["预算", "资金", "支出", "经费"]
            .iter()
            .any(|w| prefix.contains(w))
            .then_some(Concept::Budget),
        _ => Some(Concept::FullYearBudget),
    }
}

/// An indicator's name from the words before 得分: without list markers, bracketed notes,
/// quotes and trailing evaluative words.
fn indicator_name(raw: &str) -> String {
    let raw = list_marker_len(raw).map_or(raw, |len| &raw[len..]);
    let mut s: String = if has_quote_or_space(raw) {
        raw.chars().filter(|&c| !is_quote_or_space(c)).collect()
    } else {
        raw.to_string()
    };
    // Drop bracketed notes such as (15分).
    while let (Some(a), Some(b)) = (s.find('('), s.find(')')) {
        if b < a {
            break;
        }
        s.replace_range(a..b + 1, "");
    }
    let mut name = s.trim_matches(|c: char| !c.is_alphanumeric());
    for w in ["其中", "的"] {
        name = name.strip_prefix(w).unwrap_or(name);
    }
    loop {
        let before = name.len();
        for w in ["自评", "评价", "最终", "综合", "实际", "的", "为"] {
            name = name.strip_suffix(w).unwrap_or(name);
        }
        if name.len() == before {
            break;
        }
    }
    name.to_string()
}

/// A points figure with no word of its own saying what it is, read from the sentence around it:
/// - in a 其中 list after a score or weight, a first-level indicator's (or a bonus item's) points
///   are of that kind:
///   "综合得分92.5分，其中决策指标18分，过程指标19分…" (scores), "总分100分，其中决策指标20分…"
///   (weights);
/// - right after an indicator's weight in brackets, its score: "决策（20分）18分".
fn listed_points(mut draft: Draft, prefix: &str, st: &mut SentenceState) -> Option<Draft> {
    if prefix.ends_with(')') {
        if !st.after_bracketed_weight {
            return None;
        }
        draft.concept = Concept::Score;
        draft.subject = st.indicator.clone().filter(|i| is_first_level(i))?;
        return Some(draft);
    }
    let name = indicator_name(prefix);
    let bonus = ["加分项", "附加分", "加分"].contains(&name.as_str());
    if !st.points_listed || st.part_of.is_none() || !(is_first_level(&name) || bonus) {
        return None;
    }
    draft.concept = match st.outer_points? {
        Concept::Score | Concept::TotalScore => Concept::Score,
        Concept::Weight if !bonus => Concept::Weight,
        _ => return None,
    };
    // Not made the sentence's indicator: "总分100分，其中决策指标20分…效益指标20分，自评得分92分"
    // ends with the report's score, not 效益指标's.
    draft.subject = name;
    Some(draft)
}

/// The figures after `from` in the sentence starting at `s`, but those in brackets, which are
/// notes on the one before ("18分（满分20分）、19分（满分20分）…").
fn listed_figures<'f>(text: &str, s: usize, from: usize, figs: &'f [Figure]) -> Vec<&'f Figure> {
    figs.iter()
        .filter(|f| f.start > from)
        .filter(|f| !in_open_brackets(&text[s..f.start]))
        .collect()
}

/// Whether `text` (a sentence up to some point) leaves a bracket open: the point is inside it.
fn in_open_brackets(text: &str) -> bool {
    text.matches('(').count() > text.matches(')').count()
}

/// The words before the 分别 at `pos` of `sentence`, from the clause mark before it, and the
/// items they list ("年初预算、调整后预算、决算分别为…").
fn respectively_list(sentence: &str, pos: usize) -> (&str, Vec<&str>) {
    let list_start = sentence[..pos]
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '，' | ',' | '；' | ';' | ':'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let list = &sentence[list_start..pos];
    let items = list
        .split(['、', '和', '及', '与'])
        .filter(|i| !i.trim().is_empty())
        .collect();
    (list, items)
}

/// Scores or weights of first-level indicators in 分别 lists: "决策、过程、产出、效益指标分别得
/// 18分、19分、36分、18.5分" (得 or 得分: scores; 分值, 权重 or 满分 named: weights). A later 分别
/// with no list of its own takes the last one's: "…的分值分别为20分、…，分别得分18分、…".
fn respectively_points(
    text: &str,
    s: usize,
    e: usize,
    figs: &[Figure],
) -> HashMap<usize, (Option<Concept>, bool, Option<String>)> {
    // An item's stem: without the subject before the first ("本项目决策") and the list's word
    // after the last ("…效益指标的分值").
    fn stem(item: &str) -> String {
        let mut s = item.trim();
        for w in [
            "本项目",
            "该项目",
            "项目",
            "本部门",
            "该部门",
            "部门",
            "本单位",
            "单位",
        ] {
            s = s.strip_prefix(w).unwrap_or(s);
        }
        for w in ["分值", "权重", "满分", "得分", "的"] {
            s = s.strip_suffix(w).unwrap_or(s);
        }
        s.trim_end_matches("指标").to_string()
    }
    let mut out = HashMap::new();
    let sentence = &text[s..e];
    let mut stems: Vec<String> = Vec::new();
    for pos in memchr::memmem::find_iter(sentence.as_bytes(), RESPECTIVELY) {
        let abs = s + pos;
        let (list, items) = respectively_list(sentence, pos);
        if items.len() >= 2 {
            stems = items.iter().map(|i| stem(i)).collect();
        } else {
            // Only a 分别 with nothing but score words before it ("，得分分别为") takes the
            // last list; one naming something else ("其中产出指标分别得分…") has its own.
            let rest = ["得分", "实际", "自评", "最终", "为"]
                .iter()
                .fold(list.trim().to_string(), |r, w| r.replace(w, ""));
            if !rest.is_empty() {
                stems.clear();
            }
        }
        if stems.len() < 2 || !stems.iter().all(|s| is_first_level(s)) {
            continue;
        }
        let mut after = listed_figures(text, s, abs, figs);
        after.truncate(stems.len());
        if after.len() < stems.len() || after.iter().any(|f| f.unit != Unit::Points) {
            continue;
        }
        let words = &text[abs..after[0].start];
        // The words around this 分别 say what the points are ("的分值分别为", "得分分别为").
        let named = |ws: &[&str]| ws.iter().any(|w| words.contains(w) || list.contains(w));
        let concept = if named(&["分值", "权重", "满分"]) {
            Concept::Weight
        } else if named(&["得"]) {
            Concept::Score
        } else {
            continue;
        };
        for (stem, f) in stems.iter().zip(after) {
            out.insert(f.start, (Some(concept), false, Some(format!("{stem}指标"))));
        }
    }
    out
}

/// Whether the words before a money concept word make it income ("收入决算"): income is not
/// read, as no check compares it.
fn names_income(before_term: &str) -> bool {
    before_term.ends_with("收入")
}

/// Whether an indicator is one of the first-level ones that are never another's part: 决策,
/// 过程, 产出, 效益. (满意度 is first-level in the project template but under 效益 in the
/// department one; 预算执行率 is first-level in one and under 过程 in the other.)
fn is_first_level(name: &str) -> bool {
    let stem = name.strip_suffix("指标").unwrap_or(name);
    matches!(stem, "决策" | "过程" | "产出" | "效益")
}

/// Whether an indicator name is only a year: 上年, 本年度, 2023年 ….
fn names_a_year(name: &str) -> bool {
    let stem = name.strip_suffix('度').unwrap_or(name);
    let Some(stem) = stem.strip_suffix('年') else {
        return false;
    };
    matches!(stem, "上" | "上一" | "去" | "本" | "当" | "今")
        || (stem.len() == 4 && stem.bytes().all(|b| b.is_ascii_digit()))
}

/// A clause that is only a numbered project's or fund's name: "1.农田水利建设项目".
fn project_label(clause: &str) -> Option<String> {
    // Cheap tests first: this runs on every figure-less clause.
    if !may_open_with_marker(clause) || !is_project_like(clause.trim_end_matches([':', '：'])) {
        return None;
    }
    let marker = list_marker_len(clause)?;
    let name = clean_subject_text(&clause[marker..]);
    let name = name.trim_end_matches([':', '：']);
    let generic = ["资金", "项目资金", "专项资金", "项目", "本项目", "其他"];
    let fits = (2..=20).contains(&name.chars().count())
        && !name.bytes().any(|b| b.is_ascii_digit())
        && !generic.contains(&name)
        && is_project_like(name);
    fits.then(|| name.to_string())
}

/// A clause that is only an indicator's name: a numbered label ("(一)决策指标") or a short name
/// ending in 指标.
fn indicator_label(clause: &str) -> Option<String> {
    // A name ending in 指标 needs both chars; most clauses neither open with a marker nor hold
    // them, and need no name.
    let may_mark = may_open_with_marker(clause);
    let may_end_in_zhibiao = clause.contains('指') && clause.contains('标');
    if !(may_mark || may_end_in_zhibiao) {
        return None;
    }
    let name = indicator_name(clause);
    let len = name.chars().count();
    let labelled = (may_mark && list_marker_len(clause).is_some()) || name.ends_with("指标");
    (labelled && (2..=16).contains(&len) && !name.contains(['。', '，'])).then_some(name)
}

/// The length of the list marker opening a line or clause ("1." "1、" "(1)" "一、" "(一)"), with
/// the spaces around it: what the pattern in the test matches. Read by hand, as it runs for
/// indicator names and labels.
fn list_marker_len(text: &str) -> Option<usize> {
    let (_, after) = opening_marker(text.trim_start())?;
    Some(text.len() - after.trim_start().len())
}

/// The list marker `text` opens with, by level — "一、" 1, "(一)" 2, "1." or "1、" 3, "(1)" 4 —
/// and the text after it: what section headings (`heading_level`) and list markers
/// (`list_marker_len`) are made of.
fn opening_marker(text: &str) -> Option<(u8, &str)> {
    /// What follows one or two ASCII digits opening `s`.
    fn after_digits(s: &str) -> Option<&str> {
        let after = s.trim_start_matches(|c: char| c.is_ascii_digit());
        (1..=2).contains(&(s.len() - after.len())).then_some(after)
    }
    if let Some(inner) = text.strip_prefix('(') {
        let cjk = inner.trim_start_matches(is_cjk_digit);
        if cjk.len() < inner.len() {
            Some((2, cjk.strip_prefix(')')?))
        } else {
            Some((4, after_digits(inner)?.strip_prefix(')')?))
        }
    } else {
        let cjk = text.trim_start_matches(is_cjk_digit);
        if cjk.len() < text.len() {
            Some((1, cjk.strip_prefix('、')?))
        } else {
            Some((3, after_digits(text)?.strip_prefix(['.', '、'])?))
        }
    }
}

/// Whether `c` is one of the Chinese numerals list markers count with (一、, (二), 三是).
fn is_cjk_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Whether a text opens (after spaces) with a char a list marker can open with: a cheap test
/// before the marker patterns, since most text opens otherwise.
fn may_open_with_marker(text: &str) -> bool {
    text.trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '(' || is_cjk_digit(c))
}

/// `name` without the years it writes ("2023年", "2023年度").
fn without_years(name: &str) -> String {
    let mut rest = String::with_capacity(name.len());
    let mut kept = 0;
    for (nian, _) in years_written(name) {
        rest.push_str(&name[kept..nian - 4]);
        let after = nian + "年".len();
        kept = after + name[after..].strip_prefix('度').map_or(0, |_| "度".len());
    }
    rest.push_str(&name[kept..]);
    rest
}

/// Whether the words before 得分 only name the evaluated object itself (本项目, 该单位,
/// 我局2023年度部门整体支出绩效, 各项指标), so that the score is the total. `raw` is the text
/// before 得分 as written: a total word there (自评, 综合, 总, 整体) or a 本/该/我 in front is
/// needed, so that an indicator such as 项目绩效 stays an indicator.
fn names_the_whole(name: &str, raw: &str) -> bool {
    const WHOLE: &[&str] = &[
        "各项指标",
        "各指标",
        "全部指标",
        "所有指标",
        "部门整体",
        "项目整体",
        "整体",
        "支出",
        "绩效",
        "部门",
        "单位",
        "项目",
        "评价",
        "年度",
        "本级",
        "指标",
        "各项",
        "局",
        "委",
        "厅",
        "办",
        "院",
        "中心",
        "站",
        "所",
        "次",
    ];
    let own = name.starts_with(['本', '该', '我']);
    let mut rest = without_years(name);
    rest = rest.trim_start_matches(['本', '该', '我']).to_string();
    loop {
        let before = rest.len();
        for w in WHOLE {
            if let Some(r) = rest.strip_prefix(w) {
                rest = r.to_string();
            }
        }
        if rest.len() == before {
            break;
        }
    }
    let total_word = ["自评", "综合", "总", "整体", "各项", "指标"]
        .iter()
        .any(|w| raw.contains(w));
    rest.is_empty() && (own || total_word)
}

/// Whether a text holds a quote or a space (`is_quote_or_space`), tested on bytes: the quotes
/// are E2 80 98–9D and E3 80 8C–8D, and their second byte is never a lead byte.
fn has_quote_or_space(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'"' | b'\'' | b' ' | b'\t' => true,
        0xE2 => matches!(
            bytes.get(i + 1..i + 3),
            Some([0x80, 0x98 | 0x99 | 0x9C | 0x9D])
        ),
        0xE3 => matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x8C | 0x8D])),
        _ => false,
    })
}

fn is_quote_or_space(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | ' ' | '\t'
    )
}

/// Subject text without quotes, spaces and leading dates; borrowed when nothing is dropped
/// from inside it.
fn clean_subject_text(s: &str) -> Cow<'_, str> {
    let s: Cow<'_, str> = if has_quote_or_space(s) {
        Cow::Owned(s.chars().filter(|&c| !is_quote_or_space(c)).collect())
    } else {
        Cow::Borrowed(s)
    };
    let dropped = lead_len(&s);
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(&b[dropped..]),
        Cow::Owned(o) => Cow::Owned(o[dropped..].to_string()),
    }
}

/// The length of what the pattern `^(?:[0-9]{1,2}[.、]|\([0-9]{1,2}\))?(?:[0-9]{4}年度?|本年度|
/// 本年|全年|年度)?` matches at the start of a subject: a list number, then a year. Read by hand,
/// since this runs for every clause head (tested against the pattern).
fn lead_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let digits_from = |i: usize| {
        bytes
            .get(i..)
            .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let number = digits_from(0);
    let mut at = if (1..=2).contains(&number) && bytes.get(number) == Some(&b'.') {
        number + 1
    } else if (1..=2).contains(&number) && s[number..].starts_with('、') {
        number + '、'.len_utf8()
    } else if bytes.first() == Some(&b'(')
        && (1..=2).contains(&digits_from(1))
        && bytes.get(1 + digits_from(1)) == Some(&b')')
    {
        digits_from(1) + 2
    } else {
        0
    };
    let rest = &s[at..];
    if digits_from(at) >= 4 && rest[4..].starts_with('年') {
        at += 4 + '年'.len_utf8();
        if s[at..].starts_with('度') {
            at += '度'.len_utf8();
        }
    } else if let Some(w) = ["本年度", "本年", "全年", "年度"]
        .into_iter()
        .find(|w| rest.starts_with(w))
    {
        at += w.len();
    }
    at
}

/// Drops generic words that name no subject (支出, 本部门 …).
fn strip_generic(s: &str) -> &str {
    let mut s = s;
    loop {
        let before = s.len();
        for w in ["本部门", "本单位", "我单位", "我部门", "部门整体", "整体"] {
            s = s.strip_prefix(w).unwrap_or(s);
        }
        for w in [
            "支出",
            "的",
            "经费支出",
            "财政",
            "总体",
            "情况",
            "年度",
            "全年",
        ] {
            s = s.strip_suffix(w).unwrap_or(s);
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Whether words name the reporting body itself (a department), so its figures are the
/// report's own.
fn is_reporting_body(s: &str) -> bool {
    const ORG: &[&str] = &[
        "会", "局", "委", "厅", "院", "处", "办", "中心", "站", "所", "馆", "部", "队", "校",
        "政府", "单位", "部门", "公司", "室", "社", "团", "联",
    ];
    ORG.iter().any(|w| s.ends_with(w))
}

/// Whether words name a fund, project, activity or expense category (职工疗休养项目, 送温暖专项
/// 资金, 培训).
fn is_project_like(s: &str) -> bool {
    // An expense category names its own spending too ("培训支出8万元" is not the body's).
    const SUFFIX: &[&str] = &[
        "项目", "资金", "经费", "费", "工程", "活动", "专项", "补助", "补贴", "奖励", "基金",
        "培训", "会议", "宣传", "印刷", "差旅", "维修", "慰问", "购置", "运维", "采购",
    ];
    // "其他支出0万元" in a list of items is the rest's, not the whole's.
    s == "其他" || SUFFIX.iter().any(|w| s.ends_with(w))
}

/// A year written in digits: what `years_written` finds by hand, and the tests hold it to.
#[cfg(test)]
fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"((?:19|20)[0-9]{2})年").expect("valid regex"))
}

/// The year the report is about: the year most often written as "YYYY年", weighed by
/// `year_weight` (年度 and the title count more, a plan's year not at all); on a tie, the
/// earlier year.
fn report_year(text: &str) -> Option<u32> {
    let title = title_range(text);
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for (at, y) in years_written(text) {
        let weight = year_weight(text, at, &title);
        if weight > 0 {
            *counts.entry(y).or_default() += weight;
        }
    }
    // On a tie the earlier year: the other years a report names are mostly after its fiscal
    // year (plans, "截至2025年3月").
    counts
        .into_iter()
        .max_by_key(|&(y, n)| (n, std::cmp::Reverse(y)))
        .map(|(y, _)| y)
}

/// The years written as "YYYY年" in `text` (what `year_re` matches), with where their 年 is:
/// found from each 年, whose four bytes before are 19xx or 20xx. (Matches cannot overlap, since
/// 年 is no digit.)
fn years_written(text: &str) -> impl Iterator<Item = (usize, u32)> + '_ {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, "年".as_bytes()).filter_map(move |at| {
        let digits = bytes.get(at.checked_sub(4)?..at)?;
        let year = (digits.starts_with(b"19") || digits.starts_with(b"20"))
            && digits.iter().all(u8::is_ascii_digit);
        year.then(|| {
            (
                at,
                digits.iter().fold(0, |y, d| y * 10 + u32::from(d - b'0')),
            )
        })
    })
}

/// How much the year mention whose 年 is at `nian` says of the report's year: a 年度 (as in
/// budget sentences) 3, any other 1, four times as much in the title (`title`, a byte range), and
/// a plan's year ("2025年计划…", "2025年拟…") nothing.
fn year_weight(text: &str, nian: usize, title: &std::ops::Range<usize>) -> usize {
    let after_nian = &text[nian + "年".len()..];
    let after = after_nian.strip_prefix('度').unwrap_or(after_nian);
    if ["计划", "拟", "预计", "目标"]
        .iter()
        .any(|w| after.starts_with(w))
    {
        return 0;
    }
    let weight = if after.len() < after_nian.len() { 3 } else { 1 };
    if title.contains(&nian) {
        weight * 4
    } else {
        weight
    }
}

/// Where the report's title (`extract::title_line`) lies in `text`; empty when it has none.
fn title_range(text: &str) -> std::ops::Range<usize> {
    super::title_line(text).map_or(0..0, |line| {
        let start = line.as_ptr() as usize - text.as_ptr() as usize;
        start..start + line.len()
    })
}

/// The grade words of the configured bands (longest first) and the pattern of a grade stated
/// after its word ("评价等级为“良”", "自评结论为优秀").
struct GradePatterns {
    /// The bands' words as configured, in band order: what the cache is looked up by.
    configured: Vec<String>,
    words: Vec<String>,
    after_word: Regex,
}

/// The grade patterns for the bands in force, built once per set of grade words.
fn grade_patterns(settings: &Settings) -> Arc<GradePatterns> {
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
    if let Some(p) = cache.iter().find(|p| p.configured.iter().eq(configured())) {
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
    let after_word = Regex::new(&format!(
        r#"(?:等级|等次|评级|级别|评价结果|自评结果|评价结论|自评结论|评定为|评为|认定为|确定为)(?:为|是|:|评定为|评为|确定为|属于|达到|属)?[^\S\n]*[“「‘"']?(?P<word>{alt})"#
    ))
    .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("valid regex"));
    let patterns = Arc::new(GradePatterns {
        configured: configured().cloned().collect(),
        words,
        after_word,
    });
    cache.push(patterns.clone());
    patterns
}

/// A grade named before the level word at `level_at` ("为优秀等级", "属于“优”等级"): its range,
/// unless the words before it describe a band ("90分以上为优秀等级").
fn grade_before(text: &str, level_at: usize, words: &[String]) -> Option<(usize, usize)> {
    let before = &text[..level_at];
    let before = before
        .strip_suffix(['”', '」', '’', '"', '\''])
        .unwrap_or(before);
    let word = words.iter().find(|w| before.ends_with(w.as_str()))?;
    let (start, end) = (before.len() - word.len(), before.len());
    let rest = &before[..start];
    let rest = rest
        .strip_suffix(['“', '「', '‘', '"', '\''])
        .unwrap_or(rest)
        .trim_end_matches([' ', '\t']);
    let lead = ["评定为", "评为", "属于", "属", "达到了", "达到", "为"]
        .into_iter()
        .find(|w| rest.ends_with(w))?;
    let lead_in = &rest[..rest.len() - lead.len()];
    // 达到 names the report's grade only right after its score ("综合得分85分，达到优秀等级");
    // elsewhere it is a goal, a negation, last year's or another rating ("力争达到优秀等级",
    // "未能达到…", "上年度评价达到…", "验收达到合格等级").
    // Nor after full marks, or before the band's condition ("总分100分，达到良好等级的为80分
    // 至89分", "满分100分，达到优秀等级须得90分以上").
    let condition = ["的", "须", "需", "要求", "应"];
    let after = &text[level_at + "等级".len()..];
    if lead.starts_with("达到")
        && (!follows_a_score(lead_in) || condition.iter().any(|w| after.starts_with(w)))
    {
        return None;
    }
    (!describes_band(lead_in)).then_some((start, end))
}

/// Whether `text` ends with a score and a comma ("综合得分85分，"), not full marks ("满分100分，",
/// "总分100分，").
fn follows_a_score(text: &str) -> bool {
    let Some(points) = text.trim_end_matches([',', '，', ' ']).strip_suffix('分') else {
        return false;
    };
    let words = points.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let marks = ["满分", "分值", "权重"].iter().any(|w| words.ends_with(w))
        || (words.ends_with("总分") && &points[words.len()..] == "100");
    words.len() < points.len() && !marks
}

/// Where a two-char word (six bytes) occurs in `s`: first or last. Clauses are a few dozen
/// bytes, where a substring searcher's setup costs more than the search; a word's last byte
/// (a continuation byte, rare in comparison with lead bytes) is found by memchr and the rest
/// compared.
fn find_word(s: &str, word: &[u8; 6], last: bool) -> Option<usize> {
    let bytes = s.as_bytes();
    let matches_at = |end: usize| end >= 6 && &bytes[end - 6..end] == word;
    let mut ends = memchr::memchr_iter(word[5], bytes).map(|i| i + 1);
    let end = if last {
        ends.rev().find(|&e| matches_at(e))
    } else {
        ends.find(|&e| matches_at(e))
    }?;
    Some(end - 6)
}

const RESPECTIVELY: &[u8; 6] = "分别".as_bytes().first_chunk().expect("分别 is six bytes");
const OF_WHICH: &[u8; 6] = "其中".as_bytes().first_chunk().expect("其中 is six bytes");

/// The first 其中 in a clause.
fn find_of_which(s: &str) -> Option<usize> {
    find_word(s, OF_WHICH, false)
}

/// The last 其中 in a clause.
fn rfind_of_which(s: &str) -> Option<usize> {
    find_word(s, OF_WHICH, true)
}

/// Whether a sentence continues the one before: it opens with 其中, or its first clause ends
/// with 中 ("基本支出中，…").
fn continues_previous(sentence: &str) -> bool {
    let opening = sentence.trim_start();
    if opening.starts_with("其中") {
        return true;
    }
    // The first clause ends at ',' or '，' (EF BC 8C); in normalised text EF leads little else.
    let bytes = opening.as_bytes();
    let mut from = 0;
    let first_clause_end = loop {
        match memchr::memchr2(b',', 0xEF, &bytes[from..]) {
            None => break bytes.len(),
            Some(k) if bytes[from + k] == b',' => break from + k,
            Some(k) if bytes.get(from + k..from + k + 3) == Some("，".as_bytes()) => {
                break from + k;
            }
            Some(k) => from += k + 1,
        }
    };
    opening[..first_clause_end].ends_with('中')
}

/// Which sentences continue the one before: those that open with 其中 or "X中，"
/// (`continues_previous`), and the items of a list set out one per line after a line that ends
/// with 其中： ("支出决算100万元，其中：\n办公费30万元；\n印刷费20万元。"). An item is followed by
/// another while it ends with ； and the next has the same list marker, is one clause when it has
/// none, and holds no 合计/总计/共计.
fn continuing(text: &str, sentences: &[(usize, usize)]) -> Vec<Continues> {
    let mut out: Vec<Continues> = Vec::with_capacity(sentences.len());
    for (si, &(s, e)) in sentences.iter().enumerate() {
        let here = &text[s..e];
        let item = si.checked_sub(1).is_some_and(|p| {
            let (ps, pe) = sentences[p];
            let before = text[ps..pe].trim_end();
            // Most sentences end with neither a colon nor a semicolon: tested first, as this
            // runs for every sentence.
            if before.ends_with([':', '：']) {
                return opens_list(before);
            }
            // The next item has the previous one's list marker ("1." after "1.", not "2."
            // after "（2）", which is back in the outer list), and no total ends the list.
            // An unmarked item is one clause ("印刷费20万元；"), not a sentence of its own.
            before.ends_with(['；', ';'])
                && out[p] == Continues::AsItem
                && text[pe..].starts_with('\n')
                && marker(before) == marker(here)
                && (marker(here) != 0 || !here.contains(['，', ',']))
                && !["合计", "总计", "共计"].iter().any(|w| here.contains(w))
        });
        out.push(if item {
            Continues::AsItem
        } else if continues_previous(here) {
            Continues::Yes
        } else {
            Continues::No
        });
    }
    out
}

/// How a sentence goes on from the one before.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Continues {
    No,
    /// It opens with 其中 or "X中，".
    Yes,
    /// It is an item, on a line of its own, of the list the line ending in 其中： opened.
    AsItem,
}

/// Whether a line ends with 其中： (a list set out on the lines below).
fn opens_list(line: &str) -> bool {
    line.trim_end()
        .strip_suffix([':', '：'])
        .is_some_and(|b| b.trim_end().ends_with("其中"))
}

/// The kind of list marker a line opens with: 1. / 1、, (1), (一), 一、, 一是, ①, or none.
fn marker(line: &str) -> u8 {
    let line = line.trim_start();
    let mut chars = line.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => {
            // "1." or "12、", not a year or an amount opening the line ("2024年…").
            let rest = chars
                .as_str()
                .trim_start_matches(|c: char| c.is_ascii_digit());
            let digits = line.len() - rest.len();
            u8::from(digits <= 2 && rest.starts_with(['.', '、']))
        }
        Some('(') => match chars.next() {
            Some(c) if c.is_ascii_digit() => 2,
            Some(c) if is_cjk_digit(c) => 3,
            _ => 0,
        },
        Some(c) if is_cjk_digit(c) => {
            let rest = chars.as_str().trim_start_matches(is_cjk_digit);
            if rest.starts_with('是') {
                5
            } else if rest.starts_with('、') {
                4
            } else {
                0
            }
        }
        Some('①'..='⑳') => 6,
        _ => 0,
    }
}

/// Sentence ranges: cut at 。！？!? and line ends.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    // Two byte searches, merged: the ends are ASCII or 。, and a UTF-8 encoding never occurs
    // inside another char's, so every match is a whole char.
    let bytes = text.as_bytes();
    let ascii = memchr::memchr3_iter(b'!', b'?', b'\n', bytes).map(|i| (i, 1));
    let stops = memchr::memmem::find_iter(bytes, "。".as_bytes()).map(|i| (i, 3));
    for (i, len) in merged(ascii, stops) {
        if i > start {
            out.push((start, i));
        }
        start = i + len;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Clause ranges within a sentence: cut at ，,；;:、 outside figures, but not at a colon for
/// which `joins` holds (a label and its figure: "年初预算数：600万元"). The marks are found by
/// two vectorised byte searches: the ASCII ones, and the last bytes of ，(EF BC 8C), ；(EF BC 9B)
/// and 、(E3 80 81), whose first two bytes are then compared (those last bytes end other chars
/// too, but far less often than lead bytes start them).
fn clauses(
    text: &str,
    s: usize,
    e: usize,
    figs: &[Figure],
    joins: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let bytes = &text.as_bytes()[s..e];
    let ascii = memchr::memchr3_iter(b',', b';', b':', bytes).map(|i| (i, 1));
    let wide = memchr::memchr3_iter(0x8C, 0x9B, 0x81, bytes).filter_map(|i| {
        let mark = bytes.get(i.checked_sub(2)?..=i)?;
        matches!(mark, [0xEF, 0xBC, 0x8C | 0x9B] | [0xE3, 0x80, 0x81]).then(|| (i - 2, 3))
    });
    let mut out = Vec::with_capacity(figs.len() + 2);
    let mut start = s;
    for (rel, len) in merged(ascii, wide) {
        let at = s + rel;
        let joined = bytes[rel] == b':' && joins(at);
        if !joined && !figs.iter().any(|f| f.start <= at && at < f.end) {
            out.push((start, at));
            start = at + len;
        }
    }
    out.push((start, e));
    out
}

/// A line that opens with a section marker: "一、" (level 1), "(一)" (2), "1." or "1、" (3),
/// "(1)" (4). It may be a bare heading or a numbered paragraph; either way it bounds sections.
#[derive(Debug, Clone, Copy)]
struct Heading {
    start: usize,
    /// End of the line's first sentence: a subtotal is stated there ("(二)预算执行(30分):得27分。
    /// 其中…扣1分").
    first_sentence_end: usize,
    level: u8,
}

fn outline(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    for (offset, body) in lines_of(text) {
        if let Some(level) = heading_level(body) {
            let first = first_sentence_end(body).unwrap_or(body.len());
            out.push(Heading {
                start: offset,
                first_sentence_end: offset + first,
                level,
            });
        }
    }
    out
}

/// The section marker a line opens with, after spaces and Markdown's "#" or "**" ("## 一、",
/// "**(一)**"): "一、" 1, "(一)" 2, "1." or "1、" 3, "(1)" 4. Read by hand, as the patterns in
/// the test say, since it runs for every line.
fn heading_level(line: &str) -> Option<u8> {
    let mut rest = line.trim_start();
    if rest.starts_with('#') {
        rest = rest.trim_start_matches('#').trim_start();
    }
    let rest = rest.strip_prefix("**").unwrap_or(rest);
    opening_marker(rest).map(|(level, _)| level)
}

/// Where a line's first sentence ends (。!?), found by byte search: '!' and '?' are ASCII, and
/// 。 is the only char of the E3 80 82 bytes.
fn first_sentence_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(k) = memchr::memchr3(b'!', b'?', 0xE3, &bytes[from..]) {
        let at = from + k;
        if bytes[at] != 0xE3 || bytes.get(at + 1..at + 3) == Some(&[0x80, 0x82]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Score groups: scores are summed per top-level section, and within it separately for those
/// stated directly under the section heading and those under its sub-headings — a summary
/// paragraph and a detailed list are two itemisations of one total, not one list.
fn score_groups(headings: &[Heading]) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0)];
    let mut section = 0;
    for h in headings {
        if h.level == 1 {
            section += 1;
            out.push((h.start, section * 2));
        } else if section > 0 {
            out.push((h.start, section * 2 + 1));
        }
    }
    out
}

/// A score stated on a heading line ("(一)履职效能(40分)得分36.35分") is that section's subtotal:
/// the scores below it, up to the next heading of the same or a higher level, become its parts.
fn mark_subtotals(drafts: &mut [Draft], headings: &[Heading], text_len: usize) {
    // (region start, region end, level, subject) of each heading that states a score.
    let mut regions = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let Some(sub) = drafts.iter().find(|d| {
            d.concept == Concept::Score
                && d.figure.start >= h.start
                && d.figure.start < h.first_sentence_end
        }) else {
            continue;
        };
        let end = headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map(|n| n.start)
            .unwrap_or(text_len);
        regions.push((h.first_sentence_end, end, h.level, sub.subject.clone()));
    }
    for d in drafts.iter_mut().filter(|d| d.concept == Concept::Score) {
        let inner = regions
            .iter()
            .filter(|(a, b, _, subject)| {
                d.figure.start > *a && d.figure.start < *b && *subject != d.subject
            })
            .max_by_key(|(_, _, level, _)| *level);
        if let Some((_, _, _, subject)) = inner {
            d.part_of = Some(subject.clone());
        }
    }
}

/// Settles precision and maps spans back to the original text.
///
/// An integer amount in a document that writes two decimals elsewhere is read as .00: the
/// precision of money (per unit) and of scores is the number of decimals most often written.
/// Scores are read to two decimals at least: they are assigned, not rounded measurements.
fn finish(drafts: Vec<Draft>, norm: &Normalized, src: &Arc<Source>) -> Vec<Fact> {
    let mut usual: HashMap<Unit, u32> = HashMap::new();
    for unit in [Unit::Yuan, Unit::Wan, Unit::Yi, Unit::Points] {
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for d in drafts.iter().filter(|d| d.figure.unit == unit) {
            if d.figure.decimals > 0 {
                *counts.entry(d.figure.decimals).or_default() += 1;
            }
        }
        if let Some((p, _)) = counts.into_iter().max_by_key(|&(p, n)| (n, p)) {
            usual.insert(unit, p);
        }
    }
    drafts
        .into_iter()
        .map(|d| {
            let f = &d.figure;
            // Scores are given, not measured: "16分" is 16.00, not [15.5, 16.5].
            let floor = if f.unit == Unit::Points { 2 } else { 0 };
            let precision = f
                .decimals
                .max(usual.get(&f.unit).copied().unwrap_or(0))
                .max(floor);
            let value = if d.negative { -f.value } else { f.value };
            let (start, end) = norm.orig_range(f.start, f.end);
            Fact {
                concept: d.concept,
                subject: d.subject,
                part_of: d.part_of,
                period: d.period,
                quantity: Quantity::new(value, precision, f.unit),
                base: d.base,
                word: d.word,
                sentence: d.sentence,
                section: d.group,
                at: Located {
                    source: src.clone(),
                    place: Place::Text { start, end },
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The period read around each 年 is the one the word lists give (last year's words
        /// before next year's, then the year written last).
        #[test]
        fn period_words_read_around_each_nian(
            text in crate::extract::joined(&[
                "上", "年", "一", "去", "明", "下", "度", "同期", "同", "期", "2023", "2025",
                "2024", "为", "预算",
            ], 10)
        ) {
            let settings = Settings::default();
            let reader = Reader {
                text: &text,
                vocab: settings.vocabulary(),
                figures: Vec::new(),
                year: Some(2024),
                groups: Vec::new(),
                grades: grade_patterns(&settings),
            };
            let has = |w: &&str| text.contains(*w);
            let expected = if ["上年", "上一年", "去年", "上年度", "同期"].iter().any(has) {
                Period::Previous
            } else if ["明年", "下一年", "下年度"].iter().any(has) {
                Period::Next
            } else {
                match year_re().captures_iter(&text).last().and_then(|c| c[1].parse::<u32>().ok()) {
                    Some(y) if y < 2024 => Period::Previous,
                    Some(y) if y > 2024 => Period::Next,
                    _ => Period::Current,
                }
            };
            proptest::prop_assert_eq!(reader.period(&text), expected, "{}", text);
        }

        /// The word search finds what `str::find` and `str::rfind` find.
        #[test]
        fn word_search_agrees_with_str_find(
            text in crate::extract::joined(&[
                "其中", "其", "中", "分别", "分", "别", "，", "a", "基本支出", "为", "“其中”",
            ], 12)
        ) {
            proptest::prop_assert_eq!(find_of_which(&text), text.find("其中"));
            proptest::prop_assert_eq!(rfind_of_which(&text), text.rfind("其中"));
            proptest::prop_assert_eq!(find_word(&text, RESPECTIVELY, false), text.find("分别"));
        }

        /// Clauses cut on bytes are the clauses cut char by char, figures kept whole.
        #[test]
        fn clauses_cut_on_bytes_agree_with_chars(
            text in crate::extract::joined(&[
                "，", ",", "；", ";", ":", "、", "。", "“", "1,234.5万元", "为", "a", "其中",
                "：", "〔", "，，",
            ], 12)
        ) {
            let figs = crate::extract::numbers::figures(&text);
            let mut expected = Vec::new();
            let mut start = 0;
            for (at, c) in text.char_indices() {
                if matches!(c, '，' | ',' | '；' | ';' | ':' | '、')
                    && !figs.iter().any(|f| f.start <= at && at < f.end)
                {
                    expected.push((start, at));
                    start = at + c.len_utf8();
                }
            }
            expected.push((start, text.len()));
            proptest::prop_assert_eq!(clauses(&text, 0, text.len(), &figs, |_| false), expected);
        }

        /// The years counted by hand are those the year pattern finds.
        #[test]
        fn report_year_reads_what_the_year_pattern_finds(
            text in crate::extract::joined(&[
                "2024", "2023", "1999", "2100", "12024", "20", "24", "年", "年度", "度", "为", "，",
                "计划", "拟", "\n", " ",
            ], 10)
        ) {
            let mut counts: HashMap<u32, usize> = HashMap::new();
            for c in year_re().captures_iter(&text) {
                let y: u32 = c[1].parse().unwrap();
                let end = c.get(0).unwrap().end();
                let weight = year_weight(&text, end - "年".len(), &title_range(&text));
                if weight > 0 {
                    *counts.entry(y).or_default() += weight;
                }
            }
            let expected = counts
                .into_iter()
                .max_by_key(|&(y, n)| (n, std::cmp::Reverse(y)))
                .map(|(y, _)| y);
            proptest::prop_assert_eq!(report_year(&text), expected);
        }

        /// The hand-read section marker is what the heading patterns match, tried in level
        /// order; a line's first sentence ends where `str::find` says.
        #[test]
        fn heading_level_agrees_with_its_patterns(
            text in crate::extract::joined(&[
                "一", "十", "二十", "、", "(", ")", "1", "12", "123", ".", ". ", " ", "\t", "#", "##",
                "*", "**", "。", "!", "?", "「", "年", "a",
            ], 7)
        ) {
            let markers = [
                r"^\s*(?:#+\s*)?(?:\*\*)?[一二三四五六七八九十]+、",
                r"^\s*(?:#+\s*)?(?:\*\*)?\([一二三四五六七八九十]+\)",
                r"^\s*(?:#+\s*)?(?:\*\*)?[0-9]{1,2}(?:[.、]|\.\s)",
                r"^\s*(?:#+\s*)?(?:\*\*)?\([0-9]{1,2}\)",
            ]
            .map(|p| Regex::new(p).unwrap());
            let expected = markers.iter().position(|m| m.is_match(&text)).map(|i| i as u8 + 1);
            proptest::prop_assert_eq!(heading_level(&text), expected, "{}", text);
            proptest::prop_assert_eq!(first_sentence_end(&text), text.find(['。', '!', '?']));
        }

        /// The hand-read list marker is what its pattern matches.
        #[test]
        fn list_marker_len_agrees_with_its_pattern(
            text in crate::extract::joined(&[
                "一", "十", "二十", "、", "(", ")", "1", "12", "123", ".", " ", "\t", "是", "项目",
                "a", "(1", "。",
            ], 7)
        ) {
            let re = Regex::new(
                r"^\s*(?:[0-9]{1,2}[.、]|\([0-9]{1,2}\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))\s*",
            )
            .unwrap();
            proptest::prop_assert_eq!(list_marker_len(&text), re.find(&text).map(|m| m.end()), "{}", text);
        }

        /// Years are dropped from a name as the year pattern would drop them.
        #[test]
        fn without_years_drops_what_the_year_pattern_matches(
            text in crate::extract::joined(&[
                "2024", "2023", "1999", "2100", "12024", "20", "24", "年", "年度", "度", "本", "部门",
            ], 8)
        ) {
            let re = Regex::new(r"(?:19|20)[0-9]{2}年度?").unwrap();
            proptest::prop_assert_eq!(without_years(&text), re.replace_all(&text, "").into_owned());
        }

        /// The hand-read lead of a subject is what its pattern matches.
        #[test]
        fn lead_len_agrees_with_its_pattern(
            text in crate::extract::joined(&[
                "1", "12", "123", "2024", "20245", ".", "、", "(", ")", "年", "度", "本年度", "本",
                "全年", "年度", "项目", "三公经费",
            ], 7)
        ) {
            let re = Regex::new(
                r"^(?:[0-9]{1,2}[.、]|\([0-9]{1,2}\))?(?:[0-9]{4}年度?|本年度|本年|全年|年度)?",
            )
            .unwrap();
            let expected = re.find(&text).map_or(0, |m| m.end());
            proptest::prop_assert_eq!(lead_len(&text), expected);
        }

        /// The byte test for quotes and spaces agrees with the char test.
        #[test]
        fn quote_test_on_bytes_agrees_with_chars(
            text in crate::extract::joined(&[
                "“", "”", "‘", "’", "‚", "‛", "「", "」", "『", "。", "、", "\"", "'", " ", "\t",
                "\u{3000}", "a", "项目", "—", "…",
            ], 8)
        ) {
            proptest::prop_assert_eq!(has_quote_or_space(&text), text.contains(is_quote_or_space));
        }
    }

    fn facts(text: &str) -> Vec<Fact> {
        let src = Source::new("t.txt".into(), text.to_string());
        extract(&src, &Settings::default())
    }

    fn brief(text: &str) -> Vec<String> {
        facts(text)
            .iter()
            .map(|f| {
                format!(
                    "{:?}[{}]{}{}={}",
                    f.concept,
                    f.subject,
                    f.part_of
                        .as_ref()
                        .map(|p| format!("<{p}"))
                        .unwrap_or_default(),
                    match f.period {
                        Period::Previous => "@prev",
                        Period::Next => "@next",
                        Period::Current => "",
                    },
                    f.word.clone().unwrap_or_else(|| f.quantity.to_string())
                )
            })
            .collect()
    }

    #[test]
    fn seed_budget_sentence() {
        let b = brief(
            "2024年度市总工会支出年初预算为775.83万元，预算调整数为108.66万元，决算数为884.49万元，完成年初预算数的114.00%，预算调整原因为年中追加了专项资金。",
        );
        assert_eq!(
            b,
            vec![
                "InitialBudget[]=775.83万元",
                "Adjustment[]=108.66万元",
                "Actual[]=884.49万元",
                "Rate[]=114.00%",
            ]
        );
    }

    #[test]
    fn seed_sangong_sentence_with_parts() {
        let b = brief(
            "2024年度市总工会“三公”经费支出全年预算数为3.80万元,支出决算为3.76万元,完成年初预算数的98.94%。其中：公务用车运行维护费全年预算数为3万元,支出决算为3万元,完成预算数的100%；公务接待费全年预算数为0.8万元,支出决算为0.76万元,完成预算数的95%，共接待7批次，63人。",
        );
        assert_eq!(
            b,
            vec![
                "FullYearBudget[三公经费]=3.80万元",
                "Actual[三公经费]=3.76万元",
                "Rate[三公经费]=98.94%",
                "FullYearBudget[公务用车运行维护费]<三公经费=3.00万元",
                "Actual[公务用车运行维护费]<三公经费=3.00万元",
                "Rate[公务用车运行维护费]<三公经费=100%",
                "FullYearBudget[公务接待费]<三公经费=0.80万元",
                "Actual[公务接待费]<三公经费=0.76万元",
                "Rate[公务接待费]<三公经费=95%",
            ]
        );
    }

    #[test]
    fn qizhong_in_one_sentence_marks_parts() {
        let b = brief("三公经费决算3.76万元，其中：公务用车运行维护费3万元，公务接待费0.76万元。");
        assert_eq!(
            b,
            vec![
                "Actual[三公经费]=3.76万元",
                "Actual[公务用车运行维护费]<三公经费=3.00万元",
                "Actual[公务接待费]<三公经费=0.76万元",
            ]
        );
    }

    #[test]
    fn scores_weights_totals_and_grades() {
        let b = brief(
            "二、结论\n自评分数为88.35分，等级为良好。\n三、分析\n(一)履职\n产出指标得分为8分，效益指标得分为10分，完成情况较好，得分为10分。\n项目实施程序(15分)得分为13.35分。\n新增项目扣1分。",
        );
        assert_eq!(
            b,
            vec![
                "TotalScore[]=88.35分",
                "Grade[]=良好",
                "Score[产出指标]=8.00分",
                "Score[效益指标]=10.00分",
                "Score[效益指标]=10.00分",
                "Weight[项目实施程序]=15.00分",
                "Score[项目实施程序]=13.35分",
            ]
        );
    }

    #[test]
    fn task_completion_rates_are_not_budget_rates() {
        assert!(brief("培训任务完成率为95%，满意度达98%，资金到位率100%。").is_empty());
        assert_eq!(brief("预算资金完成率为95%。"), vec!["Rate[]=95%"]);
    }

    #[test]
    fn funding_sources_are_subjects_of_their_own() {
        let b = brief("支出决算884.49万元，其中财政拨款支出决算800.00万元。");
        assert_eq!(
            b,
            vec!["Actual[]=884.49万元", "Actual[财政拨款]<=800.00万元"]
        );
    }

    #[test]
    fn the_object_s_own_score_is_the_total() {
        assert_eq!(
            brief("本项目自评得分为90.00分。部门整体得分88分。该单位综合得分85.5分。"),
            vec![
                "TotalScore[]=90.00分",
                "TotalScore[]=88.00分",
                "TotalScore[]=85.50分"
            ]
        );
    }

    #[test]
    fn project_report_phrasing() {
        let b = brief(
            "该项目年初预算数为1,200.00万元，全年预算数为1,400.00万元，其中：中央补助资金800.00万元，省级资金400.00万元。截至2024年12月31日，实际支出1,365.50万元，预算执行率为97.54%。上半年支出进度为35%。2025年计划安排预算1,500万元。",
        );
        assert_eq!(
            b,
            vec![
                "InitialBudget[]=1200.00万元",
                "FullYearBudget[]=1400.00万元",
                "FullYearBudget[中央补助资金]<=800.00万元",
                "FullYearBudget[省级资金]<=400.00万元",
                "Actual[]=1365.50万元",
                "Rate[]=97.54%",
                "Budget[]@next=1500.00万元",
            ]
        );
    }

    #[test]
    fn full_marks_are_not_the_total() {
        assert_eq!(
            brief("评价总分100分，自评得分88分，满分100分。"),
            vec![
                "Weight[]=100.00分",
                "TotalScore[]=88.00分",
                "Weight[]=100.00分"
            ]
        );
    }

    #[test]
    fn good_is_not_a_grade_without_grade_words() {
        assert!(brief("完成情况较为良好，质量优秀。").is_empty());
    }

    #[test]
    fn previous_year_and_changes() {
        let b = brief(
            "2024年决算数为110万元，上年决算数为100万元，比上年增加10万元，增长10%。2024年工作。",
        );
        assert_eq!(
            b,
            vec![
                "Actual[]=110万元",
                "Actual[]@prev=100万元",
                "Change[]=10万元",
                "ChangeRate[]=10%",
            ]
        );
    }

    #[test]
    fn respectively_lists() {
        let b = brief("年初预算、调整后预算、决算分别为100.00万元、120.00万元、118.50万元。");
        assert_eq!(
            b,
            vec![
                "InitialBudget[]=100.00万元",
                "FullYearBudget[]=120.00万元",
                "Actual[]=118.50万元",
            ]
        );
    }

    #[test]
    fn project_subjects_are_kept_apart() {
        let b = brief("职工疗休养项目年初预算为50万元，决算为49.5万元。");
        assert_eq!(
            b,
            vec![
                "InitialBudget[职工疗休养项目]=50.0万元",
                "Actual[职工疗休养项目]=49.5万元",
            ]
        );
    }
}
