//! German word forms: inflections generated from the lexicon's lemmas once at start, and the
//! lookup that also reads spelled-out umlauts, "un-" adjectives and compounds by their head.

use super::CueRule;
use super::lexicon::{Entry, Lexicon, WordKind};
use super::rules::{BOOSTER_INCREMENT, Expected, NEGATION_SCALAR, WordHit};

const ADJECTIVE_ENDINGS: [&str; 5] = ["e", "en", "em", "er", "es"];
const NOUN_ENDINGS: [&str; 9] = ["s", "es", "e", "en", "n", "er", "ern", "nen", "se"];
const VERB_ENDINGS: [&str; 17] = [
    "e", "st", "t", "et", "est", "en", "te", "test", "ten", "tet", "ete", "eten", "end", "ende",
    "enden", "ender", "endes",
];
/// Verb prefixes that take no "ge-" in the participle ("verärgert", "enttäuscht").
const INSEPARABLE_PREFIXES: [&str; 8] = ["be", "ge", "er", "ver", "zer", "ent", "emp", "miss"];
/// Verb prefixes that put "ge-" after themselves ("abgewimmelt", "hingehalten").
/// Longer prefixes first, so "zurück" is not read as "zu".
const SEPARABLE_PREFIXES: [&str; 14] = [
    "zurück", "nach", "auf", "aus", "ein", "hin", "her", "mit", "vor", "weg", "los", "ab", "an",
    "zu",
];
/// First parts of a compound that strengthen its head ("Riesenchaos", "superschnell").
const INTENSIFYING_MODIFIERS: [&str; 14] = [
    "super", "mega", "ultra", "hyper", "riesen", "mords", "total", "extrem", "hoch", "sau",
    "stink", "grotten", "ober", "voll",
];
const MIN_COMPOUND_HEAD_CHARS: usize = 4;
const MIN_COMPOUND_MODIFIER_CHARS: usize = 3;

/// Adds the inflected forms of every lemma; listed words keep their own valence.
pub(super) fn add_inflected_forms(lexicon: &mut Lexicon) {
    for (lemma, entry) in lexicon.lemmas() {
        let forms = match entry.kind {
            WordKind::Adjective => adjective_forms(&lemma),
            WordKind::Noun | WordKind::ExpectedItem => noun_forms(&lemma),
            WordKind::Verb => verb_forms(&lemma),
            WordKind::Other | WordKind::ExpectedAct => Vec::new(),
        };
        for form in forms {
            lexicon.add_form(form, entry);
        }
    }
}

fn adjective_forms(lemma: &str) -> Vec<String> {
    let mut stems = vec![lemma.to_string()];
    if let Some(stem) = lemma.strip_suffix('e') {
        // "vage" → "vagen", "vager"
        stems.push(stem.to_string());
    }
    for (ending, contracted) in [("el", "l"), ("er", "r")] {
        // "miserabel" → "miserable", "sauer" → "saure"
        if let Some(stem) = lemma.strip_suffix(ending) {
            stems.push(format!("{stem}{contracted}"));
        }
    }
    let mut forms = Vec::new();
    for stem in &stems {
        for degree in ["", "er", "st", "est"] {
            let graded = format!("{stem}{degree}");
            for ending in ADJECTIVE_ENDINGS {
                forms.push(format!("{graded}{ending}"));
            }
            if !degree.is_empty() && !degree.ends_with("st") {
                forms.push(graded);
            }
        }
    }
    forms
}

fn noun_forms(lemma: &str) -> Vec<String> {
    let mut forms: Vec<String> = NOUN_ENDINGS
        .iter()
        .map(|ending| format!("{lemma}{ending}"))
        .collect();
    if let Some(umlauted) = umlaut_last_vowel(lemma) {
        // "Mangel" → "Mängel", "Schaden" → "Schäden"
        for ending in ["", "e", "en", "er", "ern", "n"] {
            forms.push(format!("{umlauted}{ending}"));
        }
    }
    forms
}

