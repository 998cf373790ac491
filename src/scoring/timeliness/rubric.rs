//! The weights and zero points of SCORING §1. Targets come from the communication policy of each
//! audience; the rubric says how far past a target a measure may go before it scores nothing.
//! An organisation stores its overrides as JSON: every field left out keeps its default.

use serde::{Deserialize, Serialize};

use crate::domain::Severity;

#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    #[error("the timeliness rubric is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("timeliness rubric: {field} {problem}")]
    Invalid {
        field: &'static str,
        problem: &'static str,
    },
}

/// One value per severity; sev4 is listed on its own so an organisation can separate it from sev3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BySeverity<T> {
    pub sev1: T,
    pub sev2: T,
    pub sev3: T,
    pub sev4: T,
}

impl<T: Copy> BySeverity<T> {
    pub fn get(&self, severity: Severity) -> T {
        match severity {
            Severity::Sev1 => self.sev1,
            Severity::Sev2 => self.sev2,
            Severity::Sev3 => self.sev3,
            Severity::Sev4 => self.sev4,
        }
    }

    fn all(&self) -> [T; 4] {
        [self.sev1, self.sev2, self.sev3, self.sev4]
    }
}

/// Minutes at which a measure still earns full points (`target`) and at which it earns none.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetZero {
    pub target_min: f64,
    pub zero_min: f64,
}

/// The relative weights of the sub-scores; only their ratios matter because the weights of the
/// sub-scores that apply are renormalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimelinessWeights {
    pub first_message: f64,
    pub cadence: f64,
    pub commitments: f64,
    pub all_clear: f64,
    pub proactivity: f64,
    pub sequencing: f64,
    /// Share of the cadence weight handed to the replies score when the incident had mentions.
    pub replies_share_of_cadence: f64,
}

impl Default for TimelinessWeights {
    fn default() -> Self {
        Self {
            first_message: 30.0,
            cadence: 25.0,
            commitments: 15.0,
            all_clear: 15.0,
            proactivity: 10.0,
            sequencing: 5.0,
            replies_share_of_cadence: 0.5,
        }
    }
}

/// How the replies to inbound mentions are scored. The rubric names the measures; how they
/// combine is Debrief's choice: answering quickly matters most, copy-paste and a missing apology
/// where the crisis became known cost the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplyRubric {
    /// A first reply scores nothing at `zero_factor` × the reply target.
    pub zero_factor: f64,
    pub speed_weight: f64,
    pub personal_weight: f64,
    /// Applies only when the incident calls for an apology.
    pub apology_weight: f64,
    /// Two replies are copies of each other from this Jaccard similarity of their word shingles.
    pub near_identical_similarity: f64,
    pub shingle_words: usize,
    /// Above this share of replies that only send people to a private channel, an info finding.
    pub redirect_notice_share: f64,
}

impl Default for ReplyRubric {
    fn default() -> Self {
        Self {
            zero_factor: 4.0,
            speed_weight: 0.7,
            personal_weight: 0.15,
            apology_weight: 0.15,
            near_identical_similarity: 0.6,
            shingle_words: 3,
            redirect_notice_share: 0.5,
        }
    }
}

/// Honesty points a message loses when its stated ETA passed without a correction (SCORING §1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EtaPenalties {
    pub definitive: f64,
    pub hedged: f64,
}

