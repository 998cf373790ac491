//! Who takes part in a review, their personal contribution links (hashed) and what they
//! contributed before the meeting.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{review_contributions, review_participants, users};
use super::{DbConn, StoreError, StoreResult, now};
use crate::reviews::model::{Contribution, ContributionInput, Participant, ParticipantRole};

type ParticipantRow = (
    i64,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    NaiveDateTime,
);

fn participant(row: ParticipantRow) -> StoreResult<Participant> {
    let (id, user_id, name, email, user_email, role, token_hash, created_at) = row;
    Ok(Participant {
        id,
        user_id,
        name,
        // An account's address is the account's current one.
        email: user_email.or(email),
        role: role
            .parse::<ParticipantRole>()
            .map_err(|e| StoreError::Corrupt(format!("participant {id}: {e}")))?,
        has_link: token_hash.is_some(),
        created_at,
    })
}

macro_rules! participant_query {
    () => {
        review_participants::table.left_join(users::table).select((
            review_participants::id,
            review_participants::user_id,
            review_participants::name,
            review_participants::email,
            users::email.nullable(),
            review_participants::role,
            review_participants::token_hash,
            review_participants::created_at,
        ))
    };
}

pub fn participants(conn: &mut DbConn, review_id: i64) -> StoreResult<Vec<Participant>> {
    let rows: Vec<ParticipantRow> = participant_query!()
        .filter(review_participants::review_id.eq(review_id))
        .order(review_participants::id.asc())
        .load(conn)?;
    rows.into_iter().map(participant).collect()
}

/// The participant with this id in this review.
pub fn participant_in(
    conn: &mut DbConn,
    review_id: i64,
    id: i64,
) -> StoreResult<Option<Participant>> {
    let row: Option<ParticipantRow> = participant_query!()
        .filter(review_participants::review_id.eq(review_id))
        .filter(review_participants::id.eq(id))
        .first(conn)
        .optional()?;
    row.map(participant).transpose()
}

pub fn participant_for_user(
    conn: &mut DbConn,
    review_id: i64,
    user_id: i64,
) -> StoreResult<Option<Participant>> {
    let row: Option<ParticipantRow> = participant_query!()
        .filter(review_participants::review_id.eq(review_id))
        .filter(review_participants::user_id.eq(user_id))
        .first(conn)
        .optional()?;
    row.map(participant).transpose()
}

/// The participant a contribution link belongs to, and their review.
pub fn participant_by_token(
    conn: &mut DbConn,
    token_hash: &str,
) -> StoreResult<Option<(i64, Participant)>> {
    let review_id: Option<i64> = review_participants::table
        .filter(review_participants::token_hash.eq(token_hash))
        .select(review_participants::review_id)
        .first(conn)
        .optional()?;
    let Some(review_id) = review_id else {
        return Ok(None);
    };
    let row: Option<ParticipantRow> = participant_query!()
        .filter(review_participants::token_hash.eq(token_hash))
        .first(conn)
        .optional()?;
    Ok(row.map(participant).transpose()?.map(|p| (review_id, p)))
}

pub struct NewParticipant<'a> {
    pub review_id: i64,
    pub user_id: Option<i64>,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub role: ParticipantRole,
}

pub fn insert_participant(conn: &mut DbConn, p: &NewParticipant) -> StoreResult<i64> {
    Ok(diesel::insert_into(review_participants::table)
        .values((
            review_participants::review_id.eq(p.review_id),
            review_participants::user_id.eq(p.user_id),
            review_participants::name.eq(p.name),
            review_participants::email.eq(p.email),
            review_participants::role.eq(p.role.as_str()),
            review_participants::created_at.eq(now()),
        ))
        .returning(review_participants::id)
        .get_result(conn)?)
}

pub fn set_role(conn: &mut DbConn, id: i64, role: ParticipantRole) -> StoreResult<()> {
    diesel::update(review_participants::table.find(id))
        .set(review_participants::role.eq(role.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Every participant of the review with this role gets `participant` instead.
pub fn clear_role(conn: &mut DbConn, review_id: i64, role: ParticipantRole) -> StoreResult<()> {
    diesel::update(
        review_participants::table
            .filter(review_participants::review_id.eq(review_id))
            .filter(review_participants::role.eq(role.as_str())),
    )
    .set(review_participants::role.eq(ParticipantRole::Participant.as_str()))
    .execute(conn)?;
    Ok(())
}

/// A new link replaces the old one: only the newest mail's link works.
pub fn set_token(conn: &mut DbConn, id: i64, token_hash: &str) -> StoreResult<()> {
    diesel::update(review_participants::table.find(id))
        .set(review_participants::token_hash.eq(token_hash))
        .execute(conn)?;
    Ok(())
}

pub fn delete_participant(conn: &mut DbConn, review_id: i64, id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(
        review_participants::table
            .filter(review_participants::review_id.eq(review_id))
            .filter(review_participants::id.eq(id)),
    )
    .execute(conn)?)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = review_contributions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct ContributionRow {
    id: i64,
    participant_id: i64,
    went_well: String,
    went_badly: String,
    should_change: String,
    submitted_at: NaiveDateTime,
    merged_at: Option<NaiveDateTime>,
}

impl From<ContributionRow> for Contribution {
    fn from(r: ContributionRow) -> Self {
        Contribution {
            id: r.id,
            participant_id: r.participant_id,
            went_well: r.went_well,
            went_badly: r.went_badly,
            should_change: r.should_change,
            submitted_at: r.submitted_at,
            merged_at: r.merged_at,
        }
    }
}

pub fn contributions(conn: &mut DbConn, review_id: i64) -> StoreResult<Vec<Contribution>> {
    Ok(review_contributions::table
        .filter(review_contributions::review_id.eq(review_id))
        .order(review_contributions::submitted_at.asc())
        .select(ContributionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Contribution::from)
        .collect())
}

pub fn contribution_of(
    conn: &mut DbConn,
    participant_id: i64,
) -> StoreResult<Option<Contribution>> {
    Ok(review_contributions::table
        .filter(review_contributions::participant_id.eq(participant_id))
        .select(ContributionRow::as_select())
        .first(conn)
        .optional()?
        .map(Contribution::from))
}

/// Stores a participant's answers; answering again replaces them and marks them as not merged.
/// Run it in a write transaction.
pub fn save_contribution(
    conn: &mut DbConn,
    review_id: i64,
    participant_id: i64,
    c: &ContributionInput,
) -> StoreResult<()> {
    let t = now();
    let updated = diesel::update(
        review_contributions::table.filter(review_contributions::participant_id.eq(participant_id)),
    )
    .set((
        review_contributions::went_well.eq(&c.went_well),
        review_contributions::went_badly.eq(&c.went_badly),
        review_contributions::should_change.eq(&c.should_change),
        review_contributions::submitted_at.eq(t),
        review_contributions::merged_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(review_contributions::table)
            .values((
                review_contributions::review_id.eq(review_id),
                review_contributions::participant_id.eq(participant_id),
                review_contributions::went_well.eq(&c.went_well),
                review_contributions::went_badly.eq(&c.went_badly),
                review_contributions::should_change.eq(&c.should_change),
                review_contributions::submitted_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn mark_merged(conn: &mut DbConn, ids: &[i64]) -> StoreResult<()> {
    diesel::update(review_contributions::table.filter(review_contributions::id.eq_any(ids)))
        .set(review_contributions::merged_at.eq(now()))
        .execute(conn)?;
    Ok(())
}
