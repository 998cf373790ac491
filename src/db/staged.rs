//! Uploaded files waiting for the person to commit an import preview.

use chrono::Duration;
use diesel::prelude::*;

use super::schema::staged_uploads;
use super::{DbConn, StoreResult, now};

pub fn insert(
    conn: &mut DbConn,
    token_hash: &str,
    user_id: i64,
    options: &str,
    file_name: &str,
    content: &[u8],
) -> StoreResult<()> {
    diesel::insert_into(staged_uploads::table)
        .values((
            staged_uploads::token_hash.eq(token_hash),
            staged_uploads::user_id.eq(user_id),
            staged_uploads::options.eq(options),
            staged_uploads::file_name.eq(file_name),
            staged_uploads::content.eq(content),
            staged_uploads::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The staged files of one preview, only for the user who uploaded them: (options, name, bytes).
pub fn load(
    conn: &mut DbConn,
    token_hash: &str,
    user_id: i64,
) -> StoreResult<Vec<(String, String, Vec<u8>)>> {
    Ok(staged_uploads::table
        .filter(staged_uploads::token_hash.eq(token_hash))
        .filter(staged_uploads::user_id.eq(user_id))
        .order(staged_uploads::id.asc())
        .select((
            staged_uploads::options,
            staged_uploads::file_name,
            staged_uploads::content,
        ))
        .load(conn)?)
}

pub fn delete(conn: &mut DbConn, token_hash: &str) -> StoreResult<()> {
    diesel::delete(staged_uploads::table.filter(staged_uploads::token_hash.eq(token_hash)))
        .execute(conn)?;
    Ok(())
}

/// Previews nobody committed within a day are dropped.
pub fn purge_old(conn: &mut DbConn) -> StoreResult<usize> {
    Ok(diesel::delete(
        staged_uploads::table.filter(staged_uploads::created_at.lt(now() - Duration::days(1))),
    )
    .execute(conn)?)
}
