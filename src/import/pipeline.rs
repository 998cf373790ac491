//! The import pipeline: read every file with its reader, validate every record, then store
//! what is new in one transaction — or nothing. A dry run does all of it and rolls back, so the
//! preview shows exactly what a commit would do.

use std::collections::HashSet;

use diesel::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::registry;
use super::{ImportedIncident, Location, ReadError, ReadOptions};
use crate::db::audit::{self, Actor};
use crate::db::incidents::ExternalRef;
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident};
use crate::error::{ServiceError, ServiceResult};

/// At most this many errors are listed; the count says how many there were in all.
pub const MAX_LISTED_ERRORS: usize = 200;

pub struct SourceFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Incidents as the files describe them (records without an incident are an error).
    FromFiles,
    /// Every record goes to this incident.
    Existing(String),
}

pub struct ImportRequest {
    pub format: Option<String>,
    pub target: Target,
    pub dry_run: bool,
    /// Store the valid records and list the invalid ones, instead of storing nothing.
    pub skip_invalid: bool,
    pub read: ReadOptions,
}

#[derive(Debug, Clone, Serialize)]
pub struct SampleRow {
    pub kind: &'static str,
    pub at: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub incidents_created: usize,
    pub incidents_updated: usize,
    pub events_new: usize,
    pub messages_new: usize,
    pub mentions_new: usize,
    pub recipients_new: usize,
    pub unchanged: usize,
    pub errors: Vec<ReadError>,
    pub error_count: usize,
    /// Records left out because `skip_invalid` was chosen.
    pub skipped: usize,
    /// Keys of the incidents the import touched.
    pub incidents: Vec<String>,
    /// (file, format) as detected or named.
    pub formats: Vec<(String, String)>,
    pub dry_run: bool,
    pub committed: bool,
    /// The first new records, for the preview table.
    pub sample: Vec<SampleRow>,
}

impl ImportSummary {
    fn error(&mut self, e: ReadError) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(e);
        }
    }

    fn field_errors(&mut self, at: &Location, prefix: &str, errors: FieldErrors) {
        for fe in errors.0 {
            let field = if prefix.is_empty() {
                fe.field
            } else {
                format!("{prefix}.{}", fe.field)
            };
            self.error(ReadError::at(at, &field, fe.message));
        }
    }

    fn sample(&mut self, kind: &'static str, at: chrono::NaiveDateTime, text: &str) {
        if self.sample.len() < 20 {
            let mut short: String = text.chars().take(160).collect();
            if short.len() < text.len() {
                short.push('…');
            }
            let text = short;
            self.sample.push(SampleRow {
                kind,
                at: crate::domain::time::format_rfc3339(at),
                text,
            });
        }
    }
}

