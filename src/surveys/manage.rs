//! The team's side of a survey: create from a preset, edit, build questions, send invitations
//! through the outbox, remind non-responders, close. Every change is one transaction.

use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::model::{Question, QuestionInput, Survey, SurveyInput, SurveyStatus, SurveyTemplate};
use super::presets;
use super::results::{FilterInput, ResultsFilter, SurveyResults};
use crate::accounts::MailContext;
use crate::db::audit::{self, Actor};
use crate::db::invitations::Invitee;
use crate::db::outbox::NewMail;
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident};
use crate::error::{ServiceError, ServiceResult};

pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<Survey> {
    db::surveys::find(conn, id)?.ok_or(ServiceError::NotFound)
}

/// The survey with this id, when it belongs to the incident with this key.
pub fn of_incident(conn: &mut DbConn, key: &str, id: i64) -> ServiceResult<(Incident, Survey)> {
    let incident = crate::incidents::get(conn, key)?;
    let survey = get(conn, id)?;
    if survey.incident_id != incident.id {
        return Err(ServiceError::NotFound);
    }
    Ok((incident, survey))
}

fn draft_only(survey: &Survey) -> ServiceResult<()> {
    if survey.status == SurveyStatus::Draft {
        Ok(())
    } else {
        Err(ServiceError::Conflict(
            "the survey has been sent; its questions can no longer change, so that every answer \
             answers the same question"
                .into(),
        ))
    }
}

/// The audiences a preset asks by default, among those the incident had to inform.
fn preset_audiences(template: SurveyTemplate, incident: &Incident) -> Vec<String> {
    let wanted: &[&str] = match template {
        SurveyTemplate::Stakeholder => &["management", "partners", "it_teams"],
        _ => &["employees", "customers", "public"],
    };
    let picked: Vec<String> = incident
        .audiences
        .iter()
        .filter(|a| wanted.contains(&a.as_str()))
        .cloned()
        .collect();
    if picked.is_empty() {
        incident.audiences.clone()
    } else {
        picked
    }
}

pub fn create(
    conn: &mut DbConn,
    incident_key: &str,
    template: SurveyTemplate,
    actor: &Actor,
) -> ServiceResult<Survey> {
    let incident = crate::incidents::get(conn, incident_key)?;
    let (title_en, title_de) = presets::title(template, &incident.title);
    let input = SurveyInput {
        title_en: title_en.chars().take(200).collect(),
        title_de: title_de.chars().take(200).collect(),
        default_locale: incident.language.to_string(),
        audiences: preset_audiences(template, &incident),
        ..Default::default()
    };
    let known = db::audiences::keys(conn)?;
    let input = input.validate(&known)?;
    let id = db::write_transaction(conn, |c| {
        let id = db::surveys::insert(c, incident.id, &input, template, None, actor.user_id)?;
        for q in presets::questions(template) {
            db::surveys::insert_question(c, id, &q)?;
        }
        audit::record(
            c,
            actor,
            "survey.created",
            Some(&incident.key),
            Some(&format!("survey {id} ({template})")),
        )?;
        Ok::<_, ServiceError>(id)
    })?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    input: &SurveyInput,
    secret: &[u8],
    actor: &Actor,
) -> ServiceResult<Survey> {
    let survey = get(conn, id)?;
    let known = db::audiences::keys(conn)?;
    let input = input.validate(&known)?;
    if input.anonymous != survey.anonymous && db::responses::count(conn, id)? > 0 {
        return Err(FieldErrors::single(
            "anonymous",
            "cannot change once answers have come in; people answered under the other promise",
        )
        .into());
    }
    db::write_transaction(conn, |c| {
        db::surveys::update(c, id, &input)?;
        let hash = input
            .open_link
            .then(|| crate::auth::hash_token(&open_link_token(secret, &survey)));
        db::surveys::set_open_link(c, id, hash.as_deref())?;
        audit::record(
            c,
            actor,
            "survey.updated",
            Some(&format!("survey {id}")),
            None,
        )?;
        Ok::<_, ServiceError>(())
    })?;
    get(conn, id)
}

/// The open link's token. Derived from the server's secret, so the team can be shown the link
/// again at any time while only its hash is stored.
pub fn open_link_token(secret: &[u8], survey: &Survey) -> String {
    use base64::Engine;
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(
        format!(
            "survey-open-link:{}:{}",
            survey.id,
            survey.created_at.and_utc().timestamp_micros()
        )
        .as_bytes(),
    );
    let bytes = mac.finalize().into_bytes();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..24])
}

