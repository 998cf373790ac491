//! What each fuzz target does with one input, shared by the targets under `fuzz_targets/` and by
//! the regression test `tests/it/fuzz_regressions.rs`, so a saved input is replayed through
//! exactly the code that found it. Plain Rust over the library's public API: no database, no
//! libFuzzer, so it builds on stable too.
//!
//! Besides "does not panic", each function checks properties a caller relies on (spans that
//! slice the text, safe Markdown HTML, scores in range); a violation panics like a crash would.
//!
//! Options vary with the input's length (`data.len() % n`), not with its bytes, so seeds from
//! real files keep their exact content and still reach every variant once the fuzzer grows or
//! shrinks them.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use debrief::domain::{Channel, Language, MessageKind};
use debrief::import::{ImportedIncident, ReadOptions, ReadResult, RecordKind, registry};
use debrief::scoring::prepared::Prepared;
use debrief::scoring::{ClarityRubric, MessageContext, Readers, ServiceCatalogue, promise, times};

/// One target: what it does with an input.
pub type Target = fn(&[u8]);

/// The targets and the input each one reads, for the regression test's directory walk.
pub const TARGETS: &[(&str, Target)] = &[
    ("debrief", debrief),
    ("pagerduty", pagerduty),
    ("gcp", gcp),
    ("statuspage", statuspage),
    ("cstate", cstate),
    ("slack", slack),
    ("feed", feed),
    ("email", email),
    ("csv", csv),
    ("html", html),
    ("markdown", markdown),
    ("analyze", analyze),
];

/// Zones with a DST change, a half-hour offset and none at all.
const ZONES: &[Tz] = &[
    chrono_tz::Europe::Zurich,
    chrono_tz::UTC,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
];

fn read_options(variant: usize) -> ReadOptions {
    let mut opts = ReadOptions {
        tz: ZONES[variant % ZONES.len()],
        ..ReadOptions::default()
    };
    if variant % 2 == 1 {
        opts.default_audience = Some("employees".to_string());
        opts.audience_by_address = BTreeMap::from([
            ("@example.ch".to_string(), "customers".to_string()),
            ("it@example.com".to_string(), "employees".to_string()),
        ]);
    }
    opts
}

/// A reader's answer as the pipeline takes it: a refusal must say why.
fn check_read(format: &str, result: &ReadResult) {
    if let Err(errors) = result {
        assert!(
            !errors.is_empty(),
            "{format}: the reader refused the file without naming a problem"
        );
    }
}

/// Detection and reading through the registry entry, as the import pipeline calls them.
fn reader(format: &str, file_name: &str, data: &[u8], opts: &ReadOptions) {
    let entry = registry::by_name(format).expect("the target's format is in the registry");
    let _ = (entry.detect)(file_name, data);
    let _ = (entry.detect)("upload", data);
    if let Some(embedded) = entry.detect_embedded {
        let _ = embedded(file_name, data);
    }
    let result = (entry.read)(file_name, data, opts);
    check_read(format, &result);
}

pub fn debrief(data: &[u8]) {
    reader("debrief", "incident.json", data, &read_options(data.len()));
    // Detection over every format, in the registry's order, as for an upload without a format.
    let _ = registry::choose("upload", data, None);
}

pub fn pagerduty(data: &[u8]) {
    reader(
        "pagerduty",
        "log_entries.json",
        data,
        &read_options(data.len()),
    );
}

pub fn gcp(data: &[u8]) {
    reader("gcp", "incidents.json", data, &read_options(data.len()));
}

pub fn statuspage(data: &[u8]) {
    reader(
        "statuspage",
        "incidents.json",
        data,
        &read_options(data.len()),
    );
}

pub fn cstate(data: &[u8]) {
    reader(
        "cstate",
        "2024-05-01-outage.md",
        data,
        &read_options(data.len()),
    );
}

pub fn slack(data: &[u8]) {
    reader("slack", "2024-05-01.json", data, &read_options(data.len()));
}

pub fn feed(data: &[u8]) {
    reader("feed", "history.atom", data, &read_options(data.len()));
}

pub fn email(data: &[u8]) {
    let name = if data.len().is_multiple_of(2) {
        "sent.mbox"
    } else {
        "message.eml"
    };
    reader("email", name, data, &read_options(data.len() / 2));
}

/// Whole-file reading, and the streaming path the pipeline uses for tables, with and without
/// skipping invalid rows; the two must agree on what a good file holds.
pub fn csv(data: &[u8]) {
    let n = data.len();
    let mut opts = read_options(n);
    opts.record_kind = [
        None,
        Some(RecordKind::Events),
        Some(RecordKind::Messages),
        Some(RecordKind::Mentions),
        Some(RecordKind::Recipients),
    ][(n / 4) % 5];
    if (n / 20) % 2 == 1 {
        opts.column_mapping = BTreeMap::from([
            ("Zeit".to_string(), "sent_at".to_string()),
            ("Text".to_string(), "body".to_string()),
        ]);
    }
    reader("csv", "table.csv", data, &opts);

    let entry = registry::by_name("csv").expect("csv is in the registry");
    let stream = entry.stream.expect("csv streams");
    let whole = (entry.read)("table.csv", data, &opts);
    for skip_invalid in [false, true] {
        let mut received = 0usize;
        let result = stream("table.csv", &data, &opts, skip_invalid, &mut |batch| {
            received += records(&batch);
            ControlFlow::Continue(())
        });
        match &result {
            Ok(end) => {
                assert_eq!(end.delivered, received, "csv: delivered count");
                if !skip_invalid {
                    let read = whole
                        .as_ref()
                        .expect("stream read the file that read refused");
                    assert_eq!(read.iter().map(records).sum::<usize>(), received);
                }
            }
            Err(refusal) => assert!(
                !refusal.errors.is_empty() && refusal.error_count >= refusal.errors.len(),
                "csv: refused without a problem, or counted fewer than it listed"
            ),
        }
    }
    // A receiver that stops after the first batch.
    let _ = stream("table.csv", &data, &opts, true, &mut |_| {
        ControlFlow::Break(())
    });
}

