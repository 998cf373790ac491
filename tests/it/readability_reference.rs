//! Readability against Python textstat (benches/textstat_reference.py wrote the fixture).
//!
//! The four measures are checked in two steps, each with a tolerance that has a reason:
//! - the formulas: fed textstat's own counts, Flesch, Amstad, Wiener Sachtextformel 1 and LIX
//!   reproduce textstat's values to the rounding of the fixture (0.01), on every text;
//! - the counts the formulas read: words and long words agree exactly once the named reasons
//!   are taken out (textstat reads clock times, numbers, links and addresses as words, SCORING
//!   §2 does not; textstat joins "dns01/dns02" into one word); English syllables agree word by
//!   word apart from acronyms, which SCORING §2 spells out.
//!
//! On the project's plain prose both steps meet: all four values agree within 0.01, or within
//! exactly what the German syllable difference accounts for. Where textstat is known to count
//! wrong (SCORING §5: short sentences, hyphenated compounds, German syllables), a named test
//! holds the hand count.

use std::collections::HashMap;
use std::path::PathBuf;

use debrief::domain::Language;
use debrief::scoring::readability::{Counts, Readability, measure};
use debrief::scoring::segment::{Segmentation, segment};
use debrief::scoring::syllables;
use serde_json::Value;

/// Both sides round to two decimals.
const ROUNDING: f64 = 0.01;

fn ours(text: &str, language: Language) -> Readability {
    measure(text, &segment(text), language, 20)
}

fn fixture() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/readability_textstat.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture exists"))
        .expect("fixture is JSON")
}

fn labelled_texts() -> Option<HashMap<String, String>> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/labelled_messages.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| {
                Some((
                    v["id"].as_str()?.to_string(),
                    v["text"].as_str()?.to_string(),
                ))
            })
            .collect(),
    )
}

/// Entries whose textstat value is known to be wrong; they are checked by hand counts below.
const NAMED_DEVIATIONS: &[&str] = &[
    "short-sentences-en",
    "hyphenated-compound-de",
    "german-syllables-de",
];

struct Entry {
    id: String,
    language: Language,
    text: String,
    own: bool,
    textstat: Value,
}

/// Every fixture entry with its text: the project's own texts are in the fixture, the labelled
/// ones are read from the shared data (without it only the own texts are compared).
fn entries() -> Vec<Entry> {
    assert_eq!(fixture()["textstat_version"], "0.7.13");
    let labelled = labelled_texts();
    if labelled.is_none() {
        eprintln!(
            "note: the labelled messages are not here; comparing the project's own texts only"
        );
    }
    let all: Vec<Entry> = fixture()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| {
            let id = e["id"].as_str().expect("id").to_string();
            let own = e["text"].as_str().map(str::to_string);
            let text = own
                .clone()
                .or_else(|| labelled.as_ref()?.get(&id).cloned())?;
            Some(Entry {
                language: e["lang"].as_str().expect("lang").parse().expect("lang"),
                own: own.is_some(),
                textstat: e["textstat"].clone(),
                id,
                text,
            })
        })
        .collect();
    assert!(
        all.iter().filter(|e| e.own).count() >= 9,
        "the project's own reference texts are in the fixture"
    );
    all
}

fn count(v: &Value, key: &str) -> usize {
    v[key].as_u64().unwrap_or_else(|| panic!("textstat {key}")) as usize
}

fn textstat_counts(v: &Value) -> Counts {
    Counts {
        sentences: count(v, "sentences"),
        words: count(v, "words"),
        syllables: count(v, "syllables"),
        long_words: count(v, "long_words"),
        polysyllables: count(v, "polysyllables"),
        monosyllables: count(v, "monosyllables"),
    }
}

fn value(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("textstat {key}"))
}

#[test]
fn the_formulas_reproduce_textstat_on_its_own_counts() {
    let mut checked = 0;
    for e in entries() {
        let counts = textstat_counts(&e.textstat);
        let pairs: Vec<(&str, f64)> = match e.language {
            Language::En => vec![("flesch", counts.flesch())],
            Language::De => vec![
                ("amstad", counts.amstad()),
                ("wstf1", counts.wstf1()),
                ("lix", counts.lix()),
            ],
        };
        for (key, mine) in pairs {
            let theirs = value(&e.textstat, key);
            assert!(
                (mine - theirs).abs() <= ROUNDING,
                "{}: {key} from textstat's counts {mine:.3}, textstat {theirs:.2}",
                e.id
            );
            checked += 1;
        }
    }
    println!("{checked} values of Flesch, Amstad, WSTF1 and LIX reproduced from textstat's counts");
}

