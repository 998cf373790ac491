//! Hostile text in every free-text field that a page, an e-mail or a PDF shows: organisation,
//! audience, service and user names, an imported incident (title, summary, events, messages,
//! mentions, the file name), a survey (titles, intro, question and option texts), a recipient's
//! name and a respondent's answer, and a draft in the checker. Every page reachable by links is
//! then read: nothing of it may run (no inline script, no event handler attribute, no
//! `javascript:` link), and every HTML response carries the Content-Security-Policy. The same
//! holds for the invitation mail (headers included) and the PDF report. A second test does the
//! same for the after-action review (Markdown section text, participants, contributions through
//! their link), improvement actions (title, description, status comment) and the mails they cause:
//! the contribution invitation, the daily digest and a password reset.

use std::collections::{BTreeSet, VecDeque};

use actix_web::http::{Method, StatusCode, header};
use debrief::db::audit::Actor;
use debrief::domain::Role;
use scraper::{Html, Selector};

use crate::common::smtp::SmtpSink;
use crate::common::{ADMIN_PASSWORD, Page, TestDb, answer_fields, config_for, create_user};

/// Script tags, an attribute break-out with an event handler, an SVG handler and a `javascript:`
/// link: under 100 characters, so it fits every name field.
const PROBE: &str =
    r#"<script>alert(1)</script>"'><img src=x onerror=alert(2)><svg onload=alert(3)>"#;
const LINK_PROBE: &str = r#"<a href="javascript:alert(4)">j</a>"#;
/// For fields of at most 60 characters.
const SHORT_PROBE: &str = "<script>alert(1)</script><svg onload=alert(3)>";
/// A header break-out for fields that end up in mail headers.
const HEADER_PROBE: &str = "\r\nBcc: evil@example.com";

fn long_probe() -> String {
    format!("{PROBE} {LINK_PROBE} Wir informieren Sie um 10 Uhr wieder.")
}

/// What of the probe survived as markup, if anything.
fn active_content(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").expect("selector");
    let mut found = Vec::new();
    for el in doc.select(&all) {
        let v = el.value();
        if matches!(v.name(), "iframe" | "object" | "embed" | "base") {
            found.push(format!("<{}>", v.name()));
        }
        if v.name() == "script" && (v.attr("src").is_none() || !el.inner_html().trim().is_empty()) {
            found.push(format!("inline script: {}", el.inner_html()));
        }
        for (name, value) in v.attrs() {
            let lowered = value.trim().to_ascii_lowercase();
            if name.to_ascii_lowercase().starts_with("on") {
                found.push(format!("<{} {name}={value:?}>", v.name()));
            }
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data"
            ) && (lowered.starts_with("javascript:") || lowered.starts_with("data:text/html"))
            {
                found.push(format!("<{} {name}={value:?}>", v.name()));
            }
        }
    }
    found
}

/// The probe is shown (as text) on the page: proof that the field was really rendered there.
fn shows_probe(html: &str) -> bool {
    let doc = Html::parse_document(html);
    doc.root_element()
        .text()
        .collect::<String>()
        .contains("<script>alert(1)</script>")
}

fn assert_inert(page: &Page, what: &str) {
    let found = active_content(&page.body);
    assert!(found.is_empty(), "{what}: active content {found:?}");
}

