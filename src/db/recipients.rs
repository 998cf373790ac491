use diesel::prelude::*;

use super::schema::{audiences, recipients};
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
