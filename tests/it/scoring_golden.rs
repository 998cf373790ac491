//! Golden test of the text analysis against the labelled message set (SCORING §5): per-label
//! precision and recall, with the bars of the rubric. The data lives in the shared folder beside
//! the repository; without it the test says so and passes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use debrief::domain::{Language, MessageKind, ServiceEntry};
use debrief::scoring::batch::{channel_for, readers_for};
use debrief::scoring::times::{self, DayRef, TimeValue};
use debrief::scoring::{ClarityRubric, MessageAnalysis, MessageContext, ServiceCatalogue, analyze};
use serde_json::Value;

fn shared_data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(name)
}

/// The codebook's service catalogue, read from its table: `| service | aliases en / de |`.
fn codebook_catalogue(codebook: &str) -> Vec<ServiceEntry> {
    let section = codebook
        .split("## Service catalogue")
        .nth(1)
        .expect("the codebook has a service catalogue section");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let (name, aliases) = (cells.first()?, cells.get(1)?);
            if *name == "service" || name.starts_with("---") {
                return None;
            }
            Some(ServiceEntry::from_stored(name, &aliases.replace('/', ",")))
        })
        .collect()
}

/// The held-out part of the labelled set: whole stories (a German story and its English
/// counterpart twenty numbers on, which follows the same course) and every third message that
/// belongs to no story. The cue lists are tuned on the rest; this part shows how the rules do on
/// messages they were not tuned on. Chosen by number before looking at the texts.
const HELD_OUT_STORIES: &[&str] = &["s04", "s24", "s10", "s30", "s16", "s36"];

fn held_out(record: &Value) -> bool {
    match record["story"].as_str() {
        Some(story) => HELD_OUT_STORIES.contains(&story),
        None => record["id"]
            .as_str()
            .and_then(|id| id.rsplit('-').next())
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n % 3 == 0),
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    fn of(predicted: bool, expected: bool) -> Self {
        Counts {
            tp: usize::from(predicted && expected),
            fp: usize::from(predicted && !expected),
            fn_: usize::from(!predicted && expected),
        }
    }

    fn precision(&self) -> Option<f64> {
        let p = self.tp + self.fp;
        (p > 0).then(|| self.tp as f64 / p as f64)
    }

    fn recall(&self) -> Option<f64> {
        let n = self.tp + self.fn_;
        (n > 0).then(|| self.tp as f64 / n as f64)
    }
}

/// SCORING §5: "precision ≥ 0.90 for rules that give credit, ≥ 0.85 for flags (jargon, blame)".
/// The rubric names its flags, so only those get the lower bar; the other labels, also the
/// deductions `vague_time` and `apology=formulaic`, are held to 0.90.
fn precision_bar(label: &str) -> f64 {
    if label.starts_with("jargon") || label.starts_with("blame=") {
        0.85
    } else {
        0.90
    }
}

/// One message's outcome per label.
struct Outcome {
    id: String,
    held_out: bool,
    counts: Vec<(String, Counts)>,
}

fn table(outcomes: &[&Outcome]) -> BTreeMap<String, (Counts, Vec<String>)> {
    let mut rows: BTreeMap<String, (Counts, Vec<String>)> = BTreeMap::new();
    for o in outcomes {
        for (label, c) in &o.counts {
            let row = rows.entry(label.clone()).or_default();
            row.0.add(*c);
            if c.fp > 0 || c.fn_ > 0 {
                row.1
                    .push(match (label.starts_with("jargon"), c.fp, c.fn_) {
                        (true, fp, fn_) => format!("{}(+{fp} -{fn_})", o.id),
                        (false, 0, _) => format!("-{}", o.id),
                        (false, _, 0) => format!("+{}", o.id),
                        (false, _, _) => format!("±{}", o.id),
                    });
            }
        }
    }
    rows
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.2}"))
}

/// Prints a table; the misses (message ids) only when asked, so the held-out part can be
/// reported without showing which of its messages fail.
fn print_table(title: &str, rows: &BTreeMap<String, (Counts, Vec<String>)>, misses: bool) {
    println!("{title}");
    println!(
        "{:<22} {:>4} {:>4} {:>4} {:>9} {:>7}{}",
        "label",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        if misses { "  misses" } else { "" }
    );
    for (label, (c, ids)) in rows {
        println!(
            "{label:<22} {:>4} {:>4} {:>4} {:>9} {:>7}{}",
            c.tp,
            c.fp,
            c.fn_,
            fmt(c.precision()),
            fmt(c.recall()),
            if misses {
                format!("  {}", ids.join(" "))
            } else {
                String::new()
            }
        );
    }
}

