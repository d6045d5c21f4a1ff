//! Renderers: a `Report` in each output format; json and sarif also as writers that stream the
//! same document finding by finding, with `order` giving the whole report's order from bundles
//! checked one at a time; html a page written report by report. A renderer never computes a
//! finding.

mod excerpt;
pub mod html;
#[cfg(feature = "cli")]
pub mod human;
pub mod json;
pub mod jsonl;
pub mod line;
pub mod order;
pub mod sarif;
mod stream;
pub mod summary;
pub mod table;

use crate::diagnostic::{Label, Place};

/// A label's position as 1-based line/column pairs and byte offsets (text labels only).
pub struct TextPos {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

pub fn text_pos(label: &Label) -> Option<TextPos> {
    match label.place {
        Place::Text { start, end } => {
            let (line, column) = label.source.line_col(start);
            let (end_line, end_column) = label.source.line_col(end);
            Some(TextPos {
                line,
                column,
                end_line,
                end_column,
                byte_start: start,
                byte_end: end,
            })
        }
        _ => None,
    }
}
