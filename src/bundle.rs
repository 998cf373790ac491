//! Debrief's own incident format (`debrief-incident/1`): one incident with its events, mentions
//! and messages, times in UTC (RFC 3339). The demo incidents are written in it; `export` writes
//! it and the `debrief` import reader reads it back.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::incident::IncidentInput;
use crate::domain::time::format_rfc3339;
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::incidents::IncidentTimeline;

pub const FORMAT: &str = "debrief-incident/1";

#[derive(Debug, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub incident: IncidentInput,
    #[serde(default)]
    pub events: Vec<EventInput>,
    #[serde(default)]
    pub mentions: Vec<MentionInput>,
    #[serde(default)]
    pub messages: Vec<BundleMessage>,
}

/// A message whose reply target is the mention's external id (database ids mean nothing in a file).
#[derive(Debug, Deserialize)]
pub struct BundleMessage {
    #[serde(flatten)]
    pub message: MessageInput,
    #[serde(default, rename = "in_reply_to")]
    pub in_reply_to_external: Option<String>,
}

/// The incident with its whole timeline in the exchange format. Replies name their mention by
/// its external id; a mention entered by hand gets `m<id>` so the reference survives the trip.
pub fn export(tl: &IncidentTimeline) -> Value {
    let t = |v: Option<chrono::NaiveDateTime>| v.map(format_rfc3339);
    let mention_ref = |id: i64| {
        tl.mentions.iter().find(|m| m.id == id).map(|m| {
            m.external_id
                .clone()
                .unwrap_or_else(|| format!("m{}", m.id))
        })
    };
    let i = &tl.incident;
    json!({
        "format": FORMAT,
        "incident": {
            "key": i.key, "title": i.title, "kind": i.kind, "severity": i.severity, "status": i.status,
            "language": i.language, "started_at": t(i.started_at), "detected_at": format_rfc3339(i.detected_at),
            "resolved_at": t(i.resolved_at), "summary": i.summary, "affected_services": i.affected_services,
            "audiences": i.audiences, "apology_expected": i.apology_expected,
        },
        "events": tl.events.iter().map(|e| json!({
            "occurred_at": format_rfc3339(e.occurred_at), "kind": e.kind, "description": e.description,
            "source": e.source, "external_id": e.external_id,
        })).collect::<Vec<_>>(),
        "mentions": tl.mentions.iter().map(|m| json!({
            "posted_at": format_rfc3339(m.posted_at), "platform": m.platform, "author_handle": m.author_handle,
            "text": m.text, "url": m.url, "external_id": m.external_id.clone().unwrap_or_else(|| format!("m{}", m.id)),
        })).collect::<Vec<_>>(),
        "messages": tl.messages.iter().map(|m| json!({
            "sent_at": format_rfc3339(m.sent_at), "audiences": m.audiences, "channel": m.channel,
            "platform": m.platform, "author": m.author, "subject": m.subject, "body": m.body,
            "body_html": m.body_html, "language": m.language, "kind": m.kind,
            "in_reply_to": m.in_reply_to.and_then(mention_ref), "next_update_at": t(m.next_update_at),
            "eta_at": t(m.eta_at), "source": m.source, "external_id": m.external_id,
        })).collect::<Vec<_>>(),
    })
}
