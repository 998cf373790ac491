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
        assert_eq!((s.incidents_created, s.messages_new, s.skipped), (1, 1, 1));
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

/// Every file under ../shared/data/real, by folder; None (with a message) when it is absent.
/// SOURCES.md at the top holds the notes on the data, not data.
fn real_sets() -> Option<std::collections::BTreeMap<String, Vec<SourceFile>>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED: the real data is not at {} (tests read it from ../shared/data/real)",
            root.display()
        );
        return None;
    }
    let mut sets: std::collections::BTreeMap<String, Vec<SourceFile>> = Default::default();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(&root).expect("under the root");
            if relative == std::path::Path::new("SOURCES.md") {
                continue;
            }
            let set = relative
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            sets.entry(set).or_default().push(SourceFile {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes: std::fs::read(&path).expect("read"),
            });
        }
    }
    for files in sets.values_mut() {
        files.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Some(sets)
}

fn incident(state: &debrief::app::AppState, key: &str) -> debrief::incidents::IncidentTimeline {
    debrief::incidents::timeline(&mut state.pool.get().expect("c"), key)
        .unwrap_or_else(|e| panic!("{key}: {e}"))
}

fn at(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

/// Every real file imports through the pipeline on both backends, set by set, with the counts
/// and times SOURCES.md gives; a second import finds nothing new. A file in a folder this test
/// does not know fails it: every file there must be accounted for.
#[test]
fn all_real_status_page_data_imports_on_both_backends() {
    let Some(sets) = real_sets() else { return };
    let names: Vec<&str> = sets.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "cstate_de_schullogin",
            "statuspage/github_incidents",
            "statuspage/small"
        ],
        "a folder of real data without expectations here"
    );
    for db in backends() {
        let state = state_for(&db);
        for (set, files) in &sets {
            let s = match set.as_str() {
                "statuspage/github_incidents" => real_github(&state, files),
                "statuspage/small" => real_small(&state, files),
                _ => real_cstate(&state, files),
            };
            assert_eq!(s.formats.len(), files.len(), "{set}: every file read");
            let again = run(&state, files, &berlin(request(false)));
            assert_eq!(
                (
                    again.incidents_created,
                    again.incidents_updated,
                    again.messages_new,
                    again.events_new,
                    again.error_count
                ),
                (0, 0, 0, 0, 0),
                "{set} {:?}: a second import adds nothing",
                db.backend
            );
        }
    }
}

/// The cState posts' times are Berlin time without an offset.
fn berlin(mut req: ImportRequest) -> ImportRequest {
    req.read.tz = chrono_tz::Europe::Berlin;
    req
}

