use actix_web::HttpResponse;

use crate::db::incidents::IncidentFilter;
use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::ui::Ui;

pub async fn show(ui: Ui) -> Result<HttpResponse, AppError> {
    let (recent, counts) = blocking(&ui.state, |conn| {
        let newest = IncidentFilter {
            limit: Some(8),
            ..Default::default()
        };
        let recent = crate::db::incidents::list(conn, &newest)?;
        let counts = crate::db::incidents::count_by_status(conn)?;
        Ok::<_, AppError>((recent, counts))
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
        },
    )
}
