//! Sentiment of free-text answers (SCORING §4): positive, neutral or negative, with VADER's
//! compound value and the words and rules that moved it.
//!
//! English uses VADER (lexicon and rules of vaderSentiment 3.3.2, MIT) plus a project-owned
//! supplement of incident vocabulary; German uses the project-owned lexicon with the same rules
//! and German function words. Both add rules for feedback on crisis communication: a missing
//! update, apology or answer counts against ("no update", "nobody told us", "keine
//! Rückmeldung"), "too"/"viel zu" makes the next word a complaint ("too technical"), praise in
//! a hypothetical clause is a suggestion ("would be helpful", "wäre hilfreich"), and cheap irony
//! markers ("na toll", "Great, another outage"). German adds clause-final negation ("Das half
//! uns nicht."), modifiers that stop at a comma, and a contrast word that weighs its whole
//! clause ("danach herrschte aber Funkstille").
//!
//! Deliberate differences from the VADER reference: idioms are matched wherever they occur
//! (VADER checks them only in some positions), "so"/"this" strengthen only after "never",
//! a word with trailing punctuation ("ok.") is still found, "no" before a word is a determiner
//! without valence of its own, "nobody", "no one" and "instead of" negate, "any"/"anything"
//! carry a negation further, emoji are not translated, and the first "but" of the whole text is
//! weighed by position rather than by VADER's value lookup.

mod english;
mod german;
mod german_forms;
mod lexicon;
mod rules;
mod tokens;
mod valence;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::language::detect_language;
use crate::domain::Language;
use rules::LanguageRules;

crate::text_enum!(
    /// The class shown beside a free-text answer.
    Polarity { Positive = "positive", Neutral = "neutral", Negative = "negative" }
);

crate::text_enum!(
    /// Why a cue moved the score.
    CueRule {
        Lexicon = "lexicon",
        Inflection = "inflection",
        Compound = "compound",
        NegatingPrefix = "negating_prefix",
        Idiom = "idiom",
        Negation = "negation",
        Booster = "booster",
        Dampener = "dampener",
        Caps = "caps",
        Irony = "irony",
        Absence = "absence",
        Excess = "excess",
        Cause = "cause",
        Conditional = "conditional",
        Contrast = "contrast",
        Concession = "concession",
        Exclamation = "exclamation",
        Question = "question",
    }
);

/// One piece of evidence: a span of the analysed text and how much it moved the summed valence
/// (before the sum is squashed into the compound value). The effects of all cues add up to that
/// sum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentCue {
    /// Byte offsets into the analysed text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rule: CueRule,
    pub effect: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub language: Language,
    pub polarity: Polarity,
    /// −1 (most negative) … 1 (most positive), VADER's normalised sum, rounded to 4 places.
    pub compound: f64,
    /// Shares of positive, neutral and negative weight, VADER's `pos`/`neu`/`neg` (3 places).
    pub positive: f64,
    pub neutral: f64,
    pub negative: f64,
    pub cues: Vec<SentimentCue>,
}

/// Compound values within ±this are neutral: the threshold VADER's authors recommend. Wider
/// bands (0.1–0.3) did not classify the development sets better.
pub const NEUTRAL_BAND: f64 = 0.05;

/// VADER's normalisation constant: the sum at which the compound reaches about ±0.5 × √2.
const NORMALISATION_ALPHA: f64 = 15.0;
const EXCLAMATION_INCREMENT: f64 = 0.292;
const MAX_EXCLAMATIONS: usize = 4;
const QUESTION_INCREMENT: f64 = 0.18;
const MAX_QUESTION_AMPLIFIER: f64 = 0.96;

static ENGLISH: LazyLock<LanguageRules> = LazyLock::new(english::rules);
static GERMAN: LazyLock<LanguageRules> = LazyLock::new(german::rules);

/// Sentiment of `text` in the language the detector finds.
pub fn analyse_sentiment(text: &str) -> Sentiment {
    analyse_sentiment_in(text, detect_language(text))
}

