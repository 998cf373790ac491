//! Survey responses and their answers.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{answers, audiences, invitations, questions, recipients, responses};
use super::{DbConn, StoreResult, now};
use crate::surveys::answers::{from_columns, to_columns};
use crate::surveys::model::{AnswerValue, Question, QuestionType};
use crate::surveys::results::ResponseRecord;

/// How a response is found again when its respondent comes back to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Respondent {
    /// A personal link of a survey that is not anonymous: the response names its invitation.
    Invitation(i64),
    /// An anonymous personal link or the open link: a hash only the respondent can reproduce
    /// (from their link or their browser's key), which no column ties to a recipient.
    Key(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    pub id: i64,
    pub locale: String,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub answers: BTreeMap<i64, AnswerValue>,
}

fn find_id(
    conn: &mut DbConn,
    survey_id: i64,
    who: &Respondent,
) -> StoreResult<Option<(i64, String, NaiveDateTime, NaiveDateTime)>> {
    let columns = (
        responses::id,
        responses::locale,
        responses::submitted_at,
        responses::updated_at,
    );
    let of_survey = responses::table.filter(responses::survey_id.eq(survey_id));
    // Two plain queries rather than one boxed: diesel keeps only unboxed ones prepared, and
    // every visit to a survey link runs this.
    Ok(match who {
        Respondent::Invitation(id) => of_survey
            .filter(responses::invitation_id.eq(*id))
            .select(columns)
            .first(conn)
            .optional()?,
        Respondent::Key(k) => of_survey
            .filter(responses::browser_key_hash.eq(k.as_str()))
            .select(columns)
            .first(conn)
            .optional()?,
    })
}

#[derive(Queryable)]
struct AnswerRow {
    response_id: i64,
    question_id: i64,
    qtype: String,
    number: Option<f64>,
    text: Option<String>,
    choices: Option<String>,
}

impl AnswerRow {
    fn answer(self) -> Option<(i64, i64, AnswerValue)> {
        let qtype: QuestionType = self.qtype.parse().ok()?;
        let a = from_columns(qtype, self.number, self.text, self.choices)?;
        Some((self.response_id, self.question_id, a))
    }
}

/// (response id, question id, answer) of the responses.
fn load_answers(
    conn: &mut DbConn,
    response_ids: &[i64],
) -> StoreResult<Vec<(i64, i64, AnswerValue)>> {
    let with_types = answers::table.inner_join(questions::table).select((
        answers::response_id,
        answers::question_id,
        questions::qtype,
        answers::value_number,
        answers::value_text,
        answers::value_choices,
    ));
    // One response (every visit to a survey link) asks with `=`, which diesel keeps prepared; an
    // `IN` list is prepared anew each time.
    let rows: Vec<AnswerRow> = match response_ids {
        [id] => with_types.filter(answers::response_id.eq(*id)).load(conn)?,
        _ => with_types
            .filter(answers::response_id.eq_any(response_ids))
            .load(conn)?,
    };
    Ok(rows.into_iter().filter_map(AnswerRow::answer).collect())
}

pub fn find(
    conn: &mut DbConn,
    survey_id: i64,
    who: &Respondent,
) -> StoreResult<Option<StoredResponse>> {
    let Some((id, locale, submitted_at, updated_at)) = find_id(conn, survey_id, who)? else {
        return Ok(None);
    };
    let answers = load_answers(conn, &[id])?
        .into_iter()
        .map(|(_, qid, a)| (qid, a))
        .collect();
    Ok(Some(StoredResponse {
        id,
        locale,
        submitted_at,
        updated_at,
        answers,
    }))
}

/// What a submission stores.
pub struct NewResponse<'a> {
    pub survey_id: i64,
    pub who: Respondent,
    pub audience_id: Option<i64>,
    pub locale: &'a str,
    pub answers: &'a BTreeMap<i64, AnswerValue>,
}

