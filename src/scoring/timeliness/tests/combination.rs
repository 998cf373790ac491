//! Whole incidents scored by hand: proactivity, sequencing, renormalisation, the combination over
//! audiences, channel lag. Default rubric and the SPEC §2 policies, as in `worked_examples`.

use super::fixtures::*;
use crate::domain::{Channel, MessageKind, Severity};
use crate::scoring::timeliness::SubScoreId;

use MessageKind::{Initial, Resolution, Update};

#[test]
fn proactivity_against_the_first_mention_and_without_one() {
    // Sev1 customers, first message 10:35; a complaint on X at 10:05.
    // T5 = pl(30; 0, 60) = 50. T1 = pl(35; 15, 60) = 100 × 25/45 = 55.56.
    // T2 10:35 → 11:00 = 25 → 100; T3 0/1 → 0; T4 11:05 → 5 → 100.
    // With the mention: (30 × 55.56 + 25 × 100 + 15 × 0 + 15 × 100 + 10 × 50) / 95.
    // Without it T5 is n/a: (30 × 55.56 + 25 × 100 + 15 × 0 + 15 × 100) / 85.
    let messages = vec![
        message(1, at(10, 35), &["customers"], Initial),
        message(2, at(11, 5), &["customers"], Resolution),
    ];
    let mut input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(11, 0)),
        &["customers"],
        messages,
    );
    let t1 = 100.0 * 25.0 / 45.0;
    let without = score(&input);
    assert_eq!(sub(&without, "customers", SubScoreId::Proactivity), None);
    assert_close(
        without.score.expect("score"),
        (30.0 * t1 + 4000.0) / 85.0,
        "without a mention",
    );
    input.mentions = vec![mention(101, at(10, 5), "X", "anna")];
    let with = score(&input);
    assert_close(
        sub(&with, "customers", SubScoreId::Proactivity).expect("T5"),
        50.0,
        "T5",
    );
    assert_close(
        with.score.expect("score"),
        (30.0 * t1 + 4000.0 + 10.0 * 50.0) / 95.0,
        "with a mention",
    );
    // No affected audience answers mentions here: the replies are reported, not scored.
    let replies = with.replies.as_ref().expect("a replies report");
    assert_eq!((replies.audience.as_deref(), replies.answered), (None, 0));
    let unanswered = findings_with(&with, "R.unanswered");
    assert_eq!((unanswered.len(), unanswered[0].impact), (1, 0.0));
    let reactive = findings_with(&with, "T5.reactive");
    assert_eq!(
        reactive[0].text_en,
        "The outside world noticed first: the first mention on X came at 10:05, and Customers heard from us only 30 min later."
    );

    // Telling customers before anyone complained: T5 = 100 and a good finding.
    input.mentions = vec![mention(101, at(10, 50), "X", "anna")];
    let early = score(&input);
    assert_eq!(
        sub(&early, "customers", SubScoreId::Proactivity),
        Some(100.0)
    );
    assert_eq!(findings_with(&early, "T5.proactive").len(), 1);
}

#[test]
fn sequencing_internal_after_external() {
    // Sev1: customers hear at 10:10, IT teams only at 10:40: 30 min after the first external
    // message. T6 = pl(30; 5, 60) = 100 × 30/55 = 54.55.
    let input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(11, 0)),
        &["customers", "it_teams"],
        vec![
            message(1, at(10, 10), &["customers"], Initial),
            message(2, at(10, 40), &["it_teams"], Initial).on(Channel::Chat),
            message(3, at(11, 5), &["customers", "it_teams"], Resolution),
        ],
    );
    let report = score(&input);
    assert_close(
        sub(&report, "it_teams", SubScoreId::Sequencing).expect("T6"),
        100.0 * 30.0 / 55.0,
        "T6",
    );
    let finding = findings_with(&report, "T6.after_external");
    assert_eq!(
        finding[0].text_en,
        "IT teams heard of the incident 30 min after the first external audience (10:40 against 10:10); staff should know no later than customers (target 5 min)."
    );
    assert_eq!(finding[0].gap, Some((at(10, 10), at(10, 40))));
}

