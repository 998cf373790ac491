//! Changing improvement actions: create (on an incident, from a pinned finding, or on their
//! own), edit, move the status with a comment, delete; each change in one transaction with its
//! history and an audit entry. Also the calendar links of their owners.

use chrono::NaiveDate;

use super::model::{
    Action, ActionDraft, ActionFilter, ActionInput, StatusChange, may_change_status,
};
use crate::db::actions::{HistoryRecord, Source};
use crate::db::audit::{self, Actor};
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, User};
use crate::error::{ServiceError, ServiceResult};

/// A status change that was not allowed, or failed otherwise.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("only the action's owner, an editor or an admin may change its status")]
    NotAllowed,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<crate::db::StoreError> for StatusError {
    fn from(e: crate::db::StoreError) -> Self {
        StatusError::Service(e.into())
    }
}

impl From<diesel::result::Error> for StatusError {
    fn from(e: diesel::result::Error) -> Self {
        StatusError::Service(e.into())
    }
}

pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<Action> {
    db::actions::find(conn, id)?.ok_or(ServiceError::NotFound)
}

/// Today in the organisation's zone: what "overdue" and "due soon" are judged against.
pub fn today(conn: &mut DbConn) -> ServiceResult<NaiveDate> {
    let org = crate::organisation::load(conn)?;
    let tz = crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);
    Ok(crate::domain::time::utc_to_local(db::now(), tz).date_naive())
}

/// The people an action can be given to.
pub fn owners(conn: &mut DbConn) -> ServiceResult<Vec<User>> {
    Ok(db::users::list(conn)?
        .into_iter()
        .filter(|u| u.active)
        .collect())
}

fn owner_ids(conn: &mut DbConn) -> ServiceResult<Vec<i64>> {
    Ok(owners(conn)?.iter().map(|u| u.id).collect())
}

fn history(
    conn: &mut DbConn,
    action_id: i64,
    actor: &Actor,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    comment: Option<&str>,
) -> ServiceResult<()> {
    db::actions::record(
        conn,
        &HistoryRecord {
            action_id,
            user_id: actor.user_id,
            field,
            old_value: old,
            new_value: new,
            comment,
        },
    )?;
    Ok(())
}

/// Stores a validated action with its source; the caller's transaction is used when nested.
pub fn insert(
    conn: &mut DbConn,
    draft: &ActionDraft,
    source: Source,
    actor: &Actor,
) -> ServiceResult<i64> {
    let target = match source.incident_id {
        Some(id) => Some(crate::incidents::get_by_id(conn, id)?.key),
        None => None,
    };
    db::write_transaction(conn, |c| {
        let id = db::actions::insert(c, draft, source, actor.user_id)?;
        history(
            c,
            id,
            actor,
            "created",
            None,
            Some(draft.status.as_str()),
            None,
        )?;
        audit::record(
            c,
            actor,
            "action.created",
            target.as_deref(),
            Some(&format!("action {id}: {}", draft.title)),
        )?;
        Ok::<_, ServiceError>(id)
    })
}

/// A new action, on the incident with `incident_key` when one is given.
pub fn create(
    conn: &mut DbConn,
    input: &ActionInput,
    incident_key: Option<&str>,
    actor: &Actor,
) -> ServiceResult<Action> {
    let incident = match incident_key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(crate::incidents::get(conn, k).map_err(|e| match e {
            ServiceError::NotFound => {
                FieldErrors::single("incident", "is not the key of an incident").into()
            }
            other => other,
        })?),
        None => None,
    };
    let draft = input.validate(&owner_ids(conn)?)?;
    let review_id = match &incident {
        Some(i) => db::reviews::of_incident(conn, i.id)?.map(|r| r.id),
        None => None,
    };
    let id = insert(
        conn,
        &draft,
        Source {
            incident_id: incident.map(|i| i.id),
            review_id,
            pin_id: None,
        },
        actor,
    )?;
    get(conn, id)
}

