//! Reports from the stored facts: the incident report model (scorecard, survey results, review,
//! actions) and the portfolio over a date range, then rendered to PDF or SVG by `report`.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::{self, DbConn};
use crate::domain::{EventKind, Incident, MessageKind as DomainKind};
use crate::error::{ServiceError, ServiceResult};
use crate::report::aggregate::{PortfolioHeader, PortfolioSelection, build_portfolio};
use crate::report::model::{self as m, Lang};
use crate::scoring::scorecard::Scorecard;
use crate::scoring::timeliness::PromiseOutcome;
use crate::surveys::results::SurveyResults;

/// Formats times of one report: in the organisation's zone, written the report language's way.
pub struct Clock {
    tz: chrono_tz::Tz,
    lang: Lang,
}

impl Clock {
    pub fn new(tz: &str, lang: Lang) -> Self {
        Self {
            tz: crate::domain::time::parse_zone(tz).unwrap_or(chrono_tz::Europe::Zurich),
            lang,
        }
    }

    pub fn local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        crate::domain::time::utc_to_local(utc, self.tz).naive_local()
    }

    pub fn stamp(&self, utc: NaiveDateTime) -> String {
        let l = self.local(utc);
        match self.lang {
            Lang::De => l.format("%d.%m.%Y, %H:%M").to_string(),
            Lang::En => l.format("%-d %b %Y, %H:%M").to_string(),
        }
    }

    pub fn date(&self, d: NaiveDate) -> String {
        crate::report::labels::texts(self.lang).date(d)
    }
}

fn kind(k: DomainKind) -> m::MessageKind {
    match k {
        DomainKind::Initial => m::MessageKind::Initial,
        DomainKind::Update => m::MessageKind::Update,
        DomainKind::Resolution => m::MessageKind::Resolution,
        DomainKind::PostIncident => m::MessageKind::PostIncident,
        DomainKind::Reply => m::MessageKind::Reply,
    }
}

fn channel_name(c: crate::domain::Channel, lang: Lang) -> String {
    crate::i18n::translate(lang.code(), &format!("channel.{c}"))
}

/// The phases of the incident from its events: undetected, investigating, mitigating,
/// monitoring, resolved.
fn phases(
    incident: &Incident,
    events: &[crate::domain::Event],
    clock: &Clock,
    end: NaiveDateTime,
) -> Vec<m::Phase> {
    let first = |k: EventKind| {
        events
            .iter()
            .filter(|e| e.kind == k)
            .map(|e| e.occurred_at)
            .min()
    };
    let resolved = incident.resolved_at;
    let mut marks: Vec<(m::PhaseKind, NaiveDateTime)> = Vec::new();
    if let Some(s) = incident.started_at.filter(|s| *s < incident.detected_at) {
        marks.push((m::PhaseKind::Undetected, s));
    }
    marks.push((m::PhaseKind::Investigating, incident.detected_at));
    let before_end = |t: Option<NaiveDateTime>| {
        t.filter(|t| *t > incident.detected_at && resolved.is_none_or(|r| *t < r))
    };
    if let Some(t) = before_end(first(EventKind::Mitigated)) {
        marks.push((m::PhaseKind::Mitigating, t));
    }
    if let Some(t) = before_end(first(EventKind::Monitoring)) {
        marks.push((m::PhaseKind::Monitoring, t));
    }
    if let Some(r) = resolved {
        marks.push((m::PhaseKind::Resolved, r));
    }
    marks.sort_by_key(|(_, t)| *t);
    let mut out = Vec::new();
    for (i, (k, from)) in marks.iter().enumerate() {
        let to = marks.get(i + 1).map_or(end.max(*from), |(_, t)| *t);
        out.push(m::Phase {
            kind: *k,
            from: clock.local(*from),
            to: clock.local(to),
        });
    }
    out
}

