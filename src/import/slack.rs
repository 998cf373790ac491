//! Slack workspace export (SPEC §3): a channel folder holds one JSON file per day
//! (`2026-03-10.json`), each a list of message objects. Every human or bot message becomes an
//! internal chat message; the file adds them to an incident chosen at import.
//!
//! Slack writes its own markup into `text` (`<https://x|label>`, `<@U123>`, `<!here>`, and
//! `&lt;`, `&gt;`, `&amp;` for the three characters it reserves); it is turned into plain text
//! a reviewer can read.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime};
use serde_json::{Map, Value};

use super::json::parse_json;
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::timeline::MessageInput;
use crate::text::{detect_language, detect_language_or};

const SOURCE: &str = "slack";
const CHANNEL: &str = "chat";
/// Incident channels are where the technical teams coordinate.
const DEFAULT_AUDIENCE: &str = "it_teams";

/// Subtypes that are Slack's own bookkeeping, not something a person told the channel: joins
/// and leaves, topic and name changes, pins, integrations being added, reminders, and the
/// placeholders of deleted or edited messages. Reviewing them as communication would count
/// "Anna has joined the channel" as a message to the IT teams.
const SKIPPED_SUBTYPES: &[&str] = &[
    "channel_join",
    "channel_leave",
    "group_join",
    "group_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "channel_archive",
    "channel_unarchive",
    "channel_convert_to_private",
    "channel_convert_to_public",
    "channel_posting_permissions",
    "group_topic",
    "group_purpose",
    "group_name",
    "group_archive",
    "group_unarchive",
    "bot_add",
    "bot_remove",
    "bot_enable",
    "bot_disable",
    "app_conversation_join",
    "pinned_item",
    "unpinned_item",
    "reminder_add",
    "reminder_delete",
    "message_changed",
    "message_deleted",
    "tombstone",
    "joiner_notification",
    "joiner_notification_for_inviter",
    "sh_room_created",
    "huddle_thread",
];

/// True for a JSON list whose objects are Slack messages: `"type": "message"` and a `ts`.
pub fn detect(_file_name: &str, bytes: &[u8]) -> bool {
    let Some(bytes) = super::json::json_start(bytes, b"[") else {
        return false;
    };
    // Only the start is looked at: a day file can be large, and its first message says enough.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let compact: Vec<u8> = head
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let contains = |needle: &[u8]| compact.windows(needle.len()).any(|w| w == needle);
    contains(b"\"type\":\"message\"") && contains(b"\"ts\":\"")
}

/// Reads one day file of a channel export. All problems of the file are reported together.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let root = parse_json(file_name, bytes, "Slack export").map_err(|e| vec![e])?;
    let Value::Array(list) = root else {
        return Err(vec![ReadError::file(
            file_name,
            "is not a Slack channel export day file: expected a JSON list of messages",
        )]);
    };
    let audience = opts
        .default_audience
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .unwrap_or(DEFAULT_AUDIENCE)
        .to_string();

    let mut errors: Vec<ReadError> = Vec::new();
    let mut messages: Vec<Located<ImportedMessage>> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (i, value) in list.iter().enumerate() {
        let loc = Location {
            file: file_name.to_string(),
            line: None,
            record: Some(format!("[{i}]")),
        };
        let Some(obj) = value.as_object() else {
            errors.push(ReadError::at(&loc, "", "is not a message object"));
            continue;
        };
        if text(obj, "type").is_some_and(|t| t != "message") {
            continue;
        }
        if text(obj, "subtype").is_some_and(|s| SKIPPED_SUBTYPES.contains(&s)) {
            continue;
        }
        let Some(ts) = text(obj, "ts") else {
            errors.push(ReadError::at(&loc, "ts", "is missing"));
            continue;
        };
        let sent_at = match parse_ts(ts) {
            Ok(t) => t,
            Err(reason) => {
                errors.push(ReadError::at(&loc, "ts", reason));
                continue;
            }
        };
        // `ts` is the message's id within the channel; a message listed twice is one message.
        if !seen.insert(ts.to_string()) {
            continue;
        }
        let body = body(obj);
        // A message with neither text nor a file (an emoji-only reaction post that lost its
        // blocks, an empty bot post) said nothing that can be reviewed.
        if body.is_empty() {
            continue;
        }
        messages.push(Located {
            at: loc,
            value: ImportedMessage {
                message: MessageInput {
                    sent_at: Some(sent_at),
                    audiences: vec![audience.clone()],
                    channel: CHANNEL.to_string(),
                    platform: Some("slack".to_string()),
                    author: author(obj),
                    subject: None,
                    body,
                    body_html: None,
                    language: String::new(),
                    // Chat is a running conversation, not a series of announcements; which
                    // line was the all-clear is for the editor to mark.
                    kind: "update".to_string(),
                    in_reply_to: None,
                    next_update_at: None,
                    eta_at: None,
                    source: Some(SOURCE.to_string()),
                    external_id: Some(format!("slack:{ts}")),
                },
                in_reply_to_external: None,
            },
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Chat lines are short and carry few language cues; the whole day decides for those.
    let all: Vec<&str> = messages
        .iter()
        .map(|m| m.value.message.body.as_str())
        .collect();
    let day_language = detect_language(&all.join("\n"));
    for m in &mut messages {
        let message = &mut m.value.message;
        message.language = detect_language_or(&message.body, day_language)
            .as_str()
            .to_string();
    }
    messages.sort_by_key(|m| m.value.message.sent_at);
    Ok(vec![ImportedIncident {
        source: Some(SOURCE.to_string()),
        messages,
        ..Default::default()
    }])
}

fn text<'a>(obj: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    obj.get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `"1710056520.000200"`: seconds and microseconds since the epoch, UTC. Read as text, not as
/// a float, so the microseconds stay exact.
fn parse_ts(ts: &str) -> Result<NaiveDateTime, String> {
    let shown: String = ts.chars().take(40).collect();
    let bad = || format!("'{shown}' is not a Slack timestamp such as 1710056520.000200");
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, ""));
    if secs.is_empty()
        || secs.len() > 12
        || frac.len() > 9
        || !secs.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let secs: i64 = secs.parse().map_err(|_| bad())?;
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        let scaled = format!("{frac:0<9}");
        scaled.parse().map_err(|_| bad())?
    };
    DateTime::from_timestamp(secs, nanos)
        .map(|t| t.naive_utc())
        .ok_or_else(bad)
}

