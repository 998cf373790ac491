//! Findings of the scorecard pinned into the review, and turned into improvement actions in
//! one step, keeping the link from the action to the finding.

use super::model::{FindingRef, Pin, Review};
use crate::actions::Action;
use crate::actions::model::{ActionDraft, ActionStatus, Category, Priority};
use crate::db::actions::Source;
use crate::db::audit::{self, Actor};
use crate::db::reviews::NewPin;
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Incident};
use crate::error::{ServiceError, ServiceResult};
use crate::scoring::{Finding, FindingSeverity};

/// The review of the incident, started when there is none yet (pinning is one step).
fn review_for_pinning(
    conn: &mut DbConn,
    key: &str,
    actor: &Actor,
) -> ServiceResult<(Incident, Review)> {
    let (incident, review) = match super::manage::find(conn, key)? {
        (incident, Some(r)) => (incident, r),
        (_, None) => {
            super::manage::create(conn, key, actor)?;
            super::manage::get(conn, key)?
        }
    };
    review
        .ensure_editable()
        .map_err(|m| ServiceError::Conflict(m.to_string()))?;
    Ok((incident, review))
}

/// The finding as the scorecard has it now.
fn finding(conn: &mut DbConn, key: &str, wanted: &FindingRef) -> ServiceResult<Finding> {
    let (_, card) = crate::scores::scorecard(conn, key)?;
    card.findings
        .into_iter()
        .find(|f| wanted.matches(f))
        .ok_or_else(|| {
            FieldErrors::single("code", "this finding is no longer in the scorecard").into()
        })
}

/// Pins a finding (again pinning the same one returns the existing pin).
pub fn pin(conn: &mut DbConn, key: &str, wanted: &FindingRef, actor: &Actor) -> ServiceResult<Pin> {
    let found = finding(conn, key, wanted)?;
    let (incident, review) = review_for_pinning(conn, key, actor)?;
    let same = |p: &Pin| {
        p.finding_code == found.code
            && p.message_id == found.message_id
            && p.audience == found.audience
    };
    if let Some(p) = db::reviews::pins(conn, review.id)?.into_iter().find(same) {
        return Ok(p);
    }
    let audience_id = match &found.audience {
        Some(k) => db::audiences::find_by_key(conn, k)?.map(|a| a.id),
        None => None,
    };
    let text = found.text(incident.language.as_str()).to_string();
    db::write_transaction(conn, |c| {
        super::manage::lock_editable(c, review.id)?;
        db::reviews::insert_pin(
            c,
            &NewPin {
                review_id: review.id,
                code: &found.code,
                text: &text,
                message_id: found.message_id,
                audience_id,
                created_by: actor.user_id,
            },
        )?;
        db::reviews::touch(c, review.id)?;
        audit::record(
            c,
            actor,
            "review.pinned",
            Some(&incident.key),
            Some(&found.code),
        )?;
        Ok::<_, ServiceError>(())
    })?;
    db::reviews::pins(conn, review.id)?
        .into_iter()
        .find(same)
        .ok_or(ServiceError::NotFound)
}

pub fn unpin(conn: &mut DbConn, key: &str, pin_id: i64, actor: &Actor) -> ServiceResult<()> {
    let (incident, review) = super::manage::get_editable(conn, key)?;
    db::write_transaction(conn, |c| {
        super::manage::lock_editable(c, review.id)?;
        if db::reviews::delete_pin(c, review.id, pin_id)? == 0 {
            return Err(ServiceError::NotFound);
        }
        audit::record(c, actor, "review.unpinned", Some(&incident.key), None)?;
        Ok(())
    })
}

