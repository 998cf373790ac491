//! The scorecard of an incident as the rest of Debrief uses it: computed from the stored facts
//! with the organisation's rubric, and persisted (with the rubric version and raw measurements)
//! whenever those facts changed since the last computation.

use sha2::{Digest, Sha256};

use crate::db::scores::{FindingRow, ScoreRow};
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident};
use crate::error::{ServiceError, ServiceResult};
use crate::scoring::scorecard::{self, Scorecard, ScorecardInput};
use crate::scoring::timeliness::TimelinessRubric;
use crate::scoring::{ClarityRubric, RUBRIC_VERSION, ServiceCatalogue};

const CLARITY_KEY: &str = "scoring.clarity";
const TIMELINESS_KEY: &str = "scoring.timeliness";

/// The organisation's weights and thresholds, or SCORING.md's defaults.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Rubrics {
    pub clarity: ClarityRubric,
    pub timeliness: TimelinessRubric,
}

pub fn rubrics(conn: &mut DbConn) -> ServiceResult<Rubrics> {
    Ok(Rubrics {
        clarity: db::settings::get(conn, CLARITY_KEY)?.unwrap_or_default(),
        timeliness: db::settings::get(conn, TIMELINESS_KEY)?.unwrap_or_default(),
    })
}

/// Stores rubric overrides given as JSON (fields left out keep their defaults). Every incident
/// is rescored when next read, because the rubric is part of each scorecard's fingerprint.
pub fn save_rubrics(conn: &mut DbConn, clarity: &str, timeliness: &str) -> ServiceResult<Rubrics> {
    let mut errors = FieldErrors::default();
    let parse_clarity = serde_json::from_str::<ClarityRubric>(if clarity.trim().is_empty() {
        "{}"
    } else {
        clarity
    });
    let clarity = match parse_clarity {
        Ok(r) => match r.problem() {
            None => Some(r),
            Some((field, problem)) => {
                errors.add("clarity", format!("{field}: {problem}"));
                None
            }
        },
        Err(e) => {
            errors.add("clarity", format!("is not valid: {e}"));
            None
        }
    };
    let timeliness = match TimelinessRubric::from_json(if timeliness.trim().is_empty() {
        "{}"
    } else {
        timeliness
    }) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.add("timeliness", format!("is not valid: {e}"));
            None
        }
    };
    match (clarity, timeliness) {
        (Some(clarity), Some(timeliness)) if errors.is_empty() => {
            db::write_transaction(conn, |c| {
                db::settings::put(c, CLARITY_KEY, &clarity)?;
                db::settings::put(c, TIMELINESS_KEY, &timeliness)?;
                Ok::<_, ServiceError>(())
            })?;
            Ok(Rubrics {
                clarity,
                timeliness,
            })
        }
        _ => Err(errors.into()),
    }
}

/// The scorecard of the incident with this key.
pub fn scorecard(conn: &mut DbConn, key: &str) -> ServiceResult<(Incident, Scorecard)> {
    let incident = crate::incidents::get(conn, key)?;
    let card = ensure(conn, &incident)?;
    Ok((incident, card))
}

/// What an incident's scorecard is computed from, and the fingerprint of it all.
struct Facts {
    audiences: Vec<crate::domain::Audience>,
    paired: Vec<(crate::domain::Audience, crate::domain::PolicyTargets)>,
    messages: Vec<crate::domain::Message>,
    mentions: Vec<crate::domain::Mention>,
    services: ServiceCatalogue,
    rubrics: Rubrics,
    tz: chrono_tz::Tz,
    fingerprint: String,
}

fn facts(conn: &mut DbConn, incident: &Incident) -> ServiceResult<Facts> {
    let audiences = db::audiences::list(conn)?;
    let policy = db::audiences::effective_policy(conn, incident.id, incident.severity)?;
    let paired: Vec<_> = audiences
        .iter()
        .filter_map(|a| {
            policy
                .iter()
                .find(|(id, _)| *id == a.id)
                .map(|(_, p)| (a.clone(), *p))
        })
        .collect();
    let messages = db::timeline::messages(conn, incident.id)?;
    let mentions = db::timeline::mentions(conn, incident.id)?;
    let entries: Vec<_> = db::audiences::list_services(conn)?
        .iter()
        .map(|s| crate::domain::service::ServiceEntry::from_stored(&s.name, &s.aliases))
        .collect();
    let rubrics = rubrics(conn)?;
    let org = crate::organisation::load(conn)?;
    let tz = crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);

    // The analysis itself is part of the facts: a build with other rules (a better cue list)
    // scores again on the next read instead of serving rows the old rules wrote.
    let fingerprint = {
        let facts = serde_json::json!({
            "rubric_version": RUBRIC_VERSION, "analysis": env!("DEBRIEF_ANALYSIS_HASH"),
            "incident": incident, "audiences": paired, "messages": messages,
            "mentions": mentions, "services": entries, "rubrics": rubrics, "tz": org.time_zone,
        });
        let digest = Sha256::digest(facts.to_string().as_bytes());
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    Ok(Facts {
        audiences,
        paired,
        messages,
        mentions,
        services: ServiceCatalogue::new(entries),
        rubrics,
        tz,
        fingerprint,
    })
}

/// Computes the scorecard; stores it when the facts differ from those of the stored one. Every
/// reader of scores (pages, API, CLI, reports, reviews, surveys) comes through here or through
/// [`headline`], so none reads a stored row that is out of date.
pub fn ensure(conn: &mut DbConn, incident: &Incident) -> ServiceResult<Scorecard> {
    let facts = facts(conn, incident)?;
    compute_and_store(conn, incident, &facts)
}

