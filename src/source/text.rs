//! Decoding narrative text files: UTF-8 (with or without BOM), UTF-16 with or without BOM,
//! and the Chinese legacy encodings GB18030/GBK and Big5. Binary files are refused with a
//! reason.
//!
//! A few bytes that are invalid in the file's encoding (a stray byte from a bad copy) do not
//! refuse the whole file: each is decoded as U+FFFD "�" and remembered (`Decoded::invalid`), so
//! that the reader can say where it is and check the rest. Many invalid bytes mean the encoding
//! is not that one. Without a BOM, UTF-16 is recognised by its zero bytes (the high byte of
//! ASCII characters) all falling on one side of each pair; GB18030 and Big5 are told apart by
//! decoding with both and counting the characters common in reports (Big5 bytes decode as GBK
//! without an error, into rare characters).
//!
//! Example: `decode_detailed(b"\xe9\xa2\x84\xff\xe7\xae\x97")` is "预�算" in UTF-8 with one
//! invalid byte at file offset 3, text offset 3.

use super::InputError;

/// Files larger than this are refused rather than read into memory.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// What decoding found out about the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Gb18030,
    Other(&'static str),
}

impl Encoding {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
            Encoding::Utf16 => "UTF-16",
            Encoding::Gb18030 => "GB18030",
            Encoding::Other(name) => name,
        }
    }
}

/// A sequence of bytes invalid in the file's encoding, decoded as U+FFFD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    /// Byte offset of its U+FFFD in the decoded text.
    pub text_at: usize,
    /// Byte offset of the invalid bytes in the file.
    pub file_at: usize,
    /// The first invalid byte.
    pub byte: u8,
}

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text as UTF-8, without a BOM.
    pub text: String,
    pub encoding: Encoding,
    /// The invalid byte sequences replaced by U+FFFD, in order (few: see `acceptable`).
    pub invalid: Vec<Invalid>,
}

/// The most invalid sequences a file may hold and still be read in that encoding.
const MAX_INVALID: usize = 16;

/// Decodes the bytes of a text file. The result is the text as UTF-8, without a BOM (invalid
/// bytes, when few, as U+FFFD: `decode_detailed` says where).
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), InputError> {
    decode_detailed(bytes).map(|d| (d.text, d.encoding))
}

/// Decodes the bytes of a text file, saying where invalid bytes were replaced.
pub fn decode_detailed(bytes: &[u8]) -> Result<Decoded, InputError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => check_text(text.to_owned(), Encoding::Utf8Bom, Vec::new()),
            Err(_) => {
                let (text, invalid) = lenient(encoding_rs::UTF_8, rest, 3);
                if !acceptable(&text, &invalid) {
                    return Err(InputError::BadEncoding);
                }
                check_text(text, Encoding::Utf8Bom, invalid)
            }
        };
    }
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some((encoding_rs::UTF_16LE, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((encoding_rs::UTF_16BE, 2))
    } else {
        utf16_without_bom(bytes).map(|enc| (enc, 0))
    };
    if let Some((enc, bom)) = utf16 {
        let (text, invalid) = lenient(enc, &bytes[bom..], bom);
        if acceptable(&text, &invalid) && (bom > 0 || !has_controls(&text)) {
            return check_text(text, Encoding::Utf16, invalid);
        }
        if bom > 0 {
            return Err(InputError::BadEncoding);
        }
    }
    if looks_binary(bytes) {
        return Err(InputError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return check_text(text.to_owned(), Encoding::Utf8, Vec::new());
    }
    // UTF-8 with a few stray bytes: legacy Chinese text read as UTF-8 is invalid at nearly every
    // character, so few invalid sequences among many valid ones mean UTF-8.
    let (text, invalid) = lenient(encoding_rs::UTF_8, bytes, 0);
    if acceptable(&text, &invalid) {
        return check_text(text, Encoding::Utf8, invalid);
    }
    // Chinese reports that are not UTF-8 are GBK/GB2312 in practice (GB18030 decodes both), or
    // Big5. Most Big5 text is also valid GBK (and the other way round), in characters no report
    // uses: both are decoded, and the one with more of the characters reports are made of wins
    // (GB18030 on a tie).
    let mut best: Option<(usize, Decoded)> = None;
    for enc in [encoding_rs::GB18030, encoding_rs::BIG5] {
        let (text, invalid) = lenient(enc, bytes, 0);
        if !acceptable(&text, &invalid) {
            continue;
        }
        let score = common_chars(&text);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            let encoding = if enc == encoding_rs::GB18030 {
                Encoding::Gb18030
            } else {
                Encoding::Other(enc.name())
            };
            best = Some((
                score,
                Decoded {
                    text,
                    encoding,
                    invalid,
                },
            ));
        }
    }
    match best {
        Some((_, d)) => check_text(d.text, d.encoding, d.invalid),
        None => Err(InputError::BadEncoding),
    }
}