/// Jargon per labelled term: a labelled term counts once when any detection overlaps it (one
/// term found as two pieces is still one hit), a detection that overlaps no labelled term is a
/// false positive, a labelled term nothing overlaps (or that is not in the text) is missed.
/// A term labelled twice is looked for at its second place in the text.
fn jargon_counts(text: &str, labelled: &[String], analysis: &MessageAnalysis) -> Counts {
    let lower = text.to_lowercase();
    let mut expected: Vec<Option<(usize, usize)>> = Vec::new();
    for term in labelled {
        let t = term.to_lowercase();
        let mut from = 0;
        let place = loop {
            match lower[from..]
                .find(&t)
                .map(|i| (from + i, from + i + t.len()))
            {
                Some(p) if expected.contains(&Some(p)) => from = p.1,
                other => break other,
            }
        };
        expected.push(place);
    }
    let found: Vec<(usize, usize)> = analysis
        .evidence
        .iter()
        .filter(|e| e.label == "jargon")
        .map(|e| (e.start, e.end))
        .collect();
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let hit = |e: &Option<(usize, usize)>| e.is_some_and(|e| found.iter().any(|f| overlaps(*f, e)));
    Counts {
        tp: expected.iter().filter(|e| hit(e)).count(),
        fn_: expected.iter().filter(|e| !hit(e)).count(),
        fp: found
            .iter()
            .filter(|f| !expected.iter().flatten().any(|e| overlaps(**f, *e)))
            .count(),
    }
}

/// The sending time both the detected and the labelled next update are resolved against: the
/// labelled messages carry none, and the codebook records the promise as written ("14:30",
/// "30 min", "15 Uhr"). 06:00 in Zurich on a Monday, so that every clock time of the set lies
/// ahead on the same day.
fn reference_sent_at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 3, 4)
        .and_then(|d| d.and_hms_opt(5, 0, 0))
        .expect("valid reference time")
}

/// The labelled promise as a time value; a bare interval ("30 Minuten", "zwei Wochen") is one
/// from the sending time, as the codebook's "in 30 minutes" → "30 min" shows.
fn labelled_time(label: &str) -> Option<TimeValue> {
    times::find(label)
        .first()
        .or(times::find(&format!("in {label}")).first())
        .map(|t| t.value)
}

/// Whether the detected promise names the labelled time: the same instant from the reference
/// sending time, or the same clock time where the label leaves out the day word the message
/// has (a promise of "morgen 07:00 Uhr" labelled "07:00 Uhr").
fn same_time(found: TimeValue, labelled: TimeValue) -> bool {
    let tz = chrono_tz::Europe::Zurich;
    let at = |v| times::resolve(v, reference_sent_at(), tz);
    if at(found).is_some() && at(found) == at(labelled) {
        return true;
    }
    match (found, labelled) {
        (
            TimeValue::Clock {
                hour, minute, zone, ..
            },
            TimeValue::Clock {
                hour: h,
                minute: m,
                day: DayRef::Offset(0),
                zone: z,
            },
        ) => hour == h && minute == m && (z.is_none() || z == zone),
        _ => false,
    }
}

fn next_update_counts(analysis: &MessageAnalysis, label: Option<&str>) -> Counts {
    let found = analysis
        .labels
        .next_update_at
        .as_deref()
        .and_then(|written| times::find(written).first().map(|t| t.value));
    assert_eq!(
        found.is_some(),
        analysis.labels.next_update_at.is_some(),
        "the detected promise {:?} reads as a time",
        analysis.labels.next_update_at
    );
    let labelled = label.map(|l| {
        labelled_time(l).unwrap_or_else(|| panic!("the labelled next update {l:?} reads as a time"))
    });
    match (found, labelled) {
        (Some(f), Some(l)) if same_time(f, l) => Counts::of(true, true),
        (Some(_), Some(_)) => Counts {
            tp: 0,
            fp: 1,
            fn_: 1,
        },
        (f, l) => Counts::of(f.is_some(), l.is_some()),
    }
}

