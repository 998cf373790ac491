//! The import pipeline: read every file with its reader, validate every record, then store
//! what is new in one transaction — or nothing. A dry run does all of it and rolls back, so the
//! preview shows exactly what a commit would do.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::ops::ControlFlow;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::registry::{self, Format, StreamFn};
use super::{ImportedIncident, Location, ReadError, ReadOptions, Source};
use crate::db::audit::{self, Actor};
use crate::db::incidents::ExternalRef;
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident};
use crate::error::{ServiceError, ServiceResult};

/// At most this many errors are listed; the count says how many there were in all.
pub const MAX_LISTED_ERRORS: usize = 200;

/// A file uploaded, in memory.
pub struct SourceFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A file on disk (the command line): a table streams from it and is never held as a whole.
pub struct DiskFile {
    pub name: String,
    pub path: std::path::PathBuf,
}

/// What the pipeline reads a file through, wherever it is.
pub trait ImportFile {
    fn name(&self) -> &str;
    /// The start of the file, enough to recognise a table (all of it, when in memory).
    fn head(&self) -> std::io::Result<Cow<'_, [u8]>>;
    /// All of it, for the readers that read a file at once.
    fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>>;
    /// For readers that stream.
    fn source(&self) -> &dyn Source;
}

impl ImportFile for SourceFile {
    fn name(&self) -> &str {
        &self.name
    }

    fn head(&self) -> std::io::Result<Cow<'_, [u8]>> {
        Ok(Cow::Borrowed(&self.bytes))
    }

    fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        Ok(Cow::Borrowed(&self.bytes))
    }

    fn source(&self) -> &dyn Source {
        &self.bytes
    }
}

/// Enough of a file on disk to recognise it: a table's header line is at most
/// `csv::MAX_LINE_BYTES` long.
const HEAD_BYTES: u64 = 1024 * 1024 + 2;

impl ImportFile for DiskFile {
    fn name(&self) -> &str {
        &self.name
    }

    fn head(&self) -> std::io::Result<Cow<'_, [u8]>> {
        let mut head = Vec::new();
        std::fs::File::open(&self.path)?
            .take(HEAD_BYTES)
            .read_to_end(&mut head)?;
        Ok(Cow::Owned(head))
    }

    fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        Ok(Cow::Owned(std::fs::read(&self.path)?))
    }

    fn source(&self) -> &dyn Source {
        &self.path
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Incidents as the files describe them; records without an incident go to the one
    /// incident the other files describe (an error when they describe none or several).
    FromFiles,
    /// Every record goes to this incident.
    Existing(String),
    /// The files hold survey recipients only, who belong to the organisation, not an incident.
    Recipients,
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
    /// Incidents already counted as created or updated in this run: several files about one
    /// incident count it once.
    #[serde(skip)]
    counted: HashSet<i64>,
    /// Keys of the incidents the files describe, for the files that hold only records.
    #[serde(skip)]
    described: Vec<String>,
}

