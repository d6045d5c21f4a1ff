//! SP0301 cross-document: a figure the narrative and a sheet of the same report both state must
//! agree — 总分, 年初/全年预算, 执行数, 执行率, 等级.

use super::util::shown;
use crate::Document;
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::{Concept, Fact, Period};
use crate::settings::Settings;
use crate::source::{Kind, kind_of};

pub static RULE: Rule = Rule {
    code: "SP0301",
    name: "cross-document-mismatch",
    severity: Severity::Error,
    summary: (
        "报告正文与评价表中的同一数字不一致",
        "the narrative and a sheet of the same report state one figure differently",
    ),
    doc: (
        "## SP0301 cross-document-mismatch（正文与评价表不一致）\n\n\
检查什么：同一份报告的正文（.txt/.md/.docx）与评价表（.xlsx 等）都写了的数字——自评总分、\n\
年初预算、全年预算、执行数、执行率（项目资金表的年度资金总额行）、评价等级，以及同名指标的得分——\n\
必须一致。\n\
同一目录下主文件名相同的文件，或一个目录中只有一份正文时该目录下的全部文件，视为同一组；\n\
组内正文与评价表只在属于同一份报告时才核对（部门整体与项目从不互相核对，名称须对得上，\n\
或 suanpan.toml 的 [[bundle]] 指明），其余的各报一条 SP0302 提示。\n\n\
为什么：正文通常抄自评价表，改了表忘了改正文（或相反）是最常见的不一致。\n\n\
示例：正文“自评分数为88.35分”，评价表总分 86.35 → 错误，两处都会标出。\n",
        "## SP0301 cross-document-mismatch\n\n\
What: a figure stated both in the narrative (.txt/.md/.docx) and in a sheet (.xlsx …) of the same \
report — the total score, initial or full-year budget, actual spending, execution rate (the fund \
table's total row), the grade, and the score of an indicator both name — must agree. Files with the same stem in one directory, or all the \
files of a directory holding a single narrative, are grouped; within a group a narrative and a \
sheet are checked only when they are one report (department-wide and project documents never; \
their names must match, or a [[bundle]] in suanpan.toml states it), and each pair left out is an \
SP0302 info.\n\n\
Why: the narrative is copied from the sheet; editing one and not the other is the commonest \
inconsistency.\n\n\
Example: narrative total 88.35, sheet total 86.35 → error, both places labelled.\n",
    ),
};

/// The first whole-report fact of a concept in a document.
fn first(doc: &Document, concept: Concept) -> Option<&Fact> {
    doc.facts.iter().find(|f| {
        f.concept == concept
            && f.period == Period::Current
            && f.subject.is_empty()
            && (concept != Concept::Rate || f.base == Some(Concept::FullYearBudget))
    })
}

/// Cross-checks each narrative of a bundle against each sheet that is about the same report
/// (`pairing::pairs`: the pairs left out are an SP0302 info each). `stated`: the bundle was
/// stated in the configuration (`[[bundle]]`), and every pair is checked.
pub fn check(docs: &[crate::Document], stated: bool, settings: &Settings, out: &mut Vec<Finding>) {
    for (n, s) in super::pairing::pairs(docs, stated, out) {
        let (Some(n), Some(s)) = (docs.get(n), docs.get(s)) else {
            continue;
        };
        debug_assert!(kind_of(&s.source.path) == Kind::Workbook);
        {
            for concept in [
                Concept::TotalScore,
                Concept::InitialBudget,
                Concept::FullYearBudget,
                Concept::Actual,
                Concept::Rate,
                Concept::Grade,
            ] {
                let (Some(a), Some(b)) = (first(n, concept), first(s, concept)) else {
                    continue;
                };
                let differ = if concept == Concept::Grade {
                    let band = |f: &Fact| {
                        f.word
                            .as_deref()
                            .and_then(|w| settings.grades.band_named(w))
                            .map(|b| b.grade.clone())
                    };
                    band(a) != band(b)
                } else {
                    !a.quantity.interval_normalised().intersects(
                        b.quantity
                            .interval_normalised()
                            .widen(super::util::slack(settings, b)),
                    )
                };
                if differ {
                    out.push(mismatch(concept, a, b, s));
                }
            }
            scores(n, s, settings, out);
        }
    }
}

/// An indicator's name made comparable: without spaces, quotes and brackets. Borrowed when there
/// is nothing to drop, as for most names.
fn name_key(name: &str) -> std::borrow::Cow<'_, str> {
    let dropped =
        |c: char| c.is_whitespace() || matches!(c, '“' | '”' | '"' | '(' | ')' | '（' | '）');
    if name.contains(dropped) {
        name.chars()
            .filter(|&c| !dropped(c))
            .collect::<String>()
            .into()
    } else {
        name.into()
    }
}

/// Indicator scores both documents state, matched by the indicator's name.
fn scores(narrative: &Document, sheet: &Document, settings: &Settings, out: &mut Vec<Finding>) {
    // The sheet's indicator names, made comparable once.
    let sheet_scores: Vec<(std::borrow::Cow<'_, str>, &Fact)> = sheet
        .facts
        .iter()
        .filter(|f| f.concept == Concept::Score)
        .map(|f| (name_key(&f.subject), f))
        .collect();
    for a in narrative
        .facts
        .iter()
        .filter(|f| f.concept == Concept::Score && f.part_of.is_none() && !f.subject.is_empty())
    {
        let name = name_key(&a.subject);
        let Some(&(_, b)) = sheet_scores.iter().find(|(k, _)| *k == name) else {
            continue;
        };
        if !a.quantity.interval_normalised().intersects(
            b.quantity
                .interval_normalised()
                .widen(super::util::slack(settings, b)),
        ) {
            out.push(mismatch(Concept::Score, a, b, sheet));
        }
    }
}

/// The finding for one figure stated differently in the narrative (`a`) and a sheet (`b`).
fn mismatch(concept: Concept, a: &Fact, b: &Fact, sheet: &Document) -> Finding {
    let show = |f: &Fact| f.word.clone().unwrap_or_else(|| shown(f));
    let (what_zh, what_en) = if concept == Concept::Score {
        (
            format!("“{}”{}", a.subject, concept.zh()),
            format!("{} {}", a.subject, concept.en()),
        )
    } else {
        (concept.zh().to_string(), concept.en().to_string())
    };
    Finding::new(
        &RULE,
        a.at.source.clone(),
        Text::new(
            format!(
                "正文中的{what_zh} {} 与评价表 {} 中的 {} 不一致",
                show(a),
                sheet.source.display_path(),
                show(b)
            ),
            format!(
                "the narrative's {what_en} {} differs from {} in the sheet {}",
                show(a),
                show(b),
                sheet.source.display_path()
            ),
        ),
    )
    .expected_found(show(b), show(a))
    .label(
        &a.at.source,
        a.at.place.clone(),
        Text::new("正文", "narrative"),
    )
    .label(
        &b.at.source,
        b.at.place.clone(),
        Text::new("评价表", "sheet"),
    )
}
