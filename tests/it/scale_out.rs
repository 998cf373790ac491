//! Two `debrief serve` instances on one PostgreSQL database, with no sticky sessions in front:
//! a session opened on one is valid on the other (and ends on both), both outbox workers send,
//! each invitation exactly once, and a survey burst spread over both loses nothing.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::common::TestDb;
use crate::common::e2e::{
    answer, api, csrf_in, json, login, recipients, response_path, sent_survey,
};
use crate::common::server::Server;
use crate::common::smtp::SmtpSink;

const INVITATIONS: usize = 5000;
const BURST: usize = 600;

fn page(agent: &ureq::Agent, url: &str, session: &str) -> (u16, String) {
    match agent
        .get(url)
        .set("Cookie", &format!("debrief_session={session}"))
        .call()
    {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("{url}: {e}"),
    }
}

#[test]
fn two_instances_share_sessions_send_each_invitation_once_and_keep_every_response() {
    let Some(db) = TestDb::postgres() else { return };
    let sink = SmtpSink::start();
    let port = sink.port.to_string();
    let env = [
        ("DATABASE_URL", db.url.as_str()),
        ("DEBRIEF_MAIL_TRANSPORT", "smtp"),
        ("DEBRIEF_SMTP_HOST", "127.0.0.1"),
        ("DEBRIEF_SMTP_PORT", port.as_str()),
        ("DEBRIEF_SMTP_RATE", "1000"),
    ];
    let a = Server::start(&["--demo"], &env);
    let b = Server::start(&[], &env);

    // A session opened on A is valid on B, and signing out on B ends it on A.
    let password = "Nebel über dem Bodensee";
    a.user("lena@firma.ch", "Lena Leitung", "viewer", password);
    let (_, session) = login(&a.base, "lena@firma.ch", password);
    let plain = ureq::AgentBuilder::new().redirects(0).build();
    let (status, on_b) = page(&plain, &format!("{}/incidents", b.base), &session);
    assert_eq!(status, 200, "the session from A is valid on B");
    assert!(on_b.contains("Lena Leitung"));
    let csrf = csrf_in(&on_b).expect("logout form");
    let out = plain
        .post(&format!("{}/logout", b.base))
        .set("Cookie", &format!("debrief_session={session}"))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&format!("csrf_token={csrf}"))
        .map(|r| r.status());
    assert_eq!(out.ok(), Some(303), "signed out on B");
    let (status, _) = page(&plain, &format!("{}/incidents", a.base), &session);
    assert_eq!(status, 303, "the session ended on A too");

    // Both workers send; every invitation arrives once.
    let token = a.editor_token("eda@firma.ch");
    recipients(&a, INVITATIONS);
    let started = Instant::now();
    let survey = sent_survey(&a.base, &token);
    let mails = sink.wait_for(INVITATIONS, 300);
    let sending = started.elapsed();
    std::thread::sleep(Duration::from_secs(3));
    let mails = if sink.messages().len() > mails.len() {
        sink.messages()
    } else {
        mails
    };
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for m in &mails {
        *by_id
            .entry(m.message_id().expect("Message-ID"))
            .or_default() += 1;
    }
    assert_eq!(by_id.len(), INVITATIONS, "every invitation arrived");
    assert_eq!(mails.len(), INVITATIONS, "none arrived twice");
    let per_worker: Vec<(Option<String>, i64)> = {
        use debrief::db::schema::outbox;
        let mut conn = db.connect();
        outbox::table
            .filter(outbox::status.eq("sent"))
            .group_by(outbox::locked_by)
            .select((outbox::locked_by, diesel::dsl::count_star()))
            .load(&mut conn)
            .expect("per worker")
    };
    assert_eq!(per_worker.len(), 2, "both workers sent: {per_worker:?}");
    eprintln!(
        "{INVITATIONS} invitations in {:.1} s by two workers: {per_worker:?}",
        sending.as_secs_f64()
    );

    // Respondents land on either instance.
    let links: Vec<String> = mails
        .iter()
        .filter_map(|m| response_path(&m.text()))
        .take(BURST)
        .collect();
    assert_eq!(links.len(), BURST);
    let queue = Arc::new(Mutex::new(
        links.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let bases = [a.base.clone(), b.base.clone()];
    let started = Instant::now();
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (queue, acknowledged, bases) = (queue.clone(), acknowledged.clone(), bases.clone());
            std::thread::spawn(move || {
                while let Some((i, path)) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    match answer(&bases[i % 2], &path) {
                        Ok(303) => {
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                        }
                        other => eprintln!("{path}: {other:?}"),
                    }
                }
            })
        })
        .collect();
    clients.into_iter().for_each(|c| c.join().expect("client"));
    let burst = started.elapsed();
    assert_eq!(
        acknowledged.load(Ordering::SeqCst),
        BURST,
        "every answer was taken"
    );
    let (_, status) = api(
        &b.base,
        &token,
        "GET",
        &format!("/api/v1/surveys/{survey}/status"),
        "",
    )
    .expect("status");
    let status = json(&status);
    assert_eq!(status["responses"].as_u64(), Some(BURST as u64), "{status}");
    assert_eq!(status["progress"]["answered"].as_u64(), Some(BURST as u64));
    eprintln!(
        "{BURST} responses over two instances in {:.1} s",
        burst.as_secs_f64()
    );
    assert!(a.stop().success());
    assert!(b.stop().success());
}
