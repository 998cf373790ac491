//! Whole incidents scored by hand. Default rubric, policies of SPEC §2: sev1 first message 15 min,
//! updates every 30, all-clear 15; sev2 30/60/30. Weights T1 30, T2 25, T3 15, T4 15, T5 10, T6 5.

use super::fixtures::*;
use crate::domain::{MessageKind, Severity};
use crate::scoring::FindingSeverity;
use crate::scoring::timeliness::{AudienceGate, SubScoreId};

use MessageKind::{Initial, Resolution, Update};

#[test]
fn on_time_sev1_incident_scores_100_with_only_good_findings() {
    // Detected 10:00, resolved 11:00. Employees hear first (10:05), customers at 10:10; every
    // message names the next update and the next message comes exactly then; all-clear 11:05.
    // Customers: T1 10 ≤ 15 → 100; T2 silences 30 and 20 ≤ 30 → 100; T3 2/2 named, 2/2 kept →
    // 100; T4 5 ≤ 15 → 100; T5 n/a (no mention); T6 n/a (external) → 100.
    // Employees: the same, and T6 10:05 − 10:10 = −5 → 100.
    let input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(11, 0)),
        &["customers", "employees"],
        vec![
            message(1, at(10, 5), &["employees"], Initial).next(at(10, 35)),
            message(2, at(10, 10), &["customers"], Initial).next(at(10, 40)),
            message(3, at(10, 35), &["employees"], Update).next(at(11, 5)),
            message(4, at(10, 40), &["customers"], Update).next(at(11, 10)),
            message(5, at(11, 5), &["customers", "employees"], Resolution),
        ],
    );
    let report = score(&input);
    assert_close(report.score.expect("score"), 100.0, "incident");
    assert_close(audience_score(&report, "customers"), 100.0, "customers");
    assert_close(audience_score(&report, "employees"), 100.0, "employees");
    assert_eq!(
        sub(&report, "employees", SubScoreId::Sequencing),
        Some(100.0)
    );
    assert_eq!(sub(&report, "customers", SubScoreId::Sequencing), None);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == FindingSeverity::Good),
        "{:#?}",
        report.findings
    );
    let kept = findings_with(&report, "T3.all_kept");
    assert_eq!(kept.len(), 2);
    // Each points at its audience's last kept promise (10:35 → 11:05, 10:40 → 11:05).
    let mut pointed: Vec<_> = kept.iter().map(|f| (f.message_id, f.gap)).collect();
    pointed.sort();
    assert_eq!(
        pointed,
        vec![
            (Some(3), Some((at(10, 35), at(11, 5)))),
            (Some(4), Some((at(10, 40), at(11, 5))))
        ]
    );
    // The steady cadence points at the longest silence: 30 min (10:05–10:35, 10:10–10:40).
    let mut steady: Vec<_> = findings_with(&report, "T2.steady")
        .iter()
        .map(|f| f.gap)
        .collect();
    steady.sort();
    assert_eq!(
        steady,
        vec![
            Some((at(10, 5), at(10, 35))),
            Some((at(10, 10), at(10, 40)))
        ]
    );
    assert!(report.findings.iter().all(|f| f.impact == 0.0));
}

#[test]
fn late_first_message_to_management() {
    // Zurich time (UTC+1 in March): detected 10:00 local, first message 10:52 local.
    // T1 = pl(52; 15, 60) = 100 × 8/45 = 17.78. T2: 10:52 → 11:00 = 8 min → 100. T3: 1/1 named,
    // the promise of 11:22 kept by the all-clear at 11:10 → 100. T4: 10 ≤ 15 → 100.
    // T5 n/a (internal), T6 n/a (no external audience). Weights 30 + 25 + 15 + 15 = 85:
    // score = (30 × 17.78 + 25 × 100 + 15 × 100 + 15 × 100) / 85 = 70.98.
    let mut input = incident(
        Severity::Sev1,
        at(9, 0),
        Some(at(10, 0)),
        &["management"],
        vec![
            message(1, at(9, 52), &["management"], Initial).next(at(10, 22)),
            message(2, at(10, 10), &["management"], Resolution),
        ],
    );
    input.tz = "Europe/Zurich".parse().expect("zone");
    let report = score(&input);
    let t1 = 100.0 * 8.0 / 45.0;
    let expected = (30.0 * t1 + 25.0 * 100.0 + 15.0 * 100.0 + 15.0 * 100.0) / 85.0;
    assert_close(
        sub(&report, "management", SubScoreId::FirstMessage).expect("T1"),
        t1,
        "T1",
    );
    assert_close(report.score.expect("score"), expected, "incident");
    let late = findings_with(&report, "T1.late");
    assert_eq!(late.len(), 1);
    assert_eq!(
        late[0].text_en,
        "Management first heard of the incident 52 min after detection (10:52); the target for SEV1 is 15 min."
    );
    assert_eq!(
        late[0].text_de,
        "Geschäftsleitung: erste Mitteilung 52 Min. nach der Erkennung (10:52); das Ziel bei SEV1 sind 15 Min."
    );
    assert_eq!(late[0].severity, FindingSeverity::Amber);
    assert_eq!(late[0].message_id, Some(1));
    assert_eq!(late[0].audience.as_deref(), Some("management"));
    // The only deduction, so it accounts for every lost point: (100 − 17.78) × 30/85.
    assert_close(late[0].impact, 100.0 - expected, "impact");
    let reason = &report.audiences[0].sub_scores[0].reason_en;
    assert_eq!(
        reason,
        "First message 52 min after detection (10:52); target 15 min, no points from 60 min."
    );
}

