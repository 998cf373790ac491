//! Improvement actions on both backends: the board's filters and sorting, owners changing the
//! status of their own actions as viewers, the daily digest (content, once a day, several
//! instances), the Jira CSV parsed back, and the iCalendar feed read by a parser.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use debrief::actions::model::ActionInput;
use debrief::db::audit::Actor;
use debrief::domain::Role;

use crate::common::{ADMIN_PASSWORD, Client, backends, create_user, state_for};

fn person(state: &debrief::app::AppState, email: &str, name: &str, role: Role) -> i64 {
    let mut conn = state.pool.get().expect("conn");
    debrief::accounts::create_user(
        &mut conn,
        email,
        name,
        role,
        Some(ADMIN_PASSWORD),
        &Actor::cli(),
    )
    .expect("user")
    .id
}

async fn signed_in<S, B>(client: &mut Client<S>, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let page = client.login(email, ADMIN_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "login {email}");
    client.get("/profile").await.csrf().expect("csrf")
}

/// Days from the organisation's today, as the forms take dates.
fn day(offset: i64) -> String {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Zurich)
        .date_naive();
    (today + chrono::Duration::days(offset)).to_string()
}

struct Fixture {
    anna: i64,
    beat: i64,
    ids: Vec<i64>,
}

/// Six actions on the demo incidents: (title, category, owner, due, priority, status, incident).
fn actions(state: &debrief::app::AppState) -> Fixture {
    let mut conn = state.pool.get().expect("conn");
    debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
    drop(conn);
    let anna = person(state, "anna.keller@firma.ch", "Anna Keller", Role::Viewer);
    let beat = person(state, "beat.huber@firma.ch", "Beat Huber", Role::Viewer);
    let mut conn = state.pool.get().expect("conn");
    let rows = [
        (
            "SMS-Vorlage überarbeiten",
            "guidelines_templates",
            Some(anna),
            Some(-5),
            "high",
            "open",
            Some("INC-2026-014"),
        ),
        (
            "Statusseite zuerst",
            "process",
            Some(anna),
            Some(3),
            "medium",
            "in_progress",
            Some("INC-2026-014"),
        ),
        (
            "Eskalationsliste prüfen",
            "roles_contacts",
            Some(beat),
            Some(-1),
            "low",
            "open",
            Some("INC-2026-014"),
        ),
        (
            "Social-Media-Schulung",
            "training",
            Some(beat),
            Some(30),
            "high",
            "open",
            Some("INC-2026-021"),
        ),
        (
            "Monitoring der Zertifikate",
            "technical",
            None,
            None,
            "medium",
            "open",
            None,
        ),
        (
            "Alte Vorlage löschen",
            "guidelines_templates",
            Some(anna),
            Some(-20),
            "low",
            "done",
            Some("INC-2026-014"),
        ),
    ];
    let mut ids = Vec::new();
    for (title, category, owner, due, priority, status, incident) in rows {
        let input = ActionInput {
            title: title.into(),
            category: category.into(),
            owner_id: owner,
            due_date: due.map(day).unwrap_or_default(),
            priority: priority.into(),
            status: status.into(),
            ..Default::default()
        };
        ids.push(
            debrief::actions::manage::create(&mut conn, &input, incident, &Actor::cli())
                .expect("action")
                .id,
        );
    }
    Fixture { anna, beat, ids }
}

fn titles(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|a| a["title"].as_str().expect("title").to_string())
        .collect()
}

