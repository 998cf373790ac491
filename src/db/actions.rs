//! Improvement actions with their history, the board's filtered list, the owners' calendar
//! tokens and the daily digest's claim.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{action_history, improvement_actions, incidents, review_pins, users};
use super::{DbConn, StoreError, StoreResult, now};
use crate::actions::model::{
    Action, ActionDraft, ActionFilter, ActionStatus, HistoryEntry, OwnerFilter,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = improvement_actions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct ActionRow {
    id: i64,
    title: String,
    description: String,
    category: String,
    owner_id: Option<i64>,
    due_date: Option<NaiveDate>,
    priority: String,
    status: String,
    incident_id: Option<i64>,
    review_id: Option<i64>,
    pin_id: Option<i64>,
    external_link: Option<String>,
    created_by: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    closed_at: Option<NaiveDateTime>,
}

/// Adds the owners, incident keys and pinned findings the rows refer to.
fn hydrate(conn: &mut DbConn, rows: Vec<ActionRow>) -> StoreResult<Vec<Action>> {
    let owner_ids: Vec<i64> = rows.iter().filter_map(|r| r.owner_id).collect();
    let owners: Vec<(i64, String, String)> = users::table
        .filter(users::id.eq_any(&owner_ids))
        .select((users::id, users::name, users::email))
        .load(conn)?;
    let incident_ids: Vec<i64> = rows.iter().filter_map(|r| r.incident_id).collect();
    let keys: Vec<(i64, String)> = incidents::table
        .filter(incidents::id.eq_any(&incident_ids))
        .select((incidents::id, incidents::key))
        .load(conn)?;
    let pin_ids: Vec<i64> = rows.iter().filter_map(|r| r.pin_id).collect();
    let pins: Vec<(i64, String)> = review_pins::table
        .filter(review_pins::id.eq_any(&pin_ids))
        .select((review_pins::id, review_pins::finding_text))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let corrupt = |e: String| StoreError::Corrupt(format!("action {}: {e}", r.id));
            let owner = r
                .owner_id
                .and_then(|o| owners.iter().find(|(id, ..)| *id == o));
            Ok(Action {
                category: r.category.parse().map_err(corrupt)?,
                priority: r.priority.parse().map_err(corrupt)?,
                status: r.status.parse().map_err(corrupt)?,
                owner_name: owner.map(|(_, n, _)| n.clone()),
                owner_email: owner.map(|(.., e)| e.clone()),
                incident_key: r
                    .incident_id
                    .and_then(|i| keys.iter().find(|(id, _)| *id == i))
                    .map(|(_, k)| k.clone()),
                finding: r
                    .pin_id
                    .and_then(|p| pins.iter().find(|(id, _)| *id == p))
                    .map(|(_, t)| t.clone()),
                id: r.id,
                title: r.title,
                description: r.description,
                owner_id: r.owner_id,
                due_date: r.due_date,
                review_id: r.review_id,
                pin_id: r.pin_id,
                external_link: r.external_link,
                created_by: r.created_by,
                created_at: r.created_at,
                updated_at: r.updated_at,
                closed_at: r.closed_at,
            })
        })
        .collect()
}

pub fn find(conn: &mut DbConn, id: i64) -> StoreResult<Option<Action>> {
    let rows = improvement_actions::table
        .find(id)
        .select(ActionRow::as_select())
        .load(conn)?;
    Ok(hydrate(conn, rows)?.pop())
}

const ACTIVE: [&str; 2] = ["open", "in_progress"];

