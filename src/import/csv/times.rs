//! Times as people write them in tables.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::vocab::shown;
use crate::domain::time::local_to_utc;

const TIME_EXAMPLE: &str = "is not a time like 2026-03-10 14:05 or 10.03.2026 14:05";

/// A time as written: with an offset it is an instant, without one a wall-clock time in the
/// import's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) date: NaiveDate,
    pub(super) time: NaiveTime,
    /// Seconds east of UTC, when the text gave an offset.
    pub(super) offset: Option<i64>,
}

impl Stamp {
    pub(super) fn to_utc(self, tz: Tz) -> NaiveDateTime {
        let naive = self.date.and_time(self.time);
        match self.offset {
            Some(secs) => naive - Duration::seconds(secs),
            None => local_to_utc(naive, tz),
        }
    }
}

/// `2026-03-10T07:42:00+01:00`, `2026-03-10 07:42`, `2026/03/10 07:42`, `10.03.2026 07:42`,
/// `10.03.26 07:42`, `1.3.2026 7:42`, each with optional seconds, fraction, offset and `Uhr`.
pub(super) fn parse_stamp(raw: &str) -> Option<Stamp> {
    let s = raw.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '/')))?;
    let date = parse_date(&s[..split])?;
    let rest = &s[split..];
    let rest = match rest.strip_prefix(['T', 't']) {
        Some(r) => r,
        None => rest.trim_start_matches([' ', ',']),
    };
    let (time, offset) = parse_clock(rest)?;
    Some(Stamp { date, time, offset })
}

pub(super) fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// A date alone: ISO with `-` or `/` (year first), or German with dots (day first). US dates
/// (`03/10/2026`) are refused: nobody can tell March from October.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let sep = ['-', '/', '.'].into_iter().find(|&c| s.contains(c))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if sep == '.' {
        let year = match c.len() {
            2 => 2000 + i32::try_from(digits(c, 2, 2)?).ok()?,
            _ => i32::try_from(digits(c, 4, 4)?).ok()?,
        };
        (year, digits(b, 1, 2)?, digits(a, 1, 2)?)
    } else {
        (
            i32::try_from(digits(a, 4, 4)?).ok()?,
            digits(b, 1, 2)?,
            digits(c, 1, 2)?,
        )
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `7:42`, `07:42:05`, `07:42:05.123`, each with an optional offset (`Z`, `+01:00`, `+0100`,
/// `UTC`) and an optional trailing `Uhr`.
pub(super) fn parse_clock(s: &str) -> Option<(NaiveTime, Option<i64>)> {
    let s = strip_uhr(s.trim());
    let hour_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let hour = digits(&s[..hour_len], 1, 2)?;
    let rest = s[hour_len..].strip_prefix(':')?;
    let minute = digits(rest.get(..2)?, 2, 2)?;
    let mut rest = &rest[2..];
    let mut second = 0;
    let mut nanos = 0;
    if let Some(r) = rest.strip_prefix(':') {
        second = digits(r.get(..2)?, 2, 2)?;
        rest = &r[2..];
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let len = r.bytes().take_while(u8::is_ascii_digit).count();
            let fraction = digits(&r[..len], 1, 9)?;
            nanos = fraction * 10u32.pow(u32::try_from(9 - len).ok()?);
            rest = &r[len..];
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some((time, parse_offset(rest.trim())?))
}

/// `14:05 Uhr` is how German speakers write times.
pub(super) fn strip_uhr(s: &str) -> &str {
    let cut = s.len().saturating_sub(3);
    match s.get(cut..) {
        Some(tail) if tail.eq_ignore_ascii_case("uhr") => s[..cut].trim_end(),
        _ => s,
    }
}

/// Some(None) for no offset, None for text that is not an offset.
pub(super) fn parse_offset(s: &str) -> Option<Option<i64>> {
    if s.is_empty() {
        return Some(None);
    }
    if ["z", "utc", "gmt"]
        .iter()
        .any(|z| s.eq_ignore_ascii_case(z))
    {
        return Some(Some(0));
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    if !rest.is_ascii() {
        return None;
    }
    let (hours, minutes) = match rest.len() {
        2 => (digits(rest, 2, 2)?, 0),
        4 => (digits(&rest[..2], 2, 2)?, digits(&rest[2..], 2, 2)?),
        5 if rest.as_bytes()[2] == b':' => (digits(&rest[..2], 2, 2)?, digits(&rest[3..], 2, 2)?),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(Some(sign * i64::from(hours * 3600 + minutes * 60)))
}

/// Why a cell is not a time, with a hint for the one mistake that cannot be guessed away.
pub(super) fn time_reason(raw: &str) -> String {
    let first = raw.trim().split('/').next().unwrap_or_default();
    if raw.contains('/') && first.len() <= 2 && first.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "'{}' is ambiguous (month/day or day/month?); write it like 2026-03-10 14:05 or \
             10.03.2026 14:05",
            shown(raw)
        )
    } else {
        format!("'{}' {TIME_EXAMPLE}", shown(raw))
    }
}
