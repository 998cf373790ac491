//! Rows into records: each cell checked, every problem named with its line and column.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDateTime};

use super::bytes::{Decoded, Shape, csv_reason};
use super::columns::{Columns, TimeColumns};
use super::times::{Stamp, parse_clock, parse_date, parse_stamp, time_reason};
use super::vocab::{
    AUDIENCES, CHANNELS, EVENT_KINDS, Field, LANGUAGES, MESSAGE_KINDS, PLATFORMS, key_like, opt,
    shown,
};
use super::{BATCH_ROWS, MAX_ERRORS};
use crate::domain::incident::Language;
use crate::domain::time::{local_to_utc, utc_to_local};
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::import::html::{html_to_text, looks_like_html};
use crate::import::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, RecipientRecord,
    RecordKind, RecordSink, Source,
};
use crate::text::detect_language_or;

#[derive(Default)]
pub(super) struct Errors {
    pub(super) list: Vec<ReadError>,
    more: usize,
    /// The first problem of every bad row, when invalid rows are to be skipped: the import
    /// batch names every row it left out, not only the listed ones.
    pub(super) first_of_rows: Option<Vec<ReadError>>,
    /// `total()` when the current row began.
    row_start: usize,
}

impl Errors {
    fn push(&mut self, e: ReadError) {
        if let Some(rows) = &mut self.first_of_rows
            && self.list.len() + self.more == self.row_start
        {
            rows.push(e.clone());
        }
        if self.list.len() < MAX_ERRORS {
            self.list.push(e);
        } else {
            self.more += 1;
        }
    }

    fn start_row(&mut self) {
        self.row_start = self.total();
    }

    pub(super) fn total(&self) -> usize {
        self.list.len() + self.more
    }
}

/// What the first pass decides for the second: the language of texts without a cue (the
/// language of the rest of the file) and the rows whose message first informed an audience.
pub(super) struct Decisions {
    file_language: Language,
    first_rows: HashSet<usize>,
}

pub(super) enum Pass<'s> {
    /// Check every row and make the decisions; keep no records.
    Check,
    /// Hand the valid rows over in batches, with the decisions of the check.
    Emit {
        decisions: Decisions,
        sink: &'s mut RecordSink<'s>,
    },
}

/// The outcome of the check pass.
pub(super) struct Checked {
    pub(super) errors: Errors,
    pub(super) decisions: Decisions,
}

pub(super) struct Table<'a, 's> {
    file: &'a str,
    opts: &'a ReadOptions,
    cols: &'a Columns,
    headers: &'a [String],
    source: &'a dyn Source,
    shape: Shape,
    pass: Pass<'s>,
    errors: Errors,
    out: ImportedIncident,
    /// Ordinal of the current non-empty row, the same in both passes.
    row_no: usize,
    /// Messages with a language cue: (German, English).
    language_votes: (usize, usize),
    /// Per audience, the earliest message without a kind: (sent at, row).
    earliest: BTreeMap<String, (NaiveDateTime, usize)>,
    delivered: usize,
    stopped: bool,
}

impl<'a, 's> Table<'a, 's> {
    pub(super) fn new(
        file: &'a str,
        opts: &'a ReadOptions,
        cols: &'a Columns,
        headers: &'a [String],
        source: &'a dyn Source,
        shape: Shape,
        pass: Pass<'s>,
    ) -> Self {
        Self {
            file,
            opts,
            cols,
            headers,
            source,
            shape,
            pass,
            errors: Errors::default(),
            out: ImportedIncident::default(),
            row_no: 0,
            language_votes: (0, 0),
            earliest: BTreeMap::new(),
            delivered: 0,
            stopped: false,
        }
    }

