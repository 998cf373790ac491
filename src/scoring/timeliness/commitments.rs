//! T3 commitments: how often a next update was promised and how often the promise was kept; and
//! the red gates for a promised update or an ETA that passed by more than one interval in silence.

use chrono::NaiveDateTime;
use serde_json::json;

use super::context::{Assessment, AudienceContext, Costed, minutes};
use super::eta_honesty::EtaOutcome;
use super::measure::{minutes_between, plus_minutes, ratio};
use super::model::TimedMessage;
use super::report::{PromiseDeadline, PromiseOutcome};
use crate::domain::MessageKind;
use crate::scoring::FindingSeverity;

pub struct Commitments {
    pub assessment: Assessment,
    pub promises: Vec<PromiseDeadline>,
}

fn is_non_final(m: &TimedMessage) -> bool {
    matches!(m.kind, MessageKind::Initial | MessageKind::Update)
}

/// A next update only counts as promised when it lies after the message.
fn promised_next(m: &TimedMessage) -> Option<NaiveDateTime> {
    m.next_update_at.filter(|next| *next > m.sent_at)
}

fn silent_between(ctx: &AudienceContext, from: NaiveDateTime, to: NaiveDateTime) -> bool {
    !ctx.messages
        .iter()
        .any(|m| m.sent_at > from && m.sent_at <= to)
}

/// One deadline per promised time: the same time repeated on another channel or in a later
/// message is the same promise, so it neither keeps itself nor counts twice.
fn deadlines(ctx: &AudienceContext) -> Vec<PromiseDeadline> {
    let grace = ctx.grace_min();
    let interval = ctx.interval_min();
    let mut out: Vec<PromiseDeadline> = Vec::new();
    for m in ctx.messages.iter().filter(|m| is_non_final(m)) {
        let Some(due) = promised_next(m) else {
            continue;
        };
        if out.iter().any(|p| p.due_at == due) {
            continue;
        }
        let answer = ctx
            .messages
            .iter()
            .find(|n| n.sent_at > m.sent_at && n.next_update_at != Some(due));
        let outcome = match answer {
            Some(a) if a.sent_at <= plus_minutes(due, grace) => PromiseOutcome::Kept,
            Some(_) => PromiseOutcome::Broken,
            None if ctx.input.resolved_at.is_some() => PromiseOutcome::Broken,
            None => PromiseOutcome::Pending,
        };
        let passed_by_interval = outcome == PromiseOutcome::Broken
            && silent_between(ctx, due, plus_minutes(due, interval));
        out.push(PromiseDeadline {
            message_id: m.id,
            promised_at: m.sent_at,
            due_at: due,
            outcome,
            answered_at: answer.map(|a| a.sent_at),
            passed_by_interval,
        });
    }
    out
}

pub fn commitments(ctx: &AudienceContext, etas: &[EtaOutcome]) -> Commitments {
    let non_final: Vec<&TimedMessage> = ctx
        .messages
        .iter()
        .copied()
        .filter(|m| is_non_final(m))
        .collect();
    let promises = deadlines(ctx);
    let mut assessment = if non_final.is_empty() {
        Assessment::not_applicable(
            "No initial message or update, so no promise to judge.",
            "Keine Erstmeldung und kein Update, also keine Zusage zu bewerten.",
        )
    } else {
        score_promises(ctx, &non_final, &promises)
    };
    for finding in eta_gates(ctx, etas) {
        assessment = assessment.with(finding);
    }
    Commitments {
        assessment,
        promises,
    }
}

