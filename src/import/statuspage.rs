//! Atlassian Statuspage API v2 JSON (SPEC §3): `incidents/{id}.json`, `incidents.json`,
//! `summary.json` or a bare array of incidents. Each Statuspage incident becomes one incident
//! identified by its id; its updates become status-page messages to customers, its status
//! changes become timeline events.

use std::collections::HashSet;

use chrono::{NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::html::{decode_entities, html_to_text, looks_like_html};
use super::json::{MAX_DEPTH, parse_json};
use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::domain::incident::IncidentInput;
use crate::domain::time::{local_to_utc, parse_timestamp as parse_time, utc_to_local};
use crate::domain::timeline::{EventInput, MessageInput};
use crate::text::{detect_language, detect_language_or};

const AUDIENCE: &str = "customers";
const CHANNEL: &str = "status_page";

/// The source of every Statuspage incident's identity: incident ids are unique across all
/// Statuspage pages, so the id alone names the incident, whichever view of the page (API
/// document, history feed) it came from and whatever the document says about its page.
pub const SOURCE: &str = "statuspage";

/// Keys only a Statuspage document has at its top (or, for a bare incident, its updates).
const DOCUMENT_KEYS: [&[u8]; 4] = [
    b"\"incident_updates\"",
    b"\"incidents\"",
    b"\"incident\"",
    b"\"scheduled_maintenances\"",
];

/// True when the bytes look like a Statuspage API document (not only valid JSON: a component
/// list or a metrics response is JSON too, but holds no incidents).
pub fn detect(bytes: &[u8]) -> bool {
    let Some(bytes) = super::json::json_start(bytes, b"{[") else {
        return false;
    };
    DOCUMENT_KEYS
        .iter()
        .any(|key| super::json::contains(bytes, key))
}

/// True for text that is no JSON document itself but holds Statuspage incidents inside other
/// text: a test's raw string, a fenced block in documentation. Asked only when no format
/// recognised the file as a whole.
pub fn detect_embedded(bytes: &[u8]) -> bool {
    super::json::json_start(bytes, b"{[").is_none()
        && std::str::from_utf8(bytes).is_ok()
        && super::json::contains(bytes, b"\"incident_updates\"")
}

/// A Statuspage document found inside other text, with the line it starts on.
struct Embedded {
    line: usize,
    root: Value,
}

/// Every Statuspage document embedded in `text`. Candidates start at a `{` followed by `"` or
/// `}`; those that parse and are Statuspage documents are kept, other JSON (a component list,
/// metrics) and the text between them are ignored. A candidate that holds Statuspage keys but
/// is broken is an error naming the line it starts on, so a damaged excerpt is never skipped
/// silently.
///
/// The work stays linear in practice: a failed candidate is scanned only to where its brackets
/// stop matching (nesting deeper than `MAX_DEPTH` stops it too), and a candidate that runs to
/// the end of the text ends the search, since everything after it lies inside it.
fn embedded_documents(file_name: &str, text: &str) -> Result<Vec<Embedded>, Vec<ReadError>> {
    let bytes = text.as_bytes();
    let statuspage_like = |part: &[u8]| {
        DOCUMENT_KEYS
            .iter()
            .any(|key| super::json::contains(part, key))
    };
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    let (mut i, mut line, mut counted) = (0usize, 1usize, 0usize);
    while i < bytes.len() {
        let next = bytes[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
        if bytes[i] != b'{' || !matches!(next, Some(b'"' | b'}')) {
            i += 1;
            continue;
        }
        line += bytes[counted..i].iter().filter(|&&b| b == b'\n').count();
        counted = i;
        match balanced_end(bytes, i) {
            Balance::Closed(end) => {
                let candidate = &text[i..=end];
                match super::json::parse_text_as::<Value>(file_name, candidate, "Statuspage", line)
                {
                    Ok(root) if is_document(&root) => {
                        found.push(Embedded { line, root });
                        i = end + 1;
                    }
                    // Other JSON: its own business, but a Statuspage document may sit inside.
                    Ok(_) => i += 1,
                    Err(mut e) if statuspage_like(candidate.as_bytes()) => {
                        e.reason = format!(
                            "the Statuspage JSON that starts on line {line} {}",
                            e.reason
                        );
                        errors.push(e);
                        i = end + 1;
                    }
                    Err(_) => i += 1,
                }
            }
            Balance::Mismatched => i += 1,
            Balance::Unclosed => {
                if statuspage_like(&bytes[i..]) {
                    errors.push(ReadError {
                        file: file_name.to_string(),
                        line: Some(line),
                        record: None,
                        field: String::new(),
                        reason: "the Statuspage JSON that starts here is never closed: the \
                                 text ends inside it (a bracket or a quote is missing)"
                            .to_string(),
                    });
                }
                break;
            }
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// Whether a parsed JSON value is a Statuspage document (see `read` for the shapes).
fn is_document(root: &Value) -> bool {
    match root {
        Value::Object(obj) => [
            "incident",
            "incidents",
            "incident_updates",
            "scheduled_maintenances",
        ]
        .iter()
        .any(|k| obj.contains_key(*k)),
        Value::Array(list) => list
            .first()
            .is_some_and(|first| first.get("incident_updates").is_some()),
        _ => false,
    }
}

enum Balance {
    /// The index of the bracket that closes the one at the start.
    Closed(usize),
    /// A closing bracket of the wrong kind, or nesting deeper than `MAX_DEPTH`.
    Mismatched,
    /// The text ends before the bracket closes.
    Unclosed,
}

/// Where the bracket at `start` closes, skipping JSON strings.
fn balanced_end(bytes: &[u8], start: usize) -> Balance {
    let mut stack: Vec<u8> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                stack.push(if b == b'{' { b'}' } else { b']' });
                if stack.len() > MAX_DEPTH {
                    return Balance::Mismatched;
                }
            }
            b'}' | b']' => {
                if stack.pop() != Some(b) {
                    return Balance::Mismatched;
                }
                if stack.is_empty() {
                    return Balance::Closed(i);
                }
            }
            _ => {}
        }
    }
    Balance::Unclosed
}

/// Reads a Statuspage document, or every Statuspage document embedded in other text. All
/// problems of the file are reported together.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let documents = if super::json::json_start(bytes, b"{[").is_some() {
        let root = parse_json(file_name, bytes, "Statuspage").map_err(|e| vec![e])?;
        vec![Embedded { line: 1, root }]
    } else {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            vec![ReadError::file(
                file_name,
                format!(
                    "is not UTF-8 text (invalid byte at offset {}); Statuspage JSON is always UTF-8",
                    e.valid_up_to()
                ),
            )]
        })?;
        let found = embedded_documents(file_name, text)?;
        if found.is_empty() {
            return Err(vec![ReadError::file(
                file_name,
                "holds no Statuspage JSON: expected a document with `incident`, `incidents` or \
                 `scheduled_maintenances`, on its own or inside other text",
            )]);
        }
        found
    };
    // A document on its own reports its places by record path alone; embedded ones add the
    // line they start on.
    let whole_file = documents.len() == 1 && documents[0].line == 1;
    let mut out: Vec<ImportedIncident> = Vec::new();
    let mut errors: Vec<ReadError> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for doc in &documents {
        let page = Page::from_value(doc.root.get("page"));
        let mut reader = Reader {
            file: file_name,
            line: (!whole_file).then_some(doc.line),
            errors: Vec::new(),
            zone: page.time_zone.unwrap_or(opts.tz),
            page,
        };
        for (path, value) in reader.items(&doc.root) {
            if let Some(imported) = reader.incident(&path, value) {
                // One incident per Statuspage id, even if snapshots list it twice.
                if let Some(id) = imported.external_id.clone()
                    && !seen.insert(id)
                {
                    continue;
                }
                out.push(imported);
            }
        }
        errors.append(&mut reader.errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.sort_by_key(|i| i.incident.as_ref().and_then(|x| x.detected_at));
    Ok(out)
}

struct Page {
    id: Option<String>,
    name: Option<String>,
    host: Option<String>,
    time_zone: Option<Tz>,
}

impl Page {
    fn from_value(v: Option<&Value>) -> Self {
        let text = |k: &str| {
            v.and_then(|p| p.get(k))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Self {
            id: text("id"),
            name: text("name"),
            host: text("url").and_then(|u| {
                url::Url::parse(&u)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
            }),
            time_zone: text("time_zone").and_then(|z| z.parse::<Tz>().ok()),
        }
    }

    fn source(&self) -> String {
        match self.id.as_ref().or(self.host.as_ref()) {
            Some(id) => format!("statuspage:{id}"),
            None => "statuspage".to_string(),
        }
    }
}

struct Reader<'a> {
    file: &'a str,
    /// The line an embedded document starts on.
    line: Option<usize>,
    errors: Vec<ReadError>,
    page: Page,
    /// For the rare time written without an offset.
    zone: Tz,
}

/// One update as read, before it becomes messages and events.
struct Update {
    path: String,
    id: String,
    status: String,
    body: String,
    sent_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

impl Reader<'_> {
    fn loc(&self, path: &str) -> Location {
        Location {
            file: self.file.to_string(),
            line: self.line,
            record: Some(path.to_string()),
        }
    }

    fn error(&mut self, path: &str, field: &str, reason: impl Into<String>) {
        let e = ReadError::at(&self.loc(path), field, reason);
        self.errors.push(e);
    }

    /// A string field; numbers are accepted because some exports write ids as numbers.
    fn text(&mut self, obj: &Map<String, Value>, path: &str, field: &str) -> Option<String> {
        match obj.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.error(path, field, "is not a text value");
                None
            }
        }
    }

    /// Err(()) when the value is present but not a time; the error is recorded.
    fn time(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        field: &str,
    ) -> Result<Option<NaiveDateTime>, ()> {
        let Some(raw) = self.text(obj, path, field) else {
            return match obj.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(_) => Err(()),
            };
        };
        if raw.trim().is_empty() {
            return Ok(None);
        }
        match parse_time(&raw, self.zone) {
            Ok(t) => Ok(Some(t)),
            Err(reason) => {
                self.error(path, field, reason);
                Err(())
            }
        }
    }

    fn required_time(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        field: &str,
    ) -> Option<NaiveDateTime> {
        match self.time(obj, path, field) {
            Ok(Some(t)) => Some(t),
            Ok(None) => {
                self.error(path, field, "is missing");
                None
            }
            Err(()) => None,
        }
    }

    /// The incidents and planned maintenances of a document, with their record paths.
    fn items<'v>(&mut self, root: &'v Value) -> Vec<(String, &'v Value)> {
        let mut items: Vec<(String, &Value)> = Vec::new();
        match root {
            Value::Array(list) => {
                items.extend(list.iter().enumerate().map(|(i, v)| (format!("[{i}]"), v)));
            }
            Value::Object(obj) => {
                if let Some(one) = obj.get("incident") {
                    items.push(("incident".to_string(), one));
                } else if obj.contains_key("incident_updates") {
                    items.push(("$".to_string(), root));
                } else if !obj.contains_key("incidents")
                    && !obj.contains_key("scheduled_maintenances")
                {
                    self.error(
                        "$",
                        "",
                        "is not a Statuspage incident document: expected `incident`, `incidents` \
                         or `scheduled_maintenances`",
                    );
                }
                // summary.json holds both; a planned maintenance is announced and reported on
                // like an incident, so its communication counts too.
                for key in ["incidents", "scheduled_maintenances"] {
                    match obj.get(key) {
                        Some(Value::Array(list)) => items.extend(
                            list.iter()
                                .enumerate()
                                .map(|(i, v)| (format!("{key}[{i}]"), v)),
                        ),
                        None | Some(Value::Null) => {}
                        Some(_) => self.error(key, key, "is not a list"),
                    }
                }
            }
            _ => self.error("$", "", "is neither a JSON object nor a list of incidents"),
        }
        items
    }

    fn incident(&mut self, path: &str, value: &Value) -> Option<ImportedIncident> {
        let errors_before = self.errors.len();
        let Some(obj) = value.as_object() else {
            self.error(path, "", "is not an incident object");
            return None;
        };
        let id = self.text(obj, path, "id").map(|s| s.trim().to_string());
        if id.as_deref().is_none_or(str::is_empty) {
            self.error(
                path,
                "id",
                "is missing; it identifies the incident on re-import",
            );
        }
        let name = self
            .text(obj, path, "name")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        if name.is_empty() {
            self.error(path, "name", "is missing");
        }
        let created_at = self.required_time(obj, path, "created_at");
        let started_at = self.time(obj, path, "started_at").ok().flatten();
        let resolved_at = self.time(obj, path, "resolved_at").ok().flatten();
        let status = self
            .text(obj, path, "status")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let impact = self
            .text(obj, path, "impact")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let severity = match impact.as_str() {
            "critical" => "sev1",
            "major" => "sev2",
            "minor" => "sev3",
            // Statuspage leaves impact out for incidents without one.
            "none" | "maintenance" | "" => "sev4",
            other => {
                self.error(
                    path,
                    "impact",
                    format!("'{other}' is not one of none, minor, major, critical, maintenance"),
                );
                "sev4"
            }
        };
        // A planned maintenance: the window it was announced for.
        let scheduled_for = self.time(obj, path, "scheduled_for").ok().flatten();
        let scheduled_until = self.time(obj, path, "scheduled_until").ok().flatten();
        let updates = self.updates(obj, path);
        let services = self.services(obj, path);
        if self.errors.len() > errors_before {
            return None;
        }
        let (id, created_at) = (id?, created_at?);

        // Records name the page they were read from; the incident's identity is its id alone.
        let source = self.page.source();
        let author = self
            .page
            .name
            .clone()
            .unwrap_or_else(|| "Status page".to_string());
        let mut imported = ImportedIncident {
            source: Some(SOURCE.to_string()),
            external_id: Some(id.clone()),
            ..Default::default()
        };

        let legacy = match updates.as_slice() {
            [only] => legacy_items(&only.body).map(|items| (only, items)),
            _ => None,
        };
        let (detected_at, resolved_at) = match legacy {
            Some((update, items)) => {
                let zones = self.legacy_zones();
                let times = place_legacy(&items, update.sent_at, &zones);
                self.legacy_messages(&mut imported, update, &items, &times, &author, &source);
                let first = times.first().copied().unwrap_or(created_at);
                let last = times.last().copied().unwrap_or(created_at);
                // The list is the real timeline: its last entry is when the incident ended, later
                // than the hand-rounded `resolved_at` (which equals `created_at` in these records).
                let resolved = resolved_at.map(|r| r.max(last));
                imported.events.push(event(
                    self.loc(&update.path),
                    first,
                    "detected",
                    "First entry of the incident history",
                    &source,
                    format!("{id}:detected"),
                ));
                if let Some(r) = resolved {
                    imported.events.push(event(
                        self.loc(&update.path),
                        r,
                        "resolved",
                        "Status page: resolved",
                        &source,
                        format!("{}:resolved", update.id),
                    ));
                }
                (first, resolved)
            }
            None => {
                self.update_messages(&mut imported, &updates, &author, &source);
                imported.events.insert(
                    0,
                    event(
                        self.loc(path),
                        created_at,
                        "detected",
                        "Incident opened on the status page",
                        &source,
                        format!("{id}:detected"),
                    ),
                );
                (created_at, resolved_at)
            }
        };
        let closed = resolved_at.is_some()
            || matches!(status.as_str(), "resolved" | "postmortem" | "completed");
        // A maintenance is often closed without an update saying so ("completed" only at the
        // top): the end still belongs on the timeline.
        if let Some(r) = resolved_at
            && !imported.events.iter().any(|e| e.value.kind == "resolved")
        {
            imported.events.push(event(
                self.loc(path),
                r,
                "resolved",
                &format!(
                    "Status page: {}",
                    if status.is_empty() {
                        "resolved"
                    } else {
                        &status
                    }
                ),
                &source,
                format!("{id}:resolved"),
            ));
        }
        let mut summary = String::new();
        if let Some(from) = scheduled_for {
            let window = match scheduled_until {
                Some(until) => format!(
                    "Planned maintenance from {} to {} (UTC)",
                    from.format("%Y-%m-%d %H:%M"),
                    until.format("%Y-%m-%d %H:%M")
                ),
                None => format!(
                    "Planned maintenance from {} (UTC)",
                    from.format("%Y-%m-%d %H:%M")
                ),
            };
            imported.events.push(event(
                self.loc(path),
                from,
                "note",
                &format!("{window}: the announced window begins"),
                &source,
                format!("{id}:scheduled_for"),
            ));
            summary = window;
        }
        imported.messages.sort_by_key(|m| m.value.message.sent_at);
        imported.events.sort_by_key(|e| e.value.occurred_at);

        let mut all_text = name.clone();
        for m in &imported.messages {
            all_text.push('\n');
            all_text.push_str(&m.value.message.body);
        }
        let language = detect_language(&all_text);
        for m in &mut imported.messages {
            let message = &mut m.value.message;
            message.language = detect_language_or(&message.body, language)
                .as_str()
                .to_string();
        }
        imported.incident = Some(IncidentInput {
            key: incident_key(&id),
            title: name,
            kind: if scheduled_for.is_some() {
                "other"
            } else {
                "it_outage"
            }
            .to_string(),
            severity: severity.to_string(),
            status: if closed { "closed" } else { "open" }.to_string(),
            language: language.as_str().to_string(),
            started_at: started_at.filter(|s| *s < detected_at),
            detected_at: Some(detected_at),
            resolved_at,
            summary,
            affected_services: services,
            audiences: vec![AUDIENCE.to_string()],
            apology_expected: false,
        });
        Some(imported)
    }

    fn updates(&mut self, obj: &Map<String, Value>, path: &str) -> Vec<Update> {
        let list = match obj.get("incident_updates") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => {
                self.error(path, "incident_updates", "is not a list");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, u) in list.iter().enumerate() {
            let upath = format!("{path}.incident_updates[{i}]");
            let Some(u) = u.as_object() else {
                self.error(&upath, "", "is not an update object");
                continue;
            };
            let id = self.text(u, &upath, "id").map(|s| s.trim().to_string());
            if id.as_deref().is_none_or(str::is_empty) {
                self.error(&upath, "id", "is missing");
            }
            let status = self
                .text(u, &upath, "status")
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let body = self.text(u, &upath, "body").unwrap_or_default();
            let created_at = self.required_time(u, &upath, "created_at");
            // `display_at` is the time the page shows next to the update, the moment readers
            // were told; `created_at` is when the row was written, which for migrated or
            // late-entered updates is long after the fact.
            let display_at = self.time(u, &upath, "display_at").ok().flatten();
            if let (Some(id), Some(created_at)) = (id, created_at) {
                out.push(Update {
                    path: upath,
                    id,
                    status,
                    body,
                    sent_at: display_at.unwrap_or(created_at),
                    created_at,
                });
            }
        }
        out
    }

    /// Component names of the incident; when the incident lists none, the names its updates
    /// marked as affected.
    fn services(&mut self, obj: &Map<String, Value>, path: &str) -> Vec<String> {
        fn add(names: &mut Vec<String>, n: &str) {
            let n = n.trim();
            if !n.is_empty() && !names.iter().any(|x| x == n) {
                names.push(n.to_string());
            }
        }
        let mut names: Vec<String> = Vec::new();
        match obj.get("components") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for c in list {
                    if let Some(n) = c.get("name").and_then(Value::as_str) {
                        add(&mut names, n);
                    }
                }
            }
            Some(_) => self.error(path, "components", "is not a list"),
        }
        if names.is_empty() {
            let updates = obj.get("incident_updates").and_then(Value::as_array);
            for u in updates.into_iter().flatten() {
                let affected = u.get("affected_components").and_then(Value::as_array);
                for c in affected.into_iter().flatten() {
                    if let Some(n) = c.get("name").and_then(Value::as_str) {
                        add(&mut names, n);
                    }
                }
            }
        }
        names
    }

    fn legacy_zones(&self) -> Vec<Tz> {
        let mut zones = vec![chrono_tz::UTC];
        if let Some(tz) = self.page.time_zone
            && tz != chrono_tz::UTC
        {
            zones.push(tz);
        }
        zones
    }

    fn update_messages(
        &self,
        imported: &mut ImportedIncident,
        updates: &[Update],
        author: &str,
        source: &str,
    ) {
        let mut order: Vec<&Update> = updates.iter().collect();
        order.sort_by_key(|u| (u.sent_at, u.created_at));
        let mut previous_status: Option<&str> = None;
        let mut acknowledged = false;
        let mut first_message = true;
        for u in order {
            let loc = self.loc(&u.path);
            let (body, body_html) = render(&u.body);
            // An update without text still changed the status, so it keeps its event below.
            if !body.is_empty() {
                let kind = message_kind(&u.status, first_message);
                first_message = false;
                imported.messages.push(Located {
                    at: loc.clone(),
                    value: ImportedMessage {
                        message: message(u.sent_at, author, body, body_html, kind, source, &u.id),
                        in_reply_to_external: None,
                    },
                });
            }
            if previous_status == Some(u.status.as_str()) || u.status.is_empty() {
                continue;
            }
            previous_status = Some(u.status.as_str());
            let kind = status_event(&u.status, &mut acknowledged);
            imported.events.push(event(
                loc,
                u.sent_at,
                kind,
                &format!("Status page: {}", u.status),
                source,
                format!("{}:status", u.id),
            ));
        }
    }

    fn legacy_messages(
        &self,
        imported: &mut ImportedIncident,
        update: &Update,
        items: &[LegacyItem],
        times: &[NaiveDateTime],
        author: &str,
        source: &str,
    ) {
        let last = items.len().saturating_sub(1);
        for (i, (item, &at)) in items.iter().zip(times).enumerate() {
            // The 2018 migration wrote the old line breaks as the four characters `\r\n`.
            let unescaped = item.html.replace("\\r\\n", "\n").replace("\\n", "\n");
            let body = html_to_text(&unescaped);
            if body.is_empty() {
                continue;
            }
            let kind = match i {
                0 => "initial",
                _ if i == last => "resolution",
                _ => "update",
            };
            let loc = self.loc(&format!("{}.body.li[{i}]", update.path));
            imported.messages.push(Located {
                at: loc,
                value: ImportedMessage {
                    message: message(
                        at,
                        author,
                        body,
                        Some(item.html.clone()),
                        kind,
                        source,
                        &format!("{}#{}", update.id, i + 1),
                    ),
                    in_reply_to_external: None,
                },
            });
        }
    }
}

