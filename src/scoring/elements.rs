//! Content elements E1–E10 (SCORING §2 Completeness, CODEBOOK): which ones a message contains,
//! with the text each detection rests on. E2 comes from the service catalogue and E5 from the
//! next-update promise; the others from the cue lists of `element_cues.rs`, read sentence by
//! sentence so that "the issue" counts as a symptom only where the service is named.

use super::cues::Hit;
use super::element_cues::{CUES_DE, CUES_EN, Cue};
use super::prepared::Prepared;
use super::services::ServiceMention;

pub use super::content_element::Element;

/// The spans each element was found at (empty: not found), indexed by [`Element::index`].
pub type ElementSpans = [Vec<(usize, usize)>; 10];

/// Detects E1–E10. `services` are the catalogue mentions (E2) and `next_update` the span of the
/// promised next-update time (E5).
pub fn detect(
    text: &Prepared,
    services: &[ServiceMention],
    next_update: Option<(usize, usize)>,
) -> ElementSpans {
    let hits = text.hits(&CUES_EN, &CUES_DE);
    let clauses = Clauses::new(text, &hits);
    let mut found: ElementSpans = Default::default();
    found[Element::E1.index()] = symptom(text, &clauses, services);
    found[Element::E2.index()] = services.iter().map(|m| (m.start, m.end)).collect();
    found[Element::E3.index()] = scope(&clauses);
    found[Element::E4.index()] = spans(&clauses.all, Cue::Action);
    found[Element::E5.index()] = next_update.into_iter().collect();
    found[Element::E6.index()] = workaround(text, &clauses);
    found[Element::E7.index()] = help(text, &clauses);
    found[Element::E8.index()] = super::time_window::detect(text, &clauses);
    found[Element::E9.index()] = data(&clauses);
    found[Element::E10.index()] = cause(text, &clauses);
    found
}

/// Hits grouped by clause, with the hits that a `NotACue` phrase covers removed.
pub(super) struct Clauses {
    pub(super) all: Vec<Hit<Cue>>,
    pub(super) by_clause: Vec<Vec<Hit<Cue>>>,
}

impl Clauses {
    fn new(text: &Prepared, hits: &[Hit<Cue>]) -> Self {
        // Which phrases cancel which cues where they overlap.
        let blocker_of = |c: Cue| match c {
            Cue::Symptom | Cue::Works | Cue::Again | Cue::Scope | Cue::Trouble => {
                Some(Cue::NotACue)
            }
            Cue::Workaround => Some(Cue::NotAWorkaround),
            _ => None,
        };
        let all: Vec<Hit<Cue>> = hits
            .iter()
            .filter(|h| !matches!(h.label, Cue::NotACue | Cue::NotAWorkaround))
            .filter(|h| {
                blocker_of(h.label).is_none_or(|blocker| {
                    !hits
                        .iter()
                        .any(|b| b.label == blocker && h.start < b.end && b.start < h.end)
                })
            })
            .copied()
            .collect();
        let mut by_clause = vec![Vec::new(); text.segmentation.clauses.len().max(1)];
        for h in &all {
            by_clause[text.clause_of(h.start)].push(*h);
        }
        Self { all, by_clause }
    }

    pub(super) fn with<'a>(
        &'a self,
        clause: &'a [Hit<Cue>],
        cue: Cue,
    ) -> impl Iterator<Item = &'a Hit<Cue>> {
        clause.iter().filter(move |h| h.label == cue)
    }

    pub(super) fn has(&self, clause: &[Hit<Cue>], cue: Cue) -> bool {
        clause.iter().any(|h| h.label == cue)
    }
}

fn spans(hits: &[Hit<Cue>], cue: Cue) -> Vec<(usize, usize)> {
    hits.iter()
        .filter(|h| h.label == cue)
        .map(|h| (h.start, h.end))
        .collect()
}

