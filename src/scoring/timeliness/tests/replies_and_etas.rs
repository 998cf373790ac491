//! Replies to mentions and the honesty of stated ETAs, worked by hand.

use super::fixtures::*;
use crate::domain::{MessageKind, Severity};
use crate::scoring::timeliness::{SubScoreId, TimelinessInput};
use crate::scoring::{EtaKind, FindingSeverity};

use MessageKind::{Initial, Resolution, Update};

/// Sev1 (reply target 30 min, zero 4 × 30 = 120). Five mentions on X at 10:00, 10:05, 10:10,
/// 10:20, 10:30; the first four get first replies after 10, 20, 60 and 150 min, the fifth none.
/// The first two replies are the same text with another name; the third asks for a DM.
fn social_incident() -> TimelinessInput {
    let mut input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(13, 0)),
        &["public"],
        vec![
            message(1, at(10, 15), &["public"], Initial).next(at(10, 45)),
            reply(
                2,
                at(10, 10),
                101,
                "X",
                "Hi Anna, we're sorry for the trouble with e-banking. Our team is working on a fix. ^mb",
            ),
            reply(
                3,
                at(10, 25),
                102,
                "X",
                "Hi Ben, we're sorry for the trouble with e-banking. Our team is working on a fix. ^mb",
            ),
            reply(
                4,
                at(11, 10),
                103,
                "X",
                "@carla Thanks for the screenshot! Please send us a DM with your contract number so we can check your payment.",
            ),
            reply(
                5,
                at(12, 50),
                104,
                "X",
                "The card terminals in Bern work again since 12:40; online banking still has problems, next update on the status page at 13:30.",
            ),
            message(6, at(10, 45), &["public"], Update).next(at(11, 15)),
            message(7, at(11, 15), &["public"], Update).next(at(11, 45)),
            message(8, at(11, 45), &["public"], Update).next(at(12, 15)),
            message(9, at(12, 15), &["public"], Update).next(at(12, 45)),
            message(10, at(12, 45), &["public"], Update).next(at(13, 15)),
            message(11, at(13, 5), &["public"], Resolution),
        ],
    );
    input.mentions = vec![
        mention(104, at(10, 20), "x", "dan"),
        mention(101, at(10, 0), "x", "anna"),
        mention(102, at(10, 5), "x", "ben"),
        mention(103, at(10, 10), "x", "carla"),
        mention(105, at(10, 30), "x", "eve"),
    ];
    input
}

#[test]
fn replies_median_p90_copies_and_redirects() {
    // Answered delays 10, 20, 60, 150 → median (20 + 60) / 2 = 40, p90 (nearest rank 4 of 4) = 150.
    // Within 30 min: 2 of 5. Speed = mean of pl(d; 30, 120) with the unanswered at 0:
    //   (100 + 100 + 100 × 60/90 + 0 + 0) / 5 = 53.33.
    // Copies: replies 2 and 3 are identical once greeting, name and sign-off are removed:
    //   2 of 4 → personal part 50. Redirects: 1 of 4 (the DM), under the 50 % notice share.
    // No apology expected: R = (0.7 × 53.33 + 0.15 × 50) / 0.85 = 52.75.
    let report = score(&social_incident());
    let replies = report.replies.as_ref().expect("mentions were answered");
    let speed = (200.0 + 100.0 * 60.0 / 90.0) / 5.0;
    assert_eq!(replies.audience.as_deref(), Some("public"));
    assert_eq!(replies.median_min, Some(40.0));
    assert_eq!(replies.p90_min, Some(150.0));
    assert_close(replies.within_target_share, 0.4, "within target");
    assert_eq!(replies.near_identical_share, Some(0.5));
    assert_eq!(replies.redirected_share, Some(0.25));
    assert_eq!(replies.answered, 4);
    assert_close(replies.score, (0.7 * speed + 0.15 * 50.0) / 0.85, "R");
    let public = &report.audiences[0];
    let r = public.sub_score(SubScoreId::Replies).expect("R sub-score");
    let t2 = public.sub_score(SubScoreId::Cadence).expect("T2 sub-score");
    // R shares T2's weight half and half.
    assert_close(r.weight, t2.weight, "R and T2 weights");
    assert!(r.weight > 0.0);
    let copy = findings_with(&report, "R.copy_paste");
    assert_eq!(
        copy[0].text_en,
        "2 of 4 replies were near-identical copies of each other; people notice a pasted answer."
    );
    assert_eq!(findings_with(&report, "R.unanswered").len(), 1);
    assert_eq!(
        findings_with(&report, "R.slow")[0].text_en,
        "2 of 5 mentions got their first reply later than the 30 min reply target; median 40 min, 90th percentile 2 h 30 min."
    );
    assert!(findings_with(&report, "R.redirected").is_empty());
    // Replies never count as messages to the audience: its first message is the 10:15 one.
    assert_eq!(public.timeline.first_message_at, Some(at(10, 15)));
    let first: Vec<i64> = replies.first_replies.iter().map(|f| f.mention_id).collect();
    assert_eq!(first, vec![101, 102, 103, 104, 105], "in time order");
}

