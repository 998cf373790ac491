use diesel::prelude::*;

use super::schema::{audiences, invitations, outbox, recipients, unsubscribe_tokens};
use super::{DbConn, StoreResult, now};

/// Adds a recipient, or fills in what an existing one (same address) lacks. Returns true when the
/// address was new. Duplicates merge on the lower-cased address; an opt-out is never undone here.
pub fn merge(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    audience_key: Option<&str>,
    locale: &str,
) -> StoreResult<bool> {
    let email = email.trim().to_lowercase();
    let audience_id: Option<i64> = match audience_key {
        Some(k) => audiences::table
            .filter(audiences::key.eq(k))
            .select(audiences::id)
            .first(conn)
            .optional()?,
        None => None,
    };
    let existing: Option<(i64, String, Option<i64>)> = recipients::table
        .filter(recipients::email.eq(&email))
        .select((recipients::id, recipients::name, recipients::audience_id))
        .first(conn)
        .optional()?;
    let t = now();
    match existing {
        Some((id, old_name, old_audience)) => {
            let name = if old_name.is_empty() {
                name
            } else {
                old_name.as_str()
            };
            diesel::update(recipients::table.find(id))
                .set((
                    recipients::name.eq(name),
                    recipients::audience_id.eq(old_audience.or(audience_id)),
                    recipients::updated_at.eq(t),
                ))
                .execute(conn)?;
            Ok(false)
        }
        None => {
            diesel::insert_into(recipients::table)
                .values((
                    recipients::email.eq(&email),
                    recipients::name.eq(name),
                    recipients::audience_id.eq(audience_id),
                    recipients::locale.eq(locale),
                    recipients::created_at.eq(t),
                    recipients::updated_at.eq(t),
                ))
                .execute(conn)?;
            Ok(true)
        }
    }
}

pub fn count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(recipients::table.count().get_result(conn)?)
}

#[derive(Debug, Clone, Queryable, serde::Serialize, utoipa::ToSchema)]
pub struct RecipientView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub audience: Option<String>,
    pub locale: String,
    pub opted_out: bool,
}

/// Recipients, optionally of some audiences only, by address.
pub fn list(
    conn: &mut DbConn,
    audience_keys: Option<&[String]>,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<RecipientView>> {
    let mut q = recipients::table
        .left_join(audiences::table)
        .select((
            recipients::id,
            recipients::email,
            recipients::name,
            audiences::key.nullable(),
            recipients::locale,
            recipients::opted_out,
        ))
        .order(recipients::email.asc())
        .limit(limit)
        .offset(offset)
        .into_boxed();
    if let Some(keys) = audience_keys {
        q = q.filter(audiences::key.eq_any(keys.to_vec()));
    }
    Ok(q.load(conn)?)
}

/// Per audience key: (recipients, of whom opted out).
pub fn counts_by_audience(conn: &mut DbConn) -> StoreResult<Vec<(Option<String>, i64, i64)>> {
    let rows: Vec<(Option<String>, bool)> = recipients::table
        .left_join(audiences::table)
        .select((audiences::key.nullable(), recipients::opted_out))
        .load(conn)?;
    let mut out: Vec<(Option<String>, i64, i64)> = Vec::new();
    for (key, opted_out) in rows {
        match out.iter_mut().find(|(k, ..)| *k == key) {
            Some(e) => {
                e.1 += 1;
                e.2 += i64::from(opted_out);
            }
            None => out.push((key, 1, i64::from(opted_out))),
        }
    }
    Ok(out)
}

/// A new unsubscribe token for the recipient's next mail; only its hash is stored. It names the
/// recipient, not an invitation, so the answer link never has to travel in a header.
pub fn new_unsubscribe_token(conn: &mut DbConn, recipient_id: i64) -> StoreResult<String> {
    let token = crate::auth::new_token();
    diesel::insert_into(unsubscribe_tokens::table)
        .values((
            unsubscribe_tokens::token_hash.eq(crate::auth::hash_token(&token)),
            unsubscribe_tokens::recipient_id.eq(recipient_id),
            unsubscribe_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The recipient an unsubscribe token (by its hash) belongs to.
pub fn by_unsubscribe_token(conn: &mut DbConn, token_hash: &str) -> StoreResult<Option<i64>> {
    Ok(unsubscribe_tokens::table
        .find(token_hash)
        .select(unsubscribe_tokens::recipient_id)
        .first(conn)
        .optional()?)
}

/// No more survey mail for this recipient, now or in later surveys. Mail still waiting for them
/// is dropped from the queue, and an invitation whose only mail that was is `opted_out` (not
/// left `queued`, which the send progress would wait for). Mail already being sent goes out.
pub fn opt_out(conn: &mut DbConn, id: i64) -> StoreResult<()> {
    diesel::update(recipients::table.find(id))
        .set((
            recipients::opted_out.eq(true),
            recipients::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let theirs: Vec<i64> = invitations::table
        .filter(invitations::recipient_id.eq(id))
        .select(invitations::id)
        .load(conn)?;
    diesel::delete(
        outbox::table
            .filter(outbox::invitation_id.eq_any(&theirs))
            .filter(outbox::status.eq("pending")),
    )
    .execute(conn)?;
    let in_flight: Vec<Option<i64>> = outbox::table
        .filter(outbox::invitation_id.eq_any(&theirs))
        .filter(outbox::status.eq("sending"))
        .select(outbox::invitation_id)
        .load(conn)?;
    let cancelled: Vec<i64> = theirs
        .into_iter()
        .filter(|i| !in_flight.contains(&Some(*i)))
        .collect();
    diesel::update(
        invitations::table
            .filter(invitations::id.eq_any(&cancelled))
            .filter(invitations::status.eq("queued")),
    )
    .set(invitations::status.eq("opted_out"))
    .execute(conn)?;
    Ok(())
}

/// Removes a recipient's personal data: the recipient, their unsubscribe tokens, and their
/// address, name, mail bodies and headers in the mail queue. Invitations that were delivered stay
/// (so response rates stay right) but no longer name anyone; those never delivered go, with the
/// mail that was still waiting.
pub fn delete(conn: &mut DbConn, id: i64) -> StoreResult<bool> {
    let Some(email): Option<String> = recipients::table
        .find(id)
        .select(recipients::email)
        .first(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let theirs: Vec<i64> = invitations::table
        .filter(invitations::recipient_id.eq(id))
        .select(invitations::id)
        .load(conn)?;
    diesel::delete(
        outbox::table
            .filter(outbox::invitation_id.eq_any(&theirs))
            .filter(outbox::status.eq_any(["pending", "failed"])),
    )
    .execute(conn)?;
    diesel::update(outbox::table.filter(outbox::to_address.eq(&email)))
        .set((
            outbox::to_address.eq("deleted@invalid"),
            outbox::to_name.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(None::<String>),
            outbox::headers.eq("{}"),
        ))
        .execute(conn)?;
    diesel::delete(
        invitations::table
            .filter(invitations::id.eq_any(&theirs))
            .filter(invitations::status.eq("queued")),
    )
    .execute(conn)?;
    diesel::delete(unsubscribe_tokens::table.filter(unsubscribe_tokens::recipient_id.eq(id)))
        .execute(conn)?;
    diesel::delete(recipients::table.find(id)).execute(conn)?;
    Ok(true)
}
