//! cState status-page posts (Hugo Markdown with YAML front matter), as German public-sector
//! status pages publish them (SPEC §3). One post is one incident; its text and its update
//! headings are status-page messages to customers.
//!
//! The front matter is flat (`title`, `date`, `resolved`, `resolvedWhen`, `severity`,
//! `affected`, `informational`), so a small tolerant parser reads it instead of a YAML crate:
//! real posts have a blank line before `---`, commented-out keys, trailing spaces and invalid
//! dates, which a strict parser rejects as a whole.
//!
//! Times in cState are wall-clock times without offset; they are read in `ReadOptions::tz`.
//! `24:00:00` is read as 00:00 of the next day (ISO 8601 end of day). A value that is not a
//! calendar date (month 13) is dropped with a note; only an unusable `date` is an error.
//! `ImportedIncident` has no place for warnings, so such notes go to the incident summary,
//! where a reviewer sees and can fix them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::html::{html_to_text, looks_like_html};
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::incident::IncidentInput;
use crate::domain::time::local_to_utc;
use crate::domain::timeline::{EventInput, MessageInput};
use crate::text::{detect_language, detect_language_or};

const SOURCE: &str = "cstate";
const AUDIENCE: &str = "customers";
const AUTHOR: &str = "Status page";

/// True for a Markdown file whose front matter has the keys of a cState issue.
pub fn detect(file_name: &str, bytes: &[u8]) -> bool {
    let lower = file_name.to_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        return false;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(16 * 1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if !head.starts_with("---") {
        return false;
    }
    let has = |key: &str| head.lines().any(|l| l.trim_start().starts_with(key));
    has("date:") && (has("affected:") || has("severity:") || has("resolved:"))
}

/// Reads one cState post.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let file_error = |line: usize, field: &str, reason: String| {
        vec![ReadError {
            file: file_name.to_string(),
            line: Some(line),
            record: None,
            field: field.to_string(),
            reason,
        }]
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            return Err(file_error(
                line,
                "",
                format!("is not UTF-8 text (invalid byte at offset {at}); save the post as UTF-8"),
            ));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let doc = split(&text).map_err(|(line, reason)| file_error(line, "", reason.to_string()))?;
    let fm = &doc.front_matter;
    let tz = opts.tz;
    let mut notes: Vec<String> = Vec::new();

    let (date_raw, date_line) = match fm.text("date") {
        Some((raw, line)) => (raw.to_string(), line),
        None => {
            let line = fm.line_of("date").unwrap_or(doc.start_line);
            return Err(file_error(line, "date", "is missing".to_string()));
        }
    };
    let date = match parse_when(&date_raw) {
        Ok((when, hour24)) => {
            if hour24 {
                notes.push(format!(
                    "date '{date_raw}': 24:00 read as 00:00 of the next day"
                ));
            }
            when
        }
        Err(reason) => return Err(file_error(date_line, "date", reason)),
    };
    let date_utc = date.utc(tz);
    let post_day = date.local_date();

    let stem = file_stem(file_name);
    let title = match fm.text("title").map(|(t, _)| t.trim()) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => {
            notes.push("title is missing; the file name is used".to_string());
            stem.clone()
        }
    };
    let resolved = fm.text("resolved").and_then(|(v, _)| parse_bool(v)) == Some(true);
    let informational = fm.text("informational").and_then(|(v, _)| parse_bool(v)) == Some(true);
    let severity = match fm.text("severity").map(|(v, _)| v.trim().to_lowercase()) {
        Some(s) if s == "down" => "sev2",
        Some(s) if s == "disrupted" => "sev3",
        Some(s) if s.is_empty() || s == "notice" || s == "information" => "sev4",
        None => "sev4",
        Some(other) => {
            notes.push(format!(
                "severity '{other}' is not down, disrupted or notice; read as sev4"
            ));
            "sev4"
        }
    };
    let mut affected: Vec<String> = Vec::new();
    for name in fm.list("affected") {
        let name = name.trim();
        if !name.is_empty() && !affected.iter().any(|a| a == name) {
            affected.push(name.to_string());
        }
    }

    let mut parts = sections(&doc.body, doc.body_line, post_day);
    for p in &mut parts {
        if let Some(note) = p.note.take() {
            notes.push(note);
        }
    }
    let earliest_heading = parts.iter().filter_map(|p| p.when).map(|w| w.utc(tz)).min();
    let mut drafts: Vec<Draft> = Vec::new();
    let n = parts.len();
    for (i, part) in parts.iter().enumerate() {
        let body = part.body();
        match part.when {
            None => {
                // The opening text was written no later than the first update below it, even
                // when `date` (often the start of a planned maintenance) is later.
                let at = earliest_heading.map_or(date_utc, |e| e.min(date_utc));
                let body = if body.is_empty() && n == 1 {
                    title.clone()
                } else {
                    body
                };
                if !body.is_empty() {
                    drafts.push(Draft {
                        at,
                        order: 0,
                        line: part.line,
                        body,
                        external_id: stem.clone(),
                    });
                }
            }
            Some(when) if !body.is_empty() => {
                let at = when.utc(tz);
                drafts.push(Draft {
                    at,
                    // Files are newest-first: for equal times the lower one is older.
                    order: n - i,
                    line: part.line,
                    body,
                    external_id: format!("{stem}@{}", at.format("%Y-%m-%dT%H:%M:%SZ")),
                });
            }
            Some(_) => {}
        }
    }
    if drafts.is_empty() {
        drafts.push(Draft {
            at: date_utc,
            order: 0,
            line: doc.body_line,
            body: title.clone(),
            external_id: stem.clone(),
        });
    }
    drafts.sort_by_key(|d| (d.at, d.order));
    for i in 1..drafts.len() {
        let earlier = &drafts[..i];
        if earlier
            .iter()
            .any(|d| d.external_id == drafts[i].external_id)
        {
            drafts[i].external_id = format!("{}-{}", drafts[i].external_id, i + 1);
        }
    }

    let last = drafts.len() - 1;
    let last_is_resolution = resolved && last > 0 && says_resolved(&drafts[last].body);
    let detected_at = drafts[0].at.min(date_utc);
    let resolution_at = last_is_resolution.then(|| drafts[last].at);

    let resolved_at = if resolved {
        match fm.text("resolvedWhen") {
            None => resolution_at,
            Some((raw, _)) if raw.trim().is_empty() => resolution_at,
            Some((raw, _)) => match parse_when(raw) {
                Ok((when, hour24)) => {
                    if hour24 {
                        notes.push(format!(
                            "resolvedWhen '{raw}': 24:00 read as 00:00 of the next day"
                        ));
                    }
                    let at = when.utc(tz);
                    if at >= detected_at {
                        Some(at)
                    } else {
                        notes.push(format!(
                            "resolvedWhen '{raw}' is before the post's date; dropped{}",
                            fallback_note(resolution_at)
                        ));
                        resolution_at
                    }
                }
                Err(reason) => {
                    notes.push(format!(
                        "resolvedWhen dropped: {reason}{}",
                        fallback_note(resolution_at)
                    ));
                    resolution_at
                }
            },
        }
    } else {
        None
    };

    let loc = |line: usize| Location {
        file: file_name.to_string(),
        line: Some(line),
        record: None,
    };
    let mut imported = ImportedIncident {
        source: Some(SOURCE.to_string()),
        external_id: Some(stem.clone()),
        ..Default::default()
    };
    let mut all_text = title.clone();
    for d in &drafts {
        all_text.push('\n');
        all_text.push_str(&d.body);
    }
    let language = detect_language(&all_text);
    for (i, d) in drafts.into_iter().enumerate() {
        let kind = match i {
            0 => "initial",
            _ if i == last && last_is_resolution => "resolution",
            _ => "update",
        };
        let (body, body_html) = if looks_like_html(&d.body) {
            (html_to_text(&d.body), Some(d.body))
        } else {
            (d.body, None)
        };
        imported.messages.push(Located {
            at: loc(d.line),
            value: ImportedMessage {
                message: MessageInput {
                    sent_at: Some(d.at),
                    audiences: vec![AUDIENCE.to_string()],
                    channel: "status_page".to_string(),
                    platform: None,
                    author: AUTHOR.to_string(),
                    subject: None,
                    language: detect_language_or(&body, language).as_str().to_string(),
                    body,
                    body_html,
                    kind: kind.to_string(),
                    in_reply_to: None,
                    next_update_at: None,
                    eta_at: None,
                    source: Some(SOURCE.to_string()),
                    external_id: Some(d.external_id),
                },
                in_reply_to_external: None,
            },
        });
    }
    imported.events.push(Located {
        at: loc(date_line),
        value: event(detected_at, "detected", &format!("Posted: {title}"), &stem),
    });
    if let Some(at) = resolved_at {
        let line = fm.line_of("resolvedWhen").unwrap_or(date_line);
        imported.events.push(Located {
            at: loc(line),
            value: event(at, "resolved", "Marked resolved on the status page", &stem),
        });
    }
    imported.events.sort_by_key(|e| e.value.occurred_at);

    let summary = if notes.is_empty() {
        String::new()
    } else {
        format!("Import notes: {}", notes.join("; "))
    };
    imported.incident = Some(IncidentInput {
        key: incident_key(post_day, &stem),
        title,
        kind: if informational { "other" } else { "it_outage" }.to_string(),
        severity: severity.to_string(),
        status: if resolved { "closed" } else { "open" }.to_string(),
        language: language.as_str().to_string(),
        started_at: None,
        detected_at: Some(detected_at),
        resolved_at,
        summary,
        affected_services: affected,
        audiences: vec![AUDIENCE.to_string()],
        apology_expected: false,
    });
    Ok(vec![imported])
}

