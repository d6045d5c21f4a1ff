//! An OOXML package (zip) being copied with some parts replaced or added: untouched parts are
//! copied raw (the same compressed bytes), so only what an annotation changes differs.

use super::xml_escape;
use crate::lang::Text;
use quick_xml::events::Event;
use std::io::{Cursor, Read, Write};

/// The largest part read (decompressed).
const MAX_PART: u64 = 64 * 1024 * 1024;

pub(crate) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    /// Parts replaced or added, in the order set.
    changed: Vec<(String, Vec<u8>)>,
}

fn damaged(e: impl std::fmt::Display) -> Text {
    Text::new(
        format!("文件的 zip 结构无法读取：{e}"),
        format!("the file's zip structure cannot be read: {e}"),
    )
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, Text> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
        let names = (0..zip.len())
            .map(|i| {
                zip.name_for_index(i)
                    .and_then(Result::ok)
                    .map(|n| n.into_owned())
                    .unwrap_or_default()
            })
            .collect();
        Ok(Package {
            zip,
            names,
            changed: Vec::new(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name) || self.changed.iter().any(|(n, _)| n == name)
    }

    /// A part's bytes (as changed, if it was), None when there is no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Text> {
        if let Some((_, b)) = self.changed.iter().find(|(n, _)| n == name) {
            return Ok(Some(b.clone()));
        }
        if !self.names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let part = self.zip.by_name(name).map_err(damaged)?;
        let mut out = Vec::new();
        part.take(MAX_PART + 1)
            .read_to_end(&mut out)
            .map_err(damaged)?;
        if out.len() as u64 > MAX_PART {
            return Err(Text::new(
                format!("{name} 解压后超出上限"),
                format!("{name} inflates past the limit"),
            ));
        }
        Ok(Some(out))
    }

    pub fn set(&mut self, name: &str, bytes: Vec<u8>) {
        match self.changed.iter_mut().find(|(n, _)| n == name) {
            Some((_, b)) => *b = bytes,
            None => self.changed.push((name.to_string(), bytes)),
        }
    }

    /// A part name not yet taken: `stem{n}.ext` from n = 1.
    pub fn free_name(&self, stem: &str, ext: &str) -> String {
        (1..)
            .map(|n| format!("{stem}{n}.{ext}"))
            .find(|n| !self.has(n))
            .unwrap_or_default()
    }

    /// The new package: the original's parts in order (raw copies unless changed), then the
    /// added ones.
    pub fn finish(mut self) -> Result<Vec<u8>, Text> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut changed = std::mem::take(&mut self.changed);
        for i in 0..self.zip.len() {
            let name = self.names.get(i).cloned().unwrap_or_default();
            if let Some(pos) = changed.iter().position(|(n, _)| *n == name) {
                let (name, bytes) = changed.remove(pos);
                out.start_file(name, options).map_err(damaged)?;
                out.write_all(&bytes).map_err(damaged)?;
            } else {
                let file = self.zip.by_index_raw(i).map_err(damaged)?;
                out.raw_copy_file(file).map_err(damaged)?;
            }
        }
        for (name, bytes) in changed {
            out.start_file(name, options).map_err(damaged)?;
            out.write_all(&bytes).map_err(damaged)?;
        }
        Ok(out.finish().map_err(damaged)?.into_inner())
    }
}

/// A relationship of a part.
#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// Attributes of a start tag, as (local key with prefix, unescaped value).
pub(crate) fn attrs(e: &quick_xml::events::BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            (key, value)
        })
        .collect()
}

pub(crate) fn attr<'v>(attrs: &'v [(String, String)], key: &str) -> Option<&'v str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The relationships of a .rels part.
pub(crate) fn relationships(xml: &[u8]) -> Vec<Rel> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut rels = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let a = attrs(&e);
                rels.push(Rel {
                    id: attr(&a, "Id").unwrap_or_default().to_string(),
                    kind: attr(&a, "Type").unwrap_or_default().to_string(),
                    target: attr(&a, "Target").unwrap_or_default().to_string(),
                    external: attr(&a, "TargetMode") == Some("External"),
                })
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    rels
}

