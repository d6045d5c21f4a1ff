//! What a sheet says, read once for the sheet rules (`check::sheet`, which only judge it) and for
//! the cross-check with the narrative (`check::cross`): the sheet's tables (`table::read_sheet`
//! with the built-in templates and the configured ones), how they belong together (the
//! budget-execution line an indicator table takes from the fund block above it, the subtotal
//! rows and the rows they sum, the sheet's total score), and the facts they state.
//!
//! Example: a sheet holding a 项目资金 block whose 年度资金总额 row reads 全年预算数 260.00,
//! 全年执行数 253.60, 执行率 97.54%, 分值 10, 得分 9.75, above a 绩效指标 table whose 总分 row
//! scores 88 and whose 等级 is 良. Its facts are the two amounts and the rate of that total row,
//! each indicator's score, the total score 88 and the grade 良; and the 10 and 9.75 are summed
//! with the indicator table's own weights and scores (`execution_line`).

use crate::diagnostic::{Place, Source};
use crate::extract::table::{
    self, Field, FundTable, IndicatorRow, IndicatorTable, Num, SheetTables,
};
use crate::fact::{Concept, Fact, Located, Period};
use crate::quantity::{Quantity, Unit};
use crate::settings::Settings;
use crate::source::sheet::Sheet;
use rust_decimal::Decimal;
use std::sync::Arc;

/// The tables of one sheet (of a workbook, or a table found in a text), read with the built-in
/// templates and those the settings add.
pub fn tables(sheet: &Sheet, settings: &Settings) -> SheetTables {
    // Borrowed, not cloned: this runs for every sheet and every table found in a text.
    let templates: Vec<&table::Template> = table::builtin()
        .iter()
        .chain(&settings.extra_templates)
        .collect();
    table::read_sheet(sheet, &templates)
}

/// The budget-execution line of an indicator table: the 分值 and 得分 on the total rows of the
/// fund block above it, which count with the table's own weights and scores.
pub struct ExecutionLine<'a> {
    pub weights: Vec<&'a Num>,
    pub scores: Vec<&'a Num>,
}

/// The budget-execution line of the `i`th indicator table, from the fund block right above it.
/// It belongs to that table alone, not to every table of the sheet: a fund block above the
/// indicator table before it is that one's.
pub fn execution_line(tables: &SheetTables, i: usize) -> ExecutionLine<'_> {
    let t = &tables.indicators[i];
    let previous = i.checked_sub(1).map(|p| tables.indicators[p].header_row);
    let fund = tables
        .funds
        .iter()
        .rfind(|f| f.header_row < t.header_row && previous.is_none_or(|p| f.header_row > p));
    let total_row = |field: Field| -> Vec<&Num> {
        fund.into_iter()
            .flat_map(|f| f.rows.iter().filter(|r| r.total))
            .filter_map(|r| r.values.get(field))
            .collect()
    };
    ExecutionLine {
        weights: total_row(Field::Weight),
        scores: total_row(Field::Score),
    }
}

/// The sheet's total score: that of the first indicator table with a total row that has one,
/// or else the 自评得分 stated beside the tables.
pub fn total_score(tables: &SheetTables) -> Option<Num> {
    tables
        .indicators
        .iter()
        .find_map(|t| t.total_score)
        .or(tables.stated_total)
}

/// An indicator table's rows as they add up.
pub struct Groups<'a> {
    /// The rows that count once towards the table's total: a third-level indicator, or a row
    /// that no later row of its group details. No 小计 row is one.
    pub leaves: Vec<&'a IndicatorRow>,
    /// Each subtotal row with the rows it sums: a first- or second-level indicator without a
    /// third-level name, over the later rows of its group that have one; a 小计 row over the
    /// rows above it that it closes (a deeper 小计 standing for its own rows).
    pub subtotals: Vec<Subtotal<'a>>,
    /// When the table has 小计 rows: what its total adds up, each 小计 standing for its rows and
    /// the rows under none as themselves. Empty when it has none.
    pub tops: Vec<&'a IndicatorRow>,
}

