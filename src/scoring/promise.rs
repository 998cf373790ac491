//! Promised next updates (E5, SCORING §1 T3): "next update at 14:30", "in 30 minutes",
//! "bis 15 Uhr melden wir uns", "Nächste Info: 15:30", "informiere Sie alle zwei Stunden",
//! "write-up on Friday" — a promise to write again with a concrete time. "Shortly", "in Kürze"
//! or "as soon as we know more" name no time and are not promises here.

use std::sync::LazyLock;

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::cues::CueSet;
use super::prepared::Prepared;
use super::times::{self, TimeExpression};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// A promise to write again ("next update", "wir melden uns").
    Promise,
    /// A promise to one person, not an update to the audience ("melden uns bei Ihnen").
    Personal,
}

#[rustfmt::skip]
const EN: &[(Cue, &[&str])] = &[
    (
        Cue::Promise,
        &[
            "next update", "next update is", "our next update", "next report", "next status",
            "will update", "we'll update", "i'll update", "update you", "will post", "we'll post",
            "i'll post", "post again", "post an update", "send the next update", "we'll send",
            "will send an update", "will report", "report back", "will provide", "further update",
            "further updates at", "write-up", "update this page", "keep you updated",
            "we will inform", "will inform", "let you know by", "next communication",
            "next message", "next briefing", "next information", "will be in touch", "update at",
            "update by", "update in",
        ],
    ),
    (Cue::Personal, &["with you personally", "to you directly"]),
];

#[rustfmt::skip]
const DE: &[(Cue, &[&str])] = &[
    (
        Cue::Promise,
        &[
            "nächstes update", "nächste meldung", "nächste info*", "nächsten stand",
            "nächste information", "nächster stand", "nächste rückmeldung", "melden uns",
            "melden wir uns", "melde mich", "melde ich mich", "informieren sie", "informiere sie",
            "informiert", "informieren wir", "update folgt", "weitere informationen um",
            "weitere informationen bis", "abschlussbericht", "bericht erhalten sie", "erhalten sie",
            "nächstes statusupdate", "aktualisieren diese seite", "nächste aktualisierung",
        ],
    ),
    (
        Cue::Personal,
        &["bei ihnen", "bei dir", "bei euch persönlich"],
    ),
];

static CUES_EN: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(EN));
static CUES_DE: LazyLock<CueSet<Cue>> = LazyLock::new(|| CueSet::from_groups(DE));

/// A promised next update: the time as written and, when the sending time is known, as UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct Promise {
    pub start: usize,
    pub end: usize,
    /// The span of the promise phrase itself ("Nächstes Update").
    pub cue: (usize, usize),
    pub expression: TimeExpression,
}

impl Promise {
    pub fn written<'t>(&self, text: &'t str) -> &'t str {
        &text[self.expression.start..self.expression.end]
    }

    pub fn resolve(&self, sent_at: Option<NaiveDateTime>, tz: Tz) -> Option<NaiveDateTime> {
        times::resolve(self.expression.value, sent_at?, tz)
    }
}

/// The first promise of a next update with a concrete time, if any.
pub fn next_update(text: &Prepared) -> Option<Promise> {
    let hits = text.hits(&CUES_EN, &CUES_DE);
    for promise in hits.iter().filter(|h| h.label == Cue::Promise) {
        let clause = text.clause_of(promise.start);
        let personal = hits
            .iter()
            .any(|h| h.label == Cue::Personal && text.clause_of(h.start) == clause);
        if personal {
            continue;
        }
        let in_clause: Vec<&TimeExpression> = text
            .times
            .iter()
            .filter(|t| text.clause_of(t.start) == clause)
            .collect();
        // The time after the promise ("next update at 14:30"), else the one before it ("bis 15
        // Uhr melden wir uns").
        let chosen = in_clause
            .iter()
            .find(|t| t.start >= promise.end)
            .or_else(|| in_clause.iter().rev().find(|t| t.end <= promise.start));
        if let Some(expression) = chosen {
            return Some(Promise {
                start: promise.start.min(expression.start),
                end: promise.end.max(expression.end),
                cue: (promise.start, promise.end),
                expression: **expression,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;
    use chrono::NaiveDate;

    fn promised(text: &str, language: Language) -> Option<String> {
        let prepared = Prepared::new(text, language);
        next_update(&prepared).map(|p| p.written(text).to_string())
    }

    #[test]
    fn english_promises_with_a_time() {
        assert_eq!(
            promised("Next update by 4 p.m. ET.", Language::En).as_deref(),
            Some("4 p.m. ET")
        );
        assert_eq!(
            promised("We'll post again by 2pm.", Language::En).as_deref(),
            Some("2pm")
        );
        assert_eq!(
            promised("Our next update follows in 45 minutes.", Language::En).as_deref(),
            Some("in 45 minutes")
        );
        assert_eq!(
            promised("I'll update the board at 9:15.", Language::En).as_deref(),
            Some("9:15")
        );
        assert_eq!(
            promised(
                "A short write-up for the board comes on Monday.",
                Language::En
            )
            .as_deref(),
            Some("Monday")
        );
        assert_eq!(
            promised("We will report back within the hour.", Language::En).as_deref(),
            Some("within the hour")
        );
    }

    #[test]
    fn german_promises_with_a_time() {
        assert_eq!(
            promised("Nächste Info: 11:45 Uhr.", Language::De).as_deref(),
            Some("11:45 Uhr")
        );
        assert_eq!(
            promised("Bis 17 Uhr melden wir uns wieder.", Language::De).as_deref(),
            Some("17 Uhr")
        );
        assert_eq!(
            promised(
                "Ich melde mich um 10.15 Uhr mit dem neuen Stand.",
                Language::De
            )
            .as_deref(),
            Some("10.15 Uhr")
        );
        assert_eq!(
            promised(
                "Wir treffen uns um 09:00 Uhr und informieren Sie danach alle drei Stunden.",
                Language::De
            )
            .as_deref(),
            Some("alle drei Stunden")
        );
        assert_eq!(
            promised("Nächstes Update morgen 07:30 Uhr.", Language::De).as_deref(),
            Some("morgen 07:30 Uhr")
        );
    }

    #[test]
    fn vague_or_personal_follow_ups_are_not_promises() {
        assert_eq!(
            promised("We will post more information shortly.", Language::En),
            None
        );
        assert_eq!(
            promised(
                "Could someone tell me by 11:00 who owns this ticket?",
                Language::En
            ),
            None
        );
        assert_eq!(
            promised("Update 16:40: still degraded.", Language::En),
            None
        );
        assert_eq!(
            promised("Wir informieren, sobald es Neuigkeiten gibt.", Language::De),
            None
        );
        assert_eq!(
            promised(
                "Wir melden uns innerhalb von zwei Tagen bei Ihnen.",
                Language::De
            ),
            None
        );
    }

    #[test]
    fn resolved_against_the_sending_time() {
        let text = "Nächstes Update um 14:30.";
        let prepared = Prepared::new(text, Language::De);
        let promise = next_update(&prepared).expect("a promise");
        let sent = NaiveDate::from_ymd_opt(2026, 3, 10).and_then(|d| d.and_hms_opt(12, 0, 0));
        let zurich: Tz = "Europe/Zurich".parse().expect("zone");
        assert_eq!(
            promise.resolve(sent, zurich),
            NaiveDate::from_ymd_opt(2026, 3, 10).and_then(|d| d.and_hms_opt(13, 30, 0))
        );
        assert_eq!(promise.resolve(None, zurich), None);
    }
}