fn is_html(page: &Page) -> bool {
    page.headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn links(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let a = Selector::parse("a[href]").expect("selector");
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .map(|h| h.split('#').next().unwrap_or(h).to_string())
        .collect()
}

#[actix_web::test]
async fn hostile_text_stays_inert_in_every_page_mail_and_pdf() {
    let db = TestDb::sqlite();
    let sink = SmtpSink::start();
    let mut config = config_for(&db);
    config.mail_transport = debrief::config::MailTransport::Smtp;
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = sink.port;
    config.smtp.rate_per_second = 1000;
    let state = debrief::app::AppState::build(config).expect("state");
    create_user(&state, "admin@firma.ch", Role::Admin);
    {
        let mut conn = state.pool.get().expect("conn");
        debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
    }
    let mut admin = crate::app!(state);
    assert_eq!(
        admin.login("admin@firma.ch", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = admin.get("/profile").await.csrf().expect("csrf");
    let text = long_probe();

    for (path, fields) in [
        (
            "/settings/organisation",
            vec![
                ("name", PROBE),
                ("time_zone", "Europe/Zurich"),
                ("confidentiality_label", SHORT_PROBE),
                ("default_language", "de"),
            ],
        ),
        (
            "/settings/audiences",
            vec![
                ("key", "hostile"),
                ("name_en", PROBE),
                ("name_de", PROBE),
                ("lay", "on"),
                ("weight", "1"),
            ],
        ),
        (
            "/settings/services",
            vec![("name", PROBE), ("aliases", ""), ("description", PROBE)],
        ),
        (
            "/profile",
            vec![
                ("name", PROBE),
                ("locale", "en"),
                ("time_zone", "Europe/Zurich"),
            ],
        ),
    ] {
        let mut all = vec![("csrf_token", csrf.as_str())];
        all.extend(fields);
        let page = admin.post_form(path, &all).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.body);
    }

    // An incident whose every text is hostile, imported from Debrief's own format.
    let api_headers = [("x-csrf-token", csrf.as_str())];
    let mut export = admin
        .get("/api/v1/incidents/INC-2026-014/export.json")
        .await
        .json();
    export["incident"]["key"] = "INC-2026-666".into();
    export["incident"]["title"] = PROBE.into();
    export["incident"]["summary"] = text.clone().into();
    if let Some(a) = export["incident"]["audiences"].as_array_mut() {
        a.push("hostile".into());
    }
    for (i, e) in export["events"]
        .as_array_mut()
        .expect("events")
        .iter_mut()
        .enumerate()
    {
        e["description"] = format!("{text} {i}").into();
    }
    for (i, m) in export["messages"]
        .as_array_mut()
        .expect("messages")
        .iter_mut()
        .enumerate()
    {
        m["body"] = format!("{text} Nachricht {i}.").into();
        m["subject"] = PROBE.into();
        m["author"] = PROBE.into();
        m["body_html"] = format!("<p>{text}</p>").into();
        if let Some(a) = m["audiences"].as_array_mut() {
            a.push("hostile".into());
        }
    }
    for m in export["mentions"].as_array_mut().expect("mentions") {
        m["author_handle"] = PROBE.into();
        m["text"] = text.clone().into();
    }
    let file_name: String =
        url::form_urlencoded::byte_serialize(format!("{PROBE}.json").as_bytes()).collect();
    let imported = admin
        .request(
            Method::POST,
            &format!("/api/v1/imports?file_name={file_name}"),
            Some((
                "application/json",
                serde_json::to_vec(&export).expect("json"),
            )),
            &api_headers,
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(imported.json()["committed"], true, "{}", imported.body);

    // A link that would run script is refused where it is entered.
    let refused = admin
        .request(
            Method::POST,
            "/api/v1/incidents/INC-2026-666/mentions",
            Some((
                "application/json",
                serde_json::to_vec(&serde_json::json!({
                    "posted_at": "2026-03-10T08:00:00Z", "platform": "x", "author_handle": "a",
                    "text": "b", "url": "javascript:alert(6)"
                }))
                .expect("json"),
            )),
            &api_headers,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );

    // A survey with hostile titles, intro, question and options, to a recipient with a hostile name.
    let created = admin
        .request(
            Method::POST,
            "/api/v1/incidents/INC-2026-666/surveys",
            Some(("application/json", br#"{"template":"default"}"#.to_vec())),
            &api_headers,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let survey = created.json()["id"].as_i64().expect("id");
    let hostile_title = format!("{PROBE}{HEADER_PROBE}");
    let settings = serde_json::json!({
        "title_en": hostile_title, "title_de": hostile_title, "intro_en": text, "intro_de": text,
        "audiences": ["hostile"]
    });
    let put = admin
        .request(
            Method::PUT,
            &format!("/api/v1/surveys/{survey}"),
            Some((
                "application/json",
                serde_json::to_vec(&settings).expect("json"),
            )),
            &api_headers,
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let question = serde_json::json!({
        "qtype": "single", "code": null, "required": false, "text_en": PROBE, "text_de": PROBE,
        "options": [{"value": "a", "en": PROBE, "de": PROBE}, {"value": "b", "en": "B", "de": "B"}]
    });
    let added = admin
        .request(
            Method::POST,
            &format!("/api/v1/surveys/{survey}/questions"),
            Some((
                "application/json",
                serde_json::to_vec(&question).expect("json"),
            )),
            &api_headers,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let recipient = serde_json::json!({
        "email": "mallory@firma.ch", "name": format!("{PROBE}{HEADER_PROBE}"),
        "audience": "hostile", "locale": "de"
    });
    let added = admin
        .request(
            Method::POST,
            "/api/v1/recipients",
            Some((
                "application/json",
                serde_json::to_vec(&recipient).expect("json"),
            )),
            &api_headers,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let sent = admin
        .request(
            Method::POST,
            &format!("/api/v1/surveys/{survey}/send"),
            Some(("application/json", b"{}".to_vec())),
            &api_headers,
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    state.worker("xss").run_once().expect("worker");
    let mails = sink.wait_for(1, 20);
    let mail = &mails[0];
    assert_eq!(
        mail.to,
        ["mallory@firma.ch"],
        "only the recipient is in the envelope"
    );
    assert!(
        mail.header("Bcc").is_none(),
        "no header was injected: {}",
        mail.raw
    );
    assert!(
        !mail.subject().contains('\n') && mail.subject().contains("<script>"),
        "the subject is one line with the title as text: {:?}",
        mail.subject()
    );
    let found = active_content(&mail.html());
    assert!(found.is_empty(), "invitation mail: {found:?}");
    assert!(
        shows_probe(&mail.html()),
        "the mail shows the title as text"
    );

    // The recipient answers with hostile free text.
    let path = crate::common::e2e::response_path(&mail.text()).expect("link");
    let mut respondent = crate::app!(state);
    let form = respondent.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_inert(&form, "survey form");
    assert!(
        shows_probe(&form.body),
        "the form shows the question as text"
    );
    let mut fields = answer_fields(&form.body, "2", &text);
    fields.push(("csrf_token".into(), form.csrf().expect("csrf")));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let done = respondent.post_form(&path, &pairs).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let thanks = respondent.get(done.location().expect("thanks")).await;
    assert_inert(&thanks, "thanks page");

    // The draft checker shows the draft with its evidence marked.
    let draft = admin
        .submit(
            "/analyze",
            "/analyze",
            &[("text", &text), ("audience", "hostile"), ("language", "de")],
        )
        .await;
    assert_inert(&draft, "draft checker");
    assert!(shows_probe(&draft.body), "the checker shows the draft");

    // Every page reachable by links from the start pages.
    let mut queue: VecDeque<String> = ["/", "/incidents/INC-2026-666", "/settings", "/portfolio"]
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut seen = BTreeSet::new();
    let mut showing = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let page = admin.get(&path).await;
        assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        if path.ends_with(".pdf") || path.ends_with(".csv") || path.ends_with(".json") {
            continue;
        }
        if !is_html(&page) {
            continue;
        }
        assert!(
            page.headers.contains_key("content-security-policy"),
            "{path} has no Content-Security-Policy"
        );
        assert_inert(&page, &path);
        if shows_probe(&page.body) {
            showing.push(path.clone());
        }
        queue.extend(links(&page.body).into_iter().filter(|l| !seen.contains(l)));
    }
    for expected in [
        "/incidents/INC-2026-666",
        "/incidents/INC-2026-666/scores",
        &format!("/incidents/INC-2026-666/surveys/{survey}/results"),
        "/settings",
        "/audit",
    ] {
        assert!(
            showing.iter().any(|p| p == expected),
            "{expected} shows the hostile text (pages that do: {showing:?})"
        );
    }
    eprintln!(
        "{} pages read, {} show the probe",
        seen.len(),
        showing.len()
    );

    // Error pages carry the policy too.
    let missing = admin.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers.contains_key("content-security-policy"));

    // The PDF report: the text is there as text, and the file has no actions or scripts.
    let pdf = admin.get("/incidents/INC-2026-666/report.pdf").await;
    assert_eq!(pdf.status, StatusCode::OK);
    if crate::report_pdf::tools_present() {
        let dir = tempfile::tempdir().expect("tmp");
        let (raw, expanded) = (dir.path().join("r.pdf"), dir.path().join("q.pdf"));
        std::fs::write(&raw, &pdf.bytes).expect("write");
        let (raw, expanded) = (
            raw.to_string_lossy().into_owned(),
            expanded.to_string_lossy().into_owned(),
        );
        crate::report_pdf::run(
            "qpdf",
            &["--qdf", "--object-streams=disable", &raw, &expanded],
        );
        let objects =
            String::from_utf8_lossy(&std::fs::read(&expanded).expect("read")).into_owned();
        for action in [
            "/JavaScript",
            "/JS ",
            "/Launch",
            "/SubmitForm",
            "/ImportData",
            "/URI (javascript",
        ] {
            assert!(!objects.contains(action), "the PDF contains {action}");
        }
        let shown = crate::report_pdf::run("pdftotext", &[&raw, "-"]);
        assert!(
            shown.contains("alert(1)"),
            "the PDF shows the hostile title as text"
        );
    }
}

/// Crawls from `start` (same rules as above) and returns the pages that show the probe.
async fn crawl_inert<S, B>(client: &mut crate::common::Client<S>, start: &[&str]) -> Vec<String>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut queue: VecDeque<String> = start.iter().map(|s| s.to_string()).collect();
    let mut seen = BTreeSet::new();
    let mut showing = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let page = client.get(&path).await;
        assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        if !is_html(&page) {
            continue;
        }
        assert!(
            page.headers.contains_key("content-security-policy"),
            "{path} has no Content-Security-Policy"
        );
        assert_inert(&page, &path);
        if shows_probe(&page.body) {
            showing.push(path.clone());
        }
        queue.extend(links(&page.body).into_iter().filter(|l| !seen.contains(l)));
    }
    showing
}

fn assert_mail_inert(mail: &crate::common::smtp::Received, what: &str) {
    assert!(
        mail.header("Bcc").is_none(),
        "{what}: header injected: {}",
        mail.raw
    );
    assert!(
        !mail.subject().contains('\n'),
        "{what}: subject {:?}",
        mail.subject()
    );
    let found = active_content(&mail.html());
    assert!(found.is_empty(), "{what}: {found:?}");
}

#[actix_web::test]
async fn hostile_review_and_action_text_stays_inert_in_pages_mails_and_pdf() {
    let db = TestDb::sqlite();
    let sink = SmtpSink::start();
    let mut config = config_for(&db);
    config.mail_transport = debrief::config::MailTransport::Smtp;
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = sink.port;
    config.smtp.rate_per_second = 1000;
    let state = debrief::app::AppState::build(config).expect("state");
    create_user(&state, "admin@firma.ch", Role::Admin);
    let owner = create_user(&state, "owner@firma.ch", Role::Viewer).id;
    {
        let mut conn = state.pool.get().expect("conn");
        debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
        debrief::db::users::update_admin_fields(&mut conn, owner, PROBE, Role::Viewer, true)
            .expect("hostile owner name");
    }
    let mut admin = crate::app!(state);
    assert_eq!(
        admin.login("admin@firma.ch", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = admin.get("/profile").await.csrf().expect("csrf");
    let text = long_probe();
    let markdown = format!(
        "{text}\n\n[klick](javascript:alert(5)) ![bild](javascript:alert(6)) \
         <a href=\"javascript:alert(7)\">roh</a>\n\n- {PROBE}\n- **fett** <iframe src=x></iframe>"
    );
    let review = "/incidents/INC-2026-014/review";
    let post =
        async |client: &mut crate::common::Client<_>, path: &str, fields: &[(&str, &str)]| {
            let mut all = vec![("csrf_token", csrf.as_str())];
            all.extend_from_slice(fields);
            let page = client.post_form(path, &all).await;
            assert!(
                page.status == StatusCode::SEE_OTHER || page.status == StatusCode::OK,
                "{path}: {} {}",
                page.status,
                page.body
            );
            page
        };

    // The review: Markdown in every team section, a participant from outside with a hostile name.
    post(&mut admin, review, &[]).await;
    for section in ["summary", "why_difference", "went_badly", "lessons"] {
        post(
            &mut admin,
            &format!("{review}/sections/{section}"),
            &[("content", &markdown)],
        )
        .await;
    }
    post(
        &mut admin,
        &format!("{review}/participants"),
        &[
            ("user_id", ""),
            ("name", PROBE),
            ("email", "extern@partner.ch"),
        ],
    )
    .await;
    state.worker("xss").run_once().expect("worker");
    let invitation = sink
        .wait_for(1, 20)
        .into_iter()
        .find(|m| m.to == ["extern@partner.ch"])
        .expect("contribution invitation");
    assert_mail_inert(&invitation, "contribution invitation");
    let link = invitation
        .text()
        .split_whitespace()
        .find(|w| w.contains("/c/"))
        .map(|w| {
            w[w.find("/c/").expect("path")..]
                .trim_end_matches(['.', ')'])
                .to_string()
        })
        .expect("contribution link");

    // The outside participant answers with hostile text through the link.
    let mut guest = crate::app!(state);
    let form = guest.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_inert(&form, "contribution form");
    let guest_csrf = form.csrf().expect("csrf");
    let sent = guest
        .post_form(
            &link,
            &[
                ("csrf_token", &guest_csrf),
                ("went_well", &text),
                ("went_badly", &markdown),
                ("should_change", PROBE),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thanks = guest.get(sent.location().expect("thanks")).await;
    assert_inert(&thanks, "contribution thanks");

    // An overdue action for the hostile owner, with a hostile comment on its status change.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    let owner_id = owner.to_string();
    let created = post(
        &mut admin,
        "/actions",
        &[
            ("title", PROBE),
            ("description", &markdown),
            ("category", "process"),
            ("owner_id", &owner_id),
            ("due_date", &yesterday),
            ("priority", "high"),
            ("status", "open"),
            ("external_link", ""),
            ("incident", "INC-2026-014"),
        ],
    )
    .await;
    let action = created.location().expect("action page").to_string();
    post(
        &mut admin,
        &format!("{action}/status"),
        &[("status", "in_progress"), ("comment", &text)],
    )
    .await;

    // The digest and a password reset go to the owner, whose name is hostile.
    {
        let mut conn = state.pool.get().expect("conn");
        let evening = chrono::Utc::now()
            .date_naive()
            .and_hms_opt(20, 0, 0)
            .expect("time");
        let queued = debrief::actions::digest::run(&mut conn, &state.mail_context(), evening)
            .expect("digest");
        assert_eq!(queued, 1, "one digest, for the owner");
        debrief::accounts::request_password_reset(
            &mut conn,
            "owner@firma.ch",
            &state.mail_context(),
        )
        .expect("reset");
    }
    state.worker("xss").run_once().expect("worker");
    let to_owner: Vec<_> = sink
        .wait_for(3, 20)
        .into_iter()
        .filter(|m| m.to == ["owner@firma.ch"])
        .collect();
    assert_eq!(to_owner.len(), 2, "digest and reset mail");
    for mail in &to_owner {
        assert_mail_inert(mail, &mail.subject());
    }
    assert!(
        to_owner.iter().any(|m| shows_probe(&m.html())),
        "the digest shows the action's title as text"
    );

    let showing = crawl_inert(
        &mut admin,
        &[
            review,
            "/actions",
            "/incidents/INC-2026-014/actions",
            &action,
        ],
    )
    .await;
    for expected in [
        review.to_string(),
        format!("{review}/contributions"),
        "/actions".to_string(),
        action.clone(),
    ] {
        assert!(
            showing.contains(&expected),
            "{expected} shows the hostile text (pages that do: {showing:?})"
        );
    }

    // The report carries the review and the actions: text, no script.
    let pdf = admin.get("/incidents/INC-2026-014/report.pdf").await;
    assert_eq!(pdf.status, StatusCode::OK);
    if crate::report_pdf::tools_present() {
        let dir = tempfile::tempdir().expect("tmp");
        let raw = dir.path().join("r.pdf");
        std::fs::write(&raw, &pdf.bytes).expect("write");
        let shown = crate::report_pdf::run("pdftotext", &[&raw.to_string_lossy(), "-"]);
        assert!(
            shown.contains("alert(1)"),
            "the PDF shows the review text as text"
        );
    }
}
