//! Figures in normalised text: amounts (元/万元/亿元), rates (%/‰), scores (分), with the
//! decimals they were written with. What is not an amount is rejected here: years (2024年),
//! dates (“5.12”护士节, 2023.03.15, 12月底), quoted slogans (“559”), document numbers
//! (财预〔2020〕10号), section numbers (1., (1)), phone numbers, ordinals (第3), 65周年, and
//! parts of identifiers (_Toc28838).

use crate::quantity::{Unit, is_figure_sized};
use regex::Regex;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::str::FromStr;
use std::sync::OnceLock;

/// A figure found in normalised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Byte range of the number and its unit in the normalised text.
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    /// Decimal places as written.
    pub decimals: u32,
    pub unit: Unit,
}

/// The units a figure may carry, in the order they are tried (longest first where one is a
/// prefix of another): what `unit_at` reads by hand, and the test holds it to.
#[cfg(test)]
const UNITS: &[&str] = &[
    "个百分点",
    "万亿元",
    "亿元",
    "万元",
    "千元",
    "元",
    "亿",
    "万",
    "%",
    "‰",
    "分",
];

/// The length of the number at the start of `s` (which starts with a digit): digits with
/// thousands separators ("1,234.50") or without ("1234.5"), and a fraction if one follows.
fn number_len(s: &[u8]) -> usize {
    let digits = |from: usize| {
        s.get(from..)
            .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let mut end = digits(0);
    if end <= 3 {
        while s.get(end) == Some(&b',') && digits(end + 1) >= 3 {
            end += 4;
        }
    }
    if s.get(end) == Some(&b'.') {
        let fraction = digits(end + 1);
        if fraction > 0 {
            end += 1 + fraction;
        }
    }
    end
}

/// The first ASCII digit at or after `from`. Reports are mostly ideographs, so whole
/// 16-byte blocks are skipped at once (a branch-free test the compiler vectorises).
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let is_digit = |b: &u8| b.wrapping_sub(b'0') < 10;
    let mut at = from;
    while let Some(block) = bytes.get(at..at + 16) {
        if block.iter().fold(false, |any, b| any | is_digit(b)) {
            break;
        }
        at += 16;
    }
    bytes.get(at..)?.iter().position(is_digit).map(|i| at + i)
}

/// The numbers of a text, left to right, as (start, end of the number, unit as written, end
/// of the unit or of the number): what the pattern `[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)? |
/// [0-9]+(?:\.[0-9]+)?` followed by an optional `[ \t]*UNIT` finds, without a regex scan of
/// the whole text (tested against that pattern). `runs` are the text's digit runs: a number
/// starts at the first digit past the previous number.
fn numbers<'t>(
    text: &'t str,
    runs: &'t [(usize, usize)],
) -> impl Iterator<Item = (usize, usize, &'static str, usize)> + 't {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut runs = runs.iter();
    std::iter::from_fn(move || {
        // A number may end inside a run ("1,234,5678" is 1,234,567 and 8): go on from there.
        let &(run_start, _) = runs.find(|&&(start, len)| start + len > at)?;
        let start = run_start.max(at);
        // A digit is one byte, so `start` and the number's end are char boundaries.
        let num_end = start + number_len(&bytes[start..]);
        let spaces = bytes[num_end..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let unit = unit_at(&text[num_end + spaces..]);
        at = if unit.is_empty() {
            num_end
        } else {
            num_end + spaces + unit.len()
        };
        Some((start, num_end, unit, at))
    })
}

/// The unit `text` opens with: the first of `UNITS` it starts with, or "". Found from the
/// first char, as this runs for every number.
fn unit_at(text: &str) -> &'static str {
    // Each comparison is with a literal, which the compiler makes a few loads instead of a call.
    match text.chars().next() {
        Some('个') if text.starts_with("个百分点") => "个百分点",
        Some('万') if text.starts_with("万亿元") => "万亿元",
        Some('万') if text.starts_with("万元") => "万元",
        Some('万') => "万",
        Some('亿') if text.starts_with("亿元") => "亿元",
        Some('亿') => "亿",
        Some('千') if text.starts_with("千元") => "千元",
        Some('元') => "元",
        Some('%') => "%",
        Some('‰') => "‰",
        Some('分') => "分",
        _ => "",
    }
}

/// Each run of digits: where it starts, and its length.
fn digit_runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = next_digit(bytes, at)?;
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        at = start + len;
        Some((start, len))
    })
    .collect()
}

