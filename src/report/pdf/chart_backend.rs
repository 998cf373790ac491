//! A plotters backend that records vector items for a PDF page instead of pixels, so charts in
//! the PDF are sharp and their labels are real, extractable text in the report font.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};

use super::Item;
use super::fonts::{Face, FontSet};
use crate::report::style::Rgb;

/// Records what plotters draws, mapping chart units to points at `origin` with `scale`.
pub struct PdfChartBackend {
    fonts: &'static FontSet,
    size: (u32, u32),
    origin: (f32, f32),
    scale: f32,
    items: Rc<RefCell<Vec<Item>>>,
}

impl PdfChartBackend {
    /// A drawing area of `size` chart units whose items end up in the returned buffer.
    pub fn area(
        fonts: &'static FontSet,
        size: (u32, u32),
        origin: (f32, f32),
        scale: f32,
    ) -> (DrawingArea<PdfChartBackend, Shift>, Rc<RefCell<Vec<Item>>>) {
        let items = Rc::new(RefCell::new(Vec::new()));
        let backend = PdfChartBackend {
            fonts,
            size,
            origin,
            scale,
            items: Rc::clone(&items),
        };
        (backend.into_drawing_area(), items)
    }

    fn point(&self, (x, y): BackendCoord) -> (f32, f32) {
        (
            self.origin.0 + x as f32 * self.scale,
            self.origin.1 + y as f32 * self.scale,
        )
    }

    fn push(&self, item: Item) {
        self.items.borrow_mut().push(item);
    }
}

/// Colours with transparency are mixed with white: the charts use it only for tints.
fn opaque(colour: BackendColor) -> Rgb {
    let (r, g, b) = colour.rgb;
    Rgb(r, g, b).tint(1.0 - colour.alpha)
}

pub fn face_of(style: FontStyle) -> Face {
    match style {
        FontStyle::Bold => Face::Bold,
        FontStyle::Italic | FontStyle::Oblique => Face::Italic,
        FontStyle::Normal => Face::Regular,
    }
}

/// Where plotters' text anchors put the baseline, as fractions of the font size; the same
/// offsets the SVG backend writes as `dy` (0.76em, 0.5ex, −0.5ex; one ex ≈ 0.536em in Noto Sans).
pub fn baseline_offset(v_pos: VPos) -> f32 {
    match v_pos {
        VPos::Top => 0.76,
        VPos::Center => 0.27,
        VPos::Bottom => -0.27,
    }
}

impl DrawingBackend for PdfChartBackend {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        colour: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if colour.alpha > 0.0 {
            let (x, y) = self.point(point);
            self.push(Item::Rect {
                x,
                y,
                w: self.scale,
                h: self.scale,
                fill: Some(opaque(colour)),
                stroke: None,
            });
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (x1, y1) = self.point(upper_left);
        let (x2, y2) = self.point(bottom_right);
        let colour = opaque(style.color());
        let (fill, stroke) = if fill {
            (Some(colour), None)
        } else {
            (
                None,
                Some((colour, style.stroke_width().max(1) as f32 * self.scale)),
            )
        };
        self.push(Item::Rect {
            x: x1.min(x2),
            y: y1.min(y2),
            w: (x2 - x1).abs(),
            h: (y2 - y1).abs(),
            fill,
            stroke,
        });
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<(f32, f32)> = path.into_iter().map(|p| self.point(p)).collect();
        if points.len() >= 2 {
            self.push(Item::Line {
                points,
                width: style.stroke_width().max(1) as f32 * self.scale,
                colour: opaque(style.color()),
                dash: None,
            });
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (cx, cy) = self.point(center);
        let r = radius as f32 * self.scale;
        let points: Vec<(f32, f32)> = (0..=24)
            .map(|i| {
                let angle = i as f32 / 24.0 * std::f32::consts::TAU;
                (cx + r * angle.cos(), cy + r * angle.sin())
            })
            .collect();
        let colour = opaque(style.color());
        if fill {
            self.push(Item::Polygon {
                points,
                fill: colour,
            });
        } else {
            self.push(Item::Line {
                points,
                width: style.stroke_width().max(1) as f32 * self.scale,
                colour,
                dash: None,
            });
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<(f32, f32)> = vert.into_iter().map(|p| self.point(p)).collect();
        if points.len() >= 3 {
            self.push(Item::Polygon {
                points,
                fill: opaque(style.color()),
            });
        }
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let face = face_of(style.style());
        let text = self.fonts.printable(text, face);
        let size = (style.size() / crate::report::charts::PLOTTERS_FONT_SCALE) as f32 * self.scale;
        let width = self.fonts.width(&text, face, size);
        let anchor = style.anchor();
        let along = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let across = baseline_offset(anchor.v_pos) * size;
        let (px, py) = self.point(pos);
        // Rotation turns the text's own axes: "along" runs with the text, "across" down from it.
        let (x, y, rotation) = match style.transform() {
            FontTransform::Rotate90 => (px - across, py + along, -90.0),
            FontTransform::Rotate180 => (px - along, py - across, 180.0),
            FontTransform::Rotate270 => (px + across, py - along, 90.0),
            FontTransform::None => (px + along, py + across, 0.0),
        };
        self.push(Item::Text {
            x,
            y,
            size,
            face,
            colour: opaque(style.color()),
            text,
            rotation,
        });
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(crate::report::charts::text_size(
            self.fonts,
            text,
            face_of(style.style()),
            style.size(),
        ))
    }
}

impl super::Composer {
    /// Draws a chart of `size` chart units at the cursor, scaled to points, moving to the next
    /// page first if it does not fit.
    pub fn chart(
        &mut self,
        size: (u32, u32),
        draw: impl FnOnce(
            &DrawingArea<PdfChartBackend, Shift>,
        ) -> Result<(), crate::report::ReportError>,
    ) -> Result<(), crate::report::ReportError> {
        let scale = crate::report::charts::UNIT_PT;
        let height = size.1 as f32 * scale;
        self.ensure(height);
        let (area, items) =
            PdfChartBackend::area(self.fonts, size, (super::compose::LEFT, self.y()), scale);
        draw(&area)?;
        drop(area);
        for item in items.take() {
            self.push(item);
        }
        self.advance(height);
        Ok(())
    }
}
