//! English: VADER's lexicon and word lists (vaderSentiment 3.3.2, MIT), plus the project's
//! supplement of incident-communication words VADER does not rate.

use super::CueRule;
use super::lexicon::{Duplicates, Lexicon};
use super::rules::{
    BOOSTER_DECREMENT as DECR, BOOSTER_INCREMENT as INCR, Expected, LanguageRules, WordHit,
};

const VADER_LEXICON: &str = include_str!("../../../assets/lexicons/vader_en.txt");
const DOMAIN_LEXICON: &str = include_str!("../../../assets/lexicons/sentiment_en_domain.tsv");

/// VADER's `NEGATE`, then "nobody", "no one", "instead of" ("instead of blaming others"),
/// "far from" and "lack of".
const NEGATORS: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
    "nobody",
    "no one",
    "instead of",
    "far from",
    "lack of",
];

/// VADER's `BOOSTER_DICT`, then "pretty" ("pretty poor"), "fairly" and "a bit".
const BOOSTERS: &[(&str, f64)] = &[
    ("pretty", INCR),
    ("fairly", DECR),
    ("a bit", DECR),
    ("absolutely", INCR),
    ("amazingly", INCR),
    ("awfully", INCR),
    ("completely", INCR),
    ("considerable", INCR),
    ("considerably", INCR),
    ("decidedly", INCR),
    ("deeply", INCR),
    ("effing", INCR),
    ("enormous", INCR),
    ("enormously", INCR),
    ("entirely", INCR),
    ("especially", INCR),
    ("exceptional", INCR),
    ("exceptionally", INCR),
    ("extreme", INCR),
    ("extremely", INCR),
    ("fabulously", INCR),
    ("flipping", INCR),
    ("flippin", INCR),
    ("frackin", INCR),
    ("fracking", INCR),
    ("fricking", INCR),
    ("frickin", INCR),
    ("frigging", INCR),
    ("friggin", INCR),
    ("fully", INCR),
    ("fuckin", INCR),
    ("fucking", INCR),
    ("fuggin", INCR),
    ("fugging", INCR),
    ("greatly", INCR),
    ("hella", INCR),
    ("highly", INCR),
    ("hugely", INCR),
    ("incredible", INCR),
    ("incredibly", INCR),
    ("intensely", INCR),
    ("major", INCR),
    ("majorly", INCR),
    ("more", INCR),
    ("most", INCR),
    ("particularly", INCR),
    ("purely", INCR),
    ("quite", INCR),
    ("really", INCR),
    ("remarkably", INCR),
    ("so", INCR),
    ("substantially", INCR),
    ("thoroughly", INCR),
    ("total", INCR),
    ("totally", INCR),
    ("tremendous", INCR),
    ("tremendously", INCR),
    ("uber", INCR),
    ("unbelievably", INCR),
    ("unusually", INCR),
    ("utter", INCR),
    ("utterly", INCR),
    ("very", INCR),
    ("almost", DECR),
    ("barely", DECR),
    ("hardly", DECR),
    ("just enough", DECR),
    ("kind of", DECR),
    ("kinda", DECR),
    ("kindof", DECR),
    ("kind-of", DECR),
    ("less", DECR),
    ("little", DECR),
    ("marginal", DECR),
    ("marginally", DECR),
    ("occasional", DECR),
    ("occasionally", DECR),
    ("partly", DECR),
    ("scarce", DECR),
    ("scarcely", DECR),
    ("slight", DECR),
    ("slightly", DECR),
    ("somewhat", DECR),
    ("sort of", DECR),
    ("sorta", DECR),
    ("sortof", DECR),
    ("sort-of", DECR),
];

/// VADER's `SPECIAL_CASES` and `SENTIMENT_LADEN_IDIOMS` (the latter unused by the reference).
const IDIOMS: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
    ("cut the mustard", 2.0),
    ("hand to mouth", -2.0),
    ("back handed", -2.0),
    ("blow smoke", -2.0),
    ("blowing smoke", -2.0),
    ("upper hand", 1.0),
    ("break a leg", 2.0),
    ("cooking with gas", 2.0),
    ("in the black", 2.0),
    ("in the red", -2.0),
    ("on the ball", 2.0),
    ("under the weather", -2.0),
];

pub(super) fn rules() -> LanguageRules {
    let mut lexicon = Lexicon::parse(VADER_LEXICON, Duplicates::LastWins)
        .expect("the embedded VADER lexicon is well-formed (checked by its unit test)");
    lexicon
        .extend(DOMAIN_LEXICON, Duplicates::Reject)
        .expect("the embedded English supplement is well-formed (checked by its unit test)");
    for (idiom, valence) in IDIOMS {
        lexicon.add_phrase_if_absent(idiom, *valence);
    }
    LanguageRules {
        lexicon,
        lookup,
        negators: NEGATORS,
        negation_extenders: &["any", "anything", "anyone", "anybody", "ever"],
        nominal_negators: &[
            "no",
            "none",
            "nothing",
            "nobody",
            "no one",
            "without",
            "never",
            "neither",
            "nor",
            "instead of",
            "lack of",
        ],
        negated_determiners: &["a", "an", "one", "any", "single"],
        receiving_verbs: &[
            "get", "got", "gotten", "getting", "receive", "received", "see", "saw", "seen", "hear",
            "heard", "have", "had", "has", "give", "gave", "given", "send", "sent", "provide",
            "provided", "come", "came", "offer", "offered", "find", "found",
        ],
        excess_markers: &["too", "way too", "far too", "much too"],
        cause_markers: &["cause", "caused", "causes", "root", "due to", "triggered"],
        incident_words: &[
            "failure", "failed", "faulty", "fault", "problem", "error", "bug", "crash", "broken",
            "outage", "defect",
        ],
        negator_infix: Some("n't"),
        trailing_negators: &[],
        determiner_negators: &["no"],
        negation_cancellers: &["only"],
        boosters: BOOSTERS,
        contrasts: &["but"],
        contrast_opens_clause: false,
        concessives: &["although"],
        conditionals: &[
            "would", "could", "should", "might", "i'd", "we'd", "you'd", "they'd", "it'd",
        ],
        irony_interjections: &[],
        repetition_markers: &["again", "another"],
        window_stops_at_clause: false,
        vader_special_cases: true,
    }
}

fn lookup(lexicon: &Lexicon, word: &str) -> Option<WordHit> {
    lexicon
        .get(word)
        .filter(|entry| entry.valence != 0.0)
        .map(|entry| WordHit {
            valence: entry.valence,
            rule: CueRule::Lexicon,
            expected: Expected::of(entry.kind),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lexicons_parse() {
        let vader = Lexicon::parse(VADER_LEXICON, Duplicates::LastWins).unwrap();
        assert!(vader.lemmas().len() > 7000);
        let mut combined = vader;
        combined.extend(DOMAIN_LEXICON, Duplicates::Reject).unwrap();
    }

    #[test]
    fn the_supplement_only_neutralises_or_marks_vader_words() {
        let vader = Lexicon::parse(VADER_LEXICON, Duplicates::LastWins).unwrap();
        let domain = Lexicon::parse(DOMAIN_LEXICON, Duplicates::Reject).unwrap();
        for (word, entry) in domain.lemmas() {
            let re_rates = entry.valence == 0.0 || entry.kind.is_expected();
            assert!(
                re_rates || !vader.contains(&word),
                "{word} is already rated by VADER"
            );
        }
    }
}
