//! Which language a text is written in: German or English, the two Debrief reads and writes.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::domain::Language;

const GERMAN_WORDS: &[&str] = &[
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "und",
    "ist",
    "sind",
    "nicht",
    "wir",
    "sie",
    "ihr",
    "ihre",
    "ihnen",
    "wird",
    "werden",
    "wurde",
    "wurden",
    "bei",
    "mit",
    "für",
    "auf",
    "aus",
    "von",
    "vom",
    "zum",
    "zur",
    "zu",
    "ein",
    "eine",
    "einer",
    "eines",
    "einem",
    "einen",
    "kein",
    "keine",
    "noch",
    "auch",
    "nur",
    "oder",
    "aber",
    "wie",
    "nach",
    "über",
    "bis",
    "seit",
    "uhr",
    "sich",
    "dass",
    "durch",
    "unser",
    "unsere",
    "unseren",
    "haben",
    "hat",
    "sein",
    "kann",
    "können",
    "es",
    "im",
    "um",
    "bitte",
    "bereits",
    "derzeit",
    "aktuell",
    "wieder",
    "störung",
    "wartung",
    "ausfall",
    "dienst",
    "dienste",
    "erreichbar",
    "verfügbar",
    "behoben",
    "arbeiten",
    "informationen",
    "hinweis",
    "betroffen",
];

const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "is",
    "are",
    "was",
    "were",
    "we",
    "you",
    "our",
    "your",
    "will",
    "be",
    "been",
    "with",
    "for",
    "on",
    "of",
    "to",
    "this",
    "that",
    "these",
    "has",
    "have",
    "had",
    "it",
    "its",
    "at",
    "by",
    "from",
    "not",
    "all",
    "some",
    "currently",
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "issue",
    "issues",
    "users",
    "customers",
    "working",
    "fix",
    "degraded",
    "performance",
    "error",
    "errors",
    "affected",
    "operating",
    "normally",
    "continue",
    "continuing",
    "experiencing",
    "elevated",
    "rates",
    "there",
    "which",
    "after",
    "they",
    "their",
    "may",
    "more",
    "any",
    "due",
    "outage",
    "available",
    "unavailable",
];

/// German or English, from stop words and German letters. Short texts ("LernSax ist nicht
/// verfügbar.") carry few cues, so each cue counts; when the cues do not favour German the
/// answer is English, the language of most status pages.
pub fn detect_language(text: &str) -> Language {
    detect_language_or(text, Language::En)
}

/// Like `detect_language`, but `fallback` (e.g. the language of the whole incident) when the
/// text has no cue either way ("Testbetrieb", "12:35") or as many of each.
pub fn detect_language_or(text: &str, fallback: Language) -> Language {
    let (german, english) = language_cues(text);
    match german.cmp(&english) {
        std::cmp::Ordering::Greater => Language::De,
        std::cmp::Ordering::Less => Language::En,
        std::cmp::Ordering::Equal => fallback,
    }
}

/// The cue words as sets: every imported message passes through here, and a linear scan of the
/// lists was a seventh of a large import's time.
struct Cues {
    german: HashSet<&'static str>,
    english: HashSet<&'static str>,
    longest: usize,
}

static CUES: LazyLock<Cues> = LazyLock::new(|| Cues {
    german: GERMAN_WORDS.iter().copied().collect(),
    english: ENGLISH_WORDS.iter().copied().collect(),
    longest: GERMAN_WORDS
        .iter()
        .chain(ENGLISH_WORDS)
        .map(|w| w.len())
        .max()
        .unwrap_or(0),
});

/// Counts of German and English cues: stop words, and words with German letters.
fn language_cues(text: &str) -> (usize, usize) {
    let cues = &*CUES;
    let mut german = 0usize;
    let mut english = 0usize;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        if word.contains(['ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü', 'ẞ']) {
            german += 1;
        }
        if word.len() > cues.longest {
            continue;
        }
        let lower = word.to_lowercase();
        if cues.german.contains(lower.as_str()) {
            german += 1;
        }
        if cues.english.contains(lower.as_str()) {
            english += 1;
        }
    }
    (german, english)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_german_and_english_status_texts() {
        assert_eq!(
            detect_language(
                "Wir arbeiten bereits mit Hochdruck an der Beseitigung der Störung und bitten um Ihr Verständnis."
            ),
            Language::De
        );
        assert_eq!(
            detect_language("LernSax ist nicht verfügbar."),
            Language::De
        );
        assert_eq!(detect_language("Störung"), Language::De);
        assert_eq!(
            detect_language(
                "We are investigating reports of degraded performance for Git Operations."
            ),
            Language::En
        );
        assert_eq!(
            detect_language("This incident has been resolved."),
            Language::En
        );
        assert_eq!(detect_language(""), Language::En);
        assert_eq!(detect_language("Testbetrieb"), Language::En);
        assert_eq!(detect_language("12:35 — 42"), Language::En);
        assert_eq!(
            detect_language_or("Testbetrieb", Language::De),
            Language::De
        );
        assert_eq!(
            detect_language_or("Die Störung", Language::En),
            Language::De
        );
        assert_eq!(detect_language_or("the outage", Language::De), Language::En);
    }
}
