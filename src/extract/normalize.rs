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
    fn chinese_comma_is_kept() {
        assert_eq!(normalize("100，200").text, "100，200");
    }
}