#[test]
fn an_apology_where_the_crisis_became_known() {
    // Apology expected: a third part. Without one on X: R = 0.7 × 53.33 + 0.15 × 50 + 0.15 × 0.
    let mut input = social_incident();
    input.apology_expected = true;
    let speed = (200.0 + 100.0 * 60.0 / 90.0) / 5.0;
    let report = score(&input);
    let replies = report.replies.as_ref().expect("replies");
    assert!(!replies.apology_on_first_platform);
    assert_close(replies.score, 0.7 * speed + 7.5, "R without apology");
    let missing = findings_with(&report, "R.no_apology_where_known");
    assert_eq!(
        missing[0].text_en,
        "The crisis became known on x, but no apology was posted there."
    );
    // The apologising reply was posted on "X": platforms compare without case. + 0.15 × 100.
    input.messages[1].apologises = true;
    let report = score(&input);
    let replies = report.replies.as_ref().expect("replies");
    assert!(replies.apology_on_first_platform);
    assert_close(replies.score, 0.7 * speed + 7.5 + 15.0, "R with apology");
    assert_eq!(findings_with(&report, "R.apology_where_known").len(), 1);
}

#[test]
fn mostly_redirecting_replies_are_noted() {
    let mut input = social_incident();
    for (i, m) in input
        .messages
        .iter_mut()
        .filter(|m| m.is_reply())
        .enumerate()
    {
        m.text = format!("Please call our hotline about case {i}, we will sort it out there.");
    }
    let report = score(&input);
    let replies = report.replies.as_ref().expect("replies");
    assert_eq!(replies.redirected_share, Some(1.0));
    let noted = findings_with(&report, "R.redirected");
    assert_eq!(noted[0].severity, FindingSeverity::Info);
    assert_eq!(noted[0].impact, 0.0);
}

#[test]
fn without_mentions_there_is_no_replies_score() {
    let mut input = social_incident();
    input.mentions.clear();
    let report = score(&input);
    assert!(report.replies.is_none());
    let public = &report.audiences[0];
    assert_eq!(
        public.sub_score(SubScoreId::Replies).and_then(|s| s.score),
        None
    );
    assert_eq!(
        public
            .sub_score(SubScoreId::Proactivity)
            .and_then(|s| s.score),
        None
    );
    // T2 keeps its whole weight: applicable T1 30, T2 25, T3 15, T4 15.
    let t2 = public.sub_score(SubScoreId::Cadence).expect("T2");
    assert_close(t2.weight, 25.0 / 85.0, "T2 weight");
}

/// Sev1 customers, detected 10:00, resolved 12:30, grace 5 min.
/// 10:10 says "fixed by 11:00" (definitive); 10:50 moves it to 12:00, hedged: the 11:00 ETA is
/// corrected in time. 11:30 repeats 12:00, now definitive. Nothing then until the all-clear at
/// 12:35, so 12:00 passes with no correction.
fn eta_incident(resolved: (u32, u32)) -> TimelinessInput {
    incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(resolved.0, resolved.1)),
        &["customers"],
        vec![
            message(1, at(10, 10), &["customers"], Initial).eta(at(11, 0), EtaKind::Definitive),
            message(2, at(10, 50), &["customers"], Update).eta(at(12, 0), EtaKind::Hedged),
            message(3, at(11, 30), &["customers"], Update).eta(at(12, 0), EtaKind::Definitive),
            message(4, at(12, 35), &["customers"], Resolution),
        ],
    )
}

#[test]
fn missed_etas_cost_honesty_points_unless_corrected_in_time() {
    // Message 1 (definitive 11:00): corrected at 10:50 by a new time → no penalty, a good finding.
    // Message 2 (hedged 12:00): resolved 12:30 > 12:05, no message with another time before 12:00
    //   → −5. Message 3 (definitive 12:00): the same → −10.
    let report = score(&eta_incident((12, 30)));
    let adjustments: Vec<(i64, f64, EtaKind)> = report
        .honesty_adjustments
        .iter()
        .map(|a| (a.message_id, a.points, a.eta_kind))
        .collect();
    assert_eq!(
        adjustments,
        vec![(2, -5.0, EtaKind::Hedged), (3, -10.0, EtaKind::Definitive)]
    );
    let corrected = findings_with(&report, "ETA.corrected");
    assert_eq!(corrected.len(), 1);
    assert_eq!(corrected[0].message_id, Some(2));
    let definitive = findings_with(&report, "ETA.missed_definitive");
    assert_eq!(
        definitive[0].text_en,
        "The message of 11:30 promised a fix by 12:00; the incident was resolved at 12:30 and no update corrected the time before it passed."
    );
    assert_eq!(
        definitive[0].text_de,
        "Die Mitteilung von 11:30 versprach die Behebung bis 12:00; behoben war der Vorfall um 12:30, und keine Mitteilung korrigierte die Zeit, bevor sie verstrichen war."
    );
    // 12:00 passed and nothing was said until 12:35, more than the 30-min interval: red, once
    // for the one ETA although two messages stated it.
    let gate = findings_with(&report, "gate.eta_passed");
    assert_eq!(gate.len(), 1);
    assert_eq!(gate[0].severity, FindingSeverity::Red);
    assert_eq!(gate[0].message_id, Some(2));
}

#[test]
fn etas_that_held_cost_nothing() {
    // Resolved at 12:04, within the 5-min grace of the 12:00 ETA; the 11:00 ETA was corrected.
    let report = score(&eta_incident((12, 4)));
    assert!(report.honesty_adjustments.is_empty());
    assert!(findings_with(&report, "gate.eta_passed").is_empty());
    assert!(findings_with(&report, "ETA.missed_hedged").is_empty());
}

#[test]
fn an_eta_passed_with_a_message_soon_after_is_no_gate() {
    // Same ETAs, but an update at 12:20 (within 30 min of 12:00): honesty penalties stay, the red
    // gate does not fire.
    let mut input = eta_incident((12, 30));
    input
        .messages
        .push(message(5, at(12, 20), &["customers"], Update));
    let report = score(&input);
    assert_eq!(report.honesty_adjustments.len(), 2);
    assert!(findings_with(&report, "gate.eta_passed").is_empty());
}
