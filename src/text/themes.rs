//! Recurring themes in one group's free-text answers (SCORING §4; the caller groups by
//! audience): the terms and two-word phrases most answers mention, after English and German
//! stop words are removed and plural and inflection endings are folded ("Updates" = "Update",
//! "Informationen" = "Information").

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::words::words;

const STOP_WORDS_EN: &str = include_str!("../../assets/lexicons/stopwords_en.txt");
const STOP_WORDS_DE: &str = include_str!("../../assets/lexicons/stopwords_de.txt");

/// A theme is something several people said; a term in one answer only is noise.
pub const MIN_ANSWERS_PER_THEME: usize = 2;

/// Endings folded away, tried in order, first match only. English and German answers of one
/// audience are mixed, so both languages' endings apply to every word.
const FOLDED_ENDINGS: [(&str, &str); 8] = [
    ("ies", "y"),
    ("ungen", "ung"),
    ("innen", "in"),
    ("ern", "er"),
    ("en", ""),
    ("es", ""),
    ("e", ""),
    ("s", ""),
];
const MIN_STEM_CHARS: usize = 3;

static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    STOP_WORDS_EN
        .lines()
        .chain(STOP_WORDS_DE.lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// The term or phrase as most often written, lowercase ("status page", "updates").
    pub phrase: String,
    /// 1 for a term, 2 for a two-word phrase.
    pub words: usize,
    /// How many answers mention it.
    pub answers: usize,
    /// How often it occurs in all answers.
    pub mentions: usize,
    /// Indices into the given answers of the first answers that mention it, ascending.
    pub examples: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeLimits {
    pub max_themes: usize,
    pub max_examples: usize,
}

impl Default for ThemeLimits {
    fn default() -> Self {
        Self {
            max_themes: 10,
            max_examples: 3,
        }
    }
}

#[derive(Default)]
struct Tally {
    words: usize,
    answers: Vec<usize>,
    mentions: usize,
    spellings: HashMap<String, usize>,
}

impl Tally {
    fn count(&mut self, answer: usize, spelling: String) {
        if self.answers.last() != Some(&answer) {
            self.answers.push(answer);
        }
        self.mentions += 1;
        *self.spellings.entry(spelling).or_default() += 1;
    }

    /// The most frequent spelling; ties go to the shorter, then the alphabetically first.
    fn phrase(&self) -> String {
        self.spellings
            .iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then_with(|| b.0.len().cmp(&a.0.len()))
                    .then_with(|| b.0.cmp(a.0))
            })
            .map(|(spelling, _)| spelling.clone())
            .unwrap_or_default()
    }
}

/// Themes of `answers`, most widespread first (more answers, then phrases before terms, then
/// more mentions, then alphabetical). A term is left out when a phrase containing it is
/// mentioned by as many answers ("status" beside "status page").
pub fn find_themes<S: AsRef<str>>(answers: &[S], limits: ThemeLimits) -> Vec<Theme> {
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    for (index, answer) in answers.iter().enumerate() {
        let words = words(answer.as_ref());
        let content: Vec<Option<String>> = words
            .iter()
            .map(|w| is_content(&w.lower).then(|| fold(&w.lower)))
            .collect();
        for (position, word) in words.iter().enumerate() {
            let Some(key) = &content[position] else {
                continue;
            };
            count(&mut tallies, key.clone(), 1, index, word.lower.clone());
            let next = words.get(position + 1).filter(|next| !next.after_break);
            if let (Some(next), Some(Some(next_key))) = (next, content.get(position + 1)) {
                let phrase = format!("{} {}", word.lower, next.lower);
                count(&mut tallies, format!("{key} {next_key}"), 2, index, phrase);
            }
        }
    }
    let recurring: HashMap<&String, &Tally> = tallies
        .iter()
        .filter(|(_, tally)| tally.answers.len() >= MIN_ANSWERS_PER_THEME)
        .collect();
    let mut themes: Vec<Theme> = recurring
        .iter()
        .filter(|(key, tally)| tally.words == 2 || !covered_by_phrase(key, tally, &recurring))
        .map(|(_, tally)| Theme {
            phrase: tally.phrase(),
            words: tally.words,
            answers: tally.answers.len(),
            mentions: tally.mentions,
            examples: tally
                .answers
                .iter()
                .take(limits.max_examples)
                .copied()
                .collect(),
        })
        .collect();
    themes.sort_by(|a, b| {
        b.answers
            .cmp(&a.answers)
            .then_with(|| b.words.cmp(&a.words))
            .then_with(|| b.mentions.cmp(&a.mentions))
            .then_with(|| a.phrase.cmp(&b.phrase))
    });
    themes.truncate(limits.max_themes);
    themes
}

