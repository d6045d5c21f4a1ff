//! Names of indicators and of the evaluated object, which the scores, the subjects and the 分别
//! lists all read.
//!
//! "(一)决策指标(20分)" names the first-level indicator 决策指标 (`indicator_name` drops the list
//! marker and the bracketed weight); "本项目自评得分" names the evaluated object itself
//! (`names_the_whole`), so its score is the report's total.

use super::cut::{has_quote_or_space, is_quote_or_space, list_marker_len, may_open_with_marker};
use super::periods::without_years;
use crate::extract::vocab::{Words, strip_word_prefix, strip_word_suffix};
/// An indicator's name from the words before 得分: without list markers, bracketed notes,
/// quotes and trailing evaluative words.
pub(super) fn indicator_name(w: &Words, raw: &str) -> String {
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
        for t in &w.indicator_trailing {
            name = strip_word_suffix(name, t).unwrap_or(name);
        }
        if name.len() == before {
            break;
        }
    }
    name.to_string()
}

/// Whether an indicator is one of the first-level ones that are never another's part: 决策,
/// 过程, 产出, 效益. (满意度 is first-level in the project template but under 效益 in the
/// department one; 预算执行率 is first-level in one and under 过程 in the other.)
pub(super) fn is_first_level(w: &Words, name: &str) -> bool {
    let stem = name.strip_suffix("指标").unwrap_or(name);
    w.first_level.iter().any(|f| f == stem)
}

/// A clause that is only an indicator's name: a numbered label ("(一)决策指标") or a short name
/// ending in 指标.
pub(super) fn indicator_label(w: &Words, clause: &str) -> Option<String> {
    // A name ending in 指标 needs both chars; most clauses neither open with a marker nor hold
    // them, and need no name.
    let may_mark = may_open_with_marker(clause);
    let may_end_in_zhibiao = clause.contains('指') && clause.contains('标');
    if !(may_mark || may_end_in_zhibiao) {
        return None;
    }
    let name = indicator_name(w, clause);
    let len = name.chars().count();
    let labelled = (may_mark && list_marker_len(clause).is_some()) || name.ends_with("指标");
    (labelled && (2..=16).contains(&len) && !name.contains(['。', '，'])).then_some(name)
}

/// Whether the words before 得分 only name the evaluated object itself (本项目, 该单位,
/// 我局2023年度部门整体支出绩效, 各项指标), so that the score is the total. `raw` is the text
/// before 得分 as written: a total word there (自评, 综合, 总, 整体) or a 本/该/我 in front is
/// needed, so that an indicator such as 项目绩效 stays an indicator.
pub(super) fn names_the_whole(w: &Words, name: &str, raw: &str) -> bool {
    let own = name.starts_with(['本', '该', '我']);
    let mut rest = without_years(name);
    rest = rest.trim_start_matches(['本', '该', '我']).to_string();
    loop {
        let before = rest.len();
        for whole in &w.whole_object {
            if let Some(r) = strip_word_prefix(&rest, whole) {
                rest = r.to_string();
            }
        }
        if rest.len() == before {
            break;
        }
    }
    let total_word = w.whole_total_word.iter().any(|t| raw.contains(t.as_str()));
    rest.is_empty() && (own || total_word)
}