fn verb_forms(lemma: &str) -> Vec<String> {
    let Some(stem) = lemma.strip_suffix("en").or_else(|| lemma.strip_suffix('n')) else {
        return Vec::new();
    };
    let mut forms: Vec<String> = VERB_ENDINGS
        .iter()
        .map(|ending| format!("{stem}{ending}"))
        .collect();
    // participles used as adjectives: "verwirrte", "enttäuschten"
    for participle in [format!("{stem}t"), format!("{stem}et")] {
        for ending in ADJECTIVE_ENDINGS {
            forms.push(format!("{participle}{ending}"));
        }
    }
    let separable = SEPARABLE_PREFIXES
        .iter()
        .find(|prefix| lemma.len() > prefix.len() + 3 && lemma.starts_with(**prefix));
    let takes_ge =
        !lemma.ends_with("ieren") && !INSEPARABLE_PREFIXES.iter().any(|p| lemma.starts_with(p));
    let participles = match separable {
        Some(prefix) => {
            let rest = &lemma[prefix.len()..];
            let rest_stem = &stem[prefix.len()..];
            vec![
                format!("{prefix}ge{rest_stem}t"),
                format!("{prefix}ge{rest}"),
            ]
        }
        None if takes_ge => vec![format!("ge{stem}t"), format!("ge{stem}et")],
        None => Vec::new(),
    };
    for participle in participles {
        for ending in ADJECTIVE_ENDINGS {
            forms.push(format!("{participle}{ending}"));
        }
        forms.push(participle);
    }
    forms
}

fn umlaut_last_vowel(word: &str) -> Option<String> {
    let (index, vowel) = word
        .char_indices()
        .rfind(|(_, c)| matches!(c, 'a' | 'o' | 'u'))?;
    // "au" takes the umlaut on its first letter ("Traum" → "Träume")
    let (index, vowel) = if vowel == 'u' && index > 0 && word[..index].ends_with('a') {
        (index - 1, 'a')
    } else {
        (index, vowel)
    };
    let umlaut = match vowel {
        'a' => 'ä',
        'o' => 'ö',
        _ => 'ü',
    };
    Some(format!(
        "{}{}{}",
        &word[..index],
        umlaut,
        &word[index + vowel.len_utf8()..]
    ))
}

/// The valence of a German word (lowercase, ß folded): listed or inflected forms first, then
/// spelled-out umlauts ("unverschaemt"), "un-" + positive adjective, and compounds whose head is
/// rated ("Informationschaos" → "Chaos", "Mega-Chaos", "superschnell").
pub(super) fn lookup(lexicon: &Lexicon, word: &str) -> Option<WordHit> {
    if let Some(entry) = lexicon.get(word) {
        return rated(entry, form_rule(entry));
    }
    if let Some((modifier, head)) = word.rsplit_once('-') {
        return lexicon
            .get(head)
            .and_then(|entry| rated(entry, CueRule::Compound))
            .map(|hit| intensified(hit, modifier));
    }
    if word.contains("ae") || word.contains("oe") || word.contains("ue") {
        let respelled = word
            .replace("ae", "ä")
            .replace("oe", "ö")
            .replace("ue", "ü");
        if let Some(entry) = lexicon.get(&respelled) {
            return rated(entry, form_rule(entry));
        }
    }
    if let Some(rest) = word.strip_prefix("un") {
        let positive_adjective = lexicon
            .get(rest)
            .filter(|e| e.kind == WordKind::Adjective && e.valence > 0.0);
        if let Some(entry) = positive_adjective {
            return Some(WordHit {
                valence: entry.valence * NEGATION_SCALAR,
                rule: CueRule::NegatingPrefix,
                expected: Expected::No,
            });
        }
    }
    compound_head(lexicon, word)
}

fn compound_head(lexicon: &Lexicon, word: &str) -> Option<WordHit> {
    let char_count = word.chars().count();
    if char_count < MIN_COMPOUND_MODIFIER_CHARS + MIN_COMPOUND_HEAD_CHARS {
        return None;
    }
    let last_split = char_count - MIN_COMPOUND_HEAD_CHARS;
    for (position, (index, _)) in word.char_indices().enumerate() {
        if position < MIN_COMPOUND_MODIFIER_CHARS {
            continue;
        }
        if position > last_split {
            break;
        }
        let Some(entry) = lexicon.get(&word[index..]) else {
            continue;
        };
        // the longest known head decides, also when it is a neutral word ("Netzwerkstörung")
        if !matches!(
            entry.kind,
            WordKind::Noun | WordKind::Adjective | WordKind::ExpectedItem
        ) {
            continue;
        }
        return rated(entry, CueRule::Compound).map(|hit| intensified(hit, &word[..index]));
    }
    None
}

