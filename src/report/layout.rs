//! Report building blocks shared by the incident and portfolio reports: the cover, score tiles,
//! flagged list items, chart blocks and the running header and footer.

use plotters::coord::Shift;
use plotters::prelude::DrawingArea;

use super::ReportError;
use super::charts::UNIT_PT;
use super::labels::{Dimension, Texts};
use super::pdf::chart_backend::PdfChartBackend;
use super::pdf::compose::{BOTTOM, CONTENT_WIDTH, LEFT, RIGHT, TOP, TextStyle};
use super::pdf::fonts::{Face, FontSet};
use super::pdf::{Composer, Item, PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::style::{ACCENT, ALERT, GOOD, INK, MUTED, PANEL, RULE, Rgb, SERIES};

pub struct CoverText<'a> {
    pub kicker: &'a str,
    pub title: &'a str,
    pub lines: Vec<String>,
    pub organisation: &'a str,
    pub generated: &'a str,
    pub confidentiality: &'a str,
}

const COVER_BAND: f32 = 360.0;

pub fn cover(doc: &mut Composer, texts: &Texts, cover: &CoverText<'_>) {
    doc.rect(0.0, 0.0, PAGE_WIDTH, COVER_BAND, Some(ACCENT), None);
    let light = Rgb(0xCF, 0xE3, 0xF0);
    doc.text_at(
        LEFT,
        78.0,
        cover.organisation,
        TextStyle {
            size: 11.0,
            face: Face::Bold,
            colour: Rgb::WHITE,
            leading: 1.2,
        },
    );
    doc.text_at(
        LEFT,
        170.0,
        cover.kicker,
        TextStyle {
            size: 12.0,
            face: Face::Regular,
            colour: light,
            leading: 1.2,
        },
    );
    let title_style = TextStyle {
        size: 26.0,
        face: Face::Bold,
        colour: Rgb::WHITE,
        leading: 1.18,
    };
    let mut y = 206.0;
    let title_lines = doc.wrap(cover.title, title_style, CONTENT_WIDTH);
    for line in title_lines.iter().take(4) {
        doc.text_at(LEFT, y, line, title_style);
        y += title_style.line_height();
    }
    y += 6.0;
    for line in &cover.lines {
        doc.text_at(
            LEFT,
            y,
            line,
            TextStyle {
                size: 11.0,
                face: Face::Regular,
                colour: light,
                leading: 1.3,
            },
        );
        y += 16.0;
    }
    let label = TextStyle::SMALL.sized(8.5);
    let value = TextStyle::BODY.sized(10.5);
    let mut y = COVER_BAND + 60.0;
    for (key, val) in [
        (texts.prepared_for, cover.organisation),
        (texts.generated, cover.generated),
    ] {
        doc.text_at(LEFT, y, key, label);
        doc.text_at(LEFT + 130.0, y, val, value);
        y += 22.0;
    }
    doc.rect(LEFT, y, 4.0, 16.0, Some(ALERT), None);
    doc.text_at(
        LEFT + 12.0,
        y + 12.0,
        cover.confidentiality,
        TextStyle {
            size: 10.5,
            face: Face::Bold,
            colour: ALERT,
            leading: 1.2,
        },
    );
    doc.rule(LEFT, RIGHT, BOTTOM - 24.0, RULE, 0.6);
    doc.text_at(LEFT, BOTTOM - 8.0, texts.subtitle, TextStyle::SMALL);
}

pub struct ScoreTile<'a> {
    pub label: &'a str,
    pub dimension: Dimension,
    pub score: Option<f64>,
}

pub fn band_colour(score: Option<f64>) -> Rgb {
    match score {
        None => RULE,
        Some(s) if s >= 85.0 => GOOD,
        Some(s) if s >= 70.0 => SERIES[0],
        Some(s) if s >= 50.0 => SERIES[1],
        Some(_) => ALERT,
    }
}

