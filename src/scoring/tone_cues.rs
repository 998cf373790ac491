//! The en/de cue phrases of the tone rules in `tone.rs` (SCORING §2 Tone, CODEBOOK).

use std::sync::LazyLock;

use super::cues::CueSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A direct apology ("we are sorry", "es tut uns leid").
    Apology,
    /// What makes an apology a stock phrase ("any inconvenience", "Unannehmlichkeiten").
    Stock,
    /// A stock phrase that is formulaic on its own ("bitten um Ihr Verständnis").
    Formulaic,
    Thanks,
    Concern,
    Ownership,
    /// A supplier or provider.
    Provider,
    /// The provider named as where the fault is ("nicht bei uns", "beyond our control").
    NotUs,
    /// A cause word, to tie the provider to the explanation.
    Cause,
    /// Working with the provider: ownership kept ("we are working with them").
    Together,
    /// Our own work on the incident.
    OwnWork,
    Person,
    UserGroup,
    Mistake,
}

#[rustfmt::skip]
const EN: &[(Cue, &[&str])] = &[
    (
        Cue::Apology,
        &[
            "sorry", "we apologise", "we apologize", "apologies", "our apologies", "i apologise",
            "i apologize", "we regret",
        ],
    ),
    (
        Cue::Stock,
        &[
            "any inconvenience", "the inconvenience", "inconvenience caused", "sorry to hear",
            "sorry if", "sorry for any", "may have caused", "might have caused",
            "apologise for any", "apologize for any",
        ],
    ),
    (
        Cue::Formulaic,
        &[
            "we appreciate your understanding", "thank you for your understanding",
        ],
    ),
    (
        Cue::Thanks,
        &[
            "thank you", "thanks for", "thanks to", "thanks,", "thanks everyone", "thanks all",
            "thanks again", "thank everyone", "many thanks", "we appreciate your patience",
            "for your patience",
        ],
    ),
    (
        Cue::Concern,
        &[
            "we know how", "we know it's", "we know this is", "we know many", "we know you",
            "i know how", "i know this is", "we understand how", "we understand your",
            "we understand that this", "i understand how", "i understand your",
            "we realise how", "we realize how", "i get why", "we get why", "we hear you",
            "i hear you", "must be frustrating", "is frustrating", "so frustrating",
            "really frustrating", "how frustrating", "how stressful", "is stressful",
            "our thoughts are with", "you rely on", "rely on us", "depend on us",
            "good luck", "best of luck", "take care", "stay safe",
        ],
    ),
    (
        Cue::Ownership,
        &[
            "that's on us", "that is on us", "our mistake", "our fault", "we made a change",
            "we made a mistake", "we got this wrong", "we underestimated", "we take responsibility",
            "we take full responsibility", "our responsibility", "we should have", "we failed to",
            "we did not", "we didn't",
        ],
    ),
    (
        Cue::Provider,
        &[
            "provider", "supplier", "vendor", "carrier", "third party", "third-party", "partner",
            "microsoft", "google", "amazon", "aws", "azure", "cloudflare", "our host",
            "hosting company", "data centre operator", "data center operator", "processor",
        ],
    ),
    (
        Cue::NotUs,
        &[
            "not on our side", "not our fault", "beyond our control", "outside our control",
            "not with us", "no influence", "nothing we can do", "not caused by us",
        ],
    ),
    (
        Cue::Cause,
        &[
            "outage at", "problem at", "issue at", "failure at", "outage with",
            "names as the cause", "caused by", "down at", "on their side", "on the provider's side",
            "outage of our",
        ],
    ),
    (
        Cue::Together,
        &[
            "working with", "together with", "in contact with", "in touch with", "escalated to",
            "with them", "alongside",
        ],
    ),
    (
        Cue::OwnWork,
        &[
            "we are working", "we're working", "we are bringing", "we're bringing",
            "we are restoring", "we're restoring", "our team", "our engineers",
            "we are investigating", "we're investigating", "we have", "we've",
        ],
    ),
    (
        Cue::Person,
        &[
            "a member of", "one of our engineers", "one of our staff", "an engineer", "engineer",
            "colleague", "employee", "staff member", "technician", "administrator", "admin",
            "on-call engineer", "human error", "has been spoken to", "have been spoken to",
            "by a member", "contractor", "the person responsible", "the employee responsible",
            "the engineer responsible", "trainee", "intern",
        ],
    ),
    (
        Cue::UserGroup,
        &[
            "students", "users", "customers", "parents", "you", "your child", "employees", "staff",
        ],
    ),
    (
        Cue::Mistake,
        &[
            "error", "mistake", "incorrect", "incorrectly", "wrong", "misconfigured",
            "misconfiguration", "accidentally", "by accident", "manual edit", "manual change",
            "human error", "careless", "typo", "oversight",
        ],
    ),
];

