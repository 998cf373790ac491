//! From laid-out pages to PDF bytes: font subsets with a ToUnicode map (so text copies and
//! extracts), document information, the catalogue's language and a nested outline.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    TextMatrix, WindingOrder,
};

use super::fonts::{Face, fonts};
use super::{Item, OutlineEntry, PAGE_HEIGHT, PAGE_WIDTH, Page};
use crate::report::ReportError;
use crate::report::style::Rgb;

pub struct DocumentInfo {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// BCP 47 tag for the catalogue's `/Lang`, e.g. `de-CH` or `en`.
    pub lang: String,
    /// Creation time, seconds since the Unix epoch (UTC).
    pub created_unix: i64,
}

pub fn write_pdf(
    pages: &[Page],
    outline: &[OutlineEntry],
    info: &DocumentInfo,
) -> Result<Vec<u8>, ReportError> {
    let fonts = fonts()?;
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { face, text, .. } = item {
                used.entry(*face).or_default().extend(text.chars());
            }
        }
    }

    let mut doc = PdfDocument::new(&info.title);
    let mut font_ids: BTreeMap<Face, FontId> = BTreeMap::new();
    for (face, chars) in &used {
        let subset = fonts.subset(*face, chars)?;
        let mut warnings = Vec::new();
        let mut parsed =
            ParsedFont::from_bytes(&subset.bytes, 0, &mut warnings).ok_or_else(|| {
                ReportError::Font(format!("{face:?} subset does not parse: {warnings:?}"))
            })?;
        parsed.codepoint_to_glyph = subset
            .glyphs
            .iter()
            .map(|(c, gid)| (*c as u32, *gid))
            .collect();
        let name = match face {
            Face::Regular => "NotoSans-Regular",
            Face::Bold => "NotoSans-Bold",
            Face::Italic => "NotoSans-Italic",
        };
        parsed.font_name = Some(format!("{}+{name}", subset_tag(chars)));
        font_ids.insert(*face, doc.add_font(&parsed));
    }

    // Boxes in points directly: a round trip through millimetres would not give exactly A4.
    let a4 = Rect::from_wh(Pt(PAGE_WIDTH), Pt(PAGE_HEIGHT));
    let pdf_pages = pages
        .iter()
        .map(|page| PdfPage {
            media_box: a4.clone(),
            trim_box: a4.clone(),
            crop_box: a4.clone(),
            ops: page_ops(page, &font_ids),
        })
        .collect();
    doc.with_pages(pdf_pages);

    let document_info = &mut doc.metadata.info;
    document_info.document_title = info.title.clone();
    document_info.author = info.author.clone();
    document_info.subject = info.subject.clone();
    document_info.keywords = info.keywords.clone();
    document_info.creator = "Debrief".into();
    document_info.producer = "Debrief (printpdf)".into();
    let created = printpdf::OffsetDateTime::from_unix_timestamp(info.created_unix)
        .map_err(|e| ReportError::Pdf(format!("creation date: {e}")))?;
    document_info.creation_date = created;
    document_info.modification_date = created;
    document_info.metadata_date = created;

    let mut warnings = Vec::new();
    let mut lopdf_doc = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    finish_catalog(&mut lopdf_doc, outline, &info.lang)?;
    lopdf_doc.compress();
    let mut bytes = Vec::new();
    lopdf_doc
        .save_to(&mut bytes)
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// The six capital letters that mark an embedded font as a subset (PDF 32000-1, 9.6.4); derived
/// from the characters it holds, so the same text gives the same file.
fn subset_tag(chars: &BTreeSet<char>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        hash = (hash ^ u64::from(u32::from(*c))).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
        .collect()
}

fn colour(rgb: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: f32::from(rgb.0) / 255.0,
        g: f32::from(rgb.1) / 255.0,
        b: f32::from(rgb.2) / 255.0,
        icc_profile: None,
    })
}

/// PDF user space has its origin at the bottom left.
fn point(x: f32, y: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_HEIGHT - y),
    }
}

fn page_ops(page: &Page, font_ids: &BTreeMap<Face, FontId>) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.items.len() * 4);
    for item in &page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                face,
                colour: fill,
                text,
                rotation,
            } => {
                let Some(font_id) = font_ids.get(face) else {
                    continue;
                };
                let (px, py) = (*x, PAGE_HEIGHT - *y);
                let (sin, cos) = rotation.to_radians().sin_cos();
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font_id.clone()),
                    size: Pt(*size),
                });
                ops.push(Op::SetFillColor { col: colour(*fill) });
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Raw([cos, sin, -sin, cos, px, py]),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
                ops.push(Op::EndTextSection);
            }
            Item::Line {
                points,
                width,
                colour: stroke,
                dash,
            } => {
                ops.push(Op::SetOutlineColor {
                    col: colour(*stroke),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                if let Some((on, off)) = dash {
                    ops.push(Op::SetLineDashPattern {
                        dash: LineDashPattern::new(0.0, &[*on, *off]),
                    });
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: points
                            .iter()
                            .map(|(x, y)| LinePoint {
                                p: point(*x, *y),
                                bezier: false,
                            })
                            .collect(),
                        is_closed: false,
                    },
                });
                if dash.is_some() {
                    ops.push(Op::SetLineDashPattern {
                        dash: LineDashPattern::solid(),
                    });
                }
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    (None, Some(_)) => PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(fill) = fill {
                    ops.push(Op::SetFillColor { col: colour(*fill) });
                }
                if let Some((stroke, width)) = stroke {
                    ops.push(Op::SetOutlineColor {
                        col: colour(*stroke),
                    });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_HEIGHT - *y - *h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(mode),
                        winding_order: None,
                    },
                });
            }
            Item::Polygon { points, fill } => {
                ops.push(Op::SetFillColor { col: colour(*fill) });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: points
                                .iter()
                                .map(|(x, y)| LinePoint {
                                    p: point(*x, *y),
                                    bezier: false,
                                })
                                .collect(),
                        }],
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
        }
    }
    ops
}

