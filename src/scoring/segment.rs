//! Sentences and words as SCORING §2 counts them: Unicode sentence and word boundaries (UAX #29)
//! with the corrections readability needs. A sentence does not end after an abbreviation
//! ("z. B.", "ca.", "e.g."), a line break always ends one, short sentences ("Need help?") are
//! kept, hyphenated compounds ("E-Mail-System") are one word, and URLs, e-mail addresses, phone
//! numbers, clock times and @handles are not prose.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

/// A part of the text that is read out, not read as prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonProseKind {
    Url,
    Email,
    Phone,
    ClockTime,
    Handle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonProse {
    pub start: usize,
    pub end: usize,
    pub kind: NonProseKind,
}

/// One word of prose; `start..end` are byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
}

impl Word {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// One sentence; `words` indexes [`Segmentation::words`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub words: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Sentences that contain at least one word of prose.
    pub sentences: Vec<Sentence>,
    pub words: Vec<Word>,
    pub non_prose: Vec<NonProse>,
    /// Every sentence span, also lines without prose, covering the text (for co-occurrence).
    pub clauses: Vec<(usize, usize)>,
}

/// Words after which a full stop does not end the sentence (compared in lower case, without the
/// final dot). Single letters ("z. B.", "H.") are handled separately.
const ABBREVIATIONS: &[&str] = &[
    "abs", "abt", "approx", "bspw", "bzgl", "bzw", "ca", "co", "dept", "dr", "d.h", "e.g", "etc",
    "evtl", "ext", "fr", "ggf", "hr", "i.e", "inkl", "insb", "jr", "min", "mio", "mr", "mrd",
    "mrs", "ms", "nr", "no", "prof", "resp", "sog", "st", "std", "str", "tel", "u.a", "usw", "vgl",
    "vs", "z.b", "zb", "zzgl",
];

const MONTHS: &[&str] = &[
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
];

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:https?://|www\.)[^\s<>]+|(?-u:\b)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|org|net|edu|gov|io|de|ch|at|uk|eu|info|app|dev|ly)(?-u:\b)(?:/[^\s<>]*)?",
    )
    .expect("URL pattern is valid")
});

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").expect("e-mail pattern is valid"));

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\d{1,3}[ .-]?|\(\d{2,5}\)[ .-]?)?\d{1,5}(?:[ ./-]\d{2,5}){1,4}")
        .expect("phone pattern is valid")
});

static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)\d{1,2}[:.]\d{2}(?-u:\b)(?:\s?(?:a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b)|uhr(?-u:\b)|h(?-u:\b)))?|(?-u:\b)\d{1,2}\s?(?:a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b)|uhr(?-u:\b))",
    )
    .expect("clock pattern is valid")
});

static HANDLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(@\w+)").expect("handle pattern is valid"));