/// E1: a symptom, trouble in a sentence that names the service, a negated working state, or a
/// working state again (recovery).
fn symptom(text: &Prepared, c: &Clauses, services: &[ServiceMention]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, clause) in c.by_clause.iter().enumerate() {
        out.extend(c.with(clause, Cue::Symptom).map(|h| (h.start, h.end)));
        let names_service = services.iter().any(|m| text.clause_of(m.start) == i);
        if names_service {
            out.extend(
                clause
                    .iter()
                    .filter(|h| matches!(h.label, Cue::Trouble | Cue::Generic))
                    .map(|h| (h.start, h.end)),
            );
        }
        if let Some(works) = c.with(clause, Cue::Works).next()
            && (c.has(clause, Cue::Not) || c.has(clause, Cue::Again))
        {
            out.push((works.start, works.end));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// E3: an explicit scope phrase, or a quantifier right before a group ("some shoppers",
/// "alle Filialen", "40 von 120 Access Points"), or a share ("30 %").
fn scope(c: &Clauses) -> Vec<(usize, usize)> {
    let mut out = spans(&c.all, Cue::Scope);
    for clause in &c.by_clause {
        for q in c.with(clause, Cue::Quantifier) {
            if let Some(g) = c
                .with(clause, Cue::Group)
                .find(|g| g.start > q.end && g.start <= q.end + 24)
            {
                out.push((q.start, g.end));
            }
        }
    }
    out.sort_unstable();
    out
}

/// E6: guidance or what still works; a suggestion to act ("neu starten") unless a negation
/// stands right before it ("bitte nicht neu starten", "do not restart"). A negation further
/// away belongs to something else ("Falls es nicht klappt: neu starten").
fn workaround(text: &Prepared, c: &Clauses) -> Vec<(usize, usize)> {
    const NEAR: usize = 12;
    let mut out = spans(&c.all, Cue::Workaround);
    for clause in &c.by_clause {
        for suggest in c.with(clause, Cue::Suggest) {
            let negated = c.with(clause, Cue::Not).any(|n| {
                n.end <= suggest.start
                    && suggest.start - n.end <= NEAR
                    && !text.text[n.end..suggest.start].contains([':', ',', ';'])
            });
            if !negated {
                out.push((suggest.start, suggest.end));
            }
        }
    }
    out.sort_unstable();
    out
}

/// E7: a help phrase, a phone number, an extension ("Tel. 4455"), or a link or address in a
/// sentence that offers help.
fn help(text: &Prepared, c: &Clauses) -> Vec<(usize, usize)> {
    use super::segment::NonProseKind;
    let mut out = spans(&c.all, Cue::Help);
    for n in &text.segmentation.non_prose {
        match n.kind {
            NonProseKind::Phone => out.push((n.start, n.end)),
            NonProseKind::Url | NonProseKind::Email => {
                let clause = &c.by_clause[text.clause_of(n.start)];
                if c.has(clause, Cue::Help) {
                    out.push((n.start, n.end));
                }
            }
            NonProseKind::ClockTime | NonProseKind::Handle => {}
        }
    }
    out.extend(extensions(text.text));
    out.sort_unstable();
    out.dedup();
    out
}

/// "Tel. 4455", "ext. 4455", "DW 4410": an internal number to call; "Raum 2.14", "room 114":
/// a place to go.
fn extensions(text: &str) -> Vec<(usize, usize)> {
    use std::sync::LazyLock;
    static EXTENSION: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)(?-u:\b)(?:(?:tel\.|ext\.|dw|durchwahl)\s?\d{3,}|(?:raum|room|zimmer)\s?[a-z]?\d+(?:\.\d+)?(?-u:\b))",
        )
        .expect("valid pattern")
    });
    EXTENSION
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// E9: a statement about data or security, or data named together with what happened to it.
fn data(c: &Clauses) -> Vec<(usize, usize)> {
    let mut out = spans(&c.all, Cue::DataStatement);
    for clause in &c.by_clause {
        if let Some(thing) = c.with(clause, Cue::DataThing).next()
            && let Some(state) = c
                .with(clause, Cue::DataState)
                .find(|s| s.end <= thing.start || s.start >= thing.end)
        {
            out.push((thing.start.min(state.start), thing.end.max(state.end)));
        }
    }
    out.sort_unstable();
    out
}