#[actix_web::test]
async fn the_board_filters_and_sorts_across_incidents() {
    for db in backends() {
        let state = state_for(&db);
        let f = actions(&state);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut client = crate::app!(state);
        signed_in(&mut client, "viewer@firma.ch").await;
        let list = |q: &str| format!("/api/v1/actions?{q}");
        let cases: Vec<(String, Vec<&str>)> = vec![
            (
                list("status=open"),
                vec![
                    "SMS-Vorlage überarbeiten",
                    "Eskalationsliste prüfen",
                    "Social-Media-Schulung",
                    "Monitoring der Zertifikate",
                ],
            ),
            (
                list("status=open,in_progress&sort=title"),
                vec![
                    "Eskalationsliste prüfen",
                    "Monitoring der Zertifikate",
                    "SMS-Vorlage überarbeiten",
                    "Social-Media-Schulung",
                    "Statusseite zuerst",
                ],
            ),
            (
                list(&format!("owner={}", f.beat)),
                vec!["Eskalationsliste prüfen", "Social-Media-Schulung"],
            ),
            (list("owner=none"), vec!["Monitoring der Zertifikate"]),
            (
                list("category=guidelines_templates"),
                vec!["Alte Vorlage löschen", "SMS-Vorlage überarbeiten"],
            ),
            (
                list("overdue=1"),
                vec!["SMS-Vorlage überarbeiten", "Eskalationsliste prüfen"],
            ),
            (list("incident=INC-2026-021"), vec!["Social-Media-Schulung"]),
            (
                list(&format!("due_from={}&due_to={}", day(-2), day(10))),
                vec!["Eskalationsliste prüfen", "Statusseite zuerst"],
            ),
            (
                list("incident=INC-2026-014&sort=priority"),
                vec![
                    "SMS-Vorlage überarbeiten",
                    "Statusseite zuerst",
                    "Eskalationsliste prüfen",
                    "Alte Vorlage löschen",
                ],
            ),
        ];
        for (path, expected) in cases {
            let page = client.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            assert_eq!(titles(&page.json()), expected, "{path}");
        }
        let spec = client.get("/api/v1/openapi.json").await.json();
        for (path, method) in [
            ("/api/v1/actions", "get"),
            ("/api/v1/actions/{id}/status", "post"),
            ("/api/v1/incidents/{key}/review/sections/{section}", "put"),
            ("/api/v1/incidents/{key}/review/pins", "post"),
        ] {
            assert!(
                spec["paths"][path][method].is_object(),
                "{method} {path} in the OpenAPI document"
            );
        }
        let bad = client.get(&list("status=finished&due_from=soon")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["code"], "validation_failed");

        // The page shows the same selection, with its metrics.
        let page = client.get("/actions?overdue=1").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("SMS-Vorlage überarbeiten")
                && page.body.contains("Eskalationsliste prüfen")
        );
        assert!(!page.body.contains("Social-Media-Schulung"), "filtered out");
        let metrics = client.get("/api/v1/actions/metrics").await.json();
        assert_eq!(
            (
                metrics["total"].as_i64(),
                metrics["done"].as_i64(),
                metrics["overdue"].as_i64()
            ),
            (Some(6), Some(1), Some(2))
        );
        assert_eq!(metrics["completion_rate"].as_f64(), Some(1.0 / 6.0));
        let mine = client.get("/actions/mine").await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(
            !mine.body.contains("SMS-Vorlage überarbeiten"),
            "the viewer owns nothing"
        );
        let tab = client.get("/incidents/INC-2026-021/actions").await;
        assert!(tab.body.contains("Social-Media-Schulung") && !tab.body.contains("SMS-Vorlage"));
        assert_eq!(f.ids.len(), 6);
        let _ = f.anna;
    }
}

