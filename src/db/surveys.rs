//! Surveys, their audiences and questions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audiences, questions, survey_audiences, surveys};
use super::{DbConn, StoreError, StoreResult, now};
use crate::surveys::model::{
    Question, QuestionDraft, Survey, SurveyInput, SurveyStatus, SurveyTemplate,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = surveys, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct SurveyRow {
    id: i64,
    incident_id: i64,
    title: String,
    title_de: String,
    intro_en: String,
    intro_de: String,
    template: String,
    status: String,
    anonymous: bool,
    open_link_token_hash: Option<String>,
    default_locale: String,
    opens_at: Option<NaiveDateTime>,
    closes_at: Option<NaiveDateTime>,
    reminder_delay_hours: Option<i32>,
    max_reminders: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn hydrate(conn: &mut DbConn, rows: Vec<SurveyRow>) -> StoreResult<Vec<Survey>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let with_keys = survey_audiences::table
        .inner_join(audiences::table)
        .order(audiences::position.asc())
        .select((survey_audiences::survey_id, audiences::key));
    // One survey (every visit to a survey link) asks with `=`, which diesel keeps prepared; an
    // `IN` list is prepared anew each time.
    let pairs: Vec<(i64, String)> = match ids.as_slice() {
        [id] => with_keys
            .filter(survey_audiences::survey_id.eq(*id))
            .load(conn)?,
        _ => with_keys
            .filter(survey_audiences::survey_id.eq_any(&ids))
            .load(conn)?,
    };
    rows.into_iter()
        .map(|r| {
            let corrupt = |e: String| StoreError::Corrupt(format!("survey {}: {e}", r.id));
            Ok(Survey {
                id: r.id,
                incident_id: r.incident_id,
                template: r.template.parse().map_err(corrupt)?,
                status: r.status.parse().map_err(corrupt)?,
                audiences: pairs
                    .iter()
                    .filter(|(id, _)| *id == r.id)
                    .map(|(_, k)| k.clone())
                    .collect(),
                title_en: r.title,
                title_de: r.title_de,
                intro_en: r.intro_en,
                intro_de: r.intro_de,
                anonymous: r.anonymous,
                has_open_link: r.open_link_token_hash.is_some(),
                default_locale: r.default_locale,
                opens_at: r.opens_at,
                closes_at: r.closes_at,
                reminder_delay_hours: r.reminder_delay_hours,
                max_reminders: r.max_reminders,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

pub fn find(conn: &mut DbConn, id: i64) -> StoreResult<Option<Survey>> {
    let rows = surveys::table
        .find(id)
        .select(SurveyRow::as_select())
        .load(conn)?;
    Ok(hydrate(conn, rows)?.pop())
}

pub fn find_by_open_link(conn: &mut DbConn, token_hash: &str) -> StoreResult<Option<Survey>> {
    let rows = surveys::table
        .filter(surveys::open_link_token_hash.eq(token_hash))
        .select(SurveyRow::as_select())
        .load(conn)?;
    Ok(hydrate(conn, rows)?.pop())
}

pub fn of_incident(conn: &mut DbConn, incident_id: i64) -> StoreResult<Vec<Survey>> {
    let rows = surveys::table
        .filter(surveys::incident_id.eq(incident_id))
        .order(surveys::id.asc())
        .select(SurveyRow::as_select())
        .load(conn)?;
    hydrate(conn, rows)
}

/// Surveys that are open now, for the reminder and auto-close sweep.
pub fn open(conn: &mut DbConn) -> StoreResult<Vec<Survey>> {
    let rows = surveys::table
        .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
        .order(surveys::id.asc())
        .select(SurveyRow::as_select())
        .load(conn)?;
    hydrate(conn, rows)
}

fn set_audiences(conn: &mut DbConn, survey_id: i64, keys: &[String]) -> StoreResult<()> {
    diesel::delete(survey_audiences::table.filter(survey_audiences::survey_id.eq(survey_id)))
        .execute(conn)?;
    for audience_id in super::audiences::ids_for_keys(conn, keys)? {
        diesel::insert_into(survey_audiences::table)
            .values((
                survey_audiences::survey_id.eq(survey_id),
                survey_audiences::audience_id.eq(audience_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(
    conn: &mut DbConn,
    incident_id: i64,
    input: &SurveyInput,
    template: SurveyTemplate,
    open_link_hash: Option<&str>,
    created_by: Option<i64>,
) -> StoreResult<i64> {
    let t = now();
    let id = diesel::insert_into(surveys::table)
        .values((
            surveys::incident_id.eq(incident_id),
            surveys::title.eq(&input.title_en),
            surveys::title_de.eq(&input.title_de),
            surveys::intro_en.eq(&input.intro_en),
            surveys::intro_de.eq(&input.intro_de),
            surveys::template.eq(template.as_str()),
            surveys::status.eq(SurveyStatus::Draft.as_str()),
            surveys::anonymous.eq(input.anonymous),
            surveys::open_link_token_hash.eq(open_link_hash),
            surveys::default_locale.eq(&input.default_locale),
            surveys::opens_at.eq(input.opens_at),
            surveys::closes_at.eq(input.closes_at),
            surveys::reminder_delay_hours.eq(input.reminder_delay_hours),
            surveys::max_reminders.eq(input.max_reminders),
            surveys::created_by.eq(created_by),
            surveys::created_at.eq(t),
            surveys::updated_at.eq(t),
        ))
        .returning(surveys::id)
        .get_result(conn)?;
    set_audiences(conn, id, &input.audiences)?;
    Ok(id)
}

/// Changes the settings; `anonymous` is left alone once answers exist (the caller checks).
pub fn update(conn: &mut DbConn, id: i64, input: &SurveyInput) -> StoreResult<()> {
    diesel::update(surveys::table.find(id))
        .set((
            surveys::title.eq(&input.title_en),
            surveys::title_de.eq(&input.title_de),
            surveys::intro_en.eq(&input.intro_en),
            surveys::intro_de.eq(&input.intro_de),
            surveys::anonymous.eq(input.anonymous),
            surveys::default_locale.eq(&input.default_locale),
            surveys::opens_at.eq(input.opens_at),
            surveys::closes_at.eq(input.closes_at),
            surveys::reminder_delay_hours.eq(input.reminder_delay_hours),
            surveys::max_reminders.eq(input.max_reminders),
            surveys::updated_at.eq(now()),
        ))
        .execute(conn)?;
    set_audiences(conn, id, &input.audiences)
}

pub fn set_open_link(conn: &mut DbConn, id: i64, token_hash: Option<&str>) -> StoreResult<()> {
    diesel::update(surveys::table.find(id))
        .set((
            surveys::open_link_token_hash.eq(token_hash),
            surveys::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(conn: &mut DbConn, id: i64, status: SurveyStatus) -> StoreResult<()> {
    diesel::update(surveys::table.find(id))
        .set((
            surveys::status.eq(status.as_str()),
            surveys::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(surveys::table.find(id)).execute(conn)?)
}

// --- questions --------------------------------------------------------------------------------

#[derive(Queryable, Selectable)]
#[diesel(table_name = questions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct QuestionRow {
    id: i64,
    survey_id: i64,
    position: i32,
    qtype: String,
    code: Option<String>,
    required: bool,
    text_en: String,
    text_de: String,
    options: String,
}

impl QuestionRow {
    fn into_question(self) -> StoreResult<Question> {
        let corrupt = |e: String| StoreError::Corrupt(format!("question {}: {e}", self.id));
        Ok(Question {
            id: self.id,
            survey_id: self.survey_id,
            position: self.position,
            qtype: self.qtype.parse().map_err(corrupt)?,
            code: self.code,
            required: self.required,
            text_en: self.text_en,
            text_de: self.text_de,
            options: serde_json::from_str(&self.options).map_err(|e| corrupt(e.to_string()))?,
        })
    }
}

pub fn questions(conn: &mut DbConn, survey_id: i64) -> StoreResult<Vec<Question>> {
    questions::table
        .filter(questions::survey_id.eq(survey_id))
        .order((questions::position.asc(), questions::id.asc()))
        .select(QuestionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(QuestionRow::into_question)
        .collect()
}

fn options_json(draft: &QuestionDraft) -> String {
    serde_json::to_string(&draft.options).unwrap_or_else(|_| "[]".into())
}

pub fn insert_question(
    conn: &mut DbConn,
    survey_id: i64,
    draft: &QuestionDraft,
) -> StoreResult<i64> {
    let last: Option<i32> = questions::table
        .filter(questions::survey_id.eq(survey_id))
        .select(diesel::dsl::max(questions::position))
        .first(conn)?;
    Ok(diesel::insert_into(questions::table)
        .values((
            questions::survey_id.eq(survey_id),
            questions::position.eq(last.unwrap_or(0) + 1),
            questions::qtype.eq(draft.qtype.as_str()),
            questions::code.eq(&draft.code),
            questions::required.eq(draft.required),
            questions::text_en.eq(&draft.text_en),
            questions::text_de.eq(&draft.text_de),
            questions::options.eq(options_json(draft)),
        ))
        .returning(questions::id)
        .get_result(conn)?)
}

pub fn update_question(
    conn: &mut DbConn,
    survey_id: i64,
    id: i64,
    draft: &QuestionDraft,
) -> StoreResult<usize> {
    Ok(diesel::update(
        questions::table
            .filter(questions::id.eq(id))
            .filter(questions::survey_id.eq(survey_id)),
    )
    .set((
        questions::qtype.eq(draft.qtype.as_str()),
        questions::code.eq(&draft.code),
        questions::required.eq(draft.required),
        questions::text_en.eq(&draft.text_en),
        questions::text_de.eq(&draft.text_de),
        questions::options.eq(options_json(draft)),
    ))
    .execute(conn)?)
}

pub fn delete_question(conn: &mut DbConn, survey_id: i64, id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(
        questions::table
            .filter(questions::id.eq(id))
            .filter(questions::survey_id.eq(survey_id)),
    )
    .execute(conn)?)
}

/// Moves a question one place up (`-1`) or down (`+1`) by swapping with its neighbour.
/// Numbers the survey's questions 1..n in the order of `ids` (checked by the caller).
pub fn set_order(conn: &mut DbConn, survey_id: i64, ids: &[i64]) -> StoreResult<()> {
    for (n, id) in ids.iter().enumerate() {
        diesel::update(
            questions::table
                .find(id)
                .filter(questions::survey_id.eq(survey_id)),
        )
        .set(questions::position.eq(n as i32 + 1))
        .execute(conn)?;
    }
    Ok(())
}

pub fn move_question(conn: &mut DbConn, survey_id: i64, id: i64, step: i32) -> StoreResult<bool> {
    let list = questions(conn, survey_id)?;
    let Some(i) = list.iter().position(|q| q.id == id) else {
        return Ok(false);
    };
    let j = i as i64 + i64::from(step.signum());
    let Some(other) = usize::try_from(j).ok().and_then(|j| list.get(j)) else {
        return Ok(false);
    };
    // Positions are renumbered 1..n first, so equal or sparse positions still swap cleanly.
    for (n, q) in list.iter().enumerate() {
        diesel::update(questions::table.find(q.id))
            .set(questions::position.eq(n as i32 + 1))
            .execute(conn)?;
    }
    let (a, b) = (i as i32 + 1, j as i32 + 1);
    diesel::update(questions::table.find(id))
        .set(questions::position.eq(b))
        .execute(conn)?;
    diesel::update(questions::table.find(other.id))
        .set(questions::position.eq(a))
        .execute(conn)?;
    Ok(true)
}
