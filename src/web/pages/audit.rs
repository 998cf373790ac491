use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::db::audit::AuditFilter;
use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::ui::Ui;

const PAGE: i64 = 100;

#[derive(Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    before: Option<i64>,
}

pub async fn list(ui: Ui, q: web::Query<AuditQuery>) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let action = q.action.clone().filter(|a| !a.is_empty());
    let filter = AuditFilter {
        action: action.clone(),
        before_id: q.before,
        limit: PAGE,
    };
    let (entries, actions) = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>((
            crate::db::audit::list(conn, &filter)?,
            crate::db::audit::distinct_actions(conn)?,
        ))
    })
    .await?;
    let next_before = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    ui.render(
        "pages/audit.html",
        minijinja::context! { entries => entries, actions => actions, action => action.unwrap_or_default(), next_before => next_before },
    )
}