/// The kind of message an update with this status is (`status` in lower case, as the API
/// writes it); `first`: no message of the incident came before.
pub(super) fn message_kind(status: &str, first: bool) -> &'static str {
    match status {
        "postmortem" => "post_incident",
        _ if first => "initial",
        "resolved" | "completed" => "resolution",
        _ => "update",
    }
}

/// The timeline event a change to this status is; the first `investigating` is when the team
/// acknowledged the incident.
pub(super) fn status_event(status: &str, acknowledged: &mut bool) -> &'static str {
    match status {
        "investigating" if !*acknowledged => {
            *acknowledged = true;
            "acknowledged"
        }
        "identified" => "diagnosed",
        "monitoring" | "verifying" => "monitoring",
        "resolved" | "completed" => "resolved",
        _ => "note",
    }
}

fn message(
    sent_at: NaiveDateTime,
    author: &str,
    body: String,
    body_html: Option<String>,
    kind: &str,
    source: &str,
    external_id: &str,
) -> MessageInput {
    MessageInput {
        sent_at: Some(sent_at),
        audiences: vec![AUDIENCE.to_string()],
        channel: CHANNEL.to_string(),
        platform: None,
        author: author.to_string(),
        subject: None,
        // Set per message once the incident's language is known (the fallback for cue-less text).
        language: String::new(),
        body,
        body_html,
        kind: kind.to_string(),
        in_reply_to: None,
        next_update_at: None,
        eta_at: None,
        source: Some(source.to_string()),
        external_id: Some(external_id.to_string()),
    }
}

