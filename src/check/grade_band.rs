//! SP0107 grade-band: the stated grade against the band of the stated total score.

use super::Context;
use super::util::{finding, shown, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::Concept;

pub static RULE: Rule = Rule {
    code: "SP0107",
    name: "grade-band",
    severity: Severity::Error,
    summary: (
        "评价等级与自评总分所在档次不符",
        "the grade does not match the band of the total score",
    ),
    doc: (
        "## SP0107 grade-band（等级与分数档次不符）\n\n\
检查什么：文中写的评价等级（优/优秀、良/良好、中/合格、差/不合格）是否与自评总分所在的\n\
档次一致。默认档次：90（含）—100 优，80（含）—90 良，60（含）—80 中，60 以下差\n\
（schemas/grades.toml；各地口径不同的，可在配置中替换）。\n\n\
为什么：等级由分数决定，等级写错会直接影响评价结果的使用。\n\n\
示例：\n\n    自评分数为78.35分，等级为良好。\n\n\
78.35 分属于 60（含）—80 的“中”，不是“良” → 错误。\n",
        "## SP0107 grade-band\n\n\
What: the stated grade (优/优秀, 良/良好, 中/合格, 差/不合格) must match the band of the stated total \
score. Default bands: 90–100 优, 80–<90 良, 60–<80 中, <60 差 (schemas/grades.toml; replaceable in \
the configuration where local rules differ).\n\n\
Why: the grade follows from the score; a wrong grade changes how the evaluation is used.\n\n\
Example: total 78.35 with grade 良好: 78.35 is in 60–<80, grade 中 → error.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(total) = ctx.facts.iter().find(|f| f.is_this_years_total()) else {
        return;
    };
    let bands = &ctx.settings.grades;
    let Some(expected) = bands.band_of(total.quantity.value) else {
        return;
    };
    for grade in ctx.facts.iter().filter(|f| f.concept == Concept::Grade) {
        let word = grade.word.as_deref().unwrap_or_default();
        let Some(named) = bands.band_named(word) else {
            continue;
        };
        if named.grade == expected.grade {
            continue;
        }
        let f = finding(
            &RULE,
            grade,
            Text::new(
                format!(
                    "等级“{word}”与自评总分 {} 不符：{} 分属于 {}（含）—{} 分，应为“{}”",
                    shown(total),
                    total.quantity.value.normalize(),
                    expected.min,
                    expected.max,
                    in_kind(expected, word)
                ),
                format!(
                    "grade \"{word}\" does not match the total score {}: {} is in [{}, {}), grade \"{}\"",
                    shown(total),
                    total.quantity.value.normalize(),
                    expected.min,
                    expected.max,
                    in_kind(expected, word)
                ),
            ),
        )
        .expected_found(in_kind(expected, word), word.to_string());
        out.push(with(
            with(f, grade, "所写等级", "stated grade"),
            total,
            "自评总分",
            "total score",
        ));
    }
}

/// The expected grade in the author's own kind of word: 良好 answered with 优秀, 良 with 优.
fn in_kind(band: &crate::settings::GradeBand, stated: &str) -> String {
    let len = stated.chars().count();
    band.words
        .iter()
        .find(|w| w.chars().count() == len)
        .unwrap_or(&band.grade)
        .clone()
}
