//! Normalisation for matching: full-width ASCII forms become ASCII (１２３．４５％ → 123.45%,
//! （）：→ ():), ideographic spaces become spaces, CR and Word bookmark artefacts
//! ("[bookmark: _Toc123]") are dropped. Every byte of the normalised text maps back to a byte of
//! the original, so spans found here are reported in the original text.
//!
//! The Chinese comma and semicolon (，；) are kept: turning "100，200" into "100,200" would
//! make a list of two figures look like one figure with a thousands separator.

use std::sync::OnceLock;

pub struct Normalized {
    pub text: String,
    /// For each byte of `text`, the offset of the original byte it came from; one extra entry
    /// maps the end of `text` to the end of the original.
    map: Vec<usize>,
}

impl Normalized {
    /// The original offset of a normalised offset.
    pub fn orig(&self, norm: usize) -> usize {
        self.map
            .get(norm)
            .copied()
            .unwrap_or_else(|| *self.map.last().unwrap_or(&0))
    }

    /// The original byte range of a normalised range (end exclusive).
    pub fn orig_range(&self, start: usize, end: usize) -> (usize, usize) {
        if end <= start {
            let s = self.orig(start);
            return (s, s);
        }
        // The end maps through the last byte of the range, so a char that grew or shrank in
        // normalisation still ends at its own original end.
        let last = self.orig(end - 1);
        let orig_end = self.map[end..]
            .iter()
            .copied()
            .find(|&o| o > last)
            .unwrap_or(last + 1);
        (self.orig(start), orig_end)
    }
}

fn bookmark_re() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"\[bookmark: [^\]\n]{0,200}\]").expect("valid regex"))
}

/// Whether a line break splits a number: the text so far ends with a digit and a point, and the
/// next line starts with a digit (full-width or not).
fn split_number(so_far: &str, rest: &str) -> bool {
    let mut back = so_far.chars().rev();
    let ends = back.next() == Some('.') && back.next().is_some_and(|c| c.is_ascii_digit());
    ends && rest[1..]
        .trim_start_matches('\r')
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

pub fn normalize(original: &str) -> Normalized {
    let mut text = String::with_capacity(original.len());
    let mut map = Vec::with_capacity(original.len() + 1);
    let mut skip_until = 0;
    let mut bookmarks = bookmark_re().find_iter(original).peekable();
    for (i, c) in original.char_indices() {
        if i < skip_until {
            continue;
        }
        if let Some(m) = bookmarks.next_if(|m| m.start() == i) {
            skip_until = m.end();
            continue;
        }
        // A number broken across lines ("95." at a line end, "10%" on the next) is joined.
        if c == '\n' && split_number(&text, &original[i..]) {
            continue;
        }
        let mapped = match c {
            '\r' => continue,
            '，' | '；' => c,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        };
        let start = text.len();
        text.push(mapped);
        map.extend(std::iter::repeat_n(i, text.len() - start));
    }
    map.push(original.len());
    Normalized { text, map }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_map_back_to_original_spans() {
        let orig = "执行率为９８．９４％，";
        let n = normalize(orig);
        assert_eq!(n.text, "执行率为98.94%，");
        let s = n.text.find("98.94%").unwrap();
        let (a, b) = n.orig_range(s, s + "98.94%".len());
        assert_eq!(&orig[a..b], "９８．９４％");
    }

    #[test]
    fn bookmarks_and_cr_are_dropped() {
        let orig = "[bookmark: _Toc28838]一、部门\r\n得分为8分";
        let n = normalize(orig);
        assert_eq!(n.text, "一、部门\n得分为8分");
        let s = n.text.find('8').unwrap();
        assert_eq!(&orig[n.orig(s)..n.orig(s) + 1], "8");
    }

    #[test]
    fn a_number_split_across_lines_is_joined() {
        let orig = "执行率为95.\n10%，\n1.部门职能\n2.预算";
        let n = normalize(orig);
        assert_eq!(n.text, "执行率为95.10%，\n1.部门职能\n2.预算");
        let s = n.text.find("95.10%").unwrap();
        let (a, b) = n.orig_range(s, s + "95.10%".len());
        assert_eq!(&orig[a..b], "95.\n10%");
    }

    #[test]
    fn chinese_comma_is_kept() {
        assert_eq!(normalize("100，200").text, "100，200");
    }
}
