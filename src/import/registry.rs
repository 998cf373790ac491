//! The formats Debrief reads. Adding a format is one reader file and one entry here
//! (see docs/import-formats.md). Detection tries the entries in order, so the more specific
//! formats come first.

use super::{
    ReadError, ReadOptions, ReadResult, cstate, csv, debrief_json, email, pagerduty, slack,
    statuspage,
};

pub struct Format {
    /// The name used by `--format` and the API.
    pub name: &'static str,
    pub description: &'static str,
    pub detect: fn(&str, &[u8]) -> bool,
    pub read: fn(&str, &[u8], &ReadOptions) -> ReadResult,
}

pub const FORMATS: &[Format] = &[
    Format {
        name: "debrief",
        description: "Debrief incident export (JSON)",
        detect: |_, b| debrief_json::detect(b),
        read: debrief_json::read,
    },
    // Before statuspage: every PagerDuty log entry carries an "incident" key too.
    Format {
        name: "pagerduty",
        description: "PagerDuty incident log entries (JSON): trigger, acknowledge, escalate, annotate, resolve, status updates",
        detect: |_, b| pagerduty::detect(b),
        read: pagerduty::read,
    },
    Format {
        name: "statuspage",
        description: "Atlassian Statuspage API v2 (incidents.json, incidents/{id}.json, summary.json)",
        detect: |_, b| statuspage::detect(b),
        read: statuspage::read,
    },
    Format {
        name: "cstate",
        description: "cState status page post (Markdown with front matter)",
        detect: cstate::detect,
        read: cstate::read,
    },
    Format {
        name: "slack",
        description: "Slack channel export (one JSON file per day) as internal chat messages",
        detect: slack::detect,
        read: slack::read,
    },
    Format {
        name: "email",
        description: "Sent e-mail as .eml files or an mbox",
        detect: email::detect,
        read: email::read,
    },
    // Last: it claims any .csv/.tsv/.txt name.
    Format {
        name: "csv",
        description: "CSV tables of events, messages, mentions or recipients (, or ;, UTF-8 or Windows-1252, English or German headers)",
        detect: csv::detect,
        read: csv::read,
    },
];

pub fn by_name(name: &str) -> Option<&'static Format> {
    FORMATS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name.trim()))
}

/// The named format, or the first that recognises the file.
pub fn choose(
    file_name: &str,
    bytes: &[u8],
    named: Option<&str>,
) -> Result<&'static Format, ReadError> {
    match named {
        Some(n) => by_name(n).ok_or_else(|| {
            let known: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
            ReadError::file(file_name, format!("unknown format '{n}'; known formats: {}", known.join(", ")))
        }),
        None => FORMATS.iter().find(|f| (f.detect)(file_name, bytes)).ok_or_else(|| {
            ReadError::file(
                file_name,
                "the format could not be recognised; name it explicitly (--format / format field)",
            )
        }),
    }
}
