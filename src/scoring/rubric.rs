//! The weights and thresholds of SCORING §2 with their shipped defaults. An organisation can
//! store its own as JSON; fields it leaves out keep the default.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// A misspelt field would silently keep its default: refuse it instead.
#[serde(default, deny_unknown_fields)]
pub struct ClarityRubric {
    /// Clarity = completeness·w + language·w + tone·w + honesty·w.
    pub completeness_weight: f64,
    pub language_weight: f64,
    pub tone_weight: f64,
    pub honesty_weight: f64,
    /// Weight of a required and of a recommended content element.
    pub required_element: f64,
    pub recommended_element: f64,
    /// Reading ease at or below which the readability band is 0, and at or above which it is 100.
    pub readability_zero: f64,
    pub readability_full: f64,
    /// A sentence longer than this many words costs `long_sentence_penalty` of structure.
    pub long_sentence_words: usize,
    pub long_sentence_penalty: f64,
    /// Language points per jargon term, and at most.
    pub jargon_penalty: f64,
    pub jargon_penalty_max: f64,
    /// German compounds with a segment of this many letters are jargon for lay readers.
    pub long_compound_letters: usize,
    pub tone: ToneRubric,
    pub honesty: HonestyRubric,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToneRubric {
    pub baseline: f64,
    /// A full apology where one is called for (a preventable or repeated incident).
    pub full_apology_expected: f64,
    pub full_apology_otherwise: f64,
    pub concern_or_formulaic: f64,
    pub ownership: f64,
    pub blame_third_party: f64,
    pub blame_person: f64,
    pub shouting: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HonestyRubric {
    pub baseline: f64,
    pub next_update: f64,
    pub uncertainty: f64,
    /// Vague time words when no next-update time is given.
    pub vague_time: f64,
    pub definitive_eta: f64,
}

impl ClarityRubric {
    /// The first field whose value cannot work, with why.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        let weights = [
            self.completeness_weight,
            self.language_weight,
            self.tone_weight,
            self.honesty_weight,
        ];
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Some(("weights", "the four clarity weights must be zero or more"));
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Some(("weights", "the four clarity weights must not all be zero"));
        }
        let not_negative = [
            ("required_element", self.required_element),
            ("recommended_element", self.recommended_element),
            ("long_sentence_penalty", self.long_sentence_penalty),
            ("jargon_penalty", self.jargon_penalty),
            ("jargon_penalty_max", self.jargon_penalty_max),
        ];
        if let Some((field, _)) = not_negative
            .iter()
            .find(|(_, v)| !v.is_finite() || *v < 0.0)
        {
            return Some((field, "must be zero or more"));
        }
        if self.required_element + self.recommended_element <= 0.0 {
            return Some((
                "required_element",
                "required and recommended elements must not both weigh zero",
            ));
        }
        if !(self.readability_zero.is_finite()
            && self.readability_full.is_finite()
            && self.readability_zero < self.readability_full)
        {
            return Some(("readability_zero", "must be lower than readability_full"));
        }
        if self.long_sentence_words == 0 {
            return Some(("long_sentence_words", "must be at least 1"));
        }
        let points = [
            self.tone.baseline,
            self.tone.full_apology_expected,
            self.tone.full_apology_otherwise,
            self.tone.concern_or_formulaic,
            self.tone.ownership,
            self.tone.blame_third_party,
            self.tone.blame_person,
            self.tone.shouting,
            self.honesty.baseline,
            self.honesty.next_update,
            self.honesty.uncertainty,
            self.honesty.vague_time,
            self.honesty.definitive_eta,
        ];
        if points.iter().any(|p| !p.is_finite() || p.abs() > 100.0) {
            return Some(("tone", "tone and honesty points lie between -100 and 100"));
        }
        None
    }
}

impl Default for ClarityRubric {
    fn default() -> Self {
        Self {
            completeness_weight: 0.45,
            language_weight: 0.25,
            tone_weight: 0.15,
            honesty_weight: 0.15,
            required_element: 2.0,
            recommended_element: 1.0,
            readability_zero: 30.0,
            readability_full: 70.0,
            long_sentence_words: 20,
            long_sentence_penalty: 20.0,
            jargon_penalty: 10.0,
            jargon_penalty_max: 50.0,
            long_compound_letters: 20,
            tone: ToneRubric::default(),
            honesty: HonestyRubric::default(),
        }
    }
}

impl Default for ToneRubric {
    fn default() -> Self {
        Self {
            baseline: 50.0,
            full_apology_expected: 30.0,
            full_apology_otherwise: 15.0,
            concern_or_formulaic: 15.0,
            ownership: 15.0,
            blame_third_party: -30.0,
            blame_person: -40.0,
            shouting: -10.0,
        }
    }
}

impl Default for HonestyRubric {
    fn default() -> Self {
        Self {
            baseline: 70.0,
            next_update: 15.0,
            uncertainty: 15.0,
            vague_time: -20.0,
            definitive_eta: -15.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_keeps_the_defaults_it_leaves_out() {
        let rubric: ClarityRubric =
            serde_json::from_str(r#"{"language_weight": 0.3, "tone": {"shouting": -20}}"#)
                .expect("valid rubric JSON");
        assert_eq!(rubric.language_weight, 0.3);
        assert_eq!(rubric.tone.shouting, -20.0);
        assert_eq!(rubric.tone.baseline, 50.0);
        assert_eq!(rubric.completeness_weight, 0.45);
        let back: ClarityRubric =
            serde_json::from_str(&serde_json::to_string(&rubric).expect("serialises"))
                .expect("round trip");
        assert_eq!(back, rubric);
    }

    #[test]
    fn a_misspelt_field_or_an_impossible_value_is_refused() {
        let typo = serde_json::from_str::<ClarityRubric>(r#"{"langauge_weight": 0.3}"#);
        assert!(
            typo.is_err_and(|e| e.to_string().contains("langauge_weight")),
            "the unknown field is named"
        );
        assert_eq!(ClarityRubric::default().problem(), None);
        let upside_down = ClarityRubric {
            readability_zero: 80.0,
            ..Default::default()
        };
        assert_eq!(upside_down.problem().map(|p| p.0), Some("readability_zero"));
        let negative = ClarityRubric {
            tone_weight: -0.1,
            ..Default::default()
        };
        assert_eq!(negative.problem().map(|p| p.0), Some("weights"));
    }
}
