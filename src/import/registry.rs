//! The formats Debrief reads. Adding a format is one reader file and one entry here
//! (see docs/import-formats.md). Detection tries the entries in order, so the more specific
//! formats come first.

use super::{
    ReadError, ReadOptions, ReadResult, RecordSink, Refusal, Source, StreamEnd, cstate, csv,
    debrief_json, email, feed, gcp, pagerduty, slack, statuspage,
};

/// A reader that hands its records over in batches (see `csv::stream`), for formats whose files
/// grow to hundreds of thousands of records.
pub type StreamFn =
    fn(&str, &dyn Source, &ReadOptions, bool, &mut RecordSink<'_>) -> Result<StreamEnd, Refusal>;

pub struct Format {
    /// The name used by `--format` and the API.
    pub name: &'static str,
    pub description: &'static str,
    pub detect: fn(&str, &[u8]) -> bool,
    /// Last resort, asked only when no format recognised the file: the format's documents
    /// inside other text (a test's string, documentation).
    pub detect_embedded: Option<fn(&str, &[u8]) -> bool>,
    pub read: fn(&str, &[u8], &ReadOptions) -> ReadResult,
    /// For formats that stream, the pipeline stores batch by batch instead of calling `read`.
    pub stream: Option<StreamFn>,
}

pub const FORMATS: &[Format] = &[
    Format {
        name: "debrief",
        description: "Debrief incident export (JSON)",
        detect: |_, b| debrief_json::detect(b),
        detect_embedded: None,
        read: debrief_json::read,
        stream: None,
    },
    // Before statuspage: every PagerDuty log entry carries an "incident" key too.
    Format {
        name: "pagerduty",
        description: "PagerDuty incident log entries (JSON): trigger, acknowledge, escalate, annotate, resolve, status updates",
        detect: |_, b| pagerduty::detect(b),
        detect_embedded: None,
        read: pagerduty::read,
        stream: None,
    },
    Format {
        name: "gcp",
        description: "Google Cloud status history (incidents.json)",
        detect: |_, b| gcp::detect(b),
        detect_embedded: None,
        read: gcp::read,
        stream: None,
    },
    Format {
        name: "statuspage",
        description: "Atlassian Statuspage API v2 (incidents.json, incidents/{id}.json, summary.json)",
        detect: |_, b| statuspage::detect(b),
        detect_embedded: Some(|_, b| statuspage::detect_embedded(b)),
        read: statuspage::read,
        stream: None,
    },
    Format {
        name: "cstate",
        description: "cState status page post (Markdown with front matter)",
        detect: cstate::detect,
        detect_embedded: None,
        read: cstate::read,
        stream: None,
    },
    Format {
        name: "slack",
        description: "Slack channel export (one JSON file per day) as internal chat messages",
        detect: slack::detect,
        detect_embedded: None,
        read: slack::read,
        stream: None,
    },
    Format {
        name: "feed",
        description: "Status page history feed (Atom or RSS), e.g. Statuspage's history.atom",
        detect: feed::detect,
        detect_embedded: None,
        read: feed::read,
        stream: None,
    },
    Format {
        name: "email",
        description: "Sent e-mail as .eml files or an mbox",
        detect: email::detect,
        detect_embedded: None,
        read: email::read,
        stream: None,
    },
    // Last: it claims any .csv/.tsv/.txt name.
    Format {
        name: "csv",
        description: "CSV tables of events, messages, mentions or recipients (, or ;, UTF-8 or Windows-1252, English or German headers)",
        detect: csv::detect,
        detect_embedded: None,
        read: csv::read,
        stream: Some(csv::stream),
    },
];

/// Every format's name, in the order detection tries them.
pub fn names() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name).collect()
}

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
            ReadError::file(
                file_name,
                format!("unknown format '{n}'; known formats: {}", names().join(", ")),
            )
        }),
        None => FORMATS
            .iter()
            .find(|f| (f.detect)(file_name, bytes))
            .or_else(|| {
                FORMATS
                    .iter()
                    .find(|f| f.detect_embedded.is_some_and(|d| d(file_name, bytes)))
            })
            .ok_or_else(|| {
            ReadError::file(
                file_name,
                "the format could not be recognised; name it explicitly (--format / format field)",
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small file of every format, named so that only its content can tell (where the
    /// format allows), and the format detection must choose for it.
    const SAMPLES: &[(&str, &str, &str)] = &[
        (
            "debrief",
            "upload",
            r#"{"format": "debrief-incident/1", "incident": {"key": "INC-1", "title": "Mail down"}}"#,
        ),
        (
            "pagerduty",
            "upload",
            r#"{"log_entries": [{"id": "R1", "type": "trigger_log_entry", "created_at": "2026-03-10T08:00:00Z",
                "incident": {"id": "P1", "summary": "DB down"}}]}"#,
        ),
        (
            "gcp",
            "upload",
            r#"[{"id": "abc", "external_desc": "Cloud SQL errors", "begin": "2026-03-10T08:00:00+00:00",
                "updates": [{"text": "We are investigating.", "when": "2026-03-10T08:05:00+00:00"}]}]"#,
        ),
        (
            "statuspage",
            "upload",
            r#"{"page": {"id": "p1"}, "incidents": [{"id": "i1", "name": "API errors",
                "created_at": "2026-03-10T08:00:00Z", "incident_updates": []}]}"#,
        ),
        (
            "statuspage",
            "status_test.go",
            "package status\n\nvar fixture = []byte(`{\"incidents\": [{\"id\": \"i1\", \"name\": \"API errors\",\n\
             \"created_at\": \"2026-03-10T08:00:00Z\", \"incident_updates\": []}]}`)\n",
        ),
        (
            "cstate",
            "2026-03-10-mail.md",
            "\n---\ntitle: Mail gestört\ndate: 2026-03-10T08:00:00\nresolved: true\nseverity: disrupted\naffected:\n  - Mail\n---\nWir arbeiten daran.\n",
        ),
        (
            "slack",
            "2026-03-10.json",
            r#"[{"type": "message", "user": "U1", "text": "Mail is down", "ts": "1773129600.000100"}]"#,
        ),
        (
            "feed",
            "upload",
            "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Status</title>\
             <entry><id>x</id><title>Down</title><updated>2026-03-10T08:00:00Z</updated></entry></feed>",
        ),
        (
            "feed",
            "upload",
            "<rss version=\"2.0\"><channel><title>Status</title><item><title>Down</title></item></channel></rss>",
        ),
        (
            "email",
            "upload",
            "From: it@firma.ch\nTo: alle@firma.ch\nSubject: Störung E-Mail\nDate: Tue, 10 Mar 2026 09:00:00 +0100\n\nDer Mailversand ist gestört.\n",
        ),
        (
            "email",
            "upload",
            "From it@firma.ch Tue Mar 10 09:00:00 2026\nFrom: it@firma.ch\nSubject: Mail down\n\nMail is down.\n",
        ),
        (
            "csv",
            "upload",
            "Zeitpunkt;Zielgruppe;Kanal;Nachricht\n10.03.2026 09:00;Mitarbeitende;E-Mail;Der Mailversand ist gestört.\n",
        ),
        ("csv", "briefings.csv", "a,b\n1,2\n"),
    ];

    #[test]
    fn choose_recognises_a_sample_of_every_format() {
        for (expected, name, text) in SAMPLES {
            let chosen = choose(name, text.as_bytes(), None)
                .unwrap_or_else(|e| panic!("{expected} sample {name}: {e}"));
            assert_eq!(chosen.name, *expected, "sample {name}: {text}");
            // Named, the format is taken as named, whatever the content.
            let named =
                choose(name, text.as_bytes(), Some(&expected.to_uppercase())).expect("named");
            assert_eq!(named.name, *expected);
        }
        for format in FORMATS {
            assert!(
                SAMPLES.iter().any(|(name, _, _)| *name == format.name),
                "no sample of {}",
                format.name
            );
        }
        let reason = |r: Result<&Format, ReadError>| r.err().map(|e| e.reason).unwrap_or_default();
        assert!(
            reason(choose("notes", b"just some words", None)).contains("could not be recognised")
        );
        assert_eq!(
            reason(choose("x", b"", Some("lotus"))),
            format!(
                "unknown format 'lotus'; known formats: {}",
                names().join(", ")
            )
        );
    }
}