/// A first guess at the category from the scoring rule: timeliness is process, content
/// elements are templates, wording is training. The team changes it as it sees fit.
pub fn category_for(code: &str) -> Category {
    let head = code.split(['.', '_']).next().unwrap_or(code);
    match head.chars().next() {
        Some('T' | 'R') if head.len() <= 3 => Category::Process,
        Some('E') if head.len() <= 3 => Category::GuidelinesTemplates,
        _ if ["jargon", "readability", "tone", "blame", "shouting"]
            .iter()
            .any(|w| code.contains(w)) =>
        {
            Category::Training
        }
        _ => Category::Process,
    }
}

/// A title from a finding's text: its first sentence (abbreviations like "Min." do not end
/// it), at most 200 characters.
fn title_from(text: &str) -> String {
    let segmentation = crate::scoring::segment::segment(text);
    let first = segmentation
        .sentences
        .first()
        .map_or(text, |s| &text[s.start..s.end])
        .trim()
        .trim_end_matches('.');
    if first.chars().count() > 200 {
        let cut: String = first.chars().take(199).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_string()
    }
}

/// The improvement action made from a pinned finding; if it already has one, that one.
pub fn make_action(
    conn: &mut DbConn,
    key: &str,
    pin_id: i64,
    actor: &Actor,
) -> ServiceResult<Action> {
    let (incident, review) = super::manage::get(conn, key)?;
    let pin = db::reviews::pins(conn, review.id)?
        .into_iter()
        .find(|p| p.id == pin_id)
        .ok_or(ServiceError::NotFound)?;
    if let Some(id) = pin.action_id {
        return crate::actions::manage::get(conn, id);
    }
    let priority = match severity_of(conn, key, &pin)? {
        Some(FindingSeverity::Red) => Priority::High,
        Some(FindingSeverity::Good | FindingSeverity::Info) => Priority::Low,
        _ => Priority::Medium,
    };
    let draft = ActionDraft {
        title: title_from(&pin.finding_text),
        description: pin.finding_text.clone(),
        category: category_for(&pin.finding_code),
        owner_id: None,
        due_date: None,
        priority,
        status: ActionStatus::Open,
        external_link: None,
    };
    let id = crate::actions::manage::insert(
        conn,
        &draft,
        Source {
            incident_id: Some(incident.id),
            review_id: Some(review.id),
            pin_id: Some(pin.id),
        },
        actor,
    )?;
    crate::actions::manage::get(conn, id)
}

/// Pins the finding and makes an action of it: the scorecard's "make an action" button.
pub fn pin_and_act(
    conn: &mut DbConn,
    key: &str,
    wanted: &FindingRef,
    actor: &Actor,
) -> ServiceResult<Action> {
    let pin = pin(conn, key, wanted, actor)?;
    make_action(conn, key, pin.id, actor)
}

/// The pin keeps no severity, so the scorecard's is looked up (a red finding is urgent).
fn severity_of(conn: &mut DbConn, key: &str, pin: &Pin) -> ServiceResult<Option<FindingSeverity>> {
    let (_, card) = crate::scores::scorecard(conn, key)?;
    Ok(card
        .findings
        .iter()
        .find(|f| {
            f.code == pin.finding_code
                && f.message_id == pin.message_id
                && f.audience == pin.audience
        })
        .map(|f| f.severity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_the_rule_family() {
        assert_eq!(category_for("T1.late"), Category::Process);
        assert_eq!(category_for("E5.missing"), Category::GuidelinesTemplates);
        assert_eq!(category_for("jargon"), Category::Training);
        assert_eq!(category_for("channel_lag"), Category::Process);
    }

    #[test]
    fn titles_are_the_first_sentence() {
        assert_eq!(
            title_from(
                "Management first heard of the outage 52 min after detection. The target is 15 min."
            ),
            "Management first heard of the outage 52 min after detection"
        );
        assert_eq!(
            title_from("Die Geschäftsleitung erfuhr 52 Min. nach der Erkennung davon. Ziel: 15."),
            "Die Geschäftsleitung erfuhr 52 Min. nach der Erkennung davon"
        );
        assert_eq!(title_from(&"x".repeat(300)).chars().count(), 200);
    }
}