fn score_promises(
    ctx: &AudienceContext,
    non_final: &[&TimedMessage],
    promises: &[PromiseDeadline],
) -> Assessment {
    let count = |o| promises.iter().filter(|p| p.outcome == o).count();
    let (kept, broken, pending) = (
        count(PromiseOutcome::Kept),
        count(PromiseOutcome::Broken),
        count(PromiseOutcome::Pending),
    );
    let judged = kept + broken;
    let total = non_final.len();
    let named = non_final
        .iter()
        .filter(|m| promised_next(m).is_some())
        .count();
    let share_named = ratio(named, total);
    // SCORING: no promises → the kept part is 0. Promises that are all still open cannot be judged
    // yet; the kept part then follows the named part instead of punishing an open incident.
    let share_kept = match (promises.is_empty(), judged) {
        (true, _) => 0.0,
        (false, 0) => share_named,
        (false, _) => ratio(kept, judged),
    };
    let score = 50.0 * share_named + 50.0 * share_kept;
    let grace = minutes(ctx.grace_min());
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut reason_en = format!(
        "{named} of {total} {} named a next update; ",
        plural(total, "message", "messages")
    );
    let mut reason_de = format!(
        "{named} von {total} {} {} ein nächstes Update; ",
        plural(total, "Mitteilung", "Mitteilungen"),
        if named == 1 || total == 1 {
            "nannte"
        } else {
            "nannten"
        }
    );
    if promises.is_empty() {
        reason_en.push_str("with no promise there was nothing to keep.");
        reason_de.push_str("ohne Zusage gab es nichts einzuhalten.");
    } else {
        reason_en.push_str(&format!(
            "{kept} of {judged} {} kept (grace {})",
            plural(judged, "promise was", "promises were"),
            grace.en
        ));
        reason_de.push_str(&format!(
            "{kept} von {judged} {} eingehalten (Toleranz {})",
            plural(judged, "Zusage wurde", "Zusagen wurden"),
            grace.de
        ));
        if pending > 0 {
            reason_en.push_str(&format!(", {pending} still open"));
            reason_de.push_str(&format!(", {pending} noch offen"));
        }
        reason_en.push('.');
        reason_de.push('.');
    }
    let mut assessment = Assessment::scored(
        score,
        reason_en,
        reason_de,
        json!({
            "non_final_messages": total,
            "naming_next_update": named,
            "promises": promises.len(),
            "kept": kept,
            "broken": broken,
            "pending": pending,
            "grace_min": ctx.grace_min(),
            "share_named": share_named,
            "share_kept": share_kept,
        }),
    );
    if named < total {
        let missing = total - named;
        let (en, de) = if total == 1 {
            (
                format!(
                    "The message to {} did not say when the next update would come.",
                    ctx.name_en()
                ),
                format!(
                    "{}: die Mitteilung nannte keinen Zeitpunkt für das nächste Update.",
                    ctx.name_de()
                ),
            )
        } else if named == 0 {
            (
                format!(
                    "None of the {total} {} to {} said when the next update would come.",
                    plural(total, "message", "messages"),
                    ctx.name_en()
                ),
                format!(
                    "{}: keine der {total} {} nannte einen Zeitpunkt für das nächste Update.",
                    ctx.name_de(),
                    plural(total, "Mitteilung", "Mitteilungen")
                ),
            )
        } else {
            (
                format!(
                    "{missing} of {total} messages to {} did not say when the next update would come.",
                    ctx.name_en()
                ),
                format!(
                    "{}: {missing} von {total} Mitteilungen {} keinen Zeitpunkt für das nächste Update.",
                    ctx.name_de(),
                    plural(missing, "nannte", "nannten")
                ),
            )
        };
        let mut finding = ctx.finding("T3.no_next_update", FindingSeverity::Amber, en, de);
        finding.message_id = non_final
            .iter()
            .find(|m| promised_next(m).is_none())
            .map(|m| m.id);
        let kept_part_lost = if promises.is_empty() { 50.0 } else { 0.0 };
        assessment = assessment.with(Costed::new(
            finding,
            50.0 * (1.0 - share_named) + kept_part_lost,
        ));
    }
    for p in promises
        .iter()
        .filter(|p| p.outcome == PromiseOutcome::Broken)
    {
        assessment = assessment.with(Costed::new(
            broken_promise_finding(ctx, p),
            50.0 / judged as f64,
        ));
    }
    if judged > 0 && broken == 0 {
        let mut finding = ctx.finding(
            "T3.all_kept",
            FindingSeverity::Good,
            format!(
                "Every promised update to {} came on time ({kept} of {kept}).",
                ctx.name_en()
            ),
            format!(
                "{}: jedes zugesagte Update kam rechtzeitig ({kept} von {kept}).",
                ctx.name_de()
            ),
        );
        // Points at the last promise kept, and the time from the promise to its update.
        if let Some(p) = promises.iter().rfind(|p| p.outcome == PromiseOutcome::Kept) {
            finding.message_id = Some(p.message_id);
            finding.gap = p
                .answered_at
                .map(|at| (p.promised_at, at.max(p.promised_at)));
        }
        assessment = assessment.with(Costed::free(finding));
    }
    assessment
}