/// The non-prose spans of `text`, sorted and without overlaps (the earlier, longer one wins).
pub fn non_prose_spans(text: &str) -> Vec<NonProse> {
    let mut found: Vec<NonProse> = Vec::new();
    let trim_end = |text: &str, start: usize, mut end: usize| {
        while end > start
            && text[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', '»', '“', '”', '"', '\''])
        {
            end -= text[..end].chars().next_back().map_or(1, char::len_utf8);
        }
        end
    };
    for m in EMAIL.find_iter(text) {
        found.push(NonProse {
            start: m.start(),
            end: trim_end(text, m.start(), m.end()),
            kind: NonProseKind::Email,
        });
    }
    for m in URL.find_iter(text) {
        found.push(NonProse {
            start: m.start(),
            end: trim_end(text, m.start(), m.end()),
            kind: NonProseKind::Url,
        });
    }
    for m in CLOCK.find_iter(text) {
        found.push(NonProse {
            start: m.start(),
            end: m.end(),
            kind: NonProseKind::ClockTime,
        });
    }
    for m in PHONE.find_iter(text) {
        let s = m.as_str();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        // Short digit groups are counts, dates, times or case numbers ("2024-88713"); a number
        // to dial has enough digits and starts like one: +41, (555), 0848, 1-888.
        let dialled = s.starts_with(['+', '(', '0']) || s.starts_with("1-") || s.starts_with("1 ");
        if digits >= 7 && dialled {
            found.push(NonProse {
                start: m.start(),
                end: m.end(),
                kind: NonProseKind::Phone,
            });
        }
    }
    for c in HANDLE.captures_iter(text) {
        if let Some(m) = c.get(1) {
            found.push(NonProse {
                start: m.start(),
                end: m.end(),
                kind: NonProseKind::Handle,
            });
        }
    }
    found.sort_by_key(|n| (n.start, std::cmp::Reverse(n.end)));
    let mut out: Vec<NonProse> = Vec::with_capacity(found.len());
    for n in found {
        if out.last().is_none_or(|last| n.start >= last.end) {
            out.push(n);
        }
    }
    out
}

/// Splits `text` into sentences and words of prose.
pub fn segment(text: &str) -> Segmentation {
    let non_prose = non_prose_spans(text);
    let clauses = sentence_spans(text);
    let mut sentences = Vec::with_capacity(clauses.len());
    let mut words = Vec::new();
    for &(start, end) in &clauses {
        let first = words.len();
        push_words(text, start, end, &non_prose, &mut words);
        if words.len() > first {
            sentences.push(Sentence {
                start,
                end,
                words: first..words.len(),
            });
        }
    }
    Segmentation {
        sentences,
        words,
        non_prose,
        clauses,
    }
}

/// UAX #29 sentences, re-joined where a full stop closes an abbreviation or a German ordinal
/// before a month ("am 14. Januar"), and cut at every line break.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut join_next = false;
    for (start, piece) in text.split_sentence_bound_indices() {
        let end = start + piece.len();
        match spans.last_mut() {
            Some(last) if join_next => last.1 = end,
            _ => spans.push((start, end)),
        }
        join_next = !piece.ends_with(['\n', '\r', '\u{2029}', '\u{85}'])
            && ends_with_abbreviation(piece.trim_end(), &text[end..]);
    }
    spans
}

fn ends_with_abbreviation(piece: &str, rest: &str) -> bool {
    let Some(before_dot) = piece.strip_suffix('.') else {
        return false;
    };
    let last = before_dot
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '/')
        .next()
        .unwrap_or("");
    let lower = last.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let letters = last.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && last.chars().count() == 1 {
        return true;
    }
    if !last.is_empty() && last.len() <= 2 && last.chars().all(|c| c.is_ascii_digit()) {
        let next = rest
            .trim_start()
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_lowercase();
        return MONTHS.contains(&next.as_str());
    }
    false
}

/// Words of the sentence `start..end`: UAX #29 word segments with a letter or digit, joined
/// across hyphens without spaces, leaving out non-prose spans and bare numbers.
fn push_words(text: &str, start: usize, end: usize, non_prose: &[NonProse], out: &mut Vec<Word>) {
    let mut current: Option<Word> = None;
    let mut pending_hyphen = false;
    let flush = |w: Option<Word>, out: &mut Vec<Word>| {
        if let Some(w) = w {
            let word = &text[w.start..w.end];
            let inside_non_prose = non_prose.iter().any(|n| w.start < n.end && n.start < w.end);
            if !inside_non_prose && word.chars().any(char::is_alphabetic) {
                out.push(w);
            }
        }
    };
    for (offset, token) in text[start..end].split_word_bound_indices() {
        let token_start = start + offset;
        let token_end = token_start + token.len();
        let is_word = token.chars().any(char::is_alphanumeric);
        if is_word {
            match current.as_mut() {
                Some(w) if pending_hyphen && w.end + hyphen_len(text, w.end) == token_start => {
                    w.end = token_end;
                }
                _ => {
                    flush(current.take(), out);
                    current = Some(Word {
                        start: token_start,
                        end: token_end,
                    });
                }
            }
            pending_hyphen = false;
        } else if is_hyphen(token) && current.is_some_and(|w| w.end == token_start) {
            pending_hyphen = true;
        } else {
            pending_hyphen = false;
            flush(current.take(), out);
        }
    }
    flush(current, out);
}

