//! Clarity of one message (SCORING §2): completeness, language, tone and honesty, each 0–100,
//! and every deduction as a [`Finding`] in English and German with a concrete suggestion.

use serde::Serialize;

use super::elements::{Element, ElementSpans};
use super::finding::{Evidence, Finding, FindingSeverity};
use super::honesty::HonestyCues;
use super::jargon::JargonHit;
use super::labels::{Apology, Blame, EtaKind};
use super::readability::{Readability, round2};
use super::rubric::ClarityRubric;
use super::tone::ToneCues;
use crate::domain::{Channel, Language, MessageKind};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClarityScores {
    pub total: f64,
    pub completeness: f64,
    pub language: f64,
    pub tone: f64,
    pub honesty: f64,
}

/// Everything the scores are computed from.
pub struct Detections<'a> {
    pub text: &'a str,
    pub language: Language,
    pub kind: MessageKind,
    pub channel: Channel,
    pub readability: &'a Readability,
    pub elements: &'a ElementSpans,
    /// Data or payments are at stake, so E9 is expected where the rubric says "when relevant".
    pub data_relevant: bool,
    pub jargon: &'a [JargonHit],
    pub tone: &'a ToneCues,
    pub honesty: &'a HonestyCues,
    pub has_next_update: bool,
    pub apology_expected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Need {
    Required,
    Recommended,
}

/// What SCORING §2 expects of each message kind. Post-incident reports are read like an
/// all-clear that must state the cause; replies to a person need only say what is wrong and
/// where help is.
fn need(kind: MessageKind, element: Element, data_relevant: bool) -> Option<Need> {
    use Element::*;
    use Need::*;
    let data = if data_relevant {
        Some(Recommended)
    } else {
        None
    };
    match kind {
        MessageKind::Initial => match element {
            E1 | E2 | E3 | E4 | E5 => Some(Required),
            E6 | E7 | E8 => Some(Recommended),
            E9 => data,
            E10 => None,
        },
        MessageKind::Update => match element {
            E1 | E2 | E3 | E4 | E5 => Some(Required),
            E6 => Some(Recommended),
            E9 => data,
            E7 | E8 | E10 => None,
        },
        MessageKind::Resolution => match element {
            E1 | E2 | E4 | E8 | E9 => Some(Required),
            E10 => Some(Recommended),
            E3 | E5 | E6 | E7 => None,
        },
        MessageKind::PostIncident => match element {
            E1 | E2 | E4 | E8 | E10 => Some(Required),
            E3 | E9 => Some(Recommended),
            E5 | E6 | E7 => None,
        },
        MessageKind::Reply => match element {
            E1 | E2 | E6 | E7 => Some(Recommended),
            _ => None,
        },
    }
}