/// The person's name as Slack shows it; a bot's name; the bare user id when the export has no
/// profile (older exports keep profiles only in `users.json`).
fn author(obj: &Map<String, Value>) -> String {
    let profile = obj.get("user_profile").and_then(Value::as_object);
    profile
        .and_then(|p| text(p, "real_name").or_else(|| text(p, "display_name")))
        .or_else(|| text(obj, "username"))
        .or_else(|| text(obj, "user"))
        .or_else(|| text(obj, "bot_id"))
        .unwrap_or_default()
        .to_string()
}

/// The message text; for bots that post only attachments, their text; for a file posted
/// without comment, the file's name.
fn body(obj: &Map<String, Value>) -> String {
    let main = clean_text(text(obj, "text").unwrap_or_default());
    if !main.is_empty() {
        return main;
    }
    let attachments = obj.get("attachments").and_then(Value::as_array);
    let from_attachments: Vec<String> = attachments
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter_map(|a| {
            text(a, "text")
                .or_else(|| text(a, "fallback"))
                .or_else(|| text(a, "pretext"))
        })
        .map(clean_text)
        .filter(|t| !t.is_empty())
        .collect();
    if !from_attachments.is_empty() {
        return from_attachments.join("\n\n");
    }
    let files = obj.get("files").and_then(Value::as_array);
    let names: Vec<&str> = files
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter_map(|f| text(f, "title").or_else(|| text(f, "name")))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("Shared file: {}", names.join(", "))
    }
}

/// Slack markup to plain text: `<https://x|label>` → `label (https://x)`, `<https://x>` →
/// `https://x`, `<@U123>` → `@U123`, `<@U123|anna>` → `@anna`, `<#C1|ops>` → `#ops`,
/// `<!here>` → `@here`, `<!date^…|fallback>` → the fallback; then `&lt;`, `&gt;`, `&amp;`.
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&unescape(&rest[..open]));
        let after = &rest[open + 1..];
        // Slack escapes a literal `<` as `&lt;`, so a `<` is always markup; one without its
        // `>` (a truncated export) stays as written.
        match after.find(['>', '<']) {
            Some(close) if after.as_bytes()[close] == b'>' => {
                out.push_str(&markup(&after[..close]));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(&unescape(rest));
    out.replace("\r\n", "\n").trim().to_string()
}

/// One `<…>` element without its brackets.
fn markup(inner: &str) -> String {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(unescape(l)).filter(|l| !l.trim().is_empty())),
        None => (inner, None),
    };
    let target = unescape(target);
    if let Some(user) = target.strip_prefix('@') {
        return match label {
            Some(l) => format!("@{}", l.trim_start_matches('@')),
            None => format!("@{user}"),
        };
    }
    if let Some(channel) = target.strip_prefix('#') {
        return match label {
            Some(l) => format!("#{}", l.trim_start_matches('#')),
            None => format!("#{channel}"),
        };
    }
    if let Some(special) = target.strip_prefix('!') {
        // `!subteam^S123|@oncall`, `!date^1392734382^{date}|Feb 18`: the label is what Slack
        // showed; without one, the keyword (`here`, `channel`, `everyone`) is a mention.
        return match label {
            Some(l) => l,
            None => format!("@{}", special.split('^').next().unwrap_or(special)),
        };
    }
    let shown_url = target.strip_prefix("mailto:").unwrap_or(&target);
    match label {
        Some(l) if l != target && l != shown_url => format!("{l} ({shown_url})"),
        _ => shown_url.to_string(),
    }
}

