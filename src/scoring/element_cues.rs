//! The en/de cue phrases of the content elements (SCORING §2, CODEBOOK): what each rule in
//! `elements.rs` looks for. Kept apart from the rules so a communications person can read and
//! extend the lists.

use std::sync::LazyLock;

use super::cues::CueSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A malfunction a user notices ("down", "nicht erreichbar").
    Symptom,
    /// A word for trouble that says nothing on its own ("issue", "Störung"): a symptom only in a
    /// sentence that names the service.
    Trouble,
    /// Trouble words that are generic by definition ("technical difficulties").
    Generic,
    /// A service state that is fine when positive ("working", "läuft", "erreichbar").
    Works,
    /// Negation, turning `Works` into a symptom.
    Not,
    /// "again", "back", "wieder": turning `Works` into recovery.
    Again,
    /// Phrases that look like a cue but are not one ("failing over", "try again later").
    NotACue,
    /// A suggestion to act ("restart", "neu starten"): a workaround unless it is negated.
    Suggest,
    /// Phrases that look like a workaround but are not one ("we are working on", "working again").
    NotAWorkaround,
    /// Who or how much is affected.
    Scope,
    /// A quantifier ("all", "some", "viele") that needs a group noun next to it.
    Quantifier,
    /// Groups of people, places or parts a quantifier can apply to.
    Group,
    /// Work on the incident.
    Action,
    /// What people can do meanwhile, or what still works.
    Workaround,
    /// Where to get help.
    Help,
    /// "since", "seit", "between", "von": a time window when a time follows.
    Since,
    /// A duration in the past ("over the past two days", "seit gestern").
    Window,
    /// Data and what can happen to it.
    DataThing,
    DataState,
    /// A statement about data or security on its own ("no data was lost", "cyberattack").
    DataStatement,
    /// A stated cause or corrective measure.
    Cause,
    /// "due to", "wegen": a cause unless only a generic problem follows.
    DueTo,
    /// "after", "following", "nach": a cause when a change follows.
    After,
    /// A change that can cause an outage ("upgrade", "deployment").
    Change,
    /// A cause still unknown or only promised ("cause not yet known", "root cause to follow").
    CausePending,
    /// Trouble placed somewhere ("outage at", "Störung bei"): a cause when a provider follows.
    FaultAt,
    /// A supplier or provider.
    Provider,
    /// The fault placed outside the organisation ("not on our side", "nicht bei uns").
    NotUs,
}

use Cue::*;