#[test]
fn an_audience_never_informed_scores_zero_with_a_red_finding() {
    // Customers got nothing: gate → 0. Management: T1 10 → 100, T2 10:10 → 11:00 = 50 min →
    // pl(50; 30, 90) = 66.67, T3 0/1 named → 0, T4 5 → 100; T6 n/a (customers got no message).
    // Management = (30 × 100 + 25 × 66.67 + 15 × 0 + 15 × 100) / 85 = 72.55.
    // Incident = (0.4 × 0 + 0.15 × 72.55) / 0.55 = 19.79.
    let input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(11, 0)),
        &["customers", "management"],
        vec![
            message(1, at(10, 10), &["management"], Initial),
            message(2, at(11, 5), &["management"], Resolution),
        ],
    );
    let report = score(&input);
    let management = (30.0 * 100.0 + 25.0 * (100.0 * 40.0 / 60.0) + 15.0 * 100.0) / 85.0;
    assert_close(audience_score(&report, "customers"), 0.0, "customers");
    assert_close(
        audience_score(&report, "management"),
        management,
        "management",
    );
    assert_close(
        report.score.expect("score"),
        0.15 * management / 0.55,
        "incident",
    );
    let customers = &report.audiences[0];
    assert_eq!(customers.gate, Some(AudienceGate::NeverInformed));
    let gate = findings_with(&report, "gate.never_informed");
    assert_eq!(gate.len(), 1);
    assert_eq!(gate[0].severity, FindingSeverity::Red);
    assert_eq!(
        gate[0].text_en,
        "Customers never received a message about the incident."
    );
    // The whole share of customers in the incident score: 100 × 0.4 / 0.55.
    assert_close(gate[0].impact, 100.0 * 0.4 / 0.55, "gate impact");
    assert_eq!(report.findings[0].code, "gate.never_informed");
    assert_eq!(sub(&report, "management", SubScoreId::Sequencing), None);
}

#[test]
fn a_first_message_at_the_zero_point_caps_the_audience_at_40() {
    // Sev2 customers: first message target 30, zero 120. First message at 12:00, 120 min after
    // detection → T1 = 0 and the cap applies. T2: 12:00 → 12:30 = 30 ≤ 60 → 100. T3: 1/1 named,
    // 12:30 kept by the all-clear at 12:20 → 100. T4: all-clear before the resolution → 100.
    // Uncapped (30 × 0 + 25 × 100 + 15 × 100 + 15 × 100) / 85 = 64.71 → capped at 40.
    let messages = |first_at| {
        vec![
            message(1, first_at, &["customers"], Initial).next(at(12, 30)),
            message(2, at(12, 20), &["customers"], Resolution),
        ]
    };
    let input = incident(
        Severity::Sev2,
        at(10, 0),
        Some(at(12, 30)),
        &["customers"],
        messages(at(12, 0)),
    );
    let report = score(&input);
    assert_close(report.score.expect("score"), 40.0, "capped");
    assert_eq!(
        report.audiences[0].gate,
        Some(AudienceGate::FirstMessageAtZero)
    );
    let late = findings_with(&report, "T1.late");
    assert_eq!(late[0].severity, FindingSeverity::Red);
    // T1's own loss 100 × 30/85 plus what the cap took (64.71 − 40): all 60 points lost.
    assert_close(late[0].impact, 60.0, "impact of the late first message");
    assert!(
        late[0]
            .text_en
            .ends_with("so this audience scores at most 40.")
    );

    // One minute earlier the cap does not apply: T1 = pl(119; 30, 120) = 100 × 1/90.
    let input = incident(
        Severity::Sev2,
        at(10, 0),
        Some(at(12, 30)),
        &["customers"],
        messages(at(11, 59)),
    );
    let report = score(&input);
    let expected = (30.0 * (100.0 / 90.0) + 25.0 * 100.0 + 15.0 * 100.0 + 15.0 * 100.0) / 85.0;
    assert_close(report.score.expect("score"), expected, "uncapped");
    assert_eq!(report.audiences[0].gate, None);
}

