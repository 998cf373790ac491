//! Reviews, their sections with the edit history, and the findings pinned into them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    audiences, improvement_actions, review_pins, review_section_history, review_sections, reviews,
    users,
};
use super::{DbConn, StoreError, StoreResult, now};
use crate::reviews::model::{Pin, Review, ReviewStatus, Section, SectionEdit, SectionKey};

#[derive(Queryable, Selectable)]
#[diesel(table_name = reviews, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct ReviewRow {
    id: i64,
    incident_id: i64,
    status: String,
    facilitator_id: Option<i64>,
    meeting_at: Option<NaiveDateTime>,
    published_at: Option<NaiveDateTime>,
    published_by: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl ReviewRow {
    fn into_review(self) -> StoreResult<Review> {
        Ok(Review {
            status: self
                .status
                .parse::<ReviewStatus>()
                .map_err(|e| StoreError::Corrupt(format!("review {}: {e}", self.id)))?,
            id: self.id,
            incident_id: self.incident_id,
            facilitator_id: self.facilitator_id,
            meeting_at: self.meeting_at,
            published_at: self.published_at,
            published_by: self.published_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

pub fn of_incident(conn: &mut DbConn, incident_id: i64) -> StoreResult<Option<Review>> {
    reviews::table
        .filter(reviews::incident_id.eq(incident_id))
        .select(ReviewRow::as_select())
        .first(conn)
        .optional()?
        .map(ReviewRow::into_review)
        .transpose()
}

pub fn find(conn: &mut DbConn, id: i64) -> StoreResult<Option<Review>> {
    reviews::table
        .find(id)
        .select(ReviewRow::as_select())
        .first(conn)
        .optional()?
        .map(ReviewRow::into_review)
        .transpose()
}

/// The review, its row locked until the transaction ends, so that its status read here still holds
/// at the commit. The no-op update takes the row lock on PostgreSQL (diesel's `FOR UPDATE` does
/// not exist for SQLite); on SQLite the write transaction holds the whole database already.
pub fn lock(conn: &mut DbConn, id: i64) -> StoreResult<Option<Review>> {
    diesel::update(reviews::table.find(id))
        .set(reviews::id.eq(reviews::id))
        .execute(conn)?;
    find(conn, id)
}

/// The reviews of these incidents, for lists (incident id → status).
pub fn statuses(conn: &mut DbConn, incident_ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
    Ok(reviews::table
        .filter(reviews::incident_id.eq_any(incident_ids))
        .select((reviews::incident_id, reviews::status))
        .load(conn)?)
}

pub fn insert(
    conn: &mut DbConn,
    incident_id: i64,
    facilitator_id: Option<i64>,
) -> StoreResult<i64> {
    let t = now();
    Ok(diesel::insert_into(reviews::table)
        .values((
            reviews::incident_id.eq(incident_id),
            reviews::status.eq(ReviewStatus::Draft.as_str()),
            reviews::facilitator_id.eq(facilitator_id),
            reviews::created_at.eq(t),
            reviews::updated_at.eq(t),
        ))
        .returning(reviews::id)
        .get_result(conn)?)
}

/// Moves the review to `status`; publishing records who and when, anything else clears it.
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    status: ReviewStatus,
    by: Option<i64>,
) -> StoreResult<()> {
    let t = now();
    let (at, who) = if status == ReviewStatus::Published {
        (Some(t), by)
    } else {
        (None, None)
    };
    diesel::update(reviews::table.find(id))
        .set((
            reviews::status.eq(status.as_str()),
            reviews::published_at.eq(at),
            reviews::published_by.eq(who),
            reviews::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_meeting(
    conn: &mut DbConn,
    id: i64,
    facilitator_id: Option<i64>,
    meeting_at: Option<NaiveDateTime>,
) -> StoreResult<()> {
    diesel::update(reviews::table.find(id))
        .set((
            reviews::facilitator_id.eq(facilitator_id),
            reviews::meeting_at.eq(meeting_at),
            reviews::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn touch(conn: &mut DbConn, id: i64) -> StoreResult<()> {
    diesel::update(reviews::table.find(id))
        .set(reviews::updated_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = review_sections, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct SectionRow {
    id: i64,
    section_key: String,
    auto_content: Option<String>,
    auto_generated_at: Option<NaiveDateTime>,
    team_content: String,
    updated_by: Option<i64>,
    updated_at: NaiveDateTime,
}

/// The sections in the order of [`SectionKey::ALL`]; keys the code no longer knows are skipped.
pub fn sections(conn: &mut DbConn, review_id: i64) -> StoreResult<Vec<Section>> {
    let rows: Vec<SectionRow> = review_sections::table
        .filter(review_sections::review_id.eq(review_id))
        .select(SectionRow::as_select())
        .load(conn)?;
    let mut out: Vec<Section> = rows
        .into_iter()
        .filter_map(|r| {
            Some(Section {
                key: r.section_key.parse::<SectionKey>().ok()?,
                id: r.id,
                auto_content: r.auto_content,
                auto_generated_at: r.auto_generated_at,
                team_content: r.team_content,
                updated_by: r.updated_by,
                updated_at: r.updated_at,
            })
        })
        .collect();
    out.sort_by_key(|s| SectionKey::ALL.iter().position(|k| *k == s.key));
    Ok(out)
}

pub fn insert_section(
    conn: &mut DbConn,
    review_id: i64,
    key: SectionKey,
    auto_content: Option<&str>,
) -> StoreResult<()> {
    let t = now();
    diesel::insert_into(review_sections::table)
        .values((
            review_sections::review_id.eq(review_id),
            review_sections::section_key.eq(key.as_str()),
            review_sections::auto_content.eq(auto_content),
            review_sections::auto_generated_at.eq(auto_content.map(|_| t)),
            review_sections::team_content.eq(""),
            review_sections::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the automatic part of a section; the team's text is not touched.
pub fn set_auto(conn: &mut DbConn, section_id: i64, content: &str) -> StoreResult<()> {
    diesel::update(review_sections::table.find(section_id))
        .set((
            review_sections::auto_content.eq(content),
            review_sections::auto_generated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Writes the team's text and keeps the old one in the history. Run it in a write transaction.
pub fn set_team(
    conn: &mut DbConn,
    section_id: i64,
    old: &str,
    new: &str,
    user_id: Option<i64>,
) -> StoreResult<()> {
    let t = now();
    diesel::update(review_sections::table.find(section_id))
        .set((
            review_sections::team_content.eq(new),
            review_sections::updated_by.eq(user_id),
            review_sections::updated_at.eq(t),
        ))
        .execute(conn)?;
    diesel::insert_into(review_section_history::table)
        .values((
            review_section_history::section_id.eq(section_id),
            review_section_history::user_id.eq(user_id),
            review_section_history::at.eq(t),
            review_section_history::old_content.eq(old),
            review_section_history::new_content.eq(new),
        ))
        .execute(conn)?;
    Ok(())
}

type EditRow = (
    i64,
    NaiveDateTime,
    Option<i64>,
    Option<String>,
    String,
    String,
);

/// Every edit of a section, newest first, with the editor's name.
pub fn history(conn: &mut DbConn, section_id: i64) -> StoreResult<Vec<SectionEdit>> {
    let rows: Vec<EditRow> = review_section_history::table
        .left_join(users::table)
        .filter(review_section_history::section_id.eq(section_id))
        .order((
            review_section_history::at.desc(),
            review_section_history::id.desc(),
        ))
        .select((
            review_section_history::id,
            review_section_history::at,
            review_section_history::user_id,
            users::name.nullable(),
            review_section_history::old_content,
            review_section_history::new_content,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, at, user_id, user_name, old_content, new_content)| SectionEdit {
                id,
                at,
                user_id,
                user_name,
                old_content,
                new_content,
            },
        )
        .collect())
}

/// How many edits each section of a review has had.
pub fn edit_counts(conn: &mut DbConn, review_id: i64) -> StoreResult<Vec<(i64, i64)>> {
    Ok(review_section_history::table
        .inner_join(review_sections::table)
        .filter(review_sections::review_id.eq(review_id))
        .group_by(review_section_history::section_id)
        .select((
            review_section_history::section_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

type PinRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    NaiveDateTime,
);

pub fn pins(conn: &mut DbConn, review_id: i64) -> StoreResult<Vec<Pin>> {
    let rows: Vec<PinRow> = review_pins::table
        .left_join(audiences::table)
        .filter(review_pins::review_id.eq(review_id))
        .order(review_pins::id.asc())
        .select((
            review_pins::id,
            review_pins::finding_code,
            review_pins::finding_text,
            review_pins::message_id,
            audiences::key.nullable(),
            review_pins::created_by,
            review_pins::created_at,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let actions: Vec<(i64, i64)> = improvement_actions::table
        .filter(improvement_actions::pin_id.eq_any(&ids))
        .order(improvement_actions::id.asc())
        .select((
            improvement_actions::pin_id.assume_not_null(),
            improvement_actions::id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, finding_code, finding_text, message_id, audience, created_by, created_at)| Pin {
                action_id: actions.iter().find(|(p, _)| *p == id).map(|(_, a)| *a),
                id,
                finding_code,
                finding_text,
                message_id,
                audience,
                created_by,
                created_at,
            },
        )
        .collect())
}

pub struct NewPin<'a> {
    pub review_id: i64,
    pub code: &'a str,
    pub text: &'a str,
    pub message_id: Option<i64>,
    pub audience_id: Option<i64>,
    pub created_by: Option<i64>,
}

pub fn insert_pin(conn: &mut DbConn, pin: &NewPin) -> StoreResult<i64> {
    Ok(diesel::insert_into(review_pins::table)
        .values((
            review_pins::review_id.eq(pin.review_id),
            review_pins::finding_code.eq(pin.code),
            review_pins::finding_text.eq(pin.text),
            review_pins::message_id.eq(pin.message_id),
            review_pins::audience_id.eq(pin.audience_id),
            review_pins::created_by.eq(pin.created_by),
            review_pins::created_at.eq(now()),
        ))
        .returning(review_pins::id)
        .get_result(conn)?)
}

pub fn delete_pin(conn: &mut DbConn, review_id: i64, pin_id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(
        review_pins::table
            .filter(review_pins::review_id.eq(review_id))
            .filter(review_pins::id.eq(pin_id)),
    )
    .execute(conn)?)
}