#[test]
fn not_applicable_sub_scores_are_left_out_and_the_weights_renormalised() {
    // Sev2 management, incident still open: T4 n/a (not resolved), T5 n/a (internal), T6 n/a
    // (no external audience). T1 = pl(45; 30, 120) = 100 × 75/90 = 83.33. T2: the one silence
    // 10:45 → 11:30 = 45 ≤ 60 → 100. T3: 2/2 named; 11:45 kept by 11:30, 12:30 still open →
    // 1/1 judged kept → 100. Score = (30 × 83.33 + 25 × 100 + 15 × 100) / 70 = 92.86.
    let input = incident(
        Severity::Sev2,
        at(10, 0),
        None,
        &["management"],
        vec![
            message(1, at(10, 45), &["management"], Initial).next(at(11, 45)),
            message(2, at(11, 30), &["management"], Update).next(at(12, 30)),
        ],
    );
    let report = score(&input);
    let t1 = 100.0 * 75.0 / 90.0;
    assert_close(
        report.score.expect("score"),
        (30.0 * t1 + 4000.0) / 70.0,
        "renormalised",
    );
    let a = &report.audiences[0];
    let weights: Vec<f64> = a.sub_scores.iter().map(|s| s.weight).collect();
    assert_close(weights[0], 30.0 / 70.0, "T1 weight");
    assert_close(weights.iter().sum(), 1.0, "weights sum");
    assert_eq!(
        a.sub_score(SubScoreId::AllClear).and_then(|s| s.score),
        None
    );
    assert_eq!(
        a.sub_score(SubScoreId::AllClear)
            .map(|s| s.reason_en.as_str()),
        Some("The incident is not resolved yet.")
    );
    let outcomes: Vec<_> = a
        .timeline
        .promises
        .iter()
        .map(|p| p.outcome.as_str())
        .collect();
    assert_eq!(outcomes, vec!["kept", "pending"]);
}

#[test]
fn incident_score_combines_audiences_by_renormalised_weight() {
    // Sev1, detected 10:00 (impact since 09:40), resolved 11:00.
    // Customers (0.4): first 10:10 with next 10:40, update 10:40 with next 11:10, all-clear 11:05
    //   → all 100.
    // Management (0.15): first 10:52 → T1 = 100 × 8/45 = 17.78; T2 10:52 → 11:00 = 8 → 100;
    //   T3 0/1 named → 0; T4 5 → 100; T6 = pl(42; 5, 60) = 100 × 18/55 = 32.73.
    //   = (30 × 17.78 + 25 × 100 + 0 + 15 × 100 + 5 × 32.73) / 90 = 50.22.
    // Incident = (0.4 × 100 + 0.15 × 50.22) / 0.55 = 86.42.
    let mut input = incident(
        Severity::Sev1,
        at(10, 0),
        Some(at(11, 0)),
        &["customers", "management"],
        vec![
            message(1, at(10, 10), &["customers"], Initial).next(at(10, 40)),
            message(2, at(10, 40), &["customers"], Update).next(at(11, 10)),
            message(3, at(10, 52), &["management"], Initial).on(Channel::Email),
            message(4, at(11, 5), &["customers", "management"], Resolution),
        ],
    );
    input.started_at = Some(at(9, 40));
    let report = score(&input);
    let management = (30.0 * (100.0 * 8.0 / 45.0) + 4000.0 + 5.0 * (100.0 * 18.0 / 55.0)) / 90.0;
    assert_close(audience_score(&report, "customers"), 100.0, "customers");
    assert_close(
        audience_score(&report, "management"),
        management,
        "management",
    );
    assert_close(report.audiences[0].share, 0.4 / 0.55, "customer share");
    assert_close(
        report.score.expect("score"),
        (0.4 * 100.0 + 0.15 * management) / 0.55,
        "incident",
    );
    assert_eq!(report.time_to_detect_min, Some(20.0));
    // The findings' impacts add up to the points the incident lost.
    let lost: f64 = report.findings.iter().map(|f| f.impact).sum();
    assert_close(lost, 100.0 - report.score.expect("score"), "impacts");
}

#[test]
fn channel_lag_beyond_one_interval_is_a_finding_and_chart_data() {
    // Sev1 customers (interval 30): status page 14:05, social media 14:20, e-mail 14:40.
    // Lags 0, 15, 35 min: only e-mail exceeds the interval.
    let input = incident(
        Severity::Sev1,
        at(14, 0),
        Some(at(15, 0)),
        &["customers"],
        vec![
            message(1, at(14, 5), &["customers"], Initial),
            message(2, at(14, 20), &["customers"], Initial).on(Channel::SocialMedia),
            message(3, at(14, 40), &["customers"], Initial).on(Channel::Email),
            message(4, at(14, 45), &["customers"], Update).on(Channel::Email),
        ],
    );
    let report = score(&input);
    let lags = &report.audiences[0].timeline.channels;
    let summary: Vec<(Channel, f64, bool)> = lags
        .iter()
        .map(|l| (l.channel, l.lag_min, l.exceeds_interval))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Channel::StatusPage, 0.0, false),
            (Channel::SocialMedia, 15.0, false),
            (Channel::Email, 35.0, true),
        ]
    );
    let lag = findings_with(&report, "channel_lag");
    assert_eq!(lag.len(), 1);
    assert_eq!(
        lag[0].text_en,
        "Customers heard first on status page at 14:05, but on e-mail only at 14:40, 35 min later; that is more than the 30 min update interval."
    );
    assert_eq!(
        lag[0].text_de,
        "Kundinnen und Kunden: zuerst per Statusseite um 14:05, per E-Mail erst um 14:40, 35 Min. später; das ist mehr als das Update-Intervall von 30 Min."
    );
}
