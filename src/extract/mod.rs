//! Extraction: decoded text → facts. `normalize` maps full-width forms to ASCII keeping offsets,
//! `numbers` finds figures and rejects non-amounts, `narrative` assigns concepts and subjects;
//! `table` reads a sheet's tables and `sheet` what they say together, and their facts.

pub mod narrative;
pub mod normalize;
pub mod numbers;
mod scan;
pub mod sheet;
pub mod table;
pub mod target;
pub mod text_table;
pub mod vocab;

/// The report's title: the first of its first three non-blank lines that looks like one (80
/// chars at most, naming a 报告, 自评, 绩效 or 评价); a line such as "附件2" above it is passed.
pub fn title_line(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .find(|line| {
            line.chars().count() <= 80
                && ["报告", "自评", "绩效", "评价"]
                    .iter()
                    .any(|w| line.contains(w))
        })
}

/// Texts for property tests: fewer than `max` pieces, each one of `pieces`, joined.
#[cfg(test)]
pub(crate) fn joined(
    pieces: &[&'static str],
    max: usize,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..max)
        .prop_map(|parts| parts.concat())
}
