//! The sub-scores that measure one delay each: T1 first message, T4 all-clear, T5 proactivity,
//! T6 sequencing.

use chrono::NaiveDateTime;
use serde_json::json;

use super::context::{Assessment, AudienceContext, Costed, minutes};
use super::measure::{minutes_between, pl, plus_minutes};
use super::model::{TimedMention, TimedMessage};
use crate::scoring::FindingSeverity;

pub struct FirstMessage {
    pub assessment: Assessment,
    /// At or past the zero point: the audience is capped.
    pub at_zero: bool,
}

/// T1. `first` is the audience's first message; an audience without one is gated earlier.
pub fn first_message(ctx: &AudienceContext, first: &TimedMessage) -> FirstMessage {
    let detected = ctx.input.detected_at;
    let delay = minutes_between(detected, first.sent_at).max(0.0);
    let target = f64::from(ctx.audience.policy.first_message_min);
    let zero = target * ctx.input.rubric.first_message_zero_factor;
    let score = pl(delay, target, zero);
    let at_zero = delay >= zero;
    let (d, t, z) = (minutes(delay), minutes(target), minutes(zero));
    let (at_en, at_de) = (ctx.clock.en(first.sent_at), ctx.clock.de(first.sent_at));
    let sev = ctx.severity();
    let mut assessment = Assessment::scored(
        score,
        format!(
            "First message {} after detection ({at_en}); target {}, no points from {}.",
            d.en, t.en, z.en
        ),
        format!(
            "Erste Mitteilung {} nach der Erkennung ({at_de}); Ziel {}, keine Punkte ab {}.",
            d.de, t.de, z.de
        ),
        json!({
            "message_id": first.id,
            "first_message_at": first.sent_at,
            "delay_min": delay,
            "target_min": target,
            "zero_min": zero,
        }),
    );
    let mut finding = if delay <= target {
        ctx.finding(
            "T1.on_time",
            FindingSeverity::Good,
            format!(
                "{} heard from us {} after detection, within the {} target.",
                ctx.name_en(),
                d.en,
                t.en
            ),
            format!(
                "{}: erste Mitteilung {} nach der Erkennung, innerhalb des Ziels von {}.",
                ctx.name_de(),
                d.de,
                t.de
            ),
        )
    } else {
        let mut en = format!(
            "{} first heard of the incident {} after detection ({at_en}); the target for {sev} is {}.",
            ctx.name_en(),
            d.en,
            t.en
        );
        let mut de = format!(
            "{}: erste Mitteilung {} nach der Erkennung ({at_de}); das Ziel bei {sev} sind {}.",
            ctx.name_de(),
            d.de,
            t.de
        );
        let cap = ctx.input.rubric.late_first_message_cap;
        if at_zero {
            en.push_str(&format!(
                " That is at or past the zero point of {}, so this audience scores at most {cap}.",
                z.en
            ));
            de.push_str(&format!(
                " Das liegt am oder nach dem Nullpunkt von {}; die Zielgruppe erhält höchstens {cap} Punkte.",
                z.de
            ));
        }
        let severity = if at_zero {
            FindingSeverity::Red
        } else {
            FindingSeverity::Amber
        };
        ctx.finding("T1.late", severity, en, de)
    };
    finding.message_id = Some(first.id);
    finding.gap = Some((detected, first.sent_at));
    assessment = assessment.with(Costed::new(finding, 100.0 - score));
    FirstMessage {
        assessment,
        at_zero,
    }
}

/// The message that gave the all-clear: the first one at or after the resolution; an all-clear
/// sent before the recorded resolution counts only when none followed it.
fn all_clear_message<'a>(
    ctx: &AudienceContext<'a>,
    resolved: NaiveDateTime,
) -> Option<&'a TimedMessage> {
    let clears: Vec<&TimedMessage> = ctx
        .messages
        .iter()
        .copied()
        .filter(|m| m.is_all_clear())
        .collect();
    clears
        .iter()
        .find(|m| m.sent_at >= resolved)
        .or_else(|| clears.last())
        .copied()
}

