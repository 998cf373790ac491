//! Honesty cues (SCORING §2 Honesty, CODEBOOK): vague time words, a stated time of resolution
//! (hedged or definitive, with the time), and uncertainty acknowledged.

use std::sync::LazyLock;

use super::cues::{CueSet, Hit};
use super::labels::EtaKind;
use super::prepared::Prepared;
use super::times::{TimeExpression, TimeValue};
use crate::domain::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Vague,
    /// Waiting on an event ("as soon as we know more"): not a vague time.
    Event,
    /// The service being back or fixed ("back", "wieder", "Behebung").
    Resolved,
    /// An estimate by its name ("ETA", "Einschätzung", "Dauer").
    Estimate,
    Hedge,
    /// Future tense that makes a stated time a commitment ("will be back", "ab 15 Uhr").
    Future,
    /// The outage lasting until a time ("bis ca. 12 Uhr nicht erreichbar").
    Outage,
    Uncertain,
    /// Words that say something is missing ("no", "keine"), for a missing estimate.
    Lacking,
    /// Words for an estimate of the time of resolution ("ETA", "Prognose").
    EstimateNoun,
}

#[rustfmt::skip]
const EN: &[(Cue, &[&str])] = &[
    (
        Cue::Vague,
        &[
            "shortly", "soon", "asap", "as soon as possible", "as quickly as possible",
            "in due course", "later", "before long", "in a moment", "any moment",
        ],
    ),
    (
        Cue::Event,
        &[
            "as soon as we", "as soon as it", "as soon as the", "as soon as there",
            "as soon as you",
        ],
    ),
    (
        Cue::Resolved,
        &[
            "fixed", "resolved", "restored", "fix", "working again", "up and running", "complete",
            "completed", "be available", "recovery", "expires", "propagation", "resolution",
            "normal service", "be back", "is back", "are back", "back up", "back online",
            "back to normal", "back by", "back at",
        ],
    ),
    (
        Cue::Estimate,
        &[
            "eta", "estimate", "estimated", "expected resolution", "revised estimate",
        ],
    ),
    (
        Cue::Hedge,
        &[
            "expect", "expected", "we expect", "should", "estimate", "estimated", "eta",
            "approximately", "about", "around", "~", "hopefully", "likely", "probably", "aim to",
            "we aim", "we hope", "confidence", "according to", "roughly", "risk",
        ],
    ),
    (Cue::Future, &["will be", "will", "'ll be", "is going to"]),
    (
        Cue::Outage,
        &[
            "down until", "unavailable until", "closed until", "offline until",
        ],
    ),
    (
        Cue::Uncertain,
        &[
            "don't yet know", "do not yet know", "don't know yet", "do not know yet",
            "still don't know", "we don't know", "we do not know", "not yet known",
            "not known yet", "unknown", "unclear", "not yet clear", "not clear yet", "isn't clear",
            "is not clear", "not sure", "not certain", "uncertain", "can't say", "cannot say",
            "can't yet say", "can't tell", "cannot tell", "haven't confirmed",
            "have not confirmed", "not confirmed", "not yet confirmed", "unconfirmed",
            "still looking for", "still investigating the cause", "still assessing",
            "still being assessed", "not yet assessed", "yet to be determined",
            "to be determined", "not yet determined", "still establishing",
            "trying to establish", "trying to determine", "trying to understand",
            "until we know", "until we've assessed", "until we have assessed",
            "until we've sized", "until we have sized", "before we know",
            "low confidence", "moderate confidence", "medium confidence", "limited confidence",
            "not confident", "low risk", "medium risk", "moderate risk", "high risk",
            "some risk",
        ],
    ),
    // "no estimate", "we don't have a recovery estimate yet", "unable to give a timeframe":
    // a missing estimate admitted, when the two stand close together in one sentence.
    (
        Cue::Lacking,
        &[
            "no", "don't have", "do not have", "can't give", "cannot give", "unable to give",
            "not able to give", "can't provide", "cannot provide", "unable to provide",
            "not yet able to", "not in a position to",
        ],
    ),
    (
        Cue::EstimateNoun,
        &[
            "estimate", "eta", "timeframe", "time frame", "timeline", "forecast", "prognosis",
        ],
    ),
];

