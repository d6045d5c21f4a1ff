//! Cutting text into sentences and clauses, and the marks that join them.
//!
//! "全年预算500万元，其中：\n基本支出300万元；\n项目支出200万元。" is three sentences (line ends
//! and 。 cut them); the first ends with 其中： and opens a list, so the next two continue it as
//! its items (`continuing`). Within a sentence, ，；、 and colons cut clauses, but never inside a
//! figure, nor the colon of a label ("年初预算数：600万元"). List markers (一、 (一) 1. (1)) and
//! the words 其中 and 分别 are found here for the passes after.

use super::super::numbers::Figure;
use super::super::scan::merged;
use crate::extract::vocab::{Words, ends_with_word, strip_word_prefix};
use std::borrow::Cow;

/// Where a two-char word (six bytes) occurs in `s`: first or last. Clauses are a few dozen
/// bytes, where a substring searcher's setup costs more than the search; a word's last byte
/// (a continuation byte, rare in comparison with lead bytes) is found by memchr and the rest
/// compared.
pub(super) fn find_word(s: &str, word: &[u8; 6], last: bool) -> Option<usize> {
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

pub(super) const RESPECTIVELY: &[u8; 6] =
    "分别".as_bytes().first_chunk().expect("分别 is six bytes");
pub(super) const OF_WHICH: &[u8; 6] = "其中".as_bytes().first_chunk().expect("其中 is six bytes");

/// The first 其中 in a clause.
pub(super) fn find_of_which(s: &str) -> Option<usize> {
    find_word(s, OF_WHICH, false)
}

/// The last 其中 in a clause.
pub(super) fn rfind_of_which(s: &str) -> Option<usize> {
    find_word(s, OF_WHICH, true)
}

/// Whether a sentence continues the one before: it opens with 其中, or its first clause ends
/// with 中 ("基本支出中，…").
pub(super) fn continues_previous(sentence: &str) -> bool {
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
pub(super) fn continuing(w: &Words, text: &str, sentences: &[(usize, usize)]) -> Vec<Continues> {
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
                && !w.list_total.iter().any(|t| here.contains(t.as_str()))
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
pub(super) enum Continues {
    No,
    /// It opens with 其中 or "X中，".
    Yes,
    /// It is an item, on a line of its own, of the list the line ending in 其中： opened.
    AsItem,
}

/// Whether a line ends with 其中： (a list set out on the lines below).
pub(super) fn opens_list(line: &str) -> bool {
    line.trim_end()
        .strip_suffix([':', '：'])
        .is_some_and(|b| b.trim_end().ends_with("其中"))
}

/// The kind of list marker a line opens with: 1. / 1、, (1), (一), 一、, 一是, ①, or none.
pub(super) fn marker(line: &str) -> u8 {
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
pub(super) fn sentences(text: &str) -> Vec<(usize, usize)> {
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
pub(super) fn clauses(
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
    // The figures are in the order of the text and do not overlap: the one a mark may stand
    // inside ("1,000.00") is found by walking along them with the marks, not searched per mark.
    let mut fig = 0;
    for (rel, len) in merged(ascii, wide) {
        let at = s + rel;
        while figs.get(fig).is_some_and(|f| f.end <= at) {
            fig += 1;
        }
        let inside = figs.get(fig).is_some_and(|f| f.start <= at && at < f.end);
        let joined = bytes[rel] == b':' && joins(at);
        if !joined && !inside {
            out.push((start, at));
            start = at + len;
        }
    }
    out.push((start, e));
    out
}

/// Whether `text` (a sentence up to some point) leaves a bracket open: the point is inside it.
pub(super) fn in_open_brackets(text: &str) -> bool {
    text.matches('(').count() > text.matches(')').count()
}

/// The length of the list marker opening a line or clause ("1." "1、" "(1)" "一、" "(一)"), with
/// the spaces around it: what the pattern in the test matches. Read by hand, as it runs for
/// indicator names and labels.
pub(super) fn list_marker_len(text: &str) -> Option<usize> {
    let (_, after) = opening_marker(text.trim_start())?;
    Some(text.len() - after.trim_start().len())
}

/// The list marker `text` opens with, by level — "一、" 1, "(一)" 2, "1." or "1、" 3, "(1)" 4 —
/// and the text after it: what section headings (`heading_level`) and list markers
/// (`list_marker_len`) are made of.
pub(super) fn opening_marker(text: &str) -> Option<(u8, &str)> {
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
pub(super) fn is_cjk_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Whether a text opens (after spaces) with a char a list marker can open with: a cheap test
/// before the marker patterns, since most text opens otherwise.
pub(super) fn may_open_with_marker(text: &str) -> bool {
    text.trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '(' || is_cjk_digit(c))
}

/// Whether a text holds a quote or a space (`is_quote_or_space`), tested on bytes: the quotes
/// are E2 80 98–9D and E3 80 8C–8D, and their second byte is never a lead byte.
pub(super) fn has_quote_or_space(s: &str) -> bool {
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

pub(super) fn is_quote_or_space(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | ' ' | '\t'
    )
}

/// Subject text without quotes, spaces and leading dates; borrowed when nothing is dropped
/// from inside it.
pub(super) fn clean_subject_text(s: &str) -> Cow<'_, str> {
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
pub(super) fn lead_len(s: &str) -> usize {
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

/// Whether only connecting words (`connector`: 为, 是, 共计 …) stand between a concept term and
/// its figure.
pub(super) fn is_connector(w: &Words, gap: &str) -> bool {
    let mut rest = gap;
    'outer: while !rest.is_empty() {
        for f in &w.connector {
            if let Some(r) = strip_word_prefix(rest, f) {
                rest = r;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// Whether the words after a known subject's name (`mention`, as matched) let it name the
/// figure after them: connecting words, after one tail word such as 费用 that may begin
/// inside the name as matched ("公务用车运行费用10万元" matches 公务用车运行费, then 用).
pub(super) fn follows_subject(w: &Words, mention: &str, rest: &str) -> bool {
    is_connector(w, rest)
        || w.subject_tail.iter().any(|t| {
            (0..t.len())
                .filter(|&k| t.is_char_boundary(k) && mention.ends_with(&t[..k]))
                .any(|k| strip_word_prefix(rest, &t[k..]).is_some_and(|r| is_connector(w, r)))
        })
}

/// Whether the words before a money concept word make it income ("收入决算"): income is not
/// read, as no check compares it.
pub(super) fn names_income(w: &Words, before_term: &str) -> bool {
    w.income.iter().any(|i| ends_with_word(before_term, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    proptest::proptest! {
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
    }
}