fn fallback_note(resolution_at: Option<NaiveDateTime>) -> String {
    match resolution_at {
        Some(at) => format!(
            "; the time of the closing update ({}) is used",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        None => "; no resolution time".to_string(),
    }
}

fn event(at: NaiveDateTime, kind: &str, description: &str, stem: &str) -> EventInput {
    EventInput {
        occurred_at: Some(at),
        kind: kind.to_string(),
        description: description.to_string(),
        source: Some(SOURCE.to_string()),
        external_id: Some(format!("{stem}:{kind}")),
    }
}

struct Draft {
    at: NaiveDateTime,
    order: usize,
    line: usize,
    body: String,
    external_id: String,
}

/// The file name without folders and extension: cState has no ids, and the post's file name is
/// what stays the same when it is edited.
fn file_stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base
        .strip_suffix(".md")
        .or_else(|| base.strip_suffix(".markdown"))
        .unwrap_or(base);
    stem.to_string()
}

/// "CS-" + the post's local date + a short hash of the file name, so two posts of one day differ.
fn incident_key(day: NaiveDate, stem: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(stem.as_bytes());
    let short: String = hash.iter().take(3).map(|b| format!("{b:02X}")).collect();
    format!("CS-{}-{short}", day.format("%Y%m%d"))
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => Some(true),
        "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The last update says the service is back.
fn says_resolved(text: &str) -> bool {
    const CUES: &[&str] = &[
        "wieder erreichbar",
        "wieder verfügbar",
        "wieder möglich",
        "wieder nutzbar",
        "wieder online",
        "wieder wie gewohnt",
        "wieder hergestellt",
        "wiederhergestellt",
        "funktioniert wieder",
        "behoben",
        "gelöst",
        "beendet",
        "abgeschlossen",
        "entwarnung",
        "is back",
        "are back",
        "back online",
        "back to normal",
        "resolved",
        "restored",
        "fixed",
        "operating normally",
    ];
    let lower = text.to_lowercase();
    CUES.iter().any(|c| lower.contains(c))
}

// ---------------------------------------------------------------------------------------------
// Front matter

enum FmValue {
    Text(String),
    List(Vec<String>),
}

struct Entry {
    key: String,
    value: FmValue,
    line: usize,
}

#[derive(Default)]
struct FrontMatter {
    entries: Vec<Entry>,
}

impl FrontMatter {
    /// The last value of a key wins, as Hugo does with repeated keys.
    fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }

    fn text(&self, key: &str) -> Option<(&str, usize)> {
        match self.entry(key) {
            Some(Entry {
                value: FmValue::Text(t),
                line,
                ..
            }) => Some((t.as_str(), *line)),
            _ => None,
        }
    }

    fn list(&self, key: &str) -> Vec<&str> {
        match self.entry(key).map(|e| &e.value) {
            Some(FmValue::List(items)) => items.iter().map(String::as_str).collect(),
            Some(FmValue::Text(t)) => vec![t.as_str()],
            None => Vec::new(),
        }
    }

    fn line_of(&self, key: &str) -> Option<usize> {
        self.entry(key).map(|e| e.line)
    }
}