fn real_github(state: &debrief::app::AppState, files: &[SourceFile]) -> ImportSummary {
    assert_eq!(files.len(), 1282);
    let s = run(state, files, &request(false));
    assert_eq!(s.error_count, 0, "{:?}", &s.errors[..s.errors.len().min(5)]);
    assert_eq!(s.incidents_created, 1282);
    // 1,969 ordinary updates plus 2,175 entries of legacy HTML timelines; 3 exact repeats
    // (same time, text and channel) are recognised as one.
    assert_eq!(s.messages_new + s.unchanged, 4144);
    assert_eq!(s.unchanged, 3);
    let mut conn = state.pool.get().expect("c");
    let all: Vec<_> = debrief::db::incidents::list(&mut conn, &Default::default())
        .expect("list")
        .into_iter()
        .filter(|i| s.incidents.contains(&i.key))
        .collect();
    assert_eq!(all.len(), 1282);
    // A legacy incident's timeline comes from its HTML list, not from the 2018 migration date:
    // of the 832 legacy incidents migrated on 2018-12-05, all start before it but one written
    // in the new place the day after (its list has times of day only).
    let before_migration = all
        .iter()
        .filter(|i| i.detected_at.and_utc().timestamp() < 1_543_968_000)
        .count();
    assert_eq!(before_migration, 831);
    assert!(
        all.iter()
            .all(|i| i.resolved_at.is_some_and(|r| r >= i.detected_at))
    );
    drop(conn);
    let late = incident(state, "SP-1BVL46BPR0");
    assert_eq!(at(late.incident.detected_at), "2018-12-06 15:14:00.000");
    // One of each kind, to the millisecond: a current incident (newest update first in the
    // file) and a legacy one whose list starts years before the update that holds it.
    let current = incident(state, "SP-00KM0KWPZ2");
    assert_eq!(at(current.incident.detected_at), "2023-01-10 17:04:42.462");
    assert_eq!(
        current.incident.resolved_at.map(at).as_deref(),
        Some("2023-01-10 18:14:45.860")
    );
    assert_eq!(current.messages.len(), 4);
    let legacy = incident(state, "SP-5NCKQ47XRZ");
    assert_eq!(at(legacy.incident.detected_at), "2012-02-17 21:21:11.000");
    assert!(
        legacy
            .messages
            .iter()
            .all(|m| m.sent_at.and_utc().timestamp() < 1_543_968_000)
    );
    for tl in [&current, &legacy] {
        let times: Vec<_> = tl.messages.iter().map(|m| m.sent_at).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }
    s
}

/// SOURCES.md: Cloudflare's excerpt holds 2 incidents with 6 updates and `\r\n` in bodies;
/// Discord's documentation 1 incident trimmed to 1 update and a 2015 planned maintenance
/// (scheduled_for/until, scheduled → completed, emoji), beside JSON that is no incident.
fn real_small(state: &debrief::app::AppState, files: &[SourceFile]) -> ImportSummary {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "statuspage_cloudflare_in_cloudflared_test.go",
            "statuspage_discord_in_discord-undoc_status_api.md"
        ]
    );
    let s = run(state, files, &request(false));
    assert_eq!(s.error_count, 0, "{:?}", s.errors);
    assert!(
        s.formats.iter().all(|(_, f)| f == "statuspage"),
        "{:?}",
        s.formats
    );
    assert_eq!((s.incidents_created, s.messages_new), (4, 6 + 1 + 1));

    let api = incident(state, "SP-Q746YBTYB6");
    assert_eq!(api.incident.title, "Cloudflare API service issues");
    assert_eq!(at(api.incident.detected_at), "2018-09-17 19:29:21.132");
    assert_eq!(
        api.incident.resolved_at.map(at).as_deref(),
        Some("2018-09-18 07:45:41.290")
    );
    let times: Vec<String> = api.messages.iter().map(|m| at(m.sent_at)).collect();
    assert_eq!(
        times,
        [
            "2018-09-17 19:29:21.201",
            "2018-09-17 19:30:08.049",
            "2018-09-17 21:35:06.492",
            "2018-09-18 07:45:41.290"
        ]
    );
    assert_eq!(
        api.messages[2].body,
        "Cloudflare has implemented a fix for this issue and is currently monitoring the results.\n\nWe will update the status once the issue is resolved."
    );
    let analytics = incident(state, "SP-WQFK9MZS5Q");
    assert_eq!(analytics.messages.len(), 2);
    assert_eq!(
        at(analytics.incident.detected_at),
        "2018-09-17 18:05:39.907"
    );

    let discord = incident(state, "SP-N4NJZFN1MQ");
    assert_eq!(at(discord.incident.detected_at), "2022-02-15 21:14:17.744");
    assert_eq!(
        discord.incident.resolved_at.map(at).as_deref(),
        Some("2022-02-15 21:37:37.388")
    );
    assert_eq!(discord.messages.len(), 1);
    assert_eq!(at(discord.messages[0].sent_at), "2022-02-15 21:14:17.849");

    let maintenance = incident(state, "SP-CHKT3CR0JF");
    let m = &maintenance.incident;
    assert_eq!((m.kind.as_str(), m.status.as_str()), ("other", "closed"));
    assert!(m.title.contains("(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice"), "{}", m.title);
    assert_eq!(at(m.detected_at), "2015-09-19 01:20:40.535");
    assert_eq!(
        m.resolved_at.map(at).as_deref(),
        Some("2015-09-22 09:25:20.034")
    );
    assert_eq!(
        m.summary,
        "Planned maintenance from 2015-09-22 08:00 to 2015-09-22 08:30 (UTC)"
    );
    let events: Vec<(&str, String)> = maintenance
        .events
        .iter()
        .map(|e| (e.kind.as_str(), at(e.occurred_at)))
        .collect();
    assert_eq!(
        events,
        [
            ("note", "2015-09-19 01:20:00.000".to_string()),
            ("detected", "2015-09-19 01:20:40.535".to_string()),
            ("note", "2015-09-22 08:00:00.000".to_string()),
            ("resolved", "2015-09-22 09:25:20.034".to_string()),
        ]
    );
    assert!(maintenance.messages[0].body.contains("〜(￣▽￣〜)"));
    for tl in [&api, &analytics, &discord, &maintenance] {
        assert!(tl.messages.iter().all(|m| !m.body.contains('\r')));
    }
    s
}

