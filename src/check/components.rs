//! SP0104 components-sum: 其中 parts against their total.

use super::Context;
use super::util::{amount, finding, iv, map_for, named, places, slack, val, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::extract::vocab::Vocabulary;
use crate::fact::{Concept, Fact, Period};
use crate::quantity::Interval;
use foldhash::HashMap;
use rust_decimal::Decimal;

pub static RULE: Rule = Rule {
    code: "SP0104",
    name: "components-sum",
    severity: Severity::Error,
    summary: (
        "“其中”各项与合计不符",
        "the parts listed under 其中 do not add up to their total",
    ),
    doc: (
        "## SP0104 components-sum（其中各项与合计不符）\n\n\
检查什么：同一概念（预算、决算……）下，“其中”列出的各项与合计数的关系。组成完整时\n\
（如三公经费的因公出国（境）费、公务用车购置及运行维护费、公务接待费三项都写了；\n\
基本支出的人员经费与公用经费都写了），各项之和必须等于合计；只列了部分时，各项之和\n\
不能超过合计。哪些项目构成完整组成见 schemas/vocabulary.toml 中主体的 parts。\n\n\
为什么：“其中”数大于合计、或完整分项加不回合计，说明有数字抄错或口径不一致。\n\n\
怎么算：数字按书写精度视为区间；“3万元”在其他金额保留两位小数的文档中按 3.00 理解。\n\n\
示例：\n\n    “三公”经费支出决算为3.76万元，其中：公务用车运行维护费3万元，公务接待费0.86万元。\n\n\
3.00 + 0.86 = 3.86 > 3.76 → 错误（部分之和已超过合计）。\n",
        "## SP0104 components-sum\n\n\
What: for one concept (budget, actual …), the parts listed under 其中 against their total. When the \
composition is complete (all three 三公 items: overseas trips, official cars, reception; or both \
personnel and public expenses of basic spending) the parts must add up to the total; when only \
some are listed, they must not exceed it. Compositions live in schemas/vocabulary.toml (`parts`).\n\n\
Changes are checked the same way: complete parts' changes must add up to the total's change; \
with some parts unlisted, each unlisted part can have risen at most by its figure of the year \
(spending does not fall below zero), and an error is raised when even so the total's change is \
out of reach. Parts are looked for in the total's sentence and up to three sentences after.\n\n\
Why: parts above their total, or complete parts that do not add back, mean a mistyped figure or \
mixed definitions.\n\n\
How: figures are intervals of the values that round to them; \"3万元\" in a document that writes \
two decimals elsewhere means 3.00.\n\n\
Example: 三公 actual 3.76, of which cars 3 and reception 0.86: 3.00 + 0.86 = 3.86 > 3.76 → error.\n",
    ),
};

pub static ROUNDING: Rule = Rule {
    code: "SP0110",
    name: "components-rounding",
    severity: Severity::Info,
    summary: (
        "完整的“其中”各项与合计只在舍入误差范围内一致",
        "complete parts add up to their total only within rounding",
    ),
    doc: (
        "## SP0110 components-rounding（各项之和仅在舍入范围内与合计一致）\n\n\
检查什么：组成完整的“其中”各项，按所写数字相加后与合计不同，但考虑到各数字本身的舍入\n\
误差，合计仍然可能正确。\n\n\
为什么：这不是错误，往往说明合计是用未舍入的数据算出的；公开前值得核对，读者按所写数字\n\
相加会得到另一个数。\n\n\
示例：\n\n    “三公”支出合计为9615.12万元……因公出国（境）经费1113.81万元，公务用车购置费\n    \
1468.93万元，公务用车运行维护费4764.78万元，公务接待费2267.61万元。\n\n\
各项之和为 9615.13万元，比合计多 0.01万元；四项各有 ±0.005 的舍入误差 → 提示。\n",
        "## SP0110 components-rounding\n\n\
What: a complete set of parts whose stated figures add up to another value than the stated total, \
though within the rounding of the figures the total is still possible.\n\n\
Why: not an error, usually a total computed from unrounded data; worth a look before publishing, \
as a reader adding the printed figures gets another number.\n\n\
Example: total 9615.12 and four parts adding up to 9615.13, each ±0.005 → info.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let vocab = ctx.settings.vocabulary();
    let mut done: Vec<(Concept, Period, &str)> = Vec::new();
    for total in ctx.facts.iter().filter(|f| {
        f.unit_is_money()
            && matches!(
                f.concept,
                Concept::InitialBudget
                    | Concept::FullYearBudget
                    | Concept::Budget
                    | Concept::Actual
                    | Concept::Adjustment
                    | Concept::Amount
            )
    }) {
        let key = (total.concept, total.period, total.subject.as_str());
        if done.contains(&key) {
            continue;
        }
        done.push(key);
        let peers: Vec<&Fact> = ctx
            .facts
            .iter()
            .filter(|f| f.concept == total.concept && f.period == total.period && f.unit_is_money())
            .collect();
        let Some(cover) = cover(vocab, &total.subject, &peers, 0) else {
            continue;
        };
        if cover.parts.is_empty() {
            continue;
        }
        let total_iv = iv(total).widen(slack(ctx.settings, total));
        let broken = if cover.complete {
            !cover.sum.intersects(total_iv)
        } else {
            !cover.sum.can_be_at_most(total_iv)
        };
        if !broken {
            if cover.complete {
                out.extend(rounding_note(total, &cover));
            }
            continue;
        }
        let mut inputs = cover.parts.clone();
        inputs.push(total);
        let p = places(&inputs);
        let unit = total.quantity.unit;
        let sum_point: Decimal = cover.parts.iter().map(|f| val(f)).sum();
        let diff = sum_point - val(total);
        let list_zh: Vec<String> = cover
            .parts
            .iter()
            .map(|f| format!("{} {}", f.subject, super::util::shown(f)))
            .collect();
        let list_en = list_zh.clone();
        let (tz, te) = named(total);
        let (how_zh, how_en) = if cover.complete {
            ("各项之和", "the parts add up to")
        } else {
            (
                "已列出的部分之和已超过合计",
                "the parts listed already exceed the total:",
            )
        };
        let f = finding(
            &RULE,
            total,
            Text::new(
                format!(
                    "{} ≠ 其中 {}：{} {}，差额 {}",
                    tz,
                    list_zh.join(" + "),
                    how_zh,
                    amount(sum_point, p, unit),
                    amount(diff, p, unit)
                ),
                format!(
                    "{} ≠ its parts {}: {} {}, difference {}",
                    te,
                    list_en.join(" + "),
                    how_en,
                    amount(sum_point, p, unit),
                    amount(diff, p, unit)
                ),
            ),
        )
        .expected_found(amount(sum_point, p, unit), super::util::shown(total));
        let mut f = with(f, total, "合计", "total");
        for part in &cover.parts {
            f = with(f, part, "其中一项", "part");
        }
        out.push(f);
    }
    check_changes(ctx, out);
}

/// A whole's change against its parts' changes: "较年初预算数减少0.04万元，其中：公务用车购置及运行
/// 维护费较年初预算数减少0.04万元；公务接待费较年初预算数减少0.04万元". A complete set of parts
/// must add up to the whole's change. A part whose change is not stated changed by at most its
/// own figure of the year (spending falls to no less than zero), so when each such part's figure
/// is stated, the whole's change is at most the listed changes plus those figures.
fn check_changes(ctx: &Context, out: &mut Vec<Finding>) {
    let vocab = ctx.settings.vocabulary();
    let mut figures: HashMap<(&str, Period), Decimal> = map_for(ctx.facts.len());
    for f in ctx.facts.iter().filter(|f| f.unit_is_money()) {
        if !matches!(f.concept, Concept::Change | Concept::ChangeRate) {
            let most = figures
                .entry((f.subject.as_str(), f.period))
                .or_insert(val(f));
            *most = (*most).max(val(f));
        }
    }
    // Each sentence's changes of one subject share their window: a sentence of many changes
    // is walked once per subject, not once per change.
    let mut windows: HashMap<(usize, &str), (usize, usize)> = map_for(ctx.facts.len());
    let mut sentence_start = 0;
    for (at, total) in ctx.facts.iter().enumerate() {
        if at > 0 && !same_sentence(&ctx.facts[at - 1], total) {
            sentence_start = at;
        }
        if total.concept != Concept::Change || total.subject.is_empty() {
            continue;
        }
        let (start, end) = *windows
            .entry((sentence_start, total.subject.as_str()))
            .or_insert_with(|| (sentence_start, window_end(vocab, ctx.facts, at)));
        let peers: Vec<&Fact> = ctx.facts[start..end]
            .iter()
            .filter(|f| {
                f.concept == Concept::Change
                    && f.base == total.base
                    && f.period == total.period
                    && f.unit_is_money()
            })
            .collect();
        let Some(cover) = cover(vocab, &total.subject, &peers, 0) else {
            continue;
        };
        if cover.parts.is_empty() {
            continue;
        }
        let total_iv = iv(total).widen(slack(ctx.settings, total));
        let (broken, unlisted) = if cover.complete {
            (!cover.sum.intersects(total_iv), None)
        } else {
            let Some(most) = unlisted_most(vocab, &total.subject, &cover, &figures, total.period)
            else {
                continue;
            };
            (total_iv.lo > cover.sum.hi + most, Some(most))
        };
        if !broken {
            continue;
        }
        let mut inputs = cover.parts.clone();
        inputs.push(total);
        let p = places(&inputs);
        let unit = total.quantity.unit;
        let sum_point: Decimal = cover.parts.iter().map(|f| val(f)).sum();
        let (list_zh, list_en): (Vec<String>, Vec<String>) = cover
            .parts
            .iter()
            .map(|f| {
                let (zh, en) = directed(val(f), &super::util::shown(f));
                (format!("{}{zh}", f.subject), format!("{} {en}", f.subject))
            })
            .unzip();
        let (against_zh, against_en) = if total.base.is_some() {
            ("比预算", "against the budget")
        } else {
            ("比上年", "on last year")
        };
        let tz = format!("{}{against_zh}", super::util::subject_zh(total));
        let te = format!(
            "the change of {} {against_en}",
            super::util::subject_en(total).trim_end()
        );
        let (sum_zh, sum_en) = directed(sum_point, &amount(sum_point, p, unit));
        let (total_zh, total_en) = directed(val(total), &super::util::shown(total));
        let text = match unlisted {
            None => Text::new(
                format!("{tz}{total_zh}，但其中 {} 合计{sum_zh}", list_zh.join("、")),
                format!(
                    "{te} is {total_en}, but its parts {} come to {sum_en}",
                    list_en.join(", ")
                ),
            ),
            Some(most) => {
                let most = amount(most, p, unit);
                Text::new(
                    format!(
                        "{tz}{total_zh}，但已列出的 {} 合计{sum_zh}；未列出的各项本年数共 {most}，\
                         至多增加这么多，合计不可能{total_zh}",
                        list_zh.join("、")
                    ),
                    format!(
                        "{te} is {total_en}, but the parts listed, {}, come to {sum_en}, and the \
                         parts not listed (together {most} this year) can add at most that much",
                        list_en.join(", ")
                    ),
                )
            }
        };
        let f = finding(&RULE, total, text).expected_found(sum_zh, total_zh);
        let mut f = with(f, total, "合计增减额", "total change");
        for part in &cover.parts {
            f = with(f, part, "其中一项", "part");
        }
        out.push(f);
    }
}

/// Whether two facts were stated in one sentence of one source.
fn same_sentence(a: &Fact, b: &Fact) -> bool {
    a.sentence == b.sentence && std::sync::Arc::ptr_eq(&a.at.source, &b.at.source)
}

/// Where the facts a change's parts may be among end (`facts[at]` the change): they are those
/// of its sentence and of the sentences right after it (at most three more), up to the first
/// sentence that speaks of a subject that is neither the change's nor one of its parts ("…较上年
/// 减少15.29万元。主要是…。其中：公务用车购置及运行维护费较上年减少2.90万元…").
fn window_end(vocab: &Vocabulary, facts: &[Fact], at: usize) -> usize {
    let total = &facts[at];
    let belongs = |f: &Fact| {
        f.subject == total.subject
            || f.part_of.as_deref() == Some(total.subject.as_str())
            || is_within(vocab, &f.subject, &total.subject)
    };
    facts[at..]
        .iter()
        .position(|f| {
            !same_sentence(f, total)
                && (!std::sync::Arc::ptr_eq(&f.at.source, &total.at.source)
                    || f.sentence > total.sentence + 3
                    || !belongs(f))
        })
        .map_or(facts.len(), |k| at + k)
}

/// "减少0.04万元" / "a decrease of 0.04万元": a change with its direction in words.
fn directed(value: Decimal, magnitude: &str) -> (String, String) {
    let magnitude = magnitude.trim_start_matches('-');
    if value.is_sign_negative() {
        (
            format!("减少{magnitude}"),
            format!("a decrease of {magnitude}"),
        )
    } else {
        (
            format!("增加{magnitude}"),
            format!("an increase of {magnitude}"),
        )
    }
}

/// The most the parts of `subject` that `cover` leaves out can have increased: the sum of
/// their figures of the year. None when one has no stated figure, or when the cover holds parts
/// the vocabulary does not list (the composition is then unknown).
fn unlisted_most(
    vocab: &Vocabulary,
    subject: &str,
    cover: &Cover,
    figures: &HashMap<(&str, Period), Decimal>,
    period: Period,
) -> Option<Decimal> {
    let entry = vocab.subject(subject).filter(|e| !e.parts.is_empty())?;
    let listed = |name: &str| cover.parts.iter().any(|f| f.subject == name);
    if cover
        .parts
        .iter()
        .any(|f| !entry.parts.contains(&f.subject))
    {
        return None;
    }
    entry
        .parts
        .iter()
        .filter(|p| !listed(p))
        .map(|p| figures.get(&(p.as_str(), period)).copied())
        .sum()
}

struct Cover<'a> {
    parts: Vec<&'a Fact>,
    sum: Interval,
    complete: bool,
}

/// The stated parts of a subject: through the vocabulary's composition (recursively: a part not
/// stated may be covered by its own parts), plus facts marked as its 其中 parts in the text.
fn cover<'a>(
    vocab: &Vocabulary,
    subject: &str,
    peers: &[&'a Fact],
    depth: usize,
) -> Option<Cover<'a>> {
    if depth > 4 {
        return None;
    }
    let stated = |name: &str| peers.iter().find(|f| f.subject == name).copied();
    let mut parts: Vec<&Fact> = Vec::new();
    let mut complete = false;
    if let Some(entry) = vocab.subject(subject).filter(|e| !e.parts.is_empty()) {
        {
            complete = true;
            for part in &entry.parts {
                if let Some(f) = stated(part) {
                    parts.push(f);
                } else if let Some(sub) = cover(vocab, part, peers, depth + 1) {
                    complete &= sub.complete && !sub.parts.is_empty();
                    parts.extend(sub.parts);
                } else {
                    complete = false;
                }
            }
        }
    }
    // Parts the text itself put under 其中, of subjects the vocabulary does not know.
    for f in peers {
        if f.part_of.as_deref() == Some(subject)
            && f.subject != subject
            && !parts.iter().any(|p| p.subject == f.subject)
            && vocab
                .subject(&f.subject)
                .is_none_or(|s| !is_within(vocab, &s.name, subject))
        {
            parts.push(f);
            complete = false;
        }
    }
    // One fact per subject, nearest the total's sentence first.
    let mut uniq: Vec<&Fact> = Vec::new();
    for p in parts {
        if !uniq.iter().any(|u| u.subject == p.subject) {
            uniq.push(p);
        }
    }
    let sum = uniq
        .iter()
        .fold(Interval::point(Decimal::ZERO), |acc, f| acc.plus(iv(f)));
    Some(Cover {
        parts: uniq,
        sum,
        complete,
    })
}