/// Decodes `bytes` in `enc`, each malformed sequence as U+FFFD, remembering where each was (in
/// the text, and in the file, whose first `offset` bytes were a BOM).
fn lenient(
    enc: &'static encoding_rs::Encoding,
    bytes: &[u8],
    offset: usize,
) -> (String, Vec<Invalid>) {
    use encoding_rs::DecoderResult;
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let mut invalid = Vec::new();
    let mut at = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut text, true);
        at += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(bytes.len() - at + 16),
            DecoderResult::Malformed(bad, after) => {
                let start = at.saturating_sub(usize::from(bad) + usize::from(after));
                invalid.push(Invalid {
                    text_at: text.len(),
                    file_at: offset + start,
                    byte: bytes.get(start).copied().unwrap_or(0),
                });
                text.push('\u{FFFD}');
                if invalid.len() > MAX_INVALID {
                    break;
                }
            }
        }
    }
    (text, invalid)
}

/// Whether a text decoded with `invalid` sequences replaced is that encoding: none, or few
/// among many characters that are not ASCII (the ones a wrong encoding would garble).
fn acceptable(text: &str, invalid: &[Invalid]) -> bool {
    if invalid.is_empty() {
        return true;
    }
    if invalid.len() > MAX_INVALID {
        return false;
    }
    let non_ascii = text
        .chars()
        .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
        .count();
    non_ascii >= invalid.len() * 20
}

/// UTF-16 without a BOM: zero bytes in the first 8 KiB, all on the odd side of each byte pair
/// (little-endian: the high byte of an ASCII character) or all on the even side (big-endian).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(8192)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, _) in head.iter().enumerate().filter(|(_, b)| **b == 0) {
        if i % 2 == 0 {
            even += 1;
        } else {
            odd += 1;
        }
    }
    match (even, odd) {
        (0, n) if n * 50 >= head.len() => Some(encoding_rs::UTF_16LE),
        (n, 0) if n * 50 >= head.len() => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Control characters other than tab, line ends and form feed in more than one character in 20:
/// not text.
fn has_controls(text: &str) -> bool {
    let (mut controls, mut all) = (0usize, 0usize);
    for c in text.chars().take(8192) {
        all += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}') {
            controls += 1;
        }
    }
    controls * 20 > all
}

/// How many characters of a text are among those reports are made of (simplified and
/// traditional): the measure that tells GBK from Big5.
fn common_chars(text: &str) -> usize {
    const COMMON: &str = "的年度预算预算万元执行率决资金项目绩效评价指标得分完成部门支出情况\
        预算萬元執行決資金項目績效評價指標得分完成部門支出情況一二三四五为為和与與";
    // The first 64 Ki characters tell: the score is a comparison, not a count of the whole.
    text.chars()
        .take(1 << 16)
        .filter(|c| COMMON.contains(*c))
        .count()
}

fn check_text(
    text: String,
    encoding: Encoding,
    invalid: Vec<Invalid>,
) -> Result<Decoded, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(Decoded {
        text,
        encoding,
        invalid,
    })
}

