//! What the answers say (SPEC §5, SCORING §3): response rates, distributions, means and medians
//! per audience, perceived scores, and the free-text answers. Pure functions over loaded rows.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use super::model::{AnswerValue, Question, QuestionType};
use super::presets::PERCEIVED;
use crate::domain::FieldErrors;
use crate::stats::{mean, median};
use crate::text::aspects::Aspect;
use crate::text::sentiment::Polarity;
use crate::text::{
    Theme, ThemeLimits, analyse_sentiment, distinct_aspects, find_themes, tag_aspects,
};

/// In an anonymous survey, a group smaller than this is not shown on its own: with two answers
/// from a three-person board, the board would know who said what.
pub const MIN_ANONYMOUS_GROUP: usize = 3;

/// One stored response, as results need it.
#[derive(Debug, Clone)]
pub struct ResponseRecord {
    pub audience: Option<String>,
    pub locale: String,
    pub submitted_at: NaiveDateTime,
    pub answers: BTreeMap<i64, AnswerValue>,
}

/// Which answers the results (page, API and export alike) are about. Times are UTC, `to` is
/// exclusive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultsFilter {
    pub audience: Option<String>,
    /// The language the respondent answered in.
    pub language: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Responses with at least one free-text answer of this tone, and of their free text only
    /// the answers of this tone.
    pub sentiment: Option<Polarity>,
}

/// The filter as a form or the API gives it: dates (`YYYY-MM-DD`, both days included) in the
/// organisation's time zone, empty fields for filters not used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct FilterInput {
    pub audience: String,
    pub language: String,
    pub from: String,
    pub to: String,
    pub sentiment: String,
}

impl FilterInput {
    pub fn is_empty(&self) -> bool {
        [
            &self.audience,
            &self.language,
            &self.from,
            &self.to,
            &self.sentiment,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// The filter, checked against the survey's audiences; every field at fault is named.
    pub fn validate(
        &self,
        audiences: &[String],
        tz: chrono_tz::Tz,
    ) -> Result<ResultsFilter, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let audience = text(&self.audience);
        if let Some(a) = &audience
            && !audiences.contains(a)
        {
            errors.add(
                "audience",
                format!("the survey does not ask the audience '{a}'"),
            );
        }
        let language = text(&self.language);
        if let Some(l) = &language
            && !crate::i18n::LANGUAGES.contains(&l.as_str())
        {
            errors.add("language", "must be de or en");
        }
        let mut day = |field: &str, v: &str| match text(v) {
            None => None,
            Some(v) => match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, format!("'{v}' is not a date like 2026-03-10"));
                    None
                }
            },
        };
        let (from_day, to_day) = (day("from", &self.from), day("to", &self.to));
        if let (Some(f), Some(t)) = (from_day, to_day)
            && t < f
        {
            errors.add("to", "must not be before the start");
        }
        let sentiment = match text(&self.sentiment) {
            None => None,
            Some(v) => match v.parse::<Polarity>() {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.add("sentiment", e);
                    None
                }
            },
        };
        let midnight = |d: NaiveDate| {
            crate::domain::time::local_to_utc(d.and_time(chrono::NaiveTime::MIN), tz)
        };
        errors.into_result(ResultsFilter {
            audience,
            language,
            from: from_day.map(midnight),
            to: to_day.and_then(|d| d.succ_opt()).map(midnight),
            sentiment,
        })
    }
}

impl ResultsFilter {
    /// Whether a response passes the filter; `tones` are the tones of its free-text answers.
    fn keeps(&self, r: &ResponseRecord, tones: &[Polarity]) -> bool {
        self.audience
            .as_ref()
            .is_none_or(|a| r.audience.as_ref() == Some(a))
            && self.language.as_ref().is_none_or(|l| &r.locale == l)
            && self.from.is_none_or(|t| r.submitted_at >= t)
            && self.to.is_none_or(|t| r.submitted_at < t)
            && self.sentiment.is_none_or(|p| tones.contains(&p))
    }
}

/// The free-text answers of one response, read for tone and aspects.
struct ReadText {
    question_id: i64,
    text: String,
    sentiment: Polarity,
    compound: f64,
    aspects: Vec<Aspect>,
}

fn read_texts(questions: &[Question], r: &ResponseRecord) -> Vec<ReadText> {
    questions
        .iter()
        .filter(|q| q.qtype == QuestionType::Text)
        .filter_map(|q| match r.answers.get(&q.id) {
            Some(AnswerValue::Text(t)) if !t.trim().is_empty() => {
                let sentiment = analyse_sentiment(t);
                Some(ReadText {
                    question_id: q.id,
                    text: t.clone(),
                    sentiment: sentiment.polarity,
                    compound: sentiment.compound,
                    aspects: distinct_aspects(&tag_aspects(t)),
                })
            }
            _ => None,
        })
        .collect()
}

