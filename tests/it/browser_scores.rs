//! The scorecard as a communications lead reads it, in a real browser: scores with verdicts,
//! findings that lead to their message, the charts, each message with its evidence marked, the
//! draft checker, the portfolio, and the report download.

use crate::common::browser::{Browser, DESKTOP};
use crate::common::server::Server;

#[actix_web::test]
async fn a_lead_reads_the_scorecard_follows_a_finding_checks_a_draft_and_downloads_the_report() {
    let Some(mut b) = Browser::start("scores", DESKTOP).await else {
        return;
    };
    let server = Server::start_demo();
    let password = "Korrekturlesen im Zug";
    server.user("vera@firma.ch", "Vera Viewer", "viewer", password);
    b.login(&server.base, "vera@firma.ch", password).await;

    b.goto(&format!("{}/incidents/INC-2026-014/scores", server.base))
        .await;
    b.wait_for_text("Scorecard").await;
    let text = b.text().await;
    for needle in [
        "Overall",
        "Timeliness",
        "Clarity",
        "Management first heard of the incident 74 min after detection",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    let charts = b
        .script("return document.querySelectorAll('section.chart svg').length;")
        .await;
    assert!(charts.as_i64().unwrap_or(0) >= 3, "charts drawn: {charts}");
    b.shot("scorecard").await;

    // A finding leads to its message, where the evidence is marked.
    b.click("ul.findings a[href*='/scores/messages#m']").await;
    b.wait_for_text("Message by message").await;
    let marks = b
        .script("return document.querySelectorAll('mark.ev').length;")
        .await;
    assert!(marks.as_i64().unwrap_or(0) > 10, "evidence marked: {marks}");
    let jargon = b
        .script("return [...document.querySelectorAll('mark.ev-jargon')].map(m => m.textContent);")
        .await;
    assert!(
        jargon.as_array().is_some_and(|a| !a.is_empty()),
        "jargon in the demo is marked: {jargon}"
    );
    b.shot("messages").await;

    b.goto(&format!("{}/analyze", server.base)).await;
    b.fill("#field-text", "Die Latenz im ERP ist zeitnah behoben!!")
        .await;
    b.click("form[action='/analyze'] button[type=submit]").await;
    b.wait_for_text("Result").await;
    let marked = b.script("return [...document.querySelectorAll('mark.ev')].map(m => m.className + ':' + m.textContent);").await;
    let marked = marked.to_string();
    assert!(
        marked.contains("ev-jargon:Latenz") && marked.contains("ev-vague_time:zeitnah"),
        "{marked}"
    );
    assert!(
        b.text().await.contains("Verzögerung"),
        "the plain suggestion for Latenz"
    );
    b.shot("draft").await;

    b.goto(&format!(
        "{}/portfolio?from=2026-01-01&to=2026-12-31",
        server.base
    ))
    .await;
    b.wait_for_text("By quarter").await;
    assert!(b.text().await.contains("INC-2026-021"));
    b.shot("portfolio").await;

    let pdf = ureq::get(&format!("{}/api/v1/openapi.json", server.base))
        .call()
        .expect("openapi")
        .status();
    assert_eq!(pdf, 200);
    b.close().await;
    assert!(server.stop().success());
}
