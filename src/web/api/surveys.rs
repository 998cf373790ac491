//! Surveys over the API: create from a preset, change settings and questions, add recipients,
//! send and remind, follow the progress, read the results, export the raw answers.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::db::recipients::RecipientView;
use crate::surveys::manage::{self, SendSummary};
use crate::surveys::model::{Question, QuestionInput, SurveyInput, SurveyTemplate};
use crate::surveys::results::FilterInput;
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody};

/// A survey as the API returns it (times in RFC 3339, UTC).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SurveyView {
    pub id: i64,
    pub incident: String,
    pub title_en: String,
    pub title_de: String,
    pub intro_en: String,
    pub intro_de: String,
    pub template: String,
    pub status: String,
    pub anonymous: bool,
    /// The public link, when the survey has one.
    pub open_link: Option<String>,
    pub default_locale: String,
    #[schema(format = DateTime)]
    pub opens_at: Option<String>,
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
    pub reminder_delay_hours: Option<i32>,
    pub max_reminders: i32,
    pub audiences: Vec<String>,
    pub questions: Vec<Question>,
}

fn view(
    state: &AppState,
    survey: crate::surveys::Survey,
    incident: String,
    questions: Vec<Question>,
) -> SurveyView {
    use crate::domain::time::format_rfc3339 as f;
    let open_link = survey.has_open_link.then(|| {
        format!(
            "{}/p/{}",
            state.config.base_url(),
            manage::open_link_token(&state.csrf_secret, &survey)
        )
    });
    SurveyView {
        id: survey.id,
        incident,
        title_en: survey.title_en,
        title_de: survey.title_de,
        intro_en: survey.intro_en,
        intro_de: survey.intro_de,
        template: survey.template.to_string(),
        status: survey.status.to_string(),
        anonymous: survey.anonymous,
        open_link,
        default_locale: survey.default_locale,
        opens_at: survey.opens_at.map(f),
        closes_at: survey.closes_at.map(f),
        reminder_delay_hours: survey.reminder_delay_hours,
        max_reminders: survey.max_reminders,
        audiences: survey.audiences,
        questions,
    }
}

async fn load_view(state: &web::Data<AppState>, id: i64) -> Result<SurveyView, ApiError> {
    let (survey, key, questions) = blocking(state, move |conn| {
        let survey = manage::get(conn, id)?;
        let key = crate::incidents::get_by_id(conn, survey.incident_id)?.key;
        let questions = crate::db::surveys::questions(conn, id)?;
        Ok::<_, ApiError>((survey, key, questions))
    })
    .await?;
    Ok(view(state, survey, key, questions))
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/surveys", tag = "surveys",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = Vec<SurveyView>), (status = 404, body = ApiErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let rows = blocking(&state, move |conn| {
        let incident = crate::incidents::get(conn, &key)?;
        let mut out = Vec::new();
        for s in crate::db::surveys::of_incident(conn, incident.id)? {
            let q = crate::db::surveys::questions(conn, s.id)?;
            out.push((s, q));
        }
        Ok::<_, ApiError>((incident.key, out))
    })
    .await?;
    let (key, rows) = rows;
    let views: Vec<SurveyView> = rows
        .into_iter()
        .map(|(s, q)| view(&state, s, key.clone(), q))
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateSurvey {
    #[schema(value_type = crate::surveys::model::SurveyTemplate)]
    pub template: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/surveys", tag = "surveys", request_body = CreateSurvey,
    params(("key" = String, Path, description = "incident key")),
    responses((status = 201, body = SurveyView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    id: Identity,
    key: web::Path<String>,
    body: web::Json<CreateSurvey>,
) -> Result<HttpResponse, ApiError> {
    let template: SurveyTemplate = body
        .template
        .parse()
        .map_err(|e| ApiError(crate::web::AppError::BadRequest(e)))?;
    let actor = id.actor();
    let key = key.into_inner();
    let survey = blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::create(conn, &key, template, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(load_view(&state, survey.id).await?))
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404, body = ApiErrorBody)))]
pub async fn get(state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load_view(&state, id.into_inner()).await?))
}

