//! Jargon for lay readers and management (SCORING §2, CODEBOOK): terms of the curated lexicon
//! with a plain replacement, code-like tokens (snake_case, host names, "HTTP 503", versions),
//! and for lay readers also unknown acronyms and German compounds of 20 letters or more. URLs,
//! addresses and the like are left out first. Technical readers get no jargon findings.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::CueSet;
use super::jargon_lexicon::{TERMS, Term, TermLanguage};
use super::labels::Readers;
use super::prepared::Prepared;
use crate::domain::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JargonKind {
    Lexicon,
    CodeLike,
    Acronym,
    LongCompound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JargonHit {
    pub start: usize,
    pub end: usize,
    pub kind: JargonKind,
    /// The lexicon entry when the term is in it.
    pub term: Option<usize>,
}

impl JargonHit {
    pub fn written<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    pub fn plain(&self) -> Option<&'static Term> {
        self.term.map(|i| &TERMS[i])
    }
}

/// Everyday acronyms a lay reader knows.
const ALLOWED_ACRONYMS: &[&str] = &[
    "EU", "IT", "PIN", "TAN", "FAQ", "PDF", "SMS", "PC", "PCS", "OK", "ID", "CEO", "CTO", "CIO",
    "CFO", "UTC", "GMT", "BST", "CET", "CEST", "MEZ", "MESZ", "ET", "PT", "EST", "PST", "DM",
    "FYI", "ASAP", "USA", "UK", "USB", "TV", "HR", "ATM", "IBAN", "CHF", "EUR", "USD", "GBP", "AG",
    "GMBH", "VIP", "PS", "WLAN", "WIFI", "VPN", "APP", "APPS", "URL", "AM", "PM", "QR", "LG",
    "MFG", "NB", "ETA", "SOS", "AHV", "MWST", "KFZ", "ÖV", "SBB", "ÖBB", "DB",
];

static LEXICON_EN: LazyLock<CueSet<usize>> = LazyLock::new(|| lexicon(Language::En));
static LEXICON_DE: LazyLock<CueSet<usize>> = LazyLock::new(|| lexicon(Language::De));

fn lexicon(language: Language) -> CueSet<usize> {
    let entries: Vec<(usize, &str)> = TERMS
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            matches!(
                (t.language, language),
                (TermLanguage::Both, _)
                    | (TermLanguage::En, Language::En)
                    | (TermLanguage::De, Language::De)
            )
        })
        .map(|(i, t)| (i, t.phrase))
        .collect();
    CueSet::new(&entries)
}

static CODE_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)[a-z0-9]+(?:_[a-z0-9]+)+(?-u:\b)              # snake_case
        | (?-u:\b)[A-Za-z]{1,5}\d+[a-z0-9]*(?-u:\b)            # P1, p99, dns01, filer02
        | (?-u:\b)v\d+(?:\.\d+)+(?-u:\b)                        # versions
        | (?-u:\b)[a-z]+-[a-z]+-\d(?-u:\b)                      # us-east-1
        | (?-u:\b)\d{3}ing(?-u:\b)                              # 503ing
        | (?-u:\b)HTTP\s?\d{3}(?-u:\b)                          # HTTP 503
        | (?-u:\b)(?:Fehler|error)\s[45]\d\d(?-u:\b)            # Fehler 500
        ",
    )
    .expect("code-like pattern is valid")
});

static ACRONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[A-Z][A-Z0-9]{1,6}s?(?-u:\b)").expect("acronym pattern is valid")
});

/// The jargon in the text for these readers, in order, without overlaps.
pub fn detect(text: &Prepared, readers: Readers, long_compound_letters: usize) -> Vec<JargonHit> {
    if readers == Readers::Technical {
        return Vec::new();
    }
    let mut found: Vec<JargonHit> = text
        .hits(&LEXICON_EN, &LEXICON_DE)
        .into_iter()
        .map(|h| JargonHit {
            start: h.start,
            end: h.end,
            kind: JargonKind::Lexicon,
            term: Some(h.label),
        })
        .collect();
    for m in CODE_LIKE.find_iter(text.text) {
        if stands_alone(text.text, m.start(), m.end()) && !text.in_non_prose(m.start(), m.end()) {
            found.push(JargonHit {
                start: m.start(),
                end: m.end(),
                kind: JargonKind::CodeLike,
                term: None,
            });
        }
    }
    if readers == Readers::Lay {
        found.extend(acronyms(text));
        if text.language == Language::De {
            found.extend(long_compounds(text, long_compound_letters));
        }
    }
    for hit in &mut found {
        widen_to_word(text, hit);
    }
    found.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out: Vec<JargonHit> = Vec::with_capacity(found.len());
    for hit in found {
        match out.last_mut() {
            Some(last) if hit.start < last.end => {
                // Keep the lexicon entry (it has a plain suggestion) over a bare pattern.
                if last.term.is_none() && hit.term.is_some() {
                    last.term = hit.term;
                    last.kind = JargonKind::Lexicon;
                }
                last.end = last.end.max(hit.end);
            }
            _ => out.push(hit),
        }
    }
    out
}

/// "SRE" in "SRE-Team", "Latenz" in "Latenz": the term as written is the whole word.
fn widen_to_word(text: &Prepared, hit: &mut JargonHit) {
    for w in &text.segmentation.words {
        if w.start <= hit.start && hit.start < w.end {
            hit.start = w.start;
        }
        if w.start < hit.end && hit.end <= w.end {
            hit.end = w.end;
        }
    }
}

