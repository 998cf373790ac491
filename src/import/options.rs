//! What an import is asked to do, from the words of the command line, the API and the upload
//! form: read in one place, so all three accept and refuse the same things.

use std::collections::BTreeMap;

use super::pipeline::{ImportRequest, Target};
use super::{ReadOptions, RecordKind};

/// A refused option: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct OptionError {
    /// The option's name as the API spells it (`tz`, `records`, `map`, `audience_for`).
    pub field: &'static str,
    pub message: String,
}

/// The options as given, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions<'a> {
    pub format: Option<&'a str>,
    /// Add every record to this incident.
    pub incident: Option<&'a str>,
    /// Create or update the incidents the files describe, even for a table of recipients
    /// (which otherwise belong to the organisation, not an incident).
    pub new: bool,
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// Zone of times without an offset (the caller's default when not given).
    pub tz: &'a str,
    pub audience: Option<&'a str>,
    /// `events`, `messages`, `mentions` or `recipients`.
    pub records: Option<&'a str>,
    /// `address=audience` or `@domain=audience`, one pair each.
    pub audience_for: Vec<&'a str>,
    /// `file header=field`, one pair each.
    pub map: Vec<&'a str>,
}

impl ImportOptions<'_> {
    pub fn request(&self) -> Result<ImportRequest, OptionError> {
        let tz = crate::domain::time::parse_zone(self.tz).map_err(|message| OptionError {
            field: "tz",
            message,
        })?;
        let record_kind = record_kind(self.records)?;
        let incident = self.incident.map(str::trim).filter(|k| !k.is_empty());
        let target = match (incident, self.new) {
            (Some(_), true) => {
                return Err(OptionError {
                    field: "incident",
                    message: "name an incident to add the records to, or create new incidents \
                              from the files, not both"
                        .into(),
                });
            }
            (Some(key), false) => Target::Existing(key.to_string()),
            // Recipients belong to the organisation; a table of them needs no incident.
            (None, false) if record_kind == Some(RecordKind::Recipients) => Target::Recipients,
            (None, _) => Target::FromFiles,
        };
        let format = self.format.map(str::trim).filter(|f| !f.is_empty());
        if let Some(name) = format
            && super::registry::by_name(name).is_none()
        {
            return Err(OptionError {
                field: "format",
                message: format!(
                    "unknown format '{name}'; known formats: {}",
                    super::registry::names().join(", ")
                ),
            });
        }
        Ok(ImportRequest {
            format: format.map(str::to_string),
            target,
            dry_run: self.dry_run,
            skip_invalid: self.skip_invalid,
            read: ReadOptions {
                tz,
                default_audience: self
                    .audience
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
                // Addresses are matched in lower case.
                audience_by_address: pairs("audience_for", &self.audience_for)?
                    .into_iter()
                    .map(|(k, v)| (k.to_lowercase(), v))
                    .collect(),
                record_kind,
                column_mapping: pairs("map", &self.map)?,
            },
        })
    }
}

/// The record kind a name stands for; None for no name (decided from the file).
fn record_kind(name: Option<&str>) -> Result<Option<RecordKind>, OptionError> {
    Ok(match name.map(str::trim).unwrap_or("") {
        "" => None,
        "events" => Some(RecordKind::Events),
        "messages" => Some(RecordKind::Messages),
        "mentions" => Some(RecordKind::Mentions),
        "recipients" => Some(RecordKind::Recipients),
        other => {
            return Err(OptionError {
                field: "records",
                message: format!("'{other}' is not one of: {}", RECORD_KINDS.join(", ")),
            });
        }
    })
}

/// The names `record_kind` knows.
pub const RECORD_KINDS: [&str; 4] = ["events", "messages", "mentions", "recipients"];

/// `left=right` pairs; the error names the bad one.
pub fn pairs(field: &'static str, items: &[&str]) -> Result<BTreeMap<String, String>, OptionError> {
    let mut out = BTreeMap::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        match item.split_once('=') {
            Some((l, r)) if !l.trim().is_empty() && !r.trim().is_empty() => {
                out.insert(l.trim().to_string(), r.trim().to_string());
            }
            _ => {
                return Err(OptionError {
                    field,
                    message: format!("'{item}' is not of the form left=right"),
                });
            }
        }
    }
    Ok(out)
}

/// The items of a list written in one field, separated by commas or new lines.
pub fn split_list(text: Option<&str>) -> Vec<&str> {
    text.unwrap_or("")
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ImportOptions<'static> {
        ImportOptions {
            tz: "Europe/Zurich",
            ..Default::default()
        }
    }

    #[test]
    fn the_target_follows_incident_new_and_records() {
        let target = |o: ImportOptions| o.request().map(|r| r.target);
        assert_eq!(target(options()), Ok(Target::FromFiles));
        let existing = ImportOptions {
            incident: Some(" INC-7 "),
            ..options()
        };
        assert_eq!(target(existing), Ok(Target::Existing("INC-7".into())));
        let recipients = ImportOptions {
            records: Some("recipients"),
            ..options()
        };
        assert_eq!(target(recipients.clone()), Ok(Target::Recipients));
        // `new`: recipients in the files go with the incident they describe.
        let new = ImportOptions {
            new: true,
            ..recipients
        };
        assert_eq!(target(new.clone()), Ok(Target::FromFiles));
        let both = ImportOptions {
            incident: Some("INC-7"),
            ..new
        };
        assert_eq!(target(both).map_err(|e| e.field), Err("incident"));
    }

    #[test]
    fn bad_options_name_themselves() {
        let err = |o: ImportOptions| o.request().err().map(|e| e.to_string());
        assert_eq!(
            err(ImportOptions {
                records: Some("tweets"),
                ..options()
            }),
            Some("records: 'tweets' is not one of: events, messages, mentions, recipients".into())
        );
        assert!(
            err(ImportOptions {
                tz: "Mars/Olympus",
                ..options()
            })
            .is_some_and(|e| e.starts_with("tz: "))
        );
        assert_eq!(
            err(ImportOptions {
                format: Some("lotus-notes"),
                ..options()
            }),
            Some(format!(
                "format: unknown format 'lotus-notes'; known formats: {}",
                crate::import::registry::names().join(", ")
            ))
        );
        assert_eq!(
            err(ImportOptions {
                map: vec!["Gesendet am"],
                ..options()
            }),
            Some("map: 'Gesendet am' is not of the form left=right".into())
        );
    }

    #[test]
    fn pairs_and_lists() {
        let request = ImportOptions {
            audience_for: split_list(Some("Chef@Firma.ch=management,\n@firma.ch=employees")),
            map: vec!["Gesendet am = sent_at", "Text, lang=body"],
            audience: Some(" customers "),
            ..options()
        }
        .request()
        .expect("valid");
        let read = request.read;
        assert_eq!(
            read.audience_by_address
                .get("chef@firma.ch")
                .map(String::as_str),
            Some("management")
        );
        assert_eq!(read.audience_by_address.len(), 2);
        // A pair from the command line may hold a comma.
        assert_eq!(
            read.column_mapping.get("Text, lang").map(String::as_str),
            Some("body")
        );
        assert_eq!(read.default_audience.as_deref(), Some("customers"));
    }
}