/// How textstat reads a whitespace-separated token, against how SCORING §2 reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Both read the same one word.
    Same,
    /// One word with digits ("P1", "INC-44120", "40-minute"): textstat counts the digits as
    /// letters, SCORING §2 counts letters; its syllables are not defined.
    WithDigits,
    /// One hyphenated compound: textstat strips the hyphens and syllabifies the run-together
    /// word as unknown, SCORING §2 syllabifies the parts ("read-only").
    Hyphenated,
    /// A clock time, number, link, address or handle: a word to textstat, not prose to us.
    NotProse,
    /// Several words to us, one to textstat, which drops the punctuation between them
    /// ("dns01/dns02").
    Joined,
    /// Punctuation or an emoji only: no word to either.
    Nothing,
}

struct Token<'t> {
    text: &'t str,
    /// Our words inside the token.
    words: Vec<&'t str>,
    reading: Reading,
}

fn tokens<'t>(text: &'t str, seg: &Segmentation) -> Vec<Token<'t>> {
    let mut out = Vec::new();
    let mut at = 0;
    for token in text.split_whitespace() {
        let start = at + text[at..].find(token).expect("token in text");
        let end = start + token.len();
        at = end;
        let words: Vec<&str> = seg
            .words
            .iter()
            .filter(|w| w.start >= start && w.end <= end)
            .map(|w| w.text(text))
            .collect();
        let word_chars = token.chars().any(|c| c.is_alphanumeric() || c == '_');
        let letters = token.chars().any(char::is_alphabetic);
        let in_non_prose = seg.non_prose.iter().any(|n| n.start < end && start < n.end);
        let reading = if !word_chars {
            Reading::Nothing
        } else if in_non_prose || !letters {
            Reading::NotProse
        } else if words.len() > 1 {
            Reading::Joined
        } else if token.chars().any(|c| c.is_ascii_digit() || c == '_') {
            Reading::WithDigits
        } else if words.first().is_some_and(|w| w.contains('-')) {
            Reading::Hyphenated
        } else {
            Reading::Same
        };
        out.push(Token {
            text: token,
            words,
            reading,
        });
    }
    out
}

/// textstat's long word: more than six characters once punctuation is removed.
fn textstat_long(token: &str) -> bool {
    token
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .count()
        > 6
}

fn our_long(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() > 6
}

#[test]
fn words_and_long_words_agree_apart_from_non_prose() {
    let mut differ = 0;
    let all = entries();
    for e in &all {
        let seg = segment(&e.text);
        let r = ours(&e.text, e.language);
        let tokens = tokens(&e.text, &seg);
        for t in &tokens {
            match t.reading {
                Reading::Same | Reading::WithDigits | Reading::Hyphenated => {
                    assert_eq!(t.words.len(), 1, "{}: {:?}", e.id, t.text);
                }
                Reading::NotProse | Reading::Nothing => {
                    assert!(t.words.is_empty(), "{}: {:?} read as prose", e.id, t.text);
                }
                Reading::Joined => {}
            }
        }
        // textstat: one word per token with a word character; long when over six characters.
        let (mut words, mut long_words) = (0, 0);
        for t in tokens.iter().filter(|t| t.reading != Reading::Nothing) {
            words += 1;
            long_words += usize::from(match t.reading {
                Reading::Same | Reading::Hyphenated => our_long(t.words[0]),
                _ => textstat_long(t.text),
            });
        }
        let theirs = textstat_counts(&e.textstat);
        assert_eq!(
            r.words + words - tokens.iter().map(|t| t.words.len()).sum::<usize>(),
            theirs.words,
            "{}: our {} words and the named differences make textstat's count",
            e.id,
            r.words
        );
        assert_eq!(
            long_words, theirs.long_words,
            "{}: long words of the same words agree",
            e.id
        );
        if r.words != theirs.words {
            differ += 1;
        }
    }
    println!(
        "{} texts: word counts equal textstat's after the named differences; {differ} differ before",
        all.len()
    );
}

/// An acronym ("SSO", "VPN"): SCORING §2 counts one syllable per letter, the pronouncing
/// dictionary and textstat's fallback do not.
fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().filter(|c| c.is_uppercase()).count() >= 2
}