/// Sentiment of `text` read as `language`.
pub fn analyse_sentiment_in(text: &str, language: Language) -> Sentiment {
    let rules: &LanguageRules = match language {
        Language::En => &ENGLISH,
        Language::De => &GERMAN,
    };
    let tokens = tokens::tokenise(text, language == Language::De, |piece| {
        rules.lexicon.contains(piece)
    });
    let words = valence::word_valences(rules, text, &tokens);
    score(text, language, &words.valences, words.cues)
}

fn score(
    text: &str,
    language: Language,
    valences: &[f64],
    mut cues: Vec<SentimentCue>,
) -> Sentiment {
    if valences.is_empty() {
        return Sentiment {
            language,
            polarity: Polarity::Neutral,
            compound: 0.0,
            positive: 0.0,
            neutral: 0.0,
            negative: 0.0,
            cues,
        };
    }
    let mut sum: f64 = valences.iter().sum();
    let emphasis = if sum == 0.0 {
        0.0
    } else {
        punctuation_emphasis(text, sum.signum(), &mut cues)
    };
    sum += emphasis * sum.signum();
    let compound = round(normalise(sum), 4);

    // VADER counts each rated word one above its valence so neutral words (1 each) compare.
    let mut positive_sum: f64 = valences.iter().filter(|v| **v > 0.0).map(|v| v + 1.0).sum();
    let mut negative_sum: f64 = valences.iter().filter(|v| **v < 0.0).map(|v| v - 1.0).sum();
    let neutral_count = valences.iter().filter(|v| **v == 0.0).count() as f64;
    if positive_sum > negative_sum.abs() {
        positive_sum += emphasis;
    } else if positive_sum < negative_sum.abs() {
        negative_sum -= emphasis;
    }
    let total = positive_sum + negative_sum.abs() + neutral_count;
    Sentiment {
        language,
        polarity: polarity(compound),
        compound,
        positive: round((positive_sum / total).abs(), 3),
        neutral: round((neutral_count / total).abs(), 3),
        negative: round((negative_sum / total).abs(), 3),
        cues,
    }
}

pub fn polarity(compound: f64) -> Polarity {
    if compound >= NEUTRAL_BAND {
        Polarity::Positive
    } else if compound <= -NEUTRAL_BAND {
        Polarity::Negative
    } else {
        Polarity::Neutral
    }
}

/// Exclamation marks (up to four) and repeated question marks strengthen whatever the words say.
fn punctuation_emphasis(text: &str, direction: f64, cues: &mut Vec<SentimentCue>) -> f64 {
    let marks = |mark: char| text.char_indices().filter(move |(_, c)| *c == mark);
    let mut emphasis = 0.0;
    for (start, _) in marks('!').take(MAX_EXCLAMATIONS) {
        emphasis += EXCLAMATION_INCREMENT;
        cues.push(punctuation_cue(
            start,
            "!",
            CueRule::Exclamation,
            EXCLAMATION_INCREMENT * direction,
        ));
    }
    let questions = marks('?').count();
    if questions > 1 {
        let amplifier = if questions <= 3 {
            questions as f64 * QUESTION_INCREMENT
        } else {
            MAX_QUESTION_AMPLIFIER
        };
        emphasis += amplifier;
        let each = amplifier / questions as f64 * direction;
        for (start, _) in marks('?') {
            cues.push(punctuation_cue(start, "?", CueRule::Question, each));
        }
    }
    emphasis
}

fn punctuation_cue(start: usize, mark: &str, rule: CueRule, effect: f64) -> SentimentCue {
    SentimentCue {
        start,
        end: start + mark.len(),
        text: mark.to_string(),
        rule,
        effect,
    }
}

/// VADER's squashing of the summed valence into −1 … 1.
fn normalise(sum: f64) -> f64 {
    (sum / (sum * sum + NORMALISATION_ALPHA).sqrt()).clamp(-1.0, 1.0)
}

fn round(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (value * factor).round() / factor
}

#[cfg(test)]
mod tests;
