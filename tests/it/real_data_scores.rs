//! Every file of the real data (shared/data/real, not shipped) imported through the pipeline and
//! every incident scored with the function the pages and the API use (`scores::ensure`): no
//! panic, every score a number within 0–100, the same scorecard on a second run, every finding
//! tied to a message of its incident or to a gap in time. Real data has what generated data
//! lacks — updates seconds apart, resolutions before the last update, single-update incidents,
//! three-word headlines. The distributions are printed for the notes; without the data the test
//! says so and passes. On SQLite only: import and scoring on both backends are tested elsewhere.

use std::path::{Path, PathBuf};

use debrief::db::audit::Actor;
use debrief::domain::Language;
use debrief::import::ReadOptions;
use debrief::import::pipeline::{self, ImportRequest, SourceFile, Target};

use crate::common::{TestDb, state_for};

fn real_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The file as a user uploads it: whole, Statuspage documents quoted inside other files (a Go
/// test, a Markdown page) included, which the reader finds itself.
fn source_files(path: &Path) -> Vec<SourceFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("{} is unreadable: {e}", path.display()));
    vec![SourceFile { name, bytes }]
}

fn percentiles(label: &str, mut values: Vec<f64>) -> String {
    if values.is_empty() {
        return format!("{label}: none");
    }
    values.sort_by(f64::total_cmp);
    let at = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    format!(
        "{label} (n={}): min {:.1} · p10 {:.1} · p25 {:.1} · median {:.1} · p75 {:.1} · p90 {:.1} · max {:.1} · mean {:.1}",
        values.len(),
        values[0],
        at(0.10),
        at(0.25),
        at(0.50),
        at(0.75),
        at(0.90),
        values[values.len() - 1],
        mean
    )
}

fn in_range(v: f64) -> bool {
    v.is_finite() && (0.0..=100.0).contains(&v)
}

#[test]
fn every_real_incident_imports_and_scores_within_bounds() {
    let dir = real_dir();
    let mut paths = Vec::new();
    files_under(&dir, &mut paths);
    // SOURCES.md describes the data; it is not data.
    paths.retain(|p| p.file_name().is_none_or(|n| n != "SOURCES.md"));
    paths.sort();
    if paths.is_empty() {
        eprintln!("SKIPPED: no real data under {}", dir.display());
        return;
    }
    let db = TestDb::sqlite();
    let state = state_for(&db);
    let mut conn = state.pool.get().expect("conn");
    let (mut cstate, mut others) = (Vec::new(), Vec::new());
    for path in &paths {
        let files = source_files(path);
        assert!(!files.is_empty(), "{}: nothing to import", path.display());
        if path
            .components()
            .any(|c| c.as_os_str() == "cstate_de_schullogin")
        {
            cstate.extend(files);
        } else {
            others.extend(files);
        }
    }
    let request = |tz: chrono_tz::Tz| ImportRequest {
        format: None,
        target: Target::FromFiles,
        dry_run: false,
        skip_invalid: false,
        read: ReadOptions {
            tz,
            ..ReadOptions::default()
        },
    };
    // The Schullogin posts carry local Berlin times without an offset (SOURCES.md).
    for (files, tz) in [
        (&others, chrono_tz::UTC),
        (&cstate, chrono_tz::Europe::Berlin),
    ] {
        let s = pipeline::run(&mut conn, files, &request(tz), &Actor::cli()).expect("import");
        assert!(
            s.committed && s.error_count == 0,
            "{:?}",
            &s.errors[..s.errors.len().min(5)]
        );
    }

    let incidents =
        debrief::db::incidents::list(&mut conn, &Default::default()).expect("incidents");
    assert!(
        incidents.len() >= 1300,
        "{} incidents imported",
        incidents.len()
    );
    let (mut overall, mut timeliness, mut clarity) = (Vec::new(), Vec::new(), Vec::new());
    let (mut message_clarity, mut flesch, mut amstad, mut wstf1, mut lix) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut findings, mut red, mut messages) = (0usize, 0usize, 0usize);
    for (i, incident) in incidents.iter().enumerate() {
        let key = &incident.key;
        let card = debrief::scores::ensure(&mut conn, incident).expect("scorecard");
        // Stable: the same facts give the same scorecard (every tenth incident, to keep the
        // test short).
        if i % 10 == 0 {
            let again = debrief::scores::ensure(&mut conn, incident).expect("scorecard");
            assert_eq!(
                serde_json::to_value(&again).expect("json"),
                serde_json::to_value(&card).expect("json"),
                "{key}: not stable"
            );
        }
        for (what, v) in [
            ("overall", card.overall),
            ("timeliness", card.timeliness),
            ("clarity", card.clarity),
        ] {
            if let Some(v) = v {
                assert!(in_range(v), "{key}: {what} {v}");
            }
        }
        overall.extend(card.overall);
        timeliness.extend(card.timeliness);
        clarity.extend(card.clarity);
        for a in &card.audiences {
            for v in [Some(a.timeliness), a.clarity, Some(a.overall)]
                .into_iter()
                .flatten()
            {
                assert!(in_range(v), "{key}/{}: {v}", a.key);
            }
        }
        for a in &card.timeline.audiences {
            for sub in &a.sub_scores {
                if let Some(v) = sub.score {
                    assert!(in_range(v), "{key}/{}/{}: {v}", a.key, sub.id);
                }
            }
        }
        let ids: Vec<i64> = card.messages.iter().map(|m| m.message_id).collect();
        for m in &card.messages {
            let c = &m.analysis.clarity;
            for v in [
                m.clarity,
                m.honesty,
                c.total,
                c.completeness,
                c.language,
                c.tone,
                c.honesty,
            ] {
                assert!(in_range(v), "{key}/message {}: {v}", m.message_id);
            }
            let r = &m.analysis.readability;
            for v in [r.flesch, r.amstad, r.wstf1, r.lix].into_iter().flatten() {
                assert!(v.is_finite(), "{key}/message {}: {v}", m.message_id);
            }
            message_clarity.push(m.clarity);
            match m.analysis.language {
                Language::En => flesch.extend(r.flesch),
                Language::De => {
                    amstad.extend(r.amstad);
                    wstf1.extend(r.wstf1);
                    lix.extend(r.lix);
                }
            }
        }
        messages += card.messages.len();
        for f in &card.findings {
            assert!(f.impact.is_finite() && f.impact >= 0.0, "{key}: {f:?}");
            let at_message = f.message_id.is_some_and(|id| ids.contains(&id));
            let at_gap = f.gap.is_some_and(|(from, to)| from <= to);
            assert!(
                at_message || at_gap,
                "{key}: finding {} points at neither a message of the incident nor a gap: {:?}",
                f.code,
                f.text_en
            );
            assert!(!f.text_en.is_empty() && !f.text_de.is_empty(), "{key}");
            findings += 1;
            red += usize::from(f.severity == debrief::scoring::FindingSeverity::Red);
        }
    }
    println!(
        "{} real incidents scored ({} files), {messages} messages, {findings} findings ({red} red)",
        incidents.len(),
        paths.len()
    );
    for line in [
        percentiles("overall", overall),
        percentiles("timeliness", timeliness),
        percentiles("clarity (incident)", clarity),
        percentiles("clarity per message", message_clarity),
        percentiles("Flesch (en messages)", flesch),
        percentiles("Amstad (de messages)", amstad),
        percentiles("WSTF1 (de messages)", wstf1),
        percentiles("LIX (de messages)", lix),
    ] {
        println!("{line}");
    }
}
