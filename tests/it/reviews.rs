//! Reviews end to end on both backends: the demo e-mail outage reviewed in the tool (automatic
//! sections with the incident's figures, contributions by personal link merged, findings pinned
//! and turned into actions, publication, the owners' digest and calendar). The workflow's rules
//! are in `review_workflow.rs`.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use debrief::db::audit::Actor;
use debrief::domain::Role;

use crate::common::{ADMIN_PASSWORD, Client, backends, create_user, state_for};

pub(crate) const KEY: &str = "INC-2026-014";
pub(crate) const REVIEW: &str = "/incidents/INC-2026-014/review";

pub(crate) fn demo(state: &debrief::app::AppState) {
    let mut conn = state.pool.get().expect("conn");
    debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
}

pub(crate) fn person(state: &debrief::app::AppState, email: &str, name: &str, role: Role) -> i64 {
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

pub(crate) async fn signed_in<S, B>(client: &mut Client<S>, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let page = client.login(email, ADMIN_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "login {email}");
    client.get("/profile").await.csrf().expect("csrf")
}

/// The personal links in the mails delivered so far, newest last.
pub(crate) fn links(state: &debrief::app::AppState, to: &str) -> Vec<String> {
    state.worker("test").run_once().expect("worker");
    state
        .mailer
        .sent()
        .iter()
        .filter(|m| m.to == to)
        .filter_map(|m| {
            let start = m.body_text.find("http://debrief.test/c/")?;
            let rest = &m.body_text[start + "http://debrief.test".len()..];
            Some(rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_string())
        })
        .collect()
}

/// Minutes from detection to the first message, and the longest silence, per audience, read
/// from the demo file itself (not from Debrief's scoring).
struct DemoFigures {
    first: Vec<(String, i64)>,
    longest_silence: (String, i64),
}

fn demo_figures() -> DemoFigures {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/email-outage-de.json"
    ))
    .expect("demo file");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let at = |v: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().expect("time")).expect("rfc3339")
    };
    let detected = at(&doc["incident"]["detected_at"]);
    let resolved = at(&doc["incident"]["resolved_at"]);
    let mut first = Vec::new();
    let mut longest = (String::new(), 0);
    for audience in doc["incident"]["audiences"].as_array().expect("audiences") {
        let key = audience.as_str().expect("key");
        let mut times: Vec<_> = doc["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .filter(|m| {
                m["audiences"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == key))
            })
            .map(|m| at(&m["sent_at"]))
            .filter(|t| *t <= resolved)
            .collect();
        times.sort();
        first.push((key.to_string(), (times[0] - detected).num_minutes()));
        times.push(resolved);
        for pair in times.windows(2) {
            let gap = (pair[1] - pair[0]).num_minutes();
            if gap > longest.1 {
                longest = (key.to_string(), gap);
            }
        }
    }
    DemoFigures {
        first,
        longest_silence: longest,
    }
}

fn german_name(key: &str) -> &'static str {
    debrief::domain::audience::DEFAULT_AUDIENCES
        .iter()
        .find(|a| a.0 == key)
        .map(|a| a.2)
        .expect("default audience")
}

