//! Throughput of the text analysis, in two groups:
//! - `message_analysis`: the analyser of crisis messages (`scoring::analyze`, what `debrief
//!   analyze`, the draft page and every scorecard run per message), in full and readability
//!   alone, on generated English and German messages (target: ≥ 5,000 messages/s on one core;
//!   `benches/analyze.sh` measures the command end to end beside textstat);
//! - `survey_free_text`: sentiment, aspects and themes of survey answers (target: thousands per
//!   second), on the labelled development sentences.
//!
//! Run: `cargo bench --bench text_analysis` (add `CARGO_PROFILE_BENCH_LTO=false` for a quicker
//! build). Every text is distinct (a reference number) so no cache or repetition flatters the
//! figures.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use debrief::domain::{Language, MessageKind};
use debrief::scoring::readability::measure;
use debrief::scoring::segment::segment;
use debrief::scoring::{ClarityRubric, MessageContext, Readers, ServiceCatalogue, analyze};
use debrief::text::{ThemeLimits, analyse_sentiment, find_themes, tag_aspects};

const MESSAGES: usize = 1000;

/// Status messages of the kinds the analyser meets, in both languages, each distinct.
fn messages() -> Vec<(Language, MessageKind, String)> {
    const EN: &[&str] = &[
        "Since {h}:{m:02} the customer portal has been unavailable for some users in the north. We are investigating and will post the next update at {h2}:{m2:02}.",
        "Update {h}:{m:02}: online banking is still slow. Our engineers are rolling back yesterday's deployment. Next update in {k} minutes.",
        "Email is working again since {h}:{m:02}. No data was lost. We are sorry for the disruption and thank you for your patience.",
        "We're aware of issues with the mobile app and are working on a fix. Please use the website in the meantime. Questions: call 0800 {k}00 100.",
        "The cause of the outage was a failed disk; it has been replaced. Between {h}:{m:02} and {h2}:{m2:02} about {k}% of customers were affected.",
    ];
    const DE: &[&str] = &[
        "Seit {h}:{m:02} Uhr ist das Kundenportal in Wien gestört. Wir arbeiten an der Behebung und melden uns um {h2}:{m2:02} Uhr wieder.",
        "Update {h}:{m:02} Uhr: Das E-Banking ist weiterhin nur eingeschränkt erreichbar. Nächstes Update in {k} Minuten.",
        "Die Kartenzahlung funktioniert seit {h}:{m:02} Uhr wieder. Es sind keine Daten verloren gegangen. Es tut uns leid, danke für Ihre Geduld.",
        "Aufgrund eines Fehlers bei der Wartung ist die App nicht verfügbar. Bitte nutzen Sie alternativ die Hotline 0800 {k}00 200.",
        "Die Störung dauerte von {h}:{m:02} bis {h2}:{m2:02} Uhr. Ursache war ein defekter Datenträger, rund {k} % der Kunden waren betroffen.",
    ];
    let kinds = [
        MessageKind::Initial,
        MessageKind::Update,
        MessageKind::Resolution,
        MessageKind::Update,
        MessageKind::PostIncident,
    ];
    (0..MESSAGES)
        .map(|i| {
            let (language, templates) = if i % 2 == 0 {
                (Language::En, EN)
            } else {
                (Language::De, DE)
            };
            let t = (i / 2) % templates.len();
            let text = templates[t]
                .replace("{h}", &(6 + i % 15).to_string())
                .replace("{m:02}", &format!("{:02}", (i * 7) % 60))
                .replace("{h2}", &(7 + i % 15).to_string())
                .replace("{m2:02}", &format!("{:02}", (i * 11) % 60))
                .replace("{k}", &(5 + i % 90).to_string());
            (language, kinds[t], format!("{text} Ref {i}."))
        })
        .collect()
}

fn message_analysis(c: &mut Criterion) {
    let messages = messages();
    let services = ServiceCatalogue::default();
    let rubric = ClarityRubric::default();
    let mut group = c.benchmark_group("message_analysis");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("analyze_1000_messages", |b| {
        b.iter(|| {
            for (language, kind, text) in &messages {
                let mut ctx = MessageContext::new(*kind, Readers::Lay, &services, &rubric);
                ctx.language = Some(*language);
                black_box(analyze(black_box(text), &ctx));
            }
        })
    });
    group.bench_function("readability_1000_messages", |b| {
        b.iter(|| {
            for (language, _, text) in &messages {
                black_box(measure(text, &segment(black_box(text)), *language, 20));
            }
        })
    });
    group.finish();
}

const ANSWERS: usize = 2000;

fn answers() -> Vec<String> {
    let sentences: Vec<String> = ["dev_en.jsonl", "dev_de.jsonl"]
        .iter()
        .flat_map(|name| {
            let path = format!(
                "{}/tests/fixtures/sentiment/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let content = std::fs::read_to_string(&path).unwrap_or_default();
            content
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .filter_map(|value| value["text"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!sentences.is_empty(), "no development sentences found");
    (0..ANSWERS)
        .map(|i| {
            let first = &sentences[i % sentences.len()];
            let second = &sentences[(i * 7 + 3) % sentences.len()];
            format!("{first} {second} (#{i})")
        })
        .collect()
}

fn survey_free_text(c: &mut Criterion) {
    let answers = answers();
    let mut group = c.benchmark_group("survey_free_text");
    group.throughput(Throughput::Elements(answers.len() as u64));
    group.bench_function("sentiment_2000_answers", |b| {
        b.iter(|| {
            for answer in &answers {
                black_box(analyse_sentiment(black_box(answer)));
            }
        })
    });
    group.bench_function("aspects_2000_answers", |b| {
        b.iter(|| {
            for answer in &answers {
                black_box(tag_aspects(black_box(answer)));
            }
        })
    });
    group.bench_function("themes_2000_answers", |b| {
        b.iter(|| black_box(find_themes(black_box(&answers), ThemeLimits::default())))
    });
    group.finish();
}

criterion_group!(benches, message_analysis, survey_free_text);
criterion_main!(benches);
