//! An indicator's 指标值 and 实际完成值 as written: a target is a sign and a measure ("≥95%",
//! "不低于1000人", "≦30天", "达到100%"), an achieved value a bare measure ("98%", "1020人").
//! Anything else — a range, "95%以上", "约", words, two figures — is not read: when it is unsure
//! what a value says, it says nothing.

use super::normalize::normalize;
use crate::quantity::is_figure_sized;
use rust_decimal::Decimal;
use std::str::FromStr;

/// How a target compares the achieved value with its measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    AtLeast,
    AtMost,
    Above,
    Below,
    Equal,
}

impl Sign {
    pub fn symbol(self) -> &'static str {
        match self {
            Sign::AtLeast => "≥",
            Sign::AtMost => "≤",
            Sign::Above => ">",
            Sign::Below => "<",
            Sign::Equal => "=",
        }
    }
}

/// A number as written, with its decimals and its unit ("%", "人", "元/户"; "" for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub value: Decimal,
    pub decimals: u32,
    pub unit: String,
}

/// The signs a target may open with, longer words first where one starts another.
const SIGNS: &[(&str, Sign)] = &[
    ("不低于", Sign::AtLeast),
    ("不少于", Sign::AtLeast),
    ("不小于", Sign::AtLeast),
    ("大于等于", Sign::AtLeast),
    ("达到", Sign::AtLeast),
    (">=", Sign::AtLeast),
    ("≥", Sign::AtLeast),
    ("≧", Sign::AtLeast),
    ("不高于", Sign::AtMost),
    ("不超过", Sign::AtMost),
    ("不大于", Sign::AtMost),
    ("小于等于", Sign::AtMost),
    ("<=", Sign::AtMost),
    ("≤", Sign::AtMost),
    ("≦", Sign::AtMost),
    (">", Sign::Above),
    ("<", Sign::Below),
    ("=", Sign::Equal),
    ("═", Sign::Equal),
];

/// A target: a sign, then a measure. A bare measure is no target (which way it points is not
/// said).
pub fn target(text: &str) -> Option<(Sign, Measure)> {
    let n = normalize(text.trim()).text;
    let t = n.trim();
    let (sign, rest) = SIGNS
        .iter()
        .find_map(|(w, s)| t.strip_prefix(w).map(|r| (*s, r)))?;
    Some((sign, measure(rest.trim_start())?))
}

/// An achieved value: a bare measure ("=" before it is allowed; any other sign is not).
pub fn achieved(text: &str) -> Option<Measure> {
    let n = normalize(text.trim()).text;
    let t = n.trim();
    let t = t.strip_prefix('=').unwrap_or(t).trim_start();
    measure(t)
}

/// Digits (with one point at most, thousands commas between digits), then a short unit with no
/// digit nor any word that makes the figure approximate, a range or a list.
fn measure(t: &str) -> Option<Measure> {
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(t.len(), |(i, _)| i);
    let (digits, unit) = t.split_at(end);
    let digits = digits.replace(',', "");
    if !digits.starts_with(|c: char| c.is_ascii_digit())
        || digits.ends_with('.')
        || digits.matches('.').count() > 1
    {
        return None;
    }
    let value = Decimal::from_str(&digits)
        .ok()
        .filter(|d| is_figure_sized(*d))?;
    let unit = unit.trim();
    let unusable = |c: char| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || "以上下内约近余多左右及或和至~-—、,，;；()（）:：。.".contains(c)
    };
    if unit.chars().count() > 6 || unit.chars().any(unusable) {
        return None;
    }
    Some(Measure {
        value,
        decimals: digits.split_once('.').map_or(0, |(_, f)| f.len() as u32),
        unit: unit.to_string(),
    })
}

/// Whether `actual`, within the rounding of its last written digit, certainly misses the
/// target: no value it may stand for meets it. Different units say nothing.
pub fn misses(sign: Sign, target: &Measure, actual: &Measure) -> bool {
    if target.unit != actual.unit {
        return false;
    }
    let half = Decimal::new(5, actual.decimals.saturating_add(1).min(27));
    let (lo, hi) = (actual.value - half, actual.value + half);
    let t = target.value;
    match sign {
        Sign::AtLeast => hi < t,
        Sign::Above => hi <= t,
        Sign::AtMost => lo > t,
        Sign::Below => lo >= t,
        Sign::Equal => t < lo || t > hi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: &str, unit: &str) -> Measure {
        measure(&format!("{v}{unit}")).unwrap()
    }

    #[test]
    fn targets_and_achieved_values_as_written() {
        assert_eq!(target("≥95%"), Some((Sign::AtLeast, m("95", "%"))));
        assert_eq!(target("≧ 95 %"), Some((Sign::AtLeast, m("95", "%"))));
        assert_eq!(target("≧95%"), Some((Sign::AtLeast, m("95", "%"))));
        assert_eq!(
            target("不低于1000人"),
            Some((Sign::AtLeast, m("1000", "人")))
        );
        assert_eq!(target("≤30天"), Some((Sign::AtMost, m("30", "天"))));
        assert_eq!(target("＝100%"), Some((Sign::Equal, m("100", "%"))));
        assert_eq!(
            target("达到6000元/生"),
            Some((Sign::AtLeast, m("6000", "元/生")))
        );
        assert_eq!(target("1,000人").map(|t| t.0), None);
        assert_eq!(target("≥95%以上"), None);
        assert_eq!(target("≥90%-95%"), None);
        assert_eq!(target("显著提升"), None);
        assert_eq!(achieved("98.5%"), Some(m("98.5", "%")));
        assert_eq!(achieved("1,020人"), Some(m("1020", "人")));
        assert_eq!(achieved("≥95%"), None);
        assert_eq!(achieved("约95%"), None);
        assert_eq!(achieved("95%左右"), None);
        assert_eq!(achieved("完成"), None);
    }

    proptest::proptest! {
        /// Any text is read without a panic, and a miss needs both values read.
        #[test]
        fn any_text_is_read_safely(a in "\\PC{0,12}", b in "[≥≤=<>不低于超过达到]{0,3}[0-9.,]{0,8}[%人天元/户个]{0,3}") {
            let _ = target(&a);
            let _ = achieved(&a);
            if let (Some((sign, t)), Some(x)) = (target(&b), achieved(&a)) {
                let _ = misses(sign, &t, &x);
            }
        }
    }

    #[test]
    fn a_miss_is_certain_within_rounding() {
        let p = |v| m(v, "%");
        assert!(misses(Sign::AtLeast, &p("95"), &p("94")));
        assert!(!misses(Sign::AtLeast, &p("95"), &p("95")));
        // 94.96 might be written 95 but not 95.0.
        assert!(!misses(Sign::AtLeast, &p("95.4"), &p("95")));
        assert!(misses(Sign::AtLeast, &p("95.6"), &p("95")));
        assert!(misses(Sign::AtMost, &m("30", "天"), &m("32", "天")));
        assert!(!misses(Sign::AtMost, &m("30", "天"), &m("30", "天")));
        assert!(misses(Sign::Equal, &p("100"), &p("98")));
        assert!(!misses(Sign::Equal, &p("100"), &p("100.0")));
        // 90 may stand for 90.4: not certainly at most 90.
        assert!(!misses(Sign::Above, &p("90"), &p("90")));
        assert!(misses(Sign::Above, &p("90"), &p("89")));
        assert!(misses(Sign::Below, &p("5"), &p("6")));
        // Units must agree.
        assert!(!misses(Sign::AtLeast, &m("1000", "人"), &m("900", "户")));
        assert!(!misses(Sign::AtLeast, &m("1000", "人"), &m("900", "")));
    }
}
