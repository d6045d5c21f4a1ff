//! .docx reports: the text of `word/document.xml`, one line per paragraph.
//!
//! The text suanpan checks is the document's paragraphs in order, each on its own line; a table
//! row becomes one line with its cells as a pipe table (`| 年初预算 | 775.83 |`). So a label's line
//! is the paragraph (or table row) number and its column the character within it. Deleted
//! revisions (`w:del`) are skipped, tabs kept, line breaks inside a paragraph become spaces.
//!
//! Hostile files are refused with a reason rather than read: a container that is not a zip
//! (an encrypted .docx is an OLE compound file; so is an old .doc renamed), a document part
//! larger than the limit or compressed suspiciously well (a zip bomb), XML nested deeper than
//! any real document, or XML that does not parse.

use super::InputError;
use crate::lang::Text;
use quick_xml::events::Event;
use std::io::{Read, Seek};
use std::ops::Range;

/// The largest `word/document.xml` read, decompressed.
pub const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;
/// Real documents compress text XML about 5–20×; far beyond that is a bomb.
const MAX_RATIO: u64 = 200;
/// Real documents nest well under a hundred elements deep.
const MAX_DEPTH: usize = 256;

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Extracts the text of a .docx held in memory.
pub fn text_of(bytes: &[u8]) -> Result<String, InputError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(InputError::Refused(Text::new(
            "这是 OLE 复合文件：可能是设置了密码的 .docx，或改了扩展名的旧版 .doc；请去掉密码或另存为 .docx",
            "this is an OLE compound file: a password-protected .docx, or an old .doc renamed; remove the password or save as .docx",
        )));
    }
    if !bytes.starts_with(b"PK") {
        return Err(InputError::Refused(Text::new(
            "不是 zip 格式的 .docx 文件（扩展名可能有误）",
            "not a zip-based .docx (is the extension wrong?)",
        )));
    }
    let xml = document_xml(std::io::Cursor::new(bytes))?;
    text_of_document_xml(&xml)
}

/// The layout of a .docx held in memory: its text, as `text_of` returns it, with where each
/// piece of it is in `word/document.xml` (for annotated copies), and that XML.
pub fn layout_of(bytes: &[u8]) -> Result<(Layout, Vec<u8>), InputError> {
    // The same checks as `text_of`, which reads the same bytes.
    text_of(bytes)?;
    let xml = document_xml(std::io::Cursor::new(bytes))?;
    Ok((layout_of_document_xml(&xml)?, xml))
}

/// The bytes of `word/document.xml`, within the limits.
fn document_xml<R: Read + Seek>(reader: R) -> Result<Vec<u8>, InputError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| {
        InputError::Refused(Text::new(
            format!("zip 结构损坏（文件可能不完整）：{e}"),
            format!("damaged zip structure (truncated file?): {e}"),
        ))
    })?;
    let mut part = zip.by_name("word/document.xml").map_err(|_| {
        InputError::Refused(Text::new(
            "缺少 word/document.xml，不是 Word 文档",
            "no word/document.xml: not a Word document",
        ))
    })?;
    if part.encrypted() {
        return Err(InputError::Refused(Text::new(
            "文档已加密，请去掉密码后再检查",
            "the document is encrypted; remove the password and check again",
        )));
    }
    let (size, packed) = (part.size(), part.compressed_size().max(1));
    if size > MAX_DOCUMENT_XML || size / packed > MAX_RATIO {
        let ratio = size / packed;
        return Err(InputError::Refused(Text::new(
            format!(
                "word/document.xml 解压后 {size} 字节（压缩比 {ratio}:1），超出读取上限，疑似压缩炸弹"
            ),
            format!(
                "word/document.xml inflates to {size} bytes (ratio {ratio}:1), over the limit: a zip bomb?"
            ),
        )));
    }
    // The declared size may lie: read at most one byte past the limit to find out.
    let mut xml = Vec::with_capacity(size as usize);
    (&mut part)
        .take(MAX_DOCUMENT_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| {
            InputError::Refused(Text::new(
                format!("word/document.xml 解压失败：{e}"),
                format!("cannot inflate word/document.xml: {e}"),
            ))
        })?;
    if xml.len() as u64 > MAX_DOCUMENT_XML {
        return Err(InputError::Refused(Text::new(
            "word/document.xml 解压后超出读取上限，疑似压缩炸弹",
            "word/document.xml inflates past the limit: a zip bomb?",
        )));
    }
    Ok(xml)
}