#[rustfmt::skip]
const DE: &[(Cue, &[&str])] = &[
    (
        Cue::Vague,
        &[
            "in kürze", "zeitnah", "schnellstmöglich", "so schnell wie möglich", "baldmöglichst",
            "bald", "gleich", "später", "demnächst", "umgehend",
        ],
    ),
    (
        Cue::Resolved,
        &[
            "wieder", "behoben", "behebung", "verfügbar", "funktioniert", "nutzbar", "läuft",
            "wiederhergestellt", "abgeschlossen",
        ],
    ),
    (
        Cue::Estimate,
        &[
            "eta", "einschätzung", "dauer", "prognose", "geschätzt", "voraussichtlich",
        ],
    ),
    (
        Cue::Hedge,
        &[
            "erwarten", "rechnen", "voraussichtlich", "ca.", "etwa", "ungefähr", "laut",
            "einschätzung", "hoffentlich", "vermutlich", "sollte", "sollten", "geschätzt", "eta",
            "realistische", "risiko", "gegen", "prognose",
        ],
    ),
    (Cue::Future, &["wird", "werden", "ist ab", "sind ab", "ab"]),
    (
        Cue::Outage,
        &[
            "nicht erreichbar", "nicht verfügbar", "geschlossen", "gesperrt",
        ],
    ),
    (
        Cue::Uncertain,
        &[
            "noch unklar", "unklar", "noch nicht klar", "nicht klar", "ungeklärt",
            "wissen wir noch nicht", "wissen noch nicht", "wissen wir nicht",
            "noch nicht bekannt", "nicht bekannt", "unbekannt", "noch nicht bestätigt",
            "nicht bestätigt", "was wir noch nicht wissen", "nicht sagen", "nicht sicher",
            "unsicher", "weiterhin offen", "noch offen", "sucht nach der ursache",
            "suchen nach der ursache", "noch nicht abschätzen", "nicht abschätzen",
            "nicht absehbar", "noch nicht beziffert", "beziffert haben", "wird noch geprüft",
            "wird noch geklärt", "in abklärung", "risiko mittel", "risiko gering",
            "risiko hoch", "mittleres risiko", "geringes risiko", "hohes risiko",
            "gewisses risiko", "restrisiko",
        ],
    ),
    // "keine Prognose", "Eine Aussage zur Dauer ist nicht möglich": a missing estimate
    // admitted, the noun before or after the negation.
    (
        Cue::Lacking,
        &[
            "keine", "noch keine", "keinen", "noch keinen", "nicht möglich", "nicht machen",
            "nicht geben", "nicht nennen",
        ],
    ),
    (
        Cue::EstimateNoun,
        &[
            "prognose", "einschätzung", "aussage", "zeitangabe", "zeitrahmen",
            "eta", "schätzung",
        ],
    ),
];

static CUES_EN: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(EN));
static CUES_DE: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(DE));

/// A stated time of resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Eta {
    pub kind: EtaKind,
    /// The sentence part the ETA rests on.
    pub start: usize,
    pub end: usize,
    pub expression: TimeExpression,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HonestyCues {
    pub vague: Vec<(usize, usize)>,
    pub uncertainty: Vec<(usize, usize)>,
    pub eta: Option<Eta>,
}

/// Finds the honesty cues. `promise_clause` is the clause of the next-update promise, whose
/// time is a promise to write, not a time of resolution.
pub fn detect(text: &Prepared, promise_clause: Option<usize>) -> HonestyCues {
    let hits = text.hits(&CUES_EN, &CUES_DE);
    let spans = |cue: Cue| -> Vec<(usize, usize)> {
        hits.iter()
            .filter(|h| h.label == cue)
            .map(|h| (h.start, h.end))
            .collect()
    };
    let events = spans(Cue::Event);
    let vague = spans(Cue::Vague)
        .into_iter()
        .filter(|v| !events.iter().any(|e| v.0 < e.1 && e.0 < v.1))
        .collect();
    HonestyCues {
        vague,
        uncertainty: uncertainty(text, &hits),
        eta: eta(text, &hits, promise_clause),
    }
}

