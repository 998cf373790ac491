//! Survey recipients of the organisation: who they are, which audience, opted out or not, and
//! deleting one with their personal data.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};

const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecipientFilter {
    audience: String,
    offset: i64,
}

pub async fn list(ui: Ui, q: web::Query<RecipientFilter>) -> Result<HttpResponse, AppError> {
    let f = q.into_inner();
    let offset = f.offset.max(0);
    let audience = f.audience.clone();
    let (rows, counts, audiences) = blocking(&ui.state, move |conn| {
        let keys = (!audience.is_empty()).then(|| vec![audience.clone()]);
        Ok::<_, AppError>((
            crate::db::recipients::list(conn, keys.as_deref(), PAGE + 1, offset)?,
            crate::db::recipients::counts_by_audience(conn)?,
            crate::db::audiences::list(conn)?,
        ))
    })
    .await?;
    let more = rows.len() as i64 > PAGE;
    let rows: Vec<_> = rows.into_iter().take(PAGE as usize).collect();
    let lang = ui.id.lang;
    let names: std::collections::BTreeMap<String, String> = audiences
        .iter()
        .map(|a| (a.key.clone(), a.name(lang).to_string()))
        .collect();
    let counts: Vec<minijinja::Value> = counts
        .iter()
        .map(|(k, total, out)| {
            let name = k.as_ref().and_then(|k| names.get(k).cloned());
            minijinja::context! { name => name, total => total, opted_out => out }
        })
        .collect();
    ui.render(
        "pages/recipients.html",
        minijinja::context! {
            recipients => rows, counts => counts, names => names, audience => f.audience,
            audience_options => audiences.iter().map(|a| (a.key.clone(), a.name(lang).to_string())).collect::<Vec<_>>(),
            previous_offset => (offset > 0).then(|| (offset - PAGE).max(0)),
            next_offset => more.then_some(offset + PAGE),
        },
    )
}

pub async fn delete(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = ui.id.actor();
    let deleted = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::surveys::manage::delete_recipient(conn, id, &actor)?)
    })
    .await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash(
        "/recipients",
        "success",
        "flash.recipient_deleted",
    ))
}
