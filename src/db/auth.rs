//! Sessions, API tokens, single-use links and login attempts. Only hashes of secrets are stored.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{api_tokens, login_attempts, one_time_tokens, sessions, users};
use super::{DbConn, StoreResult, now};

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionInsertForm<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert_session(conn: &mut DbConn, form: &SessionInsertForm) -> StoreResult<i64> {
    Ok(diesel::insert_into(sessions::table)
        .values(form)
        .returning(sessions::id)
        .get_result(conn)?)
}

/// The active user behind a session token hash; extends an idle session (sliding expiry),
/// writing at most once a minute so page views stay read-only.
pub fn user_for_session(
    conn: &mut DbConn,
    token_hash: &str,
    idle: Duration,
) -> StoreResult<Option<(i64, i64)>> {
    let t = now();
    let row: Option<(i64, i64, NaiveDateTime)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(t))
        .filter(users::active.eq(true))
        .select((sessions::id, sessions::user_id, sessions::last_seen_at))
        .first(conn)
        .optional()?;
    if let Some((id, _, last_seen)) = row
        && t - last_seen > Duration::minutes(1)
    {
        diesel::update(sessions::table.find(id))
            .set((
                sessions::last_seen_at.eq(t),
                sessions::expires_at.eq(t + idle),
            ))
            .execute(conn)?;
    }
    Ok(row.map(|(id, user, _)| (id, user)))
}

pub fn delete_session(conn: &mut DbConn, token_hash: &str) -> StoreResult<()> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)?;
    Ok(())
}

/// "Log out everywhere", and what a password change or deactivation implies.
pub fn delete_user_sessions(conn: &mut DbConn, user_id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}

pub fn delete_user_sessions_except(
    conn: &mut DbConn,
    user_id: i64,
    keep_token_hash: Option<&str>,
) -> StoreResult<usize> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id));
    Ok(match keep_token_hash {
        Some(keep) => diesel::delete(q.filter(sessions::token_hash.ne(keep))).execute(conn)?,
        None => diesel::delete(q).execute(conn)?,
    })
}

pub fn count_user_sessions(conn: &mut DbConn, user_id: i64) -> StoreResult<i64> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now()))
        .count()
        .get_result(conn)?)
}

pub fn purge_expired(conn: &mut DbConn) -> StoreResult<()> {
    let t = now();
    diesel::delete(sessions::table.filter(sessions::expires_at.le(t))).execute(conn)?;
    diesel::delete(one_time_tokens::table.filter(one_time_tokens::expires_at.le(t)))
        .execute(conn)?;
    diesel::delete(
        login_attempts::table.filter(login_attempts::attempted_at.le(t - Duration::days(1))),
    )
    .execute(conn)?;
    Ok(())
}

// --- single-use links -------------------------------------------------------------------------

pub fn insert_one_time_token(
    conn: &mut DbConn,
    token_hash: &str,
    purpose: &str,
    user_id: Option<i64>,
    valid_for: Duration,
) -> StoreResult<()> {
    let t = now();
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::token_hash.eq(token_hash),
            one_time_tokens::purpose.eq(purpose),
            one_time_tokens::user_id.eq(user_id),
            one_time_tokens::created_at.eq(t),
            one_time_tokens::expires_at.eq(t + valid_for),
        ))
        .execute(conn)?;
    Ok(())
}

/// Looks up an unused, unexpired link; returns its id and user.
pub fn find_one_time_token(
    conn: &mut DbConn,
    token_hash: &str,
    purpose: &str,
) -> StoreResult<Option<(i64, Option<i64>)>> {
    Ok(one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now()))
        .select((one_time_tokens::id, one_time_tokens::user_id))
        .first(conn)
        .optional()?)
}

/// Marks a link used. Returns false when another request used it first, so a link works once
/// even when two requests race.
pub fn consume_one_time_token(conn: &mut DbConn, id: i64) -> StoreResult<bool> {
    let n = diesel::update(
        one_time_tokens::table
            .find(id)
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now()))
    .execute(conn)?;
    Ok(n == 1)
}

/// Invalidates the open links of one purpose, e.g. older reset links when a new one is sent.
pub fn expire_one_time_tokens(
    conn: &mut DbConn,
    purpose: &str,
    user_id: Option<i64>,
) -> StoreResult<()> {
    let q = one_time_tokens::table
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::used_at.is_null());
    match user_id {
        Some(u) => diesel::update(q.filter(one_time_tokens::user_id.eq(u)))
            .set(one_time_tokens::used_at.eq(now()))
            .execute(conn)?,
        None => diesel::update(q)
            .set(one_time_tokens::used_at.eq(now()))
            .execute(conn)?,
    };
    Ok(())
}

// --- throttling: failed sign-ins, open-link submissions ------------------------------------

pub fn record_attempt(conn: &mut DbConn, scope_keys: &[String]) -> StoreResult<()> {
    let t = now();
    // Multi-row inserts do not compile on the multi-backend connection; these are one or two rows.
    for key in scope_keys {
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::scope_key.eq(key.as_str()),
                login_attempts::attempted_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Attempts for a scope within the window, and the oldest of them (to tell when it ends).
pub fn attempts_since(
    conn: &mut DbConn,
    scope_key: &str,
    since: NaiveDateTime,
) -> StoreResult<(i64, Option<NaiveDateTime>)> {
    let q = login_attempts::table
        .filter(login_attempts::scope_key.eq(scope_key))
        .filter(login_attempts::attempted_at.gt(since));
    let count = q.count().get_result(conn)?;
    let oldest = q
        .select(diesel::dsl::min(login_attempts::attempted_at))
        .first(conn)?;
    Ok((count, oldest))
}

pub fn clear_attempts(conn: &mut DbConn, scope_key: &str) -> StoreResult<()> {
    diesel::delete(login_attempts::table.filter(login_attempts::scope_key.eq(scope_key)))
        .execute(conn)?;
    Ok(())
}

// --- API tokens -------------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_api_token(
    conn: &mut DbConn,
    user_id: i64,
    name: &str,
    prefix: &str,
    token_hash: &str,
) -> StoreResult<i64> {
    Ok(diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::prefix.eq(prefix),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now()),
        ))
        .returning(api_tokens::id)
        .get_result(conn)?)
}

pub fn list_api_tokens(conn: &mut DbConn, user_id: i64) -> StoreResult<Vec<ApiToken>> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order(api_tokens::created_at.desc())
        .select(ApiToken::as_select())
        .load(conn)?)
}

pub fn find_api_token(conn: &mut DbConn, id: i64) -> StoreResult<Option<ApiToken>> {
    Ok(api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)
        .optional()?)
}

/// The active user of an unrevoked token.
pub fn user_for_api_token(conn: &mut DbConn, token_hash: &str) -> StoreResult<Option<i64>> {
    let row: Option<(i64, i64)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select((api_tokens::id, api_tokens::user_id))
        .first(conn)
        .optional()?;
    if let Some((id, _)) = row {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(now()))
            .execute(conn)?;
    }
    Ok(row.map(|(_, user)| user))
}

pub fn revoke_api_token(conn: &mut DbConn, id: i64) -> StoreResult<bool> {
    let n = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now()))
    .execute(conn)?;
    Ok(n == 1)
}