fn checksum(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ends the transaction without storing anything, carrying the summary out.
enum Abort {
    Rollback(Box<ImportSummary>),
    Failed(ServiceError),
}

impl From<diesel::result::Error> for Abort {
    fn from(e: diesel::result::Error) -> Self {
        Abort::Failed(e.into())
    }
}

impl From<ServiceError> for Abort {
    fn from(e: ServiceError) -> Self {
        Abort::Failed(e)
    }
}

impl From<db::StoreError> for Abort {
    fn from(e: db::StoreError) -> Self {
        Abort::Failed(e.into())
    }
}

pub fn run(
    conn: &mut DbConn,
    files: &[SourceFile],
    req: &ImportRequest,
    actor: &Actor,
) -> ServiceResult<ImportSummary> {
    let mut summary = ImportSummary {
        dry_run: req.dry_run,
        ..Default::default()
    };
    let mut parsed: Vec<(&SourceFile, &'static str, Vec<ImportedIncident>)> = Vec::new();
    for file in files {
        let format = match registry::choose(&file.name, &file.bytes, req.format.as_deref()) {
            Ok(f) => f,
            Err(e) => {
                summary.error(e);
                continue;
            }
        };
        summary
            .formats
            .push((file.name.clone(), format.name.to_string()));
        match (format.read)(&file.name, &file.bytes, &req.read) {
            Ok(incidents) => parsed.push((file, format.name, incidents)),
            Err(errors) => errors.into_iter().for_each(|e| summary.error(e)),
        }
    }
    let read_failed = summary.error_count > 0;
    let outcome = conn.transaction::<ImportSummary, Abort, _>(|c| {
        let audiences = db::audiences::keys(c)?;
        for (file, format, incidents) in &parsed {
            for imported in incidents {
                store_incident(
                    c,
                    file,
                    format,
                    imported,
                    req,
                    &audiences,
                    actor,
                    &mut summary,
                )?;
            }
        }
        // A file that cannot be read at all is never skipped silently.
        let invalid = summary.error_count > 0 && (read_failed || !req.skip_invalid);
        if req.dry_run || invalid {
            return Err(Abort::Rollback(Box::new(std::mem::take(&mut summary))));
        }
        summary.committed = true;
        Ok(std::mem::take(&mut summary))
    });
    match outcome {
        Ok(s) => Ok(s),
        Err(Abort::Rollback(s)) => Ok(*s),
        Err(Abort::Failed(e)) => Err(e),
    }
}

/// Finds or creates the incident a file's records belong to. None when it cannot (errors noted).
fn resolve_incident(
    c: &mut DbConn,
    file: &SourceFile,
    imported: &ImportedIncident,
    req: &ImportRequest,
    actor: &Actor,
    summary: &mut ImportSummary,
) -> Result<Option<(Incident, bool)>, Abort> {
    let at = Location {
        file: file.name.clone(),
        line: None,
        record: Some("incident".into()),
    };
    if let Target::Existing(key) = &req.target {
        return match db::incidents::find_by_key(c, &key.trim().to_uppercase())? {
            Some(i) => Ok(Some((i, false))),
            None => {
                summary.error(ReadError::at(
                    &at,
                    "incident",
                    format!("no incident has the key '{key}'"),
                ));
                Ok(None)
            }
        };
    }
    let Some(input) = &imported.incident else {
        summary.error(ReadError::at(
            &at,
            "incident",
            "this file holds records but no incident: choose the incident to add them to",
        ));
        return Ok(None);
    };
    // The same incident from another file or source: by its identity in the source system first,
    // then (for Debrief's own exports) by key.
    if let (Some(source), Some(ext)) = (&imported.source, &imported.external_id) {
        if let Some(i) = db::incidents::find_by_external(c, source, ext)? {
            return Ok(Some((i, false)));
        }
    } else if let Some(i) = db::incidents::find_by_key(c, &input.key.trim().to_uppercase())? {
        return Ok(Some((i, false)));
    }
    let mut input = input.clone();
    // A source's derived key may collide with an unrelated incident; the source id stays the identity.
    let base = input.key.trim().to_uppercase();
    let mut n = 2;
    while db::incidents::find_by_key(c, &input.key.trim().to_uppercase())?.is_some() {
        input.key = format!("{base}-{n}");
        n += 1;
    }
    let external = match (&imported.source, &imported.external_id) {
        (Some(source), Some(ext)) => Some(ExternalRef {
            source,
            external_id: ext,
        }),
        _ => None,
    };
    match crate::incidents::create(c, &input, actor, external) {
        Ok(i) => Ok(Some((i, true))),
        Err(ServiceError::Invalid(errors)) => {
            summary.field_errors(&at, "incident", errors);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
fn store_incident(
    c: &mut DbConn,
    file: &SourceFile,
    format: &str,
    imported: &ImportedIncident,
    req: &ImportRequest,
    audiences: &[String],
    actor: &Actor,
    summary: &mut ImportSummary,
) -> Result<(), Abort> {
    let Some((incident, created)) = resolve_incident(c, file, imported, req, actor, summary)?
    else {
        return Ok(());
    };
    let before = (
        summary.events_new,
        summary.messages_new,
        summary.mentions_new,
        summary.recipients_new,
    );
    let errors_before = summary.error_count;
    let mut known = db::timeline::known_records(c, incident.id)?;

    for m in &imported.mentions {
        let draft = match m.value.validate() {
            Ok(d) => d,
            Err(e) => {
                summary.field_errors(&m.at, "", e);
                continue;
            }
        };
        let hash = draft.content_hash();
        if let Some(ext) = &draft.external_id {
            if known.mention_ids.contains_key(ext) {
                summary.unchanged += 1;
                continue;
            }
        }
        if !known.mention_hashes.insert(hash) {
            summary.unchanged += 1;
            continue;
        }
        let id = db::timeline::insert_mention(c, incident.id, &draft, None)?;
        if let Some(ext) = &draft.external_id {
            known.mention_ids.insert(ext.clone(), id);
        }
        summary.mentions_new += 1;
        summary.sample("mention", draft.posted_at, &draft.text);
    }

    for e in &imported.events {
        let draft = match e.value.validate() {
            Ok(d) => d,
            Err(err) => {
                summary.field_errors(&e.at, "", err);
                continue;
            }
        };
        let seen_id = draft
            .external_id
            .as_ref()
            .is_some_and(|x| known.event_ids.contains(x));
        if seen_id || !known.event_hashes.insert(draft.content_hash()) {
            summary.unchanged += 1;
            continue;
        }
        if let Some(x) = &draft.external_id {
            known.event_ids.insert(x.clone());
        }
        db::timeline::insert_event(c, incident.id, &draft, None)?;
        summary.events_new += 1;
        summary.sample("event", draft.occurred_at, &draft.description);
    }

    let mention_ids: Vec<i64> = known.mention_ids.values().copied().collect();
    for m in &imported.messages {
        let mut input = m.value.message.clone();
        if let Some(ext) = &m.value.in_reply_to_external {
            match known.mention_ids.get(ext) {
                Some(id) => input.in_reply_to = Some(*id),
                None => {
                    summary.error(ReadError::at(
                        &m.at,
                        "in_reply_to",
                        format!("no mention has the id '{ext}'"),
                    ));
                    continue;
                }
            }
        }
        let draft = match input.validate(audiences, &mention_ids) {
            Ok(d) => d,
            Err(err) => {
                summary.field_errors(&m.at, "", err);
                continue;
            }
        };
        let seen_id = draft
            .external_id
            .as_ref()
            .is_some_and(|x| known.message_ids.contains(x));
        if seen_id || !known.message_hashes.insert(draft.content_hash()) {
            summary.unchanged += 1;
            continue;
        }
        if let Some(x) = &draft.external_id {
            known.message_ids.insert(x.clone());
        }
        db::timeline::insert_message(c, incident.id, &draft, None)?;
        summary.messages_new += 1;
        summary.sample("message", draft.sent_at, &draft.body);
    }

    let mut seen_addresses = HashSet::new();
    for r in &imported.recipients {
        let email = r.value.email.trim().to_lowercase();
        let mut errors = FieldErrors::default();
        if !crate::accounts::valid_email(&email) {
            errors.add("email", "is not a valid e-mail address");
        }
        if let Some(a) = &r.value.audience {
            if !audiences.contains(a) {
                errors.add("audience", format!("unknown audience '{a}'"));
            }
        }
        let locale = r
            .value
            .locale
            .clone()
            .unwrap_or_else(|| incident.language.to_string());
        if !crate::i18n::LANGUAGES.contains(&locale.as_str()) {
            errors.add("locale", "must be de or en");
        }
        if !errors.is_empty() {
            summary.field_errors(&r.at, "", errors);
            continue;
        }
        if !seen_addresses.insert(email.clone()) {
            summary.unchanged += 1;
            continue;
        }
        if db::recipients::merge(
            c,
            &email,
            r.value.name.trim(),
            r.value.audience.as_deref(),
            &locale,
        )? {
            summary.recipients_new += 1;
        } else {
            summary.unchanged += 1;
        }
    }

    let added = (
        summary.events_new,
        summary.messages_new,
        summary.mentions_new,
        summary.recipients_new,
    ) != before;
    if created {
        summary.incidents_created += 1;
    } else if added {
        summary.incidents_updated += 1;
        db::incidents::touch(c, incident.id)?;
    }
    if !summary.incidents.contains(&incident.key) {
        summary.incidents.push(incident.key.clone());
    }
    let skipped = summary.error_count - errors_before;
    if req.skip_invalid {
        summary.skipped += skipped;
    }
    let counts = serde_json::json!({
        "events_new": summary.events_new - before.0,
        "messages_new": summary.messages_new - before.1,
        "mentions_new": summary.mentions_new - before.2,
        "recipients_new": summary.recipients_new - before.3,
        "skipped": skipped,
    });
    let skipped_list: Vec<&ReadError> = summary
        .errors
        .iter()
        .filter(|e| e.file == file.name)
        .collect();
    db::imports::insert_batch(
        c,
        &db::imports::BatchForm {
            incident_id: Some(incident.id),
            user_id: actor.user_id,
            format,
            file_name: &file.name,
            checksum: &checksum(&file.bytes),
            counts: &counts.to_string(),
            skipped: &serde_json::to_string(&skipped_list).unwrap_or_else(|_| "[]".into()),
        },
    )?;
    if !req.dry_run {
        audit::record(
            c,
            actor,
            "import",
            Some(&incident.key),
            Some(&format!("{} ({format}): {counts}", file.name)),
        )?;
    }
    Ok(())
}
