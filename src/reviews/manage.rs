//! A review's life: created for an incident with its automatic sections filled in, the team's
//! text edited with history, the automatic parts regenerated on demand, and the workflow.
//! Every write is one transaction; publication and reopening are audited.

use chrono::NaiveDateTime;

use super::automatic::{self, ActualFacts, Clock, ExpectedFacts, PerceptionFacts, PolicyLine};
use super::model::{self, Review, ReviewStatus, Section, SectionEdit, SectionKey};
use crate::db::audit::{self, Actor};
use crate::db::review_people::NewParticipant;
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident};
use crate::error::{ServiceError, ServiceResult};

fn conflict(message: &str) -> ServiceError {
    ServiceError::Conflict(message.to_string())
}

/// The incident and its review, if it has one.
pub fn find(conn: &mut DbConn, key: &str) -> ServiceResult<(Incident, Option<Review>)> {
    let incident = crate::incidents::get(conn, key)?;
    let review = db::reviews::of_incident(conn, incident.id)?;
    Ok((incident, review))
}

/// The incident and its review; not found when it has none yet.
pub fn get(conn: &mut DbConn, key: &str) -> ServiceResult<(Incident, Review)> {
    match find(conn, key)? {
        (incident, Some(review)) => Ok((incident, review)),
        (_, None) => Err(ServiceError::NotFound),
    }
}

/// The review, refusing when it is published.
pub fn get_editable(conn: &mut DbConn, key: &str) -> ServiceResult<(Incident, Review)> {
    let (incident, review) = get(conn, key)?;
    review.ensure_editable().map_err(conflict)?;
    Ok((incident, review))
}

/// Inside a write transaction: the review as it is now, locked until the commit, refused when it
/// was published since the caller looked (that look came before the transaction).
pub(super) fn lock_editable(conn: &mut DbConn, review_id: i64) -> ServiceResult<Review> {
    let review = db::reviews::lock(conn, review_id)?.ok_or(ServiceError::NotFound)?;
    review.ensure_editable().map_err(conflict)?;
    Ok(review)
}

/// The automatic parts of the three automatic sections, in the incident's language.
pub fn automatic_parts(
    conn: &mut DbConn,
    incident: &Incident,
) -> ServiceResult<Vec<(SectionKey, String)>> {
    let lang: &'static str = crate::i18n::negotiate(incident.language.as_str());
    let audiences = db::audiences::list(conn)?;
    let name = |key: &str| {
        audiences
            .iter()
            .find(|a| a.key == key)
            .map_or(key.to_string(), |a| a.name(lang).to_string())
    };
    let effective = db::audiences::effective_policy(conn, incident.id, incident.severity)?;
    let organisation = db::audiences::policies(conn)?;
    let mut lines = Vec::new();
    let mut overridden = false;
    for a in audiences
        .iter()
        .filter(|a| incident.audiences.contains(&a.key))
    {
        let Some((_, targets)) = effective.iter().find(|(id, _)| *id == a.id) else {
            continue;
        };
        let default = organisation
            .iter()
            .find(|(s, id, _)| *s == incident.severity && *id == a.id)
            .map(|(.., t)| *t)
            .unwrap_or_else(|| crate::domain::PolicyTargets::default_for(incident.severity));
        overridden |= default != *targets;
        lines.push(PolicyLine {
            audience: a.name(lang).to_string(),
            targets: *targets,
        });
    }
    let expected = automatic::expected(
        &ExpectedFacts {
            severity: incident.severity,
            lines,
            overridden,
        },
        lang,
    );

    let card = crate::scores::ensure(conn, incident)?;
    let messages = db::timeline::messages(conn, incident.id)?;
    let org = crate::organisation::load(conn)?;
    let tz = crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);
    let clock = Clock::new(tz, lang, incident.detected_at);
    let actual = automatic::actual(
        &ActualFacts::from_scorecard(&card, &messages, &name),
        &clock,
    );

    let surveys = crate::reports::survey_results(conn, incident.id)?;
    let results: Vec<&crate::surveys::results::SurveyResults> =
        surveys.iter().map(|(_, _, r)| r).collect();
    let audience_name = |k: &Option<String>| match k {
        Some(k) => name(k),
        None => crate::i18n::translate(lang, "surveys.no_audience"),
    };
    let perception = automatic::perception(
        &PerceptionFacts::from_results(&results, card.overall, &audience_name),
        lang,
    );
    Ok(vec![
        (SectionKey::Expected, expected),
        (SectionKey::Actual, actual),
        (SectionKey::Perception, perception),
    ])
}

