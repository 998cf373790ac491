//! Sent e-mail (SPEC §3): one `.eml` file, or an mbox (a mail client's "Sent" folder exported)
//! with many. Each mail becomes one e-mail message of an incident chosen at import; MIME,
//! transfer encodings and charsets are decoded by `mail-parser`.
//!
//! Who a mail was for is not in the mail: the recipients are addresses, the audiences are
//! Debrief's. `ReadOptions::audience_by_address` maps addresses and `@domain`s to audiences;
//! without a match `ReadOptions::default_audience` applies, and without either the mail is an
//! error that says what to give.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use mail_parser::{Address, MessageParser, MimeHeaders, PartType};

use super::html::html_to_text;
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::time::local_to_utc;
use crate::domain::timeline::MessageInput;
use crate::text::detect_language;

const SOURCE: &str = "email";
const CHANNEL: &str = "email";

/// RFC 5322 allows 998 characters a line; generators of 8-bit HTML mail write far longer ones,
/// but nothing that is mail writes a megabyte without a line break. Longer is not mail.
const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Header names whose presence at the start of a file says "this is a mail".
const MAIL_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "date",
    "subject",
    "message-id",
    "mime-version",
    "received",
    "return-path",
    "content-type",
    "reply-to",
    "sender",
    "delivered-to",
    "x-mailer",
    "user-agent",
];

/// Subject words that mark the report written after the incident.
const POST_INCIDENT_CUES: &[&str] = &[
    "nachbericht",
    "abschlussbericht",
    "post-incident",
    "post incident",
    "postmortem",
    "post-mortem",
    "post mortem",
];

/// Subject words that mark the all-clear.
const RESOLUTION_CUES: &[&str] = &[
    "entwarnung",
    "behoben",
    "resolved",
    "all clear",
    "all-clear",
    "wiederhergestellt",
];

/// Words that turn a cue into its opposite when they stand right before it ("noch nicht
/// behoben", "not yet resolved").
const NEGATIONS: &[&str] = &[
    "not", "nicht", "noch", "yet", "kein", "keine", "never", "nie",
];

/// True for `.eml`/`.mbox` files, and for text that starts like a mail: an mbox `From ` line,
/// or header lines (`From:`, `Date:`, `Subject:`…) from the first line on.
pub fn detect(file_name: &str, bytes: &[u8]) -> bool {
    let lower = file_name.to_ascii_lowercase();
    if [".eml", ".mbox", ".mbx"].iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8 * 1024)]);
    let first = head.lines().next().unwrap_or_default();
    // An mbox postmark is followed by the first mail's headers.
    let headers_from = usize::from(first.starts_with("From "));
    let known: HashSet<String> = head
        .lines()
        .skip(headers_from)
        .take_while(|l| !l.trim().is_empty())
        .take(60)
        .filter_map(header_name)
        .filter(|n| MAIL_HEADERS.contains(&n.as_str()))
        .collect();
    if headers_from == 1 {
        return !known.is_empty();
    }
    // A mail starts with a header line; two known headers keep a `Subject: …` note out.
    header_name(first).is_some() && known.len() >= 2
}

/// The lower-cased name of a header line (`Subject: x` → `subject`); None for other lines.
fn header_name(line: &str) -> Option<String> {
    let (name, _) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name.len() <= 76
        && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    ok.then(|| name.to_ascii_lowercase())
}

/// One mail as cut from the file.
struct RawMail {
    /// 1-based position in the file.
    number: usize,
    /// 1-based line where it starts (the mbox `From ` line).
    line: usize,
    bytes: Vec<u8>,
}

