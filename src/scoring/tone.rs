//! Tone cues (SCORING §2 Tone, CODEBOOK): the apology (none, formulaic, full), concern or
//! thanks, ownership, blame (on a third party, an individual or the users) and shouting.

use super::cues::Hit;
use super::labels::{Apology, Blame};
use super::prepared::Prepared;
use super::tone_cues::{CUES_DE, CUES_EN, Cue};

#[derive(Debug, Clone, PartialEq)]
pub struct ToneCues {
    pub apology: Apology,
    pub apology_spans: Vec<(usize, usize)>,
    pub concern_thanks: Vec<(usize, usize)>,
    pub ownership: Vec<(usize, usize)>,
    pub blame: Blame,
    pub blame_spans: Vec<(usize, usize)>,
    pub shouting: Vec<(usize, usize)>,
}

/// Finds the tone cues. `owns_the_work` says whether the message reports the organisation's
/// own work on the incident (E4), which keeps a named provider from being blame.
pub fn detect(text: &Prepared, owns_the_work: bool) -> ToneCues {
    let hits = text.hits(&CUES_EN, &CUES_DE);
    let (apology, apology_spans) = apology(text, &hits);
    let concern_thanks = concern_and_thanks(text, &hits);
    let ownership: Vec<(usize, usize)> = of(&hits, Cue::Ownership).map(span).collect();
    let (blame, blame_spans) = blame(text, &hits, owns_the_work || !ownership.is_empty());
    ToneCues {
        apology,
        apology_spans,
        concern_thanks,
        ownership,
        blame,
        blame_spans,
        shouting: shouting(text.text),
    }
}

fn of(hits: &[Hit<Cue>], cue: Cue) -> impl Iterator<Item = &Hit<Cue>> {
    hits.iter().filter(move |h| h.label == cue)
}

fn span(h: &Hit<Cue>) -> (usize, usize) {
    (h.start, h.end)
}

/// Full when a direct apology stands in a sentence without stock phrasing; formulaic when the
/// only apologies are stock phrases ("for any inconvenience", "bitten um Verständnis").
fn apology(text: &Prepared, hits: &[Hit<Cue>]) -> (Apology, Vec<(usize, usize)>) {
    let mut full = Vec::new();
    let mut formulaic: Vec<(usize, usize)> = of(hits, Cue::Formulaic).map(span).collect();
    for a in of(hits, Cue::Apology) {
        let clause = text.clause_of(a.start);
        let stock = of(hits, Cue::Stock).find(|s| text.clause_of(s.start) == clause);
        match stock {
            Some(s) => formulaic.push((a.start.min(s.start), a.end.max(s.end))),
            None => full.push(span(a)),
        }
    }
    // A stock phrase without the apology word ("für etwaige Unannehmlichkeiten") is formulaic.
    if full.is_empty() && formulaic.is_empty() {
        formulaic.extend(
            of(hits, Cue::Stock)
                .filter(|s| {
                    let t = text.folded.lower[s.start..s.end].to_string();
                    t.contains("inconvenience") || t.contains("unannehmlichkeiten")
                })
                .map(span),
        );
    }
    if !full.is_empty() {
        (Apology::Full, full)
    } else if !formulaic.is_empty() {
        (Apology::Formulaic, formulaic)
    } else {
        (Apology::None, Vec::new())
    }
}

/// Concern or thanks; "Thanks," as the closing line before a signature is a greeting.
fn concern_and_thanks(text: &Prepared, hits: &[Hit<Cue>]) -> Vec<(usize, usize)> {
    hits.iter()
        .filter(|h| matches!(h.label, Cue::Thanks | Cue::Concern))
        .filter(|h| !is_sign_off(text.text, h.start, h.end))
        .map(span)
        .collect()
}

fn is_sign_off(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = text[line_start..line_end].trim();
    let rest_lines = text[line_end..]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    line.trim_end_matches([',', '!', '.'])
        .split_whitespace()
        .count()
        <= 2
        && rest_lines <= 2
}

