//! Test support: an isolated database per test on each backend, the real app in-process, and a
//! client that keeps cookies and finds CSRF tokens in pages like a browser would.

pub mod browser;
pub mod e2e;
pub mod pg_cluster;
pub mod server;
pub mod smtp;

use std::collections::HashMap;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::test::TestRequest;
use debrief::app::AppState;
use debrief::config::{Config, MailTransport};
use debrief::db::{self, Backend, DatabaseTarget};
use diesel::RunQueryDsl;

pub const ADMIN_PASSWORD: &str = "Wolken über dem Säntis";

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

fn pg_admin_url() -> String {
    std::env::var("DEBRIEF_TEST_POSTGRES").unwrap_or_else(|_| PG_ADMIN_URL.to_string())
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = dir.path().join("debrief.db").to_string_lossy().into_owned();
        Self {
            backend: Backend::Sqlite,
            url,
            _dir: Some(dir),
            pg_name: None,
        }
    }

    /// A fresh PostgreSQL database, or None (with a message) when no server is reachable —
    /// unless DEBRIEF_REQUIRE_POSTGRES=1, where an unreachable server fails the test.
    pub fn postgres() -> Option<Self> {
        let admin = pg_admin_url();
        let mut conn = match db::connect(&DatabaseTarget {
            url: admin.clone(),
            backend: Backend::Postgres,
        }) {
            Ok(c) => c,
            Err(e) => {
                if std::env::var("DEBRIEF_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                    panic!(
                        "PostgreSQL is required (DEBRIEF_REQUIRE_POSTGRES=1) but {admin} is unreachable: {e}"
                    );
                }
                eprintln!(
                    "SKIPPED on PostgreSQL: {admin} is unreachable ({e}); set DEBRIEF_TEST_POSTGRES or start PostgreSQL"
                );
                return None;
            }
        };
        let suffix: String = debrief::auth::new_token()
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect();
        let name = format!("debrief_t_{suffix}");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create test database");
        let mut url = url::Url::parse(&admin).expect("postgres url");
        url.set_path(&name);
        Some(Self {
            backend: Backend::Postgres,
            url: url.to_string(),
            _dir: None,
            pg_name: Some(name),
        })
    }

    pub fn target(&self) -> DatabaseTarget {
        DatabaseTarget {
            url: self.url.clone(),
            backend: self.backend,
        }
    }

    pub fn connect(&self) -> db::DbConn {
        db::connect(&self.target()).expect("connect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut conn) = db::connect(&DatabaseTarget {
                url: pg_admin_url(),
                backend: Backend::Postgres,
            })
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// SQLite always, PostgreSQL when reachable.
pub fn backends() -> Vec<TestDb> {
    let mut v = vec![TestDb::sqlite()];
    v.extend(TestDb::postgres());
    v
}

pub fn config_for(db: &TestDb) -> Config {
    Config {
        database_url: Some(debrief::config::Secret(db.url.clone())),
        data_dir: std::env::temp_dir(),
        mail_transport: MailTransport::Memory,
        public_url: Some("http://debrief.test".into()),
        worker: false,
        ..Config::default()
    }
}

pub fn state_for(db: &TestDb) -> AppState {
    // Errors the app logs show up in the output of a failing test.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    AppState::build(config_for(db)).expect("app state")
}

pub fn create_user(
    state: &AppState,
    email: &str,
    role: debrief::domain::Role,
) -> debrief::domain::User {
    let mut conn = state.pool.get().expect("conn");
    debrief::accounts::create_user(
        &mut conn,
        email,
        "Test User",
        role,
        Some(ADMIN_PASSWORD),
        &debrief::db::audit::Actor::cli(),
    )
    .expect("create user")
}

/// A response read to the end.
pub struct Page {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: String,
    /// The body as sent, for binary downloads.
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The value of the first hidden `csrf_token` field.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_string())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A browser-like client over the in-process app: keeps cookies between requests.
pub struct Client<S> {
    pub app: S,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
    /// The client address the server sees.
    pub peer: std::net::SocketAddr,
}

impl<S, B> Client<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    pub fn new(app: S) -> Self {
        Self {
            app,
            cookies: HashMap::new(),
            bearer: None,
            peer: "127.0.0.1:40000".parse().expect("addr"),
        }
    }

    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        extra: &[(&str, &str)],
    ) -> Page {
        let mut req = TestRequest::default()
            .method(method)
            .uri(path)
            .peer_addr(self.peer);
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.insert_header((header::COOKIE, cookie));
        }
        if let Some(token) = &self.bearer {
            req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
        }
        for (k, v) in extra {
            req = req.insert_header((*k, *v));
        }
        if let Some((content_type, bytes)) = body {
            req = req
                .insert_header((header::CONTENT_TYPE, content_type))
                .set_payload(bytes);
        }
        let res = actix_web::test::call_service(&self.app, req.to_request()).await;
        for c in res.response().cookies() {
            if c.max_age().is_some_and(|a| a.is_zero()) || c.value().is_empty() {
                self.cookies.remove(c.name());
            } else {
                self.cookies
                    .insert(c.name().to_string(), c.value().to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = actix_web::body::to_bytes(res.into_body())
            .await
            .unwrap_or_default();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.request(Method::GET, path, None, &[]).await
    }

    /// Posts a form the way a browser does; `csrf_token` must be among the fields if wanted.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_html_form_encode(fields);
        self.request(
            Method::POST,
            path,
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
            &[],
        )
        .await
    }

    /// GETs `form_page`, takes its CSRF token and posts `fields` with it to `action`.
    pub async fn submit(&mut self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        let token = page.csrf().unwrap_or_else(|| {
            panic!(
                "no csrf token on {form_page} ({}): {}",
                page.status,
                &page.body[..page.body.len().min(500)]
            )
        });
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn json(&mut self, method: Method, path: &str, value: &serde_json::Value) -> Page {
        let body = serde_json::to_vec(value).expect("json");
        self.request(method, path, Some(("application/json", body)), &[])
            .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }
}

pub fn serde_html_form_encode(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// Builds the in-process app for a state.
#[macro_export]
macro_rules! app {
    ($state:expr) => {
        $crate::common::Client::new(
            actix_web::test::init_service(debrief::app::app($state.clone())).await,
        )
    };
}

/// Every question of a survey form answered, from the form's own field names: the first option,
/// `rating` on a scale, `free_text` in text areas.
pub fn answer_fields(questions_page: &str, rating: &str, free_text: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (i, _) in questions_page.match_indices("name=\"q") {
        let rest = &questions_page[i + 6..];
        let name = &rest[..rest.find('"').unwrap_or(0)];
        if fields.iter().any(|(n, _): &(String, String)| n == name) {
            continue;
        }
        let tag_start = questions_page[..i].rfind('<').unwrap_or(0);
        let tag = &questions_page[tag_start..i];
        let value = if tag.starts_with("<textarea") {
            free_text.to_string()
        } else {
            // The first option's value, or the rating asked for when the field is a scale.
            let after = &questions_page[i..];
            let v = after
                .find("value=\"")
                .map(|p| &after[p + 7..])
                .unwrap_or("");
            let first = &v[..v.find('"').unwrap_or(0)];
            if first == "1" {
                rating.to_string()
            } else {
                first.to_string()
            }
        };
        fields.push((name.to_string(), value));
    }
    fields
}