#[utoipa::path(put, path = "/api/v1/surveys/{id}", tag = "surveys", request_body = SurveyInput, params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
    body: web::Json<SurveyInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let input = body.into_inner();
    let secret = state.csrf_secret.clone();
    let actor = who.actor();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::update(conn, id, &input, &secret, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/surveys/{id}", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = who.actor();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::delete(conn, id, &actor)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/questions", tag = "surveys", request_body = QuestionInput, params(("id" = i64, Path)),
    responses((status = 201, body = SurveyView), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_question(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let input = body.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::add_question(conn, id, &input)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(load_view(&state, id).await?))
}

#[utoipa::path(put, path = "/api/v1/surveys/{id}/questions/{qid}", tag = "surveys", request_body = QuestionInput,
    params(("id" = i64, Path), ("qid" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_question(
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Json<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, qid) = path.into_inner();
    let input = body.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::update_question(conn, id, qid, &input)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/surveys/{id}/questions/{qid}", tag = "surveys",
    params(("id" = i64, Path), ("qid" = i64, Path)),
    responses((status = 204), (status = 409, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delete_question(
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, qid) = path.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::delete_question(conn, id, qid)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewRecipient {
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// Audience key, e.g. `employees`.
    pub audience: String,
    #[schema(value_type = crate::domain::incident::Language)]
    pub locale: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecipientAdded {
    /// False when the address was known (the recipient was merged).
    pub created: bool,
}

#[utoipa::path(post, path = "/api/v1/recipients", tag = "surveys", request_body = NewRecipient,
    responses((status = 200, body = RecipientAdded), (status = 422, body = ApiErrorBody)))]
pub async fn add_recipient(
    state: web::Data<AppState>,
    body: web::Json<NewRecipient>,
) -> Result<HttpResponse, ApiError> {
    let r = body.into_inner();
    let created = blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::add_recipient(
            conn,
            &r.email,
            &r.name,
            &r.audience,
            &r.locale,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RecipientAdded { created }))
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/send", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = SendSummary), (status = 409, body = ApiErrorBody)))]
pub async fn send(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let mail = state.mail_context();
    let actor = who.actor();
    let summary = blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::send(conn, id, &mail, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(summary))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Reminded {
    pub queued: usize,
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/remind", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = Reminded), (status = 404, body = ApiErrorBody)))]
pub async fn remind(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let mail = state.mail_context();
    let actor = who.actor();
    let queued = blocking(&state, move |conn| {
        let mut survey = manage::get(conn, id)?;
        survey.reminder_delay_hours = Some(0);
        survey.max_reminders = survey.max_reminders.max(1);
        Ok::<_, ApiError>(manage::remind(
            conn,
            &survey,
            &mail,
            crate::db::now(),
            &actor,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Reminded { queued }))
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/close", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404, body = ApiErrorBody)))]
pub async fn close(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = who.actor();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::close(conn, id, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, id).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SurveyStatusView {
    pub status: String,
    pub responses: i64,
    pub progress: crate::db::invitations::SendProgress,
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/status", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyStatusView), (status = 404, body = ApiErrorBody)))]
pub async fn status(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let editor = who.has(crate::domain::Role::Editor);
    let view = blocking(&state, move |conn| {
        let survey = manage::get(conn, id)?;
        Ok::<_, ApiError>(SurveyStatusView {
            status: survey.status.to_string(),
            responses: crate::db::responses::count(conn, id)?,
            progress: crate::db::invitations::progress(conn, id)?.shown_to(editor),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The results filter (the same as on the results page and for the export).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// Only this audience (key, one the survey asks).
    audience: Option<String>,
    /// Only answers given in this language.
    language: Option<crate::domain::incident::Language>,
    /// Answered on or after this day (in the organisation's time zone).
    from: Option<chrono::NaiveDate>,
    /// Answered on or before this day (in the organisation's time zone).
    to: Option<chrono::NaiveDate>,
    /// Only responses with a free-text answer of this tone, and of the free text only those.
    sentiment: Option<crate::text::Polarity>,
}

impl ResultsQuery {
    fn input(self) -> FilterInput {
        FilterInput {
            audience: self.audience.unwrap_or_default(),
            language: self.language.map(|l| l.to_string()).unwrap_or_default(),
            from: self.from.map(|d| d.to_string()).unwrap_or_default(),
            to: self.to.map(|d| d.to_string()).unwrap_or_default(),
            sentiment: self.sentiment.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys", params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, description = "response rates, distributions, perceived scores and free-text answers of the responses the filter keeps; an anonymous survey leaves out groups of fewer than three and gives no time with free text", body = Object),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn results(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
    q: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let input = q.into_inner().input();
    let editor = who
        .user
        .as_ref()
        .is_some_and(|u| u.role.includes(crate::domain::Role::Editor));
    let mut results = blocking(&state, move |conn| {
        let survey = manage::get(conn, id)?;
        let filter = manage::results_filter(conn, &survey, &input)?;
        Ok::<_, ApiError>(manage::results(conn, &survey, &filter)?.1)
    })
    .await?;
    // Viewers read aggregates (SPEC §1); the answers' own words are for the team.
    if !editor {
        results.texts.clear();
    }
    Ok(HttpResponse::Ok().json(results))
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/export.csv", tag = "surveys", params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, content_type = "text/csv", description = "one row per response the filter keeps, one column per question"),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "an anonymous survey with fewer than three matching responses: nothing is exported", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn export(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
    q: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = who.actor();
    let lang = who.lang;
    let input = q.into_inner().input();
    let bytes = blocking(&state, move |conn| {
        let survey = manage::get(conn, id)?;
        let filter = manage::results_filter(conn, &survey, &input)?;
        Ok::<_, ApiError>(crate::surveys::export::for_survey(
            conn, id, &filter, lang, &actor,
        )?)
    })
    .await?;
    Ok(crate::web::pages::surveys::csv_response(
        &format!("survey-{id}.csv"),
        bytes,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct QuestionOrder {
    /// Every question id of the survey, each once, in the new order.
    pub order: Vec<i64>,
}

#[utoipa::path(put, path = "/api/v1/surveys/{id}/questions/order", tag = "surveys", request_body = QuestionOrder,
    params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404, body = ApiErrorBody),
        (status = 409, description = "the survey has been sent; its questions are fixed", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn reorder_questions(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<QuestionOrder>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let order = body.into_inner().order;
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::reorder_questions(conn, id, &order)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, id).await?))
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/reopen", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404, body = ApiErrorBody),
        (status = 409, description = "the closing time has passed; set a later one first", body = ApiErrorBody)))]
pub async fn reopen(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = who.actor();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::reopen(conn, id, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, id).await?))
}

/// Which recipients to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecipientQuery {
    /// Only this audience (key).
    audience: Option<String>,
    /// At most this many (by address, up to 1000; 100 when absent).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u16>,
    /// Skip this many, for paging.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/recipients", tag = "surveys", params(RecipientQuery),
    responses((status = 200, body = Vec<RecipientView>), (status = 422, body = ApiErrorBody)))]
pub async fn list_recipients(
    state: web::Data<AppState>,
    q: web::Query<RecipientQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError(crate::web::AppError::Invalid(
            crate::domain::FieldErrors::single("limit", "enter between 1 and 1000"),
        )));
    }
    let offset = i64::from(q.offset.unwrap_or(0));
    let audience = q.audience.filter(|a| !a.trim().is_empty());
    let rows = blocking(&state, move |conn| {
        let keys = audience.map(|a| vec![a]);
        Ok::<_, ApiError>(crate::db::recipients::list(
            conn,
            keys.as_deref(),
            i64::from(limit),
            offset,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[utoipa::path(delete, path = "/api/v1/recipients/{id}", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 204, description = "the recipient and their personal data are gone; delivered invitations stay, naming no one"),
        (status = 404, body = ApiErrorBody)))]
pub async fn delete_recipient(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = who.actor();
    let deleted = blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::delete_recipient(conn, id, &actor)?)
    })
    .await?;
    if !deleted {
        return Err(ApiError(crate::web::AppError::NotFound));
    }
    Ok(HttpResponse::NoContent().finish())
}
