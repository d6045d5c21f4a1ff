use super::super::vocab::{self, Vocabulary};
use super::Reader;
use crate::quantity::Unit;

/// Whether a figure in this unit can be read as a fact: amounts, rates and points can; counts
/// and bare numbers (indicator values, "10.26") cannot. `classify` reads no other, and
/// `Reader::read` skips sentences that hold no other.
pub(super) fn may_be_a_fact(unit: Unit) -> bool {
    unit.is_money() || matches!(unit, Unit::Percent | Unit::Points)
}

/// Words that may stand between a concept term and its figure.
pub(super) fn is_connector(gap: &str) -> bool {
    const FILLERS: &[&str] = &[
        "人民币",
        "共计",
        "合计",
        "总计",
        "达到",
        "金额",
        "资金",
        "安排",
        "为",
        "是",
        "达",
        "共",
        "约",
        "计",
        "了",
        "额",
        "数",
        ":",
        " ",
        "\t",
        "总",
        "的",
    ];
    let mut rest = gap;
    'outer: while !rest.is_empty() {
        for f in FILLERS {
            if let Some(r) = rest.strip_prefix(f) {
                rest = r;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// Whether the words before a money concept word make it income ("收入决算"): income is not
/// read, as no check compares it.
pub(super) fn names_income(before_term: &str) -> bool {
    before_term.ends_with("收入")
}

impl<'a> Reader<'a> {
    /// The money concept term ending nearest before a figure, if only connecting words follow
    /// it. Returns the term and its start in `prefix`.
    pub(super) fn money_term(&self, prefix: &str) -> Option<(&'a vocab::Term, usize)> {
        self.nearest_term(prefix, vocab::Terms::Money)
    }

    pub(super) fn nearest_term(
        &self,
        prefix: &str,
        kind: vocab::Terms,
    ) -> Option<(&'a vocab::Term, usize)> {
        let vocab: &'a Vocabulary = self.vocab;
        let (term, pos) = vocab.last_term(prefix, kind)?;
        let gap = &prefix[pos + term.text.len()..];
        is_connector(gap).then_some((term, pos))
    }
}
