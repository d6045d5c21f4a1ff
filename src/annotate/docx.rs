//! The annotated copy of a .docx: a Word comment (批注) on each labelled span, anchored on
//! exactly the figure's characters.
//!
//! The findings' spans are byte ranges of the text the .docx reader made
//! (`source::docx::layout_of`); its layout says which `w:t` each piece of that text came from
//! and where. A span's ends become places in `word/document.xml`: before or after a whole run,
//! between two children of a run, or inside a text element, where the run is split in two that
//! both keep its properties (`w:rPr`). `commentRangeStart`, `commentRangeEnd` and a run with the
//! `commentReference` go there; the comments go to `word/comments.xml` (added to the one the
//! document has, if any), with its relationship and content type. Every other byte of the
//! document part is kept.

use super::package::{self, Package};
use super::{Edit, Note, splice, xml_escape};
use crate::diagnostic::Place;
use crate::lang::{Lang, Text};
use crate::source::docx::{Layout, layout_of};
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::ops::Range;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const COMMENTS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const DOCUMENT: &str = "word/document.xml";

/// Where one end of a comment's range goes in document.xml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Anchor {
    /// At this offset, between elements: before a run's start tag or after its end tag.
    Between(usize),
    /// Between two children of a run (index), at this offset: the run is split there.
    InRun(usize, usize),
    /// Inside the characters of a text element (index) of a run (index): both are split.
    InText(usize, usize, usize),
}

