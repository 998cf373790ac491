//! The review workflow on both backends: read-only enforcement of a published review on the web
//! and the API with an admin's audited reopening and the section history, contribution links
//! scoped to their participant and closed with the review, Markdown made inert and blame
//! pointed out.

use actix_web::http::{Method, StatusCode};
use debrief::domain::Role;

use crate::common::{backends, create_user, state_for};
use crate::reviews::{KEY, REVIEW, demo, links, person, signed_in};

#[actix_web::test]
async fn published_reviews_refuse_changes_on_the_web_and_the_api() {
    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        create_user(&state, "editor@firma.ch", Role::Editor);
        create_user(&state, "admin@firma.ch", Role::Admin);
        let mut team = crate::app!(state);
        let csrf = signed_in(&mut team, "editor@firma.ch").await;
        team.post_form(REVIEW, &[("csrf_token", &csrf)]).await;
        let section = format!("{REVIEW}/sections/summary");
        let api_section = format!("/api/v1/incidents/{KEY}/review/sections/summary");
        let json = |v: serde_json::Value| serde_json::to_vec(&v).expect("json");

        // Draft: edits are kept with their history; a step that skips review is refused.
        let saved = team
            .post_form(
                &section,
                &[("csrf_token", &csrf), ("content", "Ausfall von 4 Stunden.")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let skipped = team
            .request(
                Method::POST,
                &format!("/api/v1/incidents/{KEY}/review/status"),
                Some((
                    "application/json",
                    json(serde_json::json!({"status": "published"})),
                )),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(skipped.status, StatusCode::CONFLICT);
        assert_eq!(skipped.json()["code"], "conflict");
        for step in ["in_review", "published"] {
            let moved = team
                .request(
                    Method::POST,
                    &format!("/api/v1/incidents/{KEY}/review/status"),
                    Some((
                        "application/json",
                        json(serde_json::json!({"status": step})),
                    )),
                    &[("x-csrf-token", &csrf)],
                )
                .await;
            assert_eq!(moved.status, StatusCode::OK, "{step}: {}", moved.body);
        }

        // Published: the web says so clearly, the API answers 409, nothing changes.
        let refused = team
            .post_form(
                &section,
                &[("csrf_token", &csrf), ("content", "Überschrieben")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused
                .body
                .contains("The review is published and can no longer be changed"),
            "{}",
            refused.body
        );
        let form = team.get(&section).await;
        assert_eq!(form.status, StatusCode::CONFLICT);
        for (method, path, body) in [
            (
                Method::PUT,
                api_section.clone(),
                serde_json::json!({"content": "Überschrieben"}),
            ),
            (
                Method::POST,
                format!("/api/v1/incidents/{KEY}/review/regenerate"),
                serde_json::json!({}),
            ),
            (
                Method::POST,
                format!("/api/v1/incidents/{KEY}/review/contributions"),
                serde_json::json!({"went_well": "x"}),
            ),
            (
                Method::POST,
                format!("/api/v1/incidents/{KEY}/review/participants"),
                serde_json::json!({"name": "X", "email": "x@firma.ch"}),
            ),
            (
                Method::POST,
                format!("/api/v1/incidents/{KEY}/review/status"),
                serde_json::json!({"status": "draft"}),
            ),
        ] {
            let page = team
                .request(
                    method.clone(),
                    &path,
                    Some(("application/json", json(body))),
                    &[("x-csrf-token", &csrf)],
                )
                .await;
            assert_eq!(
                page.status,
                StatusCode::CONFLICT,
                "{method} {path}: {}",
                page.body
            );
            assert_eq!(page.json()["code"], "conflict");
        }
        let review = team
            .get(&format!("/api/v1/incidents/{KEY}/review"))
            .await
            .json();
        assert_eq!(review["status"], "published");
        let summary = review["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["key"] == "summary")
            .cloned()
            .expect("summary");
        assert_eq!(summary["team_content"], "Ausfall von 4 Stunden.");

        // Editors cannot reopen; an admin can, with an audit entry; then edits work again.
        let not_admin = team
            .request(
                Method::POST,
                &format!("/api/v1/incidents/{KEY}/review/reopen"),
                None,
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
        let mut admin = crate::app!(state);
        let admin_csrf = signed_in(&mut admin, "admin@firma.ch").await;
        let reopened = admin
            .post_form(&format!("{REVIEW}/reopen"), &[("csrf_token", &admin_csrf)])
            .await;
        assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.body);
        {
            let mut conn = state.pool.get().expect("conn");
            let entries = debrief::db::audit::list(
                &mut conn,
                &debrief::db::audit::AuditFilter {
                    action: Some("review.reopened".into()),
                    before_id: None,
                    limit: 10,
                },
            )
            .expect("audit");
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].actor_label, "admin@firma.ch");
        }
        let again = team
            .request(
                Method::PUT,
                &api_section,
                Some((
                    "application/json",
                    json(serde_json::json!({"content": "Ausfall von 4 Stunden 16 Minuten."})),
                )),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        let history = team.get(&format!("{api_section}/history")).await.json();
        let edits = history.as_array().expect("edits");
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0]["new_content"], "Ausfall von 4 Stunden 16 Minuten.");
        assert_eq!(edits[0]["old_content"], "Ausfall von 4 Stunden.");
        assert_eq!(edits[0]["user"], "Test User");
        let changes: Vec<&str> = edits[0]["diff"]
            .as_array()
            .expect("diff")
            .iter()
            .filter_map(|l| l["change"].as_str())
            .collect();
        assert_eq!(changes, ["removed", "added"]);
    }
}

#[actix_web::test]
async fn contribution_links_belong_to_their_participant_and_close_with_the_review() {
    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let mut team = crate::app!(state);
        let csrf = signed_in(&mut team, "editor@firma.ch").await;
        let other = "/incidents/INC-2026-021/review";
        for review in [REVIEW, other] {
            team.post_form(review, &[("csrf_token", &csrf)]).await;
        }
        for (review, name, email) in [
            (REVIEW, "Petra Gerber", "petra@partner.ch"),
            (REVIEW, "Karl Vogt", "karl@partner.ch"),
            (other, "Petra Gerber", "petra.other@partner.ch"),
        ] {
            let added = team
                .post_form(
                    &format!("{review}/participants"),
                    &[("csrf_token", &csrf), ("name", name), ("email", email)],
                )
                .await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        }
        let twice = team
            .post_form(
                &format!("{REVIEW}/participants"),
                &[
                    ("csrf_token", &csrf),
                    ("name", "P"),
                    ("email", "petra@partner.ch"),
                ],
            )
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);

        let petra = links(&state, "petra@partner.ch").pop().expect("link");
        let karl = links(&state, "karl@partner.ch").pop().expect("link");
        let elsewhere = links(&state, "petra.other@partner.ch").pop().expect("link");
        let mut visitor = crate::app!(state);
        let token = visitor.get(&petra).await.csrf().expect("csrf");
        for (link, text) in [
            (&petra, "Petra hier"),
            (&karl, "Karl hier"),
            (&elsewhere, "Anderer Vorfall"),
        ] {
            let sent = visitor
                .post_form(link, &[("csrf_token", &token), ("went_well", text)])
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        }
        let empty = visitor.post_form(&petra, &[("csrf_token", &token)]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty
                .body
                .contains("Beantworten Sie mindestens eine der drei Fragen"),
            "{}",
            empty.body
        );
        let unknown = visitor.get("/c/not-a-real-token").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // Each link wrote its own participant's answer, in its own review only.
        let here = team
            .get(&format!("/api/v1/incidents/{KEY}/review/contributions"))
            .await
            .json();
        let mut answers: Vec<(String, String)> = here
            .as_array()
            .expect("list")
            .iter()
            .map(|c| {
                (
                    c["participant"].as_str().unwrap_or("").into(),
                    c["went_well"].as_str().unwrap_or("").into(),
                )
            })
            .collect();
        answers.sort();
        assert_eq!(
            answers,
            vec![
                ("Karl Vogt".to_string(), "Karl hier".to_string()),
                ("Petra Gerber".to_string(), "Petra hier".to_string())
            ]
        );
        let there = team
            .get("/api/v1/incidents/INC-2026-021/review/contributions")
            .await
            .json();
        assert_eq!(there.as_array().map(Vec::len), Some(1));
        assert_eq!(there[0]["went_well"], "Anderer Vorfall");

        // A new link replaces the old one.
        let participants = team
            .get(&format!("/api/v1/incidents/{KEY}/review"))
            .await
            .json();
        let karl_id = participants["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .find(|p| p["name"] == "Karl Vogt")
            .and_then(|p| p["id"].as_i64())
            .expect("Karl");
        team.post_form(
            &format!("{REVIEW}/participants/{karl_id}/link"),
            &[("csrf_token", &csrf)],
        )
        .await;
        let renewed = links(&state, "karl@partner.ch").pop().expect("new link");
        assert_ne!(renewed, karl);
        assert_eq!(visitor.get(&karl).await.status, StatusCode::NOT_FOUND);
        assert_eq!(visitor.get(&renewed).await.status, StatusCode::OK);

        // Published: the link says the review is closed and takes nothing.
        for step in ["in_review", "published"] {
            team.post_form(
                &format!("{REVIEW}/status"),
                &[("csrf_token", &csrf), ("to", step)],
            )
            .await;
        }
        let closed = visitor.get(&petra).await;
        assert_eq!(closed.status, StatusCode::GONE);
        let late = visitor
            .post_form(&petra, &[("csrf_token", &token), ("went_well", "Zu spät")])
            .await;
        assert_eq!(late.status, StatusCode::GONE);
        let after = team
            .get(&format!("/api/v1/incidents/{KEY}/review/contributions"))
            .await
            .json();
        assert!(
            after
                .as_array()
                .expect("list")
                .iter()
                .all(|c| c["went_well"] != "Zu spät")
        );
    }
}

