//! SP0213 sheet-change-mismatch: a table that sets two years side by side and states the
//! change between them. "三公" disclosures print 2015年 and 2016年 rows (or columns) and a row
//! "2016年比2015年增减%" (or 增减额, 决算对比 …); each column's change must follow from its two
//! figures. The rows are found by their labels alone, so the check needs no template and runs on
//! every sheet and every table found in a text.
//!
//! Example: rows 2015年 | 2840 and 2016年 | 2364 under a row 2016年比2015年增减% | -18.5 →
//! (2364 − 2840) ÷ 2840 = -16.76%, an error; -16.77 holds only within the rounding of the whole
//! 万元 (SP0103, info).

use super::{Cells, fmt};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::extract::table::{Num, key_of};
use crate::quantity::{Quantity, Unit};
use crate::settings::Tolerance;
use crate::source::sheet::{Sheet, Value};
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

rule!(
    CHANGE,
    "SP0213",
    "sheet-change-mismatch",
    Error,
    "表中增减额或增减率与两年的数字不符",
    "a table's change between two years does not follow from its figures",
    "## SP0213 sheet-change-mismatch（表中增减与两年数字不符）\n\n检查什么：表中并列两个年度的数字（“2015年”“2016年”行或列，可带“预算数”“决算数”），\n并有一行（列）写两者的增减：标签含“增减”“增长”“减少”“下降”“变化”“对比”“比较”等。\n标签带 %、率、幅度的按增减幅度核对：(本年 − 上年) ÷ 上年 × 100；否则按增减额核对：本年 − 上年。\n标签写明两个年度的（“2016年比2015年增减%”），取这两年；否则表中须恰好有一对同类的年度行。\n“增减”“对比”这样不分方向的标签只比较大小；写“减少”“下降”的，所写数字按减少计。\n按各数字最后一位的舍入判断：只在舍入范围内成立的增减幅度报 SP0103（提示）。\n\n为什么：这类对比表是手工填写的，增减率常按未取整的数据或别的年份算出，与表中数字对不上。\n\n示例：2015年 2840、2016年 2364、“2016年比2015年增减%”写 -18.5 → 应为 -16.76%，错误。\n",
    "## SP0213 sheet-change-mismatch\n\nWhat: a table setting two years side by side (rows or columns labelled 2015年, 2016年, possibly with 预算数/决算数) and a row (column) stating the change between them: its label holds 增减, 增长, 减少, 下降, 变化, 对比, 比较 …. A label with %, 率 or 幅度 is a change rate, checked as (current − prior) ÷ prior × 100; otherwise a change amount, current − prior. A label naming two years (2016年比2015年增减%) takes those; otherwise the table must hold exactly one pair of year rows of one kind. Neutral labels (增减, 对比) are compared in magnitude; 减少/下降 make the stated figure a decrease. Each figure is the interval of its last digit's rounding: a rate that holds only within it is SP0103 (info).\n\nWhy: such tables are filled in by hand, and their rates are often computed from unrounded data or other years.\n\nExample: 2015年 2840, 2016年 2364, 2016年比2015年增减% -18.5 → should be -16.76%, error.\n"
);

/// What a row (or column) label says: a year's figures, or the change between two years.
#[derive(Debug, Clone, PartialEq)]
enum Line {
    Year { year: u32, kind: Kind },
    Change(Change),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Budget,
    Actual,
    Unnamed,
}

#[derive(Debug, Clone, PartialEq)]
struct Change {
    rate: bool,
    /// +1 for 增长/增加, -1 for 减少/下降, 0 when the words give no direction.
    direction: i8,
    /// The later and the earlier year, when the label names both.
    years: Option<(u32, u32)>,
    kind: Kind,
}

impl Change {
    /// What the stated figure is called in messages and labels.
    fn what(&self) -> (&'static str, &'static str) {
        if self.rate {
            ("增减幅度", "change rate")
        } else {
            ("增减额", "change")
        }
    }
}

fn kind_of(words: &str) -> Kind {
    if words.contains("预算") {
        Kind::Budget
    } else if ["决算", "支出", "执行", "实际"]
        .iter()
        .any(|w| words.contains(w))
    {
        Kind::Actual
    } else {
        Kind::Unnamed
    }
}