#[rustfmt::skip]
const EN: &[(Cue, &[&str])] = &[
    (
        Symptom,
        &[
            "down", "is down", "are down", "went down", "gone down", "outage*", "unavailable",
            "not available", "isn't available", "aren't available", "unreachable",
            "not reachable", "inaccessible", "can't", "cannot", "can not", "unable to",
            "not able to", "couldn't", "could not", "error", "errors", "error rates",
            "*error rates", "error message*", "fail", "fails", "failing", "failed", "failure",
            "failures", "slow", "slowly", "slower", "sluggish", "latency", "delay", "delays",
            "delayed", "late", "timing out", "time out", "timeouts", "timed out", "read-only",
            "locked out", "stuck", "intermittent*", "sporadic*", "degraded", "degradation",
            "interrupted", "interruption*", "hit or miss", "acting up", "busy tone", "dropping",
            "dropped", "hold times", "wait times", "waiting times", "long waits", "blank page",
            "not loading", "won't load", "doesn't load", "not arriving", "isn't arriving",
            "aren't arriving", "not being delivered", "kicked off", "disconnected", "broke",
            "broken", "crash*", "disrupted", "offline", "impacted", "problems with",
            "issues with", "issue with", "problem with", "trouble with", "glitch",
            "login problems", "log-in problems", "sign-in problems", "not responding",
            "stopped responding", "unresponsive", "stopped working", "not working",
            "isn't working", "aren't working", "doesn't work", "don't work", "overloaded",
            "very slow", "high call volume*", "higher than usual", "longer than usual",
        ],
    ),
    (
        Trouble,
        &[
            "issue", "issues", "problem", "problems", "disruption", "disruptions", "incident",
            "difficulties", "fault", "faults", "malfunction",
        ],
    ),
    (
        Generic,
        &[
            "technical difficulties", "technical problem*", "technical issue*", "it systems",
            "our systems", "it problem*",
        ],
    ),
    (
        Works,
        &[
            "working", "works", "work", "available", "running", "reachable", "online", "answering",
            "operational", "functioning", "going through", "accepting", "taking payments",
            "normal", "normally", "fine", "ok", "up", "in sync", "accessible", "stable", "loading",
            "restored", "resolving", "resolve",
        ],
    ),
    (
        Not,
        &["not", "n't", "no longer", "isn't", "aren't", "doesn't"],
    ),
    (
        NotAWorkaround,
        &[
            "working on", "working to", "working with", "we are working", "we're working",
            "is working on", "are working on", "working again", "are working again",
            "is working again", "try again later", "try later",
        ],
    ),
    (
        Suggest,
        &[
            "restart", "reboot", "clear your", "flush", "close and reopen", "reinstall",
            "log out and", "sign out and", "reconnect", "retry", "resubmit",
        ],
    ),
    (
        Again,
        &["again", "back", "since", "fully", "restored", "once more"],
    ),
    (
        NotACue,
        &[
            "failing over", "failed over", "try again later", "try again", "working on",
            "working to", "working with", "work on", "working through", "we are working",
            "we're working", "up to", "look into", "looking into", "back to you", "get back",
            "will be back", "set up", "follow up", "follow-up", "pick up", "picking up",
            "picking this up", "picking it up", "up to date", "keep you posted", "up and running",
            "everyone affected",
        ],
    ),
    (
        Scope,
        &[
            "affecting", "affected", "affects", "for most of you", "most of you", "nobody",
            "across the", "customers in", "customers outside", "users in", "users outside",
            "in europe", "in the us", "in the uk", "in north america", "in asia", "inbound",
            "outbound", "incoming", "outgoing", "external email*", "internal email*",
            "from outside", "outside", "the web version", "the mobile version",
            "the desktop version", "the rest", "for the rest", "partly", "partially", "regional",
            "region", "all stores", "all staff", "all students", "all users", "all customers",
            "floors", "floor", "campuses", "subset", "only the", "only for", "only in", "only on",
            "in building", "in the building", "rest of",
        ],
    ),
    (
        Quantifier,
        &[
            "all", "some", "many", "most", "a few", "several", "few", "certain", "every", "no",
            "half", "two", "three", "four", "five", "six",
        ],
    ),
    (
        Group,
        &[
            "users", "customers", "students", "staff", "stores", "shops", "branches", "people",
            "members", "accounts", "faculty", "campuses", "employees", "colleagues", "sites",
            "locations", "offices", "regions", "countries", "departments", "exams", "patients",
            "clients", "merchants", "shoppers", "visitors", "callers", "passengers", "guests",
            "households", "subscribers", "schools", "buildings", "devices", "of you", "of our",
            "courses", "tickets", "terminals", "calls", "*'s", "parents", "frontends",
            "applications",
        ],
    ),
    (
        Action,
        &[
            "investigating", "are investigating", "investigate", "looking into", "look into",
            "working on", "working to", "working with", "work on", "on it", "on site", "engaged",
            "restoring", "rolling back", "rolled back", "roll back", "rolling out", "implemented",
            "deploying", "we've added", "we have added", "added", "bringing back",
            "bringing it back", "bringing the", "being corrected", "corrected", "replaced",
            "replacing", "fixed", "fixing", "working through", "reconciling", "escalated",
            "updating", "under way", "underway", "monitoring", "stopped", "being removed",
            "being deleted", "diagnos*", "found the cause", "have found", "checked", "failover",
            "failing over", "switching to", "continue to work", "is working on", "we're working",
            "we are working", "team is", "engineers are", "engineers continue", "are looking",
            "is looking", "restarted", "restarting", "resolving", "repaired", "repairing",
            "mitigat*", "recovering", "catching up", "re-enabled", "disabled", "cleared",
            "raised", "we're adding", "we are adding", "contacted", "in contact", "restored",
            "switched off", "reverted", "reverting", "rerouting", "re-routing", "rebuilding",
            "isolated", "blocked", "applying a fix", "applied a fix", "testing a fix",
            "processing the backlog", "we have asked", "we've asked", "on order", "ordered a",
            "additional staff", "extra staff", "more staff",
        ],
    ),
    (
        Workaround,
        &[
            "still works", "still work", "still working", "still accepted", "is accepted",
            "are working", "is working", "works", "please use", "use the", "alternatively",
            "you can", "can still", "in the meantime", "meanwhile", "please order",
            "file online", "please call", "what still works", "not affected", "unaffected",
            "is fine", "are fine", "is stable", "still available", "remains available",
            "remain available", "still possible", "please don't", "please do not",
            "don't need to", "you don't need", "has been extended", "by post", "by phone",
            "in person", "in branch", "at the counter", "send your", "switch to", "switching to",
            "still there", "workaround", "going through", "still applies", "call us",
            "to report", "downtime procedures", "paper forms", "manual process*",
            "quickest way", "fastest way", "remain valid", "remains valid", "still valid",
            "if so,", "if that happens", "if this happens", "in that case", "forwarding",
            "forwarded to", "redirected to",
        ],
    ),
    (
        Help,
        &[
            "dm us", "message us", "contact us", "contact the", "contact our", "get in touch",
            "for help", "help:", "questions:", "questions?", "any questions", "call us",
            "call our", "please call", "support:", "help desk at", "service desk at",
            "status page", "help centre", "help center", "more information at",
            "more information:", "details at", "can be reset by", "can be unlocked by",
            "at reception", "at the front desk",
        ],
    ),
    (
        Since,
        &[
            "since", "between", "from", "over the past", "over the last", "for the past",
        ],
    ),
    (
        Window,
        &[
            "since yesterday", "since this morning", "since last night", "since monday",
            "since tuesday", "since wednesday", "since thursday", "since friday",
            "since the weekend", "over the past two days", "over the past day", "past two days",
            "for two days", "for the past hour", "all morning", "all day",
        ],
    ),
    (
        DataThing,
        &[
            "data", "submissions", "anything submitted", "payments", "payment", "charges", "charge",
            "charged", "emails", "messages", "records", "entries", "files", "backups", "passwords",
            "orders", "transactions", "nothing", "anything", "everything", "nobody", "no one",
            "cart", "user data", "patient data", "customer data", "personal data",
        ],
    ),
    (
        DataState,
        &[
            "lost", "safe", "intact", "unaffected", "twice", "duplicated", "duplicate", "copied",
            "compromised", "re-entered", "all arrive", "will arrive", "will be delivered",
            "drop off", "leaked", "exposed", "stolen", "corrupted", "not affected", "been lost",
            "saved", "still be there", "double charge", "accessed",
        ],
    ),
    (
        DataStatement,
        &[
            "no data", "data loss", "data was lost", "cyberattack", "cyber attack", "cyber-attack",
            "double charge", "charged twice", "taken twice", "data breach", "no user data",
            "personal data", "data protection", "ransomware",
        ],
    ),
    (
        Cause,
        &[
            "cause", "causing", "root cause", "is because", "because of", "the reason",
            "reason:", "appears to be", "seems to be", "identified as", "my guess is",
            "we suspect", "suspected", "traced to", "triggered by", "resulted from", "result of",
            "stems from", "found the", "capacity", "ran out of", "out of space", "disk full",
            "misconfigured", "misconfiguration", "expired", "hardware failure",
            "hardware fault", "a failed", "a faulty", "a defective", "faulty", "defective",
            "a bug", "software bug", "power failure", "power cut", "not sized", "wasn't sized",
            "underestimated", "hurricane", "storm", "flood", "we're adding", "we are adding",
            "we will add", "what we are changing", "actions:", "corrective", "to prevent",
            "prevent this", "so that this", "won't happen again", "doesn't happen again",
            "checklist", "from now on", "in future", "going forward", "caused by",
            "change request", "raised a change", "change is raised", "config corrected",
            "configuration corrected", "entry point", "attack vector", "phishing", "malware",
        ],
    ),
    (DueTo, &["due to", "owing to", "as a result of"]),
    (After, &["after", "following", "since"]),
    (
        Change,
        &[
            "upgrade", "update", "change", "changes", "deployment", "migration", "maintenance",
            "release", "patch", "patches", "rollout", "installation", "configuration",
            "*'s upgrade",
        ],
    ),
    (
        CausePending,
        &[
            "don't yet know", "do not yet know", "don't know", "not yet known", "still don't know",
            "unknown", "unclear", "not yet clear", "not clear", "under investigation",
            "to be determined", "to follow", "will follow", "will publish",
            "looking for the cause", "investigating the cause", "found the cause",
            "don't know why", "not know why",
        ],
    ),
    (
        FaultAt,
        &[
            "outage at", "outage with", "outage of", "problem at", "problems at", "issue at",
            "issues at", "failure at", "fault at", "disruption at",
        ],
    ),
    (
        Provider,
        &[
            "provider", "supplier", "vendor", "carrier", "third party", "third-party", "partner",
            "microsoft", "google", "amazon", "aws", "azure", "cloudflare", "our host",
            "hosting company", "data centre operator", "data center operator", "processor",
        ],
    ),
    (
        NotUs,
        &[
            "not on our side", "on their side", "beyond our control", "outside our control",
        ],
    ),
];

