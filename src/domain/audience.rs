use serde::{Deserialize, Serialize};

use super::incident::Severity;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Audience {
    pub id: i64,
    pub key: String,
    pub name_en: String,
    pub name_de: String,
    /// Staff of the organisation (employees, IT, management) rather than customers or the public.
    pub internal: bool,
    /// Readers without IT background: jargon is flagged for them.
    pub lay: bool,
    /// Share of this audience in the incident's timeliness score (SCORING §1).
    pub weight: f64,
    pub position: i32,
}

impl Audience {
    pub fn name(&self, lang: &str) -> &str {
        if lang == "de" {
            &self.name_de
        } else {
            &self.name_en
        }
    }
}

/// Targets in minutes that the team promised itself for one severity and audience (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PolicyTargets {
    #[schema(minimum = 1, maximum = 10080)]
    pub first_message_min: i32,
    #[schema(minimum = 1, maximum = 10080)]
    pub update_interval_min: i32,
    #[schema(minimum = 1, maximum = 10080)]
    pub all_clear_min: i32,
    #[schema(minimum = 1, maximum = 10080)]
    pub reply_target_min: i32,
}

impl PolicyTargets {
    /// The organisation defaults of SPEC §2; sev4 shares sev3's targets as in SCORING §1.
    pub fn default_for(severity: Severity) -> Self {
        let (first, interval, all_clear, reply) = match severity {
            Severity::Sev1 => (15, 30, 15, 30),
            Severity::Sev2 => (30, 60, 30, 60),
            Severity::Sev3 | Severity::Sev4 => (60, 120, 60, 120),
        };
        Self {
            first_message_min: first,
            update_interval_min: interval,
            all_clear_min: all_clear,
            reply_target_min: reply,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        let all = [
            self.first_message_min,
            self.update_interval_min,
            self.all_clear_min,
            self.reply_target_min,
        ];
        if all.iter().any(|m| !(1..=10_080).contains(m)) {
            return Err("targets must be between 1 minute and 7 days (10080 minutes)".into());
        }
        Ok(())
    }
}

/// The default audiences of SPEC §2: (key, English, German, internal, lay, weight).
pub const DEFAULT_AUDIENCES: &[(&str, &str, &str, bool, bool, f64)] = &[
    (
        "employees",
        "IT users / employees",
        "IT-Nutzende / Mitarbeitende",
        true,
        true,
        0.25,
    ),
    ("it_teams", "IT teams", "IT-Teams", true, false, 0.2),
    (
        "management",
        "Management",
        "Geschäftsleitung",
        true,
        false,
        0.15,
    ),
    (
        "customers",
        "Customers",
        "Kundinnen und Kunden",
        false,
        true,
        0.4,
    ),
    (
        "partners",
        "Partners & suppliers",
        "Partner & Lieferanten",
        false,
        false,
        0.2,
    ),
    (
        "public",
        "Public / social media",
        "Öffentlichkeit / Social Media",
        false,
        true,
        0.4,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sev1_defaults_match_the_spec() {
        let p = PolicyTargets::default_for(Severity::Sev1);
        assert_eq!(
            (p.first_message_min, p.update_interval_min, p.all_clear_min),
            (15, 30, 15)
        );
        let p = PolicyTargets::default_for(Severity::Sev3);
        assert_eq!(
            (p.first_message_min, p.update_interval_min, p.all_clear_min),
            (60, 120, 60)
        );
    }

    #[test]
    fn zero_minute_targets_are_refused() {
        let mut p = PolicyTargets::default_for(Severity::Sev2);
        p.update_interval_min = 0;
        assert!(p.validate().is_err());
    }
}
