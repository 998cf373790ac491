//! The respondent's side: a personal or open link leads to a survey, its questions and the
//! respondent's earlier answers; a submission stores or replaces them. No account, no login.

use std::collections::BTreeMap;

use super::answers;
use super::model::{AnswerValue, Question, Survey, SurveyStatus};
use crate::db::invitations::Invitation;
use crate::db::responses::{NewResponse, Respondent, StoredResponse};
use crate::db::{self, DbConn};
use crate::domain::FieldErrors;
use crate::error::ServiceResult;

/// Open-link submissions allowed per IP address in the window: a whole office behind one
/// address still gets through, a script filling in the survey does not.
pub const OPEN_LINK_PER_IP: i64 = 30;
pub const OPEN_LINK_WINDOW_MINUTES: i64 = 10;

/// How the respondent came.
#[derive(Debug, Clone)]
pub enum Link {
    /// `/r/{token}`: a personal link from an invitation.
    Personal(String),
    /// `/p/{token}`: the survey's public link, and the key of the visitor's browser.
    Open { token: String, browser_key: String },
}

/// Why a link leads to no form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// No such link; nothing about any survey is told.
    Unknown,
    /// The survey has ended (or been closed): the title may be shown, the link was valid.
    Closed { title_en: String, title_de: String },
    /// The survey opens later.
    NotYetOpen { title_en: String, title_de: String },
    /// An anonymous survey already answered through another link of the same invitation: the
    /// answer can only be changed through the link it was given with.
    AnsweredElsewhere,
}

/// A valid link: what the form shows.
#[derive(Debug, Clone)]
pub struct Visit {
    pub survey: Survey,
    pub questions: Vec<Question>,
    pub existing: Option<StoredResponse>,
    /// The language of the invitation (or the survey's default for the open link).
    pub locale: String,
    respondent: Respondent,
    invitation: Option<Invitation>,
    audience_id: Option<i64>,
}

pub enum Submission {
    Stored,
    Invalid {
        errors: FieldErrors,
        visit: Box<Visit>,
        entered: BTreeMap<String, Vec<String>>,
    },
    Throttled,
    Problem(LinkProblem),
}

fn titles(s: &Survey) -> (String, String) {
    (s.title_en.clone(), s.title_de.clone())
}

fn state_problem(survey: &Survey, now: chrono::NaiveDateTime) -> Option<LinkProblem> {
    let (title_en, title_de) = titles(survey);
    match survey.status {
        SurveyStatus::Draft => Some(LinkProblem::Unknown),
        SurveyStatus::Closed => Some(LinkProblem::Closed { title_en, title_de }),
        SurveyStatus::Open if survey.opens_at.is_some_and(|t| now < t) => {
            Some(LinkProblem::NotYetOpen { title_en, title_de })
        }
        SurveyStatus::Open if survey.closes_at.is_some_and(|t| t <= now) => {
            Some(LinkProblem::Closed { title_en, title_de })
        }
        SurveyStatus::Open => None,
    }
}

/// Resolves a link to its survey. The key of an anonymous or open response is derived from what
/// only the respondent holds (their link, their browser's key).
pub fn visit(conn: &mut DbConn, link: &Link) -> ServiceResult<Result<Visit, LinkProblem>> {
    db::read_snapshot(conn, |c| visit_in(c, link))
}

fn visit_in(conn: &mut DbConn, link: &Link) -> ServiceResult<Result<Visit, LinkProblem>> {
    let now = db::now();
    let (survey, invitation, respondent, audience_id, locale) = match link {
        Link::Personal(token) => {
            let Some(invitation) =
                db::invitations::find_by_token(conn, &crate::auth::hash_token(token))?
            else {
                return Ok(Err(LinkProblem::Unknown));
            };
            let Some(survey) = db::surveys::find(conn, invitation.survey_id)? else {
                return Ok(Err(LinkProblem::Unknown));
            };
            let respondent = if survey.anonymous {
                Respondent::Key(crate::auth::hash_token(&format!(
                    "anonymous-invitation:{token}"
                )))
            } else {
                Respondent::Invitation(invitation.id)
            };
            let locale = invitation.locale.clone();
            let audience = invitation.audience_id;
            (survey, Some(invitation), respondent, audience, locale)
        }
        Link::Open { token, browser_key } => {
            let Some(survey) =
                db::surveys::find_by_open_link(conn, &crate::auth::hash_token(token))?
            else {
                return Ok(Err(LinkProblem::Unknown));
            };
            let respondent = Respondent::Key(crate::auth::hash_token(&format!(
                "open-link:{}:{browser_key}",
                survey.id
            )));
            // The open link is for the public; it counts as the public audience when asked.
            let audience = match survey.audiences.iter().find(|a| *a == "public") {
                Some(key) => db::audiences::find_by_key(conn, key)?.map(|a| a.id),
                None => None,
            };
            let locale = survey.default_locale.clone();
            (survey, None, respondent, audience, locale)
        }
    };
    if let Some(problem) = state_problem(&survey, now) {
        return Ok(Err(problem));
    }
    let existing = db::responses::find(conn, survey.id, &respondent)?;
    if existing.is_none()
        && survey.anonymous
        && invitation.as_ref().is_some_and(|i| i.status == "answered")
    {
        return Ok(Err(LinkProblem::AnsweredElsewhere));
    }
    let questions = db::surveys::questions(conn, survey.id)?;
    Ok(Ok(Visit {
        survey,
        questions,
        existing,
        locale,
        respondent,
        invitation,
        audience_id,
    }))
}

