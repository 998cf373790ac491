//! Before the meeting: participants (the organisation's users, or outside people with a personal
//! link like a survey's), their contributions — what went well, what went badly, what should
//! change — and the facilitator merging them into the sections.

use super::model::{
    self, CONTRIBUTIONS_CLOSED, Contribution, ContributionInput, NewParticipant, Participant,
    ParticipantInput, ParticipantRole, Review, ReviewStatus, SectionKey,
};
use crate::accounts::MailContext;
use crate::db::audit::{self, Actor};
use crate::db::outbox::NewMail;
use crate::db::review_people::NewParticipant as StoredParticipant;
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident, User};
use crate::error::{ServiceError, ServiceResult};

/// The path of a contribution link.
pub fn link_path(token: &str) -> String {
    format!("/c/{token}")
}

/// Queues the mail that asks a participant for their contribution. Outside people get a
/// personal link (only its hash is stored; a new mail replaces the old link); users of Debrief
/// are sent to the review page, where they sign in.
fn invite(
    c: &mut DbConn,
    mail: &MailContext,
    incident: &Incident,
    participant_id: i64,
    to: (&str, &str),
    locale: &str,
    personal: bool,
) -> ServiceResult<()> {
    let link = if personal {
        let token = crate::auth::new_token();
        db::review_people::set_token(c, participant_id, &crate::auth::hash_token(&token))?;
        format!("{}{}", mail.base_url, link_path(&token))
    } else {
        format!(
            "{}/incidents/{}/review#contribute",
            mail.base_url, incident.key
        )
    };
    let org = crate::organisation::load(c)?;
    let lang = crate::i18n::negotiate(locale);
    let ctx = minijinja::context! {
        name => to.1,
        organisation => org.name,
        incident => incident.title,
        key => incident.key,
        link => link,
        personal => personal,
    };
    let composed = crate::mail::compose(&mail.templates, "review_contribution", lang, &ctx)
        .map_err(|e| ServiceError::Internal(format!("mail template review_contribution: {e}")))?;
    db::outbox::enqueue(
        c,
        &NewMail {
            kind: "review_contribution".into(),
            to_address: to.0.to_string(),
            to_name: to.1.to_string(),
            subject: composed.subject,
            body_text: composed.body_text,
            body_html: Some(composed.body_html),
            headers: "{}".into(),
            message_id: crate::mail::compose::new_message_id(&mail.base_url),
            invitation_id: None,
        },
    )?;
    Ok(())
}

/// Adds a participant and mails them the request for a contribution.
pub fn add(
    conn: &mut DbConn,
    key: &str,
    input: &ParticipantInput,
    mail: &MailContext,
    actor: &Actor,
) -> ServiceResult<Participant> {
    let (incident, review) = super::manage::get_editable(conn, key)?;
    let wanted = input.validate()?;
    let existing = db::review_people::participants(conn, review.id)?;
    let (user, name, email, locale) = match &wanted {
        NewParticipant::User(id) => {
            let u = db::users::find(conn, *id)?
                .filter(|u| u.active)
                .ok_or_else(|| FieldErrors::single("user_id", "choose an active user"))?;
            (
                Some(u.id),
                u.name.clone(),
                u.email.clone(),
                u.locale.clone(),
            )
        }
        NewParticipant::External { name, email } => (
            None,
            name.clone(),
            email.clone(),
            incident.language.to_string(),
        ),
    };
    let taken = existing.iter().any(|p| {
        (user.is_some() && p.user_id == user) || p.email.as_deref() == Some(email.as_str())
    });
    if taken {
        let field = if user.is_some() { "user_id" } else { "email" };
        return Err(FieldErrors::single(field, "is already taking part in this review").into());
    }
    let id = db::write_transaction(conn, |c| {
        super::manage::lock_editable(c, review.id)?;
        let id = db::review_people::insert_participant(
            c,
            &StoredParticipant {
                review_id: review.id,
                user_id: user,
                name: &name,
                email: user.is_none().then_some(email.as_str()),
                role: ParticipantRole::Participant,
            },
        )?;
        invite(
            c,
            mail,
            &incident,
            id,
            (&email, &name),
            &locale,
            user.is_none(),
        )?;
        audit::record(
            c,
            actor,
            "review.participant_added",
            Some(&incident.key),
            Some(&name),
        )?;
        Ok::<_, ServiceError>(id)
    })?;
    db::review_people::participant_in(conn, review.id, id)?.ok_or(ServiceError::NotFound)
}

/// Sends an outside participant a new link (the old one stops working).
pub fn resend(
    conn: &mut DbConn,
    key: &str,
    participant_id: i64,
    mail: &MailContext,
    actor: &Actor,
) -> ServiceResult<()> {
    let (incident, review) = super::manage::get_editable(conn, key)?;
    let p = db::review_people::participant_in(conn, review.id, participant_id)?
        .ok_or(ServiceError::NotFound)?;
    let Some(email) = p.email.clone() else {
        return Err(ServiceError::Conflict(
            "this participant has no e-mail address".into(),
        ));
    };
    let locale = match p.user_id {
        Some(u) => db::users::find(conn, u)?.map(|u| u.locale),
        None => None,
    }
    .unwrap_or_else(|| incident.language.to_string());
    db::write_transaction(conn, |c| {
        super::manage::lock_editable(c, review.id)?;
        invite(
            c,
            mail,
            &incident,
            p.id,
            (&email, &p.name),
            &locale,
            p.user_id.is_none(),
        )?;
        audit::record(
            c,
            actor,
            "review.link_sent",
            Some(&incident.key),
            Some(&p.name),
        )?;
        Ok::<_, ServiceError>(())
    })
}