fn event(
    at: Location,
    occurred_at: NaiveDateTime,
    kind: &str,
    description: &str,
    source: &str,
    external_id: String,
) -> Located<EventInput> {
    Located {
        at,
        value: EventInput {
            occurred_at: Some(occurred_at),
            kind: kind.to_string(),
            description: description.to_string(),
            source: Some(source.to_string()),
            external_id: Some(external_id),
        },
    }
}

/// Text of a body, and the original when it was HTML.
fn render(body: &str) -> (String, Option<String>) {
    if looks_like_html(body) {
        (html_to_text(body), Some(body.to_string()))
    } else {
        let text = body.replace("\r\n", "\n").replace('\r', "\n");
        (text.trim().to_string(), None)
    }
}

/// "SP-" and the start of the Statuspage id: short enough for report headers, and ids are
/// random base-36, so ten characters do not collide in practice.
pub fn incident_key(id: &str) -> String {
    let clean: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(10)
        .collect::<String>()
        .to_ascii_uppercase();
    if clean.is_empty() {
        "SP-UNKNOWN".to_string()
    } else {
        format!("SP-{clean}")
    }
}

/// When a legacy list entry was written: a full date and time, or only a time of day (then the
/// date comes from the update).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stamp {
    Full(NaiveDateTime),
    TimeOnly(NaiveTime),
}