impl Anchor {
    fn at(self) -> usize {
        match self {
            Anchor::Between(at) | Anchor::InRun(at, _) | Anchor::InText(at, _, _) => at,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Start,
    End,
}

/// Where a text offset falls in the XML, for the start or the end of a range; None when no
/// piece of text from the XML is on that side of it.
fn locate(layout: &Layout, offset: usize, side: Side) -> Option<Anchor> {
    let pieces = &layout.pieces;
    let (piece, inside) = match side {
        Side::Start => {
            let i = pieces.partition_point(|p| p.text.end <= offset);
            let p = pieces.get(i)?;
            (p, offset.saturating_sub(p.text.start))
        }
        Side::End => {
            let i = pieces.partition_point(|p| p.text.start < offset);
            let p = pieces.get(i.checked_sub(1)?)?;
            (p, offset.min(p.text.end) - p.text.start)
        }
    };
    let t = layout.texts.get(piece.t)?;
    let run_index = t.run?;
    let run = layout.runs.get(run_index)?;
    // Only Word's own runs are split; another kind (a math run) is anchored around whole.
    let splittable = run.name == "w:r" && t.name == "w:t";
    let content = run.content.clone().unwrap_or(run.span.clone());
    // An offset inside a piece maps to the XML only when the piece is the XML's bytes (then
    // exactly, even at the end of a piece whose trailing spaces the line lost); else the range
    // grows to the piece's edge.
    let x = match side {
        _ if piece.verbatim => piece.xml.start + inside,
        Side::Start => piece.xml.start,
        Side::End => piece.xml.end,
    };
    Some(match side {
        Side::Start if x <= t.open.end => {
            if content.start >= t.open.start || !splittable {
                Anchor::Between(run.span.start)
            } else {
                Anchor::InRun(t.open.start, run_index)
            }
        }
        Side::End if x >= t.close.start => {
            if content.end <= t.close.end || !splittable {
                Anchor::Between(run.span.end)
            } else {
                Anchor::InRun(t.close.end, run_index)
            }
        }
        _ if !splittable => match side {
            Side::Start => Anchor::Between(run.span.start),
            Side::End => Anchor::Between(run.span.end),
        },
        _ => Anchor::InText(x, run_index, piece.t),
    })
}

/// The annotated copy of a .docx whose text (as suanpan read it) is `text`.
pub fn annotate(bytes: &[u8], text: &str, notes: &[Note], lang: Lang) -> Result<Vec<u8>, Text> {
    let (layout, xml) = layout_of(bytes).map_err(|e| e.describe())?;
    if !text.is_empty() && layout.text != text {
        return Err(Text::new(
            "文档在检查之后被改动过，未生成副本",
            "the document changed after it was checked: no copy",
        ));
    }
    if memchr::memmem::find(&xml, format!("xmlns:w=\"{W_NS}\"").as_bytes()).is_none() {
        return Err(Text::new(
            "document.xml 没有用 w: 前缀声明 WordprocessingML 命名空间，无法添加批注",
            "document.xml does not bind the w: prefix to WordprocessingML: comments cannot be added",
        ));
    }
    let mut pkg = Package::open(bytes)?;
    // The comments part: the document's own, or a new one.
    let rels_part = package::rels_name(DOCUMENT);
    let rels = pkg
        .read(&rels_part)?
        .map(|x| package::relationships(&x))
        .unwrap_or_default();
    let existing = rels
        .iter()
        .find(|r| r.kind == COMMENTS_REL && !r.external)
        .map(|r| package::resolve(DOCUMENT, &r.target));
    let comments_part = match &existing {
        Some(p) => p.clone(),
        None => {
            let name = if pkg.has("word/comments.xml") {
                pkg.free_name("word/comments", "xml")
            } else {
                "word/comments.xml".to_string()
            };
            package::add_relationship(
                &mut pkg,
                &rels_part,
                COMMENTS_REL,
                &package::relative(DOCUMENT, &name),
            )?;
            name
        }
    };
    let old_comments = match &existing {
        Some(p) => pkg.read(p)?,
        None => None,
    };
    let first_id = old_comments.as_deref().map_or(0, |c| max_comment_id(c) + 1);

    // The first line with text, for findings with no place in the text.
    let first_line = {
        let start = layout.text.len() - layout.text.trim_start().len();
        let end = layout.text[start..]
            .find('\n')
            .map_or(layout.text.len(), |i| start + i);
        start..end
    };
    let mut markers: BTreeMap<Anchor, Vec<(u8, String)>> = BTreeMap::new();
    let mut comments = String::new();
    let mut id = first_id;
    for note in notes {
        let span: Range<usize> = match &note.place {
            Place::Text { start, end } => *start..*end,
            _ => first_line.clone(),
        };
        let anchors = |span: &Range<usize>| match (
            locate(&layout, span.start, Side::Start),
            locate(&layout, span.end.max(span.start + 1), Side::End),
        ) {
            (Some(s), Some(e)) if s.at() <= e.at() => Some((s, e)),
            _ => None,
        };
        // A span with no character from the XML (the pipes of a table row) is noted on the
        // first line rather than left out.
        let Some((start, end)) = anchors(&span).or_else(|| anchors(&first_line)) else {
            continue;
        };
        markers
            .entry(start)
            .or_default()
            .push((1, format!("<w:commentRangeStart w:id=\"{id}\"/>")));
        markers.entry(end).or_default().push((
            0,
            format!(
                "<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>"
            ),
        ));
        comments.push_str(&comment_xml(id, note, lang));
        id += 1;
    }
    let written = id - first_id;
    if written == 0 {
        return Err(Text::new(
            "没有能标注到正文中的位置",
            "no place in the text to annotate",
        ));
    }
    let mut edits = Vec::new();
    let mut preserved = std::collections::BTreeSet::new();
    for (anchor, mut marks) in markers {
        // Ends before starts where ranges meet.
        marks.sort_by_key(|(order, _)| *order);
        let marks: String = marks.into_iter().map(|(_, m)| m).collect();
        let properties = |run: usize| {
            layout
                .runs
                .get(run)
                .and_then(|r| r.properties.clone())
                .and_then(|p| xml.get(p))
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default()
        };
        match anchor {
            Anchor::Between(at) => edits.push(Edit::insert(at, marks)),
            Anchor::InRun(at, run) => edits.push(Edit::insert(
                at,
                format!("</w:r>{marks}<w:r>{}", properties(run)),
            )),
            Anchor::InText(at, run, t) => {
                edits.push(Edit::insert(
                    at,
                    format!(
                        "</w:t></w:r>{marks}<w:r>{}<w:t xml:space=\"preserve\">",
                        properties(run)
                    ),
                ));
                // The first part keeps its spaces at the cut too.
                if let Some(te) = layout.texts.get(t)
                    && preserved.insert(t)
                {
                    let open = xml.get(te.open.clone()).unwrap_or_default();
                    if memchr::memmem::find(open, b"xml:space").is_none() {
                        edits.push(Edit::replace(
                            te.open.clone(),
                            "<w:t xml:space=\"preserve\">",
                        ));
                    }
                }
            }
        }
    }
    pkg.set(DOCUMENT, splice(&xml, edits));
    let new_comments = match old_comments {
        Some(old) => add_to_comments(&old, &comments).ok_or_else(|| {
            Text::new(
                "文档原有的批注部件结构无法识别",
                "the document's comments part has an unrecognised structure",
            )
        })?,
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"{W_NS}\">{comments}</w:comments>"
        )
        .into_bytes(),
    };
    pkg.set(&comments_part, new_comments);
    package::add_override(&mut pkg, &comments_part, COMMENTS_TYPE)?;
    pkg.finish()
}

/// One `w:comment`: a paragraph per line of the note.
fn comment_xml(id: u32, note: &Note, lang: Lang) -> String {
    let mut out = format!("<w:comment w:id=\"{id}\" w:author=\"suanpan\" w:initials=\"SP\">");
    for (i, line) in note.lines(lang).iter().enumerate() {
        out.push_str("<w:p>");
        if i == 0 {
            out.push_str("<w:r><w:annotationRef/></w:r>");
        }
        out.push_str(&format!(
            "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            xml_escape(line)
        ));
    }
    out.push_str("</w:comment>");
    out
}

/// The largest `w:id` of a comments part's comments.
fn max_comment_id(xml: &[u8]) -> u32 {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut max = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "comment" => {
                let a = package::attrs(&e);
                if let Some(id) = package::attr(&a, "w:id").and_then(|v| v.parse::<u32>().ok()) {
                    max = max.max(id);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    max
}

/// Adds comments to an existing comments part (`<w:comments …/>` included).
fn add_to_comments(old: &[u8], comments: &str) -> Option<Vec<u8>> {
    if let Some(out) = package::insert_before_close(old, b"</w:comments>", comments) {
        return Some(out);
    }
    // An empty element: opened and closed around the new comments.
    let start = memchr::memmem::find(old, b"<w:comments")?;
    let end = start + memchr::memmem::find(&old[start..], b"/>")?;
    Some(splice(
        old,
        vec![Edit::replace(
            end..end + 2,
            format!(">{comments}</w:comments>"),
        )],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::docx::layout_of_document_xml;

    const HEAD: &str = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";

    fn anchors(body: &str, span: Range<usize>) -> (String, Anchor, Anchor) {
        let xml = format!("{HEAD}{body}</w:body></w:document>");
        let layout = layout_of_document_xml(xml.as_bytes()).expect("layout");
        let s = locate(&layout, span.start, Side::Start).expect("start");
        let e = locate(&layout, span.end, Side::End).expect("end");
        (layout.text, s, e)
    }

    #[test]
    fn a_figure_across_runs_is_anchored_on_its_characters() {
        // "得分88." in one run, "35分" in a bold one: the span of 88.35 starts inside the
        // first run's text and ends inside the second's.
        let body = "<w:p><w:r><w:t>得分88.</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>35分</w:t></w:r></w:p>";
        let (text, s, e) = anchors(body, 6..11);
        assert_eq!(&text[6..11], "88.35");
        assert!(matches!(s, Anchor::InText(..)), "{s:?}");
        assert!(matches!(e, Anchor::InText(..)), "{e:?}");
        // A whole run's text: around the run.
        let (text, s, e) = anchors(body, 9..14);
        assert_eq!(&text[9..14], "35分");
        assert!(matches!(s, Anchor::Between(_)) && matches!(e, Anchor::Between(_)));
    }

    /// The characters of `w:t` elements between a comment's range marks.
    fn anchored_text(xml: &str, id: u32) -> String {
        let start = xml
            .find(&format!("<w:commentRangeStart w:id=\"{id}\"/>"))
            .expect("start");
        let end = xml
            .find(&format!("<w:commentRangeEnd w:id=\"{id}\"/>"))
            .expect("end");
        let mut out = String::new();
        let mut rest = &xml[start..end];
        // `<w:t>` or `<w:t …>`, not `<w:tab/>`.
        while let Some(i) = [rest.find("<w:t>"), rest.find("<w:t ")]
            .into_iter()
            .flatten()
            .min()
        {
            let open = i + rest[i..].find('>').expect(">") + 1;
            let close = open + rest[open..].find("</w:t>").expect("</w:t>");
            out.push_str(&rest[open..close].replace("&amp;", "&"));
            rest = &rest[close..];
        }
        out
    }

    #[test]
    fn figures_in_table_cells_and_after_tabs_are_anchored_exactly() {
        use std::io::Write;
        let body = "<w:p><w:r><w:t>预算</w:t><w:tab/><w:t xml:space=\"preserve\">A&amp;B 12.5万元</w:t></w:r></w:p>\
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>年初|预算</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:rPr><w:i/></w:rPr><w:t>775.</w:t></w:r><w:r><w:t>83</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        let xml = format!("{HEAD}{body}</w:body></w:document>");
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        for (name, content) in [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"></Types>",
            ),
            ("word/document.xml", xml.as_str()),
        ] {
            zip.start_file(name, o).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        let text = crate::source::docx::text_of(&bytes).unwrap();
        assert_eq!(text, "预算\tA&B 12.5万元\n| 年初｜预算 | 775.83 |\n");
        let span = |s: &str| {
            let at = text.find(s).expect("in the text");
            Place::Text {
                start: at,
                end: at + s.len(),
            }
        };
        let note = |place| Note {
            severity: crate::diagnostic::Severity::Error,
            code: "SP0000",
            rule: "test",
            message: "m".into(),
            label: "l".into(),
            expected: None,
            found: None,
            place,
        };
        let pipe = text.find("| ").expect("a pipe");
        let notes = [
            note(span("775.83")),
            note(span("12.5")),
            note(span("B 12")),
            // No place in the text, and a place on the table's own pipe: the first line.
            note(Place::File),
            note(Place::Text {
                start: pipe,
                end: pipe + 1,
            }),
        ];
        let copy = annotate(&bytes, &text, &notes, Lang::Zh).expect("annotated");
        assert_eq!(crate::source::docx::text_of(&copy).unwrap(), text);
        let (_, new_xml) = layout_of(&copy).unwrap();
        let new_xml = String::from_utf8(new_xml).unwrap();
        assert_eq!(anchored_text(&new_xml, 0), "775.83");
        assert_eq!(anchored_text(&new_xml, 1), "12.5");
        assert_eq!(anchored_text(&new_xml, 2), "B 12");
        assert_eq!(anchored_text(&new_xml, 3), "预算A&B 12.5万元");
        assert_eq!(anchored_text(&new_xml, 4), "预算A&B 12.5万元");
        // The italic run holds the figure's start: anchored before it, its properties untouched.
        assert!(new_xml.contains(
            "<w:commentRangeStart w:id=\"0\"/><w:r><w:rPr><w:i/></w:rPr><w:t>775.</w:t>"
        ));
        let types = String::from_utf8_lossy(&copy);
        assert!(types.contains("word/comments.xml"));
    }

    /// A .docx of paragraphs, each cut into runs at the given character counts, every other
    /// run bold; the text escaped as Word writes it.
    fn docx_of(paragraphs: &[(String, Vec<usize>)]) -> Vec<u8> {
        use std::io::Write;
        let mut body = String::new();
        for (text, cuts) in paragraphs {
            body.push_str("<w:p>");
            let chars: Vec<char> = text.chars().collect();
            let mut at = 0;
            for (k, n) in cuts.iter().chain(std::iter::once(&usize::MAX)).enumerate() {
                if at >= chars.len() {
                    break;
                }
                let end = at.saturating_add(*n).min(chars.len());
                let run: String = chars[at..end].iter().collect();
                let props = if k % 2 == 1 {
                    "<w:rPr><w:b/></w:rPr>"
                } else {
                    ""
                };
                body.push_str(&format!(
                    "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    run.replace('&', "&amp;").replace('<', "&lt;")
                ));
                at = end;
            }
            body.push_str("</w:p>");
        }
        let xml = format!("{HEAD}{body}</w:body></w:document>");
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        for (name, content) in [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"></Types>",
            ),
            ("word/document.xml", xml.as_str()),
        ] {
            zip.start_file(name, o).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever the runs and the spans within a line, each comment holds exactly its span's
        /// characters and the text is unchanged.
        #[test]
        fn every_span_is_anchored_exactly(
            paragraphs in proptest::collection::vec(
                ("[预算8.5 &<分|]{1,12}", proptest::collection::vec(1usize..4, 0..5)),
                1..4,
            ),
            picks in proptest::collection::vec((0usize..64, 0usize..64, 1usize..6), 1..5),
        ) {
            let bytes = docx_of(&paragraphs);
            let Ok(text) = crate::source::docx::text_of(&bytes) else {
                // Only spaces: an empty document, refused by the reader.
                return Ok(());
            };
            // Spans within a line: a start character and a length, in characters.
            let lines: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .scan(0, |at, l| {
                    let start = *at;
                    *at += l.len();
                    Some((start, l.trim_end_matches('\n')))
                })
                .filter(|(_, l)| !l.is_empty())
                .collect();
            let spans: Vec<Range<usize>> = picks
                .iter()
                .map(|&(line, first, len)| {
                    let (start, l) = lines[line % lines.len()];
                    let idx: Vec<usize> = l.char_indices().map(|(i, _)| i).chain([l.len()]).collect();
                    let a = first % (idx.len() - 1);
                    let b = (a + len).min(idx.len() - 1);
                    start + idx[a]..start + idx[b]
                })
                .collect();
            let notes: Vec<Note> = spans
                .iter()
                .map(|r| Note {
                    severity: crate::diagnostic::Severity::Info,
                    code: "SP0000",
                    rule: "t",
                    message: "m".into(),
                    label: String::new(),
                    expected: None,
                    found: None,
                    place: Place::Text { start: r.start, end: r.end },
                })
                .collect();
            let copy = annotate(&bytes, &text, &notes, Lang::En).expect("annotated");
            proptest::prop_assert_eq!(&crate::source::docx::text_of(&copy).unwrap(), &text);
            let (_, xml) = layout_of(&copy).unwrap();
            let xml = String::from_utf8(xml).unwrap();
            for (id, span) in spans.iter().enumerate() {
                let got = anchored_text(&xml, id as u32).replace("&lt;", "<");
                proptest::prop_assert_eq!(got.as_str(), &text[span.clone()]);
            }
        }
    }

    #[test]
    fn references_widen_to_their_character() {
        let body = "<w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p>";
        let (text, s, e) = anchors(body, 1..2);
        assert_eq!(&text[1..2], "&");
        assert!(matches!(s, Anchor::InText(at, ..) if at > 0));
        assert!(matches!(e, Anchor::InText(..)));
        assert!(s.at() < e.at());
    }
}