#[actix_web::test]
async fn owners_move_their_own_actions_even_as_viewers() {
    for db in backends() {
        let state = state_for(&db);
        let f = actions(&state);
        let mut anna = crate::app!(state);
        let csrf = signed_in(&mut anna, "anna.keller@firma.ch").await;
        let own = f.ids[0];
        let others = f.ids[2];
        let moved = anna
            .post_form(
                &format!("/actions/{own}/status"),
                &[
                    ("csrf_token", &csrf),
                    ("status", "in_progress"),
                    ("comment", "Entwurf liegt vor"),
                ],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let commented = anna
            .post_form(
                &format!("/actions/{own}/status"),
                &[
                    ("csrf_token", &csrf),
                    ("status", "in_progress"),
                    ("comment", "Review mit der Rechtsabteilung"),
                ],
            )
            .await;
        assert_eq!(commented.status, StatusCode::SEE_OTHER);
        let nothing = anna
            .post_form(
                &format!("/actions/{own}/status"),
                &[("csrf_token", &csrf), ("status", "in_progress")],
            )
            .await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
        let refused = anna
            .post_form(
                &format!("/actions/{others}/status"),
                &[("csrf_token", &csrf), ("status", "done")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let api_refused = anna
            .request(
                Method::POST,
                &format!("/api/v1/actions/{others}/status"),
                Some(("application/json", br#"{"status":"done"}"#.to_vec())),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(api_refused.status, StatusCode::FORBIDDEN);
        let done = anna
            .request(
                Method::POST,
                &format!("/api/v1/actions/{own}/status"),
                Some((
                    "application/json",
                    br#"{"status":"done","comment":"Neue Vorlage ist live"}"#.to_vec(),
                )),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let view = done.json();
        assert_eq!(view["status"], "done");
        assert!(view["closed_at"].is_string());
        let history: Vec<(String, String, String)> = view["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|h| {
                (
                    h["field"].as_str().unwrap_or("").into(),
                    h["new_value"].as_str().unwrap_or("").into(),
                    h["comment"].as_str().unwrap_or("").into(),
                )
            })
            .collect();
        assert_eq!(
            history,
            vec![
                ("created".into(), "open".into(), String::new()),
                (
                    "status".into(),
                    "in_progress".into(),
                    "Entwurf liegt vor".into()
                ),
                (
                    "comment".into(),
                    String::new(),
                    "Review mit der Rechtsabteilung".into()
                ),
                (
                    "status".into(),
                    "done".into(),
                    "Neue Vorlage ist live".into()
                ),
            ]
        );
        // Viewers change nothing else.
        let edit = anna
            .post_form(
                &format!("/actions/{own}"),
                &[("csrf_token", &csrf), ("title", "Neu")],
            )
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN);
        let page = anna.get(&format!("/actions/{own}")).await;
        assert!(page.body.contains("Neue Vorlage ist live") && page.body.contains("Anna Keller"));
    }
}

#[actix_web::test]
async fn the_daily_digest_lists_overdue_and_soon_due_actions_once() {
    for db in backends() {
        let state = state_for(&db);
        actions(&state);
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Zurich)
            .date_naive();
        let mut conn = state.pool.get().expect("conn");
        // Two instances run the same day: only one mail per owner is queued.
        let first =
            debrief::actions::digest::send(&mut conn, &state.mail_context(), today, "Firma AG")
                .expect("digest");
        let mut other = state.pool.get().expect("conn");
        let second =
            debrief::actions::digest::send(&mut other, &state.mail_context(), today, "Firma AG")
                .expect("digest");
        assert_eq!((first, second), (2, 0));
        drop((conn, other));
        state.worker("test").run_once().expect("worker");
        let sent = state.mailer.sent();
        let anna = sent
            .iter()
            .find(|m| m.to == "anna.keller@firma.ch")
            .expect("Anna's digest");
        assert!(
            anna.subject.contains("Firma AG: 2 improvement actions"),
            "{}",
            anna.subject
        );
        let body = &anna.body_text;
        let overdue = body.find("Overdue (1)").expect("overdue part");
        let soon = body.find("Due soon (1)").expect("due soon part");
        assert!(overdue < soon);
        assert!(
            body[overdue..soon].contains("SMS-Vorlage überarbeiten"),
            "{body}"
        );
        assert!(body[overdue..soon].contains("5 days ago"), "{body}");
        assert!(
            body[soon..].contains("Statusseite zuerst") && body[soon..].contains("in 3 days"),
            "{body}"
        );
        assert!(
            !body.contains("Alte Vorlage löschen"),
            "done actions are not listed"
        );
        assert!(body.contains("http://debrief.test/actions/mine"));
        let beat = sent
            .iter()
            .find(|m| m.to == "beat.huber@firma.ch")
            .expect("Beat's digest");
        assert!(beat.body_text.contains("Eskalationsliste prüfen"));
        assert!(
            !beat.body_text.contains("Social-Media-Schulung"),
            "due in 30 days is not soon"
        );
        // The scheduler's pass after the digest hour sends nothing more today.
        debrief::schedule::run_once(&state);
        state.worker("test").run_once().expect("worker");
        assert_eq!(state.mailer.sent().len(), 2);
    }
}

#[actix_web::test]
async fn the_jira_export_parses_back() {
    for db in backends() {
        let state = state_for(&db);
        let f = actions(&state);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut client = crate::app!(state);
        signed_in(&mut client, "viewer@firma.ch").await;
        let page = client
            .get("/actions/export.csv?incident=INC-2026-014&sort=due")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/csv"))
        );
        let mut reader = csv::Reader::from_reader(page.body.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            header,
            [
                "Summary",
                "Description",
                "Assignee",
                "Due Date",
                "Priority",
                "Labels",
                "Labels",
                "Labels"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let summaries: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(
            summaries,
            [
                "Alte Vorlage löschen",
                "SMS-Vorlage überarbeiten",
                "Eskalationsliste prüfen",
                "Statusseite zuerst"
            ]
        );
        let sms = &rows[1];
        assert_eq!(&sms[2], "anna.keller@firma.ch");
        assert_eq!(&sms[3], day(-5));
        assert_eq!(&sms[4], "High");
        assert_eq!(
            (&sms[5], &sms[6], &sms[7]),
            ("debrief", "guidelines_templates", "INC-2026-014")
        );
        assert!(
            sms[1].contains(&format!("http://debrief.test/actions/{}", f.ids[0])),
            "{}",
            &sms[1]
        );
        let all = client.get("/api/v1/actions/export.csv").await;
        assert_eq!(
            csv::Reader::from_reader(all.body.as_bytes())
                .records()
                .count(),
            6
        );
    }
}

#[actix_web::test]
async fn the_calendar_feed_is_valid_icalendar() {
    use icalendar::{Component, DatePerhapsTime};
    for db in backends() {
        let state = state_for(&db);
        let f = actions(&state);
        let mut anna = crate::app!(state);
        let csrf = signed_in(&mut anna, "anna.keller@firma.ch").await;
        let page = anna
            .post_form("/actions/calendar", &[("csrf_token", &csrf)])
            .await;
        assert_eq!(page.status, StatusCode::OK);
        // The page escapes slashes in text.
        let body = page.body.replace("&#x2f;", "/");
        let start = body
            .find("http://debrief.test/calendar/")
            .expect("calendar address shown once");
        let url = body[start + "http://debrief.test".len()..]
            .split('<')
            .next()
            .expect("url")
            .to_string();
        let mut calendar_app = crate::app!(state);
        let feed = calendar_app.get(&url).await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(
            feed.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/calendar"))
        );
        assert!(
            feed.body.lines().all(|l| l.len() <= 76),
            "lines are folded at 75 octets"
        );
        let calendar: icalendar::Calendar = feed.body.parse().expect("RFC 5545");
        let events: Vec<&icalendar::Event> = calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .collect();
        // Anna's open and in-progress actions with a due date; the done one is left out.
        let mut seen: Vec<(String, String)> = events
            .iter()
            .map(|e| {
                let date = match e.get_start() {
                    Some(DatePerhapsTime::Date(d)) => d.to_string(),
                    other => panic!("an all-day event, not {other:?}"),
                };
                (e.get_summary().unwrap_or("").to_string(), date)
            })
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("SMS-Vorlage überarbeiten".to_string(), day(-5)),
                ("Statusseite zuerst".to_string(), day(3)),
            ]
        );
        assert!(
            events
                .iter()
                .all(|e| e.get_uid().is_some_and(|u| u.starts_with("action-")))
        );
        let first = format!("action-{}@debrief.test", f.ids[0]);
        assert!(events.iter().any(|e| e.get_uid() == Some(first.as_str())));
        // A new address replaces the old one; unknown addresses are not found.
        let renewed = anna
            .post_form("/actions/calendar", &[("csrf_token", &csrf)])
            .await;
        assert!(
            renewed
                .body
                .replace("&#x2f;", "/")
                .contains("http://debrief.test/calendar/")
        );
        assert_eq!(calendar_app.get(&url).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            calendar_app
                .get("/calendar/nothing/actions.ics")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[test]
fn an_action_stays_editable_after_its_owner_leaves_but_goes_only_to_active_people() {
    for db in backends() {
        let state = state_for(&db);
        let fixture = actions(&state);
        let mut conn = state.pool.get().expect("conn");
        debrief::db::users::update_admin_fields(
            &mut conn,
            fixture.anna,
            "Anna Keller",
            Role::Viewer,
            false,
        )
        .expect("anna leaves");
        let id = fixture.ids[0];
        let before = debrief::actions::manage::get(&mut conn, id).expect("action");
        let input = ActionInput {
            title: "SMS-Vorlage überarbeiten (neu)".into(),
            category: before.category.as_str().into(),
            owner_id: before.owner_id,
            due_date: before.due_date.map(|d| d.to_string()).unwrap_or_default(),
            priority: before.priority.as_str().into(),
            ..Default::default()
        };
        let edited = debrief::actions::manage::update(&mut conn, id, &input, &Actor::cli())
            .expect("edited while its owner is inactive");
        assert_eq!(edited.title, "SMS-Vorlage überarbeiten (neu)");
        assert_eq!(edited.owner_id, Some(fixture.anna));

        // Another action cannot be given to her any more.
        let other = debrief::actions::manage::get(&mut conn, fixture.ids[2]).expect("action");
        let reassigned = ActionInput {
            owner_id: Some(fixture.anna),
            title: other.title.clone(),
            category: other.category.as_str().into(),
            priority: other.priority.as_str().into(),
            ..Default::default()
        };
        let refused =
            debrief::actions::manage::update(&mut conn, other.id, &reassigned, &Actor::cli());
        assert!(
            matches!(&refused, Err(debrief::error::ServiceError::Invalid(e)) if format!("{e:?}").contains("owner_id")),
            "{:?}: {refused:?}",
            db.backend
        );
    }
}