/// The years written in a label ("2016年比2015年增减%" → [2016, 2015]).
fn years_in(key: &str) -> Vec<u32> {
    let b = key.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= b.len() {
        let four = &b[i..i + 4];
        let digits = four.iter().all(u8::is_ascii_digit);
        let alone = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if digits && alone && (four.starts_with(b"19") || four.starts_with(b"20")) {
            out.push(four.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')));
            i += 4;
        } else {
            i += 1;
        }
    }
    out
}

const CHANGE_WORDS: [&str; 12] = [
    "增减", "增长", "增加", "减少", "下降", "降低", "变化", "变动", "对比", "比较", "增幅", "降幅",
];

fn line_of(label: &str) -> Option<Line> {
    // Most labels (产出指标, 项目名称) name no year and no change: said without normalising.
    let may_be = label.len() <= 96
        && (label
            .as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit))
            || label.contains(['增', '减', '減', '降', '变', '變', '对', '對', '比', '幅']));
    if !may_be {
        return None;
    }
    let key = key_of(&fast2s::convert(label)).into_owned();
    if key.chars().count() > 24 {
        return None;
    }
    let years = years_in(&key);
    if CHANGE_WORDS.iter().any(|w| key.contains(w)) {
        let rate = key.contains(['%', '％']) || key.contains('率') || key.contains("幅");
        let up = ["增长", "增加", "增幅", "上升"]
            .iter()
            .any(|w| key.contains(w));
        let down = ["减少", "下降", "降低", "降幅"]
            .iter()
            .any(|w| key.contains(w));
        let direction = match (up || key.contains("增减"), down || key.contains("增减")) {
            (true, false) => 1,
            (false, true) => -1,
            _ => 0,
        };
        let years = match years[..] {
            [a, b] if a != b => Some((a.max(b), a.min(b))),
            _ => None,
        };
        return Some(Line::Change(Change {
            rate,
            direction,
            years,
            kind: kind_of(&key),
        }));
    }
    // "2015年", "2016年度决算数", "2015年预算": a year and at most a kind word.
    let [year] = years[..] else {
        return None;
    };
    let rest = key
        .split_once(&year.to_string())
        .map(|(a, b)| format!("{a}{b}"))
        .unwrap_or_default();
    let rest = rest.trim_start_matches('年').trim_start_matches('度');
    let kind = kind_of(rest);
    let plain = rest.chars().count() <= 6 && (kind != Kind::Unnamed || rest.is_empty());
    plain.then_some(Line::Year { year, kind })
}

/// A cell's number, with its decimals; a percentage keeps its figure ("5.2%" → 5.2).
fn number(v: &Value) -> Option<(Decimal, u32)> {
    match v {
        Value::Number(d, p) => Some((*d, *p)),
        Value::Text(t) => {
            let t = t.trim().trim_end_matches(['%', '％']).replace(',', "");
            let d = Decimal::from_str(&t).ok()?;
            Some((d, t.split_once('.').map_or(0, |(_, f)| f.len() as u32)))
        }
        _ => None,
    }
}

/// SP0213 (and SP0103) over one sheet: year rows with a change row, and year columns with a
/// change column.
pub fn check(cells: &Cells, sheet: &Sheet, tol: &Tolerance, out: &mut Vec<Finding>) {
    let rows = sheet.cells.len();
    let width = sheet.width();
    // Rows labelled in their first non-empty cell.
    let row_lines: Vec<(usize, Line)> = (0..rows)
        .filter_map(|r| {
            let label = sheet.cells[r].iter().find(|v| !v.is_empty())?;
            match label {
                Value::Text(t) => line_of(t).map(|l| (r, l)),
                _ => None,
            }
        })
        .collect();
    compare(
        &row_lines,
        width,
        |line, k| fig(sheet, line, k),
        cells,
        tol,
        out,
    );
    // Columns labelled in a header row near the top.
    for h in 0..rows.min(4) {
        let col_lines: Vec<(usize, Line)> = (0..width)
            .filter_map(|c| match sheet.get(h, c) {
                Value::Text(t) => line_of(t).map(|l| (c, l)),
                _ => None,
            })
            .collect();
        let years = col_lines
            .iter()
            .filter(|(_, l)| matches!(l, Line::Year { .. }))
            .count();
        if years >= 2 {
            compare(
                &col_lines,
                rows,
                |line, k| fig(sheet, k, line),
                cells,
                tol,
                out,
            );
            break;
        }
    }
}

fn fig(sheet: &Sheet, row: usize, col: usize) -> Option<Num> {
    let (value, decimals) = number(sheet.get(row, col))?;
    Some(Num {
        value,
        decimals,
        row: row as u32,
        col: col as u32,
    })
}