/// SOURCES.md: the 60 oldest German cState posts, Berlin time without offsets, with dirt
/// (blank lines before the front matter, month 13, hour 24).
fn real_cstate(state: &debrief::app::AppState, files: &[SourceFile]) -> ImportSummary {
    assert_eq!(files.len(), 60);
    let c = run(state, files, &berlin(request(false)));
    assert_eq!(
        (c.error_count, c.incidents_created, c.messages_new),
        (0, 60, 84),
        "{:?}",
        &c.errors[..c.errors.len().min(5)]
    );
    let mut conn = state.pool.get().expect("c");
    let all = debrief::db::incidents::list(&mut conn, &Default::default()).expect("list");
    // Titles repeat; the post is the one of that day.
    let by_title = |title: &str, day: &str| {
        all.iter()
            .find(|i| i.title == title && i.detected_at.date().to_string() == day)
            .unwrap_or_else(|| panic!("no incident {title} on {day}"))
    };
    // Winter time: 07:00 in Berlin is 06:00 UTC.
    let bbb = by_title("BigBlueButton von Schullogin - Down", "2022-01-03");
    assert_eq!(at(bbb.detected_at), "2022-01-03 06:00:00.000");
    assert_eq!(
        bbb.resolved_at.map(at).as_deref(),
        Some("2022-01-03 07:30:00.000")
    );
    // Summer time, and `24:00` as midnight of the next day.
    let router = by_title(
        "Software-Update Core-Router TU Dresden (01.06.2023)",
        "2023-06-01",
    );
    assert_eq!(at(router.detected_at), "2023-06-01 15:00:00.000");
    assert_eq!(
        router.resolved_at.map(at).as_deref(),
        Some("2023-06-01 22:00:00.000")
    );
    assert!(
        all.iter()
            .filter(|i| c.incidents.contains(&i.key))
            .all(|i| i.resolved_at.is_none_or(|r| r >= i.detected_at))
    );
    c
}

