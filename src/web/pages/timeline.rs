//! Forms to add, edit and delete timeline entries by hand (what no file holds).

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::domain::{Channel, EventKind, FieldErrors, Language, MessageKind};
use crate::error::ServiceError;
use crate::incidents::{self, EntryKind, IncidentTimeline};
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

fn local(t: Option<chrono::NaiveDateTime>, tz: chrono_tz::Tz) -> String {
    t.map(|t| {
        crate::domain::time::utc_to_local(t, tz)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn load(
    ui: &Ui,
    key: String,
) -> Result<(IncidentTimeline, Vec<crate::domain::Audience>), AppError> {
    blocking(&ui.state, move |conn| {
        Ok::<_, AppError>((
            incidents::timeline(conn, &key)?,
            crate::db::audiences::list(conn)?,
        ))
    })
    .await
}

fn back(key: &str, flash: &str) -> HttpResponse {
    redirect_with_flash(&format!("/incidents/{key}"), "success", flash)
}

/// Renders an entry form for `kind` ("event", "message", "mention").
async fn render(
    ui: &Ui,
    key: String,
    kind: &str,
    entry_id: Option<i64>,
    values: minijinja::Value,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (tl, audiences) = load(ui, key).await?;
    let ctx = minijinja::context! {
        incident => tl.incident,
        entry_id => entry_id,
        values => values,
        audiences => audiences,
        mentions => tl.mentions,
        event_kinds => EventKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        channels => Channel::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        message_kinds => MessageKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        languages => Language::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    };
    let template = format!("pages/timeline/{kind}_form.html");
    match errors {
        Some(e) => ui.render_invalid(&template, e, ctx),
        None => ui.render(&template, ctx),
    }
}

type KeyAndId = web::Path<(String, i64)>;

// --- events ------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct EventForm {
    occurred_at: String,
    kind: String,
    description: String,
    source: String,
}

impl EventForm {
    fn to_input(&self, tz: chrono_tz::Tz) -> (EventInput, FieldErrors) {
        let mut errors = FieldErrors::default();
        let input = EventInput {
            occurred_at: forms::local_time(&mut errors, "occurred_at", &self.occurred_at, tz),
            kind: self.kind.clone(),
            description: self.description.clone(),
            source: opt(&self.source).or(Some("manual".into())),
            external_id: None,
        };
        (input, errors)
    }
}

pub async fn new_event(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let values = EventForm {
        kind: "note".into(),
        ..Default::default()
    };
    render(
        &ui,
        key.into_inner(),
        "event",
        None,
        minijinja::Value::from_serialize(&values),
        None,
    )
    .await
}

async fn save_event(
    ui: Ui,
    key: String,
    id: Option<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: EventForm = forms::parse(&body)?;
    let (input, mut errors) = form.to_input(ui.id.zone());
    if let Err(more) = input.validate() {
        errors.merge(more);
    }
    let values = minijinja::Value::from_serialize(&form);
    if !errors.is_empty() {
        return render(&ui, key, "event", id, values, Some(&errors)).await;
    }
    let k = key.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(match id {
            Some(id) => incidents::edit_event(conn, &k, id, &input),
            None => incidents::add_event(conn, &k, &input).map(|_| ()),
        })
    })
    .await?;
    match result {
        Ok(()) => Ok(back(&key, "flash.saved")),
        Err(ServiceError::Invalid(e)) => render(&ui, key, "event", id, values, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn create_event(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    save_event(ui, key.into_inner(), None, body).await
}

pub async fn edit_event(ui: Ui, path: KeyAndId) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let (tl, _) = load(&ui, key.clone()).await?;
    let e = tl
        .events
        .iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)?;
    let values = EventForm {
        occurred_at: local(Some(e.occurred_at), ui.id.zone()),
        kind: e.kind.to_string(),
        description: e.description.clone(),
        source: e.source.clone().unwrap_or_default(),
    };
    render(
        &ui,
        key,
        "event",
        Some(id),
        minijinja::Value::from_serialize(&values),
        None,
    )
    .await
}

pub async fn update_event(
    ui: Ui,
    path: KeyAndId,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    save_event(ui, key, Some(id), body).await
}

async fn delete_entry(ui: Ui, path: KeyAndId, kind: EntryKind) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let k = key.clone();
    blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(incidents::delete_entry(conn, &k, kind, id)?)
    })
    .await?;
    Ok(back(&key, "flash.deleted"))
}

pub async fn delete_event(ui: Ui, path: KeyAndId) -> Result<HttpResponse, AppError> {
    delete_entry(ui, path, EntryKind::Event).await
}

// --- messages ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MessageForm {
    sent_at: String,
    audiences: Vec<String>,
    channel: String,
    platform: String,
    author: String,
    subject: String,
    body: String,
    language: String,
    kind: String,
    in_reply_to: String,
    next_update_at: String,
    eta_at: String,
}

impl MessageForm {
    fn to_input(&self, tz: chrono_tz::Tz) -> (MessageInput, FieldErrors) {
        let mut errors = FieldErrors::default();
        let in_reply_to = match self.in_reply_to.trim() {
            "" => None,
            v => match v.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("in_reply_to", "is not a mention of this incident");
                    None
                }
            },
        };
        let input = MessageInput {
            sent_at: forms::local_time(&mut errors, "sent_at", &self.sent_at, tz),
            audiences: self.audiences.clone(),
            channel: self.channel.clone(),
            platform: opt(&self.platform),
            author: self.author.clone(),
            subject: opt(&self.subject),
            body: self.body.clone(),
            body_html: None,
            language: self.language.clone(),
            kind: self.kind.clone(),
            in_reply_to,
            next_update_at: forms::local_time(
                &mut errors,
                "next_update_at",
                &self.next_update_at,
                tz,
            ),
            eta_at: forms::local_time(&mut errors, "eta_at", &self.eta_at, tz),
            source: Some("manual".into()),
            external_id: None,
        };
        (input, errors)
    }
}