/// Where a piece of the text came from in `word/document.xml`: the characters of one text event
/// (or one character reference) inside a `w:t`. Tabs, line breaks and the pipes and spaces of a
/// table row have no piece. Kept so that an annotated copy can anchor a comment on exactly a
/// figure's characters (`crate::annotate::docx`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the text.
    pub text: Range<usize>,
    /// Byte range in the XML (the escaped characters, or the reference `&amp;`).
    pub xml: Range<usize>,
    /// The text bytes are the XML bytes one for one (no reference, no line end normalised), so
    /// an offset inside the piece is the same offset inside its XML.
    pub verbatim: bool,
    /// Its text element (`Layout::texts`).
    pub t: usize,
}

/// A text element (`w:t`) in the XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextElement {
    /// Its start tag.
    pub open: Range<usize>,
    /// Its end tag (an empty range at `open.end` until read).
    pub close: Range<usize>,
    /// Its qualified name as written (`w:t`).
    pub name: String,
    /// The run it is in (`Layout::runs`).
    pub run: Option<usize>,
}

/// A run (`w:r`) in the XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunElement {
    /// From its start tag to the end of its end tag.
    pub span: Range<usize>,
    /// Its qualified name as written (`w:r`).
    pub name: String,
    /// Its run properties (`w:rPr`), copied into each part of a split run.
    pub properties: Option<Range<usize>>,
    /// Where its first child other than the properties starts, and its last child ends.
    pub content: Option<Range<usize>>,
}

/// The text of a document.xml with where each part of it came from.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub text: String,
    /// In text order, not overlapping.
    pub pieces: Vec<Piece>,
    pub texts: Vec<TextElement>,
    pub runs: Vec<RunElement>,
}

/// A string being built with the pieces it holds (offsets relative to it).
#[derive(Default)]
struct Tracked {
    s: String,
    pieces: Vec<Piece>,
}

impl Tracked {
    fn push(&mut self, c: char) {
        self.s.push(c);
    }

    fn push_str(&mut self, s: &str) {
        self.s.push_str(s);
    }

    fn push_piece(&mut self, s: &str, xml: Range<usize>, verbatim: bool, t: usize) {
        let start = self.s.len();
        self.s.push_str(s);
        if !s.is_empty() {
            self.pieces.push(Piece {
                text: start..self.s.len(),
                xml,
                verbatim,
                t,
            });
        }
    }

    fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    fn clear(&mut self) {
        self.s.clear();
        self.pieces.clear();
    }

    /// Appends another's text and pieces.
    fn append(&mut self, other: Tracked) {
        let shift = self.s.len();
        self.s.push_str(&other.s);
        self.pieces.extend(other.pieces.into_iter().map(|mut p| {
            p.text = p.text.start + shift..p.text.end + shift;
            p
        }));
    }

    /// Without trailing whitespace; a piece cut by it keeps what is left.
    fn trim_end(mut self) -> Tracked {
        let len = self.s.trim_end().len();
        self.s.truncate(len);
        self.pieces.retain_mut(|p| {
            if p.text.end > len {
                p.text.end = len;
            }
            p.text.start < p.text.end
        });
        self
    }