/// The same Statuspage incident through both views of its page: the API's `incidents.json`
/// and the history feed (times to the minute, status words in the text, no update ids).
const CLOUDFLARE_JSON: &str = r#"{"page": {"id": "yh6f0r4529hb", "name": "Cloudflare", "url": "https://www.cloudflarestatus.com", "time_zone": "Etc/UTC"},
  "incidents": [{"id": "q746ybtyb6q0", "name": "Cloudflare API service issues", "status": "resolved", "impact": "minor",
    "created_at": "2018-09-17T19:29:21.132Z", "resolved_at": "2018-09-18T07:45:41.290Z", "page_id": "yh6f0r4529hb",
    "incident_updates": [
      {"id": "zl5g2pl5zhfs", "status": "resolved", "body": "Cloudflare has resolved the issue and the service have resumed normal operation.",
       "created_at": "2018-09-18T07:45:41.290Z", "display_at": "2018-09-18T07:45:41.290Z"},
      {"id": "0001sv3chdnx", "status": "monitoring", "body": "Cloudflare has implemented a fix for this issue and is currently monitoring the results.\r\n\r\nWe will update the status once the issue is resolved.",
       "created_at": "2018-09-17T21:35:06.492Z", "display_at": "2018-09-17T21:35:06.492Z"},
      {"id": "qdr164tfpq7m", "status": "investigating", "body": "We are continuing to investigate this issue.",
       "created_at": "2018-09-17T19:30:08.049Z", "display_at": "2018-09-17T19:30:08.049Z"},
      {"id": "qzl2n0q8tskg", "status": "investigating", "body": "Cloudflare is investigating issues with APIs and Page Rule delays for Page Rule updates.",
       "created_at": "2018-09-17T19:29:21.201Z", "display_at": "2018-09-17T19:29:21.201Z"}]}]}"#;

fn cloudflare_feed() -> String {
    let update = |month_day: &str, time: &str, status: &str, body: &str| {
        let (month, day) = month_day.split_once(' ').expect("date");
        format!(
            "<p><small>{month} <var data-var='date'>{day}</var>, <var data-var='time'>{time}</var> UTC</small><br><strong>{status}</strong> - {body}</p>"
        )
    };
    let html = [
        update("Sep 18", "07:45", "Resolved", "Cloudflare has resolved the issue and the service have resumed normal operation."),
        update("Sep 17", "21:35", "Monitoring", "Cloudflare has implemented a fix for this issue and is currently monitoring the results.<br /><br />We will update the status once the issue is resolved."),
        update("Sep 17", "19:30", "Update", "We are continuing to investigate this issue."),
        update("Sep 17", "19:29", "Investigating", "Cloudflare is investigating issues with APIs and Page Rule delays for Page Rule updates."),
    ]
    .concat();
    let escaped = html
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
  <id>tag:www.cloudflarestatus.com,2005:/history</id>
  <link rel="alternate" type="text/html" href="https://www.cloudflarestatus.com"/>
  <title>Cloudflare Status - Incident History</title>
  <updated>2018-09-18T07:45:41Z</updated>
  <entry>
    <id>tag:www.cloudflarestatus.com,2005:Incident/2245139</id>
    <published>2018-09-17T19:29:21Z</published>
    <updated>2018-09-18T07:45:41Z</updated>
    <link rel="alternate" type="text/html" href="https://www.cloudflarestatus.com/incidents/q746ybtyb6q0"/>
    <title>Cloudflare API service issues</title>
    <content type="html">{escaped}</content>
  </entry>
</feed>"#
    )
}

#[test]
fn a_feed_and_an_api_export_of_the_same_page_make_one_incident() {
    for feed_first in [false, true] {
        for db in backends() {
            let state = state_for(&db);
            let json = file("incidents.json", CLOUDFLARE_JSON);
            let feed = file("history.atom", &cloudflare_feed());
            let (first, second) = if feed_first {
                (feed, json)
            } else {
                (json, feed)
            };
            let a = run(&state, std::slice::from_ref(&first), &request(false));
            assert_eq!(
                (a.incidents_created, a.messages_new, a.error_count),
                (1, 4, 0),
                "{:?}",
                a.errors
            );
            let b = run(&state, std::slice::from_ref(&second), &request(false));
            assert_eq!(
                (
                    b.incidents_created,
                    b.incidents_updated,
                    b.messages_new,
                    b.events_new,
                    b.error_count
                ),
                (0, 0, 0, 0, 0),
                "feed first: {feed_first}; the second view adds nothing: {:?}",
                b.sample
            );
            assert_eq!(b.unchanged, 8, "4 updates and 4 status events");
            let all = debrief::db::incidents::list(
                &mut state.pool.get().expect("c"),
                &Default::default(),
            )
            .expect("list");
            assert_eq!(all.len(), 1);
            let tl = incident(&state, "SP-Q746YBTYB6");
            assert_eq!(tl.messages.len(), 4);
            let kinds: Vec<&str> = tl.events.iter().map(|e| e.kind.as_str()).collect();
            assert_eq!(
                kinds,
                ["detected", "acknowledged", "monitoring", "resolved"]
            );
        }
    }
}