fn text_string(text: &str) -> Object {
    // UTF-16BE with a byte-order mark: the PDF text-string encoding that holds any character.
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Sets `/Lang`, and replaces printpdf's flat bookmark list with a nested outline in reading
/// order that jumps to each heading's position.
fn finish_catalog(
    doc: &mut lopdf::Document,
    outline: &[OutlineEntry],
    lang: &str,
) -> Result<(), ReportError> {
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let outline_root = if outline.is_empty() {
        None
    } else {
        Some(write_outline(doc, outline, &page_ids))
    };
    // printpdf writes an (empty) PDF/X version and identifier; a reader would take the file
    // for a PDF/X document, which it is not.
    let info_id = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => Some(*id),
        _ => None,
    };
    if let Some(Ok(Object::Dictionary(info))) = info_id.map(|id| doc.get_object_mut(id)) {
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"Identifier");
    }
    let catalog = doc
        .catalog_mut()
        .map_err(|e| ReportError::Pdf(format!("catalog: {e}")))?;
    catalog.set(
        "Lang",
        Object::String(lang.as_bytes().to_vec(), StringFormat::Literal),
    );
    if let Some(root) = outline_root {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(())
}

fn write_outline(
    doc: &mut lopdf::Document,
    outline: &[OutlineEntry],
    page_ids: &[ObjectId],
) -> ObjectId {
    let root = doc.new_object_id();
    // Top-level entries with their children (level-2 headings that follow them).
    let mut groups: Vec<(&OutlineEntry, Vec<&OutlineEntry>)> = Vec::new();
    for entry in outline {
        match (entry.level, groups.last_mut()) {
            (2.., Some((_, children))) => children.push(entry),
            _ => groups.push((entry, Vec::new())),
        }
    }
    let top_ids: Vec<ObjectId> = groups.iter().map(|_| doc.new_object_id()).collect();
    for (i, ((entry, children), id)) in groups.iter().zip(&top_ids).enumerate() {
        let child_ids: Vec<ObjectId> = children.iter().map(|_| doc.new_object_id()).collect();
        for (j, (child, child_id)) in children.iter().zip(&child_ids).enumerate() {
            let mut dict = outline_item(child, page_ids, *id);
            if j > 0 {
                dict.set("Prev", Object::Reference(child_ids[j - 1]));
            }
            if let Some(next) = child_ids.get(j + 1) {
                dict.set("Next", Object::Reference(*next));
            }
            doc.objects.insert(*child_id, Object::Dictionary(dict));
        }
        let mut dict = outline_item(entry, page_ids, root);
        if i > 0 {
            dict.set("Prev", Object::Reference(top_ids[i - 1]));
        }
        if let Some(next) = top_ids.get(i + 1) {
            dict.set("Next", Object::Reference(*next));
        }
        if let (Some(first), Some(last)) = (child_ids.first(), child_ids.last()) {
            dict.set("First", Object::Reference(*first));
            dict.set("Last", Object::Reference(*last));
            // Negative: the children start collapsed, so the outline opens as a short contents list.
            dict.set("Count", Object::Integer(-(child_ids.len() as i64)));
        }
        doc.objects.insert(*id, Object::Dictionary(dict));
    }
    let mut root_dict = Dictionary::new();
    root_dict.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (top_ids.first(), top_ids.last()) {
        root_dict.set("First", Object::Reference(*first));
        root_dict.set("Last", Object::Reference(*last));
    }
    root_dict.set("Count", Object::Integer(top_ids.len() as i64));
    doc.objects.insert(root, Object::Dictionary(root_dict));
    root
}

fn outline_item(entry: &OutlineEntry, page_ids: &[ObjectId], parent: ObjectId) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Title", text_string(&entry.title));
    dict.set("Parent", Object::Reference(parent));
    if let Some(page) = page_ids.get(entry.page) {
        let top = f64::from(PAGE_HEIGHT - entry.y + 12.0);
        dict.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*page),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(top as f32),
                Object::Null,
            ]),
        );
    }
    dict
}
