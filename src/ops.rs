//! Running the registry as a service: `GET /healthz` (the process answers), `GET /readyz`
//! (it should take traffic: 503 otherwise) and `GET /metrics` (Prometheus text: requests and
//! latency by route, the index's lag behind the change log, the database pool), and the
//! middleware that counts requests and holds them until the start-up catch-up is done.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::api::extract::ApiJson;
use crate::domain::projection::{Readiness, readiness};
use crate::error::AppResult;
use crate::services::health;
use crate::state::AppState;

/// The paths a load balancer and a scraper ask; they answer while the process is starting.
pub const PROBE_PATHS: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// How far behind the database the index may be and the process still ready.
pub const READY_MAX_LAG: Duration = Duration::from_secs(5);

/// Latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The process's metrics recorder, installed on first use (one per process, shared by every
/// router built in it, as the tests build many).
fn recorder() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .expect("the bucket list is not empty");
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics are off: another recorder is installed");
                    None
                }
            }
        })
        .as_ref()
}

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let (status, body) = match health::process_state(&state.db, state.index()).await {
        Ok(process) => match readiness(process, READY_MAX_LAG) {
            Readiness::Ready => (StatusCode::OK, serde_json::json!({"status": "ready"})),
            Readiness::NotReady(why) => (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"status": "not ready", "reason": why}),
            ),
        },
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database cannot be read");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"status": "not ready", "reason": "the database cannot be reached"}),
            )
        }
    };
    (status, [(header::CACHE_CONTROL, "no-store")], ApiJson(body)).into_response()
}

async fn metrics_text(State(state): State<AppState>) -> AppResult<Response> {
    let lag = health::index_lag(&state.db, state.index()).await?;
    metrics::gauge!("normen_index_applied_change").set(lag.applied as f64);
    metrics::gauge!("normen_database_latest_change").set(lag.latest as f64);
    metrics::gauge!("normen_index_lag_changes").set(lag.changes as f64);
    metrics::gauge!("normen_index_lag_seconds").set(lag.age.as_secs_f64().min(1e9));
    let (open, idle) = health::pool_use(&state.db);
    metrics::gauge!("normen_db_pool_connections", "state" => "open").set(f64::from(open));
    metrics::gauge!("normen_db_pool_connections", "state" => "idle").set(idle as f64);
    let text = match recorder() {
        Some(handle) => {
            handle.run_upkeep();
            handle.render()
        }
        None => String::new(),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response())
}

/// A method as a label: the standard ones by name, anything else as one value, so a visitor
/// cannot grow the label set.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware (a route layer, so the matched route is known): counts the request and times it
/// by route template, never by the path a visitor typed.
pub async fn track(req: Request, next: Next) -> Response {
    let _ = recorder();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = method_label(req.method());
    let started = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    res
}

/// Middleware: holds a request until the start-up catch-up has brought the index up to date,
/// so no one reads a search that misses committed changes; the probes answer at once.
pub async fn after_start(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !PROBE_PATHS.contains(&req.uri().path()) {
        state.index().wait_started().await;
    }
    next.run(req).await
}
