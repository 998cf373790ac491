//! HTML pages. Handlers extract, authorise (done by the route table), call a service function and
//! render; they hold no business rules.

pub mod actions;
pub mod audit;
pub mod auth;
pub mod contribute;
pub mod dashboard;
pub mod imports;
pub mod incidents;
pub mod profile;
pub mod recipients;
pub mod reports;
pub mod respond;
pub mod review_people;
pub mod reviews;
pub mod scores;
pub mod settings;
pub mod surveys;
pub mod timeline;
pub mod users;

use actix_web::HttpResponse;

use super::error::AppError;

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
