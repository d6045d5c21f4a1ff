//! Sources: turning files into decoded documents. Nothing here knows about figures.

pub mod docx;
pub mod sheet;
pub mod text;
mod theme;

use crate::lang::Text;
use std::path::Path;

/// Why a file could not be read. Each becomes a diagnostic naming the file; the run goes on.
#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    Empty,
    Binary,
    BadEncoding,
    TooLarge(u64),
    /// A format suanpan does not read, with what to convert it to.
    Unsupported {
        ext: String,
        convert_to: &'static str,
    },
    /// A container that is damaged or refused (zip, workbook, XML), with the reader's reason.
    Corrupt(String),
    /// A file refused for a reason worded in both languages (encrypted, a zip bomb …).
    Refused(Text),
    /// A path the walk found it cannot read (a folder that cannot be listed, a FIFO, a link to
    /// nothing), with why, worded in full.
    NotRead(Text),
    /// A link back to a folder above it, not followed again, with why, worded in full.
    LinkLoop(Text),
}

impl InputError {
    pub fn describe(&self) -> Text {
        match self {
            InputError::Io(e) => Text::new(
                format!("无法读取文件：{e}"),
                format!("cannot read the file: {e}"),
            ),
            InputError::Empty => Text::new("文件为空，没有可检查的内容", "the file is empty"),
            InputError::Binary => Text::new(
                "文件不是文本（含二进制内容），可能扩展名有误",
                "the file is not text (binary content); is the extension wrong?",
            ),
            InputError::BadEncoding => Text::new(
                "文件编码无法识别（不是 UTF-8、UTF-16 或 GB18030/GBK）",
                "unrecognised text encoding (not UTF-8, UTF-16 or GB18030/GBK)",
            ),
            InputError::TooLarge(n) => Text::new(
                format!("文件过大（{n} 字节），超过读取上限"),
                format!("the file is too large ({n} bytes) to read"),
            ),
            InputError::Unsupported { ext, convert_to } => Text::new(
                format!("不支持 .{ext} 格式，请另存为 {convert_to} 后再检查"),
                format!(
                    "the .{ext} format is not supported; save it as {convert_to} and check again"
                ),
            ),
            InputError::Refused(why) => Text::new(
                format!("文件无法检查：{}", why.zh),
                format!("the file cannot be checked: {}", why.en),
            ),
            InputError::NotRead(why) | InputError::LinkLoop(why) => why.clone(),
            InputError::Corrupt(why) => Text::new(
                format!("文件已损坏或无法打开：{why}"),
                format!("the file is damaged or cannot be opened: {why}"),
            ),
        }
    }
}

/// What kind of document a path is, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Narrative,
    Docx,
    Workbook,
    Unsupported(&'static str),
    /// Not a report file at all (images, archives …): skipped when walking directories.
    Other,
}

pub fn kind_of(path: &Path) -> Kind {
    // Lower-cased in a small buffer: this runs several times for every file of a batch.
    let mut lower = [0u8; 8];
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= lower.len())
        .map_or("", |e| {
            let lower = &mut lower[..e.len()];
            lower.copy_from_slice(e.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).unwrap_or("")
        });
    match ext {
        "txt" | "md" | "text" => Kind::Narrative,
        "docx" => Kind::Docx,
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Kind::Workbook,
        "doc" | "wps" | "rtf" => Kind::Unsupported(".docx"),
        "pdf" => Kind::Unsupported(".docx 或 .txt"),
        "et" | "csv" => Kind::Unsupported(".xlsx"),
        _ => Kind::Other,
    }
}

/// Reads a file whole, refusing files above `limit` bytes.
#[cfg(feature = "cli")]
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    // The size comes from the open file: asking the path for it would look the path up again,
    // which costs as much as reading a small report.
    let file = std::fs::File::open(path).map_err(InputError::Io)?;
    let len = file.metadata().map_err(InputError::Io)?.len();
    if len > limit {
        return Err(InputError::TooLarge(len));
    }
    // Read through `take`, which neither asks the file for its size again nor seeks (as
    // `File::read_to_end` does), and which stops a file that grew since at the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(InputError::TooLarge(read));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_go_by_the_extension_in_any_case() {
        let kind = |p: &str| kind_of(Path::new(p));
        assert_eq!(kind("a/自评报告.TXT"), Kind::Narrative);
        assert_eq!(kind("报告.Md"), Kind::Narrative);
        assert_eq!(kind("报告.docx"), Kind::Docx);
        assert_eq!(kind("自评表.XLSX"), Kind::Workbook);
        assert_eq!(kind("表.Ods"), Kind::Workbook);
        assert_eq!(kind("报告.WPS"), Kind::Unsupported(".docx"));
        assert_eq!(kind("表.csv"), Kind::Unsupported(".xlsx"));
        assert_eq!(kind("说明"), Kind::Other);
        assert_eq!(kind("a.xlsxxxxxx"), Kind::Other);
        assert_eq!(kind("a.表格"), Kind::Other);
    }

    #[test]
    #[cfg(feature = "cli")]
    fn bounded_reads_take_files_up_to_the_limit_and_refuse_larger_ones() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("报告.txt");
        std::fs::write(&path, "预算执行率98%").expect("written");
        let len = std::fs::metadata(&path).expect("its size").len();
        assert_eq!(
            read_bounded(&path, len).expect("read at the limit"),
            "预算执行率98%".as_bytes()
        );
        assert!(matches!(read_bounded(&path, len - 1), Err(InputError::TooLarge(n)) if n == len));
        assert!(matches!(
            read_bounded(&dir.path().join("无此文件.txt"), len),
            Err(InputError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound
        ));
    }
}