/// The responses that pass `filter`, by index (the export applies the same selection).
pub fn select(
    questions: &[Question],
    responses: &[ResponseRecord],
    filter: &ResultsFilter,
) -> Vec<usize> {
    responses
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let tones: Vec<Polarity> = if filter.sentiment.is_some() {
                read_texts(questions, r)
                    .iter()
                    .map(|t| t.sentiment)
                    .collect()
            } else {
                Vec::new()
            };
            filter.keeps(r, &tones)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Which groups of an anonymous survey may be shown on their own, given their sizes. A group
/// smaller than [`MIN_ANONYMOUS_GROUP`] is hidden; and while the hidden groups together are
/// still that small, the smallest shown group is hidden too — otherwise "everyone" minus the
/// shown groups would give the hidden one away.
pub fn visible_groups(sizes: &[usize]) -> Vec<bool> {
    let mut shown: Vec<bool> = sizes
        .iter()
        .map(|&n| n == 0 || n >= MIN_ANONYMOUS_GROUP)
        .collect();
    loop {
        let hidden: usize = sizes
            .iter()
            .zip(&shown)
            .filter(|(_, s)| !**s)
            .map(|(n, _)| n)
            .sum();
        if hidden == 0 || hidden >= MIN_ANONYMOUS_GROUP {
            return shown;
        }
        let smallest = sizes
            .iter()
            .enumerate()
            .filter(|(i, n)| shown[*i] && **n > 0)
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        match smallest {
            Some(i) => shown[i] = false,
            None => return shown,
        }
    }
}

/// How many were invited and answered in one audience (personal links only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AudienceInvitations {
    pub audience: Option<String>,
    pub invited: usize,
    pub answered: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseRate {
    pub audience: Option<String>,
    pub invited: usize,
    pub answered: usize,
    /// answered / invited; None where nobody was invited (the open link).
    pub rate: Option<f64>,
    /// Responses received that pass the filter, including the open link's.
    pub responses: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Distribution {
    pub n: usize,
    /// (choice value, count), in the question's order.
    pub counts: Vec<(String, usize)>,
    /// On the question's own scale (1–5, 0–10).
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// The mean rescaled to 0–100 (ratings, yes/partly/no).
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupDistribution {
    pub audience: Option<String>,
    /// None when the group is too small to show in an anonymous survey.
    pub distribution: Option<Distribution>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub question_id: i64,
    pub code: Option<String>,
    pub qtype: QuestionType,
    pub text_en: String,
    pub text_de: String,
    pub overall: Distribution,
    pub by_audience: Vec<GroupDistribution>,
}

/// SCORING §3's perceived scores (0–100) for one audience or all.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Perceived {
    pub audience: Option<String>,
    pub n: usize,
    pub timeliness: Option<f64>,
    pub clarity: Option<f64>,
    pub helpfulness: Option<f64>,
    pub trust: Option<f64>,
    /// Mean of the dimensions that have answers.
    pub overall: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TextAnswer {
    pub question_id: i64,
    /// None for a response without audience, and in an anonymous survey for a group too small
    /// to name (`audience_withheld`).
    pub audience: Option<String>,
    pub audience_withheld: bool,
    pub locale: String,
    /// None in an anonymous survey: when someone answered helps tell who did. Anonymous answers
    /// are listed in an order that does not follow their submission either.
    pub submitted_at: Option<NaiveDateTime>,
    pub text: String,
    pub sentiment: Polarity,
    /// −1 … 1.
    pub compound: f64,
    pub aspects: Vec<Aspect>,
    /// The recurring themes of all shown answers (SCORING §4) that this one mentions.
    pub themes: Vec<String>,
}

/// How the free-text answers of one audience (or all) read: polarity counts, what they are
/// about, and the themes several people mention (SCORING §4).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextInsights {
    pub audience: Option<String>,
    pub answers: usize,
    pub positive: usize,
    pub neutral: usize,
    pub negative: usize,
    /// (aspect, answers mentioning it), most mentioned first.
    pub aspects: Vec<(Aspect, usize)>,
    pub themes: Vec<Theme>,
}

/// Responses received per period, overall and per audience.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResponsesOverTime {
    /// `hour` for surveys answered within three days, else `day`.
    pub bucket: &'static str,
    pub points: Vec<OverTimePoint>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OverTimePoint {
    pub start: NaiveDateTime,
    /// Received in the period.
    pub responses: usize,
    /// Received so far.
    pub total: usize,
    /// So far per audience (in an anonymous survey only the groups that may be shown).
    pub audiences: Vec<AudienceSoFar>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AudienceSoFar {
    pub audience: Option<String>,
    pub total: usize,
    /// total / invited of the audience; None where nobody was invited.
    pub rate: Option<f64>,
}

/// Free-text answers per tone in one period. In an anonymous survey periods are merged until
/// each holds at least [`MIN_ANONYMOUS_GROUP`] answers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SentimentBucket {
    pub start: NaiveDateTime,
    pub positive: usize,
    pub neutral: usize,
    pub negative: usize,
}

impl SentimentBucket {
    fn total(&self) -> usize {
        self.positive + self.neutral + self.negative
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyResults {
    /// Responses that pass the filter.
    pub responses: usize,
    /// An anonymous survey with fewer than [`MIN_ANONYMOUS_GROUP`] matching responses shows
    /// counts and rates only: with so few, the answers would point to the people.
    pub withheld: bool,
    pub rates: Vec<ResponseRate>,
    pub total_rate: Option<f64>,
    pub over_time: ResponsesOverTime,
    pub questions: Vec<QuestionResult>,
    pub perceived: Vec<Perceived>,
    pub perceived_overall: Perceived,
    pub texts: Vec<TextAnswer>,
    /// Per audience, then for everyone.
    pub insights: Vec<TextInsights>,
    pub insights_overall: TextInsights,
    pub sentiment_over_time: Vec<SentimentBucket>,
}

pub fn compute(
    questions: &[Question],
    responses: &[ResponseRecord],
    invitations: &[AudienceInvitations],
    anonymous: bool,
    filter: &ResultsFilter,
) -> SurveyResults {
    let in_audience =
        |a: &Option<String>| filter.audience.is_none() || filter.audience.as_ref() == a.as_ref();
    let invitations: Vec<&AudienceInvitations> = invitations
        .iter()
        .filter(|i| in_audience(&i.audience))
        .collect();
    let read: Vec<Vec<ReadText>> = responses.iter().map(|r| read_texts(questions, r)).collect();
    let kept: Vec<(&ResponseRecord, &[ReadText])> = responses
        .iter()
        .zip(&read)
        .filter(|(r, texts)| {
            let tones: Vec<Polarity> = texts.iter().map(|t| t.sentiment).collect();
            filter.keeps(r, &tones)
        })
        .map(|(r, t)| (r, t.as_slice()))
        .collect();
    let records: Vec<&ResponseRecord> = kept.iter().map(|(r, _)| *r).collect();

    let mut audiences: Vec<Option<String>> =
        invitations.iter().map(|i| i.audience.clone()).collect();
    for r in &records {
        if !audiences.contains(&r.audience) {
            audiences.push(r.audience.clone());
        }
    }
    let invited_in = |a: &Option<String>| {
        invitations
            .iter()
            .find(|i| &i.audience == a)
            .map_or(0, |i| i.invited)
    };
    let rates: Vec<ResponseRate> = audiences
        .iter()
        .map(|a| {
            let inv = invitations.iter().find(|i| &i.audience == a);
            let (invited, answered) = inv.map_or((0, 0), |i| (i.invited, i.answered));
            ResponseRate {
                audience: a.clone(),
                invited,
                answered,
                rate: (invited > 0).then(|| answered as f64 / invited as f64),
                responses: records.iter().filter(|r| &r.audience == a).count(),
            }
        })
        .collect();
    let invited: usize = invitations.iter().map(|i| i.invited).sum();
    let answered: usize = invitations.iter().map(|i| i.answered).sum();
    let total_rate = (invited > 0).then(|| answered as f64 / invited as f64);

    let withheld = anonymous && !records.is_empty() && records.len() < MIN_ANONYMOUS_GROUP;
    if withheld {
        return SurveyResults {
            responses: records.len(),
            withheld,
            rates,
            total_rate,
            over_time: ResponsesOverTime {
                bucket: "day",
                points: Vec::new(),
            },
            questions: Vec::new(),
            perceived: Vec::new(),
            perceived_overall: Perceived::default(),
            texts: Vec::new(),
            insights: Vec::new(),
            insights_overall: TextInsights::default(),
            sentiment_over_time: Vec::new(),
        };
    }
    // Which groups may be shown on their own, from their sizes (always all when not anonymous).
    let shown = |sizes: &[usize]| -> Vec<bool> {
        if anonymous {
            visible_groups(sizes)
        } else {
            vec![true; sizes.len()]
        }
    };

    let question_results = questions
        .iter()
        .filter(|q| q.qtype != QuestionType::Text)
        .map(|q| {
            let groups: Vec<Vec<&AnswerValue>> = audiences
                .iter()
                .map(|a| {
                    records
                        .iter()
                        .filter(|r| &r.audience == a)
                        .filter_map(|r| r.answers.get(&q.id))
                        .collect()
                })
                .collect();
            let visible = shown(&groups.iter().map(Vec::len).collect::<Vec<_>>());
            let all: Vec<&AnswerValue> = groups.iter().flatten().copied().collect();
            QuestionResult {
                question_id: q.id,
                code: q.code.clone(),
                qtype: q.qtype,
                text_en: q.text_en.clone(),
                text_de: q.text_de.clone(),
                overall: distribution(q, &all),
                by_audience: audiences
                    .iter()
                    .zip(&groups)
                    .zip(&visible)
                    .map(|((a, group), show)| GroupDistribution {
                        audience: a.clone(),
                        distribution: show.then(|| distribution(q, group)),
                    })
                    .collect(),
            }
        })
        .collect();

    let response_groups: Vec<Vec<&ResponseRecord>> = audiences
        .iter()
        .map(|a| {
            records
                .iter()
                .filter(|r| &r.audience == a)
                .copied()
                .collect()
        })
        .collect();
    let responses_shown = shown(&response_groups.iter().map(Vec::len).collect::<Vec<_>>());
    let perceived = audiences
        .iter()
        .zip(&response_groups)
        .zip(&responses_shown)
        .map(|((a, group), show)| {
            if *show {
                perceived_of(questions, group, a.clone())
            } else {
                Perceived {
                    audience: a.clone(),
                    n: group.len(),
                    ..Default::default()
                }
            }
        })
        .collect();

    let (texts, insights, insights_overall) =
        texts_of(questions, &kept, &audiences, filter, anonymous, &shown);
    let hourly = is_hourly(&records);
    let over_time = over_time(&records, &audiences, &responses_shown, &invited_in, hourly);
    let mut sentiment_over_time = sentiment_buckets(&kept, filter, hourly);
    if anonymous {
        sentiment_over_time = coarsen(sentiment_over_time);
    }

    SurveyResults {
        responses: records.len(),
        withheld,
        rates,
        total_rate,
        over_time,
        questions: question_results,
        perceived,
        perceived_overall: perceived_of(questions, &records, None),
        texts,
        insights,
        insights_overall,
        sentiment_over_time,
    }
}

/// The free-text answers that are shown (of the filter's tone, when it has one), with their
/// audience where it may be named and their themes, and what they say per audience and overall.
fn texts_of(
    questions: &[Question],
    kept: &[(&ResponseRecord, &[ReadText])],
    audiences: &[Option<String>],
    filter: &ResultsFilter,
    anonymous: bool,
    shown: &dyn Fn(&[usize]) -> Vec<bool>,
) -> (Vec<TextAnswer>, Vec<TextInsights>, TextInsights) {
    let of_tone = |t: &&ReadText| filter.sentiment.is_none_or(|p| t.sentiment == p);
    // Group size: the respondents of the audience with at least one shown text.
    let sizes: Vec<usize> = audiences
        .iter()
        .map(|a| {
            kept.iter()
                .filter(|(r, texts)| &r.audience == a && texts.iter().any(|t| of_tone(&t)))
                .count()
        })
        .collect();
    let named = shown(&sizes);
    let position = |qid: i64| questions.iter().position(|q| q.id == qid);
    let mut texts: Vec<TextAnswer> = kept
        .iter()
        .flat_map(|(r, read)| {
            let may_name = audiences
                .iter()
                .position(|a| a == &r.audience)
                .is_none_or(|i| named[i]);
            read.iter().filter(of_tone).map(move |t| TextAnswer {
                question_id: t.question_id,
                audience: if may_name { r.audience.clone() } else { None },
                audience_withheld: !may_name,
                locale: r.locale.clone(),
                submitted_at: (!anonymous).then_some(r.submitted_at),
                text: t.text.clone(),
                sentiment: t.sentiment,
                compound: t.compound,
                aspects: t.aspects.clone(),
                themes: Vec::new(),
            })
        })
        .collect();
    if anonymous {
        texts.sort_by(|a, b| {
            position(a.question_id)
                .cmp(&position(b.question_id))
                .then_with(|| a.text.cmp(&b.text))
        });
    } else {
        texts.sort_by_key(|t| position(t.question_id));
    }
    let all_themes = find_themes(
        &texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
        ThemeLimits {
            max_examples: usize::MAX,
            ..ThemeLimits::default()
        },
    );
    for theme in &all_themes {
        for &i in &theme.examples {
            if let Some(t) = texts.get_mut(i) {
                t.themes.push(theme.phrase.clone());
            }
        }
    }
    let insights = audiences
        .iter()
        .zip(&named)
        .filter(|(_, may_name)| **may_name)
        .map(|(a, _)| {
            let group: Vec<&TextAnswer> = texts
                .iter()
                .filter(|t| !t.audience_withheld && &t.audience == a)
                .collect();
            insights_of(a.clone(), &group)
        })
        .filter(|i| i.answers > 0)
        .collect();
    let overall = insights_of(None, &texts.iter().collect::<Vec<_>>());
    (texts, insights, overall)
}

fn insights_of(audience: Option<String>, texts: &[&TextAnswer]) -> TextInsights {
    let count = |p: Polarity| texts.iter().filter(|t| t.sentiment == p).count();
    let mut aspects: Vec<(Aspect, usize)> = Aspect::ALL
        .iter()
        .map(|a| (*a, texts.iter().filter(|t| t.aspects.contains(a)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    aspects.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let words: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    TextInsights {
        audience,
        answers: texts.len(),
        positive: count(Polarity::Positive),
        neutral: count(Polarity::Neutral),
        negative: count(Polarity::Negative),
        aspects,
        themes: find_themes(&words, ThemeLimits::default()),
    }
}

fn distribution(q: &Question, answers: &[&AnswerValue]) -> Distribution {
    let choices = q.choices();
    let mut counts: Vec<(String, usize)> = choices.iter().map(|c| (c.value.clone(), 0)).collect();
    let mut numbers = Vec::new();
    let mut scores = Vec::new();
    for a in answers {
        let picked: Vec<String> = match a {
            AnswerValue::Number(n) => {
                numbers.push(*n);
                vec![format!("{n:.0}")]
            }
            AnswerValue::Choice(c) => vec![c.clone()],
            AnswerValue::Choices(list) => list.clone(),
            AnswerValue::Text(_) => Vec::new(),
        };
        for p in picked {
            if let Some(entry) = counts.iter_mut().find(|(v, _)| *v == p) {
                entry.1 += 1;
            }
        }
        if let Some(s) = q.score(a) {
            scores.push(s);
        }
    }
    Distribution {
        n: answers.len(),
        counts,
        mean: mean(numbers.iter().copied()),
        median: median(&numbers),
        score: mean(scores.iter().copied()),
    }
}

fn perceived_of(
    questions: &[Question],
    group: &[&ResponseRecord],
    audience: Option<String>,
) -> Perceived {
    let mut dims: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for q in questions {
        let Some(dim) = q
            .code
            .as_deref()
            .and_then(|c| PERCEIVED.iter().find(|(code, _)| *code == c))
            .map(|(_, dim)| *dim)
        else {
            continue;
        };
        for r in group {
            if let Some(s) = r.answers.get(&q.id).and_then(|a| q.score(a)) {
                dims.entry(dim).or_default().push(s);
            }
        }
    }
    let get = |d: &str| dims.get(d).and_then(|v| mean(v.iter().copied()));
    let parts: Vec<f64> = ["timeliness", "clarity", "helpfulness", "trust"]
        .iter()
        .filter_map(|d| get(d))
        .collect();
    Perceived {
        audience,
        n: group.len(),
        timeliness: get("timeliness"),
        clarity: get("clarity"),
        helpfulness: get("helpfulness"),
        trust: get("trust"),
        overall: mean(parts.iter().copied()),
    }
}

/// Hours for surveys answered within three days, days for longer ones.
fn is_hourly(records: &[&ResponseRecord]) -> bool {
    let first = records.iter().map(|r| r.submitted_at).min();
    let last = records.iter().map(|r| r.submitted_at).max();
    match (first, last) {
        (Some(first), Some(last)) => last - first <= chrono::Duration::days(3),
        _ => false,
    }
}

fn period_start(t: NaiveDateTime, hourly: bool) -> NaiveDateTime {
    let hour = if hourly { t.hour() } else { 0 };
    t.date().and_hms_opt(hour, 0, 0).unwrap_or(t)
}

fn over_time(
    records: &[&ResponseRecord],
    audiences: &[Option<String>],
    shown: &[bool],
    invited_in: &dyn Fn(&Option<String>) -> usize,
    hourly: bool,
) -> ResponsesOverTime {
    let mut per: BTreeMap<NaiveDateTime, Vec<usize>> = BTreeMap::new();
    for r in records {
        let counts = per
            .entry(period_start(r.submitted_at, hourly))
            .or_insert_with(|| vec![0; audiences.len()]);
        if let Some(i) = audiences.iter().position(|a| a == &r.audience) {
            counts[i] += 1;
        }
    }
    let mut so_far = vec![0usize; audiences.len()];
    let mut total = 0;
    let points = per
        .into_iter()
        .map(|(start, counts)| {
            let responses: usize = counts.iter().sum();
            total += responses;
            for (s, n) in so_far.iter_mut().zip(&counts) {
                *s += n;
            }
            OverTimePoint {
                start,
                responses,
                total,
                audiences: audiences
                    .iter()
                    .zip(&so_far)
                    .zip(shown)
                    .filter(|(_, show)| **show)
                    .map(|((a, n), _)| {
                        let invited = invited_in(a);
                        AudienceSoFar {
                            audience: a.clone(),
                            total: *n,
                            rate: (invited > 0).then(|| *n as f64 / invited as f64),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    ResponsesOverTime {
        bucket: if hourly { "hour" } else { "day" },
        points,
    }
}

/// The shown free-text answers per tone and period.
fn sentiment_buckets(
    kept: &[(&ResponseRecord, &[ReadText])],
    filter: &ResultsFilter,
    hourly: bool,
) -> Vec<SentimentBucket> {
    let mut per: BTreeMap<NaiveDateTime, SentimentBucket> = BTreeMap::new();
    for (r, texts) in kept {
        let start = period_start(r.submitted_at, hourly);
        for t in texts.iter() {
            if filter.sentiment.is_some_and(|p| p != t.sentiment) {
                continue;
            }
            let b = per.entry(start).or_insert(SentimentBucket {
                start,
                positive: 0,
                neutral: 0,
                negative: 0,
            });
            match t.sentiment {
                Polarity::Positive => b.positive += 1,
                Polarity::Neutral => b.neutral += 1,
                Polarity::Negative => b.negative += 1,
            }
        }
    }
    per.into_values().collect()
}

/// Merges each period with the next until it holds at least [`MIN_ANONYMOUS_GROUP`] answers; a
/// short last period joins the one before it. So no period tells the tone of one or two people.
fn coarsen(buckets: Vec<SentimentBucket>) -> Vec<SentimentBucket> {
    let mut out: Vec<SentimentBucket> = Vec::new();
    let mut open: Option<SentimentBucket> = None;
    for b in buckets {
        let merged = match open.take() {
            Some(mut o) => {
                o.positive += b.positive;
                o.neutral += b.neutral;
                o.negative += b.negative;
                o
            }
            None => b,
        };
        if merged.total() >= MIN_ANONYMOUS_GROUP {
            out.push(merged);
        } else {
            open = Some(merged);
        }
    }
    // With fewer answers than that in all, no period is shown.
    if let (Some(rest), Some(last)) = (open, out.last_mut()) {
        last.positive += rest.positive;
        last.neutral += rest.neutral;
        last.negative += rest.negative;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::Choice;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|x| x.and_hms_opt(h, 17, 5))
            .expect("time")
    }

    fn question(id: i64, qtype: QuestionType, code: &str) -> Question {
        Question {
            id,
            survey_id: 1,
            position: id as i32,
            qtype,
            code: Some(code.into()),
            required: false,
            text_en: code.into(),
            text_de: code.into(),
            options: vec![Choice::new("a", "A", "A"), Choice::new("b", "B", "B")],
        }
    }

    fn response(audience: &str, day: u32, answers: &[(i64, AnswerValue)]) -> ResponseRecord {
        ResponseRecord {
            audience: Some(audience.into()),
            locale: "de".into(),
            submitted_at: at(day, 9),
            answers: answers.iter().cloned().collect(),
        }
    }

    fn n(x: f64) -> AnswerValue {
        AnswerValue::Number(x)
    }

    #[test]
    fn rates_distributions_and_perceived_scores() {
        let qs = vec![
            question(1, QuestionType::Rating5, "timeliness"),
            question(2, QuestionType::YesPartlyNo, "knew_what_to_do"),
            question(3, QuestionType::Single, "update_frequency"),
            question(4, QuestionType::Text, "improve"),
            question(5, QuestionType::Rating5, "trust"),
        ];
        let rs = vec![
            response(
                "employees",
                10,
                &[
                    (1, n(2.0)),
                    (2, AnswerValue::Choice("no".into())),
                    (3, AnswerValue::Choice("a".into())),
                    (4, AnswerValue::Text("Zu spät informiert".into())),
                ],
            ),
            response(
                "employees",
                10,
                &[
                    (1, n(4.0)),
                    (2, AnswerValue::Choice("yes".into())),
                    (5, n(5.0)),
                ],
            ),
            response(
                "employees",
                11,
                &[(1, n(5.0)), (2, AnswerValue::Choice("partly".into()))],
            ),
            response(
                "management",
                12,
                &[(1, n(1.0)), (4, AnswerValue::Text("  ".into()))],
            ),
        ];
        let inv = vec![
            AudienceInvitations {
                audience: Some("employees".into()),
                invited: 10,
                answered: 3,
            },
            AudienceInvitations {
                audience: Some("management".into()),
                invited: 4,
                answered: 1,
            },
        ];
        let r = compute(&qs, &rs, &inv, false, &ResultsFilter::default());
        assert_eq!(r.responses, 4);
        assert_eq!(r.rates[0].rate, Some(0.3));
        assert_eq!(r.total_rate, Some(4.0 / 14.0));
        let t = &r.questions[0];
        assert_eq!(t.overall.n, 4);
        assert_eq!(t.overall.mean, Some(3.0));
        assert_eq!(t.overall.median, Some(3.0));
        // (2-1)/4·100 = 25, 75, 100, 0 → 50
        assert_eq!(t.overall.score, Some(50.0));
        let emp = t.by_audience[0].distribution.as_ref().expect("shown");
        assert_eq!(
            emp.counts.iter().map(|c| c.1).collect::<Vec<_>>(),
            vec![0, 1, 0, 1, 1]
        );
        assert_eq!(emp.median, Some(4.0));
        // Employees: timeliness (25+75+100)/3 = 66.67, helpfulness (0+100+50)/3 = 50, trust 100.
        let p = &r.perceived[0];
        assert!((p.timeliness.expect("t") - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(p.helpfulness, Some(50.0));
        assert_eq!(p.trust, Some(100.0));
        assert!((p.overall.expect("o") - (200.0 / 3.0 + 50.0 + 100.0) / 3.0).abs() < 1e-9);
        assert_eq!(r.perceived[1].timeliness, Some(0.0));
        // Only the text with words is listed, read for its tone and what it is about.
        assert_eq!(r.texts.len(), 1);
        assert_eq!(r.texts[0].text, "Zu spät informiert");
        assert_eq!(r.texts[0].sentiment, Polarity::Negative);
        assert!(
            r.texts[0].aspects.contains(&Aspect::Timeliness),
            "{:?}",
            r.texts[0].aspects
        );
        assert_eq!(
            (r.insights_overall.answers, r.insights_overall.negative),
            (1, 1)
        );
        assert_eq!(r.insights.len(), 1, "only audiences with texts");
        assert_eq!(r.over_time.bucket, "hour");
        assert_eq!(r.over_time.points.last().map(|p| p.total), Some(4));
    }

    #[test]
    fn small_groups_stay_hidden_in_anonymous_surveys() {
        let qs = vec![question(1, QuestionType::Rating5, "timeliness")];
        let rs = vec![
            response("employees", 1, &[(1, n(4.0))]),
            response("employees", 2, &[(1, n(4.0))]),
            response("employees", 3, &[(1, n(4.0))]),
            response("management", 20, &[(1, n(1.0))]),
            response("partners", 21, &[(1, n(2.0))]),
            response("partners", 21, &[(1, n(3.0))]),
        ];
        let r = compute(&qs, &rs, &[], true, &ResultsFilter::default());
        let shown: Vec<bool> = r.questions[0]
            .by_audience
            .iter()
            .map(|g| g.distribution.is_some())
            .collect();
        // The two small groups together are three: the employees may be shown beside them.
        assert_eq!(shown, [true, false, false]);
        assert_eq!(r.perceived[1].timeliness, None);
        assert_eq!(r.perceived[0].timeliness, Some(75.0));
        // All answers together are still counted.
        assert_eq!(r.questions[0].overall.n, 6);
        assert_eq!(r.over_time.bucket, "day");
        assert_eq!(r.over_time.points.len(), 5);
        assert_eq!(
            r.over_time.points[4]
                .audiences
                .iter()
                .map(|a| a.audience.as_deref())
                .collect::<Vec<_>>(),
            [Some("employees")],
            "per audience only the groups that may be shown"
        );
    }

    fn text(t: &str) -> AnswerValue {
        AnswerValue::Text(t.into())
    }

    #[test]
    fn hidden_groups_cannot_be_had_by_subtraction() {
        assert_eq!(visible_groups(&[10, 2, 5]), [true, false, false]);
        assert_eq!(visible_groups(&[10, 2, 1]), [true, false, false]);
        assert_eq!(visible_groups(&[10, 3, 0]), [true, true, true]);
        assert_eq!(visible_groups(&[1, 1]), [false, false]);
        assert_eq!(visible_groups(&[4, 4, 1, 3]), [true, true, false, false]);
    }

    #[test]
    fn filters_narrow_every_figure_and_rates_stay_per_audience() {
        let qs = vec![
            question(1, QuestionType::Rating5, "timeliness"),
            question(2, QuestionType::Text, "improve"),
        ];
        let mut en = response(
            "employees",
            10,
            &[(1, n(5.0)), (2, text("Great job, thank you."))],
        );
        en.locale = "en".into();
        let rs = vec![
            response(
                "employees",
                10,
                &[(1, n(1.0)), (2, text("Viel zu spät und unklar."))],
            ),
            en,
            response("management", 12, &[(1, n(3.0))]),
        ];
        let inv = vec![AudienceInvitations {
            audience: Some("employees".into()),
            invited: 4,
            answered: 2,
        }];
        let only = |f: ResultsFilter| compute(&qs, &rs, &inv, false, &f);
        let english = only(ResultsFilter {
            language: Some("en".into()),
            ..Default::default()
        });
        assert_eq!(english.responses, 1);
        assert_eq!(english.questions[0].overall.mean, Some(5.0));
        assert_eq!(
            english.rates[0].rate,
            Some(0.5),
            "the rate counts all answers"
        );
        assert_eq!(english.rates[0].responses, 1);
        let negative = only(ResultsFilter {
            sentiment: Some(Polarity::Negative),
            ..Default::default()
        });
        assert_eq!(negative.responses, 1);
        assert_eq!(negative.questions[0].overall.mean, Some(1.0));
        assert_eq!(negative.texts.len(), 1);
        assert_eq!(negative.texts[0].sentiment, Polarity::Negative);
        let management = only(ResultsFilter {
            audience: Some("management".into()),
            ..Default::default()
        });
        assert_eq!(management.rates.len(), 1);
        assert_eq!(management.rates[0].audience.as_deref(), Some("management"));
        assert!(management.texts.is_empty());
        let late = only(ResultsFilter {
            from: Some(at(11, 0)),
            ..Default::default()
        });
        assert_eq!(late.responses, 1);
        assert_eq!(
            select(
                &qs,
                &rs,
                &ResultsFilter {
                    to: Some(at(11, 0)),
                    ..Default::default()
                }
            ),
            vec![0, 1]
        );
    }

    #[test]
    fn anonymous_free_text_keeps_small_groups_unnamed_and_carries_no_time() {
        let qs = vec![
            question(1, QuestionType::Rating5, "timeliness"),
            question(2, QuestionType::Text, "improve"),
        ];
        let mut rs: Vec<ResponseRecord> = ["b", "c", "a"]
            .iter()
            .map(|t| {
                response(
                    "employees",
                    3,
                    &[(1, n(4.0)), (2, text(&format!("{t}: die SMS kam zu spät")))],
                )
            })
            .collect();
        rs.push(response(
            "management",
            4,
            &[(1, n(2.0)), (2, text("Board: die SMS kam zu spät"))],
        ));
        let r = compute(&qs, &rs, &[], true, &ResultsFilter::default());
        let m = r
            .texts
            .iter()
            .find(|t| t.text.starts_with("Board"))
            .expect("text");
        assert_eq!((m.audience.as_deref(), m.audience_withheld), (None, true));
        // One named group and one hidden: the hidden one (1) alone would show by subtraction, so
        // the employees' texts are not named either.
        assert!(
            r.texts
                .iter()
                .all(|t| t.audience_withheld && t.submitted_at.is_none())
        );
        assert!(r.insights.is_empty(), "no group of texts is named");
        assert_eq!(r.insights_overall.answers, 4);
        let order: Vec<&str> = r.texts.iter().map(|t| t.text.as_str()).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "not in the order they came in");
        assert!(
            r.texts
                .iter()
                .all(|t| t.themes.iter().any(|p| p.contains("sms"))),
            "{:?}",
            r.texts[0].themes
        );
        assert_eq!(r.sentiment_over_time.len(), 1, "one period with all four");
        // Named, timed and in order when not anonymous.
        let open = compute(&qs, &rs, &[], false, &ResultsFilter::default());
        assert_eq!(open.texts[3].audience.as_deref(), Some("management"));
        assert!(open.texts[0].submitted_at.is_some());
        // Two matching answers of an anonymous survey show no figures at all.
        let few = compute(&qs, &rs[..2], &[], true, &ResultsFilter::default());
        assert!(few.withheld && few.questions.is_empty() && few.texts.is_empty());
        assert_eq!(few.responses, 2);
    }

    #[test]
    fn tone_periods_of_anonymous_surveys_hold_three_answers_or_more() {
        let b = |d: u32, n: usize| SentimentBucket {
            start: at(d, 0),
            positive: n,
            neutral: 0,
            negative: 0,
        };
        let merged = coarsen(vec![b(1, 1), b(2, 1), b(3, 1), b(4, 5), b(5, 2)]);
        assert_eq!(
            merged
                .iter()
                .map(|x| (x.start.date(), x.total()))
                .collect::<Vec<_>>(),
            vec![(at(1, 0).date(), 3), (at(4, 0).date(), 7)]
        );
        assert!(coarsen(vec![b(1, 2)]).is_empty());
    }

    #[test]
    fn filter_input_is_checked_field_by_field() {
        let audiences = vec!["employees".to_string()];
        let tz = chrono_tz::Europe::Zurich;
        let bad = FilterInput {
            audience: "martians".into(),
            language: "fr".into(),
            from: "2026-03-12".into(),
            to: "10.03.2026".into(),
            sentiment: "angry".into(),
        };
        let e = bad.validate(&audiences, tz).expect_err("invalid");
        for field in ["audience", "language", "to", "sentiment"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        let reversed = FilterInput {
            from: "2026-03-12".into(),
            to: "2026-03-10".into(),
            ..Default::default()
        };
        assert!(
            reversed
                .validate(&audiences, tz)
                .expect_err("reversed")
                .get("to")
                .is_some()
        );
        let ok = FilterInput {
            from: "2026-03-10".into(),
            to: "2026-03-10".into(),
            sentiment: "negative".into(),
            ..Default::default()
        }
        .validate(&audiences, tz)
        .expect("valid");
        // Zurich is UTC+1 in March: the day runs 23:00 → 23:00 UTC.
        assert_eq!(
            ok.from.map(|t| t.to_string()).as_deref(),
            Some("2026-03-09 23:00:00")
        );
        assert_eq!(
            ok.to.map(|t| t.to_string()).as_deref(),
            Some("2026-03-10 23:00:00")
        );
        assert_eq!(ok.sentiment, Some(Polarity::Negative));
        assert!(FilterInput::default().is_empty());
    }
}
