use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audiences, incident_audiences, incidents};
use super::{DbConn, StoreError, StoreResult, now};
use crate::domain::incident::IncidentDraft;
use crate::domain::{Incident, IncidentKind, IncidentStatus, Severity};

#[derive(Queryable, Selectable)]
#[diesel(table_name = incidents, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct IncidentRow {
    id: i64,
    key: String,
    title: String,
    kind: String,
    severity: String,
    status: String,
    language: String,
    started_at: Option<NaiveDateTime>,
    detected_at: NaiveDateTime,
    resolved_at: Option<NaiveDateTime>,
    summary: String,
    affected_services: String,
    apology_expected: bool,
    source: Option<String>,
    external_id: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl IncidentRow {
    fn into_incident(self, audiences: Vec<String>) -> StoreResult<Incident> {
        let corrupt = |e: String| StoreError::Corrupt(format!("incident {}: {e}", self.key));
        Ok(Incident {
            id: self.id,
            kind: self.kind.parse().map_err(corrupt)?,
            severity: self.severity.parse().map_err(corrupt)?,
            status: self.status.parse().map_err(corrupt)?,
            language: self.language.parse().map_err(corrupt)?,
            affected_services: serde_json::from_str(&self.affected_services)
                .map_err(|e| corrupt(e.to_string()))?,
            key: self.key,
            title: self.title,
            started_at: self.started_at,
            detected_at: self.detected_at,
            resolved_at: self.resolved_at,
            summary: self.summary,
            audiences,
            apology_expected: self.apology_expected,
            source: self.source,
            external_id: self.external_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn audience_keys(conn: &mut DbConn, incident_ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
    Ok(incident_audiences::table
        .inner_join(audiences::table)
        .filter(incident_audiences::incident_id.eq_any(incident_ids))
        .order(audiences::position.asc())
        .select((incident_audiences::incident_id, audiences::key))
        .load(conn)?)
}

fn hydrate(conn: &mut DbConn, rows: Vec<IncidentRow>) -> StoreResult<Vec<Incident>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let pairs = audience_keys(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let keys = pairs
                .iter()
                .filter(|(id, _)| *id == r.id)
                .map(|(_, k)| k.clone())
                .collect();
            r.into_incident(keys)
        })
        .collect()
}

pub fn find_by_key(conn: &mut DbConn, key: &str) -> StoreResult<Option<Incident>> {
    let row = incidents::table
        .filter(incidents::key.eq(key))
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(r) => hydrate(conn, vec![r])?.pop(),
        None => None,
    })
}

pub fn find(conn: &mut DbConn, id: i64) -> StoreResult<Option<Incident>> {
    let row = incidents::table
        .find(id)
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(r) => hydrate(conn, vec![r])?.pop(),
        None => None,
    })
}

pub fn find_by_external(
    conn: &mut DbConn,
    source: &str,
    external_id: &str,
) -> StoreResult<Option<Incident>> {
    let row = incidents::table
        .filter(incidents::source.eq(source))
        .filter(incidents::external_id.eq(external_id))
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(r) => hydrate(conn, vec![r])?.pop(),
        None => None,
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IncidentFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub severity: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub from: Option<chrono::NaiveDate>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub to: Option<chrono::NaiveDate>,
    /// At most this many incidents (newest first, up to 1000); all when absent.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub limit: Option<i64>,
    /// Skip this many, for paging.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub offset: Option<i64>,
}

/// A filter form sends empty fields for unused filters; they mean "no filter", not an error.
fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

type Backend = <DbConn as diesel::Connection>::Backend;

/// The incidents matching every given filter (limit and offset aside).
fn matching(f: &IncidentFilter) -> incidents::BoxedQuery<'static, Backend> {
    let mut q = incidents::table.into_boxed();
    if let Some(s) = f
        .status
        .as_deref()
        .and_then(|s| s.parse::<IncidentStatus>().ok())
    {
        q = q.filter(incidents::status.eq(s.as_str()));
    }
    if let Some(k) = f
        .kind
        .as_deref()
        .and_then(|s| s.parse::<IncidentKind>().ok())
    {
        q = q.filter(incidents::kind.eq(k.as_str()));
    }
    if let Some(s) = f
        .severity
        .as_deref()
        .and_then(|s| s.parse::<Severity>().ok())
    {
        q = q.filter(incidents::severity.eq(s.as_str()));
    }
    if let Some(from) = f.from {
        q = q.filter(incidents::detected_at.ge(from.and_time(chrono::NaiveTime::MIN)));
    }
    if let Some(to) = f.to
        && let Some(next) = to.succ_opt()
    {
        q = q.filter(incidents::detected_at.lt(next.and_time(chrono::NaiveTime::MIN)));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // LIKE is case-sensitive on PostgreSQL and for non-ASCII on SQLite; lower() on both
        // sides keeps the search the same on both backends.
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        q = q.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(title) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" ESCAPE '\\' OR lower(key) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(" ESCAPE '\\')"),
        );
    }
    q
}