/// English syllables word by word, where both read the same plain word: the same pronouncing
/// dictionary gives the same count for every word in it. For words outside it both fall back
/// on an estimate (our heuristic, textstat's hyphenation patterns), so those only have to agree
/// mostly; acronyms, words with digits and hyphenated compounds are read differently on purpose.
#[test]
fn english_syllables_agree_word_by_word() {
    let (mut in_dictionary, mut estimated, mut left_out) = (0, 0, 0);
    let (mut differ, mut estimates_differ) = (Vec::new(), Vec::new());
    for e in entries().iter().filter(|e| e.language == Language::En) {
        let seg = segment(&e.text);
        let theirs = e.textstat["token_syllables"]
            .as_array()
            .expect("token syllables");
        let tokens = tokens(&e.text, &seg);
        assert_eq!(tokens.len(), theirs.len(), "{}: tokens", e.id);
        for (t, n) in tokens.iter().zip(theirs) {
            if t.reading != Reading::Same {
                continue;
            }
            let word = t.words[0];
            if is_acronym(word) {
                left_out += 1;
                continue;
            }
            let mine = u64::from(syllables::count(word, Language::En, true));
            let theirs = n.as_u64().expect("syllables");
            let bare: String = word
                .trim_end_matches("'s")
                .trim_end_matches("’s")
                .to_lowercase();
            let (seen, list) = if syllables::is_english_word(&bare) {
                (&mut in_dictionary, &mut differ)
            } else {
                (&mut estimated, &mut estimates_differ)
            };
            *seen += 1;
            if mine != theirs {
                list.push(format!("{}:{word}({mine}/{theirs})", e.id));
            }
        }
    }
    println!(
        "English syllables: {in_dictionary} dictionary words (differ: {differ:?}); \
         {estimated} estimated words, {} differ: {}; {left_out} acronyms left out",
        estimates_differ.len(),
        estimates_differ.join(" ")
    );
    // The labelled messages bring most of the words; the project's own texts alone are fewer.
    let enough = if labelled_texts().is_some() { 2000 } else { 50 };
    assert!(in_dictionary >= enough, "enough English words compared");
    assert!(differ.is_empty(), "dictionary words differ: {differ:?}");
    // textstat's estimate is no reference (see the named test below); the list is printed.
    assert!(estimated > 0, "words outside the dictionary were met");
}

/// Words outside the pronouncing dictionary: textstat falls back on hyphenation patterns, which
/// miss syllables ("Fail-over" 2, "Head-teacher" 2, "Intra-net" 2); our estimate is checked
/// against hand counts instead.
#[test]
fn words_outside_the_dictionary_by_hand_count() {
    for (word, hand) in [
        ("misconfigured", 4), // mis-con-fig-ured
        ("failover", 3),      // fail-o-ver
        ("headteacher", 3),   // head-teach-er
        ("intranet", 3),      // in-tra-net
        ("eduroam", 3),       // ed-u-roam
        ("carers", 2),        // car-ers
        ("moodle", 2),        // moo-dle
        ("postgres", 2),      // post-gres
        ("reindexing", 3),    // re-in-dex-ing
        ("hotfixes", 3),      // hot-fix-es
    ] {
        assert!(
            !syllables::is_english_word(word),
            "{word} is not in the dictionary"
        );
        assert_eq!(syllables::count(word, Language::En, true), hand, "{word}");
    }
}

