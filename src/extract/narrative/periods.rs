//! Years: the report's, and each figure's.
//!
//! In a report whose title says 2024年度, "上年决算数为433万元" is last year's (Period::Previous),
//! "2023年全年预算180万元，实际支出170万元" is 2023's for both figures, and "2025年计划…" names a
//! plan's year, which does not count towards the report's (`report_year`).

use super::{Reader, SentenceState};
use crate::extract::vocab::Words;
use crate::extract::vocab::starts_with_word;
use crate::fact::Period;
use std::collections::HashMap;

/// Whether a text holds 同期 ("the same period", last year's): found from its first char, which
/// is cheaper than a substring searcher for the short texts before figures.
pub(super) fn has_same_period(text: &str) -> bool {
    text.match_indices('同')
        .any(|(i, _)| text[i + '同'.len_utf8()..].starts_with('期'))
}

/// `name` without the years it writes ("2023年", "2023年度").
pub(super) fn without_years(name: &str) -> String {
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

/// The year the report is about: the year most often written as "YYYY年", weighed by
/// `year_weight` (年度 and the title count more, a plan's year not at all); on a tie, the
/// earlier year.
pub(super) fn report_year(w: &Words, text: &str) -> Option<u32> {
    let title = title_range(text);
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for (at, y) in years_written(text) {
        let weight = year_weight(w, text, at, &title);
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
pub(super) fn years_written(text: &str) -> impl Iterator<Item = (usize, u32)> + '_ {
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
pub(super) fn year_weight(
    w: &Words,
    text: &str,
    nian: usize,
    title: &std::ops::Range<usize>,
) -> usize {
    let after_nian = &text[nian + "年".len()..];
    let after = after_nian.strip_prefix('度').unwrap_or(after_nian);
    if w.plan_year.iter().any(|p| starts_with_word(after, p)) {
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
pub(super) fn title_range(text: &str) -> std::ops::Range<usize> {
    crate::extract::title_line(text).map_or(0..0, |line| {
        let start = line.as_ptr() as usize - text.as_ptr() as usize;
        start..start + line.len()
    })
}

impl<'a> Reader<'a> {
    /// The year of a figure whose words before it are `text`: the one they name; else the
    /// year another figure's words in the sentence wrote in digits ("2023年全年预算180万元，实际
    /// 支出170万元": the 170 is 2023's), or the sentence's first figure's words named ("上年同期
    /// 全年预算180万元，实际支出170万元"); else this year. Relative words (上年, 同期) before a
    /// later figure name only that figure's year ("本年支出550万元，上年支出500万元，全年预算600
    /// 万元": the 600 is this year's).
    pub(super) fn period_in_sentence(&self, text: &str, st: &mut SentenceState) -> Period {
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
    pub(super) fn named_period(&self, text: &str) -> Option<Period> {
        if text.contains('年') {
            Some(self.period(text))
        } else {
            has_same_period(text).then_some(Period::Previous)
        }
    }

    /// The year the words before a figure's concept put it in, relative to the report's year.
    pub(super) fn period(&self, text: &str) -> Period {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::narrative::grades::grade_patterns;
    use crate::settings::Settings;
    use regex::Regex;
    use std::sync::OnceLock;

    /// A year written in digits: what `years_written` finds by hand, and the tests hold it to.
    fn year_re() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"((?:19|20)[0-9]{2})年").expect("valid regex"))
    }

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

        /// The years counted by hand are those the year pattern finds.
        #[test]
        fn report_year_reads_what_the_year_pattern_finds(
            text in crate::extract::joined(&[
                "2024", "2023", "1999", "2100", "12024", "20", "24", "年", "年度", "度", "为", "，",
                "计划", "拟", "\n", " ",
            ], 10)
        ) {
            let w = &crate::extract::vocab::builtin().words;
            let mut counts: HashMap<u32, usize> = HashMap::new();
            for c in year_re().captures_iter(&text) {
                let y: u32 = c[1].parse().unwrap();
                let end = c.get(0).unwrap().end();
                let weight = year_weight(w, &text, end - "年".len(), &title_range(&text));
                if weight > 0 {
                    *counts.entry(y).or_default() += weight;
                }
            }
            let expected = counts
                .into_iter()
                .max_by_key(|&(y, n)| (n, std::cmp::Reverse(y)))
                .map(|(y, _)| y);
            proptest::prop_assert_eq!(report_year(w, &text), expected);
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
    }
}
