//! Report downloads (incident and portfolio PDFs) and the portfolio page with its charts. The data
//! is loaded with a database connection, which is given back before anything is rendered; PDFs
//! and charts are rendered on the blocking pool, a bounded number at a time (`web::render`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::AppState;
use crate::db::audit::Actor;
use crate::domain::validation::parse_choice;
use crate::domain::{IncidentKind, Severity};
use crate::report::aggregate::PortfolioSelection;
use crate::report::model::Lang;
use crate::web::error::AppError;
use crate::web::ui::Ui;
use crate::web::{blocking, render};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    lang: Option<String>,
}

pub fn pdf_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

pub async fn incident_pdf(
    ui: Ui,
    key: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::from_code(q.lang.as_deref().unwrap_or(ui.id.lang));
    incident_download(&ui.state, ui.id.actor(), key.into_inner(), lang).await
}

/// The incident report as a download, for the page and the API alike: the model is loaded with a
/// connection, which is released before rendering (queued with the other renders, see
/// [`render`]); then the download is audited and the time it took recorded.
pub async fn incident_download(
    state: &AppState,
    actor: Actor,
    key: String,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let started = std::time::Instant::now();
    let report = blocking(state, move |conn| {
        Ok::<_, AppError>(crate::reports::incident_report(conn, &key, lang)?)
    })
    .await?;
    let key = report.facts.key.clone();
    let (name, bytes) =
        render(move || Ok::<_, AppError>(crate::reports::render_incident(&report)?)).await?;
    audit_download(state, actor, key, lang.code().to_string()).await?;
    state.metrics.observe_report("incident", started);
    Ok(pdf_response(&name, bytes))
}

/// Records a delivered report in the audit log.
async fn audit_download(
    state: &AppState,
    actor: Actor,
    subject: String,
    detail: String,
) -> Result<(), AppError> {
    blocking(state, move |conn| {
        crate::db::audit::record(
            conn,
            &actor,
            "report.downloaded",
            Some(&subject),
            Some(&detail),
        )?;
        Ok::<_, AppError>(())
    })
    .await
}

/// The portfolio form as submitted: a date range and optional filters.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PortfolioQuery {
    from: String,
    to: String,
    kind: String,
    severity: String,
    lang: String,
}

impl Default for PortfolioQuery {
    fn default() -> Self {
        let today = chrono::Utc::now().date_naive();
        Self {
            from: (today - chrono::Duration::days(365)).to_string(),
            to: today.to_string(),
            kind: String::new(),
            severity: String::new(),
            lang: String::new(),
        }
    }
}

impl PortfolioQuery {
    fn selection(&self) -> Result<PortfolioSelection, crate::domain::FieldErrors> {
        let mut errors = crate::domain::FieldErrors::default();
        let date = |errors: &mut crate::domain::FieldErrors, field: &str, v: &str| {
            match chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, "enter a date like 2026-03-31");
                    None
                }
            }
        };
        let from = date(&mut errors, "from", &self.from);
        let to = date(&mut errors, "to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.add("to", "must not be before the start");
        }
        // An empty choice is "all"; anything else must be one of the vocabulary.
        let kind = (!self.kind.trim().is_empty())
            .then(|| parse_choice::<IncidentKind>(&mut errors, "kind", &self.kind))
            .flatten();
        let severity = (!self.severity.trim().is_empty())
            .then(|| parse_choice::<Severity>(&mut errors, "severity", &self.severity))
            .flatten();
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok(PortfolioSelection {
                from,
                to,
                kind,
                severity,
            }),
            _ => Err(errors),
        }
    }
}

pub async fn portfolio(ui: Ui, q: web::Query<PortfolioQuery>) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let lang = Lang::from_code(ui.id.lang);
    let vocab = minijinja::context! {
        kinds => crate::domain::IncidentKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        severities => crate::domain::Severity::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    };
    let selection = match q.selection() {
        Ok(s) => s,
        Err(errors) => {
            return ui.render_invalid("pages/portfolio.html", &errors, minijinja::context! { values => q, report => None::<()>, charts => Vec::<()>::new(), ..vocab });
        }
    };
    let report = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::reports::portfolio_report(conn, &selection, lang)?)
    })
    .await?;
    let (report, charts) = render(move || {
        let charts = crate::report::portfolio_charts_svg(&report)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok::<_, AppError>((report, charts))
    })
    .await?;
    ui.render(
        "pages/portfolio.html",
        minijinja::context! { values => q, report => report, charts => charts, ..vocab },
    )
}

pub async fn portfolio_pdf(
    ui: Ui,
    q: web::Query<PortfolioQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let lang = Lang::from_code(if q.lang.is_empty() {
        ui.id.lang
    } else {
        &q.lang
    });
    let selection = q.selection().map_err(AppError::Invalid)?;
    let started = std::time::Instant::now();
    let loaded = selection.clone();
    let report = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::reports::portfolio_report(conn, &loaded, lang)?)
    })
    .await?;
    let range = format!("{} – {}", selection.from, selection.to);
    let (name, bytes) =
        render(move || Ok::<_, AppError>(crate::reports::render_portfolio(&report, &selection)?))
            .await?;
    audit_download(&ui.state, ui.id.actor(), "portfolio".into(), range).await?;
    ui.state.metrics.observe_report("portfolio", started);
    Ok(pdf_response(&name, bytes))
}
