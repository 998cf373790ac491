//! CSV and TSV tables of events, messages, mentions or recipients, as people make them (SPEC §3):
//! `,`, `;` or tab as delimiter, UTF-8 with or without BOM or Windows-1252, English or German
//! headers, times as RFC 3339 or as wall-clock times in the import's zone, and an optional
//! mapping of columns for headers nobody could guess.
//!
//! The file is decoded once and then read record by record. Every problem of every row is
//! collected (up to `MAX_ERRORS`) so that the preview can list them all; hostile input (binary
//! data, megabyte lines, a quote that never closes) is refused before any row is read.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::html::{detect_language_or, html_to_text, looks_like_html};
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
    RecipientRecord, RecordKind,
};
use crate::domain::incident::Language;
use crate::domain::time::{local_to_utc, utc_to_local};
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};

/// No spreadsheet row people write is this long; a longer line is a dump or an attack, and the
/// CSV parser would otherwise hold all of it in memory as one record.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A preview with more errors than this is not read by anyone; the rest are only counted.
pub const MAX_ERRORS: usize = 1000;

const TIME_EXAMPLE: &str = "is not a time like 2026-03-10 14:05 or 10.03.2026 14:05";

/// True for a file that is a table this reader understands: a `.csv`, `.tsv` or `.txt` name, or
/// a first line with at least two cells that are known headers.
pub fn detect(file_name: &str, bytes: &[u8]) -> bool {
    let name = file_name.trim().to_ascii_lowercase();
    if [".csv", ".tsv", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return true;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    if line
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\r'))
    {
        return false;
    }
    let text = decode_text(line);
    let delimiter = sniff_delimiter(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {
            record.len() >= 2 && record.iter().filter(|h| header_field(h).is_some()).count() >= 2
        }
        _ => false,
    }
}

/// Reads the table as one `ImportedIncident` without incident (the records attach to the
/// incident chosen at import), holding the records of `opts.record_kind` or, when that is not
/// given, of the kind the headers show. Records keep file order; the pipeline sorts them.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let text = decode(file_name, bytes).map_err(|e| vec![e])?;
    let delimiter = sniff_delimiter(&text);
    if let Some(line) = unclosed_quote(&text, delimiter) {
        return Err(vec![ReadError {
            file: file_name.to_string(),
            line: Some(line),
            record: None,
            field: String::new(),
            reason: "a cell opens a double quote (\") that is never closed, so the rest of the \
                     file would become one cell; close the quote or double a quote inside the \
                     text (\"\")"
                .to_string(),
        }]);
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![ReadError::file(
                file_name,
                "is empty; a CSV file starts with a row of column names",
            )]);
        }
        Err(e) => return Err(vec![ReadError::file(file_name, csv_reason(&e))]),
    }
    let headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    let cols = Columns::resolve(file_name, &headers, &opts.column_mapping)?;
    let kind = match opts.record_kind.or_else(|| cols.record_kind()) {
        Some(kind) => kind,
        None => return Err(vec![undecided_kind(file_name, &headers)]),
    };
    let missing = cols.missing_columns(kind, opts);
    if !missing.is_empty() {
        return Err(missing
            .into_iter()
            .map(|(field, reason)| ReadError {
                file: file_name.to_string(),
                line: Some(1),
                record: None,
                field: field.to_string(),
                reason,
            })
            .collect());
    }

    let mut table = Table {
        file: file_name,
        opts,
        cols,
        headers,
        delimiter,
        errors: Errors::default(),
        out: ImportedIncident::default(),
        lines: LineCounter::new(text.as_bytes()),
        languages_open: Vec::new(),
        language_votes: (0, 0),
        kinds_open: Vec::new(),
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => table.row(kind, &record),
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| table.lines.line_at(byte_offset(p.byte())));
                table.errors.push(ReadError {
                    file: file_name.to_string(),
                    line,
                    record: None,
                    field: String::new(),
                    reason: csv_reason(&e),
                });
                break;
            }
        }
    }
    table.finish()
}

// ---------------------------------------------------------------------------------------------
// Bytes and text

/// The text of the file, or why it is not a text table.
fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<Cow<'b, str>, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::file(
            file,
            "is UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV \
             (semicolon separated)\"",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // DOS tools end a text file with Ctrl-Z; it is no part of the table.
    let bytes = bytes.strip_suffix(&[0x1A]).unwrap_or(bytes);
    // Classic Mac files end lines with CR alone; read as one line they would look like a dump.
    let cr_only = !bytes.contains(&b'\n') && bytes.contains(&b'\r');
    check_bytes(file, bytes, if cr_only { b'\r' } else { b'\n' })?;
    let text = decode_text(bytes);
    Ok(if cr_only {
        Cow::Owned(text.replace('\r', "\n"))
    } else {
        text
    })
}

/// UTF-8 when the bytes are UTF-8, else Windows-1252 (what Excel on Windows writes), which
/// decodes every byte: a wrong guess shows as odd letters in the preview, never as a failure.
fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Refuses binary data and overlong lines, naming the first line that shows them.
fn check_bytes(file: &str, bytes: &[u8], newline: u8) -> Result<(), ReadError> {
    let mut offset = 0usize;
    for (index, line) in bytes.split(|&b| b == newline).enumerate() {
        let at = |reason: String| ReadError {
            file: file.to_string(),
            line: Some(index + 1),
            record: None,
            field: String::new(),
            reason,
        };
        if line.len() > MAX_LINE_BYTES {
            return Err(at(format!(
                "is a line of {} bytes; lines longer than {} bytes (1 MiB) are refused, this is \
                 not a table people write",
                line.len(),
                MAX_LINE_BYTES
            )));
        }
        if let Some(pos) = line
            .iter()
            .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n' | 0x0C))
        {
            return Err(at(format!(
                "contains the control byte 0x{:02X} at byte {}: this is binary data (or UTF-16 \
                 text), not a CSV file in UTF-8 or Windows-1252",
                line[pos],
                offset + pos
            )));
        }
        offset += line.len() + 1;
    }
    Ok(())
}

/// `,`, `;` or tab, whichever the header line has most of outside quotes; `,` when it has none.
fn sniff_delimiter(text: &str) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semicolon += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > comma.max(semicolon) {
        b'\t'
    } else if semicolon > comma {
        b';'
    } else {
        b','
    }
}

/// The line of a quote that opens a cell and is never closed, read the way the CSV parser reads
/// quotes (only at the start of a cell).
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut line = 1usize;
    let mut i = 0usize;
    let mut cell_start = true;
    while i < b.len() {
        let c = b[i];
        if cell_start && c == b'"' {
            let opened = line;
            i += 1;
            loop {
                let rest = b.get(i..).unwrap_or_default();
                let Some(q) = rest.iter().position(|&x| x == b'"') else {
                    return Some(opened);
                };
                line += rest[..q].iter().filter(|&&x| x == b'\n').count();
                i += q + 1;
                if b.get(i) == Some(&b'"') {
                    i += 1;
                } else {
                    break;
                }
            }
            cell_start = false;
            continue;
        }
        match c {
            b'\n' => {
                line += 1;
                cell_start = true;
            }
            b'\r' => cell_start = true,
            _ => cell_start = c == delimiter,
        }
        i += 1;
    }
    None
}

fn csv_reason(e: &::csv::Error) -> String {
    format!("cannot be read as CSV: {e}")
}

fn byte_offset(byte: u64) -> usize {
    usize::try_from(byte).unwrap_or(usize::MAX)
}

/// Physical line numbers of records, counting the line breaks inside quoted cells. Computed
/// from byte offsets because the parser's own count starts a record at the blank lines or the
/// half-consumed CRLF before it.
struct LineCounter<'t> {
    text: &'t [u8],
    byte: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t [u8]) -> Self {
        Self {
            text,
            byte: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `start`; calls come with growing offsets.
    fn line_at(&mut self, start: usize) -> usize {
        let mut s = start.min(self.text.len());
        while s < self.text.len() && matches!(self.text[s], b'\r' | b'\n') {
            s += 1;
        }
        if s > self.byte {
            self.line += self.text[self.byte..s]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.byte = s;
        }
        self.line
    }
}

// ---------------------------------------------------------------------------------------------
// Names: headers and values as people write them

/// Lower case without spaces, punctuation and accents, umlauts folded so that `Empfängergruppe`,
/// `Empfaengergruppe` and `empfanger gruppe` meet.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'à' | 'á' | 'â' => out.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' => out.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => out.push('u'),
            'é' | 'è' | 'ê' => out.push('e'),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    if out.contains("ae") || out.contains("oe") || out.contains("ue") {
        out = out.replace("ae", "a").replace("oe", "o").replace("ue", "u");
    }
    out
}

/// A header without remarks in brackets (`Zeit (MEZ)`, `E-Mail [Pflicht]`).
fn header_norm(h: &str) -> String {
    let mut plain = String::with_capacity(h.len());
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let n = norm(&plain);
    if n.is_empty() { norm(h) } else { n }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    /// Date and time in one cell.
    Timestamp,
    /// A date, or date and time when there is no time-of-day column.
    Date,
    /// A time of day, or date and time when there is no date column.
    Clock,
    Body,
    Html,
    Description,
    Subject,
    Audience,
    Channel,
    Kind,
    Language,
    Author,
    Handle,
    ExternalId,
    InReplyTo,
    NextUpdate,
    Eta,
    Platform,
    Url,
    Email,
    Name,
    FirstName,
    LastName,
    Source,
}

const FIELD_COUNT: usize = Field::Source as usize + 1;

impl Field {
    /// The name used in messages when the file has no such column.
    fn canonical(self) -> &'static str {
        match self {
            Field::Timestamp => "time",
            Field::Date => "date",
            Field::Clock => "time_of_day",
            Field::Body => "body",
            Field::Html => "body_html",
            Field::Description => "description",
            Field::Subject => "subject",
            Field::Audience => "audiences",
            Field::Channel => "channel",
            Field::Kind => "kind",
            Field::Language => "language",
            Field::Author => "author",
            Field::Handle => "author_handle",
            Field::ExternalId => "external_id",
            Field::InReplyTo => "in_reply_to",
            Field::NextUpdate => "next_update_at",
            Field::Eta => "eta_at",
            Field::Platform => "platform",
            Field::Url => "url",
            Field::Email => "email",
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Source => "source",
        }
    }
}

