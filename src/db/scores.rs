//! Computed scores and findings, stored with the rubric version and their raw measurements, so a
//! report or the portfolio reads them without recomputing, and an old score stays explainable.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{findings, scores};
use super::{DbConn, StoreResult};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = scores)]
pub struct ScoreRow {
    pub incident_id: i64,
    pub scope: &'static str,
    pub audience_id: Option<i64>,
    pub message_id: Option<i64>,
    pub dimension: String,
    pub value: Option<f64>,
    pub measurements: String,
    pub rubric_version: i32,
    pub computed_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = findings)]
pub struct FindingRow {
    pub incident_id: i64,
    pub code: String,
    pub severity: String,
    pub impact: f64,
    pub text_en: String,
    pub text_de: String,
    pub audience_id: Option<i64>,
    pub message_id: Option<i64>,
    pub gap_from: Option<NaiveDateTime>,
    pub gap_to: Option<NaiveDateTime>,
    pub evidence: String,
    pub rubric_version: i32,
    pub computed_at: NaiveDateTime,
}

/// Multi-row inserts do not compile on the multi-backend connection; a large incident has tens of
/// thousands of score rows, so they are written per concrete backend, in chunks.
macro_rules! insert_chunks {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(500) {
            match $conn {
                DbConn::Sqlite(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
                DbConn::Postgres(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
        }
    }};
}

/// Replaces the stored scores and findings of an incident. Run it in a write transaction.
pub fn replace(
    conn: &mut DbConn,
    incident_id: i64,
    rows: &[ScoreRow],
    found: &[FindingRow],
) -> StoreResult<()> {
    diesel::delete(scores::table.filter(scores::incident_id.eq(incident_id))).execute(conn)?;
    diesel::delete(findings::table.filter(findings::incident_id.eq(incident_id))).execute(conn)?;
    insert_chunks!(conn, scores::table, rows);
    insert_chunks!(conn, findings::table, found);
    Ok(())
}

/// The fingerprint of the facts the stored scores were computed from, if any are stored.
pub fn fingerprint(conn: &mut DbConn, incident_id: i64) -> StoreResult<Option<String>> {
    let m: Option<String> = scores::table
        .filter(scores::incident_id.eq(incident_id))
        .filter(scores::scope.eq("incident"))
        .filter(scores::dimension.eq("overall"))
        .select(scores::measurements)
        .first(conn)
        .optional()?;
    Ok(m.and_then(|m| {
        serde_json::from_str::<serde_json::Value>(&m)
            .ok()
            .and_then(|v| {
                v.get("fingerprint")
                    .and_then(|f| f.as_str())
                    .map(str::to_string)
            })
    }))
}

/// The headline numbers of a stored scorecard: the incident's scores and the earliest first
/// message of any audience (minutes after detection).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Headline {
    pub overall: Option<f64>,
    pub timeliness: Option<f64>,
    pub clarity: Option<f64>,
    pub first_message_min: Option<f64>,
}

/// The stored headline, or `None` when no scores are stored.
pub fn headline(conn: &mut DbConn, incident_id: i64) -> StoreResult<Option<Headline>> {
    let rows: Vec<(String, String, Option<f64>, String)> = scores::table
        .filter(scores::incident_id.eq(incident_id))
        .filter(
            scores::scope.eq("incident").or(scores::scope
                .eq("audience")
                .and(scores::dimension.eq("timeliness"))),
        )
        .select((
            scores::scope,
            scores::dimension,
            scores::value,
            scores::measurements,
        ))
        .load(conn)?;
    if !rows
        .iter()
        .any(|(scope, dimension, ..)| scope == "incident" && dimension == "overall")
    {
        return Ok(None);
    }
    let mut h = Headline::default();
    for (scope, dimension, value, measurements) in rows {
        match (scope.as_str(), dimension.as_str()) {
            ("incident", "overall") => h.overall = value,
            ("incident", "timeliness") => h.timeliness = value,
            ("incident", "clarity") => h.clarity = value,
            ("audience", _) => {
                let first = serde_json::from_str::<serde_json::Value>(&measurements)
                    .ok()
                    .and_then(|m| m.get("first_message_min").and_then(|v| v.as_f64()));
                if let Some(first) = first {
                    h.first_message_min =
                        Some(h.first_message_min.map_or(first, |m: f64| m.min(first)));
                }
            }
            _ => {}
        }
    }
    Ok(Some(h))
}