/// The actions the filter selects, in id order (the caller sorts).
pub fn list(conn: &mut DbConn, f: &ActionFilter) -> StoreResult<Vec<Action>> {
    let mut q = improvement_actions::table
        .select(ActionRow::as_select())
        .into_boxed();
    if !f.statuses.is_empty() {
        let statuses: Vec<&str> = f.statuses.iter().map(|s| s.as_str()).collect();
        q = q.filter(improvement_actions::status.eq_any(statuses));
    }
    match f.owner {
        OwnerFilter::Any => {}
        OwnerFilter::Nobody => q = q.filter(improvement_actions::owner_id.is_null()),
        OwnerFilter::User(id) => q = q.filter(improvement_actions::owner_id.eq(id)),
    }
    if let Some(c) = f.category {
        q = q.filter(improvement_actions::category.eq(c.as_str()));
    }
    if let Some(today) = f.overdue_on {
        q = q
            .filter(improvement_actions::status.eq_any(ACTIVE))
            .filter(improvement_actions::due_date.lt(today));
    }
    if let Some(key) = &f.incident {
        let id: Option<i64> = incidents::table
            .filter(incidents::key.eq(key))
            .select(incidents::id)
            .first(conn)
            .optional()?;
        // An unknown incident selects nothing rather than everything.
        q = q.filter(improvement_actions::incident_id.eq(id.unwrap_or(-1)));
    }
    if let Some(from) = f.due_from {
        q = q.filter(improvement_actions::due_date.ge(from));
    }
    if let Some(to) = f.due_to {
        q = q.filter(improvement_actions::due_date.le(to));
    }
    let rows = q.order(improvement_actions::id.asc()).load(conn)?;
    hydrate(conn, rows)
}

/// Open and in-progress actions of active owners, for the digest.
pub fn active_owned(conn: &mut DbConn) -> StoreResult<Vec<Action>> {
    let rows = improvement_actions::table
        .inner_join(users::table.on(users::id.nullable().eq(improvement_actions::owner_id)))
        .filter(users::active.eq(true))
        .filter(improvement_actions::status.eq_any(ACTIVE))
        .order(improvement_actions::id.asc())
        .select(ActionRow::as_select())
        .load(conn)?;
    hydrate(conn, rows)
}

/// Where an action came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source {
    pub incident_id: Option<i64>,
    pub review_id: Option<i64>,
    pub pin_id: Option<i64>,
}

pub fn insert(
    conn: &mut DbConn,
    d: &ActionDraft,
    source: Source,
    created_by: Option<i64>,
) -> StoreResult<i64> {
    let t = now();
    let closed = (!d.status.is_active()).then_some(t);
    Ok(diesel::insert_into(improvement_actions::table)
        .values((
            improvement_actions::title.eq(&d.title),
            improvement_actions::description.eq(&d.description),
            improvement_actions::category.eq(d.category.as_str()),
            improvement_actions::owner_id.eq(d.owner_id),
            improvement_actions::due_date.eq(d.due_date),
            improvement_actions::priority.eq(d.priority.as_str()),
            improvement_actions::status.eq(d.status.as_str()),
            improvement_actions::incident_id.eq(source.incident_id),
            improvement_actions::review_id.eq(source.review_id),
            improvement_actions::pin_id.eq(source.pin_id),
            improvement_actions::external_link.eq(&d.external_link),
            improvement_actions::created_by.eq(created_by),
            improvement_actions::created_at.eq(t),
            improvement_actions::updated_at.eq(t),
            improvement_actions::closed_at.eq(closed),
        ))
        .returning(improvement_actions::id)
        .get_result(conn)?)
}

