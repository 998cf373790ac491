//! The issue's finish line, as a communications person meets it: a Statuspage export, a mailbox
//! of sent mail (German and English) and an Excel-made CSV of management briefings, previewed
//! together; the bad rows named precisely and nothing stored; the CSV fixed and all committed;
//! one incident whose timeline is in time order with every record. The same through the API,
//! the command line and the upload form, on both backends.

use std::process::{Command, Output};

use actix_web::http::{Method, StatusCode};
use debrief::db::audit::Actor;

use crate::common::{TestDb, backends, state_for};

/// The incident as Statuspage's `incidents.json` gives it: newest update first, times in UTC
/// (Zurich is UTC+1 on 10 March 2026).
const STATUSPAGE: &str = r#"{
  "page": {"id": "fx4kq8w2tz1m", "name": "Firma Status", "url": "https://status.firma.example",
           "time_zone": "Europe/Zurich", "updated_at": "2026-03-10T09:40:31.120Z"},
  "incidents": [{
    "id": "k7zqx4m2vb9p", "name": "E-Mail-Versand gestört", "status": "resolved", "impact": "major",
    "created_at": "2026-03-10T07:05:12.418Z", "updated_at": "2026-03-10T09:40:31.102Z",
    "monitoring_at": "2026-03-10T08:50:04.771Z", "resolved_at": "2026-03-10T09:40:30.996Z",
    "started_at": "2026-03-10T06:55:00.000Z", "shortlink": "https://stspg.io/k7zqx4",
    "page_id": "fx4kq8w2tz1m",
    "incident_updates": [
      {"id": "r0vq8lz3n6sd", "status": "resolved", "incident_id": "k7zqx4m2vb9p",
       "body": "Der E-Mail-Versand funktioniert wieder. Alle zurückgehaltenen Nachrichten wurden zugestellt.",
       "created_at": "2026-03-10T09:40:30.996Z", "updated_at": "2026-03-10T09:40:30.996Z",
       "display_at": "2026-03-10T09:40:30.996Z",
       "affected_components": [{"code": "c8mail", "name": "E-Mail", "old_status": "major_outage", "new_status": "operational"}]},
      {"id": "m3kd9w1pq2xa", "status": "monitoring", "incident_id": "k7zqx4m2vb9p",
       "body": "Wir haben das Zertifikat ersetzt und beobachten die Zustellung.\r\n\r\nNächstes Update um 10:45 Uhr.",
       "created_at": "2026-03-10T08:50:04.771Z", "updated_at": "2026-03-10T08:50:04.771Z",
       "display_at": "2026-03-10T08:50:04.771Z", "affected_components": null},
      {"id": "i5tz7c0hy4fb", "status": "identified", "incident_id": "k7zqx4m2vb9p",
       "body": "Ursache ist ein abgelaufenes Zertifikat am Mail-Gateway. Nächstes Update um 10:00 Uhr.",
       "created_at": "2026-03-10T07:55:40.002Z", "updated_at": "2026-03-10T07:58:02.411Z",
       "display_at": "2026-03-10T07:55:40.002Z", "affected_components": null},
      {"id": "v9ab2ne8ks1m", "status": "investigating", "incident_id": "k7zqx4m2vb9p",
       "body": "Seit 07:55 Uhr können keine E-Mails versendet werden. Wir untersuchen die Störung.",
       "created_at": "2026-03-10T07:10:03.250Z", "updated_at": "2026-03-10T07:10:03.250Z",
       "display_at": "2026-03-10T07:10:03.250Z",
       "affected_components": [{"code": "c8mail", "name": "E-Mail", "old_status": "operational", "new_status": "major_outage"}]}
    ],
    "components": [{"id": "c8mail", "name": "E-Mail", "status": "operational", "page_id": "fx4kq8w2tz1m"}]
  }]
}"#;

/// The key Debrief gives the Statuspage incident.
const KEY: &str = "SP-K7ZQX4M2VB";

