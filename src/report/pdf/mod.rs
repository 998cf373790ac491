//! A small layout engine on printpdf: the composer flows headings, paragraphs, lists, tables and
//! charts onto A4 pages as drawing items with top-left coordinates in points; the writer turns
//! them into a PDF with embedded font subsets, metadata and a nested outline.

pub mod chart_backend;
pub mod compose;
pub mod fonts;
pub mod table;
pub mod wrap;
pub mod write;

pub use compose::{Composer, TextStyle};
pub use fonts::{Face, FontSet, fonts};
pub use table::{Cell, Column, Table};
pub use write::{DocumentInfo, write_pdf};

/// A report laid out on pages, with its bookmarks and document information.
pub struct LaidOut {
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
    pub info: DocumentInfo,
}

impl LaidOut {
    pub fn to_pdf(&self) -> Result<Vec<u8>, super::ReportError> {
        write_pdf(&self.pages, &self.outline, &self.info)
    }
}

use super::style::Rgb;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;

/// One thing drawn on a page. Coordinates are points from the page's top-left corner; text `y`
/// is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        colour: Rgb,
        text: String,
        /// Counter-clockwise, degrees.
        rotation: f32,
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        colour: Rgb,
        dash: Option<(f32, f32)>,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Rgb,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A bookmark: headings of level 1 are top-level entries, level 2 nest under the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    /// Zero-based page index.
    pub page: usize,
    /// Distance of the heading from the page top, so the bookmark lands on it.
    pub y: f32,
}
