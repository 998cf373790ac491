//! Personal survey links: invitations, their hashed tokens, send progress and reminders.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    audiences, invitation_tokens, invitations, outbox, recipients, survey_audiences,
};
use super::{DbConn, StoreResult, now};
use crate::surveys::results::AudienceInvitations;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = invitations, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Invitation {
    pub id: i64,
    pub survey_id: i64,
    pub recipient_id: Option<i64>,
    pub audience_id: Option<i64>,
    pub locale: String,
    pub status: String,
    pub sent_at: Option<NaiveDateTime>,
    pub reminders_sent: i32,
    pub last_reminder_at: Option<NaiveDateTime>,
    pub answered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Who an invitation's mail goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub invitation_id: i64,
    /// For the unsubscribe link, which names the recipient rather than the invitation.
    pub recipient_id: i64,
    pub email: String,
    pub name: String,
    pub locale: String,
}

fn add_token_row(conn: &mut DbConn, invitation_id: i64, token_hash: &str) -> StoreResult<()> {
    diesel::insert_into(invitation_tokens::table)
        .values((
            invitation_tokens::token_hash.eq(token_hash),
            invitation_tokens::invitation_id.eq(invitation_id),
            invitation_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Invites every recipient of the survey's audiences who has not opted out and has no
/// invitation yet. Returns each new invitee with the plain token of their link (only the hash
/// is stored). Run it inside the transaction that queues the mails.
pub fn create_for_survey(
    conn: &mut DbConn,
    survey_id: i64,
    default_locale: &str,
) -> StoreResult<Vec<(Invitee, String)>> {
    let invited: Vec<i64> = invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .filter(invitations::recipient_id.is_not_null())
        .select(invitations::recipient_id.assume_not_null())
        .load(conn)?;
    let targets: Vec<i64> = survey_audiences::table
        .filter(survey_audiences::survey_id.eq(survey_id))
        .select(survey_audiences::audience_id)
        .load(conn)?;
    let candidates: Vec<(i64, String, String, Option<i64>, String)> = recipients::table
        .filter(recipients::audience_id.eq_any(&targets))
        .filter(recipients::opted_out.eq(false))
        .order(recipients::id.asc())
        .select((
            recipients::id,
            recipients::email,
            recipients::name,
            recipients::audience_id,
            recipients::locale,
        ))
        .load(conn)?;
    let t = now();
    let mut out = Vec::new();
    for (recipient_id, email, name, audience_id, locale) in candidates {
        if invited.contains(&recipient_id) {
            continue;
        }
        let locale = if crate::i18n::LANGUAGES.contains(&locale.as_str()) {
            locale
        } else {
            default_locale.to_string()
        };
        let token = crate::auth::new_token();
        let hash = crate::auth::hash_token(&token);
        let id: i64 = diesel::insert_into(invitations::table)
            .values((
                invitations::survey_id.eq(survey_id),
                invitations::recipient_id.eq(recipient_id),
                invitations::audience_id.eq(audience_id),
                invitations::locale.eq(&locale),
                invitations::token_hash.eq(&hash),
                invitations::status.eq("queued"),
                invitations::created_at.eq(t),
            ))
            .returning(invitations::id)
            .get_result(conn)?;
        add_token_row(conn, id, &hash)?;
        out.push((
            Invitee {
                invitation_id: id,
                recipient_id,
                email,
                name,
                locale,
            },
            token,
        ));
    }
    Ok(out)
}

/// A further link to the same invitation (for a reminder); returns the plain token.
pub fn new_token(conn: &mut DbConn, invitation_id: i64) -> StoreResult<String> {
    let token = crate::auth::new_token();
    add_token_row(conn, invitation_id, &crate::auth::hash_token(&token))?;
    Ok(token)
}

pub fn find_by_token(conn: &mut DbConn, token_hash: &str) -> StoreResult<Option<Invitation>> {
    Ok(invitations::table
        .inner_join(invitation_tokens::table)
        .filter(invitation_tokens::token_hash.eq(token_hash))
        .select(Invitation::as_select())
        .first(conn)
        .optional()?)
}

/// The audience key of an invitation (or of anything with an audience id).
pub fn audience_key(conn: &mut DbConn, audience_id: Option<i64>) -> StoreResult<Option<String>> {
    match audience_id {
        Some(id) => Ok(audiences::table
            .find(id)
            .select(audiences::key)
            .first(conn)
            .optional()?),
        None => Ok(None),
    }
}

/// Non-responders whose last mail is older than `before` and who had fewer than `max` reminders,
/// each with the number of reminders they had (for `claim_reminder`).
pub fn due_for_reminder(
    conn: &mut DbConn,
    survey_id: i64,
    before: NaiveDateTime,
    max: i32,
) -> StoreResult<Vec<(Invitee, i32)>> {
    let rows: Vec<DueRow> = invitations::table
        .inner_join(recipients::table)
        .filter(invitations::survey_id.eq(survey_id))
        .filter(invitations::status.eq("sent"))
        .filter(invitations::reminders_sent.lt(max))
        .filter(recipients::opted_out.eq(false))
        .order(invitations::id.asc())
        .select((
            invitations::id,
            recipients::id,
            invitations::sent_at,
            invitations::last_reminder_at,
            recipients::email,
            recipients::name,
            invitations::locale,
            invitations::reminders_sent,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            r.last_reminder_at
                .or(r.sent_at)
                .is_some_and(|t| t <= before)
        })
        .map(|r| {
            (
                Invitee {
                    invitation_id: r.id,
                    recipient_id: r.recipient_id,
                    email: r.email,
                    name: r.name,
                    locale: r.locale,
                },
                r.reminders_sent,
            )
        })
        .collect())
}

#[derive(Queryable)]
struct DueRow {
    id: i64,
    recipient_id: i64,
    sent_at: Option<NaiveDateTime>,
    last_reminder_at: Option<NaiveDateTime>,
    email: String,
    name: String,
    locale: String,
    reminders_sent: i32,
}

/// Counts a reminder for the invitation if nobody else has since it had `reminders` — so two
/// instances sweeping at once send it once. True when this caller may send it.
pub fn claim_reminder(conn: &mut DbConn, invitation_id: i64, reminders: i32) -> StoreResult<bool> {
    let n = diesel::update(
        invitations::table
            .find(invitation_id)
            .filter(invitations::reminders_sent.eq(reminders))
            .filter(invitations::status.eq("sent")),
    )
    .set((
        invitations::reminders_sent.eq(reminders + 1),
        invitations::last_reminder_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Called when the invitation's mail has gone out (or failed for good).
pub fn mark_delivery(conn: &mut DbConn, invitation_id: i64, delivered: bool) -> StoreResult<()> {
    let t = now();
    if delivered {
        // A reminder's delivery leaves the first send time as it was.
        diesel::update(
            invitations::table
                .find(invitation_id)
                .filter(invitations::status.eq_any(["queued", "failed"])),
        )
        .set((invitations::status.eq("sent"), invitations::sent_at.eq(t)))
        .execute(conn)?;
    } else {
        diesel::update(
            invitations::table
                .find(invitation_id)
                .filter(invitations::status.eq("queued")),
        )
        .set(invitations::status.eq("failed"))
        .execute(conn)?;
    }
    Ok(())
}

/// Marks the invitation answered. For an anonymous survey only *that* it was answered is kept:
/// no time, so the invitation cannot be matched to a response by when it came in.
pub fn mark_answered(conn: &mut DbConn, invitation_id: i64, anonymous: bool) -> StoreResult<()> {
    let at = (!anonymous).then(now);
    diesel::update(invitations::table.find(invitation_id))
        .set((
            invitations::status.eq("answered"),
            invitations::answered_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// PostgreSQL stamps every row version with the transaction that wrote it (`xmin`), which any
/// reader can select. The answered invitations of an anonymous survey would so keep the order
/// in which they were answered, and the responses' ids keep theirs: side by side, the two orders
/// pair them up. Rewriting the answered invitations in one transaction gives them all the same
/// stamp. SQLite keeps no such column. Returns the rows rewritten.
pub fn blur_answer_order(conn: &mut DbConn, survey_id: i64) -> StoreResult<usize> {
    if super::backend(conn) != super::Backend::Postgres {
        return Ok(0);
    }
    Ok(diesel::update(
        invitations::table
            .filter(invitations::survey_id.eq(survey_id))
            .filter(invitations::status.eq("answered")),
    )
    .set(invitations::status.eq("answered"))
    .execute(conn)?)
}

/// Invited (mail sent or answered) and answered per audience.
pub fn counts_by_audience(
    conn: &mut DbConn,
    survey_id: i64,
) -> StoreResult<Vec<AudienceInvitations>> {
    let rows: Vec<(Option<String>, String)> = invitations::table
        .left_join(audiences::table)
        .filter(invitations::survey_id.eq(survey_id))
        .order(audiences::position.asc())
        .select((audiences::key.nullable(), invitations::status))
        .load(conn)?;
    let mut out: Vec<AudienceInvitations> = Vec::new();
    for (audience, status) in rows {
        let entry = match out.iter_mut().position(|a| a.audience == audience) {
            Some(i) => &mut out[i],
            None => {
                out.push(AudienceInvitations {
                    audience: audience.clone(),
                    invited: 0,
                    answered: 0,
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        if matches!(status.as_str(), "sent" | "answered") {
            entry.invited += 1;
        }
        if status == "answered" {
            entry.answered += 1;
        }
    }
    Ok(out)
}

/// Where the invitations of a survey stand, for the live progress on the survey page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SendProgress {
    pub invitations: i64,
    pub queued: i64,
    pub sent: i64,
    pub answered: i64,
    /// Invitations whose mail failed for good.
    pub failed: i64,
    /// Invitations not sent because the recipient opted out meanwhile.
    pub opted_out: i64,
    /// Mails (invitations and reminders) still waiting in the outbox, and those being retried.
    pub mails_waiting: i64,
    pub mails_retrying: i64,
    /// Mails given up (invitations and reminders); a failed invitation mail is also in `failed`.
    pub mails_failed: i64,
    /// The last delivery errors: (address, error).
    pub errors: Vec<(String, String)>,
}

impl SendProgress {
    /// Delivery errors name the recipients' addresses: only those who manage recipients (editors)
    /// see them; everyone else keeps the counts.
    pub fn shown_to(mut self, editor: bool) -> Self {
        if !editor {
            self.errors.clear();
        }
        self
    }
}

pub fn progress(conn: &mut DbConn, survey_id: i64) -> StoreResult<SendProgress> {
    let statuses: Vec<String> = invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .select(invitations::status)
        .load(conn)?;
    let count = |s: &str| statuses.iter().filter(|x| *x == s).count() as i64;
    let ids = invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .select(invitations::id.nullable());
    let mails: Vec<(String, i32, String, Option<String>)> = outbox::table
        .filter(outbox::invitation_id.eq_any(ids))
        .order(outbox::id.desc())
        .select((
            outbox::status,
            outbox::attempts,
            outbox::to_address,
            outbox::last_error,
        ))
        .load(conn)?;
    let mut p = SendProgress {
        invitations: statuses.len() as i64,
        queued: count("queued"),
        sent: count("sent"),
        answered: count("answered"),
        failed: count("failed"),
        opted_out: count("opted_out"),
        ..Default::default()
    };
    for (status, attempts, to, error) in mails {
        // A pending job that was tried before waits for its retry; `sending` is under way.
        match (status.as_str(), attempts) {
            ("pending", a) if a > 0 => p.mails_retrying += 1,
            ("pending" | "sending", _) => p.mails_waiting += 1,
            ("failed", _) => p.mails_failed += 1,
            _ => {}
        }
        if let Some(e) = error.filter(|_| status != "sent")
            && p.errors.len() < 10
        {
            p.errors.push((to, e));
        }
    }
    Ok(p)
}
