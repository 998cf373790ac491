use actix_web::HttpResponse;

use crate::actions::{manage, metrics};
use crate::db::incidents::IncidentFilter;
use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};

pub async fn show(ui: Ui) -> Result<HttpResponse, AppError> {
    let (recent, counts, actions) = blocking(&ui.state, |conn| {
        let newest = IncidentFilter {
            limit: Some(8),
            ..Default::default()
        };
        let recent = crate::db::incidents::list(conn, &newest)?;
        let counts = crate::db::incidents::count_by_status(conn)?;
        let today = manage::today(conn)?;
        let all = manage::board(conn, &Default::default())?;
        Ok::<_, AppError>((recent, counts, metrics::counts(&all, today)))
    })
    .await?;
    let count = |s: &str| {
        counts
            .iter()
            .find(|(k, _)| k == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    ui.render(
        "pages/dashboard.html",
        minijinja::context! {
            recent => recent,
            total => counts.iter().map(|(_, n)| n).sum::<i64>(),
            open => count("open"),
            in_review => count("in_review"),
            closed => count("closed"),
            actions_open => actions.open + actions.in_progress,
            actions_overdue => actions.overdue,
        },
    )
}

/// Loads the two demo incidents (again: loading changes nothing the second time).
pub async fn load_demo(ui: Ui) -> Result<HttpResponse, AppError> {
    let actor = ui.id.actor();
    blocking(&ui.state, move |conn| {
        crate::demo::load(conn, &actor)?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(redirect_with_flash(
        "/incidents",
        "success",
        "flash.demo_loaded",
    ))
}