/// Stores a response, or replaces the answers of the respondent's earlier one. Returns the
/// response id and whether it is new. Run it in a write transaction.
pub fn save(conn: &mut DbConn, r: &NewResponse) -> StoreResult<(i64, bool)> {
    let t = now();
    let (id, created) = match find_id(conn, r.survey_id, &r.who)? {
        Some((id, ..)) => {
            diesel::update(responses::table.find(id))
                .set((responses::updated_at.eq(t), responses::locale.eq(r.locale)))
                .execute(conn)?;
            diesel::delete(answers::table.filter(answers::response_id.eq(id))).execute(conn)?;
            (id, false)
        }
        None => {
            let (invitation_id, key) = match &r.who {
                Respondent::Invitation(i) => (Some(*i), None),
                Respondent::Key(k) => (None, Some(k.as_str())),
            };
            let id: i64 = diesel::insert_into(responses::table)
                .values((
                    responses::survey_id.eq(r.survey_id),
                    responses::invitation_id.eq(invitation_id),
                    responses::audience_id.eq(r.audience_id),
                    responses::locale.eq(r.locale),
                    responses::browser_key_hash.eq(key),
                    responses::submitted_at.eq(t),
                    responses::updated_at.eq(t),
                ))
                .returning(responses::id)
                .get_result(conn)?;
            (id, true)
        }
    };
    // One statement for all answers: this runs while the database's write lock is held.
    let rows: Vec<_> = r
        .answers
        .iter()
        .map(|(question_id, value)| {
            let (number, text, choices) = to_columns(value);
            (
                answers::response_id.eq(id),
                answers::question_id.eq(*question_id),
                answers::value_number.eq(number),
                answers::value_text.eq(text),
                answers::value_choices.eq(choices),
            )
        })
        .collect();
    // Multi-row inserts are only built for a concrete backend, not through `DbConn`.
    if !rows.is_empty() {
        let insert = diesel::insert_into(answers::table).values(rows);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok((id, created))
}

pub fn count(conn: &mut DbConn, survey_id: i64) -> StoreResult<i64> {
    Ok(responses::table
        .filter(responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)?)
}

/// Every response of a survey with its answers, for the results.
pub fn all(conn: &mut DbConn, survey_id: i64) -> StoreResult<Vec<ResponseRecord>> {
    Ok(all_with_ids(conn, survey_id)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

fn all_with_ids(conn: &mut DbConn, survey_id: i64) -> StoreResult<Vec<(i64, ResponseRecord)>> {
    let rows: Vec<(i64, Option<String>, String, NaiveDateTime)> = responses::table
        .left_join(audiences::table)
        .filter(responses::survey_id.eq(survey_id))
        .order(responses::id.asc())
        .select((
            responses::id,
            audiences::key.nullable(),
            responses::locale,
            responses::submitted_at,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut by_response: BTreeMap<i64, BTreeMap<i64, AnswerValue>> = BTreeMap::new();
    // Loaded in chunks: a survey after a large outage has thousands of responses, and a query
    // may only bind so many ids.
    for chunk in ids.chunks(5000) {
        for (rid, qid, a) in load_answers(conn, chunk)? {
            by_response.entry(rid).or_default().insert(qid, a);
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, audience, locale, submitted_at)| {
            (
                id,
                ResponseRecord {
                    audience,
                    locale,
                    submitted_at,
                    answers: by_response.remove(&id).unwrap_or_default(),
                },
            )
        })
        .collect())
}

/// One row of the raw-answers export.
#[derive(Debug, Clone)]
pub struct ExportRow {
    /// A running number, not the database id.
    pub number: usize,
    /// Only for surveys that are not anonymous.
    pub email: Option<String>,
    pub record: ResponseRecord,
}

/// The raw answers. For anonymous surveys nothing that could name a respondent is read at all.
pub fn export(conn: &mut DbConn, survey_id: i64, anonymous: bool) -> StoreResult<Vec<ExportRow>> {
    let mut emails: BTreeMap<i64, String> = BTreeMap::new();
    if !anonymous {
        let rows: Vec<(i64, Option<String>)> = responses::table
            .inner_join(invitations::table.left_join(recipients::table))
            .filter(responses::survey_id.eq(survey_id))
            .select((responses::id, recipients::email.nullable()))
            .load(conn)?;
        emails.extend(rows.into_iter().filter_map(|(id, e)| e.map(|e| (id, e))));
    }
    Ok(all_with_ids(conn, survey_id)?
        .into_iter()
        .enumerate()
        .map(|(i, (id, record))| ExportRow {
            number: i + 1,
            email: emails.remove(&id),
            record,
        })
        .collect())
}

/// Questions with answers cannot change type; the builder asks before it allows that.
pub fn answered_questions(conn: &mut DbConn, questions: &[Question]) -> StoreResult<Vec<i64>> {
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    Ok(answers::table
        .filter(answers::question_id.eq_any(&ids))
        .select(answers::question_id)
        .distinct()
        .load(conn)?)
}
