use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::{DbConn, StoreResult, now};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub target: Option<String>,
    pub details: Option<String>,
    pub ip: Option<String>,
}

/// Who did something: a signed-in user, the command line, or the system itself.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn cli() -> Self {
        Self {
            user_id: None,
            label: "command line".into(),
            ip: None,
        }
    }
}

pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: &str,
    target: Option<&str>,
    details: Option<&str>,
) -> StoreResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now()),
            audit_log::actor_user_id.eq(actor.user_id),
            audit_log::actor_label.eq(&actor.label),
            audit_log::action.eq(action),
            audit_log::target.eq(target),
            audit_log::details.eq(details),
            audit_log::ip.eq(actor.ip.as_deref()),
        ))
        .execute(conn)?;
    Ok(())
}

pub struct AuditFilter {
    pub action: Option<String>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
    let mut q = audit_log::table.into_boxed();
    if let Some(action) = &filter.action {
        q = q.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(before) = filter.before_id {
        q = q.filter(audit_log::id.lt(before));
    }
    Ok(q.order(audit_log::id.desc())
        .limit(filter.limit)
        .select(AuditEntry::as_select())
        .load(conn)?)
}

pub fn distinct_actions(conn: &mut DbConn) -> StoreResult<Vec<String>> {
    Ok(audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)?)
}
