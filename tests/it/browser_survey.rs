//! Respondents on their phones: the personal link from a real mail, in German and in English,
//! each refused when incomplete, answered, thanked and changed; the language switch; no external
//! resource. Screenshots of every step are kept under `target/`.

use std::time::{Duration, Instant};

use crate::common::browser::{Browser, PHONE};
use crate::common::server::Server;

fn api(
    base: &str,
    token: &str,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let req = ureq::request(method, &format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json");
    let res = if method == "GET" {
        req.call()
    } else {
        req.send_string(&body.to_string())
    };
    let text = res
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
        .into_string()
        .expect("body");
    serde_json::from_str(&text).expect("json")
}

/// The personal links in the mails the file transport wrote, by recipient.
fn links(server: &Server, n: usize) -> Vec<(String, String)> {
    let dir = server.data_dir.path().join("mail");
    let started = Instant::now();
    loop {
        let mut found = Vec::new();
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let raw = std::fs::read(e.path()).expect("mail");
            let Some(m) = mail_parser::MessageParser::default().parse(&raw) else {
                continue;
            };
            let to = m
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string();
            let text = m.body_text(0).unwrap_or_default().into_owned();
            if let Some(i) = text.find(&format!("{}/r/", server.base)) {
                let rest = &text[i..];
                let link = rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_string();
                found.push((to, link));
            }
        }
        if found.len() >= n {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {} mails written",
            found.len()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[actix_web::test]
async fn a_respondent_answers_on_a_phone_in_german_and_english_and_changes_the_answer() {
    let Some(mut b) = Browser::start("survey-phone", PHONE).await else {
        return;
    };
    let server = Server::start(&["--demo"], &[("DEBRIEF_MAIL_TRANSPORT", "file")]);
    server.user(
        "eda@firma.ch",
        "Eda Editor",
        "editor",
        "Korrekturlesen im Zug",
    );
    let csv = server.data_dir.path().join("empfaenger.csv");
    std::fs::write(&csv, "E-Mail;Name;Zielgruppe;Sprache\nanna.keller@firma.ch;Anna Keller;Mitarbeitende;de\ndana.meier@firma.ch;Dana Meier;Mitarbeitende;en\n").expect("csv");
    server.cli(
        &[
            "import",
            "--records",
            "recipients",
            csv.to_str().expect("path"),
        ],
        "",
    );
    let token: serde_json::Value = serde_json::from_str(&server.cli(
        &["token", "create", "--email", "eda@firma.ch", "--json"],
        "",
    ))
    .expect("json");
    let token = token["token"].as_str().expect("token").to_string();
    let survey = api(
        &server.base,
        &token,
        "POST",
        "/api/v1/incidents/INC-2026-014/surveys",
        serde_json::json!({"template": "default"}),
    );
    let id = survey["id"].as_i64().expect("id");
    api(
        &server.base,
        &token,
        "PUT",
        &format!("/api/v1/surveys/{id}"),
        serde_json::json!({
            "title_en": "How did we inform you about the e-mail outage?",
            "title_de": "Wie haben wir Sie zur E-Mail-Störung informiert?",
            "audiences": ["employees"], "default_locale": "de"
        }),
    );
    api(
        &server.base,
        &token,
        "POST",
        &format!("/api/v1/surveys/{id}/send"),
        serde_json::json!({}),
    );
    let links = links(&server, 2);
    let link_for = |who: &str| {
        links
            .iter()
            .find(|(to, _)| to == who)
            .map(|(_, l)| l.clone())
            .expect("link")
    };

    // Anna, German.
    b.goto(&link_for("anna.keller@firma.ch")).await;
    b.wait_for_text("Wie rechtzeitig wurden Sie informiert?")
        .await;
    let lang = b.script("return document.documentElement.lang;").await;
    assert_eq!(lang, "de");
    let external = b
        .script("return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin));")
        .await;
    assert_eq!(external, serde_json::json!([]), "no external resources");
    let width = b
        .script("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(width, true, "nothing overflows the phone's width");
    b.shot("form-de").await;
    b.click("button.submit").await;
    b.wait_for_text("Bitte beantworten Sie diese Frage.").await;
    b.shot("errors-de").await;
    // A tap on the label answers (large targets); the error summary links to the first question.
    let first_error = b
        .script("return document.querySelector('.error-summary a').getAttribute('href');")
        .await;
    assert!(
        first_error
            .as_str()
            .is_some_and(|h| h.starts_with("#field-q")),
        "{first_error}"
    );
    for (q, nth) in [(2, 2), (3, 4), (4, 1), (5, 2), (6, 4), (7, 4)] {
        b.click(&format!(
            "ol.questions > li:nth-child({q}) label.option:nth-of-type({nth})"
        ))
        .await;
    }
    b.fill(
        "textarea",
        "Eine SMS am Morgen hätte gereicht – danke für die klare Entwarnung.",
    )
    .await;
    b.shot("filled-de").await;
    b.click("button.submit").await;
    b.wait_for_text("Vielen Dank!").await;
    b.shot("thanks-de").await;
    b.click("a.secondary").await;
    b.wait_for_text("Sie haben am").await;
    let checked = b
        .script("return document.querySelectorAll('input:checked').length;")
        .await;
    assert_eq!(checked, 6, "the earlier answers are shown");
    b.click("ol.questions > li:nth-child(2) label.option:nth-of-type(5)")
        .await;
    b.click("button.submit").await;
    b.wait_for_text("Vielen Dank!").await;

    // Dana, in English, the same way: refused when incomplete, answered, thanked, changed.
    b.goto(&link_for("dana.meier@firma.ch")).await;
    b.wait_for_text("How timely were you informed?").await;
    let lang = b.script("return document.documentElement.lang;").await;
    assert_eq!(lang, "en");
    b.shot("form-en").await;
    b.click("button.submit").await;
    b.wait_for_text("Please answer this question.").await;
    b.shot("errors-en").await;
    for (q, nth) in [(2, 1), (3, 2), (4, 3), (5, 1), (6, 2), (7, 3)] {
        b.click(&format!(
            "ol.questions > li:nth-child({q}) label.option:nth-of-type({nth})"
        ))
        .await;
    }
    b.fill(
        "textarea",
        "The status page was late and the e-mail updates came too rarely.",
    )
    .await;
    b.shot("filled-en").await;
    b.click("button.submit").await;
    b.wait_for_text("Thank you!").await;
    b.shot("thanks-en").await;
    b.click("a.secondary").await;
    b.wait_for_text("You answered on").await;
    let checked = b
        .script("return document.querySelectorAll('input:checked').length;")
        .await;
    assert_eq!(checked, 6, "the earlier answers are shown");
    let kept = b
        .script("return document.querySelector('textarea').value;")
        .await;
    assert_eq!(
        kept,
        "The status page was late and the e-mail updates came too rarely."
    );
    b.click("ol.questions > li:nth-child(2) label.option:nth-of-type(4)")
        .await;
    b.shot("changed-en").await;
    b.click("button.submit").await;
    b.wait_for_text("Thank you!").await;
    // The switch: the same form in German.
    b.goto(&link_for("dana.meier@firma.ch")).await;
    b.wait_for_text("You answered on").await;
    b.click("nav.langs a[lang=de]").await;
    b.wait_for_text("Wie rechtzeitig wurden Sie informiert?")
        .await;
    b.shot("switched-de").await;

    let results = api(
        &server.base,
        &token,
        "GET",
        &format!("/api/v1/surveys/{id}/results"),
        serde_json::json!(null),
    );
    assert_eq!(
        results["responses"], 2,
        "each change replaced its answer: {results}"
    );
    let timeliness = results["questions"]
        .as_array()
        .and_then(|q| q.iter().find(|x| x["code"] == "timeliness"))
        .expect("question");
    // Anna changed to 5, Dana to 4.
    assert_eq!(timeliness["overall"]["mean"], 4.5);
    let languages: Vec<&str> = {
        let mut l: Vec<&str> = results["texts"]
            .as_array()
            .expect("texts")
            .iter()
            .filter_map(|t| t["locale"].as_str())
            .collect();
        l.sort();
        l
    };
    assert_eq!(languages, ["de", "en"], "each answered in their language");
    b.close().await;
    assert!(server.stop().success());
}