/// The .rels part of a part: `xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`.
pub(crate) fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A relationship's target as a part name, relative to the part that holds it.
pub(crate) fn resolve(part: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut segs: Vec<&str> = match part.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    for s in target.split('/') {
        match s {
            ".." => {
                segs.pop();
            }
            "." | "" => {}
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// A target for `to` relative to the folder of `from` (both part names), for a new relationship.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let dir: Vec<&str> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    let to_segs: Vec<&str> = to.split('/').collect();
    let common = dir.iter().zip(&to_segs).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; dir.len() - common];
    out.extend(&to_segs[common..]);
    out.join("/")
}

/// Adds a relationship to a .rels part (made when there is none); returns its id.
pub(crate) fn add_relationship(
    pkg: &mut Package,
    rels_part: &str,
    kind: &str,
    target: &str,
) -> Result<String, Text> {
    let xml = pkg.read(rels_part)?;
    let existing = xml.as_deref().map(relationships).unwrap_or_default();
    let id = (1..)
        .map(|n| format!("rIdSp{n}"))
        .find(|id| !existing.iter().any(|r| &r.id == id))
        .unwrap_or_default();
    let rel = format!(
        "<Relationship Id=\"{id}\" Type=\"{}\" Target=\"{}\"/>",
        xml_escape(kind),
        xml_escape(target)
    );
    let new = match xml {
        Some(xml) => insert_before_close(&xml, b"</Relationships>", &rel).ok_or_else(|| {
            Text::new(
                format!("{rels_part} 的结构无法识别"),
                format!("{rels_part} has an unrecognised structure"),
            )
        })?,
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rel}</Relationships>"
        )
        .into_bytes(),
    };
    pkg.set(rels_part, new);
    Ok(id)
}

/// Inserts text before the last occurrence of a closing tag.
pub(crate) fn insert_before_close(xml: &[u8], close: &[u8], text: &str) -> Option<Vec<u8>> {
    let at = memchr::memmem::rfind(xml, close)?;
    Some(super::splice(xml, vec![super::Edit::insert(at, text)]))
}

/// Adds an `Override` for a part (when it has none) to `[Content_Types].xml`.
pub(crate) fn add_override(pkg: &mut Package, part: &str, content_type: &str) -> Result<(), Text> {
    let ct = content_types(pkg)?;
    let needle = format!("PartName=\"/{}\"", xml_escape(part));
    if memchr::memmem::find(&ct, needle.as_bytes()).is_some() {
        return Ok(());
    }
    let entry = format!(
        "<Override PartName=\"/{}\" ContentType=\"{content_type}\"/>",
        xml_escape(part)
    );
    let new = insert_before_close(&ct, b"</Types>", &entry).ok_or_else(bad_types)?;
    pkg.set(CONTENT_TYPES, new);
    Ok(())
}

/// Adds a `Default` for an extension (when it has none) to `[Content_Types].xml`.
pub(crate) fn add_default(pkg: &mut Package, ext: &str, content_type: &str) -> Result<(), Text> {
    let ct = content_types(pkg)?;
    let lower = String::from_utf8_lossy(&ct).to_ascii_lowercase();
    if lower.contains(&format!("extension=\"{ext}\"")) {
        return Ok(());
    }
    let entry = format!("<Default Extension=\"{ext}\" ContentType=\"{content_type}\"/>");
    let new = insert_before_close(&ct, b"</Types>", &entry).ok_or_else(bad_types)?;
    pkg.set(CONTENT_TYPES, new);
    Ok(())
}

const CONTENT_TYPES: &str = "[Content_Types].xml";

fn content_types(pkg: &mut Package) -> Result<Vec<u8>, Text> {
    pkg.read(CONTENT_TYPES)?.ok_or_else(bad_types)
}

fn bad_types() -> Text {
    Text::new(
        "缺少或无法识别 [Content_Types].xml",
        "[Content_Types].xml is missing or unrecognised",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_and_relate() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(
            relative("xl/worksheets/sheet1.xml", "xl/comments1.xml"),
            "../comments1.xml"
        );
        assert_eq!(
            relative("xl/worksheets/sheet1.xml", "xl/drawings/vmlDrawing1.vml"),
            "../drawings/vmlDrawing1.vml"
        );
        assert_eq!(
            relative("word/document.xml", "word/comments.xml"),
            "comments.xml"
        );
        assert_eq!(
            rels_name("xl/worksheets/sheet1.xml"),
            "xl/worksheets/_rels/sheet1.xml.rels"
        );
    }
}
