//! Timeline entries of an incident: events, messages, mentions. The three resources have the
//! same four operations, written once in `timeline_resource!`.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::app::AppState;
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::domain::{Event, Mention, Message};
use crate::incidents::{self, EntryKind};
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// List, create, update and delete handlers (with their OpenAPI annotations) for one kind of
/// timeline entry. Tokens, not fragments, so the OpenAPI attribute sees plain literals.
macro_rules! timeline_resource {
    (
        $field:ident, $collection:tt, $item:tt, $entry:ident, $input:ident, $kind:ident,
        $add:ident, $edit:ident, $list_fn:ident, $create_fn:ident, $update_fn:ident, $delete_fn:ident
    ) => {
        #[utoipa::path(get, path = $collection, tag = "timeline", params(("key" = String, Path)),
            responses((status = 200, body = Vec<$entry>), (status = 404, body = ApiErrorBody)))]
        pub async fn $list_fn(
            state: web::Data<AppState>,
            key: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            let key = key.into_inner();
            let tl = blocking(&state, move |conn| Ok::<_, ApiError>(incidents::timeline(conn, &key)?)).await?;
            Ok(HttpResponse::Ok().json(tl.$field))
        }

        #[utoipa::path(post, path = $collection, tag = "timeline", params(("key" = String, Path)), request_body = $input,
            responses((status = 201, body = Created), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
        pub async fn $create_fn(
            state: web::Data<AppState>,
            key: web::Path<String>,
            body: web::Json<$input>,
        ) -> Result<HttpResponse, ApiError> {
            let key = key.into_inner();
            let input = body.into_inner();
            let id = blocking(&state, move |conn| Ok::<_, ApiError>(incidents::$add(conn, &key, &input)?)).await?;
            Ok(HttpResponse::Created().json(Created { id }))
        }

        #[utoipa::path(put, path = $item, tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)), request_body = $input,
            responses((status = 204), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
        pub async fn $update_fn(
            state: web::Data<AppState>,
            path: web::Path<(String, i64)>,
            body: web::Json<$input>,
        ) -> Result<HttpResponse, ApiError> {
            let (key, id) = path.into_inner();
            let input = body.into_inner();
            blocking(&state, move |conn| Ok::<_, ApiError>(incidents::$edit(conn, &key, id, &input)?)).await?;
            Ok(HttpResponse::NoContent().finish())
        }

        #[utoipa::path(delete, path = $item, tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)),
            responses((status = 204), (status = 404, body = ApiErrorBody)))]
        pub async fn $delete_fn(
            state: web::Data<AppState>,
            path: web::Path<(String, i64)>,
        ) -> Result<HttpResponse, ApiError> {
            let (key, id) = path.into_inner();
            blocking(&state, move |conn| {
                Ok::<_, ApiError>(incidents::delete_entry(conn, &key, EntryKind::$kind, id)?)
            })
            .await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
}

timeline_resource!(
    events,
    "/api/v1/incidents/{key}/events",
    "/api/v1/incidents/{key}/events/{id}",
    Event,
    EventInput,
    Event,
    add_event,
    edit_event,
    list_events,
    create_event,
    update_event,
    delete_event
);
timeline_resource!(
    messages,
    "/api/v1/incidents/{key}/messages",
    "/api/v1/incidents/{key}/messages/{id}",
    Message,
    MessageInput,
    Message,
    add_message,
    edit_message,
    list_messages,
    create_message,
    update_message,
    delete_message
);
timeline_resource!(
    mentions,
    "/api/v1/incidents/{key}/mentions",
    "/api/v1/incidents/{key}/mentions/{id}",
    Mention,
    MentionInput,
    Mention,
    add_mention,
    edit_mention,
    list_mentions,
    create_mention,
    update_mention,
    delete_mention
);