struct Document {
    front_matter: FrontMatter,
    /// Line of the opening `---`.
    start_line: usize,
    body: String,
    /// Line of the first body line.
    body_line: usize,
}

fn split(text: &str) -> Result<Document, (usize, &'static str)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let open = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .ok_or((1, "is empty"))?;
    if lines[open].trim_end() != "---" {
        return Err((open + 1, "does not start with a front matter block (`---`)"));
    }
    let close = (open + 1..lines.len())
        .find(|&j| matches!(lines[j].trim_end(), "---" | "..."))
        .ok_or((open + 1, "front matter is not closed by `---`"))?;
    let mut fm = FrontMatter::default();
    let mut list_owner: Option<usize> = None;
    for (j, raw) in lines.iter().enumerate().take(close).skip(open + 1) {
        let line = j + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| (trimmed == "-").then_some(""));
        if let Some(item) = item {
            if let Some(owner) = list_owner {
                let value = unquote(strip_comment(item.trim()));
                match &mut fm.entries[owner].value {
                    FmValue::List(items) => items.push(value),
                    FmValue::Text(_) => fm.entries[owner].value = FmValue::List(vec![value]),
                }
            }
            continue;
        }
        let Some(colon) = key_colon(trimmed) else {
            continue;
        };
        let key = trimmed[..colon].trim().to_string();
        let rest = strip_comment(trimmed[colon + 1..].trim());
        let value = if rest.is_empty() {
            FmValue::List(Vec::new())
        } else if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            FmValue::List(
                inner
                    .split(',')
                    .map(|s| unquote(s.trim()))
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else {
            FmValue::Text(unquote(rest))
        };
        let empty = matches!(&value, FmValue::List(items) if items.is_empty());
        fm.entries.push(Entry { key, value, line });
        list_owner = empty.then(|| fm.entries.len() - 1);
    }
    let body = lines[close + 1..].join("\n");
    Ok(Document {
        front_matter: fm,
        start_line: open + 1,
        body,
        body_line: close + 2,
    })
}

/// The `:` that ends a YAML key: followed by a space or the end of the line.
fn key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| {
        bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) && i > 0
    })
}