fn form_rule(entry: Entry) -> CueRule {
    if entry.inflected {
        CueRule::Inflection
    } else {
        CueRule::Lexicon
    }
}

fn rated(entry: Entry, rule: CueRule) -> Option<WordHit> {
    (entry.valence != 0.0).then_some(WordHit {
        valence: entry.valence,
        rule,
        expected: Expected::of(entry.kind),
    })
}

fn intensified(hit: WordHit, modifier: &str) -> WordHit {
    if !INTENSIFYING_MODIFIERS.contains(&modifier) {
        return hit;
    }
    WordHit {
        valence: hit.valence + BOOSTER_INCREMENT * hit.valence.signum(),
        ..hit
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::Duplicates;
    use super::*;

    fn lexicon() -> Lexicon {
        let mut lexicon = Lexicon::parse(
            "chaos\t-2.5\tn\nschlecht\t-2\ta\nfreundlich\t1.9\ta\nenttäuschen\t-2\tv\n\
             abwimmeln\t-1.9\tv\nhinhalten\t-1.7\tv\nmangel\t-1.4\tn\nvage\t-1\ta\n\
             störung\t0\tn\nstören\t-1.2\tv\nschnell\t1.4\ta\nspät\t-1.2\ta\nspäter\t0\ta\n",
            Duplicates::Reject,
        )
        .unwrap();
        add_inflected_forms(&mut lexicon);
        lexicon
    }

    fn found(word: &str) -> Option<(f64, CueRule)> {
        lookup(&lexicon(), word).map(|hit| ((hit.valence * 1000.0).round() / 1000.0, hit.rule))
    }

    #[test]
    fn inflected_adjectives_verbs_and_nouns() {
        assert_eq!(found("schlechte"), Some((-2.0, CueRule::Inflection)));
        assert_eq!(found("schlechteste"), Some((-2.0, CueRule::Inflection)));
        assert_eq!(found("vagen"), Some((-1.0, CueRule::Inflection)));
        assert_eq!(found("enttäuscht"), Some((-2.0, CueRule::Inflection)));
        assert_eq!(found("enttäuschende"), Some((-2.0, CueRule::Inflection)));
        assert_eq!(found("abgewimmelt"), Some((-1.9, CueRule::Inflection)));
        assert_eq!(found("hingehalten"), Some((-1.7, CueRule::Inflection)));
        assert_eq!(found("mängel"), Some((-1.4, CueRule::Inflection)));
        assert_eq!(found("chaos"), Some((-2.5, CueRule::Lexicon)));
    }

    #[test]
    fn listed_neutral_words_block_inflection_and_compounds() {
        assert_eq!(found("störung"), None);
        assert_eq!(found("netzwerkstörung"), None);
        assert_eq!(found("später"), None);
        assert_eq!(found("späte"), Some((-1.2, CueRule::Inflection)));
    }

    #[test]
    fn spelled_out_umlauts() {
        assert_eq!(found("enttaeuscht"), Some((-2.0, CueRule::Inflection)));
    }

    #[test]
    fn un_prefix_negates_positive_adjectives_only() {
        assert_eq!(
            found("unfreundlich"),
            Some((-1.406, CueRule::NegatingPrefix))
        );
        assert_eq!(found("unschlecht"), None);
        assert_eq!(found("unterhaltsam"), None);
    }

    #[test]
    fn compounds_take_the_head_and_intensifying_modifiers() {
        assert_eq!(found("informationschaos"), Some((-2.5, CueRule::Compound)));
        assert_eq!(
            found("kommunikationschaos"),
            Some((-2.5, CueRule::Compound))
        );
        assert_eq!(found("riesenchaos"), Some((-2.793, CueRule::Compound)));
        assert_eq!(found("mega-chaos"), Some((-2.793, CueRule::Compound)));
        assert_eq!(found("cloud-anbieter"), None);
        assert_eq!(found("superschnelle"), Some((1.693, CueRule::Compound)));
        // verbs are no compound heads, and heads need four letters
        assert_eq!(found("dienststören"), None);
        assert_eq!(found("chaos1"), None);
    }

    #[test]
    fn umlaut_of_the_last_vowel() {
        assert_eq!(umlaut_last_vowel("mangel").as_deref(), Some("mängel"));
        assert_eq!(umlaut_last_vowel("traum").as_deref(), Some("träum"));
        assert_eq!(umlaut_last_vowel("zweck").as_deref(), None);
    }
}
