use actix_web::http::{Method, StatusCode};
use debrief::domain::Role;

use crate::common::{ADMIN_PASSWORD, backends, create_user, state_for};

fn incident_count(state: &debrief::app::AppState) -> usize {
    debrief::db::incidents::list(&mut state.pool.get().expect("conn"), &Default::default())
        .expect("list")
        .len()
}

#[actix_web::test]
async fn bad_incident_forms_show_errors_by_field_and_store_nothing() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let mut c = crate::app!(state);
        c.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let page = c
            .submit(
                "/incidents/new",
                "/incidents",
                &[
                    ("key", "INC 14/2"),
                    ("title", ""),
                    ("kind", "outage"),
                    ("severity", "sev2"),
                    ("language", "de"),
                    ("detected_at", "10.03.2026 07:42"),
                    ("audiences", "employees"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        for (field, text) in [
            ("key", "letters, digits and dashes"),
            ("title", "is required"),
            ("kind", "it_outage"),
            ("detected_at", "is not a date and time"),
        ] {
            assert!(
                page.body.contains(&format!("field-{field}")),
                "field {field} missing"
            );
            assert!(page.body.contains(text), "no error '{text}' for {field}");
        }
        assert!(
            page.body.contains("value=\"INC 14&#x2f;2\""),
            "what was typed is kept (escaped)"
        );
        assert_eq!(incident_count(&state), 0, "{:?}", db.backend);
    }
}

#[actix_web::test]
async fn an_editor_builds_an_incident_timeline_by_hand() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let mut c = crate::app!(state);
        c.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let page = c
            .submit(
                "/incidents/new",
                "/incidents",
                &[
                    ("key", "inc-2026-100"),
                    ("title", "VPN-Ausfall"),
                    ("kind", "it_outage"),
                    ("severity", "sev2"),
                    ("status", "open"),
                    ("language", "de"),
                    ("detected_at", "2026-03-29T02:30"),
                    ("affected_services", "VPN, Fernzugriff"),
                    ("audiences", "employees"),
                    ("audiences", "management"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(page.location(), Some("/incidents/INC-2026-100"));
        let incident = debrief::incidents::get(&mut state.pool.get().expect("c"), "INC-2026-100")
            .expect("stored");
        // 02:30 does not exist in Zurich on 2026-03-29 (DST); it is read as 03:30 CEST = 01:30 UTC.
        assert_eq!(incident.detected_at.to_string(), "2026-03-29 01:30:00");
        assert_eq!(incident.audiences, vec!["employees", "management"]);
        assert_eq!(incident.affected_services, vec!["VPN", "Fernzugriff"]);

        let base = "/incidents/INC-2026-100";
        let bad = c
            .submit(
                &format!("{base}/messages/new"),
                &format!("{base}/messages"),
                &[
                    ("sent_at", "2026-03-29T04:00"),
                    ("channel", "email"),
                    ("language", "de"),
                    ("kind", "initial"),
                    ("body", ""),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Choose at least one audience."));
        let ok = c
            .submit(
                &format!("{base}/messages/new"),
                &format!("{base}/messages"),
                &[
                    ("sent_at", "2026-03-29T04:00"),
                    ("audiences", "employees"),
                    ("channel", "email"),
                    ("language", "de"),
                    ("kind", "initial"),
                    ("subject", "VPN gestört"),
                    (
                        "body",
                        "Der VPN-Zugang ist gestört. Nächstes Update um 05:00 Uhr.",
                    ),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ev = c
            .submit(
                &format!("{base}/events/new"),
                &format!("{base}/events"),
                &[
                    ("occurred_at", "2026-03-29T03:50"),
                    ("kind", "acknowledged"),
                    ("description", "Ticket angenommen"),
                ],
            )
            .await;
        assert_eq!(ev.status, StatusCode::SEE_OTHER, "{}", ev.body);
        let men = c
            .submit(
                &format!("{base}/mentions/new"),
                &format!("{base}/mentions"),
                &[
                    ("posted_at", "2026-03-29T04:10"),
                    ("platform", "email"),
                    ("author_handle", "kunde@example.ch"),
                    ("text", "<script>alert(1)</script> geht nicht"),
                    ("url", "javascript:alert(1)"),
                ],
            )
            .await;
        assert_eq!(
            men.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "javascript: links are refused"
        );

        let show = c.get(base).await;
        assert_eq!(show.status, StatusCode::OK);
        let ack = show.body.find("Ticket angenommen").expect("event shown");
        let msg = show
            .body
            .find("Der VPN-Zugang ist gestört")
            .expect("message shown");
        assert!(ack < msg, "timeline is ordered by time");
        assert!(
            show.body.contains("2026-03-29 04:00"),
            "a time entered in the viewer's zone is shown in it"
        );
        assert!(
            show.body.contains("2026-03-29 03:30"),
            "the skipped 02:30 is shown as 03:30 CEST"
        );

        let tl = debrief::incidents::timeline(&mut state.pool.get().expect("c"), "INC-2026-100")
            .expect("tl");
        let id = tl.messages[0].id;
        let del = c
            .submit(base, &format!("{base}/messages/{id}/delete"), &[])
            .await;
        assert_eq!(del.status, StatusCode::SEE_OTHER);
        let tl = debrief::incidents::timeline(&mut state.pool.get().expect("c"), "INC-2026-100")
            .expect("tl");
        assert!(tl.messages.is_empty());
    }
}

#[actix_web::test]
async fn every_page_renders_for_an_admin_in_english_and_german() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "admin@firma.ch", Role::Admin);
        {
            let mut conn = state.pool.get().expect("conn");
            debrief::demo::load(&mut conn, &debrief::db::audit::Actor::cli()).expect("demo");
        }
        let tl = debrief::incidents::timeline(&mut state.pool.get().expect("c"), "INC-2026-021")
            .expect("tl");
        let (ev, msg, men) = (tl.events[0].id, tl.messages[0].id, tl.mentions[0].id);
        let mut c = crate::app!(state);
        c.login("admin@firma.ch", ADMIN_PASSWORD).await;
        let pages = [
            "/".to_string(),
            "/incidents".into(),
            "/incidents?q=e-mail&severity=sev2".into(),
            "/incidents?q=&status=&kind=&severity=&from=&to=".into(),
            "/incidents?from=2026-03-01&to=2026-03-31&offset=0".into(),
            "/incidents/new".into(),
            "/imports/new".into(),
            "/incidents/INC-2026-014/import".into(),
            "/incidents/INC-2026-014".into(),
            "/incidents/INC-2026-021".into(),
            "/incidents/INC-2026-014/edit".into(),
            "/incidents/INC-2026-021/events/new".into(),
            "/incidents/INC-2026-021/messages/new".into(),
            "/incidents/INC-2026-021/mentions/new".into(),
            format!("/incidents/INC-2026-021/events/{ev}/edit"),
            format!("/incidents/INC-2026-021/messages/{msg}/edit"),
            format!("/incidents/INC-2026-021/mentions/{men}/edit"),
            "/profile".into(),
            "/users".into(),
            "/users/1/edit".into(),
            "/settings".into(),
            "/audit".into(),
        ];
        for lang in ["en", "de"] {
            let csrf = c.get("/profile").await.csrf().expect("csrf");
            c.post_form(
                "/lang",
                &[("csrf_token", &csrf), ("lang", lang), ("next", "/")],
            )
            .await;
            for p in &pages {
                let page = c.get(p).await;
                assert_eq!(
                    page.status,
                    StatusCode::OK,
                    "{:?} {lang} {p}: {}",
                    db.backend,
                    &page.body[..page.body.len().min(800)]
                );
                assert!(
                    page.body.contains(&format!("lang=\"{lang}\"")),
                    "{lang} {p}"
                );
                assert!(page.headers.get("content-security-policy").is_some());
            }
        }
        let incidents_de = c.get("/incidents").await;
        assert!(incidents_de.body.contains("E-Mail-Störung"));
    }
}

#[actix_web::test]
async fn the_api_creates_reads_updates_and_deletes_incidents_with_stable_errors() {
    for db in backends() {
        let state = state_for(&db);
        let editor = create_user(&state, "editor@firma.ch", Role::Editor);
        let token = debrief::accounts::create_api_token(
            &mut state.pool.get().expect("c"),
            &editor,
            "ci",
            &debrief::db::audit::Actor::cli(),
        )
        .expect("t");
        let mut c = crate::app!(state);
        c.bearer = Some(token);
        let body = serde_json::json!({
            "key": "INC-2026-200", "title": "Status page outage", "kind": "it_outage", "severity": "sev1",
            "language": "en", "detected_at": "2026-04-01T08:00:00Z", "resolved_at": "2026-04-01T09:30:00+01:00",
            "audiences": ["customers"]
        });
        let created = c.json(Method::POST, "/api/v1/incidents", &body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.json()["resolved_at"], "2026-04-01T08:30:00Z");
        let dup = c.json(Method::POST, "/api/v1/incidents", &body).await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(dup.json()["code"], "validation_failed");
        assert_eq!(dup.json()["errors"][0]["field"], "key");
        let msg = c.json(Method::POST, "/api/v1/incidents/INC-2026-200/messages", &serde_json::json!({
            "sent_at": "2026-04-01T08:20:00Z", "audiences": ["customers"], "channel": "status_page",
            "body": "We are investigating errors on the website.", "language": "en", "kind": "initial"
        })).await;
        assert_eq!(msg.status, StatusCode::CREATED, "{}", msg.body);
        let list = c.get("/api/v1/incidents/INC-2026-200/messages").await;
        assert_eq!(
            list.json()[0]["body"],
            "We are investigating errors on the website."
        );
        let bad = c
            .json(
                Method::POST,
                "/api/v1/incidents/INC-2026-200/events",
                &serde_json::json!({"kind": "exploded"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let missing = c.get("/api/v1/incidents/NOPE").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.json()["code"], "not_found");
        let del = c
            .request(Method::DELETE, "/api/v1/incidents/INC-2026-200", None, &[])
            .await;
        assert_eq!(del.status, StatusCode::NO_CONTENT);
        assert_eq!(
            c.get("/api/v1/incidents/INC-2026-200").await.status,
            StatusCode::NOT_FOUND
        );
        let spec = c.get("/api/v1/openapi.json").await.json();
        assert!(spec["paths"]["/api/v1/incidents/{key}/messages"]["post"].is_object());
        assert_eq!(
            spec["openapi"].as_str().map(|v| v.starts_with("3.")),
            Some(true)
        );
    }
}

#[actix_web::test]
async fn health_metrics_and_security_headers() {
    let db = crate::common::TestDb::sqlite();
    let state = state_for(&db);
    let mut c = crate::app!(state);
    let h = c.get("/healthz").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["status"], "ok");
    c.get("/login").await;
    let m = c.get("/metrics").await;
    assert!(
        m.body.contains(
            "debrief_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}"
        ),
        "{}",
        m.body
    );
    assert!(m.body.contains("debrief_outbox_queue_length 0"));
    let login = c.get("/login").await;
    let csp = login
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(
        login
            .headers
            .get("x-frame-options")
            .and_then(|v| v.to_str().ok()),
        Some("DENY")
    );
    assert!(!login.body.contains("<script>") && !login.body.contains(" onclick="));
    let traversal = c.get("/assets/..%2F..%2FCargo.toml").await;
    assert_eq!(traversal.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/assets/css/app.css").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn the_incident_list_pages_through_many_incidents_keeping_its_filters() {
    let db = crate::common::TestDb::sqlite();
    let state = state_for(&db);
    create_user(&state, "viewer@firma.ch", Role::Viewer);
    {
        let mut conn = state.pool.get().expect("conn");
        for i in 0..55 {
            let input = debrief::domain::incident::IncidentInput {
                key: format!("INC-{i:03}"),
                title: format!("Outage {i}"),
                kind: "it_outage".into(),
                severity: if i % 2 == 0 {
                    "sev2".into()
                } else {
                    "sev3".into()
                },
                status: "open".into(),
                language: "en".into(),
                detected_at: Some(
                    chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                        .expect("date")
                        + chrono::Duration::hours(i),
                ),
                ..Default::default()
            };
            debrief::incidents::create(&mut conn, &input, &debrief::db::audit::Actor::cli(), None)
                .expect("create");
        }
    }
    let mut c = crate::app!(state);
    c.login("viewer@firma.ch", ADMIN_PASSWORD).await;
    let first = c.get("/incidents").await;
    assert!(
        first.body.contains("INC-054") && !first.body.contains("INC-004"),
        "newest first, 50 per page"
    );
    assert!(first.body.contains("1–50 of 55"), "{}", first.body);
    assert!(first.body.contains("offset=50"));
    let second = c
        .get("/incidents?q=&status=&kind=&severity=&from=&to=&offset=50")
        .await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("INC-000") && !second.body.contains("INC-054"));
    let filtered = c.get("/incidents?severity=sev3").await;
    assert!(
        filtered.body.contains("27") && !filtered.body.contains("offset=50"),
        "27 sev3 incidents fit one page"
    );
    let dashboard = c.get("/").await;
    assert!(dashboard.body.contains("55"));
}
