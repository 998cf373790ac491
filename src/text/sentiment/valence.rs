//! VADER's rules over the words of a text, for any language described by [`LanguageRules`]:
//! each rated word gets a valence, moved by capitals, degree words and negation before it,
//! then by irony, contrast and concession. Every move is recorded as a cue.

use super::rules::{CAPS_INCREMENT, Expected, LanguageRules, NEGATION_SCALAR};
use super::tokens::Token;
use super::{CueRule, SentimentCue};

mod clauses;

/// German clause-final "nicht" also counts before these ("Das gefiel mir nicht und …").
const CONJUNCTIONS_AFTER_TRAILING_NEGATOR: &[&str] = &[
    "und", "oder", "aber", "sondern", "weil", "denn", "dass", "als", "wie",
];
const NEVER_SO_FACTOR: f64 = 1.25;
/// "too technical", "viel zu viele Mails": as much as a mild complaint word.
const EXCESS_VALENCE: f64 = -1.0;
/// Words after "too" that are not what there was too much of.
const NOT_EXCESSIVE: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "to", "of", "is", "was", "be", "me", "us", "i", "we",
    "you", "it", "der", "die", "das", "den", "dem", "und", "oder",
];

/// Per-word valences (0 for unrated words) and the cues that explain them.
pub(super) struct WordValences {
    pub valences: Vec<f64>,
    pub cues: Vec<SentimentCue>,
}

#[derive(Clone, Copy)]
struct Base {
    valence: f64,
    rule: CueRule,
    /// First word of the cue's span: the word itself, or the marker before it ("too technical").
    first: usize,
    /// Number of words from the rated one that the rating covers (more than one for an idiom).
    words: usize,
    expected: Expected,
}

pub(super) fn word_valences(rules: &LanguageRules, text: &str, tokens: &[Token]) -> WordValences {
    let bases = modifiers_unrated(rules, tokens, &rated_words(rules, tokens));
    let mut analysis = Analysis {
        rules,
        text,
        tokens,
        bases: &bases,
        valences: vec![0.0; tokens.len()],
        negated: vec![false; tokens.len()],
        missing_by: vec![None; tokens.len()],
        cues: Vec::new(),
        caps_stand_out: caps_stand_out(tokens),
    };
    for (index, base) in bases.iter().enumerate() {
        if let Some(base) = base {
            analysis.rate_word(index, *base);
        }
    }
    analysis.trailing_negation();
    analysis.repetition_irony();
    analysis.conditional();
    analysis.cause();
    analysis.contrast();
    analysis.concession();
    WordValences {
        valences: analysis.valences,
        cues: analysis.cues,
    }
}

/// Idioms first (longest match, within one clause), then single words, then unrated words
/// after an excess marker.
fn rated_words(rules: &LanguageRules, tokens: &[Token]) -> Vec<Option<Base>> {
    let mut bases = vec![None; tokens.len()];
    let mut index = 0;
    while index < tokens.len() {
        if let Some((words, valence)) = idiom_at(rules, tokens, index) {
            bases[index] = (valence != 0.0).then_some(Base {
                valence,
                rule: CueRule::Idiom,
                first: index,
                words,
                expected: Expected::No,
            });
            index += words;
            continue;
        }
        bases[index] = (rules.lookup)(&rules.lexicon, &tokens[index].lower)
            .map(|hit| Base {
                valence: hit.valence,
                rule: hit.rule,
                first: index,
                words: 1,
                expected: hit.expected,
            })
            .or_else(|| excess(rules, tokens, index));
        index += 1;
    }
    bases
}

