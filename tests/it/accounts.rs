use actix_web::http::{Method, StatusCode};
use debrief::domain::Role;

use crate::common::{ADMIN_PASSWORD, backends, create_user, state_for};

#[actix_web::test]
async fn the_setup_link_creates_the_first_admin_once() {
    for db in backends() {
        let state = state_for(&db);
        let link = {
            let mut conn = state.pool.get().expect("conn");
            debrief::accounts::setup_link(&mut conn, "http://debrief.test")
                .expect("link")
                .expect("no users yet")
        };
        let path = link
            .strip_prefix("http://debrief.test")
            .expect("path")
            .to_string();
        let mut client = crate::app!(state);
        assert_eq!(client.get(&path).await.status, StatusCode::OK);

        // A weak password is refused next to its field and creates nobody.
        let page = client
            .submit(
                &path,
                &path,
                &[
                    ("name", "Ada"),
                    ("email", "ada@firma.ch"),
                    ("password", "short"),
                    ("password_repeat", "short"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body.contains("at least 12 characters"),
            "{}",
            page.body
        );
        assert_eq!(
            debrief::db::users::count(&mut state.pool.get().expect("conn")).expect("count"),
            0
        );

        let page = client
            .submit(
                &path,
                &path,
                &[
                    ("name", "Ada"),
                    ("email", "Ada@Firma.ch"),
                    ("password", ADMIN_PASSWORD),
                    ("password_repeat", ADMIN_PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let admin =
            debrief::db::users::find_by_email(&mut state.pool.get().expect("conn"), "ada@firma.ch")
                .expect("q")
                .expect("admin");
        assert_eq!(admin.role, Role::Admin);

        // Second use of the same link: refused, politely.
        let again = client.get(&path).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        let mut other = crate::app!(state);
        let page = other
            .submit(
                "/login",
                &path,
                &[
                    ("name", "Eve"),
                    ("email", "eve@firma.ch"),
                    ("password", ADMIN_PASSWORD),
                    ("password_repeat", ADMIN_PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(
            debrief::db::users::count(&mut state.pool.get().expect("conn")).expect("count"),
            1
        );
        assert!(
            debrief::accounts::setup_link(&mut state.pool.get().expect("conn"), "http://x")
                .expect("q")
                .is_none()
        );
    }
}

#[actix_web::test]
async fn state_changing_requests_without_a_valid_csrf_token_are_refused() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let mut client = crate::app!(state);
        assert_eq!(
            client.login("editor@firma.ch", ADMIN_PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
        let fields = [
            ("key", "INC-1"),
            ("title", "t"),
            ("kind", "it_outage"),
            ("severity", "sev2"),
            ("language", "de"),
            ("detected_at", "2026-03-10T07:42"),
        ];
        let page = client.post_form("/incidents", &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "no token");
        let mut with_wrong = vec![("csrf_token", "forged")];
        with_wrong.extend_from_slice(&fields);
        assert_eq!(
            client.post_form("/incidents", &with_wrong).await.status,
            StatusCode::FORBIDDEN,
            "wrong token"
        );
        // A session-authenticated API call needs the header too.
        let api = client
            .json(Method::POST, "/api/v1/incidents", &serde_json::json!({}))
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(api.json()["code"], "csrf_failed");
        assert!(
            debrief::db::incidents::list(&mut state.pool.get().expect("c"), &Default::default())
                .expect("l")
                .is_empty()
        );

        // A login form posted without the visitor cookie it was issued with is refused.
        let mut fresh = crate::app!(state);
        let page = fresh
            .post_form(
                "/login",
                &[
                    ("csrf_token", "x"),
                    ("email", "editor@firma.ch"),
                    ("password", ADMIN_PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
}

#[actix_web::test]
async fn repeated_failed_logins_are_throttled_without_revealing_accounts() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut client = crate::app!(state);
        let wrong = client.login("viewer@firma.ch", "wrong password!").await;
        let unknown = client.login("nobody@firma.ch", "wrong password!").await;
        assert_eq!(
            wrong.status, unknown.status,
            "unknown and known accounts answer alike"
        );
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        for _ in 0..4 {
            client.login("viewer@firma.ch", "wrong password!").await;
        }
        // Five failures: even the right password is refused for a while.
        let page = client.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
        assert!(!client.cookies.contains_key("debrief_session"));
    }
}

#[actix_web::test]
async fn a_session_is_new_at_every_login_and_ends_at_logout() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut client = crate::app!(state);
        // A session cookie planted before login is not adopted.
        client
            .cookies
            .insert("debrief_session".into(), "planted".into());
        client.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        let first = client
            .cookies
            .get("debrief_session")
            .cloned()
            .expect("session");
        assert_ne!(first, "planted");
        assert_eq!(client.get("/").await.status, StatusCode::OK);
        let page = client.submit("/profile", "/logout", &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        // Replaying the old cookie after logout does not work.
        client
            .cookies
            .insert("debrief_session".into(), first.clone());
        let page = client.get("/").await;
        assert!(
            page.location().is_some_and(|l| l.starts_with("/login")),
            "{}",
            page.status
        );
        client.cookies.remove("debrief_session");
        client.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        assert_ne!(client.cookies.get("debrief_session"), Some(&first));
    }
}

#[actix_web::test]
async fn api_tokens_carry_their_users_role_and_die_when_revoked() {
    for db in backends() {
        let state = state_for(&db);
        let viewer = create_user(&state, "viewer@firma.ch", Role::Viewer);
        let token = {
            let mut conn = state.pool.get().expect("conn");
            debrief::demo::load(&mut conn, &debrief::db::audit::Actor::cli()).expect("demo");
            debrief::accounts::create_api_token(
                &mut conn,
                &viewer,
                "ci",
                &debrief::db::audit::Actor::cli(),
            )
            .expect("token")
        };
        let mut client = crate::app!(state);
        client.bearer = Some(token.clone());
        let list = client.get("/api/v1/incidents").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.json().as_array().map(|a| a.len()), Some(2));
        let denied = client
            .json(
                Method::POST,
                "/api/v1/incidents",
                &serde_json::json!({"key": "X-1"}),
            )
            .await;
        assert_eq!(
            denied.status,
            StatusCode::FORBIDDEN,
            "a viewer's token cannot write"
        );
        assert_eq!(denied.json()["code"], "forbidden");

        let id = debrief::db::auth::list_api_tokens(&mut state.pool.get().expect("c"), viewer.id)
            .expect("l")[0]
            .id;
        debrief::accounts::revoke_api_token(
            &mut state.pool.get().expect("c"),
            id,
            &viewer,
            &debrief::db::audit::Actor::cli(),
        )
        .expect("revoke");
        let after = client.get("/api/v1/incidents").await;
        assert_eq!(
            after.status,
            StatusCode::UNAUTHORIZED,
            "revocation takes effect at once"
        );
        client.bearer = Some("dbf_guessed".into());
        assert_eq!(
            client.get("/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[actix_web::test]
async fn password_reset_mails_a_single_use_link_and_never_reveals_accounts() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut client = crate::app!(state);
        let known = client
            .submit(
                "/password/forgot",
                "/password/forgot",
                &[("email", "viewer@firma.ch")],
            )
            .await;
        let unknown = client
            .submit(
                "/password/forgot",
                "/password/forgot",
                &[("email", "ghost@firma.ch")],
            )
            .await;
        assert_eq!(known.status, StatusCode::OK);
        assert_eq!(known.status, unknown.status);
        assert_eq!(
            known.body.replace("viewer@firma.ch", "X"),
            unknown.body.replace("ghost@firma.ch", "X"),
            "same page either way"
        );

        // The mail is queued after the reply, then the outbox worker delivers it through the
        // (in-memory) mailer.
        wait_for_queued_mail(&state, 1).await;
        let sent = state.worker("test").run_once().expect("worker");
        assert_eq!(sent, 1, "one mail, for the known address only");
        let mails = state.mailer.sent();
        assert_eq!(mails[0].to, "viewer@firma.ch");
        let link = mails[0]
            .body_text
            .split_whitespace()
            .find(|w| w.contains("/password/reset/"))
            .expect("link in mail")
            .to_string();
        let path = link
            .strip_prefix("http://debrief.test")
            .expect("absolute link")
            .trim_end_matches(['.', ')'])
            .to_string();

        let new_password = "Ein neues langes Passwort";
        let page = client
            .submit(
                &path,
                &path,
                &[
                    ("password", new_password),
                    ("password_repeat", new_password),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(
            client.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "the link works once"
        );
        let login = client.login("viewer@firma.ch", new_password).await;
        assert_eq!(login.status, StatusCode::SEE_OTHER);
    }
}

/// Waits (yielding to the tasks that run after a reply) until `n` mails wait in the outbox.
async fn wait_for_queued_mail(state: &debrief::app::AppState, n: i64) {
    for _ in 0..200 {
        let mut conn = state.pool.get().expect("conn");
        if debrief::db::outbox::queue_length(&mut conn).expect("queue") >= n {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{n} mails were never queued");
}

#[test]
fn reset_requests_are_throttled_per_address_silently_and_per_client_openly() {
    for db in backends() {
        let state = state_for(&db);
        let mut conn = state.pool.get().expect("conn");
        let per_address = debrief::accounts::MAX_RESETS_PER_ADDRESS as usize;
        let allowed: Vec<bool> = (0..per_address + 2)
            .map(|_| {
                debrief::accounts::reset_allowed(&mut conn, "Viewer@Firma.ch", None)
                    .expect("answered")
            })
            .collect();
        assert_eq!(
            allowed.iter().filter(|a| **a).count(),
            per_address,
            "{:?}: the first {per_address} requests mail, the rest are answered alike and send nothing",
            db.backend
        );
        let ip = Some("203.0.113.9");
        let per_ip = debrief::accounts::MAX_RESETS_PER_IP;
        for i in 0..per_ip {
            debrief::accounts::reset_allowed(&mut conn, &format!("p{i}@firma.ch"), ip)
                .expect("under the limit");
        }
        let over = debrief::accounts::reset_allowed(&mut conn, "another@firma.ch", ip);
        assert!(
            matches!(over, Err(debrief::error::ServiceError::Throttled { minutes }) if minutes >= 1),
            "{:?}: {over:?}",
            db.backend
        );
        assert!(
            debrief::accounts::reset_allowed(&mut conn, "another@firma.ch", Some("203.0.113.10"))
                .expect("other client")
        );
    }
}

#[actix_web::test]
async fn an_invited_user_chooses_a_password_and_signs_in() {
    let db = crate::common::TestDb::sqlite();
    let state = state_for(&db);
    create_user(&state, "admin@firma.ch", Role::Admin);
    let mut admin = crate::app!(state);
    admin.login("admin@firma.ch", ADMIN_PASSWORD).await;
    let page = admin
        .submit(
            "/users",
            "/users",
            &[
                ("email", "neu@firma.ch"),
                ("name", "Neue Person"),
                ("role", "editor"),
                ("locale", "de"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    state.worker("test").run_once().expect("worker");
    let mail = state
        .mailer
        .sent()
        .into_iter()
        .find(|m| m.to == "neu@firma.ch")
        .expect("invitation mail");
    assert!(
        mail.raw.contains("Content-Type: text/html"),
        "multipart with HTML"
    );
    let link = mail
        .body_text
        .split_whitespace()
        .find(|w| w.contains("/invitation/"))
        .expect("link")
        .to_string();
    let path = link
        .strip_prefix("http://debrief.test")
        .expect("link")
        .to_string();
    let mut invitee = crate::app!(state);
    let pw = "Herbstlaub im Emmental";
    let page = invitee
        .submit(&path, &path, &[("password", pw), ("password_repeat", pw)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        invitee.login("neu@firma.ch", pw).await.status,
        StatusCode::SEE_OTHER
    );
    let me = invitee.get("/incidents/new").await;
    assert_eq!(me.status, StatusCode::OK, "editor role applies");
    let audit = admin.get("/audit").await;
    assert!(audit.body.contains("user.invited") && audit.body.contains("invitation.accepted"));
}