/// Whether a known subject sits (at any depth) inside another.
fn is_within(vocab: &Vocabulary, name: &str, ancestor: &str) -> bool {
    let mut cur = vocab.subject(name).and_then(|s| s.part_of.clone());
    let mut steps = 0;
    while let Some(c) = cur {
        if c == ancestor {
            return true;
        }
        steps += 1;
        if steps > 8 {
            return false;
        }
        cur = vocab.subject(&c).and_then(|s| s.part_of.clone());
    }
    false
}

trait MoneyFact {
    fn unit_is_money(&self) -> bool;
}

impl MoneyFact for Fact {
    fn unit_is_money(&self) -> bool {
        self.quantity.unit.is_money()
    }
}

/// SP0110 for a complete cover that holds: said when the stated parts add up to another value
/// than the total at its precision, yet within the rounding of the figures (without the
/// configured tolerance: a sum that holds only thanks to it is silent, as with SP0103).
fn rounding_note(total: &Fact, cover: &Cover) -> Option<Finding> {
    if !cover.sum.intersects(iv(total)) {
        return None;
    }
    let sum_point: Decimal = cover.parts.iter().map(|f| val(f)).sum();
    let precision = total.quantity.normalised_precision();
    let rounded = sum_point.round_dp_with_strategy(
        precision,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    if rounded == val(total) {
        return None;
    }
    let mut inputs = cover.parts.clone();
    inputs.push(total);
    let p = places(&inputs);
    let unit = total.quantity.unit;
    let (tz, te) = named(total);
    let (sum, diff) = (
        amount(sum_point, p, unit),
        amount(sum_point - val(total), p, unit),
    );
    let f = finding(
        &ROUNDING,
        total,
        Text::new(
            format!("{tz} 与其中各项之和 {sum} 只在各数字的舍入误差范围内一致（相差 {diff}）"),
            format!("{te} matches the sum of its parts {sum} only within rounding (off by {diff})"),
        ),
    )
    .expected_found(sum.clone(), super::util::shown(total));
    let mut f = with(f, total, "合计", "total");
    for part in &cover.parts {
        f = with(f, part, "其中一项", "part");
    }
    Some(f)
}