/// Writes every field but the status (which changes through [`set_status`], with history).
pub fn update(conn: &mut DbConn, id: i64, d: &ActionDraft) -> StoreResult<()> {
    diesel::update(improvement_actions::table.find(id))
        .set((
            improvement_actions::title.eq(&d.title),
            improvement_actions::description.eq(&d.description),
            improvement_actions::category.eq(d.category.as_str()),
            improvement_actions::owner_id.eq(d.owner_id),
            improvement_actions::due_date.eq(d.due_date),
            improvement_actions::priority.eq(d.priority.as_str()),
            improvement_actions::external_link.eq(&d.external_link),
            improvement_actions::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A done or won't-do action gets its closing time; reopening it clears the time.
pub fn set_status(conn: &mut DbConn, id: i64, status: ActionStatus) -> StoreResult<()> {
    let t = now();
    let closed = (!status.is_active()).then_some(t);
    diesel::update(improvement_actions::table.find(id))
        .set((
            improvement_actions::status.eq(status.as_str()),
            improvement_actions::closed_at.eq(closed),
            improvement_actions::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn touch(conn: &mut DbConn, id: i64) -> StoreResult<()> {
    diesel::update(improvement_actions::table.find(id))
        .set(improvement_actions::updated_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(improvement_actions::table.find(id)).execute(conn)?)
}

pub struct HistoryRecord<'a> {
    pub action_id: i64,
    pub user_id: Option<i64>,
    pub field: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub comment: Option<&'a str>,
}

pub fn record(conn: &mut DbConn, h: &HistoryRecord) -> StoreResult<()> {
    diesel::insert_into(action_history::table)
        .values((
            action_history::action_id.eq(h.action_id),
            action_history::user_id.eq(h.user_id),
            action_history::at.eq(now()),
            action_history::field.eq(h.field),
            action_history::old_value.eq(h.old_value),
            action_history::new_value.eq(h.new_value),
            action_history::comment.eq(h.comment),
        ))
        .execute(conn)?;
    Ok(())
}

/// The history of an action, oldest first.
pub fn history(conn: &mut DbConn, action_id: i64) -> StoreResult<Vec<HistoryEntry>> {
    type Row = (
        NaiveDateTime,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = action_history::table
        .left_join(users::table)
        .filter(action_history::action_id.eq(action_id))
        .order((action_history::at.asc(), action_history::id.asc()))
        .select((
            action_history::at,
            users::name.nullable(),
            action_history::field,
            action_history::old_value,
            action_history::new_value,
            action_history::comment,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(at, user_name, field, old_value, new_value, comment)| HistoryEntry {
                at,
                user_name,
                field,
                old_value,
                new_value,
                comment,
            },
        )
        .collect())
}

/// The id of the user whose calendar link has this token hash (active users only).
pub fn user_for_calendar_token(conn: &mut DbConn, token_hash: &str) -> StoreResult<Option<i64>> {
    Ok(users::table
        .filter(users::calendar_token_hash.eq(token_hash))
        .filter(users::active.eq(true))
        .select(users::id)
        .first(conn)
        .optional()?)
}

pub fn set_calendar_token(conn: &mut DbConn, user_id: i64, token_hash: &str) -> StoreResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::calendar_token_hash.eq(token_hash))
        .execute(conn)?;
    Ok(())
}

pub fn has_calendar_token(conn: &mut DbConn, user_id: i64) -> StoreResult<bool> {
    Ok(users::table
        .find(user_id)
        .select(users::calendar_token_hash.is_not_null())
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

/// Whether this owner's digest of `today` went out already (a cheap check before composing it).
pub fn digest_sent(conn: &mut DbConn, user_id: i64, today: NaiveDate) -> StoreResult<bool> {
    let on: Option<Option<NaiveDate>> = users::table
        .find(user_id)
        .select(users::action_digest_on)
        .first(conn)
        .optional()?;
    Ok(on.flatten().is_some_and(|d| d >= today))
}

/// Marks today's digest of this owner as sent; false when it already was (by this or another
/// instance). Run it in the transaction that queues the mail.
pub fn claim_digest(conn: &mut DbConn, user_id: i64, today: NaiveDate) -> StoreResult<bool> {
    let claimed = diesel::update(
        users::table.find(user_id).filter(
            users::action_digest_on
                .is_null()
                .or(users::action_digest_on.lt(today)),
        ),
    )
    .set(users::action_digest_on.eq(today))
    .execute(conn)?;
    Ok(claimed == 1)
}
