//! Google Cloud's status dashboard history (`https://status.cloud.google.com/incidents.json`):
//! a list of incidents, each with its updates (newest first, text in Markdown).
//!
//! Each incident becomes one Debrief incident (idempotent by its id); each update a message to
//! the customers audience on the status-page channel; `begin` is when the impact started,
//! `created` when the provider knew (the first post), `end` when it was resolved.

use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::Value;

use super::json::{contains, json_start, parse_json};
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::incident::IncidentInput;
use crate::domain::time::parse_timestamp;
use crate::domain::timeline::{EventInput, MessageInput};
use crate::text::{detect_language, detect_language_or, markdown};

const SOURCE: &str = "gcp-status";
const AUDIENCE: &str = "customers";
const CHANNEL: &str = "status_page";

pub fn detect(bytes: &[u8]) -> bool {
    let Some(head) = json_start(bytes, b"[") else {
        return false;
    };
    let head = &head[..head.len().min(64 * 1024)];
    contains(head, b"\"external_desc\"") && contains(head, b"\"updates\"")
}

#[derive(Deserialize)]
struct RawIncident {
    id: Option<Value>,
    number: Option<Value>,
    begin: Option<String>,
    created: Option<String>,
    end: Option<String>,
    external_desc: Option<String>,
    #[serde(default)]
    updates: Vec<RawUpdate>,
    severity: Option<String>,
    status_impact: Option<String>,
    service_name: Option<String>,
    #[serde(default)]
    affected_products: Vec<RawProduct>,
}

