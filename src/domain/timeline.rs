//! What happened (events), what was said (messages) and what was said to us (mentions).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::incident::Language;
use super::validation::{FieldErrors, Validated, parse_choice, required_text};

crate::text_enum!(EventKind {
    Detected = "detected",
    Acknowledged = "acknowledged",
    Escalated = "escalated",
    Diagnosed = "diagnosed",
    Mitigated = "mitigated",
    Resolved = "resolved",
    Monitoring = "monitoring",
    Note = "note",
});

crate::text_enum!(Channel {
    Email = "email",
    StatusPage = "status_page",
    DarkSite = "dark_site",
    Intranet = "intranet",
    Chat = "chat",
    SocialMedia = "social_media",
    Sms = "sms",
    Phone = "phone",
    PressRelease = "press_release",
    Other = "other",
});

crate::text_enum!(MessageKind {
    Initial = "initial",
    Update = "update",
    Resolution = "resolution",
    PostIncident = "post_incident",
    Reply = "reply",
});

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub id: i64,
    pub incident_id: i64,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: NaiveDateTime,
    pub kind: EventKind,
    pub description: String,
    pub source: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Message {
    pub id: i64,
    pub incident_id: i64,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: NaiveDateTime,
    /// Audience keys.
    pub audiences: Vec<String>,
    pub channel: Channel,
    pub platform: Option<String>,
    pub author: String,
    pub subject: Option<String>,
    pub body: String,
    pub body_html: Option<String>,
    pub language: Language,
    pub kind: MessageKind,
    /// Id of the mention this message replies to.
    pub in_reply_to: Option<i64>,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_update_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub eta_at: Option<NaiveDateTime>,
    pub source: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Mention {
    pub id: i64,
    pub incident_id: i64,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub posted_at: NaiveDateTime,
    pub platform: String,
    pub author_handle: String,
    pub text: String,
    pub url: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EventInput {
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = String, format = DateTime, required = true)]
    pub occurred_at: Option<NaiveDateTime>,
    #[schema(value_type = EventKind)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    pub source: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub occurred_at: NaiveDateTime,
    pub kind: EventKind,
    pub description: String,
    pub source: Option<String>,
    pub external_id: Option<String>,
}

