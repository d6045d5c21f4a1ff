//! Counts stated with the items they count.
//!
//! "荣昌区、梁平区、万盛经开区等3个区" and "超亿元的部门有4个，分别为央行、农业部、交通运输部和
//! 公安部": a count (N个, in digits or Chinese numerals) right after a list of names joined by
//! 、, or followed by 分别为 / 即 / 包括 and such a list, becomes a `Count` fact and a `Listed`
//! fact (how many items; SP0111 compares them). A 和 / 及 / 与 before the last item may join two
//! items or sit inside a name (人力资源和社会保障部): both counts are kept. 等 and 包括 leave the
//! list open. Items with digits are figures, not names, and make no list.

use super::Draft;
use crate::extract::numbers::Figure;
use crate::fact::{Concept, Listing, Period};
use crate::quantity::Unit;
use rust_decimal::Decimal;

/// Words after "N个<noun>" that open the list of what was counted.
const LIST_OPENERS: &[&str] = &["分别为", "分别是", "分别有", "包括", "即", "为", "是"];

/// Words that end a list's last item when they join it to the one before.
const JOINERS: &[char] = &['和', '及', '与'];

/// Marks that end a clause: a list never runs over them.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '。' | '；' | ';' | '：' | ':' | '！' | '？' | '\n' | '(' | ')' | '（' | '）'
    )
}

/// The count drafts of a text: a `Count` then its `Listed`, for each count with a list.
/// `first_sentence` numbers their sentences after the reader's (each pair is its own).
pub(super) fn count_drafts(text: &str, first_sentence: usize) -> Vec<Draft> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('个') {
        let Some((start, n)) = number_before(&text[..at]) else {
            continue;
        };
        let end = at + '个'.len_utf8();
        let noun = noun_after(&text[end..]);
        let listed = list_before(&text[..start]).or_else(|| list_after(&text[end..], end));
        let Some((list_start, list_end, items, also, open)) = listed else {
            continue;
        };
        let sentence = first_sentence + out.len() / 2;
        let draft = |concept, start, end, value: u32, listing| Draft {
            concept,
            subject: noun.to_string(),
            part_of: None,
            period: Period::Current,
            figure: Figure {
                start,
                end,
                value: Decimal::from(value),
                decimals: 0,
                unit: Unit::Count,
            },
            negative: false,
            base: None,
            changed: None,
            listing,
            word: None,
            sentence,
            group: 0,
        };
        out.push(draft(Concept::Count, start, end, n, None));
        out.push(draft(
            Concept::Listed,
            list_start,
            list_end,
            items,
            Some(Listing { also, open }),
        ));
    }
    out
}

/// The count written right before 个: digits, or a Chinese numeral up to 九十九; with where it
/// starts. Counts below 2 list nothing.
fn number_before(head: &str) -> Option<(usize, u32)> {
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let start = head.len() - digits;
        let n: u32 = head[start..].parse().ok()?;
        return (n >= 2).then_some((start, n));
    }
    let numeral: String = head
        .chars()
        .rev()
        .take_while(|c| "一二两三四五六七八九十".contains(*c))
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .collect();
    let n = chinese_number(&numeral)?;
    (n >= 2).then_some((head.len() - numeral.len(), n))
}

/// 二 → 2, 十六 → 16, 二十 → 20, 三十四 → 34; None for anything else.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).filter(|&v| v > 0),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// The counted noun: the CJK chars right after 个, at most two ("部门", "展区"); more would
/// take the verb after it ("3个区县开展").
fn noun_after(rest: &str) -> &str {
    let end = rest
        .char_indices()
        .take(2)
        .take_while(|(_, c)| {
            ('\u{4e00}'..='\u{9fff}').contains(c) && !"分别为是包括即和及以等".contains(*c)
        })
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    &rest[..end]
}

