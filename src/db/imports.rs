use diesel::prelude::*;

use super::schema::import_batches;
use super::{DbConn, StoreResult, now};

pub struct BatchForm<'a> {
    pub incident_id: Option<i64>,
    pub user_id: Option<i64>,
    pub format: &'a str,
    pub file_name: &'a str,
    pub checksum: &'a str,
    /// JSON object of counts.
    pub counts: &'a str,
    /// JSON array of skipped records with their reasons.
    pub skipped: &'a str,
}

pub fn insert_batch(conn: &mut DbConn, f: &BatchForm) -> StoreResult<i64> {
    Ok(diesel::insert_into(import_batches::table)
        .values((
            import_batches::incident_id.eq(f.incident_id),
            import_batches::user_id.eq(f.user_id),
            import_batches::created_at.eq(now()),
            import_batches::format.eq(f.format),
            import_batches::file_name.eq(f.file_name),
            import_batches::checksum.eq(f.checksum),
            import_batches::counts.eq(f.counts),
            import_batches::skipped.eq(f.skipped),
        ))
        .returning(import_batches::id)
        .get_result(conn)?)
}
