//! Status-page history feeds (Atom or RSS), for pages whose API is not at hand.
//!
//! Each entry is one incident. Statuspage feeds write the whole history of an incident into the
//! entry as paragraphs `<small>Jul 14, 20:15 UTC</small><br><strong>Resolved</strong> - text`;
//! those become one message each, and their status changes events, as the API reader makes
//! them. Other feeds (cState, hand-written pages) give one message per entry.
//!
//! An entry that links to a Statuspage incident (`…/incidents/{id}`) is that incident: it gets
//! the identity the API reader gives it, so a feed and an `incidents.json` of the same page make
//! one incident, and the pipeline recognises the updates both hold (see `OtherViews` there).

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::html::html_to_text;
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::incident::IncidentInput;
use crate::domain::time::local_to_utc;
use crate::domain::timeline::{EventInput, MessageInput};
use crate::text::{detect_language, detect_language_or};

const AUDIENCE: &str = "customers";
const CHANNEL: &str = "status_page";

pub fn detect(file_name: &str, bytes: &[u8]) -> bool {
    let name = file_name.to_ascii_lowercase();
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    let xml = head.trim_start_matches('\u{feff}').trim_start();
    (xml.starts_with("<?xml") || xml.starts_with('<'))
        && (head.contains("<feed") || head.contains("<rss") || name.ends_with(".atom"))
}

pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let utf8 = parser_input(bytes).map_err(|(line, reason)| {
        vec![ReadError {
            file: file_name.to_string(),
            line: Some(line),
            record: None,
            field: String::new(),
            reason: format!("is not an Atom or RSS feed: {reason}"),
        }]
    })?;
    let feed = feed_rs::parser::parse(utf8.as_ref()).map_err(|e| {
        vec![ReadError::file(
            file_name,
            format!("is not an Atom or RSS feed: {e}"),
        )]
    })?;
    let host = feed
        .links
        .iter()
        .chain(feed.entries.iter().flat_map(|e| e.links.iter()))
        .find_map(|l| {
            url::Url::parse(&l.href)
                .ok()?
                .host_str()
                .map(str::to_string)
        });
    let source = format!("feed:{}", host.as_deref().unwrap_or("unknown"));
    let author = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Status page".to_string());
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, entry) in feed.entries.iter().enumerate() {
        let at = Location {
            file: file_name.to_string(),
            line: None,
            record: Some(format!("entry[{i}]")),
        };
        let Some(posted) = entry.published.or(entry.updated).map(|t| t.naive_utc()) else {
            errors.push(ReadError::at(
                &at,
                "published",
                "is missing; an entry needs its date",
            ));
            continue;
        };
        let title = entry
            .title
            .as_ref()
            .map(|t| html_to_text(&t.content))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("Incident of {}", posted.date()));
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let link = entry.links.first().map(|l| l.href.clone());
        let mut updates = statuspage_updates(&html, posted, opts.tz);
        if updates.is_empty() {
            let text = html_to_text(&html);
            let body = if text.is_empty() { title.clone() } else { text };
            updates.push(FeedUpdate {
                at: posted,
                status: None,
                body,
            });
        }
        updates.sort_by_key(|u| u.at);
        let identity = match statuspage_incident(entry.links.iter().map(|l| l.href.as_str())) {
            Some((id, host)) => Identity {
                source: super::statuspage::SOURCE.to_string(),
                key: super::statuspage::incident_key(&id),
                id,
                records: format!("statuspage-feed:{host}"),
            },
            None => feed_identity(&source, entry.id.trim(), link.as_deref(), &title),
        };
        out.push(incident(&at, &identity, &author, &title, link, updates));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.sort_by_key(|i| i.incident.as_ref().and_then(|x| x.detected_at));
    Ok(out)
}

/// Who an entry's incident is: its identity, key, and the source its records name.
struct Identity {
    source: String,
    id: String,
    key: String,
    records: String,
}

