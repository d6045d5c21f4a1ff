//! Stated quantities and the intervals they stand for.
//!
//! A figure written "884.49" is not the point 884.49 but any true value that rounds to it:
//! [884.485, 884.495]. Every relation suanpan checks is evaluated over such intervals, with
//! `rust_decimal` and never floats, so that a relation is called broken only when no choice of
//! true values inside the stated intervals satisfies it.

use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// The unit a figure is stated in. Money is compared in 万元 after conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Yuan,
    Wan,
    Yi,
    Percent,
    Permille,
    /// 分: scores and weights.
    Points,
    /// A count with a classifier (人, 个, 批次 …).
    Count,
    /// A plain number with no unit.
    Plain,
}

impl Unit {
    pub fn is_money(self) -> bool {
        matches!(self, Unit::Yuan | Unit::Wan | Unit::Yi)
    }

    /// How many 万元 one unit is (money only).
    fn wan_factor(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::new(1, 4),
            Unit::Yi => Decimal::from(10_000),
            _ => Decimal::ONE,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::Wan => "万元",
            Unit::Yi => "亿元",
            Unit::Percent => "%",
            Unit::Permille => "‰",
            Unit::Points => "分",
            Unit::Count | Unit::Plain => "",
        }
    }
}

/// A figure as the document states it: its value, how many decimals it was written with (after
/// the document's precision is applied; see `extract::precision`), and its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub value: Decimal,
    /// Decimal places the figure is read with; the rounding interval is ±0.5·10^-precision.
    pub precision: u32,
    pub unit: Unit,
}

impl Quantity {
    pub fn new(value: Decimal, precision: u32, unit: Unit) -> Self {
        Quantity {
            value,
            precision,
            unit,
        }
    }

    /// Half a unit in the last stated place.
    pub fn half_ulp(&self) -> Decimal {
        Decimal::new(5, self.precision.saturating_add(1).min(27))
    }

    /// The interval of true values this figure may stand for, in its own unit.
    pub fn interval(&self) -> Interval {
        let h = self.half_ulp();
        Interval {
            lo: self.value - h,
            hi: self.value + h,
        }
    }

    /// The interval in 万元 for money, in the own unit otherwise.
    pub fn interval_normalised(&self) -> Interval {
        // Most figures are in 万元, points or percent, where scaling by one would only cost.
        match self.unit {
            Unit::Yuan | Unit::Yi => self.interval().scale(self.unit.wan_factor()),
            _ => {
                let i = self.interval();
                Interval {
                    lo: times_one(i.lo),
                    hi: times_one(i.hi),
                }
            }
        }
    }

    /// The point value in 万元 for money, in the own unit otherwise.
    pub fn normalised(&self) -> Decimal {
        match self.unit {
            Unit::Yuan | Unit::Yi => self.value * self.unit.wan_factor(),
            _ => times_one(self.value),
        }
    }

    /// Decimal places of the normalised value (元 → 万元 adds four).
    pub fn normalised_precision(&self) -> u32 {
        match self.unit {
            Unit::Yuan => self.precision + 4,
            Unit::Yi => self.precision.saturating_sub(4),
            _ => self.precision,
        }
    }
}

/// `d × 1` without the multiplication: `d` itself, but a zero is made plain (positive, no
/// decimals) as the product is, so that "减少0万元" (−0) reads as no change, not a decrease.
fn times_one(d: Decimal) -> Decimal {
    if d.is_zero() { Decimal::ZERO } else { d }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            format_fixed(self.value, self.precision),
            self.unit.symbol()
        )
    }
}

/// Whether a number is within the range of figures a report can state: at most 10^14 in size
/// (a hundred trillion 元; no budget comes near). Larger numbers are not read as figures: this
/// keeps every check's arithmetic (sums of many figures, ×10,000 for 亿元, rate × weight) far
/// inside `Decimal`'s range (~7.9·10^28), where it cannot overflow (found by fuzzing:
/// "2222…2千元" overflowed when scaled to 元).
pub fn is_figure_sized(d: Decimal) -> bool {
    const MAX: Decimal = Decimal::from_parts(0x107A_4000, 0x5AF3, 0, false, 0);
    d.abs() <= MAX
}

/// Formats with exactly `places` decimals (rounding half away from zero).
pub fn format_fixed(value: Decimal, places: u32) -> String {
    let mut v =
        value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    v.rescale(places);
    v.to_string()
}

/// A closed interval of decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub lo: Decimal,
    pub hi: Decimal,
}

impl Interval {
    pub fn point(v: Decimal) -> Self {
        Interval { lo: v, hi: v }
    }

    pub fn plus(self, other: Interval) -> Interval {
        Interval {
            lo: self.lo + other.lo,
            hi: self.hi + other.hi,
        }
    }

    pub fn minus(self, other: Interval) -> Interval {
        Interval {
            lo: self.lo - other.hi,
            hi: self.hi - other.lo,
        }
    }

    pub fn scale(self, k: Decimal) -> Interval {
        let (a, b) = (self.lo * k, self.hi * k);
        if a <= b {
            Interval { lo: a, hi: b }
        } else {
            Interval { lo: b, hi: a }
        }
    }

