//! Whose a figure is: subjects, and the parts 其中 lists.
//!
//! "“三公”经费支出3.76万元，其中公务接待费0.76万元": 三公经费 (a known subject, matched through
//! its aliases in schemas/vocabulary.toml) holds for the sentence; after 其中, 公务接待费 is its
//! part. A numbered label ("1.农田水利建设项目，预算150万元…") makes the project the subject; a
//! name that only names the reporting body ("本局支出…") names no subject.

use super::super::numbers::Figure;
use super::super::vocab::{self, Vocabulary};
use super::cut::{
    clean_subject_text, find_of_which, in_open_brackets, is_connector, list_marker_len,
    may_open_with_marker, rfind_of_which,
};
use super::indicators::{indicator_label, indicator_name, is_first_level, names_the_whole};
use super::{Draft, Reader, SentenceState};
use crate::extract::vocab::Words;
use crate::extract::vocab::{ends_with_word, strip_word_prefix, strip_word_suffix};

/// A clause that is only a numbered project's or fund's name: "1.农田水利建设项目".
pub(super) fn project_label(w: &Words, clause: &str) -> Option<String> {
    // Cheap tests first: this runs on every figure-less clause.
    if !may_open_with_marker(clause) || !is_project_like(w, clause.trim_end_matches([':', '：'])) {
        return None;
    }
    let marker = list_marker_len(clause)?;
    let name = clean_subject_text(&clause[marker..]);
    let name = name.trim_end_matches([':', '：']);
    let fits = (2..=20).contains(&name.chars().count())
        && !name.bytes().any(|b| b.is_ascii_digit())
        && !w.generic_project.iter().any(|g| g == name)
        && is_project_like(w, name);
    fits.then(|| name.to_string())
}