/// More than a thousand bad rows: every one is counted, the preview lists the first 200, and
/// when skipping is asked for the import batch names every row it left out.
#[test]
fn every_bad_row_is_counted_and_every_skipped_row_is_listed_in_the_batch() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("c"), &Actor::cli()).expect("demo");
        let (rows, bad) = (1_500usize, 1_250usize);
        let mut csv = String::from("Zeitpunkt;Zielgruppe;Kanal;Nachricht\n");
        let mut bad_lines = Vec::new();
        for i in 0..rows {
            let when = if i < bad {
                bad_lines.push(i + 2);
                format!("{}.13.2026 10:00", 1 + i % 28)
            } else {
                format!("10.03.2026 {:02}:{:02}", 9 + i / 600, (i / 10) % 60)
            };
            csv.push_str(&format!("{when};Mitarbeitende;Intranet;Lagebild {i}\n"));
        }
        let mut req = request(true);
        req.target = Target::Existing("INC-2026-014".into());
        let preview = run(&state, &[file("viele.csv", &csv)], &req);
        assert_eq!(preview.error_count, bad, "{:?}", db.backend);
        assert_eq!(preview.errors.len(), pipeline::MAX_LISTED_ERRORS);
        assert!(
            preview
                .errors
                .iter()
                .all(|e| e.field == "Zeitpunkt" && e.file == "viele.csv")
        );

        req.dry_run = false;
        req.skip_invalid = true;
        let stored = run(&state, &[file("viele.csv", &csv)], &req);
        assert!(stored.committed);
        assert_eq!(
            (stored.messages_new, stored.skipped, stored.error_count),
            (rows - bad, bad, bad)
        );
        #[derive(diesel::QueryableByName)]
        struct Skipped {
            #[diesel(sql_type = diesel::sql_types::Text)]
            skipped: String,
        }
        use diesel::RunQueryDsl;
        let batches =
            diesel::sql_query("SELECT skipped FROM import_batches WHERE file_name = 'viele.csv'")
                .load::<Skipped>(&mut state.pool.get().expect("c"))
                .expect("batches");
        assert_eq!(batches.len(), 1, "the dry run left no batch");
        let listed: Vec<serde_json::Value> =
            serde_json::from_str(&batches[0].skipped).expect("json");
        let lines: Vec<usize> = listed
            .iter()
            .filter_map(|e| e["line"].as_u64().map(|l| l as usize))
            .collect();
        assert_eq!(lines, bad_lines);
        assert!(
            listed
                .iter()
                .all(|e| e["field"] == "Zeitpunkt" && e["reason"].as_str().is_some())
        );
    }
}

