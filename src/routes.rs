//! The one place that assembles the URL space.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::state::AppState;

/// Largest request body accepted (a Markdown body may be up to 2 MiB; JSON adds escaping).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Unknown paths: problem+json under `/api`, an HTML page everywhere else.
async fn not_found(uri: Uri) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        AppError::NotFound(format!("no route for {}", uri.path())).into_response()
    } else {
        crate::web::not_found(&uri)
    }
}

/// The router answers a known path with the wrong method with an empty 405; the API says it
/// as problem+json like every other refusal (the `Allow` header stays).
async fn api_method_not_allowed(method: Method, uri: Uri, res: Response) -> Response {
    if res.status() != StatusCode::METHOD_NOT_ALLOWED {
        return res;
    }
    let mut problem = AppError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path())).into_response();
    if let Some(allow) = res.headers().get(header::ALLOW) {
        problem.headers_mut().insert(header::ALLOW, allow.clone());
    }
    problem
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal(anyhow::anyhow!("a request handler panicked")).into_response()
}

/// Builds the application's router around its state.
pub fn build_router(state: AppState) -> Router {
    Router::new()
        .merge(crate::api::router().layer(axum::middleware::map_response(api_method_not_allowed)))
        .merge(crate::web::router())
        .merge(crate::ops::router())
        .route_layer(axum::middleware::from_fn(crate::ops::track))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::ops::after_start,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::caching::validators,
        ))
        // Outside the validators, so an ETag names the page whatever its encoding.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::links::with_origin,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // A bug must cost one request a 500, not the connection.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http())
        // Outermost, so 405s, panics and fallbacks get it too: no response is ever sniffed.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}
