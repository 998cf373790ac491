//! The import pipeline against real databases: round trip, idempotency, all-or-nothing, dry run,
//! and the same Statuspage incident from two sources.

use debrief::db::audit::Actor;
use debrief::import::ReadOptions;
use debrief::import::pipeline::{self, ImportRequest, ImportSummary, SourceFile, Target};

use crate::common::{backends, state_for};

fn request(dry_run: bool) -> ImportRequest {
    ImportRequest {
        format: None,
        target: Target::FromFiles,
        dry_run,
        skip_invalid: false,
        read: ReadOptions::default(),
    }
}

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn run(state: &debrief::app::AppState, files: &[SourceFile], req: &ImportRequest) -> ImportSummary {
    pipeline::run(
        &mut state.pool.get().expect("conn"),
        files,
        req,
        &Actor::cli(),
    )
    .expect("import")
}

fn real(path: &str) -> Option<String> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real")
        .join(path);
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(t),
        Err(_) => {
            eprintln!("SKIPPED: {} is absent", p.display());
            None
        }
    }
}

#[test]
fn an_export_imports_back_to_an_identical_incident() {
    for db in backends() {
        let source = state_for(&db);
        debrief::demo::load(&mut source.pool.get().expect("c"), &Actor::cli()).expect("demo");
        let exported = |state: &debrief::app::AppState, key: &str| {
            let tl =
                debrief::incidents::timeline(&mut state.pool.get().expect("c"), key).expect("tl");
            serde_json::to_string_pretty(&debrief::bundle::export(&tl)).expect("json")
        };
        for key in ["INC-2026-014", "INC-2026-021"] {
            let first = exported(&source, key);
            let target_db = crate::common::TestDb::sqlite();
            let target = state_for(&target_db);
            let s = run(&target, &[file("export.json", &first)], &request(false));
            assert_eq!(
                (s.incidents_created, s.error_count),
                (1, 0),
                "{:?}",
                s.errors
            );
            assert_eq!(exported(&target, key), first, "{:?} {key}", db.backend);
            // Importing it into the database it came from changes nothing.
            let again = run(&source, &[file("export.json", &first)], &request(false));
            assert_eq!((again.incidents_created, again.incidents_updated), (0, 0));
            assert!(again.unchanged > 0 && again.messages_new == 0);
        }
    }
}

#[test]
fn a_bad_record_stores_nothing_and_is_named_precisely() {
    for db in backends() {
        let state = state_for(&db);
        let text = r#"{"format": "debrief-incident/1",
          "incident": {"key": "INC-9", "title": "Test", "kind": "it_outage", "severity": "sev2", "language": "en",
                       "detected_at": "2026-01-05T08:00:00Z", "audiences": ["customers"]},
          "events": [{"occurred_at": "2026-01-05T08:00:00Z", "kind": "detected"}],
          "messages": [
            {"sent_at": "2026-01-05T08:10:00Z", "audiences": ["customers"], "channel": "email", "body": "Down.", "language": "en", "kind": "initial"},
            {"sent_at": "2026-01-05T08:40:00Z", "audiences": ["martians"], "channel": "pigeon", "body": "Still down.", "language": "en", "kind": "update"}
          ]}"#;
        let s = run(&state, &[file("bad.json", text)], &request(false));
        assert!(!s.committed);
        assert_eq!(s.error_count, 2, "{:?}", s.errors);
        assert!(
            s.errors
                .iter()
                .all(|e| e.file == "bad.json" && e.record.as_deref() == Some("messages[1]"))
        );
        let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"channel") && fields.contains(&"audiences"),
            "{fields:?}"
        );
        assert!(
            debrief::db::incidents::list(&mut state.pool.get().expect("c"), &Default::default())
                .expect("l")
                .is_empty(),
            "all or nothing"
        );

        // Skipping invalid records on request: the rest is stored and the skip is reported.
        let mut skip = request(false);
        skip.skip_invalid = true;
        let s = run(&state, &[file("bad.json", text)], &skip);
        assert!(s.committed);
        assert_eq!((s.incidents_created, s.messages_new, s.skipped), (1, 1, 2));
    }
}