pub fn add_question(
    conn: &mut DbConn,
    survey_id: i64,
    input: &QuestionInput,
) -> ServiceResult<i64> {
    let survey = get(conn, survey_id)?;
    draft_only(&survey)?;
    let draft = input.validate()?;
    Ok(db::surveys::insert_question(conn, survey_id, &draft)?)
}

pub fn update_question(
    conn: &mut DbConn,
    survey_id: i64,
    id: i64,
    input: &QuestionInput,
) -> ServiceResult<()> {
    let survey = get(conn, survey_id)?;
    draft_only(&survey)?;
    let draft = input.validate()?;
    match db::surveys::update_question(conn, survey_id, id, &draft)? {
        0 => Err(ServiceError::NotFound),
        _ => Ok(()),
    }
}

pub fn delete_question(conn: &mut DbConn, survey_id: i64, id: i64) -> ServiceResult<()> {
    let survey = get(conn, survey_id)?;
    draft_only(&survey)?;
    match db::surveys::delete_question(conn, survey_id, id)? {
        0 => Err(ServiceError::NotFound),
        _ => Ok(()),
    }
}

pub fn move_question(conn: &mut DbConn, survey_id: i64, id: i64, step: i32) -> ServiceResult<()> {
    let survey = get(conn, survey_id)?;
    draft_only(&survey)?;
    db::write_transaction(conn, |c| db::surveys::move_question(c, survey_id, id, step))?;
    Ok(())
}

/// The filter of the results page, API and export, checked against the survey's audiences;
/// dates are days in the organisation's time zone.
pub fn results_filter(
    conn: &mut DbConn,
    survey: &Survey,
    input: &FilterInput,
) -> ServiceResult<ResultsFilter> {
    let org = crate::organisation::load(conn)?;
    let tz = crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);
    Ok(input.validate(&survey.audiences, tz)?)
}

/// The survey's questions and its results for the filter.
pub fn results(
    conn: &mut DbConn,
    survey: &Survey,
    filter: &ResultsFilter,
) -> ServiceResult<(Vec<Question>, SurveyResults)> {
    let questions = db::surveys::questions(conn, survey.id)?;
    let responses = db::responses::all(conn, survey.id)?;
    let invitations = db::invitations::counts_by_audience(conn, survey.id)?;
    let results = super::results::compute(
        &questions,
        &responses,
        &invitations,
        survey.anonymous,
        filter,
    );
    Ok((questions, results))
}

/// Puts the questions in the given order: every question of the survey, each once.
pub fn reorder_questions(conn: &mut DbConn, survey_id: i64, order: &[i64]) -> ServiceResult<()> {
    let survey = get(conn, survey_id)?;
    draft_only(&survey)?;
    let current: Vec<i64> = db::surveys::questions(conn, survey_id)?
        .iter()
        .map(|q| q.id)
        .collect();
    check_order(&current, order)?;
    db::write_transaction(conn, |c| db::surveys::set_order(c, survey_id, order))?;
    Ok(())
}

/// An order must name each question of the survey exactly once.
fn check_order(current: &[i64], order: &[i64]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut seen: Vec<i64> = Vec::new();
    for id in order {
        if !current.contains(id) {
            errors.add("order", format!("question {id} is not in this survey"));
        } else if seen.contains(id) {
            errors.add("order", format!("question {id} is listed more than once"));
        }
        seen.push(*id);
    }
    let missing: Vec<String> = current
        .iter()
        .filter(|id| !order.contains(id))
        .map(i64::to_string)
        .collect();
    if !missing.is_empty() {
        errors.add(
            "order",
            format!(
                "every question must be listed; missing: {}",
                missing.join(", ")
            ),
        );
    }
    errors.into_result(())
}

/// Deletes a recipient and their personal data (see [`db::recipients::delete`]); the audit log
/// names the record, not the person. False when there was no such recipient.
pub fn delete_recipient(conn: &mut DbConn, id: i64, actor: &Actor) -> ServiceResult<bool> {
    db::write_transaction(conn, |c| {
        let deleted = db::recipients::delete(c, id)?;
        if deleted {
            audit::record(
                c,
                actor,
                "recipient.deleted",
                Some(&format!("recipient {id}")),
                None,
            )?;
        }
        Ok(deleted)
    })
}

