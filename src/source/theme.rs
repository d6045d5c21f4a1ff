//! An .xlsx without its colour theme, for calamine to open.
//!
//! calamine parses `xl/theme/theme1.xml` on every open, to resolve the colours of fonts, fills and
//! borders. suanpan reads no colour, and the theme (~7 KB of XML in every Excel, WPS or
//! rust_xlsxwriter workbook) cost about 11% of reading a typical report workbook: measured with
//! callgrind over the benchmark corpus, 0.20 M instructions of 1.7 M per workbook. When the
//! theme's entry is left out of the zip's central directory, calamine finds no theme and uses
//! its default colours; every cell reads the same.
//!
//! The zip crate can copy entries into a new archive, but it cost half of what it saved (it
//! writes every entry's local header anew), so the central directory is filtered here: the
//! entries' bytes stay where they are, and only the directory after them is rewritten. Anything
//! but the plain layout (one disk, no zip64, the directory right before its end record) is left
//! as it is, for calamine and the zip crate to read or refuse as before.

/// The theme part calamine reads for a workbook under `xl/`; compared as calamine looks it up,
/// ignoring ASCII case.
const THEME: &[u8] = b"xl/theme/theme1.xml";

const END_SIGNATURE: &[u8] = b"PK\x05\x06";
const END_LEN: usize = 22;
const ENTRY_SIGNATURE: &[u8] = b"PK\x01\x02";
const ENTRY_LEN: usize = 46;
/// Where a zip64 end locator would sit, right before the end record.
const ZIP64_LOCATOR: &[u8] = b"PK\x06\x07";
const ZIP64_LOCATOR_LEN: usize = 20;

/// The archive with the theme's directory entry left out, or None when there is no theme entry
/// or the archive is not laid out plainly.
pub fn without_theme(zip: &[u8]) -> Option<Vec<u8>> {
    let end = find_end(zip)?;
    let record = &zip[end..end + END_LEN];
    let (disk, dir_disk) = (u16_at(record, 4)?, u16_at(record, 6)?);
    let (on_disk, total) = (u16_at(record, 8)?, u16_at(record, 10)?);
    let (dir_size, dir_start) = (u32_at(record, 12)? as usize, u32_at(record, 16)? as usize);
    let plain = disk == 0 && dir_disk == 0 && on_disk == total && total != u16::MAX;
    if !plain || dir_start.checked_add(dir_size)? != end || is_zip64(zip, end) {
        return None;
    }
    let theme = theme_entry(zip, dir_start, end, total)?;
    let (at, len) = (dir_start + theme.start, theme.len());
    let mut out = Vec::with_capacity(zip.len() - len);
    out.extend_from_slice(&zip[..at]);
    out.extend_from_slice(&zip[at + len..end]);
    let record_at = out.len();
    out.extend_from_slice(&zip[end..]);
    let fewer = total - 1;
    out[record_at + 8..record_at + 10].copy_from_slice(&fewer.to_le_bytes());
    out[record_at + 10..record_at + 12].copy_from_slice(&fewer.to_le_bytes());
    out[record_at + 12..record_at + 16].copy_from_slice(&((dir_size - len) as u32).to_le_bytes());
    Some(out)
}

/// The end-of-central-directory record: the last signature in reach of the end, when its
/// comment reaches the end exactly. (The zip crate takes the last signature whose record parses
/// and whose comment fits; anything less plain is left alone, lest the two pick different ones.)
fn find_end(zip: &[u8]) -> Option<usize> {
    let lowest = zip.len().checked_sub(END_LEN)?;
    let floor = lowest.saturating_sub(usize::from(u16::MAX));
    let at = floor + memchr::memmem::rfind(&zip[floor..], END_SIGNATURE)?;
    let comment = usize::from(u16_at(zip, at + 20)?);
    (at <= lowest && at + END_LEN + comment == zip.len()).then_some(at)
}

fn is_zip64(zip: &[u8], end: usize) -> bool {
    end.checked_sub(ZIP64_LOCATOR_LEN)
        .is_some_and(|at| zip[at..].starts_with(ZIP64_LOCATOR))
}

/// The byte range, within the directory (`zip[dir_start..end]`), of the theme's entry; None
/// unless the directory holds exactly `total` well-formed entries, one of them the theme, and
/// every entry's local header and data lie before the directory (bytes after it move when the
/// directory shrinks).
fn theme_entry(
    zip: &[u8],
    dir_start: usize,
    end: usize,
    total: u16,
) -> Option<std::ops::Range<usize>> {
    let dir = &zip[dir_start..end];
    let mut at = 0;
    let mut theme = None;
    for _ in 0..total {
        let entry = dir.get(at..at + ENTRY_LEN)?;
        if !entry.starts_with(ENTRY_SIGNATURE) || !stored_before(zip, entry, dir_start) {
            return None;
        }
        let name_len = usize::from(u16_at(entry, 28)?);
        let rest = usize::from(u16_at(entry, 30)?) + usize::from(u16_at(entry, 32)?);
        let name = dir.get(at + ENTRY_LEN..at + ENTRY_LEN + name_len)?;
        let next = at + ENTRY_LEN + name_len + rest;
        if name.eq_ignore_ascii_case(THEME) && theme.is_none() {
            theme = Some(at..next);
        }
        at = next;
    }
    (at == dir.len()).then_some(theme)?
}