/// Compares each change line with the two year lines it is between, position by position
/// across (`across` positions; `at(line, k)` is the figure of a line at a position).
fn compare(
    lines: &[(usize, Line)],
    across: usize,
    at: impl Fn(usize, usize) -> Option<Num>,
    cells: &Cells,
    tol: &Tolerance,
    out: &mut Vec<Finding>,
) {
    let years: Vec<(usize, u32, Kind)> = lines
        .iter()
        .filter_map(|(i, l)| match l {
            Line::Year { year, kind } => Some((*i, *year, *kind)),
            _ => None,
        })
        .collect();
    if years.len() < 2 {
        return;
    }
    for (i, line) in lines {
        let Line::Change(change) = line else {
            continue;
        };
        let Some((current, prior)) = pair(&years, change) else {
            continue;
        };
        for k in 0..across {
            let (Some(c), Some(p), Some(s)) = (at(current, k), at(prior, k), at(*i, k)) else {
                continue;
            };
            judge(cells, change, c, p, s, tol, out);
        }
    }
}

/// The current and the prior line of a change: the two years its label names, else the one
/// pair of distinct years of one kind (of the change's kind when it names one).
fn pair(years: &[(usize, u32, Kind)], change: &Change) -> Option<(usize, usize)> {
    let candidates = |year: u32| -> Vec<(usize, Kind)> {
        years
            .iter()
            .filter(|(_, y, _)| *y == year)
            .map(|(i, _, k)| (*i, *k))
            .collect()
    };
    let one = |year: u32, kind: Option<Kind>| -> Option<(usize, Kind)> {
        let all = candidates(year);
        let fitting: Vec<(usize, Kind)> = match kind {
            Some(k) if all.len() > 1 => all.iter().copied().filter(|(_, x)| *x == k).collect(),
            _ => all,
        };
        match fitting[..] {
            [only] => Some(only),
            _ => None,
        }
    };
    let kind = (change.kind != Kind::Unnamed).then_some(change.kind);
    let (later, earlier) = match change.years {
        Some(ys) => ys,
        None => {
            let mut distinct: Vec<u32> = years.iter().map(|(_, y, _)| *y).collect();
            distinct.sort_unstable();
            distinct.dedup();
            match distinct[..] {
                [a, b] => (b, a),
                _ => return None,
            }
        }
    };
    let (c, ck) = one(later, kind)?;
    let (p, pk) = one(earlier, kind.or(Some(ck)))?;
    // A budget compared with an actual is no change between years.
    (ck == pk || ck == Kind::Unnamed || pk == Kind::Unnamed).then_some((c, p))
}

fn judge(
    cells: &Cells,
    change: &Change,
    current: Num,
    prior: Num,
    stated: Num,
    tol: &Tolerance,
    out: &mut Vec<Finding>,
) {
    let unit = if change.rate {
        Unit::Percent
    } else {
        Unit::Plain
    };
    let cur = Quantity::new(current.value, current.decimals, Unit::Plain).interval();
    let pri = Quantity::new(prior.value, prior.decimals, Unit::Plain).interval();
    let diff = cur.minus(pri);
    let point_diff = current.value - prior.value;
    let (computed, point) = if change.rate {
        if prior.value.is_zero() {
            return;
        }
        let Some(ratio) = diff.divided_by(pri) else {
            return;
        };
        (
            ratio.scale(Decimal::ONE_HUNDRED),
            point_diff / prior.value * Decimal::ONE_HUNDRED,
        )
    } else {
        (diff, point_diff)
    };
    // What the stated figure says, signed: a neutral label is compared in magnitude.
    let magnitude = stated.value.abs();
    let signed = match change.direction {
        1 => magnitude,
        -1 => -magnitude,
        _ if point.is_sign_negative() => -magnitude,
        _ => magnitude,
    };
    let stated_q = Quantity::new(signed, stated.decimals, unit);
    let slack = tol.in_unit(unit);
    if computed.intersects(stated_q.interval().widen(slack)) {
        let rounded =
            point.round_dp_with_strategy(stated.decimals, RoundingStrategy::MidpointAwayFromZero);
        if change.rate && rounded != signed && stated.decimals <= 4 {
            out.push(rounding(cells, change, current, prior, stated, point));
        }
        return;
    }
    // A rate written as a fraction of one (-0.1677 for -16.77%), as percent-formatted cells are.
    if change.rate
        && magnitude <= Decimal::ONE
        && computed.intersects(stated_q.interval().scale(Decimal::ONE_HUNDRED).widen(slack))
    {
        return;
    }
    out.push(mismatch(cells, change, current, prior, stated, point));
}