#[actix_web::test]
async fn review_text_is_rendered_inert_and_blame_is_pointed_out_gently() {
    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        create_user(&state, "editor@firma.ch", Role::Editor);
        person(
            &state,
            "martin.keller@firma.ch",
            "Martin Keller",
            Role::Viewer,
        );
        let mut team = crate::app!(state);
        let csrf = signed_in(&mut team, "editor@firma.ch").await;
        team.post_form(REVIEW, &[("csrf_token", &csrf)]).await;
        let attack = "<script>alert('x')</script>\n\n[Status](javascript:alert(1)) \
                      ![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)>\n\n\
                      **Wichtig:** siehe [Statusseite](https://status.firma.ch)";
        team.post_form(
            &format!("{REVIEW}/sections/summary"),
            &[("csrf_token", &csrf), ("content", attack)],
        )
        .await;
        team.post_form(
            &format!("{REVIEW}/sections/went_badly"),
            &[
                ("csrf_token", &csrf),
                (
                    "content",
                    "- Martin hat versehentlich das falsche Zertifikat eingespielt.",
                ),
            ],
        )
        .await;
        let page = team.get(REVIEW).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        assert!(!body.contains("<script>alert"), "raw script rendered");
        assert!(
            !body.contains("href=\"javascript:"),
            "javascript link rendered"
        );
        assert!(!body.contains("<img src=x"), "raw image rendered");
        assert!(
            !body.contains("evil.example/p.png"),
            "remote image rendered"
        );
        assert!(
            body.contains("&lt;script&gt;alert("),
            "the text stays readable"
        );
        assert!(body.contains("<strong>Wichtig:</strong>"));
        assert!(body.contains("<a href=\"https://status.firma.ch\">Statusseite</a>"));
        assert!(
            body.contains("this reads as if a person were the cause"),
            "blame warning"
        );
        assert!(body.contains("Martin hat versehentlich das falsche Zertifikat eingespielt."));
        let api = team
            .get(&format!("/api/v1/incidents/{KEY}/review"))
            .await
            .json();
        let warned: Vec<&str> = api["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| s["warnings"].as_array().is_some_and(|w| !w.is_empty()))
            .filter_map(|s| s["key"].as_str())
            .collect();
        assert_eq!(warned, ["went_badly"]);
    }
}