pub fn list(conn: &mut DbConn, f: &IncidentFilter) -> StoreResult<Vec<Incident>> {
    let mut q = matching(f).order((incidents::detected_at.desc(), incidents::id.desc()));
    if let Some(limit) = f.limit {
        q = q.limit(limit.clamp(0, 1000));
    }
    if let Some(offset) = f.offset {
        // SQLite takes OFFSET only after a LIMIT.
        if f.limit.is_none() {
            q = q.limit(i64::MAX);
        }
        q = q.offset(offset.max(0));
    }
    let rows = q.select(IncidentRow::as_select()).load(conn)?;
    hydrate(conn, rows)
}

/// How many incidents match the filters (limit and offset aside), for paging.
pub fn count(conn: &mut DbConn, f: &IncidentFilter) -> StoreResult<i64> {
    Ok(matching(f).count().get_result(conn)?)
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn set_audiences(
    conn: &mut DbConn,
    incident_id: i64,
    keys: &[String],
) -> Result<(), diesel::result::Error> {
    diesel::delete(
        incident_audiences::table.filter(incident_audiences::incident_id.eq(incident_id)),
    )
    .execute(conn)?;
    for audience_id in super::audiences::ids_for_keys(conn, keys)? {
        diesel::insert_into(incident_audiences::table)
            .values((
                incident_audiences::incident_id.eq(incident_id),
                incident_audiences::audience_id.eq(audience_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn services_json(d: &IncidentDraft) -> String {
    serde_json::to_string(&d.affected_services).unwrap_or_else(|_| "[]".into())
}

/// Provenance of an incident created from an external system, for idempotent re-imports.
pub struct ExternalRef<'a> {
    pub source: &'a str,
    pub external_id: &'a str,
}

pub fn insert(
    conn: &mut DbConn,
    d: &IncidentDraft,
    created_by: Option<i64>,
    external: Option<ExternalRef>,
) -> StoreResult<i64> {
    let t = now();
    let id = super::write_transaction(conn, |c| {
        let id: i64 = diesel::insert_into(incidents::table)
            .values((
                incidents::key.eq(&d.key),
                incidents::title.eq(&d.title),
                incidents::kind.eq(d.kind.as_str()),
                incidents::severity.eq(d.severity.as_str()),
                incidents::status.eq(d.status.as_str()),
                incidents::language.eq(d.language.as_str()),
                incidents::started_at.eq(d.started_at),
                incidents::detected_at.eq(d.detected_at),
                incidents::resolved_at.eq(d.resolved_at),
                incidents::summary.eq(&d.summary),
                incidents::affected_services.eq(services_json(d)),
                incidents::apology_expected.eq(d.apology_expected),
                incidents::source.eq(external.as_ref().map(|e| e.source)),
                incidents::external_id.eq(external.as_ref().map(|e| e.external_id)),
                incidents::created_by.eq(created_by),
                incidents::created_at.eq(t),
                incidents::updated_at.eq(t),
            ))
            .returning(incidents::id)
            .get_result(c)?;
        set_audiences(c, id, &d.audiences)?;
        Ok::<_, diesel::result::Error>(id)
    })?;
    Ok(id)
}

/// Replaces every editable field; the key may change (links follow the new key).
pub fn update(conn: &mut DbConn, id: i64, d: &IncidentDraft) -> StoreResult<()> {
    super::write_transaction(conn, |c| {
        diesel::update(incidents::table.find(id))
            .set((
                incidents::key.eq(&d.key),
                incidents::title.eq(&d.title),
                incidents::kind.eq(d.kind.as_str()),
                incidents::severity.eq(d.severity.as_str()),
                incidents::status.eq(d.status.as_str()),
                incidents::language.eq(d.language.as_str()),
                incidents::started_at.eq(d.started_at),
                incidents::detected_at.eq(d.detected_at),
                incidents::resolved_at.eq(d.resolved_at),
                incidents::summary.eq(&d.summary),
                incidents::affected_services.eq(services_json(d)),
                incidents::apology_expected.eq(d.apology_expected),
                incidents::updated_at.eq(now()),
            ))
            .execute(c)?;
        set_audiences(c, id, &d.audiences)?;
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

/// Deletes the incident with everything that belongs to it (cascading foreign keys).
pub fn delete(conn: &mut DbConn, id: i64) -> StoreResult<bool> {
    Ok(diesel::delete(incidents::table.find(id)).execute(conn)? == 1)
}

pub fn touch(conn: &mut DbConn, id: i64) -> StoreResult<()> {
    diesel::update(incidents::table.find(id))
        .set(incidents::updated_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

pub fn count_by_status(conn: &mut DbConn) -> StoreResult<Vec<(String, i64)>> {
    Ok(incidents::table
        .group_by(incidents::status)
        .select((incidents::status, diesel::dsl::count_star()))
        .load(conn)?)
}
