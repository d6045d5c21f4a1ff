//! Normalisation for matching: full-width ASCII forms become ASCII (１２３．４５％ → 123.45%,
//! （）：→ ():), ideographic spaces become spaces, CR and Word bookmark artefacts
//! ("[bookmark: _Toc123]") are dropped. Text in traditional script, as mirrors of government
//! pages republish it, is read in simplified script ("預算數" → "预算数", char for char, with
//! the fast2s crate), and the pinyin glosses such mirrors put inside words are dropped
//! ("經(jīng)費" → "经费"). Every byte of the normalised text maps back to a byte of the original,
//! so spans found here are reported in the original text.
//!
//! The Chinese comma and semicolon (，；) are kept: turning "100，200" into "100,200" would
//! make a list of two figures look like one figure with a thousands separator.

use super::scan::merged;
use std::sync::OnceLock;

pub struct Normalized {
    pub text: String,
    /// Where the correspondence with the original changes, in order of `norm`; the first
    /// starts at 0.
    segments: Vec<Segment>,
    original_len: usize,
}

/// From `norm` on, the normalised bytes are the original's from `orig` on, one for one; or,
/// for a `mapped` char (a full-width form made ASCII), that one char stands for `mapped`
/// original bytes.
#[derive(Debug, Clone, Copy)]
struct Segment {
    norm: usize,
    orig: usize,
    mapped: Option<usize>,
}

impl Normalized {
    fn segment(&self, norm: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.norm <= norm);
        self.segments.get(i.checked_sub(1)?)
    }

    /// The original offset of a normalised offset (of the start of the char it falls in).
    pub fn orig(&self, norm: usize) -> usize {
        if norm >= self.text.len() {
            return self.original_len;
        }
        let mut norm = norm;
        while !self.text.is_char_boundary(norm) {
            norm -= 1;
        }
        match self.segment(norm) {
            Some(s) if s.mapped.is_some() => s.orig,
            Some(s) => s.orig + (norm - s.norm),
            None => 0,
        }
    }

    /// The original byte range of a normalised range (end exclusive).
    pub fn orig_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.orig(start);
        if end <= start {
            return (s, s);
        }
        if end > self.text.len() {
            return (s, self.original_len);
        }
        // The end is the end of the char holding the range's last byte, so a char that
        // shrank in normalisation still ends at its own original end.
        let mut last_end = end;
        while !self.text.is_char_boundary(last_end) {
            last_end += 1;
        }
        let orig_end = match self.segment(end - 1) {
            Some(seg) => match seg.mapped {
                Some(len) => seg.orig + len,
                None => seg.orig + (last_end - seg.norm),
            },
            None => self.original_len,
        };
        (s, orig_end.max(s))
    }
}

fn bookmark_re() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^\[bookmark: [^\]\n]{0,200}\]").expect("valid regex"))
}

/// Whether a line break splits a number: the text so far (the pending run, else what is
/// already written) ends with a digit and a point, and the next line starts with a digit
/// (full-width or not).
fn split_number(pending: &str, written: &str, rest: &str) -> bool {
    let mut back = pending.chars().rev().chain(written.chars().rev());
    let ends = back.next() == Some('.') && back.next().is_some_and(|c| c.is_ascii_digit());
    ends && rest[1..]
        .trim_start_matches('\r')
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// The length of a pinyin gloss opening `s` ("(jīng)" after a Chinese char): a bracket, one to
/// eight lower-case Latin letters of which at least one carries a tone mark, and its closing
/// bracket. Plain Latin in brackets ("(a)", "(PPP)") is no gloss.
fn pinyin_gloss_len(s: &str) -> Option<usize> {
    let inner_start = if s.starts_with('(') {
        1
    } else if s.starts_with('（') {
        '（'.len_utf8()
    } else {
        return None;
    };
    let inner = &s[inner_start..];
    let letters = inner
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_lowercase() || is_toned_vowel(c))
        .take(9)
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let letter_count = inner[..letters].chars().count();
    let toned = inner[..letters].chars().any(is_toned_vowel);
    let rest = &inner[letters..];
    let close = if rest.starts_with(')') {
        1
    } else if rest.starts_with('）') {
        '）'.len_utf8()
    } else {
        return None;
    };
    ((1..=8).contains(&letter_count) && toned).then_some(inner_start + letters + close)
}

/// A vowel with a pinyin tone mark (or ü).
fn is_toned_vowel(c: char) -> bool {
    matches!(
        c,
        'ā' | 'á'
            | 'ǎ'
            | 'à'
            | 'ē'
            | 'é'
            | 'ě'
            | 'è'
            | 'ī'
            | 'í'
            | 'ǐ'
            | 'ì'
            | 'ō'
            | 'ó'
            | 'ǒ'
            | 'ò'
            | 'ū'
            | 'ú'
            | 'ǔ'
            | 'ù'
            | 'ü'
            | 'ǖ'
            | 'ǘ'
            | 'ǚ'
            | 'ǜ'
    )
}