    /// With every `|` written `｜` (a pipe inside a table cell); a piece that changes length is
    /// no longer verbatim.
    fn escape_pipes(self) -> Tracked {
        let mut out = Tracked::default();
        let mut at = 0;
        for p in self.pieces {
            out.push_str(&self.s[at..p.text.start].replace('|', "｜"));
            let piece = &self.s[p.text.clone()];
            let escaped = piece.replace('|', "｜");
            let verbatim = p.verbatim && escaped.len() == piece.len();
            out.push_piece(&escaped, p.xml, verbatim, p.t);
            at = p.text.end;
        }
        out.push_str(&self.s[at..].replace('|', "｜"));
        out
    }
}

/// What the reader is inside of.
#[derive(Default)]
struct State {
    out: Tracked,
    paragraph: Tracked,
    /// Cells of the table row being read; None outside tables.
    row: Option<Vec<Tracked>>,
    cell: Option<Tracked>,
    in_text: bool,
    /// Depth of a `w:del` being skipped (0 = not skipping).
    deleted: usize,
    depth: usize,
    texts: Vec<TextElement>,
    runs: Vec<RunElement>,
    /// The runs open, innermost last, with their depth.
    open_runs: Vec<(usize, usize)>,
}

impl State {
    fn end_paragraph(&mut self) {
        let p = std::mem::take(&mut self.paragraph).trim_end();
        match &mut self.cell {
            Some(cell) => {
                if !cell.is_empty() && !p.is_empty() {
                    cell.push(' ');
                }
                cell.append(p);
            }
            None => {
                self.out.append(p);
                self.out.push('\n');
            }
        }
    }

    fn end_row(&mut self) {
        if let Some(cells) = self
            .row
            .take()
            .filter(|cells| cells.iter().any(|c| !c.s.trim().is_empty()))
        {
            self.out.push('|');
            for c in cells {
                self.out.push(' ');
                self.out.append(c.escape_pipes());
                self.out.push_str(" |");
            }
            self.out.push('\n');
        }
    }

    /// The run whose direct child starts or ends at this depth, if any.
    fn run_of_child(&mut self, depth: usize) -> Option<&mut RunElement> {
        match self.open_runs.last() {
            Some(&(i, d)) if d + 1 == depth => self.runs.get_mut(i),
            _ => None,
        }
    }

    /// A direct child of a run from `start` to `end` (`end` unknown until it closes).
    fn child_starts(&mut self, depth: usize, name: &str, at: Range<usize>, closed: bool) {
        if let Some(run) = self.run_of_child(depth) {
            if name == "rPr" {
                run.properties = Some(at);
            } else {
                let start = run.content.as_ref().map_or(at.start, |c| c.start);
                let end = if closed { at.end } else { at.start };
                run.content = Some(start..end.max(start));
            }
        }
    }

    fn child_ends(&mut self, depth: usize, name: &str, at: Range<usize>) {
        if let Some(run) = self.run_of_child(depth) {
            if name == "rPr" {
                if let Some(p) = &mut run.properties {
                    p.end = at.end;
                }
            } else if let Some(c) = &mut run.content {
                c.end = at.end;
            }
        }
    }
}

/// Extracts the text of `word/document.xml`.
pub fn text_of_document_xml(xml: &[u8]) -> Result<String, InputError> {
    layout_of_document_xml(xml).map(|l| l.text)
}