impl Default for EtaPenalties {
    fn default() -> Self {
        Self {
            definitive: 10.0,
            hedged: 5.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimelinessRubric {
    pub weights: TimelinessWeights,
    /// T1: zero point = factor × the policy's first-message target (15/60, 30/120, 60/240).
    pub first_message_zero_factor: f64,
    /// T2: zero point = factor × the policy's update interval (30/90, 60/180, 120/360).
    pub cadence_zero_factor: f64,
    /// T4: zero point = factor × the policy's all-clear target (15/60, 30/120, 60/240).
    pub all_clear_zero_factor: f64,
    /// T2: silences starting this long after detection get relaxed targets, if a slower pace
    /// was announced.
    pub long_incident_after_min: f64,
    pub long_incident_factor: f64,
    /// T3: how late a promised update may come and still count as kept.
    pub commitment_grace_min: BySeverity<f64>,
    /// T5: target 0 (before the outside world noticed); zero point by severity.
    pub proactivity_zero_min: BySeverity<f64>,
    /// T6: internal first − external first.
    pub sequencing: BySeverity<TargetZero>,
    /// An audience whose first message came at or past the T1 zero point scores at most this.
    pub late_first_message_cap: f64,
    pub replies: ReplyRubric,
    pub eta_penalties: EtaPenalties,
}

impl Default for TimelinessRubric {
    fn default() -> Self {
        let tz = |target_min, zero_min| TargetZero {
            target_min,
            zero_min,
        };
        Self {
            weights: TimelinessWeights::default(),
            first_message_zero_factor: 4.0,
            cadence_zero_factor: 3.0,
            all_clear_zero_factor: 4.0,
            long_incident_after_min: 120.0,
            long_incident_factor: 2.0,
            commitment_grace_min: BySeverity {
                sev1: 5.0,
                sev2: 5.0,
                sev3: 10.0,
                sev4: 10.0,
            },
            proactivity_zero_min: BySeverity {
                sev1: 60.0,
                sev2: 120.0,
                sev3: 240.0,
                sev4: 240.0,
            },
            sequencing: BySeverity {
                sev1: tz(5.0, 60.0),
                sev2: tz(10.0, 120.0),
                sev3: tz(30.0, 240.0),
                sev4: tz(30.0, 240.0),
            },
            late_first_message_cap: 40.0,
            replies: ReplyRubric::default(),
            eta_penalties: EtaPenalties::default(),
        }
    }
}

impl TimelinessRubric {
    /// An organisation's stored overrides on top of the defaults, checked.
    pub fn from_json(json: &str) -> Result<Self, RubricError> {
        let rubric: Self = serde_json::from_str(json)?;
        rubric.validate()?;
        Ok(rubric)
    }

    pub fn validate(&self) -> Result<(), RubricError> {
        let invalid = |field, problem| Err(RubricError::Invalid { field, problem });
        let w = &self.weights;
        let weights = [
            w.first_message,
            w.cadence,
            w.commitments,
            w.all_clear,
            w.proactivity,
            w.sequencing,
        ];
        if weights.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return invalid("weights", "must be zero or more");
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return invalid("weights", "must not all be zero");
        }
        if !(0.0..=1.0).contains(&w.replies_share_of_cadence) {
            return invalid(
                "weights.replies_share_of_cadence",
                "must be between 0 and 1",
            );
        }
        for (field, factor) in [
            ("first_message_zero_factor", self.first_message_zero_factor),
            ("cadence_zero_factor", self.cadence_zero_factor),
            ("all_clear_zero_factor", self.all_clear_zero_factor),
            ("long_incident_factor", self.long_incident_factor),
            ("replies.zero_factor", self.replies.zero_factor),
        ] {
            if !factor.is_finite() || factor < 1.0 {
                return invalid(field, "must be at least 1");
            }
        }
        let minutes_ok = |m: f64| m.is_finite() && m >= 0.0;
        if !minutes_ok(self.long_incident_after_min) {
            return invalid("long_incident_after_min", "must be zero or more minutes");
        }
        if !self.commitment_grace_min.all().into_iter().all(minutes_ok) {
            return invalid("commitment_grace_min", "must be zero or more minutes");
        }
        if !self
            .proactivity_zero_min
            .all()
            .into_iter()
            .all(|m| m.is_finite() && m > 0.0)
        {
            return invalid("proactivity_zero_min", "must be more than zero minutes");
        }
        if !self.sequencing.all().into_iter().all(|s| {
            minutes_ok(s.target_min) && s.zero_min.is_finite() && s.zero_min > s.target_min
        }) {
            return invalid(
                "sequencing",
                "needs a target of zero or more and a later zero point",
            );
        }
        if !(0.0..=100.0).contains(&self.late_first_message_cap) {
            return invalid("late_first_message_cap", "must be between 0 and 100");
        }
        let r = &self.replies;
        let parts = [r.speed_weight, r.personal_weight, r.apology_weight];
        if parts.iter().any(|x| !x.is_finite() || *x < 0.0) || r.speed_weight <= 0.0 {
            return invalid(
                "replies",
                "weights must be zero or more, with a positive speed weight",
            );
        }
        if !(0.0..=1.0).contains(&r.near_identical_similarity)
            || !(0.0..=1.0).contains(&r.redirect_notice_share)
        {
            return invalid("replies", "shares and similarities must be between 0 and 1");
        }
        if !(1..=10).contains(&r.shingle_words) {
            return invalid("replies.shingle_words", "must be between 1 and 10");
        }
        let p = &self.eta_penalties;
        if [p.definitive, p.hedged]
            .iter()
            .any(|x| !(0.0..=100.0).contains(x))
        {
            return invalid("eta_penalties", "must be between 0 and 100 points");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PolicyTargets;

    #[test]
    fn defaults_reproduce_the_table_of_scoring_section_1() {
        let r = TimelinessRubric::default();
        r.validate().expect("defaults are valid");
        let expected = [
            // severity, T1 target/zero, T2 target/zero, T4 target/zero, T5 zero, T6 target/zero
            (Severity::Sev1, (15, 60), (30, 90), (15, 60), 60, (5, 60)),
            (
                Severity::Sev2,
                (30, 120),
                (60, 180),
                (30, 120),
                120,
                (10, 120),
            ),
            (
                Severity::Sev3,
                (60, 240),
                (120, 360),
                (60, 240),
                240,
                (30, 240),
            ),
            (
                Severity::Sev4,
                (60, 240),
                (120, 360),
                (60, 240),
                240,
                (30, 240),
            ),
        ];
        for (sev, t1, t2, t4, t5, t6) in expected {
            let p = PolicyTargets::default_for(sev);
            let f = |m: i32| f64::from(m);
            assert_eq!(
                (
                    f(p.first_message_min),
                    f(p.first_message_min) * r.first_message_zero_factor
                ),
                (f(t1.0), f(t1.1)),
                "T1 {sev}"
            );
            assert_eq!(
                (
                    f(p.update_interval_min),
                    f(p.update_interval_min) * r.cadence_zero_factor
                ),
                (f(t2.0), f(t2.1)),
                "T2 {sev}"
            );
            assert_eq!(
                (
                    f(p.all_clear_min),
                    f(p.all_clear_min) * r.all_clear_zero_factor
                ),
                (f(t4.0), f(t4.1)),
                "T4 {sev}"
            );
            assert_eq!(r.proactivity_zero_min.get(sev), f(t5), "T5 {sev}");
            let s = r.sequencing.get(sev);
            assert_eq!((s.target_min, s.zero_min), (f(t6.0), f(t6.1)), "T6 {sev}");
        }
        let w = &r.weights;
        assert_eq!(
            [
                w.first_message,
                w.cadence,
                w.commitments,
                w.all_clear,
                w.proactivity,
                w.sequencing
            ],
            [30.0, 25.0, 15.0, 15.0, 10.0, 5.0]
        );
        assert_eq!(r.commitment_grace_min.get(Severity::Sev2), 5.0);
        assert_eq!(r.commitment_grace_min.get(Severity::Sev4), 10.0);
    }

    #[test]
    fn overrides_keep_every_field_they_leave_out() {
        let r = TimelinessRubric::from_json(
            r#"{"weights": {"first_message": 40}, "late_first_message_cap": 30}"#,
        )
        .expect("valid override");
        assert_eq!(r.weights.first_message, 40.0);
        assert_eq!(r.weights.cadence, 25.0);
        assert_eq!(r.late_first_message_cap, 30.0);
        assert_eq!(r.cadence_zero_factor, 3.0);
        assert_eq!(r.replies, ReplyRubric::default());
    }

    #[test]
    fn nonsense_overrides_are_refused_with_the_field_named() {
        for (json, field) in [
            (r#"{"cadence_zero_factor": 0.5}"#, "cadence_zero_factor"),
            (r#"{"weights": {"cadence": -1}}"#, "weights"),
            (
                r#"{"sequencing": {"sev1": {"target_min": 60, "zero_min": 5}, "sev2": {"target_min": 10, "zero_min": 120}, "sev3": {"target_min": 30, "zero_min": 240}, "sev4": {"target_min": 30, "zero_min": 240}}}"#,
                "sequencing",
            ),
            (
                r#"{"replies": {"shingle_words": 0}}"#,
                "replies.shingle_words",
            ),
        ] {
            match TimelinessRubric::from_json(json) {
                Err(RubricError::Invalid { field: f, .. }) => assert_eq!(f, field, "{json}"),
                other => panic!("{json}: expected an invalid field, got {other:?}"),
            }
        }
        assert!(matches!(
            TimelinessRubric::from_json("{"),
            Err(RubricError::Json(_))
        ));
    }
}