#[actix_web::test]
async fn the_automatic_sections_carry_the_demo_outages_figures() {
    let figures = demo_figures();
    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let mut team = crate::app!(state);
        let csrf = signed_in(&mut team, "editor@firma.ch").await;
        let empty = team.get(REVIEW).await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty.body.contains("Start the review"), "{}", empty.body);
        let created = team.post_form(REVIEW, &[("csrf_token", &csrf)]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);

        let review = team
            .get(&format!("/api/v1/incidents/{KEY}/review"))
            .await
            .json();
        let section = |key: &str| {
            review["sections"]
                .as_array()
                .expect("sections")
                .iter()
                .find(|s| s["key"] == key)
                .and_then(|s| s["auto_content"].as_str())
                .unwrap_or_else(|| panic!("no automatic part in {key}"))
                .to_string()
        };
        // The incident is German, so its review is written in German.
        let expected = section("expected");
        assert!(expected.contains("SEV2"), "{expected}");
        for key in ["employees", "management", "customers"] {
            assert!(
                expected.contains(&format!(
                    "**{}**: erste Meldung innerhalb von 30 Min. nach Erkennung; ein Update mindestens alle 60 Min.",
                    german_name(key)
                )),
                "{key} in {expected}"
            );
        }
        let actual = section("actual");
        for (key, minutes) in &figures.first {
            let wanted = format!(
                "{}: erste Meldung {minutes} Min. nach Erkennung (Ziel 30 Min.)",
                german_name(key)
            );
            assert!(actual.contains(&wanted), "missing {wanted:?} in\n{actual}");
        }
        assert!(
            actual.contains("Jede betroffene Zielgruppe wurde informiert."),
            "{actual}"
        );
        let (audience, minutes) = &figures.longest_silence;
        let first_silence = actual
            .split("**Längste Funkstillen**")
            .nth(1)
            .and_then(|rest| rest.lines().find(|l| l.starts_with("- ")))
            .expect("a silence");
        assert!(
            first_silence.starts_with(&format!(
                "- {}: {minutes} Min. ohne Nachricht",
                german_name(audience)
            )),
            "{first_silence}"
        );
        assert!(section("perception").contains("Noch keine Umfrageergebnisse"));
        // The team's text starts empty: nothing automatic is written there.
        assert!(
            review["sections"]
                .as_array()
                .expect("sections")
                .iter()
                .all(|s| s["team_content"] == "")
        );
    }
}