/// Header names in English and German. A name belongs to one field only; which field a
/// record kind reads it as (e.g. `Text` as an event's description) is decided per kind.
#[rustfmt::skip]
const HEADERS: &[(Field, &[&str])] = &[
    (Field::Timestamp, &["sent_at", "sent", "sent on", "timestamp", "datetime", "date and time",
        "occurred_at", "occurred", "happened at", "posted_at", "posted", "posted on", "published",
        "published_at", "created_at", "created", "when", "Zeitpunkt", "Zeitstempel",
        "Datum und Uhrzeit", "Datum/Uhrzeit", "Datum/Zeit", "Gesendet", "Gesendet am",
        "Gesendet um", "Versendet", "Versendet am", "Verschickt am", "Versandzeit", "Sendezeit",
        "Gepostet", "Gepostet am", "Veröffentlicht", "Veröffentlicht am", "Erstellt",
        "Erstellt am", "Wann"]),
    (Field::Date, &["date", "Datum"]),
    (Field::Clock, &["time", "time of day", "clock", "Zeit", "Uhrzeit"]),
    (Field::Body, &["body", "text", "message", "content", "message text", "Nachricht", "Inhalt",
        "Mitteilung", "Nachrichtentext", "Meldungstext"]),
    (Field::Html, &["body_html", "html", "HTML-Text"]),
    (Field::Description, &["description", "details", "Beschreibung", "Ereignisbeschreibung"]),
    (Field::Subject, &["subject", "title", "headline", "Betreff", "Titel", "Überschrift"]),
    (Field::Audience, &["audience", "audiences", "stakeholder", "stakeholders", "target group",
        "Zielgruppe", "Zielgruppen", "Empfängergruppe", "Empfängergruppen", "Anspruchsgruppe"]),
    (Field::Channel, &["channel", "medium", "Kanal", "Kommunikationskanal"]),
    (Field::Kind, &["kind", "type", "event", "event type", "message type", "Art", "Typ",
        "Ereignis", "Ereignistyp", "Meldungsart", "Nachrichtenart"]),
    (Field::Language, &["language", "lang", "locale", "Sprache"]),
    (Field::Author, &["author", "from", "sender", "sent by", "Autor", "Autorin", "Absender", "Von",
        "Verfasser", "Verfasst von"]),
    (Field::Handle, &["author_handle", "handle", "account", "user", "username", "Konto",
        "Benutzer", "Benutzername"]),
    (Field::ExternalId, &["id", "external_id", "external id", "ref", "Externe ID", "Referenz"]),
    (Field::InReplyTo, &["in_reply_to", "reply_to", "reply to", "Antwort auf", "In Antwort auf"]),
    (Field::NextUpdate, &["next_update_at", "next update", "next update at", "Nächstes Update",
        "Nächste Aktualisierung", "Nächste Meldung"]),
    (Field::Eta, &["eta_at", "eta", "expected resolution", "Prognose", "Voraussichtlich behoben",
        "Erwartete Behebung"]),
    (Field::Platform, &["platform", "network", "Plattform", "Netzwerk"]),
    (Field::Url, &["url", "link", "permalink"]),
    (Field::Email, &["email", "e-mail", "email address", "e-mail address", "mail",
        "E-Mail-Adresse", "Mailadresse"]),
    (Field::Name, &["name", "full name", "display name", "Vollständiger Name", "Anzeigename"]),
    (Field::FirstName, &["first_name", "first name", "given name", "Vorname"]),
    (Field::LastName, &["last_name", "last name", "surname", "family name", "Nachname",
        "Familienname"]),
    (Field::Source, &["source", "Quelle"]),
];

/// Field names a column mapping may name (besides any header above); `ignore` drops a column.
const MAPPING_TARGETS: &[(&str, Option<Field>)] = &[
    ("sent_at", Some(Field::Timestamp)),
    ("occurred_at", Some(Field::Timestamp)),
    ("posted_at", Some(Field::Timestamp)),
    ("time", Some(Field::Timestamp)),
    ("timestamp", Some(Field::Timestamp)),
    ("date", Some(Field::Date)),
    ("time_of_day", Some(Field::Clock)),
    ("body", Some(Field::Body)),
    ("text", Some(Field::Body)),
    ("body_html", Some(Field::Html)),
    ("description", Some(Field::Description)),
    ("subject", Some(Field::Subject)),
    ("audiences", Some(Field::Audience)),
    ("audience", Some(Field::Audience)),
    ("channel", Some(Field::Channel)),
    ("platform", Some(Field::Platform)),
    ("kind", Some(Field::Kind)),
    ("language", Some(Field::Language)),
    ("locale", Some(Field::Language)),
    ("author", Some(Field::Author)),
    ("author_handle", Some(Field::Handle)),
    ("external_id", Some(Field::ExternalId)),
    ("in_reply_to", Some(Field::InReplyTo)),
    ("next_update_at", Some(Field::NextUpdate)),
    ("eta_at", Some(Field::Eta)),
    ("url", Some(Field::Url)),
    ("email", Some(Field::Email)),
    ("name", Some(Field::Name)),
    ("first_name", Some(Field::FirstName)),
    ("last_name", Some(Field::LastName)),
    ("source", Some(Field::Source)),
    ("ignore", None),
];

fn header_index() -> &'static HashMap<String, Field> {
    static INDEX: OnceLock<HashMap<String, Field>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for (field, names) in HEADERS {
            for name in *names {
                map.entry(header_norm(name)).or_insert(*field);
            }
        }
        map
    })
}

fn header_field(header: &str) -> Option<Field> {
    header_index().get(&header_norm(header)).copied()
}

/// A closed list of values with their English and German spellings.
struct Vocab {
    /// Key, the name shown in errors, and further spellings.
    entries: &'static [(&'static str, &'static str, &'static [&'static str])],
    index: OnceLock<HashMap<String, &'static str>>,
}

impl Vocab {
    const fn new(
        entries: &'static [(&'static str, &'static str, &'static [&'static str])],
    ) -> Self {
        Self {
            entries,
            index: OnceLock::new(),
        }
    }

    fn lookup(&self, value: &str) -> Option<&'static str> {
        self.index
            .get_or_init(|| {
                let mut map = HashMap::new();
                for (key, label, spellings) in self.entries {
                    for s in [key, label].into_iter().chain(spellings.iter()) {
                        map.entry(norm(s)).or_insert(*key);
                    }
                }
                map
            })
            .get(&norm(value))
            .copied()
    }

