//! The import flow in a real browser: upload with a visible progress bar, a preview that names
//! the bad row, a fixed file committed, and the records on the incident's timeline.

use std::time::{Duration, Instant};

use crate::common::browser::{Browser, DESKTOP, tokio_sleep};
use crate::common::server::Server;

/// Chromium's network throttling, so the upload lasts long enough to watch its progress.
#[derive(Debug)]
struct NetworkConditions(serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

fn table(rows: usize, bad_line: Option<usize>) -> String {
    let mut csv = String::from("Zeitpunkt;Zielgruppe;Kanal;Nachricht\n");
    for i in 0..rows {
        let when = if Some(i + 2) == bad_line {
            "32.03.2026 09:00".to_string()
        } else {
            format!("10.03.2026 {:02}:{:02}", 8 + i / 600, (i / 10) % 60)
        };
        csv.push_str(&format!(
            "{when};Mitarbeitende;Intranet;Lagebild {i}: Der Mailversand ist weiterhin gestört, \
             wir arbeiten mit Hochdruck an der Behebung und melden uns um 12:00 Uhr wieder.\n"
        ));
    }
    csv
}

#[actix_web::test]
async fn an_editor_uploads_sees_progress_and_errors_then_commits_a_fixed_file() {
    let Some(mut b) = Browser::start("import", DESKTOP).await else {
        return;
    };
    let server = Server::start_demo();
    let password = "Korrekturlesen im Zug";
    server.user("eda@firma.ch", "Eda Editor", "editor", password);
    b.login(&server.base, "eda@firma.ch", password).await;

    let dir = tempfile::tempdir().expect("tmp");
    let rows = 4_000;
    let bad = dir.path().join("lagebild.csv");
    std::fs::write(&bad, table(rows, Some(5))).expect("write");
    let good = dir.path().join("lagebild-korrigiert.csv");
    std::fs::write(&good, table(rows, None)).expect("write");

    // First the file with a bad date: the preview names the line and offers no commit.
    b.goto(&format!("{}/incidents/INC-2026-014/import", server.base))
        .await;
    b.shot("import-form").await;
    b.find("#field-files")
        .await
        .send_keys(&bad.display().to_string())
        .await
        .expect("choose file");
    b.click("form[data-upload] button[type=submit]").await;
    b.wait_for_text("Import preview").await;
    let text = b.text().await;
    assert!(text.contains("line 5"), "{text}");
    assert!(
        text.contains("32.03.2026"),
        "the bad value is quoted: {text}"
    );
    assert!(
        b.client
            .find_all(fantoccini::Locator::Css("form[action='/imports/commit']"))
            .await
            .expect("find")
            .is_empty(),
        "a file with errors cannot be committed"
    );
    b.shot("preview-with-error").await;

    // The fixed file over a slow line: the progress bar shows the upload going.
    b.client
        .issue_cmd(NetworkConditions(serde_json::json!({
            "network_conditions": {"offline": false, "latency": 20,
                "download_throughput": 4_000_000, "upload_throughput": 120_000}
        })))
        .await
        .expect("throttle");
    b.goto(&format!("{}/incidents/INC-2026-014/import", server.base))
        .await;
    b.find("#field-files")
        .await
        .send_keys(&good.display().to_string())
        .await
        .expect("choose file");
    b.click("form[data-upload] button[type=submit]").await;
    let started = Instant::now();
    let mut seen: Vec<i64> = Vec::new();
    let mut shot_taken = false;
    while started.elapsed() < Duration::from_secs(60) {
        let v = b
            .script(
                "const p = document.querySelector('[data-upload-progress]');\
                 return p && !p.classList.contains('hidden') ? Math.round(p.value) : -1;",
            )
            .await;
        let v = v.as_i64().unwrap_or(-1);
        if v < 0 && !seen.is_empty() {
            break;
        }
        if v >= 0 {
            seen.push(v);
            if (20..90).contains(&v) && !shot_taken {
                b.shot("upload-progress").await;
                shot_taken = true;
            }
        }
        tokio_sleep(Duration::from_millis(150)).await;
    }
    assert!(
        seen.iter().any(|v| (1..100).contains(v)),
        "the progress bar showed the upload under way: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress only grows: {seen:?}"
    );
    b.client
        .issue_cmd(NetworkConditions(serde_json::json!({
            "network_conditions": {"offline": false, "latency": 0,
                "download_throughput": -1, "upload_throughput": -1}
        })))
        .await
        .expect("unthrottle");
    b.wait_for_text("Import preview").await;
    let text = b.text().await;
    assert!(text.contains(&rows.to_string()), "{text}");
    assert!(!text.contains("line 5"), "{text}");
    b.shot("preview-ok").await;
    b.click("form[action='/imports/commit'] button").await;
    // The preview lists the first rows too; the flash is only on the incident page.
    b.wait_for_text("The import is stored.").await;
    assert!(b.text().await.contains("Lagebild 0:"));
    assert!(
        b.client
            .current_url()
            .await
            .expect("url")
            .path()
            .ends_with("/incidents/INC-2026-014")
    );
    b.shot("timeline-after-import").await;
    b.close().await;
    assert!(server.stop().success());
}
