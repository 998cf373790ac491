//! Accuracy of the sentiment analyser on the labelled feedback sets in
//! `tests/fixtures/sentiment/`: the `dev_*` sets were used for tuning, the `test_*` sets were
//! written and labelled first and never tuned on.

use std::path::PathBuf;
use std::str::FromStr;

use debrief::domain::Language;
use debrief::text::{Polarity, analyse_sentiment_in};

const CLASSES: [Polarity; 3] = [Polarity::Positive, Polarity::Neutral, Polarity::Negative];
const MIN_ACCURACY_EN: f64 = 0.80;
const MIN_ACCURACY_DE: f64 = 0.75;

struct Labelled {
    text: String,
    language: Language,
    label: Polarity,
}

fn labelled_set(name: &str) -> Vec<Labelled> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sentiment")
        .join(name);
    let content = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name} line {}: {e}", index + 1));
            let field = |key: &str| {
                value[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name} line {}: no {key}", index + 1))
                    .to_string()
            };
            Labelled {
                text: field("text"),
                language: Language::from_str(&field("lang")).unwrap(),
                label: Polarity::from_str(&field("label")).unwrap(),
            }
        })
        .collect()
}

struct Evaluation {
    accuracy: f64,
    /// `confusion[labelled][predicted]` in the order of `CLASSES`.
    confusion: [[usize; 3]; 3],
    misses: Vec<String>,
}

fn evaluate(set: &[Labelled]) -> Evaluation {
    let class_index = |p: Polarity| CLASSES.iter().position(|c| *c == p).unwrap();
    let mut confusion = [[0usize; 3]; 3];
    let mut misses = Vec::new();
    for item in set {
        let sentiment = analyse_sentiment_in(&item.text, item.language);
        confusion[class_index(item.label)][class_index(sentiment.polarity)] += 1;
        if sentiment.polarity != item.label {
            misses.push(format!(
                "  {:>8} as {:>8} ({:+.3}): {}",
                item.label.as_str(),
                sentiment.polarity.as_str(),
                sentiment.compound,
                item.text
            ));
        }
    }
    let correct: usize = (0..3).map(|i| confusion[i][i]).sum();
    Evaluation {
        accuracy: correct as f64 / set.len() as f64,
        confusion,
        misses,
    }
}

fn report(name: &str, evaluation: &Evaluation, show_misses: bool) {
    println!("{name}: accuracy {:.3}", evaluation.accuracy);
    println!("  labelled \\ predicted  positive  neutral  negative");
    for (class, row) in CLASSES.iter().zip(evaluation.confusion) {
        println!(
            "  {:>20}  {:>8}  {:>7}  {:>8}",
            class.as_str(),
            row[0],
            row[1],
            row[2]
        );
    }
    if show_misses {
        for miss in &evaluation.misses {
            println!("{miss}");
        }
    }
}

/// Reports every set before failing, so one run shows all figures.
fn check(sets: &[(&str, f64)], min_sentences: usize, show_misses: bool) {
    let mut failures = Vec::new();
    for (name, minimum) in sets {
        let set = labelled_set(name);
        assert!(
            set.len() >= min_sentences,
            "{name} has only {} sentences",
            set.len()
        );
        let evaluation = evaluate(&set);
        report(name, &evaluation, show_misses);
        if evaluation.accuracy < *minimum {
            failures.push(format!(
                "{name}: accuracy {:.3} is below {minimum}",
                evaluation.accuracy
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("; "));
}

#[test]
fn dev_sets_meet_the_accuracy_targets() {
    check(
        &[
            ("dev_en.jsonl", MIN_ACCURACY_EN),
            ("dev_de.jsonl", MIN_ACCURACY_DE),
        ],
        80,
        true,
    );
}

/// Misclassified sentences of the held-out sets are not printed: they are not for tuning.
#[test]
fn held_out_test_sets_meet_the_accuracy_targets() {
    check(
        &[
            ("test_en.jsonl", MIN_ACCURACY_EN),
            ("test_de.jsonl", MIN_ACCURACY_DE),
        ],
        100,
        false,
    );
}
