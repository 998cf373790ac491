//! HTML pages. Handlers extract, authorise (done by the route table), call a service function and
//! render; they hold no business rules.

pub mod audit;
pub mod auth;
pub mod dashboard;
pub mod imports;
pub mod incidents;
pub mod profile;
pub mod settings;
pub mod timeline;
pub mod users;

use actix_web::HttpResponse;

use super::error::AppError;

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
