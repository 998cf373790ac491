//! Application state and the HTTP server, shared by `debrief serve` and the tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::web::Data;
use actix_web::{App, HttpServer};

use crate::config::Config;
use crate::db::{self, DatabaseTarget, DbPool};
use crate::mail::Mailer;
use crate::templates::Templates;
use crate::web;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub templates: Templates,
    pub mailer: Mailer,
    pub csrf_secret: Arc<Vec<u8>>,
    pub metrics: Arc<web::ops::Metrics>,
    /// One permit per pooled connection: requests beyond that wait here, as cheap futures,
    /// instead of as blocked threads in the pool's queue (see [`web::blocking`]).
    pub db_slots: Arc<tokio::sync::Semaphore>,
    /// The organisation's settings as last read, so a request from a visitor without a session
    /// needs no database round trip for them (a burst of survey answers is all such requests).
    organisation:
        Arc<std::sync::RwLock<Option<(std::time::Instant, crate::organisation::Organisation)>>>,
}

/// How long one instance trusts the organisation settings it read; another instance's change
/// shows here within this time.
const ORGANISATION_TTL: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] db::StoreError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

impl AppState {
    /// Connects, migrates and seeds the defaults (audiences, policy, service catalogue).
    pub fn build(config: Config) -> Result<Self, StartError> {
        let target = DatabaseTarget::resolve(config.database_url(), &config.data_dir)?;
        let pool_size = config.db_connections;
        let pool = db::pool(&target, pool_size)?;
        let mut conn = pool.get().map_err(db::StoreError::from)?;
        let applied = db::migrate(&mut conn)?;
        if !applied.is_empty() {
            tracing::info!(?applied, "migrations applied");
        }
        db::audiences::seed_defaults(&mut conn)?;
        let csrf_secret = crate::organisation::csrf_secret(&mut conn)?;
        let mailer = Mailer::from_config(&config).map_err(StartError::Mail)?;
        Ok(Self {
            pool,
            config: Arc::new(config),
            templates: Templates::shared().clone(),
            mailer,
            csrf_secret: Arc::new(csrf_secret),
            metrics: Arc::new(web::ops::Metrics::new()),
            db_slots: Arc::new(tokio::sync::Semaphore::new(pool_size as usize)),
            organisation: Arc::default(),
        })
    }

    /// The organisation settings if read within the last few seconds.
    pub fn cached_organisation(&self) -> Option<crate::organisation::Organisation> {
        let guard = self.organisation.read().ok()?;
        guard
            .as_ref()
            .filter(|(at, _)| at.elapsed() < ORGANISATION_TTL)
            .map(|(_, org)| org.clone())
    }

    pub fn remember_organisation(&self, org: &crate::organisation::Organisation) {
        if let Ok(mut guard) = self.organisation.write() {
            *guard = Some((std::time::Instant::now(), org.clone()));
        }
    }

    pub fn mail_context(&self) -> crate::accounts::MailContext {
        crate::accounts::MailContext {
            templates: self.templates.clone(),
            base_url: self.config.base_url(),
        }
    }

    pub fn worker(&self, id: &str) -> crate::mail::worker::Worker {
        crate::mail::worker::Worker {
            pool: self.pool.clone(),
            mailer: self.mailer.clone(),
            from: self.config.smtp.from.clone(),
            rate_per_second: self.config.smtp.rate_per_second,
            lease_seconds: self.config.smtp.lease_seconds,
            id: id.to_string(),
        }
    }
}

/// Security headers on every response. The CSP allows nothing inline and nothing external.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'; object-src 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}

/// The whole application: routes with their access rules, and the middleware in the order a
/// request passes them (outermost last). Used by `serve` and by the tests.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let table = web::routes::table();
    let rules = web::access::AccessRules::new(table.rules());
    let limit = (state.config.upload_limit_mb as usize) * 1024 * 1024;
    App::new()
        .app_data(Data::new(state))
        .app_data(Data::new(rules))
        .app_data(actix_web::web::FormConfig::default().limit(2 * 1024 * 1024))
        .app_data(actix_web::web::PayloadConfig::default().limit(limit))
        .app_data(
            actix_web::web::JsonConfig::default()
                .limit(limit)
                .error_handler(|err, _| {
                    web::ApiError(web::AppError::BadRequest(format!(
                        "invalid JSON body: {err}"
                    )))
                    .into()
                }),
        )
        .app_data(
            actix_web::web::PathConfig::default().error_handler(|_, req| {
                // A path segment that is not a valid id names nothing.
                web::error::for_request(req, web::AppError::NotFound)
            }),
        )
        .app_data(
            actix_web::web::QueryConfig::default().error_handler(|err, req| {
                web::error::for_request(
                    req,
                    web::AppError::BadRequest(format!("invalid query parameter: {err}")),
                )
            }),
        )
        .configure(|cfg| table.register(cfg))
        .default_service(actix_web::web::to(web::pages::not_found))
        .wrap(from_fn(web::access::guard))
        .wrap(from_fn(web::ops::observe))
        .wrap(security_headers())
        .wrap(Compress::default())
}

/// Runs the server until SIGTERM or SIGINT: requests in flight get `shutdown_timeout_seconds` to
/// finish and the current mail batch finishes; a second signal closes the connections at once.
pub async fn serve(state: AppState, bind: &str) -> Result<(), StartError> {
    let stop = Arc::new(AtomicBool::new(false));
    let worker = state.config.worker.then(|| {
        let id = format!("{}-{}", hostname(), std::process::id());
        state.worker(&id).spawn(stop.clone())
    });
    let scheduler = state
        .config
        .worker
        .then(|| crate::schedule::spawn(state.clone(), stop.clone()));
    let app_state = state.clone();
    let grace = state.config.shutdown_timeout_seconds;
    let mut server = HttpServer::new(move || app(app_state.clone()))
        .shutdown_timeout(grace)
        .disable_signals()
        .bind(bind)?;
    if let Some(n) = state.config.workers {
        server = server.workers(n);
    }
    tracing::info!(%bind, url = %state.config.base_url(), "Debrief is listening");
    let server = server.run();
    actix_web::rt::spawn(stop_on_signal(server.handle(), grace));
    server.await?;
    stop.store(true, Ordering::SeqCst);
    for handle in [worker, scheduler].into_iter().flatten() {
        let _ = handle.join();
    }
    Ok(())
}

async fn stop_on_signal(server: actix_web::dev::ServerHandle, grace: u64) {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::error!("cannot listen for SIGTERM/SIGINT; stop the process with SIGKILL");
        return;
    };
    let mut next_signal = async || {
        futures_util::future::select(Box::pin(term.recv()), Box::pin(int.recv())).await;
    };
    next_signal().await;
    tracing::info!(
        seconds = grace,
        "stopping: no new connections; requests in flight may finish"
    );
    actix_web::rt::spawn(server.clone().stop(true));
    next_signal().await;
    tracing::warn!("second signal: closing every connection now");
    server.stop(false).await;
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "debrief".into())
}