/// Date-like runs that the figure pattern would otherwise split into numbers.
fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:[0-9]{3,4}-[0-9]{7,8}|(?:19|20)[0-9]{2}[./-](?:1[0-2]|0?[1-9])(?:[./-][0-9]{1,2})?|[0-9]{1,2}:[0-9]{2})",
        )
        .expect("valid regex")
    })
}

/// What follows a number and makes it a date, a count or an ordinal rather than an amount: what
/// `names_no_amount` reads by hand, and the test holds it to.
#[cfg(test)]
const NOT_AMOUNT_AFTER: &[&str] = &[
    "年", "月", "日", "号", "时", "周年", "届", "级", "岁", "次会", "点", "家", "大", "条", "款",
    "章", "节", "版", "期",
];

/// Whether `next_words` open with one of `NOT_AMOUNT_AFTER`: found from the first char, as
/// this runs for every bare number.
fn names_no_amount(next_words: &str) -> bool {
    match next_words.chars().next() {
        Some(
            '年' | '月' | '日' | '号' | '时' | '届' | '级' | '岁' | '点' | '家' | '大' | '条'
            | '款' | '章' | '节' | '版' | '期',
        ) => true,
        Some('周') => next_words.starts_with("周年"),
        Some('次') => next_words.starts_with("次会"),
        _ => false,
    }
}

/// 分 followed by these is not a score (分钟, 分析, 分别 …).
const NOT_POINTS_AFTER: &[char] = &[
    '钟', '析', '别', '配', '布', '批', '期', '类', '项', '档', '组', '局', '会', '解', '散', '管',
    '工', '成', '拨', '摊', '之',
];

/// Count classifiers: 万 followed by one is a count (1万人), not 万元.
const COUNT_AFTER: &[char] = &[
    '人', '个', '次', '户', '名', '件', '册', '份', '台', '辆', '场', '张', '套', '株', '亩', '平',
    '米', '吨', '公', '家', '所', '条',
];

/// Classifiers that make a number a count: 7批次, 63人, 七批次. `count_classifier` reads them
/// by hand, and the test holds it to this list.
#[cfg(test)]
const CLASSIFIERS: &[&str] = &[
    "批次", "人次", "户次", "个", "人", "次", "项", "家", "场", "期", "批", "名", "户", "件", "所",
];

/// The first of `CLASSIFIERS` that `after` starts with. Found from the first char, as this
/// runs for every bare number.
fn count_classifier(after: &str) -> Option<&'static str> {
    let mut chars = after.chars();
    let first = chars.next()?;
    let with_ci = chars.next() == Some('次');
    Some(match first {
        '批' if with_ci => "批次",
        '人' if with_ci => "人次",
        '户' if with_ci => "户次",
        '个' => "个",
        '人' => "人",
        '次' => "次",
        '项' => "项",
        '家' => "家",
        '场' => "场",
        '期' => "期",
        '批' => "批",
        '名' => "名",
        '户' => "户",
        '件' => "件",
        '所' => "所",
        _ => return None,
    })
}

/// Counts written in Chinese numerals (七批次, 十二项, 两场), read as counts, never as amounts:
/// those in `text[within]` (a sentence: a count never crosses a sentence's end).
fn chinese_counts_in(text: &str, within: std::ops::Range<usize>) -> Vec<Figure> {
    let mut out = Vec::new();
    const NUMERALS: [u32; 15] = [
        '零' as u32,
        '〇' as u32,
        '一' as u32,
        '二' as u32,
        '两' as u32,
        '三' as u32,
        '四' as u32,
        '五' as u32,
        '六' as u32,
        '七' as u32,
        '八' as u32,
        '九' as u32,
        '十' as u32,
        '百' as u32,
        '千' as u32,
    ];
    let bytes = text.as_bytes();
    // Whether the three-byte char (an ideograph) at `i` is a numeral.
    let numeral_at = |i: usize| -> bool {
        let Some(&[b0 @ 0xE0..=0xEF, b1, b2]) = bytes.get(i..i + 3) else {
            return false;
        };
        let cp = (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
        NUMERALS.contains(&cp)
    };
    // A count is a run of numerals right before a classifier: find the numerals (rarer than
    // the classifiers 人, 项, 期 …) and read each run forward.
    static NUMERAL: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let numerals = NUMERAL.get_or_init(|| {
        let chars: Vec<String> = NUMERALS
            .iter()
            .filter_map(|&cp| char::from_u32(cp))
            .map(String::from)
            .collect();
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(chars)
            .expect("valid numerals")
    });
    let mut run_end = 0;
    let Some(part) = text.get(within.clone()) else {
        return out;
    };
    for start in numerals.find_iter(part).map(|m| within.start + m.start()) {
        // Within a run already read.
        if start < run_end {
            continue;
        }
        let mut end = start;
        while numeral_at(end) {
            end += 3;
        }
        run_end = end;
        if text[..start].ends_with('第') {
            continue;
        }
        let Some(c) = count_classifier(&text[end..]) else {
            continue;
        };
        let Some(value) = chinese_numeral(&text[start..end]) else {
            continue;
        };
        out.push(Figure {
            start,
            end: end + c.len(),
            value: Decimal::from(value),
            decimals: 0,
            unit: Unit::Count,
        });
    }
    out
}

/// The value of a Chinese numeral below ten thousand (十二 = 12, 两百零五 = 205).
pub(crate) fn chinese_numeral(s: &str) -> Option<u64> {
    let digit = |c: char| match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let (mut total, mut current) = (0u64, None::<u64>);
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                current = Some(digit(c)?);
                continue;
            }
        };
        total += current.unwrap_or(1) * unit;
        current = None;
    }
    Some(total + current.unwrap_or(0))
}

