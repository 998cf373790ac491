//! Surveys end to end on both backends, with a real SMTP server on loopback: invitations in the
//! recipient's language, answering through the link from the received mail, changing the answer,
//! reminders with a fresh link, opting out, delivery failures and a worker that dies mid-send,
//! anonymity in every output, and the open link.

use actix_web::http::{Method, StatusCode};
use debrief::db::audit::Actor;
use debrief::domain::Role;
use debrief::import::pipeline::{self, ImportRequest, SourceFile, Target};
use debrief::import::{ReadOptions, RecordKind};
use diesel::prelude::*;

use crate::common::smtp::{Fault, SmtpSink};
use crate::common::{ADMIN_PASSWORD, TestDb, answer_fields, backends, config_for, create_user};

pub(crate) const FREE_TEXT: &str = "Bitte früher per SMS informieren, die E-Mail kam zu spät.";

const RECIPIENTS: &str = "E-Mail;Name;Zielgruppe;Sprache\n\
    anna.keller@firma.ch;Anna Keller;Mitarbeitende;de\n\
    beat.huber@firma.ch;Beat Huber;Mitarbeitende;de\n\
    chiara.rossi@firma.ch;Chiara Rossi;Mitarbeitende;de\n\
    dana.meier@firma.ch;Dana Meier;Geschäftsleitung;en\n\
    emil.frei@firma.ch;Emil Frei;Geschäftsleitung;de\n";

pub(crate) fn state_with_smtp(db: &TestDb, sink: &SmtpSink) -> debrief::app::AppState {
    let mut config = config_for(db);
    config.mail_transport = debrief::config::MailTransport::Smtp;
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = sink.port;
    config.smtp.rate_per_second = 1000;
    config.smtp.from = "Firma AG <kommunikation@firma.ch>".into();
    debrief::app::AppState::build(config).expect("state")
}

pub(crate) fn setup(state: &debrief::app::AppState) {
    let mut conn = state.pool.get().expect("conn");
    debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
    let summary = pipeline::run(
        &mut conn,
        &[SourceFile {
            name: "empfaenger.csv".into(),
            bytes: RECIPIENTS.as_bytes().to_vec(),
        }],
        &ImportRequest {
            format: None,
            target: Target::Existing("INC-2026-014".into()),
            dry_run: false,
            skip_invalid: false,
            read: ReadOptions {
                record_kind: Some(RecordKind::Recipients),
                ..Default::default()
            },
        },
        &Actor::cli(),
    )
    .expect("import");
    assert_eq!(summary.recipients_new, 5, "{:?}", summary.errors);
    create_user(state, "editor@firma.ch", Role::Editor);
}

pub(crate) fn survey_id(location: Option<&str>) -> i64 {
    location
        .and_then(|l| l.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no survey in {location:?}"))
}

/// Creates the default survey for employees and management and returns its page path.
pub(crate) async fn create_survey<S, B>(
    client: &mut crate::common::Client<S>,
    anonymous: bool,
) -> String
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let created = client
        .submit(
            "/incidents/INC-2026-014/surveys",
            "/incidents/INC-2026-014/surveys",
            &[("template", "default")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = survey_id(created.location());
    let base = format!("/incidents/INC-2026-014/surveys/{id}");
    let mut fields = vec![
        ("title_en", "How did we inform you about the e-mail outage?"),
        (
            "title_de",
            "Wie haben wir Sie zur E-Mail-Störung informiert?",
        ),
        ("audiences", "employees"),
        ("audiences", "management"),
        ("default_locale", "de"),
        ("max_reminders", "1"),
        ("reminder_delay_hours", "24"),
        ("closes_at", "2099-12-31T18:00"),
    ];
    if anonymous {
        fields.push(("anonymous", "on"));
    }
    let saved = client.submit(&format!("{base}/edit"), &base, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    base
}

/// Every row of every table as text, with its table: what a reader of the database sees.
pub(crate) fn every_row(conn: &mut debrief::db::DbConn) -> Vec<(String, String)> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        row: String,
    }
    let sqlite = matches!(conn, debrief::db::DbConn::Sqlite(_));
    let tables: Vec<Name> = diesel::sql_query(if sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    } else {
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    })
    .load(conn)
    .expect("tables");
    let mut out = Vec::new();
    for t in tables {
        let query = if sqlite {
            let columns: Vec<Name> =
                diesel::sql_query(format!("SELECT name FROM pragma_table_info('{}')", t.name))
                    .load(conn)
                    .expect("columns");
            let row = columns
                .iter()
                .map(|c| format!("quote(\"{}\")", c.name))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            format!("SELECT {row} AS row FROM \"{}\"", t.name)
        } else {
            format!("SELECT row_to_json(t)::text AS row FROM \"{}\" t", t.name)
        };
        let rows: Vec<Row> = diesel::sql_query(query).load(conn).expect("rows");
        out.extend(rows.into_iter().map(|r| (t.name.clone(), r.row)));
    }
    out
}