/// The Statuspage incident id and page host of an entry linking to `…/incidents/{id}`.
fn statuspage_incident<'l>(mut links: impl Iterator<Item = &'l str>) -> Option<(String, String)> {
    links.find_map(|href| {
        let url = url::Url::parse(href).ok()?;
        let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
        let [.., "incidents", id] = segments.as_slice() else {
            return None;
        };
        // Statuspage ids are short base-36 strings; anything else is another kind of page.
        let plausible =
            (6..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
        plausible.then(|| {
            (
                id.to_ascii_lowercase(),
                url.host_str().unwrap_or("").to_string(),
            )
        })
    })
}

/// An entry of another feed: identified by the feed and its entry id (its link or title
/// without one).
fn feed_identity(source: &str, entry_id: &str, link: Option<&str>, title: &str) -> Identity {
    let tail: String = entry_id
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(entry_id)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    let id = if entry_id.is_empty() {
        link.map_or_else(|| title.to_string(), str::to_string)
    } else {
        entry_id.to_string()
    };
    Identity {
        source: source.to_string(),
        id,
        key: format!(
            "FEED-{}",
            if tail.is_empty() {
                "ENTRY".to_string()
            } else {
                tail.to_ascii_uppercase()
            }
        ),
        records: source.to_string(),
    }
}

struct FeedUpdate {
    at: NaiveDateTime,
    status: Option<String>,
    body: String,
}

/// The updates of a Statuspage entry: each paragraph starts with its time ("Jul 14, 20:15 UTC",
/// the year from the entry's date) and a status word before " - ".
fn statuspage_updates(html: &str, posted: NaiveDateTime, tz: Tz) -> Vec<FeedUpdate> {
    let text = html_to_text(html);
    let mut out: Vec<FeedUpdate> = Vec::new();
    for para in text.split("\n\n") {
        let mut lines = para.lines();
        let Some(stamp) = lines.next().and_then(|l| parse_short_stamp(l, posted, tz)) else {
            // An update of several paragraphs: the ones after its first carry no stamp.
            if let Some(last) = out.last_mut()
                && !para.trim().is_empty()
            {
                last.body.push_str("\n\n");
                last.body.push_str(para.trim());
            }
            continue;
        };
        let rest = lines.collect::<Vec<_>>().join("\n");
        let (status, body) = match rest.split_once(" - ") {
            Some((s, b)) if s.split_whitespace().count() <= 2 => {
                (Some(s.trim().to_string()), b.trim().to_string())
            }
            _ => (None, rest.trim().to_string()),
        };
        if !body.is_empty() {
            out.push(FeedUpdate {
                at: stamp,
                status,
                body,
            });
        }
    }
    out
}

/// `Jul 14, 20:15 UTC` (or another zone abbreviation, read in the import's zone): the update
/// is never later than the entry was written, which decides the year.
fn parse_short_stamp(line: &str, posted: NaiveDateTime, tz: Tz) -> Option<NaiveDateTime> {
    let mut parts = line.split_whitespace();
    let month = parts.next()?;
    let day: u32 = parts.next()?.trim_end_matches(',').parse().ok()?;
    let time = NaiveTime::parse_from_str(parts.next()?, "%H:%M").ok()?;
    let zone = parts.next().unwrap_or("UTC");
    if parts.next().is_some() {
        return None;
    }
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| month.to_ascii_lowercase().starts_with(m))? as u32
        + 1;
    let at = |year: i32| {
        let local = NaiveDate::from_ymd_opt(year, month, day)?.and_time(time);
        Some(if zone.eq_ignore_ascii_case("utc") {
            local
        } else {
            local_to_utc(local, tz)
        })
    };
    let this_year = at(posted.year())?;
    // An entry written on 2 January can hold an update of 31 December.
    if this_year > posted + chrono::Duration::days(1) {
        at(posted.year() - 1)
    } else {
        Some(this_year)
    }
}

