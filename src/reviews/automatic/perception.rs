//! The "stakeholder perception" section: the incident's survey results.

use super::{plain, score, tr, whole};
use crate::surveys::results::SurveyResults;

#[derive(Debug, Clone, PartialEq)]
pub struct AudiencePerception {
    pub audience: String,
    pub perceived: Option<f64>,
    pub invited: usize,
    pub responses: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PerceptionFacts {
    pub surveys: usize,
    pub responses: usize,
    pub audiences: Vec<AudiencePerception>,
    pub perceived: Option<f64>,
    pub measured: Option<f64>,
    pub positive: usize,
    pub neutral: usize,
    pub negative: usize,
    /// Recurring themes of the free-text answers: (phrase, answers mentioning it).
    pub themes: Vec<(String, usize)>,
}

const LISTED_THEMES: usize = 5;

impl PerceptionFacts {
    /// Adds up the incident's surveys; `name` gives an audience key's name.
    pub fn from_results(
        results: &[&SurveyResults],
        measured: Option<f64>,
        name: &dyn Fn(&Option<String>) -> String,
    ) -> Self {
        let mut f = PerceptionFacts {
            surveys: results.len(),
            measured,
            ..Default::default()
        };
        let (mut sum, mut n) = (0.0, 0usize);
        for r in results {
            f.responses += r.responses;
            f.positive += r.insights_overall.positive;
            f.neutral += r.insights_overall.neutral;
            f.negative += r.insights_overall.negative;
            if let Some(o) = r.perceived_overall.overall {
                sum += o * r.perceived_overall.n as f64;
                n += r.perceived_overall.n;
            }
            for rate in &r.rates {
                let perceived = r
                    .perceived
                    .iter()
                    .find(|p| p.audience == rate.audience)
                    .and_then(|p| p.overall.map(|o| (o, p.n)));
                let audience = name(&rate.audience);
                let entry = match f.audiences.iter_mut().position(|a| a.audience == audience) {
                    Some(i) => &mut f.audiences[i],
                    None => {
                        f.audiences.push(AudiencePerception {
                            audience,
                            perceived: None,
                            invited: 0,
                            responses: 0,
                        });
                        let last = f.audiences.len() - 1;
                        &mut f.audiences[last]
                    }
                };
                // Perceived scores of several surveys are weighted by their answers.
                if let Some((o, k)) = perceived {
                    let before = entry.perceived.map(|p| (p, entry.responses));
                    entry.perceived = Some(match before {
                        Some((p, m)) if m + k > 0 => (p * m as f64 + o * k as f64) / (m + k) as f64,
                        _ => o,
                    });
                }
                entry.invited += rate.invited;
                entry.responses += rate.responses;
            }
            for t in &r.insights_overall.themes {
                match f.themes.iter_mut().find(|(p, _)| *p == t.phrase) {
                    Some((_, a)) => *a += t.answers,
                    None => f.themes.push((t.phrase.clone(), t.answers)),
                }
            }
        }
        f.perceived = (n > 0).then(|| sum / n as f64);
        f.themes
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        f.themes.truncate(LISTED_THEMES);
        f
    }
}

pub fn perception(f: &PerceptionFacts, lang: &str) -> String {
    if f.surveys == 0 || f.responses == 0 {
        return tr(lang, "perception_none", &[]);
    }
    let mut out = tr(
        lang,
        "perception_intro",
        &[
            ("surveys", f.surveys.to_string()),
            ("responses", f.responses.to_string()),
        ],
    );
    out.push_str("\n\n");
    for a in &f.audiences {
        let rate = if a.invited > 0 {
            tr(
                lang,
                "perception_rate",
                &[
                    ("rate", whole(a.responses as f64 * 100.0 / a.invited as f64)),
                    ("invited", a.invited.to_string()),
                ],
            )
        } else {
            String::new()
        };
        out.push_str("- ");
        out.push_str(&tr(
            lang,
            "perception_line",
            &[
                ("audience", plain(&a.audience)),
                ("perceived", score(a.perceived)),
                ("responses", a.responses.to_string()),
                ("rate", rate),
            ],
        ));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&tr(
        lang,
        "perception_overall",
        &[
            ("perceived", score(f.perceived)),
            ("measured", score(f.measured)),
        ],
    ));
    if f.positive + f.neutral + f.negative > 0 {
        out.push_str("\n\n");
        out.push_str(&tr(
            lang,
            "perception_sentiment",
            &[
                ("positive", f.positive.to_string()),
                ("neutral", f.neutral.to_string()),
                ("negative", f.negative.to_string()),
            ],
        ));
    }
    if !f.themes.is_empty() {
        let themes: Vec<String> = f
            .themes
            .iter()
            .map(|(p, n)| format!("„{}“ ({n})", plain(p)))
            .collect();
        out.push(' ');
        out.push_str(&tr(
            lang,
            "perception_themes",
            &[("themes", themes.join(", "))],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perception_reports_rates_scores_and_themes() {
        let f = PerceptionFacts {
            surveys: 1,
            responses: 24,
            audiences: vec![AudiencePerception {
                audience: "IT users / employees".into(),
                perceived: Some(57.8),
                invited: 40,
                responses: 24,
            }],
            perceived: Some(57.8),
            measured: Some(65.9),
            positive: 3,
            neutral: 2,
            negative: 7,
            themes: vec![("sms".into(), 5)],
        };
        let en = perception(&f, "en");
        for expected in [
            "1 survey(s), 24 responses.",
            "- **IT users / employees**: perceived 58 (24 responses, 60 % of 40 invited)",
            "Perceived overall 58; measured overall 66.",
            "3 positive, 2 neutral, 7 negative",
            "„sms“ (5)",
        ] {
            assert!(en.contains(expected), "missing {expected:?} in\n{en}");
        }
        assert!(
            perception(&PerceptionFacts::default(), "de").contains("Noch keine"),
            "no surveys"
        );
    }
}
