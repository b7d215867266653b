//! The one place that assembles the URL space.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
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
        crate::web::not_found(uri).await
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal(anyhow::anyhow!("a request handler panicked")).into_response()
}

/// Builds the application's router around its state.
pub fn build_router(state: AppState) -> Router {
    Router::new()
        .merge(crate::api::router())
        .merge(crate::web::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // A bug must cost one request a 500, not the connection.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