/// E10: a stated cause or corrective measure, not one that is still unknown or only promised
/// ("Root Cause folgt"), and not "due to a problem" that only names the failure again.
fn cause(text: &Prepared, c: &Clauses) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for clause in &c.by_clause {
        if c.has(clause, Cue::CausePending) {
            continue;
        }
        out.extend(c.with(clause, Cue::Cause).map(|h| (h.start, h.end)));
        out.extend(c.with(clause, Cue::NotUs).map(|h| (h.start, h.end)));
        // "eine Störung bei Microsoft", "an outage at our card processor": the fault placed
        // with a provider is the stated cause.
        for fault in c.with(clause, Cue::FaultAt) {
            if let Some(p) = c
                .with(clause, Cue::Provider)
                .find(|p| p.start >= fault.end && p.start <= fault.end + 24)
            {
                out.push((fault.start, p.end));
            }
        }
        for due in c.with(clause, Cue::DueTo) {
            let rest = phrase_after(text.text, due.end);
            let generic = clause.iter().any(|h| {
                matches!(h.label, Cue::Trouble | Cue::Generic)
                    && h.start >= due.end
                    && h.start < due.end + rest.len()
            });
            let specific = rest.split_whitespace().any(|w| matches!(w, "mit" | "with"));
            if !generic || specific {
                out.push((due.start, due.end + rest.len()));
            }
        }
        for after in c.with(clause, Cue::After) {
            if let Some(change) = c
                .with(clause, Cue::Change)
                .find(|ch| ch.start >= after.end && ch.start <= after.end + 32)
            {
                out.push((after.start, change.end));
            }
        }
    }
    out.sort_unstable();
    out
}