    /// `key (German name), …` for error messages.
    fn allowed(&self) -> String {
        self.entries
            .iter()
            .map(|(key, label, _)| {
                if norm(key) == norm(label) {
                    (*key).to_string()
                } else {
                    format!("{key} ({label})")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[rustfmt::skip]
static AUDIENCES: Vocab = Vocab::new(&[
    ("employees", "Mitarbeitende", &["employee", "staff", "IT users", "users",
        "IT users / employees", "Mitarbeiter", "Mitarbeiterinnen", "Mitarbeiter:innen",
        "Mitarbeiterinnen und Mitarbeiter", "Belegschaft", "Personal", "IT-Nutzende", "IT-Nutzer",
        "Nutzende", "IT-Nutzende / Mitarbeitende"]),
    ("it_teams", "IT-Teams", &["IT", "IT team", "IT-Team", "IT teams", "Informatik", "IT-Betrieb"]),
    ("management", "Geschäftsleitung", &["GL", "executives", "executive board", "board", "Leitung",
        "Führung", "Vorstand", "Direktion", "Geschäftsführung"]),
    ("customers", "Kunden", &["customer", "clients", "Kundinnen und Kunden", "Kundinnen",
        "Kund:innen", "Kundschaft"]),
    ("partners", "Partner", &["partner", "suppliers", "partners & suppliers", "Lieferanten",
        "Partner & Lieferanten", "Partner und Lieferanten"]),
    ("public", "Öffentlichkeit", &["social media", "public / social media", "general public",
        "Öffentlichkeit / Social Media", "Medien", "Allgemeinheit"]),
]);

#[rustfmt::skip]
static CHANNELS: Vocab = Vocab::new(&[
    ("email", "E-Mail", &["mail", "e mail", "newsletter", "Rundmail", "Rundschreiben"]),
    ("status_page", "Statusseite", &["status page", "statuspage", "Status-Seite", "Statusportal"]),
    ("dark_site", "Dark Site", &["darksite", "Notfallseite", "Krisenseite", "Notfall-Website"]),
    ("intranet", "Intranet", &["Mitarbeiterportal"]),
    ("chat", "Chat", &["Slack", "Teams", "MS Teams", "Microsoft Teams", "Mattermost", "Webex",
        "Matrix"]),
    ("social_media", "Social Media", &["social", "soziale Medien", "soziale Netzwerke"]),
    ("sms", "SMS", &["text message", "Textnachricht"]),
    ("phone", "Telefon", &["telephone", "hotline", "call", "phone call", "Anruf", "Telefonat"]),
    ("press_release", "Pressemitteilung", &["press release", "press", "Medienmitteilung",
        "Pressemeldung", "Presseinformation", "Presse"]),
    ("other", "Sonstiges", &["misc", "andere", "anderes", "sonstige"]),
]);

/// Social networks by their usual name, so that a channel written `LinkedIn` is social media
/// on that platform.
#[rustfmt::skip]
static PLATFORMS: Vocab = Vocab::new(&[
    ("x", "X", &["twitter", "X/Twitter", "Twitter/X", "x.com"]),
    ("linkedin", "LinkedIn", &[]),
    ("facebook", "Facebook", &["fb"]),
    ("instagram", "Instagram", &["insta"]),
    ("mastodon", "Mastodon", &[]),
    ("bluesky", "Bluesky", &["bsky"]),
    ("threads", "Threads", &[]),
    ("tiktok", "TikTok", &[]),
    ("youtube", "YouTube", &[]),
    ("reddit", "Reddit", &[]),
    ("xing", "XING", &[]),
]);

#[rustfmt::skip]
static MESSAGE_KINDS: Vocab = Vocab::new(&[
    ("initial", "Erstmeldung", &["first", "first message", "initial message", "erste Meldung",
        "Erstinformation", "Erstkommunikation"]),
    ("update", "Update", &["status update", "Aktualisierung", "Zwischenmeldung", "Zwischenstand",
        "Folgemeldung", "Statusupdate"]),
    ("resolution", "Entwarnung", &["resolved", "all clear", "Behebung", "behoben",
        "Abschlussmeldung", "Schlussmeldung"]),
    ("post_incident", "Nachbericht", &["post incident", "postmortem", "post mortem",
        "incident report", "Abschlussbericht", "Rückblick"]),
    ("reply", "Antwort", &["answer", "response"]),
]);

#[rustfmt::skip]
static EVENT_KINDS: Vocab = Vocab::new(&[
    ("detected", "erkannt", &["detection", "alert", "triggered", "entdeckt", "festgestellt",
        "Störung erkannt", "ausgelöst"]),
    ("acknowledged", "bestätigt", &["ack", "acknowledge", "quittiert", "angenommen", "übernommen"]),
    ("escalated", "eskaliert", &["escalation", "Eskalation"]),
    ("diagnosed", "Ursache gefunden", &["diagnosis", "identified", "root cause found",
        "cause found", "diagnostiziert", "Ursache identifiziert", "Ursache erkannt"]),
    ("mitigated", "entschärft", &["mitigation", "workaround", "umgangen", "Umgehung", "mitigiert",
        "eingedämmt"]),
    ("resolved", "behoben", &["fixed", "resolution", "gelöst", "wiederhergestellt", "erledigt"]),
    ("monitoring", "Überwachung", &["monitor", "Beobachtung", "überwacht", "wird beobachtet"]),
    ("note", "Notiz", &["comment", "info", "Anmerkung", "Kommentar", "Hinweis"]),
]);

#[rustfmt::skip]
static LANGUAGES: Vocab = Vocab::new(&[
    ("de", "Deutsch", &["german", "deu", "ger", "de-CH", "de-DE", "de-AT", "de_CH", "de_DE"]),
    ("en", "Englisch", &["english", "eng", "en-GB", "en-US", "en_GB", "en_US"]),
]);

/// An audience key the organisation may have added (`investors`): passed on for the pipeline
/// to check against the organisation's audiences.
fn key_like(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A cell as quoted in an error message: long cells are cut.
fn shown(value: &str) -> Cow<'_, str> {
    const MAX: usize = 60;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &value[..cut])),
        None => Cow::Borrowed(value),
    }
}

fn opt(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

// ---------------------------------------------------------------------------------------------
// Times

/// A time as written: with an offset it is an instant, without one a wall-clock time in the
/// import's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    date: NaiveDate,
    time: NaiveTime,
    /// Seconds east of UTC, when the text gave an offset.
    offset: Option<i64>,
}

impl Stamp {
    fn to_utc(self, tz: Tz) -> NaiveDateTime {
        let naive = self.date.and_time(self.time);
        match self.offset {
            Some(secs) => naive - Duration::seconds(secs),
            None => local_to_utc(naive, tz),
        }
    }
}

/// `2026-03-10T07:42:00+01:00`, `2026-03-10 07:42`, `2026/03/10 07:42`, `10.03.2026 07:42`,
/// `10.03.26 07:42`, `1.3.2026 7:42`, each with optional seconds, fraction, offset and `Uhr`.
fn parse_stamp(raw: &str) -> Option<Stamp> {
    let s = raw.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '/')))?;
    let date = parse_date(&s[..split])?;
    let rest = &s[split..];
    let rest = match rest.strip_prefix(['T', 't']) {
        Some(r) => r,
        None => rest.trim_start_matches([' ', ',']),
    };
    let (time, offset) = parse_clock(rest)?;
    Some(Stamp { date, time, offset })
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// A date alone: ISO with `-` or `/` (year first), or German with dots (day first). US dates
/// (`03/10/2026`) are refused: nobody can tell March from October.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let sep = ['-', '/', '.'].into_iter().find(|&c| s.contains(c))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if sep == '.' {
        let year = match c.len() {
            2 => 2000 + i32::try_from(digits(c, 2, 2)?).ok()?,
            _ => i32::try_from(digits(c, 4, 4)?).ok()?,
        };
        (year, digits(b, 1, 2)?, digits(a, 1, 2)?)
    } else {
        (
            i32::try_from(digits(a, 4, 4)?).ok()?,
            digits(b, 1, 2)?,
            digits(c, 1, 2)?,
        )
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `7:42`, `07:42:05`, `07:42:05.123`, each with an optional offset (`Z`, `+01:00`, `+0100`,
/// `UTC`) and an optional trailing `Uhr`.
fn parse_clock(s: &str) -> Option<(NaiveTime, Option<i64>)> {
    let s = strip_uhr(s.trim());
    let hour_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let hour = digits(&s[..hour_len], 1, 2)?;
    let rest = s[hour_len..].strip_prefix(':')?;
    let minute = digits(rest.get(..2)?, 2, 2)?;
    let mut rest = &rest[2..];
    let mut second = 0;
    let mut nanos = 0;
    if let Some(r) = rest.strip_prefix(':') {
        second = digits(r.get(..2)?, 2, 2)?;
        rest = &r[2..];
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let len = r.bytes().take_while(u8::is_ascii_digit).count();
            let fraction = digits(&r[..len], 1, 9)?;
            nanos = fraction * 10u32.pow(u32::try_from(9 - len).ok()?);
            rest = &r[len..];
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some((time, parse_offset(rest.trim())?))
}

/// `14:05 Uhr` is how German speakers write times.
fn strip_uhr(s: &str) -> &str {
    let cut = s.len().saturating_sub(3);
    match s.get(cut..) {
        Some(tail) if tail.eq_ignore_ascii_case("uhr") => s[..cut].trim_end(),
        _ => s,
    }
}

/// Some(None) for no offset, None for text that is not an offset.
fn parse_offset(s: &str) -> Option<Option<i64>> {
    if s.is_empty() {
        return Some(None);
    }
    if ["z", "utc", "gmt"]
        .iter()
        .any(|z| s.eq_ignore_ascii_case(z))
    {
        return Some(Some(0));
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    if !rest.is_ascii() {
        return None;
    }
    let (hours, minutes) = match rest.len() {
        2 => (digits(rest, 2, 2)?, 0),
        4 => (digits(&rest[..2], 2, 2)?, digits(&rest[2..], 2, 2)?),
        5 if rest.as_bytes()[2] == b':' => (digits(&rest[..2], 2, 2)?, digits(&rest[3..], 2, 2)?),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(Some(sign * i64::from(hours * 3600 + minutes * 60)))
}

/// Why a cell is not a time, with a hint for the one mistake that cannot be guessed away.
fn time_reason(raw: &str) -> String {
    let first = raw.trim().split('/').next().unwrap_or_default();
    if raw.contains('/') && first.len() <= 2 && first.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "'{}' is ambiguous (month/day or day/month?); write it like 2026-03-10 14:05 or \
             10.03.2026 14:05",
            shown(raw)
        )
    } else {
        format!("'{}' {TIME_EXAMPLE}", shown(raw))
    }
}

// ---------------------------------------------------------------------------------------------
// Columns

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeColumns {
    None,
    One(usize),
    /// Date and time of day in two columns (`Datum` + `Uhrzeit`).
    Pair(usize, usize),
}

struct Columns {
    at: [Option<usize>; FIELD_COUNT],
    time: TimeColumns,
}

impl Columns {
    fn resolve(
        file: &str,
        headers: &[String],
        mapping: &BTreeMap<String, String>,
    ) -> Result<Self, Vec<ReadError>> {
        let mut at: [Option<usize>; FIELD_COUNT] = [None; FIELD_COUNT];
        let mut mapped = vec![false; headers.len()];
        let mut errors = Vec::new();
        let error = |field: &str, reason: String| ReadError {
            file: file.to_string(),
            line: Some(1),
            record: None,
            field: field.to_string(),
            reason,
        };
        for (from, to) in mapping {
            let wanted = header_norm(from);
            let column = headers
                .iter()
                .position(|h| h == from.trim())
                .or_else(|| headers.iter().position(|h| header_norm(h) == wanted));
            let Some(column) = column else {
                errors.push(error(
                    from,
                    format!(
                        "the column mapping names this column, but the file has none like it; \
                         its columns are: {}",
                        headers.join(", ")
                    ),
                ));
                continue;
            };
            mapped[column] = true;
            let target = to.trim().to_ascii_lowercase();
            let field = match MAPPING_TARGETS.iter().find(|(name, _)| *name == target) {
                Some((_, field)) => *field,
                None => match header_field(to) {
                    Some(field) => Some(field),
                    None => {
                        errors.push(error(
                            from,
                            format!(
                                "the column mapping maps it to '{}', which is not a field; use \
                                 one of: {}",
                                to.trim(),
                                MAPPING_TARGETS
                                    .iter()
                                    .map(|(name, _)| *name)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                        continue;
                    }
                },
            };
            if let Some(field) = field {
                match at[field as usize] {
                    None => at[field as usize] = Some(column),
                    Some(other) => errors.push(error(
                        from,
                        format!(
                            "the column mapping maps it to {}, as it does '{}'; a field is read \
                             from one column",
                            field.canonical(),
                            headers[other]
                        ),
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        for (column, header) in headers.iter().enumerate() {
            if mapped[column] {
                continue;
            }
            // The first of several columns that mean the same wins, as a reader of the table
            // would assume.
            if let Some(field) = header_field(header) {
                at[field as usize].get_or_insert(column);
            }
        }
        let time = match (
            at[Field::Timestamp as usize],
            at[Field::Date as usize],
            at[Field::Clock as usize],
        ) {
            (Some(one), _, _) => TimeColumns::One(one),
            (None, Some(date), Some(clock)) => TimeColumns::Pair(date, clock),
            (None, Some(one), None) | (None, None, Some(one)) => TimeColumns::One(one),
            (None, None, None) => TimeColumns::None,
        };
        Ok(Self { at, time })
    }

    fn has(&self, field: Field) -> bool {
        self.at[field as usize].is_some()
    }

    /// The first of `fields` that has a column.
    fn pick(&self, fields: &[Field]) -> Option<Field> {
        fields.iter().copied().find(|&f| self.has(f))
    }

    /// Messages name a channel or audience, mentions a platform or handle, events a kind,
    /// recipients an e-mail address and no time.
    fn record_kind(&self) -> Option<RecordKind> {
        let has_time = self.time != TimeColumns::None;
        let has_text = self.has(Field::Body) || self.has(Field::Description);
        if self.has(Field::Email) && !has_time {
            return Some(RecordKind::Recipients);
        }
        if (self.has(Field::Channel) || self.has(Field::Audience))
            && (has_text || self.has(Field::Html))
        {
            return Some(RecordKind::Messages);
        }
        if (self.has(Field::Platform) || self.has(Field::Handle) || self.has(Field::Url))
            && has_text
        {
            return Some(RecordKind::Mentions);
        }
        if !self.has(Field::Channel) && has_time && (self.has(Field::Kind) || has_text) {
            return Some(RecordKind::Events);
        }
        if self.has(Field::Email) {
            return Some(RecordKind::Recipients);
        }
        None
    }

    /// Columns the kind cannot do without: (field, reason), reported once for the file.
    fn missing_columns(&self, kind: RecordKind, opts: &ReadOptions) -> Vec<(&'static str, String)> {
        let mut missing = Vec::new();
        let time = |name: &'static str, what: &str| {
            (
                name,
                format!(
                    "the file has no column for the time {what}; name one e.g. `{name}`, \
                     `Zeitpunkt` or `Datum` + `Uhrzeit`, or map a column to `{name}`"
                ),
            )
        };
        match kind {
            RecordKind::Messages => {
                if self.time == TimeColumns::None {
                    missing.push(time("sent_at", "a message was sent"));
                }
                if self
                    .pick(&[Field::Body, Field::Description, Field::Html])
                    .is_none()
                {
                    missing.push((
                        "body",
                        "the file has no column for the message text; name one e.g. `body`, \
                         `Text` or `Nachricht`"
                            .to_string(),
                    ));
                }
                if !self.has(Field::Audience) && opts.default_audience.is_none() {
                    missing.push((
                        "audiences",
                        format!(
                            "the file has no audience column (e.g. `audience`, `Zielgruppe`) \
                             and no default audience was chosen for this import; audiences: {}",
                            AUDIENCES.allowed()
                        ),
                    ));
                }
            }
            RecordKind::Events => {
                if self.time == TimeColumns::None {
                    missing.push(time("occurred_at", "an event happened"));
                }
            }
            RecordKind::Mentions => {
                if self.time == TimeColumns::None {
                    missing.push(time("posted_at", "a mention was posted"));
                }
                if self.pick(&[Field::Body, Field::Description]).is_none() {
                    missing.push((
                        "text",
                        "the file has no column for the text of the mention; name one e.g. \
                         `text` or `Inhalt`"
                            .to_string(),
                    ));
                }
            }
            RecordKind::Recipients => {
                if !self.has(Field::Email) {
                    missing.push((
                        "email",
                        "the file has no e-mail column; name one e.g. `email` or \
                         `E-Mail-Adresse`"
                            .to_string(),
                    ));
                }
            }
        }
        missing
    }
}

fn undecided_kind(file: &str, headers: &[String]) -> ReadError {
    ReadError {
        file: file.to_string(),
        line: Some(1),
        record: None,
        field: String::new(),
        reason: format!(
            "cannot tell from the columns ({}) whether the file holds events, messages, mentions \
             or recipients. Typical columns: messages `Zeit; Zielgruppe; Kanal; Nachricht`, \
             events `Zeit; Ereignis; Beschreibung`, mentions `Zeit; Plattform; Konto; Text`, \
             recipients `E-Mail; Name; Zielgruppe`. Choose the kind of records or map the \
             columns.",
            headers.join(", ")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Rows

#[derive(Default)]
struct Errors {
    list: Vec<ReadError>,
    more: usize,
}

impl Errors {
    fn push(&mut self, e: ReadError) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(e);
        } else {
            self.more += 1;
        }
    }

    fn total(&self) -> usize {
        self.list.len() + self.more
    }
}

struct Table<'a> {
    file: &'a str,
    opts: &'a ReadOptions,
    cols: Columns,
    headers: Vec<String>,
    delimiter: u8,
    errors: Errors,
    out: ImportedIncident,
    lines: LineCounter<'a>,
    /// Messages whose text has no language cue, decided by the rest of the file at the end.
    languages_open: Vec<usize>,
    /// Messages with a cue: (German, English).
    language_votes: (usize, usize),
    /// Messages whose kind the file does not give.
    kinds_open: Vec<usize>,
}

impl Table<'_> {
    fn cell<'r>(&self, rec: &'r ::csv::StringRecord, field: Field) -> &'r str {
        self.cols.at[field as usize]
            .and_then(|i| rec.get(i))
            .map_or("", str::trim)
    }

    fn column_cell(rec: &::csv::StringRecord, column: usize) -> &str {
        rec.get(column).map_or("", str::trim)
    }

    /// The header as written, or the field's name when the file has no such column.
    fn name(&self, field: Field) -> String {
        match self.cols.at[field as usize] {
            Some(i) => self.column_name(i),
            None => field.canonical().to_string(),
        }
    }

    fn column_name(&self, column: usize) -> String {
        self.headers
            .get(column)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", column + 1))
    }

    fn error(&mut self, at: &Location, field: &str, reason: impl Into<String>) {
        self.errors.push(ReadError::at(at, field, reason));
    }

    fn field_error(&mut self, at: &Location, field: Field, reason: impl Into<String>) {
        let name = self.name(field);
        self.error(at, &name, reason);
    }

    fn row(&mut self, kind: RecordKind, rec: &::csv::StringRecord) {
        if rec.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let start = rec.position().map_or(0, |p| byte_offset(p.byte()));
        let at = Location {
            file: self.file.to_string(),
            line: Some(self.lines.line_at(start)),
            record: None,
        };
        let before = self.errors.total();
        if rec.len() > self.headers.len()
            && rec
                .iter()
                .skip(self.headers.len())
                .any(|c| !c.trim().is_empty())
        {
            let field = format!("column {}", self.headers.len() + 1);
            let reason = format!(
                "the row has {} cells but the header has {}; a value that contains '{}' must be \
                 in double quotes",
                rec.len(),
                self.headers.len(),
                char::from(self.delimiter)
            );
            self.error(&at, &field, reason);
        }
        match kind {
            RecordKind::Messages => self.message(rec, at, before),
            RecordKind::Events => self.event(rec, at, before),
            RecordKind::Mentions => self.mention(rec, at, before),
            RecordKind::Recipients => self.recipient(rec, at, before),
        }
    }

    /// The row's time in UTC; None (with the error recorded) when it has none or a bad one.
    fn row_time(&mut self, rec: &::csv::StringRecord, at: &Location) -> Option<NaiveDateTime> {
        let tz = self.opts.tz;
        match self.cols.time {
            TimeColumns::None => None,
            TimeColumns::One(column) => {
                let raw = Self::column_cell(rec, column);
                let reason = if raw.is_empty() {
                    "is empty; every row needs its time".to_string()
                } else if let Some(stamp) = parse_stamp(raw) {
                    return Some(stamp.to_utc(tz));
                } else {
                    time_reason(raw)
                };
                let name = self.column_name(column);
                self.error(at, &name, reason);
                None
            }
            TimeColumns::Pair(date_column, clock_column) => {
                let date_raw = Self::column_cell(rec, date_column);
                let clock_raw = Self::column_cell(rec, clock_column);
                // Excel writes dates as `10.03.2026 00:00` and times as `30.12.1899 14:05`:
                // only the part that belongs to the column counts.
                if clock_raw.is_empty() {
                    if let Some(stamp) = parse_stamp(date_raw) {
                        return Some(stamp.to_utc(tz));
                    }
                }
                let date = parse_date(date_raw).or_else(|| parse_stamp(date_raw).map(|s| s.date));
                let clock = parse_clock(clock_raw)
                    .or_else(|| parse_stamp(clock_raw).map(|s| (s.time, s.offset)));
                if date.is_none() {
                    let reason = if date_raw.is_empty() {
                        "is empty; every row needs its date".to_string()
                    } else {
                        format!(
                            "'{}' is not a date like 2026-03-10 or 10.03.2026",
                            shown(date_raw)
                        )
                    };
                    let name = self.column_name(date_column);
                    self.error(at, &name, reason);
                }
                if clock.is_none() {
                    let reason = if clock_raw.is_empty() {
                        "is empty; every row needs its time of day".to_string()
                    } else {
                        format!("'{}' is not a time of day like 14:05", shown(clock_raw))
                    };
                    let name = self.column_name(clock_column);
                    self.error(at, &name, reason);
                }
                let (date, (time, offset)) = (date?, clock?);
                Some(Stamp { date, time, offset }.to_utc(tz))
            }
        }
    }

    /// A promised time (next update, ETA): a full time, or a time of day on the day of the
    /// message (the next day when that is earlier than the message).
    fn later_time(
        &mut self,
        rec: &::csv::StringRecord,
        at: &Location,
        field: Field,
        sent: Option<NaiveDateTime>,
    ) -> Option<NaiveDateTime> {
        let raw = self.cell(rec, field);
        if raw.is_empty() {
            return None;
        }
        let tz = self.opts.tz;
        if let Some(stamp) = parse_stamp(raw) {
            return Some(stamp.to_utc(tz));
        }
        if let (Some((time, offset)), Some(sent)) = (parse_clock(raw), sent) {
            let sent_local = match offset {
                Some(secs) => sent + Duration::seconds(secs),
                None => utc_to_local(sent, tz).naive_local(),
            };
            let mut local = sent_local.date().and_time(time);
            if local < sent_local {
                local += Duration::days(1);
            }
            return Some(match offset {
                Some(secs) => local - Duration::seconds(secs),
                None => local_to_utc(local, tz),
            });
        }
        let reason = format!("{} (or a time of day like 14:05)", time_reason(raw));
        self.field_error(at, field, reason);
        None
    }

    fn audiences(&mut self, rec: &::csv::StringRecord, at: &Location) -> Vec<String> {
        let raw = self.cell(rec, Field::Audience);
        if raw.is_empty() {
            if let Some(default) = &self.opts.default_audience {
                return vec![default.clone()];
            }
            self.field_error(
                at,
                Field::Audience,
                format!(
                    "is empty and no default audience was chosen for this import; use one of: {}",
                    AUDIENCES.allowed()
                ),
            );
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for part in raw.split([',', ';', '|']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let key = match AUDIENCES.lookup(part) {
                Some(key) => key.to_string(),
                None if key_like(part) => part.to_string(),
                None => {
                    self.field_error(
                        at,
                        Field::Audience,
                        format!(
                            "'{}' is not a known audience; use one of: {}",
                            shown(part),
                            AUDIENCES.allowed()
                        ),
                    );
                    continue;
                }
            };
            if !out.contains(&key) {
                out.push(key);
            }
        }
        out
    }

    fn language(&mut self, rec: &::csv::StringRecord, at: &Location) -> Option<&'static str> {
        let raw = self.cell(rec, Field::Language);
        if raw.is_empty() {
            return None;
        }
        let found = LANGUAGES.lookup(raw);
        if found.is_none() {
            self.field_error(
                at,
                Field::Language,
                format!(
                    "'{}' is not a language; use one of: {}",
                    shown(raw),
                    LANGUAGES.allowed()
                ),
            );
        }
        found
    }

    fn message(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let sent_at = self.row_time(rec, &at);

        let body_field = self
            .cols
            .pick(&[Field::Body, Field::Description, Field::Html]);
        let raw_body = match body_field {
            Some(Field::Html) | None => "",
            Some(field) => self.cell(rec, field),
        };
        let raw_html = self.cell(rec, Field::Html);
        let (body, body_html) = if !raw_html.is_empty() {
            let body = if raw_body.is_empty() || looks_like_html(raw_body) {
                html_to_text(if raw_body.is_empty() {
                    raw_html
                } else {
                    raw_body
                })
            } else {
                raw_body.to_string()
            };
            (body, Some(raw_html.to_string()))
        } else if looks_like_html(raw_body) {
            (html_to_text(raw_body), Some(raw_body.to_string()))
        } else {
            (raw_body.to_string(), None)
        };
        if body.trim().is_empty() {
            let field = body_field.unwrap_or(Field::Body);
            self.field_error(&at, field, "is empty; a message needs its text");
        }

        let audiences = self.audiences(rec, &at);

        let raw_channel = self.cell(rec, Field::Channel);
        let (channel, channel_platform) = if raw_channel.is_empty() {
            ("other", None)
        } else if let Some(channel) = CHANNELS.lookup(raw_channel) {
            (channel, None)
        } else if let Some(platform) = PLATFORMS.lookup(raw_channel) {
            ("social_media", Some(platform))
        } else {
            self.field_error(
                &at,
                Field::Channel,
                format!(
                    "'{}' is not a channel; use one of: {}, or a social network such as X or \
                     LinkedIn",
                    shown(raw_channel),
                    CHANNELS.allowed()
                ),
            );
            ("other", None)
        };
        let raw_platform = self.cell(rec, Field::Platform);
        let platform = if raw_platform.is_empty() {
            channel_platform.map(str::to_string)
        } else {
            Some(
                PLATFORMS
                    .lookup(raw_platform)
                    .map_or_else(|| raw_platform.to_lowercase(), str::to_string),
            )
        };

        let in_reply_to = opt(self.cell(rec, Field::InReplyTo));
        let raw_kind = self.cell(rec, Field::Kind);
        let kind = if raw_kind.is_empty() {
            if in_reply_to.is_some() {
                "reply"
            } else {
                "update"
            }
        } else {
            match MESSAGE_KINDS.lookup(raw_kind) {
                Some(kind) => kind,
                None => {
                    self.field_error(
                        &at,
                        Field::Kind,
                        format!(
                            "'{}' is not a kind of message; use one of: {}",
                            shown(raw_kind),
                            MESSAGE_KINDS.allowed()
                        ),
                    );
                    "update"
                }
            }
        };
        let language = self.language(rec, &at);
        let subject = opt(self.cell(rec, Field::Subject));
        let author_field = self
            .cols
            .pick(&[Field::Author, Field::Handle])
            .unwrap_or(Field::Author);
        let author = self.cell(rec, author_field).to_string();
        let next_update_at = self.later_time(rec, &at, Field::NextUpdate, sent_at);
        let eta_at = self.later_time(rec, &at, Field::Eta, sent_at);
        if self.errors.total() > before {
            return;
        }

        let language = match language {
            Some(l) => {
                if l == Language::De.as_str() {
                    self.language_votes.0 += 1;
                } else {
                    self.language_votes.1 += 1;
                }
                l.to_string()
            }
            None => {
                let cue = match &subject {
                    Some(s) => language_cue(&format!("{s}\n{body}")),
                    None => language_cue(&body),
                };
                match cue {
                    Some(Language::De) => self.language_votes.0 += 1,
                    Some(Language::En) => self.language_votes.1 += 1,
                    None => self.languages_open.push(self.out.messages.len()),
                }
                cue.unwrap_or(Language::En).as_str().to_string()
            }
        };
        if !self.cols.has(Field::Kind) && kind == "update" {
            self.kinds_open.push(self.out.messages.len());
        }
        let message = MessageInput {
            sent_at,
            audiences,
            channel: channel.to_string(),
            platform,
            author,
            subject,
            body,
            body_html,
            language,
            kind: kind.to_string(),
            in_reply_to: None,
            next_update_at,
            eta_at,
            source: opt(self.cell(rec, Field::Source)),
            external_id: opt(self.cell(rec, Field::ExternalId)),
        };
        self.out.messages.push(Located {
            at,
            value: ImportedMessage {
                message,
                in_reply_to_external: in_reply_to,
            },
        });
    }

    fn event(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let occurred_at = self.row_time(rec, &at);
        let raw_kind = self.cell(rec, Field::Kind);
        // A row without a kind is still something that happened; it is kept as a note.
        let kind = if raw_kind.is_empty() {
            "note"
        } else {
            match EVENT_KINDS.lookup(raw_kind) {
                Some(kind) => kind,
                None => {
                    self.field_error(
                        &at,
                        Field::Kind,
                        format!(
                            "'{}' is not a kind of event; use one of: {}",
                            shown(raw_kind),
                            EVENT_KINDS.allowed()
                        ),
                    );
                    "note"
                }
            }
        };
        if self.errors.total() > before {
            return;
        }
        let description = self
            .cols
            .pick(&[Field::Description, Field::Body, Field::Subject])
            .map_or("", |f| self.cell(rec, f))
            .to_string();
        self.out.events.push(Located {
            at,
            value: EventInput {
                occurred_at,
                kind: kind.to_string(),
                description,
                source: opt(self.cell(rec, Field::Source)),
                external_id: opt(self.cell(rec, Field::ExternalId)),
            },
        });
    }

    fn mention(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let posted_at = self.row_time(rec, &at);
        let text_field = self
            .cols
            .pick(&[Field::Body, Field::Description])
            .unwrap_or(Field::Body);
        let text = self.cell(rec, text_field).to_string();
        if text.is_empty() {
            self.field_error(&at, text_field, "is empty; a mention needs its text");
        }
        let url = opt(self.cell(rec, Field::Url));
        let raw_platform = self.cell(rec, Field::Platform);
        let platform = if raw_platform.is_empty() {
            url.as_deref().and_then(platform_of_url)
        } else {
            Some(
                PLATFORMS
                    .lookup(raw_platform)
                    .map_or_else(|| raw_platform.to_lowercase(), str::to_string),
            )
        };
        if platform.is_none() {
            self.field_error(
                &at,
                Field::Platform,
                "is empty; name the platform, e.g. x, linkedin or facebook",
            );
        }
        if self.errors.total() > before {
            return;
        }
        let handle_field = self
            .cols
            .pick(&[Field::Handle, Field::Author])
            .unwrap_or(Field::Handle);
        self.out.mentions.push(Located {
            at,
            value: MentionInput {
                posted_at,
                platform: platform.unwrap_or_default(),
                author_handle: self.cell(rec, handle_field).to_string(),
                text,
                url,
                external_id: opt(self.cell(rec, Field::ExternalId)),
            },
        });
    }

    fn recipient(&mut self, rec: &::csv::StringRecord, at: Location, before: usize) {
        let raw_email = self.cell(rec, Field::Email);
        let parsed = parse_address(raw_email);
        if parsed.is_none() {
            let reason = if raw_email.is_empty() {
                "is empty; every recipient needs an e-mail address".to_string()
            } else {
                format!("'{}' is not an e-mail address", shown(raw_email))
            };
            self.field_error(&at, Field::Email, reason);
        }
        let raw_audience = self.cell(rec, Field::Audience);
        let audience = if raw_audience.is_empty() {
            self.opts.default_audience.clone()
        } else if let Some(key) = AUDIENCES.lookup(raw_audience) {
            Some(key.to_string())
        } else if key_like(raw_audience) {
            Some(raw_audience.to_string())
        } else {
            let several = raw_audience.contains([',', ';', '|']);
            let reason = if several {
                format!(
                    "'{}' names several audiences; a recipient belongs to one of: {}",
                    shown(raw_audience),
                    AUDIENCES.allowed()
                )
            } else {
                format!(
                    "'{}' is not a known audience; use one of: {}",
                    shown(raw_audience),
                    AUDIENCES.allowed()
                )
            };
            self.field_error(&at, Field::Audience, reason);
            None
        };
        let locale = self.language(rec, &at);
        if self.errors.total() > before {
            return;
        }
        let Some((address_name, email)) = parsed else {
            return;
        };
        let name = match self.cell(rec, Field::Name) {
            "" => {
                let joined = [
                    self.cell(rec, Field::FirstName),
                    self.cell(rec, Field::LastName),
                ]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
                if joined.is_empty() {
                    address_name.unwrap_or_default()
                } else {
                    joined
                }
            }
            name => name.to_string(),
        };
        self.out.recipients.push(Located {
            at,
            value: RecipientRecord {
                email,
                name,
                audience,
                locale: locale.map(str::to_string),
            },
        });
    }

    fn finish(mut self) -> ReadResult {
        if self.errors.total() > 0 {
            let mut list = self.errors.list;
            if self.errors.more > 0 {
                list.push(ReadError::file(
                    self.file,
                    format!(
                        "{} more errors are not listed; fix the ones above and read the file \
                         again",
                        self.errors.more
                    ),
                ));
            }
            return Err(list);
        }
        // Short texts ("Testbetrieb", "12:35") carry no cue: they are in the language of the
        // rest of the file.
        let file_language = if self.language_votes.0 > self.language_votes.1 {
            Language::De
        } else {
            Language::En
        };
        for &i in &self.languages_open {
            if let Some(m) = self.out.messages.get_mut(i) {
                m.value.message.language = file_language.as_str().to_string();
            }
        }
        self.infer_first_messages();
        Ok(vec![self.out])
    }

    /// Without a kind column, the earliest message to an audience is its first message and
    /// the others are updates (replies name their mention): scoring needs the first message.
    fn infer_first_messages(&mut self) {
        let mut open = std::mem::take(&mut self.kinds_open);
        let messages = &mut self.out.messages;
        open.sort_by_key(|&i| messages.get(i).and_then(|m| m.value.message.sent_at));
        let mut informed: Vec<String> = Vec::new();
        for i in open {
            let Some(m) = messages.get_mut(i) else {
                continue;
            };
            let message = &mut m.value.message;
            let first_for_someone = message.audiences.iter().any(|a| !informed.contains(a));
            if first_for_someone {
                message.kind = "initial".to_string();
                for a in &message.audiences {
                    if !informed.contains(a) {
                        informed.push(a.clone());
                    }
                }
            }
        }
    }
}

/// German or English when the text says so, None when it has no cue either way.
fn language_cue(text: &str) -> Option<Language> {
    match detect_language_or(text, Language::De) {
        Language::En => Some(Language::En),
        Language::De => match detect_language_or(text, Language::En) {
            Language::De => Some(Language::De),
            Language::En => None,
        },
    }
}

/// The platform of a post from its link, for mention tables without a platform column.
fn platform_of_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = ["www.", "m.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(&host);
    let platform = match host {
        "twitter.com" | "x.com" => "x",
        "linkedin.com" => "linkedin",
        "facebook.com" | "fb.com" => "facebook",
        "instagram.com" => "instagram",
        "bsky.app" => "bluesky",
        "threads.net" => "threads",
        "tiktok.com" => "tiktok",
        "youtube.com" | "youtu.be" => "youtube",
        "reddit.com" => "reddit",
        "xing.com" => "xing",
        other => return Some(other.to_string()),
    };
    Some(platform.to_string())
}

/// `anna@example.org`, `mailto:anna@example.org` or `Anna Muster <anna@example.org>`: the
/// name (if written) and the address.
fn parse_address(raw: &str) -> Option<(Option<String>, String)> {
    let raw = raw.trim();
    let (name, address) = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(lt), Some(gt)) if lt < gt => (
            opt(raw[..lt].trim().trim_matches('"')),
            raw[lt + 1..gt].trim(),
        ),
        _ => (None, raw),
    };
    let address = address.strip_prefix("mailto:").unwrap_or(address).trim();
    let (local, domain) = address.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !address.contains(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>'));
    valid.then(|| (name, address.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::time::Instant;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|x| x.and_hms_opt(h, mi, 0))
            .expect("valid time")
    }

    fn opts() -> ReadOptions {
        ReadOptions::default()
    }

    fn read_ok(name: &str, text: &str, opts: &ReadOptions) -> ImportedIncident {
        let mut out = read(name, text.as_bytes(), opts)
            .unwrap_or_else(|e| panic!("{name} should read: {e:#?}"));
        assert_eq!(out.len(), 1);
        out.remove(0)
    }

    fn read_err(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<ReadError> {
        match read(name, bytes, opts) {
            Ok(_) => panic!("{name} should fail"),
            Err(e) => e,
        }
    }

    #[test]
    fn comma_file_with_english_headers_and_rfc3339_offsets() {
        let csv = "sent_at,audience,channel,subject,body,kind,author,id\n\
                   2026-03-10T07:42:00+01:00,employees,email,Mail down,Mail is down.,initial,Service Desk,m1\n\
                   2026-03-10T06:50:00Z,\"employees, management\",Status page,,\"Still down, we are on it.\",update,,m2\n\
                   2026-03-10 07:55:30.5-02:00,customers,LinkedIn,,Fixed.,resolution,,m3\n";
        let got = read_ok("messages.csv", csv, &opts());
        assert!(got.incident.is_none());
        assert_eq!(got.messages.len(), 3);
        let m = &got.messages[0].value.message;
        assert_eq!(m.sent_at, Some(utc(2026, 3, 10, 6, 42)));
        assert_eq!(m.audiences, vec!["employees"]);
        assert_eq!(m.channel, "email");
        assert_eq!(m.subject.as_deref(), Some("Mail down"));
        assert_eq!(m.kind, "initial");
        assert_eq!(m.author, "Service Desk");
        assert_eq!(m.external_id.as_deref(), Some("m1"));
        assert_eq!(m.language, "en");
        assert_eq!(got.messages[0].at.line, Some(2));
        let m = &got.messages[1].value.message;
        assert_eq!(m.sent_at, Some(utc(2026, 3, 10, 6, 50)));
        assert_eq!(m.audiences, vec!["employees", "management"]);
        assert_eq!(m.channel, "status_page");
        assert_eq!(m.body, "Still down, we are on it.");
        let m = &got.messages[2].value.message;
        let expected = utc(2026, 3, 10, 9, 55) + Duration::milliseconds(30_500);
        assert_eq!(m.sent_at, Some(expected));
        assert_eq!(m.channel, "social_media");
        assert_eq!(m.platform.as_deref(), Some("linkedin"));
    }

    #[test]
    fn semicolon_file_with_bom_and_german_headers() {
        let csv = "\u{feff}Gesendet am;Zielgruppe;Kanal;Betreff;Nachricht;Art;Absender;Sprache\r\n\
                   10.03.2026 07:42;Mitarbeitende;E-Mail;Störung;E-Mail ist gestört.;Erstmeldung;IT;Deutsch\r\n\
                   10.03.2026 08:10;Geschäftsleitung | Kundinnen und Kunden;Statusseite;;Wir arbeiten daran;Aktualisierung;;\r\n\
                   10.3.2026 9:05 Uhr;IT-Teams;Chat;;Behoben;Entwarnung;;de\r\n\
                   10.03.26 09:30;Öffentlichkeit;Pressemitteilung;;Nachbericht folgt;Nachbericht;;\r\n";
        let got = read_ok("nachrichten.csv", csv, &opts());
        let ms: Vec<&MessageInput> = got.messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(ms.len(), 4);
        assert_eq!(ms[0].sent_at, Some(utc(2026, 3, 10, 6, 42)));
        assert_eq!(ms[0].audiences, vec!["employees"]);
        assert_eq!(ms[0].kind, "initial");
        assert_eq!(ms[0].language, "de");
        assert_eq!(ms[0].author, "IT");
        assert_eq!(ms[1].audiences, vec!["management", "customers"]);
        assert_eq!(ms[1].channel, "status_page");
        assert_eq!(ms[1].kind, "update");
        assert_eq!(ms[1].language, "de");
        assert_eq!(ms[2].sent_at, Some(utc(2026, 3, 10, 8, 5)));
        assert_eq!(ms[2].audiences, vec!["it_teams"]);
        assert_eq!(ms[2].channel, "chat");
        assert_eq!(ms[2].kind, "resolution");
        assert_eq!(ms[3].sent_at, Some(utc(2026, 3, 10, 8, 30)));
        assert_eq!(ms[3].audiences, vec!["public"]);
        assert_eq!(ms[3].channel, "press_release");
        assert_eq!(ms[3].kind, "post_incident");
        let lines: Vec<Option<usize>> = got.messages.iter().map(|m| m.at.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn windows_1252_with_umlauts() {
        let text = "Zeitpunkt;Empfängergruppe;Kanal;Inhalt\r\n\
                    10.03.2026 07:42;Geschäftsleitung;E-Mail;Störung behoben – Grüße aus Zürich\r\n";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "test needs non-UTF-8 bytes"
        );
        let got = read("alt.csv", &bytes, &opts()).expect("reads");
        let m = &got[0].messages[0].value.message;
        assert_eq!(m.body, "Störung behoben – Grüße aus Zürich");
        assert_eq!(m.audiences, vec!["management"]);
        assert!(detect("export", &bytes));
    }

    #[test]
    fn date_and_time_in_two_columns() {
        let csv = "Datum;Uhrzeit;Zielgruppe;Kanal;Text\n\
                   10.03.2026;07:42;Kunden;SMS;Störung\n\
                   2026-07-10 00:00:00;30.12.1899 14:05;Kunden;Telefon;Hotline informiert\n\
                   11.03.2026;;Kunden;Intranet;x\n\
                   12.03.2026 09:15;;Kunden;Intranet;Zeit steht im Datum\n";
        let err = read_err("zwei.csv", csv.as_bytes(), &opts());
        assert_eq!(err.len(), 1, "{err:#?}");
        assert_eq!(err[0].line, Some(4));
        assert_eq!(err[0].field, "Uhrzeit");
        let fixed = csv.replace("11.03.2026;;", "11.03.2026;8:00;");
        let got = read_ok("zwei.csv", &fixed, &opts());
        let times: Vec<_> = got
            .messages
            .iter()
            .map(|m| m.value.message.sent_at)
            .collect();
        assert_eq!(
            times,
            vec![
                Some(utc(2026, 3, 10, 6, 42)),
                Some(utc(2026, 7, 10, 12, 5)),
                Some(utc(2026, 3, 11, 7, 0)),
                Some(utc(2026, 3, 12, 8, 15)),
            ]
        );
        assert_eq!(got.messages[1].value.message.channel, "phone");
    }

    #[test]
    fn dst_gap_and_overlap_in_zurich() {
        let csv = "Zeit;Ereignis;Beschreibung\n\
                   29.03.2026 01:30;erkannt;before the gap\n\
                   29.03.2026 02:30;bestätigt;in the gap\n\
                   29.03.2026 03:30;eskaliert;after the gap\n\
                   25.10.2026 02:30;behoben;in the repeated hour\n\
                   25.10.2026 03:30;Notiz;after it\n";
        let got = read_ok("events.csv", csv, &opts());
        let times: Vec<_> = got.events.iter().map(|e| e.value.occurred_at).collect();
        assert_eq!(
            times,
            vec![
                Some(utc(2026, 3, 29, 0, 30)),
                Some(utc(2026, 3, 29, 1, 30)),
                Some(utc(2026, 3, 29, 1, 30)),
                Some(utc(2026, 10, 25, 0, 30)),
                Some(utc(2026, 10, 25, 2, 30)),
            ]
        );
        let mut other_zone = opts();
        other_zone.tz = chrono_tz::America::New_York;
        let got = read_ok("events.csv", csv, &other_zone);
        assert_eq!(
            got.events[0].value.occurred_at,
            Some(utc(2026, 3, 29, 5, 30))
        );
    }

    #[test]
    fn quoted_multi_line_bodies_keep_line_numbers() {
        let csv = "time,audience,channel,body\n\
                   2026-03-10 07:42,employees,email,\"First line\n\
                   second line\n\
                   third line\"\n\
                   \n\
                   2026-03-10 08:00,employees,email,\"Quote \"\"inside\"\"\"\n\
                   2026-03-10 8 Uhr,employees,email,bad time\n";
        let err = read_err("multi.csv", csv.as_bytes(), &opts());
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, Some(7));
        assert_eq!(err[0].field, "time");
        assert_eq!(
            err[0].reason,
            "'2026-03-10 8 Uhr' is not a time like 2026-03-10 14:05 or 10.03.2026 14:05"
        );
        let crlf = csv.replace('\n', "\r\n");
        let err = read_err("multi.csv", crlf.as_bytes(), &opts());
        assert_eq!(err[0].line, Some(7));

        let fixed = csv.replace("8 Uhr", "08:30");
        let got = read_ok("multi.csv", &fixed, &opts());
        let lines: Vec<_> = got.messages.iter().map(|m| m.at.line).collect();
        assert_eq!(lines, vec![Some(2), Some(6), Some(7)]);
        assert_eq!(
            got.messages[0].value.message.body,
            "First line\nsecond line\nthird line"
        );
        assert_eq!(got.messages[1].value.message.body, "Quote \"inside\"");
    }

    #[test]
    fn column_mapping_overrides_headers() {
        let csv = "Wann genau;Wer;Was;Wo;Text\n\
                   10.03.2026 07:42;Kunden;Störung;Statusseite;ignored\n";
        let mut o = opts();
        o.column_mapping = BTreeMap::from([
            ("wann genau".to_string(), "sent_at".to_string()),
            ("Wer".to_string(), "audiences".to_string()),
            ("Was".to_string(), "body".to_string()),
            ("Wo".to_string(), "Kanal".to_string()),
        ]);
        let got = read_ok("mapped.csv", csv, &o);
        let m = &got.messages[0].value.message;
        assert_eq!(m.body, "Störung");
        assert_eq!(m.channel, "status_page");
        assert_eq!(m.sent_at, Some(utc(2026, 3, 10, 6, 42)));

        o.column_mapping
            .insert("Wer".to_string(), "stakeholder group".to_string());
        o.column_mapping
            .insert("Nirgends".to_string(), "body".to_string());
        let err = read_err("mapped.csv", csv.as_bytes(), &o);
        assert_eq!(err.len(), 2, "{err:#?}");
        assert_eq!(err[0].field, "Nirgends");
        assert!(err[0].reason.contains("Wann genau, Wer, Was, Wo, Text"));
        assert_eq!(err[1].field, "Wer");
        assert!(err[1].reason.contains("sent_at"), "{}", err[1].reason);
    }

    #[test]
    fn events_with_german_names() {
        let csv = "Zeitpunkt;Ereignis;Beschreibung;Quelle;ID\n\
                   10.03.2026 06:42;erkannt;Monitoring schlägt an;PRTG;e1\n\
                   10.03.2026 06:50;bestätigt;;;\n\
                   10.03.2026 07:00;eskaliert;;;\n\
                   10.03.2026 07:10;Ursache gefunden;Zertifikat;;\n\
                   10.03.2026 07:20;umgangen;;;\n\
                   10.03.2026 07:30;gelöst;;;\n\
                   10.03.2026 07:40;Überwachung;;;\n\
                   10.03.2026 07:50;Notiz;;;\n\
                   10.03.2026 07:55;;ohne Art;;\n";
        let got = read_ok("ereignisse.csv", csv, &opts());
        let kinds: Vec<&str> = got.events.iter().map(|e| e.value.kind.as_str()).collect();
        assert_eq!(
            kinds,
            vec![
                "detected",
                "acknowledged",
                "escalated",
                "diagnosed",
                "mitigated",
                "resolved",
                "monitoring",
                "note",
                "note"
            ]
        );
        let first = &got.events[0].value;
        assert_eq!(first.description, "Monitoring schlägt an");
        assert_eq!(first.source.as_deref(), Some("PRTG"));
        assert_eq!(first.external_id.as_deref(), Some("e1"));
        assert!(first.validate().is_ok());
        assert!(got.messages.is_empty() && got.mentions.is_empty());

        let bad = "Zeit;Art;Text\n10.03.2026 07:00;explodiert;Bumm\n";
        let err = read_err("e.csv", bad.as_bytes(), &opts());
        assert_eq!(err[0].field, "Art");
        assert!(
            err[0].reason.contains("detected (erkannt)"),
            "{}",
            err[0].reason
        );
    }

    #[test]
    fn mentions_with_platform_handle_and_link() {
        let csv = "posted_at,platform,handle,text,url,id\n\
                   2026-03-10T07:00:00Z,Twitter,@anna,Is mail down?,https://x.com/anna/status/1,t1\n\
                   2026-03-10T07:05:00Z,,@ben,Same here,https://www.linkedin.com/posts/ben-1,\n";
        let got = read_ok("mentions.csv", csv, &opts());
        assert_eq!(got.mentions.len(), 2);
        let m = &got.mentions[0].value;
        assert_eq!(m.platform, "x");
        assert_eq!(m.author_handle, "@anna");
        assert_eq!(m.text, "Is mail down?");
        assert_eq!(m.external_id.as_deref(), Some("t1"));
        assert!(m.validate().is_ok());
        assert_eq!(got.mentions[1].value.platform, "linkedin");

        let german =
            "Zeit;Plattform;Konto;Text\n10.03.2026 08:00;Mastodon;@c@chaos.social;Geht nicht\n";
        let got = read_ok("erwaehnungen.csv", german, &opts());
        assert_eq!(got.mentions[0].value.author_handle, "@c@chaos.social");
        assert_eq!(
            got.mentions[0].value.posted_at,
            Some(utc(2026, 3, 10, 7, 0))
        );
    }

    #[test]
    fn replies_name_their_mention() {
        let csv = "Zeit;Zielgruppe;Kanal;Plattform;Text;Antwort auf\n\
                   10.03.2026 08:00;Öffentlichkeit;Social Media;X;Wir sind dran.;t1\n";
        let got = read_ok("antworten.csv", csv, &opts());
        let m = &got.messages[0].value;
        assert_eq!(m.in_reply_to_external.as_deref(), Some("t1"));
        assert_eq!(m.message.kind, "reply");
        assert_eq!(m.message.platform.as_deref(), Some("x"));
    }

    #[test]
    fn recipients_with_two_name_columns() {
        let csv = "Vorname;Nachname;E-Mail-Adresse;Zielgruppe;Sprache\n\
                   Anna;Muster;anna@example.org;Mitarbeitende;Deutsch\n\
                   Ben;;ben@example.org;Kunden;Englisch\n\
                   ;;\"Cleo Chef <cleo@example.org>\";GL;\n\
                   Dora;Doe;dora@example;Kunden;\n\
                   Emil;E;emil@example.org;Aktionäre;Klingonisch\n";
        let err = read_err("empfaenger.csv", csv.as_bytes(), &opts());
        let found: Vec<(Option<usize>, &str)> =
            err.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (Some(5), "E-Mail-Adresse"),
                (Some(6), "Zielgruppe"),
                (Some(6), "Sprache")
            ]
        );
        assert!(err[1].reason.contains("employees (Mitarbeitende)"));
        let good: String = csv.lines().take(4).map(|l| format!("{l}\n")).collect();
        let got = read_ok("empfaenger.csv", &good, &opts());
        let r: Vec<&RecipientRecord> = got.recipients.iter().map(|r| &r.value).collect();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].name, "Anna Muster");
        assert_eq!(r[0].email, "anna@example.org");
        assert_eq!(r[0].audience.as_deref(), Some("employees"));
        assert_eq!(r[0].locale.as_deref(), Some("de"));
        assert_eq!(r[1].name, "Ben");
        assert_eq!(r[1].locale.as_deref(), Some("en"));
        assert_eq!(r[2].name, "Cleo Chef");
        assert_eq!(r[2].email, "cleo@example.org");
        assert_eq!(r[2].audience.as_deref(), Some("management"));
        assert_eq!(r[2].locale, None);
    }

    #[test]
    fn many_errors_are_collected_with_lines() {
        let csv = "time;audience;channel;body\n\
                   2026-03-10 07:00;employees;email;ok\n\
                   03/10/2026 07:00;employees;email;us date\n\
                   2026-03-10 07:00;Aktionäre;email;bad audience\n\
                   2026-03-10 07:00;employees;Brieftaube;bad channel\n\
                   2026-03-10 07:00;employees;email;\n\
                   2026-03-10 25:00;employees;email;bad hour\n";
        let err = read_err("bad.csv", csv.as_bytes(), &opts());
        let found: Vec<(Option<usize>, &str)> =
            err.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (Some(3), "time"),
                (Some(4), "audience"),
                (Some(5), "channel"),
                (Some(6), "body"),
                (Some(7), "time"),
            ]
        );
        assert!(err[0].reason.contains("ambiguous"), "{}", err[0].reason);
        assert!(
            err[1]
                .reason
                .contains("'Aktionäre' is not a known audience")
        );
        assert!(err[1].reason.contains("customers (Kunden)"));
        assert!(err[2].reason.contains("'Brieftaube' is not a channel"));
        assert!(err[2].reason.contains("status_page (Statusseite)"));
        assert!(err.iter().all(|e| e.file == "bad.csv"));
        assert_eq!(
            err[3].to_string(),
            "bad.csv, line 6, field body: is empty; a message needs its text"
        );
    }

    #[test]
    fn errors_are_capped_with_a_count() {
        let mut csv = String::from("time,audience,channel,body\n");
        for _ in 0..1200 {
            csv.push_str("yesterday,employees,email,x\n");
        }
        let err = read_err("many.csv", csv.as_bytes(), &opts());
        assert_eq!(err.len(), MAX_ERRORS + 1);
        assert_eq!(err[0].line, Some(2));
        assert_eq!(err[MAX_ERRORS - 1].line, Some(MAX_ERRORS + 1));
        assert!(err[MAX_ERRORS].reason.starts_with("200 more errors"));
    }

    #[test]
    fn binary_junk_and_huge_lines_fail_fast() {
        let mut junk = b"time,body\n2026-03-10 07:00,ok\n".to_vec();
        junk.extend_from_slice(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff]);
        let err = read_err("image.csv", &junk, &opts());
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, Some(3));
        assert!(err[0].reason.contains("binary"), "{}", err[0].reason);

        let mut huge = b"time,audience,channel,body\n2026-03-10 07:00,employees,email,".to_vec();
        huge.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
        huge.extend_from_slice(b"\n2026-03-10 08:00,employees,email,x\n");
        let started = Instant::now();
        let err = read_err("huge.csv", &huge, &opts());
        assert!(started.elapsed().as_secs() < 2);
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, Some(2));
        assert!(err[0].reason.contains("1 MiB"));

        let utf16 = [0xFF, 0xFE, b't', 0, b'i', 0];
        let err = read_err("u16.csv", &utf16, &opts());
        assert!(err[0].reason.contains("UTF-16"));
    }

    #[test]
    fn an_unclosed_quote_is_named() {
        let csv = "time,audience,channel,body\n\
                   2026-03-10 07:00,employees,email,ok\n\
                   2026-03-10 07:10,employees,email,\"never closed\n\
                   2026-03-10 07:20,employees,email,lost\n";
        let err = read_err("quote.csv", csv.as_bytes(), &opts());
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, Some(3));
        // A quote inside an unquoted cell is text, as the parser reads it.
        let fine = "time,audience,channel,body\n2026-03-10 07:00,employees,email,say \"hi\n";
        assert_eq!(
            read_ok("q.csv", fine, &opts()).messages[0]
                .value
                .message
                .body,
            "say \"hi"
        );
    }

    #[test]
    fn extra_cells_are_reported() {
        let csv = "Zeit;Zielgruppe;Kanal;Text\n10.03.2026 07:00;Kunden;SMS;Teil 1;Teil 2\n10.03.2026 07:10;Kunden;SMS;ok;;\n";
        let err = read_err("extra.csv", csv.as_bytes(), &opts());
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, Some(2));
        assert!(err[0].reason.contains("';'"));
    }

    #[test]
    fn default_audience_fills_gaps() {
        let csv = "time,channel,body\n2026-03-10 07:00,email,Down\n";
        let err = read_err(
            "m.csv",
            csv.as_bytes(),
            &ReadOptions {
                record_kind: Some(RecordKind::Messages),
                ..opts()
            },
        );
        assert_eq!(err[0].field, "audiences");
        let mut o = opts();
        o.default_audience = Some("customers".to_string());
        let got = read_ok("m.csv", csv, &o);
        assert_eq!(got.messages[0].value.message.audiences, vec!["customers"]);

        let empty_cell = "time,audience,channel,body\n2026-03-10 07:00,,email,Down\n";
        let err = read_err("m.csv", empty_cell.as_bytes(), &opts());
        assert_eq!((err[0].line, err[0].field.as_str()), (Some(2), "audience"));
        let got = read_ok("m.csv", empty_cell, &o);
        assert_eq!(got.messages[0].value.message.audiences, vec!["customers"]);
    }

    #[test]
    fn record_kind_from_options_or_headers() {
        let csv = "time,description\n2026-03-10 07:00,Something\n";
        assert_eq!(read_ok("e.csv", csv, &opts()).events.len(), 1);
        let o = ReadOptions {
            record_kind: Some(RecordKind::Mentions),
            ..opts()
        };
        let err = read_err("e.csv", csv.as_bytes(), &o);
        assert_eq!(err[0].field, "platform");
        let err = read_err("x.csv", b"foo;bar\n1;2\n", &opts());
        assert!(err[0].reason.contains("foo, bar"));
        assert_eq!(err[0].line, Some(1));
    }

    #[test]
    fn kinds_and_languages_are_inferred_when_missing() {
        let csv = "time\taudience\tchannel\tbody\n\
                   2026-03-10 08:00\temployees\tintranet\tDer Dienst ist wieder verfügbar, die Störung ist behoben.\n\
                   2026-03-10 07:00\temployees\temail\tTestbetrieb\n\
                   2026-03-10 07:30\temployees;customers\tstatus_page\tWir arbeiten mit Hochdruck an der Lösung.\n";
        let got = read_ok("tabs.tsv", csv, &opts());
        let ms: Vec<&MessageInput> = got.messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(
            ms.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            vec!["update", "initial", "initial"]
        );
        assert!(ms.iter().all(|m| m.language == "de"));
    }

    #[test]
    fn html_bodies_become_text_and_promises_are_read() {
        let csv = "sent_at,audience,channel,body,next_update_at,eta_at\n\
                   2026-03-10 07:00,customers,email,\"<p>Mail is down.</p><ul><li>Webmail</li></ul>\",07:30,10.03.2026 09:00\n\
                   2026-03-10 23:50,customers,email,Still down,00:20,soon\n";
        let err = read_err("h.csv", csv.as_bytes(), &opts());
        assert_eq!((err[0].line, err[0].field.as_str()), (Some(3), "eta_at"));
        let fixed = csv.replace(",soon", ",");
        let got = read_ok("h.csv", &fixed, &opts());
        let m = &got.messages[0].value.message;
        assert!(
            m.body.contains("Mail is down.") && m.body.contains("- Webmail"),
            "{}",
            m.body
        );
        assert!(m.body_html.as_deref().is_some_and(|h| h.contains("<ul>")));
        assert_eq!(m.next_update_at, Some(utc(2026, 3, 10, 6, 30)));
        assert_eq!(m.eta_at, Some(utc(2026, 3, 10, 8, 0)));
        let m = &got.messages[1].value.message;
        assert_eq!(m.next_update_at, Some(utc(2026, 3, 10, 23, 20)));
    }

    #[test]
    fn time_formats() {
        let z = chrono_tz::Europe::Zurich;
        let t = |s: &str| parse_stamp(s).map(|st| st.to_utc(z));
        let expected = Some(utc(2026, 3, 10, 6, 42));
        for s in [
            "2026-03-10T07:42:00+01:00",
            "2026-03-10T06:42:00Z",
            "2026-03-10T06:42Z",
            "2026-03-10 07:42",
            "2026-03-10T07:42",
            "2026-03-10 07:42:00",
            "2026/03/10 07:42",
            "10.03.2026 07:42",
            "10.03.2026 07:42:00",
            "10.03.26 07:42",
            "10.3.2026 7:42",
            "10.03.2026, 07:42 Uhr",
            "2026-03-10 08:42 +0200",
        ] {
            assert_eq!(t(s), expected, "{s}");
        }
        for s in [
            "03/10/2026 07:42",
            "2026-03-10",
            "10.03.2026",
            "2026-13-10 07:42",
            "31.02.2026 07:42",
            "2026-03-10 24:00",
            "2026-03-10 07:42 +25:00",
            "07:42",
            "",
        ] {
            assert_eq!(t(s), None, "{s}");
        }
    }

    #[test]
    fn header_synonyms_are_unambiguous_and_insensitive() {
        for (field, names) in HEADERS {
            for name in *names {
                assert_eq!(header_field(name), Some(*field), "{name}");
            }
        }
        assert_eq!(header_field(" ZIELGRUPPE "), Some(Field::Audience));
        assert_eq!(header_field("Empfaengergruppe"), Some(Field::Audience));
        assert_eq!(header_field("Zeit (MEZ)"), Some(Field::Clock));
        assert_eq!(header_field("E-Mail-Adresse"), Some(Field::Email));
        assert_eq!(AUDIENCES.lookup("IT"), Some("it_teams"));
        assert_eq!(AUDIENCES.lookup("Staff"), Some("employees"));
        assert_eq!(AUDIENCES.lookup("Management"), Some("management"));
        assert_eq!(AUDIENCES.lookup("Social Media"), Some("public"));
        assert_eq!(CHANNELS.lookup("Dark Site"), Some("dark_site"));
        assert_eq!(CHANNELS.lookup("Sonstiges"), Some("other"));
        assert_eq!(MESSAGE_KINDS.lookup("Antwort"), Some("reply"));
        assert_eq!(EVENT_KINDS.lookup("diagnostiziert"), Some("diagnosed"));
        assert_eq!(EVENT_KINDS.lookup("entschärft"), Some("mitigated"));
    }

    #[test]
    fn detection_by_name_or_header() {
        assert!(detect("Messages.CSV", b""));
        assert!(detect("events.tsv", b"anything"));
        assert!(detect("upload", "Zeit;Zielgruppe;Kanal;Text\n".as_bytes()));
        assert!(detect("upload", b"\xEF\xBB\xBFsent_at,audience,body\n"));
        assert!(!detect("upload", b"{\"incidents\": []}"));
        assert!(!detect("upload", b"From: a@example.org\nSubject: x\n"));
        assert!(!detect("upload", b"Hello, world\n"));
    }

    #[test]
    fn old_mac_line_ends() {
        let csv = "time,audience,channel,body\r2026-03-10 07:00,employees,email,a\r2026-03-10 07:10,employees,email,b\r";
        let got = read_ok("mac.csv", csv, &opts());
        let lines: Vec<_> = got.messages.iter().map(|m| m.at.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3)]);
    }

    #[test]
    fn five_thousand_rows_are_all_read() {
        let mut csv = String::with_capacity(500_000);
        csv.push_str("Zeit;Zielgruppe;Kanal;Art;Nachricht;ID\n");
        let start = utc(2026, 3, 10, 6, 0);
        for i in 0..5_000 {
            let t = start + Duration::minutes(i);
            csv.push_str(&format!(
                "{};Kunden;E-Mail;Update;Die Störung dauert an, Meldung {i}.;m{i}\n",
                t.format("%Y-%m-%dT%H:%M:00Z")
            ));
        }
        let started = Instant::now();
        let got = read_ok("gross.csv", &csv, &opts());
        assert!(started.elapsed().as_secs() < 10);
        assert_eq!(got.messages.len(), 5_000);
        let last = &got.messages[4_999];
        assert_eq!(last.at.line, Some(5_001));
        assert_eq!(last.value.message.external_id.as_deref(), Some("m4999"));
        assert_eq!(
            last.value.message.sent_at,
            Some(start + Duration::minutes(4_999))
        );
    }
}