/// The path of a mail's one-click unsubscribe address.
pub(crate) fn unsubscribe_path(mail: &crate::common::smtp::Received) -> String {
    mail.header("List-Unsubscribe")
        .expect("List-Unsubscribe")
        .trim_matches(['<', '>'])
        .replace("http://debrief.test", "")
}

/// A client of the API with an editor's token.
pub(crate) fn editor_token(state: &debrief::app::AppState) -> String {
    let mut conn = state.pool.get().expect("conn");
    let user = debrief::db::users::find_by_email(&mut conn, "editor@firma.ch")
        .expect("q")
        .expect("user");
    debrief::accounts::create_api_token(&mut conn, &user, "tests", &Actor::cli()).expect("token")
}

#[actix_web::test]
async fn invitations_arrive_in_the_recipients_language_and_their_links_take_and_change_answers() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        assert_eq!(
            team.login("editor@firma.ch", ADMIN_PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
        let base = create_survey(&mut team, false).await;
        let sent = team.submit(&base, &format!("{base}/send"), &[]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let progress = team.get(&format!("{base}/progress.json")).await.json();
        assert_eq!(progress["progress"]["invitations"], 5);
        assert_eq!(progress["progress"]["queued"], 5);

        // The worker delivers through SMTP over one reused connection.
        state.worker("test").run_once().expect("worker");
        let mails = sink.wait_for(5, 20);
        assert_eq!(
            sink.connections.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "connection reuse"
        );
        let dana = mails
            .iter()
            .find(|m| m.to == ["dana.meier@firma.ch"])
            .expect("mail to Dana");
        let anna = mails
            .iter()
            .find(|m| m.to == ["anna.keller@firma.ch"])
            .expect("mail to Anna");
        assert!(
            dana.subject().contains("how did we inform you"),
            "{}",
            dana.subject()
        );
        assert!(
            anna.subject().contains("Wie haben wir Sie informiert"),
            "{}",
            anna.subject()
        );
        assert!(
            anna.text().contains("Guten Tag Anna Keller") || anna.text().contains("Anna Keller"),
            "{}",
            anna.text()
        );
        assert!(
            anna.html().contains("<a class=\"button\""),
            "multipart with an HTML part"
        );
        let unsubscribe = anna.header("List-Unsubscribe").expect("List-Unsubscribe");
        assert!(
            unsubscribe.starts_with("<http://debrief.test/u/") && !unsubscribe.contains("/r/"),
            "an unsubscribe token of its own, not the answer link: {unsubscribe}"
        );
        assert!(
            anna.text().contains(unsubscribe.trim_matches(['<', '>'])),
            "the footer links to the same address"
        );
        assert_eq!(
            anna.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let progress = team.get(&format!("{base}/progress.json")).await.json();
        assert_eq!(progress["progress"]["sent"], 5, "{progress}");

        // Only hashes of the links are stored, and once sent no column of any table holds a
        // link: neither the answer link nor the unsubscribe link of any mail.
        let link = anna
            .link("http://debrief.test/r/")
            .expect("link in the mail");
        let token = link.rsplit('/').next().expect("token").to_string();
        {
            let mut conn = state.pool.get().expect("conn");
            let rows = every_row(&mut conn);
            for m in &mails {
                let answer = m.link("http://debrief.test/r/").expect("link");
                let unsubscribe = m.header("List-Unsubscribe").expect("header");
                for secret in [
                    answer.rsplit('/').next().expect("token"),
                    unsubscribe
                        .trim_end_matches('>')
                        .rsplit('/')
                        .next()
                        .expect("token"),
                ] {
                    assert!(secret.len() >= 22, "≥ 128 bits: {secret}");
                    if let Some((table, row)) = rows.iter().find(|(_, r)| r.contains(secret)) {
                        panic!("{table} holds a link after sending: {row}");
                    }
                }
            }
            use debrief::db::schema::outbox;
            let headers: Vec<String> = outbox::table
                .filter(outbox::status.eq("sent"))
                .select(outbox::headers)
                .load(&mut conn)
                .expect("headers");
            assert!(headers.iter().all(|h| h == "{}"), "{headers:?}");
        }

        // Anna answers on her own (no account), in German.
        let mut anna_browser = crate::app!(state);
        let path = format!("/r/{token}");
        let form = anna_browser.get(&path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("lang=\"de\"")
                && form.body.contains("Wie rechtzeitig wurden Sie informiert?")
        );
        assert!(form.body.contains("Datenschutz"), "privacy note");
        let csrf = form.csrf().expect("csrf");
        let incomplete = anna_browser
            .post_form(&path, &[("csrf_token", &csrf), ("lang", "de")])
            .await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            incomplete.body.contains("error-summary")
                && incomplete
                    .body
                    .contains("Bitte beantworten Sie diese Frage.")
        );
        let mut fields = answer_fields(&form.body, "2", FREE_TEXT);
        fields.push(("csrf_token".into(), csrf.clone()));
        fields.push(("lang".into(), "de".into()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let done = anna_browser.post_form(&path, &pairs).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let thanks = anna_browser.get(done.location().expect("thanks")).await;
        assert!(thanks.body.contains("Vielen Dank!"), "{}", thanks.body);

        // She changes her answer with the same link: still one response, the new value counts.
        let again = anna_browser.get(&path).await;
        assert!(
            again.body.contains("Sie haben am"),
            "the earlier answer is shown"
        );
        let mut fields = answer_fields(&again.body, "5", FREE_TEXT);
        fields.retain(|(n, _)| !n.is_empty());
        fields.push(("csrf_token".into(), again.csrf().expect("csrf")));
        fields.push(("lang".into(), "de".into()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            anna_browser.post_form(&path, &pairs).await.status,
            StatusCode::SEE_OTHER
        );
        let results = team.get(&format!("{base}/results")).await;
        assert_eq!(results.status, StatusCode::OK);
        assert!(
            results.body.contains("1 responses") || results.body.contains("1 Antworten"),
            "one response"
        );
        assert!(
            results.body.contains("Bitte früher per SMS informieren"),
            "free text for editors"
        );
        {
            let mut conn = state.pool.get().expect("conn");
            let id: i64 = base
                .rsplit('/')
                .next()
                .and_then(|s| s.parse().ok())
                .expect("id");
            let responses = debrief::db::responses::all(&mut conn, id).expect("responses");
            assert_eq!(responses.len(), 1);
            let numbers: Vec<f64> = responses[0]
                .answers
                .values()
                .filter_map(|a| match a {
                    debrief::surveys::AnswerValue::Number(n) => Some(*n),
                    _ => None,
                })
                .collect();
            assert!(
                numbers.iter().all(|n| *n == 5.0) && !numbers.is_empty(),
                "{numbers:?}"
            );
        }

        // Dana opts out with the one-click header (no form, no CSRF token).
        let dana_unsubscribe = unsubscribe_path(dana);
        let mut mail_client = crate::app!(state);
        let out = mail_client
            .request(
                Method::POST,
                &dana_unsubscribe,
                Some((
                    "application/x-www-form-urlencoded",
                    b"List-Unsubscribe=One-Click".to_vec(),
                )),
                &[],
            )
            .await;
        assert_eq!(out.status, StatusCode::OK, "{}", out.body);

        // A day later, reminders go to the three who neither answered nor opted out, with new links.
        {
            use debrief::db::schema::invitations;
            let mut conn = state.pool.get().expect("conn");
            diesel::update(invitations::table)
                .set(invitations::sent_at.eq(debrief::db::now() - chrono::Duration::hours(25)))
                .execute(&mut conn)
                .expect("age invitations");
        }
        debrief::schedule::run_once(&state);
        state.worker("test").run_once().expect("worker");
        let all = sink.wait_for(8, 20);
        let reminders: Vec<_> = all
            .iter()
            .filter(|m| {
                m.subject().starts_with("Erinnerung") || m.subject().starts_with("Reminder")
            })
            .collect();
        let mut to: Vec<&str> = reminders.iter().map(|m| m.to[0].as_str()).collect();
        to.sort();
        assert_eq!(
            to,
            [
                "beat.huber@firma.ch",
                "chiara.rossi@firma.ch",
                "emil.frei@firma.ch"
            ],
            "{:?}",
            db.backend
        );
        let new_link = reminders[0]
            .link("http://debrief.test/r/")
            .expect("reminder link");
        let first_link = all
            .iter()
            .find(|m| m.to == reminders[0].to && !m.subject().starts_with("Erinnerung"))
            .and_then(|m| m.link("http://debrief.test/r/"))
            .expect("first link");
        assert_ne!(new_link, first_link, "a reminder carries a fresh link");
        let mut someone = crate::app!(state);
        for l in [&new_link, &first_link] {
            let p = l.trim_start_matches("http://debrief.test");
            assert_eq!(
                someone.get(p).await.status,
                StatusCode::OK,
                "both links work"
            );
        }
        // A second sweep sends nothing more: one reminder was allowed.
        debrief::schedule::run_once(&state);
        state.worker("test").run_once().expect("worker");
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(sink.messages().len(), 8);
    }
}

#[actix_web::test]
async fn a_transient_failure_is_retried_a_permanent_one_is_shown_and_a_crash_mid_send_repeats_with_the_same_message_id()
 {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, false).await;
        sink.fail_next(Fault::Transient);
        sink.fail_next(Fault::Permanent);
        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w1").run_once().expect("worker");
        sink.wait_for(3, 20);
        let progress = team.get(&format!("{base}/progress.json")).await.json();
        assert_eq!(progress["progress"]["sent"], 3, "{progress}");
        assert_eq!(progress["progress"]["failed"], 1, "the 550 is given up");
        assert_eq!(
            progress["progress"]["mails_retrying"], 1,
            "the 451 waits for its retry"
        );
        let page = team.get(&base).await;
        assert!(
            page.body.contains("mailbox unavailable"),
            "the permanent error is shown"
        );
        let failed_to = progress["progress"]["errors"][0][0]
            .as_str()
            .expect("the editor sees whose mail failed")
            .to_string();
        // Management reads the counts, not whose address failed.
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut viewer = crate::app!(state);
        viewer.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        let seen = viewer.get(&format!("{base}/progress.json")).await;
        assert_eq!(seen.json()["progress"]["failed"], 1, "{}", seen.body);
        assert_eq!(seen.json()["progress"]["errors"], serde_json::json!([]));
        let page = viewer.get(&base).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains(&failed_to) && !page.body.contains("mailbox unavailable"),
            "no recipient address on the viewer's page"
        );

        // The retry is due: it goes out.
        use debrief::db::schema::outbox;
        {
            let mut conn = state.pool.get().expect("conn");
            diesel::update(outbox::table.filter(outbox::status.eq("pending")))
                .set(outbox::next_attempt_at.eq(debrief::db::now()))
                .execute(&mut conn)
                .expect("due");
        }
        state.worker("w1").run_once().expect("worker");
        sink.wait_for(4, 20);

        // A worker claims the last job and dies before sending: the lease runs out, another
        // worker sends it. One that dies after sending but before recording it makes the mail go
        // twice, as the same message (same Message-ID): at least once, never lost.
        {
            let mut conn = state.pool.get().expect("conn");
            let id: i64 = base
                .rsplit('/')
                .next()
                .and_then(|s| s.parse().ok())
                .expect("id");
            debrief::db::recipients::merge(
                &mut conn,
                "fritz.graf@firma.ch",
                "Fritz Graf",
                Some("employees"),
                "de",
            )
            .expect("recipient");
            debrief::surveys::manage::send(&mut conn, id, &state.mail_context(), &Actor::cli())
                .expect("send");
            let claimed = debrief::db::outbox::claim(
                &mut conn,
                "dead-worker",
                10,
                chrono::Duration::seconds(120),
            )
            .expect("claim");
            assert_eq!(claimed.len(), 1);
            state
                .mailer
                .send(&state.config.smtp.from, &claimed[0])
                .expect("sent before the crash");
            diesel::update(outbox::table.find(claimed[0].id))
                .set(outbox::lease_until.eq(debrief::db::now() - chrono::Duration::seconds(1)))
                .execute(&mut conn)
                .expect("lease expired");
        }
        state.worker("w2").run_once().expect("worker");
        let mails = sink.wait_for(6, 20);
        let fritz: Vec<_> = mails
            .iter()
            .filter(|m| m.to == ["fritz.graf@firma.ch"])
            .collect();
        assert_eq!(fritz.len(), 2);
        assert_eq!(
            fritz[0].message_id(),
            fritz[1].message_id(),
            "a repeat is the same message"
        );
        state.worker("w2").run_once().expect("worker");
        assert_eq!(sink.messages().len(), 6, "nothing is sent a third time");
    }
}

#[actix_web::test]
async fn an_anonymous_survey_never_puts_a_recipient_next_to_an_answer() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, true).await;
        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        let mails = sink.wait_for(5, 20);
        for m in mails.iter().take(4) {
            let token_path = m
                .link("http://debrief.test/r/")
                .expect("link")
                .replace("http://debrief.test", "");
            let mut browser = crate::app!(state);
            let form = browser.get(&token_path).await;
            assert!(form.body.contains("anonym"), "the respondent is told");
            let mut fields = answer_fields(&form.body, "3", FREE_TEXT);
            fields.push(("csrf_token".into(), form.csrf().expect("csrf")));
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            assert_eq!(
                browser.post_form(&token_path, &pairs).await.status,
                StatusCode::SEE_OTHER
            );
            // Changing the answer through the same link works without any stored link to the person.
            let again = browser.get(&token_path).await;
            assert!(again.body.contains("Sie haben am") || again.body.contains("You answered on"));
        }
        let id = survey_id(Some(&base));
        let mut api = crate::app!(state);
        api.bearer = Some(editor_token(&state));
        let recipient_ids: Vec<i64> = {
            use debrief::db::schema::recipients;
            let mut conn = state.pool.get().expect("conn");
            recipients::table
                .select(recipients::id)
                .load(&mut conn)
                .expect("ids")
        };
        let outputs = [
            team.get(&format!("{base}/export.csv")).await.body,
            team.get(&format!("{base}/results")).await.body,
            team.get(&format!("{base}/progress.json")).await.body,
            api.get(&format!("/api/v1/surveys/{id}/results")).await.body,
            api.get(&format!("/api/v1/surveys/{id}/status")).await.body,
            api.get(&format!("/api/v1/surveys/{id}/export.csv"))
                .await
                .body,
            team.get(&format!("{base}/results?language=de")).await.body,
        ];
        for out in &outputs {
            for email in [
                "anna.keller",
                "beat.huber",
                "chiara.rossi",
                "dana.meier",
                "emil.frei",
            ] {
                assert!(!out.contains(email), "{email} appears next to answers");
            }
            for key in ["invitation_id", "recipient_id", "\"email\":"] {
                assert!(!out.contains(key), "{key} in an output: {out}");
            }
        }
        // Recipient ids as the values of any id-like field of the API's answers.
        let api_results: serde_json::Value = serde_json::from_str(&outputs[3]).expect("json");
        let mut numbers = Vec::new();
        collect_ids(&api_results, &mut numbers);
        assert!(
            numbers.iter().all(|n| !recipient_ids.contains(n)),
            "{numbers:?} vs {recipient_ids:?}"
        );
        // Three employees and one manager answered: the manager alone would be known, and with
        // the manager hidden the employees would give the manager away by subtraction, so no
        // free text names its audience, and none says when it came.
        let texts = api_results["texts"].as_array().expect("texts");
        assert_eq!(texts.len(), 4);
        for t in texts {
            assert_eq!(
                (t["audience"].is_null(), t["audience_withheld"].as_bool()),
                (true, Some(true)),
                "{t}"
            );
            assert!(t["submitted_at"].is_null(), "{t}");
        }
        assert!(
            api_results["questions"][1]["by_audience"]
                .as_array()
                .expect("groups")
                .iter()
                .all(|g| g["distribution"].is_null()),
            "no group is shown on its own"
        );
        let mut reader = ::csv::Reader::from_reader(outputs[0].as_bytes());
        let header = reader.headers().expect("header").clone();
        assert!(
            !header.iter().any(|h| h == "submitted_at" || h == "email"),
            "{header:?}"
        );
        let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 5, "question texts, then the four responses");
        assert!(
            rows[1..].iter().all(|r| r[1].is_empty()),
            "no audience is named"
        );
        assert_eq!(outputs[5], outputs[0], "the API exports the same");
        // A filter that leaves fewer than three answers shows and exports nothing of them.
        let few = team
            .get(&format!("{base}/results?audience=management"))
            .await;
        assert!(few.body.contains("flash-info") && !few.body.contains(FREE_TEXT));
        assert_eq!(
            team.get(&format!("{base}/export.csv?audience=management"))
                .await
                .status,
            StatusCode::CONFLICT
        );
        let few = api
            .get(&format!("/api/v1/surveys/{id}/results?audience=management"))
            .await
            .json();
        assert_eq!(
            (few["withheld"].as_bool(), few["responses"].as_i64()),
            (Some(true), Some(1))
        );
        assert!(few["questions"].as_array().is_some_and(|q| q.is_empty()));

        // Nothing stored pairs a response with an invitation: no column names one, the answer
        // keys cannot be derived from anything stored (the links are nowhere), and on PostgreSQL
        // the transaction stamps do not pair them either.
        let mut conn = state.pool.get().expect("conn");
        let keys: Vec<Option<String>> = {
            use debrief::db::schema::responses;
            responses::table
                .select(responses::browser_key_hash)
                .load(&mut conn)
                .expect("keys")
        };
        let keys: Vec<String> = keys.into_iter().flatten().collect();
        assert_eq!(keys.len(), 4);
        for (table, row) in every_row(&mut conn) {
            for word in row.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
                if word.len() < 16 {
                    continue;
                }
                let derived = debrief::auth::hash_token(&format!("anonymous-invitation:{word}"));
                assert!(
                    !keys.contains(&derived),
                    "{table} holds the link behind an answer: {row}"
                );
            }
        }
        if matches!(*conn, debrief::db::DbConn::Postgres(_)) {
            #[derive(diesel::QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let shared: N = diesel::sql_query(
                "SELECT count(*) AS n FROM responses r JOIN invitations i \
                 ON r.xmin::text = i.xmin::text WHERE i.status = 'answered'",
            )
            .get_result(&mut conn)
            .expect("xmin");
            assert_eq!(shared.n, 0, "a response and an invitation written together");
            debrief::schedule::run_once(&state);
            let stamps: N = diesel::sql_query(format!(
                "SELECT count(DISTINCT xmin::text) AS n FROM invitations \
                 WHERE survey_id = {id} AND status = 'answered'"
            ))
            .get_result(&mut conn)
            .expect("xmin");
            assert_eq!(stamps.n, 1, "the order of answering is blurred");
        }
        use debrief::db::schema::{invitations, responses};
        let linked: i64 = responses::table
            .filter(responses::invitation_id.is_not_null())
            .count()
            .get_result(&mut conn)
            .expect("count");
        assert_eq!(linked, 0, "no response names an invitation");
        let timed: i64 = invitations::table
            .filter(invitations::answered_at.is_not_null())
            .count()
            .get_result(&mut conn)
            .expect("count");
        assert_eq!(timed, 0, "only that they answered is kept, not when");
        let answered: i64 = invitations::table
            .filter(invitations::status.eq("answered"))
            .count()
            .get_result(&mut conn)
            .expect("count");
        assert_eq!(answered, 4);
    }
}

