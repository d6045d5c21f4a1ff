//! The annotated copy of an .xlsx/.xlsm: the original package with parts added and a few
//! edited, never regenerated.
//!
//! - Each labelled cell gets a note (批注): `xl/commentsN.xml` with its legacy VML drawing (the
//!   shapes Excel and WPS show), their relationships and content types, and a `legacyDrawing`
//!   in the sheet. A sheet that already has notes keeps them: ours are added to its comments
//!   part and drawing, and a cell that already has a note gets ours appended to it.
//! - Each labelled cell gets a fill by severity: `styles.xml` gains a fill per severity and, for
//!   each style a labelled cell had, a copy of that style (`xf`) with the fill; the cell's `s`
//!   points at the copy, so its number format, font, borders and alignment stay. A labelled
//!   cell with no element (an empty cell) gets one.
//! - A first sheet "suanpan" lists the findings, each with a link to its cell. Defined names
//!   scoped to a sheet (`localSheetId`) are renumbered for the sheet added in front, and the
//!   workbook opens on the new sheet.
//!
//! Values, formulas, cached values, shared strings, merged cells, column widths and the other
//! sheets are bytes this leaves alone.

use super::package::{self, Package, attr, attrs};
use super::{Edit, Note, cell_place, severity_word, splice, xml_escape};
use crate::diagnostic::{Place, Severity, cell_name};
use crate::lang::{Lang, Text};
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

const REL_OFFICE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_WORKSHEET: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const REL_COMMENTS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const REL_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const TYPE_WORKSHEET: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const TYPE_COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const TYPE_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// Fill colours by severity (ARGB): light red, light yellow, light blue.
pub fn fill_rgb(s: Severity) -> &'static str {
    match s {
        Severity::Error => "FFFFC7CE",
        Severity::Warning => "FFFFEB9C",
        Severity::Info => "FFDDEBF7",
    }
}

fn unrecognised(part: &str) -> Text {
    Text::new(
        format!("{part} 的结构无法识别，未生成副本"),
        format!("{part} has an unrecognised structure: no copy"),
    )
}

/// "C5" → (4, 2), 0-based.
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in r[..letters].bytes() {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let row: u32 = r[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// A start tag rewritten with some attributes set (added when absent) — the others kept as
/// written — and closed as `empty` says.
fn retag(raw: &[u8], set: &[(&str, String)], empty: bool) -> Option<String> {
    let inner = raw.strip_prefix(b"<")?;
    let inner = inner.strip_suffix(b">")?;
    let inner = inner.strip_suffix(b"/").unwrap_or(inner);
    let start = BytesStart::from_content(String::from_utf8_lossy(inner).into_owned(), {
        inner
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(inner.len())
    });
    let mut out = format!("<{}", start.name().as_ref());
    let mut done = vec![false; set.len()];
    for a in start.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref().to_string();
        match set.iter().position(|(k, _)| *k == key) {
            Some(i) => {
                done[i] = true;
                out.push_str(&format!(" {key}=\"{}\"", xml_escape(&set[i].1)));
            }
            None => {
                let raw = a.value.replace('"', "&quot;");
                out.push_str(&format!(" {key}=\"{raw}\""));
            }
        }
    }
    for (i, (k, v)) in set.iter().enumerate() {
        if !done[i] {
            out.push_str(&format!(" {k}=\"{}\"", xml_escape(v)));
        }
    }
    out.push_str(if empty { "/>" } else { ">" });
    Some(out)
}

/// The prefix (with its colon) of a part's root element, e.g. "" or "x:".
fn root_prefix(xml: &[u8]) -> String {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name().as_ref().to_string();
                return match name.split_once(':') {
                    Some((p, _)) => format!("{p}:"),
                    None => String::new(),
                };
            }
            Ok(Event::Eof) | Err(_) => return String::new(),
            _ => {}
        }
        buf.clear();
    }
}

