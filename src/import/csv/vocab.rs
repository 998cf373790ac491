//! Headers and values as people write them, in English and German.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Lower case without spaces, punctuation and accents, umlauts folded so that `Empfängergruppe`,
/// `Empfaengergruppe` and `empfanger gruppe` meet.
pub(super) fn norm(s: &str) -> String {
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
pub(super) fn header_norm(h: &str) -> String {
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
pub(super) enum Field {
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

pub(super) const FIELD_COUNT: usize = Field::Source as usize + 1;

impl Field {
    /// The name used in messages when the file has no such column.
    pub(super) fn canonical(self) -> &'static str {
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
pub(super) const HEADERS: &[(Field, &[&str])] = &[
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
pub(super) const MAPPING_TARGETS: &[(&str, Option<Field>)] = &[
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

pub(super) fn header_index() -> &'static HashMap<String, Field> {
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

pub(super) fn header_field(header: &str) -> Option<Field> {
    header_index().get(&header_norm(header)).copied()
}

/// A closed list of values with their English and German spellings.
pub(super) struct Vocab {
    /// Key, the name shown in errors, and further spellings.
    entries: &'static [(&'static str, &'static str, &'static [&'static str])],
    index: OnceLock<HashMap<String, &'static str>>,
}

impl Vocab {
    pub(super) const fn new(
        entries: &'static [(&'static str, &'static str, &'static [&'static str])],
    ) -> Self {
        Self {
            entries,
            index: OnceLock::new(),
        }
    }

    pub(super) fn lookup(&self, value: &str) -> Option<&'static str> {
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
    pub(super) fn allowed(&self) -> String {
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
pub(super) static AUDIENCES: Vocab = Vocab::new(&[
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
pub(super) static CHANNELS: Vocab = Vocab::new(&[
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
pub(super) static PLATFORMS: Vocab = Vocab::new(&[
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
pub(super) static MESSAGE_KINDS: Vocab = Vocab::new(&[
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
pub(super) static EVENT_KINDS: Vocab = Vocab::new(&[
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
pub(super) static LANGUAGES: Vocab = Vocab::new(&[
    ("de", "Deutsch", &["german", "deu", "ger", "de-CH", "de-DE", "de-AT", "de_CH", "de_DE"]),
    ("en", "Englisch", &["english", "eng", "en-GB", "en-US", "en_GB", "en_US"]),
]);

/// An audience key the organisation may have added (`investors`): passed on for the pipeline
/// to check against the organisation's audiences.
pub(super) fn key_like(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A cell as quoted in an error message: long cells are cut.
pub(super) fn shown(value: &str) -> Cow<'_, str> {
    const MAX: usize = 60;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &value[..cut])),
        None => Cow::Borrowed(value),
    }
}

pub(super) fn opt(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}