/// The figures of a text, in order: those written in digits and the counts in Chinese
/// numerals.
pub fn figures(text: &str) -> Vec<Figure> {
    with_chinese_counts(&digit_figures(text), text, 0..text.len()).into_owned()
}

/// The figures in digits of `text[within]` (`digit_figs`, in order) with the counts in Chinese
/// numerals there, in order; borrowed when there are none.
pub fn with_chinese_counts<'f>(
    digit_figs: &'f [Figure],
    text: &str,
    within: std::ops::Range<usize>,
) -> Cow<'f, [Figure]> {
    let counts = chinese_counts_in(text, within);
    if counts.is_empty() {
        return Cow::Borrowed(digit_figs);
    }
    let mut figs = digit_figs.to_vec();
    figs.extend(counts);
    figs.sort_by_key(|f| f.start);
    Cow::Owned(figs)
}

/// The figures written in digits, in order.
pub fn digit_figures(text: &str) -> Vec<Figure> {
    let digit_at = |i: Option<char>| i.is_some_and(|c| c.is_ascii_digit());
    // A date starts a run of digits (the pattern is anchored and tried only there).
    let bytes = text.as_bytes();
    let runs = digit_runs(text);
    let dates: Vec<(usize, usize)> = runs
        .iter()
        .copied()
        .filter(|&(p, run)| {
            // The pattern's shapes, by the run's length and the byte after it: 3-4 digits
            // and '-', 19xx/20xx and one of ./-, 1-2 digits and ':'. Others cannot match.
            match bytes.get(p + run) {
                Some(b'-') => (3..=4).contains(&run),
                Some(b'.' | b'/') => run == 4,
                Some(b':') => run <= 2,
                _ => false,
            }
        })
        .filter_map(|(p, _)| date_re().find(&text[p..]).map(|m| (p, p + m.end())))
        .filter(|&(start, end)| {
            // A date is not followed by a unit: "2024.12万元" is an amount.
            let after = text[end..].trim_start();
            !digit_at(text[..start].chars().next_back())
                && !digit_at(after.chars().next())
                && !after.starts_with(['万', '元', '亿', '%', '分', '‰'])
        })
        .collect();
    let mut out = Vec::with_capacity(runs.len());
    let mut line_start = 0;
    for (start, num_end, unit_text, end) in numbers(text, &runs) {
        let num = &text[start..num_end];
        if dates.iter().any(|&(a, b)| start < b && num_end > a) {
            continue;
        }
        let before = text[..start].chars().next_back();
        let after_num = &text[num_end..];
        // Part of an identifier, a version or a longer number.
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-') {
            continue;
        }
        if before == Some('第') {
            continue;
        }
        let mut end = end;
        let after_unit = &text[end..];
        let unit = match unit_text {
            "" => Unit::Plain,
            "元" | "千元" => Unit::Yuan,
            "万元" | "万" => Unit::Wan,
            "亿元" | "亿" | "万亿元" => Unit::Yi,
            "%" => Unit::Percent,
            "‰" => Unit::Permille,
            "分" => Unit::Points,
            // 个百分点: a difference of rates, not a rate.
            _ => continue,
        };
        if unit == Unit::Points && after_unit.starts_with(NOT_POINTS_AFTER) {
            continue;
        }
        if unit_text == "万" && after_unit.starts_with(COUNT_AFTER) {
            continue;
        }
        if unit == Unit::Plain {
            let next_words = after_num.trim_start();
            if names_no_amount(next_words) {
                continue;
            }
            // Quoted or bracketed bare numbers: slogans (“559”), dates (“5.12”), document
            // numbers (〔2020〕), section numbers ((1)).
            if before.is_some_and(|c| {
                matches!(
                    c,
                    '“' | '"' | '‘' | '\'' | '「' | '〔' | '[' | '(' | '【' | '《'
                )
            }) && after_num.starts_with(|c: char| {
                matches!(
                    c,
                    '”' | '"' | '’' | '\'' | '」' | '〕' | ']' | ')' | '】' | '》'
                )
            }) {
                continue;
            }
            // Section numbers at the start of a line: "1." "2、".
            // Numbers come in order: the line start moves forward only.
            while let Some(k) = memchr::memchr(b'\n', &bytes[line_start..start]) {
                line_start += k + 1;
            }
            if text[line_start..start].trim().is_empty() && after_num.starts_with(['.', '、', ')'])
            {
                continue;
            }
            // Phone numbers and long codes.
            let digits = num.chars().filter(char::is_ascii_digit).count();
            if digits >= 7 && !num.contains(['.', ',']) {
                continue;
            }
        }
        let raw: Cow<'_, str> = if num.contains(',') {
            Cow::Owned(num.replace(',', ""))
        } else {
            Cow::Borrowed(num)
        };
        let Ok(value) = Decimal::from_str(&raw) else {
            continue;
        };
        let decimals = raw
            .split_once('.')
            .map(|(_, f)| f.len() as u32)
            .unwrap_or(0);
        // 元 in 千元 scales by a thousand, 万亿元 by ten thousand 亿元; a number too large to
        // be a figure is none.
        let scale = match unit_text {
            "千元" => Decimal::from(1000),
            "万亿元" => Decimal::from(10_000),
            _ => Decimal::ONE,
        };
        let Some(value) = value.checked_mul(scale).filter(|v| is_figure_sized(*v)) else {
            continue;
        };
        let mut unit = unit;
        if unit == Unit::Plain {
            end = num_end;
            if let Some(c) = count_classifier(after_num) {
                unit = Unit::Count;
                end = num_end + c.len();
            }
        }
        out.push(Figure {
            start,
            end,
            value,
            decimals,
            unit,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Separator edge cases ("1,234,5678") are rare among random strings: run enough cases
        // to meet them.
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Counts in Chinese numerals are the maximal runs of numerals right before a
        /// classifier, not after 第: what a plain char-by-char reading finds.
        #[test]
        fn chinese_counts_are_numeral_runs_before_classifiers(
            text in crate::extract::joined(&[
                "一", "二", "两", "十", "百", "零", "七", "第", "人", "次", "人次", "批", "批次",
                "个", "项", "场", "期", "名", "户次", "所", "开展", "工作", "，", "1", "a", "。",
            ], 16)
        ) {
            let found = chinese_counts_in(&text, 0..text.len());
            let found: Vec<(usize, usize, Decimal)> =
                found.iter().map(|f| (f.start, f.end, f.value)).collect();
            let numeral = |c: char| "零〇一二两三四五六七八九十百千".contains(c);
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let mut expected = Vec::new();
            let mut k = 0;
            while k < chars.len() {
                if !numeral(chars[k].1) {
                    k += 1;
                    continue;
                }
                let first = k;
                while k < chars.len() && numeral(chars[k].1) {
                    k += 1;
                }
                let (start, end) = (chars[first].0, chars.get(k).map_or(text.len(), |c| c.0));
                let after_di = first > 0 && chars[first - 1].1 == '第';
                if let (false, Some(c), Some(v)) = (
                    after_di,
                    count_classifier(&text[end..]),
                    chinese_numeral(&text[start..end]),
                ) {
                    expected.push((start, end + c.len(), Decimal::from(v)));
                }
            }
            prop_assert_eq!(found, expected);
        }

        /// The units, classifiers and non-amount words read from the first char are the first
        /// of their lists the text starts with.
        #[test]
        fn word_lists_read_from_the_first_char_agree_with_the_lists(
            text in crate::extract::joined(&[
                "个", "百分点", "个百分点", "万", "亿", "元", "千", "%", "‰", "分", "批", "次",
                "人", "户", "项", "家", "场", "期", "名", "件", "所", "年", "周", "会", "大", "a",
                "，",
            ], 4)
        ) {
            prop_assert_eq!(unit_at(&text), UNITS.iter().copied().find(|u| text.starts_with(u)).unwrap_or(""));
            prop_assert_eq!(count_classifier(&text), CLASSIFIERS.iter().copied().find(|c| text.starts_with(c)));
            prop_assert_eq!(names_no_amount(&text), NOT_AMOUNT_AFTER.iter().any(|w| text.starts_with(w)));
        }

        /// The hand scan finds exactly what the figure pattern it replaced found.
        #[test]
        fn the_number_scan_is_the_figure_pattern(
            text in crate::extract::joined(&[
                "1", "23", "456", "7890", ",", ".", " ", "\t", "万", "元", "万元", "亿", "%",
                "‰", "分", "个百分点", "千元", "万亿元", "x", "年", "。", "１",
            ], 40)
        ) {
            let re = Regex::new(
                r"(?x)
                (?P<num> [0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)? | [0-9]+(?:\.[0-9]+)? )
                (?P<unit> [\ \t]* (?: 个百分点 | 万亿元 | 亿元 | 万元 | 千元 | 元 | 亿 | 万 | % | ‰ | 分 ) )?",
            ).unwrap();
            let expected: Vec<(usize, usize, String, usize)> = re
                .captures_iter(&text)
                .map(|c| {
                    let num = c.name("num").unwrap();
                    let unit = c.name("unit");
                    (
                        num.start(),
                        num.end(),
                        unit.map_or("", |u| u.as_str().trim_start_matches([' ', '\t'])).to_string(),
                        unit.map_or(num.end(), |u| u.end()),
                    )
                })
                .collect();
            let found: Vec<(usize, usize, String, usize)> = numbers(&text, &digit_runs(&text))
                .map(|(a, b, u, e)| (a, b, u.to_string(), e))
                .collect();
            prop_assert_eq!(found, expected);
        }
    }

    fn found(text: &str) -> Vec<(String, Unit)> {
        figures(text)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.unit))
            .collect()
    }

    #[test]
    fn amounts_rates_and_scores() {
        let f = found("年初预算为775.83万元，完成年初预算数的114.00%，得分为2 分，合计1,234.50元");
        assert_eq!(
            f,
            vec![
                ("775.83万元".to_string(), Unit::Wan),
                ("114.00%".to_string(), Unit::Percent),
                ("2 分".to_string(), Unit::Points),
                ("1,234.50元".to_string(), Unit::Yuan),
            ]
        );
        let v = figures("合计1,234.50元");
        assert_eq!(v[0].value.to_string(), "1234.50");
        assert_eq!(v[0].decimals, 2);
    }

    #[test]
    fn dates_years_slogans_and_codes_are_not_amounts() {
        for text in [
            "开展2024年“5.12”护士节送温暖",
            "“10.26”世界环卫工人日",
            "按照全总“559”统一部署和区总“2232”工作安排",
            "财预〔2020〕10号",
            "西藏民主改革65周年",
            "1.部门职能",
            "(1)送温暖工作目标",
            "2023.03.15召开会议",
            "电话0891-5821234",
            "[bookmark: _Toc28838]",
            "12月底前完成",
            "第3季度",
            "党的二十大精神",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn four_digit_amounts_are_not_dates() {
        assert_eq!(
            found("全年预算为1011.77万元，2024.12万元，于2023.3.15召开"),
            vec![
                ("1011.77万元".to_string(), Unit::Wan),
                ("2024.12万元".to_string(), Unit::Wan)
            ]
        );
    }

    #[test]
    fn counts_in_digits_and_chinese_numerals() {
        assert_eq!(
            found("共接待7批次，63人，组织七批次疗休养，开展十二项活动，第二次会议"),
            vec![
                ("7批次".to_string(), Unit::Count),
                ("63人".to_string(), Unit::Count),
                ("七批次".to_string(), Unit::Count),
                ("十二项".to_string(), Unit::Count),
            ]
        );
        let v: Vec<String> = figures("两百零五人、十人")
            .iter()
            .map(|f| f.value.to_string())
            .collect();
        assert_eq!(v, vec!["205", "10"]);
    }

    #[test]
    fn points_words_and_counts_are_not_scores_or_amounts() {
        assert!(found("分别为").is_empty());
        assert!(found("用时30分钟").is_empty());
        assert!(found("服务1万人次").is_empty());
        assert_eq!(
            found("19204.096万，"),
            vec![("19204.096万".into(), Unit::Wan)]
        );
        assert!(found("下降2.5个百分点").is_empty());
    }
}
