//! Property checks over generated incidents: every score within 0–100 and never NaN, every
//! impact finite and not negative, and the same input — in any order — gives the same report.

use chrono::Duration;

use super::fixtures::*;
use crate::domain::{Channel, MessageKind, Severity};
use crate::scoring::EtaKind;
use crate::scoring::timeliness::{TimelinessInput, TimelinessReport};

/// A small deterministic generator (xorshift64*), so a failing case can be replayed by its seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const KEYS: [&str; 5] = ["customers", "public", "employees", "it_teams", "management"];
const TEXTS: [&str; 5] = [
    "Hi Anna, we're sorry for the trouble. We are working on it. ^mb",
    "Hi Ben, we're sorry for the trouble. We are working on it. ^mb",
    "Please send us a DM with your customer number.",
    "Bitte rufen Sie uns unter 0800 123 456 an.",
    "",
];

fn generated(seed: u64) -> TimelinessInput {
    let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let severity = *dice.pick(Severity::ALL);
    let detected = at(8, 0) + Duration::minutes(dice.between(0, 120));
    let resolved = dice
        .chance(80)
        .then(|| detected + Duration::seconds(dice.between(0, 54_000)));
    let keys: Vec<&str> = KEYS.iter().copied().filter(|_| dice.chance(60)).collect();
    let mut input = incident(severity, detected, resolved, &keys, Vec::new());
    for a in &mut input.audiences {
        if dice.chance(20) {
            a.weight = 0.0;
        }
        a.answers_mentions = dice.chance(40);
    }
    input.apology_expected = dice.chance(50);
    input.started_at = dice
        .chance(50)
        .then(|| detected - Duration::minutes(dice.between(-10, 60)));
    let mention_count = dice.between(0, 6);
    for id in 0..mention_count {
        let posted = detected + Duration::seconds(dice.between(-3600, 36_000));
        let platform = *dice.pick(&["x", "X", "facebook"]);
        input
            .mentions
            .push(mention(1000 + id, posted, platform, "someone"));
    }
    let kinds = MessageKind::ALL;
    let channels = Channel::ALL;
    for id in 0..dice.between(0, 16) {
        let sent = detected + Duration::seconds(dice.between(-1800, 54_000));
        let to: Vec<&str> = KEYS.iter().copied().filter(|_| dice.chance(35)).collect();
        let mut m = message(id, sent, &to, *dice.pick(kinds));
        m.channel = *dice.pick(channels);
        if dice.chance(50) {
            m.next_update_at = Some(sent + Duration::seconds(dice.between(-600, 14_400)));
        }
        if dice.chance(30) {
            m.eta_at = Some(sent + Duration::seconds(dice.between(-600, 18_000)));
            m.eta_kind = *dice.pick(EtaKind::ALL);
        }
        if mention_count > 0 && dice.chance(40) {
            m.kind = MessageKind::Reply;
            m.in_reply_to = Some(1000 + dice.between(0, mention_count));
            m.platform = Some((*dice.pick(&["x", "facebook"])).to_string());
        }
        m.apologises = dice.chance(30);
        m.text = (*dice.pick(&TEXTS)).to_string();
        input.messages.push(m);
    }
    if dice.chance(30) {
        let w = &mut input.rubric.weights;
        w.first_message = dice.between(0, 50) as f64;
        w.cadence = dice.between(0, 50) as f64;
        w.sequencing = 0.0;
        w.replies_share_of_cadence = dice.below(101) as f64 / 100.0;
    }
    input
}

fn within_0_100(x: f64) -> bool {
    x.is_finite() && (0.0..=100.0).contains(&x)
}

fn check_bounds(seed: u64, report: &TimelinessReport) {
    if let Some(s) = report.score {
        assert!(within_0_100(s), "seed {seed}: incident score {s}");
    }
    for a in &report.audiences {
        assert!(within_0_100(a.score), "seed {seed}: {} {}", a.key, a.score);
        assert!(a.share.is_finite() && a.share >= 0.0, "seed {seed}");
        let mut weights = 0.0;
        for s in &a.sub_scores {
            if let Some(v) = s.score {
                assert!(within_0_100(v), "seed {seed}: {} {} {v}", a.key, s.id);
            }
            assert!(s.weight.is_finite() && s.weight >= 0.0, "seed {seed}");
            weights += s.weight;
            assert!(!s.reason_en.is_empty() && !s.reason_de.is_empty());
            assert!(!s.reason_de.contains(".."), "seed {seed}: {}", s.reason_de);
        }
        assert!(
            (weights - 1.0).abs() < 1e-9,
            "seed {seed}: weights {weights}"
        );
        for silence in &a.timeline.silences {
            assert!(within_0_100(silence.score) && silence.minutes > 0.0);
        }
    }
    if let Some(r) = &report.replies {
        assert!(within_0_100(r.score), "seed {seed}: replies {}", r.score);
    }
    for f in &report.findings {
        assert!(
            f.impact.is_finite() && f.impact >= 0.0,
            "seed {seed}: {} impact {}",
            f.code,
            f.impact
        );
        assert!(!f.text_en.is_empty() && !f.text_de.is_empty());
        assert!(!f.text_de.contains(".."), "seed {seed}: {}", f.text_de);
    }
}

#[test]
fn generated_incidents_stay_within_bounds() {
    for seed in 0..400 {
        let input = generated(seed);
        check_bounds(seed, &score(&input));
    }
}

#[test]
fn same_input_in_any_order_gives_the_same_report() {
    for seed in 0..150 {
        let input = generated(seed);
        let first = score(&input);
        assert_eq!(first, score(&input), "seed {seed}: repeated");
        let mut shuffled = input.clone();
        shuffled.messages.reverse();
        shuffled.mentions.reverse();
        let mut dice = Dice(seed | 1);
        for i in (1..shuffled.messages.len()).rev() {
            let j = dice.below(i as u64 + 1) as usize;
            shuffled.messages.swap(i, j);
        }
        assert_eq!(first, score(&shuffled), "seed {seed}: shuffled");
    }
}

#[test]
fn an_incident_without_audiences_has_no_score() {
    let input = incident(Severity::Sev2, at(10, 0), Some(at(11, 0)), &[], Vec::new());
    let report = score(&input);
    assert_eq!(report.score, None);
    assert!(report.audiences.is_empty());
}