/// NUL bytes or many control characters in the first 8 KiB mean this is not a text file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("年初预算为775.83万元，决算数为884.49万元。");
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert!(text.contains("年初预算为775.83万元"));
    }

    #[test]
    fn bom_is_stripped() {
        let (text, enc) = decode("\u{FEFF}得分为8分".as_bytes()).unwrap();
        assert_eq!(enc, Encoding::Utf8Bom);
        assert_eq!(text, "得分为8分");
    }

    #[test]
    fn bytes_that_are_no_chinese_encoding_are_refused() {
        assert!(matches!(
            decode(&[0x81, 0xFF, 0x30, 0xFF, 0xFF, 0x81]),
            Err(InputError::BadEncoding)
        ));
    }

    const REPORT: &str = "年初预算为775.83万元，决算数为884.49万元，预算执行率为114.00%。\n";

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_zero_bytes() {
        let le: Vec<u8> = REPORT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = REPORT.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            let d = decode_detailed(&bytes).expect("decoded");
            assert_eq!((d.text.as_str(), d.encoding), (REPORT, Encoding::Utf16));
            assert!(d.invalid.is_empty());
        }
        // Zero bytes on both sides of the pairs are binary, as before.
        assert!(matches!(
            decode(b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
            Err(InputError::Binary)
        ));
    }

    #[test]
    fn big5_is_told_from_gbk_by_the_characters_it_decodes_to() {
        let traditional = "年初預算為775.83萬元，決算數為884.49萬元，預算執行率為114.00%。\n";
        let (bytes, _, bad) = encoding_rs::BIG5.encode(traditional);
        assert!(!bad);
        // The same bytes decode as GB18030 without an error, into other characters.
        assert!(!encoding_rs::GB18030.decode(&bytes).2);
        let d = decode_detailed(&bytes).expect("decoded");
        assert_eq!(d.text, traditional);
        assert_eq!(d.encoding, Encoding::Other("Big5"));
        // And GBK stays GBK.
        let (bytes, _, _) = encoding_rs::GBK.encode(REPORT);
        assert_eq!(decode_detailed(&bytes).expect("decoded").text, REPORT);
    }

    #[test]
    fn a_stray_byte_is_replaced_and_located() {
        let mut bytes = REPORT.as_bytes().to_vec();
        let at = "年初预算".len();
        bytes.insert(at, 0xFF);
        let d = decode_detailed(&bytes).expect("decoded");
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.text, REPORT.replacen("年初预算", "年初预算\u{FFFD}", 1));
        assert_eq!(
            d.invalid,
            [Invalid {
                text_at: at,
                file_at: at,
                byte: 0xFF
            }]
        );
        // After a BOM, the file offset counts the BOM.
        let with_bom = [&b"\xEF\xBB\xBF"[..], &bytes].concat();
        let d = decode_detailed(&with_bom).expect("decoded");
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        assert_eq!(d.invalid[0].file_at, at + 3);
        assert_eq!(d.invalid[0].text_at, at);
        // In GBK too.
        let (gbk, _, _) = encoding_rs::GBK.encode(REPORT);
        let mut gbk = gbk.into_owned();
        gbk.insert(8, 0xFF);
        let d = decode_detailed(&gbk).expect("decoded");
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.invalid.len(), 1);
        assert_eq!(d.invalid[0].file_at, 8);
        assert!(
            d.text.starts_with("年初预算\u{FFFD}为775.83万元"),
            "{}",
            d.text
        );
    }

    #[test]
    fn many_invalid_bytes_are_no_encoding() {
        // A short text with one invalid byte among few characters is refused, as is a long one
        // with an invalid byte every few characters.
        assert!(matches!(
            decode(b"abc\xFFdef"),
            Err(InputError::BadEncoding)
        ));
        let mut bytes = Vec::new();
        for _ in 0..40 {
            bytes.extend_from_slice("预算执行率".as_bytes());
            bytes.push(0xFF);
        }
        assert!(matches!(decode(&bytes), Err(InputError::BadEncoding)));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00"),
            Err(InputError::Binary)
        ));
        assert!(matches!(decode(b"  \n\r\n"), Err(InputError::Empty)));
    }
}