/// Reads an `.eml` or mbox file. All problems of the file are reported together.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    refuse_non_mail(file_name, bytes).map_err(|e| vec![e])?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mails = if bytes.starts_with(b"From ") {
        split_mbox(bytes)
    } else {
        vec![RawMail {
            number: 1,
            line: 1,
            bytes: bytes.to_vec(),
        }]
    };
    let audiences = AudienceMap::new(opts);
    let parser = MessageParser::default();
    let mut errors: Vec<ReadError> = Vec::new();
    let mut messages: Vec<Located<ImportedMessage>> = Vec::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    for raw in &mails {
        let loc = Location {
            file: file_name.to_string(),
            line: Some(raw.line),
            record: Some(format!("message {}", raw.number)),
        };
        match read_mail(&parser, raw, &loc, &audiences, opts.tz) {
            Ok(message) => {
                // A mail saved twice (Sent folder and a copy to self) is one message.
                if let Some(id) = &message.external_id
                    && !seen_ids.insert(id.clone())
                {
                    continue;
                }
                messages.push(Located {
                    at: loc,
                    value: ImportedMessage {
                        message,
                        in_reply_to_external: None,
                    },
                });
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if messages.is_empty() {
        return Err(vec![ReadError::file(file_name, "holds no e-mail")]);
    }
    messages.sort_by_key(|m| m.value.message.sent_at);
    // The first mail of the file is the first the audience heard, unless its subject says
    // otherwise.
    if let Some(first) = messages.first_mut()
        && first.value.message.kind == "update"
    {
        first.value.message.kind = "initial".to_string();
    }
    Ok(vec![ImportedIncident {
        source: Some(SOURCE.to_string()),
        messages,
        ..Default::default()
    }])
}

/// Fails fast on what is not mail text: binary data, and lines no mail has.
fn refuse_non_mail(file_name: &str, bytes: &[u8]) -> Result<(), ReadError> {
    let at_line = |line: usize, reason: String| ReadError {
        file: file_name.to_string(),
        line: Some(line),
        record: None,
        field: String::new(),
        reason,
    };
    if bytes.is_empty() {
        return Err(ReadError::file(file_name, "is empty"));
    }
    let mut line = 1usize;
    let mut line_start = 0usize;
    let mut controls = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        // `line_start <= i` here: it moves past `i` only below, at a line break.
        if i - line_start >= MAX_LINE_BYTES {
            return Err(at_line(
                line,
                format!(
                    "has a line longer than {MAX_LINE_BYTES} bytes; mail lines are at most \
                     998 characters, so this is not an e-mail"
                ),
            ));
        }
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            0 => {
                return Err(at_line(
                    line,
                    format!(
                        "holds a NUL byte at offset {i}: binary data, not an e-mail (.eml) or \
                         mbox file"
                    ),
                ));
            }
            // ISO-2022-JP mail switches character sets with ESC sequences.
            b'\t' | b'\r' | 0x0c | 0x1b => {}
            1..=0x1f | 0x7f => controls += 1,
            _ => {}
        }
    }
    // Stray control characters occur in real mail (a pasted form feed, a terminal colour code);
    // many of them mean binary data.
    if controls * 100 > bytes.len() {
        return Err(ReadError::file(
            file_name,
            format!("holds {controls} control characters: binary data, not an e-mail"),
        ));
    }
    Ok(())
}

/// Cuts an mbox into mails at its `From ` lines, undoing the `>From ` quoting of lines in the
/// body (mboxo and mboxrd: one `>` is removed).
fn split_mbox(bytes: &[u8]) -> Vec<RawMail> {
    let mut mails: Vec<RawMail> = Vec::new();
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        if line.starts_with(b"From ") && (i == 0 || looks_like_postmark(line)) {
            mails.push(RawMail {
                number: mails.len() + 1,
                line: line_no,
                bytes: Vec::new(),
            });
            continue;
        }
        let Some(current) = mails.last_mut() else {
            continue;
        };
        let quoted = line.iter().take_while(|&&b| b == b'>').count();
        if quoted > 0 && line[quoted..].starts_with(b"From ") {
            current.bytes.extend_from_slice(&line[1..]);
        } else {
            current.bytes.extend_from_slice(line);
        }
    }
    mails
}

/// An mbox separator is `From sender date`, the date in asctime form (`Tue Mar 10 07:42:00
/// 2026`). Writers that forgot to quote a body line starting with "From " exist; such a line
/// rarely carries both a clock time and a year, so it stays in the body.
fn looks_like_postmark(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    let mut words = text.split_whitespace().skip(1);
    if words.next().is_none() {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    let has_time = rest.iter().any(|w| {
        let b = w.as_bytes();
        b.len() >= 5
            && b[0].is_ascii_digit()
            && b[1].is_ascii_digit()
            && b[2] == b':'
            && b[3].is_ascii_digit()
            && b[4].is_ascii_digit()
    });
    let has_year = rest.iter().any(|w| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
    });
    has_time && has_year
}