#[test]
fn a_dry_run_reports_what_a_commit_would_do_and_stores_nothing() {
    let db = crate::common::TestDb::sqlite();
    let state = state_for(&db);
    let Some(text) = real("statuspage/github_incidents/00km0kwpz23b.json") else {
        return;
    };
    let preview = run(&state, &[file("i.json", &text)], &request(true));
    assert!(preview.dry_run && !preview.committed);
    assert_eq!(preview.incidents_created, 1);
    assert!(preview.messages_new >= 1 && !preview.sample.is_empty());
    assert!(
        debrief::db::incidents::list(&mut state.pool.get().expect("c"), &Default::default())
            .expect("l")
            .is_empty()
    );
    let commit = run(&state, &[file("i.json", &text)], &request(false));
    assert_eq!(
        (
            commit.incidents_created,
            commit.messages_new,
            commit.events_new
        ),
        (1, preview.messages_new, preview.events_new)
    );
}

#[test]
fn the_same_statuspage_incident_from_two_files_is_one_incident_and_reimports_add_only_what_is_new()
{
    for db in backends() {
        let state = state_for(&db);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/real/statuspage/github_incidents");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("SKIPPED: {} is absent", dir.display());
            return;
        };
        let mut names: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        names.sort();
        let docs: Vec<serde_json::Value> = names
            .iter()
            .take(40)
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
            })
            .collect();
        // An incidents.json holding the first 30 incidents, newest updates first as the API sends them.
        let list = |n: usize| {
            serde_json::json!({
                "page": docs[0]["page"],
                "incidents": docs.iter().take(n).map(|d| d["incident"].clone()).collect::<Vec<_>>(),
            })
            .to_string()
        };
        let first = run(
            &state,
            &[file("incidents.json", &list(30))],
            &request(false),
        );
        assert_eq!(
            (first.incidents_created, first.error_count),
            (30, 0),
            "{:?}",
            first.errors
        );
        // The single-incident documents of the same incidents, plus ten more.
        let singles: Vec<SourceFile> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| file(&format!("{i}.json"), &d.to_string()))
            .collect();
        let second = run(&state, &singles, &request(false));
        assert_eq!(
            second.incidents_created, 10,
            "only the ten incidents not seen before are new"
        );
        assert_eq!(second.incidents_updated, 0);
        assert!(second.unchanged >= first.messages_new);
        let count =
            debrief::db::incidents::list(&mut state.pool.get().expect("c"), &Default::default())
                .expect("l")
                .len();
        assert_eq!(count, 40, "{:?}", db.backend);
        // An extended file: one more update on a known incident is the only new record.
        let mut extended = docs[0].clone();
        let updates = extended["incident"]["incident_updates"]
            .as_array_mut()
            .expect("updates");
        let mut extra = updates[0].clone();
        extra["id"] = serde_json::json!("extra-update-1");
        extra["body"] = serde_json::json!("A follow-up: we have published a detailed report.");
        extra["status"] = serde_json::json!("postmortem");
        updates.insert(0, extra);
        let third = run(
            &state,
            &[file("x.json", &extended.to_string())],
            &request(false),
        );
        assert_eq!(
            (
                third.incidents_updated,
                third.messages_new,
                third.incidents_created
            ),
            (1, 1, 0),
            "{:?}",
            third.errors
        );
    }
}

