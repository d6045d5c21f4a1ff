//! The annotated copy of an .xls, .xlsb or .ods: written out as .xlsx (rust_xlsxwriter) from the
//! values suanpan read — its formulas, formatting, merged cells and widths are not carried over,
//! which the run says — with the same notes, fills and summary sheet as an edited .xlsx.

use super::xlsx::fill_rgb;
use super::{Note, cell_place, severity_word};
use crate::diagnostic::{Place, Severity};
use crate::lang::{Lang, Text};
use crate::source::sheet::{Sheet, Value};
use rust_xlsxwriter::{Color, Format, Note as XlsxNote, Url, Workbook, XlsxError};
use std::collections::BTreeMap;

fn failed(e: XlsxError) -> Text {
    Text::new(
        format!("无法生成 .xlsx 副本：{e}"),
        format!("cannot write the .xlsx copy: {e}"),
    )
}

fn rgb(s: Severity) -> Color {
    Color::RGB(u32::from_str_radix(&fill_rgb(s)[2..], 16).unwrap_or(0xFFFFFF))
}

/// A sheet's labelled cells: the highest severity and the note's text.
type CellNotes = BTreeMap<(u32, u32), (Severity, String)>;

/// An .xlsx of `sheets` (as read), with a note and a fill on each labelled cell and a first
/// sheet listing the notes.
pub fn annotate(sheets: &[Sheet], notes: &[Note], lang: Lang) -> Result<Vec<u8>, Text> {
    let mut book = Workbook::new();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    let summary_name = (1..)
        .map(|n| {
            if n == 1 {
                "suanpan".to_string()
            } else {
                format!("suanpan ({n})")
            }
        })
        .find(|n| !names.iter().any(|s| s.eq_ignore_ascii_case(n)))
        .unwrap_or_default();
    let wrap = Format::new().set_text_wrap();
    let head = Format::new().set_bold();
    let link = Format::new()
        .set_font_color(Color::RGB(0x0563C1))
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    {
        let ws = book.add_worksheet();
        ws.set_name(&summary_name).map_err(failed)?;
        let title = super::summary_title(
            notes.len(),
            lang,
            &Text::new(
                "本副本由原工作簿的值生成，公式和格式没有带过来。",
                "This copy holds the original's values only: formulas and formatting were not carried over.",
            ),
        );
        ws.write_string_with_format(0, 0, title, &head)
            .map_err(failed)?;
        let heads = super::summary_heads(lang);
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &head)
                .map_err(failed)?;
        }
        for (c, w) in [8, 10, 22, 24, 70, 28, 14, 14].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(failed)?;
        }
        ws.set_freeze_panes(2, 0).map_err(failed)?;
        // Printed: A4 landscape, as wide as one page.
        ws.set_landscape()
            .set_paper_size(9)
            .set_print_fit_to_pages(1, 0);
        for (i, n) in notes.iter().enumerate() {
            let r = i as u32 + 2;
            let sev = Format::new()
                .set_background_color(rgb(n.severity))
                .set_text_wrap();
            ws.write_string_with_format(r, 0, severity_word(n.severity, lang), &sev)
                .map_err(failed)?;
            ws.write_string_with_format(r, 1, n.code, &wrap)
                .map_err(failed)?;
            ws.write_string_with_format(r, 2, n.rule, &wrap)
                .map_err(failed)?;
            if let Place::Cell { sheet, row, col } = &n.place {
                let place = cell_place(sheet, *row, *col);
                let target = format!(
                    "internal:'{}'!{}",
                    sheet.replace('\'', "''"),
                    crate::diagnostic::cell_name(*row, *col)
                );
                ws.write_url_with_format(r, 3, Url::new(target).set_text(place), &link)
                    .map_err(failed)?;
            }
            // A row as tall as its longest wrapped cell (see `xlsx::summary_sheet`).
            let lines = [(n.message.as_str(), 70), (n.label.as_str(), 28)]
                .iter()
                .map(|(v, w)| {
                    let units: usize = v.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                    units.div_ceil(*w).max(1)
                })
                .max()
                .unwrap_or(1);
            ws.set_row_height(r, 15.0 * lines as f64).map_err(failed)?;
            for (c, v) in [
                (4, n.message.as_str()),
                (5, n.label.as_str()),
                (6, n.expected.as_deref().unwrap_or("")),
                (7, n.found.as_deref().unwrap_or("")),
            ] {
                ws.write_string_with_format(r, c, v, &wrap)
                    .map_err(failed)?;
            }
        }
        ws.set_active(true);
    }
    // Cells and their notes, by sheet.
    let mut by_sheet: BTreeMap<&str, CellNotes> = BTreeMap::new();
    for n in notes {
        if let Place::Cell { sheet, row, col } = &n.place {
            let e = by_sheet
                .entry(sheet.as_str())
                .or_default()
                .entry((*row, *col))
                .or_insert((n.severity, String::new()));
            e.0 = e.0.max(n.severity);
            if !e.1.is_empty() {
                e.1.push_str("\n\n");
            }
            e.1.push_str(&n.lines(lang).join("\n"));
        }
    }
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(failed)?;
        let marked = by_sheet.get(sheet.name.as_str());
        for (r, row) in sheet.cells.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let fill = marked
                    .and_then(|m| m.get(&(r, u32::from(c))))
                    .map(|(s, _)| Format::new().set_background_color(rgb(*s)));
                let format = fill.unwrap_or_default();
                match v {
                    Value::Empty => continue,
                    Value::Number(d, _) => {
                        let n = d.to_string().parse::<f64>().unwrap_or(0.0);
                        ws.write_number_with_format(r, c, n, &format)
                    }
                    Value::Bool(b) => ws.write_boolean_with_format(r, c, *b, &format),
                    Value::Text(t) | Value::Other(t) => {
                        ws.write_string_with_format(r, c, t, &format)
                    }
                }
                .map_err(failed)?;
            }
        }
        if let Some(marked) = marked {
            for (&(r, c), (sev, text)) in marked {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                if matches!(sheet.get(r as usize, c as usize), Value::Empty) {
                    ws.write_blank(r, c, &Format::new().set_background_color(rgb(*sev)))
                        .map_err(failed)?;
                }
                let note = XlsxNote::new(text)
                    .set_author("suanpan")
                    .set_width(360)
                    .set_height(40 + 16 * text.lines().count() as u32);
                ws.insert_note(r, c, &note).map_err(failed)?;
            }
        }
    }
    book.save_to_buffer().map_err(failed)
}
