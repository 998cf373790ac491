//! Tables that break across pages: the header row repeats on every page, cells wrap, and a row
//! taller than a page continues on the next one.

use super::compose::{BOTTOM, CONTENT_WIDTH, Composer, LEFT, TOP, TextStyle};
use super::fonts::Face;
use super::wrap::widest_unbreakable;
use crate::report::style::{INK, MUTED, PANEL, RULE, Rgb};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// Share of the table width, relative to the other columns.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: &str, weight: f32) -> Self {
        Self {
            title: title.to_string(),
            weight,
            align: Align::Left,
        }
    }

    pub fn right(title: &str, weight: f32) -> Self {
        Self {
            title: title.to_string(),
            weight,
            align: Align::Right,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub face: Face,
    /// A small coloured square before the text (severity, status).
    pub chip: Option<Rgb>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            face: Face::Regular,
            chip: None,
        }
    }

    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            face: Face::Bold,
            ..Cell::new(text)
        }
    }

    pub fn chip(text: impl Into<String>, colour: Rgb) -> Self {
        Self {
            chip: Some(colour),
            ..Cell::new(text)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.2;
const CHIP: f32 = 6.0;
const CELL: TextStyle = TextStyle {
    size: 8.3,
    face: Face::Regular,
    colour: INK,
    leading: 1.32,
};
const HEADER: TextStyle = TextStyle {
    size: 7.6,
    face: Face::Bold,
    colour: MUTED,
    leading: 1.3,
};

impl Composer {
    pub fn table(&mut self, table: &Table) {
        let widths = self.column_widths(table);
        let header_lines: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| self.wrap(&c.title, HEADER, w - 2.0 * PAD_X))
            .collect();
        let header_height = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32
            * HEADER.line_height()
            + 2.0 * PAD_Y;
        let line_height = CELL.line_height();

        // Header plus one row must fit, or the table starts on the next page.
        self.ensure(header_height + line_height * 2.0 + 2.0 * PAD_Y);
        self.table_header(table, &widths, &header_lines, header_height);

        for row in &table.rows {
            let cells: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| {
                    let inner =
                        w - 2.0 * PAD_X - if cell.chip.is_some() { CHIP + 3.0 } else { 0.0 };
                    self.wrap(
                        &cell.text,
                        TextStyle {
                            face: cell.face,
                            ..CELL
                        },
                        inner,
                    )
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let full_height = lines as f32 * line_height + 2.0 * PAD_Y;
            let fits_on_empty_page = full_height <= BOTTOM - TOP - header_height;
            if full_height > self.remaining() && fits_on_empty_page {
                self.new_page();
                self.table_header(table, &widths, &header_lines, header_height);
            }
            let mut first = 0;
            while first < lines {
                let room = ((self.remaining() - 2.0 * PAD_Y) / line_height)
                    .floor()
                    .max(0.0) as usize;
                if room == 0 {
                    self.new_page();
                    self.table_header(table, &widths, &header_lines, header_height);
                    continue;
                }
                let take = room.min(lines - first);
                self.table_row_slice(table, row, &cells, &widths, first, first + take);
                first += take;
                if first < lines {
                    self.new_page();
                    self.table_header(table, &widths, &header_lines, header_height);
                }
            }
        }
        self.advance(10.0);
    }

    /// Column widths by weight, widened where a column's longest word would otherwise be cut,
    /// the difference taken from the columns that have room.
    fn column_widths(&self, table: &Table) -> Vec<f32> {
        let total_weight: f32 = table
            .columns
            .iter()
            .map(|c| c.weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let mut widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| c.weight / total_weight * CONTENT_WIDTH)
            .collect();
        let longest_word = |text: &str, style: TextStyle| {
            widest_unbreakable(self.fonts, text, style.face, style.size)
        };
        let minimum: Vec<f32> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let cells = table.rows.iter().filter_map(|row| row.get(i)).map(|cell| {
                    longest_word(
                        &cell.text,
                        TextStyle {
                            face: cell.face,
                            ..CELL
                        },
                    ) + if cell.chip.is_some() { CHIP + 3.0 } else { 0.0 }
                });
                let widest = cells.fold(longest_word(&column.title, HEADER), f32::max);
                (widest + 2.0 * PAD_X + 1.0).min(CONTENT_WIDTH * 0.4)
            })
            .collect();
        for _ in 0..3 {
            let deficit: f32 = widths
                .iter()
                .zip(&minimum)
                .map(|(w, m)| (m - w).max(0.0))
                .sum();
            let room: f32 = widths
                .iter()
                .zip(&minimum)
                .map(|(w, m)| (w - m).max(0.0))
                .sum();
            if deficit <= 0.0 || room <= 0.0 {
                break;
            }
            let take = deficit.min(room) / room;
            for (w, m) in widths.iter_mut().zip(&minimum) {
                if *w < *m {
                    *w = *m;
                } else {
                    *w -= (*w - m) * take;
                }
            }
        }
        let sum: f32 = widths.iter().sum();
        widths.iter().map(|w| w * CONTENT_WIDTH / sum).collect()
    }

    fn table_header(&mut self, table: &Table, widths: &[f32], lines: &[Vec<String>], height: f32) {
        let top = self.y();
        self.rect(LEFT, top, CONTENT_WIDTH, height, Some(PANEL), None);
        let mut x = LEFT;
        for ((column, width), column_lines) in table.columns.iter().zip(widths).zip(lines) {
            for (i, line) in column_lines.iter().enumerate() {
                let baseline = top + PAD_Y + HEADER.size + i as f32 * HEADER.line_height();
                match column.align {
                    Align::Left => self.text_at(x + PAD_X, baseline, line, HEADER),
                    Align::Right => self.text_right(x + width - PAD_X, baseline, line, HEADER),
                }
            }
            x += width;
        }
        self.advance(height);
        self.rule(LEFT, LEFT + CONTENT_WIDTH, self.y(), MUTED, 0.6);
    }

    fn table_row_slice(
        &mut self,
        table: &Table,
        row: &[Cell],
        cells: &[Vec<String>],
        widths: &[f32],
        first: usize,
        end: usize,
    ) {
        let top = self.y();
        let mut x = LEFT;
        for (((column, cell), lines), width) in table.columns.iter().zip(row).zip(cells).zip(widths)
        {
            let style = TextStyle {
                face: cell.face,
                ..CELL
            };
            let mut text_x = x + PAD_X;
            if let (Some(colour), 0) = (cell.chip, first) {
                // The chip sits just before the text, also when the text is right-aligned.
                let chip_x = match column.align {
                    Align::Left => text_x,
                    Align::Right => {
                        let line = lines
                            .first()
                            .map_or(0.0, |l| self.fonts.width(l, style.face, style.size));
                        x + width - PAD_X - line - CHIP - 3.0
                    }
                };
                self.rect(chip_x, top + PAD_Y + 2.0, CHIP, CHIP, Some(colour), None);
            }
            if cell.chip.is_some() {
                text_x += CHIP + 3.0;
            }
            for (i, line) in lines.iter().enumerate().take(end).skip(first) {
                let baseline = top + PAD_Y + CELL.size + (i - first) as f32 * CELL.line_height();
                match column.align {
                    Align::Left => self.text_at(text_x, baseline, line, style),
                    Align::Right => self.text_right(x + width - PAD_X, baseline, line, style),
                }
            }
            x += width;
        }
        self.advance((end - first) as f32 * CELL.line_height() + 2.0 * PAD_Y);
        self.rule(LEFT, LEFT + CONTENT_WIDTH, self.y(), RULE, 0.4);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportError;
    use crate::report::pdf::Item;
    use crate::report::pdf::compose::overflowing_items;
    use crate::report::pdf::fonts::fonts;

    fn header_count(page: &crate::report::pdf::Page, title: &str) -> usize {
        page.items
            .iter()
            .filter(|i| matches!(i, Item::Text { text, .. } if text == title))
            .count()
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let mut composer = Composer::new(fonts);
        let table = Table {
            columns: vec![Column::new("Zeitpunkt", 1.0), Column::new("Befund", 4.0), Column::right("Klarheit", 1.0)],
            rows: (0..400)
                .map(|i| {
                    vec![
                        Cell::new(format!("{:02}:{:02}", i / 60, i % 60)),
                        Cell::chip(format!("Meldung {i}: Störung der E-Mail-Zustellung für „alle“ Kund:innen – bitte Statusseite prüfen"), crate::report::style::ALERT),
                        Cell::new(format!("{}", i % 100)),
                    ]
                })
                .collect(),
        };
        composer.table(&table);
        let (pages, _) = composer.finish(|_, _, _| {});
        assert!(pages.len() > 5, "{} pages", pages.len());
        for page in &pages {
            assert_eq!(header_count(page, "Befund"), 1);
        }
        assert!(overflowing_items(fonts, &pages).is_empty());
        let rows_drawn: usize = pages
            .iter()
            .map(|p| {
                p.items
                    .iter()
                    .filter(|i| matches!(i, Item::Text { text, .. } if text.starts_with("Meldung")))
                    .count()
            })
            .sum();
        assert_eq!(rows_drawn, 400);
        Ok(())
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let mut composer = Composer::new(fonts);
        let long = "Sehr lange Beobachtung mit vielen Wörtern. ".repeat(300);
        let table = Table {
            columns: vec![Column::new("A", 1.0), Column::new("B", 1.0)],
            rows: vec![vec![Cell::new("x"), Cell::new(long)]],
        };
        composer.table(&table);
        let (pages, _) = composer.finish(|_, _, _| {});
        assert!(pages.len() >= 2);
        assert!(overflowing_items(fonts, &pages).is_empty());
        for page in &pages {
            let lowest = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { y, .. } => Some(*y),
                    _ => None,
                })
                .fold(0.0, f32::max);
            assert!(lowest <= BOTTOM, "{lowest}");
        }
        Ok(())
    }
}