/// Whether a directory entry's local header and data end before `dir_start`.
fn stored_before(zip: &[u8], entry: &[u8], dir_start: usize) -> bool {
    const LOCAL_LEN: usize = 30;
    let (Some(packed), Some(offset)) = (u32_at(entry, 20), u32_at(entry, 42)) else {
        return false;
    };
    if packed == u32::MAX || offset == u32::MAX {
        return false;
    }
    let (packed, offset) = (packed as usize, offset as usize);
    let local = zip.get(offset..offset.saturating_add(LOCAL_LEN));
    let Some(local) = local.filter(|l| l.starts_with(b"PK\x03\x04")) else {
        return false;
    };
    let (Some(name), Some(extra)) = (u16_at(local, 26), u16_at(local, 28)) else {
        return false;
    };
    [LOCAL_LEN, usize::from(name), usize::from(extra), packed]
        .into_iter()
        .try_fold(offset, usize::checked_add)
        .is_some_and(|data_end| data_end <= dir_start)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    fn workbook() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "全年预算数").unwrap();
        sheet.write(0, 1, 650.5).unwrap();
        book.save_to_buffer().unwrap()
    }

    /// Every entry's name and inflated content, in the directory's order.
    fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut entry = archive.by_index(i).unwrap();
                let mut content = Vec::new();
                entry.read_to_end(&mut content).unwrap();
                (entry.name().unwrap().to_string(), content)
            })
            .collect()
    }

    #[test]
    fn the_theme_entry_alone_is_left_out() {
        let original = workbook();
        let unthemed = without_theme(&original).expect("a workbook with a theme");
        let mut expected = entries(&original);
        let before = expected.len();
        expected.retain(|(name, _)| name != "xl/theme/theme1.xml");
        assert_eq!(expected.len(), before - 1);
        assert_eq!(entries(&unthemed), expected);
    }

    #[test]
    fn calamine_reads_the_same_cells_without_the_theme() {
        use calamine::Reader;
        let cells = |zip: &[u8]| {
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(zip)).unwrap();
            book.worksheet_range("Sheet1").unwrap()
        };
        let original = workbook();
        let unthemed = without_theme(&original).unwrap();
        assert_eq!(cells(&unthemed), cells(&original));
    }

    #[test]
    fn an_archive_comment_is_kept() {
        let mut original = workbook();
        let comment = b"made by hand";
        let end = original.len() - END_LEN;
        original[end + 20..].copy_from_slice(&(comment.len() as u16).to_le_bytes());
        original.extend_from_slice(comment);
        let unthemed = without_theme(&original).unwrap();
        assert!(unthemed.ends_with(comment));
        assert_eq!(entries(&unthemed).len(), entries(&original).len() - 1);
    }

    #[test]
    fn an_archive_without_a_theme_is_left_as_it_is() {
        let unthemed = without_theme(&workbook()).unwrap();
        assert_eq!(without_theme(&unthemed), None);
    }

    #[test]
    fn a_zip64_archive_is_left_as_it_is() {
        let original = workbook();
        let end = find_end(&original).unwrap();
        let mut forged = original[..end].to_vec();
        forged.extend_from_slice(ZIP64_LOCATOR);
        forged.extend_from_slice(&[0; ZIP64_LOCATOR_LEN - 4]);
        forged.extend_from_slice(&original[end..]);
        // The directory no longer ends where the record starts, nor does it pass as plain.
        assert_eq!(without_theme(&forged), None);
        assert!(is_zip64(&forged, find_end(&forged).unwrap()));
    }

    #[test]
    fn an_end_signature_in_the_comment_leaves_the_archive_alone() {
        // The zip crate would take the comment's record if it parsed; such archives are not
        // rewritten, so calamine reads whatever it read before.
        let mut original = workbook();
        let mut comment = END_SIGNATURE.to_vec();
        comment.extend_from_slice(&[0; END_LEN - 4]);
        comment.push(b' ');
        let end = original.len() - END_LEN;
        original[end + 20..].copy_from_slice(&(comment.len() as u16).to_le_bytes());
        original.extend_from_slice(&comment);
        assert_eq!(without_theme(&original), None);
    }

    #[test]
    fn an_entry_stored_after_the_directory_leaves_the_archive_alone() {
        // Bytes after the directory move when it shrinks: an entry whose local header is said
        // to be there (here, at the end record) would be read from the wrong place.
        let mut original = workbook();
        let end = find_end(&original).unwrap();
        let dir_start = u32_at(&original, end + 16).unwrap() as usize;
        original[dir_start + 42..dir_start + 46].copy_from_slice(&(end as u32).to_le_bytes());
        assert_eq!(without_theme(&original), None);
    }

    #[test]
    fn truncated_or_damaged_archives_give_none_without_panicking() {
        let original = workbook();
        for cut in 0..original.len() {
            let _ = without_theme(&original[..cut]);
        }
        for at in (0..original.len()).step_by(7) {
            let mut damaged = original.clone();
            damaged[at] ^= 0x5a;
            if let Some(out) = without_theme(&damaged) {
                assert!(out.len() < damaged.len());
            }
        }
    }
}
