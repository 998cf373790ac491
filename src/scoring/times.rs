//! Time expressions in message texts ("14:30", "15.30 Uhr", "3 p.m. ET", "in 30 minutes",
//! "alle zwei Stunden", "morgen 08:00 Uhr", "Friday", "2021-07-15 14:00 US/Pacific") and their
//! resolution to an absolute UTC time from the moment the message was sent.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use regex::{Captures, Regex};

use crate::domain::time::{local_to_utc, utc_to_local};

/// What a time expression says, before it is placed on the calendar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeValue {
    /// A clock time, on the day `day_offset` days after the day the message was sent (or on a
    /// weekday), in an explicit zone when the text names one.
    Clock {
        hour: u32,
        minute: u32,
        day: DayRef,
        zone: Option<Tz>,
    },
    /// A date and time written out ("2021-07-15 14:00").
    DateTime { at: NaiveDateTime, zone: Option<Tz> },
    /// "in 30 minutes", "within the hour", "ca. 45–60 Min." (the upper bound).
    After { minutes: i64 },
    /// "every 30 minutes", "alle zwei Stunden": the first update is one interval away.
    Every { minutes: i64 },
    /// A day without a clock time ("Friday", "morgen früh"): by the end of that part of the day.
    Day { day: DayRef, by_hour: u32 },
}

/// A day relative to the message's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRef {
    /// As many days after the sending day (0 today, 1 tomorrow).
    Offset(i64),
    /// The next such weekday after the sending day (today counts when the day is still ahead).
    Next(Weekday),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeExpression {
    pub start: usize,
    pub end: usize,
    pub value: TimeValue,
}

const NUMBER_WORDS: &[(&str, i64)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("ein", 1),
    ("eine", 1),
    ("einer", 1),
    ("einem", 1),
    ("two", 2),
    ("zwei", 2),
    ("three", 3),
    ("drei", 3),
    ("four", 4),
    ("vier", 4),
    ("five", 5),
    ("fünf", 5),
    ("six", 6),
    ("sechs", 6),
    ("ten", 10),
    ("zehn", 10),
    ("fifteen", 15),
    ("fünfzehn", 15),
    ("twenty", 20),
    ("zwanzig", 20),
    ("thirty", 30),
    ("dreißig", 30),
    ("dreissig", 30),
    ("48", 48),
];

const UNIT: &str = r"(?:minutes?|minuten|mins?(?-u:\b)\.?|min(?-u:\b)|hours?|hrs?(?-u:\b)|stunden?|std(?-u:\b)\.?|h(?-u:\b)|days?|tagen?|tage|weeks?|wochen?)";
const COUNT: &str = r"(?:\d{1,3}(?:\s?[–-]\s?\d{1,3})?|a|an|one|two|three|four|five|six|ten|fifteen|twenty|thirty|ein|eine|einer|einem|zwei|drei|vier|fünf|sechs|zehn|fünfzehn|zwanzig|dreißig|dreissig|half an|einer halben|eine halbe)";
const ZONE: &str = r"(?:utc|gmt|bst|cet|cest|mez|mesz|et|est|edt|pt|pst|pdt|[a-z]+/[a-z_]+)";
const DAY: &str = r"(?:(?-u:\b)(?:today|tonight|tomorrow|heute|morgen|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)|übermorgen)";
const PART: &str =
    r"(?:morning|afternoon|evening|night|früh|vormittag|mittag|nachmittag|abend|morgen)";