/// A subtotal row and what it sums.
pub struct Subtotal<'a> {
    pub row: &'a IndicatorRow,
    /// The rows it sums, a deeper 小计 standing for its own.
    pub parts: Vec<&'a IndicatorRow>,
    /// When some of its parts are 小计s: the rows under them and its other parts, which it may
    /// add up instead (empty otherwise).
    pub rows: Vec<&'a IndicatorRow>,
}

/// Which rows of an indicator table are subtotals, and of which rows. A subtotal row opens its
/// group (its first- or second-level label is written on it, merged cells below it being blank)
/// and has no third-level name; the rows it sums are the rest of its group, those with one. Each
/// row is looked at once per group it is in (at most two), so the cost is linear in the rows.
///
/// A 小计 row closes its group: it sums the rows above it back to the previous 小计 of its
/// level or a shallower one, within its group (the first-level label it is under; also the
/// second-level one when written in the third-level column). A deeper 小计 among them stands
/// for its own rows. Each row is taken once, from a list of the rows not yet summed, so the
/// cost is linear too.
pub fn groups(t: &IndicatorTable) -> Groups<'_> {
    let mut groups = Groups {
        leaves: Vec::new(),
        subtotals: Vec::new(),
        tops: Vec::new(),
    };
    let rows = &t.rows;
    let mut i = 0;
    while i < rows.len() {
        let r = &rows[i];
        if r.subtotal.is_some() {
            i += 1;
            continue;
        }
        if !r.level3.is_empty() {
            groups.leaves.push(r);
            i += 1;
            continue;
        }
        // The group the row opens: the rows after it under the same labels.
        let same = |n: &IndicatorRow| {
            n.level1 == r.level1 && (r.level2.is_empty() || n.level2 == r.level2)
        };
        let end = rows[i + 1..]
            .iter()
            .position(|n| !same(n) || (n.level3.is_empty() && n.level2 == r.level2))
            .map_or(rows.len(), |p| i + 1 + p);
        let kids: Vec<&IndicatorRow> = rows[i + 1..end]
            .iter()
            .filter(|n| !n.level3.is_empty() && n.subtotal.is_none())
            .collect();
        if kids.is_empty() {
            groups.leaves.push(r);
        } else {
            groups.subtotals.push(Subtotal {
                row: r,
                parts: kids,
                rows: Vec::new(),
            });
        }
        i += 1;
    }
    if rows.iter().any(|r| r.subtotal.is_some()) {
        small_totals(rows, &mut groups);
    }
    groups
}

/// The 小计 rows' sums (`groups`) and what the table's total adds up then (`Groups::tops`).
fn small_totals<'a>(rows: &'a [IndicatorRow], groups: &mut Groups<'a>) {
    // Rows counted once, and 小计 rows, not yet summed by a 小计: each with its depth (a row
    // deeper than any 小计) and the rows under it (a row itself).
    const ROW: u8 = 4;
    type Open<'a> = (&'a IndicatorRow, u8, Vec<&'a IndicatorRow>);
    let mut open: Vec<Open<'a>> = Vec::new();
    let mut leaves = groups.leaves.iter().peekable();
    for r in rows {
        if leaves.peek().is_some_and(|l| std::ptr::eq(**l, r)) {
            leaves.next();
            open.push((r, ROW, vec![r]));
            continue;
        }
        let Some(level) = r.subtotal else {
            continue;
        };
        let in_group =
            |n: &IndicatorRow| n.level1 == r.level1 && (level < 3 || n.level2 == r.level2);
        let from = open
            .iter()
            .rposition(|(n, depth, _)| *depth <= level || !in_group(n))
            .map_or(0, |p| p + 1);
        let (mut parts, mut under) = (Vec::new(), Vec::new());
        let mut nested = false;
        for (n, depth, below) in open.drain(from..) {
            nested |= depth < ROW;
            parts.push(n);
            under.extend(below);
        }
        if !parts.is_empty() {
            groups.subtotals.push(Subtotal {
                row: r,
                parts,
                rows: if nested { under.clone() } else { Vec::new() },
            });
        }
        open.push((r, level, under));
    }
    groups.tops = open.into_iter().map(|(r, _, _)| r).collect();
}

