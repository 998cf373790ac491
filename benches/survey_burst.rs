//! A burst of survey responses after a large outage (issue 5's target: ≥ 2,000 responses/s with
//! 64 concurrent clients on SQLite, p99 ≤ 100 ms, each response stored exactly once), against the
//! release binary over real HTTP, beside the same server's throughput on a trivial endpoint.
//!
//! Run: `cargo bench --bench survey_burst` (builds the release binary first).
//! Options (environment): `BURST_CLIENTS` (64), `BURST_RESPONDENTS` (20000), `BURST_KEEPALIVE=1`
//! (each client keeps one connection for all its respondents instead of one per respondent), and
//! `BURST_POSTGRES=postgres://postgres@127.0.0.1:5432/test` to run on a fresh PostgreSQL database
//! (created beside that one and dropped afterwards) instead of SQLite.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use debrief::db::audit::Actor;
use debrief::surveys::model::{SurveyInput, SurveyTemplate};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A fresh PostgreSQL database next to the one `admin_url` names, dropped when this goes.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin_url: &str) -> Self {
        use diesel::prelude::*;
        let name = format!("debrief_burst_{}", std::process::id());
        let mut admin = diesel::PgConnection::establish(admin_url).expect("PostgreSQL reachable");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create database");
        let base = &admin_url[..admin_url.rfind('/').expect("a database in the URL")];
        PgDatabase {
            admin_url: admin_url.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        use diesel::prelude::*;
        if let Ok(mut admin) = diesel::PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

fn config(dir: &std::path::Path, database_url: Option<&str>) -> debrief::config::Config {
    debrief::config::Config {
        data_dir: dir.to_path_buf(),
        database_url: database_url.map(|u| debrief::config::Secret(u.to_string())),
        worker: false,
        ..Default::default()
    }
}

/// Recipients, a sent survey, and each invitation's plain token (the bench plays the mail).
fn prepare(
    dir: &std::path::Path,
    database_url: Option<&str>,
    respondents: usize,
) -> (i64, Vec<String>, Vec<i64>) {
    let config = config(dir, database_url);
    let state = debrief::app::AppState::build(config).expect("state");
    let mut conn = state.pool.get().expect("conn");
    debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
    debrief::db::write_transaction(&mut conn, |c| {
        for i in 0..respondents {
            debrief::db::recipients::merge(
                c,
                &format!("person{i}@firma.ch"),
                &format!("Person {i}"),
                Some("employees"),
                "de",
            )?;
        }
        Ok::<_, debrief::db::StoreError>(())
    })
    .expect("recipients");
    let survey = debrief::surveys::manage::create(
        &mut conn,
        "INC-2026-014",
        SurveyTemplate::Default,
        &Actor::cli(),
    )
    .expect("survey");
    let input = SurveyInput {
        title_en: "Burst".into(),
        audiences: vec!["employees".into()],
        ..Default::default()
    };
    debrief::surveys::manage::update(
        &mut conn,
        survey.id,
        &input,
        &state.csrf_secret,
        &Actor::cli(),
    )
    .expect("settings");
    let invitees = debrief::db::write_transaction(&mut conn, |c| {
        let v = debrief::db::invitations::create_for_survey(c, survey.id, "de")?;
        debrief::db::surveys::set_status(c, survey.id, debrief::surveys::SurveyStatus::Open)?;
        Ok::<_, debrief::db::StoreError>(v)
    })
    .expect("invitations");
    let questions: Vec<i64> = debrief::db::surveys::questions(&mut conn, survey.id)
        .expect("questions")
        .iter()
        .map(|q| q.id)
        .collect();
    (
        survey.id,
        invitees.into_iter().map(|(_, t)| t).collect(),
        questions,
    )
}

fn csrf(body: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker)? + marker.len();
    Some(body[start..start + body[start..].find('"')?].to_string())
}

/// The fields of the default survey's form and an answer for each: the first option of each
/// choice, a rating; `None` for the free text, which differs per respondent.
fn answer_fields(form: &str) -> Vec<(String, Option<String>)> {
    let mut fields: Vec<(String, Option<String>)> = Vec::new();
    for (i, _) in form.match_indices("name=\"q") {
        let rest = &form[i + 6..];
        let name = rest[..rest.find('"').unwrap_or(0)].to_string();
        if fields.iter().any(|(k, _)| *k == name) {
            continue;
        }
        let tag = &form[form[..i].rfind('<').unwrap_or(0)..i];
        let value = if tag.starts_with("<textarea") {
            None
        } else {
            let after = &form[i..];
            let v = after
                .find("value=\"")
                .map(|p| &after[p + 7..])
                .unwrap_or("");
            Some(v[..v.find('"').unwrap_or(0)].to_string())
        };
        fields.push((name, value));
    }
    fields
}

/// The form body of respondent `n`'s answers.
fn answers(fields: &[(String, Option<String>)], n: usize) -> String {
    let text = format!("Antwort {n}: die Updates kamen zu selten.");
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_deref().unwrap_or(&text))),
        )
        .finish()
}