/// An unrated word after "too" ("too technical") is what there was too much or too little of.
fn excess(rules: &LanguageRules, tokens: &[Token], index: usize) -> Option<Base> {
    let token = &tokens[index];
    if token.is_any(NOT_EXCESSIVE) || !token.lower.chars().any(char::is_alphabetic) {
        return None;
    }
    let marker_of = |length: usize| {
        let first = index.checked_sub(length)?;
        let marker = &tokens[first..index];
        let joined = marker
            .iter()
            .map(|t| t.lower.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let in_clause = marker.iter().all(|t| !t.ends_clause);
        // "viel zu sagen" is "much to say": German "zu" before an infinitive is no excess
        let infinitive = joined.ends_with("zu") && token.lower.ends_with("en");
        (in_clause && !infinitive && rules.excess_markers.contains(&joined.as_str()))
            .then_some(first)
    };
    let first = marker_of(2).or_else(|| marker_of(1))?;
    Some(Base {
        valence: EXCESS_VALENCE,
        rule: CueRule::Excess,
        first,
        words: 1,
        expected: Expected::No,
    })
}

fn idiom_at(rules: &LanguageRules, tokens: &[Token], index: usize) -> Option<(usize, f64)> {
    rules
        .lexicon
        .phrases_from(&tokens[index].lower)
        .iter()
        .find(|phrase| {
            let Some(window) = tokens.get(index..index + phrase.words.len()) else {
                return false;
            };
            let within_clause = window[..window.len() - 1].iter().all(|t| !t.ends_clause);
            within_clause && window.iter().zip(&phrase.words).all(|(t, w)| t.lower == *w)
        })
        .map(|phrase| (phrase.words.len(), phrase.valence))
}

/// Degree words that modify a following rated word carry no valence of their own ("super
/// hilfreich" is one boosted word, "Super!" a rated one); VADER never rates its degree words, so
/// English drops them always. "No" before a word is a determiner ("No opinion"), not a verdict.
fn modifiers_unrated(
    rules: &LanguageRules,
    tokens: &[Token],
    rated: &[Option<Base>],
) -> Vec<Option<Base>> {
    let mut bases = rated.to_vec();
    for (index, token) in tokens.iter().enumerate() {
        let Some(base) = rated[index] else { continue };
        if matches!(base.rule, CueRule::Idiom | CueRule::Excess) {
            continue;
        }
        let next = tokens.get(index + 1).filter(|_| !token.ends_clause);
        let next_rated =
            next.is_some() && rated[index + 1].is_some_and(|next| next.expected == Expected::No);
        let is_booster = rules.booster(&token.lower).is_some();
        let starts_two_word_booster = next.is_some_and(|next| {
            rules
                .booster(&format!("{} {}", token.lower, next.lower))
                .is_some()
        });
        let modifies_next = (is_booster && (next_rated || rules.vader_special_cases))
            || starts_two_word_booster
            || (token.is_any(rules.determiner_negators) && next.is_some());
        if modifies_next {
            bases[index] = None;
        }
    }
    bases
}

/// VADER's "ALL CAPS" rule applies only when some words, not all, are in capitals.
fn caps_stand_out(tokens: &[Token]) -> bool {
    let capitals = tokens.iter().filter(|t| t.upper).count();
    capitals > 0 && capitals < tokens.len()
}

struct Analysis<'a> {
    rules: &'a LanguageRules,
    text: &'a str,
    tokens: &'a [Token],
    bases: &'a [Option<Base>],
    valences: Vec<f64>,
    negated: Vec<bool>,
    /// The negator that made an expected word missing ("without news").
    missing_by: Vec<Option<usize>>,
    cues: Vec<SentimentCue>,
    caps_stand_out: bool,
}