/// A mail client's "Sent" folder: two German mails to all staff, one English to a customer.
const MBOX: &str = "From it-kommunikation@firma.example Tue Mar 10 08:20:00 2026
From: IT-Kommunikation <it-kommunikation@firma.example>
To: Alle Mitarbeitenden <alle@firma.example>
Subject: =?utf-8?q?St=C3=B6rung=3A_E-Mail-Versand?=
Date: Tue, 10 Mar 2026 08:20:00 +0100
Message-ID: <stoerung-1@firma.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Liebe Kolleginnen und Kollegen,

seit 07:55 Uhr können keine E-Mails nach außen versendet werden. Eingehende
Mails kommen an. Wir arbeiten an der Behebung und melden uns bis 09:30 Uhr.

IT-Kommunikation

From it-kommunikation@firma.example Tue Mar 10 08:45:00 2026
From: IT Communications <it-kommunikation@firma.example>
To: service@kunde.example
Subject: Service notice: outgoing e-mail from Firma is delayed
Date: Tue, 10 Mar 2026 08:45:00 +0100
Message-ID: <notice-1@firma.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Dear customer,

since 07:55 CET, e-mail sent by Firma is delayed. Your messages to us arrive
as usual. We expect to deliver the delayed mail by 11:00 CET.

IT Communications

From it-kommunikation@firma.example Tue Mar 10 10:50:00 2026
From: IT-Kommunikation <it-kommunikation@firma.example>
To: Alle Mitarbeitenden <alle@firma.example>
Subject: Entwarnung: E-Mail-Versand funktioniert wieder
Date: Tue, 10 Mar 2026 10:50:00 +0100
Message-ID: <stoerung-2@firma.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Liebe Kolleginnen und Kollegen,

der E-Mail-Versand funktioniert seit 10:40 Uhr wieder. Zurückgehaltene Mails
wurden zugestellt.

IT-Kommunikation
";

/// Recipient addresses to audiences, for the mailbox.
const AUDIENCE_FOR: [&str; 2] = ["@firma.example=employees", "@kunde.example=customers"];

/// Management briefings as German Excel saves them: `;`, Windows-1252, German headers and
/// `DD.MM.YYYY HH:MM` in Zurich time. With `bad`, three rows have a mistake each.
fn briefings(bad: bool) -> Vec<u8> {
    let rows = [
        "Zeitpunkt;Zielgruppe;Kanal;Betreff;Nachricht",
        "10.03.2026 08:30;Geschäftsleitung;E-Mail;Lagebild 1;Der E-Mail-Versand ist seit 07:55 Uhr gestört. Kunden und Mitarbeitende sind informiert. Nächstes Lagebild um 09:30 Uhr.",
        if bad {
            "31.02.2026 09:30;Geschäftsleitung;E-Mail;Lagebild 2;Ursache gefunden: abgelaufenes Zertifikat am Mail-Gateway."
        } else {
            "10.03.2026 09:30;Geschäftsleitung;E-Mail;Lagebild 2;Ursache gefunden: abgelaufenes Zertifikat am Mail-Gateway."
        },
        if bad {
            "10.03.2026 10:15;Geschäftsleitung;Brieftaube;Lagebild 3;Zertifikat ersetzt, Zustellung läuft."
        } else {
            "10.03.2026 10:15;Geschäftsleitung;Telefon;Lagebild 3;Zertifikat ersetzt, Zustellung läuft."
        },
        if bad {
            "10.03.2026 11:00;Geschäftsleitung;E-Mail;Abschluss;"
        } else {
            "10.03.2026 11:00;Geschäftsleitung;E-Mail;Abschluss;Störung behoben. Der Nachbericht folgt bis Freitag."
        },
    ];
    let text = rows.join("\r\n") + "\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "Windows-1252, not UTF-8"
    );
    bytes.into_owned()
}

/// (file, line, field, reason start) of the three bad rows.
const EXPECTED_ERRORS: [(&str, u64, &str, &str); 3] = [
    ("lagebild.csv", 3, "Zeitpunkt", "'31.02.2026 09:30'"),
    ("lagebild.csv", 4, "Kanal", "'Brieftaube'"),
    ("lagebild.csv", 5, "Nachricht", "is empty"),
];

