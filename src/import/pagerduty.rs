//! PagerDuty incident log entries (SPEC §3): the response of `GET /incidents/{id}/log_entries`
//! (`{"log_entries": […], "limit": …}`), a bare list of log entries, or one document
//! `{"incident": {…}, "log_entries": […]}` that also carries the full incident (priority,
//! urgency, title). Trigger, acknowledge, escalate, annotate, assign and resolve entries become
//! timeline events; status updates become e-mail messages to management.
//!
//! Entries are grouped by their `incident.id`, so a list fetched from the account-wide
//! `/log_entries` endpoint becomes one incident per PagerDuty incident.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::html::{html_to_text, looks_like_html};
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::incident::IncidentInput;
use crate::domain::time::parse_timestamp as parse_time;
use crate::domain::timeline::{EventInput, MessageInput};
use crate::text::{detect_language, detect_language_or};

const SOURCE: &str = "pagerduty";
/// Status updates are PagerDuty's messages to stakeholders: its subscribers are managers and
/// business owners, who receive them by e-mail.
const STATUS_UPDATE_AUDIENCE: &str = "management";
const STATUS_UPDATE_CHANNEL: &str = "email";
/// The responders' side of the incident: the audience the incident itself informs.
const INCIDENT_AUDIENCE: &str = "it_teams";

/// True when the bytes look like PagerDuty log entries: JSON that names `log_entries` or holds
/// entries whose type ends in `_log_entry` (a bare list).
pub fn detect(bytes: &[u8]) -> bool {
    let Some(bytes) = super::json::json_start(bytes, b"{[") else {
        return false;
    };
    super::json::contains(bytes, b"\"log_entries\"")
        || super::json::contains(bytes, b"_log_entry\"")
}

/// Reads PagerDuty log entries. All problems of the file are reported together.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let root = super::json::parse_json(file_name, bytes, "PagerDuty").map_err(|e| vec![e])?;
    let mut reader = Reader {
        file: file_name,
        zone: opts.tz,
        errors: Vec::new(),
    };
    let mut raw_entries: Vec<(String, &Value)> = Vec::new();
    let mut incident_doc: Option<&Map<String, Value>> = None;
    match &root {
        Value::Array(list) => {
            raw_entries.extend(list.iter().enumerate().map(|(i, v)| (format!("[{i}]"), v)));
        }
        Value::Object(obj) => {
            incident_doc = obj.get("incident").and_then(Value::as_object);
            match obj.get("log_entries") {
                Some(Value::Array(list)) => raw_entries.extend(
                    list.iter()
                        .enumerate()
                        .map(|(i, v)| (format!("log_entries[{i}]"), v)),
                ),
                Some(Value::Null) | None => {}
                Some(_) => reader.error("log_entries", "log_entries", "is not a list"),
            }
            // `GET /log_entries/{id}` answers with one entry.
            if let Some(one) = obj.get("log_entry") {
                raw_entries.push(("log_entry".to_string(), one));
            }
            match obj.get("status_updates") {
                Some(Value::Array(list)) => raw_entries.extend(
                    list.iter()
                        .enumerate()
                        .map(|(i, v)| (format!("status_updates[{i}]"), v)),
                ),
                Some(Value::Null) | None => {}
                Some(_) => reader.error("status_updates", "status_updates", "is not a list"),
            }
            if !obj.contains_key("log_entries") && !obj.contains_key("log_entry") {
                reader.error(
                    "$",
                    "log_entries",
                    "is missing: this is not a PagerDuty log entries document \
                     (GET /incidents/{id}/log_entries)",
                );
            }
        }
        _ => reader.error(
            "$",
            "",
            "is neither a JSON object nor a list of log entries",
        ),
    }

    let top = incident_doc.map(|inc| IncidentFacts::from_object(inc, &mut reader));
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    for (path, value) in raw_entries {
        let Some(entry) = reader.entry(&path, value) else {
            continue;
        };
        // Pages fetched twice and concatenated repeat entries; the id says they are one.
        if let Some(id) = &entry.id
            && !seen_ids.insert(id.clone())
        {
            continue;
        }
        entries.push(entry);
    }

    // Which incident each entry belongs to: its own reference, else the document's incident,
    // else the only incident the file names.
    let fallback_id = top.as_ref().and_then(|t| t.id.clone()).or_else(|| {
        let ids: HashSet<&str> = entries
            .iter()
            .filter_map(|e| e.incident.id.as_deref())
            .collect();
        match ids.len() {
            1 => ids.into_iter().next().map(str::to_string),
            _ => None,
        }
    });
    let mut groups: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for entry in entries {
        match entry.incident.id.clone().or_else(|| fallback_id.clone()) {
            Some(id) => groups.entry(id).or_default().push(entry),
            None => {
                let path = entry.path.clone();
                reader.error(
                    &path,
                    "incident.id",
                    "is missing, and the file names no single incident it could belong to",
                );
            }
        }
    }
    if groups.is_empty() && reader.errors.is_empty() {
        reader.error("$", "log_entries", "holds no log entries");
    }
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }

    let mut out = Vec::new();
    for (id, mut group) in groups {
        group.sort_by_key(|e| e.created_at);
        let facts = match &top {
            Some(t) if t.id.as_deref() == Some(id.as_str()) => t.clone(),
            _ => IncidentFacts::default(),
        };
        out.push(reader.incident(&id, &facts, group));
    }
    out.sort_by_key(|i| i.incident.as_ref().and_then(|x| x.detected_at));
    Ok(out)
}

