//! Running surveys: opting out across surveys, a slow SMTP server under a short lease, closing at
//! the closing time through the scheduler, the settings' SMTP test, reordering questions, the
//! stakeholder variant, and recipients over the API.

use std::time::{Duration, Instant};

use actix_web::http::{Method, StatusCode};
use debrief::domain::Role;
use debrief::surveys::SurveyTemplate;
use diesel::prelude::*;

use crate::common::smtp::{Fault, SmtpSink};
use crate::common::{ADMIN_PASSWORD, TestDb, answer_fields, backends, create_user};
use crate::surveys::{
    create_survey, editor_token, setup, state_with_smtp, survey_id, unsubscribe_path,
};

fn progress(state: &debrief::app::AppState, id: i64) -> debrief::db::invitations::SendProgress {
    let mut conn = state.pool.get().expect("conn");
    debrief::db::invitations::progress(&mut conn, id).expect("progress")
}

#[actix_web::test]
async fn an_opt_out_holds_for_every_later_survey_and_mail_still_waiting_is_not_sent() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let first = create_survey(&mut team, false).await;
        team.submit(&first, &format!("{first}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        let mails = sink.wait_for(5, 20);
        let mail_to = |who: &str| mails.iter().find(|m| m.to == [who]).expect("mail");

        // A second survey is queued but not yet sent when Emil unsubscribes from the first one's
        // mail: his waiting invitation is dropped and counted as opted out.
        let second = create_survey(&mut team, false).await;
        team.submit(&second, &format!("{second}/send"), &[]).await;
        let second_id = survey_id(Some(&second));
        assert_eq!(progress(&state, second_id).queued, 5);
        let mut mail_client = crate::app!(state);
        let form = mail_client
            .get(&unsubscribe_path(mail_to("emil.frei@firma.ch")))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        let done = mail_client
            .post_form(
                &unsubscribe_path(mail_to("emil.frei@firma.ch")),
                &[("csrf_token", &form.csrf().expect("csrf"))],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let p = progress(&state, second_id);
        assert_eq!((p.queued, p.opted_out), (4, 1), "{p:?}");
        state.worker("w").run_once().expect("worker");
        sink.wait_for(9, 20);
        let live = team.get(&format!("{second}/progress.json")).await.json();
        assert_eq!(
            (
                live["progress"]["queued"].as_i64(),
                live["progress"]["opted_out"].as_i64(),
                live["progress"]["sent"].as_i64()
            ),
            (Some(0), Some(1), Some(4)),
            "nothing left to wait for: {live}"
        );
        let page = team.get(&second).await;
        assert!(
            page.body.contains("data-field=\"opted_out\">1<"),
            "shown on the survey page"
        );

        // Dana unsubscribes with one click; a third survey does not invite either of them.
        let out = mail_client
            .request(
                Method::POST,
                &unsubscribe_path(mail_to("dana.meier@firma.ch")),
                Some((
                    "application/x-www-form-urlencoded",
                    b"List-Unsubscribe=One-Click".to_vec(),
                )),
                &[],
            )
            .await;
        assert_eq!(out.status, StatusCode::OK);
        let third = create_survey(&mut team, false).await;
        team.submit(&third, &format!("{third}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        let all = sink.wait_for(12, 20);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            sink.messages().len(),
            12,
            "three invitations for the third survey"
        );
        assert!(
            all[9..]
                .iter()
                .all(|m| m.to != ["emil.frei@firma.ch"] && m.to != ["dana.meier@firma.ch"]),
            "neither of them is invited again"
        );
        assert_eq!(progress(&state, survey_id(Some(&third))).invitations, 3);
        // An unknown unsubscribe link tells nothing.
        let unknown = mail_client
            .request(Method::POST, "/u/not-a-token", None, &[])
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}

#[actix_web::test]
async fn a_slow_smtp_server_does_not_let_another_worker_send_the_same_mail_again() {
    for db in backends() {
        let sink = SmtpSink::start();
        let mut config = crate::common::config_for(&db);
        config.mail_transport = debrief::config::MailTransport::Smtp;
        config.smtp.host = "127.0.0.1".into();
        config.smtp.port = sink.port;
        config.smtp.rate_per_second = 1000;
        // A one-second lease against a server that takes three seconds for the first mail.
        config.smtp.lease_seconds = 1;
        let state = debrief::app::AppState::build(config).expect("state");
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, false).await;
        sink.fail_next(Fault::Slow(Duration::from_secs(3)));
        team.submit(&base, &format!("{base}/send"), &[]).await;
        let slow = state.worker("slow");
        let sending = std::thread::spawn(move || slow.run_once().expect("worker"));
        // The slow worker holds the batch before the other one starts looking.
        let claimed = Instant::now();
        loop {
            use debrief::db::schema::outbox;
            let mut conn = state.pool.get().expect("conn");
            let held: i64 = outbox::table
                .filter(outbox::locked_by.eq("slow"))
                .count()
                .get_result(&mut conn)
                .expect("count");
            if held == 5 {
                break;
            }
            assert!(
                claimed.elapsed() < Duration::from_secs(10),
                "the slow worker claims"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let other = state.worker("other");
        let started = Instant::now();
        let mut taken = 0;
        while started.elapsed() < Duration::from_secs(4) {
            taken += other.run_once().expect("worker");
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(sending.join().expect("join"), 5);
        assert_eq!(taken, 0, "the other worker found nothing to claim");
        let mails = sink.wait_for(5, 20);
        std::thread::sleep(Duration::from_millis(200));
        let mut ids: Vec<String> = mails.iter().filter_map(|m| m.message_id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!((sink.messages().len(), ids.len()), (5, 5), "each mail once");
        assert_eq!(progress(&state, survey_id(Some(&base))).sent, 5);
    }
}

#[actix_web::test]
async fn the_scheduler_closes_a_survey_at_its_closing_time() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, false).await;
        let id = survey_id(Some(&base));
        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        let mails = sink.wait_for(5, 20);
        let link = mails[0]
            .link("http://debrief.test/r/")
            .expect("link")
            .replace("http://debrief.test", "");
        let mut respondent = crate::app!(state);
        assert_eq!(respondent.get(&link).await.status, StatusCode::OK);
        debrief::schedule::run_once(&state);
        let status = |state: &debrief::app::AppState| {
            let mut conn = state.pool.get().expect("conn");
            debrief::surveys::manage::get(&mut conn, id)
                .expect("survey")
                .status
                .to_string()
        };
        assert_eq!(status(&state), "open", "not before its time");
        {
            use debrief::db::schema::surveys;
            let mut conn = state.pool.get().expect("conn");
            diesel::update(surveys::table.find(id))
                .set(surveys::closes_at.eq(Some(debrief::db::now() - chrono::Duration::minutes(1))))
                .execute(&mut conn)
                .expect("closing time passed");
        }
        debrief::schedule::run_once(&state);
        assert_eq!(status(&state), "closed");
        let logged: Vec<Option<String>> = {
            use debrief::db::schema::audit_log;
            let mut conn = state.pool.get().expect("conn");
            audit_log::table
                .filter(audit_log::action.eq("survey.closed"))
                .select(audit_log::details)
                .load(&mut conn)
                .expect("audit")
        };
        assert_eq!(logged, [Some("closing time reached".to_string())]);
        assert_eq!(respondent.get(&link).await.status, StatusCode::GONE);
        // Reopening needs a later closing time first.
        let mut api = crate::app!(state);
        api.bearer = Some(editor_token(&state));
        let refused = api
            .request(
                Method::POST,
                &format!("/api/v1/surveys/{id}/reopen"),
                None,
                &[],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        let later = api
            .json(
                Method::PUT,
                &format!("/api/v1/surveys/{id}"),
                &serde_json::json!({"title_en": "Feedback", "audiences": ["employees", "management"], "closes_at": "2099-01-01T12:00:00Z"}),
            )
            .await;
        assert_eq!(later.status, StatusCode::OK, "{}", later.body);
        let reopened = api
            .request(
                Method::POST,
                &format!("/api/v1/surveys/{id}/reopen"),
                None,
                &[],
            )
            .await;
        assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.body);
        assert_eq!(reopened.json()["status"], "open");
        assert_eq!(respondent.get(&link).await.status, StatusCode::OK);
    }
}

#[actix_web::test]
async fn the_smtp_test_in_the_settings_sends_a_mail_to_the_admin() {
    let db = TestDb::sqlite();
    let sink = SmtpSink::start();
    let state = state_with_smtp(&db, &sink);
    create_user(&state, "admin@firma.ch", Role::Admin);
    let mut admin = crate::app!(state);
    admin.login("admin@firma.ch", ADMIN_PASSWORD).await;
    let page = admin.submit("/settings", "/settings/smtp-test", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("flash-success"), "{}", page.body);
    let mails = sink.wait_for(1, 20);
    assert_eq!(mails[0].to, ["admin@firma.ch"]);
    assert!(
        mails[0].subject().starts_with("Debrief:"),
        "{}",
        mails[0].subject()
    );
    assert!(mails[0].text().contains("Debrief"));
    // A server that refuses says so on the page.
    sink.fail_next(Fault::Permanent);
    let page = admin.submit("/settings", "/settings/smtp-test", &[]).await;
    assert!(page.body.contains("flash-error") && page.body.contains("mailbox unavailable"));
    assert_eq!(sink.messages().len(), 1);
}

#[actix_web::test]
async fn questions_are_reordered_on_the_page_and_over_the_api_until_the_survey_is_sent() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, false).await;
        let id = survey_id(Some(&base));
        let mut api = crate::app!(state);
        api.bearer = Some(editor_token(&state));
        let codes = |v: &serde_json::Value| -> Vec<String> {
            v["questions"]
                .as_array()
                .expect("questions")
                .iter()
                .map(|q| q["code"].as_str().unwrap_or_default().to_string())
                .collect()
        };
        let ids = |v: &serde_json::Value| -> Vec<i64> {
            v["questions"]
                .as_array()
                .expect("questions")
                .iter()
                .filter_map(|q| q["id"].as_i64())
                .collect()
        };
        let before = api.get(&format!("/api/v1/surveys/{id}")).await.json();
        let mut expected = codes(&before);
        // On the page: the second question one up.
        let second = ids(&before)[1];
        let moved = team
            .submit(
                &base,
                &format!("{base}/questions/{second}/move"),
                &[("step", "up")],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        expected.swap(0, 1);
        let after = api.get(&format!("/api/v1/surveys/{id}")).await.json();
        assert_eq!(codes(&after), expected);
        // Over the API: the whole order reversed.
        let mut order = ids(&after);
        order.reverse();
        let reordered = api
            .json(
                Method::PUT,
                &format!("/api/v1/surveys/{id}/questions/order"),
                &serde_json::json!({ "order": order }),
            )
            .await;
        assert_eq!(reordered.status, StatusCode::OK, "{}", reordered.body);
        expected.reverse();
        assert_eq!(codes(&reordered.json()), expected);
        // The page lists the new order (the German texts are in every question's edit form).
        let page = team.get(&base).await.body;
        let at = |t: &str| page.find(t).unwrap_or_else(|| panic!("{t}"));
        assert!(at("Was sollten wir") < at("Wie haben Sie zuerst"));
        // An order that leaves one out changes nothing.
        let bad = api
            .json(
                Method::PUT,
                &format!("/api/v1/surveys/{id}/questions/order"),
                &serde_json::json!({ "order": &order[1..] }),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "order");
        assert_eq!(
            codes(&api.get(&format!("/api/v1/surveys/{id}")).await.json()),
            expected
        );
        // Once sent, the questions are fixed.
        team.submit(&base, &format!("{base}/send"), &[]).await;
        let late = api
            .json(
                Method::PUT,
                &format!("/api/v1/surveys/{id}/questions/order"),
                &serde_json::json!({ "order": ids(&before) }),
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
    }
}

#[actix_web::test]
async fn the_stakeholder_variant_asks_management_its_own_questions() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let created = team
            .submit(
                "/incidents/INC-2026-014/surveys",
                "/incidents/INC-2026-014/surveys",
                &[("template", "stakeholder")],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        let base = created.location().expect("survey").to_string();
        let id = survey_id(Some(&base));
        let mut api = crate::app!(state);
        api.bearer = Some(editor_token(&state));
        let survey = api.get(&format!("/api/v1/surveys/{id}")).await.json();
        assert_eq!(survey["template"], "stakeholder");
        let codes: Vec<&str> = survey["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .filter_map(|q| q["code"].as_str())
            .collect();
        let preset: Vec<String> = debrief::surveys::presets::questions(SurveyTemplate::Stakeholder)
            .into_iter()
            .filter_map(|q| q.code)
            .collect();
        assert_eq!(codes, preset);
        let audiences: Vec<&str> = survey["audiences"]
            .as_array()
            .expect("audiences")
            .iter()
            .filter_map(|a| a.as_str())
            .collect();
        assert!(audiences.contains(&"management"), "{audiences:?}");
        assert!(
            !audiences.contains(&"employees") && !audiences.contains(&"customers"),
            "{audiences:?}"
        );
        assert!(
            survey["title_de"]
                .as_str()
                .is_some_and(|t| t.starts_with("Rückmeldung der Anspruchsgruppen"))
        );

        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        let mails = sink.wait_for(2, 20);
        std::thread::sleep(Duration::from_millis(200));
        let mut to: Vec<String> = sink.messages().iter().map(|m| m.to[0].clone()).collect();
        to.sort();
        assert_eq!(
            to,
            ["dana.meier@firma.ch", "emil.frei@firma.ch"],
            "management only"
        );
        let emil = mails
            .iter()
            .find(|m| m.to == ["emil.frei@firma.ch"])
            .expect("mail");
        let path = emil
            .link("http://debrief.test/r/")
            .expect("link")
            .replace("http://debrief.test", "");
        let mut browser = crate::app!(state);
        let form = browser.get(&path).await;
        assert!(
            form.body.contains("Lagebriefings"),
            "the stakeholder questions, in German"
        );
        let mut fields = answer_fields(&form.body, "4", "Die Lagebriefings kamen zu spät.");
        fields.push(("csrf_token".into(), form.csrf().expect("csrf")));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            browser.post_form(&path, &pairs).await.status,
            StatusCode::SEE_OTHER
        );
        let results = api
            .get(&format!("/api/v1/surveys/{id}/results"))
            .await
            .json();
        // Helpfulness comes from "informed to act" (yes = 100) and "briefing useful" (4 = 75).
        assert_eq!(
            results["perceived_overall"]["helpfulness"], 87.5,
            "{results}"
        );
        assert_eq!(results["perceived_overall"]["timeliness"], 75.0);
    }
}

#[actix_web::test]
async fn recipients_are_listed_and_deleted_over_the_api() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, false).await;
        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        sink.wait_for(5, 20);
        let mut api = crate::app!(state);
        api.bearer = Some(editor_token(&state));
        let listed = api.get("/api/v1/recipients?audience=management").await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        let emails: Vec<String> = listed
            .json()
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|r| r["email"].as_str().map(str::to_string))
            .collect();
        assert_eq!(emails, ["dana.meier@firma.ch", "emil.frei@firma.ch"]);
        let page = api.get("/api/v1/recipients?limit=2&offset=1").await.json();
        assert_eq!(page.as_array().map(Vec::len), Some(2));
        assert_eq!(
            api.get("/api/v1/recipients?limit=0").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let dana = listed.json()[0]["id"].as_i64().expect("id");
        let gone = api
            .request(
                Method::DELETE,
                &format!("/api/v1/recipients/{dana}"),
                None,
                &[],
            )
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
        let again = api
            .request(
                Method::DELETE,
                &format!("/api/v1/recipients/{dana}"),
                None,
                &[],
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        let mut conn = state.pool.get().expect("conn");
        let left: Vec<(String, String)> = crate::surveys::every_row(&mut conn)
            .into_iter()
            .filter(|(_, row)| row.contains("dana.meier") || row.contains("Dana Meier"))
            .collect();
        assert!(left.is_empty(), "personal data left: {left:?}");
        let p = debrief::db::invitations::progress(&mut conn, survey_id(Some(&base))).expect("p");
        assert_eq!(
            p.invitations, 5,
            "the delivered invitation stays, naming no one"
        );
    }
}
