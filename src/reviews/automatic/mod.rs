//! The automatic parts of a review, as Markdown: "expected" from the communication policy that
//! applied, "actual" from the timeline and the scorecard, "stakeholder perception" from the
//! survey results. Pure: the service gathers the facts, these functions write the text.

mod actual;
mod perception;

pub use actual::{ActualFacts, BrokenPromise, ClarityNote, FirstMessage, Gap, actual};
pub use perception::{AudiencePerception, PerceptionFacts, perception};

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use crate::domain::{PolicyTargets, Severity};

/// Times as the review's reader sees them: clock time in the organisation's zone, with the
/// date when it is not the day the incident was detected.
pub struct Clock {
    pub tz: Tz,
    pub lang: &'static str,
    pub day: NaiveDate,
}

impl Clock {
    pub fn new(tz: Tz, lang: &'static str, detected_at: NaiveDateTime) -> Self {
        let day = crate::domain::time::utc_to_local(detected_at, tz).date_naive();
        Self { tz, lang, day }
    }

    fn at(&self, utc: NaiveDateTime) -> String {
        let local = crate::domain::time::utc_to_local(utc, self.tz);
        if local.date_naive() == self.day {
            local.format("%H:%M").to_string()
        } else if self.lang == "de" {
            local.format("%d.%m. %H:%M").to_string()
        } else {
            local.format("%-d %b %H:%M").to_string()
        }
    }
}

fn tr(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::interpolate(
        &crate::i18n::translate(lang, &format!("review.auto.{key}")),
        args,
    )
}

/// Text from the incident's data, made inert as Markdown (it is shown as written).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn whole(x: f64) -> String {
    format!("{:.0}", x.round())
}

fn score(x: Option<f64>) -> String {
    x.map(whole).unwrap_or_else(|| "–".into())
}

/// The targets of one affected audience.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyLine {
    pub audience: String,
    pub targets: PolicyTargets,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedFacts {
    pub severity: Severity,
    pub lines: Vec<PolicyLine>,
    /// Some targets were set for this incident rather than taken from the organisation's policy.
    pub overridden: bool,
}

pub fn expected(f: &ExpectedFacts, lang: &str) -> String {
    if f.lines.is_empty() {
        return tr(lang, "expected_none", &[]);
    }
    let severity = crate::i18n::translate(lang, &format!("severity.{}", f.severity));
    let mut out = tr(lang, "expected_intro", &[("severity", severity)]);
    if f.overridden {
        out.push(' ');
        out.push_str(&tr(lang, "expected_override", &[]));
    }
    out.push_str("\n\n");
    for line in &f.lines {
        let t = &line.targets;
        out.push_str("- ");
        out.push_str(&tr(
            lang,
            "expected_line",
            &[
                ("audience", plain(&line.audience)),
                ("first", t.first_message_min.to_string()),
                ("interval", t.update_interval_min.to_string()),
                ("all_clear", t.all_clear_min.to_string()),
                ("reply", t.reply_target_min.to_string()),
            ],
        ));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&tr(lang, "expected_channels", &[]));
    out
}

/// Times and a clock for the tests of this module and its parts.
#[cfg(test)]
mod samples {
    use super::*;

    pub fn t(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("time")
    }

    pub fn clock(lang: &'static str) -> Clock {
        Clock::new(chrono_tz::Europe::Zurich, lang, t(7, 30))
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{clock, t};
    use super::*;

    #[test]
    fn expected_lists_the_targets_of_each_affected_audience() {
        let f = ExpectedFacts {
            severity: Severity::Sev2,
            lines: vec![PolicyLine {
                audience: "Management".into(),
                targets: PolicyTargets::default_for(Severity::Sev2),
            }],
            overridden: false,
        };
        let en = expected(&f, "en");
        assert!(en.contains("SEV2"), "{en}");
        assert!(
            en.contains("**Management**: first message within 30 min of detection; an update at least every 60 min; the all-clear within 30 min of resolution; replies to complaints within 60 min."),
            "{en}"
        );
        let de = expected(&f, "de");
        assert!(de.contains("innerhalb von 30 Min."), "{de}");
        assert!(!de.contains("review.auto"), "{de}");
        let none = expected(&ExpectedFacts { lines: vec![], ..f }, "en");
        assert!(none.contains("no affected audience"), "{none}");
    }

    #[test]
    fn times_on_later_days_carry_their_date() {
        let c = clock("de");
        assert_eq!(c.at(t(9, 0)), "10:00");
        let next_day = t(9, 0) + chrono::Duration::days(1);
        assert_eq!(c.at(next_day), "11.03. 10:00");
        assert_eq!(clock("en").at(next_day), "11 Mar 10:00");
    }

    #[test]
    fn incident_data_is_inert_markdown() {
        assert_eq!(
            plain("<b>*x*</b> [l](j)"),
            "\\<b\\>\\*x\\*\\</b\\> \\[l\\](j)"
        );
    }
}
