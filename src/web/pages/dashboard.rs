use actix_web::HttpResponse;

use crate::db::incidents::IncidentFilter;
use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::ui::Ui;

pub async fn show(ui: Ui) -> Result<HttpResponse, AppError> {
    let (incidents, counts) = blocking(&ui.state, |conn| {
        let all = crate::db::incidents::list(conn, &IncidentFilter::default())?;
        let counts = crate::db::incidents::count_by_status(conn)?;
        Ok::<_, AppError>((all, counts))
    })
    .await?;
    let count = |s: &str| {
        counts
            .iter()
            .find(|(k, _)| k == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let recent: Vec<_> = incidents.iter().take(8).collect();
    ui.render(
        "pages/dashboard.html",
        minijinja::context! {
            recent => recent,
            total => incidents.len(),
            open => count("open"),
            in_review => count("in_review"),
            closed => count("closed"),
        },
    )
}