#[actix_web::test]
async fn the_api_imports_a_file_body_and_exports_it_back() {
    use actix_web::http::{Method, StatusCode};
    for db in backends() {
        let state = state_for(&db);
        let editor =
            crate::common::create_user(&state, "editor@firma.ch", debrief::domain::Role::Editor);
        let token = debrief::accounts::create_api_token(
            &mut state.pool.get().expect("c"),
            &editor,
            "ci",
            &Actor::cli(),
        )
        .expect("t");
        let source_db = crate::common::TestDb::sqlite();
        let source = state_for(&source_db);
        debrief::demo::load(&mut source.pool.get().expect("c"), &Actor::cli()).expect("demo");
        let tl = debrief::incidents::timeline(&mut source.pool.get().expect("c"), "INC-2026-014")
            .expect("tl");
        let body = serde_json::to_vec(&debrief::bundle::export(&tl)).expect("json");

        let mut c = crate::app!(state);
        c.bearer = Some(token);
        let dry = c
            .request(
                Method::POST,
                "/api/v1/imports?file_name=inc.json&dry_run=true",
                Some(("application/json", body.clone())),
                &[],
            )
            .await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        assert_eq!(dry.json()["committed"], false);
        assert_eq!(dry.json()["messages_new"], 16);
        assert_eq!(
            c.get("/api/v1/incidents/INC-2026-014").await.status,
            StatusCode::NOT_FOUND
        );
        let done = c
            .request(
                Method::POST,
                "/api/v1/imports?file_name=inc.json",
                Some(("application/json", body.clone())),
                &[],
            )
            .await;
        let summary = done.json();
        assert_eq!(
            (
                summary["incidents_created"].as_u64(),
                summary["events_new"].as_u64()
            ),
            (Some(1), Some(11))
        );
        let again = c
            .request(
                Method::POST,
                "/api/v1/imports?file_name=inc.json",
                Some(("application/json", body.clone())),
                &[],
            )
            .await;
        assert_eq!(
            again.json()["unchanged"],
            31,
            "11 events + 16 messages + 4 mentions"
        );
        let exported = c.get("/api/v1/incidents/INC-2026-014/export.json").await;
        assert_eq!(exported.json(), debrief::bundle::export(&tl));
        let junk = c
            .request(
                Method::POST,
                "/api/v1/imports?file_name=junk.bin",
                Some(("application/octet-stream", vec![0, 159, 146, 150, 0, 1])),
                &[],
            )
            .await;
        assert_eq!(junk.json()["committed"], false);
        assert_eq!(junk.json()["errors"][0]["file"], "junk.bin");
    }
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

#[actix_web::test]
async fn an_editor_previews_an_upload_then_commits_or_sees_every_error() {
    use actix_web::http::{Method, StatusCode};
    for db in backends() {
        let state = state_for(&db);
        crate::common::create_user(&state, "editor@firma.ch", debrief::domain::Role::Editor);
        let source_db = crate::common::TestDb::sqlite();
        let source = state_for(&source_db);
        debrief::demo::load(&mut source.pool.get().expect("c"), &Actor::cli()).expect("demo");
        let tl = debrief::incidents::timeline(&mut source.pool.get().expect("c"), "INC-2026-014")
            .expect("tl");
        let export = serde_json::to_vec(&debrief::bundle::export(&tl)).expect("json");

        let mut c = crate::app!(state);
        c.login("editor@firma.ch", crate::common::ADMIN_PASSWORD)
            .await;
        let form = c.get("/imports/new").await;
        let csrf = form.csrf().expect("csrf");
        let boundary = "XyZzYboundary";
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let upload =
            |files: &[(&str, &[u8])]| multipart(boundary, &[("tz", "Europe/Zurich")], files);

        let preview = c
            .request(
                Method::POST,
                &format!("/imports/preview?csrf_token={}", urlencode(&csrf)),
                Some((&content_type, upload(&[("outage.json", &export)]))),
                &[],
            )
            .await;
        assert_eq!(
            preview.status,
            StatusCode::OK,
            "{}",
            &preview.body[..preview.body.len().min(600)]
        );
        assert!(preview.body.contains("outage.json"));
        assert!(
            debrief::db::incidents::list(&mut state.pool.get().expect("c"), &Default::default())
                .expect("l")
                .is_empty(),
            "a preview stores nothing"
        );
        let marker = "name=\"token\" value=\"";
        let start = preview.body.find(marker).expect("staged token") + marker.len();
        let token =
            preview.body[start..start + preview.body[start..].find('"').expect("end")].to_string();

        // Without the CSRF token the upload is refused.
        let forged = c
            .request(
                Method::POST,
                "/imports/preview",
                Some((&content_type, upload(&[("outage.json", &export)]))),
                &[],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        let done = c
            .post_form(
                "/imports/commit",
                &[("csrf_token", &csrf), ("token", &token)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), Some("/incidents/INC-2026-014"));
        let tl2 = debrief::incidents::timeline(&mut state.pool.get().expect("c"), "INC-2026-014")
            .expect("stored");
        assert_eq!(tl2.messages.len(), 16);
        // The staged files are gone: a second commit of the same preview does nothing.
        let again = c
            .post_form(
                "/imports/commit",
                &[("csrf_token", &csrf), ("token", &token)],
            )
            .await;
        assert_eq!(again.location(), Some("/imports/new"));

        // A broken file: every problem is listed with its place, and there is no import button.
        let bad = br#"{"format": "debrief-incident/1", "incident": {"key": "X-1", "title": "", "kind": "flood", "severity": "sev2", "language": "de", "detected_at": "2026-01-01T00:00:00Z"}}"#;
        let page = c
            .request(
                Method::POST,
                &format!("/imports/preview?csrf_token={}", urlencode(&csrf)),
                Some((&content_type, upload(&[("bad.json", bad)]))),
                &[],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("bad.json")
                && page.body.contains("incident.kind")
                && page.body.contains("incident.title"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("action=\"/imports/commit\""));
        assert!(
            debrief::db::incidents::find_by_key(&mut state.pool.get().expect("c"), "X-1")
                .expect("q")
                .is_none()
        );
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn real_files(dir: &str, ext: &str) -> Option<Vec<SourceFile>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real")
        .join(dir);
    let Ok(entries) = std::fs::read_dir(&path) else {
        eprintln!("SKIPPED: {} is absent", path.display());
        return None;
    };
    let mut files: Vec<SourceFile> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| SourceFile {
            name: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: std::fs::read(&p).expect("read"),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Some(files)
}

/// Every real file imports through the pipeline on both backends, with the counts the readers
/// promise, and a second import finds nothing new.
#[test]
fn all_real_status_page_data_imports_on_both_backends() {
    let (Some(github), Some(cstate)) = (
        real_files("statuspage/github_incidents", "json"),
        real_files("cstate_de_schullogin", "md"),
    ) else {
        return;
    };
    assert_eq!((github.len(), cstate.len()), (1282, 60));
    for db in backends() {
        let state = state_for(&db);
        let s = run(&state, &github, &request(false));
        assert_eq!(s.error_count, 0, "{:?}", &s.errors[..s.errors.len().min(5)]);
        assert_eq!(s.incidents_created, 1282);
        // 1,969 ordinary updates plus 2,175 entries of legacy HTML timelines; 3 exact repeats
        // (same time, text and channel) are recognised as one.
        assert_eq!(s.messages_new + s.unchanged, 4144, "{:?}", db.backend);
        assert_eq!(s.unchanged, 3);

        let mut berlin = request(false);
        berlin.read.tz = chrono_tz::Europe::Berlin;
        let c = run(&state, &cstate, &berlin);
        assert_eq!(
            (c.error_count, c.incidents_created, c.messages_new),
            (0, 60, 84),
            "{:?}",
            &c.errors[..c.errors.len().min(5)]
        );

        let again = run(&state, &github, &request(false));
        assert_eq!(
            (
                again.incidents_created,
                again.incidents_updated,
                again.messages_new,
                again.events_new
            ),
            (0, 0, 0, 0)
        );

        // A legacy incident's timeline comes from its HTML list, not from the 2018 migration date.
        let mut conn = state.pool.get().expect("c");
        let all = debrief::db::incidents::list(&mut conn, &Default::default()).expect("list");
        // 832 legacy incidents (2010–2018) were migrated on 2018-12-05; all of them start before it.
        let before_migration = all
            .iter()
            .filter(|i| i.detected_at.and_utc().timestamp() < 1_543_968_000)
            .count();
        assert!(
            before_migration >= 832,
            "incidents detected before the migration date: {before_migration}"
        );
        assert!(
            all.iter()
                .all(|i| i.resolved_at.is_none_or(|r| r >= i.detected_at))
        );
    }
}