static EXPRESSION: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?ix)
        (?:{DAY}(?-u:\b),?\s*)?(?P<iso>(?-u:\b)\d{{4}}-\d{{2}}-\d{{2}})[\sT]+(?P<iso_h>\d{{1,2}}):(?P<iso_m>\d{{2}})(?:\s*(?P<iso_zone>{ZONE})(?-u:\b))?
        | (?:(?P<day>{DAY})(?-u:\b)\s*,?\s*(?:(?P<part>{PART})(?-u:\b)\s*)?(?:(?:um|at|by|bis|gegen|ab)\s+)?)?
          (?:
            (?P<h>(?-u:\b)\d{{1,2}})[:.](?P<m>\d{{2}})(?-u:\b)(?:\s?(?P<suffix>a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b)|uhr(?-u:\b)|h(?-u:\b)))?
            | (?P<h2>(?-u:\b)\d{{1,2}})\s?(?P<suffix2>a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b)|uhr(?-u:\b))
            | (?P<noon>(?-u:\b)noon(?-u:\b)|(?-u:\b)midnight(?-u:\b)|(?-u:\b)mittag(?-u:\b)|(?-u:\b)mitternacht(?-u:\b))
          )
          (?:\s?(?P<zone>{ZONE})(?-u:\b))?
        | (?P<every>(?-u:\b)(?:every|alle|jede|jeden|jede\s+halbe)\s+(?P<every_n>{COUNT})?\s*(?P<every_unit>{UNIT}))
        | (?P<within_hour>(?-u:\b)within\s+the\s+(?:next\s+)?hour(?-u:\b)|(?-u:\b)innerhalb\s+der\s+nächsten\s+stunde(?-u:\b))
        | (?P<after>(?:(?-u:\b)(?:in|within|innerhalb\s+von|innerhalb|binnen|eta|nach)\s+)(?:the\s+next\s+|den\s+nächsten\s+)?(?:~\s?|ca\.\s?|about\s+|approx\.\s?|etwa\s+|around\s+)?(?P<after_n>{COUNT})\s*(?P<after_unit>{UNIT}))
        | (?P<approx>(?:~\s?|(?-u:\b)ca\.\s?|(?-u:\b)about\s+|(?-u:\b)approx\.\s?|(?-u:\b)etwa\s+)(?P<approx_n>\d{{1,3}}(?:\s?[–-]\s?\d{{1,3}})?)\s*(?P<approx_unit>{UNIT}))
        | (?P<bare_day>{DAY})(?-u:\b)(?:\s+(?P<bare_part>{PART})(?-u:\b))?
        "
    );
    Regex::new(&pattern).expect("time expression pattern is valid")
});

/// Every time expression in `text`, in order.
pub fn find(text: &str) -> Vec<TimeExpression> {
    EXPRESSION
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let value = value_of(&c)?;
            Some(TimeExpression {
                start: whole.start(),
                end: whole.end(),
                value,
            })
        })
        .collect()
}

fn value_of(c: &Captures) -> Option<TimeValue> {
    let text = |name: &str| c.name(name).map(|m| m.as_str().to_lowercase());
    if let Some(date) = text("iso") {
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?;
        let time = NaiveTime::from_hms_opt(
            text("iso_h")?.parse().ok()?,
            text("iso_m")?.parse().ok()?,
            0,
        )?;
        return Some(TimeValue::DateTime {
            at: date.and_time(time),
            zone: text("iso_zone").and_then(|z| zone(&z)),
        });
    }
    if c.name("h").is_some() || c.name("h2").is_some() || c.name("noon").is_some() {
        let (mut hour, minute, suffix) = if let Some(noon) = text("noon") {
            let hour = if noon.starts_with("mid") || noon == "mitternacht" {
                24
            } else {
                12
            };
            (hour, 0, None)
        } else if let Some(h) = text("h") {
            (h.parse().ok()?, text("m")?.parse().ok()?, text("suffix"))
        } else {
            (text("h2")?.parse().ok()?, 0, text("suffix2"))
        };
        match suffix.as_deref() {
            Some("p.m.") | Some("pm") if hour < 12 => hour += 12,
            Some("a.m.") | Some("am") if hour == 12 => hour = 0,
            _ => {}
        }
        if hour > 24 || minute > 59 {
            return None;
        }
        let day = text("day").map_or(DayRef::Offset(0), |d| day_ref(&d));
        return Some(TimeValue::Clock {
            hour,
            minute,
            day,
            zone: text("zone").and_then(|z| zone(&z)),
        });
    }
    if c.name("every").is_some() {
        let unit = text("every_unit")?;
        let n = match text("every_n") {
            Some(n) => count(&n)?,
            None => 1,
        };
        let whole = text("every")?;
        let minutes = n * unit_minutes(&unit)?;
        // "jede halbe Stunde": half of the unit.
        let minutes = if whole.contains("halbe") {
            minutes / 2
        } else {
            minutes
        };
        return Some(TimeValue::Every { minutes });
    }
    if c.name("within_hour").is_some() {
        return Some(TimeValue::After { minutes: 60 });
    }
    if c.name("after").is_some() {
        let minutes = count(&text("after_n")?)? * unit_minutes(&text("after_unit")?)?;
        let minutes = if text("after_n")?.contains("hal") {
            minutes / 2
        } else {
            minutes
        };
        return Some(TimeValue::After { minutes });
    }
    if c.name("approx").is_some() {
        let minutes = count(&text("approx_n")?)? * unit_minutes(&text("approx_unit")?)?;
        return Some(TimeValue::After { minutes });
    }
    let day = text("bare_day")?;
    let part = text("bare_part");
    // "heute" alone names no time; "heute Abend" does.
    if matches!(day.as_str(), "today" | "heute") && part.is_none() {
        return None;
    }
    Some(TimeValue::Day {
        day: day_ref(&day),
        by_hour: part.as_deref().map_or(24, part_deadline),
    })
}

