//! Reports: a plain report model in, SVG charts and PDF bytes out. No database and no web types:
//! the caller fills [`model::IncidentReport`] / [`model::PortfolioReport`] and renders.

pub mod aggregate;
pub mod charts;
pub mod incident;
pub mod incident_charts;
pub mod labels;
pub mod layout;
pub mod model;
pub mod pdf;
pub mod portfolio;
pub mod sample;
pub mod style;
pub mod tables;

pub use incident::{lay_out_incident, render_incident_pdf};
pub use incident_charts::{incident_charts_svg, incident_charts_svg_of};
pub use portfolio::{lay_out_portfolio, portfolio_charts_svg, render_portfolio_pdf};

#[derive(Debug, Clone, thiserror::Error)]
pub enum ReportError {
    #[error("report font: {0}")]
    Font(String),
    #[error("chart {chart}: {reason}")]
    Chart { chart: &'static str, reason: String },
    #[error("PDF: {0}")]
    Pdf(String),
}
