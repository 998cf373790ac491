use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::db::incidents::IncidentFilter;
use crate::domain::incident::IncidentInput;
use crate::domain::{FieldErrors, Incident, IncidentKind, IncidentStatus, Language, Severity};
use crate::error::ServiceError;
use crate::incidents;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

fn vocabularies() -> minijinja::Value {
    minijinja::context! {
        kinds => IncidentKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        severities => Severity::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        statuses => IncidentStatus::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        languages => Language::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    }
}

/// Incidents per page of the list.
const PAGE_SIZE: i64 = 50;

pub async fn list(ui: Ui, q: web::Query<IncidentFilter>) -> Result<HttpResponse, AppError> {
    let mut filter = q.into_inner();
    filter.limit = Some(PAGE_SIZE);
    let offset = filter.offset.unwrap_or(0).max(0);
    filter.offset = Some(offset);
    let f = filter.clone();
    let (list, total) = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>((
            crate::db::incidents::list(conn, &f)?,
            crate::db::incidents::count(conn, &f)?,
        ))
    })
    .await?;
    ui.render(
        "pages/incidents/list.html",
        minijinja::context! {
            incidents => list,
            total => total,
            first => offset + 1,
            previous_offset => (offset > 0).then(|| (offset - PAGE_SIZE).max(0)),
            next_offset => (offset + PAGE_SIZE < total).then_some(offset + PAGE_SIZE),
            filter => minijinja::context! {
                q => filter.q.unwrap_or_default(),
                status => filter.status.unwrap_or_default(),
                kind => filter.kind.unwrap_or_default(),
                severity => filter.severity.unwrap_or_default(),
                from => filter.from.map(|d| d.to_string()).unwrap_or_default(),
                to => filter.to.map(|d| d.to_string()).unwrap_or_default(),
            },
            ..vocabularies()
        },
    )
}

/// The incident form as submitted: text everywhere, times in the viewer's zone.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct IncidentForm {
    key: String,
    title: String,
    kind: String,
    severity: String,
    status: String,
    language: String,
    started_at: String,
    detected_at: String,
    resolved_at: String,
    summary: String,
    affected_services: String,
    audiences: Vec<String>,
    apology_expected: Option<String>,
}

