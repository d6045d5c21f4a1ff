use super::super::numbers::{Figure, with_chinese_counts};
use super::super::vocab::{self};
use super::amounts::{is_connector, may_be_a_fact, names_income};
use super::changes::change_word_at_end;
use super::cut::{
    Continues, clauses, continuing, find_of_which, in_open_brackets, opens_list, rfind_of_which,
    sentences,
};
use super::rates::rate_base;
use super::scores::{indicator_label, indicator_name, is_first_level};
use super::subjects::{clean_subject_text, is_project_like, project_label, strip_generic};
use super::{Draft, Reader};
use crate::fact::{Concept, Period};
use crate::quantity::Unit;

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
}

impl<'a> Reader<'a> {
    pub(super) fn read(&self) -> Vec<Draft> {
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

    pub(super) fn read_sentence(
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
    pub(super) fn labels_figure(&self, s: usize, at: usize, figs: &[Figure]) -> bool {
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

    pub(super) fn classify(
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
}