/// Every survey of the incident with its results, newest first.
pub fn survey_results(
    conn: &mut DbConn,
    incident_id: i64,
) -> ServiceResult<
    Vec<(
        crate::surveys::Survey,
        Vec<crate::surveys::Question>,
        SurveyResults,
    )>,
> {
    let mut out = Vec::new();
    for s in db::surveys::of_incident(conn, incident_id)?
        .into_iter()
        .rev()
    {
        let questions = db::surveys::questions(conn, s.id)?;
        let responses = db::responses::all(conn, s.id)?;
        let invitations = db::invitations::counts_by_audience(conn, s.id)?;
        let results = crate::surveys::results::compute(
            &questions,
            &responses,
            &invitations,
            s.anonymous,
            &Default::default(),
        );
        out.push((s, questions, results));
    }
    Ok(out)
}

/// The perceived overall score of an audience (or everyone, `None`) over the incident's surveys,
/// weighted by the number of answers.
pub fn perceived(
    results: &[(
        crate::surveys::Survey,
        Vec<crate::surveys::Question>,
        SurveyResults,
    )],
    audience: Option<&str>,
) -> Option<f64> {
    let (sum, n) = results.iter().fold((0.0, 0usize), |(sum, n), (_, _, r)| {
        let p = match audience {
            Some(a) => r
                .perceived
                .iter()
                .find(|p| p.audience.as_deref() == Some(a)),
            None => Some(&r.perceived_overall),
        };
        match p.and_then(|p| p.overall.map(|o| (o, p.n))) {
            Some((o, k)) => (sum + o * k as f64, n + k),
            None => (sum, n),
        }
    });
    (n > 0).then(|| sum / n as f64)
}

fn survey_model(
    results: &[(
        crate::surveys::Survey,
        Vec<crate::surveys::Question>,
        SurveyResults,
    )],
    names: &dyn Fn(&Option<String>) -> String,
    lang: Lang,
    clock: &Clock,
) -> Option<m::SurveyResults> {
    if results.is_empty() {
        return None;
    }
    let mut rates: Vec<m::ResponseRate> = Vec::new();
    let mut questions = Vec::new();
    let mut sentiment = m::SentimentCounts::default();
    let mut over_time: std::collections::BTreeMap<NaiveDate, m::SentimentCounts> =
        Default::default();
    for (_, qs, r) in results {
        for rate in &r.rates {
            let name = names(&rate.audience);
            match rates.iter_mut().find(|x| x.audience == name) {
                Some(x) => {
                    x.invited += rate.invited as u32;
                    x.answered += rate.responses as u32;
                }
                None => rates.push(m::ResponseRate {
                    audience: name,
                    invited: rate.invited as u32,
                    answered: rate.responses as u32,
                }),
            }
        }
        for q in &r.questions {
            let Some(question) = qs.iter().find(|x| x.id == q.question_id) else {
                continue;
            };
            let kind = match q.qtype {
                crate::surveys::QuestionType::Rating5 => m::QuestionType::Rating,
                crate::surveys::QuestionType::Scale10 => m::QuestionType::Scale,
                crate::surveys::QuestionType::Single => m::QuestionType::SingleChoice,
                crate::surveys::QuestionType::Multiple => m::QuestionType::MultipleChoice,
                crate::surveys::QuestionType::YesPartlyNo => m::QuestionType::YesNoPartly,
                crate::surveys::QuestionType::Text => m::QuestionType::FreeText,
            };
            let choices = question.choices();
            // Stacked from the most negative to the most positive: yes/partly/no reads no first.
            let order: Vec<usize> = if kind == m::QuestionType::YesNoPartly {
                vec![2, 1, 0]
            } else {
                (0..choices.len()).collect()
            };
            questions.push(m::QuestionResult {
                text: question.text(lang.code()).to_string(),
                kind,
                options: order
                    .iter()
                    .filter_map(|&i| choices.get(i))
                    .map(|c| c.label(lang.code()).to_string())
                    .collect(),
                per_audience: q
                    .by_audience
                    .iter()
                    .filter_map(|g| {
                        let d = g.distribution.as_ref()?;
                        Some(m::AnswerDistribution {
                            audience: names(&g.audience),
                            counts: order
                                .iter()
                                .filter_map(|&i| d.counts.get(i))
                                .map(|c| c.1 as u32)
                                .collect(),
                            mean: d.mean,
                            n: d.n as u32,
                        })
                    })
                    .collect(),
            });
        }
        sentiment.positive += r.insights_overall.positive as u32;
        sentiment.neutral += r.insights_overall.neutral as u32;
        sentiment.negative += r.insights_overall.negative as u32;
        // The results' periods: an anonymous survey's free text carries no time of its own.
        for b in &r.sentiment_over_time {
            let c = over_time.entry(clock.local(b.start).date()).or_default();
            c.positive += b.positive as u32;
            c.neutral += b.neutral as u32;
            c.negative += b.negative as u32;
        }
    }
    Some(m::SurveyResults {
        response_rates: rates,
        questions,
        sentiment,
        sentiment_over_time: over_time
            .into_iter()
            .filter_map(|(d, counts)| {
                Some(m::SentimentPoint {
                    at: d.and_hms_opt(0, 0, 0)?,
                    counts,
                })
            })
            .collect(),
    })
}

