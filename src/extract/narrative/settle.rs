//! Settling the drafts into facts: precision and spans.
//!
//! In a report that writes amounts with two decimals, "300万元" is read as 300.00万元 (the
//! interval [299.995, 300.005]); "16分" is always 16.00分, as scores are given, not measured.
//! Each figure's span is mapped back from the normalised text to the original.

use super::super::normalize::Normalized;
use super::Draft;
use crate::diagnostic::{Place, Source};
use crate::fact::{Fact, Located};
use crate::quantity::{Quantity, Unit};
use std::collections::HashMap;
use std::sync::Arc;

/// Settles precision and maps spans back to the original text.
///
/// An integer amount in a document that writes two decimals elsewhere is read as .00: the
/// precision of money (per unit) and of scores is the number of decimals most often written.
/// Scores are read to two decimals at least: they are assigned, not rounded measurements.
pub(super) fn finish(drafts: Vec<Draft>, norm: &Normalized, src: &Arc<Source>) -> Vec<Fact> {
    let mut usual: HashMap<Unit, u32> = HashMap::new();
    for unit in [Unit::Yuan, Unit::Wan, Unit::Yi, Unit::Points] {
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for d in drafts.iter().filter(|d| d.figure.unit == unit) {
            if d.figure.decimals > 0 {
                *counts.entry(d.figure.decimals).or_default() += 1;
            }
        }
        if let Some((p, _)) = counts.into_iter().max_by_key(|&(p, n)| (n, p)) {
            usual.insert(unit, p);
        }
    }
    drafts
        .into_iter()
        .map(|d| {
            let f = &d.figure;
            // Scores are given, not measured: "16分" is 16.00, not [15.5, 16.5].
            let floor = if f.unit == Unit::Points { 2 } else { 0 };
            let precision = f
                .decimals
                .max(usual.get(&f.unit).copied().unwrap_or(0))
                .max(floor);
            let value = if d.negative { -f.value } else { f.value };
            let (start, end) = norm.orig_range(f.start, f.end);
            Fact {
                concept: d.concept,
                subject: d.subject,
                part_of: d.part_of,
                period: d.period,
                quantity: Quantity::new(value, precision, f.unit),
                base: d.base,
                changed: d.changed,
                listing: d.listing,
                word: d.word,
                sentence: d.sentence,
                section: d.group,
                at: Located {
                    source: src.clone(),
                    place: Place::Text { start, end },
                },
            }
        })
        .collect()
}