/// An edit that looked at the review while it was still a draft, and reaches its write while the
/// publication is being committed, is refused: the status is checked again under the write lock.
#[test]
fn an_edit_racing_the_publication_is_refused_not_written_after_it() {
    use debrief::db::audit::Actor;
    use debrief::reviews::{ReviewStatus, SectionKey, manage};
    use std::sync::mpsc;
    use std::time::Duration;

    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        let mut conn = state.pool.get().expect("conn");
        let review = manage::create(&mut conn, KEY, &Actor::cli()).expect("review");
        manage::set_status(&mut conn, KEY, ReviewStatus::InReview, &Actor::cli()).expect("step");

        // The publication holds its transaction open for a moment after the status is written.
        let (written, edit_may_start) = mpsc::channel();
        let pool = state.pool.clone();
        let publisher = std::thread::spawn(move || {
            let mut c = pool.get().expect("conn");
            debrief::db::write_transaction(&mut c, |c| {
                debrief::db::reviews::set_status(c, review.id, ReviewStatus::Published, None)?;
                written.send(()).expect("signal");
                std::thread::sleep(Duration::from_millis(400));
                Ok::<_, debrief::db::StoreError>(())
            })
            .expect("published");
        });
        edit_may_start.recv().expect("publication under way");
        let edit = manage::save_section(
            &mut conn,
            KEY,
            SectionKey::Summary,
            "Nach der Veröffentlichung geschrieben",
            &Actor::cli(),
        );
        publisher.join().expect("publisher");
        assert!(
            matches!(edit, Err(debrief::error::ServiceError::Conflict(_))),
            "{:?}: {edit:?}",
            db.backend
        );
        let summary = manage::sections(&mut conn, &review)
            .expect("sections")
            .into_iter()
            .find(|s| s.key == SectionKey::Summary)
            .expect("summary");
        assert_eq!(summary.team_content, "", "{:?}", db.backend);
    }
}

