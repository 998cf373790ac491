//! Analysing message texts from JSON lines (`debrief analyze`, `POST /api/v1/analyze`): one
//! input line `{"id","lang"?,"kind","audience","channel","text","sent_at"?,"tz"?}` in, one result
//! line out, streamed so a file of any size runs in constant memory. A line is read up to
//! [`MAX_LINE_BYTES`] and its text analysed up to [`MAX_TEXT_CHARS`]; a bad line is reported
//! with its number, id and field, and the rest is still processed.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use super::analysis::{Labels, MessageContext, analyze};
use super::clarity::ClarityScores;
use super::finding::Finding;
use super::labels::Readers;
use super::rubric::ClarityRubric;
use super::services::ServiceCatalogue;
use crate::domain::audience::DEFAULT_AUDIENCES;
use crate::domain::{Channel, Language, MessageKind};

pub use super::analysis::MAX_TEXT_CHARS;

/// The longest input line read: room for a text of [`MAX_TEXT_CHARS`] characters even when every
/// one is written as a `\u` escape pair (12 bytes), and for the other fields.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

#[derive(Debug, Deserialize)]
struct InputLine {
    id: Option<serde_json::Value>,
    lang: Option<String>,
    kind: Option<String>,
    audience: Option<String>,
    channel: Option<String>,
    text: Option<String>,
    /// When the message was sent (RFC 3339), so "14:30" and "in 30 minutes" resolve.
    sent_at: Option<String>,
    /// The zone clock times in the text are read in (IANA name; default Europe/Zurich).
    tz: Option<String>,
}

/// One input line that could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    /// The line's id, when it could be read.
    pub id: Option<String>,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}: {}", self.field, self.message)
    }
}

#[derive(Debug, Serialize)]
pub struct ReadabilityOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flesch: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amstad: Option<f64>,
    pub wstf1: Option<f64>,
    pub lix: Option<f64>,
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
}

/// One result line.
#[derive(Debug, Serialize)]
pub struct OutputLine {
    pub id: serde_json::Value,
    pub lang: Language,
    pub readability: ReadabilityOut,
    pub labels: Labels,
    pub next_update_at: Option<String>,
    pub eta_at: Option<String>,
    pub clarity: ClarityScores,
    pub findings: Vec<Finding>,
}

/// Who reads the message, from the codebook's reader words (`lay`, `technical`, `management`)
/// or an audience key (`customers`, `it_teams`, …).
pub fn readers_for(audience: &str) -> Option<Readers> {
    let key = audience.trim().to_lowercase();
    if let Ok(readers) = key.parse::<Readers>() {
        return Some(readers);
    }
    match key.as_str() {
        "management" | "executives" | "board" => Some(Readers::Management),
        // Partners read as business people: plain wording matters, their own acronyms do not.
        "partners" | "suppliers" => Some(Readers::Management),
        "it" | "it_team" | "support" | "support_teams" | "service_desk" | "developers" => {
            Some(Readers::Technical)
        }
        "users" | "it_users" | "staff" | "students" => Some(Readers::Lay),
        other => DEFAULT_AUDIENCES.iter().find(|a| a.0 == other).map(|a| {
            if a.4 {
                Readers::Lay
            } else {
                Readers::Technical
            }
        }),
    }
}

/// The channel from its stored name or a common short form (`social`).
pub fn channel_for(name: &str) -> Option<Channel> {
    let key = name.trim().to_lowercase();
    match key.as_str() {
        "social" | "twitter" | "x" | "facebook" | "linkedin" | "mastodon" => {
            Some(Channel::SocialMedia)
        }
        "statuspage" | "status" => Some(Channel::StatusPage),
        "e-mail" | "mail" => Some(Channel::Email),
        "slack" | "teams" => Some(Channel::Chat),
        other => other.parse().ok(),
    }
}