/// The words after `at` up to the next punctuation, at most six.
fn phrase_after(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let stop = rest
        .find(['.', ',', ';', ':', '!', '?', '–', '\n'])
        .unwrap_or(rest.len());
    let clause = &rest[..stop];
    let mut words = 0;
    let mut in_word = false;
    for (i, ch) in clause.char_indices() {
        if ch.is_whitespace() {
            if in_word {
                words += 1;
                if words == 6 {
                    return &clause[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    clause
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;
    use crate::scoring::services::ServiceCatalogue;

    fn found(text: &str, language: Language) -> Vec<&'static str> {
        let prepared = Prepared::new(text, language);
        let services = ServiceCatalogue::default().mentions(&prepared);
        let spans = detect(&prepared, &services, None);
        Element::ALL
            .iter()
            .filter(|e| !spans[e.index()].is_empty())
            .map(|e| e.id())
            .collect()
    }

    fn has(text: &str, language: Language, element: &str) -> bool {
        found(text, language).contains(&element)
    }

    // The examples are written for these tests; none is taken from the labelled set, which
    // checks the rules on texts they were not written against.

    #[test]
    fn e1_symptom_en() {
        assert!(has(
            "Our booking site keeps timing out.",
            Language::En,
            "E1"
        ));
        assert!(has(
            "There is an issue with the mobile app this morning.",
            Language::En,
            "E1"
        ));
        assert!(has("The website is working again.", Language::En, "E1"));
        assert!(!has(
            "We are dealing with a technical issue.",
            Language::En,
            "E1"
        ));
        assert!(!has(
            "The matter has been passed on to our supplier.",
            Language::En,
            "E1"
        ));
        assert!(!has("Feel free to try again later.", Language::En, "E1"));
        assert!(!has(
            "We are failing over to the standby database.",
            Language::En,
            "E1"
        ));
    }

    #[test]
    fn e1_symptom_de() {
        assert!(has(
            "Das Kundenportal lädt derzeit nur sehr langsam.",
            Language::De,
            "E1"
        ));
        assert!(has(
            "Im Webshop gibt es eine Störung beim Bezahlen.",
            Language::De,
            "E1"
        ));
        assert!(has(
            "An zwei Standorten funktioniert das WLAN nicht.",
            Language::De,
            "E1"
        ));
        assert!(has(
            "Die Telefonie funktioniert seit 16 Uhr wieder.",
            Language::De,
            "E1"
        ));
        assert!(!has(
            "Es liegt eine technische Störung vor.",
            Language::De,
            "E1"
        ));
        assert!(!has(
            "Eine Prognose ist im Moment nicht möglich.",
            Language::De,
            "E1"
        ));
    }

    #[test]
    fn e3_scope_en() {
        assert!(has(
            "Only customers in the north region are affected.",
            Language::En,
            "E3"
        ));
        assert!(has(
            "Some branches cannot open new accounts.",
            Language::En,
            "E3"
        ));
        assert!(has(
            "The office Wi-Fi is back; the rest of the site is still offline.",
            Language::En,
            "E3"
        ));
        assert!(!has(
            "The app is giving us trouble this morning.",
            Language::En,
            "E3"
        ));
        assert!(!has(
            "The topic came up in only a handful of calls.",
            Language::En,
            "E3"
        ));
    }

    #[test]
    fn e3_scope_de() {
        assert!(has(
            "Betroffen sind alle Studierenden der Fakultät.",
            Language::De,
            "E3"
        ));
        assert!(has(
            "In einigen Filialen in Graz fällt das Kassensystem aus.",
            Language::De,
            "E3"
        ));
        assert!(has(
            "Die Störung betrifft alle Fachanwendungen.",
            Language::De,
            "E3"
        ));
        assert!(!has(
            "Bargeld und Überweisungen sind nicht betroffen.",
            Language::De,
            "E3"
        ));
        assert!(!has(
            "Im Protokoll steht nur eine Zeile.",
            Language::De,
            "E3"
        ));
    }

    #[test]
    fn e4_action_en() {
        assert!(has(
            "Engineers are restoring the database from last night's backup.",
            Language::En,
            "E4"
        ));
        assert!(has("We have rolled back the release.", Language::En, "E4"));
        assert!(!has(
            "We are aware that some users cannot sign in.",
            Language::En,
            "E4"
        ));
        assert!(!has("This incident is now closed.", Language::En, "E4"));
    }

    #[test]
    fn e4_action_de() {
        assert!(has(
            "Unser Team analysiert die Lage mit Hochdruck.",
            Language::De,
            "E4"
        ));
        assert!(has(
            "Die Kasse wurde neu gestartet und das Update zurückgerollt.",
            Language::De,
            "E4"
        ));
        assert!(!has(
            "Der Servicedesk hat Kenntnis von dem Problem.",
            Language::De,
            "E4"
        ));
        assert!(!has(
            "Bitte schliessen Sie das Programm und starten Sie es neu.",
            Language::De,
            "E4"
        ));
    }

    #[test]
    fn e6_workaround_en() {
        assert!(has("Contactless payments still work.", Language::En, "E6"));
        assert!(has(
            "In the meantime, please use the web version.",
            Language::En,
            "E6"
        ));
        assert!(has(
            "If the page does not load, restart your browser.",
            Language::En,
            "E6"
        ));
        assert!(!has("Do not restart your laptop.", Language::En, "E6"));
        assert!(!has("We are working on a fix.", Language::En, "E6"));
        assert!(!has(
            "Bank transfers are working again.",
            Language::En,
            "E6"
        ));
        assert!(!has("Do try again later on.", Language::En, "E6"));
    }

    #[test]
    fn e6_workaround_de() {
        assert!(has("Barzahlung ist weiterhin möglich.", Language::De, "E6"));
        assert!(has(
            "Wenn die App hängt: schliessen und neu starten.",
            Language::De,
            "E6"
        ));
        assert!(has(
            "Alle gebuchten Termine bleiben gültig.",
            Language::De,
            "E6"
        ));
        assert!(!has(
            "Bitte die Geräte NICHT neu starten.",
            Language::De,
            "E6"
        ));
        assert!(!has("Wir arbeiten an einer Lösung.", Language::De, "E6"));
        assert!(!has(
            "Wir verfolgen die Lage aufmerksam.",
            Language::De,
            "E6"
        ));
    }

    #[test]
    fn e7_help_en() {
        assert!(has(
            "Questions? Call the service desk on ext. 2210.",
            Language::En,
            "E7"
        ));
        assert!(has(
            "Loan laptops are handed out in room 1.05.",
            Language::En,
            "E7"
        ));
        assert!(has(
            "Locked accounts can be unlocked by the front office.",
            Language::En,
            "E7"
        ));
        assert!(!has(
            "Please order at shop.example.com for now.",
            Language::En,
            "E7"
        ));
        assert!(!has(
            "Case 55102 has been opened with the vendor.",
            Language::En,
            "E7"
        ));
    }

    #[test]
    fn e7_help_de() {
        assert!(has(
            "Bei Fragen: Informatik-Hotline, Tel. 3300.",
            Language::De,
            "E7"
        ));
        assert!(has(
            "Schäden bitte melden unter 0800 123 456.",
            Language::De,
            "E7"
        ));
        assert!(has("Ersatzgeräte gibt es in Raum B12.", Language::De, "E7"));
        assert!(!has(
            "Ein Ticket beim Hersteller ist eröffnet (Nr. 7731).",
            Language::De,
            "E7"
        ));
        assert!(!has(
            "Der Bericht erscheint am Freitag.",
            Language::De,
            "E7"
        ));
    }

    #[test]
    fn e8_start_times_but_not_end_times() {
        assert!(has(
            "The website has been unavailable since 07:40.",
            Language::En,
            "E8"
        ));
        assert!(has(
            "Between 13:05 and 13:50 UTC payments failed.",
            Language::En,
            "E8"
        ));
        assert!(!has(
            "Logins have been working normally since 16:10.",
            Language::En,
            "E8"
        ));
        assert!(has(
            "Seit 6.30 Uhr ist das Intranet nicht erreichbar.",
            Language::De,
            "E8"
        ));
        assert!(has(
            "Der Ausfall dauerte von 9.15 bis 10.40 Uhr.",
            Language::De,
            "E8"
        ));
        assert!(!has(
            "Die Kartenzahlung läuft seit 12:25 Uhr wieder.",
            Language::De,
            "E8"
        ));
    }

    #[test]
    fn e9_data_statements() {
        assert!(has("No customer data was lost.", Language::En, "E9"));
        assert!(has("Nobody was charged twice.", Language::En, "E9"));
        assert!(!has(
            "Uploads stay switched off until saving works reliably.",
            Language::En,
            "E9"
        ));
        assert!(has(
            "Bei dem Ausfall gingen keine Daten verloren.",
            Language::De,
            "E9"
        ));
        assert!(has(
            "Keine Zahlung wurde doppelt belastet.",
            Language::De,
            "E9"
        ));
        assert!(!has(
            "Die Abgaben werden als rechtzeitig gewertet.",
            Language::De,
            "E9"
        ));
    }

    #[test]
    fn e10_cause_en() {
        assert!(has(
            "The outage was caused by an expired certificate.",
            Language::En,
            "E10"
        ));
        assert!(has(
            "After last night's upgrade the login service keeps crashing.",
            Language::En,
            "E10"
        ));
        assert!(has(
            "There is an outage at our payment provider.",
            Language::En,
            "E10"
        ));
        assert!(has(
            "We are adding a second line so that this cannot recur.",
            Language::En,
            "E10"
        ));
        assert!(!has("We do not yet know the cause.", Language::En, "E10"));
        assert!(!has(
            "The hotline is down due to a technical problem.",
            Language::En,
            "E10"
        ));
        assert!(!has(
            "Sorry for the inconvenience caused.",
            Language::En,
            "E10"
        ));
        assert!(!has(
            "We have put 50 more people on the phones.",
            Language::En,
            "E10"
        ));
    }

    #[test]
    fn e10_cause_de() {
        assert!(has(
            "Ursache war ein defekter Switch im Rechenzentrum.",
            Language::De,
            "E10"
        ));
        assert!(has(
            "Grund ist eine Störung bei unserem Hosting-Anbieter.",
            Language::De,
            "E10"
        ));
        assert!(has(
            "Nach der Wartung am Wochenende startet der Server nicht mehr.",
            Language::De,
            "E10"
        ));
        assert!(has(
            "Vermutlich ist ein abgelaufenes Zertifikat schuld, das prüfen wir noch.",
            Language::De,
            "E10"
        ));
        assert!(!has("Die Ursache ist noch unklar.", Language::De, "E10"));
        assert!(!has(
            "Wegen einer Störung ist das Portal nicht erreichbar.",
            Language::De,
            "E10"
        ));
        assert!(!has(
            "Die Ursache folgt im Abschlussbericht.",
            Language::De,
            "E10"
        ));
    }
}