/// Checks and stores a submission. `ip` is only used to throttle the open link.
pub fn submit(
    conn: &mut DbConn,
    link: &Link,
    pairs: &[(String, String)],
    locale: &str,
    ip: Option<&str>,
) -> ServiceResult<Submission> {
    let visit = match visit(conn, link)? {
        Ok(v) => v,
        Err(problem) => return Ok(Submission::Problem(problem)),
    };
    if let (Link::Open { .. }, Some(ip)) = (link, ip) {
        let scope = format!("survey-open:{}:{ip}", visit.survey.id);
        let since = db::now() - chrono::Duration::minutes(OPEN_LINK_WINDOW_MINUTES);
        let (count, _) = db::auth::attempts_since(conn, &scope, since)?;
        if count >= OPEN_LINK_PER_IP {
            return Ok(Submission::Throttled);
        }
        db::auth::record_attempt(conn, &[scope])?;
    }
    let parsed = match answers::parse(&visit.questions, pairs) {
        Ok(a) => a,
        Err(errors) => {
            let mut entered: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (k, v) in pairs {
                entered.entry(k.clone()).or_default().push(v.clone());
            }
            return Ok(Submission::Invalid {
                errors,
                visit: Box::new(visit),
                entered,
            });
        }
    };
    let locale = crate::i18n::negotiate(locale);
    store(conn, &visit, &parsed, locale)?;
    Ok(Submission::Stored)
}

fn store(
    conn: &mut DbConn,
    visit: &Visit,
    answers: &BTreeMap<i64, AnswerValue>,
    locale: &str,
) -> ServiceResult<()> {
    let response = NewResponse {
        survey_id: visit.survey.id,
        who: visit.respondent.clone(),
        audience_id: visit.audience_id,
        locale,
        answers,
    };
    // Marked only for a new response: changing an answer leaves the invitation alone.
    let needs_mark = |created: bool| {
        visit
            .invitation
            .as_ref()
            .filter(|inv| created || inv.status != "answered")
            .map(|inv| inv.id)
    };
    if !visit.survey.anonymous {
        // The response names its invitation anyway: one transaction, never one without the other.
        return db::write_transaction(conn, |c| {
            let (_, created) = db::responses::save(c, &response)?;
            if let Some(id) = needs_mark(created) {
                db::invitations::mark_answered(c, id, false)?;
            }
            Ok(())
        });
    }
    // Anonymous: the response and the mark on the invitation are two transactions. In one, both
    // rows would carry the same transaction id on PostgreSQL (`xmin`), which any reader can
    // select, and would pair the answer with the person. The response comes first: a crash
    // between the two leaves an answer whose invitation is not yet marked: the respondent's next
    // submission through the same link (which finds the answer) makes the mark, and at worst they
    // get a reminder; the other order would leave an invitation
    // marked with no answer, which then refuses the link as "answered elsewhere". Changing an
    // answer rewrites the response only. The order of the marks themselves is blurred by
    // `db::invitations::blur_answer_order`.
    let (_, created) = db::write_transaction(conn, |c| db::responses::save(c, &response))?;
    if let Some(id) = needs_mark(created) {
        db::write_transaction(conn, |c| db::invitations::mark_answered(c, id, true))?;
    }
    Ok(())
}

/// A recipient no longer wants survey mail (the footer link of a mail, or the one-click
/// `List-Unsubscribe` header). `token` is the mail's unsubscribe token, which names the recipient
/// and not any invitation. True when the token was valid. Mail still waiting for them is not sent.
pub fn opt_out(conn: &mut DbConn, token: &str) -> ServiceResult<bool> {
    let Some(recipient_id) =
        db::recipients::by_unsubscribe_token(conn, &crate::auth::hash_token(token))?
    else {
        return Ok(false);
    };
    db::write_transaction(conn, |c| {
        db::recipients::opt_out(c, recipient_id)?;
        Ok::<_, crate::error::ServiceError>(())
    })?;
    Ok(true)
}