/// Uncertainty admitted: a phrase of its own, or a missing estimate ("no ETA yet",
/// "keine Prognose", "Aussage zur Dauer ... nicht möglich") within one sentence.
fn uncertainty(text: &Prepared, hits: &[Hit<Cue>]) -> Vec<(usize, usize)> {
    const NEAR: usize = 30;
    let mut out: Vec<(usize, usize)> = hits
        .iter()
        .filter(|h| h.label == Cue::Uncertain)
        .map(|h| (h.start, h.end))
        .collect();
    for noun in hits.iter().filter(|h| h.label == Cue::EstimateNoun) {
        let clause = text.clause_of(noun.start);
        // Close, in one sentence and without a comma or semicolon between them: "no data was
        // lost; our estimate stays" is not a missing estimate.
        let joined = |a: usize, b: usize| {
            b - a <= NEAR
                && !text.text[a..b].contains([',', ';', ':'])
                && text.clause_of(a) == clause
        };
        let lacking = hits.iter().find(|l| {
            l.label == Cue::Lacking
                && (l.end <= noun.start && joined(l.end, noun.start)
                    || text.language == Language::De
                        && noun.end <= l.start
                        && joined(noun.end, l.start))
        });
        if let Some(l) = lacking {
            out.push((l.start.min(noun.start), l.end.max(noun.end)));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn eta(text: &Prepared, hits: &[Hit<Cue>], promise_clause: Option<usize>) -> Option<Eta> {
    let mut best: Option<Eta> = None;
    let mut previous_end: Option<usize> = None;
    for t in &text.times {
        let closes_a_range =
            previous_end.is_some_and(|end| is_range_join(&text.text[end..t.start]));
        previous_end = Some(t.end);
        if matches!(t.value, TimeValue::Every { .. }) || closes_a_range {
            continue;
        }
        let clause = text.clause_of(t.start);
        if Some(clause) == promise_clause || looks_back(text.text, t.start) {
            continue;
        }
        let in_clause = |cue: Cue| {
            hits.iter()
                .filter(move |h| h.label == cue && text.clause_of(h.start) == clause)
        };
        let estimate = in_clause(Cue::Estimate).next();
        let resolved = in_clause(Cue::Resolved).next();
        let before = text.text[..t.start].trim_end().to_lowercase();
        let outage_until = in_clause(Cue::Outage).next().is_some()
            && (before.ends_with("bis")
                || before.ends_with("bis ca.")
                || before.ends_with("until"));
        if estimate.is_none() && resolved.is_none() && !outage_until {
            continue;
        }
        let hedged = in_clause(Cue::Hedge).next().is_some() || estimate.is_some() || outage_until;
        let future = in_clause(Cue::Future).next().is_some();
        let kind = if hedged {
            EtaKind::Hedged
        } else if future {
            EtaKind::Definitive
        } else {
            continue;
        };
        let anchor = estimate
            .or(resolved)
            .map_or(t.start, |h| h.start.min(t.start));
        let found = Eta {
            kind,
            start: anchor,
            end: t.end.max(anchor),
            expression: *t,
        };
        // A later estimate revises an earlier one ("the forecast of 11:00 could not be held;
        // new estimate 12:30"): its time counts. A hedge anywhere makes the ETA hedged.
        let kind = match &best {
            Some(b) if b.kind == EtaKind::Hedged => EtaKind::Hedged,
            _ => found.kind,
        };
        best = Some(Eta { kind, ..found });
    }
    best
}

/// "10:04 bis 11:17", "from 11:20 to 12:45": the second time closes a window in the past.
fn is_range_join(between: &str) -> bool {
    let between = between.trim().to_lowercase();
    let between = between
        .trim_end_matches("about")
        .trim_end_matches("ca.")
        .trim();
    matches!(
        between,
        "–" | "-" | "—" | "to" | "bis" | "and" | "und" | "until"
    )
}

/// A time read backwards: "since 14:20", "seit 14.10 Uhr", "Stand 11:00", "as of 11:30",
/// "Update 13:15": it says when something happened or was written, not when it will.
fn looks_back(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().to_lowercase();
    let before = before
        .trim_end_matches("about")
        .trim_end_matches("ca.")
        .trim_end();
    [
        "since", "seit", "stand", "as of", "update", "at about", "from", "von", "between",
        "zwischen",
    ]
    .iter()
    .any(|w| before.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(text: &str, language: Language) -> HonestyCues {
        detect(&Prepared::new(text, language), None)
    }

    fn eta_kind(text: &str, language: Language) -> EtaKind {
        cues(text, language).eta.map_or(EtaKind::None, |e| e.kind)
    }

    fn vague(text: &str, language: Language) -> bool {
        !cues(text, language).vague.is_empty()
    }

    fn uncertain(text: &str, language: Language) -> bool {
        !cues(text, language).uncertainty.is_empty()
    }

    #[test]
    fn a_revised_estimate_replaces_the_earlier_one() {
        let de = cues(
            "Die Prognose 10 Uhr war zu optimistisch. Neue Einschätzung: bis ca. 11:45 Uhr.",
            Language::De,
        );
        let eta = de.eta.expect("eta");
        assert_eq!(eta.kind, EtaKind::Hedged);
        assert!(
            matches!(
                eta.expression.value,
                TimeValue::Clock {
                    hour: 11,
                    minute: 45,
                    ..
                }
            ),
            "{eta:?}"
        );
        let en = cues(
            "Our first estimate of 10:00 did not hold. We now expect the portal to be restored by 11:45.",
            Language::En,
        );
        assert!(matches!(
            en.eta.expect("eta").expression.value,
            TimeValue::Clock {
                hour: 11,
                minute: 45,
                ..
            }
        ));
    }

    #[test]
    fn vague_time_words() {
        assert!(vague("We will share more soon.", Language::En));
        assert!(vague("A fix should follow shortly.", Language::En));
        assert!(!vague(
            "We will write again once the vendor replies.",
            Language::En
        ));
        assert!(!vague(
            "We will let you know as soon as there is news.",
            Language::En
        ));
        assert!(vague("Mehr dazu in Kürze.", Language::De));
        assert!(vague(
            "Wir melden uns zeitnah mit Neuigkeiten.",
            Language::De
        ));
        assert!(!vague(
            "Der Schalter bleibt bis auf Weiteres geschlossen.",
            Language::De
        ));
        assert!(!vague(
            "Wir informieren, sobald wir mehr wissen.",
            Language::De
        ));
    }

    #[test]
    fn hedged_and_definitive_etas_en() {
        assert_eq!(
            eta_kind("We expect the fix to be in place by 5 p.m.", Language::En),
            EtaKind::Hedged
        );
        assert_eq!(
            eta_kind("Reverting the change now, ETA 20 min.", Language::En),
            EtaKind::Hedged
        );
        assert_eq!(
            eta_kind("The shop will be back online at 3pm.", Language::En),
            EtaKind::Definitive
        );
        assert_eq!(
            eta_kind("Our call centre opened at 8:00 as usual.", Language::En),
            EtaKind::None
        );
    }

    #[test]
    fn hedged_and_definitive_etas_de() {
        assert_eq!(
            eta_kind(
                "Wir rechnen damit, dass die App gegen 16 Uhr wieder läuft.",
                Language::De
            ),
            EtaKind::Hedged
        );
        assert_eq!(
            eta_kind(
                "Das Servicecenter ist heute bis ca. 13 Uhr nicht erreichbar.",
                Language::De
            ),
            EtaKind::Hedged
        );
        assert_eq!(
            eta_kind("Ab 18 Uhr ist das Portal wieder verfügbar.", Language::De),
            EtaKind::Definitive
        );
        assert_eq!(
            eta_kind("Die Besprechung beginnt um 14 Uhr.", Language::De),
            EtaKind::None
        );
    }

    #[test]
    fn end_times_and_status_times_are_not_etas() {
        assert_eq!(
            eta_kind(
                "Das Intranet funktioniert seit 9.50 Uhr wieder.",
                Language::De
            ),
            EtaKind::None
        );
        assert_eq!(
            eta_kind("Stand 13:00: Server wieder online.", Language::De),
            EtaKind::None
        );
        assert_eq!(
            eta_kind("The portal has been back since 11:20.", Language::En),
            EtaKind::None
        );
        assert_eq!(
            eta_kind("There is no estimate for a fix yet.", Language::En),
            EtaKind::None
        );
    }

    #[test]
    fn uncertainty_admitted_en() {
        assert!(uncertain(
            "We don't yet know what caused this.",
            Language::En
        ));
        assert!(uncertain(
            "It is not yet clear how many orders are affected.",
            Language::En
        ));
        assert!(uncertain(
            "We can't give a timeframe for the repair yet.",
            Language::En
        ));
        assert!(uncertain("There is no ETA at this point.", Language::En));
        assert!(uncertain(
            "Our estimate is noon, with low confidence.",
            Language::En
        ));
        assert!(!uncertain("Our team is investigating.", Language::En));
        assert!(!uncertain(
            "No data was lost; our estimate stays at noon.",
            Language::En
        ));
        assert!(!uncertain(
            "We know the cause and are fixing it.",
            Language::En
        ));
    }

    #[test]
    fn uncertainty_admitted_de() {
        assert!(uncertain(
            "Warum der Server ausfiel, ist noch unklar.",
            Language::De
        ));
        assert!(uncertain(
            "Wie lange das dauert, können wir nicht abschätzen.",
            Language::De
        ));
        assert!(uncertain("Eine Prognose gibt es noch keine.", Language::De));
        assert!(uncertain(
            "Eine Aussage zur Dauer ist im Moment nicht möglich.",
            Language::De
        ));
        assert!(uncertain(
            "Wir rechnen mit 15 Uhr, das Risiko ist mittel: Risiko mittel.",
            Language::De
        ));
        assert!(!uncertain("Wir untersuchen den Fehler.", Language::De));
        assert!(!uncertain(
            "Falls die Anmeldung nicht klappt, bitte neu starten.",
            Language::De
        ));
    }
}