const FILES: [&str; 3] = ["incidents.json", "gesendet.mbox", "lagebild.csv"];

fn file_bytes(bad_csv: bool) -> [Vec<u8>; 3] {
    [
        STATUSPAGE.as_bytes().to_vec(),
        MBOX.as_bytes().to_vec(),
        briefings(bad_csv),
    ]
}

/// Errors of a summary as (file, line, field, reason).
fn errors(summary: &serde_json::Value) -> Vec<(String, u64, String, String)> {
    summary["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or("").to_string(),
                e["line"].as_u64().unwrap_or(0),
                e["field"].as_str().unwrap_or("").to_string(),
                e["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn assert_precise_errors(summary: &serde_json::Value) {
    let got = errors(summary);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(summary["error_count"], 3);
    for ((file, line, field, reason), (want_file, want_line, want_field, want_reason)) in
        got.iter().zip(EXPECTED_ERRORS)
    {
        assert_eq!(
            (file.as_str(), *line, field.as_str()),
            (want_file, want_line, want_field),
            "{got:?}"
        );
        assert!(reason.starts_with(want_reason), "{reason}");
    }
}

/// The summary of the committed import: one incident made from the three files.
fn assert_committed(summary: &serde_json::Value) {
    let counts = [
        "incidents_created",
        "incidents_updated",
        "messages_new",
        "events_new",
        "unchanged",
        "error_count",
    ]
    .map(|k| summary[k].as_u64());
    // 4 status-page updates + 3 mails + 4 briefings; detected, acknowledged, diagnosed,
    // monitoring and resolved from the status page.
    assert_eq!(
        counts,
        [Some(1), Some(0), Some(11), Some(5), Some(0), Some(0)],
        "{summary}"
    );
    assert_eq!(summary["committed"], true);
    assert_eq!(summary["incidents"], serde_json::json!([KEY]));
}

/// One coherent timeline: every record on the one incident, in time order, from all sources.
fn assert_timeline(conn: &mut debrief::db::DbConn) {
    let all = debrief::db::incidents::list(conn, &Default::default()).expect("list");
    assert_eq!(all.len(), 1, "one incident");
    let tl = debrief::incidents::timeline(conn, KEY).expect("timeline");
    assert_eq!(tl.incident.title, "E-Mail-Versand gestört");
    let times: Vec<_> = tl.messages.iter().map(|m| m.sent_at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let by_channel = |c: &str| {
        tl.messages
            .iter()
            .filter(|m| m.channel.as_str() == c)
            .count()
    };
    assert_eq!(
        (
            by_channel("status_page"),
            by_channel("email"),
            by_channel("phone")
        ),
        (4, 6, 1)
    );
    // The first message of all is the status page's, at 08:10 Zurich time; the last the
    // closing briefing at 11:00 (10:00 UTC).
    let first = tl.messages.first().expect("first");
    assert_eq!(
        (first.channel.as_str(), first.sent_at.to_string()),
        ("status_page", "2026-03-10 07:10:03.250".to_string())
    );
    let last = tl.messages.last().expect("last");
    assert_eq!(last.sent_at.to_string(), "2026-03-10 10:00:00");
    let english: Vec<&str> = tl
        .messages
        .iter()
        .filter(|m| m.language.as_str() == "en")
        .filter_map(|m| m.subject.as_deref())
        .collect();
    assert_eq!(
        english,
        ["Service notice: outgoing e-mail from Firma is delayed"]
    );
    let briefing = tl
        .messages
        .iter()
        .find(|m| m.subject.as_deref() == Some("Lagebild 2"))
        .expect("briefing");
    assert_eq!(briefing.sent_at.to_string(), "2026-03-10 08:30:00");
    assert_eq!(
        briefing
            .audiences
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["management"]
    );
    let events: Vec<&str> = tl.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        events,
        [
            "detected",
            "acknowledged",
            "diagnosed",
            "monitoring",
            "resolved"
        ]
    );
}

fn multipart(boundary: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (file_name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

const BOUNDARY: &str = "----debrief-e2e-boundary";

fn upload(fields: &[(&str, &str)], bad_csv: bool) -> (String, Vec<u8>) {
    let bytes = file_bytes(bad_csv);
    let files: Vec<(&str, &[u8])> = FILES
        .iter()
        .zip(bytes.iter())
        .map(|(n, b)| (*n, b.as_slice()))
        .collect();
    (
        format!("multipart/form-data; boundary={BOUNDARY}"),
        multipart(BOUNDARY, fields, &files),
    )
}

fn incident_count(state: &debrief::app::AppState) -> usize {
    debrief::db::incidents::list(&mut state.pool.get().expect("c"), &Default::default())
        .expect("list")
        .len()
}

#[actix_web::test]
async fn statuspage_mailbox_and_briefings_through_the_api() {
    for db in backends() {
        let state = state_for(&db);
        let editor = crate::common::create_user(
            &state,
            "kommunikation@firma.ch",
            debrief::domain::Role::Editor,
        );
        let token = debrief::accounts::create_api_token(
            &mut state.pool.get().expect("c"),
            &editor,
            "import",
            &Actor::cli(),
        )
        .expect("token");
        let mut c = crate::app!(state);
        c.bearer = Some(token);
        let query = "audience_for=%40firma.example%3Demployees%2C%40kunde.example%3Dcustomers";

        let (content_type, body) = upload(&[], true);
        let preview = c
            .request(
                Method::POST,
                &format!("/api/v1/imports?dry_run=true&{query}"),
                Some((&content_type, body)),
                &[],
            )
            .await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        let summary = preview.json();
        assert_precise_errors(&summary);
        assert_eq!(summary["committed"], false);
        // The preview shows what the status page and the mails would give (a table with bad
        // rows gives nothing until it is fixed), and stores none of it.
        assert_eq!(summary["incidents_created"], 1);
        assert_eq!(summary["messages_new"], 4 + 3);
        assert_eq!(incident_count(&state), 0, "{:?}", db.backend);

        // Committing the files with the mistakes still stores nothing.
        let (content_type, body) = upload(&[], true);
        let refused = c
            .request(
                Method::POST,
                &format!("/api/v1/imports?{query}"),
                Some((&content_type, body)),
                &[],
            )
            .await;
        assert_eq!(refused.json()["committed"], false);
        assert_eq!(incident_count(&state), 0);

        let (content_type, body) = upload(&[], false);
        let done = c
            .request(
                Method::POST,
                &format!("/api/v1/imports?{query}"),
                Some((&content_type, body)),
                &[],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_committed(&done.json());
        assert_timeline(&mut state.pool.get().expect("c"));

        let messages = c.get(&format!("/api/v1/incidents/{KEY}/messages")).await;
        let list = messages.json();
        let times: Vec<&str> = list
            .as_array()
            .expect("messages")
            .iter()
            .filter_map(|m| m["sent_at"].as_str())
            .collect();
        assert_eq!(times.len(), 11, "{}", messages.body);
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

        // The same files again: nothing new.
        let (content_type, body) = upload(&[], false);
        let again = c
            .request(
                Method::POST,
                &format!("/api/v1/imports?{query}"),
                Some((&content_type, body)),
                &[],
            )
            .await
            .json();
        assert_eq!(
            (again["messages_new"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(16))
        );
    }
}

#[actix_web::test]
async fn statuspage_mailbox_and_briefings_through_the_upload_form() {
    for db in backends() {
        let state = state_for(&db);
        crate::common::create_user(
            &state,
            "kommunikation@firma.ch",
            debrief::domain::Role::Editor,
        );
        let mut c = crate::app!(state);
        c.login("kommunikation@firma.ch", crate::common::ADMIN_PASSWORD)
            .await;
        let form = c.get("/imports/new").await;
        let csrf = form.csrf().expect("csrf");
        let action = format!(
            "/imports/preview?csrf_token={}",
            url::form_urlencoded::byte_serialize(csrf.as_bytes()).collect::<String>()
        );
        let fields = [
            ("tz", "Europe/Zurich"),
            (
                "audience_for",
                "@firma.example=employees\n@kunde.example=customers",
            ),
        ];

        let (content_type, body) = upload(&fields, true);
        let page = c
            .request(Method::POST, &action, Some((&content_type, body)), &[])
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let rows = error_rows(&page.body);
        assert_eq!(rows.len(), 3, "{}", page.body);
        for (row, (file, line, field, reason)) in rows.iter().zip(EXPECTED_ERRORS) {
            assert_eq!(row[0], file);
            assert!(row[1].ends_with(&format!(" {line}")), "{row:?}");
            assert_eq!(row[2], field);
            assert!(
                row[3].starts_with(&reason.replace('\'', "&#x27;")),
                "{row:?}"
            );
        }
        assert!(!page.body.contains("action=\"/imports/commit\""));
        assert_eq!(incident_count(&state), 0);

        let (content_type, body) = upload(&fields, false);
        let page = c
            .request(Method::POST, &action, Some((&content_type, body)), &[])
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(incident_count(&state), 0, "a preview stores nothing");
        let marker = "name=\"token\" value=\"";
        let start = page.body.find(marker).expect("staged token") + marker.len();
        let token =
            page.body[start..start + page.body[start..].find('"').expect("end")].to_string();
        let done = c
            .post_form(
                "/imports/commit",
                &[("csrf_token", &csrf), ("token", &token)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), Some(format!("/incidents/{KEY}").as_str()));
        assert_timeline(&mut state.pool.get().expect("c"));
    }
}

/// The cells of the preview's error table, row by row.
fn error_rows(page: &str) -> Vec<Vec<String>> {
    page.split("<tr><td class=\"mono\">")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            row.split("</td>")
                .map(|cell| {
                    let text = cell.rsplit('>').next().unwrap_or(cell);
                    text.trim().to_string()
                })
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect()
}

/// `debrief …` against a test database, as an operator runs it.
pub fn debrief_cli(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    let data = tempfile::tempdir().expect("data dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_debrief"));
    cmd.args(args)
        .env("DATABASE_URL", &db.url)
        .env("DEBRIEF_DATA_DIR", data.path())
        .env_remove("DEBRIEF_CONFIG")
        .env("DEBRIEF_LOG", "error");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run debrief")
}

pub fn stdout_json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn statuspage_mailbox_and_briefings_through_the_command_line() {
    for db in backends() {
        let state = state_for(&db);
        let dir = tempfile::tempdir().expect("dir");
        let write = |bad: bool| -> Vec<String> {
            FILES
                .iter()
                .zip(file_bytes(bad))
                .map(|(name, bytes)| {
                    let path = dir.path().join(name);
                    std::fs::write(&path, bytes).expect("write");
                    path.to_string_lossy().into_owned()
                })
                .collect()
        };
        let run = |extra: &[&str], files: &[String]| {
            let mut args = vec!["import", "--new", "--json", "--tz", "Europe/Zurich"];
            for pair in AUDIENCE_FOR {
                args.extend(["--audience-for", pair]);
            }
            args.extend_from_slice(extra);
            args.extend(files.iter().map(String::as_str));
            debrief_cli(&db, &args, &[])
        };

        let files = write(true);
        let out = run(&["--dry-run"], &files);
        assert!(
            !out.status.success(),
            "errors make the exit status non-zero"
        );
        let mut summary = stdout_json(&out);
        // The CLI names files as given: compare by their names.
        for e in summary["errors"].as_array_mut().expect("errors") {
            let name = e["file"]
                .as_str()
                .and_then(|f| f.rsplit('/').next())
                .map(str::to_string);
            e["file"] = serde_json::json!(name);
        }
        assert_precise_errors(&summary);
        assert!(
            summary.get("sample").is_none(),
            "no message texts unless asked"
        );
        assert_eq!(incident_count(&state), 0, "{:?}", db.backend);

        let out = run(&[], &write(false));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_committed(&stdout_json(&out));
        assert_timeline(&mut state.pool.get().expect("c"));
    }
}