pub fn score(d: &Detections, rubric: &ClarityRubric) -> (ClarityScores, Vec<Finding>) {
    let mut findings = Vec::new();
    let completeness = completeness(d, rubric, &mut findings);
    let language = language(d, rubric, &mut findings);
    let tone = tone(d, rubric, &mut findings);
    let honesty = honesty(d, rubric, &mut findings);
    let weights = [
        rubric.completeness_weight,
        rubric.language_weight,
        rubric.tone_weight,
        rubric.honesty_weight,
    ];
    let weight_sum: f64 = weights.iter().sum();
    let total = if weight_sum > 0.0 {
        (weights[0] * completeness
            + weights[1] * language
            + weights[2] * tone
            + weights[3] * honesty)
            / weight_sum
    } else {
        0.0
    };
    // Each finding's impact is in points of the total: scale the sub-score points it cost.
    let part_weight = |code: &str| -> f64 {
        let w = if code.starts_with('E') {
            weights[0]
        } else if code.starts_with("language") || code.starts_with("jargon") {
            weights[1]
        } else if code.starts_with("tone") {
            weights[2]
        } else {
            weights[3]
        };
        if weight_sum > 0.0 {
            w / weight_sum
        } else {
            0.0
        }
    };
    for f in &mut findings {
        f.impact = round2(f.impact * part_weight(&f.code));
    }
    findings.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then_with(|| a.code.cmp(&b.code))
    });
    (
        ClarityScores {
            total: round1(total),
            completeness: round1(completeness),
            language: round1(language),
            tone: round1(tone),
            honesty: round1(honesty),
        },
        findings,
    )
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn completeness(d: &Detections, rubric: &ClarityRubric, findings: &mut Vec<Finding>) -> f64 {
    let mut total = 0.0;
    let mut present = 0.0;
    let mut missing = Vec::new();
    for element in Element::ALL {
        let Some(need) = need(d.kind, element, d.data_relevant) else {
            continue;
        };
        // An SMS has room for the essentials only.
        if need == Need::Recommended && d.channel == Channel::Sms {
            continue;
        }
        let weight = match need {
            Need::Required => rubric.required_element,
            Need::Recommended => rubric.recommended_element,
        };
        total += weight;
        if d.elements[element.index()].is_empty() {
            missing.push((element, need, weight));
        } else {
            present += weight;
        }
    }
    if total <= 0.0 {
        return 100.0;
    }
    for (element, need, weight) in missing {
        let (en, de) = super::clarity_text::missing_element(element, d.kind);
        let severity = match need {
            Need::Required => FindingSeverity::Amber,
            Need::Recommended => FindingSeverity::Info,
        };
        findings.push(Finding::new(
            format!("{}.missing", element.id()),
            severity,
            100.0 * weight / total,
            en,
            de,
        ));
    }
    100.0 * present / total
}

fn language(d: &Detections, rubric: &ClarityRubric, findings: &mut Vec<Finding>) -> f64 {
    let r = d.readability;
    let band = match r.reading_ease() {
        Some(ease) => {
            let span = rubric.readability_full - rubric.readability_zero;
            if span <= 0.0 {
                100.0
            } else {
                (100.0 * (ease - rubric.readability_zero) / span).clamp(0.0, 100.0)
            }
        }
        None => 100.0,
    };
    let structure = (100.0 - rubric.long_sentence_penalty * r.long_sentences as f64).max(0.0);
    if band < 100.0
        && let Some(ease) = r.reading_ease()
    {
        let (en, de) = super::clarity_text::hard_to_read(d.language, ease, rubric.readability_full);
        findings.push(Finding::new(
            "language.readability",
            FindingSeverity::Amber,
            (100.0 - band) / 2.0,
            en,
            de,
        ));
    }
    if r.long_sentences > 0 {
        let (en, de) = super::clarity_text::long_sentences(
            r.long_sentences,
            r.longest_sentence,
            rubric.long_sentence_words,
        );
        findings.push(Finding::new(
            "language.long_sentences",
            FindingSeverity::Amber,
            (100.0 - structure) / 2.0,
            en,
            de,
        ));
    }
    let mut jargon_cost = 0.0;
    for hit in d.jargon {
        let cost = rubric
            .jargon_penalty
            .min(rubric.jargon_penalty_max - jargon_cost)
            .max(0.0);
        jargon_cost += cost;
        let written = hit.written(d.text);
        let (en, de) = super::clarity_text::jargon(hit, written, d.language);
        let mut finding = Finding::new("jargon", FindingSeverity::Amber, cost, en, de);
        finding.evidence.push(Evidence {
            start: hit.start,
            end: hit.end,
            text: written.to_string(),
            label: "jargon".to_string(),
        });
        findings.push(finding);
    }
    ((band + structure) / 2.0 - jargon_cost).clamp(0.0, 100.0)
}