/// Blame, most serious first: an individual, the users, a third party.
fn blame(text: &Prepared, hits: &[Hit<Cue>], owned: bool) -> (Blame, Vec<(usize, usize)>) {
    let same_clause =
        |a: &Hit<Cue>, b: &Hit<Cue>| text.clause_of(a.start) == text.clause_of(b.start);
    for person in of(hits, Cue::Person) {
        if let Some(m) = of(hits, Cue::Mistake).find(|m| same_clause(person, m)) {
            return (Blame::Individual, vec![span(person), span(m)]);
        }
    }
    for user in of(hits, Cue::UserGroup) {
        let mistake = of(hits, Cue::Mistake).find(|m| same_clause(user, m));
        let cause = text.clause_text(text.clause_of(user.start)).to_lowercase();
        let explains = [
            "because",
            "this is because",
            "grund dafür",
            "weil",
            "caused by",
            "due to",
        ]
        .iter()
        .any(|c| cause.contains(c));
        if let Some(m) = mistake
            && explains
        {
            return (Blame::User, vec![span(user), span(m)]);
        }
    }
    let together = of(hits, Cue::Together).next().is_some();
    if !owned && !together {
        for provider in of(hits, Cue::Provider) {
            let explained = hits
                .iter()
                .any(|h| matches!(h.label, Cue::Cause | Cue::NotUs) && same_clause(provider, h));
            if explained {
                return (Blame::ThirdParty, vec![span(provider)]);
            }
        }
    }
    (Blame::None, Vec::new())
}

