//! Aspect tags of free-text answers (SCORING §4): what a comment is about — timeliness,
//! clarity, empathy, channel, workaround — found from English and German cue lists, each with
//! the span it rests on. One sentence can carry several aspects.
//!
//! A cue is one or more space-separated word patterns: `word` matches exactly, `word*` any word
//! starting with it, `*word` any word ending with it (German compounds: "Statusmails"), `*word*`
//! any word containing it.

use serde::{Deserialize, Serialize};

use super::language::detect_language;
use super::words::{Word, words};
use crate::domain::Language;

crate::text_enum!(
    /// What part of the communication a comment is about.
    Aspect {
        Timeliness = "timeliness",
        Clarity = "clarity",
        Empathy = "empathy",
        Channel = "channel",
        Workaround = "workaround",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AspectMention {
    pub aspect: Aspect,
    /// Byte offsets into the analysed text.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

struct AspectCues {
    aspect: Aspect,
    cues: &'static [&'static str],
    /// Words the cues would catch that mean something else ("Wartung" is not waiting).
    exceptions: &'static [&'static str],
}

const ENGLISH: &[AspectCues] = &[
    AspectCues {
        aspect: Aspect::Timeliness,
        cues: &[
            "late",
            "lateness",
            "slow*",
            "fast",
            "faster",
            "fastest",
            "quick*",
            "prompt*",
            "timely",
            "on time",
            "in time",
            "delay*",
            "wait*",
            "soon",
            "sooner",
            "immediate*",
            "instant*",
            "hour",
            "hours",
            "minute",
            "minutes",
            "early",
            "earlier",
            "speed*",
            "rapid*",
            "too long",
            "took ages",
            "right away",
            "frequent*",
            "regular*",
            "outdated",
            "silence",
            "next update",
            "finally",
        ],
        exceptions: &[],
    },
    AspectCues {
        aspect: Aspect::Clarity,
        cues: &[
            "clear*",
            "unclear",
            "confus*",
            "understand*",
            "misunderstand*",
            "jargon",
            "technical",
            "vague*",
            "precise*",
            "concise*",
            "plain language",
            "plain english",
            "complicated",
            "complex",
            "contradict*",
            "inconsistent",
            "detail*",
            "to the point",
            "accurate*",
            "inaccurate*",
            "mislead*",
            "explain*",
            "explanation*",
            "readable",
            "hard to follow",
            "easy to follow",
            "wording",
            "buried",
            "repetitive",
        ],
        exceptions: &["clearly"],
    },
    AspectCues {
        aspect: Aspect::Empathy,
        cues: &[
            "sorry",
            "apolog*",
            "empath*",
            "care",
            "cared",
            "caring",
            "kind",
            "kindly",
            "friendly",
            "unfriendly",
            "rude*",
            "polite*",
            "impolite*",
            "patient",
            "patience",
            "respect*",
            "disrespect*",
            "condescend*",
            "patroni*",
            "arrogant",
            "cold",
            "warm",
            "human",
            "real person",
            "sincere*",
            "insincere*",
            "generic",
            "template",
            "seriously",
            "ignored",
            "dismissive",
            "reassur*",
            "calm*",
            "inconvenience",
            "blam*",
            "responsibility",
            "concern*",
            "tone",
        ],
        exceptions: &[],
    },
    AspectCues {
        aspect: Aspect::Channel,
        cues: &[
            "e-mail*",
            "email*",
            "mail",
            "mails",
            "sms",
            "text message*",
            "hotline*",
            "phone*",
            "call",
            "called",
            "calls",
            "calling",
            "website*",
            "web site",
            "status page*",
            "statuspage",
            "app",
            "apps",
            "mobile app",
            "twitter",
            "social media",
            "facebook",
            "linkedin",
            "intranet",
            "newsletter*",
            "portal*",
            "banner*",
            "chat*",
            "slack",
            "notification*",
            "letter",
            "radio",
            "channel*",
            "meeting*",
            "briefing*",
            "in person",
        ],
        exceptions: &[],
    },
    AspectCues {
        aspect: Aspect::Workaround,
        cues: &[
            "workaround*",
            "work around",
            "work-around*",
            "alternative*",
            "backup",
            "fallback",
            "fall back",
            "in the meantime",
            "meanwhile",
            "temporary",
            "temporarily",
            "manual*",
            "offline",
            "old portal",
            "old system",
            "switch* to",
        ],
        exceptions: &[],
    },
];

const GERMAN: &[AspectCues] = &[
    AspectCues {
        aspect: Aspect::Timeliness,
        cues: &[
            "spät*",
            "*verspät*",
            "langsam*",
            "schnell*",
            "zügig*",
            "rasch*",
            "prompt*",
            "rechtzeitig*",
            "pünktlich*",
            "zeitnah*",
            "*verzöger*",
            "wart*",
            "*wartezeit*",
            "sofort*",
            "umgehend*",
            "stunde*",
            "*stündlich*",
            "stundenlang",
            "minute*",
            "früh*",
            "tempo",
            "geschwindigkeit",
            "regelmässig*",
            "zu lange",
            "ewig*",
            "funkstille",
            "veraltet*",
            "aktuell*",
            "endlich",
            "in kürze",
            "nächste update",
        ],
        exceptions: &["wartung*", "warteschleife*"],
    },
    AspectCues {
        aspect: Aspect::Clarity,
        cues: &[
            "klar*",
            "unklar*",
            "*verständlich*",
            "verwirr*",
            "versteh*",
            "verstand*",
            "verstanden",
            "*fachbegriff*",
            "fachchinesisch",
            "*jargon*",
            "technisch*",
            "vage*",
            "schwammig*",
            "präzis*",
            "kompliziert*",
            "einfache sprache",
            "einfach zu verstehen",
            "*widersprüch*",
            "widersprach*",
            "widersprochen",
            "detail*",
            "auf den punkt",
            "irreführend*",
            "erklär*",
            "nachvollziehbar*",
            "übersichtlich*",
            "unübersichtlich*",
            "missverständ*",
            "eindeutig*",
            "nichtssagend*",
            "verwirrend*",
        ],
        exceptions: &[],
    },
    AspectCues {
        aspect: Aspect::Empathy,
        cues: &[
            "entschuldig*",
            "bedauer*",
            "empath*",
            "einfühlsam*",
            "verständnisvoll*",
            "mitgefühl*",
            "freundlich*",
            "unfreundlich*",
            "höflich*",
            "unhöflich*",
            "geduld*",
            "respekt*",
            "herablassend*",
            "arrogant*",
            "kalt*",
            "menschlich*",
            "echten menschen",
            "aufrichtig*",
            "floskel*",
            "textbaustein*",
            "ernst genommen",
            "ignoriert*",
            "beruhig*",
            "ruhig*",
            "verständnis",
            "schuld*",
            "verantwortung*",
            "nett*",
            "abgewimmelt*",
            "tut uns leid",
            "tut mir leid",
            "ton",
            "im stich",
        ],
        exceptions: &[],
    },
    AspectCues {
        aspect: Aspect::Channel,
        cues: &[
            "*mail",
            "*mails",
            "e-mail*",
            "*sms",
            "*hotline*",
            "*telefon*",
            "anruf*",
            "anrufen",
            "angerufen",
            "rückruf*",
            "zurückgerufen",
            "*website*",
            "*webseite*",
            "*statusseite*",
            "app",
            "apps",
            "twitter",
            "soziale medien",
            "social media",
            "facebook",
            "linkedin",
            "intranet*",
            "newsletter*",
            "*portal*",
            "banner*",
            "chat*",
            "push*",
            "*benachrichtigung*",
            "brief",
            "briefe",
            "briefing*",
            "radio",
            "kanal*",
            "kanäle*",
            "persönlich",
            "sitzung*",
            "*meeting*",
            "warteschleife*",
        ],
        exceptions: &[],
    },
    AspectCues {
        aspect: Aspect::Workaround,
        cues: &[
            "*umgehung*",
            "workaround*",
            "alternativ*",
            "ersatz*",
            "notlösung*",
            "notfall*",
            "in der zwischenzeit",
            "zwischenzeitlich",
            "übergangs*",
            "vorübergehend*",
            "provisori*",
            "manuell*",
            "offline",
            "alte portal",
            "alten portal",
            "altes portal",
            "behelf*",
            "stattdessen",
            "ausweich*",
        ],
        exceptions: &[],
    },
];

/// Aspect mentions of `text` in the language the detector finds.
pub fn tag_aspects(text: &str) -> Vec<AspectMention> {
    tag_aspects_in(text, detect_language(text))
}

/// Aspect mentions of `text` read as `language`, in text order; a longer cue wins over a
/// shorter one of the same aspect on the same words.
pub fn tag_aspects_in(text: &str, language: Language) -> Vec<AspectMention> {
    let lists = match language {
        Language::En => ENGLISH,
        Language::De => GERMAN,
    };
    let words = words(text);
    let mut mentions: Vec<AspectMention> = Vec::new();
    for list in lists {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for cue in list.cues {
            let patterns: Vec<&str> = cue.split(' ').collect();
            for first in 0..words.len() {
                if let Some(last) = match_at(&words, first, &patterns, list.exceptions) {
                    found.push((first, last));
                }
            }
        }
        found.sort_by_key(|&(first, last)| (first, std::cmp::Reverse(last)));
        let mut covered_until: Option<usize> = None;
        for (first, last) in found {
            if covered_until.is_some_and(|end| first <= end) {
                continue;
            }
            covered_until = Some(last);
            let (start, end) = (words[first].start, words[last].end);
            mentions.push(AspectMention {
                aspect: list.aspect,
                start,
                end,
                text: text[start..end].to_string(),
            });
        }
    }
    mentions.sort_by_key(|m| (m.start, m.aspect));
    mentions
}

/// The distinct aspects of some mentions, in the order of `Aspect::ALL`.
pub fn distinct_aspects(mentions: &[AspectMention]) -> Vec<Aspect> {
    Aspect::ALL
        .iter()
        .copied()
        .filter(|aspect| mentions.iter().any(|m| m.aspect == *aspect))
        .collect()
}

fn match_at(words: &[Word], first: usize, patterns: &[&str], exceptions: &[&str]) -> Option<usize> {
    let last = first + patterns.len() - 1;
    let window = words.get(first..=last)?;
    let phrase_holds = window.iter().skip(1).all(|w| !w.after_break);
    let all_match = window
        .iter()
        .zip(patterns)
        .all(|(word, pattern)| matches(&word.lower, pattern));
    let excepted = window
        .iter()
        .any(|word| exceptions.iter().any(|e| matches(&word.lower, e)));
    (phrase_holds && all_match && !excepted).then_some(last)
}

fn matches(word: &str, pattern: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(rest), Some(_)) => word.contains(rest.trim_end_matches('*')),
        (Some(suffix), None) => word.ends_with(suffix),
        (None, Some(prefix)) => word.starts_with(prefix),
        (None, None) => word == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str, language: Language) -> Vec<(Aspect, &str)> {
        let mentions = tag_aspects_in(text, language);
        mentions
            .iter()
            .map(|m| (m.aspect, &text[m.start..m.end]))
            .collect()
    }

    #[test]
    fn english_sentence_with_several_aspects() {
        assert_eq!(
            tags(
                "The e-mail came late and was full of jargon, but the hotline staff were friendly.",
                Language::En
            ),
            [
                (Aspect::Channel, "e-mail"),
                (Aspect::Timeliness, "late"),
                (Aspect::Clarity, "jargon"),
                (Aspect::Channel, "hotline"),
                (Aspect::Empathy, "friendly"),
            ]
        );
    }

    #[test]
    fn english_phrases_win_over_their_words() {
        assert_eq!(
            tags("We used the old portal in the meantime.", Language::En),
            [
                (Aspect::Workaround, "old portal"),
                (Aspect::Channel, "portal"),
                (Aspect::Workaround, "in the meantime"),
            ]
        );
        // a phrase does not run across punctuation
        assert_eq!(
            tags("It was old. Portal down.", Language::En),
            [(Aspect::Channel, "Portal")]
        );
    }

    #[test]
    fn german_compounds_and_exceptions() {
        assert_eq!(
            tags(
                "Die Statusmails kamen verspätet, die Umgehungslösung war unverständlich.",
                Language::De
            ),
            [
                (Aspect::Channel, "Statusmails"),
                (Aspect::Timeliness, "verspätet"),
                (Aspect::Workaround, "Umgehungslösung"),
                (Aspect::Clarity, "unverständlich"),
            ]
        );
        assert_eq!(
            tags("Wartungsarbeiten am Wochenende.", Language::De),
            Vec::<(Aspect, &str)>::new()
        );
        assert_eq!(
            tags("Ich hing in der Warteschleife.", Language::De),
            [(Aspect::Channel, "Warteschleife")]
        );
    }

    #[test]
    fn german_empathy_and_clarity() {
        assert_eq!(
            tags(
                "Keine Entschuldigung, nur Floskeln und Fachchinesisch.",
                Language::De
            ),
            [
                (Aspect::Empathy, "Entschuldigung"),
                (Aspect::Empathy, "Floskeln"),
                (Aspect::Clarity, "Fachchinesisch"),
            ]
        );
    }

    #[test]
    fn distinct_aspects_in_canonical_order() {
        let mentions = tag_aspects("Die Hotline war langsam, die Hotline war unfreundlich.");
        assert_eq!(
            distinct_aspects(&mentions),
            [Aspect::Timeliness, Aspect::Empathy, Aspect::Channel]
        );
        assert!(tag_aspects("Keine Angabe.").is_empty());
    }

    #[test]
    fn patterns() {
        assert!(matches("statusmails", "*mails"));
        assert!(matches("umgehungslösung", "*umgehung*"));
        assert!(matches("verspätet", "*verspät*"));
        assert!(matches("slowly", "slow*"));
        assert!(!matches("slow", "slowly"));
    }
}