/// Adds a recipient by hand (or fills in what an existing one lacks). True when new.
pub fn add_recipient(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    audience: &str,
    locale: &str,
) -> ServiceResult<bool> {
    let mut errors = FieldErrors::default();
    let email = email.trim().to_lowercase();
    if !crate::accounts::valid_email(&email) {
        errors.add("email", "is not a valid e-mail address");
    }
    if name.chars().count() > 200 {
        errors.add("name", "is longer than 200 characters");
    }
    if !db::audiences::keys(conn)?
        .iter()
        .any(|k| k == audience.trim())
    {
        errors.add("audience", "choose at least one audience");
    }
    let locale = locale.trim();
    if !crate::i18n::LANGUAGES.contains(&locale) {
        errors.add("locale", "must be de or en");
    }
    errors.into_result(())?;
    Ok(db::recipients::merge(
        conn,
        &email,
        name.trim(),
        Some(audience.trim()),
        locale,
    )?)
}

/// What sending did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SendSummary {
    /// New invitations queued now.
    pub queued: usize,
    /// Invitations that existed before (not sent twice).
    pub already_invited: i64,
}

/// Opens the survey and queues an invitation for every recipient of its audiences who has none
/// yet and has not opted out. Sending again later only invites people added since.
pub fn send(
    conn: &mut DbConn,
    survey_id: i64,
    mail: &MailContext,
    actor: &Actor,
) -> ServiceResult<SendSummary> {
    let survey = get(conn, survey_id)?;
    if survey.status == SurveyStatus::Closed {
        return Err(ServiceError::Conflict("the survey is closed".into()));
    }
    if db::surveys::questions(conn, survey_id)?.is_empty() {
        return Err(ServiceError::Conflict(
            "the survey has no questions yet".into(),
        ));
    }
    let org = crate::organisation::load(conn)?;
    let incident = crate::incidents::get_by_id(conn, survey.incident_id)?;
    db::write_transaction(conn, |c| {
        let before = db::invitations::progress(c, survey_id)?.invitations;
        let invitees = db::invitations::create_for_survey(c, survey_id, &survey.default_locale)?;
        for (invitee, token) in &invitees {
            queue(
                c,
                mail,
                &org,
                &incident,
                &survey,
                invitee,
                token,
                "survey_invitation",
            )?;
        }
        if survey.status == SurveyStatus::Draft {
            db::surveys::set_status(c, survey_id, SurveyStatus::Open)?;
        }
        audit::record(
            c,
            actor,
            "survey.sent",
            Some(&incident.key),
            Some(&format!(
                "survey {survey_id}: {} invitations queued",
                invitees.len()
            )),
        )?;
        Ok(SendSummary {
            queued: invitees.len(),
            already_invited: before,
        })
    })
}

/// Queues reminders to non-responders whose last mail is older than the survey's delay.
pub fn remind(
    conn: &mut DbConn,
    survey: &Survey,
    mail: &MailContext,
    now: NaiveDateTime,
    actor: &Actor,
) -> ServiceResult<usize> {
    let Some(hours) = survey.reminder_delay_hours else {
        return Ok(0);
    };
    if !survey.accepting(now) || survey.max_reminders == 0 {
        return Ok(0);
    }
    let org = crate::organisation::load(conn)?;
    let incident = crate::incidents::get_by_id(conn, survey.incident_id)?;
    let before = now - chrono::Duration::hours(i64::from(hours));
    db::write_transaction(conn, |c| {
        let due = db::invitations::due_for_reminder(c, survey.id, before, survey.max_reminders)?;
        let mut sent = 0;
        for (invitee, reminders) in &due {
            if !db::invitations::claim_reminder(c, invitee.invitation_id, *reminders)? {
                continue;
            }
            let token = db::invitations::new_token(c, invitee.invitation_id)?;
            queue(
                c,
                mail,
                &org,
                &incident,
                survey,
                invitee,
                &token,
                "survey_reminder",
            )?;
            sent += 1;
        }
        if sent > 0 {
            audit::record(
                c,
                actor,
                "survey.reminded",
                Some(&incident.key),
                Some(&format!("survey {}: {sent} reminders", survey.id)),
            )?;
        }
        Ok(sent)
    })
}

pub fn close(conn: &mut DbConn, survey_id: i64, actor: &Actor) -> ServiceResult<()> {
    let survey = get(conn, survey_id)?;
    db::write_transaction(conn, |c| {
        if survey.anonymous {
            db::invitations::blur_answer_order(c, survey_id)?;
        }
        db::surveys::set_status(c, survey_id, SurveyStatus::Closed)?;
        audit::record(
            c,
            actor,
            "survey.closed",
            Some(&format!("survey {survey_id}")),
            None,
        )?;
        Ok(())
    })
}

pub fn reopen(conn: &mut DbConn, survey_id: i64, actor: &Actor) -> ServiceResult<()> {
    let survey = get(conn, survey_id)?;
    if survey.closes_at.is_some_and(|t| t <= db::now()) {
        return Err(ServiceError::Conflict(
            "the closing time has passed; set a later one first".into(),
        ));
    }
    db::write_transaction(conn, |c| {
        db::surveys::set_status(c, survey_id, SurveyStatus::Open)?;
        audit::record(
            c,
            actor,
            "survey.reopened",
            Some(&format!("survey {survey_id}")),
            None,
        )?;
        Ok(())
    })
}