/// A list ending right before the count ("A、B、C等" before "3个"): (start, end, items, the
/// count with a 和 split, open).
fn list_before(head: &str) -> Option<(usize, usize, u32, u32, bool)> {
    let mut end = head.len();
    for lead in ["共计", "共", "计"] {
        if let Some(h) = head[..end].strip_suffix(lead) {
            end = h.len();
        }
    }
    let open = head[..end].ends_with('等');
    if open {
        end -= '等'.len_utf8();
    }
    let start = head[..end]
        .char_indices()
        .rev()
        .find(|(_, c)| ends_clause(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let list = &head[start..end];
    let (items, also) = items_of(list)?;
    // Before a count the list needs a 、: "决策和过程两个方面" may as well be one name. "A、B、C
    // 等二级单位4个" names a kind after 等: the list is open.
    let open = open
        || list
            .rsplit('、')
            .next()
            .is_some_and(|last| last.contains('等'));
    (items >= 2).then_some((start, end, items, also, open))
}

/// A list after "N个<noun>" and an opener ("，分别为A、B和C"): (start, end, items, the count
/// with a 和 split, open), offsets from `base`.
fn list_after(rest: &str, base: usize) -> Option<(usize, usize, u32, u32, bool)> {
    let noun = noun_after(rest);
    let mut at = noun.len();
    let skip = |s: &str| s.len() - s.trim_start_matches([',', '，', ':', '：', ' ']).len();
    at += skip(&rest[at..]);
    let opener = LIST_OPENERS.iter().find(|o| rest[at..].starts_with(*o))?;
    at += opener.len();
    at += skip(&rest[at..]);
    let end = rest[at..]
        .char_indices()
        .find(|(_, c)| ends_clause(*c))
        .map_or(rest.len(), |(i, _)| at + i);
    let mut list = &rest[at..end];
    let mut open = *opener == "包括";
    if let Some(l) = list.strip_suffix('等') {
        list = l;
        open = true;
    }
    let (items, also) = items_of(list)?;
    Some((base + at, base + at + list.len(), items, also, open))
}

/// How many items a list holds: (split on 、 only, and also on a 和 / 及 / 与 in the last item).
/// None when it is no list of names: fewer than two items either way, an item with a digit, an
/// empty or overlong item.
fn items_of(list: &str) -> Option<(u32, u32)> {
    let items: Vec<&str> = list.split('、').collect();
    if items
        .iter()
        .any(|i| i.is_empty() || i.chars().count() > 20 || i.chars().any(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let plain = items.len() as u32;
    // A joiner joins two names only with a name of two chars or more on each side ("交通运输部
    // 和公安部"; not the 及 of 涉及).
    let joined = items.last().is_some_and(|last| {
        last.char_indices().any(|(i, c)| {
            JOINERS.contains(&c)
                && last[..i].chars().count() >= 2
                && last[i + c.len_utf8()..].chars().count() >= 2
        })
    });
    let also = plain + u32::from(joined);
    (also >= 2 && (plain >= 2 || joined)).then_some((plain, also))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(text: &str) -> Vec<(Concept, u32, Option<Listing>)> {
        count_drafts(text, 0)
            .into_iter()
            .map(|d| {
                let v: u32 = d.figure.value.try_into().unwrap_or(0);
                (d.concept, v, d.listing)
            })
            .collect()
    }

    #[test]
    fn lists_before_and_after_a_count() {
        let l = |also, open| Some(Listing { also, open });
        assert_eq!(
            counted("涉及荣昌区、梁平区、北碚区等3个区县。"),
            [(Concept::Count, 3, None), (Concept::Listed, 3, l(3, true))]
        );
        assert_eq!(
            counted("超亿元的部门有4个，分别为央行、农业部、交通运输部和公安部。"),
            [(Concept::Count, 4, None), (Concept::Listed, 3, l(4, false))]
        );
        assert_eq!(
            counted("完成决策、过程两个方面的评价。"),
            [(Concept::Count, 2, None), (Concept::Listed, 2, l(2, false))]
        );
    }

    #[test]
    fn words_that_only_look_like_lists_make_nothing_certain() {
        // 涉及 holds 及 but joins nothing; a kind named after 等 leaves the list open.
        assert!(counted("高标准农田建设2778.80亩,涉及3个社区4个村。").is_empty());
        assert_eq!(
            counted("本局下设文化馆、图书馆、体育中心等二级单位4个。"),
            [
                (Concept::Count, 4, None),
                (
                    Concept::Listed,
                    3,
                    Some(Listing {
                        also: 3,
                        open: true
                    })
                )
            ]
        );
    }

    #[test]
    fn numbers_counts_and_non_lists_make_nothing() {
        // Items with digits are figures; a single item is no list; 1 counts nothing.
        assert!(counted("共2个项目，分别为100万元、200万元。").is_empty());
        assert!(counted("实施项目3个。").is_empty());
        assert!(counted("荣昌区1个。").is_empty());
        assert_eq!(chinese_number("十六"), Some(16));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("三十四"), Some(34));
        assert_eq!(chinese_number("两"), Some(2));
        assert_eq!(chinese_number("百"), None);
    }
}