#[rustfmt::skip]
const DE: &[(Cue, &[&str])] = &[
    (
        Symptom,
        &[
            "gestört", "nicht erreichbar", "nicht verfügbar", "nicht nutzbar",
            "nicht funktionsfähig", "ausfall", "*ausfall", "ausfälle", "*ausfälle", "ausgefallen",
            "eingeschränkt", "einschränkungen", "*einschränkungen", "beeinträchtigt", "langsam",
            "verzögert", "verzögerung*", "verspätung", "fehler", "fehlern", "*fehlerraten",
            "fehlerraten", "fehlermeldung*", "überlastet", "überlastung", "wartezeit",
            "wartezeiten", "instabil", "down", "klemmt", "hakt", "hängt", "stockt", "kaputt",
            "abbrüche", "*abbrüche", "abgebrochen", "unterbrochen", "unterbrechung*",
            "fehlgeschlagen", "schlägt fehl", "schlagen fehl", "außer betrieb", "ausser betrieb",
            "besetztzeichen", "read-only", "offline", "timeouts", "latenz", "kann nicht",
            "können nicht", "können keine", "kann keine", "konnten nicht", "konnten keine",
            "probleme bei", "probleme mit", "problem mit", "probleme beim", "kommen nicht an",
            "fliegen raus", "rausgeworfen", "verbindung verloren", "verlieren die verbindung",
        ],
    ),
    (
        Trouble,
        &[
            "störung", "störungen", "*störung", "problem", "probleme", "problemen", "vorfall",
            "*vorfall", "nicht möglich", "defekt",
        ],
    ),
    (
        Generic,
        &[
            "technische störung", "technischen störung", "technisches problem*",
            "technischen problem*", "it-systeme", "it-systemen", "it-problem*",
            "störung der it-systeme",
        ],
    ),
    (
        Works,
        &[
            "funktioniert", "funktionieren", "funktionierte", "läuft", "laufen", "erreichbar",
            "verfügbar", "nutzbar", "klappt", "klappen", "in betrieb", "online", "beschreibbar",
            "synchron", "normal", "ok", "stabil", "zugestellt", "lösen",
        ],
    ),
    (Not, &["nicht", "kein", "keine", "keinen", "nicht mehr"]),
    (
        NotAWorkaround,
        &["wieder möglich", "versuchen sie es später", "später erneut"],
    ),
    (
        Suggest,
        &[
            "neu starten", "neustarten", "neu laden", "leeren", "neu installieren", "abmelden und",
            "neu anmelden", "schliessen und", "schließen und", "wiederholen", "erneut versuchen",
        ],
    ),
    (Again, &["wieder", "seit", "vollständig"]),
    (
        NotACue,
        &[
            "versuchen sie es später", "noch einmal", "störungsfrei", "wieder mal",
            "nicht betroffen", "nicht mehrfach", "nicht doppelt", "nicht einzeln", "nicht neu",
            "nicht erneut", "nicht wieder", "nicht sauber", "gar nicht so",
        ],
    ),
    (
        Scope,
        &[
            "betroffen", "betrifft", "teilweise", "vereinzelt", "vereinzelten", "für viele",
            "für alle", "alle filialen", "allen filialen", "in einigen", "in allen", "an allen",
            "einzelne", "einige", "bis zu", "stockwerke", "stockwerk", "etage", "etagen",
            "gebäude", "standort", "standorten", "filialen", "filiale", "in der schweiz",
            "in deutschland", "in österreich", "für den rest", "den rest", "regional", "region",
            "weitgehend", "niemand", "nur das", "nur die", "nur der", "nur für", "nur in",
            "nur bei", "externen e-mails", "externe e-mails", "interne e-mails", "eingehende",
            "eingehenden", "ausgehende", "ausgehenden",
        ],
    ),
    (
        Quantifier,
        &[
            "alle", "allen", "einige", "einigen", "viele", "vielen", "manche", "mehrere", "wenige",
            "sämtliche", "zwei", "drei", "vier", "fünf", "sechs", "kein", "keine",
        ],
    ),
    (
        Group,
        &[
            "nutzer", "nutzerinnen", "nutzende", "kunden", "kundinnen", "kund:innen", "studierende",
            "studierenden", "mitarbeitende", "mitarbeitenden", "filialen", "standorte",
            "standorten", "kurse", "prüfungen", "online-prüfungen", "patienten", "schüler",
            "schülerinnen", "händler", "besucher", "abteilungen", "teilnehmende", "kolleginnen",
            "kollegen", "benutzer", "konten", "access points", "server", "stationen", "kassen",
            "frontends", "*anwendungen", "schulen", "gebäude", "haushalte", "anrufer", "geräte",
        ],
    ),
    (
        Action,
        &[
            "arbeiten an", "arbeitet an", "arbeiten daran", "arbeitet daran", "arbeiten weiterhin",
            "arbeiten mit", "mit hochdruck", "untersucht", "untersuchen", "analysiert",
            "analysieren", "sucht nach", "suchen nach", "kümmert sich", "kümmern uns", "ist dran",
            "sind dran", "wird behoben", "behoben", "beheben", "durchgeführt", "führen",
            "abgeschlossen", "wird korrigiert", "korrigiert", "ausgetauscht", "getauscht",
            "ersetzt", "repariert", "eröffnet", "alarmiert", "beauftragt", "wiederherstellung",
            "hat begonnen", "bearbeiten", "neu gestartet", "beobachten", "überwachen",
            "abgeglichen", "verdoppelt", "ergriffen", "umgesetzt", "getrennt", "gesperrt",
            "übernommen", "nachgetragen", "nachtragen", "angepasst", "eingeleitet",
            "wiederanlauf", "deaktiviert", "wieder synchron", "in arbeit", "eskaliert",
            "kontakt mit", "nacherfassung", "wurde behoben", "ist behoben", "rollback",
            "abgeschaltet", "zurückgesetzt", "zurückgerollt", "eingespielt", "umgeleitet",
            "aufgestockt", "verstärkt", "verstärkung", "zusätzliches personal",
            "zusätzliche mitarbeitende", "zusätzliche kolleg*",
        ],
    ),
    (
        Workaround,
        &[
            "funktioniert weiterhin", "funktionieren weiterhin", "weiterhin möglich", "alternativ",
            "ersatzweise", "bitte nutzen sie", "nutzen sie", "bitte weiter nutzen",
            "weiter nutzen", "weiterhin nutzbar", "weiterhin verfügbar", "können sie", "könnt ihr",
            "ist möglich", "sind möglich", "nicht betroffen", "bitte zahlt", "per e-mail",
            "per post", "telefonisch", "am schalter", "vorübergehend", "bitte reichen sie",
            "erfassen", "bitte nicht", "online melden", "läuft weiter", "gilt weiter",
            "schicken sie", "bitte rufen sie", "bitte leeren sie", "umstellen", "ausweichen",
            "auszuweichen", "bitte per", "verlängern wir", "verlängert", "gehen durch",
            "geht durch", "läuft stabil", "notfallkonzept", "notbetrieb", "auf papier",
            "per kabel", "bleibt es bei", "bleibt gültig", "bleiben gültig", "gültig bleiben",
            "melden:", "schneller geht", "am schnellsten", "weitergeleitet",
        ],
    ),
    (
        Help,
        &[
            "bei fragen", "fragen bitte", "fragen an", "kontaktieren sie", "kontakt:", "hilfe:",
            "hilfe unter", "schreiben sie uns", "schreib uns", "dm uns", "melden sie sich bei",
            "wenden sie sich", "statusseite", "rufen sie uns an", "erreichen sie uns",
            "informationen unter", "infos unter", "mehr unter", "am empfang", "im sekretariat",
        ],
    ),
    (Since, &["seit", "zwischen", "von", "ab"]),
    (
        Window,
        &[
            "seit gestern", "seit heute morgen", "seit heute früh", "seit dem morgen",
            "der letzten zwei tage", "seit zwei tagen", "seit montag", "seit dienstag",
            "seit mittwoch", "seit donnerstag", "seit freitag", "seit dem wochenende",
            "seit gestern abend", "heute vormittag", "den ganzen morgen", "den ganzen tag",
        ],
    ),
    (
        DataThing,
        &[
            "daten", "*daten", "abgaben", "zahlungen", "zahlung", "e-mails", "e-mail",
            "nachrichten", "mails", "dateien", "sicherungen", "backups", "passwörter",
            "kursinhalte", "bestellungen", "buchungen", "einträge", "nichts", "alles",
            "keine e-mail", "keine daten",
        ],
    ),
    (
        DataState,
        &[
            "verloren", "verloren gegangen", "sicher", "unbeschädigt", "vollständig vorhanden",
            "vorhanden", "doppelt", "abgeflossen", "kopiert", "kompromittiert", "gespeichert",
            "kommen alle an", "werden zugestellt", "erneut hochladen", "belastet", "gestohlen",
        ],
    ),
    (
        DataStatement,
        &[
            "datenverlust*", "kein datenverlust", "keine datenverluste", "cyberangriff*",
            "hackerangriff*", "*datenschutz*", "doppelt belastet", "datenleck", "ransomware",
        ],
    ),
    (
        Cause,
        &[
            "ursache", "ursache:", "grund", "grund ist", "grund dafür", "liegt daran", "verursacht",
            "vermutung", "vermutlich", "defekt*", "fehlerhaft*", "zurückzuführen", "ausgelöst",
            "hardwaredefekt", "fehlkonfiguration", "falsch konfiguriert", "abgelaufen*",
            "softwarefehler", "sicherheitslücke", "schwachstelle", "nicht ausgelegt",
            "falsch eingeschätzt", "zu tief eingeschätzt", "unterschätzt", "unwetter", "sturm",
            "hochwasser", "massnahmen", "maßnahmen", "damit das nicht wieder",
            "damit sich das nicht", "künftig", "in zukunft", "angepasst, damit", "als ursache",
            "checkliste", "einstiegspunkt", "einfallstor", "angriffsvektor", "phishing",
            "schadsoftware",
        ],
    ),
    (DueTo, &["wegen", "aufgrund", "infolge"]),
    (
        After,
        &[
            "nach dem", "nach der", "nach einem", "nach einer", "seit dem", "seit der",
        ],
    ),
    (
        Change,
        &[
            "*upgrade", "*update", "*änderung", "*deployment", "migration", "wartung*",
            "*wartungsarbeiten", "release", "patch*", "installation", "konfiguration*",
        ],
    ),
    (
        CausePending,
        &[
            "noch unklar", "unklar", "noch nicht klar", "ungeklärt", "wissen wir noch nicht",
            "noch nicht bekannt", "sucht nach der ursache",
            "suchen nach der ursache", "wird noch untersucht", "folgt", "folgen",
            "noch nicht wissen",
        ],
    ),
    (
        FaultAt,
        &[
            "störung bei", "störung beim", "ausfall bei", "ausfall beim", "überlastung bei",
            "problem bei", "probleme bei", "fehler bei", "panne bei",
        ],
    ),
    (
        Provider,
        &[
            "*dienstleister", "*dienstleisters", "*anbieter", "*anbieters", "*betreiber",
            "*betreibers", "lieferant*", "provider", "microsoft", "google", "amazon", "aws",
            "azure", "cloudflare", "partner", "hersteller*",
        ],
    ),
    (
        NotUs,
        &[
            "nicht bei uns", "nicht in unserer hand", "ausserhalb unserer kontrolle",
            "außerhalb unserer kontrolle",
        ],
    ),
];

pub static CUES_EN: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(EN));
pub static CUES_DE: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(DE));
