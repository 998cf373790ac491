//! Organisation settings stored as JSON values by key.

use diesel::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use super::schema::settings;
use super::{DbConn, StoreError, StoreResult, now};

pub fn get<T: DeserializeOwned>(conn: &mut DbConn, key: &str) -> StoreResult<Option<T>> {
    let raw: Option<String> = settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()?;
    raw.map(|v| {
        serde_json::from_str(&v).map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))
    })
    .transpose()
}

pub fn put<T: Serialize>(conn: &mut DbConn, key: &str, value: &T) -> StoreResult<()> {
    let json = serde_json::to_string(value)
        .map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))?;
    // Portable upsert: the row exists after the first write; settings are written rarely.
    crate::db::write_transaction(conn, |c| {
        let n = diesel::update(settings::table.find(key))
            .set((settings::value.eq(&json), settings::updated_at.eq(now())))
            .execute(c)?;
        if n == 0 {
            diesel::insert_into(settings::table)
                .values((
                    settings::key.eq(key),
                    settings::value.eq(&json),
                    settings::updated_at.eq(now()),
                ))
                .execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

/// Inserts the value unless the key exists; returns what is stored afterwards. Safe when several
/// instances start at once: the loser of the insert race reads the winner's value.
pub fn get_or_init<T: Serialize + DeserializeOwned>(
    conn: &mut DbConn,
    key: &str,
    init: impl FnOnce() -> T,
) -> StoreResult<T> {
    if let Some(v) = get(conn, key)? {
        return Ok(v);
    }
    let value = init();
    let json = serde_json::to_string(&value)
        .map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))?;
    let inserted = diesel::insert_into(settings::table)
        .values((
            settings::key.eq(key),
            settings::value.eq(&json),
            settings::updated_at.eq(now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(value),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => get(conn, key)?.ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished"))),
        Err(e) => Err(e.into()),
    }
}
