//! The one place where local wall-clock times meet stored UTC times.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const DEFAULT_TIME_ZONE: &str = "Europe/Zurich";

pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!("'{name}' is not a time zone of the IANA database, e.g. Europe/Zurich")
    })
}

/// A wall-clock time in `tz` as UTC. In the autumn hour that happens twice the earlier one is
/// taken; a time skipped by the spring change is moved forward by the gap, as clocks do.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc).naive_utc(),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc).naive_utc(),
        LocalResult::None => {
            let shifted = local + chrono::Duration::hours(1);
            local_to_utc(shifted, tz)
        }
    }
}

pub fn utc_to_local(utc: NaiveDateTime, tz: Tz) -> DateTime<Tz> {
    Utc.from_utc_datetime(&utc).with_timezone(&tz)
}

/// Parses the value of an `<input type="datetime-local">` (with or without seconds).
pub fn parse_form_datetime(value: &str) -> Result<Option<NaiveDateTime>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(value, format) {
            return Ok(Some(t));
        }
    }
    Err(format!(
        "'{value}' is not a date and time like 2026-03-10T07:42"
    ))
}

/// The one parser for timestamps in files and API bodies: RFC 3339 with any offset to UTC, or a
/// zone-less `YYYY-MM-DD[T ]HH:MM[:SS[.f]]` read as wall-clock time in `zone`.
pub fn parse_timestamp(raw: &str, zone: Tz) -> Result<NaiveDateTime, String> {
    let s = raw.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.naive_utc());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(local_to_utc(t, zone));
        }
    }
    let shown: String = s.chars().take(60).collect();
    Err(format!(
        "'{shown}' is not an RFC 3339 time such as 2026-03-10T06:42:00Z"
    ))
}

pub fn format_rfc3339(utc: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|x| x.and_hms_opt(h, mi, 0))
            .expect("valid")
    }

    #[test]
    fn zurich_winter_and_summer_offsets() {
        let tz = parse_zone("Europe/Zurich").expect("zone");
        assert_eq!(
            local_to_utc(t(2026, 3, 10, 7, 42), tz),
            t(2026, 3, 10, 6, 42)
        );
        assert_eq!(
            local_to_utc(t(2026, 7, 10, 7, 42), tz),
            t(2026, 7, 10, 5, 42)
        );
    }

    #[test]
    fn dst_gaps_and_repeats() {
        let tz = parse_zone("Europe/Berlin").expect("zone");
        // 02:30 does not exist on 2026-03-29; it becomes 03:30 CEST = 01:30 UTC.
        assert_eq!(
            local_to_utc(t(2026, 3, 29, 2, 30), tz),
            t(2026, 3, 29, 1, 30)
        );
        // 02:30 happens twice on 2026-10-25; the first (CEST) is 00:30 UTC.
        assert_eq!(
            local_to_utc(t(2026, 10, 25, 2, 30), tz),
            t(2026, 10, 25, 0, 30)
        );
    }

    #[test]
    fn form_values() {
        assert_eq!(
            parse_form_datetime("2026-03-10T07:42").expect("ok"),
            Some(t(2026, 3, 10, 7, 42))
        );
        assert_eq!(parse_form_datetime("").expect("ok"), None);
        assert!(parse_form_datetime("10.03.2026").is_err());
        assert!(parse_zone("Mars/Olympus").is_err());
    }
}

/// Stored UTC times written as RFC 3339 with `Z`, as the API documents them.
pub mod serde_utc {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_rfc3339(*v))
    }
}

/// Serde for optional UTC times in API bodies: RFC 3339 with any offset ("…Z", "…+01:00"), or a
/// zone-less "YYYY-MM-DDTHH:MM[:SS]" taken as UTC.
pub mod serde_utc_opt {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Zone-less times in API bodies are UTC.
    pub fn parse(s: &str) -> Result<NaiveDateTime, String> {
        super::parse_timestamp(s, chrono_tz::UTC)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => parse(&s).map(Some).map_err(serde::de::Error::custom),
        }
    }

    pub fn serialize<S: Serializer>(v: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&super::format_rfc3339(*t)),
            None => s.serialize_none(),
        }
    }
}