/// Analyses one input line (numbered from 1).
pub fn analyze_line(
    line: &str,
    number: usize,
    services: &ServiceCatalogue,
    rubric: &ClarityRubric,
) -> Result<OutputLine, LineError> {
    let input: InputLine = serde_json::from_str(line).map_err(|e| LineError {
        line: number,
        id: None,
        field: "line".into(),
        message: format!("not a JSON object: {e}"),
    })?;
    let id = input.id.as_ref().map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let error = |field: &str, message: String| LineError {
        line: number,
        id: id.clone(),
        field: field.to_string(),
        message,
    };
    let text = input
        .text
        .ok_or_else(|| error("text", "is missing".into()))?;
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(error(
            "text",
            format!("is {chars} characters long; at most {MAX_TEXT_CHARS} are analysed"),
        ));
    }
    let kind: MessageKind = input
        .kind
        .as_deref()
        .ok_or_else(|| error("kind", "is missing".into()))?
        .parse()
        .map_err(|e| error("kind", e))?;
    let audience = input
        .audience
        .ok_or_else(|| error("audience", "is missing".into()))?;
    let readers = readers_for(&audience).ok_or_else(|| {
        error(
            "audience",
            format!("'{audience}' is not lay, technical, management or an audience key"),
        )
    })?;
    let channel = match input.channel.as_deref() {
        Some(c) => {
            channel_for(c).ok_or_else(|| error("channel", format!("'{c}' is not a channel")))?
        }
        None => Channel::Other,
    };
    let language = match input.lang.as_deref() {
        Some(l) => Some(l.parse::<Language>().map_err(|e| error("lang", e))?),
        None => None,
    };
    let sent_at = match input.sent_at.as_deref() {
        Some(s) => Some(
            chrono::DateTime::parse_from_rfc3339(s.trim())
                .map_err(|e| {
                    error(
                        "sent_at",
                        format!(
                            "'{s}' is not an RFC 3339 time like 2026-03-10T14:05:00+01:00: {e}"
                        ),
                    )
                })?
                .naive_utc(),
        ),
        None => None,
    };
    let mut ctx = MessageContext::new(kind, readers, services, rubric);
    if let Some(tz) = input.tz.as_deref() {
        ctx.time_zone = crate::domain::time::parse_zone(tz).map_err(|e| error("tz", e))?;
    }
    ctx.channel = channel;
    ctx.language = language;
    ctx.sent_at = sent_at;
    let analysis = analyze(&text, &ctx);
    let r = analysis.readability;
    Ok(OutputLine {
        id: input.id.unwrap_or(serde_json::Value::from(number)),
        lang: analysis.language,
        readability: ReadabilityOut {
            flesch: r.flesch,
            amstad: r.amstad,
            wstf1: r.wstf1,
            lix: r.lix,
            sentences: r.sentences,
            words: r.words,
            syllables: r.syllables,
        },
        labels: analysis.labels,
        next_update_at: analysis
            .next_update_at
            .map(crate::domain::time::format_rfc3339),
        eta_at: analysis.eta_at.map(crate::domain::time::format_rfc3339),
        clarity: analysis.clarity,
        findings: analysis.findings,
    })
}

/// How a result is written: a JSON line or a short line for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Json,
    Text,
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunSummary {
    pub analysed: usize,
    pub failed: usize,
}

/// Reads JSON lines from `input` and writes one result per line to `output`; bad lines are
/// reported on `errors` and skipped. Blank lines are ignored.
pub fn run(
    input: impl BufRead,
    mut output: impl Write,
    mut errors: impl Write,
    format: OutputFormat,
    services: &ServiceCatalogue,
    rubric: &ClarityRubric,
) -> io::Result<RunSummary> {
    let mut summary = RunSummary::default();
    let mut input = input;
    let mut buf = Vec::new();
    let mut number = 0;
    while let Some(too_long) = read_line(&mut input, &mut buf, MAX_LINE_BYTES)? {
        number += 1;
        let outcome = if too_long {
            Err(LineError {
                line: number,
                id: None,
                field: "line".into(),
                message: format!("is longer than {MAX_LINE_BYTES} bytes"),
            })
        } else {
            match std::str::from_utf8(&buf) {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => analyze_line(line, number, services, rubric),
                Err(e) => Err(LineError {
                    line: number,
                    id: None,
                    field: "line".into(),
                    message: format!("is not UTF-8: {e}"),
                }),
            }
        };
        match outcome {
            Ok(result) => {
                summary.analysed += 1;
                match format {
                    OutputFormat::Json => {
                        serde_json::to_writer(&mut output, &result).map_err(io::Error::other)?;
                        output.write_all(b"\n")?;
                    }
                    OutputFormat::Text => writeln!(output, "{}", text_line(&result))?,
                }
            }
            Err(e) => {
                summary.failed += 1;
                writeln!(errors, "{e}")?;
            }
        }
    }
    output.flush()?;
    Ok(summary)
}