#[derive(Debug, Clone, PartialEq)]
struct LegacyItem {
    stamp: Stamp,
    /// The stamp said "UTC" itself.
    utc: bool,
    /// The entry's text as HTML, without the stamp.
    html: String,
}

/// The entries of a legacy consolidated body, `<ul><li><strong>2013-10-29 20:58:59</strong> -
/// text</li>…</ul>`; None when the body is anything else. An entry without a stamp continues the
/// previous one.
fn legacy_items(body: &str) -> Option<Vec<LegacyItem>> {
    let trimmed = body.trim_start();
    if !trimmed
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("<ul"))
    {
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    let mut items: Vec<LegacyItem> = Vec::new();
    let mut pos = 0;
    while let Some(rel) = lower[pos..].find("<li") {
        let open = pos + rel;
        let after_name = lower.as_bytes().get(open + 3).copied();
        if !matches!(after_name, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
            pos = open + 3;
            continue;
        }
        let content_start = lower[open..].find('>').map(|g| open + g + 1)?;
        let content_end = [
            lower[content_start..].find("</li"),
            lower[content_start..].find("<li"),
            lower[content_start..].find("</ul"),
        ]
        .into_iter()
        .flatten()
        .min()
        .map_or(trimmed.len(), |e| content_start + e);
        let content = &trimmed[content_start..content_end];
        pos = content_end;
        match split_stamp(content) {
            Some((stamp, utc, rest)) => items.push(LegacyItem {
                stamp,
                utc,
                html: rest.to_string(),
            }),
            None => {
                let previous = items.last_mut()?;
                previous.html.push_str("<br>");
                previous.html.push_str(content.trim());
            }
        }
    }
    if items.is_empty() { None } else { Some(items) }
}

