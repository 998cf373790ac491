//! E2: which services of the organisation's catalogue a message names, by any alias, in any
//! inflection or compound ("E-Mail-System", "Kundenportals", "Postfachdatenbanken"), but not
//! inside a host name ("app.example.com") and not a common word that happens to be an alias
//! ("our teams", "Teams continue to work").

use super::cues::{CueSet, Folded};
use super::prepared::Prepared;
use super::syllables;
use crate::domain::ServiceEntry;
use crate::domain::service::default_catalogue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AliasRef {
    service: usize,
    /// Capitalised alias that is also an everyday English word ("Teams", "Outlook", "Slack").
    common_word: bool,
}

/// The catalogue compiled for matching; build it once and reuse it for every message.
pub struct ServiceCatalogue {
    entries: Vec<ServiceEntry>,
    matcher: CueSet<AliasRef>,
}

/// A service named in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceMention {
    pub service: usize,
    pub start: usize,
    pub end: usize,
}

const DETERMINERS: &[&str] = &[
    "our", "the", "all", "your", "their", "these", "those", "two", "both", "unsere", "unser",
    "unseren", "die", "den", "der", "alle", "allen", "ihre", "eure", "beide",
];

impl Default for ServiceCatalogue {
    fn default() -> Self {
        Self::new(default_catalogue())
    }
}

impl ServiceCatalogue {
    pub fn new(entries: Vec<ServiceEntry>) -> Self {
        let mut phrases: Vec<(AliasRef, String)> = Vec::new();
        for (service, entry) in entries.iter().enumerate() {
            for spelling in entry.spellings() {
                let spelling = spelling.trim();
                let letters = spelling.chars().filter(|c| c.is_alphabetic()).count();
                if letters == 0 {
                    continue;
                }
                let capitalised = spelling.chars().any(char::is_uppercase);
                let lower = spelling.to_lowercase();
                let alias = AliasRef {
                    service,
                    common_word: capitalised && syllables::is_english_word(&lower),
                };
                let exact = if capitalised { "=" } else { "" };
                // Longer names also begin compounds and take endings ("Kundenportals",
                // "E-Mail-System", "emails"); short ones only as whole words and plurals.
                if letters >= 4 {
                    phrases.push((alias, format!("{exact}{spelling}*")));
                } else {
                    phrases.push((alias, format!("{exact}{spelling}")));
                    phrases.push((alias, format!("{exact}{spelling}s")));
                }
            }
        }
        let entries_for_set: Vec<(AliasRef, &str)> =
            phrases.iter().map(|(a, p)| (*a, p.as_str())).collect();
        Self {
            matcher: CueSet::new(&entries_for_set),
            entries,
        }
    }

    pub fn entries(&self) -> &[ServiceEntry] {
        &self.entries
    }

    /// Every service mention in the prepared text, in order of position.
    pub fn mentions(&self, text: &Prepared) -> Vec<ServiceMention> {
        self.find(&text.folded)
            .into_iter()
            .filter(|m| !text.in_non_prose(m.0.start, m.0.end))
            .filter(|(m, common)| !common || !reads_as_common_word(text, m.start))
            .map(|(m, _)| m)
            .collect()
    }

    fn find(&self, folded: &Folded) -> Vec<(ServiceMention, bool)> {
        self.matcher
            .find(folded)
            .into_iter()
            .map(|h| {
                (
                    ServiceMention {
                        service: h.label.service,
                        start: h.start,
                        end: h.end,
                    },
                    h.label.common_word,
                )
            })
            .collect()
    }
}

/// "our Teams", "die Teams", or an English sentence that starts with the word: capitals that
/// say nothing about a product name.
fn reads_as_common_word(text: &Prepared, at: usize) -> bool {
    let before = text.text[..at].trim_end();
    let previous = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if DETERMINERS.contains(&previous.as_str()) && before.ends_with(|c: char| c.is_alphanumeric()) {
        return true;
    }
    let clause_start = text
        .segmentation
        .clauses
        .get(text.clause_of(at))
        .map_or(0, |c| c.0);
    let at_sentence_start = text.text[clause_start..at]
        .chars()
        .all(|c| !c.is_alphanumeric());
    at_sentence_start && text.language == crate::domain::Language::En
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    fn named(text: &str, language: Language) -> Vec<String> {
        let catalogue = ServiceCatalogue::default();
        let prepared = Prepared::new(text, language);
        let mut names: Vec<String> = catalogue
            .mentions(&prepared)
            .iter()
            .map(|m| catalogue.entries()[m.service].name.clone())
            .collect();
        names.dedup();
        names
    }

    #[test]
    fn german_compounds_and_inflections() {
        assert_eq!(
            named("Wartung am E-Mail-System", Language::De),
            vec!["E-Mail"]
        );
        assert_eq!(
            named("Der Login unseres Kundenportals klemmt.", Language::De),
            vec!["Customer portal"]
        );
        assert_eq!(
            named("Sicherung der Postfachdatenbanken", Language::De),
            vec!["E-Mail"]
        );
        assert_eq!(
            named("Die Mobile-Ticket-App und das WLAN", Language::De),
            vec!["Mobile app", "Wi-Fi"]
        );
    }

    #[test]
    fn english_aliases_and_plurals() {
        assert_eq!(
            named("Checkout on our website and apps", Language::En),
            vec!["Website", "Mobile app"]
        );
        assert_eq!(
            named("External emails aren't arriving", Language::En),
            vec!["E-Mail"]
        );
    }

    #[test]
    fn host_names_and_common_words_are_not_services() {
        assert!(named("Lookups fail for app.shopwise.io", Language::En).is_empty());
        assert!(named("Teams are working through the night.", Language::En).is_empty());
        assert!(named("Ein Dank an unsere Teams in den Filialen", Language::De).is_empty());
        assert!(named("ALL DEPARTMENT APPLICATIONS ARE DOWN", Language::En).is_empty());
        assert_eq!(
            named("Teams funktioniert wieder.", Language::De),
            vec!["Chat"]
        );
        assert_eq!(
            named("Kurze Info: Teams ist gestört", Language::De),
            vec!["Chat"]
        );
        assert_eq!(
            named("We use Microsoft Teams daily", Language::En),
            vec!["Chat"]
        );
    }
}