fn formula(change: &Change, current: Num, prior: Num) -> String {
    if change.rate {
        format!(
            "({} − {}) ÷ {}",
            fmt(current.value, current.decimals),
            fmt(prior.value, prior.decimals),
            fmt(prior.value, prior.decimals)
        )
    } else {
        format!(
            "{} − {}",
            fmt(current.value, current.decimals),
            fmt(prior.value, prior.decimals)
        )
    }
}

fn shown(change: &Change, f: Num) -> String {
    let v = fmt(f.value, f.decimals);
    if change.rate { format!("{v}%") } else { v }
}

fn labelled(
    cells: &Cells,
    f: Finding,
    change: &Change,
    current: Num,
    prior: Num,
    stated: Num,
) -> Finding {
    let (what_zh, what_en) = change.what();
    let f = cells.label(f, stated.row, stated.col, what_zh.into(), what_en.into());
    let f = cells.label(f, current.row, current.col, "本年".into(), "current".into());
    cells.label(f, prior.row, prior.col, "上年".into(), "prior".into())
}

fn mismatch(
    cells: &Cells,
    change: &Change,
    current: Num,
    prior: Num,
    stated: Num,
    point: Decimal,
) -> Finding {
    let places = if change.rate {
        stated.decimals.max(2)
    } else {
        current.decimals.max(prior.decimals)
    };
    let expected = if change.rate {
        format!("{}%", fmt(point, places))
    } else {
        fmt(point, places)
    };
    let (what_zh, what_en) = change.what();
    let at = cells.at(&stated);
    let f = Finding::new(
        &CHANGE,
        cells.source.clone(),
        Text::new(
            format!(
                "所写{what_zh} {} 与 {} = {expected} 不符（{at}）",
                shown(change, stated),
                formula(change, current, prior)
            ),
            format!(
                "stated {what_en} {} differs from {} = {expected} ({at})",
                shown(change, stated),
                formula(change, current, prior)
            ),
        ),
    )
    .expected_found(expected, shown(change, stated));
    labelled(cells, f, change, current, prior, stated)
}

fn rounding(
    cells: &Cells,
    change: &Change,
    current: Num,
    prior: Num,
    stated: Num,
    point: Decimal,
) -> Finding {
    let at = cells.at(&stated);
    let exact = fmt(point, stated.decimals + 2);
    let rounded = fmt(point, stated.decimals);
    let f = Finding::new(
        &crate::check::rate::ROUNDING,
        cells.source.clone(),
        Text::new(
            format!(
                "所写增减幅度 {}：{} = {exact}%，四舍五入应为 {rounded}%，只在各数字的舍入误差范围内成立（{at}）",
                shown(change, stated),
                formula(change, current, prior)
            ),
            format!(
                "stated change rate {}: {} = {exact}%, which rounds to {rounded}%; it holds only within the rounding of the figures ({at})",
                shown(change, stated),
                formula(change, current, prior)
            ),
        ),
    )
    .expected_found(format!("{rounded}%"), shown(change, stated));
    labelled(cells, f, change, current, prior, stated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_years_kinds_and_changes() {
        assert_eq!(
            line_of("2016年"),
            Some(Line::Year {
                year: 2016,
                kind: Kind::Unnamed
            })
        );
        assert_eq!(
            line_of("2015年度預算數"),
            Some(Line::Year {
                year: 2015,
                kind: Kind::Budget
            })
        );
        assert_eq!(
            line_of("2016年比2015年增减%"),
            Some(Line::Change(Change {
                rate: true,
                direction: 0,
                years: Some((2016, 2015)),
                kind: Kind::Unnamed
            }))
        );
        assert_eq!(
            line_of("决算对比"),
            Some(Line::Change(Change {
                rate: false,
                direction: 0,
                years: None,
                kind: Kind::Actual
            }))
        );
        // A year inside a longer name is no year row.
        assert_eq!(line_of("2016年度全区三公经费使用情况"), None);
        assert_eq!(
            line_of("2020年度支出(万元)"),
            Some(Line::Year {
                year: 2020,
                kind: Kind::Actual
            })
        );
    }
}