#[test]
fn broken_promises_cost_commitment_points_and_one_raises_the_red_gate() {
    // Sev1 customers, detected 10:00, resolved 12:00, grace 5 min.
    // 10:10 promises 10:30 → next message 10:33 ≤ 10:35: kept.
    // 10:33 promises 11:00 → next message 11:20 > 11:05: broken; 11:20 lies within one interval
    //   (30 min) of 11:00, so amber.
    // 11:20 names no next update.
    // 11:25 promises 11:40 → next message 12:20: broken, and nothing came in 11:40–12:10: red.
    // T3 = 50 × 3/4 named + 50 × 1/3 kept = 37.5 + 16.67 = 54.17.
    // T2 silences 23, 47, 5, 35 min (the last ends at the resolution, 12:00):
    //   pl = 100, 100 × 43/60, 100, 100 × 55/60; duration-weighted over 110 min
    //   = (2300 + 47 × 71.67 + 500 + 35 × 91.67) / 110 = 85.24.
    // T1 10 → 100. T4 20 min: pl(20; 15, 60) = 100 × 40/45 = 88.89.
    // Score = (30 × 100 + 25 × 85.24 + 15 × 54.17 + 15 × 88.89) / 85 = 85.61.
    let input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(12, 0)),
        &["customers"],
        vec![
            message(1, at(10, 10), &["customers"], Initial).next(at(10, 30)),
            message(2, at(10, 33), &["customers"], Update).next(at(11, 0)),
            message(3, at(11, 20), &["customers"], Update),
            message(4, at(11, 25), &["customers"], Update).next(at(11, 40)),
            message(5, at(12, 20), &["customers"], Resolution),
        ],
    );
    let report = score(&input);
    let t3 = 50.0 * 0.75 + 50.0 / 3.0;
    let t2 = (2300.0 + 47.0 * (100.0 * 43.0 / 60.0) + 500.0 + 35.0 * (100.0 * 55.0 / 60.0)) / 110.0;
    let t4 = 100.0 * 40.0 / 45.0;
    assert_close(
        sub(&report, "customers", SubScoreId::Commitments).expect("T3"),
        t3,
        "T3",
    );
    assert_close(
        sub(&report, "customers", SubScoreId::Cadence).expect("T2"),
        t2,
        "T2",
    );
    assert_close(
        sub(&report, "customers", SubScoreId::AllClear).expect("T4"),
        t4,
        "T4",
    );
    assert_close(
        report.score.expect("score"),
        (3000.0 + 25.0 * t2 + 15.0 * t3 + 15.0 * t4) / 85.0,
        "incident",
    );
    let red = findings_with(&report, "T3.promise_passed");
    assert_eq!(red.len(), 1);
    assert_eq!(red[0].severity, FindingSeverity::Red);
    assert_eq!(red[0].message_id, Some(4));
    assert_eq!(
        red[0].text_en,
        "The message of 11:25 promised Customers the next update by 11:40; it came at 12:20 (40 min late). Nothing was said for more than the 30 min update interval after the promised time."
    );
    let amber = findings_with(&report, "T3.promise_broken");
    assert_eq!(amber.len(), 1);
    assert_eq!(amber[0].message_id, Some(2));
    // Each broken promise costs 50/3 T3 points, 15/85 of the audience score.
    assert_close(
        amber[0].impact,
        50.0 / 3.0 * 15.0 / 85.0,
        "broken promise impact",
    );
    assert_eq!(
        findings_with(&report, "T3.no_next_update")[0].message_id,
        Some(3)
    );
    let promises = &report.audiences[0].timeline.promises;
    assert_eq!(promises.len(), 3);
    assert_eq!(
        promises
            .iter()
            .map(|p| p.passed_by_interval)
            .collect::<Vec<_>>(),
        vec![false, false, true]
    );
    assert_eq!(
        report.audiences[0].sub_scores[2].reason_en,
        "3 of 4 messages named a next update; 1 of 3 promises were kept (grace 5 min)."
    );
}