impl IncidentForm {
    fn from_incident(i: &Incident, tz: chrono_tz::Tz) -> Self {
        let local = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| {
                crate::domain::time::utc_to_local(t, tz)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            })
            .unwrap_or_default()
        };
        Self {
            key: i.key.clone(),
            title: i.title.clone(),
            kind: i.kind.to_string(),
            severity: i.severity.to_string(),
            status: i.status.to_string(),
            language: i.language.to_string(),
            started_at: local(i.started_at),
            detected_at: local(Some(i.detected_at)),
            resolved_at: local(i.resolved_at),
            summary: i.summary.clone(),
            affected_services: i.affected_services.join(", "),
            audiences: i.audiences.clone(),
            apology_expected: i.apology_expected.then(|| "on".into()),
        }
    }

    /// Time fields that do not parse are reported here; the rest is validated by the domain.
    fn to_input(&self, tz: chrono_tz::Tz) -> (IncidentInput, FieldErrors) {
        let mut errors = FieldErrors::default();
        let input = IncidentInput {
            key: self.key.clone(),
            title: self.title.clone(),
            kind: self.kind.clone(),
            severity: self.severity.clone(),
            status: if self.status.is_empty() {
                "open".into()
            } else {
                self.status.clone()
            },
            language: self.language.clone(),
            started_at: forms::local_time(&mut errors, "started_at", &self.started_at, tz),
            detected_at: forms::local_time(&mut errors, "detected_at", &self.detected_at, tz),
            resolved_at: forms::local_time(&mut errors, "resolved_at", &self.resolved_at, tz),
            summary: self.summary.clone(),
            affected_services: self
                .affected_services
                .split([',', '\n'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            audiences: self.audiences.clone(),
            apology_expected: forms::checkbox(&self.apology_expected),
        };
        (input, errors)
    }
}

async fn render_form(
    ui: &Ui,
    mode: &str,
    values: &IncidentForm,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let audiences = blocking(&ui.state, |conn| {
        Ok::<_, AppError>(crate::db::audiences::list(conn)?)
    })
    .await?;
    let ctx = minijinja::context! { mode => mode, values => values, audiences => audiences, ..vocabularies() };
    match errors {
        Some(e) => ui.render_invalid("pages/incidents/form.html", e, ctx),
        None => ui.render("pages/incidents/form.html", ctx),
    }
}

pub async fn new_form(ui: Ui) -> Result<HttpResponse, AppError> {
    let org = blocking(&ui.state, |conn| {
        Ok::<_, AppError>(crate::organisation::load(conn)?)
    })
    .await?;
    let values = IncidentForm {
        kind: "it_outage".into(),
        severity: "sev2".into(),
        status: "open".into(),
        language: org.default_language,
        ..Default::default()
    };
    render_form(&ui, "new", &values, None).await
}

pub async fn create(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: IncidentForm = forms::parse(&body)?;
    let (input, mut errors) = form.to_input(ui.id.zone());
    if !errors.is_empty() {
        // Report the unparsable times together with everything else that is wrong.
        if let Err(more) = input.validate(&form.audiences) {
            errors.merge(more);
        }
        return render_form(&ui, "new", &form, Some(&errors)).await;
    }
    let actor = ui.id.actor();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(incidents::create(conn, &input, &actor, None))
    })
    .await?;
    match result {
        Ok(incident) => Ok(redirect_with_flash(
            &format!("/incidents/{}", incident.key),
            "success",
            "flash.incident_created",
        )),
        Err(ServiceError::Invalid(e)) => render_form(&ui, "new", &form, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

/// One row of the interleaved timeline.
#[derive(Serialize)]
struct TimelineItem<'a> {
    at: chrono::NaiveDateTime,
    #[serde(rename = "type")]
    item_type: &'static str,
    event: Option<&'a crate::domain::Event>,
    message: Option<&'a crate::domain::Message>,
    mention: Option<&'a crate::domain::Mention>,
}

pub async fn show(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let (tl, audiences) = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>((
            incidents::timeline(conn, &key)?,
            crate::db::audiences::list(conn)?,
        ))
    })
    .await?;
    let mut items: Vec<TimelineItem> = Vec::new();
    items.extend(tl.events.iter().map(|e| TimelineItem {
        at: e.occurred_at,
        item_type: "event",
        event: Some(e),
        message: None,
        mention: None,
    }));
    items.extend(tl.messages.iter().map(|m| TimelineItem {
        at: m.sent_at,
        item_type: "message",
        event: None,
        message: Some(m),
        mention: None,
    }));
    items.extend(tl.mentions.iter().map(|m| TimelineItem {
        at: m.posted_at,
        item_type: "mention",
        event: None,
        message: None,
        mention: Some(m),
    }));
    // Stable: at equal times events come before the messages about them, mentions last.
    items.sort_by_key(|i| i.at);
    let audience_names: std::collections::BTreeMap<String, String> = audiences
        .iter()
        .map(|a| (a.key.clone(), a.name(ui.id.lang).to_string()))
        .collect();
    let mention_authors: std::collections::BTreeMap<String, String> = tl
        .mentions
        .iter()
        .map(|m| {
            (
                m.id.to_string(),
                format!("{} ({})", m.author_handle, m.platform),
            )
        })
        .collect();
    ui.render(
        "pages/incidents/show.html",
        minijinja::context! {
            incident => tl.incident,
            items => items,
            audience_names => audience_names,
            mention_authors => mention_authors,
            counts => minijinja::context! { events => tl.events.len(), messages => tl.messages.len(), mentions => tl.mentions.len() },
        },
    )
}

pub async fn edit_form(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let incident = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(incidents::get(conn, &key)?)
    })
    .await?;
    let values = IncidentForm::from_incident(&incident, ui.id.zone());
    render_form(&ui, "edit", &values, None).await
}

pub async fn update(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: IncidentForm = forms::parse(&body)?;
    let (input, errors) = form.to_input(ui.id.zone());
    if !errors.is_empty() {
        return render_form(&ui, "edit", &form, Some(&errors)).await;
    }
    let key = key.into_inner();
    let actor = ui.id.actor();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(incidents::update(conn, &key, &input, &actor))
    })
    .await?;
    match result {
        Ok(incident) => Ok(redirect_with_flash(
            &format!("/incidents/{}", incident.key),
            "success",
            "flash.saved",
        )),
        Err(ServiceError::Invalid(e)) => render_form(&ui, "edit", &form, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let actor = ui.id.actor();
    blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(incidents::delete(conn, &key, &actor)?)
    })
    .await?;
    Ok(redirect_with_flash(
        "/incidents",
        "success",
        "flash.incident_deleted",
    ))
}