/// A count, a range (its upper bound: "2–3 Tage" is kept when it takes three) or a number word.
fn count(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some((_, upper)) = text.split_once(['–', '-']) {
        return upper.trim().parse().ok();
    }
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    if text.starts_with("half") || text.contains("halbe") {
        return Some(1);
    }
    NUMBER_WORDS
        .iter()
        .find(|(word, _)| *word == text)
        .map(|&(_, n)| n)
}

fn unit_minutes(unit: &str) -> Option<i64> {
    let unit = unit.trim_end_matches('.');
    Some(match unit {
        u if u.starts_with("min") => 1,
        u if u.starts_with("hour")
            || u.starts_with("hr")
            || u.starts_with("stunde")
            || u == "std"
            || u == "h" =>
        {
            60
        }
        u if u.starts_with("day") || u.starts_with("tag") => 24 * 60,
        u if u.starts_with("week") || u.starts_with("woche") => 7 * 24 * 60,
        _ => return None,
    })
}

fn day_ref(day: &str) -> DayRef {
    let weekday = match day {
        "monday" | "montag" => Some(Weekday::Mon),
        "tuesday" | "dienstag" => Some(Weekday::Tue),
        "wednesday" | "mittwoch" => Some(Weekday::Wed),
        "thursday" | "donnerstag" => Some(Weekday::Thu),
        "friday" | "freitag" => Some(Weekday::Fri),
        "saturday" | "samstag" => Some(Weekday::Sat),
        "sunday" | "sonntag" => Some(Weekday::Sun),
        _ => None,
    };
    if let Some(w) = weekday {
        return DayRef::Next(w);
    }
    match day {
        "tomorrow" => DayRef::Offset(1),
        "übermorgen" => DayRef::Offset(2),
        // "heute Morgen" is this morning; "morgen" alone or "morgen früh" is tomorrow.
        "morgen" => DayRef::Offset(1),
        _ => DayRef::Offset(0),
    }
}

/// "by tomorrow morning" is kept when the update comes before noon.
fn part_deadline(part: &str) -> u32 {
    match part {
        "morning" | "früh" | "vormittag" | "morgen" | "mittag" => 12,
        "afternoon" | "nachmittag" => 17,
        _ => 22,
    }
}

fn zone(name: &str) -> Option<Tz> {
    let iana = match name {
        "utc" | "gmt" => "UTC",
        "bst" => "Europe/London",
        "cet" | "cest" | "mez" | "mesz" => "Europe/Berlin",
        "et" | "est" | "edt" => "America/New_York",
        "pt" | "pst" | "pdt" => "America/Los_Angeles",
        other => {
            return chrono_tz::TZ_VARIANTS
                .iter()
                .find(|tz| tz.name().eq_ignore_ascii_case(other))
                .copied();
        }
    };
    iana.parse().ok()
}

/// The absolute UTC time an expression names, for a message sent at `sent_at` (UTC) by someone
/// in `tz`. A clock time already past on the sending day ("8:30" in a message of 22:00) is the
/// next day's.
pub fn resolve(value: TimeValue, sent_at: NaiveDateTime, tz: Tz) -> Option<NaiveDateTime> {
    match value {
        TimeValue::After { minutes } | TimeValue::Every { minutes } => {
            Some(sent_at + Duration::minutes(minutes))
        }
        TimeValue::DateTime { at, zone } => Some(local_to_utc(at, zone.unwrap_or(tz))),
        TimeValue::Clock {
            hour,
            minute,
            day,
            zone,
        } => {
            let zone = zone.unwrap_or(tz);
            let local_sent = utc_to_local(sent_at, zone).naive_local();
            let date = on_day(
                local_sent.date(),
                day,
                Some((hour, minute)),
                local_sent.time(),
            );
            let mut local = date.and_hms_opt(0, 0, 0)?
                + Duration::hours(i64::from(hour))
                + Duration::minutes(i64::from(minute));
            if day == DayRef::Offset(0) && local + Duration::hours(1) < local_sent {
                local += Duration::days(1);
            }
            Some(local_to_utc(local, zone))
        }
        TimeValue::Day { day, by_hour } => {
            let local_sent = utc_to_local(sent_at, tz).naive_local();
            let date = on_day(local_sent.date(), day, None, local_sent.time());
            let local = date.and_hms_opt(0, 0, 0)? + Duration::hours(i64::from(by_hour));
            Some(local_to_utc(local, tz))
        }
    }
}