pub fn delete(conn: &mut DbConn, survey_id: i64, actor: &Actor) -> ServiceResult<()> {
    get(conn, survey_id)?;
    db::write_transaction(conn, |c| {
        db::surveys::delete(c, survey_id)?;
        audit::record(
            c,
            actor,
            "survey.deleted",
            Some(&format!("survey {survey_id}")),
            None,
        )?;
        Ok(())
    })
}

/// What the periodic sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    pub closed: usize,
    pub reminders: usize,
}

/// Closes surveys past their closing time and sends the reminders that are due. Safe to run on
/// several instances at once: a reminder is marked in the transaction that queues it. For
/// anonymous surveys it also blurs the order in which invitations were answered (see
/// [`db::invitations::blur_answer_order`]), so that order is known for a minute at most.
pub fn sweep(conn: &mut DbConn, mail: &MailContext, now: NaiveDateTime) -> ServiceResult<Sweep> {
    let actor = Actor {
        user_id: None,
        label: "system".into(),
        ip: None,
    };
    let mut out = Sweep::default();
    for survey in db::surveys::open(conn)? {
        if survey.anonymous {
            db::write_transaction(conn, |c| db::invitations::blur_answer_order(c, survey.id))?;
        }
        if survey.closes_at.is_some_and(|t| t <= now) {
            db::write_transaction(conn, |c| {
                db::surveys::set_status(c, survey.id, SurveyStatus::Closed)?;
                audit::record(
                    c,
                    &actor,
                    "survey.closed",
                    Some(&format!("survey {}", survey.id)),
                    Some("closing time reached"),
                )?;
                Ok::<_, ServiceError>(())
            })?;
            out.closed += 1;
            continue;
        }
        out.reminders += remind(conn, &survey, mail, now, &actor)?;
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn queue(
    c: &mut DbConn,
    mail: &MailContext,
    org: &crate::organisation::Organisation,
    incident: &Incident,
    survey: &Survey,
    invitee: &Invitee,
    token: &str,
    kind: &str,
) -> ServiceResult<()> {
    let lang = crate::i18n::negotiate(&invitee.locale);
    let link = format!("{}/r/{token}", mail.base_url);
    // The unsubscribe address carries a token of its own: headers travel further than the body
    // (mail clients and list tools read them), and the answer link must go to the respondent only.
    let unsubscribe = format!(
        "{}/u/{}",
        mail.base_url,
        db::recipients::new_unsubscribe_token(c, invitee.recipient_id)?
    );
    let closes = survey.closes_at.map(|t| {
        let tz =
            crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);
        let local = crate::domain::time::utc_to_local(t, tz);
        if lang == "de" {
            local.format("%d.%m.%Y, %H:%M Uhr").to_string()
        } else {
            local.format("%-d %B %Y, %H:%M").to_string()
        }
    });
    let ctx = minijinja::context! {
        name => invitee.name,
        organisation => org.name,
        title => survey.title(lang),
        intro => survey.intro(lang),
        incident => incident.title,
        link => link,
        unsubscribe => unsubscribe,
        closes => closes,
        anonymous => survey.anonymous,
    };
    let composed = crate::mail::compose(&mail.templates, kind, lang, &ctx)
        .map_err(|e| ServiceError::Internal(format!("mail template {kind}: {e}")))?;
    // RFC 8058: mail clients offer a one-click unsubscribe that posts to this address.
    let headers = serde_json::json!({
        "List-Unsubscribe": format!("<{unsubscribe}>"),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    db::outbox::enqueue(
        c,
        &NewMail {
            kind: kind.into(),
            to_address: invitee.email.clone(),
            to_name: invitee.name.clone(),
            subject: composed.subject,
            body_text: composed.body_text,
            body_html: Some(composed.body_html),
            headers: headers.to_string(),
            message_id: crate::mail::compose::new_message_id(&mail.base_url),
            invitation_id: Some(invitee.invitation_id),
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_names_every_question_once() {
        assert!(check_order(&[4, 5, 6], &[6, 4, 5]).is_ok());
        let e = check_order(&[4, 5, 6], &[6, 6, 9]).expect_err("bad");
        let all: Vec<&str> = e.0.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            all,
            [
                "question 6 is listed more than once",
                "question 9 is not in this survey",
                "every question must be listed; missing: 4, 5",
            ]
        );
    }
}
