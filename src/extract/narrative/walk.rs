//! The walk over sentences and clauses: the state a sentence carries, and which pass reads
//! each figure.
//!
//! "“三公”经费支出3.76万元，其中公务接待费0.76万元，比上年减少0.59万元，下降43.70%。": the walk
//! keeps 三公经费 as the subject, makes 公务接待费 its part after 其中 (`subjects`), and hands
//! 3.76万元 and 0.76万元 to `amounts` (actual spending), 0.59万元 to `amounts` as a change and
//! 43.70% to `rates` as a rate of change. A sentence that opens with 其中, or a list item on a
//! line of its own, carries on the state of the one before.

use super::super::numbers::{Figure, with_chinese_counts};
use super::super::vocab::{self};
use super::amounts::may_be_a_fact;
use super::changes::{is_no_change, names_comparison, no_change_figures};
use super::cut::{Continues, clauses, continuing, opens_list, sentences};
use super::{Assigned, Draft, Reader, SentenceState};
use crate::fact::{Concept, Period};
use crate::quantity::Unit;

impl<'a> Reader<'a> {
    /// The drafts of the text's sentences, and the sentences (byte ranges) they were read in.
    pub(super) fn read(&self) -> (Vec<Draft>, Vec<(usize, usize)>) {
        // Sized up front, as the vectors below: growing them copies, and they hold about one
        // entry per figure, sentence or clause.
        let mut out = Vec::with_capacity(self.figures.len());
        let mut next_fig = 0;
        let mut last = SentenceState::default();
        let sentences = sentences(self.text);
        let continuing = continuing(self.words(), self.text, &sentences);
        let continues = |si: usize| continuing.get(si).is_some_and(|&c| c != Continues::No);
        let mut this_continues = continues(0);
        // The whole of the list set out on the lines being read: each item is its part.
        let mut list_whole: Option<Option<String>> = None;
        // Changes of nothing in words ("无增减"), looked for once in the whole text.
        let no_change = no_change_figures(self.text, 0..self.text.len());
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
            // "与2021年度预算相比无增减": a change of nothing, read as a figure of 0.
            let with_no_change;
            let figs = if digit_figs.is_empty() {
                figs
            } else {
                let from = no_change.partition_point(|f| f.start < s);
                let to = no_change.partition_point(|f| f.start < e);
                let none = &no_change[from..to];
                if none.is_empty() {
                    figs
                } else {
                    let mut all = figs.to_vec();
                    all.extend(none.iter().cloned());
                    all.sort_by_key(|f| f.start);
                    with_no_change = all;
                    &with_no_change[..]
                }
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
        (out, sentences)
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
            st.clause_start = cs;
            let first_fig = fi;
            while fi < figs.len() && figs[fi].start < ce {
                fi += 1;
            }
            let in_clause = &figs[first_fig..fi];
            if in_clause.is_empty() && names_comparison(clause) {
                st.comparison_start = Some(cs);
            }
            self.read_of_which(s, cs, clause, in_clause.is_empty(), &mut st);
            self.read_clause_subject(cs, ce, in_clause, &mut st);
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
                if f.unit.is_money() && !is_no_change(self.text, f) {
                    st.last_amount_read = Some(classified.is_some());
                }
                if let Some(mut d) = classified {
                    if let Some(subject) = named {
                        d.part_of = st.part_of.clone().filter(|p| *p != subject);
                        d.subject = subject;
                    }
                    self.regroup_under_own_whole(&mut d, &out[first_draft..]);
                    if d.figure.unit.is_money()
                        && !matches!(d.concept, Concept::Change | Concept::Amount)
                    {
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

    /// What a figure is, by its unit: an amount, a rate or a change, or points; counts and bare
    /// numbers are no fact. The draft starts as the sentence's subject's actual spending, this
    /// year; each pass corrects what its words say.
    pub(super) fn classify(
        &self,
        si: usize,
        f: &Figure,
        prefix: &str,
        after: &str,
        assigned: Option<Assigned>,
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
            changed: None,
            listing: None,
            word: None,
            sentence: si,
            group: self.group_of(f.start),
        };
        if st.part_of.as_deref().is_some_and(|p| p != st.subject) {
            draft.part_of = st.part_of.clone();
        }
        match f.unit {
            u if u.is_money() => self.amount(draft, prefix, assigned, st),
            Unit::Percent => self.rate(draft, prefix, st),
            Unit::Points => self.points(draft, prefix, after, assigned, st),
            _ => None,
        }
    }
}
