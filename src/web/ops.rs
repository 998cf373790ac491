//! Health, Prometheus metrics and request logging with request ids.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};
use tracing::Instrument;

use crate::app::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    outbox_queue: IntGauge,
    in_flight: IntGauge,
    imports: HistogramVec,
    reports: HistogramVec,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "debrief_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["method", "route", "status"],
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "debrief_http_request_duration_seconds",
                "HTTP request latency",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route"],
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let outbox_queue = IntGauge::new("debrief_outbox_queue_length", "Mails waiting to be sent")
            .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let in_flight = IntGauge::new(
            "debrief_http_requests_in_flight",
            "Requests being handled (this one included)",
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let slow = vec![0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
        let imports = HistogramVec::new(
            HistogramOpts::new(
                "debrief_import_duration_seconds",
                "Imports, previews included",
            )
            .buckets(slow.clone()),
            &["outcome"],
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let reports = HistogramVec::new(
            HistogramOpts::new("debrief_report_duration_seconds", "PDF reports rendered")
                .buckets(slow),
            &["kind"],
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(outbox_queue.clone()),
            Box::new(in_flight.clone()),
            Box::new(imports.clone()),
            Box::new(reports.clone()),
        ] {
            registry
                .register(c)
                .unwrap_or_else(|e| panic!("metric registration: {e}"));
        }
        Self {
            registry,
            requests,
            latency,
            outbox_queue,
            in_flight,
            imports,
            reports,
        }
    }

    /// How an import ended, for the metric's label.
    pub fn observe_import_summary(
        &self,
        summary: &crate::import::pipeline::ImportSummary,
        started: Instant,
    ) {
        let outcome = if summary.committed {
            "committed"
        } else if summary.dry_run {
            "preview"
        } else {
            "refused"
        };
        self.observe_import(outcome, started);
    }

    /// `outcome`: `committed`, `preview` or `refused`.
    pub fn observe_import(&self, outcome: &str, started: Instant) {
        self.imports
            .with_label_values(&[outcome])
            .observe(started.elapsed().as_secs_f64());
    }

    /// `kind`: `incident` or `portfolio`.
    pub fn observe_report(&self, kind: &str, started: Instant) {
        self.reports
            .with_label_values(&[kind])
            .observe(started.elapsed().as_secs_f64());
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let ok = super::blocking(&state, |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map_err(crate::db::StoreError::from)?;
        Ok::<_, super::AppError>(())
    })
    .await;
    match ok {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok"})),
        Err(e) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "unavailable", "reason": e.public_message()})),
    }
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    if let Ok(n) = super::blocking(&state, |conn| {
        crate::db::outbox::queue_length(conn).map_err(super::AppError::from)
    })
    .await
    {
        state.metrics.outbox_queue.set(n);
    }
    let mut buf = Vec::new();
    let encoder = TextEncoder::new();
    if let Err(e) = encoder.encode(&state.metrics.registry.gather(), &mut buf) {
        return HttpResponse::InternalServerError().body(e.to_string());
    }
    HttpResponse::Ok()
        .content_type(encoder.format_type())
        .body(buf)
}

/// Gives every request an id (kept from `X-Request-Id` if the proxy set one), logs it, and records
/// its latency by route pattern (not by raw path, so ids do not explode the label set).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| crate::auth::new_token()[..16].to_string());
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    // A personal link's path is its secret (survey answers, contributions, calendar feeds): a log
    // line beside the time of an anonymous answer must not name the invitation.
    let path = if route.contains("{token}") {
        route.clone()
    } else {
        req.path().to_string()
    };
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let _in_flight = state
        .as_ref()
        .map(|s| InFlight::enter(&s.metrics.in_flight));
    let span = tracing::info_span!("request", %request_id);
    let mut res = next.call(req).instrument(span.clone()).await?;
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(state) = state {
        state
            .metrics
            .requests
            .with_label_values(&[method.as_str(), route.as_str(), &status.to_string()])
            .inc();
        state
            .metrics
            .latency
            .with_label_values(&[method.as_str(), route.as_str()])
            .observe(elapsed);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    span.in_scope(|| tracing::info!(%method, %path, status, ms = elapsed * 1000.0, "request"));
    Ok(res)
}

/// Counts a request as in flight until it is answered, failed or dropped.
struct InFlight(IntGauge);

impl InFlight {
    fn enter(gauge: &IntGauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}
