//! Scores on both backends: the demo incidents' scorecards through the API and the pages, stored
//! with the rubric version, recomputed when the facts change, the analyser over the API, the
//! reports downloaded.

use actix_web::http::{Method, StatusCode};
use debrief::db::audit::Actor;
use debrief::domain::Role;
use diesel::prelude::*;

use crate::common::{ADMIN_PASSWORD, backends, create_user, state_for};

#[actix_web::test]
async fn the_scorecard_is_served_stored_and_recomputed_when_the_facts_change() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("c"), &Actor::cli()).expect("demo");
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut c = crate::app!(state);
        c.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        for page in [
            "/incidents/INC-2026-014/scores",
            "/incidents/INC-2026-014/scores/messages",
            "/incidents/INC-2026-021/scores",
            "/analyze",
            "/portfolio?from=2026-01-01&to=2026-12-31",
        ] {
            let p = c.get(page).await;
            assert_eq!(
                p.status,
                StatusCode::OK,
                "{page}: {}",
                &p.body[..p.body.len().min(2000)]
            );
        }
        let card = c.get("/api/v1/incidents/INC-2026-014/scores").await.json();
        let overall = card["overall"].as_f64().expect("overall");
        assert!((0.0..=100.0).contains(&overall));
        assert_eq!(card["rubric_version"], 1);
        let mut conn = state.pool.get().expect("conn");
        use debrief::db::schema::{findings, scores};
        let stored: f64 = scores::table
            .filter(scores::scope.eq("incident"))
            .filter(scores::dimension.eq("overall"))
            .select(scores::value.assume_not_null())
            .first(&mut conn)
            .expect("stored");
        assert_eq!(stored, overall);
        let stored_findings: i64 = findings::table
            .count()
            .get_result(&mut conn)
            .expect("count");
        assert!(stored_findings > 10);
        drop(conn);

        // The facts change (management's first message comes 30 minutes earlier): the stored
        // score follows on the next read, and only then.
        let computed_at = |state: &debrief::app::AppState| -> chrono::NaiveDateTime {
            scores::table
                .filter(scores::scope.eq("incident"))
                .select(scores::computed_at)
                .first(&mut state.pool.get().expect("c"))
                .expect("computed")
        };
        let first = computed_at(&state);
        c.get("/api/v1/incidents/INC-2026-014/scores").await;
        assert_eq!(computed_at(&state), first, "same facts, no recomputation");
        let management = |card: &serde_json::Value| {
            card["audiences"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["key"] == "management"))
                .map(|a| a["timeliness"].as_f64().unwrap_or(0.0))
                .unwrap_or(0.0)
        };
        let before = management(&card);
        {
            use debrief::db::schema::{audiences, message_audiences, messages};
            let mut conn = state.pool.get().expect("conn");
            let management_id: i64 = audiences::table
                .filter(audiences::key.eq("management"))
                .select(audiences::id)
                .first(&mut conn)
                .expect("id");
            let first_id: i64 = message_audiences::table
                .inner_join(messages::table)
                .filter(message_audiences::audience_id.eq(management_id))
                .order(messages::sent_at.asc())
                .select(messages::id)
                .first(&mut conn)
                .expect("first");
            let sent: chrono::NaiveDateTime = messages::table
                .find(first_id)
                .select(messages::sent_at)
                .first(&mut conn)
                .expect("sent");
            diesel::update(messages::table.find(first_id))
                .set(messages::sent_at.eq(sent - chrono::Duration::minutes(30)))
                .execute(&mut conn)
                .expect("earlier");
        }
        let card = c.get("/api/v1/incidents/INC-2026-014/scores").await.json();
        assert!(
            management(&card) > before,
            "{} → {}",
            before,
            management(&card)
        );
        assert!(computed_at(&state) > first, "recomputed and stored");

        // The analyser over the API: the same output as `debrief analyze`.
        let csrf = c.get("/profile").await.csrf().expect("csrf");
        let a = c
            .request(Method::POST, "/api/v1/analyze", Some(("application/json", br#"{"kind":"update","audience":"lay","channel":"email","text":"Die Latenz im ERP ist zeitnah behoben."}"#.to_vec())), &[("x-csrf-token", &csrf)])
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = a.json();
        assert_eq!(a["lang"], "de");
        assert_eq!(a["labels"]["vague_time"], true);
        assert!(
            a["labels"]["jargon"]
                .as_array()
                .is_some_and(|j| j.iter().any(|x| x == "Latenz")),
            "{a}"
        );
        assert!(a["readability"]["amstad"].as_f64().is_some());
        let bad = c
            .request(
                Method::POST,
                "/api/v1/analyze",
                Some((
                    "application/json",
                    br#"{"kind":"nonsense","audience":"lay","text":"x"}"#.to_vec(),
                )),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "kind");
        // The same limits as `debrief analyze`: the text, named with its id, and the body.
        let long = serde_json::json!({"id": "m-7", "kind": "update", "audience": "lay",
            "text": "Das Portal ist gestört. ".repeat(900)});
        let refused = c
            .request(
                Method::POST,
                "/api/v1/analyze",
                Some(("application/json", long.to_string().into_bytes())),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = &refused.json()["errors"][0];
        assert_eq!(e["field"], "text");
        assert_eq!(
            e["message"],
            "is 21600 characters long; at most 20000 are analysed (id m-7)"
        );
        let huge = c
            .request(
                Method::POST,
                "/api/v1/analyze",
                Some(("application/json", vec![b' '; 300 * 1024])),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(huge.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(huge.json()["errors"][0]["field"], "body");
        // With a sending time, the promise is an absolute time.
        let timed = c
            .request(
                Method::POST,
                "/api/v1/analyze",
                Some(("application/json", r#"{"kind":"update","audience":"lay","channel":"email","sent_at":"2026-01-12T08:00:00Z","text":"Das ERP ist gestört. Nächstes Update um 10:00 Uhr."}"#.as_bytes().to_vec())),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(timed.status, StatusCode::OK, "{}", timed.body);
        assert_eq!(timed.json()["next_update_at"], "2026-01-12T09:00:00Z");

        // The report as a viewer downloads it.
        let pdf = c.get("/incidents/INC-2026-014/report.pdf?lang=de").await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.body.starts_with("%PDF-"));
        let api_pdf = c
            .get("/api/v1/incidents/INC-2026-021/report.pdf?lang=en")
            .await;
        assert_eq!(
            api_pdf
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let portfolio = c
            .get("/portfolio/report.pdf?from=2026-01-01&to=2026-12-31&lang=en")
            .await;
        assert!(portfolio.body.starts_with("%PDF-"));
        let refused = c
            .get("/portfolio/report.pdf?from=2026-12-31&to=2026-01-01")
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[actix_web::test]
async fn an_admin_changes_the_rubric_and_every_scorecard_follows() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("c"), &Actor::cli()).expect("demo");
        create_user(&state, "admin@firma.ch", Role::Admin);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut c = crate::app!(state);
        c.login("admin@firma.ch", ADMIN_PASSWORD).await;
        let clarity = |card: &serde_json::Value| card["clarity"].as_f64().expect("clarity");
        let card = "/api/v1/incidents/INC-2026-014/scores";
        let original = clarity(&c.get(card).await.json());

        let settings = c.get("/settings").await;
        assert!(
            settings.body.contains("completeness_weight"),
            "the defaults are shown"
        );

        // A misspelt field is named and nothing changes.
        let typo = c
            .submit(
                "/settings",
                "/settings/rubrics",
                &[
                    ("clarity", r#"{"langauge_weight": 1}"#),
                    ("timeliness", "{}"),
                ],
            )
            .await;
        assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(typo.body.contains("langauge_weight"), "{}", typo.body);
        assert!(
            typo.body.contains(r#"{&quot;langauge_weight&quot;: 1}"#),
            "the text stays"
        );
        assert_eq!(clarity(&c.get(card).await.json()), original);

        // Only tone counts: the demo's clarity becomes its messages' mean tone score.
        let saved = c
            .submit(
                "/settings",
                "/settings/rubrics",
                &[
                    (
                        "clarity",
                        r#"{"completeness_weight": 0, "language_weight": 0, "tone_weight": 1, "honesty_weight": 0}"#,
                    ),
                    ("timeliness", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let tone_only = c.get(card).await.json();
        assert_ne!(
            clarity(&tone_only),
            original,
            "rescored with the new weights"
        );

        // The API shows the stored rubric; a viewer may read but not change it.
        let api = c.get("/api/v1/settings/rubrics").await.json();
        assert_eq!(api["clarity"]["tone_weight"], 1.0);
        assert_eq!(api["clarity"]["language_weight"], 0.0);
        assert_eq!(api["rubric_version"], 1);
        let csrf = c.get("/profile").await.csrf().expect("csrf");
        let put = |body: &'static str| ("application/json", body.as_bytes().to_vec());
        let refused = c
            .request(
                Method::PUT,
                "/api/v1/settings/rubrics",
                Some(put(r#"{"clarity": {"readability_zero": 90}}"#)),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("readability_zero"),
            "{}",
            refused.body
        );
        let mut viewer = crate::app!(state);
        viewer.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        let viewer_csrf = viewer.get("/profile").await.csrf().expect("csrf");
        let forbidden = viewer
            .request(
                Method::PUT,
                "/api/v1/settings/rubrics",
                Some(put("{}")),
                &[("x-csrf-token", &viewer_csrf)],
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

        // Back to the defaults: the original score again, exactly.
        let reset = c
            .submit("/settings", "/settings/rubrics", &[("reset", "1")])
            .await;
        assert_eq!(reset.status, StatusCode::SEE_OTHER);
        assert_eq!(clarity(&c.get(card).await.json()), original);
        let put_ok = c
            .request(
                Method::PUT,
                "/api/v1/settings/rubrics",
                Some(put(r#"{"timeliness": {"weights": {"cadence": 0}}}"#)),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(put_ok.status, StatusCode::OK, "{}", put_ok.body);
        assert_eq!(put_ok.json()["timeliness"]["weights"]["cadence"], 0.0);
    }
}