#[actix_web::test]
async fn the_open_link_takes_one_response_per_browser_and_throttles_a_flood() {
    let db = TestDb::sqlite();
    let sink = SmtpSink::start();
    let state = state_with_smtp(&db, &sink);
    setup(&state);
    let mut team = crate::app!(state);
    team.login("editor@firma.ch", ADMIN_PASSWORD).await;
    let base = create_survey(&mut team, false).await;
    let fields = [
        ("title_en", "Public feedback"),
        ("audiences", "employees"),
        ("default_locale", "en"),
        ("max_reminders", "0"),
        ("open_link", "on"),
    ];
    let saved = team.submit(&format!("{base}/edit"), &base, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    team.submit(&base, &format!("{base}/send"), &[]).await;
    let page = team.get(&base).await.body.replace("&#x2f;", "/");
    let start = page
        .find("http://debrief.test/p/")
        .expect("open link shown");
    let rest = &page[start + "http://debrief.test".len()..];
    let path = rest[..rest.find('<').expect("end")].to_string();

    let answer = |body: &str| {
        let mut f = answer_fields(body, "4", FREE_TEXT);
        f.push(("csrf_token".into(), csrf_of(body)));
        f
    };
    let mut browser = crate::app!(state);
    let form = browser.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    // The browser's key outlives a restart of the browser: a persistent cookie, not a session one.
    let visitor = form
        .headers
        .get_all(actix_web::http::header::SET_COOKIE)
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("debrief_visitor="))
        .expect("visitor cookie")
        .to_string();
    let max_age: i64 = visitor
        .split(';')
        .find_map(|p| p.trim().strip_prefix("Max-Age="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a session cookie: {visitor}"));
    assert!(max_age >= 180 * 24 * 3600, "{visitor}");
    assert!(
        form.body.contains("lang=\"en\""),
        "the survey's default language: {}",
        &form.body[..200]
    );
    for _ in 0..2 {
        let form = browser.get(&path).await;
        let f = answer(&form.body);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            browser.post_form(&path, &pairs).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let id: i64 = base
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let count = |state: &debrief::app::AppState| {
        debrief::db::responses::count(&mut state.pool.get().expect("c"), id).expect("count")
    };
    assert_eq!(count(&state), 1, "the same browser changes its answer");
    let mut other = crate::app!(state);
    let form = other.get(&path).await;
    let f = answer(&form.body);
    let pairs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        other.post_form(&path, &pairs).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&state), 2, "another browser is another response");

    // 30 submissions per address in ten minutes; the flood after that is refused.
    let mut refused = None;
    for n in 0..40 {
        let mut flood = crate::app!(state);
        let form = flood.get(&path).await;
        let f = answer(&form.body);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let res = flood.post_form(&path, &pairs).await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(n);
            break;
        }
    }
    assert_eq!(refused, Some(27), "3 earlier + 27 more = 30 allowed");
    // The first browser submitted twice into one response: 2 + 27.
    assert_eq!(count(&state), 29);

    // A closed survey says so; an unknown link tells nothing.
    team.submit(&base, &format!("{base}/close"), &[]).await;
    assert_eq!(browser.get(&path).await.status, StatusCode::GONE);
    let unknown = browser.get("/p/not-a-survey").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(!unknown.body.contains("Public feedback"));
}