/// What the file says about an incident beyond the log entries themselves.
#[derive(Debug, Clone, Default)]
struct IncidentFacts {
    id: Option<String>,
    title: Option<String>,
    html_url: Option<String>,
    priority: Option<String>,
    urgency: Option<String>,
    service: Option<String>,
    created_at: Option<NaiveDateTime>,
}

impl IncidentFacts {
    fn from_object(obj: &Map<String, Value>, reader: &mut Reader<'_>) -> Self {
        let created_at = text(obj, "created_at").and_then(|raw| {
            parse_time(&raw, reader.zone)
                .map_err(|reason| reader.error("incident", "created_at", reason))
                .ok()
        });
        Self {
            id: text(obj, "id"),
            // A full incident has `title`; a reference only `summary` ("[#1234] title").
            title: text(obj, "title").or_else(|| text(obj, "summary")),
            html_url: text(obj, "html_url"),
            priority: obj
                .get("priority")
                .and_then(Value::as_object)
                .and_then(|p| text(p, "summary").or_else(|| text(p, "name"))),
            urgency: text(obj, "urgency"),
            service: obj
                .get("service")
                .and_then(Value::as_object)
                .and_then(|s| text(s, "summary").or_else(|| text(s, "name"))),
            created_at,
        }
    }

    /// Fills what `self` lacks from `other`.
    fn merge(&mut self, other: &IncidentFacts) {
        fn fill<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
            if a.is_none() {
                a.clone_from(b);
            }
        }
        fill(&mut self.id, &other.id);
        fill(&mut self.title, &other.title);
        fill(&mut self.html_url, &other.html_url);
        fill(&mut self.priority, &other.priority);
        fill(&mut self.urgency, &other.urgency);
        fill(&mut self.service, &other.service);
        fill(&mut self.created_at, &other.created_at);
    }
}

/// One log entry as read.
#[derive(Debug)]
struct Entry {
    path: String,
    id: Option<String>,
    /// The type without `_log_entry`/`_reference`, e.g. `trigger`, `status_update`.
    kind: String,
    created_at: NaiveDateTime,
    summary: String,
    agent: Option<String>,
    channel_type: Option<String>,
    channel_summary: Option<String>,
    /// Text of a note or a status update, when the entry carries one.
    note: Option<String>,
    subject: Option<String>,
    incident: IncidentFacts,
}

struct Reader<'a> {
    file: &'a str,
    zone: Tz,
    errors: Vec<ReadError>,
}

