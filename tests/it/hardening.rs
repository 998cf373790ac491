//! What an attacker probes besides content: files outside the embedded assets, and telling known
//! accounts from unknown ones by how long a failed sign-in takes.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use debrief::domain::Role;

use crate::common::{TestDb, create_user, state_for};

#[actix_web::test]
async fn asset_routes_serve_only_the_embedded_assets() {
    let db = TestDb::sqlite();
    let state = state_for(&db);
    let mut client = crate::app!(state);
    let ok = client.get("/assets/css/app.css").await;
    assert_eq!(ok.status, StatusCode::OK);
    for path in [
        "/assets/../Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/css/..%2f..%2f..%2fsrc/main.rs",
        "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
        "/assets//etc/passwd",
        "/assets/..\\..\\Cargo.toml",
        "/assets/css/app.css%00.png",
        "/assets/css/",
        "/favicon.ico/../Cargo.toml",
    ] {
        let page = client.get(path).await;
        assert!(
            page.status == StatusCode::NOT_FOUND || page.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            page.status
        );
        assert!(
            !page.body.contains("[package]") && !page.body.contains("root:x:0"),
            "{path} leaked a file"
        );
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn a_failed_sign_in_takes_as_long_for_an_unknown_account_as_for_a_known_one() {
    let db = TestDb::sqlite();
    let state = state_for(&db);
    // Several accounts, so the per-account throttle (five failures) is never reached.
    let known: Vec<String> = (0..4).map(|i| format!("known{i}@firma.ch")).collect();
    for email in &known {
        create_user(&state, email, Role::Viewer);
    }
    let mut conn = state.pool.get().expect("conn");
    let mut attempt = |email: &str| {
        let started = Instant::now();
        let result = debrief::accounts::login(
            &mut conn,
            email,
            "not the password",
            None,
            None,
            chrono::Duration::hours(8),
        );
        assert!(result.is_err());
        started.elapsed()
    };
    let (mut for_known, mut for_unknown) = (Vec::new(), Vec::new());
    for round in 0..3 {
        for (i, email) in known.iter().enumerate() {
            for_known.push(attempt(email));
            for_unknown.push(attempt(&format!("nobody{round}-{i}@firma.ch")));
        }
    }
    let (k, u) = (median(for_known), median(for_unknown));
    let ratio = u.as_secs_f64() / k.as_secs_f64();
    assert!(
        (0.5..2.0).contains(&ratio),
        "unknown {u:?} vs known {k:?}: the time tells accounts apart"
    );
}

#[actix_web::test]
async fn a_reset_request_takes_as_long_for_an_unknown_address_as_for_a_known_one() {
    let db = TestDb::sqlite();
    let state = state_for(&db);
    // Known accounts asked for at most the per-address limit each, so every one is looked up and
    // mailed; the client address changes before the per-client limit is reached.
    let per_address = debrief::accounts::MAX_RESETS_PER_ADDRESS as usize;
    let known: Vec<String> = (0..10).map(|i| format!("known{i}@firma.ch")).collect();
    for email in &known {
        create_user(&state, email, Role::Viewer);
    }
    let mut client = crate::app!(state);
    let mut sent = 0;
    let mut timed = async |client: &mut crate::common::Client<_>, email: &str| {
        client.peer = format!("203.0.113.{}:40000", sent / 10)
            .parse()
            .expect("addr");
        sent += 1;
        let form = client.get("/password/forgot").await;
        let csrf = form.csrf().expect("csrf");
        let started = Instant::now();
        let page = client
            .post_form(
                "/password/forgot",
                &[("csrf_token", csrf.as_str()), ("email", email)],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        started.elapsed().as_secs_f64()
    };
    // Each known address is timed next to an unknown one, in alternating order, so a moment of
    // load on a busy machine weighs on both sides of a pair alike.
    // The mail to a known address is queued after the reply; it is waited for before the next
    // request, which would otherwise queue behind its write.
    let queued = async |n: i64| {
        for _ in 0..400 {
            let mut conn = state.pool.get().expect("conn");
            if debrief::db::outbox::queue_length(&mut conn).expect("queue") >= n {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("mail {n} never queued");
    };
    let mut ratios = Vec::new();
    let mut mails = 0;
    for round in 0..per_address {
        for (i, email) in known.iter().enumerate() {
            let unknown = format!("nobody{round}-{i}@firma.ch");
            let (k, u) = if (round + i) % 2 == 0 {
                let k = timed(&mut client, email).await;
                mails += 1;
                queued(mails).await;
                (k, timed(&mut client, &unknown).await)
            } else {
                let u = timed(&mut client, &unknown).await;
                let k = timed(&mut client, email).await;
                mails += 1;
                queued(mails).await;
                (k, u)
            };
            ratios.push(u / k);
        }
    }
    assert_eq!(mails, 30);
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[ratios.len() / 2];
    assert!(
        (0.7..1.43).contains(&ratio),
        "unknown/known time, median of {} pairs: {ratio:.2}: the time tells accounts apart",
        ratios.len()
    );
}