/// The incident report in `lang`, from the stored facts.
pub fn incident_report(
    conn: &mut DbConn,
    key: &str,
    lang: Lang,
) -> ServiceResult<m::IncidentReport> {
    Ok(incident_view(conn, key, lang)?.2)
}

/// The incident, its scorecard and its report model (the scorecard page draws the report's charts).
pub fn incident_view(
    conn: &mut DbConn,
    key: &str,
    lang: Lang,
) -> ServiceResult<(Incident, Scorecard, m::IncidentReport)> {
    let (incident, card) = crate::scores::scorecard(conn, key)?;
    let org = crate::organisation::load(conn)?;
    let clock = Clock::new(&org.time_zone, lang);
    let events = db::timeline::events(conn, incident.id)?;
    let messages = db::timeline::messages(conn, incident.id)?;
    let mentions = db::timeline::mentions(conn, incident.id)?;
    let audiences = db::audiences::list(conn)?;
    let policy = db::audiences::effective_policy(conn, incident.id, incident.severity)?;
    let surveys = survey_results(conn, incident.id)?;
    let rubrics = crate::scores::rubrics(conn)?;
    let l = lang.code();
    let name_of = |key: &str| {
        audiences
            .iter()
            .find(|a| a.key == key)
            .map_or(key.to_string(), |a| a.name(l).to_string())
    };
    let names = |k: &Option<String>| match k {
        Some(k) => name_of(k),
        None => crate::i18n::translate(l, "surveys.no_audience"),
    };
    let mut report = build(&Build {
        incident: &incident,
        card: &card,
        org: &org,
        clock: &clock,
        events: &events,
        messages: &messages,
        mentions: &mentions,
        audiences: &audiences,
        policy: &policy,
        surveys: &surveys,
        rubrics: &rubrics,
        lang,
        names: &names,
    });
    let today = crate::actions::manage::today(conn)?;
    report.review_sections = crate::reviews::report::sections(conn, incident.id, lang)?;
    report.actions = crate::reviews::report::actions(conn, &incident.key, lang, today)?;
    Ok((incident, card, report))
}

struct Build<'a> {
    incident: &'a Incident,
    card: &'a Scorecard,
    org: &'a crate::organisation::Organisation,
    clock: &'a Clock,
    events: &'a [crate::domain::Event],
    messages: &'a [crate::domain::Message],
    mentions: &'a [crate::domain::Mention],
    audiences: &'a [crate::domain::Audience],
    policy: &'a [(i64, crate::domain::PolicyTargets)],
    surveys: &'a [(
        crate::surveys::Survey,
        Vec<crate::surveys::Question>,
        SurveyResults,
    )],
    rubrics: &'a crate::scores::Rubrics,
    lang: Lang,
    names: &'a dyn Fn(&Option<String>) -> String,
}

