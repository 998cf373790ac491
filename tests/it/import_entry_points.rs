//! `debrief import` as the built binary runs it (the summary as JSON, a dry run, a bad file,
//! files that hold records but no incident), and the upload limit on the command line, the API
//! and the upload form.

use actix_web::http::{Method, StatusCode};
use debrief::db::audit::Actor;

use crate::common::{TestDb, backends, config_for, state_for};
use crate::imports_e2e::{debrief_cli, stdout_json};

const INCIDENT: &str = r#"{"page": {"id": "p1", "name": "Acme Status"},
  "incidents": [{"id": "q746ybtyb6q0", "name": "API errors", "status": "resolved", "impact": "minor",
    "created_at": "2026-03-10T08:00:00Z", "resolved_at": "2026-03-10T09:00:00Z",
    "incident_updates": [
      {"id": "u2", "status": "resolved", "body": "Fixed.", "created_at": "2026-03-10T09:00:00Z"},
      {"id": "u1", "status": "investigating", "body": "We are looking into API errors.", "created_at": "2026-03-10T08:05:00Z"}]}]}"#;

const SECOND_INCIDENT: &str = r#"{"incident": {"id": "wqfk9mzs5qt1", "name": "Dashboard slow",
  "status": "resolved", "created_at": "2026-03-11T08:00:00Z",
  "incident_updates": [{"id": "w1", "status": "investigating", "body": "Slow.", "created_at": "2026-03-11T08:01:00Z"}]}}"#;

const TABLE: &str = "time,audience,channel,message\n\
    2026-03-10 09:10,employees,email,The API works again.\n\
    2026-03-10 09:20,martians,email,Fine again.\n";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

