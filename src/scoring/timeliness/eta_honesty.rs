//! ETA honesty (SCORING §1): a stated time of resolution that passed without a correcting update
//! costs the message Honesty points — more when it was worded as certain. The clarity side applies
//! the adjustments; the timeliness side uses the same outcomes for its red gate.

use chrono::NaiveDateTime;

use super::measure::plus_minutes;
use super::model::{TimedMessage, TimelinessInput};
use super::report::HonestyAdjustment;
use super::wording::Clock;
use crate::scoring::{EtaKind, Finding, FindingSeverity};

/// SCORING §2: Honesty is 15 % of a message's clarity, so a finding's impact is given in points of
/// that message's clarity; how messages combine into the incident score is the clarity side's.
const HONESTY_SHARE_OF_CLARITY: f64 = 0.15;

pub struct EtaOutcome<'a> {
    pub message: &'a TimedMessage,
    pub eta_at: NaiveDateTime,
    pub kind: EtaKind,
    /// Resolved later than the ETA plus the commitment grace.
    pub missed: bool,
    /// A later message to the same readers that gave a new time before this one passed.
    pub corrected_by: Option<&'a TimedMessage>,
}

impl EtaOutcome<'_> {
    pub fn stood_and_failed(&self) -> bool {
        self.missed && self.corrected_by.is_none()
    }
}

fn shares_readers(a: &TimedMessage, b: &TimedMessage) -> bool {
    a.audiences.is_empty() || b.audiences.iter().any(|k| a.is_for(k))
}

/// Every stated ETA and whether it held. Open incidents are not judged: whether their ETAs hold is
/// not known yet. `sorted_messages` must be ordered by `(sent_at, id)`.
pub fn eta_outcomes<'a>(
    input: &TimelinessInput,
    sorted_messages: &[&'a TimedMessage],
) -> Vec<EtaOutcome<'a>> {
    let Some(resolved) = input.resolved_at else {
        return Vec::new();
    };
    let grace = input.rubric.commitment_grace_min.get(input.severity);
    sorted_messages
        .iter()
        .filter_map(|m| {
            let eta_at = m.eta_at?;
            let corrected_by = sorted_messages
                .iter()
                .find(|n| {
                    n.sent_at > m.sent_at
                        && n.sent_at <= eta_at
                        && shares_readers(m, n)
                        && n.eta_at.is_some_and(|e| e != eta_at)
                })
                .copied();
            Some(EtaOutcome {
                message: m,
                eta_at,
                // A time entered by hand without wording the analysis recognised reads as an
                // expectation, the milder case.
                kind: match m.eta_kind {
                    EtaKind::Definitive => EtaKind::Definitive,
                    EtaKind::Hedged | EtaKind::None => EtaKind::Hedged,
                },
                missed: resolved > plus_minutes(eta_at, grace),
                corrected_by,
            })
        })
        .collect()
}

pub struct EtaHonesty {
    pub adjustments: Vec<HonestyAdjustment>,
    pub findings: Vec<Finding>,
}

pub fn eta_honesty(input: &TimelinessInput, outcomes: &[EtaOutcome], clock: &Clock) -> EtaHonesty {
    let mut adjustments = Vec::new();
    let mut findings = Vec::new();
    let Some(resolved) = input.resolved_at else {
        return EtaHonesty {
            adjustments,
            findings,
        };
    };
    let penalties = &input.rubric.eta_penalties;
    for o in outcomes {
        let m = o.message;
        let (sent_en, sent_de) = (clock.en(m.sent_at), clock.de(m.sent_at));
        let (eta_en, eta_de) = (clock.en(o.eta_at), clock.de(o.eta_at));
        if let Some(correction) = o.corrected_by {
            if o.missed {
                let mut f = Finding::new(
                    "ETA.corrected",
                    FindingSeverity::Good,
                    0.0,
                    format!(
                        "The time of resolution given at {sent_en} ({eta_en}) was corrected at {} before it passed.",
                        clock.en(correction.sent_at)
                    ),
                    format!(
                        "Der um {sent_de} genannte Zeitpunkt der Behebung ({eta_de}) wurde um {} korrigiert, bevor er verstrichen war.",
                        clock.de(correction.sent_at)
                    ),
                );
                f.message_id = Some(correction.id);
                findings.push(f);
            }
            continue;
        }
        if !o.missed {
            continue;
        }
        let definitive = o.kind == EtaKind::Definitive;
        let penalty = if definitive {
            penalties.definitive
        } else {
            penalties.hedged
        };
        let (promise_en, promise_de) = if definitive {
            ("promised a fix by", "versprach die Behebung bis")
        } else {
            ("expected a fix by", "stellte die Behebung in Aussicht bis")
        };
        let (res_en, res_de) = (clock.en(resolved), clock.de(resolved));
        let text_en = format!(
            "The message of {sent_en} {promise_en} {eta_en}; the incident was resolved at {res_en} and no update corrected the time before it passed."
        );
        let text_de = format!(
            "Die Mitteilung von {sent_de} {promise_de} {eta_de}; behoben war der Vorfall um {res_de}, und keine Mitteilung korrigierte die Zeit, bevor sie verstrichen war."
        );
        let code = if definitive {
            "ETA.missed_definitive"
        } else {
            "ETA.missed_hedged"
        };
        let mut f = Finding::new(
            code,
            FindingSeverity::Amber,
            penalty * HONESTY_SHARE_OF_CLARITY,
            text_en.clone(),
            text_de.clone(),
        );
        f.message_id = Some(m.id);
        f.gap = Some((o.eta_at, resolved));
        findings.push(f);
        adjustments.push(HonestyAdjustment {
            message_id: m.id,
            points: -penalty,
            eta_kind: o.kind,
            eta_at: o.eta_at,
            reason_en: text_en,
            reason_de: text_de,
        });
    }
    EtaHonesty {
        adjustments,
        findings,
    }
}