/// Drops a ` # comment` after an unquoted value, or anything after a closing quote.
fn strip_comment(value: &str) -> &str {
    let value = value.trim();
    if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut escaped = false;
        let mut chars = value.char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            if q == '"' && c == '\\' && !escaped {
                escaped = true;
                continue;
            }
            if c == q && !escaped {
                // '' inside single quotes is an escaped quote, not the end.
                if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    continue;
                }
                return &value[..i + 1];
            }
            escaped = false;
        }
        return value;
    }
    match value.find(" #").or_else(|| value.find("\t#")) {
        Some(i) => value[..i].trim_end(),
        None => value,
    }
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        return out;
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        return v[1..v.len() - 1].replace("''", "'");
    }
    v.to_string()
}

// ---------------------------------------------------------------------------------------------
// Times

/// A time as written: a wall-clock time (most cState posts) or one with an offset.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Local(NaiveDateTime),
    Utc(NaiveDateTime),
}

impl When {
    fn utc(self, tz: Tz) -> NaiveDateTime {
        match self {
            When::Local(t) => local_to_utc(t, tz),
            When::Utc(t) => t,
        }
    }

    fn local_date(self) -> NaiveDate {
        match self {
            When::Local(t) | When::Utc(t) => t.date(),
        }
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            s: s.as_bytes(),
            i: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i - start < max && self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i - start < min {
            self.i = start;
            return None;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|b| b == b' ' || b == b'\t') {
            self.i += 1;
        }
    }

    fn rest(&self) -> &'a [u8] {
        &self.s[self.i.min(self.s.len())..]
    }
}

/// `HH:MM[:SS[.fff]]` after the cursor; None (cursor unchanged) when absent.
fn clock(c: &mut Cursor) -> Option<(u32, u32, u32)> {
    let start = c.i;
    let parsed = (|| {
        let h = c.number(1, 2)?;
        if !c.eat(b':') {
            return None;
        }
        let m = c.number(2, 2)?;
        let mut s = 0;
        if c.peek() == Some(b':') {
            c.i += 1;
            s = c.number(2, 2)?;
            if c.eat(b'.') {
                c.number(1, 9)?;
            }
        }
        Some((h, m, s))
    })();
    if parsed.is_none() {
        c.i = start;
    }
    parsed
}

