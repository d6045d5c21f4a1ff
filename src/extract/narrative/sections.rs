//! Headings, score groups and subtotals.
//!
//! "(一)决策指标(20分)得分18分。" opens with a level-2 marker: it is a heading, and a score on
//! its first sentence is the subtotal of the scores below it, up to the next heading of its
//! level (`mark_subtotals`). Scores are summed per top-level section (`score_groups`): a summary
//! paragraph and a detailed list are two itemisations of one total.

use super::super::scan::lines_of;
use super::cut::opening_marker;
use super::{Draft, Reader};
use crate::fact::Concept;

/// A line that opens with a section marker: "一、" (level 1), "(一)" (2), "1." or "1、" (3),
/// "(1)" (4). It may be a bare heading or a numbered paragraph; either way it bounds sections.
#[derive(Debug, Clone, Copy)]
pub(super) struct Heading {
    pub(super) start: usize,
    /// End of the line's first sentence: a subtotal is stated there ("(二)预算执行(30分):得27分。
    /// 其中…扣1分").
    pub(super) first_sentence_end: usize,
    pub(super) level: u8,
}

pub(super) fn outline(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    for (offset, body) in lines_of(text) {
        if let Some(level) = heading_level(body) {
            let first = first_sentence_end(body).unwrap_or(body.len());
            out.push(Heading {
                start: offset,
                first_sentence_end: offset + first,
                level,
            });
        }
    }
    out
}

/// The section marker a line opens with, after spaces and Markdown's "#" or "**" ("## 一、",
/// "**(一)**"): "一、" 1, "(一)" 2, "1." or "1、" 3, "(1)" 4. Read by hand, as the patterns in
/// the test say, since it runs for every line.
pub(super) fn heading_level(line: &str) -> Option<u8> {
    let mut rest = line.trim_start();
    if rest.starts_with('#') {
        rest = rest.trim_start_matches('#').trim_start();
    }
    let rest = rest.strip_prefix("**").unwrap_or(rest);
    opening_marker(rest).map(|(level, _)| level)
}

/// Where a line's first sentence ends (。!?), found by byte search: '!' and '?' are ASCII, and
/// 。 is the only char of the E3 80 82 bytes.
pub(super) fn first_sentence_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(k) = memchr::memchr3(b'!', b'?', 0xE3, &bytes[from..]) {
        let at = from + k;
        if bytes[at] != 0xE3 || bytes.get(at + 1..at + 3) == Some(&[0x80, 0x82]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Score groups: scores are summed per top-level section, and within it separately for those
/// stated directly under the section heading and those under its sub-headings — a summary
/// paragraph and a detailed list are two itemisations of one total, not one list.
pub(super) fn score_groups(headings: &[Heading]) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0)];
    let mut section = 0;
    for h in headings {
        if h.level == 1 {
            section += 1;
            out.push((h.start, section * 2));
        } else if section > 0 {
            out.push((h.start, section * 2 + 1));
        }
    }
    out
}

/// A score stated on a heading line ("(一)履职效能(40分)得分36.35分") is that section's subtotal:
/// the scores below it, up to the next heading of the same or a higher level, become its parts.
pub(super) fn mark_subtotals(drafts: &mut [Draft], headings: &[Heading], text_len: usize) {
    // The scores, in the order of the text: each heading's is found by a binary search, and
    // the regions are swept once.
    let mut scores: Vec<usize> = (0..drafts.len())
        .filter(|&k| drafts[k].concept == Concept::Score)
        .collect();
    scores.sort_by_key(|&k| drafts[k].figure.start);
    // Where each heading's region ends: at the next heading of the same or a higher level
    // (a stack of the headings still open, walked backwards).
    let mut ends = vec![text_len; headings.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate().rev() {
        while open.last().is_some_and(|&n| headings[n].level > h.level) {
            open.pop();
        }
        if let Some(&n) = open.last() {
            ends[i] = headings[n].start;
        }
        open.push(i);
    }
    // (region start, region end, level, subject) of each heading that states a score.
    let mut regions = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let first = scores.partition_point(|&k| drafts[k].figure.start < h.start);
        let Some(&sub) = scores
            .get(first)
            .filter(|&&k| drafts[k].figure.start < h.first_sentence_end)
        else {
            continue;
        };
        regions.push((
            h.first_sentence_end,
            ends[i],
            h.level,
            drafts[sub].subject.clone(),
        ));
    }
    // Headings' regions nest, so the regions holding a score are a stack, the innermost last.
    regions.sort_by_key(|r| r.0);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    for &k in &scores {
        let at = drafts[k].figure.start;
        while next < regions.len() && regions[next].0 < at {
            active.push(next);
            next += 1;
        }
        active.retain(|&r| regions[r].1 > at);
        let inner = active
            .iter()
            .map(|&r| &regions[r])
            .filter(|(a, _, _, subject)| at > *a && *subject != drafts[k].subject)
            .max_by_key(|(_, _, level, _)| *level);
        if let Some((_, _, _, subject)) = inner {
            drafts[k].part_of = Some(subject.clone());
        }
    }
}

impl<'a> Reader<'a> {
    /// The score group an offset lies in: the last one starting at or before it (the groups
    /// are in the order of the text, so a binary search finds it).
    pub(super) fn group_of(&self, offset: usize) -> usize {
        let after = self.groups.partition_point(|(start, _)| *start <= offset);
        after.checked_sub(1).map(|k| self.groups[k].1).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    proptest::proptest! {
        /// The hand-read section marker is what the heading patterns match, tried in level
        /// order; a line's first sentence ends where `str::find` says.
        #[test]
        fn heading_level_agrees_with_its_patterns(
            text in crate::extract::joined(&[
                "一", "十", "二十", "、", "(", ")", "1", "12", "123", ".", ". ", " ", "\t", "#", "##",
                "*", "**", "。", "!", "?", "「", "年", "a",
            ], 7)
        ) {
            let markers = [
                r"^\s*(?:#+\s*)?(?:\*\*)?[一二三四五六七八九十]+、",
                r"^\s*(?:#+\s*)?(?:\*\*)?\([一二三四五六七八九十]+\)",
                r"^\s*(?:#+\s*)?(?:\*\*)?[0-9]{1,2}(?:[.、]|\.\s)",
                r"^\s*(?:#+\s*)?(?:\*\*)?\([0-9]{1,2}\)",
            ]
            .map(|p| Regex::new(p).unwrap());
            let expected = markers.iter().position(|m| m.is_match(&text)).map(|i| i as u8 + 1);
            proptest::prop_assert_eq!(heading_level(&text), expected, "{}", text);
            proptest::prop_assert_eq!(first_sentence_end(&text), text.find(['。', '!', '?']));
        }
    }
}