fn on_day(sent: NaiveDate, day: DayRef, clock: Option<(u32, u32)>, now: NaiveTime) -> NaiveDate {
    match day {
        DayRef::Offset(n) => sent + Duration::days(n),
        DayRef::Next(weekday) => {
            let ahead = (i64::from(weekday.num_days_from_monday())
                - i64::from(sent.weekday().num_days_from_monday()))
            .rem_euclid(7);
            let still_today =
                ahead == 0 && clock.is_some_and(|(h, m)| (h, m) > (now.hour(), now.minute()));
            if ahead == 0 && !still_today {
                sent + Duration::days(7)
            } else {
                sent + Duration::days(ahead)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn zurich() -> Tz {
        "Europe/Zurich".parse().expect("zone")
    }

    /// 2026-03-10 (a Tuesday) at 12:00 in Zurich is 11:00 UTC.
    fn sent() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(11, 0, 0))
            .expect("date")
    }

    fn utc(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|x| x.and_hms_opt(h, m, 0))
            .expect("date")
    }

    fn first(text: &str) -> (String, Option<NaiveDateTime>) {
        let e = find(text).into_iter().next().expect("a time expression");
        (
            text[e.start..e.end].to_string(),
            resolve(e.value, sent(), zurich()),
        )
    }

    #[test]
    fn clock_times_in_german_and_english() {
        assert_eq!(
            first("Nächstes Update um 14:30."),
            ("14:30".into(), Some(utc(10, 13, 30)))
        );
        assert_eq!(
            first("wir geben um 16.45 Uhr Bescheid"),
            ("16.45 Uhr".into(), Some(utc(10, 15, 45)))
        );
        assert_eq!(
            first("bis 15 Uhr melden wir uns"),
            ("15 Uhr".into(), Some(utc(10, 14, 0)))
        );
        assert_eq!(
            first("Expect our next note by 5 p.m."),
            ("5 p.m.".into(), Some(utc(10, 16, 0)))
        );
        assert_eq!(
            first("we'll write again by 2pm"),
            ("2pm".into(), Some(utc(10, 13, 0)))
        );
    }

    #[test]
    fn named_zones_override_the_organisation_zone() {
        // 16:20 BST is 15:20 UTC in summer; on 10 March London is on GMT.
        assert_eq!(first("More news by 16:20 BST").1, Some(utc(10, 16, 20)));
        assert_eq!(first("at 18:00 UTC").1, Some(utc(10, 18, 0)));
        assert_eq!(first("by 3 p.m. ET").1, Some(utc(10, 19, 0)));
    }

    #[test]
    fn relative_times_and_intervals() {
        assert_eq!(first("Neuer Stand in 30 Minuten.").1, Some(utc(10, 11, 30)));
        assert_eq!(first("next update in 30 minutes").1, Some(utc(10, 11, 30)));
        assert_eq!(
            first("We will report within the hour").1,
            Some(utc(10, 12, 0))
        );
        assert_eq!(
            first("wir informieren alle drei Stunden").1,
            Some(utc(10, 14, 0))
        );
        assert_eq!(
            first("Die Auswertung folgt in drei Wochen").1,
            Some(utc(31, 11, 0))
        );
        assert_eq!(first("ETA 25 min").1, Some(utc(10, 11, 25)));
        assert_eq!(first("Dauer ca. 30–40 Min.").1, Some(utc(10, 11, 40)));
    }

    #[test]
    fn days_tomorrow_and_weekdays() {
        assert_eq!(
            first("Wir berichten morgen 07:15 Uhr."),
            ("morgen 07:15 Uhr".into(), Some(utc(11, 6, 15)))
        );
        assert_eq!(first("tomorrow at 9:00").1, Some(utc(11, 8, 0)));
        // Friday after Tuesday the 10th is the 13th; by the end of the day.
        assert_eq!(first("Summary report on Friday").1, Some(utc(13, 23, 0)));
        assert_eq!(first("wieder morgen früh").1, Some(utc(11, 11, 0)));
        assert!(find("seit heute sind wir da").is_empty());
    }

    #[test]
    fn google_cloud_style_date_and_zone() {
        let (text, at) = first("next update by Thursday, 2021-07-15 14:00 US/Pacific");
        assert_eq!(text, "Thursday, 2021-07-15 14:00 US/Pacific");
        assert_eq!(
            at,
            NaiveDate::from_ymd_opt(2021, 7, 15).and_then(|d| d.and_hms_opt(21, 0, 0))
        );
    }

    #[test]
    fn a_time_already_past_is_the_next_day() {
        // Sent at 12:00 local; "9:40" means tomorrow morning.
        assert_eq!(
            first("We'll brief you again at 9:40").1,
            Some(utc(11, 8, 40))
        );
    }

    #[test]
    fn counts_are_not_times() {
        assert!(find("2.310 Anrufe, 4 Standorte, 15 % der Kunden").is_empty());
    }
}
