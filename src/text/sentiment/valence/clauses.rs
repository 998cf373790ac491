//! Rules that weigh whole clauses: irony by repetition, hypothetical praise, contrast and
//! concession.

use super::super::CueRule;
use super::Analysis;

/// A one-word clause ("Great,") or one with a degree word ("Just great,", "Echt super,").
const MAX_IRONIC_CLAUSE_WORDS: usize = 3;
const CONTRAST_BEFORE: f64 = 0.5;
const CONTRAST_AFTER: f64 = 1.5;
const CONCESSION_WEIGHT: f64 = 0.5;

impl Analysis<'_> {
    /// "Super, schon wieder kein Update." / "Great, another outage.": praise standing alone in
    /// its clause, followed in the same sentence by a word of repetition, is ironic.
    pub(super) fn repetition_irony(&mut self) {
        let mut sentence_start = 0;
        for index in 0..self.tokens.len() {
            if !self.tokens[index].ends_sentence {
                continue;
            }
            self.repetition_irony_in(sentence_start, index);
            sentence_start = index + 1;
        }
    }

    fn repetition_irony_in(&mut self, first: usize, last: usize) {
        let Some(marker) =
            (first..=last).find(|&i| self.tokens[i].is_any(self.rules.repetition_markers))
        else {
            return;
        };
        let mut clause_start = first;
        for index in first..marker {
            if !self.tokens[index].ends_clause {
                continue;
            }
            let short = index + 1 - clause_start <= MAX_IRONIC_CLAUSE_WORDS;
            for word in clause_start..=index {
                if short && self.valences[word] > 0.0 {
                    let ironic = -self.valences[word];
                    self.shift(word, ironic, CueRule::Irony, word, word);
                }
            }
            clause_start = index + 1;
        }
    }

    /// Praise in a hypothetical clause ("would be helpful", "wäre hilfreich") is a suggestion,
    /// not a verdict, so it does not count.
    pub(super) fn conditional(&mut self) {
        for word in 0..self.tokens.len() {
            if !self.tokens[word].is_any(self.rules.conditionals) {
                continue;
            }
            // from the modal on: "Thanks to the updates I could plan my day" keeps its thanks
            let mut effect = 0.0;
            let mut index = word;
            loop {
                if self.valences[index] > 0.0 {
                    effect -= self.valences[index];
                    self.valences[index] = 0.0;
                }
                if self.tokens[index].ends_clause {
                    break;
                }
                index += 1;
            }
            self.cue(word, word, CueRule::Conditional, effect);
        }
    }

    /// "The problem was caused by a faulty update": fault words in a clause about the cause
    /// describe the incident, so they do not count.
    pub(super) fn cause(&mut self) {
        let tokens = self.tokens;
        for word in 0..tokens.len() {
            let pair = word
                .checked_sub(1)
                .map(|first| format!("{} {}", tokens[first].lower, tokens[word].lower));
            let marks_cause = tokens[word].is_any(self.rules.cause_markers)
                || pair.is_some_and(|pair| self.rules.cause_markers.contains(&pair.as_str()));
            if !marks_cause {
                continue;
            }
            let mut effect = 0.0;
            let mut index = self.clause_start(word);
            loop {
                let names_fault = self
                    .rules
                    .incident_words
                    .iter()
                    .any(|fault| tokens[index].lower.starts_with(fault));
                if names_fault && self.valences[index] < 0.0 {
                    effect -= self.valences[index];
                    self.valences[index] = 0.0;
                }
                if tokens[index].ends_clause {
                    break;
                }
                index += 1;
            }
            self.cue(word, word, CueRule::Cause, effect);
        }
    }

    /// The first contrast word ("but", "aber") halves what comes before and strengthens what
    /// follows by half.
    pub(super) fn contrast(&mut self) {
        let Some(word) =
            (0..self.tokens.len()).find(|&i| self.tokens[i].is_any(self.rules.contrasts))
        else {
            return;
        };
        let pivot = if self.rules.contrast_opens_clause {
            self.clause_start(word)
        } else {
            word + 1
        };
        let mut effect = 0.0;
        for index in (0..self.tokens.len()).filter(|&i| i != word) {
            let factor = if index < pivot {
                CONTRAST_BEFORE
            } else {
                CONTRAST_AFTER
            };
            let weighted = self.valences[index] * factor;
            effect += weighted - self.valences[index];
            self.valences[index] = weighted;
        }
        self.cue(word, word, CueRule::Contrast, effect);
    }

    /// A concessive clause ("obwohl …", "zwar …", "although …") weighs half.
    pub(super) fn concession(&mut self) {
        for word in 0..self.tokens.len() {
            if !self.tokens[word].is_any(self.rules.concessives) {
                continue;
            }
            let mut effect = 0.0;
            let mut index = self.clause_start(word);
            loop {
                let weighted = self.valences[index] * CONCESSION_WEIGHT;
                effect += weighted - self.valences[index];
                self.valences[index] = weighted;
                if self.tokens[index].ends_clause {
                    break;
                }
                index += 1;
            }
            self.cue(word, word, CueRule::Concession, effect);
        }
    }

    fn clause_start(&self, index: usize) -> usize {
        (0..index)
            .rev()
            .find(|&i| self.tokens[i].ends_clause)
            .map_or(0, |i| i + 1)
    }
}