/// Regenerating after the facts changed refreshes the automatic parts and leaves what the team
/// wrote in the same sections as it was.
#[test]
fn regenerating_refreshes_the_automatic_parts_and_keeps_the_team_text() {
    use debrief::db::audit::Actor;
    use debrief::reviews::{SectionKey, manage};

    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        let mut conn = state.pool.get().expect("conn");
        let review = manage::create(&mut conn, KEY, &Actor::cli()).expect("review");
        let team_text = "Die Kundschaft erfuhr es aus der Presse. **Warum?**";
        for key in [
            SectionKey::Expected,
            SectionKey::Actual,
            SectionKey::Perception,
        ] {
            manage::save_section(&mut conn, KEY, key, team_text, &Actor::cli()).expect("saved");
        }
        let actual = |conn: &mut debrief::db::DbConn| {
            manage::sections(conn, &review)
                .expect("sections")
                .into_iter()
                .find(|s| s.key == SectionKey::Actual)
                .expect("actual")
        };
        let before = actual(&mut conn);

        // An early briefing of management changes what actually happened: their first message
        // comes 18 minutes after detection (06:42 UTC) instead of 74.
        let message: debrief::domain::timeline::MessageInput =
            serde_json::from_value(serde_json::json!({
                "sent_at": "2026-03-10T07:00:00Z",
                "audiences": ["management"],
                "channel": "email",
                "author": "Kommunikation",
                "subject": "Erste Lageinformation",
                "body": "Seit 07:42 ist der Mailversand gestört. Wir melden uns um 08:30 wieder.",
                "language": "de",
                "kind": "initial"
            }))
            .expect("message");
        debrief::incidents::add_message(&mut conn, KEY, &message).expect("message added");
        manage::regenerate(&mut conn, KEY, &Actor::cli()).expect("regenerated");

        let incident = debrief::incidents::get(&mut conn, KEY).expect("incident");
        let fresh = manage::automatic_parts(&mut conn, &incident).expect("parts");
        let expected_auto = fresh
            .iter()
            .find(|(k, _)| *k == SectionKey::Actual)
            .map(|(_, t)| t.clone());
        let after = actual(&mut conn);
        assert_ne!(after.auto_content, before.auto_content, "{:?}", db.backend);
        assert!(
            after
                .auto_content
                .as_deref()
                .is_some_and(|t| t.contains("Geschäftsleitung: erste Meldung 18 Min.")),
            "{:?}: {:?}",
            db.backend,
            after.auto_content
        );
        assert_eq!(after.auto_content, expected_auto, "{:?}", db.backend);
        for s in manage::sections(&mut conn, &review).expect("sections") {
            if matches!(
                s.key,
                SectionKey::Expected | SectionKey::Actual | SectionKey::Perception
            ) {
                assert_eq!(s.team_content, team_text, "{:?} {:?}", db.backend, s.key);
            }
        }
    }
}