/// Sev1 customers, detected 10:00, resolved 14:00; updates at 10:10, 10:40, 11:10, 12:10, 13:10
/// and the all-clear at 14:05. From 11:10 on each update promises the next one either an hour
/// later (`announce_slower_pace`) or, as the policy asks, 30 min later.
fn long_incident(announce_slower_pace: bool) -> crate::scoring::timeliness::TimelinessInput {
    let pace = |h: u32, m: u32| {
        if announce_slower_pace {
            at(h + 1, m)
        } else {
            at(h, m + 30)
        }
    };
    incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(14, 0)),
        &["customers"],
        vec![
            message(1, at(10, 10), &["customers"], Initial).next(at(10, 40)),
            message(2, at(10, 40), &["customers"], Update).next(at(11, 10)),
            message(3, at(11, 10), &["customers"], Update).next(pace(11, 10)),
            message(4, at(12, 10), &["customers"], Update).next(pace(12, 10)),
            message(5, at(13, 10), &["customers"], Update).next(pace(13, 10)),
            message(6, at(14, 5), &["customers"], Resolution),
        ],
    )
}

#[test]
fn long_incident_mode_needs_an_announced_slower_pace() {
    // Announced: at 11:10 the next update is promised for 12:10, 60 min > the 30-min interval.
    // Silences 30, 30, 60, 60, 50 min. The 60 from 11:10 starts before the 2-h mark (12:00):
    // normal targets, pl(60; 30, 90) = 50. Those from 12:10 and 13:10 start after it and after
    // the announcement: targets ×2 (60/180) → 100 each.
    // T2 = (30 × 100 + 30 × 100 + 60 × 50 + 60 × 100 + 50 × 100) / 230 = 86.96.
    let report = score(&long_incident(true));
    let relaxed: Vec<bool> = report.audiences[0]
        .timeline
        .silences
        .iter()
        .map(|s| s.relaxed)
        .collect();
    assert_eq!(relaxed, vec![false, false, false, true, true]);
    assert_close(
        sub(&report, "customers", SubScoreId::Cadence).expect("T2"),
        20_000.0 / 230.0,
        "T2 with announced pace",
    );
    assert_eq!(
        report.audiences[0].sub_scores[1].reason_en,
        "1 of 5 silences exceeded their target (30 min; 60 min at the announced slower pace after 2 h); the longest was 60 min (11:10–12:10)."
    );

    // Not announced (every promise 30 min ahead): the same silences keep the 30/90 targets.
    // 60 → 50, 60 → 50, 50 → pl(50; 30, 90) = 66.67.
    // T2 = (3000 + 3000 + 3000 + 3000 + 50 × 66.67) / 230 = 66.67.
    let report = score(&long_incident(false));
    assert!(
        report.audiences[0]
            .timeline
            .silences
            .iter()
            .all(|s| !s.relaxed)
    );
    assert_close(
        sub(&report, "customers", SubScoreId::Cadence).expect("T2"),
        (12_000.0 + 50.0 * (100.0 * 40.0 / 60.0)) / 230.0,
        "T2 without announced pace",
    );
    assert_eq!(findings_with(&report, "T2.silence").len(), 3);
}

#[test]
fn a_missing_all_clear_scores_t4_zero() {
    // Sev2 customers, detected 10:00, resolved 11:00; one message at 10:20 with no next update.
    // T1 20 ≤ 30 → 100; T2 10:20 → 11:00 = 40 ≤ 60 → 100; T3 0/1 named, no promise → 0; T4 → 0.
    // Score = (30 × 100 + 25 × 100) / 85 = 64.71.
    let input = incident(
        Severity::Sev2,
        at(10, 0),
        Some(at(11, 0)),
        &["customers"],
        vec![message(1, at(10, 20), &["customers"], Initial)],
    );
    let report = score(&input);
    assert_eq!(sub(&report, "customers", SubScoreId::AllClear), Some(0.0));
    assert_eq!(
        sub(&report, "customers", SubScoreId::Commitments),
        Some(0.0)
    );
    assert_close(report.score.expect("score"), 5500.0 / 85.0, "incident");
    let missing = findings_with(&report, "T4.missing");
    assert_eq!(missing.len(), 1);
    assert_close(missing[0].impact, 100.0 * 15.0 / 85.0, "T4 impact");
    assert_eq!(
        missing[0].text_de,
        "Kundinnen und Kunden: keine Entwarnung nach der Behebung um 11:00."
    );
    // The gap is the time the all-clear was due in: sev2 target 30 min × zero factor 4 = 2 h.
    assert_eq!(missing[0].gap, Some((at(11, 0), at(13, 0))));
}
