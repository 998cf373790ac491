//! Audiences, the communication policy and the service catalogue.

use diesel::prelude::*;

use super::schema::{audiences, incident_policies, policies, services};
use super::{DbConn, StoreResult};
use crate::domain::audience::DEFAULT_AUDIENCES;
use crate::domain::service::DEFAULT_SERVICES;
use crate::domain::{Audience, PolicyTargets, Severity};

#[derive(Queryable, Selectable)]
#[diesel(table_name = audiences, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct AudienceRow {
    id: i64,
    key: String,
    name_en: String,
    name_de: String,
    internal: bool,
    lay: bool,
    weight: f64,
    position: i32,
}

impl From<AudienceRow> for Audience {
    fn from(r: AudienceRow) -> Self {
        Audience {
            id: r.id,
            key: r.key,
            name_en: r.name_en,
            name_de: r.name_de,
            internal: r.internal,
            lay: r.lay,
            weight: r.weight,
            position: r.position,
        }
    }
}

pub fn list(conn: &mut DbConn) -> StoreResult<Vec<Audience>> {
    Ok(audiences::table
        .order((audiences::position.asc(), audiences::id.asc()))
        .select(AudienceRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Audience::from)
        .collect())
}

pub fn keys(conn: &mut DbConn) -> StoreResult<Vec<String>> {
    Ok(list(conn)?.into_iter().map(|a| a.key).collect())
}

/// The ids of the audiences with these keys (unknown keys are left out).
pub fn ids_for_keys(conn: &mut DbConn, keys: &[String]) -> Result<Vec<i64>, diesel::result::Error> {
    audiences::table
        .filter(audiences::key.eq_any(keys))
        .select(audiences::id)
        .load(conn)
}

pub fn find_by_key(conn: &mut DbConn, key: &str) -> StoreResult<Option<Audience>> {
    Ok(audiences::table
        .filter(audiences::key.eq(key))
        .select(AudienceRow::as_select())
        .first(conn)
        .optional()?
        .map(Audience::from))
}

pub struct AudienceForm<'a> {
    pub key: &'a str,
    pub name_en: &'a str,
    pub name_de: &'a str,
    pub internal: bool,
    pub lay: bool,
    pub weight: f64,
}

pub fn insert(conn: &mut DbConn, form: &AudienceForm) -> StoreResult<i64> {
    let position: Option<i32> = audiences::table
        .select(diesel::dsl::max(audiences::position))
        .first(conn)?;
    let id: i64 = super::write_transaction(conn, |c| {
        let id = diesel::insert_into(audiences::table)
            .values((
                audiences::key.eq(form.key),
                audiences::name_en.eq(form.name_en),
                audiences::name_de.eq(form.name_de),
                audiences::internal.eq(form.internal),
                audiences::lay.eq(form.lay),
                audiences::weight.eq(form.weight),
                audiences::position.eq(position.unwrap_or(0) + 1),
            ))
            .returning(audiences::id)
            .get_result(c)?;
        // A new audience starts with the organisation defaults so scoring always has a target.
        for severity in Severity::ALL {
            insert_policy(c, *severity, id, &PolicyTargets::default_for(*severity))?;
        }
        Ok::<_, diesel::result::Error>(id)
    })?;
    Ok(id)
}

pub fn update(conn: &mut DbConn, id: i64, form: &AudienceForm) -> StoreResult<()> {
    diesel::update(audiences::table.find(id))
        .set((
            audiences::name_en.eq(form.name_en),
            audiences::name_de.eq(form.name_de),
            audiences::internal.eq(form.internal),
            audiences::lay.eq(form.lay),
            audiences::weight.eq(form.weight),
        ))
        .execute(conn)?;
    Ok(())
}

fn insert_policy(
    conn: &mut DbConn,
    severity: Severity,
    audience_id: i64,
    t: &PolicyTargets,
) -> Result<(), diesel::result::Error> {
    diesel::insert_into(policies::table)
        .values((
            policies::severity.eq(severity.as_str()),
            policies::audience_id.eq(audience_id),
            policies::first_message_min.eq(t.first_message_min),
            policies::update_interval_min.eq(t.update_interval_min),
            policies::all_clear_min.eq(t.all_clear_min),
            policies::reply_target_min.eq(t.reply_target_min),
        ))
        .execute(conn)?;
    Ok(())
}

