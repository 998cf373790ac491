//! The persistent mail queue. A job is claimed with a lease; a worker that dies mid-send leaves a
//! lease that expires, and another worker retries the job with the same Message-ID (at-least-once).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::outbox;
use super::{DbConn, StoreResult, now};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct OutboxJob {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub headers: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub invitation_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewMail {
    pub kind: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Extra headers as a JSON object (e.g. List-Unsubscribe).
    pub headers: String,
    pub message_id: String,
    pub invitation_id: Option<i64>,
}

pub fn enqueue(conn: &mut DbConn, mail: &NewMail) -> StoreResult<i64> {
    let t = now();
    Ok(diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(&mail.kind),
            outbox::to_address.eq(&mail.to_address),
            outbox::to_name.eq(&mail.to_name),
            outbox::subject.eq(&mail.subject),
            outbox::body_text.eq(&mail.body_text),
            outbox::body_html.eq(&mail.body_html),
            outbox::headers.eq(&mail.headers),
            outbox::message_id.eq(&mail.message_id),
            outbox::status.eq("pending"),
            outbox::next_attempt_at.eq(t),
            outbox::invitation_id.eq(mail.invitation_id),
            outbox::created_at.eq(t),
        ))
        .returning(outbox::id)
        .get_result(conn)?)
}

/// Claims up to `limit` due jobs for `worker` until `now + lease`.
pub fn claim(
    conn: &mut DbConn,
    worker: &str,
    limit: i64,
    lease: Duration,
) -> StoreResult<Vec<OutboxJob>> {
    let t = now();
    let until = t + lease;
    let claimed_ids: Vec<i64> = match conn {
        // Row locks let several instances claim concurrently without waiting on each other.
        super::DbConn::Postgres(pg) => diesel::sql_query(
            "UPDATE outbox SET status = 'sending', lease_until = $1, locked_by = $2, \
             attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
                WHERE (status = 'pending' AND next_attempt_at <= $3) \
                   OR (status = 'sending' AND lease_until < $3) \
                ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING id",
        )
        .bind::<diesel::sql_types::Timestamp, _>(until)
        .bind::<diesel::sql_types::Text, _>(worker)
        .bind::<diesel::sql_types::Timestamp, _>(t)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load::<ClaimedId>(pg)?
        .into_iter()
        .map(|c| c.id)
        .collect(),
        // SQLite has one writer at a time; the guarded update makes each claim atomic.
        super::DbConn::Sqlite(_) => {
            let due = due_filter(t);
            let candidates: Vec<i64> = outbox::table
                .filter(due)
                .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                .limit(limit)
                .select(outbox::id)
                .load(conn)?;
            let mut ids = Vec::new();
            for id in candidates {
                let n = diesel::update(outbox::table.find(id).filter(due_filter(t)))
                    .set((
                        outbox::status.eq("sending"),
                        outbox::lease_until.eq(until),
                        outbox::locked_by.eq(worker),
                        outbox::attempts.eq(outbox::attempts + 1),
                    ))
                    .execute(conn)?;
                if n == 1 {
                    ids.push(id);
                }
            }
            ids
        }
    };
    Ok(outbox::table
        .filter(outbox::id.eq_any(&claimed_ids))
        .order(outbox::id.asc())
        .select(OutboxJob::as_select())
        .load(conn)?)
}

#[derive(QueryableByName)]
struct ClaimedId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

type DueFilter = diesel::dsl::Or<
    diesel::dsl::And<
        diesel::dsl::Eq<outbox::status, &'static str>,
        diesel::dsl::LtEq<outbox::next_attempt_at, NaiveDateTime>,
    >,
    diesel::dsl::And<
        diesel::dsl::Eq<outbox::status, &'static str>,
        diesel::dsl::Lt<outbox::lease_until, NaiveDateTime>,
    >,
>;

fn due_filter(t: NaiveDateTime) -> DueFilter {
    outbox::status
        .eq("pending")
        .and(outbox::next_attempt_at.le(t))
        .or(outbox::status.eq("sending").and(outbox::lease_until.lt(t)))
}

/// Keeps the worker's claimed jobs among `ids` reserved for another `lease` and returns those it
/// still holds (a job whose lease ran out may have been claimed by another worker meanwhile).
pub fn renew(
    conn: &mut DbConn,
    worker: &str,
    ids: &[i64],
    lease: Duration,
) -> StoreResult<Vec<i64>> {
    super::write_transaction(conn, |conn| {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(ids))
                .filter(outbox::locked_by.eq(worker))
                .filter(outbox::status.eq("sending")),
        )
        .set(outbox::lease_until.eq(now() + lease))
        .execute(conn)?;
        Ok(outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::locked_by.eq(worker))
            .filter(outbox::status.eq("sending"))
            .select(outbox::id)
            .load(conn)?)
    })
}

/// Marks a claimed job sent; ignored when the lease was lost to another worker meanwhile.
/// Body and headers are cleared: they may hold a personal link, an unsubscribe link or a reset
/// link, which must not outlive the delivery in plain text (the subject, recipient and
/// Message-ID stay as the record).
pub fn mark_sent(conn: &mut DbConn, job: &OutboxJob, worker: &str) -> StoreResult<()> {
    super::write_transaction(conn, |conn| {
        let n = diesel::update(
            outbox::table
                .find(job.id)
                .filter(outbox::locked_by.eq(worker)),
        )
        .set((
            outbox::status.eq("sent"),
            outbox::sent_at.eq(now()),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
            outbox::body_text.eq(""),
            outbox::body_html.eq(None::<String>),
            outbox::headers.eq("{}"),
        ))
        .execute(conn)?;
        if let (1, Some(invitation)) = (n, job.invitation_id) {
            super::invitations::mark_delivery(conn, invitation, true)?;
        }
        Ok(())
    })
}

/// A failed attempt: back to `pending` at `retry_at`, or `failed` for good when `retry_at` is None.
/// A mail given up keeps no body or headers: its links were never delivered and must not stay
/// usable from the database.
pub fn mark_failed(
    conn: &mut DbConn,
    job: &OutboxJob,
    worker: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> StoreResult<()> {
    let status = if retry_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    super::write_transaction(conn, |conn| {
        let n = diesel::update(
            outbox::table
                .find(job.id)
                .filter(outbox::locked_by.eq(worker)),
        )
        .set((
            outbox::status.eq(status),
            outbox::next_attempt_at.eq(retry_at.unwrap_or_else(now)),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
        if n == 1 && retry_at.is_none() {
            diesel::update(outbox::table.find(job.id))
                .set((
                    outbox::body_text.eq(""),
                    outbox::body_html.eq(None::<String>),
                    outbox::headers.eq("{}"),
                ))
                .execute(conn)?;
        }
        if let (1, Some(invitation), None) = (n, job.invitation_id, retry_at) {
            super::invitations::mark_delivery(conn, invitation, false)?;
        }
        Ok(())
    })
}

pub fn queue_length(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(outbox::table
        .filter(outbox::status.eq_any(["pending", "sending"]))
        .count()
        .get_result(conn)?)
}

pub fn recent(conn: &mut DbConn, limit: i64) -> StoreResult<Vec<OutboxJob>> {
    Ok(outbox::table
        .order(outbox::id.desc())
        .limit(limit)
        .select(OutboxJob::as_select())
        .load(conn)?)
}