/// Every number under a key ending in `id` in a JSON value, but for the questions' own ids.
fn collect_ids(v: &serde_json::Value, out: &mut Vec<i64>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                if k.ends_with("id")
                    && k != "question_id"
                    && let Some(n) = x.as_i64()
                {
                    out.push(n);
                }
                collect_ids(x, out);
            }
        }
        serde_json::Value::Array(list) => list.iter().for_each(|x| collect_ids(x, out)),
        _ => {}
    }
}

pub(crate) fn csrf_of(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker).expect("csrf") + marker.len();
    body[start..start + body[start..].find('"').expect("end")].to_string()
}

#[actix_web::test]
async fn the_api_runs_a_survey_from_creation_to_results() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let token = {
            let mut conn = state.pool.get().expect("conn");
            let user = debrief::db::users::find_by_email(&mut conn, "editor@firma.ch")
                .expect("q")
                .expect("user");
            debrief::accounts::create_api_token(&mut conn, &user, "pipeline", &Actor::cli())
                .expect("token")
        };
        let mut api = crate::app!(state);
        api.bearer = Some(token);
        let created = api
            .json(
                Method::POST,
                "/api/v1/incidents/INC-2026-014/surveys",
                &serde_json::json!({"template": "custom"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["id"].as_i64().expect("id");
        let bad = api
            .json(Method::POST, &format!("/api/v1/surveys/{id}/questions"), &serde_json::json!({"qtype": "single", "text_en": "Which?", "options": [{"value": "", "en": "One", "de": "Eins"}]}))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "options");
        let q = api
            .json(Method::POST, &format!("/api/v1/surveys/{id}/questions"), &serde_json::json!({"qtype": "rating5", "code": "timeliness", "required": true, "text_en": "How timely?", "text_de": "Wie rechtzeitig?"}))
            .await;
        assert_eq!(q.status, StatusCode::CREATED, "{}", q.body);
        let qid = q.json()["questions"][0]["id"]
            .as_i64()
            .expect("question id");
        let settings = api
            .json(Method::PUT, &format!("/api/v1/surveys/{id}"), &serde_json::json!({"title_en": "API survey", "audiences": ["management"], "default_locale": "en"}))
            .await;
        assert_eq!(settings.status, StatusCode::OK, "{}", settings.body);
        let added = api
            .json(Method::POST, "/api/v1/recipients", &serde_json::json!({"email": "Gina.Wyss@Firma.ch", "name": "Gina Wyss", "audience": "management", "locale": "de"}))
            .await;
        assert_eq!(added.json()["created"], true);
        let again = api
            .json(Method::POST, "/api/v1/recipients", &serde_json::json!({"email": "gina.wyss@firma.ch", "audience": "management", "locale": "de"}))
            .await;
        assert_eq!(again.json()["created"], false, "duplicates merge");
        let sent = api
            .json(
                Method::POST,
                &format!("/api/v1/surveys/{id}/send"),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(sent.json()["queued"], 3, "{}", sent.body);
        // Questions are fixed once sent.
        let late = api
            .request(
                Method::DELETE,
                &format!("/api/v1/surveys/{id}/questions/{qid}"),
                None,
                &[],
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        state.worker("w").run_once().expect("worker");
        let mails = sink.wait_for(3, 20);
        let gina = mails
            .iter()
            .find(|m| m.to == ["gina.wyss@firma.ch"])
            .expect("mail");
        let path = gina
            .link("http://debrief.test/r/")
            .expect("link")
            .replace("http://debrief.test", "");
        let mut browser = crate::app!(state);
        let form = browser.get(&path).await;
        let pairs = [
            ("csrf_token", form.csrf().expect("csrf")),
            (&*format!("q{qid}"), "4".to_string()),
        ];
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (*a, b.as_str())).collect();
        assert_eq!(
            browser.post_form(&path, &pairs).await.status,
            StatusCode::SEE_OTHER
        );
        let status = api
            .get(&format!("/api/v1/surveys/{id}/status"))
            .await
            .json();
        assert_eq!(
            (
                status["responses"].as_i64(),
                status["progress"]["answered"].as_i64()
            ),
            (Some(1), Some(1))
        );
        let results = api
            .get(&format!("/api/v1/surveys/{id}/results"))
            .await
            .json();
        assert_eq!(results["questions"][0]["overall"]["mean"], 4.0);
        assert_eq!(results["perceived_overall"]["timeliness"], 75.0);
        let csv = api.get(&format!("/api/v1/surveys/{id}/export.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        let mut reader = ::csv::Reader::from_reader(csv.body.as_bytes());
        let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2, "question texts, then one response");
        assert_eq!(&rows[1][4], "gina.wyss@firma.ch");
        assert_eq!(&rows[1][5], "4");
    }
}

#[actix_web::test]
async fn recipients_import_without_an_incident_and_deleting_one_removes_their_personal_data() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        // Through the API, as a pipeline would: a table of recipients, no incident named.
        let csv = "email,name,audience,language\nhanna.berg@partner.de,Hanna Berg,partners,de\nnot-an-address,Bad Row,partners,de\n";
        let token = {
            let mut conn = state.pool.get().expect("conn");
            let user = debrief::db::users::find_by_email(&mut conn, "editor@firma.ch")
                .expect("q")
                .expect("user");
            debrief::accounts::create_api_token(&mut conn, &user, "import", &Actor::cli())
                .expect("token")
        };
        let mut api = crate::app!(state);
        api.bearer = Some(token);
        let refused = api
            .request(
                Method::POST,
                "/api/v1/imports?file_name=r.csv&records=recipients",
                Some(("text/csv", csv.as_bytes().to_vec())),
                &[],
            )
            .await
            .json();
        assert_eq!(refused["committed"], false, "{refused}");
        assert_eq!(refused["errors"][0]["line"], 3, "{refused}");
        let ok = api
            .request(
                Method::POST,
                "/api/v1/imports?file_name=r.csv&records=recipients&skip_invalid=true",
                Some(("text/csv", csv.as_bytes().to_vec())),
                &[],
            )
            .await
            .json();
        assert_eq!(
            (ok["committed"].as_bool(), ok["recipients_new"].as_i64()),
            (Some(true), Some(1)),
            "{ok}"
        );

        let base = create_survey(&mut team, false).await;
        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        sink.wait_for(5, 20);
        let list = team.get("/recipients").await;
        assert!(
            list.body.contains("hanna.berg@partner.de")
                && list.body.contains("anna.keller@firma.ch")
        );
        let id = {
            use debrief::db::schema::recipients;
            let mut conn = state.pool.get().expect("conn");
            recipients::table
                .filter(recipients::email.eq("anna.keller@firma.ch"))
                .select(recipients::id)
                .first::<i64>(&mut conn)
                .expect("anna")
        };
        let deleted = team
            .submit("/recipients", &format!("/recipients/{id}/delete"), &[])
            .await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        use debrief::db::schema::{audit_log, outbox, recipients};
        let mut conn = state.pool.get().expect("conn");
        let left: i64 = recipients::table
            .filter(recipients::email.eq("anna.keller@firma.ch"))
            .count()
            .get_result(&mut conn)
            .expect("count");
        let in_outbox: i64 = outbox::table
            .filter(outbox::to_address.eq("anna.keller@firma.ch"))
            .count()
            .get_result(&mut conn)
            .expect("count");
        let logged: Vec<Option<String>> = audit_log::table
            .filter(audit_log::action.eq("recipient.deleted"))
            .select(audit_log::details)
            .load(&mut conn)
            .expect("audit");
        assert_eq!((left, in_outbox), (0, 0), "no trace of the address");
        assert_eq!(logged.len(), 1);
        let progress = team.get(&format!("{base}/progress.json")).await.json();
        assert_eq!(
            progress["progress"]["invitations"], 5,
            "the invitation stays for the response rate"
        );
    }
}