/// A calendar date and a time of day; 24:00:00 is the next day's midnight.
fn build(
    y: u32,
    mo: u32,
    d: u32,
    (h, mi, s): (u32, u32, u32),
) -> Result<(NaiveDateTime, bool), String> {
    let year = i32::try_from(y).map_err(|_| format!("year {y} is out of range"))?;
    let date = NaiveDate::from_ymd_opt(year, mo, d).ok_or_else(|| {
        if !(1..=12).contains(&mo) {
            format!("month {mo} does not exist")
        } else {
            format!("day {d} does not exist in {year}-{mo:02}")
        }
    })?;
    if h == 24 && mi == 0 && s == 0 {
        return Ok((date.and_time(NaiveTime::MIN) + Duration::days(1), true));
    }
    let time = NaiveTime::from_hms_opt(h, mi, s)
        .ok_or_else(|| format!("{h:02}:{mi:02}:{s:02} is not a time of day"))?;
    Ok((date.and_time(time), false))
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH:MM]`. The bool says 24:00 was rolled over.
fn parse_when(raw: &str) -> Result<(When, bool), String> {
    let s = raw.trim();
    let shown: String = s.chars().take(40).collect();
    let bad = || format!("'{shown}' is not a date and time like 2025-01-21T09:30:00");
    let mut c = Cursor::new(s);
    let y = c.number(4, 4).ok_or_else(bad)?;
    let mo = (c.eat(b'-').then(|| c.number(1, 2)).flatten()).ok_or_else(bad)?;
    let d = (c.eat(b'-').then(|| c.number(1, 2)).flatten()).ok_or_else(bad)?;
    let mut hms = (0, 0, 0);
    if c.eat(b'T') || c.eat(b't') || c.peek() == Some(b' ') {
        c.skip_spaces();
        if c.peek().is_some() {
            hms = clock(&mut c).ok_or_else(bad)?;
        }
    }
    c.skip_spaces();
    let offset_minutes: Option<i64> = match c.peek() {
        None => None,
        Some(b'Z' | b'z') => {
            c.i += 1;
            Some(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c.number(2, 2).ok_or_else(bad)?;
            c.eat(b':');
            let om = c.number(2, 2).ok_or_else(bad)?;
            let total = i64::from(oh * 60 + om);
            Some(if sign == b'-' { -total } else { total })
        }
        Some(_) => return Err(bad()),
    };
    c.skip_spaces();
    if !c.rest().is_empty() {
        return Err(bad());
    }
    let (t, hour24) = build(y, mo, d, hms).map_err(|reason| format!("'{shown}': {reason}"))?;
    let when = match offset_minutes {
        Some(m) => When::Utc(t - Duration::minutes(m)),
        None => When::Local(t),
    };
    Ok((when, hour24))
}

/// The time an update heading starts with, and the heading's remaining text. Accepts
/// `2025-01-21T18:00:00 - Text`, `2022-09-19 23:59`, `Update 01.09.2022 11:00`,
/// `Aktualisierung vom 08.09.2022 08:40`, `19.10.2022 - 17:30 Uhr`, `Update 30.08.2022` (start
/// of that day), `Update 11:26 Uhr` and `20:40` (on the post's day). Headings that merely
/// mention a time later ("Wartung am 28.12.2022 von 10:00 …") are section titles, not updates.
fn heading_stamp(text: &str, post_day: NaiveDate) -> Option<(When, String)> {
    let mut s = text.trim();
    for prefix in ["update", "aktualisierung", "nachtrag", "stand", "edit"] {
        if s.get(..prefix.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        {
            s = s[prefix.len()..].trim_start_matches([' ', ':', '-']);
            for word in ["vom ", "von ", "am ", "um "] {
                if s.get(..word.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(word))
                {
                    s = s[word.len()..].trim_start();
                }
            }
            break;
        }
    }
    let mut c = Cursor::new(s);
    let local = if let Some(y) = c.number(4, 4) {
        let mo = c.eat(b'-').then(|| c.number(1, 2)).flatten()?;
        let d = c.eat(b'-').then(|| c.number(1, 2)).flatten()?;
        let mut hms = (0, 0, 0);
        if c.eat(b'T') || c.peek() == Some(b' ') {
            c.skip_spaces();
            if let Some(t) = clock(&mut c) {
                hms = t;
            }
        }
        build(y, mo, d, hms).ok()?.0
    } else if let Some(first) = c.number(1, 2) {
        if c.eat(b':') {
            let m = c.number(2, 2)?;
            let s = if c.eat(b':') { c.number(2, 2)? } else { 0 };
            let year = post_day.year_ce().1;
            build(year, post_day.month(), post_day.day(), (first, m, s))
                .ok()?
                .0
        } else if c.eat(b'.') {
            let mo = c.number(1, 2)?;
            if !c.eat(b'.') {
                return None;
            }
            let y = match c.number(2, 4) {
                Some(y) if y < 100 => y + 2000,
                Some(y) => y,
                None => post_day.year_ce().1,
            };
            let save = c.i;
            c.skip_spaces();
            while c.eat(b'-') || c.eat(b',') || c.rest().starts_with("–".as_bytes()) {
                if c.rest().starts_with("–".as_bytes()) {
                    c.i += "–".len();
                }
                c.skip_spaces();
            }
            if c.rest().starts_with(b"um ") {
                c.i += 3;
            }
            let hms = match clock(&mut c) {
                Some(t) => t,
                None => {
                    c.i = save;
                    (0, 0, 0)
                }
            };
            build(y, mo, first, hms).ok()?.0
        } else {
            return None;
        }
    } else {
        return None;
    };
    // "2022-06-03T0000" or "10:00:00:00" are not stamps we understand.
    if c.peek()
        .is_some_and(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return None;
    }
    let mut rest = std::str::from_utf8(c.rest()).ok()?.trim_start();
    if rest.get(..3).is_some_and(|u| u.eq_ignore_ascii_case("uhr")) {
        rest = &rest[3..];
    }
    let rest = rest
        .trim_start_matches([' ', ':', '-', '–', '—'])
        .trim()
        .to_string();
    Some((When::Local(local), rest))
}

// ---------------------------------------------------------------------------------------------
// Body

/// The text before the first update heading, or one update.
struct Part<'a> {
    when: Option<When>,
    heading_rest: String,
    lines: Vec<&'a str>,
    line: usize,
    note: Option<String>,
}

impl Part<'_> {
    fn body(&self) -> String {
        let text = self
            .lines
            .iter()
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        let text = text.trim();
        match (self.heading_rest.is_empty(), text.is_empty()) {
            (true, _) => text.to_string(),
            (false, true) => self.heading_rest.clone(),
            (false, false) => format!("{}\n\n{text}", self.heading_rest),
        }
    }
}

fn sections(body: &str, first_line: usize, post_day: NaiveDate) -> Vec<Part<'_>> {
    let mut parts = vec![Part {
        when: None,
        heading_rest: String::new(),
        lines: Vec::new(),
        line: first_line,
        note: None,
    }];
    let mut in_fence = false;
    for (i, line) in body.split('\n').enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        let is_heading =
            !in_fence && (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']);
        if is_heading && let Some((when, rest)) = heading_stamp(&trimmed[hashes..], post_day) {
            parts.push(Part {
                when: Some(when),
                heading_rest: rest,
                lines: Vec::new(),
                line: first_line + i,
                note: None,
            });
            continue;
        }
        if let Some(last) = parts.last_mut() {
            if last.lines.is_empty() && last.when.is_none() && line.trim().is_empty() {
                last.line = first_line + i + 1;
                continue;
            }
            last.lines.push(line);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn utc(s: &str) -> NaiveDateTime {
        crate::domain::time::serde_utc_opt::parse(s).expect("test time")
    }

    fn berlin() -> ReadOptions {
        ReadOptions {
            tz: chrono_tz::Europe::Berlin,
            ..Default::default()
        }
    }

    fn read_one(name: &str, text: &str) -> ImportedIncident {
        let mut got = read(name, text.as_bytes(), &berlin()).expect("reads");
        assert_eq!(got.len(), 1);
        got.remove(0)
    }

    const DIRTY: &str = "\n---\ntitle: \"Ausfall: Dateiablage\" # comment\ndate: 2023-05-24T08:00:00   \nresolved: true\nresolvedWhen: 2023-05-24 08:30:00 \n# severity: down\nseverity: disrupted   \n# informational: true\naffected:\n  - Dateiablage\n  - 'LernSax'\n  - Dateiablage\nsection: issue\n---\n\nDer Dienst ist nicht erreichbar. Wir arbeiten an der Behebung.\n\n## 2023-05-24T08:30:00 - Dateiablage ist wieder erreichbar\n\nUrsache war ein Update.\n\n## 2023-05-24T08:10:00\n\nWir haben die Ursache gefunden.\n";

    #[test]
    fn dirty_front_matter_and_newest_first_headings() {
        let imp = read_one("posts/2023-05-24-Ausfall.md", DIRTY);
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.title, "Ausfall: Dateiablage");
        assert_eq!(inc.severity, "sev3");
        assert_eq!(inc.kind, "it_outage");
        assert_eq!(inc.status, "closed");
        assert_eq!(inc.language, "de");
        assert_eq!(inc.affected_services, vec!["Dateiablage", "LernSax"]);
        // 08:00 in Berlin summer time is 06:00 UTC.
        assert_eq!(inc.detected_at, Some(utc("2023-05-24T06:00:00Z")));
        assert_eq!(inc.resolved_at, Some(utc("2023-05-24T06:30:00Z")));
        assert!(inc.key.starts_with("CS-20230524-"), "{}", inc.key);
        assert!(inc.summary.is_empty());
        assert_eq!(imp.external_id.as_deref(), Some("2023-05-24-Ausfall"));
        assert_eq!(imp.source.as_deref(), Some("cstate"));
        let msgs: Vec<_> = imp.messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(
            msgs.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            ["initial", "update", "resolution"]
        );
        assert_eq!(
            msgs.iter().map(|m| m.sent_at).collect::<Vec<_>>(),
            [
                Some(utc("2023-05-24T06:00:00Z")),
                Some(utc("2023-05-24T06:10:00Z")),
                Some(utc("2023-05-24T06:30:00Z"))
            ]
        );
        assert_eq!(
            msgs[2].body,
            "Dateiablage ist wieder erreichbar\n\nUrsache war ein Update."
        );
        assert!(
            msgs.iter()
                .all(|m| m.language == "de" && m.channel == "status_page")
        );
        assert_eq!(imp.messages[0].at.line, Some(17));
        assert_eq!(imp.messages[2].at.line, Some(19));
        let events: Vec<_> = imp.events.iter().map(|e| e.value.kind.as_str()).collect();
        assert_eq!(events, ["detected", "resolved"]);
    }

    #[test]
    fn winter_time_and_informational_posts() {
        let text = "---\ntitle: Wartung\ndate: 2022-01-03 07:00:00\nresolved: false\ninformational: true\naffected: [Moodle, \"SchulCMS\"]\n---\nWartung am Montag.";
        let imp = read_one("w.md", text);
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.detected_at, Some(utc("2022-01-03T06:00:00Z")));
        assert_eq!(inc.kind, "other");
        assert_eq!(inc.severity, "sev4");
        assert_eq!(inc.status, "open");
        assert_eq!(inc.resolved_at, None);
        assert_eq!(inc.affected_services, vec!["Moodle", "SchulCMS"]);
    }

    #[test]
    fn hour_24_is_next_midnight_and_month_13_is_dropped() {
        let h24 = "---\ntitle: Router\ndate: 2023-06-01T17:00:00\nresolved: true\nresolvedWhen: 2023-06-01T24:00:00\n---\nUpdate.";
        let inc = read_one("a.md", h24).incident.expect("incident");
        assert_eq!(inc.resolved_at, Some(utc("2023-06-01T22:00:00Z")));
        assert!(inc.summary.contains("24:00"), "{}", inc.summary);

        let m13 = "---\ntitle: LernSax\ndate: 2022-12-26T00:00:00\nresolved: true\nresolvedWhen: 2022-13-26T00:00:00\n---\nWartung.";
        let inc = read_one("b.md", m13).incident.expect("incident");
        assert_eq!(inc.resolved_at, None);
        assert_eq!(inc.status, "closed");
        assert!(inc.summary.contains("month 13"), "{}", inc.summary);
    }

    #[test]
    fn unusable_date_is_an_error_with_line_and_field() {
        let text = "---\ntitle: X\ndate: 2022-13-01T10:00:00\n---\nText";
        let e = read("x.md", text.as_bytes(), &berlin()).expect_err("bad date");
        assert_eq!((e[0].line, e[0].field.as_str()), (Some(3), "date"));
        assert!(e[0].reason.contains("month 13"));
        let e = read("x.md", b"---\ntitle: X\n---\nText", &berlin()).expect_err("no date");
        assert_eq!(e[0].field, "date");
        let e = read("x.md", b"no front matter", &berlin()).expect_err("no fm");
        assert!(e[0].reason.contains("front matter"));
        let e = read("x.md", b"---\ndate: 2022-01-01\n", &berlin()).expect_err("open fm");
        assert!(e[0].reason.contains("not closed"));
        let e = read("x.md", b"---\ntitle: St\xf6rung\n---\n", &berlin()).expect_err("latin-1");
        assert_eq!(e[0].line, Some(2));
        assert!(e[0].reason.contains("UTF-8"));
    }

    #[test]
    fn heading_formats() {
        let day = NaiveDate::from_ymd_opt(2022, 9, 29).expect("day");
        let local =
            |s: &str| When::Local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("t"));
        let cases = [
            (
                " 2025-01-21T18:00:00 - NC ist wieder erreichbar",
                Some((local("2025-01-21 18:00"), "NC ist wieder erreichbar")),
            ),
            (" 2022-09-19 23:59", Some((local("2022-09-19 23:59"), ""))),
            (
                " Update 01.09.2022 11:00",
                Some((local("2022-09-01 11:00"), "")),
            ),
            (" Update 30.08.2022", Some((local("2022-08-30 00:00"), ""))),
            (
                " Aktualisierung vom 08.09.2022 08:40",
                Some((local("2022-09-08 08:40"), "")),
            ),
            (
                " 19.10.2022 - 17:30 Uhr",
                Some((local("2022-10-19 17:30"), "")),
            ),
            (
                " Update 27.08.2022 10:00 Uhr:",
                Some((local("2022-08-27 10:00"), "")),
            ),
            (" Update 8:30 Uhr ", Some((local("2022-09-29 08:30"), ""))),
            (" 20:40", Some((local("2022-09-29 20:40"), ""))),
            (" Wartung am 28.12.2022 von ca. 10:00 bis 14:00 Uhr", None),
            (" Hinweise für SuS", None),
            (" Update", None),
            (" 2022-13-01 10:00", None),
        ];
        for (text, want) in cases {
            let got = heading_stamp(text, day);
            let want = want.map(|(w, r)| (w, r.to_string()));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn empty_body_uses_title_and_detect() {
        let text = "---\ntitle: Start von status.schullogin.de \ndate: 2021-12-15 10:00:00 \nresolved: true\nresolvedWhen: 2021-12-15 10:00:00 \nseverity: information\naffected:\n  - Anmeldung\n\n\nsection: issue\n---\n\n \n";
        let imp = read_one("start.md", text);
        assert_eq!(imp.messages.len(), 1);
        assert_eq!(
            imp.messages[0].value.message.body,
            "Start von status.schullogin.de"
        );
        assert!(detect("start.md", text.as_bytes()));
        assert!(!detect("start.txt", text.as_bytes()));
        assert!(!detect("readme.md", b"# Readme\n"));
    }

    #[test]
    fn truncated_and_odd_input_never_panics() {
        let odd = "---\ntitle: 'It''s \"odd\"' # c\ndate: 2022-03-27T02:30:00+01:00\naffected: [a, 'b']\nresolved: yes\n---\n## Update 31.02.2022 25:99\n## 10.10. – 9:05 Uhr: – kurz\n```\n## 12:00 in code\n```\n### ~~\n";
        for text in [DIRTY, odd] {
            for (i, _) in text.char_indices() {
                let _ = read("p.md", &text.as_bytes()[..i], &berlin());
            }
        }
        let imp = read_one("odd.md", odd);
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.title, "It's \"odd\"");
        assert_eq!(inc.detected_at, Some(utc("2022-03-27T01:30:00Z")));
        assert_eq!(inc.affected_services, vec!["a", "b"]);
        // The heading inside the code block is text, not an update.
        assert!(
            imp.messages
                .iter()
                .any(|m| m.value.message.body.contains("12:00 in code"))
        );
    }

    fn real_dir() -> Option<PathBuf> {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/real/cstate_de_schullogin"
        ));
        if dir.is_dir() {
            Some(dir.to_path_buf())
        } else {
            eprintln!(
                "skipped: real data not found at {} (tests read it from ../shared/data/real)",
                dir.display()
            );
            None
        }
    }

    /// The severity a post declares, found the simple way: an uncommented `severity:` line.
    fn grep_severity(text: &str) -> &'static str {
        let value = text
            .lines()
            .map(str::trim_end)
            .find_map(|l| l.strip_prefix("severity:"))
            .map(|v| v.trim().to_string());
        match value.as_deref() {
            Some("down") => "sev2",
            Some("disrupted") => "sev3",
            _ => "sev4",
        }
    }

    #[test]
    fn all_real_cstate_posts() {
        let Some(dir) = real_dir() else { return };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 60);
        let opts = berlin();
        let known = vec!["customers".to_string()];
        let mut expected_sev: BTreeMap<&str, usize> = BTreeMap::new();
        let mut got_sev: BTreeMap<String, usize> = BTreeMap::new();
        let mut per_incident: BTreeMap<usize, usize> = BTreeMap::new();
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let mut languages: BTreeMap<String, usize> = BTreeMap::new();
        let mut msg_languages: BTreeMap<String, usize> = BTreeMap::new();
        let (mut informational, mut other_kind, mut with_notes) = (0, 0, 0);
        let mut by_name: BTreeMap<String, ImportedIncident> = BTreeMap::new();
        for path in &files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("?")
                .to_string();
            let bytes = std::fs::read(path).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(detect(&name, &bytes), "{name}: not detected");
            *expected_sev.entry(grep_severity(&text)).or_default() += 1;
            if text.lines().any(|l| l.trim_end() == "informational: true") {
                informational += 1;
            }
            let got = read(&name, &bytes, &opts).unwrap_or_else(|e| panic!("{name}: {}", e[0]));
            assert_eq!(got.len(), 1);
            let imp = got.into_iter().next().expect("one");
            let inc = imp.incident.as_ref().expect("incident");
            inc.validate(&known)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            *got_sev.entry(inc.severity.clone()).or_default() += 1;
            *languages.entry(inc.language.clone()).or_default() += 1;
            if inc.kind == "other" {
                other_kind += 1;
            }
            if !inc.summary.is_empty() {
                with_notes += 1;
                eprintln!("cstate {name}: {}", inc.summary);
            }
            let detected = inc.detected_at.expect("detected");
            if let Some(r) = inc.resolved_at {
                assert!(r >= detected, "{name}: resolved before detected");
            }
            assert!(!imp.messages.is_empty(), "{name}: no message");
            *per_incident.entry(imp.messages.len()).or_default() += 1;
            let times: Vec<_> = imp
                .messages
                .iter()
                .map(|m| m.value.message.sent_at)
                .collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{name}: unsorted");
            assert!(
                times[0] >= Some(detected),
                "{name}: message before detection"
            );
            for m in &imp.messages {
                m.value
                    .message
                    .validate(&known, &[])
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                *kinds.entry(m.value.message.kind.clone()).or_default() += 1;
                *msg_languages
                    .entry(m.value.message.language.clone())
                    .or_default() += 1;
                if m.value.message.language != "de" {
                    eprintln!(
                        "cstate {name}: message read as English: {:?}",
                        m.value.message.body
                    );
                }
            }
            for e in &imp.events {
                e.value
                    .validate()
                    .unwrap_or_else(|err| panic!("{name}: {err}"));
            }
            by_name.insert(name, imp);
        }
        eprintln!("cstate: severity {got_sev:?}");
        eprintln!("cstate: messages per incident {per_incident:?}");
        eprintln!("cstate: message kinds {kinds:?}; message languages {msg_languages:?}");
        eprintln!(
            "cstate: languages {languages:?}; kind other {other_kind}; with import notes {with_notes}"
        );
        let expected_sev: BTreeMap<String, usize> = expected_sev
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(got_sev, expected_sev);
        assert_eq!(other_kind, informational);
        assert_eq!(languages.get("de"), Some(&60), "all posts are German");

        let inc = |name: &str| {
            by_name
                .get(name)
                .and_then(|i| i.incident.clone())
                .unwrap_or_else(|| panic!("{name} missing"))
        };
        // Winter: CET is UTC+1.
        let bbb = inc("2022-01-03-BBB-outtage.md");
        assert_eq!(bbb.detected_at, Some(utc("2022-01-03T06:00:00Z")));
        assert_eq!(bbb.resolved_at, Some(utc("2022-01-03T07:30:00Z")));
        // Summer: CEST is UTC+2; the update heading "Update 11:26 Uhr" closes it.
        let sbs_name = "2023-04-28T1100--Ausfall_SBS.md";
        let sbs = inc(sbs_name);
        assert_eq!(sbs.detected_at, Some(utc("2023-04-28T08:39:00Z")));
        assert_eq!(sbs.resolved_at, Some(utc("2023-04-28T09:26:00Z")));
        let last = by_name[sbs_name].messages.last().expect("message");
        assert_eq!(last.value.message.kind, "resolution");
        assert_eq!(
            last.value.message.sent_at,
            Some(utc("2023-04-28T09:26:00Z"))
        );
        // Month 13: resolvedWhen dropped with a note; the post stays closed.
        let m13 = inc("2022-12-26T0000--Wartung_LernSax_am_26.12.2022.md");
        assert_eq!(m13.resolved_at, None);
        assert_eq!(m13.status, "closed");
        assert!(m13.summary.contains("month 13"));
        // Hour 24: midnight after 2023-06-01 in Berlin summer time.
        let h24 = inc("2023-06-01T1700--Software-Update_Core-Router_TU_Dresden_(01.06.2023).md");
        assert_eq!(h24.resolved_at, Some(utc("2023-06-01T22:00:00Z")));
        assert!(h24.summary.contains("24:00"));
        // The LernSax outage: ten dated updates under "### Update …" headings, newest-first,
        // after an opening text.
        let lernsax = &by_name["2022-08-25T0800--LernSax_nicht_verfuegbar.md"];
        assert_eq!(lernsax.messages.len(), 11);
        let first = &lernsax.messages[0].value.message;
        assert_eq!(first.kind, "initial");
        assert_eq!(first.sent_at, Some(utc("2022-08-25T05:00:00Z")));
    }
}
