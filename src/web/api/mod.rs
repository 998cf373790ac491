//! The JSON API under `/api/v1` (API token or session; session requests send `X-CSRF-Token`).
//! The OpenAPI document is generated from the handlers' annotations.

pub mod actions;
pub mod imports;
pub mod incidents;
pub mod reviews;
pub mod scores;
pub mod settings;
pub mod surveys;
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
        settings::audiences, settings::get, settings::put_policy, settings::get_rubrics, settings::put_rubrics, settings::me,
        imports::create, imports::export,
        surveys::list, surveys::create, surveys::get, surveys::update, surveys::delete,
        surveys::add_question, surveys::update_question, surveys::delete_question,
        surveys::reorder_questions, surveys::add_recipient, surveys::list_recipients,
        surveys::delete_recipient, surveys::send, surveys::remind, surveys::close, surveys::reopen,
        surveys::status, surveys::results, surveys::export,
        scores::get, scores::analyze, scores::report,
        reviews::get, reviews::create, reviews::put_section, reviews::regenerate, reviews::set_status,
        reviews::reopen, reviews::history, reviews::contributions, reviews::contribute, reviews::merge,
        reviews::add_participant, reviews::pin, reviews::make_action,
        actions::list, actions::metrics, actions::export, actions::get, actions::create, actions::update,
        actions::change_status, actions::delete,
    ),
    components(schemas(crate::web::error::ApiErrorBody, crate::domain::validation::FieldError)),
    modifiers(&BearerAuth, &CommonResponses),
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

/// Answers every operation can give besides its own, documented once.
struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ApiErrorBody")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let mut common = vec![
                    (
                        "400",
                        "Malformed request: the JSON body or a query parameter",
                    ),
                    ("401", "No valid API token or session"),
                    (
                        "403",
                        "Your role may not do this (with a session: the X-CSRF-Token header is missing or wrong)",
                    ),
                    ("503", "The database is unreachable; try again in a moment"),
                ];
                if path.contains('{') {
                    common.push(("404", "Nothing with this key or id"));
                }
                let has_query =
                    operation.parameters.iter().flatten().any(|p| {
                        matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)
                    });
                if operation.request_body.is_some() || has_query {
                    common.push(("422", "Invalid input: every field at fault and why"));
                }
                for (code, description) in common {
                    operation
                        .responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(|| error(description).into());
                }
            }
        }
    }
}

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
