//! Property tests: precision-aware relations never call rounded-but-true figures errors, and no
//! input, however broken, makes a reader or the extractor panic.

use proptest::prelude::*;
use rust_decimal::Decimal;
use suanpan::diagnostic::Source;
use suanpan::quantity::{Quantity, Unit};
use suanpan::settings::Settings;

/// A value with `places` decimals from an integer number of units in the last place.
fn dec(units: i64, places: u32) -> Decimal {
    Decimal::new(units, places)
}

fn stated(exact: Decimal, places: u32) -> Quantity {
    let rounded =
        exact.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Quantity::new(rounded, places, Unit::Wan)
}

proptest! {
    #[test]
    fn a_true_sum_rounded_to_its_stated_precision_is_never_an_error(
        a in 0i64..10_000_000, b in 0i64..10_000_000, p in 0u32..4, q in 0u32..4,
    ) {
        let (a, b) = (dec(a, 4), dec(b, 4));
        let (sa, sb, ssum) = (stated(a, p), stated(b, p), stated(a + b, q));
        prop_assert!(sa.interval().plus(sb.interval()).intersects(ssum.interval()));
    }

    #[test]
    fn a_true_ratio_rounded_to_its_stated_precision_is_never_an_error(
        num in 1i64..10_000_000, den in 1i64..10_000_000, p in 0u32..4, r in 0u32..4,
    ) {
        let (n, d) = (dec(num, 4), dec(den, 4));
        let (sn, sd) = (stated(n, p), stated(d, p));
        prop_assume!(sd.interval().lo > Decimal::ZERO);
        let rate = n / d * Decimal::ONE_HUNDRED;
        let srate = Quantity::new(
            rate.round_dp_with_strategy(r, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            r,
            Unit::Percent,
        );
        let ratio = sn.interval().divided_by(sd.interval()).unwrap().scale(Decimal::ONE_HUNDRED);
        prop_assert!(ratio.intersects(srate.interval()));
    }

    #[test]
    fn a_true_difference_rounded_is_never_an_error(
        a in 0i64..10_000_000, b in 0i64..10_000_000, p in 0u32..4,
    ) {
        let (a, b) = (dec(a, 4), dec(b, 4));
        let diff = stated(a - b, p);
        prop_assert!(stated(a, p).interval().minus(stated(b, p).interval()).intersects(diff.interval()));
    }

    #[test]
    fn no_text_makes_the_narrative_checker_panic(text in "\\PC{0,400}") {
        let src = Source::new("p.txt".into(), text);
        let _ = suanpan::check_narrative(&src, &Settings::default());
    }

    /// Numbers too large for any budget, with every unit and in tables, are not figures; none
    /// makes a check's arithmetic overflow (fuzzing found "2222…2千元" overflowing when scaled).
    #[test]
    fn huge_numbers_never_make_a_check_overflow(
        parts in prop::collection::vec(
            prop_oneof![
                Just("年初预算为".to_string()), Just("全年预算为".to_string()),
                Just("决算数为".to_string()), Just("预算调整数为".to_string()),
                Just("，".to_string()), Just("。".to_string()), Just("得分为".to_string()),
                Just("分值".to_string()), Just("执行率为".to_string()), Just("其中：".to_string()),
                Just("千元".to_string()), Just("万元".to_string()), Just("亿元".to_string()),
                Just("万亿元".to_string()), Just("元".to_string()), Just("分".to_string()),
                Just("%".to_string()),
                Just("\n| 项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n".to_string()),
                Just("| 年度资金总额 | ".to_string()), Just(" | ".to_string()), Just(" |\n".to_string()),
                "[1-9][0-9]{12,29}(\\.[0-9]{1,4})?", "[0-9]{1,4}(\\.[0-9]{1,2})?",
            ],
            0..50,
        )
    ) {
        let src = Source::new("big.txt".into(), parts.concat());
        let _ = suanpan::check_narrative(&src, &Settings::default());
    }

    #[test]
    fn report_like_text_with_random_figures_never_panics(
        parts in prop::collection::vec(
            prop_oneof![
                Just("年初预算为".to_string()), Just("万元，".to_string()), Just("得分为".to_string()),
                Just("分。".to_string()), Just("其中：".to_string()), Just("分别为".to_string()),
                Just("、".to_string()), Just("\n（一）".to_string()), Just("完成年初预算数的".to_string()),
                Just("%".to_string()), Just("“".to_string()), Just("”".to_string()),
                Just("自评得分".to_string()), Just("等级为良好".to_string()), Just("比上年增加".to_string()),
                "[0-9]{1,6}(\\.[0-9]{1,4})?", "[０-９]{1,3}", "\\PC{0,3}",
            ],
            0..60,
        )
    ) {
        let src = Source::new("r.txt".into(), parts.concat());
        let _ = suanpan::check_narrative(&src, &Settings::default());
    }

    #[test]
    fn no_bytes_make_the_readers_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = suanpan::source::text::decode(&bytes);
        let _ = suanpan::source::docx::text_of(&bytes);
        let _ = suanpan::source::docx::text_of_document_xml(&bytes);
        for ext in ["xlsx", "xls", "xlsb", "ods"] {
            let _ = suanpan::source::sheet::parse(&bytes, ext);
        }
    }

    #[test]
    fn damaged_zips_never_panic_the_readers(cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()) {
        let mut docx = suanpan::source::docx::write_minimal(&["自评分数为88分，等级为良好。", "得分为8分"]);
        if !docx.is_empty() {
            let i = flip % docx.len();
            docx[i] = byte;
            docx.truncate(cut.min(docx.len()));
        }
        let _ = suanpan::source::docx::text_of(&docx);
        let _ = suanpan::source::sheet::parse(&docx, "xlsx");
    }
}

/// The fuzzing find itself: a 29-digit amount in 千元, scaled to 元, overflowed `Decimal`.
#[test]
fn the_overflowing_amount_found_by_fuzzing_is_no_figure() {
    let bytes = include_bytes!("../fixtures/broken/fuzz-panic-narrative-overflow.txt");
    let text = String::from_utf8_lossy(bytes).into_owned();
    let src = Source::new("fuzz.txt".into(), text);
    let codes: Vec<&str> = suanpan::check_narrative(&src, &Settings::default())
        .iter()
        .map(|f| f.rule.code)
        .collect();
    // No figure is read from it: the report says so (SP0003), and nothing overflows.
    assert_eq!(codes, ["SP0003"]);
}