/// T4.
pub fn all_clear(ctx: &AudienceContext) -> Assessment {
    let Some(resolved) = ctx.input.resolved_at else {
        return Assessment::not_applicable(
            "The incident is not resolved yet.",
            "Der Vorfall ist noch nicht behoben.",
        );
    };
    let (res_en, res_de) = (ctx.clock.en(resolved), ctx.clock.de(resolved));
    let Some(clear) = all_clear_message(ctx, resolved) else {
        let mut finding = ctx.finding(
            "T4.missing",
            FindingSeverity::Amber,
            format!(
                "{} never got an all-clear after the incident was resolved at {res_en}.",
                ctx.name_en()
            ),
            format!(
                "{}: keine Entwarnung nach der Behebung um {res_de}.",
                ctx.name_de()
            ),
        );
        // The gap is the time in which the all-clear was due: from the resolution to the zero
        // point of T4.
        let zero =
            f64::from(ctx.audience.policy.all_clear_min) * ctx.input.rubric.all_clear_zero_factor;
        finding.gap = Some((resolved, plus_minutes(resolved, zero)));
        return Assessment::scored(
            0.0,
            format!("No all-clear message after the resolution at {res_en}."),
            format!("Keine Entwarnung nach der Behebung um {res_de}."),
            json!({ "resolved_at": resolved, "all_clear_at": null }),
        )
        .with(Costed::new(finding, 100.0));
    };
    let delay = minutes_between(resolved, clear.sent_at).max(0.0);
    let target = f64::from(ctx.audience.policy.all_clear_min);
    let zero = target * ctx.input.rubric.all_clear_zero_factor;
    let score = pl(delay, target, zero);
    let (d, t) = (minutes(delay), minutes(target));
    let sev = ctx.severity();
    let mut finding = if delay <= target {
        ctx.finding(
            "T4.on_time",
            FindingSeverity::Good,
            format!(
                "{} got the all-clear {} after the resolution, within the {} target.",
                ctx.name_en(),
                d.en,
                t.en
            ),
            format!(
                "{}: Entwarnung {} nach der Behebung, innerhalb des Ziels von {}.",
                ctx.name_de(),
                d.de,
                t.de
            ),
        )
    } else {
        ctx.finding(
            "T4.late",
            FindingSeverity::Amber,
            format!(
                "{} got the all-clear {} after the incident was resolved at {res_en}; the target for {sev} is {}.",
                ctx.name_en(),
                d.en,
                t.en
            ),
            format!(
                "{}: Entwarnung {} nach der Behebung um {res_de}; das Ziel bei {sev} sind {}.",
                ctx.name_de(),
                d.de,
                t.de
            ),
        )
    };
    finding.message_id = Some(clear.id);
    finding.gap = Some((resolved, clear.sent_at.max(resolved)));
    Assessment::scored(
        score,
        format!(
            "All-clear {} after the resolution ({}); target {}.",
            d.en,
            ctx.clock.en(clear.sent_at),
            t.en
        ),
        format!(
            "Entwarnung {} nach der Behebung ({}); Ziel {}.",
            d.de,
            ctx.clock.de(clear.sent_at),
            t.de
        ),
        json!({
            "resolved_at": resolved,
            "message_id": clear.id,
            "all_clear_at": clear.sent_at,
            "delay_min": delay,
            "target_min": target,
            "zero_min": zero,
        }),
    )
    .with(Costed::new(finding, 100.0 - score))
}

/// T5: did this external audience hear from us before the outside world was talking about it?
pub fn proactivity(
    ctx: &AudienceContext,
    first: &TimedMessage,
    first_mention: Option<&TimedMention>,
) -> Assessment {
    if ctx.audience.internal {
        return Assessment::not_applicable(
            "Applies to external audiences only.",
            "Gilt nur für externe Zielgruppen.",
        );
    }
    let Some(mention) = first_mention else {
        return Assessment::not_applicable(
            "No outside signal (mention, complaint, press query) is known.",
            "Kein Signal von außen (Erwähnung, Beschwerde, Presseanfrage) bekannt.",
        );
    };
    let delay = minutes_between(mention.posted_at, first.sent_at);
    let zero = ctx
        .input
        .rubric
        .proactivity_zero_min
        .get(ctx.input.severity);
    let score = pl(delay, 0.0, zero);
    let (d, z) = (minutes(delay.abs()), minutes(zero));
    let (sig_en, sig_de) = (
        ctx.clock.en(mention.posted_at),
        ctx.clock.de(mention.posted_at),
    );
    let platform = &mention.platform;
    let measurements = json!({
        "mention_id": mention.id,
        "first_signal_at": mention.posted_at,
        "platform": platform,
        "message_id": first.id,
        "first_message_at": first.sent_at,
        "delay_min": delay,
        "zero_min": zero,
    });
    if delay <= 0.0 {
        let finding = ctx.finding(
            "T5.proactive",
            FindingSeverity::Good,
            format!(
                "{} heard from us {} before the first outside mention ({sig_en} on {platform}).",
                ctx.name_en(),
                d.en
            ),
            format!(
                "{}: unsere erste Mitteilung kam {} vor der ersten Erwähnung von außen ({sig_de} auf {platform}).",
                ctx.name_de(),
                d.de
            ),
        );
        return Assessment::scored(
            score,
            format!(
                "First message {} before the first outside signal ({sig_en}, {platform}).",
                d.en
            ),
            format!(
                "Erste Mitteilung {} vor dem ersten Signal von außen ({sig_de}, {platform}).",
                d.de
            ),
            measurements,
        )
        .with(Costed::free(finding));
    }
    let mut finding = ctx.finding(
        "T5.reactive",
        FindingSeverity::Amber,
        format!(
            "The outside world noticed first: the first mention on {platform} came at {sig_en}, and {} heard from us only {} later.",
            ctx.name_en(),
            d.en
        ),
        format!(
            "{}: die erste Erwähnung auf {platform} kam um {sig_de}, unsere erste Mitteilung erst {} später.",
            ctx.name_de(),
            d.de
        ),
    );
    finding.message_id = Some(first.id);
    finding.gap = Some((mention.posted_at, first.sent_at));
    Assessment::scored(
        score,
        format!(
            "First message {} after the first outside signal ({sig_en}, {platform}); no points from {}.",
            d.en, z.en
        ),
        format!(
            "Erste Mitteilung {} nach dem ersten Signal von außen ({sig_de}, {platform}); keine Punkte ab {}.",
            d.de, z.de
        ),
        measurements,
    )
    .with(Costed::new(finding, 100.0 - score))
}

