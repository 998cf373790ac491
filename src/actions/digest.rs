//! The daily digest: every owner with overdue or soon-due actions gets one e-mail a day through
//! the outbox, in their language. Safe on several instances: the day is claimed per owner in the
//! transaction that queues the mail.

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use super::model::Action;
use crate::accounts::MailContext;
use crate::db::outbox::NewMail;
use crate::db::{self, DbConn};
use crate::error::{ServiceError, ServiceResult};

/// "Soon": due within the next week.
pub const SOON_DAYS: i64 = 7;
/// The digest goes out with the first scheduler pass after this hour, organisation time.
pub const DIGEST_HOUR: u32 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestLine {
    pub title: String,
    pub due: NaiveDate,
    /// Days past the due date (overdue) or until it (due soon).
    pub days: i64,
    pub incident: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digest {
    pub overdue: Vec<DigestLine>,
    pub due_soon: Vec<DigestLine>,
}

/// One owner's digest, most overdue first, then the nearest due date; None when nothing is
/// overdue or due soon.
pub fn digest_for(actions: &[&Action], today: NaiveDate, base_url: &str) -> Option<Digest> {
    let line = |a: &Action, due: NaiveDate| DigestLine {
        title: a.title.clone(),
        due,
        days: (today - due).num_days().abs(),
        incident: a.incident_key.clone(),
        url: format!("{base_url}/actions/{}", a.id),
    };
    let mut overdue: Vec<DigestLine> = actions
        .iter()
        .filter(|a| a.is_overdue(today))
        .filter_map(|a| a.due_date.map(|d| line(a, d)))
        .collect();
    overdue.sort_by(|a, b| a.due.cmp(&b.due).then(a.title.cmp(&b.title)));
    let mut due_soon: Vec<DigestLine> = actions
        .iter()
        .filter(|a| a.is_due_soon(today, SOON_DAYS))
        .filter_map(|a| a.due_date.map(|d| line(a, d)))
        .collect();
    due_soon.sort_by(|a, b| a.due.cmp(&b.due).then(a.title.cmp(&b.title)));
    (!overdue.is_empty() || !due_soon.is_empty()).then_some(Digest { overdue, due_soon })
}

/// Queues today's digests unless it is before [`DIGEST_HOUR`]; returns how many were queued.
pub fn run(conn: &mut DbConn, mail: &MailContext, now: NaiveDateTime) -> ServiceResult<usize> {
    let org = crate::organisation::load(conn)?;
    let tz = crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);
    let local = crate::domain::time::utc_to_local(now, tz);
    if local.hour() < DIGEST_HOUR {
        return Ok(0);
    }
    send(conn, mail, local.date_naive(), &org.name)
}

/// Queues the digest of `today` to every owner who has not had it yet.
pub fn send(
    conn: &mut DbConn,
    mail: &MailContext,
    today: NaiveDate,
    organisation: &str,
) -> ServiceResult<usize> {
    let actions = db::actions::active_owned(conn)?;
    let mut owners: Vec<i64> = actions.iter().filter_map(|a| a.owner_id).collect();
    owners.sort_unstable();
    owners.dedup();
    let mut queued = 0;
    for owner_id in owners {
        let mine: Vec<&Action> = actions
            .iter()
            .filter(|a| a.owner_id == Some(owner_id))
            .collect();
        let Some(digest) = digest_for(&mine, today, &mail.base_url) else {
            continue;
        };
        if db::actions::digest_sent(conn, owner_id, today)? {
            continue;
        }
        let Some(owner) = db::users::find(conn, owner_id)? else {
            continue;
        };
        let lang = crate::i18n::negotiate(&owner.locale);
        let ctx = minijinja::context! {
            name => owner.name,
            organisation => organisation,
            overdue => digest.overdue,
            due_soon => digest.due_soon,
            board => format!("{}/actions/mine", mail.base_url),
            count => digest.overdue.len() + digest.due_soon.len(),
        };
        let composed = crate::mail::compose(&mail.templates, "action_digest", lang, &ctx)
            .map_err(|e| ServiceError::Internal(format!("mail template action_digest: {e}")))?;
        let sent = db::write_transaction(conn, |c| {
            if !db::actions::claim_digest(c, owner_id, today)? {
                return Ok::<_, ServiceError>(false);
            }
            db::outbox::enqueue(
                c,
                &NewMail {
                    kind: "action_digest".into(),
                    to_address: owner.email.clone(),
                    to_name: owner.name.clone(),
                    subject: composed.subject.clone(),
                    body_text: composed.body_text.clone(),
                    body_html: Some(composed.body_html.clone()),
                    headers: "{}".into(),
                    message_id: crate::mail::compose::new_message_id(&mail.base_url),
                    invitation_id: None,
                },
            )?;
            Ok(true)
        })?;
        if sent {
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::super::model::ActionStatus;
    use super::super::model::samples::{action, date};
    use super::*;

    #[test]
    fn the_digest_lists_overdue_then_soon_due_actions() {
        let today = date("2026-03-10");
        let list = [
            action(1, ActionStatus::Open, Some("2026-03-05")),
            action(2, ActionStatus::InProgress, Some("2026-03-12")),
            action(3, ActionStatus::Open, Some("2026-03-30")),
            action(4, ActionStatus::Done, Some("2026-03-01")),
            action(5, ActionStatus::Open, Some("2026-03-01")),
        ];
        let refs: Vec<&Action> = list.iter().collect();
        let d = digest_for(&refs, today, "https://debrief.firma.ch").expect("digest");
        assert_eq!(
            d.overdue
                .iter()
                .map(|l| (l.url.as_str(), l.days))
                .collect::<Vec<_>>(),
            vec![
                ("https://debrief.firma.ch/actions/5", 9),
                ("https://debrief.firma.ch/actions/1", 5)
            ]
        );
        assert_eq!(d.due_soon.len(), 1);
        assert_eq!(
            (d.due_soon[0].title.as_str(), d.due_soon[0].days),
            ("Action 2", 2)
        );
        let later = [action(3, ActionStatus::Open, Some("2026-03-30"))];
        assert_eq!(
            digest_for(&later.iter().collect::<Vec<_>>(), today, ""),
            None
        );
    }
}
