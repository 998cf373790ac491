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
    let id = super::write_transaction(conn, |c| {
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
    let changed = super::write_transaction(conn, |c| {
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

/// What an incident already holds of the records an import is about to add: the external ids
/// among theirs, and the content hashes of its records at their times. Looked up batch by
/// batch, so an import of a hundred thousand records never holds what it has seen in memory
/// (the records it stored itself are in the database by then, inside its transaction).
#[derive(Debug, Default)]
pub struct KnownRecords {
    pub ids: std::collections::HashSet<String>,
    pub hashes: ContentHashes,
}

/// Values bound per lookup, well within what SQLite and PostgreSQL accept in one statement.
const LOOKUP_CHUNK: usize = 1000;

/// Messages of the incident sent at one of `times` or with one of `external_ids`.
pub fn known_messages(
    conn: &mut DbConn,
    incident_id: i64,
    times: &[NaiveDateTime],
    external_ids: &[&str],
) -> StoreResult<KnownRecords> {
    let mut k = KnownRecords::default();
    for chunk in times.chunks(LOOKUP_CHUNK) {
        let rows: Vec<(Option<String>, String)> = messages::table
            .filter(messages::incident_id.eq(incident_id))
            .filter(messages::sent_at.eq_any(chunk))
            .select((messages::external_id, messages::content_hash))
            .load(conn)?;
        for (id, hash) in rows {
            k.ids.extend(id);
            k.hashes.insert(&hash);
        }
    }
    for chunk in external_ids.chunks(LOOKUP_CHUNK) {
        let ids: Vec<Option<String>> = messages::table
            .filter(messages::incident_id.eq(incident_id))
            .filter(messages::external_id.eq_any(chunk))
            .select(messages::external_id)
            .load(conn)?;
        k.ids.extend(ids.into_iter().flatten());
    }
    Ok(k)
}

/// Events of the incident at one of `times` or with one of `external_ids`.
pub fn known_events(
    conn: &mut DbConn,
    incident_id: i64,
    times: &[NaiveDateTime],
    external_ids: &[&str],
) -> StoreResult<KnownRecords> {
    let mut k = KnownRecords::default();
    for chunk in times.chunks(LOOKUP_CHUNK) {
        let rows: Vec<(Option<String>, String)> = events::table
            .filter(events::incident_id.eq(incident_id))
            .filter(events::occurred_at.eq_any(chunk))
            .select((events::external_id, events::content_hash))
            .load(conn)?;
        for (id, hash) in rows {
            k.ids.extend(id);
            k.hashes.insert(&hash);
        }
    }
    for chunk in external_ids.chunks(LOOKUP_CHUNK) {
        let ids: Vec<Option<String>> = events::table
            .filter(events::incident_id.eq(incident_id))
            .filter(events::external_id.eq_any(chunk))
            .select(events::external_id)
            .load(conn)?;
        k.ids.extend(ids.into_iter().flatten());
    }
    Ok(k)
}

/// The mentions an incident holds: external id → database id (replies name their mention by
/// it), every database id, and their content hashes. Mentions are loaded whole: messages are
/// checked against all of them (a reply must answer a mention of its incident).
#[derive(Debug, Default)]
pub struct KnownMentions {
    pub by_external_id: std::collections::HashMap<String, i64>,
    pub ids: Vec<i64>,
    pub hashes: ContentHashes,
}

pub fn known_mentions(conn: &mut DbConn, incident_id: i64) -> StoreResult<KnownMentions> {
    let mut k = KnownMentions::default();
    let rows: Vec<(i64, Option<String>, String)> = mentions::table
        .filter(mentions::incident_id.eq(incident_id))
        .select((mentions::id, mentions::external_id, mentions::content_hash))
        .load(conn)?;
    for (db_id, id, hash) in rows {
        if let Some(id) = id {
            k.by_external_id.insert(id, db_id);
        }
        k.ids.push(db_id);
        k.hashes.insert(&hash);
    }
    Ok(k)
}

/// Content hashes (SHA-256 in hex) held as their first 128 bits: an incident with a hundred
/// thousand messages then needs 16 bytes per message to recognise repeats, not a string each.
#[derive(Debug, Default)]
pub struct ContentHashes(std::collections::HashSet<u128>);

impl ContentHashes {
    /// True when the hash was not known yet.
    pub fn insert(&mut self, hex: &str) -> bool {
        let key = hex
            .get(..32)
            .and_then(|h| u128::from_str_radix(h, 16).ok())
            // Not a hash Debrief wrote: keep it distinct all the same.
            .unwrap_or_else(|| {
                use sha2::Digest;
                let d = sha2::Sha256::digest(hex.as_bytes());
                d[..16]
                    .iter()
                    .fold(0u128, |acc, b| (acc << 8) | u128::from(*b))
            });
        self.0.insert(key)
    }
}

/// A record of an incident read from a Statuspage view (its source starts with `statuspage`):
/// what an import from the page's other view recognises it by (see `import::pipeline`).
pub struct StatusPageRecord {
    pub at: NaiveDateTime,
    /// A message's body, or an event's kind.
    pub text: String,
    pub source: Option<String>,
    pub is_message: bool,
}

pub fn status_page_records(
    conn: &mut DbConn,
    incident_id: i64,
) -> StoreResult<Vec<StatusPageRecord>> {
    let ev: Vec<(NaiveDateTime, String, Option<String>)> = events::table
        .filter(events::incident_id.eq(incident_id))
        .filter(events::source.like("statuspage%"))
        .select((events::occurred_at, events::kind, events::source))
        .load(conn)?;
    let ms: Vec<(NaiveDateTime, String, Option<String>)> = messages::table
        .filter(messages::incident_id.eq(incident_id))
        .filter(messages::source.like("statuspage%"))
        .select((messages::sent_at, messages::body, messages::source))
        .load(conn)?;
    let record = |is_message| {
        move |(at, text, source): (NaiveDateTime, String, Option<String>)| StatusPageRecord {
            at,
            text,
            source,
            is_message,
        }
    };
    Ok(ev
        .into_iter()
        .map(record(false))
        .chain(ms.into_iter().map(record(true)))
        .collect())
}
