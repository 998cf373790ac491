//! Flowing content onto pages: a cursor moves down the text frame and breaks to a new page when
//! the next piece does not fit. Headings keep some room for what follows them.

use super::fonts::{Face, FontSet};
use super::wrap::wrap;
use super::{Item, OutlineEntry, PAGE_HEIGHT, PAGE_WIDTH, Page};
use crate::report::style::{ACCENT, INK, MUTED, RULE, Rgb};

/// The text frame: everything the composer flows stays inside it.
pub const LEFT: f32 = 62.0;
pub const RIGHT: f32 = PAGE_WIDTH - 56.0;
pub const TOP: f32 = 74.0;
pub const BOTTOM: f32 = PAGE_HEIGHT - 64.0;
pub const CONTENT_WIDTH: f32 = RIGHT - LEFT;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f32,
    pub face: Face,
    pub colour: Rgb,
    /// Line height as a multiple of the size.
    pub leading: f32,
}

impl TextStyle {
    pub const BODY: TextStyle = TextStyle {
        size: 9.5,
        face: Face::Regular,
        colour: INK,
        leading: 1.45,
    };
    pub const STRONG: TextStyle = TextStyle {
        face: Face::Bold,
        ..TextStyle::BODY
    };
    pub const SMALL: TextStyle = TextStyle {
        size: 8.0,
        face: Face::Regular,
        colour: MUTED,
        leading: 1.4,
    };
    pub const CAPTION: TextStyle = TextStyle {
        size: 8.0,
        face: Face::Italic,
        colour: MUTED,
        leading: 1.35,
    };
    pub const H1: TextStyle = TextStyle {
        size: 16.0,
        face: Face::Bold,
        colour: ACCENT,
        leading: 1.25,
    };
    pub const H2: TextStyle = TextStyle {
        size: 11.5,
        face: Face::Bold,
        colour: INK,
        leading: 1.3,
    };

    pub fn line_height(&self) -> f32 {
        self.size * self.leading
    }

    pub fn with_colour(self, colour: Rgb) -> TextStyle {
        TextStyle { colour, ..self }
    }

    pub fn sized(self, size: f32) -> TextStyle {
        TextStyle { size, ..self }
    }
}

pub struct Composer {
    pub fonts: &'static FontSet,
    pages: Vec<Page>,
    outline: Vec<OutlineEntry>,
    y: f32,
}

impl Composer {
    pub fn new(fonts: &'static FontSet) -> Self {
        Self {
            fonts,
            pages: vec![Page::default()],
            outline: Vec::new(),
            y: TOP,
        }
    }

    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn remaining(&self) -> f32 {
        BOTTOM - self.y
    }