/// Reads one line (without its line break) into `buf`, keeping at most `limit` bytes: a longer
/// line is read to its end and dropped, so memory stays bounded whatever the input. `None` at
/// the end of the input, otherwise whether the line was too long.
fn read_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let (mut read_any, mut too_long) = (false, false);
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(read_any.then_some(too_long));
        }
        read_any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        if !too_long {
            if buf.len() + chunk.len() > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let consumed = done.unwrap_or(available.len());
        input.consume(consumed);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(too_long));
        }
    }
}

fn text_line(r: &OutputLine) -> String {
    let id = match &r.id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let ease = match (r.readability.flesch, r.readability.amstad) {
        (Some(f), _) => format!("Flesch {f:.0}"),
        (None, Some(a)) => format!("Amstad {a:.0}"),
        _ => "no prose".to_string(),
    };
    let missing: Vec<&str> = r
        .findings
        .iter()
        .filter_map(|f| f.code.strip_suffix(".missing"))
        .collect();
    let missing = if missing.is_empty() {
        String::new()
    } else {
        format!("; missing {}", missing.join(" "))
    };
    let top = r
        .findings
        .iter()
        .find(|f| f.impact > 0.0)
        .map(|f| format!("; {}", f.text_en))
        .unwrap_or_default();
    format!(
        "{id} [{}] clarity {:.0} (completeness {:.0}, language {:.0}, tone {:.0}, honesty {:.0}); {ease}{missing}{top}",
        r.lang,
        r.clarity.total,
        r.clarity.completeness,
        r.clarity.language,
        r.clarity.tone,
        r.clarity.honesty
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(input: &str, format: OutputFormat) -> (String, String, RunSummary) {
        run_on_bytes(input.as_bytes(), format)
    }

    fn run_on_bytes(input: &[u8], format: OutputFormat) -> (String, String, RunSummary) {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let summary =
            run(input, &mut out, &mut err, format, &services, &rubric).expect("in-memory run");
        (
            String::from_utf8(out).expect("utf-8"),
            String::from_utf8(err).expect("utf-8"),
            summary,
        )
    }

    #[test]
    fn readers_from_codebook_words_and_audience_keys() {
        assert_eq!(readers_for("lay"), Some(Readers::Lay));
        assert_eq!(readers_for("customers"), Some(Readers::Lay));
        assert_eq!(readers_for("it_teams"), Some(Readers::Technical));
        assert_eq!(readers_for("Management"), Some(Readers::Management));
        assert_eq!(readers_for("martians"), None);
        assert_eq!(channel_for("social"), Some(Channel::SocialMedia));
        assert_eq!(channel_for("status_page"), Some(Channel::StatusPage));
        assert_eq!(channel_for("pigeon"), None);
    }

    #[test]
    fn one_json_line_per_message_and_bad_lines_reported_with_field() {
        let input = concat!(
            r#"{"id":"a","lang":"de","kind":"initial","audience":"lay","channel":"email","text":"Das WLAN ist gestört."}"#,
            "\n\n",
            r#"{"id":"b","kind":"update","audience":"aliens","channel":"email","text":"x"}"#,
            "\n",
            "not json\n",
            r#"{"id":"c","kind":"resolution","audience":"customers","channel":"social","text":"The website is working again."}"#,
            "\n",
        );
        let (out, err, summary) = run_on(input, OutputFormat::Json);
        assert_eq!(
            summary,
            RunSummary {
                analysed: 2,
                failed: 2
            }
        );
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "a");
        assert_eq!(lines[0]["lang"], "de");
        assert!(lines[0]["readability"]["amstad"].is_number());
        assert_eq!(lines[0]["labels"]["E2_service"], true);
        assert_eq!(lines[1]["lang"], "en");
        assert!(lines[1]["readability"]["flesch"].is_number());
        assert!(err.contains("line 3 (id b): audience:"), "{err}");
        assert!(err.contains("line 4: line:"), "{err}");
    }

    #[test]
    fn a_sending_time_resolves_promises_and_etas() {
        let input = concat!(
            r#"{"id":"with","kind":"update","audience":"lay","channel":"email","sent_at":"2026-03-10T09:05:00+01:00","text":"Das Portal ist gestört. Wir rechnen mit der Behebung bis 11 Uhr. Nächstes Update um 10:00 Uhr."}"#,
            "\n",
            r#"{"id":"zone","kind":"update","audience":"lay","channel":"email","sent_at":"2026-03-10T14:05:00Z","tz":"America/New_York","text":"The portal is down. Next update at 10:30."}"#,
            "\n",
            r#"{"id":"without","kind":"update","audience":"lay","channel":"email","text":"The portal is down. Next update at 10:30."}"#,
            "\n",
        );
        let (out, err, summary) = run_on(input, OutputFormat::Json);
        assert_eq!((summary.failed, err.as_str()), (0, ""));
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect();
        // 10:00 and 11:00 in Zurich on 10 March are 09:00 and 10:00 UTC.
        assert_eq!(lines[0]["next_update_at"], "2026-03-10T09:00:00Z");
        assert_eq!(lines[0]["eta_at"], "2026-03-10T10:00:00Z");
        assert_eq!(lines[0]["labels"]["next_update_at"], "10:00 Uhr");
        // 10:30 in New York (EDT from 8 March) is 14:30 UTC.
        assert_eq!(lines[1]["next_update_at"], "2026-03-10T14:30:00Z");
        assert!(lines[2]["next_update_at"].is_null());
        assert_eq!(lines[2]["labels"]["next_update_at"], "10:30");
    }

    #[test]
    fn bad_times_and_zones_are_named() {
        let input = concat!(
            r#"{"id":"t","kind":"update","audience":"lay","channel":"email","sent_at":"10.3.2026 14:05","text":"Down."}"#,
            "\n",
            r#"{"id":7,"kind":"update","audience":"lay","channel":"email","tz":"Mars/Olympus","text":"Down."}"#,
            "\n",
        );
        let (out, err, summary) = run_on(input, OutputFormat::Json);
        assert_eq!((summary.analysed, summary.failed, out.as_str()), (0, 2, ""));
        assert!(
            err.contains("line 1 (id t): sent_at: '10.3.2026 14:05' is not an RFC 3339 time"),
            "{err}"
        );
        assert!(err.contains("line 2 (id 7): tz:"), "{err}");
    }

    #[test]
    fn texts_and_lines_over_the_limits_are_refused_by_line_and_id() {
        let long_text = "Das Portal ist gestört. ".repeat(MAX_TEXT_CHARS / 24 + 1);
        let just_right: String = long_text.chars().take(MAX_TEXT_CHARS).collect();
        let line = |id: &str, text: &str| {
            serde_json::json!({"id": id, "kind": "update", "audience": "lay", "text": text})
                .to_string()
        };
        let huge = "x".repeat(MAX_LINE_BYTES + 10);
        let input = [
            line("long", &long_text),
            line("fits", &just_right),
            huge,
            "ok".to_string(),
            line("after", "The website is down."),
        ]
        .join("\n");
        let (out, err, summary) = run_on(&input, OutputFormat::Json);
        let ids: Vec<String> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"].to_string())
            .collect();
        assert_eq!(ids, vec!["\"fits\"", "\"after\""]);
        assert_eq!(summary.failed, 3, "{err}");
        assert!(
            err.contains(&format!(
                "line 1 (id long): text: is {} characters long; at most {MAX_TEXT_CHARS} are analysed",
                long_text.chars().count()
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "line 3: line: is longer than {MAX_LINE_BYTES} bytes"
            )),
            "{err}"
        );
        assert!(err.contains("line 4: line: not a JSON object"), "{err}");
    }

    #[test]
    fn lines_are_read_with_bounded_memory_and_utf8_checked() {
        let mut input: &[u8] = b"short\r\nmuch too long line\n\xff\xfe\nlast";
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut input, &mut buf, 8).expect("read"),
            Some(false)
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line(&mut input, &mut buf, 8).expect("read"),
            Some(true)
        );
        assert!(buf.len() <= 8);
        assert_eq!(
            read_line(&mut input, &mut buf, 8).expect("read"),
            Some(false)
        );
        assert!(std::str::from_utf8(&buf).is_err());
        assert_eq!(
            read_line(&mut input, &mut buf, 8).expect("read"),
            Some(false)
        );
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut input, &mut buf, 8).expect("read"), None);

        let (_, err, summary) = run_on_bytes(b"\xff\xfe\n", OutputFormat::Json);
        assert_eq!(summary.failed, 1);
        assert!(err.contains("line 1: line: is not UTF-8"), "{err}");
    }

    #[test]
    fn text_output_is_one_readable_line() {
        let input = r#"{"id":7,"kind":"update","audience":"lay","channel":"sms","text":"Update: the app is down. More soon."}"#;
        let (out, _, _) = run_on(input, OutputFormat::Text);
        assert_eq!(out.lines().count(), 1);
        assert!(out.starts_with("7 [en] clarity "), "{out}");
        assert!(out.contains("missing"), "{out}");
    }
}
