//! The due dates of a person's improvement actions as an iCalendar feed (RFC 5545): one all-day
//! event per open or in-progress action with a due date, for a calendar app to subscribe to.

use chrono::NaiveDateTime;

use super::model::{Action, Priority};

/// RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks are escaped in TEXT values.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF and a space), never inside a
/// character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 PRIORITY: 1 highest, 5 medium, 9 lowest.
fn priority(p: Priority) -> u8 {
    match p {
        Priority::High => 1,
        Priority::Medium => 5,
        Priority::Low => 9,
    }
}

/// `base_url`'s host makes the event ids unique across installations. `generated_at` is every
/// event's DTSTAMP: with METHOD:PUBLISH, RFC 5545 (3.8.7.2) wants the time the calendar was made,
/// while LAST-MODIFIED carries the action's own last change.
pub fn feed(
    actions: &[Action],
    base_url: &str,
    calendar_name: &str,
    generated_at: NaiveDateTime,
) -> String {
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "debrief.local".into());
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Debrief//Improvement actions//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", text(calendar_name)),
    ] {
        fold(&line, &mut out);
    }
    for a in actions.iter().filter(|a| a.status.is_active()) {
        let Some(due) = a.due_date else { continue };
        let next = due.succ_opt().unwrap_or(due);
        let mut description = a.description.clone();
        if let Some(k) = &a.incident_key {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(k);
        }
        let url = format!("{base_url}/actions/{}", a.id);
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:action-{}@{host}", a.id),
            format!("DTSTAMP:{}", stamp(generated_at)),
            format!("LAST-MODIFIED:{}", stamp(a.updated_at)),
            format!("DTSTART;VALUE=DATE:{}", due.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
            format!("SUMMARY:{}", text(&a.title)),
            format!("URL:{url}"),
            format!("CATEGORIES:{}", text(a.category.as_str())),
            format!("PRIORITY:{}", priority(a.priority)),
            "TRANSP:TRANSPARENT".to_string(),
        ];
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", text(&description)));
        }
        lines.push("END:VEVENT".to_string());
        for line in lines {
            fold(&line, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::model::ActionStatus;
    use super::super::model::samples::action;
    use super::*;

    #[test]
    fn escaping_and_folding_follow_rfc_5545() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        fold(&"ä".repeat(50), &mut out);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert!(lines[1].starts_with(' '));
        assert_eq!(out.replace("\r\n ", ""), format!("{}\r\n", "ä".repeat(50)));
    }

    #[test]
    fn one_all_day_event_per_active_dated_action() {
        let mut due = action(3, ActionStatus::InProgress, Some("2026-04-30"));
        due.title = "SMS-Vorlage überarbeiten, mit Checkliste; für alle Standorte".into();
        let feed = feed(
            &[
                due,
                action(4, ActionStatus::Done, Some("2026-04-01")),
                action(5, ActionStatus::Open, None),
            ],
            "https://debrief.firma.ch",
            "Debrief",
            chrono::NaiveDate::from_ymd_opt(2026, 4, 2)
                .and_then(|d| d.and_hms_opt(6, 30, 0))
                .expect("time"),
        );
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(
            feed.contains("DTSTAMP:20260402T063000Z\r\n"),
            "stamped with the feed's time"
        );
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 1);
        assert!(feed.contains("UID:action-3@debrief.firma.ch\r\n"));
        assert!(feed.contains("DTSTART;VALUE=DATE:20260430\r\nDTEND;VALUE=DATE:20260501\r\n"));
        assert!(feed.replace("\r\n ", "").contains(
            "SUMMARY:SMS-Vorlage überarbeiten\\, mit Checkliste\\; für alle Standorte\r\n"
        ));
    }
}