pub async fn new_message(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let (tl, _) = load(&ui, key.clone()).await?;
    let values = MessageForm {
        channel: "email".into(),
        kind: "update".into(),
        language: tl.incident.language.to_string(),
        ..Default::default()
    };
    render(
        &ui,
        key,
        "message",
        None,
        minijinja::Value::from_serialize(&values),
        None,
    )
    .await
}

async fn save_message(
    ui: Ui,
    key: String,
    id: Option<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: MessageForm = forms::parse(&body)?;
    let (input, errors) = form.to_input(ui.id.zone());
    let values = minijinja::Value::from_serialize(&form);
    if !errors.is_empty() {
        return render(&ui, key, "message", id, values, Some(&errors)).await;
    }
    let k = key.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(match id {
            Some(id) => incidents::edit_message(conn, &k, id, &input),
            None => incidents::add_message(conn, &k, &input).map(|_| ()),
        })
    })
    .await?;
    match result {
        Ok(()) => Ok(back(&key, "flash.saved")),
        Err(ServiceError::Invalid(e)) => render(&ui, key, "message", id, values, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn create_message(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    save_message(ui, key.into_inner(), None, body).await
}

pub async fn edit_message(ui: Ui, path: KeyAndId) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let (tl, _) = load(&ui, key.clone()).await?;
    let m = tl
        .messages
        .iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let tz = ui.id.zone();
    let values = MessageForm {
        sent_at: local(Some(m.sent_at), tz),
        audiences: m.audiences.clone(),
        channel: m.channel.to_string(),
        platform: m.platform.clone().unwrap_or_default(),
        author: m.author.clone(),
        subject: m.subject.clone().unwrap_or_default(),
        body: m.body.clone(),
        language: m.language.to_string(),
        kind: m.kind.to_string(),
        in_reply_to: m.in_reply_to.map(|i| i.to_string()).unwrap_or_default(),
        next_update_at: local(m.next_update_at, tz),
        eta_at: local(m.eta_at, tz),
    };
    render(
        &ui,
        key,
        "message",
        Some(id),
        minijinja::Value::from_serialize(&values),
        None,
    )
    .await
}

pub async fn update_message(
    ui: Ui,
    path: KeyAndId,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    save_message(ui, key, Some(id), body).await
}

pub async fn delete_message(ui: Ui, path: KeyAndId) -> Result<HttpResponse, AppError> {
    delete_entry(ui, path, EntryKind::Message).await
}

// --- mentions ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MentionForm {
    posted_at: String,
    platform: String,
    author_handle: String,
    text: String,
    url: String,
}

impl MentionForm {
    fn to_input(&self, tz: chrono_tz::Tz) -> (MentionInput, FieldErrors) {
        let mut errors = FieldErrors::default();
        let input = MentionInput {
            posted_at: forms::local_time(&mut errors, "posted_at", &self.posted_at, tz),
            platform: self.platform.clone(),
            author_handle: self.author_handle.clone(),
            text: self.text.clone(),
            url: opt(&self.url),
            external_id: None,
        };
        (input, errors)
    }
}

pub async fn new_mention(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let values = MentionForm::default();
    render(
        &ui,
        key.into_inner(),
        "mention",
        None,
        minijinja::Value::from_serialize(&values),
        None,
    )
    .await
}

async fn save_mention(
    ui: Ui,
    key: String,
    id: Option<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: MentionForm = forms::parse(&body)?;
    let (input, mut errors) = form.to_input(ui.id.zone());
    if let Err(more) = input.validate() {
        errors.merge(more);
    }
    let values = minijinja::Value::from_serialize(&form);
    if !errors.is_empty() {
        return render(&ui, key, "mention", id, values, Some(&errors)).await;
    }
    let k = key.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(match id {
            Some(id) => incidents::edit_mention(conn, &k, id, &input),
            None => incidents::add_mention(conn, &k, &input).map(|_| ()),
        })
    })
    .await?;
    match result {
        Ok(()) => Ok(back(&key, "flash.saved")),
        Err(ServiceError::Invalid(e)) => render(&ui, key, "mention", id, values, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn create_mention(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    save_mention(ui, key.into_inner(), None, body).await
}

pub async fn edit_mention(ui: Ui, path: KeyAndId) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let (tl, _) = load(&ui, key.clone()).await?;
    let m = tl
        .mentions
        .iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let values = MentionForm {
        posted_at: local(Some(m.posted_at), ui.id.zone()),
        platform: m.platform.clone(),
        author_handle: m.author_handle.clone(),
        text: m.text.clone(),
        url: m.url.clone().unwrap_or_default(),
    };
    render(
        &ui,
        key,
        "mention",
        Some(id),
        minijinja::Value::from_serialize(&values),
        None,
    )
    .await
}

pub async fn update_mention(
    ui: Ui,
    path: KeyAndId,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    save_mention(ui, key, Some(id), body).await
}

pub async fn delete_mention(ui: Ui, path: KeyAndId) -> Result<HttpResponse, AppError> {
    delete_entry(ui, path, EntryKind::Mention).await
}