    /// Reads every row after the header line.
    pub(super) fn rows(&mut self, kind: RecordKind) -> Result<(), Vec<ReadError>> {
        let text = Decoded::open(self.source, &self.shape)
            .map_err(|e| vec![ReadError::file(self.file, format!("cannot be read: {e}"))])?;
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(self.shape.delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(text);
        let mut record = ::csv::StringRecord::new();
        while !self.stopped {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    let start = record.position().map_or(0, |p| p.byte());
                    let line = reader.get_mut().line_at(start);
                    self.row(kind, &record, line);
                }
                Ok(false) => break,
                // The parser cannot tell where the next row starts: the rest of the file is
                // unreadable, which no skipping can repair.
                Err(e) => {
                    let line = e.position().map(|p| reader.get_mut().line_at(p.byte()));
                    return Err(vec![ReadError {
                        file: self.file.to_string(),
                        line,
                        record: None,
                        field: String::new(),
                        reason: csv_reason(&e),
                    }]);
                }
            }
        }
        self.flush();
        Ok(())
    }

    fn emitting(&self) -> bool {
        matches!(self.pass, Pass::Emit { .. })
    }

    /// Hands the records read so far to the sink (emit pass only).
    fn flush(&mut self) {
        let Pass::Emit { sink, .. } = &mut self.pass else {
            return;
        };
        let batch = std::mem::take(&mut self.out);
        let count = batch.events.len()
            + batch.messages.len()
            + batch.mentions.len()
            + batch.recipients.len();
        if count == 0 {
            return;
        }
        self.delivered += count;
        if sink(batch).is_break() {
            self.stopped = true;
        }
    }

    fn pushed(&mut self) {
        let held = self.out.events.len()
            + self.out.messages.len()
            + self.out.mentions.len()
            + self.out.recipients.len();
        if held >= BATCH_ROWS {
            self.flush();
        }
    }

    /// Keep the first problem of every bad row (see `Errors::first_of_rows`).
    pub(super) fn keep_skipped_rows(&mut self) {
        self.errors.first_of_rows = Some(Vec::new());
    }

    /// The errors and decisions of the check pass.
    pub(super) fn finish_check(self) -> Checked {
        // Short texts ("Testbetrieb", "12:35") carry no cue: they are in the language of the
        // rest of the file.
        let file_language = if self.language_votes.0 > self.language_votes.1 {
            Language::De
        } else {
            Language::En
        };
        // Without a kind column, the earliest message to an audience is its first message and
        // the others are updates (replies name their mention): scoring needs the first message.
        let first_rows = self.earliest.values().map(|&(_, row)| row).collect();
        Checked {
            errors: self.errors,
            decisions: Decisions {
                file_language,
                first_rows,
            },
        }
    }

    /// How many records the emit pass handed over.
    pub(super) fn delivered(&self) -> usize {
        self.delivered
    }

    fn cell<'r>(&self, rec: &'r ::csv::StringRecord, field: Field) -> &'r str {
        self.cols.at[field as usize]
            .and_then(|i| rec.get(i))
            .map_or("", str::trim)
    }

    fn column_cell(rec: &::csv::StringRecord, column: usize) -> &str {
        rec.get(column).map_or("", str::trim)
    }

    /// The header as written, or the field's name when the file has no such column.
    fn name(&self, field: Field) -> String {
        match self.cols.at[field as usize] {
            Some(i) => self.column_name(i),
            None => field.canonical().to_string(),
        }
    }

    fn column_name(&self, column: usize) -> String {
        self.headers
            .get(column)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", column + 1))
    }

    fn error(&mut self, at: &Location, field: &str, reason: impl Into<String>) {
        self.errors.push(ReadError::at(at, field, reason));
    }

    fn field_error(&mut self, at: &Location, field: Field, reason: impl Into<String>) {
        let name = self.name(field);
        self.error(at, &name, reason);
    }

    fn row(&mut self, kind: RecordKind, rec: &::csv::StringRecord, line: usize) {
        if rec.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let at = Location {
            file: self.file.to_string(),
            line: Some(line),
            record: None,
        };
        self.row_no += 1;
        self.errors.start_row();
        let before = self.errors.total();
        if rec.len() > self.headers.len()
            && rec
                .iter()
                .skip(self.headers.len())
                .any(|c| !c.trim().is_empty())
        {
            let field = format!("column {}", self.headers.len() + 1);
            let reason = format!(
                "the row has {} cells but the header has {}; a value that contains '{}' must be \
                 in double quotes",
                rec.len(),
                self.headers.len(),
                char::from(self.shape.delimiter)
            );
            self.error(&at, &field, reason);
        }
        match kind {
            RecordKind::Messages => self.message(rec, at, before),
            RecordKind::Events => self.event(rec, at, before),
            RecordKind::Mentions => self.mention(rec, at, before),
            RecordKind::Recipients => self.recipient(rec, at, before),
        }
    }

    /// The row's time in UTC; None (with the error recorded) when it has none or a bad one.
    fn row_time(&mut self, rec: &::csv::StringRecord, at: &Location) -> Option<NaiveDateTime> {
        let tz = self.opts.tz;
        match self.cols.time {
            TimeColumns::None => None,
            TimeColumns::One(column) => {
                let raw = Self::column_cell(rec, column);
                let reason = if raw.is_empty() {
                    "is empty; every row needs its time".to_string()
                } else if let Some(stamp) = parse_stamp(raw) {
                    return Some(stamp.to_utc(tz));
                } else {
                    time_reason(raw)
                };
                let name = self.column_name(column);
                self.error(at, &name, reason);
                None
            }
            TimeColumns::Pair(date_column, clock_column) => {
                let date_raw = Self::column_cell(rec, date_column);
                let clock_raw = Self::column_cell(rec, clock_column);
                // Excel writes dates as `10.03.2026 00:00` and times as `30.12.1899 14:05`:
                // only the part that belongs to the column counts.
                if clock_raw.is_empty()
                    && let Some(stamp) = parse_stamp(date_raw)
                {
                    return Some(stamp.to_utc(tz));
                }
                let date = parse_date(date_raw).or_else(|| parse_stamp(date_raw).map(|s| s.date));
                let clock = parse_clock(clock_raw)
                    .or_else(|| parse_stamp(clock_raw).map(|s| (s.time, s.offset)));
                if date.is_none() {
                    let reason = if date_raw.is_empty() {
                        "is empty; every row needs its date".to_string()
                    } else {
                        format!(
                            "'{}' is not a date like 2026-03-10 or 10.03.2026",
                            shown(date_raw)
                        )
                    };
                    let name = self.column_name(date_column);
                    self.error(at, &name, reason);
                }
                if clock.is_none() {
                    let reason = if clock_raw.is_empty() {
                        "is empty; every row needs its time of day".to_string()
                    } else {
                        format!("'{}' is not a time of day like 14:05", shown(clock_raw))
                    };
                    let name = self.column_name(clock_column);
                    self.error(at, &name, reason);
                }
                let (date, (time, offset)) = (date?, clock?);
                Some(Stamp { date, time, offset }.to_utc(tz))
            }
        }
    }

    /// A promised time (next update, ETA): a full time, or a time of day on the day of the
    /// message (the next day when that is earlier than the message).
    fn later_time(
        &mut self,
        rec: &::csv::StringRecord,
        at: &Location,
        field: Field,
        sent: Option<NaiveDateTime>,
    ) -> Option<NaiveDateTime> {
        let raw = self.cell(rec, field);
        if raw.is_empty() {
            return None;
        }
        let tz = self.opts.tz;
        if let Some(stamp) = parse_stamp(raw) {
            return Some(stamp.to_utc(tz));
        }
        if let (Some((time, offset)), Some(sent)) = (parse_clock(raw), sent) {
            let sent_local = match offset {
                Some(secs) => sent + Duration::seconds(secs),
                None => utc_to_local(sent, tz).naive_local(),
            };
            let mut local = sent_local.date().and_time(time);
            if local < sent_local {
                local += Duration::days(1);
            }
            return Some(match offset {
                Some(secs) => local - Duration::seconds(secs),
                None => local_to_utc(local, tz),
            });
        }
        let reason = format!("{} (or a time of day like 14:05)", time_reason(raw));
        self.field_error(at, field, reason);
        None
    }

    fn audiences(&mut self, rec: &::csv::StringRecord, at: &Location) -> Vec<String> {
        let raw = self.cell(rec, Field::Audience);
        if raw.is_empty() {
            if let Some(default) = &self.opts.default_audience {
                return vec![default.clone()];
            }
            self.field_error(
                at,
                Field::Audience,
                format!(
                    "is empty and no default audience was chosen for this import; use one of: {}",
                    AUDIENCES.allowed()
                ),
            );
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for part in raw.split([',', ';', '|']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let key = match AUDIENCES.lookup(part) {
                Some(key) => key.to_string(),
                None if key_like(part) => part.to_string(),
                None => {
                    self.field_error(
                        at,
                        Field::Audience,
                        format!(
                            "'{}' is not a known audience; use one of: {}",
                            shown(part),
                            AUDIENCES.allowed()
                        ),
                    );
                    continue;
                }
            };
            if !out.contains(&key) {
                out.push(key);
            }
        }
        out
    }

    fn language(&mut self, rec: &::csv::StringRecord, at: &Location) -> Option<&'static str> {
        let raw = self.cell(rec, Field::Language);
        if raw.is_empty() {
            return None;
        }
        let found = LANGUAGES.lookup(raw);
        if found.is_none() {
            self.field_error(
                at,
                Field::Language,
                format!(
                    "'{}' is not a language; use one of: {}",
                    shown(raw),
                    LANGUAGES.allowed()
                ),
            );
        }
        found
    }

    fn message(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let sent_at = self.row_time(rec, &at);

        let body_field = self
            .cols
            .pick(&[Field::Body, Field::Description, Field::Html]);
        let raw_body = match body_field {
            Some(Field::Html) | None => "",
            Some(field) => self.cell(rec, field),
        };
        let raw_html = self.cell(rec, Field::Html);
        let (body, body_html) = if !raw_html.is_empty() {
            let body = if raw_body.is_empty() || looks_like_html(raw_body) {
                html_to_text(if raw_body.is_empty() {
                    raw_html
                } else {
                    raw_body
                })
            } else {
                raw_body.to_string()
            };
            (body, Some(raw_html.to_string()))
        } else if looks_like_html(raw_body) {
            (html_to_text(raw_body), Some(raw_body.to_string()))
        } else {
            (raw_body.to_string(), None)
        };
        if body.trim().is_empty() {
            let field = body_field.unwrap_or(Field::Body);
            self.field_error(&at, field, "is empty; a message needs its text");
        }

        let audiences = self.audiences(rec, &at);

        let raw_channel = self.cell(rec, Field::Channel);
        let (channel, channel_platform) = if raw_channel.is_empty() {
            ("other", None)
        } else if let Some(channel) = CHANNELS.lookup(raw_channel) {
            (channel, None)
        } else if let Some(platform) = PLATFORMS.lookup(raw_channel) {
            ("social_media", Some(platform))
        } else {
            self.field_error(
                &at,
                Field::Channel,
                format!(
                    "'{}' is not a channel; use one of: {}, or a social network such as X or \
                     LinkedIn",
                    shown(raw_channel),
                    CHANNELS.allowed()
                ),
            );
            ("other", None)
        };
        let raw_platform = self.cell(rec, Field::Platform);
        let platform = if raw_platform.is_empty() {
            channel_platform.map(str::to_string)
        } else {
            Some(
                PLATFORMS
                    .lookup(raw_platform)
                    .map_or_else(|| raw_platform.to_lowercase(), str::to_string),
            )
        };

        let in_reply_to = opt(self.cell(rec, Field::InReplyTo));
        let raw_kind = self.cell(rec, Field::Kind);
        let kind = if raw_kind.is_empty() {
            if in_reply_to.is_some() {
                "reply"
            } else {
                "update"
            }
        } else {
            match MESSAGE_KINDS.lookup(raw_kind) {
                Some(kind) => kind,
                None => {
                    self.field_error(
                        &at,
                        Field::Kind,
                        format!(
                            "'{}' is not a kind of message; use one of: {}",
                            shown(raw_kind),
                            MESSAGE_KINDS.allowed()
                        ),
                    );
                    "update"
                }
            }
        };
        let language = self.language(rec, &at);
        let subject = opt(self.cell(rec, Field::Subject));
        let author_field = self
            .cols
            .pick(&[Field::Author, Field::Handle])
            .unwrap_or(Field::Author);
        let author = self.cell(rec, author_field).to_string();
        let next_update_at = self.later_time(rec, &at, Field::NextUpdate, sent_at);
        let eta_at = self.later_time(rec, &at, Field::Eta, sent_at);
        if self.errors.total() > before {
            return;
        }

        let language = match language {
            Some(l) => {
                if l == Language::De.as_str() {
                    self.language_votes.0 += 1;
                } else {
                    self.language_votes.1 += 1;
                }
                l.to_string()
            }
            None => {
                let cue = match &subject {
                    Some(s) => language_cue(&format!("{s}\n{body}")),
                    None => language_cue(&body),
                };
                match cue {
                    Some(Language::De) => self.language_votes.0 += 1,
                    Some(Language::En) => self.language_votes.1 += 1,
                    None => {}
                }
                match (&self.pass, cue) {
                    (_, Some(cue)) => cue.as_str().to_string(),
                    (Pass::Emit { decisions, .. }, None) => decisions.file_language.to_string(),
                    (Pass::Check, None) => String::new(),
                }
            }
        };
        let mut kind = kind;
        if !self.cols.has(Field::Kind) && kind == "update" {
            match (&self.pass, sent_at) {
                (Pass::Emit { decisions, .. }, _) => {
                    if decisions.first_rows.contains(&self.row_no) {
                        kind = "initial";
                    }
                }
                (Pass::Check, Some(at)) => {
                    for a in &audiences {
                        let earlier = self.earliest.get(a).is_none_or(|&(t, _)| at < t);
                        if earlier {
                            self.earliest.insert(a.clone(), (at, self.row_no));
                        }
                    }
                }
                (Pass::Check, None) => {}
            }
        }
        if !self.emitting() {
            return;
        }
        let message = MessageInput {
            sent_at,
            audiences,
            channel: channel.to_string(),
            platform,
            author,
            subject,
            body,
            body_html,
            language,
            kind: kind.to_string(),
            in_reply_to: None,
            next_update_at,
            eta_at,
            source: opt(self.cell(rec, Field::Source)),
            external_id: opt(self.cell(rec, Field::ExternalId)),
        };
        self.out.messages.push(Located {
            at,
            value: ImportedMessage {
                message,
                in_reply_to_external: in_reply_to,
            },
        });
        self.pushed();
    }

    fn event(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let occurred_at = self.row_time(rec, &at);
        let raw_kind = self.cell(rec, Field::Kind);
        // A row without a kind is still something that happened; it is kept as a note.
        let kind = if raw_kind.is_empty() {
            "note"
        } else {
            match EVENT_KINDS.lookup(raw_kind) {
                Some(kind) => kind,
                None => {
                    self.field_error(
                        &at,
                        Field::Kind,
                        format!(
                            "'{}' is not a kind of event; use one of: {}",
                            shown(raw_kind),
                            EVENT_KINDS.allowed()
                        ),
                    );
                    "note"
                }
            }
        };
        if self.errors.total() > before {
            return;
        }
        if !self.emitting() {
            return;
        }
        let description = self
            .cols
            .pick(&[Field::Description, Field::Body, Field::Subject])
            .map_or("", |f| self.cell(rec, f))
            .to_string();
        self.out.events.push(Located {
            at,
            value: EventInput {
                occurred_at,
                kind: kind.to_string(),
                description,
                source: opt(self.cell(rec, Field::Source)),
                external_id: opt(self.cell(rec, Field::ExternalId)),
            },
        });
        self.pushed();
    }

    fn mention(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let posted_at = self.row_time(rec, &at);
        let text_field = self
            .cols
            .pick(&[Field::Body, Field::Description])
            .unwrap_or(Field::Body);
        let text = self.cell(rec, text_field).to_string();
        if text.is_empty() {
            self.field_error(&at, text_field, "is empty; a mention needs its text");
        }
        let url = opt(self.cell(rec, Field::Url));
        let raw_platform = self.cell(rec, Field::Platform);
        let platform = if raw_platform.is_empty() {
            url.as_deref().and_then(platform_of_url)
        } else {
            Some(
                PLATFORMS
                    .lookup(raw_platform)
                    .map_or_else(|| raw_platform.to_lowercase(), str::to_string),
            )
        };
        if platform.is_none() {
            self.field_error(
                &at,
                Field::Platform,
                "is empty; name the platform, e.g. x, linkedin or facebook",
            );
        }
        if self.errors.total() > before {
            return;
        }
        if !self.emitting() {
            return;
        }
        let handle_field = self
            .cols
            .pick(&[Field::Handle, Field::Author])
            .unwrap_or(Field::Handle);
        self.out.mentions.push(Located {
            at,
            value: MentionInput {
                posted_at,
                platform: platform.unwrap_or_default(),
                author_handle: self.cell(rec, handle_field).to_string(),
                text,
                url,
                external_id: opt(self.cell(rec, Field::ExternalId)),
            },
        });
        self.pushed();
    }

    fn recipient(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let raw_email = self.cell(rec, Field::Email);
        let parsed = parse_address(raw_email);
        if parsed.is_none() {
            let reason = if raw_email.is_empty() {
                "is empty; every recipient needs an e-mail address".to_string()
            } else {
                format!("'{}' is not an e-mail address", shown(raw_email))
            };
            self.field_error(&at, Field::Email, reason);
        }
        let raw_audience = self.cell(rec, Field::Audience);
        let audience = if raw_audience.is_empty() {
            self.opts.default_audience.clone()
        } else if let Some(key) = AUDIENCES.lookup(raw_audience) {
            Some(key.to_string())
        } else if key_like(raw_audience) {
            Some(raw_audience.to_string())
        } else {
            let several = raw_audience.contains([',', ';', '|']);
            let reason = if several {
                format!(
                    "'{}' names several audiences; a recipient belongs to one of: {}",
                    shown(raw_audience),
                    AUDIENCES.allowed()
                )
            } else {
                format!(
                    "'{}' is not a known audience; use one of: {}",
                    shown(raw_audience),
                    AUDIENCES.allowed()
                )
            };
            self.field_error(&at, Field::Audience, reason);
            None
        };
        let locale = self.language(rec, &at);
        if self.errors.total() > before {
            return;
        }
        if !self.emitting() {
            return;
        }
        let Some((address_name, email)) = parsed else {
            return;
        };
        let name = match self.cell(rec, Field::Name) {
            "" => {
                let joined = [
                    self.cell(rec, Field::FirstName),
                    self.cell(rec, Field::LastName),
                ]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
                if joined.is_empty() {
                    address_name.unwrap_or_default()
                } else {
                    joined
                }
            }
            name => name.to_string(),
        };
        self.out.recipients.push(Located {
            at,
            value: RecipientRecord {
                email,
                name,
                audience,
                locale: locale.map(str::to_string),
            },
        });
        self.pushed();
    }
}