/// The project's own plain prose (no times, numbers, links, short sentences or acronyms): the
/// counts agree, so all four values agree within the rounding — for German Amstad and WSTF1
/// within what the one-syllable difference of textstat's hyphenation accounts for.
#[test]
fn plain_prose_agrees_on_all_four_measures() {
    for e in entries()
        .iter()
        .filter(|e| e.own && !NAMED_DEVIATIONS.contains(&e.id.as_str()))
    {
        let r = ours(&e.text, e.language);
        let t = textstat_counts(&e.textstat);
        let id = &e.id;
        assert_eq!((r.sentences, r.words), (t.sentences, t.words), "{id}");
        let w = r.words as f64;
        match e.language {
            Language::En => {
                assert_eq!(r.syllables, t.syllables, "{id}");
                let (mine, theirs) = (r.flesch.expect("flesch"), value(&e.textstat, "flesch"));
                assert!(
                    (mine - theirs).abs() <= ROUNDING,
                    "{id}: {mine} vs {theirs}"
                );
            }
            Language::De => {
                assert_eq!(r.long_words, t.long_words, "{id}");
                let (mine, theirs) = (r.lix.expect("lix"), value(&e.textstat, "lix"));
                assert!(
                    (mine - theirs).abs() <= ROUNDING,
                    "{id}: LIX {mine} vs {theirs}"
                );
                let dy = r.syllables.abs_diff(t.syllables) as f64;
                assert!(
                    dy <= 1.0,
                    "{id}: syllables {} vs {}",
                    r.syllables,
                    t.syllables
                );
                // With the same sentences and words, one syllable moves Amstad by 58.5/W and can
                // move one word across a syllable class of WSTF1 (at most 0.1935·100/W).
                let (mine, theirs) = (r.amstad.expect("amstad"), value(&e.textstat, "amstad"));
                let allowed = 58.5 * dy / w + ROUNDING;
                assert!(
                    (mine - theirs).abs() <= allowed,
                    "{id}: Amstad {mine} vs {theirs}, allowed {allowed:.2}"
                );
                let (mine, theirs) = (r.wstf1.expect("wstf1"), value(&e.textstat, "wstf1"));
                let allowed = 0.1935 * 100.0 * dy / w + ROUNDING;
                assert!(
                    (mine - theirs).abs() <= allowed,
                    "{id}: WSTF1 {mine} vs {theirs}, allowed {allowed:.2}"
                );
            }
        }
    }
}

fn own_text(id: &str) -> (String, Value) {
    let fixture = fixture();
    let entry = fixture["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["id"] == id)
        .cloned()
        .expect("named entry in the fixture");
    (
        entry["text"].as_str().expect("text").to_string(),
        entry["textstat"].clone(),
    )
}

/// textstat drops sentences of two words or fewer: "Need help?" and "Call us." vanish and the
/// remaining sentence seems 14 words long.
#[test]
fn textstat_drops_short_sentences() {
    let (text, theirs) = own_text("short-sentences-en");
    let r = ours(&text, Language::En);
    assert_eq!(theirs["sentences"], 1);
    // Hand count: need help | call us | the mobile(2) app is not working(2) for customers(3) in
    // europe(2) → 3 sentences, 14 words, 19 syllables.
    assert_eq!((r.sentences, r.words, r.syllables), (3, 14, 19));
    let expected = 206.835 - 1.015 * (14.0 / 3.0) - 84.6 * (19.0 / 14.0);
    assert!((r.flesch.expect("flesch") - expected).abs() < ROUNDING);
}

/// textstat strips hyphens and reads "EMailSystem" as one unknown word for the hyphenation
/// dictionary; a hyphenated compound is one word whose parts are syllabified.
#[test]
fn textstat_misreads_hyphenated_compounds() {
    let (text, theirs) = own_text("hyphenated-compound-de");
    let r = ours(&text, Language::De);
    // Hand count: das(1) E-Mail-Post-fach(1+1+2) und(1) die(1) E-Mail-A-dres-se(1+1+3) sind(1)
    // ge-stört(2) | der(1) E-Mail-Ver-sand(1+1+2) läuft(1) wie-der(2) → 2 sentences, 11 words,
    // 23 syllables; textstat's hyphenation dictionary reads "email" as one syllable (19 in all).
    assert_eq!((r.sentences, r.words, r.syllables), (2, 11, 23));
    assert_eq!(theirs["syllables"], 19);
    let expected = 180.0 - 5.5 - 58.5 * (23.0 / 11.0);
    assert!((r.amstad.expect("amstad") - expected).abs() < ROUNDING);
}

/// textstat counts German syllables from hyphenation points, which gets loanwords and vowel
/// groups wrong ("Up-da-te", "Home-pa-ge"); they are spoken with two syllables.
#[test]
fn textstat_miscounts_german_syllables() {
    let (text, theirs) = own_text("german-syllables-de");
    let r = ours(&text, Language::De);
    // Hand count: das(1) Up-date(2) für(1) das(1) On-line-Ban-king(4) ist(1) fer-tig(2) |
    // die(1) neu-e(2) Home-page(2) läuft(1) → 2 sentences, 11 words, 18 syllables.
    assert_eq!((r.sentences, r.words, r.syllables), (2, 11, 18));
    assert_ne!(theirs["syllables"], 18);
    let expected = 180.0 - 5.5 - 58.5 * (18.0 / 11.0);
    assert!((r.amstad.expect("amstad") - expected).abs() < ROUNDING);
}