pub fn remove(
    conn: &mut DbConn,
    key: &str,
    participant_id: i64,
    actor: &Actor,
) -> ServiceResult<()> {
    let (incident, review) = super::manage::get_editable(conn, key)?;
    let p = db::review_people::participant_in(conn, review.id, participant_id)?
        .ok_or(ServiceError::NotFound)?;
    db::write_transaction(conn, |c| {
        super::manage::lock_editable(c, review.id)?;
        db::review_people::delete_participant(c, review.id, p.id)?;
        audit::record(
            c,
            actor,
            "review.participant_removed",
            Some(&incident.key),
            Some(&p.name),
        )?;
        Ok::<_, ServiceError>(())
    })
}

fn open_for_contributions(review: &Review) -> ServiceResult<()> {
    if review.status == ReviewStatus::Published {
        Err(ServiceError::Conflict(CONTRIBUTIONS_CLOSED.into()))
    } else {
        Ok(())
    }
}

/// Inside the write transaction: still open now, and stays so until the commit.
fn still_open_for_contributions(conn: &mut DbConn, review_id: i64) -> ServiceResult<()> {
    let review = db::reviews::lock(conn, review_id)?.ok_or(ServiceError::NotFound)?;
    open_for_contributions(&review)
}

/// A signed-in user's contribution; they become a participant if they were not one.
pub fn contribute_as(
    conn: &mut DbConn,
    key: &str,
    user: &User,
    input: &ContributionInput,
) -> ServiceResult<()> {
    let (_, review) = super::manage::get(conn, key)?;
    open_for_contributions(&review)?;
    let input = input.validate()?;
    db::write_transaction(conn, |c| {
        still_open_for_contributions(c, review.id)?;
        let participant = match db::review_people::participant_for_user(c, review.id, user.id)? {
            Some(p) => p.id,
            None => db::review_people::insert_participant(
                c,
                &StoredParticipant {
                    review_id: review.id,
                    user_id: Some(user.id),
                    name: &user.name,
                    email: None,
                    role: ParticipantRole::Participant,
                },
            )?,
        };
        db::review_people::save_contribution(c, review.id, participant, &input)?;
        Ok::<_, ServiceError>(())
    })
}

/// What a contribution link leads to.
pub struct LinkVisit {
    pub incident: Incident,
    pub review: Review,
    pub participant: Participant,
    pub contribution: Option<Contribution>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    /// The review is published: the link no longer takes contributions.
    Closed {
        incident_title: String,
    },
}

/// The participant, review and earlier answers behind a personal link.
pub fn visit(conn: &mut DbConn, token: &str) -> ServiceResult<Result<LinkVisit, LinkProblem>> {
    let Some((review_id, participant)) =
        db::review_people::participant_by_token(conn, &crate::auth::hash_token(token))?
    else {
        return Ok(Err(LinkProblem::Unknown));
    };
    let review = db::reviews::find(conn, review_id)?.ok_or(ServiceError::NotFound)?;
    let incident = crate::incidents::get_by_id(conn, review.incident_id)?;
    if review.status == ReviewStatus::Published {
        return Ok(Err(LinkProblem::Closed {
            incident_title: incident.title,
        }));
    }
    let contribution = db::review_people::contribution_of(conn, participant.id)?;
    Ok(Ok(LinkVisit {
        incident,
        review,
        participant,
        contribution,
    }))
}

/// Stores what came through a personal link. The link's participant is the only one it can
/// write for, and only while the review is not published.
pub fn contribute_by_link(
    conn: &mut DbConn,
    token: &str,
    input: &ContributionInput,
) -> ServiceResult<Result<(), LinkProblem>> {
    let found = match visit(conn, token)? {
        Ok(v) => v,
        Err(p) => return Ok(Err(p)),
    };
    let input = input.validate()?;
    db::write_transaction(conn, |c| {
        still_open_for_contributions(c, found.review.id)?;
        db::review_people::save_contribution(c, found.review.id, found.participant.id, &input)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(Ok(()))
}

/// Merges contributions into the sections (what went well, badly, what should change → lessons
/// learned): the chosen ones, or every one not merged yet. Returns how many were merged.
pub fn merge(
    conn: &mut DbConn,
    key: &str,
    only: Option<&[i64]>,
    actor: &Actor,
) -> ServiceResult<usize> {
    let (incident, review) = super::manage::get_editable(conn, key)?;
    let chosen: Vec<Contribution> = db::review_people::contributions(conn, review.id)?
        .into_iter()
        .filter(|c| match only {
            Some(ids) => ids.contains(&c.id),
            None => c.merged_at.is_none(),
        })
        .collect();
    if chosen.is_empty() {
        return Ok(0);
    }
    let sections = super::manage::sections(conn, &review)?;
    db::write_transaction(conn, |c| {
        super::manage::lock_editable(c, review.id)?;
        for target in [
            SectionKey::WentWell,
            SectionKey::WentBadly,
            SectionKey::Lessons,
        ] {
            let Some(section) = sections.iter().find(|s| s.key == target) else {
                continue;
            };
            let answers: Vec<&str> = chosen
                .iter()
                .flat_map(|k| k.parts())
                .filter(|(k, _)| *k == target)
                .map(|(_, text)| text)
                .collect();
            let merged = model::merge_answers(&section.team_content, &answers);
            if merged != section.team_content {
                db::reviews::set_team(
                    c,
                    section.id,
                    &section.team_content,
                    &merged,
                    actor.user_id,
                )?;
            }
        }
        let ids: Vec<i64> = chosen.iter().map(|k| k.id).collect();
        db::review_people::mark_merged(c, &ids)?;
        db::reviews::touch(c, review.id)?;
        audit::record(
            c,
            actor,
            "review.merged",
            Some(&incident.key),
            Some(&format!("{} contributions", ids.len())),
        )?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(chosen.len())
}