/// A table larger than one batch: all rows arrive, a bad row refuses the whole file, and with
/// "skip invalid" only the bad row is left out and named in the import batch.
#[test]
fn a_large_table_streams_in_batches_and_skips_only_the_rows_asked_to() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("c"), &Actor::cli()).expect("demo");
        let rows = debrief::import::csv::BATCH_ROWS * 2 + 17;
        let bad_line = 1_000;
        let mut csv = String::from("Zeitpunkt;Zielgruppe;Kanal;Nachricht\n");
        for i in 0..rows {
            let line = i + 2;
            let when = if line == bad_line {
                "31.02.2026 10:00".to_string()
            } else {
                format!("10.03.2026 {:02}:{:02}", 8 + i / 3600, (i / 60) % 60)
            };
            csv.push_str(&format!(
                "{when};Mitarbeitende;E-Mail;Meldung {i}: Der Mailversand ist gestört.\n"
            ));
        }
        let mut req = request(false);
        req.target = Target::Existing("INC-2026-014".into());
        let refused = run(&state, &[file("gross.csv", &csv)], &req);
        assert!(!refused.committed);
        assert_eq!(refused.error_count, 1, "{:?}", refused.errors);
        assert_eq!(refused.errors[0].line, Some(bad_line));
        assert_eq!(refused.messages_new, 0);

        req.skip_invalid = true;
        let stored = run(&state, &[file("gross.csv", &csv)], &req);
        assert!(stored.committed, "{:?}", stored.errors);
        assert_eq!((stored.messages_new, stored.skipped), (rows - 1, 1));
        let tl = debrief::incidents::timeline(&mut state.pool.get().expect("c"), "INC-2026-014")
            .expect("timeline");
        let imported = tl
            .messages
            .iter()
            .filter(|m| m.body.starts_with("Meldung "))
            .count();
        assert_eq!(imported, rows - 1, "{:?}", db.backend);
        // The earliest row of the file is the first message to the audience.
        let first = tl
            .messages
            .iter()
            .find(|m| m.body.starts_with("Meldung 0:"))
            .expect("row 0");
        assert_eq!(first.kind.as_str(), "initial");

        let again = run(&state, &[file("gross.csv", &csv)], &req);
        assert_eq!((again.messages_new, again.unchanged), (0, rows - 1));
    }
}

/// Known records are looked up batch by batch: a row is known by its external id even when its
/// time changed (looked up by id), and by its content when it has no id (looked up by time),
/// across batches of one file and across imports.
#[test]
fn rows_are_known_by_id_or_content_across_batches() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("c"), &Actor::cli()).expect("demo");
        let rows = debrief::import::csv::BATCH_ROWS * 2 + 5;
        let table = |minute_shift: usize, with_ids: bool| {
            let mut csv = String::from("Zeitpunkt;Zielgruppe;Kanal;Nachricht;ID\n");
            for i in 0..rows {
                let m = i + minute_shift;
                let id = if with_ids {
                    format!("m{i}")
                } else {
                    String::new()
                };
                csv.push_str(&format!(
                    "10.03.2026 {:02}:{:02};Kunden;E-Mail;Lagebild {i};{id}\n",
                    8 + m / 60 % 12,
                    m % 60
                ));
            }
            // The last row repeats the first one word for word (in the last batch).
            let first = csv.lines().nth(1).unwrap_or_default().to_string();
            csv.push_str(&first);
            csv.push('\n');
            csv
        };
        let mut req = request(false);
        req.target = Target::Existing("INC-2026-021".into());
        let with_ids = run(&state, &[file("ids.csv", &table(0, true))], &req);
        assert_eq!(
            (
                with_ids.messages_new,
                with_ids.unchanged,
                with_ids.error_count
            ),
            (rows, 1, 0),
            "{:?}",
            with_ids.errors
        );
        // Every row an hour later, the same ids: nothing new.
        let moved = run(&state, &[file("ids.csv", &table(60, true))], &req);
        assert_eq!(
            (moved.messages_new, moved.unchanged),
            (0, rows + 1),
            "{:?}",
            db.backend
        );

        req.target = Target::Existing("INC-2026-014".into());
        let plain = run(&state, &[file("plain.csv", &table(0, false))], &req);
        assert_eq!((plain.messages_new, plain.unchanged), (rows, 1));
        let again = run(&state, &[file("plain.csv", &table(0, false))], &req);
        assert_eq!((again.messages_new, again.unchanged), (0, rows + 1));
    }
}
