//! Word and phrase valences read from the embedded lexicon files.

use std::collections::HashMap;

/// What kind of word a lexicon entry is; German compounds may only end in a noun or adjective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordKind {
    Noun,
    Adjective,
    Verb,
    Other,
    /// A piece of communication people expect ("update", "Rückmeldung"): neutral when
    /// mentioned, rated with its (negative) valence only when said to be missing ("no update").
    ExpectedItem,
    /// An act of communicating ("told", "explained"): rated only when negated ("nobody told us").
    ExpectedAct,
}

impl WordKind {
    pub fn is_expected(self) -> bool {
        matches!(self, WordKind::ExpectedItem | WordKind::ExpectedAct)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Entry {
    pub valence: f64,
    pub kind: WordKind,
    /// Found as an inflected form of a lemma rather than the lemma itself.
    pub inflected: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Phrase {
    pub words: Vec<String>,
    pub valence: f64,
}

#[derive(Debug, Default)]
pub(super) struct Lexicon {
    words: HashMap<String, Entry>,
    /// Phrases keyed by their first word, longest first.
    phrases: HashMap<String, Vec<Phrase>>,
}

/// VADER's own file lists a few words twice and Python keeps the last rating; the project's files
/// must not repeat a word, except to neutralise one (valence 0: "affected" describes an incident,
/// it does not judge it) or to mark it as expected communication ("no apology" is a missing
/// apology, not a negated 0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Duplicates {
    LastWins,
    Reject,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub(super) enum LexiconError {
    #[error("lexicon line {line}: expected word<TAB>valence, got {text:?}")]
    Malformed { line: usize, text: String },
    #[error("lexicon line {line}: {word:?} is listed twice")]
    Duplicate { line: usize, word: String },
}

impl Lexicon {
    /// Reads `word<TAB>valence[<TAB>kind …]` lines; `#` starts a comment line. VADER's file has
    /// standard deviations and raw ratings in place of the kind, which count as `Other`.
    /// A word with spaces is a phrase.
    pub fn parse(text: &str, duplicates: Duplicates) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::default();
        lexicon.extend(text, duplicates)?;
        Ok(lexicon)
    }

    pub fn extend(&mut self, text: &str, duplicates: Duplicates) -> Result<(), LexiconError> {
        for (index, line) in text.lines().enumerate() {
            let line_number = index + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let malformed = || LexiconError::Malformed {
                line: line_number,
                text: line.to_string(),
            };
            let word = fields
                .next()
                .filter(|w| !w.is_empty())
                .ok_or_else(malformed)?;
            let valence: f64 = fields
                .next()
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(malformed)?;
            let kind = match fields.next().map(str::trim) {
                Some("n") => WordKind::Noun,
                Some("a") => WordKind::Adjective,
                Some("v") => WordKind::Verb,
                Some("e") => WordKind::ExpectedItem,
                Some("ea") => WordKind::ExpectedAct,
                _ => WordKind::Other,
            };
            let key = word.replace('ß', "ss");
            if key.contains(' ') {
                self.add_phrase(&key, valence);
                continue;
            }
            let entry = Entry {
                valence,
                kind,
                inflected: false,
            };
            let re_rates = valence == 0.0 || kind.is_expected();
            let replaced = self.words.insert(key.clone(), entry).is_some();
            if replaced && duplicates == Duplicates::Reject && !re_rates {
                return Err(LexiconError::Duplicate {
                    line: line_number,
                    word: key,
                });
            }
        }
        Ok(())
    }

    fn add_phrase(&mut self, phrase: &str, valence: f64) {
        let words: Vec<String> = phrase.split(' ').map(str::to_lowercase).collect();
        let Some(first) = words.first().cloned() else {
            return;
        };
        let list = self.phrases.entry(first).or_default();
        list.push(Phrase { words, valence });
        list.sort_by_key(|phrase| std::cmp::Reverse(phrase.words.len()));
    }

    /// Adds a phrase from a code table (VADER's idioms), keeping any entry the files already have.
    pub fn add_phrase_if_absent(&mut self, phrase: &str, valence: f64) {
        let exists = phrase
            .split(' ')
            .next()
            .and_then(|first| self.phrases.get(first))
            .is_some_and(|list| list.iter().any(|p| p.words.join(" ") == phrase));
        if !exists {
            self.add_phrase(phrase, valence);
        }
    }

    /// Adds an inflected form unless the word is already known (listed entries win).
    pub fn add_form(&mut self, form: String, lemma: Entry) {
        self.words.entry(form).or_insert(Entry {
            inflected: true,
            ..lemma
        });
    }

    pub fn get(&self, word: &str) -> Option<Entry> {
        self.words.get(word).copied()
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    pub fn phrases_from(&self, first_word: &str) -> &[Phrase] {
        self.phrases.get(first_word).map_or(&[], Vec::as_slice)
    }

    /// Lemmas as listed (not generated forms), for deriving inflections.
    pub fn lemmas(&self) -> Vec<(String, Entry)> {
        let mut lemmas: Vec<(String, Entry)> = self
            .words
            .iter()
            .filter(|(_, entry)| !entry.inflected)
            .map(|(word, entry)| (word.clone(), *entry))
            .collect();
        lemmas.sort_by(|a, b| a.0.cmp(&b.0));
        lemmas
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_phrases_and_kinds() {
        let lexicon = Lexicon::parse(
            "# comment\ngut\t1.9\ta\nChaos\t-2.5\tn\nim stich gelassen\t-2.3\tp\n",
            Duplicates::Reject,
        )
        .unwrap();
        assert_eq!(
            lexicon.get("gut").map(|e| e.kind),
            Some(WordKind::Adjective)
        );
        assert_eq!(lexicon.get("Chaos").map(|e| e.valence), Some(-2.5));
        assert_eq!(
            lexicon.phrases_from("im")[0].words,
            ["im", "stich", "gelassen"]
        );
    }

    #[test]
    fn rejects_malformed_and_duplicate_lines() {
        assert_eq!(
            Lexicon::parse("gut\n", Duplicates::Reject).unwrap_err(),
            LexiconError::Malformed {
                line: 1,
                text: "gut".into()
            }
        );
        assert!(matches!(
            Lexicon::parse("gut\t1\ngut\t2\n", Duplicates::Reject),
            Err(LexiconError::Duplicate { line: 2, .. })
        ));
        let neutralised = Lexicon::parse("affected\t-0.6\naffected\t0\n", Duplicates::Reject);
        assert_eq!(
            neutralised.unwrap().get("affected").map(|e| e.valence),
            Some(0.0)
        );
        let expected = Lexicon::parse("apology\t0.2\napology\t-1.5\te\n", Duplicates::Reject);
        assert_eq!(
            expected.unwrap().get("apology").map(|e| e.kind),
            Some(WordKind::ExpectedItem)
        );
        let vader_style = Lexicon::parse("ok\t1\nok\t1.2\n", Duplicates::LastWins).unwrap();
        assert_eq!(vader_style.get("ok").map(|e| e.valence), Some(1.2));
    }

    #[test]
    fn listed_words_win_over_generated_forms() {
        let mut lexicon = Lexicon::parse("später\t0\ta\n", Duplicates::Reject).unwrap();
        let spaet = Entry {
            valence: -1.2,
            kind: WordKind::Adjective,
            inflected: false,
        };
        lexicon.add_form("später".into(), spaet);
        lexicon.add_form("späte".into(), spaet);
        assert_eq!(lexicon.get("später").map(|e| e.valence), Some(0.0));
        assert_eq!(lexicon.get("späte").map(|e| e.inflected), Some(true));
    }
}
