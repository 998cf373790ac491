//! Syllables per word (SCORING §2). English: the CMU Pronouncing Dictionary (BSD, compacted to
//! word → syllables by scripts/compact_cmudict.py), else a rule-based estimate. German: vowel
//! groups counted inside each hyphenation segment, with English loanwords ("Update", "Online")
//! counted as they are spoken. Acronyms count one syllable per letter in both languages.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::domain::Language;

static CMU_SYLLABLES: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    include_str!("lexicon/cmudict-syllables.txt")
        .lines()
        .filter_map(|line| {
            let (word, count) = line.split_once(' ')?;
            Some((word, count.parse().ok()?))
        })
        .collect()
});

/// Whether `word` (lower case) is an English dictionary word, e.g. to tell the product "Teams"
/// from the common noun.
pub fn is_english_word(word: &str) -> bool {
    CMU_SYLLABLES.contains_key(word)
}

/// German-written English loanwords and how many syllables they are spoken with. Matched as a
/// whole segment, as the start ("Updatezeit") or as the end ("Kundenservice") of a segment.
const GERMAN_LOANWORDS: &[(&str, u32)] = &[
    ("account", 2),
    ("cache", 1),
    ("cloud", 1),
    ("code", 1),
    ("deadline", 2),
    ("device", 2),
    ("download", 2),
    ("firewall", 2),
    ("hardware", 2),
    ("home", 1),
    ("homeoffice", 3),
    ("homepage", 2),
    ("interface", 3),
    ("livestream", 2),
    ("notebook", 2),
    ("office", 2),
    ("online", 2),
    ("phone", 1),
    ("release", 2),
    ("router", 2),
    ("service", 2),
    ("sharepoint", 2),
    ("smartphone", 2),
    ("software", 2),
    ("team", 1),
    ("teams", 1),
    ("timeout", 2),
    ("timeouts", 2),
    ("update", 2),
    ("updates", 2),
    ("upload", 2),
    ("website", 2),
    ("workaround", 3),
];

/// Syllables of one word. `acronyms` is false inside a shouted sentence ("DO NOT RESTART"), where
/// capitals are emphasis rather than letters to spell out.
pub fn count(word: &str, language: Language, acronyms: bool) -> u32 {
    word.split(['-', '\u{2010}', '\u{2011}'])
        .filter(|part| part.chars().any(char::is_alphanumeric))
        .map(|part| count_segment(part, language, acronyms))
        .sum::<u32>()
        .max(1)
}

fn count_segment(segment: &str, language: Language, acronyms: bool) -> u32 {
    if acronyms && is_acronym(segment) {
        return segment.chars().filter(|c| c.is_alphabetic()).count() as u32;
    }
    let lower = segment.to_lowercase();
    let letters: String = lower
        .chars()
        .filter(|c| c.is_alphabetic() || *c == '\'')
        .collect();
    let digit_groups = count_digit_groups(&lower);
    let spoken = match language {
        Language::En => english(&letters),
        Language::De => german(&letters),
    };
    (spoken + digit_groups).max(1)
}

/// Spelled-out capitals: "DNS", "VPN", "IT", "WLAN"; not a capitalised word ("Update") nor a
/// long shouted word ("VERTRAULICH").
fn is_acronym(segment: &str) -> bool {
    let letters = segment.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters)
        && segment
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Digits inside a word ("5xx", "k8s") are read as one number each.
fn count_digit_groups(segment: &str) -> u32 {
    let mut groups = 0;
    let mut in_digits = false;
    for c in segment.chars() {
        let digit = c.is_ascii_digit();
        if digit && !in_digits {
            groups += 1;
        }
        in_digits = digit;
    }
    groups
}

fn english(word: &str) -> u32 {
    if word.is_empty() {
        return 0;
    }
    let bare = word.trim_matches('\'');
    if let Some(n) = CMU_SYLLABLES.get(bare) {
        return u32::from(*n);
    }
    if let Some(stem) = bare.strip_suffix("'s").or_else(|| bare.strip_suffix("s'"))
        && let Some(n) = CMU_SYLLABLES.get(stem)
    {
        return u32::from(*n);
    }
    english_estimate(bare)
}

/// Vowel groups with the usual corrections for written English: a silent final "e", the "-es"
/// and "-ed" endings that add no syllable, and "-le" after a consonant, which does.
pub fn english_estimate(word: &str) -> u32 {
    let w: Vec<char> = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if w.is_empty() {
        return 0;
    }
    if w.len() <= 3 {
        return 1;
    }
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0u32;
    let mut previous_vowel = false;
    for (i, &c) in w.iter().enumerate() {
        // "y" opening a word ("yes") is a consonant.
        let vowel = is_vowel(c) && !(c == 'y' && i == 0);
        if vowel && !previous_vowel {
            groups += 1;
        }
        previous_vowel = vowel;
    }
    let n = w.len();
    let ends = |s: &str| word.ends_with(s);
    let consonant_before = |from_end: usize| n > from_end && !is_vowel(w[n - from_end - 1]);
    if ends("e") && !ends("le") && !ends("ee") && !ends("ye") && consonant_before(1) {
        groups = groups.saturating_sub(1);
    } else if ends("le") && n > 2 && is_vowel(w[n - 3]) {
        // "-ale", "-ole": the e is silent ("whale", "role").
        groups = groups.saturating_sub(1);
    } else if (ends("es") || ends("ed")) && n > 3 {
        let before = w[n - 3];
        // "-res"/"-red" after a consonant are sounded like "-le" ("genres", "Postgres").
        let sounded = matches!(before, 't' | 'd')
            || (ends("es") && "sxzh".contains(before))
            || (before == 'r' && n > 4 && !is_vowel(w[n - 4]));
        if !sounded && consonant_before(2) {
            groups = groups.saturating_sub(1);
        }
    }
    // Vowel pairs that are two syllables: "ia" (media), "io" (radio), "eo" (video), "ua" (usual).
    for pair in w.windows(2) {
        if matches!(
            (pair[0], pair[1]),
            ('i', 'a') | ('i', 'o') | ('e', 'o') | ('u', 'a')
        ) {
            groups += 1;
        }
    }
    if word.contains("tion") || word.contains("sion") || word.contains("cial") {
        groups = groups.saturating_sub(1);
    }
    groups.max(1)
}