fn main() {
    let clients = env("BURST_CLIENTS", 64);
    let respondents = env("BURST_RESPONDENTS", 20_000);
    let keepalive = env("BURST_KEEPALIVE", 0) == 1;
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .status()
        .expect("cargo");
    assert!(status.success(), "release build");
    let dir = tempfile::tempdir().expect("tmp");
    let postgres = std::env::var("BURST_POSTGRES")
        .ok()
        .map(|url| PgDatabase::create(&url));
    let database_url = postgres.as_ref().map(|p| p.url.as_str());
    let (survey, tokens, _) = prepare(dir.path(), database_url, respondents);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut command =
        Command::new(env!("CARGO_MANIFEST_DIR").to_string() + "/target/release/debrief");
    command
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DEBRIEF_DATA_DIR", dir.path())
        .env("DEBRIEF_PUBLIC_URL", &base)
        .env("DEBRIEF_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let server = Server(command.spawn().expect("server"));
    let started = Instant::now();
    while ureq::get(&format!("{base}/healthz")).call().is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "server up");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Baseline: the trivial endpoint, same clients, same server, for a fixed time.
    let window = Duration::from_secs(5);
    let count = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (base, count) = (base.clone(), count.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().build();
                while t0.elapsed() < window {
                    if agent.get(&format!("{base}/healthz")).call().is_ok() {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().expect("join"));
    let trivial = count.load(Ordering::Relaxed) as f64 / t0.elapsed().as_secs_f64();

    // The burst: every respondent opens their link and submits, clients in parallel.
    let queue = Arc::new(Mutex::new(tokens.clone()));
    let post_latencies = Arc::new(Mutex::new(Vec::with_capacity(respondents)));
    let get_latencies = Arc::new(Mutex::new(Vec::with_capacity(respondents)));
    let failures = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (base, queue, posts, gets, failures) = (
                base.clone(),
                queue.clone(),
                post_latencies.clone(),
                get_latencies.clone(),
                failures.clone(),
            );
            std::thread::spawn(move || {
                let mut mine_post = Vec::new();
                let mut mine_get = Vec::new();
                let client_agent = ureq::AgentBuilder::new().redirects(0).build();
                // Every respondent gets the same form; reading its fields once keeps the load
                // generator's own CPU (on the server's machine) small.
                let mut fields: Option<Vec<(String, Option<String>)>> = None;
                while let Some(token) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    // By default a fresh browser per respondent: its own cookies and its own
                    // connection. With BURST_KEEPALIVE=1 each client keeps one connection for all
                    // its respondents, as a load generator or a proxy in front would.
                    let agent = if keepalive {
                        client_agent.clone()
                    } else {
                        ureq::AgentBuilder::new().redirects(0).build()
                    };
                    let url = format!("{base}/r/{token}");
                    let t = Instant::now();
                    let form = match agent.get(&url).call().map(|r| r.into_string()) {
                        Ok(Ok(body)) => body,
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    };
                    mine_get.push(t.elapsed());
                    let Some(csrf) = csrf(&form) else {
                        failures.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    let fields = fields.get_or_insert_with(|| answer_fields(&form));
                    let body = format!(
                        "csrf_token={}&lang=de&{}",
                        csrf,
                        answers(fields, mine_post.len())
                    );
                    let t = Instant::now();
                    let res = agent
                        .post(&url)
                        .set("Content-Type", "application/x-www-form-urlencoded")
                        .send_string(&body);
                    match res {
                        Ok(r) if r.status() == 303 => mine_post.push(t.elapsed()),
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                posts.lock().expect("lock").extend(mine_post);
                gets.lock().expect("lock").extend(mine_get);
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().expect("join"));
    let elapsed = t0.elapsed().as_secs_f64();
    let mut posts = post_latencies.lock().expect("lock").clone();
    let mut gets = get_latencies.lock().expect("lock").clone();
    posts.sort();
    gets.sort();
    drop(server);

    let state = debrief::app::AppState::build(config(dir.path(), database_url)).expect("state");
    let mut conn = state.pool.get().expect("conn");
    let stored = debrief::db::responses::count(&mut conn, survey).expect("count") as usize;
    let answered = debrief::db::invitations::progress(&mut conn, survey)
        .expect("progress")
        .answered as usize;
    // Each respondent's response names their invitation (the survey is not anonymous), so a
    // response stored twice shows as more responses than invitations answered.
    let per_invitation = stored_per_invitation(&mut conn, survey);
    let failures = failures.load(Ordering::Relaxed);
    let rate = posts.len() as f64 / elapsed;
    let p99 = percentile(&posts, 0.99);
    let ratio = rate / trivial;
    println!(
        "backend: {}, respondents: {respondents}, clients: {clients}, connections: {}, failed requests: {failures}",
        if database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        if keepalive {
            "one kept per client"
        } else {
            "one per respondent"
        },
    );
    println!(
        "responses acknowledged: {}, stored: {stored}, invitations answered: {answered}, invitations with more than one response: {}",
        posts.len(),
        per_invitation.iter().filter(|n| **n > 1).count()
    );
    println!(
        "throughput: {rate:.0} responses/s, each a form load + a submission (target >= {TARGET_RESPONSES_PER_SECOND}): {}",
        verdict(rate >= TARGET_RESPONSES_PER_SECOND)
    );
    println!(
        "submission latency: p50 {:.1} ms, p99 {:.1} ms (target <= {TARGET_P99_MS} ms): {}, max {:.1} ms; form load p99 {:.1} ms",
        percentile(&posts, 0.5).as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        verdict(p99.as_secs_f64() * 1e3 <= TARGET_P99_MS),
        posts.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        percentile(&gets, 0.99).as_secs_f64() * 1e3,
    );
    println!(
        "trivial endpoint (/healthz): {trivial:.0} requests/s; responses/s ÷ trivial: {ratio:.2}"
    );
    let missing = respondents.saturating_sub(stored);
    let duplicated = per_invitation
        .iter()
        .map(|n| n.saturating_sub(1))
        .sum::<usize>();
    assert!(
        failures == 0
            && missing == 0
            && duplicated == 0
            && stored == posts.len()
            && answered == stored,
        "FAILED: every respondent's response must be stored exactly once \
         ({failures} failed requests, {missing} missing, {duplicated} duplicated, \
         {stored} stored for {} acknowledged, {answered} invitations answered)",
        posts.len()
    );
}

/// Issue 5's targets for the burst.
const TARGET_RESPONSES_PER_SECOND: f64 = 2000.0;
const TARGET_P99_MS: f64 = 100.0;

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}

/// How many responses each answered invitation of the survey has.
fn stored_per_invitation(conn: &mut debrief::db::DbConn, survey: i64) -> Vec<usize> {
    use debrief::db::schema::responses;
    use diesel::prelude::*;
    let ids: Vec<Option<i64>> = responses::table
        .filter(responses::survey_id.eq(survey))
        .select(responses::invitation_id)
        .load(conn)
        .expect("responses");
    let mut per: std::collections::BTreeMap<Option<i64>, usize> = Default::default();
    for id in ids {
        *per.entry(id).or_default() += 1;
    }
    per.into_values().collect()
}
