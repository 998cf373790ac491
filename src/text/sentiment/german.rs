//! German: the project's own lexicon (`assets/lexicons/sentiment_de.tsv`) with its inflections,
//! and the German words for negation, degree, contrast and irony.

use super::german_forms;
use super::lexicon::{Duplicates, Lexicon};
use super::rules::{BOOSTER_DECREMENT as DECR, BOOSTER_INCREMENT as INCR, LanguageRules};

const LEXICON: &str = include_str!("../../../assets/lexicons/sentiment_de.tsv");

const NEGATORS: &[&str] = &[
    "nicht",
    "nichts",
    "kein",
    "keine",
    "keinen",
    "keinem",
    "keiner",
    "keines",
    "nie",
    "niemals",
    "nimmer",
    "niemand",
    "nirgends",
    "nirgendwo",
    "ohne",
    "weder",
    "kaum",
    "wenig",
    "keineswegs",
    "keinesfalls",
    "nix",
    "statt",
    "anstatt",
];

const TRAILING_NEGATORS: &[&str] = &["nicht", "nie", "niemals", "keineswegs", "kaum"];

const BOOSTERS: &[(&str, f64)] = &[
    ("sehr", INCR),
    ("extrem", INCR),
    ("total", INCR),
    ("echt", INCR),
    ("ziemlich", INCR),
    ("wirklich", INCR),
    ("richtig", INCR),
    ("absolut", INCR),
    ("völlig", INCR),
    ("vollkommen", INCR),
    ("komplett", INCR),
    ("ganz", INCR),
    ("besonders", INCR),
    ("äusserst", INCR),
    ("ausserordentlich", INCR),
    ("unglaublich", INCR),
    ("unheimlich", INCR),
    ("enorm", INCR),
    ("höchst", INCR),
    ("so", INCR),
    ("voll", INCR),
    ("mega", INCR),
    ("super", INCR),
    ("recht", INCR),
    ("sowas", INCR),
    ("dermassen", INCR),
    ("derart", INCR),
    ("zu", INCR),
    ("viel", INCR),
    ("schwer", INCR),
    ("überaus", INCR),
    ("einfach", INCR),
    ("etwas", DECR),
    ("eher", DECR),
    ("ein bisschen", DECR),
    ("bisschen", DECR),
    ("ein wenig", DECR),
    ("einigermassen", DECR),
    ("halbwegs", DECR),
    ("teilweise", DECR),
    ("teils", DECR),
    ("relativ", DECR),
    ("leicht", DECR),
    ("fast", DECR),
    ("beinahe", DECR),
    ("irgendwie", DECR),
    ("vielleicht", DECR),
    ("wohl", DECR),
];

pub(super) fn rules() -> LanguageRules {
    let mut lexicon = Lexicon::parse(LEXICON, Duplicates::Reject)
        .expect("the embedded German lexicon is well-formed (checked by its unit test)");
    german_forms::add_inflected_forms(&mut lexicon);
    LanguageRules {
        lexicon,
        lookup: german_forms::lookup,
        negators: NEGATORS,
        negation_extenders: &[],
        nominal_negators: &[
            "kein", "keine", "keinen", "keinem", "keiner", "keines", "ohne", "nichts", "niemand",
            "weder", "statt", "anstatt", "nie", "niemals", "nix",
        ],
        negated_determiners: &[
            "ein", "eine", "einen", "einem", "einer", "einzige", "einziges",
        ],
        receiving_verbs: &[
            "bekommen",
            "bekam",
            "bekamen",
            "erhalten",
            "erhielt",
            "erhielten",
            "gab",
            "gaben",
            "gegeben",
            "gibt",
            "sah",
            "sahen",
            "gesehen",
            "hörte",
            "hörten",
            "gehört",
            "kam",
            "kamen",
            "gekommen",
            "kommt",
            "geschickt",
            "geliefert",
        ],
        cause_markers: &["ursache", "verursacht", "ausgelöst"],
        incident_words: &[
            "fehler",
            "defekt",
            "fehlgeschlagen",
            "problem",
            "panne",
            "absturz",
            "störung",
        ],
        excess_markers: &[
            "allzu",
            "viel zu",
            "etwas zu",
            "deutlich zu",
            "reichlich zu",
        ],
        negator_infix: None,
        trailing_negators: TRAILING_NEGATORS,
        determiner_negators: &[],
        negation_cancellers: &["nur", "bloss"],
        boosters: BOOSTERS,
        contrasts: &["aber", "jedoch", "allerdings", "trotzdem", "dennoch"],
        contrast_opens_clause: true,
        concessives: &["obwohl", "obschon", "obgleich", "wenngleich", "zwar"],
        conditionals: &[
            "wäre", "wären", "würde", "würden", "hätte", "hätten", "könnte", "könnten", "sollte",
            "sollten", "müsste", "müssten",
        ],
        irony_interjections: &["na"],
        repetition_markers: &["wieder", "erneut", "nochmals", "schonwieder"],
        window_stops_at_clause: true,
        vader_special_cases: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lexicon_parses_without_duplicates() {
        let lexicon = Lexicon::parse(LEXICON, Duplicates::Reject).unwrap();
        assert!(lexicon.lemmas().len() > 400);
    }

    #[test]
    fn function_words_have_no_valence_of_their_own() {
        let rules = rules();
        for word in NEGATORS.iter().chain(BOOSTERS.iter().map(|(w, _)| w)) {
            if ["super", "mega", "richtig", "voll"].contains(word) {
                continue;
            }
            assert!(
                (rules.lookup)(&rules.lexicon, word).is_none(),
                "{word} is a function word and must not be rated"
            );
        }
    }
}