/// What T6 compares an internal audience with.
pub enum ExternalFirst {
    /// The incident affected no external audience: nothing to sequence against.
    NoExternalAudience,
    /// External audiences were affected but none got a message (their own gates say so).
    NoExternalMessage,
    At(NaiveDateTime),
}

/// T6: internal staff should know no later than customers. It applies to every internal audience
/// of an incident that also affected external ones.
pub fn sequencing(
    ctx: &AudienceContext,
    first: &TimedMessage,
    external_first: &ExternalFirst,
) -> Assessment {
    if !ctx.audience.internal {
        return Assessment::not_applicable(
            "Applies to internal audiences only.",
            "Gilt nur für interne Zielgruppen.",
        );
    }
    let external_at = match external_first {
        ExternalFirst::NoExternalAudience => {
            return Assessment::not_applicable(
                "The incident affected no external audience.",
                "Der Vorfall betraf keine externe Zielgruppe.",
            );
        }
        ExternalFirst::NoExternalMessage => {
            return Assessment::not_applicable(
                "No external audience got a message to compare with.",
                "Keine externe Zielgruppe erhielt eine Mitteilung, mit der sich vergleichen ließe.",
            );
        }
        ExternalFirst::At(t) => *t,
    };
    let targets = ctx.input.rubric.sequencing.get(ctx.input.severity);
    let delay = minutes_between(external_at, first.sent_at);
    let score = pl(delay, targets.target_min, targets.zero_min);
    let (d, t) = (minutes(delay.abs()), minutes(targets.target_min));
    let (ext_en, ext_de) = (ctx.clock.en(external_at), ctx.clock.de(external_at));
    let (own_en, own_de) = (ctx.clock.en(first.sent_at), ctx.clock.de(first.sent_at));
    let measurements = json!({
        "external_first_at": external_at,
        "first_message_at": first.sent_at,
        "delay_min": delay,
        "target_min": targets.target_min,
        "zero_min": targets.zero_min,
    });
    let (reason_en, reason_de) = if delay <= 0.0 {
        (
            format!(
                "Informed {} before the first external message ({ext_en}).",
                d.en
            ),
            format!(
                "{} vor der ersten externen Mitteilung informiert ({ext_de}).",
                d.de
            ),
        )
    } else {
        (
            format!(
                "Informed {} after the first external message ({ext_en}); target {}.",
                d.en, t.en
            ),
            format!(
                "{} nach der ersten externen Mitteilung informiert ({ext_de}); Ziel {}.",
                d.de, t.de
            ),
        )
    };
    let assessment = Assessment::scored(score, reason_en, reason_de, measurements);
    if score >= 100.0 {
        return assessment;
    }
    let mut finding = ctx.finding(
        "T6.after_external",
        FindingSeverity::Amber,
        format!(
            "{} heard of the incident {} after the first external audience ({own_en} against {ext_en}); staff should know no later than customers (target {}).",
            ctx.name_en(),
            d.en,
            t.en
        ),
        format!(
            "{}: erste Mitteilung {} nach der ersten Mitteilung an eine externe Zielgruppe ({own_de} statt {ext_de}); Mitarbeitende sollten es spätestens zugleich mit der Kundschaft erfahren (Ziel {}).",
            ctx.name_de(),
            d.de,
            t.de
        ),
    );
    finding.message_id = Some(first.id);
    finding.gap = Some((external_at, first.sent_at));
    assessment.with(Costed::new(finding, 100.0 - score))
}