#[actix_web::test]
async fn the_demo_outage_is_reviewed_in_the_tool() {
    for db in backends() {
        let state = state_for(&db);
        demo(&state);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let owner_a = person(&state, "anna.keller@firma.ch", "Anna Keller", Role::Viewer);
        let owner_b = person(&state, "beat.huber@firma.ch", "Beat Huber", Role::Editor);
        let mut team = crate::app!(state);
        let csrf = signed_in(&mut team, "editor@firma.ch").await;
        assert_eq!(
            team.post_form(REVIEW, &[("csrf_token", &csrf)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );

        // An outside participant answers through the link from their mail.
        let added = team
            .post_form(
                &format!("{REVIEW}/participants"),
                &[
                    ("csrf_token", &csrf),
                    ("name", "Petra Gerber"),
                    ("email", "petra@partner.ch"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let link = links(&state, "petra@partner.ch")
            .pop()
            .expect("a contribution link");
        let mut petra = crate::app!(state);
        let form = petra.get(&link).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("Petra Gerber"), "{}", form.body);
        let token = form.csrf().expect("csrf");
        let sent = petra
            .post_form(
                &link,
                &[
                    ("csrf_token", &token),
                    ("went_well", "Die SMS an die Mitarbeitenden kam schnell."),
                    (
                        "went_badly",
                        "Kundinnen erfuhren erst nach über einer Stunde davon.",
                    ),
                    ("should_change", "Statusseite zuerst aktualisieren"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let thanks = petra.get(sent.location().expect("thanks")).await;
        assert_eq!(thanks.status, StatusCode::OK);
        assert!(thanks.body.contains("Vielen Dank"), "{}", thanks.body);

        // An internal colleague contributes on the review page.
        let mut anna = crate::app!(state);
        let anna_csrf = signed_in(&mut anna, "anna.keller@firma.ch").await;
        let mine = anna
            .post_form(
                &format!("{REVIEW}/contribution"),
                &[
                    ("csrf_token", &anna_csrf),
                    (
                        "should_change",
                        "Geschäftsleitung vor den Kunden informieren",
                    ),
                ],
            )
            .await;
        assert_eq!(mine.status, StatusCode::SEE_OTHER, "{}", mine.body);

        // The facilitator sees both side by side and merges them.
        let side_by_side = team.get(&format!("{REVIEW}/contributions")).await;
        assert!(
            side_by_side.body.contains("Petra Gerber") && side_by_side.body.contains("Anna Keller")
        );
        let merged = team
            .post_form(
                &format!("{REVIEW}/contributions/merge"),
                &[("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(merged.status, StatusCode::SEE_OTHER);
        let review = team
            .get(&format!("/api/v1/incidents/{KEY}/review"))
            .await
            .json();
        let team_text = |key: &str| {
            review["sections"]
                .as_array()
                .expect("sections")
                .iter()
                .find(|s| s["key"] == key)
                .and_then(|s| s["team_content"].as_str())
                .map(str::to_string)
                .expect("section")
        };
        assert_eq!(
            team_text("went_well"),
            "- Die SMS an die Mitarbeitenden kam schnell."
        );
        assert_eq!(
            team_text("went_badly"),
            "- Kundinnen erfuhren erst nach über einer Stunde davon."
        );
        assert_eq!(
            team_text("lessons"),
            "- Statusseite zuerst aktualisieren\n- Geschäftsleitung vor den Kunden informieren"
        );
        let history = team
            .get(&format!("{REVIEW}/sections/lessons/history"))
            .await;
        assert!(
            history.body.contains("Statusseite zuerst aktualisieren"),
            "{}",
            history.body
        );

        // Three findings of the scorecard become improvement actions in one step each.
        let findings = team
            .get(&format!("/api/v1/incidents/{KEY}/scores"))
            .await
            .json();
        let chosen: Vec<serde_json::Value> = findings["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["severity"] == "red" || f["severity"] == "amber")
            .take(3)
            .cloned()
            .collect();
        assert_eq!(chosen.len(), 3, "{findings}");
        let mut actions = Vec::new();
        for f in &chosen {
            let message = f["message_id"]
                .as_i64()
                .map(|m| m.to_string())
                .unwrap_or_default();
            let page = team
                .post_form(
                    &format!("{REVIEW}/pins"),
                    &[
                        ("csrf_token", &csrf),
                        ("code", f["code"].as_str().expect("code")),
                        ("message_id", &message),
                        ("audience", f["audience"].as_str().unwrap_or("")),
                        ("make_action", "1"),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            let location = page.location().expect("to the action").to_string();
            assert!(location.ends_with("/edit"), "{location}");
            let form = team.get(&location).await;
            assert_eq!(form.status, StatusCode::OK, "{}", form.body);
            assert!(form.body.contains("From a finding"), "{}", form.body);
            let id: i64 = location
                .split('/')
                .nth(2)
                .and_then(|i| i.parse().ok())
                .expect("action id");
            actions.push(id);
        }
        let scores = team.get(&format!("/incidents/{KEY}/scores")).await;
        assert_eq!(
            scores.body.matches(">Improvement action</a>").count(),
            3,
            "the scorecard links each finding's action"
        );
        let review = team
            .get(&format!("/api/v1/incidents/{KEY}/review"))
            .await
            .json();
        let pins = review["pins"].as_array().expect("pins");
        assert_eq!(pins.len(), 3);
        for (pin, id) in pins.iter().zip(&actions) {
            assert_eq!(
                pin["action_id"].as_i64(),
                Some(*id),
                "the pin keeps its action"
            );
        }
        for (i, id) in actions.iter().enumerate() {
            let owner = if i == 0 { owner_a } else { owner_b };
            let due = if i == 2 { "2020-01-31" } else { "2099-01-31" };
            let a = team.get(&format!("/api/v1/actions/{id}")).await.json();
            assert_eq!(a["incident_key"], KEY);
            assert!(a["pin_id"].as_i64().is_some() && a["review_id"].as_i64().is_some());
            assert_eq!(a["finding"], chosen[i]["text_de"], "{a}");
            let saved = team
                .post_form(
                    &format!("/actions/{id}"),
                    &[
                        ("csrf_token", &csrf),
                        ("title", a["title"].as_str().expect("title")),
                        ("category", a["category"].as_str().expect("category")),
                        ("priority", "high"),
                        ("owner_id", &owner.to_string()),
                        ("due_date", due),
                    ],
                )
                .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        }

        // Published: read-only until an admin reopens it.
        for step in ["in_review", "published"] {
            let moved = team
                .post_form(
                    &format!("{REVIEW}/status"),
                    &[("csrf_token", &csrf), ("to", step)],
                )
                .await;
            assert_eq!(
                moved.status,
                StatusCode::SEE_OTHER,
                "{step}: {}",
                moved.body
            );
        }
        let published = team.get(REVIEW).await;
        assert!(published.body.contains("Published"), "{}", published.body);
        {
            let mut conn = state.pool.get().expect("conn");
            let entries = debrief::db::audit::list(
                &mut conn,
                &debrief::db::audit::AuditFilter {
                    action: Some("review.published".into()),
                    before_id: None,
                    limit: 10,
                },
            )
            .expect("audit");
            assert_eq!(entries.len(), 1);
        }

        // The incident report carries the review and its actions; the portfolio counts them.
        {
            use debrief::report::model::Lang;
            let mut conn = state.pool.get().expect("conn");
            let report =
                debrief::reports::incident_report(&mut conn, KEY, Lang::De).expect("report");
            let titles: Vec<&str> = report
                .review_sections
                .iter()
                .map(|s| s.title.as_str())
                .collect();
            assert!(
                titles.contains(&"Soll: Richtlinie und Plan") && titles.contains(&"Erkenntnisse"),
                "{titles:?}"
            );
            let lessons = report
                .review_sections
                .iter()
                .find(|s| s.title == "Erkenntnisse")
                .expect("lessons");
            assert!(
                lessons.text.contains("Statusseite zuerst aktualisieren"),
                "{}",
                lessons.text
            );
            assert_eq!(report.actions.len(), 3);
            assert_eq!(report.actions.iter().filter(|a| a.overdue).count(), 1);
            let portfolio = debrief::reports::portfolio_report(
                &mut conn,
                &debrief::report::aggregate::PortfolioSelection {
                    from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
                    to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
                    kind: None,
                    severity: None,
                },
                Lang::De,
            )
            .expect("portfolio");
            let outage = portfolio
                .incidents
                .iter()
                .find(|i| i.key == KEY)
                .expect("the outage");
            assert_eq!((outage.actions.open, outage.actions.overdue), (3, 1));
        }

        // The owners get their digest (the overdue action first) and see the dates in a calendar.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 20).expect("date");
        let queued = {
            let mut conn = state.pool.get().expect("conn");
            debrief::actions::digest::send(&mut conn, &state.mail_context(), today, "Firma AG")
                .expect("digest")
        };
        assert_eq!(
            queued, 1,
            "only Beat has an action due soon or overdue on 20 March 2026"
        );
        state.worker("test").run_once().expect("worker");
        let digest = state
            .mailer
            .sent()
            .into_iter()
            .find(|m| m.to == "beat.huber@firma.ch")
            .expect("Beat's digest");
        assert!(
            digest.body_text.contains("2020-01-31"),
            "{}",
            digest.body_text
        );
        let mut beat = crate::app!(state);
        let beat_csrf = signed_in(&mut beat, "beat.huber@firma.ch").await;
        let page = beat
            .post_form("/actions/calendar", &[("csrf_token", &beat_csrf)])
            .await;
        let body = page.body.replace("&#x2f;", "/");
        let start = body
            .find("http://debrief.test/calendar/")
            .expect("calendar link");
        let url = &body[start + "http://debrief.test".len()..];
        let url = &url[..url.find('<').expect("end")];
        let feed = beat.get(url).await;
        assert_eq!(feed.status, StatusCode::OK);
        let calendar: icalendar::Calendar = feed.body.parse().expect("valid iCalendar");
        assert_eq!(
            calendar.components.len(),
            2,
            "Beat owns two dated open actions"
        );
    }
}