impl Reader<'_> {
    fn loc(&self, path: &str) -> Location {
        Location {
            file: self.file.to_string(),
            line: None,
            record: Some(path.to_string()),
        }
    }

    fn error(&mut self, path: &str, field: &str, reason: impl Into<String>) {
        let e = ReadError::at(&self.loc(path), field, reason);
        self.errors.push(e);
    }

    fn entry(&mut self, path: &str, value: &Value) -> Option<Entry> {
        let Some(obj) = value.as_object() else {
            self.error(path, "", "is not a log entry object");
            return None;
        };
        let is_status_update = path.starts_with("status_updates");
        let kind = match text(obj, "type") {
            Some(t) => t
                .trim()
                .to_ascii_lowercase()
                .trim_end_matches("_reference")
                .trim_end_matches("_log_entry")
                .to_string(),
            // Entries of `GET /incidents/{id}/status_updates` have no type.
            None if is_status_update => "status_update".to_string(),
            None => {
                self.error(path, "type", "is missing");
                return None;
            }
        };
        // Status updates from their own endpoint have `sent_at`, not `created_at`.
        let raw_time = text(obj, "created_at").or_else(|| text(obj, "sent_at"));
        let Some(raw_time) = raw_time else {
            self.error(path, "created_at", "is missing");
            return None;
        };
        let created_at = match parse_time(&raw_time, self.zone) {
            Ok(t) => t,
            Err(reason) => {
                self.error(path, "created_at", reason);
                return None;
            }
        };
        let object = |k: &str| obj.get(k).and_then(Value::as_object);
        let channel = object("channel");
        let note = note_text(obj.get("note"))
            .or_else(|| note_text(obj.get("message")))
            .or_else(|| channel.and_then(|c| note_text(c.get("message"))))
            .or_else(|| {
                channel
                    .filter(|c| text(c, "type").as_deref() == Some("note"))
                    .and_then(|c| text(c, "summary").or_else(|| text(c, "notes")))
            });
        let mut incident = match object("incident") {
            Some(inc) => IncidentFacts::from_object(inc, self),
            None => IncidentFacts::default(),
        };
        if incident.service.is_none() {
            incident.service = object("service").and_then(|s| text(s, "summary"));
        }
        Some(Entry {
            path: path.to_string(),
            id: text(obj, "id"),
            kind,
            created_at,
            summary: text(obj, "summary").unwrap_or_default(),
            agent: object("agent")
                .or_else(|| object("sender"))
                .and_then(|a| text(a, "summary").or_else(|| text(a, "name"))),
            channel_type: channel.and_then(|c| text(c, "type")),
            channel_summary: channel.and_then(|c| text(c, "summary")),
            note,
            subject: text(obj, "subject").or_else(|| channel.and_then(|c| text(c, "subject"))),
            incident,
        })
    }

    fn incident(&self, id: &str, top: &IncidentFacts, entries: Vec<Entry>) -> ImportedIncident {
        let mut facts = top.clone();
        for e in &entries {
            facts.merge(&e.incident);
        }
        let triggered = entries
            .iter()
            .find(|e| e.kind == "trigger")
            .map(|e| e.created_at);
        let resolved_at = entries
            .iter()
            .rev()
            .find(|e| e.kind == "resolve")
            .map(|e| e.created_at);
        let first_entry = entries.first().map(|e| e.created_at);
        let detected_at = triggered.or(facts.created_at).or(first_entry);
        let title = facts
            .title
            .clone()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("PagerDuty incident {id}"));
        let language = detect_language(&title);

        let mut imported = ImportedIncident {
            source: Some(SOURCE.to_string()),
            external_id: Some(id.to_string()),
            ..Default::default()
        };
        let mut updates: Vec<(Location, &Entry)> = Vec::new();
        for e in &entries {
            let loc = self.loc(&e.path);
            let kind = match e.kind.as_str() {
                "trigger" => "detected",
                "acknowledge" => "acknowledged",
                "escalate" => "escalated",
                "resolve" => "resolved",
                // Notifications are the pages sent to each responder's phone: one per person
                // and contact method, dozens per incident, saying nothing the acknowledge and
                // escalate entries do not.
                "notify" => continue,
                "status_update" => {
                    updates.push((loc, e));
                    continue;
                }
                // annotate, assign, and the rarer ones (snooze, unacknowledge, priority
                // change…) are facts of the response a reviewer wants on the timeline.
                _ => "note",
            };
            imported.events.push(Located {
                at: loc,
                value: EventInput {
                    occurred_at: Some(e.created_at),
                    kind: kind.to_string(),
                    description: describe(e),
                    source: Some(SOURCE.to_string()),
                    external_id: e.id.clone(),
                },
            });
        }

        // Only the very last update can be the all-clear; one sent after the resolution but
        // followed by another was still an update.
        let last_after_resolution = match (resolved_at, updates.last()) {
            (Some(r), Some((_, last))) if last.created_at >= r => Some(updates.len() - 1),
            _ => None,
        };
        for (i, (loc, e)) in updates.into_iter().enumerate() {
            let raw = e
                .note
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| e.summary.clone());
            let (body, body_html) = render(&raw);
            // A status update without text told nobody anything; there is no message to review.
            if body.is_empty() {
                continue;
            }
            let kind = if Some(i) == last_after_resolution {
                "resolution"
            } else {
                "update"
            };
            let language = detect_language_or(&body, language);
            imported.messages.push(Located {
                at: loc,
                value: ImportedMessage {
                    message: MessageInput {
                        sent_at: Some(e.created_at),
                        audiences: vec![STATUS_UPDATE_AUDIENCE.to_string()],
                        channel: STATUS_UPDATE_CHANNEL.to_string(),
                        platform: None,
                        author: e.agent.clone().unwrap_or_default(),
                        subject: e.subject.clone(),
                        body,
                        body_html,
                        language: language.as_str().to_string(),
                        kind: kind.to_string(),
                        in_reply_to: None,
                        next_update_at: None,
                        eta_at: None,
                        source: Some(SOURCE.to_string()),
                        external_id: e.id.clone(),
                    },
                    in_reply_to_external: None,
                },
            });
        }

        let summary = match &facts.html_url {
            Some(url) => format!("Imported from PagerDuty: {url}"),
            None => format!("Imported from PagerDuty incident {id}"),
        };
        imported.incident = Some(IncidentInput {
            key: incident_key(id),
            title: truncate(&title, 200),
            kind: "it_outage".to_string(),
            severity: severity(facts.priority.as_deref(), facts.urgency.as_deref()).to_string(),
            status: if resolved_at.is_some() {
                "closed"
            } else {
                "open"
            }
            .to_string(),
            language: language.as_str().to_string(),
            started_at: None,
            detected_at,
            resolved_at,
            summary,
            affected_services: facts.service.clone().into_iter().collect(),
            audiences: vec![INCIDENT_AUDIENCE.to_string()],
            apology_expected: false,
        });
        imported
    }
}