fn records(incident: &ImportedIncident) -> usize {
    incident.events.len()
        + incident.messages.len()
        + incident.mentions.len()
        + incident.recipients.len()
}

/// The HTML-to-text converter the readers use for bodies, with its helpers.
pub fn html(data: &[u8]) {
    use debrief::import::html;
    let text = String::from_utf8_lossy(data);
    let _ = html::looks_like_html(&text);
    let _ = html::decode_entities(&text);
    let _ = html::html_to_text(&text);
}

/// Tags `to_html` may produce: Markdown's formatting and tables, nothing that loads or runs.
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "strong",
    "em",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

pub fn markdown(data: &[u8]) {
    use debrief::text::markdown;
    let text = String::from_utf8_lossy(data);
    let _ = markdown::to_text(&text);
    let html = markdown::to_html(&text);
    assert_safe_html(&text, &html);
}

/// The safety property of `to_html`: no `<script`, no event-handler attribute (`on…=`), no
/// `javascript:` address, and only Markdown's own tags with quoted attributes. Text is always
/// escaped, so every `<` in the output starts a tag.
pub fn assert_safe_html(markdown: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(
        !lower.contains("<script"),
        "<script in the HTML of {markdown:?}: {html}"
    );
    for part in lower.split('<').skip(1) {
        let end = part
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in the HTML of {markdown:?}: {html}"));
        let inner = part[..end].trim_start_matches('/').trim_end_matches('/');
        let (name, mut rest) = inner
            .split_once([' ', '\t', '\n', '\r'])
            .unwrap_or((inner, ""));
        assert!(
            MARKDOWN_TAGS.contains(&name),
            "<{name}> in the HTML of {markdown:?}: {html}"
        );
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let Some((key, after)) = rest.split_once("=\"") else {
                panic!("unquoted attribute in <{inner}> of {markdown:?}: {html}");
            };
            let key = key.trim();
            let value_end = after
                .find('"')
                .unwrap_or_else(|| panic!("unclosed attribute in <{inner}> of {markdown:?}"));
            let value = &after[..value_end];
            rest = &after[value_end + 1..];
            assert!(
                !key.starts_with("on") && !key.contains(char::is_whitespace),
                "attribute {key} in <{inner}> of {markdown:?}: {html}"
            );
            if matches!(key, "href" | "src") {
                let address: String = value
                    .replace("&#x3a;", ":")
                    .replace("&#58;", ":")
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect();
                assert!(
                    !address.starts_with("javascript:"),
                    "javascript: address in <{inner}> of {markdown:?}: {html}"
                );
            }
        }
    }
}

static SERVICES: LazyLock<ServiceCatalogue> = LazyLock::new(ServiceCatalogue::default);
static RUBRIC: LazyLock<ClarityRubric> = LazyLock::new(ClarityRubric::default);

/// Sending times on the days Zurich's clocks change, and an ordinary one.
fn sent_at(variant: usize) -> Option<NaiveDateTime> {
    let at = |y, m, d, h, mi| {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .expect("valid date")
    };
    [
        None,
        Some(at(2026, 3, 29, 0, 30)),
        Some(at(2026, 10, 24, 23, 45)),
        Some(at(2026, 6, 10, 13, 5)),
    ][variant % 4]
}

/// The text analysis of one message, the sentiment analyser and the next-update and time
/// parsers on their own; every span they return must slice the text.
pub fn analyze(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let n = data.len();
    let language = [None, Some(Language::En), Some(Language::De)][n % 3];
    let sent = sent_at(n / 3);
    let zone = ZONES[(n / 12) % ZONES.len()];

    let mut ctx = MessageContext::new(
        MessageKind::ALL[n % MessageKind::ALL.len()],
        Readers::ALL[(n / 5) % Readers::ALL.len()],
        &SERVICES,
        &RUBRIC,
    );
    ctx.channel = Channel::ALL[(n / 7) % Channel::ALL.len()];
    ctx.language = language;
    ctx.sent_at = sent;
    ctx.time_zone = zone;
    ctx.apology_expected = n.is_multiple_of(2);
    let analysis = debrief::scoring::analyze(text, &ctx);
    for e in &analysis.evidence {
        assert_eq!(
            text.get(e.start..e.end),
            Some(e.text.as_str()),
            "evidence span"
        );
    }
    let c = &analysis.clarity;
    for score in [c.total, c.completeness, c.language, c.tone, c.honesty] {
        assert!(score.is_finite(), "clarity score {score} for {text:?}");
    }

    let sentiment = debrief::text::analyse_sentiment(text);
    assert!(
        (-1.0..=1.0).contains(&sentiment.compound),
        "compound {} for {text:?}",
        sentiment.compound
    );
    for share in [sentiment.positive, sentiment.neutral, sentiment.negative] {
        assert!(share.is_finite(), "sentiment share {share} for {text:?}");
    }

    let prepared = Prepared::new(text, analysis.language);
    if let Some(p) = promise::next_update(&prepared) {
        let _ = p.written(text);
        let _ = p.resolve(sent, zone);
    }
    for t in times::find(text) {
        assert!(text.get(t.start..t.end).is_some(), "time expression span");
        if let Some(sent) = sent {
            let _ = times::resolve(t.value, sent, zone);
        }
    }
}
