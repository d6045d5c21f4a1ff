//! Decoding narrative text files: UTF-8 (with or without BOM), UTF-16 with BOM, and
//! GB18030/GBK detected by chardetng. Binary files are refused with a reason.

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

/// Decodes the bytes of a text file. The result is the text as UTF-8, without a BOM.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), InputError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| InputError::BadEncoding)?;
        return check_text(text.to_owned(), Encoding::Utf8Bom);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _, had_errors) = enc.decode(bytes);
        if had_errors {
            return Err(InputError::BadEncoding);
        }
        return check_text(text.into_owned(), Encoding::Utf16);
    }
    if looks_binary(bytes) {
        return Err(InputError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return check_text(text.to_owned(), Encoding::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // Chinese reports that are not UTF-8 are GBK/GB2312 in practice (GB18030 decodes both), or
    // Big5. A single-byte Western guess cannot hold Chinese: decode as GB18030, which refuses
    // bytes that are not text.
    let enc = if guess == encoding_rs::BIG5 {
        guess
    } else {
        encoding_rs::GB18030
    };
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return Err(InputError::BadEncoding);
    }
    let label = if enc == encoding_rs::GB18030 {
        Encoding::Gb18030
    } else {
        Encoding::Other(enc.name())
    };
    check_text(text.into_owned(), label)
}

fn check_text(text: String, enc: Encoding) -> Result<(String, Encoding), InputError> {
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok((text, enc))
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

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00"),
            Err(InputError::Binary)
        ));
        assert!(matches!(decode(b"  \n\r\n"), Err(InputError::Empty)));
    }
}