fn broken_promise_finding(ctx: &AudienceContext, p: &PromiseDeadline) -> crate::scoring::Finding {
    let c = &ctx.clock;
    let interval = minutes(ctx.interval_min());
    let mut en = format!(
        "The message of {} promised {} the next update by {}; ",
        c.en(p.promised_at),
        ctx.name_en(),
        c.en(p.due_at)
    );
    let mut de = format!(
        "{}: die Mitteilung von {} versprach das nächste Update bis {}; ",
        ctx.name_de(),
        c.de(p.promised_at),
        c.de(p.due_at)
    );
    match p.answered_at {
        Some(at) => {
            let late = minutes(minutes_between(p.due_at, at));
            en.push_str(&format!("it came at {} ({} late).", c.en(at), late.en));
            de.push_str(&format!("es kam um {} ({} zu spät).", c.de(at), late.de));
        }
        None => {
            en.push_str("no further message followed.");
            de.push_str("es folgte keine weitere Mitteilung.");
        }
    }
    let (code, severity) = if p.passed_by_interval {
        en.push_str(&format!(
            " Nothing was said for more than the {} update interval after the promised time.",
            interval.en
        ));
        de.push_str(&format!(
            " Nach der zugesagten Zeit blieb es länger als das Update-Intervall von {} still.",
            interval.de
        ));
        ("T3.promise_passed", FindingSeverity::Red)
    } else {
        ("T3.promise_broken", FindingSeverity::Amber)
    };
    let mut finding = ctx.finding(code, severity, en, de);
    finding.message_id = Some(p.message_id);
    let gap_end = p
        .answered_at
        .unwrap_or_else(|| plus_minutes(p.due_at, ctx.interval_min()));
    finding.gap = Some((p.due_at, gap_end));
    finding
}

/// A missed, uncorrected ETA to this audience followed by more than one interval of silence.
fn eta_gates(ctx: &AudienceContext, etas: &[EtaOutcome]) -> Vec<Costed> {
    let interval = ctx.interval_min();
    let mut seen: Vec<NaiveDateTime> = Vec::new();
    let mut out = Vec::new();
    for o in etas {
        if !o.stood_and_failed() || !o.message.is_for(&ctx.audience.key) || seen.contains(&o.eta_at)
        {
            continue;
        }
        seen.push(o.eta_at);
        let window_end = plus_minutes(o.eta_at, interval);
        if !silent_between(ctx, o.eta_at, window_end) {
            continue;
        }
        let c = &ctx.clock;
        let i = minutes(interval);
        let mut finding = ctx.finding(
            "gate.eta_passed",
            FindingSeverity::Red,
            format!(
                "The message of {} told {} the problem would be fixed by {}; it was not, and nothing more was said for over {}.",
                c.en(o.message.sent_at),
                ctx.name_en(),
                c.en(o.eta_at),
                i.en
            ),
            format!(
                "{}: die Mitteilung von {} nannte {} als Zeitpunkt der Behebung; das hielt nicht, und danach blieb es länger als {} still.",
                ctx.name_de(),
                c.de(o.message.sent_at),
                c.de(o.eta_at),
                i.de
            ),
        );
        finding.message_id = Some(o.message.id);
        finding.gap = Some((o.eta_at, window_end));
        out.push(Costed::free(finding));
    }
    out
}