    fn at_page_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    /// Breaks to a new page unless `height` still fits (or the page is empty: a piece taller
    /// than a page has to start somewhere).
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Moves the cursor down; vertical space is dropped at the top of a page.
    pub fn space(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y = (self.y + height).min(BOTTOM);
        }
    }

    pub fn advance(&mut self, height: f32) {
        self.y += height;
    }

    pub fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// One line of text at an explicit position (baseline), cut to what the font can show.
    pub fn text_at(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) {
        let text = self.fonts.printable(text, style.face);
        if text.is_empty() {
            return;
        }
        self.push(Item::Text {
            x,
            y: baseline,
            size: style.size,
            face: style.face,
            colour: style.colour,
            text,
            rotation: 0.0,
        });
    }

    /// Text right-aligned to `right`.
    pub fn text_right(&mut self, right: f32, baseline: f32, text: &str, style: TextStyle) {
        let width = self.fonts.width(
            &self.fonts.printable(text, style.face),
            style.face,
            style.size,
        );
        self.text_at(right - width, baseline, text, style);
    }

    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    ) {
        self.push(Item::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        });
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, colour: Rgb, width: f32) {
        self.push(Item::Line {
            points: vec![(x1, y), (x2, y)],
            width,
            colour,
            dash: None,
        });
    }

    pub fn wrap(&self, text: &str, style: TextStyle, width: f32) -> Vec<String> {
        wrap(self.fonts, text, style.face, style.size, width)
    }

    /// A heading that becomes a bookmark; it moves to the next page rather than stand alone at
    /// the bottom of one.
    pub fn heading(&mut self, level: u8, text: &str) {
        let (style, above, keep) = match level {
            1 => (TextStyle::H1, 22.0, 150.0),
            _ => (TextStyle::H2, 14.0, 90.0),
        };
        self.space(above);
        self.ensure(keep);
        let lines = self.wrap(text, style, CONTENT_WIDTH);
        self.outline.push(OutlineEntry {
            level,
            title: text.to_string(),
            page: self.page_index(),
            y: self.y,
        });
        for line in &lines {
            self.advance(style.size);
            self.text_at(LEFT, self.y, line, style);
            self.advance(style.line_height() - style.size);
        }
        if level == 1 {
            self.advance(3.0);
            self.rule(LEFT, RIGHT, self.y, RULE, 0.6);
            self.advance(8.0);
        } else {
            self.advance(3.0);
        }
    }

    /// A wrapped paragraph in the text frame, indented by `indent`.
    pub fn paragraph_indented(&mut self, text: &str, style: TextStyle, indent: f32) {
        let lines = self.wrap(text, style, CONTENT_WIDTH - indent);
        // Two lines together at least, so a paragraph never starts with a lone line.
        self.ensure(style.line_height() * lines.len().min(2) as f32);
        for line in &lines {
            self.ensure(style.line_height());
            let baseline = self.y + style.size;
            self.text_at(LEFT + indent, baseline, line, style);
            self.advance(style.line_height());
        }
    }

    pub fn paragraph(&mut self, text: &str, style: TextStyle) {
        self.paragraph_indented(text, style, 0.0);
        self.advance(style.size * 0.5);
    }

    pub fn bullets(&mut self, items: &[String], style: TextStyle) {
        let indent = 14.0;
        for item in items {
            let lines = self.wrap(item, style, CONTENT_WIDTH - indent);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(style.line_height());
                let baseline = self.y + style.size;
                if i == 0 {
                    self.text_at(LEFT + 3.0, baseline, "•", style.with_colour(ACCENT));
                }
                self.text_at(LEFT + indent, baseline, line, style);
                self.advance(style.line_height());
            }
            self.advance(style.size * 0.25);
        }
        self.advance(style.size * 0.4);
    }

    /// Markdown-ish review text: blank lines separate paragraphs, `- ` or `* ` starts a bullet.
    pub fn rich_text(&mut self, text: &str, style: TextStyle) {
        let mut paragraph: Vec<&str> = Vec::new();
        let mut bullets: Vec<String> = Vec::new();
        let flush = |me: &mut Self, paragraph: &mut Vec<&str>, bullets: &mut Vec<String>| {
            if !paragraph.is_empty() {
                me.paragraph(&paragraph.join(" "), style);
                paragraph.clear();
            }
            if !bullets.is_empty() {
                me.bullets(bullets, style);
                bullets.clear();
            }
        };
        for line in text.lines() {
            let trimmed = line.trim();
            if let Some(item) = trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("* "))
            {
                if !paragraph.is_empty() {
                    self.paragraph(&paragraph.join(" "), style);
                    paragraph.clear();
                }
                bullets.push(item.trim().to_string());
            } else if trimmed.is_empty() {
                flush(self, &mut paragraph, &mut bullets);
            } else if !bullets.is_empty() && line.starts_with("  ") {
                // An indented line continues the bullet above it.
                if let Some(last) = bullets.last_mut() {
                    last.push(' ');
                    last.push_str(trimmed);
                }
            } else {
                if !bullets.is_empty() {
                    self.bullets(&bullets, style);
                    bullets.clear();
                }
                paragraph.push(trimmed.trim_start_matches('#').trim());
            }
        }
        flush(self, &mut paragraph, &mut bullets);
    }

    /// Label–value pairs in two columns, values wrapped.
    pub fn key_values(&mut self, rows: &[(String, String)]) {
        let label_width = 128.0;
        let label = TextStyle::SMALL.with_colour(MUTED).sized(8.5);
        let value = TextStyle::BODY;
        for (key, val) in rows {
            let lines = self.wrap(val, value, CONTENT_WIDTH - label_width);
            let height = value.line_height() * lines.len().max(1) as f32 + 5.0;
            self.ensure(height.min(BOTTOM - TOP));
            let first_baseline = self.y + value.size + 2.0;
            self.text_at(LEFT, first_baseline, key, label);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    self.ensure(value.line_height());
                }
                let baseline = self.y + value.size + 2.0;
                self.text_at(LEFT + label_width, baseline, line, value);
                self.advance(value.line_height());
            }
            if lines.is_empty() {
                self.advance(value.line_height());
            }
            self.advance(3.0);
            self.rule(LEFT, RIGHT, self.y, RULE, 0.4);
            self.advance(2.0);
        }
        self.advance(6.0);
    }

    /// The pages and bookmarks. `decorate` adds header and footer to each page, given its index
    /// and the page count (known only now).
    pub fn finish(
        mut self,
        mut decorate: impl FnMut(&mut Page, usize, usize),
    ) -> (Vec<Page>, Vec<OutlineEntry>) {
        if self.pages.last().is_some_and(|p| p.items.is_empty()) && self.pages.len() > 1 {
            self.pages.pop();
        }
        let total = self.pages.len();
        for (index, page) in self.pages.iter_mut().enumerate() {
            decorate(page, index, total);
        }
        (self.pages, self.outline)
    }
}

/// Every item lies inside the page, text measured with the font: the check the tests run over
/// whole reports.
pub fn overflowing_items(fonts: &FontSet, pages: &[Page]) -> Vec<(usize, Item)> {
    let mut out = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        for item in &page.items {
            let inside = match item {
                Item::Text {
                    x,
                    y,
                    size,
                    face,
                    text,
                    rotation,
                    ..
                } => {
                    let width = fonts.width(text, *face, *size);
                    if *rotation == 0.0 {
                        *x >= LEFT - 30.0
                            && x + width <= RIGHT + 0.5
                            && *y <= PAGE_HEIGHT
                            && *y >= 0.0
                    } else {
                        *x >= 0.0 && *x <= PAGE_WIDTH && *y - width >= 0.0
                    }
                }
                Item::Rect { x, y, w, h, .. } => {
                    *x >= 0.0 && *y >= 0.0 && x + w <= PAGE_WIDTH && y + h <= PAGE_HEIGHT
                }
                Item::Line { points, .. } | Item::Polygon { points, .. } => {
                    points.iter().all(|(px, py)| {
                        (0.0..=PAGE_WIDTH).contains(px) && (0.0..=PAGE_HEIGHT).contains(py)
                    })
                }
            };
            if !inside {
                out.push((index, item.clone()));
            }
        }
    }
    out
}
