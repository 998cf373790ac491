//! Readability measurements (SCORING §2): Flesch Reading Ease for English; Amstad, Wiener
//! Sachtextformel 1 and LIX for German; and the sentence-length structure both languages share.
//! A German Amstad figure and an English Flesch figure are never stored in the same field, so
//! they cannot be compared by mistake.

use serde::Serialize;

use super::segment::Segmentation;
use super::syllables;
use crate::domain::Language;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readability {
    /// Sentences with at least one word of prose.
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// Words of more than six letters (LIX, Wiener Sachtextformel).
    pub long_words: usize,
    /// Words of three or more syllables.
    pub polysyllables: usize,
    pub monosyllables: usize,
    pub words_per_sentence: f64,
    pub syllables_per_word: f64,
    /// English only: 206.835 − 1.015·ASL − 84.6·ASW.
    pub flesch: Option<f64>,
    /// German only: 180 − ASL − 58.5·ASW.
    pub amstad: Option<f64>,
    /// German only: Wiener Sachtextformel 1 (a school grade, 4 easy … 15 very hard).
    pub wstf1: Option<f64>,
    /// German only: LIX (W/S + 100·L/W).
    pub lix: Option<f64>,
    /// Sentences longer than the rubric's limit (20 words by default).
    pub long_sentences: usize,
    pub longest_sentence: usize,
}

impl Readability {
    /// The reading-ease figure of the message's language: Flesch (en) or Amstad (de).
    pub fn reading_ease(&self) -> Option<f64> {
        self.flesch.or(self.amstad)
    }
}

/// Measures `text` as segmented by [`super::segment::segment`].
pub fn measure(
    text: &str,
    segmentation: &Segmentation,
    language: Language,
    long_sentence_words: usize,
) -> Readability {
    let mut syllable_total = 0usize;
    let mut long_words = 0usize;
    let mut polysyllables = 0usize;
    let mut monosyllables = 0usize;
    let mut long_sentences = 0usize;
    let mut longest_sentence = 0usize;
    for sentence in &segmentation.sentences {
        let words = &segmentation.words[sentence.words.clone()];
        let shouted = is_shouted(words.iter().map(|w| w.text(text)));
        for word in words {
            let word = word.text(text);
            let n = syllables::count(word, language, !shouted) as usize;
            syllable_total += n;
            match n {
                1 => monosyllables += 1,
                n if n >= 3 => polysyllables += 1,
                _ => {}
            }
            if word.chars().filter(|c| c.is_alphabetic()).count() > 6 {
                long_words += 1;
            }
        }
        longest_sentence = longest_sentence.max(words.len());
        if words.len() > long_sentence_words {
            long_sentences += 1;
        }
    }
    let counts = Counts {
        sentences: segmentation.sentences.len(),
        words: segmentation.words.len(),
        syllables: syllable_total,
        long_words,
        polysyllables,
        monosyllables,
    };
    let (sentences, words) = (counts.sentences, counts.words);
    let asl = counts.words_per_sentence();
    let asw = ratio(syllable_total, words);
    let has_text = words > 0;
    let (flesch, amstad, wstf1, lix) = match language {
        Language::En => (has_text.then(|| round2(counts.flesch())), None, None, None),
        Language::De => (
            None,
            has_text.then(|| round2(counts.amstad())),
            has_text.then(|| round2(counts.wstf1())),
            has_text.then(|| round2(counts.lix())),
        ),
    };
    Readability {
        sentences,
        words,
        syllables: syllable_total,
        long_words,
        polysyllables,
        monosyllables,
        words_per_sentence: round2(asl),
        syllables_per_word: round2(asw),
        flesch,
        amstad,
        wstf1,
        lix,
        long_sentences,
        longest_sentence,
    }
}

/// The counts the formulas of SCORING §2 read; public so that the formulas can be checked on
/// another implementation's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// Words of more than six letters.
    pub long_words: usize,
    /// Words of three or more syllables.
    pub polysyllables: usize,
    pub monosyllables: usize,
}

impl Counts {
    fn words_per_sentence(&self) -> f64 {
        ratio(self.words, self.sentences)
    }

    fn percent_of_words(&self, n: usize) -> f64 {
        100.0 * ratio(n, self.words)
    }

    /// Flesch Reading Ease: 206.835 − 1.015·ASL − 84.6·ASW.
    pub fn flesch(&self) -> f64 {
        206.835 - 1.015 * self.words_per_sentence() - 84.6 * ratio(self.syllables, self.words)
    }

