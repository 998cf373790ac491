//! How durations, clock times and channels are written in reasons and findings, in English and
//! German.

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use crate::domain::time::utc_to_local;
use crate::domain::{Channel, Severity};

/// "54 min", "2 h 5 min" / "54 Min.", "2 Std. 5 Min.". Below two hours minutes read best.
pub fn duration_en(minutes: f64) -> String {
    let (h, m) = hours_minutes(minutes);
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

pub fn duration_de(minutes: f64) -> String {
    let (h, m) = hours_minutes(minutes);
    match (h, m) {
        (0, m) => format!("{m} Min."),
        (h, 0) => format!("{h} Std."),
        (h, m) => format!("{h} Std. {m} Min."),
    }
}

fn hours_minutes(minutes: f64) -> (i64, i64) {
    let total = minutes.max(0.0).round() as i64;
    if total < 120 {
        (0, total)
    } else {
        (total / 60, total % 60)
    }
}

/// German abbreviations end in a full stop, so a sentence that ends with "15 Min." must not get
/// a second one.
pub fn tidy_de(text: String) -> String {
    if text.contains("..") {
        text.replace("Min..", "Min.").replace("Std..", "Std.")
    } else {
        text
    }
}

/// Clock times in the viewer's zone; the date is added only when it is not the local day of
/// detection, so most texts stay short.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    tz: Tz,
    day_of_detection: NaiveDate,
}

impl Clock {
    pub fn new(tz: Tz, detected_at: NaiveDateTime) -> Self {
        Self {
            tz,
            day_of_detection: utc_to_local(detected_at, tz).date_naive(),
        }
    }

    pub fn en(&self, t: NaiveDateTime) -> String {
        self.format(t, "%-d %b %H:%M")
    }

    pub fn de(&self, t: NaiveDateTime) -> String {
        self.format(t, "%d.%m. %H:%M")
    }

    pub fn range_en(&self, from: NaiveDateTime, to: NaiveDateTime) -> String {
        format!("{}–{}", self.en(from), self.en(to))
    }

    pub fn range_de(&self, from: NaiveDateTime, to: NaiveDateTime) -> String {
        format!("{}–{}", self.de(from), self.de(to))
    }

    fn format(&self, t: NaiveDateTime, with_date: &str) -> String {
        let local = utc_to_local(t, self.tz);
        if local.date_naive() == self.day_of_detection {
            local.format("%H:%M").to_string()
        } else {
            local.format(with_date).to_string()
        }
    }
}

/// "SEV1", as the UI writes it.
pub fn severity_label(severity: Severity) -> String {
    crate::i18n::translate("en", &format!("severity_short.{}", severity.as_str()))
}

/// The channel's UI label; in English lowered for the middle of a sentence unless it is an
/// abbreviation ("status page", "e-mail", "SMS").
pub fn channel_en(channel: Channel) -> String {
    let label = crate::i18n::translate("en", &format!("channel.{}", channel.as_str()));
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() || second == '-' => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label,
    }
}

pub fn channel_de(channel: Channel) -> String {
    crate::i18n::translate("de", &format!("channel.{}", channel.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|x| x.and_hms_opt(h, m, 0))
            .expect("valid")
    }

    #[test]
    fn durations_read_as_minutes_then_hours() {
        assert_eq!(duration_en(54.0), "54 min");
        assert_eq!(duration_en(119.6), "2 h");
        assert_eq!(duration_en(125.0), "2 h 5 min");
        assert_eq!(duration_de(54.2), "54 Min.");
        assert_eq!(duration_de(185.0), "3 Std. 5 Min.");
        assert_eq!(duration_de(-3.0), "0 Min.");
        assert_eq!(
            tidy_de(format!("Ziel {}.", duration_de(15.0))),
            "Ziel 15 Min."
        );
        assert_eq!(tidy_de(format!("{}.", duration_de(120.0))), "2 Std.");
    }

    #[test]
    fn clock_times_are_local_and_dated_only_on_other_days() {
        let tz: Tz = "Europe/Zurich".parse().expect("zone");
        let clock = Clock::new(tz, utc(10, 9, 4));
        assert_eq!(clock.en(utc(10, 9, 4)), "10:04");
        assert_eq!(clock.range_de(utc(10, 9, 4), utc(10, 9, 58)), "10:04–10:58");
        assert_eq!(clock.en(utc(11, 7, 30)), "11 Mar 08:30");
        assert_eq!(clock.de(utc(11, 7, 30)), "11.03. 08:30");
    }

    #[test]
    fn channel_and_severity_labels() {
        assert_eq!(channel_en(Channel::StatusPage), "status page");
        assert_eq!(channel_en(Channel::Email), "e-mail");
        assert_eq!(channel_en(Channel::Sms), "SMS");
        assert_eq!(channel_de(Channel::StatusPage), "Statusseite");
        assert_eq!(severity_label(Severity::Sev1), "SEV1");
    }
}
