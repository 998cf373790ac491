//! Incidents and their timelines: validation against the organisation's audiences, storage,
//! audit. Used by the web pages, the API, the CLI and the demo loader.

use crate::db::audit::{self, Actor};
use crate::db::incidents::ExternalRef;
use crate::db::{self, DbConn};
use crate::domain::incident::IncidentInput;
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::domain::{Event, FieldErrors, Incident, Mention, Message};
use crate::error::{ServiceError, ServiceResult};

/// An incident with its whole timeline, as the incident page and the export show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncidentTimeline {
    pub incident: Incident,
    pub events: Vec<Event>,
    pub messages: Vec<Message>,
    pub mentions: Vec<Mention>,
}

pub fn get(conn: &mut DbConn, key: &str) -> ServiceResult<Incident> {
    db::incidents::find_by_key(conn, key)?.ok_or(ServiceError::NotFound)
}

pub fn get_by_id(conn: &mut DbConn, id: i64) -> ServiceResult<Incident> {
    db::incidents::find(conn, id)?.ok_or(ServiceError::NotFound)
}

pub fn timeline(conn: &mut DbConn, key: &str) -> ServiceResult<IncidentTimeline> {
    let incident = get(conn, key)?;
    Ok(IncidentTimeline {
        events: db::timeline::events(conn, incident.id)?,
        messages: db::timeline::messages(conn, incident.id)?,
        mentions: db::timeline::mentions(conn, incident.id)?,
        incident,
    })
}

fn key_taken(conn: &mut DbConn, key: &str, except: Option<i64>) -> ServiceResult<bool> {
    Ok(db::incidents::find_by_key(conn, key)?.is_some_and(|i| Some(i.id) != except))
}

pub fn create(
    conn: &mut DbConn,
    input: &IncidentInput,
    actor: &Actor,
    external: Option<ExternalRef>,
) -> ServiceResult<Incident> {
    let draft = input.validate(&db::audiences::keys(conn)?)?;
    crate::db::write_transaction(conn, |c| {
        if key_taken(c, &draft.key, None)? {
            return Err(FieldErrors::single("key", "another incident has this key").into());
        }
        db::incidents::insert(c, &draft, actor.user_id, external)?;
        audit::record(c, actor, "incident.created", Some(&draft.key), None)?;
        get(c, &draft.key)
    })
}

pub fn update(
    conn: &mut DbConn,
    key: &str,
    input: &IncidentInput,
    actor: &Actor,
) -> ServiceResult<Incident> {
    let draft = input.validate(&db::audiences::keys(conn)?)?;
    crate::db::write_transaction(conn, |c| {
        let existing = get(c, key)?;
        if key_taken(c, &draft.key, Some(existing.id))? {
            return Err(FieldErrors::single("key", "another incident has this key").into());
        }
        db::incidents::update(c, existing.id, &draft)?;
        audit::record(c, actor, "incident.updated", Some(&draft.key), None)?;
        get(c, &draft.key)
    })
}

/// Deletes the incident and all its data (timeline, surveys and answers, review, actions).
pub fn delete(conn: &mut DbConn, key: &str, actor: &Actor) -> ServiceResult<()> {
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        db::incidents::delete(c, incident.id)?;
        audit::record(
            c,
            actor,
            "incident.deleted",
            Some(key),
            Some(&incident.title),
        )?;
        Ok(())
    })
}

// --- timeline entries ----------------------------------------------------------------------------

pub fn add_event(conn: &mut DbConn, key: &str, input: &EventInput) -> ServiceResult<i64> {
    let draft = input.validate()?;
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        let id = db::timeline::insert_event(c, incident.id, &draft, None)?;
        db::incidents::touch(c, incident.id)?;
        Ok(id)
    })
}

pub fn edit_event(conn: &mut DbConn, key: &str, id: i64, input: &EventInput) -> ServiceResult<()> {
    let draft = input.validate()?;
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        if !db::timeline::update_event(c, incident.id, id, &draft)? {
            return Err(ServiceError::NotFound);
        }
        db::incidents::touch(c, incident.id)?;
        Ok(())
    })
}

pub fn add_message(conn: &mut DbConn, key: &str, input: &MessageInput) -> ServiceResult<i64> {
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        let draft = input.validate(
            &db::audiences::keys(c)?,
            &db::timeline::mention_ids(c, incident.id)?,
        )?;
        let id = db::timeline::insert_message(c, incident.id, &draft, None)?;
        db::incidents::touch(c, incident.id)?;
        Ok(id)
    })
}

pub fn edit_message(
    conn: &mut DbConn,
    key: &str,
    id: i64,
    input: &MessageInput,
) -> ServiceResult<()> {
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        let draft = input.validate(
            &db::audiences::keys(c)?,
            &db::timeline::mention_ids(c, incident.id)?,
        )?;
        if !db::timeline::update_message(c, incident.id, id, &draft)? {
            return Err(ServiceError::NotFound);
        }
        db::incidents::touch(c, incident.id)?;
        Ok(())
    })
}

pub fn add_mention(conn: &mut DbConn, key: &str, input: &MentionInput) -> ServiceResult<i64> {
    let draft = input.validate()?;
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        let id = db::timeline::insert_mention(c, incident.id, &draft, None)?;
        db::incidents::touch(c, incident.id)?;
        Ok(id)
    })
}

pub fn edit_mention(
    conn: &mut DbConn,
    key: &str,
    id: i64,
    input: &MentionInput,
) -> ServiceResult<()> {
    let draft = input.validate()?;
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        if !db::timeline::update_mention(c, incident.id, id, &draft)? {
            return Err(ServiceError::NotFound);
        }
        db::incidents::touch(c, incident.id)?;
        Ok(())
    })
}

#[derive(Debug, Clone, Copy)]
pub enum EntryKind {
    Event,
    Message,
    Mention,
}

pub fn delete_entry(conn: &mut DbConn, key: &str, kind: EntryKind, id: i64) -> ServiceResult<()> {
    crate::db::write_transaction(conn, |c| {
        let incident = get(c, key)?;
        let deleted = match kind {
            EntryKind::Event => db::timeline::delete_event(c, incident.id, id)?,
            EntryKind::Message => db::timeline::delete_message(c, incident.id, id)?,
            EntryKind::Mention => db::timeline::delete_mention(c, incident.id, id)?,
        };
        if !deleted {
            return Err(ServiceError::NotFound);
        }
        db::incidents::touch(c, incident.id)?;
        Ok(())
    })
}
