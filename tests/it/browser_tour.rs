//! What a new user does on the first day, in one headless Chromium on SQLite: the setup link,
//! the first administrator, the demo incidents, a Statuspage file imported, the scorecard, a
//! survey sent to a real SMTP server and answered on a phone, the review written and published,
//! an improvement action from a pinned finding, and the PDF report downloaded and read back.
//! Screenshots of every step go to `target/browser/tour/` and `target/browser/tour-phone/`.

use base64::Engine;
use std::path::PathBuf;

use crate::common::browser::{Browser, DESKTOP, PHONE};
use crate::common::server::Server;
use crate::common::smtp::SmtpSink;

const DEMO: &str = "INC-2026-014";
const PASSWORD: &str = "Lagebild um acht, bitte";

/// A Statuspage incident as `GET /api/v2/incidents/{id}.json` returns it, written for the tour
/// (an invented page and incident), saved where the browser's file input can take it.
fn statuspage_file(dir: &std::path::Path) -> PathBuf {
    let update = |id: &str, status: &str, at: &str, body: &str| {
        serde_json::json!({
            "id": id, "status": status, "body": body, "incident_id": "tour4x9k2m7q",
            "created_at": at, "updated_at": at, "display_at": at, "affected_components": null,
            "deliver_notifications": true, "custom_tweet": null, "tweet_id": null
        })
    };
    let export = serde_json::json!({
        "page": {
            "id": "tourpage0001", "name": "Beispiel AG", "url": "https://status.beispiel.test",
            "time_zone": "Europe/Zurich", "updated_at": "2026-02-03T10:15:00.000Z"
        },
        "incident": {
            "id": "tour4x9k2m7q", "name": "Login to the customer portal fails",
            "status": "resolved", "created_at": "2026-02-03T08:12:00.000Z",
            "updated_at": "2026-02-03T10:15:00.000Z", "monitoring_at": "2026-02-03T09:40:00.000Z",
            "resolved_at": "2026-02-03T10:15:00.000Z", "impact": "major",
            "shortlink": "https://stspg.io/tour", "started_at": "2026-02-03T08:05:00.000Z",
            "page_id": "tourpage0001",
            "incident_updates": [
                update("u3", "resolved", "2026-02-03T10:15:00.000Z",
                    "Logins work again for all customers. We are sorry for the trouble this morning."),
                update("u2", "monitoring", "2026-02-03T09:40:00.000Z",
                    "A fix is in place and logins are recovering. Next update by 10:30 CET."),
                update("u1", "investigating", "2026-02-03T08:12:00.000Z",
                    "Customers cannot log in to the portal. We are investigating and will update within 30 minutes."),
            ],
            "components": [{"id": "c1", "name": "Customer portal", "status": "operational"}]
        }
    });
    let path = dir.join("portal-login.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&export).expect("json")).expect("write");
    // Chromium takes only canonical paths for a file input.
    path.canonicalize().expect("canonical path")
}

#[actix_web::test]
async fn a_new_team_goes_from_the_setup_link_to_the_published_review_and_its_report() {
    let upload_dir = tempfile::tempdir().expect("tempdir");
    let file = statuspage_file(upload_dir.path());
    let Some(mut b) = Browser::start("tour", DESKTOP).await else {
        return;
    };
    let sink = SmtpSink::start();
    let port = sink.port.to_string();
    let server = Server::start(
        &[],
        &[
            ("DEBRIEF_MAIL_TRANSPORT", "smtp"),
            ("DEBRIEF_SMTP_HOST", "127.0.0.1"),
            ("DEBRIEF_SMTP_PORT", port.as_str()),
        ],
    );
    let base = server.base.clone();

    // 1. The setup link from the console creates the first administrator.
    b.goto(&server.setup_link()).await;
    b.shot("setup").await;
    b.fill("#field-name", "Ada Admin").await;
    b.fill("#field-email", "ada@firma.ch").await;
    b.fill("#field-password", PASSWORD).await;
    b.fill("#field-password_repeat", PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.wait_for_text("Your administrator account is ready").await;
    b.login(&base, "ada@firma.ch", PASSWORD).await;
    b.wait_for_text("No incidents yet").await;
    b.shot("empty-dashboard").await;

    // 2. The demo incidents, from the empty dashboard.
    b.click("#load-demo").await;
    b.wait_for_text("The demo incidents are loaded.").await;
    assert!(b.text().await.contains(DEMO));
    b.shot("demo-loaded").await;

    // 3. A Statuspage incident file, previewed and committed.
    b.goto(&format!("{base}/imports/new")).await;
    b.find("#field-files")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    b.click("form[data-upload] button[type=submit]").await;
    b.wait_for_text("Import preview").await;
    let preview = b.text().await;
    assert!(preview.contains("statuspage"), "{preview}");
    b.shot("import-preview").await;
    b.click("form[action='/imports/commit'] button").await;
    b.wait_for_text("The import is stored.").await;
    b.wait_for_text("Login to the customer portal fails").await;
    b.shot("imported").await;

    // 4. The demo incident's scorecard: scores explained by findings; one is pinned.
    b.goto(&format!("{base}/incidents/{DEMO}/scores")).await;
    b.wait_for_text("Findings").await;
    let scorecard = b.text().await;
    assert!(scorecard.contains("Timeliness"), "{scorecard}");
    // Charts only: the navigation's icons are SVG too.
    let svg_charts = b
        .script("return document.querySelectorAll('section.chart svg').length;")
        .await;
    assert!(
        svg_charts.as_u64().unwrap_or(0) >= 3,
        "charts inline: {svg_charts}"
    );
    b.shot("scorecard").await;
    b.click(&format!(
        "form[action='/incidents/{DEMO}/review/pins'] button"
    ))
    .await;
    b.wait_for_text("pinned").await;

    // 5. The default survey, to one employee through the SMTP server.
    b.goto(&format!("{base}/incidents/{DEMO}/surveys")).await;
    b.click(&format!("form[action='/incidents/{DEMO}/surveys'] button"))
        .await;
    b.wait_for_text("Add recipient").await;
    let survey_path = b.path().await;
    b.fill("#field-email", "anna.keller@firma.ch").await;
    b.fill("#field-name", "Anna Keller").await;
    b.click("form[action$='/recipients'] button[type=submit]")
        .await;
    b.wait_for_text("The recipient has been saved.").await;
    b.submit_confirmed("form[action$='/send'] button").await;
    let mails = sink.wait_for(1, 60);
    let link = mails[0]
        .link(&format!("{base}/r/"))
        .expect("personal link in the invitation");
    // The live progress on the survey page counts the delivery without a reload.
    b.wait_for_script(
        "return document.querySelector('[data-field=sent]').textContent.trim();",
        "1",
    )
    .await;
    b.shot("survey-sent").await;

    // 6. Anna answers on her phone, in German.
    let Some(mut phone) = Browser::start("tour-phone", PHONE).await else {
        return;
    };
    phone.goto(&link).await;
    phone
        .wait_for_text("Wie rechtzeitig wurden Sie informiert?")
        .await;
    phone.shot("survey-form").await;
    for (q, nth) in [(2, 2), (3, 4), (4, 1), (5, 2), (6, 4), (7, 4)] {
        phone
            .click(&format!(
                "ol.questions > li:nth-child({q}) label.option:nth-of-type({nth})"
            ))
            .await;
    }
    phone
        .fill("textarea", "Eine SMS am Morgen hätte gereicht.")
        .await;
    phone.click("button.submit").await;
    phone.wait_for_text("Vielen Dank!").await;
    phone.shot("thanks").await;
    phone.close().await;
    b.goto(&format!("{base}{survey_path}/results")).await;
    b.wait_for_text("Eine SMS am Morgen").await;
    b.shot("survey-results").await;

    // 7. The review: the automatic comparison is there; the team writes the summary, publishes.
    // Pinning the finding opened the review draft already.
    b.goto(&format!("{base}/incidents/{DEMO}/review")).await;
    b.wait_for_text("Expected").await;
    b.goto(&format!("{base}/incidents/{DEMO}/review/sections/summary"))
        .await;
    b.fill(
        "#field-content",
        "Der Mailversand fiel **vier Stunden** aus; die Mitarbeitenden erfuhren es zu spät.",
    )
    .await;
    b.click("form[action$='/sections/summary'] button[type=submit]")
        .await;
    b.wait_for_text("vier Stunden").await;
    b.shot("review-draft").await;

    // 8. An improvement action from the pinned finding, with an owner and a due date.
    b.click(&format!(
        "form[action^='/incidents/{DEMO}/review/pins/'][action$='/action'] button"
    ))
    .await;
    b.wait_for_text("has been created from the finding. Choose an owner and a due date.")
        .await;
    // A date input takes its value in the browser's locale when typed; set it as the form sends it.
    b.script(
        "document.querySelector('#field-due_date').value = '2026-12-31'; \
         const s = document.querySelector('#field-owner_id'); \
         s.value = [...s.options].find(o => o.text.includes('Ada')).value;",
    )
    .await;
    b.click("form.form button[type=submit]").await;
    b.wait_for_text("Your changes have been saved.").await;
    let action = b.text().await;
    assert!(action.contains("Ada Admin"), "{action}");
    assert!(action.contains("2026"), "{action}");
    b.shot("action").await;

    b.goto(&format!("{base}/incidents/{DEMO}/review")).await;
    b.click("form[action$='/review/status'] input[value=in_review] ~ button")
        .await;
    b.wait_for_text("Publish").await;
    b.submit_confirmed("form[action$='/review/status'] input[value=published] ~ button")
        .await;
    b.wait_for_text("The review is published and now read-only.")
        .await;
    b.shot("review-published").await;

    // 9. The PDF report, downloaded with the session and read back with pdftotext.
    let pdf_base64 = b
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1]; \
                 fetch('/incidents/{DEMO}/report.pdf?lang=de').then(async r => {{ \
                   const bytes = new Uint8Array(await r.arrayBuffer()); \
                   let s = ''; for (const x of bytes) s += String.fromCharCode(x); \
                   done([r.headers.get('content-type'), btoa(s)]); \
                 }}).catch(e => done([String(e), '']));"
            ),
            vec![],
        )
        .await
        .expect("download the report");
    assert_eq!(pdf_base64[0], "application/pdf");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pdf_base64[1].as_str().expect("base64"))
        .expect("decode");
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser/tour");
    let path = shots.join("report.pdf");
    std::fs::write(&path, &bytes).expect("write pdf");
    if crate::report_pdf::tools_present() {
        let text = crate::report_pdf::run("pdftotext", &[&path.display().to_string(), "-"]);
        assert!(text.contains(DEMO), "{text}");
        assert!(text.contains("vier Stunden"), "the review is in the report");
        assert!(
            text.contains("Verbesserungsmaßnahmen"),
            "the actions are in the report"
        );
        assert!(text.contains("Ada Admin"), "with their owner");
    }
    b.close().await;
    assert!(server.stop().success());
}
