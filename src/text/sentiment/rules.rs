//! What the analyser needs to know about one language: its lexicon and its function words.
//! The rules themselves (`valence.rs`) are the same for English and German.

use super::CueRule;
use super::lexicon::{Lexicon, WordKind};

/// Empirical constants of VADER (Hutto & Gilbert 2014), kept as the reference defines them.
pub(super) const BOOSTER_INCREMENT: f64 = 0.293;
pub(super) const BOOSTER_DECREMENT: f64 = -0.293;
pub(super) const CAPS_INCREMENT: f64 = 0.733;
pub(super) const NEGATION_SCALAR: f64 = -0.74;

/// Expected communication is rated only when the text says it was missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expected {
    /// An ordinary word.
    No,
    /// A thing ("update"): missing after "no", "without", "nobody" … or after a negated verb of
    /// receiving ("didn't get an update"), but not in "didn't read the updates".
    Item,
    /// An act ("told", "explained"): missing whenever negated.
    Act,
}

/// How a word's base valence was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct WordHit {
    pub valence: f64,
    /// `Lexicon`, `Inflection`, `Compound` or `NegatingPrefix`.
    pub rule: CueRule,
    pub expected: Expected,
}

impl Expected {
    pub fn of(kind: WordKind) -> Expected {
        match kind {
            WordKind::ExpectedItem => Expected::Item,
            WordKind::ExpectedAct => Expected::Act,
            _ => Expected::No,
        }
    }
}

pub(super) struct LanguageRules {
    pub lexicon: Lexicon,
    /// Finds a word's valence; `None` for words without one (including listed zero entries).
    pub lookup: fn(&Lexicon, &str) -> Option<WordHit>,
    /// Words (one or two) that flip the valence of a following rated word within three words.
    pub negators: &'static [&'static str],
    /// Words that carry a negation further ("couldn't tell us anything useful").
    pub negation_extenders: &'static [&'static str],
    /// Negators that deny a thing rather than an action ("no", "without", "kein").
    pub nominal_negators: &'static [&'static str],
    /// Determiners that make a negator deny a thing ("not a single update", "not one word").
    pub negated_determiners: &'static [&'static str],
    /// Verbs of receiving: "didn't get an update" says the update was missing.
    pub receiving_verbs: &'static [&'static str],
    /// Words (one or two) saying there was too much or too little of the next word ("too
    /// technical", "viel zu viele"), which makes an unrated word a complaint.
    pub excess_markers: &'static [&'static str],
    /// Any word containing this counts as a negator (English "n't").
    pub negator_infix: Option<&'static str>,
    /// Words that negate the rated words just before them when they close the clause
    /// (German verb-second order: "Das half uns nicht.").
    pub trailing_negators: &'static [&'static str],
    /// Determiners that negate the next one or two rated words and have no valence of their own
    /// when a rated word follows (VADER's "no").
    pub determiner_negators: &'static [&'static str],
    /// A negator followed by one of these is no negation ("not only", "nicht nur").
    pub negation_cancellers: &'static [&'static str],
    /// Degree words and their increments (one or two words).
    pub boosters: &'static [(&'static str, f64)],
    /// The first of these in a text splits it: what comes before weighs half, after one and a half.
    pub contrasts: &'static [&'static str],
    /// German puts "aber" inside the clause it opens ("danach herrschte aber Funkstille"), so the
    /// weightier part starts at that clause's beginning rather than at the word.
    pub contrast_opens_clause: bool,
    /// Words opening a concessive clause ("although", "obwohl"), which weighs half.
    pub concessives: &'static [&'static str],
    /// Words (one or two) that make a clause about the incident's cause ("caused by", "die
    /// Ursache").
    pub cause_markers: &'static [&'static str],
    /// Beginnings of words that name a technical fault; in a clause about the cause they
    /// describe the incident rather than judge the communication ("a faulty update").
    pub incident_words: &'static [&'static str],
    /// Words that make a clause hypothetical ("would be helpful", "wäre hilfreich"): praise in
    /// it is a suggestion, not a verdict.
    pub conditionals: &'static [&'static str],
    /// Interjections that turn a following positive word ironic ("na toll").
    pub irony_interjections: &'static [&'static str],
    /// A clause of only a positive word followed later in the sentence by one of these is ironic
    /// ("Super, schon wieder kein Update", "Great, another outage").
    pub repetition_markers: &'static [&'static str],
    /// German: boosters and negators do not reach across a comma; English keeps VADER's window.
    pub window_stops_at_clause: bool,
    /// VADER's special cases for "never so/this", "without doubt" and "least".
    pub vader_special_cases: bool,
}

impl LanguageRules {
    pub fn booster(&self, word: &str) -> Option<f64> {
        self.boosters
            .iter()
            .find(|(booster, _)| *booster == word)
            .map(|(_, increment)| *increment)
    }

    pub fn is_negator(&self, word: &str) -> bool {
        self.negators.contains(&word)
            || self.negator_infix.is_some_and(|infix| word.contains(infix))
    }

    pub fn is_negator_pair(&self, first: &str, second: &str) -> bool {
        self.negators
            .iter()
            .any(|negator| negator.split_once(' ') == Some((first, second)))
    }
}