/// Drops generic words that name no subject (支出, 本部门 …).
pub(super) fn strip_generic<'s>(w: &Words, s: &'s str) -> &'s str {
    let mut s = s;
    loop {
        let before = s.len();
        for lead in &w.generic_lead {
            s = strip_word_prefix(s, lead).unwrap_or(s);
        }
        for tail in &w.generic_tail {
            s = strip_word_suffix(s, tail).unwrap_or(s);
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Whether words name the reporting body itself (a department), so its figures are the
/// report's own.
pub(super) fn is_reporting_body(w: &Words, s: &str) -> bool {
    w.reporting_body.iter().any(|o| ends_with_word(s, o))
}

/// Whether words name a fund, project, activity or expense category (职工疗休养项目, 送温暖专项
/// 资金, 培训).
pub(super) fn is_project_like(w: &Words, s: &str) -> bool {
    // An expense category names its own spending too ("培训支出8万元" is not the body's).
    // "其他支出0万元" in a list of items is the rest's, not the whole's.
    s == "其他" || w.project_suffix.iter().any(|p| ends_with_word(s, p))
}

impl<'a> Reader<'a> {
    /// Whether `sentence`'s first clause names a known subject that the vocabulary says is not
    /// a part of `whole` (whose parts it lists).
    pub(super) fn names_no_part_of(&self, whole: Option<&str>, sentence: &str) -> bool {
        let Some(whole) = whole.and_then(|w| self.whole_with_parts(w)) else {
            return false;
        };
        self.first_clause_subject(sentence).is_some_and(|named| {
            named.part_of.as_ref() != Some(&whole.name) && !whole.parts.contains(&named.name)
        })
    }

    /// Whether `sentence`'s first clause names a part (by the vocabulary) of the money whole
    /// `last` was about.
    pub(super) fn opens_with_part_of(&self, last: &SentenceState, sentence: &str) -> bool {
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
    pub(super) fn whole_with_parts(&self, name: &str) -> Option<&'a vocab::SubjectEntry> {
        let vocab: &'a Vocabulary = self.vocab;
        vocab.subject(name).filter(|w| !w.parts.is_empty())
    }

    /// The known subject a sentence's first clause names.
    pub(super) fn first_clause_subject(&self, sentence: &str) -> Option<&'a vocab::SubjectEntry> {
        let vocab: &'a Vocabulary = self.vocab;
        let first = sentence.split(['，', ',']).next().unwrap_or(sentence);
        vocab
            .find_subject(&clean_subject_text(first))
            .map(|(_, _, subject)| subject)
    }

    /// Whether the concept term at `term_start` (of `term_len` bytes) in `prefix` is the end of
    /// a known subject's name that starts before it: 支出 in "其中基本支出".
    pub(super) fn names_the_part(&self, prefix: &str, term_start: usize, term_len: usize) -> bool {
        let upto = &prefix[..term_start + term_len];
        self.vocab
            .find_subject(upto)
            .is_some_and(|(start, end, _)| end == upto.len() && start < term_start)
    }

    /// The known subject named at the end of `prefix`, or before a money concept word that
    /// ends it: "和公用经费", "和公用经费决算为".
    pub(super) fn subject_right_before(&self, prefix: &str) -> Option<String> {
        let named = clean_subject_text(prefix);
        let (_, end, subject) = self.vocab.find_subject(&named)?;
        let rest = &named[end..];
        let adjacent = is_connector(self.words(), rest)
            || self.money_term(rest).is_some_and(|(_, at)| at == 0);
        adjacent.then(|| subject.name.clone())
    }

    /// A subject named in a clause head: a known subject anywhere, else (when the clause states
    /// a figure) the words before the concept term, unless they only name the reporting body.
    pub(super) fn explicit_subject(&self, head: &str, with_figure: bool) -> Option<String> {
        let cleaned = clean_subject_text(head);
        if let Some((_, _, s)) = self.vocab.find_subject(&cleaned) {
            return Some(s.name.clone());
        }
        if !with_figure {
            return None;
        }
        let (_, term_start) = self.nearest_term(head, vocab::Terms::All)?;
        let before = clean_subject_text(&head[..term_start]);
        let before = strip_generic(self.words(), &before);
        if before.chars().count() < 2 {
            return None;
        }
        let bare = matches!(before, "项目" | "部门" | "单位" | "项目整体" | "部门整体");
        if bare
            || is_reporting_body(self.words(), before)
            || names_the_whole(self.words(), before, before)
        {
            return Some(String::new());
        }
        is_project_like(self.words(), before).then(|| before.to_string())
    }
}

impl<'a> Reader<'a> {
    /// A 其中 in a clause, or a figure-less clause ending in 中 ("基本支出中，"): the subjects
    /// named after it are parts of the one named before it, and an indicator named before it
    /// ("产出指标中，数量指标得分20分") is the parent of the scores after it. `s` is where the
    /// sentence starts, `cs` where the clause does.
    pub(super) fn read_of_which(
        &self,
        s: usize,
        cs: usize,
        clause: &str,
        no_figures: bool,
        st: &mut SentenceState,
    ) {
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
            (no_figures && clause.ends_with('中') && clause.chars().count() <= 12)
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
            let w = self.words();
            let named = indicator_name(w, before);
            // Not a collective one: "各项指标中，", "在一级指标中，".
            let collective =
                named.starts_with('在') || w.collective.iter().any(|c| named.contains(c.as_str()));
            st.parent_indicator =
                if !collective && (named.ends_with("指标") || is_first_level(w, &named)) {
                    Some(named)
                } else {
                    st.indicator.clone()
                };
        }
    }

    /// The subject a clause names: a numbered project label ("1.农田水利建设项目，"), an
    /// indicator label ("(一)决策指标，"), or the subject named in the words before its first
    /// figure ("公务接待费0.76万元").
    pub(super) fn read_clause_subject(
        &self,
        cs: usize,
        ce: usize,
        in_clause: &[Figure],
        st: &mut SentenceState,
    ) {
        let clause = &self.text[cs..ce];
        if in_clause.is_empty() {
            // "(一)决策指标，权重20分，自评得分19分": a clause that only names an indicator
            // makes it the one the following scores and weights belong to.
            if let Some(name) = project_label(self.words(), clause) {
                // "1.农田水利建设项目，预算150万元，实际支出145万元；": the item's figures
                // are the project's.
                st.subject = name;
            } else if let Some(name) = indicator_label(self.words(), clause) {
                st.indicator = Some(name);
            }
        }
        let head_end = in_clause.first().map(|f| f.start).unwrap_or(ce);
        let head = &self.text[cs..head_end];
        let of_which_in_head = rfind_of_which(head);
        let head = of_which_in_head.map_or(head, |i| &head[i + "其中".len()..]);
        // The whole named again after its parts' clause is the whole's again ("…，其中人员
        // 支出240万元，公用支出60万元；基本支出实际支出296万元").
        // "资金支出150万元" speaks of the funds of whatever the sentence is about, the project
        // or a fund named before ("中央资金预算120万元，资金支出120万元"). In a 其中 list
        // it stays a name of its own, as which of the parts it means is unclear.
        let generic_funds = |s: &String| matches!(s.as_str(), "资金" | "项目资金");
        if let Some(subj) = self
            .explicit_subject(head, !in_clause.is_empty())
            // The whole named before its figure and a 其中 after it is the clause's subject
            // ("公车购置及运行费995万元（其中公务用车购置费38万元…）").
            .filter(|s| {
                !st.of_which_here
                    || of_which_in_head.is_none()
                    || st.part_of.as_deref() != Some(s.as_str())
            })
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
        } else if st.part_of.is_some()
            && !in_clause.is_empty()
            && let Some(name) = self.unknown_item(head)
        {
            // "其中：…；公务车辆购置及运行维护费27717.79万元，较上年减少650.37万元": an item of
            // the list that the vocabulary does not know is an item all the same; its figures
            // are not the item's before it.
            st.subject = name;
        }
    }

    /// The name a list item's head gives with no concept word: a fund's, project's or expense's
    /// name (project-like, two chars or more, no digits), as cleaned of quotes, spaces and
    /// generic words.
    fn unknown_item(&self, head: &str) -> Option<String> {
        let cleaned =
            clean_subject_text(head.trim_start_matches([':', '：', ',', '，', '；', ';']));
        let name = strip_generic(self.words(), &cleaned);
        let fits = name.chars().count() >= 2
            && !name.bytes().any(|b| b.is_ascii_digit())
            && self.nearest_term(head, vocab::Terms::All).is_none()
            && is_project_like(self.words(), name);
        fits.then(|| name.to_string())
    }

    /// A part whose own whole (by the vocabulary) was stated before it in the sentence
    /// (`before`: the sentence's drafts so far) is that whole's part: "其中基本支出300万元（人员
    /// 经费250万元，公用经费50万元）".
    pub(super) fn regroup_under_own_whole(&self, draft: &mut Draft, before: &[Draft]) {
        if let Some(whole) = self
            .vocab
            .subject(&draft.subject)
            .and_then(|e| e.part_of.as_ref())
            && draft.part_of.as_ref().is_some_and(|p| p != whole)
            && before
                .iter()
                .any(|o| o.subject == *whole && o.figure.unit.is_money())
        {
            draft.part_of = Some(whole.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    // The cleaning of subject text (in `cut`) is tested here, where subjects are read.
    use super::super::cut::{has_quote_or_space, is_quote_or_space, lead_len};
    use regex::Regex;

    proptest::proptest! {
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
}