/// Recipient address or domain → audience keys, as given at import.
struct AudienceMap {
    /// Lower-cased keys: `anna@example.ch` or `@example.ch`.
    entries: Vec<(String, String)>,
    default: Option<String>,
}

impl AudienceMap {
    fn new(opts: &ReadOptions) -> Self {
        let entries = opts
            .audience_by_address
            .iter()
            .map(|(k, v)| {
                let k = k.trim().to_lowercase();
                // A bare domain is what people type when they mean `@domain`.
                let k = if k.contains('@') { k } else { format!("@{k}") };
                (k, v.trim().to_string())
            })
            .filter(|(k, v)| k.len() > 1 && !v.is_empty())
            .collect();
        Self {
            entries,
            default: opts
                .default_audience
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
        }
    }

    /// Audiences of the recipients, in the order first matched; the default when none match.
    fn audiences(&self, recipients: &[String]) -> Result<Vec<String>, String> {
        let mut found: Vec<String> = Vec::new();
        for address in recipients {
            let domain = address
                .rsplit_once('@')
                .map(|(_, d)| format!("@{d}"))
                .unwrap_or_default();
            // The address says more than its domain: `board@example.ch` → management holds
            // even when `@example.ch` → employees.
            let exact = self.entries.iter().find(|(k, _)| k == address);
            let by_domain = || self.entries.iter().find(|(k, _)| *k == domain);
            if let Some((_, audience)) = exact.or_else(by_domain)
                && !found.contains(audience)
            {
                found.push(audience.clone());
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
        if let Some(d) = &self.default {
            return Ok(vec![d.clone()]);
        }
        let shown = if recipients.is_empty() {
            "the mail names no recipients".to_string()
        } else {
            let list: Vec<&str> = recipients.iter().take(5).map(String::as_str).collect();
            let more = if recipients.len() > 5 { ", …" } else { "" };
            format!("no audience is known for {}{more}", list.join(", "))
        };
        Err(if self.entries.is_empty() {
            format!(
                "{shown}: choose an audience for these mails at import, or give a mapping of \
                 recipient addresses (or @domains) to audiences"
            )
        } else {
            format!(
                "{shown}: add these addresses (or their @domain) to the recipient mapping, or \
                 choose an audience for the remaining mails at import"
            )
        })
    }
}

fn read_mail(
    parser: &MessageParser,
    raw: &RawMail,
    loc: &Location,
    audiences: &AudienceMap,
    zone: Tz,
) -> Result<MessageInput, Vec<ReadError>> {
    let mut errors: Vec<ReadError> = Vec::new();
    let Some(mail) = parser.parse(&raw.bytes) else {
        return Err(vec![ReadError::at(
            loc,
            "",
            "has no e-mail headers (From:, Date:, Subject:)",
        )]);
    };
    let has_any = ["From", "Date", "Subject", "To", "Message-ID"]
        .iter()
        .any(|h| mail.header_raw(*h).is_some());
    if !has_any {
        return Err(vec![ReadError::at(
            loc,
            "",
            "has no e-mail headers (From:, Date:, Subject:)",
        )]);
    }

    let sent_at = match mail.header_raw("Date") {
        None => {
            errors.push(ReadError::at(
                loc,
                "Date",
                "is missing; the time a mail was sent is what its review is about",
            ));
            None
        }
        Some(raw_date) => match parse_date(raw_date, mail.date(), zone) {
            Ok(t) => Some(t),
            Err(reason) => {
                errors.push(ReadError::at(loc, "Date", reason));
                None
            }
        },
    };

    let mut recipients: Vec<String> = Vec::new();
    for list in [mail.to(), mail.cc(), mail.bcc()].into_iter().flatten() {
        for address in addresses(list) {
            if !recipients.contains(&address) {
                recipients.push(address);
            }
        }
    }
    let message_audiences = match audiences.audiences(&recipients) {
        Ok(a) => a,
        Err(reason) => {
            errors.push(ReadError::at(loc, "audience", reason));
            Vec::new()
        }
    };

    let (body, body_html) = body(&mail);
    // A mail that only carries a file (the post-incident report as PDF) still went out; the
    // file's name is what can be said about it.
    let attached: Vec<&str> = mail
        .attachments()
        .filter_map(|a| a.attachment_name())
        .collect();
    let body = if body.is_empty() && !attached.is_empty() {
        format!("Attached: {}", attached.join(", "))
    } else {
        body
    };
    if body.is_empty() {
        errors.push(ReadError::at(
            loc,
            "body",
            "has no text: the mail holds neither a text/plain nor a text/html part with content",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let subject = mail
        .subject()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty());
    let author = mail
        .from()
        .and_then(|f| f.first())
        .and_then(|a| {
            a.name()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .or(a.address())
        })
        .unwrap_or_default()
        .to_string();
    let kind = kind_from_subject(subject.as_deref().unwrap_or_default());
    let language = detect_language(&format!("{}\n{body}", subject.as_deref().unwrap_or("")));
    let external_id = mail
        .message_id()
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
        })
        .filter(|id| !id.is_empty())
        .map(str::to_string);
    Ok(MessageInput {
        sent_at,
        audiences: message_audiences,
        channel: CHANNEL.to_string(),
        platform: None,
        author,
        subject,
        body,
        body_html,
        language: language.as_str().to_string(),
        kind: kind.to_string(),
        in_reply_to: None,
        next_update_at: None,
        eta_at: None,
        source: Some(SOURCE.to_string()),
        external_id,
    })
}

/// Lower-cased addresses of a To/Cc/Bcc field, groups included.
fn addresses(list: &Address<'_>) -> Vec<String> {
    list.iter()
        .filter_map(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .collect()
}

/// The Date header in UTC. chrono reads RFC 2822 strictly (any offset, obsolete zone names);
/// mail-parser's lenient reading covers what real clients write beside the standard
/// (`Tue, 10 Mar 2026 07:42 +0100 (CET)`, a missing weekday comma). A date without any zone
/// is the sender's wall clock, read in `zone`.
fn parse_date(
    raw: &str,
    parsed: Option<&mail_parser::DateTime>,
    zone: Tz,
) -> Result<NaiveDateTime, String> {
    // Folded headers continue on the next line; the fold is whitespace.
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(t) = chrono::DateTime::parse_from_rfc2822(&raw) {
        return Ok(t.naive_utc());
    }
    let bad = || {
        let shown: String = raw.chars().take(60).collect();
        format!("'{shown}' is not an RFC 2822 date such as 'Tue, 10 Mar 2026 07:42:00 +0100'")
    };
    let without_comment = raw.split('(').next().unwrap_or_default().trim();
    for format in [
        "%a, %d %b %Y %H:%M:%S",
        "%a, %d %b %Y %H:%M",
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
    ] {
        if let Ok(local) = NaiveDateTime::parse_from_str(without_comment, format) {
            return Ok(local_to_utc(local, zone));
        }
    }
    let d = parsed.filter(|d| d.is_valid()).ok_or_else(bad)?;
    chrono::DateTime::from_timestamp(d.to_timestamp(), 0)
        .map(|t| t.naive_utc())
        .ok_or_else(bad)
}

/// The text the readers saw: the text/plain parts; for HTML-only mail the HTML as text. The
/// HTML, when there is one, is kept as the original.
fn body(mail: &mail_parser::Message<'_>) -> (String, Option<String>) {
    let plain: Vec<String> = mail
        .text_bodies()
        .filter_map(|p| match &p.body {
            PartType::Text(t) => Some(normalise(t)),
            _ => None,
        })
        .filter(|t| !t.is_empty())
        .collect();
    let html: Option<String> = mail.html_bodies().find_map(|p| match &p.body {
        PartType::Html(h) if !h.trim().is_empty() => Some(h.to_string()),
        _ => None,
    });
    let text = if plain.is_empty() {
        html.as_deref().map(html_to_text).unwrap_or_default()
    } else {
        plain.join("\n\n")
    };
    (text, html)
}

fn normalise(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// `post_incident` or `resolution` when the subject says so, else `update` (the earliest mail
/// becomes `initial` once all are read).
fn kind_from_subject(subject: &str) -> &'static str {
    let lower = subject.to_lowercase();
    if POST_INCIDENT_CUES.iter().any(|c| has_cue(&lower, c)) {
        "post_incident"
    } else if RESOLUTION_CUES.iter().any(|c| has_cue(&lower, c)) {
        "resolution"
    } else {
        "update"
    }
}

/// `cue` starts a word of `text` and is not negated by the word before it ("unresolved",
/// "nicht behoben" do not count).
fn has_cue(text: &str, cue: &str) -> bool {
    text.match_indices(cue).any(|(at, _)| {
        let before = &text[..at];
        if before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            return false;
        }
        let previous_word = before
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .unwrap_or_default();
        !NEGATIONS.contains(&previous_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn t(s: &str) -> NaiveDateTime {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .naive_utc()
    }

    fn with_audience(a: &str) -> ReadOptions {
        ReadOptions {
            default_audience: Some(a.to_string()),
            ..Default::default()
        }
    }

    fn mapping(pairs: &[(&str, &str)]) -> ReadOptions {
        ReadOptions {
            audience_by_address: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
            ..Default::default()
        }
    }

    fn only(result: ReadResult) -> Vec<MessageInput> {
        let got = result.expect("reads");
        assert_eq!(got.len(), 1);
        assert!(got[0].incident.is_none());
        got[0]
            .messages
            .iter()
            .map(|m| m.value.message.clone())
            .collect()
    }

    /// A German notice to all staff, quoted-printable with umlauts in body and subject.
    const GERMAN_QP: &str = "Return-Path: <servicedesk@example.ch>\r\n\
From: =?UTF-8?Q?IT-Servicedesk_Z=C3=BCrich?= <servicedesk@example.ch>\r\n\
To: alle-mitarbeitenden@example.ch\r\n\
Subject: =?UTF-8?Q?St=C3=B6rung:_E-Mail-Versand_verz=C3=B6gert?=\r\n\
Date: Tue, 10 Mar 2026 08:05:00 +0100\r\n\
Message-ID: <20260310080500.4711@mail.example.ch>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=UTF-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Liebe Mitarbeitende\r\n\
\r\n\
Seit 07:40 Uhr werden ausgehende E-Mails verz=C3=B6gert zugestellt. Wir arbe=\r\n\
iten an der Behebung und informieren Sie bis sp=C3=A4testens 09:00 Uhr =C3=BC=\r\n\
ber den Stand.\r\n\
\r\n\
Freundliche Gr=C3=BCsse\r\n\
IT-Servicedesk\r\n";

    /// An English resolution notice that is HTML only, base64-encoded, in Windows-1252.
    fn english_html_base64() -> String {
        use base64::Engine;
        let html = "<html><body><p>Mail delivery is back to normal &ndash; all delayed \
                    messages were delivered.</p><ul><li>Cause: a full queue on mx2</li>\
                    <li>Fix: failover to mx3</li></ul><p>We apologise for the inconvenience.</p>\
                    </body></html>";
        let encoded = base64::engine::general_purpose::STANDARD.encode(html);
        let wrapped: Vec<String> = encoded
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        format!(
            "From: \"IT Service Desk\" <servicedesk@example.ch>\n\
To: customers@lists.example.ch\n\
Cc: Management <board@example.ch>\n\
Subject: [Resolved] Mail delivery delays\n\
Date: Tue, 10 Mar 2026 09:40:00 +0000\n\
Message-ID: <resolved-1@mail.example.ch>\n\
MIME-Version: 1.0\n\
Content-Type: text/html; charset=windows-1252\n\
Content-Transfer-Encoding: base64\n\
\n\
{}\n",
            wrapped.join("\n")
        )
    }

    /// multipart/alternative with text and HTML, ISO-8859-1 text.
    const ALTERNATIVE: &[u8] = b"From: Anna Muster <anna.muster@example.ch>\n\
To: it-team@example.ch, Ben Keller <ben.keller@partner.example.com>\n\
Subject: Update: E-Mail-Versand\n\
Date: Tue, 10 Mar 2026 09:00:00 +0100 (CET)\n\
Message-ID: <update-1@mail.example.ch>\n\
MIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=\"b1\"\n\
\n\
--b1\n\
Content-Type: text/plain; charset=ISO-8859-1\n\
Content-Transfer-Encoding: 8bit\n\
\n\
Die Warteschlange wird abgebaut. N\xe4chstes Update um 10:00 Uhr.\n\
--b1\n\
Content-Type: text/html; charset=UTF-8\n\
\n\
<p>Die Warteschlange wird abgebaut. <b>N\xc3\xa4chstes Update</b> um 10:00 Uhr.</p>\n\
--b1--\n";

    #[test]
    fn german_quoted_printable_mail() {
        assert!(detect("notice.txt", GERMAN_QP.as_bytes()));
        let msgs = only(read(
            "stoerung.eml",
            GERMAN_QP.as_bytes(),
            &with_audience("employees"),
        ));
        let m = &msgs[0];
        assert_eq!(
            m.subject.as_deref(),
            Some("Störung: E-Mail-Versand verzögert")
        );
        assert_eq!(m.author, "IT-Servicedesk Zürich");
        assert_eq!(m.sent_at, Some(t("2026-03-10T07:05:00Z")));
        assert!(
            m.body
                .contains("verzögert zugestellt. Wir arbeiten an der Behebung")
        );
        assert!(m.body.contains("spätestens 09:00 Uhr über den Stand."));
        assert!(!m.body.contains('\r'));
        assert_eq!(m.body_html, None);
        assert_eq!(m.language, "de");
        assert_eq!(m.kind, "initial");
        assert_eq!(m.channel, "email");
        assert_eq!(m.audiences, ["employees"]);
        assert_eq!(
            m.external_id.as_deref(),
            Some("20260310080500.4711@mail.example.ch")
        );
        m.validate(&["employees".to_string()], &[])
            .expect("valid message");
    }

    #[test]
    fn english_html_only_base64_mail() {
        let raw = english_html_base64();
        let msgs = only(read(
            "resolved.eml",
            raw.as_bytes(),
            &mapping(&[
                ("@lists.example.ch", "customers"),
                ("board@example.ch", "management"),
            ]),
        ));
        let m = &msgs[0];
        assert_eq!(
            m.body,
            "Mail delivery is back to normal – all delayed messages were delivered.\n\n\
             - Cause: a full queue on mx2\n- Fix: failover to mx3\n\n\
             We apologise for the inconvenience."
        );
        assert!(m.body_html.as_deref().is_some_and(|h| h.contains("<ul>")));
        assert_eq!(m.kind, "resolution");
        assert_eq!(m.language, "en");
        assert_eq!(m.author, "IT Service Desk");
        assert_eq!(m.audiences, ["customers", "management"]);
    }

    #[test]
    fn multipart_alternative_prefers_the_text_part() {
        let msgs = only(read(
            "update.eml",
            ALTERNATIVE,
            &mapping(&[
                ("it-team@example.ch", "it_teams"),
                ("@partner.example.com", "partners"),
            ]),
        ));
        let m = &msgs[0];
        assert_eq!(
            m.body,
            "Die Warteschlange wird abgebaut. Nächstes Update um 10:00 Uhr."
        );
        assert!(
            m.body_html
                .as_deref()
                .is_some_and(|h| h.contains("<b>Nächstes Update</b>"))
        );
        // The comment after the offset is allowed.
        assert_eq!(m.sent_at, Some(t("2026-03-10T08:00:00Z")));
        assert_eq!(m.audiences, ["it_teams", "partners"]);
    }

    fn mbox() -> String {
        format!(
            "From servicedesk@example.ch Tue Mar 10 07:05:00 2026\n{}\n\
From servicedesk@example.ch Tue Mar 10 09:40:00 2026\n{}\n\
From servicedesk@example.ch Fri Mar 13 14:00:00 2026\n\
From: IT-Servicedesk <servicedesk@example.ch>\n\
To: alle-mitarbeitenden@example.ch\n\
Subject: Nachbericht zur E-Mail-Störung vom 10. März\n\
Date: Fri, 13 Mar 2026 15:00:00 +0100\n\
Message-ID: <nachbericht@mail.example.ch>\n\
\n\
Was ist passiert?\n\
>From the logs we know the queue on mx2 ran full at 07:38.\n\
>>From here is quoted twice.\n\
From now on we monitor the queue length.\n\
\n",
            GERMAN_QP.replace("\r\n", "\n"),
            english_html_base64()
        )
    }

    #[test]
    fn an_mbox_with_three_mails() {
        let raw = mbox();
        assert!(detect("sent", raw.as_bytes()));
        let opts = mapping(&[
            ("@example.ch", "employees"),
            ("@lists.example.ch", "customers"),
        ]);
        let got = read("Sent.mbox", raw.as_bytes(), &opts).expect("reads");
        let msgs: Vec<&MessageInput> = got[0].messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(
            msgs.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            ["initial", "resolution", "post_incident"]
        );
        assert_eq!(
            got[0]
                .messages
                .iter()
                .map(|m| (m.at.record.clone().unwrap_or_default(), m.at.line))
                .collect::<Vec<_>>(),
            [
                ("message 1".to_string(), Some(1)),
                ("message 2".to_string(), Some(21)),
                ("message 3".to_string(), Some(37)),
            ]
        );
        let report = &msgs[2];
        assert_eq!(
            report.body,
            "Was ist passiert?\nFrom the logs we know the queue on mx2 ran full at 07:38.\n\
             >From here is quoted twice.\nFrom now on we monitor the queue length."
        );
        // A subdomain is another domain.
        assert_eq!(msgs[0].audiences, ["employees"]);
        assert_eq!(msgs[1].audiences, ["customers", "employees"]);
        assert_eq!(msgs[2].sent_at, Some(t("2026-03-13T14:00:00Z")));
    }

    #[test]
    fn a_bad_date_names_the_message_and_the_field() {
        let raw = mbox().replace(
            "Date: Tue, 10 Mar 2026 09:40:00 +0000",
            "Date: irgendwann am Dienstag",
        );
        let errs =
            read("Sent.mbox", raw.as_bytes(), &with_audience("employees")).expect_err("bad date");
        assert_eq!(errs.len(), 1, "{errs:?}");
        let e = &errs[0];
        assert_eq!(e.record.as_deref(), Some("message 2"));
        assert_eq!(e.field, "Date");
        assert_eq!(e.line, Some(21));
        assert!(
            e.reason
                .contains("'irgendwann am Dienstag' is not an RFC 2822 date")
        );
        assert_eq!(
            e.to_string(),
            "Sent.mbox, line 21, message 2, field Date: 'irgendwann am Dienstag' is not an \
             RFC 2822 date such as 'Tue, 10 Mar 2026 07:42:00 +0100'"
        );
        // Without a zone the sender's clock is meant: read in the import's zone (Zurich).
        let local = GERMAN_QP.replace(
            "Date: Tue, 10 Mar 2026 08:05:00 +0100",
            "Date: Tue, 10 Mar 2026 08:05:00",
        );
        let msgs = only(read("x.eml", local.as_bytes(), &with_audience("employees")));
        assert_eq!(msgs[0].sent_at, Some(t("2026-03-10T07:05:00Z")));
        let folded = GERMAN_QP.replace(
            "Date: Tue, 10 Mar 2026 08:05:00 +0100",
            "Date: Tue, 10 Mar 2026\r\n 08:05:00 -0500",
        );
        let msgs = only(read(
            "x.eml",
            folded.as_bytes(),
            &with_audience("employees"),
        ));
        assert_eq!(msgs[0].sent_at, Some(t("2026-03-10T13:05:00Z")));
        let no_date = GERMAN_QP.replace("Date: Tue, 10 Mar 2026 08:05:00 +0100\r\n", "");
        let errs =
            read("x.eml", no_date.as_bytes(), &with_audience("employees")).expect_err("no date");
        assert_eq!((errs[0].field.as_str(), errs[0].line), ("Date", Some(1)));
        assert!(errs[0].reason.contains("is missing"));
    }

    #[test]
    fn without_mapping_or_choice_the_audience_is_an_error() {
        let errs =
            read("x.eml", GERMAN_QP.as_bytes(), &ReadOptions::default()).expect_err("no audience");
        assert_eq!(errs[0].field, "audience");
        assert_eq!(errs[0].record.as_deref(), Some("message 1"));
        assert!(errs[0].reason.contains("alle-mitarbeitenden@example.ch"));
        assert!(errs[0].reason.contains("choose an audience"));
        // A mapping that misses falls back to the chosen audience…
        let mut opts = mapping(&[("@other.example", "partners")]);
        let errs = read("x.eml", GERMAN_QP.as_bytes(), &opts).expect_err("unmapped");
        assert!(errs[0].reason.contains("add these addresses"));
        opts.default_audience = Some("employees".into());
        let msgs = only(read("x.eml", GERMAN_QP.as_bytes(), &opts));
        assert_eq!(msgs[0].audiences, ["employees"]);
        // …and keys are matched without regard to case, a bare domain as `@domain`.
        let msgs = only(read(
            "x.eml",
            GERMAN_QP.as_bytes(),
            &mapping(&[("Example.CH", "employees")]),
        ));
        assert_eq!(msgs[0].audiences, ["employees"]);
        let msgs = only(read(
            "x.eml",
            GERMAN_QP.as_bytes(),
            &mapping(&[
                ("@example.ch", "employees"),
                ("Alle-Mitarbeitenden@example.ch", "management"),
            ]),
        ));
        assert_eq!(msgs[0].audiences, ["management"]);
    }

    #[test]
    fn a_mail_with_only_an_attachment_names_it() {
        let raw = "From: IT <it@example.ch>\n\
To: board@example.ch\n\
Bcc: ceo@example.ch\n\
Subject: Post-incident report\n\
Date: Fri, 13 Mar 2026 10:00:00 +0100\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"m\"\n\
\n\
--m\n\
Content-Type: application/pdf; name=\"Nachbericht.pdf\"\n\
Content-Disposition: attachment; filename=\"Nachbericht.pdf\"\n\
Content-Transfer-Encoding: base64\n\
\n\
JVBERi0xLjQK\n\
--m--\n";
        let msgs = only(read(
            "x.eml",
            raw.as_bytes(),
            &mapping(&[("ceo@example.ch", "management")]),
        ));
        assert_eq!(msgs[0].body, "Attached: Nachbericht.pdf");
        assert_eq!(msgs[0].kind, "post_incident");
        // Bcc counts: a sent mail keeps it.
        assert_eq!(msgs[0].audiences, ["management"]);
        assert_eq!(msgs[0].external_id, None);
        assert_eq!(msgs[0].author, "IT");
    }

    #[test]
    fn subjects_set_the_kind() {
        for (subject, kind) in [
            ("Entwarnung: E-Mail funktioniert wieder", "resolution"),
            ("Störung behoben", "resolution"),
            ("All clear: VPN", "resolution"),
            ("RESOLVED - VPN outage", "resolution"),
            ("Nachbericht: Störung behoben", "post_incident"),
            ("Post-incident report: VPN", "post_incident"),
            ("Post mortem VPN", "post_incident"),
            ("Störung noch nicht behoben", "update"),
            ("Update: issue not yet resolved", "update"),
            ("Unresolved: VPN", "update"),
            ("Update 2", "update"),
        ] {
            assert_eq!(kind_from_subject(subject), kind, "{subject}");
        }
    }

    #[test]
    fn hostile_input_fails_fast() {
        let junk: Vec<u8> = (0..65536u32).map(|i| (i * 7919 % 256) as u8).collect();
        let e = read("x.eml", &junk, &with_audience("employees")).expect_err("binary");
        assert!(e[0].reason.contains("binary data"), "{e:?}");
        let mut long =
            b"From: a@b.test\nSubject: x\nDate: Tue, 10 Mar 2026 08:05:00 +0100\n\n".to_vec();
        long.extend(std::iter::repeat_n(b'a', MAX_LINE_BYTES + 10));
        let e = read("x.eml", &long, &with_audience("employees")).expect_err("long line");
        assert_eq!(e[0].line, Some(5));
        assert!(e[0].reason.contains("line longer than"));
        let controls: Vec<u8> = b"From: a@b.test\n"
            .iter()
            .copied()
            .chain(std::iter::repeat_n(0x01u8, 100))
            .collect();
        let e = read("x.eml", &controls, &with_audience("employees")).expect_err("controls");
        assert!(e[0].reason.contains("control characters"));
        let e = read("x.eml", b"just some text\n", &with_audience("employees"))
            .expect_err("no headers");
        assert!(e[0].reason.contains("no e-mail headers"), "{e:?}");
        assert!(read("x.eml", b"", &with_audience("employees")).is_err());
        let raw = mbox();
        for (i, _) in raw.char_indices().step_by(7) {
            let _ = read("x.mbox", &raw.as_bytes()[..i], &with_audience("employees"));
        }
    }

    #[test]
    fn detects_mail_and_not_other_text() {
        assert!(detect("a.EML", b""));
        assert!(detect("Sent.mbox", b""));
        assert!(detect("x", mbox().as_bytes()));
        assert!(detect("x", ALTERNATIVE));
        assert!(!detect("notes.md", b"Subject: meeting notes\n\nFrom: me"));
        assert!(!detect("x.csv", b"From;To;Date\na;b;c\n"));
        assert!(!detect("x.json", b"[{\"type\": \"message\"}]"));
        assert!(!detect(
            "x.txt",
            b"From here on, things went wrong.\nSecond line\n"
        ));
    }
}