/// Extracts the text of `word/document.xml` with where each piece of it came from.
pub fn layout_of_document_xml(xml: &[u8]) -> Result<Layout, InputError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut st = State::default();
    let bad = |e: quick_xml::Error| {
        InputError::Refused(Text::new(
            format!("document.xml 不是有效的 XML：{e}"),
            format!("document.xml is not well-formed XML: {e}"),
        ))
    };
    let pos = |reader: &quick_xml::Reader<&[u8]>| {
        usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
    };
    loop {
        let before = pos(&reader);
        let event = reader.read_event_into(&mut buf).map_err(bad)?;
        let at = before..pos(&reader);
        match event {
            Event::Start(e) => {
                st.depth += 1;
                if st.depth > MAX_DEPTH {
                    return Err(InputError::Refused(Text::new(
                        format!("document.xml 嵌套超过 {MAX_DEPTH} 层，不像正常的 Word 文档"),
                        format!(
                            "document.xml nests deeper than {MAX_DEPTH} levels: not a normal Word document"
                        ),
                    )));
                }
                let name = e.local_name();
                if st.deleted > 0 {
                    st.deleted += 1;
                } else {
                    st.child_starts(st.depth, name.as_ref(), at.clone(), false);
                    match name.as_ref() {
                        "del" => st.deleted = 1,
                        "p" => st.paragraph.clear(),
                        "t" => {
                            st.in_text = true;
                            st.texts.push(TextElement {
                                open: at.clone(),
                                close: at.end..at.end,
                                name: e.name().as_ref().to_string(),
                                run: st.open_runs.last().map(|&(i, _)| i),
                            });
                        }
                        "r" => {
                            st.open_runs.push((st.runs.len(), st.depth));
                            st.runs.push(RunElement {
                                span: at.clone(),
                                name: e.name().as_ref().to_string(),
                                properties: None,
                                content: None,
                            });
                        }
                        "tr" => st.row = Some(Vec::new()),
                        "tc" => st.cell = Some(Tracked::default()),
                        _ => {}
                    }
                }
            }
            Event::Empty(e) if st.deleted == 0 => {
                st.child_starts(st.depth + 1, e.local_name().as_ref(), at.clone(), true);
                match e.local_name().as_ref() {
                    "tab" => st.paragraph.push('\t'),
                    "br" | "cr" => st.paragraph.push(' '),
                    "p" => st.end_paragraph(),
                    _ => {}
                }
            }
            Event::End(e) => {
                let depth = st.depth;
                st.depth = st.depth.saturating_sub(1);
                if st.deleted > 0 {
                    st.deleted -= 1;
                    continue;
                }
                st.child_ends(depth, e.local_name().as_ref(), at.clone());
                match e.local_name().as_ref() {
                    "t" => {
                        st.in_text = false;
                        if let Some(t) = st.texts.last_mut() {
                            t.close = at;
                        }
                    }
                    "r" => {
                        if let Some(&(i, d)) = st.open_runs.last()
                            && d == depth
                        {
                            st.open_runs.pop();
                            if let Some(run) = st.runs.get_mut(i) {
                                run.span.end = at.end;
                            }
                        }
                    }
                    "p" => st.end_paragraph(),
                    "tc" => {
                        if let (Some(cell), Some(row)) = (st.cell.take(), st.row.as_mut()) {
                            row.push(cell);
                        }
                    }
                    "tr" => st.end_row(),
                    _ => {}
                }
            }
            Event::Text(t) if st.in_text && st.deleted == 0 => {
                let content = t.xml10_content();
                let verbatim = content.len() == at.len();
                let index = st.texts.len().saturating_sub(1);
                st.paragraph.push_piece(&content, at, verbatim, index);
            }
            // Word never writes a DOCTYPE; one that declares entities is how an entity bomb
            // (a billion laughs) is made. Its entities are not expanded, so the text that uses
            // them would read as empty: refused, saying why.
            Event::DocType(_) => {
                return Err(InputError::Refused(Text::new(
                    "document.xml 含有 DOCTYPE 声明（可定义 XML 实体，如实体炸弹），Word 文档不会有，不读取",
                    "document.xml has a DOCTYPE declaration (which can define XML entities, as an entity bomb does); Word never writes one: not read",
                )));
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.xml10_content().as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                let Some(c) = resolved else {
                    let name = r.xml10_content().into_owned();
                    return Err(InputError::Refused(Text::new(
                        format!("document.xml 引用了未定义的 XML 实体 &{name};，不读取"),
                        format!(
                            "document.xml refers to an undefined XML entity &{name};: not read"
                        ),
                    )));
                };
                if st.in_text && st.deleted == 0 {
                    let index = st.texts.len().saturating_sub(1);
                    st.paragraph
                        .push_piece(c.encode_utf8(&mut [0; 4]), at, false, index);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if st.out.s.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(Layout {
        text: st.out.s,
        pieces: st.out.pieces,
        texts: st.texts,
        runs: st.runs,
    })
}

/// Writes a minimal valid .docx with the given paragraphs (tests and fixture generation).
pub fn write_minimal(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut body = String::new();
    for p in paragraphs {
        let escaped = p
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>"
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        // Writing into memory cannot fail short of allocation failure.
        if zip.start_file(name, options).is_ok() {
            let _ = zip.write_all(content.as_bytes());
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    #[test]
    fn paragraphs_tables_tabs_and_deletions() {
        let xml = format!(
            "<w:document {W}><w:body>\
<w:p><w:r><w:t>年初预算为</w:t></w:r><w:r><w:t>775.83万元</w:t></w:r><w:del><w:r><w:delText>旧</w:delText><w:t>删</w:t></w:r></w:del></w:p>\
<w:p><w:r><w:t>A</w:t><w:tab/><w:t>B&amp;C</w:t><w:br/><w:t>D</w:t></w:r></w:p>\
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>年初预算</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>775.83</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
<w:p/></w:body></w:document>"
        );
        let text = text_of_document_xml(xml.as_bytes()).unwrap();
        assert_eq!(
            text,
            "年初预算为775.83万元\nA\tB&C D\n| 年初预算 | 775.83 |\n\n"
        );
    }

    #[test]
    fn minimal_docx_round_trips() {
        let bytes = write_minimal(&["第一段", "得分为8分 & 更多"]);
        assert_eq!(text_of(&bytes).unwrap(), "第一段\n得分为8分 & 更多\n");
    }

    #[test]
    fn hostile_inputs_are_refused_with_reasons() {
        let ole = [OLE_MAGIC, b"rest"].concat();
        assert!(matches!(text_of(&ole), Err(InputError::Refused(m)) if m.zh.contains("密码")));
        assert!(matches!(text_of(b"hello"), Err(InputError::Refused(m)) if m.zh.contains("zip")));
        let mut truncated = write_minimal(&["得分为8分"]);
        truncated.truncate(truncated.len() / 2);
        assert!(matches!(text_of(&truncated), Err(InputError::Refused(_))));
        let deep = format!(
            "<w:document {W}>{}{}</w:document>",
            "<w:x>".repeat(MAX_DEPTH + 5),
            "</w:x>".repeat(MAX_DEPTH + 5)
        );
        assert!(
            matches!(text_of_document_xml(deep.as_bytes()), Err(InputError::Refused(m)) if m.zh.contains("嵌套"))
        );
        let broken = format!("<w:document {W}><w:p><w:t>x</w:p></w:document>");
        assert!(matches!(
            text_of_document_xml(broken.as_bytes()),
            Err(InputError::Refused(_))
        ));
    }

    #[test]
    fn entity_bombs_and_undefined_entities_are_refused_not_empty() {
        let body = |text: &str| {
            format!(
                "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
            )
        };
        let bomb = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"预算100万元\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>{}",
            body("&c;")
        );
        match text_of_document_xml(bomb.as_bytes()) {
            Err(InputError::Refused(t)) => assert!(t.zh.contains("DOCTYPE"), "{}", t.zh),
            other => panic!("expected a refusal, got {other:?}"),
        }
        match text_of_document_xml(body("年初预算&x;").as_bytes()) {
            Err(InputError::Refused(t)) => assert!(t.en.contains("&x;"), "{}", t.en),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // The predefined and numeric references still read.
        assert_eq!(
            text_of_document_xml(body("A&amp;B&#x9884;").as_bytes()).expect("read"),
            "A&B预\n"
        );
    }

    #[test]
    fn zip_bombs_are_refused_before_inflating() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..8 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(
            bytes.len() < 64 * 1024,
            "bomb should be small: {}",
            bytes.len()
        );
        assert!(
            matches!(text_of(&bytes), Err(InputError::Refused(m)) if m.zh.contains("压缩炸弹"))
        );
    }
}
