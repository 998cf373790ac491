//! Debrief's own incident format (`debrief-incident/1`): one incident with its events, mentions
//! and messages, times in UTC. The demo incidents are written in it; export and import use it.

use diesel::Connection;
use serde::{Deserialize, Serialize};

use crate::db::audit::Actor;
use crate::db::{self, DbConn};
use crate::domain::FieldErrors;
use crate::domain::incident::IncidentInput;
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::error::{ServiceError, ServiceResult};

pub const FORMAT: &str = "debrief-incident/1";

#[derive(Debug, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub incident: IncidentInput,
    #[serde(default)]
    pub events: Vec<EventInput>,
    #[serde(default)]
    pub mentions: Vec<MentionInput>,
    #[serde(default)]
    pub messages: Vec<BundleMessage>,
}

/// A message whose reply target is the mention's external id (database ids mean nothing in a file).
#[derive(Debug, Deserialize)]
pub struct BundleMessage {
    #[serde(flatten)]
    pub message: MessageInput,
    #[serde(default, rename = "in_reply_to")]
    pub in_reply_to_external: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub created: bool,
    pub events: usize,
    pub mentions: usize,
    pub messages: usize,
}

pub fn parse(text: &str, file: &str) -> ServiceResult<Bundle> {
    let bundle: Bundle = serde_json::from_str(text).map_err(|e| {
        ServiceError::Invalid(FieldErrors::single(
            file,
            format!("line {}, column {}: {e}", e.line(), e.column()),
        ))
    })?;
    if bundle.format != FORMAT {
        return Err(ServiceError::Invalid(FieldErrors::single(
            &format!("{file}: format"),
            format!("expected \"{FORMAT}\", found \"{}\"", bundle.format),
        )));
    }
    Ok(bundle)
}

/// Stores a bundle as a new incident, all or nothing. An incident with the same key is left as it
/// is (`created: false`).
pub fn store(conn: &mut DbConn, bundle: &Bundle, actor: &Actor) -> ServiceResult<Stored> {
    conn.transaction(|c| {
        let key = bundle.incident.key.trim().to_uppercase();
        if db::incidents::find_by_key(c, &key)?.is_some() {
            return Ok(Stored {
                key,
                created: false,
                events: 0,
                mentions: 0,
                messages: 0,
            });
        }
        let incident = crate::incidents::create(c, &bundle.incident, actor, None)?;
        let mut errors = FieldErrors::default();
        for (i, e) in bundle.events.iter().enumerate() {
            match e.validate() {
                Ok(d) => {
                    db::timeline::insert_event(c, incident.id, &d, None)?;
                }
                Err(fe) => prefix_errors(&mut errors, &format!("events[{i}]"), fe),
            }
        }
        let mut mention_ids = Vec::new();
        let mut by_external = std::collections::HashMap::new();
        for (i, m) in bundle.mentions.iter().enumerate() {
            match m.validate() {
                Ok(d) => {
                    let id = db::timeline::insert_mention(c, incident.id, &d, None)?;
                    mention_ids.push(id);
                    if let Some(ext) = &d.external_id {
                        by_external.insert(ext.clone(), id);
                    }
                }
                Err(fe) => prefix_errors(&mut errors, &format!("mentions[{i}]"), fe),
            }
        }
        let audiences = db::audiences::keys(c)?;
        for (i, m) in bundle.messages.iter().enumerate() {
            let mut input = m.message.clone();
            if let Some(ext) = &m.in_reply_to_external {
                match by_external.get(ext) {
                    Some(id) => input.in_reply_to = Some(*id),
                    None => {
                        errors.add(
                            &format!("messages[{i}].in_reply_to"),
                            format!("no mention has the id '{ext}'"),
                        );
                        continue;
                    }
                }
            }
            match input.validate(&audiences, &mention_ids) {
                Ok(d) => {
                    db::timeline::insert_message(c, incident.id, &d, None)?;
                }
                Err(fe) => prefix_errors(&mut errors, &format!("messages[{i}]"), fe),
            }
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        Ok(Stored {
            key: incident.key,
            created: true,
            events: bundle.events.len(),
            mentions: bundle.mentions.len(),
            messages: bundle.messages.len(),
        })
    })
}

fn prefix_errors(into: &mut FieldErrors, prefix: &str, errors: FieldErrors) {
    for e in errors.0 {
        into.add(&format!("{prefix}.{}", e.field), e.message);
    }
}