/// Starts the review of an incident: every section, the automatic parts filled in, and the
/// person who starts it as its facilitator.
pub fn create(conn: &mut DbConn, key: &str, actor: &Actor) -> ServiceResult<Review> {
    let (incident, existing) = find(conn, key)?;
    if existing.is_some() {
        return Err(conflict("the incident already has a review"));
    }
    let parts = automatic_parts(conn, &incident)?;
    let facilitator = match actor.user_id {
        Some(id) => db::users::find(conn, id)?,
        None => None,
    };
    db::write_transaction(conn, |c| {
        let id = db::reviews::insert(c, incident.id, facilitator.as_ref().map(|u| u.id))?;
        for section in SectionKey::ALL {
            let auto = parts
                .iter()
                .find(|(k, _)| k == section)
                .map(|(_, text)| text.as_str());
            db::reviews::insert_section(c, id, *section, auto)?;
        }
        if let Some(u) = &facilitator {
            db::review_people::insert_participant(
                c,
                &NewParticipant {
                    review_id: id,
                    user_id: Some(u.id),
                    name: &u.name,
                    email: None,
                    role: model::ParticipantRole::Facilitator,
                },
            )?;
        }
        audit::record(c, actor, "review.created", Some(&incident.key), None)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(get(conn, key)?.1)
}

pub fn sections(conn: &mut DbConn, review: &Review) -> ServiceResult<Vec<Section>> {
    Ok(db::reviews::sections(conn, review.id)?)
}

fn section(conn: &mut DbConn, review: &Review, key: SectionKey) -> ServiceResult<Section> {
    sections(conn, review)?
        .into_iter()
        .find(|s| s.key == key)
        .ok_or(ServiceError::NotFound)
}

/// Fills the automatic parts in again from today's facts; the team's text stays as it is.
pub fn regenerate(conn: &mut DbConn, key: &str, actor: &Actor) -> ServiceResult<()> {
    let (incident, review) = get_editable(conn, key)?;
    let parts = automatic_parts(conn, &incident)?;
    let current = sections(conn, &review)?;
    db::write_transaction(conn, |c| {
        lock_editable(c, review.id)?;
        for (k, text) in &parts {
            match current.iter().find(|s| s.key == *k) {
                Some(s) => db::reviews::set_auto(c, s.id, text)?,
                None => db::reviews::insert_section(c, review.id, *k, Some(text))?,
            }
        }
        db::reviews::touch(c, review.id)?;
        audit::record(c, actor, "review.regenerated", Some(&incident.key), None)?;
        Ok::<_, ServiceError>(())
    })
}

/// Saves the team's text of one section; an unchanged text writes nothing.
pub fn save_section(
    conn: &mut DbConn,
    key: &str,
    section_key: SectionKey,
    text: &str,
    actor: &Actor,
) -> ServiceResult<()> {
    let (_, review) = get_editable(conn, key)?;
    let text = model::validate_section_text(text)?;
    let current = section(conn, &review, section_key)?;
    if current.team_content == text {
        return Ok(());
    }
    db::write_transaction(conn, |c| {
        lock_editable(c, review.id)?;
        db::reviews::set_team(c, current.id, &current.team_content, &text, actor.user_id)?;
        db::reviews::touch(c, review.id)?;
        Ok::<_, ServiceError>(())
    })
}

/// One step of the workflow (draft → in review → published, or back to draft).
pub fn set_status(
    conn: &mut DbConn,
    key: &str,
    to: ReviewStatus,
    actor: &Actor,
) -> ServiceResult<Review> {
    let (incident, review) = get(conn, key)?;
    db::write_transaction(conn, |c| {
        let review = db::reviews::lock(c, review.id)?.ok_or(ServiceError::NotFound)?;
        let to = review.status.step_to(to).map_err(conflict)?;
        db::reviews::set_status(c, review.id, to, actor.user_id)?;
        let action = if to == ReviewStatus::Published {
            "review.published"
        } else {
            "review.status"
        };
        audit::record(
            c,
            actor,
            action,
            Some(&incident.key),
            Some(&format!("{} → {to}", review.status)),
        )?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(get(conn, key)?.1)
}

/// An admin opens a published review again (back to "in review"), with an audit entry.
pub fn reopen(conn: &mut DbConn, key: &str, actor: &Actor) -> ServiceResult<Review> {
    let (incident, review) = get(conn, key)?;
    db::write_transaction(conn, |c| {
        let review = db::reviews::lock(c, review.id)?.ok_or(ServiceError::NotFound)?;
        let to = review.status.reopen().map_err(conflict)?;
        db::reviews::set_status(c, review.id, to, None)?;
        audit::record(c, actor, "review.reopened", Some(&incident.key), None)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(get(conn, key)?.1)
}

/// Who facilitates and when the meeting is.
pub fn set_meeting(
    conn: &mut DbConn,
    key: &str,
    facilitator_id: Option<i64>,
    meeting_at: Option<NaiveDateTime>,
    actor: &Actor,
) -> ServiceResult<Review> {
    let (incident, review) = get_editable(conn, key)?;
    let facilitator = match facilitator_id {
        Some(id) => Some(
            db::users::find(conn, id)?
                .filter(|u| u.active)
                .ok_or_else(|| FieldErrors::single("facilitator_id", "choose an active user"))?,
        ),
        None => None,
    };
    db::write_transaction(conn, |c| {
        lock_editable(c, review.id)?;
        db::reviews::set_meeting(c, review.id, facilitator.as_ref().map(|u| u.id), meeting_at)?;
        db::review_people::clear_role(c, review.id, model::ParticipantRole::Facilitator)?;
        if let Some(u) = &facilitator {
            match db::review_people::participant_for_user(c, review.id, u.id)? {
                Some(p) => {
                    db::review_people::set_role(c, p.id, model::ParticipantRole::Facilitator)?
                }
                None => {
                    db::review_people::insert_participant(
                        c,
                        &NewParticipant {
                            review_id: review.id,
                            user_id: Some(u.id),
                            name: &u.name,
                            email: None,
                            role: model::ParticipantRole::Facilitator,
                        },
                    )?;
                }
            }
        }
        audit::record(c, actor, "review.meeting", Some(&incident.key), None)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(get(conn, key)?.1)
}

/// One section with its edits, newest first.
pub fn history(
    conn: &mut DbConn,
    key: &str,
    section_key: SectionKey,
) -> ServiceResult<(Incident, Review, Section, Vec<SectionEdit>)> {
    let (incident, review) = get(conn, key)?;
    let s = section(conn, &review, section_key)?;
    let edits = db::reviews::history(conn, s.id)?;
    Ok((incident, review, s, edits))
}

/// The people a review text may name: the organisation's users and the review's participants.
pub fn people_names(conn: &mut DbConn, review: &Review) -> ServiceResult<Vec<String>> {
    let users = db::users::list(conn)?;
    let participants = db::review_people::participants(conn, review.id)?;
    Ok(super::blameless::known_names(
        users
            .iter()
            .map(|u| u.name.as_str())
            .chain(participants.iter().map(|p| p.name.as_str())),
    ))
}
