//! Extraction: decoded text → facts. `normalize` maps full-width forms to ASCII keeping offsets,
//! `numbers` finds figures and rejects non-amounts, `narrative` assigns concepts and subjects.

pub mod narrative;
pub mod normalize;
pub mod numbers;
mod scan;
pub mod table;
pub mod text_table;
pub mod vocab;

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
