//! Which column holds which field, and which records a table holds.

use std::collections::BTreeMap;

use super::vocab::{AUDIENCES, FIELD_COUNT, Field, MAPPING_TARGETS, header_field, header_norm};
use crate::import::{ReadError, ReadOptions, RecordKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeColumns {
    None,
    One(usize),
    /// Date and time of day in two columns (`Datum` + `Uhrzeit`).
    Pair(usize, usize),
}

pub(super) struct Columns {
    pub(super) at: [Option<usize>; FIELD_COUNT],
    pub(super) time: TimeColumns,
}

impl Columns {
    pub(super) fn resolve(
        file: &str,
        headers: &[String],
        mapping: &BTreeMap<String, String>,
    ) -> Result<Self, Vec<ReadError>> {
        let mut at: [Option<usize>; FIELD_COUNT] = [None; FIELD_COUNT];
        let mut mapped = vec![false; headers.len()];
        let mut errors = Vec::new();
        let error = |field: &str, reason: String| ReadError {
            file: file.to_string(),
            line: Some(1),
            record: None,
            field: field.to_string(),
            reason,
        };
        for (from, to) in mapping {
            let wanted = header_norm(from);
            let column = headers
                .iter()
                .position(|h| h == from.trim())
                .or_else(|| headers.iter().position(|h| header_norm(h) == wanted));
            let Some(column) = column else {
                errors.push(error(
                    from,
                    format!(
                        "the column mapping names this column, but the file has none like it; \
                         its columns are: {}",
                        headers.join(", ")
                    ),
                ));
                continue;
            };
            mapped[column] = true;
            let target = to.trim().to_ascii_lowercase();
            let field = match MAPPING_TARGETS.iter().find(|(name, _)| *name == target) {
                Some((_, field)) => *field,
                None => match header_field(to) {
                    Some(field) => Some(field),
                    None => {
                        errors.push(error(
                            from,
                            format!(
                                "the column mapping maps it to '{}', which is not a field; use \
                                 one of: {}",
                                to.trim(),
                                MAPPING_TARGETS
                                    .iter()
                                    .map(|(name, _)| *name)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                        continue;
                    }
                },
            };
            if let Some(field) = field {
                match at[field as usize] {
                    None => at[field as usize] = Some(column),
                    Some(other) => errors.push(error(
                        from,
                        format!(
                            "the column mapping maps it to {}, as it does '{}'; a field is read \
                             from one column",
                            field.canonical(),
                            headers[other]
                        ),
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        for (column, header) in headers.iter().enumerate() {
            if mapped[column] {
                continue;
            }
            // The first of several columns that mean the same wins, as a reader of the table
            // would assume.
            if let Some(field) = header_field(header) {
                at[field as usize].get_or_insert(column);
            }
        }
        let time = match (
            at[Field::Timestamp as usize],
            at[Field::Date as usize],
            at[Field::Clock as usize],
        ) {
            (Some(one), _, _) => TimeColumns::One(one),
            (None, Some(date), Some(clock)) => TimeColumns::Pair(date, clock),
            (None, Some(one), None) | (None, None, Some(one)) => TimeColumns::One(one),
            (None, None, None) => TimeColumns::None,
        };
        Ok(Self { at, time })
    }

    pub(super) fn has(&self, field: Field) -> bool {
        self.at[field as usize].is_some()
    }

    /// The first of `fields` that has a column.
    pub(super) fn pick(&self, fields: &[Field]) -> Option<Field> {
        fields.iter().copied().find(|&f| self.has(f))
    }

    /// Messages name a channel or audience, mentions a platform or handle, events a kind,
    /// recipients an e-mail address and no time.
    pub(super) fn record_kind(&self) -> Option<RecordKind> {
        let has_time = self.time != TimeColumns::None;
        let has_text = self.has(Field::Body) || self.has(Field::Description);
        if self.has(Field::Email) && !has_time {
            return Some(RecordKind::Recipients);
        }
        if (self.has(Field::Channel) || self.has(Field::Audience))
            && (has_text || self.has(Field::Html))
        {
            return Some(RecordKind::Messages);
        }
        if (self.has(Field::Platform) || self.has(Field::Handle) || self.has(Field::Url))
            && has_text
        {
            return Some(RecordKind::Mentions);
        }
        if !self.has(Field::Channel) && has_time && (self.has(Field::Kind) || has_text) {
            return Some(RecordKind::Events);
        }
        if self.has(Field::Email) {
            return Some(RecordKind::Recipients);
        }
        None
    }

    /// Columns the kind cannot do without: (field, reason), reported once for the file.
    pub(super) fn missing_columns(
        &self,
        kind: RecordKind,
        opts: &ReadOptions,
    ) -> Vec<(&'static str, String)> {
        let mut missing = Vec::new();
        let time = |name: &'static str, what: &str| {
            (
                name,
                format!(
                    "the file has no column for the time {what}; name one e.g. `{name}`, \
                     `Zeitpunkt` or `Datum` + `Uhrzeit`, or map a column to `{name}`"
                ),
            )
        };
        match kind {
            RecordKind::Messages => {
                if self.time == TimeColumns::None {
                    missing.push(time("sent_at", "a message was sent"));
                }
                if self
                    .pick(&[Field::Body, Field::Description, Field::Html])
                    .is_none()
                {
                    missing.push((
                        "body",
                        "the file has no column for the message text; name one e.g. `body`, \
                         `Text` or `Nachricht`"
                            .to_string(),
                    ));
                }
                if !self.has(Field::Audience) && opts.default_audience.is_none() {
                    missing.push((
                        "audiences",
                        format!(
                            "the file has no audience column (e.g. `audience`, `Zielgruppe`) \
                             and no default audience was chosen for this import; audiences: {}",
                            AUDIENCES.allowed()
                        ),
                    ));
                }
            }
            RecordKind::Events => {
                if self.time == TimeColumns::None {
                    missing.push(time("occurred_at", "an event happened"));
                }
            }
            RecordKind::Mentions => {
                if self.time == TimeColumns::None {
                    missing.push(time("posted_at", "a mention was posted"));
                }
                if self.pick(&[Field::Body, Field::Description]).is_none() {
                    missing.push((
                        "text",
                        "the file has no column for the text of the mention; name one e.g. \
                         `text` or `Inhalt`"
                            .to_string(),
                    ));
                }
            }
            RecordKind::Recipients => {
                if !self.has(Field::Email) {
                    missing.push((
                        "email",
                        "the file has no e-mail column; name one e.g. `email` or \
                         `E-Mail-Adresse`"
                            .to_string(),
                    ));
                }
            }
        }
        missing
    }
}

pub(super) fn undecided_kind(file: &str, headers: &[String]) -> ReadError {
    ReadError {
        file: file.to_string(),
        line: Some(1),
        record: None,
        field: String::new(),
        reason: format!(
            "cannot tell from the columns ({}) whether the file holds events, messages, mentions \
             or recipients. Typical columns: messages `Zeit; Zielgruppe; Kanal; Nachricht`, \
             events `Zeit; Ereignis; Beschreibung`, mentions `Zeit; Plattform; Konto; Text`, \
             recipients `E-Mail; Name; Zielgruppe`. Choose the kind of records or map the \
             columns.",
            headers.join(", ")
        ),
    }
}