fn acronyms(text: &Prepared) -> Vec<JargonHit> {
    let shouted = text
        .segmentation
        .words
        .iter()
        .filter(|w| {
            let word = w.text(text.text);
            word.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && word.chars().all(|c| !c.is_lowercase())
        })
        .count()
        >= 3;
    if shouted {
        return Vec::new();
    }
    ACRONYM
        .find_iter(text.text)
        .filter(|m| stands_alone(text.text, m.start(), m.end()))
        .filter(|m| !text.in_non_prose(m.start(), m.end()))
        .filter(|m| {
            let upper = m.as_str().to_uppercase();
            let bare = upper
                .strip_suffix('S')
                .filter(|b| b.len() >= 2)
                .unwrap_or(&upper);
            !ALLOWED_ACRONYMS.contains(&upper.as_str()) && !ALLOWED_ACRONYMS.contains(&bare)
        })
        // "(KIS)" after its long form is explained; "^KH" is a signature.
        .filter(|m| !text.text[..m.start()].ends_with(['(', '^']))
        // Capitals on an everyday English word are emphasis ("Orders ARE going through").
        .filter(|m| {
            text.language != Language::En
                || !super::syllables::is_english_word(&m.as_str().to_lowercase())
        })
        .filter(|m| m.as_str().chars().any(|c| c.is_alphabetic()))
        .map(|m| JargonHit {
            start: m.start(),
            end: m.end(),
            kind: JargonKind::Acronym,
            term: None,
        })
        .collect()
}

/// The patterns use ASCII word boundaries (fast on any text); a letter such as "ä" right
/// before or after still makes the match part of a longer word.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn long_compounds(text: &Prepared, letters: usize) -> Vec<JargonHit> {
    text.segmentation
        .words
        .iter()
        .filter(|w| {
            w.text(text.text)
                .split('-')
                .any(|segment| segment.chars().filter(|c| c.is_alphabetic()).count() >= letters)
        })
        .map(|w| JargonHit {
            start: w.start,
            end: w.end,
            kind: JargonKind::LongCompound,
            term: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, language: Language, readers: Readers) -> Vec<String> {
        let prepared = Prepared::new(text, language);
        detect(&prepared, readers, 20)
            .iter()
            .map(|h| h.written(text).to_string())
            .collect()
    }

    #[test]
    fn lexicon_terms_as_written_with_suggestions() {
        assert_eq!(
            terms(
                "Wir führen einen Rollback durch, mit erhöhter Latenz ist zu rechnen.",
                Language::De,
                Readers::Lay
            ),
            vec!["Rollback", "Latenz"]
        );
        assert_eq!(
            terms(
                "We are rolling back the deployment; expect increased latency.",
                Language::En,
                Readers::Lay
            ),
            vec!["rolling back", "deployment", "latency"]
        );
        let prepared = Prepared::new("Erhöhte Latenz", Language::De);
        let hit = &detect(&prepared, Readers::Lay, 20)[0];
        assert_eq!(hit.plain().map(|t| t.plain_de), Some("Verzögerung"));
    }

    #[test]
    fn code_like_tokens_and_http_codes() {
        assert_eq!(
            terms(
                "Some requests fail with HTTP 503 on vol_backup07.",
                Language::En,
                Readers::Management
            ),
            vec!["HTTP 503", "vol_backup07"]
        );
        assert_eq!(
            terms("Wir haben einen P1.", Language::De, Readers::Management),
            vec!["P1"]
        );
    }

    #[test]
    fn acronyms_and_long_compounds_for_lay_readers_only() {
        assert_eq!(
            terms(
                "Das NOC-Team prüft die Zahlungsverkehrsschnittstellenkonfiguration.",
                Language::De,
                Readers::Lay
            ),
            vec!["NOC-Team", "Zahlungsverkehrsschnittstellenkonfiguration"]
        );
        assert_eq!(
            terms(
                "Die IT prüft das Personalverwaltungssystem (PVS).",
                Language::De,
                Readers::Management
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            terms(
                "Die IT-Abteilung und das WLAN, PIN und TAN",
                Language::De,
                Readers::Lay
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn capitals_inside_german_words_are_not_acronyms() {
        assert_eq!(
            terms(
                "Die ÖBB-Verbindung und ÜBERLASTUNG",
                Language::De,
                Readers::Lay
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            terms("Das ÄTR-Modul und SRE", Language::De, Readers::Lay),
            vec!["SRE"]
        );
    }

    #[test]
    fn nothing_for_technical_readers_and_nothing_in_urls_or_plain_words() {
        assert!(
            terms(
                "Rollback of the k8s cluster",
                Language::En,
                Readers::Technical
            )
            .is_empty()
        );
        assert!(
            terms(
                "See https://status.example.com/api-status",
                Language::En,
                Readers::Lay
            )
            .is_empty()
        );
        assert!(
            terms(
                "The server and the database are back; login works.",
                Language::En,
                Readers::Lay
            )
            .is_empty()
        );
        assert!(
            terms(
                "PLEASE DO NOT SWITCH OFF YOUR LAPTOP. WE ARE ON IT.",
                Language::En,
                Readers::Lay
            )
            .is_empty()
        );
    }
}
