//! Events, outbound messages and inbound mentions of an incident.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audiences, events, mentions, message_audiences, messages};
use super::{DbConn, StoreError, StoreResult, now};
use crate::domain::timeline::{EventDraft, MentionDraft, MessageDraft};
use crate::domain::{Event, Mention, Message};

#[derive(Queryable, Selectable)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct EventRow {
    id: i64,
    incident_id: i64,
    occurred_at: NaiveDateTime,
    kind: String,
    description: String,
    source: Option<String>,
    external_id: Option<String>,
}

impl EventRow {
    fn into_event(self) -> StoreResult<Event> {
        Ok(Event {
            kind: self
                .kind
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("event {}: {e}", self.id)))?,
            id: self.id,
            incident_id: self.incident_id,
            occurred_at: self.occurred_at,
            description: self.description,
            source: self.source,
            external_id: self.external_id,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = messages, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct MessageRow {
    id: i64,
    incident_id: i64,
    sent_at: NaiveDateTime,
    channel: String,
    platform: Option<String>,
    author: String,
    subject: Option<String>,
    body: String,
    body_html: Option<String>,
    language: String,
    kind: String,
    in_reply_to: Option<i64>,
    next_update_at: Option<NaiveDateTime>,
    eta_at: Option<NaiveDateTime>,
    source: Option<String>,
    external_id: Option<String>,
}

impl MessageRow {
    fn into_message(self, audiences: Vec<String>) -> StoreResult<Message> {
        let corrupt = |e: String| StoreError::Corrupt(format!("message {}: {e}", self.id));
        Ok(Message {
            channel: self.channel.parse().map_err(corrupt)?,
            language: self.language.parse().map_err(corrupt)?,
            kind: self.kind.parse().map_err(corrupt)?,
            id: self.id,
            incident_id: self.incident_id,
            sent_at: self.sent_at,
            audiences,
            platform: self.platform,
            author: self.author,
            subject: self.subject,
            body: self.body,
            body_html: self.body_html,
            in_reply_to: self.in_reply_to,
            next_update_at: self.next_update_at,
            eta_at: self.eta_at,
            source: self.source,
            external_id: self.external_id,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = mentions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct MentionRow {
    id: i64,
    incident_id: i64,
    posted_at: NaiveDateTime,
    platform: String,
    author_handle: String,
    text: String,
    url: Option<String>,
    external_id: Option<String>,
}

impl From<MentionRow> for Mention {
    fn from(r: MentionRow) -> Self {
        Mention {
            id: r.id,
            incident_id: r.incident_id,
            posted_at: r.posted_at,
            platform: r.platform,
            author_handle: r.author_handle,
            text: r.text,
            url: r.url,
            external_id: r.external_id,
        }
    }
}

pub fn events(conn: &mut DbConn, incident_id: i64) -> StoreResult<Vec<Event>> {
    events::table
        .filter(events::incident_id.eq(incident_id))
        .order((events::occurred_at.asc(), events::id.asc()))
        .select(EventRow::as_select())
        .load(conn)?
        .into_iter()
        .map(EventRow::into_event)
        .collect()
}

pub fn messages(conn: &mut DbConn, incident_id: i64) -> StoreResult<Vec<Message>> {
    let rows = messages::table
        .filter(messages::incident_id.eq(incident_id))
        .order((messages::sent_at.asc(), messages::id.asc()))
        .select(MessageRow::as_select())
        .load(conn)?;
    let pairs: Vec<(i64, String)> = message_audiences::table
        .inner_join(messages::table)
        .inner_join(audiences::table)
        .filter(messages::incident_id.eq(incident_id))
        .order(audiences::position.asc())
        .select((message_audiences::message_id, audiences::key))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let keys = pairs
                .iter()
                .filter(|(m, _)| *m == r.id)
                .map(|(_, k)| k.clone())
                .collect();
            r.into_message(keys)
        })
        .collect()
}

pub fn mentions(conn: &mut DbConn, incident_id: i64) -> StoreResult<Vec<Mention>> {
    Ok(mentions::table
        .filter(mentions::incident_id.eq(incident_id))
        .order((mentions::posted_at.asc(), mentions::id.asc()))
        .select(MentionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Mention::from)
        .collect())
}

pub fn mention_ids(conn: &mut DbConn, incident_id: i64) -> StoreResult<Vec<i64>> {
    Ok(mentions::table
        .filter(mentions::incident_id.eq(incident_id))
        .select(mentions::id)
        .load(conn)?)
}

// --- writes -------------------------------------------------------------------------------------

pub fn insert_event(
    conn: &mut DbConn,
    incident_id: i64,
    d: &EventDraft,
    batch: Option<i64>,
) -> StoreResult<i64> {
    Ok(diesel::insert_into(events::table)
        .values((
            events::incident_id.eq(incident_id),
            events::occurred_at.eq(d.occurred_at),
            events::kind.eq(d.kind.as_str()),
            events::description.eq(&d.description),
            events::source.eq(&d.source),
            events::external_id.eq(&d.external_id),
            events::content_hash.eq(d.content_hash()),
            events::import_batch_id.eq(batch),
            events::created_at.eq(now()),
        ))
        .returning(events::id)
        .get_result(conn)?)
}

pub fn update_event(
    conn: &mut DbConn,
    incident_id: i64,
    id: i64,
    d: &EventDraft,
) -> StoreResult<bool> {
    Ok(diesel::update(
        events::table
            .find(id)
            .filter(events::incident_id.eq(incident_id)),
    )
    .set((
        events::occurred_at.eq(d.occurred_at),
        events::kind.eq(d.kind.as_str()),
        events::description.eq(&d.description),
        events::source.eq(&d.source),
        events::content_hash.eq(d.content_hash()),
    ))
    .execute(conn)?
        == 1)
}

pub fn delete_event(conn: &mut DbConn, incident_id: i64, id: i64) -> StoreResult<bool> {
    Ok(diesel::delete(
        events::table
            .find(id)
            .filter(events::incident_id.eq(incident_id)),
    )
    .execute(conn)?
        == 1)
}

fn set_message_audiences(
    conn: &mut DbConn,
    message_id: i64,
    keys: &[String],
) -> Result<(), diesel::result::Error> {
    diesel::delete(message_audiences::table.filter(message_audiences::message_id.eq(message_id)))
        .execute(conn)?;
    for audience_id in super::audiences::ids_for_keys(conn, keys)? {
        diesel::insert_into(message_audiences::table)
            .values((
                message_audiences::message_id.eq(message_id),
                message_audiences::audience_id.eq(audience_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_message(
    conn: &mut DbConn,
    incident_id: i64,
    d: &MessageDraft,
    batch: Option<i64>,
) -> StoreResult<i64> {
    let t = now();
    let id = conn.transaction(|c| {
        let id: i64 = diesel::insert_into(messages::table)
            .values((
                messages::incident_id.eq(incident_id),
                messages::sent_at.eq(d.sent_at),
                messages::channel.eq(d.channel.as_str()),
                messages::platform.eq(&d.platform),
                messages::author.eq(&d.author),
                messages::subject.eq(&d.subject),
                messages::body.eq(&d.body),
                messages::body_html.eq(&d.body_html),
                messages::language.eq(d.language.as_str()),
                messages::kind.eq(d.kind.as_str()),
                messages::in_reply_to.eq(d.in_reply_to),
                messages::next_update_at.eq(d.next_update_at),
                messages::eta_at.eq(d.eta_at),
                messages::source.eq(&d.source),
                messages::external_id.eq(&d.external_id),
                messages::content_hash.eq(d.content_hash()),
                messages::import_batch_id.eq(batch),
                messages::created_at.eq(t),
                messages::updated_at.eq(t),
            ))
            .returning(messages::id)
            .get_result(c)?;
        set_message_audiences(c, id, &d.audiences)?;
        Ok::<_, diesel::result::Error>(id)
    })?;
    Ok(id)
}

pub fn update_message(
    conn: &mut DbConn,
    incident_id: i64,
    id: i64,
    d: &MessageDraft,
) -> StoreResult<bool> {
    let changed = conn.transaction(|c| {
        let n = diesel::update(
            messages::table
                .find(id)
                .filter(messages::incident_id.eq(incident_id)),
        )
        .set((
            messages::sent_at.eq(d.sent_at),
            messages::channel.eq(d.channel.as_str()),
            messages::platform.eq(&d.platform),
            messages::author.eq(&d.author),
            messages::subject.eq(&d.subject),
            messages::body.eq(&d.body),
            messages::language.eq(d.language.as_str()),
            messages::kind.eq(d.kind.as_str()),
            messages::in_reply_to.eq(d.in_reply_to),
            messages::next_update_at.eq(d.next_update_at),
            messages::eta_at.eq(d.eta_at),
            messages::content_hash.eq(d.content_hash()),
            messages::updated_at.eq(now()),
        ))
        .execute(c)?;
        if n == 1 {
            set_message_audiences(c, id, &d.audiences)?;
        }
        Ok::<_, diesel::result::Error>(n == 1)
    })?;
    Ok(changed)
}

pub fn delete_message(conn: &mut DbConn, incident_id: i64, id: i64) -> StoreResult<bool> {
    Ok(diesel::delete(
        messages::table
            .find(id)
            .filter(messages::incident_id.eq(incident_id)),
    )
    .execute(conn)?
        == 1)
}

pub fn insert_mention(
    conn: &mut DbConn,
    incident_id: i64,
    d: &MentionDraft,
    batch: Option<i64>,
) -> StoreResult<i64> {
    Ok(diesel::insert_into(mentions::table)
        .values((
            mentions::incident_id.eq(incident_id),
            mentions::posted_at.eq(d.posted_at),
            mentions::platform.eq(&d.platform),
            mentions::author_handle.eq(&d.author_handle),
            mentions::text.eq(&d.text),
            mentions::url.eq(&d.url),
            mentions::external_id.eq(&d.external_id),
            mentions::content_hash.eq(d.content_hash()),
            mentions::import_batch_id.eq(batch),
            mentions::created_at.eq(now()),
        ))
        .returning(mentions::id)
        .get_result(conn)?)
}

pub fn update_mention(
    conn: &mut DbConn,
    incident_id: i64,
    id: i64,
    d: &MentionDraft,
) -> StoreResult<bool> {
    Ok(diesel::update(
        mentions::table
            .find(id)
            .filter(mentions::incident_id.eq(incident_id)),
    )
    .set((
        mentions::posted_at.eq(d.posted_at),
        mentions::platform.eq(&d.platform),
        mentions::author_handle.eq(&d.author_handle),
        mentions::text.eq(&d.text),
        mentions::url.eq(&d.url),
        mentions::content_hash.eq(d.content_hash()),
    ))
    .execute(conn)?
        == 1)
}

pub fn delete_mention(conn: &mut DbConn, incident_id: i64, id: i64) -> StoreResult<bool> {
    Ok(diesel::delete(
        mentions::table
            .find(id)
            .filter(mentions::incident_id.eq(incident_id)),
    )
    .execute(conn)?
        == 1)
}

/// External ids and content hashes already stored for an incident, per record table, so an
/// import can tell new records from ones it has seen (one query per table, not per record).
#[derive(Debug, Default)]
pub struct KnownRecords {
    pub event_ids: std::collections::HashSet<String>,
    pub event_hashes: std::collections::HashSet<String>,
    pub message_ids: std::collections::HashSet<String>,
    pub message_hashes: std::collections::HashSet<String>,
    /// Mention external id → database id, for replies that name their mention.
    pub mention_ids: std::collections::HashMap<String, i64>,
    pub mention_hashes: std::collections::HashSet<String>,
}

pub fn known_records(conn: &mut DbConn, incident_id: i64) -> StoreResult<KnownRecords> {
    let mut k = KnownRecords::default();
    let ev: Vec<(Option<String>, String)> = events::table
        .filter(events::incident_id.eq(incident_id))
        .select((events::external_id, events::content_hash))
        .load(conn)?;
    for (id, hash) in ev {
        k.event_ids.extend(id);
        k.event_hashes.insert(hash);
    }
    let ms: Vec<(Option<String>, String)> = messages::table
        .filter(messages::incident_id.eq(incident_id))
        .select((messages::external_id, messages::content_hash))
        .load(conn)?;
    for (id, hash) in ms {
        k.message_ids.extend(id);
        k.message_hashes.insert(hash);
    }
    let mn: Vec<(i64, Option<String>, String)> = mentions::table
        .filter(mentions::incident_id.eq(incident_id))
        .select((mentions::id, mentions::external_id, mentions::content_hash))
        .load(conn)?;
    for (db_id, id, hash) in mn {
        if let Some(id) = id {
            k.mention_ids.insert(id, db_id);
        }
        k.mention_hashes.insert(hash);
    }
    Ok(k)
}