/// A row of score tiles: the score large, its verdict in one line under it.
pub fn score_tiles(doc: &mut Composer, texts: &Texts, tiles: &[ScoreTile<'_>]) {
    let gap = 10.0;
    let count = tiles.len().max(1) as f32;
    let width = (CONTENT_WIDTH - gap * (count - 1.0)) / count;
    let height = 104.0;
    doc.ensure(height + 10.0);
    let top = doc.y();
    let verdict_style = TextStyle {
        size: 8.0,
        face: Face::Regular,
        colour: INK,
        leading: 1.3,
    };
    for (i, tile) in tiles.iter().enumerate() {
        let x = LEFT + i as f32 * (width + gap);
        doc.rect(x, top, width, height, Some(PANEL), None);
        doc.rect(x, top, width, 3.5, Some(band_colour(tile.score)), None);
        doc.text_at(
            x + 10.0,
            top + 20.0,
            tile.label,
            TextStyle {
                size: 8.5,
                face: Face::Bold,
                colour: MUTED,
                leading: 1.2,
            },
        );
        let number = tile
            .score
            .map_or_else(|| "–".to_string(), |s| texts.number(s, 0));
        let number_style = TextStyle {
            size: 28.0,
            face: Face::Bold,
            colour: INK,
            leading: 1.0,
        };
        doc.text_at(x + 10.0, top + 54.0, &number, number_style);
        if tile.score.is_some() {
            let after = x + 10.0 + doc.fonts.width(&number, Face::Bold, 28.0) + 3.0;
            doc.text_at(after, top + 54.0, "/ 100", TextStyle::SMALL);
        }
        let verdict = texts.verdict(tile.dimension, tile.score);
        for (j, line) in doc
            .wrap(verdict, verdict_style, width - 20.0)
            .iter()
            .take(3)
            .enumerate()
        {
            doc.text_at(
                x + 10.0,
                top + 72.0 + j as f32 * verdict_style.line_height(),
                line,
                verdict_style,
            );
        }
    }
    doc.advance(height + 8.0);
}

/// A list entry with a coloured tag column: findings and actions in the summary.
pub fn flagged_item(doc: &mut Composer, colour: Rgb, tag: &str, text: &str, context: &str) {
    let tag_width = 72.0;
    let body = TextStyle::BODY;
    let lines = doc.wrap(text, body, CONTENT_WIDTH - tag_width);
    let context_lines = if context.is_empty() {
        Vec::new()
    } else {
        doc.wrap(context, TextStyle::SMALL, CONTENT_WIDTH - tag_width)
    };
    let height = lines.len() as f32 * body.line_height()
        + context_lines.len() as f32 * TextStyle::SMALL.line_height()
        + 8.0;
    doc.ensure(height.min(BOTTOM - TOP));
    let top = doc.y();
    doc.rect(LEFT, top + 2.5, 7.0, 7.0, Some(colour), None);
    doc.text_at(
        LEFT + 12.0,
        top + body.size,
        tag,
        TextStyle {
            size: 8.0,
            face: Face::Bold,
            colour: INK,
            leading: 1.2,
        },
    );
    for line in &lines {
        doc.ensure(body.line_height());
        doc.text_at(LEFT + tag_width, doc.y() + body.size, line, body);
        doc.advance(body.line_height());
    }
    for line in &context_lines {
        doc.ensure(TextStyle::SMALL.line_height());
        doc.text_at(
            LEFT + tag_width,
            doc.y() + TextStyle::SMALL.size,
            line,
            TextStyle::SMALL,
        );
        doc.advance(TextStyle::SMALL.line_height());
    }
    doc.advance(7.0);
}

/// A chart with its title and caption, kept together on one page.
pub fn chart_block(
    doc: &mut Composer,
    title: &str,
    caption: Option<&str>,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<PdfChartBackend, Shift>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let caption_lines = caption
        .map(|c| doc.wrap(c, TextStyle::CAPTION, CONTENT_WIDTH))
        .unwrap_or_default();
    let needed = 40.0
        + size.1 as f32 * UNIT_PT
        + caption_lines.len() as f32 * TextStyle::CAPTION.line_height();
    doc.space(10.0);
    doc.ensure(needed.min(BOTTOM - TOP));
    doc.heading(2, title);
    doc.chart(size, draw)?;
    for line in &caption_lines {
        doc.ensure(TextStyle::CAPTION.line_height());
        doc.text_at(
            LEFT,
            doc.y() + TextStyle::CAPTION.size,
            line,
            TextStyle::CAPTION,
        );
        doc.advance(TextStyle::CAPTION.line_height());
    }
    doc.advance(10.0);
    Ok(())
}

fn fit(fonts: &FontSet, text: &str, style: TextStyle, width: f32) -> String {
    let text = fonts.printable(text, style.face);
    if fonts.width(&text, style.face, style.size) <= width {
        return text;
    }
    let mut out = text;
    while !out.is_empty() && fonts.width(&format!("{out}…"), style.face, style.size) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// What the running header and footer say on every page but the cover.
pub struct RunningHeader<'a> {
    /// What the document is about, e.g. the incident key and title.
    pub subject: &'a str,
    pub confidentiality: &'a str,
    pub organisation: &'a str,
}

/// Running header (what and how confidential) and footer (who, page X of Y) on every page but
/// the cover.
pub fn decorate(
    fonts: &FontSet,
    texts: &Texts,
    running: &RunningHeader<'_>,
    page: &mut Page,
    index: usize,
    total: usize,
) {
    let RunningHeader {
        subject: header,
        confidentiality,
        organisation,
    } = *running;
    if index == 0 {
        return;
    }
    let small = TextStyle::SMALL.sized(7.5);
    let label = TextStyle {
        size: 7.5,
        face: Face::Bold,
        colour: ALERT,
        leading: 1.2,
    };
    let label_width = fonts.width(
        &fonts.printable(confidentiality, Face::Bold),
        Face::Bold,
        7.5,
    );
    let mut text = |x: f32, y: f32, text: String, style: TextStyle| {
        page.items.push(Item::Text {
            x,
            y,
            size: style.size,
            face: style.face,
            colour: style.colour,
            text,
            rotation: 0.0,
        });
    };
    text(
        LEFT,
        44.0,
        fit(fonts, header, small, CONTENT_WIDTH - label_width - 20.0),
        small,
    );
    text(
        RIGHT - label_width,
        44.0,
        fonts.printable(confidentiality, Face::Bold),
        label,
    );
    let footer_y = PAGE_HEIGHT - 36.0;
    let page_label = texts
        .page_of
        .replace("{page}", &(index + 1).to_string())
        .replace("{total}", &total.to_string());
    let page_width = fonts.width(&page_label, Face::Regular, 7.5);
    text(
        LEFT,
        footer_y,
        fit(
            fonts,
            organisation,
            small,
            CONTENT_WIDTH - page_width - 20.0,
        ),
        small,
    );
    text(RIGHT - page_width, footer_y, page_label, small);
    page.items.push(Item::Line {
        points: vec![(LEFT, 51.0), (RIGHT, 51.0)],
        width: 0.5,
        colour: RULE,
        dash: None,
    });
    page.items.push(Item::Line {
        points: vec![(LEFT, footer_y - 12.0), (RIGHT, footer_y - 12.0)],
        width: 0.5,
        colour: RULE,
        dash: None,
    });
}