/// Whether a char is a Chinese ideograph (the CJK block, where glosses follow).
fn is_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether text is in traditional script: it holds one of the traditional forms that budget
/// texts can hardly do without (預算, 萬元, 經費, 數), none of which simplified text uses.
/// Searched for by memmem in the text's opening: simplified reports, nearly all, would
/// otherwise be scanned to the end four times.
fn looks_traditional(text: &str) -> bool {
    static MARKS: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        ["預", "萬", "費", "數"]
            .iter()
            .map(|m| memchr::memmem::Finder::new(m.as_bytes()))
            .collect()
    });
    // Mirrors are traditional from their first lines: the opening 4 KB tell.
    let opening = &text.as_bytes()[..text.len().min(4096)];
    marks.iter().any(|m| m.find(opening).is_some())
}

/// `text` in simplified script, when it is in traditional script and the conversion keeps every
/// char's byte length (so offsets still map back); else None.
fn simplified(text: &str) -> Option<String> {
    if !looks_traditional(text) {
        return None;
    }
    let converted = fast2s::convert(text);
    let same_layout = converted.len() == text.len()
        && converted
            .char_indices()
            .zip(text.char_indices())
            .all(|((a, _), (b, _))| a == b);
    same_layout.then_some(converted)
}

/// Whether the char at `i` (a char boundary) is one that normalisation changes or must look
/// at: CR, '[' (a bookmark?), '(' after an ideograph (a pinyin gloss?), a line end after a point (a split number?), U+00A0, U+3000, and
/// the full-width forms other than ，；.
fn changes_at(bytes: &[u8], i: usize) -> bool {
    let at = |k: usize| bytes.get(k).copied();
    match bytes[i] {
        b'\r' | b'[' | b'(' => true,
        // After '.', '．' (…8E), a dropped CR or a dropped bookmark (']').
        b'\n' => i > 0 && matches!(bytes[i - 1], b'.' | 0x8E | b'\r' | b']'),
        0xC2 => at(i + 1) == Some(0xA0),
        0xE3 => at(i + 1) == Some(0x80) && at(i + 2) == Some(0x80),
        // The full-width forms, but for ，(EF BC 8C) and ；(EF BC 9B).
        0xEF => matches!(
            (at(i + 1), at(i + 2)),
            (Some(0xBC), Some(0x81..=0x8B | 0x8D..=0x9A | 0x9C..=0xBF))
                | (Some(0xBD), Some(0x80..=0x9E))
        ),
        _ => false,
    }
}

/// The chars that normalisation changes or must look at, in order. Every such char starts
/// with one of seven bytes: CR, '[', '(', a line end, or the lead byte of U+00A0 (C2), U+3000 (E3)
/// or a full-width form (EF). Continuation bytes (80–BF) are none of these, so vectorised
/// byte searches find every candidate, and most of the text is never looked at byte by byte.
/// U+3000 is searched for whole: its lead byte E3 also starts 、。《》「」, which are frequent
/// and never change.
fn changes(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let ascii = memchr::memchr3_iter(b'\r', b'[', b'\n', bytes);
    let leads = memchr::memchr3_iter(0xC2, 0xEF, b'(', bytes);
    let wide_spaces = memchr::memmem::find_iter(bytes, "\u{3000}".as_bytes());
    merged(merged(ascii, leads), wide_spaces).filter(|&i| changes_at(bytes, i))
}

struct Builder {
    text: String,
    segments: Vec<Segment>,
}

impl Builder {
    /// Copies original text as it is.
    fn copy(&mut self, part: &str, orig: usize) {
        if part.is_empty() {
            return;
        }
        let norm = self.text.len();
        let continues = self
            .segments
            .last()
            .is_some_and(|s| s.mapped.is_none() && s.orig + (norm - s.norm) == orig);
        if !continues {
            self.segments.push(Segment {
                norm,
                orig,
                mapped: None,
            });
        }
        self.text.push_str(part);
    }

    /// Writes `c` for the `len` original bytes at `orig`.
    fn map(&mut self, c: char, orig: usize, len: usize) {
        self.segments.push(Segment {
            norm: self.text.len(),
            orig,
            mapped: Some(len),
        });
        self.text.push(c);
    }
}

