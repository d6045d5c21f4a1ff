//! Extraction: decoded text → facts. `normalize` maps full-width forms to ASCII keeping offsets,
//! `numbers` finds figures and rejects non-amounts, `narrative` assigns concepts and subjects.

pub mod narrative;
pub mod normalize;
pub mod numbers;
mod scan;
pub mod table;
pub mod text_table;
pub mod vocab;