impl EventInput {
    pub fn validate(&self) -> Validated<EventDraft> {
        let mut errors = FieldErrors::default();
        let kind = parse_choice(&mut errors, "kind", &self.kind);
        if self.occurred_at.is_none() {
            errors.add("occurred_at", "is required");
        }
        if self.description.chars().count() > 5000 {
            errors.add("description", "is longer than 5000 characters");
        }
        match (kind, self.occurred_at) {
            (Some(kind), Some(occurred_at)) if errors.is_empty() => Ok(EventDraft {
                occurred_at,
                kind,
                description: self.description.trim().to_string(),
                source: clean_opt(&self.source),
                external_id: clean_opt(&self.external_id),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MessageInput {
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = String, format = DateTime, required = true)]
    pub sent_at: Option<NaiveDateTime>,
    /// Audience keys (see `GET /api/v1/audiences`).
    #[serde(default)]
    #[schema(min_items = 1, required = true)]
    pub audiences: Vec<String>,
    #[schema(value_type = Channel)]
    pub channel: String,
    pub platform: Option<String>,
    #[serde(default)]
    pub author: String,
    pub subject: Option<String>,
    pub body: String,
    pub body_html: Option<String>,
    #[schema(value_type = Language)]
    pub language: String,
    #[schema(value_type = MessageKind)]
    pub kind: String,
    pub in_reply_to: Option<i64>,
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_update_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub eta_at: Option<NaiveDateTime>,
    pub source: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MessageDraft {
    pub sent_at: NaiveDateTime,
    pub audiences: Vec<String>,
    pub channel: Channel,
    pub platform: Option<String>,
    pub author: String,
    pub subject: Option<String>,
    pub body: String,
    pub body_html: Option<String>,
    pub language: Language,
    pub kind: MessageKind,
    pub in_reply_to: Option<i64>,
    pub next_update_at: Option<NaiveDateTime>,
    pub eta_at: Option<NaiveDateTime>,
    pub source: Option<String>,
    pub external_id: Option<String>,
}

impl MessageInput {
    /// `known_audiences`: audience keys of the organisation; `mention_ids`: mentions of the incident.
    pub fn validate(
        &self,
        known_audiences: &[String],
        mention_ids: &[i64],
    ) -> Validated<MessageDraft> {
        let mut errors = FieldErrors::default();
        let channel = parse_choice(&mut errors, "channel", &self.channel);
        let language = parse_choice(&mut errors, "language", &self.language);
        let kind: Option<MessageKind> = parse_choice(&mut errors, "kind", &self.kind);
        if self.sent_at.is_none() {
            errors.add("sent_at", "is required");
        }
        let body = required_text(&mut errors, "body", &self.body, 100_000);
        let mut audiences: Vec<String> = Vec::new();
        for a in self
            .audiences
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
        {
            if !known_audiences.iter().any(|k| k == a) {
                errors.add("audiences", format!("unknown audience '{a}'"));
            } else if !audiences.iter().any(|x| x == a) {
                audiences.push(a.to_string());
            }
        }
        if audiences.is_empty() && errors.get("audiences").is_none() {
            errors.add("audiences", "choose at least one audience");
        }
        if let Some(reply_to) = self.in_reply_to
            && !mention_ids.contains(&reply_to)
        {
            errors.add("in_reply_to", "is not a mention of this incident");
        }
        if kind == Some(MessageKind::Reply) && self.in_reply_to.is_none() {
            errors.add("in_reply_to", "a reply must name the mention it answers");
        }
        if let (Some(next), Some(sent)) = (self.next_update_at, self.sent_at)
            && next < sent
        {
            errors.add("next_update_at", "must be after the message was sent");
        }
        if self.author.chars().count() > 200 {
            errors.add("author", "is longer than 200 characters");
        }
        match (channel, language, kind, self.sent_at) {
            (Some(channel), Some(language), Some(kind), Some(sent_at)) if errors.is_empty() => {
                Ok(MessageDraft {
                    sent_at,
                    audiences,
                    channel,
                    platform: clean_opt(&self.platform),
                    author: self.author.trim().to_string(),
                    subject: clean_opt(&self.subject),
                    body,
                    body_html: self.body_html.clone().filter(|h| !h.trim().is_empty()),
                    language,
                    kind,
                    in_reply_to: self.in_reply_to,
                    next_update_at: self.next_update_at,
                    eta_at: self.eta_at,
                    source: clean_opt(&self.source),
                    external_id: clean_opt(&self.external_id),
                })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MentionInput {
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = String, format = DateTime, required = true)]
    pub posted_at: Option<NaiveDateTime>,
    pub platform: String,
    #[serde(default)]
    pub author_handle: String,
    pub text: String,
    pub url: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MentionDraft {
    pub posted_at: NaiveDateTime,
    pub platform: String,
    pub author_handle: String,
    pub text: String,
    pub url: Option<String>,
    pub external_id: Option<String>,
}

impl MentionInput {
    pub fn validate(&self) -> Validated<MentionDraft> {
        let mut errors = FieldErrors::default();
        if self.posted_at.is_none() {
            errors.add("posted_at", "is required");
        }
        let platform = required_text(&mut errors, "platform", &self.platform, 50);
        let text = required_text(&mut errors, "text", &self.text, 20_000);
        let url = clean_opt(&self.url);
        if let Some(u) = &url {
            // Only web links: a javascript: or data: URL would become a live link in the timeline.
            match url::Url::parse(u) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                _ => errors.add("url", "must be an http(s) link"),
            }
        }
        match self.posted_at {
            Some(posted_at) if errors.is_empty() => Ok(MentionDraft {
                posted_at,
                platform,
                author_handle: self.author_handle.trim().to_string(),
                text,
                url,
                external_id: clean_opt(&self.external_id),
            }),
            _ => Err(errors),
        }
    }
}

fn clean_opt(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Identity of a record that has no external id, so a re-import recognises it (SPEC §3).
fn content_hash(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex_lower(&h.finalize())
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl EventDraft {
    pub fn content_hash(&self) -> String {
        content_hash(&[
            &super::time::format_rfc3339(self.occurred_at),
            self.kind.as_str(),
            self.description.trim(),
        ])
    }
}

impl MessageDraft {
    pub fn content_hash(&self) -> String {
        content_hash(&[
            &super::time::format_rfc3339(self.sent_at),
            self.channel.as_str(),
            self.subject.as_deref().unwrap_or(""),
            self.body.trim(),
        ])
    }
}

impl MentionDraft {
    pub fn content_hash(&self) -> String {
        content_hash(&[
            &super::time::format_rfc3339(self.posted_at),
            &self.platform,
            &self.author_handle,
            self.text.trim(),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("valid time")
    }

    fn message() -> MessageInput {
        MessageInput {
            sent_at: Some(at(7, 5)),
            audiences: vec!["employees".into()],
            channel: "intranet".into(),
            body: "E-Mail ist gestört.".into(),
            language: "de".into(),
            kind: "initial".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_message_needs_an_audience_and_a_body() {
        let mut m = message();
        m.audiences.clear();
        m.body = " ".into();
        let e = m.validate(&["employees".into()], &[]).expect_err("invalid");
        assert!(e.get("audiences").is_some());
        assert!(e.get("body").is_some());
        assert!(message().validate(&["employees".into()], &[]).is_ok());
    }

    #[test]
    fn a_reply_must_point_at_a_mention_of_the_incident() {
        let mut m = message();
        m.kind = "reply".into();
        let e = m
            .validate(&["employees".into()], &[3])
            .expect_err("no mention");
        assert!(e.get("in_reply_to").is_some());
        m.in_reply_to = Some(4);
        assert!(m.validate(&["employees".into()], &[3]).is_err());
        m.in_reply_to = Some(3);
        assert!(m.validate(&["employees".into()], &[3]).is_ok());
    }

    #[test]
    fn mention_links_must_be_web_links() {
        let mention = MentionInput {
            posted_at: Some(at(8, 0)),
            platform: "x".into(),
            text: "Still down?".into(),
            url: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        assert!(
            mention
                .validate()
                .expect_err("bad url")
                .get("url")
                .is_some()
        );
    }

    #[test]
    fn event_kinds_are_checked() {
        let e = EventInput {
            occurred_at: Some(at(6, 42)),
            kind: "exploded".into(),
            ..Default::default()
        };
        assert!(e.validate().expect_err("bad kind").get("kind").is_some());
    }
}