fn evaluate(record: &Value, services: &ServiceCatalogue, rubric: &ClarityRubric) -> Outcome {
    let id = record["id"].as_str().expect("id");
    let text = record["text"].as_str().expect("text");
    let labels = &record["labels"];
    let kind: MessageKind = record["kind"]
        .as_str()
        .expect("kind")
        .parse()
        .expect("kind");
    let readers = readers_for(record["audience"].as_str().expect("audience")).expect("readers");
    let language: Language = record["lang"]
        .as_str()
        .expect("lang")
        .parse()
        .expect("lang");
    let mut ctx = MessageContext::new(kind, readers, services, rubric);
    ctx.channel = channel_for(record["channel"].as_str().expect("channel")).expect("channel");
    ctx.language = Some(language);
    ctx.sent_at = Some(reference_sent_at());
    let analysis = analyze(text, &ctx);
    // GOLDEN_SHOW=de-007,en-014 prints what the rules found in those messages.
    if std::env::var("GOLDEN_SHOW").is_ok_and(|ids| ids.split(',').any(|s| s == id)) {
        println!("--- {id}: {text}");
        for e in &analysis.evidence {
            println!("    {:<16} {:?}", e.label, e.text);
        }
    }
    let got = serde_json::to_value(&analysis.labels).expect("labels serialise");
    let mut counts = Vec::new();
    for name in [
        "E1_symptom",
        "E2_service",
        "E3_scope",
        "E4_action",
        "E5_next_update",
        "E6_workaround",
        "E7_help",
        "E8_time_window",
        "E9_data",
        "E10_cause",
        "concern_thanks",
        "uncertainty_ack",
        "vague_time",
    ] {
        let expected = labels[name].as_bool().expect("bool label");
        counts.push((name.to_string(), Counts::of(got[name] == true, expected)));
    }
    for (label, class) in [
        ("apology", "full"),
        ("apology", "formulaic"),
        ("blame", "third_party"),
        ("blame", "individual"),
        ("blame", "user"),
        ("eta", "hedged"),
        ("eta", "definitive"),
    ] {
        counts.push((
            format!("{label}={class}"),
            Counts::of(got[label] == class, labels[label] == class),
        ));
    }
    counts.push((
        "next_update_at".to_string(),
        next_update_counts(&analysis, labels["next_update_at"].as_str()),
    ));
    let labelled_jargon: Vec<String> = labels["jargon"]
        .as_array()
        .expect("jargon list")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    counts.push((
        "jargon (terms)".to_string(),
        jargon_counts(text, &labelled_jargon, &analysis),
    ));
    Outcome {
        id: id.to_string(),
        held_out: held_out(record),
        counts,
    }
}

#[test]
fn labelled_messages_meet_the_precision_and_recall_bars() {
    let data = shared_data("labelled_messages.jsonl");
    let (Ok(lines), Ok(codebook)) = (
        std::fs::read_to_string(&data),
        std::fs::read_to_string(shared_data("CODEBOOK.md")),
    ) else {
        eprintln!("skipped: {} (and CODEBOOK.md) not found", data.display());
        return;
    };
    let services = ServiceCatalogue::new(codebook_catalogue(&codebook));
    assert!(
        services.entries().len() >= 10,
        "the codebook catalogue was read"
    );
    let rubric = ClarityRubric::default();
    let mut detected_language_agrees = 0;
    let mut outcomes = Vec::new();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).expect("each labelled line is JSON");
        let text = record["text"].as_str().expect("text");
        let language: Option<Language> = record["lang"].as_str().and_then(|l| l.parse().ok());
        if language == Some(debrief::text::detect_language(text)) {
            detected_language_agrees += 1;
        }
        outcomes.push(evaluate(&record, &services, &rubric));
    }
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let tuning: Vec<&Outcome> = outcomes.iter().filter(|o| !o.held_out).collect();
    let held: Vec<&Outcome> = outcomes.iter().filter(|o| o.held_out).collect();
    assert!(
        held.len() >= 30 && tuning.len() >= 60,
        "the split keeps both parts large enough"
    );
    println!(
        "{} labelled messages ({} tuning, {} held out); the language detector agrees with the label on {detected_language_agrees}",
        all.len(),
        tuning.len(),
        held.len()
    );
    let full = table(&all);
    print_table("== all messages (the bars apply here)", &full, false);
    print_table(
        "== tuning part (misses: +id predicted but not labelled, -id labelled but missed)",
        &table(&tuning),
        true,
    );
    let held_table = table(&held);
    print_table("== held-out part", &held_table, false);

    let mut failures = Vec::new();
    for (label, (c, _)) in &full {
        let bar = precision_bar(label);
        if c.precision().is_some_and(|p| p < bar) {
            failures.push(format!(
                "{label}: precision {} below {bar}",
                fmt(c.precision())
            ));
        }
        if c.recall().is_some_and(|r| r < 0.80) {
            failures.push(format!("{label}: recall {} below 0.80", fmt(c.recall())));
        }
    }
    let below: Vec<String> = held_table
        .iter()
        .filter(|(label, (c, _))| {
            c.precision().is_some_and(|p| p < precision_bar(label))
                || c.recall().is_some_and(|r| r < 0.80)
        })
        .map(|(label, _)| label.clone())
        .collect();
    println!("held-out labels below a bar: {below:?}");
    assert!(
        failures.is_empty(),
        "below the SCORING §5 bars: {failures:#?}"
    );
}