fn incident(
    at: &Location,
    identity: &Identity,
    author: &str,
    title: &str,
    link: Option<String>,
    updates: Vec<FeedUpdate>,
) -> ImportedIncident {
    let Identity {
        id, key, records, ..
    } = identity;
    let detected = updates.first().map(|u| u.at);
    let status_of = |u: &FeedUpdate| {
        u.status
            .as_deref()
            .map(|s| s.trim().to_lowercase().replace(' ', "_"))
    };
    let resolved = updates
        .iter()
        .rev()
        .find(|u| status_of(u).is_some_and(|s| matches!(s.as_str(), "resolved" | "completed")))
        .map(|u| u.at);
    let all_text = std::iter::once(title)
        .chain(updates.iter().map(|u| u.body.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let language = detect_language(&all_text);
    let mut imported = ImportedIncident {
        source: Some(identity.source.clone()),
        external_id: Some(id.clone()),
        incident: Some(IncidentInput {
            key: key.clone(),
            title: title.chars().take(300).collect(),
            kind: "it_outage".into(),
            // A feed does not say how bad it was.
            severity: "sev3".into(),
            status: if resolved.is_some() { "closed" } else { "open" }.into(),
            language: language.to_string(),
            started_at: None,
            detected_at: detected,
            resolved_at: resolved,
            summary: link.map(|l| format!("Source: {l}")).unwrap_or_default(),
            affected_services: Vec::new(),
            audiences: vec![AUDIENCE.to_string()],
            apology_expected: false,
        }),
        ..Default::default()
    };
    if let Some(d) = detected {
        imported.events.push(event(
            at,
            records,
            d,
            "detected",
            "First post on the status page",
            format!("{id}:detected"),
        ));
    }
    // Status changes as the API reader turns them into events; "Update" keeps the status.
    let mut previous: Option<String> = None;
    let mut acknowledged = false;
    for (n, u) in updates.into_iter().enumerate() {
        let status = status_of(&u).filter(|s| s != "update");
        let stamp = u.at.and_utc().timestamp();
        if let Some(s) = status.as_deref()
            && previous.as_deref() != Some(s)
        {
            imported.events.push(event(
                at,
                records,
                u.at,
                super::statuspage::status_event(s, &mut acknowledged),
                &format!("Status page: {s}"),
                format!("{id}:{s}:{stamp}"),
            ));
            previous = Some(s.to_string());
        }
        let kind = super::statuspage::message_kind(status.as_deref().unwrap_or(""), n == 0);
        imported.messages.push(Located {
            at: at.clone(),
            value: ImportedMessage {
                message: MessageInput {
                    sent_at: Some(u.at),
                    audiences: vec![AUDIENCE.to_string()],
                    channel: CHANNEL.into(),
                    platform: None,
                    author: author.to_string(),
                    subject: None,
                    language: detect_language_or(&u.body, language).to_string(),
                    body: u.body,
                    body_html: None,
                    kind: kind.into(),
                    in_reply_to: None,
                    next_update_at: None,
                    eta_at: None,
                    source: Some(records.clone()),
                    external_id: Some(format!("{id}:{stamp}")),
                },
                in_reply_to_external: None,
            },
        });
    }
    imported
}

fn event(
    at: &Location,
    source: &str,
    occurred_at: NaiveDateTime,
    kind: &str,
    description: &str,
    external_id: String,
) -> Located<EventInput> {
    Located {
        at: at.clone(),
        value: EventInput {
            occurred_at: Some(occurred_at),
            kind: kind.into(),
            description: description.into(),
            source: Some(source.to_string()),
            external_id: Some(external_id),
        },
    }
}

/// The feed as UTF-8 without its XML declaration, as the parser gets it; or the line and the
/// reason why it is not a feed.
///
/// The XML parser under feed-rs (quick-xml) switches its decoder when a declaration names an
/// encoding, and panics ("set_encoding() called after prefix buffer was drained") when that
/// declaration ends past the first 64 bytes it buffers, or when a second declaration follows.
/// Both were found by fuzzing. So the feed is decoded here (byte order mark, else the
/// declaration's encoding, else UTF-8) and handed over without its declaration, leaving the parser
/// nothing to switch; a declaration anywhere else is not XML (XML 1.0 §2.8) and is refused.
/// A declaration is `<?xml` followed by white space or `?`, as quick-xml reads it
/// (`<?xml-stylesheet` is a processing instruction and may appear anywhere in the prolog).
fn parser_input(bytes: &[u8]) -> Result<Cow<'_, [u8]>, (usize, String)> {
    let is_declaration = |at: &[u8]| {
        at.starts_with(b"<?xml")
            && at
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'?')
    };
    // UTF-16 with a byte order mark or without (as quick-xml detects it) is decoded first;
    // every other encoding a declaration can name writes the declaration in ASCII.
    let bom = Encoding::for_bom(bytes);
    let utf16 = match (bom, bytes) {
        (Some((e, _)), _) if e != UTF_8 => Some(e),
        (_, [b'<', 0, b'?', 0, ..]) => Some(UTF_16LE),
        (_, [0, b'<', 0, b'?', ..]) => Some(UTF_16BE),
        _ => None,
    };
    // Without UTF-16 the text is the input itself (less a UTF-8 byte order mark).
    let plain = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let decoded_utf16 = utf16.map(|e| e.decode(bytes).0);
    let ascii: &[u8] = decoded_utf16.as_deref().map_or(plain, str::as_bytes);
    let lead = ascii.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let (body_start, encoding) = if is_declaration(&ascii[lead..]) {
        let Some(close) = ascii[lead..].windows(2).position(|w| w == b"?>") else {
            return Err((
                1,
                "the XML declaration (<?xml …?>) is never closed".to_string(),
            ));
        };
        let declaration = String::from_utf8_lossy(&ascii[lead..lead + close]);
        let named = declaration
            .split_once("encoding")
            .and_then(|(_, rest)| {
                let rest = rest.trim_start().strip_prefix('=')?.trim_start();
                let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                rest[1..].split(quote).next()
            })
            .map(|label| {
                Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                    (
                        1,
                        format!("the XML declaration names an unknown encoding '{label}'"),
                    )
                })
            })
            .transpose()?;
        (lead + close + 2, named)
    } else {
        (0, None)
    };
    let text: Cow<'_, [u8]> = match (utf16, encoding) {
        // Decoded already; what the declaration says about the encoding no longer applies.
        (Some(_), _) => Cow::Owned(ascii[body_start..].to_vec()),
        (None, Some(e)) if e != UTF_8 && e != UTF_16LE && e != UTF_16BE => Cow::Owned(
            e.decode_without_bom_handling(&ascii[body_start..])
                .0
                .into_owned()
                .into_bytes(),
        ),
        // Bytes that are not UTF-8 become U+FFFD here, so the parser reads exactly the text
        // searched below (quick-xml, reading them itself, still found a declaration in
        // `<\xFF?xml … encoding="windows-1252"?>`, a third input found by fuzzing).
        _ => match String::from_utf8_lossy(&plain[body_start..]) {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        },
    };
    if let Some(at) = (0..text.len()).find(|&i| is_declaration(&text[i..])) {
        let line = 1
            + ascii[..body_start].iter().filter(|&&b| b == b'\n').count()
            + text[..at].iter().filter(|&&b| b == b'\n').count();
        return Err((
            line,
            "an XML declaration (<?xml …?>) may only open the file, and here another one follows"
                .to_string(),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like a Statuspage `history.atom`: the entry's content holds the incident's updates,
    /// newest first, with `<var>` markup around date and time.
    const ATOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
  <id>tag:www.example-status.com,2005:/history</id>
  <link rel="alternate" type="text/html" href="https://www.example-status.com"/>
  <title>Example Status - Incident History</title>
  <updated>2026-01-02T10:00:00Z</updated>
  <entry>
    <id>tag:www.example-status.com,2005:Incident/987654</id>
    <published>2026-01-02T09:30:00Z</published>
    <updated>2026-01-02T09:30:00Z</updated>
    <link rel="alternate" type="text/html" href="https://www.example-status.com/incidents/abc123xyz"/>
    <title>Degraded performance for Git operations</title>
    <content type="html">&lt;p&gt;&lt;small&gt;Jan &lt;var data-var='date'&gt; 2&lt;/var&gt;, &lt;var data-var='time'&gt;09:30&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - This incident has been resolved.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Jan &lt;var data-var='date'&gt; 1&lt;/var&gt;, &lt;var data-var='time'&gt;23:50&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Update&lt;/strong&gt; - We are deploying a fix. Next update in 30 minutes.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Dec &lt;var data-var='date'&gt;31&lt;/var&gt;, &lt;var data-var='time'&gt;23:10&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - We are investigating reports of slow Git operations.&lt;/p&gt;</content>
  </entry>
</feed>"#;

    const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Verfügbarkeit digitaler Dienste</title><link>https://status.example.de/</link>
<item><title>LernSax nicht verfügbar</title><link>https://status.example.de/issues/lernsax/</link>
<guid>https://status.example.de/issues/lernsax/</guid><pubDate>Thu, 25 Aug 2022 08:00:00 +0200</pubDate>
<description>&lt;p&gt;LernSax ist derzeit nicht erreichbar. Wir arbeiten an der Behebung.&lt;/p&gt;</description></item>
</channel></rss>"#;

    #[test]
    fn a_statuspage_history_entry_is_its_whole_timeline() {
        assert!(detect("history.atom", ATOM.as_bytes()));
        let got = read("history.atom", ATOM.as_bytes(), &ReadOptions::default()).expect("reads");
        assert_eq!(got.len(), 1);
        let i = &got[0];
        // The entry links to its Statuspage incident: it is that incident.
        assert_eq!(i.source.as_deref(), Some("statuspage"));
        assert_eq!(i.external_id.as_deref(), Some("abc123xyz"));
        let inc = i.incident.as_ref().expect("incident");
        assert_eq!(inc.key, "SP-ABC123XYZ");
        assert_eq!(
            i.messages[0].value.message.source.as_deref(),
            Some("statuspage-feed:www.example-status.com")
        );
        let times: Vec<String> = i
            .messages
            .iter()
            .map(|m| {
                m.value
                    .message
                    .sent_at
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            })
            .collect();
        // The first update is of the previous year: the entry was written on 2 January.
        assert_eq!(
            times,
            [
                "2025-12-31 23:10:00",
                "2026-01-01 23:50:00",
                "2026-01-02 09:30:00"
            ]
        );
        let kinds: Vec<&str> = i
            .messages
            .iter()
            .map(|m| m.value.message.kind.as_str())
            .collect();
        assert_eq!(kinds, ["initial", "update", "resolution"]);
        assert_eq!(
            i.messages[1].value.message.body,
            "We are deploying a fix. Next update in 30 minutes."
        );
        let events: Vec<&str> = i.events.iter().map(|e| e.value.kind.as_str()).collect();
        assert_eq!(events, ["detected", "acknowledged", "resolved"]);
        assert_eq!(
            inc.resolved_at.map(|t| t.to_string()).as_deref(),
            Some("2026-01-02 09:30:00")
        );
    }

    #[test]
    fn an_update_of_several_paragraphs_stays_one_message() {
        let html = "<p><small>Sep <var data-var='date'>17</var>, <var data-var='time'>21:35</var> UTC</small><br><strong>Monitoring</strong> - A fix is in place.<br /><br />We will update the status.</p><p><small>Sep <var data-var='date'>17</var>, <var data-var='time'>19:29</var> UTC</small><br><strong>Investigating</strong> - We are looking into it.</p>";
        let posted = NaiveDate::from_ymd_opt(2018, 9, 18)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .expect("time");
        let updates = statuspage_updates(html, posted, chrono_tz::UTC);
        let bodies: Vec<&str> = updates.iter().map(|u| u.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "A fix is in place.\n\nWe will update the status.",
                "We are looking into it."
            ]
        );
        // Another page's entries keep the feed's identity.
        let other = ["https://status.example.de/issues/2022-08-25-lernsax/"];
        assert_eq!(statuspage_incident(other.into_iter()), None);
        let statuspage = ["https://www.githubstatus.com/incidents/5nckq47xrz79"];
        assert_eq!(
            statuspage_incident(statuspage.into_iter()),
            Some(("5nckq47xrz79".into(), "www.githubstatus.com".into()))
        );
    }

    #[test]
    fn a_plain_rss_item_is_one_message() {
        assert!(detect("index.xml", RSS.as_bytes()));
        let got = read("index.xml", RSS.as_bytes(), &ReadOptions::default()).expect("reads");
        let i = &got[0];
        assert_eq!(i.messages.len(), 1);
        let m = &i.messages[0].value.message;
        assert_eq!(m.language, "de");
        assert_eq!(
            m.body,
            "LernSax ist derzeit nicht erreichbar. Wir arbeiten an der Behebung."
        );
        assert_eq!(
            m.sent_at.map(|t| t.to_string()).as_deref(),
            Some("2022-08-25 06:00:00")
        );
        assert_eq!(i.incident.as_ref().map(|x| x.status.as_str()), Some("open"));
    }

    #[test]
    fn not_a_feed_is_a_clear_error() {
        let e = read(
            "x.xml",
            b"<html><body>hi</body></html>",
            &ReadOptions::default(),
        )
        .expect_err("bad");
        assert!(e[0].reason.contains("Atom or RSS"), "{:?}", e);
        // Entity expansion is never performed: a billion-laughs document fails fast.
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><title>&lol2;</title></channel></rss>"#;
        let _ = read("bomb.xml", bomb, &ReadOptions::default());
    }

    #[test]
    fn a_second_xml_declaration_is_refused() {
        // Found by fuzzing: quick-xml panicked on a later declaration naming another encoding.
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed><entry><content>a\
                   <?xml version=\"1.0\" encoding=\"windows-1252\"?></content></entry></feed>";
        let e = read("history.atom", doc.as_bytes(), &ReadOptions::default()).expect_err("bad");
        assert_eq!(e[0].line, Some(2), "{e:?}");
        assert!(e[0].reason.contains("XML declaration"), "{e:?}");
        let utf16: Vec<u8> = doc.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(read("history.atom", &utf16, &ReadOptions::default()).is_err());
        // A stylesheet instruction is no declaration, and neither is one opening the file.
        let ok = b"\xEF\xBB\xBF <?xml version=\"1.0\"?><?xml-stylesheet href=\"a\"?><rss/>";
        assert_eq!(
            parser_input(ok).expect("ok").as_ref(),
            b"<?xml-stylesheet href=\"a\"?><rss/>"
        );
        assert!(read("history.atom", ATOM.as_bytes(), &ReadOptions::default()).is_ok());
    }

    #[test]
    fn a_long_declaration_naming_its_encoding_is_decoded_here() {
        // Found by fuzzing: quick-xml panicked when a declaration naming another encoding ended
        // past the 64 bytes it buffers.
        let mut doc =
            b"<?xml version=\"1.0\"                                                        \
                        encoding=\"windows-1252\"?>"
                .to_vec();
        doc.extend_from_slice(ATOM.split_once("?>").expect("declaration").1.as_bytes());
        let doc = String::from_utf8(doc)
            .expect("utf-8")
            .replace("Example Status", "Beispiel St\u{f6}rung");
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&doc);
        let got = read("history.atom", &cp1252, &ReadOptions::default()).expect("reads");
        assert!(!got.is_empty());
        let e =
            parser_input(b"<?xml version=\"1.0\" encoding=\"klingon\"?><rss/>").expect_err("bad");
        assert!(e.1.contains("klingon"), "{e:?}");
    }
}