    /// self / other, for a divisor interval that excludes zero; None otherwise.
    pub fn divided_by(self, other: Interval) -> Option<Interval> {
        if other.lo <= Decimal::ZERO && other.hi >= Decimal::ZERO {
            return None;
        }
        let c = [
            self.lo.checked_div(other.lo)?,
            self.lo.checked_div(other.hi)?,
            self.hi.checked_div(other.lo)?,
            self.hi.checked_div(other.hi)?,
        ];
        let lo = c.iter().copied().min()?;
        let hi = c.iter().copied().max()?;
        Some(Interval { lo, hi })
    }

    pub fn intersects(self, other: Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    pub fn contains(self, v: Decimal) -> bool {
        self.lo <= v && v <= self.hi
    }

    pub fn mid(self) -> Decimal {
        (self.lo + self.hi) / Decimal::TWO
    }

    /// Whether every value of self is at most every value of other, allowing overlap.
    pub fn can_be_at_most(self, other: Interval) -> bool {
        self.lo <= other.hi
    }

    /// The interval grown by `by` on both sides: the configured tolerance, as extra slack on top
    /// of the rounding a stated figure already stands for. A negative `by` is taken as zero, so
    /// an interval never shrinks.
    pub fn widen(self, by: Decimal) -> Interval {
        let by = by.max(Decimal::ZERO);
        Interval {
            lo: self.lo - by,
            hi: self.hi + by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        /// Normalising skips the multiplication by one, and gives what it gave, to the bit:
        /// sign, scale and digits (a negative zero, "减少0万元", included).
        #[test]
        fn normalising_without_scaling_is_scaling_by_one(
            mantissa in -100_000i64..100_000,
            scale in 0u32..6,
            precision in 0u32..4,
            negative_zero in proptest::bool::ANY,
        ) {
            let mut value = Decimal::new(mantissa, scale);
            if negative_zero {
                value = Decimal::new(0, scale);
                value.set_sign_negative(true);
            }
            for unit in [Unit::Wan, Unit::Percent, Unit::Points, Unit::Plain] {
                let q = Quantity::new(value, precision, unit);
                let bits = |d: Decimal| d.serialize();
                proptest::prop_assert_eq!(bits(q.normalised()), bits(q.value * Decimal::ONE));
                let (got, want) = (q.interval_normalised(), q.interval().scale(Decimal::ONE));
                proptest::prop_assert_eq!((bits(got.lo), bits(got.hi)), (bits(want.lo), bits(want.hi)));
            }
        }
    }

    #[test]
    fn figures_are_at_most_a_hundred_trillion() {
        let max = Decimal::from(100_000_000_000_000_i64);
        assert!(is_figure_sized(max) && is_figure_sized(-max));
        assert!(!is_figure_sized(max + Decimal::new(1, 2)));
        assert!(!is_figure_sized(Decimal::MAX) && !is_figure_sized(Decimal::MIN));
    }

    fn q(s: &str, unit: Unit) -> Quantity {
        let v = Decimal::from_str(s).unwrap();
        Quantity::new(v, v.scale(), unit)
    }

    #[test]
    fn stated_figure_is_its_rounding_interval() {
        let i = q("884.49", Unit::Wan).interval();
        assert_eq!(i.lo.to_string(), "884.485");
        assert_eq!(i.hi.to_string(), "884.495");
    }

    #[test]
    fn yuan_normalises_to_wan_exactly() {
        let a = q("2026400", Unit::Yuan);
        assert_eq!(a.normalised().normalize().to_string(), "202.64");
        assert_eq!(a.normalised_precision(), 4);
    }

    #[test]
    fn seed_rate_interval_touches_stated_rate() {
        // 884.49 / 775.83 lies in [114.0043 %, 114.0070 %]; 114.00 % means [113.995, 114.005].
        let r = q("884.49", Unit::Wan)
            .interval()
            .divided_by(q("775.83", Unit::Wan).interval())
            .unwrap()
            .scale(Decimal::ONE_HUNDRED);
        assert!(r.intersects(q("114.00", Unit::Percent).interval()));
        assert!(!r.intersects(q("114.10", Unit::Percent).interval()));
    }

    #[test]
    fn widening_adds_slack_on_both_sides_and_never_shrinks() {
        let i = q("1.00", Unit::Wan).interval().widen(Decimal::new(1, 2));
        assert_eq!(
            (i.lo.to_string(), i.hi.to_string()),
            ("0.985".into(), "1.015".into())
        );
        let j = q("1.00", Unit::Wan).interval();
        assert_eq!(j.widen(Decimal::ZERO), j);
        assert_eq!(j.widen(Decimal::NEGATIVE_ONE), j);
        // 1.00 and 1.02 do not meet within rounding, but do within 0.01 of slack.
        assert!(!j.intersects(q("1.02", Unit::Wan).interval()));
        assert!(j.intersects(q("1.02", Unit::Wan).interval().widen(Decimal::new(1, 2))));
    }

    #[test]
    fn division_by_interval_containing_zero_is_refused() {
        let z = Interval {
            lo: Decimal::from(-1),
            hi: Decimal::ONE,
        };
        assert!(Interval::point(Decimal::ONE).divided_by(z).is_none());
    }

    #[test]
    fn fixed_formatting_pads_and_rounds() {
        assert_eq!(format_fixed(Decimal::from(3), 2), "3.00");
        assert_eq!(
            format_fixed(Decimal::from_str("114.0056").unwrap(), 2),
            "114.01"
        );
    }
}
