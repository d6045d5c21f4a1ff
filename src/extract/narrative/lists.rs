//! 分别 lists: which figure of the list belongs to which item.
//!
//! "基本支出和项目支出分别为300万元、200万元": 300万元 is 基本支出's and 200万元 项目支出's, each of
//! the concept its item or the list names. "决策、过程、产出、效益指标分别得18分、19分、36分、
//! 18.5分" gives each first-level indicator its score.

use super::super::numbers::Figure;
use super::super::vocab::{self};
use super::cut::{RESPECTIVELY, clean_subject_text, find_word, in_open_brackets, names_income};
use super::indicators::is_first_level;
use super::{Assigned, Reader};
use crate::extract::vocab::Words;
use crate::fact::Concept;
use crate::quantity::Unit;
use std::collections::HashMap;

/// The figures after `from` in the sentence starting at `s`, but those in brackets, which are
/// notes on the one before ("18分（满分20分）、19分（满分20分）…").
pub(super) fn listed_figures<'f>(
    text: &str,
    s: usize,
    from: usize,
    figs: &'f [Figure],
) -> Vec<&'f Figure> {
    figs.iter()
        .filter(|f| f.start > from)
        .filter(|f| !in_open_brackets(&text[s..f.start]))
        .collect()
}

/// The words before the 分别 at `pos` of `sentence`, from the clause mark before it, and the
/// items they list ("年初预算、调整后预算、决算分别为…").
pub(super) fn respectively_list(sentence: &str, pos: usize) -> (&str, Vec<&str>) {
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
pub(super) fn respectively_points(
    w: &Words,
    text: &str,
    s: usize,
    e: usize,
    figs: &[Figure],
) -> HashMap<usize, Assigned> {
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
        if stems.len() < 2 || !stems.iter().all(|s| is_first_level(w, s)) {
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

impl<'a> Reader<'a> {
    /// "A、B、C分别为x、y、z": which figure gets which concept or subject.
    pub(super) fn respectively(
        &self,
        s: usize,
        e: usize,
        figs: &[Figure],
    ) -> HashMap<usize, Assigned> {
        let sentence = &self.text[s..e];
        let Some(pos) = find_word(sentence, RESPECTIVELY, false) else {
            return HashMap::new();
        };
        // Points lists wherever their 分别 is; money ones after the first.
        let mut out = respectively_points(self.words(), self.text, s, e, figs);
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
                .is_some_and(|(_, at)| names_income(self.words(), &item[..at]))
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

    pub(super) fn nearest_term_anywhere(&self, text: &str) -> Option<vocab::Term> {
        let (term, _) = self.vocab.last_term(text, vocab::Terms::Money)?;
        Some(term.clone())
    }
}