/// Changes everything but the status (see [`change_status`]); every changed field goes into the
/// history.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    input: &ActionInput,
    actor: &Actor,
) -> ServiceResult<Action> {
    let before = get(conn, id)?;
    let people = owners(conn)?;
    // Whoever owns the action now may keep it after their account was deactivated, so the rest
    // of the action can still be edited; giving it to someone new needs an active account.
    let mut allowed: Vec<i64> = people.iter().map(|u| u.id).collect();
    allowed.extend(before.owner_id);
    let draft = input.validate(&allowed)?;
    // The history names owners, not their ids.
    let owner_name = |id: &Option<String>| {
        id.as_ref().map(|i| {
            people
                .iter()
                .find(|u| u.id.to_string() == *i)
                .map_or_else(|| i.clone(), |u| u.name.clone())
        })
    };
    let changes = super::model::changes(
        &before,
        &ActionDraft {
            status: before.status,
            ..draft.clone()
        },
    );
    if changes.is_empty() {
        return Ok(before);
    }
    db::write_transaction(conn, |c| {
        db::actions::update(c, id, &draft)?;
        for (field, old, new) in &changes {
            // Long texts are kept out of the history: it says that they changed.
            let (old, new) = match *field {
                "description" => (None, None),
                "owner" => (owner_name(old), owner_name(new)),
                _ => (old.clone(), new.clone()),
            };
            history(c, id, actor, field, old.as_deref(), new.as_deref(), None)?;
        }
        audit::record(
            c,
            actor,
            "action.updated",
            before.incident_key.as_deref(),
            Some(&format!("action {id}")),
        )?;
        Ok::<_, ServiceError>(())
    })?;
    get(conn, id)
}

/// Moves the status (or only comments on it). The owner may do this for their own action even
/// as a viewer.
pub fn change_status(
    conn: &mut DbConn,
    id: i64,
    change: &StatusChange,
    user: &User,
    actor: &Actor,
) -> Result<Action, StatusError> {
    let action = get(conn, id)?;
    if !may_change_status(user, &action) {
        return Err(StatusError::NotAllowed);
    }
    let (status, comment) = change.validate().map_err(ServiceError::from)?;
    if status == action.status && comment.is_none() {
        return Err(ServiceError::from(FieldErrors::single(
            "status",
            "change the status or write a comment",
        ))
        .into());
    }
    db::write_transaction(conn, |c| {
        if status == action.status {
            history(c, id, actor, "comment", None, None, comment.as_deref())?;
            db::actions::touch(c, id)?;
        } else {
            db::actions::set_status(c, id, status)?;
            history(
                c,
                id,
                actor,
                "status",
                Some(action.status.as_str()),
                Some(status.as_str()),
                comment.as_deref(),
            )?;
            audit::record(
                c,
                actor,
                "action.status",
                action.incident_key.as_deref(),
                Some(&format!("action {id}: {} → {status}", action.status)),
            )?;
        }
        Ok::<_, ServiceError>(())
    })?;
    Ok(get(conn, id)?)
}

pub fn delete(conn: &mut DbConn, id: i64, actor: &Actor) -> ServiceResult<()> {
    let action = get(conn, id)?;
    db::write_transaction(conn, |c| {
        db::actions::delete(c, id)?;
        audit::record(
            c,
            actor,
            "action.deleted",
            action.incident_key.as_deref(),
            Some(&format!("action {id}: {}", action.title)),
        )?;
        Ok::<_, ServiceError>(())
    })
}

/// The board: the filtered actions in the filter's order.
pub fn board(conn: &mut DbConn, filter: &ActionFilter) -> ServiceResult<Vec<Action>> {
    let mut list = db::actions::list(conn, filter)?;
    super::model::sort(&mut list, filter.sort);
    Ok(list)
}

/// A new secret calendar address for the user; the previous one stops working.
pub fn new_calendar_link(conn: &mut DbConn, user_id: i64, base_url: &str) -> ServiceResult<String> {
    let token = crate::auth::new_token();
    db::actions::set_calendar_token(conn, user_id, &crate::auth::hash_token(&token))?;
    Ok(calendar_url(base_url, &token))
}

pub fn calendar_url(base_url: &str, token: &str) -> String {
    format!("{base_url}/calendar/{token}/actions.ics")
}

/// The feed behind a calendar address, or None for an unknown or replaced token.
pub fn calendar_feed(
    conn: &mut DbConn,
    token: &str,
    base_url: &str,
) -> ServiceResult<Option<String>> {
    let Some(user_id) =
        db::actions::user_for_calendar_token(conn, &crate::auth::hash_token(token))?
    else {
        return Ok(None);
    };
    let filter = ActionFilter {
        owner: super::model::OwnerFilter::User(user_id),
        ..Default::default()
    };
    let actions = board(conn, &filter)?;
    let org = crate::organisation::load(conn)?;
    let name = format!("Debrief · {}", org.name);
    Ok(Some(super::calendar::feed(
        &actions,
        base_url,
        &name,
        db::now(),
    )))
}