#[derive(Deserialize)]
struct RawUpdate {
    created: Option<String>,
    when: Option<String>,
    text: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct RawProduct {
    title: Option<String>,
}

pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let root = parse_json(file_name, bytes, "Google Cloud status").map_err(|e| vec![e])?;
    let Value::Array(list) = root else {
        return Err(vec![ReadError::file(
            file_name,
            "is not a list of incidents as Google Cloud's incidents.json is",
        )]);
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, value) in list.into_iter().enumerate() {
        let at = Location {
            file: file_name.to_string(),
            line: None,
            record: Some(format!("[{i}]")),
        };
        match serde_json::from_value::<RawIncident>(value) {
            Ok(raw) => match incident(&at, raw, opts) {
                Ok(imported) => out.push(imported),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => errors.push(ReadError::at(&at, "", format!("is not an incident: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.sort_by_key(|i: &ImportedIncident| i.incident.as_ref().and_then(|x| x.detected_at));
    Ok(out)
}

fn id_text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn incident(
    at: &Location,
    raw: RawIncident,
    opts: &ReadOptions,
) -> Result<ImportedIncident, Vec<ReadError>> {
    let mut errors = Vec::new();
    let tz = opts.tz;
    let id = id_text(&raw.id);
    let begin = time(&mut errors, tz, "begin", &raw.begin, at);
    let created = time(&mut errors, tz, "created", &raw.created, at);
    let end = time(&mut errors, tz, "end", &raw.end, at);
    let mut updates = Vec::new();
    for (n, u) in raw.updates.iter().enumerate() {
        let uat = Location {
            record: Some(format!(
                "{}.updates[{n}]",
                at.record.as_deref().unwrap_or("")
            )),
            ..at.clone()
        };
        // `when` is the time the dashboard shows for the update; `created` when it was posted.
        let sent = time(&mut errors, tz, "when", &u.when, &uat)
            .or_else(|| time(&mut errors, tz, "created", &u.created, &uat));
        let text = u.text.as_deref().map(markdown::to_text).unwrap_or_default();
        match sent {
            Some(sent) if !text.is_empty() => updates.push((uat, sent, text, u.status.clone())),
            Some(_) => errors.push(ReadError::at(&uat, "text", "is empty")),
            None => errors.push(ReadError::at(
                &uat,
                "when",
                "is missing; an update needs its time",
            )),
        }
    }
    if id.is_none() {
        errors.push(ReadError::at(
            at,
            "id",
            "is missing; it identifies the incident on re-import",
        ));
    }
    let detected = created
        .or_else(|| updates.iter().map(|u| u.1).min())
        .or(begin);
    if detected.is_none() {
        errors.push(ReadError::at(
            at,
            "created",
            "is missing, and no update has a time",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(id), Some(detected)) = (id, detected) else {
        return Err(errors);
    };
    updates.sort_by_key(|u| u.1);

    let title = raw
        .external_desc
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(300).collect::<String>())
        .unwrap_or_else(|| format!("Google Cloud incident {id}"));
    let severity = match (raw.severity.as_deref(), raw.status_impact.as_deref()) {
        (Some("high"), _) | (None, Some("SERVICE_OUTAGE")) => "sev1",
        (Some("medium"), _) | (None, Some("SERVICE_DISRUPTION")) => "sev2",
        (Some("low"), _) => "sev3",
        _ => "sev4",
    };
    let mut services: Vec<String> = raw
        .affected_products
        .iter()
        .filter_map(|p| p.title.as_deref().map(str::trim))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if services.is_empty() {
        services.extend(
            raw.service_name
                .as_deref()
                .map(str::trim)
                .map(str::to_string),
        );
    }
    let all_text: String = std::iter::once(title.as_str())
        .chain(updates.iter().map(|u| u.2.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let language = detect_language(&all_text);
    let key_tail: String = id_text(&raw.number)
        .unwrap_or_else(|| id.clone())
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();

    let mut imported = ImportedIncident {
        source: Some(SOURCE.to_string()),
        external_id: Some(id.clone()),
        incident: Some(IncidentInput {
            key: format!("GCP-{}", key_tail.to_ascii_uppercase()),
            title,
            kind: "it_outage".into(),
            severity: severity.into(),
            status: if end.is_some() { "closed" } else { "open" }.into(),
            language: language.to_string(),
            started_at: begin.filter(|b| *b <= detected),
            detected_at: Some(detected),
            resolved_at: end,
            summary: String::new(),
            affected_services: services,
            audiences: vec![AUDIENCE.to_string()],
            apology_expected: false,
        }),
        ..Default::default()
    };
    imported.events.push(event(
        at,
        detected,
        "detected",
        "First post on the Google Cloud status dashboard",
        &format!("{id}:detected"),
    ));
    let last = updates.len().saturating_sub(1);
    for (n, (uat, sent, text, status)) in updates.into_iter().enumerate() {
        let available = status.as_deref() == Some("AVAILABLE");
        let kind = match (n, available) {
            (_, true) => "resolution",
            (0, false) => "initial",
            _ => "update",
        };
        if available && n == last {
            imported.events.push(event(
                &uat,
                sent,
                "resolved",
                "Google Cloud status: available again",
                &format!("{id}:resolved"),
            ));
        }
        imported.messages.push(Located {
            at: uat,
            value: ImportedMessage {
                message: MessageInput {
                    sent_at: Some(sent),
                    audiences: vec![AUDIENCE.to_string()],
                    channel: CHANNEL.into(),
                    platform: None,
                    author: "Google Cloud".into(),
                    subject: None,
                    language: detect_language_or(&text, language).to_string(),
                    body: text,
                    body_html: None,
                    kind: kind.into(),
                    in_reply_to: None,
                    next_update_at: None,
                    eta_at: None,
                    source: Some(SOURCE.into()),
                    external_id: Some(format!("{id}:{}", sent.and_utc().timestamp())),
                },
                in_reply_to_external: None,
            },
        });
    }
    Ok(imported)
}

/// A time field: None when absent, or when unreadable (the error noted).
fn time(
    errors: &mut Vec<ReadError>,
    tz: chrono_tz::Tz,
    field: &str,
    value: &Option<String>,
    at: &Location,
) -> Option<NaiveDateTime> {
    let raw = value.as_deref().filter(|v| !v.trim().is_empty())?;
    match parse_timestamp(raw, tz) {
        Ok(t) => Some(t),
        Err(reason) => {
            errors.push(ReadError::at(at, field, reason));
            None
        }
    }
}

fn event(
    at: &Location,
    occurred_at: NaiveDateTime,
    kind: &str,
    description: &str,
    external_id: &str,
) -> Located<EventInput> {
    Located {
        at: at.clone(),
        value: EventInput {
            occurred_at: Some(occurred_at),
            kind: kind.into(),
            description: description.into(),
            source: Some(SOURCE.into()),
            external_id: Some(external_id.into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like the published incidents.json (fields trimmed to what Debrief reads, plus the
    /// ones it ignores), updates newest first as the dashboard serves them.
    const SAMPLE: &str = r#"[
      {"id": "YzCTkn1sJ8PpgPK2p4dP", "number": "15190932498585592418",
       "begin": "2021-07-14T20:35:00+00:00", "created": "2021-07-14T21:39:39+00:00",
       "end": "2021-07-15T02:46:00+00:00", "modified": "2021-07-15T19:23:04+00:00",
       "external_desc": "Google Cloud Console users may see errors when listing resources",
       "updates": [
         {"created": "2021-07-15T02:49:30+00:00", "modified": "2021-07-15T02:49:31+00:00",
          "when": "2021-07-15T02:49:30+00:00", "status": "AVAILABLE",
          "text": "The issue with **Cloud Console** has been resolved for all affected users as of Wednesday, 2021-07-14 19:46 US/Pacific.\n\nWe thank you for your patience while we worked on resolving the issue.",
          "affected_locations": [{"title": "Global", "id": "global"}]},
         {"created": "2021-07-14T23:02:11+00:00", "when": "2021-07-14T23:02:11+00:00",
          "status": "SERVICE_DISRUPTION",
          "text": "**Summary:** Console errors\n\n**Description:** Mitigation work is underway.\n\nWe will provide an update by Wednesday, 2021-07-14 18:00 US/Pacific with current details.\n\n**Workaround:**\n- use the gcloud CLI\n- retry the request"},
         {"created": "2021-07-14T21:39:39+00:00", "when": "2021-07-14T21:39:39+00:00",
          "status": "SERVICE_DISRUPTION",
          "text": "We are investigating errors when listing resources in the Cloud Console."}
       ],
       "most_recent_update": {"status": "AVAILABLE"},
       "status_impact": "SERVICE_DISRUPTION", "severity": "medium",
       "service_key": "Wdsr1n5vyDvCt78qEifm", "service_name": "Google Cloud Console",
       "affected_products": [{"title": "Google Cloud Console", "id": "Wdsr1n5vyDvCt78qEifm"}],
       "uri": "incidents/YzCTkn1sJ8PpgPK2p4dP"}
    ]"#;

    #[test]
    fn an_incident_with_its_updates_in_time_order() {
        assert!(detect(SAMPLE.as_bytes()));
        let got =
            read("incidents.json", SAMPLE.as_bytes(), &ReadOptions::default()).expect("reads");
        assert_eq!(got.len(), 1);
        let i = &got[0];
        assert_eq!(i.external_id.as_deref(), Some("YzCTkn1sJ8PpgPK2p4dP"));
        let inc = i.incident.as_ref().expect("incident");
        assert_eq!(inc.key, "GCP-151909324985");
        assert_eq!(inc.severity, "sev2");
        assert_eq!(
            inc.affected_services,
            vec!["Google Cloud Console".to_string()]
        );
        assert_eq!(
            inc.detected_at.map(|t| t.to_string()).as_deref(),
            Some("2021-07-14 21:39:39")
        );
        assert_eq!(
            inc.started_at.map(|t| t.to_string()).as_deref(),
            Some("2021-07-14 20:35:00")
        );
        assert_eq!(
            inc.resolved_at.map(|t| t.to_string()).as_deref(),
            Some("2021-07-15 02:46:00")
        );
        let kinds: Vec<&str> = i
            .messages
            .iter()
            .map(|m| m.value.message.kind.as_str())
            .collect();
        assert_eq!(kinds, ["initial", "update", "resolution"]);
        let update = &i.messages[1].value.message.body;
        assert!(update.starts_with("Summary: Console errors"), "{update}");
        assert!(
            update.contains("- use the gcloud CLI\n- retry the request"),
            "{update}"
        );
        assert!(!update.contains("**"));
        assert_eq!(i.messages[2].value.message.language, "en");
        let events: Vec<&str> = i.events.iter().map(|e| e.value.kind.as_str()).collect();
        assert_eq!(events, ["detected", "resolved"]);
    }

    #[test]
    fn problems_name_the_record_and_field() {
        let bad = r#"[{"external_desc": "x", "updates": [{"text": "a", "when": "yesterday"}]}]"#;
        let errors =
            read("incidents.json", bad.as_bytes(), &ReadOptions::default()).expect_err("bad");
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.record.as_deref().unwrap_or(""), e.field.as_str()))
            .collect();
        assert!(fields.contains(&("[0].updates[0]", "when")), "{fields:?}");
        assert!(fields.contains(&("[0]", "id")), "{fields:?}");
        assert!(read("x.json", b"{\"a\":1}", &ReadOptions::default()).is_err());
        assert!(!detect(b"[{\"id\": 1}]"));
    }
}