pub fn normalize(original: &str) -> Normalized {
    let bytes = original.as_bytes();
    let mut out = Builder {
        text: String::with_capacity(original.len()),
        segments: vec![Segment {
            norm: 0,
            orig: 0,
            mapped: None,
        }],
    };
    // `copied` is where the pending run of unchanged text starts; `i` where scanning goes on.
    let (mut copied, mut i) = (0, 0);
    for j in changes(bytes) {
        // Text dropped with a bookmark may hold candidates of its own.
        if j < i {
            continue;
        }
        let Some(c) = original[j..].chars().next() else {
            break;
        };
        i = j + c.len_utf8();
        let change = match c {
            '[' => original[j..]
                .starts_with("[bookmark: ")
                .then(|| bookmark_re().find(&original[j..]))
                .flatten()
                .map(|m| (None, j + m.end())),
            '\r' => Some((None, i)),
            // A number broken across lines ("95." at a line end, "10%" on the next) is joined.
            '\n' if split_number(&original[copied..j], &out.text, &original[j..]) => {
                Some((None, i))
            }
            // "經(jīng)費": a pinyin gloss after an ideograph is dropped.
            '(' | '（'
                if original[..j].chars().next_back().is_some_and(is_ideograph)
                    && pinyin_gloss_len(&original[j..]).is_some() =>
            {
                pinyin_gloss_len(&original[j..]).map(|len| (None, j + len))
            }
            '，' | '；' => None,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).map(|a| (Some(a), i)),
            '\u{3000}' | '\u{00A0}' => Some((Some(' '), i)),
            _ => None,
        };
        if let Some((replacement, resume)) = change {
            out.copy(&original[copied..j], copied);
            if let Some(r) = replacement {
                out.map(r, j, i - j);
            }
            copied = resume;
            i = resume;
        }
    }
    out.copy(&original[copied..], copied);
    if let Some(text) = simplified(&out.text) {
        out.text = text;
    }
    Normalized {
        text: out.text,
        segments: out.segments,
        original_len: original.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every char of the normalised text maps back, in order, to the original text it
        /// came from, and that text alone normalises to the char.
        #[test]
        fn every_char_maps_back_in_order(
            orig in crate::extract::joined(&[
                "预算", "１２３", "．", "，", "；", "（", "）", "：", "\r\n", "\n", "\r", "95.",
                "９５．", "\u{3000}", "\u{00A0}", "[bookmark: _Toc1]", "[bookmark: x", "[", "a",
                "9", " ", "％", "。", "Ａ", "😀", "經", "(jīng)", "（yù）", "(a)", "(ǖ", "ü)",
            ], 30)
        ) {
            let n = normalize(&orig);
            let mut last_end = 0;
            for (k, c) in n.text.char_indices() {
                let (a, b) = n.orig_range(k, k + c.len_utf8());
                prop_assert!(a >= last_end && a < b && b <= orig.len());
                prop_assert!(orig.is_char_boundary(a) && orig.is_char_boundary(b));
                prop_assert_eq!(normalize(&orig[a..b]).text, c.to_string());
                last_end = b;
            }
        }
    }

    #[test]
    fn traditional_script_with_glosses_is_read_simplified_and_maps_back() {
        let orig = "“三公”經(jīng)費預(yù)算為49.9萬(wàn)元（a）";
        let n = normalize(orig);
        assert_eq!(n.text, "“三公”经费预算为49.9万元(a)");
        let s = n.text.find("49.9万元").unwrap();
        let (a, b) = n.orig_range(s, s + "49.9万元".len());
        assert_eq!(&orig[a..b], "49.9萬(wàn)元");
        // Simplified text is left as it is, brackets of plain Latin too.
        assert_eq!(normalize("预算(PPP)为5万元").text, "预算(PPP)为5万元");
    }

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
        let orig = "执行率为95.\n10%，\n1.部门职能\n2.预算，９５.\n１０%";
        let n = normalize(orig);
        assert_eq!(n.text, "执行率为95.10%，\n1.部门职能\n2.预算，95.10%");
        let s = n.text.find("95.10%").unwrap();
        let (a, b) = n.orig_range(s, s + "95.10%".len());
        assert_eq!(&orig[a..b], "95.\n10%");
    }

    #[test]
    fn every_char_maps_back_to_the_char_it_came_from() {
        let orig = "预算\r\n（一）总额１２３．４５万元，\u{3000}得分：９分。[bookmark: _Toc1]完";
        let n = normalize(orig);
        assert_eq!(n.text, "预算\n(一)总额123.45万元， 得分:9分。完");
        let pairs = [
            ("预算", "预算"),
            ("(一)", "（一）"),
            ("123.45", "１２３．４５"),
            ("万元", "万元"),
            (" ", "\u{3000}"),
            (":9", "：９"),
            ("完", "完"),
        ];
        for (norm, want) in pairs {
            let s = n.text.find(norm).unwrap();
            let (a, b) = n.orig_range(s, s + norm.len());
            assert_eq!(&orig[a..b], want, "{norm}");
        }
        assert_eq!(n.orig(n.text.len()), orig.len());
    }

    #[test]
    fn chinese_comma_is_kept() {
        assert_eq!(normalize("100，200").text, "100，200");
    }
}