fn build(b: &Build) -> m::IncidentReport {
    let (incident, card, clock, lang) = (b.incident, b.card, b.clock, b.lang);
    let l = lang.code();
    let name_of = |key: &str| (b.names)(&Some(key.to_string()));
    let now = db::now();
    let end = b
        .messages
        .iter()
        .map(|m| m.sent_at)
        .chain(incident.resolved_at)
        .max()
        .unwrap_or(incident.detected_at);

    let report_audiences: Vec<m::AudienceSummary> = card
        .audiences
        .iter()
        .map(|a| {
            let interval = b
                .audiences
                .iter()
                .find(|x| x.key == a.key)
                .and_then(|x| b.policy.iter().find(|(id, _)| *id == x.id))
                .map(|(_, p)| f64::from(p.update_interval_min));
            m::AudienceSummary {
                key: a.key.clone(),
                name: if lang == Lang::De {
                    a.name_de.clone()
                } else {
                    a.name_en.clone()
                },
                scores: m::Scores {
                    overall: Some(a.overall),
                    timeliness: Some(a.timeliness),
                    clarity: a.clarity,
                    perceived: perceived(b.surveys, Some(&a.key)),
                },
                first_message_minutes: a.first_message_min,
                first_message_target_minutes: Some(a.first_message_target_min),
                update_interval_minutes: interval,
            }
        })
        .collect();

    let message_ref = |id: i64| {
        b.messages.iter().find(|m| m.id == id).map(|msg| {
            let kind = crate::i18n::translate(l, &format!("message_kind.{}", msg.kind));
            format!(
                "{} · {} · {kind}",
                clock.local(msg.sent_at).format("%H:%M"),
                channel_name(msg.channel, lang)
            )
        })
    };
    let findings = card
        .findings
        .iter()
        .map(|f| m::ReportFinding {
            severity: f.severity,
            text: f.text(l).to_string(),
            audience: f.audience.clone(),
            message: f.message_id.and_then(message_ref),
            impact: f.impact,
        })
        .collect();

    let mut timeline_messages = Vec::new();
    let mut promises = Vec::new();
    let mut silences = Vec::new();
    for t in &card.timeline.audiences {
        let late_first = card
            .audiences
            .iter()
            .find(|a| a.key == t.key)
            .is_some_and(|a| {
                a.first_message_min
                    .is_some_and(|m| m > a.first_message_target_min)
            });
        for msg in b
            .messages
            .iter()
            .filter(|msg| msg.audiences.contains(&t.key) && msg.kind != DomainKind::Reply)
        {
            let first = t.timeline.first_message_at == Some(msg.sent_at);
            let broke_promise =
                t.timeline.promises.iter().any(|p| {
                    p.outcome == PromiseOutcome::Broken && p.answered_at == Some(msg.sent_at)
                });
            timeline_messages.push(m::TimelineMessage {
                at: clock.local(msg.sent_at),
                audience: t.key.clone(),
                kind: kind(msg.kind),
                channel: channel_name(msg.channel, lang),
                late: (first && late_first) || broke_promise,
            });
        }
        for p in &t.timeline.promises {
            promises.push(m::PromisedUpdate {
                audience: t.key.clone(),
                promised_at: clock.local(p.promised_at),
                due: clock.local(p.due_at),
                kept: p.outcome != PromiseOutcome::Broken,
            });
        }
        for s in &t.timeline.silences {
            silences.push(m::Silence {
                audience: t.key.clone(),
                from: clock.local(s.from),
                to: clock.local(s.to),
                late: Some(s.late),
            });
        }
    }

    let clarity = card
        .messages
        .iter()
        .filter_map(|ms| {
            let audience = ms
                .audiences
                .iter()
                .find(|a| card.audiences.iter().any(|x| &x.key == *a))?;
            Some(m::MessageClarity {
                at: clock.local(ms.sent_at),
                audience: audience.clone(),
                score: ms.clarity,
            })
        })
        .collect();
    let rows = b
        .messages
        .iter()
        .map(|msg| {
            let score = card.messages.iter().find(|s| s.message_id == msg.id);
            m::MessageRow {
                sent: clock.stamp(msg.sent_at),
                audiences: msg
                    .audiences
                    .iter()
                    .map(|a| name_of(a))
                    .collect::<Vec<_>>()
                    .join(", "),
                channel: channel_name(msg.channel, lang),
                kind: kind(msg.kind),
                clarity: score.map(|s| s.clarity),
                findings: score
                    .map(|s| {
                        s.analysis
                            .findings
                            .iter()
                            .map(|f| (f.severity, f.text(l).to_string()))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();

    // Mentions by day and tone: what the public said while it happened.
    let mut mention_days: std::collections::BTreeMap<NaiveDate, m::SentimentCounts> =
        Default::default();
    for mention in b.mentions {
        let c = mention_days
            .entry(clock.local(mention.posted_at).date())
            .or_default();
        match crate::text::analyse_sentiment(&mention.text).polarity {
            crate::text::Polarity::Positive => c.positive += 1,
            crate::text::Polarity::Neutral => c.neutral += 1,
            crate::text::Polarity::Negative => c.negative += 1,
        }
    }

    let mut weights = Vec::new();
    let group = crate::i18n::translate(l, "scores.timeliness");
    let tw = &b.rubrics.timeliness.weights;
    for (name, w) in [
        ("T1", tw.first_message),
        ("T2", tw.cadence),
        ("T3", tw.commitments),
        ("T4", tw.all_clear),
        ("T5", tw.proactivity),
        ("T6", tw.sequencing),
    ] {
        weights.push(m::RubricWeight {
            group: group.clone(),
            name: format!(
                "{name} {}",
                crate::i18n::translate(l, &format!("scores.sub_{name}"))
            ),
            weight: w,
        });
    }
    let group = crate::i18n::translate(l, "scores.clarity");
    let c = &b.rubrics.clarity;
    for (name, w) in [
        ("completeness", c.completeness_weight),
        ("language", c.language_weight),
        ("tone", c.tone_weight),
        ("honesty", c.honesty_weight),
    ] {
        weights.push(m::RubricWeight {
            group: group.clone(),
            name: crate::i18n::translate(l, &format!("scores.dim_{name}")),
            weight: w,
        });
    }

    m::IncidentReport {
        organisation: b.org.name.clone(),
        confidentiality: b.org.confidentiality_label.clone(),
        lang,
        generated_at: clock.stamp(now),
        generated_utc: now,
        facts: m::IncidentFacts {
            key: incident.key.clone(),
            title: incident.title.clone(),
            kind: incident.kind.to_string(),
            severity: incident.severity.to_string(),
            status: incident.status.to_string(),
            detected: clock.stamp(incident.detected_at),
            started: incident.started_at.map(|t| clock.stamp(t)),
            resolved: incident.resolved_at.map(|t| clock.stamp(t)),
            affected_services: incident.affected_services.clone(),
            summary: incident.summary.clone(),
        },
        scores: m::Scores {
            overall: card.overall,
            timeliness: card.timeliness,
            clarity: card.clarity,
            perceived: perceived(b.surveys, None),
        },
        audiences: report_audiences,
        findings,
        timeline: m::Timeline {
            detected_at: clock.local(incident.detected_at),
            resolved_at: incident.resolved_at.map(|t| clock.local(t)),
            phases: phases(incident, b.events, clock, end),
            messages: timeline_messages,
            promises,
            silences,
        },
        clarity,
        messages: rows,
        survey: survey_model(b.surveys, b.names, lang, clock),
        mentions_sentiment: mention_days
            .into_iter()
            .filter_map(|(d, counts)| {
                Some(m::SentimentPoint {
                    at: d.and_hms_opt(0, 0, 0)?,
                    counts,
                })
            })
            .collect(),
        review_sections: Vec::new(),
        actions: Vec::new(),
        method: m::MethodAppendix {
            rubric_version: card.rubric_version,
            weights,
        },
    }
}

/// The incident report rendered: its file name and the PDF. Pure CPU work, no connection: the
/// web renders it after releasing the connection the model was loaded with.
pub fn render_incident(report: &m::IncidentReport) -> ServiceResult<(String, Vec<u8>)> {
    let pdf = crate::report::render_incident_pdf(report)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok((
        format!("{}-report-{}.pdf", report.facts.key, report.lang.code()),
        pdf,
    ))
}

/// The incident report of a stored incident, loaded and rendered in one go (the CLI).
pub fn incident_pdf(conn: &mut DbConn, key: &str, lang: Lang) -> ServiceResult<(String, Vec<u8>)> {
    render_incident(&incident_report(conn, key, lang)?)
}

/// The portfolio over the incidents detected in `from..=to` (optionally one kind or severity).
pub fn portfolio_report(
    conn: &mut DbConn,
    selection: &PortfolioSelection,
    lang: Lang,
) -> ServiceResult<m::PortfolioReport> {
    let org = crate::organisation::load(conn)?;
    let clock = Clock::new(&org.time_zone, lang);
    let filter = crate::db::incidents::IncidentFilter {
        from: Some(selection.from),
        to: Some(selection.to),
        kind: selection.kind.map(|k| k.as_str().to_string()),
        severity: selection.severity.map(|s| s.as_str().to_string()),
        ..Default::default()
    };
    let incidents = db::incidents::list(conn, &filter)?;
    let today = crate::actions::manage::today(conn)?;
    let mut out = Vec::new();
    for incident in &incidents {
        let card = crate::scores::headline(conn, incident)?;
        let surveys = survey_results(conn, incident.id)?;
        out.push(m::PortfolioIncident {
            key: incident.key.clone(),
            title: incident.title.clone(),
            kind: incident.kind.to_string(),
            severity: incident.severity.to_string(),
            detected: clock.local(incident.detected_at).date(),
            scores: m::Scores {
                overall: card.overall,
                timeliness: card.timeliness,
                clarity: card.clarity,
                perceived: perceived(&surveys, None),
            },
            first_message_minutes: card.first_message_min,
            actions: crate::reviews::report::counts(conn, &incident.key, today)?,
        });
    }
    let now = db::now();
    Ok(build_portfolio(
        PortfolioHeader {
            organisation: org.name.clone(),
            confidentiality: org.confidentiality_label.clone(),
            lang,
            generated_at: clock.stamp(now),
            generated_utc: now,
            range: format!(
                "{} – {}",
                clock.date(selection.from),
                clock.date(selection.to)
            ),
        },
        out,
        selection,
    ))
}

/// The portfolio report rendered: its file name and the PDF (no connection, like
/// [`render_incident`]).
pub fn render_portfolio(
    report: &m::PortfolioReport,
    selection: &PortfolioSelection,
) -> ServiceResult<(String, Vec<u8>)> {
    let pdf = crate::report::render_portfolio_pdf(report)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok((
        format!(
            "portfolio-{}-{}-{}.pdf",
            selection.from,
            selection.to,
            report.lang.code()
        ),
        pdf,
    ))
}

/// The portfolio report loaded and rendered in one go (the CLI).
pub fn portfolio_pdf(
    conn: &mut DbConn,
    selection: &PortfolioSelection,
    lang: Lang,
) -> ServiceResult<(String, Vec<u8>)> {
    render_portfolio(&portfolio_report(conn, selection, lang)?, selection)
}