/// German or English when the text says so, None when it has no cue either way.
pub(super) fn language_cue(text: &str) -> Option<Language> {
    match detect_language_or(text, Language::De) {
        Language::En => Some(Language::En),
        Language::De => match detect_language_or(text, Language::En) {
            Language::De => Some(Language::De),
            Language::En => None,
        },
    }
}

/// The platform of a post from its link, for mention tables without a platform column.
pub(super) fn platform_of_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = ["www.", "m.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(&host);
    let platform = match host {
        "twitter.com" | "x.com" => "x",
        "linkedin.com" => "linkedin",
        "facebook.com" | "fb.com" => "facebook",
        "instagram.com" => "instagram",
        "bsky.app" => "bluesky",
        "threads.net" => "threads",
        "tiktok.com" => "tiktok",
        "youtube.com" | "youtu.be" => "youtube",
        "reddit.com" => "reddit",
        "xing.com" => "xing",
        other => return Some(other.to_string()),
    };
    Some(platform.to_string())
}

/// `anna@example.org`, `mailto:anna@example.org` or `Anna Muster <anna@example.org>`: the
/// name (if written) and the address.
pub(super) fn parse_address(raw: &str) -> Option<(Option<String>, String)> {
    let raw = raw.trim();
    let (name, address) = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(lt), Some(gt)) if lt < gt => (
            opt(raw[..lt].trim().trim_matches('"')),
            raw[lt + 1..gt].trim(),
        ),
        _ => (None, raw),
    };
    let address = address.strip_prefix("mailto:").unwrap_or(address).trim();
    let (local, domain) = address.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !address.contains(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>'));
    valid.then(|| (name, address.to_string()))
}