    /// Amstad: 180 − ASL − 58.5·ASW.
    pub fn amstad(&self) -> f64 {
        180.0 - self.words_per_sentence() - 58.5 * ratio(self.syllables, self.words)
    }

    /// Wiener Sachtextformel 1: 0.1935·MS + 0.1672·SL + 0.1297·IW − 0.0327·ES − 0.875.
    pub fn wstf1(&self) -> f64 {
        0.1935 * self.percent_of_words(self.polysyllables)
            + 0.1672 * self.words_per_sentence()
            + 0.1297 * self.percent_of_words(self.long_words)
            - 0.0327 * self.percent_of_words(self.monosyllables)
            - 0.875
    }

    /// LIX: W/S + 100·L/W.
    pub fn lix(&self) -> f64 {
        self.words_per_sentence() + self.percent_of_words(self.long_words)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// A sentence written mostly in capitals is shouted: its capitals are not acronyms.
fn is_shouted<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let mut letter_words = 0;
    let mut capital_words = 0;
    for word in words {
        let letters = word.chars().filter(|c| c.is_alphabetic());
        let (mut n, mut upper) = (0, 0);
        for c in letters {
            n += 1;
            if c.is_uppercase() {
                upper += 1;
            }
        }
        if n >= 2 {
            letter_words += 1;
            if upper == n {
                capital_words += 1;
            }
        }
    }
    letter_words >= 3 && capital_words * 2 > letter_words
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::segment::segment;

    fn measured(text: &str, language: Language) -> Readability {
        measure(text, &segment(text), language, 20)
    }

    #[test]
    fn flesch_for_a_plain_english_text() {
        // 2 sentences, 10 words; syllables: the(1) cat(1) sat(1) on(1) the(1) mat(1),
        // we(1) are(1) sorry(2) today(2) = 12.
        let r = measured("The cat sat on the mat. We are sorry today.", Language::En);
        assert_eq!((r.sentences, r.words, r.syllables), (2, 10, 12));
        let expected = 206.835 - 1.015 * 5.0 - 84.6 * 1.2;
        assert_eq!(r.flesch, Some(round2(expected)));
        assert_eq!(r.amstad, None);
        assert_eq!(r.lix, None);
    }

    #[test]
    fn german_measures_for_a_german_text() {
        // Die(1) Panne(2) ist(1) behoben(3) | Wir(1) bedauern(3) das(1) = 12 syllables, 7 words,
        // 2 sentences; long words (> 6 letters): behoben, bedauern; three syllables or more:
        // behoben, bedauern; one syllable: Die, ist, Wir, das.
        let r = measured("Die Panne ist behoben. Wir bedauern das.", Language::De);
        assert_eq!((r.sentences, r.words, r.syllables), (2, 7, 12));
        let asl = 3.5;
        let asw = 12.0 / 7.0;
        assert_eq!(r.amstad, Some(round2(180.0 - asl - 58.5 * asw)));
        assert_eq!(r.lix, Some(round2(asl + 100.0 * 2.0 / 7.0)));
        let ms = 100.0 * 2.0 / 7.0;
        let iw = 100.0 * 2.0 / 7.0;
        let es = 100.0 * 4.0 / 7.0;
        assert_eq!(
            r.wstf1,
            Some(round2(
                0.1935 * ms + 0.1672 * asl + 0.1297 * iw - 0.0327 * es - 0.875
            ))
        );
        assert_eq!(r.flesch, None);
    }

    #[test]
    fn long_sentences_are_counted() {
        let long = "word ".repeat(25);
        let r = measured(&format!("{long}. Short one."), Language::En);
        assert_eq!((r.long_sentences, r.longest_sentence), (1, 25));
    }

    #[test]
    fn shouted_sentences_do_not_spell_out_capitals() {
        let shouted = measured("PLEASE KEEP YOUR LAPTOP ON", Language::En);
        let spelled = measured("Restart the VPN now", Language::En);
        // please(1) keep(1) your(1) laptop(2) on(1); VPN spelled out is 3 syllables.
        assert_eq!(shouted.syllables, 6);
        assert_eq!(spelled.syllables, 2 + 1 + 3 + 1);
    }

    #[test]
    fn empty_text_has_no_reading_ease() {
        let r = measured("12:30 🙏", Language::En);
        assert_eq!((r.sentences, r.words), (0, 0));
        assert_eq!(r.reading_ease(), None);
    }
}
