//! The real seed report: one genuine error (indicator scores sum to 78.35, the stated total is
//! 88.35) and several traps (dates, slogans, rates right only within rounding).

use std::path::{Path, PathBuf};
use suanpan::diagnostic::{Place, Severity, Source};
use suanpan::fact::Concept;
use suanpan::settings::Settings;

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/000_b73ab5ecdce5c643.txt")
}

fn slice(src: &Source, place: &Place) -> String {
    match place {
        Place::Text { start, end } => src.text[*start..*end].to_string(),
        other => panic!("not a text place: {other:?}"),
    }
}

#[test]
fn score_sum_error_points_at_the_total_and_every_score() {
    let report = suanpan::check_paths(&[seed()], &Settings::default());
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let f = errors[0];
    assert_eq!((f.rule.code, f.rule.name), ("SP0105", "score-sum"));
    let primary = &f.labels[0];
    assert_eq!(slice(&primary.source, &primary.place), "88.35分");
    if let Place::Text { start, .. } = primary.place {
        assert_eq!(primary.source.line_col(start), (40, 347));
    }
    // 23 indicator scores, the restated 效益指标 score counted once.
    let scores = &f.labels[1..];
    assert_eq!(scores.len(), 23);
    let sum: rust_decimal::Decimal = scores
        .iter()
        .map(|l| {
            let s = slice(&l.source, &l.place);
            s.trim_end_matches('分')
                .trim()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(sum.to_string(), "78.35");
    assert!(f.message.zh.contains("78.35") && f.message.zh.contains("88.35"));
    assert!(f.message.zh.contains("“中”"), "{}", f.message.zh);
    assert_eq!(f.expected.as_deref(), Some("78.35分"));
    assert_eq!(f.found.as_deref(), Some("88.35分"));
}

#[test]
fn rates_right_only_within_rounding_are_infos_on_the_rates() {
    let report = suanpan::check_paths(&[seed()], &Settings::default());
    let infos: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .map(|f| {
            assert_eq!(f.rule.code, "SP0103");
            slice(&f.labels[0].source, &f.labels[0].place)
        })
        .collect();
    assert_eq!(infos, vec!["114.00%", "98.94%"]);
    assert_eq!(report.count(Severity::Warning), 0);
}

#[test]
fn dates_slogans_and_years_are_not_figures() {
    let text = std::fs::read_to_string(seed()).unwrap();
    let src = Source::new(seed(), text);
    let facts = suanpan::extract::narrative::extract(&src, &Settings::default());
    let slices: Vec<String> = facts.iter().map(|f| slice(&src, &f.at.place)).collect();
    for trap in [
        "5.12", "559", "2232", "10.26", "8.19", "11.8", "65", "2024", "7批次", "63",
    ] {
        assert!(
            !slices.iter().any(|s| s.starts_with(trap)),
            "{trap} read as a figure: {slices:?}"
        );
    }
    let distinct_scores: std::collections::BTreeSet<&str> = facts
        .iter()
        .filter(|f| f.concept == Concept::Score)
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(distinct_scores.len(), 23);
    let grade = facts.iter().find(|f| f.concept == Concept::Grade).unwrap();
    assert_eq!(grade.word.as_deref(), Some("良好"));
}
