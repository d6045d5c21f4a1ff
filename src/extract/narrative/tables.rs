//! The figures of a text's tables, as facts the narrative's sentences can be compared with.
//!
//! "2021年度“三公”经费支出决算表 / 单位：万元 / 项目 | 预算数 | 决算数 / 公务接待费 | 14.9 |
//! 5.21": the row names a subject the vocabulary knows, the column a kind of money (预算数), the
//! title or the column its year, and a unit line its unit; the cell 14.9 is then 公务接待费's
//! budget of 2021, which "公务接待费支出5.21万元，与2021年度预算相比，减少0.1万元" is compared
//! with. A table that leaves any of these unsaid gives no fact: the sheet rules still judge it
//! on its own (`check::sheet`).

use super::cut::clean_subject_text;
use super::periods::years_written;
use super::{Draft, Reader};
use crate::extract::numbers::Figure;
use crate::extract::table::key_of;
use crate::extract::text_table::{self, TextTable};
use crate::extract::vocab::Terms;
use crate::fact::{Concept, Period};
use crate::quantity::Unit;
use crate::source::sheet::Value;

/// Labels of a table's total row, which is about what the title names.
const TOTAL_WORDS: [&str; 4] = ["合计", "总计", "小计", "合 计"];

impl Reader<'_> {
    /// The facts of the text's tables (`text_table::find` on the normalised text: only a text
    /// with a pipe or a tab has tables whose rows name subjects); `sentence_at` gives the
    /// sentence index of an offset.
    pub(super) fn table_drafts(&self, sentence_at: impl Fn(usize) -> usize) -> Vec<Draft> {
        let mut out = Vec::new();
        if memchr::memchr2(b'|', b'\t', self.text.as_bytes()).is_none() {
            return out;
        }
        for table in text_table::find(self.text) {
            self.read_table(&table, &sentence_at, &mut out);
        }
        out
    }

    fn read_table(
        &self,
        table: &TextTable,
        sentence_at: &impl Fn(usize) -> usize,
        out: &mut Vec<Draft>,
    ) {
        let Some((start, _)) = table.span(0, 0) else {
            return;
        };
        // The lines just above the table: its title and unit line ("单位：万元").
        let above = self.lines_above(start, 3);
        let header: Vec<String> = table
            .sheet
            .cells
            .first()
            .map(|r| r.iter().map(Value::text).collect())
            .unwrap_or_default();
        let Some(unit) = header
            .iter()
            .find_map(|h| unit_named(h))
            .or_else(|| unit_named(above))
        else {
            return;
        };
        // A title naming two years ("2016年决算数与2015年决算数对比情况") names no one period.
        let mut years = years_written(above).map(|(_, y)| y);
        let first_year = years.next();
        let title_period = if years.any(|y| Some(y) != first_year) {
            None
        } else {
            self.named_period(above)
        };
        let title_subject = self
            .vocab
            .find_subject(&clean_subject_text(above))
            .map(|(_, _, s)| s.name.clone());
        // Each column's kind and year, from its header cell.
        let columns: Vec<Option<(Concept, Period)>> = header
            .iter()
            .map(|h| {
                let key = key_of(h);
                let key = key.split(['(', '（']).next().unwrap_or("");
                let (term, at) = self.vocab.last_term(key, Terms::Money)?;
                // The cell is the kind word, with at most a year before it ("2021年预算数").
                if at + term.text.len() != key.len() {
                    return None;
                }
                let before = &key[..at];
                let period = if before.is_empty() {
                    title_period?
                } else {
                    self.named_period(before)?
                };
                let plain = before.chars().count() <= 6;
                (plain && term.concept != Concept::Adjustment).then_some((term.concept, period))
            })
            .collect();
        if columns.iter().all(Option::is_none) {
            return;
        }
        for (r, row) in table.sheet.cells.iter().enumerate().skip(1) {
            let Some(subject) = row
                .first()
                .and_then(|label| self.row_subject(label, &title_subject))
            else {
                continue;
            };
            for (c, value) in row.iter().enumerate().skip(1) {
                let (Some(Some((concept, period))), Value::Number(v, decimals)) =
                    (columns.get(c), value)
                else {
                    continue;
                };
                let Some((s, e)) = table.span(r as u32, c as u32) else {
                    continue;
                };
                out.push(Draft {
                    concept: *concept,
                    subject: subject.clone(),
                    part_of: None,
                    period: *period,
                    figure: Figure {
                        start: s,
                        end: e,
                        value: *v,
                        decimals: *decimals,
                        unit,
                    },
                    negative: false,
                    base: None,
                    changed: None,
                    listing: None,
                    word: None,
                    sentence: sentence_at(s),
                    group: self.group_of(s),
                });
            }
        }
    }

    /// The subject a row's label names: the whole label a known subject's name (after 其中),
    /// or a total row, about what the title names.
    fn row_subject(&self, label: &Value, title_subject: &Option<String>) -> Option<String> {
        let key = key_of(&label.text()).into_owned();
        let key = key
            .strip_prefix("其中")
            .map(|k| k.trim_start_matches([':', '：', ',', '，']))
            .unwrap_or(&key);
        if TOTAL_WORDS.contains(&key) {
            return title_subject.clone();
        }
        let (s, e, subject) = self.vocab.find_subject(key)?;
        let rest = &key[e..];
        let whole = s == 0 && (rest.is_empty() || ["费", "费用", "经费", "支出"].contains(&rest));
        whole.then(|| subject.name.clone())
    }

    /// Up to `n` lines before `offset`, joined.
    fn lines_above(&self, offset: usize, n: usize) -> &str {
        let before = &self.text[..offset];
        let mut start = before.len();
        for _ in 0..=n {
            match before[..start].rfind('\n') {
                Some(nl) => start = nl,
                None => {
                    start = 0;
                    break;
                }
            }
        }
        &before[start..]
    }
}

/// The unit a unit line or header names: "单位：万元", "（万元）", "金额单位：元".
fn unit_named(text: &str) -> Option<Unit> {
    let key = key_of(text);
    let after = key
        .find("单位")
        .map(|i| &key[i + "单位".len()..])
        .map(|a| a.trim_start_matches([':', '：']))
        .or_else(|| key.find("(万元)").map(|i| &key[i + 1..]))?;
    if after.starts_with("万元") {
        Some(Unit::Wan)
    } else if after.starts_with("亿元") {
        Some(Unit::Yi)
    } else if after.starts_with('元') {
        Some(Unit::Yuan)
    } else {
        None
    }
}
