//! Drawing primitives for the charts on top of a plotters drawing area: text in the report font,
//! rectangles, lines, markers and legends, with errors mapped once.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

use super::{PLOTTERS_FONT_SCALE, chart_error, text_size};
use crate::report::ReportError;
use crate::report::pdf::fonts::{Face, FontSet, SVG_FONT_FAMILY};
use crate::report::style::{INK, MUTED, Marker, Rgb};

pub type Point = (i32, i32);

/// Font sizes in chart units (em).
pub const LABEL: f64 = 17.0;
pub const SMALL: f64 = 15.0;

pub struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    chart: &'static str,
    pub fonts: &'static FontSet,
}

fn colour(rgb: Rgb) -> RGBColor {
    RGBColor(rgb.0, rgb.1, rgb.2)
}

#[derive(Debug, Clone)]
pub struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
}

#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    Fill(Rgb),
    Marker(Marker, Rgb),
    /// A hollow marker: the ring drawn around late messages.
    Ring(Marker, Rgb),
    Line(Rgb),
    Dashed(Rgb),
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(
        area: &'a DrawingArea<DB, Shift>,
        chart: &'static str,
        fonts: &'static FontSet,
    ) -> Result<Self, ReportError> {
        area.fill(&RGBColor(255, 255, 255))
            .map_err(chart_error(chart))?;
        Ok(Self { area, chart, fonts })
    }

    pub fn size(&self) -> (i32, i32) {
        let (w, h) = self.area.dim_in_pixel();
        (w as i32, h as i32)
    }

    pub fn text_width(&self, text: &str, size: f64, face: Face) -> i32 {
        text_size(self.fonts, text, face, size * PLOTTERS_FONT_SCALE).0 as i32
    }

    /// `text` shortened with an ellipsis to fit `max_width`.
    pub fn fit(&self, text: &str, size: f64, face: Face, max_width: i32) -> String {
        if self.text_width(text, size, face) <= max_width {
            return text.to_string();
        }
        let mut out: String = text.to_string();
        while !out.is_empty() && self.text_width(&format!("{out}…"), size, face) > max_width {
            out.pop();
        }
        format!("{}…", out.trim_end())
    }

    /// `text` in at most `max_lines` lines of `width`, the last shortened with an ellipsis.
    pub fn lines(
        &self,
        text: &str,
        size: f64,
        face: Face,
        width: i32,
        max_lines: usize,
    ) -> Vec<String> {
        let em = size as f32;
        let mut lines = crate::report::pdf::wrap::wrap(self.fonts, text, face, em, width as f32);
        if lines.len() > max_lines {
            let rest = lines[max_lines - 1..].join(" ");
            lines.truncate(max_lines - 1);
            lines.push(self.fit(&rest, size, face, width));
        }
        lines
    }

    /// A name in the label column, right-aligned to `right` (or left-aligned from it) and
    /// centred on `mid`, in up to two lines.
    pub fn name(
        &self,
        (x, mid): Point,
        text: &str,
        face: Face,
        width: i32,
        h: HPos,
    ) -> Result<(), ReportError> {
        let lines = self.lines(text, LABEL, face, width, 2);
        let line_height = (LABEL * 1.15) as i32;
        let first = mid - (lines.len() as i32 - 1) * line_height / 2;
        for (i, line) in lines.iter().enumerate() {
            self.text(
                (x, first + i as i32 * line_height),
                line,
                LABEL,
                face,
                INK,
                h,
                VPos::Center,
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        at: Point,
        text: &str,
        size: f64,
        face: Face,
        fill: Rgb,
        h: HPos,
        v: VPos,
    ) -> Result<(), ReportError> {
        let style = match face {
            Face::Regular => FontStyle::Normal,
            Face::Bold => FontStyle::Bold,
            Face::Italic => FontStyle::Italic,
        };
        let font = FontDesc::new(
            FontFamily::Name(SVG_FONT_FAMILY),
            size * PLOTTERS_FONT_SCALE,
            style,
        );
        let fill = colour(fill);
        let text_style = TextStyle::from(font).color(&fill).pos(Pos::new(h, v));
        // Labels near an edge move inside rather than be cut off.
        let (width, _) = self.size();
        let w = self.text_width(text, size, face);
        let x = match h {
            HPos::Left => at.0.min(width - w).max(0),
            HPos::Center => at.0.clamp(w / 2, (width - w / 2).max(w / 2)),
            HPos::Right => at.0.max(w).min(width),
        };
        self.area
            .draw_text(text, &text_style, (x, at.1))
            .map_err(chart_error(self.chart))
    }

    /// A label in the usual small grey: axis ticks and annotations.
    pub fn label(&self, at: Point, text: &str, h: HPos, v: VPos) -> Result<(), ReportError> {
        self.text(at, text, LABEL, Face::Regular, MUTED, h, v)
    }

    pub fn rect(&self, from: Point, to: Point, fill: Rgb) -> Result<(), ReportError> {
        self.area
            .draw(&Rectangle::new(
                [from, to],
                ShapeStyle::from(&colour(fill)).filled(),
            ))
            .map_err(chart_error(self.chart))
    }

    pub fn outline(
        &self,
        from: Point,
        to: Point,
        stroke: Rgb,
        width: u32,
    ) -> Result<(), ReportError> {
        self.area
            .draw(&Rectangle::new(
                [from, to],
                ShapeStyle::from(&colour(stroke)).stroke_width(width),
            ))
            .map_err(chart_error(self.chart))
    }

    pub fn line(&self, points: Vec<Point>, stroke: Rgb, width: u32) -> Result<(), ReportError> {
        self.area
            .draw(&PathElement::new(
                points,
                ShapeStyle::from(&colour(stroke)).stroke_width(width),
            ))
            .map_err(chart_error(self.chart))
    }

    pub fn dashed(&self, points: Vec<Point>, stroke: Rgb, width: u32) -> Result<(), ReportError> {
        self.area
            .draw(&DashedPathElement::new(
                points,
                6,
                5,
                ShapeStyle::from(&colour(stroke)).stroke_width(width),
            ))
            .map_err(chart_error(self.chart))
    }

    /// A series marker of `size` (half width) at `at`: filled, or hollow with a white centre.
    pub fn marker(
        &self,
        marker: Marker,
        at: Point,
        size: i32,
        fill: Rgb,
        hollow: bool,
    ) -> Result<(), ReportError> {
        let (x, y) = at;
        let s = size;
        let style = if hollow {
            ShapeStyle::from(&colour(fill)).stroke_width(3)
        } else {
            ShapeStyle::from(&colour(fill)).filled()
        };
        let polygon = |points: Vec<Point>| -> Result<(), ReportError> {
            if hollow {
                let mut closed = points.clone();
                closed.push(points[0]);
                self.area
                    .draw(&PathElement::new(closed, style))
                    .map_err(chart_error(self.chart))
            } else {
                self.area
                    .draw(&Polygon::new(points, style))
                    .map_err(chart_error(self.chart))
            }
        };
        match marker {
            Marker::Circle => self
                .area
                .draw(&Circle::new(at, s as u32, style))
                .map_err(chart_error(self.chart)),
            Marker::Square => polygon(vec![
                (x - s, y - s),
                (x + s, y - s),
                (x + s, y + s),
                (x - s, y + s),
            ]),
            Marker::Triangle => {
                polygon(vec![(x, y - s - 1), (x + s + 1, y + s), (x - s - 1, y + s)])
            }
            Marker::InvertedTriangle => {
                polygon(vec![(x, y + s + 1), (x + s + 1, y - s), (x - s - 1, y - s)])
            }
            Marker::Diamond => polygon(vec![
                (x, y - s - 2),
                (x + s + 2, y),
                (x, y + s + 2),
                (x - s - 2, y),
            ]),
            Marker::Cross | Marker::Plus => {
                let (a, b) = if marker == Marker::Cross {
                    (
                        ((x - s, y - s), (x + s, y + s)),
                        ((x - s, y + s), (x + s, y - s)),
                    )
                } else {
                    (
                        ((x - s - 1, y), (x + s + 1, y)),
                        ((x, y - s - 1), (x, y + s + 1)),
                    )
                };
                self.line(vec![a.0, a.1], fill, 4)?;
                self.line(vec![b.0, b.1], fill, 4)
            }
        }
    }

    fn swatch(&self, swatch: Swatch, at: Point) -> Result<(), ReportError> {
        let (x, y) = at;
        match swatch {
            Swatch::Fill(fill) => self.rect((x, y - 8), (x + 18, y + 8), fill),
            Swatch::Marker(marker, fill) => self.marker(marker, (x + 9, y), 7, fill, false),
            Swatch::Ring(marker, stroke) => self.marker(marker, (x + 9, y), 8, stroke, true),
            Swatch::Line(stroke) => self.line(vec![(x, y), (x + 18, y)], stroke, 4),
            Swatch::Dashed(stroke) => self.dashed(vec![(x, y), (x + 22, y)], stroke, 3),
        }
    }

    /// A legend flowing left to right from `at`, wrapping inside `width`; returns its height.
    pub fn legend(
        &self,
        at: Point,
        width: i32,
        entries: &[LegendEntry],
    ) -> Result<i32, ReportError> {
        let labels: Vec<&str> = entries.iter().map(|e| e.label.as_str()).collect();
        let (places, height) = legend_layout(self.fonts, width, &labels);
        for (entry, (dx, dy)) in entries.iter().zip(places) {
            let (x, y) = (at.0 + dx, at.1 + dy);
            self.swatch(entry.swatch, (x, y))?;
            self.text(
                (x + 26, y),
                &entry.label,
                SMALL,
                Face::Regular,
                INK,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(height)
    }
}

const LEGEND_ROW: i32 = 26;

/// Where each legend entry goes (its swatch's centre, relative to the legend's top left) when the
/// entries wrap within `width`, and the height they take: one layout for drawing a legend and for
/// a chart that must know its size before it draws.
pub fn legend_layout(fonts: &FontSet, width: i32, labels: &[&str]) -> (Vec<Point>, i32) {
    let (mut x, mut y) = (0, LEGEND_ROW / 2);
    let mut places = Vec::with_capacity(labels.len());
    for label in labels {
        let label_width = text_size(fonts, label, Face::Regular, SMALL * PLOTTERS_FONT_SCALE).0;
        let entry_width = 26 + label_width as i32 + 22;
        if x + entry_width > width && x > 0 {
            x = 0;
            y += LEGEND_ROW;
        }
        places.push((x, y));
        x += entry_width;
    }
    (places, y + LEGEND_ROW / 2)
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Vertical grid lines at the axis ticks between `top` and `bottom`, labelled below.
    pub fn value_axis_x(
        &self,
        axis: &super::axis::Axis,
        (x0, x1): (i32, i32),
        (top, bottom): (i32, i32),
        format: impl Fn(f64) -> String,
    ) -> Result<(), ReportError> {
        for tick in &axis.ticks {
            let x = axis.map(*tick, x0, x1);
            self.line(vec![(x, top), (x, bottom)], crate::report::style::RULE, 1)?;
            self.label((x, bottom + 8), &format(*tick), HPos::Center, VPos::Top)?;
        }
        Ok(())
    }

    /// Horizontal grid lines at the axis ticks between `x0` and `x1`, labelled on the left.
    pub fn value_axis_y(
        &self,
        axis: &super::axis::Axis,
        (bottom, top): (i32, i32),
        (x0, x1): (i32, i32),
        format: impl Fn(f64) -> String,
    ) -> Result<(), ReportError> {
        for tick in &axis.ticks {
            let y = axis.map(*tick, bottom, top);
            self.line(vec![(x0, y), (x1, y)], crate::report::style::RULE, 1)?;
            self.label((x0 - 8, y), &format(*tick), HPos::Right, VPos::Center)?;
        }
        Ok(())
    }
}