impl ImportSummary {
    fn error(&mut self, e: ReadError) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(e);
        }
    }

    /// Errors listed in `list` (capped by the reader) that stand for `count` problems in all.
    fn errors_counted(&mut self, list: Vec<ReadError>, count: usize) {
        let unlisted = count.saturating_sub(list.len());
        list.into_iter().for_each(|e| self.error(e));
        self.error_count += unlisted;
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

/// SHA-256 of a file, read through a small buffer.
fn checksum(source: &dyn Source) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut source.open()?, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
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
    files: &[impl ImportFile],
    req: &ImportRequest,
    actor: &Actor,
) -> ServiceResult<ImportSummary> {
    let mut summary = ImportSummary {
        dry_run: req.dry_run,
        ..Default::default()
    };
    // Streaming readers read inside the transaction, batch by batch; the others read first.
    let mut parsed: Vec<(
        &dyn ImportFile,
        &'static Format,
        Option<Vec<ImportedIncident>>,
    )> = Vec::new();
    let mut read_failed = false;
    for file in files {
        let name = file.name();
        let unreadable = |e: std::io::Error| ReadError::file(name, format!("cannot be read: {e}"));
        let chosen = file.head().map_err(unreadable).and_then(|head| {
            let format = registry::choose(name, &head, req.format.as_deref())?;
            if format.stream.is_some() {
                return Ok((format, None));
            }
            // Read at once: recognised again from all of it when only the start was seen.
            let bytes = file.bytes().map_err(unreadable)?;
            let format = if bytes.len() > head.len() {
                registry::choose(name, &bytes, req.format.as_deref())?
            } else {
                format
            };
            Ok((format, Some(bytes)))
        });
        let (format, bytes) = match chosen {
            Ok(chosen) => chosen,
            Err(e) => {
                summary.error(e);
                read_failed = true;
                continue;
            }
        };
        summary
            .formats
            .push((name.to_string(), format.name.to_string()));
        let Some(bytes) = bytes.filter(|_| format.stream.is_none()) else {
            parsed.push((file, format, None));
            continue;
        };
        match (format.read)(name, &bytes, &req.read) {
            Ok(incidents) => parsed.push((file, format, Some(incidents))),
            Err(errors) => {
                read_failed = true;
                errors.into_iter().for_each(|e| summary.error(e));
            }
        }
    }
    // Files that describe incidents go first: files that only hold records (a mailbox, a
    // table) join the incident the batch describes.
    parsed
        .sort_by_key(|(_, _, incidents)| !incidents.iter().flatten().any(|i| i.incident.is_some()));
    let outcome = crate::db::write_transaction::<ImportSummary, Abort, _>(conn, |c| {
        tracing::debug!(files = parsed.len(), "import: storing in one transaction");
        let audiences = db::audiences::keys(c)?;
        let default_locale = crate::organisation::load(c)?.default_language;
        for (file, format, incidents) in &parsed {
            let ctx = FileContext {
                file: *file,
                format: format.name,
                req,
                actor,
                audiences: &audiences,
                default_locale: default_locale.clone(),
            };
            match (incidents, format.stream) {
                (Some(incidents), _) => {
                    for imported in incidents {
                        if let Some(mut writer) =
                            IncidentWriter::open(c, &ctx, imported, &mut summary)?
                        {
                            writer.store(c, &ctx, imported, &mut summary)?;
                            writer.finish(c, &ctx, &mut summary)?;
                        }
                    }
                }
                (None, Some(stream)) => {
                    read_failed |= !stream_file(c, &ctx, stream, &mut summary)?;
                }
                (None, None) => {}
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

/// What every record of one file is stored with.
struct FileContext<'a> {
    file: &'a dyn ImportFile,
    format: &'static str,
    req: &'a ImportRequest,
    actor: &'a Actor,
    /// The organisation's audience keys.
    audiences: &'a [String],
    /// Language of recipients whose file gives none and who belong to no incident.
    default_locale: String,
}

/// Stores a streamed file batch by batch; false when the file could not be read.
fn stream_file(
    c: &mut DbConn,
    ctx: &FileContext,
    stream: StreamFn,
    summary: &mut ImportSummary,
) -> Result<bool, Abort> {
    let mut writer: Option<IncidentWriter> = None;
    let mut failure: Option<Abort> = None;
    let mut opened = false;
    let outcome = stream(
        ctx.file.name(),
        ctx.file.source(),
        &ctx.req.read,
        ctx.req.skip_invalid,
        &mut |batch| {
            let stored = (|| {
                if !opened {
                    opened = true;
                    writer = IncidentWriter::open(c, ctx, &batch, summary)?;
                }
                match writer.as_mut() {
                    Some(w) => w.store(c, ctx, &batch, summary),
                    None => Ok(()),
                }
            })();
            match stored {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    match outcome {
        Ok(end) => {
            summary.errors_counted(end.errors, end.error_count);
            if !opened {
                // An empty table still says where it would have gone (or that it cannot).
                writer = IncidentWriter::open(c, ctx, &ImportedIncident::default(), summary)?;
            }
            if let Some(mut w) = writer {
                w.skipped.extend(end.skipped);
                w.finish(c, ctx, summary)?;
            }
            Ok(true)
        }
        Err(refusal) => {
            summary.errors_counted(refusal.errors, refusal.error_count);
            Ok(false)
        }
    }
}

/// Finds or creates the incident a file's records belong to. None when it cannot (errors noted).
fn resolve_incident(
    c: &mut DbConn,
    ctx: &FileContext,
    imported: &ImportedIncident,
    summary: &mut ImportSummary,
) -> Result<Option<(Incident, bool)>, Abort> {
    let at = Location {
        file: ctx.file.name().to_string(),
        line: None,
        record: Some("incident".into()),
    };
    if let Target::Existing(key) = &ctx.req.target {
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
        return records_only(c, &at, summary);
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
    match crate::incidents::create(c, &input, ctx.actor, external) {
        Ok(i) => Ok(Some((i, true))),
        Err(ServiceError::Invalid(errors)) => {
            summary.field_errors(&at, "incident", errors);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The incident for a file that holds records but no incident: the one incident the other files
/// of the batch describe. None (errors noted) when they describe none or several.
fn records_only(
    c: &mut DbConn,
    at: &Location,
    summary: &mut ImportSummary,
) -> Result<Option<(Incident, bool)>, Abort> {
    let described = &summary.described;
    let reason = match described.as_slice() {
        [key] => match db::incidents::find_by_key(c, key)? {
            Some(i) => return Ok(Some((i, false))),
            None => format!("the incident {key} of this import cannot be found"),
        },
        [] => "this file holds records but no incident: import it into an incident (on the \
               incident's page, --incident KEY or incident=KEY), or together with the file that \
               describes the incident"
            .to_string(),
        keys => {
            let shown: Vec<&str> = keys.iter().take(5).map(String::as_str).collect();
            format!(
                "this file holds records but no incident, and the other files describe {} \
                 incidents ({}{}): import it on its own into the one it belongs to (on the \
                 incident's page, --incident KEY or incident=KEY)",
                keys.len(),
                shown.join(", "),
                if keys.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            )
        }
    };
    summary.error(ReadError::at(at, "incident", reason));
    Ok(None)
}

/// Adds one file's records to one incident (or, for `Target::Recipients`, to none): only what is
/// new, each record validated.
struct IncidentWriter {
    incident: Option<Incident>,
    created: bool,
    /// The incident's mentions (replies are checked against all of them).
    mentions: db::timeline::KnownMentions,
    /// What the incident holds from other views of its status page.
    views: OtherViews,
    seen_addresses: HashSet<String>,
    /// Records refused as invalid, each with its first problem (stored nonetheless only with
    /// `skip_invalid`, and then listed in the import batch).
    skipped: Vec<ReadError>,
    /// Summary counts when the writer opened: (events, messages, mentions, recipients).
    before: (usize, usize, usize, usize),
}

impl IncidentWriter {
    fn open(
        c: &mut DbConn,
        ctx: &FileContext,
        imported: &ImportedIncident,
        summary: &mut ImportSummary,
    ) -> Result<Option<Self>, Abort> {
        let (incident, created, mentions, views) = if ctx.req.target == Target::Recipients {
            (None, false, Default::default(), OtherViews::default())
        } else {
            let Some((incident, created)) = resolve_incident(c, ctx, imported, summary)? else {
                return Ok(None);
            };
            if imported.incident.is_some() && !summary.described.contains(&incident.key) {
                summary.described.push(incident.key.clone());
            }
            let mentions = db::timeline::known_mentions(c, incident.id)?;
            let views = OtherViews::load(c, &incident)?;
            (Some(incident), created, mentions, views)
        };
        Ok(Some(Self {
            incident,
            created,
            mentions,
            views,
            seen_addresses: HashSet::new(),
            skipped: Vec::new(),
            before: (
                summary.events_new,
                summary.messages_new,
                summary.mentions_new,
                summary.recipients_new,
            ),
        }))
    }

    /// A record refused: every problem goes to the summary, the first to the skipped list.
    fn refuse(&mut self, summary: &mut ImportSummary, at: &Location, errors: FieldErrors) {
        let first = match errors.0.first() {
            Some(fe) => ReadError::at(at, &fe.field, fe.message.clone()),
            None => ReadError::at(at, "", "is invalid"),
        };
        self.skipped.push(first);
        summary.field_errors(at, "", errors);
    }

    /// Stores one batch of a file's records. What the incident already holds of them is looked
    /// up for the batch, not kept for the whole file.
    fn store(
        &mut self,
        c: &mut DbConn,
        ctx: &FileContext,
        imported: &ImportedIncident,
        summary: &mut ImportSummary,
    ) -> Result<(), Abort> {
        let Some(incident_id) = self.incident.as_ref().map(|i| i.id) else {
            self.refuse_timeline(imported, summary);
            return self.store_recipients(c, ctx, imported, summary);
        };
        for m in &imported.mentions {
            let draft = match m.value.validate() {
                Ok(d) => d,
                Err(e) => {
                    self.refuse(summary, &m.at, e);
                    continue;
                }
            };
            let known = &mut self.mentions;
            let seen_id = draft
                .external_id
                .as_ref()
                .is_some_and(|x| known.by_external_id.contains_key(x));
            if seen_id || !known.hashes.insert(&draft.content_hash()) {
                summary.unchanged += 1;
                continue;
            }
            let id = db::timeline::insert_mention(c, incident_id, &draft, None)?;
            if let Some(ext) = &draft.external_id {
                known.by_external_id.insert(ext.clone(), id);
            }
            known.ids.push(id);
            summary.mentions_new += 1;
            summary.sample("mention", draft.posted_at, &draft.text);
        }

        let mut events = Vec::with_capacity(imported.events.len());
        for e in &imported.events {
            match e.value.validate() {
                Ok(d) => events.push(d),
                Err(err) => self.refuse(summary, &e.at, err),
            }
        }
        let times: Vec<_> = events.iter().map(|d| d.occurred_at).collect();
        let ids: Vec<&str> = events
            .iter()
            .filter_map(|d| d.external_id.as_deref())
            .collect();
        let mut known = db::timeline::known_events(c, incident_id, &distinct(times), &ids)?;
        for draft in &events {
            let seen_id = draft
                .external_id
                .as_ref()
                .is_some_and(|x| known.ids.contains(x));
            if seen_id
                || !known.hashes.insert(&draft.content_hash())
                || self.views.seen(View::event(draft))
            {
                summary.unchanged += 1;
                continue;
            }
            if let Some(x) = &draft.external_id {
                known.ids.insert(x.clone());
            }
            db::timeline::insert_event(c, incident_id, draft, None)?;
            summary.events_new += 1;
            summary.sample("event", draft.occurred_at, &draft.description);
        }

        let mut messages = Vec::with_capacity(imported.messages.len());
        for m in &imported.messages {
            let mut input = m.value.message.clone();
            if let Some(ext) = &m.value.in_reply_to_external {
                match self.mentions.by_external_id.get(ext) {
                    Some(id) => input.in_reply_to = Some(*id),
                    None => {
                        let errors = FieldErrors::single(
                            "in_reply_to",
                            format!("no mention has the id '{ext}'"),
                        );
                        self.refuse(summary, &m.at, errors);
                        continue;
                    }
                }
            }
            match input.validate(ctx.audiences, &self.mentions.ids) {
                Ok(d) => messages.push(d),
                Err(err) => self.refuse(summary, &m.at, err),
            }
        }
        let times: Vec<_> = messages.iter().map(|d| d.sent_at).collect();
        let ids: Vec<&str> = messages
            .iter()
            .filter_map(|d| d.external_id.as_deref())
            .collect();
        let mut known = db::timeline::known_messages(c, incident_id, &distinct(times), &ids)?;
        for draft in &messages {
            let seen_id = draft
                .external_id
                .as_ref()
                .is_some_and(|x| known.ids.contains(x));
            if seen_id
                || !known.hashes.insert(&draft.content_hash())
                || self.views.seen(View::message(draft))
            {
                summary.unchanged += 1;
                continue;
            }
            if let Some(x) = &draft.external_id {
                known.ids.insert(x.clone());
            }
            db::timeline::insert_message(c, incident_id, draft, None)?;
            summary.messages_new += 1;
            summary.sample("message", draft.sent_at, &draft.body);
        }

        self.store_recipients(c, ctx, imported, summary)
    }

    /// A recipients import holds nobody's timeline: anything else in it is named and left out.
    fn refuse_timeline(&mut self, imported: &ImportedIncident, summary: &mut ImportSummary) {
        let at = imported
            .events
            .iter()
            .map(|e| &e.at)
            .chain(imported.messages.iter().map(|m| &m.at))
            .chain(imported.mentions.iter().map(|m| &m.at));
        for at in at {
            let e = ReadError::at(
                at,
                "",
                "this import is for survey recipients; import timelines on the incident's page",
            );
            self.skipped.push(e.clone());
            summary.error(e);
        }
    }

    fn store_recipients(
        &mut self,
        c: &mut DbConn,
        ctx: &FileContext,
        imported: &ImportedIncident,
        summary: &mut ImportSummary,
    ) -> Result<(), Abort> {
        for r in &imported.recipients {
            let email = r.value.email.trim().to_lowercase();
            let mut errors = FieldErrors::default();
            if !crate::accounts::valid_email(&email) {
                errors.add("email", "is not a valid e-mail address");
            }
            if let Some(a) = &r.value.audience
                && !ctx.audiences.contains(a)
            {
                errors.add("audience", format!("unknown audience '{a}'"));
            }
            let locale = r.value.locale.clone().unwrap_or_else(|| {
                self.incident
                    .as_ref()
                    .map_or(ctx.default_locale.clone(), |i| i.language.to_string())
            });
            if !crate::i18n::LANGUAGES.contains(&locale.as_str()) {
                errors.add("locale", "must be de or en");
            }
            if !errors.is_empty() {
                self.refuse(summary, &r.at, errors);
                continue;
            }
            if !self.seen_addresses.insert(email.clone()) {
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
        Ok(())
    }

    /// Records the import batch (with every record skipped) and the audit entry.
    fn finish(
        self,
        c: &mut DbConn,
        ctx: &FileContext,
        summary: &mut ImportSummary,
    ) -> Result<(), Abort> {
        let (events, messages, mentions, recipients) = self.before;
        let added = (
            summary.events_new,
            summary.messages_new,
            summary.mentions_new,
            summary.recipients_new,
        ) != (events, messages, mentions, recipients);
        if let Some(incident) = &self.incident {
            if self.created {
                summary.incidents_created += 1;
                summary.counted.insert(incident.id);
            } else if added && summary.counted.insert(incident.id) {
                summary.incidents_updated += 1;
                db::incidents::touch(c, incident.id)?;
            }
            if !summary.incidents.contains(&incident.key) {
                summary.incidents.push(incident.key.clone());
            }
        }
        if ctx.req.skip_invalid {
            summary.skipped += self.skipped.len();
        }
        let counts = serde_json::json!({
            "events_new": summary.events_new - events,
            "messages_new": summary.messages_new - messages,
            "mentions_new": summary.mentions_new - mentions,
            "recipients_new": summary.recipients_new - recipients,
            "skipped": self.skipped.len(),
        });
        let file = ctx.file.name();
        let checksum = checksum(ctx.file.source()).map_err(|e| {
            Abort::Failed(ServiceError::Internal(format!(
                "{file}: cannot be read: {e}"
            )))
        })?;
        db::imports::insert_batch(
            c,
            &db::imports::BatchForm {
                incident_id: self.incident.as_ref().map(|i| i.id),
                user_id: ctx.actor.user_id,
                format: ctx.format,
                file_name: file,
                checksum: &checksum,
                counts: &counts.to_string(),
                skipped: &serde_json::to_string(&self.skipped).unwrap_or_else(|_| "[]".into()),
            },
        )?;
        if !ctx.req.dry_run {
            audit::record(
                c,
                ctx.actor,
                "import",
                Some(
                    self.incident
                        .as_ref()
                        .map_or("recipients", |i| i.key.as_str()),
                ),
                Some(&format!("{file} ({}): {counts}", ctx.format)),
            )?;
        }
        Ok(())
    }
}

/// The times once each, for a lookup.
fn distinct(mut times: Vec<chrono::NaiveDateTime>) -> Vec<chrono::NaiveDateTime> {
    times.sort_unstable();
    times.dedup();
    times
}

/// Two views of one status page, its API documents and its history feed, share no update ids,
/// and the feed gives times to the minute only. When an incident from Statuspage is imported
/// from both, an update it already holds from the other view is known by what the views share:
/// the minute it was posted and its text (for a status change, the minute and the kind).
/// Within one view ids decide, so two equal updates posted in the same minute both stay.
#[derive(Default)]
struct OtherViews {
    /// Only an incident from Statuspage has two views.
    active: bool,
    /// Minute and text of a record → the view (source) it was stored from.
    seen: HashMap<String, String>,
}

/// A record read from a view of a Statuspage page: its source names the view
/// (`statuspage:<page>`, `statuspage-feed:<host>`).
struct View {
    key: String,
    source: String,
}

impl View {
    fn of(source: Option<&str>, kind: &str, at: chrono::NaiveDateTime, text: &str) -> Option<Self> {
        let source = source.filter(|s| s.starts_with(super::statuspage::SOURCE))?;
        Some(Self {
            key: format!("{kind} {}", View::text_key(at, text)),
            source: source.to_string(),
        })
    }

    fn message(d: &crate::domain::timeline::MessageDraft) -> Option<Self> {
        View::of(d.source.as_deref(), "m", d.sent_at, &d.body)
    }

    fn event(d: &crate::domain::timeline::EventDraft) -> Option<Self> {
        View::of(d.source.as_deref(), "e", d.occurred_at, d.kind.as_str())
    }

    fn text_key(at: chrono::NaiveDateTime, text: &str) -> String {
        let words: Vec<&str> = text.split_whitespace().collect();
        format!("{} {}", at.format("%Y-%m-%dT%H:%M"), words.join(" "))
    }
}

impl OtherViews {
    /// Empty for incidents that did not come from Statuspage: nothing else has two views.
    fn load(c: &mut DbConn, incident: &Incident) -> Result<Self, Abort> {
        let mut views = Self::default();
        if incident.source.as_deref() != Some(super::statuspage::SOURCE) {
            return Ok(views);
        }
        views.active = true;
        let stored = db::timeline::status_page_records(c, incident.id)?;
        for r in stored {
            let kind = if r.is_message { "m" } else { "e" };
            if let Some(view) = View::of(r.source.as_deref(), kind, r.at, &r.text) {
                views.seen.entry(view.key).or_insert(view.source);
            }
        }
        Ok(views)
    }

    /// True when the record is stored already from another view; otherwise it is noted as
    /// stored from its own.
    fn seen(&mut self, view: Option<View>) -> bool {
        let Some(View { key, source }) = view.filter(|_| self.active) else {
            return false;
        };
        match self.seen.get(&key) {
            Some(stored) => stored != &source,
            None => {
                self.seen.insert(key, source);
                false
            }
        }
    }
}