/// Creates the default audiences, their policies and an example service catalogue when the
/// organisation has none yet (first start). Idempotent.
pub fn seed_defaults(conn: &mut DbConn) -> StoreResult<()> {
    super::write_transaction(conn, |c| {
        let existing: i64 = audiences::table.count().get_result(c)?;
        if existing > 0 {
            return Ok(());
        }
        for (position, (key, en, de, internal, lay, weight)) in DEFAULT_AUDIENCES.iter().enumerate()
        {
            let id: i64 = diesel::insert_into(audiences::table)
                .values((
                    audiences::key.eq(key),
                    audiences::name_en.eq(en),
                    audiences::name_de.eq(de),
                    audiences::internal.eq(internal),
                    audiences::lay.eq(lay),
                    audiences::weight.eq(weight),
                    audiences::position.eq(position as i32),
                ))
                .returning(audiences::id)
                .get_result(c)?;
            for severity in Severity::ALL {
                insert_policy(c, *severity, id, &PolicyTargets::default_for(*severity))?;
            }
        }
        for (name, aliases) in DEFAULT_SERVICES {
            diesel::insert_into(services::table)
                .values((services::name.eq(name), services::aliases.eq(aliases)))
                .execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

// --- policy ------------------------------------------------------------------------------------

/// The organisation policy: (severity, audience id) → targets.
pub fn policies(conn: &mut DbConn) -> StoreResult<Vec<(Severity, i64, PolicyTargets)>> {
    let rows: Vec<(String, i64, i32, i32, i32, i32)> = policies::table
        .select((
            policies::severity,
            policies::audience_id,
            policies::first_message_min,
            policies::update_interval_min,
            policies::all_clear_min,
            policies::reply_target_min,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(sev, aud, f, u, a, r)| {
            Some((
                sev.parse().ok()?,
                aud,
                PolicyTargets {
                    first_message_min: f,
                    update_interval_min: u,
                    all_clear_min: a,
                    reply_target_min: r,
                },
            ))
        })
        .collect())
}

pub fn set_policy(
    conn: &mut DbConn,
    severity: Severity,
    audience_id: i64,
    t: &PolicyTargets,
) -> StoreResult<()> {
    super::write_transaction(conn, |c| {
        let n = diesel::update(
            policies::table
                .filter(policies::severity.eq(severity.as_str()))
                .filter(policies::audience_id.eq(audience_id)),
        )
        .set((
            policies::first_message_min.eq(t.first_message_min),
            policies::update_interval_min.eq(t.update_interval_min),
            policies::all_clear_min.eq(t.all_clear_min),
            policies::reply_target_min.eq(t.reply_target_min),
        ))
        .execute(c)?;
        if n == 0 {
            insert_policy(c, severity, audience_id, t)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

/// The targets that applied to one incident: its overrides, else the organisation policy for its
/// severity, else the built-in defaults.
pub fn effective_policy(
    conn: &mut DbConn,
    incident_id: i64,
    severity: Severity,
) -> StoreResult<Vec<(i64, PolicyTargets)>> {
    let org = policies(conn)?;
    let overrides: Vec<(i64, i32, i32, i32, i32)> = incident_policies::table
        .filter(incident_policies::incident_id.eq(incident_id))
        .select((
            incident_policies::audience_id,
            incident_policies::first_message_min,
            incident_policies::update_interval_min,
            incident_policies::all_clear_min,
            incident_policies::reply_target_min,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for a in list(conn)? {
        let targets = overrides
            .iter()
            .find(|o| o.0 == a.id)
            .map(|&(_, f, u, al, r)| PolicyTargets {
                first_message_min: f,
                update_interval_min: u,
                all_clear_min: al,
                reply_target_min: r,
            })
            .or_else(|| {
                org.iter()
                    .find(|(s, aud, _)| *s == severity && *aud == a.id)
                    .map(|(_, _, t)| *t)
            })
            .unwrap_or_else(|| PolicyTargets::default_for(severity));
        out.push((a.id, targets));
    }
    Ok(out)
}

// --- service catalogue --------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = services, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Service {
    pub id: i64,
    pub name: String,
    /// Comma-separated alternative names (en and de) matched in message texts.
    pub aliases: String,
    pub description: String,
}

pub fn list_services(conn: &mut DbConn) -> StoreResult<Vec<Service>> {
    Ok(services::table
        .order(services::name.asc())
        .select(Service::as_select())
        .load(conn)?)
}

pub fn insert_service(
    conn: &mut DbConn,
    name: &str,
    aliases: &str,
    description: &str,
) -> StoreResult<i64> {
    Ok(diesel::insert_into(services::table)
        .values((
            services::name.eq(name),
            services::aliases.eq(aliases),
            services::description.eq(description),
        ))
        .returning(services::id)
        .get_result(conn)?)
}

pub fn update_service(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    aliases: &str,
    description: &str,
) -> StoreResult<usize> {
    Ok(diesel::update(services::table.find(id))
        .set((
            services::name.eq(name),
            services::aliases.eq(aliases),
            services::description.eq(description),
        ))
        .execute(conn)?)
}

pub fn delete_service(conn: &mut DbConn, id: i64) -> StoreResult<usize> {
    Ok(diesel::delete(services::table.find(id)).execute(conn)?)
}