fn compute_and_store(
    conn: &mut DbConn,
    incident: &Incident,
    facts: &Facts,
) -> ServiceResult<Scorecard> {
    let card = scorecard::compute(&ScorecardInput {
        incident,
        audiences: &facts.paired,
        messages: &facts.messages,
        mentions: &facts.mentions,
        services: &facts.services,
        clarity: &facts.rubrics.clarity,
        timeliness: &facts.rubrics.timeliness,
        tz: facts.tz,
    });
    if db::scores::fingerprint(conn, incident.id)?.as_deref() != Some(facts.fingerprint.as_str()) {
        let audience_ids: Vec<(String, i64)> = facts
            .audiences
            .iter()
            .map(|a| (a.key.clone(), a.id))
            .collect();
        let (rows, found) = rows(incident.id, &card, &audience_ids, &facts.fingerprint);
        db::write_transaction(conn, |c| db::scores::replace(c, incident.id, &rows, &found))?;
    }
    Ok(card)
}

pub use crate::db::scores::Headline;

/// The headline of the incident's scorecard (what the portfolio lists): read from the stored
/// scores when they were computed from the same facts and rubric, so a portfolio over hundreds of
/// incidents analyses no message again; computed and stored otherwise.
pub fn headline(conn: &mut DbConn, incident: &Incident) -> ServiceResult<Headline> {
    let facts = facts(conn, incident)?;
    if db::scores::fingerprint(conn, incident.id)?.as_deref() == Some(facts.fingerprint.as_str())
        && let Some(stored) = db::scores::headline(conn, incident.id)?
    {
        return Ok(stored);
    }
    let card = compute_and_store(conn, incident, &facts)?;
    Ok(Headline {
        overall: card.overall,
        timeliness: card.timeliness,
        clarity: card.clarity,
        first_message_min: card
            .audiences
            .iter()
            .filter_map(|a| a.first_message_min)
            .reduce(f64::min),
    })
}

/// The scorecard as table rows: incident, audience and message scores, and the findings.
fn rows(
    incident_id: i64,
    card: &Scorecard,
    audience_ids: &[(String, i64)],
    fingerprint: &str,
) -> (Vec<ScoreRow>, Vec<FindingRow>) {
    let now = db::now();
    let audience_id = |key: &str| {
        audience_ids
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, id)| *id)
    };
    let row = |scope: &'static str,
               audience: Option<i64>,
               message: Option<i64>,
               dimension: &str,
               value: Option<f64>,
               m: serde_json::Value| ScoreRow {
        incident_id,
        scope,
        audience_id: audience,
        message_id: message,
        dimension: dimension.to_string(),
        value,
        measurements: m.to_string(),
        rubric_version: card.rubric_version,
        computed_at: now,
    };
    let none = serde_json::json!({});
    let mut out = vec![
        row(
            "incident",
            None,
            None,
            "overall",
            card.overall,
            serde_json::json!({
                "fingerprint": fingerprint, "time_to_detect_min": card.timeline.time_to_detect_min,
            }),
        ),
        row(
            "incident",
            None,
            None,
            "timeliness",
            card.timeliness,
            none.clone(),
        ),
        row(
            "incident",
            None,
            None,
            "clarity",
            card.clarity,
            none.clone(),
        ),
    ];
    for a in &card.audiences {
        let id = audience_id(&a.key);
        out.push(row(
            "audience",
            id,
            None,
            "overall",
            Some(a.overall),
            serde_json::json!({ "share": a.share }),
        ));
        out.push(row(
            "audience",
            id,
            None,
            "timeliness",
            Some(a.timeliness),
            serde_json::json!({
                "first_message_min": a.first_message_min, "target_min": a.first_message_target_min,
            }),
        ));
        out.push(row(
            "audience",
            id,
            None,
            "clarity",
            a.clarity,
            serde_json::json!({ "messages": a.messages }),
        ));
        if let Some(t) = card.timeline.audiences.iter().find(|t| t.key == a.key) {
            for s in &t.sub_scores {
                out.push(row("audience", id, None, s.id.as_str(), s.score, serde_json::json!({
                    "weight": s.weight, "reason_en": s.reason_en, "reason_de": s.reason_de, "measurements": s.measurements,
                })));
            }
        }
    }
    for m in &card.messages {
        let c = &m.analysis.clarity;
        let mid = Some(m.message_id);
        out.push(row("message", None, mid, "clarity", Some(m.clarity), serde_json::json!({
            "readability": m.analysis.readability, "labels": m.analysis.labels, "language": m.analysis.language,
            "honesty_adjustment": m.honesty_adjustment, "readers": m.readers,
        })));
        for (dim, v) in [
            ("completeness", c.completeness),
            ("language", c.language),
            ("tone", c.tone),
            ("honesty", m.honesty),
        ] {
            out.push(row("message", None, mid, dim, Some(v), none.clone()));
        }
    }
    let found = card
        .findings
        .iter()
        .map(|f| FindingRow {
            incident_id,
            code: f.code.clone(),
            severity: f.severity.to_string(),
            impact: f.impact,
            text_en: f.text_en.clone(),
            text_de: f.text_de.clone(),
            audience_id: f.audience.as_deref().and_then(audience_id),
            message_id: f.message_id,
            gap_from: f.gap.map(|g| g.0),
            gap_to: f.gap.map(|g| g.1),
            evidence: serde_json::to_string(&f.evidence).unwrap_or_else(|_| "[]".into()),
            rubric_version: card.rubric_version,
            computed_at: now,
        })
        .collect();
    (out, found)
}