/// `<strong>2013-10-29 20:58:59</strong> - text` → the stamp and `text`.
fn split_stamp(content: &str) -> Option<(Stamp, bool, &str)> {
    let content = content.trim_start();
    let lower = content.to_ascii_lowercase();
    let (open, close) = if lower.starts_with("<strong>") {
        ("<strong>", "</strong>")
    } else if lower.starts_with("<b>") {
        ("<b>", "</b>")
    } else {
        return None;
    };
    let end = lower.find(close)?;
    let raw = decode_entities(&content[open.len()..end])
        .trim()
        .to_string();
    let (raw, utc) = match raw.strip_suffix("UTC").or_else(|| raw.strip_suffix("Z")) {
        Some(r) => (r.trim().to_string(), true),
        None => (raw, false),
    };
    let stamp = parse_stamp(&raw)?;
    let rest = content[end + close.len()..]
        .trim_start()
        .trim_start_matches(['-', '–', '—', ':'])
        .trim_start();
    Some((stamp, utc, rest))
}

fn parse_stamp(raw: &str) -> Option<Stamp> {
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(raw, format) {
            return Some(Stamp::Full(t));
        }
    }
    for format in ["%H:%M:%S", "%H:%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(raw, format) {
            return Some(Stamp::TimeOnly(t));
        }
    }
    None
}

/// UTC times of legacy entries. The stamps carry no zone: GitHub wrote them in UTC, a page may
/// have written them in its own zone. Of the candidate zones, the one that puts the first entry
/// nearest the update's display time (which Statuspage set to the start of the incident) wins;
/// UTC wins ties. Time-only stamps take the display date and roll to the next day when the
/// clock goes backwards.
fn place_legacy(items: &[LegacyItem], anchor: NaiveDateTime, zones: &[Tz]) -> Vec<NaiveDateTime> {
    let mut best: Option<(i64, Vec<NaiveDateTime>)> = None;
    for &tz in zones {
        let times = place_in_zone(items, anchor, tz);
        let Some(first) = times.first() else {
            return times;
        };
        let distance = (*first - anchor).num_seconds().abs();
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, times));
        }
    }
    best.map(|(_, t)| t).unwrap_or_default()
}