fn is_hyphen(token: &str) -> bool {
    matches!(token, "-" | "\u{2010}" | "\u{2011}")
}

fn hyphen_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        segment(text)
            .sentences
            .iter()
            .map(|s| text[s.start..s.end].trim())
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        segment(text).words.iter().map(|w| w.text(text)).collect()
    }

    #[test]
    fn no_sentence_break_after_german_abbreviations() {
        assert_eq!(
            sentences(
                "Bitte kommen Sie nur vorbei, wenn es eilt (z. B. bei Fristen). Alles andere erledigen wir per Post."
            ),
            vec![
                "Bitte kommen Sie nur vorbei, wenn es eilt (z. B. bei Fristen).",
                "Alles andere erledigen wir per Post."
            ]
        );
        assert_eq!(
            sentences(
                "Die Wartezeit beträgt ca. 20 Min. Danach bzw. später geht es ggf. schneller."
            ),
            vec!["Die Wartezeit beträgt ca. 20 Min. Danach bzw. später geht es ggf. schneller."]
        );
        assert_eq!(
            sentences("Am 14. Januar war die Plattform gestört. Nr. 5 ist betroffen."),
            vec![
                "Am 14. Januar war die Plattform gestört.",
                "Nr. 5 ist betroffen."
            ]
        );
    }

    #[test]
    fn no_sentence_break_after_english_abbreviations() {
        assert_eq!(
            sentences(
                "Phone the sender, e.g. for court papers. It takes approx. 40 min. That is all."
            ),
            vec![
                "Phone the sender, e.g. for court papers.",
                "It takes approx. 40 min. That is all."
            ]
        );
        assert_eq!(
            sentences("Ask Dr. Smith. Done."),
            vec!["Ask Dr. Smith.", "Done."]
        );
    }

    #[test]
    fn short_sentences_are_kept_and_line_breaks_split() {
        assert_eq!(
            sentences("Need help? Call us.\nAusfall Telefon-Anlage\n\nWir arbeiten daran"),
            vec![
                "Need help?",
                "Call us.",
                "Ausfall Telefon-Anlage",
                "Wir arbeiten daran"
            ]
        );
        // Lines without prose (a time, an emoji) are not sentences.
        assert_eq!(sentences("12:35\n🙏\nOk."), vec!["Ok."]);
    }

    #[test]
    fn hyphenated_compounds_are_one_word() {
        assert_eq!(
            words("Das E-Mail-System und die Mobile-Ticket-App sind gestört."),
            vec![
                "Das",
                "E-Mail-System",
                "und",
                "die",
                "Mobile-Ticket-App",
                "sind",
                "gestört"
            ]
        );
        assert_eq!(
            words("We're on it - don't worry"),
            vec!["We're", "on", "it", "don't", "worry"]
        );
    }

    #[test]
    fn urls_addresses_phones_and_times_are_not_prose() {
        assert_eq!(
            words(
                "Help: meetly.com/support or +44 20 7946 0321, helpdesk@ridgeway.edu at 14:15 BST."
            ),
            vec!["Help", "or", "at", "BST"]
        );
        assert_eq!(
            words("Seit 07.45 Uhr gestört, Tel. 0848 111 222, siehe https://status.example.ch/x."),
            vec!["Seit", "gestört", "Tel", "siehe"]
        );
        assert_eq!(words("@reto_zh Danke, 30 Kunden"), vec!["Danke", "Kunden"]);
        let kinds: Vec<NonProseKind> = non_prose_spans("at 2 p.m. call (555) 014-2200")
            .iter()
            .map(|n| n.kind)
            .collect();
        assert_eq!(kinds, vec![NonProseKind::ClockTime, NonProseKind::Phone]);
    }

    #[test]
    fn counts_and_dates_are_not_phone_numbers() {
        assert!(non_prose_spans("1.240 Anfragen, 3,000 visitors, 40 of 120 APs").is_empty());
    }
}
