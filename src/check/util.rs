//! Helpers shared by the fact checks: labels, figure display, lookups.

use crate::diagnostic::{Finding, Label, Place, Text};
use crate::fact::{Fact, Period};
use crate::quantity::{Unit, format_fixed};
pub use crate::relation::{iv, val};
use crate::settings::Settings;
use rust_decimal::Decimal;

/// A label on a fact's own span.
pub fn label(f: &Fact, zh: impl Into<String>, en: impl Into<String>) -> Label {
    Label {
        source: f.at.source.clone(),
        place: f.at.place.clone(),
        text: Text::new(zh, en),
    }
}

/// Adds a label for a fact.
pub fn with(finding: Finding, f: &Fact, zh: impl Into<String>, en: impl Into<String>) -> Finding {
    let mut finding = finding;
    finding.labels.push(label(f, zh, en));
    finding
}

/// A finding filed under the fact's own source.
pub fn finding(rule: &'static crate::diagnostic::Rule, at: &Fact, message: Text) -> Finding {
    Finding::new(rule, at.at.source.clone(), message)
}

/// The figure as the author wrote it ("3万元", "１２０．５０万元"); for sheet cells, the value
/// with its precision.
pub fn shown(f: &Fact) -> String {
    let raw = match f.at.place {
        Place::Text { start, end } => f.at.source.text.get(start..end).map(str::trim),
        _ => None,
    };
    match raw {
        // A figure broken across lines is shown joined.
        Some(r) if !r.is_empty() => r.chars().filter(|c| !matches!(c, '\n' | '\r')).collect(),
        _ => f.quantity.to_string(),
    }
}

/// A computed value in a fact's unit class: money (computed in 万元) in 万元, others in their
/// own unit. Money about a figure written in 元 (`unit`), or needing 5 places or more in 万元
/// (figures in 元 with fen: "500,000.00元" is 50.000000万元), is shown in 元, with thousands
/// separators.
pub fn amount(v: Decimal, places: u32, unit: Unit) -> String {
    if !unit.is_money() {
        return format!("{}{}", format_fixed(v, places), unit.symbol());
    }
    let in_yuan = unit == Unit::Yuan || places >= 5;
    match places.checked_sub(4).filter(|_| in_yuan) {
        Some(yuan_places) => format!(
            "{}元",
            grouped(&format_fixed(v * Decimal::from(10_000), yuan_places))
        ),
        None => format!("{}万元", format_fixed(v, places)),
    }
}

/// A formatted number with thousands separators in its whole part: "-6500000.00" →
/// "-6,500,000.00".
fn grouped(number: &str) -> String {
    let (sign, digits) = number
        .strip_prefix('-')
        .map_or(("", number), |rest| ("-", rest));
    let (whole, fraction) = digits
        .split_once('.')
        .map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The configured tolerance for a comparison against a fact, in the scale of `iv` (money in
/// 万元, rates in percentage points, scores in points): the slack the fact's interval is widened
/// by before a relation with it is called broken.
pub fn slack(settings: &Settings, f: &Fact) -> Decimal {
    settings.tolerance.normalised(f.quantity.unit)
}

/// Decimal places to show a computed figure with: the finest of the inputs (money in 万元).
pub fn places(facts: &[&Fact]) -> u32 {
    facts
        .iter()
        .map(|f| f.quantity.normalised_precision())
        .max()
        .unwrap_or(2)
        .min(6)
}

/// Whether two facts are in the same unit class (both money, or the same unit).
pub fn comparable(a: &Fact, b: &Fact) -> bool {
    let (ua, ub) = (a.quantity.unit, b.quantity.unit);
    (ua.is_money() && ub.is_money()) || ua == ub
}

/// What makes two indicator names name one indicator: whether the name is empty, and the
/// name without a trailing 指标 ("决策" and "决策指标", as a report may name them in two
/// places; an unnamed score is none of the named ones). Used as a map key.
pub fn indicator_key(name: &str) -> (bool, &str) {
    (name.is_empty(), indicator_stem(name))
}

/// An indicator's name without a trailing 指标.
pub fn indicator_stem(s: &str) -> &str {
    s.strip_suffix("指标").unwrap_or(s)
}

/// The subject as shown in messages.
pub fn subject_zh(f: &Fact) -> String {
    f.subject.clone()
}

pub fn subject_en(f: &Fact) -> String {
    if f.subject.is_empty() {
        String::new()
    } else {
        format!("{} ", f.subject)
    }
}

/// "上年" / "last year's " for figures of another year.
fn period_words(f: &Fact) -> (&'static str, &'static str) {
    match f.period {
        Period::Current => ("", ""),
        Period::Previous => ("上年", "last year's "),
        Period::Next => ("下年", "next year's "),
    }
}

/// "三公经费决算（执行）数 3.76万元" / "三公经费 actual spending 3.76万元".
pub fn named(f: &Fact) -> (String, String) {
    let (pz, pe) = period_words(f);
    (
        format!("{}{pz}{} {}", subject_zh(f), f.concept.zh(), shown(f)),
        format!("{}{pe}{} {}", subject_en(f), f.concept.en(), shown(f)),
    )
}

/// A map for up to `n` keys, hashed with foldhash: the checks' maps hold a document's few dozen
/// facts, keyed by short names, where SipHash and growing from empty cost more than the lookups.
pub fn map_for<K, V>(n: usize) -> foldhash::HashMap<K, V> {
    foldhash::HashMap::with_capacity_and_hasher(n, Default::default())
}

/// A set for up to `n` keys (see `map_for`).
pub fn set_for<T>(n: usize) -> foldhash::HashSet<T> {
    foldhash::HashSet::with_capacity_and_hasher(n, Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_indicator_is_the_same_with_or_without_zhibiao() {
        assert_eq!(indicator_key("决策"), indicator_key("决策指标"));
        assert_eq!(indicator_key("决策指标"), indicator_key("决策指标"));
        assert_ne!(indicator_key("决策"), indicator_key("过程指标"));
        // The report as a whole is no indicator: "" is only itself.
        assert_ne!(indicator_key(""), indicator_key("指标"));
        assert_eq!(indicator_key(""), indicator_key(""));
    }

    #[test]
    fn money_from_yuan_figures_is_shown_in_yuan() {
        let wan = |s: &str| s.parse::<Decimal>().expect("a number");
        assert_eq!(amount(wan("650.000000"), 6, Unit::Yuan), "6,500,000.00元");
        assert_eq!(amount(wan("-10.000000"), 6, Unit::Wan), "-100,000.00元");
        assert_eq!(amount(wan("0.0123"), 4, Unit::Yuan), "123元");
        assert_eq!(amount(wan("650.5"), 2, Unit::Wan), "650.50万元");
        // 万元 written to 4 places stays in 万元.
        assert_eq!(amount(wan("2.2222"), 4, Unit::Wan), "2.2222万元");
        assert_eq!(amount(wan("98.4615"), 4, Unit::Percent), "98.4615%");
    }

    #[test]
    fn thousands_separators() {
        for (plain, shown) in [
            ("0", "0"),
            ("123", "123"),
            ("1234", "1,234"),
            ("-123456.78", "-123,456.78"),
            ("1234567", "1,234,567"),
        ] {
            assert_eq!(grouped(plain), shown);
        }
    }
}