#[rustfmt::skip]
const DE: &[(Cue, &[&str])] = &[
    (
        Cue::Apology,
        &[
            "es tut uns leid", "das tut uns leid", "tut uns leid", "tut mir leid", "sorry",
            "wir entschuldigen uns", "entschuldigen sie", "entschuldigung", "wir bedauern",
            "bitten um entschuldigung", "ich entschuldige mich",
        ],
    ),
    (
        Cue::Stock,
        &[
            "unannehmlichkeiten", "umstände", "etwaige", "allfällige", "falls ihnen",
        ],
    ),
    (
        Cue::Formulaic,
        &[
            "bitten um ihr verständnis", "bitten um verständnis", "bitten wir um verständnis",
            "bitten wir um ihr verständnis", "bitten um ihre geduld und ihr verständnis",
            "bitten um euer verständnis",
        ],
    ),
    (
        Cue::Thanks,
        &[
            "danke", "vielen dank", "herzlichen dank", "danken", "merci", "wir danken",
            "dankeschön", "besten dank",
        ],
    ),
    (
        Cue::Concern,
        &[
            "wir verstehen ihren", "wir verstehen ihre", "wir verstehen, dass", "verstehen ihren",
            "ich verstehe ihren", "ich verstehe ihre", "wir wissen, wie", "wir wissen, dass viele",
            "ich weiss, wie", "ich weiß, wie",
            "nachvollziehen", "das ist ärgerlich", "ist ärgerlich", "wie ärgerlich",
            "unsere gedanken sind bei", "auf uns verlassen", "viel erfolg", "alles gute",
        ],
    ),
    (
        Cue::Ownership,
        &[
            "unser fehler", "unser versäumnis", "liegt bei uns", "haben wir falsch",
            "falsch eingeschätzt", "zu tief eingeschätzt", "zu niedrig eingeschätzt",
            "unterschätzt", "wir übernehmen die verantwortung",
            "hätten wir", "wir haben einen fehler",
        ],
    ),
    (
        Cue::Provider,
        &[
            "*dienstleister", "*anbieter", "*betreiber", "*betreibers", "*dienstleisters",
            "*anbieters", "lieferant*", "provider", "microsoft", "google", "amazon", "aws", "azure",
            "cloudflare", "partner", "hersteller*",
        ],
    ),
    (
        Cue::NotUs,
        &[
            "nicht bei uns", "keinen einfluss", "nicht in unserer hand", "nicht unser fehler",
            "außerhalb unserer kontrolle", "ausserhalb unserer kontrolle",
        ],
    ),
    (
        Cue::Cause,
        &[
            "störung bei", "ausfall bei", "überlastung bei", "problem bei", "fehler bei",
            "nennt als ursache",
        ],
    ),
    (
        Cue::Together,
        &[
            "arbeiten mit", "gemeinsam mit", "zusammen mit", "in kontakt mit", "mit ihnen",
            "mit dem anbieter", "stehen in kontakt",
        ],
    ),
    (
        Cue::OwnWork,
        &[
            "wir arbeiten", "arbeiten wir", "wir haben", "haben wir", "unser team",
            "unsere techniker", "wir stellen", "wir führen",
        ],
    ),
    (
        Cue::Person,
        &[
            "ein mitarbeiter", "eine mitarbeiterin", "mitarbeiter", "mitarbeiterin", "kollege",
            "kollegen", "kollegin", "techniker", "administrator", "admin", "menschliches versagen",
            "menschlicher fehler", "praktikant*", "lernende*", "auszubildende*",
            "wurde darauf angesprochen",
        ],
    ),
    (
        Cue::UserGroup,
        &[
            "schülerinnen", "schüler", "nutzer", "nutzerinnen", "kunden", "kundinnen", "sie",
            "eltern", "ihr kind", "benutzer", "mitarbeitende",
        ],
    ),
    (
        Cue::Mistake,
        &[
            "*fehler", "fehler", "versehentlich", "falsch", "falsche", "falschen", "irrtümlich",
            "manuellem edit", "manuellen edit", "manuelle änderung", "manuellen änderung",
            "manuellem eingriff", "unachtsam", "unachtsamkeit",
        ],
    ),
];

pub static CUES_EN: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(EN));
pub static CUES_DE: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(DE));
