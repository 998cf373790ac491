//! Import: one reader per format turns a file into the same domain records; the pipeline
//! validates, previews and commits them. This module holds what readers produce.
//!
//! Readers are pure functions over bytes (no database): they are unit-tested on real data.

pub mod cstate;
pub mod csv;
pub mod debrief_json;
pub mod email;
pub mod feed;
pub mod gcp;
pub mod html;
pub mod json;
pub mod options;
pub mod pagerduty;
pub mod pipeline;
pub mod registry;
pub mod slack;
pub mod statuspage;

use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::incident::IncidentInput;
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};

/// Where in a file a record came from, for error messages ("file, line or record, field, reason").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    /// 1-based line for text formats; for JSON the record path, e.g. `incidents[3].incident_updates[0]`.
    pub line: Option<usize>,
    pub record: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadError {
    pub file: String,
    pub line: Option<usize>,
    pub record: Option<String>,
    pub field: String,
    pub reason: String,
}

impl ReadError {
    pub fn at(loc: &Location, field: &str, reason: impl Into<String>) -> Self {
        Self {
            file: loc.file.clone(),
            line: loc.line,
            record: loc.record.clone(),
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    pub fn file(file: &str, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line: None,
            record: None,
            field: String::new(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(r) = &self.record {
            write!(f, ", {r}")?;
        }
        if !self.field.is_empty() {
            write!(f, ", field {}", self.field)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A record with the place it was read from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub at: Location,
    pub value: T,
}

/// An outbound message as a reader sees it: replies name the mention by its external id.
#[derive(Debug, Clone)]
pub struct ImportedMessage {
    pub message: MessageInput,
    pub in_reply_to_external: Option<String>,
}

/// Everything a reader found about one incident. `incident` is None when the file only adds
/// records to an incident chosen at import time (e.g. a CSV of messages).
#[derive(Debug, Clone, Default)]
pub struct ImportedIncident {
    /// Identity in the source system (e.g. `statuspage`, `"k2tvqbb0sfn8"`), so a re-import or a
    /// second source with the same incident updates one incident.
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub incident: Option<IncidentInput>,
    pub events: Vec<Located<EventInput>>,
    pub messages: Vec<Located<ImportedMessage>>,
    pub mentions: Vec<Located<MentionInput>>,
    /// People to survey later (from a recipients CSV).
    pub recipients: Vec<Located<RecipientRecord>>,
}

/// A survey recipient as read from a file; validated and merged by the pipeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientRecord {
    pub email: String,
    pub name: String,
    /// Audience key, e.g. `employees`.
    pub audience: Option<String>,
    /// `de` or `en`.
    pub locale: Option<String>,
}

/// Which records a table (CSV) holds, when its headers alone do not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Events,
    Messages,
    Mentions,
    Recipients,
}

/// Options that apply to every reader.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Zone for times written without an offset.
    pub tz: Tz,
    /// Audience for messages whose format does not say (e.g. e-mails without a mapping).
    pub default_audience: Option<String>,
    /// Recipient address (or `@domain`) → audience key, for sent e-mail.
    pub audience_by_address: std::collections::BTreeMap<String, String>,
    /// For tables: which records the file holds (None = decide from the headers).
    pub record_kind: Option<RecordKind>,
    /// For tables: the file's header → Debrief's field name, when the headers differ.
    pub column_mapping: std::collections::BTreeMap<String, String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            tz: chrono_tz::Europe::Zurich,
            default_audience: None,
            audience_by_address: Default::default(),
            record_kind: None,
            column_mapping: Default::default(),
        }
    }
}

/// What a reader returns: the incidents it found, or every problem it found.
pub type ReadResult = Result<Vec<ImportedIncident>, Vec<ReadError>>;

/// A file a streaming reader can read from the start as often as it needs, through a small
/// buffer: the bytes of an upload, or a file on disk that is never held in memory as a whole.
pub trait Source {
    fn open(&self) -> std::io::Result<Box<dyn std::io::Read + '_>>;
}

impl Source for &[u8] {
    fn open(&self) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(Box::new(*self))
    }
}

impl Source for Vec<u8> {
    fn open(&self) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(Box::new(self.as_slice()))
    }
}

impl Source for std::path::PathBuf {
    fn open(&self) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(Box::new(std::fs::File::open(self)?))
    }
}

/// Where a streaming reader hands its records: one batch at a time; `Break` stops the reading
/// (the receiver failed and keeps its own error).
pub type RecordSink<'s> = dyn FnMut(ImportedIncident) -> std::ops::ControlFlow<()> + 's;

/// What a streaming reader reports once it has handed over its records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamEnd {
    /// Records handed to the sink.
    pub delivered: usize,
    /// Every invalid record left out (only when skipping invalid records was asked for), each
    /// with its first problem: the import batch lists them all.
    pub skipped: Vec<ReadError>,
    /// The problems, capped at the reader's limit …
    pub errors: Vec<ReadError>,
    /// … of this many in all.
    pub error_count: usize,
}

/// Why a streaming reader handed over nothing: the problems it lists (capped at its limit) of
/// `error_count` in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refusal {
    pub errors: Vec<ReadError>,
    pub error_count: usize,
}

impl From<Vec<ReadError>> for Refusal {
    fn from(errors: Vec<ReadError>) -> Self {
        Self {
            error_count: errors.len(),
            errors,
        }
    }
}
