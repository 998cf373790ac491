//! The outbox under a large send (issue 5's target: 10,000 invitations to a local SMTP server at
//! ≥ 500 mails/s with connection reuse): queue the invitations of one survey, then let the
//! worker deliver them to an SMTP server on loopback, and count what arrived.
//!
//! Run: `cargo bench --bench outbox`. Options (environment): `OUTBOX_MAILS` (10000).

// The tests' SMTP server; the benchmark uses only part of what the tests need.
#[allow(dead_code)]
#[path = "../tests/it/common/smtp.rs"]
mod smtp;

use std::sync::atomic::Ordering;
use std::time::Instant;

use debrief::db::audit::Actor;
use debrief::surveys::model::{SurveyInput, SurveyTemplate};

fn main() {
    let mails: usize = std::env::var("OUTBOX_MAILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let sink = smtp::SmtpSink::start();
    let dir = tempfile::tempdir().expect("tmp");
    let mut config = debrief::config::Config {
        data_dir: dir.path().to_path_buf(),
        worker: false,
        public_url: Some("https://debrief.example.com".into()),
        mail_transport: debrief::config::MailTransport::Smtp,
        ..Default::default()
    };
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = sink.port;
    // The configured rate is a courtesy to real mail servers; here the sink takes anything.
    config.smtp.rate_per_second = 100_000;
    let state = debrief::app::AppState::build(config).expect("state");
    let mut conn = state.pool.get().expect("conn");
    debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
    debrief::db::write_transaction(&mut conn, |c| {
        for i in 0..mails {
            debrief::db::recipients::merge(
                c,
                &format!("person{i}@firma.ch"),
                &format!("Person {i}"),
                Some("employees"),
                if i % 3 == 0 { "en" } else { "de" },
            )?;
        }
        Ok::<_, debrief::db::StoreError>(())
    })
    .expect("recipients");
    let survey = debrief::surveys::manage::create(
        &mut conn,
        "INC-2026-014",
        SurveyTemplate::Default,
        &Actor::cli(),
    )
    .expect("survey");
    let input = SurveyInput {
        title_en: "Outbox benchmark".into(),
        title_de: "Outbox-Messung".into(),
        audiences: vec!["employees".into()],
        ..Default::default()
    };
    debrief::surveys::manage::update(
        &mut conn,
        survey.id,
        &input,
        &state.csrf_secret,
        &Actor::cli(),
    )
    .expect("settings");
    let t = Instant::now();
    let sent =
        debrief::surveys::manage::send(&mut conn, survey.id, &state.mail_context(), &Actor::cli())
            .expect("send");
    let queued_in = t.elapsed();
    drop(conn);

    let worker = state.worker("bench");
    let t = Instant::now();
    while worker.run_once().expect("worker") > 0 {}
    let delivered_in = t.elapsed();
    sink.wait_for(sent.queued, 60);
    // Anything still arriving late would be a duplicate: give it a moment before counting.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let received = sink.messages();
    // Counted per Message-ID as received, not de-duplicated: a mail sent twice shows as a
    // duplicate, a mail never sent as missing.
    let mut per_id: std::collections::BTreeMap<String, usize> = Default::default();
    let mut without_id = 0;
    for m in &received {
        match m.message_id() {
            Some(id) => *per_id.entry(id).or_default() += 1,
            None => without_id += 1,
        }
    }
    let duplicates: usize = per_id.values().map(|n| n - 1).sum();
    let missing = sent.queued.saturating_sub(per_id.len());
    let rate = received.len() as f64 / delivered_in.as_secs_f64();
    let connections = sink.connections.load(Ordering::SeqCst);
    println!(
        "invitations queued: {} in {:.2} s (composed in the recipient's language)",
        sent.queued,
        queued_in.as_secs_f64()
    );
    println!(
        "mails received: {} in {:.2} s over {connections} SMTP connection(s); distinct Message-IDs: {}, duplicates: {duplicates}, missing: {missing}, without Message-ID: {without_id}",
        received.len(),
        delivered_in.as_secs_f64(),
        per_id.len(),
    );
    println!(
        "throughput: {rate:.0} mails/s (target >= {TARGET_MAILS_PER_SECOND}): {}",
        verdict(rate >= TARGET_MAILS_PER_SECOND)
    );
    println!(
        "connection reuse (fewer connections than mails): {}",
        verdict(connections < received.len())
    );
    assert!(
        duplicates == 0 && missing == 0 && without_id == 0,
        "FAILED: every invitation must arrive exactly once ({duplicates} duplicated, {missing} missing, {without_id} without Message-ID)"
    );
}

/// Issue 5's target for the outbox.
const TARGET_MAILS_PER_SECOND: f64 = 500.0;

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}