/// The three entities Slack writes; any other `&…;` was typed by a person and stays.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
        read("2026-03-10.json", s.as_bytes(), &ReadOptions::default())
    }

    /// A day of `#inc-mail-2026-03-10` as Slack exports it.
    const DAY: &str = r#"[
    {
        "type": "message",
        "subtype": "channel_join",
        "ts": "1773125100.000100",
        "user": "U01ANNA",
        "text": "<@U01ANNA> has joined the channel"
    },
    {
        "client_msg_id": "5b1c0d1e-8f59-4b0a-9c1e-0e7c4f0e2a11",
        "type": "message",
        "text": "<!here> Mail-Versand ist gestört, die Warteschlange auf mx2 wächst. Runbook: <https://wiki.example.ch/mail/runbook|Mail-Runbook> &amp; Dashboard <https://grafana.example.ch/d/mail>",
        "user": "U01ANNA",
        "ts": "1773125220.000200",
        "team": "T0ACME",
        "user_profile": {"real_name": "Anna Muster", "display_name": "anna", "name": "anna.muster"},
        "blocks": [{"type": "rich_text", "block_id": "x", "elements": []}]
    },
    {
        "type": "message",
        "text": "<@U02BEN> kannst du bitte übernehmen? Kunden melden &lt;5 min Verzögerung &gt; normal",
        "user": "U01ANNA",
        "ts": "1773125400.000300",
        "thread_ts": "1773125220.000200",
        "parent_user_id": "U01ANNA",
        "user_profile": {"real_name": "Anna Muster"}
    },
    {
        "type": "message",
        "subtype": "bot_message",
        "ts": "1773125460.000400",
        "username": "PagerDuty",
        "bot_id": "B0PD",
        "text": "",
        "attachments": [{"fallback": "Incident #1234 acknowledged by Ben Keller", "color": "e8a317"}]
    },
    {
        "type": "message",
        "subtype": "channel_topic",
        "ts": "1773125500.000450",
        "user": "U02BEN",
        "text": "set the channel topic: SEV2 mail"
    },
    {
        "type": "message",
        "text": "",
        "user": "U02BEN",
        "ts": "1773125520.000500",
        "files": [{"id": "F1", "name": "mx2-queue.png", "title": "Queue mx2"}],
        "upload": true
    },
    {
        "type": "message",
        "text": "Fixed. Failover to mx3 done, queue is draining. Ping <mailto:it@example.ch|it@example.ch> or <#C0OPS|ops> if you still see delays.",
        "user": "U02BEN",
        "ts": "1773127800.000600"
    },
    {
        "type": "message",
        "subtype": "bot_add",
        "ts": "1773127900.000700",
        "user": "U01ANNA",
        "text": "added an integration to this channel: <https://acme.slack.com/services/B1|statusbot>"
    }
]"#;

    #[test]
    fn a_day_file_becomes_chat_messages() {
        assert!(detect("2026-03-10.json", DAY.as_bytes()));
        let got = read_str(DAY).expect("reads");
        assert_eq!(got.len(), 1);
        let imp = &got[0];
        assert!(imp.incident.is_none());
        assert_eq!(imp.source.as_deref(), Some("slack"));
        let msgs: Vec<&MessageInput> = imp.messages.iter().map(|m| &m.value.message).collect();
        let bodies: Vec<&str> = msgs.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "@here Mail-Versand ist gestört, die Warteschlange auf mx2 wächst. Runbook: \
                 Mail-Runbook (https://wiki.example.ch/mail/runbook) & Dashboard \
                 https://grafana.example.ch/d/mail",
                "@U02BEN kannst du bitte übernehmen? Kunden melden <5 min Verzögerung > normal",
                "Incident #1234 acknowledged by Ben Keller",
                "Shared file: Queue mx2",
                "Fixed. Failover to mx3 done, queue is draining. Ping it@example.ch or #ops if \
                 you still see delays.",
            ]
        );
        let authors: Vec<&str> = msgs.iter().map(|m| m.author.as_str()).collect();
        assert_eq!(
            authors,
            [
                "Anna Muster",
                "Anna Muster",
                "PagerDuty",
                "U02BEN",
                "U02BEN"
            ]
        );
        assert_eq!(msgs[0].sent_at, Some(t("2026-03-10T06:47:00.000200Z")));
        assert_eq!(
            msgs[0].external_id.as_deref(),
            Some("slack:1773125220.000200")
        );
        assert_eq!(imp.messages[0].at.record.as_deref(), Some("[1]"));
        assert_eq!(msgs[0].language, "de");
        assert_eq!(msgs[4].language, "en");
        assert!(
            msgs.iter()
                .all(|m| m.channel == "chat" && m.audiences == ["it_teams"] && m.kind == "update")
        );
        let known = ["it_teams".to_string()];
        for m in &msgs {
            m.validate(&known, &[]).expect("valid message");
        }
    }

    #[test]
    fn the_chosen_audience_replaces_the_default() {
        let opts = ReadOptions {
            default_audience: Some("management".into()),
            ..Default::default()
        };
        let got = read("d.json", DAY.as_bytes(), &opts).expect("reads");
        assert!(
            got[0]
                .messages
                .iter()
                .all(|m| m.value.message.audiences == ["management"])
        );
    }

    #[test]
    fn markup_is_cleaned() {
        assert_eq!(clean_text("<@U123>"), "@U123");
        assert_eq!(clean_text("<@U123|anna>"), "@anna");
        assert_eq!(clean_text("<!channel> <!everyone>"), "@channel @everyone");
        assert_eq!(clean_text("<!subteam^S1|@oncall> bitte"), "@oncall bitte");
        assert_eq!(
            clean_text("<!date^1392734382^{date_short}|Feb 18, 2014> um 10:00"),
            "Feb 18, 2014 um 10:00"
        );
        assert_eq!(
            clean_text("<https://x.test/a?b=1&amp;c=2|Status>"),
            "Status (https://x.test/a?b=1&c=2)"
        );
        assert_eq!(
            clean_text("<https://x.test|https://x.test>"),
            "https://x.test"
        );
        assert_eq!(clean_text("a &amp;lt; b"), "a &lt; b");
        assert_eq!(
            clean_text("broken <https://x.test"),
            "broken <https://x.test"
        );
        assert_eq!(clean_text("&lt;b&gt; is not a tag"), "<b> is not a tag");
    }

    #[test]
    fn timestamps_are_exact() {
        assert_eq!(
            parse_ts("1710056520.000200"),
            Ok(t("2024-03-10T07:42:00.000200Z"))
        );
        assert_eq!(parse_ts("1710056520"), Ok(t("2024-03-10T07:42:00Z")));
        for bad in [
            "",
            "abc",
            "1.2.3",
            "-5.1",
            "99999999999999999.0",
            "1710056520.0000000001",
        ] {
            assert!(parse_ts(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_messages_name_their_index_and_field() {
        let doc = r#"[
          {"type": "message", "text": "ok", "ts": "1773125220.000200"},
          {"type": "message", "text": "no time"},
          {"type": "message", "text": "bad time", "ts": "gestern"},
          42
        ]"#;
        let errs = read_str(doc).expect_err("invalid");
        let got: Vec<(Option<&str>, &str)> = errs
            .iter()
            .map(|e| (e.record.as_deref(), e.field.as_str()))
            .collect();
        assert_eq!(
            got,
            [(Some("[1]"), "ts"), (Some("[2]"), "ts"), (Some("[3]"), "")]
        );
        assert!(
            errs[1]
                .reason
                .contains("'gestern' is not a Slack timestamp")
        );
        assert!(
            errs[0]
                .to_string()
                .starts_with("2026-03-10.json, [1], field ts: is missing")
        );
        let e = read_str(r#"{"messages": []}"#).expect_err("object");
        assert!(e[0].reason.contains("expected a JSON list of messages"));
    }

    #[test]
    fn hostile_input_is_refused_clearly() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let e = read_str(&deep).expect_err("too deep");
        assert!(e[0].reason.contains("deeper than 64"));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let e = read("x.json", &junk, &ReadOptions::default()).expect_err("binary");
        assert!(e[0].reason.contains("not UTF-8"));
        assert!(!detect("x.json", &junk));
        for (i, _) in DAY.char_indices() {
            let _ = read_str(&DAY[..i]);
        }
    }

    #[test]
    fn detects_day_files_only() {
        assert!(detect(
            "x.json",
            b"[{\"type\": \"message\", \"text\": \"hi\", \"ts\": \"1.2\"}]"
        ));
        assert!(!detect(
            "x.json",
            b"{\"type\": \"message\", \"ts\": \"1.2\"}"
        ));
        assert!(!detect("x.json", b"[{\"type\": \"trigger_log_entry\"}]"));
        assert!(!detect(
            "users.json",
            b"[{\"id\": \"U1\", \"name\": \"anna\"}]"
        ));
    }
}