/// What a timeline reader should see for an entry: the note itself for annotations, the
/// summary ("Acknowledged by Anna Muster") otherwise, and for a trigger what the alert said.
fn describe(e: &Entry) -> String {
    let summary = e.summary.trim();
    let text = match e.kind.as_str() {
        "annotate" => e
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(summary)
            .to_string(),
        "trigger" => match e.channel_summary.as_deref().map(str::trim) {
            Some(alert) if !alert.is_empty() && !summary.contains(alert) => {
                if summary.is_empty() {
                    alert.to_string()
                } else {
                    format!("{summary}: {alert}")
                }
            }
            _ => summary.to_string(),
        },
        _ => summary.to_string(),
    };
    let text = if text.is_empty() {
        let by = e
            .agent
            .as_deref()
            .map(|a| format!(" by {a}"))
            .unwrap_or_default();
        let via = e
            .channel_type
            .as_deref()
            .map(|c| format!(" via {c}"))
            .unwrap_or_default();
        format!("PagerDuty: {}{by}{via}", e.kind.replace('_', " "))
    } else {
        text
    };
    // Notes from integrations can be whole documents; the event keeps what fits.
    truncate(&text, 5000)
}

/// P1 is critical, P3 and below or low urgency minor, everything else sev2. Priority wins over
/// urgency: it is set by a person, while urgency is the service's default — "high" is
/// PagerDuty's default for every service, so on its own it does not make an incident critical.
fn severity(priority: Option<&str>, urgency: Option<&str>) -> &'static str {
    let level = priority.and_then(|p| {
        let p = p.trim().to_ascii_lowercase();
        match p.as_str() {
            "critical" | "highest" => Some(1),
            "high" => Some(2),
            "medium" | "moderate" => Some(3),
            "low" | "lowest" | "info" => Some(4),
            _ => {
                let digits: String = p
                    .chars()
                    .skip_while(|c| !c.is_ascii_digit())
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse::<u32>().ok()
            }
        }
    });
    match level {
        Some(0 | 1) => "sev1",
        Some(2) => "sev2",
        Some(_) => "sev3",
        None => match urgency.map(|u| u.trim().to_ascii_lowercase()).as_deref() {
            Some("low") => "sev3",
            _ => "sev2",
        },
    }
}