/// Words of four or more capitals that are not acronyms in context, and "!!".
fn shouting(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = text
        .match_indices("!!")
        .map(|(i, m)| (i, i + m.len()))
        .collect();
    out.dedup_by(|b, a| b.0 <= a.1);
    let mut capitals = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphabetic() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            let word = &text[s..i];
            let letters = word.chars().count();
            if letters >= 4 && word.chars().all(char::is_uppercase) {
                capitals.push((s, i));
            }
        }
    }
    // A single capitalised word can be a name ("TWINT"); shouting is several.
    if capitals.len() >= 2 {
        out.extend(capitals);
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    fn tone(text: &str, language: Language) -> ToneCues {
        detect(&Prepared::new(text, language), false)
    }

    fn cares(text: &str, language: Language) -> bool {
        !tone(text, language).concern_thanks.is_empty()
    }

    fn owns(text: &str, language: Language) -> bool {
        !tone(text, language).ownership.is_empty()
    }

    #[test]
    fn full_formulaic_and_no_apology_en() {
        assert_eq!(
            tone("We are sorry the portal let you down today.", Language::En).apology,
            Apology::Full
        );
        assert_eq!(
            tone("Apologies for the outage this morning.", Language::En).apology,
            Apology::Full
        );
        assert_eq!(
            tone(
                "We apologise for any inconvenience this may cause.",
                Language::En
            )
            .apology,
            Apology::Formulaic
        );
        assert_eq!(
            tone("Sorry if this caused you trouble.", Language::En).apology,
            Apology::Formulaic
        );
        assert_eq!(
            tone("Payments are flowing normally.", Language::En).apology,
            Apology::None
        );
    }

    #[test]
    fn full_formulaic_and_no_apology_de() {
        assert_eq!(
            tone("Es tut uns leid, dass Sie warten mussten.", Language::De).apology,
            Apology::Full
        );
        assert_eq!(
            tone(
                "Wir entschuldigen uns für den Ausfall am Vormittag.",
                Language::De
            )
            .apology,
            Apology::Full
        );
        assert_eq!(
            tone(
                "Wir bitten um Verständnis für die Einschränkungen.",
                Language::De
            )
            .apology,
            Apology::Formulaic
        );
        assert_eq!(
            tone(
                "Entschuldigen Sie allfällige Unannehmlichkeiten.",
                Language::De
            )
            .apology,
            Apology::Formulaic
        );
        assert_eq!(
            tone("Merci für Ihre Geduld.", Language::De).apology,
            Apology::None
        );
    }

    #[test]
    fn concern_and_thanks_but_not_a_sign_off() {
        assert!(cares("Many thanks for bearing with us.", Language::En));
        assert!(cares(
            "We know how much you rely on online banking.",
            Language::En
        ));
        assert!(cares(
            "I understand your frustration about the wait.",
            Language::En
        ));
        assert!(!cares(
            "The shop is offline.\n\nThanks,\nAnna",
            Language::En
        ));
        assert!(!cares(
            "We understand the cause and are fixing it.",
            Language::En
        ));
        assert!(cares("Herzlichen Dank für Ihre Geduld!", Language::De));
        assert!(cares(
            "Wir verstehen, dass das für Sie ärgerlich ist.",
            Language::De
        ));
        assert!(!cares("Das Portal läuft wieder.", Language::De));
    }

    #[test]
    fn ownership_statements() {
        assert!(owns(
            "The mistake was ours: we made a change without testing it.",
            Language::En
        ));
        assert!(owns(
            "We underestimated how many people would log in at once.",
            Language::En
        ));
        assert!(!owns("The portal is unavailable.", Language::En));
        assert!(owns(
            "Wir haben den Ansturm falsch eingeschätzt.",
            Language::De
        ));
        assert!(owns("Das war unser Fehler.", Language::De));
        assert!(!owns("Das Portal ist nicht erreichbar.", Language::De));
    }

    #[test]
    fn blame_on_individuals_and_users() {
        assert_eq!(
            tone(
                "An engineer accidentally deleted the wrong folder.",
                Language::En
            )
            .blame,
            Blame::Individual
        );
        assert_eq!(
            tone(
                "Ein Kollege hat irrtümlich den falschen Server neu gestartet.",
                Language::De
            )
            .blame,
            Blame::Individual
        );
        assert_eq!(
            tone(
                "This happened because customers entered their PIN incorrectly.",
                Language::En
            )
            .blame,
            Blame::User
        );
        assert_eq!(
            tone(
                "Das liegt daran, weil Benutzer falsche Passwörter eingeben.",
                Language::De
            )
            .blame,
            Blame::User
        );
        assert_eq!(
            tone("Our engineers restored the service.", Language::En).blame,
            Blame::None
        );
        assert_eq!(
            tone("Zusätzliche Techniker sind im Einsatz.", Language::De).blame,
            Blame::None
        );
    }

    #[test]
    fn blame_on_providers_unless_owned() {
        assert_eq!(
            tone(
                "The outage was caused by our hosting provider.",
                Language::En
            )
            .blame,
            Blame::ThirdParty
        );
        assert_eq!(
            tone(
                "Our card processor has an outage; we are working with them.",
                Language::En
            )
            .blame,
            Blame::None
        );
        assert_eq!(
            tone(
                "Grund ist eine Störung bei unserem Netzanbieter.",
                Language::De
            )
            .blame,
            Blame::ThirdParty
        );
        assert_eq!(
            tone(
                "Wir stehen in Kontakt mit dem Anbieter, Ursache ist eine Störung bei ihm.",
                Language::De
            )
            .blame,
            Blame::None
        );
        assert_eq!(
            tone("Beim Hersteller ist ein Ticket offen.", Language::De).blame,
            Blame::None
        );
    }

    #[test]
    fn shouting_needs_several_capital_words_or_exclamations() {
        assert!(
            !tone("PLEASE READ THIS NOW", Language::En)
                .shouting
                .is_empty()
        );
        assert!(!tone("The shop is back!!", Language::En).shouting.is_empty());
        assert!(
            tone("Use the NHS app for now.", Language::En)
                .shouting
                .is_empty()
        );
        assert!(
            !tone("WICHTIG: BITTE NICHT anrufen", Language::De)
                .shouting
                .is_empty()
        );
        assert!(
            tone("Zahlungen mit TWINT sind möglich.", Language::De)
                .shouting
                .is_empty()
        );
    }
}