fn tone(d: &Detections, rubric: &ClarityRubric, findings: &mut Vec<Finding>) -> f64 {
    use super::clarity_text as text;
    let t = &rubric.tone;
    let cues = d.tone;
    let mut score = t.baseline;
    match cues.apology {
        Apology::Full => {
            score += if d.apology_expected {
                t.full_apology_expected
            } else {
                t.full_apology_otherwise
            };
            let (en, de) = text::full_apology();
            findings.push(Finding::new(
                "tone.apology",
                FindingSeverity::Good,
                0.0,
                en,
                de,
            ));
        }
        Apology::Formulaic | Apology::None if d.apology_expected => {
            let (en, de) = text::apology_expected(cues.apology == Apology::Formulaic);
            findings.push(Finding::new(
                "tone.apology_expected",
                FindingSeverity::Amber,
                t.full_apology_expected.max(0.0),
                en,
                de,
            ));
        }
        Apology::Formulaic => {
            let (en, de) = text::formulaic_apology();
            findings.push(Finding::new(
                "tone.formulaic_apology",
                FindingSeverity::Info,
                0.0,
                en,
                de,
            ));
        }
        Apology::None => {}
    }
    if !cues.concern_thanks.is_empty() || cues.apology == Apology::Formulaic {
        score += t.concern_or_formulaic;
    }
    if !cues.ownership.is_empty() {
        score += t.ownership;
    }
    let blame_points = match cues.blame {
        Blame::None => 0.0,
        Blame::ThirdParty => t.blame_third_party,
        Blame::Individual | Blame::User => t.blame_person,
    };
    if cues.blame != Blame::None {
        score += blame_points;
        let (en, de) = text::blame(cues.blame);
        let mut finding = Finding::new("tone.blame", FindingSeverity::Amber, -blame_points, en, de);
        finding.evidence = evidence(d.text, &cues.blame_spans, "blame");
        findings.push(finding);
    }
    if !cues.shouting.is_empty() {
        score += t.shouting;
        let (en, de) = text::shouting();
        let mut finding =
            Finding::new("tone.shouting", FindingSeverity::Amber, -t.shouting, en, de);
        finding.evidence = evidence(d.text, &cues.shouting, "shouting");
        findings.push(finding);
    }
    score.clamp(0.0, 100.0)
}

fn honesty(d: &Detections, rubric: &ClarityRubric, findings: &mut Vec<Finding>) -> f64 {
    use super::clarity_text as text;
    let h = &rubric.honesty;
    let cues = d.honesty;
    let mut score = h.baseline;
    if d.has_next_update {
        score += h.next_update;
    }
    if !cues.uncertainty.is_empty() {
        score += h.uncertainty;
    }
    if !cues.vague.is_empty() && !d.has_next_update {
        score += h.vague_time;
        let words: Vec<&str> = cues.vague.iter().map(|&(s, e)| &d.text[s..e]).collect();
        let (en, de) = text::vague_time(&words);
        let mut finding = Finding::new(
            "honesty.vague_time",
            FindingSeverity::Amber,
            -h.vague_time,
            en,
            de,
        );
        finding.evidence = evidence(d.text, &cues.vague, "vague_time");
        findings.push(finding);
    }
    if let Some(eta) = &cues.eta
        && eta.kind == EtaKind::Definitive
    {
        score += h.definitive_eta;
        let (en, de) = text::definitive_eta(&d.text[eta.expression.start..eta.expression.end]);
        let mut finding = Finding::new(
            "honesty.definitive_eta",
            FindingSeverity::Amber,
            -h.definitive_eta,
            en,
            de,
        );
        finding.evidence = evidence(d.text, &[(eta.start, eta.end)], "eta");
        findings.push(finding);
    }
    score.clamp(0.0, 100.0)
}

fn evidence(text: &str, spans: &[(usize, usize)], label: &str) -> Vec<Evidence> {
    spans
        .iter()
        .map(|&(start, end)| Evidence {
            start,
            end,
            text: text[start..end].to_string(),
            label: label.to_string(),
        })
        .collect()
}