fn count(
    tallies: &mut HashMap<String, Tally>,
    key: String,
    words: usize,
    answer: usize,
    spelling: String,
) {
    let tally = tallies.entry(key).or_default();
    tally.words = words;
    tally.count(answer, spelling);
}

fn covered_by_phrase(term: &str, tally: &Tally, recurring: &HashMap<&String, &Tally>) -> bool {
    recurring.iter().any(|(key, phrase)| {
        phrase.words == 2
            && phrase.answers.len() == tally.answers.len()
            && key.split(' ').any(|part| part == term)
    })
}

fn is_content(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().any(char::is_alphabetic) && !STOP_WORDS.contains(word)
}

/// The key words are counted under: the first matching ending removed, if enough remains.
fn fold(word: &str) -> String {
    FOLDED_ENDINGS
        .iter()
        .find_map(|(ending, replacement)| {
            let stem = word.strip_suffix(ending)?;
            // "status", "process" keep their s
            let keeps_s = *ending == "s" && (stem.ends_with('s') || stem.ends_with('u'));
            (stem.chars().count() >= MIN_STEM_CHARS && !keeps_s)
                .then(|| format!("{stem}{replacement}"))
        })
        .unwrap_or_else(|| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(themes: &[Theme]) -> Vec<(&str, usize, Vec<usize>)> {
        themes
            .iter()
            .map(|t| (t.phrase.as_str(), t.answers, t.examples.clone()))
            .collect()
    }

    #[test]
    fn folding_merges_plurals_and_inflections() {
        for (a, b) in [
            ("updates", "update"),
            ("informationen", "information"),
            ("infos", "info"),
            ("e-mails", "e-mail"),
            ("replies", "reply"),
            ("meldungen", "meldung"),
            ("kunden", "kunde"),
            ("mitarbeitern", "mitarbeiter"),
            ("hotlines", "hotline"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
        }
        assert_eq!(fold("status"), "status");
        assert_eq!(fold("sms"), "sms");
        assert_ne!(fold("hotline"), fold("hot"));
    }

    #[test]
    fn themes_of_a_small_english_group() {
        let answers = [
            "The status page was not updated for hours.",
            "Updates on the status page came too late.",
            "I only saw the status page after lunch, the update was late.",
            "Friendly hotline.",
        ];
        let themes = find_themes(&answers, ThemeLimits::default());
        assert_eq!(
            summary(&themes),
            [
                ("status page", 3, vec![0, 1, 2]),
                ("late", 2, vec![1, 2]),
                ("update", 2, vec![1, 2]),
            ]
        );
        assert_eq!(themes[1].words, 1);
        assert_eq!(themes[0].mentions, 3);
    }

    #[test]
    fn themes_of_a_small_german_group() {
        let answers = [
            "Die Informationen kamen zu spät.",
            "Mehr Information zur Dauer wäre gut gewesen.",
            "Die Hotline war dauernd besetzt.",
            "Hotline besetzt, keine Information.",
            "Danke!",
        ];
        let themes = find_themes(&answers, ThemeLimits::default());
        assert_eq!(
            summary(&themes),
            [
                ("information", 3, vec![0, 1, 3]),
                ("besetzt", 2, vec![2, 3]),
                ("hotline", 2, vec![2, 3]),
            ]
        );
    }

    #[test]
    fn one_off_terms_are_noise_and_the_list_is_capped() {
        let answers = ["Hotline langsam", "Hotline freundlich", "Portal langsam"];
        let limits = ThemeLimits {
            max_themes: 1,
            max_examples: 1,
        };
        assert_eq!(
            summary(&find_themes(&answers, limits)),
            [("hotline", 2, vec![0])]
        );
        assert!(find_themes(&["Nur eine Antwort."], ThemeLimits::default()).is_empty());
        assert!(find_themes::<&str>(&[], ThemeLimits::default()).is_empty());
    }

    #[test]
    fn phrases_do_not_run_across_punctuation() {
        let answers = ["Hotline, Portal", "Hotline, Portal"];
        let phrases: Vec<String> = find_themes(&answers, ThemeLimits::default())
            .into_iter()
            .map(|t| t.phrase)
            .collect();
        assert_eq!(phrases, ["hotline", "portal"]);
    }
}