/// The reader's position in the part (a byte offset).
fn pos(reader: &quick_xml::Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// One labelled cell: its notes' severity (the highest) and its comment text.
struct CellNote {
    severity: Severity,
    text: String,
}

/// The annotated copy of a workbook package (.xlsx, .xlsm).
pub fn annotate(bytes: &[u8], notes: &[Note], lang: Lang) -> Result<Vec<u8>, Text> {
    let mut pkg = Package::open(bytes)?;
    let root_rels = pkg
        .read("_rels/.rels")?
        .map(|x| package::relationships(&x))
        .unwrap_or_default();
    let wb_part = root_rels
        .iter()
        .find(|r| r.kind == REL_OFFICE)
        .map(|r| package::resolve("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let wb_xml = pkg.read(&wb_part)?.ok_or_else(|| unrecognised(&wb_part))?;
    let wb_rels_part = package::rels_name(&wb_part);
    let wb_rels = pkg
        .read(&wb_rels_part)?
        .map(|x| package::relationships(&x))
        .unwrap_or_default();
    let book = scan_workbook(&wb_xml).ok_or_else(|| unrecognised(&wb_part))?;
    let sheet_part = |name: &str| {
        let s = book.sheets.iter().find(|s| s.name == name)?;
        let rel = wb_rels.iter().find(|r| r.id == s.rid && !r.external)?;
        Some(package::resolve(&wb_part, &rel.target))
    };

    // Cells and their notes, by sheet.
    let mut by_sheet: BTreeMap<String, BTreeMap<(u32, u32), CellNote>> = BTreeMap::new();
    for n in notes {
        if let Place::Cell { sheet, row, col } = &n.place {
            let text = n.lines(lang).join("\n");
            let cell = by_sheet
                .entry(sheet.clone())
                .or_default()
                .entry((*row, *col))
                .or_insert(CellNote {
                    severity: n.severity,
                    text: String::new(),
                });
            cell.severity = cell.severity.max(n.severity);
            if !cell.text.is_empty() {
                cell.text.push_str("\n\n");
            }
            cell.text.push_str(&text);
        }
    }

    let styles_part = wb_rels
        .iter()
        .find(|r| r.kind == REL_STYLES)
        .map(|r| package::resolve(&wb_part, &r.target));
    let mut styles = match &styles_part {
        Some(p) => match pkg.read(p)? {
            Some(xml) => Styles::scan(xml),
            None => None,
        },
        None => None,
    }
    .ok_or_else(|| unrecognised("styles.xml"))?;

    let mut vml_block = 100;
    for (sheet, cells) in &by_sheet {
        let Some(part) = sheet_part(sheet) else {
            continue;
        };
        vml_block += 1;
        annotate_sheet(&mut pkg, &part, cells, &mut styles, vml_block)?;
    }

    // The summary sheet, first.
    let summary_name = (1..)
        .map(|n| {
            if n == 1 {
                "suanpan".to_string()
            } else {
                format!("suanpan ({n})")
            }
        })
        .find(|n| !book.sheets.iter().any(|s| s.name.eq_ignore_ascii_case(n)))
        .unwrap_or_default();
    let summary_part = pkg.free_name("xl/worksheets/suanpan", "xml");
    let linked = |sheet: &str| sheet_part(sheet).is_some();
    let summary = summary_sheet(notes, lang, &mut styles, &linked);
    pkg.set(&summary_part, summary.into_bytes());
    package::add_override(&mut pkg, &summary_part, TYPE_WORKSHEET)?;
    let rid = package::add_relationship(
        &mut pkg,
        &wb_rels_part,
        REL_WORKSHEET,
        &package::relative(&wb_part, &summary_part),
    )?;
    let mut edits = book.renumber.clone();
    edits.push(Edit::insert(
        book.sheets_open_end,
        format!(
            "<{p}sheet name=\"{}\" sheetId=\"{}\" {}=\"{rid}\"/>",
            xml_escape(&summary_name),
            book.max_sheet_id + 1,
            book.id_key,
            p = book.prefix,
        ),
    ));
    pkg.set(&wb_part, splice(&wb_xml, edits));
    // The workbook opens on the summary: no other sheet stays selected with it.
    for s in &book.sheets {
        let Some(part) = sheet_part(&s.name) else {
            continue;
        };
        if let Some(xml) = pkg.read(&part)?
            && let Some(at) = memchr::memmem::find(&xml, b" tabSelected=\"1\"")
        {
            pkg.set(&part, splice(&xml, vec![Edit::replace(at..at + 16, "")]));
        }
    }
    if let Some(p) = &styles_part {
        pkg.set(p, styles.finish());
    }
    pkg.finish()
}

/// A sheet as workbook.xml lists it.
struct BookSheet {
    name: String,
    rid: String,
}

struct BookScan {
    sheets: Vec<BookSheet>,
    /// Just after `<sheets>`.
    sheets_open_end: usize,
    max_sheet_id: u32,
    /// The relationship id attribute's name as written (`r:id`).
    id_key: String,
    prefix: String,
    /// `localSheetId` +1 and the workbook view on the first sheet.
    renumber: Vec<Edit>,
}

fn scan_workbook(xml: &[u8]) -> Option<BookScan> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut scan = BookScan {
        sheets: Vec::new(),
        sheets_open_end: 0,
        max_sheet_id: 0,
        id_key: "r:id".to_string(),
        prefix: root_prefix(xml),
        renumber: Vec::new(),
    };
    let mut found = false;
    loop {
        let before = pos(&reader);
        let event = reader.read_event_into(&mut buf).ok()?;
        let at = before..pos(&reader);
        match event {
            Event::Start(e) if e.local_name().as_ref() == "sheets" => {
                scan.sheets_open_end = at.end;
                found = true;
            }
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let a = attrs(&e);
                if let Some(id) = attr(&a, "sheetId").and_then(|v| v.parse::<u32>().ok()) {
                    scan.max_sheet_id = scan.max_sheet_id.max(id);
                }
                let (key, rid) = a
                    .iter()
                    .find(|(k, _)| k == "id" || k.ends_with(":id"))
                    .cloned()
                    .unwrap_or_default();
                if !key.is_empty() {
                    scan.id_key = key;
                }
                scan.sheets.push(BookSheet {
                    name: attr(&a, "name").unwrap_or_default().to_string(),
                    rid,
                });
            }
            Event::Start(ref e) | Event::Empty(ref e)
                if e.local_name().as_ref() == "definedName" =>
            {
                let a = attrs(e);
                if let Some(n) = attr(&a, "localSheetId").and_then(|v| v.parse::<u32>().ok()) {
                    let empty = matches!(event, Event::Empty(_));
                    let tag = retag(
                        &xml[at.clone()],
                        &[("localSheetId", (n + 1).to_string())],
                        empty,
                    )?;
                    scan.renumber.push(Edit::replace(at, tag));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e)
                if e.local_name().as_ref() == "workbookView" =>
            {
                let a = attrs(e);
                let mut set = vec![("activeTab", "0".to_string())];
                if attr(&a, "firstSheet").is_some() {
                    set.push(("firstSheet", "0".to_string()));
                }
                let empty = matches!(event, Event::Empty(_));
                let tag = retag(&xml[at.clone()], &set, empty)?;
                scan.renumber.push(Edit::replace(at, tag));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    found.then_some(scan)
}

/// What annotating a sheet needs to know of its XML.
#[derive(Default)]
struct SheetScan {
    prefix: String,
    /// `<sheetData>`'s start tag, and where its end tag starts (None for `<sheetData/>`).
    sheet_data: Option<(Range<usize>, Option<usize>)>,
    /// Every row's number and start.
    row_starts: Vec<(u32, usize)>,
    /// The rows that hold labelled cells.
    rows: HashMap<u32, RowScan>,
    /// The labelled cells found: start tag, whether empty, style.
    cells: HashMap<(u32, u32), (Range<usize>, bool, u32)>,
    legacy_drawing: Option<String>,
    /// Where a `legacyDrawing` goes (before the elements the schema puts after it).
    legacy_at: Option<usize>,
    end_of_root: Option<usize>,
}

struct RowScan {
    tag: Range<usize>,
    empty: bool,
    close: Option<usize>,
    /// (column, start) of its cells.
    cells: Vec<(u32, usize)>,
}

/// Elements a worksheet has after `legacyDrawing`.
const AFTER_LEGACY: [&str; 8] = [
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

fn scan_sheet(xml: &[u8], targets: &BTreeMap<(u32, u32), CellNote>) -> Option<SheetScan> {
    let target_rows: std::collections::HashSet<u32> = targets.keys().map(|k| k.0).collect();
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut scan = SheetScan {
        prefix: root_prefix(xml),
        ..SheetScan::default()
    };
    let mut depth = 0usize;
    let (mut row, mut col): (Option<u32>, Option<u32>) = (None, None);
    loop {
        let before = pos(&reader);
        let event = reader.read_event_into(&mut buf).ok()?;
        let at = before..pos(&reader);
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if name == "worksheet" && depth == 1 {
                    scan.end_of_root = Some(at.start);
                }
                if name == "sheetData"
                    && let Some((_, close)) = &mut scan.sheet_data
                {
                    *close = Some(at.start);
                }
                if name == "row"
                    && let Some(r) = row
                    && let Some(rs) = scan.rows.get_mut(&r)
                {
                    rs.close = Some(at.start);
                }
                depth = depth.saturating_sub(1);
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => (None, false),
        };
        let Some(e) = e else {
            buf.clear();
            continue;
        };
        let level = depth + 1;
        if !empty {
            depth += 1;
        }
        let local = e.local_name();
        let local = local.as_ref();
        match (level, local) {
            (2, "sheetData") => scan.sheet_data = Some((at.clone(), None)),
            (2, "legacyDrawing") => {
                let a = attrs(&e);
                scan.legacy_drawing = a
                    .iter()
                    .find(|(k, _)| k == "id" || k.ends_with(":id"))
                    .map(|(_, v)| v.clone());
            }
            (2, name) if AFTER_LEGACY.contains(&name) && scan.legacy_at.is_none() => {
                scan.legacy_at = Some(at.start);
            }
            (3, "row") => {
                let a = attrs(&e);
                let r = attr(&a, "r")
                    .and_then(|v| v.parse::<u32>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or_else(|| row.map_or(0, |r| r + 1));
                row = Some(r);
                col = None;
                scan.row_starts.push((r, at.start));
                if target_rows.contains(&r) {
                    scan.rows.insert(
                        r,
                        RowScan {
                            tag: at.clone(),
                            empty,
                            close: None,
                            cells: Vec::new(),
                        },
                    );
                }
            }
            (4, "c") => {
                let a = attrs(&e);
                let r = row.unwrap_or(0);
                let c = attr(&a, "r")
                    .and_then(parse_ref)
                    .map(|(_, c)| c)
                    .unwrap_or_else(|| col.map_or(0, |c| c + 1));
                col = Some(c);
                if let Some(rs) = scan.rows.get_mut(&r) {
                    rs.cells.push((c, at.start));
                    if targets.contains_key(&(r, c)) {
                        let s = attr(&a, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                        scan.cells.insert((r, c), (at.clone(), empty, s));
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Some(scan)
}

fn annotate_sheet(
    pkg: &mut Package,
    part: &str,
    cells: &BTreeMap<(u32, u32), CellNote>,
    styles: &mut Styles,
    vml_block: u32,
) -> Result<(), Text> {
    let xml = pkg.read(part)?.ok_or_else(|| unrecognised(part))?;
    let scan = scan_sheet(&xml, cells).ok_or_else(|| unrecognised(part))?;
    let p = scan.prefix.clone();
    let mut edits = Vec::new();
    // Fills: the cells' styles copied with a fill; cells with no element get one.
    let mut missing: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    for (&(r, c), note) in cells {
        match scan.cells.get(&(r, c)) {
            Some((tag, empty, s)) => {
                let s = styles.with_fill(*s, note.severity);
                let new = retag(&xml[tag.clone()], &[("s", s.to_string())], *empty)
                    .ok_or_else(|| unrecognised(part))?;
                edits.push(Edit::replace(tag.clone(), new));
            }
            None => {
                let s = styles.with_fill(0, note.severity);
                missing
                    .entry(r)
                    .or_default()
                    .push((c, format!("<{p}c r=\"{}\" s=\"{s}\"/>", cell_name(r, c))));
            }
        }
    }
    let (data_tag, data_close) = scan.sheet_data.clone().ok_or_else(|| unrecognised(part))?;
    let mut new_rows = String::new();
    let mut new_rows_at: BTreeMap<usize, String> = BTreeMap::new();
    for (r, new_cells) in missing {
        match scan.rows.get(&r) {
            Some(rs) if !rs.empty => {
                let close = rs.close.ok_or_else(|| unrecognised(part))?;
                for (c, cell) in new_cells {
                    let at = rs
                        .cells
                        .iter()
                        .find(|(cc, _)| *cc > c)
                        .map_or(close, |(_, at)| *at);
                    edits.push(Edit::insert(at, cell));
                }
            }
            Some(rs) => {
                let open =
                    retag(&xml[rs.tag.clone()], &[], false).ok_or_else(|| unrecognised(part))?;
                let body: String = new_cells.into_iter().map(|(_, c)| c).collect();
                edits.push(Edit::replace(
                    rs.tag.clone(),
                    format!("{open}{body}</{p}row>"),
                ));
            }
            None => {
                let body: String = new_cells.into_iter().map(|(_, c)| c).collect();
                let row_xml = format!("<{p}row r=\"{}\">{body}</{p}row>", r + 1);
                match scan.row_starts.iter().find(|(rr, _)| *rr > r) {
                    Some((_, at)) => new_rows_at.entry(*at).or_default().push_str(&row_xml),
                    None => new_rows.push_str(&row_xml),
                }
            }
        }
    }
    for (at, rows) in new_rows_at {
        edits.push(Edit::insert(at, rows));
    }
    if !new_rows.is_empty() {
        match data_close {
            Some(close) => edits.push(Edit::insert(close, new_rows)),
            None => {
                let open =
                    retag(&xml[data_tag.clone()], &[], false).ok_or_else(|| unrecognised(part))?;
                edits.push(Edit::replace(
                    data_tag,
                    format!("{open}{new_rows}</{p}sheetData>"),
                ));
            }
        }
    }

    // Notes: the sheet's comments part and drawing, or new ones.
    let rels_part = package::rels_name(part);
    let rels = pkg
        .read(&rels_part)?
        .map(|x| package::relationships(&x))
        .unwrap_or_default();
    let comments_part = rels
        .iter()
        .find(|r| r.kind == REL_COMMENTS && !r.external)
        .map(|r| package::resolve(part, &r.target));
    let vml_part = scan.legacy_drawing.as_ref().and_then(|id| {
        rels.iter()
            .find(|r| &r.id == id && !r.external)
            .map(|r| package::resolve(part, &r.target))
    });
    let old_comments = match &comments_part {
        Some(c) => pkg.read(c)?,
        None => None,
    };
    let (comments_xml, new_shapes) =
        comments(old_comments.as_deref(), cells).ok_or_else(|| unrecognised("comments"))?;
    let comments_part = match comments_part {
        Some(c) => c,
        None => {
            let name = pkg.free_name("xl/comments", "xml");
            package::add_relationship(
                pkg,
                &rels_part,
                REL_COMMENTS,
                &package::relative(part, &name),
            )?;
            name
        }
    };
    pkg.set(&comments_part, comments_xml);
    package::add_override(pkg, &comments_part, TYPE_COMMENTS)?;
    match vml_part {
        Some(v) => {
            let old = pkg.read(&v)?.ok_or_else(|| unrecognised(&v))?;
            let new = add_shapes(&old, &new_shapes).ok_or_else(|| unrecognised(&v))?;
            pkg.set(&v, new);
        }
        None => {
            let name = pkg.free_name("xl/drawings/vmlDrawingSp", "vml");
            pkg.set(&name, new_vml(vml_block, &new_shapes).into_bytes());
            let id = package::add_relationship(
                pkg,
                &rels_part,
                REL_VML,
                &package::relative(part, &name),
            )?;
            package::add_default(pkg, "vml", TYPE_VML)?;
            let at = scan
                .legacy_at
                .or(scan.end_of_root)
                .ok_or_else(|| unrecognised(part))?;
            edits.push(Edit::insert(
                at,
                format!("<{p}legacyDrawing xmlns:r=\"{REL_NS}\" r:id=\"{id}\"/>"),
            ));
        }
    }
    pkg.set(part, splice(&xml, edits));
    Ok(())
}

/// A note's shape to draw: row, column, lines of text.
type Shape = (u32, u32, usize);

/// The sheet's comments part with ours added (made when there is none), and the cells that
/// need a new shape in the drawing (those that had no note).
fn comments(
    old: Option<&[u8]>,
    cells: &BTreeMap<(u32, u32), CellNote>,
) -> Option<(Vec<u8>, Vec<Shape>)> {
    let para = |text: &str| {
        format!(
            "<r><rPr><sz val=\"9\"/><rFont val=\"Tahoma\"/></rPr><t xml:space=\"preserve\">{}</t></r>",
            xml_escape(text)
        )
    };
    let lines = |text: &str| text.lines().count().max(1);
    let Some(old) = old else {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{MAIN_NS}\"><authors><author>suanpan</author></authors><commentList>"
        );
        let mut shapes = Vec::new();
        for (&(r, c), note) in cells {
            out.push_str(&format!(
                "<comment ref=\"{}\" authorId=\"0\"><text>{}</text></comment>",
                cell_name(r, c),
                para(&format!("suanpan:\n{}", note.text))
            ));
            shapes.push((r, c, lines(&note.text) + 1));
        }
        out.push_str("</commentList></comments>");
        return Some((out.into_bytes(), shapes));
    };
    // An existing part: its authors, its comments by cell, where lists end.
    let p = root_prefix(old);
    let mut reader = quick_xml::Reader::from_reader(old);
    let mut buf = Vec::new();
    let mut authors = 0u32;
    let (mut authors_close, mut list_close) = (None, None);
    let mut current: Option<(u32, u32)> = None;
    let mut text_close: HashMap<(u32, u32), usize> = HashMap::new();
    loop {
        let before = pos(&reader);
        let event = reader.read_event_into(&mut buf).ok()?;
        let at = before..pos(&reader);
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "author" => {
                authors += 1;
            }
            Event::Start(e) if e.local_name().as_ref() == "comment" => {
                current = attr(&attrs(&e), "ref").and_then(parse_ref);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "authors" => authors_close = Some(at.start),
                "commentList" => list_close = Some(at.start),
                "text" => {
                    if let Some(cell) = current {
                        text_close.insert(cell, at.start);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut edits = vec![Edit::insert(
        authors_close?,
        format!("<{p}author>suanpan</{p}author>"),
    )];
    let mut added = String::new();
    let mut shapes = Vec::new();
    for (&(r, c), note) in cells {
        match text_close.get(&(r, c)) {
            Some(&at) => edits.push(Edit::insert(
                at,
                para(&format!("\n\nsuanpan:\n{}", note.text)).replace("<r>", &format!("<{p}r>")),
            )),
            None => {
                added.push_str(&format!(
                    "<{p}comment ref=\"{}\" authorId=\"{authors}\"><{p}text>{}</{p}text></{p}comment>",
                    cell_name(r, c),
                    para(&format!("suanpan:\n{}", note.text))
                ));
                shapes.push((r, c, lines(&note.text) + 1));
            }
        }
    }
    edits.push(Edit::insert(list_close?, added));
    // A prefixed part gets prefixed run elements.
    let mut out = splice(old, edits);
    if !p.is_empty() {
        let s = String::from_utf8_lossy(&out)
            .replace("<r><rPr>", &format!("<{p}r><{p}rPr>"))
            .replace("<sz val", &format!("<{p}sz val"))
            .replace("<rFont val", &format!("<{p}rFont val"))
            .replace("</rPr><t xml:space", &format!("</{p}rPr><{p}t xml:space"))
            .replace("</t></r>", &format!("</{p}t></{p}r>"));
        out = s.into_bytes();
    }
    Some((out, shapes))
}

const SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

fn shape(id: usize, r: u32, c: u32, lines: usize) -> String {
    let top = r.saturating_sub(1);
    let bottom = top + 3 + lines as u32;
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:80pt;margin-top:2pt;width:240pt;height:{h}pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{}, 15, {top}, 2, {}, 15, {bottom}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{r}</x:Row><x:Column>{c}</x:Column></x:ClientData></v:shape>",
        c + 1,
        c + 5,
        h = 16 * (lines + 2),
        z = id,
    )
}

fn new_vml(block: u32, cells: &[Shape]) -> String {
    let mut out = format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{block}\"/></o:shapelayout>{SHAPETYPE}"
    );
    let first = block as usize * 1024 + 1;
    for (i, &(r, c, lines)) in cells.iter().enumerate() {
        out.push_str(&shape(first + i, r, c, lines));
    }
    out.push_str("</xml>");
    out
}

/// An existing drawing with shapes for the new notes, numbered after its own.
fn add_shapes(old: &[u8], cells: &[Shape]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(old);
    let mut max = 0usize;
    for (i, _) in text.match_indices("_x0000_s") {
        let digits: String = text[i + 8..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        max = max.max(digits.parse().unwrap_or(0));
    }
    let mut add = String::new();
    if !text.contains("_x0000_t202\"") {
        add.push_str(SHAPETYPE);
    }
    for (i, &(r, c, lines)) in cells.iter().enumerate() {
        add.push_str(&shape(max + 1 + i, r, c, lines));
    }
    package::insert_before_close(old, b"</xml>", &add)
}

/// styles.xml being extended: fills and fonts added, styles copied.
struct Styles {
    xml: Vec<u8>,
    prefix: String,
    /// (start tag, where its end tag starts, how many children) of fills, fonts, cellXfs.
    fills: (Range<usize>, usize, usize),
    fonts: (Range<usize>, usize, usize),
    xfs: (Range<usize>, usize, usize),
    /// Each cellXfs `xf`: its start tag, whether empty, its whole extent.
    xf: Vec<(Range<usize>, bool, Range<usize>)>,
    /// The first font, copied for the summary's headings and links.
    font0: Option<Range<usize>>,
    new_fills: Vec<String>,
    new_fonts: Vec<String>,
    new_xfs: Vec<String>,
    fill_of: HashMap<Severity, usize>,
    xf_of: HashMap<(u32, Severity), u32>,
}

impl Styles {
    fn scan(xml: Vec<u8>) -> Option<Styles> {
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        let (mut fills, mut fonts, mut xfs) = (None, None, None);
        let mut xf = Vec::new();
        let mut font0 = None;
        let mut depth = 0usize;
        let mut in_list: Option<&'static str> = None;
        let mut counts = (0usize, 0usize, 0usize);
        let mut open_xf: Option<(Range<usize>, usize)> = None;
        let mut open_font: Option<usize> = None;
        loop {
            let before = pos(&reader);
            let event = reader.read_event_into(&mut buf).ok()?;
            let at = before..pos(&reader);
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(event, Event::Empty(_));
                    let level = depth + 1;
                    let local = e.local_name();
                    match (level, local.as_ref()) {
                        (2, "fills") if !empty => {
                            in_list = Some("fills");
                            fills = Some((at.clone(), 0, 0));
                        }
                        (2, "fonts") if !empty => {
                            in_list = Some("fonts");
                            fonts = Some((at.clone(), 0, 0));
                        }
                        (2, "cellXfs") if !empty => {
                            in_list = Some("cellXfs");
                            xfs = Some((at.clone(), 0, 0));
                        }
                        (3, _) => match in_list {
                            Some("fills") => counts.0 += 1,
                            Some("fonts") => {
                                counts.1 += 1;
                                if counts.1 == 1 {
                                    if empty {
                                        font0 = Some(at.clone());
                                    } else {
                                        open_font = Some(at.start);
                                    }
                                }
                            }
                            Some("cellXfs") => {
                                counts.2 += 1;
                                if empty {
                                    xf.push((at.clone(), true, at.clone()));
                                } else {
                                    open_xf = Some((at.clone(), at.start));
                                }
                            }
                            _ => {}
                        },
                        _ => {}
                    }
                    if !empty {
                        depth += 1;
                    }
                }
                Event::End(e) => {
                    let local = e.local_name();
                    match (depth, local.as_ref()) {
                        (2, "fills") => fills = fills.map(|(t, _, _)| (t, at.start, counts.0)),
                        (2, "fonts") => fonts = fonts.map(|(t, _, _)| (t, at.start, counts.1)),
                        (2, "cellXfs") => xfs = xfs.map(|(t, _, _)| (t, at.start, counts.2)),
                        (3, _) => {
                            if let Some((tag, start)) = open_xf.take() {
                                xf.push((tag, false, start..at.end));
                            }
                            if let Some(start) = open_font.take() {
                                font0 = Some(start..at.end);
                            }
                        }
                        _ => {}
                    }
                    if depth == 2 {
                        in_list = None;
                    }
                    depth = depth.saturating_sub(1);
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        let prefix = root_prefix(&xml);
        Some(Styles {
            prefix,
            fills: fills?,
            fonts: fonts?,
            xfs: xfs?,
            xf,
            font0,
            xml,
            new_fills: Vec::new(),
            new_fonts: Vec::new(),
            new_xfs: Vec::new(),
            fill_of: HashMap::new(),
            xf_of: HashMap::new(),
        })
    }

    /// The fill id of a severity's colour.
    fn fill(&mut self, s: Severity) -> usize {
        if let Some(&id) = self.fill_of.get(&s) {
            return id;
        }
        let p = &self.prefix;
        let id = self.fills.2 + self.new_fills.len();
        self.new_fills.push(format!(
            "<{p}fill><{p}patternFill patternType=\"solid\"><{p}fgColor rgb=\"{}\"/><{p}bgColor indexed=\"64\"/></{p}patternFill></{p}fill>",
            fill_rgb(s)
        ));
        self.fill_of.insert(s, id);
        id
    }

    /// A new style.
    fn add_xf(&mut self, xf: String) -> u32 {
        let id = self.xfs.2 + self.new_xfs.len();
        self.new_xfs.push(xf);
        u32::try_from(id).unwrap_or(0)
    }

    /// The style `s` with a severity's fill (a copy, made once).
    fn with_fill(&mut self, s: u32, sev: Severity) -> u32 {
        if let Some(&id) = self.xf_of.get(&(s, sev)) {
            return id;
        }
        let fill = self.fill(sev).to_string();
        let set = [("fillId", fill), ("applyFill", "1".to_string())];
        let copy = match self.xf.get(s as usize) {
            Some((tag, empty, whole)) => {
                let head = retag(&self.xml[tag.clone()], &set, *empty);
                let rest = String::from_utf8_lossy(&self.xml[tag.end..whole.end]).into_owned();
                head.map(|h| h + &rest)
            }
            None => None,
        };
        let p = self.prefix.clone();
        let copy = copy.unwrap_or_else(|| {
            format!(
                "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"{}\" borderId=\"0\" xfId=\"0\" applyFill=\"1\"/>",
                set[0].1
            )
        });
        let id = self.add_xf(copy);
        self.xf_of.insert((s, sev), id);
        id
    }

    /// A copy of the first font with extra elements (bold, underline) and a colour.
    fn font(&mut self, extra: &str, color: Option<&str>) -> usize {
        let p = self.prefix.clone();
        let base = self
            .font0
            .clone()
            .map(|r| String::from_utf8_lossy(&self.xml[r]).into_owned())
            .unwrap_or_else(|| format!("<{p}font/>"));
        let mut font = if let Some(inner) = base.strip_suffix("/>") {
            format!("{inner}>{extra}</{p}font>")
        } else {
            match base.find('>') {
                Some(i) => format!("{}{extra}{}", &base[..=i], &base[i + 1..]),
                None => base,
            }
        };
        if let Some(rgb) = color {
            // The copy's own colour, if any, gives way.
            if let Some(i) = font.find(&format!("<{p}color "))
                && let Some(j) = font[i..].find("/>")
            {
                font.replace_range(i..i + j + 2, "");
            }
            let close = format!("</{p}font>");
            if let Some(i) = font.rfind(&close) {
                font.insert_str(i, &format!("<{p}color rgb=\"{rgb}\"/>"));
            }
        }
        let id = self.fonts.2 + self.new_fonts.len();
        self.new_fonts.push(font);
        id
    }

    fn finish(self) -> Vec<u8> {
        let mut edits = Vec::new();
        for ((tag, close, count), new) in [
            (&self.fills, &self.new_fills),
            (&self.fonts, &self.new_fonts),
            (&self.xfs, &self.new_xfs),
        ] {
            if new.is_empty() {
                continue;
            }
            if let Some(t) = retag(
                &self.xml[tag.clone()],
                &[("count", (count + new.len()).to_string())],
                false,
            ) {
                edits.push(Edit::replace(tag.clone(), t));
            }
            edits.push(Edit::insert(*close, new.concat()));
        }
        splice(&self.xml, edits)
    }
}

/// The summary sheet: a title row, a heading row and a row per note, the place linked to its
/// cell.
fn summary_sheet(
    notes: &[Note],
    lang: Lang,
    styles: &mut Styles,
    linked: &dyn Fn(&str) -> bool,
) -> String {
    let bold = styles.font("<b/>", None);
    let link = styles.font("<u/>", Some("FF0563C1"));
    let p = styles.prefix.clone();
    let head = styles.add_xf(format!(
        "<{p}xf numFmtId=\"0\" fontId=\"{bold}\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    ));
    let wrap = format!("<{p}alignment vertical=\"top\" wrapText=\"1\"/>");
    let body = styles.add_xf(format!(
        "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">{wrap}</{p}xf>"
    ));
    let link_xf = styles.add_xf(format!(
        "<{p}xf numFmtId=\"0\" fontId=\"{link}\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\">{wrap}</{p}xf>"
    ));
    let mut sev_xf = HashMap::new();
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let fill = styles.fill(s);
        let id = styles.add_xf(format!(
            "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"{fill}\" borderId=\"0\" xfId=\"0\" applyFill=\"1\" applyAlignment=\"1\">{wrap}</{p}xf>"
        ));
        sev_xf.insert(s, id);
    }
    let cell = |r: usize, c: u32, s: u32, text: &str| {
        format!(
            "<c r=\"{}\" s=\"{s}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            cell_name(r as u32, c),
            xml_escape(text)
        )
    };
    let heads = super::summary_heads(lang);
    let title = super::summary_title(
        notes.len(),
        lang,
        &Text::new("原文件未改动。", "The original file is unchanged."),
    );
    let mut rows = format!("<row r=\"1\">{}</row>", cell(0, 0, head, &title));
    rows.push_str("<row r=\"2\">");
    for (c, h) in heads.iter().enumerate() {
        rows.push_str(&cell(1, c as u32, head, h));
    }
    rows.push_str("</row>");
    let widths: [usize; 8] = [8, 10, 22, 24, 70, 28, 14, 14];
    let mut links = String::new();
    for (i, n) in notes.iter().enumerate() {
        let r = i + 2;
        let place = match &n.place {
            Place::Cell { sheet, row, col } => cell_place(sheet, *row, *col),
            _ => String::new(),
        };
        let place_style = match &n.place {
            Place::Cell { sheet, row, col } if linked(sheet) => {
                let quoted = sheet.replace('\'', "''");
                links.push_str(&format!(
                    "<hyperlink ref=\"{}\" location=\"{}\" display=\"{}\"/>",
                    cell_name(r as u32, 3),
                    xml_escape(&format!("'{quoted}'!{}", cell_name(*row, *col))),
                    xml_escape(&place)
                ));
                link_xf
            }
            _ => body,
        };
        let values = [
            (
                severity_word(n.severity, lang).to_string(),
                sev_xf[&n.severity],
            ),
            (n.code.to_string(), body),
            (n.rule.to_string(), body),
            (place, place_style),
            (n.message.clone(), body),
            (n.label.clone(), body),
            (n.expected.clone().unwrap_or_default(), body),
            (n.found.clone().unwrap_or_default(), body),
        ];
        // Wrapped text gets room: a row as tall as its longest cell's lines (Excel and
        // LibreOffice do not grow a row written without a height on opening).
        let lines = values
            .iter()
            .zip(widths)
            .map(|((v, _), w)| {
                let units: usize = v.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                units.div_ceil(w.max(1)).max(1)
            })
            .max()
            .unwrap_or(1);
        rows.push_str(&format!(
            "<row r=\"{}\" ht=\"{}\" customHeight=\"1\">",
            r + 1,
            15 * lines
        ));
        for (c, (v, s)) in values.iter().enumerate() {
            rows.push_str(&cell(r, c as u32, *s, v));
        }
        rows.push_str("</row>");
    }
    let cols: String = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>",
                n = i + 1
            )
        })
        .collect();
    let links = if links.is_empty() {
        String::new()
    } else {
        format!("<hyperlinks>{links}</hyperlinks>")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>{cols}</cols><sheetData>{rows}</sheetData>{links}<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal package around one sheet's XML.
    fn package(sheet: &str) -> Vec<u8> {
        use std::io::Write;
        let parts = [
            ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>".to_string()),
            ("_rels/.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_OFFICE}\" Target=\"xl/workbook.xml\"/></Relationships>")),
            ("xl/workbook.xml", format!("<?xml version=\"1.0\"?><workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets><sheet name=\"表\" sheetId=\"1\" r:id=\"rId1\"/></sheets><definedNames><definedName name=\"_xlnm.Print_Area\" localSheetId=\"0\">表!$A$1:$C$9</definedName></definedNames></workbook>")),
            ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_WORKSHEET}\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{REL_STYLES}\" Target=\"styles.xml\"/></Relationships>")),
            ("xl/styles.xml", format!("<?xml version=\"1.0\"?><styleSheet xmlns=\"{MAIN_NS}\"><fonts count=\"1\"><font><sz val=\"11\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border/></borders><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/><xf numFmtId=\"2\" fontId=\"0\" fillId=\"0\" borderId=\"0\" applyNumberFormat=\"1\"><alignment horizontal=\"right\"/></xf></cellXfs></styleSheet>")),
            ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">{sheet}<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/><tableParts count=\"0\"/></worksheet>")),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in parts {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn cell_note(row: u32, col: u32, severity: Severity) -> Note {
        Note {
            severity,
            code: "SP0201",
            rule: "sheet-score-over-weight",
            message: "得分超过分值".into(),
            label: "得分".into(),
            expected: Some("≤ 10".into()),
            found: Some("12".into()),
            place: Place::Cell {
                sheet: "表".into(),
                row,
                col,
            },
        }
    }

    fn part(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn cells_without_elements_get_one_in_order() {
        let sheet = "<sheetData><row r=\"1\"><c r=\"B1\" s=\"1\"><v>1.5</v></c></row><row r=\"3\"/><row r=\"5\"><c r=\"A5\"><v>2</v></c></row></sheetData>";
        let notes = [
            cell_note(0, 0, Severity::Error),   // A1, before B1
            cell_note(0, 1, Severity::Warning), // B1, there: its style copied
            cell_note(0, 2, Severity::Info),    // C1, after B1
            cell_note(2, 1, Severity::Error),   // B3, in an empty row element
            cell_note(3, 0, Severity::Error),   // A4, a row that is not there
            cell_note(8, 0, Severity::Error),   // A9, after every row
        ];
        let copy = annotate(&package(sheet), &notes, Lang::Zh).expect("annotated");
        let xml = part(&copy, "xl/worksheets/sheet1.xml");
        let data = &xml[xml.find("<sheetData>").unwrap()..xml.find("</sheetData>").unwrap()];
        assert_eq!(
            data,
            "<sheetData><row r=\"1\"><c r=\"A1\" s=\"2\"/><c r=\"B1\" s=\"3\"><v>1.5</v></c><c r=\"C1\" s=\"4\"/></row><row r=\"3\"><c r=\"B3\" s=\"2\"/></row><row r=\"4\"><c r=\"A4\" s=\"2\"/></row><row r=\"5\"><c r=\"A5\"><v>2</v></c></row><row r=\"9\"><c r=\"A9\" s=\"2\"/></row>"
        );
        // The drawing goes before the table parts, as the schema orders them.
        let legacy = xml.find("<legacyDrawing").unwrap();
        assert!(xml.find("<pageMargins").unwrap() < legacy);
        assert!(legacy < xml.find("<tableParts").unwrap());
        // B1's copy keeps its number format and alignment and takes the warning's fill.
        let styles = part(&copy, "xl/styles.xml");
        assert!(styles.contains("<xf numFmtId=\"2\" fontId=\"0\" fillId=\"3\" borderId=\"0\" applyNumberFormat=\"1\" applyFill=\"1\"><alignment horizontal=\"right\"/></xf>"), "{styles}");
        assert!(styles.contains("<fills count=\"5\">"), "{styles}");
        // The summary first, the print area's sheet index moved with its sheet, the view on it.
        let wb = part(&copy, "xl/workbook.xml");
        assert!(
            wb.contains(
                "<sheets><sheet name=\"suanpan\" sheetId=\"2\" r:id=\"rIdSp1\"/><sheet name=\"表\""
            ),
            "{wb}"
        );
        assert!(wb.contains("localSheetId=\"1\""), "{wb}");
        let comments = part(&copy, "xl/comments1.xml");
        assert_eq!(comments.matches("<comment ref=").count(), 6);
        let vml = part(&copy, "xl/drawings/vmlDrawingSp1.vml");
        assert_eq!(vml.matches("<v:shape id=").count(), 6);
        assert!(part(&copy, "[Content_Types].xml").contains("Extension=\"vml\""));
        // calamine reads the values where they were.
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(copy)).unwrap();
        use calamine::Reader;
        let range = book.worksheet_range("表").unwrap();
        assert_eq!(range.get_value((0, 1)), Some(&calamine::Data::Float(1.5)));
        assert_eq!(range.get_value((4, 0)), Some(&calamine::Data::Float(2.0)));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// Whatever cells are labelled — filled or empty, in rows that exist or not — the copy
        /// holds the same values, a note on each labelled cell, and a valid package calamine
        /// opens.
        #[test]
        fn any_cells_get_notes_and_values_stay(
            filled in proptest::collection::vec((0u32..12, 0u16..6, -1000i32..1000), 0..30),
            labelled in proptest::collection::btree_set((0u32..15, 0u32..8), 1..10),
        ) {
            use calamine::Reader;
            let mut book = rust_xlsxwriter::Workbook::new();
            let ws = book.add_worksheet();
            ws.set_name("表").unwrap();
            for &(r, c, v) in &filled {
                ws.write_number(r, c, f64::from(v) / 4.0).unwrap();
            }
            ws.insert_note(1, 1, &rust_xlsxwriter::Note::new("原有批注")).unwrap();
            let bytes = book.save_to_buffer().unwrap();
            let notes: Vec<Note> = labelled
                .iter()
                .map(|&(r, c)| cell_note(r, c, Severity::Warning))
                .collect();
            let copy = annotate(&bytes, &notes, Lang::Zh).expect("annotated");
            let read = |b: Vec<u8>| {
                let mut x: calamine::Xlsx<_> =
                    calamine::open_workbook_from_rs(std::io::Cursor::new(b)).unwrap();
                let r = x.worksheet_range("表").unwrap();
                r.used_cells().map(|(i, j, d)| (i, j, d.clone())).collect::<Vec<_>>()
            };
            proptest::prop_assert_eq!(read(bytes.clone()), read(copy.clone()));
            let comments = part(&copy, "xl/comments1.xml");
            for &(r, c) in &labelled {
                let cell = format!("<comment ref=\"{}\"", cell_name(r, c));
                proptest::prop_assert_eq!(comments.matches(&cell).count(), 1, "{}", cell);
            }
            let sheet = part(&copy, "xl/worksheets/sheet1.xml");
            // Rows ascending, cells ascending within them.
            let mut last = (0u32, 0u32);
            let mut reader = quick_xml::Reader::from_str(&sheet);
            loop {
                match reader.read_event().unwrap() {
                    Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                        let a = attrs(&e);
                        let at = parse_ref(attr(&a, "r").unwrap()).unwrap();
                        proptest::prop_assert!(at > last || last == (0, 0), "{:?} after {:?}", at, last);
                        last = at;
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn refs_parse() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("D12"), Some((11, 3)));
        assert_eq!(parse_ref("AA3"), Some((2, 26)));
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("12"), None);
    }

    #[test]
    fn retag_sets_and_keeps_attributes() {
        assert_eq!(
            retag(b"<c r=\"B2\" s=\"3\" t=\"n\">", &[("s", "7".into())], false).unwrap(),
            "<c r=\"B2\" s=\"7\" t=\"n\">"
        );
        assert_eq!(
            retag(b"<c r='B2'/>", &[("s", "7".into())], true).unwrap(),
            "<c r=\"B2\" s=\"7\"/>"
        );
    }
}