impl Analysis<'_> {
    fn cue(&mut self, first: usize, last: usize, rule: CueRule, effect: f64) {
        if effect == 0.0 {
            return;
        }
        let (start, end) = (self.tokens[first].start, self.tokens[last].end);
        self.cues.push(SentimentCue {
            start,
            end,
            text: self.text[start..end].to_string(),
            rule,
            effect,
        });
    }

    /// Sets word `index` to `valence`, recording the change as a cue on words `first..=last`.
    fn shift(&mut self, index: usize, valence: f64, rule: CueRule, first: usize, last: usize) {
        let effect = valence - self.valences[index];
        self.valences[index] = valence;
        self.cue(first, last, rule, effect);
    }

    fn negate(&mut self, index: usize, negator: usize) {
        let negated = self.valences[index] * NEGATION_SCALAR;
        self.shift(index, negated, CueRule::Negation, negator, negator);
        self.negated[index] = true;
    }

    fn is_rated(&self, index: usize) -> bool {
        self.bases[index].is_some()
    }

    fn rate_word(&mut self, index: usize, base: Base) {
        if base.expected != Expected::No {
            if let Some(negator) = self.absence_negator(index, base.expected) {
                self.missing(index, negator);
            }
            return;
        }
        self.shift(
            index,
            base.valence,
            base.rule,
            base.first,
            index + base.words - 1,
        );
        self.determiner_negation(index);
        let tokens = self.tokens;
        if tokens[index].upper && self.caps_stand_out {
            let v = self.valences[index];
            let caps = v + CAPS_INCREMENT * direction(v);
            self.shift(index, caps, CueRule::Caps, index, index);
        }
        for distance in 1..=3 {
            let Some(before) = index.checked_sub(distance) else {
                break;
            };
            if self.rules.window_stops_at_clause && tokens[before].ends_clause {
                break;
            }
            // rated words are not modifiers (VADER), nor is the excess marker ("viel zu") of
            // its own word
            if self.is_rated(before) || before >= base.first {
                continue;
            }
            let booster_tail = self.degree(index, before, distance);
            if !booster_tail {
                self.window_negation(index, before, distance);
            }
        }
        if self.rules.vader_special_cases {
            self.least(index);
        }
        self.interjection_irony(index);
    }

    /// "No update", "keine Rückmeldung", "without any explanation": the expected word is rated
    /// as missing, on the span from the negator to the word.
    fn missing(&mut self, index: usize, negator: usize) {
        if let Some(base) = self.bases[index] {
            let (first, last) = (negator.min(index), negator.max(index));
            self.shift(index, base.valence, CueRule::Absence, first, last);
            self.negated[index] = true;
            self.missing_by[index] = Some(negator);
        }
    }

    fn absence_negator(&self, index: usize, expected: Expected) -> Option<usize> {
        self.determiner(index).or_else(|| {
            (1..=3)
                .map_while(|distance| index.checked_sub(distance))
                .take_while(|&before| !self.tokens[before].ends_clause)
                .find(|&before| self.negates(before) && self.denies(before, index, expected))
        })
    }

    /// Whether the negator at `negator` says the expected word at `word` was missing: always for
    /// an act ("didn't tell us"); for a thing only a negator of things ("no", "without") or a
    /// negated verb of receiving between them ("didn't get an update").
    fn denies(&self, negator: usize, word: usize, expected: Expected) -> bool {
        let tokens = self.tokens;
        let nominal = tokens[negator].is_any(self.rules.nominal_negators)
            || negator.checked_sub(1).is_some_and(|first| {
                let pair = format!("{} {}", tokens[first].lower, tokens[negator].lower);
                self.rules.nominal_negators.contains(&pair.as_str())
            });
        // "not a single apology", "not one update": a negated determiner denies the thing
        let determiner_follows = tokens
            .get(negator + 1)
            .is_some_and(|next| next.is_any(self.rules.negated_determiners));
        let nominal = nominal || (negator < word && determiner_follows);
        let (from, to) = (negator.min(word), negator.max(word));
        // the verb is between them, or closes the clause after a trailing negator
        let verb_after = (negator > word)
            .then(|| tokens.get(negator + 1))
            .flatten()
            .is_some_and(|verb| verb.is_any(self.rules.receiving_verbs));
        let receiving = verb_after
            || tokens[from + 1..to]
                .iter()
                .any(|t| t.is_any(self.rules.receiving_verbs));
        expected == Expected::Act || nominal || receiving
    }

    /// VADER's "no": "no problems" and "no real problems" are negated, as is "no a or b".
    fn determiner(&self, index: usize) -> Option<usize> {
        let determiner = |offset: usize| {
            index
                .checked_sub(offset)
                .filter(|&i| self.tokens[i].is_any(self.rules.determiner_negators))
        };
        let or_nor = index
            .checked_sub(1)
            .is_some_and(|i| self.tokens[i].is_any(&["or", "nor"]));
        determiner(1)
            .or_else(|| determiner(2))
            .or_else(|| determiner(3).filter(|_| or_nor))
    }

    fn determiner_negation(&mut self, index: usize) {
        if let Some(negator) = self.determiner(index) {
            self.negate(index, negator);
        }
    }

    /// Whether the word at `before` negates what follows: a negator (one word or the end of a
    /// two-word one), not cancelled ("not only"), or an extender within reach of a negator
    /// ("couldn't tell us anything useful").
    fn negates(&self, before: usize) -> bool {
        let tokens = self.tokens;
        let negator_at = |at: usize| {
            let cancelled = tokens
                .get(at + 1)
                .is_some_and(|next| next.is_any(self.rules.negation_cancellers));
            let pair = at.checked_sub(1).is_some_and(|first| {
                self.rules
                    .is_negator_pair(&tokens[first].lower, &tokens[at].lower)
            });
            (self.rules.is_negator(&tokens[at].lower) || pair) && !cancelled
        };
        if negator_at(before) {
            return true;
        }
        // a negation anywhere earlier in the clause licenses "any"/"anything" ("none of them
        // said anything useful")
        tokens[before].is_any(self.rules.negation_extenders)
            && (0..before)
                .rev()
                .take_while(|&earlier| !tokens[earlier].ends_clause)
                .any(negator_at)
    }

    /// Applies a degree word at `before`; returns whether it was the second word of a two-word
    /// degree phrase ("ein wenig"), which is then no negator.
    fn degree(&mut self, index: usize, before: usize, distance: usize) -> bool {
        let pair = before.checked_sub(1).and_then(|first| {
            let phrase = format!("{} {}", self.tokens[first].lower, self.tokens[before].lower);
            self.rules
                .booster(&phrase)
                .map(|increment| (first, increment))
        });
        let (first, increment) = match pair {
            Some(found) => found,
            None => match self.rules.booster(&self.tokens[before].lower) {
                Some(increment) => (before, increment),
                None => return false,
            },
        };
        let v = self.valences[index];
        let mut scalar = if v < 0.0 { -increment } else { increment };
        if self.tokens[before].upper && self.caps_stand_out {
            scalar += CAPS_INCREMENT * direction(v);
        }
        scalar *= match distance {
            1 => 1.0,
            2 => 0.95,
            _ => 0.9,
        };
        let rule = if increment > 0.0 {
            CueRule::Booster
        } else {
            CueRule::Dampener
        };
        self.shift(index, v + scalar, rule, first, before);
        pair.is_some()
    }

    fn window_negation(&mut self, index: usize, before: usize, distance: usize) {
        let tokens = self.tokens;
        if self.rules.vader_special_cases && distance >= 2 {
            let never = &tokens[index - distance];
            let between = &tokens[index - distance + 1..index];
            if never.is("never") && between.iter().any(|t| t.is_any(&["so", "this"])) {
                let v = self.valences[index] * NEVER_SO_FACTOR;
                self.shift(
                    index,
                    v,
                    CueRule::Booster,
                    index - distance,
                    index - distance + 1,
                );
                return;
            }
            if never.is("without") && between.iter().any(|t| t.is("doubt")) {
                return;
            }
        }
        // "without news is unacceptable": the negator is spent on the missing news
        let spent = (before + 1..index).any(|between| self.missing_by[between] == Some(before));
        if self.negates(before) && !spent {
            self.negate(index, before);
        }
    }

    /// VADER: "least" negates ("the least helpful") except in "at least" and "very least".
    fn least(&mut self, index: usize) {
        let Some(before) = index.checked_sub(1) else {
            return;
        };
        if !self.tokens[before].is("least") || self.is_rated(before) {
            return;
        }
        let excepted = before
            .checked_sub(1)
            .is_some_and(|i| self.tokens[i].is_any(&["at", "very"]));
        if !excepted {
            self.negate(index, before);
        }
    }

    /// "na toll", "na super": the interjection makes the praise ironic.
    fn interjection_irony(&mut self, index: usize) {
        let Some(before) = index.checked_sub(1) else {
            return;
        };
        let tokens = self.tokens;
        let token = &tokens[before];
        if self.valences[index] > 0.0
            && !token.ends_clause
            && token.is_any(self.rules.irony_interjections)
        {
            let ironic = -self.valences[index];
            self.shift(index, ironic, CueRule::Irony, before, index);
        }
    }

    /// German verb-second order puts the negation last: "Das half uns gar nicht.", also before a
    /// closing verb of receiving: "Updates haben wir nicht bekommen."
    fn trailing_negation(&mut self) {
        let tokens = self.tokens;
        for (negator, token) in tokens.iter().enumerate() {
            if !token.is_any(self.rules.trailing_negators) {
                continue;
            }
            let next = tokens.get(negator + 1);
            let closes = token.ends_clause
                || next.is_some_and(|next| next.is_any(CONJUNCTIONS_AFTER_TRAILING_NEGATOR))
                || next.is_some_and(|next| {
                    next.ends_clause && next.is_any(self.rules.receiving_verbs)
                });
            if !closes {
                continue;
            }
            for distance in 1..=3 {
                let Some(index) = negator.checked_sub(distance) else {
                    break;
                };
                if self.tokens[index].ends_clause {
                    break;
                }
                if self.negated[index] {
                    continue;
                }
                let expected = self.bases[index].map_or(Expected::No, |base| base.expected);
                if expected != Expected::No {
                    if self.denies(negator, index, expected) {
                        self.missing(index, negator);
                    }
                } else if self.valences[index] != 0.0 {
                    self.negate(index, negator);
                }
            }
        }
    }
}

/// VADER adds emphasis in the direction of the valence; zero counts as negative.
fn direction(valence: f64) -> f64 {
    if valence > 0.0 { 1.0 } else { -1.0 }
}
