//! Charts drawn with plotters, one function per chart over a plain chart model, generic over the
//! drawing backend: [`to_svg`] renders one for the web, the PDF composer records the same
//! drawing as vector items. Chart units are half points (a full-width chart is 954 units, 477 pt
//! on A4), and text is measured with the report font on both paths, so both look the same.

pub mod axis;
pub mod canvas;
pub mod clarity;
pub mod outcomes;
pub mod portfolio;
pub mod survey;
pub mod timeline;
pub mod timeliness;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};

pub use canvas::Canvas;

use super::ReportError;
use super::labels::{Texts, texts};
use super::model::Lang;
use super::pdf::fonts::{Face, FontSet, fonts};

/// Width of every chart in chart units.
pub const CHART_WIDTH: u32 = 954;
/// Points per chart unit in the PDF.
pub const UNIT_PT: f32 = 0.5;
/// plotters divides a font size by this before it reaches the SVG (and our PDF backend does the
/// same), so sizes handed to plotters are multiplied by it.
pub const PLOTTERS_FONT_SCALE: f64 = 1.24;

/// Text extent in chart units for a plotters font size, from the report font's advances.
pub fn text_size(fonts: &FontSet, text: &str, face: Face, plotters_size: f64) -> (u32, u32) {
    let em = (plotters_size / PLOTTERS_FONT_SCALE) as f32;
    let width = fonts.width(&fonts.printable(text, face), face, em);
    (width.ceil().max(0.0) as u32, em.ceil().max(0.0) as u32)
}

/// A chart of a report as the PDF and the pages use it: a stable id (element ids on the pages),
/// a title in the report language, a size in chart units and the drawing itself.
pub trait ReportChart {
    fn id(&self) -> &'static str;
    fn title(&self, texts: &Texts) -> &'static str;
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError>;
}

/// The given charts as inline-safe SVG with their ids, in the order given. Only these charts are
/// drawn, so a page pays for the charts it shows.
pub fn charts_svg<C: ReportChart>(
    charts: impl IntoIterator<Item = C>,
    lang: Lang,
) -> Result<Vec<(&'static str, String)>, ReportError> {
    let fonts = fonts()?;
    let texts = texts(lang);
    charts
        .into_iter()
        .map(|chart| {
            Ok((
                chart.id(),
                to_svg(chart.size(), chart.title(texts), |area| {
                    chart.draw(area, texts, fonts)
                })?,
            ))
        })
        .collect()
}

/// Renders a chart to an SVG that is safe to inline in a page: plotters escapes all text, no
/// script or external reference is written, the viewBox is fixed and the image scales to the
/// width of its container. `title` becomes the accessible name.
pub fn to_svg(
    size: (u32, u32),
    title: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ReportError>,
) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&area)?;
        area.present().map_err(|e| ReportError::Chart {
            chart: "svg",
            reason: e.to_string(),
        })?;
    }
    let opening = format!(
        r#"<svg width="{}" height="{}" viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">"#,
        size.0, size.1, size.0, size.1
    );
    let accessible = format!(
        r#"<svg viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        size.0,
        size.1,
        escape_xml(title),
        escape_xml(title)
    );
    if !svg.starts_with(&opening) {
        return Err(ReportError::Chart {
            chart: "svg",
            reason: "unexpected SVG header".into(),
        });
    }
    Ok(svg.replacen(&opening, &accessible, 1))
}

pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Maps a plotters drawing error to the report error of one chart.
pub fn chart_error<E: std::error::Error + Send + Sync>(
    chart: &'static str,
) -> impl Fn(plotters::drawing::DrawingAreaErrorKind<E>) -> ReportError {
    move |e| ReportError::Chart {
        chart,
        reason: e.to_string(),
    }
}