fn place_in_zone(items: &[LegacyItem], anchor: NaiveDateTime, tz: Tz) -> Vec<NaiveDateTime> {
    let mut day = utc_to_local(anchor, tz).date_naive();
    let mut previous: Option<NaiveDateTime> = None;
    items
        .iter()
        .map(|item| {
            let local = match item.stamp {
                Stamp::Full(t) => {
                    day = t.date();
                    t
                }
                Stamp::TimeOnly(time) => {
                    let mut t = day.and_time(time);
                    if previous.is_some_and(|p| t < p) {
                        day = day.succ_opt().unwrap_or(day);
                        t = day.and_time(time);
                    }
                    t
                }
            };
            previous = Some(local);
            if item.utc {
                local
            } else {
                local_to_utc(local, tz)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn t(s: &str) -> NaiveDateTime {
        parse_time(s, chrono_tz::UTC).expect("test time")
    }

    fn real_dir() -> Option<PathBuf> {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/real"));
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

    fn read_str(s: &str) -> ReadResult {
        read("test.json", s.as_bytes(), &ReadOptions::default())
    }

    const SINGLE: &str = r#"{
      "page": {"id": "pg1", "name": "Acme", "url": "https://status.acme.test", "time_zone": "Europe/Berlin"},
      "incident": {
        "id": "abcdefghijkl", "name": "API errors", "status": "resolved", "impact": "major",
        "created_at": "2024-03-01T10:05:00.000+01:00", "started_at": "2024-03-01T09:50:00Z",
        "resolved_at": "2024-03-01T12:00:00Z",
        "components": [{"name": "API"}, {"name": "API"}, {"name": "Dashboard"}],
        "incident_updates": [
          {"id": "u3", "status": "resolved", "body": "This incident has been resolved.",
           "created_at": "2024-03-01T12:00:00Z", "display_at": "2024-03-01T12:00:00Z"},
          {"id": "u2", "status": "identified", "body": "<p>We found the cause.</p><ul><li>one</li></ul>",
           "created_at": "2024-03-01T10:30:00Z", "display_at": "2024-03-01T10:30:00Z"},
          {"id": "u1", "status": "investigating", "body": "We are investigating errors.\r\n\r\nMore soon.",
           "created_at": "2024-03-01T09:10:00Z", "display_at": "2024-03-01T09:06:00Z"}
        ]
      }
    }"#;

    #[test]
    fn single_incident_is_mapped() {
        let got = read_str(SINGLE).expect("reads");
        assert_eq!(got.len(), 1);
        let imp = &got[0];
        assert_eq!(imp.source.as_deref(), Some(SOURCE));
        assert_eq!(
            imp.messages[0].value.message.source.as_deref(),
            Some("statuspage:pg1")
        );
        assert_eq!(imp.external_id.as_deref(), Some("abcdefghijkl"));
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.key, "SP-ABCDEFGHIJ");
        assert_eq!(inc.severity, "sev2");
        assert_eq!(inc.status, "closed");
        assert_eq!(inc.language, "en");
        assert_eq!(inc.detected_at, Some(t("2024-03-01T09:05:00Z")));
        // started_at after created_at is not an earlier start.
        assert_eq!(inc.started_at, None);
        assert_eq!(inc.affected_services, vec!["API", "Dashboard"]);
        let msgs: Vec<_> = imp.messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(
            msgs.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            ["initial", "update", "resolution"]
        );
        assert_eq!(msgs[0].sent_at, Some(t("2024-03-01T09:06:00Z")));
        assert_eq!(msgs[0].body, "We are investigating errors.\n\nMore soon.");
        assert_eq!(msgs[1].body, "We found the cause.\n\n- one");
        assert!(
            msgs[1]
                .body_html
                .as_deref()
                .is_some_and(|h| h.contains("<p>"))
        );
        assert_eq!(msgs[0].author, "Acme");
        assert_eq!(msgs[0].channel, "status_page");
        assert_eq!(msgs[0].audiences, vec!["customers"]);
        assert_eq!(
            imp.messages[1].at.record.as_deref(),
            Some("incident.incident_updates[1]")
        );
        let events: Vec<_> = imp.events.iter().map(|e| e.value.kind.as_str()).collect();
        assert_eq!(
            events,
            ["detected", "acknowledged", "diagnosed", "resolved"]
        );
    }

    #[test]
    fn incidents_list_summary_and_bare_array() {
        let doc: Value = serde_json::from_str(SINGLE).expect("json");
        let incident = doc["incident"].clone();
        let list = serde_json::json!({"page": doc["page"], "incidents": [incident]});
        let bare = serde_json::json!([incident]);
        for v in [list, bare] {
            let got = read_str(&v.to_string()).expect("reads");
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].messages.len(), 3);
        }
        let summary = serde_json::json!({
            "page": doc["page"], "incidents": [incident],
            "scheduled_maintenances": [{"id": "m1", "name": "Maintenance", "status": "scheduled",
                "created_at": "2024-03-10T10:00:00Z", "scheduled_for": "2024-03-12T22:00:00Z"}]
        });
        let got = read_str(&summary.to_string()).expect("reads");
        let titles: Vec<&str> = got
            .iter()
            .filter_map(|i| i.incident.as_ref().map(|x| x.title.as_str()))
            .collect();
        assert_eq!(titles, ["API errors", "Maintenance"]);
        let arr = read_str(&serde_json::json!([incident]).to_string()).expect("reads");
        assert_eq!(arr[0].source.as_deref(), Some(SOURCE));
        assert_eq!(
            arr[0].messages[0].value.message.source.as_deref(),
            Some("statuspage")
        );
        assert!(
            read_str(r#"{"scheduled_maintenances": []}"#)
                .expect("ok")
                .is_empty()
        );
    }

    #[test]
    fn errors_name_record_and_field() {
        let bad = r#"{"incidents": [
            {"id": "a", "name": "ok", "created_at": "2024-01-01T00:00:00Z"},
            {"id": "b", "name": "bad", "created_at": "yesterday", "impact": "huge",
             "incident_updates": [{"id": "u", "status": "investigating", "body": "x"}]}
        ]}"#;
        let errs = read_str(bad).expect_err("invalid");
        let fields: Vec<(String, String)> = errs
            .iter()
            .map(|e| (e.record.clone().unwrap_or_default(), e.field.clone()))
            .collect();
        assert!(
            fields.contains(&("incidents[1]".into(), "created_at".into())),
            "{errs:?}"
        );
        assert!(fields.contains(&("incidents[1]".into(), "impact".into())));
        assert!(fields.contains(&(
            "incidents[1].incident_updates[0]".into(),
            "created_at".into()
        )));
        assert!(errs.iter().all(|e| e.file == "test.json"));
        assert!(
            errs[0]
                .to_string()
                .starts_with("test.json, incidents[1], field ")
        );
        let not_ours = read_str(r#"{"page": {}, "components": []}"#).expect_err("not ours");
        assert!(not_ours[0].reason.contains("not a Statuspage"));
    }

    #[test]
    fn hostile_input_is_refused_clearly() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        let e = read_str(&deep).expect_err("too deep");
        assert!(e[0].reason.contains("deeper than 64"));
        let fine = format!("{{\"incidents\": {}{}}}", "[".repeat(10), "]".repeat(10));
        assert!(
            !read_str(&fine).expect_err("not incidents")[0]
                .reason
                .contains("deeper")
        );
        let latin1 = b"{\"incidents\": [{\"name\": \"St\xf6rung\"}]}";
        let e = read("x.json", latin1, &ReadOptions::default()).expect_err("not utf-8");
        assert!(e[0].reason.contains("not UTF-8"));
        assert_eq!(e[0].line, Some(1));
        let e = read_str("{\"incidents\": [").expect_err("truncated");
        assert!(e[0].reason.contains("not valid JSON"));
        // Brackets inside strings do not count.
        let strings = format!("{{\"incidents\": [], \"x\": \"{}\"}}", "[".repeat(100));
        assert!(read_str(&strings).expect("ok").is_empty());
    }

    #[test]
    fn truncated_documents_are_errors_not_panics() {
        for (i, _) in SINGLE.char_indices() {
            let _ = read_str(&SINGLE[..i]);
            let embedded = format!("x := `{}", &SINGLE[..i]);
            let _ = read("t.go", embedded.as_bytes(), &ReadOptions::default());
        }
    }

    #[test]
    fn legacy_list_becomes_the_timeline() {
        let doc = r#"{"page": {"id": "p", "time_zone": "Etc/UTC"}, "incident": {
          "id": "01sqkcp7z62r", "name": "Incident on 2011-07-28 03:06:00 UTC", "status": "resolved",
          "created_at": "2011-07-28T03:06:00.000Z", "resolved_at": "2011-07-28T03:06:00.000Z", "impact": "minor",
          "incident_updates": [{"id": "cnj", "status": "resolved",
            "body": "<ul><li><strong>2011-07-28 03:06:00</strong> - One of our file servers failed over.\\r\\n\\r\\nMore</li><li><strong>2011-07-28 04:00:00</strong> - Still on it &amp; <a href=\"http://x.test/a\">details</a></li><li><strong>2011-07-28 05:43:00</strong> - Fully resolved!</li></ul>",
            "created_at": "2018-12-05T11:27:12.071Z", "display_at": "2011-07-28T03:06:00.000Z"}]}}"#;
        let got = read_str(doc).expect("reads");
        let imp = &got[0];
        let msgs: Vec<_> = imp.messages.iter().map(|m| &m.value.message).collect();
        assert_eq!(msgs.len(), 3);
        assert_eq!(
            msgs.iter().map(|m| m.sent_at).collect::<Vec<_>>(),
            [
                Some(t("2011-07-28T03:06:00Z")),
                Some(t("2011-07-28T04:00:00Z")),
                Some(t("2011-07-28T05:43:00Z"))
            ]
        );
        assert_eq!(
            msgs.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            ["initial", "update", "resolution"]
        );
        assert_eq!(msgs[1].body, "Still on it & details (http://x.test/a)");
        assert_eq!(msgs[0].body, "One of our file servers failed over.\n\nMore");
        assert_eq!(msgs[0].external_id.as_deref(), Some("cnj#1"));
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(inc.detected_at, Some(t("2011-07-28T03:06:00Z")));
        assert_eq!(inc.resolved_at, Some(t("2011-07-28T05:43:00Z")));
        assert!(
            imp.events
                .iter()
                .all(|e| e.value.occurred_at < Some(t("2012-01-01T00:00:00Z")))
        );
    }

    #[test]
    fn legacy_stamps_in_the_page_zone_and_time_only() {
        let items = legacy_items(
            "<ul><li><strong>23:50</strong> - late</li><li><strong>00:10</strong> - after midnight</li><li>no stamp</li></ul>",
        )
        .expect("legacy");
        assert_eq!(items.len(), 2);
        assert!(items[1].html.contains("no stamp"));
        let anchor = t("2020-01-01T23:50:00Z");
        let times = place_legacy(&items, anchor, &[chrono_tz::UTC]);
        assert_eq!(times, [anchor, t("2020-01-02T00:10:00Z")]);
        // A page in Los Angeles whose stamps are local: the zone that matches the display time wins.
        let items = legacy_items("<ul><li><strong>2020-07-01 08:00:00</strong> - x</li></ul>")
            .expect("legacy");
        let la: Tz = "America/Los_Angeles".parse().expect("zone");
        let times = place_legacy(&items, t("2020-07-01T15:00:00Z"), &[chrono_tz::UTC, la]);
        assert_eq!(times, [t("2020-07-01T15:00:00Z")]);
        assert!(legacy_items("<ul><li>no stamp</li></ul>").is_none());
        assert!(legacy_items("Plain text").is_none());
    }

    #[test]
    fn embedded_documents_are_read_and_other_json_ignored() {
        let doc: Value = serde_json::from_str(SINGLE).expect("json");
        let list = serde_json::json!({"page": doc["page"], "incidents": [doc["incident"]]});
        let pretty = serde_json::to_string_pretty(&list).expect("json");
        let text = format!(
            "func TestParse(t *testing.T) {{\n\tcases := []struct{{ in []byte }}{{\n\
             \t\t{{in: []byte(`<html><body><h1>504 Gateway Time-out</h1></body></html>`)}},\n\
             \t\t{{in: []byte(`{{\"page\": {{\"id\": \"pg1\"}}, \"components\": [{{\"name\": \"API\"}}]}}`)}},\n\
             \t\t{{in: []byte(`{pretty}`)}},\n\t}}\n}}\n\n```json\n{{\"a\": {{\"b\": [1, \"}}\"]}}}}\n```\n"
        );
        assert!(!detect(text.as_bytes()) && detect_embedded(text.as_bytes()));
        let got = read("status_test.go", text.as_bytes(), &ReadOptions::default()).expect("reads");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].messages.len(), 3);
        assert_eq!(got[0].external_id.as_deref(), Some("abcdefghijkl"));
        // Places name the line the embedded document starts on.
        assert_eq!(got[0].messages[0].at.line, Some(5));

        // A damaged excerpt is named, not skipped; the JSON beside it is not looked at.
        let broken = text.replace("\"impact\": \"major\",", "\"impact\": \"major\" oops,");
        assert_ne!(broken, text);
        let e =
            read("status_test.go", broken.as_bytes(), &ReadOptions::default()).expect_err("broken");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].line.is_some_and(|l| l > 5), "{e:?}");
        assert!(
            e[0].reason
                .starts_with("the Statuspage JSON that starts on line 5 is not valid JSON"),
            "{e:?}"
        );
        let cut = &text[..text.find("\"incident_updates\"").expect("updates") + 40];
        let e = read("status.md", cut.as_bytes(), &ReadOptions::default()).expect_err("cut");
        assert_eq!(e[0].line, Some(5));
        assert!(e[0].reason.contains("never closed"), "{e:?}");
        let e = read(
            "notes.md",
            b"some \"incident_updates\" prose",
            &ReadOptions::default(),
        )
        .expect_err("none");
        assert!(e[0].reason.contains("holds no Statuspage JSON"), "{e:?}");
        assert!(!detect_embedded(b"no JSON {here}"));
    }

    #[test]
    fn a_planned_maintenance_is_an_incident_with_its_window() {
        let doc = r#"{"page": {"id": "pg", "name": "Acme", "time_zone": "America/Tijuana"},
          "scheduled_maintenances": [{"id": "mnt1", "name": "Server Juice ✧", "status": "completed",
            "impact": "maintenance", "created_at": "2015-09-18T18:20:40.535-07:00",
            "resolved_at": "2015-09-22T02:25:20.034-07:00",
            "scheduled_for": "2015-09-22T01:00:00.000-07:00", "scheduled_until": "2015-09-22T01:30:00.000-07:00",
            "incident_updates": [{"id": "u1", "status": "scheduled", "body": "We give the servers juice ✧\r\n\r\nSorry.",
              "created_at": "2015-09-18T18:20:40.794-07:00", "display_at": "2015-09-18T18:20:00.000-07:00"}]}]}"#;
        let got = read_str(doc).expect("reads");
        let imp = &got[0];
        let inc = imp.incident.as_ref().expect("incident");
        assert_eq!(
            (inc.kind.as_str(), inc.status.as_str()),
            ("other", "closed")
        );
        assert_eq!(inc.severity, "sev4");
        assert_eq!(inc.detected_at, Some(t("2015-09-19T01:20:40.535Z")));
        assert_eq!(inc.resolved_at, Some(t("2015-09-22T09:25:20.034Z")));
        assert_eq!(
            inc.summary,
            "Planned maintenance from 2015-09-22 08:00 to 2015-09-22 08:30 (UTC)"
        );
        assert_eq!(
            imp.messages[0].value.message.body,
            "We give the servers juice ✧\n\nSorry."
        );
        let events: Vec<(&str, Option<NaiveDateTime>)> = imp
            .events
            .iter()
            .map(|e| (e.value.kind.as_str(), e.value.occurred_at))
            .collect();
        assert_eq!(
            events,
            [
                ("note", Some(t("2015-09-19T01:20:00Z"))),
                ("detected", Some(t("2015-09-19T01:20:40.535Z"))),
                ("note", Some(t("2015-09-22T08:00:00Z"))),
                ("resolved", Some(t("2015-09-22T09:25:20.034Z"))),
            ]
        );
    }

    #[test]
    fn detects_statuspage_documents() {
        assert!(detect(SINGLE.as_bytes()));
        assert!(detect(b"\xEF\xBB\xBF {\"incidents\": []}"));
        assert!(!detect(b"{\"components\": []}"));
        assert!(!detect(b"<html>incidents</html>"));
    }

    /// The two excerpts in other text (SOURCES.md): Cloudflare's `incidents.json` in a Go test
    /// (2 incidents, 6 updates, `\r\n` in bodies) and Discord's API documentation (1 incident
    /// trimmed to 1 update, 1 planned maintenance of 2015, a component list, metrics and empty
    /// lists beside them).
    #[test]
    fn real_small_files_read_as_they_are() {
        let Some(dir) = real_dir() else { return };
        let opts = ReadOptions::default();
        let read_file = |name: &str| {
            let bytes = std::fs::read(dir.join("statuspage/small").join(name)).expect("file");
            assert!(!detect(&bytes) && detect_embedded(&bytes), "{name}");
            read(name, &bytes, &opts).unwrap_or_else(|e| panic!("{name}: {e:?}"))
        };
        let cloudflare = read_file("statuspage_cloudflare_in_cloudflared_test.go");
        let counts: Vec<(&str, usize)> = cloudflare
            .iter()
            .map(|i| (i.external_id.as_deref().unwrap_or(""), i.messages.len()))
            .collect();
        assert_eq!(counts, [("wqfk9mzs5qt1", 2), ("q746ybtyb6q0", 4)]);
        let bodies: Vec<&str> = cloudflare
            .iter()
            .flat_map(|i| i.messages.iter().map(|m| m.value.message.body.as_str()))
            .collect();
        assert!(bodies.iter().all(|b| !b.contains('\r')));
        assert!(bodies.contains(
            &"Cloudflare has implemented a fix for this issue and is currently monitoring the results.\n\nWe will update the status once the issue is resolved."
        ));
        let api = cloudflare[1].incident.as_ref().expect("incident");
        assert_eq!(api.detected_at, Some(t("2018-09-17T19:29:21.132Z")));
        assert_eq!(api.resolved_at, Some(t("2018-09-18T07:45:41.290Z")));
        assert_eq!(api.affected_services, ["Cloudflare APIs"]);

        let discord = read_file("statuspage_discord_in_discord-undoc_status_api.md");
        assert_eq!(discord.len(), 2);
        let (maintenance, incident) = (&discord[0], &discord[1]);
        let m = maintenance.incident.as_ref().expect("maintenance");
        assert_eq!(maintenance.external_id.as_deref(), Some("chkt3cr0jf7b"));
        assert_eq!((m.kind.as_str(), m.status.as_str()), ("other", "closed"));
        assert!(m.title.contains("(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧"));
        assert_eq!(
            m.summary,
            "Planned maintenance from 2015-09-22 08:00 to 2015-09-22 08:30 (UTC)"
        );
        assert_eq!(m.resolved_at, Some(t("2015-09-22T09:25:20.034Z")));
        assert_eq!(maintenance.messages.len(), 1);
        assert!(
            maintenance.messages[0]
                .value
                .message
                .body
                .contains("〜(￣▽￣〜)")
        );
        let i = incident.incident.as_ref().expect("incident");
        assert_eq!(incident.source.as_deref(), Some(SOURCE));
        assert_eq!(i.detected_at, Some(t("2022-02-15T21:14:17.744Z")));
        assert_eq!(i.resolved_at, Some(t("2022-02-15T21:37:37.388Z")));
        assert_eq!(incident.messages.len(), 1);
        assert_eq!(
            incident.messages[0].value.message.sent_at,
            Some(t("2022-02-15T21:14:17.849Z"))
        );
    }

    #[test]
    fn all_real_github_incidents() {
        let Some(dir) = real_dir() else { return };
        let dir = dir.join("statuspage/github_incidents");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("github_incidents dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let opts = ReadOptions::default();
        let known = vec!["customers".to_string()];
        let migration_day = chrono::NaiveDate::from_ymd_opt(2018, 12, 5).expect("date");

        let (mut incidents, mut messages) = (0usize, 0usize);
        let (mut src_updates, mut src_legacy_entries, mut src_plain_updates) = (0, 0, 0);
        let mut legacy_incidents = 0;
        let mut plain_messages = 0;
        let mut by_impact: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
        let mut per_incident: BTreeMap<usize, usize> = BTreeMap::new();
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let mut events: BTreeMap<String, usize> = BTreeMap::new();
        let mut languages: BTreeMap<String, usize> = BTreeMap::new();
        let mut msg_languages: BTreeMap<String, usize> = BTreeMap::new();
        for path in &files {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            let bytes = std::fs::read(path).expect("read file");
            assert!(detect(&bytes), "{name}: not detected");

            // The expectations, computed from the raw JSON independently of the reader.
            let raw: Value = serde_json::from_slice(&bytes).expect("raw json");
            let ups = raw["incident"]["incident_updates"]
                .as_array()
                .expect("updates");
            src_updates += ups.len();
            *by_impact
                .entry(raw["incident"]["impact"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
            let legacy = ups.len() == 1
                && ups[0]["body"]
                    .as_str()
                    .is_some_and(|b| b.trim_start().starts_with("<ul>"));
            if legacy {
                legacy_incidents += 1;
                src_legacy_entries += ups[0]["body"]
                    .as_str()
                    .map_or(0, |b| b.matches("<li>").count());
            } else {
                src_plain_updates += ups.len();
            }

            let got = read(name, &bytes, &opts).unwrap_or_else(|e| panic!("{name}: {}", e[0]));
            assert_eq!(got.len(), 1, "{name}");
            let imp = &got[0];
            incidents += 1;
            messages += imp.messages.len();
            if !legacy {
                plain_messages += imp.messages.len();
            }
            *per_incident.entry(imp.messages.len()).or_default() += 1;
            let inc = imp.incident.as_ref().expect("incident");
            *by_severity.entry(inc.severity.clone()).or_default() += 1;
            *languages.entry(inc.language.clone()).or_default() += 1;
            inc.validate(&known)
                .unwrap_or_else(|e| panic!("{name}: incident invalid: {e}"));
            let detected = inc.detected_at.expect("detected");
            if let Some(resolved) = inc.resolved_at {
                assert!(resolved >= detected, "{name}: resolved before detected");
            }
            let times: Vec<_> = imp
                .messages
                .iter()
                .map(|m| m.value.message.sent_at)
                .collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{name}: unsorted");
            for m in &imp.messages {
                let msg = &m.value.message;
                msg.validate(&known, &[])
                    .unwrap_or_else(|e| panic!("{name}: message invalid: {e}"));
                assert!(
                    !msg.body.contains("\\r\\n") && !msg.body.contains('\r'),
                    "{name}: raw line breaks left in a body"
                );
                *kinds.entry(msg.kind.clone()).or_default() += 1;
                *msg_languages.entry(msg.language.clone()).or_default() += 1;
                if legacy {
                    let day = msg.sent_at.expect("sent").date();
                    assert_ne!(day, migration_day, "{name}: migration date used");
                    assert!(
                        msg.sent_at >= Some(detected),
                        "{name}: entry before detection"
                    );
                }
            }
            for e in &imp.events {
                e.value
                    .validate()
                    .unwrap_or_else(|err| panic!("{name}: event invalid: {err}"));
                *events.entry(e.value.kind.clone()).or_default() += 1;
                if legacy {
                    assert_ne!(e.value.occurred_at.map(|t| t.date()), Some(migration_day));
                }
            }
        }
        eprintln!("github: {incidents} incidents, {messages} messages from {src_updates} updates");
        eprintln!(
            "github: {legacy_incidents} legacy incidents with {src_legacy_entries} list entries"
        );
        eprintln!("github: impact {by_impact:?}");
        eprintln!("github: severity {by_severity:?}");
        eprintln!("github: messages per incident {per_incident:?}");
        eprintln!("github: message kinds {kinds:?}");
        eprintln!("github: event kinds {events:?}");
        eprintln!("github: incident languages {languages:?}; message languages {msg_languages:?}");

        assert_eq!(files.len(), 1282);
        assert_eq!(incidents, 1282);
        assert_eq!(src_updates, 2801);
        assert_eq!(
            plain_messages, src_plain_updates,
            "non-legacy updates lost or added"
        );
        assert_eq!(messages, src_plain_updates + src_legacy_entries);
        assert!(messages >= 2801);
        let expected_severity: BTreeMap<String, usize> =
            [("sev1", 2), ("sev2", 199), ("sev3", 1048), ("sev4", 33)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        assert_eq!(by_severity, expected_severity);
        assert_eq!(by_impact.get("minor"), Some(&1048));
        assert_eq!(by_impact.get("major"), Some(&199));
        assert_eq!(by_impact.get("none"), Some(&33));
        assert_eq!(by_impact.get("critical"), Some(&2));
    }
}