/// "PD-" and the incident id: PagerDuty ids are short upper-case base-36 (`PT4KHLK`, `Q1…`).
fn incident_key(id: &str) -> String {
    let clean: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(37)
        .collect::<String>()
        .to_ascii_uppercase();
    if clean.is_empty() {
        "PD-UNKNOWN".to_string()
    } else {
        format!("PD-{clean}")
    }
}

/// A string field; numbers are accepted because some tools write ids as numbers.
fn text(obj: &Map<String, Value>, field: &str) -> Option<String> {
    match obj.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A note is text, or an object with `content` (the incident notes API) or `message`.
fn note_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Object(o) => text(o, "content")
            .or_else(|| text(o, "message"))
            .or_else(|| text(o, "html_message")),
        _ => None,
    }
}

/// Text of a body, and the original when it was HTML.
fn render(body: &str) -> (String, Option<String>) {
    if looks_like_html(body) {
        (html_to_text(body), Some(body.to_string()))
    } else {
        let text = body.replace("\r\n", "\n").replace('\r', "\n");
        (text.trim().to_string(), None)
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => s[..cut].to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .naive_utc()
    }

    fn read_str(s: &str) -> ReadResult {
        read("log_entries.json", s.as_bytes(), &ReadOptions::default())
    }

    /// The shape of a real `GET /incidents/PT4KHLK/log_entries?include[]=channels` response,
    /// newest first as PagerDuty sends it, with every entry type Debrief handles.
    const LOG: &str = r#"{
      "log_entries": [
        {"id": "R8STATUS2", "type": "status_update_log_entry",
         "summary": "Status update sent", "created_at": "2026-03-10T08:20:00Z",
         "agent": {"id": "PUSER1", "type": "user_reference", "summary": "Anna Muster"},
         "channel": {"type": "web"},
         "message": "Mail delivery is working again. All queued messages were delivered. We will send a post-incident report on Friday.",
         "incident": {"id": "PT4KHLK", "type": "incident_reference", "summary": "[#1234] Mail delivery delayed"}},
        {"id": "R7RESOLVE", "type": "resolve_log_entry", "summary": "Resolved by Anna Muster",
         "created_at": "2026-03-10T08:05:00Z",
         "agent": {"id": "PUSER1", "type": "user_reference", "summary": "Anna Muster"},
         "channel": {"type": "website"},
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R6ANNOTATE", "type": "annotate_log_entry", "summary": "Note added",
         "created_at": "2026-03-10T07:40:00Z",
         "agent": {"id": "PUSER2", "type": "user_reference", "summary": "Ben Keller"},
         "channel": {"type": "note", "summary": "Queue on mx2 is draining, failover to mx3 done."},
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R5STATUS1", "type": "status_update_log_entry", "summary": "Status update sent",
         "created_at": "2026-03-10T07:30:00Z",
         "agent": {"id": "PUSER1", "type": "user_reference", "summary": "Anna Muster"},
         "message": "Outgoing mail is delayed by up to 40 minutes. We are working on it; next update at 08:00.",
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R4ASSIGN", "type": "assign_log_entry", "summary": "Assigned to Ben Keller by Anna Muster",
         "created_at": "2026-03-10T07:20:00Z",
         "agent": {"id": "PUSER1", "type": "user_reference", "summary": "Anna Muster"},
         "channel": {"type": "website"},
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R3ESCALATE", "type": "escalate_log_entry", "summary": "Escalated to level 2",
         "created_at": "2026-03-10T07:15:00Z",
         "channel": {"type": "timeout"},
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R2NOTIFY", "type": "notify_log_entry", "summary": "Notified Anna Muster via SMS",
         "created_at": "2026-03-10T07:01:00Z",
         "channel": {"type": "sms"},
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R2ACK", "type": "acknowledge_log_entry", "summary": "Acknowledged by Anna Muster",
         "created_at": "2026-03-10T08:02:00+01:00",
         "agent": {"id": "PUSER1", "type": "user_reference", "summary": "Anna Muster"},
         "channel": {"type": "mobile"},
         "incident": {"id": "PT4KHLK", "type": "incident_reference"}},
        {"id": "R1TRIGGER", "type": "trigger_log_entry", "summary": "Triggered through the API",
         "created_at": "2026-03-10T06:58:00Z",
         "channel": {"type": "api", "summary": "SMTP queue length above 5000 on mx2",
                     "details": {"queue": 5123}},
         "service": {"id": "PSVC1", "type": "service_reference", "summary": "Mail gateway"},
         "incident": {"id": "PT4KHLK", "type": "incident_reference",
                      "summary": "[#1234] Mail delivery delayed",
                      "html_url": "https://acme.pagerduty.com/incidents/PT4KHLK"}}
      ],
      "limit": 25, "offset": 0, "more": false, "total": null
    }"#;

    #[test]
    fn every_entry_type_lands_where_it_belongs() {
        let got = read_str(LOG).expect("reads");
        assert_eq!(got.len(), 1);
        let imp = &got[0];
        assert_eq!(imp.source.as_deref(), Some("pagerduty"));
        assert_eq!(imp.external_id.as_deref(), Some("PT4KHLK"));

        let events: Vec<(&str, &str, Option<&str>)> = imp
            .events
            .iter()
            .map(|e| {
                (
                    e.value.kind.as_str(),
                    e.value.description.as_str(),
                    e.value.external_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            events,
            [
                (
                    "detected",
                    "Triggered through the API: SMTP queue length above 5000 on mx2",
                    Some("R1TRIGGER")
                ),
                // 08:02+01:00 is 07:02Z.
                ("acknowledged", "Acknowledged by Anna Muster", Some("R2ACK")),
                ("escalated", "Escalated to level 2", Some("R3ESCALATE")),
                (
                    "note",
                    "Assigned to Ben Keller by Anna Muster",
                    Some("R4ASSIGN")
                ),
                (
                    "note",
                    "Queue on mx2 is draining, failover to mx3 done.",
                    Some("R6ANNOTATE")
                ),
                ("resolved", "Resolved by Anna Muster", Some("R7RESOLVE")),
            ]
        );
        assert!(
            !imp.events
                .iter()
                .any(|e| e.value.external_id.as_deref() == Some("R2NOTIFY"))
        );
        assert_eq!(
            imp.events[1].value.occurred_at,
            Some(t("2026-03-10T07:02:00Z"))
        );
        assert!(imp.events.iter().all(|e| e.value.validate().is_ok()));
        assert_eq!(imp.events[0].at.record.as_deref(), Some("log_entries[8]"));

        let msgs: Vec<&MessageInput> = imp.messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(msgs.len(), 2);
        assert_eq!(
            msgs.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            ["update", "resolution"]
        );
        assert!(msgs.iter().all(|m| m.channel == "email"
            && m.audiences == ["management"]
            && m.author == "Anna Muster"
            && m.language == "en"));
        assert!(msgs[0].body.starts_with("Outgoing mail is delayed"));
        assert_eq!(msgs[1].external_id.as_deref(), Some("R8STATUS2"));
        assert_eq!(msgs[1].sent_at, Some(t("2026-03-10T08:20:00Z")));
        let known = ["management".to_string()];
        assert!(msgs.iter().all(|m| m.validate(&known, &[]).is_ok()));

        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.key, "PD-PT4KHLK");
        assert_eq!(inc.title, "[#1234] Mail delivery delayed");
        assert_eq!(inc.kind, "it_outage");
        assert_eq!(inc.severity, "sev2");
        assert_eq!(inc.status, "closed");
        assert_eq!(inc.language, "en");
        assert_eq!(inc.detected_at, Some(t("2026-03-10T06:58:00Z")));
        assert_eq!(inc.resolved_at, Some(t("2026-03-10T08:05:00Z")));
        assert_eq!(inc.audiences, ["it_teams"]);
        assert_eq!(inc.affected_services, ["Mail gateway"]);
        assert!(
            inc.summary
                .contains("https://acme.pagerduty.com/incidents/PT4KHLK")
        );
        assert!(inc.validate(&["it_teams".to_string()]).is_ok());
    }

    #[test]
    fn a_full_incident_document_sets_title_and_severity() {
        let doc = r#"{
          "incident": {"id": "Q1ABC2DEF", "type": "incident", "title": "Anmeldung am Portal gestört",
            "summary": "[#88] Anmeldung am Portal gestört", "urgency": "high",
            "priority": {"id": "P1X", "type": "priority", "summary": "P1"},
            "service": {"id": "S1", "summary": "Kundenportal"},
            "created_at": "2026-04-02T09:00:00Z", "html_url": "https://acme.pagerduty.com/incidents/Q1ABC2DEF"},
          "log_entries": [
            {"id": "L2", "type": "acknowledge_log_entry", "created_at": "2026-04-02T09:04:00Z",
             "summary": "Acknowledged by Jana Frei"},
            {"id": "L1", "type": "trigger_log_entry", "created_at": "2026-04-02T09:01:00Z",
             "summary": "Triggered through the website"}
          ]}"#;
        let got = read_str(doc).expect("reads");
        let imp = &got[0];
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.key, "PD-Q1ABC2DEF");
        assert_eq!(inc.title, "Anmeldung am Portal gestört");
        assert_eq!(inc.severity, "sev1");
        assert_eq!(inc.language, "de");
        assert_eq!(inc.status, "open");
        assert_eq!(inc.resolved_at, None);
        assert_eq!(inc.detected_at, Some(t("2026-04-02T09:01:00Z")));
        assert_eq!(inc.affected_services, ["Kundenportal"]);
        // Entries without their own incident reference belong to the document's incident.
        assert_eq!(imp.events.len(), 2);
        assert!(imp.messages.is_empty());
    }

    #[test]
    fn priority_wins_over_urgency() {
        assert_eq!(severity(Some("P1"), Some("low")), "sev1");
        assert_eq!(severity(Some("P2"), Some("high")), "sev2");
        assert_eq!(severity(Some("P3"), None), "sev3");
        assert_eq!(severity(Some("P5"), Some("high")), "sev3");
        assert_eq!(severity(Some("SEV-1"), None), "sev1");
        assert_eq!(severity(None, Some("high")), "sev2");
        assert_eq!(severity(None, Some("low")), "sev3");
        assert_eq!(severity(None, None), "sev2");
        assert_eq!(severity(Some("Custom"), Some("low")), "sev3");
    }

    #[test]
    fn a_bare_list_with_two_incidents_becomes_two_incidents() {
        let doc = r#"[
          {"id": "A1", "type": "trigger_log_entry", "created_at": "2026-05-01T10:00:00Z",
           "summary": "Triggered", "incident": {"id": "PAAA", "summary": "Disk full on db-1"}},
          {"id": "B1", "type": "trigger_log_entry", "created_at": "2026-05-01T09:00:00Z",
           "summary": "Triggered", "incident": {"id": "PBBB", "summary": "VPN down"}},
          {"id": "B2", "type": "resolve_log_entry", "created_at": "2026-05-01T09:30:00Z",
           "summary": "Resolved", "incident": {"id": "PBBB"}},
          {"id": "B2", "type": "resolve_log_entry", "created_at": "2026-05-01T09:30:00Z",
           "summary": "Resolved", "incident": {"id": "PBBB"}},
          {"id": "B3", "type": "snooze_log_entry", "created_at": "2026-05-01T09:10:00Z",
           "summary": "Snoozed for 10 minutes", "incident": {"id": "PBBB"}}
        ]"#;
        assert!(detect(doc.as_bytes()));
        let got = read_str(doc).expect("reads");
        let keys: Vec<&str> = got
            .iter()
            .filter_map(|i| i.incident.as_ref().map(|x| x.key.as_str()))
            .collect();
        assert_eq!(keys, ["PD-PBBB", "PD-PAAA"]);
        // The repeated entry is read once; the snooze is a note.
        let kinds: Vec<&str> = got[0]
            .events
            .iter()
            .map(|e| e.value.kind.as_str())
            .collect();
        assert_eq!(kinds, ["detected", "note", "resolved"]);
        assert_eq!(got[0].events[0].at.record.as_deref(), Some("[1]"));
    }

    #[test]
    fn status_updates_from_their_own_endpoint_and_updates_before_resolution() {
        let doc = r#"{"incident": {"id": "PXYZ", "summary": "Zahlungen verzögert"},
          "log_entries": [
            {"id": "E1", "type": "trigger_log_entry", "created_at": "2026-06-01T12:00:00Z", "summary": "Triggered"}
          ],
          "status_updates": [
            {"id": "SU1", "message": "<p>Zahlungen werden <b>verzögert</b> verarbeitet. Nächstes Update um 13:00.</p>",
             "sender": {"summary": "Lea Roth"}, "created_at": "2026-06-01T12:20:00Z", "subject": "Störung Zahlungen"}
          ]}"#;
        let got = read_str(doc).expect("reads");
        let m = &got[0].messages[0].value.message;
        assert_eq!(
            m.body,
            "Zahlungen werden verzögert verarbeitet. Nächstes Update um 13:00."
        );
        assert!(m.body_html.as_deref().is_some_and(|h| h.contains("<b>")));
        assert_eq!(m.kind, "update");
        assert_eq!(m.language, "de");
        assert_eq!(m.author, "Lea Roth");
        assert_eq!(m.subject.as_deref(), Some("Störung Zahlungen"));
        assert_eq!(
            got[0].messages[0].at.record.as_deref(),
            Some("status_updates[0]")
        );
    }

    #[test]
    fn bad_entries_name_record_and_field() {
        let doc = r#"{"log_entries": [
          {"id": "X1", "type": "trigger_log_entry", "created_at": "gestern", "incident": {"id": "P1"}},
          {"id": "X2", "created_at": "2026-01-01T00:00:00Z", "incident": {"id": "P1"}},
          {"id": "X3", "type": "acknowledge_log_entry", "incident": {"id": "P1"}},
          "junk"
        ]}"#;
        let errs = read_str(doc).expect_err("invalid");
        let got: Vec<(Option<&str>, &str)> = errs
            .iter()
            .map(|e| (e.record.as_deref(), e.field.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("log_entries[0]"), "created_at"),
                (Some("log_entries[1]"), "type"),
                (Some("log_entries[2]"), "created_at"),
                (Some("log_entries[3]"), ""),
            ]
        );
        assert!(errs[0].reason.contains("'gestern' is not an RFC 3339 time"));
        assert!(
            errs[0]
                .to_string()
                .starts_with("log_entries.json, log_entries[0], field created_at: ")
        );
        let two = r#"[
          {"type": "trigger_log_entry", "created_at": "2026-01-01T00:00:00Z", "incident": {"id": "P1"}},
          {"type": "trigger_log_entry", "created_at": "2026-01-01T00:00:00Z", "incident": {"id": "P2"}},
          {"type": "annotate_log_entry", "created_at": "2026-01-01T00:00:00Z"}
        ]"#;
        let errs = read_str(two).expect_err("unassigned entry");
        assert_eq!(errs[0].record.as_deref(), Some("[2]"));
        assert_eq!(errs[0].field, "incident.id");
        let not_ours = read_str(r#"{"incidents": []}"#).expect_err("not ours");
        assert!(
            not_ours[0]
                .reason
                .contains("not a PagerDuty log entries document")
        );
        assert!(
            read_str(r#"{"log_entries": []}"#).expect_err("empty")[0]
                .reason
                .contains("no log entries")
        );
    }

    #[test]
    fn hostile_input_is_refused_clearly() {
        let deep = format!(
            "{{\"log_entries\": {}{}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        let e = read_str(&deep).expect_err("too deep");
        assert!(e[0].reason.contains("deeper than 64"), "{e:?}");
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let e = read("dump.bin", &junk, &ReadOptions::default()).expect_err("binary");
        assert!(e[0].reason.contains("not UTF-8"));
        assert_eq!(e[0].file, "dump.bin");
        let e = read_str("{\"log_entries\": [\u{1}\u{2}]").expect_err("control chars");
        assert!(e[0].reason.contains("not valid JSON"));
        let strings = format!("{{\"log_entries\": [], \"x\": \"{}\"}}", "[".repeat(100));
        assert!(
            !read_str(&strings).expect_err("empty")[0]
                .reason
                .contains("deeper")
        );
        for (i, _) in LOG.char_indices() {
            let _ = read_str(&LOG[..i]);
        }
    }

    #[test]
    fn detects_log_entries_only() {
        assert!(detect(LOG.as_bytes()));
        assert!(detect(b"\xEF\xBB\xBF[{\"type\": \"trigger_log_entry\"}]"));
        assert!(!detect(b"{\"incidents\": []}"));
        assert!(!detect(b"From: a@b.test\nlog_entries"));
        assert!(!detect(b"[{\"type\": \"message\", \"ts\": \"1.2\"}]"));
    }
}