/// A score or weight as a quantity of points, read to two decimals at least.
pub fn points(n: &Num) -> Quantity {
    Quantity::new(n.value, n.decimals.max(2), Unit::Points)
}

/// The facts a sheet's tables state, for the cross-check with the narrative, in this order: each
/// indicator's score (table by table), the amounts and rate of each fund block's total row, the
/// total score, the grade. A sheet where no table was recognised states none.
pub fn facts(source: &Arc<Source>, sheet: &str, tables: &SheetTables) -> Vec<Fact> {
    let mut facts = Vec::new();
    if tables.is_empty() {
        return facts;
    }
    for t in &tables.indicators {
        // A 小计 is no indicator's score.
        for r in t.rows.iter().filter(|r| r.subtotal.is_none()) {
            if let Some(n) = r.score {
                let mut f = fact(source, sheet, Concept::Score, points(&n), &n, None);
                f.subject = r.name();
                facts.push(f);
            }
        }
    }
    for t in &tables.funds {
        facts.extend(fund_facts(source, sheet, t));
    }
    if let Some(n) = total_score(tables) {
        facts.push(fact(
            source,
            sheet,
            Concept::TotalScore,
            points(&n),
            &n,
            None,
        ));
    }
    if let Some((word, r, c)) = &tables.grade {
        // The grade's value is its word; its quantity is only a placeholder at its cell.
        let grade_num = Num {
            value: Decimal::ZERO,
            decimals: 0,
            row: *r,
            col: *c,
        };
        let mut g = fact(
            source,
            sheet,
            Concept::Grade,
            points(&grade_num),
            &grade_num,
            None,
        );
        g.word = Some(word.clone());
        facts.push(g);
    }
    facts
}

/// A fact of this year at a cell; its sentence is the cell's row.
fn fact(
    source: &Arc<Source>,
    sheet: &str,
    concept: Concept,
    quantity: Quantity,
    n: &Num,
    base: Option<Concept>,
) -> Fact {
    Fact {
        concept,
        subject: String::new(),
        part_of: None,
        period: Period::Current,
        quantity,
        base,
        changed: None,
        listing: None,
        word: None,
        sentence: n.row as usize,
        section: 0,
        at: Located {
            source: source.clone(),
            place: Place::Cell {
                sheet: sheet.to_string(),
                row: n.row,
                col: n.col,
            },
        },
    }
}

/// The amounts (in the block's unit, 元 or 万元) and the rate of a fund block's total rows.
fn fund_facts(source: &Arc<Source>, sheet: &str, t: &FundTable) -> Vec<Fact> {
    let unit = if t.yuan { Unit::Yuan } else { Unit::Wan };
    let mut out = Vec::new();
    for row in t.rows.iter().filter(|r| r.total) {
        for (field, concept) in [
            (Field::Initial, Concept::InitialBudget),
            (Field::FullYear, Concept::FullYearBudget),
            (Field::Actual, Concept::Actual),
        ] {
            if let Some(n) = row.values.get(field) {
                out.push(fact(
                    source,
                    sheet,
                    concept,
                    Quantity::new(n.value, n.decimals.max(2), unit),
                    n,
                    None,
                ));
            }
        }
        if let Some(n) = row.values.get(Field::Rate) {
            out.push(fact(
                source,
                sheet,
                Concept::Rate,
                Quantity::new(n.value, n.decimals, Unit::Percent),
                n,
                Some(Concept::FullYearBudget),
            ));
        }
    }
    out
}