fn german(word: &str) -> u32 {
    if word.is_empty() {
        return 0;
    }
    if let Some(&(_, n)) = GERMAN_LOANWORDS.iter().find(|(w, _)| *w == word) {
        return n;
    }
    // The longest loanword at either end of the segment; the rest is counted as German.
    let mut best: Option<(usize, u32, &str)> = None;
    for &(loan, n) in GERMAN_LOANWORDS {
        let rest = if let Some(rest) = word.strip_prefix(loan) {
            Some(rest)
        } else {
            word.strip_suffix(loan)
        };
        if let Some(rest) = rest
            && rest.chars().count() >= 3
            && best.is_none_or(|(len, _, _)| loan.len() > len)
        {
            best = Some((loan.len(), n, rest));
        }
    }
    match best {
        Some((_, n, rest)) => n + german_vowel_groups(rest),
        None => german_vowel_groups(word),
    }
}

/// Syllable nuclei: each vowel is one, except the diphthongs and long vowels written with two
/// letters (ei, ai, au, eu, äu, ie, aa, ee, oo), which are one together.
pub fn german_vowel_groups(word: &str) -> u32 {
    let chars: Vec<char> = word.chars().collect();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'ä' | 'ö' | 'ü' | 'y');
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_vowel(chars[i]) {
            count += 1;
            let pair = chars.get(i + 1).map(|&next| (chars[i], next));
            let joined = matches!(
                pair,
                Some(
                    ('e', 'i')
                        | ('a', 'i')
                        | ('a', 'u')
                        | ('e', 'u')
                        | ('ä', 'u')
                        | ('i', 'e')
                        | ('a', 'a')
                        | ('e', 'e')
                        | ('o', 'o')
                        | ('e', 'y')
                        | ('a', 'y')
                )
            );
            i += if joined { 2 } else { 1 };
        } else {
            i += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(w: &str) -> u32 {
        count(w, Language::En, true)
    }

    fn de(w: &str) -> u32 {
        count(w, Language::De, true)
    }

    #[test]
    fn english_words_from_the_dictionary() {
        assert_eq!(en("the"), 1);
        assert_eq!(en("outage"), 2);
        assert_eq!(en("apologize"), 4);
        assert_eq!(en("Unavailable"), 5);
        assert_eq!(en("customer's"), 3);
        assert_eq!(en("we're"), 1);
    }

    #[test]
    fn english_estimate_for_words_not_in_the_dictionary() {
        assert_eq!(english_estimate("cake"), 1);
        assert_eq!(english_estimate("table"), 2);
        assert_eq!(english_estimate("whale"), 1);
        assert_eq!(english_estimate("rebooted"), 3);
        assert_eq!(english_estimate("patched"), 1);
        assert_eq!(english_estimate("boxes"), 2);
        assert_eq!(english_estimate("rolled"), 1);
        assert_eq!(english_estimate("media"), 3);
        assert_eq!(english_estimate("radio"), 3);
        assert_eq!(english_estimate("configuration"), 5);
        assert_eq!(english_estimate("yesterday"), 3);
        assert_eq!(english_estimate("dashboards"), 2);
        assert_eq!(english_estimate("xyz"), 1);
    }

    #[test]
    fn acronyms_one_syllable_per_letter_unless_shouted() {
        assert_eq!(en("DNS"), 3);
        assert_eq!(en("API"), 3);
        assert_eq!(de("WLAN"), 4);
        assert_eq!(de("IT-Abteilung"), 2 + 3);
        assert_eq!(count("NOT", Language::En, false), 1);
        assert_eq!(de("VERTRAULICH"), 3);
    }

    #[test]
    fn hyphenated_compounds_sum_their_segments() {
        assert_eq!(de("E-Mail-System"), 1 + 1 + 2);
        assert_eq!(en("e-mail"), 2);
        assert_eq!(en("read-only"), 3);
        assert_eq!(de("Mobile-Ticket-App"), 3 + 2 + 1);
    }

    #[test]
    fn german_vowel_groups_with_diphthongs() {
        assert_eq!(de("Störung"), 2);
        assert_eq!(de("Zeit"), 1);
        assert_eq!(de("neue"), 2);
        assert_eq!(de("Ursache"), 3);
        assert_eq!(de("Studierende"), 4);
        assert_eq!(de("Situation"), 5);
        assert_eq!(de("Bauer"), 2);
        assert_eq!(de("Verständnis"), 3);
        assert_eq!(de("Lernplattform"), 3);
    }

    #[test]
    fn german_loanwords_are_counted_as_spoken() {
        assert_eq!(de("Update"), 2);
        assert_eq!(de("Online"), 2);
        assert_eq!(de("Homepage"), 2);
        assert_eq!(de("Kundenservice"), 2 + 2);
        assert_eq!(de("Updatezeit"), 2 + 1);
        assert_eq!(de("Online-Banking"), 2 + 2);
    }

    #[test]
    fn digits_inside_words_are_read_as_numbers() {
        assert_eq!(en("5xx"), 2);
        assert_eq!(en("k8s"), 2);
    }
}