fn incidents(db: &TestDb) -> Vec<String> {
    debrief::db::incidents::list(&mut db.connect(), &Default::default())
        .expect("list")
        .into_iter()
        .map(|i| i.key)
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn import_prints_the_summary_as_json_and_a_dry_run_stores_nothing() {
    for db in backends() {
        state_for(&db);
        let dir = tempfile::tempdir().expect("dir");
        let file = write(&dir, "incidents.json", INCIDENT);

        let dry = debrief_cli(&db, &["import", "--dry-run", "--json", &file], &[]);
        assert!(dry.status.success(), "{}", stderr(&dry));
        let summary = stdout_json(&dry);
        assert_eq!(
            (summary["dry_run"].as_bool(), summary["committed"].as_bool()),
            (Some(true), Some(false))
        );
        assert_eq!(summary["incidents_created"], 1);
        assert!(
            incidents(&db).is_empty(),
            "a dry run stores nothing ({:?})",
            db.backend
        );

        let done = debrief_cli(&db, &["import", "--json", &file], &[]);
        assert!(done.status.success(), "{}", stderr(&done));
        let summary = stdout_json(&done);
        let object = summary.as_object().expect("object");
        for key in [
            "incidents_created",
            "incidents_updated",
            "events_new",
            "messages_new",
            "mentions_new",
            "recipients_new",
            "unchanged",
            "errors",
        ] {
            assert!(object.contains_key(key), "{key} missing: {summary}");
        }
        assert!(
            !object.contains_key("sample"),
            "no message texts unless asked"
        );
        assert_eq!(
            [
                "incidents_created",
                "messages_new",
                "events_new",
                "unchanged"
            ]
            .map(|k| summary[k].as_u64()),
            [Some(1), Some(2), Some(3), Some(0)],
            "{summary}"
        );
        assert_eq!(summary["errors"], serde_json::json!([]));
        assert_eq!(incidents(&db), ["SP-Q746YBTYB6"]);

        // Asked for, the first new records come along; a second run finds nothing new.
        let again = debrief_cli(&db, &["import", "--json", "--sample", &file], &[]);
        let summary = stdout_json(&again);
        assert_eq!(summary["unchanged"], 5);
        assert_eq!(summary["sample"], serde_json::json!([]));
        // Without --json the summary is a short text.
        let text = debrief_cli(&db, &["import", &file], &[]);
        let out = String::from_utf8_lossy(&text.stdout);
        assert!(
            out.contains("0 new, 0 updated") && out.contains("5 unchanged"),
            "{out}"
        );
    }
}

#[test]
fn a_bad_file_exits_non_zero_and_names_file_line_field_and_reason() {
    for db in backends() {
        state_for(&db);
        let dir = tempfile::tempdir().expect("dir");
        let incident = write(&dir, "incidents.json", INCIDENT);
        let table = write(&dir, "updates.csv", TABLE);

        let out = debrief_cli(&db, &["import", "--json", &incident, &table], &[]);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("1 error(s); nothing was stored"),
            "{}",
            stderr(&out)
        );
        let summary = stdout_json(&out);
        assert_eq!(summary["error_count"], 1);
        let e = &summary["errors"][0];
        assert_eq!(e["file"].as_str(), Some(table.as_str()));
        assert_eq!(
            (e["line"].as_u64(), e["field"].as_str()),
            (Some(3), Some("audiences")),
            "{e}"
        );
        assert!(
            e["reason"].as_str().is_some_and(|r| r.contains("martians")),
            "{e}"
        );
        assert!(incidents(&db).is_empty(), "{:?}", db.backend);

        // Fixed, the table joins the incident the other file describes.
        let fixed = write(&dir, "updates.csv", &TABLE.replace("martians", "customers"));
        let out = debrief_cli(&db, &["import", "--new", "--json", &incident, &fixed], &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        let summary = stdout_json(&out);
        assert_eq!(
            (
                summary["incidents_created"].as_u64(),
                summary["incidents_updated"].as_u64(),
                summary["messages_new"].as_u64()
            ),
            (Some(1), Some(0), Some(4))
        );
    }
}

#[test]
fn records_without_an_incident_need_one_to_go_to() {
    let db = TestDb::sqlite();
    state_for(&db);
    let dir = tempfile::tempdir().expect("dir");
    let table = write(&dir, "updates.csv", &TABLE.replace("martians", "customers"));
    let first = write(&dir, "a.json", INCIDENT);
    let second = write(&dir, "b.json", SECOND_INCIDENT);

    let alone = debrief_cli(&db, &["import", "--new", "--json", &table], &[]);
    assert!(!alone.status.success());
    let reason = stdout_json(&alone)["errors"][0]["reason"]
        .as_str()
        .map(str::to_string);
    assert!(
        reason
            .as_deref()
            .is_some_and(|r| r.contains("holds records but no incident")),
        "{reason:?}"
    );

    let ambiguous = debrief_cli(&db, &["import", "--json", &first, &second, &table], &[]);
    assert!(!ambiguous.status.success());
    let summary = stdout_json(&ambiguous);
    assert_eq!(summary["error_count"], 1, "{summary}");
    let e = &summary["errors"][0];
    assert_eq!(e["file"].as_str(), Some(table.as_str()));
    let reason = e["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("describe 2 incidents (SP-Q746YBTYB6, SP-WQFK9MZS5Q)")
            && reason.contains("--incident KEY"),
        "{reason}"
    );
    assert!(incidents(&db).is_empty());

    // Named, the incident takes them.
    let out = debrief_cli(&db, &["import", &first, &second], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = debrief_cli(
        &db,
        &["import", "--incident", "sp-wqfk9mzs5q", "--json", &table],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["messages_new"], 2);

    // --incident and --new contradict each other.
    let both = debrief_cli(&db, &["import", "--new", "--incident", "X", &table], &[]);
    assert!(!both.status.success());
    assert!(stderr(&both).contains("--new"), "{}", stderr(&both));
}

/// Just over 1 MB of a plausible table.
fn over_one_megabyte() -> Vec<u8> {
    let mut text = String::from("time,audience,channel,message\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("2026-03-10 09:10,employees,email,The mail service is slow; we are on it.\n");
    }
    text.into_bytes()
}

#[test]
fn the_command_line_refuses_a_file_over_the_upload_limit() {
    let db = TestDb::sqlite();
    state_for(&db);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("big.csv");
    std::fs::write(&path, over_one_megabyte()).expect("write");
    let out = debrief_cli(
        &db,
        &[
            "import",
            "--incident",
            "INC-1",
            path.to_str().expect("path"),
        ],
        &[("DEBRIEF_UPLOAD_LIMIT_MB", "1")],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is over the upload limit of 1 MB (upload_limit_mb)"),
        "{}",
        stderr(&out)
    );
}

#[actix_web::test]
async fn the_api_and_the_upload_form_answer_413_over_the_limit() {
    let db = TestDb::sqlite();
    let mut config = config_for(&db);
    config.upload_limit_mb = 1;
    let state = debrief::app::AppState::build(config).expect("state");
    let editor =
        crate::common::create_user(&state, "editor@firma.ch", debrief::domain::Role::Editor);
    let token = debrief::accounts::create_api_token(
        &mut state.pool.get().expect("c"),
        &editor,
        "ci",
        &Actor::cli(),
    )
    .expect("token");
    let big = over_one_megabyte();

    let mut api = crate::app!(state);
    api.bearer = Some(token);
    let refused = api
        .request(
            Method::POST,
            "/api/v1/imports?file_name=big.csv&incident=INC-1",
            Some(("text/csv", big.clone())),
            &[],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        refused.body
    );
    let body = refused.json();
    assert_eq!(body["code"], "payload_too_large");
    assert_eq!(
        body["message"],
        "the files are larger than the upload limit of 1 MB (upload_limit_mb)"
    );
    // Within the limit, the same route reads the file.
    let small = api
        .request(
            Method::POST,
            "/api/v1/imports?file_name=small.csv&incident=INC-1&dry_run=true",
            Some(("text/csv", big[..1000].to_vec())),
            &[],
        )
        .await;
    assert_eq!(small.status, StatusCode::OK, "{}", small.body);

    let mut web = crate::app!(state);
    web.login("editor@firma.ch", crate::common::ADMIN_PASSWORD)
        .await;
    let csrf = web.get("/imports/new").await.csrf().expect("csrf");
    let boundary = "limit-boundary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&big);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let page = web
        .request(
            Method::POST,
            &format!(
                "/imports/preview?csrf_token={}",
                url::form_urlencoded::byte_serialize(csrf.as_bytes()).collect::<String>()
            ),
            Some((&format!("multipart/form-data; boundary={boundary}"), form)),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.body.contains("larger than the upload limit of 1 MB")
            || page.body.contains("größer als die Upload-Grenze von 1 MB"),
        "{}",
        page.body
    );
}
