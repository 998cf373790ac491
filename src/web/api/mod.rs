//! The JSON API under `/api/v1` (API token or session; session requests send `X-CSRF-Token`).
//! The OpenAPI document is generated from the handlers' annotations.

pub mod imports;
pub mod incidents;
pub mod settings;
pub mod timeline;

use actix_web::HttpResponse;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Debrief API", description = "Post-incident review of crisis communication. All times are UTC."),
    paths(
        incidents::list, incidents::create, incidents::get, incidents::update, incidents::delete,
        timeline::list_events, timeline::create_event, timeline::update_event, timeline::delete_event,
        timeline::list_messages, timeline::create_message, timeline::update_message, timeline::delete_message,
        timeline::list_mentions, timeline::create_mention, timeline::update_mention, timeline::delete_mention,
        settings::audiences, settings::get, settings::put_policy, settings::me,
        imports::create, imports::export,
    ),
    components(schemas(crate::web::error::ApiErrorBody, crate::domain::validation::FieldError)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
